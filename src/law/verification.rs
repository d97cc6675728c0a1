//! Legal checks of a loaded scenario's council: size, adjoint·es, adjoint·es de quartier,
//! parity of the adjoint·es' list, maires délégué·es, voted rates against the individual caps,
//! the enveloppe and the separate cap of communes nouvelles, écrêtement; plus one `Info` finding
//! per open legal point that applies to the scenario.
//!
//! In: a [`Scenario`]. Out: every finding, each with a stable code, its article, a French
//! message, the élu·es concerned and a suggestion. Every rule runs; nothing stops at the first
//! failure. Rates compared are the `taux_actuel` voted inside the enveloppe (hors majorations).

use super::bareme::{Bareme, Regime};
use super::commune_nouvelle::plafond_l2113_19;
use super::composition::{
    EligibiliteQuartier, SEUIL_ALTERNANCE, alternance_obligatoire, max_adjoints,
    max_adjoints_quartier, ruptures_alternance,
};
use super::ecretement::ecreter;
use super::enveloppe::{Perimetre, enveloppe, perimetre, plafond_individuel};
use super::majoration::{categories_retenues, cumul_explicite, majoration};
use super::reference::FIN_VERIFICATION;
use super::{Commune, LawError, decimal_depuis_f64, format_entier, format_euros, format_taux};
use super::{Statut, statut_effectif_legal};
use crate::model::{Elu, Fonction, LectureMaireDelegueAdjoint, Majoration, Scenario};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeSet;

/// Severity of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gravite {
    /// The plan breaks a rule of law.
    Erreur,
    /// Probably a problem, or a problem under the cautious reading of an open point.
    Alerte,
    /// To know: an open legal point that applies here, or a choice to confirm.
    Info,
}

/// One legal finding on a scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LegalFinding {
    /// Stable code (`L001`…; `L1xx` are open legal points).
    pub code: &'static str,
    /// Severity.
    pub gravite: Gravite,
    /// Article(s) of law.
    pub article: &'static str,
    /// What is wrong (French, inclusive spelling).
    pub message: String,
    /// Ids of the élu·es concerned (empty when the finding is about the council as a whole).
    pub sujets: Vec<String>,
    /// How to fix it (French).
    pub suggestion: String,
}

/// An open legal point (UNVERIFIED or PARTIAL in the legal reference), as reported to users.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PointOuvert {
    /// Stable code, shared with `docs/droit.md`.
    pub code: &'static str,
    /// Article(s).
    pub article: &'static str,
    /// The best belief collegia applies (French).
    pub hypothese: &'static str,
    /// What to check (French).
    pub a_verifier: &'static str,
}

/// Every open legal point collegia implements as a best belief (see `docs/droit.md`).
pub const POINTS_OUVERTS: [PointOuvert; 23] = [
    PointOuvert {
        code: "L101",
        article: "CGCT L2123-23, L2123-24 I (loi 2025-1249 art. 1 et 3)",
        hypothese: "barèmes 2025 pris des sources secondaires concordantes ; montants en euros calculés (aucun tableau officiel 2026 trouvé)",
        a_verifier: "texte consolidé de L2123-23 et L2123-24 sur Légifrance",
    },
    PointOuvert {
        code: "L102",
        article: "CGCT L2123-20 I",
        hypothese: "valeur du point d'indice inchangée en 2026 (5 907,34 € par an pour 100 points d'IM)",
        a_verifier: "absence de décret de revalorisation du point en 2026",
    },
    PointOuvert {
        code: "L103",
        article: "CGCT L2123-24 II (loi 2025-1249) ; L2113-19",
        hypothese: "l'enveloppe de la commune nouvelle est calculée sur le maximum théorique d'adjoint·es, les maires délégué·es restant dans le plafond distinct de L2113-19",
        a_verifier: "articulation de la nouvelle règle d'enveloppe avec L2113-19",
    },
    PointOuvert {
        code: "L104",
        article: "CGCT L2123-24 II (loi 2025-1249) ; L2122-2-1",
        hypothese: "l'enveloppe compte le maximum théorique de 10 % de l'effectif légal seulement quand L2122-2-1 est appliqué : des adjoint·es au-delà des 30 %, ou adjoints_quartier_crees = true ; des adjoint·es de quartier élu·es dans les 30 % n'ajoutent rien",
        a_verifier: "sens de « s'il en est fait application » : 10 % théoriques ou postes réellement créés",
    },
    PointOuvert {
        code: "L105",
        article: "CGCT L2123-24 IV",
        hypothese: "lecture stricte : aucun·e adjoint·e au-dessus de l'indemnité effectivement votée pour le maire",
        a_verifier: "« indemnité fixée pour le maire » : indemnité votée ou indemnité maximale",
    },
    PointOuvert {
        code: "L106",
        article: "CGCT L2123-22, R2123-23",
        hypothese: "les majorations de catégories différentes se cumulent, chacune calculée sur l'indemnité votée",
        a_verifier: "cumul des majorations autres que 1° + 2°",
    },
    PointOuvert {
        code: "L107",
        article: "CGCT L2123-22 5°",
        hypothese: "DSU : taux voté × (taux de la strate supérieure / taux de la strate), plafonné au taux de la strate supérieure ; rien pour la strate la plus haute ni pour les conseiller·es",
        a_verifier: "calcul de la majoration DSU quand l'indemnité votée est inférieure au maximum",
    },
    PointOuvert {
        code: "L108",
        article: "CGCT L2123-20 II",
        hypothese: "plafond de 1,5 × l'indemnité parlementaire de base toujours en vigueur ; comparaison faite en brut alors que le texte raisonne net de cotisations",
        a_verifier: "rédaction de L2123-20 II après la loi 2025-1249",
    },
    PointOuvert {
        code: "L109",
        article: "CGCT L2123-24-1 I et III",
        hypothese: "dans les communes de 100 000 habitant·es et plus, un·e conseiller·e délégué·e peut cumuler l'indemnité de conseiller·e (I, hors enveloppe) et celle de délégué·e (III) ; collegia compte son taux voté dans l'enveloppe",
        a_verifier: "cumul des indemnités I et III de L2123-24-1",
    },
    PointOuvert {
        code: "L110",
        article: "CGCT L2121-2-1 (loi 2025-444 art. 5)",
        hypothese: "un conseil réputé complet utilise son effectif réel pour toutes les règles fondées sur l'effectif (30 % d'adjoint·es, enveloppe)",
        a_verifier: "effet de L2121-2-1 sur le plafond d'adjoint·es",
    },
    PointOuvert {
        code: "L111",
        article: "CGCT L2122-2-1 ; L2143-1",
        hypothese: "entre 20 000 et 79 999 habitant·es, des adjoint·es de quartier sont possibles si la commune a créé des conseils de quartier",
        a_verifier: "réponse ministérielle de 2008 toujours valable",
    },
    PointOuvert {
        code: "L112",
        article: "CGCT L2122-2-1",
        hypothese: "les 10 % de l'effectif légal sont arrondis à l'entier inférieur, comme les 30 %",
        a_verifier: "arrondi du plafond d'adjoint·es de quartier",
    },
    PointOuvert {
        code: "L113",
        article: "CGCT L2113-19",
        hypothese: "le plafond distinct compte les adjoint·es de la commune nouvelle en fonction (et non un maximum théorique)",
        a_verifier: "nombre d'adjoint·es à retenir dans le plafond de L2113-19",
    },
    PointOuvert {
        code: "L114",
        article: "CGCT L2123-24-1 I",
        hypothese: "dans les communes de 100 000 habitant·es et plus, les conseiller·es sans délégation (6 % au plus) sont payé·es hors enveloppe",
        a_verifier: "lecture du texte confirmée par une seule source secondaire",
    },
    PointOuvert {
        code: "L115",
        article: "CGCT R2123-23 1°",
        hypothese: "parmi les majorations du 1° (chef-lieu de département, d'arrondissement, bureau centralisateur), seule la plus élevée s'applique",
        a_verifier: "cumul des catégories du 1° entre elles",
    },
    PointOuvert {
        code: "L116",
        article: "CGCT L2122-7-2 (loi 2025-444)",
        hypothese: "l'alternance stricte s'impose à toutes les communes à partir du premier tour du renouvellement de mars 2026 (15/03/2026)",
        a_verifier: "date exacte d'application aux communes de moins de 1 000 habitant·es",
    },
    PointOuvert {
        code: "L117",
        article: "CGCT L2123-20 I",
        hypothese: "indice majoré 826 en 2017–2018 et valeur du point du 1/7/2016 reprises de mémoire (les valeurs de 2017 et de 2022 sont vérifiées)",
        a_verifier: "décret 2016-670 et indice majoré de l'indice brut terminal en 2017–2018",
    },
    PointOuvert {
        code: "L118",
        article: "CGCT L2121-2",
        hypothese: "tableau des effectifs inchangé au renouvellement de 2026 pour les communes de 100 à 3 499 habitant·es (une proposition de loi sénatoriale de 2024 les réduisait à 9, 11, 15 et 19 sièges ; aucune trace d'adoption)",
        a_verifier: "version de L2121-2 en vigueur au renouvellement de mars 2026",
    },
    PointOuvert {
        code: "L119",
        article: "CGCT L2123-22 ; L2113-19",
        hypothese: "les maires délégué·es peuvent recevoir les majorations de la commune (une seule réponse ministérielle) ; le seuil de la station de tourisme (R2123-23 3°) se lit sur la population totale de la commune, la DSU sur la strate de la commune déléguée",
        a_verifier: "majoration des indemnités des maires délégué·es",
    },
    PointOuvert {
        code: "L120",
        article: "CGCT L2113-7, L2113-8 (loi 2025-444)",
        hypothese: "conseil élargi de la commune nouvelle jusqu'au troisième renouvellement (loi 2025-444) ; ses indemnités ne dépassent pas l'enveloppe (maire + adjoint·es théoriques) d'une commune de même population, sans compter les 6 % des autres conseiller·es ; par défaut, les maires délégué·es et leurs adjoint·es restent hors de ce plafond, sous le leur (L2113-19) : plafond_l2113_8 = \"tous_les_membres\" pour la lecture littérale",
        a_verifier: "membres comptés dans le plafond de L2113-8 al. 3 et prolongation du conseil élargi par la loi 2025-444",
    },
    PointOuvert {
        code: "L121",
        article: "CGCT L2123-23 (dernier alinéa)",
        hypothese: "« 40 % du barème » = 40 % de 145 %, soit 58 points (203 %) ; la majoration est hors enveloppe L2123-24 II, dans la limite du total des indemnités maximales de tous les membres du conseil (6 % par conseiller·e sans délégation)",
        a_verifier: "assiette de la majoration de 40 % et membres comptés dans le total des maxima",
    },
    PointOuvert {
        code: "L122",
        article: "CGCT L2511-34, L2511-34-1",
        hypothese: "à Paris, Lyon et Marseille, le taux maximal des adjoint·es (128,5 % / 72,5 %) est un plafond individuel même à l'intérieur de l'enveloppe ; les conseiller·es (90,5 % / 34,5 %) sont hors enveloppe ; maires d'arrondissement ou de secteur plafonné·es à 72,5 % et leurs adjoint·es à 34,5 %, hors enveloppe, sans cumul avec l'indemnité de conseiller·e (taux votés par Marseille en 2020, texte de L2511-35 non lu)",
        a_verifier: "articulation de L2511-34 avec l'enveloppe de L2123-24 II ; texte consolidé de L2511-35 (maires et adjoint·es d'arrondissement)",
    },
    PointOuvert {
        code: "L123",
        article: "CGCT L2113-13 ; L2113-19",
        hypothese: "les adjoint·es au maire délégué·e ne sont pas adjoint·es de la commune nouvelle : hors des 30 %, hors de l'enveloppe de L2123-24 II et hors du plafond distinct de L2113-19 (qui ne nomme que les adjoint·es de la commune nouvelle et les maires délégué·es) ; chacun·e est plafonné·e au barème des adjoint·es de la strate de sa commune déléguée",
        a_verifier: "enveloppe dans laquelle s'inscrivent les indemnités des adjoint·es au maire délégué·e",
    },
];

