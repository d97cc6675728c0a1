//! Who works with whom (`collegia affecter`): each movable élu·e (conseiller·es délégué·es,
//! adjoint·es de quartier) placed in exactly one group, from their wishes (`voeux.csv`).
//!
//! ```text
//!  Scenario + voeux ──► Instance ──► stages (one MILP each, every optimum kept as a constraint)
//!                                      0. rules: most mixed groups (parite), most component
//!                                         presences (composantes)
//!                                      1. smallest worst rank
//!                                      2. rank-maximal: most at rank 1, then at rank 2, …
//!                                      3. fewest élu·es moved from their current group
//!                      verify(plan) ◄── plan ──► envy pairs (swapped when no rule forbids)
//!                                             ──► why not better, per élu·e
//!                                             ──► each rule's cost (solved again without it)
//! ```
//!
//! - [`donnees`]: the instance (groups, fixed members, movable élu·es, wishes, rules).
//! - [`modele`]: the MILP, one function per rule family, a key ([`Cle`]) per constraint.
//! - [`verification`]: the independent checker and the measures (ranks, profile, sizes).
//!
//! Ranks: a wished group costs its rank (1–5), an unwished one 6; an élu·e without any wish is
//! indifferent and does not count in the wish stages.

pub mod delegations;
pub mod donnees;
pub mod jointe;
pub mod modele;
pub mod verification;

pub use donnees::{Fixe, Groupe, Instance, Personne, Regles};
pub use modele::{Cle, Construit, Famille, Programme, Seuils, construire};
pub use verification::{Plan, Violation, profil, rangs, verify};

use crate::lp::{Critere, Direction, EchecSolveur, Statut, resoudre_good_lp};
use crate::model::RANG_SANS_VOEU;
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// Solve options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Backend.
    pub solveur: crate::lp::Solveur,
    /// Time limit of the whole lexicographic sequence, in seconds (each stage gets what is
    /// left, at least [`ETAPE_MIN`]).
    pub limite_temps: f64,
    /// Measure each optional rule's cost by solving again without it.
    pub couts: bool,
}

/// Least time a stage of the sequence gets, in seconds, even when the limit is spent: enough
/// for the solver to return the plan it starts from.
pub const ETAPE_MIN: f64 = 0.5;

impl Default for Options {
    fn default() -> Self {
        Options {
            solveur: crate::lp::Solveur::Microlp,
            limite_temps: 60.0,
            couts: true,
        }
    }
}

/// One solved stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Etape {
    /// What the stage optimised (French).
    pub nom: String,
    /// Its optimum.
    pub valeur: usize,
}

/// The lexicographic optimum.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The assignment.
    pub plan: Plan,
    /// The optimum of every stage, as kept for the next ones.
    pub seuils: Seuils,
    /// Every stage was proved optimal.
    pub prouve: bool,
    /// The stages, in order.
    pub etapes: Vec<Etape>,
}

/// Why no assignment.
#[derive(Debug, Clone, PartialEq)]
pub enum Echec {
    /// The rules cannot all hold: the families whose relaxation alone makes them hold, and
    /// how many seats there are against how many élu·es to place.
    Infaisable {
        /// Families each of whose relaxation alone restores feasibility.
        familles: Vec<Famille>,
        /// Élu·es to place.
        a_placer: usize,
        /// Fewest and most movable élu·es the groups can take, sizes alone.
        places: (usize, usize),
    },
    /// The solver failed (French message).
    Solveur(String),
}

/// Why an élu·e did not get a better-ranked group.
#[derive(Debug, Clone, PartialEq)]
pub enum Raison {
    /// Made no wish.
    SansVoeu,
    /// Got their first wish.
    PremierVoeu,
    /// The wished group `groupe` (rank `rang`) is forbidden to them by a rule.
    Interdit {
        /// Group index.
        groupe: usize,
        /// Rank of the wish.
        rang: u8,
        /// The rule.
        famille: Famille,
    },
    /// The wished group is full; `avant` lists its movable members who ranked it as high or
    /// higher (indices in [`Instance::personnes`]), `autres` counts the other members.
    Complet {
        /// Group index.
        groupe: usize,
        /// Rank of the wish.
        rang: u8,
        /// Movable members who ranked it as high or higher.
        avant: Vec<usize>,
        /// Other members (fixed, or who ranked it lower).
        autres: usize,
    },
    /// Moving there alone would break a rule.
    Regle {
        /// Group index.
        groupe: usize,
        /// Rank of the wish.
        rang: u8,
        /// The rule broken, and how (French).
        violation: Violation,
    },
    /// Allowed by the rules but not kept by the lexicographic optimum (only when a stage was not
    /// proved optimal).
    Arbitrage {
        /// Group index.
        groupe: usize,
        /// Rank of the wish.
        rang: u8,
    },
}

