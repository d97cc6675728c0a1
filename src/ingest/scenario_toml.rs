//! `scenario.toml`: parameters of a scenario, with variants (`base = "../exemple"`) merged over
//! their base, every problem reported in French with the file and line of the key.

use super::error::{Code, Diagnostic};
use super::table::normalise;
use crate::model::{
    Axe, CommuneDeleguee, CommuneParams, DEFAULT_AXES, GroupesParams, IndemnitesParams,
    LectureMaireDelegueAdjoint, LecturePlafondL2113_8, Majoration, Monotonie, Politique, Priorite,
    ReorganisationParams, ScenarioParams, VerrouDga,
};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// Longest chain of `base` links followed; deeper is taken for a loop.
pub const MAX_BASE_DEPTH: usize = 8;

/// One `scenario.toml` of the chain (the variant first, then its base, its base's base…).
#[derive(Debug, Clone)]
pub struct TomlFile {
    /// Folder holding the file.
    pub dossier: PathBuf,
    /// Name shown to users.
    pub nom: String,
    /// Text, to find the line of a key.
    pub texte: String,
    /// Parsed content.
    pub table: Table,
}

/// Parses one `scenario.toml` text. A syntax error gets its line and character, and the
/// parser's English detail is translated (with the expected date format when a date is at stake).
pub fn parse_toml(nom: &str, texte: &str) -> Result<Table, Diagnostic> {
    texte.parse::<Table>().map_err(|e| {
        let (ligne, caractere, texte_ligne) = match e.span() {
            Some(span) => {
                let debut = span.start.min(texte.len());
                let debut = (0..=debut)
                    .rev()
                    .find(|&i| texte.is_char_boundary(i))
                    .unwrap_or(0);
                let ligne = line_of_offset(texte, debut);
                let debut_ligne = texte[..debut].rfind('\n').map_or(0, |i| i + 1);
                let fin_ligne = texte[debut..].find('\n').map_or(texte.len(), |i| debut + i);
                (
                    Some(ligne),
                    Some(texte[debut_ligne..debut].chars().count() + 1),
                    &texte[debut_ligne..fin_ligne],
                )
            }
            None => (None, None, ""),
        };
        let detail = message_toml_fr(e.message());
        let mut message = format!("syntaxe TOML invalide : {detail}");
        if let Some(c) = caractere {
            message.push_str(&format!(" (caractère {c})"));
        }
        let date_en_jeu = e.message().contains("date")
            || texte_ligne.trim_start().starts_with("date");
        let aide = if date_en_jeu {
            "écrivez la date au format AAAA-MM-JJ, par exemple date = \"2026-04-01\" (ou date = 2026-04-01 sans guillemets)".to_string()
        } else {
            "corrigez la syntaxe : une clé = une valeur par ligne, les textes entre guillemets (nom = \"Ville\"), les nombres avec un point décimal (12.5), les sections entre crochets ([indemnites])".to_string()
        };
        let mut d = Diagnostic::fichier(Code::E015, nom, message).aide(aide);
        if let Some(l) = ligne {
            d = d.ligne(l);
        }
        if !texte_ligne.trim().is_empty() {
            d = d.valeur(texte_ligne.trim());
        }
        d
    })
}

/// French wording of the TOML parser's messages (English, from the `toml` crate); an unknown
/// message is kept, quoted, after a French summary.
fn message_toml_fr(m: &str) -> String {
    let (quoi, attendu) = match m.split_once(", expected ") {
        Some((q, a)) => (q, Some(a)),
        None => (m, None),
    };
    let quoi_fr = match quoi {
        q if q.starts_with("invalid date") || q.starts_with("invalid time") => {
            "date invalide".to_string()
        }
        "duplicate key" => "clé déjà définie plus haut".to_string(),
        "string values must be quoted" => "texte sans guillemets".to_string(),
        q if q.starts_with("invalid basic string") || q.starts_with("invalid literal string") => {
            "texte mal fermé".to_string()
        }
        q if q.starts_with("unclosed table") => "crochet de section non refermé".to_string(),
        q if q.starts_with("unclosed array") => "liste non refermée (« ] » manquant)".to_string(),
        q if q.starts_with("unclosed inline table") => {
            "table en ligne non refermée (« } » manquant)".to_string()
        }
        q if q.starts_with("unquoted keys cannot be empty") => "clé vide avant « = »".to_string(),
        q if q.starts_with("unexpected key or value") || q.starts_with("unexpected content") => {
            "contenu inattendu après la valeur".to_string()
        }
        q if q.starts_with("invalid key") => "clé invalide".to_string(),
        q if q.starts_with("invalid float")
            || q.starts_with("invalid integer")
            || q.starts_with("invalid number") =>
        {
            "nombre invalide".to_string()
        }
        q if q.starts_with("invalid escape") || q.starts_with("invalid unicode") => {
            "caractère d'échappement invalide (« \\ » dans un texte)".to_string()
        }
        q => format!("erreur de syntaxe (détail de l'analyseur : « {q} »)"),
    };
    let attendu_fr = attendu.map(|a| {
        if a.contains("month") {
            "mois entre 01 et 12".to_string()
        } else if a.contains("day") {
            "jour valide pour ce mois".to_string()
        } else if a.contains("literal string") || a.contains('"') {
            "des guillemets".to_string()
        } else if a.contains('=') {
            "« = »".to_string()
        } else if a.contains(']') {
            "« ] »".to_string()
        } else if a.contains('}') {
            "« } »".to_string()
        } else if a.contains("newline") {
            "une fin de ligne ou un commentaire « # »".to_string()
        } else if a.contains("letters") {
            "des lettres, chiffres, « - » ou « _ »".to_string()
        } else {
            format!("« {a} »")
        }
    });
    match attendu_fr {
        Some(a) => format!("{quoi_fr}, attendu : {a}"),
        None => quoi_fr,
    }
}

fn line_of_offset(texte: &str, offset: usize) -> usize {
    let end = offset.min(texte.len());
    texte.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Line of `key` inside `[section]` (or at the top level), found by scanning the text: the parsed
/// table does not keep positions.
fn line_of_key(texte: &str, section: Option<&str>, key: &str) -> Option<usize> {
    let mut current: Option<String> = None;
    for (i, raw) in texte.lines().enumerate() {
        let l = raw.trim();
        if l.starts_with('[') {
            current = Some(l.trim_matches(|c| c == '[' || c == ']').trim().to_string());
            continue;
        }
        if current.as_deref() != section {
            continue;
        }
        if let Some(rest) = l.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            return Some(i + 1);
        }
    }
    None
}

/// File and line where a top-level `key` is written in the chain (the variant's first).
pub(crate) fn ou_est(chain: &[TomlFile], key: &str) -> (String, Option<usize>) {
    chain
        .iter()
        .find(|f| f.table.contains_key(key))
        .map(|f| (f.nom.clone(), line_of_key(&f.texte, None, key)))
        .unwrap_or_else(|| {
            (
                chain.first().map(|f| f.nom.clone()).unwrap_or_default(),
                None,
            )
        })
}

/// Recursive merge: tables merge key by key, anything else in `over` replaces `base`.
fn merge(base: &mut Table, over: &Table) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Reads the field checks against the chain of files, so that each diagnostic names the file
/// and line where the key was written.
struct Reader<'a> {
    chain: &'a [TomlFile],
    merged: Table,
    diags: Vec<Diagnostic>,
}

