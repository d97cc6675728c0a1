//! `index.html`: one self-contained page (inline CSS, inline SVG, no script, no external asset),
//! printable, accessible (landmarks, headings, table headers, figure captions and alt texts).
//! Every user value goes through maud's escaping; the lettres de mission are the same Markdown
//! as the `.md` files, rendered by pulldown-cmark (their user text is already escaped).

use super::perimetre::Perimetre;
use super::{Entrees, lettres};
use crate::analyse::{Famille, Finding, Gravite};
use crate::report::format::{date, euros, nombre, pluriel};
use crate::report::graphiques::Image;
use crate::report::tableaux::Tableau;
use maud::{DOCTYPE, Markup, PreEscaped, html};

const CSS: &str = r#"
:root { --bleu: #1f4e79; --rouge: #b03a2e; --orange: #b9650f; --gris: #555; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #111; margin: 0; line-height: 1.45; overflow-wrap: break-word; }
header, main, footer, nav { max-width: 1100px; margin: 0 auto; padding: 0 1.2rem; }
header { border-bottom: 4px solid var(--bleu); padding-top: 1rem; }
h1 { color: var(--bleu); margin-bottom: .2rem; }
h2 { color: var(--bleu); border-bottom: 1px solid #ccc; margin-top: 2.2rem; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 1rem; top: 1rem; background: #fff; }
.chiffres { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: .8rem; padding: 0; }
.chiffres div { border: 1px solid #ddd; border-radius: 6px; padding: .6rem .8rem; min-width: 0; }
.chiffres dt { font-size: .85rem; color: var(--gris); } .chiffres dd { margin: 0; font-size: 1.5rem; font-weight: bold; }
.non-verifie { color: var(--rouge); font-weight: bold; }
.erreur { border-left: 5px solid var(--rouge); } .alerte { border-left: 5px solid var(--orange); } .info { border-left: 5px solid #888; }
.constat { padding: .4rem .8rem; margin: .5rem 0; background: #fafafa; }
.constat .code { font-weight: bold; } .constat p { margin: .2rem 0; } .regle, .suggestion { font-size: .9rem; color: #333; }
/* Tables fit the column: they take its width, long cells wrap (anywhere, for identifiers), numbers
   stay on one line; no horizontal scroll bar, no clipped last column. */
.table { max-width: 100%; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .85rem; width: 100%; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border: 1px solid #ccc; padding: .25rem .4rem; vertical-align: top; overflow-wrap: anywhere; hyphens: auto; min-width: 4.5em; }
th { overflow-wrap: normal; word-break: normal; hyphens: manual; }
/* The wide tables printed on landscape pages (indemnités, tableau annexe) keep 14 columns within a
   1 024-px window with slightly smaller type and padding. */
.paysage table { font-size: .78rem; }
.paysage th, .paysage td { padding: .2rem .25rem; min-width: 4em; }
.impression { display: none; }
th { background: #eef3f8; text-align: left; }
td.n { text-align: right; white-space: nowrap; overflow-wrap: normal; }
details.tableau { margin: .8rem 0; border: 1px solid #ddd; border-radius: 6px; padding: .3rem .8rem; }
details.tableau > summary { cursor: pointer; font-weight: bold; color: var(--bleu); }
p.replie { font-size: .9rem; color: var(--gris); }
figure { margin: 1.2rem 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: .9rem; color: var(--gris); }
article.lettre { border: 1px solid #ddd; border-radius: 6px; padding: 0 1rem; margin: 1rem 0; }
footer { font-size: .85rem; color: var(--gris); border-top: 1px solid #ccc; margin-top: 2rem; padding-bottom: 2rem; }
/* Narrow screens: each row becomes a card, each cell labelled with its column. */
@media (max-width: 700px) {
  table, thead, tbody, tr, td, caption { display: block; width: 100%; }
  thead { position: absolute; left: -9999px; }
  tr { border: 1px solid #ccc; margin: .5rem 0; }
  td { border: none; border-bottom: 1px solid #eee; text-align: left; }
  td.n { text-align: left; white-space: normal; }
  td[data-col]::before { content: attr(data-col) " : "; font-weight: bold; }
}
@page { size: A4; margin: 1.4cm 1.2cm; }
@page paysage { size: A4 landscape; margin: 1cm; }
@media print {
  nav, .skip { display: none; }
  body { font-size: 10pt; }
  header, main, footer { max-width: none; padding: 0; }
  h2 { break-before: page; page-break-before: always; }
  h2, h3, caption, summary { break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr, .constat, li { break-inside: avoid; page-break-inside: avoid; }
  article.lettre, figure { break-inside: avoid; page-break-inside: avoid; }
  figure svg { max-height: 24cm; width: auto; }
  details.tableau { display: none; }
  .impression { display: block; }
  /* The wide tables (indemnités: 13 columns; tableau annexe) on A4 landscape pages, in small type. */
  .paysage { page: paysage; }
  .paysage table { font-size: 7.5pt; }
  .paysage th, .paysage td { min-width: 3.2em; padding: .1rem .2rem; }
  td, th { overflow-wrap: break-word; }
  a { color: inherit; text-decoration: none; }
}
"#;

pub(super) fn chiffre(titre: &str, valeur: String) -> Markup {
    html! { div { dt { (titre) } dd { (valeur) } } }
}

fn constat(f: &Finding) -> Markup {
    let classe = match f.gravite {
        Gravite::Erreur => "constat erreur",
        Gravite::Alerte => "constat alerte",
        Gravite::Info => "constat info",
    };
    html! {
        li class=(classe) {
            p { a.code href=(crate::guide::lien_guide(&f.code)) title="Que faire ? (guide)" { (f.code) } " — " (f.message) }
            p.regle { "Règle : " (f.regle) }
            @if !f.suggestion.is_empty() { p.suggestion { "Suggestion : " (f.suggestion) } }
        }
    }
}

fn figure(i: &Image) -> Markup {
    html! {
        figure role="group" aria-labelledby=(format!("fig-{}", i.nom)) {
            div role="img" aria-label=(i.description) { (PreEscaped(svg_sans_entete(&i.svg))) }
            figcaption id=(format!("fig-{}", i.nom)) {
                strong { (i.titre) } ". " (i.description)
                " Fichiers : " a href=(format!("graphiques/{}.svg", i.nom)) { "SVG" } ", "
                a href=(format!("graphiques/{}.png", i.nom)) { "PNG" } "."
            }
        }
    }
}

/// The SVG element without an XML declaration, for inlining.
pub(super) fn svg_sans_entete(svg: &str) -> &str {
    match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    }
}

/// Renders Markdown produced by [`crate::report::document::markdown`] (user text escaped there)
/// as HTML.
fn markdown(md: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, html::push_html};
    let parser = Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_TASKLISTS)
        // Defence in depth: raw HTML in the Markdown is shown as text, never interpreted.
        .map(|ev| match ev {
            Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
            e => e,
        });
    let mut out = String::new();
    push_html(&mut out, parser);
    // Demote headings by one level: the letter's h1 sits under the page's h2.
    out.replace("<h2>", "<h4>")
        .replace("</h2>", "</h4>")
        .replace("<h1>", "<h3>")
        .replace("</h1>", "</h3>")
}

fn pct(d: rust_decimal::Decimal) -> String {
    crate::report::format::pourcent(crate::optimise::indemnites::en_f64(d))
}

fn eur(d: rust_decimal::Decimal) -> String {
    euros(crate::optimise::indemnites::en_f64(d))
}

fn section_indemnites(
    i: &super::indemnites::Indemnites,
    images: &[Image],
    tableaux: &[Tableau],
) -> Markup {
    use crate::model::Politique;
    let a = i.allocation;
    let t = &a.totaux;
    let politique = match a.politique {
        Politique::Egalitaire => "égalitaire".to_string(),
        Politique::Proportionnelle => "proportionnelle aux responsabilités".to_string(),
        Politique::Mixte => format!(
            "mixte (alpha = {})",
            crate::report::format::decimal_court(a.alpha, 2)
        ),
        Politique::Paliers => "par paliers".to_string(),
    };
    html! {
        section id="indemnites" aria-labelledby="h-indemnites" {
            h2 id="h-indemnites" { "Indemnités" }
            p {
                "Régime : " (a.regime) " ; terme de référence (100 % de l'indice brut terminal) : " (eur(a.terme_reference_eur)) " brut par mois (" (a.terme_reference_textes) ", " (a.terme_reference_statut.libelle()) "). "
                "Politique : " (politique) ". Résolution : "
                (match a.statut { crate::optimise::indemnites::StatutSolveur::Optimal => "optimum prouvé par le solveur", _ => "arrêtée avant la preuve d'optimalité" })
                " (" (a.solveur) "), puis vérification indépendante de chaque règle de droit."
            }
            dl.chiffres {
                (chiffre("Enveloppe (L2123-24 II)", format!("{} ({})", pct(t.enveloppe_pct), eur(t.enveloppe_eur))))
                (chiffre("Part demandée", pct(t.part_demandee_pct)))
                (chiffre("Utilisé", format!("{} ({})", pct(t.utilise_pct), pct(t.part_utilisee_pct))))
                (chiffre("Coût mensuel, majorations comprises", eur(t.mensuel_eur + t.majorations_eur)))
                (chiffre("Coût annuel", eur(t.annuel_eur)))
                (chiffre("Coût sur le mandat (6 ans)", eur(t.mandat_eur)))
                @if let Some(c) = &t.charges {
                    (chiffre("Coût chargé par an", eur(c.cout_annuel_eur)))
                    (chiffre("Coût chargé sur le mandat (6 ans)", eur(c.cout_mandat_eur)))
                    (chiffre("Formation des élu·es (L2123-14), plancher par an", eur(c.formation.plancher_eur)))
                }
                @if let Some(d) = &a.dispersion {
                    (chiffre("Écart max / min des délégué·es", nombre(crate::optimise::indemnites::en_f64(d.ratio), 2)))
                    (chiffre("Gini des taux des délégué·es", nombre(crate::optimise::indemnites::en_f64(d.gini), 3)))
                }
            }
            p { (a.enveloppe_note) " (" (a.enveloppe_article) ", " (a.enveloppe_statut.libelle()) ")." }
            @if let Some(x) = &a.enveloppe_ajout_non_verifie {
                p.non-verifie { "Attention : " (crate::report::indemnites::ajout_non_verifie(x)) "." }
            }
            @if let Some(c) = &t.charges {
                p { "Coût pour le budget, charges comprises (" (c.statut.libelle()) ") : " (eur(c.cout_mensuel_eur)) " par mois, dont " (eur(c.cotisations_employeur_eur)) " de cotisations employeur ; net perçu par les élu·es, avant impôt sur le revenu : " (eur(c.net_mensuel_eur)) " par mois. " (c.hypotheses.join(" ")) }
            }
            @if let Some(actuel) = t.actuel_mensuel_eur {
                p { "Indemnités actuellement votées (colonne taux_actuel) : " (eur(actuel)) " brut par mois ; proposition : " (eur(t.mensuel_eur)) " hors majorations." }
            }
            @for r in &a.remarques { p.remarque { (r) } }
            @let perdants: Vec<&crate::optimise::indemnites::Evolution> = i.evolutions.iter().filter(|v| v.perd_son_indemnite()).collect();
            @if !perdants.is_empty() {
                p.remarque {
                    (perdants.len()) " élu·e(s) indemnisé·e(s) aujourd'hui ne le seraient plus dans la proposition : "
                    @for (k, v) in perdants.iter().enumerate() {
                        @if k > 0 { " ; " }
                        (v.nom) " (" (v.fonction.libelle()) ", " (pct(v.taux_actuel_pct.unwrap_or_default())) " aujourd'hui)"
                    }
                    ". Voir le tableau « Aujourd'hui et dans la proposition »."
                }
            }
            @for t in tableaux.iter().filter(|t| matches!(t.nom.as_str(), "indemnites" | "indemnites-evolution" | "indemnites-budget" | "tableau-annexe" | "balayage")) {
                @if t.nom == "indemnites" {
                    @let (taux, cout) = indemnites_en_deux(t);
                    div.paysage { (sans_zeros(&taux)) }
                    @if let Some(c) = cout { (sans_zeros(&c)) }
                }
                @else if t.nom == "tableau-annexe" { div.paysage { (sans_zeros(t)) } }
                @else { (sans_zeros(t)) }
            }
            @for img in images.iter().filter(|i| i.nom.starts_with("indemnites")) { (figure(img)) }
            @if !a.non_indemnises.is_empty() {
                h3 { "Élu·es non indemnisé·es" }
                ul { @for n in &a.non_indemnises { li { (n.id) " : " (n.motif) } } }
            }
        }
    }
}

/// Columns of the indemnités table that the page shows in a table of their own: what each
/// indemnité costs the budget and what the élu·e receives (issue 27). With them, the one table
/// had 17 columns and ran past a 1 024-px window; the CSV and the workbook keep them together.
const COLONNES_COUT: [&str; 3] = [
    "majoration (statut)",
    "net mensuel (avant impôt)",
    "coût chargé mensuel",
];

/// The indemnités table as the page shows it: rates and amounts, then (when the allocation has
/// its cost) net and cost per élu·e, both keyed by id and name, rows in the same order.
fn indemnites_en_deux(t: &Tableau) -> (Tableau, Option<Tableau>) {
    let garder = |pred: &dyn Fn(&str) -> bool| -> Vec<usize> {
        (0..t.colonnes.len())
            .filter(|&k| pred(&t.colonnes[k]))
            .collect()
    };
    let projeter = |cols: &[usize], nom: &str, titre: &str| Tableau {
        nom: nom.to_string(),
        titre: titre.to_string(),
        colonnes: cols.iter().map(|&k| t.colonnes[k].clone()).collect(),
        lignes: t
            .lignes
            .iter()
            .map(|l| cols.iter().filter_map(|&k| l.get(k).cloned()).collect())
            .collect(),
    };
    let cout = garder(&|c| COLONNES_COUT.contains(&c));
    if cout.is_empty() {
        return (t.clone(), None);
    }
    let taux = garder(&|c| !COLONNES_COUT.contains(&c));
    let cles: Vec<usize> = garder(&|c| matches!(c, "id" | "élu·e" | "total mensuel"));
    let cles_et_cout: Vec<usize> = cles.iter().chain(&cout).copied().collect();
    (
        projeter(&taux, &t.nom, &t.titre),
        Some(projeter(
            &cles_et_cout,
            "indemnites-cout",
            "Net et coût pour le budget, par élu·e (brut majorations comprises ; net avant impôt sur le revenu)",
        )),
    )
}

/// `t` without its rows whose every number is zero (élu·es with no role, no staff, no
/// indemnité), and a note naming them; the CSV and the workbook keep every row.
fn sans_zeros(t: &Tableau) -> Markup {
    use crate::report::tableaux::Cellule;
    let nul = |l: &Vec<Cellule>| {
        let nombres: Vec<f64> = l
            .iter()
            .filter_map(|c| match c {
                Cellule::Nombre(v, _) | Cellule::Euros(v) | Cellule::Pourcent(v) => Some(*v),
                _ => None,
            })
            .collect();
        !nombres.is_empty() && nombres.iter().all(|v| *v == 0.0)
    };
    let (zeros, gardees): (Vec<_>, Vec<_>) = t.lignes.iter().cloned().partition(nul);
    if zeros.is_empty() {
        return t.html();
    }
    let court = Tableau {
        lignes: gardees,
        ..t.clone()
    };
    // The second cell is the name in every table this is used for; else the first.
    let noms: Vec<String> = zeros
        .iter()
        .filter_map(|l| match l.get(1).or(l.first()) {
            Some(Cellule::Texte(s)) => Some(s.clone()),
            _ => None,
        })
        .collect();
    html! {
        (court.html())
        p.replie {
            (pluriel(zeros.len(), "ligne", "lignes")) " sans aucune valeur (ni effectif, ni budget, ni montant) omise(s) ici, présente(s) dans le CSV et le classeur : "
            (noms.join(", ")) "."
        }
    }
}

/// The whole page.
pub fn page(
    e: &Entrees,
    perimetres: &[Perimetre],
    images: &[Image],
    tableaux: &[Tableau],
) -> String {
    let s = e.scenario;
    let a = e.analyse;
    let p = &s.params;
    let m = &a.metriques;
    let nb = |code: &str| a.constats.iter().filter(|f| f.code == code).count();
    // One definition per count: a double rattachement is D001; D002 is a functional link
    // between groups, counted on its own line.
    let (doubles, liens, orphelins) = (nb("D001"), nb("D002"), nb("D003"));
    let points_droit: Vec<&Finding> = a
        .constats
        .iter()
        .filter(|f| f.famille == Famille::Legal && f.code.starts_with("L1"))
        .collect();
    let autres: Vec<&Finding> = a
        .constats
        .iter()
        .filter(|f| !(f.famille == Famille::Legal && f.code.starts_with("L1")))
        .collect();
    let page = html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="generator" content=(format!("collegia {}", env!("CARGO_PKG_VERSION")));
                title { "collegia — " (p.nom) }
                style { (PreEscaped(CSS)) }
            }
            body {
                a.skip href="#contenu" { "Aller au contenu" }
                header {
                    h1 { "Organisation collégiale de la majorité" }
                    p { strong { (p.nom) } " — scénario « " (e.source) " », au " (date(p.date)) "." }
                }
                nav aria-label="Sommaire" {
                    ol {
                        li { a href="#synthese" { "Synthèse" } }
                        li { a href="#constats" { "Constats" } }
                        li { a href="#groupes" { "Groupes et périmètres" } }
                        @if e.indemnites.is_some() { li { a href="#indemnites" { "Indemnités" } } }
                        @if e.proposition.is_some() || e.sans_proposition.is_some() { li { a href="#proposition" { "Proposition optimisée" } } }
                        @if e.reorganisation.is_some() { li { a href="#reorganisation" { "Réorganisation des DGA" } } }
                        li { a href="#graphiques" { "Graphiques" } }
                        li { a href="#lettres" { "Lettres de mission" } }
                        li { a href="#droit" { "Points de droit à confirmer" } }
                        li { a href="#tableaux" { "Tableaux" } }
                    }
                }
                main id="contenu" {
                    section id="synthese" aria-labelledby="h-synthese" {
                        h2 id="h-synthese" { "Synthèse" }
                        p {
                            "Population totale " (nombre(f64::from(p.population_totale), 0))
                            ", population municipale " (nombre(f64::from(p.population_municipale), 0))
                            @if p.commune_nouvelle { " ; commune nouvelle de " (pluriel(p.communes_deleguees.len(), "commune déléguée", "communes déléguées")) }
                            ". " (pluriel(s.elus.len(), "élu·e", "élu·es")) ", "
                            (pluriel(s.groupes().len(), "groupe", "groupes")) ", "
                            (pluriel(s.organigramme.len(), "nœud", "nœuds")) " dans l'organigramme ("
                            (nombre(m.effectif_total, 0)) " ETP, " (euros(m.budget_total)) " de budget annuel)."
                        }
                        dl.chiffres {
                            (chiffre("Erreurs", a.nombre(Gravite::Erreur).to_string()))
                            (chiffre("Alertes", a.nombre(Gravite::Alerte).to_string()))
                            (chiffre("Doubles rattachements", doubles.to_string()))
                            (chiffre("Liens fonctionnels entre groupes", liens.to_string()))
                            (chiffre("Services orphelins", orphelins.to_string()))
                            (chiffre("Gini de la charge des groupes", nombre(m.gini_groupes, 2)))
                        }
                    }
                    section id="constats" aria-labelledby="h-constats" {
                        h2 id="h-constats" { "Constats" }
                        @for g in Gravite::ALL {
                            @let liste: Vec<&&Finding> = autres.iter().filter(|f| f.gravite == g).collect();
                            h3 { (match g { Gravite::Erreur => "Erreurs", Gravite::Alerte => "Alertes", Gravite::Info => "Pour information" }) " (" (liste.len()) ")" }
                            @if liste.is_empty() { p { "Aucun constat." } }
                            @else { ul { @for f in liste { (constat(f)) } } }
                        }
                    }
                    section id="groupes" aria-labelledby="h-groupes" {
                        h2 id="h-groupes" { "Groupes et périmètres" }
                        @if let Some(t) = tableaux.iter().find(|t| t.nom == "groupes") { (t.html()) }
                    }
                    @if let Some(ind) = &e.indemnites {
                        (section_indemnites(ind, images, tableaux))
                    }
                    @if let Some(prop) = &e.proposition {
                        section id="proposition" aria-labelledby="h-proposition" {
                            h2 id="h-proposition" { "Proposition optimisée" }
                            p {
                                "collegia a cherché, par optimisation en nombres entiers, le plan qui confie chaque direction à un seul groupe "
                                "(ni double rattachement ni service orphelin), avec le moins de pôles par groupe, le moins de changements "
                                "et la charge la plus équilibrée ; le plan a ensuite été revérifié règle par règle, sans le solveur."
                            }
                            p { (prop.resume()) }
                            p {
                                "La proposition est écrite comme une variante du scénario dans le dossier " code { "proposition/" }
                                " : « collegia rapport <dossier du rapport>/proposition » en donne le rapport complet."
                            }
                            @for t in tableaux.iter().filter(|t| t.nom.starts_with("proposition-")) { (t.html()) }
                            @for i in images.iter().filter(|i| i.nom == "front-compromis") { (figure(i)) }
                        }
                    } @else if let Some(diagnostic) = &e.sans_proposition {
                        section id="proposition" aria-labelledby="h-proposition" {
                            h2 id="h-proposition" { "Proposition optimisée" }
                            p {
                                strong { "Aucune proposition : " }
                                "l'optimisation des groupes n'a pas trouvé de plan. Le reste du rapport est complet ; "
                                "voici pourquoi, pour décider quelle règle assouplir (verrous.csv, [groupes] de scenario.toml) :"
                            }
                            @for l in diagnostic.lines().map(str::trim).filter(|l| !l.is_empty()) { p { (l) } }
                        }
                    }
                    @if let Some(r) = &e.reorganisation {
                        (super::reorganisation::section(s, r, images))
                    }
                    section id="graphiques" aria-labelledby="h-graphiques" {
                        h2 id="h-graphiques" { "Graphiques" }
                        @for i in images.iter().filter(|i| !i.nom.starts_with("indemnites") && !i.nom.starts_with("reorganisation-") && i.nom != "front-compromis") { (figure(i)) }
                    }
                    section id="lettres" aria-labelledby="h-lettres" {
                        h2 id="h-lettres" { "Lettres de mission et feuilles de route" }
                        p { "Une lettre de mission par élu·e qui détient une délégation (dossier " code { "lettres/" } ", en Word " code { ".docx" } " et en Markdown " code { ".md" } "), une feuille de route par groupe et un projet d'arrêté de délégation de fonctions (L2122-18) par adjoint·e et conseiller·e délégué·e, à vérifier avant signature." }
                        ul.lettres {
                            @for &i in &lettres::elus_avec_lettre(s) {
                                @let nom = lettres::nom_elu(&s.elus[i]);
                                li {
                                    (s.elus[i].nom_complet()) " (" (lettres::fonction_ecrite(s, &s.elus[i])) ") : "
                                    a href=(format!("lettres/lettre-{nom}.docx")) { "lettre (Word)" } ", "
                                    a href=(format!("lettres/lettre-{nom}.md")) { "Markdown" }
                                    @if lettres::arrete(s, i).is_some() {
                                        ", " a href=(format!("lettres/projet-arrete-{nom}.docx")) { "projet d'arrêté" }
                                    }
                                }
                            }
                        }
                        h3 { "Feuilles de route des groupes" }
                        @for per in perimetres {
                            details.lettre id=(format!("lettre-{}", crate::report::ecriture::nom_de_fichier(&per.groupe))) {
                                summary { "Groupe " (per.groupe) }
                                (PreEscaped(markdown(&crate::report::document::markdown(&lettres::feuille_de_route(s, per)))))
                            }
                        }
                    }
                    section id="droit" aria-labelledby="h-droit" {
                        h2 id="h-droit" { "Points de droit à confirmer" }
                        p { "collegia applique la lecture la plus probable de ces points ; à vérifier sur Légifrance avant délibération (voir docs/droit.md)." }
                        @if points_droit.is_empty() { p { "Aucun point ouvert ne concerne ce scénario." } }
                        @else { ul { @for f in &points_droit { (constat(f)) } } }
                    }
                    section id="tableaux" aria-labelledby="h-tableaux" {
                        h2 id="h-tableaux" { "Tableaux" }
                        p { "Aussi en CSV (dossier tableaux/) et dans le classeur collegia.xlsx." }
                        @for t in tableaux.iter().filter(|t| !matches!(t.nom.as_str(), "groupes" | "indemnites" | "indemnites-budget" | "tableau-annexe" | "balayage") && !t.nom.starts_with("proposition-")) { (sans_zeros(t)) }
                    }
                }
                footer {
                    p { "Produit par collegia " (env!("CARGO_PKG_VERSION")) " à partir des fichiers du scénario « " (e.source) " ». Règles de droit : Code général des collectivités territoriales, articles cités à chaque ligne. Mêmes fichiers d'entrée, même rapport." }
                }
            }
        }
    };
    crate::report::document::sans_controles(&page.into_string()).into_owned()
}
