//! What a change did, in words: the « Dernière modification » panel every page shows at the top,
//! and the preview of the optimiser's proposal and of each point of the front.
//!
//! In: the scenario and evaluation before and after a step (and, for a change a solver made, the
//! sentences of [`crate::report::redaction::decrire_changements`], the one wording the terminal
//! and the deck use). Out: an [`Effet`]: what moved (units, élu·es, délégations), who gains and
//! who loses in indemnités, and the cost, each a French sentence. Same inputs, same sentences.

use super::etat::Evaluation;
use crate::format::euros;
use crate::model::{Role, Scenario};
use crate::optimise::indemnites::en_f64;
use crate::report::redaction::avec_article;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Most sentences of one list; the rest is counted (« … et 12 autres »).
const MAX_PHRASES: usize = 25;

/// The effect of one step, in words.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Effet {
    /// What moved: units that change group, élu·es who change group, délégations made,
    /// removed or made appui.
    pub mouvements: Vec<String>,
    /// Who gains and who loses in indemnités (monthly, majorations included), largest first.
    pub indemnites: Vec<String>,
    /// The annual cost of the indemnités, before → after.
    pub cout: String,
}

/// Caps a list at [`MAX_PHRASES`], counting the rest.
fn borner(mut v: Vec<String>) -> Vec<String> {
    if v.len() > MAX_PHRASES {
        let reste = v.len() - (MAX_PHRASES - 1);
        v.truncate(MAX_PHRASES - 1);
        v.push(format!("… et {reste} autres"));
    }
    v
}

/// Staff of a node's subtree (ETP).
fn effectif_total(s: &Scenario, x: usize) -> f64 {
    s.organigramme
        .sous_arbre(x)
        .iter()
        .map(|&n| s.organigramme.noeud(n).effectif)
        .sum()
}

/// The porteur (group or élu·e id) with the largest share of a node's own staff.
fn meneur(ev: &Evaluation, x: usize) -> Option<&str> {
    ev.porteur_noeud
        .get(x)?
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
        .map(|(p, _)| p.as_str())
}

fn porteur_lu(p: Option<&str>) -> String {
    match p {
        Some(p) => format!("de {p}"),
        None => "sans pilote".into(),
    }
}

fn unite(s: &Scenario, x: usize) -> String {
    let n = s.organigramme.noeud(x);
    format!("{} ({})", avec_article(&n.libelle), n.id)
}

fn elu(s: &Scenario, e: usize) -> String {
    format!("{} ({})", s.elus[e].nom_complet(), s.elus[e].id)
}

/// What moved between two scenarios, found by comparing them: the top-most units whose leading
/// porteur changed, the élu·es who changed group, the délégations made, removed or made appui.
pub fn mouvements(av: &Scenario, ea: &Evaluation, ap: &Scenario, eb: &Evaluation) -> Vec<String> {
    let mut out = Vec::new();
    let org = &ap.organigramme;
    let change = |x: usize| meneur(ea, x) != meneur(eb, x);
    for x in 0..org.len() {
        if !change(x) {
            continue;
        }
        // Only the top of a subtree that moved together.
        let parent_pareil = org.noeud(x).parent.is_some_and(|p| {
            change(p) && meneur(ea, p) == meneur(ea, x) && meneur(eb, p) == meneur(eb, x)
        });
        if parent_pareil {
            continue;
        }
        let total = effectif_total(ap, x);
        let (a, b) = (meneur(ea, x), meneur(eb, x));
        out.push(match b {
            Some(b) => format!(
                "{} passe {} à {b} ; {} ETP au total",
                unite(ap, x),
                porteur_lu(a),
                crate::format::nombre(total, 1)
            ),
            None => format!(
                "{} n'a plus de pilote (elle était {}) ; {} ETP au total",
                unite(ap, x),
                porteur_lu(a),
                crate::format::nombre(total, 1)
            ),
        });
    }
    for (e, (x, y)) in av.elus.iter().zip(&ap.elus).enumerate() {
        if x.groupe != y.groupe {
            out.push(match (&x.groupe, &y.groupe) {
                (Some(a), Some(b)) => format!("{} passe du groupe {a} au groupe {b}", elu(ap, e)),
                (None, Some(b)) => format!("{} rejoint le groupe {b}", elu(ap, e)),
                (Some(a), None) => format!("{} quitte le groupe {a}", elu(ap, e)),
                (None, None) => continue,
            });
        }
    }
    let cles = |s: &Scenario| -> BTreeMap<(usize, usize), Role> {
        s.delegations
            .iter()
            .map(|d| ((d.elu, d.noeud), d.role))
            .collect()
    };
    let (da, db) = (cles(av), cles(ap));
    for (&(e, x), &r) in &db {
        match (da.get(&(e, x)), r) {
            (Some(Role::Pilote), Role::Appui) => out.push(format!(
                "la délégation de {} sur {} passe en appui",
                elu(ap, e),
                unite(ap, x)
            )),
            (Some(Role::Appui), Role::Pilote) => out.push(format!(
                "{} pilote désormais {} (son appui devient pilote)",
                elu(ap, e),
                unite(ap, x)
            )),
            (None, Role::Pilote) => {
                out.push(format!("{} pilote désormais {}", elu(ap, e), unite(ap, x)))
            }
            (None, Role::Appui) => out.push(format!(
                "{} reçoit un appui sur {}",
                elu(ap, e),
                unite(ap, x)
            )),
            _ => {}
        }
    }
    for (&(e, x), &r) in &da {
        if !db.contains_key(&(e, x)) {
            out.push(format!(
                "{} perd sa délégation {} sur {}",
                elu(av, e),
                if r == Role::Pilote {
                    "pilote"
                } else {
                    "d'appui"
                },
                unite(av, x)
            ));
        }
    }
    out
}

