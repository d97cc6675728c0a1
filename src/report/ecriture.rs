//! The one place that writes output files: atomically, only inside the chosen output folder, never
//! over an input, never through a link, with the user's umask.
//!
//! Two ways to write:
//! - [`Sortie::remplacer`] (reports, comparisons, proposals): the whole folder is written into a
//!   fresh sibling folder `.<nom>.collegia-neuf-<pid>`, then swapped in by renames (the previous
//!   folder kept as `.<nom>.collegia-ancien-<pid>` until the new one is in place, then removed).
//!   Nothing of an earlier run survives, a link left inside the folder is replaced (never
//!   followed), and a failure or a kill before the swap leaves the previous folder whole.
//! - [`Sortie::ecrire_tout`], [`Sortie::ajouter`] and [`ecrire_fichier`] (a generated scenario, the
//!   tableau annexe, an RNE import, an LP model): each file is written to a temporary file
//!   `.collegia-<pid>-<n>.tmp` beside its target, flushed to disk, then renamed over it.
//!
//! Every write holds an advisory lock (`flock`) on the folder written, so two runs never
//! interleave; temporaries are registered and removed on SIGINT/SIGTERM (a `signal-hook` thread,
//! not the signal handler itself, does the removing), and those of a run killed harder are
//! removed by the next run that writes there. A folder collegia writes whole carries a marker file
//! [`MARQUE`]; a non-empty folder without it is refused unless `--force`.
//!
//! Several commands write into one folder (`reports/x`: the report, the optimiser's
//! `proposition/`, affecter's `affectation/`, indemnites' tableau annexe): the marker records
//! whose each output is, and a command replacing the folder keeps what the others wrote,
//! saying so ([`Remplacement::remarques`]) when it does replace another command's output. A
//! folder that cannot be renamed (a mount point: EBUSY) is replaced in place instead. The
//! operations that can fail for reasons outside collegia (full disk, busy mount point) go
//! through one seam, where the tests inject those failures.
//!
//! Files are created with mode `0666` and folders `0777`, less the umask, as `cp` would (the
//! temporary file is created by `open(2)`, not by `mkstemp`, whose `0600` would survive the rename).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Name of the marker file that collegia writes at the root of every folder it writes whole.
pub const MARQUE: &str = ".collegia";

/// First lines of the marker file; the lines after them record whose the folder's outputs are
/// (see [`Marque`]). Constant for a given set of owners: outputs stay byte-identical across runs.
const TEXTE_MARQUE: &str = "# Dossier écrit par collegia : chaque commande y remplace en entier ce qui est à elle et garde\n# ce que les autres commandes y ont écrit. N'y rangez pas d'autres fichiers : ils seraient supprimés.\n";

/// Why an output could not be written. Messages are French: they reach users as they are.
#[derive(Debug, thiserror::Error)]
pub enum EcritureError {
    /// A relative output name tried to leave the output folder (`..`, absolute path).
    #[error("chemin de sortie refusé « {0} » : il sortirait du dossier de sortie")]
    HorsDossier(String),
    /// The output would overwrite or sit inside an input scenario folder.
    #[error(
        "refus d'écrire « {0} » : c'est un dossier ou un fichier d'entrée (choisissez un autre dossier avec --sortie)"
    )]
    DansEntree(String),
    /// The target exists and overwriting was not allowed.
    #[error("le fichier « {0} » existe déjà (ajoutez --force pour le remplacer)")]
    Existe(String),
    /// A non-empty folder that collegia did not write (no [`MARQUE`]), without `--force`.
    #[error(
        "le dossier « {0} » n'est pas vide et n'a pas été écrit par collegia (pas de fichier {MARQUE}) : choisissez un autre dossier avec --sortie, ou ajoutez --force pour le remplacer en entier, fichiers existants compris"
    )]
    NonCollegia(String),
    /// The folder is the output of another collegia command (its marker says so), without
    /// `--force`.
    #[error(
        "le dossier « {chemin} » est la sortie de « collegia {commande} » : choisissez un autre dossier avec --sortie, ou ajoutez --force pour la remplacer"
    )]
    AutreCommande {
        /// Output folder.
        chemin: String,
        /// The command that wrote it.
        commande: String,
    },
    /// The folder to replace is the current folder or one of its parents.
    #[error(
        "refus de remplacer « {0} » : il contient le dossier courant ; choisissez un autre dossier avec --sortie"
    )]
    DossierCourant(String),
    /// A folder on the way to a file, below the output folder, is a symbolic link.
    #[error(
        "refus d'écrire « {0} » : un dossier du chemin est un lien symbolique, que collegia ne suit jamais sous le dossier de sortie"
    )]
    Lien(String),
    /// The swap failed and the previous folder could not be put back.
    #[error(
        "remplacement de « {chemin} » interrompu : {source} ; le dossier précédent est conservé dans « {ancien} »"
    )]
    Echange {
        /// Output folder.
        chemin: String,
        /// Where the previous folder is.
        ancien: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// A rename failed after others of the same batch had succeeded: some files are new.
    #[error(
        "écriture interrompue à « {chemin} » : {source} ; une partie des fichiers a déjà été remplacée"
    )]
    Partiel {
        /// File whose rename failed.
        chemin: String,
        /// Underlying error.
        source: std::io::Error,
    },
    /// I/O failure.
    #[error("écriture impossible de « {chemin} » : {source}")]
    Io {
        /// File or folder concerned.
        chemin: String,
        /// Underlying error.
        source: std::io::Error,
    },
}

impl EcritureError {
    /// Whether the files that were there before the failed write are all still there, unchanged:
    /// true for every failure except an interrupted swap whose rollback failed and a batch of
    /// single files cut short during its renames.
    pub fn precedents_intacts(&self) -> bool {
        !matches!(
            self,
            EcritureError::Echange { .. } | EcritureError::Partiel { .. }
        )
    }
}

fn io(chemin: &Path, source: std::io::Error) -> EcritureError {
    EcritureError::Io {
        chemin: chemin.display().to_string(),
        source,
    }
}

// ---------------------------------------------------------------------------------------------
// The file-system seam

/// The operations of the writer that fail for reasons outside collegia (a full disk, a busy
/// mount point, a parent folder that is not writable): every one goes through [`panne`], where
/// the tests inject these failures (ENOSPC, EBUSY, EACCES) without a real full disk or mount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operation {
    /// Creating a folder (the fresh folder, a subfolder of the output).
    CreerDossier,
    /// Writing a file's bytes and syncing them.
    Ecrire,
    /// Renaming a file or folder (the path given is the source).
    Renommer,
}

/// A failure to inject: given the operation and its path, the error it must give, if any.
#[cfg(test)]
type Panne = Box<dyn Fn(Operation, &Path) -> Option<std::io::Error>>;

#[cfg(test)]
thread_local! {
    static PANNE: std::cell::RefCell<Option<Panne>> = const { std::cell::RefCell::new(None) };
}

/// Makes the writer's operations on this thread fail as `f` says, until the returned guard is
/// dropped (tests only: the seam costs nothing in the binary).
#[cfg(test)]
pub(crate) fn injecter_panne(
    f: impl Fn(Operation, &Path) -> Option<std::io::Error> + 'static,
) -> FinPanne {
    PANNE.with(|p| *p.borrow_mut() = Some(Box::new(f)));
    FinPanne
}

/// Removes the injected failure when dropped.
#[cfg(test)]
pub(crate) struct FinPanne;

#[cfg(test)]
impl Drop for FinPanne {
    fn drop(&mut self) {
        PANNE.with(|p| *p.borrow_mut() = None);
    }
}

/// The injected failure of `op` on `chemin`, if any (never in the binary).
fn panne(op: Operation, chemin: &Path) -> std::io::Result<()> {
    #[cfg(test)]
    {
        if let Some(e) = PANNE.with(|p| p.borrow().as_ref().and_then(|f| f(op, chemin))) {
            return Err(e);
        }
    }
    let _ = (op, chemin);
    Ok(())
}

fn creer_dossier(p: &Path) -> std::io::Result<()> {
    panne(Operation::CreerDossier, p)?;
    std::fs::create_dir(p)
}

fn creer_dossiers(p: &Path) -> std::io::Result<()> {
    panne(Operation::CreerDossier, p)?;
    std::fs::create_dir_all(p)
}

fn ecrire_octets(f: &mut File, p: &Path, octets: &[u8]) -> std::io::Result<()> {
    panne(Operation::Ecrire, p)?;
    f.write_all(octets)?;
    f.sync_all()
}

fn renommer(de: &Path, vers: &Path) -> std::io::Result<()> {
    panne(Operation::Renommer, de)?;
    std::fs::rename(de, vers)
}

/// Whether a failure to rename or create beside the output folder means that the folder cannot
/// be swapped whole and must be replaced in place: a mount point (EBUSY, EXDEV), a parent that
/// is read-only or not writable, a folder in use (Windows).
fn a_remplacer_sur_place(e: &std::io::Error) -> bool {
    use std::io::ErrorKind as K;
    matches!(
        e.kind(),
        K::ResourceBusy | K::CrossesDevices | K::PermissionDenied | K::ReadOnlyFilesystem
    )
}

/// Whether `p` is a folder on another file system than its parent (the root of a mounted
/// drive), which cannot be renamed.
#[cfg(unix)]
fn point_de_montage(p: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (
        std::fs::symlink_metadata(p),
        p.parent().map(std::fs::metadata),
    ) {
        (Ok(a), Some(Ok(b))) => a.is_dir() && a.dev() != b.dev(),
        _ => false,
    }
}

/// Elsewhere std cannot tell a mount point: the root of a drive has no parent, and a folder
/// that cannot be renamed is found when the rename fails ([`a_remplacer_sur_place`]).
#[cfg(not(unix))]
fn point_de_montage(p: &Path) -> bool {
    p.parent().is_none()
}

// ---------------------------------------------------------------------------------------------
// The marker: whose the outputs are

/// What the marker [`MARQUE`] of a folder records: the command that replaces the folder whole
/// (`rapport : .`), and the single files other commands added to it (`indemnites :
/// indemnites-tableau-annexe.csv`). Subfolders written whole by another command carry their own
/// marker. A marker of an earlier collegia (no `#` header) names no owner: any command may
/// replace that folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct Marque {
    /// The command owning the whole folder.
    proprietaire: Option<String>,
    /// Single files added by other commands: name → command.
    fichiers: std::collections::BTreeMap<String, String>,
}

