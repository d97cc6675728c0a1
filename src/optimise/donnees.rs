//! Scenario → [`Donnees`]: the units to lead, the groups that may lead them, the members whose
//! group matters, the locks and the weights. Everything the grouping model needs, and nothing of
//! the scenario it does not need, so that tests can write tiny instances by hand.
//!
//! Choices (documented in docs/developpement.md, section « Grouping model »):
//!
//! - **Units** are the directions (`Granularite::Direction`) or the services
//!   (`Granularite::Service`). A node is a unit when it is neither the DGS nor a DGA, no ancestor is
//!   a unit, and it is at the chosen level or deeper, or has no child. So a service hung directly
//!   under a DGA (an orphan of the example) is a unit at both granularities, a direction without
//!   services is a unit at service level, and the DGS and the DGA are never units: they are the
//!   administration's own lines, led by nobody. At service level a direction with staff or budget
//!   of its own (its « équipe propre ») stays one unit: whoever leads that team pilots the
//!   direction, hence all its services.
//! - **Functional links** (`rattachements_secondaires`) between nodes of two units become
//!   [`Lien`]s: the objective counts those whose units are led by different groups (D002), and
//!   a transversal group may take a unit linked to one it leads.
//! - **Reserved nodes**: the subtrees piloted by the maire (the cabinet) or by a maire délégué·e
//!   (their mairie déléguée) keep their pilote and leave the model. A unit whose staff and budget
//!   all lie in reserved subtrees (or that has neither staff nor budget) is listed in `ignorees`
//!   and left as it is.
//! - **Current group of a unit**: each node of the unit's subtree counts for its own staff
//!   (+ 0,001 so that empty nodes still count) towards every group whose élu·e pilots the nearest
//!   piloted node on its path to the root (the node itself, else its parent…); the unit's current
//!   group is the group with the largest count (ties: smallest group id). A unit nobody pilots has
//!   no current group (an orphan): giving it a group is not a change.
//! - **Groups**: every value of `groupe` in `elus.csv` with an adjoint·e without quartier nor
//!   commune déléguée; the one of lowest rank leads (`chef`). A group whose leader holds a
//!   transversal axis is transversal: it may keep the units it leads today, never take others.
//! - **Who leads a unit today** (one definition, read from the one attribution,
//!   `analyse::attribution`): an élu·e pilots a unit when they are a nearest pilote of the unit
//!   node itself, or, when nobody pilots the unit node, of nodes holding most (more than half)
//!   of its staff. The unit is in the
//!   **cœur** of a group when the group's own adjoint·e pilots it in that sense; a transversal
//!   group may keep a unit one of its élu·es pilots in that sense (or that it leads by the
//!   plurality rule above). A pilote délégation on one service inside another group's unit is a
//!   double rattachement to repair, never a cœur, and never a claim of a transversal group.
//! - **Rules that would contradict** are reconciled here by one order of precedence
//!   ([`super::regles`]): what the user declared > cœur > quartier link > transversal groups gain
//!   no unit > every thematic group leads a unit; the lower rule yields on that unit and
//!   [`Donnees::levees`] says so.
//! - **Members**: every other élu·e of a group, and, with `--regrouper`, every conseiller·e
//!   délégué·e and adjoint·e de quartier without a group. Only conseiller·es délégué·es and
//!   adjoint·es de quartier are mobile; the perimeter of a member is the set of units holding (or
//!   under) the nodes they pilot.

use crate::model::domaine::{DomaineIx, TableDomaines};
use crate::model::{Fonction, GroupesParams, Niveau, NodeIx, Role, Scenario, SujetVerrou, Verrou};
use std::collections::{BTreeMap, BTreeSet};

/// Level of the units the optimiser assigns to groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Granularite {
    /// Directions (and services hung directly under a DGA).
    #[default]
    Direction,
    /// Services (and directions without services, units hung directly under a direction).
    Service,
}

