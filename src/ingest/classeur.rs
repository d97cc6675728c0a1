//! A scenario as one workbook (`.xlsx` or `.ods`), both ways.
//!
//! Reading: the sheets `organigramme`, `élu·es`, `délégations` and `paramètres` (names compared
//! without accents, case or punctuation: `elus`, `Délégations` do) become the very `Source`s the
//! CSV parsers read — one CSV line per sheet row, so a diagnostic's line is the spreadsheet's
//! row, and the file name shown is `classeur.xlsx › feuille`. The `paramètres` sheet holds the
//! `scenario.toml` keys as `clé` / `valeur` rows (`indemnites.politique` for a key of a
//! section); a value that is not TOML (a bare word) is read as text. Same header aliases, same
//! coded errors as the CSV files; a missing sheet is E001 naming it.
//!
//! Writing ([`feuilles_entree`]): the same four sheets from a scenario folder's own files (its
//! TOML chain merged, its CSV files as they are), so that nothing the files say is lost.

use super::error::{Code, Diagnostic, IngestError};
use super::scenario_toml::{TomlFile, parse_toml, read_chain};
use super::table::{Source, decode_fichier, detect_separator, normalise};
use super::{Chargement, FICHIERS_CSV, read_file};
use std::path::{Path, PathBuf};

/// Sheet names, in the order of [`FICHIERS_CSV`], then the parameters.
pub const FEUILLES: [&str; 4] = ["organigramme", "élu·es", "délégations", "paramètres"];

/// Optional sheets: the optional table each stands for (`verrous.csv`, `voeux.csv`) and its
/// sheet name. A workbook without them is a scenario without locks or wishes, as a folder
/// without the files.
pub const FEUILLES_OPTIONNELLES: [(&str, &str); 2] =
    [("verrous.csv", "verrous"), ("voeux.csv", "vœux")];

/// Whether `chemin` names a workbook collegia reads (`.xlsx`, `.ods`).
pub fn est_classeur(chemin: &Path) -> bool {
    chemin
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "xlsx" | "ods"))
}

/// A sheet name reduced to its letters (`Élu·es` → `elues`).
fn cle_feuille(nom: &str) -> String {
    normalise(nom)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// Whether a sheet is the one expected for `attendue` (one of [`FEUILLES`]).
fn correspond(nom: &str, attendue: &str) -> bool {
    let n = cle_feuille(nom);
    match attendue {
        "élu·es" => matches!(n.as_str(), "elues" | "elus"),
        // `œ` has no decomposition: « vœux » reduces to « vux ».
        "vœux" => matches!(n.as_str(), "voeux" | "vux"),
        _ => n == cle_feuille(attendue),
    }
}

/// A number as a numeric cell reads back as CSV text (`145`, `33.5`).
pub fn texte_nombre(f: f64) -> String {
    texte(&calamine::Data::Float(f))
}

/// A cell as CSV text: numbers without a needless `.0`, no line break (one row, one line).
fn texte(c: &calamine::Data) -> String {
    use calamine::Data;
    let s = match c {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "oui" } else { "non" }.to_string(),
        Data::DateTime(d) => d.to_string(),
        Data::Error(e) => format!("#{e:?}"),
    };
    s.replace(['\r', '\n'], " ")
}

/// The rows of a sheet as CSV (`;`), preceded by as many empty lines as the sheet has empty
/// rows above its first cell, so that CSV line = spreadsheet row.
fn csv_de(range: &calamine::Range<calamine::Data>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true)
        .from_writer(Vec::new());
    for ligne in range.rows() {
        let cellules: Vec<String> = ligne.iter().map(texte).collect();
        if cellules.iter().all(String::is_empty) {
            // A blank row stays a blank line (the reader skips it, the numbering holds).
            let _ = w.write_record(None::<&[u8]>);
        } else {
            let _ = w.write_record(&cellules);
        }
    }
    let corps = w.into_inner().unwrap_or_default();
    let debut = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    let mut octets = vec![b'\n'; debut];
    octets.extend(corps);
    octets
}

