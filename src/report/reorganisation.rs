//! Outputs of `collegia reorganiser`: one loadable variant per stage (its organigramme with the
//! new DGA parents), the moves with their agents, reason and date of consultation of the comité
//! social territorial, each group's DGA interlocutors before and after, the measures per stage,
//! the délégations on a DGA whose perimeter changes, two SVG charts and a French summary.
//!
//! Every file is bytes built here; the command writes them atomically (`ecriture`).

use super::csv_francais::EcrivainCsv;
use super::format::nombre;
use super::graphiques::{self, Calendrier, Flux, GraphiqueError, Image, LigneFlux};
use crate::lp::Statut;
use crate::model::{Entite, Niveau, Noeud, Organigramme, Scenario};
use crate::reorganisation::{
    Donnees, Infaisabilite, Plan, PointFront, Resultat, bilan_priorites, interlocuteurs, raison,
};
use std::fmt::Write as _;

/// The legal frame, printed in the summary (French). Each rule says whether it was read.
pub const CADRE_JURIDIQUE: &[(&str, &str)] = &[
    (
        "Un·e DGA occupe un emploi fonctionnel : décret n° 87-1101 du 30 décembre 1987, article 1er, I, 2° (« directeur général adjoint des services des communes de plus de 10 000 habitants »), version consolidée lue sur Légifrance (à jour au 1er janvier 2022).",
        "vérifié",
    ),
    (
        "Le seuil était de 20 000 habitants dans une rédaction antérieure de l'article 1er (décret de 2000) : collegia applique la version consolidée ci-dessus.",
        "vérifié",
    ),
    (
        "La création d'un emploi fonctionnel relève d'une délibération du conseil municipal (création des emplois, code général de la fonction publique, art. L313-1) : texte non relu ici.",
        "non vérifié",
    ),
    (
        "Le décret n° 87-1101, dans ce qui a été lu, ne fixe pas de nombre maximal de DGA : collegia n'en invente pas ; le nombre de nouvelles DGA est celui que vous donnez (nouvelles_dga).",
        "non vérifié",
    ),
    (
        "Le comité social territorial est consulté sur l'organisation et le fonctionnement des services (code général de la fonction publique, art. L253-5) : chaque étape est à lui soumettre avant sa date ; collegia le nomme, il ne le modélise pas.",
        "non vérifié",
    ),
];

/// Alerts of the legal frame for this commune (never a refusal).
pub fn alertes(s: &Scenario, d: &Donnees) -> Vec<String> {
    let mut a = Vec::new();
    let nouvelles = d.dgas.iter().filter(|k| k.priorite.is_some()).count();
    if nouvelles > 0 && s.params.population_totale <= 10_000 {
        a.push(format!(
            "alerte (non vérifié) : la commune compte {} habitant·es ; l'emploi fonctionnel de DGA est prévu pour les communes de plus de 10 000 habitants (décret n° 87-1101, art. 1er) : une nouvelle DGA y serait un poste de direction sans ce statut",
            s.params.population_totale
        ));
    }
    a
}

/// The organigramme of a stage by ids: the new DGA open at that stage (id, libellé) and the DGA
/// of every direction of the plan (direction id, DGA id). What the séminaire keeps in its
/// journal to replay an applied stage without solving again.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rattachements {
    /// Stage (from 1).
    pub etape: usize,
    /// New DGA open at the stage: (id, libellé), in the data's order.
    pub nouvelles: Vec<(String, String)>,
    /// Every direction of the plan and its DGA at the stage: (direction id, DGA id).
    pub directions: Vec<(String, String)>,
}

/// The organigramme of stage `t` by ids ([`Rattachements`]).
pub fn rattachements(d: &Donnees, plan: &Plan, t: usize) -> Rattachements {
    Rattachements {
        etape: t,
        nouvelles: d
            .dgas
            .iter()
            .enumerate()
            .filter(|(k, x)| x.noeud.is_none() && plan.etapes[t].contains(k))
            .map(|(_, x)| (x.id.clone(), x.libelle.clone()))
            .collect(),
        directions: d
            .directions
            .iter()
            .enumerate()
            .map(|(i, dir)| (dir.id.clone(), d.dgas[plan.etapes[t][i]].id.clone()))
            .collect(),
    }
}

