//! `collegia comparer`: several scenarios side by side (findings, doubles, orphans, spread,
//! groups, envelope use and cost, spread of indemnités, posts by sex and component), what moved
//! between the first scenario and each other, comparison charts, and an HTML page.
//!
//! Pure functions from loaded scenarios and their results to data, text and files.

use crate::analyse::{Analyse, Couverture, Graphe, Gravite, Porteur};
use crate::model::{Fonction, Liste, Niveau, Scenario, Sexe};
use crate::optimise::indemnites::{Allocation, en_f64};
use crate::report::format::{euros, nombre, pourcent};
use crate::report::graphiques::{self, BarresGroupees, Image, Lorenz};
use crate::report::rapport::Fichier;
use crate::report::tableaux::{Cellule, Tableau};
use maud::{DOCTYPE, PreEscaped, html};
use std::collections::{BTreeMap, BTreeSet};

/// One scenario with its results.
#[derive(Debug, Clone)]
pub struct Colonne<'a> {
    /// Short name (folder name).
    pub nom: String,
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its analysis.
    pub analyse: &'a Analyse,
    /// Its allocation, or why there is none (infeasible policy).
    pub allocation: Result<&'a Allocation, String>,
}

/// Key figures of one scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Chiffres {
    /// Erreurs, alertes.
    pub erreurs: usize,
    /// Alertes.
    pub alertes: usize,
    /// Doubles rattachements (D001).
    pub doubles: usize,
    /// Functional links between groups (D002), counted on their own line.
    pub liens: usize,
    /// Orphan findings (D003).
    pub orphelins: usize,
    /// Number of groups.
    pub groupes: usize,
    /// Mean number of pôles (DGA) a group pilots in.
    pub poles_par_groupe: f64,
    /// Gini of the staff load across groups.
    pub gini_charge: f64,
    /// Envelope used, in % of the envelope.
    pub part_enveloppe: Option<f64>,
    /// Monthly cost including majorations.
    pub cout_mensuel: Option<f64>,
    /// Annual cost.
    pub cout_annuel: Option<f64>,
    /// Annual cost with the employer's contributions (issue 27 item 7).
    pub cout_charge_annuel: Option<f64>,
    /// Six-year cost with the employer's contributions.
    pub cout_charge_mandat: Option<f64>,
    /// Monthly net of the élu·es, before income tax.
    pub net_mensuel: Option<f64>,
    /// Training budget floor (L2123-14), per year.
    pub formation_plancher: Option<f64>,
    /// Max/min ratio of délégué·es' rates.
    pub ratio: Option<f64>,
    /// Gini of délégué·es' rates.
    pub gini_indemnites: Option<f64>,
    /// Adjoint·es (F, M).
    pub adjoints: (usize, usize),
    /// Élu·es with a délégation (F, M).
    pub delegues: (usize, usize),
}