/// A pair who would both rather have the other's group.
#[derive(Debug, Clone, PartialEq)]
pub struct Envie {
    /// First élu·e (index in [`Instance::personnes`]).
    pub a: usize,
    /// Second élu·e.
    pub b: usize,
    /// The rule the swap would break (`None`: swapped).
    pub obstacle: Option<Violation>,
}

/// What a rule costs in wishes: the optimum without it.
#[derive(Debug, Clone, PartialEq)]
pub struct CoutRegle {
    /// The rule.
    pub famille: Famille,
    /// The alternative assignment, without the rule (`None`: still infeasible).
    pub alternative: Option<Plan>,
    /// Profile (count per rank) without the rule.
    pub profil: [usize; 6],
    /// Worst rank without the rule.
    pub pire: Option<u8>,
}

/// The result of `collegia affecter`.
#[derive(Debug, Clone, PartialEq)]
pub struct Resultat {
    /// The assignment (verified).
    pub plan: Plan,
    /// The lexicographic optimum it came from.
    pub solution: Solution,
    /// Envy pairs found, swapped or not.
    pub envies: Vec<Envie>,
    /// Per élu·e, why not better.
    pub raisons: Vec<Raison>,
    /// Per optional rule in force, its cost.
    pub couts: Vec<CoutRegle>,
    /// Wall-clock time.
    pub duree: Duration,
}

/// Solves, swaps envy pairs, explains and measures every rule.
pub fn affecter(inst: &Instance, o: &Options) -> Result<Resultat, Echec> {
    let debut = Instant::now();
    let solution = lexicographique(inst, o)?;
    let (plan, envies) = echanger(inst, &solution);
    let violations = verify(&plan, inst, &verification::regles_seules(&solution.seuils));
    if let Some(v) = violations.first() {
        return Err(Echec::Solveur(format!(
            "l'affectation enfreint une règle ({}) : {}",
            v.famille.libelle(),
            v.message
        )));
    }
    let raisons = (0..inst.personnes.len())
        .map(|p| raison(inst, &plan, &solution, p))
        .collect();
    let couts = if o.couts { couts(inst, o) } else { Vec::new() };
    Ok(Resultat {
        plan,
        solution,
        envies,
        raisons,
        couts,
        duree: debut.elapsed(),
    })
}

