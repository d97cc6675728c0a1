//! The documents handed out at the séminaire, built once as [`Document`]s and rendered as
//! Markdown and Word: one lettre de mission per élu·e holding a délégation (maire and maires
//! délégué·es included), one feuille de route per group, and one draft arrêté de délégation de
//! fonctions (CGCT L2122-18) per adjoint·e and conseiller·e délégué·e with délégations.
//!
//! Figures come from the one attribution (`analyse::attribution`, through [`Perimetre`] and
//! [`Attribution`]); nothing is recomputed here.

use super::perimetre::{Perimetre, directions};
use crate::analyse::{Analyse, Attribution, Finding, Gravite};
use crate::model::{Elu, Entite, Fonction, NodeIx, Role, Scenario, Sexe};
use crate::report::document::{Document, Segment, g, t};
use crate::report::format::{euros, nombre};
use std::collections::BTreeSet;

pub use crate::report::document::md;

/// The function as written in the tableau du conseil: « Maire », « 1ère adjointe »,
/// « 2e adjoint », « Maire déléguée de Saint-Aubin-d'Orbe », « Conseillère municipale
/// déléguée ».
pub fn fonction_ecrite(s: &Scenario, e: &Elu) -> String {
    let f = e.sexe == Sexe::F;
    match e.fonction {
        Fonction::Maire => "Maire".into(),
        Fonction::Adjoint => {
            let nom = if f { "adjointe" } else { "adjoint" };
            match e.rang {
                Some(1) => format!("{} {nom}", if f { "1ère" } else { "1er" }),
                Some(r) => format!("{r}e {nom}"),
                None => format!("{}{}", &nom[..1].to_uppercase(), &nom[1..]),
            }
        }
        Fonction::MaireDelegue => {
            let titre = if f {
                "Maire déléguée"
            } else {
                "Maire délégué"
            };
            match e
                .commune_deleguee
                .as_deref()
                .and_then(|c| s.params.communes_deleguees.iter().find(|x| x.id == c))
            {
                Some(c) => format!("{titre} de {}", c.nom),
                None => titre.into(),
            }
        }
        // The RNE's and the délibérations' wordings: « Maire de secteur » in Marseille, « Maire
        // d'arrondissement » in Paris and Lyon.
        Fonction::MaireArrondissement => {
            if s.params.commune.code_insee.as_deref() == Some("13055") {
                "Maire de secteur".into()
            } else {
                "Maire d'arrondissement".into()
            }
        }
        Fonction::AdjointArrondissement => {
            let nom = if f { "Adjointe" } else { "Adjoint" };
            let titre = if s.params.commune.code_insee.as_deref() == Some("13055") {
                "de secteur"
            } else {
                "d'arrondissement"
            };
            format!("{nom} au maire {titre}")
        }
        Fonction::AdjointMaireDelegue => {
            let nom = if f { "Adjointe" } else { "Adjoint" };
            let commune = e
                .commune_deleguee
                .as_deref()
                .and_then(|c| s.params.communes_deleguees.iter().find(|x| x.id == c));
            // « au maire délégué » / « à la maire déléguée » as the maire délégué·e of the same
            // commune déléguée is a man or a woman; inclusive when the scenario does not say.
            let maire = s.elus.iter().find(|x| {
                x.fonction == Fonction::MaireDelegue
                    && x.commune_deleguee.is_some()
                    && x.commune_deleguee == e.commune_deleguee
            });
            let au = match maire.map(|m| m.sexe) {
                Some(Sexe::F) => "à la maire déléguée",
                Some(Sexe::M) => "au maire délégué",
                None => "au maire délégué·e",
            };
            match commune {
                Some(c) => format!("{nom} {au} de {}", c.nom),
                None => format!("{nom} {au}"),
            }
        }
        Fonction::ConseillerDelegue => if f {
            "Conseillère municipale déléguée"
        } else {
            "Conseiller municipal délégué"
        }
        .into(),
        Fonction::Conseiller => if f {
            "Conseillère municipale"
        } else {
            "Conseiller municipal"
        }
        .into(),
    }
}

