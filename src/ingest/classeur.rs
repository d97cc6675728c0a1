//! A scenario as one workbook (`.xlsx` or `.ods`), both ways.
//!
//! Reading: the sheets `organigramme`, `élu·es`, `délégations` and `paramètres` (names compared
//! without accents, case or punctuation: `elus`, `Délégations` do) become the very `Source`s the
//! CSV parsers read — one CSV line per sheet row, so a diagnostic's line is the spreadsheet's
//! row; its header names the column, and the diagnostic is shown as « classeur.xlsx, feuille
//! élu·es, cellule C12 ». Cells read as the spreadsheet shows them (dates as ISO dates); a
//! formula without a stored value is E054. The workbook is bounded before calamine builds
//! anything, and its `.xlsx` cells as they stream (`bornes`, E045–E053). The `paramètres` sheet holds the
//! `scenario.toml` keys as `clé` / `valeur` rows (`indemnites.politique` for a key of a
//! section); a value that is not TOML (a bare word) is read as text. Same header aliases, same
//! coded errors as the CSV files; a missing sheet is E001 naming it.
//!
//! Writing ([`feuilles_entree`]): the same four sheets from a scenario folder's own files (its
//! TOML chain merged, its CSV files as they are), so that nothing the files say is lost.

mod bornes;

use super::error::{Code, Diagnostic, Emplacement, IngestError};
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

/// Serial numbers Excel can show as a date (up to 9999-12-31); beyond, a number is a number.
const SERIE_DATE_MAX: f64 = 2_958_466.0;

/// A date cell as the CSV readers read dates: ISO `AAAA-MM-JJ`, with `THH:MM:SS` only when the
/// cell holds a time of day too. A duration (`[hh]:mm`) or an impossible date stays a number.
fn texte_date(d: &calamine::ExcelDateTime) -> String {
    let v = d.as_f64();
    if !d.is_datetime() || !v.is_finite() || !(0.0..SERIE_DATE_MAX).contains(&v) {
        return texte(&calamine::Data::Float(v));
    }
    let (a, m, j, h, mi, s, _) = d.to_ymd_hms_milli();
    if (h, mi, s) == (0, 0, 0) {
        format!("{a:04}-{m:02}-{j:02}")
    } else {
        format!("{a:04}-{m:02}-{j:02}T{h:02}:{mi:02}:{s:02}")
    }
}