/// A unit of the organigramme to be led by exactly one group.
#[derive(Debug, Clone, PartialEq)]
pub struct Unite {
    /// Node of the organigramme (`None` in hand-written test instances).
    pub noeud: Option<NodeIx>,
    /// Identifier (the node's id).
    pub id: String,
    /// Label.
    pub libelle: String,
    /// Index in [`Donnees::dgas`] of the unit's DGA; `None` for a unit hung under the DGS.
    pub dga: Option<usize>,
    /// Staff (ETP) of the unit's subtree, reserved subtrees excluded: the load it brings.
    pub charge: f64,
    /// Group (index in [`Donnees::groupes`]) leading it in the proposed délégations.
    pub actuel: Option<usize>,
    /// Nodes a pilote délégation must name to cover the unit without its reserved subtrees.
    pub couverture: Vec<NodeIx>,
    /// The group whose own adjoint·e (its lead) pilots this unit in the input (the unit node
    /// itself, or most of its staff: module docs), when the rule `[groupes] coeurs` holds for
    /// that group and no stronger rule lifted it: the unit is in that group's cœur and stays there.
    pub coeur: Option<usize>,
    /// Transversal groups (indices in [`Donnees::groupes`]) that may lead this unit: those that
    /// lead it today (module docs), and those for which the transversal rule was lifted
    /// ([`Donnees::levees`]).
    pub transversaux_permis: Vec<usize>,
    /// Nearest direction at or above the unit node (`None` for a unit hung under a DGA or the
    /// DGS, and in hand-written test instances): « dans la même direction » in the reasons.
    pub direction: Option<NodeIx>,
    /// What the unit is about: the domains of the nodes of its subtree, reserved nodes excluded
    /// ([`crate::model::domaine::domaines_noeud`]: declared, else inferred), in table order.
    pub domaines: Vec<DomaineIx>,
}

/// A DGA (pôle).
#[derive(Debug, Clone, PartialEq)]
pub struct Dga {
    /// Identifier.
    pub id: String,
    /// Label.
    pub libelle: String,
}

/// A group led by an adjoint·e.
#[derive(Debug, Clone, PartialEq)]
pub struct Groupe {
    /// Identifier (`groupe` column of `elus.csv`).
    pub id: String,
    /// Index of the leading adjoint·e in [`Scenario::elus`] (`usize::MAX` in test instances).
    pub chef: usize,
    /// Identifier of the leading adjoint·e.
    pub chef_id: String,
    /// True when the leader holds a transversal axis.
    pub transversal: bool,
    /// What the group is about: the domains of the délégations of its élu·es in the input
    /// ([`crate::model::domaine::domaines_delegation`]), in table order.
    pub domaines: Vec<DomaineIx>,
}

/// An élu·e, other than a group's leader, whose group matters to the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Membre {
    /// Index in [`Scenario::elus`] (`usize::MAX` in test instances).
    pub elu: usize,
    /// Identifier.
    pub id: String,
    /// Group in `elus.csv` (index in [`Donnees::groupes`]), if any.
    pub actuel: Option<usize>,
    /// True when the optimiser may change the group (only with `--regrouper`, for conseiller·es
    /// délégué·es and adjoint·es de quartier).
    pub mobile: bool,
    /// True for an adjoint·e de quartier (must join a non-transversal group).
    pub quartier: bool,
    /// Units (indices in [`Donnees::unites`]) this élu·e pilots, fully or in part.
    pub perimetre: Vec<usize>,
    /// For an adjoint·e de quartier linked today to their group's thematic perimeter: the units
    /// any of their délégations (pilote or appui) touch. One of them must stay with the group, so
    /// that the plan never creates a D010. Empty otherwise.
    pub lien_quartier: Vec<usize>,
    /// For a mobile adjoint·e de quartier linked today to some group: per group (index in
    /// [`Donnees::groupes`]), the units holding their délégations' nodes that lie inside that
    /// group's thematic perimeter ([`crate::model::lien`]); they may join a group only with
    /// one of those units. `None`: the rule puts no limit on them.
    pub liens_quartier: Option<Vec<Vec<usize>>>,
}

