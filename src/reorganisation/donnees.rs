//! What the reorganisation model needs from a scenario: the directions under a DGA (their
//! staff, the political groups that hold a délégation inside them, their functional links),
//! the DGA (existing, and one candidate new DGA per priority that may have one), the
//! priorities resolved to directions, the locks, the stages and their dates.

use crate::ingest::{Code, Diagnostic, IngestError};
use crate::model::domaine::{TableDomaines, domaines_noeud};
use crate::model::{Niveau, NodeIx, ReorganisationParams, Scenario};
use chrono::{Months, NaiveDate};
use std::collections::BTreeSet;

/// Prefix of the id of a new DGA: `DGA-NOUV-<priorité>`.
pub const PREFIXE_NOUVELLE_DGA: &str = "DGA-NOUV-";

/// One direction that may move between DGA (whole: its services never leave it).
#[derive(Debug, Clone, PartialEq)]
pub struct Direction {
    /// Node in the organigramme.
    pub noeud: NodeIx,
    /// Node id.
    pub id: String,
    /// Label.
    pub libelle: String,
    /// Staff of its whole subtree (agents whose DGA changes when it moves).
    pub agents: f64,
    /// DGA today (index in [`Donnees::dgas`]).
    pub initiale: usize,
    /// Political groups holding a délégation inside it (indices in [`Donnees::groupes`]).
    pub groupes: Vec<usize>,
}

/// One DGA, existing or candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Dga {
    /// Node of an existing DGA; `None` for a new one.
    pub noeud: Option<NodeIx>,
    /// Id (`DGA-NOUV-<priorité>` for a new one).
    pub id: String,
    /// Label.
    pub libelle: String,
    /// For a new DGA, the priority it is created for.
    pub priorite: Option<usize>,
    /// Groups holding a délégation on the DGA node itself: interlocutors whatever it holds.
    pub groupes_fixes: Vec<usize>,
}

/// A priority resolved to directions.
#[derive(Debug, Clone, PartialEq)]
pub struct PrioriteR {
    /// Id.
    pub id: String,
    /// Name.
    pub nom: String,
    /// Directions it gathers (indices in [`Donnees::directions`]), sorted.
    pub directions: Vec<usize>,
}

/// A lock: direction `direction` stays under DGA `dga` at every stage.
#[derive(Debug, Clone, PartialEq)]
pub struct Verrou {
    /// Direction index.
    pub direction: usize,
    /// DGA index.
    pub dga: usize,
    /// Line in `scenario.toml`.
    pub ligne: Option<usize>,
}

/// The model's data.
#[derive(Debug, Clone)]
pub struct Donnees {
    /// Directions under a DGA, in organigramme order.
    pub directions: Vec<Direction>,
    /// Existing DGA (organigramme order), then candidate new ones (priority order).
    pub dgas: Vec<Dga>,
    /// Political group ids (sorted).
    pub groupes: Vec<String>,
    /// Priorities.
    pub priorites: Vec<PrioriteR>,
    /// Functional links between two directions `(a, b)`, `a < b`, de-duplicated.
    pub liens: Vec<(usize, usize)>,
    /// Locks.
    pub verrous: Vec<Verrou>,
    /// Parameters.
    pub params: ReorganisationParams,
    /// Date of each stage (stage 1 first).
    pub dates: Vec<NaiveDate>,
    /// Agents whose DGA changes at one stage, at most.
    pub cap_etape: f64,
    /// Agents whose DGA changes over the plan, at most.
    pub cap_mandat: Option<f64>,
    /// Today's mean number of directions per existing DGA (the balance target).
    pub cible: f64,
    /// Non-blocking remarks (French), e.g. a domain that names no direction.
    pub avertissements: Vec<String>,
}

impl Donnees {
    /// Number of stages.
    pub fn nb_etapes(&self) -> usize {
        self.dates.len()
    }

    /// Number of existing DGA (the first ones of [`Donnees::dgas`]).
    pub fn nb_existantes(&self) -> usize {
        self.dgas.iter().filter(|k| k.priorite.is_none()).count()
    }

    /// Directions whose pair is tied: moved together (links between directions under the same
    /// DGA today, unless `liens_separables`).
    pub fn lien_impose(&self, l: usize) -> bool {
        let (a, b) = self.liens[l];
        !self.params.liens_separables && self.directions[a].initiale == self.directions[b].initiale
    }

    /// Builds the data from a loaded scenario. `fichier` names `scenario.toml` in errors.
    pub fn depuis_scenario(s: &Scenario, fichier: &str) -> Result<Donnees, IngestError> {
        resoudre_domaines_et_construire(s, fichier, &DomainesIntegres)
    }
}

