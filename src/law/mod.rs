//! The rules of the Code général des collectivités territoriales (CGCT) as dated, cited tables.
//!
//! In: a date, population figures, the commune's majorations, and (for the checks) a loaded
//! [`crate::model::Scenario`]. Out: plain data (rates in % of the terme de référence, amounts in
//! euros as exact [`Decimal`]s, findings, a préfecture-style [`Fiche`]). No I/O happens here.
//!
//! Conventions (see `docs/droit.md` for the full list of rules, articles and open points):
//! - every legal number cites its article in a comment next to it;
//! - rates are kept as exact decimals in % of the terme de référence `B`; an amount per person is
//!   `round_half_up(rate × B, 2)`, rounded only at the very end (this reproduces the official
//!   2024 table to the cent);
//! - the legal regime (barèmes, enveloppe rule) is chosen by the date ([`Regime`]);
//! - every rule carries a [`Statut`]; a point the legal reference marks UNVERIFIED is implemented
//!   as its best belief and flagged [`Statut::NonVerifie`] wherever it shows in an output.
//!
//! Files: [`reference`](mod@reference) (terme de référence), [`bareme`] (maire / adjoint /
//! conseiller rates), [`composition`] (council size, adjoints, parity),
//! [`enveloppe`](mod@enveloppe) (enveloppe indemnitaire globale and individual caps),
//! [`majoration`](mod@majoration) (L2123-22), [`commune_nouvelle`] (maires délégués),
//! [`ecretement`] (L2123-20 II), [`cotisations`] (employer and élu·e contributions, net,
//! training budget), [`verification`] (checks of a scenario),
//! [`fiche`](mod@fiche) (the sheet for `collegia bareme`). The rules and open points are listed
//! in `docs/droit.md`.

pub mod bareme;
pub mod commune_nouvelle;
pub mod composition;
pub mod cotisations;
pub mod ecretement;
pub mod enveloppe;
pub mod fiche;
pub mod majoration;
pub mod plm;
pub mod reference;
pub mod verification;

pub use bareme::{Bareme, Regime};
pub use commune_nouvelle::{
    ConseilElargi, PhaseConseil, PlafondCommuneNouvelle, conseil_commune_nouvelle, conseil_declare,
    plafond_adjoint_maire_delegue, plafond_l2113_19, plafond_maire_delegue,
};
pub use composition::{
    PlafondQuartier, alternance_obligatoire, effectif_legal, max_adjoints, max_adjoints_quartier,
    ruptures_alternance, statut_effectif_legal,
};
pub use ecretement::{
    Ecretement, ecreter, indemnite_parlementaire_base, plafond_ecretement,
    statut_indemnite_parlementaire,
};
pub use enveloppe::{
    AjoutNonVerifie, Enveloppe, Perimetre, PerimetreFonction, Plafond, enveloppe, perimetre,
    plafond_individuel,
};
pub use fiche::{ConseilFiche, Fiche, LigneFiche, fiche, fiche_conseil};
pub use majoration::{
    MajorationsElu, MontantMajoration, categories_retenues, cumul_explicite, majoration,
    peut_etre_majoree, taux_majoration,
};
pub use plm::Plm;
pub use reference::{TermeReference, terme_reference};
pub use verification::{Gravite, LegalFinding, POINTS_OUVERTS, PointOuvert, verifier_composition};

/// The date of the legal tables: the last day up to which the terme de référence (point value)
/// and the barèmes encoded here are known to hold ([`reference::FIN_VERIFICATION`]; after it a
/// rate stays computed but its status is « partiel », open point L102). `collegia --version`
/// prints it beside the version.
pub const DATE_DES_TABLES: chrono::NaiveDate = reference::FIN_VERIFICATION;

use crate::model::{
    Elu, Fonction, LectureMaireDelegueAdjoint, LecturePlafondL2113_8, Majoration, Scenario,
    ScenarioParams,
};
use chrono::NaiveDate;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// How well a legal rule or value is established, after the `verified` column of the legal
/// reference (`droit-des-elus.md`).
///
/// Ordered from the most to the least certain, so that `max` gives the weakest link of a
/// computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Statut {
    /// The legal text was read, or ≥ 2 independent secondary sources agree.
    Verifie,
    /// Computed from verified inputs.
    Derive,
    /// One reliable source only, or a source that predates a possible amendment.
    Partiel,
    /// Not found in the sources: best belief, to re-check before relying on it.
    NonVerifie,
}

