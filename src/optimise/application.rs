//! A plan applied to its scenario: the délégations and groups it proposes, as rows of the input
//! format and as a [`Scenario`] every later stage (analysis, attribution, indemnités) can read.
//!
//! In: the input scenario, the model data and a verified plan. Out: [`LigneDelegation`] rows
//! (written as the proposal's `delegations.csv`) and [`appliquer`]'s scenario, so that « ETP
//! pilotés après » is computed by the same attribution as « avant ».

use super::{Donnees, Plan};
use crate::model::domaine::DomaineIx;
use crate::model::{Delegation, Role, Scenario};
use std::collections::{BTreeMap, BTreeSet};

/// One délégation row as written in `delegations.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LigneDelegation {
    /// Élu·e id.
    pub elu: String,
    /// Node id.
    pub noeud: String,
    /// Role.
    pub role: Role,
    /// Wording.
    pub libelle: String,
    /// Domains declared for the row (`domaine` column, `|`-separated), kept from the input row it
    /// comes from; empty for a new pilote row (its domains are inferred from its wording).
    pub domaines: String,
}

/// The délégations of the plan: every input row is kept, except
/// - the pilote délégations of group leaders on nodes the plan reassigns, which are replaced by
///   one pilote délégation per unit the leader's group leads (on the unit, or on its largest
///   subtrees free of reserved nodes); the new rows take the place of the leader's first
///   replaced row. A new row keeps the wording of the élu·e's own délégation that covered the
///   node (on it or above it), or the one wording of their rows inside it (service rows become
///   one row on their direction), else takes the node's libellé (never another délégation's
///   wording nor a group id). A leader's pilote row that touches no unit its group leads
///   in the plan (an intrusion into another group's unit, or a unit that left the group) becomes
///   an appui on the same node, with its wording: a délégation never disappears;
/// - a member's pilote délégation touching a unit of the plan's `retraits`, which becomes an
///   appui on the same node; when the node spans several units and the member keeps some of
///   them, the pilote délégation is kept on those units (their largest subtrees free of reserved
///   nodes), beside the appui.
pub fn delegations(s: &Scenario, d: &Donnees, plan: &Plan) -> Vec<LigneDelegation> {
    let org = &s.organigramme;
    // Nodes the plan decides: inside a unit, or above one.
    let mut decide = vec![false; org.len()];
    for u in &d.unites {
        let Some(n) = u.noeud else { continue };
        for x in org.sous_arbre(n) {
            decide[x] = true;
        }
        for a in org.ancetres(n) {
            decide[a] = true;
        }
    }
    let chefs: BTreeMap<usize, usize> = d
        .groupes
        .iter()
        .enumerate()
        .map(|(g, gr)| (gr.chef, g))
        .collect();
    // Wording of a pilote row of `elu` (an index into `s.elus`) on node `n`: the wording of the
    // élu·e's own pilote délégation that covered the node (on it or its nearest ancestor: the
    // same délégation, narrowed) or, when their pilote rows inside it share one wording (service
    // rows rewritten as one row on their direction), that wording; else the node's libellé.
    // Never another délégation's wording, which would name a perimeter the row does not have.
    let libelle_de = |elu: usize, n: usize| -> String {
        let propres: BTreeSet<&str> = s
            .delegations
            .iter()
            .filter(|x| x.elu == elu && x.role == Role::Pilote && org.est_dans(x.noeud, n))
            .map(|x| x.libelle.as_str())
            .collect();
        if let Some(x) = std::iter::once(n).chain(org.ancetres(n)).find_map(|a| {
            s.delegations
                .iter()
                .find(|x| x.elu == elu && x.noeud == a && x.role == Role::Pilote)
        }) {
            return x.libelle.clone();
        }
        match propres.into_iter().collect::<Vec<_>>()[..] {
            [seul] => seul.to_string(),
            _ => org.noeud(n).libelle.clone(),
        }
    };
    // Pilote rows of `elu` on the given units (each on its largest subtrees free of reserved
    // nodes).
    let pilotes = |elu: usize, unites: &mut dyn Iterator<Item = usize>| {
        unites
            .flat_map(|u| d.unites[u].couverture.iter())
            .map(|&n| LigneDelegation {
                elu: s.elus[elu].id.clone(),
                noeud: org.noeud(n).id.clone(),
                role: Role::Pilote,
                libelle: libelle_de(elu, n),
                domaines: String::new(),
            })
            .collect::<Vec<_>>()
    };
    let membre_de: BTreeMap<usize, usize> = d
        .membres
        .iter()
        .enumerate()
        .map(|(e, m)| (m.elu, e))
        .collect();
    // A unit the group leads through a member whose pilote délégation covers it whole, and that
    // the lead did not pilot before: the lead gets no row there (a redundant row would halve the
    // member's attributed staff and their indemnité for no change of perimeter).
    let par_un_membre = |u: usize, g: usize| -> bool {
        let Some(un) = d.unites[u].noeud else {
            return false;
        };
        let chef = d.groupes[g].chef;
        let couvre =
            |x: &crate::model::Delegation| x.role == Role::Pilote && org.est_dans(un, x.noeud);
        !s.delegations.iter().any(|x| x.elu == chef && couvre(x))
            && s.delegations.iter().any(|x| {
                couvre(x)
                    && membre_de.get(&x.elu).is_some_and(|&e| {
                        plan.membres[e] == Some(g) && !plan.retraits.contains(&(e, u))
                    })
            })
    };
    let nouvelles = |g: usize| -> Vec<LigneDelegation> {
        pilotes(
            d.groupes[g].chef,
            &mut (0..d.unites.len()).filter(|&u| plan.unites[u] == Some(g) && !par_un_membre(u, g)),
        )
    };
    // Units a node touches: the unit holding it, or every unit under it.
    let unites_touchees = |n: usize| -> Vec<usize> {
        d.unites
            .iter()
            .enumerate()
            .filter(|(_, u)| {
                u.noeud
                    .is_some_and(|un| org.est_dans(n, un) || org.est_dans(un, n))
            })
            .map(|(i, _)| i)
            .collect()
    };
    // Several pilote rows of a leader inside one node of their group's units, with different
    // wordings, are never rewritten as one row on that node (its libellé would replace what
    // each row says): they stay as they are, and the node gets its own row beside them. Only
    // rows of the same élu·e, role and wording become one row (and the change says so).
    let garde_intitules = |elu: usize, noeud: usize| -> bool {
        let Some(&g) = chefs.get(&elu) else {
            return false;
        };
        (0..d.unites.len())
            .filter(|&u| plan.unites[u] == Some(g) && !par_un_membre(u, g))
            .flat_map(|u| d.unites[u].couverture.iter().copied())
            .filter(|&n| n != noeud && org.est_dans(noeud, n))
            .any(|n| {
                let au_dessus = std::iter::once(n).chain(org.ancetres(n)).any(|a| {
                    s.delegations
                        .iter()
                        .any(|x| x.elu == elu && x.noeud == a && x.role == Role::Pilote)
                });
                let intitules: BTreeSet<&str> = s
                    .delegations
                    .iter()
                    .filter(|x| x.elu == elu && x.role == Role::Pilote && x.noeud != n)
                    .filter(|x| org.est_dans(x.noeud, n))
                    .map(|x| x.libelle.as_str())
                    .collect();
                !au_dessus && intitules.len() >= 2
            })
    };
    let mut out = Vec::new();
    let mut faits = BTreeSet::new();
    for del in &s.delegations {
        let remplacee =
            del.role == Role::Pilote && decide[del.noeud] && !garde_intitules(del.elu, del.noeud);
        let retrait = match membre_de.get(&del.elu) {
            Some(&e) if remplacee && !plan.retraits.is_empty() => {
                let touchees = unites_touchees(del.noeud);
                let retirees: Vec<usize> = touchees
                    .iter()
                    .copied()
                    .filter(|&u| plan.retraits.contains(&(e, u)))
                    .collect();
                (!retirees.is_empty()).then(|| {
                    touchees
                        .into_iter()
                        .filter(|u| !retirees.contains(u))
                        .collect::<Vec<usize>>()
                })
            }
            _ => None,
        };
        if let Some(gardees) = retrait {
            let elu = s.elus[del.elu].id.clone();
            out.push(LigneDelegation {
                elu: elu.clone(),
                noeud: org.noeud(del.noeud).id.clone(),
                role: Role::Appui,
                libelle: del.libelle.clone(),
                domaines: del.domaines.join("|"),
            });
            out.extend(pilotes(del.elu, &mut gardees.into_iter()));
            continue;
        }
        match chefs.get(&del.elu) {
            Some(&g) if remplacee => {
                if faits.insert(g) {
                    out.extend(nouvelles(g));
                }
                let menees: Vec<usize> = unites_touchees(del.noeud)
                    .into_iter()
                    .filter(|&u| plan.unites[u] == Some(g))
                    .collect();
                // Rewritten by `nouvelles` on the units the leader now pilots; kept as it is
                // when the group leads those units through a member only; else an appui.
                let reecrite = menees.iter().any(|&u| !par_un_membre(u, g));
                if !reecrite {
                    out.push(LigneDelegation {
                        elu: s.elus[del.elu].id.clone(),
                        noeud: org.noeud(del.noeud).id.clone(),
                        role: if menees.is_empty() {
                            Role::Appui
                        } else {
                            Role::Pilote
                        },
                        libelle: del.libelle.clone(),
                        domaines: del.domaines.join("|"),
                    });
                }
            }
            _ => out.push(LigneDelegation {
                elu: s.elus[del.elu].id.clone(),
                noeud: org.noeud(del.noeud).id.clone(),
                role: del.role,
                libelle: del.libelle.clone(),
                domaines: del.domaines.join("|"),
            }),
        }
    }
    for g in 0..d.groupes.len() {
        if !faits.contains(&g) {
            out.extend(nouvelles(g));
        }
    }
    // Délégations without a service (empty `noeud`) are untouched by the plan: kept as written.
    out.extend(s.delegations_sans_service.iter().map(|x| LigneDelegation {
        elu: s.elus[x.elu].id.clone(),
        noeud: String::new(),
        role: x.role,
        libelle: x.libelle.clone(),
        domaines: x.domaines.join("|"),
    }));
    out
}

