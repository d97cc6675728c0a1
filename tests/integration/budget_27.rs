//! Issue 27 items 6 and 7: what the indemnités cost the budget (contributions, net, cost with
//! charges, training budget) and a responsibility weight that no level label moves.

use collegia::law::cotisations::{Assujettissement, bareme_cotisations, cout_indemnite};
use collegia::model::{Fonction, Niveau, Politique, Scenario};
use collegia::optimise::indemnites::{Coefficients, allouer, poids, responsabilites};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::path::Path;

fn charger(dossier: &str) -> Scenario {
    collegia::ingest::load_scenario(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dossier))
        .expect("valid scenario")
        .scenario
}

/// Every paid élu·e of the example shows a net below their gross and a cost above it, and the
/// totals with charges are the sums of the lines.
#[test]
fn each_indemnite_shows_its_net_and_its_cost_and_the_totals_add_up() {
    let s = charger("data/exemple");
    let a = allouer(&s).expect("lawful allocation");
    assert!(!a.lignes.is_empty());
    for l in &a.lignes {
        let c = l.cout.as_ref().expect("2026: contribution rates known");
        assert_eq!(c.brut_mensuel_eur, l.total_mensuel_eur, "{}", l.id);
        assert!(c.net_mensuel_eur < l.total_mensuel_eur, "{}", l.id);
        assert!(c.cout_mensuel_eur > l.total_mensuel_eur, "{}", l.id);
    }
    let ch = a.totaux.charges.as_ref().expect("charges");
    let somme = |f: &dyn Fn(&collegia::law::cotisations::CoutIndemnite) -> Decimal| -> Decimal {
        a.lignes.iter().filter_map(|l| l.cout.as_ref()).map(f).sum()
    };
    assert_eq!(ch.cout_mensuel_eur, somme(&|c| c.cout_mensuel_eur));
    assert_eq!(ch.net_mensuel_eur, somme(&|c| c.net_mensuel_eur));
    assert_eq!(
        ch.brut_mensuel_eur,
        a.totaux.mensuel_eur + a.totaux.majorations_eur
    );
    assert_eq!(ch.cout_annuel_eur, ch.cout_mensuel_eur * Decimal::from(12));
    assert_eq!(ch.cout_mandat_eur, ch.cout_annuel_eur * Decimal::from(6));
    // The budget accounts split the cost: 6531 (gross) + 6533 + 6534 = the annual cost.
    let comptes: Decimal = ch
        .par_compte
        .iter()
        .filter(|c| c.compte != "6535")
        .map(|c| c.annuel_eur)
        .sum();
    assert_eq!(comptes, ch.cout_annuel_eur);
    // L2123-14: 2 % and 20 % of the maximum indemnités (enveloppe + majorations), a year.
    let base = (a.totaux.enveloppe_eur + a.totaux.majorations_eur) * Decimal::from(12);
    assert_eq!(ch.formation.base_annuelle_eur, base);
    assert!(ch.formation.plancher_eur * Decimal::from(10) == ch.formation.plafond_eur);
}

/// An adjoint·e under the threshold who stopped work pays the social-security contributions
/// from the first euro in a commune of 131 842 inhabitants (CSS L382-31): the commune pays
/// more, the élu·e receives less.
#[test]
fn cessation_activite_makes_an_adjoint_under_the_threshold_contribute() {
    let mut s = charger("data/exemple");
    let a = allouer(&s).expect("lawful allocation");
    let seuil = bareme_cotisations(a.date).expect("2026").seuil_annuel() / Decimal::from(12);
    let bas = a
        .lignes
        .iter()
        .find(|l| {
            l.fonction == Fonction::Adjoint
                && l.total_mensuel_eur <= seuil
                && s.elus
                    .iter()
                    .any(|e| e.id == l.id && e.autres_indemnites_eur.is_none())
        })
        .expect("an adjoint·e under the threshold without other mandates in the example");
    let avant = bas.cout.clone().expect("cost");
    assert_eq!(avant.assujettissement, Assujettissement::SousLeSeuil);
    let id = bas.id.clone();
    s.elus
        .iter_mut()
        .find(|e| e.id == id)
        .expect("élu·e")
        .cessation_activite = Some(true);
    let b = allouer(&s).expect("lawful allocation");
    let apres = b
        .lignes
        .iter()
        .find(|l| l.id == id)
        .and_then(|l| l.cout.clone())
        .expect("cost");
    assert_eq!(apres.assujettissement, Assujettissement::CessationActivite);
    assert!(apres.cout_mensuel_eur > avant.cout_mensuel_eur);
    assert!(apres.net_mensuel_eur < avant.net_mensuel_eur);
    // The same as the law module computes for that gross amount.
    let direct = cout_indemnite(
        b.date,
        apres.brut_mensuel_eur,
        Assujettissement::CessationActivite,
        b.totaux.charges.as_ref().expect("charges").cinquante_agents,
    )
    .expect("2026");
    assert_eq!(direct, apres);
}

