//! `diaporama.html`: the deck projected at the séminaire, one self-contained page beside
//! `index.html` (inline CSS, inline SVG charts, one inline script for the keyboard; nothing
//! loaded from outside). Slides: title, synthèse, the findings that matter (erreurs and alertes,
//! grouped by code), the pôle × groupe map, the staff per group, the indemnités against their
//! caps, and with `--optimiser` the proposal (its tables), the « front de compromis » and the
//! comparison before / after.
//!
//! Without script every slide shows, one under the other (and that is what prints); with it one
//! slide fills the screen and ← → / PageUp PageDown / Home End (or the buttons) move through
//! them, the slide number kept in the address (`#3`). Text is sized on the viewport (at least
//! 18 px) so that the deck reads the same at 1 024 × 768 and 1 920 × 1 080; a slide taller
//! than the screen scrolls vertically, never sideways.

use super::Entrees;
use super::html::{chiffre, svg_sans_entete};
use crate::analyse::{Finding, Gravite};
use crate::report::format::{date, euros, nombre, pluriel};
use crate::report::graphiques::Image;
use crate::report::tableaux::Tableau;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use std::collections::BTreeMap;

/// Name of the chart of the proposal's compromise front (`graphiques/front-compromis.svg`),
/// shown on its own slide when the report has it.
pub const FRONT_COMPROMIS: &str = "front-compromis";

/// Most rows of a table shown on a slide (the rest is in the CSV and the workbook).
const LIGNES_PAR_DIAPO: usize = 12;
/// Most findings of one code listed on a slide.
const CONSTATS_PAR_CODE: usize = 3;

