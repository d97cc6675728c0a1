//! The whole pipeline on one scenario, and the state the browsers show.
//!
//! In: a [`Scenario`]. Out: an [`Evaluation`] (the analysis, the one attribution per porteur, the
//! indemnités allocation) and its JSON face [`Etat`], the body of `GET /api/etat` and of every
//! live event.

use super::ErreurSeminaire;
use crate::analyse::{Analyse, Charge, Finding, Porteur, porteur_de};
use crate::model::Scenario;
use crate::optimise::indemnites::{Allocation, Totaux};
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// The results of the pipeline on one scenario.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Findings and metrics.
    pub analyse: Analyse,
    /// Staff, budget and services per porteur (the one attribution).
    pub porteurs: BTreeMap<Porteur, Charge>,
    /// Porteur of each node's own staff: (porteur id, share), empty for an orphan.
    pub porteur_noeud: Vec<Vec<(String, f64)>>,
    /// The indemnités allocation.
    pub allocation: Allocation,
    /// Time the pipeline took.
    pub duree: Duration,
}

/// Runs the library's pipeline ([`crate::pipeline::executer`]: analysis, attribution,
/// indemnités allocation). An infeasible allocation is an error
/// ([`ErreurSeminaire::Indemnites`], carrying the pipeline's error).
pub fn evaluer(s: &Scenario) -> Result<Evaluation, ErreurSeminaire> {
    let debut = Instant::now();
    let demande = crate::pipeline::Demande {
        indemnites: true,
        ..Default::default()
    };
    let r = crate::pipeline::executer(s, &demande, &crate::optimise::Suivi::muet())
        .map_err(ErreurSeminaire::Indemnites)?;
    let porteurs = r.attribution.par_porteur();
    let porteur_noeud = (0..s.organigramme.len())
        .map(|x| {
            let mut m: BTreeMap<String, f64> = BTreeMap::new();
            for &(e, f) in r.attribution.parts(x) {
                *m.entry(porteur_de(s, e).id().to_string()).or_default() += f;
            }
            m.into_iter().collect()
        })
        .collect();
    let Some(indemnites) = r.indemnites else {
        // `executer` computes the allocation whenever it is asked for.
        return Err(ErreurSeminaire::Indemnites(
            crate::erreur::Erreur::Optimisation(crate::optimise::Echec::Solveur(
                "répartition des indemnités non calculée".into(),
            )),
        ));
    };
    Ok(Evaluation {
        analyse: r.analyse,
        porteurs,
        porteur_noeud,
        allocation: indemnites.allocation,
        duree: debut.elapsed(),
    })
}

/// Counts of findings by severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Nombres {
    /// Erreurs.
    pub erreur: usize,
    /// Alertes.
    pub alerte: usize,
    /// Infos.
    pub info: usize,
}

impl Nombres {
    /// Counts of an analysis.
    pub fn de(a: &Analyse) -> Nombres {
        use crate::analyse::Gravite;
        Nombres {
            erreur: a.nombre(Gravite::Erreur),
            alerte: a.nombre(Gravite::Alerte),
            info: a.nombre(Gravite::Info),
        }
    }
}

/// A member of a group, as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MembreEtat {
    /// Élu·e id.
    pub id: String,
    /// "Prénom Nom".
    pub nom: String,
    /// Function code (`adjoint`, `conseiller_delegue`…).
    pub fonction: &'static str,
    /// True for the group's chef·fe de file.
    pub chef: bool,
}

/// A group and what it pilots (the one attribution).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupeEtat {
    /// Group id.
    pub id: String,
    /// Members, the chef·fe de file first.
    pub membres: Vec<MembreEtat>,
    /// Staff piloted (ETP).
    pub effectif: f64,
    /// Budget piloted (€ a year).
    pub budget: f64,
    /// Services piloted.
    pub services: usize,
}

