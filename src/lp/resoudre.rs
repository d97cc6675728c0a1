//! The solver layer: one place that names a backend.
//!
//! In: a [`Probleme`], [`Options`] (backend, time and node limits, gap), a warm start and a
//! [`Suivi`] (progress report, stop flag). Out: a [`Solution`] (values and a [`Statut`] saying how
//! good they are known to be) or an [`EchecSolveur`].
//!
//! Three paths, each where it is needed:
//! - [`resoudre_suivi`] with [`Solveur::Microlp`] drives microlp directly: good_lp hides its
//!   deterministic node limit and its resumable search, which give reproducible plans, progress
//!   while searching and the best plan kept on Ctrl-C (the grouping model);
//! - [`resoudre_suivi`] with [`Solveur::Highs`] drives HiGHS directly (feature `highs`), for its
//!   MIP dual bound, which good_lp does not expose;
//! - [`resoudre_good_lp`] goes through good_lp where it suffices (the assignment stages and the
//!   indemnités LP, which need neither).
//!
//! All three build their good_lp or microlp model from the same [`Probleme`], so a model never
//! names a backend, and every failure is worded once ([`EchecSolveur`]).

use super::{Probleme, Sens};
use std::time::{Duration, Instant};

/// MILP backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Solveur {
    /// microlp: pure Rust, always available.
    #[default]
    Microlp,
    /// HiGHS: needs the `highs` feature (cmake, a C++ compiler, libclang).
    Highs,
}

impl Solveur {
    /// Name of the backend, as reports print it.
    pub fn nom(self) -> &'static str {
        match self {
            Solveur::Microlp => "microlp",
            Solveur::Highs => "highs",
        }
    }
}

/// Solve options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Backend.
    pub solveur: Solveur,
    /// Time limit in seconds.
    pub limite_temps: f64,
    /// Relative gap at which to stop (0 = prove optimality), measured on the whole objective
    /// (its constant part included), as the user reads it.
    pub ecart_max: f64,
    /// Branch-and-bound nodes at most (microlp): a deterministic effort limit, so that the same
    /// input gives the same plan on any machine even when the search stops before its proof.
    pub limite_noeuds: Option<u64>,
}

/// Default deterministic effort limit (branch-and-bound nodes of microlp).
pub const LIMITE_NOEUDS: u64 = 200_000;

impl Default for Options {
    fn default() -> Self {
        Options {
            solveur: Solveur::Microlp,
            limite_temps: 60.0,
            ecart_max: 0.0,
            limite_noeuds: Some(LIMITE_NOEUDS),
        }
    }
}

/// The state of a search, reported as it goes (values of the whole objective, constant
/// included).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progression {
    /// Branch-and-bound nodes solved so far.
    pub noeuds: u64,
    /// Objective of the best plan found so far.
    pub meilleur: Option<f64>,
    /// Best proven lower bound.
    pub borne: Option<f64>,
    /// Relative gap between the two.
    pub ecart: Option<f64>,
    /// Seconds since the search started.
    pub secondes: f64,
}

/// What a long search reports to, and listens to: a progress callback, and a flag that stops
/// the search at its next step, keeping the best plan found (Ctrl-C).
pub struct Suivi<'a> {
    /// Called after every step of the search.
    pub progression: &'a dyn Fn(&Progression),
    /// Set to stop the search.
    pub arret: &'a std::sync::atomic::AtomicBool,
}

static JAMAIS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

impl Suivi<'static> {
    /// No report, no stop.
    pub fn muet() -> Suivi<'static> {
        Suivi {
            progression: &|_| {},
            arret: &JAMAIS,
        }
    }
}

