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
            k.starts_with("travail/reports/minimal/")
                || k == "travail/reports/.minimal.collegia.verrou",
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

// ---------------------------------------------------------------------------------------------
// Issue 15: nothing lost, ever.

/// A copy of `data/exemple` in `dst`, with a subfolder `sous` (for the link tests).
fn exemple(dst: &Path) {
    copie(&root().join("data/exemple"), dst);
    std::fs::create_dir_all(dst.join("sous")).expect("mkdir");
}

/// Item 1: `optimiser A --sortie B`, B another scenario, leaves B untouched without --force.
#[test]
fn optimiser_into_another_scenario_is_refused_without_force() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    exemple(&a);
    copie(&root().join("data/exemple"), &b);
    let avant = contenu(&b);
    collegia()
        .arg("optimiser")
        .arg(&a)
        .arg("--sortie")
        .arg(&b)
        .arg("--limite-temps")
        .arg("20")
        .assert()
        .code(1)
        .stderr(predicates::str::contains("n'a pas été écrit par collegia"));
    assert!(contenu(&b) == avant, "the other scenario was modified");
    // A folder that collegia wrote is replaced without --force, and marked.
    let p = tmp.path().join("p");
    for _ in 0..2 {
        collegia()
            .arg("optimiser")
            .arg(&a)
            .arg("--sortie")
            .arg(&p)
            .arg("--limite-temps")
            .arg("20")
            .assert()
            .success();
    }
    assert!(p.join(".collegia").is_file());
}

/// Item 2: a link planted inside the report (`proposition` → the input) is replaced, not
/// followed.
#[cfg(unix)]
#[test]
fn a_link_inside_the_output_never_sends_a_write_to_the_input() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    exemple(&a);
    let avant = contenu(&a);
    let out = tmp.path().join("out");
    collegia()
        .arg("rapport")
        .arg(&a)
        .arg("--sortie")
        .arg(&out)
        .assert()
        .success();
    std::os::unix::fs::symlink(&a, out.join("proposition")).expect("link");
    collegia()
        .arg("rapport")
        .arg(&a)
        .arg("--sortie")
        .arg(&out)
        .arg("--optimiser")
        .arg("--limite-temps")
        .arg("20")
        .assert()
        .success();
    assert!(
        contenu(&a) == avant,
        "the input was modified through the link"
    );
    assert!(
        !std::fs::symlink_metadata(out.join("proposition"))
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    assert!(out.join("proposition/delegations.csv").is_file());
}

/// Item 3: `--sortie LIEN/..` is the folder above the link's target (the input scenario here).
#[cfg(unix)]
#[test]
fn an_output_spelt_through_a_link_and_dotdot_is_refused() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("data/a");
    exemple(&a);
    let avant = contenu(&a);
    let travail = tmp.path().join("travail");
    std::fs::create_dir_all(&travail).expect("mkdir");
    std::os::unix::fs::symlink(a.join("sous"), travail.join("lien")).expect("link");
    for commande in ["optimiser", "rapport"] {
        collegia()
            .current_dir(&travail)
            .arg(commande)
            .arg(&a)
            .arg("--sortie")
            .arg("lien/..")
            .assert()
            .code(1);
        assert!(contenu(&a) == avant, "{commande} modified the input");
    }
}

/// Item 4: `generer` never replaces an existing file without --force, even without
/// `scenario.toml` (the folder `importer-rne` writes and the user completes by hand).
#[test]
fn generer_never_replaces_an_existing_file_without_force() {
    let tmp = tempfile::tempdir().expect("tmp");
    let d = tmp.path().join("nantes");
    std::fs::create_dir_all(&d).expect("mkdir");
    std::fs::write(d.join("elus.csv"), "complété à la main").expect("write");
    collegia()
        .arg("generer")
        .arg("petite")
        .arg(&d)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("existe déjà"));
    assert_eq!(
        std::fs::read_to_string(d.join("elus.csv")).expect("read"),
        "complété à la main"
    );
    assert!(!d.join("scenario.toml").exists(), "nothing written");
    collegia()
        .arg("generer")
        .arg("petite")
        .arg(&d)
        .arg("--force")
        .assert()
        .success();
    assert!(d.join("scenario.toml").is_file());
}

