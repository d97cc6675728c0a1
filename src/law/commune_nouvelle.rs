//! Communes nouvelles: the maires délégué·es (CGCT L2113-13, L2113-19).
//!
//! In: a date, the commune nouvelle's population totale, its number of adjoint·es and the
//! populations of its communes déléguées. Out: each maire délégué·e's cap (maire barème of the
//! commune déléguée's stratum) and the separate cap of L2113-19 on
//! Σ(adjoint·es of the commune nouvelle + maires délégué·es). Maires délégué·es are adjoint·es of
//! the commune nouvelle but are not counted in the 30 % (L2113-13) and are outside the
//! L2123-24 II enveloppe (QE Sénat 00178, 2017).

use super::bareme::{Bareme, taux_adjoint, taux_maire};
use super::{LawError, Statut};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// Cap of a maire délégué·e: the maire barème of the commune déléguée's stratum (CGCT L2113-19:
/// "les indemnités maximales … sont calculées en fonction de la population de la commune
/// déléguée"). Returns (rate in %, monthly gross amount in euros).
pub fn plafond_maire_delegue(
    date: NaiveDate,
    population_commune_deleguee: u32,
) -> Result<(Decimal, Decimal), LawError> {
    let b = Bareme::new(date, population_commune_deleguee)?;
    Ok((b.taux_maire, b.montant_maire()))
}

/// The separate cap of CGCT L2113-19 (last sentence).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlafondCommuneNouvelle {
    /// Adjoint·es counted (see [`plafond_l2113_19`]).
    pub nb_adjoints: u32,
    /// Adjoint·e's maximal rate for the commune nouvelle's stratum, in %.
    pub taux_adjoint: Decimal,
    /// Maire's maximal rate of each commune déléguée's stratum, in %, in input order.
    pub taux_maires_delegues: Vec<Decimal>,
    /// Cap in % of the terme de référence.
    pub taux_total: Decimal,
    /// Cap in euros per month, `round(taux_total × B)`.
    pub montant_eur: Decimal,
    /// Article.
    pub article: &'static str,
    /// Status: the count of adjoint·es (actual or theoretical) and the interaction with the 2025
    /// enveloppe rule are open points.
    pub statut: Statut,
}

/// Cap of CGCT L2113-19: Σ(indemnities of the adjoint·es of the commune nouvelle + maires
/// délégué·es) ≤ `nb_adjoints` × adjoint max of the commune nouvelle's stratum + Σ(maire max
/// of each commune déléguée's stratum).
///
/// `nb_adjoints` is the number of adjoint·es of the commune nouvelle (maires délégué·es
/// excluded); the collegia reading is the number in office (the text says "les adjoints d'une
/// commune de la même population", which could also be read as the theoretical maximum:
/// UNVERIFIED, flagged).
pub fn plafond_l2113_19(
    date: NaiveDate,
    population_totale: u32,
    nb_adjoints: u32,
    populations_deleguees: &[u32],
) -> Result<PlafondCommuneNouvelle, LawError> {
    let b = Bareme::new(date, population_totale)?;
    // CGCT L2113-19: adjoint max (L2123-24) for a commune of the commune nouvelle's population.
    let ta = taux_adjoint(b.regime, population_totale);
    // CGCT L2113-19: maire max (L2123-23) for a commune of each commune déléguée's population.
    let tm: Vec<Decimal> = populations_deleguees
        .iter()
        .map(|p| taux_maire(b.regime, *p))
        .collect();
    let taux_total = Decimal::from(nb_adjoints) * ta + tm.iter().copied().sum::<Decimal>();
    Ok(PlafondCommuneNouvelle {
        nb_adjoints,
        taux_adjoint: ta,
        taux_maires_delegues: tm,
        taux_total,
        montant_eur: b.reference.montant(taux_total),
        article: "CGCT L2113-19",
        statut: Statut::NonVerifie.max(b.reference.statut),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::date;
    use rust_decimal_macros::dec;

    #[test]
    fn maire_delegue_is_capped_on_the_commune_deleguee_stratum() {
        // 2024 (2019 regime): commune déléguée of 800 ⇒ 40,3 % = 1 656,54 € (official table)
        assert_eq!(
            plafond_maire_delegue(date(2024, 6, 1), 800),
            Ok((dec!(40.3), dec!(1656.54)))
        );
        // 2026 (2025 regime): 800 ⇒ 44,3 % = 1 820,96 € (reference §2.1)
        assert_eq!(
            plafond_maire_delegue(date(2026, 4, 1), 800),
            Ok((dec!(44.3), dec!(1820.96)))
        );
    }

    #[test]
    fn separate_cap_of_l2113_19() {
        // commune nouvelle of 12 000 (adjoint 27,5 % in 2024), 5 adjoints, communes déléguées of
        // 800 (maire 40,3 %) and 2 000 (51,6 %): 5 × 27,5 + 40,3 + 51,6 = 229,4 %
        let p = plafond_l2113_19(date(2024, 6, 1), 12000, 5, &[800, 2000]).expect("ok");
        assert_eq!(p.taux_total, dec!(229.4));
        assert_eq!(p.taux_maires_delegues, vec![dec!(40.3), dec!(51.6)]);
        // 229.4 × 835 × 5907.34 / 120000 = 9 429,54… (DERIVED)
        assert_eq!(p.montant_eur, dec!(9429.54));
        assert_eq!(p.statut, Statut::NonVerifie);
    }
}