/// How good the returned values are known to be.
#[derive(Debug, Clone, PartialEq)]
pub enum Statut {
    /// Proved optimal.
    Optimal,
    /// Stopped within the requested gap (`--ecart-max`): best bound and relative gap.
    EcartAtteint {
        /// Best proven lower bound on the objective.
        borne: Option<f64>,
        /// Relative gap between the plan and the bound.
        ecart: Option<f64>,
    },
    /// Stopped by the node limit (`--limite-noeuds`, deterministic) with a solver plan.
    LimiteNoeuds {
        /// Best proven lower bound on the objective.
        borne: Option<f64>,
        /// Relative gap between the plan and the bound.
        ecart: Option<f64>,
    },
    /// Stopped by the user (Ctrl-C) with a solver plan: the best found so far.
    Interrompu {
        /// Best proven lower bound on the objective.
        borne: Option<f64>,
        /// Relative gap between the plan and the bound.
        ecart: Option<f64>,
    },
    /// Stopped by the time limit with a solver plan: best bound and relative gap.
    LimiteTemps {
        /// Best proven lower bound on the objective.
        borne: Option<f64>,
        /// Relative gap between the plan and the bound.
        ecart: Option<f64>,
    },
    /// The solver gave no plan (time limit before its first solution, or backend error): the
    /// model's fallback (verified) is returned, with no quality bound.
    Repli {
        /// Why, in French.
        raison: String,
    },
}

impl Statut {
    /// The status with its gap recomputed against `objectif`, the value of the plan actually
    /// returned (the model's own evaluation, which may differ from the solver's incumbent: a
    /// repaired or re-evaluated plan). Statuses without a bound come back unchanged.
    pub fn ecart_pour(self, objectif: f64) -> Statut {
        let ecart = |borne: Option<f64>, ecart: Option<f64>| {
            borne.map_or(ecart, |b| {
                Some(((objectif - b) / objectif.abs().max(1e-9)).max(0.0))
            })
        };
        match self {
            Statut::LimiteTemps { borne, ecart: e } => Statut::LimiteTemps {
                borne,
                ecart: ecart(borne, e),
            },
            Statut::LimiteNoeuds { borne, ecart: e } => Statut::LimiteNoeuds {
                borne,
                ecart: ecart(borne, e),
            },
            Statut::EcartAtteint { borne, ecart: e } => Statut::EcartAtteint {
                borne,
                ecart: ecart(borne, e),
            },
            Statut::Interrompu { borne, ecart: e } => Statut::Interrompu {
                borne,
                ecart: ecart(borne, e),
            },
            s => s,
        }
    }
}

/// Why the solver returned no values. One type for every model, so that a failure is worded
/// once ([`EchecSolveur::raison`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EchecSolveur {
    /// The rows cannot all hold.
    #[error("modèle infaisable")]
    Infaisable,
    /// The objective is unbounded (a modelling error).
    #[error("modèle non borné (erreur interne)")]
    NonBorne,
    /// The time limit came before the first solution.
    #[error("limite de temps atteinte avant la première solution du solveur")]
    LimiteTemps,
    /// The node limit came before the first solution.
    #[error("limite de nœuds (--limite-noeuds) atteinte avant la première solution du solveur")]
    LimiteNoeuds,
    /// The user stopped the search before the first solution.
    #[error("recherche interrompue avant la première solution du solveur")]
    Interrompu,
    /// Any other backend failure (its own words; HiGHS not compiled in).
    #[error("erreur du solveur : {0}")]
    Interne(String),
}

impl EchecSolveur {
    /// French wording, as the CLI and the reports print it.
    pub fn raison(&self) -> String {
        self.to_string()
    }
}

impl From<good_lp::ResolutionError> for EchecSolveur {
    fn from(e: good_lp::ResolutionError) -> Self {
        use good_lp::ResolutionError as R;
        match e {
            R::Infeasible => EchecSolveur::Infaisable,
            R::Unbounded => EchecSolveur::NonBorne,
            R::Other(s) if s.contains("Time limit") => EchecSolveur::LimiteTemps,
            R::Other(s) => EchecSolveur::Interne(s.to_string()),
            R::Str(s) => EchecSolveur::Interne(s),
        }
    }
}

