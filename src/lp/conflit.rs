//! The one infeasibility diagnosis, for any model: which rule families conflict, and which rules.
//!
//! The model supplies a feasibility oracle (rebuild without some families or keys, solve for
//! feasibility only: `Some(true)` feasible, `Some(false)` infeasible, `None` unknown because the
//! solver stopped); this module decides what to try:
//! 1. [`relaxer_familles`]: relax one family at a time, then (if none suffices alone) pairs;
//! 2. [`filtre_de_suppression`]: a deletion filter over the rules of those families, every other
//!    rule in force, which leaves a minimal set of rules that cannot hold together;
//! 3. [`garder_par_moities`]: when derived rules must yield for a plan to exist, the fewest of
//!    them, in the caller's order of preference;
//! 4. [`elastique`]: for a continuous model, the rows of one family made elastic, so that the
//!    least total slack says by how much that family must give way.
//!
//! Wording stays with the report layer: this returns data.

use super::{Critere, Probleme, Sens};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

/// Diagnosis of an infeasible keyed model, for any model's rule families `F` and keys `K`: what
/// the grouping and the reorganisation models report (one type, aliased by each).
#[derive(Debug, Clone, PartialEq)]
pub struct Infaisabilite<F, K> {
    /// Families each of whose relaxation alone makes the model feasible (or, when none does,
    /// the families of the first pair that does).
    pub familles: Vec<F>,
    /// A minimal set of rules that cannot hold together (every other rule in force).
    pub cles: Vec<K>,
    /// False when the search was cut short by the time limit (the lists may be incomplete).
    pub complet: bool,
}

impl<F, K> Default for Infaisabilite<F, K> {
    fn default() -> Self {
        Infaisabilite {
            familles: Vec::new(),
            cles: Vec::new(),
            complet: false,
        }
    }
}

/// Why a keyed model gave no plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Echec<F, K> {
    /// The rules cannot all hold.
    Infaisable(Infaisabilite<F, K>),
    /// The solver failed and there is no valid fallback (French message).
    Solveur(String),
}

/// The families whose relaxation restores feasibility.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relaxation<F> {
    /// Families each of whose relaxation alone restores feasibility (or, when none does and
    /// pairs were tried, the first pair that does), sorted.
    pub familles: Vec<F>,
    /// False when the search was cut short by its time budget.
    pub complet: bool,
}

/// Relaxes each family of `relaxables` alone (all of them are tried); when none suffices and
/// `paires` is set, tries pairs in order until one suffices or `debut + budget` has passed.
pub fn relaxer_familles<F: Copy + Ord>(
    relaxables: &[F],
    paires: bool,
    debut: Instant,
    budget: Duration,
    mut faisable: impl FnMut(&[F]) -> Option<bool>,
) -> Relaxation<F> {
    let mut complet = true;
    let mut familles: Vec<F> = relaxables
        .iter()
        .copied()
        .filter(|&f| faisable(&[f]) == Some(true))
        .collect();
    if familles.is_empty() && paires {
        'paires: for (i, &a) in relaxables.iter().enumerate() {
            for &b in &relaxables[i + 1..] {
                if debut.elapsed() > budget {
                    complet = false;
                    break 'paires;
                }
                if faisable(&[a, b]) == Some(true) {
                    familles = vec![a, b];
                    break 'paires;
                }
            }
        }
    }
    familles.sort();
    Relaxation { familles, complet }
}

/// Deletion filter: removes each candidate rule in turn and keeps it removed when the rest is
/// still infeasible; what is left is a minimal infeasible set (every rule outside `candidats`
/// stays in force). More than `limite` candidates, or `debut + budget` passed, cut it short:
/// the second value is then false.
pub fn filtre_de_suppression<K: Ord + Clone>(
    candidats: Vec<K>,
    limite: usize,
    debut: Instant,
    budget: Duration,
    mut faisable: impl FnMut(&BTreeSet<K>) -> Option<bool>,
) -> (Vec<K>, bool) {
    let mut exclues = BTreeSet::new();
    let mut necessaires = Vec::new();
    if candidats.len() > limite {
        return (necessaires, false);
    }
    for c in candidats {
        if debut.elapsed() > budget {
            return (necessaires, false);
        }
        exclues.insert(c.clone());
        if faisable(&exclues) != Some(false) {
            exclues.remove(&c);
            necessaires.push(c);
        }
    }
    (necessaires, true)
}

/// Lifts the fewest rules that must yield, in order of preference: the rules `cles` (all out of
/// force on entry, in `exclues`) are put back in force by halves, earlier ones first; a half
/// that keeps the model feasible stays, else it is split, and a single rule that cannot join is
/// lifted (returned). Earlier rules are kept whenever a later one can yield instead, so the
/// caller orders `cles` by what it would rather keep. `faisable` answers for the rules still
/// in `exclues` left out; an unknown answer counts as infeasible (the rule yields and a plan
/// exists). O(k log n) solves for k lifted rules out of n.
pub fn garder_par_moities<K: Ord + Clone>(
    cles: &[K],
    exclues: &mut BTreeSet<K>,
    faisable: &mut impl FnMut(&BTreeSet<K>) -> bool,
) -> Vec<K> {
    let mut levees = Vec::new();
    garder(cles, exclues, faisable, &mut levees);
    levees
}

