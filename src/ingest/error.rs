//! Coded, positioned, French diagnostics of bad input.
//!
//! Validation never stops at the first problem: every rule runs and every failure is collected,
//! then sorted by file and line, so that the user fixes a spreadsheet in one pass.

use serde::Serialize;
use std::fmt;

/// Stable codes of input errors. The number never changes meaning; new rules get new numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Code {
    /// File missing or unreadable.
    E001,
    /// File without header or without data row.
    E002,
    /// Required column missing.
    E003,
    /// Duplicate identifier.
    E004,
    /// Unknown parent in the organigramme.
    E005,
    /// Cycle in the tree.
    E006,
    /// No root or more than one root.
    E007,
    /// Unknown élu·e referenced.
    E008,
    /// Unknown node referenced.
    E009,
    /// Unknown fonction.
    E010,
    /// Unknown sexe.
    E011,
    /// Not a number.
    E012,
    /// Negative number, or outside its allowed range.
    E013,
    /// Unknown value of an enumerated column (niveau, entité, rôle, liste).
    E014,
    /// Invalid `scenario.toml`.
    E015,
    /// Base of a variant not found, or a loop of bases.
    E016,
    /// Malformed CSV line.
    E017,
    /// Required value empty.
    E018,
    /// Unknown transversal axis.
    E019,
    /// Unknown commune déléguée.
    E020,
    /// Size limit exceeded (file size, row count, tree depth).
    E021,
    /// Same rank given to two adjoint·es.
    E022,
    /// Same délégation given twice.
    E023,
    /// Scenario folder or `scenario.toml` not found.
    E024,
    /// Unexpected header in an RNE file.
    E025,
    /// Commune absent from the RNE file, or invalid INSEE code.
    E026,
    /// Unreadable date.
    E027,
    /// Unknown group (in `verrous.csv`).
    E028,
    /// Lock on an élu·e whose group is not decided by the optimiser (`verrous.csv`).
    E029,
    /// Unknown column in a CSV header (a warning: the column is ignored, and the closest known
    /// name is suggested).
    E030,
    /// Separator (`|`, `;`, `,`, `/`) inside a single-valued cell.
    E031,
    /// `date` outside the period covered by collegia's legal tables.
    E032,
    /// Byte that is not valid UTF-8 in a file that is otherwise UTF-8 (or starts with a BOM).
    E033,
    /// Information: the file was read as Windows-1252.
    E034,
    /// Warning: a numeric column (effectif, budget) is absent, empty or entirely zero.
    E035,
    /// Wish (`voeux.csv`) naming neither a group nor a node led by a group.
    E036,
    /// Wish (`voeux.csv`) of an élu·e whose group is not chosen by `collegia affecter`.
    E037,
    /// Same rank, or same group, twice in one élu·e's wishes (`voeux.csv`).
    E038,
    /// A yes/no column (`chef_de_file`, `cessation_activite` in `elus.csv`, `estime` in
    /// `organigramme.csv`) holding something other than oui or non.
    E039,
    /// `territoire` of a node naming no secteur or quartier of `elus.csv`.
    E040,
    /// Declared leads (`chef_de_file`): two in one group, or one outside any group.
    E041,
    /// Délégation without a service (empty `noeud`) without a wording (`libelle`).
    E042,
    /// Two group ids that differ only by case, accents or punctuation (they would share a file
    /// name: one lettre de mission would be lost).
    E043,
    /// Adjoint·e au maire délégué·e (`fonction = adjoint_maire_delegue`) without a
    /// `commune_deleguee`: their cap is the adjoint barème of that commune's stratum (L2113-19).
    E044,
    /// Workbook: a sheet declares (`<dimension ref>`) more rows or columns than collegia reads.
    E045,
    /// Workbook: a cell beyond the last row or column collegia reads.
    E046,
    /// Workbook: more cells than collegia reads (in the used area of the sheets).
    E047,
    /// `.xlsx`: more shared strings than collegia reads.
    E048,
    /// `.xlsx`: shared strings larger, in bytes, than collegia reads.
    E049,
    /// Workbook: a member of the archive larger, once decompressed, than collegia reads.
    E050,
    /// Workbook: the archive larger, once decompressed, than collegia reads (or with too many
    /// members).
    E051,
    /// `.ods`: repeated rows or columns (`table:number-rows-repeated`,
    /// `table:number-columns-repeated`) expanding beyond what collegia reads.
    E052,
    /// Workbook: cell text larger in total, once expanded, than collegia reads.
    E053,
    /// Workbook: a formula cell without a computed value stored in the file.
    E054,
    /// Information: checks not run because a file they depend on could not be read (their
    /// findings would be false: every délégation « en double », every commune « inconnue »).
    E055,
    /// Alerte: `taux_actuel` between 0 and 1, a fraction where a percentage is expected.
    E056,
    /// Alerte: budgets that look like thousands of euros (k€) where euros are expected.
    E057,
}

