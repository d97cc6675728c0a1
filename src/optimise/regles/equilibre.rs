//! `Equilibre`: the deviation of each group's staff load from the mean, linearised (objective
//! support, never relaxed; the deviation itself is the `ecart` criterion). A plan has nothing to
//! break here: no `verifier`.

use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::ModeleGroupes;
use crate::optimise::modele::{Cle, Sens};

/// `EcartHaut(g)`: `Σ_u (c_u/m) x[u,g] − ε_g ≤ 1` and `EcartBas(g)`: `−Σ_u (c_u/m) x[u,g] − ε_g ≤
/// −1`: at the optimum `ε_g = |L_g/m − 1|`, the deviation of g's load from the mean, in means.
pub(crate) fn construire(d: &Donnees, moyenne: f64, mg: &mut ModeleGroupes) {
    for (g, gr) in d.groupes.iter().enumerate() {
        let Some(e) = mg.ecart[g] else { continue };
        let charge: Vec<(usize, f64)> = (0..d.unites.len())
            .filter_map(|u| mg.x[u][g].map(|v| (v, d.unites[u].charge / moyenne)))
            .filter(|&(_, c)| c != 0.0)
            .collect();
        let mut haut = charge.clone();
        haut.push((e, -1.0));
        mg.modele.contrainte(
            Cle::EcartHaut {
                groupe: gr.id.clone(),
            },
            haut,
            Sens::Le,
            1.0,
        );
        let mut bas: Vec<(usize, f64)> = charge.iter().map(|&(v, c)| (v, -c)).collect();
        bas.push((e, -1.0));
        mg.modele.contrainte(
            Cle::EcartBas {
                groupe: gr.id.clone(),
            },
            bas,
            Sens::Le,
            -1.0,
        );
    }
}