/// Before 2024 the contribution table has no row: no cost is invented, and the report says so.
#[test]
fn before_the_contribution_table_no_cost_is_invented() {
    let mut s = charger("data/exemple");
    s.params.date = collegia::law::parse_date("2023-06-01").expect("date");
    let a = allouer(&s).expect("lawful allocation");
    assert!(a.lignes.iter().all(|l| l.cout.is_none()));
    assert!(a.totaux.charges.is_none());
    let texte = collegia::report::indemnites::render_table(&a);
    assert!(texte.contains("taux de cotisations connus à partir du 1er janvier 2024"));
}

fn niveau(k: u8) -> Niveau {
    match k % 4 {
        0 => Niveau::Dga,
        1 => Niveau::Direction,
        2 => Niveau::Service,
        _ => Niveau::Unite,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Relabelling any nodes (`service` ↔ `unite`, `direction`…) with the same staff and
    /// budget moves no responsibility weight (issue 27 item 6: two nodes relabelled moved an
    /// adjointe from 102 % to 52 %).
    #[test]
    fn relabelling_levels_moves_no_weight(labels in proptest::collection::vec(any::<u8>(), 1..400)) {
        let s = charger("data/exemple");
        let c = Coefficients::depuis(&s.params.indemnites);
        let avant = poids(&responsabilites(&s), &c);
        let mut t = s.clone();
        let racine = t.organigramme.racine;
        for (x, k) in t.organigramme.noeuds.iter_mut().enumerate().zip(labels.iter().cycle()) {
            if x.0 != racine {
                x.1.niveau = niveau(*k);
            }
        }
        let apres = poids(&responsabilites(&t), &c);
        for (p, q) in avant.iter().zip(&apres) {
            prop_assert!((p.total - q.total).abs() < 1e-9, "{} → {}", p.total, q.total);
        }
    }

    /// Over random policies, every line's net is below its gross and its cost above it, and
    /// the totals with charges are the sums of the lines.
    #[test]
    fn random_allocations_keep_net_below_gross_below_cost(
        alpha in 0u32..=20,
        plancher in 0u32..=15,
        part in 80u32..=100,
        politique in 0usize..3,
    ) {
        let mut s = charger("data/exemple");
        let p = &mut s.params.indemnites;
        p.alpha = f64::from(alpha) / 20.0;
        p.plancher = f64::from(plancher);
        p.part_enveloppe = f64::from(part);
        p.politique = [Politique::Mixte, Politique::Egalitaire, Politique::Proportionnelle][politique];
        let Ok(a) = allouer(&s) else {
            // An infeasible policy has no cost to check.
            return Ok(());
        };
        let ch = a.totaux.charges.as_ref().expect("charges");
        let mut cout = Decimal::ZERO;
        let mut net = Decimal::ZERO;
        for l in &a.lignes {
            let c = l.cout.as_ref().expect("cost");
            prop_assert!(c.net_mensuel_eur < l.total_mensuel_eur);
            prop_assert!(c.cout_mensuel_eur > l.total_mensuel_eur);
            prop_assert_eq!(c.net_mensuel_eur + c.cotisations_elu_eur, l.total_mensuel_eur);
            prop_assert_eq!(c.cout_mensuel_eur - c.cotisations_employeur_eur, l.total_mensuel_eur);
            cout += c.cout_mensuel_eur;
            net += c.net_mensuel_eur;
        }
        prop_assert_eq!(ch.cout_mensuel_eur, cout);
        prop_assert_eq!(ch.net_mensuel_eur, net);
        prop_assert_eq!(ch.cout_mensuel_eur, ch.brut_mensuel_eur + ch.cotisations_employeur_eur);
    }
}

/// Every fixture of issue 27 and every bundled scenario dated 2024 or later: each paid élu·e
/// has a net below their gross and a cost above it, whatever the law case (commune nouvelle,
/// Paris-Lyon-Marseille, quartier posts, maire at 203 %, écrêtement).
#[test]
fn every_fixture_gives_each_indemnite_its_net_and_its_cost() {
    let racine = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dossiers: Vec<std::path::PathBuf> = Vec::new();
    for (parent, prefixe) in [("tests/fixtures", "droit-"), ("data", "")] {
        let mut v: Vec<_> = std::fs::read_dir(racine.join(parent))
            .expect("folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                p.is_dir()
                    && p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(prefixe))
            })
            .collect();
        v.sort();
        dossiers.extend(v);
    }
    let mut avec_cout = 0;
    for d in &dossiers {
        let Ok(loaded) = collegia::ingest::load_scenario(d) else {
            continue;
        };
        let s = loaded.scenario;
        let Ok(a) = allouer(&s) else { continue };
        if bareme_cotisations(a.date).is_err() {
            assert!(a.totaux.charges.is_none(), "{}", d.display());
            continue;
        }
        avec_cout += 1;
        for l in &a.lignes {
            let c = l
                .cout
                .as_ref()
                .unwrap_or_else(|| panic!("{} {}", d.display(), l.id));
            assert!(
                c.net_mensuel_eur < l.total_mensuel_eur && c.cout_mensuel_eur > l.total_mensuel_eur,
                "{} {}: net {} brut {} coût {}",
                d.display(),
                l.id,
                c.net_mensuel_eur,
                l.total_mensuel_eur,
                c.cout_mensuel_eur
            );
        }
    }
    // The fixtures of issue 27 are dated 2026: most must have been checked.
    assert!(avec_cout >= 8, "only {avec_cout} scenarios checked");
}