/// How a service's entity is marked (`None` for the commune's own services).
pub fn marque_entite(e: Entite) -> Option<&'static str> {
    match e {
        Entite::Ville => None,
        Entite::Mutualise => Some("service mutualisé"),
        Entite::Agglo => Some("service de l'agglomération"),
        Entite::Ccas => Some("service du CCAS"),
        Entite::Autre => Some("autre employeur"),
    }
}

/// A node's label with its entity when it is not the commune's.
fn libelle_noeud(s: &Scenario, n: NodeIx) -> String {
    let x = s.organigramme.noeud(n);
    match marque_entite(x.entite) {
        Some(m) => format!("{} ({m})", x.libelle),
        None => x.libelle.clone(),
    }
}

/// The élu·es who get a lettre de mission: the maire, the maires délégué·es and their adjoint·es,
/// every adjoint·e and conseiller·e délégué·e, and any other élu·e holding a délégation, in input
/// order.
pub fn elus_avec_lettre(s: &Scenario) -> Vec<usize> {
    let avec: BTreeSet<usize> = s
        .delegations
        .iter()
        .map(|d| d.elu)
        .chain(s.delegations_sans_service.iter().map(|d| d.elu))
        .collect();
    (0..s.elus.len())
        .filter(|&i| {
            avec.contains(&i)
                || matches!(
                    s.elus[i].fonction,
                    Fonction::Maire
                        | Fonction::MaireDelegue
                        | Fonction::AdjointMaireDelegue
                        | Fonction::Adjoint
                        | Fonction::ConseillerDelegue
                )
        })
        .collect()
}

/// File stem of an élu·e's documents: `E03-nadia-benali`.
pub fn nom_elu(e: &Elu) -> String {
    crate::report::ecriture::nom_de_fichier(&format!("{}-{}-{}", e.id, e.prenom, e.nom))
}

/// The interlocutor of a node: the named `responsable`, else the post.
fn interlocuteur(s: &Scenario, n: NodeIx) -> String {
    let org = &s.organigramme;
    let x = org.noeud(n);
    let poste = match x.niveau {
        crate::model::Niveau::Dgs => "la ou le DGS",
        crate::model::Niveau::Dga => "la ou le DGA",
        crate::model::Niveau::Direction => "la directrice ou le directeur",
        crate::model::Niveau::Service => "la ou le chef·fe de service",
        crate::model::Niveau::Unite => "la ou le responsable d'unité",
    };
    match org.responsables.get(&n) {
        Some(r) => r.clone(),
        None => poste.to_string(),
    }
}

fn constats_ouverts(doc: &mut Document, constats: &[&Finding]) {
    let ouverts: Vec<&&Finding> = constats
        .iter()
        .filter(|f| f.gravite != Gravite::Info)
        .collect();
    if ouverts.is_empty() {
        doc.texte("Aucune erreur ni alerte.");
    } else {
        doc.liste(
            ouverts
                .iter()
                .map(|f| {
                    vec![
                        g(format!("{} ({})", f.code, f.gravite.libelle())),
                        t(format!(" — {} Suggestion : {}", f.message, f.suggestion)),
                    ]
                })
                .collect(),
        );
    }
}

