//! Renderers of `collegia optimiser`: the proposal as a scenario variant (`delegations.csv`,
//! `elus.csv`, `scenario.toml`), the list of changes (`changements.csv`), the printed summary
//! and the French wording of an infeasibility. Bytes and text out; nothing is written here.
//!
//! Every output is sorted and formatted with fixed precision: the same input gives the same
//! bytes.

use super::format::{decimal_court, nombre};
use crate::model::{Elu, Role, Scenario};
use crate::optimise::{
    Donnees, Famille, Infaisabilite, Plan, Resultat, Statut, charges, poles_par_groupe,
};
use crate::report::tableaux::neutralise;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// One délégation row as written in `delegations.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LigneDelegation {
    /// Élu·e id.
    pub elu: String,
    /// Node id.
    pub noeud: String,
    /// Role.
    pub role: Role,
    /// Wording.
    pub libelle: String,
}

/// The délégations of the plan: every input row is kept, except
/// - the pilote délégations of group leaders on nodes the plan reassigns, which are replaced by
///   one pilote délégation per unit the leader's group leads (on the unit, or on its largest
///   subtrees free of reserved nodes); the new rows take the place of the leader's first
///   replaced row, with its wording;
/// - a member's pilote délégation touching a unit of the plan's `retraits`, which becomes an
///   appui on the same node; when the node spans several units and the member keeps some of
///   them, the pilote délégation is kept on those units (their largest subtrees free of reserved
///   nodes), beside the appui.
pub fn delegations(s: &Scenario, d: &Donnees, plan: &Plan) -> Vec<LigneDelegation> {
    let org = &s.organigramme;
    // Nodes the plan decides: inside a unit, or above one.
    let mut decide = vec![false; org.len()];
    for u in &d.unites {
        let Some(n) = u.noeud else { continue };
        for x in org.sous_arbre(n) {
            decide[x] = true;
        }
        for a in org.ancetres(n) {
            decide[a] = true;
        }
    }
    let chefs: BTreeMap<usize, usize> = d
        .groupes
        .iter()
        .enumerate()
        .map(|(g, gr)| (gr.chef, g))
        .collect();
    // Pilote rows of `elu` on the given units (each on its largest subtrees free of reserved
    // nodes).
    let pilotes = |elu: &str, unites: &mut dyn Iterator<Item = usize>, libelle: &str| {
        unites
            .flat_map(|u| d.unites[u].couverture.iter())
            .map(|&n| LigneDelegation {
                elu: elu.to_string(),
                noeud: org.noeud(n).id.clone(),
                role: Role::Pilote,
                libelle: libelle.to_string(),
            })
            .collect::<Vec<_>>()
    };
    let nouvelles = |g: usize, libelle: &str| -> Vec<LigneDelegation> {
        let chef = &s.elus[d.groupes[g].chef].id;
        pilotes(
            chef,
            &mut (0..d.unites.len()).filter(|&u| plan.unites[u] == Some(g)),
            libelle,
        )
    };
    let membre_de: BTreeMap<usize, usize> = d
        .membres
        .iter()
        .enumerate()
        .map(|(e, m)| (m.elu, e))
        .collect();
    // Units a node touches: the unit holding it, or every unit under it.
    let unites_touchees = |n: usize| -> Vec<usize> {
        d.unites
            .iter()
            .enumerate()
            .filter(|(_, u)| {
                u.noeud
                    .is_some_and(|un| org.est_dans(n, un) || org.est_dans(un, n))
            })
            .map(|(i, _)| i)
            .collect()
    };
    let mut out = Vec::new();
    let mut faits = BTreeSet::new();
    for del in &s.delegations {
        let remplacee = del.role == Role::Pilote && decide[del.noeud];
        let retrait = match membre_de.get(&del.elu) {
            Some(&e) if remplacee && !plan.retraits.is_empty() => {
                let touchees = unites_touchees(del.noeud);
                let retirees: Vec<usize> = touchees
                    .iter()
                    .copied()
                    .filter(|&u| plan.retraits.contains(&(e, u)))
                    .collect();
                (!retirees.is_empty()).then(|| {
                    touchees
                        .into_iter()
                        .filter(|u| !retirees.contains(u))
                        .collect::<Vec<usize>>()
                })
            }
            _ => None,
        };
        if let Some(gardees) = retrait {
            let elu = s.elus[del.elu].id.clone();
            out.push(LigneDelegation {
                elu: elu.clone(),
                noeud: org.noeud(del.noeud).id.clone(),
                role: Role::Appui,
                libelle: del.libelle.clone(),
            });
            out.extend(pilotes(&elu, &mut gardees.into_iter(), &del.libelle));
            continue;
        }
        match chefs.get(&del.elu) {
            Some(&g) if remplacee => {
                if faits.insert(g) {
                    out.extend(nouvelles(g, &del.libelle));
                }
            }
            _ => out.push(LigneDelegation {
                elu: s.elus[del.elu].id.clone(),
                noeud: org.noeud(del.noeud).id.clone(),
                role: del.role,
                libelle: del.libelle.clone(),
            }),
        }
    }
    for g in 0..d.groupes.len() {
        if !faits.contains(&g) {
            out.extend(nouvelles(g, &d.groupes[g].id));
        }
    }
    out
}

