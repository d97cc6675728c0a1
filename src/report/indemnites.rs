//! Renderers of `collegia indemnites`: the allocation (French table, CSV, JSON), the nominative
//! tableau annexe of the délibération (L2123-20-1), the alpha sweep and the diagnosis of an
//! infeasible policy. Pure functions: data in, text out.

use crate::law::Perimetre;
use crate::law::{format_decimal, format_euros, format_taux};
use crate::optimise::indemnites::{Allocation, Diagnostic, PointBalayage};
use rust_decimal::Decimal;

/// Lays out a text table: columns padded to their widest cell (in characters); `droite[i]`
/// right-aligns column `i` (numbers).
fn tableau(entetes: &[&str], lignes: &[Vec<String>], droite: &[bool]) -> String {
    let n = entetes.len();
    let mut larg: Vec<usize> = entetes.iter().map(|h| h.chars().count()).collect();
    for l in lignes {
        for (i, c) in l.iter().enumerate().take(n) {
            larg[i] = larg[i].max(c.chars().count());
        }
    }
    let ligne = |cells: Vec<String>| -> String {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            let pad = larg[i].saturating_sub(c.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if droite.get(i).copied().unwrap_or(false) {
                s.push_str(&" ".repeat(pad));
                s.push_str(c);
            } else {
                s.push_str(c);
                if i + 1 < cells.len() {
                    s.push_str(&" ".repeat(pad));
                }
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = ligne(entetes.iter().map(|s| s.to_string()).collect());
    out.push_str(&ligne(larg.iter().map(|w| "-".repeat(*w)).collect()));
    for l in lignes {
        out.push_str(&ligne(l.clone()));
    }
    out
}

fn f2(x: f64) -> String {
    format_decimal(Decimal::from_f64_retain(x).unwrap_or_default(), Some(2))
}

fn perimetre(p: Perimetre) -> &'static str {
    match p {
        Perimetre::Enveloppe => "enveloppe",
        Perimetre::HorsEnveloppe => "hors enveloppe",
        Perimetre::PlafondCommuneNouvelle => "L2113-19",
        Perimetre::CommuneDeleguee => "hors enveloppe (commune déléguée)",
    }
}

/// The individual cap of a line: rate, article and status (« 145 % L2123-23, vérifié »).
fn plafond(l: &crate::optimise::indemnites::LigneIndemnite) -> String {
    format!(
        "{} {}, {}",
        format_taux(l.plafond_pct),
        l.plafond_article.trim_start_matches("CGCT "),
        l.plafond_statut.libelle()
    )
}

/// The majoration of a line in €, with its rate and status when there is one.
fn majoration(l: &crate::optimise::indemnites::LigneIndemnite) -> String {
    if l.majoration_eur.is_zero() {
        return format_euros(l.majoration_eur);
    }
    format!(
        "{} (+{} points, L2123-22, {})",
        format_euros(l.majoration_eur),
        format_decimal(l.majoration_pct, None),
        l.majoration_statut.libelle()
    )
}

/// The cost to the budget with charges, the nets, the budget accounts and the training
/// budget (L2123-14), as lines of the text report; empty before the contribution table.
pub fn render_charges(a: &Allocation) -> String {
    let mut o = String::new();
    let Some(c) = &a.totaux.charges else {
        o.push_str("  Coût chargé : taux de cotisations connus à partir du 1er janvier 2024 seulement (date antérieure).\n");
        return o;
    };
    o.push_str(&format!(
        "  Coût pour le budget, charges comprises ({}) : {} par mois (brut {} + cotisations employeur {}), {} par an, {} sur le mandat de six ans.\n",
        c.statut.libelle(),
        format_euros(c.cout_mensuel_eur),
        format_euros(c.brut_mensuel_eur),
        format_euros(c.cotisations_employeur_eur),
        format_euros(c.cout_annuel_eur),
        format_euros(c.cout_mandat_eur)
    ));
    o.push_str(&format!(
        "  Net perçu par les élu·es (avant impôt sur le revenu) : {} par mois ; cotisations des élu·es {}.\n",
        format_euros(c.net_mensuel_eur),
        format_euros(c.cotisations_elus_eur)
    ));
    o.push_str(&format!(
        "  Formation des élu·es (CGCT L2123-14, {}) : plancher 2 % = {} par an, plafond 20 % = {} par an, sur {} d'indemnités maximales annuelles (enveloppe et majorations votées).\n",
        c.formation.statut.libelle(),
        format_euros(c.formation.plancher_eur),
        format_euros(c.formation.plafond_eur),
        format_euros(c.formation.base_annuelle_eur)
    ));
    let b = c.bareme;
    o.push_str(&format!(
        "  Taux de cotisation en vigueur depuis le {} ; seuil de CSS L382-31 et D382-34 : moitié du plafond annuel de la sécurité sociale ({}, {} ; {}), soit {} par an :\n",
        crate::report::format::date(b.depuis),
        format_euros(b.pass_annuel),
        b.pass_texte,
        b.pass_statut.libelle(),
        format_euros(b.seuil_annuel())
    ));
    for r in b.taux {
        if matches!(
            (r.exigibilite, c.cinquante_agents),
            (crate::law::cotisations::Exigibilite::AssujettiMoins50, true)
                | (
                    crate::law::cotisations::Exigibilite::Assujetti50EtPlus,
                    false
                )
        ) {
            continue;
        }
        o.push_str(&format!(
            "    {} : élu·e {}, employeur {}, {}{} ({}, {})\n",
            r.libelle,
            format_taux(r.elu_pct),
            format_taux(r.employeur_pct),
            match r.assiette {
                crate::law::cotisations::Assiette::Totalite => "sur la totalité",
                crate::law::cotisations::Assiette::TrancheA => "jusqu'au plafond mensuel",
                crate::law::cotisations::Assiette::TrancheB => "au-delà du plafond mensuel",
            },
            match r.exigibilite {
                crate::law::cotisations::Exigibilite::Toujours => "",
                _ => ", si assujetti·e",
            },
            r.texte,
            r.statut.libelle()
        ));
    }
    o.push_str("  Par compte budgétaire (M57, numéros non vérifiés), par an :\n");
    for l in &c.par_compte {
        o.push_str(&format!(
            "    {} {} : {}\n",
            l.compte,
            l.libelle,
            format_euros(l.annuel_eur)
        ));
    }
    for h in &c.hypotheses {
        o.push_str(&format!("  {h}\n"));
    }
    o
}

/// The sentence that says what an unverified reading adds to the enveloppe, with the amount.
pub fn ajout_non_verifie(x: &crate::law::AjoutNonVerifie) -> String {
    format!(
        "lecture non vérifiée : {} ajoutent {} à l'enveloppe, soit {} par mois ({} par an)",
        x.motif,
        format_taux(x.taux),
        format_euros(x.montant_eur),
        format_euros(x.annuel_eur)
    )
}

/// The allocation as a French text table.
pub fn render_table(a: &Allocation) -> String {
    let t = &a.totaux;
    let mut o = String::new();
    o.push_str(&format!(
        "Indemnités des élu·es — {} ({})\n",
        a.scenario,
        crate::report::format::date(a.date)
    ));
    o.push_str(&format!(
        "Régime : {} ; terme de référence {} (100 % ; {}, {}).\n",
        a.regime,
        format_euros(a.terme_reference_eur),
        a.terme_reference_textes,
        a.terme_reference_statut.libelle()
    ));
    o.push_str(&format!(
        "Politique : {} (alpha {}), plancher {}{}.\n",
        match a.politique {
            crate::model::Politique::Egalitaire => "égalitaire",
            crate::model::Politique::Proportionnelle => "proportionnelle aux responsabilités",
            crate::model::Politique::Mixte => "mixte",
            crate::model::Politique::Paliers => "paliers",
        },
        format_decimal(
            Decimal::from_f64_retain(a.alpha)
                .unwrap_or_default()
                .round_dp(2),
            None
        ),
        format_taux(a.plancher_pct),
        match a.ratio_max {
            Some(r) => format!(
                ", écart maximal {} entre délégué·es",
                format_decimal(r, None)
            ),
            None => String::new(),
        }
    ));
    o.push_str(&format!(
        "Enveloppe ({}, {}) : {} = {} par mois ; {}.\n",
        a.enveloppe_article,
        a.enveloppe_statut.libelle(),
        format_taux(t.enveloppe_pct),
        format_euros(t.enveloppe_eur),
        a.enveloppe_note
    ));
    if let Some(x) = &a.enveloppe_ajout_non_verifie {
        o.push_str(&format!("ATTENTION : {}.\n", ajout_non_verifie(x)));
    }
    o.push_str(&format!(
        "Résolution : {} ({}).\n\n",
        a.statut.libelle(),
        a.solveur
    ));

    let lignes: Vec<Vec<String>> = a
        .lignes
        .iter()
        .map(|l| {
            vec![
                l.id.clone(),
                l.nom.clone(),
                l.fonction.libelle().to_string(),
                l.groupe.clone().unwrap_or_default(),
                l.poids.as_ref().map(|p| f2(p.total)).unwrap_or_default(),
                l.cible_pct.map(format_taux).unwrap_or_default(),
                format_taux(l.taux_pct),
                format_euros(l.mensuel_eur),
                format_euros(l.annuel_eur),
                plafond(l),
                majoration(l),
                format_euros(l.total_mensuel_eur),
                l.cout
                    .as_ref()
                    .map(|c| format_euros(c.net_mensuel_eur))
                    .unwrap_or_default(),
                l.cout
                    .as_ref()
                    .map(|c| format_euros(c.cout_mensuel_eur))
                    .unwrap_or_default(),
                perimetre(l.perimetre).to_string(),
                l.regles.join(" ; "),
            ]
        })
        .collect();
    o.push_str(&tableau(
        &[
            "Id",
            "Élu·e",
            "Fonction",
            "Groupe",
            "Poids",
            "Cible",
            "Taux",
            "Brut mensuel",
            "Brut annuel",
            "Plafond",
            "Majoration",
            "Total brut",
            "Net mensuel",
            "Coût chargé mensuel",
            "Périmètre",
            "Règles qui lient",
        ],
        &lignes,
        &[
            false, false, false, false, true, true, true, true, true, false, false, true, true,
            true, false, false,
        ],
    ));

    o.push_str(
        "\nComposantes du poids (délégué·es ; tailles rapportées à la moyenne des délégué·es) :\n",
    );
    let lignes: Vec<Vec<String>> = a
        .lignes
        .iter()
        .filter_map(|l| {
            let p = l.poids.as_ref()?;
            let r = &l.responsabilite;
            Some(vec![
                l.id.clone(),
                format_decimal(
                    Decimal::from_f64_retain(r.effectif_pilote).unwrap_or_default(),
                    Some(1),
                ),
                format_decimal(
                    Decimal::from_f64_retain(r.effectif_appui).unwrap_or_default(),
                    Some(1),
                ),
                format_decimal(
                    Decimal::from_f64_retain(r.budget_pilote / 1e6).unwrap_or_default(),
                    Some(2),
                ),
                format!("{}+{}", r.unites_pilotees, r.unites_appui),
                r.axe.clone().unwrap_or_default(),
                r.quartier.clone().unwrap_or_default(),
                f2(p.socle),
                f2(p.effectif),
                f2(p.budget),
                f2(p.services),
                f2(p.axe + p.quartier + p.animation),
                f2(p.total),
            ])
        })
        .collect();
    o.push_str(&tableau(
        &[
            "Id",
            "ETP pilotés",
            "ETP appui",
            "Budget piloté M€",
            "Unités",
            "Axe",
            "Quartier",
            "Socle",
            "Effectif",
            "Budget",
            "Unités (poids)",
            "Bonus",
            "Poids",
        ],
        &lignes,
        &[
            false, true, true, true, true, false, false, true, true, true, true, true, true,
        ],
    ));

    o.push_str("\nTotaux :\n");
    o.push_str(&format!(
        "  Dans l'enveloppe : {} points sur {} ({} utilisés, {} demandés), {} par mois.\n",
        format_decimal(t.utilise_pct, None),
        format_decimal(t.enveloppe_pct, None),
        format_taux(t.part_utilisee_pct),
        format_taux(t.part_demandee_pct),
        format_euros(t.utilise_eur)
    ));
    o.push_str(&format!(
        "  Hors enveloppe : {} points ({}, conseiller·es hors enveloppe).\n",
        format_decimal(t.hors_enveloppe_pct, None),
        if a.lignes
            .iter()
            .any(|l| l.fonction == crate::model::Fonction::AdjointMaireDelegue)
        {
            "maires délégué·es et leurs adjoint·es"
        } else {
            "maires délégué·es"
        }
    ));
    if let Some((u, c)) = t.commune_nouvelle_pct {
        o.push_str(&format!(
            "  Plafond distinct L2113-19 (adjoint·es + maires délégué·es, {}) : {} points sur {}.\n",
            t.commune_nouvelle_statut
                .map(crate::law::Statut::libelle)
                .unwrap_or_default(),
            format_decimal(u, None),
            format_decimal(c, None)
        ));
    }
    o.push_str(&format!(
        "  Brut mensuel : {} + majorations {} = {} ; annuel {} ; sur le mandat de six ans {}.\n",
        format_euros(t.mensuel_eur),
        format_euros(t.majorations_eur),
        format_euros(t.mensuel_eur + t.majorations_eur),
        format_euros(t.annuel_eur),
        format_euros(t.mandat_eur)
    ));
    o.push_str(&render_charges(a));
    if let Some(act) = t.actuel_mensuel_eur {
        o.push_str(&format!(
            "  Comparaison avec les taux actuels (hors majorations) : {} par mois aujourd'hui, {} proposés ({}{}).\n",
            format_euros(act),
            format_euros(t.mensuel_eur),
            if t.mensuel_eur >= act { "+" } else { "" },
            format_euros(t.mensuel_eur - act)
        ));
        let lignes: Vec<Vec<String>> = a
            .lignes
            .iter()
            .filter_map(|l| {
                let act = l.taux_actuel_pct?;
                let d = l.taux_pct - act;
                Some(vec![
                    l.id.clone(),
                    format_taux(act),
                    format_taux(l.taux_pct),
                    format!(
                        "{}{}",
                        if d >= Decimal::ZERO { "+" } else { "" },
                        format_decimal(d, None)
                    ),
                ])
            })
            .collect();
        o.push_str(&tableau(
            &["Id", "Actuel", "Proposé", "Écart (points)"],
            &lignes,
            &[false, true, true, true],
        ));
    }
    if let Some(d) = &a.dispersion {
        o.push_str(&format!(
            "\nÉcart entre délégué·es : de {} à {} (rapport {}), indice de Gini {}.\n",
            format_taux(d.min_pct),
            format_taux(d.max_pct),
            format_decimal(d.ratio, None),
            format_decimal(d.gini, None)
        ));
    }
    o.push_str("Par sexe et par composante de la majorité :\n");
    let lignes: Vec<Vec<String>> = a
        .par_sexe
        .iter()
        .chain(&a.par_composante)
        .map(|s| {
            vec![
                s.libelle.clone(),
                s.nombre.to_string(),
                format_taux(s.taux_moyen_pct),
                format_euros(s.mensuel_eur),
            ]
        })
        .collect();
    o.push_str(&tableau(
        &["Groupe", "Nombre", "Taux moyen", "Brut mensuel"],
        &lignes,
        &[false, true, true, true],
    ));
    if !a.non_indemnises.is_empty() {
        o.push_str(&format!(
            "\nNon indemnisé·es ({}) :\n",
            a.non_indemnises.len()
        ));
        for n in &a.non_indemnises {
            o.push_str(&format!("  {} : {}\n", n.id, n.motif));
        }
    }
    o.push_str("\nRemarques :\n");
    for r in &a.remarques {
        o.push_str(&format!("  - {r}\n"));
    }
    o
}

fn csv_dec(d: Decimal) -> String {
    d.normalize().to_string().replace('.', ",")
}

fn csv_f(x: f64, dp: usize) -> String {
    format!("{x:.dp$}").replace('.', ",")
}

fn euros_csv(d: Option<Decimal>) -> String {
    d.map(|d| format!("{d:.2}").replace('.', ","))
        .unwrap_or_default()
}

fn code_assujettissement(a: crate::law::cotisations::Assujettissement) -> &'static str {
    use crate::law::cotisations::Assujettissement as A;
    match a {
        A::AuDelaDuSeuil => "au_dela_du_seuil",
        A::CessationActivite => "cessation_activite",
        A::SousLeSeuil => "sous_le_seuil",
    }
}

/// One line per paid élu·e, in the one CSV configuration (BOM, `;`, CRLF, neutralised text),
/// decimal comma.
pub fn render_csv(a: &Allocation) -> String {
    let mut w = super::csv_francais::EcrivainCsv::new();
    w.ligne([
        "id",
        "nom",
        "fonction",
        "groupe",
        "composante",
        "liste",
        "sexe",
        "effectif_pilote",
        "effectif_appui",
        "budget_pilote",
        "budget_appui",
        "services_pilotes",
        "services_appui",
        "axe",
        "quartier",
        "anime_groupe",
        "poids_socle",
        "poids_effectif",
        "poids_budget",
        "poids_services",
        "poids_axe",
        "poids_quartier",
        "poids_animation",
        "poids",
        "palier",
        "cible_pct",
        "taux_pct",
        "mensuel_eur",
        "annuel_eur",
        "majoration_pct",
        "majoration_eur",
        "total_mensuel_eur",
        "perimetre",
        "article",
        "regles",
        "taux_actuel_pct",
        "plafond_pct",
        "plafond_article",
        "plafond_statut",
        "majoration_statut",
        "assujettissement",
        "cotisations_elu_eur",
        "net_mensuel_eur",
        "cotisations_employeur_eur",
        "cout_mensuel_eur",
        "unites_pilotees",
        "unites_appui",
    ]);
    for l in &a.lignes {
        let r = &l.responsabilite;
        let p = l.poids.as_ref();
        let pf = |g: fn(&crate::optimise::indemnites::Poids) -> f64| {
            p.map(|p| csv_f(g(p), 4)).unwrap_or_default()
        };
        let cells = [
            l.id.clone(),
            l.nom.clone(),
            l.fonction.code().to_string(),
            l.groupe.clone().unwrap_or_default(),
            l.composante.clone().unwrap_or_default(),
            l.liste.code().to_string(),
            l.sexe.code().to_string(),
            csv_f(r.effectif_pilote, 2),
            csv_f(r.effectif_appui, 2),
            csv_f(r.budget_pilote, 2),
            csv_f(r.budget_appui, 2),
            r.services_pilotes.to_string(),
            r.services_appui.to_string(),
            r.axe.clone().unwrap_or_default(),
            r.quartier.clone().unwrap_or_default(),
            r.anime_groupe.clone().unwrap_or_default(),
            pf(|p| p.socle),
            pf(|p| p.effectif),
            pf(|p| p.budget),
            pf(|p| p.services),
            pf(|p| p.axe),
            pf(|p| p.quartier),
            pf(|p| p.animation),
            pf(|p| p.total),
            l.palier.map(|x| x.to_string()).unwrap_or_default(),
            l.cible_pct.map(csv_dec).unwrap_or_default(),
            csv_dec(l.taux_pct),
            format!("{:.2}", l.mensuel_eur).replace('.', ","),
            format!("{:.2}", l.annuel_eur).replace('.', ","),
            csv_dec(l.majoration_pct),
            format!("{:.2}", l.majoration_eur).replace('.', ","),
            format!("{:.2}", l.total_mensuel_eur).replace('.', ","),
            perimetre(l.perimetre).to_string(),
            l.article_perimetre.to_string(),
            l.regles.join(" ; "),
            l.taux_actuel_pct.map(csv_dec).unwrap_or_default(),
            csv_dec(l.plafond_pct),
            l.plafond_article.to_string(),
            l.plafond_statut.libelle().to_string(),
            l.majoration_statut.libelle().to_string(),
            l.cout
                .as_ref()
                .map(|c| code_assujettissement(c.assujettissement).to_string())
                .unwrap_or_default(),
            euros_csv(l.cout.as_ref().map(|c| c.cotisations_elu_eur)),
            euros_csv(l.cout.as_ref().map(|c| c.net_mensuel_eur)),
            euros_csv(l.cout.as_ref().map(|c| c.cotisations_employeur_eur)),
            euros_csv(l.cout.as_ref().map(|c| c.cout_mensuel_eur)),
            r.unites_pilotees.to_string(),
            r.unites_appui.to_string(),
        ];
        w.ligne(cells);
    }
    w.texte()
}

/// The nominative tableau annexe of the délibération (CGCT L2123-20-1), the one format of the
/// report's `tableaux/tableau-annexe.csv` and of `indemnites`' file: every paid member in the
/// order of the tableau (maire, adjoint·es by rank, then the others), the fonction as written in
/// the tableau (« 1ère adjointe »), rate, monthly gross amount, majoration and total.
pub fn tableau_annexe(a: &Allocation, s: &crate::model::Scenario) -> super::tableaux::Tableau {
    use super::tableaux::{Cellule, Tableau};
    use crate::optimise::indemnites::en_f64;
    let ordre = |id: &str| -> (u8, u32, usize) {
        match s.find_elu(id) {
            Some(i) => {
                let e = &s.elus[i];
                let f = match e.fonction {
                    crate::model::Fonction::Maire => 0,
                    crate::model::Fonction::Adjoint => 1,
                    crate::model::Fonction::MaireDelegue => 2,
                    crate::model::Fonction::AdjointMaireDelegue => 3,
                    crate::model::Fonction::MaireArrondissement => 4,
                    crate::model::Fonction::AdjointArrondissement => 5,
                    crate::model::Fonction::ConseillerDelegue => 6,
                    crate::model::Fonction::Conseiller => 7,
                };
                (f, e.rang.unwrap_or(u32::MAX), i)
            }
            None => (8, u32::MAX, usize::MAX),
        }
    };
    let mut lignes: Vec<&crate::optimise::indemnites::LigneIndemnite> = a.lignes.iter().collect();
    lignes.sort_by_key(|l| ordre(&l.id));
    Tableau {
        nom: "tableau-annexe".into(),
        titre: "Tableau annexe de la délibération (CGCT L2123-20-1) : indemnités allouées".into(),
        colonnes: [
            "rang",
            "nom",
            "fonction",
            "taux (% de l'indice brut terminal)",
            "brut mensuel",
            "majoration (%)",
            "majoration",
            "total brut mensuel",
        ]
        .map(String::from)
        .to_vec(),
        lignes: lignes
            .iter()
            .map(|l| {
                let elu = s.find_elu(&l.id).map(|i| &s.elus[i]);
                vec![
                    elu.and_then(|e| e.rang)
                        .map(|r| Cellule::Nombre(r as f64, 0))
                        .unwrap_or(Cellule::Vide),
                    Cellule::t(&l.nom),
                    Cellule::t(
                        elu.map(|e| super::rapport::lettres::fonction_ecrite(s, e))
                            .unwrap_or_else(|| l.fonction.libelle().to_string()),
                    ),
                    Cellule::Pourcent(en_f64(l.taux_pct)),
                    Cellule::Euros(en_f64(l.mensuel_eur)),
                    Cellule::Pourcent(en_f64(l.majoration_pct)),
                    Cellule::Euros(en_f64(l.majoration_eur)),
                    Cellule::Euros(en_f64(l.total_mensuel_eur)),
                ]
            })
            .collect(),
    }
}

/// The alpha sweep as a French table.
pub fn render_balayage_table(points: &[PointBalayage]) -> String {
    let lignes: Vec<Vec<String>> = points
        .iter()
        .map(|p| match &p.dispersion {
            Some(d) => vec![
                format_decimal(p.alpha, Some(2)),
                format_taux(d.min_pct),
                format_taux(d.max_pct),
                format_decimal(d.ratio, Some(2)),
                format_decimal(d.gini, Some(4)),
                p.part_utilisee_pct.map(format_taux).unwrap_or_default(),
            ],
            None => vec![format_decimal(p.alpha, Some(2)), "infaisable".into()],
        })
        .collect();
    let mut o = String::from(
        "Balayage d'alpha (0 : parts égales ; 1 : parts proportionnelles aux responsabilités) — délégué·es :\n",
    );
    o.push_str(&tableau(
        &[
            "Alpha",
            "Taux min",
            "Taux max",
            "Max / min",
            "Gini",
            "Part utilisée",
        ],
        &lignes,
        &[true, true, true, true, true, true],
    ));
    o
}

/// The alpha sweep as CSV.
pub fn render_balayage_csv(points: &[PointBalayage]) -> String {
    let mut w = super::csv_francais::EcrivainCsv::new();
    w.ligne([
        "alpha",
        "taux_min_pct",
        "taux_max_pct",
        "ratio",
        "gini",
        "part_utilisee_pct",
    ]);
    for p in points {
        let part = p.part_utilisee_pct.map(csv_dec).unwrap_or_default();
        match &p.dispersion {
            Some(d) => w.ligne([
                csv_dec(p.alpha),
                csv_dec(d.min_pct),
                csv_dec(d.max_pct),
                csv_dec(d.ratio),
                csv_dec(d.gini),
                part,
            ]),
            None => w.ligne([
                csv_dec(p.alpha),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]),
        }
    }
    w.texte()
}

/// The diagnosis of an infeasible policy, in French.
pub fn render_diagnostic(d: &Diagnostic) -> String {
    let mut o = String::from(
        "Aucune répartition ne respecte à la fois toutes les règles de droit et la politique de [indemnites].\n",
    );
    let conflits = d.en_conflit();
    if conflits.is_empty() {
        o.push_str("Aucune famille de règles, relâchée seule, ne suffit : plusieurs règles sont à revoir ensemble.\n");
    } else {
        o.push_str("Familles de règles en conflit (chacune, relâchée seule, rend une répartition possible) :\n");
        for r in conflits {
            let pts = r.ecart_points.unwrap_or_default();
            let eur = r.ecart_eur.unwrap_or_default();
            let nb = r.regles.len();
            let exemples: Vec<String> = r.regles.iter().take(3).map(|c| c.libelle()).collect();
            o.push_str(&format!(
                "  - {} : il faudrait la relâcher de {} points d'indice au total ({} par mois), sur {} règle{}{}{}\n",
                r.libelle,
                format_decimal(pts, None),
                format_euros(eur),
                nb,
                if nb > 1 { "s" } else { "" },
                if exemples.is_empty() {
                    String::new()
                } else {
                    format!(" ({}{})", exemples.join(", "), if nb > 3 { ", …" } else { "" })
                },
                if r.legale {
                    " — règle de droit : elle ne peut pas être écartée par une délibération."
                } else {
                    " — choix politique : modifiable dans [indemnites]."
                }
            ));
        }
    }
    let autres: Vec<&str> = d
        .relachements
        .iter()
        .filter(|r| !r.suffit)
        .map(|r| r.libelle)
        .collect();
    if !autres.is_empty() {
        o.push_str(&format!(
            "Relâcher seule l'une de ces autres familles ne suffirait pas : {}.\n",
            autres.join(" ; ")
        ));
    }
    o
}

/// Today and the proposal for every élu·e paid in either (text table), the élu·es who would lose
/// their indemnité named first in a sentence.
pub fn render_evolutions(ev: &[crate::optimise::indemnites::Evolution]) -> String {
    if ev.iter().all(|v| v.taux_actuel_pct.is_none()) {
        return String::new();
    }
    let mut o = String::from("\nAujourd'hui (taux_actuel) et dans la proposition :\n");
    let perdants: Vec<String> = ev
        .iter()
        .filter(|v| v.perd_son_indemnite())
        .map(|v| format!("{} ({})", v.nom, v.id))
        .collect();
    if !perdants.is_empty() {
        o.push_str(&format!(
            "  {} élu·e(s) indemnisé·e(s) aujourd'hui ne le seraient plus : {}.\n",
            perdants.len(),
            perdants.join(", ")
        ));
    }
    let lignes: Vec<Vec<String>> = ev
        .iter()
        .map(|v| {
            vec![
                v.id.clone(),
                v.nom.clone(),
                v.fonction.libelle().to_string(),
                v.taux_actuel_pct.map(format_taux).unwrap_or_default(),
                format_taux(v.taux_propose_pct),
                v.taux_actuel_pct
                    .map(|t| format_decimal(v.taux_propose_pct - t, Some(2)))
                    .unwrap_or_default(),
                v.motif_non_indemnise.clone().unwrap_or_default(),
            ]
        })
        .collect();
    o.push_str(&tableau(
        &[
            "Id",
            "Élu·e",
            "Fonction",
            "Taux actuel",
            "Taux proposé",
            "Écart (points)",
            "Non indemnisé·e : motif",
        ],
        &lignes,
        &[false, false, false, true, true, true, false],
    ));
    o
}
