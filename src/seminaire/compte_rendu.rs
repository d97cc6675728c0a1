//! The séminaire's compte rendu: the journal of changes with their effect (findings and cost
//! before and after), in Markdown, and the same as an HTML page.
//!
//! In: a [`Session`]. Out: text. No timestamps and no durations: the same séminaire gives the
//! same compte rendu byte for byte.

use super::Session;
use crate::format::euros;
use crate::optimise::indemnites::en_f64;

/// Escapes the characters Markdown would interpret in a text from the scenario.
fn texte(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The compte rendu in Markdown.
pub fn markdown(s: &Session) -> String {
    use std::fmt::Write as _;
    let base = s.base();
    let mut md = String::new();
    let _ = writeln!(md, "# Compte rendu du séminaire\n");
    let _ = writeln!(md, "Scénario : {}\n", texte(&base.params.nom));
    let journal = s.journal();
    if journal.is_empty() {
        let _ = writeln!(md, "Aucune modification n'a été faite.");
        return md;
    }
    let _ = writeln!(
        md,
        "| n° | action | erreurs | alertes | infos | coût annuel des indemnités |"
    );
    let _ = writeln!(md, "|---:|---|---|---|---|---|");
    for e in journal {
        let fl = |a: usize, b: usize| {
            if a == b {
                a.to_string()
            } else {
                format!("{a} → {b}")
            }
        };
        let cout = if e.avant.annuel_eur == e.apres.annuel_eur {
            euros(en_f64(e.apres.annuel_eur))
        } else {
            format!(
                "{} → {}",
                euros(en_f64(e.avant.annuel_eur)),
                euros(en_f64(e.apres.annuel_eur))
            )
        };
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} |",
            e.numero,
            texte(&e.description),
            fl(e.avant.nombres.erreur, e.apres.nombres.erreur),
            fl(e.avant.nombres.alerte, e.apres.nombres.alerte),
            fl(e.avant.nombres.info, e.apres.nombres.info),
            cout
        );
    }
    let _ = writeln!(md, "\n## Détail des effets\n");
    for e in journal {
        let _ = writeln!(md, "### {}. {}\n", e.numero, texte(&e.description));
        if let Some(n) = &e.note {
            let _ = writeln!(md, "Décision : {}\n", texte(n));
        }
        if e.apparus.is_empty() && e.disparus.is_empty() {
            let _ = writeln!(md, "Aucun constat ne change.\n");
        }
        for c in &e.disparus {
            let _ = writeln!(md, "- résolu : {}", texte(c));
        }
        for c in &e.apparus {
            let _ = writeln!(md, "- nouveau : {}", texte(c));
        }
        if !(e.apparus.is_empty() && e.disparus.is_empty()) {
            let _ = writeln!(md);
        }
    }
    let mods = s.modifications();
    let _ = writeln!(
        md,
        "## État final\n\n{} modification(s) retenue(s) depuis le scénario d'entrée.",
        mods.len()
    );
    md
}

/// The compte rendu as a self-contained HTML page (no external asset; raw HTML in the Markdown
/// is shown as text, never interpreted).
pub fn html(md: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, html::push_html};
    let parser = Parser::new_ext(md, Options::ENABLE_TABLES).map(|ev| match ev {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        e => e,
    });
    let mut corps = String::new();
    push_html(&mut corps, parser);
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Compte rendu du séminaire</title>\n<style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;line-height:1.45;color:#1a1a1a}}table{{border-collapse:collapse}}th,td{{border:1px solid #bbb;padding:.3rem .5rem;text-align:left}}</style>\n</head>\n<body>\n{corps}</body>\n</html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_text_cannot_inject_html() {
        let h = html(&format!(
            "# T\n\n{}\n",
            texte("<script>alert(1)</script> *x*")
        ));
        assert!(!h.contains("<script>"), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        let brut = html("<img src=x onerror=alert(1)>\n");
        assert!(!brut.contains("<img"), "{brut}");
    }
}
