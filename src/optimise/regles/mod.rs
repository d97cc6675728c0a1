//! The rules of the grouping model, one file per rule family, and their precedence.
//!
//! Each family file holds both readings of its rule side by side: the rows it adds to the model
//! (`construire`; or `restreindre` / `imposer` for a rule applied before building, as the
//! allowed groups of a decision) and the independent check of a plan against it (`verifier`,
//! from [`Donnees`] alone, never from the model). [`crate::optimise::groupes::construire`] is the
//! driver that calls the builders, [`crate::optimise::verify`] the one that calls the checks.
//!
//! | file | families ([`crate::optimise::Famille`]) | rows / fixings |
//! |---|---|---|
//! | `pilote_unique.rs` | `UnPiloteParUnite` | `Σ_g x[u,g] = 1` |
//! | `une_unite.rs` | `UneUniteParGroupe` (and its `UnPoleAuMoins`) | `Σ_u x[u,g] ≥ 1` |
//! | `dga.rs` | `Dispersion` | `x[u,g] ≤ y[g,d(u)]` |
//! | `transversal.rs` | `AxeTransversal` | `x[u,g]` not created |
//! | `coeur.rs` | `Coeur` | `x[u,g] = 1` |
//! | `verrous.rs` | `Verrou` | `x[u,g] = 1`, `z[e,g] = 1` |
//! | `groupe_fixe.rs` | `GroupeFixe` | `z[e,a(e)] = 1` |
//! | `perimetre_membre.rs` | `PerimetreMembre` (and `RetraitHorsGroupe`) | `z − x − r ≤ 0`, `x − z − r ≤ 0` |
//! | `quartier.rs` | `AdjointQuartier` (and `LienQuartier`) | `z[e,g]` not created, `Σ x − z ≥ 0` |
//! | `membre_unique.rs` | `MembreUnique` | `Σ_g z[e,g] = 1` |
//! | `tailles.rs` | `TailleMin`, `TailleMax` | `1 + Σ_e z[e,g]` within bounds |
//! | `equilibre.rs` | `Equilibre` | `ε_g ≥ ±(L_g/m − 1)` |
//! | `liens.rs` | `Liens` | `x[a,g] − x[b,g] − l_ab ≤ 0` |
//! | `domaines.rs` | (driver) | the allowed groups of each decision, from the files above |
//! | [`precedence`] | — | which derived rule yields when two conflict |
//!
//! The wish rows (`Voeux`) live with the wishes ([`crate::optimise::voeux`]), the bounds of the
//! front (`Compromis`) with the front ([`crate::optimise::front`]).

pub(crate) mod coeur;
pub(crate) mod dga;
pub(crate) mod domaines;
pub(crate) mod equilibre;
pub(crate) mod groupe_fixe;
pub(crate) mod liens;
pub(crate) mod membre_unique;
pub(crate) mod perimetre_membre;
pub(crate) mod pilote_unique;
pub mod precedence;
pub(crate) mod quartier;
pub(crate) mod tailles;
pub(crate) mod transversal;
pub(crate) mod une_unite;
pub(crate) mod verrous;

pub use precedence::{RegleLevee, concilier, lever_conflits, rang};

use super::donnees::Donnees;
use super::groupes::{Conflit, ModeleGroupes};
use super::modele::{Cle, Sens};

/// Allowed groups of one decision (its « domain » in the constraint-programming sense, not a
/// municipal domain) and the rules that narrowed them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Permis {
    pub(crate) groupes: Vec<usize>,
    /// Rules that fix the decision to its single group, written as `v = 1` rows.
    pub(crate) fixe_par: Vec<Cle>,
    /// Rules that only removed groups (written as fixings).
    pub(crate) retire_par: Vec<Cle>,
}

/// A row without variables cannot be sent to a solver: check it here.
fn constante(cle: Cle, sens: Sens, rhs: f64) -> Result<(), Conflit> {
    let ok = match sens {
        Sens::Le => 0.0 <= rhs,
        Sens::Ge => 0.0 >= rhs,
        Sens::Eq => rhs == 0.0,
    };
    if ok {
        Ok(())
    } else {
        Err(Conflit { cles: vec![cle] })
    }
}

/// Adds a row, or, when it has no variable left, checks it holds as a constant.
pub(crate) fn ligne(
    mg: &mut ModeleGroupes,
    cle: Cle,
    termes: Vec<(usize, f64)>,
    sens: Sens,
    rhs: f64,
) -> Result<(), Conflit> {
    if termes.is_empty() {
        constante(cle, sens, rhs)
    } else {
        mg.modele.contrainte(cle, termes, sens, rhs);
        Ok(())
    }
}

/// Id of group `g`.
pub(crate) fn gid(d: &Donnees, g: usize) -> String {
    d.groupes[g].id.clone()
}
