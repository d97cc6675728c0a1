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

/// Text encoding of an input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encodage {
    /// UTF-8, with or without BOM.
    Utf8,
    /// Windows-1252, the encoding of Excel's "CSV (séparateur : point-virgule)" on French Windows.
    Windows1252,
}

/// Position of the first byte that is not valid UTF-8: 1-based line and column (in characters).
fn first_invalid_utf8(octets: &[u8]) -> (usize, usize) {
    let valid = match std::str::from_utf8(octets) {
        Ok(_) => octets.len(),
        Err(e) => e.valid_up_to(),
    };
    let prefix = String::from_utf8_lossy(&octets[..valid]);
    let ligne = prefix.matches('\n').count() + 1;
    let debut = prefix.rfind('\n').map(|i| i + 1).unwrap_or(0);
    (ligne, prefix[debut..].chars().count() + 1)
}

/// True when the bytes hold at least one well-formed multi-byte UTF-8 sequence: evidence that
/// the file was written as UTF-8 (a Windows-1252 French text almost never forms one).
fn has_utf8_sequence(octets: &[u8]) -> bool {
    let mut rest = octets;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => return !s.is_ascii(),
            Err(e) => {
                let ok = &rest[..e.valid_up_to()];
                if !ok.is_ascii() {
                    return true;
                }
                let skip = e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                rest = &rest[e.valid_up_to() + skip..];
            }
        }
    }
}

/// Decodes an input file and says which encoding was used.
///
/// A UTF-8 BOM means UTF-8: an invalid byte is then an error (E033) at its line and column.
/// Without a BOM, valid UTF-8 is UTF-8; bytes that are not UTF-8 are read as Windows-1252 only
/// when nothing in the file looks like UTF-8 (no well-formed multi-byte sequence); a file mixing
/// UTF-8 accents and invalid bytes is an error too, since guessing would garble every accent.
pub fn decode_fichier(nom: &str, octets: &[u8]) -> Result<(String, Encodage), Diagnostic> {
    let (sans_bom, bom) = match octets.strip_prefix(b"\xEF\xBB\xBF") {
        Some(s) => (s, true),
        None => (octets, false),
    };
    if let Ok(s) = std::str::from_utf8(sans_bom) {
        return Ok((s.to_string(), Encodage::Utf8));
    }
    if bom || has_utf8_sequence(sans_bom) {
        let (ligne, colonne) = first_invalid_utf8(sans_bom);
        let pourquoi = if bom {
            "le fichier commence par une marque UTF-8 (BOM)"
        } else {
            "le reste du fichier est en UTF-8"
        };
        return Err(Diagnostic::fichier(
            Code::E033,
            nom,
            format!("octet invalide en UTF-8 à la ligne {ligne}, caractère {colonne} ({pourquoi})"),
        )
        .ligne(ligne)
        .colonne(&format!("caractère {colonne}"))
        .aide("corrigez ce caractère, ou réenregistrez le fichier en « CSV UTF-8 » depuis le tableur ; collegia ne devine pas l'encodage d'un fichier mélangé, pour ne pas altérer les accents"));
    }
    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(sans_bom);
    Ok((s.into_owned(), Encodage::Windows1252))
}

/// Decodes bytes as UTF-8 (with or without BOM), falling back to Windows-1252 when the bytes are
/// not UTF-8. Lenient: use [`decode_fichier`] to be told about the encoding and invalid bytes.
pub fn decode(octets: &[u8]) -> String {
    match decode_fichier("", octets) {
        Ok((s, _)) => s,
        Err(_) => {
            let sans_bom = octets.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(octets);
            String::from_utf8_lossy(sans_bom).into_owned()
        }
    }
}

