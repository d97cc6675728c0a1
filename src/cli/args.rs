//! Arguments of the `collegia` command (clap derive), with French help and French usage errors.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

const HELP_TEMPLATE: &str = "\
{before-help}{name} {version} — {about}

Utilisation : {usage}

{all-args}{after-help}";

const SUB_TEMPLATE: &str = "\
{about}

Utilisation : {usage}

{all-args}{after-help}";

/// Organisez une majorité municipale de façon collégiale.
#[derive(Debug, Parser)]
#[command(
    name = "collegia",
    version,
    about = "organiser une majorité municipale de façon collégiale : délégations, diagnostics, indemnités, groupes, rapports",
    help_template = HELP_TEMPLATE,
    subcommand_help_heading = "Commandes ",
    subcommand_value_name = "COMMANDE",
    next_help_heading = "Options ",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true,
    after_help = "Codes de sortie : 0 succès ; 1 entrée invalide ou erreur de lecture/écriture ; 2 optimisation infaisable ; 3 erreurs trouvées avec --strict ; 64 mauvaise utilisation.\nFormats des fichiers : docs/formats.md"
)]
pub struct Cli {
    /// Affiche l'aide.
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    aide: Option<bool>,
    /// Affiche la version.
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
    /// Commande à exécuter.
    #[command(subcommand)]
    pub commande: Commande,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Charge et valide un scénario, affiche un résumé ou toutes les erreurs.
    #[command(visible_alias = "check", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Verifier(VerifierArgs),
    /// Diagnostique un scénario : doubles rattachements, services orphelins, silos, groupes, équilibre.
    #[command(visible_alias = "analyse", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Analyser(AnalyserArgs),
}

/// `collegia verifier`.
#[derive(Debug, Args)]
pub struct VerifierArgs {
    /// Dossier du scénario (ex. data/exemple).
    #[arg(value_name = "SCÉNARIO")]
    pub scenario: PathBuf,
}

/// Output format of `collegia analyser`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Résumé lisible en français.
    Table,
    /// Un constat par ligne, séparateur « ; », virgule décimale.
    Csv,
    /// Constats et indicateurs en JSON.
    Json,
}

/// `collegia analyser`.
#[derive(Debug, Args)]
pub struct AnalyserArgs {
    /// Dossier du scénario (ex. data/exemple).
    #[arg(value_name = "SCÉNARIO")]
    pub scenario: PathBuf,
    /// Format de sortie.
    #[arg(long, value_enum, default_value = "table", value_name = "FORMAT")]
    pub format: Format,
    /// Code de sortie 3 si au moins une erreur est trouvée.
    #[arg(long)]
    pub strict: bool,
}

/// Prints a clap error in French and returns the exit code (0 for --help/--version).
pub fn report_clap_error(e: clap::Error) -> ExitCode {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let ctx = |k: ContextKind| -> String {
        match e.get(k) {
            Some(ContextValue::String(s)) => s.clone(),
            Some(ContextValue::Strings(v)) => v.join(", "),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    };
    let message = match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            let _ = e.print();
            eprintln!("Précisez une commande (voir « collegia --help »).");
            return ExitCode::from(super::EXIT_USAGE);
        }
        ErrorKind::InvalidSubcommand => format!(
            "commande inconnue « {} »{}",
            ctx(ContextKind::InvalidSubcommand),
            suggestion(&ctx(ContextKind::SuggestedSubcommand))
        ),
        ErrorKind::UnknownArgument => format!(
            "option inconnue « {} »{}",
            ctx(ContextKind::InvalidArg),
            suggestion(&ctx(ContextKind::SuggestedArg))
        ),
        ErrorKind::MissingRequiredArgument => format!(
            "argument obligatoire manquant : {}",
            ctx(ContextKind::InvalidArg)
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let possibles = ctx(ContextKind::ValidValue);
            format!(
                "valeur « {} » invalide pour {}{}",
                ctx(ContextKind::InvalidValue),
                ctx(ContextKind::InvalidArg),
                if possibles.is_empty() {
                    String::new()
                } else {
                    format!(" (valeurs permises : {possibles})")
                }
            )
        }
        ErrorKind::TooManyValues | ErrorKind::ArgumentConflict => {
            format!(
                "arguments incompatibles ou en trop : {}",
                ctx(ContextKind::InvalidArg)
            )
        }
        _ => "ligne de commande invalide".to_string(),
    };
    let point = if message.ends_with('?') { "" } else { "." };
    eprintln!("Erreur d'utilisation : {message}{point}");
    eprintln!("Voir « collegia --help » ou « collegia <commande> --help ».");
    ExitCode::from(super::EXIT_USAGE)
}

fn suggestion(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!(" ; vouliez-vous dire « {s} » ?")
    }
}
