//! Unit tests of the allocation model: each constraint family alone on a tiny in-memory
//! council, the checker refusing a corrupted allocation, and properties (proptest).

use super::*;
use crate::law::{date, plafond_l2113_19};
use crate::model::{
    Delegation, Elu, Entite, GroupesParams, IndemnitesParams, Niveau, Noeud, Organigramme, Role,
    ScenarioParams,
};
use proptest::prelude::*;

fn elu(id: &str, fonction: Fonction, rang: Option<u32>) -> Elu {
    Elu {
        id: id.to_string(),
        nom: id.to_uppercase(),
        prenom: "Camille".to_string(),
        sexe: if id.ends_with('1') || id.ends_with('3') {
            Sexe::F
        } else {
            Sexe::M
        },
        fonction,
        rang,
        groupe: None,
        liste: Liste::Majorite,
        composante: None,
        quartier: None,
        commune_deleguee: None,
        axe: None,
        taux_actuel: None,
        autres_indemnites_eur: None,
        taux_actuel_eur: None,
        chef_de_file: None,
        cessation_activite: None,
        ligne: 2,
    }
}

fn noeud(id: &str, parent: Option<usize>, effectif: f64) -> Noeud {
    Noeud {
        id: id.to_string(),
        libelle: id.to_string(),
        parent,
        niveau: if parent.is_none() {
            Niveau::Dgs
        } else {
            Niveau::Service
        },
        effectif,
        budget: effectif * 50_000.0,
        entite: Entite::Ville,
        axes: Vec::new(),
        secondaires: Vec::new(),
        territoire: None,
        estime: false,
        enfants: Vec::new(),
        profondeur: usize::from(parent.is_some()),
        ligne: 2,
    }
}

/// A council of 12 450 inhabitants in 2026 (maire 67,6 %, adjoint·e 28,6 %, 33 seats ⇒
/// enveloppe 67,6 + 9 × 28,6 = 325 %): the maire, `adjoints` adjoint·es and `cd` conseiller·es
/// délégué·es, each piloting one service of `10 × (k + 1)` ETP, and one plain conseiller·e.
pub(super) fn scenario(adjoints: usize, cd: usize) -> Scenario {
    let mut elus = vec![elu("m", Fonction::Maire, None)];
    for k in 0..adjoints {
        elus.push(elu(
            &format!("a{}", k + 1),
            Fonction::Adjoint,
            Some(k as u32 + 1),
        ));
    }
    for k in 0..cd {
        elus.push(elu(
            &format!("c{}", k + 1),
            Fonction::ConseillerDelegue,
            None,
        ));
    }
    elus.push(elu("x1", Fonction::Conseiller, None));
    let n = adjoints + cd;
    let mut noeuds = vec![noeud("dgs", None, 1.0)];
    for k in 0..n {
        noeuds.push(noeud(&format!("s{k}"), Some(0), 10.0 * (k as f64 + 1.0)));
    }
    noeuds[0].enfants = (1..=n).collect();
    let delegations = (0..n)
        .map(|k| Delegation {
            elu: k + 1,
            noeud: k + 1,
            role: Role::Pilote,
            libelle: String::new(),
            ligne: 2,
            domaines: Vec::new(),
        })
        .collect();
    Scenario {
        params: ScenarioParams {
            nom: "test".to_string(),
            date: date(2026, 4, 1),
            population_totale: 12450,
            population_municipale: 12450,
            effectif_conseil: None,
            commune: Default::default(),
            commune_nouvelle: false,
            communes_deleguees: Vec::new(),
            majorations: Vec::new(),
            taux_sinistre: None,
            axes: Vec::new(),
            indemnites: IndemnitesParams {
                part_enveloppe: 100.0,
                plancher: 0.0,
                ..IndemnitesParams::default()
            },
            groupes: GroupesParams::default(),
            reorganisation: Default::default(),
        },
        organigramme: Organigramme::new(noeuds, 0),
        elus,
        delegations,
        delegations_sans_service: Vec::new(),
    }
}

