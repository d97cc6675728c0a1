//! Reading a scenario folder into a validated [`Scenario`].
//!
//! A scenario is a folder holding `scenario.toml`, `organigramme.csv`, `elus.csv` and
//! `delegations.csv` (format in `docs/formats.md`). A variant says `base = "../exemple"` in its
//! `scenario.toml` and holds only the files it changes: missing CSV files are taken from the
//! base chain, and the TOML is merged key by key over the base's.
//!
//! Every rule runs and every failure is returned ([`IngestError`]), sorted by file and line.
//! Files are only read, never written.

pub mod classeur;
mod elus;
mod error;
mod organigramme;
mod rne;
mod scenario_toml;
pub mod schema;
mod sources;
mod table;
mod verrous;
mod voeux;

pub use elus::{
    COLONNES_DELEGATIONS, COLONNES_ELUS, Delegations, MAX_AUTRES_EUR, MAX_ELUS, MAX_TAUX,
    convertir_taux_euros, convertir_taux_euros_scenario, est_en_euros, parse_delegations,
    parse_delegations_completes, parse_elus, parse_elus_avec, parse_fonction, parse_liste,
    parse_oui_non, parse_role, parse_sexe, sans_neutralisation,
};
pub use error::{Code, Diagnostic, Emplacement, IngestError};
pub use organigramme::{
    COLONNES as COLONNES_ORGANIGRAMME, MAX_BUDGET, MAX_DEPTH, MAX_EFFECTIF,
    parse as parse_organigramme, parse_avec as parse_organigramme_avec, territoires_inconnus,
};
pub use rne::{
    COLONNES_RNE, EluRne, ImportRne, MAX_LIGNE_RNE, lire_rne, ouvrir_rne, parse_date_rne,
    parse_fonction_rne,
};
pub use scenario_toml::{TomlFile, build_params, parse_majoration, parse_toml, read_chain};
pub use sources::{Sources, charger_sources};
pub use table::{
    Colonne, Encodage, MAX_CELL_CHARS, MAX_FILE_BYTES, MAX_ROWS, Source, decode, decode_fichier,
    detect_separator, normalise, parse_nombre, read_table,
};
pub use verrous::{COLONNES_VERROUS, FICHIER_VERROUS, load_verrous, parse_verrous};
pub use voeux::{COLONNES_VOEUX, FICHIER_VOEUX, load_voeux, parse_voeux};

use crate::model::Scenario;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Names of the CSV files of a scenario folder.
pub const FICHIERS_CSV: [&str; 3] = ["organigramme.csv", "elus.csv", "delegations.csv"];

/// A loaded scenario, with non-blocking warnings and the list of files it was read from.
#[derive(Debug, Clone)]
pub struct Chargement {
    /// The validated scenario.
    pub scenario: Scenario,
    /// Warnings that did not prevent loading (e.g. one population used for both figures).
    pub avertissements: Vec<Diagnostic>,
    /// Every file read (the scenario's own and its bases'), so that writers can refuse to write
    /// over an input.
    pub fichiers: Vec<PathBuf>,
}

/// Reads an optional table of a scenario folder (`verrous.csv`, `voeux.csv`), or, for a variant,
/// of its nearest base that has one, with the same bounded reader as the other tables; `None`
/// when no folder of the chain has it.
pub(crate) fn load_optionnel<T>(
    dossier: &Path,
    fichier: &str,
    parser: impl FnOnce(&Source) -> Result<Vec<T>, Vec<Diagnostic>>,
) -> Result<Option<(PathBuf, Vec<T>)>, IngestError> {
    // A workbook holds its optional tables as sheets (`verrous`, `vœux`).
    if classeur::est_classeur(dossier) && dossier.is_file() {
        let Some(src) = classeur::source_optionnelle(dossier, fichier)? else {
            return Ok(None);
        };
        let lignes = parser(&src).map_err(IngestError::new)?;
        return Ok(Some((dossier.to_path_buf(), lignes)));
    }
    let chain = read_chain(dossier).map_err(IngestError::new)?;
    let Some(path) = chain
        .iter()
        .map(|f| f.dossier.join(fichier))
        .find(|p| p.exists())
    else {
        return Ok(None);
    };
    let octets = read_file(&path).map_err(IngestError::one)?;
    let src = Source {
        nom: path.display().to_string(),
        octets,
    };
    let lignes = parser(&src).map_err(IngestError::new)?;
    Ok(Some((path, lignes)))
}

