//! Bad input never panics: arbitrary bytes and arbitrary mutations of valid files give `Ok` or
//! coded French diagnostics (issue « fiabilité »).

use collegia::ingest::{
    Source, build_params, parse_delegations, parse_elus, parse_organigramme, parse_toml,
};
use collegia::model::{Axe, DEFAULT_AXES};
use proptest::prelude::*;
use std::path::PathBuf;

fn axes() -> Vec<Axe> {
    DEFAULT_AXES
        .iter()
        .map(|(i, l)| Axe {
            id: i.to_string(),
            libelle: l.to_string(),
        })
        .collect()
}

fn fixture(f: &str) -> String {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/minimal")
        .join(f);
    std::fs::read_to_string(p).expect("fixture")
}

/// Loads the three CSV files in memory; every error must carry a code, a file and a message.
fn charge_tout(org: &[u8], elus: &[u8], dels: &[u8]) {
    let ax = axes();
    let o = parse_organigramme(
        &Source {
            nom: "o.csv".into(),
            octets: org.to_vec(),
        },
        &ax,
    );
    let e = parse_elus(
        &Source {
            nom: "e.csv".into(),
            octets: elus.to_vec(),
        },
        &ax,
        &[],
    );
    for r in [o.as_ref().err(), e.as_ref().err()].into_iter().flatten() {
        for d in r {
            assert!(!d.message.is_empty() && !d.fichier.is_empty());
        }
    }
    if let (Ok(o), Ok(e)) = (o, e) {
        let _ = parse_delegations(
            &Source {
                nom: "d.csv".into(),
                octets: dels.to_vec(),
            },
            &e,
            &o,
        );
    }
}

/// A cell-level mutation of a valid CSV text.
#[derive(Debug, Clone)]
enum Mutation {
    SwapColumns(usize, usize),
    DeleteCell(usize, usize),
    DuplicateRow(usize),
    ReplaceCell(usize, usize, String),
    Windows1252,
    Bom,
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let cell = prop_oneof![
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just("-1e308".to_string()),
        Just("1e400".to_string()),
        Just("99999999999999999999999".to_string()),
        Just(String::new()),
        Just("\"".to_string()),
        Just("DGS".to_string()),
        Just("x".repeat(10_000)),
        "\\PC{0,20}",
    ];
    prop_oneof![
        (0usize..12, 0usize..12).prop_map(|(a, b)| Mutation::SwapColumns(a, b)),
        (0usize..12, 0usize..14).prop_map(|(r, c)| Mutation::DeleteCell(r, c)),
        (0usize..12).prop_map(Mutation::DuplicateRow),
        (0usize..12, 0usize..14, cell).prop_map(|(r, c, v)| Mutation::ReplaceCell(r, c, v)),
        Just(Mutation::Windows1252),
        Just(Mutation::Bom),
        (0usize..2000).prop_map(Mutation::Truncate),
    ]
}