impl Marque {
    /// Reads the marker of `dossier`; `None` when it has none.
    fn lire(dossier: &Path) -> Option<Marque> {
        let p = dossier.join(MARQUE);
        if !std::fs::symlink_metadata(&p).is_ok_and(|m| m.is_file()) {
            return None;
        }
        let texte = std::fs::read_to_string(&p).unwrap_or_default();
        let mut m = Marque::default();
        if !texte.starts_with('#') {
            return Some(m);
        }
        for l in texte.lines().filter(|l| !l.starts_with('#')) {
            if let Some((commande, nom)) = l.split_once(" : ") {
                if nom == "." {
                    m.proprietaire = Some(commande.to_string());
                } else {
                    m.fichiers.insert(nom.to_string(), commande.to_string());
                }
            }
        }
        Some(m)
    }

    /// The marker's text: the header, the owner, then the added files by name.
    fn texte(&self) -> String {
        let mut t = TEXTE_MARQUE.to_string();
        if let Some(c) = &self.proprietaire {
            t += &format!("{c} : .\n");
        }
        for (nom, c) in &self.fichiers {
            t += &format!("{c} : {nom}\n");
        }
        t
    }
}

/// The owner of a subfolder written whole by a command: `Some(None)` for a marker of an
/// earlier collegia, `None` when the subfolder has no marker (it belongs to its parent).
fn proprietaire_de(dossier: &Path) -> Option<Option<String>> {
    if !std::fs::symlink_metadata(dossier).is_ok_and(|m| m.is_dir()) {
        return None;
    }
    Marque::lire(dossier).map(|m| m.proprietaire)
}

/// Whether the entry `nom` of an output folder is collegia's own bookkeeping: the lock file or
/// the fresh and backup folders of an output inside it, or a temporary file.
fn tenue_par_collegia(nom: &str) -> bool {
    (nom.starts_with(PREFIXE_TMP) && nom.ends_with(SUFFIXE_TMP))
        || (nom.starts_with('.')
            && (nom.ends_with(SUFFIXE_VERROU)
                || nom.contains(".collegia-neuf-")
                || nom.contains(".collegia-ancien-")))
}

// ---------------------------------------------------------------------------------------------
// Temporaries and signals

/// Temporary files and folders of this process, removed on SIGINT/SIGTERM. The swap holds this
/// lock, so that a signal arriving during it is handled once the folders are consistent.
static TEMPORAIRES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn temporaires() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    TEMPORAIRES.lock().unwrap_or_else(|e| e.into_inner())
}

fn retirer(p: &Path) {
    match std::fs::symlink_metadata(p) {
        Ok(m) if m.is_dir() => {
            // `remove_dir_all` never follows a link inside the folder.
            let _ = std::fs::remove_dir_all(p);
        }
        Ok(_) => {
            let _ = std::fs::remove_file(p);
        }
        Err(_) => {}
    }
}

fn enregistrer(p: &Path) {
    temporaires().push(p.to_path_buf());
}

fn oublier(v: &mut Vec<PathBuf>, p: &Path) {
    v.retain(|x| x != p);
}

/// True while [`calcul_interruptible`] runs.
static EN_CALCUL: AtomicBool = AtomicBool::new(false);
/// Set by the first SIGINT or SIGTERM received while [`calcul_interruptible`] runs.
static ARRET_DEMANDE: AtomicBool = AtomicBool::new(false);

/// Runs a long computation (the grouping search) so that the first Ctrl-C (or SIGTERM) only
/// sets the flag it is given, for it to stop and keep its best result; a second signal ends
/// the process as usual, removing the temporaries.
pub fn calcul_interruptible<T>(f: impl FnOnce(&AtomicBool) -> T) -> T {
    surveiller_signaux();
    ARRET_DEMANDE.store(false, Ordering::SeqCst);
    EN_CALCUL.store(true, Ordering::SeqCst);
    let r = f(&ARRET_DEMANDE);
    EN_CALCUL.store(false, Ordering::SeqCst);
    r
}

/// Installs, once, a thread that removes this process's temporaries on SIGINT or SIGTERM, then
/// ends the process with code 128 + the signal, as the shell expects.
fn surveiller_signaux() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        static UNE_FOIS: std::sync::Once = std::sync::Once::new();
        UNE_FOIS.call_once(|| {
            let Ok(mut signaux) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
                return;
            };
            std::thread::spawn(move || {
                for sig in signaux.forever() {
                    // During a computation the first signal only asks it to stop and keep its
                    // best result; a second one ends the process as below.
                    if EN_CALCUL.load(Ordering::SeqCst) && !ARRET_DEMANDE.swap(true, Ordering::SeqCst)
                    {
                        eprintln!(
                            "\nInterruption demandée : la recherche s'arrête et garde le meilleur plan trouvé (recommencez pour tout arrêter)."
                        );
                        continue;
                    }
                    let mut t = temporaires();
                    for p in t.drain(..) {
                        retirer(&p);
                    }
                    std::process::exit(128 + sig);
                }
            });
        });
    }
    // Elsewhere (Windows) std has no signal API: Ctrl-C ends the process at once, and the
    // temporaries it leaves are removed by the next run that writes there
    // (`nettoyer_temporaires`, `nettoyer_freres`).
    #[cfg(not(unix))]
    {}
}

static COMPTEUR: AtomicU64 = AtomicU64::new(0);

/// Prefix of the temporary files written beside their targets.
const PREFIXE_TMP: &str = ".collegia-";
/// Suffix of the temporary files written beside their targets.
const SUFFIXE_TMP: &str = ".tmp";

/// A new file `.collegia-<pid>-<n>.tmp` in `dossier`, created by `open(2)` with mode 0666 so that
/// the umask applies (as for any file a program creates), registered for removal on a signal.
fn fichier_temporaire(dossier: &Path) -> Result<(PathBuf, File), EcritureError> {
    loop {
        let n = COMPTEUR.fetch_add(1, Ordering::Relaxed);
        let p = dossier.join(format!(
            "{PREFIXE_TMP}{}-{n}{SUFFIXE_TMP}",
            std::process::id()
        ));
        enregistrer(&p);
        match OpenOptions::new().write(true).create_new(true).open(&p) {
            Ok(f) => return Ok((p, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                oublier(&mut temporaires(), &p);
            }
            Err(e) => {
                oublier(&mut temporaires(), &p);
                return Err(io(dossier, e));
            }
        }
    }
}

/// Removes temporaries `.collegia-*.tmp` left in `dossier` by a killed run. Called with the
/// folder's lock held, so no live collegia run is writing them.
fn nettoyer_temporaires(dossier: &Path) {
    let Ok(entrees) = std::fs::read_dir(dossier) else {
        return;
    };
    for e in entrees.filter_map(Result::ok) {
        let nom = e.file_name().to_string_lossy().to_string();
        if nom.starts_with(PREFIXE_TMP) && nom.ends_with(SUFFIXE_TMP) && !nom.contains('/') {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Writes `octets` to a temporary file in the target's folder, syncs it, renames it over the
/// target (a link at the target is replaced, not followed).
fn ecrire_par_renommage(cible: &Path, octets: &[u8]) -> Result<(), EcritureError> {
    let parent = parent_de(cible);
    let (tmp, mut f) = fichier_temporaire(&parent)?;
    let res = ecrire_octets(&mut f, cible, octets).and_then(|_| renommer(&tmp, cible));
    let mut t = temporaires();
    oublier(&mut t, &tmp);
    if let Err(e) = res {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(cible, e));
    }
    Ok(())
}

fn parent_de(p: &Path) -> PathBuf {
    match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

// ---------------------------------------------------------------------------------------------
// Locks

/// Takes an exclusive advisory lock (`flock(2)`) on an open file or folder, waiting for it or
/// not; released when the file is closed (or the process ends, however it ends).
#[cfg(unix)]
pub(crate) fn verrouiller_fichier(f: &File, attendre: bool) -> std::io::Result<()> {
    use rustix::fs::{FlockOperation, flock};
    let op = if attendre {
        FlockOperation::LockExclusive
    } else {
        FlockOperation::NonBlockingLockExclusive
    };
    flock(f, op).map_err(std::io::Error::from)
}

#[cfg(not(unix))]
pub(crate) fn verrouiller_fichier(_: &File, _: bool) -> std::io::Result<()> {
    Ok(())
}

/// An advisory lock on a folder (`flock` on the folder itself: no lock file left behind), held
/// until dropped.
struct Verrou {
    _f: Option<File>,
}

/// Locks the folder `dossier` (created if missing), waiting for another run that holds it. If the
/// folder was swapped while waiting, the lock is taken again on the folder now at that path.
fn verrouiller(dossier: &Path) -> Result<Verrou, EcritureError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        for _ in 0..1000 {
            match std::fs::create_dir(dossier) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(e) => return Err(io(dossier, e)),
            }
            let f = match File::open(dossier) {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(io(dossier, e)),
            };
            verrouiller_fichier(&f, true).map_err(|e| io(dossier, e))?;
            let tenu = f.metadata().map_err(|e| io(dossier, e))?;
            match std::fs::symlink_metadata(dossier) {
                Ok(m) if m.is_dir() && m.dev() == tenu.dev() && m.ino() == tenu.ino() => {
                    return Ok(Verrou { _f: Some(f) });
                }
                Ok(m) if !m.is_dir() => {
                    return Err(io(
                        dossier,
                        std::io::Error::other("ce n'est pas un dossier"),
                    ));
                }
                _ => continue,
            }
        }
        Err(io(
            dossier,
            std::io::Error::other("verrou impossible à prendre"),
        ))
    }
    #[cfg(not(unix))]
    {
        std::fs::create_dir_all(dossier).map_err(|e| io(dossier, e))?;
        Ok(Verrou { _f: None })
    }
}

/// Locks the output folder `racine` through a lock file beside it, `.<nom>.collegia.verrou`,
/// which is never swapped (the folder itself is, so a lock on it would be lost in the swap).
/// Waits for another run that holds it. A folder whose parent cannot hold the lock file (the
/// root of a drive, a mount point under a folder the user cannot write) is replaced in place,
/// never swapped: it is locked itself.
fn verrouiller_sortie(racine: &Path) -> Result<Verrou, EcritureError> {
    let (Some(parent), Some(nom)) = (racine.parent(), racine.file_name()) else {
        return verrouiller(racine);
    };
    creer_dossiers(parent).map_err(|e| io(parent, e))?;
    let chemin = parent.join(format!(".{}{SUFFIXE_VERROU}", nom.to_string_lossy()));
    let f = match OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&chemin)
    {
        Ok(f) => f,
        Err(e) if a_remplacer_sur_place(&e) => return verrouiller(racine),
        Err(e) => return Err(io(&chemin, e)),
    };
    verrouiller_fichier(&f, true).map_err(|e| io(&chemin, e))?;
    Ok(Verrou { _f: Some(f) })
}

