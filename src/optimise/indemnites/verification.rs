//! The independent checker: recomputes every legal rule (and the policy) on an allocation,
//! with exact decimals and the law module only — no good_lp, no model row. An allocation that
//! fails a legal rule is refused.
//!
//! In: the scenario and the voted rates (id → % of the terme de référence). Out: every
//! violation found. The legal part is also cross-checked with
//! [`crate::law::verifier_composition`] (written independently, on the law branch) run on a
//! copy of the scenario whose `taux_actuel` are the new rates.

use super::donnees::population_deleguee;
use crate::law::bareme::{taux_adjoint, taux_maire};
use crate::law::{
    Bareme, Commune, Gravite, LawError, Perimetre, enveloppe, perimetre, plafond_ecretement,
    plafond_l2113_19, verifier_composition,
};
use crate::model::{Fonction, Scenario};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Tolerance on policy rules, in points: rates are truncated to the hundredth after solving.
pub const TOLERANCE_POLITIQUE: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// One rule broken by an allocation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// Article or `[indemnites]` key.
    pub regle: String,
    /// True for a rule of law (the allocation is refused).
    pub legale: bool,
    /// Élu·e concerned, if one.
    pub elu: Option<String>,
    /// What is wrong (French).
    pub message: String,
}

fn legale(regle: &str, elu: Option<&str>, message: String) -> Violation {
    Violation {
        regle: regle.to_string(),
        legale: true,
        elu: elu.map(str::to_string),
        message,
    }
}

fn politique(regle: &str, elu: Option<&str>, message: String) -> Violation {
    Violation {
        legale: false,
        ..legale(regle, elu, message)
    }
}

