//! Majorations of indemnités (CGCT L2123-22, R2123-23): chef-lieu, commune sinistrée, station
//! de tourisme, DSU.
//!
//! In: a [`Commune`] (its majorations), a function and the rate *voted* for it after the
//! enveloppe was shared out. Out: the majoration in % of the terme de référence and in euros.
//! Majorations are outside the enveloppe, voted separately on the indemnities voted inside it
//! (L2123-22 last al.; CE 1/7/2022 n° 452223).

use super::bareme::{
    Bareme, Regime, taux_adjoint, taux_adjoint_strate_superieure, taux_maire,
    taux_maire_strate_superieure,
};
use super::{Commune, LawError, Statut};
use crate::model::{Fonction, Majoration};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;

/// Maximal majoration in % of the voted indemnity for the categories expressed as a percentage
/// (R2123-23); `None` for the DSU, which moves the indemnity to the next stratum instead.
pub fn taux_majoration(
    m: Majoration,
    population_totale: u32,
    taux_sinistre: Option<Decimal>,
) -> Result<Option<Decimal>, LawError> {
    Ok(match m {
        // CGCT R2123-23 1°: chef-lieu de département 25 %.
        Majoration::ChefLieuDepartement => Some(dec!(25)),
        // CGCT R2123-23 1°: chef-lieu d'arrondissement 20 %.
        Majoration::ChefLieuArrondissement => Some(dec!(20)),
        // CGCT R2123-23 1°: bureau centralisateur de canton / ancien chef-lieu de canton 15 %
        // (décret 2015-297).
        Majoration::BureauCentralisateurCanton => Some(dec!(15)),
        // CGCT L2123-22 2°, R2123-23 2°: the % of damaged buildings.
        Majoration::CommuneSinistree => Some(taux_sinistre.ok_or(LawError::TauxSinistreManquant)?),
        // CGCT L2123-22 3°, R2123-23 3°: 50 % if population totale < 5 000, 25 % otherwise.
        Majoration::StationTourisme => Some(if population_totale < 5000 {
            dec!(50)
        } else {
            dec!(25)
        }),
        // CGCT L2123-22 5°: rates of the next higher stratum.
        Majoration::Dsu => None,
    })
}

/// Whether an indemnity of `fonction` may be majorated (CGCT L2123-22 al. 1 as amended in
/// 2019): maire (L2123-23), adjoint·es (L2123-24 I), conseiller·es délégué·es (L2123-24-1 III)
/// and plain conseiller·es of communes ≥ 100 000 (L2123-24-1 I); **not** plain conseiller·es of
/// communes < 100 000 (L2123-24-1 II). Maires délégué·es and their adjoint·es: yes, on the
/// commune déléguée's population (QE 16-802, PARTIAL; the same reading for both, L119).
pub fn peut_etre_majoree(fonction: Fonction, population_totale: u32) -> bool {
    match fonction {
        Fonction::Maire
        | Fonction::Adjoint
        | Fonction::ConseillerDelegue
        | Fonction::MaireDelegue
        | Fonction::AdjointMaireDelegue => true,
        // Marseille 2020 voted the +50 % on its maires de secteur (reference §14); the
        // majorations follow the municipal functions (reading, L122).
        Fonction::MaireArrondissement | Fonction::AdjointArrondissement => true,
        Fonction::Conseiller => population_totale >= 100000,
    }
}

/// One majoration of one élu·e's voted indemnity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MontantMajoration {
    /// Category.
    pub majoration: Majoration,
    /// Rate added, in % of the terme de référence.
    pub taux: Decimal,
    /// Monthly gross amount added, in euros (rounded to the cent).
    pub montant_eur: Decimal,
    /// Articles.
    pub article: &'static str,
    /// Status.
    pub statut: Statut,
    /// How it was computed (French).
    pub note: String,
}

