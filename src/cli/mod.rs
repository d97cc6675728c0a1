//! Command-line interface: arguments → options → library calls. The only module that prints.
//!
//! Exit codes (documented in the README and `docs/fiabilite.md`):
//! - 0: success;
//! - 1: bad input (coded diagnostics printed) or I/O error;
//! - 2: infeasible optimisation (a diagnosis is printed, nothing is written; `rapport
//!   --optimiser` writes the report with the diagnosis in its « Proposition optimisée » section);
//! - 3: `--strict` and the analysis found at least one erreur;
//! - 64: wrong use of the command line (unknown option, missing argument).
//!
//! This module is the `collegia` binary's, not the library's. Runners return
//! `Result<ExitCode, Erreur>`; [`main`] is the one place where the library's error is printed
//! and becomes an exit code ([`Erreur::code_sortie`]).

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
mod paquet;
mod rapport;
mod reorganiser;
mod rne;
mod seminaire;

pub(crate) use args::{
    BaremeArgs, ComparerArgs, Format, GenererArgs, ImporterRneArgs, IndemnitesArgs, RapportArgs,
};
use args::{Cli, Commande};
use std::process::ExitCode;

use collegia::erreur::Erreur;
pub(crate) use collegia::erreur::{
    SORTIE_ENTREE as EXIT_ENTREE, SORTIE_INFAISABLE as EXIT_INFAISABLE, SORTIE_OK as EXIT_OK,
    SORTIE_STRICT as EXIT_STRICT, SORTIE_USAGE as EXIT_USAGE,
};

/// What a command returns: its exit code, or the library's error, which [`main`] alone prints
/// and turns into an exit code ([`Erreur::code_sortie`]).
pub(crate) type Resultat = Result<ExitCode, Erreur>;

/// A command's exit code when it has already said everything itself.
pub(crate) fn code(c: u8) -> Resultat {
    Ok(ExitCode::from(c))
}

/// Entry point of the binary: the one place where an error becomes a message and an exit code.
pub fn main() -> ExitCode {
    let cli = match args::commande()
        .try_get_matches()
        .and_then(|m| <Cli as clap::FromArgMatches>::from_arg_matches(&m))
    {
        Ok(c) => c,
        Err(e) => return args::report_clap_error(e),
    };
    let quoi = Quoi::de(&cli.commande);
    match run(cli) {
        Ok(c) => c,
        Err(e) => {
            eprint!("{}", e.texte());
            if let Some(suite) = quoi.conclusion(&e) {
                eprintln!("{suite}");
            }
            ExitCode::from(e.code_sortie())
        }
    }
}

/// What a command produces, for the sentence that ends its error message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Quoi {
    Verification,
    Rapport,
    Classeur,
    Comparaison,
    Seminaire,
    Indemnites,
    Fichiers,
}

impl Quoi {
    fn de(c: &Commande) -> Quoi {
        match c {
            Commande::Verifier(_) => Quoi::Verification,
            Commande::Rapport(_) => Quoi::Rapport,
            Commande::Classeur(_) => Quoi::Classeur,
            Commande::Comparer(_) => Quoi::Comparaison,
            Commande::Seminaire(_) => Quoi::Seminaire,
            Commande::Indemnites(_) => Quoi::Indemnites,
            _ => Quoi::Fichiers,
        }
    }

    /// The sentence after the error: what to do, and that nothing was written.
    fn conclusion(self, e: &Erreur) -> Option<&'static str> {
        if let Erreur::Entree(_) = e {
            return Some(match self {
                Quoi::Verification => {
                    "Le scénario n'est pas valide : corrigez les erreurs ci-dessus puis relancez « collegia verifier »."
                }
                Quoi::Rapport => "Aucun rapport n'a été écrit : corrigez d'abord le scénario.",
                Quoi::Classeur => "Aucun classeur n'a été écrit : corrigez d'abord le scénario.",
                Quoi::Comparaison => {
                    "Aucune comparaison n'a été écrite : corrigez d'abord le scénario en cause."
                }
                Quoi::Seminaire => "Le séminaire n'a pas démarré : corrigez d'abord le scénario.",
                Quoi::Indemnites | Quoi::Fichiers => {
                    "Le scénario n'est pas valide : corrigez les erreurs ci-dessus. Aucun fichier n'a été écrit."
                }
            });
        }
        match (self, e.infaisable()) {
            (Quoi::Rapport, _) => Some("Aucun rapport n'a été écrit."),
            (Quoi::Indemnites, true) => Some(
                "Rien n'a été écrit. Modifiez [indemnites] dans scenario.toml (voir docs/indemnites.md).",
            ),
            (Quoi::Fichiers, _) => Some("Aucun fichier n'a été écrit."),
            _ => None,
        }
    }
}

