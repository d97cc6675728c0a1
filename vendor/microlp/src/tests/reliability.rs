//! Reliability branching (`SolveOptions::reliability`): strong branching on the candidates
//! whose pseudocosts are not yet trusted. It must never change the proven optimum, whatever its
//! parameters (a pivot limit of one leaves most child LPs unfinished), it must stay
//! reproducible under a node limit, and it must remove children that strong branching proves
//! empty.

#[cfg(test)]
mod tests_reliability {
    use super::super::pivot_guard::tests_pivot_guard::{assignment, Lcg};
    use crate::*;

    /// A 0-1 knapsack with random weights and profits (maximize), a classic source of
    /// fractional relaxations with one fractional item.
    fn knapsack(seed: u64, n: usize) -> Problem {
        let mut rng = Lcg(seed);
        let mut p = Problem::new(OptimizationDirection::Maximize);
        let mut terms = Vec::new();
        let mut total = 0.0;
        for _ in 0..n {
            let w = 3.0 + rng.below(17) as f64;
            let v = p.add_binary_var(1.0 + rng.below(20) as f64);
            terms.push((v, w));
            total += w;
        }
        p.add_constraint(&terms[..], ComparisonOp::Le, (total / 2.0).floor());
        p
    }

    fn solve(p: &Problem, reliability: Option<Reliability>, cap: Option<u64>) -> (f64, Stats) {
        let mut options = SolveOptions::default();
        options.reliability = reliability;
        options.node_pivot_limit = cap;
        options.reduced_cost_fixing = cap.is_some();
        let outcome = p.solve_with(options).expect("feasible by construction");
        assert!(outcome.is_optimal(), "the search must stay complete");
        let stats = outcome.stats();
        (outcome.solution().expect("optimal").objective(), stats)
    }

    fn reliability(eta: u32, candidates: usize, lookahead: usize, pivots: u64) -> Reliability {
        let mut r = Reliability::default();
        r.min_observations = eta;
        r.max_candidates = candidates;
        r.lookahead = lookahead;
        r.pivot_limit = pivots;
        r
    }

    /// Same optimum as the plain product rule on assignment problems and knapsacks, for
    /// parameters from « strong-branch almost everything » to « one pivot per child », with
    /// and without the pivot guard and reduced-cost fixing; strong branching did run.
    #[test]
    fn reliability_branching_keeps_the_optimum() {
        let settings = [
            Reliability::default(),
            reliability(8, 50, 50, 1_000),
            reliability(1, 2, 1, 1),
            reliability(2, 4, 2, 3),
        ];
        let mut strong = 0;
        let mut tightened = 0;
        for seed in 0..10 {
            for p in [assignment(seed, 8, 4), knapsack(seed, 14)] {
                let (plain, plain_stats) = solve(&p, None, None);
                assert_eq!(plain_stats.strong_branching_lps, 0);
                for r in settings {
                    for cap in [None, Some(6)] {
                        let (with, stats) = solve(&p, Some(r), cap);
                        assert!(
                            (with - plain).abs() < 1e-6,
                            "seed {seed}, {r:?}, cap {cap:?}: {with} != {plain}"
                        );
                        strong += stats.strong_branching_lps;
                        tightened += stats.strong_branching_fixings;
                    }
                }
            }
        }
        assert!(strong > 0, "no strong branching ran");
        assert!(tightened > 0, "strong branching never removed a child");
    }

    /// `2x = 1`, x integer: the root relaxation is x = 0.5 and both children (x ≤ 0, x ≥ 1) are
    /// infeasible. The product rule needs the two nodes to see it; strong branching solves
    /// both children's LPs at the root and proves infeasibility without a node.
    #[test]
    fn strong_branching_prunes_empty_children_at_the_root() {
        let mut p = Problem::new(OptimizationDirection::Minimize);
        let x = p.add_integer_var(1.0, (0, 10));
        p.add_constraint(&[(x, 2.0)], ComparisonOp::Eq, 1.0);
        let mut options = SolveOptions::default();
        options.node_limit = Some(0);
        // Without reliability branching, no node: the proof is not complete.
        assert!(matches!(
            p.solve_with(options.clone()),
            Ok(ref o) if o.termination_reason() == TerminationReason::NodeLimit
        ));
        options.reliability = Some(Reliability::default());
        assert_eq!(p.solve_with(options).unwrap_err(), Error::Infeasible);
    }