fn point_ouvert(code: &str) -> Option<&'static PointOuvert> {
    POINTS_OUVERTS.iter().find(|p| p.code == code)
}

/// Collects findings; keeps the checks short.
#[derive(Default)]
struct Constats(Vec<LegalFinding>);

impl Constats {
    fn push(
        &mut self,
        code: &'static str,
        gravite: Gravite,
        article: &'static str,
        message: String,
        sujets: Vec<String>,
        suggestion: impl Into<String>,
    ) {
        self.0.push(LegalFinding {
            code,
            gravite,
            article,
            message,
            sujets,
            suggestion: suggestion.into(),
        });
    }

    fn point_ouvert(&mut self, code: &'static str) {
        if self.0.iter().any(|f| f.code == code) {
            return;
        }
        if let Some(p) = point_ouvert(code) {
            self.push(
                p.code,
                Gravite::Info,
                p.article,
                format!("Point de droit non vérifié : {}.", p.hypothese),
                Vec::new(),
                format!("À vérifier sur Légifrance : {}.", p.a_verifier),
            );
        }
    }
}

/// Checks the council of a scenario against the CGCT and returns every finding, errors first
/// (stable order within a severity: the order of the checks, then of the élu·es).
///
/// Conventions: a maire without `taux_actuel` is taken at the barème (automatic, L2123-23);
/// other élu·es without `taux_actuel` are taken as unpaid. In the 2019 regime, the adjoint·es
/// "in office with a délégation" are those holding at least one délégation of the scenario (all
/// adjoint·es when the scenario has no délégation at all).
pub fn verifier_composition(s: &Scenario) -> Vec<LegalFinding> {
    let mut c = Constats::default();
    // Adjoint·es of the commune nouvelle only: maires délégué·es de droit and adjoint·es au
    // maire délégué·e are not counted in the 30 % of L2122-2 (L2113-13: the latter are
    // designated for a commune déléguée, they are not adjoint·es of the commune).
    let adjoints: Vec<&Elu> = s
        .elus
        .iter()
        .filter(|e| e.fonction == Fonction::Adjoint)
        .collect();
    let commune = match Commune::du_scenario(s) {
        Ok(commune) => commune,
        Err(e) => {
            erreur_calcul(&mut c, &e);
            return c.0;
        }
    };
    let effectif = commune.effectif_legal();

    verifier_maire(&mut c, s);
    verifier_effectif(&mut c, s, &commune, effectif);
    // A maire délégué·e elected adjoint·e (an adjoint·e attached to a known commune déléguée)
    // stays adjoint·e de droit (L2113-13): outside the 30 % under the default reading
    // (`maire_delegue_adjoint = "hors_30"`, Sénat written question n° 25598).
    let dans_30 = super::adjoints_dans_30(s);
    verifier_adjoints(&mut c, &commune, &dans_30, effectif);
    verifier_parite(&mut c, &commune, &adjoints);
    verifier_maires_delegues(&mut c, s, &adjoints);
    match verifier_indemnites(&mut c, s, &commune, &adjoints) {
        Ok(()) => {}
        Err(e) => erreur_calcul(&mut c, &e),
    }
    points_ouverts(&mut c, s, &commune, &adjoints);

    let mut constats = c.0;
    constats.sort_by_key(|f| f.gravite);
    constats
}

fn erreur_calcul(c: &mut Constats, e: &LawError) {
    c.push(
        "L015",
        Gravite::Erreur,
        "CGCT L2123-20 à L2123-24-1",
        format!("Impossible d'appliquer les règles d'indemnités : {e}."),
        Vec::new(),
        "Vérifier la date et les paramètres du scénario (scenario.toml).",
    );
}

fn ids<'a>(elus: impl IntoIterator<Item = &'a Elu>) -> Vec<String> {
    elus.into_iter().map(|e| e.id.clone()).collect()
}

fn verifier_maire(c: &mut Constats, s: &Scenario) {
    let maires: Vec<&Elu> = s
        .elus
        .iter()
        .filter(|e| e.fonction == Fonction::Maire)
        .collect();
    if maires.len() != 1 {
        c.push(
            "L012",
            Gravite::Erreur,
            "CGCT L2122-1, L2122-4",
            format!(
                "Le conseil doit avoir un·e et un·e seul·e maire ; le scénario en compte {}.",
                maires.len()
            ),
            ids(maires),
            "Donner la fonction « maire » à exactement un·e élu·e.",
        );
    }
}

fn verifier_effectif(c: &mut Constats, s: &Scenario, commune: &Commune, effectif: u32) {
    let n = s.elus.len();
    let n32 = u32::try_from(n).unwrap_or(u32::MAX);
    if n32 == effectif {
        return;
    }
    // A commune nouvelle whose creation date is unknown may have an enlarged council
    // (L2113-7, L2113-8) that collegia cannot size: an alerte, not an erreur.
    let historique_inconnu = s.params.commune_nouvelle
        && commune.conseil_elargi.is_none()
        && s.params.commune.date_creation.is_none();
    let (gravite, suggestion) = if n32 > effectif {
        if historique_inconnu {
            (
                Gravite::Alerte,
                "Indiquer la date de création de la commune nouvelle (date_creation) et l'effectif des anciens conseils (conseils_anciens) : le conseil élargi (L2113-7, L2113-8) est alors calculé ; sinon retirer des élu·es.",
            )
        } else {
            (
                Gravite::Erreur,
                "Retirer des élu·es du fichier, ou corriger la population municipale.",
            )
        }
    } else {
        (
            Gravite::Alerte,
            "Compléter la liste des élu·es (opposition comprise), ou indiquer l'effectif réel (effectif_conseil) si le conseil est réputé complet (L2121-2-1).",
        )
    };
    let base = match (&commune.conseil_elargi, commune.plm) {
        _ if s.params.effectif_conseil.is_some() => "effectif_conseil du scénario".to_string(),
        (_, Some(plm)) => format!("conseil municipal de {}", plm.nom()),
        (Some(ce), None) => ce.note.clone(),
        (None, None) => format!(
            "population municipale {} habitant·es",
            format_entier(s.params.population_municipale)
        ),
    };
    c.push(
        "L001",
        gravite,
        commune.article_effectif(),
        format!(
            "Le scénario compte {n} élu·es alors que l'effectif légal du conseil est de {effectif} ({base})."
        ),
        Vec::new(),
        suggestion,
    );
}

