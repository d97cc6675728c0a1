//! The one definition of « an adjoint·e de quartier linked to a thematic adjoint·e ».
//!
//! The pacte asks that each adjoint·e de quartier also hold a délégation « en lien avec un
//! adjoint thématique ». collegia reads it from the délégations, never from the axis of the
//! group's lead: an adjoint·e de quartier is **linked to a group** when one of their délégations
//! (pilote or appui) lies inside the perimeter piloted by a thematic adjoint·e of that group (an
//! adjoint·e who may lead it, [`super::peut_animer`]: neither de quartier nor maire délégué·e,
//! with or without a transversal axis: « thématique » is opposed to « de quartier », and a
//! transversal adjoint·e's services are themes too). Piloting a node of their own secteur
//! (`territoire`) is the territorial layer of a matrix, a link in itself, whatever the group.
//!
//! The analyser (D010), the assignment (`affecter`, its quartier rule), the grouping model (its
//! `LienQuartier` rows) and the séminaire (through the analyser) all read this module, so that a
//! placement one accepts is never one another refuses. An earlier `affecter` kept an adjoint·e de
//! quartier out of every group led by a transversal adjoint·e instead, and accepted a thematic
//! group where they had no délégation at all: the two readings disagreed both ways.

use super::{Delegation, NodeIx, Role, Scenario};
use std::collections::BTreeMap;

/// How an adjoint·e de quartier stands with respect to a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lien {
    /// Not an adjoint·e de quartier: the rule does not apply.
    SansObjet,
    /// Pilots a node of their own secteur: linked whatever the group.
    Territorial,
    /// Linked: pairs (their délégation's node, the thematic adjoint·e's pilote node containing
    /// it), in délégation order.
    Lie(Vec<(NodeIx, NodeIx)>),
    /// Not linked to that group (or no group): a D010.
    NonLie,
}

impl Lien {
    /// True unless [`Lien::NonLie`].
    pub fn satisfait(&self) -> bool {
        !matches!(self, Lien::NonLie)
    }
}

/// True for a pilote délégation of an adjoint·e de quartier on a node of their own secteur (or
/// inside one): the territorial layer of a matrix, not a claim on a unit.
pub fn delegation_territoriale(s: &Scenario, d: &Delegation) -> bool {
    let org = &s.organigramme;
    d.role == Role::Pilote
        && s.elus[d.elu].quartier.as_deref().is_some_and(|q| {
            std::iter::once(d.noeud)
                .chain(org.ancetres(d.noeud))
                .any(|a| org.noeud(a).territoire.as_deref() == Some(q))
        })
}

/// The thematic adjoint·es of every group (those who may lead it), by group id.
pub fn adjoints_thematiques(s: &Scenario) -> BTreeMap<String, Vec<usize>> {
    s.groupes_detail()
        .into_iter()
        .map(|g| (g.id, g.candidats_chef))
        .collect()
}

/// The nodes piloted by élu·es `adjoints` (a group's thematic adjoint·es), in délégation order.
pub fn perimetre_thematique(s: &Scenario, adjoints: &[usize]) -> Vec<NodeIx> {
    s.delegations
        .iter()
        .filter(|d| d.role == Role::Pilote && adjoints.contains(&d.elu))
        .map(|d| d.noeud)
        .collect()
}

/// The link of élu·e `e` with a group whose thematic adjoint·es pilot `perimetre`
/// ([`perimetre_thematique`]); `None` for no group. Every reader decides with this function:
/// given the same délégations and perimeter, they cannot disagree.
pub fn lien(s: &Scenario, e: usize, perimetre: Option<&[NodeIx]>) -> Lien {
    if !s.elus[e].est_adjoint_quartier() {
        return Lien::SansObjet;
    }
    let siennes = s.delegations.iter().filter(|d| d.elu == e);
    if siennes.clone().any(|d| delegation_territoriale(s, d)) {
        return Lien::Territorial;
    }
    let Some(perimetre) = perimetre else {
        return Lien::NonLie;
    };
    let org = &s.organigramme;
    let paires: Vec<(NodeIx, NodeIx)> = siennes
        .filter_map(|d| {
            perimetre
                .iter()
                .find(|&&p| org.est_dans(d.noeud, p))
                .map(|&p| (d.noeud, p))
        })
        .collect();
    if paires.is_empty() {
        Lien::NonLie
    } else {
        Lien::Lie(paires)
    }
}