/// The scenario the plan proposes: the input with the plan's délégations and groups. Rows whose
/// élu·e or node cannot be found (impossible for rows built by [`delegations`]) are skipped.
pub fn appliquer(s: &Scenario, d: &Donnees, plan: &Plan) -> Scenario {
    let mut out = s.clone();
    for (e, m) in d.membres.iter().enumerate() {
        if let Some(g) = plan.membres.get(e).copied().flatten() {
            out.elus[m.elu].groupe = Some(d.groupes[g].id.clone());
        }
    }
    out.delegations = delegations(s, d, plan)
        .into_iter()
        .enumerate()
        .filter_map(|(k, l)| {
            Some(Delegation {
                elu: s.find_elu(&l.elu)?,
                noeud: s.organigramme.find(&l.noeud)?,
                role: l.role,
                libelle: l.libelle,
                ligne: k + 2,
                domaines: l
                    .domaines
                    .split('|')
                    .filter(|x| !x.is_empty())
                    .map(String::from)
                    .collect(),
            })
        })
        .collect();
    out
}

/// Staff each group of the model pilots in a scenario, by the one attribution rule
/// (`analyse::attribution`), in the order of `d.groupes`.
pub fn effectifs_groupes(s: &Scenario, d: &Donnees) -> Vec<f64> {
    let par = crate::analyse::Attribution::depuis_scenario(s).par_porteur();
    d.groupes
        .iter()
        .map(|g| {
            par.get(&crate::analyse::Porteur::Groupe(g.id.clone()))
                .map_or(0.0, |c| c.effectif)
        })
        .collect()
}