/// Item 5: `importer-rne --force` never overwrites its own input, however the output is spelt.
#[test]
fn importer_rne_never_overwrites_its_input_even_with_force() {
    let tmp = tempfile::tempdir().expect("tmp");
    let rne = tmp.path().join("rne.csv");
    std::fs::copy(root().join("tests/fixtures/rne/rne-extrait.csv"), &rne).expect("copy");
    let avant = std::fs::read(&rne).expect("read");
    let mut sorties: Vec<std::ffi::OsString> = vec!["./rne.csv".into(), rne.clone().into()];
    std::fs::create_dir_all(tmp.path().join("sous")).expect("mkdir");
    sorties.push("sous/../rne.csv".into());
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&rne, tmp.path().join("lien.csv")).expect("link");
        std::fs::hard_link(&rne, tmp.path().join("dur.csv")).expect("hard link");
        sorties.push("lien.csv".into());
        sorties.push("dur.csv".into());
    }
    for s in sorties {
        collegia()
            .current_dir(tmp.path())
            .args(["importer-rne", "rne.csv", "--commune", "44109", "--force"])
            .arg("--sortie")
            .arg(&s)
            .assert()
            .code(1)
            .stderr(predicates::str::contains("fichier d'entrée"));
        assert_eq!(std::fs::read(&rne).expect("read"), avant, "{s:?}");
    }
}

/// Item 7: a report keeps no file of an earlier run (another city's lettres, a stale
/// `proposition/`): the folder is exactly what a first run into an empty folder gives.
#[test]
fn a_report_keeps_no_file_of_an_earlier_run() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (out, neuf) = (tmp.path().join("out"), tmp.path().join("neuf"));
    collegia()
        .args([
            "rapport",
            "data/exemple",
            "--optimiser",
            "--limite-temps",
            "20",
        ])
        .arg("--sortie")
        .arg(&out)
        .assert()
        .success();
    assert!(out.join("proposition").is_dir());
    for d in [&out, &neuf] {
        collegia()
            .args(["rapport", "tests/fixtures/minimal", "--sortie"])
            .arg(d)
            .assert()
            .success();
    }
    assert!(contenu(&out) == contenu(&neuf), "stale files survived");
    assert!(!out.join("proposition").exists());
    let a_cote: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.contains(".collegia-"))
        .collect();
    assert!(a_cote.is_empty(), "temporaries left: {a_cote:?}");
}

/// Item 7: SIGTERM while a run waits for the lock of its output (after writing its fresh
/// folder) removes the fresh folder and leaves the previous report whole; the lock is what
/// keeps two runs from interleaving.
#[cfg(target_os = "linux")]
#[test]
fn sigterm_removes_temporaries_and_the_lock_serialises_runs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    collegia()
        .args(["rapport", "tests/fixtures/minimal", "--sortie"])
        .arg(&out)
        .assert()
        .success();
    let avant = contenu(&out);
    // Hold the output's lock, as a concurrent run would.
    let verrou = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(tmp.path().join(".out.collegia.verrou"))
        .expect("lock file");
    rustix::fs::flock(&verrou, rustix::fs::FlockOperation::LockExclusive).expect("lock");
    let mut enfant = std::process::Command::new(assert_cmd::cargo::cargo_bin("collegia"))
        .current_dir(root())
        .args(["rapport", "data/exemple", "--sortie"])
        .arg(&out)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let neuf = || {
        std::fs::read_dir(tmp.path())
            .expect("dir")
            .filter_map(Result::ok)
            .any(|e| e.file_name().to_string_lossy().contains(".collegia-neuf-"))
    };
    let debut = std::time::Instant::now();
    while !neuf() {
        assert!(
            debut.elapsed() < std::time::Duration::from_secs(120),
            "the run never wrote its fresh folder"
        );
        assert!(
            enfant.try_wait().expect("wait").is_none(),
            "the run ended without waiting for the lock"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(
        enfant.try_wait().expect("wait").is_none(),
        "the run did not wait for the lock"
    );
    std::process::Command::new("kill")
        .args(["-TERM", &enfant.id().to_string()])
        .status()
        .expect("kill");
    let statut = enfant.wait().expect("wait");
    assert_eq!(statut.code(), Some(143));
    assert!(!neuf(), "the fresh folder was left behind");
    assert!(contenu(&out) == avant, "the previous report changed");
}

/// Item 8: output files honour the umask, as `cp` would (not the temporary file's 0600).
#[cfg(unix)]
#[test]
fn output_files_honour_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("out");
    let bin = assert_cmd::cargo::cargo_bin("collegia");
    let ok = std::process::Command::new("sh")
        .current_dir(root())
        .arg("-c")
        .arg("umask 022 && exec \"$0\" \"$@\"")
        .arg(&bin)
        .args(["rapport", "tests/fixtures/minimal", "--sortie"])
        .arg(&out)
        .status()
        .expect("sh");
    assert!(ok.success());
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&out.join("index.html")), 0o644);
    assert_eq!(mode(&out.join("tableaux")), 0o755);
    assert_eq!(mode(&out), 0o755);
}