impl Reader<'_> {
    fn locate(&self, section: Option<&str>, key: &str) -> (String, Option<usize>) {
        for f in self.chain {
            let has = match section {
                None => f.table.contains_key(key),
                Some(s) => f
                    .table
                    .get(s)
                    .and_then(Value::as_table)
                    .is_some_and(|t| t.contains_key(key)),
            };
            if has {
                return (f.nom.clone(), line_of_key(&f.texte, section, key));
            }
        }
        (self.chain[0].nom.clone(), None)
    }

    fn error(&mut self, section: Option<&str>, key: &str, message: String, aide: String) {
        let (fichier, ligne) = self.locate(section, key);
        let colonne = match section {
            Some(s) => format!("{s}.{key}"),
            None => key.to_string(),
        };
        let mut d = Diagnostic::fichier(Code::E015, &fichier, message)
            .colonne(&colonne)
            .aide(aide);
        if let Some(l) = ligne {
            d = d.ligne(l);
        }
        self.diags.push(d);
    }

    fn get(&self, section: Option<&str>, key: &str) -> Option<&Value> {
        match section {
            None => self.merged.get(key),
            Some(s) => self.merged.get(s).and_then(Value::as_table)?.get(key),
        }
    }

    fn string(&mut self, section: Option<&str>, key: &str) -> Option<String> {
        match self.get(section, key).cloned() {
            None => None,
            Some(Value::String(s)) => Some(s),
            Some(v) => {
                self.error(
                    section,
                    key,
                    format!("« {key} » doit être un texte entre guillemets"),
                    format!("écrivez par exemple {key} = \"…\" (valeur lue : {v})"),
                );
                None
            }
        }
    }

    fn number(&mut self, section: Option<&str>, key: &str, min: f64, max: f64) -> Option<f64> {
        let v = match self.get(section, key).cloned() {
            None => return None,
            Some(Value::Integer(i)) => i as f64,
            Some(Value::Float(f)) => f,
            Some(v) => {
                self.error(
                    section,
                    key,
                    format!("« {key} » doit être un nombre"),
                    format!("écrivez un nombre avec un point décimal, par exemple {key} = 12.5 (valeur lue : {v})"),
                );
                return None;
            }
        };
        if !v.is_finite() || v < min || v > max {
            self.error(
                section,
                key,
                format!("« {key} » = {v} est hors de l'intervalle permis [{min} ; {max}]"),
                format!("donnez une valeur entre {min} et {max}"),
            );
            return None;
        }
        Some(v)
    }

    fn integer(&mut self, section: Option<&str>, key: &str, min: i64, max: i64) -> Option<u32> {
        match self.get(section, key).cloned() {
            None => None,
            Some(Value::Integer(i)) if i >= min && i <= max => u32::try_from(i).ok(),
            Some(v) => {
                self.error(
                    section,
                    key,
                    format!("« {key} » doit être un entier entre {min} et {max}"),
                    format!("écrivez par exemple {key} = {min} (valeur lue : {v})"),
                );
                None
            }
        }
    }

    fn boolean(&mut self, section: Option<&str>, key: &str) -> Option<bool> {
        match self.get(section, key).cloned() {
            None => None,
            Some(Value::Boolean(b)) => Some(b),
            Some(v) => {
                self.error(
                    section,
                    key,
                    format!("« {key} » doit valoir true ou false"),
                    format!("écrivez {key} = true ou {key} = false (valeur lue : {v})"),
                );
                None
            }
        }
    }

    fn number_list(
        &mut self,
        section: Option<&str>,
        key: &str,
        min: f64,
        max: f64,
    ) -> Option<Vec<f64>> {
        let v = self.get(section, key).cloned()?;
        let mut out = Vec::new();
        let ok = match &v {
            Value::Array(a) => a.iter().all(|x| {
                let n = match x {
                    Value::Integer(i) => *i as f64,
                    Value::Float(f) => *f,
                    _ => return false,
                };
                out.push(n);
                n.is_finite() && n >= min && n <= max
            }),
            _ => false,
        };
        if !ok {
            self.error(
                section,
                key,
                format!("« {key} » doit être une liste de nombres entre {min} et {max}"),
                format!("écrivez par exemple {key} = [1.5, 0.75] (valeur lue : {v})"),
            );
            return None;
        }
        Some(out)
    }

    fn string_list(&mut self, section: Option<&str>, key: &str) -> Option<Vec<String>> {
        match self.get(section, key).cloned() {
            None => None,
            Some(Value::Array(a)) => {
                let mut out = Vec::new();
                for v in a {
                    match v {
                        Value::String(s) => out.push(s),
                        other => {
                            self.error(
                                section,
                                key,
                                format!("« {key} » doit être une liste de textes"),
                                format!("écrivez {key} = [\"…\", \"…\"] (élément lu : {other})"),
                            );
                            return None;
                        }
                    }
                }
                Some(out)
            }
            Some(v) => {
                self.error(
                    section,
                    key,
                    format!("« {key} » doit être une liste"),
                    format!("écrivez {key} = [\"…\", \"…\"] (valeur lue : {v})"),
                );
                None
            }
        }
    }

    fn unknown_keys(&mut self, section: Option<&str>, known: &[&str]) {
        let keys: Vec<String> = match section {
            None => self.merged.keys().cloned().collect(),
            Some(s) => match self.merged.get(s) {
                Some(Value::Table(t)) => t.keys().cloned().collect(),
                Some(_) => {
                    self.error(
                        None,
                        s,
                        format!("« {s} » doit être une section [{s}]"),
                        format!("écrivez une ligne [{s}] suivie de ses clés"),
                    );
                    return;
                }
                None => return,
            },
        };
        for (n, k) in keys
            .iter()
            .filter(|k| !known.contains(&k.as_str()))
            .enumerate()
        {
            // A suggestion for the first ones only: a file of 100 000 unknown keys is not a
            // scenario, and each comparison costs.
            let proche = (n < super::table::MAX_COLONNES_SIGNALEES)
                .then(|| super::table::plus_proche(k, known))
                .flatten()
                .map(|p| format!("vouliez-vous dire « {p} » ? "))
                .unwrap_or_default();
            self.error(
                section,
                k,
                format!("clé inconnue « {k} »"),
                format!("{proche}clés permises ici : {}", known.join(", ")),
            );
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "nom",
    "date",
    "population_totale",
    "population_municipale",
    "effectif_conseil",
    "commune",
    "code_insee",
    "date_creation",
    "conseils_anciens",
    "commune_nouvelle",
    "plafond_l2113_8",
    "maire_delegue_adjoint",
    "adjoints_quartier_crees",
    "montants_avec_majorations",
    "communes_deleguees",
    "majorations",
    "taux_sinistre",
    "axes",
    "base",
    "indemnites",
    "groupes",
    "reorganisation",
];
const INDEMNITES_KEYS: &[&str] = &[
    "part_enveloppe",
    "taux_maire",
    "plancher",
    "ratio_max",
    "politique",
    "alpha",
    "conseillers",
    "taux_conseillers",
    "part_maires_delegues",
    "ecretement",
    "majoration_maire",
    "poids_socle",
    "poids_effectif",
    "poids_budget",
    "poids_services",
    "part_appui",
    "bonus_axe",
    "bonus_quartier",
    "bonus_animation",
    "seuils_paliers",
    "ecart_paliers",
    "rangs_paliers",
    "poids_sans_service",
];
const GROUPES_KEYS: &[&str] = &[
    "taille_min",
    "taille_max",
    "poids_dispersion",
    "poids_changements",
    "poids_equilibre",
    "poids_preferences",
    "retrait_appui",
    "poids_retraits",
    "poids_liens",
    "poids_hors_theme",
    "coeurs",
    "coeurs_liberes",
    "parite",
    "composantes",
    "max_groupes_par_composante",
];

const REORGANISATION_KEYS: &[&str] = &[
    "priorites",
    "etapes",
    "premier_seminaire",
    "intervalle_mois",
    "agents_par_etape",
    "agents_mandat",
    "directions_min",
    "directions_max",
    "effectif_min",
    "effectif_max",
    "nouvelles_dga",
    "deplacements_max",
    "liens_separables",
    "monotonie",
    "poids_interlocuteurs",
    "poids_priorites",
    "poids_equilibre",
    "poids_liens",
    "poids_agents",
    "verrous",
];
const PRIORITE_KEYS: &[&str] = &["id", "nom", "directions", "domaines", "nouvelle_dga"];
const VERROU_DGA_KEYS: &[&str] = &["direction", "dga"];

/// Largest population accepted (more than any French commune; guards against typos).
const MAX_POPULATION: i64 = 10_000_000;

/// Validates the chain of `scenario.toml` files (variant first) into parameters. Returns the
/// parameters and warnings, or every problem found.
pub fn build_params(
    chain: &[TomlFile],
    nom_par_defaut: &str,
) -> Result<(ScenarioParams, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut merged = Table::new();
    for f in chain.iter().rev() {
        merge(&mut merged, &f.table);
    }
    let mut r = Reader {
        chain,
        merged,
        diags: Vec::new(),
    };
    let mut warnings = Vec::new();
    r.unknown_keys(None, TOP_KEYS);
    r.unknown_keys(Some("indemnites"), INDEMNITES_KEYS);
    r.unknown_keys(Some("groupes"), GROUPES_KEYS);
    r.unknown_keys(Some("reorganisation"), REORGANISATION_KEYS);

    let nom = r
        .string(None, "nom")
        .unwrap_or_else(|| nom_par_defaut.to_string());

    let date = match r.get(None, "date").cloned() {
        None => {
            r.diags.push(
                Diagnostic::fichier(Code::E015, &chain[0].nom, "clé obligatoire « date » absente")
                    .colonne("date")
                    .aide("ajoutez la date d'application du plan, par exemple date = \"2026-04-01\" : elle choisit le régime légal"),
            );
            None
        }
        Some(Value::Datetime(d)) => match d.date {
            Some(dd) => {
                NaiveDate::from_ymd_opt(i32::from(dd.year), u32::from(dd.month), u32::from(dd.day))
            }
            None => None,
        }
        .or_else(|| {
            r.error(
                None,
                "date",
                "« date » doit être une date AAAA-MM-JJ".into(),
                "écrivez par exemple date = 2026-04-01".into(),
            );
            None
        }),
        Some(Value::String(s)) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s.trim(), "%d/%m/%Y"))
            .ok()
            .or_else(|| {
                r.error(
                    None,
                    "date",
                    format!("date « {s} » illisible"),
                    "écrivez la date au format AAAA-MM-JJ, par exemple date = \"2026-04-01\""
                        .into(),
                );
                None
            }),
        Some(v) => {
            r.error(
                None,
                "date",
                format!("« date » doit être une date (valeur lue : {v})"),
                "écrivez par exemple date = \"2026-04-01\"".into(),
            );
            None
        }
    };

    let pt = r.integer(None, "population_totale", 1, MAX_POPULATION);
    let pm = r.integer(None, "population_municipale", 1, MAX_POPULATION);
    let (population_totale, population_municipale) = match (pt, pm) {
        (Some(t), Some(m)) => (Some(t), Some(m)),
        (Some(t), None) if r.get(None, "population_municipale").is_none() => {
            warnings.push(
                Diagnostic::fichier(Code::E015, &chain[0].nom, "seule la population totale est donnée : elle sert aussi pour l'effectif du conseil")
                    .colonne("population_municipale")
                    .aide("ajoutez population_municipale (population authentifiée, utilisée pour l'effectif légal du conseil, CGCT L2121-2)"),
            );
            (Some(t), Some(t))
        }
        (None, Some(m)) if r.get(None, "population_totale").is_none() => {
            warnings.push(
                Diagnostic::fichier(Code::E015, &chain[0].nom, "seule la population municipale est donnée : elle sert aussi pour les strates d'indemnités")
                    .colonne("population_totale")
                    .aide("ajoutez population_totale (utilisée pour les barèmes d'indemnités)"),
            );
            (Some(m), Some(m))
        }
        (None, None)
            if r.get(None, "population_totale").is_none()
                && r.get(None, "population_municipale").is_none() =>
        {
            r.diags.push(
                Diagnostic::fichier(Code::E015, &chain[0].nom, "population absente")
                    .colonne("population_totale")
                    .aide("ajoutez population_totale et population_municipale (populations authentifiées en vigueur au dernier renouvellement)"),
            );
            (None, None)
        }
        _ => (None, None),
    };

    let effectif_conseil = r.integer(None, "effectif_conseil", 1, 1000);
    let commune_nouvelle = r.boolean(None, "commune_nouvelle").unwrap_or(false);
    let commune = commune_params(&mut r);
    let taux_sinistre = r.number(None, "taux_sinistre", 0.0, 100.0);

    let mut majorations = Vec::new();
    for m in r.string_list(None, "majorations").unwrap_or_default() {
        match parse_majoration(&m) {
            Some(x) => {
                if !majorations.contains(&x) {
                    majorations.push(x);
                }
            }
            None => r.error(
                None,
                "majorations",
                format!("majoration inconnue « {m} »"),
                "valeurs permises : chef_lieu_departement, chef_lieu_arrondissement, bureau_centralisateur_canton, station_tourisme, commune_sinistree, dsu".into(),
            ),
        }
    }
    majorations.sort();

    let axes = match r.string_list(None, "axes") {
        None => DEFAULT_AXES
            .iter()
            .map(|(id, l)| Axe {
                id: id.to_string(),
                libelle: l.to_string(),
            })
            .collect(),
        Some(list) => {
            let mut axes: Vec<Axe> = Vec::new();
            for a in list {
                let id = normalise(&a);
                if id.is_empty() || axes.iter().any(|x| x.id == id) {
                    continue;
                }
                let libelle = DEFAULT_AXES
                    .iter()
                    .find(|(d, l)| *d == id || normalise(l) == id)
                    .map(|(_, l)| l.to_string())
                    .unwrap_or_else(|| a.trim().to_string());
                let id = DEFAULT_AXES
                    .iter()
                    .find(|(_, l)| normalise(l) == id)
                    .map(|(d, _)| d.to_string())
                    .unwrap_or(id);
                axes.push(Axe { id, libelle });
            }
            axes
        }
    };

    let communes_deleguees = match r.get(None, "communes_deleguees").cloned() {
        None => Vec::new(),
        Some(Value::Array(items)) => {
            let mut out: Vec<CommuneDeleguee> = Vec::new();
            for (i, it) in items.iter().enumerate() {
                let t = it.as_table();
                let id = t.and_then(|t| t.get("id")).and_then(Value::as_str);
                let nom = t.and_then(|t| t.get("nom")).and_then(Value::as_str);
                let pop = t
                    .and_then(|t| t.get("population"))
                    .and_then(Value::as_integer)
                    .filter(|p| (1..=MAX_POPULATION).contains(p))
                    .and_then(|p| u32::try_from(p).ok());
                match (id, pop) {
                    (Some(id), Some(population)) if !id.trim().is_empty() => {
                        if out.iter().any(|c| c.id == id.trim()) {
                            r.error(None, "communes_deleguees", format!("commune déléguée « {id} » déclarée deux fois"), "chaque commune déléguée a un identifiant unique".into());
                        }
                        out.push(CommuneDeleguee {
                            id: id.trim().to_string(),
                            nom: nom.unwrap_or(id).trim().to_string(),
                            population,
                        });
                    }
                    _ => r.error(
                        None,
                        "communes_deleguees",
                        format!("commune déléguée n° {} incomplète", i + 1),
                        "chaque [[communes_deleguees]] doit avoir id = \"…\", nom = \"…\" et population = un entier positif".into(),
                    ),
                }
            }
            out
        }
        Some(_) => {
            r.error(
                None,
                "communes_deleguees",
                "« communes_deleguees » doit être une liste de sections [[communes_deleguees]]"
                    .into(),
                "écrivez [[communes_deleguees]] puis id, nom et population".into(),
            );
            Vec::new()
        }
    };
    if !communes_deleguees.is_empty() && !commune_nouvelle {
        warnings.push(
            Diagnostic::fichier(
                Code::E015,
                &chain[0].nom,
                "des communes déléguées sont déclarées mais commune_nouvelle n'est pas à true",
            )
            .colonne("commune_nouvelle")
            .aide("ajoutez commune_nouvelle = true"),
        );
    }

    let mut ind = IndemnitesParams::default();
    let s = Some("indemnites");
    if let Some(v) = r.number(s, "part_enveloppe", 0.0, 100.0) {
        ind.part_enveloppe = v;
    }
    ind.taux_maire = r.number(s, "taux_maire", 0.0, 1000.0);
    if let Some(v) = r.number(s, "plancher", 0.0, 1000.0) {
        ind.plancher = v;
    }
    ind.ratio_max = r.number(s, "ratio_max", 1.0, 1000.0);
    if let Some(v) = r.number(s, "alpha", 0.0, 1.0) {
        ind.alpha = v;
    }
    if let Some(v) = r.boolean(s, "conseillers") {
        ind.conseillers = v;
    }
    if let Some(v) = r.number(s, "taux_conseillers", 0.0, 1000.0) {
        ind.taux_conseillers = v;
    }
    if let Some(v) = r.number(s, "part_maires_delegues", 0.0, 100.0) {
        ind.part_maires_delegues = v;
    }
    if let Some(v) = r.boolean(s, "ecretement") {
        ind.ecretement = v;
    }
    if let Some(v) = r.boolean(s, "majoration_maire") {
        ind.majoration_maire = v;
    }
    for (key, slot) in [
        ("poids_socle", &mut ind.poids_socle),
        ("poids_effectif", &mut ind.poids_effectif),
        ("poids_budget", &mut ind.poids_budget),
        ("poids_services", &mut ind.poids_services),
        ("bonus_axe", &mut ind.bonus_axe),
        ("bonus_quartier", &mut ind.bonus_quartier),
        ("bonus_animation", &mut ind.bonus_animation),
        ("poids_sans_service", &mut ind.poids_sans_service),
    ] {
        if let Some(v) = r.number(s, key, 0.0, 1000.0) {
            *slot = v;
        }
    }
    if ind.poids_socle
        + ind.poids_effectif
        + ind.poids_budget
        + ind.poids_services
        + ind.bonus_axe
        + ind.bonus_quartier
        + ind.bonus_animation
        <= 0.0
    {
        r.error(
            s,
            "poids_socle",
            "tous les coefficients de poids sont nuls : aucune responsabilité ne peut être pesée"
                .into(),
            "donnez au moins un coefficient positif (par défaut poids_socle = 1)".into(),
        );
    }
    if let Some(v) = r.number(s, "part_appui", 0.0, 1.0) {
        ind.part_appui = v;
    }
    if let Some(v) = r.number(s, "ecart_paliers", 0.0, 1000.0) {
        ind.ecart_paliers = v;
    }
    if let Some(v) = r.number_list(s, "seuils_paliers", 0.0, 1000.0) {
        if v.is_empty() || v.windows(2).any(|w| w[0] <= w[1]) {
            r.error(
                s,
                "seuils_paliers",
                "« seuils_paliers » doit être une liste non vide de seuils strictement décroissants".into(),
                "écrivez par exemple seuils_paliers = [1.5, 0.75] (multiples du poids moyen)".into(),
            );
        } else {
            ind.seuils_paliers = v;
        }
    }
    if let Some(v) = r.number_list(s, "rangs_paliers", 1.0, 1000.0) {
        if v.is_empty() || v.iter().any(|x| x.fract() != 0.0) || v.windows(2).any(|w| w[0] >= w[1])
        {
            r.error(
                s,
                "rangs_paliers",
                "« rangs_paliers » doit être une liste non vide de rangs entiers strictement croissants".into(),
                "écrivez par exemple rangs_paliers = [6] (rangs 1 à 6 au palier 1, les autres adjoint·es au palier 2) avec politique = \"paliers\"".into(),
            );
        } else {
            ind.rangs_paliers = v.iter().map(|&x| x as u32).collect();
        }
    }
    if let Some(p) = r.string(s, "politique") {
        match normalise(&p).as_str() {
            "egalitaire" => ind.politique = Politique::Egalitaire,
            "proportionnelle" => ind.politique = Politique::Proportionnelle,
            "mixte" => ind.politique = Politique::Mixte,
            "paliers" => ind.politique = Politique::Paliers,
            _ => r.error(
                s,
                "politique",
                format!("politique inconnue « {p} »"),
                "valeurs permises : egalitaire, proportionnelle, mixte, paliers".into(),
            ),
        }
    }

    let mut grp = GroupesParams::default();
    let s = Some("groupes");
    if let Some(v) = r.integer(s, "taille_min", 1, 20) {
        grp.taille_min = v;
        grp.taille_min_declaree = true;
    }
    if let Some(v) = r.integer(s, "taille_max", 1, 20) {
        grp.taille_max = v;
        grp.taille_max_declaree = true;
    }
    if grp.taille_min > grp.taille_max {
        r.error(
            s,
            "taille_min",
            format!(
                "taille_min ({}) est supérieure à taille_max ({})",
                grp.taille_min, grp.taille_max
            ),
            "donnez taille_min ≤ taille_max (le pacte : binômes ou groupes de 3 à 4)".into(),
        );
    }
    for (key, slot) in [
        ("poids_dispersion", &mut grp.poids_dispersion),
        ("poids_changements", &mut grp.poids_changements),
        ("poids_equilibre", &mut grp.poids_equilibre),
        ("poids_preferences", &mut grp.poids_preferences),
        ("poids_retraits", &mut grp.poids_retraits),
        ("poids_liens", &mut grp.poids_liens),
        ("poids_hors_theme", &mut grp.poids_hors_theme),
    ] {
        if let Some(v) = r.number(s, key, 0.0, 1e6) {
            *slot = v;
        }
    }
    if let Some(v) = r.boolean(s, "retrait_appui") {
        grp.retrait_appui = v;
    }
    if let Some(v) = r.boolean(s, "coeurs") {
        grp.coeurs = v;
    }
    if let Some(v) = r.string_list(s, "coeurs_liberes") {
        grp.coeurs_liberes = v;
    }
    if let Some(v) = r.boolean(s, "parite") {
        grp.parite = v;
    }
    if let Some(v) = r.boolean(s, "composantes") {
        grp.composantes = v;
    }
    if let Some(v) = r.integer(s, "max_groupes_par_composante", 1, 1000) {
        grp.max_groupes_par_composante = Some(v);
    }

    let reorganisation = reorganisation_params(&mut r);

    if !r.diags.is_empty() {
        return Err(r.diags);
    }
    match (date, population_totale, population_municipale) {
        (Some(date), Some(population_totale), Some(population_municipale)) => Ok((
            ScenarioParams {
                nom,
                date,
                population_totale,
                population_municipale,
                effectif_conseil,
                commune,
                commune_nouvelle,
                communes_deleguees,
                majorations,
                taux_sinistre,
                axes,
                indemnites: ind,
                groupes: grp,
                reorganisation,
            },
            warnings,
        )),
        _ => Err(vec![Diagnostic::fichier(
            Code::E015,
            &chain[0].nom,
            "paramètres du scénario incomplets",
        )]),
    }
}

