//! Documents as plain data (titles, paragraphs, lists, tables), rendered two ways from one
//! definition: clean Markdown (only what Markdown needs is escaped) and Word (`.docx`, through
//! `docx-rs`, opened and edited in Word and LibreOffice).
//!
//! The lettres de mission, feuilles de route and draft arrêtés are built once as a [`Document`];
//! the renderers return bytes and never write (the one writer is `report::ecriture::Sortie`).

use std::fmt::Write as _;

/// A piece of running text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Plain text (user values included: escaped by each renderer).
    Texte(String),
    /// Bold text.
    Gras(String),
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bloc {
    /// A heading, level 1 to 3.
    Titre(u8, String),
    /// A paragraph.
    Paragraphe(Vec<Segment>),
    /// A bulleted list, one item per entry.
    Liste(Vec<Vec<Segment>>),
    /// A checklist (items to do), one per entry.
    Cases(Vec<String>),
    /// A table: headers, right-aligned columns, rows of text.
    Tableau {
        /// Column headers.
        colonnes: Vec<String>,
        /// Whether each column holds numbers (right-aligned).
        droite: Vec<bool>,
        /// Rows.
        lignes: Vec<Vec<String>>,
    },
}

/// A document: a title (also the file's title property) and blocks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// Title, rendered as the level-1 heading.
    pub titre: String,
    /// Content after the title.
    pub blocs: Vec<Bloc>,
}

/// Shorthand for a plain text segment.
pub fn t(s: impl Into<String>) -> Segment {
    Segment::Texte(s.into())
}

/// Shorthand for a bold segment.
pub fn g(s: impl Into<String>) -> Segment {
    Segment::Gras(s.into())
}

impl Document {
    /// A new document with a title.
    pub fn new(titre: impl Into<String>) -> Document {
        Document {
            titre: titre.into(),
            blocs: Vec::new(),
        }
    }

    /// Adds a heading (level 2 or 3).
    pub fn titre(&mut self, niveau: u8, texte: impl Into<String>) {
        self.blocs.push(Bloc::Titre(niveau, texte.into()));
    }

    /// Adds a paragraph of segments.
    pub fn paragraphe(&mut self, segments: Vec<Segment>) {
        self.blocs.push(Bloc::Paragraphe(segments));
    }

    /// Adds a paragraph of plain text.
    pub fn texte(&mut self, s: impl Into<String>) {
        self.paragraphe(vec![t(s)]);
    }

    /// Adds a bulleted list (nothing when empty).
    pub fn liste(&mut self, items: Vec<Vec<Segment>>) {
        if !items.is_empty() {
            self.blocs.push(Bloc::Liste(items));
        }
    }

    /// Adds a table.
    pub fn tableau(&mut self, colonnes: &[&str], droite: &[bool], lignes: Vec<Vec<String>>) {
        self.blocs.push(Bloc::Tableau {
            colonnes: colonnes.iter().map(|c| c.to_string()).collect(),
            droite: droite.to_vec(),
            lignes,
        });
    }
}

/// Escapes user text for Markdown, only where Markdown would read it as syntax: `\`, `` ` ``,
/// `*`, `[`, `]`, a `(` right after `]`, `<`, `>`, `|` (table cells), `~`, an `_` at a word boundary (an `_` inside a word
/// is text in CommonMark), an `&` that would start an entity, and what would open a block at
/// the start of a line (`#`, `>`, `-`, `+`, `=`, `1.`). Line breaks become spaces. Hyphens,
/// dots, parentheses and quotes stay as they are: `G07-culture (DGS)` is written as such.
pub fn md(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mot = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // A link destination opens right after `]`.
            '(' if i > 0 && chars[i - 1] == ']' => {
                out.push('\\');
                out.push(c);
            }
            '_' if !(mot(i.checked_sub(1).and_then(|j| chars.get(j))) && mot(chars.get(i + 1))) => {
                out.push_str("\\_");
            }
            '&' if chars[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == '#')
                .count()
                > 0
                && chars[i + 1..]
                    .iter()
                    .find(|c| !(c.is_ascii_alphanumeric() || **c == '#'))
                    == Some(&';') =>
            {
                out.push_str("\\&");
            }
            // U+000B is how Excel stores a line break typed in a cell.
            '\n' | '\r' | '\u{b}' | '\u{c}' => out.push(' '),
            '\u{0}'..='\u{8}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    // Block openers at the start of the text (it may start a line): `#`, `>`, `-`, `+`, `=`,
    // and an ordered-list marker (`1.` or `1)` followed by a space).
    let espaces = out.len() - out.trim_start().len();
    let debut = &out[espaces..];
    if matches!(debut.chars().next(), Some('#' | '>' | '-' | '+' | '=')) {
        out.insert(espaces, '\\');
    } else {
        let chiffres = debut.chars().take_while(|c| c.is_ascii_digit()).count();
        let apres = &debut[chiffres..];
        if chiffres > 0
            && (apres.starts_with(". ") || apres.starts_with(") ") || apres == "." || apres == ")")
        {
            out.insert(espaces + chiffres, '\\');
        }
    }
    out
}

