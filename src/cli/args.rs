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
    /// Affiche le barème légal des indemnités et la composition du conseil pour une population.
    #[command(visible_alias = "scale", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Bareme(BaremeArgs),
    /// Écrit un scénario synthétique complet et valide (bancs d'essai, tests).
    #[command(visible_alias = "generate", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Generer(GenererArgs),
    /// Importe le conseil municipal d'une commune depuis le Répertoire national des élus.
    #[command(name = "importer-rne", visible_alias = "import-rne", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    ImporterRne(ImporterRneArgs),
    /// Produit le rapport du séminaire : page HTML, graphiques, lettres de mission, tableaux CSV et XLSX.
    #[command(visible_alias = "report", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Rapport(RapportArgs),
    /// Compare plusieurs scénarios côte à côte, et ce qui change du premier aux autres.
    #[command(visible_alias = "compare", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Comparer(ComparerArgs),
    /// Diagnostique un scénario : doubles rattachements, services orphelins, silos, groupes, équilibre.
    #[command(visible_alias = "analyse", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Analyser(AnalyserArgs),
    /// Répartit les indemnités sous l'enveloppe légale selon les responsabilités, et explique.
    #[command(visible_alias = "allowances", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Indemnites(IndemnitesArgs),
    /// Propose des regroupements cohérents avec l'organigramme (optimisation en nombres entiers).
    #[command(visible_alias = "optimise", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Optimiser(OptimiserArgs),
    /// Planifie par étapes l'évolution des périmètres des DGA sur le mandat ([reorganisation] de scenario.toml).
    #[command(visible_alias = "reorganise", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Reorganiser(ReorganiserArgs),
    /// Place chaque conseiller·e délégué·e et adjoint·e de quartier dans un groupe selon ses vœux (voeux.csv).
    #[command(visible_alias = "assign", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Affecter(AffecterArgs),
    /// Ouvre le séminaire en direct dans le navigateur : modifications, constats et indemnités pour toute la salle.
    #[command(visible_alias = "seminar", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Seminaire(SeminaireArgs),
    /// Écrit le classeur d'un scénario (.xlsx : organigramme, élu·es, délégations, paramètres), que toute commande relit à la place du dossier.
    #[command(visible_alias = "workbook", help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Classeur(ClasseurArgs),
    /// Écrit la page de manuel, les complétions des shells et le guide en HTML (paquet Debian).
    #[command(hide = true, help_template = SUB_TEMPLATE, next_help_heading = "Options ")]
    Paquet(PaquetArgs),
}

/// `collegia paquet` (hidden): the files the Debian package installs beside the binary.
#[derive(Debug, Args)]
pub struct PaquetArgs {
    /// Dossier où écrire man/, completions/ et guide/ (créé s'il le faut).
    #[arg(value_name = "DOSSIER")]
    pub dossier: PathBuf,
}

/// What `collegia --version` prints after the name: the version and the date of the legal
/// tables ([`collegia::law::DATE_DES_TABLES`]), so that a town hall knows which law it runs.
pub fn version() -> &'static str {
    static VERSION: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "{} (tables légales du CGCT à jour au {} ; barèmes de la loi n° 2025-1249 depuis le {})",
            env!("CARGO_PKG_VERSION"),
            collegia::law::DATE_DES_TABLES.format("%d/%m/%Y"),
            collegia::law::bareme::DEBUT_LOI_2025.format("%d/%m/%Y"),
        )
    });
    VERSION.as_str()
}

/// The command line as clap sees it, with [`version`]: the one definition that parses the
/// arguments and that the man page and the completions are generated from.
pub fn commande() -> clap::Command {
    use clap::CommandFactory;
    Cli::command().version(version())
}

