//! Workbooks everywhere (issue 26, item 5) and the pipeline's outcomes at the command line:
//! every command that takes a scenario takes its workbook, with the `verrous` and `vœux`
//! sheets; `classeur` writes beside the scenario; messages suggest only options that exist.

use crate::commun::{collegia, root};
use predicates::prelude::*;
use std::path::Path;

/// Copies a scenario folder (flat) into `dest`.
fn copier(src: &Path, dest: &Path) {
    std::fs::create_dir_all(dest).expect("mkdir");
    for e in std::fs::read_dir(src).expect("read_dir") {
        let e = e.expect("entry");
        if e.path().is_file() {
            std::fs::copy(e.path(), dest.join(e.file_name())).expect("copy");
        }
    }
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8 path")
}

#[test]
fn a_workbook_is_accepted_by_every_command_and_its_variants_stand_alone() {
    let tmp = tempfile::tempdir().expect("tmp");
    let ex = tmp.path().join("ex");
    copier(&root().join("data/exemple"), &ex);
    // Without a file name, the workbook goes beside the scenario, under its name.
    collegia().args(["classeur", s(&ex)]).assert().success();
    let xlsx = tmp.path().join("ex.xlsx");
    assert!(xlsx.is_file());

    let o = tmp.path().join("o");
    collegia()
        .args(["optimiser", s(&xlsx), "--front", "--sortie", s(&o)])
        .assert()
        .success();
    // The proposal and each point of the front load on their own (a base cannot be a workbook).
    collegia().args(["verifier", s(&o)]).assert().success();
    let point = std::fs::read_dir(o.join("front"))
        .expect("front/")
        .filter_map(Result::ok)
        .find(|e| e.path().is_dir())
        .expect("a point of the front")
        .path();
    collegia().args(["verifier", s(&point)]).assert().success();
    let toml = std::fs::read_to_string(o.join("scenario.toml")).expect("scenario.toml");
    assert!(!toml.contains("base ="), "{toml}");

    // The wishes are read from the workbook's vœux sheet.
    let a = tmp.path().join("a");
    collegia()
        .args(["affecter", s(&xlsx), "--sortie", s(&a)])
        .assert()
        .success()
        .stdout(predicate::str::contains("vœu(x) lus dans"));
    collegia().args(["verifier", s(&a)]).assert().success();
    // A second run replaces affecter's own folder (its marker says whose it is); --force is
    // accepted too.
    collegia()
        .args(["affecter", s(&xlsx), "--sortie", s(&a)])
        .assert()
        .success();
    collegia()
        .args(["affecter", s(&xlsx), "--sortie", s(&a), "--force"])
        .assert()
        .success();

    let r = tmp.path().join("r");
    collegia()
        .args(["rapport", s(&xlsx), "--optimiser", "--sortie", s(&r)])
        .assert()
        .success();
    collegia()
        .args(["verifier", s(&r.join("proposition"))])
        .assert()
        .success();

    // A workbook's workbook: the same sheets, the same analysis.
    let copie = tmp.path().join("copie.xlsx");
    collegia()
        .args(["classeur", s(&xlsx), s(&copie)])
        .assert()
        .success();
    let analyse = |p: &Path| {
        collegia()
            .args(["analyser", s(p), "--format", "json"])
            .output()
            .expect("runs")
            .stdout
    };
    assert_eq!(analyse(&xlsx), analyse(&copie));
}

#[test]
fn the_locks_sheet_is_read_and_an_infeasible_workbook_still_gets_its_report() {
    let tmp = tempfile::tempdir().expect("tmp");
    let v = tmp.path().join("v.xlsx");
    collegia()
        .current_dir(root())
        .args([
            "classeur",
            "tests/fixtures/optimiser-verrous-contradictoires",
            s(&v),
        ])
        .assert()
        .success();
    // The contradictory locks come from the workbook's verrous sheet: infeasible, exit 2.
    collegia()
        .args(["optimiser", s(&v), "--sortie", s(&tmp.path().join("o"))])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("verrous"));
    let r = tmp.path().join("r");
    collegia()
        .args(["rapport", s(&v), "--optimiser", "--sortie", s(&r)])
        .assert()
        .code(2);
    let html = std::fs::read_to_string(r.join("index.html")).expect("the report is written");
    assert!(html.contains("Aucune proposition"));
}

#[test]
fn classeur_writes_from_the_folder_that_holds_the_scenario_and_never_over_an_input() {
    let tmp = tempfile::tempdir().expect("tmp");
    copier(&root().join("data/exemple"), &tmp.path().join("exemple"));
    // From the folder that holds the scenario (the repository root, for data/exemple).
    collegia()
        .current_dir(tmp.path())
        .args(["classeur", "exemple", "exemple.xlsx"])
        .assert()
        .success();
    assert!(tmp.path().join("exemple.xlsx").is_file());
    // Over an input file: refused, suggesting no option classeur lacks.
    let avant = std::fs::read(tmp.path().join("exemple/elus.csv")).expect("elus.csv");
    collegia()
        .current_dir(tmp.path())
        .args(["classeur", "exemple", "exemple/elus.csv", "--force"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("fichier d'entrée"))
        .stderr(predicate::str::contains("--sortie").not());
    assert_eq!(
        std::fs::read(tmp.path().join("exemple/elus.csv")).expect("elus.csv"),
        avant
    );
}
