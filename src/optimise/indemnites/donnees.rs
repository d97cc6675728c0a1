//! From a scenario to the data of the allocation model: who may be paid, inside which
//! perimeter, under which legal caps (from [`crate::law`], for the scenario's date), with which
//! imposed rate, weight and tier.
//!
//! In: a [`Scenario`]. Out: [`Donnees`], plain data that the model, the checker and the
//! reports read; no solver here.

use super::poids::{Coefficients, Poids, Responsabilite, poids, responsabilites};
use crate::law::{
    Commune, Enveloppe, LawError, PerimetreFonction, Plafond, PlafondCommuneNouvelle,
    TermeReference, arrondi_centime, decimal_depuis_f64, enveloppe, majoration, perimetre,
    plafond_ecretement, plafond_individuel, plafond_l2113_19, terme_reference,
};
use crate::model::{Elu, Fonction, Politique, Scenario};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::BTreeSet;

/// One élu·e who may be paid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Beneficiaire {
    /// Index in [`Scenario::elus`].
    pub elu: usize,
    /// Identifier.
    pub id: String,
    /// Function.
    pub fonction: Fonction,
    /// Inside the enveloppe, outside it, or in the L2113-19 cap (law).
    pub perimetre: PerimetreFonction,
    /// Individual legal cap (law).
    pub plafond: Plafond,
    /// Écrêtement cap on the voted rate in % (L2123-20 II), truncated to the hundredth, when
    /// applied: the rate *plus its majorations* stays within `1,5 × IPB − autres indemnités`.
    pub plafond_ecretement: Option<Decimal>,
    /// Rate imposed rather than optimised (maire, maires délégué·es and their adjoint·es, plain
    /// conseiller·es), with its reason.
    pub taux_impose: Option<(Decimal, String)>,
    /// True for a délégué·e whose rate the policy sets: adjoint·e or conseiller·e délégué·e
    /// holding a délégation.
    pub delegue: bool,
    /// Responsibility figures.
    pub responsabilite: Responsabilite,
    /// Weight (délégué·es only).
    pub poids: Option<Poids>,
    /// Tier (politique `paliers`, délégué·es only), 0 = highest.
    pub palier: Option<usize>,
    /// Population whose stratum applies to majorations (commune déléguée for a maire délégué·e
    /// or an adjoint·e au maire délégué·e).
    pub population_strate: Option<u32>,
}

/// An élu·e who is not paid, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NonIndemnise {
    /// Index in [`Scenario::elus`].
    pub elu: usize,
    /// Identifier.
    pub id: String,
    /// Reason (French).
    pub motif: String,
}

/// The policy of `[indemnites]`, as exact numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Regles {
    /// Policy.
    pub politique: Politique,
    /// Effective blend: 0 for `egalitaire`, 1 for `proportionnelle`, `alpha` otherwise.
    pub alpha: f64,
    /// Share of the enveloppe to use, in %.
    pub part_enveloppe: Decimal,
    /// Floor of every délégué·e, in %.
    pub plancher: Decimal,
    /// Maximum ratio highest / lowest délégué·e.
    pub ratio_max: Option<Decimal>,
    /// Minimum gap between consecutive tiers, in points.
    pub ecart_paliers: Decimal,
    /// Tier thresholds, in multiples of the mean weight.
    pub seuils_paliers: Vec<f64>,
}

