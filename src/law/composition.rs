//! Composition of the council: effectif légal (CGCT L2121-2), maximal number of adjoint·es
//! (L2122-2) and of adjoint·es de quartier (L2122-2-1), strict alternation by sex of the
//! adjoint·es' list (L2122-7-2).
//!
//! In: the population municipale (authenticated at the last general renewal), an effectif, a
//! date, adjoint·es' ranks and sexes. Out: counts and the rank pairs that break the alternation.

use super::{Statut, date};
use crate::model::Sexe;
use chrono::NaiveDate;
use serde::Serialize;

/// Council size by population municipale: (first population of the row, number of seats).
// CGCT L2121-2 (table unchanged by loi 2025-444, which only changed L2121-2-1; reference §6.1).
// Paris (163), Marseille (101) and Lyon (73) follow the PLM regime (L2511-*): not encoded.
const EFFECTIFS: [(u32, u32); 19] = [
    (0, 7),
    (100, 11),
    (500, 15),
    (1500, 19),
    (2500, 23),
    (3500, 27),
    (5000, 29),
    (10000, 33),
    (20000, 35),
    (30000, 39),
    (40000, 43),
    (50000, 45),
    (60000, 49),
    (80000, 53),
    (100000, 55),
    (150000, 59),
    (200000, 61),
    (250000, 65),
    (300000, 69),
];

/// Effectif légal of the council for a population municipale (CGCT L2121-2). Does not apply the
/// PLM special cases (Paris 163, Marseille 101, Lyon 73) nor L2121-2-1 (small councils "réputés
/// complets" from March 2026, which use their real size: pass it as the scenario's
/// `effectif_conseil`).
pub fn effectif_legal(population_municipale: u32) -> u32 {
    EFFECTIFS
        .iter()
        .rev()
        .find(|(min, _)| population_municipale >= *min)
        .map_or(EFFECTIFS[0].1, |(_, n)| *n)
}

/// Status of the L2121-2 table for a population municipale at a date. The text was read
/// (Légifrance, version of 24/11/2024: YES text), but a 2024 Senate bill proposed to shrink the
/// councils of 100 – 3 499 inhabitants (11→9, 15→11, 19→15, 23→19); no evidence it became law
/// (reference §6.1: PARTIAL, best belief: table unchanged). Council sizes only change at a
/// general renewal, so the doubt concerns those rows from the March 2026 renewal on (open point
/// L118); every other case is verified.
pub fn statut_effectif_legal(population_municipale: u32, date: NaiveDate) -> Statut {
    // Rows 100 – 499 (11), 500 – 1 499 (15), 1 500 – 2 499 (19), 2 500 – 3 499 (23) of L2121-2.
    if (100..3500).contains(&population_municipale) && date >= RENOUVELLEMENT_2026 {
        Statut::Partiel
    } else {
        Statut::Verifie
    }
}

/// Maximal number of adjoint·es: 30 % of the effectif légal, fraction dropped, at least one
/// (CGCT L2122-2; CE 24/04/1985 Aix-en-Provence: 55 ⇒ 16). Maires délégué·es are not counted
/// (L2113-13), nor adjoint·es spéciaux (L2122-3).
pub fn max_adjoints(effectif_legal: u32) -> u32 {
    // CGCT L2122-2: "30 % de l'effectif légal", floor; "au moins un adjoint" (L2122-1).
    (effectif_legal * 3 / 10).max(1)
}

/// Whether a commune may create adjoint·es chargé·es de quartier (L2122-2-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EligibiliteQuartier {
    /// 80 000 inhabitants and more: by right (L2122-2-1, YES text).
    DeDroit,
    /// 20 000 – 79 999: only if the commune created conseils de quartier (L2143-1; Sénat QE
    /// 2008, PARTIAL).
    SiConseilsDeQuartier,
    /// Below 20 000: not possible.
    NonEligible,
}

/// Maximal number of adjoint·es de quartier, beyond the 30 % (L2122-2-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PlafondQuartier {
    /// Eligibility of the commune.
    pub eligibilite: EligibiliteQuartier,
    /// Maximal number (10 % of the effectif légal, floor; 0 when not eligible).
    pub max: u32,
    /// Status: the floor rounding of the 10 % is a best belief (UNVERIFIED).
    pub statut: Statut,
}

