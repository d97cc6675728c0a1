//! The indemnités part of the report: tables (allocation, tableau annexe of L2123-20-1), charts
//! (each élu·e against their legal cap, Lorenz curve, by sex and component, the alpha sweep).

use crate::optimise::indemnites::{Allocation, Donnees, Evolution, PointBalayage, en_f64};
use crate::report::graphiques::{self, Barres, BarresGroupees, Courbe, Image, Lorenz};
use crate::report::tableaux::{Cellule, Tableau};
use rust_decimal::Decimal;

/// The indemnités results the report shows.
#[derive(Debug, Clone)]
pub struct Indemnites<'a> {
    /// The allocation.
    pub allocation: &'a Allocation,
    /// The prepared data (caps of every paid élu·e).
    pub donnees: &'a Donnees,
    /// The alpha sweep, when asked for.
    pub balayage: Option<&'a [PointBalayage]>,
    /// Today and the proposal, for every élu·e paid in either
    /// (`optimise::indemnites::evolutions`).
    pub evolutions: Vec<Evolution>,
}

fn plafond_eur(i: &Indemnites, id: &str) -> Option<f64> {
    let b = i.donnees.beneficiaires.iter().find(|b| b.id == id)?;
    // The écrêtement cap is a rate (what the other mandates leave under L2123-20 II).
    let taux = match b.plafond_ecretement {
        Some(e) => b.plafond.taux.min(e),
        None => b.plafond.taux,
    };
    Some(en_f64(i.donnees.reference.montant(taux)))
}