/// Reads a whole regular file, refusing anything else (a folder, a device such as `/dev/zero`,
/// a FIFO: their `metadata().len()` says nothing of what reading them would return) and never
/// reading more than [`MAX_FILE_BYTES`] + 1 bytes, whatever the metadata says.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let nom = path.display().to_string();
    // Checked before opening: opening a FIFO blocks until a writer appears.
    let meta = std::fs::metadata(path).map_err(|e| io_diag(&nom, &e))?;
    if !meta.is_file() {
        return Err(pas_un_fichier(&nom, &meta));
    }
    let trop_gros = |n: u64| {
        Diagnostic::fichier(
            Code::E021,
            &nom,
            format!("fichier trop volumineux ({n} octets ou plus, maximum {MAX_FILE_BYTES})"),
        )
        .aide("vérifiez qu'il s'agit du bon fichier (un export CSV de tableur ou un scenario.toml)")
    };
    if meta.len() > MAX_FILE_BYTES as u64 {
        return Err(trop_gros(meta.len()));
    }
    let f = std::fs::File::open(path).map_err(|e| io_diag(&nom, &e))?;
    // The file may have been replaced between the two calls: check what was opened.
    match f.metadata() {
        Ok(m) if m.is_file() => {}
        Ok(m) => return Err(pas_un_fichier(&nom, &m)),
        Err(e) => return Err(io_diag(&nom, &e)),
    }
    let mut octets = Vec::with_capacity(meta.len() as usize);
    f.take(MAX_FILE_BYTES as u64 + 1)
        .read_to_end(&mut octets)
        .map_err(|e| io_diag(&nom, &e))?;
    if octets.len() > MAX_FILE_BYTES {
        return Err(trop_gros(octets.len() as u64));
    }
    Ok(octets)
}

/// The error for a path that exists but is not a regular file.
fn pas_un_fichier(nom: &str, meta: &std::fs::Metadata) -> Diagnostic {
    let quoi = if meta.is_dir() {
        "c'est un dossier, pas un fichier"
    } else {
        "ce n'est pas un fichier ordinaire (périphérique, tube nommé ou socket)"
    };
    Diagnostic::fichier(Code::E001, nom, quoi)
        .aide("donnez le chemin d'un fichier ordinaire ; collegia ne lit ni les périphériques ni les tubes")
}

/// What went wrong with the system, in French (the standard library's messages are English).
pub fn message_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    let m = match e.kind() {
        K::NotFound => "fichier ou dossier introuvable",
        K::PermissionDenied => "accès refusé (droits insuffisants)",
        K::AlreadyExists => "le fichier existe déjà",
        K::IsADirectory => "c'est un dossier, pas un fichier",
        K::NotADirectory => "un élément du chemin n'est pas un dossier",
        K::DirectoryNotEmpty => "le dossier n'est pas vide",
        K::StorageFull => "disque plein",
        K::QuotaExceeded => "quota de disque dépassé",
        K::FileTooLarge => "fichier trop volumineux pour le système de fichiers",
        K::ReadOnlyFilesystem => "système de fichiers en lecture seule",
        K::InvalidFilename => "nom de fichier invalide ou trop long",
        K::TooManyLinks => "trop de liens symboliques ou de liens",
        K::CrossesDevices => "déplacement impossible entre deux disques",
        K::ResourceBusy => "fichier ou périphérique occupé",
        K::TimedOut => "délai dépassé",
        K::Interrupted => "opération interrompue",
        K::UnexpectedEof => "fin de fichier inattendue (fichier tronqué ?)",
        K::InvalidData => "données illisibles",
        K::OutOfMemory => "mémoire insuffisante",
        K::Unsupported => "opération non prise en charge par le système",
        K::WouldBlock => "opération bloquante refusée",
        K::BrokenPipe => "tube fermé",
        K::StaleNetworkFileHandle => "fichier réseau devenu inaccessible",
        _ => return format!("erreur système (code {})", e.raw_os_error().unwrap_or(0)),
    };
    match e.raw_os_error() {
        Some(code) => format!("{m} (erreur système {code})"),
        None => m.to_string(),
    }
}