fn signe(d: Decimal) -> String {
    if d > Decimal::ZERO {
        format!("+{}", euros(en_f64(d)))
    } else {
        format!("−{}", euros(en_f64(-d)))
    }
}

/// Who gains and who loses in indemnités (monthly total with majorations), largest change
/// first, gains then losses, with a count first.
pub fn indemnites(ea: &Evaluation, eb: &Evaluation) -> Vec<String> {
    let avant: BTreeMap<&str, Decimal> = ea
        .allocation
        .lignes
        .iter()
        .map(|l| (l.id.as_str(), l.total_mensuel_eur))
        .collect();
    let mut gains = Vec::new();
    let mut pertes = Vec::new();
    for l in &eb.allocation.lignes {
        let a = avant.get(l.id.as_str()).copied().unwrap_or(Decimal::ZERO);
        let d = l.total_mensuel_eur - a;
        if d.abs() < Decimal::ONE {
            continue;
        }
        let groupe = l
            .groupe
            .as_deref()
            .map(|g| format!(", {g}"))
            .unwrap_or_default();
        let phrase = format!(
            "{} ({}{groupe}) : {} → {} par mois ({})",
            l.nom,
            l.id,
            euros(en_f64(a)),
            euros(en_f64(l.total_mensuel_eur)),
            signe(d)
        );
        if d > Decimal::ZERO {
            gains.push((d, phrase));
        } else {
            pertes.push((d, phrase));
        }
    }
    let apres: std::collections::BTreeSet<&str> =
        eb.allocation.lignes.iter().map(|l| l.id.as_str()).collect();
    for l in &ea.allocation.lignes {
        if !apres.contains(l.id.as_str()) && l.total_mensuel_eur >= Decimal::ONE {
            pertes.push((
                -l.total_mensuel_eur,
                format!(
                    "{} ({}) n'est plus indemnisé·e : {} → 0 € par mois",
                    l.nom,
                    l.id,
                    euros(en_f64(l.total_mensuel_eur))
                ),
            ));
        }
    }
    if gains.is_empty() && pertes.is_empty() {
        return vec!["aucune indemnité ne change".into()];
    }
    gains.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    pertes.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    let (ng, np) = (gains.len(), pertes.len());
    let mut v = vec![format!(
        "{ng} élu·e{} gagne{}, {np} perd{}",
        if ng > 1 { "s" } else { "" },
        if ng > 1 { "nt" } else { "" },
        if np > 1 { "ent" } else { "" }
    )];
    v.extend(gains.into_iter().map(|(_, p)| p));
    v.extend(pertes.into_iter().map(|(_, p)| p));
    borner(v)
}

