//! The séance on disk: what lets a séminaire survive a restart, a Ctrl+C or a `kill -9`.
//!
//! In: the variants folder (`--sortie`), the input files and the facilitator's token. Out: the
//! folder `<sortie>/seance/` holding
//!
//! - `journal.jsonl`: a header line (séance id, scenario, SHA-256 of every input file), then one
//!   line per event ([`Evenement`]: a change with its journal line, an undo, a redo, a decision
//!   note). Each line is written by one `write` on a file opened in append mode, then flushed to
//!   the disk (`fsync`) before the change is answered: a line is on disk or the change was
//!   refused. A line torn by a crash mid-write (no final newline) is dropped on resume.
//! - `jeton`: the facilitator's token, readable by its owner only (mode 0600 on Unix), so that
//!   the facilitator's page keeps working after a restart.
//!
//! Replaying the events rebuilds the states and the undo history exactly
//! ([`super::Session::reprendre`]): a change that needs no solver is replayed from its
//! [`Modification`]; the optimiser's proposal and a point of the front are replayed from the
//! délégations and groups they produced ([`Instantane`]), never solved again.

use super::session::EntreeJournal;
use super::{ErreurSeminaire, Modification};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Name of the séance's folder inside the variants folder.
pub const DOSSIER_SEANCE: &str = "seance";
/// The journal file in the séance's folder.
pub const FICHIER_JOURNAL: &str = "journal.jsonl";
/// The facilitator token file in the séance's folder.
pub const FICHIER_JETON: &str = "jeton";
/// Version of the journal's format (in its header).
const FORMAT: u32 = 1;

/// The SHA-256 of one input file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empreinte {
    /// The file, as the scenario was loaded from it.
    pub fichier: String,
    /// SHA-256, hexadecimal.
    pub sha256: String,
}

/// The SHA-256 of each file (an unreadable file is an error: it was read a moment ago).
pub fn empreintes(fichiers: &[PathBuf]) -> Result<Vec<Empreinte>, ErreurSeminaire> {
    use sha2::{Digest, Sha256};
    let mut v = Vec::new();
    for f in fichiers {
        let mut h = Sha256::new();
        let mut fichier = File::open(f).map_err(|e| ecriture(f, &e))?;
        let mut tampon = vec![0u8; 64 * 1024];
        loop {
            let n = fichier.read(&mut tampon).map_err(|e| ecriture(f, &e))?;
            if n == 0 {
                break;
            }
            h.update(&tampon[..n]);
        }
        v.push(Empreinte {
            fichier: f.display().to_string(),
            sha256: h.finalize().iter().map(|b| format!("{b:02x}")).collect(),
        });
    }
    Ok(v)
}

fn ecriture(f: &Path, e: &std::io::Error) -> ErreurSeminaire {
    ErreurSeminaire::Ecriture(format!(
        "{} : {}",
        f.display(),
        crate::ingest::message_io(e)
    ))
}

/// The first line of the journal.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entete {
    format: u32,
    seance: String,
    scenario: String,
    empreintes: Vec<Empreinte>,
}

/// One délégation of a scenario, by ids (what [`Instantane`] keeps).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LigneDelegation {
    /// Élu·e id.
    pub elu: String,
    /// Node id.
    pub noeud: String,
    /// `pilote` or `appui`.
    pub role: String,
    /// Wording.
    pub libelle: String,
    /// Domains declared on the row (`domaine` column); absent from the journal when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domaines: Vec<String>,
}

/// The délégations and groups a solver-made change produced, to replay it without solving.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instantane {
    /// Every délégation with a service, in order.
    pub delegations: Vec<LigneDelegation>,
    /// Group of every élu·e, in `elus.csv` order.
    pub groupes: Vec<Option<String>>,
    /// The organigramme of an applied stage of the reorganisation, by ids (absent for the
    /// other changes, and in journals written before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reorganisation: Option<crate::report::reorganisation::Rattachements>,
}

/// One event of the séance, one line of `journal.jsonl`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "evenement", rename_all = "snake_case", deny_unknown_fields)]
pub enum Evenement {
    /// A change applied, with what it produced when a solver made it.
    Modification {
        /// The change as sent.
        modification: Modification,
        /// The délégations and groups it led to (solver-made changes only).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        instantane: Option<Instantane>,
        /// Its journal line.
        entree: EntreeJournal,
    },
    /// The last change undone.
    Annulation {
        /// Its journal line.
        entree: EntreeJournal,
    },
    /// The last undone change redone.
    Retablissement {
        /// Its journal line.
        entree: EntreeJournal,
    },
    /// A decision note attached to the last line of the journal.
    Note {
        /// The note (one line).
        texte: String,
    },
}