/// A node of the organigramme, as drawn.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoeudEtat {
    /// Node id.
    pub id: String,
    /// Label.
    pub libelle: String,
    /// Parent id.
    pub parent: Option<String>,
    /// Level code (`DGS`, `DGA`, `direction`, `service`…).
    pub niveau: &'static str,
    /// Own staff (ETP).
    pub effectif: f64,
    /// Porteurs (group or élu·e ids) of the node's own staff, with their shares.
    pub porteurs: Vec<(String, f64)>,
}

/// A délégation, as listed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DelegationEtat {
    /// Élu·e id.
    pub elu: String,
    /// Node id.
    pub noeud: String,
    /// `pilote` or `appui`.
    pub role: &'static str,
}

/// One paid élu·e, as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LigneEtat {
    /// Élu·e id.
    pub id: String,
    /// "Prénom Nom".
    pub nom: String,
    /// Group.
    pub groupe: Option<String>,
    /// Rate, % of the terme de référence.
    pub taux_pct: rust_decimal::Decimal,
    /// Monthly total with majoration, €.
    pub total_mensuel_eur: rust_decimal::Decimal,
    /// Monthly net before income tax, € (issue 27 item 7; `None` before 2024).
    pub net_mensuel_eur: Option<rust_decimal::Decimal>,
    /// Monthly cost with the employer's contributions, €.
    pub cout_mensuel_eur: Option<rust_decimal::Decimal>,
}

/// The indemnités, as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndemnitesEtat {
    /// Policy code.
    pub politique: &'static str,
    /// Alpha.
    pub alpha: f64,
    /// Floor, %.
    pub plancher: f64,
    /// Ratio, if any.
    pub ratio_max: Option<f64>,
    /// Totals of the allocation (with `charges`: cost with charges, nets, training budget).
    pub totaux: Totaux,
    /// The one line the page may show: annual cost with charges, € (`None` before 2024).
    pub cout_charge_annuel_eur: Option<rust_decimal::Decimal>,
    /// Paid élu·es, in input order.
    pub lignes: Vec<LigneEtat>,
}

/// A finding, as shown: its fields, and the link to its entry in the user guide.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstatEtat {
    /// The finding.
    #[serde(flatten)]
    pub finding: Finding,
    /// Its entry in the guide, relative to the page (`guide/constats.html#D001`, served by
    /// `GET /guide/{page}`): [`crate::guide::lien_guide`], the link the reports write.
    pub guide: String,
}

impl ConstatEtat {
    /// A finding and its guide link.
    pub fn de(f: &Finding) -> ConstatEtat {
        ConstatEtat {
            guide: crate::guide::lien_guide(&f.code),
            finding: f.clone(),
        }
    }
}

/// The state of the séminaire: the body of `GET /api/etat` and of every live event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Etat {
    /// Number of changes applied since the start (undo lowers it).
    pub version: u64,
    /// The séance's id: a page that sees another one reloads (a new séance).
    pub seance: String,
    /// Events of the séance so far (changes, undos, redos, notes): never goes back, even
    /// through a restart, so that a page can tell a newer state from an older one.
    pub revision: u64,
    /// Scenario name.
    pub scenario: String,
    /// Findings, most serious first, each with its `code` and its `guide` link.
    pub constats: Vec<ConstatEtat>,
    /// Counts by severity.
    pub nombres: Nombres,
    /// Groups, by id, with their staff.
    pub groupes: Vec<GroupeEtat>,
    /// Élu·es of the majority outside any group who pilot something, as porteurs.
    pub hors_groupe: Vec<GroupeEtat>,
    /// The organigramme, in input order.
    pub organigramme: Vec<NoeudEtat>,
    /// The délégations, in input order.
    pub delegations: Vec<DelegationEtat>,
    /// The indemnités.
    pub indemnites: IndemnitesEtat,
    /// True when a change can be undone.
    pub peut_annuler: bool,
    /// True when an undone change can be redone.
    pub peut_retablir: bool,
    /// Number of entries in the journal.
    pub journal: usize,
    /// The last line of the journal, with its effect in words (the « Dernière modification »
    /// panel every page shows at the top); `null` before the first change.
    pub derniere: Option<super::session::EntreeJournal>,
    /// Time the pipeline took for this state, in milliseconds.
    pub duree_ms: f64,
    /// The input scenario has a `[reorganisation]` table: the page shows the staged path of
    /// the DGA perimeters (`GET /api/reorganisation`) without being asked.
    pub reorganisation: bool,
}

