//! The indemnités part of the report: tables (allocation, tableau annexe of L2123-20-1), charts
//! (each élu·e against their legal cap, Lorenz curve, by sex and component, the alpha sweep).

use crate::optimise::indemnites::{Allocation, Donnees, PointBalayage, en_f64};
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
pub fn tableaux(i: &Indemnites) -> Vec<Tableau> {
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
                    l.taux_actuel_pct
                        .map(|t| Cellule::Pourcent(d(t)))
                        .unwrap_or(Cellule::Vide),
                    Cellule::t(l.regles.join(" ; ")),
                ]
            })
            .collect(),
    };
    let annexe = Tableau {
        nom: "tableau-annexe".into(),
        titre: "Tableau annexe de la délibération (CGCT L2123-20-1) : indemnités allouées".into(),
        colonnes: [
            "nom",
            "fonction",
            "taux (% de l'indice brut terminal)",
            "brut mensuel",
            "majoration",
            "total brut mensuel",
        ]
        .map(String::from)
        .to_vec(),
        lignes: a
            .lignes
            .iter()
            .map(|l| {
                vec![
                    Cellule::t(&l.nom),
                    Cellule::t(l.fonction.libelle()),
                    Cellule::Pourcent(d(l.taux_pct)),
                    Cellule::Euros(d(l.mensuel_eur)),
                    Cellule::Euros(d(l.majoration_eur)),
                    Cellule::Euros(d(l.total_mensuel_eur)),
                ]
            })
            .collect(),
    };
    let mut v = vec![allocation, annexe];
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
    let montants: Vec<f64> = a.lignes.iter().map(|l| en_f64(l.mensuel_eur)).collect();
    let gini = graphiques::gini(&montants);
    out.push(graphiques::rendre(
        &Lorenz { titre: "Répartition des indemnités : courbe de Lorenz".into(), source: source.to_string(), series: vec![("indemnités proposées".into(), montants)] },
        "indemnites-lorenz",
        "Répartition des indemnités : courbe de Lorenz",
        &format!("Courbe de Lorenz des indemnités mensuelles proposées ; plus elle s'écarte de la diagonale, plus la répartition est inégale ; coefficient de Gini {}.", crate::report::format::nombre(gini, 3)),
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
            },
            "indemnites-arbitrage",
            "Arbitrage égalité / responsabilités",
            "Courbe : coefficient de Gini des taux des délégué·es selon alpha, de 0 (parts égales) à 1 (proportionnel aux responsabilités), en 21 pas ; le tableau « balayage » donne aussi le rapport max / min.",
        )?);
    }
    Ok(out)
}
