//! `TailleMin`, `TailleMax`: group sizes within `[groupes] taille_min`–`taille_max` (the leader
//! counts for 1). Only with `--regrouper`. A default size (not written in `[groupes]`) may be
//! lifted on some groups by the precedence (`precedence.rs`, rank 6): its row is then not
//! written and the check skips it.

use super::ligne;
use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::{Conflit, Exclusions, ModeleGroupes};
use crate::optimise::modele::{Cle, Sens};
use crate::optimise::verification::{Plan, Violation};

/// `TailleMin(g)`: `1 + Σ_e z[e,g] ≥ taille_min`; `TailleMax(g)`: `1 + Σ_e z[e,g] ≤ taille_max`.
pub(crate) fn construire(
    d: &Donnees,
    ex: &Exclusions,
    mg: &mut ModeleGroupes,
) -> Result<(), Conflit> {
    let tmin = f64::from(d.params.taille_min);
    let tmax = f64::from(d.params.taille_max);
    for (g, gr) in d.groupes.iter().enumerate() {
        let termes: Vec<(usize, f64)> = (0..d.membres.len())
            .filter_map(|e| mg.z[e][g].map(|v| (v, 1.0)))
            .collect();
        let cle = Cle::TailleMin {
            groupe: gr.id.clone(),
        };
        if ex.actif(&cle) && d.en_vigueur(&cle) {
            ligne(mg, cle, termes.clone(), Sens::Ge, tmin - 1.0)?;
        }
        let cle = Cle::TailleMax {
            groupe: gr.id.clone(),
        };
        if ex.actif(&cle) && d.en_vigueur(&cle) {
            ligne(mg, cle, termes, Sens::Le, tmax - 1.0)?;
        }
    }
    Ok(())
}

/// With `--regrouper`, every group's size is within bounds.
pub(crate) fn verifier(plan: &Plan, d: &Donnees, v: &mut Vec<Violation>) {
    if !d.regrouper {
        return;
    }
    for (g, gr) in d.groupes.iter().enumerate() {
        let taille = 1 + plan.membres.iter().filter(|&&x| x == Some(g)).count();
        // A default size lifted on this input (precedence rank 6) is no violation.
        let tmin = Cle::TailleMin {
            groupe: gr.id.clone(),
        };
        if taille < d.params.taille_min as usize && d.en_vigueur(&tmin) {
            v.push(Violation {
                cle: Cle::TailleMin {
                    groupe: gr.id.clone(),
                },
                message: format!(
                    "le groupe {} compte {taille} élu·e(s), moins que {}",
                    gr.id, d.params.taille_min
                ),
            });
        }
        let tmax = Cle::TailleMax {
            groupe: gr.id.clone(),
        };
        if taille > d.params.taille_max as usize && d.en_vigueur(&tmax) {
            v.push(Violation {
                cle: Cle::TailleMax {
                    groupe: gr.id.clone(),
                },
                message: format!(
                    "le groupe {} compte {taille} élu·es, plus que {}",
                    gr.id, d.params.taille_max
                ),
            });
        }
    }
}
