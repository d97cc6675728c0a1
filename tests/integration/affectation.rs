//! `collegia affecter`: wishes read with coded errors, the assignment on the example and on a
//! generated city, checked here independently of the library (ranks, sizes, the quartier rule),
//! byte-identical reruns, a variant every command loads, exit 2 on infeasible rules.

use crate::commun::{collegia, contenu, root};
use collegia::ingest::{load_scenario, load_voeux};
use predicates::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Every `E03x-voeu-*` fixture yields exactly the diagnostics of its `attendu-voeux.csv`.
#[test]
fn each_invalid_wishes_fixture_gives_its_coded_error_with_line() {
    let dir = root().join("tests/fixtures");
    let mut n = 0;
    for e in std::fs::read_dir(&dir)
        .expect("fixtures")
        .filter_map(Result::ok)
    {
        let case = e.path();
        let Ok(attendu) = std::fs::read_to_string(case.join("attendu-voeux.csv")) else {
            continue;
        };
        n += 1;
        let s = load_scenario(&case).expect("the scenario itself is valid");
        let err = load_voeux(&case, &s.scenario).expect_err("invalid wishes");
        let got: Vec<String> = err
            .diagnostics
            .iter()
            .map(|d| {
                assert!(!d.message.is_empty() && !d.aide.is_empty(), "{d}");
                assert!(d.colonne.is_some(), "{d}");
                format!(
                    "{};{};{}",
                    d.code,
                    Path::new(&d.fichier)
                        .file_name()
                        .map(|f| f.to_string_lossy().to_string())
                        .unwrap_or_default(),
                    d.ligne.map(|l| l.to_string()).unwrap_or_default()
                )
            })
            .collect();
        let want: Vec<String> = attendu.lines().skip(1).map(str::to_string).collect();
        assert_eq!(got, want, "case {}", case.display());
    }
    assert_eq!(n, 3);
}

use crate::commun::lignes_csv as lignes;

/// Independent check of a written assignment against the input scenario and its wishes:
/// recomputes every rank from `voeux.csv` (groups or nodes resolved by the library's loader),
/// every group size from the new `elus.csv`, and the quartier rule. Returns the worst rank.
fn verifier_independamment(scenario: &Path, sortie: &Path, min: usize, max: usize) -> u8 {
    let avant = load_scenario(scenario).expect("input").scenario;
    let voeux = load_voeux(scenario, &avant)
        .expect("wishes")
        .expect("a voeux.csv")
        .1;
    let apres = load_scenario(sortie).expect("the variant loads").scenario;
    let affectation = lignes(&std::fs::read(sortie.join("affectation.csv")).expect("csv"));
    let mut tailles: BTreeMap<String, usize> = BTreeMap::new();
    for e in &apres.elus {
        if let Some(g) = &e.groupe {
            *tailles.entry(g.clone()).or_default() += 1;
        }
    }
    let mut pire = 0;
    for l in &affectation {
        let id = &l["elu"];
        let e = apres.find_elu(id).expect("known");
        let g = apres.elus[e].groupe.clone().expect("placed");
        assert_eq!(l["groupe"], g, "{id}: affectation.csv and elus.csv agree");
        let siens: Vec<_> = voeux
            .iter()
            .filter(|v| apres.elus[v.elu].id == *id)
            .collect();
        let rang = if siens.is_empty() {
            None
        } else {
            Some(siens.iter().find(|v| v.groupe == g).map_or(6, |v| v.rang))
        };
        assert_eq!(
            l["rang"],
            rang.map(|r| r.to_string()).unwrap_or_default(),
            "{id}"
        );
        assert!(!l["raison"].is_empty(), "{id} has a reason");
        pire = pire.max(rang.unwrap_or(0));
        if apres.elus[e].est_adjoint_quartier() {
            // No new D010: the analyser itself, on the written variant.
            let d010 = |s: &collegia::model::Scenario| {
                collegia::analyse::analyser(s)
                    .constats
                    .iter()
                    .any(|f| f.code == "D010" && f.sujets.elus.contains(id))
            };
            assert!(!d010(&apres) || d010(&avant), "{id}: new D010");
        }
    }
    for (g, t) in &tailles {
        assert!((min..=max).contains(t), "group {g}: {t} members");
    }
    pire
}