/// Item 9: the proposal's CSVs neutralise formula-looking cells, and the proposal still loads
/// with the same ids and libellés.
#[test]
fn proposal_csvs_are_neutralised_and_load_back_identically() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    copie(&root().join("tests/fixtures/injection"), &a);
    copie(
        &root().join("tests/fixtures/minimal"),
        &tmp.path().join("minimal"),
    );
    for f in ["elus.csv", "delegations.csv", "verrous.csv"] {
        let p = a.join(f);
        if let Ok(t) = std::fs::read_to_string(&p) {
            std::fs::write(&p, t.replace("E04", "-E04").replace("E02;", "=E02;")).expect("write");
        }
    }
    collegia().arg("verifier").arg(&a).assert().success();
    let p = tmp.path().join("p");
    collegia()
        .arg("optimiser")
        .arg(&a)
        .arg("--sortie")
        .arg(&p)
        .arg("--limite-temps")
        .arg("20")
        .assert()
        .success();
    for f in ["delegations.csv", "changements.csv"] {
        let t = std::fs::read_to_string(p.join(f)).expect("read");
        for (i, ligne) in t.lines().enumerate() {
            for cellule in ligne.split(';') {
                let c = cellule.trim_start_matches('"');
                assert!(
                    !matches!(c.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')),
                    "{f} line {}: {cellule}",
                    i + 1
                );
            }
        }
    }
    let t = std::fs::read_to_string(p.join("delegations.csv")).expect("read");
    assert!(t.contains("'-E04") && t.contains("'=E02"), "{t}");
    let base = collegia::ingest::load_scenario(&a).expect("base");
    let prop = collegia::ingest::load_scenario(&p).expect("the proposal loads");
    let libelles = |s: &collegia::model::Scenario| {
        let mut v: Vec<(String, String)> = s
            .delegations
            .iter()
            .map(|d| (s.elus[d.elu].id.clone(), d.libelle.clone()))
            .collect();
        v.sort();
        v
    };
    let (lb, lp) = (libelles(&base.scenario), libelles(&prop.scenario));
    assert!(lp.iter().any(|(id, _)| id == "-E04"));
    assert!(lp.iter().any(|(_, l)| l.starts_with("-2+3")), "{lp:?}");
    for x in &lp {
        assert!(lb.contains(x), "{x:?} not in the base");
    }
}

/// Item 10: a numeric option out of bounds is a French usage error (64), never a panic (101).
#[test]
fn numeric_options_are_bounded_in_french() {
    for args in [
        vec!["optimiser", "data/exemple", "--limite-temps", "1e20"],
        vec!["optimiser", "data/exemple", "--limite-temps", "inf"],
        vec!["optimiser", "data/exemple", "--ecart-max", "NaN"],
        vec![
            "rapport",
            "data/exemple",
            "--optimiser",
            "--limite-temps",
            "1e300",
        ],
        vec!["bareme", "--population", "99999999999"],
        vec!["bareme", "--population", "5000", "--taux-sinistre", "1e308"],
        vec![
            "importer-rne",
            "x.csv",
            "--commune",
            "44109",
            "--population=-1",
        ],
    ] {
        collegia()
            .args(&args)
            .assert()
            .code(64)
            .stderr(predicates::str::contains("Erreur d'utilisation"))
            .stderr(predicates::str::contains("est attendu"));
    }
}

