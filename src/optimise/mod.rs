//! Optimisation models (good_lp), each verified after every solve: the indemnités LP
//! ([`indemnites`], `collegia indemnites`) and, here, optimised groupings (`collegia optimiser`): a mixed-integer model that gives every unit of the
//! organigramme exactly one leading group, keeps each group within few DGA, changes little from
//! the proposed délégations and balances the staff load.
//!
//! ```text
//!  Scenario + verrous ──► Donnees ──► construire ──► Modele ──► good_lp (microlp | HiGHS)
//!                           │                         │  └────► CPLEX LP text (--exporter-modele)
//!                           │                         ▼
//!                           └──────────────────► verify(plan) ◄── plan (solver, or fallback)
//! ```
//!
//! - [`donnees`]: what the model needs from the scenario (units, groups, members, locks).
//! - [`groupes`]: the model, one function per constraint family.
//! - [`modele`]: the solver-independent model, its keys ([`Cle`]) and its LP export.
//! - [`verification`]: the independent checker and the reference objective.
//!
//! An infeasible model comes back as data ([`Infaisabilite`]: the rule families in conflict,
//! found by relaxing one family at a time, then a minimal set of rules), worded by the report
//! layer. The solver never has the last word: its plan is re-checked by [`verify`] before use.

pub mod affectation;
pub mod application;
pub mod donnees;
pub mod front;
pub mod groupes;
pub mod indemnites;
pub mod modele;
pub mod regles;
pub mod verification;

pub use donnees::{Donnees, ErreurDonnees, Granularite, Groupe, Lien, Membre, Unite};
pub use groupes::{Conflit, Exclusions, ModeleGroupes, construire};
pub use modele::{Cle, Famille, Modele, Sens, nom_lp};
pub use regles::RegleLevee;
pub use verification::{Cout, Plan, Violation, charges, evaluer, poles_par_groupe, verify};

use good_lp::solvers::ResolutionError;
use std::collections::BTreeSet;
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

/// How good the returned plan is known to be.
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
    /// fallback (the proposal repaired greedily, verified) is returned, with no quality bound.
    Repli {
        /// Why, in French.
        raison: String,
    },
}

/// A solved plan.
#[derive(Debug, Clone)]
pub struct Resultat {
    /// The plan (verified).
    pub plan: Plan,
    /// Optimality status.
    pub statut: Statut,
    /// Objective of the plan, recomputed by [`evaluer`].
    pub cout: Cout,
    /// Objective of the proposal as it stands (orphans counted as such).
    pub avant: Cout,
    /// The model that was solved (for `--exporter-modele`).
    pub modele: Modele,
    /// Wall-clock time of the whole call (data checks, model, fallback, solves, verification).
    pub duree: Duration,
    /// Part of `duree` spent in the solver (the groups-fixed warm start and the main solve): the
    /// rest is collegia's own work, which the benchmark reports.
    pub duree_solveur: Duration,
    /// Derived rules lifted on this input because a stronger rule contradicts them
    /// ([`regles`]): those of [`Donnees::levees`], and any the solver's safety net found.
    pub levees: Vec<RegleLevee>,
}

/// Why no plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Echec {
    /// The rules cannot all hold.
    Infaisable(Infaisabilite),
    /// The solver failed and there is no valid fallback (French message).
    Solveur(String),
}

/// Diagnosis of an infeasible model.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Infaisabilite {
    /// Families each of whose relaxation alone makes the model feasible (or, when none does,
    /// the families of the first pair that does).
    pub familles: Vec<Famille>,
    /// A minimal set of rules that cannot hold together (every other rule in force).
    pub cles: Vec<Cle>,
    /// False when the search was cut short by the time limit (the lists may be incomplete).
    pub complet: bool,
}

/// Solves the grouping model. The plan is verified before it is returned.
pub fn optimiser(d: &Donnees, o: &Options) -> Result<Resultat, Echec> {
    optimiser_suivi(d, o, &Suivi::muet())
}

