//! Renderers of `collegia analyser`: an [`Analyse`] in, text out (nothing printed or written).
//!
//! - [`table`]: the French summary read by the DGS and the élu·es: counts by code and severity,
//!   details grouped by severity, then the balance tables;
//! - [`csv()`]: one finding per row, `;`-separated, decimal comma, for a spreadsheet;
//! - [`json`]: the whole analysis (findings and metrics), pretty-printed.
//!
//! Every output is deterministic: findings and rows are sorted, numbers have fixed precision.

use super::format::{decimal_court, euros, nombre, pluriel, pourcent};
use crate::analyse::{Analyse, Code, Finding, Gravite, Porteur};
use std::fmt::Write;

/// Lays out a table: two-space indent, columns padded by character count, numbers right-aligned.
fn tableau(entetes: &[&str], droite: &[bool], lignes: &[Vec<String>]) -> String {
    let n = entetes.len();
    let mut larg: Vec<usize> = entetes.iter().map(|h| h.chars().count()).collect();
    for l in lignes {
        for (i, c) in l.iter().enumerate().take(n) {
            larg[i] = larg[i].max(c.chars().count());
        }
    }
    let mut o = String::new();
    let ligne = |o: &mut String, cells: &[String]| {
        let mut s = String::from("  ");
        for (i, c) in cells.iter().enumerate().take(n) {
            let pad = larg[i] - c.chars().count();
            if i > 0 {
                s.push_str("  ");
            }
            if droite.get(i).copied().unwrap_or(false) {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < n {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        let _ = writeln!(o, "{}", s.trim_end());
    };
    let h: Vec<String> = entetes.iter().map(|x| (*x).to_string()).collect();
    ligne(&mut o, &h);
    let sep: Vec<String> = larg.iter().map(|&w| "─".repeat(w)).collect();
    ligne(&mut o, &sep);
    for l in lignes {
        ligne(&mut o, l);
    }
    o
}

fn titre_gravite(g: Gravite, k: usize) -> String {
    match g {
        Gravite::Erreur => format!("Erreurs ({k})"),
        Gravite::Alerte => format!("Alertes ({k})"),
        Gravite::Info => format!("Pour information ({k})"),
    }
}

fn titre_code(code: &str) -> &'static str {
    const CODES: [Code; 14] = [
        Code::D001,
        Code::D002,
        Code::D003,
        Code::D004,
        Code::D005,
        Code::D006,
        Code::D007,
        Code::D008,
        Code::D009,
        Code::D010,
        Code::D011,
        Code::D012,
        Code::D013,
        Code::D014,
    ];
    CODES
        .iter()
        .find(|c| c.as_str() == code)
        .map(|c| c.titre())
        .unwrap_or_else(|| titre_legal(code))
}

/// Title of a legal finding: the law module's codes `L0xx` are rules, `L1xx` open legal points.
fn titre_legal(code: &str) -> &'static str {
    match code {
        "L001" => "effectif du conseil",
        "L002" => "trop d'adjoint·es (30 %)",
        "L003" => "adjoint·es de quartier",
        "L004" => "alternance F/H des adjoint·es",
        "L005" => "maire délégué·e compté·e dans les 30 %",
        "L006" => "rang d'adjoint·e manquant ou en double",
        "L007" => "taux voté au-dessus d'un plafond",
        "L008" => "enveloppe indemnitaire dépassée",
        "L009" => "plafond des maires délégué·es (L2113-19)",
        "L010" => "écrêtement",
        "L011" => "maire délégué·e sans commune déléguée",
        "L012" => "pas exactement un·e maire",
        "L013" => "maire délégué·e hors commune nouvelle",
        "L014" => "maire sous le barème",
        "L015" => "règle légale non applicable",
        "L016" => "indemnité sans délégation effective",
        c if c.starts_with("L1") => "point de droit à confirmer",
        _ => "règle légale",
    }
}

fn sujets(f: &Finding) -> String {
    let mut parts = Vec::new();
    if !f.sujets.noeuds.is_empty() {
        parts.push(format!("nœuds {}", f.sujets.noeuds.join(", ")));
    }
    if !f.sujets.elus.is_empty() {
        parts.push(format!("élu·es {}", f.sujets.elus.join(", ")));
    }
    if !f.sujets.groupes.is_empty() {
        parts.push(format!("groupes {}", f.sujets.groupes.join(", ")));
    }
    parts.join(" ; ")
}

fn etp(v: f64) -> String {
    nombre(v, 1)
}

/// A share in %, one fixed decimal so that columns line up.
fn part(v: f64) -> String {
    format!("{}{}%", nombre(v, 1), super::format::NNBSP)
}

fn porteur(p: &Porteur) -> String {
    match p {
        Porteur::Groupe(g) => g.clone(),
        Porteur::Elu(e) => format!("{e} (sans groupe)"),
    }
}

/// The French summary (`--format table`).
pub fn table(a: &Analyse) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "Analyse du scénario « {} »", a.scenario);
    let comptes: Vec<String> = [
        (Gravite::Erreur, "erreur", "erreurs"),
        (Gravite::Alerte, "alerte", "alertes"),
        (Gravite::Info, "info", "infos"),
    ]
    .iter()
    .map(|&(g, s, p)| pluriel(a.nombre(g), s, p))
    .collect();
    let _ = writeln!(
        o,
        "  {} : {}",
        pluriel(a.constats.len(), "constat", "constats"),
        comptes.join(", ")
    );
    if let Some((estime, total)) = a.effectif_estime {
        let part = if total > 0.0 {
            100.0 * estime / total
        } else {
            0.0
        };
        let _ = writeln!(
            o,
            "  Effectifs : {} ETP, dont {} ETP estimés ({} %) : les constats qui en dépendent le disent.",
            crate::report::format::decimal_court(total, 1),
            crate::report::format::decimal_court(estime, 1),
            crate::report::format::decimal_court(part, 1)
        );
    }
    if a.constats.is_empty() {
        let _ = writeln!(o, "  Aucun constat : le plan est cohérent avec le pacte.");
    } else {
        let _ = writeln!(o);
        let _ = writeln!(o, "Constats par code");
        let mut lignes: Vec<Vec<String>> = Vec::new();
        for f in &a.constats {
            match lignes.last_mut() {
                Some(l) if l[0] == f.code => {
                    let k: usize = l[2].parse().unwrap_or(0);
                    l[2] = (k + 1).to_string();
                }
                _ => lignes.push(vec![
                    f.code.clone(),
                    f.gravite.libelle().to_string(),
                    "1".into(),
                    titre_code(&f.code).to_string(),
                ]),
            }
        }
        o.push_str(&tableau(
            &["code", "gravité", "nombre", "intitulé"],
            &[false, false, true, false],
            &lignes,
        ));
    }
    for g in Gravite::ALL {
        let fs: Vec<&Finding> = a.constats.iter().filter(|f| f.gravite == g).collect();
        if fs.is_empty() {
            continue;
        }
        let _ = writeln!(o);
        let _ = writeln!(o, "{}", titre_gravite(g, fs.len()));
        for f in fs {
            let _ = writeln!(o, "  [{}] {}", f.code, f.message);
            let _ = writeln!(o, "         Sujets : {}", sujets(f));
            let _ = writeln!(o, "         Règle : {}", f.regle);
            let _ = writeln!(o, "         Suggestion : {}", f.suggestion);
        }
    }
    equilibre(a, &mut o);
    domaines(a, &mut o);
    o
}

