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
use crate::report::tableaux::{Cellule, Tableau};
use maud::{DOCTYPE, Markup, PreEscaped, html};
use std::collections::BTreeMap;

/// Name of the chart of the proposal's compromise front (`graphiques/front-compromis.svg`),
/// shown on its own slide when the report has it.
pub const FRONT_COMPROMIS: &str = "front-compromis";

/// Most findings of one code listed on a slide.
const CONSTATS_PAR_CODE: usize = 3;

// What fits one slide. The type is sized on the smaller of the window's width and height
// (`min(2.6vh, 1.9vw)`, at least 18 px), so a slide holds the same text at 1 024 × 768,
// 1 920 × 1 080 and on an A4 landscape page: about 32 em of height under the title and 48 em
// of width (measured in Chromium: 647 px of 19,5 px type at 1 024 × 768, 906 px of 28 px type
// at 1 920 × 1 080). The budgets below keep a margin for wrapping the estimate cannot see; the
// browser test (`tests/integration/ecran.rs`) checks that no slide scrolls.

/// Height of a slide's content under its title, in em of the slide's type.
const HAUTEUR_EM: f64 = 29.0;
/// Width of a slide's content, in em.
const LARGEUR_EM: f64 = 46.0;
/// Average advance of a character of DejaVu Sans, in em (a little over the true 0,55 em).
const CAR_EM: f64 = 0.6;
/// Size of table text, in em.
const TABLE_EM: f64 = 0.72;
/// Size of list text, in em.
const LISTE_EM: f64 = 0.85;
/// Line height.
const INTERLIGNE: f64 = 1.35;

