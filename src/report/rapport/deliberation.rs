//! The draft délibération fixing the indemnités de fonction (issue 27 item 8), written beside
//! the draft arrêtés (`lettres/`): visas, the enveloppe and its computation, the rates voted,
//! the majorations, the budget lines and the nominative tableau annexe of CGCT L2123-20-1.
//!
//! In: the scenario and its allocation. Out: a [`Document`] (Markdown and Word through the one
//! writer of `report::document`). A draft only: it says so at the top.

use crate::law::{format_entier, format_euros, format_taux};
use crate::model::{Fonction, Scenario};
use crate::optimise::indemnites::Allocation;
use crate::report::document::{Document, g, t};

/// The draft délibération of an allocation.
pub fn deliberation(s: &Scenario, a: &Allocation) -> Document {
    let p = &s.params;
    let commune = p.nom.clone();
    let mut doc = Document::new(format!(
        "PROJET — Délibération fixant les indemnités de fonction des élu·es — {commune}"
    ));
    doc.paragraphe(vec![g(
        "Projet à vérifier par les services juridiques et financiers avant inscription à l'ordre du jour : ce document est généré par collegia à partir du scénario ; les taux sont ceux de la répartition proposée, les montants sont calculés au terme de référence de la date du scénario.",
    )]);
    doc.paragraphe(vec![t("Le conseil municipal,")]);
    let mut visas = vec![
        "Vu le code général des collectivités territoriales, notamment ses articles L2123-20 à L2123-24-1 ;".to_string(),
    ];
    if p.date >= crate::law::date(2025, 12, 24) {
        visas.push("Vu la loi n° 2025-1249 du 22 décembre 2025 portant création d'un statut de l'élu local ;".into());
    }
    if !p.majorations.is_empty() {
        visas.push(
            "Vu l'article L2123-22 et l'article R2123-23 du code général des collectivités territoriales (majorations) ;"
                .into(),
        );
    }
    if a.lignes.iter().any(|l| {
        matches!(
            l.fonction,
            Fonction::MaireDelegue | Fonction::AdjointMaireDelegue
        )
    }) {
        visas.push("Vu les articles L2113-13 et L2113-19 du code général des collectivités territoriales (communes déléguées) ;".into());
    }
    if a.lignes.iter().any(|l| {
        matches!(
            l.fonction,
            Fonction::MaireArrondissement | Fonction::AdjointArrondissement
        )
    }) {
        visas.push(
            "Vu les articles L2511-34 à L2511-35 du code général des collectivités territoriales ;"
                .into(),
        );
    }
    visas.push(format!(
        "Vu le terme de référence des indemnités, l'indice brut terminal de l'échelle indiciaire de la fonction publique, soit {} brut par mois au {} ({}) ;",
        format_euros(a.terme_reference_eur),
        crate::report::format::date(a.date),
        a.terme_reference_textes
    ));
    visas.push(
        "Vu le procès-verbal de l'installation du conseil municipal et de l'élection du maire et des adjoint·es du [date] ;"
            .into(),
    );
    visas.push("Vu les arrêtés du maire portant délégation de fonctions ;".into());
    visas.push(format!(
        "Considérant que la population totale de la commune est de {} habitant·es (population authentifiée en vigueur au dernier renouvellement général) ;",
        format_entier(p.population_totale)
    ));
    visas.push(format!(
        "Considérant que l'enveloppe indemnitaire globale s'établit à {} du terme de référence, soit {} par mois : {} ({}, {}) ;",
        format_taux(a.totaux.enveloppe_pct),
        format_euros(a.totaux.enveloppe_eur),
        a.enveloppe_note,
        a.enveloppe_article,
        a.enveloppe_statut.libelle()
    ));
    if let Some(x) = &a.enveloppe_ajout_non_verifie {
        visas.push(format!(
            "[À vérifier avant le vote : {}.]",
            crate::report::indemnites::ajout_non_verifie(x)
        ));
    }
    visas.push(
        "Considérant que les indemnités sont réparties selon des critères objectifs tenant aux fonctions exercées et aux délégations reçues ;"
            .into(),
    );
    doc.liste(visas.into_iter().map(|v| vec![t(v)]).collect());
    doc.titre(2, "Délibère");

    let mut n = 0;
    let mut article = |doc: &mut Document, texte: String| {
        n += 1;
        doc.paragraphe(vec![g(format!("Article {n}. ")), t(texte)]);
    };
    article(
        &mut doc,
        format!(
            "Le montant de l'enveloppe indemnitaire globale est fixé à {} du terme de référence, soit {} par mois à la date de la présente délibération.",
            format_taux(a.totaux.enveloppe_pct),
            format_euros(a.totaux.enveloppe_eur)
        ),
    );
    article(
        &mut doc,
        "Dans la limite de cette enveloppe et des plafonds individuels, les indemnités de fonction sont fixées aux taux suivants, en pourcentage du terme de référence :".into(),
    );
    doc.tableau(
        &[
            "Fonction",
            "Élu·e",
            "Taux",
            "Brut mensuel",
            "Plafond (article, statut)",
        ],
        &[false, false, true, true, false],
        a.lignes
            .iter()
            .map(|l| {
                let fonction = s
                    .find_elu(&l.id)
                    .map(|i| super::lettres::fonction_ecrite(s, &s.elus[i]))
                    .unwrap_or_else(|| l.fonction.libelle().to_string());
                vec![
                    fonction,
                    l.nom.clone(),
                    format_taux(l.taux_pct),
                    format_euros(l.mensuel_eur),
                    format!(
                        "{} {}, {}",
                        format_taux(l.plafond_pct),
                        l.plafond_article,
                        l.plafond_statut.libelle()
                    ),
                ]
            })
            .collect(),
    );
    if !p.majorations.is_empty() {
        let categories: Vec<&str> = p.majorations.iter().map(|m| m.libelle()).collect();
        article(
            &mut doc,
            format!(
                "Les indemnités sont majorées au titre de l'article L2123-22 ({}), sur les taux votés à l'article 2, comme l'indique le tableau annexe ; les majorations sont votées séparément de l'enveloppe.",
                categories.join(", ")
            ),
        );
    }
    article(
        &mut doc,
        "Les indemnités évoluent avec la valeur du point d'indice et l'indice brut terminal de la fonction publique ; elles sont versées mensuellement à compter du [date d'effet], sous réserve de l'exercice effectif des fonctions et, pour les adjoint·es et conseiller·es délégué·es, d'un arrêté de délégation.".into(),
    );
    if let Some(c) = &a.totaux.charges {
        article(
            &mut doc,
            format!(
                "Les crédits sont inscrits au budget de la commune, chapitre 65 : indemnités {} par an, cotisations employeur {} par an ; soit un coût chargé de {} par an (comptes M57 6531, 6533 et 6534, à vérifier). Les crédits de formation des élu·es ne peuvent être inférieurs à {} par an ni les dépenses réelles supérieures à {} par an (L2123-14, compte 6535).",
                format_euros(c.brut_mensuel_eur * rust_decimal::Decimal::from(12)),
                format_euros(c.cotisations_employeur_eur * rust_decimal::Decimal::from(12)),
                format_euros(c.cout_annuel_eur),
                format_euros(c.formation.plancher_eur),
                format_euros(c.formation.plafond_eur)
            ),
        );
    }
    article(
        &mut doc,
        "Le tableau annexé à la présente délibération récapitule l'ensemble des indemnités allouées aux membres du conseil municipal (article L2123-20-1).".into(),
    );
    article(
        &mut doc,
        "La présente délibération sera transmise au représentant de l'État et publiée ; elle entre en vigueur à compter de ces formalités (L2131-1).".into(),
    );
    // Signed with the commune's name when `scenario.toml` gives it, like the letters.
    doc.paragraphe(vec![t(format!(
        "Fait et délibéré à {}, le [date]. Pour extrait conforme : [le ou la maire].",
        crate::report::rapport::lettres::commune(s)
    ))]);

    doc.titre(
        2,
        "Annexe — Tableau des indemnités allouées (CGCT L2123-20-1)",
    );
    let annexe = crate::report::indemnites::tableau_annexe(a, s);
    let colonnes: Vec<&str> = annexe.colonnes.iter().map(String::as_str).collect();
    let droite: Vec<bool> = (0..colonnes.len()).map(|k| k != 1 && k != 2).collect();
    doc.tableau(
        &colonnes,
        &droite,
        annexe
            .lignes
            .iter()
            .map(|l| l.iter().map(cellule).collect())
            .collect(),
    );
    doc
}