/// `clé = valeur` lines of `scenario.toml` from the `paramètres` sheet (header row first).
fn toml_de(range: &calamine::Range<calamine::Data>) -> String {
    let mut t = String::new();
    let debut = range.start().map(|(r, _)| r as usize).unwrap_or(0);
    for (k, ligne) in range.rows().enumerate() {
        let cle = ligne.first().map(texte).unwrap_or_default();
        let valeur = ligne.get(1).map(texte).unwrap_or_default();
        let (cle, valeur) = (cle.trim(), valeur.trim());
        // The header row (`clé`, `valeur`) and empty values say nothing.
        if cle.is_empty() || valeur.is_empty() || (k == 0 && normalise(cle) == "cle") {
            t.push('\n');
            continue;
        }
        let brut = format!("{cle} = {valeur}");
        if brut.parse::<toml::Table>().is_ok() {
            t.push_str(&brut);
        } else {
            t.push_str(&format!(
                "{cle} = {}",
                toml::Value::String(valeur.to_string())
            ));
        }
        t.push('\n');
    }
    // Line of the TOML text = row of the sheet.
    "\n".repeat(debut) + &t
}

/// Loads a workbook as a scenario (see the module's documentation).
pub fn charger(chemin: &Path) -> Result<Chargement, IngestError> {
    use calamine::Reader;
    let nom = chemin.display().to_string();
    let octets = read_file(chemin).map_err(IngestError::one)?;
    let mut classeur =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(octets)).map_err(|e| {
            IngestError::one(
                Diagnostic::fichier(Code::E001, &nom, format!("classeur illisible : {e}"))
                    .aide("enregistrez-le au format Excel (.xlsx) ou OpenDocument (.ods)"),
            )
        })?;
    let noms = classeur.sheet_names();
    let mut diags = Vec::new();
    let mut sources: Vec<Option<Source>> = Vec::new();
    let mut toml_texte = None;
    for attendue in FEUILLES {
        let Some(feuille) = noms.iter().find(|n| correspond(n, attendue)).cloned() else {
            diags.push(
                Diagnostic::fichier(
                    Code::E001,
                    &nom,
                    format!("feuille « {attendue} » introuvable"),
                )
                .aide(format!(
                    "un classeur de scénario a quatre feuilles : {} (voir « collegia classeur »)",
                    FEUILLES.join(", ")
                )),
            );
            if attendue != "paramètres" {
                sources.push(None);
            }
            continue;
        };
        let source_nom = format!("{nom} › {feuille}");
        match classeur.worksheet_range(&feuille) {
            Ok(range) if attendue == "paramètres" => {
                toml_texte = Some((source_nom, toml_de(&range)));
            }
            Ok(range) => sources.push(Some(Source {
                nom: source_nom,
                octets: csv_de(&range),
            })),
            Err(e) => {
                diags.push(Diagnostic::fichier(
                    Code::E001,
                    &source_nom,
                    format!("feuille illisible : {e}"),
                ));
                if attendue != "paramètres" {
                    sources.push(None);
                }
            }
        }
    }
    let mut chain = Vec::new();
    if let Some((n, texte)) = toml_texte {
        match parse_toml(&n, &texte) {
            Ok(table) => chain.push(TomlFile {
                dossier: chemin.parent().map(Path::to_path_buf).unwrap_or_default(),
                nom: n,
                texte,
                table,
            }),
            Err(d) => diags.push(d),
        }
    }
    let nom_scenario = chemin
        .file_stem()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "scenario".into());
    let chaine_complete = diags.is_empty();
    super::assembler(
        &chain,
        chaine_complete,
        &nom_scenario,
        diags,
        sources,
        vec![chemin.to_path_buf()],
    )
}

/// One sheet of a scenario workbook: its name and its rows of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feuille {
    /// Sheet name (one of [`FEUILLES`]).
    pub nom: String,
    /// Rows, header first.
    pub lignes: Vec<Vec<String>>,
}