/// Resolves a priority's domains to directions: the seam to the domain table
/// ([`crate::model::domaine`]), kept as a trait so that tests can give their own table.
pub trait Domaines {
    /// True when the key or label `domaine` is known.
    fn connu(&self, domaine: &str) -> bool;
    /// True when direction node `n` of `s` belongs to domain `domaine`.
    fn contient(&self, s: &Scenario, n: NodeIx, domaine: &str) -> bool;
}

/// The shipped domain table: a direction belongs to a domain declared on it, inferred from its
/// label, or inherited ([`domaines_noeud`]).
pub struct DomainesIntegres;

impl Domaines for DomainesIntegres {
    fn connu(&self, domaine: &str) -> bool {
        TableDomaines::integree().cle(domaine).is_some()
    }
    fn contient(&self, s: &Scenario, n: NodeIx, domaine: &str) -> bool {
        TableDomaines::integree()
            .cle(domaine)
            .is_some_and(|k| domaines_noeud(s, n).domaines.contains(&k))
    }
}

fn erreur(
    fichier: &str,
    ligne: Option<usize>,
    colonne: &str,
    message: String,
    aide: &str,
) -> Diagnostic {
    let mut d = Diagnostic::fichier(Code::E015, fichier, message)
        .colonne(colonne)
        .aide(aide);
    if let Some(l) = ligne {
        d = d.ligne(l);
    }
    d
}

