//! The independent checker: recomputes sizes, sexes, components and ranks of an assignment from
//! the instance alone (no solver, no model) and lists every rule it breaks.

use super::donnees::Instance;
use super::modele::{Famille, Seuils};
use crate::model::{RANG_SANS_VOEU, Sexe};
use std::collections::{BTreeMap, BTreeSet};

/// An assignment: the group (index in [`Instance::groupes`]) of each movable élu·e.
pub type Plan = Vec<usize>;

/// A rule the assignment breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule's family.
    pub famille: Famille,
    /// What is wrong, in French.
    pub message: String,
}

/// Size of every group, fixed members included.
pub fn tailles(plan: &Plan, inst: &Instance) -> Vec<usize> {
    let mut t: Vec<usize> = inst.groupes.iter().map(|g| g.fixes.len()).collect();
    for &g in plan {
        if let Some(x) = t.get_mut(g) {
            *x += 1;
        }
    }
    t
}

/// Sexes present in each group.
pub fn sexes(plan: &Plan, inst: &Instance) -> Vec<BTreeSet<Sexe>> {
    let mut s: Vec<BTreeSet<Sexe>> = inst
        .groupes
        .iter()
        .map(|g| g.fixes.iter().map(|f| f.sexe).collect())
        .collect();
    for (p, &g) in plan.iter().enumerate() {
        if let Some(x) = s.get_mut(g) {
            x.insert(inst.personnes[p].sexe);
        }
    }
    s
}

/// Number of mixed groups (at least one F and one M).
pub fn mixtes(plan: &Plan, inst: &Instance) -> usize {
    sexes(plan, inst).iter().filter(|s| s.len() == 2).count()
}

/// Components present in each group.
pub fn composantes_par_groupe(plan: &Plan, inst: &Instance) -> Vec<BTreeSet<String>> {
    let mut c: Vec<BTreeSet<String>> = inst
        .groupes
        .iter()
        .map(|g| {
            g.fixes
                .iter()
                .filter_map(|f| f.composante.clone())
                .collect()
        })
        .collect();
    for (p, &g) in plan.iter().enumerate() {
        if let (Some(x), Some(k)) = (c.get_mut(g), &inst.personnes[p].composante) {
            x.insert(k.clone());
        }
    }
    c
}

/// Number of (component, group) pairs present.
pub fn presences(plan: &Plan, inst: &Instance) -> usize {
    composantes_par_groupe(plan, inst)
        .iter()
        .map(BTreeSet::len)
        .sum()
}

/// Number of groups each component is present in.
pub fn groupes_par_composante(plan: &Plan, inst: &Instance) -> BTreeMap<String, usize> {
    let mut n: BTreeMap<String, usize> = BTreeMap::new();
    for cs in composantes_par_groupe(plan, inst) {
        for c in cs {
            *n.entry(c).or_default() += 1;
        }
    }
    n
}

/// Rank obtained by each movable élu·e (`None`: made no wish).
pub fn rangs(plan: &Plan, inst: &Instance) -> Vec<Option<u8>> {
    plan.iter()
        .enumerate()
        .map(|(p, &g)| inst.rang(p, g))
        .collect()
}

/// Number of élu·es (who made wishes) at rank 1, 2, …, 6.
pub fn profil(plan: &Plan, inst: &Instance) -> [usize; 6] {
    let mut n = [0usize; 6];
    for r in rangs(plan, inst).into_iter().flatten() {
        n[usize::from(r.clamp(1, RANG_SANS_VOEU)) - 1] += 1;
    }
    n
}

/// Worst rank anyone who made wishes gets.
pub fn pire(plan: &Plan, inst: &Instance) -> Option<u8> {
    rangs(plan, inst).into_iter().flatten().max()
}