/// Line of the `n`-th (0-based) `[[header]]` of the first file of the chain that writes one.
fn ligne_entete(chain: &[TomlFile], entete: &str, n: usize) -> (String, Option<usize>) {
    for f in chain {
        let lignes: Vec<usize> = f
            .texte
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                let l = l.trim();
                l.starts_with("[[") && l.trim_matches(|c| c == '[' || c == ']').trim() == entete
            })
            .map(|(i, _)| i + 1)
            .collect();
        if !lignes.is_empty() {
            return (f.nom.clone(), lignes.get(n).copied());
        }
    }
    (chain[0].nom.clone(), None)
}

/// An error inside the `n`-th table of an array of tables `[[reorganisation.<tableau>]]`.
fn erreur_tableau(
    r: &mut Reader<'_>,
    tableau: &str,
    n: usize,
    cle: &str,
    message: String,
    aide: String,
) {
    let (fichier, ligne) = ligne_entete(r.chain, &format!("reorganisation.{tableau}"), n);
    let mut d = Diagnostic::fichier(Code::E015, &fichier, message)
        .colonne(&format!("reorganisation.{tableau}[{}].{cle}", n + 1))
        .aide(aide);
    if let Some(l) = ligne {
        d = d.ligne(l);
    }
    r.diags.push(d);
}

