//! Issue 27, the law of communes nouvelles and Paris-Lyon-Marseille: each case of « Done when »
//! on its fixture, with the article and status the law gives.

use collegia::law::{Commune, Gravite, LegalFinding, Statut, enveloppe, verifier_composition};
use collegia::model::{Fonction, LectureMaireDelegueAdjoint, LecturePlafondL2113_8, Scenario};
use collegia::optimise::indemnites::allouer;
use rust_decimal::Decimal;
use std::path::Path;

fn charger(dossier: &str) -> Scenario {
    collegia::ingest::load_scenario(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dossier))
        .expect("valid scenario")
        .scenario
}

fn trouve<'a>(f: &'a [LegalFinding], code: &str) -> Option<&'a LegalFinding> {
    f.iter().find(|x| x.code == code)
}

fn erreurs(f: &[LegalFinding]) -> Vec<&'static str> {
    f.iter()
        .filter(|x| x.gravite == Gravite::Erreur)
        .map(|x| x.code)
        .collect()
}

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal literal")
}

/// Gives élu·e `id` the function `fonction` at `taux` %, with a délégation-free rank `rang`.
fn promouvoir(s: &mut Scenario, id: &str, fonction: Fonction, rang: Option<u32>, taux: f64) {
    let e = s.elus.iter_mut().find(|e| e.id == id).expect("élu·e");
    e.fonction = fonction;
    e.rang = rang;
    e.taux_actuel = Some(taux);
}

#[test]
fn commune_nouvelle_of_202_former_councillors_has_69_seats_and_a_capped_envelope_however_declared()
{
    for (dossier, article_effectif, statut_effectif) in [
        (
            "tests/fixtures/droit-cn-202-historique",
            "CGCT L2113-8",
            Statut::Verifie,
        ),
        (
            "tests/fixtures/droit-cn-202-declaree",
            "CGCT L2113-7 ou L2113-8",
            Statut::Partiel,
        ),
    ] {
        let s = charger(dossier);
        assert_eq!(s.elus.len(), 69);
        let c = Commune::du_scenario(&s).expect("covered date");
        // L2113-8 al. 1: ⌈202 / 3⌉ = 68, even, + 1 = 69 (before issue 27: 68 and an L001 erreur)
        assert_eq!(c.effectif_legal(), 69, "{dossier}");
        assert_eq!(c.article_effectif(), article_effectif, "{dossier}");
        assert_eq!(c.statut_effectif(), statut_effectif, "{dossier}");
        // L2113-8 al. 3 (or L2113-7): capped at the enveloppe of a commune of 131 500
        // inhabitants (55 seats, 16 adjoint·es): 145 + 16 × 66 = 1 201 %, not 145 + 20 × 66
        let e = enveloppe(&c, 16).expect("covered date");
        assert_eq!(e.taux_total, d("1201"), "{dossier}");
        assert!(
            e.article.contains("L2113-8 al. 3"),
            "{dossier}: {}",
            e.article
        );
        assert_eq!(
            e.statut,
            Statut::NonVerifie,
            "{dossier}: scope of the cap is a reading"
        );
        let f = verifier_composition(&s);
        assert!(erreurs(&f).is_empty(), "{dossier}: {f:#?}");
        assert!(trouve(&f, "L001").is_none(), "{dossier}: {f:#?}");
        // L2121-2-1 is about small councils: never cited for an enlarged one
        assert!(trouve(&f, "L110").is_none(), "{dossier}: {f:#?}");
        assert!(trouve(&f, "L120").is_some(), "{dossier}: {f:#?}");
        assert_eq!(
            allouer(&s).expect("feasible").totaux.enveloppe_pct,
            d("1201"),
            "{dossier}"
        );
        // a 17th adjoint·e at 66 % (1 267 %) is lawful in 30 % of 69 but over the cap
        let mut plus = s.clone();
        promouvoir(&mut plus, "E018", Fonction::Adjoint, Some(17), 66.0);
        plus.delegations.clear();
        let f = verifier_composition(&plus);
        assert!(trouve(&f, "L002").is_none(), "{dossier}: {f:#?}");
        let l008 = trouve(&f, "L008").expect("L008");
        assert_eq!(l008.gravite, Gravite::Erreur);
        assert!(l008.article.contains("L2113-8 al. 3"), "{}", l008.article);
        assert!(l008.message.contains("1\u{202f}267"), "{}", l008.message);
    }
}

