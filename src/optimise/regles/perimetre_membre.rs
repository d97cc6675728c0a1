//! `PerimetreMembre`: a member's pilote perimeter lies inside their group's, or (with
//! `[groupes] retrait_appui`, the default) their délégation there becomes an appui — the fix the
//! analyser suggests for a double rattachement (D001).

use super::{Permis, gid, ligne};
use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::{Conflit, Exclusions, ModeleGroupes};
use crate::optimise::modele::{Cle, Sens};
use crate::optimise::verification::{Plan, Violation};

/// Without retraits, the groups unit `u` must have because a member of known group pilots inside
/// it, each with its rule and the rules that made the member's group known. With retraits the
/// perimeter is a row ([`construire`]), not a fixing.
pub(crate) fn imposer(
    d: &Donnees,
    ex: &Exclusions,
    u: usize,
    membres: &[Permis],
) -> Vec<(usize, Cle, Vec<Cle>)> {
    let mut out = Vec::new();
    if d.params.retrait_appui {
        return out;
    }
    for (i, m) in d.membres.iter().enumerate() {
        if let ([g], true) = (&membres[i].groupes[..], m.perimetre.contains(&u)) {
            let g = *g;
            let cle = Cle::PerimetreMembre {
                elu: m.id.clone(),
                unite: d.unites[u].id.clone(),
                groupe: gid(d, g),
            };
            if ex.actif(&cle) {
                out.push((g, cle, membres[i].fixe_par.clone()));
            }
        }
    }
    out
}

/// `PerimetreMembre(e,u,g)`: `z[e,g] − x[u,g] − r[e,u] ≤ 0` for every unit `u` the member pilots
/// and every group `g` the member may join (without `x` when `g` may not lead `u`, without `r`
/// when retraits are not allowed). Without retraits, members whose group is known were handled
/// as fixings ([`imposer`]).
///
/// With retraits, also `RetraitHorsGroupe(e,u,g)`: `x[u,g] − z[e,g] − r[e,u] ≤ 0` for every group
/// `g` that may lead `u` (without `z` when `e` may not join `g`). Together the two give
/// `r[e,u] ≥ |z[e,g] − x[u,g]|`. The first alone lets the LP relaxation spread a member over
/// every group at `1/|G|` each and pay `1/|G|` of a retrait. Measured on `paris` split seed 1
/// `--regrouper` (README, « Performance »): 107 rows more, the root LP bound rises from 691,77 to
/// 714,38 (optimum 714,65), and microlp proves the optimum in 0,14 s where it stopped at 60 s
/// with a 10 % gap.
pub(crate) fn construire(
    d: &Donnees,
    ex: &Exclusions,
    dm: &[Permis],
    mg: &mut ModeleGroupes,
) -> Result<(), Conflit> {
    for (e, m) in d.membres.iter().enumerate() {
        if dm[e].groupes.len() == 1 && !d.params.retrait_appui {
            continue;
        }
        for (k, &u) in m.perimetre.iter().enumerate() {
            for &g in &dm[e].groupes {
                let cle = Cle::PerimetreMembre {
                    elu: m.id.clone(),
                    unite: d.unites[u].id.clone(),
                    groupe: gid(d, g),
                };
                if !ex.actif(&cle) {
                    continue;
                }
                let Some(z) = mg.z[e][g] else { continue };
                let mut termes = vec![(z, 1.0)];
                if let Some(x) = mg.x[u][g] {
                    termes.push((x, -1.0));
                }
                if let Some(r) = mg.r[e][k] {
                    termes.push((r, -1.0));
                }
                ligne(mg, cle, termes, Sens::Le, 0.0)?;
            }
            let Some(r) = mg.r[e][k] else { continue };
            for g in 0..d.groupes.len() {
                let Some(x) = mg.x[u][g] else { continue };
                let cle = Cle::RetraitHorsGroupe {
                    elu: m.id.clone(),
                    unite: d.unites[u].id.clone(),
                    groupe: gid(d, g),
                };
                if !ex.actif(&cle) {
                    continue;
                }
                let mut termes = vec![(x, 1.0), (r, -1.0)];
                if let Some(z) = mg.z[e][g] {
                    termes.push((z, -1.0));
                }
                ligne(mg, cle, termes, Sens::Le, 0.0)?;
            }
        }
    }
    Ok(())
}

/// Member `e`, in group `g` in the plan: every unit they pilot inside is led by `g`, or their
/// délégation there is an allowed retrait.
pub(crate) fn verifier_membre(
    plan: &Plan,
    d: &Donnees,
    e: usize,
    g: usize,
    v: &mut Vec<Violation>,
) {
    let m = &d.membres[e];
    for &u in &m.perimetre {
        let retrait = d.params.retrait_appui && plan.retraits.contains(&(e, u));
        if plan.unites[u] != Some(g) && !retrait {
            v.push(Violation {
                cle: Cle::PerimetreMembre {
                    elu: m.id.clone(),
                    unite: d.unites[u].id.clone(),
                    groupe: gid(d, g),
                },
                message: format!(
                    "{} (groupe {}) pilote dans {}, pilotée par un autre groupe",
                    m.id,
                    gid(d, g),
                    d.unites[u].id
                ),
            });
        }
    }
}

/// Every retrait of the plan is allowed (`retrait_appui`) and concerns a unit the member pilots
/// inside.
pub(crate) fn verifier_retraits(plan: &Plan, d: &Donnees, v: &mut Vec<Violation>) {
    for &(e, u) in &plan.retraits {
        let valide =
            d.params.retrait_appui && d.membres.get(e).is_some_and(|m| m.perimetre.contains(&u));
        if !valide {
            let (elu, unite) = (
                d.membres.get(e).map(|m| m.id.clone()).unwrap_or_default(),
                d.unites.get(u).map(|x| x.id.clone()).unwrap_or_default(),
            );
            v.push(Violation {
                cle: Cle::PerimetreMembre {
                    elu: elu.clone(),
                    unite: unite.clone(),
                    groupe: String::new(),
                },
                message: if d.params.retrait_appui {
                    format!("{elu} ne pilote rien dans {unite} : pas de délégation à passer en appui")
                } else {
                    format!("{elu} passe en appui dans {unite} alors que [groupes] retrait_appui = false")
                },
            });
        }
    }
}