/// The warning shown when a file was read as Windows-1252.
pub(crate) fn avertissement_encodage(nom: &str) -> Diagnostic {
    Diagnostic::fichier(
        Code::E034,
        nom,
        "fichier lu en Windows-1252, l'encodage d'Excel sous Windows (il n'est pas en UTF-8)",
    )
    .aide("vérifiez les accents dans le résumé ; pour lever le doute, enregistrez le fichier en « CSV UTF-8 »")
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

/// Normalises a header or an enumerated value for matching: lower case, accents removed, the
/// ligatures that word processors and spreadsheets autocorrect to spelt out (`œ` → `oe`, `æ` →
/// `ae`, and through compatibility decomposition `ﬁ` → `fi`…), `·` removed, spaces, hyphens and
/// apostrophes (straight or typographic: `'`, `’`, `‘`, `ʼ`, `´`, `` ` ``) turned into `_`,
/// trimmed. Every reader of every file matches its headers through this one function (the
/// aliases of [`super::schema`] are written already normalised).
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            '·' | '.' | '\u{feff}' => {}
            ' ' | '-' | '\'' | '’' | '‘' | 'ʼ' | '´' | '`' | '\u{a0}' | '\u{202f}' | '/' => {
                out.push('_')
            }
            'œ' | 'Œ' => out.push_str("oe"),
            'æ' | 'Æ' => out.push_str("ae"),
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
    /// Cell of column `i` of the spec, trimmed, with collegia's CSV formula neutralisation
    /// undone (`'=x` reads `=x`), so that every file collegia writes reads back as written.
    pub fn get(&self, i: usize) -> &str {
        super::elus::sans_neutralisation(self.cellules.get(i).map(|s| s.trim()).unwrap_or(""))
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
    /// Non-blocking remarks: unknown or repeated columns (E030), Windows-1252 encoding (E034).
    pub avertissements: Vec<Diagnostic>,
}

impl Table {
    /// True when the column of spec index `i` is in the file.
    pub fn a_colonne(&self, i: usize) -> bool {
        self.presentes[i].is_some()
    }
}

/// Unknown or repeated header cells reported one by one (each compared with every known name
/// for a suggestion); the others are one warning. A header of 100 000 unknown columns took
/// minutes of comparisons and gave as many warnings.
pub const MAX_COLONNES_SIGNALEES: usize = 30;

/// Longest cell accepted, in characters: what a spreadsheet cell can hold (Excel and
/// LibreOffice), so that every table collegia writes back opens.
pub const MAX_CELL_CHARS: usize = 32_767;

/// Header without what only qualifies it: units in parentheses or brackets and trailing unit
/// words, so that `Effectif (ETP)`, `Budget [€]` or `Budget en euros` match their column.
pub(crate) fn sans_unite(entete: &str) -> String {
    let mut out = String::with_capacity(entete.len());
    let mut depth = 0usize;
    for c in entete.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let mut n = normalise(&out);
    for unite in [
        "_en_euros",
        "_en_eur",
        "_en_etp",
        "_euros",
        "_eur",
        "_€",
        "_etp",
        "_%",
        "_pct",
    ] {
        if let Some(base) = n.strip_suffix(unite) {
            n = base.to_string();
            break;
        }
    }
    n
}

/// Similarity of two names already normalised, from 0 to 1: the better of Jaro-Winkler, which
/// weighs a shared beginning (`rattache_a` / `rattachement`, `rattachement_hierarchique` /
/// `rattachement`), and one minus the normalised edit distance, which catches typos anywhere
/// (`dir_voire` / `dir_voirie`).
fn similarite(a: &str, b: &str) -> f64 {
    strsim::jaro_winkler(a, b).max(strsim::normalized_damerau_levenshtein(a, b))
}

/// Least similarity for a suggestion: below, two names share too little to be one misspelt.
const SIMILARITE_MIN: f64 = 0.85;

/// The candidate closest to `valeur`, when one is close enough to be a misspelling of it
/// (case, accents, spaces and punctuation ignored): the « vouliez-vous dire … ? » of unknown
/// headers and identifiers. Ties go to the first candidate, so the answer is deterministic.
pub fn plus_proche<'a, S: AsRef<str>>(valeur: &str, candidats: &'a [S]) -> Option<&'a str> {
    let v = normalise(valeur);
    if v.is_empty() {
        return None;
    }
    let lv = v.chars().count();
    let mut meilleur: Option<(f64, &str)> = None;
    for c in candidats {
        let c = c.as_ref();
        // Lengths in a ratio under 1:4 cannot reach the threshold (Jaro-Winkler stays under
        // 0,85 there): skipped before the quadratic comparison.
        let lc = c.chars().count();
        if lc.min(lv) * 4 < lc.max(lv) {
            continue;
        }
        let n = normalise(c);
        if n == v {
            return Some(c);
        }
        let s = similarite(&v, &n);
        if s >= SIMILARITE_MIN && meilleur.is_none_or(|(m, _)| s > m) {
            meilleur = Some((s, c));
        }
    }
    meilleur.map(|(_, c)| c)
}

