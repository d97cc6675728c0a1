//! Communes nouvelles: the enlarged council (CGCT L2113-7, L2113-8) and the maires
//! délégué·es (L2113-13, L2113-19).
//!
//! Enlarged council: from its creation date and the sizes of the former councils, the council
//! of a commune nouvelle keeps, until the renewal the law names, a size above the L2121-2
//! table; its indemnités stay within what a commune of the same population could pay
//! (L2113-8, third paragraph).
//!
//! In: a date, the commune nouvelle's population totale, its number of adjoint·es and the
//! populations of its communes déléguées. Out: each maire délégué·e's cap (maire barème of the
//! commune déléguée's stratum) and the separate cap of L2113-19 on
//! Σ(adjoint·es of the commune nouvelle + maires délégué·es). Maires délégué·es are adjoint·es of
//! the commune nouvelle but are not counted in the 30 % (L2113-13) and are outside the
//! L2123-24 II enveloppe (QE Sénat 00178, 2017). Adjoint·es au maire délégué·e (L2113-13) are
//! capped on the adjoint barème of their commune déléguée's stratum (L2113-19), outside the 30 %,
//! the enveloppe and the separate cap (reading, open point L123).

use super::bareme::{Bareme, taux_adjoint, taux_maire};
use super::composition::effectif_legal;
use super::{LawError, Statut, date};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// First rounds of the general renewals of municipal councils (a commune nouvelle's council
/// sizes count the renewals since its creation).
const RENOUVELLEMENTS: [NaiveDate; 4] = [
    date(2008, 3, 9),
    date(2014, 3, 23),
    date(2020, 3, 15),
    date(2026, 3, 15),
];

/// Entry into force of loi n° 2025-444 du 21 mai 2025 (JORF 22/05/2025), which extends the
/// enlarged council of L2113-8 « jusqu'au troisième renouvellement » (reference §13 (B)).
pub const LOI_2025_444: NaiveDate = date(2025, 5, 23);

/// Largest council of L2113-8 (and of the L2121-2 table): 69 seats.
pub const EFFECTIF_MAX_L2113_8: u32 = 69;

/// Where a commune nouvelle stands in the sequence of renewals since its creation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseConseil {
    /// Before the first general renewal: the transitional council of L2113-7.
    Transitoire,
    /// Elected at the first renewal after the creation: L2113-8 (text of 2019, verified).
    PremierRenouvellement,
    /// Elected at the second renewal: L2113-8 as extended by loi 2025-444 (reading).
    DeuxiemeRenouvellement,
    /// Declared by `effectif_conseil` above the ordinary size, without the history that would
    /// tell L2113-7 from L2113-8: the cap applies all the same (issue 27: it may not depend on
    /// how the council is declared).
    Declare,
}

impl PhaseConseil {
    /// Article of the indemnity cap of the enlarged council: L2113-7 for the transitional
    /// council (« le montant cumulé des indemnités des membres du conseil municipal ne peut
    /// excéder » that of the ordinary council), L2113-8 al. 3 from the first renewal.
    pub fn article_plafond(self) -> &'static str {
        match self {
            PhaseConseil::Transitoire => "CGCT L2113-7",
            PhaseConseil::PremierRenouvellement | PhaseConseil::DeuxiemeRenouvellement => {
                "CGCT L2113-8 al. 3"
            }
            PhaseConseil::Declare => "CGCT L2113-7 ou L2113-8 al. 3",
        }
    }
}

/// The enlarged council of a commune nouvelle declared by its size (`effectif_conseil`) above
/// the `ordinaire` size of a commune of the same population: the size is the scenario's, the
/// article depends on a history collegia does not know (give `date_creation` and
/// `conseils_anciens` to have it computed).
pub fn conseil_declare(effectif: u32, ordinaire: u32) -> ConseilElargi {
    ConseilElargi {
        phase: PhaseConseil::Declare,
        effectif,
        effectif_ordinaire: ordinaire,
        article: "CGCT L2113-7 ou L2113-8",
        statut: Statut::Partiel,
        note: format!(
            "conseil élargi de commune nouvelle déclaré (effectif_conseil = {effectif}, {ordinaire} sièges pour une commune de même population)"
        ),
    }
}

/// The enlarged council of a commune nouvelle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConseilElargi {
    /// Phase.
    pub phase: PhaseConseil,
    /// Size of the council (effectif légal for every rule based on it).
    pub effectif: u32,
    /// Size of a commune of the same population (L2121-2): the basis of the indemnity cap.
    pub effectif_ordinaire: u32,
    /// Article.
    pub article: &'static str,
    /// Status of the size.
    pub statut: Statut,
    /// How the size was computed (French).
    pub note: String,
}