/// Suffix of the lock file beside an output folder.
const SUFFIXE_VERROU: &str = ".collegia.verrou";

// ---------------------------------------------------------------------------------------------
// Paths

/// Absolute, canonical form of a path that may not exist yet: every existing component is
/// resolved as the system does (links followed, then `..` taken from the link's target, so that
/// `LIEN/..` is the folder above the link's target, not the folder holding the link), the
/// missing rest appended. Two spellings of one folder give the same result.
pub fn absolu(p: &Path) -> PathBuf {
    let depart = if p.is_absolute() {
        PathBuf::new()
    } else {
        let cwd = std::env::current_dir().unwrap_or_default();
        cwd.canonicalize().unwrap_or(cwd)
    };
    let mut cur = depart;
    for c in p.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => cur.push(c.as_os_str()),
            Component::CurDir => {}
            // `cur` is canonical (or missing from some point on): its parent is its real parent.
            Component::ParentDir => {
                cur.pop();
            }
            Component::Normal(n) => {
                cur.push(n);
                if std::fs::symlink_metadata(&cur).is_ok_and(|m| m.file_type().is_symlink())
                    && let Ok(vrai) = cur.canonicalize()
                {
                    cur = vrai;
                }
            }
        }
    }
    cur
}

/// `(device, inode)` of an existing path (links followed), on Unix.
#[cfg(unix)]
fn identite(p: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(p).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identite(_: &Path) -> Option<(u64, u64)> {
    None
}

/// Whether two paths name the same existing file (same device and inode), or the same canonical
/// path.
pub fn meme_fichier(a: &Path, b: &Path) -> bool {
    match (identite(a), identite(b)) {
        (Some(x), Some(y)) => x == y,
        _ => absolu(a) == absolu(b),
    }
}

/// Whether `p` or one of its existing ancestors is the folder `dossier` (by device and inode,
/// and by canonical path).
fn dans(p: &Path, dossier: &Path) -> bool {
    let (p, dossier) = (absolu(p), absolu(dossier));
    if p.starts_with(&dossier) {
        return true;
    }
    let Some(id) = identite(&dossier) else {
        return false;
    };
    p.ancestors().any(|a| identite(a) == Some(id))
}

/// Checks that the folder `racine` neither is, nor lies inside, nor contains the folder of an
/// input file. A workbook (`.xlsx`, `.ods`) is a scenario in one file: only the file itself is
/// protected, so that a report may be written beside it (`collegia rapport ville.xlsx` in the
/// folder that holds it).
fn verifier_entrees(racine: &Path, entrees: &[PathBuf]) -> Result<(), EcritureError> {
    for e in entrees {
        let dossier = parent_de(&absolu(e));
        let classeur = e
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| x.eq_ignore_ascii_case("xlsx") || x.eq_ignore_ascii_case("ods"));
        if (!classeur && dans(racine, &dossier)) || dans(e, racine) {
            return Err(EcritureError::DansEntree(racine.display().to_string()));
        }
    }
    Ok(())
}

/// Whether collegia may replace the folder without `--force`: missing, empty, marked with
/// [`MARQUE`], inside a marked folder, or holding only marked folders and collegia's lock files
/// (a proposal written by `optimiser` before the report around it).
fn a_collegia(racine: &Path) -> bool {
    if racine.join(MARQUE).is_file() || racine.parent().is_some_and(|p| p.join(MARQUE).is_file()) {
        return true;
    }
    let Ok(entrees) = std::fs::read_dir(racine) else {
        return !racine.exists();
    };
    entrees.filter_map(Result::ok).all(|e| {
        let nom = e.file_name().to_string_lossy().to_string();
        tenue_par_collegia(&nom)
            || (e.file_type().is_ok_and(|t| t.is_dir()) && e.path().join(MARQUE).is_file())
    })
}

/// Relative path from folder `de` to folder `vers` (both absolute, see [`absolu`]), with `/`
/// separators: what a variant's `base` says. `None` when they share no prefix.
pub fn chemin_relatif(de: &Path, vers: &Path) -> Option<String> {
    let a: Vec<_> = de.components().collect();
    let b: Vec<_> = vers.components().collect();
    let commun = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    if commun == 0 {
        return None;
    }
    let mut parts: Vec<String> = vec!["..".to_string(); a.len() - commun];
    parts.extend(
        b[commun..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().to_string()),
    );
    Some(if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    })
}

/// What a whole-folder replacement did besides writing its files: the outputs of other commands
/// it kept, those it replaced because it writes the same name, and what it removed that no
/// collegia command wrote (only with `--force`). The CLI says the last two.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Remplacement {
    /// The files written (paths inside the folder).
    pub fichiers: Vec<PathBuf>,
    /// The folder as the user spelt it.
    pub dossier: PathBuf,
    /// Entries written by other commands, kept in place.
    pub gardes: Vec<String>,
    /// Entries written by another command and replaced: (name, command); the name is empty when
    /// the whole folder was that command's output (`--force`, or a proposal the report wrote
    /// replaced by `optimiser`).
    pub remplaces: Vec<(String, String)>,
    /// Entries no collegia command wrote, removed (`--force`).
    pub supprimes: Vec<String>,
}

impl Remplacement {
    /// What the user must be told, in French: one sentence for each other command's output
    /// replaced, one for the foreign entries removed. Empty when nothing but the command's own
    /// earlier output was replaced.
    pub fn remarques(&self) -> Vec<String> {
        let d = self.dossier.display();
        let mut v: Vec<String> = self
            .remplaces
            .iter()
            .map(|(nom, c)| {
                if nom.is_empty() {
                    format!("« {d} » était la sortie de « collegia {c} » : elle a été remplacée")
                } else {
                    format!(
                        "« {} », écrit par « collegia {c} », a été remplacé : cette commande écrit le même nom",
                        self.dossier.join(nom).display()
                    )
                }
            })
            .collect();
        if !self.supprimes.is_empty() {
            const MONTRES: usize = 10;
            let mut liste = self
                .supprimes
                .iter()
                .take(MONTRES)
                .map(|n| format!("« {n} »"))
                .collect::<Vec<_>>()
                .join(", ");
            if self.supprimes.len() > MONTRES {
                liste += &format!(" et {} autres", self.supprimes.len() - MONTRES);
            }
            v.push(format!(
                "{} qui n'étai{} pas de collegia {} été supprimé{} de « {d} » (--force) : {liste}",
                crate::format::pluriel(self.supprimes.len(), "entrée", "entrées"),
                if self.supprimes.len() > 1 { "ent" } else { "t" },
                if self.supprimes.len() > 1 { "ont" } else { "a" },
                if self.supprimes.len() > 1 { "es" } else { "e" },
            ));
        }
        v
    }
}

/// What a replacement does with the entries of the previous folder.
#[derive(Debug, Default)]
struct Plan {
    /// The new folder's marker.
    marque: Marque,
    /// Names of the previous folder to carry into the new one.
    gardes: Vec<String>,
    /// Other commands' entries replaced: (name, command).
    remplaces: Vec<(String, String)>,
    /// Foreign entries removed.
    supprimes: Vec<String>,
}

/// An output folder: every file written through it lands inside it, atomically.
#[derive(Debug, Clone)]
pub struct Sortie {
    /// Canonical folder (see [`absolu`]): every write goes there, whatever spelling was given.
    racine: PathBuf,
    /// The folder as the user spelt it, for messages.
    affichee: PathBuf,
    /// Replace existing files, and folders that collegia did not write.
    force: bool,
    /// The command writing (`rapport`, `optimiser`…), recorded in the marker: what it replaces
    /// whole is its own, and it keeps what other commands wrote.
    commande: Option<&'static str>,
}

impl Sortie {
    /// Opens an output folder, refusing one that is, or is inside, or contains an input file's
    /// folder (`entrees`: the files the command read), compared by canonical path and by device
    /// and inode.
    pub fn new(racine: &Path, entrees: &[PathBuf]) -> Result<Sortie, EcritureError> {
        verifier_entrees(racine, entrees)?;
        Ok(Sortie {
            racine: absolu(racine),
            affichee: racine.to_path_buf(),
            force: false,
            commande: None,
        })
    }

    /// Opens an output folder that collegia owns (a report, a comparison, a proposal): as
    /// [`Sortie::new`], and also refuses, unless `force`, a non-empty folder that collegia did not
    /// write (no [`MARQUE`]), such as another scenario folder given by mistake.
    pub fn dossier(
        racine: &Path,
        entrees: &[PathBuf],
        force: bool,
    ) -> Result<Sortie, EcritureError> {
        let mut s = Sortie::new(racine, entrees)?;
        s.force = force;
        s.verifier_proprietaire()?;
        Ok(s)
    }

    /// Opens the output folder of the command `commande`, which replaces it whole
    /// ([`Sortie::remplacer`]): as [`Sortie::dossier`], and also refuses, unless `force`, a folder
    /// whose marker says it is another command's output. Checked here, before any computation,
    /// and again when writing.
    pub fn pour(
        commande: &'static str,
        racine: &Path,
        entrees: &[PathBuf],
        force: bool,
    ) -> Result<Sortie, EcritureError> {
        let s = Sortie::dossier(racine, entrees, force)?.par(commande);
        s.verifier_commande()?;
        Ok(s)
    }

    /// Names the command writing, recorded in the marker by [`Sortie::ajouter`] and
    /// [`Sortie::remplacer`].
    pub fn par(mut self, commande: &'static str) -> Sortie {
        self.commande = Some(commande);
        self
    }

    /// Lets [`Sortie::ecrire_tout`] replace existing files.
    pub fn forcer(mut self, force: bool) -> Sortie {
        self.force = force;
        self
    }

    fn verifier_proprietaire(&self) -> Result<(), EcritureError> {
        if !self.force && !a_collegia(&self.racine) {
            return Err(EcritureError::NonCollegia(
                self.affichee.display().to_string(),
            ));
        }
        Ok(())
    }

    /// The command owning the folder, when it is not this one.
    fn autre_proprietaire(&self) -> Option<String> {
        let c = self.commande?;
        Marque::lire(&self.racine)
            .and_then(|m| m.proprietaire)
            .filter(|p| p != c)
    }

    fn verifier_commande(&self) -> Result<(), EcritureError> {
        match self.autre_proprietaire() {
            Some(commande) if !self.force => Err(EcritureError::AutreCommande {
                chemin: self.affichee.display().to_string(),
                commande,
            }),
            _ => Ok(()),
        }
    }