/// All majorations of one élu·e's voted indemnity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MajorationsElu {
    /// Rate voted inside the enveloppe, in % (the base).
    pub taux_vote: Decimal,
    /// One line per majoration that applies (empty when the function cannot be majorated).
    pub lignes: Vec<MontantMajoration>,
    /// Total rate added, in %.
    pub taux_total: Decimal,
    /// Total monthly amount added, in euros: `round((voted + added) × B) − round(voted × B)`, so
    /// that base + majoration equals the person's rounded total.
    pub montant_total_eur: Decimal,
    /// Weakest status of the lines (cumulation is a best belief).
    pub statut: Statut,
}

/// Rank of the 1° categories: only the highest applies (best belief, UNVERIFIED).
fn rang_chef_lieu(m: Majoration) -> Option<u8> {
    match m {
        Majoration::ChefLieuDepartement => Some(3),
        Majoration::ChefLieuArrondissement => Some(2),
        Majoration::BureauCentralisateurCanton => Some(1),
        _ => None,
    }
}

/// The categories that apply to a commune, sorted and deduplicated, keeping only the highest of
/// the 1° categories (chef-lieu de département > d'arrondissement > bureau centralisateur: best
/// belief, open point L115); the boolean is true when a 1° category was dropped.
pub fn categories_retenues(majorations: &[Majoration]) -> (Vec<Majoration>, bool) {
    let mut categories = majorations.to_vec();
    categories.sort();
    categories.dedup();
    let meilleur = categories.iter().filter_map(|m| rang_chef_lieu(*m)).max();
    let avant = categories.len();
    categories.retain(|m| rang_chef_lieu(*m).is_none_or(|r| Some(r) == meilleur));
    let ecartee = categories.len() < avant;
    (categories, ecartee)
}

/// Whether the cumulation of `categories` (as returned by [`categories_retenues`]) is explicit in
/// the text: a single category, or one 1° category with the commune sinistrée (R2123-23 2°:
/// cumulable with 1°, on the un-majorated indemnity; reference §4). Any other cumulation is a
/// best belief (open point L106).
pub fn cumul_explicite(categories: &[Majoration]) -> bool {
    match categories {
        [] | [_] => true,
        [a, b] => {
            let chef_lieu_et_sinistree = |x: &Majoration, y: &Majoration| {
                rang_chef_lieu(*x).is_some() && *y == Majoration::CommuneSinistree
            };
            chef_lieu_et_sinistree(a, b) || chef_lieu_et_sinistree(b, a)
        }
        _ => false,
    }
}

