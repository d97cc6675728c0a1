//! The one place that writes output files: atomically, only inside the chosen output folder, never
//! over an input.
//!
//! Each file is written to a temporary file in its target folder, flushed to disk, then renamed
//! over the target: a run interrupted at any point leaves either the previous file or the new one,
//! never half of one.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

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
    /// I/O failure.
    #[error("écriture impossible de « {chemin} » : {source}")]
    Io {
        /// File or folder concerned.
        chemin: String,
        /// Underlying error.
        source: std::io::Error,
    },
}

fn io(chemin: &Path, source: std::io::Error) -> EcritureError {
    EcritureError::Io {
        chemin: chemin.display().to_string(),
        source,
    }
}

/// Writes `octets` to `chemin` atomically (temporary file in the same folder, then rename),
/// creating the parent folders.
pub fn ecrire_atomique(chemin: &Path, octets: &[u8]) -> Result<(), EcritureError> {
    let parent = match chemin.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".collegia-")
        .suffix(".tmp")
        .tempfile_in(&parent)
        .map_err(|e| io(&parent, e))?;
    tmp.write_all(octets).map_err(|e| io(chemin, e))?;
    tmp.as_file().sync_all().map_err(|e| io(chemin, e))?;
    tmp.persist(chemin).map_err(|e| io(chemin, e.error))?;
    Ok(())
}

/// Absolute, normalised form of a path that may not exist yet (existing prefix canonicalised,
/// the rest appended), so that `reports/../data/x` and `data/x` compare equal.
pub fn absolu(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // Resolve `.` and `..` lexically first: a `..` after a folder that does not exist yet cannot
    // be resolved by the file system.
    let mut lexical = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical;
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(|f| f.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for name in rest.into_iter().rev() {
        out.push(name);
    }
    out
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

/// An output folder: every file written through it lands inside it, atomically.
#[derive(Debug, Clone)]
pub struct Sortie {
    racine: PathBuf,
}

impl Sortie {
    /// Opens an output folder, refusing one that is, or is inside, or contains an input file's
    /// folder (`entrees`: the files the command read).
    pub fn new(racine: &Path, entrees: &[PathBuf]) -> Result<Sortie, EcritureError> {
        let abs = absolu(racine);
        for e in entrees {
            let dossier = absolu(e.parent().unwrap_or(Path::new(".")));
            if abs.starts_with(&dossier) || absolu(e).starts_with(&abs) {
                return Err(EcritureError::DansEntree(racine.display().to_string()));
            }
        }
        Ok(Sortie {
            racine: racine.to_path_buf(),
        })
    }

    /// The folder.
    pub fn racine(&self) -> &Path {
        &self.racine
    }

    /// Path of a relative output name, refusing names that would leave the folder.
    pub fn chemin(&self, nom: &str) -> Result<PathBuf, EcritureError> {
        let rel = Path::new(nom);
        let ok = !nom.is_empty()
            && rel
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
        if !ok {
            return Err(EcritureError::HorsDossier(nom.to_string()));
        }
        Ok(self.racine.join(rel))
    }

    /// Writes one file atomically.
    pub fn ecrire(&self, nom: &str, octets: &[u8]) -> Result<PathBuf, EcritureError> {
        let p = self.chemin(nom)?;
        ecrire_atomique(&p, octets)?;
        Ok(p)
    }

    /// Writes a set of files in two phases: every file is first written and synced to a
    /// temporary file beside its target, then all are renamed into place. A failure or an
    /// interruption during the first phase (the long one) leaves the previous files untouched and
    /// no temporary file behind; only the final renames, which take microseconds, can be cut
    /// short. Files of the folder that are not in the set are left alone.
    pub fn ecrire_tout<'a>(
        &self,
        fichiers: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    ) -> Result<Vec<PathBuf>, EcritureError> {
        let mut prets = Vec::new();
        for (nom, octets) in fichiers {
            let cible = self.chemin(nom)?;
            let parent = match cible.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            std::fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
            let mut tmp = tempfile::Builder::new()
                .prefix(".collegia-")
                .suffix(".tmp")
                .tempfile_in(&parent)
                .map_err(|e| io(&parent, e))?;
            tmp.write_all(octets).map_err(|e| io(&cible, e))?;
            tmp.as_file().sync_all().map_err(|e| io(&cible, e))?;
            prets.push((tmp, cible));
        }
        let mut ecrits = Vec::with_capacity(prets.len());
        for (tmp, cible) in prets {
            tmp.persist(&cible).map_err(|e| io(&cible, e.error))?;
            ecrits.push(cible);
        }
        Ok(ecrits)
    }
}

/// Makes a user-supplied name safe as one path component: letters, digits, `-`, `_` and `.` kept
/// (accents removed), anything else turned into `-`; never empty, never `.`/`..`.
pub fn nom_de_fichier(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let base: String = s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let mut out: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    let out = out.trim_matches(|c| c == '-' || c == '.').to_string();
    if out.is_empty() {
        "sans-nom".into()
    } else {
        out
    }
}

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

    #[test]
    fn a_failed_batch_leaves_the_previous_files_intact() {
        let d = tempfile::tempdir().expect("tmp");
        let s = Sortie::new(&d.path().join("r"), &[]).expect("sortie");
        s.ecrire_tout([("index.html", &b"ancien"[..]), ("a/b.csv", &b"ancien"[..])])
            .expect("first");
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
        let restes: Vec<_> = std::fs::read_dir(d.path().join("r"))
            .expect("dir")
            .chain(std::fs::read_dir(d.path().join("r/a")).expect("dir"))
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with(".collegia-"))
            .collect();
        assert!(restes.is_empty(), "temporary files left: {restes:?}");
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
