//! Reading the CSV files that Excel and LibreOffice write: encoding, separator, header aliases,
//! decimal comma, thousands separators, blank lines and stray spaces.

use super::error::{Code, Diagnostic};
use unicode_normalization::UnicodeNormalization;

/// Largest input file accepted, in bytes. A council's files are a few hundred kilobytes; this
/// bound keeps a wrong file (a database dump, a video) from exhausting memory.
pub const MAX_FILE_BYTES: usize = 64 * 1024 * 1024;
/// Largest number of data rows accepted in one file (Paris has about 1 000 nodes and 163 élu·es).
pub const MAX_ROWS: usize = 200_000;

/// Raw bytes of one input file and the name shown to users.
#[derive(Debug, Clone)]
pub struct Source {
    /// Name shown in diagnostics (e.g. `data/exemple/organigramme.csv`).
    pub nom: String,
    /// File content.
    pub octets: Vec<u8>,
}

impl Source {
    /// A source from in-memory text (tests, generated data).
    pub fn texte(nom: &str, texte: &str) -> Source {
        Source {
            nom: nom.to_string(),
            octets: texte.as_bytes().to_vec(),
        }
    }
}

/// Decodes bytes as UTF-8 (with or without BOM), falling back to Windows-1252, the encoding of
/// Excel's "CSV (séparateur : point-virgule)" on French Windows.
pub fn decode(octets: &[u8]) -> String {
    let sans_bom = octets.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(octets);
    match std::str::from_utf8(sans_bom) {
        Ok(s) => s.to_string(),
        Err(_) => {
            let (s, _, _) = encoding_rs::WINDOWS_1252.decode(sans_bom);
            s.into_owned()
        }
    }
}

/// Picks the separator among `;`, `,` and tab from the header line (outside quotes). `;` wins
/// ties: it is what French spreadsheets write, and decimal commas make `,` ambiguous.
pub fn detect_separator(texte: &str) -> u8 {
    let entete = texte.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for c in entete.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            ';' if !in_quotes => counts[0] += 1,
            ',' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b';', b',', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    seps[best]
}

/// Normalises a header or an enumerated value for matching: lower case, accents removed, `·`
/// removed, spaces, hyphens and apostrophes turned into `_`, trimmed.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            '·' | '.' | '\u{feff}' => {}
            ' ' | '-' | '\'' | '’' | '\u{a0}' | '\u{202f}' | '/' => out.push('_'),
            c => out.extend(c.to_lowercase()),
        }
    }
    // Collapse repeated underscores so that "code  sexe" and "code_sexe" match.
    let mut collapsed = String::with_capacity(out.len());
    for c in out.chars() {
        if c == '_' && collapsed.ends_with('_') {
            continue;
        }
        collapsed.push(c);
    }
    collapsed.trim_matches('_').to_string()
}

/// Specification of one column: canonical name, whether it is required, accepted aliases
/// (written already normalised).
#[derive(Debug, Clone, Copy)]
pub struct Colonne {
    /// Canonical name, as documented in `docs/formats.md`.
    pub nom: &'static str,
    /// The file is rejected (E003) without it.
    pub obligatoire: bool,
    /// Other accepted header names, normalised.
    pub alias: &'static [&'static str],
}

/// One data row: its 1-based line in the file and its cells by column spec index.
#[derive(Debug, Clone)]
pub struct Ligne {
    /// 1-based line number in the file.
    pub numero: usize,
    /// Cell per column spec (empty string when the column is absent or the cell missing).
    pub cellules: Vec<String>,
}

impl Ligne {
    /// Cell of column `i` of the spec, trimmed.
    pub fn get(&self, i: usize) -> &str {
        self.cellules.get(i).map(|s| s.trim()).unwrap_or("")
    }
}

/// A parsed CSV file: which spec columns were present, and the rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// Name shown to users.
    pub fichier: String,
    /// For each spec column, its header as written by the user, if present.
    pub presentes: Vec<Option<String>>,
    /// Data rows (blank lines skipped).
    pub lignes: Vec<Ligne>,
}

impl Table {
    /// True when the column of spec index `i` is in the file.
    pub fn a_colonne(&self, i: usize) -> bool {
        self.presentes[i].is_some()
    }
}