fn segments_md(segments: &[Segment]) -> String {
    let mut o = String::new();
    for (i, s) in segments.iter().enumerate() {
        match s {
            Segment::Texte(x) if i == 0 => o.push_str(&md(x)),
            // Only the first segment can open a block.
            Segment::Texte(x) => o.push_str(&md(&format!(" {x}"))[1..]),
            // Emphasis cannot end on a space in CommonMark: the spaces around a bold segment
            // (« Article 1. » followed by its text) are written outside the `**`.
            Segment::Gras(x) => {
                let e = md(x);
                let avant = &e[..e.len() - e.trim_start().len()];
                let apres = &e[e.trim_end().len()..];
                let _ = write!(o, "{avant}**{}**{apres}", e.trim());
            }
        }
    }
    o
}

/// Markdown (CommonMark with GitHub tables and task lists).
pub fn markdown(d: &Document) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# {}\n", md(&d.titre));
    for b in &d.blocs {
        match b {
            Bloc::Titre(n, x) => {
                let _ = writeln!(o, "{} {}\n", "#".repeat((*n).clamp(2, 4) as usize), md(x));
            }
            Bloc::Paragraphe(s) => {
                let _ = writeln!(o, "{}\n", segments_md(s));
            }
            Bloc::Liste(items) => {
                for i in items {
                    let _ = writeln!(o, "- {}", segments_md(i));
                }
                o.push('\n');
            }
            Bloc::Cases(items) => {
                for i in items {
                    let _ = writeln!(o, "- [ ] {}", md(i));
                }
                o.push('\n');
            }
            Bloc::Tableau {
                colonnes,
                droite,
                lignes,
            } => {
                let _ = writeln!(
                    o,
                    "| {} |",
                    colonnes
                        .iter()
                        .map(|c| md(c))
                        .collect::<Vec<_>>()
                        .join(" | ")
                );
                let _ = writeln!(
                    o,
                    "|{}|",
                    (0..colonnes.len())
                        .map(|k| if droite.get(k) == Some(&true) {
                            "--:"
                        } else {
                            "---"
                        })
                        .collect::<Vec<_>>()
                        .join("|")
                );
                for l in lignes {
                    let _ = writeln!(
                        o,
                        "| {} |",
                        l.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | ")
                    );
                }
                o.push('\n');
            }
        }
    }
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}

/// Text without the control characters that XML 1.0 forbids and HTML calls parse errors (C0
/// controls other than tab, line feed and carriage return; U+FFFE, U+FFFF): the last pass of
/// every SVG, HTML and Markdown output, so that a control character pasted into a cell of an
/// input cannot make a chart, a page or a lettre malformed.
pub fn sans_controles(s: &str) -> std::borrow::Cow<'_, str> {
    let interdit = |c: char| matches!(c, '\u{0}'..='\u{8}' | '\u{b}' | '\u{c}' | '\u{e}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}');
    if s.contains(interdit) {
        // A line break stored in a cell (U+000B, U+000C) stays a space between words.
        std::borrow::Cow::Owned(
            s.chars()
                .filter_map(|c| match c {
                    '\u{b}' | '\u{c}' => Some(' '),
                    c if interdit(c) => None,
                    c => Some(c),
                })
                .collect(),
        )
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// Text as it may stand in an XML 1.0 document (`word/document.xml`): line breaks become
/// spaces, and the characters XML 1.0 forbids (C0 controls other than tab, U+FFFE, U+FFFF) are
/// dropped. A Shift+Enter or a vertical tab pasted from Word into an Excel cell (U+000B) would
/// otherwise make Word refuse the whole lettre.
pub fn texte_xml(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            // U+000B is how Excel stores a line break typed in a cell (Shift+Enter from Word).
            '\n' | '\r' | '\u{b}' | '\u{c}' => Some(' '),
            '\t' => Some(c),
            '\u{0}'..='\u{1f}' | '\u{fffe}' | '\u{ffff}' => None,
            c => Some(c),
        })
        .collect()
}