fn resout(d: &Donnees, familles: &[Famille]) -> Vec<f64> {
    let p = construire(d, familles);
    let s = resoudre(&p).expect("feasible");
    assert_eq!(s.statut, crate::lp::Statut::Optimal);
    // The LP layer's one harness: every row, bound and integrality holds at the solution.
    let defauts = crate::lp::verifier(&p, &s.valeurs, 1e-6);
    assert!(defauts.is_empty(), "{defauts:?}");
    s.valeurs[..d.beneficiaires.len()].to_vec()
}

fn pos(d: &Donnees, id: &str) -> usize {
    d.beneficiaires
        .iter()
        .position(|b| b.id == id)
        .expect("beneficiary")
}

fn dedans(d: &Donnees, x: &[f64]) -> f64 {
    d.beneficiaires
        .iter()
        .zip(x)
        .filter(|(b, _)| b.perimetre.perimetre == Perimetre::Enveloppe)
        .map(|(_, v)| v)
        .sum()
}

const E: f64 = 1e-6;

#[test]
fn data_follow_the_law() {
    let d = preparer(&scenario(2, 2)).expect("law applies");
    assert_eq!(d.enveloppe.taux_total, Decimal::from(325));
    assert_eq!(d.beneficiaires.len(), 5, "maire, 2 adjoint·es, 2 CD");
    assert_eq!(d.non_indemnises.len(), 1, "plain conseiller·e unpaid");
    let m = &d.beneficiaires[pos(&d, "m")];
    assert_eq!(
        m.taux_impose.as_ref().map(|t| t.0),
        Some(Decimal::new(676, 1))
    );
    assert_eq!(m.plafond.article, "CGCT L2123-23");
    assert_eq!(
        d.beneficiaires[pos(&d, "c1")].plafond.article,
        "CGCT L2123-24-1 V"
    );
}

#[test]
fn enveloppe_alone_caps_the_total() {
    let mut d = preparer(&scenario(2, 2)).expect("law");
    d.enveloppe.taux_total = Decimal::from(50);
    assert!(
        dedans(&d, &resout(&d, &[])) > 50.0 + E,
        "binding in this case"
    );
    assert!(dedans(&d, &resout(&d, &[Famille::Enveloppe])) <= 50.0 + E);
}

#[test]
fn part_alone_uses_the_share() {
    let mut d = preparer(&scenario(2, 2)).expect("law");
    d.cible_enveloppe = Decimal::from(200);
    let x = resout(&d, &[Famille::PartEnveloppe]);
    assert!((dedans(&d, &x) - 200.0).abs() < E);
}

#[test]
fn individual_cap_alone() {
    let mut d = preparer(&scenario(2, 2)).expect("law");
    let k = pos(&d, "c2");
    assert!(resout(&d, &[])[k] > 5.0 + E);
    d.beneficiaires[k].plafond.taux = Decimal::from(5);
    assert!(resout(&d, &[Famille::PlafondIndividuel])[k] <= 5.0 + E);
}

#[test]
fn adjoint_never_above_the_maire() {
    let mut s = scenario(2, 2);
    s.params.indemnites.taux_maire = Some(20.0);
    let d = preparer(&s).expect("law");
    let (m, a) = (pos(&d, "m"), pos(&d, "a2"));
    let x = resout(&d, &[Famille::TauxImposes]);
    assert!(x[a] > x[m] + E, "binding in this case");
    let x = resout(&d, &[Famille::TauxImposes, Famille::AdjointSousMaire]);
    assert!(x[a] <= x[m] + E);
    assert!((x[m] - 20.0).abs() < E);
}

#[test]
fn ecretement_alone() {
    let mut d = preparer(&scenario(2, 2)).expect("law");
    let k = pos(&d, "a1");
    d.beneficiaires[k].plafond_ecretement = Some(Decimal::from(3));
    assert!(resout(&d, &[])[k] > 3.0 + E);
    assert!(resout(&d, &[Famille::Ecretement])[k] <= 3.0 + E);
}

