//! The one LP layer under collegia's three models (groupings, assignment, indemnités).
//!
//! In: a [`Probleme`] written by a model, solver-independent, every row keyed by the rule it
//! encodes (`K`, the model's own key type), its objective a weighted sum of named criteria
//! ([`Critere`]). Out: values and a status from [`resoudre()`], the CPLEX
//! LP text from [`export`], and, for an infeasible model, the rules in conflict from [`conflit`].
//! [`verifier`] ([`controle`]) checks any vector against every row, bound and integrality: every
//! solve goes through it in debug builds.
//! Models never name a backend nor good_lp: keeping the solver here lets a diagnosis rebuild and
//! re-solve relaxed copies of any model, and gives every model the same wording of a solver
//! failure ([`EchecSolveur`]).
//!
//! ```text
//!  model (rule functions) ──► Probleme<K> ──► resoudre ──► microlp (stepped) | HiGHS | good_lp
//!                                  │      │        └─► controle (debug: every row, bound, integer)
//!                                  │      └─► export   ──► LP text, rows named after their key
//!                                  └────────► conflit  ──► families relaxed, deletion filter
//! ```

pub mod conflit;
pub mod controle;
pub mod export;
pub mod resoudre;

pub use conflit::{
    Echec, Infaisabilite, Relaxation, elastique, filtre_de_suppression, garder_par_moities,
    relaxer_familles,
};
pub use controle::{Defaut, verifier};
pub use export::{NomLp, nom_lp};
pub use resoudre::{
    Direction, EchecSolveur, LIMITE_NOEUDS, Options, Progression, Solution, Solveur, Statut, Suivi,
    resoudre, resoudre_good_lp, resoudre_suivi,
};

use std::collections::BTreeSet;

/// Sense of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sens {
    /// `Σ coef·x ≤ rhs`.
    Le,
    /// `Σ coef·x ≥ rhs`.
    Ge,
    /// `Σ coef·x = rhs`.
    Eq,
}

/// One variable.
#[derive(Debug, Clone, PartialEq)]
pub struct Var {
    /// LP name (unique in the problem when it is exported).
    pub nom: String,
    /// Lower bound.
    pub min: f64,
    /// Upper bound (`f64::INFINITY` for none).
    pub max: f64,
    /// True for an integer variable.
    pub entiere: bool,
}

/// One keyed linear row `Σ coef·var (sens) rhs`.
#[derive(Debug, Clone, PartialEq)]
pub struct Ligne<K> {
    /// The rule it encodes.
    pub cle: K,
    /// Terms (variable index, coefficient).
    pub termes: Vec<(usize, f64)>,
    /// Sense.
    pub sens: Sens,
    /// Right-hand side.
    pub rhs: f64,
}

/// One named criterion of a model's objective: `constante + Σ coef·var`, counted `poids` times
/// in the objective. A model declares each of its criteria once; the solver minimises (or,
/// through [`Direction`], maximises) `Σ poids · critère`, and the front of compromises, the
/// reports and the tests read each criterion by its name ([`Probleme::critere`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Critere {
    /// Name of the criterion (ASCII, stable: the front and the tests look it up).
    pub nom: &'static str,
    /// Weight in the objective (0: declared for its readers only, not optimised).
    pub poids: f64,
    /// Terms (variable index, coefficient), unweighted.
    pub termes: Vec<(usize, f64)>,
    /// Constant part, unweighted.
    pub constante: f64,
}

impl Critere {
    /// A criterion.
    pub fn new(nom: &'static str, poids: f64, termes: Vec<(usize, f64)>, constante: f64) -> Self {
        Critere {
            nom,
            poids,
            termes,
            constante,
        }
    }

    /// Value of the criterion (unweighted) at `valeurs`.
    pub fn valeur(&self, valeurs: &[f64]) -> f64 {
        self.constante
            + self
                .termes
                .iter()
                .map(|&(i, c)| c * valeurs.get(i).copied().unwrap_or(0.0))
                .sum::<f64>()
    }
}

/// A whole problem: minimise (or, through [`Direction`], maximise) `Σ poids · critère` subject to
/// the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Probleme<K> {
    /// Variables, indexed by position.
    pub variables: Vec<Var>,
    /// Keyed rows.
    pub lignes: Vec<Ligne<K>>,
    /// Named criteria; the objective is their weighted sum ([`Probleme::objectif`]).
    pub criteres: Vec<Critere>,
    /// Rules applied before building, as variable fixings or removals (not rows): a diagnosis
    /// must still be able to name them.
    pub fixations: Vec<K>,
}

impl<K> Default for Probleme<K> {
    fn default() -> Self {
        Probleme {
            variables: Vec::new(),
            lignes: Vec::new(),
            criteres: Vec::new(),
            fixations: Vec::new(),
        }
    }
}

impl<K> Probleme<K> {
    /// Adds a variable and returns its index.
    pub fn var(&mut self, nom: String, min: f64, max: f64, entiere: bool) -> usize {
        self.variables.push(Var {
            nom,
            min,
            max,
            entiere,
        });
        self.variables.len() - 1
    }

    /// Adds a continuous variable `≥ 0` and returns its index.
    pub fn positive(&mut self, nom: impl Into<String>) -> usize {
        self.var(nom.into(), 0.0, f64::INFINITY, false)
    }

    /// Adds a keyed row.
    pub fn contrainte(&mut self, cle: K, termes: Vec<(usize, f64)>, sens: Sens, rhs: f64) {
        self.lignes.push(Ligne {
            cle,
            termes,
            sens,
            rhs,
        });
    }

    /// Number of integer variables.
    pub fn nb_entieres(&self) -> usize {
        self.variables.iter().filter(|v| v.entiere).count()
    }

    /// The solver's objective terms: `Σ poids · termes` over the criteria, in their order (a
    /// variable may appear in several criteria; terms of weight 0 are left out).
    pub fn objectif(&self) -> Vec<(usize, f64)> {
        self.criteres
            .iter()
            .flat_map(|c| c.termes.iter().map(move |&(i, k)| (i, c.poids * k)))
            .filter(|&(_, k)| k != 0.0)
            .collect()
    }

    /// The objective's constant part, `Σ poids · constante` (kept out of the solver: not every
    /// backend takes one).
    pub fn constante(&self) -> f64 {
        self.criteres
            .iter()
            .filter(|c| c.poids != 0.0 && c.constante != 0.0)
            .map(|c| c.poids * c.constante)
            .sum()
    }

    /// The criterion named `nom`, if the model declares it.
    pub fn critere(&self, nom: &str) -> Option<&Critere> {
        self.criteres.iter().find(|c| c.nom == nom)
    }

    /// Value of the objective `Σ poids · critère` at `valeurs`.
    pub fn valeur_objectif(&self, valeurs: &[f64]) -> f64 {
        self.constante()
            + self
                .objectif()
                .iter()
                .map(|&(i, c)| c * valeurs.get(i).copied().unwrap_or(0.0))
                .sum::<f64>()
    }
}

impl<K: Ord + Clone> Probleme<K> {
    /// Every key of the problem (rows and fixings), sorted and de-duplicated.
    pub fn cles(&self) -> BTreeSet<K> {
        self.lignes
            .iter()
            .map(|c| c.cle.clone())
            .chain(self.fixations.iter().cloned())
            .collect()
    }
}