impl From<microlp::Error> for EchecSolveur {
    fn from(e: microlp::Error) -> Self {
        match e {
            microlp::Error::Infeasible => EchecSolveur::Infaisable,
            microlp::Error::Unbounded => EchecSolveur::NonBorne,
            microlp::Error::InvalidOptions(s)
            | microlp::Error::InvalidOperation(s)
            | microlp::Error::InternalError(s) => EchecSolveur::Interne(s),
        }
    }
}

/// Raw solver outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// Value of each variable, by index.
    pub valeurs: Vec<f64>,
    /// How good the values are known to be.
    pub statut: Statut,
    /// `constante + Σ objectif` at the values (the objective asked, whatever the direction).
    pub objectif: f64,
    /// Wall-clock time of the solve (never in a report: outputs stay byte-stable).
    pub duree: Duration,
    /// Backend used.
    pub solveur: &'static str,
}

/// Direction of the objective on the good_lp path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Minimise.
    Minimiser,
    /// Maximise.
    Maximiser,
}

/// Why `--solveur highs` cannot run in a build without the `highs` feature.
#[cfg(not(feature = "highs"))]
fn sans_highs() -> EchecSolveur {
    EchecSolveur::Interne(
        "HiGHS n'est pas compilé dans ce binaire : recompilez avec « cargo build --release --features highs » (cmake, compilateur C++ et libclang requis)".into(),
    )
}

/// Solves `p` (a minimisation) with the chosen backend. `objectif = false` ignores the objective
/// (feasibility only).
pub fn resoudre<K>(
    p: &Probleme<K>,
    initial: Option<&[f64]>,
    o: &Options,
    objectif: bool,
) -> Result<Solution, EchecSolveur> {
    resoudre_suivi(p, initial, o, objectif, &Suivi::muet())
}

/// [`resoudre`] with a progress report and a stop flag (microlp only; HiGHS runs to its limits).
pub fn resoudre_suivi<K>(
    p: &Probleme<K>,
    initial: Option<&[f64]>,
    o: &Options,
    objectif: bool,
    suivi: &Suivi,
) -> Result<Solution, EchecSolveur> {
    let debut = Instant::now();
    let (valeurs, statut) = match o.solveur {
        Solveur::Microlp => resoudre_microlp(p, initial, o, objectif, suivi)?,
        #[cfg(feature = "highs")]
        Solveur::Highs => resoudre_highs(p, initial, o, objectif)?,
        #[cfg(not(feature = "highs"))]
        Solveur::Highs => return Err(sans_highs()),
    };
    super::controle::controler(p, &valeurs);
    Ok(Solution {
        objectif: p.valeur_objectif(&valeurs),
        valeurs,
        statut,
        duree: debut.elapsed(),
        solveur: o.solveur.nom(),
    })
}

/// The one bridge to good_lp: variables (with their warm start), objective and rows.
fn vers_good_lp<K>(
    p: &Probleme<K>,
    initial: Option<&[f64]>,
    objectif: bool,
) -> (
    good_lp::ProblemVariables,
    Vec<good_lp::Variable>,
    good_lp::Expression,
    Vec<good_lp::Constraint>,
) {
    use good_lp::{Expression, ProblemVariables, variable};
    let mut pv = ProblemVariables::new();
    let vars: Vec<good_lp::Variable> = p
        .variables
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut def = variable().min(v.min);
            if v.max.is_finite() {
                def = def.max(v.max);
            }
            if v.entiere {
                def = def.integer();
            }
            if let Some(init) = initial.and_then(|s| s.get(i)) {
                def = def.initial(*init);
            }
            pv.add(def)
        })
        .collect();
    let obj: Expression = if objectif {
        p.objectif().iter().map(|&(i, c)| c * vars[i]).sum()
    } else {
        Expression::from(0.0)
    };
    let lignes = p
        .lignes
        .iter()
        .map(|c| {
            let e: Expression = c.termes.iter().map(|&(i, k)| k * vars[i]).sum();
            match c.sens {
                Sens::Le => e.leq(c.rhs),
                Sens::Ge => e.geq(c.rhs),
                Sens::Eq => e.eq(c.rhs),
            }
        })
        .collect();
    (pv, vars, obj, lignes)
}