/// Key figures of a scenario.
pub fn chiffres(c: &Colonne) -> Chiffres {
    let a = c.analyse;
    let nb = |code: &str| a.constats.iter().filter(|f| f.code == code).count();
    let s = c.scenario;
    // The one definition of a group's pôles (D004's), averaged over the groups.
    let par_groupe = crate::analyse::silos::poles_des_groupes(s);
    let poles = if par_groupe.is_empty() {
        0.0
    } else {
        par_groupe.values().map(|p| p.len() as f64).sum::<f64>() / par_groupe.len() as f64
    };
    let a_delegation: BTreeSet<usize> = s.delegations.iter().map(|d| d.elu).collect();
    let compte = |f: &dyn Fn(usize) -> bool| {
        let fem = (0..s.elus.len())
            .filter(|&i| f(i) && s.elus[i].sexe == Sexe::F)
            .count();
        let hom = (0..s.elus.len())
            .filter(|&i| f(i) && s.elus[i].sexe == Sexe::M)
            .count();
        (fem, hom)
    };
    let al = c.allocation.as_ref().ok();
    let charges = al.and_then(|x| x.totaux.charges.as_ref());
    Chiffres {
        erreurs: a.nombre(Gravite::Erreur),
        alertes: a.nombre(Gravite::Alerte),
        doubles: nb("D001"),
        liens: nb("D002"),
        orphelins: nb("D003"),
        groupes: s.groupes().len(),
        poles_par_groupe: poles,
        gini_charge: a.metriques.gini_groupes,
        part_enveloppe: al.map(|x| en_f64(x.totaux.part_utilisee_pct)),
        cout_mensuel: al.map(|x| en_f64(x.totaux.mensuel_eur + x.totaux.majorations_eur)),
        cout_annuel: al.map(|x| en_f64(x.totaux.annuel_eur)),
        cout_charge_annuel: charges.map(|c| en_f64(c.cout_annuel_eur)),
        cout_charge_mandat: charges.map(|c| en_f64(c.cout_mandat_eur)),
        net_mensuel: charges.map(|c| en_f64(c.net_mensuel_eur)),
        formation_plancher: charges.map(|c| en_f64(c.formation.plancher_eur)),
        ratio: al
            .and_then(|x| x.dispersion.as_ref())
            .map(|d| en_f64(d.ratio)),
        gini_indemnites: al
            .and_then(|x| x.dispersion.as_ref())
            .map(|d| en_f64(d.gini)),
        adjoints: compte(&|i| s.elus[i].fonction == Fonction::Adjoint),
        delegues: compte(&|i| a_delegation.contains(&i) && s.elus[i].liste == Liste::Majorite),
    }
}

fn porteurs_par_noeud(s: &Scenario) -> BTreeMap<String, String> {
    let cov = Couverture::calculer(s, &Graphe::construire(s));
    let org = &s.organigramme;
    (0..org.len())
        .filter(|&n| matches!(org.noeud(n).niveau, Niveau::Direction | Niveau::Service))
        .map(|n| {
            let p: Vec<&str> = cov.porteurs[n].iter().map(Porteur::id).collect();
            (
                org.noeud(n).id.clone(),
                if p.is_empty() {
                    "aucun".to_string()
                } else {
                    p.join(" + ")
                },
            )
        })
        .collect()
}

/// Directions and services whose leading porteur changes from `a` to `b`: (id, libellé, before,
/// after). A node under a moved direction is listed only if its own porteur differs from its
/// parent's move, to keep the list readable.
pub fn noeuds_deplaces(a: &Scenario, b: &Scenario) -> Vec<(String, String, String, String)> {
    let pa = porteurs_par_noeud(a);
    let pb = porteurs_par_noeud(b);
    let org = &b.organigramme;
    let mut out = Vec::new();
    for (id, apres) in &pb {
        let avant = pa.get(id).cloned().unwrap_or_else(|| "absent".into());
        if &avant == apres {
            continue;
        }
        let n = org.find(id);
        let parent_same_move = n
            .and_then(|n| org.noeud(n).parent)
            .map(|p| org.noeud(p).id.clone())
            .is_some_and(|pid| pa.get(&pid) == Some(&avant) && pb.get(&pid) == Some(apres));
        if parent_same_move {
            continue;
        }
        let lib = n.map(|n| org.noeud(n).libelle.clone()).unwrap_or_default();
        out.push((id.clone(), lib, avant, apres.clone()));
    }
    out
}

