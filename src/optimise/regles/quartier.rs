//! `AdjointQuartier`: an adjoint·e de quartier stays linked to a thematic adjoint·e
//! (`model::quartier`, the analyser's D010 reading). Two rules of the family:
//! `AdjointQuartier(e)`, a mobile adjoint·e de quartier joins only a group they are linked to
//! (applied before building: `z[e,g]` does not exist for the others), and `LienQuartier(e,g)`,
//! the plan keeps one of the units their délégations touch with their group (rows). The link
//! is a derived rule: it yields to stronger ones ([`super::precedence`]).

use super::{Permis, gid, ligne};
use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::{Conflit, Exclusions, ModeleGroupes};
use crate::optimise::modele::{Cle, Sens};
use crate::optimise::verification::{Plan, Violation};

/// A mobile adjoint·e de quartier joins only a group they stay linked to (or stays in theirs).
pub(crate) fn restreindre(d: &Donnees, ex: &Exclusions, i: usize, dom: &mut Permis) {
    let m = &d.membres[i];
    let quartier = Cle::AdjointQuartier { elu: m.id.clone() };
    if let Some(liens) = m.liens_quartier.as_ref().filter(|_| m.mobile)
        && ex.actif(&quartier)
    {
        dom.groupes
            .retain(|&g| !liens[g].is_empty() || Some(g) == m.actuel);
        dom.retire_par.push(quartier);
    }
}

/// `LienQuartier(e,g)`: `Σ_{u ∈ T(e)} x[u,g] ≥ 1` for the adjoint·e de quartier `e` of fixed
/// group `g` linked today ([`crate::optimise::Membre::lien_quartier`]): the plan keeps one of
/// the units their délégations touch with their thematic group, so it never creates a D010.
/// For a mobile adjoint·e de quartier, `Σ_{u ∈ T(e,g)} x[u,g] − z[e,g] ≥ 0` for every group they
/// may join (T(e,g): [`crate::optimise::Membre::liens_quartier`]).
pub(crate) fn construire(
    d: &Donnees,
    ex: &Exclusions,
    dm: &[Permis],
    mg: &mut ModeleGroupes,
) -> Result<(), Conflit> {
    for (e, m) in d.membres.iter().enumerate() {
        if let (Some(liens), true) = (&m.liens_quartier, m.mobile) {
            for &g in &dm[e].groupes {
                let cle = Cle::LienQuartier {
                    elu: m.id.clone(),
                    groupe: gid(d, g),
                };
                let Some(z) = mg.z[e][g] else { continue };
                // Staying in a group they are not linked to creates no new D010: no row.
                if !ex.actif(&cle) || liens[g].is_empty() {
                    continue;
                }
                let mut termes: Vec<(usize, f64)> = liens[g]
                    .iter()
                    .filter_map(|&u| mg.x[u][g].map(|x| (x, 1.0)))
                    .collect();
                termes.push((z, -1.0));
                ligne(mg, cle, termes, Sens::Ge, 0.0)?;
            }
            continue;
        }
        let [g] = dm[e].groupes[..] else { continue };
        if m.lien_quartier.is_empty() {
            continue;
        }
        let cle = Cle::LienQuartier {
            elu: m.id.clone(),
            groupe: gid(d, g),
        };
        if !ex.actif(&cle) {
            continue;
        }
        let termes = m
            .lien_quartier
            .iter()
            .filter_map(|&u| mg.x[u][g].map(|x| (x, 1.0)))
            .collect();
        ligne(mg, cle, termes, Sens::Ge, 1.0)?;
    }
    Ok(())
}

/// `AdjointQuartier`: member `e`, in group `g` in the plan, if a mobile adjoint·e de quartier,
/// is in a group they are linked to (or their own).
pub(crate) fn verifier_membre(d: &Donnees, e: usize, g: usize, v: &mut Vec<Violation>) {
    let m = &d.membres[e];
    if m.mobile
        && m.liens_quartier
            .as_ref()
            .is_some_and(|l| l[g].is_empty() && Some(g) != m.actuel)
    {
        v.push(Violation {
            cle: Cle::AdjointQuartier { elu: m.id.clone() },
            message: format!(
                "{}, adjoint·e de quartier, est dans le groupe {}, où aucun·e adjoint·e thématique ne pilote un service de ses délégations",
                m.id,
                gid(d, g)
            ),
        });
    }
}

/// `LienQuartier`: every adjoint·e de quartier linked to their group keeps a délégation in a
/// unit their group leads.
pub(crate) fn verifier_liens(plan: &Plan, d: &Donnees, v: &mut Vec<Violation>) {
    for (e, m) in d.membres.iter().enumerate() {
        let Some(g) = plan.membres[e] else { continue };
        let lien = match (&m.liens_quartier, m.mobile) {
            (Some(liens), true) => &liens[g],
            _ => &m.lien_quartier,
        };
        if m.quartier && !lien.is_empty() && !lien.iter().any(|&u| plan.unites[u] == Some(g)) {
            v.push(Violation {
                cle: Cle::LienQuartier {
                    elu: m.id.clone(),
                    groupe: gid(d, g),
                },
                message: format!(
                    "{}, adjoint·e de quartier, n'a plus de délégation dans une unité pilotée par son groupe {} (D010)",
                    m.id,
                    gid(d, g)
                ),
            });
        }
    }
}
