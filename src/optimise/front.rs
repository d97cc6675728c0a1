//! The front of compromises of the grouping model: alternatives for the séminaire to debate,
//! not a single verdict.
//!
//! Two criteria pull apart. **Structure** `S = Σ_{g,d} y[g,d] + Σ_k l_k + Σ_{hors thème} x[u,g]`:
//! the pôles each thematic group spans, the functional links left between two groups (each a
//! D002) and the units moved to or adopted by a group sharing none of their domains (« hors
//! thème »): fewer is a clearer organisation. **Agents** `A = Σ_u c_u (1 − x[u,a(u)])`: the staff of the units moved
//! away from their group, i.e. the agents whose chain of command changes: fewer is gentler on
//! the services. Every rule of the model (one group per unit, cœurs, transversal groups,
//! quartier links, locks…) holds at every point.
//!
//! The front is computed exactly by the ε-constraint method on the integer criterion `S`:
//! 1. `min A`, then `min S` with `A` at its optimum: the point that touches the fewest agents
//!    (the plan that removes every erreur — no orphan, no double rattachement, by construction —
//!    while moving the fewest agents);
//! 2. for `s` from the last point's `S − 1` down: `min A` subject to `S ≤ s`, then `min S` with
//!    `A` at that optimum (the point's true structure, which may be below `s`), until no plan
//!    has `S ≤ s`: the last point is the most structured plan (`S_min`).
//!
//! Each point ends with a third stage, the model's own weighted objective with `A` and `S` held,
//! so that its plan is also the best balanced one among those with the same two figures. Every
//! stage is proved optimal or its gap is kept ([`PointFront::statut`], the weakest of its
//! stages); every plan goes through [`verify`].
//!
//! `S` is integer, which microlp does not know: minimising it, a node whose bound is 41,2 is
//! explored while a plan of 42 is in hand. So `min S` is never solved as such (issue 30: on
//! paris, the separate `S_min` solve took 20–60 % of the front's time, over 600 s on one
//! seed): the front ends when `S ≤ s` has no plan, and the second stage of a point is a descent (any plan
//! with `S ≤ S_cur − 1` at `A` held, a feasibility search, until there is none), where the row
//! `S ≤ S_cur − 1` makes the relaxation itself infeasible as soon as its bound exceeds it. Each
//! stage's optimum, and so each model of the third stage, is unchanged: the same points and
//! the same plans. The third stage gets no warm start on purpose: where its optimum is tied,
//! a start would choose another of the tied plans (measured on paris seed 2).

use super::criteres::{AGENTS_DEPLACES, STRUCTURE};
use super::{
    Cle, Donnees, Echec, Exclusions, Modele, Options, Plan, Sens, Statut, construire,
    diagnostiquer, evaluer, verify,
};
use crate::lp::{Critere, EchecSolveur, resoudre};
use crate::optimise::verification::Cout;
use std::time::Instant;

/// One point of the front.
#[derive(Debug, Clone)]
pub struct PointFront {
    /// Structure: pôles spanned by thematic groups, functional links across groups and units
    /// « hors thème ».
    pub structure: usize,
    /// Agents (ETP) whose chain of command changes.
    pub agents: f64,
    /// The verified plan.
    pub plan: Plan,
    /// Its objective, term by term.
    pub cout: Cout,
    /// The weakest status of the point's solves (proved optimal, or the gap that stopped one).
    pub statut: Statut,
}

/// Tolerance on `A` when it is held at its optimum (ETP; staff figures have at most 2 decimals).
const TOLERANCE_AGENTS: f64 = 1e-4;

/// Structure `S` of a plan, recomputed from the data alone (the criterion
/// [`super::criteres::STRUCTURE`]).
pub fn structure(cout: &Cout) -> usize {
    cout.valeur(STRUCTURE) as usize
}