/// Élu·es whose fonction, group or proposed rate changes from `a` to `b`: (id, name, what).
pub fn elus_modifies(a: &Colonne, b: &Colonne) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let taux = |c: &Colonne, id: &str| -> Option<f64> {
        c.allocation
            .as_ref()
            .ok()
            .and_then(|x| x.lignes.iter().find(|l| l.id == id))
            .map(|l| en_f64(l.taux_pct))
    };
    for e in &b.scenario.elus {
        let Some(i) = a.scenario.find_elu(&e.id) else {
            out.push((e.id.clone(), e.nom_complet(), "nouvel·le élu·e".into()));
            continue;
        };
        let x = &a.scenario.elus[i];
        let mut quoi = Vec::new();
        if x.fonction != e.fonction {
            quoi.push(format!(
                "fonction : {} → {}",
                x.fonction.libelle(),
                e.fonction.libelle()
            ));
        }
        if x.groupe != e.groupe {
            quoi.push(format!(
                "groupe : {} → {}",
                x.groupe.as_deref().unwrap_or("aucun"),
                e.groupe.as_deref().unwrap_or("aucun")
            ));
        }
        // Rates compare only when both scenarios have an allocation.
        let comparables = a.allocation.is_ok() && b.allocation.is_ok();
        match if comparables {
            (taux(a, &e.id), taux(b, &e.id))
        } else {
            (None, None)
        } {
            (Some(t1), Some(t2)) if (t1 - t2).abs() >= 0.005 => {
                quoi.push(format!("taux : {} → {}", pourcent(t1), pourcent(t2)))
            }
            (Some(t1), None) => quoi.push(format!("taux : {} → non indemnisé·e", pourcent(t1))),
            (None, Some(t2)) => quoi.push(format!("taux : non indemnisé·e → {}", pourcent(t2))),
            _ => {}
        }
        if !quoi.is_empty() {
            out.push((e.id.clone(), e.nom_complet(), quoi.join(" ; ")));
        }
    }
    out
}

/// The side-by-side table.
pub fn synthese(cols: &[Colonne]) -> Tableau {
    let ch: Vec<Chiffres> = cols.iter().map(chiffres).collect();
    let mut colonnes = vec!["indicateur".to_string()];
    colonnes.extend(cols.iter().map(|c| c.nom.clone()));
    let ligne = |nom: &str, f: &dyn Fn(&Chiffres) -> Cellule| {
        let mut l = vec![Cellule::t(nom)];
        l.extend(ch.iter().map(f));
        l
    };
    let n = |v: usize| Cellule::Nombre(v as f64, 0);
    let o = |v: Option<f64>, d: usize| {
        v.map(|x| Cellule::Nombre(x, d))
            .unwrap_or(Cellule::t("infaisable"))
    };
    Tableau {
        nom: "comparaison".into(),
        titre: "Scénarios côte à côte".into(),
        colonnes,
        lignes: vec![
            ligne("erreurs", &|c| n(c.erreurs)),
            ligne("alertes", &|c| n(c.alertes)),
            ligne("doubles rattachements", &|c| n(c.doubles)),
            ligne("liens fonctionnels entre groupes", &|c| n(c.liens)),
            ligne("services orphelins", &|c| n(c.orphelins)),
            ligne("groupes", &|c| n(c.groupes)),
            ligne("pôles par groupe (moyenne)", &|c| {
                Cellule::Nombre(c.poles_par_groupe, 2)
            }),
            ligne("Gini de la charge des groupes", &|c| {
                Cellule::Nombre(c.gini_charge, 3)
            }),
            ligne("part de l'enveloppe utilisée (%)", &|c| {
                o(c.part_enveloppe, 2)
            }),
            ligne("coût mensuel avec majorations (€)", &|c| {
                o(c.cout_mensuel, 2)
            }),
            ligne("coût annuel (€)", &|c| o(c.cout_annuel, 2)),
            ligne("coût annuel charges comprises (€)", &|c| {
                o(c.cout_charge_annuel, 2)
            }),
            ligne("coût sur le mandat charges comprises (€)", &|c| {
                o(c.cout_charge_mandat, 2)
            }),
            ligne("net mensuel des élu·es, avant impôt (€)", &|c| {
                o(c.net_mensuel, 2)
            }),
            ligne(
                "formation des élu·es, plancher annuel L2123-14 (€)",
                &|c| o(c.formation_plancher, 2),
            ),
            ligne("écart max / min des délégué·es", &|c| o(c.ratio, 2)),
            ligne("Gini des taux des délégué·es", &|c| {
                o(c.gini_indemnites, 3)
            }),
            ligne("adjoint·es femmes", &|c| n(c.adjoints.0)),
            ligne("adjoint·es hommes", &|c| n(c.adjoints.1)),
            ligne("délégué·es de la majorité, femmes", &|c| {
                n(c.delegues.0)
            }),
            ligne("délégué·es de la majorité, hommes", &|c| {
                n(c.delegues.1)
            }),
        ],
    }
}