fn run(cli: Cli) -> Resultat {
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
            code(EXIT_USAGE)
        }
        Commande::Seminaire(a) => seminaire::run(&a),
        Commande::Reorganiser(a) => reorganiser::run(&a),
        Commande::Classeur(a) => classeur::run(&a),
        Commande::Paquet(a) => paquet::run(&a.dossier),
        Commande::Affecter(a) => affecter::run(&affecter::OptionsAffecter {
            scenario: a.scenario,
            solve: collegia::optimise::affectation::Options {
                solveur: match a.solveur {
                    args::SolveurArg::Microlp => collegia::optimise::Solveur::Microlp,
                    args::SolveurArg::Highs => collegia::optimise::Solveur::Highs,
                },
                limite_temps: a.limite_temps,
                couts: true,
            },
            sortie: a.sortie,
            force: a.force,
            rangs_individuels: a.rangs_individuels,
        }),
        Commande::Optimiser(a) => optimiser::run(&optimiser::OptionsOptimiser {
            scenario: a.scenario,
            granularite: match a.granularite {
                args::GranulariteArg::Direction => collegia::optimise::Granularite::Direction,
                args::GranulariteArg::Service => collegia::optimise::Granularite::Service,
            },
            regrouper: a.regrouper,
            liberer_coeurs: a.liberer_coeurs,
            front: a.front,
            solve: collegia::optimise::Options {
                solveur: match a.solveur {
                    args::SolveurArg::Microlp => collegia::optimise::Solveur::Microlp,
                    args::SolveurArg::Highs => collegia::optimise::Solveur::Highs,
                },
                limite_temps: a.limite_temps,
                ecart_max: a.ecart_max,
                limite_noeuds: (a.limite_noeuds > 0).then_some(a.limite_noeuds),
            },
            exporter_modele: a.exporter_modele,
            sortie: a.sortie,
            force: a.force,
            rangs_individuels: a.rangs_individuels,
        }),
    }
}

/// The end of a write-failure message: says that the previous files are intact only when they are.
pub(crate) fn intacts(e: &collegia::report::ecriture::EcritureError) -> &'static str {
    if e.precedents_intacts() {
        " ; les fichiers précédents sont intacts"
    } else {
        ""
    }
}

/// Says what a replacement did to outputs that were not the command's own (another command's
/// output replaced, foreign files removed with --force): never silently.
pub(crate) fn remarques(r: &collegia::report::ecriture::Remplacement) {
    for m in r.remarques() {
        eprintln!("Remarque : {m}.");
    }
}

/// When the scenario is a workbook, makes every variant among `fichiers` (each folder holding a
/// `scenario.toml`: a proposal, the points of a front, an assignment) stand on its own, since a
/// variant's `base` cannot be a workbook ([`collegia::ingest::classeur::completer_variante`]).
/// Errors are printed; `false` then.
pub(crate) fn variantes_autonomes(
    scenario: &std::path::Path,
    fichiers: &mut Vec<(String, Vec<u8>)>,
) -> bool {
    use collegia::ingest::classeur::{completer_variante, est_classeur};
    if !(est_classeur(scenario) && scenario.is_file()) {
        return true;
    }
    let prefixes: Vec<String> = fichiers
        .iter()
        .filter_map(|(n, _)| n.strip_suffix("scenario.toml").map(str::to_string))
        .filter(|p| p.is_empty() || p.ends_with('/'))
        .collect();
    for p in prefixes {
        if let Err(e) = completer_variante(scenario, fichiers, &p) {
            eprint!("{e}");
            return false;
        }
    }
    true
}

/// Loads a scenario, printing its warnings; its diagnostics are the error.
pub(crate) fn charger(dossier: &std::path::Path) -> Result<collegia::ingest::Chargement, Erreur> {
    let c = collegia::ingest::load_scenario(dossier)?;
    for w in &c.avertissements {
        eprintln!("Avertissement : {w}");
    }
    Ok(c)
}

/// [`charger`], then, when `elus.csv` names no group, one group per adjoint·e who may lead one
/// ([`collegia::model::Scenario::avec_groupes_implicites`]), said on stdout: the commands that
/// place people (`optimiser`, `affecter`, and the séminaire's proposal) then have groups to
/// place them in.
pub(crate) fn charger_avec_groupes(
    dossier: &std::path::Path,
) -> Result<collegia::ingest::Chargement, Erreur> {
    let mut c = charger(dossier)?;
    if let Some(s) = c.scenario.avec_groupes_implicites() {
        let groupes: Vec<String> = s.groupes().into_keys().collect();
        let exemple: Vec<&str> = groupes.iter().take(3).map(String::as_str).collect();
        outln!(
            "Aucun groupe dans elus.csv (colonne groupe) : chaque adjoint·e qui peut animer un groupe en forme un ({} groupes : {}{}), écrits dans le elus.csv de la variante.",
            groupes.len(),
            exemple.join(", "),
            if groupes.len() > 3 { "…" } else { "" }
        );
        c.scenario = s;
    }
    Ok(c)
}

fn verifier(dossier: &std::path::Path) -> Resultat {
    let c = charger(dossier)?;
    out!(
        "{}",
        collegia::report::verification::render(&c.scenario, &dossier.display().to_string())
    );
    outln!("Le scénario est valide.");
    code(EXIT_OK)
}

fn generer(a: &GenererArgs) -> Resultat {
    use collegia::report::ecriture::Sortie;
    let sortie = match Sortie::new(&a.dossier, &[]) {
        Ok(s) => s.forcer(a.force),
        Err(e) => {
            eprintln!("Erreur : {e}");
            return code(EXIT_ENTREE);
        }
    };
    let fichiers =
        collegia::synthese::generer_intrusions(a.taille, a.graine, a.partage, a.intrusions);
    // Every file is checked before any is written: an existing `elus.csv` (an RNE import being
    // completed by hand) is never replaced without --force.
    if let Err(e) = sortie.ecrire_tout(fichiers.liste()) {
        eprintln!("Erreur : {e}{}.", intacts(&e));
        return code(EXIT_ENTREE);
    }
    if a.voeux
        && let Err(e) = sortie.ecrire("voeux.csv", &collegia::synthese::voeux(&fichiers, a.graine))
    {
        eprintln!("Erreur : {e}");
        return code(EXIT_ENTREE);
    }
    outln!(
        "Scénario synthétique « {} » (graine {}) écrit dans {}",
        a.taille.code(),
        a.graine,
        a.dossier.display()
    );
    code(EXIT_OK)
}
