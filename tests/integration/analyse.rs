//! `collegia analyser`: findings on fixtures, the bundled example (golden file), the real Nouméa
//! tree, the CLI, and property tests of coverage on random trees.

use assert_cmd::Command;
use collegia::analyse::couverture::orphelins;
use collegia::analyse::rattachements::doubles;
use collegia::analyse::{Analyse, Couverture, Famille, Graphe, Gravite, Porteur, analyser};
use collegia::ingest::load_scenario;
use collegia::model::{
    Axe, Delegation, Elu, Entite, Fonction, GroupesParams, IndemnitesParams, Liste, Niveau, Noeud,
    Organigramme, Role, Scenario, ScenarioParams, Sexe,
};
use predicates::prelude::*;
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn chemin(rel: &str) -> PathBuf {
    root().join(rel)
}

fn analyse(rel: &str) -> Analyse {
    let c = load_scenario(&chemin(rel)).expect("valid scenario");
    analyser(&c.scenario)
}

/// (code, nodes, élu·es) of every finding with one of the codes, in output order.
fn constats(a: &Analyse, codes: &[&str]) -> Vec<(String, Vec<String>, Vec<String>)> {
    a.constats
        .iter()
        .filter(|f| codes.contains(&f.code.as_str()))
        .map(|f| {
            (
                f.code.clone(),
                f.sujets.noeuds.clone(),
                f.sujets.elus.clone(),
            )
        })
        .collect()
}

/// (code, severity, nodes, élu·es, groups) of a finding.
type Resume = (String, Gravite, Vec<String>, Vec<String>, Vec<String>);

fn v(x: &[&str]) -> Vec<String> {
    x.iter().map(|s| (*s).to_string()).collect()
}

#[test]
fn example_gives_exactly_the_planted_problems() {
    let a = analyse("data/exemple");
    // The planted problems are the pacte's families; the legal family must hold only
    // information (open legal points, the maire's rate below the barème): the composition of the
    // example is legal.
    for f in a.constats.iter().filter(|f| f.famille == Famille::Legal) {
        assert_eq!(f.gravite, Gravite::Info, "{}: {}", f.code, f.message);
    }
    assert!(
        a.de_code("L101").next().is_some(),
        "the 2025 barème's open point applies"
    );
    // D014 (services of the agglomération, the CCAS, mutualisés) has its own test below.
    let resume: Vec<Resume> = a
        .constats
        .iter()
        .filter(|f| f.famille != Famille::Legal && f.code != "D014")
        .map(|f| {
            (
                f.code.clone(),
                f.gravite,
                f.sujets.noeuds.clone(),
                f.sujets.elus.clone(),
                f.sujets.groupes.clone(),
            )
        })
        .collect();
    let attendu = vec![
        (
            "D001".to_string(),
            Gravite::Erreur,
            v(&["DIR-EDU", "SRV-EDU-PERISCO"]),
            v(&["E03", "E29"]),
            v(&["G01-education", "G02-enfance-jeunesse"]),
        ),
        (
            "D001".into(),
            Gravite::Erreur,
            v(&["SRV-ASSO-EVENT"]),
            v(&["E12", "E31"]),
            v(&["G05-culture", "G06-sport-vie-associative"]),
        ),
        (
            "D002".into(),
            Gravite::Erreur,
            v(&["DIR-PATRIBAT", "DIR-TRANSITION", "SRV-BAT-ENERGIE"]),
            v(&["E06", "E14"]),
            v(&["G09-espaces-publics", "G14-transition"]),
        ),
        (
            "D003".into(),
            Gravite::Erreur,
            v(&["SRV-ARCHIVES"]),
            v(&[]),
            v(&[]),
        ),
        (
            "D003".into(),
            Gravite::Erreur,
            v(&["SRV-ASSO-JUMELAGE"]),
            v(&[]),
            v(&[]),
        ),
        (
            "D003".into(),
            Gravite::Erreur,
            v(&["SRV-CIMETIERES"]),
            v(&[]),
            v(&[]),
        ),
        (
            "D004".into(),
            Gravite::Alerte,
            v(&[
                "DGA-AMEN",
                "DGA-CITOY",
                "DGA-ESP",
                "DIR-DOMPUB",
                "DIR-PM",
                "DIR-PREV",
                "DIR-PROPRETE",
                "SRV-PREV-MEDIATION",
                "SRV-PREV-RISQUES",
            ]),
            v(&["E10", "E36"]),
            v(&["G12-tranquillite"]),
        ),
        ("D009".into(), Gravite::Alerte, v(&[]), v(&["E41"]), v(&[])),
        ("D011".into(), Gravite::Info, v(&[]), v(&["E42"]), v(&[])),
        ("D011".into(), Gravite::Info, v(&[]), v(&["E43"]), v(&[])),
    ];
    assert_eq!(resume, attendu);
    assert!(a.a_des_erreurs());
    // Every axis reaches every pôle it is tagged in.
    assert!(
        a.metriques
            .axes
            .iter()
            .all(|x| x.poles_non_atteints.is_empty())
    );
}

