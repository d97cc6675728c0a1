//! The terme de référence of indemnités (CGCT L2123-20 I): the monthly gross treatment of the
//! indice brut terminal of the public-service scale, at a date.
//!
//! In: a date. Out: a [`TermeReference`] (indice majoré and annual value of 100 points at that
//! date) that turns a rate in % into a monthly gross amount in euros. Two dated tables, so that a
//! later change of the point or of the index is one new row.

use super::{LawError, Statut, arrondi_centime, date};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;

/// One row of the indice-majoré table: the IM of the indice brut terminal from a date on.
struct LigneIndice {
    depuis: NaiveDate,
    indice_brut: u32,
    indice_majore: u32,
    statut: Statut,
}

/// Indice brut terminal ↔ indice majoré, by date (CGCT L2123-20 I: "indice brut terminal de
/// l'échelle indiciaire de la fonction publique").
const INDICES: [LigneIndice; 3] = [
    // IB 1022 / IM 826 from 1/1/2017 (décret 2017-85, PPCR). Not in the legal reference: from
    // memory, UNVERIFIED. The brief said "IM 830 before 2024"; that holds from 1/1/2019 only.
    LigneIndice {
        depuis: date(2017, 1, 1),
        indice_brut: 1022,
        indice_majore: 826,
        statut: Statut::NonVerifie,
    },
    // IB 1027 / IM 830 until 31/12/2023 — CGCT L2123-20 I; weka, maire-info (reference §1).
    // The start date 1/1/2019 (PPCR) is from memory; it only matters before the 2019 barèmes.
    LigneIndice {
        depuis: date(2019, 1, 1),
        indice_brut: 1027,
        indice_majore: 830,
        statut: Statut::Verifie,
    },
    // IB 1027 / IM 835 since 1/1/2024: +5 IM points for all agents (décret 2023-519 art. 2).
    LigneIndice {
        depuis: date(2024, 1, 1),
        indice_brut: 1027,
        indice_majore: 835,
        statut: Statut::Verifie,
    },
];

/// One row of the point d'indice table: annual gross value of 100 IM points from a date on.
struct LignePoint {
    depuis: NaiveDate,
    valeur_annuelle_100: Decimal,
    texte: &'static str,
    statut: Statut,
}

/// Value of the point d'indice (annual gross value of 100 IM points), by date.
const POINTS: [LignePoint; 4] = [
    // 5 589,69 € from 1/7/2016 (décret 2016-670, +0,6 %). Not in the legal reference: UNVERIFIED.
    LignePoint {
        depuis: date(2016, 7, 1),
        valeur_annuelle_100: dec!(5589.69),
        texte: "décret n° 2016-670",
        statut: Statut::NonVerifie,
    },
    // 5 623,23 € from 1/2/2017 (décret 2016-670, +0,6 %; monthly point 4,686025 € × 1200).
    // Verified through the 2020 terme de référence, 3 889,40 € = 830 × 5 623,23 / 1200, the
    // préfecture figure (reference §13, [V]).
    LignePoint {
        depuis: date(2017, 2, 1),
        valeur_annuelle_100: dec!(5623.23),
        texte: "décret n° 2016-670",
        statut: Statut::Verifie,
    },
    // 5 820,04 € from 1/7/2022 (décret 2022-994 du 7/7/2022, +3,5 %): IB 1027 = 4 025,53 €
    // "depuis le 1er juillet 2022" (= 830 × 5 820,04 / 1200) per AMF 83, AMF 62 and ATD 13
    // (amf83.fr, amf62.fr, atd13.fr, 2022): YES (2+ sec.). Consistent: × 1,015 = 5 907,34.
    LignePoint {
        depuis: date(2022, 7, 1),
        valeur_annuelle_100: dec!(5820.04),
        texte: "décret n° 2022-994",
        statut: Statut::Verifie,
    },
    // 5 907,34 € since 1/7/2023 (+1,5 %, décret 2023-519 du 28/06/2023); frozen in 2024 and 2025
    // (reference §1, YES 2+ sec.); no change found for 2026 (PARTIAL, see FIN_VERIFICATION).
    LignePoint {
        depuis: DEBUT_POINT_VERIFIE,
        valeur_annuelle_100: dec!(5907.34),
        texte: "décret n° 2023-519",
        statut: Statut::Verifie,
    },
];