impl Etat {
    /// The state of an evaluated scenario.
    pub fn construire(s: &Scenario, ev: &Evaluation) -> Etat {
        let charge = |p: &Porteur| ev.porteurs.get(p).cloned().unwrap_or_default();
        let membre = |e: usize, chef: bool| MembreEtat {
            id: s.elus[e].id.clone(),
            nom: s.elus[e].nom_complet(),
            fonction: s.elus[e].fonction.code(),
            chef,
        };
        let groupes = s
            .groupes_detail()
            .into_iter()
            .map(|g| {
                let c = charge(&Porteur::Groupe(g.id.clone()));
                GroupeEtat {
                    membres: g
                        .membres
                        .iter()
                        .map(|&e| membre(e, g.est_chef(e)))
                        .collect(),
                    id: g.id,
                    effectif: c.effectif,
                    budget: c.budget,
                    services: c.services,
                }
            })
            .collect();
        let hors_groupe = s
            .elus
            .iter()
            .enumerate()
            .filter(|(_, e)| e.groupe.is_none())
            .filter_map(|(i, e)| {
                let c = ev.porteurs.get(&Porteur::Elu(e.id.clone()))?;
                Some(GroupeEtat {
                    id: e.id.clone(),
                    membres: vec![membre(i, false)],
                    effectif: c.effectif,
                    budget: c.budget,
                    services: c.services,
                })
            })
            .collect();
        let org = &s.organigramme;
        let organigramme = org
            .noeuds
            .iter()
            .enumerate()
            .map(|(x, n)| NoeudEtat {
                id: n.id.clone(),
                libelle: n.libelle.clone(),
                parent: n.parent.map(|p| org.noeud(p).id.clone()),
                niveau: n.niveau.code(),
                effectif: n.effectif,
                porteurs: ev.porteur_noeud.get(x).cloned().unwrap_or_default(),
            })
            .collect();
        let delegations = s
            .delegations
            .iter()
            .map(|d| DelegationEtat {
                elu: s.elus[d.elu].id.clone(),
                noeud: org.noeud(d.noeud).id.clone(),
                role: d.role.code(),
            })
            .collect();
        let p = &s.params.indemnites;
        let a = &ev.allocation;
        Etat {
            version: 0,
            seance: String::new(),
            revision: 0,
            scenario: s.params.nom.clone(),
            constats: ev.analyse.constats.iter().map(ConstatEtat::de).collect(),
            nombres: Nombres::de(&ev.analyse),
            groupes,
            hors_groupe,
            organigramme,
            delegations,
            indemnites: IndemnitesEtat {
                politique: super::modification::politique_code(p.politique),
                alpha: p.alpha,
                plancher: p.plancher,
                ratio_max: p.ratio_max,
                totaux: a.totaux.clone(),
                cout_charge_annuel_eur: a.totaux.charges.as_ref().map(|c| c.cout_annuel_eur),
                lignes: a
                    .lignes
                    .iter()
                    .map(|l| LigneEtat {
                        id: l.id.clone(),
                        nom: l.nom.clone(),
                        groupe: l.groupe.clone(),
                        taux_pct: l.taux_pct,
                        total_mensuel_eur: l.total_mensuel_eur,
                        net_mensuel_eur: l.cout.as_ref().map(|c| c.net_mensuel_eur),
                        cout_mensuel_eur: l.cout.as_ref().map(|c| c.cout_mensuel_eur),
                    })
                    .collect(),
            },
            peut_annuler: false,
            peut_retablir: false,
            journal: 0,
            derniere: None,
            duree_ms: ev.duree.as_secs_f64() * 1000.0,
            reorganisation: false,
        }
    }
}