/// Maximal number of adjoint·es chargé·es de quartier (L2122-2-1): 10 % of the effectif légal
/// in communes of 80 000 and more, and (with conseils de quartier) of 20 000 – 79 999.
/// Paris, Lyon and Marseille are excluded by L2511-1-1 (not checked here).
///
/// The thresholds read the **population totale**: L2122-2-1 says « habitants » and is not among
/// the articles the regulatory text reads on the population municipale (council size and the
/// election of adjoint·es, reference §2.3), so the general rule (population totale) applies;
/// `bareme`, the enveloppe and every check call this with the same figure.
pub fn max_adjoints_quartier(population_totale: u32, effectif_legal: u32) -> PlafondQuartier {
    // CGCT L2122-2-1: "dans la limite de 10 % de l'effectif légal du conseil"; rounding down
    // is a best belief (reference §6.2, UNVERIFIED), like the 30 % of L2122-2.
    let dix_pour_cent = effectif_legal / 10;
    if population_totale >= 80000 {
        PlafondQuartier {
            eligibilite: EligibiliteQuartier::DeDroit,
            max: dix_pour_cent,
            statut: Statut::NonVerifie,
        }
    } else if population_totale >= 20000 {
        // L2122-2-1 al. 2 via L2143-1 (conseils de quartier in 20 000 – 79 999): PARTIAL.
        PlafondQuartier {
            eligibilite: EligibiliteQuartier::SiConseilsDeQuartier,
            max: dix_pour_cent,
            statut: Statut::NonVerifie,
        }
    } else {
        PlafondQuartier {
            eligibilite: EligibiliteQuartier::NonEligible,
            max: 0,
            statut: Statut::Verifie,
        }
    }
}

/// First round of the March 2026 general renewal, from which loi 2025-444 extends the list vote
/// with strict alternation to communes below 1 000 inhabitants (reference §7). The exact
/// trigger date (first round vs installation of the councils) is a best belief.
pub const RENOUVELLEMENT_2026: NaiveDate = date(2026, 3, 15);

/// Population municipale from which the adjoint·es are elected on a strictly alternated list
/// (CGCT L2122-7-2, as amended by loi 2019-1461).
pub const SEUIL_ALTERNANCE: u32 = 1000;

/// Whether the adjoint·es' list must be strictly alternated by sex (CGCT L2122-7-2): communes of
/// 1 000 inhabitants and more, and every commune from the March 2026 renewal (loi 2025-444).
pub fn alternance_obligatoire(population_municipale: u32, date: NaiveDate) -> bool {
    population_municipale >= SEUIL_ALTERNANCE || date >= RENOUVELLEMENT_2026
}