/// Solves `p` through good_lp (microlp or HiGHS with their defaults, the time limit of `o`, one
/// thread and a zero gap for HiGHS): for models that need neither the node limit, nor progress,
/// nor the dual bound. The status is good_lp's: optimal, or stopped by a limit (no bound).
pub fn resoudre_good_lp<K>(
    p: &Probleme<K>,
    direction: Direction,
    o: &Options,
) -> Result<Solution, EchecSolveur> {
    use good_lp::{Solution as _, SolutionStatus, SolverModel};
    let debut = Instant::now();
    let (pv, vars, obj, lignes) = vers_good_lp(p, None, true);
    let pb = match direction {
        Direction::Minimiser => pv.minimise(obj),
        Direction::Maximiser => pv.maximise(obj),
    };
    let statut = |s: SolutionStatus| match s {
        SolutionStatus::Optimal => Statut::Optimal,
        SolutionStatus::TimeLimit => Statut::LimiteTemps {
            borne: None,
            ecart: None,
        },
        SolutionStatus::GapLimit => Statut::EcartAtteint {
            borne: None,
            ecart: None,
        },
    };
    let (valeurs, statut) = match o.solveur {
        Solveur::Microlp => {
            use good_lp::{WithTimeLimit, microlp};
            let mut m = pb.using(microlp).with_time_limit(o.limite_temps);
            for c in lignes {
                m.add_constraint(c);
            }
            let s = m.solve()?;
            (
                vars.iter().map(|&v| s.value(v)).collect::<Vec<f64>>(),
                statut(s.status()),
            )
        }
        #[cfg(feature = "highs")]
        Solveur::Highs => {
            let mut m = pb
                .using(good_lp::highs)
                .set_time_limit(o.limite_temps)
                .set_threads(1)
                .set_mip_rel_gap(o.ecart_max as f32)
                .map_err(|e| EchecSolveur::Interne(format!("{e:?}")))?;
            m.set_verbose(false);
            for c in lignes {
                m.add_constraint(c);
            }
            let s = m.solve()?;
            (
                vars.iter().map(|&v| s.value(v)).collect::<Vec<f64>>(),
                statut(s.status()),
            )
        }
        #[cfg(not(feature = "highs"))]
        Solveur::Highs => {
            drop((pb, lignes));
            return Err(sans_highs());
        }
    };
    super::controle::controler(p, &valeurs);
    Ok(Solution {
        objectif: p.valeur_objectif(&valeurs),
        valeurs,
        statut,
        duree: debut.elapsed(),
        solveur: o.solveur.nom(),
    })
}

/// Fewest simplex pivots a node LP gets before microlp's guard restarts it (see
/// [`pivots_par_noeud`]).
pub const PIVOTS_PAR_NOEUD_MIN: u64 = 1_000;

/// Pivot budget of one branch-and-bound node LP (microlp's `node_pivot_limit`, vendored patch
/// `vendor/microlp.patch`): one pivot per row, at least [`PIVOTS_PAR_NOEUD_MIN`] — about what
/// the root LP takes from scratch, where a node LP warm-started from its parent's basis takes a
/// few dozen. Past it microlp restarts the node under Bland's anti-cycling rule with the same
/// budget, then splits it without an LP (its parent's bound kept): no node LP runs forever, and
/// a node limit decides where the search stops on any machine. Depends on the model only.
pub fn pivots_par_noeud<K>(m: &Probleme<K>) -> u64 {
    (m.lignes.len() as u64).max(PIVOTS_PAR_NOEUD_MIN)
}

