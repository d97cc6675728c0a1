//! `collegia bareme`: the préfecture-style sheet for a population and a date.

use super::{BaremeArgs, EXIT_ENTREE, EXIT_OK, Format};
use super::{Resultat, code};
use chrono::NaiveDate;
use collegia::law::{
    ConseilFiche, decimal_depuis_f64, fiche_conseil, parse_date, parse_majoration,
};

/// Today's date (UTC), from the system clock.
pub(crate) fn aujourd_hui() -> NaiveDate {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::Duration::days(days)))
        .unwrap_or_default()
}

pub(crate) fn bareme(a: &BaremeArgs) -> Resultat {
    let date = match &a.date {
        Some(d) => match parse_date(d) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("Erreur : {e}");
                return code(EXIT_ENTREE);
            }
        },
        None => aujourd_hui(),
    };
    let mut majorations = Vec::new();
    for m in &a.majorations {
        match parse_majoration(m) {
            Ok(m) => majorations.push(m),
            Err(e) => {
                eprintln!("Erreur : {e}");
                return code(EXIT_ENTREE);
            }
        }
    }
    let taux_sinistre = match a.taux_sinistre {
        Some(t) => match decimal_depuis_f64("taux-sinistre", t) {
            Ok(t) => Some(t),
            Err(e) => {
                eprintln!("Erreur : {e}");
                return code(EXIT_ENTREE);
            }
        },
        None => None,
    };
    if a.population == 0 {
        eprintln!("Erreur : la population doit être d'au moins 1 habitant·e.");
        return code(EXIT_ENTREE);
    }
    let f = match fiche_conseil(
        a.population,
        a.population_municipale.unwrap_or(a.population),
        date,
        &majorations,
        a.quartier,
        taux_sinistre,
        a.code_insee.as_deref(),
        ConseilFiche {
            effectif_conseil: a.effectif_conseil,
            commune_nouvelle: a.commune_nouvelle,
        },
    ) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("Erreur : {e}");
            return code(EXIT_ENTREE);
        }
    };
    match a.format {
        Format::Table => out!("{}", f.render_table()),
        Format::Csv => out!("{}", f.render_csv()),
        Format::Json => match serde_json::to_string_pretty(&f) {
            Ok(j) => outln!("{j}"),
            Err(e) => {
                eprintln!("Erreur : sérialisation JSON impossible ({e})");
                return code(EXIT_ENTREE);
            }
        },
    }
    code(EXIT_OK)
}
