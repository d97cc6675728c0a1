//! The allowed groups of each decision, from the rules applied before building (the families'
//! `restreindre` and `imposer`), and those fixings written back as rows.

use super::{Permis, coeur, groupe_fixe, perimetre_membre, quartier, transversal, verrous};
use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::{Conflit, Exclusions, ModeleGroupes};
use crate::optimise::modele::{Cle, Sens};

/// Allowed groups of the members: `GroupeFixe`, `AdjointQuartier` and `VerrouElu`.
///
/// `z[e,g]` exists only for `g` in the domain: `{a(e)}` for a non-mobile member; for an
/// adjoint·e de quartier, non-transversal groups only; for a locked member, the lock's group.
pub(crate) fn permis_membres(d: &Donnees, ex: &Exclusions) -> Result<Vec<Permis>, Conflit> {
    let mut out = Vec::new();
    for i in 0..d.membres.len() {
        let mut dom = Permis {
            groupes: (0..d.groupes.len()).collect(),
            ..Permis::default()
        };
        groupe_fixe::restreindre(d, ex, i, &mut dom);
        quartier::restreindre(d, ex, i, &mut dom);
        verrous::restreindre_membre(d, ex, i, &mut dom);
        if dom.groupes.is_empty() {
            let mut cles = dom.fixe_par.clone();
            cles.extend(dom.retire_par.iter().cloned());
            return Err(Conflit { cles });
        }
        out.push(dom);
    }
    Ok(out)
}

/// Allowed groups of the units: `AxeTransversal`, `VerrouUnite`, `Coeur`, and `PerimetreMembre`
/// for members whose group is already known.
///
/// A unit's domain is every group, less the transversal groups that do not lead it today; a lock,
/// a cœur or the perimeter of a member of known group `g` fixes it to `{g}`. Two fixings that
/// disagree, or a fixing to a removed group, is a [`Conflit`] naming every rule involved
/// (including the rules that made the member's group known).
pub(crate) fn permis_unites(
    d: &Donnees,
    ex: &Exclusions,
    membres: &[Permis],
) -> Result<Vec<Permis>, Conflit> {
    let mut out = Vec::new();
    for u in 0..d.unites.len() {
        let mut dom = Permis::default();
        transversal::restreindre(d, ex, u, &mut dom);
        // (group imposed, rule written as a row, rules it depends on)
        let mut imposes: Vec<(usize, Cle, Vec<Cle>)> = verrous::imposer_unite(d, ex, u);
        imposes.extend(coeur::imposer(d, ex, u));
        imposes.extend(perimetre_membre::imposer(d, ex, u, membres));
        for (g, cle, _) in &imposes {
            dom.groupes.retain(|x| x == g);
            dom.fixe_par.push(cle.clone());
        }
        if dom.groupes.is_empty() {
            // Name a smallest culprit: two fixings that disagree, else one fixing to a group
            // the transversal rule removed.
            let paire = imposes.iter().enumerate().find_map(|(i, a)| {
                imposes[i + 1..]
                    .iter()
                    .find(|b| b.0 != a.0)
                    .map(|b| vec![a, b])
            });
            let coupables = paire.unwrap_or_else(|| imposes.iter().take(1).collect());
            let mut cles: Vec<Cle> = Vec::new();
            for (g, cle, deps) in coupables {
                cles.push(cle.clone());
                cles.extend(deps.iter().cloned());
                cles.extend(
                    dom.retire_par
                        .iter()
                        .filter(|c| matches!(c, Cle::AxeTransversal { groupe, .. } if *groupe == d.groupes[*g].id))
                        .cloned(),
                );
            }
            cles.sort();
            cles.dedup();
            return Err(Conflit { cles });
        }
        out.push(dom);
    }
    Ok(out)
}

/// Rules that fixed a decision before building (`VerrouUnite`, `Coeur`, `PerimetreMembre` of a
/// member of known group, `GroupeFixe`, `VerrouElu`) are also written as rows `v = 1`, so that
/// the LP export names them and any solver re-checks them.
pub(crate) fn fixations_en_lignes(mg: &mut ModeleGroupes, du: &[Permis], dm: &[Permis]) {
    for (u, dom) in du.iter().enumerate() {
        if let Some(v) = singleton(&dom.groupes).and_then(|g| mg.x[u][g]) {
            for cle in &dom.fixe_par {
                mg.modele
                    .contrainte(cle.clone(), vec![(v, 1.0)], Sens::Eq, 1.0);
            }
        }
    }
    for (e, dom) in dm.iter().enumerate() {
        if let Some(v) = singleton(&dom.groupes).and_then(|g| mg.z[e][g]) {
            for cle in &dom.fixe_par {
                mg.modele
                    .contrainte(cle.clone(), vec![(v, 1.0)], Sens::Eq, 1.0);
            }
        }
    }
}

fn singleton(v: &[usize]) -> Option<usize> {
    match v {
        [g] => Some(*g),
        _ => None,
    }
}
