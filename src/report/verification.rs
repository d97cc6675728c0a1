//! The French summary printed by `collegia verifier`.

use super::format::{date, euros, nombre, pluriel};
use crate::model::{Fonction, Liste, Niveau, Role, Scenario};
use std::fmt::Write;

/// Counts describing a loaded scenario (plain data, rendered by [`render`]).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Resume {
    /// Scenario name.
    pub nom: String,
    /// Nodes per level, top-down.
    pub noeuds_par_niveau: Vec<(Niveau, usize)>,
    /// Élu·es per function.
    pub elus_par_fonction: Vec<(Fonction, usize)>,
    /// Élu·es of the majority.
    pub majorite: usize,
    /// Élu·es of the opposition.
    pub opposition: usize,
    /// Number of groups, and how many have 1, 2, 3, 4, 5+ members.
    pub groupes: usize,
    /// Group sizes histogram: index 0 = 1 member … index 4 = 5 or more.
    pub tailles_groupes: [usize; 5],
    /// Délégations as pilote.
    pub pilotes: usize,
    /// Délégations as appui.
    pub appuis: usize,
    /// Total staff (ETP).
    pub effectif: f64,
    /// Total budget (€).
    pub budget: f64,
}

/// Computes the summary of a scenario.
pub fn resume(s: &Scenario) -> Resume {
    let groupes = s.groupes();
    let mut tailles = [0usize; 5];
    for m in groupes.values() {
        tailles[m.len().clamp(1, 5) - 1] += 1;
    }
    let org = &s.organigramme;
    Resume {
        nom: s.params.nom.clone(),
        noeuds_par_niveau: org.compte_par_niveau(),
        elus_par_fonction: s.compte_par_fonction(),
        majorite: s.elus.iter().filter(|e| e.liste == Liste::Majorite).count(),
        opposition: s
            .elus
            .iter()
            .filter(|e| e.liste == Liste::Opposition)
            .count(),
        groupes: groupes.len(),
        tailles_groupes: tailles,
        pilotes: s
            .delegations
            .iter()
            .filter(|d| d.role == Role::Pilote)
            .count(),
        appuis: s
            .delegations
            .iter()
            .filter(|d| d.role == Role::Appui)
            .count(),
        effectif: org.noeuds.iter().map(|n| n.effectif).sum(),
        budget: org.noeuds.iter().map(|n| n.budget).sum(),
    }
}

fn niveau_pluriel(n: Niveau, k: usize) -> String {
    match n {
        Niveau::Dgs => pluriel(k, "DGS", "DGS"),
        Niveau::Dga => pluriel(k, "DGA", "DGA"),
        Niveau::Direction => pluriel(k, "direction", "directions"),
        Niveau::Service => pluriel(k, "service", "services"),
        Niveau::Unite => pluriel(k, "unité", "unités"),
    }
}

/// Renders the summary of `collegia verifier` in French.
pub fn render(s: &Scenario, dossier: &str) -> String {
    let r = resume(s);
    let p = &s.params;
    let mut o = String::new();
    let _ = writeln!(o, "Scénario « {} » ({dossier})", r.nom);
    let mut ligne = format!(
        "  Date d'application : {} ; population totale {}, municipale {}",
        date(p.date),
        nombre(f64::from(p.population_totale), 0),
        nombre(f64::from(p.population_municipale), 0)
    );
    if p.commune_nouvelle {
        let _ = write!(
            ligne,
            " ; commune nouvelle ({})",
            pluriel(
                p.communes_deleguees.len(),
                "commune déléguée",
                "communes déléguées"
            )
        );
    }
    let _ = writeln!(o, "{ligne}");
    let niveaux: Vec<String> = r
        .noeuds_par_niveau
        .iter()
        .filter(|(_, k)| *k > 0)
        .map(|&(n, k)| niveau_pluriel(n, k))
        .collect();
    let _ = writeln!(
        o,
        "  Organigramme : {} ({}) ; {} ETP ; budget {}",
        pluriel(s.organigramme.len(), "nœud", "nœuds"),
        niveaux.join(", "),
        nombre(r.effectif, 1),
        euros(r.budget)
    );
    let fonctions: Vec<String> = r
        .elus_par_fonction
        .iter()
        .filter(|(_, k)| *k > 0)
        .map(|&(f, k)| {
            format!(
                "{} {}",
                k,
                if k > 1 {
                    f.libelle_pluriel()
                } else {
                    f.libelle()
                }
            )
        })
        .collect();
    let _ = writeln!(
        o,
        "  Élu·es : {} ({}) ; {} de la majorité, {} de l'opposition",
        s.elus.len(),
        fonctions.join(", "),
        r.majorite,
        r.opposition
    );
    let t = r.tailles_groupes;
    let mut tailles = Vec::new();
    for (i, lib) in [
        "d'un·e seul·e membre",
        "binôme",
        "de 3",
        "de 4",
        "de 5 ou plus",
    ]
    .iter()
    .enumerate()
    {
        if t[i] > 0 {
            tailles.push(match i {
                1 => pluriel(t[i], "binôme", "binômes"),
                _ => format!("{} {lib}", pluriel(t[i], "groupe", "groupes")),
            });
        }
    }
    let _ = writeln!(
        o,
        "  Groupes : {}{}",
        r.groupes,
        if tailles.is_empty() {
            String::new()
        } else {
            format!(" ({})", tailles.join(", "))
        }
    );
    let _ = writeln!(
        o,
        "  Délégations : {} ({} en pilote, {} en appui)",
        s.delegations.len(),
        r.pilotes,
        r.appuis
    );
    o
}