fn verifier_adjoints(c: &mut Constats, commune: &Commune, adjoints: &[&Elu], effectif: u32) {
    let max30 = max_adjoints(effectif);
    // L2122-2-1 names no population: the population totale (reference §2.3: the municipale
    // serves only the articles that say so, L2121-2 and L2122-7-2).
    let plafond_q = max_adjoints_quartier(commune.population_totale, effectif);
    // The 10 % rounded up: the other reading of L2122-2-1 (open point L112).
    let plafond_q_haut = if plafond_q.max > 0 {
        effectif.div_ceil(10)
    } else {
        0
    };
    // `adjoints` are those counted in the 30 %: maires délégué·es elected adjoint·es are
    // taken out by the caller under the default reading (`maire_delegue_adjoint`).
    let de_quartier: Vec<&Elu> = adjoints
        .iter()
        .copied()
        .filter(|e| e.quartier.is_some())
        .collect();
    let n = u32::try_from(adjoints.len()).unwrap_or(u32::MAX);
    let nq = u32::try_from(de_quartier.len()).unwrap_or(u32::MAX);
    // CGCT L2511-1-1: L2122-2-1 does not apply in Paris, Lyon and Marseille (reference §14 [V]):
    // no quartier post, so every adjoint·e counts in the 30 %.
    if let Some(plm) = commune.plm {
        if nq > 0 {
            c.push(
                "L003",
                Gravite::Erreur,
                "CGCT L2511-1-1",
                format!(
                    "{nq} adjoint·es de quartier à {} alors que L2122-2-1 (adjoint·es de quartier au-delà des 30 %) ne s'applique pas à Paris, Lyon et Marseille.",
                    plm.nom()
                ),
                ids(de_quartier.iter().copied()),
                "Retirer la mention de quartier (colonne quartier) : ces adjoint·es comptent dans les 30 % ; les arrondissements et secteurs ont leurs maires et adjoint·es d'arrondissement (fonctions maire_arrondissement et adjoint_arrondissement).",
            );
        }
        if n > max30 {
            c.push(
                "L002",
                Gravite::Erreur,
                "CGCT L2122-2 ; L2511-1-1",
                format!(
                    "{n} adjoint·es pour un maximum de {max30} (30 % de l'effectif légal de {effectif} ; pas d'adjoint·es de quartier à {}).",
                    plm.nom()
                ),
                ids(adjoints.iter().copied()),
                format!(
                    "Ramener le nombre d'adjoint·es à {max30} ; les autres délégations peuvent être confiées à des conseiller·es délégué·es (L2122-18)."
                ),
            );
        }
        return;
    }
    if nq > plafond_q.max {
        // Only under the floor reading of the 10 %: an alerte naming the reading.
        let lecture = nq <= plafond_q_haut;
        let message = match plafond_q.eligibilite {
            EligibiliteQuartier::NonEligible => format!(
                "{nq} adjoint·es de quartier alors que la commune (moins de 20 000 habitant·es) ne peut pas en créer."
            ),
            _ if lecture => format!(
                "{nq} adjoint·es de quartier pour un maximum de {} si les 10 % de l'effectif légal de {effectif} sont arrondis à l'entier inférieur (lecture retenue, non vérifiée : {plafond_q_haut} à l'entier supérieur).",
                plafond_q.max
            ),
            _ => format!(
                "{nq} adjoint·es de quartier pour un maximum de {} (10 % de l'effectif légal de {effectif}).",
                plafond_q.max
            ),
        };
        c.push(
            "L003",
            if lecture {
                Gravite::Alerte
            } else {
                Gravite::Erreur
            },
            "CGCT L2122-2-1",
            message,
            ids(de_quartier.iter().copied()),
            "Retirer la mention de quartier de certain·es adjoint·es (ils et elles comptent alors dans les 30 %).",
        );
        if lecture {
            c.point_ouvert("L112");
        }
    }
    let autorises = max30 + nq.min(plafond_q.max);
    let autorises_haut = max30 + nq.min(plafond_q_haut);
    if n > autorises {
        let lecture = n <= autorises_haut;
        c.push(
            "L002",
            if lecture {
                Gravite::Alerte
            } else {
                Gravite::Erreur
            },
            "CGCT L2122-2 ; L2122-2-1",
            format!(
                "{n} adjoint·es pour un maximum de {autorises} ({max30} au titre des 30 % de l'effectif légal de {effectif}{}) ; les maires délégué·es de droit ne sont pas compté·es (L2113-13){}.",
                if nq.min(plafond_q.max) > 0 {
                    format!(" + {} de quartier", nq.min(plafond_q.max))
                } else {
                    String::new()
                },
                if lecture {
                    format!(
                        " ; {autorises_haut} si les 10 % de quartier sont arrondis à l'entier supérieur (lecture non tranchée)"
                    )
                } else {
                    String::new()
                }
            ),
            ids(adjoints.iter().copied()),
            format!(
                "Ramener le nombre d'adjoint·es à {autorises} ; les autres délégations peuvent être confiées à des conseiller·es délégué·es (L2122-18)."
            ),
        );
    }
}

fn verifier_parite(c: &mut Constats, commune: &Commune, adjoints: &[&Elu]) {
    let mut sans_rang = Vec::new();
    let mut rangs = BTreeSet::new();
    let mut doublons = Vec::new();
    let mut liste = Vec::new();
    for e in adjoints {
        match e.rang {
            None => sans_rang.push(e.id.clone()),
            Some(r) => {
                if !rangs.insert(r) {
                    doublons.push(e.id.clone());
                }
                liste.push((r, e.sexe, e.id.clone()));
            }
        }
    }
    if !sans_rang.is_empty() || !doublons.is_empty() {
        let sujets: Vec<String> = sans_rang.iter().chain(doublons.iter()).cloned().collect();
        c.push(
            "L006",
            Gravite::Alerte,
            "CGCT L2121-1 ; L2122-7-2",
            format!(
                "Rang absent ou en double pour {} adjoint·e(s) : l'ordre du tableau ne peut pas être établi.",
                sujets.len()
            ),
            sujets,
            "Donner à chaque adjoint·e un rang unique (1 = premier·e adjoint·e).",
        );
    }
    if !alternance_obligatoire(commune.population_municipale, commune.date) {
        return;
    }
    let paires: Vec<(u32, crate::model::Sexe)> = liste.iter().map(|(r, s, _)| (*r, *s)).collect();
    for (r1, r2) in ruptures_alternance(&paires) {
        let sujets: Vec<String> = liste
            .iter()
            .filter(|(r, _, _)| *r == r1 || *r == r2)
            .map(|(_, _, id)| id.clone())
            .collect();
        c.push(
            "L004",
            Gravite::Erreur,
            "CGCT L2122-7-2",
            format!(
                "Alternance femmes-hommes rompue dans la liste des adjoint·es : les rangs {r1} et {r2} sont du même sexe."
            ),
            sujets,
            "Réordonner la liste des adjoint·es pour alterner strictement les sexes (le premier rang peut être de l'un ou l'autre sexe).",
        );
    }
}