    /// The folder, canonical (see [`absolu`]).
    pub fn racine(&self) -> &Path {
        &self.racine
    }

    /// The folder as the user spelt it (for messages).
    pub fn affichee(&self) -> &Path {
        &self.affichee
    }

    /// Path of a relative output name, refusing names that would leave the folder.
    pub fn chemin(&self, nom: &str) -> Result<PathBuf, EcritureError> {
        let rel = relatif(nom)?;
        Ok(self.racine.join(rel))
    }

    /// Checks that no folder between the root and `cible` is a link (so that a link planted in
    /// the output folder never sends a write elsewhere); creates the missing folders.
    fn preparer_dossiers(&self, cible: &Path) -> Result<(), EcritureError> {
        let parent = parent_de(cible);
        let Ok(rel) = parent.strip_prefix(&self.racine) else {
            return Err(EcritureError::HorsDossier(cible.display().to_string()));
        };
        let mut cur = self.racine.clone();
        for c in rel.components() {
            cur.push(c);
            match std::fs::symlink_metadata(&cur) {
                Ok(m) if m.file_type().is_symlink() => {
                    return Err(EcritureError::Lien(cible.display().to_string()));
                }
                Ok(_) => {}
                Err(_) => creer_dossier(&cur).map_err(|e| io(&cur, e))?,
            }
        }
        Ok(())
    }

    /// Creates the folder (under its lock) and runs `f`; when `f` fails and the folder did not
    /// exist before, the folders created are removed again, so that a failed save (a full disk)
    /// leaves nothing behind and its name stays free.
    fn dans_le_dossier<T>(
        &self,
        f: impl FnOnce() -> Result<T, EcritureError>,
    ) -> Result<T, EcritureError> {
        let existait = std::fs::symlink_metadata(&self.racine).is_ok();
        creer_dossiers(&self.racine).map_err(|e| io(&self.racine, e))?;
        let r = f();
        if r.is_err() && !existait {
            retirer_dossiers_vides(&self.racine);
        }
        r
    }

    /// Writes one file atomically into the folder (created if missing), replacing a file of the
    /// same name. Other files of the folder are left alone. When the command is named
    /// ([`Sortie::par`]) and the folder carries a marker, the file is recorded there as this
    /// command's, so that the command replacing the folder keeps it.
    pub fn ecrire(&self, nom: &str, octets: &[u8]) -> Result<PathBuf, EcritureError> {
        self.ecrire_marque(nom, octets, false)
    }

    /// Adds one file to a folder that collegia owns (the tableau annexe beside a report): as
    /// [`Sortie::ecrire`], and marks the folder with [`MARQUE`] when it had no marker.
    pub fn ajouter(&self, nom: &str, octets: &[u8]) -> Result<PathBuf, EcritureError> {
        self.ecrire_marque(nom, octets, true)
    }

    fn ecrire_marque(
        &self,
        nom: &str,
        octets: &[u8],
        marquer: bool,
    ) -> Result<PathBuf, EcritureError> {
        let p = self.chemin(nom)?;
        surveiller_signaux();
        let _verrou = verrouiller_sortie(&self.racine)?;
        self.dans_le_dossier(|| {
            nettoyer_temporaires(&self.racine);
            self.preparer_dossiers(&p)?;
            ecrire_par_renommage(&p, octets)?;
            let avant = Marque::lire(&self.racine);
            if avant.is_none() && !marquer {
                return Ok(p);
            }
            let mut m = avant.clone().unwrap_or_default();
            if let Some(c) = self.commande
                && m.proprietaire.as_deref() != Some(c)
            {
                m.fichiers.insert(nom.to_string(), c.to_string());
            }
            if avant.as_ref() != Some(&m) {
                ecrire_par_renommage(&self.racine.join(MARQUE), m.texte().as_bytes())?;
            }
            Ok(p)
        })
    }

    /// Writes a set of files in two phases: every file is first written and synced to a
    /// temporary file beside its target, then all are renamed into place. Refuses, before writing
    /// anything, to replace an existing file unless [`Sortie::forcer`]. A failure during the
    /// first phase leaves the previous files untouched and no temporary file behind (and no
    /// folder, when the folder was new). Files of the folder that are not in the set are left
    /// alone (a scenario folder the user completes).
    pub fn ecrire_tout<'a>(
        &self,
        fichiers: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<Vec<PathBuf>, EcritureError> {
        let fichiers: Vec<(&str, &[u8])> = fichiers.into_iter().collect();
        let mut cibles = Vec::with_capacity(fichiers.len());
        for (nom, _) in &fichiers {
            let c = self.chemin(nom)?;
            if !self.force && std::fs::symlink_metadata(&c).is_ok() {
                return Err(EcritureError::Existe(c.display().to_string()));
            }
            cibles.push(c);
        }
        surveiller_signaux();
        let _verrou = verrouiller_sortie(&self.racine)?;
        self.dans_le_dossier(|| {
            nettoyer_temporaires(&self.racine);
            self.ecrire_lot(&fichiers, &cibles)?;
            Ok(cibles.clone())
        })
    }

    /// The two phases of [`Sortie::ecrire_tout`], its lock held.
    fn ecrire_lot(
        &self,
        fichiers: &[(&str, &[u8])],
        cibles: &[PathBuf],
    ) -> Result<(), EcritureError> {
        let mut prets: Vec<(PathBuf, &PathBuf)> = Vec::new();
        let abandon = |prets: &[(PathBuf, &PathBuf)]| {
            let mut t = temporaires();
            for (tmp, _) in prets {
                let _ = std::fs::remove_file(tmp);
                oublier(&mut t, tmp);
            }
        };
        for ((_, octets), cible) in fichiers.iter().zip(cibles) {
            let etape = self.preparer_dossiers(cible).and_then(|_| {
                let (tmp, mut f) = fichier_temporaire(&parent_de(cible))?;
                prets.push((tmp, cible));
                ecrire_octets(&mut f, cible, octets).map_err(|e| io(cible, e))
            });
            if let Err(e) = etape {
                abandon(&prets);
                return Err(e);
            }
        }
        let mut t = temporaires();
        for (k, (tmp, cible)) in prets.iter().enumerate() {
            let r = renommer(tmp, cible);
            oublier(&mut t, tmp);
            if let Err(e) = r {
                drop(t);
                abandon(&prets);
                return Err(if k == 0 {
                    io(cible, e)
                } else {
                    EcritureError::Partiel {
                        chemin: cible.display().to_string(),
                        source: e,
                    }
                });
            }
        }
        Ok(())
    }