    /// Under a node limit, reliability branching is reproducible: its child LPs are bounded by
    /// pivots, never by time.
    #[test]
    fn reliability_node_limit_is_reproducible() {
        let p = assignment(7, 12, 5);
        let run = || {
            let mut options = SolveOptions::default();
            options.reliability = Some(reliability(4, 6, 3, 5));
            options.node_pivot_limit = Some(20);
            options.node_limit = Some(2);
            let outcome = p.solve_with(options).unwrap();
            let stats = outcome.stats();
            let values: Option<Vec<f64>> = outcome
                .solution()
                .map(|s| s.iter().map(|(_, v)| v).collect());
            (
                outcome.termination_reason(),
                stats.nodes_solved,
                stats.lp_iterations,
                stats.strong_branching_lps,
                values,
            )
        };
        let first = run();
        assert_eq!(first.0, TerminationReason::NodeLimit);
        assert_eq!(first.1, 2);
        assert!(first.3 > 0);
        assert_eq!(first, run());
    }

    /// `after_nodes`: a search that ends within the first `after_nodes` nodes takes exactly
    /// the product rule's path (same nodes, pivots and solution, no strong branching); a longer
    /// one strong-branches only from there on, and keeps the optimum.
    #[test]
    fn strong_branching_waits_for_after_nodes() {
        let mut delayed_strong = 0;
        for seed in 0..10 {
            for p in [assignment(seed, 8, 4), knapsack(seed, 14)] {
                let (plain, plain_stats) = solve(&p, None, None);
                let mut r = reliability(1, 2, 1, 30);
                r.after_nodes = plain_stats.nodes_solved + 1;
                let (late, late_stats) = solve(&p, Some(r), None);
                assert_eq!(late, plain, "seed {seed}");
                assert_eq!(late_stats.strong_branching_lps, 0, "seed {seed}");
                assert_eq!(late_stats.nodes_solved, plain_stats.nodes_solved);
                assert_eq!(late_stats.lp_iterations, plain_stats.lp_iterations);
                if plain_stats.nodes_solved >= 4 {
                    r.after_nodes = 2;
                    let (early, early_stats) = solve(&p, Some(r), None);
                    assert!((early - plain).abs() < 1e-6, "seed {seed}: {early} != {plain}");
                    delayed_strong += early_stats.strong_branching_lps;
                }
            }
        }
        assert!(delayed_strong > 0, "strong branching never started after its nodes");
    }

    /// `max_lps_per_node`: strong branching never solves more child LPs than the quota allows
    /// per node solved (checked at each decision, so at most one candidate's two children past
    /// it), keeps the optimum, and a quota of 0 never strong-branches.
    #[test]
    fn strong_branching_keeps_to_its_quota() {
        for seed in 0..10 {
            for p in [assignment(seed, 8, 4), knapsack(seed, 14)] {
                let (plain, _) = solve(&p, None, None);
                for quota in [0.0, 0.5, 1.0] {
                    let mut r = reliability(8, 50, 50, 1_000);
                    r.max_lps_per_node = quota;
                    let (with, stats) = solve(&p, Some(r), None);
                    assert!((with - plain).abs() < 1e-6, "seed {seed}, quota {quota}");
                    let allowed = quota * (stats.nodes_solved + 1) as f64 + 2.0;
                    assert!(
                        (stats.strong_branching_lps as f64) <= allowed,
                        "seed {seed}, quota {quota}: {} LPs for {} nodes",
                        stats.strong_branching_lps,
                        stats.nodes_solved
                    );
                    if quota == 0.0 {
                        assert_eq!(stats.strong_branching_lps, 0);
                    }
                }
            }
        }
        let mut options = SolveOptions::default();
        let mut r = Reliability::default();
        r.max_lps_per_node = f64::NAN;
        options.reliability = Some(r);
        assert!(matches!(
            assignment(1, 3, 2).solve_with(options),
            Err(Error::InvalidOptions(_))
        ));
    }

    #[test]
    fn zero_strong_branching_pivot_limit_is_rejected() {
        let p = assignment(1, 3, 2);
        let mut options = SolveOptions::default();
        options.reliability = Some(reliability(4, 8, 4, 0));
        assert!(matches!(
            p.solve_with(options),
            Err(Error::InvalidOptions(_))
        ));
    }
}