/// An open séance: its folder, its id and its journal, open for appending.
#[derive(Debug)]
pub struct Seance {
    dossier: PathBuf,
    id: String,
    journal: File,
}

/// What [`ouvrir`] found.
#[derive(Debug)]
pub struct Ouverture {
    /// The séance, open for appending.
    pub seance: Seance,
    /// The facilitator's token (kept from the séance resumed, else new).
    pub jeton: String,
    /// Events to replay (empty for a new séance).
    pub evenements: Vec<Evenement>,
    /// True when an unfinished séance was resumed.
    pub reprise: bool,
    /// The folder an earlier séance was moved to by `--nouvelle`.
    pub archivee: Option<PathBuf>,
}

impl Seance {
    /// The séance's folder.
    pub fn dossier(&self) -> &Path {
        &self.dossier
    }

    /// The séance's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Appends one event and flushes it to the disk before returning.
    pub fn ajouter(&mut self, e: &Evenement) -> Result<(), ErreurSeminaire> {
        let f = self.dossier.join(FICHIER_JOURNAL);
        let mut ligne = serde_json::to_vec(e)
            .map_err(|e| ErreurSeminaire::Ecriture(format!("{} : {e}", f.display())))?;
        ligne.push(b'\n');
        self.journal
            .write_all(&ligne)
            .and_then(|()| self.journal.sync_data())
            .map_err(|e| ecriture(&f, &e))
    }
}

/// Opens a file readable by its owner only (0600; a file left by an earlier run keeps its mode
/// through `open`, so it is set again).
#[cfg(unix)]
fn ouvrir_prive(o: &mut OpenOptions, chemin: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let f = o.mode(0o600).open(chemin)?;
    f.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    Ok(f)
}

/// Windows has no mode bits: the file inherits the folder's access rights (the user's own
/// folders by default).
#[cfg(not(unix))]
fn ouvrir_prive(o: &mut OpenOptions, chemin: &Path) -> std::io::Result<File> {
    o.open(chemin)
}

