//! `elus.csv` → [`Elu`]s and `delegations.csv` → [`Delegation`]s.

use super::error::{Code, Diagnostic};
use super::organigramme::find_axe;
/// The columns live in [`super::schema`], with their types and how they are written.
pub use super::schema::{COLONNES_DELEGATIONS, COLONNES_ELUS};
use super::table::{Colonne, Ligne, Source, normalise, parse_nombre, read_table, valeur_unique};
use crate::model::{
    Axe, CommuneDeleguee, Delegation, DelegationSansService, Elu, Fonction, Liste, Organigramme,
    Role, Sexe,
};
use std::collections::{BTreeMap, BTreeSet};

const ID: usize = 0;
const NOM: usize = 1;
const PRENOM: usize = 2;
const SEXE: usize = 3;
const FONCTION: usize = 4;
const RANG: usize = 5;
const GROUPE: usize = 6;
const LISTE: usize = 7;
const COMPOSANTE: usize = 8;
const QUARTIER: usize = 9;
const COMMUNE: usize = 10;
const AXE: usize = 11;
const TAUX: usize = 12;
const AUTRES: usize = 13;
const CHEF: usize = 14;

/// Largest council accepted, in élu·es: the largest French council has 163 members (Paris,
/// CGCT L2121-2 and L2511-8), a commune nouvelle's transitional council a few hundred.
pub const MAX_ELUS: usize = 1_000;
/// Largest `taux_actuel` accepted, in % of the indice brut terminal (the legal maxima are far
/// below; the analyser checks them, this bound only catches typos and absurd magnitudes).
pub const MAX_TAUX: f64 = 1_000.0;
/// Largest `autres_indemnites_eur` accepted, in euros per month.
pub const MAX_AUTRES_EUR: f64 = 1_000_000.0;

/// Parses a fonction (accents, case, `·` and spaces ignored; RNE wordings accepted).
pub fn parse_fonction(s: &str) -> Option<Fonction> {
    let n = normalise(s);
    Some(match n.as_str() {
        "maire" => Fonction::Maire,
        "adjoint"
        | "adjointe"
        | "adjoint_au_maire"
        | "adjointe_au_maire"
        | "adjoint_de_quartier"
        | "adjointe_de_quartier" => Fonction::Adjoint,
        "maire_delegue" | "maire_deleguee" | "maire_delegue_e" => Fonction::MaireDelegue,
        "adjoint_maire_delegue"
        | "adjointe_maire_deleguee"
        | "adjoint_e_maire_delegue_e"
        | "adjoint_au_maire_delegue"
        | "adjoint_au_maire_deleguee"
        | "adjointe_au_maire_delegue"
        | "adjointe_au_maire_deleguee"
        | "adjoint_e_au_maire_delegue_e"
        | "amd" => Fonction::AdjointMaireDelegue,
        "conseiller_delegue"
        | "conseillere_deleguee"
        | "conseillere_delegue"
        | "conseiller_municipal_delegue"
        | "conseillere_municipale_deleguee"
        | "cmd" => Fonction::ConseillerDelegue,
        "conseiller" | "conseillere" | "conseiller_municipal" | "conseillere_municipale" | "" => {
            Fonction::Conseiller
        }
        "maire_arrondissement" | "maire_secteur" => Fonction::MaireArrondissement,
        "adjoint_arrondissement" | "adjoint_secteur" => Fonction::AdjointArrondissement,
        // Paris, Lyon, Marseille (L2511-25, L2511-28): « maire de secteur », « maire
        // d'arrondissement », « adjointe d'arrondissement », « 3e adjoint au maire de secteur ».
        _ if n.contains("arrondissement") || n.contains("secteur") => {
            if n.contains("adjoint") {
                Fonction::AdjointArrondissement
            } else if n.starts_with("maire") {
                Fonction::MaireArrondissement
            } else {
                return None;
            }
        }
        // « 2e adjointe au maire déléguée de Val » (L2113-13): an adjoint·e *au* maire délégué·e,
        // not a maire délégué·e elected adjoint·e (« maire délégué, adjoint », written adjoint).
        _ if n
            .find("adjoint")
            .zip(n.find("maire_delegu"))
            .is_some_and(|(a, m)| a < m) =>
        {
            Fonction::AdjointMaireDelegue
        }
        _ if n.contains("adjoint") => Fonction::Adjoint,
        _ => return None,
    })
}

/// Parses a sex code.
pub fn parse_sexe(s: &str) -> Option<Sexe> {
    match normalise(s).as_str() {
        "f" | "femme" | "feminin" | "mme" | "madame" => Some(Sexe::F),
        "m" | "h" | "homme" | "masculin" | "monsieur" => Some(Sexe::M),
        _ => None,
    }
}

/// Parses majority/opposition (empty = majorité: a council imported from the RNE has no list
/// yet, and the majority is what collegia plans).
pub fn parse_liste(s: &str) -> Option<Liste> {
    match normalise(s).as_str() {
        "" | "majorite" | "maj" => Some(Liste::Majorite),
        "opposition" | "opp" | "minorite" => Some(Liste::Opposition),
        _ => None,
    }
}

/// Parses a yes/no cell: `Some(None)` when empty, `Some(Some(b))` for oui/non (and their usual
/// spellings), `None` for anything else.
pub fn parse_oui_non(s: &str) -> Option<Option<bool>> {
    match normalise(s).as_str() {
        "" => Some(None),
        "oui" | "o" | "x" | "1" | "vrai" | "true" | "yes" => Some(Some(true)),
        "non" | "n" | "0" | "faux" | "false" | "no" => Some(Some(false)),
        _ => None,
    }
}