/// The tables: the allocation and the nominative tableau annexe.
pub fn tableaux(i: &Indemnites, scenario: &crate::model::Scenario) -> Vec<Tableau> {
    let a = i.allocation;
    let d = |x: Decimal| en_f64(x);
    let allocation = Tableau {
        nom: "indemnites".into(),
        titre: "Indemnités proposées (brut, en % de l'indice brut terminal et en euros)".into(),
        colonnes: [
            "id",
            "élu·e",
            "fonction",
            "groupe",
            "poids",
            "taux (%)",
            "brut mensuel",
            "brut annuel",
            "majoration mensuelle",
            "total mensuel",
            "plafond mensuel",
            "plafond (article, statut)",
            "majoration (statut)",
            "net mensuel (avant impôt)",
            "coût chargé mensuel",
            "taux actuel (%)",
            "règles qui lient",
        ]
        .map(String::from)
        .to_vec(),
        lignes: a
            .lignes
            .iter()
            .map(|l| {
                vec![
                    Cellule::t(&l.id),
                    Cellule::t(&l.nom),
                    Cellule::t(l.fonction.libelle()),
                    Cellule::opt(l.groupe.clone()),
                    l.poids
                        .as_ref()
                        .map(|p| Cellule::Nombre(p.total, 2))
                        .unwrap_or(Cellule::Vide),
                    Cellule::Pourcent(d(l.taux_pct)),
                    Cellule::Euros(d(l.mensuel_eur)),
                    Cellule::Euros(d(l.annuel_eur)),
                    Cellule::Euros(d(l.majoration_eur)),
                    Cellule::Euros(d(l.total_mensuel_eur)),
                    plafond_eur(i, &l.id)
                        .map(Cellule::Euros)
                        .unwrap_or(Cellule::Vide),
                    Cellule::t(format!(
                        "{} ({})",
                        l.plafond_article,
                        l.plafond_statut.libelle()
                    )),
                    if l.majoration_eur.is_zero() {
                        Cellule::Vide
                    } else {
                        Cellule::t(format!("L2123-22 ({})", l.majoration_statut.libelle()))
                    },
                    l.cout
                        .as_ref()
                        .map(|c| Cellule::Euros(d(c.net_mensuel_eur)))
                        .unwrap_or(Cellule::Vide),
                    l.cout
                        .as_ref()
                        .map(|c| Cellule::Euros(d(c.cout_mensuel_eur)))
                        .unwrap_or(Cellule::Vide),
                    l.taux_actuel_pct
                        .map(|t| Cellule::Pourcent(d(t)))
                        .unwrap_or(Cellule::Vide),
                    Cellule::t(l.regles.join(" ; ")),
                ]
            })
            .collect(),
    };
    let evolution = Tableau {
        nom: "indemnites-evolution".into(),
        titre: "Aujourd'hui et dans la proposition : taux de chaque élu·e indemnisé·e dans l'un ou l'autre".into(),
        colonnes: [
            "id",
            "élu·e",
            "fonction",
            "taux actuel (%)",
            "taux proposé (%)",
            "écart (points)",
            "observation",
        ]
        .map(String::from)
        .to_vec(),
        lignes: i
            .evolutions
            .iter()
            .map(|v| {
                vec![
                    Cellule::t(&v.id),
                    Cellule::t(&v.nom),
                    Cellule::t(v.fonction.libelle()),
                    v.taux_actuel_pct
                        .map(|t| Cellule::Pourcent(d(t)))
                        .unwrap_or(Cellule::Vide),
                    Cellule::Pourcent(d(v.taux_propose_pct)),
                    v.taux_actuel_pct
                        .map(|t| Cellule::Nombre(d(v.taux_propose_pct - t), 2))
                        .unwrap_or(Cellule::Vide),
                    match (&v.motif_non_indemnise, v.perd_son_indemnite()) {
                        (Some(m), true) => Cellule::t(format!("perd son indemnité : {m}")),
                        (Some(m), false) => Cellule::t(m.clone()),
                        _ => Cellule::Vide,
                    },
                ]
            })
            .collect(),
    };
    let annexe = crate::report::indemnites::tableau_annexe(a, scenario);
    let mut v = vec![allocation, evolution, annexe, budget(a)];
    if let Some(b) = i.balayage {
        v.push(Tableau {
            nom: "balayage".into(),
            titre: "Arbitrage égalité / responsabilités : dispersion des taux des délégué·es selon alpha".into(),
            colonnes: ["alpha", "taux min (%)", "taux max (%)", "max / min", "Gini", "part de l'enveloppe utilisée (%)"].map(String::from).to_vec(),
            lignes: b
                .iter()
                .map(|p| {
                    let disp = p.dispersion.as_ref();
                    vec![
                        Cellule::Nombre(d(p.alpha), 2),
                        disp.map(|x| Cellule::Pourcent(d(x.min_pct))).unwrap_or(Cellule::Vide),
                        disp.map(|x| Cellule::Pourcent(d(x.max_pct))).unwrap_or(Cellule::Vide),
                        disp.map(|x| Cellule::Nombre(d(x.ratio), 2)).unwrap_or(Cellule::Vide),
                        disp.map(|x| Cellule::Nombre(d(x.gini), 3)).unwrap_or(Cellule::Vide),
                        p.part_utilisee_pct.map(|x| Cellule::Pourcent(d(x))).unwrap_or(Cellule::Vide),
                    ]
                })
                .collect(),
        });
    }
    v
}