#[test]
fn who_the_l2113_8_cap_covers_is_a_named_reading() {
    // Thue-et-Mue-like: 33 seats at the first renewal, capped at 244,86 %; the maire délégué·e
    // of Bourg (E011) paid 40 % on top of the council's voted rates
    let mut s = charger("tests/fixtures/droit-commune-nouvelle");
    promouvoir(&mut s, "E011", Fonction::MaireDelegue, None, 40.0);
    let defaut = verifier_composition(&s);
    let l008 = trouve(&defaut, "L008").expect("the fixture is over the cap");
    assert!(!l008.sujets.contains(&"E011".to_string()), "{l008:#?}");
    assert!(l008.message.contains("268,18"), "{}", l008.message);
    assert!(
        l008.message.contains("hors_communes_deleguees"),
        "{}",
        l008.message
    );
    // literal reading: the maire délégué·e counts in the cap (268,18 + 40)
    s.params.commune.plafond_l2113_8 = LecturePlafondL2113_8::TousLesMembres;
    let litteral = verifier_composition(&s);
    let l008 = trouve(&litteral, "L008").expect("L008");
    assert!(l008.sujets.contains(&"E011".to_string()), "{l008:#?}");
    assert!(l008.message.contains("308,18"), "{}", l008.message);
    assert!(
        l008.message.contains("tous_les_membres"),
        "{}",
        l008.message
    );
}

#[test]
fn a_maire_delegue_elected_adjoint_is_outside_the_thirty_percent_by_default() {
    // 33 seats ⇒ 9 adjoint·es; the fixture's 9th adjoint·e is the maire délégué·e of Val.
    // A 10th adjoint·e: lawful when the maire délégué·e is adjoint·e de droit (L2113-13).
    let mut s = charger("tests/fixtures/droit-commune-nouvelle");
    let val = s
        .elus
        .iter()
        .find(|e| e.fonction == Fonction::Adjoint && e.commune_deleguee.is_some())
        .expect("maire délégué·e elected adjoint·e")
        .id
        .clone();
    promouvoir(&mut s, "E030", Fonction::Adjoint, Some(10), 0.0);
    let f = verifier_composition(&s);
    assert!(trouve(&f, "L002").is_none(), "{f:#?}");
    let l005 = f
        .iter()
        .find(|x| x.code == "L005" && x.sujets.contains(&val))
        .expect("L005");
    assert_eq!(l005.gravite, Gravite::Info);
    assert!(l005.message.contains("hors des 30 %"), "{}", l005.message);
    assert!(l005.message.contains("25598"), "{}", l005.message);
    // the other reading, named by its key: ten adjoint·es for nine
    s.params.commune.maire_delegue_adjoint = LectureMaireDelegueAdjoint::Dans30;
    let f = verifier_composition(&s);
    let l002 = trouve(&f, "L002").expect("L002");
    assert_eq!(l002.gravite, Gravite::Erreur);
}

#[test]
fn lyon_has_no_quartier_posts() {
    let s = charger("tests/fixtures/droit-lyon-quartier");
    let f = verifier_composition(&s);
    let l003 = trouve(&f, "L003").expect("L003");
    assert_eq!(l003.gravite, Gravite::Erreur);
    assert_eq!(l003.article, "CGCT L2511-1-1");
    assert_eq!(l003.sujets.len(), 2);
    // 23 adjoint·es for 21 (30 % of 73): no 10 % on top in Lyon
    let l002 = trouve(&f, "L002").expect("L002");
    assert_eq!(l002.gravite, Gravite::Erreur);
    // the enveloppe has no quartier posts: 145 + 21 × 72,5 (before issue 27: + 507,5 points)
    let c = Commune::du_scenario(&s).expect("covered date");
    let e = enveloppe(&c, 0).expect("covered date");
    assert_eq!(e.nb_adjoints_quartier, 0);
    assert_eq!(e.taux_total, d("1667.5"));
    // and no open point about quartier posts that cannot exist
    for code in ["L104", "L111", "L112"] {
        assert!(trouve(&f, code).is_none(), "{code}: {f:#?}");
    }
}

