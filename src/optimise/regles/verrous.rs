//! `Verrou`: the locks of `verrous.csv`, a unit to a group (`x[u,g] = 1`) or a member to a group
//! (`z[e,g] = 1`). Applied before building, written as rows too; declared by the user, they
//! never yield ([`super::precedence`]).

use super::{Permis, gid};
use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::Exclusions;
use crate::optimise::modele::Cle;
use crate::optimise::verification::{Plan, Violation};

/// Member `i`'s locks narrow their allowed groups to the lock's group.
pub(crate) fn restreindre_membre(d: &Donnees, ex: &Exclusions, i: usize, dom: &mut Permis) {
    for v in d.verrous_membres.iter().filter(|v| v.membre == i) {
        let cle = Cle::VerrouElu {
            ligne: v.ligne,
            elu: d.membres[i].id.clone(),
            groupe: gid(d, v.groupe),
        };
        if ex.actif(&cle) {
            dom.groupes.retain(|&g| g == v.groupe);
            dom.fixe_par.push(cle);
        }
    }
}

/// The groups unit `u`'s locks impose, each with its rule (and no rule it depends on).
pub(crate) fn imposer_unite(d: &Donnees, ex: &Exclusions, u: usize) -> Vec<(usize, Cle, Vec<Cle>)> {
    let mut out = Vec::new();
    for v in d.verrous_unites.iter().filter(|v| v.unite == u) {
        let cle = Cle::VerrouUnite {
            ligne: v.ligne,
            unite: d.unites[u].id.clone(),
            groupe: gid(d, v.groupe),
        };
        if ex.actif(&cle) {
            out.push((v.groupe, cle, Vec::new()));
        }
    }
    out
}

/// Every lock holds: units first, then members, in file order.
pub(crate) fn verifier(plan: &Plan, d: &Donnees, v: &mut Vec<Violation>) {
    for l in &d.verrous_unites {
        if plan.unites[l.unite] != Some(l.groupe) {
            v.push(Violation {
                cle: Cle::VerrouUnite {
                    ligne: l.ligne,
                    unite: d.unites[l.unite].id.clone(),
                    groupe: gid(d, l.groupe),
                },
                message: format!(
                    "verrou non respecté : {} devait être pilotée par {}",
                    d.unites[l.unite].id,
                    gid(d, l.groupe)
                ),
            });
        }
    }
    for l in &d.verrous_membres {
        if plan.membres[l.membre] != Some(l.groupe) {
            v.push(Violation {
                cle: Cle::VerrouElu {
                    ligne: l.ligne,
                    elu: d.membres[l.membre].id.clone(),
                    groupe: gid(d, l.groupe),
                },
                message: format!(
                    "verrou non respecté : {} devait être dans {}",
                    d.membres[l.membre].id,
                    gid(d, l.groupe)
                ),
            });
        }
    }
}