const CSS: &str = r#"
:root { --bleu: #1f4e79; --rouge: #b03a2e; --orange: #b9650f; --gris: #555; }
* { box-sizing: border-box; }
html, body { margin: 0; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #111; line-height: 1.35;
  font-size: clamp(18px, min(2.6vh, 1.9vw), 40px); overflow-wrap: break-word; background: #fff; }
.diapo { padding: 2.5vh 4vw 2.6em; min-height: 100vh; border-bottom: 6px solid var(--bleu);
  display: flex; flex-direction: column; }
.diapo > h2 { flex: none; color: var(--bleu); margin: 0 0 .4em; font-size: 1.45em; border-bottom: 2px solid #ccc; }
.titre { justify-content: center; }
.titre h1 { color: var(--bleu); font-size: 2.2em; margin: 0 0 .4em; }
.titre p { font-size: 1.2em; margin: .2em 0; }
p { margin: 0 0 .6em; }
.chiffres { display: grid; grid-template-columns: repeat(auto-fit, minmax(9em, 1fr)); gap: .6em; padding: 0; margin: 0 0 .8em; }
.chiffres div { border: 1px solid #ccc; border-radius: 8px; padding: .4em .6em; min-width: 0; }
.chiffres dt { font-size: .8em; color: var(--gris); } .chiffres dd { margin: 0; font-size: 1.4em; font-weight: bold; }
.code { margin: 0 0 .5em; padding: .3em .7em; background: #f7f7f7; }
.code.erreur { border-left: 8px solid var(--rouge); } .code.alerte { border-left: 8px solid var(--orange); }
.code h3 { margin: 0 0 .2em; font-size: 1em; }
.code ul { margin: 0; padding-left: 1.2em; font-size: .85em; }
.code li { margin: .15em 0; }
ul.mots { margin: 0; padding-left: 1.2em; font-size: .85em; } ul.mots li { margin: 0 0 .35em; }
.plus { color: var(--gris); font-size: .8em; }
figure { margin: 0; flex: 1 1 auto; min-height: 0; display: flex; flex-direction: column; }
figure > div { flex: 1 1 auto; min-height: 0; }
figure svg { display: block; width: 100%; height: 100%; }
.legende-poles { flex: none; margin: .3em 0 0; font-size: .62em; color: var(--gris); }
table { border-collapse: collapse; width: 100%; font-size: .72em; margin: 0 0 .4em; }
caption { text-align: left; font-weight: bold; padding: .2em 0; }
th, td { border: 1px solid #ccc; padding: .15em .35em; vertical-align: top; overflow-wrap: break-word; }
th { background: #eef3f8; text-align: left; } td.n { text-align: right; white-space: nowrap; overflow-wrap: normal; }
.emplacement { border: 4px dashed var(--orange); border-radius: 10px; padding: 1.5em; color: #444; }
.emplacement strong { color: var(--orange); }
.commandes { display: none; }
.js .diapo { display: none; height: 100vh; min-height: 0; overflow-y: auto; border-bottom: none; }
.js .diapo.active { display: flex; }
.js .commandes { display: flex; gap: .4em; align-items: center; position: fixed; right: 1vw; bottom: 1vh;
  background: rgba(255,255,255,.92); border: 1px solid #ccc; border-radius: 8px; padding: .2em .4em; font-size: .75em; }
.commandes button { font: inherit; min-width: 2.4em; cursor: pointer; }
@page { size: A4 landscape; margin: 8mm; }
@media print {
  body { font-size: 14pt; }
  .js .diapo, .diapo { display: flex; height: 192mm; min-height: 0; overflow: hidden; border: none;
    padding: 0 0 .5em; break-after: page; page-break-after: always; break-inside: avoid; }
  .diapo:last-of-type { break-after: auto; page-break-after: auto; }
  .commandes { display: none !important; }
}
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
  function ancre() { var h = parseInt(location.hash.slice(1), 10); if (!isNaN(h) && h - 1 !== i) { aller(h - 1); } }
  window.addEventListener('hashchange', ancre);
  var h = parseInt(location.hash.slice(1), 10);
  aller(isNaN(h) ? 0 : h - 1);
})();
"#;

/// One slide: its title (numbered « (2/3) » when its content spans several), its label for
/// screen readers, extra classes and attributes, its content.
struct Diapo {
    titre: String,
    classe: &'static str,
    emplacement: Option<&'static str>,
    corps: Markup,
}

impl Diapo {
    fn new(titre: impl Into<String>, corps: Markup) -> Diapo {
        Diapo {
            titre: titre.into(),
            classe: "diapo",
            emplacement: None,
            corps,
        }
    }
}

/// Slides of one subject whose content is cut in `parties`: « Titre (k/n) » when n > 1.
fn serie(titre: &str, parties: Vec<Markup>) -> Vec<Diapo> {
    let n = parties.len();
    parties
        .into_iter()
        .enumerate()
        .map(|(k, corps)| {
            let t = if n > 1 {
                format!("{titre} ({}/{n})", k + 1)
            } else {
                titre.to_string()
            };
            Diapo::new(t, corps)
        })
        .collect()
}

/// Lines a text takes at `taille` em in a width of `largeur` em.
fn lignes(texte: &str, largeur: f64, taille: f64) -> f64 {
    let par_ligne = (largeur / (taille * CAR_EM)).max(4.0);
    (texte.chars().count() as f64 / par_ligne).ceil().max(1.0)
}

/// Items of estimated heights `h` packed in order into the fewest slides of at most `budget`
/// (an item taller than the budget gets a slide of its own): the index ranges.
fn paquets(h: &[f64], budget: f64) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    let (mut debut, mut cumul) = (0, 0.0);
    for (i, x) in h.iter().enumerate() {
        if i > debut && cumul + x > budget {
            v.push((debut, i));
            debut = i;
            cumul = 0.0;
        }
        cumul += x;
    }
    if debut < h.len() || v.is_empty() {
        v.push((debut, h.len()));
    }
    v
}

fn texte_cellule(c: &Cellule) -> String {
    match c {
        Cellule::Texte(s) => s.clone(),
        Cellule::Nombre(v, d) => nombre(*v, *d),
        Cellule::Euros(v) => euros(*v),
        Cellule::Pourcent(v) => crate::report::format::pourcent(*v),
        Cellule::Vide => String::new(),
    }
}

/// Widths (in characters) the browser gives a table's columns, as its automatic layout does:
/// each column its longest content when the table fits, else its longest word plus a share of
/// the rest in proportion to what it lacks.
fn largeurs(t: &Tableau, disponible: f64) -> Vec<f64> {
    let n = t.colonnes.len().max(1);
    let mut max = vec![1.0f64; n];
    let mut mot = vec![1.0f64; n];
    let mut voir = |k: usize, s: &str| {
        if k < n {
            max[k] = max[k].max(s.chars().count() as f64);
            let m = s
                .split_whitespace()
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(0);
            mot[k] = mot[k].max(m as f64);
        }
    };
    for (k, c) in t.colonnes.iter().enumerate() {
        voir(k, c);
    }
    for l in &t.lignes {
        for (k, c) in l.iter().enumerate() {
            voir(k, &texte_cellule(c));
        }
    }
    // Cell padding and borders: about a character per column.
    let dispo = (disponible - n as f64).max(n as f64);
    let total: f64 = max.iter().sum();
    if total <= dispo {
        return max;
    }
    let base: f64 = mot.iter().sum();
    let reste = (dispo - base).max(0.0);
    let manque: f64 = max
        .iter()
        .zip(&mot)
        .map(|(a, b)| a - b)
        .sum::<f64>()
        .max(1.0);
    max.iter()
        .zip(&mot)
        .map(|(a, b)| b + (a - b) * reste / manque)
        .collect()
}

/// Height of a table row of these texts, in em of the slide's type.
fn hauteur_ligne(textes: &[String], l: &[f64]) -> f64 {
    let n = textes
        .iter()
        .zip(l)
        .map(|(s, w)| {
            let n = s.chars().count() as f64;
            if n <= *w {
                1.0
            } else {
                // Wrapping at spaces loses about a sixth of each line.
                (n * 1.15 / w.max(1.0)).ceil()
            }
        })
        .fold(1.0f64, f64::max);
    (n * INTERLIGNE + 0.35) * TABLE_EM
}

/// A table cut over as many slides as its rows need, every row shown, the header on each.
/// `budget`: the height left for it on the slide, in em.
fn tableaux_decoupes(t: &Tableau, budget: f64) -> Vec<Markup> {
    let dispo = LARGEUR_EM / (TABLE_EM * CAR_EM);
    let l = largeurs(t, dispo);
    let entete = hauteur_ligne(&t.colonnes, &l) + (INTERLIGNE + 0.4) * TABLE_EM;
    let h: Vec<f64> = t
        .lignes
        .iter()
        .map(|r| hauteur_ligne(&r.iter().map(texte_cellule).collect::<Vec<_>>(), &l))
        .collect();
    paquets(&h, (budget - entete).max(3.0))
        .into_iter()
        .map(|(a, b)| {
            // Never folded on a slide (a slide shows, it does not hide).
            let partie = Tableau {
                lignes: t.lignes[a..b].to_vec(),
                ..t.clone()
            };
            html! { (PreEscaped(partie.html_deplie().into_string())) }
        })
        .collect()
}

fn figure_svg(svg: &str, titre: &str, description: &str) -> Markup {
    html! {
        figure role="group" aria-label=(titre) {
            div role="img" aria-label=(description) { (PreEscaped(svg_sans_entete(svg))) }
        }
    }
}

/// A chart on as many slides as its parts (one when it fits), with an optional line under it.
fn graphique(titre: &str, i: &Image, sous: Option<Markup>) -> Vec<Diapo> {
    let svgs: Vec<&str> = if i.diapos.is_empty() {
        vec![i.svg.as_str()]
    } else {
        i.diapos.iter().map(String::as_str).collect()
    };
    serie(
        titre,
        svgs.into_iter()
            .map(|s| {
                html! {
                    (figure_svg(s, &i.titre, &i.description))
                    @if let Some(m) = &sous { (m) }
                }
            })
            .collect(),
    )
}

/// The findings of one gravity, grouped by code (codes in order, at most [`CONSTATS_PAR_CODE`]
/// messages each), over as many slides as they need.
fn constats(a: &[&Finding], gravite: Gravite) -> Vec<Markup> {
    let mut par_code: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in a.iter().filter(|f| f.gravite == gravite) {
        par_code.entry(f.code.as_str()).or_default().push(f);
    }
    let classe = match gravite {
        Gravite::Erreur => "code erreur",
        _ => "code alerte",
    };
    if par_code.is_empty() {
        return vec![html! { p { "Aucun constat." } }];
    }
    let blocs: Vec<(&str, &Vec<&Finding>)> = par_code.iter().map(|(c, l)| (*c, l)).collect();
    let h: Vec<f64> = blocs
        .iter()
        .map(|(_, l)| {
            let messages: f64 = l
                .iter()
                .take(CONSTATS_PAR_CODE)
                .map(|f| {
                    lignes(&f.message, LARGEUR_EM - 2.5, LISTE_EM) * INTERLIGNE * LISTE_EM
                        + 0.3 * LISTE_EM
                })
                .sum();
            let plus = if l.len() > CONSTATS_PAR_CODE {
                1.5
            } else {
                0.0
            };
            INTERLIGNE + 0.2 + messages + plus + 1.1
        })
        .collect();
    paquets(&h, HAUTEUR_EM)
        .into_iter()
        .map(|(a, b)| {
            html! {
                @for (code, liste) in &blocs[a..b] {
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
        })
        .collect()
}

/// Sentences as a list over as many slides as they need, `tete` (its height in em) above the
/// list of the first slide.
fn phrases(tete: Option<(Markup, f64)>, liste: &[String], vide: &str) -> Vec<Markup> {
    let h: Vec<f64> = liste
        .iter()
        .map(|p| lignes(p, LARGEUR_EM - 2.5, LISTE_EM) * INTERLIGNE * LISTE_EM + 0.35 * LISTE_EM)
        .collect();
    let haut = tete.as_ref().map_or(0.0, |(_, x)| *x);
    // The first slide holds the head: its items count against a smaller budget.
    let mut parts = Vec::new();
    let mut debut = 0;
    let mut budget = HAUTEUR_EM - haut;
    while debut < h.len() {
        let mut fin = debut;
        let mut cumul = 0.0;
        while fin < h.len() && (fin == debut || cumul + h[fin] <= budget) {
            cumul += h[fin];
            fin += 1;
        }
        parts.push((debut, fin));
        debut = fin;
        budget = HAUTEUR_EM;
    }
    if parts.is_empty() {
        return vec![html! {
            @if let Some((t, _)) = &tete { (t) }
            p { (vide) }
        }];
    }
    parts
        .into_iter()
        .enumerate()
        .map(|(k, (a, b))| {
            html! {
                @if k == 0 { @if let Some((t, _)) = &tete { (t) } }
                ul.mots { @for p in &liste[a..b] { li { (p) } } }
            }
        })
        .collect()
}

/// Height of a row of figure cards, in em.
const CHIFFRES_EM: f64 = 4.4;

/// The slides of the staged reorganisation (`--reorganiser`): the path's overview (the
/// timeline chart), one slide per stage (its moves with their agents and reason, the
/// consultation of the comité social territorial, the measures before and after; cut
/// « (k/n) » when long), then the flow of directions between DGA; or the diagnosis when there
/// is no plan.
fn reorganisation(r: &super::reorganisation::Reorganisation, images: &[Image]) -> Vec<Diapo> {
    use super::reorganisation::{
        CALENDRIER, FLUX, Reorganisation, consultation, date_etape, evolution, phrase_mouvement,
    };
    let image = |nom: &str| images.iter().find(|i| i.nom == nom);
    let (d, res) = match r {
        Reorganisation::Echec(diagnostic) => {
            let l: Vec<String> = diagnostic
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect();
            let tete = html! { p { strong { "Aucun plan par étapes : " } "les règles de [reorganisation] ne peuvent tenir ensemble." } };
            return serie("Réorganisation des DGA", phrases(Some((tete, 2.0)), &l, ""));
        }
        Reorganisation::Plan { donnees, resultat } => (*donnees, *resultat),
    };
    let p = &res.plan;
    let n = p.etapes.len() - 1;
    let mut v = Vec::new();
    if let Some(i) = image(CALENDRIER) {
        // One short line under the chart (a longer one would shrink it under 14-px text).
        let sous = html! {
            p.legende-poles {
                (n) " étapes, au plus " (nombre(d.cap_etape, 0)) " agent·es changeant de DGA par étape ; "
                (crate::report::reorganisation::statut_court(&res.statut)) "."
            }
        };
        v.extend(graphique(
            "Réorganisation des DGA : le chemin",
            i,
            Some(sous),
        ));
    }
    for t in 1..=n {
        let mv = p.mouvements(t);
        let mots: Vec<String> = mv.iter().map(|&i| phrase_mouvement(d, res, t, i)).collect();
        let (a, b) = (&res.mesures[t - 1], &res.mesures[t]);
        let tete = html! {
            dl.chiffres {
                (chiffre(&format!("Agent·es changeant de DGA (plafond {})", nombre(d.cap_etape, 0)), nombre(p.agents(d, t), 1)))
                (chiffre("Cohérence pondérée", format!("{} → {}", nombre(a.total, 2), nombre(b.total, 2))))
                (chiffre("Interlocuteurs", format!("{} → {}", nombre(a.interlocuteurs, 0), nombre(b.interlocuteurs, 0))))
            }
            p.plus { "Mesures : " (evolution(res, t)) "." }
            @if !mv.is_empty() { p { (consultation(d, t)) } }
        };
        // The cards, the measures' line (two lines of small type) and the consultation's.
        let haut = CHIFFRES_EM
            + 2.0 * INTERLIGNE * 0.8
            + 0.6
            + if mv.is_empty() { 0.0 } else { 2.0 * INTERLIGNE };
        let parties = phrases(
            Some((tete, haut)),
            &mots,
            "Aucune direction ne change de DGA à cette étape.",
        );
        v.extend(serie(
            &format!("Réorganisation, étape {t} — {}", date_etape(d, t)),
            parties,
        ));
    }
    if let Some(i) = image(FLUX) {
        v.extend(graphique(
            "Réorganisation : les directions entre DGA",
            i,
            None,
        ));
    }
    v
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
    let mut diapos: Vec<Diapo> = Vec::new();
    diapos.push(Diapo {
        titre: String::new(),
        classe: "diapo titre",
        emplacement: None,
        corps: html! {
            h1 { "Organisation collégiale de la majorité" }
            p { strong { (p.nom) } }
            p { "Scénario « " (e.source) " », au " (date(p.date)) "." }
            p.plus { "← → pour changer de diapositive ; le rapport complet est dans index.html." }
        },
    });
    diapos.push(Diapo::new(
        "Synthèse",
        html! {
            dl.chiffres {
                (chiffre("Erreurs", a.nombre(Gravite::Erreur).to_string()))
                (chiffre("Alertes", a.nombre(Gravite::Alerte).to_string()))
                (chiffre("Doubles rattachements", nb("D001").to_string()))
                (chiffre("Liens fonctionnels entre groupes", nb("D002").to_string()))
                (chiffre("Services orphelins", nb("D003").to_string()))
                (chiffre("Gini de la charge des groupes", nombre(m.gini_groupes, 2)))
            }
            p {
                (pluriel(s.elus.len(), "élu·e", "élu·es")) ", "
                (pluriel(s.groupes().len(), "groupe", "groupes")) ", "
                (nombre(m.effectif_total, 0)) " ETP et " (euros(m.budget_total)) " de budget annuel dans l'organigramme ; population municipale "
                (nombre(f64::from(p.population_municipale), 0)) "."
            }
        },
    ));
    for g in [Gravite::Erreur, Gravite::Alerte] {
        let n = importants.iter().filter(|f| f.gravite == g).count();
        let titre = format!(
            "{} : {n}",
            match g {
                Gravite::Erreur => "Erreurs à corriger",
                _ => "Alertes",
            }
        );
        diapos.extend(serie(&titre, constats(&importants, g)));
    }
    if let Some(i) = image("couverture-poles-groupes") {
        // What the pôle codes stand for, under each part of the map.
        let org = &s.organigramme;
        let poles: Vec<String> = m
            .poles
            .iter()
            .map(|id| match org.find(id) {
                Some(n) => format!("{id} : {}", org.noeud(n).libelle),
                None => id.clone(),
            })
            .collect();
        let sous = html! {
            p.legende-poles { (poles.join(" · ")) " · DGS : hors pôle. Valeurs : ETP pilotés par le porteur dans le pôle." }
        };
        diapos.extend(graphique(
            "Qui pilote quoi : pôles et groupes",
            i,
            Some(sous),
        ));
    }
    if let Some(i) = image("charge-par-groupe") {
        diapos.extend(graphique("Effectif piloté et en appui par groupe", i, None));
    }
    if let Some(ind) = &e.indemnites {
        let t = &ind.allocation.totaux;
        let f = |d: rust_decimal::Decimal| crate::optimise::indemnites::en_f64(d);
        diapos.push(Diapo::new(
            "Indemnités et plafonds légaux",
            html! {
                dl.chiffres {
                    (chiffre(&format!("Enveloppe (L2123-24 II, {})", ind.allocation.enveloppe_statut.libelle()), euros(f(t.enveloppe_eur))))
                    (chiffre("Utilisé", crate::report::format::pourcent(f(t.part_utilisee_pct))))
                    (chiffre("Coût annuel", euros(f(t.annuel_eur))))
                    @if let Some(c) = &t.charges {
                        (chiffre("Coût annuel charges comprises", euros(f(c.cout_annuel_eur))))
                    }
                    (chiffre("Élu·es indemnisé·es", ind.allocation.lignes.len().to_string()))
                }
                p { "Chaque élu·e indemnisé·e et son plafond légal individuel sur les diapositives suivantes ; le tableau complet (taux, brut mensuel, article) est dans le rapport et le classeur." }
            },
        ));
        if let Some(i) = image("indemnites-plafonds") {
            diapos.extend(graphique(
                "Indemnité de chaque élu·e et son plafond",
                i,
                None,
            ));
        }
    }
    if let (None, Some(diagnostic)) = (&e.proposition, &e.sans_proposition) {
        let l: Vec<String> = diagnostic
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        let tete = html! { p { strong { "Aucune proposition : " } "l'optimisation des groupes n'a pas trouvé de plan." } };
        diapos.extend(serie(
            "Proposition optimisée",
            phrases(Some((tete, 2.0)), &l, ""),
        ));
    }
    if let Some(prop) = &e.proposition {
        let r = prop.resultat;
        let d = prop.donnees;
        let mots = crate::report::redaction::decrire_changements(prop.scenario, d, &r.plan);
        // Pôles by the one definition (D004's), summed over the groups.
        let (pa, pp) = crate::report::optimisation::poles_avant_apres(
            prop.scenario,
            &crate::optimise::application::appliquer(prop.scenario, d, &r.plan),
            d,
        );
        let tete = html! {
            p { "Résultat : " (crate::report::optimisation::statut(r)) "." }
            dl.chiffres {
                (chiffre("Pôles des groupes, total (avant → après)", format!("{} → {}", pa.iter().sum::<usize>(), pp.iter().sum::<usize>())))
                (chiffre("Unités qui changent de groupe", r.cout.changements.to_string()))
                (chiffre("Liens fonctionnels entre groupes", format!("{} → {}", r.avant.liens, r.cout.liens)))
                (chiffre("Agents qui changent de chaîne hiérarchique", format!("{} ETP", nombre(r.cout.agents_deplaces, 1))))
            }
        };
        let haut = 2.0 + 2.0 * CHIFFRES_EM;
        diapos.extend(serie(
            "Proposition optimisée : ce qui change",
            phrases(Some((tete, haut)), &mots, "Aucun changement."),
        ));
        for t in tableaux
            .iter()
            .filter(|t| t.nom == "proposition-indemnites")
        {
            diapos.extend(serie(
                "Indemnités avant et après la proposition",
                tableaux_decoupes(t, HAUTEUR_EM),
            ));
        }
        match (image(FRONT_COMPROMIS), prop.front.filter(|x| !x.is_empty())) {
            (Some(i), Some(points)) => {
                let mut v = graphique("Front de compromis des propositions", i, None);
                if let Some(premiere) = v.first_mut() {
                    premiere.classe = "diapo front";
                    premiere.emplacement = Some(FRONT_COMPROMIS);
                }
                diapos.extend(v);
                if let Some(n) = crate::report::optimisation::note_front(points) {
                    diapos.push(Diapo::new(
                        "Front de compromis : un seul point",
                        html! { p { (n) } },
                    ));
                }
                for (k, pt) in points.iter().enumerate() {
                    let mots = crate::report::redaction::decrire_changements(
                        prop.scenario,
                        d,
                        &pt.plan,
                    );
                    let tete = html! {
                        p {
                            strong { "Point " (k + 1) " sur " (points.len()) " : " }
                            "structure " (pt.structure) " (pôles couverts par les groupes thématiques " (pt.cout.dispersion)
                            ", liens fonctionnels entre groupes " (pt.cout.liens) ") ; "
                            (nombre(pt.agents, 1)) " ETP changent de chaîne hiérarchique ; "
                            (crate::report::optimisation::statut_point(&pt.statut)) "."
                        }
                    };
                    diapos.extend(serie(
                        &format!("Front, point {} : en clair", k + 1),
                        phrases(Some((tete, 2.5)), &mots, "Aucun changement : c'est l'organisation actuelle."),
                    ));
                }
            }
            _ => diapos.push(Diapo {
                titre: "Front de compromis des propositions".into(),
                classe: "diapo front",
                emplacement: Some(FRONT_COMPROMIS),
                corps: html! {
                    div.emplacement {
                        p { strong { "Emplacement réservé." } " Le graphique du front de compromis (" code { "graphiques/front-compromis.svg" } ") s'affichera ici quand la proposition le fournira." }
                    }
                },
            }),
        }
    }
    for t in tableaux
        .iter()
        .filter(|t| t.nom.starts_with("comparaison") || t.nom == "proposition-groupes")
    {
        diapos.extend(serie("Avant et après", tableaux_decoupes(t, HAUTEUR_EM)));
    }
    if let Some(r) = &e.reorganisation {
        diapos.extend(reorganisation(r, images));
    }
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
                    @for d in &diapos {
                        @if d.titre.is_empty() {
                            section class=(d.classe) aria-label="Titre" { (d.corps) }
                        } @else {
                            section class=(d.classe) aria-label=(d.titre) data-emplacement=[d.emplacement] {
                                h2 { (d.titre) }
                                (d.corps)
                            }
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
