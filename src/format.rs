//! French number and date formatting, the one place every output (CLI tables, reports, charts,
//! the law's fiche) takes its numbers from.
//!
//! Thousands are separated by a narrow no-break space (U+202F, as the Imprimerie nationale and
//! CLDR `fr` do), decimals by a comma, and a narrow no-break space stands before `€` and `%`.
//! Formatting is fixed-precision so outputs are byte-stable. Money is formatted from exact
//! decimals ([`decimal`]) so that a cent is never lost to binary floating point.

use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

/// Narrow no-break space, the French thousands separator.
pub const NNBSP: char = '\u{202f}';

/// Groups the digits of an unsigned integer by thousands: `1234567` → `1 234 567`.
pub fn grouper(chiffres: &str) -> String {
    let n = chiffres.len();
    let mut out = String::with_capacity(n + n);
    for (i, c) in chiffres.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push(NNBSP);
        }
        out.push(c);
    }
    out
}

/// Formats an exact decimal: `decimales` fixes the number of decimals (rounded half away from
/// zero, as the official tables do), `None` keeps the significant ones only (`72,5`, `145`).
pub fn decimal(d: Decimal, decimales: Option<u32>) -> String {
    let d = match decimales {
        Some(n) => d.round_dp_with_strategy(n, RoundingStrategy::MidpointAwayFromZero),
        None => d.normalize(),
    };
    let texte = match decimales {
        Some(n) => format!("{:.*}", n as usize, d),
        None => d.to_string(),
    };
    let (signe, texte) = match texte.strip_prefix('-') {
        Some(t) => ("-", t),
        None => ("", texte.as_str()),
    };
    let (entier, frac) = match texte.split_once('.') {
        Some((e, f)) => (e, Some(f)),
        None => (texte, None),
    };
    let mut out = format!("{signe}{}", grouper(entier));
    if let Some(f) = frac {
        out.push(',');
        out.push_str(f);
    }
    out
}

/// Formats a number with `decimals` digits after the comma and grouped thousands:
/// `1234567.891, 2` → `1 234 567,89`.
pub fn nombre(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s, None),
    };
    let grouped = grouper(&int);
    // "-0,00" would be confusing: a value that rounds to zero is written without a sign.
    let negative = v < 0.0
        && grouped
            .chars()
            .chain(frac.iter().flat_map(|f| f.chars()))
            .any(|c| c.is_ascii_digit() && c != '0');
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&grouped);
    if let Some(f) = frac {
        out.push(',');
        out.push_str(&f);
    }
    out
}

/// Formats an amount in euros with cents: `5960.26` → `5 960,26 €`.
pub fn euros(v: f64) -> String {
    format!("{}{NNBSP}€", nombre(v, 2))
}

/// Formats a percentage with up to two decimals, trailing zeros dropped: `33.0` → `33 %`,
/// `21.38` → `21,38 %`.
pub fn pourcent(v: f64) -> String {
    format!("{}{NNBSP}%", decimal_court(v, 2))
}

/// A number with at most `max_decimals` decimals, trailing zeros dropped: `12.50` → `12,5`.
pub fn decimal_court(v: f64, max_decimals: usize) -> String {
    let s = nombre(v, max_decimals);
    if s.contains(',') {
        s.trim_end_matches('0').trim_end_matches(',').to_string()
    } else {
        s
    }
}

/// Formats a date in French: `2026-04-01` → `1er avril 2026`.
pub fn date(d: NaiveDate) -> String {
    const MOIS: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let jour = if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    format!("{jour} {} {}", MOIS[d.month0() as usize], d.year())
}

/// "1 élément" / "3 éléments": French agreement with a count.
pub fn pluriel(n: usize, singulier: &str, pluriel: &str) -> String {
    format!(
        "{} {}",
        nombre(n as f64, 0),
        if n > 1 { pluriel } else { singulier }
    )
}

/// Makes a user-supplied name safe as one path component (a file name), and the key under which
/// two group ids are the same at ingest (E030): letters, digits, `-`, `_` and `.` kept
/// (accents removed), anything else turned into `-`; never empty, never `.`/`..`.
pub fn nom_de_fichier(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let base: String = s
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    let mut out: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    while out.contains("--") {
        out = out.replace("--", "-");
    }
    let out = out.trim_matches(|c| c == '-' || c == '.').to_string();
    if out.is_empty() {
        "sans-nom".into()
    } else {
        out
    }
}

/// [`nom_de_fichier`] of each name, made distinct: a name already given gets `-2`, `-3`… (ingest
/// refuses such group ids, E030; this keeps every file even for a model built without ingest).
pub fn noms_de_fichiers_uniques<'a>(noms: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut pris = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for n in noms {
        let base = nom_de_fichier(n);
        let mut nom = base.clone();
        let mut k = 2;
        while !pris.insert(nom.clone()) {
            nom = format!("{base}-{k}");
            k += 1;
        }
        out.push(nom);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_never_collide() {
        let v = noms_de_fichiers_uniques([
            "G01-education",
            "G01-Education",
            "G01-e\u{301}ducation",
            "G01-éducation",
            ".",
            "..",
        ]);
        assert_eq!(
            v,
            [
                "g01-education",
                "g01-education-2",
                "g01-education-3",
                "g01-education-4",
                "sans-nom",
                "sans-nom-2"
            ]
        );
    }

    #[test]
    fn numbers_are_grouped_with_narrow_spaces() {
        assert_eq!(nombre(1234567.891, 2), "1\u{202f}234\u{202f}567,89");
        assert_eq!(nombre(999.0, 0), "999");
        assert_eq!(nombre(-1000.5, 1), "-1\u{202f}000,5");
        assert_eq!(nombre(-0.001, 2), "0,00");
        assert_eq!(euros(5960.26), "5\u{202f}960,26\u{202f}€");
        assert_eq!(pourcent(33.0), "33\u{202f}%");
        assert_eq!(pourcent(21.38), "21,38\u{202f}%");
        assert_eq!(decimal_court(12.5, 2), "12,5");
    }

    #[test]
    fn dates_are_french() {
        let d = NaiveDate::from_ymd_opt(2026, 4, 1).expect("valid date");
        assert_eq!(date(d), "1er avril 2026");
        let d = NaiveDate::from_ymd_opt(2025, 12, 24).expect("valid date");
        assert_eq!(date(d), "24 décembre 2025");
        assert_eq!(pluriel(1, "nœud", "nœuds"), "1 nœud");
        assert_eq!(pluriel(1200, "nœud", "nœuds"), "1\u{202f}200 nœuds");
    }
}
