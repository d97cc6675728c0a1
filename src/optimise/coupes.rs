//! Valid rows for the grouping model: rows that no whole plan can violate (they cut off no
//! integer solution) but that the LP relaxation does, so that the root bound is closer to the
//! optimum. Each family is named after the rule it strengthens and argues its validity in its
//! doc comment; `optimise::tests` checks every plan the checker accepts against it, and the
//! brute-force optimum test guards the default model.
//!
//! Found as `RetraitHorsGroupe` was: export the model (`--exporter-modele`), solve the LP
//! relaxation with and without the candidate rows, compare with the optimum and with the bound
//! HiGHS reaches after its own cuts (docs/performance.md, « Valid rows for the freed model »).
//! A family joins the default model ([`super::groupes::construire`]) only when it makes the
//! search faster, measured: none does yet.

use super::donnees::Donnees;
use super::groupes::ModeleGroupes;
use super::modele::{Cle, Sens};

/// `CapacitePole(g,d)`: `Σ_{u ∈ d} a_u x[u,g] − min(1, A_gd) y[g,d] − ε_g ≤ 0`, with
/// `a_u = c_u/m` the unit's load in means and `A_gd = Σ_{u ∈ d, x[u,g] exists} a_u`, for every
/// group `g` with a balance deviation `ε_g` and every pôle `d` it may span (`y[g,d]` exists).
///
/// Valid: in a whole plan, if `y[g,d] = 0` then `DgaTouchee` gives `x[u,g] = 0` for every `u ∈ d`
/// and the row reads `0 ≤ ε_g`. If `y[g,d] = 1`, the load `L_gd` that `g` takes from `d` is at
/// most `A_gd` and at most `g`'s whole load `L_g ≤ 1 + ε_g` (`EcartHaut`), so
/// `L_gd ≤ min(A_gd, 1 + ε_g) ≤ min(1, A_gd) + ε_g`. (The loads are nonnegative.)
///
/// Not implied by the LP: the relaxation lets a group take half of four units of one pôle
/// (`L_gd ≈ 0,9`) while paying `y[g,d] = 0,5` of a pôle spanned and no deviation; the row makes
/// it pay either the whole pôle or `0,4` of deviation. Measured on the exported `paris` unsplit
/// seed 9 `--regrouper --liberer-coeurs` model: 504 rows, LP bound 422,437 → 422,898
/// (optimum 430,108; HiGHS after its own cuts 425,056; CBC after its cuts 422,658).
///
/// Not added by [`super::groupes::construire`]: on that instance, with the node budget that
/// proves it (`--limite-noeuds 3000`), the search took 128 s of CPU with the rows against 102 s
/// without (both proved; 504 rows more make every pivot dearer). Kept, tested, for the model
/// experiments of docs/performance.md; add it to a built model to try it.
pub fn capacite_pole(d: &Donnees, mg: &mut ModeleGroupes) {
    let moyenne = d.charge_moyenne();
    for g in 0..d.groupes.len() {
        let Some(eps) = mg.ecart[g] else { continue };
        for dga in 0..d.dgas.len() {
            let Some(y) = mg.y[g][dga] else { continue };
            let mut termes: Vec<(usize, f64)> = (0..d.unites.len())
                .filter(|&u| d.unites[u].dga == Some(dga))
                .filter_map(|u| mg.x[u][g].map(|x| (x, d.unites[u].charge / moyenne)))
                .filter(|&(_, a)| a > 0.0)
                .collect();
            let total: f64 = termes.iter().map(|&(_, a)| a).sum();
            // A pôle whose whole load fits in the mean gains nothing over `DgaTouchee`
            // (`Σ a_u x ≤ A y` is already implied); the row only binds above.
            if termes.is_empty() || total <= 1.0 {
                continue;
            }
            termes.push((y, -1.0));
            termes.push((eps, -1.0));
            mg.modele.contrainte(
                Cle::CapacitePole {
                    groupe: d.groupes[g].id.clone(),
                    dga: d.dgas[dga].id.clone(),
                },
                termes,
                Sens::Le,
                0.0,
            );
        }
    }
}
