//! The report's « Réorganisation des DGA » section (`rapport --reorganiser`, issue 29): the
//! staged plan of [`crate::reorganisation`] stage by stage (date, moves with their agents and
//! reason, the date by which the comité social territorial is consulted, the measures and
//! their evolution, délégations whose perimeter changes), each group's DGA interlocutors
//! before and after, the new DGA and the legal frame with its status, the two charts and links
//! to each stage's variant in `reorganisation/`.
//!
//! The files of `reorganisation/` themselves are [`crate::report::reorganisation::fichiers`].

use crate::model::Scenario;
use crate::reorganisation::{Donnees, Resultat, bilan_priorites, interlocuteurs, raison};
use crate::report::format::nombre;
use crate::report::graphiques::{GraphiqueError, Image};
use crate::report::reorganisation as sorties;
use crate::report::tableaux::{Cellule, Tableau};
use maud::{Markup, PreEscaped, html};

/// The reorganisation given to the report.
#[derive(Debug, Clone, Copy)]
pub enum Reorganisation<'a> {
    /// A verified staged plan.
    Plan {
        /// Its data.
        donnees: &'a Donnees,
        /// The plan, its status and measures.
        resultat: &'a Resultat,
    },
    /// No plan: why, in French (the rules in conflict, or the solver's failure).
    Echec(&'a str),
}

/// Name of a chart of the plan in `reorganisation/` (`calendrier`, `flux`), as the report's
/// images are named (`reorganisation-calendrier`): the report's slides and section find them
/// by it.
pub const CALENDRIER: &str = "reorganisation-calendrier";
/// See [`CALENDRIER`].
pub const FLUX: &str = "reorganisation-flux";

/// The two charts of the plan, named [`CALENDRIER`] and [`FLUX`].
pub fn graphiques(s: &Scenario, d: &Donnees, r: &Resultat) -> Result<Vec<Image>, GraphiqueError> {
    let mut c = sorties::calendrier(s, d, r)?;
    c.nom = CALENDRIER.into();
    let mut f = sorties::flux(s, d, &r.plan)?;
    f.nom = FLUX.into();
    Ok(vec![c, f])
}

/// The file of a chart in `reorganisation/` (`calendrier.svg`).
fn fichier(i: &Image, ext: &str) -> String {
    format!(
        "reorganisation/{}.{ext}",
        i.nom.trim_start_matches("reorganisation-")
    )
}

fn figure(i: &Image) -> Markup {
    html! {
        figure role="group" aria-labelledby=(format!("fig-{}", i.nom)) {
            div role="img" aria-label=(i.description) { (PreEscaped(super::html::svg_sans_entete(&i.svg))) }
            figcaption id=(format!("fig-{}", i.nom)) {
                strong { (i.titre) } ". " (i.description)
                " Fichiers : " a href=(fichier(i, "svg")) { "SVG" } ", "
                a href=(fichier(i, "png")) { "PNG" } "."
            }
        }
    }
}

/// Date of stage `t` (≥ 1), French.
pub fn date_etape(d: &Donnees, t: usize) -> String {
    d.dates[t - 1].format("%d/%m/%Y").to_string()
}

/// One move of stage `t` in words: « DIR-SANTE (Direction de la santé, 40 agent·es) :
/// DGA-SOL → DGA-AMEN — rassemble la priorité « Santé » ».
pub fn phrase_mouvement(d: &Donnees, r: &Resultat, t: usize, i: usize) -> String {
    let dir = &d.directions[i];
    let p = &r.plan;
    format!(
        "{} ({}, {} agent·es) : {} → {} — {}",
        dir.id,
        dir.libelle,
        nombre(dir.agents, 1),
        d.dgas[p.etapes[t - 1][i]].id,
        d.dgas[p.etapes[t][i]].id,
        raison(d, p, t, i)
    )
}