/// Reads a CSV source against a column spec. Unknown columns are ignored (users keep notes in
/// extra columns); missing required columns, an empty file, malformed lines and size limits are
/// reported as diagnostics.
pub fn read_table(src: &Source, spec: &[Colonne]) -> Result<Table, Vec<Diagnostic>> {
    if src.octets.len() > MAX_FILE_BYTES {
        return Err(vec![
            Diagnostic::fichier(
                Code::E021,
                &src.nom,
                format!(
                    "fichier trop volumineux ({} octets, maximum {} octets)",
                    src.octets.len(),
                    MAX_FILE_BYTES
                ),
            )
            .aide("vérifiez qu'il s'agit du bon fichier (un export CSV de tableur)"),
        ]);
    }
    let texte = decode(&src.octets);
    if texte.trim().is_empty() {
        return Err(vec![
            Diagnostic::fichier(Code::E002, &src.nom, "le fichier est vide").aide(
                "la première ligne doit contenir les noms des colonnes (voir docs/formats.md)",
            ),
        ]);
    }
    if let Some(ligne) = unclosed_quote_line(&texte) {
        return Err(vec![csv_error(&src.nom, ligne)]);
    }
    let sep = detect_separator(&texte);
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(texte.as_bytes());

    // Line numbers are computed from byte offsets: the csv crate's own line counter skips blank
    // lines, and users need the line their spreadsheet shows.
    let debuts: Vec<usize> = std::iter::once(0)
        .chain(
            texte
                .bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        )
        .collect();
    let octets = texte.as_bytes();
    let line_of = |pos: Option<&csv::Position>| -> usize {
        pos.map(|p| {
            // A record's position may point at the blank lines the reader skipped before it.
            let mut b = p.byte() as usize;
            while b < octets.len() && matches!(octets[b], b'\n' | b'\r') {
                b += 1;
            }
            debuts.partition_point(|&d| d <= b)
        })
        .unwrap_or(0)
    };
    let mut diags = Vec::new();
    let mut records = rdr.records();
    // Header: first non-blank record.
    let mut entete: Option<(usize, csv::StringRecord)> = None;
    for rec in records.by_ref() {
        match rec {
            Ok(r) => {
                if r.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                entete = Some((line_of(r.position()), r));
                break;
            }
            Err(e) => {
                diags.push(csv_error(&src.nom, line_of(e.position())));
                return Err(diags);
            }
        }
    }
    let Some((_, entete)) = entete else {
        return Err(vec![Diagnostic::fichier(
            Code::E002,
            &src.nom,
            "le fichier ne contient aucune ligne d'en-tête",
        )]);
    };
    let normalised: Vec<String> = entete.iter().map(normalise).collect();
    let mut positions: Vec<Option<usize>> = Vec::with_capacity(spec.len());
    let mut presentes = Vec::with_capacity(spec.len());
    for col in spec {
        let pos = normalised
            .iter()
            .position(|h| h == col.nom || col.alias.contains(&h.as_str()));
        presentes.push(pos.map(|p| entete[p].trim().to_string()));
        positions.push(pos);
        if pos.is_none() && col.obligatoire {
            diags.push(
                Diagnostic::fichier(
                    Code::E003,
                    &src.nom,
                    format!("colonne obligatoire « {} » absente", col.nom),
                )
                .ligne(1)
                .aide(format!(
                    "ajoutez une colonne « {} » à la ligne d'en-tête (colonnes lues : {})",
                    col.nom,
                    entete
                        .iter()
                        .map(|h| format!("« {} »", super::error::tronque(h.trim(), 30)))
                        .collect::<Vec<_>>()
                        .join(", ")
                )),
            );
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }

    let mut lignes = Vec::new();
    for rec in records {
        match rec {
            Ok(r) => {
                if r.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                let numero = line_of(r.position());
                if lignes.len() >= MAX_ROWS {
                    diags.push(
                        Diagnostic::fichier(
                            Code::E021,
                            &src.nom,
                            format!("trop de lignes (maximum {MAX_ROWS})"),
                        )
                        .ligne(numero),
                    );
                    break;
                }
                let cellules = positions
                    .iter()
                    .map(|p| {
                        p.and_then(|p| r.get(p))
                            .map(|s| s.trim_matches(|c: char| c.is_whitespace()).to_string())
                            .unwrap_or_default()
                    })
                    .collect();
                lignes.push(Ligne { numero, cellules });
            }
            Err(e) => diags.push(csv_error(&src.nom, line_of(e.position()))),
        }
    }
    if lignes.is_empty() && diags.is_empty() {
        diags.push(
            Diagnostic::fichier(
                Code::E002,
                &src.nom,
                "le fichier ne contient aucune ligne de données",
            )
            .aide("ajoutez au moins une ligne sous l'en-tête"),
        );
    }
    if diags.is_empty() {
        Ok(Table {
            fichier: src.nom.clone(),
            presentes,
            lignes,
        })
    } else {
        Err(diags)
    }
}

/// Line where a quote is opened and never closed. The csv crate silently swallows the rest of
/// the file into one cell in that case; users need to be told where the quote is.
fn unclosed_quote_line(texte: &str) -> Option<usize> {
    let mut in_quotes = false;
    let mut opened_at = 0;
    let mut line = 1;
    let mut at_field_start = true;
    let mut chars = texte.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes => {
                if chars.peek() == Some(&'"') {
                    chars.next();
                } else {
                    in_quotes = false;
                }
            }
            // A quote opens a quoted cell only at the start of a cell, as in RFC 4180.
            '"' if at_field_start => {
                in_quotes = true;
                opened_at = line;
            }
            _ => {}
        }
        if c == '\n' {
            line += 1;
        }
        at_field_start = !in_quotes && matches!(c, ';' | ',' | '\t' | '\n' | '\r' | ' ');
    }
    in_quotes.then_some(opened_at)
}

