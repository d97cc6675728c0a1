//! The precedence of the grouping rules: derived rules never contradict.
//!
//! collegia derives four rules from the input, on top of what the user declared. When two cannot
//! hold together on an input, the lower one yields on that unit (or that group, that élu·e), and
//! the result names it ([`RegleLevee`]: the rule lifted and the rules that win). The order,
//! strongest first:
//!
//! 1. what the user declared: `verrous.csv`, the keys written in `scenario.toml`
//!    (`taille_min`, `taille_max`, `retrait_appui = false`…), the groups of `elus.csv`;
//! 2. the **cœur**: a unit its group's adjoint·e pilots stays with the group (unless
//!    `--liberer-coeurs` or `coeurs_liberes` frees it);
//! 3. the **quartier link**: an adjoint·e de quartier keeps a délégation in a unit their group
//!    leads (no new D010); with `--regrouper`, a mobile adjoint·e de quartier joins only a group
//!    they stay linked to (their `AdjointQuartier` domain and per-group `LienQuartier` rows, one
//!    rule per élu·e: it yields whole, and the élu·e is then free, as one linked to nobody);
//! 4. a **transversal group gains no unit**;
//! 5. **every thematic group leads a unit**;
//! 6. with `--regrouper`, the **default group sizes** (`taille_min` 2, `taille_max` 4, when
//!    `[groupes]` does not write them): a real préfecture may have more adjoint·es than
//!    conseiller·es délégué·es to pair them with, and a plan with a few adjoint·es alone, named,
//!    beats no plan. The groups that meet the size in the input keep it first, so the groups left
//!    short are those already short (the fewest changes). A size written in `[groupes]` is
//!    declared and never yields.
//!
//! Two passes. [`lever_conflits`] runs when the data is built, without a solver: a lock (or,
//! with `retrait_appui = false`, a member's perimeter) against a cœur or a transversal group, a
//! quartier link whose every unit is held by a stronger rule, and the groups that cannot each
//! lead a unit of their own (a maximum matching of thematic groups to the units they may lead:
//! a group left unmatched yields, its reason the units it could have led and what holds each).
//! [`concilier`] is the safety net the optimiser calls when a model is still infeasible: it adds
//! the derived rules one family at a time, strongest first, to the rules the user declared, and
//! lifts (by bisection) exactly the rules that cannot join. So `optimiser` returns a plan for
//! every scenario `verifier` accepts, and exit 2 only comes from what the user declared.
//!
//! Worked example (generated `petite`, seed 3): every unit is in the cœur of G01, G02 or G03,
//! and G04's adjoint·e pilots nothing. « G04 pilote au moins une unité » (rank 5) yields to the
//! six cœurs (rank 2): the plan keeps every cœur, G04 leads no unit, and the summary says
//! « règle levée : le groupe G04 pilote au moins une unité, parce que … ».

use crate::optimise::donnees::Donnees;
use crate::optimise::modele::Cle;
use crate::optimise::{Exclusions, Options, construire, resoudre};
use std::collections::BTreeSet;

/// A derived rule lifted on this input, and the stronger rules that made it yield.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegleLevee {
    /// The rule lifted (a [`Cle::Coeur`], [`Cle::LienQuartier`], [`Cle::AxeTransversal`] or
    /// [`Cle::UneUniteParGroupe`]).
    pub regle: Cle,
    /// The stronger rules (or, for a group, what holds each unit it could have led) that win.
    /// Empty when the solver found the conflict and no single rule can be named.
    pub causes: Vec<Cle>,
}

/// Rank of a derived rule in the precedence (lower is stronger); `None` for a rule the user
/// declared or the model's own structure, which never yields.
pub fn rang(cle: &Cle) -> Option<u8> {
    match cle {
        Cle::Coeur { .. } => Some(2),
        Cle::LienQuartier { .. } | Cle::AdjointQuartier { .. } => Some(3),
        Cle::AxeTransversal { .. } => Some(4),
        Cle::UneUniteParGroupe { .. } => Some(5),
        Cle::TailleMin { .. } | Cle::TailleMax { .. } => Some(6),
        _ => None,
    }
}