#[test]
fn the_example_is_assigned_explained_and_written_as_a_loadable_variant() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    let sortie = collegia()
        .current_dir(root())
        .arg("affecter")
        .arg("data/exemple")
        .arg("--rangs-individuels")
        .arg("--sortie")
        .arg(&a)
        .assert()
        .success()
        .stdout(predicate::str::contains("optimum lexicographique prouvé"))
        // E18, adjoint de quartier des Tanneries, supports his maison de quartier, inside
        // DIR-DEMOC which E07 (G13's transversal adjointe) pilots: linked to G13 as much as to
        // G01, so his first wish is allowed (the one reading of the quartier link, model::quartier).
        .stdout(predicate::str::contains(
            "E18 Hugo Marchand : G01-education → G13-democratie, vœu n° 1",
        ))
        .stdout(predicate::str::contains(
            "E41 Monique Arnaud : — → G05-culture, vœu n° 1",
        ))
        .stdout(predicate::str::contains("taille minimale des groupes"))
        .get_output()
        .stdout
        .clone();
    let texte = String::from_utf8(sortie).expect("utf-8");
    // Every movable élu·e has a line with a rank and a reason.
    for id in ["E18", "E19", "E20", "E21"]
        .into_iter()
        .chain((28..=41).map(|k| Box::leak(format!("E{k}").into_boxed_str()) as &str))
    {
        assert!(texte.contains(&format!("  {id} ")), "{id} missing");
    }
    assert_eq!(
        verifier_independamment(&root().join("data/exemple"), &a, 2, 4),
        2
    );
    collegia()
        .arg("affecter")
        .arg(root().join("data/exemple"))
        .arg("--rangs-individuels")
        .arg("--sortie")
        .arg(&b)
        .assert()
        .success();
    assert_eq!(contenu(&a), contenu(&b), "same inputs, same bytes");
    for f in [
        "graphiques/affectation-rangs-sexe.svg",
        "graphiques/affectation-rangs-composante.png",
        "graphiques/affectation-groupes.svg",
        "regles.csv",
        "affectation.md",
    ] {
        assert!(a.join(f).is_file(), "{f}");
    }
    collegia().arg("verifier").arg(&a).assert().success();
    collegia().arg("analyser").arg(&a).assert().success();
    collegia()
        .arg("comparer")
        .arg(root().join("data/exemple"))
        .arg(&a)
        .arg("--sortie")
        .arg(tmp.path().join("cmp"))
        .assert()
        .success();
    // The variant inherits the wishes: assigning it again changes nobody.
    collegia()
        .arg("assign")
        .arg(&a)
        .arg("--sortie")
        .arg(tmp.path().join("c"))
        .assert()
        .success()
        .stdout(predicate::str::contains("0 élu·e(s) changent de groupe"));
}

#[test]
fn a_generated_city_with_seeded_wishes_is_assigned_and_checked() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let ville = tmp.path().join("ville");
    collegia()
        .args(["generer", "annecy", "--voeux", "--graine", "7"])
        .arg(&ville)
        .assert()
        .success();
    let avant = std::fs::read(ville.join("voeux.csv")).expect("voeux.csv");
    let sortie = tmp.path().join("aff");
    collegia()
        .arg("affecter")
        .arg(&ville)
        .arg("--rangs-individuels")
        .arg("--sortie")
        .arg(&sortie)
        .assert()
        .success()
        .stdout(predicate::str::contains("optimum lexicographique prouvé"));
    assert!(verifier_independamment(&ville, &sortie, 2, 4) <= 6);
    // Same seed, same wishes.
    let autre = tmp.path().join("autre");
    collegia()
        .args(["generer", "annecy", "--voeux", "--graine", "7"])
        .arg(&autre)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(autre.join("voeux.csv")).expect("voeux"),
        avant
    );
}