impl Code {
    /// The code as text (`"E004"`).
    pub fn as_str(self) -> &'static str {
        match self {
            Code::E001 => "E001",
            Code::E002 => "E002",
            Code::E003 => "E003",
            Code::E004 => "E004",
            Code::E005 => "E005",
            Code::E006 => "E006",
            Code::E007 => "E007",
            Code::E008 => "E008",
            Code::E009 => "E009",
            Code::E010 => "E010",
            Code::E011 => "E011",
            Code::E012 => "E012",
            Code::E013 => "E013",
            Code::E014 => "E014",
            Code::E015 => "E015",
            Code::E016 => "E016",
            Code::E017 => "E017",
            Code::E018 => "E018",
            Code::E019 => "E019",
            Code::E020 => "E020",
            Code::E021 => "E021",
            Code::E022 => "E022",
            Code::E023 => "E023",
            Code::E024 => "E024",
            Code::E025 => "E025",
            Code::E026 => "E026",
            Code::E027 => "E027",
            Code::E028 => "E028",
            Code::E029 => "E029",
            Code::E030 => "E030",
            Code::E031 => "E031",
            Code::E032 => "E032",
            Code::E033 => "E033",
            Code::E034 => "E034",
            Code::E035 => "E035",
            Code::E036 => "E036",
            Code::E037 => "E037",
            Code::E038 => "E038",
            Code::E039 => "E039",
            Code::E040 => "E040",
            Code::E041 => "E041",
            Code::E042 => "E042",
            Code::E043 => "E043",
            Code::E044 => "E044",
            Code::E045 => "E045",
            Code::E046 => "E046",
            Code::E047 => "E047",
            Code::E048 => "E048",
            Code::E049 => "E049",
            Code::E050 => "E050",
            Code::E051 => "E051",
            Code::E052 => "E052",
            Code::E053 => "E053",
            Code::E054 => "E054",
            Code::E055 => "E055",
            Code::E056 => "E056",
            Code::E057 => "E057",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in the input, with everything needed to fix it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code.
    pub code: Code,
    /// File as the user named it (relative to the scenario folder's parent when possible).
    pub fichier: String,
    /// 1-based line, when the problem has one.
    pub ligne: Option<usize>,
    /// Column name as in the header, when the problem has one.
    pub colonne: Option<String>,
    /// Offending value, when there is one.
    pub valeur: Option<String>,
    /// What is wrong, in French.
    pub message: String,
    /// How to fix it, in French.
    pub aide: String,
    /// Where in a workbook, when the file is a workbook's sheet: shown instead of the file name
    /// and CSV line the sheet was read through (`ligne` stays the sheet's row).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub classeur: Option<Emplacement>,
}

/// A place in a workbook: « exemple.xlsx, feuille élu·es, cellule C12 ».
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Emplacement {
    /// The workbook as the user named it.
    pub classeur: String,
    /// The sheet's name as the workbook spells it.
    pub feuille: String,
    /// The cell (`C12`), when the problem has a row and a column of the sheet.
    pub cellule: Option<String>,
}

impl Diagnostic {
    /// A diagnostic about a whole file.
    pub fn fichier(code: Code, fichier: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            fichier: fichier.to_string(),
            ligne: None,
            colonne: None,
            valeur: None,
            message: message.into(),
            aide: String::new(),
            classeur: None,
        }
    }