/// Item 12: 900 groups in `rapport` (within the 1 000 élu·es ingest accepts, E021): bounded charts with a French note, never a chart as
/// wide as the number of groups.
#[test]
fn many_groups_give_bounded_charts_with_a_note() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    copie(&root().join("tests/fixtures/minimal"), &a);
    let elus = std::fs::read_to_string(a.join("elus.csv")).expect("read");
    let mut e = elus.trim_end().to_string();
    let mut d = std::fs::read_to_string(a.join("delegations.csv"))
        .expect("read")
        .trim_end()
        .to_string();
    let mut o = std::fs::read_to_string(a.join("organigramme.csv"))
        .expect("read")
        .trim_end()
        .to_string();
    // 900 groups, each piloting its own service (in 50 pôles).
    for k in 0..50 {
        o.push_str(&format!("\nP{k:02};Pôle {k};DGS;DGA;1;;ville;;"));
    }
    for i in 0..900 {
        o.push_str(&format!(
            "\nS{i:04};Service {i};P{:02};service;{};;ville;;",
            i % 50,
            1 + i % 7
        ));
        e.push_str(&format!(
            "\nX{i:04};Nom{i};Prénom;F;conseiller_delegue;;GX{i:04};majorite;;;;;;"
        ));
        d.push_str(&format!("\nX{i:04};S{i:04};pilote;Service {i}"));
    }
    std::fs::write(a.join("organigramme.csv"), o + "\n").expect("write");
    std::fs::write(a.join("elus.csv"), e + "\n").expect("write");
    std::fs::write(a.join("delegations.csv"), d + "\n").expect("write");
    let out = tmp.path().join("out");
    collegia()
        .arg("rapport")
        .arg(&a)
        .arg("--sortie")
        .arg(&out)
        .assert()
        .success();
    let png = std::fs::read(out.join("graphiques/couverture-poles-groupes.png")).expect("png");
    // PNG header: width and height, big-endian, at bytes 16..24.
    let w = u32::from_be_bytes([png[16], png[17], png[18], png[19]]);
    let h = u32::from_be_bytes([png[20], png[21], png[22], png[23]]);
    assert!(u64::from(w) * u64::from(h) <= 5_000_000, "{w}×{h}");
    let html = std::fs::read_to_string(out.join("index.html")).expect("html");
    assert!(html.contains("sont dessinés"), "the note on the cut");
}

/// Item 12: the analysis's memory grows with what the délégations cover (each node keeps the
/// pilotes it inherits): past the documented bound the scenario is refused at ingest with a
/// coded E021 on `delegations.csv`, before any analysis allocates. 450 délégations on a pôle of
/// 5 000 services cover 2,25 million (délégation, node) pairs.
#[test]
fn delegations_covering_too_much_are_a_coded_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    copie(&root().join("tests/fixtures/minimal"), &a);
    let lire = |f: &str| {
        std::fs::read_to_string(a.join(f))
            .expect("read")
            .trim_end()
            .to_string()
    };
    let (mut o, mut e, mut d) = (
        lire("organigramme.csv"),
        lire("elus.csv"),
        lire("delegations.csv"),
    );
    for i in 0..5_000 {
        o.push_str(&format!("\nS{i:05};Service {i};DGA-RES;service;1;;ville;;"));
    }
    for i in 0..450 {
        e.push_str(&format!(
            "\nC{i:03};Nom{i};Prénom;F;conseiller_delegue;;G1;majorite;;;;;6;"
        ));
        d.push_str(&format!("\nC{i:03};DGA-RES;appui;Appui {i}"));
    }
    for (f, t) in [
        ("organigramme.csv", o),
        ("elus.csv", e),
        ("delegations.csv", d),
    ] {
        std::fs::write(a.join(f), t + "\n").expect("write");
    }
    let sortie = collegia().arg("verifier").arg(&a).output().expect("runs");
    assert_eq!(sortie.status.code(), Some(1));
    let err = String::from_utf8_lossy(&sortie.stderr);
    let ligne = err
        .lines()
        .find(|l| l.contains("[E021]"))
        .unwrap_or_else(|| panic!("an E021: {err}"));
    // The number covered is printed in full, above the bound.
    let couvert: usize = ligne
        .split("couvrent ensemble ")
        .nth(1)
        .and_then(|x| x.split(" nœuds").next())
        .map(|x| x.replace([' ', '\u{202f}', '\u{a0}'], ""))
        .and_then(|x| x.parse().ok())
        .unwrap_or_else(|| panic!("a count in {ligne}"));
    assert!(couvert > 2_250_000, "{ligne}");
    assert!(ligne.contains("les 455 délégations"), "{ligne}");
}