/// What happens to one row of `delegations.csv` between the input and the proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Nature {
    /// A pilote row the proposal adds.
    PiloteAjoutee,
    /// A pilote row the proposal removes.
    PiloteRetiree,
    /// A pilote row that becomes an appui on the same node.
    PiloteVersAppui,
    /// An appui row the proposal removes (rare: a node rewritten).
    AppuiRetiree,
    /// An appui row the proposal adds (other than a pilote made appui).
    AppuiAjoutee,
}

/// Why a unit changes group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Motif {
    /// Without it the input's double rattachement (D001) would remain: the new group's
    /// adjoint·e or one of its members already pilots inside the unit.
    Double,
    /// A functional link (D002) with this unit, led by the new group.
    Lien(usize),
    /// The new group already leads the unit's pôle, the old one leaves it: fewer pôles spanned.
    Pole,
    /// Balance of the staff between groups.
    Equilibre,
    /// A lock of `verrous.csv` gives the unit to the new group (its line).
    Verrou(usize),
}

/// Why a délégation row changes: the unit-level decision behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Raison {
    /// An orphan unit (no pilote, D003) adopted by a group.
    Orpheline {
        /// Unit.
        unite: usize,
        /// Group that adopts it.
        groupe: usize,
    },
    /// A unit that changes group.
    UniteDeplacee {
        /// Unit.
        unite: usize,
        /// Group before.
        de: usize,
        /// Group after.
        vers: usize,
        /// Why.
        motif: Motif,
    },
    /// A member's pilote délégation inside a unit another group leads: kept as an appui, so
    /// that the unit answers to one group (D001).
    Retrait {
        /// Unit.
        unite: usize,
        /// Group that leads it.
        groupe: usize,
    },
    /// A member who changes group (`--regrouper`).
    Regroupement {
        /// Member (index in [`Donnees::membres`]).
        membre: usize,
    },
    /// A node nobody piloted (its own team was an orphan, D003) inside a unit whose group does
    /// not change: the group's adjoint·e now pilots the whole unit.
    Completion {
        /// Unit.
        unite: usize,
        /// Group that leads it, before and after.
        groupe: usize,
    },
    /// Several pilote rows of one élu·e with the same wording, rewritten as one row on the node
    /// above them (same élu·e, same role, same wording): the only rewriting of rows into one.
    Fusion {
        /// The node of the one row.
        noeud: crate::model::NodeIx,
    },
    /// The same perimeter, written one unit at a time (a délégation on a pôle or a direction
    /// rewritten as the units under it): the élu·e pilots exactly the same nodes before and after.
    Reecriture,
    /// The élu·e's piloted perimeter changes although no unit of the row changes group (a row
    /// rewritten on a wider or narrower node): the nodes gained and lost, counted.
    Perimetre {
        /// Nodes the élu·e pilots after and not before.
        gagnes: usize,
        /// Nodes the élu·e piloted before and not after.
        perdus: usize,
    },
}