#[test]
fn example_metrics_are_consistent() {
    let a = analyse("data/exemple");
    let m = &a.metriques;
    let somme: f64 = m.porteurs.iter().map(|c| c.effectif).sum();
    assert!((somme - m.effectif_attribue).abs() < 1e-6);
    let orphelins: f64 = a.de_code("D003").filter_map(|f| f.effectif).sum();
    // Unattributed staff = the orphans' plus the DGS and DGA teams (5 + 2,5×5 + 3,5×2).
    assert!((m.effectif_total - m.effectif_attribue - orphelins - 24.5).abs() < 1e-6);
    let g12 = Porteur::Groupe("G12-tranquillite".into());
    assert_eq!(m.porteur(&g12).expect("G12").poles.len(), 3);
    assert!((m.effectif_pole(Some("DGA-AMEN"), &g12) - 18.5).abs() < 1e-9);
    let e03 = m.elu("E03").expect("E03");
    assert!(e03.chef_de_file);
    assert!(!m.elu("E18").expect("E18").chef_de_file);
    assert_eq!(
        m.elu("E06").expect("E06").axe.as_deref(),
        Some("transition")
    );
    assert!(m.gini_groupes > 0.0 && m.gini_groupes < 1.0);
}

#[test]
fn example_table_matches_the_golden_file() {
    let a = analyse("data/exemple");
    let texte = collegia::report::analyse::table(&a);
    let golden = chemin("tests/golden/analyse-exemple.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(golden.parent().expect("parent")).expect("mkdir");
        std::fs::write(&golden, &texte).expect("write golden");
    }
    let attendu = std::fs::read_to_string(&golden)
        .expect("tests/golden/analyse-exemple.txt (create it with UPDATE_GOLDEN=1)");
    assert_eq!(
        texte, attendu,
        "table output changed: review, then UPDATE_GOLDEN=1 cargo test"
    );
}

#[test]
fn variant_has_no_double_and_no_orphan() {
    let a = analyse("data/exemple-variante");
    assert!(!a.a_des_erreurs(), "{:#?}", a.constats);
    let codes: Vec<&str> = a
        .constats
        .iter()
        .filter(|f| f.famille != Famille::Legal && f.code != "D014")
        .map(|f| f.code.as_str())
        .collect();
    assert_eq!(codes, vec!["D004", "D009", "D011", "D011"]);
}

/// D014: the example's CCAS, agglomération and mutualised services piloted by délégation.
#[test]
fn example_pilots_of_services_not_the_communes_get_d012() {
    let a = analyse("data/exemple");
    let d012: Vec<_> = a.constats.iter().filter(|f| f.code == "D014").collect();
    assert_eq!(d012.len(), 15);
    // The vice-présidente du CCAS pilots its two directions: one alerte naming both.
    let e05 = d012
        .iter()
        .find(|f| f.sujets.elus == v(&["E05"]))
        .expect("E05");
    assert_eq!(e05.gravite, Gravite::Alerte);
    assert_eq!(
        e05.sujets.noeuds,
        v(&["DIR-ACTSOC", "DIR-AUTONOMIE", "SRV-LOG-PREVEXP"])
    );
    assert!(e05.message.contains("service du CCAS"));
    assert!(e05.regle.contains("L2122-18"));
    // Only mutualised services: an info.
    assert!(d012.iter().any(|f| f.gravite == Gravite::Info));
}

#[test]
fn fixture_double_is_d001_at_the_service() {
    let a = analyse("tests/fixtures/analyse-double");
    assert_eq!(
        constats(&a, &["D001", "D002", "D003"]),
        vec![(
            "D001".to_string(),
            v(&["DGA-VIE", "SRV-RESTO"]),
            v(&["E03", "E04"])
        )]
    );
}