fn io_diag(nom: &str, e: &std::io::Error) -> Diagnostic {
    let aide = match e.kind() {
        std::io::ErrorKind::NotFound => {
            "vérifiez le chemin ; un scénario contient scenario.toml, organigramme.csv, elus.csv et delegations.csv"
        }
        std::io::ErrorKind::PermissionDenied => {
            "vérifiez les droits du fichier (il doit être lisible par votre compte)"
        }
        _ => "vérifiez que le fichier est lisible (disque, réseau, droits)",
    };
    let message = match e.kind() {
        std::io::ErrorKind::NotFound => "fichier introuvable".to_string(),
        _ => format!("lecture impossible : {}", message_io(e)),
    };
    Diagnostic::fichier(Code::E001, nom, message).aide(aide)
}

/// Finds a CSV file in the folder of the variant or, failing that, in its bases.
fn locate(dossiers: &[PathBuf], name: &str) -> PathBuf {
    dossiers
        .iter()
        .map(|d| d.join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| dossiers.first().map(|d| d.join(name)).unwrap_or_default())
}

/// Loads and validates the scenario in `dossier`: reads the folder's files (the chain of
/// `scenario.toml`, the three tables) into [`Sources`], then assembles them with
/// [`charger_sources`], the one assembly of a scenario.
///
/// Every file is checked in the same run, so that `verifier` lists every problem at once: a
/// broken `scenario.toml` does not hide the tables' errors (they are then checked with the axes
/// and communes déléguées that could be read), and broken tables do not hide the délégations'
/// errors (references are then checked against the identifiers read from the raw files).
///
/// A workbook (`.xlsx`, `.ods`) is read as the scenario it holds ([`classeur::charger`]).
pub fn load_scenario(dossier: &Path) -> Result<Chargement, IngestError> {
    if classeur::est_classeur(dossier) && dossier.is_file() {
        return classeur::charger(dossier);
    }
    if !dossier.is_dir() {
        let nom = dossier.display().to_string();
        let d = if dossier.is_file() {
            let parent = dossier
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| ".".into());
            Diagnostic::fichier(
                Code::E024,
                &nom,
                "c'est un fichier : un dossier de scénario est attendu",
            )
            .aide(format!(
                "donnez le dossier qui contient scenario.toml, organigramme.csv, elus.csv et delegations.csv (ici peut-être « {parent} »)"
            ))
        } else {
            Diagnostic::fichier(Code::E024, &nom, "dossier de scénario introuvable")
                .aide("donnez le chemin d'un dossier contenant scenario.toml, organigramme.csv, elus.csv et delegations.csv (ex. data/exemple)")
        };
        return Err(IngestError::one(d));
    }
    let mut diags = Vec::new();
    let mut chain = Vec::new();
    let mut chaine_complete = true;
    if let Err(d) = scenario_toml::read_chain_into(dossier, &mut chain) {
        chaine_complete = false;
        // Without any scenario.toml this is not a scenario folder: say only that.
        if chain.is_empty() && d.iter().any(|d| d.code == Code::E024) {
            return Err(IngestError::new(d));
        }
        diags.extend(d);
    }
    let nom_dossier = dossier
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "scenario".into());
    let mut fichiers: Vec<PathBuf> = chain
        .iter()
        .map(|f| f.dossier.join("scenario.toml"))
        .collect();
    let dossiers: Vec<PathBuf> = if chain.is_empty() {
        vec![dossier.to_path_buf()]
    } else {
        chain.iter().map(|f| f.dossier.clone()).collect()
    };
    let mut tables = Vec::new();
    let mut erreurs_tables = Vec::new();
    for name in FICHIERS_CSV {
        let path = locate(&dossiers, name);
        if !chaine_complete && !path.exists() {
            // Probably in the base that could not be read: its error is reported already.
            tables.push(None);
            continue;
        }
        match read_file(&path) {
            Ok(octets) => {
                fichiers.push(path.clone());
                tables.push(Some(Source {
                    nom: path.display().to_string(),
                    octets,
                }));
            }
            Err(d) => {
                erreurs_tables.push(d);
                tables.push(None);
            }
        }
    }
    charger_sources(&Sources::lues(
        nom_dossier,
        (chain, diags),
        (tables, erreurs_tables),
        fichiers,
    ))
}

