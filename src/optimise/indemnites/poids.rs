//! Responsibility of each élu·e: the figures (staff, budget and services of the perimeter
//! piloted or supported, transversal axis, quartier, group lead) and the weight computed from
//! them with the coefficients of `[indemnites]`.
//!
//! In: a [`Scenario`]. Out: one [`Responsabilite`] per élu·e (plain figures, no policy), then a
//! [`Poids`] per élu·e of a pool (the weight and its components). The two steps are separate
//! so that the figures can be shown, checked and reused (the `analyse` diagnostics compute
//! similar ones) independently of the coefficients.

use crate::analyse::Attribution;
use crate::model::{Fonction, IndemnitesParams, Scenario};
use serde::Serialize;

/// The responsibility figures of one élu·e: what they pilot and support under the one
/// attribution rule of `analyse::attribution` (nearest pilote, shared nodes split equally; appui
/// outside what they pilot), so that the weight uses the same « ETP pilotés » as every other
/// output.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Responsabilite {
    /// Index of the élu·e in [`Scenario::elus`].
    pub elu: usize,
    /// Identifier of the élu·e.
    pub id: String,
    /// Number of délégations (rows of `delegations.csv`, with or without a service).
    pub nb_delegations: usize,
    /// Délégations without a service (empty `noeud`), by wording, in input order.
    pub sans_service: Vec<String>,
    /// Staff (ETP) of the subtrees piloted.
    pub effectif_pilote: f64,
    /// Budget (€/year) of the subtrees piloted.
    pub budget_pilote: f64,
    /// Nodes of level « service » in the subtrees piloted.
    pub services_pilotes: usize,
    /// Staff (ETP) of the subtrees supported (appui), outside what is piloted.
    pub effectif_appui: f64,
    /// Budget (€/year) of the subtrees supported, outside what is piloted.
    pub budget_appui: f64,
    /// Services in the subtrees supported, outside what is piloted.
    pub services_appui: usize,
    /// Operational units (leaf nodes, whatever their level label) piloted: the size term of
    /// the weight, so that relabelling a node (`service` ↔ `unite`) with the same staff and
    /// budget never moves a weight (issue 27 item 6).
    pub unites_pilotees: usize,
    /// Operational units supported (appui), outside what is piloted.
    pub unites_appui: usize,
    /// Transversal axis held, if any.
    pub axe: Option<String>,
    /// Quartier of an adjoint·e de quartier, if any.
    pub quartier: Option<String>,
    /// Group the élu·e leads (animates), if any.
    pub anime_groupe: Option<String>,
}

/// The responsibility figures of every élu·e of the scenario, in input order.
///
/// Group lead: `model::Groupe::chef`, the one rule every output uses.
pub fn responsabilites(s: &Scenario) -> Vec<Responsabilite> {
    let attribution = Attribution::depuis_scenario(s);
    let chefs = s.chefs();
    s.elus
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let pilote = attribution.elu(i);
            let appui = attribution.appui(i);
            let (unites_pilotees, unites_appui) = attribution.unites(i);
            Responsabilite {
                elu: i,
                id: e.id.clone(),
                nb_delegations: s.delegations.iter().filter(|d| d.elu == i).count()
                    + s.sans_service_de(i).count(),
                sans_service: s.sans_service_de(i).map(|d| d.libelle.clone()).collect(),
                // `+ 0.0`: an empty f64 sum is −0.0, which would print as « -0 ».
                effectif_pilote: pilote.effectif + 0.0,
                budget_pilote: pilote.budget + 0.0,
                services_pilotes: pilote.services,
                effectif_appui: appui.effectif + 0.0,
                budget_appui: appui.budget + 0.0,
                services_appui: appui.services,
                unites_pilotees,
                unites_appui,
                axe: e.axe.clone(),
                quartier: if e.fonction == Fonction::Adjoint {
                    e.quartier.clone()
                } else {
                    None
                },
                anime_groupe: chefs.get(&i).cloned(),
            }
        })
        .collect()
}

/// The coefficients that turn responsibility figures into a weight (`[indemnites]`, documented
/// with their defaults in `docs/indemnites.md`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficients {
    /// Weight every délégué·e gets (default 1).
    pub socle: f64,
    /// Weight of the staff, per mean staff of the pool (default 1).
    pub effectif: f64,
    /// Weight of the budget, per mean budget of the pool (default 0,5).
    pub budget: f64,
    /// Weight of the number of operational units (leaf nodes of the perimeter, whatever their
    /// level label), per mean of the pool (default 0,5).
    pub services: f64,
    /// Share counted for appui (default 0,25; pilote = 1).
    pub part_appui: f64,
    /// Added for a transversal axis (default 0,5).
    pub axe: f64,
    /// Added for an adjoint·e de quartier (default 0,5).
    pub quartier: f64,
    /// Added for leading a group (default 0,5).
    pub animation: f64,
    /// Added for each délégation without a service (default 0,25).
    pub sans_service: f64,
}

impl Coefficients {
    /// The coefficients of a scenario's `[indemnites]`.
    pub fn depuis(p: &IndemnitesParams) -> Coefficients {
        Coefficients {
            socle: p.poids_socle,
            effectif: p.poids_effectif,
            budget: p.poids_budget,
            services: p.poids_services,
            part_appui: p.part_appui,
            axe: p.bonus_axe,
            quartier: p.bonus_quartier,
            animation: p.bonus_animation,
            sans_service: p.poids_sans_service,
        }
    }
}

