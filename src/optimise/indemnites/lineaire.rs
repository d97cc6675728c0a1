//! A small solver-independent linear program and the one function that solves it.
//!
//! In: a [`ProblemeLineaire`] (variables with bounds, rows `Σ coef·x (≤|≥|=) b` each keyed by
//! the rule it encodes, a linear objective to minimise). Out: the values and the solver's own
//! status, or why there is none. The solver choice (good_lp with the pure-Rust microlp backend,
//! see `/work/shared/reference/solveurs.md`) lives in [`resoudre`] only, so that a model never
//! names a backend and the diagnosis can rebuild and re-solve relaxed copies of a model. Generic
//! over the key type so that other models (groupings) can share it.

use good_lp::{
    Expression, ProblemVariables, ResolutionError, Solution, SolutionStatus, SolverModel, Variable,
    microlp, variable,
};
use serde::Serialize;
use std::time::{Duration, Instant};

/// Direction of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Sens {
    /// `Σ coef·x ≤ b`.
    Inferieur,
    /// `Σ coef·x ≥ b`.
    Superieur,
    /// `Σ coef·x = b`.
    Egal,
}

/// One variable: bounds and integrality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariableLineaire {
    /// Name, for debugging and reports.
    pub nom: String,
    /// Lower bound.
    pub min: f64,
    /// Upper bound (`f64::INFINITY` for none).
    pub max: f64,
    /// Integer variable (the indemnités model has none).
    pub entiere: bool,
}

/// One row, keyed by the rule it encodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ligne<K> {
    /// The rule.
    pub cle: K,
    /// Non-zero coefficients: (variable index, coefficient).
    pub termes: Vec<(usize, f64)>,
    /// Direction.
    pub sens: Sens,
    /// Right-hand side.
    pub second_membre: f64,
}

/// A linear program to minimise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProblemeLineaire<K> {
    /// Variables, indexed by position.
    pub variables: Vec<VariableLineaire>,
    /// Rows.
    pub lignes: Vec<Ligne<K>>,
    /// Objective to minimise: (variable index, coefficient).
    pub objectif: Vec<(usize, f64)>,
}

impl<K> Default for ProblemeLineaire<K> {
    fn default() -> Self {
        ProblemeLineaire {
            variables: Vec::new(),
            lignes: Vec::new(),
            objectif: Vec::new(),
        }
    }
}

impl<K> ProblemeLineaire<K> {
    /// Adds a continuous variable `≥ 0` and returns its index.
    pub fn variable(&mut self, nom: impl Into<String>) -> usize {
        self.variables.push(VariableLineaire {
            nom: nom.into(),
            min: 0.0,
            max: f64::INFINITY,
            entiere: false,
        });
        self.variables.len() - 1
    }

    /// Adds a row.
    pub fn ligne(&mut self, cle: K, termes: Vec<(usize, f64)>, sens: Sens, second_membre: f64) {
        self.lignes.push(Ligne {
            cle,
            termes,
            sens,
            second_membre,
        });
    }
}

/// Status reported by the solver for a solution it returned (never assumed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatutSolveur {
    /// Proven optimal.
    Optimal,
    /// Stopped by the time limit with a feasible solution.
    LimiteDeTemps,
    /// Stopped within the requested gap.
    LimiteEcart,
}

impl StatutSolveur {
    /// French label.
    pub fn libelle(self) -> &'static str {
        match self {
            StatutSolveur::Optimal => "optimale (prouvée par le solveur)",
            StatutSolveur::LimiteDeTemps => "non prouvée optimale (limite de temps atteinte)",
            StatutSolveur::LimiteEcart => "non prouvée optimale (écart d'optimalité atteint)",
        }
    }
}