/// `collegia seminaire`.
#[derive(Debug, Args)]
pub struct SeminaireArgs {
    /// Dossier du scénario (ex. data/exemple) ; il n'est jamais modifié.
    #[arg(value_name = "SCÉNARIO")]
    pub scenario: PathBuf,
    /// Port d'écoute (par défaut 8 080 ; 0 = un port libre choisi par le système).
    #[arg(
        long,
        default_value_t = 8080,
        value_name = "P",
        hide_default_value = true
    )]
    pub port: u16,
    /// Adresse d'écoute (par défaut 127.0.0.1, ce poste seul ; 0.0.0.0 ouvre le séminaire à la salle).
    #[arg(
        long,
        default_value = "127.0.0.1",
        value_name = "ADRESSE",
        hide_default_value = true
    )]
    pub ecouter: std::net::IpAddr,
    /// Dossier où enregistrer les variantes (par défaut seminaire/) ; la séance en cours y est conservée dans seance/.
    #[arg(
        long,
        default_value = "seminaire",
        value_name = "DOSSIER",
        hide_default_value = true
    )]
    pub sortie: PathBuf,
    /// Commence une nouvelle séance au lieu de reprendre celle en cours (l'ancienne est conservée à côté, dans seance-<id>/).
    #[arg(long)]
    pub nouvelle: bool,
    /// Nom sous lequel la salle joint ce poste (ex. salle-du-conseil.local), en plus de localhost et des adresses du poste ; répétable.
    #[arg(long, value_name = "NOM")]
    pub hote: Vec<String>,
    /// Délai, en secondes, pour recevoir les en-têtes puis le corps d'une requête (par défaut 10) ; au-delà, la connexion est fermée.
    #[arg(
        long,
        default_value_t = 10,
        value_name = "S",
        hide_default_value = true,
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub delai_lecture: u64,
}

/// `collegia affecter`.
#[derive(Debug, Args)]
pub struct AffecterArgs {
    /// Dossier du scénario (ex. data/exemple) ; ses vœux sont lus dans voeux.csv.
    #[arg(value_name = "SCÉNARIO")]
    pub scenario: PathBuf,
    /// Dossier où écrire l'affectation (par défaut reports/<scénario>/affectation).
    #[arg(long, value_name = "DOSSIER")]
    pub sortie: Option<PathBuf>,
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
    /// Limite de temps de toutes les étapes de résolution ensemble, en secondes (60 par défaut).
    #[arg(long = "limite-temps", default_value_t = 60.0, value_name = "SECONDES", value_parser = positif, hide_default_value = true)]
    pub limite_temps: f64,
    /// Remplace les fichiers d'une affectation précédente dans le dossier de sortie (jamais un
    /// fichier d'entrée).
    #[arg(long)]
    pub force: bool,
    /// Affiche et écrit le rang obtenu par chaque élu·e et sa raison (par défaut, seulement les
    /// effectifs par rang, par sexe et par composante : les vœux sont personnels).
    #[arg(long = "rangs-individuels")]
    pub rangs_individuels: bool,
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
    /// Permet de changer de groupe les conseiller·es délégué·es (les adjoint·es de quartier
    /// restent liés à leur adjoint·e thématique).
    #[arg(long)]
    pub regrouper: bool,
    /// Réorganisation délibérée : les unités que l'adjoint·e d'un groupe pilote aujourd'hui
    /// (son cœur) peuvent changer de groupe ([groupes] coeurs = false).
    #[arg(long)]
    pub liberer_coeurs: bool,
    /// Calcule aussi le front de compromis entre structure (pôles, liens) et agents concernés :
    /// chaque point est une proposition optimale, écrite comme variante dans <sortie>/front/.
    #[arg(long)]
    pub front: bool,
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
    /// Limite d'effort déterministe : nœuds de séparation-évaluation au plus (200 000 par défaut ;
    /// 0 = sans limite) ; même entrée, même plan sur toute machine, tant que la limite de temps
    /// n'est pas atteinte la première.
    #[arg(long = "limite-noeuds", default_value_t = collegia::optimise::LIMITE_NOEUDS, value_name = "NOEUDS", value_parser = clap::value_parser!(u64).range(0..=1_000_000_000), hide_default_value = true)]
    pub limite_noeuds: u64,
    /// Écrit le modèle au format LP (CPLEX), chaque contrainte nommée d'après sa règle.
    #[arg(long = "exporter-modele", value_name = "FICHIER.lp")]
    pub exporter_modele: Option<PathBuf>,
    /// Dossier où écrire la proposition (par défaut reports/<scénario>/proposition).
    #[arg(long, value_name = "DOSSIER")]
    pub sortie: Option<PathBuf>,
    /// Remplace le dossier de sortie même s'il n'a pas été écrit par collegia (ses fichiers sont
    /// alors supprimés).
    #[arg(long)]
    pub force: bool,
    /// Avec --regrouper et voeux.csv : affiche et écrit (affectation.csv) le rang obtenu par
    /// chaque élu·e et pourquoi pas mieux (par défaut, seulement les effectifs par rang : les
    /// vœux sont personnels).
    #[arg(long = "rangs-individuels")]
    pub rangs_individuels: bool,
}