/// Builds the scenario from its TOML chain and its three tables (`None` when unreadable, its
/// error already in `diags`): shared by [`charger_sources`] (a folder or memory) and the
/// workbook ([`classeur::charger`]). `chaine_lue` says whether the TOML chain was read without error
/// (else the parameters are not built, and the tables are checked with fallback axes).
pub(crate) fn assembler(
    chain: &[TomlFile],
    chaine_lue: bool,
    nom_dossier: &str,
    mut diags: Vec<Diagnostic>,
    sources: Vec<Option<Source>>,
    fichiers: Vec<PathBuf>,
) -> Result<Chargement, IngestError> {
    let mut params = None;
    let mut avertissements = Vec::new();
    if chaine_lue {
        match build_params(chain, nom_dossier) {
            Ok((p, w)) => {
                if let Some(d) = date_hors_baremes(chain, &p) {
                    diags.push(d);
                }
                params = Some(p);
                avertissements = w;
            }
            Err(d) => diags.extend(d),
        }
    }
    // The tables' axes and communes déléguées are checked against the parameters when they were
    // built, else against what a partial reading of the TOML gives; when the chain itself could
    // not be read, a table naming a commune déléguée declared in the unreadable file would get a
    // false E020: such checks are then not run, and the output says so.
    let (axes, communes, references_toml_sures) = match &params {
        Some(p) => (p.axes.clone(), p.communes_deleguees.clone(), true),
        None => {
            let (a, c, lus) = axes_et_communes_de_secours(chain);
            (a, c, chaine_lue && lus)
        }
    };
    let nom_source = |i: usize| {
        sources[i]
            .as_ref()
            .map_or_else(|| FICHIERS_CSV[i].to_string(), |s| s.nom.clone())
    };
    let mut org_diags = Vec::new();
    let mut elus_diags = Vec::new();
    let org = sources[0]
        .as_ref()
        .map(|s| organigramme::parse_avec(s, &axes, &mut avertissements));
    let elus = sources[1]
        .as_ref()
        .map(|s| elus::parse_elus_avec(s, &axes, &communes, &mut avertissements));
    let org = org.and_then(|r| r.map_err(|d| org_diags.extend(d)).ok());
    let mut elus = elus.and_then(|r| r.map_err(|d| elus_diags.extend(d)).ok());
    if !references_toml_sures {
        // Only the chain's errors are collected so far: the first names the unreadable file.
        let toml = diags
            .first()
            .map(|d| d.fichier.clone())
            .or_else(|| chain.last().map(|f| f.nom.clone()))
            .unwrap_or_else(|| "scenario.toml".to_string());
        let renvoie_au_toml = |d: &Diagnostic| matches!(d.code, Code::E019 | Code::E020);
        org_diags.retain(|d| !renvoie_au_toml(d));
        elus_diags.retain(|d| !renvoie_au_toml(d));
        if sources[0].is_some() || sources[1].is_some() {
            diags.push(omis(
                &toml,
                "axes transversaux et communes déléguées des tableaux",
                &toml,
            ));
        }
    }
    let ids_axes: Vec<String> = axes.iter().map(|a| a.id.clone()).collect();
    let ids_communes: Vec<String> = communes.iter().map(|c| c.id.clone()).collect();
    // Read again only when a parent or a secondary link is unknown.
    let ids_noeuds = if org_diags
        .iter()
        .any(|d| matches!(d.code, Code::E005 | Code::E009))
    {
        sources[0]
            .as_ref()
            .and_then(|s| ids_bruts(s, COLONNES_ORGANIGRAMME))
    } else {
        None
    };
    suggerer(&mut org_diags, Code::E005, ids_noeuds.as_deref());
    suggerer(&mut org_diags, Code::E009, ids_noeuds.as_deref());
    suggerer(&mut org_diags, Code::E019, Some(&ids_axes));
    suggerer(&mut elus_diags, Code::E019, Some(&ids_axes));
    suggerer(&mut elus_diags, Code::E020, Some(&ids_communes));
    diags.extend(org_diags);
    diags.extend(elus_diags);
    // The délégations name élu·es and nodes: checked against the validated tables, else against
    // the identifiers the raw files hold (their id column alone). When even that cannot be read
    // (no id column, an invalid byte, a missing file), the references are not checked (each
    // distinct identifier stands for itself, so that a repeated row is still one) and the output
    // says so, instead of reporting every délégation as unknown or « en double ».
    let delegations = sources[2].as_ref().map(|sd| {
        if let (Some(o), Some(e)) = (&org, &elus) {
            return elus::parse_delegations_avec(
                sd,
                &|x| e.iter().position(|el| el.id == x),
                &|n| o.find(n),
                &mut avertissements,
            )
            .map_err(|mut d| {
                let ids_elus: Vec<String> = e.iter().map(|x| x.id.clone()).collect();
                let ids_org: Vec<String> = (0..o.len()).map(|i| o.noeud(i).id.clone()).collect();
                suggerer(&mut d, Code::E008, Some(&ids_elus));
                suggerer(&mut d, Code::E009, Some(&ids_org));
                d
            });
        }
        let ids_org = match &org {
            Some(o) => Some((0..o.len()).map(|i| o.noeud(i).id.clone()).collect()),
            None => sources[0]
                .as_ref()
                .and_then(|s| ids_bruts(s, COLONNES_ORGANIGRAMME)),
        };
        let ids_elus = match &elus {
            Some(e) => Some(e.iter().map(|x| x.id.clone()).collect()),
            None => sources[1]
                .as_ref()
                .and_then(|s| ids_bruts(s, COLONNES_ELUS)),
        };
        if ids_org.is_none() {
            diags.push(omis(
                &sd.nom,
                "nœuds nommés par les délégations (existence, doublons)",
                &nom_source(0),
            ));
        }
        if ids_elus.is_none() {
            diags.push(omis(
                &sd.nom,
                "élu·es nommé·es par les délégations (existence, doublons)",
                &nom_source(1),
            ));
        }
        let index_org = premier_indice(ids_org.as_deref());
        let index_elus = premier_indice(ids_elus.as_deref());
        let interne = std::cell::RefCell::new(BTreeMap::<String, usize>::new());
        let cherche = |index: &Option<BTreeMap<&str, usize>>, x: &str| match index {
            Some(index) => index.get(x).copied(),
            None => {
                let mut m = interne.borrow_mut();
                let n = m.len();
                Some(*m.entry(x.to_string()).or_insert(n))
            }
        };
        elus::parse_delegations_avec(
            sd,
            &|x| cherche(&index_elus, x),
            &|n| cherche(&index_org, n),
            &mut Vec::new(),
        )
        .map_err(|mut d| {
            suggerer(&mut d, Code::E008, ids_elus.as_deref());
            suggerer(&mut d, Code::E009, ids_org.as_deref());
            d
        })
    });
    // Cross-file rules: the territories of the organigramme are secteurs of `elus.csv`; a
    // `taux_actuel` in euros becomes a rate at the scenario's date.
    if let (Some(o), Some(e), Some(src)) = (&org, &elus, &sources[0]) {
        let mut quartiers: Vec<String> = e.iter().filter_map(|x| x.quartier.clone()).collect();
        quartiers.sort();
        quartiers.dedup();
        diags.extend(organigramme::territoires_inconnus(&src.nom, o, &quartiers));
    }
    if let (Some(o), None, Some(src)) = (&org, &elus, &sources[0])
        && o.noeuds.iter().any(|n| n.territoire.is_some())
    {
        diags.push(omis(
            &src.nom,
            "territoires des nœuds (secteurs et quartiers des élu·es)",
            &nom_source(1),
        ));
    }
    if let (Some(e), Some(p)) = (elus.as_mut(), &params) {
        elus::convertir_taux_euros_scenario(e, p);
    }
    let delegations = delegations.and_then(|r| r.map_err(|d| diags.extend(d)).ok());
    // The analysis keeps, for every node, the délégations it inherits from its ancestors: its
    // memory grows with what the délégations cover, not with nodes × délégations (108
    // délégations on services of a 19 000-node organigramme cost little). Both the number of
    // délégations and what they cover are bounded here, with a clear message.
    if let (Some(o), Some(d)) = (&org, &delegations) {
        let nom = || {
            sources[2]
                .as_ref()
                .map_or_else(|| "delegations.csv".to_string(), |x| x.nom.clone())
        };
        let nombre = d.avec_service.len() + d.sans_service.len();
        let couvert = couverture_heritee(o, &d.avec_service);
        if nombre > MAX_DELEGATIONS {
            diags.push(
                Diagnostic::fichier(
                    Code::E021,
                    &nom(),
                    format!(
                        "{} délégations : c'est plus que collegia n'en analyse ({} au plus)",
                        crate::format::grouper(&nombre.to_string()),
                        crate::format::grouper(&MAX_DELEGATIONS.to_string())
                    ),
                )
                .aide("vérifiez qu'il s'agit du bon fichier : le plus grand conseil de France (Paris, 163 élu·es) tient en quelques milliers de délégations"),
            );
        } else if couvert > MAX_COUVERTURE {
            diags.push(
                Diagnostic::fichier(
                    Code::E021,
                    &nom(),
                    format!(
                        "les {} délégations couvrent ensemble {} nœuds de l'organigramme (une délégation sur un pôle couvre tout le pôle) : au-delà de ce que collegia analyse ({} au plus)",
                        d.avec_service.len(),
                        crate::format::grouper(&couvert.to_string()),
                        crate::format::grouper(&MAX_COUVERTURE.to_string())
                    ),
                )
                .aide("vérifiez qu'il s'agit des bons fichiers : des centaines de délégations sur les pôles d'un organigramme de milliers de services ne se voient dans aucune commune ; déléguez plutôt les directions et les services"),
            );
        }
    }
    match (params, org, elus, delegations) {
        (Some(params), Some(organigramme), Some(elus), Some(delegations)) if diags.is_empty() => {
            avertissements
                .sort_by(|a, b| (&a.fichier, a.ligne, a.code).cmp(&(&b.fichier, b.ligne, b.code)));
            avertissements.dedup();
            let avertissements = error::regrouper(avertissements);
            Ok(Chargement {
                scenario: Scenario {
                    params,
                    organigramme,
                    elus,
                    delegations: delegations.avec_service,
                    delegations_sans_service: delegations.sans_service,
                },
                avertissements,
                fichiers,
            })
        }
        _ => Err(IngestError::new(diags)),
    }
}