/// Nodes a search takes by microlp's plain pseudocost product rule before reliability
/// branching (`fiabilite` below) starts. From the root, strong branching halved the paris tail's
/// trees but made fast instances slower (lyon 4 split, `--regrouper --liberer-coeurs`: 6 → 35
/// nodes, 0,15 → 1,2 s of CPU: the product rule's first dive was lucky there); after 100 nodes,
/// a search that ends sooner takes exactly the product rule's path (every fast instance, the
/// tests' golden plans), and a long one gets strong branching where it pays
/// (docs/performance.md, « Reliability branching after 100 nodes »).
pub const FIABILITE_APRES: u64 = 100;

/// Strong-branching child LPs per node solved, at most, over a search ([`FIABILITE_APRES`]):
/// a child LP costs about a node LP (its basis is refactorized on the way back), so without a
/// quota a long lyon search paid twice per node and lost its proof (lyon 9 split: 28 s of CPU
/// proved by the product rule, the limit with unbounded strong branching); at 0,5 it is proved
/// again and the paris tail keeps its gains (docs/performance.md).
pub const FIABILITE_QUOTA: f64 = 0.5;

/// Reliability branching in microlp's search (`SolveOptions::reliability`, vendored patch):
/// once [`FIABILITE_APRES`] nodes are solved, a variable whose pseudocost has no observation
/// yet in a direction is evaluated by strong branching (both children's LPs, at most 30 pivots
/// each) before the search branches on it; at most two such candidates per node, stopping after
/// the first that does not improve the best score, and at most [`FIABILITE_QUOTA`] child LPs per
/// node. microlp's own rule seeds each pseudocost with the variable's objective coefficient,
/// which on the grouping models is 0 or equal for most branching variables: the branchings of a
/// long search were nearly blind. Counts (pivots, LPs, nodes), never time, bound the extra
/// work, so the tree still depends on the model only.
fn fiabilite() -> microlp::Reliability {
    let mut r = microlp::Reliability::default();
    r.min_observations = 1;
    r.max_candidates = 2;
    r.lookahead = 1;
    r.pivot_limit = 30;
    r.after_nodes = FIABILITE_APRES;
    r.max_lps_per_node = FIABILITE_QUOTA;
    r
}

/// Nodes solved between two progress reports (and two looks at the stop flag).
const NOEUDS_PAR_ETAPE: u64 = 250;
/// Longest step of the search (a long root LP is cut into such steps, resumed where it stopped),
/// so that a stop request is honoured within about this delay.
const DUREE_ETAPE: Duration = Duration::from_millis(500);