/// Issue 16 §4 / issue 14 « Écrêtement »: the cap of L2123-20 II is on the total *including*
/// the majorations. 12 450 inhabitants in 2026, chef-lieu de département (+25 %, R2123-23 1°);
/// the maire and a1 receive 7 000 € elsewhere: the commune may pay 8 897,93 − 7 000 =
/// 1 897,93 € majoration included, i.e. a voted rate of at most 1 897,93 / 1,25 / B.
#[test]
fn ecretement_counts_the_majorations() {
    use crate::model::Majoration;
    let mut s = scenario(3, 1);
    s.params.majorations = vec![Majoration::ChefLieuDepartement];
    s.elus[0].autres_indemnites_eur = Some(7000.0);
    s.elus[1].autres_indemnites_eur = Some(7000.0);
    let d = preparer(&s).expect("law");
    // taux(1 897,93 €) = 46,172… % ; / 1,25 = 36,937… ⇒ 36,93 % (truncated)
    let cap = d.beneficiaires[pos(&d, "a1")].plafond_ecretement;
    assert_eq!(cap, Some(Decimal::new(3693, 2)));
    // the maire's barème (67,6 %) would be 3 473,39 € with the majoration: brought down
    let m = &d.beneficiaires[pos(&d, "m")];
    assert_eq!(
        m.taux_impose.as_ref().map(|t| t.0),
        Some(Decimal::new(3693, 2))
    );
    let a = allouer(&s).expect("lawful allocation");
    for id in ["m", "a1"] {
        let l = a.lignes.iter().find(|l| l.id == id).expect("paid");
        assert!(
            l.total_mensuel_eur <= Decimal::new(189793, 2),
            "{id}: {} € with majoration",
            l.total_mensuel_eur
        );
        assert!(l.majoration_eur > Decimal::ZERO);
    }
    // fed back as taux_actuel, the law's own check finds no écrêtement (L010)
    let mut copie = s.clone();
    for e in &mut copie.elus {
        e.taux_actuel = a
            .lignes
            .iter()
            .find(|l| l.id == e.id)
            .map(|l| en_f64(l.taux_pct));
    }
    let f = crate::law::verifier_composition(&copie);
    assert!(!f.iter().any(|x| x.code == "L010"), "{f:?}");
}

#[test]
fn commune_nouvelle_cap_alone() {
    let mut d = preparer(&scenario(2, 2)).expect("law");
    let cap = plafond_l2113_19(date(2026, 4, 1), 12450, 0, &[800]).expect("law");
    assert_eq!(cap.taux_total, Decimal::new(443, 1));
    d.plafond_cn = Some(cap);
    let adj = |x: &[f64]| x[pos(&d, "a1")] + x[pos(&d, "a2")];
    assert!(adj(&resout(&d, &[])) > 44.3 + E);
    assert!(adj(&resout(&d, &[Famille::PlafondCommuneNouvelle])) <= 44.3 + E);
}

#[test]
fn floor_alone() {
    let mut d = preparer(&scenario(2, 2)).expect("law");
    d.regles.plancher = Decimal::from(80);
    let x = resout(&d, &[Famille::Plancher]);
    for (b, v) in d.beneficiaires.iter().zip(&x) {
        if b.delegue {
            assert!(*v >= 80.0 - E, "{}: {v}", b.id);
        }
    }
}

#[test]
fn ratio_alone() {
    let mut s = scenario(2, 2);
    s.params.indemnites.politique = Politique::Proportionnelle;
    s.params.indemnites.ratio_max = Some(1.2);
    let d = preparer(&s).expect("law");
    let delegues = |x: &[f64]| -> (f64, f64) {
        let v: Vec<f64> = d
            .beneficiaires
            .iter()
            .zip(x)
            .filter(|(b, _)| b.delegue)
            .map(|(_, v)| *v)
            .collect();
        (
            v.iter().copied().fold(f64::MIN, f64::max),
            v.iter().copied().fold(f64::MAX, f64::min),
        )
    };
    let (hi, lo) = delegues(&resout(&d, &[]));
    assert!(hi > 1.2 * lo + E, "binding in this case");
    let (hi, lo) = delegues(&resout(&d, &[Famille::RatioMax]));
    assert!(hi <= 1.2 * lo + E, "{hi} {lo}");
}