impl Statut {
    /// True when the value can be relied on (verified, or derived from verified inputs).
    pub fn est_verifie(self) -> bool {
        matches!(self, Statut::Verifie | Statut::Derive)
    }

    /// French label, as printed in tables.
    pub fn libelle(self) -> &'static str {
        match self {
            Statut::Verifie => "vérifié",
            Statut::Derive => "dérivé",
            Statut::Partiel => "partiel",
            Statut::NonVerifie => "non vérifié",
        }
    }
}

/// Errors of the law module (French messages, shown to users).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LawError {
    /// The date is before the first row of a dated table.
    #[error("date {date} antérieure à la première valeur connue de « {table} » ({premiere})")]
    DateAvantTable {
        /// Date asked for.
        date: NaiveDate,
        /// Name of the table.
        table: &'static str,
        /// First date the table covers.
        premiere: NaiveDate,
    },
    /// A commune sinistrée majoration was asked for without its rate of damaged buildings.
    #[error(
        "majoration « commune sinistrée » demandée sans taux de sinistre (part des immeubles sinistrés, en %)"
    )]
    TauxSinistreManquant,
    /// A date could not be parsed.
    #[error("date invalide « {0} » : attendu AAAA-MM-JJ ou JJ/MM/AAAA")]
    DateInvalide(String),
    /// Unknown majoration code.
    #[error(
        "majoration inconnue « {0} » : attendu chef_lieu_departement, chef_lieu_arrondissement, bureau_centralisateur_canton, station_tourisme, commune_sinistree ou dsu"
    )]
    MajorationInconnue(String),
    /// A number given as a float is not finite or out of range.
    #[error("valeur numérique invalide pour {champ} : {valeur}")]
    ValeurInvalide {
        /// Field name.
        champ: &'static str,
        /// Value as given.
        valeur: String,
    },
}

/// The commune as the law sees it at a date: the inputs every rule of this module needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commune {
    /// Date the computation applies at (selects the regime and the terme de référence).
    pub date: NaiveDate,
    /// Population totale: indemnity strata (QE n° 73245, JO 19/05/2015).
    pub population_totale: u32,
    /// Population municipale: council size and adjoint rules (L2121-2, L2122-7-2).
    pub population_municipale: u32,
    /// Council size when it differs from the L2121-2 table (L2121-2-1 small councils).
    pub effectif_conseil: Option<u32>,
    /// True when the commune has created at least one adjoint·e de quartier (L2122-2-1).
    pub quartier: bool,
    /// Majorations the commune is entitled to (L2123-22).
    pub majorations: Vec<Majoration>,
    /// Share of damaged buildings in %, for a commune sinistrée (L2123-22 2°).
    pub taux_sinistre: Option<Decimal>,
    /// Paris, Lyon or Marseille (from `code_insee`): their own council size and caps
    /// (L2511-1 and following, L2511-34, L2511-34-1).
    pub plm: Option<Plm>,
    /// Enlarged council of a commune nouvelle (L2113-7, L2113-8), from its creation date or
    /// declared by `effectif_conseil` above the ordinary size.
    pub conseil_elargi: Option<ConseilElargi>,
    /// Who the indemnity cap of the enlarged council covers (a reading, `plafond_l2113_8`).
    pub plafond_l2113_8: LecturePlafondL2113_8,
}

impl Commune {
    /// A commune with no majoration, no quartier adjoint and the legal council size.
    pub fn new(date: NaiveDate, population_totale: u32, population_municipale: u32) -> Commune {
        Commune {
            date,
            population_totale,
            population_municipale,
            effectif_conseil: None,
            quartier: false,
            majorations: Vec::new(),
            taux_sinistre: None,
            plm: None,
            conseil_elargi: None,
            plafond_l2113_8: LecturePlafondL2113_8::default(),
        }
    }