#[test]
fn fixture_orphan_direction_is_reported_once() {
    let a = analyse("tests/fixtures/analyse-orphelin");
    assert_eq!(
        constats(&a, &["D001", "D002", "D003"]),
        vec![("D003".to_string(), v(&["DIR-CIT"]), v(&[]))]
    );
    let f = a.de_code("D003").next().expect("D003");
    assert_eq!(f.effectif, Some(10.0));
    assert!(f.message.contains("SRV-ETATCIVIL"), "{}", f.message);
}

#[test]
fn fixture_groups_flags_the_lone_conseillere_and_the_one_member_group() {
    let a = analyse("tests/fixtures/analyse-groupes");
    assert_eq!(
        constats(&a, &["D001", "D007", "D008", "D009"]),
        vec![
            // Without group, E05 is a porteur of her own inside G2's pôle.
            (
                "D001".to_string(),
                v(&["DGA-VIE", "SRV-RESTO"]),
                v(&["E03", "E05"])
            ),
            ("D008".to_string(), v(&[]), v(&["E03"])),
            ("D009".to_string(), v(&[]), v(&["E05"])),
        ]
    );
}

#[test]
fn real_noumea_tree_with_handwritten_delegations() {
    let a = analyse("tests/fixtures/noumea-delegations");
    assert_eq!(
        constats(&a, &["D001"]),
        vec![("D001".to_string(), v(&["DASP", "SAPEC"]), v(&["A3", "A4"]))]
    );
    let orphelins: Vec<String> = a
        .de_code("D003")
        .map(|f| f.sujets.noeuds.join(","))
        .collect();
    assert_eq!(
        orphelins,
        v(&["CPA", "CVE", "SCAF", "SG-SAC", "SMP", "SOC"])
    );
    let dispersion: Vec<Vec<String>> = a
        .de_code("D004")
        .map(|f| f.sujets.groupes.clone())
        .collect();
    assert_eq!(
        dispersion,
        vec![v(&["G5-environnement"]), v(&["G3-cadre-de-vie"])]
    );
    assert_eq!(
        constats(&a, &["D009", "D010", "D011"]),
        vec![
            ("D009".to_string(), v(&[]), v(&["C9"])),
            ("D010".to_string(), v(&["SVQ-PVCM"]), v(&["A5", "Q5"])),
            ("D011".to_string(), v(&[]), v(&["K"])),
        ]
    );
}

// ── CLI ──────────────────────────────────────────────────────────────────────────────────────

fn collegia() -> Command {
    Command::cargo_bin("collegia").expect("binary built")
}