/// `over` merged key by key over `base` (tables recursively), as a variant over its base.
fn fusionner(base: &mut toml::Table, over: &toml::Table) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(toml::Value::Table(b)), toml::Value::Table(o)) => fusionner(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// `clé` / `valeur` rows of a TOML table, sections flattened with dots; text values as they
/// read, others in TOML (`true`, `2026-04-01`, `[...]`).
fn aplatir(prefixe: &str, t: &toml::Table, lignes: &mut Vec<Vec<String>>) {
    for (k, v) in t {
        let cle = if prefixe.is_empty() {
            k.clone()
        } else {
            format!("{prefixe}.{k}")
        };
        match v {
            toml::Value::Table(s) => aplatir(&cle, s, lignes),
            toml::Value::String(s) => lignes.push(vec![cle, s.clone()]),
            autre => lignes.push(vec![cle, autre.to_string()]),
        }
    }
}

/// The four input sheets of the scenario in `dossier`, from its own files (the TOML chain
/// merged, `base` dropped; the CSV files of the variant or of its bases, decoded).
pub fn feuilles_entree(dossier: &Path) -> Result<(Vec<Feuille>, Vec<PathBuf>), IngestError> {
    let chain = read_chain(dossier).map_err(IngestError::new)?;
    let mut fichiers: Vec<PathBuf> = chain
        .iter()
        .map(|f| f.dossier.join("scenario.toml"))
        .collect();
    let mut feuilles = Vec::new();
    for (fichier, feuille) in FICHIERS_CSV.iter().zip(FEUILLES) {
        let chemin = chain
            .iter()
            .map(|f| f.dossier.join(fichier))
            .find(|p| p.exists())
            .unwrap_or_else(|| dossier.join(fichier));
        let nom = chemin.display().to_string();
        let octets = read_file(&chemin).map_err(IngestError::one)?;
        let (texte, _) = decode_fichier(&nom, &octets).map_err(IngestError::one)?;
        let mut lecteur = csv::ReaderBuilder::new()
            .delimiter(detect_separator(&texte))
            .has_headers(false)
            .flexible(true)
            .from_reader(texte.as_bytes());
        let mut lignes: Vec<Vec<String>> = Vec::new();
        for r in lecteur.records() {
            let r = r.map_err(|e| {
                IngestError::one(Diagnostic::fichier(
                    Code::E001,
                    &nom,
                    format!("CSV illisible : {e}"),
                ))
            })?;
            lignes.push(r.iter().map(str::to_string).collect());
        }
        // The délégations in a fixed order: their order in the file changes nothing in the
        // analysis, and the same scenario must give the same workbook (and report).
        if *fichier == "delegations.csv" && lignes.len() > 1 {
            lignes[1..].sort();
        }
        fichiers.push(chemin);
        feuilles.push(Feuille {
            nom: feuille.to_string(),
            lignes,
        });
    }
    let mut table = toml::Table::new();
    for f in chain.iter().rev() {
        fusionner(&mut table, &f.table);
    }
    table.remove("base");
    let mut lignes = vec![vec!["clé".to_string(), "valeur".to_string()]];
    aplatir("", &table, &mut lignes);
    feuilles.push(Feuille {
        nom: "paramètres".into(),
        lignes,
    });
    Ok((feuilles, fichiers))
}

/// The optional table `fichier` (one of [`FEUILLES_OPTIONNELLES`]) of a workbook, read from its
/// sheet as the CSV source its parser reads (`classeur.xlsx › verrous`); `None` when the
/// workbook has no such sheet.
pub fn source_optionnelle(chemin: &Path, fichier: &str) -> Result<Option<Source>, IngestError> {
    use calamine::Reader;
    let Some((_, attendue)) = FEUILLES_OPTIONNELLES.iter().find(|(f, _)| *f == fichier) else {
        return Ok(None);
    };
    let mut classeur = ouvrir(chemin)?;
    let Some(feuille) = classeur
        .sheet_names()
        .iter()
        .find(|n| correspond(n, attendue))
        .cloned()
    else {
        return Ok(None);
    };
    let nom = format!("{} › {feuille}", chemin.display());
    match classeur.worksheet_range(&feuille) {
        Ok(range) => Ok(Some(Source {
            nom,
            octets: csv_de(&range),
        })),
        Err(e) => Err(IngestError::one(Diagnostic::fichier(
            Code::E001,
            &nom,
            format!("feuille illisible : {e}"),
        ))),
    }
}

/// Makes a variant written over a workbook stand on its own. A variant's `base` must be a
/// scenario folder, and a workbook is a file: so the files the variant does not hold
/// (`organigramme.csv`, `elus.csv`, `delegations.csv`, and the workbook's `verrous` and `vœux`
/// sheets) are added from the workbook's sheets, and its `scenario.toml` becomes the
/// workbook's parameters with the variant's keys over them, without `base`. `fichiers` are the
/// variant's (name, bytes) pairs, names relative to the variant's folder (`prefixe` before them,
/// such as `proposition/` inside a report).
pub fn completer_variante(
    chemin: &Path,
    fichiers: &mut Vec<(String, Vec<u8>)>,
    prefixe: &str,
) -> Result<(), IngestError> {
    use calamine::Reader;
    let mut classeur = ouvrir(chemin)?;
    let noms = classeur.sheet_names();
    let tables = FICHIERS_CSV
        .iter()
        .zip(FEUILLES)
        .map(|(f, n)| (*f, n))
        .chain(FEUILLES_OPTIONNELLES);
    for (fichier, attendue) in tables {
        let nom = format!("{prefixe}{fichier}");
        if fichiers.iter().any(|(n, _)| *n == nom) {
            continue;
        }
        let Some(feuille) = noms.iter().find(|n| correspond(n, attendue)) else {
            continue;
        };
        let range = classeur.worksheet_range(feuille).map_err(|e| {
            IngestError::one(Diagnostic::fichier(
                Code::E001,
                &format!("{} › {feuille}", chemin.display()),
                format!("feuille illisible : {e}"),
            ))
        })?;
        // Written through collegia's one CSV configuration (BOM, CRLF, formula cells
        // neutralised): a variant is opened in a spreadsheet like any file collegia writes.
        let mut w = crate::report::csv_francais::EcrivainCsv::new();
        for ligne in range.rows() {
            let cellules: Vec<String> = ligne.iter().map(texte).collect();
            if !cellules.iter().all(String::is_empty) {
                w.ligne(cellules);
            }
        }
        fichiers.push((nom, w.octets()));
    }
    let Some(feuille) = noms.iter().find(|n| correspond(n, "paramètres")) else {
        return Ok(());
    };
    let nom_toml = format!("{} › {feuille}", chemin.display());
    let range = classeur.worksheet_range(feuille).map_err(|e| {
        IngestError::one(Diagnostic::fichier(
            Code::E001,
            &nom_toml,
            format!("feuille illisible : {e}"),
        ))
    })?;
    let mut table = parse_toml(&nom_toml, &toml_de(&range)).map_err(IngestError::one)?;
    let cible = format!("{prefixe}scenario.toml");
    if let Some((_, octets)) = fichiers.iter_mut().find(|(n, _)| *n == cible) {
        let texte = String::from_utf8_lossy(octets).to_string();
        let variante = parse_toml(&cible, &texte).map_err(IngestError::one)?;
        fusionner(&mut table, &variante);
        table.remove("base");
        // The variant's own comment lines first (what produced it), then every key.
        let mut sortie: String = texte
            .lines()
            .take_while(|l| l.starts_with('#'))
            .map(|l| format!("{l}\n"))
            .collect();
        sortie.push_str(&format!(
            "# Paramètres du classeur {} (le classeur ne peut pas servir de base), puis ceux de la variante.\n",
            chemin
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_default()
        ));
        sortie.push_str(&toml::to_string(&table).unwrap_or_default());
        *octets = sortie.into_bytes();
    }
    Ok(())
}

/// Opens a workbook from its bytes (bounded by [`read_file`]).
fn ouvrir(chemin: &Path) -> Result<calamine::Sheets<std::io::Cursor<Vec<u8>>>, IngestError> {
    let octets = read_file(chemin).map_err(IngestError::one)?;
    calamine::open_workbook_auto_from_rs(std::io::Cursor::new(octets)).map_err(|e| {
        IngestError::one(
            Diagnostic::fichier(
                Code::E001,
                &chemin.display().to_string(),
                format!("classeur illisible : {e}"),
            )
            .aide("enregistrez-le au format Excel (.xlsx) ou OpenDocument (.ods)"),
        )
    })
}

/// The sheets of a scenario workbook as they are (the four sheets, then the optional ones it
/// has), to write them again (`collegia classeur` of a workbook): cells as the readers see them.
pub fn feuilles_classeur(chemin: &Path) -> Result<Vec<Feuille>, IngestError> {
    use calamine::Reader;
    let mut classeur = ouvrir(chemin)?;
    let noms = classeur.sheet_names();
    let attendues = FEUILLES
        .iter()
        .copied()
        .chain(FEUILLES_OPTIONNELLES.iter().map(|(_, f)| *f));
    let mut feuilles = Vec::new();
    for attendue in attendues {
        let Some(feuille) = noms.iter().find(|n| correspond(n, attendue)) else {
            continue;
        };
        let nom = format!("{} › {feuille}", chemin.display());
        let range = classeur.worksheet_range(feuille).map_err(|e| {
            IngestError::one(Diagnostic::fichier(
                Code::E001,
                &nom,
                format!("feuille illisible : {e}"),
            ))
        })?;
        feuilles.push(Feuille {
            nom: attendue.to_string(),
            lignes: range
                .rows()
                .map(|l| l.iter().map(texte).collect())
                .collect(),
        });
    }
    Ok(feuilles)
}

/// The optional sheets of the scenario in `dossier` ([`FEUILLES_OPTIONNELLES`]): each table the
/// folder (or, for a variant, its nearest base) has, as its rows; with the files read.
pub fn feuilles_optionnelles(dossier: &Path) -> Result<(Vec<Feuille>, Vec<PathBuf>), IngestError> {
    let chain = read_chain(dossier).map_err(IngestError::new)?;
    let mut feuilles = Vec::new();
    let mut fichiers = Vec::new();
    for (fichier, feuille) in FEUILLES_OPTIONNELLES {
        let Some(chemin) = chain
            .iter()
            .map(|f| f.dossier.join(fichier))
            .find(|p| p.exists())
        else {
            continue;
        };
        feuilles.push(Feuille {
            nom: feuille.to_string(),
            lignes: lignes_csv(&chemin)?,
        });
        fichiers.push(chemin);
    }
    Ok((feuilles, fichiers))
}

/// The rows of a CSV file of a scenario, decoded as the readers decode it.
fn lignes_csv(chemin: &Path) -> Result<Vec<Vec<String>>, IngestError> {
    let nom = chemin.display().to_string();
    let octets = read_file(chemin).map_err(IngestError::one)?;
    let (texte, _) = decode_fichier(&nom, &octets).map_err(IngestError::one)?;
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(detect_separator(&texte))
        .has_headers(false)
        .flexible(true)
        .from_reader(texte.as_bytes());
    let mut lignes = Vec::new();
    for r in lecteur.records() {
        let r = r.map_err(|e| {
            IngestError::one(Diagnostic::fichier(
                Code::E001,
                &nom,
                format!("CSV illisible : {e}"),
            ))
        })?;
        lignes.push(r.iter().map(str::to_string).collect());
    }
    Ok(lignes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_match_without_accents_case_or_punctuation() {
        assert!(correspond("Élu·es", "élu·es"));
        assert!(correspond("elus", "élu·es"));
        assert!(correspond("Délégations", "délégations"));
        assert!(correspond("PARAMETRES", "paramètres"));
        assert!(!correspond("délégation", "délégations"));
    }

    #[test]
    fn parameter_values_are_toml_or_text() {
        let mut r = calamine::Range::new((2, 0), (4, 1));
        r.set_value((2, 0), calamine::Data::String("clé".into()));
        r.set_value((2, 1), calamine::Data::String("valeur".into()));
        r.set_value((3, 0), calamine::Data::String("nom".into()));
        r.set_value((3, 1), calamine::Data::String("Belleroche « 2026 »".into()));
        r.set_value((4, 0), calamine::Data::String("population_totale".into()));
        r.set_value((4, 1), calamine::Data::Float(1200.0));
        let t = toml_de(&r);
        // Row 4 of the sheet (0-based 3) is line 4 of the text.
        assert_eq!(t.lines().nth(3), Some("nom = \"Belleroche « 2026 »\""));
        assert_eq!(t.lines().nth(4), Some("population_totale = 1200"));
        let table: toml::Table = t.parse().expect("TOML");
        assert_eq!(table["population_totale"].as_integer(), Some(1200));
    }
}