/// The groups a unit is bound to by a rule the user declared: its locks and, when
/// `retrait_appui = false`, the perimeters of members whose group is known.
fn fixations(d: &Donnees, u: usize) -> Vec<(usize, Cle)> {
    let mut v: Vec<(usize, Cle)> = d
        .verrous_unites
        .iter()
        .filter(|l| l.unite == u)
        .map(|l| {
            (
                l.groupe,
                Cle::VerrouUnite {
                    ligne: l.ligne,
                    unite: d.unites[u].id.clone(),
                    groupe: d.groupes[l.groupe].id.clone(),
                },
            )
        })
        .collect();
    if !d.params.retrait_appui {
        for (e, m) in d.membres.iter().enumerate() {
            if !m.perimetre.contains(&u) {
                continue;
            }
            let verrou = d.verrous_membres.iter().find(|l| l.membre == e);
            let g = match (verrou, m.mobile) {
                (Some(l), _) => Some(l.groupe),
                (None, false) => m.actuel,
                (None, true) => None,
            };
            if let Some(g) = g {
                v.push((
                    g,
                    Cle::PerimetreMembre {
                        elu: m.id.clone(),
                        unite: d.unites[u].id.clone(),
                        groupe: d.groupes[g].id.clone(),
                    },
                ));
            }
        }
    }
    v
}

/// The rule that binds unit `u` to one group before solving (declared first, then its cœur).
fn lien_fort(d: &Donnees, u: usize) -> Option<(usize, Cle)> {
    fixations(d, u).into_iter().next().or_else(|| {
        d.unites[u].coeur.map(|g| {
            (
                g,
                Cle::Coeur {
                    unite: d.unites[u].id.clone(),
                    groupe: d.groupes[g].id.clone(),
                },
            )
        })
    })
}

fn lever(d: &mut Donnees, regle: Cle, causes: Vec<Cle>) {
    if d.en_vigueur(&regle) {
        d.levees.push(RegleLevee { regle, causes });
    }
}