/// The tables of `[[reorganisation.<tableau>]]`, each checked for unknown keys; a key that is
/// not an array of tables is an error.
fn tables_de(r: &mut Reader<'_>, tableau: &str, connues: &[&str]) -> Vec<Table> {
    let s = Some("reorganisation");
    let v = match r.get(s, tableau).cloned() {
        None => return Vec::new(),
        Some(Value::Array(a)) if a.iter().all(Value::is_table) => a,
        Some(v) => {
            r.error(
                s,
                tableau,
                format!("« {tableau} » doit être une liste de tables [[reorganisation.{tableau}]]"),
                format!(
                    "écrivez une table [[reorganisation.{tableau}]] par élément (valeur lue : {v})"
                ),
            );
            return Vec::new();
        }
    };
    let tables: Vec<Table> = v
        .into_iter()
        .filter_map(|x| x.as_table().cloned())
        .collect();
    for (n, t) in tables.iter().enumerate() {
        for k in t.keys().filter(|k| !connues.contains(&k.as_str())) {
            let proche = super::table::plus_proche(k, connues)
                .map(|p| format!("vouliez-vous dire « {p} » ? "))
                .unwrap_or_default();
            erreur_tableau(
                r,
                tableau,
                n,
                k,
                format!("clé inconnue « {k} »"),
                format!("{proche}clés permises ici : {}", connues.join(", ")),
            );
        }
    }
    tables
}

