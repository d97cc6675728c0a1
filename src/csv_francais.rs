//! The one CSV configuration of collegia: every CSV file it writes (scenario files, proposals,
//! report tables, `analyser --format csv`, `indemnites`, `bareme --format csv`) goes through
//! [`EcrivainCsv`], so that none can forget the BOM, the separator or the neutralisation.
//!
//! - UTF-8 with a byte order mark: without it a French Excel reads UTF-8 as Windows-1252;
//! - `;` as separator and the decimal comma, as a French Excel expects;
//! - CRLF line ends (RFC 4180; Excel on Windows, and collegia's reader, accept them);
//! - every text cell that a spreadsheet would evaluate as a formula is neutralised
//!   ([`neutralise`]); collegia's readers undo it (`ingest::sans_neutralisation`), so a file
//!   written by collegia reads back as the values it was written from.

use std::borrow::Cow;

/// The UTF-8 byte order mark every CSV a person opens starts with: without it a French Excel
/// reads UTF-8 as Windows-1252 and shows « HÃ©lÃ¨ne ».
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Whether `s` is a plain decimal number as collegia writes one (`-3,5`, `145`, `0.25`): a
/// spreadsheet reads it as a number, never as a formula, so it is written as it is.
fn nombre_simple(s: &str) -> bool {
    let corps = s.strip_prefix('-').unwrap_or(s);
    let (entier, decimales) = match corps.split_once([',', '.']) {
        Some((e, d)) => (e, Some(d)),
        None => (corps, None),
    };
    !entier.is_empty()
        && entier.bytes().all(|b| b.is_ascii_digit())
        && decimales.is_none_or(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Neutralises a text cell for CSV (OWASP "CSV injection"): a cell starting with `=`, `+`, `-`,
/// `@`, tab or carriage return is prefixed with `'` so that a spreadsheet shows it as text
/// instead of evaluating it as a formula. A plain number (`-3,5`) is no formula and stays as it
/// is. A cell that already starts with `'` before such a character gets one more, so that
/// collegia's reader, which removes one `'` before those characters
/// (`ingest::sans_neutralisation`), reads back exactly the value written.
pub fn neutralise(s: &str) -> Cow<'_, str> {
    let sans_apostrophes = s.trim_start_matches('\'');
    match sans_apostrophes.chars().next() {
        Some('-') if sans_apostrophes.len() == s.len() && nombre_simple(s) => Cow::Borrowed(s),
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

/// A number with a fixed number of decimals, decimal comma, no thousands separator; `-0,00`
/// is written `0,00` (it would read as a sign error).
pub fn nombre(v: f64, decimales: usize) -> String {
    let s = format!("{v:.decimales$}");
    let s = if s
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    };
    s.replace('.', ",")
}

/// A number as collegia writes it in its input files: decimal comma, no thousands separator, at
/// most four decimals, no trailing zeros (`33,5`, `145`).
pub fn nombre_court(v: f64) -> String {
    let s = nombre(v, 4);
    if s.contains(',') {
        s.trim_end_matches('0').trim_end_matches(',').to_string()
    } else {
        s
    }
}

/// A CSV file being written in memory, in collegia's one configuration.
pub struct EcrivainCsv {
    w: csv::Writer<Vec<u8>>,
}

impl Default for EcrivainCsv {
    fn default() -> Self {
        Self::new()
    }
}

impl EcrivainCsv {
    /// An empty file, starting with the BOM.
    pub fn new() -> EcrivainCsv {
        EcrivainCsv {
            w: csv::WriterBuilder::new()
                .delimiter(b';')
                .terminator(csv::Terminator::CRLF)
                // Rows of unequal length are written as they are rather than lost.
                .flexible(true)
                .from_writer(BOM.to_vec()),
        }
    }

    /// One row (the header row too): every cell neutralised, quoted where CSV needs it.
    pub fn ligne<I>(&mut self, cellules: I)
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let cellules: Vec<String> = cellules
            .into_iter()
            .map(|c| neutralise(c.as_ref()).into_owned())
            .collect();
        // Writing into a Vec cannot fail.
        let _ = self.w.write_record(&cellules);
    }

    /// The bytes of the file.
    pub fn octets(self) -> Vec<u8> {
        self.w.into_inner().unwrap_or_default()
    }

    /// The file as text (for commands that print it).
    pub fn texte(self) -> String {
        String::from_utf8(self.octets()).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        let mut w = EcrivainCsv::new();
        w.ligne(["=HYPERLINK(\"x\")", "-3,5", "-cmd|' /C calc'!A0"]);
        w.ligne(["@SUM(A1)", "+33 6", "a;b"]);
        w.ligne(["-", "-1,", "'-3,5"]);
        let s = w.texte();
        assert!(s.starts_with('\u{feff}'));
        let l: Vec<&str> = s.trim_start_matches('\u{feff}').split("\r\n").collect();
        assert_eq!(l[0], "\"'=HYPERLINK(\"\"x\"\")\";-3,5;'-cmd|' /C calc'!A0");
        assert_eq!(l[1], "'@SUM(A1);'+33 6;\"a;b\"");
        assert_eq!(l[2], "'-;'-1,;''-3,5");
        assert_eq!(l[3], "");
    }

    #[test]
    fn neutralised_cells_read_back_exactly() {
        for s in [
            "=A1", "'=A1", "''+x", "-2+3", "@SUM(A1)", "abc", "'abc", "'", "", "+", "\tx", "\rx",
            "-3,5", "'-3,5", "-12.25", "-",
        ] {
            let n = neutralise(s);
            assert!(
                nombre_simple(&n)
                    || !matches!(n.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')),
                "{n}"
            );
            assert_eq!(crate::ingest::sans_neutralisation(&n), s, "{s:?} → {n:?}");
        }
    }

    #[test]
    fn numbers_use_a_decimal_comma() {
        assert_eq!(nombre_court(33.5), "33,5");
        assert_eq!(nombre_court(145.0), "145");
        assert_eq!(nombre_court(1850.4), "1850,4");
        assert_eq!(nombre_court(-0.00001), "0");
        assert_eq!(nombre(-0.001, 2), "0,00");
        assert_eq!(nombre(-3.5, 1), "-3,5");
    }
}