    /// What replacing the folder by `fichiers` does with the entries there now: this command's
    /// own earlier output goes; another command's subfolder (its own marker names it) or added
    /// file (this folder's marker names it) stays, unless this command writes the same name
    /// (then it is replaced, and said); entries no collegia command wrote go, and are said.
    fn planifier(&self, fichiers: &[(&str, &[u8])]) -> Plan {
        let racine = &self.racine;
        let nouveaux: std::collections::BTreeSet<String> = fichiers
            .iter()
            .filter_map(|(n, _)| {
                relatif(n)
                    .ok()
                    .and_then(|p| p.components().find(|c| matches!(c, Component::Normal(_))))
                    .map(|c| c.as_os_str().to_string_lossy().to_string())
            })
            .collect();
        let ancienne = Marque::lire(racine);
        let mut plan = Plan {
            marque: Marque {
                proprietaire: self.commande.map(str::to_string),
                fichiers: Default::default(),
            },
            ..Plan::default()
        };
        // Whose the folder is when it has no marker of its own but lies in a collegia folder: the
        // command owning that folder (a proposal the report wrote, replaced by `optimiser`).
        let autour = racine.parent().and_then(Marque::lire);
        let non_vide = std::fs::read_dir(racine).is_ok_and(|mut it| it.next().is_some());
        let precedent = match &ancienne {
            Some(m) => m.proprietaire.clone(),
            None => autour.as_ref().and_then(|m| m.proprietaire.clone()),
        };
        if let Some(c) = precedent.filter(|c| Some(c.as_str()) != self.commande)
            && non_vide
            && self.commande.is_some()
        {
            plan.remplaces.push((String::new(), c));
        }
        let a_nous = |c: &str| self.commande == Some(c);
        let mut noms: Vec<String> = std::fs::read_dir(racine)
            .map(|it| {
                it.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        noms.sort();
        let mut verrous = Vec::new();
        for nom in noms {
            if nom == MARQUE {
                continue;
            }
            if tenue_par_collegia(&nom) {
                verrous.push(nom);
                continue;
            }
            let autre = match proprietaire_de(&racine.join(&nom)) {
                Some(Some(c)) if !a_nous(&c) => Some(c),
                Some(Some(_)) => None,
                // Written whole by an earlier collegia, which did not record by whom: kept, or
                // replaced silently when this command writes the same name.
                Some(None) if nouveaux.contains(&nom) => None,
                Some(None) => Some(String::new()),
                None => ancienne
                    .as_ref()
                    .and_then(|m| m.fichiers.get(&nom))
                    .filter(|c| !a_nous(c))
                    .cloned(),
            };
            match autre {
                Some(c) if nouveaux.contains(&nom) => plan.remplaces.push((nom, c)),
                Some(c) => {
                    if racine.join(&nom).is_file() {
                        plan.marque.fichiers.insert(nom.clone(), c);
                    }
                    plan.gardes.push(nom);
                }
                None if nouveaux.contains(&nom) => {}
                None => {
                    // A folder collegia wrote (marked, or inside a marked one) holds nothing
                    // foreign: stale entries are the earlier output of its owner.
                    if ancienne.is_none() && autour.is_none() {
                        plan.supprimes.push(nom);
                    }
                }
            }
        }
        // The lock file of a kept subfolder goes with it (a run writing there may hold it).
        for v in verrous {
            if plan
                .gardes
                .iter()
                .any(|g| v == format!(".{g}{SUFFIXE_VERROU}"))
            {
                plan.gardes.push(v);
            }
        }
        plan
    }

    /// Replaces the whole folder by exactly `fichiers` (and the marker [`MARQUE`]), keeping what
    /// other commands wrote there (see `Sortie::planifier`): the files are written into a fresh
    /// sibling folder, the kept entries moved into it, then it is swapped in; the previous folder
    /// is kept aside until the new one is in place, then removed. Nothing of this command's
    /// earlier run survives, and a link inside the previous folder is removed, never followed. A
    /// failure before the swap leaves the previous folder as it was; a failed swap puts it back.
    /// A folder that cannot be renamed (a mount point, the root of a drive) or whose parent
    /// cannot be written is replaced in place instead (`Sortie::remplacer_sur_place`).
    pub fn remplacer<'a>(
        &self,
        fichiers: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<Remplacement, EcritureError> {
        let fichiers: Vec<(&str, &[u8])> = fichiers.into_iter().collect();
        let racine = &self.racine;
        let cwd = absolu(Path::new("."));
        if cwd.starts_with(racine) {
            return Err(EcritureError::DossierCourant(
                self.affichee.display().to_string(),
            ));
        }
        surveiller_signaux();
        let (Some(parent), Some(nom)) = (racine.parent(), racine.file_name()) else {
            return self.remplacer_sur_place(&fichiers);
        };
        if point_de_montage(racine) {
            return self.remplacer_sur_place(&fichiers);
        }
        let nom = nom.to_string_lossy().to_string();
        let n = format!(
            "{}-{}",
            std::process::id(),
            COMPTEUR.fetch_add(1, Ordering::Relaxed)
        );
        let neuf = parent.join(format!(".{nom}.collegia-neuf-{n}"));
        let ancien = parent.join(format!(".{nom}.collegia-ancien-{n}"));
        creer_dossiers(parent).map_err(|e| io(parent, e))?;

        // The long part, outside the folder's lock: two runs write their own fresh folders side
        // by side. Each holds a lock on its fresh folder, which tells the others it is alive.
        enregistrer(&neuf);
        let cree = {
            // Created under the registry, for the same reason as each file (ecrire_arbre).
            let _registre = temporaires();
            creer_neuf(&neuf)
        };
        let cree = match cree {
            Err(EcritureError::Io { source, .. }) if a_remplacer_sur_place(&source) => {
                oublier(&mut temporaires(), &neuf);
                return self.remplacer_sur_place(&fichiers);
            }
            autre => autre,
        };
        let ecrit = cree.and_then(|vivant| Ok((ecrire_arbre(&neuf, racine, &fichiers)?, vivant)));
        let (ecrits, _vivant) = match ecrit {
            Ok(v) => v,
            Err(e) => {
                let mut t = temporaires();
                retirer(&neuf);
                oublier(&mut t, &neuf);
                return Err(e);
            }
        };
        let abandon = |e: EcritureError| {
            let mut t = temporaires();
            retirer(&neuf);
            oublier(&mut t, &neuf);
            e
        };
        // An output inside another collegia output (a proposal inside a report) also takes the
        // lock of the folder around it, first, so that the two never swap at once.
        let _verrou_autour = match Marque::lire(parent) {
            Some(_) => Some(verrouiller_sortie(parent).map_err(abandon)?),
            None => None,
        };
        let _verrou = verrouiller_sortie(racine).map_err(abandon)?;
        // Under the lock: what is left beside the folder and not locked is from killed runs.
        {
            let _bref = verrouiller_parent(parent).map_err(abandon)?;
            restaurer_ancien(parent, &nom, racine);
            nettoyer_freres(parent, &nom);
        }
        self.verifier_proprietaire().map_err(abandon)?;
        self.verifier_commande().map_err(abandon)?;
        let plan = self.planifier(&fichiers);
        ecrire_fichier_neuf(&neuf.join(MARQUE), plan.marque.texte().as_bytes()).map_err(abandon)?;
        // The folder keeps the permissions the previous one had (a folder served by a web
        // server stays readable).
        if let Ok(m) = std::fs::metadata(racine) {
            let _ = std::fs::set_permissions(&neuf, m.permissions());
        }

        // The swap: a signal waits for it to finish (it holds the registry).
        let mut t = temporaires();
        if let Err(e) = deplacer(racine, &neuf, &plan.gardes) {
            retirer(&neuf);
            oublier(&mut t, &neuf);
            return Err(e);
        }
        let existait = std::fs::symlink_metadata(racine).is_ok();
        if existait {
            t.push(ancien.clone());
            if let Err(e) = renommer(racine, &ancien) {
                let _ = deplacer(&neuf, racine, &plan.gardes);
                retirer(&neuf);
                oublier(&mut t, &neuf);
                oublier(&mut t, &ancien);
                if a_remplacer_sur_place(&e) {
                    drop(t);
                    return self.remplacer_sur_place(&fichiers);
                }
                return Err(io(racine, e));
            }
        }
        if let Err(e) = renommer(&neuf, racine) {
            oublier(&mut t, &ancien);
            if !existait {
                retirer(&neuf);
                oublier(&mut t, &neuf);
                return Err(io(racine, e));
            }
            return match renommer(&ancien, racine) {
                Ok(()) => {
                    let _ = deplacer(&neuf, racine, &plan.gardes);
                    retirer(&neuf);
                    oublier(&mut t, &neuf);
                    Err(io(racine, e))
                }
                Err(_) => Err(EcritureError::Echange {
                    chemin: self.affichee.display().to_string(),
                    ancien: ancien.display().to_string(),
                    source: e,
                }),
            };
        }
        oublier(&mut t, &neuf);
        retirer(&ancien);
        oublier(&mut t, &ancien);
        drop(t);
        if let Ok(d) = File::open(parent) {
            let _ = d.sync_all();
        }
        Ok(self.bilan(ecrits, plan))
    }

    fn bilan(&self, fichiers: Vec<PathBuf>, plan: Plan) -> Remplacement {
        Remplacement {
            fichiers,
            dossier: self.affichee.clone(),
            gardes: plan.gardes,
            remplaces: plan.remplaces,
            supprimes: plan.supprimes,
        }
    }

    /// Replaces the folder's content in place, for a folder that cannot be renamed (a mount
    /// point: EBUSY) or whose parent cannot be written: under a lock on the folder itself, the
    /// new files are written into a fresh folder inside it; then the entries to replace are
    /// moved into a backup folder inside it, and the new ones moved in. A failure while writing
    /// leaves the previous content as it was; a failure while moving puts it back. Renames
    /// stay on the folder's own file system.
    fn remplacer_sur_place(
        &self,
        fichiers: &[(&str, &[u8])],
    ) -> Result<Remplacement, EcritureError> {
        let racine = &self.racine;
        let _verrou = verrouiller(racine)?;
        // Leftovers of killed runs (unlocked fresh or backup folders inside).
        if let Ok(entrees) = std::fs::read_dir(racine) {
            for e in entrees.filter_map(Result::ok) {
                let nom = e.file_name().to_string_lossy().to_string();
                if (nom.starts_with(PREFIXE_NEUF) || nom.starts_with(PREFIXE_ANCIEN))
                    && abandonne(&e.path())
                {
                    retirer(&e.path());
                }
            }
        }
        nettoyer_temporaires(racine);
        self.verifier_proprietaire()?;
        self.verifier_commande()?;
        let plan = self.planifier(fichiers);
        let n = format!(
            "{}-{}",
            std::process::id(),
            COMPTEUR.fetch_add(1, Ordering::Relaxed)
        );
        let neuf = racine.join(format!("{PREFIXE_NEUF}{n}"));
        let ancien = racine.join(format!("{PREFIXE_ANCIEN}{n}"));
        enregistrer(&neuf);
        let ecrit = {
            let _registre = temporaires();
            creer_dossier(&neuf).map_err(|e| io(&neuf, e))
        }
        .and_then(|_| ecrire_arbre(&neuf, racine, fichiers))
        .and_then(|ecrits| {
            ecrire_fichier_neuf(&neuf.join(MARQUE), plan.marque.texte().as_bytes())?;
            Ok(ecrits)
        });
        let ecrits = match ecrit {
            Ok(v) => v,
            Err(e) => {
                let mut t = temporaires();
                retirer(&neuf);
                oublier(&mut t, &neuf);
                return Err(e);
            }
        };
        let mut t = temporaires();
        let nom_neuf = format!("{PREFIXE_NEUF}{n}");
        let nom_ancien = format!("{PREFIXE_ANCIEN}{n}");
        let a_remplacer: Vec<String> = std::fs::read_dir(racine)
            .map(|it| {
                it.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .filter(|x| x != &nom_neuf && x != &nom_ancien && !plan.gardes.contains(x))
                    .collect()
            })
            .unwrap_or_default();
        let nouveaux: Vec<String> = std::fs::read_dir(&neuf)
            .map(|it| {
                it.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().to_string())
                    .collect()
            })
            .unwrap_or_default();
        let echec = |t: &mut Vec<PathBuf>, e: EcritureError| {
            retirer(&neuf);
            oublier(t, &neuf);
            e
        };
        if let Err(e) = creer_dossier(&ancien) {
            return Err(echec(&mut t, io(racine, e)));
        }
        if let Err(e) = deplacer(racine, &ancien, &a_remplacer) {
            retirer(&ancien);
            return Err(echec(&mut t, e));
        }
        if let Err(e) = deplacer(&neuf, racine, &nouveaux) {
            // Put the previous content back: the new entries moved so far go back first.
            let arrives: Vec<String> = nouveaux
                .iter()
                .filter(|x| !neuf.join(x).exists() && racine.join(x).exists())
                .cloned()
                .collect();
            let retour = deplacer(racine, &neuf, &arrives)
                .and_then(|_| deplacer(&ancien, racine, &a_remplacer));
            return match retour {
                Ok(()) => {
                    retirer(&ancien);
                    Err(echec(&mut t, e))
                }
                Err(_) => Err(EcritureError::Echange {
                    chemin: self.affichee.display().to_string(),
                    ancien: ancien.display().to_string(),
                    source: match e {
                        EcritureError::Io { source, .. } => source,
                        autre => std::io::Error::other(autre.to_string()),
                    },
                }),
            };
        }
        retirer(&ancien);
        retirer(&neuf);
        oublier(&mut t, &neuf);
        drop(t);
        if let Ok(d) = File::open(racine) {
            let _ = d.sync_all();
        }
        Ok(self.bilan(ecrits, plan))
    }
}

/// Prefix of the fresh folder written inside a folder replaced in place.
const PREFIXE_NEUF: &str = ".collegia-neuf-";
/// Prefix of the backup folder inside a folder replaced in place.
const PREFIXE_ANCIEN: &str = ".collegia-ancien-";

/// Moves the entries `noms` of folder `de` into folder `vers` (same file system); on a failure,
/// moves back those already moved and gives the error.
fn deplacer(de: &Path, vers: &Path, noms: &[String]) -> Result<(), EcritureError> {
    for (k, nom) in noms.iter().enumerate() {
        let (a, b) = (de.join(nom), vers.join(nom));
        if let Err(e) = renommer(&a, &b) {
            for x in &noms[..k] {
                let _ = std::fs::rename(vers.join(x), de.join(x));
            }
            return Err(io(&a, e));
        }
    }
    Ok(())
}

/// Removes `dossier` and the folders below it when they hold no file (what a failed write into
/// a new folder created), never following a link.
fn retirer_dossiers_vides(dossier: &Path) {
    if let Ok(entrees) = std::fs::read_dir(dossier) {
        for e in entrees.filter_map(Result::ok) {
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                retirer_dossiers_vides(&e.path());
            }
        }
    }
    let _ = std::fs::remove_dir(dossier);
}

