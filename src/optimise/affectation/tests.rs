//! Tests of the assignment: one per rule family, the explanations and envy, and a brute-force
//! reference on tiny instances (proptest).

use super::verification::{deplaces, mixtes, pire, presences};
use super::*;
use crate::model::Sexe;
use proptest::prelude::*;

fn fixe(id: &str, sexe: Sexe, c: &str) -> Fixe {
    Fixe {
        id: id.into(),
        sexe,
        composante: Some(c.into()),
    }
}

/// A group; `_non_lie` marks one the tests' adjoint·es de quartier are not linked to (they set
/// `Personne::lies` from it).
fn groupe(id: &str, _non_lie: bool, fixes: Vec<Fixe>) -> Groupe {
    Groupe {
        id: id.into(),
        fixes,
    }
}

fn personne(
    id: &str,
    sexe: Sexe,
    c: &str,
    actuel: Option<usize>,
    voeux: &[(usize, u8)],
) -> Personne {
    Personne {
        elu: usize::MAX,
        id: id.into(),
        nom: id.into(),
        sexe,
        composante: Some(c.into()),
        actuel,
        quartier: false,
        lies: None,
        voeux: voeux.to_vec(),
    }
}

fn inst(groupes: Vec<Groupe>, personnes: Vec<Personne>, regles: Regles) -> Instance {
    Instance {
        groupes,
        personnes,
        regles,
        avertissements: Vec::new(),
        notes_voeux: Vec::new(),
    }
}

fn sans_couts() -> Options {
    Options {
        couts: false,
        ..Options::default()
    }
}

/// Two groups led by F adjoint·es of component A, three movable élu·es.
fn trois() -> Instance {
    inst(
        vec![
            groupe("G1", false, vec![fixe("A1", Sexe::F, "A")]),
            groupe("G2", false, vec![fixe("A2", Sexe::F, "A")]),
        ],
        vec![
            personne("P1", Sexe::F, "A", Some(0), &[(1, 1), (0, 2)]),
            personne("P2", Sexe::M, "B", Some(0), &[(1, 1)]),
            personne("P3", Sexe::F, "B", Some(1), &[(1, 1), (0, 2)]),
        ],
        Regles {
            taille_max: 3,
            ..Regles::default()
        },
    )
}

#[test]
fn everyone_joins_one_group_within_the_sizes() {
    let i = trois();
    let s = lexicographique(&i, &sans_couts()).expect("feasible");
    assert_eq!(s.plan.len(), 3);
    let t = verification::tailles(&s.plan, &i);
    assert!(t.iter().all(|&t| (2..=3).contains(&t)), "{t:?}");
    // Everyone wants G2, which takes two: one goes to G1 at rank 2 (or 6 for P2).
    assert_eq!(s.seuils.pire, 2);
    assert_eq!(profil(&s.plan, &i), [2, 1, 0, 0, 0, 0]);
    assert_eq!(s.plan[1], 1, "P2 would get rank 6 in G1: P2 goes to G2");
}

#[test]
fn worst_rank_comes_before_the_count_at_rank_one() {
    // P1 and P2 both want G1 first; P2 has no other wish (G2 is rank 6 for P2), P1 has G2 at 5.
    // G1 takes one. Worst-rank first: P2 in G1 (rank 1), P1 in G2 (rank 5), worst 5 < 6.
    let i = inst(
        vec![
            groupe("G1", false, vec![fixe("A1", Sexe::F, "A")]),
            groupe("G2", false, vec![fixe("A2", Sexe::F, "A")]),
        ],
        vec![
            personne("P1", Sexe::F, "A", None, &[(0, 1), (1, 5)]),
            personne("P2", Sexe::M, "A", None, &[(0, 1)]),
        ],
        Regles {
            taille_min: 2,
            taille_max: 2,
            ..Regles::default()
        },
    );
    let s = lexicographique(&i, &sans_couts()).expect("feasible");
    assert_eq!(s.plan, vec![1, 0]);
    assert_eq!(s.seuils.pire, 5);
}