    /// The commune described by a scenario's parameters; `quartier` says whether adjoint·es de
    /// quartier exist (the scenario knows it from its élu·es, see [`verifier_composition`]).
    pub fn depuis_params(p: &ScenarioParams, quartier: bool) -> Result<Commune, LawError> {
        let taux_sinistre = match p.taux_sinistre {
            Some(t) => Some(decimal_depuis_f64("taux_sinistre", t)?),
            None => None,
        };
        let plm = p
            .commune
            .code_insee
            .as_deref()
            .and_then(Plm::depuis_code_insee);
        let conseil_elargi = match p.commune.date_creation {
            Some(creation) if p.commune_nouvelle => conseil_commune_nouvelle(
                creation,
                p.date,
                p.population_municipale,
                &p.commune.conseils_anciens,
            ),
            _ => None,
        };
        // CGCT L2113-7, L2113-8: a commune nouvelle's council declared above the ordinary size
        // is an enlarged council, and its indemnities are capped, however it is declared.
        let ordinaire = plm.map_or_else(|| effectif_legal(p.population_municipale), Plm::effectif);
        let conseil_elargi = match (conseil_elargi, p.effectif_conseil) {
            (None, Some(n)) if p.commune_nouvelle && n > ordinaire => {
                Some(conseil_declare(n, ordinaire))
            }
            (c, _) => c,
        };
        Ok(Commune {
            date: p.date,
            population_totale: p.population_totale,
            population_municipale: p.population_municipale,
            effectif_conseil: p.effectif_conseil,
            quartier,
            majorations: p.majorations.clone(),
            taux_sinistre,
            plm,
            conseil_elargi,
            plafond_l2113_8: p.commune.plafond_l2113_8,
        })
    }

    /// The commune of a scenario, with the adjoint·es de quartier counted in the enveloppe
    /// only when L2122-2-1 is actually used (see [`quartier_applique`]).
    pub fn du_scenario(s: &Scenario) -> Result<Commune, LawError> {
        let sans = Commune::depuis_params(&s.params, false)?;
        let quartier = quartier_applique(s, &sans);
        Ok(Commune { quartier, ..sans })
    }

    /// Effectif légal of the council: the scenario's own size when given (L2121-2-1: a small
    /// council "réputé complet" uses its real size for every rule based on the effectif), then
    /// the PLM sizes (Paris 163, Marseille 101, Lyon 73), then the enlarged council of a commune
    /// nouvelle (L2113-7, L2113-8), otherwise the L2121-2 table on the population municipale.
    pub fn effectif_legal(&self) -> u32 {
        if let Some(n) = self.effectif_conseil {
            return n;
        }
        if let Some(plm) = self.plm {
            return plm.effectif();
        }
        match &self.conseil_elargi {
            Some(c) => c.effectif,
            None => effectif_legal(self.population_municipale),
        }
    }

    /// The size of a commune of the same population (L2121-2 or PLM), without the enlargement
    /// of a commune nouvelle: the basis of the indemnity cap of L2113-8.
    pub fn effectif_ordinaire(&self) -> u32 {
        match (&self.conseil_elargi, self.plm) {
            (Some(c), _) => c.effectif_ordinaire,
            (None, Some(plm)) => plm.effectif(),
            (None, None) => effectif_legal(self.population_municipale),
        }
    }

    /// The enlarged council when the council in force is above the ordinary size (declared
    /// by `effectif_conseil` or computed from the history): L2113-7 / L2113-8 and their cap
    /// apply, not L2121-2-1 (which is about small councils).
    pub fn elargi(&self) -> Option<&ConseilElargi> {
        self.conseil_elargi
            .as_ref()
            .filter(|c| self.effectif_legal() > c.effectif_ordinaire)
    }

    /// True when `effectif_conseil` declares a small council (L2121-2-1, below the ordinary
    /// size), the only case that article is about.
    pub fn petit_conseil(&self) -> bool {
        self.effectif_conseil
            .is_some_and(|n| self.elargi().is_none() && n < self.effectif_ordinaire())
    }

