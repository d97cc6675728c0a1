//! `Liens`: functional links (secondary rattachements, D002) between units led by different
//! groups. Objective support, never relaxed: the links crossed are the `liens` criterion. A plan
//! has nothing to break here: no `verifier`.

use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::ModeleGroupes;
use crate::optimise::modele::{Cle, Sens};

/// `LienSecondaire(a,b,g)`: `x[a,g] − x[b,g] − l_ab ≤ 0` for every group that may lead `a`:
/// since each unit has exactly one group, `l_ab` is forced to 1 exactly when `a` and `b` are
/// led by different groups, and the objective keeps it at 0 otherwise. `l_ab` may be
/// continuous: the rows have 0/1 coefficients on binary `x`.
pub(crate) fn construire(d: &Donnees, mg: &mut ModeleGroupes) {
    for (k, lien) in d.liens.iter().enumerate() {
        let Some(l) = mg.l[k] else { continue };
        for g in 0..d.groupes.len() {
            let Some(xa) = mg.x[lien.a][g] else { continue };
            let mut termes = vec![(xa, 1.0), (l, -1.0)];
            if let Some(xb) = mg.x[lien.b][g] {
                termes.push((xb, -1.0));
            }
            mg.modele.contrainte(
                Cle::LienSecondaire {
                    unite: d.unites[lien.a].id.clone(),
                    liee: d.unites[lien.b].id.clone(),
                    groupe: d.groupes[g].id.clone(),
                },
                termes,
                Sens::Le,
                0.0,
            );
        }
    }
}