/// [`Membre::liens_quartier`] of élu·e `e`: the per-group units of the one link definition,
/// `None` when they are linked to no group or hold a territorial pilote (free, as in affecter).
fn liens_quartier_par_groupe(
    s: &Scenario,
    e: usize,
    groupes: &[Groupe],
    unites_de: &dyn Fn(NodeIx) -> Vec<usize>,
) -> Option<Vec<Vec<usize>>> {
    let ids: Vec<String> = groupes.iter().map(|g| g.id.clone()).collect();
    crate::model::groupes_lies(s, e, &ids)?;
    let adjoints = crate::model::adjoints_thematiques(s);
    Some(
        ids.iter()
            .map(|g| {
                let a = adjoints.get(g).cloned().unwrap_or_default();
                let p = crate::model::perimetre_thematique(s, &a);
                match crate::model::lien(s, e, Some(&p)) {
                    crate::model::Lien::Lie(paires) => {
                        let mut v: Vec<usize> =
                            paires.iter().flat_map(|&(n, _)| unites_de(n)).collect();
                        v.sort_unstable();
                        v.dedup();
                        v
                    }
                    _ => Vec::new(),
                }
            })
            .collect(),
    )
}

/// A functional link (`rattachements_secondaires`) between two units: a node of `a` answers also
/// to a node of `b`. Led by two groups, it is a double rattachement (D002).
#[derive(Debug, Clone, PartialEq)]
pub struct Lien {
    /// Unit holding the node with the link.
    pub a: usize,
    /// Unit holding the linked node (or under it).
    pub b: usize,
    /// Id of the node with the link.
    pub noeud: String,
    /// Id of the linked node.
    pub lie: String,
    /// Staff the link concerns: the smaller of the node with the link's subtree (in unit `a`)
    /// and the linked node's subtree (in unit `b`), reserved nodes excluded. The link's weight
    /// in the objective is proportional to it.
    pub effectif: f64,
}

/// A lock on a unit.
#[derive(Debug, Clone, PartialEq)]
pub struct VerrouUnite {
    /// Unit.
    pub unite: usize,
    /// Group.
    pub groupe: usize,
    /// Line in `verrous.csv`.
    pub ligne: usize,
}

/// A lock on a member.
#[derive(Debug, Clone, PartialEq)]
pub struct VerrouMembre {
    /// Member (index in [`Donnees::membres`]).
    pub membre: usize,
    /// Group.
    pub groupe: usize,
    /// Line in `verrous.csv`.
    pub ligne: usize,
}

/// Everything the grouping model needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Donnees {
    /// Units, in organigramme order.
    pub unites: Vec<Unite>,
    /// Groups, sorted by id.
    pub groupes: Vec<Groupe>,
    /// DGA, in organigramme order.
    pub dgas: Vec<Dga>,
    /// Members, in `elus.csv` order.
    pub membres: Vec<Membre>,
    /// Functional links between units (sorted, one per pair of units and direction).
    pub liens: Vec<Lien>,
    /// Locks on units.
    pub verrous_unites: Vec<VerrouUnite>,
    /// Locks on members.
    pub verrous_membres: Vec<VerrouMembre>,
    /// True with `--regrouper`: members' groups are decisions and group sizes are bounded.
    pub regrouper: bool,
    /// Level of the units, kept so that a written proposal can say what produced it.
    pub granularite: Granularite,
    /// Weights and size bounds (`[groupes]` of `scenario.toml`).
    pub params: GroupesParams,
    /// Nodes that would be units but have neither staff nor budget outside reserved subtrees:
    /// left as they are.
    pub ignorees: Vec<NodeIx>,
    /// Nodes kept by the maire or a maire délégué·e (roots of reserved subtrees).
    pub reservees: Vec<NodeIx>,
    /// Orphan units about the maire's cabinet (domain `cabinet`): reserved to the maire, never
    /// adopted by an adjoint·e's group; left out of the model, as they are.
    pub au_maire: Vec<NodeIx>,
    /// Non-blocking remarks, in French.
    pub avertissements: Vec<String>,
    /// Derived rules lifted because a stronger rule contradicts them on this input (each with
    /// the rules that win): the plan holds every other rule.
    pub levees: Vec<super::regles::RegleLevee>,
    /// With `--regrouper` and `voeux.csv`: the wish criteria, solved first and kept ahead of the
    /// organigramme terms ([`super::voeux`]); set by the caller after building.
    pub voeux: Option<super::voeux::CriteresVoeux>,
}

/// A lock that cannot be turned into model data (French message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ErreurDonnees(pub String);

impl Donnees {
    /// Mean staff load per group (0 when there is no group).
    pub fn charge_moyenne(&self) -> f64 {
        if self.groupes.is_empty() {
            return 0.0;
        }
        self.unites.iter().map(|u| u.charge).sum::<f64>() / self.groupes.len() as f64
    }