    /// Sets the line.
    pub fn ligne(mut self, ligne: usize) -> Diagnostic {
        self.ligne = Some(ligne);
        self
    }

    /// Sets the column.
    pub fn colonne(mut self, colonne: &str) -> Diagnostic {
        self.colonne = Some(colonne.to_string());
        self
    }

    /// Sets the offending value (truncated to keep messages readable).
    pub fn valeur(mut self, valeur: &str) -> Diagnostic {
        self.valeur = Some(tronque(valeur, 80));
        self
    }

    /// Sets the advice.
    pub fn aide(mut self, aide: impl Into<String>) -> Diagnostic {
        self.aide = aide.into();
        self
    }

    fn sort_key(&self) -> (u8, &str, usize, Code) {
        (
            rang_fichier(&self.fichier),
            &self.fichier,
            self.ligne.unwrap_or(0),
            self.code,
        )
    }
}

/// Rank of a file in the order the files depend on one another: `scenario.toml` (or the
/// paramètres sheet), then the organigramme, the élu·es, the délégations, then the rest. The
/// cause then comes first: an `elus.csv` without its `id` column is read before the
/// délégations that name its élu·es.
fn rang_fichier(fichier: &str) -> u8 {
    let nom = fichier.rsplit(['/', '\\', '›']).next().unwrap_or(fichier);
    let nom = super::table::normalise(nom);
    if nom.starts_with("scenario") || nom.starts_with("parametres") {
        0
    } else if nom.starts_with("organigramme") {
        1
    } else if nom.starts_with("elu") {
        2
    } else if nom.starts_with("delegation") {
        3
    } else {
        4
    }
}

/// Fewest identical diagnostics (same file, code, column, message and advice, on different
/// lines) collapsed into one.
pub const SEUIL_REGROUPEMENT: usize = 3;
/// Lines a collapsed diagnostic lists before « … ».
pub const LIGNES_MONTREES: usize = 5;

/// Collapses repeated diagnostics of one kind: the one place where a symptom repeated on many
/// lines (65 identical « plusieurs racines » from merged cells, one « colonne absente » per
/// required column under a title row) becomes one diagnostic with the count, the first lines
/// and a hint. `diags` must be sorted ([`IngestError::new`] does it); the order is kept, each
/// collapsed diagnostic taking the place of the first it stands for.
pub fn regrouper(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    use std::collections::BTreeMap;
    // Several required columns missing from one header: one diagnostic naming them all.
    let cle = |d: &Diagnostic| -> (Code, String, Option<usize>, Option<String>, String, String) {
        if d.code == Code::E003 {
            (
                d.code,
                d.fichier.clone(),
                d.ligne,
                None,
                String::new(),
                d.aide.clone(),
            )
        } else {
            (
                d.code,
                d.fichier.clone(),
                None,
                d.colonne.clone(),
                d.message.clone(),
                d.aide.clone(),
            )
        }
    };
    let mut groupes: BTreeMap<_, Vec<usize>> = BTreeMap::new();
    for (i, d) in diags.iter().enumerate() {
        groupes.entry(cle(d)).or_default().push(i);
    }
    let mut remplace: BTreeMap<usize, Diagnostic> = BTreeMap::new();
    let mut retire = vec![false; diags.len()];
    for membres in groupes.values() {
        let premier = &diags[membres[0]];
        let seuil = if premier.code == Code::E003 {
            2
        } else {
            SEUIL_REGROUPEMENT
        };
        if membres.len() < seuil
            || (premier.code != Code::E003 && membres.iter().any(|&i| diags[i].ligne.is_none()))
        {
            continue;
        }
        let groupe: Vec<&Diagnostic> = membres.iter().map(|&i| &diags[i]).collect();
        remplace.insert(membres[0], fusion(&groupe));
        for &i in membres {
            retire[i] = true;
        }
    }
    diags
        .into_iter()
        .enumerate()
        .filter_map(|(i, d)| match remplace.remove(&i) {
            Some(r) => Some(r),
            None if retire[i] => None,
            None => Some(d),
        })
        .collect()
}