#[test]
fn infeasible_sizes_exit_2_with_a_french_diagnosis_and_nothing_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let sortie = tmp.path().join("x");
    collegia()
        .arg("affecter")
        .arg(root().join("tests/fixtures/affecter-infaisable"))
        .arg("--sortie")
        .arg(&sortie)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("le problème est infaisable"))
        .stderr(predicate::str::contains("18 élu·es à placer"))
        .stderr(predicate::str::contains(
            "taille maximale des groupes (taille_max)",
        ))
        .stderr(predicate::str::contains("Aucun fichier n'a été écrit."));
    assert!(!sortie.exists());
}

#[test]
fn invalid_wishes_exit_1_with_the_code_and_line() {
    let tmp = tempfile::tempdir().expect("tempdir");
    collegia()
        .arg("affecter")
        .arg(root().join("tests/fixtures/E038-voeu-double"))
        .arg("--sortie")
        .arg(tmp.path().join("x"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("[E038]"))
        .stderr(predicate::str::contains("voeux.csv, ligne 3"));
}

#[test]
fn never_writes_inside_the_scenario() {
    collegia()
        .current_dir(root())
        .args([
            "affecter",
            "data/exemple",
            "--sortie",
            "data/exemple/affectation",
        ])
        .assert()
        .code(1);
    assert!(!root().join("data/exemple/affectation").exists());
}

/// The case: an élu·e writes a node and then the group that leads it (meaning « the
/// group that will lead commerce »): no E038, the better rank counts and the output says so; a
/// node led by their own group is said plainly.
#[test]
fn a_node_wish_and_a_group_wish_naming_one_group_merge_at_the_better_rank() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let v = tmp.path().join("v");
    std::fs::create_dir(&v).expect("dir");
    std::fs::write(
        v.join("scenario.toml"),
        format!("base = {:?}\n", root().join("data/exemple")),
    )
    .expect("toml");
    // DIR-EDU is piloted by E03, who leads G01-education; SRV-SI-DATA by E35 (G11-ressources).
    std::fs::write(
        v.join("voeux.csv"),
        "elu;choix;rang\nE41;DIR-EDU;1\nE41;G01-education;2\nE35;SRV-SI-DATA;1\n",
    )
    .expect("voeux");
    collegia()
        .arg("affecter")
        .arg(&v)
        .arg("--rangs-individuels")
        .arg("--sortie")
        .arg(tmp.path().join("a"))
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "E41 Monique Arnaud : ses vœux n° 1 « DIR-EDU » (ligne 2) et n° 2 « G01-education » (ligne 3) désignent le même groupe G01-education : le meilleur rang, 1, compte",
        ))
        .stdout(predicate::str::contains(
            "E35 Sarah Benhamou : son vœu n° 1, « SRV-SI-DATA », est piloté par son propre groupe G11-ressources",
        ))
        .stdout(predicate::str::contains(
            "E41 Monique Arnaud : — → G01-education, vœu n° 1",
        ));
}