/// The advice of a missing required column, after its likely cause: the header is further down
/// (title rows above it), the file is separated by a character collegia does not read, or a
/// column is really missing.
fn aide_colonnes_absentes(
    texte: &str,
    sep: u8,
    ligne_entete: usize,
    entete: &csv::StringRecord,
    spec: &[Colonne],
) -> String {
    let obligatoires: Vec<&Colonne> = spec.iter().filter(|c| c.obligatoire).collect();
    let est_nom = |c: &Colonne, h: &str| h == c.nom || c.alias.contains(&h);
    let nomme_tout = |cellules: &[String]| {
        obligatoires.iter().all(|c| {
            cellules
                .iter()
                .any(|h| est_nom(c, h) || est_nom(c, &sans_unite(h)))
        })
    };
    // Title rows: a later line among the first ones names every required column.
    for (i, l) in texte.lines().enumerate().skip(ligne_entete).take(20) {
        let cellules: Vec<String> = l.split(sep as char).map(normalise).collect();
        if nomme_tout(&cellules) {
            let numero = i + 1;
            return format!(
                "la ligne d'en-tête semble être la ligne {numero} : collegia lit les noms des colonnes sur la première ligne non vide (ici la ligne {ligne_entete}) ; supprimez les lignes de titre au-dessus de l'en-tête"
            );
        }
    }
    // A separator collegia does not read: the header is one cell that splits into the columns.
    let remplies: Vec<&str> = entete.iter().filter(|h| !h.trim().is_empty()).collect();
    if let [seule] = remplies.as_slice() {
        for autre in ['|', ':', '/', '#', '!', '.'] {
            let cellules: Vec<String> = seule.split(autre).map(normalise).collect();
            if cellules.len() > 1 && nomme_tout(&cellules) {
                return format!(
                    "le fichier semble séparé par « {autre} » : collegia reconnaît le point-virgule, la virgule et la tabulation ; réexportez-le en « CSV (séparateur : point-virgule) »"
                );
            }
        }
    }
    format!(
        "ajoutez la colonne à la ligne d'en-tête, sous son nom ou un nom accepté (docs/formats.md) ; colonnes lues : {}",
        entete
            .iter()
            .map(|h| format!("« {} »", super::error::tronque(h.trim(), 30)))
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The warning for a header that matches no column of the spec: the closest known name and its
/// accepted spellings, or the list of the known columns.
fn colonne_inconnue(fichier: &str, entete: &str, spec: &[Colonne]) -> Diagnostic {
    let h = sans_unite(entete);
    let noms: Vec<&str> = spec
        .iter()
        .flat_map(|c| std::iter::once(c.nom).chain(c.alias.iter().copied()))
        .collect();
    let proche = plus_proche(&h, &noms)
        .and_then(|n| spec.iter().find(|c| c.nom == n || c.alias.contains(&n)));
    let aide = match proche {
        Some(c) => format!(
            "vouliez-vous dire « {} » ? Noms acceptés : {} (majuscules, accents, espaces et unités entre parenthèses ignorés). Renommez l'en-tête, ou laissez-le s'il s'agit d'une colonne de notes",
            c.nom,
            std::iter::once(c.nom)
                .chain(c.alias.iter().copied())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => format!(
            "colonnes reconnues : {} (voir docs/formats.md) ; laissez-la s'il s'agit d'une colonne de notes",
            spec.iter().map(|c| c.nom).collect::<Vec<_>>().join(", ")
        ),
    };
    Diagnostic::fichier(
        Code::E030,
        fichier,
        format!(
            "colonne « {} » inconnue : elle est ignorée",
            super::error::tronque(entete.trim(), 40)
        ),
    )
    .ligne(1)
    .colonne(entete.trim())
    .aide(aide)
}

/// Checks that a single-valued cell (an identifier, a group, a reference) holds one value: a
/// separator in it (`G02-education | G11-sports`) would silently create a phantom value (E031).
/// Returns false, after pushing the diagnostic, when it does not.
pub(crate) fn valeur_unique(
    diags: &mut Vec<Diagnostic>,
    fichier: &str,
    ligne: usize,
    colonne: &str,
    raw: &str,
) -> bool {
    let Some(sep) = raw.chars().find(|c| matches!(c, '|' | ';' | ',' | '/')) else {
        return true;
    };
    diags.push(
        Diagnostic::fichier(
            Code::E031,
            fichier,
            format!("la colonne « {colonne} » n'accepte qu'une valeur par cellule, et celle-ci contient le séparateur « {sep} »"),
        )
        .ligne(ligne)
        .colonne(colonne)
        .valeur(raw)
        .aide("gardez une seule valeur dans la cellule (ex. « G02-education ») ; pour plusieurs rattachements, écrivez une ligne par valeur (délégations) ou utilisez une colonne qui accepte une liste (axes, rattachements_secondaires)"),
    );
    false
}

/// Reads a CSV source against a column spec. Unknown columns are ignored but reported as
/// warnings (E030, users keep notes in extra columns); missing required columns, an empty file,
/// malformed lines, lines with more cells than the header (a decimal comma in a
/// comma-separated file), over-long cells and size limits are reported as diagnostics.
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
    let (texte, encodage) = decode_fichier(&src.nom, &src.octets).map_err(|d| vec![d])?;
    let mut avertissements = Vec::new();
    if encodage == Encodage::Windows1252 {
        avertissements.push(avertissement_encodage(&src.nom));
    }
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
    let Some((ligne_entete, entete)) = entete else {
        return Err(vec![Diagnostic::fichier(
            Code::E002,
            &src.nom,
            "le fichier ne contient aucune ligne d'en-tête",
        )]);
    };
    let normalised: Vec<String> = entete.iter().map(normalise).collect();
    let sans_unites: Vec<String> = entete.iter().map(sans_unite).collect();
    let est_nom = |col: &Colonne, h: &str| h == col.nom || col.alias.contains(&h);
    let mut positions: Vec<Option<usize>> = Vec::with_capacity(spec.len());
    let mut presentes = Vec::with_capacity(spec.len());
    let mut utilisees = vec![false; entete.len()];
    // Computed once for all the missing columns: they then share their advice, and the
    // collection collapses them into one diagnostic.
    let mut aide_absente: Option<String> = None;
    for col in spec {
        // Exact spelling first, then without units: `Effectif (ETP)` is the effectif.
        let pos = normalised.iter().position(|h| est_nom(col, h)).or_else(|| {
            (0..entete.len()).find(|&i| !utilisees[i] && est_nom(col, &sans_unites[i]))
        });
        if let Some(p) = pos {
            utilisees[p] = true;
        }
        presentes.push(pos.map(|p| entete[p].trim().to_string()));
        positions.push(pos);
        if pos.is_none() && col.obligatoire {
            let aide = aide_absente.get_or_insert_with(|| {
                aide_colonnes_absentes(&texte, sep, ligne_entete, &entete, spec)
            });
            diags.push(
                Diagnostic::fichier(
                    Code::E003,
                    &src.nom,
                    format!("colonne obligatoire « {} » absente", col.nom),
                )
                .ligne(ligne_entete)
                .colonne(col.nom)
                .aide(aide.clone()),
            );
        }
    }
    // A missing required column with an unknown header close to it: say which one.
    for d in diags.iter_mut().filter(|d| d.code == Code::E003) {
        let Some(col) = spec.iter().find(|c| Some(c.nom) == d.colonne.as_deref()) else {
            continue;
        };
        let candidats: Vec<&str> = entete
            .iter()
            .enumerate()
            .filter(|&(i, h)| !utilisees[i] && !h.trim().is_empty())
            .map(|(_, h)| h.trim())
            .take(MAX_COLONNES_SIGNALEES)
            .collect();
        let noms: Vec<&str> = std::iter::once(col.nom)
            .chain(col.alias.iter().copied())
            .collect();
        if let Some(h) = candidats
            .iter()
            .find(|h| plus_proche(&sans_unite(h), &noms).is_some())
        {
            d.aide = format!(
                "vouliez-vous dire « {h} » ? Renommez cet en-tête « {} » (noms acceptés : {})",
                col.nom,
                noms.join(", ")
            );
        }
    }
    let mut autres_inconnues = Vec::new();
    let mut signalees = 0;
    for (i, h) in entete.iter().enumerate() {
        if utilisees[i] || h.trim().is_empty() {
            continue;
        }
        if signalees >= MAX_COLONNES_SIGNALEES {
            autres_inconnues.push(h.trim());
            continue;
        }
        signalees += 1;
        let double = spec
            .iter()
            .position(|c| est_nom(c, &normalised[i]) || est_nom(c, &sans_unites[i]));
        avertissements.push(match double {
            Some(c) => Diagnostic::fichier(
                Code::E030,
                &src.nom,
                format!(
                    "colonne « {} » en double : seule la première (« {} ») est lue",
                    h.trim(),
                    presentes[c].clone().unwrap_or_default()
                ),
            )
            .ligne(ligne_entete)
            .colonne(h.trim())
            .aide("supprimez ou renommez l'une des deux colonnes"),
            None => colonne_inconnue(&src.nom, h, spec).ligne(ligne_entete),
        });
    }
    if let (Some(premiere), Some(derniere)) = (autres_inconnues.first(), autres_inconnues.last()) {
        avertissements.push(
            Diagnostic::fichier(
                Code::E030,
                &src.nom,
                format!(
                    "{} autres colonnes inconnues, de « {} » à « {} » : elles sont ignorées",
                    autres_inconnues.len(),
                    super::error::tronque(premiere, 40),
                    super::error::tronque(derniere, 40)
                ),
            )
            .ligne(ligne_entete)
            .aide("vérifiez qu'il s'agit du bon fichier ; les colonnes reconnues sont dans docs/formats.md"),
        );
    }
    if !diags.is_empty() {
        return Err(diags);
    }

    let mut lignes = Vec::new();
    let mut trop_de_champs = Vec::new();
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
                        .ligne(numero)
                        .aide("vérifiez qu'il s'agit du bon fichier"),
                    );
                    break;
                }
                // A cell beyond the header shifts every column after a stray separator. Trailing
                // empty cells are tolerated after `;` (hand-written files end lines with it), not
                // after `,`, where a decimal comma pushes the (often empty) last cell out.
                let remplis = (0..r.len())
                    .rev()
                    .find(|&i| r.get(i).is_some_and(|c| !c.trim().is_empty()))
                    .map_or(0, |p| p + 1);
                if remplis > entete.len() || (sep == b',' && r.len() > entete.len()) {
                    trop_de_champs.push(champs_en_trop(
                        &src.nom,
                        numero,
                        r.len(),
                        entete.len(),
                        sep,
                    ));
                    continue;
                }
                let mut cellules = Vec::with_capacity(positions.len());
                for (i, p) in positions.iter().enumerate() {
                    let cell = p
                        .and_then(|p| r.get(p))
                        .map(|s| s.trim_matches(|c: char| c.is_whitespace()).to_string())
                        .unwrap_or_default();
                    if cell.len() > MAX_CELL_CHARS && cell.chars().count() > MAX_CELL_CHARS {
                        diags.push(
                            Diagnostic::fichier(
                                Code::E021,
                                &src.nom,
                                format!(
                                    "cellule trop longue ({} caractères, maximum {MAX_CELL_CHARS}, la taille d'une cellule de tableur)",
                                    cell.chars().count()
                                ),
                            )
                            .ligne(numero)
                            .colonne(presentes[i].as_deref().unwrap_or(spec[i].nom))
                            .aide("raccourcissez la cellule ; vérifiez qu'un guillemet n'a pas fusionné plusieurs lignes"),
                        );
                    }
                    cellules.push(cell);
                }
                lignes.push(Ligne { numero, cellules });
            }
            Err(e) => diags.push(csv_error(&src.nom, line_of(e.position()))),
        }
    }
    if !trop_de_champs.is_empty() {
        // One clear error per shifted line, not the symptoms of the shifted cells.
        diags.extend(trop_de_champs);
        return Err(diags);
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
            avertissements,
        })
    } else {
        Err(diags)
    }
}

