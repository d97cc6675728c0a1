//! The optimised proposal in the séminaire report (`collegia rapport --optimiser`): its status
//! (proved optimal, or the gap), what moves, and the pôles and staff of each group before and
//! after, as tables (HTML, CSV, XLSX); the proposal itself is written beside the report as a
//! scenario variant (`proposition/`), by the same function as `collegia optimiser`.

use crate::model::Scenario;
use crate::optimise::application::{
    appliquer, changements_delegations, effectifs_groupes, indemnites_avant_apres,
};
use crate::optimise::{Donnees, Resultat};
use crate::report::optimisation::{Changement, changements, nature, raison, statut};
use crate::report::tableaux::{Cellule, Tableau};

/// The optimiser's result and the data it was computed on.
#[derive(Debug, Clone, Copy)]
pub struct Proposition<'a> {
    /// The input scenario.
    pub scenario: &'a Scenario,
    /// The grouping model's data.
    pub donnees: &'a Donnees,
    /// The verified plan and its status.
    pub resultat: &'a Resultat,
    /// The input scenario's folder relative to the report's `proposition/` folder (the
    /// variant's `base`).
    pub base: &'a str,
    /// The front of compromises (structure against agents), when computed.
    pub front: Option<&'a [crate::optimise::front::PointFront]>,
}

impl Proposition<'_> {
    /// One French sentence: the status and the objective before → after.
    pub fn resume(&self) -> String {
        let r = self.resultat;
        let n = |v: f64| crate::report::format::nombre(v, 3);
        format!(
            "Résultat : {}. Objectif {} avant → {} après : pôles couverts par les groupes {} → {}, {} unité(s) changent de groupe, {} unité(s) orpheline(s) adoptée(s), {} délégation(s) passent de pilote à appui, liens fonctionnels entre groupes (D002) {} → {}, écart de charge {} → {}.",
            statut(r),
            n(r.avant.total),
            n(r.cout.total),
            r.avant.dispersion,
            r.cout.dispersion,
            r.cout.changements,
            crate::optimise::application::orphelines_adoptees(self.donnees, &r.plan).len(),
            r.cout.retraits,
            r.avant.liens,
            r.cout.liens,
            n(r.avant.ecart),
            n(r.cout.ecart),
        ) + &format!(
            " Agents dont la chaîne hiérarchique change : {} ETP.{}",
            crate::report::format::nombre(r.cout.agents_deplaces, 1),
            if crate::optimise::verify(&crate::optimise::Plan::actuel(self.donnees), self.donnees)
                .is_empty()
            {
                ""
            } else {
                " Le plan d'entrée n'est pas admissible (orphelines, doubles rattachements) : son objectif n'est pas comparable."
            }
        ) + &crate::report::optimisation::regles_levees(&r.levees)
            .iter()
            .map(|l| format!(" {l}"))
            .collect::<String>()
    }
}

fn gid(d: &Donnees, g: Option<usize>) -> Cellule {
    match g {
        Some(g) => Cellule::t(&d.groupes[g].id),
        None => Cellule::t("sans groupe"),
    }
}