/// One changed délégation row, with its reason.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangementDelegation {
    /// What happens.
    pub nature: Nature,
    /// Élu·e (index in [`Scenario::elus`]).
    pub elu: usize,
    /// Node.
    pub noeud: crate::model::NodeIx,
    /// Wording of the row.
    pub libelle: String,
    /// Why.
    pub raison: Raison,
}

/// The input's own doubles rattachements (D001, as `crate::analyse` finds them): each contested
/// node with its ancestors and the élu·es piloting it. A D001 reason is printed only when this
/// holds one inside the unit, so that a double rattachement the plan itself would create is never
/// given as the reason of a change.
#[derive(Debug, Clone, Default)]
pub struct DoublesEntree {
    noeuds: Vec<(Vec<crate::model::NodeIx>, Vec<usize>)>,
}

impl DoublesEntree {
    /// The D001 of scenario `s`.
    pub fn de(s: &Scenario) -> DoublesEntree {
        let cov = crate::analyse::Couverture::calculer(s, &crate::analyse::Graphe::construire(s));
        DoublesEntree::avec(s, &cov)
    }

    fn avec(s: &Scenario, cov: &crate::analyse::Couverture) -> DoublesEntree {
        let org = &s.organigramme;
        let noeuds = crate::analyse::rattachements::doubles(s, cov)
            .into_iter()
            .map(|x| {
                (
                    std::iter::once(x.noeud)
                        .chain(org.ancetres(x.noeud))
                        .collect(),
                    cov.pilotes[x.noeud].clone(),
                )
            })
            .collect();
        DoublesEntree { noeuds }
    }

    /// True when the input has a D001 on a node inside unit `u` that élu·e `elu` (index in
    /// [`Scenario::elus`]) pilots.
    pub fn dans(&self, d: &Donnees, u: usize, elu: usize) -> bool {
        d.unites[u].noeud.is_some_and(|un| {
            self.noeuds
                .iter()
                .any(|(chaine, pilotes)| chaine.contains(&un) && pilotes.contains(&elu))
        })
    }
}

/// The orphan units (no pilote group in the input, D003) the plan adopts, in unit order: the one
/// computation behind every count and every line of adopted orphans.
pub fn orphelines_adoptees(d: &Donnees, plan: &Plan) -> Vec<usize> {
    (0..d.unites.len())
        .filter(|&u| d.unites[u].actuel.is_none() && plan.unites[u].is_some())
        .collect()
}