#[test]
fn cli_analyser_exits_0_and_strict_exits_3_on_the_example() {
    collegia()
        .current_dir(root())
        .args(["analyser", "data/exemple"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "36 constats : 6 erreurs, 9 alertes, 21 infos",
        ));
    collegia()
        .current_dir(root())
        .args(["analyse", "data/exemple", "--strict"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("Mode strict : 6 erreurs"));
    collegia()
        .current_dir(root())
        .args(["analyser", "data/exemple-variante", "--strict"])
        .assert()
        .code(0);
}

#[test]
fn cli_analyser_csv_and_json() {
    let out = collegia()
        .current_dir(root())
        .args(["analyser", "data/exemple", "--format", "csv"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).expect("utf-8");
    let lignes: Vec<&str> = csv.lines().collect();
    assert_eq!(lignes.len(), 37);
    // UTF-8 BOM first, so that a French Excel reads the accents.
    assert!(lignes[0].starts_with("\u{feff}code;gravite;famille;noeuds;elus;groupes;effectif;"));
    assert!(lignes[1].starts_with("D001;erreur;rattachements;DIR-EDU|SRV-EDU-PERISCO;E03|E29;"));
    assert!(lignes[1].contains(";144,5;"), "{}", lignes[1]);

    let out = collegia()
        .current_dir(root())
        .args(["analyser", "data/exemple", "--format", "json"])
        .output()
        .expect("run");
    assert!(out.status.success());
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(j["constats"].as_array().map(Vec::len), Some(36));
    assert_eq!(j["constats"][0]["code"], "D001");
    assert_eq!(j["constats"][0]["gravite"], "erreur");
    assert!(
        j["metriques"]["matrice"]
            .as_array()
            .is_some_and(|m| !m.is_empty())
    );
}

#[test]
fn cli_analyser_rejects_an_unknown_format_and_a_bad_scenario() {
    collegia()
        .current_dir(root())
        .args(["analyser", "data/exemple", "--format", "xlsx"])
        .assert()
        .code(64)
        .stderr(predicate::str::contains("valeurs permises"));
    collegia()
        .current_dir(root())
        .args(["analyser", "tests/fixtures/E005-parent-inconnu"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("E005"));
}

#[test]
fn analysis_is_deterministic() {
    let a = collegia::report::analyse::json(&analyse("data/exemple")).expect("json");
    let b = collegia::report::analyse::json(&analyse("data/exemple")).expect("json");
    assert_eq!(a, b);
}

// ── Properties on random trees ───────────────────────────────────────────────────────────────

/// A random scenario: a tree of `parents.len() + 1` nodes (node i+1's parent is
/// `parents[i] % (i + 1)`), every leaf with staff, élu·es in groups 0..3 or none, délégations.
fn scenario_aleatoire(
    parents: &[usize],
    groupes: &[Option<u8>],
    dels: &[(usize, usize, bool)],
) -> Scenario {
    let n = parents.len() + 1;
    let mut noeuds: Vec<Noeud> = Vec::with_capacity(n);
    for i in 0..n {
        let parent = if i == 0 {
            None
        } else {
            Some(parents[i - 1] % i)
        };
        let profondeur = parent.map_or(0, |p| noeuds[p].profondeur + 1);
        noeuds.push(Noeud {
            id: format!("N{i:02}"),
            libelle: format!("Nœud {i}"),
            parent,
            niveau: Niveau::from_depth(profondeur),
            effectif: 0.0,
            budget: 0.0,
            entite: Entite::Ville,
            axes: vec![],
            secondaires: vec![],
            territoire: None,
            estime: false,
            enfants: vec![],
            profondeur,
            ligne: i + 2,
        });
    }
    for i in 1..n {
        if let Some(p) = noeuds[i].parent {
            noeuds[p].enfants.push(i);
        }
    }
    for x in noeuds.iter_mut() {
        x.effectif = if x.enfants.is_empty() { 1.0 } else { 0.5 };
    }
    let elus: Vec<Elu> = groupes
        .iter()
        .enumerate()
        .map(|(i, g)| Elu {
            id: format!("E{i}"),
            nom: format!("Nom{i}"),
            prenom: "P".into(),
            sexe: Sexe::F,
            fonction: Fonction::ConseillerDelegue,
            rang: None,
            groupe: g.map(|g| format!("G{g}")),
            liste: Liste::Majorite,
            composante: None,
            quartier: None,
            commune_deleguee: None,
            axe: None,
            taux_actuel: None,
            autres_indemnites_eur: None,
            taux_actuel_eur: None,
            chef_de_file: None,
            cessation_activite: None,
            ligne: i + 2,
        })
        .collect();
    let delegations = dels
        .iter()
        .map(|&(e, nd, pilote)| Delegation {
            elu: e % elus.len(),
            noeud: nd % n,
            role: if pilote { Role::Pilote } else { Role::Appui },
            libelle: String::new(),
            ligne: 0,
            domaines: Vec::new(),
        })
        .collect();
    Scenario {
        params: ScenarioParams {
            nom: "Aléatoire".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 4, 1).expect("date"),
            population_totale: 10_000,
            population_municipale: 10_000,
            effectif_conseil: None,
            commune: Default::default(),
            commune_nouvelle: false,
            communes_deleguees: vec![],
            majorations: vec![],
            taux_sinistre: None,
            axes: vec![Axe {
                id: "transition".into(),
                libelle: "Transition écologique".into(),
            }],
            indemnites: IndemnitesParams::default(),
            groupes: GroupesParams::default(),
            reorganisation: Default::default(),
        },
        organigramme: Organigramme::new(noeuds, 0),
        elus,
        delegations,
        delegations_sans_service: Vec::new(),
    }
}

fn arb_scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::collection::vec(any::<usize>(), 1..30),
        prop::collection::vec(prop::option::weighted(0.7, 0u8..3), 1..6),
        prop::collection::vec((any::<usize>(), any::<usize>(), any::<bool>()), 0..12),
    )
        .prop_map(|(p, g, d)| scenario_aleatoire(&p, &g, &d))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Every service (leaf) is exactly one of: covered by one porteur, inside a reported orphan,
    /// inside a reported double.
    #[test]
    fn every_leaf_is_covered_once_orphan_or_double(s in arb_scenario()) {
        let cov = Couverture::calculer(&s, &Graphe::construire(&s));
        let org = &s.organigramme;
        let ds = doubles(&s, &cov);
        let os = orphelins(&s, &cov);
        for f in org.feuilles() {
            let une = cov.porteurs[f].len() == 1;
            let orph = os.iter().any(|o| o.sous_arbre && org.est_dans(f, o.noeud));
            let dbl = ds.iter().any(|d| org.est_dans(f, d.noeud));
            prop_assert_eq!(
                usize::from(une) + usize::from(orph) + usize::from(dbl), 1,
                "leaf {}: une={} orph={} dbl={}", org.noeud(f).id, une, orph, dbl
            );
        }
        // The findings say the same: one D001 per double, one D003 per orphan.
        let a = analyser(&s);
        prop_assert_eq!(a.de_code("D001").count(), ds.len());
        prop_assert_eq!(a.de_code("D003").count(), os.len());
    }

    /// Coverage is inherited: a node's porteurs are found again on every descendant, and the
    /// porteurs of a node are exactly those of pilote délégations on it or an ancestor.
    #[test]
    fn coverage_is_inherited(s in arb_scenario()) {
        let cov = Couverture::calculer(&s, &Graphe::construire(&s));
        let org = &s.organigramme;
        for n in 0..org.len() {
            let attendu: BTreeSet<Porteur> = s.delegations.iter()
                .filter(|d| d.role == Role::Pilote && org.est_dans(n, d.noeud))
                .map(|d| collegia::analyse::porteur_de(&s, d.elu))
                .collect();
            let calcule: BTreeSet<Porteur> = cov.porteurs[n].iter().cloned().collect();
            prop_assert_eq!(&calcule, &attendu);
            if let Some(p) = cov.porteur_unique(n) {
                for d in org.sous_arbre(n) {
                    prop_assert!(cov.porteurs[d].contains(p));
                    if cov.porteurs[d].len() == 1 {
                        prop_assert_eq!(cov.porteur_unique(d), Some(p));
                    }
                }
            }
        }
    }
}