/// Reads a yes/no cell, or pushes E039.
pub(crate) fn oui_non(
    diags: &mut Vec<Diagnostic>,
    f: &str,
    ligne: usize,
    colonne: &str,
    raw: &str,
) -> Option<bool> {
    parse_oui_non(raw).unwrap_or_else(|| {
        diags.push(
            Diagnostic::fichier(
                Code::E039,
                f,
                format!("« {colonne} » attend oui ou non, pas « {raw} »"),
            )
            .ligne(ligne)
            .colonne(colonne)
            .valeur(raw)
            .aide("écrivez oui ou non (ou laissez la cellule vide : non renseigné)"),
        );
        None
    })
}

/// Alerte (E056) for a `taux_actuel` between 0 and 1: a fraction (0,22) where a percentage of
/// the indice brut terminal (22) is meant, which would skew every comparison with the plan.
/// Not an error: a rate under 1 % is lawful, only implausible. The message does not carry the
/// value, so that a whole column written as fractions collapses into one alerte.
fn taux_fraction(f: &str, ligne: usize, colonne: &str, brut: &str) -> Diagnostic {
    Diagnostic::fichier(
        Code::E056,
        f,
        "taux inférieur à 1 % : une fraction là où un pourcentage est attendu ?",
    )
    .ligne(ligne)
    .colonne(colonne)
    .valeur(brut)
    .aide("le taux est en % de l'indice brut terminal : écrivez 22 pour 22 % (et non 0,22) ; laissez la valeur si le taux voté est vraiment inférieur à 1 %")
}

/// True when a `taux_actuel` cell is an amount in euros (« 2 380 € », « 2380 EUR »), not a rate.
pub fn est_en_euros(raw: &str) -> bool {
    let n = raw.trim().to_lowercase();
    n.contains('€') || n.ends_with("eur") || n.ends_with("euros")
}

/// Parses the number of a euro amount (« 2 380 € », « 2 380,50 euros »).
fn nombre_euros(raw: &str) -> String {
    let t = raw.trim();
    let lower = t.to_lowercase();
    for suffixe in ["euros", "eur"] {
        if lower.ends_with(suffixe) {
            return t[..t.len() - suffixe.len()].to_string();
        }
    }
    t.to_string()
}

/// Converts the `taux_actuel` written in euros into a rate, at the terme de référence of the
/// scenario's date (`montant / terme × 100`, rounded to the hundredth of a point): the
/// conversion the indemnités report shows beside the amount. Élu·es whose `taux_actuel` is
/// already a rate are left as they are; without a terme de référence at that date (E032 is
/// reported then) nothing is converted.
pub fn convertir_taux_euros(elus: &mut [Elu], date: chrono::NaiveDate) {
    let Ok(reference) = crate::law::terme_reference(date) else {
        return;
    };
    for e in elus.iter_mut() {
        if let Some(eur) = e.taux_actuel_eur {
            let Ok(m) = crate::law::decimal_depuis_f64("taux_actuel", eur) else {
                continue;
            };
            let t = reference.taux(m).round_dp(2);
            e.taux_actuel = rust_decimal::prelude::ToPrimitive::to_f64(&t);
        }
    }
}

/// [`convertir_taux_euros`] for a scenario: when `montants_avec_majorations = true` says that
/// the amounts in € include the majorations (L2123-22) the commune votes, the rate is the
/// amount's rate divided by (1 + the majoration of one voted point), so that the checks and
/// the enveloppe compare what the law compares, the indemnité before majorations (CE 1/7/2022
/// n° 452223). The DSU's cap at the next stratum is ignored there (the rate found is then at
/// most the true one).
pub fn convertir_taux_euros_scenario(elus: &mut [Elu], p: &crate::model::ScenarioParams) {
    convertir_taux_euros(elus, p.date);
    if !p.commune.montants_avec_majorations || p.majorations.is_empty() {
        return;
    }
    let Ok(commune) = crate::law::Commune::depuis_params(p, false) else {
        return;
    };
    for e in elus.iter_mut() {
        let (Some(_), Some(t)) = (e.taux_actuel_eur, e.taux_actuel) else {
            continue;
        };
        let pop = e
            .commune_deleguee
            .as_ref()
            .filter(|_| e.est_de_commune_deleguee())
            .and_then(|id| p.communes_deleguees.iter().find(|cd| &cd.id == id))
            .map(|cd| cd.population);
        let Ok(m) = crate::law::majoration(&commune, e.fonction, rust_decimal::Decimal::ONE, pop)
        else {
            continue;
        };
        let Ok(t) = crate::law::decimal_depuis_f64("taux_actuel", t) else {
            continue;
        };
        let hors = (t / (rust_decimal::Decimal::ONE + m.taux_total)).round_dp(2);
        e.taux_actuel = rust_decimal::prelude::ToPrimitive::to_f64(&hors);
    }
}

