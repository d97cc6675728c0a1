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