/// One diagnostic standing for `groupe` (at least two of one kind).
fn fusion(groupe: &[&Diagnostic]) -> Diagnostic {
    let premier = groupe[0];
    let mut d = premier.clone();
    if premier.code == Code::E003 {
        let noms: Vec<String> = groupe
            .iter()
            .filter_map(|d| d.colonne.as_deref())
            .map(|c| format!("« {c} »"))
            .collect();
        d.message = format!(
            "{} colonnes obligatoires absentes : {}",
            groupe.len(),
            noms.join(", ")
        );
        d.colonne = None;
        return d;
    }
    let lignes: Vec<usize> = groupe.iter().filter_map(|d| d.ligne).collect();
    let mut liste: Vec<String> = lignes
        .iter()
        .take(LIGNES_MONTREES)
        .map(|l| l.to_string())
        .collect();
    if lignes.len() > LIGNES_MONTREES {
        liste.push("…".into());
    }
    d.message = format!(
        "{} ({} lignes : {})",
        premier.message,
        lignes.len(),
        liste.join(", ")
    );
    if groupe.iter().any(|x| x.valeur != premier.valeur) {
        d.valeur = None;
    }
    if let Some(indice) = indice(premier.code, &lignes) {
        d.aide = if premier.aide.is_empty() {
            indice
        } else {
            format!("{indice} ; {}", premier.aide)
        };
    }
    d
}

/// The hint a collapsed group adds about its likely cause. A value missing on most lines of a
/// stretch (several roots, an empty required cell) is what merged cells leave in a CSV export:
/// the merged value is written on the first line of each block only, so that with blocks of two
/// rows every other line is affected.
fn indice(code: Code, lignes: &[usize]) -> Option<String> {
    let etendue = match (lignes.first(), lignes.last()) {
        (Some(a), Some(b)) => b.saturating_sub(*a) + 1,
        _ => return None,
    };
    let fusion = matches!(code, Code::E007 | Code::E018) && 2 * lignes.len() >= etendue;
    fusion.then(|| {
        "des cellules fusionnées dans le tableur ? Une cellule fusionnée n'est exportée que sur sa première ligne : défusionnez-la et recopiez la valeur sur chaque ligne".to_string()
    })
}

/// Truncates a value for display, on a character boundary.
pub(crate) fn tronque(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max).collect();
        t.push('…');
        t
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(e) = &self.classeur {
            write!(f, "[{}] {}, feuille {}", self.code, e.classeur, e.feuille)?;
            match (&e.cellule, self.ligne) {
                (Some(c), _) => write!(f, ", cellule {c}")?,
                (None, Some(l)) => write!(f, ", ligne {l}")?,
                (None, None) => {}
            }
        } else {
            write!(f, "[{}] {}", self.code, self.fichier)?;
            if let Some(l) = self.ligne {
                write!(f, ", ligne {l}")?;
            }
        }
        if let Some(c) = &self.colonne {
            write!(f, ", colonne « {c} »")?;
        }
        write!(f, " : {}", self.message)?;
        if let Some(v) = &self.valeur {
            write!(f, " (valeur lue : « {v} »)")?;
        }
        if !self.aide.is_empty() {
            write!(f, "\n    → {}", self.aide)?;
        }
        Ok(())
    }
}

/// Every problem found while loading a scenario, sorted by file and line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
pub struct IngestError {
    /// The problems, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl IngestError {
    /// Builds the error from collected diagnostics, sorting them by file, line and code.
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> IngestError {
        diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        diagnostics.dedup();
        IngestError {
            diagnostics: regrouper(diagnostics),
        }
    }

    /// A single diagnostic.
    pub fn one(d: Diagnostic) -> IngestError {
        IngestError {
            diagnostics: vec![d],
        }
    }

    /// True if some diagnostic has this code.
    pub fn has(&self, code: Code) -> bool {
        self.diagnostics.iter().any(|d| d.code == code)
    }
}