/// The frame the pacte names: objectifs, organisation, calendrier. `axes_ci_dessus`: the
/// document has a section on the transversal axes to refer to.
fn cadre(doc: &mut Document, s: &Scenario, groupe: Option<&str>, axes_ci_dessus: bool) {
    let date = crate::format::date(s.params.date);
    doc.titre(2, "Objectifs politiques");
    doc.blocs.push(crate::report::document::Bloc::Cases(vec![
        "Les priorités du mandat sur ce périmètre (trois au plus), chacune avec un indicateur de suivi.".into(),
        "Les engagements du programme qui s'y rattachent.".into(),
        if axes_ci_dessus {
            "Les sujets partagés avec les adjoint·es transversal·es (axes ci-dessus).".into()
        } else {
            "Les sujets partagés avec les adjoint·es transversal·es.".into()
        },
    ]));
    doc.titre(2, "Organisation");
    doc.blocs.push(crate::report::document::Bloc::Cases(vec![
        match groupe {
            Some(gr) => format!("Le rythme des réunions du groupe {gr} et de ses membres avec les services."),
            None => "Le rythme des réunions avec les services et avec la ou le maire.".into(),
        },
        "Qui signe quoi : la délégation de signature éventuelle, dans les limites de l'arrêté (L2122-18).".into(),
        "La manière de rendre compte à la majorité (bureau municipal, conseil).".into(),
    ]));
    doc.titre(2, "Calendrier");
    doc.liste(vec![
        vec![g(date), t(" : séminaire de la majorité, remise de cette lettre.")],
        vec![g("Dans le premier mois"), t(" : rencontre avec les interlocuteurs ci-dessus.")],
        vec![g("Dans les trois mois"), t(" : feuille de route établie avec les services, partagée avec la majorité puis publiée.")],
        vec![g("Chaque année"), t(" : bilan devant la majorité, mise à jour de la feuille de route.")],
    ]);
}

/// The commune's name as it signs its acts (`commune` in `scenario.toml`), else « \[commune\] »
/// to fill in.
pub fn commune(s: &Scenario) -> String {
    s.params
        .commune
        .nom
        .clone()
        .unwrap_or_else(|| "[commune]".into())
}

/// The indemnité of élu·e `i` in the allocation, as the letter states it: the rate of the
/// indice brut terminal and the gross amount per month (majorations apart), the net and the
/// cost with charges (`law::cotisations`), or why none.
fn indemnite(doc: &mut Document, al: &crate::optimise::indemnites::Allocation, e: &Elu) {
    use crate::optimise::indemnites::en_f64;
    let pct = |d: rust_decimal::Decimal| crate::report::format::pourcent(en_f64(d));
    let eur = |d: rust_decimal::Decimal| euros(en_f64(d));
    doc.titre(2, "Indemnité de fonction");
    if let Some(l) = al.lignes.iter().find(|l| l.id == e.id) {
        let mut v = vec![
            t("Indemnité proposée : "),
            g(format!("{} de l'indice brut terminal", pct(l.taux_pct))),
            t(", soit "),
            g(format!("{} brut par mois", eur(l.mensuel_eur))),
        ];
        if l.majoration_eur > rust_decimal::Decimal::ZERO {
            v.push(t(format!(
                " avant majorations ({} avec les majorations votées, L2123-22)",
                eur(l.total_mensuel_eur)
            )));
        }
        v.push(t(format!(
            ". Montant brut, sous la politique du scénario, dans l'enveloppe légale ({}) ; il est fixé par délibération du conseil municipal (CGCT L2123-20-1).",
            l.article_perimetre
        )));
        doc.paragraphe(v);
        if let Some(c) = &l.cout {
            doc.texte(format!(
                "Net estimé : {} par mois avant impôt sur le revenu, après {} de cotisations de l'élu·e ; coût pour le budget de la commune, charges comprises : {} par mois (taux de cotisation {}).",
                eur(c.net_mensuel_eur),
                eur(c.cotisations_elu_eur),
                eur(c.cout_mensuel_eur),
                c.statut.libelle()
            ));
        }
    } else if let Some(n) = al.non_indemnises.iter().find(|n| n.id == e.id) {
        doc.texte(format!(
            "Aucune indemnité dans la proposition : {}.",
            n.motif
        ));
    } else {
        doc.texte("Aucune indemnité dans la proposition.");
    }
}