/// A solution.
#[derive(Debug, Clone, PartialEq)]
pub struct SolutionLineaire {
    /// Value of each variable, by index.
    pub valeurs: Vec<f64>,
    /// Objective value.
    pub objectif: f64,
    /// Status from the solver.
    pub statut: StatutSolveur,
    /// Wall-clock time of the solve (not part of any report: outputs stay byte-stable).
    pub duree: Duration,
    /// Backend used.
    pub solveur: &'static str,
}

/// Why no solution came back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ErreurSolveur {
    /// The rows cannot all hold.
    #[error("problème infaisable")]
    Infaisable,
    /// The objective is unbounded (a modelling error).
    #[error("objectif non borné")]
    NonBorne,
    /// Any other solver failure.
    #[error("échec du solveur : {0}")]
    Autre(String),
}

/// Time limit given to the solver, in seconds (the indemnités LP takes milliseconds).
pub const LIMITE_SECONDES: f64 = 60.0;

/// Solves `p` (minimisation) with good_lp + microlp. The only place that names a backend.
pub fn resoudre<K>(p: &ProblemeLineaire<K>) -> Result<SolutionLineaire, ErreurSolveur> {
    use good_lp::WithTimeLimit;
    let debut = Instant::now();
    let mut vars = ProblemVariables::new();
    let xs: Vec<Variable> = p
        .variables
        .iter()
        .map(|v| {
            let mut def = variable().min(v.min).name(v.nom.clone());
            if v.max.is_finite() {
                def = def.max(v.max);
            }
            if v.entiere {
                def = def.integer();
            }
            vars.add(def)
        })
        .collect();
    let expr = |termes: &[(usize, f64)]| -> Expression {
        termes
            .iter()
            .fold(Expression::from(0.0), |e, &(i, c)| e + c * xs[i])
    };
    let objectif = expr(&p.objectif);
    let mut modele = vars
        .minimise(objectif.clone())
        .using(microlp)
        .with_time_limit(LIMITE_SECONDES);
    for l in &p.lignes {
        let e = expr(&l.termes);
        let c = match l.sens {
            Sens::Inferieur => e.leq(l.second_membre),
            Sens::Superieur => e.geq(l.second_membre),
            Sens::Egal => e.eq(l.second_membre),
        };
        modele.add_constraint(c);
    }
    let sol = modele.solve().map_err(|e| match e {
        ResolutionError::Infeasible => ErreurSolveur::Infaisable,
        ResolutionError::Unbounded => ErreurSolveur::NonBorne,
        autre => ErreurSolveur::Autre(autre.to_string()),
    })?;
    let statut = match sol.status() {
        SolutionStatus::Optimal => StatutSolveur::Optimal,
        SolutionStatus::TimeLimit => StatutSolveur::LimiteDeTemps,
        SolutionStatus::GapLimit => StatutSolveur::LimiteEcart,
    };
    let valeurs: Vec<f64> = xs.iter().map(|&x| sol.value(x)).collect();
    let objectif = p.objectif.iter().map(|&(i, c)| c * valeurs[i]).sum();
    Ok(SolutionLineaire {
        valeurs,
        objectif,
        statut,
        duree: debut.elapsed(),
        solveur: "microlp",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_a_tiny_lp_and_reports_the_solver_status() {
        let mut p: ProblemeLineaire<&str> = ProblemeLineaire::default();
        let x = p.variable("x");
        let y = p.variable("y");
        p.ligne("somme", vec![(x, 1.0), (y, 1.0)], Sens::Superieur, 3.0);
        p.ligne("x", vec![(x, 1.0)], Sens::Inferieur, 1.0);
        p.objectif = vec![(x, 1.0), (y, 2.0)];
        let s = resoudre(&p).expect("feasible");
        assert_eq!(s.statut, StatutSolveur::Optimal);
        assert!((s.valeurs[x] - 1.0).abs() < 1e-9 && (s.valeurs[y] - 2.0).abs() < 1e-9);
        p.ligne("y", vec![(y, 1.0)], Sens::Egal, 0.0);
        assert_eq!(resoudre(&p), Err(ErreurSolveur::Infaisable));
    }
}
