//! Guarantees of every command: inputs never modified, byte-identical reruns whatever the order
//! of délégations, no escape from the output folder, nothing half-written.

use super::commun::{collegia, contenu, root};
use std::path::Path;

fn copie(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for e in std::fs::read_dir(src).expect("dir").filter_map(Result::ok) {
        if e.path().is_file() {
            std::fs::copy(e.path(), dst.join(e.file_name())).expect("copy");
        }
    }
}

/// Every command on a copy of the example: the input files are byte-for-byte the same after.
#[test]
fn no_command_modifies_its_inputs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let ex = tmp.path().join("exemple");
    let va = tmp.path().join("exemple-variante");
    copie(&root().join("data/exemple"), &ex);
    copie(&root().join("data/exemple-variante"), &va);
    let rne = tmp.path().join("rne.csv");
    std::fs::copy(root().join("tests/fixtures/rne/rne-extrait.csv"), &rne).expect("rne");
    let avant = (
        contenu(&ex),
        contenu(&va),
        std::fs::read(&rne).expect("rne"),
    );
    let out = tmp.path().join("out");
    let runs: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["verifier".into(), ex.clone().into()],
        vec![
            "analyser".into(),
            ex.clone().into(),
            "--format".into(),
            "json".into(),
        ],
        vec![
            "indemnites".into(),
            ex.clone().into(),
            "--sortie".into(),
            out.join("i").into(),
        ],
        vec![
            "optimiser".into(),
            ex.clone().into(),
            "--sortie".into(),
            out.join("o").into(),
        ],
        vec![
            "rapport".into(),
            ex.clone().into(),
            "--sortie".into(),
            out.join("r").into(),
            "--optimiser".into(),
            "--balayage".into(),
        ],
        vec![
            "optimiser".into(),
            ex.clone().into(),
            "--regrouper".into(),
            "--sortie".into(),
            out.join("o2").into(),
            "--exporter-modele".into(),
            tmp.path().join("modele.lp").into(),
        ],
        vec![
            "comparer".into(),
            ex.clone().into(),
            va.clone().into(),
            "--sortie".into(),
            out.join("c").into(),
        ],
        vec![
            "importer-rne".into(),
            rne.clone().into(),
            "--commune".into(),
            "44109".into(),
            "--sortie".into(),
            out.join("n/elus.csv").into(),
        ],
    ];
    for args in runs {
        let st = collegia()
            .current_dir(tmp.path())
            .args(&args)
            .output()
            .expect("run");
        assert!(
            st.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&st.stderr)
        );
    }
    assert!(avant.0 == contenu(&ex), "data/exemple changed");
    assert!(avant.1 == contenu(&va), "the variant changed");
    assert!(
        avant.2 == std::fs::read(&rne).expect("rne"),
        "the RNE file changed"
    );
}

/// The order of délégations rows is not meaningful: shuffling them gives the same report.
#[test]
fn shuffled_delegations_give_a_byte_identical_report() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a/exemple");
    let b = tmp.path().join("b/exemple");
    copie(&root().join("data/exemple"), &a);
    copie(&root().join("data/exemple"), &b);
    let texte = std::fs::read_to_string(b.join("delegations.csv")).expect("read");
    let mut lignes: Vec<&str> = texte.lines().collect();
    let entete = lignes.remove(0);
    lignes.reverse();
    lignes.rotate_left(17);
    std::fs::write(
        b.join("delegations.csv"),
        format!("{entete}\n{}\n", lignes.join("\n")),
    )
    .expect("write");
    for (d, o) in [(&a, "ra"), (&b, "rb")] {
        collegia()
            .arg("rapport")
            .arg(d)
            .arg("--sortie")
            .arg(tmp.path().join(o))
            .assert()
            .success();
    }
    let (ra, rb) = (
        contenu(&tmp.path().join("ra")),
        contenu(&tmp.path().join("rb")),
    );
    assert_eq!(ra.keys().collect::<Vec<_>>(), rb.keys().collect::<Vec<_>>());
    for (k, v) in &ra {
        assert!(v == &rb[k], "{} differs", k);
    }
}

/// A large generated city (Lyon size): two reports are byte-identical.
#[test]
fn large_generated_scenario_reruns_byte_identical() {
    let tmp = tempfile::tempdir().expect("tmp");
    let s = tmp.path().join("lyon");
    collegia()
        .args(["generer", "lyon"])
        .arg(&s)
        .args(["--graine", "3"])
        .assert()
        .success();
    for o in ["r1", "r2"] {
        collegia()
            .arg("rapport")
            .arg(&s)
            .arg("--sortie")
            .arg(tmp.path().join(o))
            .assert()
            .success();
    }
    assert!(contenu(&tmp.path().join("r1")) == contenu(&tmp.path().join("r2")));
}

/// A scenario path full of `..` writes under ./reports/<name>, nowhere else.
#[test]
fn default_output_never_escapes_reports() {
    let tmp = tempfile::tempdir().expect("tmp");
    let cwd = tmp.path().join("travail");
    std::fs::create_dir_all(&cwd).expect("mkdir");
    let scen = root().join("tests/fixtures/minimal/../../fixtures/minimal");
    collegia()
        .current_dir(&cwd)
        .arg("rapport")
        .arg(&scen)
        .assert()
        .success();
    let tout = contenu(tmp.path());
    assert!(!tout.is_empty());
    for k in tout.keys() {
        // The lock file beside the report (docs/fiabilite.md) is the one file outside it.
        assert!(
            k.starts_with("travail/reports/minimal/") || k == "travail/reports/.minimal.collegia.verrou",
            "written outside reports/: {}",
            k
        );
    }
}

/// A closed stdout (`collegia … | head`) never makes a command panic, and the optimiser still
/// writes its proposal: every command is started with its stdout's read end closed at once.
#[test]
fn a_closed_stdout_never_panics_and_loses_no_output() {
    use std::process::{Command, Stdio};
    let tmp = tempfile::tempdir().expect("tmp");
    let prop = tmp.path().join("proposition");
    let rapport = tmp.path().join("rapport");
    let bin = assert_cmd::cargo::cargo_bin("collegia");
    let commandes: Vec<Vec<std::ffi::OsString>> = vec![
        vec!["verifier".into(), "data/exemple".into()],
        vec!["analyser".into(), "data/exemple".into()],
        vec!["bareme".into(), "--population".into(), "131842".into()],
        vec![
            "indemnites".into(),
            "data/exemple".into(),
            "--balayage".into(),
            "--sortie".into(),
            tmp.path().join("ind").into(),
        ],
        vec![
            "optimiser".into(),
            "data/exemple".into(),
            "--sortie".into(),
            prop.clone().into(),
        ],
        vec![
            "rapport".into(),
            "data/exemple".into(),
            "--sortie".into(),
            rapport.clone().into(),
        ],
    ];
    for args in commandes {
        let mut enfant = Command::new(&bin)
            .current_dir(root())
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        drop(enfant.stdout.take());
        let sortie = enfant.wait_with_output().expect("wait");
        let erreurs = String::from_utf8_lossy(&sortie.stderr);
        assert!(!erreurs.contains("panicked"), "{args:?} : {erreurs}");
        assert_eq!(sortie.status.code(), Some(0), "{args:?} : {erreurs}");
    }
    assert!(prop.join("delegations.csv").is_file(), "proposal written");
    assert!(rapport.join("index.html").is_file(), "report written");
}
