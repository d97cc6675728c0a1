//! Tests of the grouping model on tiny hand-written instances: each hard rule alone, locks,
//! infeasibility diagnoses, the checker, and the MILP optimum against brute-force enumeration.

use super::*;
use crate::model::GroupesParams;
use proptest::prelude::*;

pub(crate) fn unite(id: &str, dga: Option<usize>, charge: f64, actuel: Option<usize>) -> Unite {
    Unite {
        noeud: None,
        id: id.into(),
        libelle: id.into(),
        dga,
        charge,
        actuel,
        couverture: vec![],
        coeur: None,
        transversaux_permis: vec![],
        direction: None,
        domaines: vec![],
    }
}

pub(crate) fn groupe(id: &str, transversal: bool) -> Groupe {
    Groupe {
        id: id.into(),
        chef: usize::MAX,
        chef_id: format!("chef-{id}"),
        transversal,
        domaines: vec![],
    }
}

fn membre(id: &str, actuel: Option<usize>, mobile: bool, perimetre: Vec<usize>) -> Membre {
    Membre {
        elu: usize::MAX,
        id: id.into(),
        actuel,
        mobile,
        quartier: false,
        perimetre,
        lien_quartier: vec![],
        liens_quartier: None,
    }
}

pub(crate) fn base(unites: Vec<Unite>, groupes: Vec<Groupe>, ndga: usize) -> Donnees {
    Donnees {
        unites,
        groupes,
        dgas: (0..ndga)
            .map(|i| donnees::Dga {
                id: format!("DGA{i}"),
                libelle: format!("DGA{i}"),
            })
            .collect(),
        membres: vec![],
        liens: vec![],
        verrous_unites: vec![],
        verrous_membres: vec![],
        regrouper: false,
        granularite: Granularite::Direction,
        params: GroupesParams::default(),
        ignorees: vec![],
        reservees: vec![],
        au_maire: vec![],
        avertissements: vec![],
        levees: vec![],
        voeux: None,
    }
}

fn resoudre(d: &Donnees) -> Result<Resultat, Echec> {
    optimiser(d, &Options::default())
}

/// Three units, one orphan (B) in the DGA of G1.
fn avec_orphelin() -> Donnees {
    base(
        vec![
            unite("A", Some(0), 10.0, Some(0)),
            unite("B", Some(0), 10.0, None),
            unite("C", Some(1), 10.0, Some(1)),
        ],
        vec![groupe("G1", false), groupe("G2", false)],
        2,
    )
}

/// G1 spans two DGA: moving B to G2 (already in DGA1) saves 10 for a change of 1.
fn disperse() -> Donnees {
    base(
        vec![
            unite("A", Some(0), 10.0, Some(0)),
            unite("B", Some(1), 10.0, Some(0)),
            unite("C", Some(1), 10.0, Some(1)),
        ],
        vec![groupe("G1", false), groupe("G2", false)],
        2,
    )
}

/// Regrouping with sizes at most 2, a transversal group and an adjoint·e de quartier (Q).
fn regroupement_borne() -> Donnees {
    let mut d = base(
        vec![
            unite("A", Some(0), 10.0, Some(0)),
            unite("B", Some(0), 10.0, Some(1)),
            unite("T", Some(0), 1.0, Some(2)),
        ],
        vec![groupe("G1", false), groupe("G2", false), groupe("GT", true)],
        1,
    );
    d.regrouper = true;
    d.params.taille_max = 2;
    let mut q = membre("Q", None, true, vec![]);
    q.quartier = true;
    d.membres = vec![
        membre("C1", Some(0), true, vec![]),
        membre("C2", Some(0), true, vec![]),
        q,
    ];
    d
}

/// Unit A locked to both groups (verrous.csv lines 2 and 3).
fn verrous_contradictoires() -> Donnees {
    let mut d = base(
        vec![
            unite("A", Some(0), 10.0, Some(0)),
            unite("B", Some(0), 1.0, Some(1)),
        ],
        vec![groupe("G1", false), groupe("G2", false)],
        1,
    );
    d.verrous_unites = vec![
        donnees::VerrouUnite {
            unite: 0,
            groupe: 0,
            ligne: 2,
        },
        donnees::VerrouUnite {
            unite: 0,
            groupe: 1,
            ligne: 3,
        },
    ];
    d
}

#[test]
fn every_unit_gets_one_group_and_orphans_are_adopted() {
    let d = avec_orphelin();
    let r = resoudre(&d).expect("feasible");
    assert_eq!(r.statut, Statut::Optimal);
    assert!(r.plan.unites.iter().all(Option::is_some));
    // B joins G1 (same DGA as A): no new DGA.
    assert_eq!(r.plan.unites, vec![Some(0), Some(0), Some(1)]);
    assert!(verify(&r.plan, &d).is_empty());
}

#[test]
fn spread_is_reduced_at_the_cost_of_a_change() {
    // G1 spans two DGA; moving B to G2 (already in DGA1) saves 10 for a change of 1.
    let d = disperse();
    let r = resoudre(&d).expect("feasible");
    assert_eq!(r.plan.unites, vec![Some(0), Some(1), Some(1)]);
    assert_eq!(r.cout.dispersion, 2);
    assert_eq!(r.avant.dispersion, 3);
    assert_eq!(r.cout.changements, 1);
}

#[test]
fn a_transversal_group_never_takes_another_groups_unit() {
    let d = base(
        vec![
            unite("A", Some(0), 10.0, Some(0)),
            unite("M", Some(1), 1.0, Some(1)),
            unite("B", Some(1), 10.0, Some(0)),
        ],
        vec![groupe("G1", false), groupe("T", true)],
        2,
    );
    let r = resoudre(&d).expect("feasible");
    assert_eq!(
        r.plan.unites[2],
        Some(0),
        "B stays with G1, T may not take it"
    );
    let mut p = r.plan.clone();
    p.unites[2] = Some(1);
    assert!(
        verify(&p, &d)
            .iter()
            .any(|v| v.cle.famille() == Famille::AxeTransversal)
    );
}

