//! The French user guide (`docs/guide/`), embedded in the binary so that every report carries it
//! and its findings link to it offline.
//!
//! The Markdown files are the one source: [`PAGES`] includes them with `include_str!`, the report
//! writes them as HTML beside `index.html` ([`fichiers`]), and [`lien_guide`] finds, for a
//! finding's code, the page whose anchor (`<a id="D001"></a>`) holds it. The integration test
//! `guide` checks that every code the code can emit has exactly one anchor and that no anchor is
//! stale, that the column tables are the schema's, and replays the worked example.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html::push_html};

/// One page of the guide.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    /// File name without extension (`constats` → `constats.md`, `guide/constats.html`).
    pub nom: &'static str,
    /// The Markdown text.
    pub markdown: &'static str,
}

/// The pages of the guide, in reading order.
pub const PAGES: [Page; 7] = [
    Page {
        nom: "index",
        markdown: include_str!("../docs/guide/index.md"),
    },
    Page {
        nom: "premier-scenario",
        markdown: include_str!("../docs/guide/premier-scenario.md"),
    },
    Page {
        nom: "fichiers",
        markdown: include_str!("../docs/guide/fichiers.md"),
    },
    Page {
        nom: "constats",
        markdown: include_str!("../docs/guide/constats.md"),
    },
    Page {
        nom: "indemnites",
        markdown: include_str!("../docs/guide/indemnites.md"),
    },
    Page {
        nom: "propositions",
        markdown: include_str!("../docs/guide/propositions.md"),
    },
    Page {
        nom: "seminaire",
        markdown: include_str!("../docs/guide/seminaire.md"),
    },
];

/// Folder of the guide inside a report.
pub const DOSSIER: &str = "guide";

impl Page {
    /// The page's title: its first `# ` heading.
    pub fn titre(&self) -> &'static str {
        self.markdown
            .lines()
            .find_map(|l| l.strip_prefix("# "))
            .unwrap_or(self.nom)
    }

    /// Every anchor of the page: explicit ones (`id="…"`) and the headings' (as [`ancre`] makes
    /// them).
    pub fn ancres(&self) -> Vec<String> {
        let mut v = ids_explicites(self.markdown);
        let mut dans_titre = false;
        let mut texte = String::new();
        for ev in Parser::new_ext(self.markdown, options()) {
            match ev {
                Event::Start(Tag::Heading { .. }) => {
                    dans_titre = true;
                    texte.clear();
                }
                Event::End(TagEnd::Heading(_)) => {
                    dans_titre = false;
                    v.push(ancre(&texte));
                }
                Event::Text(t) | Event::Code(t) if dans_titre => texte.push_str(&t),
                _ => {}
            }
        }
        v
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
}

/// The `id="…"` attributes written in the Markdown (the codes' anchors).
fn ids_explicites(md: &str) -> Vec<String> {
    md.split("id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(str::to_string)
        .collect()
}

/// The anchor of a heading, as GitHub makes it (so that the same links work there and in the
/// report): lower case, letters (accented ones kept), digits, `-` and `_`; spaces become `-`;
/// anything else is dropped.
pub fn ancre(titre: &str) -> String {
    titre
        .trim()
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The page whose anchors hold `code` (`D001`, `E009`, `L101`, `S005`).
pub fn page_du_code(code: &str) -> Option<&'static Page> {
    let motif = format!("id=\"{code}\"");
    PAGES.iter().find(|p| p.markdown.contains(&motif))
}

/// The link, relative to a report's `index.html`, to the guide's entry for `code`; the guide's
/// first page when the code has no entry (the `guide` test makes that never happen).
pub fn lien_guide(code: &str) -> String {
    match page_du_code(code) {
        Some(p) => format!("{DOSSIER}/{}.html#{code}", p.nom),
        None => format!("{DOSSIER}/index.html"),
    }
}

/// A link of the guide, as the HTML page must write it: `constats.md#D001` →
/// `constats.html#D001`; `None` for a link that leaves the guide (a file of the repository, which
/// a report does not carry): its text is kept, without a link.
fn cible_html(dest: &str) -> Option<String> {
    if dest.starts_with('#') || dest.starts_with("https://") || dest.starts_with("http://") {
        return Some(dest.to_string());
    }
    let (fichier, fragment) = match dest.split_once('#') {
        Some((f, a)) => (f, Some(a)),
        None => (dest, None),
    };
    let nom = fichier.strip_suffix(".md")?;
    PAGES.iter().find(|p| p.nom == nom)?;
    Some(match fragment {
        Some(a) => format!("{nom}.html#{a}"),
        None => format!("{nom}.html"),
    })
}

/// The body of a page as HTML: headings get their anchors, links between pages point to the
/// HTML pages, links out of the guide become plain text. The guide's own raw HTML (the codes'
/// anchors) is kept: it is collegia's text, not the user's.
pub fn corps_html(page: &Page) -> String {
    let mut evenements: Vec<Event> = Vec::new();
    let mut titre: Option<(usize, String)> = None;
    let mut pile_liens: Vec<bool> = Vec::new();
    for ev in Parser::new_ext(page.markdown, options()) {
        match ev {
            Event::Start(Tag::Heading { .. }) => {
                titre = Some((evenements.len(), String::new()));
                evenements.push(ev);
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some((k, texte)) = titre.take()
                    && let Event::Start(Tag::Heading {
                        level,
                        classes,
                        attrs,
                        ..
                    }) = evenements[k].clone()
                {
                    evenements[k] = Event::Start(Tag::Heading {
                        level,
                        id: Some(CowStr::from(ancre(&texte))),
                        classes,
                        attrs,
                    });
                }
                evenements.push(ev);
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match cible_html(&dest_url) {
                Some(d) => {
                    pile_liens.push(true);
                    evenements.push(Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(d),
                        title,
                        id,
                    }));
                }
                None => {
                    pile_liens.push(false);
                }
            },
            Event::End(TagEnd::Link) => {
                if pile_liens.pop().unwrap_or(true) {
                    evenements.push(ev);
                }
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                if let Some((_, texte)) = titre.as_mut() {
                    texte.push_str(t);
                }
                evenements.push(ev);
            }
            e => evenements.push(e),
        }
    }
    let mut html = String::new();
    push_html(&mut html, evenements.into_iter());
    html
}

