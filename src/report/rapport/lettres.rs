//! Lettres de mission: one Markdown file per group, the "feuille de route" the pacte asks each
//! binôme to establish with the services. User text is escaped so that it cannot inject links,
//! images or HTML into the rendered Markdown.

use super::perimetre::{Perimetre, directions};
use crate::analyse::Gravite;
use crate::model::Scenario;
use crate::report::format::{euros, nombre};
use std::fmt::Write;

/// Escapes user text for Markdown: every character with a Markdown or HTML meaning is
/// backslash-escaped (or entity-encoded for `<`, `>` and `&`), line breaks become spaces.
pub fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '{' | '}' | '[' | ']' | '(' | ')' | '#' | '+' | '-' | '.'
            | '!' | '|' | '~' | '"' | '\'' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The lettre de mission of one group.
pub fn lettre(s: &Scenario, p: &Perimetre) -> String {
    let org = &s.organigramme;
    let mut o = String::new();
    let _ = writeln!(o, "# Lettre de mission — groupe {}\n", md(&p.groupe));
    let _ = writeln!(
        o,
        "Scénario : {} — pacte de gouvernance : « chaque binôme ou groupe établit sa feuille de route avec les services ». Ce document est partagé avec la majorité puis publié.\n",
        md(&s.params.nom)
    );
    let _ = writeln!(o, "## Membres\n");
    for &i in &p.membres {
        let e = &s.elus[i];
        let mut role = e.fonction.libelle().to_string();
        if p.chef == Some(i) {
            role.push_str(", chef·fe de file");
        }
        if let Some(q) = &e.quartier {
            let _ = write!(role, ", quartier {}", md(q));
        }
        if let Some(a) = &e.axe {
            let _ = write!(role, ", axe « {} »", md(s.libelle_axe(a)));
        }
        let libelles: Vec<String> = {
            let mut v: Vec<String> = s
                .delegations
                .iter()
                .filter(|d| d.elu == i && !d.libelle.is_empty())
                .map(|d| md(&d.libelle))
                .collect();
            v.sort();
            v.dedup();
            v
        };
        let _ = writeln!(
            o,
            "- **{} {}** ({}) — {}{}",
            md(&e.prenom),
            md(&e.nom),
            md(&e.id),
            role,
            if libelles.is_empty() {
                String::new()
            } else {
                format!(" ; délégation : {}", libelles.join(" ; "))
            }
        );
    }
    let _ = writeln!(
        o,
        "\n## Services et directions pilotés\n\n{} ETP et {} de budget annuel au total.\n",
        nombre(p.effectif(), 1),
        euros(p.budget())
    );
    if p.noeuds.is_empty() {
        let _ = writeln!(
            o,
            "Aucun nœud piloté : le groupe n'a que des délégations d'appui.\n"
        );
    } else {
        let _ = writeln!(
            o,
            "| nœud | libellé | niveau | pôle (DGA) | ETP | budget | pilote |"
        );
        let _ = writeln!(o, "|---|---|---|---|--:|--:|---|");
        for n in &p.noeuds {
            let x = org.noeud(n.noeud);
            let pole = org
                .dga_de(n.noeud)
                .map(|d| md(&org.noeud(d).id))
                .unwrap_or_else(|| "DGS".into());
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} | {} | {} | {} |",
                md(&x.id),
                md(&x.libelle),
                x.niveau.libelle(),
                pole,
                nombre(n.effectif, 1),
                euros(n.budget),
                n.elus.iter().map(|e| md(e)).collect::<Vec<_>>().join(", ")
            );
        }
        let _ = writeln!(o);
    }
    if !p.appuis.is_empty() {
        let _ = writeln!(o, "En appui (sans autorité hiérarchique) :\n");
        for (n, e) in &p.appuis {
            let x = org.noeud(*n);
            let _ = writeln!(o, "- {} — {} ({})", md(&x.id), md(&x.libelle), md(e));
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "## Interlocuteurs dans l'administration\n");
    for &d in &p.poles {
        let x = org.noeud(d);
        let _ = writeln!(
            o,
            "- Pôle **{}** — {} : la ou le DGA",
            md(&x.id),
            md(&x.libelle)
        );
    }
    for d in directions(s, p) {
        let x = org.noeud(d);
        let _ = writeln!(
            o,
            "- Direction **{}** — {} : la directrice ou le directeur",
            md(&x.id),
            md(&x.libelle)
        );
    }
    let _ = writeln!(o);
    let _ = writeln!(o, "## Axes transversaux qui traversent le périmètre\n");
    if p.axes.is_empty() {
        let _ = writeln!(
            o,
            "Aucun nœud du périmètre n'est rattaché à un axe transversal.\n"
        );
    } else {
        for (axe, noeuds) in &p.axes {
            let porteurs: Vec<String> = s
                .elus
                .iter()
                .filter(|e| e.axe.as_deref() == Some(axe.as_str()))
                .map(|e| format!("{} {}", md(&e.prenom), md(&e.nom)))
                .collect();
            let _ = writeln!(
                o,
                "- **{}** ({}) : {}",
                md(s.libelle_axe(axe)),
                if porteurs.is_empty() {
                    "aucun·e adjoint·e transversal·e".to_string()
                } else {
                    format!("avec {}", porteurs.join(", "))
                },
                noeuds.iter().map(|n| md(n)).collect::<Vec<_>>().join(", ")
            );
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "## Constats ouverts qui concernent le groupe\n");
    let ouverts: Vec<_> = p
        .constats
        .iter()
        .filter(|f| f.gravite != Gravite::Info)
        .collect();
    if ouverts.is_empty() {
        let _ = writeln!(o, "Aucune erreur ni alerte.\n");
    } else {
        for f in ouverts {
            let _ = writeln!(
                o,
                "- **{} ({})** — {}\n  - Suggestion : {}",
                md(&f.code),
                f.gravite.libelle(),
                md(&f.message),
                md(&f.suggestion)
            );
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(
        o,
        "## Feuille de route à établir avec les services\n\n- [ ] Rencontrer les DGA et directions ci-dessus, partager ce périmètre.\n- [ ] Fixer les priorités du mandat et les indicateurs de suivi.\n- [ ] Convenir du rythme des réunions du binôme ou du groupe avec les services.\n- [ ] Associer les adjoint·es transversal·es sur les sujets de leurs axes.\n- [ ] Présenter la feuille de route à la majorité, puis la publier.\n"
    );
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_injection_is_inert() {
        assert_eq!(
            md("[clic](javascript:alert(1))"),
            "\\[clic\\]\\(javascript\\:alert\\(1\\)\\)"
        );
        assert_eq!(
            md("<img src=x onerror=alert(1)>"),
            "&lt;img src=x onerror=alert\\(1\\)&gt;"
        );
        assert_eq!(md("a\n# titre"), "a \\# titre");
        assert_eq!(md("Élise"), "Élise");
    }
}
