//! The French user guide (`docs/guide/`) against the code: every code the code can emit has one
//! entry and no entry is stale; the column tables are the schema's; the links resolve; the worked
//! example (« Votre premier scénario ») replays from an empty folder with the outputs it shows,
//! and the report it writes links each finding to a guide entry that exists.

use crate::commun::{collegia, root};
use collegia::guide::{PAGES, Page};
use collegia::ingest::schema::FICHIERS;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Whether `s` is a code: one of E, D, L, S and three digits.
fn est_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 4 && b"EDLS".contains(&b[0]) && b[1..].iter().all(u8::is_ascii_digit)
}

/// Every string literal of `src/` that is a code (`"D001"`): how the code declares them (error
/// enums' `as_str`/`code`, findings built with their code, open legal points).
fn codes_du_code() -> BTreeSet<String> {
    let mut codes = BTreeSet::new();
    let mut pile = vec![root().join("src")];
    while let Some(d) = pile.pop() {
        for e in std::fs::read_dir(&d).expect("src").flatten() {
            let p = e.path();
            if p.is_dir() {
                pile.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                let texte = std::fs::read_to_string(&p).expect("source");
                for (i, _) in texte.match_indices('"') {
                    if let Some(c) = texte.get(i + 1..i + 5)
                        && est_code(c)
                        && texte.get(i + 5..i + 6) == Some("\"")
                    {
                        codes.insert(c.to_string());
                    }
                }
            }
        }
    }
    codes
}

/// The codes' anchors of the guide (`id="D001"`), with the pages holding each.
fn ancres_de_codes() -> BTreeMap<String, Vec<&'static str>> {
    let mut m: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for p in &PAGES {
        for a in p.ancres() {
            if est_code(&a) && p.markdown.contains(&format!("id=\"{a}\"")) {
                m.entry(a).or_default().push(p.nom);
            }
        }
    }
    m
}

#[test]
fn every_code_has_one_guide_entry_and_no_entry_is_stale() {
    let code = codes_du_code();
    // The scan finds each family (a broken scan must not pass by finding nothing).
    for famille in ['E', 'D', 'L', 'S'] {
        assert!(
            code.iter().filter(|c| c.starts_with(famille)).count() >= 5,
            "famille {famille} : {code:?}"
        );
    }
    // The library's own lists are in the scan.
    for p in collegia::law::verification::POINTS_OUVERTS {
        assert!(code.contains(p.code), "{}", p.code);
    }
    let guide = ancres_de_codes();
    let manquants: Vec<&String> = code.iter().filter(|c| !guide.contains_key(*c)).collect();
    assert!(
        manquants.is_empty(),
        "codes sans entrée dans docs/guide/ : {manquants:?}"
    );
    let perimes: Vec<&String> = guide.keys().filter(|c| !code.contains(*c)).collect();
    assert!(
        perimes.is_empty(),
        "entrées du guide qu'aucun code n'émet : {perimes:?}"
    );
    for (c, pages) in &guide {
        assert_eq!(pages.len(), 1, "{c} a plusieurs entrées : {pages:?}");
    }
    // Each entry holds its code and is found by the report's link.
    for c in &code {
        let lien = collegia::guide::lien_guide(c);
        assert!(lien.ends_with(&format!(".html#{c}")), "{c} : {lien}");
    }
}

/// The rows of the Markdown table of one file's section in `fichiers.md`: column → cells.
fn lignes_du_tableau(md: &str, fichier: &str) -> BTreeMap<String, Vec<String>> {
    let titre = format!("### `{fichier}`");
    let debut = md
        .find(&titre)
        .unwrap_or_else(|| panic!("fichiers.md : section {titre} absente"));
    let section = &md[debut + titre.len()..];
    let fin = section.find("\n#").unwrap_or(section.len());
    let mut lignes = BTreeMap::new();
    for l in section[..fin].lines().filter(|l| l.starts_with("| `")) {
        let cellules: Vec<String> = l
            .trim_matches('|')
            .split(" | ")
            .map(|c| c.trim().to_string())
            .collect();
        let nom = cellules[0].trim_matches('`').to_string();
        assert!(
            lignes.insert(nom.clone(), cellules).is_none(),
            "{fichier} : colonne {nom} deux fois"
        );
    }
    lignes
}