/// First day of the point value the legal reference verifies (5 907,34 €, décret 2023-519,
/// reference §1). The 2017 and 2022 rows were verified since (2020 préfecture figure, AMF
/// tables of July 2022); only the 2016 point and the IM 826 row stay from memory (L117).
pub const DEBUT_POINT_VERIFIE: NaiveDate = date(2023, 7, 1);

/// Last date the point is known not to have changed (the gel of 2024 and 2025 is verified; for
/// 2026 the sources only show the absence of a change, reference §1: PARTIAL).
pub const FIN_VERIFICATION: NaiveDate = date(2025, 12, 31);

/// The terme de référence at a date: `B = IM × (annual value of 100 points) / 1200` euros per
/// month (CGCT L2123-20 I).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermeReference {
    /// Date asked for.
    pub date: NaiveDate,
    /// Indice brut terminal (1027 since 2019).
    pub indice_brut: u32,
    /// Indice majoré of that indice brut at the date.
    pub indice_majore: u32,
    /// Annual gross value of 100 IM points, in euros.
    pub valeur_point_annuelle_100: Decimal,
    /// Texts that set the index and the point.
    pub textes: String,
    /// Weakest status of the two rows used (and partial after [`FIN_VERIFICATION`]).
    pub statut: Statut,
}

impl TermeReference {
    /// Exact monthly gross amount of 100 % of the reference, unrounded (4 110,524083… € since
    /// 1/1/2024).
    pub fn base_exacte(&self) -> Decimal {
        Decimal::from(self.indice_majore) * self.valeur_point_annuelle_100 / dec!(1200)
    }

    /// Monthly gross amount of 100 % of the reference, rounded to the cent (4 110,52 €), for
    /// display only: never compute with it.
    pub fn base_arrondie(&self) -> Decimal {
        arrondi_centime(self.base_exacte())
    }

    /// Monthly gross amount of `taux_pct` % of the reference, rounded half-up to the cent at the
    /// very end (`round(rate × IM × point / 120 000)`), as in the official tables.
    pub fn montant(&self, taux_pct: Decimal) -> Decimal {
        // Multiply first, divide once: the product is exact, the single division keeps 28 digits.
        arrondi_centime(
            taux_pct * Decimal::from(self.indice_majore) * self.valeur_point_annuelle_100
                / dec!(120000),
        )
    }

    /// The rate in % that an amount represents (inverse of [`TermeReference::montant`], unrounded).
    pub fn taux(&self, montant_eur: Decimal) -> Decimal {
        montant_eur * dec!(120000)
            / (Decimal::from(self.indice_majore) * self.valeur_point_annuelle_100)
    }
}