/// A text key of a table of an array of tables.
fn texte_de(
    r: &mut Reader<'_>,
    t: &Table,
    (tableau, n): (&str, usize),
    cle: &str,
) -> Option<String> {
    match t.get(cle) {
        None => None,
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Some(v) => {
            erreur_tableau(
                r,
                tableau,
                n,
                cle,
                format!("« {cle} » doit être un texte non vide entre guillemets"),
                format!("écrivez par exemple {cle} = \"…\" (valeur lue : {v})"),
            );
            None
        }
    }
}

/// A list of texts of a table of an array of tables (absent = empty).
fn liste_de(r: &mut Reader<'_>, t: &Table, (tableau, n): (&str, usize), cle: &str) -> Vec<String> {
    match t.get(cle) {
        None => Vec::new(),
        Some(Value::Array(a)) if a.iter().all(Value::is_str) => a
            .iter()
            .filter_map(|x| x.as_str().map(|s| s.trim().to_string()))
            .collect(),
        Some(v) => {
            erreur_tableau(
                r,
                tableau,
                n,
                cle,
                format!("« {cle} » doit être une liste de textes"),
                format!("écrivez {cle} = [\"…\", \"…\"] (valeur lue : {v})"),
            );
            Vec::new()
        }
    }
}

/// `[reorganisation]` (issue 29, `collegia reorganiser`): every key optional. References to
/// directions and DGA are checked against the organigramme by the reorganisation itself.
fn reorganisation_params(r: &mut Reader<'_>) -> ReorganisationParams {
    let mut p = ReorganisationParams::default();
    let s = Some("reorganisation");
    if r.get(None, "reorganisation").is_none() {
        return p;
    }
    if let Some(v) = r.integer(s, "etapes", 1, 24) {
        p.etapes = v;
    }
    if let Some(v) = r.integer(s, "intervalle_mois", 1, 72) {
        p.intervalle_mois = v;
    }
    match r.get(s, "premier_seminaire").cloned() {
        None => {}
        Some(Value::Datetime(d)) if d.date.is_some() && d.time.is_none() => {
            let dd = d.date.expect("checked");
            p.premier_seminaire =
                NaiveDate::from_ymd_opt(i32::from(dd.year), u32::from(dd.month), u32::from(dd.day));
        }
        Some(Value::String(t)) if NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").is_ok() => {
            p.premier_seminaire = NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d").ok();
        }
        Some(v) => r.error(
            s,
            "premier_seminaire",
            format!("« premier_seminaire » doit être une date AAAA-MM-JJ (valeur lue : {v})"),
            "écrivez par exemple premier_seminaire = \"2026-10-01\"".into(),
        ),
    }
    p.agents_par_etape = r.number(s, "agents_par_etape", 0.0, 1e7);
    p.agents_mandat = r.number(s, "agents_mandat", 0.0, 1e7);
    if let Some(v) = r.integer(s, "directions_min", 0, 1000) {
        p.directions_min = v;
    }
    p.directions_max = r.integer(s, "directions_max", 1, 1000);
    if let (min, Some(max)) = (p.directions_min, p.directions_max)
        && min > max
    {
        r.error(
            s,
            "directions_min",
            format!("directions_min ({min}) est supérieur à directions_max ({max})"),
            "donnez directions_min ≤ directions_max".into(),
        );
    }
    p.effectif_min = r.number(s, "effectif_min", 0.0, 1e7);
    p.effectif_max = r.number(s, "effectif_max", 0.0, 1e7);
    if let Some(v) = r.integer(s, "nouvelles_dga", 0, 20) {
        p.nouvelles_dga = v;
    }
    if let Some(v) = r.integer(s, "deplacements_max", 1, 24) {
        p.deplacements_max = v;
    }
    if let Some(v) = r.boolean(s, "liens_separables") {
        p.liens_separables = v;
    }
    if let Some(m) = r.string(s, "monotonie") {
        match m.as_str() {
            "objectif" => p.monotonie = Monotonie::Objectif,
            "chaque_mesure" => p.monotonie = Monotonie::ChaqueMesure,
            _ => r.error(
                s,
                "monotonie",
                format!("monotonie inconnue « {m} »"),
                "valeurs permises : objectif, chaque_mesure".into(),
            ),
        }
    }
    for (key, slot) in [
        ("poids_interlocuteurs", &mut p.poids_interlocuteurs),
        ("poids_priorites", &mut p.poids_priorites),
        ("poids_equilibre", &mut p.poids_equilibre),
        ("poids_liens", &mut p.poids_liens),
        ("poids_agents", &mut p.poids_agents),
    ] {
        if let Some(v) = r.number(s, key, 0.0, 1e6) {
            *slot = v;
        }
    }
    let mut ids = std::collections::BTreeSet::new();
    for (n, t) in tables_de(r, "priorites", PRIORITE_KEYS).iter().enumerate() {
        let ou = ("priorites", n);
        let Some(id) = texte_de(r, t, ou, "id") else {
            if !t.contains_key("id") {
                erreur_tableau(
                    r,
                    "priorites",
                    n,
                    "id",
                    "clé obligatoire « id » absente".into(),
                    "donnez un identifiant court, par exemple id = \"sante\"".into(),
                );
            }
            continue;
        };
        if !ids.insert(id.clone()) {
            erreur_tableau(
                r,
                "priorites",
                n,
                "id",
                format!("priorité « {id} » déjà définie"),
                "donnez à chaque priorité un identifiant distinct".into(),
            );
        }
        let nom = texte_de(r, t, ou, "nom").unwrap_or_else(|| id.clone());
        let directions = liste_de(r, t, ou, "directions");
        let domaines = liste_de(r, t, ou, "domaines");
        if directions.is_empty() && domaines.is_empty() {
            erreur_tableau(
                r,
                "priorites",
                n,
                "directions",
                format!("la priorité « {id} » ne nomme ni direction ni domaine"),
                "ajoutez directions = [\"DIR-…\"] ou domaines = [\"sante\"]".into(),
            );
        }
        let nouvelle_dga = match t.get("nouvelle_dga") {
            None => true,
            Some(Value::Boolean(b)) => *b,
            Some(v) => {
                erreur_tableau(
                    r,
                    "priorites",
                    n,
                    "nouvelle_dga",
                    format!("« nouvelle_dga » doit valoir true ou false (valeur lue : {v})"),
                    "écrivez nouvelle_dga = true ou nouvelle_dga = false".into(),
                );
                true
            }
        };
        p.priorites.push(Priorite {
            ligne: ligne_entete(r.chain, "reorganisation.priorites", n).1,
            id,
            nom,
            directions,
            domaines,
            nouvelle_dga,
        });
    }
    for (n, t) in tables_de(r, "verrous", VERROU_DGA_KEYS).iter().enumerate() {
        let ou = ("verrous", n);
        let direction = texte_de(r, t, ou, "direction");
        let dga = texte_de(r, t, ou, "dga");
        match (direction, dga) {
            (Some(direction), Some(dga)) => p.verrous.push(VerrouDga {
                direction,
                dga,
                ligne: ligne_entete(r.chain, "reorganisation.verrous", n).1,
            }),
            _ => erreur_tableau(
                r,
                "verrous",
                n,
                "direction",
                "un verrou nomme une direction et une DGA".into(),
                "écrivez direction = \"DIR-…\" et dga = \"DGA-…\"".into(),
            ),
        }
    }
    p
}