/// A cell as CSV text: numbers without a needless `.0`, dates in ISO, no line break (one row,
/// one line).
fn texte(c: &calamine::Data) -> String {
    use calamine::Data;
    let s = match c {
        Data::Empty => String::new(),
        // An `.ods` date at midnight is the date alone, as the CSV readers expect it.
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_string(),
        Data::String(s) | Data::DurationIso(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => format!("{f}"),
        Data::Int(i) => i.to_string(),
        Data::Bool(b) => if *b { "oui" } else { "non" }.to_string(),
        Data::DateTime(d) => texte_date(d),
        Data::Error(e) => format!("#{e:?}"),
    };
    s.replace(['\r', '\n'], " ")
}

/// A column's letters (0 → `A`, 27 → `AB`).
fn lettres(mut col: u64) -> String {
    let mut l = Vec::new();
    loop {
        l.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    l.reverse();
    String::from_utf8(l).unwrap_or_default()
}

/// A cell's name (`C12`) from its 0-based row and column.
fn nom_cellule(ligne: u64, col: u64) -> String {
    format!("{}{}", lettres(col), ligne + 1)
}

/// One cell read: 0-based row and column, and its text (never empty).
type Cellule = (u32, u32, String);

/// The cells of one sheet, in row then column order, and what locating a diagnostic needs.
#[derive(Debug, Default)]
struct FeuilleLue {
    cellules: Vec<Cellule>,
}

impl FeuilleLue {
    /// The used area as rows of text, from the first row and column used (the cells are in row
    /// then column order; the area is bounded by the limits the cells were read under).
    fn lignes(&self) -> Vec<Vec<String>> {
        let (Some(premiere), Some(c1)) = (
            self.cellules.first().map(|c| c.0),
            self.cellules.iter().map(|c| c.1).max(),
        ) else {
            return Vec::new();
        };
        let c0 = self.premiere_colonne();
        let mut lignes: Vec<Vec<String>> = Vec::new();
        for (l, c, t) in &self.cellules {
            let i = (l - premiere) as usize;
            while lignes.len() <= i {
                lignes.push(vec![String::new(); (c1 - c0 + 1) as usize]);
            }
            lignes[i][(c - c0) as usize] = t.clone();
        }
        lignes
    }

    /// The leftmost column used (CSV field 0).
    fn premiere_colonne(&self) -> u32 {
        self.cellules.iter().map(|c| c.1).min().unwrap_or(0)
    }

    /// The column of a header (`colonne` as a diagnostic names it) in the first row used.
    fn colonne(&self, colonne: &str) -> Option<u32> {
        let premiere = self.cellules.first()?.0;
        let cle = normalise(colonne.trim());
        self.cellules
            .iter()
            .take_while(|c| c.0 == premiere)
            .find(|c| c.2.trim() == colonne.trim() || normalise(c.2.trim()) == cle)
            .map(|c| c.1)
    }
}

/// What the sheets read so far used of the limits shared by the whole workbook.
#[derive(Debug, Default)]
struct Budget {
    cellules: u64,
    texte: u64,
}

/// Builds a [`FeuilleLue`] from cells as they stream, checking each limit as it comes
/// ([`bornes`]), and sorting them at the end.
struct Collecte<'a> {
    fichier: &'a str,
    feuille: &'a str,
    classeur: &'a str,
    budget: &'a mut Budget,
    cellules: Vec<Cellule>,
    lus: u64,
    texte: u64,
    coin: Option<(u32, u32, u32, u32)>,
}

impl Collecte<'_> {
    /// A limit's diagnostic, placed at a cell.
    fn a(&self, d: Diagnostic, pos: (u32, u32)) -> Diagnostic {
        let mut d = d.ligne(pos.0 as usize + 1);
        d.classeur = Some(Emplacement {
            classeur: self.classeur.to_string(),
            feuille: self.feuille.to_string(),
            cellule: Some(nom_cellule(pos.0.into(), pos.1.into())),
        });
        d
    }

    /// Checks a cell's position, before anything is kept for it.
    fn position(&self, pos: (u32, u32)) -> Result<(), Diagnostic> {
        let (l, c) = (u64::from(pos.0) + 1, u64::from(pos.1) + 1);
        if l > bornes::MAX_LIGNES || c > bornes::MAX_COLONNES {
            return Err(self.a(
                bornes::depassement(
                    Code::E046,
                    self.fichier,
                    format!(
                        "cellule au-delà de ce que collegia lit (limites : {} lignes, {} colonnes, jusqu'à {})",
                        bornes::n(bornes::MAX_LIGNES),
                        bornes::n(bornes::MAX_COLONNES),
                        nom_cellule(bornes::MAX_LIGNES - 1, bornes::MAX_COLONNES - 1)
                    ),
                    nom_cellule(pos.0.into(), pos.1.into()),
                ),
                pos,
            ));
        }
        Ok(())
    }

    /// Adds a non-empty cell.
    fn ajouter(&mut self, pos: (u32, u32), texte: String) -> Result<(), Diagnostic> {
        self.position(pos)?;
        self.lus += 1;
        let (l0, l1, c0, c1) = self.coin.unwrap_or((pos.0, pos.0, pos.1, pos.1));
        let coin = (l0.min(pos.0), l1.max(pos.0), c0.min(pos.1), c1.max(pos.1));
        self.coin = Some(coin);
        let aire = u64::from(coin.1 - coin.0 + 1) * u64::from(coin.3 - coin.2 + 1);
        let total = self.budget.cellules + aire.max(self.lus);
        if total > bornes::MAX_CELLULES {
            return Err(self.a(
                bornes::depassement(
                    Code::E047,
                    self.fichier,
                    format!(
                        "le classeur compte plus de cellules que collegia n'en lit (limite : {} pour l'ensemble des feuilles, zone utilisée comprise)",
                        bornes::n(bornes::MAX_CELLULES)
                    ),
                    format!(
                        "{} cellules, zone {}:{}",
                        bornes::n(total),
                        nom_cellule(coin.0.into(), coin.2.into()),
                        nom_cellule(coin.1.into(), coin.3.into())
                    ),
                ),
                pos,
            ));
        }
        self.texte += texte.len() as u64;
        if self.budget.texte + self.texte > bornes::MAX_OCTETS_TEXTE {
            return Err(self.a(
                bornes::depassement(
                    Code::E053,
                    self.fichier,
                    format!(
                        "le texte des cellules dépasse la limite de {} Mio",
                        bornes::MAX_OCTETS_TEXTE >> 20
                    ),
                    format!("plus de {} Mio", bornes::MAX_OCTETS_TEXTE >> 20),
                ),
                pos,
            ));
        }
        if !texte.is_empty() {
            self.cellules.push((pos.0, pos.1, texte));
        }
        Ok(())
    }

    /// The sheet, its cells sorted (the last of two at one place wins, as in a spreadsheet).
    fn finir(self) -> FeuilleLue {
        let coin = self.coin.map_or(0, |(l0, l1, c0, c1)| {
            u64::from(l1 - l0 + 1) * u64::from(c1 - c0 + 1)
        });
        self.budget.cellules += coin.max(self.lus);
        self.budget.texte += self.texte;
        let mut cellules = self.cellules;
        // Stable: among cells at one place, the order of the file holds.
        cellules.sort_by_key(|c| (c.0, c.1));
        let mut uniques: Vec<Cellule> = Vec::with_capacity(cellules.len());
        for c in cellules {
            match uniques.last_mut() {
                Some(d) if (d.0, d.1) == (c.0, c.1) => *d = c,
                _ => uniques.push(c),
            }
        }
        FeuilleLue { cellules: uniques }
    }
}

/// E054: formula cells of a sheet without a computed value (`premiere`, and how many).
fn formule_sans_valeur(
    fichier: &str,
    classeur: &str,
    feuille: &str,
    premiere: (u32, u32),
    combien: usize,
) -> Diagnostic {
    let autres = if combien > 1 {
        format!(" ({combien} cellules de formule dans cette feuille)")
    } else {
        String::new()
    };
    let mut d = Diagnostic::fichier(
        Code::E054,
        fichier,
        format!("formule sans valeur calculée{autres}"),
    )
    .ligne(premiere.0 as usize + 1)
    .aide(
        "ouvrez et enregistrez le classeur dans Excel ou LibreOffice : le tableur calcule alors \
         les formules et enregistre leurs valeurs, que collegia lit (il ne calcule pas les \
         formules lui-même)",
    );
    d.classeur = Some(Emplacement {
        classeur: classeur.to_string(),
        feuille: feuille.to_string(),
        cellule: Some(nom_cellule(premiere.0.into(), premiere.1.into())),
    });
    d
}

/// A workbook opened by calamine, once [`bornes::verifier`] has bounded it.
enum Lecteur {
    Xlsx(calamine::Xlsx<std::io::Cursor<Vec<u8>>>),
    Ods(calamine::Ods<std::io::Cursor<Vec<u8>>>),
}

/// Where a sheet is read from, for its diagnostics.
struct Lieu<'a> {
    classeur: &'a str,
    feuille: &'a str,
    fichier: &'a str,
}

impl Lecteur {
    fn noms(&self) -> Vec<String> {
        use calamine::Reader;
        match self {
            Lecteur::Xlsx(x) => x.sheet_names(),
            Lecteur::Ods(o) => o.sheet_names(),
        }
    }

