//! Command-line interface: arguments → options → library calls. The only module that prints.
//!
//! Exit codes (documented in the README and `docs/fiabilite.md`):
//! - 0: success;
//! - 1: bad input (coded diagnostics printed) or I/O error;
//! - 2: infeasible optimisation (a diagnosis is printed, nothing is written);
//! - 3: `--strict` and the analysis found at least one erreur;
//! - 64: wrong use of the command line (unknown option, missing argument).

mod args;
mod optimiser;

use args::{Cli, Commande};
use clap::Parser;
use std::process::ExitCode;

/// Exit code: success.
pub const EXIT_OK: u8 = 0;
/// Exit code: bad input or I/O error.
pub const EXIT_ENTREE: u8 = 1;
/// Exit code: infeasible optimisation.
pub const EXIT_INFAISABLE: u8 = 2;
/// Exit code: `--strict` and erreurs found.
pub const EXIT_STRICT: u8 = 3;
/// Exit code: wrong use of the command line.
pub const EXIT_USAGE: u8 = 64;

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => return args::report_clap_error(e),
    };
    ExitCode::from(run(cli))
}

fn run(cli: Cli) -> u8 {
    match cli.commande {
        Commande::Verifier(a) => verifier(&a.scenario),
        Commande::Optimiser(a) => optimiser::run(&optimiser::OptionsOptimiser {
            scenario: a.scenario,
            granularite: match a.granularite {
                args::GranulariteArg::Direction => crate::optimise::Granularite::Direction,
                args::GranulariteArg::Service => crate::optimise::Granularite::Service,
            },
            regrouper: a.regrouper,
            solve: crate::optimise::Options {
                solveur: match a.solveur {
                    args::SolveurArg::Microlp => crate::optimise::Solveur::Microlp,
                    args::SolveurArg::Highs => crate::optimise::Solveur::Highs,
                },
                limite_temps: a.limite_temps,
                ecart_max: a.ecart_max,
            },
            exporter_modele: a.exporter_modele,
            sortie: a.sortie,
        }),
    }
}

/// Loads a scenario, printing warnings; prints every diagnostic and returns `None` on failure.
fn charger(dossier: &std::path::Path) -> Option<crate::ingest::Chargement> {
    match crate::ingest::load_scenario(dossier) {
        Ok(c) => {
            for w in &c.avertissements {
                eprintln!("Avertissement : {w}");
            }
            Some(c)
        }
        Err(e) => {
            eprint!("{e}");
            None
        }
    }
}

fn verifier(dossier: &std::path::Path) -> u8 {
    let Some(c) = charger(dossier) else {
        eprintln!(
            "Le scénario n'est pas valide : corrigez les erreurs ci-dessus puis relancez « collegia verifier »."
        );
        return EXIT_ENTREE;
    };
    print!(
        "{}",
        crate::report::verification::render(&c.scenario, &dossier.display().to_string())
    );
    println!("Le scénario est valide.");
    EXIT_OK
}