#[test]
fn tiers_alone() {
    let mut s = scenario(2, 2);
    s.params.indemnites.politique = Politique::Paliers;
    s.params.indemnites.ecart_paliers = 5.0;
    s.params.indemnites.seuils_paliers = vec![1.1, 0.9];
    let d = preparer(&s).expect("law");
    let paliers: Vec<Option<usize>> = d.beneficiaires.iter().map(|b| b.palier).collect();
    assert!(paliers.iter().flatten().any(|&t| t == 0));
    let x = resout(&d, &[Famille::Paliers]);
    for (i, b) in d.beneficiaires.iter().enumerate() {
        for (j, c) in d.beneficiaires.iter().enumerate() {
            match (b.palier, c.palier) {
                (Some(p), Some(q)) if p == q => assert!((x[i] - x[j]).abs() < E),
                (Some(p), Some(q)) if p < q => assert!(x[i] >= x[j] + 5.0 - E),
                _ => {}
            }
        }
    }
}

#[test]
fn imposed_rates_alone() {
    let d = preparer(&scenario(1, 1)).expect("law");
    let x = resout(&d, &[Famille::TauxImposes]);
    assert!((x[pos(&d, "m")] - 67.6).abs() < E);
}

#[test]
fn allocation_is_lawful_and_uses_the_share() {
    let a = allouer(&scenario(3, 4)).expect("feasible");
    assert_eq!(a.statut, StatutSolveur::Optimal);
    assert!(a.totaux.utilise_pct <= Decimal::from(325));
    assert!(a.totaux.utilise_pct >= Decimal::from(325) - Decimal::new(8, 2));
}

#[test]
fn checker_refuses_a_corrupted_allocation() {
    let s = scenario(2, 2);
    let a = allouer(&s).expect("feasible");
    let mut taux: BTreeMap<String, Decimal> = a
        .lignes
        .iter()
        .map(|l| (l.id.clone(), l.taux_pct))
        .collect();
    assert!(verifier(&s, &taux).expect("law").is_empty());
    // an adjoint·e above the maire and the enveloppe exceeded
    taux.insert("a1".into(), Decimal::from(70));
    let v = verifier(&s, &taux).expect("law");
    assert!(
        v.iter()
            .any(|v| v.legale && v.regle.contains("L2123-24 IV")),
        "{v:?}"
    );
    assert!(
        v.iter()
            .any(|v| v.legale && v.regle.contains("L2123-24 II")),
        "{v:?}"
    );
    // a plain conseiller·e paid above 6 %, without délégation
    let mut t2 = taux.clone();
    t2.insert("a1".into(), Decimal::ZERO);
    t2.insert("x1".into(), Decimal::from(7));
    let v = verifier(&s, &t2).expect("law");
    assert!(
        v.iter().any(|v| v.legale && v.elu.as_deref() == Some("x1")),
        "{v:?}"
    );
}

