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

/// Indemnité parlementaire de base (ord. 58-1210 art. 1), monthly gross, by date, with the
/// status of each row. The indemnité follows the point d'indice of the public service (it is
/// the mean of the highest and lowest treatments of the "hors échelle" category), which is why
/// the rows change on the same dates as the point (`reference.rs`).
const INDEMNITE_PARLEMENTAIRE: [(NaiveDate, Decimal, Statut); 5] = [
    // 5 589,69 € from 1/1/2017 (point of 1/7/2016, décret 2016-670): not found in a source,
    // best belief by the point's ratio, UNVERIFIED (only covers January 2017).
    (date(2017, 1, 1), dec!(5589.69), Statut::NonVerifie),
    // 5 623,23 € from 1/2/2017 (décret 2016-670, second step): cap 8 434,85 € (reference §13,
    // one audit source, PARTIAL; the Assemblée's 2017–2022 total of 7 239,91 € = 5 623,23 +
    // 168,70 résidence + 1 447,74 fonction).
    (date(2017, 2, 1), dec!(5623.23), Statut::Partiel),
    // 5 820,04 € from 1/7/2022: +3,5 % (décret 2022-994), derived, UNVERIFIED.
    (date(2022, 7, 1), dec!(5820.04), Statut::NonVerifie),
    // 5 907,34 € from 1/7/2023: +1,5 % (décret 2023-519), derived, UNVERIFIED.
    (date(2023, 7, 1), dec!(5907.34), Statut::NonVerifie),
    // 5 931,95 €/month since 1/1/2024 (Assemblée nationale, official page; reference §5).
    (date(2024, 1, 1), dec!(5931.95), Statut::Verifie),
];

/// Multiplier of the indemnité parlementaire de base (CGCT L2123-20 II: "une fois et demie").
const MULTIPLICATEUR: Decimal = dec!(1.5);

/// The indemnité parlementaire de base at a date, monthly gross (ord. 58-1210 art. 1): 5 931,95 €
/// since 1/1/2024, 5 623,23 € from 1/2/2017 to 30/6/2022… Error before 1/1/2017.
pub fn indemnite_parlementaire_base(date: NaiveDate) -> Result<Decimal, LawError> {
    Ok(ligne_ipb(date)?.1)
}

/// Status of the indemnité parlementaire de base at a date (see the table's rows).
pub fn statut_indemnite_parlementaire(date: NaiveDate) -> Result<Statut, LawError> {
    Ok(ligne_ipb(date)?.2)
}

fn ligne_ipb(date: NaiveDate) -> Result<(NaiveDate, Decimal, Statut), LawError> {
    INDEMNITE_PARLEMENTAIRE
        .iter()
        .rev()
        .find(|(depuis, _, _)| *depuis <= date)
        .copied()
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
        statut: Statut::NonVerifie.max(statut_indemnite_parlementaire(date)?),
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
        assert_eq!(
            statut_indemnite_parlementaire(date(2024, 1, 1)),
            Ok(Statut::Verifie)
        );
        assert!(plafond_ecretement(date(2016, 12, 31)).is_err());
    }

    #[test]
    fn dated_parliamentary_indemnity_since_2017() {
        // reference §13: 5 623,23 € in 2020 ⇒ cap 1,5 × 5 623,23 = 8 434,845 ⇒ 8 434,85 €
        assert_eq!(plafond_ecretement(date(2020, 6, 1)), Ok(dec!(8434.85)));
        assert_eq!(
            statut_indemnite_parlementaire(date(2020, 6, 1)),
            Ok(Statut::Partiel)
        );
        // 2022-07 (+3,5 %) and 2023-07 (+1,5 %): 1,5 × 5 820,04 = 8 730,06; 1,5 × 5 907,34
        // = 8 861,01
        assert_eq!(plafond_ecretement(date(2022, 7, 1)), Ok(dec!(8730.06)));
        assert_eq!(plafond_ecretement(date(2023, 12, 31)), Ok(dec!(8861.01)));
        assert_eq!(
            statut_indemnite_parlementaire(date(2023, 12, 31)),
            Ok(Statut::NonVerifie)
        );
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