/// [`Donnees::depuis_scenario`] with a given domain table.
pub fn resoudre_domaines_et_construire(
    s: &Scenario,
    fichier: &str,
    table: &dyn Domaines,
) -> Result<Donnees, IngestError> {
    let org = &s.organigramme;
    let p = s.params.reorganisation.clone();
    let mut diags = Vec::new();
    let mut avertissements = Vec::new();
    let groupes: Vec<String> = s.groupes().keys().cloned().collect();
    let groupe_de = |elu: usize| -> Option<usize> {
        s.elus[elu]
            .groupe
            .as_ref()
            .and_then(|g| groupes.binary_search(g).ok())
    };
    let mut dgas: Vec<Dga> = org
        .de_niveau(Niveau::Dga)
        .into_iter()
        .map(|n| {
            let mut fixes: Vec<usize> = s
                .delegations
                .iter()
                .filter(|d| d.noeud == n)
                .filter_map(|d| groupe_de(d.elu))
                .collect();
            fixes.sort_unstable();
            fixes.dedup();
            Dga {
                noeud: Some(n),
                id: org.noeud(n).id.clone(),
                libelle: org.noeud(n).libelle.clone(),
                priorite: None,
                groupes_fixes: fixes,
            }
        })
        .collect();
    let mut directions = Vec::new();
    let mut hors = 0usize;
    for n in org.de_niveau(Niveau::Direction) {
        let Some(k) = org
            .noeud(n)
            .parent
            .and_then(|p| dgas.iter().position(|k| k.noeud == Some(p)))
        else {
            hors += 1;
            continue;
        };
        let mut gs: Vec<usize> = s
            .delegations
            .iter()
            .filter(|d| org.est_dans(d.noeud, n))
            .filter_map(|d| groupe_de(d.elu))
            .collect();
        gs.sort_unstable();
        gs.dedup();
        directions.push(Direction {
            noeud: n,
            id: org.noeud(n).id.clone(),
            libelle: org.noeud(n).libelle.clone(),
            agents: org.effectif_total(n),
            initiale: k,
            groupes: gs,
        });
    }
    if hors > 0 {
        avertissements.push(format!(
            "{hors} direction(s) ne sont pas rattachées directement à une DGA (par exemple au DGS) : elles restent où elles sont"
        ));
    }
    let dir_de = |id: &str| directions.iter().position(|d| d.id == id);
    // Priorities.
    let mut priorites = Vec::new();
    for (i, pr) in p.priorites.iter().enumerate() {
        let mut ds = BTreeSet::new();
        for id in &pr.directions {
            match dir_de(id) {
                Some(d) => {
                    ds.insert(d);
                }
                None => diags.push(erreur(
                    fichier,
                    pr.ligne,
                    &format!("reorganisation.priorites[{}].directions", i + 1),
                    format!(
                        "la priorité « {} » nomme « {id} », qui n'est pas une direction rattachée à une DGA de l'organigramme",
                        pr.id
                    ),
                    "donnez l'id d'une ligne de niveau direction dont le parent est une DGA",
                )),
            }
        }
        for dom in &pr.domaines {
            if !table.connu(dom) {
                diags.push(erreur(
                    fichier,
                    pr.ligne,
                    &format!("reorganisation.priorites[{}].domaines", i + 1),
                    format!("la priorité « {} » nomme le domaine inconnu « {dom} »", pr.id),
                    "donnez une clé ou un libellé de la table des domaines (docs/formats.md, « Domaines »)",
                ));
                continue;
            }
            let avant = ds.len();
            ds.extend(
                (0..directions.len()).filter(|&d| table.contient(s, directions[d].noeud, dom)),
            );
            if ds.len() == avant {
                avertissements.push(format!(
                    "le domaine « {dom} » de la priorité « {} » ne désigne aucune direction de plus",
                    pr.id
                ));
            }
        }
        if ds.is_empty() && diags.is_empty() {
            avertissements.push(format!(
                "la priorité « {} » ne rassemble aucune direction : elle est ignorée",
                pr.id
            ));
        }
        priorites.push(PrioriteR {
            id: pr.id.clone(),
            nom: pr.nom.clone(),
            directions: ds.into_iter().collect(),
        });
    }
    if p.nouvelles_dga > 0 {
        for (i, pr) in p.priorites.iter().enumerate() {
            if pr.nouvelle_dga && !priorites[i].directions.is_empty() {
                dgas.push(Dga {
                    noeud: None,
                    id: format!("{PREFIXE_NOUVELLE_DGA}{}", pr.id),
                    libelle: format!("Pôle {}", pr.nom),
                    priorite: Some(i),
                    groupes_fixes: Vec::new(),
                });
            }
        }
    }
    let mut verrous = Vec::new();
    for (i, v) in p.verrous.iter().enumerate() {
        let d = dir_de(&v.direction);
        let k = dgas.iter().position(|k| k.id == v.dga);
        match (d, k) {
            (Some(direction), Some(dga)) => verrous.push(Verrou {
                direction,
                dga,
                ligne: v.ligne,
            }),
            (None, _) => diags.push(erreur(
                fichier,
                v.ligne,
                &format!("reorganisation.verrous[{}].direction", i + 1),
                format!(
                    "le verrou nomme « {} », qui n'est pas une direction rattachée à une DGA",
                    v.direction
                ),
                "donnez l'id d'une ligne de niveau direction dont le parent est une DGA",
            )),
            (_, None) => diags.push(erreur(
                fichier,
                v.ligne,
                &format!("reorganisation.verrous[{}].dga", i + 1),
                format!("le verrou nomme la DGA inconnue « {} »", v.dga),
                "donnez l'id d'une DGA de l'organigramme, ou DGA-NOUV-<priorité> pour une priorité qui peut avoir sa DGA (avec nouvelles_dga ≥ 1)",
            )),
        }
    }
    if !diags.is_empty() {
        return Err(IngestError::new(diags));
    }
    // Functional links between directions (D002), de-duplicated.
    let mut liens = BTreeSet::new();
    let position: std::collections::BTreeMap<NodeIx, usize> = directions
        .iter()
        .enumerate()
        .map(|(i, d)| (d.noeud, i))
        .collect();
    let direction_de = |n: NodeIx| -> Option<usize> {
        std::iter::once(n)
            .chain(org.ancetres(n))
            .find_map(|a| position.get(&a).copied())
    };
    for (a, dir) in directions.iter().enumerate() {
        for n in org.sous_arbre(dir.noeud) {
            for &m in &org.noeud(n).secondaires {
                if let Some(b) = direction_de(m)
                    && b != a
                {
                    liens.insert((a.min(b), a.max(b)));
                }
            }
        }
    }
    let premier = p.premier_seminaire.unwrap_or_else(|| {
        s.params
            .date
            .checked_add_months(Months::new(p.intervalle_mois))
            .unwrap_or(s.params.date)
    });
    let dates = (0..p.etapes)
        .map(|t| {
            premier
                .checked_add_months(Months::new(t * p.intervalle_mois))
                .unwrap_or(premier)
        })
        .collect();
    let total: f64 = directions.iter().map(|d| d.agents).sum();
    let cap_etape = p.agents_par_etape.unwrap_or_else(|| (total * 0.10).round());
    let nb_existantes = dgas.iter().filter(|k| k.priorite.is_none()).count();
    let cible = directions.len() as f64 / nb_existantes.max(1) as f64;
    Ok(Donnees {
        directions,
        dgas,
        groupes,
        priorites,
        liens: liens.into_iter().collect(),
        verrous,
        cap_mandat: p.agents_mandat,
        params: p,
        dates,
        cap_etape,
        cible,
        avertissements,
    })
}