/// A cell of the tableau annexe as text, in the French number format of the other documents.
fn cellule(c: &crate::report::tableaux::Cellule) -> String {
    use crate::report::tableaux::Cellule;
    match c {
        Cellule::Texte(s) => s.clone(),
        Cellule::Nombre(v, d) => crate::format::nombre(*v, *d),
        Cellule::Pourcent(v) => crate::format::pourcent(*v),
        Cellule::Euros(v) => crate::format::euros(*v),
        Cellule::Vide => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::document::markdown;

    #[test]
    fn the_draft_names_the_envelope_every_paid_elu_and_the_annexe() {
        let dossier = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/exemple");
        let s = crate::ingest::load_scenario(&dossier)
            .expect("example")
            .scenario;
        let a = crate::optimise::indemnites::allouer(&s).expect("allocation");
        let md = markdown(&deliberation(&s, &a));
        assert!(md.contains("L2123-20-1"));
        assert!(md.contains(&format_euros(a.totaux.enveloppe_eur)));
        for l in &a.lignes {
            // Each paid élu·e twice: in the rates of article 2 and in the tableau annexe.
            assert!(md.matches(&l.nom).count() >= 2, "{}", l.nom);
        }
        let c = a.totaux.charges.as_ref().expect("charges");
        assert!(md.contains(&format_euros(c.formation.plancher_eur)));
        assert!(md.starts_with("# PROJET"));
    }
}