/// Creates the file `cible` (which must not exist) with `octets`, synced.
fn ecrire_fichier_neuf(cible: &Path, octets: &[u8]) -> Result<(), EcritureError> {
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(cible)
        .map_err(|e| io(cible, e))?;
    ecrire_octets(&mut f, cible, octets).map_err(|e| io(cible, e))
}

/// A relative output name of normal components only.
fn relatif(nom: &str) -> Result<&Path, EcritureError> {
    let rel = Path::new(nom);
    let ok = !nom.is_empty()
        && rel
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if ok {
        Ok(rel)
    } else {
        Err(EcritureError::HorsDossier(nom.to_string()))
    }
}

/// Writes `fichiers` into the fresh, empty folder `neuf` (the marker is written once the plan is
/// known, under the lock); returns the paths the files will have once `neuf` is in place as
/// `racine`.
fn ecrire_arbre(
    neuf: &Path,
    racine: &Path,
    fichiers: &[(&str, &[u8])],
) -> Result<Vec<PathBuf>, EcritureError> {
    let mut ecrits = Vec::new();
    let mut dossiers = std::collections::BTreeSet::new();
    for (nom, octets) in fichiers {
        let rel = relatif(nom)?;
        let cible = neuf.join(rel);
        let dossier = parent_de(&cible);
        // Each file is written holding the registry of temporaries: a signal arriving meanwhile
        // waits for this file, then removes the whole fresh folder and ends the process, so no
        // file (nor folder) can be created after the removal.
        let _registre = temporaires();
        creer_dossiers(&dossier).map_err(|e| io(&dossier, e))?;
        ecrire_fichier_neuf(&cible, octets)?;
        dossiers.insert(dossier);
        ecrits.push(racine.join(rel));
    }
    for d in dossiers {
        if let Ok(f) = File::open(&d) {
            let _ = f.sync_all();
        }
    }
    Ok(ecrits)
}

/// A brief lock on the folder holding the output (`flock` on the folder itself): held while a
/// fresh folder is created and locked, and while leftovers are cleaned, so that a clean-up never
/// sees a fresh folder before its owner has locked it.
fn verrouiller_parent(parent: &Path) -> Result<Verrou, EcritureError> {
    let f = File::open(parent).map_err(|e| io(parent, e))?;
    verrouiller_fichier(&f, true).map_err(|e| io(parent, e))?;
    Ok(Verrou { _f: Some(f) })
}

/// Creates the fresh folder `neuf` and locks it, under the brief lock of its parent (see
/// [`verrouiller_parent`]); the lock on `neuf` tells the others it is alive until it is dropped.
fn creer_neuf(neuf: &Path) -> Result<File, EcritureError> {
    let _verrou = verrouiller_parent(&parent_de(neuf))?;
    creer_dossier(neuf).map_err(|e| io(neuf, e))?;
    let f = File::open(neuf).map_err(|e| io(neuf, e))?;
    verrouiller_fichier(&f, true).map_err(|e| io(neuf, e))?;
    Ok(f)
}

/// Whether no live run holds a lock on this leftover (its owner was killed).
fn abandonne(p: &Path) -> bool {
    match File::open(p) {
        Ok(f) => verrouiller_fichier(&f, false).is_ok(),
        Err(_) => true,
    }
}

/// Removes what killed runs left beside the folder `nom` of `parent` (fresh folders, backups).
fn nettoyer_freres(parent: &Path, nom: &str) {
    let prefixe = format!(".{nom}.collegia-");
    let Ok(entrees) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entrees.filter_map(Result::ok) {
        if e.file_name().to_string_lossy().starts_with(&prefixe) && abandonne(&e.path()) {
            retirer(&e.path());
        }
    }
}

/// A run killed between its two renames leaves no folder and a backup: put the backup back.
fn restaurer_ancien(parent: &Path, nom: &str, racine: &Path) {
    if std::fs::symlink_metadata(racine).is_ok() {
        return;
    }
    let prefixe = format!(".{nom}.collegia-ancien-");
    let Ok(entrees) = std::fs::read_dir(parent) else {
        return;
    };
    if let Some(e) = entrees
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with(&prefixe) && abandonne(&e.path()))
    {
        let _ = std::fs::rename(e.path(), racine);
    }
}

/// Writes one file chosen by the user (an RNE import, an LP model) atomically, with the umask.
/// Refuses a target that is one of the input files (same device and inode, or same canonical
/// path, however spelt: `./rne.csv`, absolute, through a link), even with `force`; refuses an
/// existing target unless `force`. A link at the target is replaced, not followed.
pub fn ecrire_fichier(
    chemin: &Path,
    octets: &[u8],
    entrees: &[PathBuf],
    force: bool,
) -> Result<PathBuf, EcritureError> {
    if entrees.iter().any(|e| meme_fichier(chemin, e)) {
        return Err(EcritureError::DansEntree(chemin.display().to_string()));
    }
    if !force && std::fs::symlink_metadata(chemin).is_ok() {
        return Err(EcritureError::Existe(chemin.display().to_string()));
    }
    let Some(nom) = chemin.file_name() else {
        return Err(EcritureError::HorsDossier(chemin.display().to_string()));
    };
    let dossier = absolu(&parent_de(chemin));
    std::fs::create_dir_all(&dossier).map_err(|e| io(&dossier, e))?;
    surveiller_signaux();
    let _verrou = verrouiller(&dossier)?;
    nettoyer_temporaires(&dossier);
    let cible = dossier.join(nom);
    ecrire_par_renommage(&cible, octets)?;
    Ok(chemin.to_path_buf())
}

/// Writes `octets` to `chemin` atomically (temporary file in the same folder, then rename),
/// creating the parent folders, replacing an existing file.
pub fn ecrire_atomique(chemin: &Path, octets: &[u8]) -> Result<(), EcritureError> {
    ecrire_fichier(chemin, octets, &[], true).map(|_| ())
}

