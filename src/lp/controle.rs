//! The one verification harness of the LP layer: a solution vector checked against every keyed
//! row, every bound and every integrality of a [`Probleme`], whatever the model.
//!
//! It is the common, row-level check: the solver's own answer re-read against the problem it was
//! given. Every solve goes through it in debug builds (so every test does), and the models'
//! property tests call it on plans their independent checkers accept (« the model forbids no
//! valid plan »). It does not replace a model's own checker, which re-derives the rules from the
//! data without the model (the grouping model's `verify`, the indemnités' `verifier`).

use super::{Probleme, Sens};

/// Tolerance of the debug check after every solve (relative to `max(1, |rhs|)` for a row,
/// `max(1, |bound|)` for a bound; absolute for integrality): the solvers' own feasibility
/// tolerances are 1e-9 (microlp) to 1e-6 (HiGHS's mip_feasibility_tolerance).
pub const TOLERANCE: f64 = 1e-5;

/// What a solution vector breaks.
#[derive(Debug, Clone, PartialEq)]
pub enum Defaut<K> {
    /// A keyed row does not hold, by `ecart` (> 0, in the row's own units).
    Ligne {
        /// The rule of the row.
        cle: K,
        /// By how much the row is missed.
        ecart: f64,
    },
    /// A variable lies outside its bounds, by `ecart`.
    Borne {
        /// The variable's LP name.
        variable: String,
        /// Distance to the nearest bound.
        ecart: f64,
    },
    /// An integer variable has a fractional value, `ecart` away from the nearest integer.
    Fraction {
        /// The variable's LP name.
        variable: String,
        /// Distance to the nearest integer.
        ecart: f64,
    },
    /// The vector does not hold one value per variable (nothing else is checked).
    Taille {
        /// Number of variables of the problem.
        attendu: usize,
        /// Number of values given.
        recu: usize,
    },
}

/// After a solve, in debug builds (every test): the solver's values must satisfy the problem it
/// was given ([`TOLERANCE`]). A breach is a bug of a backend or of its bridge, never of the
/// input: it stops the test run with the rows it breaks.
pub(crate) fn controler<K>(p: &Probleme<K>, valeurs: &[f64]) {
    if cfg!(debug_assertions) {
        let d = defauts(p, valeurs, TOLERANCE);
        assert!(
            d.is_empty(),
            "the solver's values break {} row(s), bound(s) or integrality(ies) of the problem: {:?}",
            d.len(),
            &d[..d.len().min(5)]
        );
    }
}

/// Checks `valeurs` against every row, bound and integrality of `p`, in that order (rows in
/// model order, then variables in index order). An empty list means the vector is feasible
/// within `tol` (relative to `max(1, |rhs|)` for a row and `max(1, |bound|)` for a bound,
/// absolute for integrality).
pub fn verifier<K: Clone>(p: &Probleme<K>, valeurs: &[f64], tol: f64) -> Vec<Defaut<K>> {
    defauts(p, valeurs, tol)
        .into_iter()
        .map(|d| match d {
            Defaut::Ligne { cle, ecart } => Defaut::Ligne {
                cle: p.lignes[cle].cle.clone(),
                ecart,
            },
            Defaut::Borne { variable, ecart } => Defaut::Borne { variable, ecart },
            Defaut::Fraction { variable, ecart } => Defaut::Fraction { variable, ecart },
            Defaut::Taille { attendu, recu } => Defaut::Taille { attendu, recu },
        })
        .collect()
}

/// [`verifier`], each row named by its index in `p.lignes` (for any key type).
pub fn defauts<K>(p: &Probleme<K>, valeurs: &[f64], tol: f64) -> Vec<Defaut<usize>> {
    if valeurs.len() != p.variables.len() {
        return vec![Defaut::Taille {
            attendu: p.variables.len(),
            recu: valeurs.len(),
        }];
    }
    let mut out = Vec::new();
    for (k, l) in p.lignes.iter().enumerate() {
        let x: f64 = l.termes.iter().map(|&(i, c)| c * valeurs[i]).sum();
        let ecart = match l.sens {
            Sens::Le => x - l.rhs,
            Sens::Ge => l.rhs - x,
            Sens::Eq => (x - l.rhs).abs(),
        };
        if ecart > tol * l.rhs.abs().max(1.0) || ecart.is_nan() {
            out.push(Defaut::Ligne { cle: k, ecart });
        }
    }
    for (v, &x) in p.variables.iter().zip(valeurs) {
        let ecart = if x < v.min {
            v.min - x
        } else if x > v.max {
            x - v.max
        } else {
            0.0
        };
        let echelle = if x < v.min { v.min } else { v.max };
        if ecart > tol * echelle.abs().max(1.0) || x.is_nan() {
            out.push(Defaut::Borne {
                variable: v.nom.clone(),
                ecart,
            });
        }
        let fraction = (x - x.round()).abs();
        if v.entiere && fraction > tol {
            out.push(Defaut::Fraction {
                variable: v.nom.clone(),
                ecart: fraction,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn petit() -> Probleme<&'static str> {
        let mut p = Probleme::default();
        let x = p.var("x".into(), 0.0, 1.0, true);
        let y = p.var("y".into(), 0.0, f64::INFINITY, false);
        p.contrainte("somme", vec![(x, 1.0), (y, 1.0)], Sens::Le, 2.0);
        p.contrainte("y_min", vec![(y, 1.0)], Sens::Ge, 0.5);
        p.contrainte("egal", vec![(x, 2.0), (y, -1.0)], Sens::Eq, 1.0);
        p
    }

    #[test]
    fn a_feasible_vector_passes_and_each_breach_is_named() {
        let p = petit();
        assert_eq!(verifier(&p, &[1.0, 1.0], 1e-9), vec![]);
        // Within tolerance.
        assert_eq!(verifier(&p, &[1.0, 1.0 + 1e-12], 1e-9), vec![]);
        let d = verifier(&p, &[1.0, 3.0], 1e-9);
        assert_eq!(
            d,
            vec![
                Defaut::Ligne {
                    cle: "somme",
                    ecart: 2.0
                },
                Defaut::Ligne {
                    cle: "egal",
                    ecart: 2.0
                }
            ]
        );
        let d = verifier(&p, &[0.5, 0.0], 1e-9);
        assert_eq!(
            d,
            vec![
                Defaut::Ligne {
                    cle: "y_min",
                    ecart: 0.5
                },
                Defaut::Fraction {
                    variable: "x".into(),
                    ecart: 0.5
                }
            ]
        );
        let d = verifier(&p, &[2.0, 3.0], 1e-9);
        assert!(d.contains(&Defaut::Borne {
            variable: "x".into(),
            ecart: 1.0
        }));
        assert_eq!(
            verifier(&p, &[1.0], 1e-9),
            vec![Defaut::Taille {
                attendu: 2,
                recu: 1
            }]
        );
        assert!(!verifier(&p, &[1.0, f64::NAN], 1e-9).is_empty());
    }

    /// In debug builds (every test), a solver answer that breaks its problem stops the run.
    #[cfg(debug_assertions)]
    #[test]
    #[should_panic(expected = "the solver's values break 2 row(s)")]
    fn the_debug_check_stops_on_a_broken_answer() {
        controler(&petit(), &[1.0, 1.5]);
    }
}