/// `org` (today's organigramme) with the stage's new DGA added (children of the root, at the
/// end, in order) and each direction under its DGA; everything else unchanged, so that node
/// indices (and the délégations on them) stay valid. An unknown id is an error naming it.
pub fn appliquer_rattachements(
    org: &Organigramme,
    r: &Rattachements,
) -> Result<Organigramme, String> {
    let mut noeuds: Vec<Noeud> = org.noeuds.clone();
    for (id, libelle) in &r.nouvelles {
        if org.find(id).is_some() {
            return Err(format!(
                "la nouvelle DGA « {id} » existe déjà dans l'organigramme"
            ));
        }
        noeuds.push(Noeud {
            id: id.clone(),
            libelle: libelle.clone(),
            parent: Some(org.racine),
            niveau: Niveau::Dga,
            effectif: 0.0,
            budget: 0.0,
            entite: Entite::Ville,
            axes: vec![],
            secondaires: vec![],
            territoire: None,
            estime: false,
            enfants: vec![],
            profondeur: 1,
            ligne: 0,
        });
    }
    let trouver = |id: &str| noeuds.iter().position(|n| n.id == id);
    let mut parents = Vec::with_capacity(r.directions.len());
    for (dir, dga) in &r.directions {
        let (Some(x), Some(p)) = (org.find(dir), trouver(dga)) else {
            return Err(format!(
                "direction « {dir} » ou DGA « {dga} » absente de l'organigramme"
            ));
        };
        parents.push((x, p));
    }
    for (x, p) in parents {
        noeuds[x].parent = Some(p);
    }
    for n in noeuds.iter_mut() {
        n.enfants.clear();
    }
    for i in 0..noeuds.len() {
        if let Some(p) = noeuds[i].parent {
            noeuds[p].enfants.push(i);
        }
    }
    let mut o = Organigramme::new(noeuds, org.racine);
    o.responsables = org.responsables.clone();
    o.domaines = org.domaines.clone();
    Ok(o)
}

/// The organigramme of stage `t`: moved directions under their new DGA, new DGA nodes added
/// (children of the root, at the end, id `DGA-NOUV-<priorité>`), everything else unchanged.
pub fn organigramme_etape(s: &Scenario, d: &Donnees, plan: &Plan, t: usize) -> Organigramme {
    // The ids come from the data built on this scenario: they are all in its organigramme.
    appliquer_rattachements(&s.organigramme, &rattachements(d, plan, t))
        .unwrap_or_else(|_| s.organigramme.clone())
}

fn etiquette(t: usize) -> String {
    format!("etape-{t:02}")
}

/// The solver's status in a few French words (a slide's line): « optimal (prouvé) »,
/// « écart 2,5 % à la limite », « plan de repli, non prouvé ».
pub fn statut_court(st: &Statut) -> String {
    let e = |x: &Option<f64>| {
        x.map(|v| format!("écart {} % à la limite", nombre(100.0 * v, 2)))
            .unwrap_or_else(|| "non prouvé".into())
    };
    match st {
        Statut::Optimal => "optimal (prouvé)".into(),
        Statut::EcartAtteint { ecart, .. } => format!("dans l'écart demandé ({})", e(ecart)),
        Statut::LimiteNoeuds { ecart, .. }
        | Statut::LimiteTemps { ecart, .. }
        | Statut::Interrompu { ecart, .. } => e(ecart),
        Statut::Repli { .. } => "plan de repli, non prouvé".into(),
    }
}

/// The solver's status in French.
pub fn statut_fr(st: &Statut) -> String {
    let e = |x: &Option<f64>| {
        x.map(|v| format!("écart {} %", nombre(100.0 * v, 2)))
            .unwrap_or_else(|| "écart inconnu".into())
    };
    match st {
        Statut::Optimal => "optimal (prouvé)".into(),
        Statut::EcartAtteint { ecart, .. } => format!("dans l'écart demandé ({})", e(ecart)),
        Statut::LimiteNoeuds { ecart, .. } => format!("limite de nœuds atteinte ({})", e(ecart)),
        Statut::LimiteTemps { ecart, .. } => format!("limite de temps atteinte ({})", e(ecart)),
        Statut::Interrompu { ecart, .. } => format!("interrompu ({})", e(ecart)),
        Statut::Repli { raison } => format!("plan de repli, non prouvé : {raison}"),
    }
}

