//! An independent check of a plan: every hard rule recomputed from [`Donnees`] alone, without
//! the model or the solver, and the objective recomputed term by term.
//!
//! [`verify`] runs after every solve (and on the fallback plan): a plan the solver returns is
//! only written if it passes. [`evaluer`] is the reference objective the tests compare the MILP
//! with.

use super::donnees::Donnees;
use super::modele::Cle;
use std::collections::BTreeSet;

/// A plan: the group leading each unit and the group of each member (indices in
/// [`Donnees::groupes`]); `None` means no group (never in a valid plan). `retraits` lists the
/// members' pilote délégations turned into appui: `(member, unit)` pairs, the unit in the
/// member's perimeter and led by another group.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Plan {
    /// Group per unit of [`Donnees::unites`].
    pub unites: Vec<Option<usize>>,
    /// Group per member of [`Donnees::membres`].
    pub membres: Vec<Option<usize>>,
    /// `(member, unit)`: the member's pilote délégations inside the unit become appui.
    pub retraits: BTreeSet<(usize, usize)>,
}

impl Plan {
    /// The proposal as it stands: each unit with its current group, each member in their group,
    /// no délégation changed.
    pub fn actuel(d: &Donnees) -> Plan {
        Plan {
            unites: d.unites.iter().map(|u| u.actuel).collect(),
            membres: d.membres.iter().map(|m| m.actuel).collect(),
            retraits: BTreeSet::new(),
        }
    }

    /// A plan from its units and members, with exactly the retraits it needs: when
    /// `[groupes] retrait_appui` allows them, every `(member, unit)` of a member's perimeter that
    /// another group leads. This is also the cheapest choice of retraits for these units and
    /// members (each costs `poids_retraits ≥ 0` and none is needed elsewhere), so the solver's
    /// own values of `r` need not be read.
    pub fn avec_retraits(
        d: &Donnees,
        unites: Vec<Option<usize>>,
        membres: Vec<Option<usize>>,
    ) -> Plan {
        let mut retraits = BTreeSet::new();
        if d.params.retrait_appui {
            for (e, m) in d.membres.iter().enumerate() {
                for &u in &m.perimetre {
                    let g = membres.get(e).copied().flatten();
                    if g.is_some() && unites.get(u).copied().flatten() != g {
                        retraits.insert((e, u));
                    }
                }
            }
        }
        Plan {
            unites,
            membres,
            retraits,
        }
    }
}

/// A hard rule a plan breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// The rule.
    pub cle: Cle,
    /// What is wrong, in French.
    pub message: String,
}

/// Checks every hard rule. An empty list means the plan is valid.
///
/// The checks live with their rule, one file per family ([`super::regles`]); this is the driver
/// that calls them, in a fixed order (per unit: orphan, cœur, transversal; per group; per member:
/// group, fixed group, quartier, perimeter; retraits, sizes, locks, quartier links, wishes).
pub fn verify(plan: &Plan, d: &Donnees) -> Vec<Violation> {
    use super::regles::{
        coeur, groupe_fixe, membre_unique, perimetre_membre, pilote_unique, quartier, tailles,
        transversal, une_unite, verrous,
    };
    let mut v = Vec::new();
    if plan.unites.len() != d.unites.len() || plan.membres.len() != d.membres.len() {
        v.push(Violation {
            cle: Cle::UnPiloteParUnite {
                unite: String::new(),
            },
            message: "le plan ne correspond pas aux données (nombre d'unités ou de membres)".into(),
        });
        return v;
    }
    for u in 0..d.unites.len() {
        if let Some(g) = pilote_unique::verifier_unite(plan, d, u, &mut v) {
            coeur::verifier_unite(d, u, g, &mut v);
            transversal::verifier_unite(d, u, g, &mut v);
        }
    }
    une_unite::verifier(plan, d, &mut v);
    for e in 0..d.membres.len() {
        let Some(g) = membre_unique::verifier_membre(plan, d, e, &mut v) else {
            continue;
        };
        groupe_fixe::verifier_membre(d, e, g, &mut v);
        quartier::verifier_membre(d, e, g, &mut v);
        perimetre_membre::verifier_membre(plan, d, e, g, &mut v);
    }
    perimetre_membre::verifier_retraits(plan, d, &mut v);
    tailles::verifier(plan, d, &mut v);
    verrous::verifier(plan, d, &mut v);
    quartier::verifier_liens(plan, d, &mut v);
    // The wish criteria (`--regrouper` with voeux.csv), recounted in their own file.
    v.extend(super::voeux::verifier(plan, d));
    v
}