/// `collegia reorganiser`.
#[derive(Debug, Args)]
pub struct ReorganiserArgs {
    /// Dossier du scénario (ex. data/exemple) ; sa table [reorganisation] décrit les priorités et les plafonds.
    #[arg(value_name = "SCÉNARIO")]
    pub scenario: PathBuf,
    /// Calcule aussi le front entre rythme du changement et cohérence finale (4 plafonds par étape).
    #[arg(long)]
    pub front: bool,
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
    /// Nœuds de séparation-évaluation au plus (200 000 par défaut ; 0 = sans limite).
    #[arg(long = "limite-noeuds", default_value_t = collegia::optimise::LIMITE_NOEUDS, value_name = "NOEUDS", value_parser = clap::value_parser!(u64).range(0..=1_000_000_000), hide_default_value = true)]
    pub limite_noeuds: u64,
    /// Écrit le modèle au format LP (CPLEX), chaque contrainte nommée d'après sa règle.
    #[arg(long = "exporter-modele", value_name = "FICHIER.lp")]
    pub exporter_modele: Option<PathBuf>,
    /// Dossier où écrire le plan (par défaut reports/<scénario>/reorganisation).
    #[arg(long, value_name = "DOSSIER")]
    pub sortie: Option<PathBuf>,
    /// Remplace le dossier de sortie même s'il n'a pas été écrit par collegia.
    #[arg(long)]
    pub force: bool,
}

/// Largest time limit accepted, in seconds (one week): beyond it the solver's timer overflows.
pub const LIMITE_TEMPS_MAX: f64 = 604_800.0;
/// Largest population accepted (ten million: the largest French commune has about 2,1 million).
pub const POPULATION_MAX: u32 = 10_000_000;

fn positif(s: &str) -> Result<f64, String> {
    match collegia::ingest::parse_nombre(s) {
        Some(v) if v > 0.0 && v <= LIMITE_TEMPS_MAX => Ok(v),
        _ => Err(format!(
            "« {s} » : un nombre de secondes strictement positif et d'au plus 604 800 (une semaine) est attendu"
        )),
    }
}

fn habitants(s: &str) -> Result<u32, String> {
    match s
        .trim()
        .replace(['\u{202f}', '\u{a0}', ' '], "")
        .parse::<u32>()
    {
        Ok(v) if v <= POPULATION_MAX => Ok(v),
        _ => Err(format!(
            "« {s} » : un nombre entier d'habitant·es entre 0 et 10 000 000 est attendu"
        )),
    }
}

fn pourcentage(s: &str) -> Result<f64, String> {
    match collegia::ingest::parse_nombre(s) {
        Some(v) if (0.0..=100.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "« {s} » : un pourcentage entre 0 et 100 est attendu"
        )),
    }
}

fn ecart(s: &str) -> Result<f64, String> {
    match collegia::ingest::parse_nombre(s) {
        Some(v) if (0.0..1.0).contains(&v) => Ok(v),
        _ => Err(format!(
            "« {s} » : un écart relatif entre 0 et 1 est attendu (ex. 0,01)"
        )),
    }
}

/// `collegia indemnites`.
#[derive(Debug, Args)]
pub struct IndemnitesArgs {
    /// Dossier du scénario (ex. data/exemple).
    #[arg(value_name = "SCÉNARIO")]
    pub scenario: PathBuf,
    /// Format de sortie.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Fait varier alpha de 0 à 1 en 21 pas et affiche l'écart entre délégué·es à chaque pas.
    #[arg(long)]
    pub balayage: bool,
    /// Dossier où écrire le tableau annexe de la délibération (par défaut reports/<scénario>/).
    #[arg(long, value_name = "DOSSIER")]
    pub sortie: Option<PathBuf>,
    /// Écrit dans le dossier de sortie même s'il n'a pas été écrit par collegia.
    #[arg(long)]
    pub force: bool,
}

/// Output format of tabular commands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Tableau lisible en français.
    Table,
    /// CSV « ; » à virgule décimale.
    Csv,
    /// JSON.
    Json,
}