/// `code_insee`, `date_creation` and `conseils_anciens` (issue 16: PLM communes and communes
/// nouvelles).
fn commune_params(r: &mut Reader<'_>) -> CommuneParams {
    // The commune's name as it signs its acts; blank is the same as absent.
    let nom = r
        .string(None, "commune")
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let code_insee = r.string(None, "code_insee").and_then(|c| {
        let c = c.trim().to_uppercase();
        let valide = c.len() == 5
            && c.chars().enumerate().all(|(i, ch)| {
                ch.is_ascii_digit() || (i == 1 && c.starts_with('2') && (ch == 'A' || ch == 'B'))
            });
        if valide {
            Some(c)
        } else {
            r.error(
                None,
                "code_insee",
                format!("code INSEE « {c} » invalide"),
                "le code INSEE d'une commune a 5 caractères, par exemple code_insee = \"13055\" pour Marseille (ce n'est pas le code postal)".into(),
            );
            None
        }
    });
    let date_creation = match r.get(None, "date_creation").cloned() {
        None => None,
        Some(Value::Datetime(d)) => d.date.and_then(|dd| {
            NaiveDate::from_ymd_opt(i32::from(dd.year), u32::from(dd.month), u32::from(dd.day))
        }),
        Some(Value::String(s)) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .or_else(|_| NaiveDate::parse_from_str(s.trim(), "%d/%m/%Y"))
            .ok(),
        Some(_) => None,
    };
    if date_creation.is_none() && r.get(None, "date_creation").is_some() {
        r.error(
            None,
            "date_creation",
            "« date_creation » doit être une date AAAA-MM-JJ".into(),
            "écrivez la date de création de la commune nouvelle, par exemple date_creation = 2017-01-01".into(),
        );
    }
    let conseils_anciens = match r.get(None, "conseils_anciens").cloned() {
        None => Vec::new(),
        Some(Value::Array(a)) => {
            let v: Vec<u32> = a
                .iter()
                .filter_map(Value::as_integer)
                .filter(|n| (1..=1000).contains(n))
                .filter_map(|n| u32::try_from(n).ok())
                .collect();
            if v.len() == a.len() {
                v
            } else {
                r.error(
                    None,
                    "conseils_anciens",
                    "« conseils_anciens » doit être une liste d'effectifs entiers positifs".into(),
                    "écrivez le nombre de sièges de chaque ancien conseil municipal, par exemple conseils_anciens = [29, 15, 11]".into(),
                );
                Vec::new()
            }
        }
        Some(v) => {
            r.error(
                None,
                "conseils_anciens",
                "« conseils_anciens » doit être une liste".into(),
                format!("écrivez par exemple conseils_anciens = [29, 15, 11] (valeur lue : {v})"),
            );
            Vec::new()
        }
    };
    let plafond_l2113_8 = match r.string(None, "plafond_l2113_8").as_deref().map(str::trim) {
        None | Some("hors_communes_deleguees") => LecturePlafondL2113_8::HorsCommunesDeleguees,
        Some("tous_les_membres") => LecturePlafondL2113_8::TousLesMembres,
        Some(autre) => {
            let autre = autre.to_string();
            r.error(
                None,
                "plafond_l2113_8",
                format!("lecture « {autre} » inconnue pour le plafond de L2113-8"),
                "écrivez plafond_l2113_8 = \"hors_communes_deleguees\" (par défaut) ou \"tous_les_membres\"".into(),
            );
            LecturePlafondL2113_8::default()
        }
    };
    let maire_delegue_adjoint = match r
        .string(None, "maire_delegue_adjoint")
        .as_deref()
        .map(str::trim)
    {
        None | Some("hors_30") => LectureMaireDelegueAdjoint::Hors30,
        Some("dans_30") => LectureMaireDelegueAdjoint::Dans30,
        Some(autre) => {
            let autre = autre.to_string();
            r.error(
                None,
                "maire_delegue_adjoint",
                format!("lecture « {autre} » inconnue pour le maire délégué·e élu·e adjoint·e"),
                "écrivez maire_delegue_adjoint = \"hors_30\" (par défaut) ou \"dans_30\"".into(),
            );
            LectureMaireDelegueAdjoint::default()
        }
    };
    let adjoints_quartier_crees = r.boolean(None, "adjoints_quartier_crees");
    let montants_avec_majorations = r
        .boolean(None, "montants_avec_majorations")
        .unwrap_or(false);
    CommuneParams {
        nom,
        code_insee,
        date_creation,
        conseils_anciens,
        plafond_l2113_8,
        maire_delegue_adjoint,
        adjoints_quartier_crees,
        montants_avec_majorations,
    }
}