/// The objective of a plan, term by term.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Cout {
    /// Σ over non-transversal groups of the number of DGA spanned.
    pub dispersion: usize,
    /// Units whose group differs from the proposal's (orphans given a group do not count).
    pub changements: usize,
    /// Mobile members whose group differs from `elus.csv`.
    pub deplacements: usize,
    /// Members' pilote délégations turned into appui (`(member, unit)` pairs).
    pub retraits: usize,
    /// Functional links between units led by different groups.
    pub liens: usize,
    /// Agents whose chain of command changes: the staff (ETP) of the units moved from their
    /// group (orphans given a group do not count).
    pub agents_deplaces: f64,
    /// Σ over groups of |load / mean − 1|.
    pub ecart: f64,
    /// Units moved to, or adopted by, a group sharing none of their domains (« hors thème »).
    pub hors_theme: usize,
    /// Weighted total (the model's objective).
    pub total: f64,
    /// The value of each criterion, in the order of [`super::criteres::NOMS`] (read them by name
    /// with [`Cout::valeur`]).
    pub criteres: [f64; super::criteres::NB],
}

impl Cout {
    /// The value of criterion `nom` ([`super::criteres`]), 0 for an unknown name.
    pub fn valeur(&self, nom: &str) -> f64 {
        super::criteres::NOMS
            .iter()
            .position(|n| *n == nom)
            .map_or(0.0, |i| self.criteres[i])
    }

    /// Every criterion with its value, in the order of the objective.
    pub fn par_critere(&self) -> impl Iterator<Item = (&'static str, f64)> + '_ {
        super::criteres::NOMS.iter().copied().zip(self.criteres)
    }
}

/// Number of DGA each group spans in a plan.
pub fn poles_par_groupe(plan: &Plan, d: &Donnees) -> Vec<usize> {
    (0..d.groupes.len())
        .map(|g| {
            (0..d.unites.len())
                .filter(|&u| plan.unites[u] == Some(g))
                .filter_map(|u| d.unites[u].dga)
                .collect::<BTreeSet<_>>()
                .len()
        })
        .collect()
}

/// Staff load of each group in a plan.
pub fn charges(plan: &Plan, d: &Donnees) -> Vec<f64> {
    (0..d.groupes.len())
        .map(|g| {
            (0..d.unites.len())
                .filter(|&u| plan.unites[u] == Some(g))
                .map(|u| d.unites[u].charge)
                .sum()
        })
        .collect()
}

/// Recomputes the objective of a plan from the data alone: each criterion's value for the plan
/// ([`super::criteres::d_un_plan`], the one definition the model's objective also reads) and
/// their weighted total.
pub fn evaluer(plan: &Plan, d: &Donnees) -> Cout {
    let valeurs = super::criteres::d_un_plan(plan, d);
    // In the order of `criteres::NOMS`.
    let [
        dispersion,
        _,
        deplacements,
        _,
        _,
        ecart,
        hors_theme,
        agents_deplaces,
        _,
    ] = valeurs;
    let changements = d
        .unites
        .iter()
        .zip(&plan.unites)
        .filter(|(u, g)| u.actuel.is_some() && u.actuel != **g)
        .count();
    Cout {
        dispersion: dispersion as usize,
        changements,
        deplacements: deplacements as usize,
        retraits: plan.retraits.len(),
        liens: liens_croises(plan, d),
        agents_deplaces,
        ecart,
        hors_theme: hors_theme as usize,
        total: super::criteres::total(&valeurs, &d.params),
        criteres: valeurs,
    }
}

/// The units a plan moves to, or gives as orphans to, a group sharing none of their domains
/// ([`Donnees::cout_hors_theme`]), in unit order, each with its group.
pub fn hors_theme(plan: &Plan, d: &Donnees) -> Vec<(usize, usize)> {
    (0..d.unites.len())
        .filter_map(|u| {
            let g = plan.unites.get(u).copied().flatten()?;
            (g < d.groupes.len() && d.cout_hors_theme(u, g)).then_some((u, g))
        })
        .collect()
}

/// Number of functional links between units led by different groups in a plan.
pub fn liens_croises(plan: &Plan, d: &Donnees) -> usize {
    d.liens
        .iter()
        .filter(|l| plan.unites.get(l.a) != plan.unites.get(l.b))
        .count()
}