    /// Reads one sheet's cells within the limits (the `.xlsx` ones as they stream).
    fn lire(
        &mut self,
        lieu: &Lieu<'_>,
        archive: bornes::Archive,
        budget: &mut Budget,
    ) -> Result<FeuilleLue, Diagnostic> {
        let recalcul = archive.recalcul_au_chargement;
        use calamine::Reader;
        let illisible = |e: String| {
            Diagnostic::fichier(Code::E001, lieu.fichier, format!("feuille illisible : {e}"))
        };
        let mut collecte = Collecte {
            fichier: lieu.fichier,
            feuille: lieu.feuille,
            classeur: lieu.classeur,
            budget,
            cellules: Vec::new(),
            lus: 0,
            texte: 0,
            coin: None,
        };
        let mut formules = std::collections::BTreeSet::new();
        match self {
            Lecteur::Xlsx(x) => {
                let mut r = x
                    .worksheet_cells_reader(lieu.feuille)
                    .map_err(|e| illisible(e.to_string()))?;
                let d = r.dimensions();
                if u64::from(d.end.0) + 1 > bornes::MAX_LIGNES
                    || u64::from(d.end.1) + 1 > bornes::MAX_COLONNES
                {
                    let mut diag = bornes::depassement(
                        Code::E045,
                        lieu.fichier,
                        format!(
                            "la feuille déclare plus de lignes ou de colonnes que collegia n'en lit (limites : {} lignes, {} colonnes)",
                            bornes::n(bornes::MAX_LIGNES),
                            bornes::n(bornes::MAX_COLONNES)
                        ),
                        format!(
                            "dimension {}:{}",
                            nom_cellule(d.start.0.into(), d.start.1.into()),
                            nom_cellule(d.end.0.into(), d.end.1.into())
                        ),
                    );
                    diag.classeur = Some(Emplacement {
                        classeur: lieu.classeur.to_string(),
                        feuille: lieu.feuille.to_string(),
                        cellule: None,
                    });
                    return Err(diag);
                }
                // Formulas first: a formula cell without a stored value reads as empty.
                while archive.formules
                    && let Some(c) = r.next_formula().map_err(|e| illisible(e.to_string()))?
                {
                    if !c.get_value().is_empty() {
                        let pos = c.get_position();
                        collecte.position(pos)?;
                        formules.insert(pos);
                        if formules.len() as u64 > bornes::MAX_CELLULES {
                            return Err(collecte.a(
                                bornes::depassement(
                                    Code::E047,
                                    lieu.fichier,
                                    format!(
                                        "la feuille compte plus de formules que collegia ne lit de cellules (limite : {})",
                                        bornes::n(bornes::MAX_CELLULES)
                                    ),
                                    format!("plus de {}", bornes::n(bornes::MAX_CELLULES)),
                                ),
                                pos,
                            ));
                        }
                    }
                }
                drop(r);
                let mut r = x
                    .worksheet_cells_reader(lieu.feuille)
                    .map_err(|e| illisible(e.to_string()))?;
                let mut sans_valeur: Option<((u32, u32), usize)> = None;
                while let Some(c) = r.next_cell().map_err(|e| illisible(e.to_string()))? {
                    let pos = c.get_position();
                    let valeur: calamine::Data = c.get_value().clone().into();
                    if formules.contains(&pos) && (valeur == calamine::Data::Empty || recalcul) {
                        let s = sans_valeur.get_or_insert((pos, 0));
                        s.1 += 1;
                        continue;
                    }
                    if valeur == calamine::Data::Empty {
                        continue;
                    }
                    collecte.ajouter(pos, texte(&valeur))?;
                }
                if let Some((pos, k)) = sans_valeur {
                    return Err(formule_sans_valeur(
                        lieu.fichier,
                        lieu.classeur,
                        lieu.feuille,
                        pos,
                        k,
                    ));
                }
            }
            Lecteur::Ods(o) => {
                let valeurs = o
                    .worksheet_range(lieu.feuille)
                    .map_err(|e| illisible(e.to_string()))?;
                let calculs = o
                    .worksheet_formula(lieu.feuille)
                    .map_err(|e| illisible(e.to_string()))?;
                let (l0, c0) = calculs.start().unwrap_or((0, 0));
                let mut sans_valeur: Option<((u32, u32), usize)> = None;
                for (l, c, f) in calculs.used_cells() {
                    let pos = (l0 + l as u32, c0 + c as u32);
                    let vide = valeurs
                        .get_value(pos)
                        .is_none_or(|v| *v == calamine::Data::Empty);
                    if !f.is_empty() && vide {
                        let s = sans_valeur.get_or_insert((pos, 0));
                        s.1 += 1;
                    }
                }
                if let Some((pos, k)) = sans_valeur {
                    return Err(formule_sans_valeur(
                        lieu.fichier,
                        lieu.classeur,
                        lieu.feuille,
                        pos,
                        k,
                    ));
                }
                let (l0, c0) = valeurs.start().unwrap_or((0, 0));
                for (l, c, v) in valeurs.used_cells() {
                    collecte.ajouter((l0 + l as u32, c0 + c as u32), texte(v))?;
                }
            }
        }
        Ok(collecte.finir())
    }
}

/// The rows of a sheet as CSV (`;`), each row on its line: as many empty lines as the sheet
/// has empty rows above and between, so that CSV line = spreadsheet row, and CSV field 0 =
/// the leftmost column used.
fn csv_de(f: &FeuilleLue) -> Vec<u8> {
    let Some(c1) = f.cellules.iter().map(|c| c.1).max() else {
        return Vec::new();
    };
    let c0 = f.premiere_colonne();
    let largeur = (c1 - c0 + 1) as usize;
    let mut ecrivain = csv::WriterBuilder::new();
    ecrivain
        .delimiter(b';')
        .terminator(csv::Terminator::Any(b'\n'))
        .flexible(true);
    let mut octets = Vec::new();
    let mut suivante = 0u32;
    let mut i = 0;
    while i < f.cellules.len() {
        let ligne = f.cellules[i].0;
        // A blank row stays a blank line (the reader skips it, the numbering holds).
        octets.extend(std::iter::repeat_n(b'\n', (ligne - suivante) as usize));
        let mut champs = vec![""; largeur];
        while i < f.cellules.len() && f.cellules[i].0 == ligne {
            champs[(f.cellules[i].1 - c0) as usize] = &f.cellules[i].2;
            i += 1;
        }
        let mut w = ecrivain.from_writer(&mut octets);
        let _ = w.write_record(&champs);
        let _ = w.flush();
        drop(w);
        suivante = ligne + 1;
    }
    octets
}