/// `mouvements.csv`: one row per direction that changes DGA.
pub fn mouvements_csv(d: &Donnees, plan: &Plan) -> Vec<u8> {
    let mut w = EcrivainCsv::new();
    w.ligne([
        "etape",
        "date",
        "consultation_cst_avant",
        "direction",
        "libelle",
        "dga_avant",
        "dga_apres",
        "agents",
        "raison",
    ]);
    for t in 1..plan.etapes.len() {
        for i in plan.mouvements(t) {
            let dir = &d.directions[i];
            let date = d.dates[t - 1].format("%Y-%m-%d").to_string();
            w.ligne([
                t.to_string(),
                date.clone(),
                date,
                dir.id.clone(),
                dir.libelle.clone(),
                d.dgas[plan.etapes[t - 1][i]].id.clone(),
                d.dgas[plan.etapes[t][i]].id.clone(),
                nombre(dir.agents, 1),
                raison(d, plan, t, i),
            ]);
        }
    }
    w.octets()
}

/// `mesures.csv`: the coherence measures and agents moved, per stage (stage 0 is today).
pub fn mesures_csv(d: &Donnees, r: &Resultat) -> Vec<u8> {
    let mut w = EcrivainCsv::new();
    w.ligne([
        "etape",
        "date",
        "interlocuteurs",
        "priorites_dispersees",
        "ecart_equilibre",
        "liens_separes",
        "total_pondere",
        "agents_deplaces",
    ]);
    for (t, m) in r.mesures.iter().enumerate() {
        w.ligne([
            t.to_string(),
            if t == 0 {
                String::new()
            } else {
                d.dates[t - 1].format("%Y-%m-%d").to_string()
            },
            nombre(m.interlocuteurs, 0),
            nombre(m.priorites, 0),
            nombre(m.equilibre, 2),
            nombre(m.liens, 0),
            nombre(m.total, 3),
            if t == 0 {
                "0".into()
            } else {
                nombre(r.plan.agents(d, t), 1)
            },
        ]);
    }
    w.octets()
}

/// `interlocuteurs.csv`: each political group's DGA today and at the last stage.
pub fn interlocuteurs_csv(d: &Donnees, plan: &Plan) -> Vec<u8> {
    let avant = interlocuteurs(d, &plan.etapes[0]);
    let apres = interlocuteurs(d, plan.etapes.last().expect("stage 0"));
    let ids = |s: &std::collections::BTreeSet<usize>| {
        s.iter()
            .map(|&k| d.dgas[k].id.as_str())
            .collect::<Vec<_>>()
            .join("|")
    };
    let mut w = EcrivainCsv::new();
    w.ligne(["groupe", "nb_avant", "dga_avant", "nb_apres", "dga_apres"]);
    for (g, id) in d.groupes.iter().enumerate() {
        w.ligne([
            id.clone(),
            avant[g].len().to_string(),
            ids(&avant[g]),
            apres[g].len().to_string(),
            ids(&apres[g]),
        ]);
    }
    w.octets()
}

/// A délégation held on a DGA node whose perimeter changes at some stage:
/// `(stage, élu·e id, DGA id, directions gained, directions lost)`.
pub type DelegationTouchee = (usize, String, String, Vec<String>, Vec<String>);

/// Délégations held on a DGA node whose perimeter changes, stage by stage.
pub fn delegations_touchees(s: &Scenario, d: &Donnees, plan: &Plan) -> Vec<DelegationTouchee> {
    let mut out = Vec::new();
    for t in 1..plan.etapes.len() {
        for deleg in &s.delegations {
            let Some(k) = d.dgas.iter().position(|k| k.noeud == Some(deleg.noeud)) else {
                continue;
            };
            let gagnees: Vec<String> = plan
                .mouvements(t)
                .into_iter()
                .filter(|&i| plan.etapes[t][i] == k)
                .map(|i| d.directions[i].id.clone())
                .collect();
            let perdues: Vec<String> = plan
                .mouvements(t)
                .into_iter()
                .filter(|&i| plan.etapes[t - 1][i] == k)
                .map(|i| d.directions[i].id.clone())
                .collect();
            if !gagnees.is_empty() || !perdues.is_empty() {
                out.push((
                    t,
                    s.elus[deleg.elu].id.clone(),
                    d.dgas[k].id.clone(),
                    gagnees,
                    perdues,
                ));
            }
        }
    }
    out
}

