//! `collegia reorganiser` end to end: every stage's variant is a scenario that `verifier`,
//! `analyser` and `comparer` accept; the moves respect the cap; an infeasible plan exits 2
//! naming the rules in conflict.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn collegia() -> Command {
    Command::cargo_bin("collegia").expect("binary built")
}

/// A variant of data/exemple with a `[reorganisation]` table.
fn variante(dir: &Path, table: &str) -> PathBuf {
    let v = dir.join("reorg");
    std::fs::create_dir_all(&v).expect("dossier");
    let base = root().join("data/exemple");
    std::fs::write(
        v.join("scenario.toml"),
        format!(
            "base = {}\nnom = \"Belleroche — réorganisation\"\n\n{table}",
            toml_chaine(&base.display().to_string())
        ),
    )
    .expect("toml");
    v
}

fn toml_chaine(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

const TABLE: &str = r#"[reorganisation]
etapes = 2
nouvelles_dga = 1
agents_par_etape = 300

[[reorganisation.priorites]]
id = "sante"
nom = "Santé"
domaines = ["sante"]
"#;

#[test]
fn every_stage_is_a_scenario_that_verifier_analyser_and_comparer_accept() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let v = variante(tmp.path(), TABLE);
    let sortie = tmp.path().join("plan");
    collegia()
        .args(["reorganiser"])
        .arg(&v)
        .arg("--sortie")
        .arg(&sortie)
        .args(["--limite-temps", "20"])
        .assert()
        .code(0);
    for f in [
        "mouvements.csv",
        "mesures.csv",
        "interlocuteurs.csv",
        "calendrier.svg",
        "flux.svg",
        "reorganisation.md",
    ] {
        assert!(sortie.join(f).is_file(), "{f}");
    }
    let mouvements = std::fs::read_to_string(sortie.join("mouvements.csv")).expect("csv");
    for l in mouvements.lines().skip(1) {
        let agents: f64 = l
            .split(';')
            .nth(7)
            .expect("agents")
            .replace(',', ".")
            .parse()
            .expect("nombre");
        assert!(agents <= 300.0, "{l}");
    }
    for etape in ["etape-01", "etape-02"] {
        let e = sortie.join(etape);
        collegia().arg("verifier").arg(&e).assert().code(0);
        collegia().arg("analyser").arg(&e).assert().success();
        collegia()
            .arg("comparer")
            .arg(&v)
            .arg(&e)
            .arg("--sortie")
            .arg(tmp.path().join(format!("cmp-{etape}")))
            .assert()
            .code(0);
    }
}

#[test]
fn an_infeasible_plan_exits_2_and_names_the_rules() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let table = r#"[reorganisation]
etapes = 1
agents_par_etape = 0

[[reorganisation.verrous]]
direction = "DIR-SANTE"
dga = "DGA-EDU"
"#;
    let v = variante(tmp.path(), table);
    collegia()
        .args(["reorganiser"])
        .arg(&v)
        .arg("--sortie")
        .arg(tmp.path().join("plan"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("verrou"))
        .stderr(predicates::str::contains("agents_par_etape"));
    assert!(!tmp.path().join("plan").exists());
}

#[test]
fn an_unknown_direction_is_a_coded_error_with_its_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let table = "[reorganisation]\n\n[[reorganisation.priorites]]\nid = \"x\"\ndirections = [\"DIR-NULLE\"]\n";
    let v = variante(tmp.path(), table);
    collegia()
        .args(["reorganiser"])
        .arg(&v)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("E015"))
        .stderr(predicates::str::contains("DIR-NULLE"))
        .stderr(predicates::str::contains("ligne 6"));
}

/// A plan the solver proves optimal in seconds (a small cap per stage): same inputs, same
/// bytes.
const TABLE_RAPIDE: &str = r#"[reorganisation]
etapes = 2
nouvelles_dga = 1
agents_par_etape = 60

[[reorganisation.priorites]]
id = "sante"
nom = "Santé"
domaines = ["sante"]
"#;

fn rapport_reorganise(v: &Path, sortie: &Path) {
    collegia()
        .args(["rapport"])
        .arg(v)
        .arg("--reorganiser")
        .args(["--limite-temps", "120"])
        .arg("--sortie")
        .arg(sortie)
        .assert()
        .code(0);
}