/// The error for a line with more cells than the header, worded after its likely cause.
fn champs_en_trop(fichier: &str, ligne: usize, n: usize, attendu: usize, sep: u8) -> Diagnostic {
    let (cause, aide) = match sep {
        b',' => (
            " : une virgule décimale dans un fichier séparé par des virgules ?",
            "écrivez les nombres avec un point décimal (12.5), mettez la cellule entre guillemets (\"12,5\"), ou exportez en CSV séparé par des points-virgules",
        ),
        b';' => (
            " : un point-virgule dans une cellule ?",
            "mettez la cellule qui contient « ; » entre guillemets, ou remplacez le point-virgule",
        ),
        _ => (
            " : une tabulation dans une cellule ?",
            "mettez la cellule entre guillemets, ou retirez la tabulation",
        ),
    };
    Diagnostic::fichier(
        Code::E017,
        fichier,
        format!("{n} champs au lieu de {attendu}{cause}"),
    )
    .ligne(ligne)
    .aide(aide)
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
        // Ligatures and typographic apostrophes (Word and Excel autocorrect to them).
        assert_eq!(normalise("Vœu"), "voeu");
        assert_eq!(normalise("NŒUD"), "noeud");
        assert_eq!(normalise("Cæsar"), "caesar");
        assert_eq!(normalise("Nom de l’élu·e"), "nom_de_l_elue");
        assert_eq!(normalise("Nom de l'élu·e"), normalise("Nom de l‘élu·e"));
        assert_eq!(normalise("Rattaché à"), "rattache_a");
        assert_eq!(
            normalise("Chef de service ﬁnances"),
            "chef_de_service_finances"
        );
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

    #[test]
    fn a_bom_means_utf8_and_an_invalid_byte_is_e033_at_its_position() {
        let d = decode_fichier("t.csv", b"\xEF\xBB\xBFid;nom\nE1;caf\xe9\n").expect_err("BOM");
        assert_eq!((d.code, d.ligne), (Code::E033, Some(2)));
        assert_eq!(d.colonne.as_deref(), Some("caractère 7"));
        // No BOM, but UTF-8 accents elsewhere: the same error, not a silent Windows-1252.
        let d = decode_fichier(
            "t.csv",
            "id;nom\nE1;Élise\nE2;caf"
                .bytes()
                .chain([0xe9])
                .collect::<Vec<u8>>()
                .as_slice(),
        )
        .expect_err("mixed");
        assert_eq!((d.code, d.ligne), (Code::E033, Some(3)));
        // Nothing UTF-8 in it: Windows-1252, and the caller is told.
        let (t, e) = decode_fichier("t.csv", b"id;nom\nE1;caf\xe9\n").expect("1252");
        assert_eq!(
            (t.as_str(), e),
            ("id;nom\nE1;café\n", Encodage::Windows1252)
        );
        let (_, e) = decode_fichier("t.csv", "café".as_bytes()).expect("utf8");
        assert_eq!(e, Encodage::Utf8);
    }

    #[test]
    fn unknown_and_repeated_columns_are_warnings_with_a_suggestion() {
        let src = Source::texte("t.csv", "id;libelle;Efectif;effectif;ETP\na;A;1;2;3\n");
        let t = read_table(&src, SPEC).expect("valid");
        assert_eq!(t.lignes[0].get(2), "2");
        let w: Vec<(Code, Option<&str>)> = t
            .avertissements
            .iter()
            .map(|d| (d.code, d.colonne.as_deref()))
            .collect();
        assert_eq!(
            w,
            vec![(Code::E030, Some("Efectif")), (Code::E030, Some("ETP"))]
        );
        assert!(t.avertissements[0].aide.contains("« effectif »"));
        assert!(t.avertissements[1].message.contains("en double"));
    }

    #[test]
    fn units_in_headers_are_ignored() {
        assert_eq!(sans_unite("Effectif (ETP)"), "effectif");
        assert_eq!(sans_unite("Budget [€]"), "budget");
        assert_eq!(sans_unite("Budget en euros"), "budget");
        let t = read_table(
            &Source::texte("t.csv", "ID;Libellé;Effectif (ETP)\na;A;2,5\n"),
            SPEC,
        )
        .expect("valid");
        assert!(t.a_colonne(2) && t.avertissements.is_empty());
    }

    #[test]
    fn more_cells_than_the_header_is_one_e017_naming_the_cause() {
        let d = read_table(
            &Source::texte("t.csv", "id,libelle,effectif\na,A,12,5\nb,B,3\n"),
            SPEC,
        )
        .expect_err("decimal comma");
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].code, d[0].ligne), (Code::E017, Some(2)));
        assert!(
            d[0].message
                .starts_with("4 champs au lieu de 3 : une virgule décimale")
        );
        // Trailing separators after `;` are what hand-written files do: accepted.
        assert!(read_table(&Source::texte("t.csv", "id;libelle\na;A;;\n"), SPEC).is_ok());
    }

    #[test]
    fn a_cell_longer_than_a_spreadsheet_cell_is_e021() {
        let long = "é".repeat(MAX_CELL_CHARS + 1);
        let d = read_table(
            &Source::texte("t.csv", &format!("id;libelle\na;{long}\n")),
            SPEC,
        )
        .expect_err("long");
        assert_eq!((d[0].code, d[0].ligne), (Code::E021, Some(2)));
        assert_eq!(d[0].colonne.as_deref(), Some("libelle"));
        let ok = "é".repeat(MAX_CELL_CHARS);
        assert!(
            read_table(
                &Source::texte("t.csv", &format!("id;libelle\na;{ok}\n")),
                SPEC
            )
            .is_ok()
        );
    }

    #[test]
    fn separators_in_single_valued_cells_are_e031() {
        let mut d = Vec::new();
        assert!(valeur_unique(&mut d, "e.csv", 4, "groupe", "G02-education"));
        for v in ["G02 | G11", "G02;G11", "G02,G11", "G02/G11"] {
            assert!(!valeur_unique(&mut d, "e.csv", 4, "groupe", v));
        }
        assert_eq!(d.len(), 4);
        assert!(d.iter().all(|d| d.code == Code::E031 && d.ligne == Some(4)));
    }

    #[test]
    fn title_rows_above_the_header_are_named_with_the_real_header_line() {
        let src = Source::texte(
            "t.csv",
            "Organigramme 2026;;\nMise à jour : mars;;\n;;\nID;Libellé;effectif\na;A;1\n",
        );
        let d = read_table(&src, SPEC).expect_err("title rows");
        let codes: Vec<(Code, Option<usize>, Option<&str>)> = d
            .iter()
            .map(|d| (d.code, d.ligne, d.colonne.as_deref()))
            .collect();
        assert_eq!(
            codes,
            vec![
                (Code::E003, Some(1), Some("id")),
                (Code::E003, Some(1), Some("libelle"))
            ]
        );
        assert!(
            d.iter().all(|d| d.aide.starts_with(
                "la ligne d'en-tête semble être la ligne 4 : collegia lit les noms des colonnes sur la première ligne non vide (ici la ligne 1)"
            )),
            "{}",
            d[0].aide
        );
        // Shared advice: the collection makes them one.
        assert_eq!(crate::ingest::IngestError::new(d).diagnostics.len(), 1);
    }

    #[test]
    fn a_separator_collegia_does_not_read_is_named() {
        let d = read_table(
            &Source::texte("t.csv", "id|libelle|effectif\na|A|1\n"),
            SPEC,
        )
        .expect_err("pipes");
        assert_eq!(d.len(), 2);
        assert!(
            d.iter()
                .all(|d| d.aide.starts_with("le fichier semble séparé par « | »")),
            "{}",
            d[0].aide
        );
        // A column really missing: the generic advice, listing the columns read.
        let d = read_table(&Source::texte("t.csv", "id;effectif\na;1\n"), SPEC)
            .expect_err("libelle missing");
        assert!(d[0].aide.starts_with("ajoutez la colonne"), "{}", d[0].aide);
    }

    #[test]
    fn a_missing_required_column_suggests_the_unknown_header_close_to_it() {
        use crate::ingest::COLONNES_ORGANIGRAMME;
        for entete in ["Rattaché à", "Rattachement hiérarchique"] {
            let src = Source::texte("o.csv", &format!("id;libelle;{entete}\nR;DGS;\n"));
            let d = read_table(&src, COLONNES_ORGANIGRAMME).expect_err("parent missing");
            assert_eq!(d.len(), 1);
            assert_eq!(
                (d[0].code, d[0].colonne.as_deref()),
                (Code::E003, Some("parent"))
            );
            assert!(
                d[0].aide
                    .starts_with(&format!("vouliez-vous dire « {entete} » ?")),
                "{}",
                d[0].aide
            );
        }
        // Nothing close: no suggestion.
        let src = Source::texte("o.csv", "id;libelle;Remarques\nR;DGS;x\n");
        let d = read_table(&src, COLONNES_ORGANIGRAMME).expect_err("parent missing");
        assert!(!d[0].aide.contains("vouliez-vous dire"), "{}", d[0].aide);
    }

    #[test]
    fn closest_identifier_ignores_case_and_accents_and_refuses_far_ones() {
        let ids = ["DIR-VOIRIE", "DIR-EDU", "SRV-ECOLES"];
        assert_eq!(plus_proche("DIR-VOIRE", &ids), Some("DIR-VOIRIE"));
        assert_eq!(plus_proche("dir voirie", &ids), Some("DIR-VOIRIE"));
        assert_eq!(plus_proche("SRV-ÉCOLES", &ids), Some("SRV-ECOLES"));
        assert_eq!(plus_proche("DIR-FINANCES", &ids), None);
        assert_eq!(plus_proche("", &ids), None);
        // Short ids one character apart are not guessed: E12 may well not be E13.
        assert_eq!(plus_proche("E12", &["E13", "E21"]), None);
    }

    #[test]
    fn a_header_of_many_unknown_columns_gives_bounded_warnings() {
        let entete: Vec<String> = (0..MAX_COLONNES_SIGNALEES + 10)
            .map(|i| format!("note{i}"))
            .collect();
        let src = Source::texte("t.csv", &format!("id;libelle;{}\na;A\n", entete.join(";")));
        let t = read_table(&src, SPEC).expect("valid");
        assert_eq!(t.avertissements.len(), MAX_COLONNES_SIGNALEES + 1);
        let dernier = t.avertissements.last().expect("summary");
        assert_eq!(dernier.code, Code::E030);
        assert!(
            dernier.message.starts_with(&format!(
                "10 autres colonnes inconnues, de « note{MAX_COLONNES_SIGNALEES} » à « note{} »",
                MAX_COLONNES_SIGNALEES + 9
            )),
            "{}",
            dernier.message
        );
    }
}