#[test]
fn rank_maximal_prefers_more_first_choices() {
    // Three can reach rank ≤ 2 in several ways; the most at rank 1 wins.
    let i = inst(
        vec![
            groupe("G1", false, vec![fixe("A1", Sexe::F, "A")]),
            groupe("G2", false, vec![fixe("A2", Sexe::F, "A")]),
            groupe("G3", false, vec![fixe("A3", Sexe::F, "A")]),
        ],
        vec![
            personne("P1", Sexe::F, "A", None, &[(0, 1), (1, 2)]),
            personne("P2", Sexe::M, "A", None, &[(0, 1), (2, 2)]),
            personne("P3", Sexe::M, "A", None, &[(1, 1), (2, 2)]),
        ],
        Regles {
            taille_min: 2,
            taille_max: 2,
            ..Regles::default()
        },
    );
    let s = lexicographique(&i, &sans_couts()).expect("feasible");
    assert_eq!(profil(&s.plan, &i), [2, 1, 0, 0, 0, 0]);
}

#[test]
fn fewest_moves_break_the_remaining_ties() {
    // No wishes: everyone stays.
    let mut i = trois();
    for p in &mut i.personnes {
        p.voeux.clear();
    }
    let s = lexicographique(&i, &sans_couts()).expect("feasible");
    assert_eq!(s.plan, vec![0, 0, 1]);
    assert_eq!(deplaces(&s.plan, &i), 0);
}

#[test]
fn an_adjoint_de_quartier_never_joins_a_group_they_are_not_linked_to() {
    let mut i = inst(
        vec![
            groupe("G1", false, vec![fixe("A1", Sexe::F, "A")]),
            groupe("T", true, vec![fixe("A2", Sexe::F, "A")]),
        ],
        vec![
            personne("Q", Sexe::M, "A", Some(0), &[(1, 1), (0, 2)]),
            personne("P", Sexe::M, "A", Some(1), &[]),
        ],
        Regles::default(),
    );
    i.personnes[0].quartier = true;
    // Q's délégations lie inside G1's thematic perimeter only.
    i.personnes[0].lies = Some(vec![0]);
    let r = affecter(&i, &Options::default()).expect("feasible");
    assert_eq!(r.plan[0], 0);
    assert!(matches!(
        r.raisons[0],
        Raison::Interdit {
            groupe: 1,
            rang: 1,
            famille: Famille::AdjointQuartier
        }
    ));
    // Without the rule Q gets their first wish: the cost is shown.
    assert_eq!(r.couts.len(), 1);
    assert_eq!(r.couts[0].famille, Famille::AdjointQuartier);
    assert_eq!(r.couts[0].alternative.as_deref(), Some(&[1, 0][..]));
    assert_eq!(r.couts[0].profil[0], 1);
}

#[test]
fn parity_makes_groups_mixed_when_it_can_and_costs_wishes() {
    // Two F-led groups; the two M both want G1. Parity sends one to G2.
    let mut i = inst(
        vec![
            groupe("G1", false, vec![fixe("A1", Sexe::F, "A")]),
            groupe("G2", false, vec![fixe("A2", Sexe::F, "A")]),
        ],
        vec![
            personne("M1", Sexe::M, "A", None, &[(0, 1), (1, 2)]),
            personne("M2", Sexe::M, "A", None, &[(0, 1), (1, 2)]),
        ],
        Regles {
            taille_min: 1,
            taille_max: 3,
            ..Regles::default()
        },
    );
    let s = lexicographique(&i, &sans_couts()).expect("feasible");
    assert_eq!(profil(&s.plan, &i)[0], 2, "without parity both get G1");
    i.regles.parite = true;
    let r = affecter(&i, &Options::default()).expect("feasible");
    assert_eq!(mixtes(&r.plan, &i), 2);
    assert_eq!(profil(&r.plan, &i), [1, 1, 0, 0, 0, 0]);
    assert_eq!(r.solution.seuils.mixtes, Some(2));
    let c = &r.couts[0];
    assert_eq!(c.famille, Famille::Parite);
    assert_eq!(c.profil, [2, 0, 0, 0, 0, 0]);
    // The one at rank 2 is told that leaving breaks parity.
    let p2 = (0..2).find(|&p| r.plan[p] == 1).expect("one in G2");
    assert!(
        matches!(&r.raisons[p2], Raison::Regle { violation, .. } if violation.famille == Famille::Parite),
        "{:?}",
        r.raisons[p2]
    );
}