    /// Article of [`Commune::effectif_legal`].
    pub fn article_effectif(&self) -> &'static str {
        if let Some(c) = self.elargi() {
            return c.article;
        }
        if self.effectif_conseil.is_some() {
            return "CGCT L2121-2-1";
        }
        if self.plm.is_some() {
            return "CGCT L2511-1 ; code électoral L260 (tableau n° 2)";
        }
        match &self.conseil_elargi {
            Some(c) => c.article,
            None => "CGCT L2121-2",
        }
    }

    /// Status of [`Commune::effectif_legal`]: the scenario's own size rests on a reading of
    /// L2121-2-1 (reference §6.1, best belief: open point L110, [`Statut::Partiel`]); PLM sizes
    /// are verified; an enlarged council takes its own status; the L2121-2 table otherwise (see
    /// [`statut_effectif_legal`]).
    pub fn statut_effectif(&self) -> Statut {
        if let Some(c) = self.elargi() {
            return c.statut;
        }
        if self.effectif_conseil.is_some() {
            return Statut::Partiel;
        }
        if self.plm.is_some() {
            return Statut::Verifie;
        }
        match &self.conseil_elargi {
            Some(c) => c.statut,
            None => statut_effectif_legal(self.population_municipale, self.date),
        }
    }
}

/// Adjoint·es of a scenario counted in the 30 % of L2122-2: the adjoint·es of the commune,
/// without the maires délégué·es elected adjoint·es (an adjoint·e attached to a declared
/// commune déléguée) under the default reading `maire_delegue_adjoint = "hors_30"`: L2113-13
/// makes them adjoint·es de droit, not elected on the 30 % list (Sénat, written question
/// n° 25598; reference §14 \[B\]).
pub fn adjoints_dans_30(s: &Scenario) -> Vec<&Elu> {
    let hors_30 = s.params.commune.maire_delegue_adjoint == LectureMaireDelegueAdjoint::Hors30;
    s.elus
        .iter()
        .filter(|e| e.fonction == Fonction::Adjoint)
        .filter(|e| {
            !(hors_30
                && e.commune_deleguee
                    .as_ref()
                    .is_some_and(|id| s.params.communes_deleguees.iter().any(|cd| &cd.id == id)))
        })
        .collect()
}

/// Whether the commune uses L2122-2-1 (adjoint·es de quartier beyond the 30 %), the condition
/// of the enveloppe's « s'il en est fait application » (L2123-24 II, loi 2025-1249; reference
/// §14 \[B\]: quartier posts exist only where the council creates them, and adjoint·es de
/// quartier elected within the 30 % add nothing). The key `adjoints_quartier_crees` says it
/// when given; otherwise it is true when adjoint·es de quartier are declared and the adjoint·es
/// exceed the 30 %. Never in Paris, Lyon and Marseille (L2511-1-1 excludes L2122-2-1).
pub fn quartier_applique(s: &Scenario, commune: &Commune) -> bool {
    if commune.plm.is_some() {
        return false;
    }
    if let Some(cree) = s.params.commune.adjoints_quartier_crees {
        return cree;
    }
    let adjoints = adjoints_dans_30(s);
    let n = u32::try_from(adjoints.len()).unwrap_or(u32::MAX);
    adjoints.iter().any(|e| e.quartier.is_some()) && n > max_adjoints(commune.effectif_legal())
}