/// The majorations of an indemnity voted at `taux_vote` % for `fonction` in `commune`.
///
/// `population_strate` is the population whose stratum applies to the DSU (the commune
/// déléguée's for a maire délégué·e or an adjoint·e au maire délégué·e, L2113-19); `None` means the commune's population totale.
/// The station threshold (R2123-23 3°) always reads on the commune's population totale.
///
/// Best beliefs (UNVERIFIED, flagged): categories cumulate additively, each on the voted base
/// (only 1° + 2° is explicit in R2123-23, and stays verified); within 1° only the highest
/// category applies (a préfecture is also chef-lieu d'arrondissement); DSU = voted rate ×
/// (next-stratum rate / own-stratum rate), capped at the next-stratum rate, for the maire,
/// adjoint·es and maires délégué·es only (the other functions have no stratum rate), nothing
/// for the top stratum. Majorations of a maire délégué·e, on the commune déléguée's population,
/// rest on one official answer (QE 16-802, reference §4: PARTIAL) and are flagged
/// [`Statut::Partiel`]; an adjoint·e au maire délégué·e gets exactly the same treatment.
pub fn majoration(
    commune: &Commune,
    fonction: Fonction,
    taux_vote: Decimal,
    population_strate: Option<u32>,
) -> Result<MajorationsElu, LawError> {
    let bareme = Bareme::new(commune.date, commune.population_totale)?;
    let pop = population_strate.unwrap_or(commune.population_totale);
    let mut lignes = Vec::new();
    let (categories, chef_lieu_ecarte) = categories_retenues(&commune.majorations);
    if peut_etre_majoree(fonction, commune.population_totale) {
        for m in categories.iter().copied() {
            // R2123-23 3°: the station's threshold (5 000) reads on the population totale of
            // the commune, also for a maire délégué·e (reading, open point L119): a commune
            // déléguée of 4 100 inhabitants in a commune of 12 000 gets +25 %, not +50 %.
            let mut ligne =
                match taux_majoration(m, commune.population_totale, commune.taux_sinistre)? {
                    Some(pct) => {
                        let taux = taux_vote * pct / dec!(100);
                        MontantMajoration {
                            majoration: m,
                            taux,
                            montant_eur: bareme.reference.montant(taux),
                            article: article(m),
                            statut: Statut::Verifie,
                            note: format!("{} % de l'indemnité votée", pct.normalize()),
                        }
                    }
                    None => dsu(bareme.regime, fonction, taux_vote, pop, &bareme),
                };
            if chef_lieu_ecarte && rang_chef_lieu(m).is_some() {
                // Only the highest 1° category kept: collegia's best belief (L115).
                ligne.statut = ligne.statut.max(Statut::NonVerifie);
            }
            if matches!(
                fonction,
                Fonction::MaireDelegue | Fonction::AdjointMaireDelegue
            ) {
                // reference §4: majorations of maires délégués, QE 16-802 only (PARTIAL); their
                // adjoint·es follow the same reading (L119).
                ligne.statut = ligne.statut.max(Statut::Partiel);
            }
            lignes.push(ligne);
        }
    }
    if !cumul_explicite(&categories) {
        // reference §4: only 1° + 2° cumulation is explicit; the rest is a best belief (L106).
        for l in &mut lignes {
            l.statut = l.statut.max(Statut::NonVerifie);
        }
    }
    let taux_total: Decimal = lignes.iter().map(|l| l.taux).sum();
    let statut = lignes
        .iter()
        .map(|l| l.statut)
        .fold(bareme.reference.statut, Statut::max);
    Ok(MajorationsElu {
        taux_vote,
        montant_total_eur: bareme.reference.montant(taux_vote + taux_total)
            - bareme.reference.montant(taux_vote),
        lignes,
        taux_total,
        statut,
    })
}

fn article(m: Majoration) -> &'static str {
    match m {
        Majoration::ChefLieuDepartement
        | Majoration::ChefLieuArrondissement
        | Majoration::BureauCentralisateurCanton => "CGCT L2123-22 1° ; R2123-23 1°",
        Majoration::CommuneSinistree => "CGCT L2123-22 2° ; R2123-23 2°",
        Majoration::StationTourisme => "CGCT L2123-22 3° ; R2123-23 3°",
        Majoration::Dsu => "CGCT L2123-22 5°",
    }
}