/// Délégations follow their élu·e (issue 24 item 3), checked from the files alone on generated
/// cities: the variant's analysis has no D001 nor D003 the input did not have (by node), every
/// pilote row of a member who changed group is, in the variant, either still their pilote row
/// or their appui on the same node, and the summary lists each of them.
#[test]
fn delegations_follow_their_elu_without_new_doubles_or_orphans() {
    let tmp = tempfile::tempdir().expect("tempdir");
    for (ville, graine) in [("paris", "1"), ("paris", "5"), ("annecy", "3")] {
        let v = tmp.path().join(format!("{ville}{graine}"));
        collegia()
            .args(["generer", ville, "--voeux", "--graine", graine])
            .arg(&v)
            .assert()
            .success();
        let sortie = tmp.path().join(format!("a-{ville}{graine}"));
        let out = collegia()
            .arg("affecter")
            .arg(&v)
            .arg("--sortie")
            .arg(&sortie)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let texte = String::from_utf8(out).expect("utf-8");
        let avant = load_scenario(&v).expect("input").scenario;
        let apres = load_scenario(&sortie).expect("variant").scenario;
        let cles = |s: &collegia::model::Scenario, code: &str| -> Vec<Vec<String>> {
            collegia::analyse::analyser(s)
                .constats
                .iter()
                .filter(|f| f.code == code)
                .map(|f| f.sujets.noeuds.clone())
                .collect()
        };
        for code in ["D001", "D003"] {
            let (a, b) = (cles(&avant, code), cles(&apres, code));
            // Every conflict of the variant sits on nodes a conflict of the input already had.
            for n in &b {
                assert!(
                    a.iter().any(|m| n.iter().all(|x| m.contains(x))),
                    "{ville} {graine}: new {code} on {n:?}"
                );
            }
        }
        let mut changes = 0;
        for e in 0..avant.elus.len() {
            let (ga, gb) = (&avant.elus[e].groupe, &apres.elus[e].groupe);
            if ga.is_none() || ga == gb {
                continue;
            }
            let id = &avant.elus[e].id;
            for d in avant
                .delegations
                .iter()
                .filter(|d| d.elu == e && d.role == collegia::model::Role::Pilote)
            {
                changes += 1;
                let noeud = &avant.organigramme.noeud(d.noeud).id;
                let garde = apres.delegations.iter().find(|x| {
                    apres.elus[x.elu].id == *id && apres.organigramme.noeud(x.noeud).id == *noeud
                });
                assert!(garde.is_some(), "{ville} {graine}: {id} lost {noeud}");
                assert!(
                    texte.contains(&format!("pilote de {noeud} (")),
                    "{ville} {graine}: {id} {noeud} not listed"
                );
            }
        }
        assert!(
            changes > 0,
            "{ville} {graine}: nobody moved, nothing tested"
        );
    }
}

/// Wishes are personal (issue 24 item 8): by default the summary, `affectation.md` and
/// `affectation.csv` give the ranks as counts (overall, by sex, by component), never an élu·e's
/// rank; `--rangs-individuels` adds them.
#[test]
fn ranks_are_aggregates_unless_asked_for_each_elu() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let a = tmp.path().join("a");
    let out = collegia()
        .arg("affecter")
        .arg(root().join("data/exemple"))
        .arg("--sortie")
        .arg(&a)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let texte = String::from_utf8(out).expect("utf-8");
    assert!(
        texte.contains("Rangs obtenus (effectifs, sans nom)"),
        "{texte}"
    );
    assert!(
        texte.contains("  femmes : ") && texte.contains("  hommes : "),
        "{texte}"
    );
    // Every movable élu·e is named with their group, none with a rank.
    for l in texte.lines().filter(|l| l.starts_with("  E")) {
        assert!(!l.contains("vœu n°") && !l.contains("sans vœu"), "{l}");
    }
    let md = std::fs::read_to_string(a.join("affectation.md")).expect("md");
    assert!(
        !md.lines()
            .any(|l| l.starts_with("  E") && l.contains("vœu n°"))
    );
    let csv = lignes(&std::fs::read(a.join("affectation.csv")).expect("csv"));
    assert!(!csv.is_empty() && csv.iter().all(|l| !l.contains_key("rang")));
    // The counts add up to the élu·es who made wishes (16 in the example's voeux.csv).
    let ensemble = texte
        .lines()
        .find(|l| l.starts_with("  ensemble : "))
        .expect("overall line");
    let total: usize = ensemble
        .trim_start_matches("  ensemble : ")
        .split(", ")
        .filter_map(|x| x.split(' ').next()?.parse::<usize>().ok())
        .sum();
    let s = load_scenario(&root().join("data/exemple"))
        .expect("example")
        .scenario;
    let voeux = load_voeux(&root().join("data/exemple"), &s)
        .expect("ok")
        .expect("voeux")
        .1;
    let avec: std::collections::BTreeSet<usize> = voeux.iter().map(|v| v.elu).collect();
    assert_eq!(total, avec.len(), "{ensemble}");
}