/// Rounds a euro amount half-up to the cent (amounts are never negative here).
pub fn arrondi_centime(montant: Decimal) -> Decimal {
    montant.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Thousands separator of every French number collegia writes (narrow no-break space, see
/// [`crate::format`]).
pub const SEPARATEUR_MILLIERS: char = crate::format::NNBSP;

/// Formats an integer the French way: `130 000`.
pub fn format_entier(n: u32) -> String {
    crate::format::grouper(&n.to_string())
}

/// Formats a decimal the French way (see [`crate::format::decimal`]).
pub fn format_decimal(d: Decimal, decimales: Option<u32>) -> String {
    crate::format::decimal(d, decimales)
}

/// Formats a euro amount: `5 960,26 €`.
pub fn format_euros(d: Decimal) -> String {
    format!("{}{}€", format_decimal(d, Some(2)), crate::format::NNBSP)
}

/// Formats a rate: `145 %`, `72,5 %` (rates are shown with at most 4 decimals).
pub fn format_taux(d: Decimal) -> String {
    format!(
        "{}{}%",
        format_decimal(d.round_dp(4), None),
        crate::format::NNBSP
    )
}

/// Converts a rate or amount read as `f64` (scenario files) to a [`Decimal`], keeping 6
/// decimals so that `21.38_f64` becomes exactly `21.38`.
pub fn decimal_depuis_f64(champ: &'static str, valeur: f64) -> Result<Decimal, LawError> {
    Decimal::from_f64(valeur)
        .map(|d| d.round_dp(6).normalize())
        .ok_or_else(|| LawError::ValeurInvalide {
            champ,
            valeur: valeur.to_string(),
        })
}

/// Parses a date written `AAAA-MM-JJ` (ISO) or `JJ/MM/AAAA` (French), e.g. for `--date`.
pub fn parse_date(s: &str) -> Result<NaiveDate, LawError> {
    let t = s.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .map_err(|_| LawError::DateInvalide(s.to_string()))
}

/// Parses a majoration code as written in `scenario.toml` or on the command line
/// (`chef_lieu_departement`, …; `-` accepted for `_`, case ignored).
pub fn parse_majoration(s: &str) -> Result<Majoration, LawError> {
    let code = s.trim().to_lowercase().replace('-', "_");
    [
        Majoration::ChefLieuDepartement,
        Majoration::ChefLieuArrondissement,
        Majoration::BureauCentralisateurCanton,
        Majoration::StationTourisme,
        Majoration::CommuneSinistree,
        Majoration::Dsu,
    ]
    .into_iter()
    .find(|m| m.code() == code)
    .ok_or_else(|| LawError::MajorationInconnue(s.to_string()))
}

/// Builds a date in a `const` table; an invalid literal fails at compile time, never at run time.
pub(crate) const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(x) => x,
        None => panic!("invalid date literal in a law table"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn parse_date_accepts_iso_and_french() {
        assert_eq!(parse_date("2026-04-01"), Ok(date(2026, 4, 1)));
        assert_eq!(parse_date("01/04/2026"), Ok(date(2026, 4, 1)));
        assert!(matches!(
            parse_date("2026-13-01"),
            Err(LawError::DateInvalide(_))
        ));
    }

    #[test]
    fn parse_majoration_codes() {
        assert_eq!(
            parse_majoration("chef-lieu_departement"),
            Ok(Majoration::ChefLieuDepartement)
        );
        assert_eq!(parse_majoration("DSU"), Ok(Majoration::Dsu));
        assert!(parse_majoration("capitale").is_err());
    }

    #[test]
    fn rounding_is_half_up_to_the_cent() {
        assert_eq!(arrondi_centime(dec!(8897.925)), dec!(8897.93));
        assert_eq!(arrondi_centime(dec!(904.3152)), dec!(904.32));
        assert_eq!(arrondi_centime(dec!(904.3149)), dec!(904.31));
    }

    #[test]
    fn french_number_format() {
        assert_eq!(format_euros(dec!(5960.26)), "5\u{202f}960,26\u{202f}€");
        assert_eq!(format_euros(dec!(904.3)), "904,30\u{202f}€");
        assert_eq!(
            format_euros(dec!(1234567.891)),
            "1\u{202f}234\u{202f}567,89\u{202f}€"
        );
        assert_eq!(format_taux(dec!(145)), "145\u{202f}%");
        assert_eq!(format_taux(dec!(72.50)), "72,5\u{202f}%");
        assert_eq!(format_taux(dec!(1201)), "1\u{202f}201\u{202f}%");
        assert_eq!(format_entier(130000), "130\u{202f}000");
        assert_eq!(format_entier(999), "999");
        assert_eq!(format_decimal(dec!(-1500.5), Some(2)), "-1\u{202f}500,50");
    }

    #[test]
    fn f64_rates_become_exact_decimals() {
        assert_eq!(decimal_depuis_f64("t", 21.38), Ok(dec!(21.38)));
        assert_eq!(decimal_depuis_f64("t", 72.5), Ok(dec!(72.5)));
        assert!(decimal_depuis_f64("t", f64::NAN).is_err());
    }

    #[test]
    fn statut_order_gives_the_weakest_link() {
        assert_eq!(Statut::Verifie.max(Statut::NonVerifie), Statut::NonVerifie);
        assert!(Statut::Derive.est_verifie());
        assert!(!Statut::Partiel.est_verifie());
    }
}