/// Findings counted by code, one column per scenario.
pub fn par_code(cols: &[Colonne]) -> Tableau {
    let mut codes: BTreeSet<String> = BTreeSet::new();
    for c in cols {
        codes.extend(c.analyse.constats.iter().map(|f| f.code.clone()));
    }
    let mut colonnes = vec!["code".to_string()];
    colonnes.extend(cols.iter().map(|c| c.nom.clone()));
    Tableau {
        nom: "constats-par-code".into(),
        titre: "Constats par code".into(),
        colonnes,
        lignes: codes
            .iter()
            .map(|code| {
                let mut l = vec![Cellule::t(code)];
                l.extend(cols.iter().map(|c| {
                    Cellule::Nombre(
                        c.analyse
                            .constats
                            .iter()
                            .filter(|f| &f.code == code)
                            .count() as f64,
                        0,
                    )
                }));
                l
            })
            .collect(),
    }
}

/// What moved between the first scenario and each other, as tables.
pub fn differences(cols: &[Colonne]) -> Vec<Tableau> {
    let mut out = Vec::new();
    let Some(base) = cols.first() else { return out };
    for c in &cols[1..] {
        out.push(Tableau {
            nom: format!(
                "deplacements-{}",
                crate::report::ecriture::nom_de_fichier(&c.nom)
            ),
            titre: format!("Nœuds qui changent de porteur : {} → {}", base.nom, c.nom),
            colonnes: ["nœud", "libellé", "avant", "après"]
                .map(String::from)
                .to_vec(),
            lignes: noeuds_deplaces(base.scenario, c.scenario)
                .into_iter()
                .map(|(a, b, x, y)| {
                    vec![Cellule::t(a), Cellule::t(b), Cellule::t(x), Cellule::t(y)]
                })
                .collect(),
        });
        out.push(Tableau {
            nom: format!("elus-{}", crate::report::ecriture::nom_de_fichier(&c.nom)),
            titre: format!(
                "Élu·es dont le rôle ou l'indemnité change : {} → {}",
                base.nom, c.nom
            ),
            colonnes: ["id", "élu·e", "changement"].map(String::from).to_vec(),
            lignes: elus_modifies(base, c)
                .into_iter()
                .map(|(a, b, x)| vec![Cellule::t(a), Cellule::t(b), Cellule::t(x)])
                .collect(),
        });
    }
    out
}