fn delegations_csv(s: &Scenario, d: &Donnees, plan: &Plan) -> Vec<u8> {
    let mut w = EcrivainCsv::new();
    w.ligne([
        "etape",
        "elu",
        "dga",
        "directions_recues",
        "directions_cedees",
    ]);
    for (t, e, k, g, p) in delegations_touchees(s, d, plan) {
        w.ligne([t.to_string(), e, k, g.join("|"), p.join("|")]);
    }
    w.octets()
}

/// Name of the stage `t` as the charts and the report write it (« étape 3 »).
fn nom_etape(t: usize) -> String {
    format!("étape {t}")
}

/// The measures of the plan as the timeline draws them: the weighted total first, then each
/// measure, each named with its value today and at the last stage.
fn series_mesures(r: &Resultat) -> Vec<(String, Vec<f64>)> {
    let serie = |nom: &str, dec: usize, f: &dyn Fn(&crate::reorganisation::Mesures) -> f64| {
        let v: Vec<f64> = r.mesures.iter().map(f).collect();
        let (a, b) = (
            v.first().copied().unwrap_or(0.0),
            v.last().copied().unwrap_or(0.0),
        );
        (
            format!(
                "{nom} ({} → {})",
                crate::format::decimal_court(a, dec),
                crate::format::decimal_court(b, dec)
            ),
            v,
        )
    };
    vec![
        serie("cohérence pondérée", 1, &|m| m.total),
        serie("interlocuteurs", 0, &|m| m.interlocuteurs),
        serie("priorités dispersées", 0, &|m| m.priorites),
        serie("écart d'équilibre", 1, &|m| m.equilibre),
        serie("liens séparés", 0, &|m| m.liens),
    ]
}

/// The timeline chart (`calendrier`): stages × coherence measures (lines), agents moved per
/// stage (bars) and the cap per stage (a line).
pub fn calendrier(s: &Scenario, d: &Donnees, r: &Resultat) -> Result<Image, GraphiqueError> {
    let n = r.mesures.len();
    let agents: Vec<f64> = (0..n)
        .map(|t| if t == 0 { 0.0 } else { r.plan.agents(d, t) })
        .collect();
    let titre = "Calendrier : cohérence et agent·es changeant de DGA par étape";
    let c = Calendrier {
        titre: titre.into(),
        source: format!(
            "collegia reorganiser, scénario « {} » ; mesures.csv, mouvements.csv",
            s.params.nom
        ),
        etapes: (0..n).map(|t| t.to_string()).collect(),
        dates: (0..n)
            .map(|t| {
                if t == 0 {
                    String::new()
                } else {
                    d.dates[t - 1].format("%m/%Y").to_string()
                }
            })
            .collect(),
        mesures: series_mesures(r),
        agents: agents.clone(),
        plafond: d.cap_etape,
    };
    let description = format!(
        "Deux panneaux sur les {} étapes (0 = aujourd'hui). En haut, les mesures de cohérence (plus bas = plus cohérent) : la cohérence pondérée passe de {} à {}. En bas, les agent·es changeant de DGA à chaque étape ({}), sous le plafond de {} par étape (ligne rouge).",
        n.saturating_sub(1),
        nombre(r.mesures.first().map_or(0.0, |m| m.total), 2),
        nombre(r.mesures.last().map_or(0.0, |m| m.total), 2),
        agents
            .iter()
            .skip(1)
            .map(|a| nombre(*a, 0))
            .collect::<Vec<_>>()
            .join(", "),
        nombre(d.cap_etape, 0)
    );
    graphiques::rendre(&c, "calendrier", titre, &description)
}