fn garder<K: Ord + Clone>(
    cles: &[K],
    exclues: &mut BTreeSet<K>,
    faisable: &mut impl FnMut(&BTreeSet<K>) -> bool,
    levees: &mut Vec<K>,
) {
    if cles.is_empty() {
        return;
    }
    for c in cles {
        exclues.remove(c);
    }
    if faisable(exclues) {
        return;
    }
    for c in cles {
        exclues.insert(c.clone());
    }
    if let [c] = cles {
        levees.push(c.clone());
        return;
    }
    let (a, b) = cles.split_at(cles.len() / 2);
    garder(a, exclues, faisable, levees);
    garder(b, exclues, faisable, levees);
}

/// A copy of `p` whose rows selected by `relacher` are elastic: a `≤` row may be exceeded, a
/// `≥` row undershot, an `=` row missed either way, each slack `≥ 0` named `relache_{row}`, and
/// the objective replaced by the sum of the slacks. Returns the copy and, per slack, its
/// variable and its row.
pub fn elastique<K: Clone>(
    p: &Probleme<K>,
    relacher: impl Fn(&K) -> bool,
) -> (Probleme<K>, Vec<(usize, usize)>) {
    let mut q = p.clone();
    let mut ecarts = Vec::new();
    let mut relachements = Vec::new();
    for k in 0..q.lignes.len() {
        if !relacher(&q.lignes[k].cle) {
            continue;
        }
        let coefs: &[f64] = match q.lignes[k].sens {
            Sens::Le => &[-1.0],
            Sens::Ge => &[1.0],
            Sens::Eq => &[1.0, -1.0],
        };
        for &coef in coefs {
            let s = q.positive(format!("relache_{k}"));
            q.lignes[k].termes.push((s, coef));
            relachements.push((s, 1.0));
            ecarts.push((s, k));
        }
    }
    q.criteres = vec![Critere::new("relachements", 1.0, relachements, 0.0)];
    (q, ecarts)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rules 1, 2 and 3 are pairwise compatible but not all three together; rule 4 is free.
    fn faisable(exclues: &BTreeSet<u8>) -> Option<bool> {
        Some([1, 2, 3].iter().any(|r| exclues.contains(r)))
    }

    #[test]
    fn the_deletion_filter_leaves_a_minimal_conflict() {
        let debut = Instant::now();
        let (noyau, complet) =
            filtre_de_suppression(vec![1, 2, 3, 4], 400, debut, Duration::MAX, faisable);
        assert_eq!(noyau, vec![1, 2, 3]);
        assert!(complet);
        let (vide, complet) =
            filtre_de_suppression(vec![1, 2, 3, 4], 3, debut, Duration::MAX, faisable);
        assert!(vide.is_empty() && !complet);
    }

    #[test]
    fn families_alone_then_pairs() {
        let debut = Instant::now();
        // Families 'a' and 'b' must both go.
        let r = relaxer_familles(&['c', 'b', 'a'], true, debut, Duration::MAX, |fs| {
            Some(fs.contains(&'a') && fs.contains(&'b'))
        });
        assert_eq!(r.familles, vec!['a', 'b']);
        assert!(r.complet);
        let r = relaxer_familles(&['c', 'b', 'a'], false, debut, Duration::MAX, |fs| {
            Some(fs.contains(&'a') && fs.contains(&'b'))
        });
        assert!(r.familles.is_empty());
        // Each of 'c' and 'a' suffices alone: both are named, sorted.
        let r = relaxer_familles(&['c', 'b', 'a'], true, debut, Duration::MAX, |fs| {
            Some(fs.contains(&'a') || fs.contains(&'c'))
        });
        assert_eq!(r.familles, vec!['a', 'c']);
    }

    #[test]
    fn elastic_rows_get_one_slack_per_direction() {
        let mut p: Probleme<&str> = Probleme::default();
        let x = p.var("x".into(), 0.0, f64::INFINITY, false);
        p.criteres
            .push(Critere::new("cout", 3.0, vec![(x, 1.0)], 0.0));
        p.contrainte("haut", vec![(x, 1.0)], Sens::Le, 1.0);
        p.contrainte("egal", vec![(x, 1.0)], Sens::Eq, 2.0);
        p.contrainte("bas", vec![(x, 1.0)], Sens::Ge, 0.0);
        let (q, ecarts) = elastique(&p, |k| *k != "bas");
        assert_eq!(ecarts, vec![(1, 0), (2, 1), (3, 1)]);
        assert_eq!(q.lignes[0].termes, vec![(x, 1.0), (1, -1.0)]);
        assert_eq!(q.lignes[1].termes, vec![(x, 1.0), (2, 1.0), (3, -1.0)]);
        assert_eq!(q.lignes[2].termes, vec![(x, 1.0)]);
        assert_eq!(q.objectif(), vec![(1, 1.0), (2, 1.0), (3, 1.0)]);
        assert_eq!(q.variables[3].nom, "relache_1");
    }
}