/// The terme de référence at `date` (CGCT L2123-20 I). Error if the date is before the first
/// row of the tables (1/1/2017).
pub fn terme_reference(date: NaiveDate) -> Result<TermeReference, LawError> {
    let indice =
        INDICES
            .iter()
            .rev()
            .find(|l| l.depuis <= date)
            .ok_or(LawError::DateAvantTable {
                date,
                table: "indice majoré de l'indice brut terminal",
                premiere: INDICES[0].depuis,
            })?;
    let point = POINTS
        .iter()
        .rev()
        .find(|l| l.depuis <= date)
        .ok_or(LawError::DateAvantTable {
            date,
            table: "valeur du point d'indice",
            premiere: POINTS[0].depuis,
        })?;
    let mut statut = indice.statut.max(point.statut);
    if date > FIN_VERIFICATION {
        statut = statut.max(Statut::Partiel);
    }
    Ok(TermeReference {
        date,
        indice_brut: indice.indice_brut,
        indice_majore: indice.indice_majore,
        valeur_point_annuelle_100: point.valeur_annuelle_100,
        textes: format!("CGCT L2123-20 I ; {}", point.texte),
        statut,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, j: u32) -> NaiveDate {
        date(y, m, j)
    }

    #[test]
    fn base_since_2024_is_835_points_at_5907_34() {
        let t = terme_reference(d(2024, 1, 1)).expect("covered date");
        assert_eq!(t.indice_majore, 835);
        assert_eq!(t.valeur_point_annuelle_100, dec!(5907.34));
        // reference §1: 835 × 5 907,34 / 1200 = 4 110,524083… ; 4 110,52 € rounded
        assert!((t.base_exacte() - dec!(4110.524083333)).abs() < dec!(0.000000001));
        assert_eq!(t.base_arrondie(), dec!(4110.52));
        assert_eq!(t.statut, Statut::Verifie);
    }

    #[test]
    fn base_by_date_table() {
        // (date, IM, 100 % of the reference rounded) — reference §1 for 2023/2024; 2022 and
        // before are UNVERIFIED rows (4 025,53 € and 3 889,40 € were the published figures).
        let cases = [
            (d(2023, 7, 1), 830, dec!(4085.91)),
            (d(2023, 12, 31), 830, dec!(4085.91)),
            (d(2024, 1, 1), 835, dec!(4110.52)),
            (d(2025, 12, 24), 835, dec!(4110.52)),
            (d(2023, 6, 30), 830, dec!(4025.53)),
            (d(2022, 7, 1), 830, dec!(4025.53)),
            (d(2022, 6, 30), 830, dec!(3889.40)),
            (d(2019, 12, 29), 830, dec!(3889.40)),
            (d(2017, 2, 1), 826, dec!(3870.66)),
        ];
        for (date, im, base) in cases {
            let t = terme_reference(date).expect("covered date");
            assert_eq!(t.indice_majore, im, "{date}");
            assert_eq!(t.base_arrondie(), base, "{date}");
        }
    }

    #[test]
    fn monthly_point_2017_is_4_686025() {
        let t = terme_reference(d(2017, 2, 1)).expect("covered date");
        assert_eq!(t.valeur_point_annuelle_100 / dec!(1200), dec!(4.686025));
    }

    #[test]
    fn official_2024_amounts_to_the_cent() {
        let t = terme_reference(d(2024, 6, 1)).expect("covered date");
        // reference §1 rounding convention: 904,32 (not 904,31) and 5 960,26 (not 5 960,25)
        assert_eq!(t.montant(dec!(22)), dec!(904.32));
        assert_eq!(t.montant(dec!(145)), dec!(5960.26));
        assert_eq!(t.montant(dec!(66)), dec!(2712.95));
        assert_eq!(t.montant(dec!(33)), dec!(1356.47));
        assert_eq!(t.montant(dec!(6)), dec!(246.63));
    }

    #[test]
    fn before_the_first_row_is_an_error() {
        assert!(matches!(
            terme_reference(d(2016, 12, 31)),
            Err(LawError::DateAvantTable { .. })
        ));
    }

    #[test]
    fn old_rows_and_2026_are_flagged() {
        let ok = |y, m, j| terme_reference(d(y, m, j)).map(|t| t.statut);
        assert_eq!(ok(2018, 1, 1), Ok(Statut::NonVerifie));
        // 2020 (3 889,40 €, préfecture figure) and 2022 (4 025,53 €, AMF tables): verified
        assert_eq!(ok(2020, 6, 1), Ok(Statut::Verifie));
        assert_eq!(ok(2022, 7, 1), Ok(Statut::Verifie));
        assert_eq!(ok(2024, 1, 1), Ok(Statut::Verifie));
        assert_eq!(ok(2026, 4, 1), Ok(Statut::Partiel));
    }

    #[test]
    fn taux_is_the_inverse_of_montant() {
        let t = terme_reference(d(2024, 1, 1)).expect("covered date");
        assert_eq!(t.montant(t.taux(dec!(1000))), dec!(1000.00));
    }
}