/// The evolution of the measures from stage `t − 1` to stage `t`, in words.
pub fn evolution(r: &Resultat, t: usize) -> String {
    let (a, b) = (&r.mesures[t - 1], &r.mesures[t]);
    let f = |x: f64, dec: usize| crate::format::decimal_court(x, dec);
    format!(
        "cohérence pondérée {} → {} ; interlocuteurs {} → {} ; priorités dispersées {} → {} ; écart d'équilibre {} → {} ; liens séparés {} → {}",
        f(a.total, 2),
        f(b.total, 2),
        f(a.interlocuteurs, 0),
        f(b.interlocuteurs, 0),
        f(a.priorites, 0),
        f(b.priorites, 0),
        f(a.equilibre, 2),
        f(b.equilibre, 2),
        f(a.liens, 0),
        f(b.liens, 0)
    )
}

/// The sentence naming the consultation of the comité social territorial before stage `t`.
pub fn consultation(d: &Donnees, t: usize) -> String {
    format!(
        "Consulter le comité social territorial avant le {} (code général de la fonction publique, art. L253-5, non vérifié).",
        date_etape(d, t)
    )
}

fn tableau_mouvements(d: &Donnees, r: &Resultat, t: usize) -> Tableau {
    let p = &r.plan;
    Tableau {
        nom: format!("reorganisation-etape-{t:02}"),
        titre: format!("Étape {t} : directions qui changent de DGA"),
        colonnes: [
            "direction",
            "libellé",
            "DGA avant",
            "DGA après",
            "agent·es",
            "raison",
        ]
        .map(String::from)
        .to_vec(),
        lignes: p
            .mouvements(t)
            .into_iter()
            .map(|i| {
                let dir = &d.directions[i];
                vec![
                    Cellule::t(&dir.id),
                    Cellule::t(&dir.libelle),
                    Cellule::t(&d.dgas[p.etapes[t - 1][i]].id),
                    Cellule::t(&d.dgas[p.etapes[t][i]].id),
                    Cellule::Nombre(dir.agents, 1),
                    Cellule::t(raison(d, p, t, i)),
                ]
            })
            .collect(),
    }
}

/// The measures at each stage (stage 0 is today).
pub fn tableau_mesures(d: &Donnees, r: &Resultat) -> Tableau {
    Tableau {
        nom: "reorganisation-mesures".into(),
        titre:
            "Mesures de cohérence et agent·es déplacé·es à chaque étape (plus bas = plus cohérent)"
                .into(),
        colonnes: [
            "étape",
            "date",
            "agent·es déplacé·es",
            "interlocuteurs",
            "priorités dispersées",
            "écart d'équilibre",
            "liens séparés",
            "cohérence pondérée",
        ]
        .map(String::from)
        .to_vec(),
        lignes: r
            .mesures
            .iter()
            .enumerate()
            .map(|(t, m)| {
                vec![
                    Cellule::Nombre(t as f64, 0),
                    // Month and year: the column stays narrow enough for eight columns at 1 024 px.
                    Cellule::t(if t == 0 {
                        "aujourd'hui".to_string()
                    } else {
                        d.dates[t - 1].format("%m/%Y").to_string()
                    }),
                    Cellule::Nombre(if t == 0 { 0.0 } else { r.plan.agents(d, t) }, 1),
                    Cellule::Nombre(m.interlocuteurs, 0),
                    Cellule::Nombre(m.priorites, 0),
                    Cellule::Nombre(m.equilibre, 2),
                    Cellule::Nombre(m.liens, 0),
                    Cellule::Nombre(m.total, 2),
                ]
            })
            .collect(),
    }
}

