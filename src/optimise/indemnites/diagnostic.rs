//! Why an allocation is infeasible: which rule families conflict and by how much.
//!
//! In: the model's [`Donnees`]. Out: a [`Diagnostic`] (plain data; the CLI words it). Method:
//! for each family in turn, every other family stays hard and the rows of that family get
//! elastic slacks (the LP layer's [`elastique`]) (`≤` rows may be exceeded, `≥` rows undershot, `=` rows missed either way);
//! the minimal total slack is how much that family alone must give way for a solution to exist
//! (in points of the terme de référence), or the family cannot restore feasibility alone.

use super::donnees::Donnees;
use super::modele::{Cle, Famille, construire};
use super::resoudre;
use crate::lp::elastique;
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde::Serialize;

/// Relaxing one family.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relachement {
    /// Family relaxed.
    pub famille: Famille,
    /// French label of the family.
    pub libelle: &'static str,
    /// Rule of law (cannot be voted away) or policy choice.
    pub legale: bool,
    /// True when relaxing this family alone makes the problem feasible.
    pub suffit: bool,
    /// Minimal total relaxation, in points of % of the terme de référence (when it suffices).
    pub ecart_points: Option<Decimal>,
    /// The same in euros per month.
    pub ecart_eur: Option<Decimal>,
    /// Rules of the family that had to give way (keys with a positive slack).
    pub regles: Vec<Cle>,
}

/// The diagnosis of an infeasible allocation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// One entry per family present in the model, legal families first.
    pub relachements: Vec<Relachement>,
}

impl Diagnostic {
    /// The families whose relaxation alone restores feasibility: the rules in conflict.
    pub fn en_conflit(&self) -> Vec<&Relachement> {
        self.relachements.iter().filter(|r| r.suffit).collect()
    }
}

const EPS: f64 = 1e-6;

/// Diagnoses an infeasible model (also meaningful on a feasible one: every family then
/// "suffices" with a zero relaxation).
pub fn diagnostiquer(d: &Donnees) -> Diagnostic {
    let complet = construire(d, &Famille::TOUTES);
    let mut relachements = Vec::new();
    for fam in Famille::TOUTES {
        if !complet.lignes.iter().any(|l| l.cle.famille() == Some(fam)) {
            continue;
        }
        let (p, ecarts) = elastique(&complet, |cle: &Cle| cle.famille() == Some(fam));
        let (suffit, ecart, regles) = match resoudre(&p) {
            Ok(s) => {
                let mut regles: Vec<Cle> = ecarts
                    .iter()
                    .filter(|(v, _)| s.valeurs[*v] > EPS)
                    .map(|(_, k)| p.lignes[*k].cle.clone())
                    .collect();
                regles.dedup();
                let total: f64 = ecarts.iter().map(|(v, _)| s.valeurs[*v]).sum();
                (true, Some(total), regles)
            }
            Err(_) => (false, None, Vec::new()),
        };
        let points = ecart
            .and_then(Decimal::from_f64)
            .map(|x| x.round_dp(2).normalize());
        relachements.push(Relachement {
            famille: fam,
            libelle: fam.libelle(),
            legale: fam.est_legale(),
            suffit,
            ecart_eur: points.map(|x| d.reference.montant(x)),
            ecart_points: points,
            regles,
        });
    }
    Diagnostic { relachements }
}
