//! `collegia paquet <dossier>` (hidden): writes what the Debian package installs beside the
//! binary, generated from the one definition of the command line ([`super::args::commande`]):
//!
//! - `man/collegia.1` and one page per command (`man/collegia-rapport.1`…), by clap_mangen, with
//!   the section titles in French;
//! - `completions/collegia.bash`, `completions/_collegia` (zsh), `completions/collegia.fish`, by
//!   clap_complete;
//! - `guide/*.html`, the user guide as the reports carry it ([`collegia::guide`]).
//!
//! `.ci/run` calls it before `cargo deb` (see `[package.metadata.deb]` in Cargo.toml).

use super::Resultat;
use collegia::erreur::Erreur;
use collegia::report::ecriture::{EcritureError, ecrire_atomique};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

/// A man page in French: clap_mangen's section titles upper-cased and translated (the texts are
/// the command line's own, already French), and an explicit empty date in the title line (an
/// omitted one shifts the footer and the manual's name).
fn en_francais(roff: &str) -> String {
    roff.lines()
        .map(|l| {
            if let Some(titre) = l.strip_prefix(".SH ") {
                let titre = titre.trim_matches('"').trim().to_uppercase();
                let titre = match titre.as_str() {
                    "NAME" => "NOM",
                    "EXTRA" => "REMARQUES",
                    "AUTHORS" => "AUTEURS",
                    "SUBCOMMANDS" => "COMMANDES",
                    t => t,
                };
                if titre.contains(' ') {
                    format!(".SH \"{titre}\"")
                } else {
                    format!(".SH {titre}")
                }
            } else if l.starts_with(".TH ") {
                l.replacen(" 1  \"", " 1 \"\" \"", 1)
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

/// The command line without its hidden commands (`paquet`): what a user may type, for the man
/// pages and the completions.
fn visible() -> clap::Command {
    let complet = super::args::commande();
    let mut c = clap::Command::new("collegia")
        .version(super::args::version())
        .about(complet.get_about().cloned().unwrap_or_default())
        .after_help(complet.get_after_help().cloned().unwrap_or_default())
        .subcommand_help_heading("Commandes")
        .subcommand_value_name("COMMANDE")
        .subcommand_required(true)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true);
    for a in complet.get_arguments() {
        c = c.arg(a.clone());
    }
    for s in complet.get_subcommands().filter(|s| !s.is_hide_set()) {
        c = c.subcommand(s.clone());
    }
    c
}

/// The man pages: the command and each visible subcommand (`collegia-rapport.1`…).
pub fn pages_de_manuel() -> Vec<(String, Vec<u8>)> {
    let mut cmd = visible();
    cmd.build();
    let mut pages = Vec::new();
    let mut ajouter = |c: clap::Command| {
        let man = clap_mangen::Man::new(c)
            .section("1")
            .manual("Manuel de collegia")
            .source(format!("collegia {}", env!("CARGO_PKG_VERSION")));
        let nom = man.get_filename();
        let mut roff = Vec::new();
        // Rendering into memory cannot fail.
        let _ = man.render(&mut roff);
        pages.push((
            nom,
            en_francais(&String::from_utf8_lossy(&roff)).into_bytes(),
        ));
    };
    for sous in cmd.get_subcommands() {
        ajouter(sous.clone());
    }
    ajouter(cmd);
    pages
}

/// The shell completions, by file name.
pub fn completions() -> Vec<(String, Vec<u8>)> {
    use clap_complete::{Shell, generate};
    [
        (Shell::Bash, "collegia.bash"),
        (Shell::Zsh, "_collegia"),
        (Shell::Fish, "collegia.fish"),
    ]
    .into_iter()
    .map(|(shell, nom)| {
        let mut octets = Vec::new();
        generate(shell, &mut visible(), "collegia", &mut octets);
        (nom.to_string(), octets)
    })
    .collect()
}

fn ecrire(chemin: &Path, octets: &[u8]) -> Result<(), Erreur> {
    let erreur = |e: EcritureError| Erreur::Ecriture(Arc::new(e));
    if let Some(parent) = chemin.parent() {
        std::fs::create_dir_all(parent).map_err(|source| {
            erreur(EcritureError::Io {
                chemin: parent.display().to_string(),
                source,
            })
        })?;
    }
    ecrire_atomique(chemin, octets).map_err(erreur)
}

/// Writes the man pages, the completions and the guide under `dossier`.
pub fn run(dossier: &Path) -> Resultat {
    let mut n = 0;
    for (nom, octets) in pages_de_manuel() {
        ecrire(&dossier.join("man").join(nom), &octets)?;
        n += 1;
    }
    for (nom, octets) in completions() {
        ecrire(&dossier.join("completions").join(nom), &octets)?;
        n += 1;
    }
    for (nom, octets) in collegia::guide::fichiers() {
        ecrire(&dossier.join(nom), &octets)?;
        n += 1;
    }
    outln!("{n} fichiers écrits dans {}", dossier.display());
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_man_pages_are_in_french_and_cover_every_visible_command() {
        let pages = pages_de_manuel();
        let noms: Vec<&str> = pages.iter().map(|(n, _)| n.as_str()).collect();
        assert!(noms.contains(&"collegia.1") && noms.contains(&"collegia-rapport.1"));
        assert!(!noms.iter().any(|n| n.contains("paquet")), "{noms:?}");
        let cmd = super::super::args::commande();
        let visibles = cmd.get_subcommands().filter(|s| !s.is_hide_set()).count();
        assert_eq!(pages.len(), visibles + 1);
        for (nom, octets) in &pages {
            let roff = String::from_utf8_lossy(octets);
            assert!(roff.contains(".SH NOM"), "{nom}");
            assert!(!roff.contains(".SH NAME"), "{nom}");
        }
        let racine = String::from_utf8_lossy(&pages.last().expect("collegia.1").1).to_string();
        assert!(
            racine.contains("organiser une majorité municipale"),
            "{racine}"
        );
        assert!(racine.contains(".SH COMMANDES"), "{racine}");
    }

    #[test]
    fn completions_name_the_commands_but_not_the_hidden_one() {
        for (nom, octets) in completions() {
            let s = String::from_utf8_lossy(&octets);
            assert!(s.contains("rapport") && s.contains("seminaire"), "{nom}");
            assert!(!s.contains("paquet"), "{nom}");
        }
    }
}
