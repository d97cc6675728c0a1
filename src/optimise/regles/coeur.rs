//! `Coeur`: a group keeps its cœur, the units its own adjoint·e pilots in the input (unless
//! freed). Applied before building as `x[u,g] = 1`, written as a row too. A derived rule: it
//! yields to what the user declared ([`super::precedence`]).

use super::gid;
use crate::optimise::donnees::Donnees;
use crate::optimise::groupes::Exclusions;
use crate::optimise::modele::Cle;
use crate::optimise::verification::Violation;

/// The group unit `u`'s cœur imposes, with its rule (and no rule it depends on).
pub(crate) fn imposer(d: &Donnees, ex: &Exclusions, u: usize) -> Vec<(usize, Cle, Vec<Cle>)> {
    let un = &d.unites[u];
    let Some(g) = un.coeur else {
        return Vec::new();
    };
    let cle = Cle::Coeur {
        unite: un.id.clone(),
        groupe: gid(d, g),
    };
    if ex.actif(&cle) {
        vec![(g, cle, Vec::new())]
    } else {
        Vec::new()
    }
}

/// Unit `u`, led by group `g` in the plan, stays in its cœur's group.
pub(crate) fn verifier_unite(d: &Donnees, u: usize, g: usize, v: &mut Vec<Violation>) {
    let un = &d.unites[u];
    if let Some(c) = un.coeur.filter(|&c| c != g) {
        v.push(Violation {
            cle: Cle::Coeur {
                unite: un.id.clone(),
                groupe: gid(d, c),
            },
            message: format!(
                "l'unité {}, au cœur du groupe {}, passe à {}",
                un.id,
                gid(d, c),
                gid(d, g)
            ),
        });
    }
}