fn csv_writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

fn finir(w: csv::Writer<Vec<u8>>) -> Vec<u8> {
    w.into_inner().unwrap_or_default()
}

/// `delegations.csv` of the plan, in the input format (`;`, UTF-8, same columns).
pub fn delegations_csv(lignes: &[LigneDelegation]) -> Vec<u8> {
    let mut w = csv_writer();
    let _ = w.write_record(["elu", "noeud", "role", "libelle"]);
    for l in lignes {
        // Formula-looking cells neutralised; collegia's reader removes the `'` again, so the
        // proposal still loads with the same ids and libellés.
        let _ = w.write_record([
            neutralise(&l.elu).as_ref(),
            neutralise(&l.noeud).as_ref(),
            l.role.code(),
            neutralise(&l.libelle).as_ref(),
        ]);
    }
    finir(w)
}

fn nombre_csv(v: Option<f64>) -> String {
    v.map(|x| format!("{x}").replace('.', ","))
        .unwrap_or_default()
}

/// `elus.csv` with the groups of the plan, or `None` when no member changes group.
pub fn elus_csv(s: &Scenario, d: &Donnees, plan: &Plan) -> Option<Vec<u8>> {
    let mut groupe: BTreeMap<usize, String> = BTreeMap::new();
    for (e, m) in d.membres.iter().enumerate() {
        match plan.membres[e] {
            Some(g) if m.actuel != Some(g) => {
                groupe.insert(m.elu, d.groupes[g].id.clone());
            }
            _ => {}
        }
    }
    if groupe.is_empty() {
        return None;
    }
    let mut w = csv_writer();
    let _ = w.write_record([
        "id",
        "nom",
        "prenom",
        "sexe",
        "fonction",
        "rang",
        "groupe",
        "liste",
        "composante",
        "quartier",
        "commune_deleguee",
        "axe",
        "taux_actuel",
        "autres_indemnites_eur",
    ]);
    let o = |x: &Option<String>| x.clone().unwrap_or_default();
    for (i, e) in s.elus.iter().enumerate() {
        let Elu {
            id,
            nom,
            prenom,
            sexe,
            fonction,
            rang,
            liste,
            composante,
            quartier,
            commune_deleguee,
            axe,
            taux_actuel,
            autres_indemnites_eur,
            ..
        } = e;
        let g = groupe.get(&i).cloned().or_else(|| e.groupe.clone());
        let _ = w.write_record([
            id.clone(),
            nom.clone(),
            prenom.clone(),
            sexe.code().to_string(),
            fonction.code().to_string(),
            rang.map(|r| r.to_string()).unwrap_or_default(),
            g.unwrap_or_default(),
            liste.code().to_string(),
            o(composante),
            o(quartier),
            o(commune_deleguee),
            o(axe),
            nombre_csv(*taux_actuel),
            nombre_csv(*autres_indemnites_eur),
        ]);
    }
    Some(finir(w))
}

/// `scenario.toml` of the variant: its name and `base`, the path from the output folder to the
/// input scenario folder (with `/`).
pub fn scenario_toml(nom: &str, base: &str) -> Vec<u8> {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    format!(
        "# Proposition de « collegia optimiser » : variante du scénario de base.\n# Vérifiez-la avec « collegia verifier <ce dossier> ».\nbase = {}\nnom = {}\n",
        q(base),
        q(&format!("{nom} — proposition optimisée"))
    )
    .into_bytes()
}

/// Every file of the proposal folder (a scenario variant of the input): `delegations.csv`,
/// `changements.csv`, `scenario.toml` pointing at `base` (the input scenario, relative to the
/// proposal folder), and `elus.csv` when members change group.
pub fn fichiers_proposition(
    s: &Scenario,
    d: &Donnees,
    plan: &Plan,
    base: &str,
) -> Vec<(&'static str, Vec<u8>)> {
    let mut fichiers = vec![
        ("delegations.csv", delegations_csv(&delegations(s, d, plan))),
        ("changements.csv", changements_csv(d, plan)),
        ("scenario.toml", scenario_toml(&s.params.nom, base)),
    ];
    if let Some(e) = elus_csv(s, d, plan) {
        fichiers.push(("elus.csv", e));
    }
    fichiers
}