/// The lexicographic optimum: rules' optima, worst rank, counts per rank, fewest moves; each
/// stage's optimum becomes a constraint of the next. The plan is verified before it is returned.
///
/// `o.limite_temps` bounds the whole sequence: each stage gets what is left of it (at least
/// [`ETAPE_MIN`] seconds). A stage stopped by the limit before any plan ends the sequence: the
/// last stage's plan is kept (it meets every optimum kept so far) and the solution is « non
/// prouvé ».
pub fn lexicographique(inst: &Instance, o: &Options) -> Result<Solution, Echec> {
    let fin = Instant::now() + Duration::from_secs_f64(o.limite_temps.clamp(0.0, 1e9));
    let reste = || Options {
        limite_temps: fin
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
            .max(ETAPE_MIN),
        ..*o
    };
    let mut seuils = Seuils::aucun();
    let mut etapes = Vec::new();
    let c = construire(inst, &seuils);
    let (mut dernier, mut prouve) = match resoudre(&c, &[], false, &reste()) {
        Ok(r) => r,
        Err(EchecSolveur::Infaisable) => return Err(diagnostiquer(inst, o)),
        Err(e) => return Err(Echec::Solveur(e.raison())),
    };
    // `Ok(None)`: stopped by the time limit before a plan (the sequence ends there).
    let etape =
        |c: &Construit, obj: Vec<(usize, f64)>, max: bool| -> Result<Option<(Plan, bool)>, Echec> {
            match resoudre(c, &obj, max, &reste()) {
                Ok(r) => Ok(Some(r)),
                Err(EchecSolveur::LimiteTemps) => Ok(None),
                Err(e) => Err(Echec::Solveur(e.raison())),
            }
        };
    'etapes: {
        if inst.regles.parite {
            let c = construire(inst, &seuils);
            let obj = c.m.iter().flatten().map(|&v| (v, 1.0)).collect();
            let Some((p, ok)) = etape(&c, obj, true)? else {
                prouve = false;
                break 'etapes;
            };
            prouve &= ok;
            let n = verification::mixtes(&p, inst);
            seuils.mixtes = Some(n);
            dernier = p;
            etapes.push(Etape {
                nom: "groupes mixtes (parité)".into(),
                valeur: n,
            });
        }
        if inst.regles.composantes {
            let c = construire(inst, &seuils);
            let obj = c.y.iter().flatten().flatten().map(|&v| (v, 1.0)).collect();
            let Some((p, ok)) = etape(&c, obj, true)? else {
                prouve = false;
                break 'etapes;
            };
            prouve &= ok;
            let n = verification::presences(&p, inst);
            seuils.presences = Some(n);
            dernier = p;
            etapes.push(Etape {
                nom: "présences de composantes dans les groupes".into(),
                valeur: n,
            });
        }
        if inst.personnes.iter().any(|p| !p.voeux.is_empty()) {
            for k in 1..=RANG_SANS_VOEU {
                let essai = Seuils { pire: k, ..seuils };
                let c = construire(inst, &essai);
                match resoudre(&c, &[], false, &reste()) {
                    Ok((p, ok)) => {
                        prouve &= ok;
                        seuils.pire = k;
                        dernier = p;
                        break;
                    }
                    Err(EchecSolveur::Infaisable) => {}
                    // Not proved impossible, only not found in time: the sequence ends here.
                    Err(EchecSolveur::LimiteTemps) => {
                        prouve = false;
                        break 'etapes;
                    }
                    Err(e) => return Err(Echec::Solveur(e.raison())),
                }
            }
            etapes.push(Etape {
                nom: "pire rang obtenu".into(),
                valeur: usize::from(seuils.pire),
            });
            // Counts at ranks below the worst decide the count at the worst rank.
            for r in 1..seuils.pire {
                let c = construire(inst, &seuils);
                let obj = modele::termes_rang(inst, &c.x, r);
                let Some((p, ok)) = etape(&c, obj, true)? else {
                    prouve = false;
                    break 'etapes;
                };
                prouve &= ok;
                let n = profil(&p, inst)[usize::from(r) - 1];
                seuils.par_rang[usize::from(r) - 1] = Some(n);
                dernier = p;
                etapes.push(Etape {
                    nom: format!("élu·es au rang {r}"),
                    valeur: n,
                });
            }
        }
        let c = construire(inst, &seuils);
        let obj = modele::deplacements(inst, &c.x);
        let Some((p, ok)) = etape(&c, obj, false)? else {
            prouve = false;
            break 'etapes;
        };
        prouve &= ok;
        dernier = p;
    }
    let plan = dernier;
    etapes.push(Etape {
        nom: "élu·es qui changent de groupe".into(),
        valeur: verification::deplaces(&plan, inst),
    });
    if let Some(v) = verify(&plan, inst, &seuils).first() {
        return Err(Echec::Solveur(format!(
            "le plan rendu par le solveur enfreint une règle ({}) : {}",
            v.famille.libelle(),
            v.message
        )));
    }
    Ok(Solution {
        plan,
        seuils,
        prouve,
        etapes,
    })
}

/// The pairs who would both rather have the other's group; each is swapped when the swap
/// breaks no rule (sizes do not change; parity, components and the quartier rule are checked),
/// until no swappable pair remains (each swap lowers the sum of ranks, so this ends). On a proved
/// lexicographic optimum no pair is swappable: a swap would raise the count at some rank without
/// lowering any better one.
pub fn echanger(inst: &Instance, solution: &Solution) -> (Plan, Vec<Envie>) {
    let regles = verification::regles_seules(&solution.seuils);
    let mut plan = solution.plan.clone();
    let mut envies = Vec::new();
    loop {
        let mut echange = None;
        'paires: for a in 0..plan.len() {
            for b in a + 1..plan.len() {
                if !envieux(inst, &plan, a, b) {
                    continue;
                }
                let mut essai = plan.clone();
                essai.swap(a, b);
                if verify(&essai, inst, &regles).is_empty() {
                    echange = Some((a, b, essai));
                    break 'paires;
                }
            }
        }
        match echange {
            Some((a, b, essai)) => {
                plan = essai;
                envies.push(Envie {
                    a,
                    b,
                    obstacle: None,
                });
            }
            None => break,
        }
    }
    for a in 0..plan.len() {
        for b in a + 1..plan.len() {
            if envieux(inst, &plan, a, b) {
                let mut essai = plan.clone();
                essai.swap(a, b);
                let obstacle = verify(&essai, inst, &regles).into_iter().next();
                envies.push(Envie { a, b, obstacle });
            }
        }
    }
    (plan, envies)
}

