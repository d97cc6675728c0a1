//! A portable build, kept honest without a Windows toolchain (none can be downloaded on the CI
//! machines): Cargo's own resolution for `x86_64-pc-windows-msvc` must hold every crate the code
//! uses outside `#[cfg(unix)]`, and every `#[cfg(unix)]` path of `src/` has a `#[cfg(not(unix))]`
//! twin. A misplaced `[target.'cfg(unix)'.dependencies]` header once made `thiserror`, `toml`,
//! `tokio` and four others unix-only, and nothing noticed.

use crate::commun::root;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Crates that may be missing on Windows: each is used only inside `#[cfg(unix)]` items
/// (checked below). `rustix` gives `flock(2)` to the writer's locks.
const UNIX_SEULEMENT: &[&str] = &["rustix"];

/// The normal (non-dev, non-build) dependencies of collegia that Cargo resolves for `cible`,
/// by library name (`signal_hook`), read from `cargo metadata --filter-platform` (locked: a stale
/// `Cargo.lock` fails here as in CI). Not offline: on a fresh machine the Windows-only crates
/// (`anstyle-wincon`, `windows-sys`…) have never been downloaded, and metadata needs their
/// manifests; Cargo fetches them once from the registry.
fn dependances(cible: &str) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let sortie = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--filter-platform",
            cible,
            "--manifest-path",
        ])
        .arg(root().join("Cargo.toml"))
        .output()
        .expect("cargo metadata runs");
    assert!(
        sortie.status.success(),
        "cargo metadata for {cible}: {}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    let m: serde_json::Value = serde_json::from_slice(&sortie.stdout).expect("json");
    let racine = m["resolve"]["root"].as_str().expect("root package");
    let noeud = m["resolve"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["id"].as_str() == Some(racine))
        .expect("collegia's node");
    noeud["deps"]
        .as_array()
        .expect("deps")
        .iter()
        .filter(|d| {
            d["dep_kinds"]
                .as_array()
                .is_some_and(|k| k.iter().any(|k| k["kind"].is_null()))
        })
        .filter_map(|d| d["name"].as_str().map(str::to_string))
        .collect()
}

/// Every `.rs` file under `dossier`, sorted.
fn sources(dossier: &Path) -> Vec<PathBuf> {
    let mut v = Vec::new();
    let mut pile = vec![dossier.to_path_buf()];
    while let Some(d) = pile.pop() {
        for e in std::fs::read_dir(&d).expect("src").filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                pile.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                v.push(p);
            }
        }
    }
    v.sort();
    v
}

/// Whether the code of `texte` names the crate `nom` (`nom::…` or `use nom`).
fn nomme(texte: &str, nom: &str) -> bool {
    texte.lines().any(|l| {
        let l = l.trim_start();
        !l.starts_with("//")
            && (l.starts_with(&format!("use {nom}"))
                || l.match_indices(&format!("{nom}::")).any(|(i, _)| {
                    i == 0 || {
                        let avant = l.as_bytes()[i - 1];
                        !(avant.is_ascii_alphanumeric() || avant == b'_')
                    }
                }))
    })
}

/// The part of a source file before its unit-test module (`#[cfg(test)]` then `mod …`), where
/// platform paths matter; test-only items above it (a test hook) stay in.
fn hors_tests(texte: &str) -> &str {
    let mut debut = 0;
    let mut lignes = texte.split_inclusive('\n').peekable();
    while let Some(l) = lignes.next() {
        if l.trim() == "#[cfg(test)]"
            && lignes
                .peek()
                .is_some_and(|s| s.trim_start().starts_with("mod "))
        {
            return &texte[..debut];
        }
        debut += l.len();
    }
    texte
}

#[test]
fn every_crate_the_code_uses_everywhere_resolves_for_windows() {
    let linux = dependances("x86_64-unknown-linux-gnu");
    let windows = dependances("x86_64-pc-windows-msvc");
    // The check sees something: the crates every command needs are there on Linux.
    for c in ["thiserror", "toml", "csv", "serde"] {
        assert!(linux.contains(c), "{c} missing on Linux: {linux:?}");
    }
    let textes: Vec<(PathBuf, String)> = sources(&root().join("src"))
        .into_iter()
        .map(|p| {
            let t = std::fs::read_to_string(&p).expect("read");
            (p, t)
        })
        .collect();
    let manquants: Vec<&String> = linux
        .iter()
        .filter(|c| !windows.contains(*c) && !UNIX_SEULEMENT.contains(&c.as_str()))
        .filter(|c| textes.iter().any(|(_, t)| nomme(t, c)))
        .collect();
    assert!(
        manquants.is_empty(),
        "used by src/ but not resolved for Windows (a dependency under [target.'cfg(unix)'.dependencies]?): {manquants:?}"
    );
    // The crates allowed to be unix-only are used only inside `#[cfg(unix)]` items.
    for c in UNIX_SEULEMENT {
        for (p, t) in &textes {
            let lignes: Vec<&str> = hors_tests(t).lines().collect();
            for (i, l) in lignes.iter().enumerate() {
                if nomme(l, c) {
                    let garde = lignes[i.saturating_sub(12)..i]
                        .iter()
                        .any(|x| x.trim() == "#[cfg(unix)]");
                    assert!(
                        garde,
                        "{}:{}: {c} is unix-only but used outside a #[cfg(unix)] item",
                        p.display(),
                        i + 1
                    );
                }
            }
        }
    }
}

#[test]
fn every_unix_path_has_a_portable_twin() {
    let mut sans_jumeau = Vec::new();
    let mut vus = 0;
    for p in sources(&root().join("src")) {
        let t = std::fs::read_to_string(&p).expect("read");
        let code = hors_tests(&t);
        let unix = code.lines().filter(|l| l.trim() == "#[cfg(unix)]").count();
        let autres = code
            .lines()
            .filter(|l| l.trim() == "#[cfg(not(unix))]")
            .count();
        vus += unix;
        if unix != autres {
            sans_jumeau.push(format!(
                "{}: {unix} #[cfg(unix)], {autres} #[cfg(not(unix))]",
                p.display()
            ));
        }
    }
    assert!(vus > 0, "the scan found the writer's unix paths");
    assert!(sans_jumeau.is_empty(), "{sans_jumeau:?}");
}