/// The microlp path, driven directly: the search runs in steps of [`NOEUDS_PAR_ETAPE`] nodes
/// (microlp resumes it exactly where it stopped, so the path is the same as in one call), and
/// between steps it reports its progress, checks the stop flag, the requested gap (on the whole
/// objective) and the node and time limits. Only the time limit depends on the machine.
///
/// Two microlp options of the vendored patch keep this true for the hardest models
/// (`--regrouper --liberer-coeurs`, issue 30): the per-node pivot guard
/// ([`pivots_par_noeud`]), and reduced-cost fixing from the root each time the incumbent
/// improves (an optimum stays an optimum; the tree shrinks). The patch also continues a node LP
/// that a step's time budget interrupted where it stopped: before it, a node LP longer than one
/// step ([`DUREE_ETAPE`]) restarted from its parent's basis at every step and never ended.
fn resoudre_microlp<K>(
    m: &Probleme<K>,
    initial: Option<&[f64]>,
    o: &Options,
    objectif: bool,
    suivi: &Suivi,
) -> Result<(Vec<f64>, Statut), EchecSolveur> {
    use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, TerminationReason};
    use std::sync::atomic::Ordering;
    let debut = Instant::now();
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let mut coef = vec![0.0; m.variables.len()];
    if objectif {
        for &(i, c) in &m.objectif() {
            coef[i] += c;
        }
    }
    let vars: Vec<microlp::Variable> = m
        .variables
        .iter()
        .zip(&coef)
        .map(|(v, &c)| {
            if v.entiere && v.min == 0.0 && v.max == 1.0 {
                p.add_binary_var(c)
            } else if v.entiere {
                let borne = |x: f64| x.clamp(f64::from(i32::MIN), f64::from(i32::MAX)) as i32;
                p.add_integer_var(c, (borne(v.min), borne(v.max)))
            } else {
                p.add_var(c, (v.min, v.max))
            }
        })
        .collect();
    for c in &m.lignes {
        let termes: Vec<(microlp::Variable, f64)> =
            c.termes.iter().map(|&(i, k)| (vars[i], k)).collect();
        let op = match c.sens {
            Sens::Le => ComparisonOp::Le,
            Sens::Ge => ComparisonOp::Ge,
            Sens::Eq => ComparisonOp::Eq,
        };
        p.add_constraint(&termes[..], op, c.rhs);
    }
    let constante = if objectif { m.constante() } else { 0.0 };
    let limite = Duration::from_secs_f64(o.limite_temps.clamp(0.01, 1e7));
    let reste = || limite.saturating_sub(debut.elapsed());
    let etape = |faits: u64| -> u64 {
        o.limite_noeuds.map_or(NOEUDS_PAR_ETAPE, |n| {
            NOEUDS_PAR_ETAPE.min(n.saturating_sub(faits))
        })
    };
    let mut opts = SolveOptions::default();
    opts.node_limit = Some(etape(0));
    opts.time_limit = Some(reste().min(DUREE_ETAPE));
    opts.mip_gap = 0.0;
    opts.node_pivot_limit = Some(pivots_par_noeud(m));
    opts.reduced_cost_fixing = true;
    // Strong branching ranks candidates by the objective's degradation: a feasibility search
    // (the front's descent) has none to measure, so it keeps the product rule.
    opts.reliability = objectif.then(fiabilite);
    opts.warm_start = initial.map(|v| vars.iter().copied().zip(v.iter().copied()).collect());
    let mut issue = p.solve_with(opts)?;
    loop {
        let stats = issue.stats();
        let meilleur = issue.solution().map(|x| x.objective() + constante);
        let borne = stats.best_bound.map(|b| b + constante);
        let ecart = match (meilleur, borne) {
            (Some(a), Some(b)) => Some(((a - b) / a.abs().max(1e-9)).max(0.0)),
            _ => None,
        };
        (suivi.progression)(&Progression {
            noeuds: stats.nodes_solved,
            meilleur,
            borne,
            ecart,
            secondes: debut.elapsed().as_secs_f64(),
        });
        let arret = match issue.termination_reason() {
            TerminationReason::ProvenOptimal => Some(Statut::Optimal),
            TerminationReason::TimeLimit | TerminationReason::NodeLimit => {
                if o.ecart_max > 0.0 && ecart.is_some_and(|e| e <= o.ecart_max) {
                    Some(Statut::EcartAtteint { borne, ecart })
                } else if suivi.arret.load(Ordering::Relaxed) {
                    Some(Statut::Interrompu { borne, ecart })
                } else if o.limite_noeuds.is_some_and(|n| stats.nodes_solved >= n) {
                    Some(Statut::LimiteNoeuds { borne, ecart })
                } else if reste().is_zero() {
                    Some(Statut::LimiteTemps { borne, ecart })
                } else {
                    None
                }
            }
            // MipGap (never asked: the gap is checked here, on the whole objective) and any
            // reason a later microlp adds.
            _ => Some(Statut::EcartAtteint { borne, ecart }),
        };
        if let Some(statut) = arret {
            // Developer trace for the solver benchmarks (docs/performance.md): node and pivot
            // counts of each microlp solve, on stderr, only when asked.
            if std::env::var_os("COLLEGIA_TRACE_MICROLP").is_some() {
                eprintln!(
                    "microlp : {} nœuds, {} pivots, {} LP de branchement fort, {} bornes resserrées, {:?}",
                    stats.nodes_solved,
                    stats.lp_iterations,
                    stats.strong_branching_lps,
                    stats.strong_branching_fixings,
                    statut
                );
            }
            return match issue.solution() {
                Some(x) => Ok((vars.iter().map(|&v| x.var_value(v)).collect(), statut)),
                None => Err(match statut {
                    Statut::LimiteNoeuds { .. } => EchecSolveur::LimiteNoeuds,
                    Statut::Interrompu { .. } => EchecSolveur::Interrompu,
                    _ => EchecSolveur::LimiteTemps,
                }),
            };
        }
        let mut ro = issue.last_resume_options();
        ro.node_limit = Some(etape(stats.nodes_solved).max(1));
        ro.time_limit = Some(reste().min(DUREE_ETAPE));
        ro.mip_gap = None;
        issue = issue.resume_with(ro)?;
    }
}