/// The legal figures and the cost to the budget, each with its article and status: the
/// terme de référence, the enveloppe, the cost with charges, the training budget (L2123-14)
/// and the amounts by M57 budget account.
pub fn budget(a: &Allocation) -> Tableau {
    let d = |x: Decimal| en_f64(x);
    let t = &a.totaux;
    let ligne = |libelle: &str, valeur: Cellule, article: &str, statut: &str| {
        vec![
            Cellule::t(libelle),
            valeur,
            Cellule::t(article),
            Cellule::t(statut),
        ]
    };
    let mut lignes = vec![
        ligne(
            "Terme de référence (100 %), par mois",
            Cellule::Euros(d(a.terme_reference_eur)),
            &a.terme_reference_textes,
            a.terme_reference_statut.libelle(),
        ),
        ligne(
            "Enveloppe maximale, par mois",
            Cellule::Euros(d(t.enveloppe_eur)),
            a.enveloppe_article,
            a.enveloppe_statut.libelle(),
        ),
        ligne(
            "Indemnités brutes, majorations comprises, par mois",
            Cellule::Euros(d(t.mensuel_eur + t.majorations_eur)),
            "CGCT L2123-20 à L2123-24-1",
            "",
        ),
    ];
    if let Some(c) = &t.charges {
        let st = c.statut.libelle();
        lignes.extend([
            ligne(
                "Cotisations employeur, par mois",
                Cellule::Euros(d(c.cotisations_employeur_eur)),
                "CSS L382-31, D382-34 ; CGCT L2123-28",
                st,
            ),
            ligne(
                "Coût chargé, par mois",
                Cellule::Euros(d(c.cout_mensuel_eur)),
                "",
                st,
            ),
            ligne(
                "Coût chargé, par an",
                Cellule::Euros(d(c.cout_annuel_eur)),
                "",
                st,
            ),
            ligne(
                "Coût chargé sur le mandat (6 ans, taux d'aujourd'hui constants)",
                Cellule::Euros(d(c.cout_mandat_eur)),
                "",
                st,
            ),
            ligne(
                "Net des élu·es avant impôt, par mois",
                Cellule::Euros(d(c.net_mensuel_eur)),
                "",
                st,
            ),
            ligne(
                "Formation : plancher (2 %), par an",
                Cellule::Euros(d(c.formation.plancher_eur)),
                "CGCT L2123-14",
                c.formation.statut.libelle(),
            ),
            ligne(
                "Formation : plafond (20 %), par an",
                Cellule::Euros(d(c.formation.plafond_eur)),
                "CGCT L2123-14",
                c.formation.statut.libelle(),
            ),
        ]);
        let b = c.bareme;
        lignes.push(ligne(
            &format!(
                "Seuil des cotisations de sécurité sociale (moitié du plafond annuel {}), par an",
                crate::law::format_euros(b.pass_annuel)
            ),
            Cellule::Euros(d(b.seuil_annuel())),
            &format!("CSS L382-31, D382-34 ; {}", b.pass_texte),
            b.pass_statut.libelle(),
        ));
        for r in b.taux {
            lignes.push(ligne(
                &format!(
                    "Taux depuis le {} : {} (élu·e {}, employeur {})",
                    crate::report::format::date(b.depuis),
                    r.libelle,
                    crate::law::format_taux(r.elu_pct),
                    crate::law::format_taux(r.employeur_pct)
                ),
                Cellule::Vide,
                r.texte,
                r.statut.libelle(),
            ));
        }
        for l in &c.par_compte {
            lignes.push(ligne(
                &format!("Compte {} : {}, par an", l.compte, l.libelle),
                Cellule::Euros(d(l.annuel_eur)),
                "instruction M57",
                l.statut.libelle(),
            ));
        }
    }
    Tableau {
        nom: "indemnites-budget".into(),
        titre: "Ce que coûtent les indemnités : chiffres légaux, charges et formation (article et statut de chaque chiffre)".into(),
        colonnes: ["poste", "montant", "article", "statut"]
            .map(String::from)
            .to_vec(),
        lignes,
    }
}