/// Most (units × groups) the grouping model is built for: model building is not bounded by the
/// time limit, and its memory grows with this product (a few hundred bytes a pair: about 1 Go at
/// the bound, an estimate). `paris` at service level is 309 × 40 = 12 360.
pub const MAX_UNITES_X_GROUPES: usize = 2_000_000;

/// Refuses, before building anything, a model larger than [`MAX_UNITES_X_GROUPES`].
pub(crate) fn taille_admise(d: &Donnees) -> Result<(), Echec> {
    let n = d.unites.len().saturating_mul(d.groupes.len().max(1));
    if n > MAX_UNITES_X_GROUPES {
        return Err(Echec::Solveur(format!(
            "modèle trop grand : {} unités × {} groupes, au-delà de {} ; choisissez --granularite direction ou regroupez l'organigramme",
            d.unites.len(),
            d.groupes.len(),
            MAX_UNITES_X_GROUPES
        )));
    }
    Ok(())
}

/// [`optimiser`], reporting the search's progress and listening to a stop flag: a stopped or
/// limited search returns its best plan, never one worse than the fallback (the input repaired).
pub fn optimiser_suivi(d: &Donnees, o: &Options, suivi: &Suivi) -> Result<Resultat, Echec> {
    taille_admise(d)?;
    let debut = Instant::now();
    let avant = evaluer(&Plan::actuel(d), d);
    let mg = match construire(d, &Exclusions::default(), true) {
        Ok(m) => m,
        Err(c) => return reprendre(d, o, suivi, Some(c), debut),
    };
    let mut repli = repli(d, &mg);
    let mut duree_solveur = Duration::ZERO;
    if d.regrouper {
        let t = Instant::now();
        let figes = groupes_figes(d, repli.as_ref(), o, suivi);
        duree_solveur += t.elapsed();
        repli = meilleur(d, repli, figes);
    }
    let initial = repli.as_ref().and_then(|p| mg.valeurs(d, p));
    let fini = |plan: Plan, statut: Statut, duree_solveur: Duration| -> Result<Resultat, Echec> {
        // A search stopped before its proof never proposes worse than the fallback plan.
        let plan = match (&statut, repli.as_ref()) {
            (Statut::Optimal | Statut::Repli { .. }, _) | (_, None) => plan,
            (_, Some(r)) => {
                if verify(r, d).is_empty() && evaluer(r, d).total < evaluer(&plan, d).total {
                    r.clone()
                } else {
                    plan
                }
            }
        };
        let violations = verify(&plan, d);
        if let Some(v) = violations.first() {
            return Err(Echec::Solveur(format!(
                "le plan rendu par le solveur enfreint une règle ({}) : {}",
                v.cle.decrire(),
                v.message
            )));
        }
        let cout = evaluer(&plan, d);
        // The solver's gap is relative to its objective, which lacks the constant part: restate
        // it against the full objective.
        let recalcule = |borne: Option<f64>, ecart: Option<f64>| {
            borne.map_or(ecart, |b| {
                Some(((cout.total - b) / cout.total.abs().max(1e-9)).max(0.0))
            })
        };
        let statut = match statut {
            Statut::LimiteTemps { borne, ecart } => Statut::LimiteTemps {
                borne,
                ecart: recalcule(borne, ecart),
            },
            Statut::EcartAtteint { borne, ecart } => Statut::EcartAtteint {
                borne,
                ecart: recalcule(borne, ecart),
            },
            Statut::LimiteNoeuds { borne, ecart } => Statut::LimiteNoeuds {
                borne,
                ecart: recalcule(borne, ecart),
            },
            Statut::Interrompu { borne, ecart } => Statut::Interrompu {
                borne,
                ecart: recalcule(borne, ecart),
            },
            s => s,
        };
        Ok(Resultat {
            cout,
            plan,
            statut,
            avant,
            modele: mg.modele.clone(),
            duree: debut.elapsed(),
            duree_solveur,
            levees: d.levees.clone(),
        })
    };
    // The main solve gets what is left of the time limit, so that `--limite-temps` bounds the
    // whole search, warm start included.
    let principal = Options {
        limite_temps: (o.limite_temps - debut.elapsed().as_secs_f64()).max(0.1),
        ..*o
    };
    let t = Instant::now();
    let brut = resoudre_suivi(&mg.modele, initial.as_deref(), &principal, true, suivi);
    duree_solveur += t.elapsed();
    match brut {
        Ok(brut) => {
            let plan = mg.plan(d, &brut.valeurs);
            fini(plan, brut.statut, duree_solveur)
        }
        Err(ResolutionError::Infeasible) => reprendre(d, o, suivi, None, debut),
        Err(e) => match &repli {
            Some(p) => fini(
                p.clone(),
                Statut::Repli { raison: raison(&e) },
                duree_solveur,
            ),
            None => Err(Echec::Solveur(raison(&e))),
        },
    }
}