/// Lifts, without a solver, the derived rules a stronger rule contradicts on this input (module
/// docs). Deterministic: units, members and groups in data order.
pub fn lever_conflits(d: &mut Donnees) {
    // 1 > 2 and 1 > 4: a unit bound by a declared rule leaves another group's cœur, and may go
    // to a transversal group that does not lead it today.
    for u in 0..d.unites.len() {
        let fixe = fixations(d, u);
        if let Some(c) = d.unites[u].coeur {
            let contre: Vec<Cle> = fixe
                .iter()
                .filter(|(g, _)| *g != c)
                .map(|(_, k)| k.clone())
                .collect();
            if !contre.is_empty() {
                let regle = Cle::Coeur {
                    unite: d.unites[u].id.clone(),
                    groupe: d.groupes[c].id.clone(),
                };
                d.unites[u].coeur = None;
                lever(d, regle, contre);
            }
        }
        for (g, k) in fixe {
            if !d.transversal_permis(u, g) {
                let regle = Cle::AxeTransversal {
                    unite: d.unites[u].id.clone(),
                    groupe: d.groupes[g].id.clone(),
                };
                d.unites[u].transversaux_permis.push(g);
                lever(d, regle, vec![k]);
            }
        }
    }
    // 1, 2 > 3: a quartier link whose every unit is bound to another group yields.
    for e in 0..d.membres.len() {
        let Some(g) = d.membres[e].actuel.filter(|_| !d.membres[e].mobile) else {
            continue;
        };
        if d.membres[e].lien_quartier.is_empty() {
            continue;
        }
        let liens: Vec<Option<(usize, Cle)>> = d.membres[e]
            .lien_quartier
            .iter()
            .map(|&u| lien_fort(d, u))
            .collect();
        if liens
            .iter()
            .all(|l| l.as_ref().is_some_and(|(h, _)| *h != g))
        {
            let regle = Cle::LienQuartier {
                elu: d.membres[e].id.clone(),
                groupe: d.groupes[g].id.clone(),
            };
            let causes = liens.into_iter().flatten().map(|(_, k)| k).collect();
            d.membres[e].lien_quartier.clear();
            lever(d, regle, causes);
        }
    }
    // 1, 2 > 3 for a mobile adjoint·e de quartier: no group they may join (their lock's, else
    // any) keeps a linking unit free of a stronger rule, and staying unlinked in their group is
    // not open to them either: their quartier rule yields whole.
    for e in 0..d.membres.len() {
        let m = &d.membres[e];
        let (Some(liens), true) = (&m.liens_quartier, m.mobile) else {
            continue;
        };
        let verrou = d.verrous_membres.iter().find(|l| l.membre == e);
        let candidats: Vec<usize> = match verrou {
            Some(l) => vec![l.groupe],
            None => (0..d.groupes.len()).collect(),
        };
        let ouvert = |g: usize| {
            (liens[g].is_empty() && Some(g) == m.actuel)
                || liens[g].iter().any(|&u| {
                    d.transversal_permis(u, g) && lien_fort(d, u).is_none_or(|(h, _)| h == g)
                })
        };
        if candidats.iter().any(|&g| ouvert(g)) {
            continue;
        }
        let mut causes: BTreeSet<Cle> = liens
            .iter()
            .flatten()
            .filter_map(|&u| lien_fort(d, u).map(|(_, k)| k))
            .collect();
        if let Some(l) = verrou {
            causes.insert(Cle::VerrouElu {
                ligne: l.ligne,
                elu: m.id.clone(),
                groupe: d.groupes[l.groupe].id.clone(),
            });
        }
        let regle = Cle::AdjointQuartier { elu: m.id.clone() };
        d.membres[e].liens_quartier = None;
        lever(d, regle, causes.into_iter().collect());
    }
    // Everything above > 5: thematic groups that cannot each lead a unit of their own.
    let groupes: Vec<usize> = (0..d.groupes.len())
        .filter(|&g| !d.groupes[g].transversal)
        .collect();
    let permis: Vec<Vec<usize>> = (0..d.unites.len())
        .map(|u| match lien_fort(d, u) {
            Some((g, _)) => vec![g],
            None => (0..d.groupes.len())
                .filter(|&g| d.transversal_permis(u, g))
                .collect(),
        })
        .collect();
    let mut pris: Vec<Option<usize>> = vec![None; d.unites.len()];
    let mut sans = Vec::new();
    for &g in &groupes {
        let mut vus = vec![false; d.unites.len()];
        if !augmenter(g, &permis, &mut pris, &mut vus) {
            sans.push(g);
        }
    }
    for g in sans {
        let regle = Cle::UneUniteParGroupe {
            groupe: d.groupes[g].id.clone(),
        };
        let causes = (0..d.unites.len())
            .filter(|&u| d.transversal_permis(u, g))
            .filter_map(|u| match lien_fort(d, u) {
                Some((h, k)) if h != g => Some(k),
                Some(_) => None,
                None => pris[u].map(|h| Cle::UneUniteParGroupe {
                    groupe: d.groupes[h].id.clone(),
                }),
            })
            .collect::<BTreeSet<Cle>>()
            .into_iter()
            .collect();
        lever(d, regle, causes);
    }
}

/// One augmenting path of Kuhn's matching: gives group `g` a unit it may lead, moving other
/// groups to other units when they can.
fn augmenter(
    g: usize,
    permis: &[Vec<usize>],
    pris: &mut [Option<usize>],
    vus: &mut [bool],
) -> bool {
    for u in 0..permis.len() {
        if vus[u] || !permis[u].contains(&g) {
            continue;
        }
        vus[u] = true;
        match pris[u] {
            None => {
                pris[u] = Some(g);
                return true;
            }
            Some(h) => {
                if augmenter(h, permis, pris, vus) {
                    pris[u] = Some(g);
                    return true;
                }
            }
        }
    }
    false
}