#[test]
fn infeasible_floor_is_diagnosed() {
    let mut s = scenario(2, 2);
    s.params.indemnites.plancher = 90.0;
    match allouer(&s) {
        Err(ErreurIndemnites::Infaisable(d)) => {
            let c = d.en_conflit();
            let plancher = c
                .iter()
                .find(|r| r.famille == Famille::Plancher)
                .expect("floor in conflict");
            // 4 délégué·es × 90 = 360 > 325 − 67,6 = 257,4: the floors must drop by 102,6 points
            assert_eq!(plancher.ecart_points, Some(Decimal::new(1026, 1)));
            assert!(!plancher.legale);
        }
        autre => panic!("expected infeasible, got {autre:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn allocations_are_lawful(
        adjoints in 1usize..5,
        cd in 0usize..5,
        part in 50.0f64..100.0,
        plancher in 0.0f64..20.0,
        alpha in 0.0f64..1.0,
        maire in proptest::option::of(30.0f64..67.6),
    ) {
        let mut s = scenario(adjoints, cd);
        let ind = &mut s.params.indemnites;
        ind.part_enveloppe = (part * 100.0).round() / 100.0;
        ind.plancher = (plancher * 100.0).round() / 100.0;
        ind.alpha = alpha;
        ind.taux_maire = maire.map(|m| (m * 100.0).round() / 100.0);
        let a = match allouer(&s) {
            Ok(a) => a,
            Err(ErreurIndemnites::Infaisable(_)) => return Ok(()),
            Err(e) => panic!("{e}"),
        };
        let env = Decimal::from(325);
        prop_assert!(a.totaux.utilise_pct <= env);
        let m = a.lignes.iter().find(|l| l.fonction == Fonction::Maire).map(|l| l.taux_pct);
        for l in &a.lignes {
            if l.fonction == Fonction::Adjoint {
                prop_assert!(Some(l.taux_pct) <= m);
            }
            prop_assert!(l.taux_pct <= Decimal::new(676, 1));
        }
        let taux = a.lignes.iter().map(|l| (l.id.clone(), l.taux_pct)).collect();
        prop_assert!(verifier(&s, &taux).expect("law").is_empty());
        // deterministic (the solve time aside)
        let mut b = allouer(&s).expect("same");
        b.duree = a.duree;
        prop_assert_eq!(b, a);
    }

    #[test]
    fn alpha_zero_gives_equal_rates(adjoints in 1usize..5, cd in 0usize..5, part in 30.0f64..100.0) {
        let mut s = scenario(adjoints, cd);
        s.params.indemnites.alpha = 0.0;
        s.params.indemnites.part_enveloppe = part.round();
        let a = allouer(&s).expect("feasible");
        let t: Vec<Decimal> = a
            .lignes
            .iter()
            .filter(|l| l.poids.is_some())
            .map(|l| l.taux_pct)
            .collect();
        prop_assert!(t.windows(2).all(|w| w[0] == w[1]), "{:?}", t);
    }
}

/// A council whose largest perimeter is capped: c3's target is above the cap, and c1 and c2
/// pilot the same staff (the same weight). The freed points are shared by the second stage.
fn plafond_qui_lie() -> Scenario {
    let mut s = scenario(1, 3);
    for (k, e) in [(3, 20.0), (4, 400.0)] {
        // c2's service as c1's; c3's far above the others.
        s.organigramme.noeuds[k].effectif = e;
        s.organigramme.noeuds[k].budget = e * 50_000.0;
    }
    s.organigramme = Organigramme::new(s.organigramme.noeuds.clone(), 0);
    s.params.indemnites.politique = Politique::Proportionnelle;
    s
}

#[test]
fn freed_points_are_shared_by_the_smallest_largest_relative_gap() {
    let s = plafond_qui_lie();
    let d = preparer(&s).expect("data");
    let a = allouer(&s).expect("feasible");
    let taux = |id: &str| {
        a.lignes
            .iter()
            .find(|l| l.id == id)
            .map(|l| en_f64(l.taux_pct))
            .expect("paid")
    };
    let cap = en_f64(d.beneficiaires[pos(&d, "c3")].plafond.taux);
    assert_eq!(taux("c3"), cap, "the cap binds");
    let cibles = cibles(&d);
    let cible = |id: &str| cibles[pos(&d, id)].expect("target");
    assert!(cible("c3") > cap + 1.0, "c3's target is above the cap");
    // The same weight, the same rate.
    assert_eq!(taux("c1"), taux("c2"));
    // Every uncapped délégué·e gets the same relative raise (to the hundredth of a point).
    let gap = |id: &str| taux(id) / cible(id) - 1.0;
    assert!(
        gap("a1") > 0.01,
        "the freed points were shared: {}",
        gap("a1")
    );
    for id in ["c1", "c2"] {
        assert!(
            (gap(id) - gap("a1")).abs() < 1e-3,
            "{id}: {} vs {}",
            gap(id),
            gap("a1")
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Two délégué·es with the same weight (same function, no other cap) never get different
    /// rates, whatever the policy and the sizes.
    #[test]
    fn the_same_weight_never_gets_different_rates(
        effectifs in proptest::collection::vec(1u32..200, 4),
        politique in 0usize..3,
        jumeau in 1usize..4,
    ) {
        let mut s = scenario(1, 4);
        for (k, e) in effectifs.iter().enumerate() {
            s.organigramme.noeuds[k + 2].effectif = f64::from(*e);
            s.organigramme.noeuds[k + 2].budget = f64::from(*e) * 50_000.0;
        }
        // c_jumeau pilots exactly what c(jumeau + 1) pilots.
        let (e, b) = (
            s.organigramme.noeuds[jumeau + 1].effectif,
            s.organigramme.noeuds[jumeau + 1].budget,
        );
        s.organigramme.noeuds[jumeau + 2].effectif = e;
        s.organigramme.noeuds[jumeau + 2].budget = b;
        s.organigramme = Organigramme::new(s.organigramme.noeuds.clone(), 0);
        s.params.indemnites.politique =
            [Politique::Egalitaire, Politique::Proportionnelle, Politique::Mixte][politique];
        let a = allouer(&s).expect("feasible");
        let t = |id: String| a.lignes.iter().find(|l| l.id == id).map(|l| l.taux_pct);
        prop_assert_eq!(t(format!("c{jumeau}")), t(format!("c{}", jumeau + 1)));
    }
}

#[test]
fn the_maire_keeps_a_current_rate_below_the_bareme_and_it_is_said() {
    let mut s = scenario(2, 1);
    s.elus[0].taux_actuel = Some(55.5);
    let a = allouer(&s).expect("feasible");
    let m = a.lignes.iter().find(|l| l.id == "m").expect("maire");
    assert_eq!(en_f64(m.taux_pct), 55.5);
    assert!(
        m.regles
            .iter()
            .any(|r| r.contains("taux actuel du maire conservé"))
    );
    assert!(
        a.remarques
            .iter()
            .any(|r| r.contains("55,5") && r.contains("L2123-23"))
    );
    // taux_maire still wins; a current rate above the barème is not a request for less.
    s.params.indemnites.taux_maire = Some(60.0);
    let a = allouer(&s).expect("feasible");
    assert_eq!(en_f64(a.lignes[0].taux_pct), 60.0);
    s.params.indemnites.taux_maire = None;
    s.elus[0].taux_actuel = Some(90.0);
    let a = allouer(&s).expect("feasible");
    assert_eq!(en_f64(a.lignes[0].taux_pct), 67.6);
}

#[test]
fn tiers_by_protocol_rank() {
    let mut s = scenario(4, 1);
    s.params.indemnites.politique = Politique::Paliers;
    s.params.indemnites.rangs_paliers = vec![2];
    s.params.indemnites.ecart_paliers = 1.0;
    let d = preparer(&s).expect("data");
    let palier = |id: &str| d.beneficiaires[pos(&d, id)].palier;
    assert_eq!(
        ["a1", "a2", "a3", "a4", "c1"].map(palier),
        [Some(0), Some(0), Some(1), Some(1), Some(2)]
    );
    let a = allouer(&s).expect("feasible");
    let t = |id: &str| a.lignes.iter().find(|l| l.id == id).expect("paid").taux_pct;
    assert_eq!(
        t("a1"),
        t("a2"),
        "ranks 1–2 at one rate, whatever their weights"
    );
    assert_eq!(t("a3"), t("a4"));
    assert!(t("a2") >= t("a3") + Decimal::ONE);
}

/// L2123-23 last paragraph, with the maire's raise: the row `MajorationMaire` sums the members the
/// law's check L017 counts (inside or outside the enveloppe), never a maire délégué·e or an
/// adjoint·e au maire délégué·e, who stand under their own caps (L2113-19) and are not in
/// `maxima_conseil` either.
#[test]
fn the_maire_raise_row_counts_the_members_l017_counts() {
    let mut d = preparer(&scenario(2, 2)).expect("law");
    d.majoration_maire = Some(Decimal::new(58, 0));
    let md = pos(&d, "c2");
    d.beneficiaires[md].perimetre.perimetre = Perimetre::PlafondCommuneNouvelle;
    let amd = pos(&d, "c1");
    d.beneficiaires[amd].perimetre.perimetre = Perimetre::CommuneDeleguee;
    let p = construire(&d, &[Famille::Enveloppe]);
    let ligne = p
        .lignes
        .iter()
        .find(|l| l.cle == Cle::MajorationMaire)
        .expect("the row exists with the raise");
    let dans: Vec<usize> = ligne.termes.iter().map(|&(i, _)| i).collect();
    assert!(!dans.contains(&md) && !dans.contains(&amd), "{dans:?}");
    for id in ["m", "a1", "a2"] {
        assert!(dans.contains(&pos(&d, id)), "{id} {dans:?}");
    }
    assert_eq!(
        ligne.rhs,
        crate::optimise::indemnites::en_f64(d.maxima_conseil)
    );
}