#[test]
fn a_members_perimeter_drags_the_unit_into_their_group() {
    let mut d = base(
        vec![
            unite("A", Some(0), 10.0, Some(0)),
            unite("B", Some(0), 10.0, Some(1)),
        ],
        vec![groupe("G1", false), groupe("G2", false)],
        1,
    );
    // A conseiller·e délégué·e of G2 pilots inside A.
    d.membres = vec![membre("CD", Some(1), false, vec![0])];
    d.params.poids_equilibre = 0.0;
    // G1 must still lead a unit: B goes to G1, A to G2.
    let r = resoudre(&d).expect("feasible");
    assert_eq!(r.plan.unites, vec![Some(1), Some(0)]);
}

#[test]
fn a_functional_link_is_weighted_by_its_staff_and_never_reaches_a_transversal_group() {
    let mut d = base(
        vec![
            unite("A", Some(0), 10.0, Some(0)),
            unite("A2", Some(0), 10.0, Some(0)),
            unite("B", Some(0), 1.0, Some(1)),
            unite("T", Some(1), 1.0, Some(2)),
            unite("B2", Some(1), 1.0, Some(1)),
        ],
        vec![groupe("G1", false), groupe("G2", false), groupe("GT", true)],
        2,
    );
    d.params.poids_equilibre = 0.0;
    d.params.poids_dispersion = 0.0;
    d.params.poids_liens = 5.0;
    // B (1 ETP, G2) answers functionally to A2 (G1) for its whole staff: moving B to G1 costs
    // 1 ETP of change, the link 5 × 1 ETP.
    d.liens = vec![donnees::Lien {
        a: 2,
        b: 1,
        noeud: "B".into(),
        lie: "A2".into(),
        effectif: 1.0,
    }];
    assert_eq!(evaluer(&Plan::actuel(&d), &d).liens, 1);
    let r = resoudre(&d).expect("feasible");
    assert_eq!(
        r.plan.unites,
        vec![Some(0), Some(0), Some(0), Some(2), Some(1)]
    );
    assert_eq!((r.cout.liens, r.cout.changements), (0, 1));
    assert!((r.cout.agents_deplaces - 1.0).abs() < 1e-9);
    // A link concerning 1 ETP of A2 never moves A2 (10 ETP) to G2: the link stays.
    d.liens = vec![donnees::Lien {
        a: 1,
        b: 2,
        noeud: "A2-SRV".into(),
        lie: "B".into(),
        effectif: 1.0,
    }];
    d.params.poids_liens = 5.0;
    d.params.poids_changements = 1.0;
    let r = resoudre(&d).expect("feasible");
    assert_eq!(r.plan.unites[1], Some(0));
    // A transversal group never gains line management, even a unit linked to its own.
    d.liens[0].b = 3;
    assert!(!d.transversal_permis(1, 2) && d.transversal_permis(3, 2));
    let r = resoudre(&d).expect("feasible");
    assert_ne!(r.plan.unites[1], Some(2));
    assert!(verify(&r.plan, &d).is_empty());
}

/// A unit in a group's cœur stays in the group even when every other term pulls it away; with
/// the cœur freed it moves.
#[test]
fn a_groups_coeur_stays_unless_freed() {
    let mut d = base(
        vec![
            unite("A", Some(0), 100.0, Some(1)),
            unite("B", Some(1), 1.0, Some(1)),
            unite("C", Some(0), 1.0, Some(0)),
        ],
        vec![groupe("G1", false), groupe("G2", false)],
        2,
    );
    // A is led by G2 today but G1's adjoint·e pilots it: the cœur wins over the current lead.
    d.unites[0].coeur = Some(0);
    let r = resoudre(&d).expect("feasible");
    assert_eq!(r.plan.unites[0], Some(0));
    assert!(verify(&r.plan, &d).is_empty());
    // A plan moving the cœur is refused by the independent checker.
    let mut p = r.plan.clone();
    p.unites[0] = Some(1);
    assert!(
        verify(&p, &d)
            .iter()
            .any(|v| matches!(v.cle, Cle::Coeur { .. }))
    );
    // Freed (`coeurs = false` empties `coeur` at data building), the unit goes by the weights.
    d.unites[0].coeur = None;
    let r = resoudre(&d).expect("feasible");
    assert_eq!(r.plan.unites[0], Some(1));
}

/// Two conseiller·es délégué·es of different groups pilot inside one unit: a double rattachement
/// no assignment of units alone can fix while groups are fixed.
fn deux_membres_dans_une_unite() -> Donnees {
    let mut d = base(
        vec![
            unite("A", Some(0), 10.0, Some(0)),
            unite("B", Some(0), 10.0, Some(1)),
            unite("C", Some(0), 10.0, Some(2)),
        ],
        vec![
            groupe("G1", false),
            groupe("G2", false),
            groupe("G3", false),
        ],
        1,
    );
    d.membres = vec![
        membre("CD2", Some(1), false, vec![0]),
        membre("CD3", Some(2), false, vec![0]),
    ];
    d
}

#[test]
fn a_conflicting_members_delegation_becomes_an_appui() {
    let d = deux_membres_dans_une_unite();
    let r = resoudre(&d).expect("feasible with retraits");
    assert_eq!(r.statut, Statut::Optimal);
    assert!(verify(&r.plan, &d).is_empty());
    // A goes to one of the two members' groups, the other member's délégation becomes an appui;
    // G1 must still lead something, so it takes the unit A's new leader gave up.
    assert_eq!(r.plan.retraits.len(), 1, "{:?}", r.plan);
    let &(e, u) = r.plan.retraits.iter().next().expect("one");
    assert_eq!(u, 0);
    assert_ne!(r.plan.unites[0], r.plan.membres[e]);
    assert_eq!(r.cout.retraits, 1);
    // Retraits cost: the same instance where only one member pilots inside A needs none.
    let mut seul = d.clone();
    seul.membres.pop();
    let r1 = resoudre(&seul).expect("feasible");
    assert!(r1.plan.retraits.is_empty());
}

#[test]
fn without_retraits_two_members_in_one_unit_are_infeasible() {
    let mut d = deux_membres_dans_une_unite();
    d.params.retrait_appui = false;
    let Err(Echec::Infaisable(inf)) = resoudre(&d) else {
        panic!("two fixed groups cannot both lead A");
    };
    assert!(inf.familles.contains(&Famille::PerimetreMembre), "{inf:?}");
    assert!(
        inf.cles
            .iter()
            .any(|c| matches!(c, Cle::PerimetreMembre { elu, .. } if elu == "CD2"))
    );
}