/// Most délégations (rows of `delegations.csv`, with or without a service) a scenario may have.
/// The largest council (Paris, 163 élu·es) has a few thousand; every per-délégation structure of
/// the analysis and the reports stays small below this.
pub const MAX_DELEGATIONS: usize = 10_000;

/// Most (délégation, covered node) pairs a scenario may have: each délégation on a node covers
/// that node's whole subtree, and the coverage the analysis computes keeps, per node, the pilotes
/// (and porteurs) it inherits, so its memory is at most proportional to this sum (see
/// [`couverture_heritee`]). Measured worst case (every délégation on one pôle over all the
/// nodes): 670 Mo and 19 s at 4,6 million, about 145 bytes an entry, so about 300 Mo at this
/// bound. Délégations on services cover one node each: 108 délégations on a 19 000-node
/// organigramme cover a few hundred nodes.
pub const MAX_COUVERTURE: usize = 2_000_000;

/// Sum, over the délégations on a node, of the size of that node's subtree: how many
/// (délégation, node) pairs the inherited coverage can hold at most. Computed in one pass over
/// the nodes from the deepest up, whatever the depth.
pub fn couverture_heritee(
    o: &crate::model::Organigramme,
    delegations: &[crate::model::Delegation],
) -> usize {
    let mut ordre: Vec<usize> = (0..o.len()).collect();
    ordre.sort_by_key(|&x| std::cmp::Reverse(o.noeud(x).profondeur));
    let mut taille = vec![1usize; o.len()];
    for x in ordre {
        if let Some(p) = o.noeud(x).parent {
            taille[p] = taille[p].saturating_add(taille[x]);
        }
    }
    delegations
        .iter()
        .map(|d| taille.get(d.noeud).copied().unwrap_or(1))
        .fold(0usize, usize::saturating_add)
}