/// Where the receiving group already leads a unit about the shared domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lieu {
    /// In the same direction as the unit.
    MemeDirection,
    /// In the same pôle (DGA).
    MemePole,
    /// Elsewhere.
    Ailleurs,
}

/// What a unit's group in the plan has to do with it (issue 23, domains): the domain they share,
/// where the group already leads a unit about it, or « hors thème ».
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// The unit's domain and the group's (the same, else close), when they share one.
    pub partage: Option<(DomaineIx, DomaineIx)>,
    /// A unit the group leads before and after the plan whose domains include the group's
    /// shared domain, and where it lies (the same direction first, then the same pôle).
    pub deja: Option<(usize, Lieu)>,
    /// Moved to, or adopted by, a group sharing none of its domains ([`Donnees::cout_hors_theme`]).
    pub hors_theme: bool,
}

/// [`Theme`] of unit `u` in group `g`.
pub fn theme(d: &Donnees, plan: &Plan, u: usize, g: usize) -> Theme {
    let partage = d.theme_partage(u, g);
    let deja = partage.and_then(|(_, b)| {
        let un = &d.unites[u];
        let menees: Vec<usize> = (0..d.unites.len())
            .filter(|&v| v != u && d.unites[v].actuel == Some(g) && plan.unites[v] == Some(g))
            .filter(|&v| d.unites[v].domaines.contains(&b))
            .collect();
        let lieu = |v: usize| {
            let w = &d.unites[v];
            if un.direction.is_some() && w.direction == un.direction {
                Lieu::MemeDirection
            } else if un.dga.is_some() && w.dga == un.dga {
                Lieu::MemePole
            } else {
                Lieu::Ailleurs
            }
        };
        menees
            .into_iter()
            .map(|v| (v, lieu(v)))
            .min_by_key(|&(v, l)| (l as u8, v))
    });
    Theme {
        partage,
        deja,
        hors_theme: d.cout_hors_theme(u, g),
    }
}

/// The runner-up receiver of unit `u`: the group that would cost least if it took `u` instead,
/// every other decision of the plan unchanged (the retraits those need recomputed), among those
/// giving a plan that breaks no rule; with how much more the objective would be. `None` when no
/// other group may take it.
pub fn second_receveur(d: &Donnees, plan: &Plan, u: usize) -> Option<(usize, f64)> {
    let base = super::evaluer(plan, d).total;
    (0..d.groupes.len())
        .filter(|&h| plan.unites[u] != Some(h))
        .filter_map(|h| {
            let mut unites = plan.unites.clone();
            unites[u] = Some(h);
            let autre = Plan::avec_retraits(d, unites, plan.membres.clone());
            super::verify(&autre, d)
                .is_empty()
                .then(|| (h, super::evaluer(&autre, d).total - base))
        })
        .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
}

/// Groups sharing a domain with unit `u` that could have taken it instead of its group in
/// `plan`, every other decision unchanged (the retraits recomputed), without breaking a rule.
/// Empty for a unit placed in the theme: what « a same-domain receiver existed » means.
pub fn receveurs_dans_le_theme(d: &Donnees, plan: &Plan, u: usize) -> Vec<usize> {
    (0..d.groupes.len())
        .filter(|&h| plan.unites[u] != Some(h) && d.theme_partage(u, h).is_some())
        .filter(|&h| {
            let mut unites = plan.unites.clone();
            unites[u] = Some(h);
            super::verify(&Plan::avec_retraits(d, unites, plan.membres.clone()), d).is_empty()
        })
        .collect()
}

/// One double rattachement the plan repairs by turning the intruding group's pilote
/// délégations into appuis rather than by moving the unit (issue 23: « an intruding pilote
/// délégation becomes an appui before a unit moves »), with the cost of each choice.
#[derive(Debug, Clone, PartialEq)]
pub struct Reparation {
    /// Unit.
    pub unite: usize,
    /// The intruding group (its élu·es pilot inside the unit in the input).
    pub groupe: usize,
    /// Its élu·es (indices in [`Scenario::elus`]) whose pilote délégations inside the unit
    /// become appuis.
    pub elus: Vec<usize>,
    /// What the choice costs in the objective: `poids_retraits` per member's délégation made
    /// appui (a leader's appui costs nothing: the unit's group holds it by its cœur or its
    /// plurality).
    pub cout: f64,
    /// The other choice, giving the unit to the intruding group, every other decision
    /// unchanged: how much more it would cost, or the rule it would break (French).
    pub alternative: Result<f64, String>,
}

