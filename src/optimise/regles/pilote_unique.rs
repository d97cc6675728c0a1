//! `UnPiloteParUnite`: every unit is led by exactly one group — no orphan, no double
//! rattachement, by construction.

use super::ligne;
use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::{Conflit, ModeleGroupes};
use crate::optimise::modele::{Cle, Sens};
use crate::optimise::verification::{Plan, Violation};

/// `UnPiloteParUnite(u)`: `Σ_g x[u,g] = 1`.
pub(crate) fn construire(d: &Donnees, mg: &mut ModeleGroupes) -> Result<(), Conflit> {
    for (u, un) in d.unites.iter().enumerate() {
        let termes = mg.x[u].iter().flatten().map(|&v| (v, 1.0)).collect();
        ligne(
            mg,
            Cle::UnPiloteParUnite {
                unite: un.id.clone(),
            },
            termes,
            Sens::Eq,
            1.0,
        )?;
    }
    Ok(())
}

/// The group leading unit `u` in the plan, or the violation of an orphan.
pub(crate) fn verifier_unite(
    plan: &Plan,
    d: &Donnees,
    u: usize,
    v: &mut Vec<Violation>,
) -> Option<usize> {
    match plan.unites[u] {
        Some(g) if g < d.groupes.len() => Some(g),
        _ => {
            let un = &d.unites[u];
            v.push(Violation {
                cle: Cle::UnPiloteParUnite {
                    unite: un.id.clone(),
                },
                message: format!("l'unité {} n'a pas de groupe pilote (orpheline)", un.id),
            });
            None
        }
    }
}