/// The annual cost of the indemnités, before → after, in words.
pub fn cout(ea: &Evaluation, eb: &Evaluation) -> String {
    let (a, b) = (
        ea.allocation.totaux.annuel_eur,
        eb.allocation.totaux.annuel_eur,
    );
    if a == b {
        format!("coût annuel des indemnités inchangé : {}", euros(en_f64(b)))
    } else {
        format!(
            "coût annuel des indemnités : {} → {} ({} par an)",
            euros(en_f64(a)),
            euros(en_f64(b)),
            signe(b - a)
        )
    }
}

/// The effect of a step. `phrases`: the sentences of a solver-made change
/// ([`crate::report::redaction::decrire_changements`]), used instead of the comparison of the
/// scenarios so that the page says what the terminal and the deck say.
pub fn effet(
    av: &Scenario,
    ea: &Evaluation,
    ap: &Scenario,
    eb: &Evaluation,
    phrases: Option<Vec<String>>,
) -> Effet {
    let mut m = match phrases {
        Some(p) => p,
        None => mouvements(av, ea, ap, eb),
    };
    if m.is_empty() {
        m.push("aucune unité, aucun·e élu·e ni aucune délégation ne change".into());
    }
    Effet {
        mouvements: borner(m),
        indemnites: indemnites(ea, eb),
        cout: cout(ea, eb),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seminaire::{Modification, appliquer, evaluer};

    fn exemple() -> Scenario {
        crate::ingest::load_scenario(std::path::Path::new("data/exemple"))
            .expect("the example loads")
            .scenario
    }

    #[test]
    fn moving_a_unit_says_which_unit_goes_where_with_its_total_staff() {
        let s = exemple();
        let t = appliquer(
            &s,
            &Modification::DeplacerUnite {
                unite: "DIR-PROPRETE".into(),
                groupe: "G09-espaces-publics".into(),
            },
        )
        .expect("applies");
        let (ea, eb) = (evaluer(&s).expect("ev"), evaluer(&t).expect("ev"));
        let e = effet(&s, &ea, &t, &eb, None);
        let x = s.organigramme.find("DIR-PROPRETE").expect("node");
        let total = effectif_total(&s, x);
        assert!(total > s.organigramme.noeud(x).effectif, "a subtree total");
        let ligne = e
            .mouvements
            .iter()
            .find(|m| m.contains("(DIR-PROPRETE)"))
            .unwrap_or_else(|| panic!("{:?}", e.mouvements));
        assert!(ligne.contains("à G09-espaces-publics"), "{ligne}");
        assert!(
            ligne.contains(&format!("{} ETP au total", crate::format::nombre(total, 1))),
            "{ligne}"
        );
        // The services under it moved with it: not listed again.
        assert!(
            !e.mouvements.iter().any(|m| m.contains("(SRV-PROP")),
            "{:?}",
            e.mouvements
        );
    }

    #[test]
    fn a_policy_change_lists_who_gains_and_who_loses_and_the_cost() {
        let s = exemple();
        let t = appliquer(
            &s,
            &Modification::PolitiqueIndemnites {
                alpha: Some(0.0),
                plancher: None,
                ratio_max: None,
                politique: None,
            },
        )
        .expect("applies");
        let (ea, eb) = (evaluer(&s).expect("ev"), evaluer(&t).expect("ev"));
        let e = effet(&s, &ea, &t, &eb, None);
        // Independently: count the élu·es whose monthly total rose by 1 € or more.
        let avant: BTreeMap<&str, Decimal> = ea
            .allocation
            .lignes
            .iter()
            .map(|l| (l.id.as_str(), l.total_mensuel_eur))
            .collect();
        let gagnent = eb
            .allocation
            .lignes
            .iter()
            .filter(|l| l.total_mensuel_eur - avant[l.id.as_str()] >= Decimal::ONE)
            .count();
        assert!(gagnent > 0);
        assert!(
            e.indemnites[0].starts_with(&format!("{gagnent} élu·e")),
            "{:?}",
            e.indemnites
        );
        assert!(
            e.cout.starts_with("coût annuel des indemnités"),
            "{}",
            e.cout
        );
        assert_eq!(
            e.mouvements,
            ["aucune unité, aucun·e élu·e ni aucune délégation ne change"]
        );
    }
}
