//! Délégations follow their élu·e, by the grouping planner's repair rule.
//!
//! When `affecter` moves a member from group A to group B, each of their pilote délégations
//! moves with them when its node can join B's perimeter without a new double rattachement
//! (D001: the node, an ancestor or a descendant piloted by another porteur); otherwise it becomes
//! an appui on the same node, in A's unit, as the planner turns an intrusion into an appui. When
//! that appui would leave the node without any pilote (a new orphan, D003), A's leading
//! adjoint·e receives the pilote délégation (the planner's « new pilote row », worded from the
//! node's libellé): A keeps leading its unit. The judge is the analyser's own coverage
//! ([`crate::analyse::Couverture`]), so the written variant never has a new D001 or D003.
//!
//! Délégations are decided one by one, in the order of `delegations.csv`, each against the
//! variant as built so far: deterministic, and each decision holds in the final variant (a later
//! appui or a pilote given to A's lead never creates a conflict with an earlier row that
//! followed, since it keeps the node with the porteur that already held it).

use super::{Instance, Plan};
use crate::analyse::{Couverture, Graphe, Porteur};
use crate::model::{Delegation, NodeIx, Role, Scenario};
use std::collections::BTreeSet;

/// What became of one pilote délégation of a member who changed group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Devenir {
    /// Moves with the élu·e: the node joins their new group's perimeter, no double rattachement.
    Suit,
    /// Becomes an appui: in the new group the node would be piloted by two porteurs (the
    /// conflicting porteurs, as users read them). `pilote_confie` names the old group's leading
    /// adjoint·e (élu·e index) when they receive the pilote so that the node is not left orphan.
    Appui {
        /// The porteurs the node (or a node above or below it) would have had.
        conflit: Vec<String>,
        /// The old group's lead who now pilots the node, if the appui left it without pilote.
        pilote_confie: Option<usize>,
    },
}

/// One pilote délégation of a member who changed group, and what became of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suivi {
    /// Élu·e index.
    pub elu: usize,
    /// The délégation's node.
    pub noeud: NodeIx,
    /// Its wording.
    pub libelle: String,
    /// Group before.
    pub avant: String,
    /// Group after.
    pub apres: String,
    /// What became of it.
    pub devenir: Devenir,
}

/// The variant an assignment writes: the input with every movable élu·e in their new group and
/// the délégations repaired as above; and every pilote délégation of a member who changed group,
/// with what became of it.
pub fn suivre(s: &Scenario, inst: &Instance, plan: &Plan) -> (Scenario, Vec<Suivi>) {
    let mut v = s.clone();
    let mut changes: Vec<(usize, usize, usize)> = Vec::new();
    for (p, x) in inst.personnes.iter().enumerate() {
        if let Some(e) = v.elus.get_mut(x.elu) {
            e.groupe = Some(inst.groupes[plan[p]].id.clone());
            if let Some(a) = x.actuel
                && a != plan[p]
            {
                changes.push((x.elu, a, plan[p]));
            }
        }
    }
    let base = defauts(s);
    let mut suivis = Vec::new();
    // Délégations in file order (their index in the input), members in any order.
    let mut lignes: Vec<(usize, usize, usize)> = Vec::new();
    for &(e, a, b) in &changes {
        for (k, d) in s.delegations.iter().enumerate() {
            if d.elu == e && d.role == Role::Pilote {
                lignes.push((k, a, b));
            }
        }
    }
    lignes.sort_unstable();
    for (k, a, b) in lignes {
        let d = s.delegations[k].clone();
        let (doubles, _) = defauts(&v);
        let org = &s.organigramme;
        let lie = |x: NodeIx| org.est_dans(x, d.noeud) || org.est_dans(d.noeud, x);
        let conflits: Vec<&(NodeIx, Vec<Porteur>)> = doubles
            .iter()
            .filter(|c| !base.0.contains(c) && lie(c.0))
            .collect();
        let devenir = if conflits.is_empty() {
            Devenir::Suit
        } else {
            let mut conflit: Vec<String> = conflits
                .iter()
                .flat_map(|(_, ps)| ps.iter().map(|p| p.id().to_string()))
                .collect();
            conflit.sort();
            conflit.dedup();
            v.delegations[k].role = Role::Appui;
            let (_, orphelins) = defauts(&v);
            let nouveau = orphelins.iter().any(|&o| !base.1.contains(&o) && lie(o));
            let chef = inst.groupes[a]
                .fixes
                .first()
                .and_then(|f| s.find_elu(&f.id));
            let pilote_confie = match chef {
                Some(c) if nouveau => {
                    v.delegations.push(Delegation {
                        elu: c,
                        noeud: d.noeud,
                        role: Role::Pilote,
                        libelle: org.noeud(d.noeud).libelle.clone(),
                        ligne: d.ligne,
                        // Same node, same subject: the domains declared on the row it replaces.
                        domaines: d.domaines.clone(),
                    });
                    Some(c)
                }
                _ => None,
            };
            Devenir::Appui {
                conflit,
                pilote_confie,
            }
        };
        suivis.push(Suivi {
            elu: d.elu,
            noeud: d.noeud,
            libelle: d.libelle.clone(),
            avant: inst.groupes[a].id.clone(),
            apres: inst.groupes[b].id.clone(),
            devenir,
        });
    }
    (v, suivis)
}

/// The doubles rattachements (node, porteurs) and the orphan nodes of a scenario, as the
/// analyser computes them (D001, D003).
type Defauts = (BTreeSet<(NodeIx, Vec<Porteur>)>, BTreeSet<NodeIx>);

fn defauts(s: &Scenario) -> Defauts {
    let cov = Couverture::calculer(s, &Graphe::construire(s));
    let doubles = crate::analyse::rattachements::doubles(s, &cov)
        .into_iter()
        .map(|d| (d.noeud, d.porteurs))
        .collect();
    let orphelins = crate::analyse::couverture::orphelins(s, &cov)
        .into_iter()
        .map(|o| o.noeud)
        .collect();
    (doubles, orphelins)
}

/// One sentence per row, in French, for the summary.
pub fn texte(s: &Scenario, x: &Suivi) -> String {
    let e = &s.elus[x.elu];
    let n = s.organigramme.noeud(x.noeud);
    let tete = format!(
        "{} {}, pilote de {} ({})",
        e.id,
        e.nom_complet(),
        n.id,
        x.libelle
    );
    match &x.devenir {
        Devenir::Suit => format!(
            "{tete} : la délégation suit son élu·e de {} dans {} (le nœud rejoint le périmètre de {} sans double rattachement)",
            x.avant, x.apres, x.apres
        ),
        Devenir::Appui {
            conflit,
            pilote_confie,
        } => {
            let mut t = format!(
                "{tete} : devient appui dans l'unité de {} (dans {}, le nœud serait piloté par {} : double rattachement)",
                x.avant,
                x.apres,
                conflit.join(" et ")
            );
            if let Some(c) = pilote_confie {
                t.push_str(&format!(
                    " ; le pilotage revient à {} {}, qui anime {}, pour que le service ne reste pas sans pilote",
                    s.elus[*c].id,
                    s.elus[*c].nom_complet(),
                    x.avant
                ));
            }
            t
        }
    }
}