/// The link of élu·e `e` with group `groupe` as the scenario stands.
pub fn lien_au_groupe(s: &Scenario, e: usize, groupe: Option<&str>) -> Lien {
    let adjoints = groupe.map(|g| adjoints_thematiques(s).remove(g).unwrap_or_default());
    let perimetre = adjoints.map(|a| perimetre_thematique(s, &a));
    lien(s, e, perimetre.as_deref())
}

/// For each adjoint·e de quartier the groups they may join without a new D010, among `groupes`
/// (indices into it): those they are linked to, and their own group today (staying creates
/// nothing new); `None` when the rule puts no limit on them (territorial link, or no délégation
/// inside any of these groups' thematic perimeters: wherever they go, they stand as today).
pub fn groupes_lies(s: &Scenario, e: usize, groupes: &[String]) -> Option<Vec<usize>> {
    let adjoints = adjoints_thematiques(s);
    let lies: Vec<usize> = groupes
        .iter()
        .enumerate()
        .filter(|(_, g)| {
            let a = adjoints.get(g.as_str()).cloned().unwrap_or_default();
            matches!(lien(s, e, Some(&perimetre_thematique(s, &a))), Lien::Lie(_))
        })
        .map(|(i, _)| i)
        .collect();
    let actuel = s.elus[e]
        .groupe
        .as_deref()
        .and_then(|g| groupes.iter().position(|x| x == g));
    match lien(s, e, Some(&[])) {
        Lien::NonLie if !lies.is_empty() => {
            let mut v = lies;
            v.extend(actuel.filter(|a| !v.contains(a)));
            v.sort_unstable();
            Some(v)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyse::graphe::tests::{arbre, elu, scenario};
    use crate::model::{Fonction, Scenario};
    use crate::optimise::affectation::Instance;

    /// G1 led by A (thematic, pilots DIR-A1), T led by B (transversal axis, pilots DIR-B1); Q,
    /// adjoint·e de quartier in `groupe_q`, supports SRV-B1a, inside B's perimeter.
    fn ville(groupe_q: &str) -> Scenario {
        let mut b = elu("B", Fonction::Adjoint, Some("T"));
        b.axe = Some("transition".into());
        let mut q = elu("Q", Fonction::Adjoint, Some(groupe_q));
        q.quartier = Some("Centre".into());
        scenario(
            arbre(),
            vec![
                elu("A", Fonction::Adjoint, Some("G1")),
                b,
                q,
                elu("C", Fonction::ConseillerDelegue, Some("G1")),
            ],
            &[
                ("A", "DIR-A1", Role::Pilote),
                ("B", "DIR-B1", Role::Pilote),
                ("C", "SRV-A2a", Role::Pilote),
                ("Q", "SRV-B1a", Role::Appui),
            ],
        )
    }

    fn d010(s: &Scenario) -> bool {
        crate::analyse::groupes::diagnostiquer(s)
            .iter()
            .any(|f| f.code == "D010")
    }

    /// The analyser, the assignment and the grouping model read one link: Q belongs with the
    /// transversal adjoint·e whose perimeter their délégation lies in, not with the thematic
    /// group where they have nothing.
    #[test]
    fn analyser_assignment_and_grouping_agree_on_the_link() {
        let q = 2;
        for (groupe, lie) in [("T", true), ("G1", false)] {
            let s = ville(groupe);
            assert_eq!(lien_au_groupe(&s, q, Some(groupe)).satisfait(), lie);
            // Analyser (and the séminaire, which re-runs it after every move).
            assert_eq!(d010(&s), !lie, "{groupe}");
            // Assignment: Q may join T, and stay where they are (no new D010), never move
            // into G1.
            let i = Instance::depuis_scenario(&s, &[]);
            let p = i
                .personnes
                .iter()
                .position(|p| p.id == "Q")
                .expect("mobile");
            let g = |id: &str| i.groupes.iter().position(|g| g.id == id).expect("group");
            assert!(i.permis(p, g("T")));
            assert_eq!(i.permis(p, g("G1")), groupe == "G1");
            // Grouping model: a link to keep exactly when the analyser sees one.
            let d = crate::optimise::Donnees::depuis_scenario(
                &s,
                &[],
                crate::optimise::Granularite::Direction,
                false,
            )
            .expect("data");
            let m = d.membres.iter().find(|m| m.id == "Q").expect("member");
            assert_eq!(!m.lien_quartier.is_empty(), lie, "{groupe}");
        }
    }

    /// On the example, every adjoint·e de quartier moved into every group: the analyser raises
    /// D010 exactly when the one definition says « not linked », affecter allows the group
    /// exactly when linked (or their own group), and the grouping model's per-group link units
    /// are non-empty exactly when linked.
    #[test]
    fn on_the_example_every_move_is_read_alike_by_the_four_readers() {
        let dossier = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/exemple");
        let s = crate::ingest::load_scenario(&dossier)
            .expect("example")
            .scenario;
        let groupes: Vec<String> = crate::model::groupes_menes(&s).into_iter().collect();
        let inst = Instance::depuis_scenario(&s, &[]);
        let d = crate::optimise::Donnees::depuis_scenario(
            &s,
            &[],
            crate::optimise::Granularite::Direction,
            true,
        )
        .expect("data");
        let mut vus = (0, 0);
        for e in (0..s.elus.len()).filter(|&e| s.elus[e].est_adjoint_quartier()) {
            let p = inst
                .personnes
                .iter()
                .position(|p| p.elu == e)
                .expect("movable");
            let m = d.membres.iter().find(|m| m.elu == e).expect("member");
            for g in &groupes {
                let mut v = s.clone();
                v.elus[e].groupe = Some(g.clone());
                let lie = lien_au_groupe(&v, e, Some(g)).satisfait();
                let d010 = crate::analyse::groupes::diagnostiquer(&v)
                    .iter()
                    .any(|f| f.code == "D010" && f.sujets.elus.contains(&s.elus[e].id));
                assert_eq!(d010, !lie, "{} in {g}", s.elus[e].id);
                let ig = inst.groupes.iter().position(|x| x.id == *g).expect("group");
                let reste = s.elus[e].groupe.as_deref() == Some(g.as_str());
                assert_eq!(inst.permis(p, ig), lie || reste, "{} in {g}", s.elus[e].id);
                let dg = d.groupes.iter().position(|x| x.id == *g).expect("group");
                if let Some(l) = &m.liens_quartier {
                    assert_eq!(!l[dg].is_empty(), lie, "{} in {g}", s.elus[e].id);
                }
                if lie {
                    vus.0 += 1;
                } else {
                    vus.1 += 1;
                }
            }
        }
        // Both answers occur: the check can fail either way.
        assert!(vus.0 > 0 && vus.1 > 0, "{vus:?}");
    }

    #[test]
    fn a_territorial_pilote_is_linked_whatever_the_group() {
        let mut s = ville("G1");
        let n = s.organigramme.find("SRV-B1a").expect("node");
        s.organigramme.noeuds[n].territoire = Some("Centre".into());
        s.delegations[3].role = Role::Pilote;
        assert_eq!(lien_au_groupe(&s, 2, Some("G1")), Lien::Territorial);
        assert_eq!(lien_au_groupe(&s, 2, None), Lien::Territorial);
        assert!(!d010(&s));
        assert_eq!(groupes_lies(&s, 2, &["G1".into(), "T".into()]), None);
    }

    #[test]
    fn no_group_is_not_linked_and_a_conseiller_is_out_of_scope() {
        let s = ville("T");
        assert_eq!(lien_au_groupe(&s, 2, None), Lien::NonLie);
        assert_eq!(lien_au_groupe(&s, 3, Some("G1")), Lien::SansObjet);
    }
}
