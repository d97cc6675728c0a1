//! `UneUniteParGroupe`: every thematic group leads at least one unit (an adjoint·e animates a
//! group to lead something). A derived rule: it yields to stronger ones ([`super::precedence`]).

use super::ligne;
use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::{Conflit, Exclusions, ModeleGroupes};
use crate::optimise::modele::{Cle, Sens};
use crate::optimise::verification::{Plan, Violation};

/// `UneUniteParGroupe(g)`: `Σ_u x[u,g] ≥ 1` for every non-transversal group. When every unit a
/// group may lead has a DGA, also `UnPoleAuMoins(g)`: `Σ_d y[g,d] ≥ 1` (family `Dispersion`: a
/// valid inequality that lifts the LP bound).
pub(crate) fn construire(
    d: &Donnees,
    ex: &Exclusions,
    mg: &mut ModeleGroupes,
) -> Result<(), Conflit> {
    for (g, gr) in d.groupes.iter().enumerate() {
        let cle = Cle::UneUniteParGroupe {
            groupe: gr.id.clone(),
        };
        if gr.transversal || !ex.actif(&cle) || !d.en_vigueur(&cle) {
            continue;
        }
        let termes: Vec<(usize, f64)> = (0..d.unites.len())
            .filter_map(|u| mg.x[u][g].map(|v| (v, 1.0)))
            .collect();
        let tous_dans_un_pole = (0..d.unites.len())
            .filter(|&u| mg.x[u][g].is_some())
            .all(|u| d.unites[u].dga.is_some());
        ligne(mg, cle, termes, Sens::Ge, 1.0)?;
        let ys: Vec<(usize, f64)> = mg.y[g].iter().flatten().map(|&v| (v, 1.0)).collect();
        if tous_dans_un_pole && !ys.is_empty() {
            mg.modele.contrainte(
                Cle::UnPoleAuMoins {
                    groupe: gr.id.clone(),
                },
                ys,
                Sens::Ge,
                1.0,
            );
        }
    }
    Ok(())
}

/// Every thematic group leads a unit (unless the rule was lifted on this input).
pub(crate) fn verifier(plan: &Plan, d: &Donnees, v: &mut Vec<Violation>) {
    for (g, gr) in d.groupes.iter().enumerate() {
        let regle = Cle::UneUniteParGroupe {
            groupe: gr.id.clone(),
        };
        if !gr.transversal && !plan.unites.contains(&Some(g)) && d.en_vigueur(&regle) {
            v.push(Violation {
                cle: regle,
                message: format!("le groupe {} ne pilote aucune unité", gr.id),
            });
        }
    }
}