/// Pairs of consecutive ranks `(r1, r2)` whose adjoint·es have the same sex, once the list is
/// sorted by rank (CGCT L2122-7-2 as amended by loi 2019-1461: "chaque liste est composée
/// alternativement d'un candidat de chaque sexe"; the former rule only capped the gap between
/// the sexes at one). The first position may be either sex; an odd number of adjoint·es is
/// allowed (reference §7).
pub fn ruptures_alternance(adjoints: &[(u32, Sexe)]) -> Vec<(u32, u32)> {
    let mut tries = adjoints.to_vec();
    tries.sort_by_key(|(rang, _)| *rang);
    tries
        .windows(2)
        .filter(|w| w[0].1 == w[1].1)
        .map(|w| (w[0].0, w[1].0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn council_size_table_boundaries() {
        // reference §6.1 (CGCT L2121-2): (population municipale, conseillers, max adjoints)
        let cases = [
            (0, 7, 2),
            (99, 7, 2),
            (100, 11, 3),
            (499, 11, 3),
            (500, 15, 4),
            (1499, 15, 4),
            (1500, 19, 5),
            (2499, 19, 5),
            (2500, 23, 6),
            (3499, 23, 6),
            (3500, 27, 8),
            (4999, 27, 8),
            (5000, 29, 8),
            (9999, 29, 8),
            (10000, 33, 9),
            (19999, 33, 9),
            (20000, 35, 10),
            (29999, 35, 10),
            (30000, 39, 11),
            (39999, 39, 11),
            (40000, 43, 12),
            (49999, 43, 12),
            (50000, 45, 13),
            (59999, 45, 13),
            (60000, 49, 14),
            (79999, 49, 14),
            (80000, 53, 15),
            (99999, 53, 15),
            (100000, 55, 16),
            (149999, 55, 16),
            (150000, 59, 17),
            (199999, 59, 17),
            (200000, 61, 18),
            (249999, 61, 18),
            (250000, 65, 19),
            (299999, 65, 19),
            (300000, 69, 20),
            (u32::MAX, 69, 20),
        ];
        for (pop, conseillers, adjoints) in cases {
            assert_eq!(effectif_legal(pop), conseillers, "effectif {pop}");
            assert_eq!(max_adjoints(conseillers), adjoints, "adjoints {pop}");
        }
    }

    #[test]
    fn thirty_percent_drops_the_fraction_and_keeps_one() {
        // CE 24/04/1985 Aix-en-Provence: 55 ⇒ 16, not 17
        assert_eq!(max_adjoints(55), 16);
        // L2121-2-1 small council of 5 members (reputed complete): at least one adjoint
        assert_eq!(max_adjoints(3), 1);
        assert_eq!(max_adjoints(5), 1);
        assert_eq!(max_adjoints(9), 2);
    }

    #[test]
    fn council_size_status_after_the_2024_senate_bill() {
        // reference §6.1: rows 11/15/19/23 were targeted by a bill not known to be law (PARTIAL)
        let avant = date(2026, 3, 14);
        let apres = RENOUVELLEMENT_2026;
        // (population municipale, status before the 2026 renewal, status from it)
        let cases = [
            (99, Statut::Verifie, Statut::Verifie),
            (100, Statut::Verifie, Statut::Partiel),
            (499, Statut::Verifie, Statut::Partiel),
            (500, Statut::Verifie, Statut::Partiel),
            (3499, Statut::Verifie, Statut::Partiel),
            (3500, Statut::Verifie, Statut::Verifie),
            (130000, Statut::Verifie, Statut::Verifie),
        ];
        for (pop, s_avant, s_apres) in cases {
            assert_eq!(statut_effectif_legal(pop, avant), s_avant, "{pop} avant");
            assert_eq!(statut_effectif_legal(pop, apres), s_apres, "{pop} après");
        }
    }

    #[test]
    fn quartier_adjoints() {
        let q = max_adjoints_quartier(130000, 55);
        assert_eq!(q.eligibilite, EligibiliteQuartier::DeDroit);
        assert_eq!(q.max, 5);
        assert_eq!(q.statut, Statut::NonVerifie);
        assert_eq!(max_adjoints_quartier(80000, 53).max, 5);
        assert_eq!(max_adjoints_quartier(300000, 69).max, 6);
        let q = max_adjoints_quartier(79999, 49);
        assert_eq!(q.eligibilite, EligibiliteQuartier::SiConseilsDeQuartier);
        assert_eq!(q.max, 4);
        let q = max_adjoints_quartier(19999, 33);
        assert_eq!(q.eligibilite, EligibiliteQuartier::NonEligible);
        assert_eq!(q.max, 0);
        assert_eq!(q.statut, Statut::Verifie);
        let q = max_adjoints_quartier(20000, 35);
        assert_eq!(q.eligibilite, EligibiliteQuartier::SiConseilsDeQuartier);
        assert_eq!((q.max, q.statut), (3, Statut::NonVerifie));
        assert_eq!(
            max_adjoints_quartier(80000, 53).eligibilite,
            EligibiliteQuartier::DeDroit
        );
    }

    #[test]
    fn alternation_applies_from_1000_then_everywhere_from_march_2026() {
        assert!(!alternance_obligatoire(999, date(2025, 6, 1)));
        assert!(alternance_obligatoire(1000, date(2025, 6, 1)));
        assert!(!alternance_obligatoire(300, date(2026, 3, 14)));
        assert!(alternance_obligatoire(300, date(2026, 3, 15)));
    }

    #[test]
    fn alternating_list_is_fine_whatever_the_first_sex() {
        use Sexe::{F, M};
        assert!(ruptures_alternance(&[(1, F), (2, M), (3, F), (4, M), (5, F)]).is_empty());
        assert!(ruptures_alternance(&[(1, M), (2, F), (3, M)]).is_empty());
        // input order does not matter, the rank does
        assert!(ruptures_alternance(&[(3, F), (1, F), (2, M)]).is_empty());
        assert!(ruptures_alternance(&[]).is_empty());
    }

    #[test]
    fn two_of_the_same_sex_in_a_row_are_reported_with_their_ranks() {
        use Sexe::{F, M};
        assert_eq!(
            ruptures_alternance(&[(1, M), (2, F), (3, F), (4, M)]),
            vec![(2, 3)]
        );
        assert_eq!(
            ruptures_alternance(&[(1, F), (2, F), (3, F)]),
            vec![(1, 2), (2, 3)]
        );
    }
}