/// DSU majoration (L2123-22 5°): best belief, see [`majoration`].
fn dsu(
    regime: Regime,
    fonction: Fonction,
    taux_vote: Decimal,
    pop: u32,
    bareme: &Bareme,
) -> MontantMajoration {
    let strates = match fonction {
        Fonction::Maire | Fonction::MaireDelegue => Some((
            taux_maire(regime, pop),
            taux_maire_strate_superieure(regime, pop),
        )),
        Fonction::Adjoint | Fonction::AdjointMaireDelegue => Some((
            taux_adjoint(regime, pop),
            taux_adjoint_strate_superieure(regime, pop),
        )),
        Fonction::ConseillerDelegue
        | Fonction::Conseiller
        | Fonction::MaireArrondissement
        | Fonction::AdjointArrondissement => None,
    };
    let (taux, note) = match strates {
        Some((propre, Some(superieur))) if propre > Decimal::ZERO => {
            let majore = (taux_vote * superieur / propre).min(superieur);
            (
                (majore - taux_vote).max(Decimal::ZERO),
                format!(
                    "taux voté × {} / {} (strate supérieure), plafonné à {} %",
                    superieur.normalize(),
                    propre.normalize(),
                    superieur.normalize()
                ),
            )
        }
        Some(_) => (
            Decimal::ZERO,
            "pas de strate supérieure pour cette fonction".to_string(),
        ),
        None => (
            Decimal::ZERO,
            "pas de barème par strate pour cette fonction".to_string(),
        ),
    };
    MontantMajoration {
        majoration: Majoration::Dsu,
        taux,
        montant_eur: bareme.reference.montant(taux),
        article: article(Majoration::Dsu),
        // reference §4: exact DSU computation UNVERIFIED.
        statut: Statut::NonVerifie,
        note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::date;

    fn commune(pop: u32, majorations: &[Majoration]) -> Commune {
        let mut c = Commune::new(date(2024, 6, 1), pop, pop);
        c.majorations = majorations.to_vec();
        c
    }

    #[test]
    fn rates_of_r2123_23() {
        use Majoration::*;
        let t = |m, pop| taux_majoration(m, pop, Some(dec!(12.5)));
        assert_eq!(t(ChefLieuDepartement, 50000), Ok(Some(dec!(25))));
        assert_eq!(t(ChefLieuArrondissement, 50000), Ok(Some(dec!(20))));
        assert_eq!(t(BureauCentralisateurCanton, 50000), Ok(Some(dec!(15))));
        assert_eq!(t(StationTourisme, 4999), Ok(Some(dec!(50))));
        assert_eq!(t(StationTourisme, 5000), Ok(Some(dec!(25))));
        assert_eq!(t(CommuneSinistree, 5000), Ok(Some(dec!(12.5))));
        assert_eq!(t(Dsu, 5000), Ok(None));
        assert_eq!(
            taux_majoration(CommuneSinistree, 5000, None),
            Err(LawError::TauxSinistreManquant)
        );
    }

    #[test]
    fn who_may_be_majorated() {
        assert!(peut_etre_majoree(Fonction::Maire, 800));
        assert!(peut_etre_majoree(Fonction::Adjoint, 800));
        assert!(peut_etre_majoree(Fonction::ConseillerDelegue, 800));
        assert!(!peut_etre_majoree(Fonction::Conseiller, 99999));
        assert!(peut_etre_majoree(Fonction::Conseiller, 100000));
    }

    #[test]
    fn chef_lieu_de_departement_on_the_voted_rate() {
        // adjoint of a 30 000 chef-lieu de département voted at 33 %: +25 % of 33 = 8,25 %
        let c = commune(30000, &[Majoration::ChefLieuDepartement]);
        let m = majoration(&c, Fonction::Adjoint, dec!(33), None).expect("ok");
        assert_eq!(m.taux_total, dec!(8.25));
        // 1 356,47 × 1,25 = 41,25 % of B = 1 695,59 € (round(41.25 × 4110.524083…/100))
        assert_eq!(m.montant_total_eur, dec!(1695.59) - dec!(1356.47));
        assert_eq!(m.statut, Statut::Verifie);
    }

    #[test]
    fn plain_conseiller_below_100000_gets_nothing() {
        let c = commune(30000, &[Majoration::ChefLieuDepartement]);
        let m = majoration(&c, Fonction::Conseiller, dec!(6), None).expect("ok");
        assert!(m.lignes.is_empty());
        assert_eq!(m.montant_total_eur, Decimal::ZERO);
    }

    #[test]
    fn cumulation_is_additive_and_flagged() {
        use Majoration::*;
        // maire of a 3 000 station + bureau centralisateur voted at 51,6 %:
        // +50 % (station < 5 000) + 15 % = 65 % of 51,6 = 33,54 %
        let c = commune(3000, &[StationTourisme, BureauCentralisateurCanton]);
        let m = majoration(&c, Fonction::Maire, dec!(51.6), None).expect("ok");
        assert_eq!(m.taux_total, dec!(33.54));
        assert_eq!(m.statut, Statut::NonVerifie);
    }

    #[test]
    fn only_the_highest_chef_lieu_applies() {
        use Majoration::*;
        let c = commune(
            60000,
            &[
                ChefLieuArrondissement,
                ChefLieuDepartement,
                BureauCentralisateurCanton,
            ],
        );
        let m = majoration(&c, Fonction::Maire, dec!(100), None).expect("ok");
        assert_eq!(m.lignes.len(), 1);
        assert_eq!(m.taux_total, dec!(25));
    }

    #[test]
    fn dsu_moves_to_the_next_stratum() {
        // adjoint of a 15 000 DSU commune (2019 regime): own 27,5 %, next 33 %.
        let c = commune(15000, &[Majoration::Dsu]);
        let m = majoration(&c, Fonction::Adjoint, dec!(27.5), None).expect("ok");
        assert_eq!(m.taux_total, dec!(5.5));
        // voted at half the rate: ratio applied, 13,75 × 33 / 27,5 = 16,5
        let m = majoration(&c, Fonction::Adjoint, dec!(13.75), None).expect("ok");
        assert_eq!(m.taux_total, dec!(2.75));
        // voted above own rate (enveloppe use): capped at the next stratum's 33 %
        let m = majoration(&c, Fonction::Adjoint, dec!(40), None).expect("ok");
        assert_eq!(m.taux_total, Decimal::ZERO);
        assert_eq!(m.statut, Statut::NonVerifie);
        // maire of a 150 000 commune: no higher stratum
        let c = commune(150000, &[Majoration::Dsu]);
        let m = majoration(&c, Fonction::Maire, dec!(145), None).expect("ok");
        assert_eq!(m.taux_total, Decimal::ZERO);
    }

    #[test]
    fn chef_lieu_and_sinistree_cumulate_explicitly() {
        use Majoration::*;
        // R2123-23 2°: cumulable with 1°, each on the voted indemnity (reference §4, YES text).
        // Maire of a 30 000 chef-lieu de département, 12,5 % of buildings damaged, voted at 90 %:
        // 25 % + 12,5 % of 90 = 22,5 + 11,25 = 33,75 %
        let mut c = commune(30000, &[ChefLieuDepartement, CommuneSinistree]);
        c.taux_sinistre = Some(dec!(12.5));
        let m = majoration(&c, Fonction::Maire, dec!(90), None).expect("ok");
        assert_eq!(m.lignes.len(), 2);
        assert_eq!(m.taux_total, dec!(33.75));
        assert_eq!(m.statut, Statut::Verifie);
        // 123,75 % of B = 5 086,77 € ; 90 % = 3 699,47 €
        assert_eq!(m.montant_total_eur, dec!(5086.77) - dec!(3699.47));
        // any other cumulation is a best belief (L106)
        let mut c = commune(
            30000,
            &[ChefLieuDepartement, CommuneSinistree, StationTourisme],
        );
        c.taux_sinistre = Some(dec!(12.5));
        let m = majoration(&c, Fonction::Maire, dec!(90), None).expect("ok");
        assert_eq!(m.statut, Statut::NonVerifie);
        assert!(m.lignes.iter().all(|l| l.statut == Statut::NonVerifie));
    }

    #[test]
    fn dropping_a_chef_lieu_category_is_flagged() {
        use Majoration::*;
        // préfecture also listed as chef-lieu d'arrondissement: 25 % kept, flagged (L115)
        let c = commune(60000, &[ChefLieuDepartement, ChefLieuArrondissement]);
        let m = majoration(&c, Fonction::Adjoint, dec!(44), None).expect("ok");
        assert_eq!(m.lignes.len(), 1);
        assert_eq!(m.taux_total, dec!(11));
        assert_eq!(m.statut, Statut::NonVerifie);
    }

    #[test]
    fn retained_categories_and_explicit_cumulation() {
        use Majoration::*;
        let cases: [(&[Majoration], &[Majoration], bool, bool); 8] = [
            // (input, retained, a 1° category dropped, cumulation explicit)
            (&[], &[], false, true),
            (&[Dsu], &[Dsu], false, true),
            (
                &[ChefLieuArrondissement, ChefLieuArrondissement],
                &[ChefLieuArrondissement],
                false,
                true,
            ),
            (
                &[BureauCentralisateurCanton, ChefLieuDepartement],
                &[ChefLieuDepartement],
                true,
                true,
            ),
            (
                &[CommuneSinistree, BureauCentralisateurCanton],
                &[BureauCentralisateurCanton, CommuneSinistree],
                false,
                true,
            ),
            (
                &[StationTourisme, CommuneSinistree],
                &[StationTourisme, CommuneSinistree],
                false,
                false,
            ),
            (
                &[ChefLieuDepartement, Dsu],
                &[ChefLieuDepartement, Dsu],
                false,
                false,
            ),
            (
                &[
                    ChefLieuArrondissement,
                    CommuneSinistree,
                    ChefLieuDepartement,
                ],
                &[ChefLieuDepartement, CommuneSinistree],
                true,
                true,
            ),
        ];
        for (entree, retenues, ecartee, explicite) in cases {
            let (r, e) = categories_retenues(entree);
            assert_eq!((r.as_slice(), e), (retenues, ecartee), "{entree:?}");
            assert_eq!(cumul_explicite(&r), explicite, "{entree:?}");
        }
    }

    #[test]
    fn maire_delegue_majorations_are_partial() {
        // reference §4: maires délégués may be majorated (QE 16-802, PARTIAL). Issue 16 §1:
        // the station threshold of R2123-23 3° reads on the commune's population totale
        // (reference §13 [B]): a commune déléguée of 4 100 inhabitants in a commune of 30 000
        // gets +25 % (not +50 %, which would exceed the maire's own +25 %).
        let c = commune(30000, &[Majoration::StationTourisme]);
        let m = majoration(&c, Fonction::MaireDelegue, dec!(51.6), Some(4100)).expect("ok");
        assert_eq!(m.taux_total, dec!(12.9));
        assert_eq!(m.statut, Statut::Partiel);
        let m = majoration(&c, Fonction::Maire, dec!(90), None).expect("ok");
        assert_eq!(m.taux_total, dec!(22.5)); // 25 % above 5 000
        assert_eq!(m.statut, Statut::Verifie);
    }

    #[test]
    fn adjoint_au_maire_delegue_majorations_follow_the_maire_delegue() {
        // Same reading as the maire délégué·e (L119): station threshold on the commune's
        // population totale (30 000 ⇒ 25 %), lines `Partiel`.
        let c = commune(30000, &[Majoration::StationTourisme]);
        let m = majoration(&c, Fonction::AdjointMaireDelegue, dec!(22), Some(4100)).expect("ok");
        assert_eq!(m.taux_total, dec!(5.5));
        assert_eq!(m.statut, Statut::Partiel);
        // DSU on the adjoint barème of the commune déléguée's stratum (L2113-19): 22 % at 4 100
        // ⇒ next stratum 27,5 % (2019 regime), not the commune's own 33 % ⇒ 44 % step.
        let c = commune(30000, &[Majoration::Dsu]);
        let m = majoration(&c, Fonction::AdjointMaireDelegue, dec!(22), Some(4100)).expect("ok");
        assert_eq!(m.taux_total, dec!(5.5));
        assert_eq!(m.statut, Statut::NonVerifie);
    }

    #[test]
    fn who_may_be_majorated_at_the_100000_boundary() {
        use Fonction::*;
        // L2123-22 al. 1: L2123-23, L2123-24 I, L2123-24-1 I and III; not L2123-24-1 II.
        // (function, 99 999, 100 000)
        let cases = [
            (Maire, true, true),
            (Adjoint, true, true),
            (ConseillerDelegue, true, true),
            (Conseiller, false, true),
            (MaireDelegue, true, true),
            (AdjointMaireDelegue, true, true),
        ];
        for (f, avant, apres) in cases {
            assert_eq!(peut_etre_majoree(f, 99999), avant, "{f:?} 99 999");
            assert_eq!(peut_etre_majoree(f, 100000), apres, "{f:?} 100 000");
        }
    }

    #[test]
    fn sinistree_needs_its_rate() {
        let c = commune(5000, &[Majoration::CommuneSinistree]);
        assert_eq!(
            majoration(&c, Fonction::Maire, dec!(55), None),
            Err(LawError::TauxSinistreManquant)
        );
    }
}