/// Number of élu·es placed away from their current group.
pub fn deplaces(plan: &Plan, inst: &Instance) -> usize {
    plan.iter()
        .enumerate()
        .filter(|(p, g)| inst.personnes[*p].actuel.is_some_and(|a| a != **g))
        .count()
}

/// Every rule of `inst` (and threshold of `seuils`) the plan breaks; empty when it is valid.
pub fn verify(plan: &Plan, inst: &Instance, seuils: &Seuils) -> Vec<Violation> {
    let mut v = Vec::new();
    let mut viol = |famille: Famille, message: String| v.push(Violation { famille, message });
    if plan.len() != inst.personnes.len() {
        viol(
            Famille::MembreUnique,
            format!(
                "{} élu·es placé·es pour {} à placer",
                plan.len(),
                inst.personnes.len()
            ),
        );
        return v;
    }
    for (p, &g) in plan.iter().enumerate() {
        if g >= inst.groupes.len() {
            viol(
                Famille::MembreUnique,
                format!("{} placé·e dans un groupe inexistant", inst.personnes[p].id),
            );
            return v;
        }
        if !inst.permis(p, g) {
            viol(
                Famille::AdjointQuartier,
                format!(
                    "{}, adjoint·e de quartier, est dans le groupe {}, où aucun·e adjoint·e thématique ne pilote un service de ses délégations (D010)",
                    inst.personnes[p].id, inst.groupes[g].id
                ),
            );
        }
    }
    let r = &inst.regles;
    for (g, t) in tailles(plan, inst).into_iter().enumerate() {
        let id = &inst.groupes[g].id;
        if t < r.taille_min as usize && r.taille_en_vigueur(Famille::TailleMin, g) {
            viol(
                Famille::TailleMin,
                format!(
                    "le groupe {id} compte {t} membre(s), moins que taille_min = {}",
                    r.taille_min
                ),
            );
        }
        if t > r.taille_max as usize && r.taille_en_vigueur(Famille::TailleMax, g) {
            viol(
                Famille::TailleMax,
                format!(
                    "le groupe {id} compte {t} membres, plus que taille_max = {}",
                    r.taille_max
                ),
            );
        }
    }
    if r.parite
        && let Some(s) = seuils.mixtes
    {
        let n = mixtes(plan, inst);
        if n < s {
            viol(
                Famille::Parite,
                format!("{n} groupe(s) mixte(s), alors que {s} sont possibles"),
            );
        }
    }
    if r.composantes
        && let Some(s) = seuils.presences
    {
        let n = presences(plan, inst);
        if n < s {
            viol(
                Famille::Composantes,
                format!(
                    "{n} présence(s) de composantes dans les groupes, alors que {s} sont possibles"
                ),
            );
        }
    }
    if let Some(max) = r.max_groupes_par_composante {
        for (c, n) in groupes_par_composante(plan, inst) {
            if n > max as usize {
                viol(
                    Famille::MaxGroupesComposante,
                    format!("la composante {c} est présente dans {n} groupes, plus que {max}"),
                );
            }
        }
    }
    if let Some(p) = pire(plan, inst)
        && p > seuils.pire
    {
        viol(
            Famille::Voeux,
            format!(
                "un·e élu·e obtient le rang {p}, pire que le rang {} possible",
                seuils.pire
            ),
        );
    }
    let n = profil(plan, inst);
    for (i, s) in seuils.par_rang.iter().enumerate() {
        if let Some(s) = s
            && n[i] < *s
        {
            viol(
                Famille::Voeux,
                format!(
                    "{} élu·e(s) au rang {}, alors que {s} sont possibles",
                    n[i],
                    i + 1
                ),
            );
        }
    }
    v
}

/// The thresholds of `seuils` that are rules (parity, components), without the wish stages:
/// what a swap or a single move must respect.
pub fn regles_seules(seuils: &Seuils) -> Seuils {
    Seuils {
        mixtes: seuils.mixtes,
        presences: seuils.presences,
        ..Seuils::aucun()
    }
}