/// The number of délégations is bounded too: 10 001 rows (without a service, so that no other
/// rule fires) are refused with E021 on `delegations.csv`.
#[test]
fn too_many_delegations_are_a_coded_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    copie(&root().join("tests/fixtures/minimal"), &a);
    let mut d = std::fs::read_to_string(a.join("delegations.csv"))
        .expect("read")
        .trim_end()
        .to_string();
    let deja = d.lines().count() - 1;
    for i in 0..10_001 - deja {
        d.push_str(&format!("\nE04;;appui;Mission {i}"));
    }
    std::fs::write(a.join("delegations.csv"), d + "\n").expect("write");
    collegia()
        .arg("verifier")
        .arg(&a)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("[E021]"))
        .stderr(predicates::str::contains("10\u{202f}001 délégations"));
}

/// Issue 26 item 8: the bound measures what it protects. 108 délégations on the services of a
/// 19 000-node organigramme (2 052 000 nodes × délégations, refused by the old product bound)
/// cover a few hundred nodes: the scenario loads.
#[test]
fn a_large_organigramme_with_few_delegations_loads() {
    let tmp = tempfile::tempdir().expect("tmp");
    let a = tmp.path().join("a");
    copie(&root().join("tests/fixtures/minimal"), &a);
    let lire = |f: &str| {
        std::fs::read_to_string(a.join(f))
            .expect("read")
            .trim_end()
            .to_string()
    };
    let (mut o, mut d) = (lire("organigramme.csv"), lire("delegations.csv"));
    let noeuds_avant = o.lines().count() - 1;
    for i in 0..19_000 - noeuds_avant {
        o.push_str(&format!("\nS{i:05};Service {i};DIR-FIN;service;1;;ville;;"));
    }
    for i in 0..108 - (d.lines().count() - 1) {
        d.push_str(&format!("\nE04;S{i:05};appui;Appui {i}"));
    }
    std::fs::write(a.join("organigramme.csv"), o + "\n").expect("write");
    std::fs::write(a.join("delegations.csv"), d + "\n").expect("write");
    collegia()
        .arg("verifier")
        .arg(&a)
        .assert()
        .success()
        .stderr(predicates::prelude::PredicateBooleanExt::not(
            predicates::str::contains("[E021]"),
        ));
}

/// Issue 26 item 6: `optimiser x` then `rapport x` with default outputs share `reports/x`: no
/// refusal, and the report (rerun too) keeps the optimiser's proposal and the tableau annexe of
/// `indemnites`; `rapport --optimiser`, which writes its own proposal, says it replaces the
/// optimiser's.
#[test]
fn optimiser_then_rapport_share_the_default_output() {
    let tmp = tempfile::tempdir().expect("tmp");
    copie(
        &root().join("tests/fixtures/minimal"),
        &tmp.path().join("x"),
    );
    let lancer = |args: &[&str]| {
        let s = collegia()
            .current_dir(tmp.path())
            .args(args)
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&s.stderr).to_string();
        assert_eq!(s.status.code(), Some(0), "{args:?}: {err}");
        err
    };
    lancer(&["optimiser", "x", "--limite-temps", "20"]);
    let x = tmp.path().join("reports/x");
    let proposition = contenu(&x.join("proposition"));
    assert!(
        proposition.contains_key("delegations.csv"),
        "{:?}",
        proposition.keys()
    );
    lancer(&["indemnites", "x"]);
    for _ in 0..2 {
        let err = lancer(&["rapport", "x"]);
        assert!(!err.contains("Remarque"), "{err}");
        assert!(x.join("index.html").is_file());
        assert!(
            contenu(&x.join("proposition")) == proposition,
            "proposal kept"
        );
        assert!(
            x.join("indemnites-tableau-annexe.csv").is_file(),
            "annexe kept"
        );
    }
    let err = lancer(&["rapport", "x", "--optimiser", "--limite-temps", "20"]);
    assert!(
        err.contains("Remarque") && err.contains("collegia optimiser"),
        "{err}"
    );
}