fn csv_error(fichier: &str, ligne: usize) -> Diagnostic {
    let d = Diagnostic::fichier(Code::E017, fichier, "ligne CSV mal formée")
        .aide("vérifiez les guillemets de la ligne (un guillemet ouvert doit être refermé)");
    if ligne > 0 { d.ligne(ligne) } else { d }
}

/// Parses a number written by a French or English spreadsheet: decimal comma or point; spaces,
/// non-breaking spaces and apostrophes as thousands separators; when both `,` and `.` appear the
/// last one is the decimal separator. Rejects NaN, infinities and anything else.
pub fn parse_nombre(s: &str) -> Option<f64> {
    let s: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’' | '€' | '%'))
        .collect();
    if s.is_empty() {
        return None;
    }
    let last_comma = s.rfind(',');
    let last_point = s.rfind('.');
    let canon = match (last_comma, last_point) {
        (Some(c), Some(p)) if c > p => s.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => s.replace(',', ""),
        (Some(_), None) => {
            if s.matches(',').count() > 1 {
                return None;
            }
            s.replace(',', ".")
        }
        _ => s,
    };
    if !canon
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'))
    {
        return None;
    }
    let v: f64 = canon.parse().ok()?;
    v.is_finite().then_some(v)
}

/// Splits a `|`-list cell (also accepting `,` when the file separator is `;`), trimmed, empties
/// dropped.
pub fn split_liste(s: &str) -> Vec<String> {
    s.split(['|', ','])
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &[Colonne] = &[
        Colonne {
            nom: "id",
            obligatoire: true,
            alias: &["identifiant"],
        },
        Colonne {
            nom: "libelle",
            obligatoire: true,
            alias: &["label"],
        },
        Colonne {
            nom: "effectif",
            obligatoire: false,
            alias: &["etp"],
        },
    ];

    #[test]
    fn numbers_in_french_and_english_formats() {
        assert_eq!(parse_nombre("12,5"), Some(12.5));
        assert_eq!(parse_nombre("1 234,50"), Some(1234.5));
        assert_eq!(parse_nombre("1\u{a0}234\u{a0}567"), Some(1234567.0));
        assert_eq!(parse_nombre("1\u{202f}234,5"), Some(1234.5));
        assert_eq!(parse_nombre("1,234.5"), Some(1234.5));
        assert_eq!(parse_nombre("1.234,5"), Some(1234.5));
        assert_eq!(parse_nombre("-3"), Some(-3.0));
        assert_eq!(parse_nombre("1 500 €"), Some(1500.0));
        assert_eq!(parse_nombre("NaN"), None);
        assert_eq!(parse_nombre("inf"), None);
        assert_eq!(parse_nombre("1e999"), None);
        assert_eq!(parse_nombre("douze"), None);
        assert_eq!(parse_nombre("1,2,3"), None);
        assert_eq!(parse_nombre(""), None);
    }

    #[test]
    fn headers_match_without_case_accents_or_punctuation() {
        assert_eq!(normalise(" Libellé "), "libelle");
        assert_eq!(normalise("Élu·e"), "elue");
        assert_eq!(
            normalise("Rattachements secondaires"),
            "rattachements_secondaires"
        );
        assert_eq!(normalise("\u{feff}Code  sexe"), "code_sexe");
        assert_eq!(normalise("Autres-indemnités (€)"), "autres_indemnites_(€)");
    }

    #[test]
    fn separator_is_detected_outside_quotes() {
        assert_eq!(detect_separator("a;b;c\n1;2;3"), b';');
        assert_eq!(detect_separator("a,b,c"), b',');
        assert_eq!(detect_separator("a\tb\tc"), b'\t');
        assert_eq!(detect_separator("\"x,y,z\";b"), b';');
        assert_eq!(detect_separator("\n\nid;libelle"), b';');
    }

    #[test]
    fn windows_1252_and_bom_are_decoded() {
        // "é" in Windows-1252 is 0xE9, invalid as UTF-8.
        assert_eq!(decode(b"caf\xe9"), "café");
        assert_eq!(decode(b"\xEF\xBB\xBFcaf\xc3\xa9"), "café");
        assert_eq!(decode(b"\x80"), "€");
    }

    #[test]
    fn table_reads_aliases_blank_lines_and_line_numbers() {
        let src = Source::texte(
            "t.csv",
            "Identifiant ; Label ; Remarque\n\n a ; Alpha ; x\n;;\nb;Beta\n",
        );
        let t = read_table(&src, SPEC).expect("valid table");
        assert!(!t.a_colonne(2));
        assert_eq!(t.lignes.len(), 2);
        assert_eq!(t.lignes[0].numero, 3);
        assert_eq!(t.lignes[0].get(0), "a");
        assert_eq!(t.lignes[0].get(1), "Alpha");
        assert_eq!(t.lignes[1].numero, 5);
        assert_eq!(t.lignes[1].get(2), "");
    }

    #[test]
    fn missing_required_column_is_e003_on_line_1() {
        let src = Source::texte("t.csv", "id;effectif\na;1\n");
        let d = read_table(&src, SPEC).expect_err("libelle missing");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::E003);
        assert_eq!(d[0].ligne, Some(1));
        assert!(d[0].message.contains("libelle"));
    }

    #[test]
    fn empty_and_header_only_files_are_e002() {
        let d = read_table(&Source::texte("t.csv", "  \n\n"), SPEC).expect_err("empty");
        assert_eq!(d[0].code, Code::E002);
        let d = read_table(&Source::texte("t.csv", "id;libelle\n"), SPEC).expect_err("no rows");
        assert_eq!(d[0].code, Code::E002);
    }

    #[test]
    fn unclosed_quote_is_e017_at_its_line() {
        let d = read_table(
            &Source::texte("t.csv", "id;libelle\na;\"ok\"\nb;\"ouvert\nc;x\n"),
            SPEC,
        )
        .expect_err("unclosed");
        assert_eq!((d[0].code, d[0].ligne), (Code::E017, Some(3)));
        // A quoted cell spanning two lines (Alt+Entrée in Excel) is fine.
        let t = read_table(
            &Source::texte("t.csv", "id;libelle\na;\"deux\nlignes\"\nb;y\n"),
            SPEC,
        )
        .expect("multiline cell");
        assert_eq!(t.lignes[0].get(1), "deux\nlignes");
        assert_eq!(t.lignes[1].numero, 4);
        // A quote inside an unquoted cell is a literal character.
        assert!(read_table(&Source::texte("t.csv", "id;libelle\na;l'\"atelier\n"), SPEC).is_ok());
    }

    #[test]
    fn oversized_file_is_e021_before_parsing() {
        let src = Source {
            nom: "t.csv".into(),
            octets: vec![b'a'; MAX_FILE_BYTES + 1],
        };
        let d = read_table(&src, SPEC).expect_err("too big");
        assert_eq!(d[0].code, Code::E021);
    }
}