/// The signature block of a letter: « Fait à <commune>, le [date]. »
fn signature(doc: &mut Document, s: &Scenario) {
    let maire = s
        .elus
        .iter()
        .find(|x| x.fonction == Fonction::Maire)
        .map(|x| {
            format!(
                "{} {}",
                if x.sexe == Sexe::F {
                    "La maire,"
                } else {
                    "Le maire,"
                },
                x.nom_complet()
            )
        })
        .unwrap_or_else(|| "La ou le maire".into());
    doc.paragraphe(vec![t(format!(
        "Fait à {}, le [date]. {maire} : [signature].",
        commune(s)
    ))]);
}

/// The lettre de mission of élu·e `i`, with their indemnité when the allocation is given.
pub fn lettre_elu(
    s: &Scenario,
    a: &Analyse,
    attribution: &Attribution,
    perimetres: &[Perimetre],
    i: usize,
    indemnites: Option<&crate::optimise::indemnites::Allocation>,
) -> Document {
    let org = &s.organigramme;
    let e = &s.elus[i];
    let mut doc = Document::new(format!(
        "Lettre de mission — {} {}, {}",
        e.prenom,
        e.nom,
        minuscule(&fonction_ecrite(s, e))
    ));
    doc.texte(format!(
        "Scénario : {}. Le pacte de gouvernance prévoit une lettre de mission pour chaque élu·e, diffusée auprès des services ; ce document est partagé avec la majorité puis publié.",
        s.params.nom
    ));
    let groupe = perimetres
        .iter()
        .find(|p| p.membres.contains(&i))
        .map(|p| p.groupe.as_str());
    let mut identite = vec![vec![
        g("Fonction"),
        t(format!(" : {}", fonction_ecrite(s, e))),
    ]];
    if let Some(gr) = groupe {
        let chef = perimetres
            .iter()
            .find(|p| p.groupe == gr)
            .and_then(|p| p.chef);
        identite.push(vec![
            g("Groupe"),
            t(format!(
                " : {gr}{}",
                match chef {
                    Some(c) if c == i => " (chef·fe de file)".to_string(),
                    Some(c) => format!(" (chef·fe de file : {})", s.elus[c].nom_complet()),
                    None => String::new(),
                }
            )),
        ]);
    }
    if let Some(q) = &e.quartier {
        identite.push(vec![g("Quartier"), t(format!(" : {q}"))]);
    }
    if let Some(ax) = &e.axe {
        identite.push(vec![
            g("Axe transversal"),
            t(format!(" : {}", s.libelle_axe(ax))),
        ]);
    }
    let libelles: BTreeSet<&str> = s
        .delegations
        .iter()
        .filter(|d| d.elu == i && !d.libelle.is_empty())
        .map(|d| d.libelle.as_str())
        .collect();
    if !libelles.is_empty() {
        identite.push(vec![
            g("Délégation"),
            t(format!(
                " : {}",
                libelles.into_iter().collect::<Vec<_>>().join(" ; ")
            )),
        ]);
    }
    // Délégations that name no service (issue 20): shown as such, never as a perimeter.
    let sans_service: Vec<&str> = s.sans_service_de(i).map(|d| d.libelle.as_str()).collect();
    if !sans_service.is_empty() {
        identite.push(vec![
            g("Délégation sans service de rattachement"),
            t(format!(" : {}", sans_service.join(" ; "))),
        ]);
    }
    doc.liste(identite);
    if let Some(al) = indemnites {
        indemnite(&mut doc, al, e);
    }

    // Perimeter: the attribution's figures for this élu·e.
    let charge = attribution.elu(i);
    let appui = attribution.appui(i);
    doc.titre(2, "Périmètre");
    let pilotes: Vec<NodeIx> = {
        let mut v: Vec<NodeIx> = s
            .delegations
            .iter()
            .filter(|d| d.elu == i && d.role == Role::Pilote)
            .map(|d| d.noeud)
            .collect();
        v.sort_by_key(|&n| org.noeud(n).ligne);
        v.dedup();
        v
    };
    if pilotes.is_empty() {
        doc.texte(match e.fonction {
            Fonction::Maire => "La ou le maire ne pilote aucun service en propre : l'administration lui répond par la DGS, et ses délégations sont confiées par arrêté (L2122-18).".to_string(),
            _ => "Aucun service piloté en propre.".to_string(),
        });
    } else {
        doc.paragraphe(vec![
            t("Pilotés : "),
            g(format!("{} ETP", nombre(charge.effectif, 1))),
            t(" et "),
            g(euros(charge.budget)),
            t(format!(
                " de budget annuel, {} service(s) (part attribuée à {} selon la règle unique des « ETP pilotés »).",
                charge.services,
                e.nom_complet()
            )),
        ]);
        let lignes = pilotes
            .iter()
            .map(|&n| {
                let x = org.noeud(n);
                vec![
                    x.id.clone(),
                    libelle_noeud(s, n),
                    x.niveau.libelle().to_string(),
                    org.dga_de(n)
                        .map(|d| org.noeud(d).id.clone())
                        .unwrap_or_else(|| "DGS".into()),
                ]
            })
            .collect();
        doc.tableau(
            &["nœud", "libellé", "niveau", "pôle"],
            &[false, false, false, false],
            lignes,
        );
    }
    let appuis: Vec<NodeIx> = {
        let mut v: Vec<NodeIx> = s
            .delegations
            .iter()
            .filter(|d| d.elu == i && d.role == Role::Appui)
            .map(|d| d.noeud)
            .collect();
        // In organigramme order: the letter does not depend on the order of delegations.csv.
        v.sort_by_key(|&n| org.noeud(n).ligne);
        v.dedup();
        v
    };
    if !appuis.is_empty() {
        doc.paragraphe(vec![
            t("En appui (sans autorité hiérarchique) : "),
            g(format!("{} ETP", nombre(appui.effectif, 1))),
            t("."),
        ]);
        doc.liste(
            appuis
                .iter()
                .map(|&n| {
                    vec![
                        g(org.noeud(n).id.clone()),
                        t(format!(" — {}", libelle_noeud(s, n))),
                    ]
                })
                .collect(),
        );
    }
    // A transversal adjoint·e acts in appui across pôles: list them.
    if let Some(ax) = &e.axe {
        let mut poles: BTreeSet<NodeIx> = appuis.iter().filter_map(|&n| org.dga_de(n)).collect();
        for n in 0..org.len() {
            if org.noeud(n).axes.iter().any(|x| x == ax)
                && let Some(d) = org.dga_de(n)
            {
                poles.insert(d);
            }
        }
        doc.titre(2, "Pôles où vous agissez en appui");
        if poles.is_empty() {
            doc.texte(format!(
                "Aucun service n'est rattaché à l'axe « {} » dans l'organigramme.",
                s.libelle_axe(ax)
            ));
        } else {
            doc.liste(
                poles
                    .iter()
                    .map(|&d| {
                        let x = org.noeud(d);
                        vec![
                            g(x.id.clone()),
                            t(format!(
                                " — {} ; interlocuteur : {}",
                                x.libelle,
                                interlocuteur(s, d)
                            )),
                        ]
                    })
                    .collect(),
            );
        }
    }

    // Transversal axes crossing the perimeter.
    let mut axes: BTreeSet<&str> = BTreeSet::new();
    for &n in &pilotes {
        for x in org.sous_arbre(n) {
            for ax in &org.noeud(x).axes {
                axes.insert(ax.as_str());
            }
        }
    }
    if !axes.is_empty() {
        doc.titre(2, "Axes transversaux qui traversent le périmètre");
        doc.liste(
            axes.iter()
                .map(|ax| {
                    let porteurs: Vec<String> = s
                        .elus
                        .iter()
                        .filter(|x| x.axe.as_deref() == Some(ax))
                        .map(|x| x.nom_complet())
                        .collect();
                    vec![
                        g(s.libelle_axe(ax).to_string()),
                        t(if porteurs.is_empty() {
                            " : aucun·e adjoint·e transversal·e".to_string()
                        } else {
                            format!(" : avec {}", porteurs.join(", "))
                        }),
                    ]
                })
                .collect(),
        );
    }

    doc.titre(2, "Interlocuteurs dans l'administration");
    let mut inter: Vec<NodeIx> = Vec::new();
    for &n in &pilotes {
        if let Some(d) = org.dga_de(n)
            && !inter.contains(&d)
        {
            inter.push(d);
        }
        let dir = org
            .ancetre_de_niveau(n, crate::model::Niveau::Direction)
            .unwrap_or(n);
        if !inter.contains(&dir) {
            inter.push(dir);
        }
    }
    // Where the élu·e works en appui (a transversal adjoint·e's job across pôles): the pôle and
    // the direction of each appui, marked as such.
    let mut en_appui: Vec<NodeIx> = Vec::new();
    for &n in &appuis {
        let dir = org.ancetre_de_niveau(n, crate::model::Niveau::Direction);
        for x in [org.dga_de(n), dir].into_iter().flatten() {
            if !inter.contains(&x) && !en_appui.contains(&x) {
                en_appui.push(x);
            }
        }
    }
    if inter.is_empty() && en_appui.is_empty() {
        inter.push(org.racine);
    }
    let ligne = |n: NodeIx, appui: bool| {
        let x = org.noeud(n);
        vec![
            g(x.id.clone()),
            t(format!(
                " — {} : {}{}",
                libelle_noeud(s, n),
                interlocuteur(s, n),
                if appui { " (en appui)" } else { "" }
            )),
        ]
    };
    doc.liste(
        inter
            .iter()
            .map(|&n| ligne(n, false))
            .chain(en_appui.iter().map(|&n| ligne(n, true)))
            .collect(),
    );

    doc.titre(2, "Constats ouverts qui vous concernent");
    let ids: BTreeSet<&str> = pilotes
        .iter()
        .chain(&appuis)
        .map(|&n| org.noeud(n).id.as_str())
        .collect();
    let constats: Vec<&Finding> = a
        .constats
        .iter()
        .filter(|f| {
            f.sujets.elus.contains(&e.id)
                || (f.sujets.elus.is_empty()
                    && f.sujets.noeuds.iter().any(|n| ids.contains(n.as_str())))
        })
        .collect();
    constats_ouverts(&mut doc, &constats);
    cadre(&mut doc, s, groupe, !axes.is_empty());
    signature(&mut doc, s);
    doc
}