/// `collegia bareme`.
#[derive(Debug, Args)]
pub struct BaremeArgs {
    /// Population totale authentifiée (strates des indemnités).
    #[arg(long, value_name = "HABITANTS", value_parser = habitants)]
    pub population: u32,
    /// Population municipale (effectif du conseil) ; par défaut la population totale.
    #[arg(long, value_name = "HABITANTS", value_parser = habitants)]
    pub population_municipale: Option<u32>,
    /// Date d'application (AAAA-MM-JJ) ; par défaut aujourd'hui.
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Majoration dont bénéficie la commune (répétable) : chef_lieu_departement,
    /// chef_lieu_arrondissement, bureau_centralisateur_canton, station_tourisme, commune_sinistree, dsu.
    #[arg(long = "majoration", value_name = "MAJORATION")]
    pub majorations: Vec<String>,
    /// La commune crée des adjoint·es de quartier (L2122-2-1).
    #[arg(long)]
    pub quartier: bool,
    /// Part des immeubles sinistrés en %, pour la majoration commune_sinistree.
    #[arg(long, value_name = "POURCENT", value_parser = pourcentage)]
    pub taux_sinistre: Option<f64>,
    /// Code INSEE de la commune : 75056 (Paris), 69123 (Lyon) et 13055 (Marseille) prennent les
    /// règles Paris-Lyon-Marseille (CGCT L2511-1, L2511-34, L2511-34-1).
    #[arg(long, value_name = "CODE")]
    pub code_insee: Option<String>,
    /// Effectif réel du conseil quand il diffère du tableau (clé effectif_conseil) : petit
    /// conseil réputé complet (L2121-2-1) ou, avec --commune-nouvelle, conseil élargi.
    #[arg(long, value_name = "SIEGES", value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub effectif_conseil: Option<u32>,
    /// La commune est une commune nouvelle (clé commune_nouvelle) : un conseil plus grand que
    /// celui d'une commune de même population est un conseil élargi, dont les indemnités sont
    /// plafonnées (L2113-7, L2113-8).
    #[arg(long)]
    pub commune_nouvelle: bool,
    /// Format de sortie.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `collegia generer`.
#[derive(Debug, Args)]
pub struct GenererArgs {
    /// Taille de la ville : petite (≈ 10 000 hab.), annecy (≈ 130 000), lyon (≈ 520 000), paris (≈ 2 100 000).
    #[arg(value_enum, value_name = "TAILLE")]
    pub taille: collegia::synthese::Taille,
    /// Dossier du scénario à écrire.
    #[arg(value_name = "DOSSIER")]
    pub dossier: PathBuf,
    /// Graine du générateur : même graine, mêmes fichiers.
    #[arg(long, default_value_t = 1)]
    pub graine: u64,
    /// Remplace les fichiers du dossier qui portent le nom d'un fichier généré.
    #[arg(long)]
    pub force: bool,
    /// Écrit aussi voeux.csv : cinq vœux de groupe par conseiller·e délégué·e, tirés de la graine.
    #[arg(long)]
    pub voeux: bool,
    /// Part des directions partagées entre groupes (0 à 1 ; 0,3 par défaut, réaliste) : leurs
    /// services sont pilotés par deux groupes, comme dans les délégations réelles.
    #[arg(long, default_value_t = collegia::synthese::PARTAGE_REALISTE, value_name = "TAUX", value_parser = taux_partage, hide_default_value = true)]
    pub partage: f64,
    /// Nombre d'adjoint·es qui pilotent aussi un service dans la direction d'un autre groupe
    /// (double rattachement à réparer ; au plus un·e par groupe thématique, tiré·es de la graine).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub intrusions: usize,
}

fn taux_partage(s: &str) -> Result<f64, String> {
    match s.replace(',', ".").parse::<f64>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!(
            "« {s} » n'est pas une part entre 0 et 1 (par exemple 0,3)"
        )),
    }
}

/// `collegia importer-rne`.
#[derive(Debug, Args)]
pub struct ImporterRneArgs {
    /// Fichier RNE des conseillers municipaux (CSV « ; », éventuellement compressé en gzip).
    #[arg(value_name = "FICHIER-RNE")]
    pub fichier: PathBuf,
    /// Code INSEE de la commune (5 caractères, ex. 44109 pour Nantes).
    #[arg(long, value_name = "CODE-INSEE")]
    pub commune: String,
    /// Fichier elus.csv à écrire (par défaut data/<commune>/elus.csv).
    #[arg(long, value_name = "FICHIER")]
    pub sortie: Option<PathBuf>,
    /// Remplace le fichier de sortie s'il existe déjà.
    #[arg(long)]
    pub force: bool,
    /// Population municipale, pour contrôler l'effectif du conseil et le nombre d'adjoint·es.
    #[arg(long, value_name = "HABITANTS", value_parser = habitants)]
    pub population: Option<u32>,
}