fn verifier_maires_delegues(c: &mut Constats, s: &Scenario, adjoints: &[&Elu]) {
    let hors_30 = s.params.commune.maire_delegue_adjoint == LectureMaireDelegueAdjoint::Hors30;
    let mal_classes: Vec<&Elu> = adjoints
        .iter()
        .copied()
        .filter(|e| e.commune_deleguee.is_some())
        .collect();
    for e in &mal_classes {
        let connue = e
            .commune_deleguee
            .as_ref()
            .is_some_and(|id| s.params.communes_deleguees.iter().any(|cd| &cd.id == id));
        c.push(
            "L005",
            if connue {
                Gravite::Info
            } else {
                Gravite::Alerte
            },
            "CGCT L2113-13 ; L2113-19",
            if connue {
                format!(
                    "{} est maire délégué·e et élu·e adjoint·e de la commune nouvelle : {} et indemnisé·e comme adjoint·e, sans cumul avec l'indemnité de maire délégué·e (L2113-19, le conseil choisit).",
                    e.nom_complet(),
                    if hors_30 {
                        "hors des 30 %, comme adjoint·e de droit (L2113-13 ; réponse du Sénat à la question écrite n° 25598 ; lecture maire_delegue_adjoint = \"hors_30\")"
                    } else {
                        "compté·e dans les 30 % (lecture maire_delegue_adjoint = \"dans_30\")"
                    }
                )
            } else {
                format!(
                    "{} (adjoint·e) est rattaché·e à une commune déléguée inconnue du scénario.",
                    e.nom_complet()
                )
            },
            vec![e.id.clone()],
            if connue {
                "Si l'élu·e n'a pas été élu·e adjoint·e, lui donner la fonction « maire_delegue » (adjoint·e de droit, hors des 30 %) ; si c'est un·e adjoint·e au maire délégué·e, la fonction « adjoint_maire_delegue » (hors des 30 %, L2113-13)."
            } else {
                "Déclarer la commune déléguée dans scenario.toml ([[communes_deleguees]]) ou corriger la colonne commune_deleguee."
            },
        );
    }
    // CGCT L2511-25, L2511-28: maires and adjoint·es d'arrondissement exist only in Paris,
    // Lyon and Marseille.
    if s.params
        .commune
        .code_insee
        .as_deref()
        .and_then(super::Plm::depuis_code_insee)
        .is_none()
    {
        for e in s.elus.iter().filter(|e| {
            matches!(
                e.fonction,
                Fonction::MaireArrondissement | Fonction::AdjointArrondissement
            )
        }) {
            c.push(
                "L018",
                Gravite::Alerte,
                "CGCT L2511-25 ; L2511-28",
                format!(
                    "{} est {} alors que le scénario ne décrit pas Paris, Lyon ou Marseille : aucun plafond ne s'applique.",
                    e.nom_complet(),
                    e.fonction.libelle()
                ),
                vec![e.id.clone()],
                "Indiquer code_insee = \"75056\", \"69123\" ou \"13055\" dans scenario.toml, ou changer la fonction.",
            );
        }
    }
    for e in s.elus.iter().filter(|e| e.est_de_commune_deleguee()) {
        let connue = e
            .commune_deleguee
            .as_ref()
            .is_some_and(|id| s.params.communes_deleguees.iter().any(|cd| &cd.id == id));
        if !connue {
            // An adjoint·e au maire délégué·e without a commune is refused at ingest (E044):
            // only a scenario built in memory reaches this.
            c.push(
                "L011",
                Gravite::Alerte,
                "CGCT L2113-19",
                format!(
                    "{} {} sans commune déléguée connue : son plafond (barème de la strate de la commune déléguée) ne peut pas être calculé.",
                    if e.fonction == Fonction::MaireDelegue {
                        "Maire délégué·e"
                    } else {
                        "Adjoint·e au maire délégué·e"
                    },
                    e.nom_complet()
                ),
                vec![e.id.clone()],
                "Renseigner la commune déléguée (colonne commune_deleguee) et sa population dans scenario.toml.",
            );
        }
        if !s.params.commune_nouvelle {
            c.push(
                "L013",
                Gravite::Alerte,
                "CGCT L2113-10, L2113-13",
                format!(
                    "{} est {} alors que le scénario ne décrit pas une commune nouvelle.",
                    e.nom_complet(),
                    e.fonction.libelle()
                ),
                vec![e.id.clone()],
                "Indiquer commune_nouvelle = true dans scenario.toml, ou changer la fonction.",
            );
        }
    }
}

fn taux_de(e: &Elu) -> Result<Option<Decimal>, LawError> {
    e.taux_actuel
        .map(|t| decimal_depuis_f64("taux_actuel", t))
        .transpose()
}

fn population_deleguee(s: &Scenario, e: &Elu) -> Option<u32> {
    let id = e.commune_deleguee.as_ref()?;
    s.params
        .communes_deleguees
        .iter()
        .find(|cd| &cd.id == id)
        .map(|cd| cd.population)
}