/// The feuille de route of one group.
pub fn feuille_de_route(s: &Scenario, p: &Perimetre) -> Document {
    let org = &s.organigramme;
    let mut doc = Document::new(format!("Feuille de route — groupe {}", p.groupe));
    doc.texte(format!(
        "Scénario : {}. Le pacte de gouvernance demande à chaque binôme ou groupe d'établir sa feuille de route avec les services, avec ses objectifs politiques, son organisation et son calendrier. Ce document est partagé avec la majorité puis publié.",
        s.params.nom
    ));
    doc.titre(2, "Membres");
    doc.liste(
        p.membres
            .iter()
            .map(|&i| {
                let e = &s.elus[i];
                let mut role = fonction_ecrite(s, e);
                if p.chef == Some(i) {
                    role.push_str(", chef·fe de file");
                }
                if let Some(q) = &e.quartier {
                    role.push_str(&format!(", quartier {q}"));
                }
                if let Some(a) = &e.axe {
                    role.push_str(&format!(", axe « {} »", s.libelle_axe(a)));
                }
                vec![g(e.nom_complet()), t(format!(" ({}) — {role}", e.id))]
            })
            .collect(),
    );
    doc.titre(2, "Services et directions pilotés");
    doc.paragraphe(vec![
        g(format!("{} ETP", nombre(p.effectif(), 1))),
        t(" et "),
        g(euros(p.budget())),
        t(" de budget annuel au total."),
    ]);
    if p.noeuds.is_empty() {
        doc.texte("Aucun nœud piloté : le groupe n'a que des délégations d'appui.");
    } else {
        doc.tableau(
            &["nœud", "libellé", "pôle", "ETP", "budget", "pilote"],
            &[false, false, false, true, true, false],
            p.noeuds
                .iter()
                .map(|n| {
                    let x = org.noeud(n.noeud);
                    vec![
                        x.id.clone(),
                        libelle_noeud(s, n.noeud),
                        org.dga_de(n.noeud)
                            .map(|d| org.noeud(d).id.clone())
                            .unwrap_or_else(|| "DGS".into()),
                        nombre(n.effectif, 1),
                        euros(n.budget),
                        n.elus.join(", "),
                    ]
                })
                .collect(),
        );
    }
    if !p.appuis.is_empty() {
        doc.texte("En appui (sans autorité hiérarchique) :");
        doc.liste(
            p.appuis
                .iter()
                .map(|(n, e)| {
                    vec![
                        g(org.noeud(*n).id.clone()),
                        t(format!(" — {} ({e})", libelle_noeud(s, *n))),
                    ]
                })
                .collect(),
        );
    }
    doc.titre(2, "Interlocuteurs dans l'administration");
    let mut items: Vec<Vec<Segment>> = p
        .poles
        .iter()
        .map(|&d| {
            vec![
                g(format!("Pôle {}", org.noeud(d).id)),
                t(format!(
                    " — {} : {}",
                    org.noeud(d).libelle,
                    interlocuteur(s, d)
                )),
            ]
        })
        .collect();
    items.extend(directions(s, p).into_iter().map(|d| {
        vec![
            g(format!("Direction {}", org.noeud(d).id)),
            t(format!(
                " — {} : {}",
                libelle_noeud(s, d),
                interlocuteur(s, d)
            )),
        ]
    }));
    if items.is_empty() {
        doc.texte("Aucun : le groupe ne pilote aucun service.");
    }
    doc.liste(items);
    doc.titre(2, "Axes transversaux qui traversent le périmètre");
    if p.axes.is_empty() {
        doc.texte("Aucun nœud du périmètre n'est rattaché à un axe transversal.");
    } else {
        doc.liste(
            p.axes
                .iter()
                .map(|(axe, noeuds)| {
                    let porteurs: Vec<String> = s
                        .elus
                        .iter()
                        .filter(|e| e.axe.as_deref() == Some(axe.as_str()))
                        .map(|e| e.nom_complet())
                        .collect();
                    vec![
                        g(s.libelle_axe(axe).to_string()),
                        t(format!(
                            " ({}) : {}",
                            if porteurs.is_empty() {
                                "aucun·e adjoint·e transversal·e".to_string()
                            } else {
                                format!("avec {}", porteurs.join(", "))
                            },
                            noeuds.join(", ")
                        )),
                    ]
                })
                .collect(),
        );
    }
    doc.titre(2, "Constats ouverts qui concernent le groupe");
    let constats: Vec<&Finding> = p.constats.iter().collect();
    constats_ouverts(&mut doc, &constats);
    // The feuille de route always has its axes section (« aucun nœud… » when empty).
    cadre(&mut doc, s, Some(&p.groupe), true);
    doc
}