/// Why a Word document could not be produced.
#[derive(Debug, thiserror::Error)]
#[error("document Word impossible à produire : {0}")]
pub struct DocxError(String);

/// Word (`.docx`): headings with Word's built-in heading styles (so that the navigation pane and
/// a table of contents work), bold runs, bulleted items, bordered tables with a bold header row.
/// Fixed document properties and zip timestamps: the same document gives the same bytes.
pub fn docx(d: &Document) -> Result<Vec<u8>, DocxError> {
    use docx_rs::{
        AlignmentType, Docx, Paragraph, Run, RunFonts, Style, StyleType, Table, TableCell,
        TableRow, WidthType,
    };
    let police = RunFonts::new()
        .ascii("Liberation Sans")
        .hi_ansi("Liberation Sans")
        .cs("Liberation Sans");
    let mut doc = Docx::new()
        .default_fonts(police)
        .default_size(22)
        .created_at("2026-01-01T00:00:00Z")
        .updated_at("2026-01-01T00:00:00Z")
        .add_style(
            Style::new("Heading1", StyleType::Paragraph)
                .name("Heading 1")
                .size(32)
                .bold()
                .outline_lvl(0),
        )
        .add_style(
            Style::new("Heading2", StyleType::Paragraph)
                .name("Heading 2")
                .size(28)
                .bold()
                .outline_lvl(1),
        )
        .add_style(
            Style::new("Heading3", StyleType::Paragraph)
                .name("Heading 3")
                .size(24)
                .bold()
                .outline_lvl(2),
        );
    let runs = |p: Paragraph, segments: &[Segment]| {
        segments.iter().fold(p, |p, s| match s {
            Segment::Texte(x) => p.add_run(Run::new().add_text(texte_xml(x))),
            Segment::Gras(x) => p.add_run(Run::new().add_text(texte_xml(x)).bold()),
        })
    };
    doc = doc.add_paragraph(
        Paragraph::new()
            .style("Heading1")
            .add_run(Run::new().add_text(texte_xml(&d.titre))),
    );
    for b in &d.blocs {
        match b {
            Bloc::Titre(n, x) => {
                let style = if *n <= 2 { "Heading2" } else { "Heading3" };
                doc = doc.add_paragraph(
                    Paragraph::new()
                        .style(style)
                        .add_run(Run::new().add_text(texte_xml(x))),
                );
            }
            Bloc::Paragraphe(s) => doc = doc.add_paragraph(runs(Paragraph::new(), s)),
            Bloc::Liste(items) => {
                for i in items {
                    let p = Paragraph::new()
                        .indent(
                            Some(360),
                            Some(docx_rs::SpecialIndentType::Hanging(240)),
                            None,
                            None,
                        )
                        .add_run(Run::new().add_text("• "));
                    doc = doc.add_paragraph(runs(p, i));
                }
            }
            Bloc::Cases(items) => {
                for i in items {
                    doc = doc.add_paragraph(
                        Paragraph::new()
                            .indent(
                                Some(360),
                                Some(docx_rs::SpecialIndentType::Hanging(240)),
                                None,
                                None,
                            )
                            .add_run(Run::new().add_text(format!("☐ {}", texte_xml(i)))),
                    );
                }
            }
            Bloc::Tableau {
                colonnes,
                droite,
                lignes,
            } => {
                let cellule = |texte: &str, gras: bool, k: usize| {
                    let mut r = Run::new().add_text(texte_xml(texte)).size(18);
                    if gras {
                        r = r.bold();
                    }
                    let mut p = Paragraph::new().add_run(r);
                    if droite.get(k) == Some(&true) {
                        p = p.align(AlignmentType::Right);
                    }
                    TableCell::new().add_paragraph(p)
                };
                let mut rows = vec![TableRow::new(
                    colonnes
                        .iter()
                        .enumerate()
                        .map(|(k, c)| cellule(c, true, k))
                        .collect(),
                )];
                for l in lignes {
                    rows.push(TableRow::new(
                        l.iter()
                            .enumerate()
                            .map(|(k, c)| cellule(c, false, k))
                            .collect(),
                    ));
                }
                doc = doc.add_table(Table::new(rows).width(5000, WidthType::Pct));
                doc = doc.add_paragraph(Paragraph::new());
            }
        }
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| DocxError(e.to_string()))?;
    Ok(buf.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_only_what_markdown_reads() {
        assert_eq!(md("G07-culture (DGS)"), "G07-culture (DGS)");
        assert_eq!(md("ville_pour_toutes"), "ville_pour_toutes");
        assert_eq!(
            md("Saint-Aubin-d'Orbe : 1ère adjointe."),
            "Saint-Aubin-d'Orbe : 1ère adjointe."
        );
        assert_eq!(
            md("[clic](javascript:alert(1))"),
            "\\[clic\\]\\(javascript:alert(1))"
        );
        assert_eq!(
            md("<img src=x onerror=alert(1)>"),
            "\\<img src=x onerror=alert(1)\\>"
        );
        assert_eq!(md("a | b"), "a \\| b");
        assert_eq!(md("*gras* et _souligné_"), "\\*gras\\* et \\_souligné\\_");
        assert_eq!(md("AT&amp; T&T"), "AT\\&amp; T&T");
        assert_eq!(md("# titre"), "\\# titre");
        assert_eq!(md("- tiret"), "\\- tiret");
        assert_eq!(md("1. premier"), "1\\. premier");
        assert_eq!(md("a\n# titre"), "a # titre");
    }

    #[test]
    fn a_bold_label_keeps_the_space_before_its_text() {
        let mut d = Document::new("Arrêté");
        d.paragraphe(vec![g("Article 1. "), t("Le montant")]);
        assert!(
            markdown(&d).contains("**Article 1.** Le montant"),
            "{}",
            markdown(&d)
        );
    }

    #[test]
    fn markdown_renders_as_inert_html() {
        let mut d = Document::new("Lettre <b>x</b>");
        d.paragraphe(vec![g("[a](javascript:x)"), t(" suite")]);
        d.tableau(
            &["nœud", "ETP"],
            &[false, true],
            vec![vec!["G07-culture|x".into(), "12,5".into()]],
        );
        let m = markdown(&d);
        let mut html = String::new();
        let opts = pulldown_cmark::Options::ENABLE_TABLES;
        pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(&m, opts));
        assert!(!html.contains("<b>"), "{html}");
        assert!(!html.contains("href"), "{html}");
        assert!(html.contains("<td>G07-culture|x</td>"), "{html}");
        assert!(
            html.contains("<td style=\"text-align: right\">12,5</td>"),
            "{html}"
        );
    }

    #[test]
    fn docx_text_holds_no_character_xml_forbids() {
        // A Shift+Enter from Word pasted into a cell (U+000B) and other C0 controls, everywhere
        // user text goes.
        let sale = "Élise\u{b}Roux\u{1}\u{c}\u{ffff}";
        let mut d = Document::new(sale);
        d.titre(2, sale);
        d.paragraphe(vec![t(sale), g(sale)]);
        d.liste(vec![vec![t(sale)]]);
        d.blocs.push(Bloc::Cases(vec![sale.into()]));
        d.tableau(&[sale], &[false], vec![vec![sale.into()]]);
        let a = docx(&d).expect("docx");
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(a)).expect("zip");
        let mut texte = String::new();
        std::io::Read::read_to_string(
            &mut z.by_name("word/document.xml").expect("document.xml"),
            &mut texte,
        )
        .expect("utf-8");
        assert!(texte.contains("Élise Roux"), "a line break becomes a space");
        assert!(!texte.contains(['\u{1}', '\u{b}', '\u{c}', '\u{ffff}']));
        assert_eq!(texte_xml("a\tb\nc\u{0}"), "a\tb c");
        assert_eq!(sans_controles("a\tb\nc\u{0}\u{1b}\u{b}d"), "a\tb\nc d");
        assert!(matches!(
            sans_controles("propre"),
            std::borrow::Cow::Borrowed(_)
        ));
        let m = markdown(&d);
        assert!(
            !m.contains(['\u{1}', '\u{b}', '\u{c}', '\u{ffff}']),
            "{m:?}"
        );
    }

    #[test]
    fn docx_is_a_deterministic_word_package() {
        let mut d = Document::new("Lettre de mission — Élise");
        d.titre(2, "Périmètre");
        d.liste(vec![vec![g("DIR-CAB"), t(" — Cabinet")]]);
        d.tableau(
            &["a", "b"],
            &[false, true],
            vec![vec!["x & <y>".into(), "1".into()]],
        );
        let a = docx(&d).expect("docx");
        let b = docx(&d).expect("docx");
        assert_eq!(a, b);
        assert!(a.starts_with(b"PK"));
        let texte = String::from_utf8_lossy(&a);
        assert!(texte.contains("word/document.xml"));
        assert!(texte.contains("[Content_Types].xml"));
        // Stored entries: the XML is readable in the package, escaped.
        assert!(texte.contains("x &amp; &lt;y&gt;"));
        assert!(texte.contains("Lettre de mission — Élise"));
    }
}