#[test]
fn the_column_tables_of_the_guide_are_the_schema() {
    let md = PAGES
        .iter()
        .find(|p| p.nom == "fichiers")
        .expect("page fichiers")
        .markdown;
    for f in FICHIERS {
        let lignes = lignes_du_tableau(md, f.nom);
        let attendues: BTreeSet<&str> = f.colonnes.iter().map(|c| c.nom).collect();
        let lues: BTreeSet<&str> = lignes.keys().map(String::as_str).collect();
        assert_eq!(lues, attendues, "{} : colonnes du guide", f.nom);
        for c in f.colonnes {
            let cellules = &lignes[c.nom];
            let alias: BTreeSet<&str> = cellules[1]
                .split(", ")
                .map(|a| a.trim_matches('`'))
                .filter(|a| !a.is_empty())
                .collect();
            let schema: BTreeSet<&str> = c.alias.iter().copied().collect();
            assert_eq!(alias, schema, "{} : autres noms de {}", f.nom, c.nom);
            assert_eq!(
                cellules[2].starts_with("oui"),
                c.obligatoire,
                "{} : {} obligatoire ?",
                f.nom,
                c.nom
            );
        }
    }
}

#[test]
fn every_link_of_the_guide_resolves() {
    use pulldown_cmark::{Event, Parser, Tag};
    let dossier = root().join("docs/guide");
    let ancres: BTreeMap<&str, Vec<String>> = PAGES.iter().map(|p| (p.nom, p.ancres())).collect();
    let mut vus = 0;
    for p in &PAGES {
        for ev in Parser::new_ext(p.markdown, pulldown_cmark::Options::ENABLE_TABLES) {
            let Event::Start(Tag::Link { dest_url, .. }) = ev else {
                continue;
            };
            vus += 1;
            let dest = dest_url.to_string();
            if dest.starts_with("https://") {
                continue;
            }
            let (fichier, fragment) = dest.split_once('#').unwrap_or((&dest, ""));
            let cible = if fichier.is_empty() {
                p.nom
            } else if let Some(nom) = fichier.strip_suffix(".md")
                && ancres.contains_key(nom)
            {
                nom
            } else {
                assert!(
                    dossier.join(fichier).exists(),
                    "{}.md : lien vers {dest} introuvable",
                    p.nom
                );
                continue;
            };
            if !fragment.is_empty() {
                assert!(
                    ancres[cible].iter().any(|a| a == fragment),
                    "{}.md : ancre « {fragment} » absente de {cible}.md",
                    p.nom
                );
            }
        }
    }
    assert!(vus > 50, "{vus} liens seulement");
}

/// One step of the worked example: a file to write, or a command and the output it shows.
enum Etape {
    Fichier(String, String),
    Commande(Vec<String>, Vec<String>),
}

/// The steps of a page: `<!-- fichier: chemin -->` or `<!-- commande -->` before a fenced block.
fn etapes(page: &Page) -> Vec<Etape> {
    let mut v = Vec::new();
    let mut lignes = page.markdown.lines();
    while let Some(l) = lignes.next() {
        let marque = l.trim();
        let fichier = marque
            .strip_prefix("<!-- fichier: ")
            .and_then(|s| s.strip_suffix(" -->"));
        if fichier.is_none() && marque != "<!-- commande -->" {
            continue;
        }
        let ouverture = lignes.next().expect("bloc après le marqueur");
        assert!(ouverture.starts_with("```"), "{ouverture}");
        let bloc: Vec<&str> = lignes.by_ref().take_while(|l| *l != "```").collect();
        match fichier {
            Some(f) => v.push(Etape::Fichier(f.to_string(), bloc.join("\n") + "\n")),
            None => {
                let commande = bloc[0]
                    .strip_prefix("$ collegia ")
                    .expect("« $ collegia … » en première ligne");
                v.push(Etape::Commande(
                    commande.split_whitespace().map(str::to_string).collect(),
                    bloc[1..].iter().map(|l| l.trim_end().to_string()).collect(),
                ));
            }
        }
    }
    v
}

/// Checks that every `href` of a report page to the guide names a file of the report holding
/// that anchor; returns how many there are.
fn liens_du_rapport(dossier: &Path, page: &str) -> usize {
    let html = std::fs::read_to_string(dossier.join(page)).expect(page);
    let mut n = 0;
    for morceau in html.split("href=\"guide/").skip(1) {
        let lien = morceau.split('"').next().expect("lien");
        let (fichier, ancre) = lien.split_once('#').unwrap_or((lien, ""));
        let cible = std::fs::read_to_string(dossier.join("guide").join(fichier))
            .unwrap_or_else(|_| panic!("{page} : guide/{fichier} absent du rapport"));
        assert!(
            ancre.is_empty() || cible.contains(&format!("id=\"{ancre}\"")),
            "{page} : ancre {ancre} absente de guide/{fichier}"
        );
        n += 1;
    }
    n
}

