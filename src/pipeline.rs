//! The library's pipeline, once: check → analyse → allocate → plan, as library calls on a
//! scenario in memory.
//!
//! In: a loaded [`Scenario`] (from files with [`crate::ingest::load_scenario`], from a workbook,
//! from memory with [`crate::ingest::charger_sources`], or edited by the séminaire) and a
//! [`Demande`] saying which optional stages to run. Out: [`Resultats`], or the one [`Erreur`].
//! The command line (`collegia rapport`), the benchmark and the séminaire all call
//! [`executer`], so that they compute the same thing in the same order; rendering and writing
//! stay with the caller (renderers return bytes, one writer writes).

use crate::analyse::{Analyse, Attribution};
use crate::erreur::Erreur;
use crate::model::{Scenario, Verrou};
use crate::optimise::front::PointFront;
use crate::optimise::indemnites::{self, Allocation, PointBalayage};
use crate::optimise::{Donnees, Granularite, Options, Resultat, Suivi};

/// What to compute besides the analysis (always run).
#[derive(Debug, Clone, Default)]
pub struct Demande {
    /// The indemnités allocation (`rapport`, the séminaire).
    pub indemnites: bool,
    /// The 21-point sweep of the indemnités policy (`rapport --balayage`); implies nothing
    /// else.
    pub balayage: bool,
    /// The grouping optimiser (`rapport --optimiser`), when asked.
    pub groupes: Option<DemandeGroupes>,
}

/// The grouping optimiser's part of a [`Demande`].
#[derive(Debug, Clone)]
pub struct DemandeGroupes {
    /// Unit level.
    pub granularite: Granularite,
    /// Let members change group.
    pub regrouper: bool,
    /// The user's locks (`verrous.csv`).
    pub verrous: Vec<Verrou>,
    /// Solver options.
    pub options: Options,
    /// Also compute the front of compromises.
    pub front: bool,
}

/// The indemnités stage's results.
#[derive(Debug, Clone)]
pub struct ResultatsIndemnites {
    /// The model's data (beneficiaries, rules).
    pub donnees: indemnites::Donnees,
    /// The verified allocation.
    pub allocation: Allocation,
    /// The sweep, when asked.
    pub balayage: Option<Vec<PointBalayage>>,
}

/// The grouping optimiser's results: a verified plan (and its front, when asked).
#[derive(Debug, Clone)]
pub struct Proposition {
    /// The scenario the plan was built on, when it is not the input: `elus.csv` named no group
    /// and each adjoint·e who may lead one got a group of their own
    /// ([`Scenario::avec_groupes_implicites`]); the variant is written from it.
    pub scenario: Option<Scenario>,
    /// The model's data.
    pub donnees: Donnees,
    /// The verified plan and its status.
    pub resultat: Resultat,
    /// The front of compromises, when asked.
    pub front: Option<Vec<PointFront>>,
}

/// Everything the pipeline computed.
#[derive(Debug, Clone)]
pub struct Resultats {
    /// Findings and metrics.
    pub analyse: Analyse,
    /// The one attribution of staff, budget and services to porteurs.
    pub attribution: Attribution,
    /// The indemnités, when asked.
    pub indemnites: Option<ResultatsIndemnites>,
    /// The grouping proposal, when asked. An optimisation without a plan (infeasible rules,
    /// solver failure) is kept here as its error instead of failing the whole pipeline: the
    /// séminaire report is still worth writing, with the diagnosis in its section (issue 23).
    pub proposition: Option<Result<Proposition, Erreur>>,
}

/// Runs the pipeline on a scenario. Fails on the first stage that cannot give a result, except
/// the grouping optimiser's solve (see [`Resultats::proposition`]); the grouping model's data
/// (locks) failing is bad input, and fails the whole call.
pub fn executer(s: &Scenario, d: &Demande, suivi: &Suivi) -> Result<Resultats, Erreur> {
    let analyse = crate::analyse::analyser(s);
    let attribution = Attribution::depuis_scenario(s);
    let indemnites = if d.indemnites {
        let donnees = indemnites::preparer(s)?;
        let allocation = indemnites::allouer_donnees(s, &donnees)?;
        let balayage = if d.balayage {
            Some(indemnites::balayage(s)?)
        } else {
            None
        };
        Some(ResultatsIndemnites {
            donnees,
            allocation,
            balayage,
        })
    } else {
        None
    };
    let proposition = match &d.groupes {
        Some(g) => {
            let implicite = s.avec_groupes_implicites();
            let sg = implicite.as_ref().unwrap_or(s);
            let donnees = Donnees::depuis_scenario(sg, &g.verrous, g.granularite, g.regrouper)?;
            Some(proposer(donnees, g, suivi).map(|p| Proposition {
                scenario: implicite,
                ..p
            }))
        }
        None => None,
    };
    Ok(Resultats {
        analyse,
        attribution,
        indemnites,
        proposition,
    })
}

/// The grouping plan and, when asked, its front.
fn proposer(donnees: Donnees, g: &DemandeGroupes, suivi: &Suivi) -> Result<Proposition, Erreur> {
    let resultat = crate::optimise::optimiser_suivi(&donnees, &g.options, suivi)?;
    let front = if g.front {
        Some(crate::optimise::front::front(&donnees, &g.options)?)
    } else {
        None
    };
    Ok(Proposition {
        scenario: None,
        donnees,
        resultat,
        front,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exemple() -> Scenario {
        let dossier = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/exemple");
        crate::ingest::load_scenario(&dossier)
            .expect("example loads")
            .scenario
    }

    #[test]
    fn only_the_stages_asked_for_run() {
        let s = exemple();
        let r = executer(&s, &Demande::default(), &Suivi::muet()).expect("analysis");
        assert!(r.indemnites.is_none() && r.proposition.is_none());
        let r = executer(
            &s,
            &Demande {
                indemnites: true,
                ..Demande::default()
            },
            &Suivi::muet(),
        )
        .expect("allocation");
        let i = r.indemnites.expect("asked");
        assert!(i.balayage.is_none());
        assert!(!i.allocation.lignes.is_empty());
    }

    #[test]
    fn an_infeasible_policy_is_an_infeasible_error() {
        let dossier =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/exemple-infaisable");
        let s = crate::ingest::load_scenario(&dossier)
            .expect("loads")
            .scenario;
        let e = executer(
            &s,
            &Demande {
                indemnites: true,
                ..Demande::default()
            },
            &Suivi::muet(),
        )
        .expect_err("infeasible");
        assert_eq!((e.code(), e.code_sortie()), ("E075", 2));
    }
}