pub use crate::format::nom_de_fichier;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_path_between_folders() {
        assert_eq!(
            chemin_relatif(
                Path::new("/w/reports/ex/proposition"),
                Path::new("/w/data/exemple")
            )
            .as_deref(),
            Some("../../../data/exemple")
        );
        assert_eq!(
            chemin_relatif(Path::new("/a/b"), Path::new("/a/b")).as_deref(),
            Some(".")
        );
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let d = tempfile::tempdir().expect("tmp");
        let p = d.path().join("a/b.txt");
        ecrire_atomique(&p, b"un").expect("write");
        ecrire_atomique(&p, b"deux").expect("rewrite");
        assert_eq!(std::fs::read(&p).expect("read"), b"deux");
        let names: Vec<_> = std::fs::read_dir(d.path().join("a"))
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    }

    /// Names of the entries of a folder.
    fn noms(d: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .expect("dir")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_failed_batch_leaves_the_previous_files_intact() {
        let d = tempfile::tempdir().expect("tmp");
        let s = Sortie::new(&d.path().join("r"), &[]).expect("sortie");
        s.ecrire_tout([("index.html", &b"ancien"[..]), ("a/b.csv", &b"ancien"[..])])
            .expect("first");
        // Existing files are never replaced without force.
        assert!(matches!(
            s.ecrire_tout([("index.html", &b"nouveau"[..])]),
            Err(EcritureError::Existe(_))
        ));
        let s = s.forcer(true);
        // A file where a folder is expected makes the second batch fail half-way.
        std::fs::write(d.path().join("r/graphiques"), "pas un dossier").expect("file");
        let r = s.ecrire_tout([
            ("index.html", &b"nouveau"[..]),
            ("a/b.csv", &b"nouveau"[..]),
            ("graphiques/x.svg", &b"nouveau"[..]),
        ]);
        assert!(r.is_err());
        assert_eq!(
            std::fs::read(d.path().join("r/index.html")).expect("read"),
            b"ancien"
        );
        assert_eq!(
            std::fs::read(d.path().join("r/a/b.csv")).expect("read"),
            b"ancien"
        );
        let restes: Vec<_> = noms(&d.path().join("r"))
            .into_iter()
            .chain(noms(&d.path().join("r/a")))
            .filter(|n| n.starts_with(".collegia-"))
            .collect();
        assert!(restes.is_empty(), "temporary files left: {restes:?}");
    }

    #[test]
    fn a_failed_replace_leaves_the_previous_folder_whole_and_nothing_beside() {
        let d = tempfile::tempdir().expect("tmp");
        let s = Sortie::dossier(&d.path().join("r"), &[], false).expect("sortie");
        s.remplacer([("index.html", &b"ancien"[..]), ("a/b.csv", &b"ancien"[..])])
            .expect("first");
        // "x" as a file then as a folder: the second write fails half-way.
        let r = s.remplacer([
            ("index.html", &b"nouveau"[..]),
            ("x", &b"nouveau"[..]),
            ("x/y.svg", &b"nouveau"[..]),
        ]);
        let e = r.expect_err("must fail");
        assert!(e.precedents_intacts());
        assert_eq!(noms(&d.path().join("r")), [MARQUE, "a", "index.html"]);
        assert_eq!(
            std::fs::read(d.path().join("r/index.html")).expect("read"),
            b"ancien"
        );
        assert_eq!(
            noms(d.path()),
            [".r.collegia.verrou", "r"],
            "no fresh folder or backup left"
        );
    }

    #[test]
    fn replace_drops_stale_files_and_never_follows_a_planted_link() {
        let d = tempfile::tempdir().expect("tmp");
        let entree = d.path().join("data/exemple");
        std::fs::create_dir_all(&entree).expect("mkdir");
        std::fs::write(entree.join("elus.csv"), "précieux").expect("write");
        let s = Sortie::dossier(&d.path().join("r"), &[], false).expect("sortie");
        s.remplacer([
            ("lettres/lettre-de-mission-g01.md", &b"ancienne ville"[..]),
            ("index.html", &b"a"[..]),
        ])
        .expect("first");
        #[cfg(unix)]
        std::os::unix::fs::symlink(&entree, d.path().join("r/proposition")).expect("link");
        s.remplacer([
            ("index.html", &b"b"[..]),
            ("proposition/elus.csv", &b"ecrase"[..]),
        ])
        .expect("second");
        assert_eq!(
            std::fs::read_to_string(entree.join("elus.csv")).expect("read"),
            "précieux",
            "the link's target is untouched"
        );
        assert_eq!(
            noms(&d.path().join("r")),
            [MARQUE, "index.html", "proposition"]
        );
        assert!(
            !std::fs::symlink_metadata(d.path().join("r/proposition"))
                .expect("meta")
                .file_type()
                .is_symlink()
        );
        // A single-file write refuses to go through a link below the root.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&entree, d.path().join("r/lien")).expect("link");
            assert!(matches!(
                s.ecrire("lien/elus.csv", b"x"),
                Err(EcritureError::Lien(_))
            ));
            assert_eq!(
                std::fs::read_to_string(entree.join("elus.csv")).expect("read"),
                "précieux"
            );
        }
    }

    #[test]
    fn a_folder_collegia_did_not_write_is_refused_unless_forced() {
        let d = tempfile::tempdir().expect("tmp");
        let autre = d.path().join("variante");
        std::fs::create_dir_all(&autre).expect("mkdir");
        std::fs::write(autre.join("elus.csv"), "à garder").expect("write");
        assert!(matches!(
            Sortie::dossier(&autre, &[], false),
            Err(EcritureError::NonCollegia(_))
        ));
        // Empty, missing, or written by collegia: accepted.
        std::fs::create_dir_all(d.path().join("vide")).expect("mkdir");
        assert!(Sortie::dossier(&d.path().join("vide"), &[], false).is_ok());
        let s = Sortie::dossier(&d.path().join("neuf"), &[], false).expect("missing");
        s.remplacer([("a", &b"1"[..])]).expect("write");
        assert!(Sortie::dossier(&d.path().join("neuf"), &[], false).is_ok());
        // Forced: replaced whole.
        let s = Sortie::dossier(&autre, &[], true).expect("forced");
        s.remplacer([("a", &b"1"[..])]).expect("write");
        assert_eq!(noms(&autre), [MARQUE, "a"]);
    }

    #[test]
    fn leftovers_of_a_killed_run_are_removed_by_the_next_one() {
        let d = tempfile::tempdir().expect("tmp");
        let s = Sortie::dossier(&d.path().join("r"), &[], false).expect("sortie");
        s.remplacer([("a", &b"1"[..])]).expect("first");
        std::fs::create_dir_all(d.path().join(".r.collegia-neuf-99999-0/x")).expect("mkdir");
        std::fs::write(d.path().join("r/.collegia-99999-0.tmp"), "x").expect("write");
        Sortie::new(&d.path().join("r"), &[])
            .expect("sortie")
            .ecrire("b", b"2")
            .expect("one file");
        assert_eq!(noms(&d.path().join("r")), [MARQUE, "a", "b"]);
        s.remplacer([("a", &b"1"[..])]).expect("second");
        assert_eq!(noms(d.path()), [".r.collegia.verrou", "r"]);
    }

    #[test]
    fn concurrent_replacements_never_interleave() {
        let d = tempfile::tempdir().expect("tmp");
        let racine = d.path().join("r");
        let fils: Vec<_> = (0..4)
            .map(|i| {
                let racine = racine.clone();
                std::thread::spawn(move || {
                    let s = Sortie::dossier(&racine, &[], false).expect("sortie");
                    let contenu = format!("{i}");
                    let noms: Vec<String> = (0..8).map(|k| format!("{i}/f{k}")).collect();
                    for _ in 0..10 {
                        s.remplacer(noms.iter().map(|n| (n.as_str(), contenu.as_bytes())))
                            .expect("write");
                    }
                })
            })
            .collect();
        for f in fils {
            f.join().expect("thread");
        }
        let v = noms(&racine);
        assert_eq!(v.len(), 2, "one run's files only: {v:?}");
        let gagnant = &v[1];
        assert_eq!(noms(&racine.join(gagnant)).len(), 8);
        assert_eq!(noms(d.path()), [".r.collegia.verrou", "r"]);
    }

    /// The umask of this process, read from `/proc` (Linux).
    #[cfg(target_os = "linux")]
    fn umask() -> u32 {
        let s = std::fs::read_to_string("/proc/self/status").expect("status");
        let l = s.lines().find(|l| l.starts_with("Umask:")).expect("umask");
        u32::from_str_radix(l.trim_start_matches("Umask:").trim(), 8).expect("octal")
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn files_honour_the_umask_as_cp_would() {
        use std::os::unix::fs::PermissionsExt;
        let attendu = 0o666 & !umask();
        let d = tempfile::tempdir().expect("tmp");
        let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
        ecrire_atomique(&d.path().join("x.lp"), b"x").expect("write");
        assert_eq!(mode(&d.path().join("x.lp")), attendu);
        let s = Sortie::dossier(&d.path().join("r"), &[], false).expect("sortie");
        s.remplacer([("a/b.csv", &b"1"[..])]).expect("write");
        assert_eq!(mode(&d.path().join("r/a/b.csv")), attendu);
        assert_eq!(mode(&d.path().join("r")), 0o777 & !umask());
        Sortie::new(&d.path().join("g"), &[])
            .expect("sortie")
            .ecrire_tout([("elus.csv", &b"1"[..])])
            .expect("write");
        assert_eq!(mode(&d.path().join("g/elus.csv")), attendu);
    }

    #[test]
    fn the_same_file_is_refused_however_spelt_even_with_force() {
        let d = tempfile::tempdir().expect("tmp");
        let rne = d.path().join("rne.csv");
        std::fs::write(&rne, "entrée").expect("write");
        let entrees = vec![rne.clone()];
        let detour = d.path().join("sous/../rne.csv");
        std::fs::create_dir_all(d.path().join("sous")).expect("mkdir");
        assert!(matches!(
            ecrire_fichier(&detour, b"x", &entrees, true),
            Err(EcritureError::DansEntree(_))
        ));
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(&rne, d.path().join("lien.csv")).expect("link");
            assert!(matches!(
                ecrire_fichier(&d.path().join("lien.csv"), b"x", &entrees, true),
                Err(EcritureError::DansEntree(_))
            ));
            std::fs::hard_link(&rne, d.path().join("dur.csv")).expect("hard link");
            assert!(matches!(
                ecrire_fichier(&d.path().join("dur.csv"), b"x", &entrees, true),
                Err(EcritureError::DansEntree(_))
            ));
        }
        assert_eq!(std::fs::read_to_string(&rne).expect("read"), "entrée");
        assert!(ecrire_fichier(&d.path().join("sous/x.csv"), b"x", &entrees, false).is_ok());
        assert!(matches!(
            ecrire_fichier(&d.path().join("sous/x.csv"), b"y", &entrees, false),
            Err(EcritureError::Existe(_))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_then_dotdot_is_resolved_as_the_system_does() {
        let d = tempfile::tempdir().expect("tmp");
        let scenario = d.path().join("data/a");
        std::fs::create_dir_all(scenario.join("sous")).expect("mkdir");
        std::fs::write(scenario.join("elus.csv"), "x").expect("write");
        std::fs::create_dir_all(d.path().join("travail")).expect("mkdir");
        let lien = d.path().join("travail/lien");
        std::os::unix::fs::symlink(scenario.join("sous"), &lien).expect("link");
        assert_eq!(
            absolu(&lien.join("..")),
            scenario.canonicalize().expect("canon")
        );
        let entrees = vec![scenario.join("elus.csv")];
        assert!(matches!(
            Sortie::new(&lien.join(".."), &entrees),
            Err(EcritureError::DansEntree(_))
        ));
    }

    #[test]
    fn names_cannot_escape_the_output_folder() {
        let d = tempfile::tempdir().expect("tmp");
        let s = Sortie::new(&d.path().join("out"), &[]).expect("sortie");
        assert!(matches!(
            s.chemin("../x"),
            Err(EcritureError::HorsDossier(_))
        ));
        assert!(matches!(
            s.chemin("/etc/passwd"),
            Err(EcritureError::HorsDossier(_))
        ));
        assert!(matches!(s.chemin(""), Err(EcritureError::HorsDossier(_))));
        assert!(s.chemin("graphiques/a.svg").is_ok());
        assert_eq!(nom_de_fichier("../../x"), "x");
        assert_eq!(
            nom_de_fichier("G01 Éducation/Écoles"),
            "g01-education-ecoles"
        );
        assert_eq!(nom_de_fichier(".."), "sans-nom");
    }

    /// An injected failure of `kind`.
    fn erreur(kind: std::io::ErrorKind) -> Option<std::io::Error> {
        Some(std::io::Error::from(kind))
    }

    /// Whether `p` is the output folder `r` itself.
    fn est_r(p: &Path) -> bool {
        p.file_name().is_some_and(|n| n == "r")
    }

    /// Whether `p` lies in a fresh folder (beside the output or inside it).
    fn dans_neuf(p: &Path) -> bool {
        p.to_string_lossy().contains("collegia-neuf-")
    }

    /// Issue 26 item 6: `optimiser` then `rapport` with default outputs share `reports/x`: the
    /// report keeps the proposal and the tableau annexe that `indemnites` added, twice over; a
    /// report that writes its own `proposition/` replaces the optimiser's and says so.
    #[test]
    fn each_command_keeps_what_the_others_wrote() {
        let d = tempfile::tempdir().expect("tmp");
        let r = d.path().join("r");
        Sortie::pour("optimiser", &r.join("proposition"), &[], false)
            .expect("sortie")
            .remplacer([("elus.csv", &b"proposition"[..])])
            .expect("proposal");
        for _ in 0..2 {
            let b = Sortie::pour("rapport", &r, &[], false)
                .expect("a folder holding another command's output is accepted")
                .remplacer([("index.html", &b"rapport"[..]), ("lettres/a.md", &b"l"[..])])
                .expect("report");
            assert!(b.remarques().is_empty(), "{:?}", b.remarques());
            assert!(
                b.gardes.contains(&"proposition".to_string()),
                "{:?}",
                b.gardes
            );
            assert!(
                b.gardes
                    .contains(&".proposition.collegia.verrou".to_string())
            );
            Sortie::dossier(&r, &[], false)
                .expect("sortie")
                .par("indemnites")
                .ajouter("annexe.csv", b"annexe")
                .expect("annexe");
            // A single file written into a marked folder is recorded too (the sweep).
            Sortie::new(&r, &[])
                .expect("sortie")
                .par("indemnites")
                .ecrire("balayage.csv", b"balayage")
                .expect("sweep");
        }
        assert_eq!(
            noms(&r),
            [
                ".collegia",
                ".proposition.collegia.verrou",
                "annexe.csv",
                "balayage.csv",
                "index.html",
                "lettres",
                "proposition"
            ]
        );
        assert_eq!(
            std::fs::read(r.join("proposition/elus.csv")).expect("kept"),
            b"proposition"
        );
        let marque = std::fs::read_to_string(r.join(MARQUE)).expect("marker");
        assert!(
            marque.ends_with("rapport : .\nindemnites : annexe.csv\nindemnites : balayage.csv\n"),
            "{marque}"
        );
        // The report with its own proposal replaces the optimiser's, and says so.
        let b = Sortie::pour("rapport", &r, &[], false)
            .expect("sortie")
            .remplacer([
                ("index.html", &b"2"[..]),
                ("proposition/elus.csv", &b"du rapport"[..]),
            ])
            .expect("report");
        assert_eq!(
            b.remplaces,
            [("proposition".to_string(), "optimiser".to_string())]
        );
        assert!(b.remarques()[0].contains("écrit par « collegia optimiser »"));
        assert_eq!(
            noms(&r),
            [
                ".collegia",
                "annexe.csv",
                "balayage.csv",
                "index.html",
                "proposition"
            ]
        );
        // The optimiser then takes its folder back, and says whose it was.
        let b = Sortie::pour("optimiser", &r.join("proposition"), &[], false)
            .expect("sortie")
            .remplacer([("elus.csv", &b"3"[..])])
            .expect("proposal");
        assert!(b.remarques()[0].contains("était la sortie de « collegia rapport »"));
    }

    /// No `--force` deletes another command's output without saying so: a folder that is another
    /// command's output is refused without it, and replaced with it, said; foreign files removed
    /// by `--force` are listed.
    #[test]
    fn force_says_what_it_removes() {
        let d = tempfile::tempdir().expect("tmp");
        let r = d.path().join("r");
        Sortie::pour("optimiser", &r, &[], false)
            .expect("sortie")
            .remplacer([("elus.csv", &b"1"[..])])
            .expect("proposal");
        assert!(matches!(
            Sortie::pour("rapport", &r, &[], false),
            Err(EcritureError::AutreCommande { ref commande, .. }) if commande == "optimiser"
        ));
        let b = Sortie::pour("rapport", &r, &[], true)
            .expect("forced")
            .remplacer([("index.html", &b"1"[..])])
            .expect("report");
        assert_eq!(b.remplaces, [(String::new(), "optimiser".to_string())]);
        assert!(b.remarques()[0].contains("était la sortie de « collegia optimiser »"));
        let autre = d.path().join("autre");
        std::fs::create_dir_all(autre.join("sous")).expect("mkdir");
        std::fs::write(autre.join("notes.txt"), "à moi").expect("write");
        let b = Sortie::pour("rapport", &autre, &[], true)
            .expect("forced")
            .remplacer([("index.html", &b"1"[..])])
            .expect("report");
        assert_eq!(b.supprimes, ["notes.txt", "sous"]);
        assert!(
            b.remarques()[0]
                .starts_with("2 entrées qui n'étaient pas de collegia ont été supprimées")
        );
    }

    /// A mount point as `--sortie`: renaming it gives EBUSY, and the folder is replaced in place,
    /// with the same result as a swap (stale files gone, another command's output kept) and
    /// nothing left inside or beside it.
    #[test]
    fn a_mount_point_is_replaced_in_place() {
        let d = tempfile::tempdir().expect("tmp");
        let r = d.path().join("r");
        let s = Sortie::pour("rapport", &r, &[], false).expect("sortie");
        s.remplacer([("a", &b"1"[..]), ("b/c", &b"1"[..])])
            .expect("first");
        Sortie::pour("optimiser", &r.join("p"), &[], false)
            .expect("sortie")
            .remplacer([("x", &b"1"[..])])
            .expect("nested");
        let _panne = injecter_panne(|op, p| {
            (op == Operation::Renommer && est_r(p)).then(|| std::io::Error::from_raw_os_error(16))
        });
        let b = s
            .remplacer([("a", &b"2"[..]), ("d/e", &b"2"[..])])
            .expect("in place");
        assert_eq!(noms(&r), [".collegia", ".p.collegia.verrou", "a", "d", "p"]);
        assert_eq!(std::fs::read(r.join("a")).expect("a"), b"2");
        assert_eq!(std::fs::read(r.join("p/x")).expect("kept"), b"1");
        assert_eq!(b.fichiers, [r.join("a"), r.join("d/e")]);
        assert_eq!(noms(d.path()), [".r.collegia.verrou", "r"]);
        // A parent where nothing can be created (the root of a drive under a folder the user
        // cannot write) gives the same.
        drop(_panne);
        let dedans = r.clone();
        let _panne = injecter_panne(move |op, p| {
            (op == Operation::CreerDossier && dans_neuf(p) && !p.starts_with(&dedans))
                .then(|| erreur(std::io::ErrorKind::PermissionDenied))
                .flatten()
        });
        s.remplacer([("f", &b"3"[..])]).expect("in place");
        assert_eq!(noms(&r), [".collegia", ".p.collegia.verrou", "f", "p"]);
        assert_eq!(noms(d.path()), [".r.collegia.verrou", "r"]);
    }

    /// ENOSPC while replacing in place leaves the previous content whole, whether it strikes
    /// while writing the new files or while moving them in.
    #[test]
    fn a_full_disk_in_place_keeps_the_previous_content() {
        let d = tempfile::tempdir().expect("tmp");
        let r = d.path().join("r");
        let s = Sortie::pour("rapport", &r, &[], false).expect("sortie");
        s.remplacer([("a", &b"1"[..]), ("b/c", &b"1"[..])])
            .expect("first");
        let avant: Vec<_> = noms(&r);
        {
            let _panne = injecter_panne(|op, p| match op {
                Operation::Renommer if est_r(p) => std::io::Error::from_raw_os_error(16).into(),
                Operation::Ecrire if dans_neuf(p) && p.ends_with("z") => {
                    erreur(std::io::ErrorKind::StorageFull)
                }
                _ => None,
            });
            let e = s
                .remplacer([("a", &b"2"[..]), ("z", &b"2"[..])])
                .expect_err("disk full");
            assert!(e.precedents_intacts());
        }
        assert_eq!(noms(&r), avant);
        assert_eq!(std::fs::read(r.join("a")).expect("a"), b"1");
        {
            // The second new entry cannot be moved in: the first goes back, the old come back.
            let _panne = injecter_panne(|op, p| match op {
                Operation::Renommer if est_r(p) => std::io::Error::from_raw_os_error(16).into(),
                Operation::Renommer if dans_neuf(p) && p.ends_with("z") => {
                    erreur(std::io::ErrorKind::StorageFull)
                }
                _ => None,
            });
            let e = s
                .remplacer([("a", &b"2"[..]), ("z", &b"2"[..])])
                .expect_err("disk full");
            assert!(e.precedents_intacts(), "{e}");
        }
        assert_eq!(noms(&r), avant);
        assert_eq!(std::fs::read(r.join("a")).expect("a"), b"1");
        assert_eq!(std::fs::read(r.join("b/c")).expect("c"), b"1");
    }

    /// ENOSPC while a swap replacement writes its fresh folder leaves the previous folder whole
    /// and nothing beside.
    #[test]
    fn a_full_disk_during_a_swap_keeps_the_previous_folder() {
        let d = tempfile::tempdir().expect("tmp");
        let r = d.path().join("r");
        let s = Sortie::pour("rapport", &r, &[], false).expect("sortie");
        s.remplacer([("a", &b"1"[..])]).expect("first");
        let _panne = injecter_panne(|op, p| {
            (op == Operation::Ecrire && dans_neuf(p))
                .then(|| erreur(std::io::ErrorKind::StorageFull))
                .flatten()
        });
        assert!(s.remplacer([("a", &b"2"[..])]).is_err());
        assert_eq!(noms(&r), [MARQUE, "a"]);
        assert_eq!(std::fs::read(r.join("a")).expect("a"), b"1");
        assert_eq!(noms(d.path()), [".r.collegia.verrou", "r"]);
    }

    /// A save that fails on a full disk (séminaire « enregistrer », a generated scenario)
    /// leaves no folder: its name stays free for the next attempt.
    #[test]
    fn a_failed_save_frees_its_name() {
        let d = tempfile::tempdir().expect("tmp");
        let v = d.path().join("variantes/ma-variante");
        let s = Sortie::new(&v, &[]).expect("sortie");
        {
            let _panne = injecter_panne(|op, p| {
                (op == Operation::Ecrire && p.ends_with("elus.csv"))
                    .then(|| erreur(std::io::ErrorKind::StorageFull))
                    .flatten()
            });
            let e = s
                .ecrire_tout([("scenario.toml", &b"1"[..]), ("sous/elus.csv", &b"1"[..])])
                .expect_err("disk full");
            assert!(e.to_string().contains("elus.csv"), "{e}");
        }
        assert!(
            !v.exists(),
            "the failed save left {:?}",
            noms(&d.path().join("variantes"))
        );
        s.ecrire_tout([("scenario.toml", &b"1"[..]), ("sous/elus.csv", &b"1"[..])])
            .expect("the name is free");
        assert_eq!(noms(&v), ["scenario.toml", "sous"]);
        // A folder that existed before is left in place.
        let _panne = injecter_panne(|op, _| {
            (op == Operation::Ecrire)
                .then(|| erreur(std::io::ErrorKind::StorageFull))
                .flatten()
        });
        assert!(s.forcer(true).ecrire_tout([("x", &b"1"[..])]).is_err());
        assert_eq!(noms(&v), ["scenario.toml", "sous"]);
    }

    #[test]
    fn output_inside_or_over_an_input_folder_is_refused() {
        let d = tempfile::tempdir().expect("tmp");
        let input = d.path().join("data/exemple/elus.csv");
        std::fs::create_dir_all(input.parent().expect("parent")).expect("mkdir");
        std::fs::write(&input, "x").expect("write");
        let inputs = vec![input];
        assert!(Sortie::new(&d.path().join("data/exemple"), &inputs).is_err());
        assert!(Sortie::new(&d.path().join("data/exemple/sous"), &inputs).is_err());
        assert!(Sortie::new(&d.path().join("data"), &inputs).is_err());
        assert!(Sortie::new(&d.path().join("reports/../data/exemple"), &inputs).is_err());
        assert!(Sortie::new(&d.path().join("reports/exemple"), &inputs).is_ok());
    }
}