/// `rapport --reorganiser`: the section (in the table of contents) gives each stage with its
/// date, its moves, the consultation of the comité social territorial and a link to its
/// variant; both charts are inline and drawn by plotters; the deck has the overview, one
/// slide per stage and the flow; a second run writes the same bytes.
#[test]
fn the_report_and_the_deck_show_the_path_stage_by_stage() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let v = variante(tmp.path(), TABLE_RAPIDE);
    let out = tmp.path().join("r");
    rapport_reorganise(&v, &out);
    let html = std::fs::read_to_string(out.join("index.html")).expect("index");
    assert!(html.contains(r##"<a href="#reorganisation">Réorganisation des DGA</a>"##));
    let debut = html
        .find(r#"<section id="reorganisation""#)
        .expect("section");
    let fin = debut + html[debut..].find("</section>").expect("end");
    let section = &html[debut..fin];
    assert!(section.contains("optimal (prouvé)"), "the plan is proved");
    let mouvements =
        std::fs::read_to_string(out.join("reorganisation/mouvements.csv")).expect("mouvements.csv");
    let lignes: Vec<Vec<&str>> = mouvements
        .lines()
        .skip(1)
        .map(|l| l.split(';').collect())
        .collect();
    assert!(!lignes.is_empty(), "the plan moves something");
    for l in &lignes {
        let (t, date, direction) = (l[0], l[1], l[3]);
        let (a, m, j) = (&date[0..4], &date[5..7], &date[8..10]);
        let fr = format!("{j}/{m}/{a}");
        assert!(section.contains(&format!("Étape {t} — {fr}")), "{t}");
        assert!(
            section.contains(&format!(
                "Consulter le comité social territorial avant le {fr}"
            )),
            "{t}"
        );
        assert!(section.contains(&format!("<td data-col=\"direction\">{direction}</td>")));
    }
    for t in ["01", "02"] {
        let lien = format!("reorganisation/etape-{t}/scenario.toml");
        assert!(section.contains(&format!("href=\"{lien}\"")), "{lien}");
        assert!(out.join(&lien).is_file(), "{lien}");
    }
    assert_eq!(section.matches("<svg").count(), 2, "both charts inline");
    assert!(section.contains("plafond : 60 par étape"));
    assert!(section.contains("décret n° 87-1101"));
    assert!(section.contains(r#"<span class="non-verifie">(non vérifié)</span>"#));
    // The charts of the folder are the plotters ones (the house font), SVG and PNG.
    let svg = std::fs::read_to_string(out.join("reorganisation/calendrier.svg")).expect("svg");
    assert!(svg.contains("plafond : 60 par étape") && svg.contains("font-family=\"sans-serif\""));
    assert!(
        std::fs::read(out.join("reorganisation/flux.png"))
            .expect("png")
            .starts_with(b"\x89PNG")
    );
    assert!(
        !out.join("graphiques/reorganisation-calendrier.svg")
            .exists()
    );
    let deck = std::fs::read_to_string(out.join("diaporama.html")).expect("deck");
    assert!(deck.contains("aria-label=\"Réorganisation des DGA : le chemin\""));
    for l in &lignes {
        assert!(deck.contains(&format!("aria-label=\"Réorganisation, étape {}", l[0])));
    }
    assert!(deck.contains("aria-label=\"Réorganisation : les directions entre DGA"));
    // Same inputs, same bytes.
    let out2 = tmp.path().join("r2");
    rapport_reorganise(&v, &out2);
    for f in [
        "index.html",
        "diaporama.html",
        "reorganisation/calendrier.svg",
        "reorganisation/flux.svg",
        "reorganisation/flux.png",
    ] {
        assert!(
            std::fs::read(out.join(f)).expect("1") == std::fs::read(out2.join(f)).expect("2"),
            "{f} differs between two runs"
        );
    }
}

/// Without a plan (rules in conflict) the report is written all the same, the diagnosis in the
/// section and on a slide.
#[test]
fn an_infeasible_plan_is_the_section_s_diagnosis() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let table = r#"[reorganisation]
etapes = 1
agents_par_etape = 0

[[reorganisation.verrous]]
direction = "DIR-SANTE"
dga = "DGA-EDU"
"#;
    let v = variante(tmp.path(), table);
    let out = tmp.path().join("r");
    rapport_reorganise(&v, &out);
    let html = std::fs::read_to_string(out.join("index.html")).expect("index");
    assert!(html.contains("Aucun plan par étapes"));
    assert!(
        html.contains("agents_par_etape"),
        "the rule in conflict is named"
    );
    let deck = std::fs::read_to_string(out.join("diaporama.html")).expect("deck");
    assert!(deck.contains("aria-label=\"Réorganisation des DGA\""));
    assert!(!out.join("reorganisation/calendrier.svg").exists());
}
