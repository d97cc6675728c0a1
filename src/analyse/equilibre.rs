//! Balance of responsibilities: metrics, not findings.
//!
//! In: a scenario and its [`Couverture`]. Out: [`Metriques`]: staff, budget and services per
//! porteur and per élu·e, the coverage matrix pôle × porteur, the Gini index of staff across
//! groups, posts and load by sex and by component of the majority, and the reach of every
//! transversal axis. The indemnités and optimiser stages reuse them.
//!
//! Attribution rule: a node's own staff and budget go to its **nearest pilotes** (the pilote
//! délégations on the node itself, or else on its closest ancestor that has some); when several
//! élu·es pilote that same node, they share it equally. Nodes without pilote are attributed to
//! nobody. So totals add up, and a service delegated to a conseiller·e délégué·e inside their
//! adjoint·e's direction counts for the conseiller·e.

use super::attribution::Attribution;
use super::silos::{AxeCouverture, axes};
use crate::analyse::graphe::{Couverture, Porteur};
use crate::model::{Fonction, Liste, Niveau, NodeIx, Role, Scenario, Sexe};
use serde::Serialize;
use std::collections::BTreeMap;

/// Responsibility figures of one élu·e.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponsabiliteElu {
    /// Élu·e id.
    pub id: String,
    /// "Prénom Nom".
    pub nom: String,
    /// Function.
    pub fonction: Fonction,
    /// Sex.
    pub sexe: Sexe,
    /// Majority or opposition.
    pub liste: Liste,
    /// Group, if any.
    pub groupe: Option<String>,
    /// Component of the majority, if given.
    pub composante: Option<String>,
    /// Staff (ETP) attributed as nearest pilote.
    pub effectif_pilote: f64,
    /// Budget (€) attributed as nearest pilote.
    pub budget_pilote: f64,
    /// Staff of the subtrees the élu·e supports in appui (each node counted once).
    pub effectif_appui: f64,
    /// Budget of the subtrees supported in appui.
    pub budget_appui: f64,
    /// Services (level `service`) the élu·e is a nearest pilote of.
    pub services: usize,
    /// Number of pilote délégations.
    pub delegations_pilote: usize,
    /// Number of appui délégations.
    pub delegations_appui: usize,
    /// Transversal axis held, if any.
    pub axe: Option<String>,
    /// Quartier, for an adjoint·e de quartier.
    pub quartier: Option<String>,
    /// Commune déléguée, for a maire délégué·e.
    pub commune_deleguee: Option<String>,
    /// True for the adjoint·e who leads their group.
    pub chef_de_file: bool,
}

/// Load of one porteur (group, or élu·e without group).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChargePorteur {
    /// The porteur.
    pub porteur: Porteur,
    /// Member ids (the élu·e alone for a porteur without group).
    pub membres: Vec<String>,
    /// Staff attributed (ETP).
    pub effectif: f64,
    /// Budget attributed (€).
    pub budget: f64,
    /// Services attributed (a service shared by two pilotes counts once per porteur).
    pub services: usize,
    /// Share of the whole organigramme's staff, in %.
    pub part_effectif: f64,
    /// Pôles (DGA ids) where the porteur has attributed staff, by decreasing staff.
    pub poles: Vec<String>,
}

/// One cell of the coverage matrix: staff and budget a porteur leads in a pôle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellulePole {
    /// DGA id, `None` for nodes outside any pôle (attached directly under the DGS).
    pub pole: Option<String>,
    /// The porteur.
    pub porteur: Porteur,
    /// Staff (ETP).
    pub effectif: f64,
    /// Budget (€).
    pub budget: f64,
}

/// Posts and load of a category of élu·es of the majority (a sex, a component).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChargeCategorie {
    /// The category ("F", "M", or a component's name; "(non renseignée)" when empty).
    pub categorie: String,
    /// Élu·es of the majority in the category.
    pub elus: usize,
    /// Of whom with at least one délégation.
    pub avec_delegation: usize,
    /// Adjoint·es (thematic, transversal and de quartier).
    pub adjoints: usize,
    /// Conseiller·es délégué·es.
    pub conseillers_delegues: usize,
    /// Staff attributed (ETP).
    pub effectif_pilote: f64,
    /// Budget attributed (€).
    pub budget_pilote: f64,
    /// Share of the attributed staff, in %.
    pub part_effectif: f64,
}

/// All metrics of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metriques {
    /// Staff of the whole organigramme (ETP).
    pub effectif_total: f64,
    /// Budget of the whole organigramme (€).
    pub budget_total: f64,
    /// Staff attributed to some pilote.
    pub effectif_attribue: f64,
    /// Pôles (DGA ids) in input order.
    pub poles: Vec<String>,
    /// Load per porteur: groups first (by id), then élu·es without group (by id).
    pub porteurs: Vec<ChargePorteur>,
    /// Responsibility figures of every élu·e, in input order.
    pub elus: Vec<ResponsabiliteElu>,
    /// Coverage matrix pôle × porteur (non-zero cells, sorted by porteur then pôle).
    pub matrice: Vec<CellulePole>,
    /// Gini index of attributed staff across groups (0 = equal, towards 1 = concentrated).
    pub gini_groupes: f64,
    /// Posts and load by sex (majority).
    pub par_sexe: Vec<ChargeCategorie>,
    /// Posts and load by component of the majority.
    pub par_composante: Vec<ChargeCategorie>,
    /// Reach of every transversal axis.
    pub axes: Vec<AxeCouverture>,
}