/// The derived rules in force, strongest family first, in data order.
fn derivees(d: &Donnees) -> Vec<Vec<Cle>> {
    let gid = |g: usize| d.groupes[g].id.clone();
    let coeurs = d
        .unites
        .iter()
        .filter_map(|u| {
            u.coeur.map(|g| Cle::Coeur {
                unite: u.id.clone(),
                groupe: gid(g),
            })
        })
        .collect();
    let mut quartiers: Vec<Cle> = d
        .membres
        .iter()
        .filter(|m| !m.lien_quartier.is_empty())
        .filter_map(|m| {
            m.actuel.map(|g| Cle::LienQuartier {
                elu: m.id.clone(),
                groupe: gid(g),
            })
        })
        .collect();
    // A mobile adjoint·e de quartier's rule is one rule: its domain key stands for it
    // ([`exclusions`] adds their per-group link rows).
    quartiers.extend(
        d.membres
            .iter()
            .filter(|m| m.mobile && m.liens_quartier.is_some())
            .map(|m| Cle::AdjointQuartier { elu: m.id.clone() }),
    );
    let mut transversaux = Vec::new();
    for (u, un) in d.unites.iter().enumerate() {
        for g in 0..d.groupes.len() {
            if !d.transversal_permis(u, g) {
                transversaux.push(Cle::AxeTransversal {
                    unite: un.id.clone(),
                    groupe: gid(g),
                });
            }
        }
    }
    let groupes = d
        .groupes
        .iter()
        .filter(|g| !g.transversal)
        .map(|g| Cle::UneUniteParGroupe {
            groupe: g.id.clone(),
        })
        .filter(|c| d.en_vigueur(c))
        .collect();
    vec![coeurs, quartiers, transversaux, groupes, tailles(d)]
}

/// The default sizes as derived rules (rank 6), only with `--regrouper` and only those
/// `[groupes]` does not declare: each group's `TailleMin` and `TailleMax`, those the group
/// already meets in the input first, so that [`crate::lp::garder_par_moities`] (which keeps the
/// earlier rules of a family when not all can hold) leaves short the groups that are short today.
fn tailles(d: &Donnees) -> Vec<Cle> {
    if !d.regrouper {
        return Vec::new();
    }
    let p = &d.params;
    let taille = |g: usize| 1 + d.membres.iter().filter(|m| m.actuel == Some(g)).count();
    let mut v: Vec<(bool, usize, Cle)> = Vec::new();
    for (g, gr) in d.groupes.iter().enumerate() {
        let t = taille(g);
        if !p.taille_min_declaree {
            let c = Cle::TailleMin {
                groupe: gr.id.clone(),
            };
            v.push((t < p.taille_min as usize, g, c));
        }
        if !p.taille_max_declaree {
            let c = Cle::TailleMax {
                groupe: gr.id.clone(),
            };
            v.push((t > p.taille_max as usize, g, c));
        }
    }
    // Stable: met today first, then data order.
    v.sort_by_key(|(court, g, _)| (*court, *g));
    v.into_iter()
        .map(|(_, _, c)| c)
        .filter(|c| d.en_vigueur(c))
        .collect()
}

/// Feasibility with some rules left out: `true` only when the solver finds a plan (an unknown
/// answer counts as a conflict, so that the rule yields and a plan exists).
fn faisable(d: &Donnees, exclues: &BTreeSet<Cle>, o: &Options) -> bool {
    let ex = Exclusions {
        familles: BTreeSet::new(),
        cles: exclusions(d, exclues),
    };
    match construire(d, &ex, false) {
        Ok(mg) => resoudre(&mg.modele, None, o, false).is_ok(),
        Err(_) => false,
    }
}