#[test]
fn the_checker_rejects_a_retrait_it_does_not_allow() {
    let d = deux_membres_dans_une_unite();
    let r = resoudre(&d).expect("feasible");
    // A retrait outside the member's perimeter.
    let mut hors = r.plan.clone();
    hors.retraits.insert((0, 2));
    assert!(!verify(&hors, &d).is_empty());
    // Retraits forbidden by the scenario.
    let mut interdit = d.clone();
    interdit.params.retrait_appui = false;
    assert!(
        verify(&r.plan, &interdit)
            .iter()
            .any(|v| matches!(v.cle, Cle::PerimetreMembre { .. }))
    );
    // Dropping the retrait leaves the member piloting in another group's unit.
    let mut sans = r.plan.clone();
    sans.retraits.clear();
    assert!(!verify(&sans, &d).is_empty());
}

#[test]
fn sizes_bound_regrouping_and_quartier_adjoints_avoid_transversal_groups() {
    let d = regroupement_borne();
    let r = resoudre(&d).expect("feasible");
    // G1 holds at most one member besides its leader; Q cannot join GT; so C1 or C2 moves to GT
    // and Q joins G2, or similar: check the rules directly.
    assert!(verify(&r.plan, &d).is_empty());
    assert_ne!(r.plan.membres[2], Some(2));
    for g in 0..3 {
        assert!(r.plan.membres.iter().filter(|&&m| m == Some(g)).count() <= 1);
    }
}

#[test]
fn locks_are_respected() {
    let mut d = base(
        vec![
            unite("A", Some(0), 10.0, Some(0)),
            unite("B", Some(0), 10.0, Some(0)),
        ],
        vec![groupe("G1", false), groupe("G2", false)],
        1,
    );
    d.verrous_unites = vec![donnees::VerrouUnite {
        unite: 0,
        groupe: 1,
        ligne: 2,
    }];
    let r = resoudre(&d).expect("feasible");
    assert_eq!(r.plan.unites, vec![Some(1), Some(0)]);
}

#[test]
fn contradictory_locks_are_diagnosed_by_rule() {
    let d = verrous_contradictoires();
    let Err(Echec::Infaisable(inf)) = resoudre(&d) else {
        panic!("contradictory locks must be infeasible");
    };
    assert_eq!(inf.familles, vec![Famille::Verrou]);
    assert_eq!(inf.cles.len(), 2);
    assert!(inf.cles.iter().all(|c| c.famille() == Famille::Verrou));
    let texte = crate::report::optimisation::infaisabilite(&inf);
    assert!(texte.contains("verrous.csv ligne 2"), "{texte}");
}

/// Three groups, two members that may move: G3 (no member today) cannot reach two élu·es.
fn trois_groupes_deux_membres() -> Donnees {
    let mut d = base(
        vec![
            unite("A", Some(0), 1.0, Some(0)),
            unite("B", Some(0), 1.0, Some(1)),
            unite("C", Some(0), 1.0, Some(2)),
        ],
        vec![
            groupe("G1", false),
            groupe("G2", false),
            groupe("G3", false),
        ],
        1,
    );
    d.regrouper = true;
    d.membres = vec![
        membre("C1", Some(0), true, vec![]),
        membre("C2", Some(1), true, vec![]),
    ];
    d
}

#[test]
fn impossible_declared_sizes_are_diagnosed_after_a_solve() {
    // Three groups need one member each (taille_min 2, written in [groupes]) but there are only
    // two members: a declared rule never yields.
    let mut d = trois_groupes_deux_membres();
    d.params.taille_min_declaree = true;
    let Err(Echec::Infaisable(inf)) = resoudre(&d) else {
        panic!("sizes cannot hold");
    };
    assert_eq!(inf.familles, vec![Famille::TailleMin]);
    assert_eq!(inf.cles.len(), 3, "{:?}", inf.cles);
}

#[test]
fn a_default_size_yields_on_the_group_already_short() {
    // The same city with the default taille_min (not written): a plan, the size lifted for the
    // one group that cannot reach it, and that group is the one short today (G3), so nobody
    // moves; the plan passes the checker with the lifted rule and no other.
    let d = trois_groupes_deux_membres();
    let r = resoudre(&d).expect("a plan: the default size yields");
    let levees: Vec<&Cle> = r.levees.iter().map(|l| &l.regle).collect();
    assert_eq!(
        levees,
        vec![&Cle::TailleMin {
            groupe: "G3".into()
        }]
    );
    assert_eq!(r.plan.membres, vec![Some(0), Some(1)]);
    let mut levee = d.clone();
    levee.levees = r.levees.clone();
    assert!(verify(&r.plan, &levee).is_empty());
    assert!(
        !verify(&r.plan, &d).is_empty(),
        "without the lift the plan breaks taille_min"
    );
    let texte = crate::report::optimisation::regles_levees(&r.levees).join("\n");
    assert!(
        texte.contains("G3") && texte.contains("taille_min"),
        "{texte}"
    );
}

#[test]
fn the_checker_rejects_a_broken_plan() {
    let mut d = base(
        vec![
            unite("A", Some(0), 10.0, Some(0)),
            unite("B", Some(1), 10.0, Some(1)),
        ],
        vec![groupe("G1", false), groupe("G2", false)],
        2,
    );
    d.membres = vec![membre("CD", Some(1), false, vec![1])];
    let r = resoudre(&d).expect("feasible");
    assert!(verify(&r.plan, &d).is_empty());
    let mut orphelin = r.plan.clone();
    orphelin.unites[0] = None;
    assert!(
        verify(&orphelin, &d)
            .iter()
            .any(|v| matches!(v.cle, Cle::UnPiloteParUnite { .. }))
    );
    let mut hors = r.plan.clone();
    hors.unites[1] = Some(0);
    let v = verify(&hors, &d);
    assert!(
        v.iter()
            .any(|v| matches!(v.cle, Cle::PerimetreMembre { .. }))
    );
    assert!(
        v.iter()
            .any(|v| matches!(v.cle, Cle::UneUniteParGroupe { .. }))
    );
    let mut change = r.plan.clone();
    change.membres[0] = Some(0);
    assert!(
        verify(&change, &d)
            .iter()
            .any(|v| matches!(v.cle, Cle::GroupeFixe { .. }))
    );
}

