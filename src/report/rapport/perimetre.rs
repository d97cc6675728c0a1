//! What each group leads: the nodes its members pilot (top-most only), their staff and budget,
//! the pôles (DGA) and directions involved, the transversal axes that cross the perimeter.

use crate::analyse::{Analyse, Attribution, Finding};
use crate::model::{Niveau, NodeIx, Role, Scenario};
use std::collections::{BTreeMap, BTreeSet};

/// A node led by a group.
#[derive(Debug, Clone, PartialEq)]
pub struct NoeudPilote {
    /// Node index.
    pub noeud: NodeIx,
    /// Élu·e ids who pilot it (members of the group).
    pub elus: Vec<String>,
    /// Staff of its subtree attributed to the group (the one attribution rule,
    /// `analyse::attribution`: a service piloted by another group inside it is not counted).
    pub effectif: f64,
    /// Budget of its subtree attributed to the group.
    pub budget: f64,
}

/// The perimeter of one group.
#[derive(Debug, Clone, PartialEq)]
pub struct Perimetre {
    /// Group id.
    pub groupe: String,
    /// Member indices in the scenario, lead first.
    pub membres: Vec<usize>,
    /// The lead (`model::Groupe::chef`), if the group has one.
    pub chef: Option<usize>,
    /// Top-most nodes piloted by members (a node under another piloted node of the group is
    /// counted once, in its ancestor).
    pub noeuds: Vec<NoeudPilote>,
    /// Nodes in appui.
    pub appuis: Vec<(NodeIx, String)>,
    /// Pôles (DGA node indices) touched by the pilote perimeter.
    pub poles: Vec<NodeIx>,
    /// Transversal axes tagged on nodes of the perimeter: (axis id, node ids).
    pub axes: Vec<(String, Vec<String>)>,
    /// Findings that name the group or one of its members.
    pub constats: Vec<Finding>,
}

impl Perimetre {
    /// Total staff led: the group's figure in `analyse::attribution`, the same as in the
    /// coverage table and the analysis.
    pub fn effectif(&self) -> f64 {
        self.noeuds.iter().map(|n| n.effectif).sum()
    }

    /// Total budget led.
    pub fn budget(&self) -> f64 {
        self.noeuds.iter().map(|n| n.budget).sum()
    }
}

/// Perimeters of every group, in group id order.
pub fn perimetres(s: &Scenario, a: &Analyse) -> Vec<Perimetre> {
    let org = &s.organigramme;
    let attribution = Attribution::depuis_scenario(s);
    let poles_groupes = crate::analyse::silos::poles_des_groupes(s);
    let mut out = Vec::new();
    for groupe in s.groupes_detail() {
        let gid = groupe.id;
        // The lead first (`model::Groupe`), then input order.
        let membres = groupe.membres;
        let part = |n: NodeIx| -> (f64, f64) {
            let mut e = 0.0;
            let mut b = 0.0;
            for x in org.sous_arbre(n) {
                let (eff, bud) = (org.noeud(x).effectif, org.noeud(x).budget);
                for &(elu, f) in attribution.parts(x) {
                    if membres.contains(&elu) {
                        e += f * eff;
                        b += f * bud;
                    }
                }
            }
            (e, b)
        };
        let mut pilotes: BTreeMap<NodeIx, Vec<String>> = BTreeMap::new();
        let mut appuis = Vec::new();
        for d in &s.delegations {
            if !membres.contains(&d.elu) {
                continue;
            }
            match d.role {
                Role::Pilote => pilotes
                    .entry(d.noeud)
                    .or_default()
                    .push(s.elus[d.elu].id.clone()),
                Role::Appui => appuis.push((d.noeud, s.elus[d.elu].id.clone())),
            }
        }
        let tops: Vec<NodeIx> = pilotes
            .keys()
            .copied()
            .filter(|&n| !org.ancetres(n).any(|a| pilotes.contains_key(&a)))
            .collect();
        let mut noeuds: Vec<NoeudPilote> = tops
            .iter()
            .map(|&n| {
                let (effectif, budget) = part(n);
                NoeudPilote {
                    noeud: n,
                    elus: pilotes.get(&n).cloned().unwrap_or_default(),
                    effectif,
                    budget,
                }
            })
            .collect();
        noeuds.sort_by_key(|n| org.noeud(n.noeud).ligne);
        // The one definition of a group's pôles (D004's).
        let poles: BTreeSet<NodeIx> = poles_groupes.get(&gid).cloned().unwrap_or_default();
        let mut axes: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for &t in &tops {
            for n in org.sous_arbre(t) {
                for ax in &org.noeud(n).axes {
                    axes.entry(ax.clone())
                        .or_default()
                        .insert(org.noeud(n).id.clone());
                }
            }
        }
        let ids: BTreeSet<&str> = membres.iter().map(|&i| s.elus[i].id.as_str()).collect();
        let constats = a
            .constats
            .iter()
            .filter(|f| {
                f.sujets.groupes.contains(&gid)
                    || f.sujets.elus.iter().any(|e| ids.contains(e.as_str()))
            })
            .cloned()
            .collect();
        appuis.sort();
        out.push(Perimetre {
            groupe: gid,
            chef: groupe.chef,
            membres,
            noeuds,
            appuis,
            poles: poles.into_iter().collect(),
            axes: axes
                .into_iter()
                .map(|(k, v)| (k, v.into_iter().collect()))
                .collect(),
            constats,
        });
    }
    out
}

/// The directions inside a perimeter (itself if a direction, else its direction ancestor, or
/// the directions below it when a whole pôle is led).
pub fn directions(s: &Scenario, p: &Perimetre) -> Vec<NodeIx> {
    let org = &s.organigramme;
    let mut set = BTreeSet::new();
    for n in &p.noeuds {
        match org.ancetre_de_niveau(n.noeud, Niveau::Direction) {
            Some(d) => {
                set.insert(d);
            }
            None => {
                for x in org.sous_arbre(n.noeud) {
                    if org.noeud(x).niveau == Niveau::Direction {
                        set.insert(x);
                    }
                }
            }
        }
    }
    let mut v: Vec<NodeIx> = set.into_iter().collect();
    v.sort_by_key(|&n| org.noeud(n).ligne);
    v
}