/// Parses a majoration identifier (accents, case and spaces ignored).
pub fn parse_majoration(s: &str) -> Option<Majoration> {
    Some(match normalise(s).as_str() {
        "chef_lieu_departement" | "chef_lieu_de_departement" | "prefecture" => {
            Majoration::ChefLieuDepartement
        }
        "chef_lieu_arrondissement" | "chef_lieu_d_arrondissement" | "sous_prefecture" => {
            Majoration::ChefLieuArrondissement
        }
        "bureau_centralisateur_canton" | "chef_lieu_canton" | "bureau_centralisateur" => {
            Majoration::BureauCentralisateurCanton
        }
        "station_tourisme" | "station_classee_de_tourisme" | "station_de_tourisme" => {
            Majoration::StationTourisme
        }
        "commune_sinistree" => Majoration::CommuneSinistree,
        "dsu" => Majoration::Dsu,
        _ => return None,
    })
}

/// Reads the chain of `scenario.toml` files starting at `dossier`, following `base` links.
pub fn read_chain(dossier: &Path) -> Result<Vec<TomlFile>, Vec<Diagnostic>> {
    let mut chain = Vec::new();
    read_chain_into(dossier, &mut chain)?;
    Ok(chain)
}

/// [`read_chain`], keeping in `chain` the files read before a failure, so that the CSV files can
/// still be located and checked in the same run.
pub(crate) fn read_chain_into(
    dossier: &Path,
    chain: &mut Vec<TomlFile>,
) -> Result<(), Vec<Diagnostic>> {
    let mut current = dossier.to_path_buf();
    loop {
        let path = current.join("scenario.toml");
        let nom = path.display().to_string();
        let texte = match super::read_file(&path) {
            Ok(b) => super::table::decode_fichier(&nom, &b)
                .map(|(texte, _)| texte)
                .map_err(|d| vec![d])?,
            Err(d) => {
                return Err(vec![if chain.is_empty() {
                    if d.code == Code::E001 && !path.exists() {
                        Diagnostic::fichier(Code::E024, &nom, "scenario.toml introuvable : ce dossier n'est pas un scénario")
                            .aide("un scénario contient scenario.toml (au moins date et population), organigramme.csv, elus.csv et delegations.csv ; voir docs/formats.md")
                    } else {
                        d
                    }
                } else {
                    Diagnostic::fichier(
                        Code::E016,
                        &chain[chain.len() - 1].nom,
                        format!("la base « {} » de cette variante est introuvable", current.display()),
                    )
                    .colonne("base")
                    .aide("vérifiez le chemin base = \"…\" : il est relatif au dossier de la variante et doit contenir un scenario.toml")
                }]);
            }
        };
        let table = parse_toml(&nom, &texte).map_err(|d| vec![d])?;
        let base = table.get("base").cloned();
        chain.push(TomlFile {
            dossier: current.clone(),
            nom,
            texte,
            table,
        });
        match base {
            None => return Ok(()),
            Some(Value::String(b)) => {
                let next = current.join(b.trim());
                let canon = next.canonicalize().ok();
                if chain.len() > MAX_BASE_DEPTH
                    || chain.iter().any(|f| {
                        f.dossier.canonicalize().ok().is_some()
                            && f.dossier.canonicalize().ok() == canon
                    })
                {
                    let last = &chain[chain.len() - 1];
                    return Err(vec![
                        Diagnostic::fichier(
                            Code::E016,
                            &last.nom,
                            "les bases des variantes forment une boucle ou une chaîne trop longue",
                        )
                        .colonne("base")
                        .aide(format!("une variante ne peut pas être sa propre base (au plus {MAX_BASE_DEPTH} niveaux)")),
                    ]);
                }
                current = next;
            }
            Some(_) => {
                let last = &chain[chain.len() - 1];
                return Err(vec![
                    Diagnostic::fichier(
                        Code::E015,
                        &last.nom,
                        "« base » doit être un chemin entre guillemets",
                    )
                    .colonne("base")
                    .aide("écrivez par exemple base = \"../exemple\""),
                ]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(texte: &str) -> Vec<TomlFile> {
        vec![TomlFile {
            dossier: PathBuf::from("x"),
            nom: "x/scenario.toml".into(),
            texte: texte.into(),
            table: parse_toml("x/scenario.toml", texte).expect("valid toml"),
        }]
    }

    #[test]
    fn the_reorganisation_table_is_read_and_its_errors_have_their_lines() {
        let base = "date = \"2026-04-01\"\npopulation_totale = 1000\npopulation_municipale = 990\n";
        let (p, _) = build_params(&chain(base), "x").expect("valid");
        assert_eq!(p.reorganisation, ReorganisationParams::default());
        let texte = format!(
            "{base}[reorganisation]\netapes = 3\nagents_par_etape = 120\nmonotonie = \"chaque_mesure\"\npremier_seminaire = 2026-10-01\n\n[[reorganisation.priorites]]\nid = \"sante\"\ndomaines = [\"sante\"]\nnouvelle_dga = false\n\n[[reorganisation.verrous]]\ndirection = \"DIR-RH\"\ndga = \"DGA-RES\"\n"
        );
        let (p, _) = build_params(&chain(&texte), "x").expect("valid");
        let r = &p.reorganisation;
        assert_eq!((r.etapes, r.agents_par_etape), (3, Some(120.0)));
        assert_eq!(r.monotonie, Monotonie::ChaqueMesure);
        assert_eq!(r.premier_seminaire, NaiveDate::from_ymd_opt(2026, 10, 1));
        assert_eq!(r.priorites.len(), 1);
        assert_eq!(
            (r.priorites[0].nom.as_str(), r.priorites[0].ligne),
            ("sante", Some(10))
        );
        assert!(!r.priorites[0].nouvelle_dga);
        assert_eq!(r.verrous[0].ligne, Some(15));
        // A misspelt key inside a priority: E015 on the line of its header.
        let faux = format!(
            "{base}[reorganisation]\n[[reorganisation.priorites]]\nid = \"a\"\ndirection = [\"D\"]\n"
        );
        let e = build_params(&chain(&faux), "x").expect_err("invalid");
        assert!(
            e.iter()
                .any(|d| d.to_string().contains("directions") && d.to_string().contains('5')),
            "{e:?}"
        );
    }

    #[test]
    fn minimal_scenario_gets_defaults() {
        let (p, w) = build_params(
            &chain(
                "date = \"2026-04-01\"\npopulation_totale = 1000\npopulation_municipale = 990\n",
            ),
            "x",
        )
        .expect("valid");
        assert_eq!(p.nom, "x");
        assert_eq!(p.axes.len(), 4);
        assert_eq!(p.axes[0].libelle, "Démocratie et pouvoir d'agir");
        assert_eq!(p.groupes.taille_max, 4);
        assert!(w.is_empty());
    }

    #[test]
    fn one_population_is_used_for_both_with_a_warning() {
        let (p, w) = build_params(&chain("date = 2026-04-01\npopulation_totale = 1000\n"), "x")
            .expect("valid");
        assert_eq!(p.population_municipale, 1000);
        assert_eq!(w.len(), 1);
    }

    #[test]
    fn legal_readings_are_named_keys() {
        // issue 27: the readings of L2113-8 al. 3 and L2113-13 are keys with named values
        let (p, _) = build_params(
            &chain("date = \"2026-04-01\"\npopulation_totale = 5000\nplafond_l2113_8 = \"tous_les_membres\"\nmaire_delegue_adjoint = \"dans_30\"\nadjoints_quartier_crees = true\nmontants_avec_majorations = true\n"),
            "x",
        )
        .expect("valid");
        assert_eq!(
            p.commune.plafond_l2113_8,
            LecturePlafondL2113_8::TousLesMembres
        );
        assert_eq!(
            p.commune.maire_delegue_adjoint,
            LectureMaireDelegueAdjoint::Dans30
        );
        assert_eq!(p.commune.adjoints_quartier_crees, Some(true));
        assert!(p.commune.montants_avec_majorations);
        // defaults, each with its reason in docs/formats.md
        let (p, _) = build_params(
            &chain("date = \"2026-04-01\"\npopulation_totale = 5000\n"),
            "x",
        )
        .expect("valid");
        assert_eq!(
            p.commune.plafond_l2113_8,
            LecturePlafondL2113_8::HorsCommunesDeleguees
        );
        assert_eq!(
            p.commune.maire_delegue_adjoint,
            LectureMaireDelegueAdjoint::Hors30
        );
        assert_eq!(p.commune.adjoints_quartier_crees, None);
        // an unknown reading is an E015 naming the key and its line
        let d = build_params(
            &chain("date = \"2026-04-01\"\npopulation_totale = 5000\nplafond_l2113_8 = \"tous\"\n"),
            "x",
        )
        .expect_err("invalid");
        assert!(d.iter().any(|d| d.code == Code::E015
            && d.ligne == Some(3)
            && d.colonne.as_deref() == Some("plafond_l2113_8")));
    }

    #[test]
    fn bad_values_are_e015_with_line_and_key() {
        let d = build_params(
            &chain("date = \"2026-04-01\"\npopulation_totale = -5\n\n[indemnites]\nalpha = 2\npolitique = \"au hasard\"\nfoo = 1\n"),
            "x",
        )
        .expect_err("invalid");
        let got: Vec<(Option<usize>, Option<String>)> =
            d.iter().map(|d| (d.ligne, d.colonne.clone())).collect();
        assert!(got.contains(&(Some(2), Some("population_totale".into()))));
        assert!(got.contains(&(Some(5), Some("indemnites.alpha".into()))));
        assert!(got.contains(&(Some(6), Some("indemnites.politique".into()))));
        assert!(got.contains(&(Some(7), Some("indemnites.foo".into()))));
        assert!(d.iter().all(|d| d.code == Code::E015));
    }

    #[test]
    fn a_misspelt_key_suggests_the_known_one() {
        let d = build_params(
            &chain("date = \"2026-04-01\"\npopulation_totale = 1000\npopulation_municpale = 990\nzzz = 1\n"),
            "x",
        )
        .expect_err("unknown keys");
        let aide = |k: &str| {
            d.iter()
                .find(|d| d.colonne.as_deref() == Some(k))
                .map(|d| d.aide.clone())
                .expect("reported")
        };
        assert!(
            aide("population_municpale")
                .starts_with("vouliez-vous dire « population_municipale » ?"),
            "{}",
            aide("population_municpale")
        );
        assert!(aide("zzz").starts_with("clés permises ici"));
    }

    #[test]
    fn syntax_error_has_a_line() {
        let d = parse_toml("s.toml", "nom = \"a\"\ndate = \n").expect_err("syntax");
        assert_eq!(d.code, Code::E015);
        assert_eq!(d.ligne, Some(2));
    }

    #[test]
    fn missing_date_is_reported() {
        let d = build_params(&chain("population_totale = 1000\n"), "x").expect_err("no date");
        assert!(d.iter().any(|d| d.colonne.as_deref() == Some("date")));
    }

    #[test]
    fn variant_overrides_base_key_by_key() {
        let base = "date = \"2026-04-01\"\npopulation_totale = 1000\n[indemnites]\nalpha = 0.2\nplancher = 5\n";
        let var = "base = \"../b\"\nnom = \"v\"\n[indemnites]\nalpha = 0.8\n";
        let c = vec![
            TomlFile {
                dossier: "v".into(),
                nom: "v/scenario.toml".into(),
                texte: var.into(),
                table: parse_toml("v", var).expect("toml"),
            },
            TomlFile {
                dossier: "b".into(),
                nom: "b/scenario.toml".into(),
                texte: base.into(),
                table: parse_toml("b", base).expect("toml"),
            },
        ];
        let (p, _) = build_params(&c, "v").expect("valid");
        assert_eq!(p.nom, "v");
        assert_eq!(p.indemnites.alpha, 0.8);
        assert_eq!(p.indemnites.plancher, 5.0);
    }

    #[test]
    fn axes_accept_ids_and_labels() {
        let (p, _) = build_params(
            &chain("date = \"2026-04-01\"\npopulation_totale = 1000\naxes = [\"Transition écologique\", \"sport\"]\n"),
            "x",
        )
        .expect("valid");
        assert_eq!(p.axes[0].id, "transition");
        assert_eq!(p.axes[1].id, "sport");
    }

    #[test]
    fn syntax_errors_are_in_french_with_line_character_and_date_format() {
        let d = parse_toml("s.toml", "nom = \"a\"\ndate = 2026-13-01\n").expect_err("month");
        assert_eq!((d.code, d.ligne), (Code::E015, Some(2)));
        assert!(
            d.message
                .contains("date invalide, attendu : mois entre 01 et 12"),
            "{d}"
        );
        assert!(d.message.contains("caractère 8"), "{d}");
        assert!(d.aide.contains("AAAA-MM-JJ"), "{d}");
        let d = parse_toml("s.toml", "date = 01/04/2026\n").expect_err("unquoted");
        assert!(d.message.contains("texte sans guillemets"), "{d}");
        assert!(d.aide.contains("AAAA-MM-JJ"), "{d}");
        let d = parse_toml("s.toml", "a = 1\na = 2\n").expect_err("dup");
        assert_eq!(d.ligne, Some(2));
        assert!(d.message.contains("clé déjà définie"), "{d}");
        assert!(!d.message.contains("duplicate"), "{d}");
    }
}