/// The front of compromises, from the gentlest plan (fewest agents) to the most structured one,
/// each point with its plan. Empty when the model has no unit.
pub fn front(d: &Donnees, o: &Options) -> Result<Vec<PointFront>, Echec> {
    super::taille_admise(d)?;
    let debut = Instant::now();
    let mg = match construire(d, &Exclusions::default(), true) {
        Ok(m) => m,
        Err(c) => return reprendre(d, o, Some(c)),
    };
    // The front's two criteria, read by name from the model ([`super::criteres`]): S (y of
    // thematic groups, link variables, and the x of moves and adoptions « hors thème ») and
    // A = constant − Σ c_u x[u,a(u)]. Each becomes the objective alone, with weight 1.
    let critere = |nom: &str| -> Result<Critere, Echec> {
        mg.modele
            .critere(nom)
            .map(|c| Critere {
                poids: 1.0,
                ..c.clone()
            })
            .ok_or_else(|| Echec::Solveur(format!("critère « {nom} » absent du modèle")))
    };
    let s = critere(STRUCTURE)?;
    let a = critere(AGENTS_DEPLACES)?;
    let options = |o: &Options| Options {
        limite_temps: (o.limite_temps - debut.elapsed().as_secs_f64()).max(0.1),
        ..*o
    };
    let resoudre_avec = |m: &Modele| -> Result<(Vec<f64>, Statut), Echec> {
        match resoudre(m, None, &options(o), true) {
            Ok(b) => Ok((b.valeurs, b.statut)),
            // Handled by the caller: the first point lifts the derived rules that contradict
            // stronger ones, a later point's infeasibility ends the front.
            Err(EchecSolveur::Infaisable) => Err(Echec::Infaisable(Default::default())),
            Err(e) => Err(Echec::Solveur(e.raison())),
        }
    };
    // The lowest S over `m` from `v`, a plan of `m`: while some plan has
    // `S ≤ S_cur − 1`, take it (feasibility only: the first plan found ends each search).
    // `S_cur` is the plan's own structure ([`evaluer`]): the model's S at `v` may count a pôle
    // or a link that the plan does not need, as nothing minimises S here. Proved when the last
    // search proves that there is no such plan; a search stopped by a limit before any plan
    // leaves the descent where it is, unproved (no bound known).
    let descente = |m: &Modele, mut v: Vec<f64>| -> Result<(f64, Statut), Echec> {
        loop {
            let s_cur = structure(&evaluer(&mg.plan(d, &v), d)) as f64;
            let mut mf = m.clone();
            mf.contrainte(
                Cle::BorneStructure,
                s.termes.clone(),
                Sens::Le,
                s_cur - 1.0 - s.constante + 0.5,
            );
            let arret = |statut| Ok((s_cur, statut));
            match resoudre(&mf, None, &options(o), false) {
                Ok(b) => v = b.valeurs,
                Err(EchecSolveur::Infaisable) => return arret(Statut::Optimal),
                Err(EchecSolveur::LimiteNoeuds) => {
                    return arret(Statut::LimiteNoeuds {
                        borne: None,
                        ecart: None,
                    });
                }
                Err(EchecSolveur::LimiteTemps) => {
                    return arret(Statut::LimiteTemps {
                        borne: None,
                        ecart: None,
                    });
                }
                Err(e) => return Err(Echec::Solveur(e.raison())),
            }
        }
    };
    let pire = |a: Statut, b: Statut| -> Statut {
        match (&a, &b) {
            (Statut::Optimal, _) => b,
            _ => a,
        }
    };
    // One point: min A (under S ≤ borne), then min S at that A, then the weighted objective.
    let point = |borne: Option<usize>| -> Result<PointFront, Echec> {
        let mut m = mg.modele.clone();
        if let Some(b) = borne {
            m.contrainte(Cle::BorneStructure, s.termes.clone(), Sens::Le, b as f64);
        }
        let criteres = std::mem::replace(&mut m.criteres, vec![a.clone()]);
        let (v, st1) = resoudre_avec(&m)?;
        let a_opt = a.valeur(&v);
        m.contrainte(
            Cle::BorneAgents,
            a.termes.clone(),
            Sens::Le,
            a_opt - a.constante + TOLERANCE_AGENTS,
        );
        let (s_opt, st2) = descente(&m, v)?;
        m.contrainte(Cle::BorneStructure, s.termes.clone(), Sens::Le, s_opt + 0.5);
        m.criteres = criteres;
        let (v, st3) = resoudre_avec(&m)?;
        let plan = mg.plan(d, &v);
        if let Some(x) = verify(&plan, d).first() {
            return Err(Echec::Solveur(format!(
                "un point du front enfreint une règle ({}) : {}",
                x.cle.decrire(),
                x.message
            )));
        }
        let cout = evaluer(&plan, d);
        Ok(PointFront {
            structure: structure(&cout),
            agents: cout.agents_deplaces,
            plan,
            cout,
            statut: pire(pire(st1, st2), st3),
        })
    };
    let premier = match point(None) {
        // No plan at all: the derived rules that contradict stronger ones yield (as for the
        // optimiser's plan), and the front is computed under the rules that remain.
        Err(Echec::Infaisable(_)) => return reprendre(d, o, None),
        r => r?,
    };
    // Lower and lower structures, until none is possible.
    let mut points = vec![premier];
    while let Some(borne) = points.last().and_then(|p| p.structure.checked_sub(1)) {
        let p = match point(Some(borne)) {
            // No plan has S ≤ borne: the last point is the most structured plan.
            Err(Echec::Infaisable(_)) => break,
            r => r?,
        };
        if p.structure > borne {
            break;
        }
        points.push(p);
    }
    Ok(points)
}

