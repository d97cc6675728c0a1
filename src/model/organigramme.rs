//! The organigramme: DGS → DGA → directions → services → unités, as a petgraph tree.
//!
//! Nodes are stored in a `Vec` in input order (stable indices, deterministic iteration); the
//! petgraph `DiGraph` mirrors the parent → child edges so that graph algorithms (traversals,
//! cycle detection, the analyser's combined graph) can be used without re-deriving the tree.

use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;
use std::collections::BTreeMap;

/// Index of a node in [`Organigramme::noeuds`] (and of the same node in its graph).
pub type NodeIx = usize;

/// Hierarchical level of a node of the organigramme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Niveau {
    /// Direction générale des services (the root).
    Dgs,
    /// Direction générale adjointe (pôle).
    Dga,
    /// Direction.
    Direction,
    /// Service.
    Service,
    /// Unité, section, bureau… below a service.
    Unite,
}

impl Niveau {
    /// Level implied by a depth in the tree (root = 0), used when the `niveau` column is empty.
    pub fn from_depth(depth: usize) -> Niveau {
        match depth {
            0 => Niveau::Dgs,
            1 => Niveau::Dga,
            2 => Niveau::Direction,
            3 => Niveau::Service,
            _ => Niveau::Unite,
        }
    }

    /// Identifier as written in input files.
    pub fn code(self) -> &'static str {
        match self {
            Niveau::Dgs => "DGS",
            Niveau::Dga => "DGA",
            Niveau::Direction => "direction",
            Niveau::Service => "service",
            Niveau::Unite => "unite",
        }
    }

    /// French label for users.
    pub fn libelle(self) -> &'static str {
        match self {
            Niveau::Dgs => "DGS",
            Niveau::Dga => "DGA",
            Niveau::Direction => "direction",
            Niveau::Service => "service",
            Niveau::Unite => "unité",
        }
    }

    /// All levels, top-down.
    pub const ALL: [Niveau; 5] = [
        Niveau::Dgs,
        Niveau::Dga,
        Niveau::Direction,
        Niveau::Service,
        Niveau::Unite,
    ];
}

/// Administrative entity a node belongs to (services may be shared with the agglomération).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Entite {
    /// The city itself.
    Ville,
    /// The agglomération (service run by the intercommunality).
    Agglo,
    /// A service mutualised between the city and the agglomération.
    Mutualise,
    /// Centre communal d'action sociale.
    Ccas,
    /// Any other body.
    Autre,
}

impl Entite {
    /// Identifier as written in input files.
    pub fn code(self) -> &'static str {
        match self {
            Entite::Ville => "ville",
            Entite::Agglo => "agglo",
            Entite::Mutualise => "mutualise",
            Entite::Ccas => "ccas",
            Entite::Autre => "autre",
        }
    }
}

/// One node of the organigramme.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Noeud {
    /// Unique identifier.
    pub id: String,
    /// Human label ("Direction de l'éducation").
    pub libelle: String,
    /// Parent node, `None` only for the root.
    pub parent: Option<NodeIx>,
    /// Hierarchical level (given, or derived from depth).
    pub niveau: Niveau,
    /// Staff in full-time equivalents (ETP) of this node alone (not of its subtree).
    pub effectif: f64,
    /// Annual budget in euros of this node alone.
    pub budget: f64,
    /// Entity the node belongs to.
    pub entite: Entite,
    /// Transversal axes this node serves (ids of [`crate::model::Axe`]).
    pub axes: Vec<String>,
    /// Functional (dotted-line) links to other nodes.
    pub secondaires: Vec<NodeIx>,
    /// Territory (secteur or quartier id, as in the `quartier` column of `elus.csv`) of a
    /// territorial node: its adjoint·e de territoire is the territorial layer of a matrix
    /// organisation, not a second rattachement.
    pub territoire: Option<String>,
    /// True when the node's staff figure is an estimate (`estime` = oui).
    pub estime: bool,
    /// Children in input order.
    pub enfants: Vec<NodeIx>,
    /// Depth in the tree (root = 0).
    pub profondeur: usize,
    /// 1-based line of the node in `organigramme.csv`.
    pub ligne: usize,
}

/// The validated tree of services.
#[derive(Debug, Clone)]
pub struct Organigramme {
    /// Nodes in input order.
    pub noeuds: Vec<Noeud>,
    /// Index of the root (the DGS).
    pub racine: NodeIx,
    /// Parent → child edges; node weights are indices into `noeuds`.
    pub graphe: DiGraph<NodeIx, ()>,
    /// Named person in charge of a node (optional `responsable` column of `organigramme.csv`),
    /// used as the interlocutor in the lettres de mission; nodes without one are absent.
    pub responsables: BTreeMap<NodeIx, String>,
    /// Domains declared for a node (optional `domaine` column of `organigramme.csv`, keys of
    /// [`crate::model::domaine`]); nodes without one are absent (their domains are inferred).
    pub domaines: BTreeMap<NodeIx, Vec<String>>,
    index: BTreeMap<String, NodeIx>,
}