fn gid(d: &Donnees, g: Option<usize>) -> String {
    g.map(|g| d.groupes[g].id.clone()).unwrap_or_default()
}

/// One change a plan makes to the proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changement {
    /// A unit whose leading group changes (an orphan adopted included).
    Unite(usize),
    /// A member who changes group.
    Membre(usize),
    /// `(member, unit)`: the member's pilote délégations in the unit become appui.
    Retrait(usize, usize),
}

/// Every change of a plan, in the order every output lists them: units (organigramme order),
/// members, then délégations made appui.
pub fn changements(d: &Donnees, plan: &Plan) -> Vec<Changement> {
    let unites = (0..d.unites.len())
        .filter(|&u| d.unites[u].actuel != plan.unites[u])
        .map(Changement::Unite);
    let membres = (0..d.membres.len())
        .filter(|&e| d.membres[e].actuel != plan.membres[e])
        .map(Changement::Membre);
    let retraits = plan
        .retraits
        .iter()
        .map(|&(e, u)| Changement::Retrait(e, u));
    unites.chain(membres).chain(retraits).collect()
}

/// `changements.csv`: every unit whose leading group changes (orphans included, `avant`
/// empty), every member who changes group, and every member's pilote délégation that becomes an
/// appui (`type` = `appui`, `id` the élu·e, then the unit, its DGA and staff, `avant` the
/// member's group, `apres` the group that leads the unit).
pub fn changements_csv(d: &Donnees, plan: &Plan) -> Vec<u8> {
    let mut w = csv_writer();
    let _ = w.write_record([
        "type",
        "id",
        "libelle",
        "dga",
        "charge_etp",
        "avant",
        "apres",
    ]);
    for c in changements(d, plan) {
        let unite = |u: usize| {
            let un = &d.unites[u];
            (
                un.dga.map(|x| d.dgas[x].id.clone()).unwrap_or_default(),
                format!("{:.1}", un.charge).replace('.', ","),
            )
        };
        let ligne = match c {
            Changement::Unite(u) => {
                let (dga, charge) = unite(u);
                let un = &d.unites[u];
                [
                    "unite".to_string(),
                    un.id.clone(),
                    un.libelle.clone(),
                    dga,
                    charge,
                    gid(d, un.actuel),
                    gid(d, plan.unites[u]),
                ]
            }
            Changement::Membre(e) => [
                "elu".to_string(),
                d.membres[e].id.clone(),
                String::new(),
                String::new(),
                String::new(),
                gid(d, d.membres[e].actuel),
                gid(d, plan.membres[e]),
            ],
            Changement::Retrait(e, u) => {
                let (dga, charge) = unite(u);
                let un = &d.unites[u];
                [
                    "appui".to_string(),
                    d.membres[e].id.clone(),
                    format!("{} — {}", un.id, un.libelle),
                    dga,
                    charge,
                    gid(d, plan.membres[e]),
                    gid(d, plan.unites[u]),
                ]
            }
        };
        let _ = w.write_record(ligne.iter().map(|c| neutralise(c).into_owned()));
    }
    finir(w)
}

/// French status line: proved optimal, or the gap and the bound.
pub fn statut(r: &Resultat) -> String {
    let pc = |e: Option<f64>| {
        e.map(|x| format!("{} %", decimal_court(100.0 * x, 2)))
            .unwrap_or_else(|| "inconnu".into())
    };
    let b = |x: Option<f64>| x.map(|v| nombre(v, 3)).unwrap_or_else(|| "inconnue".into());
    match &r.statut {
        Statut::Optimal => "plan optimal (optimalité prouvée)".to_string(),
        Statut::EcartAtteint { borne, ecart } => format!(
            "plan à l'écart demandé de l'optimum : écart {}, borne inférieure {}",
            pc(*ecart),
            b(*borne)
        ),
        Statut::LimiteTemps { borne, ecart } => format!(
            "arrêt par la limite de temps, optimalité NON prouvée : écart {}, borne inférieure {}",
            pc(*ecart),
            b(*borne)
        ),
        Statut::Repli { raison } => format!(
            "pas de solution du solveur ({raison}) : plan de repli (la proposition réparée), qualité inconnue"
        ),
    }
}

