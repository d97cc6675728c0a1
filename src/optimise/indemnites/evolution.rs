//! Today and the proposal side by side, for every élu·e paid in either.
//!
//! In: the scenario (`taux_actuel` of `elus.csv`) and an [`Allocation`]. Out: one
//! [`Evolution`] per élu·e who is paid today or in the proposal, in input order. The most
//! sensitive line of a deliberation, an élu·e who loses their indemnité (e.g. a plain
//! conseiller·e paid today and not in the proposal), is a row here like any other, never only a
//! name in the list of non-indemnisé·es.

use super::Allocation;
use crate::model::{Fonction, Scenario};
use rust_decimal::Decimal;
use serde::Serialize;

/// One élu·e's rate today and in the proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evolution {
    /// Index in [`Scenario::elus`].
    pub elu: usize,
    /// Identifier.
    pub id: String,
    /// "Prénom Nom".
    pub nom: String,
    /// Function.
    pub fonction: Fonction,
    /// Rate today (`taux_actuel`), in %; `None` when not given.
    pub taux_actuel_pct: Option<Decimal>,
    /// Rate proposed, in % (0 for an élu·e the proposal does not pay).
    pub taux_propose_pct: Decimal,
    /// Why the proposal does not pay them, when it does not (French, from the allocation).
    pub motif_non_indemnise: Option<String>,
}

impl Evolution {
    /// True for an élu·e paid today (rate > 0) whom the proposal does not pay.
    pub fn perd_son_indemnite(&self) -> bool {
        self.taux_actuel_pct.is_some_and(|t| t > Decimal::ZERO)
            && self.taux_propose_pct == Decimal::ZERO
    }
}

/// Every élu·e paid today or in the proposal, in input order.
pub fn evolutions(s: &Scenario, a: &Allocation) -> Vec<Evolution> {
    s.elus
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let actuel = e
                .taux_actuel
                .and_then(Decimal::from_f64_retain)
                .map(|t| t.round_dp(4).normalize());
            let ligne = a.lignes.iter().find(|l| l.id == e.id);
            let propose = ligne.map_or(Decimal::ZERO, |l| l.taux_pct);
            if ligne.is_none() && actuel.is_none_or(|t| t <= Decimal::ZERO) {
                return None;
            }
            Some(Evolution {
                elu: i,
                id: e.id.clone(),
                nom: e.nom_complet(),
                fonction: e.fonction,
                taux_actuel_pct: actuel,
                taux_propose_pct: propose,
                motif_non_indemnise: if ligne.is_none() {
                    a.non_indemnises
                        .iter()
                        .find(|n| n.elu == i)
                        .map(|n| n.motif.clone())
                } else {
                    None
                },
            })
        })
        .collect()
}