impl Organigramme {
    /// Builds an organigramme from validated nodes (parents, children and depths already set).
    ///
    /// The ingest stage guarantees one root, no cycle and known parents; this constructor only
    /// assembles the index and the graph.
    pub fn new(noeuds: Vec<Noeud>, racine: NodeIx) -> Organigramme {
        let mut graphe = DiGraph::with_capacity(noeuds.len(), noeuds.len());
        for i in 0..noeuds.len() {
            graphe.add_node(i);
        }
        for (i, n) in noeuds.iter().enumerate() {
            if let Some(p) = n.parent {
                graphe.add_edge(NodeIndex::new(p), NodeIndex::new(i), ());
            }
        }
        let index = noeuds
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id.clone(), i))
            .collect();
        Organigramme {
            noeuds,
            racine,
            graphe,
            responsables: BTreeMap::new(),
            domaines: BTreeMap::new(),
            index,
        }
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.noeuds.len()
    }

    /// True when there is no node (never the case for a validated organigramme).
    pub fn is_empty(&self) -> bool {
        self.noeuds.is_empty()
    }

    /// Looks a node up by its identifier.
    pub fn find(&self, id: &str) -> Option<NodeIx> {
        self.index.get(id).copied()
    }

    /// The node at an index.
    pub fn noeud(&self, ix: NodeIx) -> &Noeud {
        &self.noeuds[ix]
    }

    /// Ancestors of a node, from its parent up to the root.
    pub fn ancetres(&self, ix: NodeIx) -> impl Iterator<Item = NodeIx> + '_ {
        std::iter::successors(self.noeuds[ix].parent, move |&p| self.noeuds[p].parent)
    }

    /// The node and all its descendants, in depth-first pre-order (children in input order).
    pub fn sous_arbre(&self, ix: NodeIx) -> Vec<NodeIx> {
        let mut out = Vec::new();
        let mut stack = vec![ix];
        while let Some(n) = stack.pop() {
            out.push(n);
            stack.extend(self.noeuds[n].enfants.iter().rev().copied());
        }
        out
    }

    /// True if `anc` is `ix` or one of its ancestors.
    pub fn est_dans(&self, ix: NodeIx, anc: NodeIx) -> bool {
        ix == anc || self.ancetres(ix).any(|a| a == anc)
    }

    /// The ancestor-or-self of a node at a given level, if any (e.g. the DGA of a service).
    pub fn ancetre_de_niveau(&self, ix: NodeIx, niveau: Niveau) -> Option<NodeIx> {
        std::iter::once(ix)
            .chain(self.ancetres(ix))
            .find(|&a| self.noeuds[a].niveau == niveau)
    }

    /// The DGA a node belongs to (itself if it is a DGA), `None` for the DGS and nodes attached
    /// directly under it.
    pub fn dga_de(&self, ix: NodeIx) -> Option<NodeIx> {
        self.ancetre_de_niveau(ix, Niveau::Dga)
    }

    /// Indices of all nodes at a level, in input order.
    pub fn de_niveau(&self, niveau: Niveau) -> Vec<NodeIx> {
        (0..self.noeuds.len())
            .filter(|&i| self.noeuds[i].niveau == niveau)
            .collect()
    }

    /// Leaves of the tree (nodes without children), in input order.
    pub fn feuilles(&self) -> Vec<NodeIx> {
        (0..self.noeuds.len())
            .filter(|&i| self.noeuds[i].enfants.is_empty())
            .collect()
    }

    /// Staff of a node's whole subtree.
    pub fn effectif_total(&self, ix: NodeIx) -> f64 {
        self.sous_arbre(ix)
            .iter()
            .map(|&i| self.noeuds[i].effectif)
            .sum()
    }

    /// Budget of a node's whole subtree.
    pub fn budget_total(&self, ix: NodeIx) -> f64 {
        self.sous_arbre(ix)
            .iter()
            .map(|&i| self.noeuds[i].budget)
            .sum()
    }

    /// Staff of the nodes whose figure is an estimate (`estime`), and the whole staff.
    pub fn effectif_estime(&self) -> (f64, f64) {
        let total: f64 = self.noeuds.iter().map(|n| n.effectif).sum();
        let estime: f64 = self
            .noeuds
            .iter()
            .filter(|n| n.estime)
            .map(|n| n.effectif)
            .sum();
        (estime + 0.0, total + 0.0)
    }

    /// True when some node of the subtree of `ix` (itself included) has an estimated staff.
    pub fn repose_sur_estimation(&self, ix: NodeIx) -> bool {
        self.sous_arbre(ix).iter().any(|&i| self.noeuds[i].estime)
    }

    /// Number of nodes at each level, top-down.
    pub fn compte_par_niveau(&self) -> Vec<(Niveau, usize)> {
        Niveau::ALL
            .iter()
            .map(|&n| (n, self.noeuds.iter().filter(|x| x.niveau == n).count()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn noeud(id: &str, parent: Option<NodeIx>, profondeur: usize, effectif: f64) -> Noeud {
        Noeud {
            id: id.into(),
            libelle: id.into(),
            parent,
            niveau: Niveau::from_depth(profondeur),
            effectif,
            budget: 0.0,
            entite: Entite::Ville,
            axes: vec![],
            secondaires: vec![],
            territoire: None,
            estime: false,
            enfants: vec![],
            profondeur,
            ligne: 0,
        }
    }

    fn tiny() -> Organigramme {
        let mut v = vec![
            noeud("dgs", None, 0, 1.0),
            noeud("dga", Some(0), 1, 2.0),
            noeud("dir", Some(1), 2, 3.0),
            noeud("srv", Some(2), 3, 4.0),
        ];
        v[0].enfants = vec![1];
        v[1].enfants = vec![2];
        v[2].enfants = vec![3];
        Organigramme::new(v, 0)
    }

    #[test]
    fn subtree_staff_sums_descendants() {
        let o = tiny();
        assert_eq!(o.effectif_total(1), 9.0);
        assert_eq!(o.effectif_total(3), 4.0);
    }

    #[test]
    fn dga_of_service_is_found() {
        let o = tiny();
        assert_eq!(o.dga_de(3), Some(1));
        assert_eq!(o.dga_de(0), None);
        assert!(o.est_dans(3, 1));
        assert!(!o.est_dans(1, 3));
        assert_eq!(o.ancetres(3).collect::<Vec<_>>(), vec![2, 1, 0]);
        assert_eq!(o.graphe.edge_count(), 3);
    }
}