    /// Index of a group by id.
    pub fn groupe(&self, id: &str) -> Option<usize> {
        self.groupes.iter().position(|g| g.id == id)
    }

    /// True if group `g` may lead unit `u` under the transversal rule: a transversal group keeps
    /// the units it leads today and gains no line management (the pacte's transversal
    /// adjoint·es « réduisent les effets négatifs des silos » by their appuis, not by taking
    /// services).
    pub fn transversal_permis(&self, u: usize, g: usize) -> bool {
        !self.groupes[g].transversal
            || self.unites[u].actuel == Some(g)
            || self.unites[u].transversaux_permis.contains(&g)
    }

    /// True unless the rule was lifted on this input ([`Donnees::levees`]).
    pub fn en_vigueur(&self, cle: &super::Cle) -> bool {
        !self.levees.iter().any(|l| &l.regle == cle)
    }

    /// What unit `u` and group `g` share (module docs of [`crate::model::domaine`]): the unit's
    /// domain and the group's (the same, else close), or `None`.
    pub fn theme_partage(&self, u: usize, g: usize) -> Option<(DomaineIx, DomaineIx)> {
        TableDomaines::integree().partagent(&self.unites[u].domaines, &self.groupes[g].domaines)
    }

    /// True when giving unit `u` to group `g` is « hors thème »: both have domains and they
    /// share none (neither the same nor a close one). A unit or a group without any domain is
    /// never hors thème (nothing says it is).
    pub fn hors_theme(&self, u: usize, g: usize) -> bool {
        !self.unites[u].domaines.is_empty()
            && !self.groupes[g].domaines.is_empty()
            && self.theme_partage(u, g).is_none()
    }

    /// True when unit `u` has a « hors thème » cost in group `g`: `g` is not its current group
    /// (a move or an adoption) and [`Donnees::hors_theme`] holds.
    pub fn cout_hors_theme(&self, u: usize, g: usize) -> bool {
        self.unites[u].actuel != Some(g) && self.hors_theme(u, g)
    }

    /// Mean staff of a unit (1 when there is no staff at all, so that weights stay finite).
    pub fn charge_moyenne_unite(&self) -> f64 {
        let total: f64 = self.unites.iter().map(|u| u.charge).sum();
        if self.unites.is_empty() || total <= 0.0 {
            1.0
        } else {
            total / self.unites.len() as f64
        }
    }

    /// Weight of moving unit `u` away from its group, in mean units: the agents whose chain of
    /// command changes (`c_u / c̄`). A unit without staff still costs a little (0,05), so that
    /// moving it is never free.
    pub fn poids_unite(&self, u: usize) -> f64 {
        (self.unites[u].charge / self.charge_moyenne_unite()).max(0.05)
    }

    /// Weight of link `k` crossing groups, in mean units of staff: the staff it concerns (at
    /// least 0,05). Since that staff lies inside both linked units, at `poids_liens = 1` a link
    /// alone never moves either whole unit, however large the node declaring it.
    pub fn poids_lien(&self, k: usize) -> f64 {
        (self.liens[k].effectif / self.charge_moyenne_unite()).max(0.05)
    }