/// The council of a commune nouvelle created on `creation` with former councils of
/// `conseils_anciens` seats, at `date` (population municipale for L2121-2); `None` once the
/// council follows the ordinary table.
///
/// - before the first renewal (L2113-7): the transitional council of every former councillor,
///   capped at 69 (the councils may have chosen fewer: give `effectif_conseil`); a reading,
///   [`Statut::Partiel`];
/// - at the first renewal (L2113-8, 2019 text): the size of the next stratum up of L2121-2,
///   and not less than one third of the former councillors (rounded up: reading), at most 69;
/// - at the second renewal, from loi 2025-444: the same (reference §13 (B), [`Statut::Partiel`]);
/// - from the third renewal: `None`.
pub fn conseil_commune_nouvelle(
    creation: NaiveDate,
    date: NaiveDate,
    population_municipale: u32,
    conseils_anciens: &[u32],
) -> Option<ConseilElargi> {
    let renouvellements = RENOUVELLEMENTS
        .iter()
        .filter(|r| **r > creation && **r <= date)
        .count();
    let ordinaire = effectif_legal(population_municipale);
    let anciens: u32 = conseils_anciens.iter().sum();
    match renouvellements {
        0 => {
            let effectif = if anciens > 0 {
                anciens.min(EFFECTIF_MAX_L2113_8)
            } else {
                ordinaire
            };
            Some(ConseilElargi {
                phase: PhaseConseil::Transitoire,
                effectif,
                effectif_ordinaire: ordinaire,
                article: "CGCT L2113-7",
                statut: Statut::Partiel,
                note: format!(
                    "conseil transitoire avant le premier renouvellement : ensemble des {anciens} conseiller·es des anciennes communes, 69 au plus (si les conseils en ont décidé moins, indiquez effectif_conseil)"
                ),
            })
        }
        1 | 2 => {
            let deuxieme = renouvellements == 2;
            if deuxieme && date < LOI_2025_444 {
                return None;
            }
            // CGCT L2113-8 al. 1: the next stratum up of the L2121-2 table.
            let superieur = effectif_legal_strate_superieure(population_municipale);
            // CGCT L2113-8 al. 1 (loi 2019-809, text read, reference §14 [V]): not less than
            // one third of the former councillors, « arrondi à l'unité supérieure et augmenté
            // d'une unité en cas d'effectif pair », at most 69: 202 → 68 → 69.
            let tiers = tiers_l2113_8(anciens);
            let effectif = superieur.max(tiers.min(EFFECTIF_MAX_L2113_8));
            Some(ConseilElargi {
                phase: if deuxieme {
                    PhaseConseil::DeuxiemeRenouvellement
                } else {
                    PhaseConseil::PremierRenouvellement
                },
                effectif,
                effectif_ordinaire: ordinaire,
                article: if deuxieme {
                    "CGCT L2113-8 (loi 2025-444)"
                } else {
                    "CGCT L2113-8"
                },
                statut: if deuxieme {
                    Statut::Partiel
                } else {
                    Statut::Verifie
                },
                note: format!(
                    "{} renouvellement suivant la création : strate démographique immédiatement supérieure ({superieur} sièges){}",
                    if deuxieme { "deuxième" } else { "premier" },
                    if anciens > 0 {
                        format!(
                            ", au moins le tiers des {anciens} conseiller·es des anciennes communes arrondi à l'unité supérieure et augmenté d'une unité s'il est pair ({tiers}), 69 au plus"
                        )
                    } else {
                        String::new()
                    }
                ),
            })
        }
        _ => None,
    }
}

/// The third of the former councillors of CGCT L2113-8 al. 1: rounded up, plus one when the
/// result is even (so that the council has an odd size), before the cap of 69.
/// 202 former councillors → ⌈202 / 3⌉ = 68, even → 69; 88 → 30 → 31; 37 → 13.
pub fn tiers_l2113_8(anciens: u32) -> u32 {
    let tiers = anciens.div_ceil(3);
    if tiers.is_multiple_of(2) {
        tiers + 1
    } else {
        tiers
    }
}

/// Council size of the next stratum up of the L2121-2 table (69 at the top).
fn effectif_legal_strate_superieure(population_municipale: u32) -> u32 {
    let ici = effectif_legal(population_municipale);
    // The table is increasing: the first population whose size is larger.
    [
        100, 500, 1500, 2500, 3500, 5000, 10000, 20000, 30000, 40000, 50000, 60000, 80000, 100000,
        150000, 200000, 250000, 300000,
    ]
    .iter()
    .map(|p| effectif_legal(*p))
    .find(|n| *n > ici)
    .unwrap_or(ici)
}

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