/// Everything the allocation model needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Donnees {
    /// Scenario name.
    pub nom: String,
    /// The commune as the law sees it.
    pub commune: Commune,
    /// Terme de référence at the date.
    pub reference: TermeReference,
    /// Enveloppe indemnitaire globale (L2123-24 II).
    pub enveloppe: Enveloppe,
    /// `part_enveloppe × enveloppe`, in %, to the hundredth (truncated).
    pub cible_enveloppe: Decimal,
    /// Separate cap of a commune nouvelle (L2113-19), when it has maires délégué·es.
    pub plafond_cn: Option<PlafondCommuneNouvelle>,
    /// Who may be paid, in input order.
    pub beneficiaires: Vec<Beneficiaire>,
    /// Who is not paid.
    pub non_indemnises: Vec<NonIndemnise>,
    /// Policy.
    pub regles: Regles,
    /// Position of the maire in `beneficiaires`.
    pub maire: Option<usize>,
    /// The maire's raise of 40 % of the barème (L2123-23 last paragraph), in points, when the
    /// policy asks for it (`majoration_maire`) and the commune has 100 000 inhabitants or more:
    /// outside the enveloppe, within `maxima_conseil`.
    pub majoration_maire: Option<Decimal>,
    /// Total of the maximal indemnités of every member without the raise (enveloppe + each
    /// member outside it at their cap), in %: the limit of L2123-23 last paragraph.
    pub maxima_conseil: Decimal,
    /// Remarks on the law applied that the output must show (French).
    pub remarques: Vec<String>,
}

fn tronque(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::ToZero)
}

fn dec(champ: &'static str, v: f64) -> Result<Decimal, LawError> {
    decimal_depuis_f64(champ, v)
}

/// Population of the commune déléguée of a maire délégué·e or an adjoint·e au maire délégué·e,
/// when known.
pub fn population_deleguee(s: &Scenario, e: &Elu) -> Option<u32> {
    let cd = e.commune_deleguee.as_deref()?;
    s.params
        .communes_deleguees
        .iter()
        .find(|c| c.id == cd)
        .map(|c| c.population)
}