/// The stage at which direction `i` first changes DGA (0: never).
fn etape_du_mouvement(plan: &Plan, i: usize) -> usize {
    (1..plan.etapes.len())
        .find(|&t| plan.etapes[t][i] != plan.etapes[t - 1][i])
        .unwrap_or(0)
}

/// The flow chart (`flux`): per DGA, today's directions and the last stage's, the moving ones
/// highlighted and named.
pub fn flux(s: &Scenario, d: &Donnees, plan: &Plan) -> Result<Image, GraphiqueError> {
    let fin = plan.etapes.last().expect("stage 0");
    let derniere = plan.etapes.len() - 1;
    let mut lignes = Vec::new();
    for (k, dga) in d.dgas.iter().enumerate() {
        let nouvelle = dga.priorite.is_some();
        if nouvelle && !fin.contains(&k) {
            continue;
        }
        let mut l = LigneFlux {
            dga: if nouvelle {
                format!("{} (nouvelle)", dga.id)
            } else {
                dga.id.clone()
            },
            ..Default::default()
        };
        for (i, dir) in d.directions.iter().enumerate() {
            let (a, b) = (plan.etapes[0][i], fin[i]);
            if a == k && b == k {
                l.restent += dir.agents;
            } else if a == k {
                l.partent.push((dir.id.clone(), dir.agents));
            } else if b == k {
                l.arrivent.push((
                    format!("{} (é. {})", dir.id, etape_du_mouvement(plan, i)),
                    dir.agents,
                ));
            }
        }
        lignes.push(l);
    }
    let mobiles = (0..d.directions.len())
        .filter(|&i| plan.etapes[0][i] != fin[i])
        .count();
    let titre = format!("Les directions entre DGA : aujourd'hui → étape {derniere}");
    let f = Flux {
        titre: titre.clone(),
        source: format!(
            "collegia reorganiser, scénario « {} » ; chaque mouvement, son étape et sa raison dans mouvements.csv",
            s.params.nom
        ),
        fin: nom_etape(derniere),
        lignes,
        echelle: None,
    };
    let description = format!(
        "Pour chaque DGA, deux barres empilées des agent·es de ses directions : aujourd'hui (en bleu celles qui restent, en orange celles qui partent) et à l'étape {derniere} (en vert celles qui arrivent, avec l'étape de leur arrivée) ; {} direction(s) changent de DGA.",
        mobiles
    );
    graphiques::rendre(&f, "flux", &titre, &description)
}