#[test]
fn quartier_adjoints_inside_the_thirty_percent_add_no_envelope() {
    let mut s = charger("tests/fixtures/droit-quartier-dans-30");
    let f = verifier_composition(&s);
    assert!(erreurs(&f).is_empty(), "{f:#?}");
    assert!(trouve(&f, "L104").is_none(), "{f:#?}");
    let c = Commune::du_scenario(&s).expect("covered date");
    let e = enveloppe(&c, 0).expect("covered date");
    // 110 + 14 × 44 = 726 % (before issue 27: + 4 × 44 = 902 %, about 87 000 € a year)
    assert_eq!((e.nb_adjoints, e.nb_adjoints_quartier), (14, 0));
    assert_eq!(e.taux_total, d("726"));
    assert_eq!(
        allouer(&s).expect("feasible").totaux.enveloppe_pct,
        d("726")
    );
    // the council says it created quartier posts (L2122-2-1 used): the 10 % count, unverified
    s.params.commune.adjoints_quartier_crees = Some(true);
    let c = Commune::du_scenario(&s).expect("covered date");
    let e = enveloppe(&c, 0).expect("covered date");
    assert_eq!(e.nb_adjoints_quartier, 4);
    assert_eq!(e.taux_total, d("902"));
    assert_eq!(e.statut, Statut::NonVerifie);
}

#[test]
fn marseille_2020_as_voted_with_its_maires_de_secteur_has_no_erreur() {
    let s = charger("tests/fixtures/droit-marseille-2020");
    let secteurs: Vec<&str> = s
        .elus
        .iter()
        .filter(|e| e.fonction == Fonction::MaireArrondissement)
        .map(|e| e.id.as_str())
        .collect();
    // « maire de secteur » in elus.csv (before issue 27: E010, or conseiller·es at 34,5 %)
    assert_eq!(secteurs.len(), 8);
    let f = verifier_composition(&s);
    assert!(erreurs(&f).is_empty(), "{f:#?}");
    assert!(trouve(&f, "L007").is_none(), "{f:#?}");
    let a = allouer(&s).expect("feasible");
    for id in &secteurs {
        let l = a.lignes.iter().find(|l| l.id == *id).expect("paid");
        assert_eq!(l.taux_pct, d("72.5"), "{id}");
        // +50 % (chef-lieu 25 % + station 25 %) as voted in 2020
        assert_eq!(l.majoration_pct, d("36.25"), "{id}");
    }
    // above the cap: an erreur citing the arrondissement articles
    let mut plus = s.clone();
    promouvoir(&mut plus, "E032", Fonction::MaireArrondissement, None, 80.0);
    let f = verifier_composition(&plus);
    let l007 = trouve(&f, "L007").expect("L007");
    assert_eq!(l007.sujets, vec!["E032".to_string()]);
    assert_eq!(l007.article, "CGCT L2511-34, L2511-35");
    // outside Paris, Lyon and Marseille a maire d'arrondissement is an alerte
    let mut ailleurs = charger("tests/fixtures/droit-quartier-dans-30");
    promouvoir(
        &mut ailleurs,
        "E030",
        Fonction::MaireArrondissement,
        None,
        0.0,
    );
    assert!(trouve(&verifier_composition(&ailleurs), "L018").is_some());
}

/// `collegia bareme … --format json`, the line `cle`.
fn ligne_bareme(args: &[&str], cle: &str) -> serde_json::Value {
    let out = crate::commun::collegia()
        .arg("bareme")
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    v["lignes"]
        .as_array()
        .expect("lignes")
        .iter()
        .find(|l| l["cle"] == cle)
        .cloned()
        .unwrap_or_else(|| panic!("no line {cle}: {v}"))
}

