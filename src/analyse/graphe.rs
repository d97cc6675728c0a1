//! The combined graph of a scenario and the coverage it implies.
//!
//! In: a [`Scenario`]. Out: a [`Graphe`] (petgraph `DiGraph`) whose vertices are the nodes of the
//! organigramme, the élu·es and the groups, and whose edges are the tree (`Hierarchie`), the
//! functional links (`Secondaire`), the délégations (`Pilote`, `Appui`, élu·e → node) and group
//! membership (`Membre`, élu·e → group); and a [`Couverture`]: for every node, the pilotes that
//! lead it. Coverage is inherited: a pilote délégation on a direction covers its whole subtree.

use crate::model::{NodeIx, Role, Scenario};
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;
use std::collections::BTreeMap;

/// A vertex of the combined graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sommet {
    /// A node of the organigramme (index in `Organigramme::noeuds`).
    Noeud(NodeIx),
    /// An élu·e (index in `Scenario::elus`).
    Elu(usize),
    /// A group, by id.
    Groupe(String),
}

/// An edge of the combined graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lien {
    /// Parent node → child node.
    Hierarchie,
    /// Node → node it has a functional (dotted-line) link to.
    Secondaire,
    /// Élu·e → node they lead.
    Pilote,
    /// Élu·e → node they support.
    Appui,
    /// Élu·e → their group.
    Membre,
}

/// Who a service answers to: a group, or an élu·e alone when they belong to no group (the maire,
/// a maire délégué·e, a conseiller·e délégué·e outside any group).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Porteur {
    /// A group (binôme, group of 3–4), by id.
    Groupe(String),
    /// An élu·e without group, by id.
    Elu(String),
}

impl Porteur {
    /// The id shown to users (group id or élu·e id).
    pub fn id(&self) -> &str {
        match self {
            Porteur::Groupe(g) | Porteur::Elu(g) => g,
        }
    }

    /// True for a group.
    pub fn est_groupe(&self) -> bool {
        matches!(self, Porteur::Groupe(_))
    }
}

/// The porteur of an élu·e: their group, or themselves.
pub fn porteur_de(s: &Scenario, elu: usize) -> Porteur {
    let e = &s.elus[elu];
    match &e.groupe {
        Some(g) => Porteur::Groupe(g.clone()),
        None => Porteur::Elu(e.id.clone()),
    }
}

/// The combined graph of nodes, élu·es and groups.
#[derive(Debug, Clone)]
pub struct Graphe {
    /// The graph.
    pub g: DiGraph<Sommet, Lien>,
    /// Vertex of each node of the organigramme, by node index.
    pub noeuds: Vec<NodeIndex>,
    /// Vertex of each élu·e, by élu·e index.
    pub elus: Vec<NodeIndex>,
    /// Vertex of each group, by group id.
    pub groupes: BTreeMap<String, NodeIndex>,
}

impl Graphe {
    /// Builds the graph of a scenario.
    pub fn construire(s: &Scenario) -> Graphe {
        let org = &s.organigramme;
        let mut g = DiGraph::new();
        let noeuds: Vec<NodeIndex> = (0..org.len())
            .map(|i| g.add_node(Sommet::Noeud(i)))
            .collect();
        let elus: Vec<NodeIndex> = (0..s.elus.len())
            .map(|i| g.add_node(Sommet::Elu(i)))
            .collect();
        let mut groupes = BTreeMap::new();
        for (id, membres) in s.groupes() {
            let v = g.add_node(Sommet::Groupe(id.clone()));
            for m in membres {
                g.add_edge(elus[m], v, Lien::Membre);
            }
            groupes.insert(id, v);
        }
        for (i, n) in org.noeuds.iter().enumerate() {
            for &c in &n.enfants {
                g.add_edge(noeuds[i], noeuds[c], Lien::Hierarchie);
            }
            for &l in &n.secondaires {
                g.add_edge(noeuds[i], noeuds[l], Lien::Secondaire);
            }
        }
        for d in &s.delegations {
            let lien = match d.role {
                Role::Pilote => Lien::Pilote,
                Role::Appui => Lien::Appui,
            };
            g.add_edge(elus[d.elu], noeuds[d.noeud], lien);
        }
        Graphe {
            g,
            noeuds,
            elus,
            groupes,
        }
    }