/// `a` prefers `b`'s group and `b` prefers `a`'s.
fn envieux(inst: &Instance, plan: &Plan, a: usize, b: usize) -> bool {
    let (ga, gb) = (plan[a], plan[b]);
    if ga == gb {
        return false;
    }
    match (
        inst.rang(a, ga),
        inst.rang(a, gb),
        inst.rang(b, gb),
        inst.rang(b, ga),
    ) {
        (Some(aa), Some(ab), Some(bb), Some(ba)) => ab < aa && ba < bb,
        _ => false,
    }
}

/// Why élu·e `p` did not get a better-ranked group: the reason for their best wish above the
/// rank they got.
pub fn raison(inst: &Instance, plan: &Plan, solution: &Solution, p: usize) -> Raison {
    let g = plan[p];
    let Some(r) = inst.rang(p, g) else {
        return Raison::SansVoeu;
    };
    if r == 1 {
        return Raison::PremierVoeu;
    }
    let regles = verification::regles_seules(&solution.seuils);
    let tailles = verification::tailles(plan, inst);
    // The first wish better than the rank obtained (the voeux are sorted by rank).
    let Some(&(h, rh)) = inst.personnes[p].voeux.iter().find(|&&(_, rh)| rh < r) else {
        return Raison::PremierVoeu;
    };
    if !inst.permis(p, h) {
        return Raison::Interdit {
            groupe: h,
            rang: rh,
            famille: Famille::AdjointQuartier,
        };
    }
    if tailles[h] >= inst.regles.taille_max as usize {
        let membres: Vec<usize> = (0..plan.len()).filter(|&q| plan[q] == h).collect();
        let avant: Vec<usize> = membres
            .iter()
            .copied()
            .filter(|&q| inst.rang(q, h).is_some_and(|x| x <= rh))
            .collect();
        return Raison::Complet {
            groupe: h,
            rang: rh,
            autres: tailles[h] - avant.len(),
            avant,
        };
    }
    let mut essai = plan.clone();
    essai[p] = h;
    match verify(&essai, inst, &regles).into_iter().next() {
        Some(violation) => Raison::Regle {
            groupe: h,
            rang: rh,
            violation,
        },
        None => Raison::Arbitrage {
            groupe: h,
            rang: rh,
        },
    }
}

/// The optional rules in force, and the quartier rule when an adjoint·e de quartier wished for
/// a group they are not linked to.
pub fn regles_actives(inst: &Instance) -> Vec<Famille> {
    let mut f = Vec::new();
    let quartier_gene = inst
        .personnes
        .iter()
        .enumerate()
        .any(|(i, p)| p.voeux.iter().any(|&(g, _)| !inst.permis(i, g)));
    if inst.regles.quartier && quartier_gene {
        f.push(Famille::AdjointQuartier);
    }
    if inst.regles.parite {
        f.push(Famille::Parite);
    }
    if inst.regles.composantes {
        f.push(Famille::Composantes);
    }
    if inst.regles.max_groupes_par_composante.is_some() {
        f.push(Famille::MaxGroupesComposante);
    }
    f
}

/// The instance without one rule family.
pub fn sans(inst: &Instance, f: Famille) -> Instance {
    let mut i = inst.clone();
    match f {
        Famille::AdjointQuartier => i.regles.quartier = false,
        Famille::Parite => i.regles.parite = false,
        Famille::Composantes => i.regles.composantes = false,
        Famille::MaxGroupesComposante => i.regles.max_groupes_par_composante = None,
        Famille::TailleMin => i.regles.taille_min = 0,
        Famille::TailleMax => i.regles.taille_max = u32::MAX / 2,
        Famille::MembreUnique | Famille::Voeux => {}
    }
    i
}

/// Each active rule's cost: the lexicographic optimum solved again without it.
pub fn couts(inst: &Instance, o: &Options) -> Vec<CoutRegle> {
    regles_actives(inst)
        .into_iter()
        .map(|f| {
            let i = sans(inst, f);
            match lexicographique(&i, o) {
                Ok(s) => CoutRegle {
                    famille: f,
                    profil: profil(&s.plan, &i),
                    pire: verification::pire(&s.plan, &i),
                    alternative: Some(s.plan),
                },
                Err(_) => CoutRegle {
                    famille: f,
                    alternative: None,
                    profil: [0; 6],
                    pire: None,
                },
            }
        })
        .collect()
}

