//! Fuzz target: `.xlsx` workbooks. Any panic is a bug, and so is memory beyond the limits of
//! `ingest::classeur` (run with `-rss_limit_mb=200`): a hostile workbook must give a coded
//! error (E001, E045–E054) while it streams.
//!
//! Input: bytes starting with `PK` are the whole archive (the zip reader and the decompression
//! bounds). Anything else is split on the first two 0xFF bytes into the XML of the sheet
//! `organigramme`, of the shared strings and of the styles, placed in a valid archive, so that
//! the mutations reach the cell reader rather than the zip parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::path::Path;

const WORKBOOK: &str = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="organigramme" sheetId="1" r:id="rId1"/><sheet name="élu·es" sheetId="2" r:id="rId1"/><sheet name="délégations" sheetId="3" r:id="rId1"/><sheet name="paramètres" sheetId="4" r:id="rId1"/></sheets></workbook>"#;
const RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

fn archive(data: &[u8]) -> Option<Vec<u8>> {
    let mut parts = data.splitn(3, |&b| b == 0xFF);
    let feuille = parts.next().unwrap_or_default();
    let chaines = parts.next();
    let styles = parts.next();
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stocke = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    let mut membre = |nom: &str, contenu: &[u8]| -> Option<()> {
        z.start_file(nom, stocke).ok()?;
        z.write_all(contenu).ok()
    };
    membre("xl/workbook.xml", WORKBOOK.as_bytes())?;
    membre("xl/_rels/workbook.xml.rels", RELS.as_bytes())?;
    membre("xl/worksheets/sheet1.xml", feuille)?;
    if let Some(c) = chaines {
        membre("xl/sharedStrings.xml", c)?;
    }
    if let Some(s) = styles {
        membre("xl/styles.xml", s)?;
    }
    Some(z.finish().ok()?.into_inner())
}

fuzz_target!(|data: &[u8]| {
    let octets = if data.starts_with(b"PK") {
        data.to_vec()
    } else {
        match archive(data) {
            Some(o) => o,
            None => return,
        }
    };
    let _ = collegia::ingest::classeur::charger_octets(Path::new("f.xlsx"), octets);
});
