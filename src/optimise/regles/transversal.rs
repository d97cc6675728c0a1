//! `AxeTransversal`: a transversal group keeps only the units it leads today. Applied before
//! building: `x[u,g]` does not exist for such a pair, and the key stays as a fixing
//! ([`crate::lp::Probleme::fixations`]) so that a diagnosis can still name it. A derived rule:
//! it yields to stronger ones ([`super::precedence`]).

use super::{Permis, gid};
use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::Exclusions;
use crate::optimise::modele::Cle;
use crate::optimise::verification::Violation;

/// The groups unit `u` may have: every group, less the transversal groups that do not lead it
/// today.
pub(crate) fn restreindre(d: &Donnees, ex: &Exclusions, u: usize, dom: &mut Permis) {
    for g in 0..d.groupes.len() {
        let cle = Cle::AxeTransversal {
            unite: d.unites[u].id.clone(),
            groupe: gid(d, g),
        };
        if d.transversal_permis(u, g) || !ex.actif(&cle) {
            dom.groupes.push(g);
        } else {
            dom.retire_par.push(cle);
        }
    }
}

/// Unit `u`, led by group `g` in the plan, may go to `g`.
pub(crate) fn verifier_unite(d: &Donnees, u: usize, g: usize, v: &mut Vec<Violation>) {
    if !d.transversal_permis(u, g) {
        v.push(Violation {
            cle: Cle::AxeTransversal {
                unite: d.unites[u].id.clone(),
                groupe: gid(d, g),
            },
            message: format!(
                "le groupe transversal {} reçoit {}, qu'il ne pilotait pas",
                gid(d, g),
                d.unites[u].id
            ),
        });
    }
}
