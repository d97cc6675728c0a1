//! The grouping model's named criteria against the independent checker: on generated cities and
//! the bundled examples (which have functional links and units « hors thème »),
//! each criterion's value computed from an LP vector (its linear expression over the model's
//! variables, `lp::Critere::valeur`) equals the value `evaluer` recomputes from the plan alone,
//! for random plans and for the solver's optimum. This is the test that catches a drift between
//! the model's objective and the reports.

use collegia::optimise::criteres::NOMS;
use collegia::optimise::{
    Donnees, Exclusions, Granularite, Options, Plan, Statut, construire, evaluer,
};
use rand::{Rng, SeedableRng};

fn ville(graine: u64) -> collegia::model::Scenario {
    let dir = tempfile::tempdir().expect("tempdir");
    for (nom, octets) in
        collegia::synthese::generer(collegia::synthese::Taille::Petite, graine).liste()
    {
        std::fs::write(dir.path().join(nom), octets).expect("write");
    }
    collegia::ingest::load_scenario(dir.path())
        .expect("valid")
        .scenario
}

/// Every criterion of the model, read at `v`, against `evaluer(plan)`, and the objective.
/// Returns which criteria were non-zero.
fn comparer(
    d: &Donnees,
    mg: &collegia::optimise::ModeleGroupes,
    v: &[f64],
    plan: &Plan,
    cas: &str,
) -> Vec<bool> {
    let cout = evaluer(plan, d);
    let noms: Vec<&str> = mg.modele.criteres.iter().map(|c| c.nom).collect();
    assert_eq!(
        noms,
        NOMS.to_vec(),
        "{cas}: the model declares every criterion, in order"
    );
    for c in &mg.modele.criteres {
        let lp = c.valeur(v);
        let plan_seul = cout.valeur(c.nom);
        assert!(
            (lp - plan_seul).abs() < 1e-6,
            "{cas}: criterion {} is {lp} in the model and {plan_seul} for evaluer",
            c.nom
        );
    }
    let objectif = mg.modele.valeur_objectif(v);
    assert!(
        (objectif - cout.total).abs() < 1e-6 * cout.total.abs().max(1.0),
        "{cas}: objective {objectif} vs evaluer {}",
        cout.total
    );
    cout.par_critere().map(|(_, x)| x != 0.0).collect()
}

#[test]
fn each_criterion_of_the_model_equals_evaluer_on_generated_cities() {
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(24);
    let (mut plans, mut optima) = (0, 0);
    let mut vus = [false; NOMS.len()];
    let mut noter = |non_nuls: Vec<bool>| {
        for (v, n) in vus.iter_mut().zip(non_nuls) {
            *v |= n;
        }
    };
    let exemples = ["data/exemple", "data/ville-prefecture"].map(|x| {
        let dossier = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(x);
        (
            x.to_string(),
            collegia::ingest::load_scenario(&dossier)
                .expect("valid")
                .scenario,
        )
    });
    let villes = (1..=4).map(|g| (format!("graine {g}"), ville(g)));
    for (nom, s) in exemples.into_iter().chain(villes) {
        for (granularite, regrouper) in [
            (Granularite::Direction, false),
            (Granularite::Direction, true),
            (Granularite::Service, true),
        ] {
            let mut d = Donnees::depuis_scenario(&s, &[], granularite, regrouper).expect("data");
            // Every weight positive, so that every supporting variable (links, deviations)
            // exists and each criterion is read in full.
            let p = &mut d.params;
            for w in [
                &mut p.poids_dispersion,
                &mut p.poids_changements,
                &mut p.poids_preferences,
                &mut p.poids_retraits,
                &mut p.poids_liens,
                &mut p.poids_equilibre,
                &mut p.poids_hors_theme,
            ] {
                *w = rng.random_range(0.5..5.0);
            }
            let mg = construire(&d, &Exclusions::default(), true).expect("model");
            let cas = format!("{nom}, {granularite:?}, regrouper {regrouper}");
            // Random plans within the model's variables (valid or not: a criterion is defined
            // for any plan).
            for _ in 0..20 {
                let tirer = |rng: &mut rand_chacha::ChaCha8Rng, ligne: &Vec<Option<usize>>| {
                    let permis: Vec<usize> =
                        (0..ligne.len()).filter(|&g| ligne[g].is_some()).collect();
                    (!permis.is_empty()).then(|| permis[rng.random_range(0..permis.len())])
                };
                let unites = mg.x.iter().map(|l| tirer(&mut rng, l)).collect();
                let membres = mg.z.iter().map(|l| tirer(&mut rng, l)).collect();
                let plan = Plan::avec_retraits(&d, unites, membres);
                let v = mg
                    .valeurs(&d, &plan)
                    .expect("a plan within the model's variables");
                noter(comparer(&d, &mg, &v, &plan, &cas));
                plans += 1;
            }
            // The solver's optimum: the values it chose for the supporting variables too (on
            // the data with the contradicted derived rules lifted, when the model has no plan).
            let o = Options::default();
            let (d, mg) = match collegia::lp::resoudre(&mg.modele, None, &o, true) {
                Ok(_) => (d, mg),
                Err(_) => match collegia::optimise::regles::concilier(&d, &o) {
                    Some(c) => {
                        let mg = construire(&c, &Exclusions::default(), true).expect("model");
                        (c, mg)
                    }
                    // The declared rules conflict (sizes with --regrouper): no optimum.
                    None => continue,
                },
            };
            let sol = collegia::lp::resoudre(&mg.modele, None, &o, true).expect("feasible");
            assert_eq!(sol.statut, Statut::Optimal, "{cas}");
            noter(comparer(
                &d,
                &mg,
                &sol.valeurs,
                &mg.plan(&d, &sol.valeurs),
                &cas,
            ));
            optima += 1;
        }
    }
    assert_eq!(plans, 6 * 3 * 20);
    assert!(optima >= 6 * 3 / 2, "only {optima} optima compared");
    // Each criterion was exercised: non-zero on some plan.
    let muets: Vec<&str> = NOMS
        .iter()
        .zip(vus)
        .filter(|(_, v)| !v)
        .map(|(n, _)| *n)
        .collect();
    assert!(muets.is_empty(), "criteria never non-zero: {muets:?}");
}