/// The weight of one élu·e and its components (they add up to `total`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Poids {
    /// Collegial base.
    pub socle: f64,
    /// From the staff.
    pub effectif: f64,
    /// From the budget.
    pub budget: f64,
    /// From the number of operational units (leaf nodes).
    pub services: f64,
    /// From a transversal axis.
    pub axe: f64,
    /// From a quartier.
    pub quartier: f64,
    /// From leading a group.
    pub animation: f64,
    /// From délégations without a service (`poids_sans_service` each).
    pub sans_service: f64,
    /// Sum of the components.
    pub total: f64,
}

/// Weights of a pool of élu·es (the paid délégué·es), one per figure, in the same order.
///
/// With `p` = pilote, `a` = appui and `k` = `part_appui`, each size term is normalised by its
/// mean over the pool, so that a délégué·e with an average perimeter gets exactly the
/// coefficient:
///
/// `w = socle + c_eff · (eff_p + k·eff_a) / moy + c_bud · (bud_p + k·bud_a) / moy
///      + c_srv · (uni_p + k·uni_a) / moy + c_axe·[axe] + c_quartier·[quartier]
///      + c_animation·[anime un groupe] + c_sans_service · nb_sans_service`
///
/// `uni` counts the operational units (leaf nodes) of the perimeter, not the nodes labelled
/// `service`: a level label is a name, and the weight depends only on the structure, the
/// staff and the budget.
///
/// A délégation without a service has no perimeter to measure: it adds the fixed share
/// `c_sans_service` (`poids_sans_service`, default 0,25, a quarter of the collegial base).
///
/// A term whose mean is zero (no staff in any perimeter) contributes nothing.
pub fn poids(figures: &[Responsabilite], c: &Coefficients) -> Vec<Poids> {
    let k = c.part_appui;
    let eff = |r: &Responsabilite| r.effectif_pilote + k * r.effectif_appui;
    let bud = |r: &Responsabilite| r.budget_pilote + k * r.budget_appui;
    let srv = |r: &Responsabilite| r.unites_pilotees as f64 + k * r.unites_appui as f64;
    let n = figures.len().max(1) as f64;
    let moyenne = |f: &dyn Fn(&Responsabilite) -> f64| figures.iter().map(f).sum::<f64>() / n;
    let (m_eff, m_bud, m_srv) = (moyenne(&eff), moyenne(&bud), moyenne(&srv));
    let terme = |coef: f64, v: f64, m: f64| if m > 0.0 { coef * v / m } else { 0.0 };
    figures
        .iter()
        .map(|r| {
            let mut p = Poids {
                socle: c.socle,
                effectif: terme(c.effectif, eff(r), m_eff),
                budget: terme(c.budget, bud(r), m_bud),
                services: terme(c.services, srv(r), m_srv),
                axe: if r.axe.is_some() { c.axe } else { 0.0 },
                quartier: if r.quartier.is_some() {
                    c.quartier
                } else {
                    0.0
                },
                animation: if r.anime_groupe.is_some() {
                    c.animation
                } else {
                    0.0
                },
                sans_service: c.sans_service * r.sans_service.len() as f64,
                total: 0.0,
            };
            p.total = p.socle
                + p.effectif
                + p.budget
                + p.services
                + p.axe
                + p.quartier
                + p.animation
                + p.sans_service;
            p
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fig(eff_p: f64, eff_a: f64, axe: bool) -> Responsabilite {
        Responsabilite {
            elu: 0,
            id: "x".into(),
            nb_delegations: 1,
            sans_service: vec![],
            effectif_pilote: eff_p,
            budget_pilote: 0.0,
            services_pilotes: 0,
            effectif_appui: eff_a,
            budget_appui: 0.0,
            services_appui: 0,
            unites_pilotees: 0,
            unites_appui: 0,
            axe: axe.then(|| "transition".to_string()),
            quartier: None,
            anime_groupe: None,
        }
    }

    #[test]
    fn weight_is_base_plus_normalised_terms() {
        let mut c = Coefficients::depuis(&IndemnitesParams::default());
        c.part_appui = 0.5;
        // effective staff 30 and 10 (20 in appui at 0,5): mean 20
        let w = poids(&[fig(30.0, 0.0, false), fig(0.0, 20.0, true)], &c);
        assert!((w[0].effectif - 1.5).abs() < 1e-12);
        assert!((w[1].effectif - 0.5).abs() < 1e-12);
        assert_eq!(w[1].axe, 0.5);
        assert_eq!(w[0].budget, 0.0, "zero mean contributes nothing");
        assert!((w[0].total - 2.5).abs() < 1e-12);
        assert!((w[1].total - 2.0).abs() < 1e-12);
        // Two délégations without a service add twice the fixed share, and nothing else.
        let mut f = fig(0.0, 0.0, false);
        f.sans_service = vec!["Migrations".into(), "Temps de la ville".into()];
        let w = poids(&[fig(30.0, 0.0, false), f], &c);
        assert_eq!(w[1].sans_service, 0.5);
        assert!((w[1].total - 1.5).abs() < 1e-12, "{:?}", w[1]);
    }
}