/// E032 when the scenario's `date` is before the first barème collegia encodes: every command
/// would fail later on it, without a file or line.
fn date_hors_baremes(chain: &[TomlFile], p: &crate::model::ScenarioParams) -> Option<Diagnostic> {
    let e = crate::law::Bareme::new(p.date, p.population_totale).err()?;
    let (fichier, ligne) = scenario_toml::ou_est(chain, "date");
    let premiere = match &e {
        crate::law::LawError::DateAvantTable { premiere, .. } => crate::format::date(*premiere),
        _ => String::new(),
    };
    let d = Diagnostic::fichier(
        Code::E032,
        &fichier,
        e.to_string(),
    )
    .colonne("date")
    .valeur(&p.date.format("%Y-%m-%d").to_string())
    .aide(format!(
        "donnez la date d'application du plan au format AAAA-MM-JJ, au plus tôt le {premiere} (CGCT L2123-23, barèmes de la loi 2019-1461)"
    ));
    Some(match ligne {
        Some(l) => d.ligne(l),
        None => d,
    })
}

/// Each identifier's first position, so that a repeated identifier is one (duplicates are
/// the table's own error).
fn premier_indice(ids: Option<&[String]>) -> Option<BTreeMap<&str, usize>> {
    let ids = ids?;
    let mut index = BTreeMap::new();
    for (i, id) in ids.iter().enumerate() {
        index.entry(id.as_str()).or_insert(i);
    }
    Some(index)
}