/// HiGHS path (feature `highs`). good_lp builds the HiGHS model; we drive it ourselves because
/// good_lp's `solve` keeps the solved model to itself (so the MIP dual bound would be lost) and
/// `HighsProblem::into_inner` drops the options and the warm start set through good_lp: both are
/// set here on the `highs::Model` directly.
#[cfg(feature = "highs")]
fn resoudre_highs<K>(
    m: &Probleme<K>,
    initial: Option<&[f64]>,
    o: &Options,
    objectif: bool,
) -> Result<(Vec<f64>, Statut), EchecSolveur> {
    use ::highs::{HighsModelStatus, HighsSolutionStatus};
    use good_lp::SolverModel;
    let (pv, vars, obj, contraintes) = vers_good_lp(m, initial, objectif);
    let mut pb = pv.minimise(obj).using(good_lp::highs);
    for c in contraintes {
        pb.add_constraint(c);
    }
    let mut modele = pb.try_into_inner()?;
    modele.make_quiet();
    let option = |e: ::highs::TrySetOptionError, nom: &str| {
        EchecSolveur::Interne(format!("HiGHS refuse l'option « {nom} » ({e})"))
    };
    modele
        .try_set_option("time_limit", o.limite_temps)
        .map_err(|e| option(e, "time_limit"))?;
    // HiGHS's default relative gap is 1e-4: always set it, so that 0 means "prove optimality".
    modele
        .try_set_option("mip_rel_gap", o.ecart_max)
        .map_err(|e| option(e, "mip_rel_gap"))?;
    // One thread: the same input must give the same plan, byte for byte (measured no slower on
    // `paris --regrouper` than two).
    modele
        .try_set_option("threads", 1)
        .map_err(|e| option(e, "threads"))?;
    // Warm start: HiGHS keeps it as its first incumbent when it is feasible.
    if let Some(s) = initial.filter(|s| s.len() == vars.len()) {
        modele
            .try_set_solution(Some(s), None, None, None)
            .map_err(|e| {
                EchecSolveur::Interne(format!("HiGHS refuse la solution initiale ({e:?})"))
            })?;
    }
    let resolu = modele.try_solve().map_err(|e| {
        EchecSolveur::Interne(format!("HiGHS a échoué pendant la résolution ({e:?})"))
    })?;
    let status = resolu.status();
    let termine = match status {
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Err(EchecSolveur::Infaisable);
        }
        HighsModelStatus::Unbounded => return Err(EchecSolveur::NonBorne),
        HighsModelStatus::Optimal
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => true,
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => false,
        s => {
            return Err(EchecSolveur::Interne(format!(
                "HiGHS s'est arrêté sans résultat (statut {s:?})"
            )));
        }
    };
    if resolu.primal_solution_status() != HighsSolutionStatus::Feasible {
        return Err(match status {
            HighsModelStatus::ReachedTimeLimit => EchecSolveur::LimiteTemps,
            s => EchecSolveur::Interne(format!(
                "HiGHS s'est arrêté sans solution réalisable (statut {s:?})"
            )),
        });
    }
    // good_lp adds one column per variable, in order.
    let valeurs: Vec<f64> = resolu.get_solution().columns()[..vars.len()].to_vec();
    // HiGHS's objective and dual bound lack the model's constant part.
    let primal = resolu.objective_value();
    let dual = resolu
        .double_info_value(c"mip_dual_bound")
        .ok()
        .filter(|b| b.is_finite());
    let ecart = Some(resolu.mip_gap()).filter(|g| g.is_finite());
    let borne = dual.map(|b| b + m.constante());
    // Proved optimal within HiGHS's default absolute tolerance (mip_abs_gap = 1e-6).
    let prouve = dual.is_some_and(|b| primal - b <= 1e-6 * primal.abs().max(1.0));
    let statut = if termine && prouve {
        Statut::Optimal
    } else if termine {
        Statut::EcartAtteint { borne, ecart }
    } else {
        Statut::LimiteTemps { borne, ecart }
    };
    Ok((valeurs, statut))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lp::Critere;

    /// The same tiny LP through both paths: the same optimum, proved, and an infeasible copy
    /// reported as such by both.
    #[test]
    fn both_microlp_paths_solve_and_report_infeasibility() {
        let mut p: Probleme<&str> = Probleme::default();
        let x = p.var("x".into(), 0.0, f64::INFINITY, false);
        let y = p.var("y".into(), 0.0, f64::INFINITY, false);
        p.contrainte("somme", vec![(x, 1.0), (y, 1.0)], Sens::Ge, 3.0);
        p.contrainte("x", vec![(x, 1.0)], Sens::Le, 1.0);
        p.criteres = vec![
            Critere::new("x", 1.0, vec![(x, 1.0)], 4.0),
            Critere::new("y", 2.0, vec![(y, 1.0)], 3.0),
        ];
        let a = resoudre_good_lp(&p, Direction::Minimiser, &Options::default()).expect("feasible");
        let b = resoudre(&p, None, &Options::default(), true).expect("feasible");
        for s in [&a, &b] {
            assert_eq!(s.statut, Statut::Optimal);
            assert!((s.valeurs[x] - 1.0).abs() < 1e-9 && (s.valeurs[y] - 2.0).abs() < 1e-9);
            assert!((s.objectif - 15.0).abs() < 1e-9, "{}", s.objectif);
        }
        p.contrainte("y", vec![(y, 1.0)], Sens::Eq, 0.0);
        assert_eq!(
            resoudre_good_lp(&p, Direction::Minimiser, &Options::default()),
            Err(EchecSolveur::Infaisable)
        );
        assert_eq!(
            resoudre(&p, None, &Options::default(), true),
            Err(EchecSolveur::Infaisable)
        );
    }

    /// Maximising on the good_lp path maximises.
    #[test]
    fn good_lp_path_maximises() {
        let mut p: Probleme<&str> = Probleme::default();
        let x = p.var("x".into(), 0.0, 1.0, true);
        let y = p.var("y".into(), 0.0, 1.0, true);
        p.contrainte("un", vec![(x, 1.0), (y, 1.0)], Sens::Le, 1.0);
        p.criteres = vec![Critere::new("somme", 1.0, vec![(x, 1.0), (y, 2.0)], 0.0)];
        let s = resoudre_good_lp(&p, Direction::Maximiser, &Options::default()).expect("feasible");
        assert!(s.valeurs[y] > 0.5 && s.valeurs[x] < 0.5);
    }

    #[cfg(not(feature = "highs"))]
    #[test]
    fn highs_without_the_feature_is_an_internal_failure_worded_in_french() {
        let p: Probleme<&str> = Probleme::default();
        let o = Options {
            solveur: Solveur::Highs,
            ..Options::default()
        };
        let e = resoudre(&p, None, &o, true).expect_err("not compiled in");
        assert!(
            e.raison()
                .starts_with("erreur du solveur : HiGHS n'est pas compilé")
        );
        assert_eq!(resoudre_good_lp(&p, Direction::Minimiser, &o), Err(e));
    }
}