    /// Élu·es with a délégation of the given kind on a node, sorted by index.
    pub fn delegues(&self, noeud: NodeIx, lien: Lien) -> Vec<usize> {
        let mut v: Vec<usize> = self
            .g
            .edges_directed(self.noeuds[noeud], Direction::Incoming)
            .filter(|e| *e.weight() == lien)
            .filter_map(|e| match self.g[e.source()] {
                Sommet::Elu(i) => Some(i),
                _ => None,
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Nodes an élu·e holds a délégation of the given kind on, sorted by index.
    pub fn noeuds_de(&self, elu: usize, lien: Lien) -> Vec<NodeIx> {
        let mut v: Vec<NodeIx> = self
            .g
            .edges_directed(self.elus[elu], Direction::Outgoing)
            .filter(|e| *e.weight() == lien)
            .filter_map(|e| match self.g[e.target()] {
                Sommet::Noeud(i) => Some(i),
                _ => None,
            })
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Children of a node through `Hierarchie` edges, sorted by index.
    pub fn enfants(&self, noeud: NodeIx) -> Vec<NodeIx> {
        let mut v: Vec<NodeIx> = self
            .g
            .edges_directed(self.noeuds[noeud], Direction::Outgoing)
            .filter(|e| *e.weight() == Lien::Hierarchie)
            .filter_map(|e| match self.g[e.target()] {
                Sommet::Noeud(i) => Some(i),
                _ => None,
            })
            .collect();
        v.sort_unstable();
        v
    }
}

/// Inherited coverage of every node by pilotes.
#[derive(Debug, Clone)]
pub struct Couverture {
    /// The graph the coverage was computed on.
    pub graphe: Graphe,
    /// Effective pilotes of each node: pilote délégations on the node or any ancestor (élu·e
    /// indices, sorted).
    pub pilotes: Vec<Vec<usize>>,
    /// Porteurs of the effective pilotes of each node (sorted, distinct).
    pub porteurs: Vec<Vec<Porteur>>,
    /// Nearest pilotes of each node: those on the deepest node of {node, ancestors} that has a
    /// pilote. The node's own staff and budget are attributed to them (shared equally).
    pub proches: Vec<Vec<usize>>,
    /// True when some node of the subtree (the node included) has a pilote délégation.
    pub pilote_dessous: Vec<bool>,
    /// Staff of each node's subtree.
    pub effectif_sous_arbre: Vec<f64>,
    /// Budget of each node's subtree.
    pub budget_sous_arbre: Vec<f64>,
    /// The porteur of each élu·e.
    pub porteur_elu: Vec<Porteur>,
}

impl Couverture {
    /// Computes coverage by walking the tree edges of the graph from the root, carrying the
    /// inherited pilotes down.
    pub fn calculer(s: &Scenario, graphe: &Graphe) -> Couverture {
        let org = &s.organigramme;
        let n = org.len();
        let porteur_elu: Vec<Porteur> = (0..s.elus.len()).map(|e| porteur_de(s, e)).collect();
        let mut pilotes = vec![Vec::new(); n];
        let mut proches = vec![Vec::new(); n];
        let mut ordre = Vec::with_capacity(n);
        let mut pile = vec![org.racine];
        while let Some(x) = pile.pop() {
            ordre.push(x);
            let directs = graphe.delegues(x, Lien::Pilote);
            let (mut herite, proches_parent) = match org.noeud(x).parent {
                Some(p) => (pilotes[p].clone(), proches[p].clone()),
                None => (Vec::new(), Vec::new()),
            };
            herite.extend(directs.iter().copied());
            herite.sort_unstable();
            herite.dedup();
            pilotes[x] = herite;
            proches[x] = if directs.is_empty() {
                proches_parent
            } else {
                directs
            };
            pile.extend(graphe.enfants(x).into_iter().rev());
        }
        let porteurs = pilotes
            .iter()
            .map(|ps| {
                let mut v: Vec<Porteur> = ps.iter().map(|&e| porteur_elu[e].clone()).collect();
                v.sort();
                v.dedup();
                v
            })
            .collect();
        // Post-order sums: children come after their parent in `ordre`.
        let mut effectif_sous_arbre: Vec<f64> = org.noeuds.iter().map(|x| x.effectif).collect();
        let mut budget_sous_arbre: Vec<f64> = org.noeuds.iter().map(|x| x.budget).collect();
        let mut pilote_dessous: Vec<bool> = (0..n)
            .map(|x| !graphe.delegues(x, Lien::Pilote).is_empty())
            .collect();
        for &x in ordre.iter().rev() {
            if let Some(p) = org.noeud(x).parent {
                effectif_sous_arbre[p] += effectif_sous_arbre[x];
                budget_sous_arbre[p] += budget_sous_arbre[x];
                pilote_dessous[p] |= pilote_dessous[x];
            }
        }
        Couverture {
            graphe: graphe.clone(),
            pilotes,
            porteurs,
            proches,
            pilote_dessous,
            effectif_sous_arbre,
            budget_sous_arbre,
            porteur_elu,
        }
    }

    /// The single porteur a node answers to, if exactly one.
    pub fn porteur_unique(&self, noeud: NodeIx) -> Option<&Porteur> {
        match self.porteurs[noeud].as_slice() {
            [p] => Some(p),
            _ => None,
        }
    }

    /// True when no pilote covers the node (neither on it nor on an ancestor).
    pub fn non_couvert(&self, noeud: NodeIx) -> bool {
        self.pilotes[noeud].is_empty()
    }

    /// True when the node answers to two porteurs or more.
    pub fn double(&self, noeud: NodeIx) -> bool {
        self.porteurs[noeud].len() > 1
    }

    /// Shares of a node's own staff and budget: each nearest pilote gets an equal fraction.
    pub fn parts(&self, noeud: NodeIx) -> Vec<(usize, f64)> {
        let p = &self.proches[noeud];
        let f = 1.0 / p.len().max(1) as f64;
        p.iter().map(|&e| (e, f)).collect()
    }

    /// Pilotes of a porteur effective on a node, with the node where each délégation sits
    /// (the node itself or its nearest ancestor holding that élu·e's délégation).
    pub fn pilotes_de(
        &self,
        s: &Scenario,
        noeud: NodeIx,
        porteur: &Porteur,
    ) -> Vec<(usize, NodeIx)> {
        let mut v = Vec::new();
        for &e in &self.pilotes[noeud] {
            if &self.porteur_elu[e] != porteur {
                continue;
            }
            let ou = std::iter::once(noeud)
                .chain(s.organigramme.ancetres(noeud))
                .find(|&a| self.graphe.delegues(a, Lien::Pilote).contains(&e));
            if let Some(a) = ou {
                v.push((e, a));
            }
        }
        v
    }
}

#[cfg(test)]
pub(crate) mod tests {
    //! A tiny in-memory scenario shared by the unit tests of the analyse module.

    use super::*;
    use crate::model::{
        Delegation, Elu, Entite, Fonction, GroupesParams, IndemnitesParams, Liste, Niveau, Noeud,
        Organigramme, Scenario, ScenarioParams, Sexe,
    };

    /// (id, parent id, effectif, axes, secondary link ids)
    pub type N<'a> = (&'a str, Option<&'a str>, f64, &'a [&'a str], &'a [&'a str]);

    /// Builds an organigramme from rows in parent-first order.
    pub fn org(rows: &[N]) -> Organigramme {
        let ix = |id: &str| rows.iter().position(|r| r.0 == id).expect("known id");
        let mut v: Vec<Noeud> = Vec::new();
        for (id, parent, eff, axes, _) in rows {
            let parent = parent.map(ix);
            let profondeur = parent.map_or(0, |p| v[p].profondeur + 1);
            v.push(Noeud {
                id: (*id).into(),
                libelle: format!("Libellé {id}"),
                parent,
                niveau: Niveau::from_depth(profondeur),
                effectif: *eff,
                budget: 0.0,
                entite: Entite::Ville,
                axes: axes.iter().map(|a| (*a).to_string()).collect(),
                secondaires: vec![],
                territoire: None,
                estime: false,
                enfants: vec![],
                profondeur,
                ligne: 0,
            });
        }
        for (i, r) in rows.iter().enumerate() {
            v[i].secondaires = r.4.iter().map(|s| ix(s)).collect();
            if let Some(p) = v[i].parent {
                v[p].enfants.push(i);
            }
        }
        Organigramme::new(v, 0)
    }

    /// An élu·e of the majority.
    pub fn elu(id: &str, fonction: Fonction, groupe: Option<&str>) -> Elu {
        Elu {
            id: id.into(),
            nom: format!("Nom{id}"),
            prenom: "Prénom".into(),
            sexe: Sexe::F,
            fonction,
            rang: None,
            groupe: groupe.map(Into::into),
            liste: Liste::Majorite,
            composante: None,
            quartier: None,
            commune_deleguee: None,
            axe: None,
            taux_actuel: None,
            autres_indemnites_eur: None,
            taux_actuel_eur: None,
            chef_de_file: None,
            cessation_activite: None,
            ligne: 0,
        }
    }

    /// Assembles a scenario; délégations are (élu·e id, node id, role).
    pub fn scenario(org: Organigramme, elus: Vec<Elu>, dels: &[(&str, &str, Role)]) -> Scenario {
        let delegations = dels
            .iter()
            .map(|(e, n, r)| Delegation {
                elu: elus.iter().position(|x| x.id == *e).expect("known élu"),
                noeud: org.find(n).expect("known node"),
                role: *r,
                libelle: String::new(),
                ligne: 0,
                domaines: Vec::new(),
            })
            .collect();
        Scenario {
            params: ScenarioParams {
                nom: "Test".into(),
                date: chrono::NaiveDate::from_ymd_opt(2026, 4, 1).expect("date"),
                population_totale: 10_000,
                population_municipale: 10_000,
                effectif_conseil: None,
                commune: Default::default(),
                commune_nouvelle: false,
                communes_deleguees: vec![],
                majorations: vec![],
                taux_sinistre: None,
                axes: crate::model::DEFAULT_AXES
                    .iter()
                    .map(|(id, l)| crate::model::Axe {
                        id: (*id).into(),
                        libelle: (*l).into(),
                    })
                    .collect(),
                indemnites: IndemnitesParams::default(),
                groupes: GroupesParams::default(),
                reorganisation: Default::default(),
            },
            organigramme: org,
            elus,
            delegations,
            delegations_sans_service: Vec::new(),
        }
    }

    /// DGS → DGA-A (DIR-A1 → SRV-A1a, SRV-A1b ; DIR-A2 → SRV-A2a), DGA-B (DIR-B1 → SRV-B1a).
    pub fn arbre() -> Organigramme {
        org(&[
            ("DGS", None, 1.0, &[], &[]),
            ("DGA-A", Some("DGS"), 1.0, &[], &[]),
            ("DIR-A1", Some("DGA-A"), 1.0, &["transition"], &[]),
            ("SRV-A1a", Some("DIR-A1"), 10.0, &[], &[]),
            ("SRV-A1b", Some("DIR-A1"), 5.0, &[], &[]),
            ("DIR-A2", Some("DGA-A"), 1.0, &[], &[]),
            ("SRV-A2a", Some("DIR-A2"), 8.0, &[], &["SRV-B1a"]),
            ("DGA-B", Some("DGS"), 1.0, &[], &[]),
            ("DIR-B1", Some("DGA-B"), 2.0, &[], &[]),
            ("SRV-B1a", Some("DIR-B1"), 20.0, &[], &[]),
        ])
    }

    #[test]
    fn coverage_is_inherited_and_nearest_pilote_wins() {
        let s = scenario(
            arbre(),
            vec![
                elu("A", Fonction::Adjoint, Some("G1")),
                elu("C", Fonction::ConseillerDelegue, Some("G1")),
            ],
            &[
                ("A", "DIR-A1", Role::Pilote),
                ("C", "SRV-A1a", Role::Pilote),
                ("C", "DIR-A2", Role::Appui),
            ],
        );
        let g = Graphe::construire(&s);
        let c = Couverture::calculer(&s, &g);
        let o = &s.organigramme;
        let a1a = o.find("SRV-A1a").expect("node");
        let a1b = o.find("SRV-A1b").expect("node");
        assert_eq!(c.pilotes[a1a], vec![0, 1]);
        assert_eq!(c.proches[a1a], vec![1]);
        assert_eq!(c.proches[a1b], vec![0]);
        assert_eq!(c.porteur_unique(a1a), Some(&Porteur::Groupe("G1".into())));
        assert!(c.non_couvert(o.find("SRV-A2a").expect("node")));
        assert!(c.pilote_dessous[0]);
        assert_eq!(c.effectif_sous_arbre[0], 50.0);
        assert_eq!(
            g.noeuds_de(1, Lien::Appui),
            vec![o.find("DIR-A2").expect("n")]
        );
        assert_eq!(g.g.edge_count(), 9 + 1 + 3 + 2);
    }
}