#[test]
fn parity_is_only_asked_where_avoidable() {
    // Only F: no group can be mixed; the rule holds with zero mixed groups.
    let mut i = trois();
    for p in &mut i.personnes {
        p.sexe = Sexe::F;
    }
    i.regles.parite = true;
    let s = lexicographique(&i, &sans_couts()).expect("feasible");
    assert_eq!(s.seuils.mixtes, Some(0));
}

#[test]
fn components_spread_over_as_many_groups_as_possible() {
    let mut i = trois();
    i.regles.composantes = true;
    let s = lexicographique(&i, &sans_couts()).expect("feasible");
    // A is fixed in both groups; B (P2, P3) can be in both.
    assert_eq!(presences(&s.plan, &i), 4);
    assert_eq!(s.seuils.presences, Some(4));
}

#[test]
fn a_component_stays_within_its_maximum_of_groups() {
    let mut i = trois();
    i.groupes[1].fixes[0].composante = Some("C".into());
    i.regles.max_groupes_par_composante = Some(1);
    let s = lexicographique(&i, &sans_couts()).expect("feasible");
    let n = verification::groupes_par_composante(&s.plan, &i);
    assert_eq!(n.values().copied().collect::<Vec<_>>(), [1, 1, 1]);
    assert_eq!(
        s.plan,
        vec![0, 1, 1],
        "P1 (A) with A1; B together, where they wish"
    );
    // A fixed in two groups: a maximum of 1 cannot hold.
    i.groupes[1].fixes[0].composante = Some("A".into());
    match lexicographique(&i, &sans_couts()) {
        Err(Echec::Infaisable { familles, .. }) => {
            assert_eq!(familles, vec![Famille::MaxGroupesComposante]);
        }
        r => panic!("expected infeasible, got {r:?}"),
    }
}

#[test]
fn too_few_seats_is_diagnosed_with_the_size_rule() {
    let mut i = trois();
    i.regles.taille_max = 2;
    match lexicographique(&i, &sans_couts()) {
        Err(Echec::Infaisable {
            familles,
            a_placer,
            places,
        }) => {
            assert_eq!(familles, vec![Famille::TailleMax]);
            assert_eq!((a_placer, places), (3, (2, 2)));
        }
        r => panic!("expected infeasible, got {r:?}"),
    }
}

#[test]
fn a_full_group_names_who_ranked_it_as_high() {
    let i = trois();
    let r = affecter(&i, &sans_couts()).expect("feasible");
    let p = (0..3).find(|&p| r.plan[p] == 0).expect("one in G1");
    match &r.raisons[p] {
        Raison::Complet {
            groupe: 1,
            rang: 1,
            avant,
            autres: 1,
        } => assert_eq!(avant.len(), 2),
        x => panic!("{x:?}"),
    }
}

#[test]
fn each_constraint_family_has_its_key() {
    let mut i = trois();
    i.regles.parite = true;
    i.regles.composantes = true;
    i.regles.max_groupes_par_composante = Some(2);
    let c = construire(
        &i,
        &Seuils {
            mixtes: Some(1),
            presences: Some(3),
            par_rang: [Some(1), None, None, None, None, None],
            ..Seuils::aucun()
        },
    );
    let familles: std::collections::BTreeSet<Famille> =
        c.programme.cles().iter().map(Cle::famille).collect();
    for f in [
        Famille::MembreUnique,
        Famille::TailleMin,
        Famille::TailleMax,
        Famille::Parite,
        Famille::Composantes,
        Famille::MaxGroupesComposante,
        Famille::Voeux,
    ] {
        assert!(familles.contains(&f), "{f:?} absent");
    }
    assert!(c.programme.cles().contains(&Cle::Parite));
    assert!(c.programme.cles().contains(&Cle::RangMaximal { rang: 1 }));
}