/// Each political group's DGA interlocutors today and at the last stage.
pub fn tableau_interlocuteurs(d: &Donnees, r: &Resultat) -> Tableau {
    let p = &r.plan;
    let avant = interlocuteurs(d, &p.etapes[0]);
    let apres = interlocuteurs(d, p.etapes.last().expect("stage 0"));
    let ids = |s: &std::collections::BTreeSet<usize>| {
        s.iter()
            .map(|&k| d.dgas[k].id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    Tableau {
        nom: "reorganisation-interlocuteurs".into(),
        titre: format!(
            "DGA interlocutrices de chaque groupe, aujourd'hui et à l'étape {}",
            p.etapes.len() - 1
        ),
        colonnes: [
            "groupe",
            "nombre aujourd'hui",
            "DGA aujourd'hui",
            "nombre après",
            "DGA après",
        ]
        .map(String::from)
        .to_vec(),
        lignes: d
            .groupes
            .iter()
            .enumerate()
            .map(|(g, id)| {
                vec![
                    Cellule::t(id),
                    Cellule::Nombre(avant[g].len() as f64, 0),
                    Cellule::t(ids(&avant[g])),
                    Cellule::Nombre(apres[g].len() as f64, 0),
                    Cellule::t(ids(&apres[g])),
                ]
            })
            .collect(),
    }
}

/// New DGA open at the last stage: « DGA-NOUV-sante (Pôle santé), créée à l'étape 2 ».
pub fn nouvelles_dga(d: &Donnees, r: &Resultat) -> Vec<String> {
    let p = &r.plan;
    d.dgas
        .iter()
        .enumerate()
        .filter(|(k, x)| x.priorite.is_some() && p.etapes.last().is_some_and(|e| e.contains(k)))
        .map(|(k, x)| {
            let t = (1..p.etapes.len())
                .find(|&t| p.etapes[t].contains(&k))
                .unwrap_or(0);
            format!("{} ({}), créée à l'étape {t}", x.id, x.libelle)
        })
        .collect()
}

/// The section of `index.html`.
pub fn section(s: &Scenario, r: &Reorganisation, images: &[Image]) -> Markup {
    let (d, res) = match r {
        Reorganisation::Echec(diagnostic) => {
            return html! {
                section id="reorganisation" aria-labelledby="h-reorganisation" {
                    h2 id="h-reorganisation" { "Réorganisation des DGA" }
                    p {
                        strong { "Aucun plan par étapes : " }
                        "le reste du rapport est complet ; voici pourquoi, pour décider quelle règle assouplir ([reorganisation] de scenario.toml, voir docs/reorganisation.md) :"
                    }
                    @for l in diagnostic.lines().map(str::trim).filter(|l| !l.is_empty()) { p { (l) } }
                }
            };
        }
        Reorganisation::Plan { donnees, resultat } => (*donnees, *resultat),
    };
    let p = &res.plan;
    let n = p.etapes.len() - 1;
    let image = |nom: &str| images.iter().find(|i| i.nom == nom);
    let (m0, mf) = (
        res.mesures.first().copied().unwrap_or_default(),
        res.mesures.last().copied().unwrap_or_default(),
    );
    let total_agents: f64 = (1..=n).map(|t| p.agents(d, t)).sum();
    let touchees = sorties::delegations_touchees(s, d, p);
    let nouvelles = nouvelles_dga(d, res);
    html! {
        section id="reorganisation" aria-labelledby="h-reorganisation" {
            h2 id="h-reorganisation" { "Réorganisation des DGA" }
            p {
                "Quelles directions placer sous quelle DGA, et dans quel ordre : une étape par séminaire, "
                (nombre(d.cap_etape, 0)) " agent·es au plus changeant de DGA par étape"
                @if let Some(m) = d.cap_mandat { " et " (nombre(m, 0)) " sur le mandat" }
                ", aucune étape moins cohérente que la précédente. "
                (d.directions.len()) " directions sous " (d.nb_existantes()) " DGA existantes"
                @if d.dgas.len() > d.nb_existantes() { " (et " (d.dgas.len() - d.nb_existantes()) " nouvelle(s) possible(s))" }
                ", " (n) " étapes"
                @if n > 0 { " du " (date_etape(d, 1)) " au " (date_etape(d, n)) }
                ". Résolution : " (sorties::statut_fr(&res.statut)) "."
            }
            dl.chiffres {
                (super::html::chiffre("Cohérence pondérée", format!("{} → {}", nombre(m0.total, 2), nombre(mf.total, 2))))
                (super::html::chiffre("Interlocuteurs (groupe, DGA)", format!("{} → {}", nombre(m0.interlocuteurs, 0), nombre(mf.interlocuteurs, 0))))
                (super::html::chiffre("Agent·es changeant de DGA", nombre(total_agents, 1)))
                (super::html::chiffre("Directions déplacées", (0..d.directions.len()).filter(|&i| p.etapes[0][i] != p.etapes[n][i]).count().to_string()))
                (super::html::chiffre("Nouvelles DGA", nouvelles.len().to_string()))
            }
            p {
                "Chaque étape est une variante complète du scénario, dans le dossier " code { "reorganisation/" }
                " du rapport, que « collegia verifier », « analyser », « rapport » et « comparer » lisent ; les tableaux sont aussi en CSV ("
                a href="reorganisation/mouvements.csv" { "mouvements" } ", "
                a href="reorganisation/mesures.csv" { "mesures" } ", "
                a href="reorganisation/interlocuteurs.csv" { "interlocuteurs" } ", "
                a href="reorganisation/delegations_perimetre.csv" { "délégations touchées" } ") et le résumé dans "
                a href="reorganisation/reorganisation.md" { "reorganisation.md" } "."
            }
            @if let Some(i) = image(CALENDRIER) { (figure(i)) }
            h3 { "Étape par étape" }
            @for t in 1..=n {
                @let mv = p.mouvements(t);
                h4 id=(format!("reorganisation-etape-{t}")) { "Étape " (t) " — " (date_etape(d, t)) }
                p {
                    @if mv.is_empty() { "Aucune direction ne change de DGA à cette étape. " }
                    @else { (mv.len()) " direction(s), " (nombre(p.agents(d, t), 1)) " agent·es changent de DGA (plafond : " (nombre(d.cap_etape, 0)) "). " }
                    "Mesures : " (evolution(res, t)) "."
                }
                @if !mv.is_empty() {
                    p { (consultation(d, t)) }
                    (tableau_mouvements(d, res, t).html())
                }
                @let ici: Vec<&sorties::DelegationTouchee> = touchees.iter().filter(|x| x.0 == t).collect();
                @if !ici.is_empty() {
                    ul {
                        @for (_, e, k, g, q) in ici {
                            li {
                                "Délégation de " (e) " sur " (k) " : le périmètre change"
                                @if !g.is_empty() { " ; reçoit " (g.join(", ")) }
                                @if !q.is_empty() { " ; cède " (q.join(", ")) }
                                " (la délégation elle-même est inchangée)."
                            }
                        }
                    }
                }
                p.replie {
                    "Variante de l'étape : "
                    a href=(format!("reorganisation/etape-{t:02}/scenario.toml")) { "scenario.toml" } ", "
                    a href=(format!("reorganisation/etape-{t:02}/organigramme.csv")) { "organigramme.csv" } "."
                }
            }
            h3 { "Mesures à chaque étape" }
            (tableau_mesures(d, res).html())
            @if let Some(i) = image(FLUX) { (figure(i)) }
            h3 { "Interlocuteurs de chaque groupe" }
            (tableau_interlocuteurs(d, res).html())
            @let bilan = bilan_priorites(d, p);
            @if !bilan.is_empty() {
                h3 { "Priorités de la majorité" }
                ul { @for b in &bilan { li { (b) } } }
            }
            @if !nouvelles.is_empty() {
                h3 { "Nouvelles DGA" }
                p {
                    (nouvelles.join(" ; ")) ". Identifiants " code { "DGA-NOUV-<priorité>" } ", rattachées au DGS dans l'organigramme de chaque étape."
                }
            }
            h3 { "Cadre juridique et social" }
            ul {
                @for (texte, statut) in sorties::CADRE_JURIDIQUE {
                    li {
                        (texte) " "
                        @if *statut == "vérifié" { "(vérifié)" } @else { span.non-verifie { "(" (statut) ")" } }
                    }
                }
                @for a in sorties::alertes(s, d) { li.non-verifie { (a) } }
                @for a in &d.avertissements { li { "Remarque : " (a) "." } }
            }
        }
    }
}