#[test]
fn bareme_takes_the_council_size_and_matches_indemnites() {
    // the enlarged council of droit-cn-202-declaree: the sheet gives the capped 1 201 %, as
    // `indemnites` does (before issue 27 the sheet had no such option and said 1 201 % for 55
    // seats while `indemnites` said 1 465 % for 69)
    let args = [
        "--population",
        "131500",
        "--date",
        "2026-04-01",
        "--effectif-conseil",
        "69",
        "--commune-nouvelle",
    ];
    let env = ligne_bareme(&args, "enveloppe");
    assert_eq!(env["taux"], serde_json::json!("1201"), "{env}");
    assert!(
        env["article"]
            .as_str()
            .is_some_and(|a| a.contains("L2113-8 al. 3")),
        "{env}"
    );
    assert_eq!(env["statut"], "non_verifie", "{env}");
    let eff = ligne_bareme(&args, "effectif_legal");
    assert_eq!(eff["valeur"], "69");
    assert_eq!(eff["article"], "CGCT L2113-7 ou L2113-8");
    let s = charger("tests/fixtures/droit-cn-202-declaree");
    assert_eq!(
        allouer(&s).expect("feasible").totaux.enveloppe_pct,
        d("1201")
    );
    // Lyon: no quartier posts on the sheet, even when asked for
    let q = ligne_bareme(
        &[
            "--population",
            "522250",
            "--code-insee",
            "69123",
            "--quartier",
        ],
        "max_adjoints_quartier",
    );
    assert_eq!(q["valeur"], "0");
    assert_eq!(q["article"], "CGCT L2511-1-1");
    // the 20 000 threshold of L2122-2-1 reads the population totale, like the checks
    let q = ligne_bareme(
        &["--population", "20500", "--population-municipale", "19800"],
        "max_adjoints_quartier",
    );
    assert_ne!(q["valeur"], "0", "{q}");
}

#[test]
fn an_unverified_reading_that_adds_to_the_envelope_is_said_with_its_amount() {
    let mut s = charger("tests/fixtures/droit-quartier-dans-30");
    let texte = collegia::report::indemnites::render_table(&allouer(&s).expect("feasible"));
    assert!(!texte.contains("lecture non vérifiée"), "{texte}");
    // the council says it created the quartier posts: + 4 × 44 = 176 points
    s.params.commune.adjoints_quartier_crees = Some(true);
    let a = allouer(&s).expect("feasible");
    let x = a
        .enveloppe_ajout_non_verifie
        .as_ref()
        .expect("unverified addition");
    assert_eq!(x.taux, d("176"));
    // 176 × 835 × 5 907,34 / 120 000 = 7 234,52 € a month (86 814,24 € a year)
    assert_eq!(x.montant_eur, d("7234.52"));
    assert_eq!(x.annuel_eur, d("86814.24"));
    let texte = collegia::report::indemnites::render_table(&a);
    assert!(
        texte.contains("ATTENTION : lecture non vérifiée"),
        "{texte}"
    );
    assert!(texte.contains("86\u{202f}814,24"), "{texte}");
    assert!(texte.contains("non vérifié) :"), "{texte}");
}

#[test]
fn published_amounts_with_majorations_are_read_without_them_when_the_key_says_so() {
    // Marseille 2020 in € as published (+50 % included), montants_avec_majorations = true
    let s = charger("tests/fixtures/droit-marseille-2020-euros");
    let taux = |s: &Scenario, id: &str| {
        s.elus
            .iter()
            .find(|e| e.id == id)
            .and_then(|e| e.taux_actuel)
            .expect("rate")
    };
    assert_eq!(taux(&s, "E001"), 145.0);
    assert_eq!(taux(&s, "E002"), 72.5);
    assert_eq!(taux(&s, "E100"), 34.5);
    let f = verifier_composition(&s);
    assert!(erreurs(&f).is_empty(), "{f:#?}");
    // read without the key, the same amounts « exceed » every cap and the enveloppe
    let mut brut = s.clone();
    brut.params.commune.montants_avec_majorations = false;
    collegia::ingest::convertir_taux_euros_scenario(&mut brut.elus, &brut.params);
    assert_eq!(taux(&brut, "E002"), 108.75);
    let f = verifier_composition(&brut);
    assert!(trouve(&f, "L007").is_some(), "{f:#?}");
    assert!(trouve(&f, "L008").is_some(), "{f:#?}");
}