#[test]
fn envy_pairs_are_swapped_when_no_rule_forbids() {
    let i = trois();
    // P1 (G1, rank 2) and P3 (G2, rank 1): no envy. Force an envious plan by hand.
    let mut i2 = i.clone();
    i2.personnes[2].voeux = vec![(0, 1), (1, 2)];
    let s = Solution {
        plan: vec![0, 1, 1],
        seuils: Seuils::aucun(),
        prouve: false,
        etapes: Vec::new(),
    };
    // P1 (in G1) prefers G2, P3 (in G2) prefers G1.
    let (plan, envies) = echanger(&i2, &s);
    assert_eq!(plan, vec![1, 1, 0]);
    assert_eq!(envies.len(), 1);
    assert!(envies[0].obstacle.is_none());
    // With parity and the swap making G1 single-sex… (P1 F ↔ P3 F: same sex, swap allowed).
    let r = affecter(&i2, &sans_couts()).expect("feasible");
    assert!(
        r.envies.iter().all(|e| e.obstacle.is_some()),
        "optimum: nothing to swap"
    );
}

#[test]
fn two_runs_give_the_same_assignment() {
    let mut i = trois();
    i.regles.parite = true;
    let a = affecter(&i, &Options::default()).expect("a");
    let b = affecter(&i, &Options::default()).expect("b");
    assert_eq!(a.plan, b.plan);
    assert_eq!(a.raisons, b.raisons);
    assert_eq!(a.couts, b.couts);
}

/// The lexicographic key of a plan, lower is better: rules' optima first (negated counts), then
/// the worst rank, then the counts per rank (negated), then the moves.
fn cle(plan: &Plan, i: &Instance) -> (i64, i64, u8, [i64; 6], usize) {
    let n = profil(plan, i);
    (
        if i.regles.parite {
            -(mixtes(plan, i) as i64)
        } else {
            0
        },
        if i.regles.composantes {
            -(presences(plan, i) as i64)
        } else {
            0
        },
        pire(plan, i).unwrap_or(0),
        n.map(|k| -(k as i64)),
        deplaces(plan, i),
    )
}

/// Every assignment by enumeration; the best lexicographic key among the valid ones.
fn brute_force(i: &Instance) -> Option<(i64, i64, u8, [i64; 6], usize)> {
    let ng = i.groupes.len();
    let np = i.personnes.len();
    let mut best = None;
    for k in 0..ng.pow(np as u32) {
        let mut r = k;
        let plan: Plan = (0..np)
            .map(|_| {
                let g = r % ng;
                r /= ng;
                g
            })
            .collect();
        if verify(&plan, i, &Seuils::aucun()).is_empty() {
            let c = cle(&plan, i);
            if best.as_ref().is_none_or(|b| c < *b) {
                best = Some(c);
            }
        }
    }
    best
}