fn apply(text: &str, muts: &[Mutation]) -> Vec<u8> {
    let mut rows: Vec<Vec<String>> = text
        .lines()
        .map(|l| l.split(';').map(str::to_string).collect())
        .collect();
    let mut bom = false;
    let mut win = false;
    let mut trunc = None;
    for m in muts {
        let n = rows.len().max(1);
        match m {
            Mutation::SwapColumns(a, b) => {
                for r in &mut rows {
                    if *a < r.len() && *b < r.len() {
                        r.swap(*a, *b);
                    }
                }
            }
            Mutation::DeleteCell(r, c) => {
                if let Some(row) = rows.get_mut(r % n)
                    && *c < row.len()
                {
                    row.remove(*c);
                }
            }
            Mutation::DuplicateRow(r) => {
                if let Some(row) = rows.get(r % n).cloned() {
                    rows.push(row);
                }
            }
            Mutation::ReplaceCell(r, c, v) => {
                if let Some(row) = rows.get_mut(r % n)
                    && *c < row.len()
                {
                    row[*c] = v.clone();
                }
            }
            Mutation::Windows1252 => win = true,
            Mutation::Bom => bom = true,
            Mutation::Truncate(k) => trunc = Some(*k),
        }
    }
    let s = rows
        .iter()
        .map(|r| r.join(";"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut b = if win {
        encoding_rs::WINDOWS_1252.encode(&s).0.into_owned()
    } else {
        s.into_bytes()
    };
    if let Some(k) = trunc {
        b.truncate(k.min(b.len()));
    }
    if bom {
        let mut v = b"\xEF\xBB\xBF".to_vec();
        v.extend(b);
        b = v;
    }
    b
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(org in proptest::collection::vec(any::<u8>(), 0..600),
                                   elus in proptest::collection::vec(any::<u8>(), 0..600),
                                   dels in proptest::collection::vec(any::<u8>(), 0..300)) {
        charge_tout(&org, &elus, &dels);
    }

    #[test]
    fn mutated_valid_files_never_panic(mo in proptest::collection::vec(mutation(), 0..5),
                                        me in proptest::collection::vec(mutation(), 0..5),
                                        md in proptest::collection::vec(mutation(), 0..5)) {
        let org = apply(&fixture("organigramme.csv"), &mo);
        let elus = apply(&fixture("elus.csv"), &me);
        let dels = apply(&fixture("delegations.csv"), &md);
        charge_tout(&org, &elus, &dels);
    }

    #[test]
    fn arbitrary_toml_never_panics(text in "\\PC{0,300}") {
        if let Ok(table) = parse_toml("s.toml", &text) {
            let chain = vec![collegia::ingest::TomlFile { dossier: PathBuf::from("x"), nom: "s.toml".into(), texte: text.clone(), table }];
            let _ = build_params(&chain, "x");
        }
    }

    #[test]
    fn mutated_scenario_toml_never_panics(key in prop::sample::select(vec!["date", "population_totale", "population_municipale", "effectif_conseil", "commune_nouvelle", "majorations", "axes", "taux_sinistre", "indemnites.alpha", "groupes.taille_min", "communes_deleguees"]),
                                          value in prop_oneof![Just("nan".to_string()), Just("inf".to_string()), Just("-1".to_string()), Just("1e308".to_string()), Just("99999999999999".to_string()), Just("\"\"".to_string()), Just("[]".to_string()), Just("[1, \"a\"]".to_string()), Just("{ a = 1 }".to_string()), Just("2026-13-45".to_string()), Just("true".to_string())]) {
        let (section, k) = match key.split_once('.') { Some((s, k)) => (Some(s), k), None => (None, key) };
        let mut text = String::from("date = \"2026-04-01\"\npopulation_totale = 1000\n");
        match section {
            None => text = format!("{k} = {value}\n{text}"),
            Some(s) => text.push_str(&format!("[{s}]\n{k} = {value}\n")),
        }
        if let Ok(table) = parse_toml("s.toml", &text) {
            let chain = vec![collegia::ingest::TomlFile { dossier: PathBuf::from("x"), nom: "s.toml".into(), texte: text.clone(), table }];
            let _ = build_params(&chain, "x");
        }
    }
}

/// A tree as deep as the limit, and cycles through secondary links, load without stack overflow.
#[test]
fn deep_trees_and_secondary_cycles_are_handled() {
    let mut t = String::from("id;libelle;parent;rattachements_secondaires\nn0;n0;;\n");
    for i in 1..=5000 {
        t.push_str(&format!("n{i};n{i};n{};n{}\n", i - 1, (i + 1) % 5000));
    }
    let r = parse_organigramme(&Source::texte("o.csv", &t), &axes());
    let d = r.expect_err("too deep");
    assert_eq!(d[0].code, collegia::ingest::Code::E021);
    let mut t =
        String::from("id;libelle;parent;rattachements_secondaires\nr;r;;a\na;a;r;b\nb;b;r;a\n");
    t.push_str("c;c;b;r\n");
    assert!(parse_organigramme(&Source::texte("o.csv", &t), &axes()).is_ok());
}