/// Every [`Reparation`] of `plan`, in unit then group order.
pub fn reparations(s: &Scenario, d: &Donnees, plan: &Plan) -> Vec<Reparation> {
    let org = &s.organigramme;
    let base = super::evaluer(plan, d).total;
    let mut out = Vec::new();
    for (u, un) in d.unites.iter().enumerate() {
        let (Some(noeud), Some(g)) = (un.noeud, plan.unites[u]) else {
            continue;
        };
        for h in (0..d.groupes.len()).filter(|&h| h != g) {
            let chef = d.groupes[h].chef;
            let mut elus: Vec<usize> = s
                .delegations
                .iter()
                .filter(|x| x.elu == chef && x.role == Role::Pilote)
                .filter(|x| org.est_dans(x.noeud, noeud))
                .map(|x| x.elu)
                .collect();
            let membres: Vec<usize> = (0..d.membres.len())
                .filter(|&e| plan.membres[e] == Some(h) && plan.retraits.contains(&(e, u)))
                .collect();
            elus.extend(membres.iter().map(|&e| d.membres[e].elu));
            elus.sort_unstable();
            elus.dedup();
            if elus.is_empty() {
                continue;
            }
            let mut unites = plan.unites.clone();
            unites[u] = Some(h);
            let autre = Plan::avec_retraits(d, unites, plan.membres.clone());
            let alternative = match super::verify(&autre, d).first() {
                Some(v) => Err(v.message.clone()),
                None => Ok(super::evaluer(&autre, d).total - base),
            };
            out.push(Reparation {
                unite: u,
                groupe: h,
                elus,
                cout: d.params.poids_retraits * membres.len() as f64,
                alternative,
            });
        }
    }
    out
}

/// Why unit `u` moves from `de` to `vers` in `plan`; `entree` the input's D001.
pub fn motif(
    d: &Donnees,
    plan: &Plan,
    u: usize,
    de: usize,
    vers: usize,
    entree: &DoublesEntree,
) -> Motif {
    // What the user declared comes first: it is the reason, whatever the weights.
    if let Some(l) = d
        .verrous_unites
        .iter()
        .find(|l| l.unite == u && l.groupe == vers)
    {
        return Motif::Verrou(l.ligne);
    }
    // Only a double rattachement the input has: the new group's adjoint·e (from above, its
    // direction) or one of its members pilots inside the unit today, and the analysis of the
    // input reports it. The unit then does not join a group it had nothing to do with.
    let double = entree.dans(d, u, d.groupes[vers].chef)
        || d.membres.iter().enumerate().any(|(e, m)| {
            m.perimetre.contains(&u) && plan.membres[e] == Some(vers) && entree.dans(d, u, m.elu)
        });
    if double {
        return Motif::Double;
    }
    if let Some(l) = d.liens.iter().find_map(|l| {
        let autre = if l.a == u {
            l.b
        } else if l.b == u {
            l.a
        } else {
            return None;
        };
        (plan.unites[autre] == Some(vers)).then_some(autre)
    }) {
        return Motif::Lien(l);
    }
    let dga = d.unites[u].dga;
    let mene = |g: usize| {
        (0..d.unites.len()).any(|v| v != u && d.unites[v].dga == dga && plan.unites[v] == Some(g))
    };
    if dga.is_some() && mene(vers) && !mene(de) {
        return Motif::Pole;
    }
    Motif::Equilibre
}

