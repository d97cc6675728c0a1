//! Helpers shared by the integration tests.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

/// The `collegia` binary under test.
pub fn collegia() -> Command {
    Command::cargo_bin("collegia").expect("binary built")
}

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, by relative path (with `/`), with its bytes.
pub fn contenu(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("dir").filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .expect("prefix")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    out
}

/// Rows of a `;` CSV (with or without its UTF-8 BOM) as maps column → value.
pub fn lignes_csv(octets: &[u8]) -> Vec<BTreeMap<String, String>> {
    let octets = octets.strip_prefix("\u{feff}".as_bytes()).unwrap_or(octets);
    let mut r = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(octets);
    let entete: Vec<String> = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    r.records()
        .map(|l| {
            let l = l.expect("row");
            entete
                .iter()
                .cloned()
                .zip(l.iter().map(str::to_string))
                .collect()
        })
        .collect()
}