/// Identifiers (first column of the spec) of a raw table, when its id column can be read: read
/// with that column alone, so that another missing column (a header `Rattaché à` for `parent`)
/// does not hide the identifiers.
fn ids_bruts(src: &Source, spec: &[Colonne]) -> Option<Vec<String>> {
    let t = read_table(src, spec.get(..1)?).ok()?;
    Some(t.lignes.iter().map(|l| l.get(0).to_string()).collect())
}

/// The information (E055) that checks of `fichier` were not run because `cause` could not be
/// read: their findings would be false, not the user's to fix.
fn omis(fichier: &str, quoi: &str, cause: &str) -> Diagnostic {
    Diagnostic::fichier(
        Code::E055,
        fichier,
        format!("vérifications non faites : {quoi}, car « {cause} » n'a pas pu être chargé"),
    )
    .aide(format!(
        "corrigez d'abord « {cause} » (erreurs ci-dessus) ; ces vérifications se feront au prochain lancement"
    ))
}

/// Most character comparisons (length of the value × length of an identifier, summed) that
/// the « vouliez-vous dire » suggestions make for one list of diagnostics: about a second in a debug build.
pub const MAX_OPERATIONS_SUGGESTION: usize = 20_000_000;

/// Adds « vouliez-vous dire … ? » to the diagnostics of `code` whose value is close to one of
/// the identifiers `ids` (`DIR-VOIRE` → `DIR-VOIRIE`).
///
/// The work is bounded ([`MAX_OPERATIONS_SUGGESTION`]): each distinct value is compared once,
/// and values beyond the budget get no suggestion (200 000 unknown ids against 200 000 known
/// ones of 300 characters would take hours).
pub(crate) fn suggerer(diags: &mut [Diagnostic], code: Code, ids: Option<&[String]>) {
    let Some(ids) = ids else { return };
    let longueur_ids: usize = ids.iter().map(|i| i.len().max(1)).sum();
    let mut budget = MAX_OPERATIONS_SUGGESTION;
    let mut vues: BTreeMap<String, Option<&str>> = BTreeMap::new();
    for d in diags.iter_mut().filter(|d| d.code == code) {
        let Some(v) = d.valeur.clone() else {
            continue;
        };
        let cout = v.len().max(1).saturating_mul(longueur_ids);
        let proche = match vues.get(&v) {
            Some(p) => *p,
            None if cout <= budget => {
                budget -= cout;
                let p = table::plus_proche(&v, ids);
                vues.insert(v, p);
                p
            }
            None => None,
        };
        if let Some(p) = proche {
            d.aide = if d.aide.is_empty() {
                format!("vouliez-vous dire « {p} » ?")
            } else {
                format!("vouliez-vous dire « {p} » ? Sinon, {}", d.aide)
            };
        }
    }
}