fn verifier_indemnites(
    c: &mut Constats,
    s: &Scenario,
    commune: &Commune,
    adjoints: &[&Elu],
) -> Result<(), LawError> {
    let bareme = Bareme::pour(commune)?;
    let b = &bareme.reference;
    // L2123-23 last paragraph: +40 % of the barème for the maire from 100 000 inhabitants.
    let majoration_maire = bareme.majoration_maire(commune);
    let maire_vote = s
        .elus
        .iter()
        .find(|e| e.fonction == Fonction::Maire)
        .map(taux_de)
        .transpose()?
        .flatten();
    // L2123-23: without a vote, the maire receives the barème automatically.
    let taux_maire_effectif = maire_vote.unwrap_or(bareme.taux_maire);

    // Individual caps.
    for e in &s.elus {
        let Some(t) = taux_de(e)? else { continue };
        let (plafond, article, libelle) = match e.fonction {
            Fonction::Maire => match majoration_maire {
                Some(m) => (
                    bareme.taux_maire + m,
                    "CGCT L2123-23 (dernier alinéa)",
                    "le barème du maire majoré de 40 %",
                ),
                None => (bareme.taux_maire, "CGCT L2123-23", "le barème du maire"),
            },
            Fonction::Adjoint if commune.plm.is_some() => (
                bareme.taux_adjoint.min(bareme.taux_maire),
                commune.plm.map_or("CGCT L2511-34", |p| p.article()),
                "le taux maximal des adjoint·es de Paris, Lyon et Marseille",
            ),
            Fonction::Adjoint => (
                bareme.taux_maire,
                "CGCT L2123-24 IV",
                "l'indemnité du maire",
            ),
            Fonction::ConseillerDelegue => (
                bareme.taux_maire,
                "CGCT L2123-24-1 V",
                "l'indemnité maximale du maire",
            ),
            Fonction::Conseiller if commune.plm.is_some() => (
                bareme.taux_conseiller,
                commune.plm.map_or("CGCT L2511-34", |p| p.article()),
                "le taux maximal des conseiller·es de Paris, Lyon et Marseille",
            ),
            Fonction::Conseiller => (
                bareme.taux_conseiller,
                "CGCT L2123-24-1 I et II",
                "6 % du terme de référence",
            ),
            Fonction::MaireDelegue => match population_deleguee(s, e) {
                Some(pop) => (
                    super::bareme::taux_maire(bareme.regime, pop),
                    "CGCT L2113-19",
                    "le barème du maire de la strate de la commune déléguée",
                ),
                None => continue, // reported by L011
            },
            // CGCT L2511-35: maires and adjoint·es d'arrondissement or de secteur, Paris, Lyon
            // and Marseille only (L013-like alerte L018 otherwise, below).
            Fonction::MaireArrondissement | Fonction::AdjointArrondissement => {
                match commune.plm {
                    Some(plm) => (
                        if e.fonction == Fonction::MaireArrondissement {
                            plm.taux_maire_arrondissement()
                        } else {
                            plm.taux_adjoint_arrondissement()
                        },
                        super::Plm::ARTICLE_ARRONDISSEMENT,
                        if e.fonction == Fonction::MaireArrondissement {
                            "le taux maximal des maires d'arrondissement ou de secteur"
                        } else {
                            "le taux maximal des adjoint·es d'arrondissement ou de secteur"
                        },
                    ),
                    None => continue, // reported by L018
                }
            }
            // CGCT L2113-19: the adjoint barème (L2123-24 I) of the commune déléguée's stratum.
            Fonction::AdjointMaireDelegue => match population_deleguee(s, e) {
                Some(pop) => (
                    super::bareme::taux_adjoint(bareme.regime, pop),
                    "CGCT L2113-19",
                    "le barème des adjoint·es de la strate de la commune déléguée",
                ),
                None => continue, // reported by L011
            },
        };
        if t > plafond {
            c.push(
                "L007",
                Gravite::Erreur,
                article,
                format!(
                    "{} ({}) : taux voté de {} ({}) supérieur à {} ({}, {}).",
                    e.nom_complet(),
                    e.fonction.libelle(),
                    format_taux(t),
                    format_euros(b.montant(t)),
                    libelle,
                    format_taux(plafond),
                    format_euros(b.montant(plafond))
                ),
                vec![e.id.clone()],
                format!("Ramener le taux à {} au plus.", format_taux(plafond)),
            );
        } else if e.fonction == Fonction::Maire && t > bareme.taux_maire {
            // Within the raise of L2123-23 last paragraph: lawful if the council's total stays
            // within the maxima (checked below, L017); the reading is open point L121.
            c.point_ouvert("L121");
        } else if e.fonction == Fonction::Adjoint && t > taux_maire_effectif {
            // L2123-24 IV, strict reading (open point L105).
            c.push(
                "L007",
                Gravite::Alerte,
                "CGCT L2123-24 IV",
                format!(
                    "{} (adjoint·e) : taux voté de {} supérieur à l'indemnité votée pour le maire ({}) ; interdit selon la lecture stricte de L2123-24 IV.",
                    e.nom_complet(),
                    format_taux(t),
                    format_taux(taux_maire_effectif)
                ),
                vec![e.id.clone()],
                format!(
                    "Ramener le taux à {} au plus, ou relever l'indemnité du maire.",
                    format_taux(taux_maire_effectif)
                ),
            );
            c.point_ouvert("L105");
        }
        if e.fonction == Fonction::Maire && t < bareme.taux_maire {
            c.push(
                "L014",
                Gravite::Info,
                "CGCT L2123-23",
                format!(
                    "{} perçoit {} au lieu du barème ({}) : une indemnité inférieure n'est possible qu'à sa demande, par délibération.",
                    if e.sexe == crate::model::Sexe::F { "La maire" } else { "Le maire" },
                    format_taux(t),
                    format_taux(bareme.taux_maire)
                ),
                vec![e.id.clone()],
                "Vérifier que la délibération fait suite à une demande du ou de la maire.",
            );
        }
    }

    // Only an effective délégation opens the right to an indemnity for adjoint·es and
    // conseiller·es délégué·es (reference §3: collectivites-locales.gouv.fr; QE 12-6455; YES
    // 2+ sec.). Checked only when the scenario lists délégations (otherwise unknown).
    let avec_delegation: BTreeSet<usize> = s.elus_delegues();
    let delegations_connues = !avec_delegation.is_empty();
    if delegations_connues {
        for (i, e) in s.elus.iter().enumerate() {
            if !matches!(e.fonction, Fonction::Adjoint | Fonction::ConseillerDelegue)
                || avec_delegation.contains(&i)
            {
                continue;
            }
            let Some(t) = taux_de(e)?.filter(|t| *t > Decimal::ZERO) else {
                continue;
            };
            c.push(
                "L016",
                Gravite::Alerte,
                "CGCT L2123-24 ; L2123-24-1 III",
                format!(
                    "{} ({}) : taux voté de {} sans aucune délégation dans le scénario ; l'indemnité suppose l'exercice effectif d'une délégation (arrêté du maire).",
                    e.nom_complet(),
                    e.fonction.libelle(),
                    format_taux(t)
                ),
                vec![e.id.clone()],
                "Donner une délégation à cet·te élu·e, ou ne pas l'indemniser.",
            );
        }
    }

    // Enveloppe (L2123-24 II).
    let en_fonction = s
        .elus
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            e.fonction == Fonction::Adjoint && (!delegations_connues || avec_delegation.contains(i))
        })
        .count();
    let env = enveloppe(commune, u32::try_from(en_fonction).unwrap_or(u32::MAX))?;
    let mut total = Decimal::ZERO;
    let mut dedans = Vec::new();
    for e in &s.elus {
        if perimetre(e.fonction, commune.population_totale).perimetre != Perimetre::Enveloppe {
            continue;
        }
        let t = match (e.fonction, taux_de(e)?) {
            // The raise of L2123-23 last paragraph is outside the enveloppe (L017 below).
            (Fonction::Maire, Some(t)) if majoration_maire.is_some() => t.min(bareme.taux_maire),
            (_, Some(t)) => t,
            (Fonction::Maire, None) => bareme.taux_maire,
            (_, None) => continue,
        };
        total += t;
        dedans.push(e.id.clone());
    }
    // CGCT L2113-8 al. 3, literal reading (`plafond_l2113_8 = "tous_les_membres"`): the cap
    // of an enlarged council covers « les membres du conseil municipal », maires délégué·es
    // and adjoint·es au maire délégué·e included.
    if commune.elargi().is_some()
        && commune.plafond_l2113_8 == crate::model::LecturePlafondL2113_8::TousLesMembres
    {
        for e in s.elus.iter().filter(|e| e.est_de_commune_deleguee()) {
            if let Some(t) = taux_de(e)? {
                total += t;
                dedans.push(e.id.clone());
            }
        }
    }
    if total > env.taux_total {
        c.push(
            "L008",
            Gravite::Erreur,
            env.article,
            format!(
                "Les indemnités votées dans l'enveloppe totalisent {} ({}) pour une enveloppe de {} ({}) : {}.",
                format_taux(total),
                format_euros(b.montant(total)),
                format_taux(env.taux_total),
                format_euros(env.montant_eur),
                env.note
            ),
            dedans,
            format!(
                "Réduire les taux de {} au total.",
                format_taux(total - env.taux_total)
            ),
        );
    }

    // L2123-23 last paragraph: with the maire's raise, the total of every member's voted
    // indemnité (before L2123-22 majorations) stays within the total of their maxima without
    // it: the enveloppe plus each member outside it at their own maximum (reading L121).
    if let Some(maire) = s.elus.iter().find(|e| e.fonction == Fonction::Maire)
        && let Some(t) = taux_de(maire)?
        && majoration_maire.is_some()
        && t > bareme.taux_maire
    {
        let mut total_vote = Decimal::ZERO;
        let mut maxima = env.taux_total;
        for e in &s.elus {
            let hors = perimetre(e.fonction, commune.population_totale).perimetre
                == Perimetre::HorsEnveloppe;
            if hors {
                // each member outside the enveloppe at their own maximum (6 %, PLM rates)
                maxima += plafond_individuel(commune, e.fonction, None, None)?.taux;
            }
            if hors
                || perimetre(e.fonction, commune.population_totale).perimetre
                    == Perimetre::Enveloppe
            {
                total_vote += taux_de(e)?.unwrap_or(Decimal::ZERO);
            }
        }
        if total_vote > maxima {
            c.push(
                "L017",
                Gravite::Erreur,
                "CGCT L2123-23 (dernier alinéa)",
                format!(
                    "Avec la majoration de 40 % du maire ({}), les indemnités votées totalisent {} pour un total des indemnités maximales (hors cette majoration) de {} : la majoration n'est possible que dans cette limite.",
                    format_taux(t),
                    format_taux(total_vote),
                    format_taux(maxima)
                ),
                vec![maire.id.clone()],
                format!(
                    "Réduire les indemnités de {} au total, ou la majoration du maire.",
                    format_taux(total_vote - maxima)
                ),
            );
        }
    }

    // Separate cap of communes nouvelles (L2113-19).
    let maires_delegues: Vec<&Elu> = s
        .elus
        .iter()
        .filter(|e| e.fonction == Fonction::MaireDelegue)
        .collect();
    if !maires_delegues.is_empty() {
        let pops: Vec<u32> = s
            .params
            .communes_deleguees
            .iter()
            .map(|cd| cd.population)
            .collect();
        let nb = u32::try_from(adjoints.len()).unwrap_or(u32::MAX);
        let cap = plafond_l2113_19(commune.date, commune.population_totale, nb, &pops)?;
        let mut somme = Decimal::ZERO;
        for e in adjoints
            .iter()
            .copied()
            .chain(maires_delegues.iter().copied())
        {
            somme += taux_de(e)?.unwrap_or(Decimal::ZERO);
        }
        if somme > cap.taux_total {
            c.push(
                "L009",
                Gravite::Erreur,
                cap.article,
                format!(
                    "Les indemnités des adjoint·es et des maires délégué·es totalisent {} pour un plafond de {} ({}).",
                    format_taux(somme),
                    format_taux(cap.taux_total),
                    format_euros(cap.montant_eur)
                ),
                ids(adjoints.iter().copied().chain(maires_delegues.iter().copied())),
                "Réduire les indemnités des adjoint·es ou des maires délégué·es.",
            );
        }
        c.point_ouvert("L113");
    }

    // Écrêtement (L2123-20 II), per person.
    for e in &s.elus {
        let Some(autres) = e.autres_indemnites_eur else {
            continue;
        };
        let autres = decimal_depuis_f64("autres_indemnites_eur", autres)?;
        let taux = match (e.fonction, taux_de(e)?) {
            (_, Some(t)) => t,
            (Fonction::Maire, None) => bareme.taux_maire,
            (_, None) => continue,
        };
        let pop = population_deleguee(s, e);
        let maj = majoration(commune, e.fonction, taux, pop)?;
        let montant = b.montant(taux) + maj.montant_total_eur;
        let ec = ecreter(commune.date, montant, autres)?;
        if ec.part_ecretee_eur > Decimal::ZERO {
            c.push(
                "L010",
                Gravite::Alerte,
                ec.article,
                format!(
                    "{} : {} de la commune + {} d'autres mandats dépassent le plafond de {} ; {} seraient écrêtés.",
                    e.nom_complet(),
                    format_euros(montant),
                    format_euros(autres),
                    format_euros(ec.plafond_total_eur),
                    format_euros(ec.part_ecretee_eur)
                ),
                vec![e.id.clone()],
                format!(
                    "Limiter l'indemnité communale à {} (montant brut, hors cotisations) ou redistribuer l'écart par délibération.",
                    format_euros(ec.plafond_commune_eur)
                ),
            );
        }
        c.point_ouvert("L108");
    }
    Ok(())
}

