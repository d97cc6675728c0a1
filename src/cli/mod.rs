//! Command-line interface: arguments → options → library calls. The only module that prints.
//!
//! Exit codes (documented in the README and `docs/fiabilite.md`):
//! - 0: success;
//! - 1: bad input (coded diagnostics printed) or I/O error;
//! - 2: infeasible optimisation (a diagnosis is printed, nothing is written);
//! - 3: `--strict` and the analysis found at least one erreur;
//! - 64: wrong use of the command line (unknown option, missing argument).

/// `println!` that never panics: when stdout is closed (`collegia … | head`), the command stops
/// quietly with exit code 0 instead of panicking on a broken pipe.
macro_rules! outln {
    () => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout().lock()).is_err() {
            std::process::exit(0);
        }
    }};
    ($($t:tt)+) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout().lock(), $($t)+).is_err() {
            std::process::exit(0);
        }
    }};
}

/// `print!` that never panics on a closed stdout (see [`outln!`]).
macro_rules! out {
    ($($t:tt)+) => {{
        use std::io::Write as _;
        if write!(std::io::stdout().lock(), $($t)+).is_err() {
            std::process::exit(0);
        }
    }};
}

mod affecter;
mod analyser;
mod args;
mod bareme;
mod classeur;
mod comparer;
mod indemnites;
mod optimiser;
mod rapport;
mod rne;
mod seminaire;

pub(crate) use args::{
    BaremeArgs, ComparerArgs, Format, GenererArgs, ImporterRneArgs, IndemnitesArgs, RapportArgs,
};
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
        Commande::ImporterRne(a) => rne::importer(&a),
        Commande::Bareme(a) => bareme::bareme(&a),
        Commande::Generer(a) => generer(&a),
        Commande::Analyser(a) => analyser::run(&a),
        Commande::Rapport(a) => rapport::run(&a),
        Commande::Comparer(a) => comparer::run(&a),
        Commande::Indemnites(a) => indemnites::indemnites(&a),
        Commande::Optimiser(a)
            if matches!(a.solveur, args::SolveurArg::Highs) && !cfg!(feature = "highs") =>
        {
            // Refused before loading or solving: the fallback wrote a worse plan labelled HiGHS.
            eprintln!(
                "Erreur d'utilisation : le solveur HiGHS n'est pas compilé dans ce binaire ; relancez sans « --solveur highs » (solveur intégré microlp), ou recompilez avec « cargo build --release --features highs » (cmake, compilateur C++ et libclang requis)."
            );
            EXIT_USAGE
        }
        Commande::Seminaire(a) => seminaire::run(&a),
        Commande::Classeur(a) => classeur::run(&a),
        Commande::Affecter(a) => affecter::run(&affecter::OptionsAffecter {
            scenario: a.scenario,
            solve: crate::optimise::affectation::Options {
                solveur: match a.solveur {
                    args::SolveurArg::Microlp => crate::optimise::Solveur::Microlp,
                    args::SolveurArg::Highs => crate::optimise::Solveur::Highs,
                },
                limite_temps: a.limite_temps,
                couts: true,
            },
            sortie: a.sortie,
        }),
        Commande::Optimiser(a) => optimiser::run(&optimiser::OptionsOptimiser {
            scenario: a.scenario,
            granularite: match a.granularite {
                args::GranulariteArg::Direction => crate::optimise::Granularite::Direction,
                args::GranulariteArg::Service => crate::optimise::Granularite::Service,
            },
            regrouper: a.regrouper,
            liberer_coeurs: a.liberer_coeurs,
            front: a.front,
            solve: crate::optimise::Options {
                solveur: match a.solveur {
                    args::SolveurArg::Microlp => crate::optimise::Solveur::Microlp,
                    args::SolveurArg::Highs => crate::optimise::Solveur::Highs,
                },
                limite_temps: a.limite_temps,
                ecart_max: a.ecart_max,
                limite_noeuds: (a.limite_noeuds > 0).then_some(a.limite_noeuds),
            },
            exporter_modele: a.exporter_modele,
            sortie: a.sortie,
            force: a.force,
        }),
    }
}

/// The end of a write-failure message: says that the previous files are intact only when they are.
pub(crate) fn intacts(e: &crate::report::ecriture::EcritureError) -> &'static str {
    if e.precedents_intacts() {
        " ; les fichiers précédents sont intacts"
    } else {
        ""
    }
}

/// Loads a scenario, printing warnings; prints every diagnostic and returns `None` on failure.
pub(crate) fn charger(dossier: &std::path::Path) -> Option<crate::ingest::Chargement> {
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
    out!(
        "{}",
        crate::report::verification::render(&c.scenario, &dossier.display().to_string())
    );
    outln!("Le scénario est valide.");
    EXIT_OK
}

fn generer(a: &GenererArgs) -> u8 {
    use crate::report::ecriture::Sortie;
    let sortie = match Sortie::new(&a.dossier, &[]) {
        Ok(s) => s.forcer(a.force),
        Err(e) => {
            eprintln!("Erreur : {e}");
            return EXIT_ENTREE;
        }
    };
    let fichiers = crate::synthese::generer_intrusions(a.taille, a.graine, a.partage, a.intrusions);
    // Every file is checked before any is written: an existing `elus.csv` (an RNE import being
    // completed by hand) is never replaced without --force.
    if let Err(e) = sortie.ecrire_tout(fichiers.liste()) {
        eprintln!("Erreur : {e}{}.", intacts(&e));
        return EXIT_ENTREE;
    }
    if a.voeux
        && let Err(e) = sortie.ecrire("voeux.csv", &crate::synthese::voeux(&fichiers, a.graine))
    {
        eprintln!("Erreur : {e}");
        return EXIT_ENTREE;
    }
    outln!(
        "Scénario synthétique « {} » (graine {}) écrit dans {}",
        a.taille.code(),
        a.graine,
        a.dossier.display()
    );
    EXIT_OK
}