/// The domains of every direction and service (`docs/domaines.md`).
fn domaines(a: &Analyse, o: &mut String) {
    if a.domaines.is_empty() {
        return;
    }
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "Domaines des directions et services (docs/domaines.md ; « inféré » : déduit du libellé ou du nœud parent, « déclaré » : colonne domaine)"
    );
    let lignes: Vec<Vec<String>> = a
        .domaines
        .iter()
        .map(|x| {
            vec![
                x.noeud.clone(),
                x.libelle.clone(),
                if x.domaines.is_empty() {
                    "aucun".to_string()
                } else {
                    x.domaines.join(", ")
                },
                x.origine.clone(),
            ]
        })
        .collect();
    o.push_str(&tableau(
        &["nœud", "libellé", "domaines", "origine"],
        &[false, false, false, false],
        &lignes,
    ));
}

fn equilibre(a: &Analyse, o: &mut String) {
    let m = &a.metriques;
    let _ = writeln!(o);
    let _ = writeln!(o, "Équilibre des responsabilités");
    let _ = writeln!(
        o,
        "  Effectif : {} ETP, dont {} ETP ({}) rattachés à un·e pilote ; budget {} ; indice de Gini de l'effectif entre groupes : {}",
        etp(m.effectif_total),
        etp(m.effectif_attribue),
        pourcent(if m.effectif_total > 0.0 {
            (1000.0 * m.effectif_attribue / m.effectif_total).round() / 10.0
        } else {
            0.0
        }),
        euros(m.budget_total),
        nombre(m.gini_groupes, 2)
    );
    let _ = writeln!(o);
    let _ = writeln!(o, "Charge par porteur (groupe, ou élu·e sans groupe)");
    let lignes: Vec<Vec<String>> = m
        .porteurs
        .iter()
        .map(|c| {
            vec![
                porteur(&c.porteur),
                c.membres.join(", "),
                etp(c.effectif),
                part(c.part_effectif),
                euros(c.budget),
                c.services.to_string(),
                c.poles.join(", "),
            ]
        })
        .collect();
    o.push_str(&tableau(
        &[
            "porteur", "membres", "ETP", "part", "budget", "services", "pôles",
        ],
        &[false, false, true, true, true, true, false],
        &lignes,
    ));
    let _ = writeln!(o);
    let _ = writeln!(o, "Effectif piloté par pôle et par porteur (ETP)");
    let mut entetes: Vec<&str> = vec!["porteur"];
    entetes.extend(m.poles.iter().map(String::as_str));
    entetes.push("hors pôle");
    let mut droite = vec![false];
    droite.extend(std::iter::repeat_n(true, m.poles.len() + 1));
    let lignes: Vec<Vec<String>> = m
        .porteurs
        .iter()
        .map(|c| {
            let mut l = vec![porteur(&c.porteur)];
            for p in m.poles.iter().map(|p| Some(p.as_str())).chain([None]) {
                let v = m.effectif_pole(p, &c.porteur);
                l.push(if v > 0.0 { etp(v) } else { "·".into() });
            }
            l
        })
        .collect();
    o.push_str(&tableau(&entetes, &droite, &lignes));
    let _ = writeln!(o);
    let _ = writeln!(o, "Responsabilités par élu·e de la majorité");
    let lignes: Vec<Vec<String>> = m
        .elus
        .iter()
        .filter(|e| e.liste == crate::model::Liste::Majorite)
        .map(|e| {
            let mut role = Vec::new();
            if e.chef_de_file {
                role.push("anime son groupe".to_string());
            }
            if let Some(x) = &e.axe {
                role.push(format!("axe {x}"));
            }
            if let Some(q) = &e.quartier {
                role.push(format!("quartier {q}"));
            }
            if let Some(c) = &e.commune_deleguee {
                role.push(format!("commune déléguée {c}"));
            }
            vec![
                e.id.clone(),
                e.nom.clone(),
                e.fonction.libelle().to_string(),
                e.groupe.clone().unwrap_or_else(|| "—".into()),
                etp(e.effectif_pilote),
                euros(e.budget_pilote),
                etp(e.effectif_appui),
                e.services.to_string(),
                format!("{}/{}", e.delegations_pilote, e.delegations_appui),
                role.join(", "),
            ]
        })
        .collect();
    o.push_str(&tableau(
        &[
            "id",
            "nom",
            "fonction",
            "groupe",
            "ETP piloté",
            "budget piloté",
            "ETP en appui",
            "services",
            "pilote/appui",
            "rôle",
        ],
        &[
            false, false, false, false, true, true, true, true, true, false,
        ],
        &lignes,
    ));
    for (titre, rows) in [
        ("Par sexe (majorité)", &m.par_sexe),
        ("Par composante de la majorité", &m.par_composante),
    ] {
        let _ = writeln!(o);
        let _ = writeln!(o, "{titre}");
        let lignes: Vec<Vec<String>> = rows
            .iter()
            .map(|c| {
                vec![
                    c.categorie.clone(),
                    c.elus.to_string(),
                    c.avec_delegation.to_string(),
                    c.adjoints.to_string(),
                    c.conseillers_delegues.to_string(),
                    etp(c.effectif_pilote),
                    part(c.part_effectif),
                    euros(c.budget_pilote),
                ]
            })
            .collect();
        o.push_str(&tableau(
            &[
                "",
                "élu·es",
                "avec délégation",
                "adjoint·es",
                "conseiller·es délégué·es",
                "ETP piloté",
                "part",
                "budget piloté",
            ],
            &[false, true, true, true, true, true, true, true],
            &lignes,
        ));
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "Axes transversaux");
    let lignes: Vec<Vec<String>> = m
        .axes
        .iter()
        .map(|x| {
            vec![
                x.axe.clone(),
                if x.elus.is_empty() {
                    "—".into()
                } else {
                    x.elus.join(", ")
                },
                format!(
                    "{}/{}",
                    x.poles_etiquetes.len() - x.poles_non_atteints.len(),
                    x.poles_etiquetes.len()
                ),
                format!(
                    "{}/{}",
                    x.directions_etiquetees.len() - x.directions_non_atteintes.len(),
                    x.directions_etiquetees.len()
                ),
                x.directions_non_atteintes.join(", "),
            ]
        })
        .collect();
    o.push_str(&tableau(
        &[
            "axe",
            "élu·es",
            "pôles atteints",
            "directions atteintes",
            "directions étiquetées non atteintes",
        ],
        &[false, false, true, true, false],
        &lignes,
    ));
}