/// Checks `taux` (id → rate in %, unlisted = unpaid) against the law at the scenario's date and
/// the scenario's `[indemnites]` policy. Returns every violation (empty = lawful and faithful).
pub fn verifier(
    s: &Scenario,
    taux: &BTreeMap<String, Decimal>,
) -> Result<Vec<Violation>, LawError> {
    let p = &s.params;
    let ind = &p.indemnites;
    let mut v = Vec::new();
    let t = |id: &str| taux.get(id).copied().unwrap_or(Decimal::ZERO);
    let commune = Commune::du_scenario(s)?;
    let b = Bareme::pour(&commune)?;
    // L2123-23 last paragraph: the maire's +40 %, when the policy asks for it.
    let raise = if ind.majoration_maire && ind.taux_maire.is_none() {
        b.majoration_maire(&commune)
    } else {
        None
    };
    let delegues: BTreeSet<usize> = s.elus_delegues();
    let maire = s
        .elus
        .iter()
        .find(|e| e.fonction == Fonction::Maire)
        .map(|e| t(&e.id));

    for (i, e) in s.elus.iter().enumerate() {
        let x = t(&e.id);
        if x < Decimal::ZERO {
            v.push(legale(
                "taux négatif",
                Some(&e.id),
                format!("{} : taux négatif", e.id),
            ));
        }
        if x <= Decimal::ZERO {
            continue;
        }
        let (plafond, article) = match e.fonction {
            Fonction::Maire => (b.taux_maire + raise.unwrap_or_default(), "CGCT L2123-23"),
            Fonction::Adjoint if commune.plm.is_some() => {
                (b.taux_adjoint.min(b.taux_maire), "CGCT L2511-34")
            }
            Fonction::Adjoint => (b.taux_maire, "CGCT L2123-24 IV"),
            Fonction::ConseillerDelegue => (b.taux_maire, "CGCT L2123-24-1 V"),
            Fonction::Conseiller => (b.taux_conseiller, "CGCT L2123-24-1 I et II"),
            Fonction::MaireArrondissement => (
                commune
                    .plm
                    .map_or(Decimal::ZERO, |p| p.taux_maire_arrondissement()),
                "CGCT L2511-35",
            ),
            Fonction::AdjointArrondissement => (
                commune
                    .plm
                    .map_or(Decimal::ZERO, |p| p.taux_adjoint_arrondissement()),
                "CGCT L2511-35",
            ),
            Fonction::MaireDelegue => (
                taux_maire(
                    b.regime,
                    population_deleguee(s, e).unwrap_or(p.population_totale),
                ),
                "CGCT L2113-19",
            ),
            Fonction::AdjointMaireDelegue => (
                taux_adjoint(
                    b.regime,
                    population_deleguee(s, e).unwrap_or(p.population_totale),
                ),
                "CGCT L2113-19",
            ),
        };
        if x > plafond {
            v.push(legale(
                article,
                Some(&e.id),
                format!("{} : {x} % au-dessus du plafond de {plafond} %", e.id),
            ));
        }
        if matches!(e.fonction, Fonction::Adjoint | Fonction::ConseillerDelegue)
            && !delegues.contains(&i)
        {
            v.push(legale(
                "CGCT L2123-24 ; L2123-24-1 III",
                Some(&e.id),
                format!("{} : indemnisé·e sans délégation effective", e.id),
            ));
        }
        if e.fonction == Fonction::Adjoint
            && let Some(m) = maire
            && x > m
        {
            v.push(legale(
                "CGCT L2123-24 IV",
                Some(&e.id),
                format!("{} : {x} % au-dessus de l'indemnité du maire ({m} %)", e.id),
            ));
        }
        if ind.ecretement
            && let (Some(autres), Ok(cap)) = (e.autres_indemnites_eur, plafond_ecretement(p.date))
        {
            let autres = crate::law::decimal_depuis_f64("autres_indemnites_eur", autres)?;
            // L2123-20 II: the total, majorations (L2123-22) included.
            let pop = if e.est_de_commune_deleguee() {
                population_deleguee(s, e)
            } else {
                None
            };
            let maj = crate::law::majoration(&commune, e.fonction, x, pop)?;
            let montant = b.reference.montant(x) + maj.montant_total_eur;
            if montant + autres > cap {
                v.push(legale(
                    "CGCT L2123-20 II",
                    Some(&e.id),
                    format!(
                        "{} : {montant} € + {autres} € d'autres mandats au-dessus de {cap} €",
                        e.id
                    ),
                ));
            }
        }
    }

    // L2123-24 II.
    let adj = s
        .elus
        .iter()
        .enumerate()
        .filter(|(i, e)| e.fonction == Fonction::Adjoint && delegues.contains(i))
        .count();
    let env = enveloppe(&commune, u32::try_from(adj).unwrap_or(u32::MAX))?;
    let dedans: Decimal = s
        .elus
        .iter()
        .filter(|e| perimetre(e.fonction, p.population_totale).perimetre == Perimetre::Enveloppe)
        .map(|e| match (e.fonction, raise) {
            // the raise of L2123-23 last paragraph is outside the enveloppe
            (Fonction::Maire, Some(_)) => t(&e.id).min(b.taux_maire),
            _ => t(&e.id),
        })
        .sum();
    if raise.is_some() {
        let hors: Vec<&crate::model::Elu> = s
            .elus
            .iter()
            .filter(|e| {
                perimetre(e.fonction, p.population_totale).perimetre == Perimetre::HorsEnveloppe
            })
            .collect();
        let maxima = env.taux_total + b.taux_conseiller * Decimal::from(hors.len());
        let total: Decimal = s
            .elus
            .iter()
            .filter(|e| {
                matches!(
                    perimetre(e.fonction, p.population_totale).perimetre,
                    Perimetre::Enveloppe | Perimetre::HorsEnveloppe
                )
            })
            .map(|e| t(&e.id))
            .sum();
        if total > maxima {
            v.push(legale(
                "CGCT L2123-23",
                None,
                format!("total {total} % au-dessus des indemnités maximales du conseil ({maxima} %) avec la majoration du maire"),
            ));
        }
    }
    if dedans > env.taux_total {
        v.push(legale(
            env.article,
            None,
            format!(
                "total {dedans} % au-dessus de l'enveloppe de {} %",
                env.taux_total
            ),
        ));
    }
    // L2113-19.
    let pops: Vec<u32> = s
        .elus
        .iter()
        .filter(|e| e.fonction == Fonction::MaireDelegue)
        .map(|e| population_deleguee(s, e).unwrap_or(p.population_totale))
        .collect();
    if !pops.is_empty() {
        let nb = s
            .elus
            .iter()
            .filter(|e| e.fonction == Fonction::Adjoint)
            .count();
        let cap = plafond_l2113_19(
            p.date,
            p.population_totale,
            u32::try_from(nb).unwrap_or(u32::MAX),
            &pops,
        )?;
        let somme: Decimal = s
            .elus
            .iter()
            .filter(|e| matches!(e.fonction, Fonction::Adjoint | Fonction::MaireDelegue))
            .map(|e| t(&e.id))
            .sum();
        if somme > cap.taux_total {
            v.push(legale(
                "CGCT L2113-19",
                None,
                format!(
                    "adjoint·es + maires délégué·es : {somme} % au-dessus de {} %",
                    cap.taux_total
                ),
            ));
        }
    }
    // Cross-check with the law module's own verification of voted rates.
    let mut copie = s.clone();
    for e in &mut copie.elus {
        e.taux_actuel = taux.get(&e.id).and_then(|d| d.to_f64());
    }
    for f in verifier_composition(&copie) {
        let ecretement = f.code == "L010" && ind.ecretement;
        if (matches!(f.code, "L007" | "L008" | "L009") && f.gravite == Gravite::Erreur)
            || ecretement
        {
            v.push(legale(
                f.article,
                f.sujets.first().map(String::as_str),
                f.message,
            ));
        }
    }

    // Policy.
    let part = crate::law::decimal_depuis_f64("part_enveloppe", ind.part_enveloppe)?;
    if dedans > env.taux_total * part / Decimal::ONE_HUNDRED {
        v.push(politique(
            "part_enveloppe",
            None,
            format!("total {dedans} % au-delà de {part} % de l'enveloppe"),
        ));
    }
    let plancher = crate::law::decimal_depuis_f64("plancher", ind.plancher)?;
    let payes: Vec<Decimal> = s
        .elus
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            matches!(e.fonction, Fonction::Adjoint | Fonction::ConseillerDelegue)
                && delegues.contains(i)
        })
        .map(|(_, e)| {
            let x = t(&e.id);
            if x + TOLERANCE_POLITIQUE < plancher {
                v.push(politique(
                    "plancher",
                    Some(&e.id),
                    format!("{} : {x} % sous le plancher de {plancher} %", e.id),
                ));
            }
            x
        })
        .collect();
    if let (Some(r), Some(max), Some(min)) = (
        ind.ratio_max,
        payes.iter().max().copied(),
        payes.iter().min().copied(),
    ) {
        let r = crate::law::decimal_depuis_f64("ratio_max", r)?;
        if max > r * (min + TOLERANCE_POLITIQUE) {
            v.push(politique(
                "ratio_max",
                None,
                format!("plus haut {max} % > {r} × plus bas {min} %"),
            ));
        }
    }
    Ok(v)
}