/// Every row of `delegations.csv` that differs between the input and the proposal, with the
/// unit-level decision that explains it; in input order of élu·es, then node order.
pub fn changements_delegations(
    s: &Scenario,
    d: &Donnees,
    plan: &Plan,
) -> Vec<ChangementDelegation> {
    use std::collections::BTreeMap;
    let org = &s.organigramme;
    let avant: BTreeMap<(usize, crate::model::NodeIx, Role), String> = s
        .delegations
        .iter()
        .map(|x| ((x.elu, x.noeud, x.role), x.libelle.clone()))
        .collect();
    let propose = appliquer(s, d, plan);
    let apres: BTreeMap<(usize, crate::model::NodeIx, Role), String> = propose
        .delegations
        .iter()
        .map(|x| ((x.elu, x.noeud, x.role), x.libelle.clone()))
        .collect();
    // Units a node touches: the unit holding it, or every unit under it.
    let touchees = |n: crate::model::NodeIx| -> Vec<usize> {
        (0..d.unites.len())
            .filter(|&u| {
                d.unites[u]
                    .noeud
                    .is_some_and(|un| org.est_dans(n, un) || org.est_dans(un, n))
            })
            .collect()
    };
    let membre_de: BTreeMap<usize, usize> = d
        .membres
        .iter()
        .enumerate()
        .map(|(e, m)| (m.elu, e))
        .collect();
    let couverture =
        crate::analyse::Couverture::calculer(s, &crate::analyse::Graphe::construire(s));
    let apres_couverture = crate::analyse::Couverture::calculer(
        &propose,
        &crate::analyse::Graphe::construire(&propose),
    );
    let entree = DoublesEntree::avec(s, &couverture);
    let adoptees = orphelines_adoptees(d, plan);
    let chef_de: BTreeMap<usize, usize> = d
        .groupes
        .iter()
        .enumerate()
        .map(|(g, gr)| (gr.chef, g))
        .collect();
    // Groups an élu·e belongs to, before or after (empty: the model does not place them).
    let groupes_de = |elu: usize| -> Vec<usize> {
        let mut v: Vec<usize> = chef_de.get(&elu).copied().into_iter().collect();
        if let Some(&e) = membre_de.get(&elu) {
            v.extend(d.membres[e].actuel);
            v.extend(plan.membres[e]);
        }
        v
    };
    let raison = |elu: usize, n: crate::model::NodeIx| -> Raison {
        let us = touchees(n);
        if let Some(&e) = membre_de.get(&elu)
            && let Some(&u) = us
                .iter()
                .find(|&&u| plan.retraits.contains(&(e, u)) && entree.dans(d, u, elu))
            && let Some(g) = plan.unites[u]
        {
            return Raison::Retrait {
                unite: u,
                groupe: g,
            };
        }
        // A unit-level decision explains the row only when the unit changes group and the
        // row's élu·e belongs to a group on one side of the change.
        let groupes = groupes_de(elu);
        let concerne = |g: usize| groupes.is_empty() || groupes.contains(&g);
        for &u in &us {
            match (d.unites[u].actuel, plan.unites[u]) {
                (None, Some(g)) if adoptees.contains(&u) && concerne(g) => {
                    return Raison::Orpheline {
                        unite: u,
                        groupe: g,
                    };
                }
                (Some(a), Some(b)) if a != b && (concerne(a) || concerne(b)) => {
                    return Raison::UniteDeplacee {
                        unite: u,
                        de: a,
                        vers: b,
                        motif: motif(d, plan, u, a, b, &entree),
                    };
                }
                _ => {}
            }
        }
        if let Some(&e) = membre_de.get(&elu)
            && d.membres[e].actuel != plan.membres[e]
        {
            return Raison::Regroupement { membre: e };
        }
        // « Same perimeter » only when the élu·e pilots exactly the same nodes in the units the
        // row touches (everywhere when it touches none).
        let dans_les_unites = |x: crate::model::NodeIx| {
            us.is_empty()
                || us
                    .iter()
                    .any(|&u| d.unites[u].noeud.is_some_and(|un| org.est_dans(x, un)))
        };
        let (mut gagnes, mut perdus) = (0, 0);
        for x in (0..org.len()).filter(|&x| dans_les_unites(x)) {
            match (
                couverture.pilotes[x].contains(&elu),
                apres_couverture.pilotes[x].contains(&elu),
            ) {
                (false, true) => gagnes += 1,
                (true, false) => perdus += 1,
                _ => {}
            }
        }
        if gagnes + perdus == 0 {
            Raison::Reecriture
        } else {
            Raison::Perimetre { gagnes, perdus }
        }
    };
    // A pilote row added on a node nobody piloted, in a unit that keeps its group.
    let completion = |n: crate::model::NodeIx| -> Option<Raison> {
        if !couverture.pilotes[n].is_empty() {
            return None;
        }
        touchees(n).into_iter().find_map(|u| match plan.unites[u] {
            Some(g) if d.unites[u].actuel == Some(g) => Some(Raison::Completion {
                unite: u,
                groupe: g,
            }),
            _ => None,
        })
    };
    // A leader's pilote row made appui inside a unit that keeps another group: the input's
    // double rattachement (D001) repaired without moving the unit.
    let intrusion = |elu: usize, n: crate::model::NodeIx| -> Option<Raison> {
        let g = *chef_de.get(&elu)?;
        touchees(n).into_iter().find_map(|u| match plan.unites[u] {
            Some(h) if h != g && d.unites[u].actuel == Some(h) && entree.dans(d, u, elu) => {
                Some(Raison::Retrait {
                    unite: u,
                    groupe: h,
                })
            }
            _ => None,
        })
    };
    let mut out = Vec::new();
    for ((elu, n, role), libelle) in &avant {
        if apres.contains_key(&(*elu, *n, *role)) {
            continue;
        }
        let nature = match role {
            Role::Pilote if apres.contains_key(&(*elu, *n, Role::Appui)) => Nature::PiloteVersAppui,
            Role::Pilote => Nature::PiloteRetiree,
            Role::Appui => Nature::AppuiRetiree,
        };
        // Rows of one élu·e with one wording, rewritten as one row above them.
        let fusion = || -> Option<Raison> {
            org.ancetres(*n)
                .find(|&a| {
                    !avant.contains_key(&(*elu, a, Role::Pilote))
                        && apres.get(&(*elu, a, Role::Pilote)) == Some(libelle)
                })
                .map(|a| Raison::Fusion { noeud: a })
        };
        let r = match nature {
            Nature::PiloteVersAppui => intrusion(*elu, *n).unwrap_or_else(|| raison(*elu, *n)),
            Nature::PiloteRetiree => fusion().unwrap_or_else(|| raison(*elu, *n)),
            _ => raison(*elu, *n),
        };
        out.push(ChangementDelegation {
            nature,
            elu: *elu,
            noeud: *n,
            libelle: libelle.clone(),
            raison: r,
        });
    }
    for ((elu, n, role), libelle) in &apres {
        if avant.contains_key(&(*elu, *n, *role)) {
            continue;
        }
        let nature = match role {
            Role::Appui if avant.contains_key(&(*elu, *n, Role::Pilote)) => continue,
            Role::Appui => Nature::AppuiAjoutee,
            Role::Pilote => Nature::PiloteAjoutee,
        };
        let r = match (nature, raison(*elu, *n)) {
            (Nature::PiloteAjoutee, r @ (Raison::Reecriture | Raison::Perimetre { .. })) => {
                completion(*n).unwrap_or(r)
            }
            (_, r) => r,
        };
        out.push(ChangementDelegation {
            nature,
            elu: *elu,
            noeud: *n,
            libelle: libelle.clone(),
            raison: r,
        });
    }
    out.sort_by_key(|c| {
        (
            s.elus[c.elu].ligne,
            c.elu,
            org.noeud(c.noeud).ligne,
            c.noeud,
            c.nature,
        )
    });
    out
}