/// The charts.
pub fn graphiques(i: &Indemnites, source: &str) -> Result<Vec<Image>, graphiques::GraphiqueError> {
    let a = i.allocation;
    let mut out = Vec::new();
    let barres = Barres {
        titre: "Indemnité de chaque élu·e et son plafond légal".into(),
        source: source.to_string(),
        unite: "€ brut par mois (hors majorations)".into(),
        barres: a
            .lignes
            .iter()
            .map(|l| {
                (
                    format!("{} ({})", l.nom, l.id),
                    en_f64(l.mensuel_eur),
                    plafond_eur(i, &l.id),
                )
            })
            .collect(),
        legende_valeur: "indemnité proposée".into(),
        legende_plafond: "plafond légal individuel".into(),
        ..Default::default()
    };
    let au_plafond = a
        .lignes
        .iter()
        .filter(|l| plafond_eur(i, &l.id).is_some_and(|c| en_f64(l.mensuel_eur) >= c - 0.01))
        .count();
    out.push(graphiques::rendre(
        &barres,
        "indemnites-plafonds",
        "Indemnité de chaque élu·e et son plafond légal",
        &format!(
            "Barres horizontales : indemnité mensuelle brute proposée pour chacun·e des {} élu·es indemnisé·es, avec un trait rouge à son plafond légal ; {} au plafond.",
            a.lignes.len(),
            au_plafond
        ),
    )?);
    // The délégué·es only: the same base as the « Gini des taux des délégué·es » card (the
    // maire and the maires délégué·es are paid by function), and the same Gini.
    let montants: Vec<f64> = a
        .lignes
        .iter()
        .filter(|l| {
            i.donnees
                .beneficiaires
                .iter()
                .any(|b| b.delegue && b.id == l.id)
        })
        .map(|l| en_f64(l.mensuel_eur))
        .collect();
    let gini = a
        .dispersion
        .as_ref()
        .map_or_else(|| graphiques::gini(&montants), |d| en_f64(d.gini));
    out.push(graphiques::rendre(
        &Lorenz { titre: "Répartition des indemnités des délégué·es : courbe de Lorenz".into(), source: source.to_string(), series: vec![("indemnités proposées des délégué·es".into(), montants)], ginis: vec![Some(gini)] },
        "indemnites-lorenz",
        "Répartition des indemnités des délégué·es : courbe de Lorenz",
        &format!("Courbe de Lorenz des indemnités mensuelles proposées aux adjoint·es et conseiller·es délégué·es (le maire et les maires délégué·es, indemnisé·es au titre de leur fonction, n'y figurent pas) ; plus elle s'écarte de la diagonale, plus la répartition est inégale ; coefficient de Gini des taux des délégué·es {}.", crate::report::format::nombre(gini, 3)),
    )?);
    let mut categories = Vec::new();
    let mut moyennes = Vec::new();
    for st in a.par_sexe.iter().chain(a.par_composante.iter()) {
        categories.push(format!("{} ({})", st.libelle, st.nombre));
        moyennes.push(if st.nombre > 0 {
            en_f64(st.mensuel_eur) / st.nombre as f64
        } else {
            0.0
        });
    }
    out.push(graphiques::rendre(
        &BarresGroupees {
            titre: "Indemnité moyenne par sexe et par composante de la majorité".into(),
            source: source.to_string(),
            unite: "€ brut par mois, moyenne".into(),
            categories,
            series: vec![("indemnité moyenne".into(), moyennes)],
        },
        "indemnites-sexe-composante",
        "Indemnité moyenne par sexe et par composante de la majorité",
        "Barres horizontales : indemnité mensuelle brute moyenne des élu·es indemnisé·es, par sexe puis par composante de la majorité (effectifs entre parenthèses).",
    )?);
    if let Some(b) = i.balayage {
        let pts: Vec<(f64, f64)> = b
            .iter()
            .filter_map(|p| {
                p.dispersion
                    .as_ref()
                    .map(|d| (en_f64(p.alpha), en_f64(d.gini)))
            })
            .collect();
        out.push(graphiques::rendre(
            &Courbe {
                titre: "Arbitrage égalité / responsabilités".into(),
                source: source.to_string(),
                x: "alpha (0 = parts égales, 1 = proportionnel aux responsabilités)".into(),
                y: "Gini des taux des délégué·es".into(),
                series: vec![("Gini".into(), pts)],
                ..Default::default()
            },
            "indemnites-arbitrage",
            "Arbitrage égalité / responsabilités",
            "Courbe : coefficient de Gini des taux des délégué·es selon alpha, de 0 (parts égales) à 1 (proportionnel aux responsabilités), en 21 pas ; le tableau « balayage » donne aussi le rapport max / min.",
        )?);
    }
    Ok(out)
}