/// The model has no plan: lift the derived rules that contradict stronger ones
/// ([`regles::concilier`]) and solve again, or, when nothing derived can yield (the declared
/// rules conflict), return the diagnosis. `conflit` is the conflict found while building, if any.
fn reprendre(
    d: &Donnees,
    o: &Options,
    suivi: &Suivi,
    conflit: Option<Conflit>,
    debut: Instant,
) -> Result<Resultat, Echec> {
    let Some(concilie) = regles::concilier(d, o) else {
        return Err(Echec::Infaisable(diagnostiquer(d, o, conflit)));
    };
    let reste = Options {
        limite_temps: (o.limite_temps - debut.elapsed().as_secs_f64()).max(0.1),
        ..*o
    };
    let mut r = optimiser_suivi(&concilie, &reste, suivi)?;
    r.duree = debut.elapsed();
    Ok(r)
}

fn raison(e: &ResolutionError) -> String {
    match e {
        ResolutionError::Other(s) if s.contains("Time limit") => {
            "limite de temps atteinte avant la première solution du solveur".into()
        }
        ResolutionError::Other(s) if s.contains("Node limit") => {
            "limite de nœuds (--limite-noeuds) atteinte avant la première solution du solveur"
                .into()
        }
        ResolutionError::Other(s) if s.contains("Interrupted") => {
            "recherche interrompue avant la première solution du solveur".into()
        }
        ResolutionError::Unbounded => "modèle non borné (erreur interne)".into(),
        ResolutionError::Str(s) => format!("erreur du solveur : {s}"),
        ResolutionError::Other(s) => format!("erreur du solveur : {s}"),
        e => format!("erreur du solveur : {e}"),
    }
}

/// Raw solver outcome.
pub(crate) struct Brut {
    pub(crate) valeurs: Vec<f64>,
    pub(crate) statut: Statut,
}

/// Solves a model with the chosen backend. `objectif = false` ignores the objective
/// (feasibility only).
pub(crate) fn resoudre(
    m: &Modele,
    initial: Option<&[f64]>,
    o: &Options,
    objectif: bool,
) -> Result<Brut, ResolutionError> {
    resoudre_suivi(m, initial, o, objectif, &Suivi::muet())
}

/// [`resoudre`] with a progress report and a stop flag (microlp only; HiGHS runs to its limits).
pub(crate) fn resoudre_suivi(
    m: &Modele,
    initial: Option<&[f64]>,
    o: &Options,
    objectif: bool,
    suivi: &Suivi,
) -> Result<Brut, ResolutionError> {
    match o.solveur {
        Solveur::Microlp => resoudre_microlp(m, initial, o, objectif, suivi),
        #[cfg(feature = "highs")]
        Solveur::Highs => resoudre_highs(m, initial, o, objectif),
        #[cfg(not(feature = "highs"))]
        Solveur::Highs => Err(ResolutionError::Str(
            "HiGHS n'est pas compilé dans ce binaire : recompilez avec « cargo build --release --features highs » (cmake, compilateur C++ et libclang requis)".into(),
        )),
    }
}

