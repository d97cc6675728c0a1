//! The per-node pivot guard (`SolveOptions::node_pivot_limit`): however small the budget, the
//! search stays complete (the same proven optimum), and it reports the nodes it restarted or
//! split.

#[cfg(test)]
pub(super) mod tests_pivot_guard {
    use crate::*;

    /// A small deterministic generator (no dependency): 64-bit LCG.
    pub(crate) struct Lcg(pub(crate) u64);

    impl Lcg {
        pub(crate) fn next(&mut self) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            self.0 >> 33
        }
        pub(crate) fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// Degenerate assignment-like MILPs: `n` items, each assigned to exactly one of `k` bins
    /// (equality rows, the source of degenerate vertices), bins opened by a binary `y` with a
    /// capacity, a general integer slack and random costs. Always feasible (the bins together
    /// hold more than `n` items).
    pub(crate) fn assignment(seed: u64, n: usize, k: usize) -> Problem {
        let mut rng = Lcg(seed);
        let mut p = Problem::new(OptimizationDirection::Minimize);
        let y: Vec<Variable> = (0..k)
            .map(|_| p.add_binary_var(3.0 + rng.below(5) as f64))
            .collect();
        let x: Vec<Vec<Variable>> = (0..n)
            .map(|_| {
                (0..k)
                    .map(|_| p.add_binary_var(rng.below(4) as f64))
                    .collect()
            })
            .collect();
        let extra = p.add_integer_var(0.5, (0, n as i32));
        for row in &x {
            let terms: Vec<(Variable, f64)> = row.iter().map(|&v| (v, 1.0)).collect();
            p.add_constraint(&terms[..], ComparisonOp::Eq, 1.0);
        }
        // Aggregated linking (a weak relaxation, hence a real tree): bin `b` holds at most
        // `cap` items when open, none when closed.
        let cap = n.div_ceil(k) + 1;
        for (b, &yb) in y.iter().enumerate() {
            let mut terms: Vec<(Variable, f64)> = x.iter().map(|row| (row[b], 1.0)).collect();
            terms.push((yb, -(cap as f64)));
            p.add_constraint(&terms[..], ComparisonOp::Le, 0.0);
        }
        // Balance: the first bin takes at least a third of the items, or pays for `extra`.
        let mut terms: Vec<(Variable, f64)> = x.iter().map(|row| (row[0], 1.0)).collect();
        terms.push((extra, 1.0));
        p.add_constraint(&terms[..], ComparisonOp::Ge, (n / 3) as f64);
        p
    }

    fn solve(p: &Problem, cap: Option<u64>) -> (f64, Stats) {
        solve_with(p, cap, false)
    }

    fn solve_with(p: &Problem, cap: Option<u64>, fixing: bool) -> (f64, Stats) {
        let mut options = SolveOptions::default();
        options.node_pivot_limit = cap;
        options.reduced_cost_fixing = fixing;
        let outcome = p.solve_with(options).expect("feasible by construction");
        assert!(outcome.is_optimal(), "the search must stay complete");
        let stats = outcome.stats();
        (outcome.solution().expect("optimal").objective(), stats)
    }

    /// With small budgets per node LP (nodes then restart under Bland's rule, and with one or
    /// two pivots most are split without an LP), every instance still ends proved optimal with
    /// the objective of the unguarded search.
    #[test]
    fn any_pivot_budget_proves_the_same_optimum() {
        let mut restarted = 0;
        let mut split = 0;
        for seed in 0..12 {
            let p = assignment(seed, 8, 4);
            let (free, free_stats) = solve(&p, None);
            assert_eq!(free_stats.stalled_node_lps, 0);
            assert_eq!(free_stats.split_unsolved_nodes, 0);
            for cap in [4, 6, 10] {
                let (guarded, stats) = solve(&p, Some(cap));
                assert!(
                    (guarded - free).abs() < 1e-6,
                    "seed {seed}, cap {cap}: {guarded} != {free}"
                );
                restarted += stats.stalled_node_lps;
                split += stats.split_unsolved_nodes;
            }
        }
        assert!(restarted > 0, "no node LP used its budget");
        // Budgets of one and two pivots: most restarts run out too, and their nodes are split
        // without an LP (smaller instances: such a tree is close to an enumeration).
        for seed in 0..12 {
            let p = assignment(seed, 4, 2);
            let (free, _) = solve(&p, None);
            for cap in [1, 2] {
                let (guarded, stats) = solve(&p, Some(cap));
                assert!(
                    (guarded - free).abs() < 1e-6,
                    "seed {seed}, cap {cap}: {guarded} != {free}"
                );
                split += stats.split_unsolved_nodes;
            }
        }
        assert!(split > 0, "no node was split");
    }

    /// Under a node limit, a guarded search is reproducible: the same stop, nodes, pivots and
    /// plan on every run.
    #[test]
    fn guarded_node_limit_is_reproducible() {
        let p = assignment(7, 9, 4);
        let run = || {
            let mut options = SolveOptions::default();
            options.node_pivot_limit = Some(2);
            options.node_limit = Some(15);
            let outcome = p.solve_with(options).unwrap();
            let stats = outcome.stats();
            let values: Option<Vec<f64>> = outcome
                .solution()
                .map(|s| s.iter().map(|(_, v)| v).collect());
            (
                outcome.termination_reason(),
                stats.nodes_solved,
                stats.lp_iterations,
                stats.stalled_node_lps,
                values,
            )
        };
        let first = run();
        assert_eq!(first.0, TerminationReason::NodeLimit);
        assert_eq!(first.1, 15);
        assert_eq!(first, run());
    }

    /// Reduced-cost fixing keeps the optimum (alone and with the guard), fixes variables, and
    /// never explores more nodes than the plain search on these instances.
    #[test]
    fn reduced_cost_fixing_keeps_the_optimum() {
        let mut fixed = 0;
        for seed in 0..12 {
            let p = assignment(seed, 8, 4);
            let (free, free_stats) = solve(&p, None);
            assert_eq!(free_stats.reduced_cost_fixings, 0);
            for cap in [None, Some(6)] {
                let (with, stats) = solve_with(&p, cap, true);
                assert!((with - free).abs() < 1e-6, "seed {seed}: {with} != {free}");
                fixed += stats.reduced_cost_fixings;
            }
        }
        assert!(fixed > 0);
    }

    #[test]
    fn zero_node_pivot_limit_is_rejected() {
        let p = assignment(1, 3, 2);
        let mut options = SolveOptions::default();
        options.node_pivot_limit = Some(0);
        assert!(matches!(
            p.solve_with(options),
            Err(Error::InvalidOptions(_))
        ));
    }
}