    /// Builds the model data from a scenario, its locks, a granularity and the regrouping flag.
    pub fn depuis_scenario(
        scenario: &Scenario,
        verrous: &[Verrou],
        granularite: Granularite,
        regrouper: bool,
    ) -> Result<Donnees, ErreurDonnees> {
        let org = &scenario.organigramme;
        let n = org.len();
        let mut avertissements = Vec::new();

        // Groups and their leaders.
        let mut groupes = Vec::new();
        let mut chefs = BTreeSet::new();
        for g in scenario.groupes_detail() {
            match g.chef {
                Some(c) => {
                    chefs.insert(c);
                    groupes.push(Groupe {
                        id: g.id.clone(),
                        chef: c,
                        chef_id: scenario.elus[c].id.clone(),
                        transversal: g.transversal,
                        domaines: Vec::new(),
                    });
                }
                None => avertissements.push(format!(
                    "le groupe « {} » n'a pas d'adjoint·e thématique pour l'animer : il ne pilotera aucune unité",
                    g.id
                )),
            }
        }
        // What each group is about: the domains of its élu·es' délégations in the input.
        for gr in groupes.iter_mut() {
            let mut ds: Vec<DomaineIx> = scenario
                .delegations
                .iter()
                .filter(|x| scenario.elus[x.elu].groupe.as_deref() == Some(gr.id.as_str()))
                .flat_map(|x| crate::model::domaine::domaines_delegation(scenario, x).domaines)
                .chain(
                    scenario
                        .delegations_sans_service
                        .iter()
                        .filter(|x| scenario.elus[x.elu].groupe.as_deref() == Some(gr.id.as_str()))
                        .flat_map(|x| crate::model::domaine::domaines_sans_service(x).domaines),
                )
                .collect();
            ds.sort_unstable();
            ds.dedup();
            gr.domaines = ds;
        }
        let groupe_de = |e: usize| -> Option<usize> {
            let id = scenario.elus[e].groupe.as_deref()?;
            groupes.iter().position(|g| g.id == id)
        };

        // Reserved subtrees: the maire's and the maires délégué·es' pilote nodes.
        let mut reservees: Vec<NodeIx> = scenario
            .delegations
            .iter()
            .filter(|d| {
                d.role == Role::Pilote
                    && matches!(
                        scenario.elus[d.elu].fonction,
                        Fonction::Maire | Fonction::MaireDelegue
                    )
            })
            .map(|d| d.noeud)
            .collect();
        reservees.sort_unstable();
        reservees.dedup();
        let mut reserve = vec![false; n];
        for &r in &reservees {
            for s in org.sous_arbre(r) {
                reserve[s] = true;
            }
        }

        // Units.
        let seuil = match granularite {
            Granularite::Direction => Niveau::Direction,
            Granularite::Service => Niveau::Service,
        };
        let mut est_unite = vec![false; n];
        let mut candidats = Vec::new();
        for i in 0..n {
            let nd = org.noeud(i);
            if matches!(nd.niveau, Niveau::Dgs | Niveau::Dga) || reserve[i] {
                continue;
            }
            if org.ancetres(i).any(|a| est_unite[a]) {
                continue;
            }
            // A direction with a team of its own stays whole at service level: a pilote
            // délégation on its own team covers its services too (coverage is inherited), so
            // its services cannot go to other groups without a double rattachement.
            let equipe_propre = granularite == Granularite::Service
                && nd.niveau == Niveau::Direction
                && (nd.effectif > 0.0 || nd.budget > 0.0);
            if nd.niveau >= seuil || nd.enfants.is_empty() || equipe_propre {
                est_unite[i] = true;
                candidats.push(i);
            }
        }
        // Nodes are in input order and a parent may follow its child in the file: re-check
        // that no unit lies under another one (keep the higher).
        candidats.retain(|&i| !org.ancetres(i).any(|a| est_unite[a]));

        let mut dgas = Vec::new();
        let mut dga_index = BTreeMap::new();
        for d in org.de_niveau(Niveau::Dga) {
            dga_index.insert(d, dgas.len());
            dgas.push(Dga {
                id: org.noeud(d).id.clone(),
                libelle: org.noeud(d).libelle.clone(),
            });
        }

        // Pilote délégations per node, by groups (leaders and members of valid groups).
        let mut pilotes: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        // A secteur adjoint·e's pilote délégation on their own territorial node is the
        // territorial layer of a matrix (D013), not a claim on the unit: the plan leaves it as it
        // is, and it neither decides a unit's current group nor binds the member's perimeter.
        let territoriale =
            |d: &crate::model::Delegation| crate::model::delegation_territoriale(scenario, d);
        for d in &scenario.delegations {
            if d.role != Role::Pilote || territoriale(d) {
                continue;
            }
            if let Some(g) = groupe_de(d.elu) {
                pilotes[d.noeud].insert(g);
            }
        }

        // Who pilots what: the one attribution (nearest pilotes of each node).
        let attribution = crate::analyse::Attribution::depuis_scenario(scenario);
        let coeurs_en_vigueur: Vec<bool> = groupes
            .iter()
            .map(|gr| {
                scenario.params.groupes.coeurs
                    && !scenario.params.groupes.coeurs_liberes.contains(&gr.id)
            })
            .collect();

        let cabinet = TableDomaines::integree().cle("cabinet");

        let mut unites = Vec::new();
        let mut ignorees = Vec::new();
        let mut au_maire = Vec::new();
        let mut unite_de_noeud: BTreeMap<NodeIx, usize> = BTreeMap::new();
        for &u in &candidats {
            let sous: Vec<NodeIx> = org
                .sous_arbre(u)
                .into_iter()
                .filter(|&s| !reserve[s])
                .collect();
            let charge: f64 = sous.iter().map(|&s| org.noeud(s).effectif).sum();
            let budget: f64 = sous.iter().map(|&s| org.noeud(s).budget).sum();
            if charge <= 0.0 && budget <= 0.0 {
                ignorees.push(u);
                continue;
            }
            let mut poids: BTreeMap<usize, f64> = BTreeMap::new();
            for &s in &sous {
                let proche = std::iter::once(s)
                    .chain(org.ancetres(s))
                    .find(|&a| !pilotes[a].is_empty());
                if let Some(a) = proche {
                    for &g in &pilotes[a] {
                        *poids.entry(g).or_default() += org.noeud(s).effectif + 0.001;
                    }
                }
            }
            let actuel = poids
                .iter()
                .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
                .map(|(&g, _)| g);
            let mut domaines: Vec<DomaineIx> = sous
                .iter()
                .flat_map(|&x| crate::model::domaine::domaines_noeud(scenario, x).domaines)
                .collect();
            domaines.sort_unstable();
            domaines.dedup();
            // An orphan of the maire's cabinet is the maire's to delegate: no adjoint·e's
            // group adopts it.
            if actuel.is_none() && cabinet.is_some_and(|c| domaines.contains(&c)) {
                au_maire.push(u);
                continue;
            }
            let (coeur, mene) =
                qui_pilote(&attribution, org, u, &sous, charge, &groupes, &groupe_de);
            let coeur = coeur.filter(|&g| coeurs_en_vigueur[g]);
            let transversaux_permis = mene
                .into_iter()
                .filter(|&g| groupes[g].transversal)
                .collect();
            let ix = unites.len();
            for &s in &sous {
                unite_de_noeud.insert(s, ix);
            }
            unites.push(Unite {
                noeud: Some(u),
                id: org.noeud(u).id.clone(),
                libelle: org.noeud(u).libelle.clone(),
                dga: org.dga_de(u).and_then(|d| dga_index.get(&d).copied()),
                charge,
                actuel,
                couverture: couverture(org, &reserve, u),
                coeur,
                transversaux_permis,
                direction: std::iter::once(u)
                    .chain(org.ancetres(u))
                    .find(|&a| org.noeud(a).niveau == Niveau::Direction),
                domaines,
            });
        }

        // Units touched by a node: the unit holding it, or every unit under it.
        let unites_de = |noeud: NodeIx| -> Vec<usize> {
            if let Some(&u) = unite_de_noeud.get(&noeud) {
                return vec![u];
            }
            let mut v: Vec<usize> = org
                .sous_arbre(noeud)
                .into_iter()
                .filter_map(|s| unite_de_noeud.get(&s).copied())
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };

        // Functional links between two different units (reserved nodes and links to the DGS or
        // a DGA, whose subtree holds many units, are left to the analyser).
        let mut paires = BTreeSet::new();
        for (n, nd) in org.noeuds.iter().enumerate() {
            let Some(&a) = unite_de_noeud.get(&n) else {
                continue;
            };
            for &t in &nd.secondaires {
                if matches!(org.noeud(t).niveau, Niveau::Dgs | Niveau::Dga) {
                    continue;
                }
                for b in unites_de(t) {
                    if b != a {
                        paires.insert((a, b, n, t));
                    }
                }
            }
        }
        let mut vues = BTreeSet::new();
        let liens: Vec<Lien> = paires
            .into_iter()
            .filter(|&(a, b, _, _)| vues.insert((a, b)))
            .map(|(a, b, n, t)| {
                // Staff of a subtree that lies in one unit (reserved nodes are in none).
                let dans = |racine: NodeIx, u: usize| -> f64 {
                    org.sous_arbre(racine)
                        .into_iter()
                        .filter(|x| unite_de_noeud.get(x) == Some(&u))
                        .map(|x| org.noeud(x).effectif)
                        .sum()
                };
                Lien {
                    a,
                    b,
                    noeud: org.noeud(n).id.clone(),
                    lie: org.noeud(t).id.clone(),
                    // The link joins two pieces of staff and concerns the smaller one: a
                    // direction declaring a link to one small service never weighs its whole
                    // staff, so the link alone never moves either whole unit.
                    effectif: dans(n, a).min(dans(t, b)),
                }
            })
            .collect();

        // Members.
        let mut membres = Vec::new();
        let mut membre_de_elu = BTreeMap::new();
        for (e, elu) in scenario.elus.iter().enumerate() {
            if chefs.contains(&e) {
                continue;
            }
            // Adjoint·es de quartier stay linked to a thematic adjoint·e (the pacte: « en lien
            // pour chacun avec un adjoint thématique »); adjoint·es au maire délégué·e stay in
            // the group written for them, like the maires délégué·es: their délégations are
            // those of their commune déléguée.
            // With --regrouper an adjoint·e de quartier moves too, as in affecter, but only
            // to a group they stay linked to (`liens_quartier`, the one definition).
            let mobile_fonction =
                elu.fonction == Fonction::ConseillerDelegue || elu.est_adjoint_quartier();
            let actuel = groupe_de(e);
            if actuel.is_none() && !(regrouper && mobile_fonction) {
                continue;
            }
            let mut perimetre: Vec<usize> = scenario
                .delegations
                .iter()
                .filter(|d| d.elu == e && d.role == Role::Pilote && !territoriale(d))
                .flat_map(|d| unites_de(d.noeud))
                .collect();
            perimetre.sort_unstable();
            perimetre.dedup();
            // The one definition of the quartier link (model::quartier): the units holding the
            // adjoint·e de quartier's nodes that lie inside their group's thematic perimeter;
            // keeping one of them with the group keeps the link.
            let lien_quartier =
                match crate::model::lien_au_groupe(scenario, e, elu.groupe.as_deref()) {
                    crate::model::Lien::Lie(paires) => {
                        let mut v: Vec<usize> =
                            paires.iter().flat_map(|&(n, _)| unites_de(n)).collect();
                        v.sort_unstable();
                        v.dedup();
                        v
                    }
                    _ => Vec::new(),
                };
            let mobile = regrouper && mobile_fonction;
            let liens_quartier = if mobile && elu.est_adjoint_quartier() {
                liens_quartier_par_groupe(scenario, e, &groupes, &unites_de)
            } else {
                None
            };
            membre_de_elu.insert(e, membres.len());
            membres.push(Membre {
                elu: e,
                id: elu.id.clone(),
                actuel,
                mobile,
                quartier: elu.est_adjoint_quartier(),
                perimetre,
                // A mobile adjoint·e de quartier's link is per group (`liens_quartier`).
                lien_quartier: if mobile { Vec::new() } else { lien_quartier },
                liens_quartier,
            });
        }

        // Locks.
        let mut verrous_unites = Vec::new();
        let mut verrous_membres = Vec::new();
        for v in verrous {
            let Some(g) = groupes.iter().position(|x| x.id == v.groupe) else {
                return Err(ErreurDonnees(format!(
                    "verrous.csv, ligne {} : le groupe « {} » n'a pas d'adjoint·e thématique pour l'animer, il ne peut rien recevoir",
                    v.ligne, v.groupe
                )));
            };
            match v.sujet {
                SujetVerrou::Noeud(noeud) => {
                    let us = unites_de(noeud);
                    if us.is_empty() {
                        return Err(ErreurDonnees(format!(
                            "verrous.csv, ligne {} : « {} » n'est dans aucune unité à attribuer (DGS, DGA, nœud réservé au ou à la maire ou à un·e maire délégué·e, ou sans effectif ni budget)",
                            v.ligne,
                            org.noeud(noeud).id
                        )));
                    }
                    for unite in us {
                        verrous_unites.push(VerrouUnite {
                            unite,
                            groupe: g,
                            ligne: v.ligne,
                        });
                    }
                }
                SujetVerrou::Elu(e) => match membre_de_elu.get(&e) {
                    Some(&membre) => verrous_membres.push(VerrouMembre {
                        membre,
                        groupe: g,
                        ligne: v.ligne,
                    }),
                    None => {
                        return Err(ErreurDonnees(format!(
                            "verrous.csv, ligne {} : « {} » n'a pas de groupe ; sans --regrouper, son groupe ne se choisit pas",
                            v.ligne, scenario.elus[e].id
                        )));
                    }
                },
            }
        }

        for d in &scenario.delegations {
            let e = &scenario.elus[d.elu];
            if d.role == Role::Pilote
                && !chefs.contains(&d.elu)
                && !membre_de_elu.contains_key(&d.elu)
                && !matches!(e.fonction, Fonction::Maire | Fonction::MaireDelegue)
            {
                avertissements.push(format!(
                    "{} ({}) pilote « {} » sans appartenir à un groupe : sa délégation est conservée telle quelle",
                    e.nom_complet(),
                    e.id,
                    org.noeud(d.noeud).id
                ));
            }
        }

        let mut d = Donnees {
            unites,
            groupes,
            dgas,
            membres,
            liens,
            verrous_unites,
            verrous_membres,
            regrouper,
            granularite,
            params: scenario.params.groupes.clone(),
            ignorees,
            reservees,
            au_maire,
            avertissements,
            levees: Vec::new(),
            voeux: None,
        };
        super::regles::lever_conflits(&mut d);
        Ok(d)
    }
}