/// `clé = valeur` lines of `scenario.toml` from the `paramètres` sheet (header row first): the
/// leftmost column used holds the keys, the next one the values; line of the text = row.
fn toml_de(f: &FeuilleLue) -> String {
    let c0 = f.premiere_colonne();
    let mut t = String::new();
    let mut suivante = 0u32;
    let premiere = f.cellules.first().map(|c| c.0);
    let mut i = 0;
    while i < f.cellules.len() {
        let ligne = f.cellules[i].0;
        t.push_str(&"\n".repeat((ligne - suivante) as usize));
        let (mut cle, mut valeur) = ("", "");
        while i < f.cellules.len() && f.cellules[i].0 == ligne {
            if f.cellules[i].1 == c0 {
                cle = f.cellules[i].2.trim();
            } else if f.cellules[i].1 == c0 + 1 {
                valeur = f.cellules[i].2.trim();
            }
            i += 1;
        }
        suivante = ligne + 1;
        // The header row (`clé`, `valeur`) and empty values say nothing.
        if cle.is_empty()
            || valeur.is_empty()
            || (Some(ligne) == premiere && normalise(cle) == "cle")
        {
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
    t
}

/// Names the sheet and the cell of a diagnostic about a sheet read through the CSV readers
/// (its `fichier` is `classeur › feuille`, its line the row, its column a header).
fn situer(d: &mut Diagnostic, classeur: &str, lues: &[(String, String, FeuilleLue)]) {
    if d.classeur.is_some() {
        return;
    }
    let Some((_, feuille, f)) = lues.iter().find(|(s, _, _)| *s == d.fichier) else {
        return;
    };
    let cellule = match (d.ligne, &d.colonne) {
        (Some(l), Some(c)) if l > 0 => f
            .colonne(c)
            .map(|col| nom_cellule(l as u64 - 1, col.into())),
        _ => None,
    };
    d.classeur = Some(Emplacement {
        classeur: classeur.to_string(),
        feuille: feuille.clone(),
        cellule,
    });
}

/// Loads a workbook as a scenario (see the module's documentation), within the limits of a
/// workbook (E045–E054, listed in `docs/formats.md`).
pub fn charger(chemin: &Path) -> Result<Chargement, IngestError> {
    let octets = read_file(chemin).map_err(IngestError::one)?;
    charger_octets(chemin, octets)
}

/// [`charger`] on the bytes of the workbook `chemin` (read by the bounded reader, or built in
/// memory): the fuzz targets and the tests start here.
pub fn charger_octets(chemin: &Path, octets: Vec<u8>) -> Result<Chargement, IngestError> {
    let Ouvert {
        nom,
        mut lecteur,
        archive,
        mut budget,
    } = ouvrir_octets(chemin, octets)?;
    let noms = lecteur.noms();
    let mut diags = Vec::new();
    let mut sources: Vec<Option<Source>> = Vec::new();
    let mut toml_texte = None;
    let mut lues: Vec<(String, String, FeuilleLue)> = Vec::new();
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
        let lieu = Lieu {
            classeur: &nom,
            feuille: &feuille,
            fichier: &source_nom,
        };
        match lecteur.lire(&lieu, archive, &mut budget) {
            Ok(f) if attendue == "paramètres" => {
                toml_texte = Some((source_nom.clone(), toml_de(&f)));
                lues.push((source_nom, feuille, f));
            }
            Ok(f) => {
                sources.push(Some(Source {
                    nom: source_nom.clone(),
                    octets: csv_de(&f),
                }));
                lues.push((source_nom, feuille, f));
            }
            Err(d) => {
                // A limit stops the whole workbook: reading on could only cost more.
                if (Code::E045..=Code::E053).contains(&d.code) {
                    return Err(IngestError::one(d));
                }
                diags.push(d);
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
    match super::assembler(
        &chain,
        chaine_complete,
        &nom_scenario,
        diags,
        sources,
        vec![chemin.to_path_buf()],
    ) {
        Ok(mut c) => {
            for d in &mut c.avertissements {
                situer(d, &nom, &lues);
            }
            Ok(c)
        }
        Err(mut e) => {
            for d in &mut e.diagnostics {
                situer(d, &nom, &lues);
            }
            Err(e)
        }
    }
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

/// Appends an empty `domaine` column to a sheet whose header has none (under any of its
/// names), so that the cabinet can declare domains in the workbook.
fn ajouter_colonne_domaine(lignes: &mut [Vec<String>]) {
    let Some(entete) = lignes.first() else { return };
    let noms: Vec<&str> = std::iter::once("domaine")
        .chain(
            super::schema::COLONNES_ORGANIGRAMME
                .iter()
                .find(|c| c.nom == "domaine")
                .map(|c| c.alias.to_vec())
                .unwrap_or_default(),
        )
        .collect();
    if entete.iter().any(|h| noms.contains(&normalise(h).as_str())) {
        return;
    }
    let largeur = entete.len();
    for (k, l) in lignes.iter_mut().enumerate() {
        l.resize(largeur, String::new());
        l.push(if k == 0 {
            "domaine".into()
        } else {
            String::new()
        });
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
        // The cabinet edits the domains in the workbook: the organigramme and the délégations
        // get an empty `domaine` column when the file has none (empty: inferred).
        if matches!(*fichier, "organigramme.csv" | "delegations.csv") {
            ajouter_colonne_domaine(&mut lignes);
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
    let Some((_, attendue)) = FEUILLES_OPTIONNELLES.iter().find(|(f, _)| *f == fichier) else {
        return Ok(None);
    };
    let mut classeur = ouvrir(chemin)?;
    let Some(feuille) = classeur
        .noms()
        .iter()
        .find(|n| correspond(n, attendue))
        .cloned()
    else {
        return Ok(None);
    };
    let f = classeur.feuille(&feuille)?;
    Ok(Some(Source {
        nom: format!("{} › {feuille}", chemin.display()),
        octets: csv_de(&f),
    }))
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
    let mut classeur = ouvrir(chemin)?;
    let noms = classeur.noms();
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
        let f = classeur.feuille(feuille)?;
        // Written through collegia's one CSV configuration (BOM, CRLF, formula cells
        // neutralised): a variant is opened in a spreadsheet like any file collegia writes.
        let mut w = crate::csv_francais::EcrivainCsv::new();
        for ligne in f.lignes() {
            if !ligne.iter().all(String::is_empty) {
                w.ligne(ligne);
            }
        }
        fichiers.push((nom, w.octets()));
    }
    let Some(feuille) = noms.iter().find(|n| correspond(n, "paramètres")) else {
        return Ok(());
    };
    let nom_toml = format!("{} › {feuille}", chemin.display());
    let f = classeur.feuille(feuille)?;
    let mut table = parse_toml(&nom_toml, &toml_de(&f)).map_err(IngestError::one)?;
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

/// A workbook opened within the limits ([`bornes::verifier`]), its sheets read one by one by
/// [`Lecteur::lire`] under one budget: every path that reads a workbook goes through it.
struct Ouvert {
    nom: String,
    lecteur: Lecteur,
    archive: bornes::Archive,
    budget: Budget,
}

impl Ouvert {
    fn noms(&self) -> Vec<String> {
        self.lecteur.noms()
    }

    /// The cells of the sheet `feuille`, bounded; diagnostics name the workbook and the sheet.
    fn feuille(&mut self, feuille: &str) -> Result<FeuilleLue, IngestError> {
        let fichier = format!("{} › {feuille}", self.nom);
        let lieu = Lieu {
            classeur: &self.nom,
            feuille,
            fichier: &fichier,
        };
        self.lecteur
            .lire(&lieu, self.archive, &mut self.budget)
            .map_err(IngestError::one)
    }
}

/// Opens the workbook `chemin` (read by the bounded [`read_file`], then checked by
/// [`bornes::verifier`] before calamine allocates anything).
fn ouvrir(chemin: &Path) -> Result<Ouvert, IngestError> {
    let octets = read_file(chemin).map_err(IngestError::one)?;
    ouvrir_octets(chemin, octets)
}

/// [`ouvrir`] on the bytes of the workbook `chemin`.
fn ouvrir_octets(chemin: &Path, octets: Vec<u8>) -> Result<Ouvert, IngestError> {
    let nom = chemin.display().to_string();
    let archive = bornes::verifier(&nom, &octets).map_err(IngestError::one)?;
    let illisible = |e: String| {
        IngestError::one(
            Diagnostic::fichier(Code::E001, &nom, format!("classeur illisible : {e}"))
                .aide("enregistrez-le au format Excel (.xlsx) ou OpenDocument (.ods)"),
        )
    };
    let curseur = std::io::Cursor::new(octets);
    let lecteur = {
        use calamine::Reader;
        match archive.format {
            bornes::Format::Xlsx => {
                Lecteur::Xlsx(calamine::Xlsx::new(curseur).map_err(|e| illisible(e.to_string()))?)
            }
            bornes::Format::Ods => {
                Lecteur::Ods(calamine::Ods::new(curseur).map_err(|e| illisible(e.to_string()))?)
            }
        }
    };
    Ok(Ouvert {
        nom,
        lecteur,
        archive,
        budget: Budget::default(),
    })
}

/// The sheets of a scenario workbook as they are (the four sheets, then the optional ones it
/// has), to write them again (`collegia classeur` of a workbook): cells as the readers see them.
pub fn feuilles_classeur(chemin: &Path) -> Result<Vec<Feuille>, IngestError> {
    let mut classeur = ouvrir(chemin)?;
    let noms = classeur.noms();
    let attendues = FEUILLES
        .iter()
        .copied()
        .chain(FEUILLES_OPTIONNELLES.iter().map(|(_, f)| *f));
    let mut feuilles = Vec::new();
    for attendue in attendues {
        let Some(feuille) = noms.iter().find(|n| correspond(n, attendue)) else {
            continue;
        };
        let f = classeur.feuille(feuille)?;
        feuilles.push(Feuille {
            nom: attendue.to_string(),
            lignes: f.lignes(),
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
        let cellule = |l: u32, c: u32, t: &str| (l, c, t.to_string());
        let f = FeuilleLue {
            cellules: vec![
                cellule(2, 0, "clé"),
                cellule(2, 1, "valeur"),
                cellule(3, 0, "nom"),
                cellule(3, 1, "Belleroche « 2026 »"),
                cellule(4, 0, "population_totale"),
                cellule(4, 1, &texte_nombre(1200.0)),
            ],
        };
        let t = toml_de(&f);
        // Row 4 of the sheet (0-based 3) is line 4 of the text.
        assert_eq!(t.lines().nth(3), Some("nom = \"Belleroche « 2026 »\""));
        assert_eq!(t.lines().nth(4), Some("population_totale = 1200"));
        let table: toml::Table = t.parse().expect("TOML");
        assert_eq!(table["population_totale"].as_integer(), Some(1200));
    }
}

/// The four repros of issue 26 (memory bombs) and the cell defects, on workbooks built here.
#[cfg(test)]
mod bombes {
    use super::*;
    use std::io::Write;

    const NS: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";

    /// A zip of `(name, content)` members, deflated.
    fn zip_de(membres: &[(&str, &[u8])]) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        for (nom, contenu) in membres {
            let options = zip::write::SimpleFileOptions::default().compression_method(
                if *nom == "mimetype" {
                    zip::CompressionMethod::Stored
                } else {
                    zip::CompressionMethod::Deflated
                },
            );
            z.start_file(*nom, options).expect("zip member");
            z.write_all(contenu).expect("zip write");
        }
        z.finish().expect("zip").into_inner()
    }

    /// An `.xlsx` with one sheet `organigramme` of body `sheet_data` (the XML inside
    /// `<worksheet>`), and optional shared strings, styles and `<calcPr>`.
    fn xlsx(sheet: &str, sst: Option<&[u8]>, styles: Option<&str>, calc: &str) -> Vec<u8> {
        let workbook = format!(
            r#"<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="organigramme" sheetId="1" r:id="rId1"/></sheets>{calc}</workbook>"#
        );
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
        let feuille = format!(r#"<worksheet xmlns="{NS}">{sheet}</worksheet>"#);
        let mut m: Vec<(&str, &[u8])> = vec![
            ("xl/workbook.xml", workbook.as_bytes()),
            ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
            ("xl/worksheets/sheet1.xml", feuille.as_bytes()),
        ];
        if let Some(s) = sst {
            m.push(("xl/sharedStrings.xml", s));
        }
        if let Some(s) = styles {
            m.push(("xl/styles.xml", s.as_bytes()));
        }
        zip_de(&m)
    }

    /// An `.ods` whose `organigramme` table is `table` (the XML inside `<table:table>`).
    fn ods(table: &str) -> Vec<u8> {
        let contenu = format!(
            r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="organigramme">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
        );
        let manifest = r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#;
        zip_de(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("META-INF/manifest.xml", manifest.as_bytes()),
            ("content.xml", contenu.as_bytes()),
        ])
    }

    /// Loads bytes as the workbook `nom`, expecting an error.
    fn erreur(nom: &str, octets: Vec<u8>) -> IngestError {
        match charger_octets(Path::new(nom), octets) {
            Ok(_) => panic!("{nom}: loaded"),
            Err(e) => e,
        }
    }

    /// Text with the narrow no-break spaces of French numbers as plain spaces.
    fn espaces(s: &str) -> String {
        s.replace('\u{202f}', " ")
    }

    /// The only diagnostic, checked to have `code`.
    fn seul(e: &IngestError, code: Code) -> &Diagnostic {
        assert_eq!(e.diagnostics.len(), 1, "{e}");
        assert_eq!(e.diagnostics[0].code, code, "{e}");
        &e.diagnostics[0]
    }

    #[test]
    fn a_single_cell_at_xfd1048576_is_e046_not_a_512_gib_allocation() {
        // Without the bound, calamine's dense range asks for 512 GiB and aborts the process.
        let x = xlsx(
            r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>"#,
            None,
            None,
            "",
        );
        assert!(x.len() < 2_000, "{} bytes", x.len());
        let e = erreur("bombe.xlsx", x);
        let d = seul(&e, Code::E046);
        let texte = espaces(&d.to_string());
        assert!(
            texte.contains("bombe.xlsx, feuille organigramme, cellule XFD1048576"),
            "{texte}"
        );
        assert!(texte.contains("100 000"), "{texte}");
        // XFD4000: 2 GB before; column 16 384 is beyond the 1 024 read.
        let x = xlsx(
            r#"<sheetData><row r="4000"><c r="XFD4000"><v>1</v></c></row></sheetData>"#,
            None,
            None,
            "",
        );
        let e = erreur("large.xlsx", x);
        assert!(seul(&e, Code::E046).to_string().contains("XFD4000"), "{e}");
    }

    #[test]
    fn a_declared_dimension_beyond_the_limits_is_e045() {
        let x = xlsx(
            r#"<dimension ref="A1:XFD1048576"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>"#,
            None,
            None,
            "",
        );
        let e = erreur("dimension.xlsx", x);
        let d = seul(&e, Code::E045);
        assert_eq!(d.valeur.as_deref(), Some("dimension A1:XFD1048576"), "{e}");
    }

    #[test]
    fn an_ods_repeated_row_expanding_to_30_million_cells_is_e052() {
        // 3,7 KB in the issue; here one row of 1 000 repeated cells, repeated 30 000 times.
        let o = ods(
            r#"<table:table-row table:number-rows-repeated="30000"><table:table-cell table:number-columns-repeated="1000" office:value-type="float" office:value="1"/></table:table-row>"#,
        );
        assert!(o.len() < 4_000, "{} bytes", o.len());
        let e = erreur("bombe.ods", o);
        let d = seul(&e, Code::E052);
        let texte = espaces(&d.to_string());
        assert!(
            texte.contains("bombe.ods, feuille organigramme, ligne 1"),
            "{texte}"
        );
        assert!(texte.contains("limite : 1 000 000"), "{texte}");
        assert!(texte.contains("30 000 000 cellules"), "{texte}");
        // Columns repeated past the limit, in a row of its own.
        let o = ods(
            r#"<table:table-row><table:table-cell table:number-columns-repeated="16384" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#,
        );
        seul(&erreur("colonnes.ods", o), Code::E052);
        // A run of spaces (`text:s`) expands in calamine: bounded as text.
        let o = ods(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p><text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row>"#,
        );
        seul(&erreur("espaces.ods", o), Code::E053);
    }

    #[test]
    fn an_ods_sheet_cut_before_its_end_is_e001_not_an_endless_loop() {
        // Calamine loops forever on the end of the file inside a sheet (the `ods` fuzz target
        // found it): the check refuses it first.
        let contenu = r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet><table:table table:name="organigramme"><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>"#;
        let o = zip_de(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            ("content.xml", contenu.as_bytes()),
        ]);
        let d = bornes::verifier("tronque.ods", &o).expect_err("E001");
        assert_eq!(d.code, Code::E001, "{d}");
        assert!(d.message.contains("n'est pas fermée"), "{d}");
    }

    #[test]
    fn libreoffice_trailing_repeated_empty_rows_and_columns_are_free() {
        // What LibreOffice writes after the last used row and column: empty, repeated.
        let o = ods(
            r#"<table:table-row><table:table-cell office:value-type="string"><text:p>id</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1023"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#,
        );
        let e = erreur("vide.ods", o);
        // Only the missing sheets and columns: no limit.
        assert!(
            e.diagnostics
                .iter()
                .all(|d| !(Code::E045..=Code::E054).contains(&d.code)),
            "{e}"
        );
    }

    #[test]
    fn shared_strings_are_bounded_declared_read_and_in_bytes() {
        // Calamine reserves the declared count before reading any.
        let sst = format!(r#"<sst xmlns="{NS}" uniqueCount="4000000000"><si><t>a</t></si></sst>"#);
        let e = erreur(
            "compte.xlsx",
            xlsx("<sheetData/>", Some(sst.as_bytes()), None, ""),
        );
        assert_eq!(
            espaces(seul(&e, Code::E048).valeur.as_deref().unwrap_or_default()),
            "4 000 000 000 déclarées"
        );
        // One unused string larger than the limit (a 1 GiB one in the issue; the limit is
        // lowered here so that the test compresses little).
        let mut grosse = format!(r#"<sst xmlns="{NS}"><si><t>"#).into_bytes();
        grosse.extend(std::iter::repeat_n(b'a', 3 << 20));
        grosse.extend(b"</t></si></sst>");
        let x = xlsx("<sheetData/>", Some(&grosse), None, "");
        assert!(x.len() < 20_000, "{} bytes", x.len());
        let limites = bornes::Octets {
            chaines: 1 << 20,
            ..bornes::OCTETS
        };
        let d = bornes::verifier_avec("chaine.xlsx", &x, limites).expect_err("E049");
        assert_eq!(d.code, Code::E049, "{d}");
        assert!(d.to_string().contains("la limite de 1 Mio"), "{d}");
        // With collegia's limits it passes the check.
        assert!(bornes::verifier("chaine.xlsx", &x).is_ok());
    }

    #[test]
    fn decompressed_bytes_are_counted_whatever_the_archive_declares() {
        let gros = vec![b' '; 3 << 20];
        let x = zip_de(&[
            ("xl/media/image1.png", &gros),
            ("xl/media/image2.png", &gros),
        ]);
        let limites = bornes::Octets {
            membre: 2 << 20,
            ..bornes::OCTETS
        };
        let d = bornes::verifier_avec("gros.xlsx", &x, limites).expect_err("E050");
        assert_eq!(d.code, Code::E050, "{d}");
        assert!(d.message.contains("xl/media/image1.png"), "{d}");
        let limites = bornes::Octets {
            archive: 5 << 20,
            ..bornes::OCTETS
        };
        let d = bornes::verifier_avec("total.xlsx", &x, limites).expect_err("E051");
        assert_eq!(d.code, Code::E051, "{d}");
        // The archive lies: it declares 1 byte for each member (local header and central
        // directory). The count is of what decompresses.
        let mut menteur = x.clone();
        let taille = (3u32 << 20).to_le_bytes();
        let un = 1u32.to_le_bytes();
        let mut i = 0;
        while i + 4 <= menteur.len() {
            if menteur[i..i + 4] == taille {
                menteur[i..i + 4].copy_from_slice(&un);
            }
            i += 1;
        }
        let limites = bornes::Octets {
            membre: 2 << 20,
            ..bornes::OCTETS
        };
        match bornes::verifier_avec("menteur.xlsx", &menteur, limites) {
            Err(d) => {
                assert_eq!(d.code, Code::E050, "{d}");
                assert_eq!(d.valeur.as_deref(), Some("plus de 2 Mio"), "{d}");
            }
            Ok(_) => panic!("a lying archive passed"),
        }
    }

    #[test]
    fn the_xlsx_fuzz_crash_is_a_coded_error() {
        // A cell reference of many letters overflowed calamine's column arithmetic (a panic
        // in debug builds): the fuzz target's input, as its target builds the workbook.
        let feuille = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/fuzz/xlsx-reference-trop-longue.xml"
        ))
        .expect("fixture");
        let feuille = String::from_utf8_lossy(&feuille);
        let corps = feuille
            .strip_prefix(&format!(r#"<worksheet xmlns="{NS}">"#))
            .unwrap_or(&feuille);
        let e = erreur("crash.xlsx", xlsx(corps, None, None, ""));
        let d = seul(&e, Code::E001);
        assert!(d.message.contains("référence de cellule illisible"), "{e}");
    }

    #[test]
    fn too_many_members_are_refused_before_the_zip_reader_reads_them() {
        // The zip reader allocates per declared member before anything is read.
        let noms: Vec<String> = (0..=bornes::MAX_MEMBRES).map(|i| format!("m{i}")).collect();
        let membres: Vec<(&str, &[u8])> = noms.iter().map(|n| (n.as_str(), &b""[..])).collect();
        let x = zip_de(&membres);
        let d = bornes::verifier("membres.xlsx", &x).expect_err("E051");
        assert_eq!(d.code, Code::E051, "{d}");
        assert_eq!(
            espaces(d.valeur.as_deref().unwrap_or_default()),
            "10 001 membres"
        );
    }

    #[test]
    fn a_formula_without_a_stored_value_is_e054_not_zero() {
        // As openpyxl writes it: no <v>.
        let x = xlsx(
            r#"<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>effectif</t></is></c></row><row r="2"><c r="A2"><f>SUM(B1:B9)</f></c></row></sheetData>"#,
            None,
            None,
            "",
        );
        let e = erreur("formule.xlsx", x);
        let d = e
            .diagnostics
            .iter()
            .find(|d| d.code == Code::E054)
            .unwrap_or_else(|| panic!("no E054: {e}"));
        let texte = d.to_string();
        assert!(
            texte.contains("formule.xlsx, feuille organigramme, cellule A2"),
            "{texte}"
        );
        assert!(texte.contains("formule sans valeur calculée"), "{texte}");
        assert!(texte.contains("Excel ou LibreOffice"), "{texte}");
        // As xlsxwriter writes it: a placeholder 0 and a recalculation asked on load.
        let x = xlsx(
            r#"<sheetData><row r="2"><c r="A2"><f>SUM(B1:B9)</f><v>0</v></c></row></sheetData>"#,
            None,
            None,
            r#"<calcPr fullCalcOnLoad="1"/>"#,
        );
        assert!(erreur("xlsxwriter.xlsx", x).has(Code::E054));
        // A stored value is read (no recalculation asked): no E054.
        let x = xlsx(
            r#"<sheetData><row r="2"><c r="A2"><f>SUM(B1:B9)</f><v>12</v></c></row></sheetData>"#,
            None,
            None,
            "",
        );
        assert!(!erreur("calcule.xlsx", x).has(Code::E054));
        // In an .ods: a formula without a value type.
        let o = ods(
            r#"<table:table-row><table:table-cell table:formula="of:=1+1"/></table:table-row>"#,
        );
        assert!(erreur("formule.ods", o).has(Code::E054));
    }

    #[test]
    fn a_date_cell_reads_as_an_iso_date() {
        use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
        let date = |v| Data::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        // The « 46113 » of the issue.
        assert_eq!(texte(&date(46113.0)), "2026-04-01");
        assert_eq!(texte(&date(46113.5)), "2026-04-01T12:00:00");
        assert_eq!(
            texte(&Data::DateTime(ExcelDateTime::new(
                44651.0,
                ExcelDateTimeType::DateTime,
                true
            ))),
            "2026-04-01"
        );
        // Out of range and durations stay numbers (and never panic).
        assert_eq!(texte(&date(1e300)), texte(&Data::Float(1e300)));
        assert_eq!(texte(&date(-3.0)), "-3");
        let duree = Data::DateTime(ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false));
        assert_eq!(texte(&duree), "1.5");
        assert_eq!(
            texte(&Data::DateTimeIso("2026-04-01T00:00:00".into())),
            "2026-04-01"
        );
        // Through the reader: a cell styled as a date (numFmtId 14).
        let styles = format!(
            r#"<styleSheet xmlns="{NS}"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>"#
        );
        let x = xlsx(
            r#"<sheetData><row r="3"><c r="B3" s="1"><v>46113</v></c></row></sheetData>"#,
            None,
            Some(&styles),
            "",
        );
        let mut l = Lecteur::Xlsx(
            <calamine::Xlsx<_> as calamine::Reader<_>>::new(std::io::Cursor::new(x))
                .expect("opens"),
        );
        let f = l
            .lire(
                &Lieu {
                    classeur: "d.xlsx",
                    feuille: "organigramme",
                    fichier: "d.xlsx › organigramme",
                },
                bornes::Archive {
                    format: bornes::Format::Xlsx,
                    recalcul_au_chargement: false,
                    formules: true,
                },
                &mut Budget::default(),
            )
            .expect("reads");
        assert_eq!(f.cellules, vec![(2, 1, "2026-04-01".to_string())]);
        assert_eq!(
            String::from_utf8(csv_de(&f)).expect("utf8"),
            "\n\n2026-04-01\n"
        );
    }

    #[test]
    fn a_paris_size_organigramme_passes_every_limit() {
        // 20 000 rows × 15 columns of distinct texts in shared strings, as Excel writes them.
        let (lignes, colonnes) = (20_000u32, 15u32);
        let mut sst = format!(r#"<sst xmlns="{NS}">"#);
        let mut feuille = String::from("<sheetData>");
        for l in 0..lignes {
            feuille.push_str(&format!(r#"<row r="{}">"#, l + 1));
            for c in 0..colonnes {
                let k = l * colonnes + c;
                sst.push_str(&format!(
                    "<si><t>Direction {l} service {c} agent·es</t></si>"
                ));
                feuille.push_str(&format!(
                    r#"<c r="{}" t="s"><v>{k}</v></c>"#,
                    nom_cellule(l.into(), c.into())
                ));
            }
            feuille.push_str("</row>");
        }
        sst.push_str("</sst>");
        feuille.push_str("</sheetData>");
        let x = {
            let workbook = format!(
                r#"<workbook xmlns="{NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="organigramme" sheetId="1" r:id="rId1"/></sheets></workbook>"#
            );
            let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
            let feuille = format!(
                r#"<worksheet xmlns="{NS}"><dimension ref="A1:O20000"/>{feuille}</worksheet>"#
            );
            // Stored, not deflated: the test measures the limits, not the compressor.
            let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
            let o = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Stored);
            for (nom, c) in [
                ("xl/workbook.xml", workbook.as_bytes()),
                ("xl/_rels/workbook.xml.rels", rels.as_bytes()),
                ("xl/worksheets/sheet1.xml", feuille.as_bytes()),
                ("xl/sharedStrings.xml", sst.as_bytes()),
            ] {
                z.start_file(nom, o).expect("zip member");
                z.write_all(c).expect("zip write");
            }
            z.finish().expect("zip").into_inner()
        };
        let archive = bornes::verifier("paris.xlsx", &x).expect("within the limits");
        let mut l = Lecteur::Xlsx(
            <calamine::Xlsx<_> as calamine::Reader<_>>::new(std::io::Cursor::new(x))
                .expect("opens"),
        );
        let mut budget = Budget::default();
        let f = l
            .lire(
                &Lieu {
                    classeur: "paris.xlsx",
                    feuille: "organigramme",
                    fichier: "paris.xlsx › organigramme",
                },
                archive,
                &mut budget,
            )
            .expect("reads");
        assert_eq!(f.cellules.len() as u64, u64::from(lignes * colonnes));
        assert_eq!(budget.cellules, u64::from(lignes * colonnes));
        // Three times the limit's margin at least, as the constants promise.
        assert!(budget.cellules * 3 <= bornes::MAX_CELLULES);
        assert!(u64::from(lignes) * 3 <= bornes::MAX_LIGNES);
    }

    #[test]
    fn column_letters_are_the_spreadsheets() {
        assert_eq!(lettres(0), "A");
        assert_eq!(lettres(25), "Z");
        assert_eq!(lettres(26), "AA");
        assert_eq!(lettres(16_383), "XFD");
        assert_eq!(nom_cellule(11, 2), "C12");
    }
}