/// [`front`] on the data with the contradicted derived rules lifted ([`super::regles`]); the
/// diagnosis when only the declared rules remain in conflict.
fn reprendre(
    d: &Donnees,
    o: &Options,
    conflit: Option<super::Conflit>,
) -> Result<Vec<PointFront>, Echec> {
    let Some(concilie) = super::regles::concilier(d, o) else {
        return Err(Echec::Infaisable(diagnostiquer(d, o, conflit)));
    };
    front(&concilie, o)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::optimise::tests::{base, groupe, unite};

    /// Two pôles, two groups: G1 leads A (pôle 0) and C (pôle 1), G2 leads B (pôle 1). Moving C
    /// (5 ETP) to G2 makes G1 span one pôle: the front is {(3 pôles, 0 ETP), (2 pôles, 5 ETP)}.
    #[test]
    fn the_front_trades_structure_for_agents_and_every_point_is_proved() {
        let mut d = base(
            vec![
                unite("A", Some(0), 10.0, Some(0)),
                unite("B", Some(1), 10.0, Some(1)),
                unite("C", Some(1), 5.0, Some(0)),
            ],
            vec![groupe("G1", false), groupe("G2", false)],
            2,
        );
        d.params.poids_equilibre = 0.0;
        let f = front(&d, &Options::default()).expect("feasible");
        let pts: Vec<(usize, f64)> = f.iter().map(|p| (p.structure, p.agents)).collect();
        assert_eq!(pts, vec![(3, 0.0), (2, 5.0)]);
        assert!(f.iter().all(|p| p.statut == Statut::Optimal));
        assert!(f.iter().all(|p| verify(&p.plan, &d).is_empty()));
        // With C in G1's cœur, structure 2 now costs 20 ETP: A and B swap groups.
        d.unites[2].coeur = Some(0);
        let f = front(&d, &Options::default()).expect("feasible");
        let pts: Vec<(usize, f64)> = f.iter().map(|p| (p.structure, p.agents)).collect();
        assert_eq!(pts, vec![(3, 0.0), (2, 20.0)]);
        assert!(f.iter().all(|p| p.plan.unites[2] == Some(0)));
    }

    /// On random small instances, every point is non-dominated and brute force agrees on the
    /// gentlest point's agents and the most structured point's structure.
    #[test]
    fn the_front_matches_brute_force_on_small_instances() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        for _ in 0..30 {
            let ng = rng.random_range(2..4);
            let nu = rng.random_range(ng..6);
            let unites = (0..nu)
                .map(|u| {
                    unite(
                        &format!("U{u}"),
                        Some(rng.random_range(0..2)),
                        f64::from(rng.random_range(1..20)),
                        Some(u % ng),
                    )
                })
                .collect();
            let groupes = (0..ng).map(|g| groupe(&format!("G{g}"), false)).collect();
            let mut d = base(unites, groupes, 2);
            d.params.poids_equilibre = 0.0;
            // Functional links count in the structure whatever their weight in the optimiser's
            // objective (`poids_liens = 0` included).
            for _ in 0..rng.random_range(0..3) {
                let (a, b) = (rng.random_range(0..nu), rng.random_range(0..nu));
                if a != b {
                    d.liens.push(crate::optimise::donnees::Lien {
                        a,
                        b,
                        noeud: format!("U{a}"),
                        lie: format!("U{b}"),
                        effectif: 1.0,
                    });
                }
            }
            d.params.poids_liens = f64::from(rng.random_range(0..2));
            let f = front(&d, &Options::default()).expect("feasible");
            // Brute force over every assignment where each group keeps at least one unit.
            let mut meilleurs: Vec<(usize, f64)> = Vec::new();
            let total = ng.pow(nu as u32);
            for k in 0..total {
                let mut x = k;
                let affect: Vec<Option<usize>> = (0..nu)
                    .map(|_| {
                        let g = x % ng;
                        x /= ng;
                        Some(g)
                    })
                    .collect();
                let plan = Plan::avec_retraits(&d, affect, vec![]);
                if !verify(&plan, &d).is_empty() {
                    continue;
                }
                let c = evaluer(&plan, &d);
                meilleurs.push((structure(&c), c.agents_deplaces));
            }
            let a_min = meilleurs.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
            let s_min = meilleurs.iter().map(|p| p.0).min().expect("a plan");
            assert!((f[0].agents - a_min).abs() < 1e-6);
            assert_eq!(f.last().expect("a point").structure, s_min);
            for p in &f {
                // No plan dominates a point of the front.
                assert!(
                    !meilleurs
                        .iter()
                        .any(|q| (q.0 < p.structure && q.1 <= p.agents + 1e-6)
                            || (q.0 <= p.structure && q.1 < p.agents - 1e-6))
                );
            }
        }
    }
}