/// Who leads unit `u` today, by the one attribution: an élu·e pilots the unit when they are a
/// nearest pilote of the unit node itself or, when nobody pilots the unit node, of nodes holding
/// more than half of its staff (`sous`, its subtree without reserved nodes; `charge`, their
/// staff). A délégation on one service inside a unit whose node another élu·e pilots is a double
/// rattachement, however large the service: it never makes a cœur. Returns the group whose own
/// adjoint·e pilots it (its cœur; when two leads do, the one piloting more staff, then the lower
/// index), and every group one of whose élu·es pilots it, the group counted as one (what « this
/// group leads this unit today » means for a transversal group).
fn qui_pilote(
    attribution: &crate::analyse::Attribution,
    org: &crate::model::Organigramme,
    u: NodeIx,
    sous: &[NodeIx],
    charge: f64,
    groupes: &[Groupe],
    groupe_de: &dyn Fn(usize) -> Option<usize>,
) -> (Option<usize>, Vec<usize>) {
    let sur_le_noeud: Vec<usize> = attribution.parts(u).iter().map(|&(e, _)| e).collect();
    let mut par_elu: BTreeMap<usize, f64> = BTreeMap::new();
    let mut par_groupe: BTreeMap<usize, f64> = BTreeMap::new();
    for &x in sous {
        let eff = org.noeud(x).effectif;
        let mut vus = BTreeSet::new();
        for &(e, _) in attribution.parts(x) {
            *par_elu.entry(e).or_default() += eff;
            if let Some(g) = groupe_de(e).filter(|&g| vus.insert(g)) {
                *par_groupe.entry(g).or_default() += eff;
            }
        }
    }
    let majorite = |v: f64| sur_le_noeud.is_empty() && charge > 0.0 && v > charge / 2.0;
    let coeur = groupes
        .iter()
        .enumerate()
        .filter_map(|(g, gr)| {
            let sur = sur_le_noeud.contains(&gr.chef);
            let part = par_elu.get(&gr.chef).copied().unwrap_or(0.0);
            (sur || majorite(part)).then_some((g, part))
        })
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(g, _)| g);
    let mene = (0..groupes.len())
        .filter(|&g| {
            sur_le_noeud.iter().any(|&e| groupe_de(e) == Some(g))
                || majorite(par_groupe.get(&g).copied().unwrap_or(0.0))
        })
        .collect();
    (coeur, mene)
}

/// The largest subtrees of `u` free of reserved nodes: what a pilote délégation must name.
fn couverture(org: &crate::model::Organigramme, reserve: &[bool], u: NodeIx) -> Vec<NodeIx> {
    if reserve[u] {
        return Vec::new();
    }
    if org.sous_arbre(u).iter().all(|&s| !reserve[s]) {
        return vec![u];
    }
    org.noeud(u)
        .enfants
        .iter()
        .flat_map(|&c| couverture(org, reserve, c))
        .collect()
}