/// Issue 20: the real-city-like préfecture loads without error; its territorial directions give
/// no double rattachement but one D013 each (when their secteur adjoint·e is in another group
/// than the direction's); findings on estimated staff say so; délégations without a service
/// are kept apart; the maire keeps 107,99 %; the euro amounts are converted and shown.
#[test]
fn the_prefecture_of_issue_20_is_read_as_it_is() {
    let dossier = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/ville-prefecture");
    let s = collegia::ingest::load_scenario(&dossier)
        .expect("loads without error")
        .scenario;
    assert_eq!(s.delegations_sans_service.len(), 5);
    assert!(
        s.organigramme
            .noeuds
            .iter()
            .filter(|n| n.territoire.is_some())
            .count()
            == 6
    );
    let a = collegia::analyse::analyser(&s);
    assert_eq!(a.de_code("D001").count(), 0, "{:#?}", a.constats);
    assert_eq!(a.de_code("D003").count(), 0, "{:#?}", a.constats);
    let d013: Vec<_> = a.de_code("D013").collect();
    assert_eq!(d013.len(), 5, "{d013:#?}");
    assert!(d013.iter().all(
        |f| f.sujets.noeuds.iter().any(|n| n.starts_with("DIR-TER-")) && f.sujets.elus.len() == 2
    ));
    assert_eq!(a.de_code("D010").count(), 0);
    assert_eq!(
        a.de_code("D012").count(),
        2,
        "groups G05 and G08 declare no lead"
    );
    let (estime, total) = a.effectif_estime.expect("estimated staff");
    assert!(estime > 0.5 * total && estime < total);
    assert!(
        a.de_code("D004")
            .all(|f| f.message.contains("effectif estimé"))
    );
    let alloc = collegia::optimise::indemnites::allouer(&s).expect("feasible");
    let maire = alloc.lignes.iter().find(|l| l.id == "E01").expect("maire");
    assert_eq!(maire.taux_pct.to_string(), "107.99");
    let e02 = alloc.lignes.iter().find(|l| l.id == "E02").expect("E02");
    assert_eq!(
        e02.taux_actuel_eur.map(|x| x.to_string()).as_deref(),
        Some("2380")
    );
    assert!(
        alloc
            .remarques
            .iter()
            .any(|r| r.contains("E02 2\u{202f}380,00\u{202f}€ = 57,9")),
        "{:#?}",
        alloc.remarques
    );
    // A conseiller·e délégué·e whose only délégation names no service is paid, and weighed.
    let e27 = alloc.lignes.iter().find(|l| l.id == "E27").expect("paid");
    assert_eq!(
        e27.responsabilite.sans_service,
        vec!["Lutte contre les discriminations"]
    );
    assert!(e27.poids.as_ref().is_some_and(|p| p.sans_service == 0.25));
}