/// The rows and fixings a set of left-out rules stands for: a mobile adjoint·e de quartier's
/// rule (`AdjointQuartier`) is their domain and every per-group `LienQuartier` row.
fn exclusions(d: &Donnees, exclues: &BTreeSet<Cle>) -> BTreeSet<Cle> {
    let mut out = exclues.clone();
    for c in exclues {
        if let Cle::AdjointQuartier { elu } = c {
            out.extend(d.groupes.iter().map(|g| Cle::LienQuartier {
                elu: elu.clone(),
                groupe: g.id.clone(),
            }));
        }
    }
    out
}

/// The rules that bind what a lifted rule needed, read from the data (the likely winners).
fn causes(d: &Donnees, regle: &Cle) -> Vec<Cle> {
    let unite = |id: &str| d.unites.iter().position(|u| u.id == id);
    let groupe = |id: &str| d.groupe(id);
    let mut v: Vec<Cle> = match regle {
        Cle::Coeur { unite: u, .. } | Cle::AxeTransversal { unite: u, .. } => unite(u)
            .map(|u| fixations(d, u).into_iter().map(|(_, k)| k).collect())
            .unwrap_or_default(),
        Cle::LienQuartier { elu, groupe: g } => {
            let g = groupe(g);
            d.membres
                .iter()
                .filter(|m| &m.id == elu)
                .flat_map(|m| m.lien_quartier.iter())
                .filter_map(|&u| lien_fort(d, u))
                .filter(|(h, _)| Some(*h) != g)
                .map(|(_, k)| k)
                .collect()
        }
        Cle::AdjointQuartier { elu } => d
            .membres
            .iter()
            .filter(|m| &m.id == elu)
            .flat_map(|m| m.liens_quartier.iter().flatten().flatten())
            .filter_map(|&u| lien_fort(d, u).map(|(_, k)| k))
            .collect(),
        Cle::UneUniteParGroupe { groupe: g } => match groupe(g) {
            Some(g) => (0..d.unites.len())
                .filter(|&u| d.transversal_permis(u, g))
                .filter_map(|u| lien_fort(d, u))
                .filter(|(h, _)| *h != g)
                .map(|(_, k)| k)
                .collect(),
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    v.sort();
    v.dedup();
    v
}

/// The safety net: `d` with the derived rules that cannot join the declared ones lifted, added
/// one family at a time, strongest first (module docs). `None` when the declared rules alone
/// conflict (or nothing derived needs to yield): the caller's diagnosis names them, and that is
/// the only exit 2.
pub fn concilier(d: &Donnees, o: &Options) -> Option<Donnees> {
    let familles = derivees(d);
    let mut exclues: BTreeSet<Cle> = familles.iter().flatten().cloned().collect();
    if !faisable(d, &exclues, o) {
        return None;
    }
    let mut levees = Vec::new();
    for f in &familles {
        levees.extend(crate::lp::garder_par_moities(f, &mut exclues, &mut |ex| {
            faisable(d, ex, o)
        }));
    }
    let mut out = d.clone();
    for regle in levees {
        let causes = causes(d, &regle);
        match &regle {
            Cle::Coeur { unite, .. } => {
                if let Some(u) = out.unites.iter_mut().find(|u| &u.id == unite) {
                    u.coeur = None;
                }
            }
            Cle::LienQuartier { elu, .. } => {
                if let Some(m) = out.membres.iter_mut().find(|m| &m.id == elu) {
                    m.lien_quartier.clear();
                }
            }
            Cle::AdjointQuartier { elu } => {
                if let Some(m) = out.membres.iter_mut().find(|m| &m.id == elu) {
                    m.liens_quartier = None;
                }
            }
            Cle::AxeTransversal { unite, groupe } => {
                if let (Some(u), Some(g)) = (
                    out.unites.iter().position(|u| &u.id == unite),
                    out.groupe(groupe),
                ) {
                    out.unites[u].transversaux_permis.push(g);
                }
            }
            _ => {}
        }
        lever(&mut out, regle, causes);
    }
    (out.levees.len() > d.levees.len()).then_some(out)
}