/// The summary printed after a solve: status, objective before/after, units moved, DGA per
/// group and load per group before/after.
pub fn resume(d: &Donnees, r: &Resultat) -> String {
    let mut o = String::new();
    let avant = Plan::actuel(d);
    let _ = writeln!(o, "Résultat : {}.", statut(r));
    let _ = writeln!(
        o,
        "Objectif : {} avant → {} après (pôles couverts {} → {}, unités déplacées {}, élu·es déplacé·es {}, délégations passées en appui {}, rattachements secondaires entre groupes {} → {}, écart de charge {} → {}).",
        nombre(r.avant.total, 3),
        nombre(r.cout.total, 3),
        r.avant.dispersion,
        r.cout.dispersion,
        r.cout.changements,
        r.cout.deplacements,
        r.cout.retraits,
        r.avant.liens,
        r.cout.liens,
        nombre(r.avant.ecart, 3),
        nombre(r.cout.ecart, 3),
    );
    let orphelines = avant.unites.iter().filter(|g| g.is_none()).count();
    if orphelines > 0 {
        let _ = writeln!(
            o,
            "Unités sans groupe pilote dans la proposition : {orphelines} ; après : 0."
        );
    }
    let _ = writeln!(o, "\nChangements :");
    let liste = changements(d, &r.plan);
    let sans = |g: Option<usize>| {
        g.map(|g| d.groupes[g].id.clone())
            .unwrap_or_else(|| "sans groupe".into())
    };
    for c in &liste {
        let _ = match *c {
            Changement::Unite(u) => writeln!(
                o,
                "  unité {} ({}) : {} → {}",
                d.unites[u].id,
                d.unites[u].libelle,
                sans(d.unites[u].actuel),
                gid(d, r.plan.unites[u])
            ),
            Changement::Membre(e) => writeln!(
                o,
                "  élu·e {} : {} → {}",
                d.membres[e].id,
                sans(d.membres[e].actuel),
                gid(d, r.plan.membres[e])
            ),
            Changement::Retrait(e, u) => writeln!(
                o,
                "  délégation de {} ({}) dans {} ({}) : pilote → appui, l'unité étant pilotée par {}",
                d.membres[e].id,
                gid(d, r.plan.membres[e]),
                d.unites[u].id,
                d.unites[u].libelle,
                gid(d, r.plan.unites[u])
            ),
        };
    }
    if liste.is_empty() {
        let _ = writeln!(o, "  aucun");
    }
    let pa = poles_par_groupe(&avant, d);
    let pp = poles_par_groupe(&r.plan, d);
    let ca = charges(&avant, d);
    let cp = charges(&r.plan, d);
    let _ = writeln!(
        o,
        "\n{:<28} {:>12} {:>12} {:>14} {:>14}",
        "Groupe", "pôles avant", "pôles après", "ETP avant", "ETP après"
    );
    for (g, gr) in d.groupes.iter().enumerate() {
        let _ = writeln!(
            o,
            "{:<28} {:>12} {:>12} {:>14} {:>14}",
            gr.id,
            pa[g],
            pp[g],
            nombre(ca[g], 1),
            nombre(cp[g], 1)
        );
    }
    let _ = writeln!(
        o,
        "Charge moyenne : {} ETP par groupe.",
        nombre(d.charge_moyenne(), 1)
    );
    o
}

/// French diagnosis of an infeasible model.
pub fn infaisabilite(inf: &Infaisabilite) -> String {
    let mut o =
        String::from("Aucun plan ne respecte toutes les règles : le problème est infaisable.\n");
    if inf.familles.is_empty() {
        o.push_str("Aucune famille de règles, relâchée seule ou par paire, ne le rend faisable.\n");
    } else {
        o.push_str(
            "Familles de règles en conflit (relâcher l'une d'elles rend le problème faisable) :\n",
        );
        for f in &inf.familles {
            let _ = writeln!(o, "  - {}", f.libelle());
        }
    }
    if !inf.cles.is_empty() {
        o.push_str("Règles incompatibles entre elles :\n");
        for c in &inf.cles {
            let _ = writeln!(o, "  - {}", c.decrire());
        }
    }
    if inf.familles.contains(&Famille::GroupeFixe) {
        o.push_str("Piste : relancez avec --regrouper pour laisser collegia changer les conseiller·es délégué·es de groupe.\n");
    }
    if inf.familles.contains(&Famille::Verrou) {
        o.push_str("Piste : corrigez ou retirez les lignes de verrous.csv citées.\n");
    }
    if !inf.complet {
        o.push_str(
            "(Recherche écourtée par la limite de temps : les listes peuvent être incomplètes.)\n",
        );
    }
    o.push_str("Aucun fichier n'a été écrit.\n");
    o
}