/// The French summary (`reorganisation.md`), also printed by the command.
pub fn resume(s: &Scenario, d: &Donnees, r: &Resultat, front: &[PointFront]) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "# Réorganisation des périmètres des DGA — {}\n",
        s.params.nom
    );
    let _ = writeln!(
        o,
        "{} directions sous {} DGA existantes{}, {} étapes (du {} au {}), au plus {} agents changeant de DGA par étape{}.\n",
        d.directions.len(),
        d.nb_existantes(),
        match d.dgas.len() - d.nb_existantes() {
            0 => String::new(),
            n => format!(
                " et {n} nouvelle(s) possible(s) (au plus {})",
                d.params.nouvelles_dga
            ),
        },
        d.nb_etapes(),
        d.dates
            .first()
            .map(|x| x.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        d.dates
            .last()
            .map(|x| x.format("%d/%m/%Y").to_string())
            .unwrap_or_default(),
        nombre(d.cap_etape, 0),
        d.cap_mandat
            .map(|m| format!(" et {} sur le mandat", nombre(m, 0)))
            .unwrap_or_default()
    );
    let _ = writeln!(o, "Résolution : {}.\n", statut_fr(&r.statut));
    let _ = writeln!(o, "## Étapes\n");
    let _ = writeln!(
        o,
        "| Étape | Date (CST consulté avant) | Directions déplacées | Agents | Interlocuteurs | Priorités dispersées | Écart d'équilibre | Liens séparés | Cohérence pondérée |"
    );
    let _ = writeln!(o, "|---|---|---|---|---|---|---|---|---|");
    for (t, m) in r.mesures.iter().enumerate() {
        let (date, mv, ag) = if t == 0 {
            ("aujourd'hui".to_string(), String::new(), String::new())
        } else {
            (
                d.dates[t - 1].format("%d/%m/%Y").to_string(),
                r.plan
                    .mouvements(t)
                    .iter()
                    .map(|&i| {
                        format!(
                            "{} → {}",
                            d.directions[i].id, d.dgas[r.plan.etapes[t][i]].id
                        )
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                nombre(r.plan.agents(d, t), 1),
            )
        };
        let _ = writeln!(
            o,
            "| {t} | {date} | {mv} | {ag} | {} | {} | {} | {} | {} |",
            nombre(m.interlocuteurs, 0),
            nombre(m.priorites, 0),
            nombre(m.equilibre, 2),
            nombre(m.liens, 0),
            nombre(m.total, 2)
        );
    }
    let _ = writeln!(o, "\n## Priorités\n");
    for b in bilan_priorites(d, &r.plan) {
        let _ = writeln!(o, "- {b}");
    }
    let touchees = delegations_touchees(s, d, &r.plan);
    if !touchees.is_empty() {
        let _ = writeln!(
            o,
            "\n## Délégations portant sur une DGA dont le périmètre change\n"
        );
        for (t, e, k, g, p) in touchees {
            let _ = writeln!(
                o,
                "- étape {t} : {e}, délégation sur {k}{}{}",
                if g.is_empty() {
                    String::new()
                } else {
                    format!(" ; reçoit {}", g.join(", "))
                },
                if p.is_empty() {
                    String::new()
                } else {
                    format!(" ; cède {}", p.join(", "))
                }
            );
        }
    }
    let nouvelles: Vec<String> = d
        .dgas
        .iter()
        .enumerate()
        .filter(|(k, x)| {
            x.priorite.is_some() && r.plan.etapes.last().is_some_and(|e| e.contains(k))
        })
        .map(|(_, x)| format!("{} ({})", x.id, x.libelle))
        .collect();
    if !nouvelles.is_empty() {
        let _ = writeln!(
            o,
            "\n## Nouvelles DGA\n\n{} : identifiants `DGA-NOUV-<priorité>`, rattachées au DGS dans l'organigramme de chaque étape.",
            nouvelles.join(", ")
        );
    }
    if !front.is_empty() {
        let _ = writeln!(o, "\n## Front : rythme du changement et cohérence finale\n");
        let _ = writeln!(
            o,
            "| Part du plafond par étape | Plafond | Agents déplacés | Cohérence finale | Résolution |"
        );
        let _ = writeln!(o, "|---|---|---|---|---|");
        for p in front {
            let _ = writeln!(
                o,
                "| {} % | {} | {} | {} | {} |",
                nombre(100.0 * p.part, 0),
                nombre(p.cap_etape, 0),
                nombre(p.agents, 1),
                p.final_
                    .map(|m| nombre(m.total, 2))
                    .unwrap_or_else(|| "—".into()),
                match &p.resultat {
                    Ok((_, st)) => statut_fr(st),
                    Err(e) => e.clone(),
                }
            );
        }
    }
    let _ = writeln!(o, "\n## Cadre juridique et social\n");
    for (texte, statut) in CADRE_JURIDIQUE {
        let _ = writeln!(o, "- {texte} ({statut})");
    }
    for a in alertes(s, d) {
        let _ = writeln!(o, "- {a}");
    }
    for a in &d.avertissements {
        let _ = writeln!(o, "- Remarque : {a}.");
    }
    o
}

/// Every file of the output folder: `etape-NN/` variants (scenario.toml with `base` = the path
/// from that folder to the scenario, and organigramme.csv), the CSV tables, the charts and the
/// summary. `base` maps a stage folder name to its relative base path.
pub fn fichiers(
    s: &Scenario,
    d: &Donnees,
    r: &Resultat,
    front: &[PointFront],
    base: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    let mut f = Vec::new();
    for t in 1..r.plan.etapes.len() {
        let dossier = etiquette(t);
        let b = base(&dossier).ok_or_else(|| {
            "impossible d'exprimer le chemin du scénario depuis le dossier de sortie".to_string()
        })?;
        let nom = format!("{} — réorganisation, étape {t}", s.params.nom);
        let commentaire = format!(
            "Variante écrite par collegia reorganiser : étape {t} du {}, organigramme avec les nouveaux rattachements des directions aux DGA.\nConsulter le comité social territorial avant cette date.",
            d.dates[t - 1].format("%d/%m/%Y")
        );
        f.push((
            format!("{dossier}/scenario.toml"),
            super::scenario::toml_variante(&commentaire, &b, &nom),
        ));
        f.push((
            format!("{dossier}/organigramme.csv"),
            super::scenario::organigramme_csv(&organigramme_etape(s, d, &r.plan, t)),
        ));
    }
    f.push(("mouvements.csv".into(), mouvements_csv(d, &r.plan)));
    f.push(("mesures.csv".into(), mesures_csv(d, r)));
    f.push(("interlocuteurs.csv".into(), interlocuteurs_csv(d, &r.plan)));
    f.push((
        "delegations_perimetre.csv".into(),
        delegations_csv(s, d, &r.plan),
    ));
    for i in [calendrier(s, d, r), flux(s, d, &r.plan)] {
        let i = i.map_err(|e| e.to_string())?;
        f.push((format!("{}.svg", i.nom), i.svg.into_bytes()));
        f.push((format!("{}.png", i.nom), i.png));
    }
    f.push((
        "reorganisation.md".into(),
        resume(s, d, r, front).into_bytes(),
    ));
    Ok(f)
}

/// The diagnosis of an infeasible plan, in French.
pub fn infaisabilite(i: &Infaisabilite) -> String {
    let mut o = String::from("Aucun plan par étapes ne respecte toutes les règles.\n");
    if !i.familles.is_empty() {
        o.push_str("Familles de règles en conflit (en relâcher une suffit) :\n");
        for f in &i.familles {
            let _ = writeln!(o, "  - {}", f.libelle());
        }
    }
    if !i.cles.is_empty() {
        o.push_str("Règles qui ne peuvent tenir ensemble :\n");
        for c in &i.cles {
            let _ = writeln!(o, "  - {}", c.decrire());
        }
    }
    if !i.complet {
        o.push_str("(diagnostic incomplet : limite de temps atteinte)\n");
    }
    o
}

/// `rapport --reorganiser`: the plan solved for the report, with its data; an infeasible plan
/// is not an error of the report: the diagnosis (French) stands for the plan.
pub fn resoudre_pour_rapport(
    s: &Scenario,
    fichiers_entree: &[std::path::PathBuf],
    limite_temps: f64,
) -> Result<(Donnees, Result<Resultat, String>), crate::ingest::IngestError> {
    let toml = fichiers_entree
        .iter()
        .find(|f| f.ends_with("scenario.toml"))
        .map(|f| f.display().to_string())
        .unwrap_or_else(|| "scenario.toml".into());
    let d = Donnees::depuis_scenario(s, &toml)?;
    let o = crate::lp::Options {
        limite_temps,
        ..Default::default()
    };
    let r = match crate::reorganisation::reorganiser(&d, &o) {
        Ok(r) => Ok(r),
        Err(crate::reorganisation::Echec::Infaisable(i)) => Err(infaisabilite(&i)),
        Err(crate::reorganisation::Echec::Solveur(e)) => Err(format!("Erreur du solveur : {e}.")),
    };
    Ok((d, r))
}

/// The plan's files under `reorganisation/` of the report folder (see [`fichiers`]); without
/// a plan, its diagnosis is the summary `reorganisation.md`.
pub fn fichiers_rapport(
    s: &Scenario,
    d: &Donnees,
    r: &Result<Resultat, String>,
    base: &dyn Fn(&str) -> Option<String>,
) -> Vec<(String, Vec<u8>)> {
    let f = match r {
        Ok(r) => fichiers(s, d, r, &[], base).unwrap_or_else(|e| {
            vec![(
                "reorganisation.md".into(),
                format!("# Réorganisation\n\n{e}.\n").into_bytes(),
            )]
        }),
        Err(e) => vec![(
            "reorganisation.md".into(),
            format!("# Réorganisation des périmètres des DGA\n\n{e}").into_bytes(),
        )],
    };
    f.into_iter()
        .map(|(n, o)| (format!("reorganisation/{n}"), o))
        .collect()
}