fn instance() -> impl Strategy<Value = Instance> {
    (2usize..=3, 1usize..=5)
        .prop_flat_map(|(ng, np)| {
            let groupes = proptest::collection::vec(
                (any::<bool>(), any::<bool>(), 0usize..2, 1usize..=2),
                ng,
            );
            let personnes = proptest::collection::vec(
                (
                    any::<bool>(),
                    0usize..3,
                    proptest::option::of(0..ng),
                    any::<bool>(),
                    proptest::collection::vec((0..ng, 1u8..=5), 0..=3),
                ),
                np,
            );
            let regles = (
                any::<bool>(),
                any::<bool>(),
                proptest::option::of(1u32..=2),
                1u32..=2,
                2u32..=4,
            );
            (groupes, personnes, regles)
        })
        .prop_map(
            |(groupes, personnes, (parite, composantes, maxc, tmin, tmax))| {
                let comp = ["A", "B", "C"];
                let sexe = |f: bool| if f { Sexe::F } else { Sexe::M };
                let groupes_t: Vec<bool> = groupes.iter().map(|&(t, ..)| t).collect();
                let groupes = groupes
                    .iter()
                    .enumerate()
                    .map(|(g, &(t, f, c, n))| {
                        groupe(
                            &format!("G{g}"),
                            t,
                            (0..n)
                                .map(|k| fixe(&format!("F{g}{k}"), sexe(f ^ (k == 1)), comp[c]))
                                .collect(),
                        )
                    })
                    .collect();
                let personnes = personnes
                    .into_iter()
                    .enumerate()
                    .map(|(p, (f, c, actuel, q, voeux))| {
                        // One wish per group, ranks as drawn (duplicates of rank are dropped).
                        let mut v: Vec<(usize, u8)> = Vec::new();
                        for (g, r) in voeux {
                            if !v.iter().any(|&(h, s)| h == g || s == r) {
                                v.push((g, r));
                            }
                        }
                        v.sort_by_key(|&(g, r)| (r, g));
                        let mut x = personne(&format!("P{p}"), sexe(f), comp[c], actuel, &v);
                        x.quartier = q;
                        // Linked to the groups drawn « thematic », when there is one.
                        let lies: Vec<usize> =
                            (0..groupes_t.len()).filter(|&g| !groupes_t[g]).collect();
                        x.lies = (q && !lies.is_empty()).then_some(lies);
                        x
                    })
                    .collect();
                inst(
                    groupes,
                    personnes,
                    Regles {
                        taille_min: tmin,
                        taille_max: tmax,
                        quartier: true,
                        parite,
                        composantes,
                        max_groupes_par_composante: maxc,
                        ..Regles::default()
                    },
                )
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// On tiny instances the staged MILPs reach the brute-force lexicographic optimum, and
    /// declare infeasible exactly the instances without any valid assignment.
    #[test]
    fn lexicographic_optimum_equals_brute_force(i in instance()) {
        let attendu = brute_force(&i);
        match lexicographique(&i, &sans_couts()) {
            Ok(s) => {
                prop_assert!(s.prouve);
                prop_assert!(verify(&s.plan, &i, &s.seuils).is_empty());
                prop_assert_eq!(Some(cle(&s.plan, &i)), attendu);
            }
            Err(Echec::Infaisable { .. }) => prop_assert_eq!(attendu, None),
            Err(e) => prop_assert!(false, "solver failed: {:?}", e),
        }
    }

    /// After the swaps no envy pair is left that a swap could fix without breaking a rule.
    #[test]
    fn no_swappable_envy_remains(i in instance()) {
        if let Ok(r) = affecter(&i, &sans_couts()) {
            prop_assert!(r.envies.iter().all(|e| e.obstacle.is_some()));
            prop_assert!(verify(&r.plan, &i, &verification::regles_seules(&r.solution.seuils)).is_empty());
        }
    }
}

/// Three groups, two movable élu·es in G1 and G2: G3 (its adjoint·e alone today) cannot reach
/// `taille_min` 2.
fn prefecture(declarees: bool) -> Instance {
    inst(
        vec![
            groupe("G1", false, vec![fixe("A1", Sexe::F, "A")]),
            groupe("G2", false, vec![fixe("A2", Sexe::M, "A")]),
            groupe("G3", false, vec![fixe("A3", Sexe::F, "A")]),
        ],
        vec![
            personne("P1", Sexe::M, "A", Some(0), &[]),
            personne("P2", Sexe::F, "A", Some(1), &[(2, 1)]),
        ],
        Regles {
            tailles_declarees: (declarees, declarees),
            ..Regles::default()
        },
    )
}

#[test]
fn a_declared_size_that_cannot_hold_is_diagnosed() {
    let i = prefecture(true);
    assert_eq!(
        lever_tailles(&i, &sans_couts()),
        i,
        "declared: nothing yields"
    );
    let Err(Echec::Infaisable { familles, .. }) = affecter(&i, &sans_couts()) else {
        panic!("two élu·es cannot fill three groups to two");
    };
    assert!(familles.contains(&Famille::TailleMin), "{familles:?}");
}

#[test]
fn a_default_size_yields_on_the_fewest_groups_short_today_first() {
    // P2 wishes G3 first: the size lifted is still G3's alone (one group must stay short, and
    // G3 is the one short today), so P2 may join G3 only by leaving G2 short, which the
    // lifted rules do not allow: G2 keeps its taille_min and P2 stays.
    let i = lever_tailles(&prefecture(false), &sans_couts());
    assert_eq!(i.regles.tailles_levees, vec![(Famille::TailleMin, 2)]);
    let r = affecter(&i, &sans_couts()).expect("a plan once the default size yields");
    assert_eq!(r.plan, vec![0, 1]);
    assert!(verify(&r.plan, &i, &r.solution.seuils).is_empty());
    let strict = prefecture(true);
    assert!(
        !verify(&r.plan, &strict, &r.solution.seuils).is_empty(),
        "the plan breaks the size that was lifted"
    );
    let texte = crate::report::affectation::tailles_levees(&i).join("\n");
    assert!(
        texte.contains("le groupe G3 compte au moins 2") && texte.contains("les 2 élu·es à placer"),
        "{texte}"
    );
}