impl Metriques {
    /// Staff a porteur leads in a pôle (`None` = outside any pôle).
    pub fn effectif_pole(&self, pole: Option<&str>, porteur: &Porteur) -> f64 {
        self.matrice
            .iter()
            .filter(|c| c.pole.as_deref() == pole && &c.porteur == porteur)
            .map(|c| c.effectif)
            .sum()
    }

    /// The figures of one élu·e, by id.
    pub fn elu(&self, id: &str) -> Option<&ResponsabiliteElu> {
        self.elus.iter().find(|e| e.id == id)
    }

    /// The load of one porteur.
    pub fn porteur(&self, p: &Porteur) -> Option<&ChargePorteur> {
        self.porteurs.iter().find(|c| &c.porteur == p)
    }
}

/// Gini index of non-negative values: mean absolute difference over twice the mean; 0 for fewer
/// than two values or a zero total.
pub fn gini(v: &[f64]) -> f64 {
    // Sorted form of the mean absolute difference: O(n log n) instead of O(n²).
    let mut v: Vec<f64> = v
        .iter()
        .copied()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .collect();
    let n = v.len();
    let total: f64 = v.iter().sum();
    if n < 2 || total <= 0.0 {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let s: f64 = v
        .iter()
        .enumerate()
        .map(|(i, x)| (2.0 * (i as f64 + 1.0) - n as f64 - 1.0) * x)
        .sum();
    s / (n as f64 * total)
}

fn pct(x: f64, total: f64) -> f64 {
    if total > 0.0 { 100.0 * x / total } else { 0.0 }
}

/// Computes the metrics; every staff, budget and service figure comes from the one
/// [`Attribution`] of the scenario.
pub fn metriques(s: &Scenario, cov: &Couverture) -> Metriques {
    let org = &s.organigramme;
    let attribution = Attribution::calculer(s, cov);
    let chefs = s.chefs();
    let eff: Vec<f64> = (0..s.elus.len())
        .map(|e| attribution.elu(e).effectif)
        .collect();
    let bud: Vec<f64> = (0..s.elus.len())
        .map(|e| attribution.elu(e).budget)
        .collect();
    let cellules: BTreeMap<(Porteur, Option<NodeIx>), (f64, f64)> = attribution
        .par_pole()
        .into_iter()
        .map(|(k, c)| (k, (c.effectif, c.budget)))
        .collect();
    let effectif_total = cov.effectif_sous_arbre[org.racine];
    let budget_total = cov.budget_sous_arbre[org.racine];
    let elus: Vec<ResponsabiliteElu> = s
        .elus
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let compte = |r: Role| {
                s.delegations
                    .iter()
                    .filter(|d| d.elu == i && d.role == r)
                    .count()
            };
            ResponsabiliteElu {
                id: e.id.clone(),
                nom: e.nom_complet(),
                fonction: e.fonction,
                sexe: e.sexe,
                liste: e.liste,
                groupe: e.groupe.clone(),
                composante: e.composante.clone(),
                effectif_pilote: eff[i],
                budget_pilote: bud[i],
                effectif_appui: attribution.appui(i).effectif,
                budget_appui: attribution.appui(i).budget,
                services: attribution.elu(i).services,
                delegations_pilote: compte(Role::Pilote),
                delegations_appui: compte(Role::Appui),
                axe: e.axe.clone(),
                quartier: e.quartier.clone(),
                commune_deleguee: e.commune_deleguee.clone(),
                chef_de_file: chefs.contains_key(&i),
            }
        })
        .collect();
    // Porteurs: every group, and every élu·e without group who holds a délégation.
    let mut membres: BTreeMap<Porteur, Vec<usize>> = BTreeMap::new();
    for (g, m) in s.groupes() {
        membres.insert(Porteur::Groupe(g), m);
    }
    for (i, e) in s.elus.iter().enumerate() {
        if e.groupe.is_none() && s.delegations.iter().any(|d| d.elu == i) {
            membres.insert(Porteur::Elu(e.id.clone()), vec![i]);
        }
    }
    let porteurs: Vec<ChargePorteur> = membres
        .iter()
        .map(|(p, m)| {
            let charge = attribution.ensemble(m);
            let effectif = charge.effectif;
            let mut poles: Vec<(f64, NodeIx)> = cellules
                .iter()
                .filter(|((q, pole), _)| q == p && pole.is_some())
                .filter_map(|((_, pole), (e, _))| pole.map(|d| (*e, d)))
                .filter(|(e, _)| *e > 0.0)
                .collect();
            poles.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            ChargePorteur {
                porteur: p.clone(),
                membres: m.iter().map(|&i| s.elus[i].id.clone()).collect(),
                effectif,
                budget: charge.budget,
                services: charge.services,
                part_effectif: pct(effectif, effectif_total),
                poles: poles
                    .into_iter()
                    .map(|(_, d)| org.noeud(d).id.clone())
                    .collect(),
            }
        })
        .collect();
    let matrice = cellules
        .into_iter()
        .filter(|(_, (e, b))| *e > 0.0 || *b > 0.0)
        .map(|((p, pole), (e, b))| CellulePole {
            pole: pole.map(|d| org.noeud(d).id.clone()),
            porteur: p,
            effectif: e,
            budget: b,
        })
        .collect();
    let charges_groupes: Vec<f64> = porteurs
        .iter()
        .filter(|c| c.porteur.est_groupe())
        .map(|c| c.effectif)
        .collect();
    let effectif_attribue: f64 = eff.iter().sum();
    let categorie = |cle: &dyn Fn(usize) -> String| -> Vec<ChargeCategorie> {
        let mut m: BTreeMap<String, ChargeCategorie> = BTreeMap::new();
        for (i, e) in s.elus.iter().enumerate() {
            if e.liste != Liste::Majorite {
                continue;
            }
            let c = m.entry(cle(i)).or_insert_with(|| ChargeCategorie {
                categorie: cle(i),
                elus: 0,
                avec_delegation: 0,
                adjoints: 0,
                conseillers_delegues: 0,
                effectif_pilote: 0.0,
                budget_pilote: 0.0,
                part_effectif: 0.0,
            });
            c.elus += 1;
            c.avec_delegation += usize::from(s.delegations.iter().any(|d| d.elu == i));
            c.adjoints += usize::from(e.fonction == Fonction::Adjoint);
            c.conseillers_delegues += usize::from(e.fonction == Fonction::ConseillerDelegue);
            c.effectif_pilote += eff[i];
            c.budget_pilote += bud[i];
        }
        m.into_values()
            .map(|mut c| {
                c.part_effectif = pct(c.effectif_pilote, effectif_attribue);
                c
            })
            .collect()
    };
    let par_sexe = categorie(&|i| s.elus[i].sexe.code().to_string());
    let par_composante = categorie(&|i| {
        s.elus[i]
            .composante
            .clone()
            .unwrap_or_else(|| "(non renseignée)".into())
    });
    Metriques {
        effectif_total,
        budget_total,
        effectif_attribue,
        poles: org
            .de_niveau(Niveau::Dga)
            .into_iter()
            .map(|d| org.noeud(d).id.clone())
            .collect(),
        porteurs,
        elus,
        matrice,
        gini_groupes: gini(&charges_groupes),
        par_sexe,
        par_composante,
        axes: axes(s, cov),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::graphe::Graphe;
    use crate::analyse::graphe::tests::{arbre, elu, scenario};

    #[test]
    fn gini_is_zero_for_equal_loads_and_grows_with_concentration() {
        assert_eq!(gini(&[5.0, 5.0, 5.0]), 0.0);
        assert!((gini(&[0.0, 0.0, 0.0, 10.0]) - 0.75).abs() < 1e-9);
        assert_eq!(gini(&[3.0]), 0.0);
    }

    #[test]
    fn loads_follow_the_nearest_pilote() {
        let mut c = elu("C", Fonction::ConseillerDelegue, Some("G1"));
        c.sexe = Sexe::M;
        let s = scenario(
            arbre(),
            vec![
                elu("A", Fonction::Adjoint, Some("G1")),
                c,
                elu("B", Fonction::Adjoint, Some("G2")),
            ],
            &[
                ("A", "DGA-A", Role::Pilote),
                ("C", "SRV-A1a", Role::Pilote),
                ("B", "DGA-B", Role::Pilote),
                ("B", "DIR-A2", Role::Appui),
            ],
        );
        let cov = Couverture::calculer(&s, &Graphe::construire(&s));
        let m = metriques(&s, &cov);
        assert_eq!(m.effectif_total, 50.0);
        assert_eq!(m.effectif_attribue, 49.0);
        let a = m.elu("A").expect("A");
        assert_eq!(
            (a.effectif_pilote, a.services, a.chef_de_file),
            (16.0, 2, true)
        );
        let c = m.elu("C").expect("C");
        assert_eq!(
            (c.effectif_pilote, c.services, c.chef_de_file),
            (10.0, 1, false)
        );
        assert_eq!(m.elu("B").expect("B").effectif_appui, 9.0);
        let g1 = Porteur::Groupe("G1".into());
        assert_eq!(m.porteur(&g1).expect("G1").effectif, 26.0);
        assert_eq!(m.effectif_pole(Some("DGA-A"), &g1), 26.0);
        assert_eq!(
            m.effectif_pole(Some("DGA-B"), &Porteur::Groupe("G2".into())),
            23.0
        );
        assert!((m.gini_groupes - 3.0 / 98.0).abs() < 1e-9);
        assert_eq!(m.par_sexe[1].categorie, "M");
        assert_eq!(m.par_sexe[1].effectif_pilote, 10.0);
    }
}