#[test]
fn lp_export_names_every_row_after_its_rule() {
    let d = base(
        vec![
            unite("DIR-A", Some(0), 10.0, Some(0)),
            unite("DIR-B", Some(0), 5.0, Some(1)),
        ],
        vec![groupe("G1", false), groupe("G2", false)],
        1,
    );
    let mg = construire(&d, &Exclusions::default(), true).expect("builds");
    let lp = mg.modele.lp("test");
    for attendu in [
        " UnPiloteParUnite.DIR_A: ",
        " DgaTouchee.G1.DGA0.DIR_A: ",
        " UneUniteParGroupe.G2: ",
        " EcartHaut.G1: ",
        "Minimize\n obj:",
        "General\n",
        "End\n",
    ] {
        assert!(lp.contains(attendu), "{attendu} absent de\n{lp}");
    }
}

/// Brute force: every assignment of units and members, the best valid one by [`evaluer`].
fn brute_force(d: &Donnees) -> Option<f64> {
    let ng = d.groupes.len();
    let nu = d.unites.len();
    let nm = d.membres.len();
    let total = ng.pow((nu + nm) as u32);
    let mut best: Option<f64> = None;
    for k in 0..total {
        let mut r = k;
        let mut digit = || {
            let g = r % ng;
            r /= ng;
            Some(g)
        };
        let unites = (0..nu).map(|_| digit()).collect();
        let membres = (0..nm).map(|_| digit()).collect();
        let plan = Plan::avec_retraits(d, unites, membres);
        if verify(&plan, d).is_empty() {
            let c = evaluer(&plan, d).total;
            best = Some(best.map_or(c, |b: f64| b.min(c)));
        }
    }
    best
}