/// `rapport` writes the draft délibération beside the arrêtés (issue 27 item 8) and the table of
/// the cost to the budget with the article and status of each figure; the HTML says the cost with
/// charges and the net.
#[test]
fn the_report_has_the_draft_deliberation_and_the_budget_table() {
    let tmp = tempfile::tempdir().expect("tmp");
    let sortie = tmp.path().join("r");
    super::commun::collegia()
        .current_dir(super::commun::root())
        .args(["rapport", "data/exemple", "--sortie"])
        .arg(&sortie)
        .assert()
        .success();
    let f = super::commun::contenu(&sortie);
    for nom in [
        "lettres/projet-deliberation-indemnites.docx",
        "lettres/projet-deliberation-indemnites.md",
        "lettres/projet-arrete-e03-nadia-benali.docx",
        "tableaux/indemnites-budget.csv",
    ] {
        assert!(f.contains_key(nom), "{nom} missing");
    }
    let md = String::from_utf8(f["lettres/projet-deliberation-indemnites.md"].clone()).expect("md");
    for attendu in [
        "Vu le code général des collectivités territoriales",
        "enveloppe indemnitaire globale",
        "L2123-22",
        "L2123-14",
        "Annexe — Tableau des indemnités allouées (CGCT L2123-20-1)",
        "**Article 1.** Le montant",
    ] {
        assert!(md.contains(attendu), "délibération lacks « {attendu} »");
    }
    let budget = String::from_utf8_lossy(&f["tableaux/indemnites-budget.csv"]).to_string();
    for attendu in ["CSS L382-31", "L2123-14", "vérifié", "non vérifié", "6534"] {
        assert!(budget.contains(attendu), "budget table lacks « {attendu} »");
    }
    let html = String::from_utf8(f["index.html"].clone()).expect("utf-8");
    assert!(html.contains("Coût pour le budget, charges comprises"));
    assert!(html.contains("Formation des élu·es (L2123-14)"));
}