const STYLE: &str = r#"
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; color: #111; max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
nav { font-size: .9rem; border-bottom: 1px solid #ccc; padding-bottom: .5rem; margin-bottom: 1rem; }
nav a { margin-right: .8rem; } nav a[aria-current] { font-weight: bold; color: #111; text-decoration: none; }
table { border-collapse: collapse; margin: .8rem 0; display: block; overflow-x: auto; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; vertical-align: top; text-align: left; }
th { background: #eef; }
code { background: #f3f3f3; padding: 0 .2rem; }
pre { background: #f6f6f6; padding: .6rem; overflow-x: auto; font-size: .85rem; }
pre code { background: none; padding: 0; }
:target { background: #fff3b0; }
a { color: #0645ad; }
h2 { border-bottom: 1px solid #ddd; margin-top: 2rem; }
@media print { nav { display: none; } body { max-width: none; } a { color: inherit; } }
"#;

/// A whole HTML page of the guide (self-contained: inline style, no script).
pub fn page_html(page: &Page) -> String {
    let mut nav = String::new();
    for p in &PAGES {
        let courante = if p.nom == page.nom {
            " aria-current=\"page\""
        } else {
            ""
        };
        nav.push_str(&format!(
            "<a href=\"{}.html\"{courante}>{}</a>",
            p.nom,
            echapper(p.titre())
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — guide de collegia</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <nav aria-label=\"Guide\">{nav}</nav>\n<main>\n{}</main>\n</body>\n</html>\n",
        echapper(page.titre()),
        corps_html(page)
    )
}

fn echapper(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The guide's HTML pages as files of a report (`guide/index.html`, …).
pub fn fichiers() -> Vec<(String, Vec<u8>)> {
    PAGES
        .iter()
        .map(|p| {
            (
                format!("{DOSSIER}/{}.html", p.nom),
                page_html(p).into_bytes(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_github() {
        assert_eq!(
            ancre("Les erreurs les plus fréquentes"),
            "les-erreurs-les-plus-fréquentes"
        );
        assert_eq!(ancre("`scenario.toml`"), "scenariotoml");
        assert_eq!(ancre("1. Créer le dossier"), "1-créer-le-dossier");
    }

    #[test]
    fn links_between_pages_become_html_and_links_out_become_text() {
        assert_eq!(
            cible_html("constats.md#D001").as_deref(),
            Some("constats.html#D001")
        );
        assert_eq!(cible_html("../../README.md"), None);
        assert_eq!(cible_html("#E003").as_deref(), Some("#E003"));
        let p = Page {
            nom: "x",
            markdown: "# T\n\nVoir [le README](../../README.md) et [D001](constats.md#D001).\n",
        };
        let h = corps_html(&p);
        assert!(h.contains("le README") && !h.contains("README.md"), "{h}");
        assert!(h.contains("href=\"constats.html#D001\""), "{h}");
        assert!(h.contains("<h1 id=\"t\">"), "{h}");
    }

    #[test]
    fn a_code_links_to_the_page_that_holds_its_anchor() {
        assert_eq!(lien_guide("D001"), "guide/constats.html#D001");
        assert_eq!(lien_guide("E009"), "guide/fichiers.html#E009");
        assert_eq!(lien_guide("Z999"), "guide/index.html");
    }
}