/// Cap of an adjoint·e au maire délégué·e: the adjoint barème (L2123-24 I) of the commune
/// déléguée's stratum (CGCT L2113-19: the rules of chapter III on the maire and the adjoints
/// apply to the maires délégués and their adjoints, "les indemnités maximales … sont calculées
/// en fonction de la population de la commune déléguée"; reference §6.3 and §13).
/// Returns (rate in %, monthly gross amount in euros).
pub fn plafond_adjoint_maire_delegue(
    date: NaiveDate,
    population_commune_deleguee: u32,
) -> Result<(Decimal, Decimal), LawError> {
    let b = Bareme::new(date, population_commune_deleguee)?;
    Ok((b.taux_adjoint, b.montant_adjoint()))
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
    fn adjoint_au_maire_delegue_is_capped_on_the_adjoint_bareme_of_the_commune_deleguee() {
        // L2113-19: commune déléguée of 4 100 inhabitants ⇒ adjoint barème of the 3 500 – 9 999
        // stratum (L2123-24 I, `ADJOINT_2019` / `ADJOINT_2025` in bareme.rs), whatever the
        // commune nouvelle's own population.
        // 2024 (2019 regime): 22 % = 904,32 € (official 2024 table, reference §2.2)
        assert_eq!(
            plafond_adjoint_maire_delegue(date(2024, 6, 1), 4100),
            Ok((dec!(22), dec!(904.32)))
        );
        // 2026 (2025 regime): 23,32 % = 958,57 € (reference §2.1 table)
        assert_eq!(
            plafond_adjoint_maire_delegue(date(2026, 4, 1), 4100),
            Ok((dec!(23.32), dec!(958.57)))
        );
        // the stratum edge: 3 499 is still 19,8 % (1 000 – 3 499), 3 500 is 22 %
        assert_eq!(
            plafond_adjoint_maire_delegue(date(2024, 6, 1), 3499).map(|p| p.0),
            Ok(dec!(19.8))
        );
        assert_eq!(
            plafond_adjoint_maire_delegue(date(2024, 6, 1), 3500).map(|p| p.0),
            Ok(dec!(22))
        );
    }

    #[test]
    fn enlarged_council_at_the_first_renewal() {
        // reference §13: a commune nouvelle of 5 000–9 999 inhabitants at its first renewal
        // (2020) has the 33 seats of the next stratum, hence 9 adjoint·es (30 % of 33)
        let c = conseil_commune_nouvelle(date(2019, 1, 1), date(2020, 6, 1), 6200, &[15, 11, 11])
            .expect("enlarged");
        assert_eq!(c.phase, PhaseConseil::PremierRenouvellement);
        assert_eq!((c.effectif, c.effectif_ordinaire), (33, 29));
        assert_eq!(crate::law::max_adjoints(c.effectif), 9);
        assert_eq!(c.article, "CGCT L2113-8");
        assert_eq!(c.statut, Statut::Verifie);
        // one third of the former councillors when larger: Annecy-like, 6 former councils of
        // 204 seats ⇒ 68, at 131 500 inhabitants (next stratum 59)
        let c = conseil_commune_nouvelle(
            date(2017, 1, 1),
            date(2020, 6, 1),
            131500,
            &[49, 33, 33, 33, 29, 27],
        )
        .expect("enlarged");
        // ⌈204 / 3⌉ = 68 is even: + 1 (L2113-8 al. 1)
        assert_eq!((c.effectif, c.effectif_ordinaire), (69, 55));
        // capped at 69
        let c = conseil_commune_nouvelle(date(2017, 1, 1), date(2020, 6, 1), 131500, &[300])
            .expect("enlarged");
        assert_eq!(c.effectif, 69);
    }

    #[test]
    fn third_of_former_councillors_is_made_odd() {
        // reference §14: 202 → 68 → 69; 8 councils of 11 = 88 → 30 → 31
        assert_eq!(tiers_l2113_8(202), 69);
        assert_eq!(tiers_l2113_8(88), 31);
        // already odd: unchanged (37 → 13; 201 → 67)
        assert_eq!(tiers_l2113_8(37), 13);
        assert_eq!(tiers_l2113_8(201), 67);
        let c = conseil_commune_nouvelle(date(2022, 1, 1), date(2026, 4, 1), 12000, &[202])
            .expect("enlarged");
        assert_eq!(c.effectif, 69);
        let c = conseil_commune_nouvelle(date(2022, 1, 1), date(2026, 4, 1), 1200, &[44, 44])
            .expect("enlarged");
        assert_eq!(c.effectif, 31);
    }

    #[test]
    fn second_renewal_only_with_loi_2025_444_and_none_after() {
        let c = conseil_commune_nouvelle(date(2017, 1, 1), date(2026, 4, 1), 6200, &[])
            .expect("second renewal, loi 2025-444");
        assert_eq!(c.phase, PhaseConseil::DeuxiemeRenouvellement);
        assert_eq!(c.effectif, 33);
        assert_eq!(c.statut, Statut::Partiel);
        // a commune nouvelle of 2010: 2014, 2020, 2026 ⇒ ordinary council in 2026
        assert_eq!(
            conseil_commune_nouvelle(date(2010, 1, 1), date(2026, 4, 1), 6200, &[]),
            None
        );
        // before the first renewal: the transitional council of every former councillor
        let c = conseil_commune_nouvelle(date(2024, 1, 1), date(2025, 6, 1), 6200, &[15, 11, 11])
            .expect("transitional");
        assert_eq!((c.phase, c.effectif), (PhaseConseil::Transitoire, 37));
        assert_eq!(c.article, "CGCT L2113-7");
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