fn instance() -> impl Strategy<Value = Donnees> {
    (1usize..=4, 2usize..=3, 1usize..=3, any::<bool>())
        .prop_flat_map(|(nu, ng, nd, regrouper)| {
            let unites = proptest::collection::vec(
                (
                    proptest::option::weighted(0.85, 0..nd),
                    0u32..60,
                    proptest::option::weighted(0.8, 0..ng),
                ),
                nu,
            );
            let groupes = proptest::collection::vec(proptest::bool::weighted(0.2), ng);
            let membres = proptest::collection::vec(
                (
                    proptest::option::weighted(0.8, 0..ng),
                    any::<bool>(),
                    proptest::collection::vec(0..nu, 0..=1),
                ),
                0..=2,
            );
            let liens = proptest::collection::vec((0..nu, 0..nu), 0..=1);
            let poids = (
                prop::sample::select(vec![0.0, 1.0, 10.0]),
                prop::sample::select(vec![0.0, 1.0, 3.0]),
                prop::sample::select(vec![0.0, 1.0, 2.5]),
                prop::sample::select(vec![0.0, 1.0]),
                1u32..=2,
                2u32..=3,
                (any::<bool>(), prop::sample::select(vec![0.0, 1.0, 5.0])),
            );
            (
                Just((nu, ng, nd, regrouper)),
                unites,
                groupes,
                membres,
                (liens, poids),
            )
        })
        .prop_map(
            |((_, _, nd, regrouper), unites, groupes, membres, (liens, poids))| {
                let mut d = base(
                    unites
                        .iter()
                        .enumerate()
                        .map(|(i, &(dga, c, a))| unite(&format!("U{i}"), dga, f64::from(c), a))
                        .collect(),
                    groupes
                        .iter()
                        .enumerate()
                        .map(|(i, &t)| groupe(&format!("G{i}"), t))
                        .collect(),
                    nd,
                );
                d.regrouper = regrouper;
                d.liens = liens
                    .iter()
                    .filter(|(a, b)| a != b)
                    .map(|&(a, b)| donnees::Lien {
                        a,
                        b,
                        noeud: format!("U{a}"),
                        lie: format!("U{b}"),
                        effectif: 1.0,
                    })
                    .collect();
                d.membres = membres
                    .iter()
                    .enumerate()
                    .filter(|(_, (a, _, _))| regrouper || a.is_some())
                    .map(|(i, (a, q, p))| {
                        let mut m = membre(&format!("E{i}"), *a, regrouper, p.clone());
                        m.quartier = *q;
                        m
                    })
                    .collect();
                let (wd, wc, we, wp, tmin, tmax, (retrait, wr)) = poids;
                d.params.retrait_appui = retrait;
                d.params.poids_retraits = wr;
                d.params.poids_dispersion = wd;
                d.params.poids_changements = wc;
                d.params.poids_equilibre = we;
                d.params.poids_preferences = wp;
                d.params.taille_min = tmin;
                d.params.taille_max = tmax;
                d
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    /// On random tiny instances the MILP's proved optimum equals the brute-force minimum, and
    /// the model is infeasible exactly when no assignment passes the checker.
    ///
    /// When no assignment passes the checker, the derived rules that contradict stronger ones
    /// are lifted ([`regles::concilier`]): the MILP then gives a plan exactly when the lifted
    /// instance has one, and its optimum is the brute-force minimum of that instance.
    #[test]
    fn milp_optimum_equals_brute_force(d in instance()) {
        let concilie = match brute_force(&d) {
            Some(_) => None,
            None => regles::concilier(&d, &Options::default()),
        };
        if let Some(c) = &concilie {
            prop_assert!(!c.levees.is_empty());
            prop_assert!(c.levees.iter().all(|l| regles::rang(&l.regle).is_some()));
            // The optimiser on the input lifts the same rules and finds the same optimum.
            let direct = resoudre(&d).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
            prop_assert_eq!(&direct.levees, &c.levees);
            let b = brute_force(c).ok_or_else(|| TestCaseError::fail("lifted, still no plan"))?;
            prop_assert!((direct.cout.total - b).abs() < 1e-6);
        }
        let d = concilie.unwrap_or(d);
        let attendu = brute_force(&d);
        match (resoudre(&d), attendu) {
            (Ok(r), Some(b)) => {
                prop_assert_eq!(&r.statut, &Statut::Optimal);
                prop_assert!((r.cout.total - b).abs() < 1e-6, "MILP {} ≠ brute force {}", r.cout.total, b);
            }
            (Err(Echec::Infaisable(_)), None) => {}
            (r, b) => prop_assert!(false, "MILP {:?} vs brute force {:?}", r.map(|r| r.cout), b),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    /// The valid rows of `optimise::coupes` cut off no whole plan: on random tiny instances,
    /// every assignment the checker accepts, read as variable values, satisfies every such row
    /// (checked row by row, independently of the solver). The balance weight is forced on, so
    /// that every instance whose pôle carries more than a mean load has `CapacitePole` rows (the
    /// test below checks one such case by hand).
    #[test]
    fn valid_rows_keep_every_checked_plan(mut d in instance()) {
        d.params.poids_equilibre = 1.0;
        let mut mg = groupes::construire(&d, &groupes::Exclusions::default(), true)
            .map_err(|c| TestCaseError::reject(format!("{c:?}")))?;
        coupes::capacite_pole(&d, &mut mg);
        let lignes: Vec<_> = mg
            .modele
            .lignes
            .iter()
            .filter(|l| matches!(l.cle, Cle::CapacitePole { .. }))
            .collect();
        let (ng, nu, nm) = (d.groupes.len(), d.unites.len(), d.membres.len());
        for k in 0..ng.pow((nu + nm) as u32) {
            let mut r = k;
            let mut digit = || {
                let g = r % ng;
                r /= ng;
                Some(g)
            };
            let unites = (0..nu).map(|_| digit()).collect();
            let membres = (0..nm).map(|_| digit()).collect();
            let plan = Plan::avec_retraits(&d, unites, membres);
            if !verify(&plan, &d).is_empty() {
                continue;
            }
            let Some(v) = mg.valeurs(&d, &plan) else { continue };
            for l in &lignes {
                let lhs: f64 = l.termes.iter().map(|&(i, c)| c * v[i]).sum();
                prop_assert!(lhs <= l.rhs + 1e-9, "{:?} cuts off {:?}: {} > {}", l.cle, plan, lhs, l.rhs);
            }
        }
    }
}

/// A pôle whose units together carry more than a mean load gets a `CapacitePole` row per group
/// that may span it, and the row cuts off the relaxation's escape: a group taking half of each of
/// the pôle's units while paying half a pôle and no deviation.
#[test]
fn capacite_pole_cuts_the_half_pole_escape() {
    // Two groups, one pôle with three units of 60, 60 and 60 (mean load 90 per group).
    let mut d = base(
        vec![
            unite("U0", Some(0), 60.0, Some(0)),
            unite("U1", Some(0), 60.0, Some(0)),
            unite("U2", Some(0), 60.0, Some(1)),
        ],
        vec![groupe("G0", false), groupe("G1", false)],
        1,
    );
    d.params.poids_equilibre = 1.0;
    let mut mg =
        groupes::construire(&d, &groupes::Exclusions::default(), true).expect("no conflict");
    coupes::capacite_pole(&d, &mut mg);
    let lignes: Vec<_> = mg
        .modele
        .lignes
        .iter()
        .filter(|l| matches!(l.cle, Cle::CapacitePole { .. }))
        .collect();
    assert_eq!(lignes.len(), 2, "one row per group spanning the pôle");
    // The fractional point: every x at 1/2, y at 1/2, no deviation (EcartHaut/Bas hold:
    // each group carries 90 = the mean).
    let mut v = vec![0.0; mg.modele.variables.len()];
    for u in 0..3 {
        for g in 0..2 {
            v[mg.x[u][g].expect("every group may lead every unit")] = 0.5;
        }
    }
    for g in 0..2 {
        v[mg.y[g][0].expect("every group may span the pôle")] = 0.5;
    }
    for l in &lignes {
        let lhs: f64 = l.termes.iter().map(|&(i, c)| c * v[i]).sum();
        // 3 × ½ × 60/90 − ½ = ½ > 0: the row is violated.
        assert!((lhs - 0.5).abs() < 1e-9, "{lhs}");
        assert!(lhs > l.rhs);
    }
}

/// The HiGHS backend on the same instances: same optimum as microlp and brute force.
#[cfg(feature = "highs")]
mod highs {
    use super::*;

    fn avec_highs(d: &Donnees) -> Result<Resultat, Echec> {
        optimiser(
            d,
            &Options {
                solveur: Solveur::Highs,
                ..Options::default()
            },
        )
    }

    /// Solves with both backends and checks they agree on a proved optimum.
    fn comme_microlp(d: &Donnees) -> Resultat {
        let m = resoudre(d).expect("feasible with microlp");
        let h = avec_highs(d).expect("feasible with HiGHS");
        assert_eq!(h.statut, Statut::Optimal);
        assert!(
            (h.cout.total - m.cout.total).abs() < 1e-6,
            "HiGHS {} ≠ microlp {}",
            h.cout.total,
            m.cout.total
        );
        assert!(verify(&h.plan, d).is_empty());
        h
    }

    #[test]
    fn highs_adopts_orphans_like_microlp() {
        let d = avec_orphelin();
        let h = comme_microlp(&d);
        assert_eq!(h.plan.unites, vec![Some(0), Some(0), Some(1)]);
    }

    #[test]
    fn highs_reduces_spread_like_microlp() {
        let d = disperse();
        let h = comme_microlp(&d);
        assert_eq!(h.plan.unites, vec![Some(0), Some(1), Some(1)]);
        assert_eq!(h.cout.dispersion, 2);
    }

    #[test]
    fn highs_regroups_within_sizes_like_microlp() {
        let d = regroupement_borne();
        let h = comme_microlp(&d);
        assert_ne!(h.plan.membres[2], Some(2));
    }

    #[test]
    fn highs_gives_the_same_plan_twice() {
        let d = regroupement_borne();
        let a = avec_highs(&d).expect("feasible");
        let b = avec_highs(&d).expect("feasible");
        assert_eq!(a.plan, b.plan);
    }

    #[test]
    fn highs_diagnoses_contradictory_locks() {
        let d = verrous_contradictoires();
        let Err(Echec::Infaisable(inf)) = avec_highs(&d) else {
            panic!("contradictory locks must be infeasible");
        };
        assert_eq!(inf.familles, vec![Famille::Verrou]);
        assert_eq!(inf.cles.len(), 2);
    }

    #[test]
    fn highs_stopped_at_once_still_returns_a_checked_plan() {
        let d = disperse();
        let o = Options {
            solveur: Solveur::Highs,
            limite_temps: 0.0,
            ..Options::default()
        };
        let r = optimiser(&d, &o).expect("the warm start or the fallback is a plan");
        assert!(verify(&r.plan, &d).is_empty());
        // Whatever HiGHS managed before stopping, a reported bound is a lower bound.
        if let Statut::LimiteTemps { borne: Some(b), .. } = r.statut {
            assert!(
                b <= r.cout.total + 1e-6,
                "bound {b} > plan {}",
                r.cout.total
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(40))]

        /// HiGHS's proved optimum equals the brute-force minimum on random tiny instances; where
        /// a derived rule contradicts a stronger one, HiGHS lifts the same rules as microlp
        /// (`regles::concilier`) and reaches the brute-force minimum of the reconciled instance.
        #[test]
        fn highs_optimum_equals_brute_force(d in instance()) {
            let concilie = match brute_force(&d) {
                Some(_) => None,
                None => regles::concilier(&d, &Options::default()),
            };
            if let Some(c) = &concilie {
                let direct = avec_highs(&d).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
                prop_assert_eq!(&direct.levees, &c.levees);
                let b = brute_force(c).ok_or_else(|| TestCaseError::fail("lifted, still no plan"))?;
                prop_assert!((direct.cout.total - b).abs() < 1e-6, "HiGHS {} ≠ brute force {}", direct.cout.total, b);
            }
            let d = concilie.unwrap_or(d);
            let attendu = brute_force(&d);
            match (avec_highs(&d), attendu) {
                (Ok(r), Some(b)) => {
                    prop_assert_eq!(&r.statut, &Statut::Optimal);
                    prop_assert!((r.cout.total - b).abs() < 1e-6, "HiGHS {} ≠ brute force {}", r.cout.total, b);
                }
                (Err(Echec::Infaisable(_)), None) => {}
                (r, b) => prop_assert!(false, "HiGHS {:?} vs brute force {:?}", r.map(|r| r.cout), b),
            }
        }
    }
}

/// A model beyond `MAX_UNITES_X_GROUPES` is refused before anything is built (issue 15, item 12:
/// model building is not bounded by the time limit).
#[test]
fn a_model_too_large_is_refused_before_building() {
    let unites = (0..2_001)
        .map(|u| unite(&format!("U{u}"), Some(0), 1.0, None))
        .collect();
    let groupes = (0..1_000)
        .map(|g| groupe(&format!("G{g}"), false))
        .collect();
    let d = base(unites, groupes, 1);
    match optimiser(&d, &Options::default()) {
        Err(Echec::Solveur(m)) => assert!(m.contains("modèle trop grand"), "{m}"),
        _ => panic!("a model of 2 001 × 1 000 must be refused"),
    }
    assert!(matches!(
        crate::optimise::front::front(&d, &Options::default()),
        Err(Echec::Solveur(_))
    ));
}

/// The rules lifted on `d` (combinatorial pass), as (rank, rule) for compact assertions.
fn levees(d: &Donnees) -> Vec<Cle> {
    d.levees.iter().map(|l| l.regle.clone()).collect()
}

/// A lock (declared) beats a cœur and the transversal rule: both yield on that unit only, and
/// each names the lock as its cause.
#[test]
fn a_lock_beats_a_coeur_and_a_transversal_group() {
    let mut d = base(
        vec![
            unite("A", Some(0), 10.0, Some(0)),
            unite("B", Some(0), 10.0, Some(1)),
            unite("C", Some(0), 10.0, Some(1)),
        ],
        vec![groupe("G1", false), groupe("G2", false), groupe("T", true)],
        1,
    );
    d.unites[0].coeur = Some(0);
    d.verrous_unites = vec![
        donnees::VerrouUnite {
            unite: 0,
            groupe: 1,
            ligne: 2,
        },
        donnees::VerrouUnite {
            unite: 1,
            groupe: 2,
            ligne: 3,
        },
    ];
    // Before the precedence, the model has no plan: the lock and the cœur fix A twice.
    assert!(construire(&d, &Exclusions::default(), false).is_err());
    regles::lever_conflits(&mut d);
    let coeur = Cle::Coeur {
        unite: "A".into(),
        groupe: "G1".into(),
    };
    let axe = Cle::AxeTransversal {
        unite: "B".into(),
        groupe: "T".into(),
    };
    assert_eq!(levees(&d), vec![coeur, axe]);
    assert!(
        d.levees
            .iter()
            .all(|l| matches!(l.causes[..], [Cle::VerrouUnite { .. }]))
    );
    let r = resoudre(&d).expect("a plan once the derived rules yield");
    assert_eq!(r.plan.unites[0], Some(1));
    assert_eq!(r.plan.unites[1], Some(2));
    assert!(verify(&r.plan, &d).is_empty());
    // The transversal group still gains nothing else: C is not open to it.
    assert!(!d.transversal_permis(2, 2));
    // The reason of the move is the lock, not the weights.
    assert_eq!(
        application::motif(&d, &r.plan, 0, 0, 1, &application::DoublesEntree::default()),
        application::Motif::Verrou(2)
    );
    let texte = crate::report::optimisation::regles_levees(&r.levees).join("\n");
    assert!(
        texte.contains("Règle levée : l'unité A reste au cœur du groupe G1, parce que verrous.csv ligne 2 donne A à G2."),
        "{texte}"
    );
}

/// Every unit is in a cœur and a third thematic group exists: « every thematic group leads a
/// unit » (rank 5) yields to the cœurs (rank 2), named as its causes; with a free unit, the
/// group takes it and nothing yields.
#[test]
fn a_group_whose_every_unit_is_a_coeur_leads_none_and_says_why() {
    let mut d = base(
        vec![
            unite("A", Some(0), 10.0, Some(0)),
            unite("B", Some(0), 10.0, Some(1)),
        ],
        vec![
            groupe("G1", false),
            groupe("G2", false),
            groupe("G3", false),
        ],
        1,
    );
    d.unites[0].coeur = Some(0);
    d.unites[1].coeur = Some(1);
    let mut libre = d.clone();
    libre.unites.push(unite("C", Some(0), 1.0, None));
    regles::lever_conflits(&mut d);
    assert_eq!(
        levees(&d),
        vec![Cle::UneUniteParGroupe {
            groupe: "G3".into()
        }]
    );
    assert_eq!(
        d.levees[0].causes,
        vec![
            Cle::Coeur {
                unite: "A".into(),
                groupe: "G1".into()
            },
            Cle::Coeur {
                unite: "B".into(),
                groupe: "G2".into()
            }
        ]
    );
    let r = resoudre(&d).expect("a plan");
    assert_eq!(r.plan.unites, vec![Some(0), Some(1)]);
    assert_eq!(r.levees, d.levees);
    regles::lever_conflits(&mut libre);
    assert!(libre.levees.is_empty());
    let r = resoudre(&libre).expect("a plan");
    assert_eq!(r.plan.unites[2], Some(2));
}

/// The solver's safety net: two adjoint·es de quartier of different groups, each linked only
/// through unit A. The combinatorial pass cannot see it; [`regles::concilier`] keeps the first
/// link (data order) and lifts the second, and the optimiser returns a verified plan.
#[test]
fn the_safety_net_lifts_only_the_rule_that_cannot_join() {
    let mut d = base(
        vec![
            unite("A", Some(0), 10.0, None),
            unite("B", Some(0), 10.0, None),
        ],
        vec![groupe("G1", false), groupe("G2", false)],
        1,
    );
    for (id, g) in [("Q1", 0), ("Q2", 1)] {
        let mut m = membre(id, Some(g), false, vec![]);
        m.quartier = true;
        m.lien_quartier = vec![0];
        d.membres.push(m);
    }
    regles::lever_conflits(&mut d);
    assert!(d.levees.is_empty());
    let r = resoudre(&d).expect("a plan");
    assert_eq!(
        r.levees.iter().map(|l| l.regle.clone()).collect::<Vec<_>>(),
        vec![Cle::LienQuartier {
            elu: "Q2".into(),
            groupe: "G2".into()
        }]
    );
    assert_eq!(r.plan.unites, vec![Some(0), Some(1)]);
    // The front lifts the same rule and holds every other one.
    let f = crate::optimise::front::front(&d, &Options::default()).expect("a front");
    assert!(f.iter().all(|p| p.plan.unites[0] == Some(0)));
    // Declared rules that conflict are still an infeasibility (exit 2), with their diagnosis.
    let d = verrous_contradictoires();
    assert!(regles::concilier(&d, &Options::default()).is_none());
}

/// The cœur is what the adjoint·e leads (issue 23, item 2), read from a scenario: the culture
/// adjoint·e piloting the fêtes service inside the sports direction does not make it a cœur of
/// culture; the transversal adjoint·e piloting a mission inside a territorial direction led by a
/// conseiller délégué of G3 does not « lead » it, and no rule contradicts another.
#[test]
fn a_coeur_is_what_the_adjoint_leads_and_an_intrusion_is_not() {
    use crate::analyse::graphe::tests::{elu, org, scenario};
    use crate::model::{Fonction, Role};
    let o = org(&[
        ("DGS", None, 1.0, &[], &[]),
        ("DGA", Some("DGS"), 1.0, &[], &[]),
        ("DIR-S", Some("DGA"), 2.0, &[], &[]),
        ("SRV-SPORT", Some("DIR-S"), 20.0, &[], &[]),
        ("SRV-FETES", Some("DIR-S"), 5.0, &[], &[]),
        ("DIR-C", Some("DGA"), 2.0, &[], &[]),
        ("SRV-MUSEE", Some("DIR-C"), 15.0, &[], &[]),
        ("DIR-T", Some("DGA"), 3.0, &[], &[]),
        ("SRV-MISSION", Some("DIR-T"), 2.0, &[], &[]),
        ("SRV-PROX", Some("DIR-T"), 30.0, &[], &[]),
    ]);
    let mut elus = vec![
        elu("SPORT", Fonction::Adjoint, Some("G1")),
        elu("CULTURE", Fonction::Adjoint, Some("G2")),
        elu("TERR", Fonction::Adjoint, Some("G3")),
        elu("CD3", Fonction::ConseillerDelegue, Some("G3")),
        elu("TRANS", Fonction::Adjoint, Some("G4")),
    ];
    for (k, e) in elus.iter_mut().enumerate() {
        if e.fonction == Fonction::Adjoint {
            e.rang = Some(k as u32 + 1);
        }
    }
    elus[4].axe = Some("democratie".into());
    let s = scenario(
        o,
        elus,
        &[
            ("SPORT", "DIR-S", Role::Pilote),
            ("CULTURE", "DIR-C", Role::Pilote),
            ("CULTURE", "SRV-FETES", Role::Pilote),
            ("CD3", "DIR-T", Role::Pilote),
            ("TRANS", "SRV-MISSION", Role::Pilote),
        ],
    );
    let d = Donnees::depuis_scenario(&s, &[], Granularite::Direction, false).expect("données");
    let u = |id: &str| d.unites.iter().position(|x| x.id == id).expect("unit");
    let g = |id: &str| d.groupe(id).expect("group");
    assert!(d.groupes[g("G4")].transversal);
    assert_eq!(d.unites[u("DIR-S")].coeur, Some(g("G1")));
    assert_eq!(d.unites[u("DIR-C")].coeur, Some(g("G2")));
    // Led by a member of G3, not by its adjoint·e: no cœur, and not G4's to keep.
    assert_eq!(d.unites[u("DIR-T")].coeur, None);
    assert!(!d.transversal_permis(u("DIR-T"), g("G4")));
    assert!(d.levees.is_empty(), "{:?}", d.levees);
    let r = resoudre(&d).expect("a plan");
    assert!(r.levees.is_empty());
    assert_eq!(r.plan.unites[u("DIR-S")], Some(g("G1")));
    assert_eq!(r.plan.unites[u("DIR-C")], Some(g("G2")));
    assert_eq!(r.plan.unites[u("DIR-T")], Some(g("G3")));
    // Most of the staff also makes a cœur: SPORT piloting only SRV-SPORT (20 of 27 ETP).
    let mut s2 = s.clone();
    let dir_s = s2.organigramme.find("DIR-S").expect("DIR-S");
    let sport = s2.organigramme.find("SRV-SPORT").expect("SRV-SPORT");
    for del in &mut s2.delegations {
        if del.noeud == dir_s {
            del.noeud = sport;
        }
    }
    let d2 = Donnees::depuis_scenario(&s2, &[], Granularite::Direction, false).expect("données");
    assert_eq!(d2.unites[u("DIR-S")].coeur, Some(g("G1")));
    // However large the intruded service (40 of 62 ETP), SPORT pilots the unit node: the cœur
    // stays G1's and the plan keeps DIR-S there (generated petite seed 2, --intrusions 3).
    let mut s3 = s.clone();
    let fetes = s3.organigramme.find("SRV-FETES").expect("SRV-FETES");
    s3.organigramme.noeuds[fetes].effectif = 40.0;
    let d3 = Donnees::depuis_scenario(&s3, &[], Granularite::Direction, false).expect("données");
    assert_eq!(d3.unites[u("DIR-S")].coeur, Some(g("G1")));
    let r3 = resoudre(&d3).expect("a plan");
    assert_eq!(r3.plan.unites[u("DIR-S")], Some(g("G1")));
}

/// Issue 23 item 5: a direction declaring a functional link to one 3-ETP service of another
/// group's direction weighs the 3 ETP the link concerns, not its own 120 ETP: the link alone
/// never pulls the whole direction over (before, it weighed as much as moving it, and a small
/// balance term tipped it).
#[test]
fn a_small_functional_link_never_moves_a_whole_direction() {
    use crate::analyse::graphe::tests::{elu, org, scenario};
    use crate::model::{Fonction, Role};
    let o = org(&[
        ("DGS", None, 1.0, &[], &[]),
        ("DGA", Some("DGS"), 1.0, &[], &[]),
        ("DIR-A", Some("DGA"), 200.0, &[], &[]),
        ("DIR-SANTE", Some("DGA"), 117.0, &[], &["SRV-HAB"]),
        ("SRV-HYG", Some("DIR-SANTE"), 3.0, &[], &[]),
        ("DIR-URBA", Some("DGA"), 37.0, &[], &[]),
        ("SRV-HAB", Some("DIR-URBA"), 3.0, &[], &[]),
    ]);
    let mut elus = vec![
        elu("A1", Fonction::Adjoint, Some("G1")),
        elu("A2", Fonction::Adjoint, Some("G2")),
    ];
    elus[0].rang = Some(1);
    elus[1].rang = Some(2);
    let mut s = scenario(
        o,
        elus,
        &[
            ("A1", "DIR-A", Role::Pilote),
            ("A1", "DIR-SANTE", Role::Pilote),
            ("A2", "DIR-URBA", Role::Pilote),
        ],
    );
    s.params.groupes.coeurs = false;
    s.params.groupes.poids_dispersion = 0.0;
    s.params.groupes.poids_equilibre = 0.5;
    let d = Donnees::depuis_scenario(&s, &[], Granularite::Direction, false).expect("données");
    let u = |id: &str| d.unites.iter().position(|x| x.id == id).expect("unit");
    assert_eq!(d.liens.len(), 1);
    assert_eq!(d.liens[0].effectif, 3.0);
    let r = resoudre(&d).expect("a plan");
    assert_eq!(
        r.plan.unites[u("DIR-SANTE")],
        d.unites[u("DIR-SANTE")].actuel
    );
    assert_eq!(r.cout.liens, 1);
    // The old weight (the declaring direction's whole staff) did pull it: the test can fail.
    let mut avant = d.clone();
    avant.liens[0].effectif = 120.0;
    let r = resoudre(&avant).expect("a plan");
    assert_ne!(
        r.plan.unites[u("DIR-SANTE")],
        d.unites[u("DIR-SANTE")].actuel
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(160))]

    /// The model's rows against the independent checker, through the LP layer's one harness
    /// ([`crate::lp::verifier`]): on random tiny instances, every assignment of units and
    /// members that [`verify`] accepts is a vector satisfying every row, bound and integrality of
    /// the model, priced at [`evaluer`]'s total; every assignment it rejects is not (or uses a
    /// variable the model does not create). The model thus neither forbids a valid plan nor
    /// allows an invalid one.
    #[test]
    fn the_model_admits_exactly_the_plans_the_checker_accepts(d in instance()) {
        let ng = d.groupes.len();
        let (nu, nm) = (d.unites.len(), d.membres.len());
        let mg = construire(&d, &Exclusions::default(), true).ok();
        for k in 0..ng.pow((nu + nm) as u32) {
            let mut r = k;
            let mut digit = || {
                let g = r % ng;
                r /= ng;
                Some(g)
            };
            let unites = (0..nu).map(|_| digit()).collect();
            let membres = (0..nm).map(|_| digit()).collect();
            let plan = Plan::avec_retraits(&d, unites, membres);
            let valide = verify(&plan, &d).is_empty();
            // A conflict found while building: no plan at all may pass the checker.
            let Some(mg) = &mg else {
                prop_assert!(!valide, "model conflict, yet {plan:?} is valid");
                continue;
            };
            let vecteur = mg.valeurs(&d, &plan);
            let defauts = vecteur
                .as_ref()
                .map(|v| crate::lp::verifier(&mg.modele, v, 1e-9));
            let admis = defauts.as_ref().is_some_and(Vec::is_empty);
            prop_assert_eq!(admis, valide, "{:?}: checker {:?}, model {:?}", plan, verify(&plan, &d), defauts);
            if let (true, Some(v)) = (valide, &vecteur) {
                let total = evaluer(&plan, &d).total;
                prop_assert!((mg.modele.valeur_objectif(v) - total).abs() < 1e-6);
            }
        }
    }
}
