//! `GroupeFixe`: without `--regrouper` (or for a member who may not move), a member's group is
//! the one of `elus.csv`: `z[e,a(e)] = 1`, applied before building and written as a row too.

use super::Permis;
use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::Exclusions;
use crate::optimise::modele::Cle;
use crate::optimise::verification::Violation;

/// A member who may not move keeps their current group.
pub(crate) fn restreindre(d: &Donnees, ex: &Exclusions, i: usize, dom: &mut Permis) {
    let m = &d.membres[i];
    let fixe = Cle::GroupeFixe { elu: m.id.clone() };
    if !m.mobile && ex.actif(&fixe) {
        dom.groupes.retain(|&g| Some(g) == m.actuel);
        dom.fixe_par.push(fixe);
    }
}

/// Member `e`, in group `g` in the plan, did not move unless mobile.
pub(crate) fn verifier_membre(d: &Donnees, e: usize, g: usize, v: &mut Vec<Violation>) {
    let m = &d.membres[e];
    if !m.mobile && Some(g) != m.actuel {
        v.push(Violation {
            cle: Cle::GroupeFixe { elu: m.id.clone() },
            message: format!("{} change de groupe sans --regrouper", m.id),
        });
    }
}