/// Comparison charts.
pub fn graphiques_comparaison(cols: &[Colonne]) -> Result<Vec<Image>, graphiques::GraphiqueError> {
    let ch: Vec<Chiffres> = cols.iter().map(chiffres).collect();
    let source = format!(
        "collegia, scénarios {}",
        cols.iter()
            .map(|c| format!("« {} »", c.nom))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut out = vec![graphiques::rendre(
        &BarresGroupees {
            titre: "Problèmes par scénario".into(),
            source: source.clone(),
            unite: "nombre de constats".into(),
            categories: vec![
                "doubles rattachements".into(),
                "liens fonctionnels entre groupes".into(),
                "services orphelins".into(),
                "erreurs".into(),
                "alertes".into(),
            ],
            series: cols
                .iter()
                .zip(&ch)
                .map(|(c, x)| {
                    (
                        c.nom.clone(),
                        vec![
                            x.doubles as f64,
                            x.liens as f64,
                            x.orphelins as f64,
                            x.erreurs as f64,
                            x.alertes as f64,
                        ],
                    )
                })
                .collect(),
        },
        "comparaison-problemes",
        "Problèmes par scénario",
        "Barres groupées : doubles rattachements (D001), liens fonctionnels entre groupes (D002), services orphelins, erreurs et alertes de chaque scénario.",
    )?];
    // The délégué·es' indemnités, the base of the table's « Gini des taux des délégué·es »,
    // and that same Gini in the legend (the maire and the maires délégué·es, paid by function,
    // are left out as in the report's own Lorenz curve).
    let mut series: Vec<(String, Vec<f64>)> = Vec::new();
    let mut ginis = Vec::new();
    for (c, x) in cols.iter().zip(&ch) {
        let Ok(a) = c.allocation.as_ref() else {
            continue;
        };
        let delegues: BTreeSet<String> = crate::optimise::indemnites::preparer(c.scenario)
            .map(|d| {
                d.beneficiaires
                    .iter()
                    .filter(|b| b.delegue)
                    .map(|b| b.id.clone())
                    .collect()
            })
            .unwrap_or_default();
        series.push((
            c.nom.clone(),
            a.lignes
                .iter()
                .filter(|l| delegues.contains(&l.id))
                .map(|l| en_f64(l.mensuel_eur))
                .collect(),
        ));
        ginis.push(x.gini_indemnites);
    }
    if !series.is_empty() {
        out.push(graphiques::rendre(
            &Lorenz { titre: "Répartition des indemnités des délégué·es par scénario".into(), source, series, ginis },
            "comparaison-lorenz",
            "Répartition des indemnités des délégué·es par scénario",
            "Courbes de Lorenz des indemnités mensuelles proposées aux adjoint·es et conseiller·es délégué·es dans chaque scénario, avec le coefficient de Gini des taux des délégué·es du tableau.",
        )?);
    }
    Ok(out)
}

/// The French text printed by `collegia comparer`.
pub fn texte(cols: &[Colonne]) -> String {
    let t = synthese(cols);
    let mut largeurs: Vec<usize> = t.colonnes.iter().map(|c| c.chars().count()).collect();
    let cell = |c: &Cellule| match c {
        Cellule::Texte(s) => s.clone(),
        Cellule::Nombre(v, d) => nombre(*v, *d),
        Cellule::Euros(v) => euros(*v),
        Cellule::Pourcent(v) => pourcent(*v),
        Cellule::Vide => String::new(),
    };
    let lignes: Vec<Vec<String>> = t
        .lignes
        .iter()
        .map(|l| l.iter().map(cell).collect())
        .collect();
    for l in &lignes {
        for (i, c) in l.iter().enumerate() {
            largeurs[i] = largeurs[i].max(c.chars().count());
        }
    }
    let pad = |s: &str, w: usize, droite: bool| {
        let n = w.saturating_sub(s.chars().count());
        if droite {
            format!("{}{s}", " ".repeat(n))
        } else {
            format!("{s}{}", " ".repeat(n))
        }
    };
    let mut o = String::from("Comparaison des scénarios\n\n");
    o.push_str(
        &t.colonnes
            .iter()
            .enumerate()
            .map(|(i, c)| pad(c, largeurs[i], i > 0))
            .collect::<Vec<_>>()
            .join("  "),
    );
    o.push('\n');
    for l in &lignes {
        o.push_str(
            &l.iter()
                .enumerate()
                .map(|(i, c)| pad(c, largeurs[i], i > 0))
                .collect::<Vec<_>>()
                .join("  "),
        );
        o.push('\n');
    }
    if let Some(base) = cols.first() {
        for c in &cols[1..] {
            let d = noeuds_deplaces(base.scenario, c.scenario);
            let e = elus_modifies(base, c);
            o.push_str(&format!("\nDe « {} » à « {} » : {} nœud(s) changent de porteur, {} élu·e(s) changent de rôle ou d'indemnité.\n", base.nom, c.nom, d.len(), e.len()));
            for (id, lib, a, b) in d.iter().take(30) {
                o.push_str(&format!("  {id} ({lib}) : {a} → {b}\n"));
            }
            if d.len() > 30 {
                o.push_str(&format!(
                    "  … et {} autres (voir le rapport)\n",
                    d.len() - 30
                ));
            }
            for (id, nom, quoi) in e.iter().take(30) {
                o.push_str(&format!("  {nom} ({id}) : {quoi}\n"));
            }
            if e.len() > 30 {
                o.push_str(&format!(
                    "  … et {} autres (voir le rapport)\n",
                    e.len() - 30
                ));
            }
        }
    }
    for c in cols {
        if let Err(why) = &c.allocation {
            o.push_str(&format!(
                "\n« {} » : indemnités infaisables — {why}\n",
                c.nom
            ));
        }
    }
    o
}

/// Every file of the comparison: `index.html`, charts (SVG, PNG), CSV tables, `comparaison.xlsx`.
pub fn fichiers(cols: &[Colonne]) -> Result<Vec<Fichier>, crate::report::rapport::RapportError> {
    let images = graphiques_comparaison(cols)?;
    let mut tableaux = vec![synthese(cols), par_code(cols)];
    tableaux.extend(differences(cols));
    let noms: Vec<&str> = cols.iter().map(|c| c.nom.as_str()).collect();
    let page = html! {
        (DOCTYPE)
        html lang="fr" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "collegia — comparaison : " (noms.join(", ")) }
                style { (PreEscaped("body{font-family:\"DejaVu Sans\",Arial,sans-serif;max-width:1100px;margin:0 auto;padding:0 1.2rem;line-height:1.45}h1,h2{color:#1f4e79}table{border-collapse:collapse;margin:.8rem 0;font-size:.9rem}caption{text-align:left;font-weight:bold}th,td{border:1px solid #ccc;padding:.25rem .5rem;vertical-align:top}th{background:#eef3f8;text-align:left}td.n{text-align:right;white-space:nowrap}figure svg{max-width:100%;height:auto}figcaption{font-size:.9rem;color:#555}.table{overflow-x:auto}.impression{display:none}@media print{details.tableau{display:none}.impression{display:block}thead{display:table-header-group}tr{break-inside:avoid}}")) }
            }
            body {
                header { h1 { "Comparaison de scénarios" } p { (noms.join(" · ")) } }
                main {
                    section { h2 { "Côte à côte" } @for t in &tableaux[..2] { (t.html()) } }
                    section {
                        h2 { "Graphiques" }
                        @for i in &images {
                            figure {
                                div role="img" aria-label=(i.description) { (PreEscaped(i.svg.find("<svg").map(|k| &i.svg[k..]).unwrap_or(&i.svg))) }
                                figcaption { strong { (i.titre) } ". " (i.description) }
                            }
                        }
                    }
                    section { h2 { "Ce qui change" } @for t in &tableaux[2..] { (t.html()) } }
                }
                footer { p { "Produit par collegia " (env!("CARGO_PKG_VERSION")) "." } }
            }
        }
    };
    let mut out = vec![Fichier {
        nom: "index.html".into(),
        octets: super::document::sans_controles(&page.into_string())
            .into_owned()
            .into_bytes(),
    }];
    for i in &images {
        out.push(Fichier {
            nom: format!("graphiques/{}.svg", i.nom),
            octets: i.svg.clone().into_bytes(),
        });
        out.push(Fichier {
            nom: format!("graphiques/{}.png", i.nom),
            octets: i.png.clone(),
        });
    }
    for t in &tableaux {
        out.push(Fichier {
            nom: format!("tableaux/{}.csv", t.nom),
            octets: t.csv(),
        });
    }
    out.push(Fichier {
        nom: "comparaison.xlsx".into(),
        octets: crate::report::tableaux::xlsx(&tableaux)?,
    });
    Ok(out)
}