/// Builds the model's data from a scenario (law applied at the scenario's date).
pub fn preparer(s: &Scenario) -> Result<Donnees, LawError> {
    let p = &s.params;
    let ind = &p.indemnites;
    let commune = Commune::du_scenario(s)?;
    let reference = terme_reference(p.date)?;
    // A délégation without a service is a délégation (L2123-24, L2123-24-1 III).
    let avec_delegation: BTreeSet<usize> = s.elus_delegues();
    // L2123-24 II, 2019 regime: adjoint·es in office holding a délégation (ignored in 2025).
    let adjoints_delegues = s
        .elus
        .iter()
        .enumerate()
        .filter(|(i, e)| e.fonction == Fonction::Adjoint && avec_delegation.contains(i))
        .count();
    let env = enveloppe(
        &commune,
        u32::try_from(adjoints_delegues).unwrap_or(u32::MAX),
    )?;
    let part = dec("part_enveloppe", ind.part_enveloppe)?;
    let cible_enveloppe = tronque(env.taux_total * part / Decimal::ONE_HUNDRED);
    let taux_maire = match ind.taux_maire {
        Some(t) => Some(dec("taux_maire", t)?),
        None => None,
    };
    let mut remarques = Vec::new();
    // L2123-23 last paragraph: +40 % of the barème from 100 000 inhabitants (option).
    let majoration_maire = if ind.majoration_maire {
        let m = crate::law::Bareme::pour(&commune)?.majoration_maire(&commune);
        match (m, taux_maire) {
            (None, _) => {
                remarques.push("Option majoration_maire ignorée : la majoration de 40 % du barème du maire n'existe que dans les communes de 100 000 habitant·es et plus (L2123-23, dernier alinéa ; pas à Paris, L2511-34-1).".to_string());
                None
            }
            (Some(_), Some(_)) => {
                remarques.push("Option majoration_maire ignorée : un taux du maire est déjà fixé (taux_maire).".to_string());
                None
            }
            (Some(m), None) => Some(m),
        }
    } else {
        None
    };
    let plafond_ecr = plafond_ecretement(p.date).ok();
    let figures = responsabilites(s);

    let mut beneficiaires = Vec::new();
    let mut non_indemnises = Vec::new();
    for (i, e) in s.elus.iter().enumerate() {
        let a_delegation = avec_delegation.contains(&i);
        let pop_cd = population_deleguee(s, e);
        let (impose, delegue) = match e.fonction {
            Fonction::Maire => {
                let bareme = plafond_individuel(&commune, Fonction::Maire, None, None)?.taux;
                // The law lets the maire ask for less than the barème (L2123-23): a current rate
                // below it is what the maire asked for, and is kept unless the policy fixes one.
                let actuel = match (taux_maire, majoration_maire, e.taux_actuel) {
                    (None, None, Some(t)) => {
                        let t = tronque(dec("taux_actuel", t)?);
                        (t > Decimal::ZERO && t < bareme).then_some(t)
                    }
                    _ => None,
                };
                if let Some(t) = actuel {
                    remarques.push(format!(
                        "Taux du maire : son taux actuel ({}) est conservé, au-dessous du barème ({}) — le maire peut demander moins que le barème (L2123-23) ; fixez taux_maire dans [indemnites] pour un autre taux.",
                        crate::law::format_taux(t),
                        crate::law::format_taux(bareme)
                    ));
                }
                let t =
                    taux_maire.or(actuel).unwrap_or(bareme) + majoration_maire.unwrap_or_default();
                let motif = if taux_maire.is_some() {
                    "taux du maire demandé (taux_maire, L2123-23 : inférieur au barème à sa demande)"
                } else if actuel.is_some() {
                    "taux actuel du maire conservé (taux_actuel, L2123-23 : inférieur au barème à sa demande)"
                } else if majoration_maire.is_some() {
                    "barème du maire majoré de 40 % (majoration_maire, L2123-23 dernier alinéa)"
                } else {
                    "barème du maire, de droit (L2123-23)"
                };
                (Some((t, motif.to_string())), false)
            }
            Fonction::MaireDelegue => {
                let cap = plafond_individuel(&commune, Fonction::MaireDelegue, None, pop_cd)?;
                let part_md = dec("part_maires_delegues", ind.part_maires_delegues)?;
                let t = arrondi_centime(cap.taux * part_md / Decimal::ONE_HUNDRED);
                (
                    Some((
                        t,
                        format!(
                            "{} % du barème de la strate de la commune déléguée (part_maires_delegues, L2113-19)",
                            part_md.normalize()
                        ),
                    )),
                    false,
                )
            }
            // L2113-19: capped on the adjoint barème of the commune déléguée's stratum, outside
            // the enveloppe and the separate cap (reading L123); paid like the maire délégué·e
            // they assist, at `part_maires_delegues` of their cap. Their délégations come from
            // the maire délégué·e, not from the scenario's arrêtés: no délégation is required.
            Fonction::AdjointMaireDelegue => {
                let cap =
                    plafond_individuel(&commune, Fonction::AdjointMaireDelegue, None, pop_cd)?;
                let part_md = dec("part_maires_delegues", ind.part_maires_delegues)?;
                let t = arrondi_centime(cap.taux * part_md / Decimal::ONE_HUNDRED);
                (
                    Some((
                        t,
                        format!(
                            "{} % du barème des adjoint·es de la strate de la commune déléguée (part_maires_delegues, L2113-19)",
                            part_md.normalize()
                        ),
                    )),
                    false,
                )
            }
            Fonction::Adjoint | Fonction::ConseillerDelegue => {
                if !a_delegation {
                    non_indemnises.push(NonIndemnise {
                        elu: i,
                        id: e.id.clone(),
                        motif: format!(
                            "{} sans délégation effective : pas d'indemnité ({})",
                            e.fonction.libelle(),
                            if e.fonction == Fonction::Adjoint {
                                "L2123-24"
                            } else {
                                "L2123-24-1 III"
                            }
                        ),
                    });
                    continue;
                }
                (None, true)
            }
            // CGCT L2511-35: the council votes their indemnity up to their own cap, outside
            // the enveloppe; the proposal keeps the rate voted (taux_actuel) within the cap,
            // or the cap when none is given.
            Fonction::MaireArrondissement | Fonction::AdjointArrondissement => {
                let cap = plafond_individuel(&commune, e.fonction, None, None)?;
                let t = match e.taux_actuel {
                    Some(t) => tronque(dec("taux_actuel", t)?).min(cap.taux),
                    None => cap.taux,
                };
                if t <= Decimal::ZERO {
                    non_indemnises.push(NonIndemnise {
                        elu: i,
                        id: e.id.clone(),
                        motif: format!(
                            "{} : aucun taux maximal hors de Paris, Lyon et Marseille (L2511-35)",
                            e.fonction.libelle()
                        ),
                    });
                    continue;
                }
                (
                    Some((
                        t,
                        format!(
                            "{} : taux voté dans la limite de {} (L2511-35, hors enveloppe)",
                            e.fonction.libelle(),
                            crate::law::format_taux(cap.taux)
                        ),
                    )),
                    false,
                )
            }
            Fonction::Conseiller => {
                let t = dec("taux_conseillers", ind.taux_conseillers)?;
                if !ind.conseillers || t <= Decimal::ZERO {
                    non_indemnises.push(NonIndemnise {
                        elu: i,
                        id: e.id.clone(),
                        motif: "conseiller·e municipal·e sans délégation : non indemnisé·e (conseillers = false ou taux_conseillers = 0)".into(),
                    });
                    continue;
                }
                (
                    Some((
                        t,
                        "taux des conseiller·es municipaux·ales (taux_conseillers, L2123-24-1 I et II)"
                            .to_string(),
                    )),
                    false,
                )
            }
        };
        let mut plafond = plafond_individuel(&commune, e.fonction, None, pop_cd)?;
        if let (Fonction::Maire, Some(m)) = (e.fonction, majoration_maire) {
            plafond.taux += m;
            plafond.montant_eur = reference.montant(plafond.taux);
            plafond.article = "CGCT L2123-23 (dernier alinéa)";
            plafond.libelle = "barème du maire majoré de 40 %";
        }
        let pop_strate = if e.est_de_commune_deleguee() {
            pop_cd
        } else {
            None
        };
        let plafond_ecretement = match (ind.ecretement, e.autres_indemnites_eur, &plafond_ecr) {
            (true, Some(autres), Some(cap)) => {
                let autres = dec("autres_indemnites_eur", autres)?;
                let reste = (*cap - autres).max(Decimal::ZERO);
                // L2123-20 II caps the total *including* the majorations (L2123-22), which are
                // proportional to the voted rate: x · (1 + k) ≤ reste, with k the majoration of
                // one point (the DSU's cap at the next stratum only lowers it: conservative).
                let k = majoration(&commune, e.fonction, Decimal::ONE, pop_strate)?.taux_total;
                Some(tronque(reference.taux(reste) / (Decimal::ONE + k)))
            }
            _ => None,
        };
        // A rate fixed by law or policy (maire, maires délégué·es, conseiller·es) cannot be
        // paid above the écrêtement: the part above would be écrêtée (L2123-20 III), so the
        // proposal votes the payable rate.
        let impose = match (impose, plafond_ecretement) {
            (Some((t, motif)), Some(c)) if t > c => Some((
                c,
                format!(
                    "{motif}, ramené au plafond d'écrêtement (L2123-20 II, majorations comprises)"
                ),
            )),
            (impose, _) => impose,
        };
        beneficiaires.push(Beneficiaire {
            elu: i,
            id: e.id.clone(),
            fonction: e.fonction,
            perimetre: perimetre(e.fonction, commune.population_totale),
            plafond,
            plafond_ecretement,
            taux_impose: impose,
            delegue,
            responsabilite: figures[i].clone(),
            poids: None,
            palier: None,
            population_strate: pop_strate,
        });
    }

    // Weights of the délégué·es, normalised over them.
    let pool: Vec<usize> = (0..beneficiaires.len())
        .filter(|&k| beneficiaires[k].delegue)
        .collect();
    let figs: Vec<Responsabilite> = pool
        .iter()
        .map(|&k| beneficiaires[k].responsabilite.clone())
        .collect();
    let w = poids(&figs, &Coefficients::depuis(ind));
    let moyenne = w.iter().map(|x| x.total).sum::<f64>() / (w.len().max(1) as f64);
    for (&k, wk) in pool.iter().zip(w) {
        if ind.politique == Politique::Paliers && !ind.rangs_paliers.is_empty() {
            // Tiers by protocol rank: adjoint·es by their rank, conseiller·es délégué·es last.
            let e = &s.elus[beneficiaires[k].elu];
            let n = ind.rangs_paliers.len();
            let t = match (e.fonction, e.rang) {
                (Fonction::Adjoint, Some(r)) => ind
                    .rangs_paliers
                    .iter()
                    .position(|&dernier| r <= dernier)
                    .unwrap_or(n),
                (Fonction::Adjoint, None) => n,
                _ => n + 1,
            };
            beneficiaires[k].palier = Some(t);
        } else if ind.politique == Politique::Paliers {
            let r = if moyenne > 0.0 {
                wk.total / moyenne
            } else {
                1.0
            };
            let t = ind
                .seuils_paliers
                .iter()
                .position(|&seuil| r >= seuil)
                .unwrap_or(ind.seuils_paliers.len());
            beneficiaires[k].palier = Some(t);
        }
        beneficiaires[k].poids = Some(wk);
    }

    let maires_delegues: Vec<u32> = s
        .elus
        .iter()
        .filter(|e| e.fonction == Fonction::MaireDelegue)
        .map(|e| population_deleguee(s, e).unwrap_or(p.population_totale))
        .collect();
    let plafond_cn = if maires_delegues.is_empty() {
        None
    } else {
        let nb_adjoints = s
            .elus
            .iter()
            .filter(|e| e.fonction == Fonction::Adjoint)
            .count();
        Some(plafond_l2113_19(
            p.date,
            p.population_totale,
            u32::try_from(nb_adjoints).unwrap_or(u32::MAX),
            &maires_delegues,
        )?)
    };
    let alpha = match ind.politique {
        Politique::Egalitaire => 0.0,
        Politique::Proportionnelle => 1.0,
        Politique::Mixte | Politique::Paliers => ind.alpha,
    };
    let maire = beneficiaires
        .iter()
        .position(|b| b.fonction == Fonction::Maire);
    // L2123-23 last paragraph: the enveloppe + every member outside it at their own cap.
    let hors_max: Decimal = s
        .elus
        .iter()
        .filter(|e| {
            perimetre(e.fonction, commune.population_totale).perimetre
                == crate::law::Perimetre::HorsEnveloppe
        })
        .map(|e| plafond_individuel(&commune, e.fonction, None, None).map(|p| p.taux))
        .sum::<Result<Decimal, LawError>>()?;
    let maxima_conseil = env.taux_total + hors_max;
    Ok(Donnees {
        nom: p.nom.clone(),
        commune,
        reference,
        enveloppe: env,
        cible_enveloppe,
        plafond_cn,
        beneficiaires,
        non_indemnises,
        regles: Regles {
            politique: ind.politique,
            alpha,
            part_enveloppe: part,
            plancher: dec("plancher", ind.plancher)?,
            ratio_max: match ind.ratio_max {
                Some(r) => Some(dec("ratio_max", r)?),
                None => None,
            },
            ecart_paliers: dec("ecart_paliers", ind.ecart_paliers)?,
            seuils_paliers: ind.seuils_paliers.clone(),
        },
        maire,
        majoration_maire,
        maxima_conseil,
        remarques,
    })
}