/// The model as good_lp variables, objective and constraints (the HiGHS path).
#[cfg(feature = "highs")]
fn vers_good_lp(
    m: &Modele,
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
    let vars: Vec<good_lp::Variable> = m
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
        m.objectif.iter().map(|&(i, c)| c * vars[i]).sum()
    } else {
        Expression::from(0.0)
    };
    let contraintes = m
        .contraintes
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
    (pv, vars, obj, contraintes)
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
fn resoudre_microlp(
    m: &Modele,
    initial: Option<&[f64]>,
    o: &Options,
    objectif: bool,
    suivi: &Suivi,
) -> Result<Brut, ResolutionError> {
    use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOptions, TerminationReason};
    use std::sync::atomic::Ordering;
    let debut = Instant::now();
    let mut p = Problem::new(OptimizationDirection::Minimize);
    let mut coef = vec![0.0; m.variables.len()];
    if objectif {
        for &(i, c) in &m.objectif {
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
    for c in &m.contraintes {
        let termes: Vec<(microlp::Variable, f64)> =
            c.termes.iter().map(|&(i, k)| (vars[i], k)).collect();
        let op = match c.sens {
            Sens::Le => ComparisonOp::Le,
            Sens::Ge => ComparisonOp::Ge,
            Sens::Eq => ComparisonOp::Eq,
        };
        p.add_constraint(&termes[..], op, c.rhs);
    }
    let constante = if objectif { m.constante } else { 0.0 };
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
            return match issue.solution() {
                Some(x) => Ok(Brut {
                    valeurs: vars.iter().map(|&v| x.var_value(v)).collect(),
                    statut,
                }),
                None => Err(ResolutionError::Other(match statut {
                    Statut::LimiteNoeuds { .. } => {
                        "Node limit reached before finding a feasible solution"
                    }
                    Statut::Interrompu { .. } => "Interrupted before finding a feasible solution",
                    _ => "Time limit reached before finding a feasible solution",
                })),
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
fn resoudre_highs(
    m: &Modele,
    initial: Option<&[f64]>,
    o: &Options,
    objectif: bool,
) -> Result<Brut, ResolutionError> {
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
        ResolutionError::Str(format!("HiGHS refuse l'option « {nom} » ({e})"))
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
                ResolutionError::Str(format!("HiGHS refuse la solution initiale ({e:?})"))
            })?;
    }
    let resolu = modele.try_solve().map_err(|e| {
        ResolutionError::Str(format!("HiGHS a échoué pendant la résolution ({e:?})"))
    })?;
    let status = resolu.status();
    let termine = match status {
        HighsModelStatus::Infeasible | HighsModelStatus::UnboundedOrInfeasible => {
            return Err(ResolutionError::Infeasible);
        }
        HighsModelStatus::Unbounded => return Err(ResolutionError::Unbounded),
        HighsModelStatus::Optimal
        | HighsModelStatus::ObjectiveBound
        | HighsModelStatus::ObjectiveTarget => true,
        HighsModelStatus::ReachedTimeLimit
        | HighsModelStatus::ReachedIterationLimit
        | HighsModelStatus::ReachedSolutionLimit
        | HighsModelStatus::ReachedInterrupt
        | HighsModelStatus::ReachedMemoryLimit => false,
        s => {
            return Err(ResolutionError::Str(format!(
                "HiGHS s'est arrêté sans résultat (statut {s:?})"
            )));
        }
    };
    if resolu.primal_solution_status() != HighsSolutionStatus::Feasible {
        return Err(match status {
            // Worded like microlp's error, which `raison` recognises.
            HighsModelStatus::ReachedTimeLimit => {
                ResolutionError::Other("Time limit reached before finding a feasible solution")
            }
            s => ResolutionError::Str(format!(
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
    let borne = dual.map(|b| b + m.constante);
    // Proved optimal within HiGHS's default absolute tolerance (mip_abs_gap = 1e-6).
    let prouve = dual.is_some_and(|b| primal - b <= 1e-6 * primal.abs().max(1.0));
    let statut = if termine && prouve {
        Statut::Optimal
    } else if termine {
        Statut::EcartAtteint { borne, ecart }
    } else {
        Statut::LimiteTemps { borne, ecart }
    };
    Ok(Brut { valeurs, statut })
}

/// The fallback plan: the proposal repaired greedily within the model's domains. Members stay
/// in their group when they may (else join the smallest allowed group); units keep the group a
/// rule imposes, else the group of a member piloting inside, else their current group, else the
/// allowed group already present in their DGA with the least load. Returned only if it passes
/// [`verify`].
pub fn repli(d: &Donnees, mg: &ModeleGroupes) -> Option<Plan> {
    let ng = d.groupes.len();
    let m = &mg.modele;
    let fixe = |v: usize| m.variables[v].min > 0.5;
    let mut taille = vec![1usize; ng];
    let mut membres = Vec::new();
    for (e, mb) in d.membres.iter().enumerate() {
        let permis: Vec<usize> = (0..ng).filter(|&g| mg.z[e][g].is_some()).collect();
        let g = permis
            .iter()
            .copied()
            .find(|&g| mg.z[e][g].is_some_and(fixe))
            .or(mb.actuel.filter(|a| permis.contains(a)))
            .or_else(|| permis.iter().copied().min_by_key(|&g| (taille[g], g)));
        if let Some(g) = g {
            taille[g] += 1;
        }
        membres.push(g);
    }
    let mut unites: Vec<Option<usize>> = vec![None; d.unites.len()];
    let mut charge = vec![0.0f64; ng];
    let mut poles: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); ng];
    for (u, un) in d.unites.iter().enumerate() {
        let permis: Vec<usize> = (0..ng).filter(|&g| mg.x[u][g].is_some()).collect();
        let par_membre = d
            .membres
            .iter()
            .enumerate()
            .filter(|(_, mb)| mb.perimetre.contains(&u))
            .filter_map(|(e, _)| membres[e])
            .find(|g| permis.contains(g));
        let g = permis
            .iter()
            .copied()
            .find(|&g| mg.x[u][g].is_some_and(fixe))
            .or(par_membre)
            .or(un.actuel.filter(|a| permis.contains(a)))
            .or_else(|| {
                permis.iter().copied().min_by(|&a, &b| {
                    let cle = |g: usize| {
                        let nouveau = un.dga.is_some_and(|dga| !poles[g].contains(&dga));
                        (nouveau, charge[g])
                    };
                    let (na, ca) = cle(a);
                    let (nb, cb) = cle(b);
                    na.cmp(&nb).then(ca.total_cmp(&cb)).then(a.cmp(&b))
                })
            });
        if let Some(g) = g {
            charge[g] += un.charge;
            if let Some(dga) = un.dga {
                poles[g].insert(dga);
            }
        }
        unites[u] = g;
    }
    let plan = Plan::avec_retraits(d, unites, membres);
    verify(&plan, d).is_empty().then_some(plan)
}

/// With `--regrouper`, a better start: the optimum with every member kept in the group the
/// fallback gives them (an easy model, solved with a quarter of the time limit). Its plan is
/// feasible for the full model, so it is a valid warm start and fallback.
fn groupes_figes(d: &Donnees, repli: Option<&Plan>, o: &Options, suivi: &Suivi) -> Option<Plan> {
    let repli = repli?;
    let mut figee = d.clone();
    for (m, g) in figee.membres.iter_mut().zip(&repli.membres) {
        m.mobile = false;
        m.actuel = *g;
    }
    let mg = construire(&figee, &Exclusions::default(), true).ok()?;
    let initial = mg.valeurs(&figee, repli);
    let o = Options {
        limite_temps: o.limite_temps / 4.0,
        ..*o
    };
    // The same report and stop flag: this warm start is part of the search the user waits for.
    let brut = resoudre_suivi(&mg.modele, initial.as_deref(), &o, true, suivi).ok()?;
    let plan = mg.plan(d, &brut.valeurs);
    verify(&plan, d).is_empty().then_some(plan)
}

/// The cheaper of two optional plans (by [`evaluer`] on `d`; the first on ties).
fn meilleur(d: &Donnees, a: Option<Plan>, b: Option<Plan>) -> Option<Plan> {
    match (a, b) {
        (Some(a), Some(b)) => {
            if evaluer(&b, d).total < evaluer(&a, d).total - 1e-9 {
                Some(b)
            } else {
                Some(a)
            }
        }
        (a, b) => a.or(b),
    }
}

/// Feasibility of the model with some rules left out: `Some(true)` feasible, `Some(false)`
/// infeasible, `None` unknown (solver stopped).
fn faisable(d: &Donnees, ex: &Exclusions, o: &Options) -> Option<bool> {
    let mg = match construire(d, ex, false) {
        Ok(m) => m,
        Err(_) => return Some(false),
    };
    match resoudre(&mg.modele, None, o, false) {
        Ok(_) => Some(true),
        Err(ResolutionError::Infeasible) => Some(false),
        Err(_) => None,
    }
}

/// Diagnoses an infeasible model: which families of rules conflict (relaxing one family at a
/// time, then pairs), then a minimal set of conflicting rules (a deletion filter over the rules of
/// those families, every other rule in force). `conflit` is the conflict found while building,
/// if any: it already names the rules involved.
pub fn diagnostiquer(d: &Donnees, o: &Options, conflit: Option<Conflit>) -> Infaisabilite {
    let debut = Instant::now();
    let budget = Duration::from_secs_f64(o.limite_temps.max(1.0));
    let o = Options {
        limite_temps: (o.limite_temps / 4.0).max(1.0),
        ..*o
    };
    let mut complet = true;
    let sans = |fs: &[Famille]| Exclusions {
        familles: fs.iter().copied().collect(),
        cles: BTreeSet::new(),
    };
    let mut familles: Vec<Famille> = Famille::RELAXABLES
        .iter()
        .copied()
        .filter(|&f| faisable(d, &sans(&[f]), &o) == Some(true))
        .collect();
    if familles.is_empty() {
        'paires: for (i, &a) in Famille::RELAXABLES.iter().enumerate() {
            for &b in &Famille::RELAXABLES[i + 1..] {
                if debut.elapsed() > budget {
                    complet = false;
                    break 'paires;
                }
                if faisable(d, &sans(&[a, b]), &o) == Some(true) {
                    familles = vec![a, b];
                    break 'paires;
                }
            }
        }
    }
    familles.sort();
    let cles = match conflit {
        Some(c) => c.cles,
        None => {
            let candidats: Vec<Cle> = construire(d, &Exclusions::default(), false)
                .map(|mg| mg.modele.cles())
                .unwrap_or_default()
                .into_iter()
                .filter(|c| familles.contains(&c.famille()))
                .collect();
            let mut exclues = BTreeSet::new();
            let mut necessaires = Vec::new();
            if candidats.len() > 400 {
                complet = false;
            } else {
                for c in candidats {
                    if debut.elapsed() > budget {
                        complet = false;
                        break;
                    }
                    exclues.insert(c.clone());
                    let ex = Exclusions {
                        familles: BTreeSet::new(),
                        cles: exclues.clone(),
                    };
                    if faisable(d, &ex, &o) != Some(false) {
                        exclues.remove(&c);
                        necessaires.push(c);
                    }
                }
            }
            necessaires
        }
    };
    Infaisabilite {
        familles,
        cles,
        complet,
    }
}

#[cfg(test)]
mod tests;