/// One finding per row, in the one CSV configuration (BOM, `;`, CRLF, neutralised text), lists
/// joined by `|`, decimal comma (`--format csv`).
pub fn csv(a: &Analyse) -> String {
    // UTF-8 BOM first, for a French Excel.
    let mut w = crate::report::csv_francais::EcrivainCsv::new();
    w.ligne([
        "code",
        "gravite",
        "famille",
        "noeuds",
        "elus",
        "groupes",
        "effectif",
        "message",
        "regle",
        "suggestion",
    ]);
    for f in &a.constats {
        let famille = serde_json::to_value(f.famille)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let cells = [
            f.code.clone(),
            f.gravite.libelle().to_string(),
            famille,
            f.sujets.noeuds.join("|"),
            f.sujets.elus.join("|"),
            f.sujets.groupes.join("|"),
            f.effectif
                .map(|v| decimal_court(v, 2).replace(crate::report::format::NNBSP, ""))
                .unwrap_or_default(),
            f.message.clone(),
            f.regle.clone(),
            f.suggestion.clone(),
        ];
        w.ligne(cells);
    }
    w.texte()
}

/// The whole analysis as pretty JSON (`--format json`).
pub fn json(a: &Analyse) -> serde_json::Result<String> {
    serde_json::to_string_pretty(a).map(|mut s| {
        s.push('\n');
        s
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_pads_by_characters() {
        let t = tableau(
            &["nœud", "n"],
            &[false, true],
            &[vec!["é".into(), "12".into()]],
        );
        assert_eq!(t, "  nœud   n\n  ────  ──\n  é     12\n");
    }
}