/// Parses a role (empty = pilote).
pub fn parse_role(s: &str) -> Option<Role> {
    match normalise(s).as_str() {
        "" | "pilote" | "titulaire" | "principal" | "principale" => Some(Role::Pilote),
        "appui" | "soutien" | "associe" | "associee" => Some(Role::Appui),
        _ => None,
    }
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn col(t: &super::table::Table, spec: &[Colonne], i: usize) -> String {
    t.presentes[i]
        .clone()
        .unwrap_or_else(|| spec[i].nom.to_string())
}

fn nombre_opt(
    diags: &mut Vec<Diagnostic>,
    f: &str,
    l: &Ligne,
    colonne: &str,
    raw: &str,
    max: f64,
) -> Option<f64> {
    if raw.is_empty() {
        return None;
    }
    match parse_nombre(raw) {
        Some(v) if v > max => {
            diags.push(
                Diagnostic::fichier(
                    Code::E013,
                    f,
                    format!(
                        "« {colonne} » = {raw} dépasse le maximum admis ({})",
                        crate::format::nombre(max, 0)
                    ),
                )
                .ligne(l.numero)
                .colonne(colonne)
                .valeur(raw)
                .aide("vérifiez l'unité de la colonne (taux en % de l'indice brut terminal, montants en euros par mois)"),
            );
            None
        }
        Some(v) if v >= 0.0 => Some(v),
        Some(_) => {
            diags.push(
                Diagnostic::fichier(
                    Code::E013,
                    f,
                    format!("« {colonne} » ne peut pas être négatif"),
                )
                .ligne(l.numero)
                .colonne(colonne)
                .valeur(raw)
                .aide("donnez un nombre positif ou laissez la cellule vide"),
            );
            None
        }
        None => {
            diags.push(
                Diagnostic::fichier(Code::E012, f, format!("« {colonne} » n'est pas un nombre"))
                    .ligne(l.numero)
                    .colonne(colonne)
                    .valeur(raw)
                    .aide("écrivez un nombre, avec une virgule ou un point décimal (ex. 33,5)"),
            );
            None
        }
    }
}

/// Parses and validates `elus.csv`.
pub fn parse_elus(
    src: &Source,
    axes: &[Axe],
    communes: &[CommuneDeleguee],
) -> Result<Vec<Elu>, Vec<Diagnostic>> {
    parse_elus_avec(src, axes, communes, &mut Vec::new())
}

/// [`parse_elus`], also returning the non-blocking warnings (unknown columns, encoding) in
/// `avertissements`.
pub fn parse_elus_avec(
    src: &Source,
    axes: &[Axe],
    communes: &[CommuneDeleguee],
    avertissements: &mut Vec<Diagnostic>,
) -> Result<Vec<Elu>, Vec<Diagnostic>> {
    let t = read_table(src, COLONNES_ELUS)?;
    avertissements.extend(t.avertissements.iter().cloned());
    let f = t.fichier.as_str();
    let c = |i| col(&t, COLONNES_ELUS, i);
    let mut diags = Vec::new();
    if let Some(l) = t.lignes.get(MAX_ELUS) {
        return Err(vec![
            Diagnostic::fichier(
                Code::E021,
                f,
                format!(
                    "{} élu·es : c'est plus que tout conseil municipal (maximum admis {MAX_ELUS})",
                    t.lignes.len()
                ),
            )
            .ligne(l.numero)
            .aide("vérifiez qu'il s'agit du bon fichier : le plus grand conseil de France (Paris) compte 163 élu·es (CGCT L2121-2)"),
        ]);
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut rangs: BTreeMap<u32, usize> = BTreeMap::new();
    // Group ids by the file name they give: two spellings of one name would share a lettre.
    let mut groupes: BTreeMap<String, (String, usize)> = BTreeMap::new();
    let mut elus = Vec::new();
    for l in &t.lignes {
        let id = l.get(ID);
        if id.is_empty() {
            diags.push(
                Diagnostic::fichier(Code::E018, f, "identifiant vide")
                    .ligne(l.numero)
                    .colonne(&c(ID))
                    .aide("chaque élu·e doit avoir un identifiant unique (ex. E01)"),
            );
            continue;
        }
        if let Some(first) = seen.get(id) {
            diags.push(
                Diagnostic::fichier(
                    Code::E004,
                    f,
                    format!("identifiant « {id} » en double (déjà à la ligne {first})"),
                )
                .ligne(l.numero)
                .colonne(&c(ID))
                .valeur(id)
                .aide("donnez un identifiant unique à chaque élu·e"),
            );
            continue;
        }
        seen.insert(id.to_string(), l.numero);
        for (i, what) in [(NOM, "nom"), (PRENOM, "prénom")] {
            if l.get(i).is_empty() {
                diags.push(
                    Diagnostic::fichier(Code::E018, f, format!("{what} vide"))
                        .ligne(l.numero)
                        .colonne(&c(i))
                        .aide(format!("indiquez le {what} de l'élu·e")),
                );
            }
        }
        let sexe = parse_sexe(l.get(SEXE)).unwrap_or_else(|| {
            diags.push(
                Diagnostic::fichier(Code::E011, f, format!("sexe « {} » inconnu", l.get(SEXE)))
                    .ligne(l.numero)
                    .colonne(&c(SEXE))
                    .valeur(l.get(SEXE))
                    .aide("écrivez F ou M"),
            );
            Sexe::F
        });
        let fonction = parse_fonction(l.get(FONCTION)).unwrap_or_else(|| {
            diags.push(Diagnostic::fichier(Code::E010, f, format!("fonction « {} » inconnue", l.get(FONCTION)))
                .ligne(l.numero).colonne(&c(FONCTION)).valeur(l.get(FONCTION))
                .aide("valeurs permises : maire, adjoint, conseiller_delegue, conseiller, maire_delegue, adjoint_maire_delegue, maire_arrondissement, adjoint_arrondissement"));
            Fonction::Conseiller
        });
        let rang = match l.get(RANG) {
            "" => None,
            raw => match parse_nombre(raw) {
                Some(v) if v >= 1.0 && v.fract() == 0.0 && v <= 1000.0 => Some(v as u32),
                _ => {
                    diags.push(
                        Diagnostic::fichier(Code::E012, f, "rang invalide")
                            .ligne(l.numero)
                            .colonne(&c(RANG))
                            .valeur(raw)
                            .aide("le rang est un entier ≥ 1 (1 = premier·e adjoint·e)"),
                    );
                    None
                }
            },
        };
        if let (Some(r), Fonction::Adjoint) = (rang, fonction) {
            if let Some(first) = rangs.get(&r) {
                diags.push(
                    Diagnostic::fichier(
                        Code::E022,
                        f,
                        format!("rang {r} déjà donné à un·e autre adjoint·e (ligne {first})"),
                    )
                    .ligne(l.numero)
                    .colonne(&c(RANG))
                    .valeur(l.get(RANG))
                    .aide("chaque adjoint·e a un rang distinct dans l'ordre du tableau"),
                );
            } else {
                rangs.insert(r, l.numero);
            }
        }
        let liste = parse_liste(l.get(LISTE)).unwrap_or_else(|| {
            diags.push(
                Diagnostic::fichier(
                    Code::E014,
                    f,
                    format!("liste « {} » inconnue", l.get(LISTE)),
                )
                .ligne(l.numero)
                .colonne(&c(LISTE))
                .valeur(l.get(LISTE))
                .aide("écrivez majorite ou opposition"),
            );
            Liste::Majorite
        });
        let commune_deleguee = match l.get(COMMUNE) {
            "" => None,
            raw => {
                let n = normalise(raw);
                match communes
                    .iter()
                    .find(|cd| cd.id == raw || normalise(&cd.id) == n || normalise(&cd.nom) == n)
                {
                    Some(cd) => Some(cd.id.clone()),
                    None => {
                        diags.push(Diagnostic::fichier(Code::E020, f, format!("commune déléguée « {raw} » inconnue"))
                            .ligne(l.numero).colonne(&c(COMMUNE)).valeur(raw)
                            .aide(if communes.is_empty() {
                                "déclarez les communes déléguées dans scenario.toml ([[communes_deleguees]] avec id, nom, population)".to_string()
                            } else {
                                format!("communes déléguées déclarées : {}", communes.iter().map(|c| c.id.as_str()).collect::<Vec<_>>().join(", "))
                            }));
                        None
                    }
                }
            }
        };
        // L2113-13, L2113-19: an adjoint·e au maire délégué·e belongs to a commune déléguée,
        // whose stratum gives their cap; without it nothing can be computed (a maire délégué·e
        // without a commune is only an alerte, L011, as their cap falls back on the maire's).
        if fonction == Fonction::AdjointMaireDelegue && l.get(COMMUNE).is_empty() {
            diags.push(
                Diagnostic::fichier(
                    Code::E044,
                    f,
                    "adjoint·e au maire délégué·e sans commune déléguée",
                )
                .ligne(l.numero)
                .colonne(&c(COMMUNE))
                .aide("indiquez dans la colonne commune_deleguee l'identifiant de la commune déléguée (déclarée dans [[communes_deleguees]] de scenario.toml) ; un·e maire délégué·e élu·e adjoint·e de la commune nouvelle s'écrit adjoint"),
            );
        }
        let axe = match l.get(AXE) {
            "" => None,
            raw => find_axe(axes, raw).or_else(|| {
                diags.push(
                    Diagnostic::fichier(
                        Code::E019,
                        f,
                        format!("axe transversal « {raw} » inconnu"),
                    )
                    .ligne(l.numero)
                    .colonne(&c(AXE))
                    .valeur(raw)
                    .aide(format!(
                        "axes déclarés : {}",
                        axes.iter()
                            .map(|a| a.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                );
                None
            }),
        };
        let (taux_actuel, taux_actuel_eur) = if est_en_euros(l.get(TAUX)) {
            // An amount: converted into a rate once the scenario's date is known.
            let brut = nombre_euros(l.get(TAUX));
            (
                None,
                nombre_opt(&mut diags, f, l, &c(TAUX), &brut, MAX_AUTRES_EUR),
            )
        } else {
            let taux = nombre_opt(&mut diags, f, l, &c(TAUX), l.get(TAUX), MAX_TAUX);
            if taux.is_some_and(|v| v > 0.0 && v < 1.0) {
                avertissements.push(taux_fraction(f, l.numero, &c(TAUX), l.get(TAUX)));
            }
            (taux, None)
        };
        let chef_de_file = oui_non(&mut diags, f, l.numero, &c(CHEF), l.get(CHEF));
        if chef_de_file == Some(true) && l.get(GROUPE).is_empty() {
            diags.push(
                Diagnostic::fichier(Code::E041, f, "chef·fe de file déclaré·e sans groupe")
                    .ligne(l.numero)
                    .colonne(&c(CHEF))
                    .valeur(l.get(CHEF))
                    .aide("donnez son groupe dans la colonne « groupe », ou écrivez non"),
            );
        }
        let autres = nombre_opt(&mut diags, f, l, &c(AUTRES), l.get(AUTRES), MAX_AUTRES_EUR);
        for i in [ID, GROUPE, COMMUNE, AXE] {
            valeur_unique(&mut diags, f, l.numero, &c(i), l.get(i));
        }
        let groupe = l.get(GROUPE);
        if !groupe.is_empty() {
            let cle = crate::format::nom_de_fichier(groupe);
            match groupes.get(&cle) {
                Some((autre, ligne)) if autre != groupe => diags.push(
                    Diagnostic::fichier(
                        Code::E043,
                        f,
                        format!(
                            "groupe « {groupe} » confondu avec « {autre} » (ligne {ligne}) : ils ne diffèrent que par la casse, les accents ou la ponctuation"
                        ),
                    )
                    .ligne(l.numero)
                    .colonne(&c(GROUPE))
                    .valeur(groupe)
                    .aide(format!(
                        "écrivez ce groupe exactement « {autre} », ou donnez-lui un identifiant vraiment différent"
                    )),
                ),
                Some(_) => {}
                None => {
                    groupes.insert(cle, (groupe.to_string(), l.numero));
                }
            }
        }
        elus.push(Elu {
            id: id.to_string(),
            nom: l.get(NOM).to_string(),
            prenom: l.get(PRENOM).to_string(),
            sexe,
            fonction,
            rang,
            groupe: opt(l.get(GROUPE)),
            liste,
            composante: opt(l.get(COMPOSANTE)),
            quartier: opt(l.get(QUARTIER)),
            commune_deleguee,
            axe,
            taux_actuel,
            taux_actuel_eur,
            chef_de_file,
            autres_indemnites_eur: autres,
            ligne: l.numero,
        });
    }
    chefs_doubles(&mut diags, f, &c(CHEF), &elus);
    if diags.is_empty() {
        Ok(elus)
    } else {
        Err(diags)
    }
}

/// A cell as written before CSV neutralisation: `'` followed by a formula-looking character
/// (`=`, `+`, `-`, `@`, possibly after more `'`) loses that one `'`. collegia writes such cells in
/// the proposals it publishes (`delegations.csv` of `optimiser`), so that a spreadsheet never
/// evaluates them; this reads them back as the values they were.
pub fn sans_neutralisation(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(reste)
            if matches!(
                reste.trim_start_matches('\'').chars().next(),
                Some('=' | '+' | '-' | '@' | '\t' | '\r')
            ) =>
        {
            reste
        }
        _ => s,
    }
}

/// E041 for every declared lead after the first of a group: one group, one chef·fe de file.
fn chefs_doubles(diags: &mut Vec<Diagnostic>, f: &str, colonne: &str, elus: &[Elu]) {
    let mut premier: BTreeMap<&str, &Elu> = BTreeMap::new();
    for e in elus.iter().filter(|e| e.chef_de_file == Some(true)) {
        let Some(g) = e.groupe.as_deref() else {
            continue;
        };
        match premier.get(g) {
            Some(autre) => diags.push(
                Diagnostic::fichier(
                    Code::E041,
                    f,
                    format!(
                        "deux chef·fes de file déclaré·es dans le groupe « {g} » ({} ligne {}, {} ligne {})",
                        autre.id, autre.ligne, e.id, e.ligne
                    ),
                )
                .ligne(e.ligne)
                .colonne(colonne)
                .valeur("oui")
                .aide("un groupe a un·e seul·e chef·fe de file : écrivez non (ou laissez vide) pour l'autre"),
            ),
            None => {
                premier.insert(g, e);
            }
        }
    }
}

/// Délégations read from `delegations.csv`: those on a node, and those that name no service.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Delegations {
    /// Rows with a `noeud`.
    pub avec_service: Vec<Delegation>,
    /// Rows with an empty `noeud` (and a `libelle`).
    pub sans_service: Vec<DelegationSansService>,
}

/// Parses and validates `delegations.csv` against the élu·es and the organigramme; the
/// délégations without a service (empty `noeud`) are not returned: use
/// [`parse_delegations_completes`] to have them too.
pub fn parse_delegations(
    src: &Source,
    elus: &[Elu],
    org: &Organigramme,
) -> Result<Vec<Delegation>, Vec<Diagnostic>> {
    parse_delegations_completes(src, elus, org).map(|d| d.avec_service)
}

/// Parses and validates `delegations.csv`, délégations with and without a service.
pub fn parse_delegations_completes(
    src: &Source,
    elus: &[Elu],
    org: &Organigramme,
) -> Result<Delegations, Vec<Diagnostic>> {
    parse_delegations_avec(
        src,
        &|e| elus.iter().position(|x| x.id == e),
        &|n| org.find(n),
        &mut Vec::new(),
    )
}

/// [`parse_delegations`] with the lookups of élu·es and nodes given as functions, so that the
/// file is checked even when `elus.csv` or `organigramme.csv` has errors (the lookups then use
/// the identifiers read from the raw files); warnings go to `avertissements`.
pub(crate) fn parse_delegations_avec(
    src: &Source,
    trouve_elu: &dyn Fn(&str) -> Option<usize>,
    trouve_noeud: &dyn Fn(&str) -> Option<usize>,
    avertissements: &mut Vec<Diagnostic>,
) -> Result<Delegations, Vec<Diagnostic>> {
    let t = read_table(src, COLONNES_DELEGATIONS)?;
    avertissements.extend(t.avertissements.iter().cloned());
    let f = t.fichier.as_str();
    let c = |i| col(&t, COLONNES_DELEGATIONS, i);
    let mut diags = Vec::new();
    let mut out = Delegations::default();
    let mut seen: BTreeSet<(usize, usize, Role)> = BTreeSet::new();
    let mut vus_sans_service: BTreeSet<(usize, String)> = BTreeSet::new();
    for l in &t.lignes {
        let e = l.get(0);
        let n = l.get(1);
        if !valeur_unique(&mut diags, f, l.numero, &c(0), e)
            | !valeur_unique(&mut diags, f, l.numero, &c(1), n)
        {
            continue;
        }
        if e.is_empty() {
            // Not an unknown élu·e « »: an empty cell, often the trace of merged cells (the
            // élu·e written once over their délégations), which the collection then names.
            diags.push(
                Diagnostic::fichier(Code::E018, f, "élu·e vide")
                    .ligne(l.numero)
                    .colonne(&c(0))
                    .aide("donnez sur chaque ligne l'identifiant (colonne id) d'un·e élu·e de elus.csv"),
            );
            continue;
        }
        let elu = trouve_elu(e);
        if elu.is_none() {
            diags.push(
                Diagnostic::fichier(Code::E008, f, format!("élu·e « {e} » inconnu·e"))
                    .ligne(l.numero)
                    .colonne(&c(0))
                    .valeur(e)
                    .aide("donnez l'identifiant (colonne id) d'un·e élu·e de elus.csv"),
            );
        }
        if n.is_empty() {
            // A délégation without a service: its wording is all it says.
            let libelle = l.get(3);
            if libelle.is_empty() {
                diags.push(
                    Diagnostic::fichier(
                        Code::E042,
                        f,
                        "délégation sans service (nœud vide) et sans libellé",
                    )
                    .ligne(l.numero)
                    .colonne(&c(3))
                    .aide("une délégation qui ne nomme aucun service doit dire ce qu'elle est : écrivez son intitulé dans la colonne libelle (ex. « Lutte contre les discriminations »), ou donnez le nœud"),
                );
            }
            let role = parse_role(l.get(2));
            if role.is_none() {
                diags.push(
                    Diagnostic::fichier(Code::E014, f, format!("rôle « {} » inconnu", l.get(2)))
                        .ligne(l.numero)
                        .colonne(&c(2))
                        .valeur(l.get(2))
                        .aide("écrivez pilote ou appui (vide = pilote)"),
                );
            }
            let domaines =
                super::organigramme::lire_domaines(&mut diags, f, l.numero, &c(4), l.get(4));
            if let (Some(elu), Some(role), false) = (elu, role, libelle.is_empty()) {
                if !vus_sans_service.insert((elu, normalise(libelle))) {
                    diags.push(
                        Diagnostic::fichier(
                            Code::E023,
                            f,
                            format!("délégation sans service en double : « {e} », « {libelle} »"),
                        )
                        .ligne(l.numero)
                        .aide("supprimez la ligne répétée"),
                    );
                    continue;
                }
                out.sans_service.push(DelegationSansService {
                    elu,
                    role,
                    libelle: libelle.to_string(),
                    ligne: l.numero,
                    domaines,
                });
            }
            continue;
        }
        let noeud = trouve_noeud(n);
        if noeud.is_none() {
            diags.push(
                Diagnostic::fichier(Code::E009, f, format!("nœud « {n} » inconnu"))
                    .ligne(l.numero)
                    .colonne(&c(1))
                    .valeur(n)
                    .aide("donnez l'identifiant (colonne id) d'un nœud de organigramme.csv"),
            );
        }
        let role = parse_role(l.get(2));
        if role.is_none() {
            diags.push(
                Diagnostic::fichier(Code::E014, f, format!("rôle « {} » inconnu", l.get(2)))
                    .ligne(l.numero)
                    .colonne(&c(2))
                    .valeur(l.get(2))
                    .aide("écrivez pilote ou appui (vide = pilote)"),
            );
        }
        let domaines = super::organigramme::lire_domaines(&mut diags, f, l.numero, &c(4), l.get(4));
        if let (Some(elu), Some(noeud), Some(role)) = (elu, noeud, role) {
            if !seen.insert((elu, noeud, role)) {
                diags.push(
                    Diagnostic::fichier(
                        Code::E023,
                        f,
                        format!(
                            "délégation en double : « {e} » sur « {n} » ({})",
                            role.code()
                        ),
                    )
                    .ligne(l.numero)
                    .aide("supprimez la ligne répétée"),
                );
                continue;
            }
            out.avec_service.push(Delegation {
                elu,
                noeud,
                role,
                libelle: l.get(3).to_string(),
                ligne: l.numero,
                domaines,
            });
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DEFAULT_AXES;

    fn axes() -> Vec<Axe> {
        DEFAULT_AXES
            .iter()
            .map(|(i, l)| Axe {
                id: i.to_string(),
                libelle: l.to_string(),
            })
            .collect()
    }

    fn elus(t: &str) -> Result<Vec<Elu>, Vec<Diagnostic>> {
        let communes = vec![CommuneDeleguee {
            id: "nord".into(),
            nom: "Saint-Nord".into(),
            population: 900,
        }];
        parse_elus(&Source::texte("e.csv", t), &axes(), &communes)
    }

    const H: &str = "id;nom;prenom;sexe;fonction;rang;commune_deleguee;axe;taux_actuel\n";

    #[test]
    fn valid_elus_with_aliases_and_defaults() {
        let v = elus(&format!("{H}E1;Durand;Anne;F;Maire;;;;145\nE2;Martin;Paul;H;1er adjoint au Maire;1;;Transition écologique;33,5\nE3;Roy;Léa;f;Maire déléguée;;Saint-Nord;;\nE4;Bo;Li;M;conseiller·e délégué·e;;;;\n")).expect("valid");
        assert_eq!(v[0].fonction, Fonction::Maire);
        assert_eq!(v[1].fonction, Fonction::Adjoint);
        assert_eq!(v[1].sexe, Sexe::M);
        assert_eq!(v[1].axe.as_deref(), Some("transition"));
        assert_eq!(v[1].taux_actuel, Some(33.5));
        assert_eq!(v[2].commune_deleguee.as_deref(), Some("nord"));
        assert_eq!(v[3].fonction, Fonction::ConseillerDelegue);
        assert_eq!(v[3].liste, Liste::Majorite);
    }

    #[test]
    fn adjoint_au_maire_delegue_needs_its_commune_deleguee() {
        let v = elus(&format!(
            "{H}E1;A;B;F;adjoint_maire_delegue;;nord;;\nE2;C;D;M;Adjoint au maire délégué;;Saint-Nord;;\nE3;E;F;F;adjointe·e au maire déléguée;;nord;;\nE4;G;H;M;maire délégué adjoint;;nord;;\n"
        ))
        .expect("valid");
        assert_eq!(v[0].fonction, Fonction::AdjointMaireDelegue);
        assert_eq!(v[0].commune_deleguee.as_deref(), Some("nord"));
        assert_eq!(v[1].fonction, Fonction::AdjointMaireDelegue);
        assert_eq!(v[2].fonction, Fonction::AdjointMaireDelegue);
        // Paris, Lyon, Marseille wordings (issue 27)
        for (texte, f) in [
            ("maire de secteur", Fonction::MaireArrondissement),
            ("Maire d'arrondissement", Fonction::MaireArrondissement),
            ("maire_arrondissement", Fonction::MaireArrondissement),
            (
                "adjoint·e d'arrondissement",
                Fonction::AdjointArrondissement,
            ),
            (
                "3e adjointe au maire de secteur",
                Fonction::AdjointArrondissement,
            ),
            ("adjoint_arrondissement", Fonction::AdjointArrondissement),
            ("adjoint de quartier", Fonction::Adjoint),
        ] {
            assert_eq!(parse_fonction(texte), Some(f), "{texte}");
        }
        // a maire délégué·e elected adjoint·e stays an adjoint·e (L005)
        assert_eq!(v[3].fonction, Fonction::Adjoint);
        let d = elus(&format!(
            "{H}E1;A;B;F;maire;;;;\nE2;C;D;M;adjoint_maire_delegue;;;;\n"
        ))
        .expect_err("E044");
        let got: Vec<(Code, Option<usize>, Option<&str>)> = d
            .iter()
            .map(|d| (d.code, d.ligne, d.colonne.as_deref()))
            .collect();
        assert_eq!(got, vec![(Code::E044, Some(3), Some("commune_deleguee"))]);
    }

    #[test]
    fn each_bad_field_has_its_code_and_line() {
        let d = elus(&format!(
            "{H}E1;A;B;X;roi;;;;\nE1;A;B;F;maire;;;;\nE2;A;B;F;adjoint;0;sud;lune;-4\n"
        ))
        .expect_err("bad");
        let got: Vec<(Code, Option<usize>)> = d.iter().map(|d| (d.code, d.ligne)).collect();
        for want in [
            (Code::E011, Some(2)),
            (Code::E010, Some(2)),
            (Code::E004, Some(3)),
            (Code::E012, Some(4)),
            (Code::E020, Some(4)),
            (Code::E019, Some(4)),
            (Code::E013, Some(4)),
        ] {
            assert!(got.contains(&want), "{want:?} not in {got:?}");
        }
    }

    #[test]
    fn duplicate_rank_is_e022() {
        let d = elus(&format!(
            "{H}E1;A;B;F;adjoint;1;;;\nE2;C;D;M;adjoint;1;;;\n"
        ))
        .expect_err("rank");
        assert_eq!(d[0].code, Code::E022);
        assert_eq!(d[0].ligne, Some(3));
    }

    #[test]
    fn merged_elu_cells_are_empty_values_collapsed_with_the_merged_cells_hint() {
        let org = super::super::organigramme::parse(
            &Source::texte(
                "o.csv",
                "id;libelle;parent\nR;DGS;\nA;a;R\nB;b;R\nC;c;R\nD;d;R\n",
            ),
            &axes(),
        )
        .expect("org");
        let e = elus(&format!("{H}E1;A;B;F;adjoint;1;;;\n")).expect("elus");
        let d = parse_delegations(
            &Source::texte("d.csv", "elu;noeud\nE1;A\n;B\n;C\n;D\n"),
            &e,
            &org,
        )
        .expect_err("merged cells");
        let got: Vec<(Code, Option<usize>)> = d.iter().map(|d| (d.code, d.ligne)).collect();
        assert_eq!(
            got,
            vec![
                (Code::E018, Some(3)),
                (Code::E018, Some(4)),
                (Code::E018, Some(5))
            ]
        );
        let e = crate::ingest::IngestError::new(d);
        assert_eq!(e.diagnostics.len(), 1);
        assert!(e.diagnostics[0].aide.starts_with("des cellules fusionnées"));
    }

    #[test]
    fn delegations_check_references_roles_and_duplicates() {
        let org = super::super::organigramme::parse(
            &Source::texte("o.csv", "id;libelle;parent\nR;DGS;\nD;Dir;R\n"),
            &axes(),
        )
        .expect("org");
        let e = elus(&format!("{H}E1;A;B;F;adjoint;1;;;\n")).expect("elus");
        let ok = parse_delegations(
            &Source::texte(
                "d.csv",
                "élu;nœud;rôle;libellé\nE1;D;;Éducation\nE1;D;appui;\n",
            ),
            &e,
            &org,
        )
        .expect("valid");
        assert_eq!(ok.len(), 2);
        assert_eq!(ok[0].role, Role::Pilote);
        assert_eq!(ok[0].libelle, "Éducation");
        let d = parse_delegations(
            &Source::texte(
                "d.csv",
                "elu;noeud;role\nE9;D;\nE1;Z;\nE1;D;chef\nE1;D;\nE1;D;pilote\n",
            ),
            &e,
            &org,
        )
        .expect_err("bad");
        let got: Vec<(Code, Option<usize>)> = d.iter().map(|d| (d.code, d.ligne)).collect();
        assert_eq!(
            got,
            vec![
                (Code::E008, Some(2)),
                (Code::E009, Some(3)),
                (Code::E014, Some(4)),
                (Code::E023, Some(6))
            ]
        );
    }

    #[test]
    fn absurd_values_are_e013_and_a_huge_council_is_e021() {
        let d = elus(&format!(
            "{H}E1;A;B;F;maire;;;;1e308\nE2;C;D;M;adjoint;1;;;33\n"
        ))
        .expect_err("1e308");
        assert_eq!((d[0].code, d[0].ligne), (Code::E013, Some(2)));
        let mut t = String::from(H);
        for i in 0..=MAX_ELUS {
            t.push_str(&format!("E{i};N;P;F;conseiller_delegue;;;;6\n"));
        }
        let d = elus(&t).expect_err("too many");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code, d[0].ligne), (Code::E021, Some(MAX_ELUS + 2)));
    }

    #[test]
    fn a_group_cell_with_two_groups_is_e031() {
        let d = elus(
            "id;nom;prenom;sexe;fonction;groupe\nE1;A;B;F;adjoint;G02-education | G11-sports\n",
        )
        .expect_err("two groups");
        assert_eq!((d[0].code, d[0].ligne), (Code::E031, Some(2)));
        assert_eq!(d[0].colonne.as_deref(), Some("groupe"));
    }

    #[test]
    fn chef_de_file_is_yes_no_and_one_per_group() {
        let h = "id;nom;prenom;sexe;fonction;rang;groupe;chef_de_file\n";
        let v = elus(&format!(
            "{h}E1;A;B;F;adjoint;1;G1;non\nE2;C;D;M;conseiller_delegue;;G1;oui\nE3;E;F;F;adjoint;2;G2;\n"
        ))
        .expect("valid");
        assert_eq!(
            v.iter().map(|e| e.chef_de_file).collect::<Vec<_>>(),
            vec![Some(false), Some(true), None]
        );
        let d = elus(&format!("{h}E1;A;B;F;adjoint;1;G1;bof\n")).expect_err("E039");
        assert_eq!((d[0].code, d[0].ligne), (Code::E039, Some(2)));
        assert_eq!(d[0].colonne.as_deref(), Some("chef_de_file"));
        let d = elus(&format!(
            "{h}E1;A;B;F;adjoint;1;G1;oui\nE2;C;D;M;adjoint;2;G1;oui\nE3;E;F;F;maire;;;oui\n"
        ))
        .expect_err("E041");
        let got: Vec<(Code, Option<usize>)> = d.iter().map(|d| (d.code, d.ligne)).collect();
        assert!(got.contains(&(Code::E041, Some(3))), "{got:?}");
        assert!(got.contains(&(Code::E041, Some(4))), "{got:?}");
    }

    #[test]
    fn taux_actuel_in_euros_is_converted_at_the_date() {
        let mut v = elus(&format!(
            "{H}E1;A;B;F;maire;;;;2 380 €\nE2;C;D;M;adjoint;1;;;1000 EUR\nE3;E;F;F;adjoint;2;;;33,5\n"
        ))
        .expect("valid");
        assert_eq!(
            v[0].taux_actuel, None,
            "not converted before the date is known"
        );
        assert_eq!(v[0].taux_actuel_eur, Some(2380.0));
        assert_eq!(v[1].taux_actuel_eur, Some(1000.0));
        let date = chrono::NaiveDate::from_ymd_opt(2026, 4, 1).expect("date");
        convertir_taux_euros(&mut v, date);
        let r = crate::law::terme_reference(date).expect("terme");
        let attendu = r.taux(rust_decimal::Decimal::from(2380)).round_dp(2);
        assert_eq!(
            v[0].taux_actuel,
            rust_decimal::prelude::ToPrimitive::to_f64(&attendu)
        );
        // 2 380 € of a terme de référence around 4 000 € is around 60 %.
        let t = v[0].taux_actuel.expect("converted");
        assert!(t > 50.0 && t < 70.0, "{t}");
        assert_eq!(v[2].taux_actuel, Some(33.5));
        assert_eq!(v[2].taux_actuel_eur, None);
    }

    #[test]
    fn a_taux_below_one_is_an_alerte_that_does_not_block() {
        let communes: Vec<CommuneDeleguee> = Vec::new();
        let mut w = Vec::new();
        let v = parse_elus_avec(
            &Source::texte(
                "e.csv",
                &format!(
                    "{H}E1;A;B;F;maire;;;;0,22\nE2;C;D;M;adjoint;1;;;22\nE3;E;F;F;adjoint;2;;;0\n"
                ),
            ),
            &axes(),
            &communes,
            &mut w,
        )
        .expect("loads");
        assert_eq!(v[0].taux_actuel, Some(0.22));
        let got: Vec<(Code, Option<usize>, Option<&str>)> = w
            .iter()
            .map(|d| (d.code, d.ligne, d.valeur.as_deref()))
            .collect();
        // 22 and 0 are plausible: only 0,22 is flagged.
        assert_eq!(got, vec![(Code::E056, Some(2), Some("0,22"))]);
    }

    #[test]
    fn a_delegation_without_a_service_needs_a_wording() {
        let org = super::super::organigramme::parse(
            &Source::texte("o.csv", "id;libelle;parent\nR;DGS;\nD;Dir;R\n"),
            &axes(),
        )
        .expect("org");
        let e = elus(&format!("{H}E1;A;B;F;adjoint;1;;;\n")).expect("elus");
        let ok = parse_delegations_completes(
            &Source::texte(
                "d.csv",
                "elu;noeud;role;libelle\nE1;D;;Éducation\nE1;;;Migrations\nE1;;appui;Temps de la ville\n",
            ),
            &e,
            &org,
        )
        .expect("valid");
        assert_eq!(ok.avec_service.len(), 1);
        assert_eq!(ok.sans_service.len(), 2);
        assert_eq!(ok.sans_service[0].libelle, "Migrations");
        assert_eq!(ok.sans_service[1].role, Role::Appui);
        assert_eq!(ok.sans_service[1].ligne, 4);
        let d = parse_delegations_completes(
            &Source::texte(
                "d.csv",
                "elu;noeud;role;libelle\nE1;;;\nE1;;;Migrations\nE1;;;migrations\n",
            ),
            &e,
            &org,
        )
        .expect_err("E042");
        let got: Vec<(Code, Option<usize>)> = d.iter().map(|d| (d.code, d.ligne)).collect();
        assert_eq!(got, vec![(Code::E042, Some(2)), (Code::E023, Some(4))]);
    }
}