/// Axes and communes déléguées to check the tables with when `scenario.toml` has errors: those
/// of a copy of the merged file that keeps only these keys (with a placeholder date and
/// population), else the defaults. This avoids reporting every axis of the tables as unknown
/// because of an unrelated typo in the TOML. The flag says whether they were read (false: the
/// defaults, against which the tables' axes and communes are not to be checked).
fn axes_et_communes_de_secours(
    chain: &[TomlFile],
) -> (
    Vec<crate::model::Axe>,
    Vec<crate::model::CommuneDeleguee>,
    bool,
) {
    let mut table = toml::Table::new();
    for f in chain.iter().rev() {
        for key in ["axes", "communes_deleguees", "commune_nouvelle"] {
            if let Some(v) = f.table.get(key) {
                table.insert(key.to_string(), v.clone());
            }
        }
    }
    table.insert("date".into(), toml::Value::String("2026-01-01".into()));
    table.insert("population_totale".into(), toml::Value::Integer(1000));
    let secours = TomlFile {
        dossier: PathBuf::new(),
        nom: String::new(),
        texte: String::new(),
        table,
    };
    match build_params(&[secours], "") {
        Ok((p, _)) => (p.axes, p.communes_deleguees, true),
        Err(_) => (
            crate::model::DEFAULT_AXES
                .iter()
                .map(|(id, l)| crate::model::Axe {
                    id: id.to_string(),
                    libelle: l.to_string(),
                })
                .collect(),
            Vec::new(),
            false,
        ),
    }
}