impl fmt::Display for IngestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Skipped checks (E055) are not errors: counted apart, said after the errors.
        let (infos, erreurs): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
            self.diagnostics.iter().partition(|d| d.code == Code::E055);
        let n = erreurs.len();
        if n == 1 {
            writeln!(f, "1 erreur dans les données d'entrée :")?;
        } else {
            writeln!(f, "{n} erreurs dans les données d'entrée :")?;
        }
        for d in erreurs {
            writeln!(f, "{d}")?;
        }
        for d in infos {
            writeln!(f, "Information : {d}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(code: Code, fichier: &str, ligne: usize, message: &str) -> Diagnostic {
        Diagnostic::fichier(code, fichier, message)
            .ligne(ligne)
            .aide("corrigez")
    }

    #[test]
    fn merged_cells_collapse_into_one_e007_with_count_lines_and_hint() {
        let diags: Vec<Diagnostic> = (3..=67)
            .map(|l| d(Code::E007, "o.csv", l, "plusieurs racines").colonne("parent"))
            .collect();
        let e = IngestError::new(diags);
        assert_eq!(e.diagnostics.len(), 1);
        let r = &e.diagnostics[0];
        assert_eq!((r.code, r.ligne), (Code::E007, Some(3)));
        assert!(
            r.message.ends_with("(65 lignes : 3, 4, 5, 6, 7, …)"),
            "{}",
            r.message
        );
        assert!(r.aide.starts_with("des cellules fusionnées"), "{}", r.aide);
        assert!(r.aide.ends_with("corrigez"));
    }

    #[test]
    fn scattered_repeats_collapse_without_the_merged_cells_hint() {
        let diags: Vec<Diagnostic> = [4, 9, 15]
            .iter()
            .map(|&l| d(Code::E018, "e.csv", l, "valeur vide").valeur(&l.to_string()))
            .collect();
        let e = IngestError::new(diags);
        assert_eq!(e.diagnostics.len(), 1);
        assert!(e.diagnostics[0].message.ends_with("(3 lignes : 4, 9, 15)"));
        assert_eq!(e.diagnostics[0].aide, "corrigez");
        // Values that differ are not shown for the group.
        assert_eq!(e.diagnostics[0].valeur, None);
    }

    #[test]
    fn below_the_threshold_or_different_messages_stay_apart() {
        let e = IngestError::new(vec![
            d(Code::E007, "o.csv", 3, "plusieurs racines"),
            d(Code::E007, "o.csv", 4, "plusieurs racines"),
            d(Code::E008, "d.csv", 2, "élu·e « A » inconnu·e"),
            d(Code::E008, "d.csv", 3, "élu·e « B » inconnu·e"),
            d(Code::E008, "d.csv", 4, "élu·e « C » inconnu·e"),
        ]);
        assert_eq!(e.diagnostics.len(), 5);
    }

    #[test]
    fn missing_columns_of_one_header_are_one_e003() {
        let col = |c: &str| {
            d(Code::E003, "o.csv", 1, &format!("colonne « {c} » absente"))
                .colonne(c)
                .aide("la ligne d'en-tête semble être la ligne 3")
        };
        let e = IngestError::new(vec![col("id"), col("libelle"), col("parent")]);
        assert_eq!(e.diagnostics.len(), 1);
        assert_eq!(
            e.diagnostics[0].message,
            "3 colonnes obligatoires absentes : « id », « libelle », « parent »"
        );
        assert_eq!(e.diagnostics[0].colonne, None);
        // A missing column with its own advice (a suggestion) stays apart.
        let e = IngestError::new(vec![
            col("id"),
            col("libelle").aide("vouliez-vous dire « Libel » ?"),
        ]);
        assert_eq!(e.diagnostics.len(), 2);
    }

    #[test]
    fn the_file_others_depend_on_comes_first_and_skipped_checks_are_not_counted() {
        let e = IngestError::new(vec![
            d(
                Code::E055,
                "s/delegations.csv",
                0,
                "vérifications non faites",
            ),
            d(Code::E003, "s/elus.csv", 1, "colonne « id » absente"),
            d(Code::E015, "s/scenario.toml", 2, "syntaxe"),
            d(Code::E005, "s/organigramme.csv", 9, "parent inconnu"),
        ]);
        let ordre: Vec<Code> = e.diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(ordre, vec![Code::E015, Code::E005, Code::E003, Code::E055]);
        let texte = e.to_string();
        assert!(texte.starts_with("3 erreurs dans les données d'entrée :"));
        assert!(texte.contains("\nInformation : [E055] s/delegations.csv"));
    }
}
