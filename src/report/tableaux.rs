//! Tables as plain data, rendered three ways from one definition: CSV (`;`, decimal comma,
//! neutralised against formula injection), XLSX (numbers as numbers, French formats) and HTML.
//!
//! Defining each table once keeps the CSV files, the workbook and the HTML report in agreement.

use maud::{Markup, html};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cellule {
    /// Text (user values included: neutralised in CSV, escaped in HTML).
    Texte(String),
    /// A number with a fixed number of decimals.
    Nombre(f64, usize),
    /// An amount in euros (2 decimals).
    Euros(f64),
    /// A percentage, given as the number of % (33,5 for 33,5 %): 2 decimals in CSV and HTML,
    /// the fraction 0,335 with a percentage format in the workbook.
    Pourcent(f64),
    /// Nothing.
    Vide,
}

impl Cellule {
    /// A text cell.
    pub fn t(s: impl Into<String>) -> Cellule {
        Cellule::Texte(s.into())
    }

    /// A text cell, or empty.
    pub fn opt(s: Option<impl Into<String>>) -> Cellule {
        s.map(|s| Cellule::Texte(s.into())).unwrap_or(Cellule::Vide)
    }
}

/// A table: a name (file stem and sheet name), a title, column headers, rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Tableau {
    /// File stem and sheet name (`constats`).
    pub nom: String,
    /// Title shown above the table.
    pub titre: String,
    /// Column headers.
    pub colonnes: Vec<String>,
    /// Rows.
    pub lignes: Vec<Vec<Cellule>>,
}

pub use super::csv_francais::{BOM, neutralise};
use super::csv_francais::{EcrivainCsv, nombre as csv_nombre};

impl Tableau {
    /// CSV: `;` separator, UTF-8 with BOM (so that Excel opens accents right), decimal comma,
    /// text cells neutralised.
    pub fn csv(&self) -> Vec<u8> {
        let mut w = EcrivainCsv::new();
        w.ligne(&self.colonnes);
        for l in &self.lignes {
            w.ligne(l.iter().map(|c| match c {
                Cellule::Texte(s) => s.clone(),
                Cellule::Nombre(v, d) => csv_nombre(*v, *d),
                Cellule::Euros(v) | Cellule::Pourcent(v) => csv_nombre(*v, 2),
                Cellule::Vide => String::new(),
            }));
        }
        w.octets()
    }

    /// HTML table with a caption and column headers; numbers right-aligned; folded under its
    /// title (`<details>`) beyond [`REPLIE_AU_DELA`] rows.
    pub fn html(&self) -> Markup {
        let table = self.html_deplie();
        // A long table is folded under its title: the essentials come first on screen and the
        // page stays short; the CSV and the workbook hold it whole. A printed page cannot unfold
        // it, so it is written a second time, unfolded, for print only (`.impression`, hidden
        // on screen by the page's style; `details.tableau` hidden in print).
        if self.lignes.len() > REPLIE_AU_DELA {
            html! {
                details.tableau {
                    summary { (self.titre) " (" (self.lignes.len()) " lignes)" }
                    (table)
                }
                div.impression { (table) }
            }
        } else {
            table
        }
    }