const CSS: &str = r#"
:root { --bleu: #1f4e79; --rouge: #b03a2e; --orange: #b9650f; --gris: #555; }
* { box-sizing: border-box; }
html, body { margin: 0; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #111; line-height: 1.35;
  font-size: clamp(18px, 1.25vw + 8px, 34px); overflow-wrap: break-word; background: #fff; }
.diapo { padding: 3vh 4vw 4.5rem; min-height: 100vh; border-bottom: 6px solid var(--bleu); }
.diapo > h2 { color: var(--bleu); margin: 0 0 .6em; font-size: 1.6em; border-bottom: 2px solid #ccc; }
.titre { display: flex; flex-direction: column; justify-content: center; }
.titre h1 { color: var(--bleu); font-size: 2.2em; margin: 0 0 .4em; }
.titre p { font-size: 1.2em; margin: .2em 0; }
.chiffres { display: grid; grid-template-columns: repeat(auto-fit, minmax(9em, 1fr)); gap: .8em; padding: 0; margin: 0 0 1em; }
.chiffres div { border: 1px solid #ccc; border-radius: 8px; padding: .5em .7em; min-width: 0; }
.chiffres dt { font-size: .8em; color: var(--gris); } .chiffres dd { margin: 0; font-size: 1.5em; font-weight: bold; }
.code { margin: .5em 0; padding: .3em .7em; background: #f7f7f7; }
.code.erreur { border-left: 8px solid var(--rouge); } .code.alerte { border-left: 8px solid var(--orange); }
.code h3 { margin: 0 0 .2em; font-size: 1em; }
.code ul { margin: 0; padding-left: 1.2em; font-size: .8em; }
.code li { margin: .15em 0; }
.plus { color: var(--gris); font-size: .8em; }
figure { margin: 0; } figure svg { max-width: 100%; height: auto; }
figcaption { font-size: .7em; color: var(--gris); }
table { border-collapse: collapse; width: 100%; font-size: .68em; margin: .4em 0; }
caption { text-align: left; font-weight: bold; padding: .2em 0; }
th, td { border: 1px solid #ccc; padding: .15em .35em; vertical-align: top; overflow-wrap: anywhere; }
th { background: #eef3f8; text-align: left; } td.n { text-align: right; white-space: nowrap; overflow-wrap: normal; }
.emplacement { border: 4px dashed var(--orange); border-radius: 10px; padding: 1.5em; color: #444; }
.emplacement strong { color: var(--orange); }
.commandes { display: none; }
.js .diapo { display: none; height: 100vh; min-height: 0; overflow-y: auto; border-bottom: none; }
.js .diapo.active { display: block; }
.js .titre.active { display: flex; }
.js .commandes { display: flex; gap: .4em; align-items: center; position: fixed; right: 1vw; bottom: 1vh;
  background: rgba(255,255,255,.92); border: 1px solid #ccc; border-radius: 8px; padding: .2em .4em; font-size: .75em; }
.commandes button { font: inherit; min-width: 2.4em; cursor: pointer; }
@media print { .js .diapo { display: block; height: auto; overflow: visible; } .commandes { display: none !important; }
  .diapo { break-after: page; page-break-after: always; min-height: 0; border: none; } }
"#;

/// Keyboard and buttons; the only script of the deck, inline.
const SCRIPT: &str = r#"
(function () {
  var d = Array.prototype.slice.call(document.querySelectorAll('.diapo'));
  if (!d.length) { return; }
  document.documentElement.classList.add('js');
  var n = document.getElementById('numero');
  var i = 0;
  function aller(k) {
    i = Math.max(0, Math.min(d.length - 1, k));
    d.forEach(function (s, j) { s.classList.toggle('active', j === i); s.setAttribute('aria-hidden', j === i ? 'false' : 'true'); });
    d[i].scrollTop = 0;
    n.textContent = (i + 1) + ' / ' + d.length;
    if (location.hash !== '#' + (i + 1)) { history.replaceState(null, '', '#' + (i + 1)); }
  }
  document.addEventListener('keydown', function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var k = { ArrowRight: i + 1, PageDown: i + 1, ' ': i + 1, ArrowLeft: i - 1, PageUp: i - 1, Home: 0, End: d.length - 1 }[e.key];
    if (k !== undefined) { e.preventDefault(); aller(k); }
  });
  document.getElementById('precedente').addEventListener('click', function () { aller(i - 1); });
  document.getElementById('suivante').addEventListener('click', function () { aller(i + 1); });
  var h = parseInt(location.hash.slice(1), 10);
  aller(isNaN(h) ? 0 : h - 1);
})();
"#;

fn figure(i: &Image) -> Markup {
    html! {
        figure role="group" aria-label=(i.titre) {
            div role="img" aria-label=(i.description) { (PreEscaped(svg_sans_entete(&i.svg))) }
            figcaption { (i.description) }
        }
    }
}

/// A table cut to [`LIGNES_PAR_DIAPO`] rows, with a note saying where the rest is.
fn tableau(t: &Tableau) -> Markup {
    let n = t.lignes.len();
    let court = Tableau {
        lignes: t.lignes.iter().take(LIGNES_PAR_DIAPO).cloned().collect(),
        ..t.clone()
    };
    html! {
        (court.html())
        @if n > LIGNES_PAR_DIAPO {
            p.plus { (n - LIGNES_PAR_DIAPO) " ligne(s) de plus dans " code { "tableaux/" (t.nom) ".csv" } " et le classeur." }
        }
    }
}

/// The findings of one gravity, grouped by code (codes in order, at most
/// [`CONSTATS_PAR_CODE`] messages each).
fn constats(a: &[&Finding], gravite: Gravite) -> Markup {
    let mut par_code: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in a.iter().filter(|f| f.gravite == gravite) {
        par_code.entry(f.code.as_str()).or_default().push(f);
    }
    let classe = match gravite {
        Gravite::Erreur => "code erreur",
        _ => "code alerte",
    };
    html! {
        @if par_code.is_empty() { p { "Aucun constat." } }
        @for (code, liste) in &par_code {
            div class=(classe) {
                h3 { a href=(crate::guide::lien_guide(code)) { (code) } " — " (pluriel(liste.len(), "constat", "constats")) }
                ul {
                    @for f in liste.iter().take(CONSTATS_PAR_CODE) { li { (f.message) } }
                }
                @if liste.len() > CONSTATS_PAR_CODE {
                    p.plus { "… et " (liste.len() - CONSTATS_PAR_CODE) " autre(s) : voir le rapport." }
                }
            }
        }
    }
}

/// The deck.
pub fn page(e: &Entrees, images: &[Image], tableaux: &[Tableau]) -> String {
    let s = e.scenario;
    let a = e.analyse;
    let p = &s.params;
    let m = &a.metriques;
    let image = |nom: &str| images.iter().find(|i| i.nom == nom);
    let nb = |code: &str| a.constats.iter().filter(|f| f.code == code).count();
    let importants: Vec<&Finding> = a
        .constats
        .iter()
        .filter(|f| matches!(f.gravite, Gravite::Erreur | Gravite::Alerte))
        .collect();
    let comparaisons: Vec<&Tableau> = tableaux
        .iter()
        .filter(|t| t.nom.starts_with("comparaison") || t.nom == "proposition-groupes")
        .collect();
    let page = html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("collegia {}", env!("CARGO_PKG_VERSION")));
                title { "Diaporama — " (p.nom) }
                style { (PreEscaped(CSS)) }
            }
            body {
                main {
                    section.diapo.titre aria-label="Titre" {
                        h1 { "Organisation collégiale de la majorité" }
                        p { strong { (p.nom) } }
                        p { "Scénario « " (e.source) " », au " (date(p.date)) "." }
                        p.plus { "← → pour changer de diapositive ; le rapport complet est dans index.html." }
                    }
                    section.diapo aria-labelledby="d-synthese" {
                        h2 id="d-synthese" { "Synthèse" }
                        dl.chiffres {
                            (chiffre("Erreurs", a.nombre(Gravite::Erreur).to_string()))
                            (chiffre("Alertes", a.nombre(Gravite::Alerte).to_string()))
                            (chiffre("Doubles rattachements", (nb("D001") + nb("D002")).to_string()))
                            (chiffre("Services orphelins", nb("D003").to_string()))
                            (chiffre("Gini de la charge des groupes", nombre(m.gini_groupes, 2)))
                        }
                        p {
                            (pluriel(s.elus.len(), "élu·e", "élu·es")) ", "
                            (pluriel(s.groupes().len(), "groupe", "groupes")) ", "
                            (nombre(m.effectif_total, 0)) " ETP et " (euros(m.budget_total)) " de budget annuel dans l'organigramme ; population municipale "
                            (nombre(f64::from(p.population_municipale), 0)) "."
                        }
                    }
                    @for g in [Gravite::Erreur, Gravite::Alerte] {
                        @let n = importants.iter().filter(|f| f.gravite == g).count();
                        section.diapo aria-label=(format!("Constats : {}", g.libelle())) {
                            h2 { (match g { Gravite::Erreur => "Erreurs à corriger", _ => "Alertes" }) " (" (n) ")" }
                            (constats(&importants, g))
                        }
                    }
                    @if let Some(i) = image("couverture-poles-groupes") {
                        section.diapo aria-label="Qui pilote quoi" {
                            h2 { "Qui pilote quoi : pôles et groupes" }
                            (figure(i))
                        }
                    }
                    @if let Some(i) = image("charge-par-groupe") {
                        section.diapo aria-label="Charge des groupes" {
                            h2 { "Effectif piloté par groupe" }
                            (figure(i))
                        }
                    }
                    @if let Some(ind) = &e.indemnites {
                        @let t = &ind.allocation.totaux;
                        @let f = |d: rust_decimal::Decimal| crate::optimise::indemnites::en_f64(d);
                        section.diapo aria-label="Indemnités" {
                            h2 { "Indemnités et plafonds légaux" }
                            dl.chiffres {
                                (chiffre(&format!("Enveloppe (L2123-24 II, {})", ind.allocation.enveloppe_statut.libelle()), euros(f(t.enveloppe_eur))))
                                (chiffre("Utilisé", crate::report::format::pourcent(f(t.part_utilisee_pct))))
                                (chiffre("Coût annuel", euros(f(t.annuel_eur))))
                                @if let Some(c) = &t.charges {
                                    (chiffre("Coût annuel charges comprises", euros(f(c.cout_annuel_eur))))
                                }
                            }
                            @if let Some(i) = image("indemnites-plafonds") { (figure(i)) }
                        }
                    }
                    @if let (None, Some(diagnostic)) = (&e.proposition, &e.sans_proposition) {
                        section.diapo aria-label="Proposition optimisée" {
                            h2 { "Proposition optimisée" }
                            p { strong { "Aucune proposition : " } "l'optimisation des groupes n'a pas trouvé de plan." }
                            @for l in diagnostic.lines().map(str::trim).filter(|l| !l.is_empty()) { p { (l) } }
                        }
                    }
                    @if let Some(prop) = &e.proposition {
                        section.diapo aria-label="Proposition optimisée" {
                            h2 { "Proposition optimisée" }
                            p { (prop.resume()) }
                            @for t in tableaux.iter().filter(|t| t.nom == "proposition-changements") { (tableau(t)) }
                        }
                        @for t in tableaux.iter().filter(|t| t.nom.starts_with("proposition-") && !matches!(t.nom.as_str(), "proposition-changements" | "proposition-groupes")) {
                            section.diapo aria-label=(t.titre) {
                                h2 { (t.titre) }
                                (tableau(t))
                            }
                        }
                        section.diapo.front aria-label="Front de compromis" data-emplacement=(FRONT_COMPROMIS) {
                            h2 { "Front de compromis des propositions" }
                            @if let Some(i) = image(FRONT_COMPROMIS) { (figure(i)) }
                            @else {
                                div.emplacement {
                                    p { strong { "Emplacement réservé." } " Le graphique du front de compromis (" code { "graphiques/front-compromis.svg" } ") s'affichera ici quand la proposition le fournira." }
                                }
                            }
                        }
                    }
                    @if !comparaisons.is_empty() {
                        section.diapo aria-label="Comparaison" {
                            h2 { "Avant et après" }
                            @for t in &comparaisons { (tableau(t)) }
                        }
                    }
                }
                nav.commandes aria-label="Diapositives" {
                    button id="precedente" type="button" aria-label="Diapositive précédente" { "←" }
                    span id="numero" aria-live="polite" {}
                    button id="suivante" type="button" aria-label="Diapositive suivante" { "→" }
                }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    };
    crate::report::document::sans_controles(&page.into_string()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_and_style_load_nothing_from_outside() {
        for t in [CSS, SCRIPT] {
            for interdit in [
                "http",
                "url(",
                "@import",
                "src=",
                "fetch(",
                "XMLHttpRequest",
            ] {
                assert!(!t.contains(interdit), "{interdit}");
            }
        }
        for touche in [
            "ArrowRight",
            "ArrowLeft",
            "PageDown",
            "PageUp",
            "Home",
            "End",
        ] {
            assert!(SCRIPT.contains(touche), "{touche}");
        }
    }
}