fn points_ouverts(c: &mut Constats, s: &Scenario, commune: &Commune, adjoints: &[&Elu]) {
    let p = &s.params;
    let regime = Regime::a_la_date(commune.date).ok();
    if regime == Some(Regime::Loi2025) {
        c.point_ouvert("L101");
    }
    if commune.date > FIN_VERIFICATION {
        c.point_ouvert("L102");
    }
    // Rows of the terme de référence still from memory (IM 826 in 2017–2018, point of 2016).
    if super::terme_reference(commune.date).is_ok_and(|t| t.statut == Statut::NonVerifie) {
        c.point_ouvert("L117");
    }
    // L2121-2 table for councils elected from March 2026 (reference §6.1: PARTIAL); with
    // `effectif_conseil` the scenario's own size is used instead (L110 below).
    if p.effectif_conseil.is_none()
        && statut_effectif_legal(commune.population_municipale, commune.date) != Statut::Verifie
    {
        c.point_ouvert("L118");
    }
    let maires_delegues = s.elus.iter().any(|e| e.fonction == Fonction::MaireDelegue);
    let adjoints_maires_delegues = s
        .elus
        .iter()
        .any(|e| e.fonction == Fonction::AdjointMaireDelegue);
    // Majorations of maires délégué·es (and of their adjoint·es, the same reading) on the
    // commune déléguée's population (reference §4: PARTIAL, QE 16-802 only); also flagged in
    // each line's status (`MajorationsElu::statut`).
    if (maires_delegues || adjoints_maires_delegues) && !p.majorations.is_empty() {
        c.point_ouvert("L119");
    }
    // Adjoint·es au maire délégué·e outside the enveloppe and the separate cap of L2113-19
    // (a reading: the text names only the adjoint·es of the commune nouvelle and the maires
    // délégué·es).
    if adjoints_maires_delegues {
        c.point_ouvert("L123");
    }
    if regime == Some(Regime::Loi2025) && (p.commune_nouvelle || maires_delegues) {
        c.point_ouvert("L103");
    }
    let nq = adjoints.iter().filter(|e| e.quartier.is_some()).count();
    if nq > 0 && commune.plm.is_none() {
        if regime == Some(Regime::Loi2025) && commune.quartier {
            c.point_ouvert("L104");
        }
        c.point_ouvert("L112");
        // The same population as the cap above (L2122-2-1 reads the population totale).
        if max_adjoints_quartier(commune.population_totale, 0).eligibilite
            == EligibiliteQuartier::SiConseilsDeQuartier
        {
            // L2122-2-1 via L2143-1: 20 000 – 79 999 (reference §6.2: PARTIAL).
            c.point_ouvert("L111");
        }
    }
    if adjoints.iter().any(|e| e.taux_actuel.is_some()) {
        c.point_ouvert("L105");
    }
    // reference §4: only the cumulation 1° + 2° is explicit (R2123-23 2°).
    let (categories, chef_lieu_ecarte) = categories_retenues(&p.majorations);
    if !cumul_explicite(&categories) {
        c.point_ouvert("L106");
    }
    if categories.contains(&Majoration::Dsu) {
        c.point_ouvert("L107");
    }
    if chef_lieu_ecarte {
        c.point_ouvert("L115");
    }
    // CGCT L2123-24-1 I: communes of 100 000 inhabitants and more.
    if perimetre(Fonction::Conseiller, commune.population_totale).perimetre
        == Perimetre::HorsEnveloppe
    {
        if s.elus
            .iter()
            .any(|e| e.fonction == Fonction::ConseillerDelegue)
        {
            c.point_ouvert("L109");
        }
        if commune.plm.is_none()
            && s.elus.iter().any(|e| {
                e.fonction == Fonction::Conseiller && e.taux_actuel.is_some_and(|t| t > 0.0)
            })
        {
            c.point_ouvert("L114");
        }
    }
    // L2121-2-1 is about small councils only; a commune nouvelle's council declared above the
    // ordinary size is an enlarged council (L120 below).
    if commune.petit_conseil() {
        c.point_ouvert("L110");
    }
    // Enlarged council of a commune nouvelle: the members counted in the L2113-8 cap, the
    // transitional council and the loi 2025-444 extension are readings.
    if commune.elargi().is_some() {
        c.point_ouvert("L120");
    }
    if commune.plm.is_some() {
        c.point_ouvert("L122");
    }
    // L2122-7-2: below 1 000 the alternation depends on the 2026 trigger date (L116).
    if commune.population_municipale < SEUIL_ALTERNANCE && !adjoints.is_empty() {
        c.point_ouvert("L116");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::date;
    use crate::model::{
        CommuneDeleguee, Delegation, Entite, GroupesParams, IndemnitesParams, Liste, Niveau, Noeud,
        Organigramme, Role, ScenarioParams, Sexe,
    };
    use chrono::NaiveDate;

    fn elu(id: &str, fonction: Fonction, sexe: Sexe, rang: Option<u32>) -> Elu {
        Elu {
            id: id.to_string(),
            nom: id.to_uppercase(),
            prenom: "Camille".to_string(),
            sexe,
            fonction,
            rang,
            groupe: None,
            liste: Liste::Majorite,
            composante: None,
            quartier: None,
            commune_deleguee: None,
            axe: None,
            taux_actuel: None,
            autres_indemnites_eur: None,
            taux_actuel_eur: None,
            chef_de_file: None,
            cessation_activite: None,
            ligne: 2,
        }
    }

    fn organigramme() -> Organigramme {
        Organigramme::new(
            vec![Noeud {
                id: "dgs".to_string(),
                libelle: "DGS".to_string(),
                parent: None,
                niveau: Niveau::Dgs,
                effectif: 1.0,
                budget: 0.0,
                entite: Entite::Ville,
                axes: Vec::new(),
                secondaires: Vec::new(),
                territoire: None,
                estime: false,
                enfants: Vec::new(),
                profondeur: 0,
                ligne: 2,
            }],
            0,
        )
    }

    /// A council of `effectif` élu·es: the maire, `adjoints` alternated F/M from rank 1, and
    /// plain conseiller·es for the rest.
    fn scenario(date: NaiveDate, population: u32, effectif: usize, adjoints: u32) -> Scenario {
        let mut elus = vec![elu("maire", Fonction::Maire, Sexe::M, None)];
        for r in 1..=adjoints {
            let sexe = if r % 2 == 1 { Sexe::F } else { Sexe::M };
            elus.push(elu(&format!("a{r}"), Fonction::Adjoint, sexe, Some(r)));
        }
        let mut i = 0;
        while elus.len() < effectif {
            i += 1;
            elus.push(elu(&format!("c{i}"), Fonction::Conseiller, Sexe::F, None));
        }
        Scenario {
            params: ScenarioParams {
                nom: "test".to_string(),
                date,
                population_totale: population,
                population_municipale: population,
                effectif_conseil: None,
                commune: Default::default(),
                commune_nouvelle: false,
                communes_deleguees: Vec::new(),
                majorations: Vec::new(),
                taux_sinistre: None,
                axes: Vec::new(),
                indemnites: IndemnitesParams::default(),
                groupes: GroupesParams::default(),
                reorganisation: Default::default(),
            },
            organigramme: organigramme(),
            elus,
            delegations: Vec::new(),
            delegations_sans_service: Vec::new(),
        }
    }

    fn codes(f: &[LegalFinding]) -> Vec<&'static str> {
        f.iter().map(|x| x.code).collect()
    }

    /// L2122-2-1's 20 000 threshold reads the population totale, in the cap and in the open
    /// point alike (issue 27 item 6: one population per threshold).
    #[test]
    fn quartier_thresholds_read_the_population_totale_everywhere() {
        let mut s = scenario(date(2026, 4, 1), 19_500, 33, 9);
        s.params.population_totale = 20_400;
        s.elus[1].quartier = Some("nord".into());
        let f = verifier_composition(&s);
        assert!(codes(&f).contains(&"L111"), "{:?}", codes(&f));
        s.params.population_totale = 19_900;
        s.params.population_municipale = 20_400;
        let f = verifier_composition(&s);
        assert!(!codes(&f).contains(&"L111"), "{:?}", codes(&f));
    }

    fn d(y: i32, m: u32, j: u32) -> NaiveDate {
        date(y, m, j)
    }

    #[test]
    fn a_lawful_council_has_no_error_or_alert() {
        let s = scenario(d(2024, 6, 1), 130000, 55, 16);
        let f = verifier_composition(&s);
        assert!(
            f.iter().all(|x| x.gravite == Gravite::Info),
            "{:?}",
            codes(&f)
        );
    }

    #[test]
    fn council_size() {
        let s = scenario(d(2024, 6, 1), 130000, 56, 16);
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L001").expect("L001");
        assert_eq!(l.gravite, Gravite::Erreur);
        assert!(l.message.contains("56 élu·es"), "{}", l.message);
        assert!(l.message.contains("55"), "{}", l.message);
        let s = scenario(d(2024, 6, 1), 130000, 50, 16);
        let l = verifier_composition(&s)
            .into_iter()
            .find(|x| x.code == "L001")
            .expect("L001");
        assert_eq!(l.gravite, Gravite::Alerte);
    }

    #[test]
    fn seventeen_adjoints_for_55_seats_is_one_too_many() {
        let s = scenario(d(2024, 6, 1), 130000, 55, 17);
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L002").expect("L002");
        assert_eq!(l.gravite, Gravite::Erreur);
        assert!(l.message.contains("maximum de 16"), "{}", l.message);
        assert_eq!(l.article, "CGCT L2122-2 ; L2122-2-1");
    }

    #[test]
    fn quartier_adjoints_extend_the_cap_up_to_ten_percent() {
        // 55 seats: 16 + 5 quartier = 21 allowed
        let mut s = scenario(d(2024, 6, 1), 130000, 55, 21);
        for e in s.elus.iter_mut().filter(|e| e.rang.unwrap_or(0) > 16) {
            e.quartier = Some("nord".to_string());
        }
        let f = verifier_composition(&s);
        assert!(!codes(&f).contains(&"L002"), "{:?}", codes(&f));
        assert!(!codes(&f).contains(&"L003"));
        assert!(codes(&f).contains(&"L112"));
        // a 6th quartier adjoint exceeds the 10 %
        let rang17 = s
            .elus
            .iter_mut()
            .find(|e| e.rang == Some(16))
            .expect("rank 16");
        rang17.quartier = Some("sud".to_string());
        let f = verifier_composition(&s);
        assert!(codes(&f).contains(&"L003"));
        // below 20 000 no quartier adjoint at all
        let mut s = scenario(d(2024, 6, 1), 15000, 33, 9);
        s.elus[1].quartier = Some("centre".to_string());
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L003").expect("L003");
        assert_eq!(l.sujets, vec!["a1".to_string()]);
    }

    #[test]
    fn two_women_in_a_row_break_the_alternation() {
        let mut s = scenario(d(2024, 6, 1), 130000, 55, 16);
        // ranks 1 F, 2 M, 3 F, 4 M … ; make rank 2 a woman: (1,2) and (2,3) break
        s.elus[2].sexe = Sexe::F;
        let f = verifier_composition(&s);
        let l4: Vec<&LegalFinding> = f.iter().filter(|x| x.code == "L004").collect();
        assert_eq!(l4.len(), 2);
        assert!(l4[0].message.contains("rangs 1 et 2"), "{}", l4[0].message);
        assert_eq!(l4[0].sujets, vec!["a1".to_string(), "a2".to_string()]);
        assert!(l4[1].message.contains("rangs 2 et 3"));
        assert_eq!(l4[0].article, "CGCT L2122-7-2");
    }

    #[test]
    fn alternation_below_1000_only_from_march_2026() {
        let mut s = scenario(d(2025, 6, 1), 800, 15, 4);
        s.elus[2].sexe = Sexe::F;
        assert!(!codes(&verifier_composition(&s)).contains(&"L004"));
        s.params.date = d(2026, 4, 1);
        let f = verifier_composition(&s);
        assert!(codes(&f).contains(&"L004"));
        assert!(codes(&f).contains(&"L116"));
    }

    #[test]
    fn missing_rank_is_an_alert() {
        let mut s = scenario(d(2024, 6, 1), 130000, 55, 16);
        s.elus[3].rang = None;
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L006").expect("L006");
        assert_eq!(l.sujets, vec!["a3".to_string()]);
    }

    #[test]
    fn adjoint_with_a_commune_deleguee_is_flagged() {
        let mut s = scenario(d(2024, 6, 1), 12000, 33, 9);
        s.params.commune_nouvelle = true;
        s.elus[9].commune_deleguee = Some("cd1".to_string());
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L005").expect("L005");
        // unknown commune déléguée: an alerte
        assert_eq!(l.gravite, Gravite::Alerte);
        assert_eq!(l.sujets, vec!["a9".to_string()]);
        assert_eq!(l.article, "CGCT L2113-13 ; L2113-19");
        // issue 16 §1: a maire délégué·e elected adjoint·e (L2113-13, L2113-19) is lawful:
        // counted in the 30 %, paid as adjoint·e (non-cumul)
        s.params.communes_deleguees = vec![CommuneDeleguee {
            id: "cd1".to_string(),
            nom: "Bourg".to_string(),
            population: 800,
        }];
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L005").expect("L005");
        assert_eq!(l.gravite, Gravite::Info);
        assert!(l.message.contains("non-cumul") || l.message.contains("sans cumul"));
        // the other reading of « adjoint + commune déléguée » is pointed to
        assert!(
            l.suggestion.contains("adjoint_maire_delegue"),
            "{}",
            l.suggestion
        );
        assert!(!codes(&f).contains(&"L002"), "{:?}", codes(&f));
    }

    #[test]
    fn maires_delegues_are_not_counted_in_the_thirty_percent() {
        // 12 000 inhabitants, 33 seats: 9 adjoints + 2 maires délégués is lawful
        let mut s = scenario(d(2024, 6, 1), 12000, 33, 9);
        s.params.commune_nouvelle = true;
        s.params.communes_deleguees = vec![
            CommuneDeleguee {
                id: "cd1".to_string(),
                nom: "Bourg".to_string(),
                population: 800,
            },
            CommuneDeleguee {
                id: "cd2".to_string(),
                nom: "Val".to_string(),
                population: 2000,
            },
        ];
        for (k, cd) in ["cd1", "cd2"].iter().enumerate() {
            let e = &mut s.elus[10 + k];
            e.fonction = Fonction::MaireDelegue;
            e.commune_deleguee = Some(cd.to_string());
        }
        let f = verifier_composition(&s);
        assert!(!codes(&f).contains(&"L002"), "{:?}", codes(&f));
        assert!(codes(&f).contains(&"L113"));
        // maire délégué of the 800-inhabitant commune above its 40,3 % cap (2024)
        s.elus[10].taux_actuel = Some(45.0);
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L007").expect("L007");
        assert_eq!(l.article, "CGCT L2113-19");
        assert!(l.message.contains("40,3\u{202f}%"), "{}", l.message);
        // L2113-19 cap: 9 × 27,5 + 40,3 + 51,6 = 339,4 %; 9 × 30 + 40 + 40 = 350 % exceeds it
        s.elus[10].taux_actuel = Some(40.0);
        s.elus[11].taux_actuel = Some(40.0);
        for e in s
            .elus
            .iter_mut()
            .filter(|e| e.fonction == Fonction::Adjoint)
        {
            e.taux_actuel = Some(30.0);
        }
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L009").expect("L009");
        assert!(l.message.contains("350\u{202f}%"), "{}", l.message);
        assert!(l.message.contains("339,4\u{202f}%"), "{}", l.message);
        // 2025 regime: the interaction with the new envelope rule is an open point
        s.params.date = d(2026, 4, 1);
        assert!(codes(&verifier_composition(&s)).contains(&"L103"));
    }

    #[test]
    fn adjoints_au_maire_delegue_are_outside_the_thirty_percent_the_enveloppe_and_l2113_19() {
        // 12 000 inhabitants, 33 seats: 9 adjoint·es (the 30 % maximum) + 1 maire délégué·e of a
        // commune déléguée of 4 100 inhabitants + 2 adjoint·es au maire délégué·e
        let mut s = scenario(d(2024, 6, 1), 12000, 33, 9);
        s.params.commune_nouvelle = true;
        s.params.communes_deleguees = vec![CommuneDeleguee {
            id: "cd1".to_string(),
            nom: "Bourg".to_string(),
            population: 4100,
        }];
        for k in 10..13 {
            s.elus[k].commune_deleguee = Some("cd1".to_string());
            s.elus[k].fonction = Fonction::AdjointMaireDelegue;
        }
        s.elus[10].fonction = Fonction::MaireDelegue;
        let f = verifier_composition(&s);
        // not adjoint·es of the commune nouvelle: no L002 with 9 + 2 (L2113-13)
        assert!(!codes(&f).contains(&"L002"), "{:?}", codes(&f));
        // the reading is raised as an open point
        let l = f.iter().find(|x| x.code == "L123").expect("L123");
        assert_eq!(l.gravite, Gravite::Info);
        assert_eq!(l.article, "CGCT L2113-13 ; L2113-19");
        // L2113-19: capped on the adjoint barème of the 3 500 – 9 999 stratum, 22 % in 2024
        // (not the commune nouvelle's 27,5 %)
        s.elus[11].taux_actuel = Some(22.0);
        assert!(!codes(&verifier_composition(&s)).contains(&"L007"));
        s.elus[11].taux_actuel = Some(22.5);
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L007").expect("L007");
        assert_eq!((l.gravite, l.article), (Gravite::Erreur, "CGCT L2113-19"));
        assert!(l.message.contains("22\u{202f}%"), "{}", l.message);
        assert_eq!(l.sujets, vec!["c2".to_string()]);
        // Outside the enveloppe (L008) and the separate cap (L009): the maire at the barème
        // (65 %), the 9 adjoint·es at 27,5 % fill the enveloppe (312,5 %) and the L2113-19 cap
        // (9 × 27,5 + 55 = 302,5 %) exactly; the adjoint·es au maire délégué·e at 22 % break
        // neither.
        for e in s.elus.iter_mut() {
            e.taux_actuel = match e.fonction {
                Fonction::Adjoint => Some(27.5),
                Fonction::MaireDelegue => Some(55.0),
                Fonction::AdjointMaireDelegue => Some(22.0),
                _ => e.taux_actuel,
            };
        }
        let f = verifier_composition(&s);
        assert!(
            !codes(&f)
                .iter()
                .any(|c| ["L007", "L008", "L009"].contains(c)),
            "{:?}",
            codes(&f)
        );
        // not a commune nouvelle: L013, as for a maire délégué·e
        s.params.commune_nouvelle = false;
        let f = verifier_composition(&s);
        assert!(
            f.iter()
                .any(|x| x.code == "L013" && x.sujets == vec!["c2".to_string()]),
            "{:?}",
            codes(&f)
        );
    }

    #[test]
    fn unknown_commune_deleguee() {
        let mut s = scenario(d(2024, 6, 1), 12000, 33, 9);
        s.params.commune_nouvelle = true;
        s.elus[10].fonction = Fonction::MaireDelegue;
        s.elus[10].commune_deleguee = Some("nulle-part".to_string());
        assert!(codes(&verifier_composition(&s)).contains(&"L011"));
    }

    #[test]
    fn individual_caps_on_voted_rates() {
        let mut s = scenario(d(2024, 6, 1), 30000, 35, 10);
        s.elus[0].taux_actuel = Some(80.0); // maire below barème (90 %)
        s.elus[1].taux_actuel = Some(85.0); // adjoint above the maire's 80 % (strict reading)
        s.elus[2].taux_actuel = Some(95.0); // adjoint above the maire's maximum 90 %
        s.elus[20].taux_actuel = Some(6.5); // plain conseiller above 6 %
        let f = verifier_composition(&s);
        let l7: Vec<&LegalFinding> = f.iter().filter(|x| x.code == "L007").collect();
        assert_eq!(l7.len(), 3, "{l7:?}");
        let a1 = l7.iter().find(|x| x.sujets == ["a1"]).expect("a1");
        assert_eq!(a1.gravite, Gravite::Alerte);
        let a2 = l7.iter().find(|x| x.sujets == ["a2"]).expect("a2");
        assert_eq!(a2.gravite, Gravite::Erreur);
        assert!(a2.message.contains("95\u{202f}%"));
        let c = l7.iter().find(|x| x.sujets == ["c10"]).expect("c10");
        assert_eq!(c.article, "CGCT L2123-24-1 I et II");
        assert!(codes(&f).contains(&"L014"));
        assert!(codes(&f).contains(&"L105"));
    }

    #[test]
    fn envelope_2019_counts_adjoints_holding_a_delegation() {
        // 5 000 inhabitants in 2024, 29 seats, 8 adjoints, only a1 and a2 hold a délégation:
        // enveloppe = 55 + 2 × 22 = 99 % ; maire 55 + a1 30 + a2 20 = 105 % > 99 %
        let mut s = scenario(d(2024, 6, 1), 5000, 29, 8);
        s.elus[1].taux_actuel = Some(30.0);
        s.elus[2].taux_actuel = Some(20.0);
        s.delegations = vec![
            Delegation {
                elu: 1,
                noeud: 0,
                role: Role::Pilote,
                libelle: "Éducation".to_string(),
                ligne: 2,
                domaines: Vec::new(),
            },
            Delegation {
                elu: 2,
                noeud: 0,
                role: Role::Appui,
                libelle: "Culture".to_string(),
                ligne: 3,
                domaines: Vec::new(),
            },
        ];
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L008").expect("L008");
        assert!(l.message.contains("105\u{202f}%"), "{}", l.message);
        assert!(l.message.contains("99\u{202f}%"), "{}", l.message);
        assert!(!codes(&f).contains(&"L016"), "{:?}", codes(&f));
        // a3 paid without any délégation: not lawful (effective délégation required)
        s.elus[3].taux_actuel = Some(10.0);
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L016").expect("L016");
        assert_eq!(
            (l.gravite, l.sujets.as_slice()),
            (Gravite::Alerte, &["a3".to_string()][..])
        );
        s.elus[3].taux_actuel = None;
        // 2026: theoretical 8 adjoints, 58,3 + 8 × 23,32 = 244,86 % ⇒ no more excess
        s.params.date = d(2026, 4, 1);
        let f = verifier_composition(&s);
        assert!(!codes(&f).contains(&"L008"));
        assert!(codes(&f).contains(&"L101"));
        assert!(codes(&f).contains(&"L102"));
    }

    #[test]
    fn plain_conseillers_over_100000_are_outside_the_envelope() {
        // 130 000 in 2026: enveloppe 145 + 16 × 66 = 1 201 %; adjoints at 70 % = 1 120 + 145
        // = 1 265 % ⇒ L008; plain conseillers at 6 % do not count
        let mut s = scenario(d(2026, 4, 1), 130000, 55, 16);
        for e in s.elus.iter_mut() {
            e.taux_actuel = match e.fonction {
                Fonction::Adjoint => Some(70.0),
                Fonction::Conseiller => Some(6.0),
                _ => None,
            };
        }
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L008").expect("L008");
        assert!(l.message.contains("1\u{202f}265\u{202f}%"), "{}", l.message);
        assert!(l.message.contains("1\u{202f}201\u{202f}%"), "{}", l.message);
        assert!(codes(&f).contains(&"L114"));
    }

    #[test]
    fn envelope_perimeter_at_the_100000_boundary_both_rules() {
        // Inside exactly at the envelope: maire at the barème + every adjoint at the adjoint rate
        // (2019: all adjoint·es hold a délégation since the scenario has none; 2025: theoretical
        // maximum). Plain conseiller·es at 6 % are inside below 100 000 (L2123-24-1 II) and
        // outside from 100 000 (L2123-24-1 I, reference §3).
        // (population, seats, adjoint·es, adjoint rate, L008 expected)
        let cases = [(99999, 53, 15, 44.0, true), (100000, 55, 16, 66.0, false)];
        for date in [d(2024, 6, 1), d(2026, 4, 1)] {
            for (pop, sieges, nb, taux, l008) in cases {
                let mut s = scenario(date, pop, sieges, nb);
                for e in s.elus.iter_mut() {
                    if e.fonction == Fonction::Adjoint {
                        e.taux_actuel = Some(taux);
                    }
                }
                let f = verifier_composition(&s);
                assert!(
                    !codes(&f).contains(&"L008"),
                    "{date} {pop}: {:?}",
                    codes(&f)
                );
                for e in s.elus.iter_mut() {
                    if e.fonction == Fonction::Conseiller {
                        e.taux_actuel = Some(6.0);
                    }
                }
                let f = verifier_composition(&s);
                assert_eq!(codes(&f).contains(&"L008"), l008, "{date} {pop}");
                assert_eq!(codes(&f).contains(&"L114"), !l008, "{date} {pop}");
            }
        }
    }

    #[test]
    fn majoration_open_points() {
        use Majoration::*;
        let avec = |m: &[Majoration]| {
            let mut s = scenario(d(2024, 6, 1), 30000, 35, 10);
            s.params.majorations = m.to_vec();
            s.params.taux_sinistre = Some(10.0);
            codes(&verifier_composition(&s))
        };
        // 1° + 2°: cumulation explicit in R2123-23 2°, no open point
        let c = avec(&[ChefLieuDepartement, CommuneSinistree]);
        assert!(!c.contains(&"L106") && !c.contains(&"L115"), "{c:?}");
        // two 1° categories: only the highest kept (L115), no cumulation left
        let c = avec(&[ChefLieuDepartement, ChefLieuArrondissement]);
        assert!(c.contains(&"L115") && !c.contains(&"L106"), "{c:?}");
        // station + DSU: cumulation is a best belief, and the DSU computation too
        let c = avec(&[StationTourisme, Dsu]);
        assert!(c.contains(&"L106") && c.contains(&"L107"), "{c:?}");
    }

    #[test]
    fn small_council_sizes_from_2026_are_an_open_point() {
        // reference §6.1: L2121-2 unchanged for 100 – 3 499 is PARTIAL (2024 Senate bill)
        let s = scenario(d(2026, 4, 1), 800, 15, 4);
        assert!(codes(&verifier_composition(&s)).contains(&"L118"));
        let s = scenario(d(2025, 6, 1), 800, 15, 4);
        assert!(!codes(&verifier_composition(&s)).contains(&"L118"));
        let s = scenario(d(2026, 4, 1), 3500, 27, 8);
        assert!(!codes(&verifier_composition(&s)).contains(&"L118"));
        // a council réputé complet uses its own size: L110 instead
        let mut s = scenario(d(2026, 4, 1), 450, 9, 2);
        s.params.effectif_conseil = Some(9);
        let c = codes(&verifier_composition(&s));
        assert!(c.contains(&"L110") && !c.contains(&"L118"), "{c:?}");
        assert!(!c.contains(&"L001") && !c.contains(&"L002"), "{c:?}");
    }

    #[test]
    fn ecretement_alert() {
        let mut s = scenario(d(2024, 6, 1), 130000, 55, 16);
        s.elus[0].autres_indemnites_eur = Some(4000.0);
        let f = verifier_composition(&s);
        let l = f.iter().find(|x| x.code == "L010").expect("L010");
        // 5 960,26 + 4 000 − 8 897,93 = 1 062,33 € écrêtés
        assert!(
            l.message.contains("1\u{202f}062,33\u{202f}€"),
            "{}",
            l.message
        );
        assert!(codes(&f).contains(&"L108"));
    }

    #[test]
    fn ecretement_before_2024_uses_the_dated_parliamentary_indemnity() {
        // 2021: cap 1,5 × 5 623,23 = 8 434,85 € (reference §13); no spurious L015
        let mut s = scenario(d(2021, 6, 1), 130000, 55, 16);
        s.elus[0].autres_indemnites_eur = Some(4000.0);
        let f = verifier_composition(&s);
        assert!(!codes(&f).contains(&"L015"), "{:?}", codes(&f));
        let l = f.iter().find(|x| x.code == "L010").expect("L010");
        // maire 145 % of 3 889,40… = 5 639,63 € ; + 4 000 − 8 434,85 = 1 204,78 € écrêtés
        assert!(
            l.message.contains("8\u{202f}434,85\u{202f}€"),
            "{}",
            l.message
        );
        assert!(
            l.message.contains("1\u{202f}204,78\u{202f}€"),
            "{}",
            l.message
        );
    }

    #[test]
    fn date_before_the_tables_is_a_finding_not_a_panic() {
        let s = scenario(d(2018, 6, 1), 5000, 29, 8);
        let f = verifier_composition(&s);
        assert!(codes(&f).contains(&"L015"));
    }

    #[test]
    fn errors_come_first_and_info_last() {
        let s = scenario(d(2026, 4, 1), 130000, 56, 17);
        let f = verifier_composition(&s);
        let g: Vec<Gravite> = f.iter().map(|x| x.gravite).collect();
        let mut sorted = g.clone();
        sorted.sort();
        assert_eq!(g, sorted);
    }

    #[test]
    fn open_point_codes_are_unique() {
        let codes: BTreeSet<&str> = POINTS_OUVERTS.iter().map(|p| p.code).collect();
        assert_eq!(codes.len(), POINTS_OUVERTS.len());
    }
}
