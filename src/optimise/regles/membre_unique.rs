//! `MembreUnique`: every member belongs to exactly one group.

use super::ligne;
use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::{Conflit, ModeleGroupes};
use crate::optimise::modele::{Cle, Sens};
use crate::optimise::verification::{Plan, Violation};

/// `MembreUnique(e)`: `Σ_g z[e,g] = 1`.
pub(crate) fn construire(d: &Donnees, mg: &mut ModeleGroupes) -> Result<(), Conflit> {
    for (e, m) in d.membres.iter().enumerate() {
        let termes = mg.z[e].iter().flatten().map(|&v| (v, 1.0)).collect();
        ligne(
            mg,
            Cle::MembreUnique { elu: m.id.clone() },
            termes,
            Sens::Eq,
            1.0,
        )?;
    }
    Ok(())
}

/// The group of member `e` in the plan, or the violation of a member without one.
pub(crate) fn verifier_membre(
    plan: &Plan,
    d: &Donnees,
    e: usize,
    v: &mut Vec<Violation>,
) -> Option<usize> {
    let g = plan.membres[e].filter(|&g| g < d.groupes.len());
    if g.is_none() {
        let m = &d.membres[e];
        v.push(Violation {
            cle: Cle::MembreUnique { elu: m.id.clone() },
            message: format!("{} n'a pas de groupe", m.id),
        });
    }
    g
}
