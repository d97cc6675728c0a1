//! `collegia analyser`: load a scenario, diagnose it, print the chosen format.
//!
//! Exit codes: 0 (even with findings), 1 when the scenario does not load, 3 with `--strict`
//! when at least one erreur is found.

use super::args::{AnalyserArgs, Format};
use super::{EXIT_ENTREE, EXIT_OK, EXIT_STRICT};
use super::{Resultat, code};
use collegia::analyse::analyser;
use collegia::report::analyse as rendu;

/// Runs the command and returns the exit code.
pub fn run(a: &AnalyserArgs) -> Resultat {
    let c = super::charger(&a.scenario)?;
    let analyse = analyser(&c.scenario);
    let sortie = match a.format {
        Format::Table => rendu::table(&analyse),
        Format::Csv => rendu::csv(&analyse),
        Format::Json => match rendu::json(&analyse) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("Erreur : sérialisation JSON impossible ({e}).");
                return code(EXIT_ENTREE);
            }
        },
    };
    out!("{sortie}");
    if a.strict && analyse.a_des_erreurs() {
        eprintln!(
            "Mode strict : {} trouvée(s), code de sortie {EXIT_STRICT}.",
            collegia::report::format::pluriel(
                analyse.nombre(collegia::analyse::Gravite::Erreur),
                "erreur",
                "erreurs"
            )
        );
        return code(EXIT_STRICT);
    }
    code(EXIT_OK)
}
