//! Écrêtement (CGCT L2123-20 II–III): an élu·e holding several mandates may not receive in
//! total more than 1,5 × the indemnité parlementaire de base.
//!
//! In: a date, the élu·e's monthly gross indemnity in the commune and what they receive from
//! other mandates (`autres_indemnites_eur`). Out: the per-person cap and the part écrêtée. This
//! is a per-person, optional cap, never a commune-wide constraint.

use super::{LawError, Statut, arrondi_centime, date};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;

/// Indemnité parlementaire de base (ord. 58-1210 art. 1), monthly gross, by date.
const INDEMNITE_PARLEMENTAIRE: [(NaiveDate, Decimal); 1] = [
    // 5 931,95 €/month since 1/1/2024 (Assemblée nationale, official page; reference §5).
    (date(2024, 1, 1), dec!(5931.95)),
];

/// Multiplier of the indemnité parlementaire de base (CGCT L2123-20 II: "une fois et demie").
const MULTIPLICATEUR: Decimal = dec!(1.5);

/// The indemnité parlementaire de base at a date, monthly gross (ord. 58-1210 art. 1): 5 931,95 €
/// since 1/1/2024. Error before the first known value.
pub fn indemnite_parlementaire_base(date: NaiveDate) -> Result<Decimal, LawError> {
    INDEMNITE_PARLEMENTAIRE
        .iter()
        .rev()
        .find(|(depuis, _)| *depuis <= date)
        .map(|(_, ipb)| *ipb)
        .ok_or(LawError::DateAvantTable {
            date,
            table: "indemnité parlementaire de base",
            premiere: INDEMNITE_PARLEMENTAIRE[0].0,
        })
}

/// The écrêtement cap at a date: round(1,5 × indemnité parlementaire de base), i.e. 8 897,93 €
/// per month since 1/1/2024 (CGCT L2123-20 II). Error before the first known value.
pub fn plafond_ecretement(date: NaiveDate) -> Result<Decimal, LawError> {
    Ok(arrondi_centime(
        MULTIPLICATEUR * indemnite_parlementaire_base(date)?,
    ))
}

/// Result of the écrêtement for one élu·e.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ecretement {
    /// Cap on the total of all mandates, per month (8 897,93 € since 2024).
    pub plafond_total_eur: Decimal,
    /// Monthly amount received from other mandates.
    pub autres_indemnites_eur: Decimal,
    /// What the commune may still pay: `max(0, cap − other mandates)`.
    pub plafond_commune_eur: Decimal,
    /// Indemnity voted by the commune.
    pub montant_commune_eur: Decimal,
    /// Part above the cap (paid back to the body of the most recent mandate, L2123-20 III).
    pub part_ecretee_eur: Decimal,
    /// Article.
    pub article: &'static str,
    /// Status: gross amounts compared although the text assesses the cap net of social
    /// contributions, and whether loi 2025-1249 changed the formula is UNVERIFIED.
    pub statut: Statut,
}

/// Écrêtement of one élu·e (CGCT L2123-20 II): the commune's indemnity `montant_commune_eur`
/// plus `autres_indemnites_eur` may not exceed [`plafond_ecretement`].
///
/// Approximation: amounts are gross, while L2123-20 II assesses the cap net of mandatory social
/// contributions; the result therefore over-estimates the part écrêtée (flagged).
pub fn ecreter(
    date: NaiveDate,
    montant_commune_eur: Decimal,
    autres_indemnites_eur: Decimal,
) -> Result<Ecretement, LawError> {
    let plafond = plafond_ecretement(date)?;
    let plafond_commune = (plafond - autres_indemnites_eur).max(Decimal::ZERO);
    Ok(Ecretement {
        plafond_total_eur: plafond,
        autres_indemnites_eur,
        plafond_commune_eur: plafond_commune,
        montant_commune_eur,
        part_ecretee_eur: (montant_commune_eur - plafond_commune).max(Decimal::ZERO),
        article: "CGCT L2123-20 II et III",
        // reference §5: the 1,5× cap after loi 2025-1249 is UNVERIFIED.
        statut: Statut::NonVerifie,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cap_is_one_and_a_half_parliamentary_indemnity() {
        // reference §5: 1,5 × 5 931,95 = 8 897,925 ⇒ 8 897,93 €
        assert_eq!(
            indemnite_parlementaire_base(date(2024, 1, 1)),
            Ok(dec!(5931.95))
        );
        assert_eq!(plafond_ecretement(date(2024, 1, 1)), Ok(dec!(8897.93)));
        assert_eq!(plafond_ecretement(date(2026, 4, 1)), Ok(dec!(8897.93)));
        assert!(plafond_ecretement(date(2023, 12, 31)).is_err());
    }

    #[test]
    fn part_ecretee() {
        // maire ≥ 100 000 (5 960,26 €) who also receives 4 000 € elsewhere:
        // may receive 8 897,93 − 4 000 = 4 897,93 € from the commune; 1 062,33 € écrêtés
        let e = ecreter(date(2024, 6, 1), dec!(5960.26), dec!(4000)).expect("ok");
        assert_eq!(e.plafond_commune_eur, dec!(4897.93));
        assert_eq!(e.part_ecretee_eur, dec!(1062.33));
        // below the cap: nothing
        let e = ecreter(date(2024, 6, 1), dec!(2000), dec!(3000)).expect("ok");
        assert_eq!(e.part_ecretee_eur, Decimal::ZERO);
        // other mandates already above the cap: the commune can pay nothing
        let e = ecreter(date(2024, 6, 1), dec!(1000), dec!(9000)).expect("ok");
        assert_eq!(e.plafond_commune_eur, Decimal::ZERO);
        assert_eq!(e.part_ecretee_eur, dec!(1000));
    }
}