/// One élu·e's indemnité rate under the scenario's policy, before and after the proposal.
#[derive(Debug, Clone, PartialEq)]
pub struct TauxAvantApres {
    /// Élu·e (index in [`Scenario::elus`]).
    pub elu: usize,
    /// Rate allocated on the input scenario, in % (`None`: not paid).
    pub avant: Option<rust_decimal::Decimal>,
    /// Rate allocated on the proposal, in % (`None`: not paid).
    pub apres: Option<rust_decimal::Decimal>,
}

/// The indemnités each élu·e would receive under the scenario's `[indemnites]` policy, on the
/// input and on the proposal (the weights follow the délégations), for every élu·e paid in
/// either. `None` when the policy has no lawful allocation on one of the two.
pub fn indemnites_avant_apres(s: &Scenario, propose: &Scenario) -> Option<Vec<TauxAvantApres>> {
    use crate::optimise::indemnites::{allouer_donnees, preparer};
    let taux =
        |sc: &Scenario| -> Option<std::collections::BTreeMap<String, rust_decimal::Decimal>> {
            let d = preparer(sc).ok()?;
            let a = allouer_donnees(sc, &d).ok()?;
            Some(a.lignes.into_iter().map(|l| (l.id, l.taux_pct)).collect())
        };
    let (av, ap) = (taux(s)?, taux(propose)?);
    Some(
        s.elus
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let (a, b) = (av.get(&e.id).copied(), ap.get(&e.id).copied());
                (a.is_some() || b.is_some()).then_some(TauxAvantApres {
                    elu: i,
                    avant: a,
                    apres: b,
                })
            })
            .collect(),
    )
}