/// The tables of the proposal: every change (units changing group, orphans adopted, délégations
/// made appui, members changing group), and the groups before and after.
pub fn tableaux(p: &Proposition) -> Vec<Tableau> {
    let d = p.donnees;
    let plan = &p.resultat.plan;
    let pole = |u: usize| {
        d.unites[u]
            .dga
            .map(|x| Cellule::t(&d.dgas[x].id))
            .unwrap_or(Cellule::Vide)
    };
    let lignes = changements(d, plan)
        .into_iter()
        .map(|c| match c {
            Changement::Unite(u) => {
                let un = &d.unites[u];
                vec![
                    Cellule::t(if un.actuel.is_some() {
                        "unité déplacée"
                    } else {
                        "orpheline adoptée"
                    }),
                    Cellule::t(&un.id),
                    Cellule::t(&un.libelle),
                    pole(u),
                    Cellule::Nombre(un.charge, 1),
                    gid(d, un.actuel),
                    gid(d, plan.unites[u]),
                ]
            }
            Changement::Membre(e) => vec![
                Cellule::t("élu·e changeant de groupe"),
                Cellule::t(&d.membres[e].id),
                Cellule::Vide,
                Cellule::Vide,
                Cellule::Vide,
                gid(d, d.membres[e].actuel),
                gid(d, plan.membres[e]),
            ],
            Changement::Retrait(e, u) => {
                let un = &d.unites[u];
                vec![
                    Cellule::t("pilote → appui"),
                    Cellule::t(&d.membres[e].id),
                    Cellule::t(format!("{} — {}", un.id, un.libelle)),
                    pole(u),
                    Cellule::Nombre(un.charge, 1),
                    gid(d, plan.membres[e]),
                    gid(d, plan.unites[u]),
                ]
            }
        })
        .collect();
    let changements = Tableau {
        nom: "proposition-changements".into(),
        titre: "Proposition optimisée : ce qui change".into(),
        colonnes: [
            "changement",
            "unité ou élu·e",
            "libellé",
            "pôle",
            "ETP",
            "avant",
            "après",
        ]
        .map(String::from)
        .to_vec(),
        lignes,
    };
    // Pôles by the one definition (D004's), on the input and on the proposal.
    let (pa, pp) = crate::report::optimisation::poles_avant_apres(
        p.scenario,
        &appliquer(p.scenario, d, plan),
        d,
    );
    // « ETP pilotés » before and after by the one attribution rule, as everywhere else.
    let ca = effectifs_groupes(p.scenario, d);
    let cp = effectifs_groupes(&appliquer(p.scenario, d, plan), d);

    let groupes = Tableau {
        nom: "proposition-groupes".into(),
        titre: "Proposition optimisée : pôles et effectif de chaque groupe, avant et après".into(),
        colonnes: [
            "groupe",
            "transversal",
            "pôles avant",
            "pôles après",
            "ETP pilotés avant",
            "ETP pilotés après",
        ]
        .map(String::from)
        .to_vec(),
        lignes: d
            .groupes
            .iter()
            .enumerate()
            .map(|(g, gr)| {
                vec![
                    Cellule::t(&gr.id),
                    Cellule::t(if gr.transversal { "oui" } else { "non" }),
                    Cellule::Nombre(pa[g] as f64, 0),
                    Cellule::Nombre(pp[g] as f64, 0),
                    Cellule::Nombre(ca[g], 1),
                    Cellule::Nombre(cp[g], 1),
                ]
            })
            .collect(),
    };
    let org = &p.scenario.organigramme;
    let propose = appliquer(p.scenario, d, plan);
    let liste = changements_delegations(p.scenario, d, plan);
    let delegations = Tableau {
        nom: "proposition-delegations".into(),
        titre: "Proposition optimisée : chaque ligne de délégation qui change, et pourquoi".into(),
        colonnes: ["élu·e", "nœud", "libellé du nœud", "changement", "pourquoi"]
            .map(String::from)
            .to_vec(),
        lignes: liste
            .iter()
            .map(|c| {
                let e = &p.scenario.elus[c.elu];
                vec![
                    Cellule::t(format!("{} ({})", e.nom_complet(), e.id)),
                    Cellule::t(&org.noeud(c.noeud).id),
                    Cellule::t(&org.noeud(c.noeud).libelle),
                    Cellule::t(nature(c.nature)),
                    Cellule::t(raison(d, &c.raison)),
                ]
            })
            .collect(),
    };
    let mut v = vec![changements, delegations, groupes];
    if let Some(points) = p.front {
        v.push(Tableau {
            nom: "proposition-front".into(),
            titre: match crate::report::optimisation::note_front(points) {
                Some(n) => format!("Front de compromis : {n}"),
                None => "Front de compromis : chaque point est une proposition optimale (structure contre agents concernés)".into(),
            },
            colonnes: [
                "point",
                "structure",
                "pôles",
                "liens entre groupes",
                "agents concernés (ETP)",
                "unités déplacées",
                "statut",
            ]
            .map(String::from)
            .to_vec(),
            // The rows the terminal and the séminaire print (`lignes_front`): one status text.
            lignes: crate::report::optimisation::lignes_front(points)
                .into_iter()
                .map(|l| {
                    vec![
                        Cellule::Nombre(l.point as f64, 0),
                        Cellule::Nombre(l.structure as f64, 0),
                        Cellule::Nombre(l.poles as f64, 0),
                        Cellule::Nombre(l.liens as f64, 0),
                        Cellule::Nombre(l.agents_etp, 1),
                        Cellule::Nombre(l.unites as f64, 0),
                        Cellule::t(l.statut),
                    ]
                })
                .collect(),
        });
    }
    if let Some(taux) = indemnites_avant_apres(p.scenario, &propose) {
        let pc = |t: Option<rust_decimal::Decimal>| {
            t.map(|x| Cellule::Pourcent(crate::optimise::indemnites::en_f64(x)))
                .unwrap_or(Cellule::t("non indemnisé·e"))
        };
        v.push(Tableau {
            nom: "proposition-indemnites".into(),
            titre:
                "Proposition optimisée : indemnités sous la politique du scénario, avant et après"
                    .into(),
            colonnes: [
                "élu·e",
                "taux avant (%)",
                "taux après (%)",
                "délégations modifiées",
            ]
            .map(String::from)
            .to_vec(),
            lignes: taux
                .iter()
                .filter(|x| x.avant != x.apres || liste.iter().any(|c| c.elu == x.elu))
                .map(|x| {
                    let e = &p.scenario.elus[x.elu];
                    vec![
                        Cellule::t(format!("{} ({})", e.nom_complet(), e.id)),
                        pc(x.avant),
                        pc(x.apres),
                        Cellule::Nombre(liste.iter().filter(|c| c.elu == x.elu).count() as f64, 0),
                    ]
                })
                .collect(),
        });
    }
    v
}