/// The instance with the default sizes that cannot hold lifted, group by group (the
/// precedence of `optimise::regles`, rank 6): when the movable élu·es cannot fill every group to
/// `taille_min` (a préfecture with more adjoint·es than conseiller·es délégué·es) or fit in
/// `taille_max`, and `[groupes]` does not declare that size, the fewest groups yield, those
/// already short (or over) today first, and [`Regles::tailles_levees`] says which. A declared
/// size never yields; an instance already feasible, or infeasible for another reason, comes back
/// unchanged (the diagnosis then names the rules).
pub fn lever_tailles(inst: &Instance, o: &Options) -> Instance {
    let (min_declaree, max_declaree) = inst.regles.tailles_declarees;
    if min_declaree && max_declaree {
        return inst.clone();
    }
    let essai = |levees: &BTreeSet<(Famille, usize)>| {
        let mut i = inst.clone();
        i.regles.tailles_levees = levees.iter().copied().collect();
        resoudre(&construire(&i, &Seuils::aucun()), &[], false, o).is_ok()
    };
    if essai(&BTreeSet::new()) {
        return inst.clone();
    }
    let taille = |g: usize| {
        inst.groupes[g].fixes.len()
            + inst
                .personnes
                .iter()
                .filter(|p| p.actuel == Some(g))
                .count()
    };
    let r = &inst.regles;
    let mut cles: Vec<(bool, usize, (Famille, usize))> = Vec::new();
    for g in 0..inst.groupes.len() {
        if !min_declaree {
            cles.push((
                taille(g) < r.taille_min as usize,
                g,
                (Famille::TailleMin, g),
            ));
        }
        if !max_declaree {
            cles.push((
                taille(g) > r.taille_max as usize,
                g,
                (Famille::TailleMax, g),
            ));
        }
    }
    // Met today first, then data order: the groups short today are the ones left short.
    cles.sort_by_key(|&(court, g, _)| (court, g));
    let cles: Vec<(Famille, usize)> = cles.into_iter().map(|(_, _, c)| c).collect();
    let mut exclues: BTreeSet<(Famille, usize)> = cles.iter().copied().collect();
    if !essai(&exclues) {
        return inst.clone();
    }
    let mut levees = crate::lp::garder_par_moities(&cles, &mut exclues, &mut |ex| essai(ex));
    levees.sort();
    let mut i = inst.clone();
    i.regles.tailles_levees = levees;
    i
}

/// Diagnoses an infeasible instance: which rule family, relaxed alone, makes it feasible.
pub fn diagnostiquer(inst: &Instance, o: &Options) -> Echec {
    let relaxables = [
        Famille::TailleMin,
        Famille::TailleMax,
        Famille::AdjointQuartier,
        Famille::MaxGroupesComposante,
    ];
    // Families alone only (no pairs, no time budget): the LP layer's one family relaxation.
    let familles =
        crate::lp::relaxer_familles(&relaxables, false, Instant::now(), Duration::MAX, |fs| {
            let i = fs.iter().fold(inst.clone(), |i, &f| sans(&i, f));
            Some(i != *inst && resoudre(&construire(&i, &Seuils::aucun()), &[], false, o).is_ok())
        })
        .familles;
    let r = &inst.regles;
    let places = inst.groupes.iter().fold((0usize, 0usize), |(a, b), g| {
        let f = g.fixes.len();
        (
            a + (r.taille_min as usize).saturating_sub(f),
            b + (r.taille_max as usize).saturating_sub(f),
        )
    });
    Echec::Infaisable {
        familles,
        a_placer: inst.personnes.len(),
        places,
    }
}

/// Solves one stage through the LP layer's good_lp path: the plan read from `x`, and whether
/// optimality was proved.
fn resoudre(
    c: &Construit,
    objectif: &[(usize, f64)],
    maximiser: bool,
    o: &Options,
) -> Result<(Plan, bool), EchecSolveur> {
    let mut probleme = c.programme.clone();
    probleme.criteres = vec![Critere::new("etape", 1.0, objectif.to_vec(), 0.0)];
    let direction = if maximiser {
        Direction::Maximiser
    } else {
        Direction::Minimiser
    };
    let options = crate::lp::Options {
        solveur: o.solveur,
        limite_temps: o.limite_temps,
        ..crate::lp::Options::default()
    };
    let s = resoudre_good_lp(&probleme, direction, &options)?;
    let plan =
        c.x.iter()
            .map(|xp| {
                xp.iter()
                    .enumerate()
                    .filter_map(|(g, v)| v.map(|v| (g, s.valeurs[v])))
                    .find(|&(_, val)| val > 0.5)
                    .map_or(usize::MAX, |(g, _)| g)
            })
            .collect();
    Ok((plan, s.statut == Statut::Optimal))
}

#[cfg(test)]
mod tests;