/// `collegia verifier`.
#[derive(Debug, Args)]
pub struct VerifierArgs {
    /// Dossier du scénario (ex. data/exemple).
    #[arg(value_name = "SCÉNARIO")]
    pub scenario: PathBuf,
}

/// `collegia rapport`.
#[derive(Debug, Args)]
pub struct RapportArgs {
    /// Dossier du scénario (ex. data/exemple).
    #[arg(value_name = "SCÉNARIO")]
    pub scenario: PathBuf,
    /// Dossier de sortie (par défaut reports/<nom du dossier du scénario>).
    #[arg(long, value_name = "DOSSIER")]
    pub sortie: Option<PathBuf>,
    /// Remplace le dossier de sortie même s'il n'a pas été écrit par collegia (ses fichiers sont
    /// alors supprimés).
    #[arg(long)]
    pub force: bool,
    /// Ajoute l'arbitrage égalité / responsabilités (alpha de 0 à 1 en 21 pas).
    #[arg(long)]
    pub balayage: bool,
    /// Ajoute la proposition de regroupements optimisée (comme « collegia optimiser », par
    /// directions, solveur microlp) et l'écrit en variante dans <sortie>/proposition/.
    #[arg(long)]
    pub optimiser: bool,
    /// Ajoute la réorganisation par étapes des périmètres des DGA (comme « collegia reorganiser »)
    /// dans le sous-dossier reorganisation/ du rapport.
    #[arg(long)]
    pub reorganiser: bool,
    /// Limite de temps de l'optimisation, en secondes (avec --optimiser ou --reorganiser).
    #[arg(long, value_name = "S", default_value = "60", value_parser = positif)]
    pub limite_temps: f64,
}

/// `collegia comparer`.
#[derive(Debug, Args)]
pub struct ComparerArgs {
    /// Dossiers des scénarios (au moins deux ; le premier sert de référence).
    #[arg(value_name = "SCÉNARIO", num_args = 2.., required = true)]
    pub scenarios: Vec<PathBuf>,
    /// Dossier de sortie (par défaut reports/comparaison).
    #[arg(long, value_name = "DOSSIER")]
    pub sortie: Option<PathBuf>,
    /// Remplace le dossier de sortie même s'il n'a pas été écrit par collegia (ses fichiers sont
    /// alors supprimés).
    #[arg(long)]
    pub force: bool,
}

/// `collegia classeur`.
#[derive(Debug, Args)]
pub struct ClasseurArgs {
    /// Dossier du scénario (ex. data/exemple).
    #[arg(value_name = "SCÉNARIO")]
    pub scenario: PathBuf,
    /// Classeur à écrire (.xlsx) ; par défaut à côté du scénario, sous son nom
    /// (data/exemple → data/exemple.xlsx).
    #[arg(value_name = "FICHIER.xlsx")]
    pub fichier: Option<PathBuf>,
    /// Remplace le classeur s'il existe déjà (jamais un fichier d'entrée).
    #[arg(long)]
    pub force: bool,
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
            // The French reason given by our value parsers (bounds of numeric options).
            let raison = std::error::Error::source(&e)
                .map(|s| format!(" ({s})"))
                .unwrap_or_default();
            format!(
                "valeur « {} » invalide pour {}{}{raison}",
                ctx(ContextKind::InvalidValue),
                ctx(ContextKind::InvalidArg),
                if possibles.is_empty() {
                    String::new()
                } else {
                    format!(" (valeurs permises : {possibles})")
                }
            )
        }
        ErrorKind::TooFewValues => {
            let arg = ctx(ContextKind::InvalidArg);
            if arg.contains("SCÉNARIO") {
                format!(
                    "{arg} : au moins deux scénarios sont attendus, {} donné ; « comparer » met côte à côte un scénario et ses variantes (ex. collegia comparer data/exemple data/exemple-variante)",
                    ctx(ContextKind::ActualNumValues)
                )
            } else {
                format!(
                    "trop peu de valeurs pour {arg} (au moins {}, {} données)",
                    ctx(ContextKind::MinValues),
                    ctx(ContextKind::ActualNumValues)
                )
            }
        }
        ErrorKind::WrongNumberOfValues => format!(
            "nombre de valeurs incorrect pour {}",
            ctx(ContextKind::InvalidArg)
        ),
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
