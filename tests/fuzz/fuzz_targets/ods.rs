//! Fuzz target: `.ods` workbooks. Any panic is a bug, and so is memory beyond the limits of
//! `ingest::classeur` (run with `-rss_limit_mb=200`): repeated rows and columns, runs of
//! spaces and formulas must give a coded error (E001, E045–E054) before calamine expands them.
//!
//! Input: bytes starting with `PK` are the whole archive; anything else is the `content.xml`
//! of a valid archive, so that the mutations reach the sheet reader.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Write;
use std::path::Path;

const MANIFEST: &str = r#"<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>"#;

fn archive(contenu: &[u8]) -> Option<Vec<u8>> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stocke = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored);
    let mut membre = |nom: &str, c: &[u8]| -> Option<()> {
        z.start_file(nom, stocke).ok()?;
        z.write_all(c).ok()
    };
    membre("mimetype", b"application/vnd.oasis.opendocument.spreadsheet")?;
    membre("META-INF/manifest.xml", MANIFEST.as_bytes())?;
    membre("content.xml", contenu)?;
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
    let _ = collegia::ingest::classeur::charger_octets(Path::new("f.ods"), octets);
});