#[test]
fn the_worked_example_replays_from_an_empty_folder() {
    let page = PAGES
        .iter()
        .find(|p| p.nom == "premier-scenario")
        .expect("page premier-scenario");
    let etapes = etapes(page);
    let dossier = tempfile::tempdir().expect("tempdir");
    let (mut fichiers, mut commandes) = (0, 0);
    for e in &etapes {
        match e {
            Etape::Fichier(chemin, texte) => {
                let p = dossier.path().join(chemin);
                std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
                std::fs::write(&p, texte).expect("write");
                fichiers += 1;
            }
            Etape::Commande(args, attendu) => {
                let sortie = collegia()
                    .current_dir(dossier.path())
                    .args(args)
                    .output()
                    .expect("run");
                let texte = format!(
                    "{}{}",
                    String::from_utf8_lossy(&sortie.stdout),
                    String::from_utf8_lossy(&sortie.stderr)
                );
                let lues: Vec<String> = texte.lines().map(|l| l.trim_end().to_string()).collect();
                // A block ending with « … » shows the beginning of the output.
                let (attendu, extrait) = match attendu.split_last() {
                    Some((d, debut)) if d == "…" => (debut, true),
                    _ => (&attendu[..], false),
                };
                let lues = if extrait {
                    &lues[..attendu.len().min(lues.len())]
                } else {
                    &lues[..]
                };
                assert_eq!(lues, attendu, "collegia {}", args.join(" "));
                commandes += 1;
            }
        }
    }
    assert!(
        fichiers >= 5 && commandes >= 4,
        "{fichiers} fichiers, {commandes} commandes"
    );
    // The report the example writes links its findings to guide entries it carries.
    let rapport = dossier.path().join("reports/ma-commune");
    assert!(liens_du_rapport(&rapport, "index.html") >= 5);
    liens_du_rapport(&rapport, "diaporama.html");
}

#[test]
fn version_says_the_version_and_the_date_of_the_legal_tables() {
    let sortie = collegia().arg("--version").output().expect("run");
    assert!(sortie.status.success());
    let texte = String::from_utf8_lossy(&sortie.stdout);
    assert!(
        texte.starts_with(&format!("collegia {} ", env!("CARGO_PKG_VERSION"))),
        "{texte}"
    );
    let date = collegia::law::DATE_DES_TABLES
        .format("%d/%m/%Y")
        .to_string();
    assert!(
        texte.contains(&format!("tables légales du CGCT à jour au {date}")),
        "{texte}"
    );
}

/// `docs/formats.md` (the developers' reference, English) keeps one table per input file too; it
/// lagged the schema on aliases (issue 31's note), so it is held to the schema like the guide: same
/// columns, same aliases, same « required » (columns found by the table's header, which differs
/// between sections).
#[test]
fn the_column_tables_of_the_format_reference_are_the_schema() {
    let md = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/formats.md"))
        .expect("docs/formats.md");
    for f in FICHIERS {
        let debut = md
            .lines()
            .position(|l| l.starts_with(&format!("## `{}`", f.nom)))
            .unwrap_or_else(|| panic!("formats.md : section ## `{}` absente", f.nom));
        let section: Vec<&str> = md
            .lines()
            .skip(debut + 1)
            .take_while(|l| !l.starts_with("## "))
            .collect();
        let cellules = |l: &str| -> Vec<String> {
            l.trim()
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect()
        };
        let entete = section
            .iter()
            .find(|l| l.starts_with("| column"))
            .map(|l| cellules(l))
            .unwrap_or_else(|| panic!("formats.md : pas de tableau dans {}", f.nom));
        let ix = |nom: &str| {
            entete
                .iter()
                .position(|c| c == nom)
                .unwrap_or_else(|| panic!("formats.md {} : colonne « {nom} » du tableau", f.nom))
        };
        let (ia, ir) = (ix("aliases"), ix("required"));
        let mut lues = BTreeMap::new();
        for l in section.iter().filter(|l| l.starts_with("| `")) {
            let c = cellules(l);
            lues.insert(c[0].trim_matches('`').to_string(), c);
        }
        let attendues: BTreeSet<&str> = f.colonnes.iter().map(|c| c.nom).collect();
        let noms: BTreeSet<&str> = lues.keys().map(String::as_str).collect();
        assert_eq!(noms, attendues, "formats.md {} : colonnes", f.nom);
        for c in f.colonnes {
            let cel = &lues[c.nom];
            let alias: BTreeSet<&str> = cel[ia]
                .split(", ")
                .map(|a| a.trim_matches('`'))
                .filter(|a| !a.is_empty())
                .collect();
            let schema: BTreeSet<&str> = c.alias.iter().copied().collect();
            assert_eq!(alias, schema, "formats.md {} : aliases of {}", f.nom, c.nom);
            assert_eq!(
                cel[ir].starts_with("yes"),
                c.obligatoire,
                "formats.md {} : {} required?",
                f.nom,
                c.nom
            );
        }
    }
}