/// Writes a new file with owner-only permissions (0600 on Unix), atomically (a temporary file
/// renamed over it).
fn ecrire_prive(chemin: &Path, octets: &[u8]) -> std::io::Result<()> {
    let tmp = chemin.with_extension("tmp");
    let mut o = OpenOptions::new();
    o.write(true).create(true).truncate(true);
    let mut f = ouvrir_prive(&mut o, &tmp)?;
    f.write_all(octets)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, chemin)?;
    if let Some(p) = chemin.parent()
        && let Ok(d) = File::open(p)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Opens the journal for appending and takes its lock (`flock`, released when the séance is
/// closed or the process ends, `kill -9` included): a second server on the same séance is
/// refused instead of writing into its journal.
fn ouvrir_journal(chemin: &Path) -> Result<File, ErreurSeminaire> {
    let f = OpenOptions::new()
        .append(true)
        .open(chemin)
        .map_err(|e| ecriture(chemin, &e))?;
    crate::report::ecriture::verrouiller_fichier(&f, false).map_err(|e| {
        if e.kind() == std::io::ErrorKind::WouldBlock {
            ErreurSeminaire::SeanceOuverte(chemin.display().to_string())
        } else {
            ecriture(chemin, &e)
        }
    })?;
    Ok(f)
}

/// Reads the journal: its header and its events. A last line without its newline (a write
/// torn by a crash) is dropped and cut from the file; any other unreadable line is an error
/// naming the file and the line.
fn lire(chemin: &Path) -> Result<(Entete, Vec<Evenement>, u64), ErreurSeminaire> {
    let octets = std::fs::read(chemin).map_err(|e| ecriture(chemin, &e))?;
    let complet = match octets.iter().rposition(|&b| b == b'\n') {
        Some(k) => k + 1,
        None => 0,
    };
    let illisible = |ligne: usize, message: String| ErreurSeminaire::SeanceIllisible {
        fichier: chemin.display().to_string(),
        ligne,
        message,
    };
    let texte = std::str::from_utf8(&octets[..complet])
        .map_err(|_| illisible(1, "texte qui n'est pas de l'UTF-8".into()))?;
    let mut lignes = texte.lines().enumerate();
    let entete: Entete = match lignes.next() {
        Some((_, l)) => serde_json::from_str(l).map_err(|e| illisible(1, e.to_string()))?,
        None => return Err(illisible(1, "en-tête de la séance absent".into())),
    };
    if entete.format != FORMAT {
        return Err(illisible(
            1,
            format!(
                "format {} inconnu (cette version lit le format {FORMAT})",
                entete.format
            ),
        ));
    }
    let mut evenements = Vec::new();
    for (k, l) in lignes {
        evenements.push(serde_json::from_str(l).map_err(|e| illisible(k + 1, e.to_string()))?);
    }
    Ok((entete, evenements, complet as u64))
}

/// A new séance id: 16 hexadecimal digits from the operating system's generator.
fn nouvel_id() -> String {
    use rand::RngCore;
    let mut o = [0u8; 8];
    rand::rng().fill_bytes(&mut o);
    o.iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens the séance of `<sortie>/seance/`: resumes the unfinished one (refused when an input
/// file changed since, naming the files), or starts a new one (`nouvelle`, or none on disk;
/// an earlier séance is then moved aside to `seance-<id>`, never deleted). `jeton_neuf` is
/// the token of a new séance.
pub fn ouvrir(
    sortie: &Path,
    scenario: &Path,
    empreintes: Vec<Empreinte>,
    nouvelle: bool,
    jeton_neuf: String,
) -> Result<Ouverture, ErreurSeminaire> {
    let dossier = sortie.join(DOSSIER_SEANCE);
    let chemin = dossier.join(FICHIER_JOURNAL);
    let mut archivee = None;
    if chemin.exists() {
        if !nouvelle {
            let (entete, evenements, complet) = lire(&chemin)?;
            let mut changes: Vec<String> = Vec::new();
            for e in &entete.empreintes {
                if !empreintes.contains(e) {
                    changes.push(e.fichier.clone());
                }
            }
            for e in &empreintes {
                if !entete.empreintes.iter().any(|x| x.fichier == e.fichier) {
                    changes.push(e.fichier.clone());
                }
            }
            changes.sort();
            changes.dedup();
            if !changes.is_empty() {
                return Err(ErreurSeminaire::EntreesModifiees {
                    dossier: dossier.display().to_string(),
                    fichiers: changes,
                });
            }
            let jeton = std::fs::read_to_string(dossier.join(FICHIER_JETON))
                .map(|j| j.trim().to_string())
                .ok()
                .filter(|j| !j.is_empty());
            let jeton = match jeton {
                Some(j) => j,
                None => {
                    ecrire_prive(&dossier.join(FICHIER_JETON), jeton_neuf.as_bytes())
                        .map_err(|e| ecriture(&dossier.join(FICHIER_JETON), &e))?;
                    jeton_neuf
                }
            };
            let journal = ouvrir_journal(&chemin)?;
            // Cut a torn last line, so that the next event starts on a line of its own.
            if journal.metadata().map(|m| m.len()).unwrap_or(complet) != complet {
                journal
                    .set_len(complet)
                    .map_err(|e| ecriture(&chemin, &e))?;
            }
            return Ok(Ouverture {
                seance: Seance {
                    dossier,
                    id: entete.seance,
                    journal,
                },
                jeton,
                evenements,
                reprise: true,
                archivee: None,
            });
        }
        // Not while another server holds it.
        drop(ouvrir_journal(&chemin)?);
        let ancien = lire(&chemin)
            .map(|(e, _, _)| e.seance)
            .unwrap_or_else(|_| nouvel_id());
        let cible = sortie.join(format!("{DOSSIER_SEANCE}-{ancien}"));
        std::fs::rename(&dossier, &cible).map_err(|e| ecriture(&dossier, &e))?;
        archivee = Some(cible);
    }
    std::fs::create_dir_all(&dossier).map_err(|e| ecriture(&dossier, &e))?;
    let id = nouvel_id();
    let entete = Entete {
        format: FORMAT,
        seance: id.clone(),
        scenario: scenario.display().to_string(),
        empreintes,
    };
    let mut ligne = serde_json::to_vec(&entete)
        .map_err(|e| ErreurSeminaire::Ecriture(format!("{} : {e}", chemin.display())))?;
    ligne.push(b'\n');
    ecrire_prive(&dossier.join(FICHIER_JETON), jeton_neuf.as_bytes())
        .map_err(|e| ecriture(&dossier.join(FICHIER_JETON), &e))?;
    crate::report::ecriture::ecrire_atomique(&chemin, &ligne)
        .map_err(|e| ErreurSeminaire::Ecriture(e.to_string()))?;
    let journal = ouvrir_journal(&chemin)?;
    Ok(Ouverture {
        seance: Seance {
            dossier,
            id,
            journal,
        },
        jeton: jeton_neuf,
        evenements: Vec::new(),
        reprise: false,
        archivee,
    })
}