    /// [`Tableau::html`] never folded (a slide, a printed page).
    pub fn html_deplie(&self) -> Markup {
        html! {
            div.table {
                table {
                    caption { (self.titre) }
                    thead { tr { @for c in &self.colonnes { th scope="col" { (c) } } } }
                    tbody {
                        @for l in &self.lignes {
                            tr {
                                @for (k, c) in l.iter().enumerate() {
                                    @let col = self.colonnes.get(k).map(String::as_str).unwrap_or("");
                                    @match c {
                                        Cellule::Texte(s) => td data-col=(col) { (s) },
                                        Cellule::Nombre(v, d) => td.n data-col=(col) { (super::format::nombre(*v, *d)) },
                                        Cellule::Euros(v) => td.n data-col=(col) { (super::format::euros(*v)) },
                                        Cellule::Pourcent(v) => td.n data-col=(col) { (super::format::pourcent(*v)) },
                                        Cellule::Vide => td data-col=(col) {},
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Tables longer than this are folded (`<details>`) in the HTML report.
pub const REPLIE_AU_DELA: usize = 15;

/// A scenario's input sheet ([`crate::ingest::classeur::Feuille`]) as a table: the first row
/// is the header; a cell that reads back as the same text once stored as a number (`145`,
/// `33.5`, not `01` nor `33,5`) becomes a number, every other stays text.
pub fn tableau_entree(f: &crate::ingest::classeur::Feuille) -> Tableau {
    let cellule = |s: &String| match s.parse::<f64>() {
        Ok(v)
            if v.is_finite()
                && !s.starts_with('+')
                && crate::ingest::classeur::texte_nombre(v) == *s =>
        {
            let d = s.split_once('.').map_or(0, |(_, f)| f.len());
            Cellule::Nombre(v, d)
        }
        _ if s.is_empty() => Cellule::Vide,
        _ => Cellule::Texte(s.clone()),
    };
    Tableau {
        nom: f.nom.clone(),
        titre: f.nom.clone(),
        colonnes: f.lignes.first().cloned().unwrap_or_default(),
        lignes: f
            .lignes
            .iter()
            .skip(1)
            .map(|l| l.iter().map(cellule).collect())
            .collect(),
    }
}

/// The workbook of a scenario's inputs (`collegia classeur`), or of a report with its inputs
/// first: `entrees` as the sheets `organigramme`, `élu·es`, `délégations`, `paramètres`, then
/// `tableaux`. `collegia` reads it back as the scenario.
pub fn xlsx_avec_entrees(
    entrees: &[crate::ingest::classeur::Feuille],
    tableaux: &[Tableau],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut tous: Vec<Tableau> = entrees.iter().map(tableau_entree).collect();
    tous.extend(tableaux.iter().cloned());
    xlsx(&tous)
}

/// Excel sheet names: at most 31 characters, none of `[]:*?/\`.
fn nom_feuille(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect();
    if t.is_empty() { "feuille".into() } else { t }
}

/// One workbook, a sheet per table, numbers as numbers with French-displayed formats, a fixed
/// creation date so that the same tables give the same bytes.
pub fn xlsx(tableaux: &[Tableau]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let mut wb = Workbook::new();
    let date = ExcelDateTime::from_ymd(2026, 1, 1)?;
    wb.set_properties(
        &DocProperties::new()
            .set_creation_datetime(&date)
            .set_title("collegia")
            .set_comment("Généré par collegia"),
    );
    let entete = Format::new().set_bold().set_text_wrap();
    let euros = Format::new().set_num_format("#,##0.00\\ \"€\"");
    // A rate is stored as a fraction (0,5024) shown as a percentage (50,24 %): a spreadsheet
    // computes with it as a rate, and it reads as the report does.
    let pct = Format::new().set_num_format("0.00%");
    let nombres: Vec<Format> = (0..4)
        .map(|d| {
            Format::new().set_num_format(if d == 0 {
                "#,##0".to_string()
            } else {
                format!("#,##0.{}", "0".repeat(d))
            })
        })
        .collect();
    let mut noms = Vec::new();
    for t in tableaux {
        let mut nom = nom_feuille(&t.nom);
        let mut k = 2;
        while noms.contains(&nom) {
            nom = nom_feuille(&format!("{}-{k}", t.nom));
            k += 1;
        }
        noms.push(nom.clone());
        let ws = wb.add_worksheet();
        ws.set_name(&nom)?;
        for (c, titre) in t.colonnes.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, titre, &entete)?;
        }
        for (r, l) in t.lignes.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in l.iter().enumerate() {
                let c = c as u16;
                // Strings are written as string cells: a spreadsheet never evaluates them.
                match cell {
                    Cellule::Texte(s) => {
                        ws.write_string(r, c, s)?;
                    }
                    Cellule::Nombre(v, d) => {
                        ws.write_number_with_format(r, c, *v, &nombres[(*d).min(3)])?;
                    }
                    Cellule::Euros(v) => {
                        ws.write_number_with_format(r, c, *v, &euros)?;
                    }
                    Cellule::Pourcent(v) => {
                        ws.write_number_with_format(r, c, *v / 100.0, &pct)?;
                    }
                    Cellule::Vide => {}
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        // A filter on every column of every table: sort and select without retouching.
        if !t.colonnes.is_empty() {
            ws.autofilter(0, 0, t.lignes.len() as u32, (t.colonnes.len() - 1) as u16)?;
        }
        ws.set_autofit_max_width(400);
        ws.autofit();
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t() -> Tableau {
        Tableau {
            nom: "essai".into(),
            titre: "Essai".into(),
            colonnes: vec!["nom".into(), "effectif".into(), "montant".into()],
            lignes: vec![
                vec![
                    Cellule::t("=HYPERLINK(\"x\")"),
                    Cellule::Nombre(-3.5, 1),
                    Cellule::Euros(1234.5),
                ],
                vec![
                    Cellule::t("<script>alert(1)</script>"),
                    Cellule::Nombre(-0.001, 2),
                    Cellule::Vide,
                ],
                vec![
                    Cellule::t("@SUM(A1)"),
                    Cellule::Pourcent(33.333),
                    Cellule::t("+33 6"),
                ],
            ],
        }
    }

    #[test]
    fn csv_neutralises_formulas_and_keeps_numbers() {
        let s = String::from_utf8(t().csv()).expect("utf8");
        let s = s.trim_start_matches('\u{feff}');
        let lignes: Vec<&str> = s.lines().collect();
        assert_eq!(lignes[0], "nom;effectif;montant");
        assert_eq!(lignes[1], "\"'=HYPERLINK(\"\"x\"\")\";-3,5;1234,50");
        assert_eq!(lignes[2], "<script>alert(1)</script>;0,00;");
        assert_eq!(lignes[3], "'@SUM(A1);33,33;'+33 6");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("-x"), "'-x");
        assert_eq!(neutralise("ok"), "ok");
    }

    #[test]
    fn html_escapes_every_value() {
        let h = t().html().into_string();
        assert!(h.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!h.contains("<script>"));
        assert!(h.contains("<th scope=\"col\">effectif</th>"));
    }

    /// Every sheet has a filter over its table, and a rate is the fraction with a % format.
    #[test]
    fn xlsx_filters_every_table_and_stores_rates_as_fractions() {
        use calamine::{Data, Reader, Xlsx};
        let octets = xlsx(&[t()]).expect("xlsx");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(octets.clone())).expect("zip");
        let mut feuille = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet"),
            &mut feuille,
        )
        .expect("utf-8");
        assert!(feuille.contains("<autoFilter ref=\"A1:C4\""), "{feuille}");
        let mut styles = String::new();
        std::io::Read::read_to_string(
            &mut zip.by_name("xl/styles.xml").expect("styles"),
            &mut styles,
        )
        .expect("utf-8");
        assert!(styles.contains("formatCode=\"0.00%\""), "{styles}");
        let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(octets)).expect("reads");
        let r = wb.worksheet_range("essai").expect("sheet");
        match r.get_value((3, 1)) {
            Some(Data::Float(v)) => assert!((v - 0.33333).abs() < 1e-9, "{v}"),
            v => panic!("{v:?}"),
        }
    }

    #[test]
    fn xlsx_is_deterministic() {
        let a = xlsx(&[t(), t()]).expect("xlsx");
        let b = xlsx(&[t(), t()]).expect("xlsx");
        assert_eq!(a, b);
        assert!(a.starts_with(b"PK"));
        assert_eq!(nom_feuille("a/b:c[d]*?"), "a-b-c-d---");
    }
}
