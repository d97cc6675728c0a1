//! Optimisation models (good_lp), each verified after every solve: the indemnités LP
//! ([`indemnites`], `collegia indemnites`) and, here, optimised groupings (`collegia optimiser`): a mixed-integer model that gives every unit of the
//! organigramme exactly one leading group, keeps each group within few DGA, changes little from
//! the proposed délégations and balances the staff load.
//!
//! ```text
//!  Scenario + verrous ──► Donnees ──► construire ──► Modele ──► lp::resoudre (microlp | HiGHS)
//!                           │                         │  └────► lp::export (--exporter-modele)
//!                           │                         ▼
//!                           └──────────────────► verify(plan) ◄── plan (solver, or fallback)
//! ```
//!
//! - [`donnees`]: what the model needs from the scenario (units, groups, members, locks).
//! - [`groupes`]: the model's driver: variables, then each rule family's rows.
//! - [`criteres`]: the named criteria of the objective, each defined once (model and plan).
//! - [`regles`]: the rules, one file per family, each with its rows (`construire`) and its
//!   check of a plan (`verifier`); and their precedence ([`regles::precedence`]).
//! - [`modele`]: the keys of the model's rows ([`Cle`]) and their families; the model itself is
//!   a [`crate::lp::Probleme`], solved, exported and diagnosed by the LP layer ([`crate::lp`]).
//! - [`verification`]: the plan, the independent checker's driver ([`verify`], calling each
//!   family's check) and the reference objective.
//!
//! An infeasible model comes back as data ([`Infaisabilite`]: the rule families in conflict,
//! found by relaxing one family at a time, then a minimal set of rules), worded by the report
//! layer. The solver never has the last word: its plan is re-checked by [`verify`] before use.

pub mod affectation;
pub mod application;
pub mod coupes;
pub mod criteres;
pub mod donnees;
pub mod front;
pub mod groupes;
pub mod indemnites;
pub mod modele;
pub mod regles;
pub mod verification;
pub mod voeux;

pub use donnees::{Donnees, ErreurDonnees, Granularite, Groupe, Lien, Membre, Unite};
pub use groupes::{Conflit, Exclusions, ModeleGroupes, construire};
pub use modele::{Cle, Famille, Modele, Sens, nom_lp};
pub use regles::RegleLevee;
pub use verification::{Cout, Plan, Violation, charges, evaluer, poles_par_groupe, verify};

pub use crate::lp::{LIMITE_NOEUDS, Options, Progression, Solveur, Statut, Suivi};

use crate::lp::{EchecSolveur, resoudre, resoudre_suivi};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

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

/// Why no plan (the one diagnosis type of the LP layer).
pub type Echec = crate::lp::Echec<Famille, Cle>;

/// Diagnosis of an infeasible model (the one diagnosis type of the LP layer).
pub type Infaisabilite = crate::lp::Infaisabilite<Famille, Cle>;

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
    // With joint wish stages, their last plan is a start too (it meets every wish row).
    let mut repli = meilleur(d, repli(d, &mg), voeux::plan_de_depart(d));
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
        let statut = statut.ecart_pour(cout.total);
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
        Err(EchecSolveur::Infaisable) => reprendre(d, o, suivi, None, debut),
        Err(e) => match &repli {
            Some(p) => fini(
                p.clone(),
                Statut::Repli { raison: e.raison() },
                duree_solveur,
            ),
            None => Err(Echec::Solveur(e.raison())),
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
        // With wishes, their own optimum places the members (it meets the wish rows).
        let voeu = d.voeux.as_ref().and_then(|c| c.affectation[e]);
        let g = permis
            .iter()
            .copied()
            .find(|&g| mg.z[e][g].is_some_and(fixe))
            .or(voeu.filter(|g| permis.contains(g)))
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
        Err(EchecSolveur::Infaisable) => Some(false),
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
    let sans = |fs: &[Famille]| Exclusions {
        familles: fs.iter().copied().collect(),
        cles: BTreeSet::new(),
    };
    let relaxation = crate::lp::relaxer_familles(&Famille::RELAXABLES, true, debut, budget, |fs| {
        faisable(d, &sans(fs), &o)
    });
    let familles = relaxation.familles;
    let mut complet = relaxation.complet;
    let cles = match conflit {
        Some(c) => c.cles,
        None => {
            let candidats: Vec<Cle> = construire(d, &Exclusions::default(), false)
                .map(|mg| mg.modele.cles())
                .unwrap_or_default()
                .into_iter()
                .filter(|c| familles.contains(&c.famille()))
                .collect();
            let (noyau, fini) =
                crate::lp::filtre_de_suppression(candidats, 400, debut, budget, |exclues| {
                    let ex = Exclusions {
                        familles: BTreeSet::new(),
                        cles: exclues.clone(),
                    };
                    faisable(d, &ex, &o)
                });
            complet &= fini;
            noyau
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
