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
    /// Propose des regroupements cohérents avec l'organigramme (optimisation en nombres entiers).
    #[command(visible_alias = "optimise", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Optimiser(OptimiserArgs),
}

/// Unit level of `collegia optimiser`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum GranulariteArg {
    /// Les directions (et les services rattachés directement à un pôle).
    Direction,
    /// Les services.
    Service,
}

/// Solver of `collegia optimiser`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SolveurArg {
    /// microlp (pur Rust, toujours disponible).
    Microlp,
    /// HiGHS (binaire compilé avec --features highs).
    Highs,
}

/// `collegia optimiser`.
#[derive(Debug, Args)]
pub struct OptimiserArgs {
    /// Dossier du scénario (ex. data/exemple).
    #[arg(value_name = "SCÉNARIO")]
    pub scenario: PathBuf,
    /// Niveau des unités attribuées aux groupes : direction (par défaut) ou service.
    #[arg(
        long,
        value_enum,
        default_value = "direction",
        value_name = "NIVEAU",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub granularite: GranulariteArg,
    /// Permet de changer de groupe les conseiller·es délégué·es et adjoint·es de quartier.
    #[arg(long)]
    pub regrouper: bool,
    /// Solveur : microlp (par défaut, pur Rust) ou highs (binaire compilé avec --features highs).
    #[arg(
        long,
        value_enum,
        default_value = "microlp",
        value_name = "SOLVEUR",
        hide_possible_values = true,
        hide_default_value = true
    )]
    pub solveur: SolveurArg,
    /// Limite de temps de résolution, en secondes (60 par défaut).
    #[arg(long = "limite-temps", default_value_t = 60.0, value_name = "SECONDES", value_parser = positif, hide_default_value = true)]
    pub limite_temps: f64,
    /// Écart relatif à l'optimum accepté (0 par défaut = prouver l'optimalité ; 0,01 = 1 %).
    #[arg(long = "ecart-max", default_value_t = 0.0, value_name = "ECART", value_parser = ecart, hide_default_value = true)]
    pub ecart_max: f64,
    /// Écrit le modèle au format LP (CPLEX), chaque contrainte nommée d'après sa règle.
    #[arg(long = "exporter-modele", value_name = "FICHIER.lp")]
    pub exporter_modele: Option<PathBuf>,
    /// Dossier où écrire la proposition (par défaut reports/<scénario>/proposition).
    #[arg(long, value_name = "DOSSIER")]
    pub sortie: Option<PathBuf>,
}

fn positif(s: &str) -> Result<f64, String> {
    match crate::ingest::parse_nombre(s) {
        Some(v) if v > 0.0 && v.is_finite() => Ok(v),
        _ => Err(format!(
            "« {s} » : un nombre de secondes strictement positif est attendu"
        )),
    }
}

fn ecart(s: &str) -> Result<f64, String> {
    match crate::ingest::parse_nombre(s) {
        Some(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "« {s} » : un écart relatif entre 0 et 1 est attendu (ex. 0,01)"
        )),
    }
}

/// `collegia verifier`.
#[derive(Debug, Args)]
pub struct VerifierArgs {
    /// Dossier du scénario (ex. data/exemple).
    #[arg(value_name = "SCÉNARIO")]
    pub scenario: PathBuf,
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
