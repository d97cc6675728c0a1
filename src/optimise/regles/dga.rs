//! `Dispersion`: the pôles (DGA) each group spans. Objective support, never relaxed: its rows
//! link a unit's group to the DGA that group then spans; the spread itself is a criterion
//! (`criteres.rs`), so a plan has nothing to break here and there is no `verifier`.

use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::ModeleGroupes;
use crate::optimise::modele::{Cle, Sens};

/// `DgaTouchee(g,d,u)`: `x[u,g] − y[g,d(u)] ≤ 0` for every existing `x[u,g]` with a DGA — the
/// tight (disaggregated) linking ([`crate::optimise::groupes`], formulation choices).
pub(crate) fn construire(d: &Donnees, mg: &mut ModeleGroupes) {
    for (u, un) in d.unites.iter().enumerate() {
        let Some(dga) = un.dga else { continue };
        for g in 0..d.groupes.len() {
            if let (Some(x), Some(y)) = (mg.x[u][g], mg.y[g][dga]) {
                mg.modele.contrainte(
                    Cle::DgaTouchee {
                        groupe: d.groupes[g].id.clone(),
                        dga: d.dgas[dga].id.clone(),
                        unite: un.id.clone(),
                    },
                    vec![(x, 1.0), (y, -1.0)],
                    Sens::Le,
                    0.0,
                );
            }
        }
    }
}