/// The draft arrêté de délégation de fonctions (CGCT L2122-18) of élu·e `i`: adjoint·es and
/// conseiller·es délégué·es (and adjoint·es au maire délégué·e, who receive the délégations of
/// the commune nouvelle like them) with at least one délégation; `None` otherwise.
pub fn arrete(s: &Scenario, i: usize) -> Option<Document> {
    let e = &s.elus[i];
    if !matches!(
        e.fonction,
        Fonction::Adjoint | Fonction::ConseillerDelegue | Fonction::AdjointMaireDelegue
    ) {
        return None;
    }
    let org = &s.organigramme;
    let mut domaines: Vec<String> = Vec::new();
    let mut siennes: Vec<&crate::model::Delegation> =
        s.delegations.iter().filter(|d| d.elu == i).collect();
    // In organigramme order: the arrêté does not depend on the order of delegations.csv.
    siennes.sort_by_key(|d| (org.noeud(d.noeud).ligne, d.role));
    for d in siennes {
        let x = if d.libelle.is_empty() {
            org.noeud(d.noeud).libelle.clone()
        } else {
            d.libelle.clone()
        };
        if !domaines.contains(&x) {
            domaines.push(x);
        }
    }
    if domaines.is_empty() {
        return None;
    }
    let f = e.sexe == Sexe::F;
    let civilite = if f { "Madame" } else { "Monsieur" };
    let maire = s
        .elus
        .iter()
        .find(|x| x.fonction == Fonction::Maire)
        .map(|x| (x.nom_complet(), x.sexe == Sexe::F));
    let (titre_maire, nom_maire) = match &maire {
        Some((n, true)) => ("La maire", n.clone()),
        Some((n, false)) => ("Le maire", n.clone()),
        None => ("La ou le maire", String::new()),
    };
    let mut doc = Document::new(format!(
        "PROJET — Arrêté de délégation de fonctions à {civilite} {}",
        e.nom_complet()
    ));
    doc.paragraphe(vec![g(
        "Projet à vérifier par les services juridiques avant signature : ce document est généré par collegia à partir du scénario ; il n'a aucune valeur tant qu'il n'est pas signé, transmis et publié.",
    )]);
    doc.paragraphe(vec![t(format!(
        "{titre_maire} de {}{}{},",
        commune(s),
        if nom_maire.is_empty() { "" } else { ", " },
        nom_maire
    ))]);
    doc.liste(vec![
        vec![t("Vu le code général des collectivités territoriales, notamment ses articles L2122-18 et L2131-1 ;")],
        vec![t("Vu le procès-verbal de l'élection du maire et des adjoint·es ;")],
        vec![t(format!(
            "Considérant que {} {} exerce la fonction de {} ;",
            civilite,
            e.nom_complet(),
            minuscule(&fonction_ecrite(s, e))
        ))],
    ]);
    doc.titre(2, "Arrête");
    doc.paragraphe(vec![
        g("Article 1. "),
        t(format!(
            "{civilite} {}, {}, est {} sous la surveillance et la responsabilité du maire, pour exercer les fonctions suivantes :",
            e.nom_complet(),
            minuscule(&fonction_ecrite(s, e)),
            if f { "déléguée," } else { "délégué," }
        )),
    ]);
    doc.liste(domaines.into_iter().map(|d| vec![t(d)]).collect());
    doc.paragraphe(vec![
        g("Article 2. "),
        t(format!(
            "Dans ces domaines, {civilite} {} reçoit délégation de signature pour les actes suivants : [à préciser].",
            e.nom_complet()
        )),
    ]);
    doc.paragraphe(vec![
        g("Article 3. "),
        t("Le présent arrêté sera transmis au représentant de l'État, publié et notifié à l'intéressé·e ; il entre en vigueur à compter de ces formalités (L2131-1)."),
    ]);
    doc.paragraphe(vec![t(format!(
        "Fait à {}, le [date]. Signature : {}.",
        commune(s),
        if nom_maire.is_empty() {
            "[le ou la maire]".to_string()
        } else {
            format!("{}, {}", titre_maire.to_lowercase(), nom_maire)
        }
    ))]);
    Some(doc)
}

/// The first letter in lower case (« 2e adjointe », « maire déléguée de Saint-Aubin »).
fn minuscule(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(p) => p.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
