//! `collegia affecter` rendered: the French summary (printed and in `affectation.md`), the
//! tables (`affectation.csv`, `regles.csv`), the charts (ranks by sex and by component; the
//! groups with their members) and the variant files (`elus.csv` with the new groups,
//! `scenario.toml` with `base`). Everything returns bytes; the CLI writes through
//! [`super::ecriture::Sortie`].

use super::csv_francais::EcrivainCsv;
use super::graphiques::{
    BarresGroupees, Dessin, GraphiqueError, Image, SERIES, cadre, rendre, texte,
};
use crate::model::{RANG_SANS_VOEU, Scenario, Sexe};
use crate::optimise::affectation::{
    CoutRegle, Echec, Famille, Instance, Plan, Raison, Resultat, delegations, profil, rangs,
    verification::{deplaces, pire},
};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::fmt::Write as _;

fn gid(inst: &Instance, g: Option<usize>) -> String {
    g.map(|g| inst.groupes[g].id.clone())
        .unwrap_or_else(|| "—".into())
}

fn rang_texte(r: Option<u8>) -> String {
    match r {
        None => "sans vœu".into(),
        Some(RANG_SANS_VOEU) => "hors vœux (6)".into(),
        Some(r) => format!("vœu n° {r}"),
    }
}

fn noms(inst: &Instance, ps: &[usize]) -> String {
    let v: Vec<String> = ps.iter().map(|&p| inst.personnes[p].nom.clone()).collect();
    match v.len() {
        0 => String::new(),
        1 => v[0].clone(),
        n => format!("{} et {}", v[..n - 1].join(", "), v[n - 1]),
    }
}

/// Why élu·e `p` got no better group, in one French sentence.
pub fn raison(inst: &Instance, r: &Resultat, p: usize) -> String {
    match &r.raisons[p] {
        Raison::SansVoeu => {
            "n'a exprimé aucun vœu : placé·e selon les règles, au plus près de son groupe actuel"
                .into()
        }
        Raison::PremierVoeu => "premier vœu obtenu".into(),
        Raison::Interdit {
            groupe,
            rang,
            famille,
        } => format!(
            "son vœu n° {rang}, {}, est exclu par la règle « {} »",
            inst.groupes[*groupe].id,
            famille.libelle()
        ),
        Raison::Complet {
            groupe,
            rang,
            avant,
            autres,
        } => {
            let g = &inst.groupes[*groupe].id;
            let n = avant.len() + autres;
            if avant.is_empty() {
                format!(
                    "son vœu n° {rang}, {g}, est complet ({n} membres) ; l'y placer ferait reculer d'autres élu·es dans le classement global"
                )
            } else {
                format!(
                    "son vœu n° {rang}, {g}, est complet ({n} membres) avec {} qui l'{} classé au rang {rang} ou mieux ({})",
                    if avant.len() == 1 {
                        "une personne".to_string()
                    } else {
                        format!("{} personnes", avant.len())
                    },
                    if avant.len() == 1 { "a" } else { "ont" },
                    noms(inst, avant)
                )
            }
        }
        Raison::Regle {
            groupe,
            rang,
            violation,
        } => format!(
            "son vœu n° {rang}, {}, enfreindrait la règle « {} » : {}",
            inst.groupes[*groupe].id,
            violation.famille.libelle(),
            violation.message
        ),
        Raison::Arbitrage { groupe, rang } => format!(
            "son vœu n° {rang}, {}, n'a pas été retenu par le meilleur classement trouvé (optimalité non prouvée)",
            inst.groupes[*groupe].id
        ),
    }
}

fn profil_texte(n: &[usize; 6]) -> String {
    let mut parts = Vec::new();
    for (i, k) in n.iter().enumerate() {
        if *k > 0 {
            parts.push(if i + 1 == usize::from(RANG_SANS_VOEU) {
                format!("{k} hors vœux")
            } else {
                format!("{k} au vœu n° {}", i + 1)
            });
        }
    }
    if parts.is_empty() {
        "aucun vœu exprimé".into()
    } else {
        parts.join(", ")
    }
}

/// What a rule costs, in one French sentence, with the alternative's changes.
pub fn cout(inst: &Instance, r: &Resultat, c: &CoutRegle) -> String {
    let Some(alt) = &c.alternative else {
        return format!(
            "« {} » : sans cette règle, le problème reste infaisable.",
            c.famille.libelle()
        );
    };
    let avec = profil(&r.plan, inst);
    if c.profil == avec && c.pire == pire(&r.plan, inst) {
        return format!(
            "« {} » : ne coûte aucun vœu (même classement sans elle).",
            c.famille.libelle()
        );
    }
    let ra = rangs(&r.plan, inst);
    let rb = rangs(alt, inst);
    let mut changes = Vec::new();
    for p in 0..inst.personnes.len() {
        if r.plan[p] != alt[p] {
            changes.push(format!(
                "{} : {} ({}) au lieu de {} ({})",
                inst.personnes[p].nom,
                inst.groupes[alt[p]].id,
                rang_texte(rb[p]),
                inst.groupes[r.plan[p]].id,
                rang_texte(ra[p])
            ));
        }
    }
    format!(
        "« {} » : avec elle, {} ; sans elle, {}. L'alternative sans cette règle : {}.",
        c.famille.libelle(),
        profil_texte(&avec),
        profil_texte(&c.profil),
        changes.join(" ; ")
    )
}

/// One line per default size lifted on this input ([`crate::optimise::affectation::lever_tailles`]),
/// with the count that made it yield: « Règle levée : les groupes G07, G12 et G16 comptent
/// chacun au moins 2 élu·es (taille_min par défaut), parce que les 13 élu·es à placer ne
/// suffisent pas… ».
pub fn tailles_levees(inst: &Instance) -> Vec<String> {
    let r = &inst.regles;
    let places = |min: bool| -> usize {
        inst.groupes
            .iter()
            .map(|g| {
                let f = g.fixes.len();
                if min {
                    (r.taille_min as usize).saturating_sub(f)
                } else {
                    (r.taille_max as usize).saturating_sub(f)
                }
            })
            .sum()
    };
    let mut lignes = Vec::new();
    for (famille, cle, borne, parce_que) in [
        (
            Famille::TailleMin,
            "taille_min",
            format!("au moins {} élu·es (taille_min par défaut)", r.taille_min),
            match inst.personnes.len() {
                0 => format!(
                    "il n'y a aucun·e élu·e à placer (conseiller·e délégué·e ou adjoint·e de quartier) pour compléter les {} groupes",
                    inst.groupes.len()
                ),
                n => format!(
                    "les {n} élu·es à placer ne suffisent pas à compléter les {} groupes (il en faudrait {}) avec les autres règles",
                    inst.groupes.len(),
                    places(true)
                ),
            },
        ),
        (
            Famille::TailleMax,
            "taille_max",
            format!("au plus {} élu·es (taille_max par défaut)", r.taille_max),
            format!(
                "les {} élu·es à placer sont plus nombreux·ses que les {} places des groupes avec les autres règles",
                inst.personnes.len(),
                places(false)
            ),
        ),
    ] {
        let groupes: Vec<&str> = r
            .tailles_levees
            .iter()
            .filter(|(f, _)| *f == famille)
            .map(|&(_, g)| inst.groupes[g].id.as_str())
            .collect();
        lignes.extend(super::redaction::taille_levee(
            &groupes, &borne, &parce_que, cle,
        ));
    }
    lignes
}

/// The French summary: status, stages, every élu·e's rank and reason, envy, rules' costs.
pub fn resume(s: &Scenario, inst: &Instance, r: &Resultat, individuels: bool) -> String {
    let mut t = String::new();
    let _ = writeln!(
        t,
        "Affectation selon les vœux — {} : {} élu·es à placer dans {} groupes ({}).",
        s.params.nom,
        inst.personnes.len(),
        inst.groupes.len(),
        if r.solution.prouve {
            "optimum lexicographique prouvé"
        } else {
            "optimalité NON prouvée : limite de temps atteinte à une étape"
        }
    );
    let _ = writeln!(
        t,
        "Même modèle que « collegia optimiser --regrouper » (vœux d'abord, puis l'organigramme), les unités fixées : l'affectation ne change pas qui pilote quoi."
    );
    for l in tailles_levees(inst) {
        let _ = writeln!(t, "{l}");
    }
    let _ = writeln!(
        t,
        "Étapes (chaque optimum est gardé comme contrainte de la suivante) :"
    );
    for (i, e) in r.solution.etapes.iter().enumerate() {
        let _ = writeln!(t, "  {}. {} : {}", i + 1, e.nom, e.valeur);
    }
    let _ = writeln!(
        t,
        "Classement obtenu : {} ; pire rang : {} ; {} élu·e(s) changent de groupe.",
        profil_texte(&profil(&r.plan, inst)),
        pire(&r.plan, inst).map_or("—".into(), |p| p.to_string()),
        deplaces(&r.plan, inst)
    );
    t.push_str(&agregats(inst, &r.plan));
    if !inst.notes_voeux.is_empty() {
        let _ = writeln!(t, "\nVœux lus (un nœud vaut le groupe qui le pilote) :");
        if individuels {
            for n in &inst.notes_voeux {
                let _ = writeln!(t, "  {}.", n.texte(s));
            }
        } else {
            let _ = writeln!(
                t,
                "  {} remarque(s) sur des vœux par nœud (détail par élu·e avec --rangs-individuels).",
                inst.notes_voeux.len()
            );
        }
    }
    let rg = rangs(&r.plan, inst);
    if individuels {
        let _ = writeln!(
            t,
            "\nPar élu·e (groupe actuel → groupe proposé, rang, raison) :"
        );
    } else {
        let _ = writeln!(
            t,
            "\nPar élu·e (groupe actuel → groupe proposé ; les rangs de chacun·e restent personnels, voir --rangs-individuels) :"
        );
    }
    for (p, x) in inst.personnes.iter().enumerate() {
        if individuels {
            let _ = writeln!(
                t,
                "  {} {} : {} → {}, {} — {}.",
                x.id,
                x.nom,
                gid(inst, x.actuel),
                inst.groupes[r.plan[p]].id,
                rang_texte(rg[p]),
                raison(inst, r, p)
            );
        } else {
            let _ = writeln!(
                t,
                "  {} {} : {} → {}.",
                x.id,
                x.nom,
                gid(inst, x.actuel),
                inst.groupes[r.plan[p]].id
            );
        }
    }
    let _ = writeln!(
        t,
        "\nÉquité (paires où chacun·e préfère le groupe de l'autre) :"
    );
    if r.envies.is_empty() {
        let _ = writeln!(t, "  aucune paire.");
    }
    if !individuels && !r.envies.is_empty() {
        let echangees = r.envies.iter().filter(|e| e.obstacle.is_none()).count();
        let _ = writeln!(
            t,
            "  {} paire(s), dont {echangees} échangée(s) ; pour les autres une règle interdit l'échange (détail avec --rangs-individuels).",
            r.envies.len()
        );
    }
    for e in r.envies.iter().filter(|_| individuels) {
        let (a, b) = (&inst.personnes[e.a], &inst.personnes[e.b]);
        match &e.obstacle {
            None => {
                let _ = writeln!(
                    t,
                    "  {} et {} : échangé·es (aucune règle ne l'interdit).",
                    a.nom, b.nom
                );
            }
            Some(v) => {
                let _ = writeln!(
                    t,
                    "  {} et {} : l'échange enfreindrait « {} » ({}).",
                    a.nom,
                    b.nom,
                    v.famille.libelle(),
                    v.message
                );
            }
        }
    }
    let _ = writeln!(
        t,
        "\nCe que coûte chaque règle (résolu à nouveau sans elle) :"
    );
    if r.couts.is_empty() {
        let _ = writeln!(t, "  aucune règle facultative ne contraint ces vœux.");
    }
    for c in &r.couts {
        let _ = writeln!(t, "  {}", cout(inst, r, c));
    }
    let (variante, suivis) = delegations::suivre(s, inst, &r.plan);
    let _ = writeln!(
        t,
        "\nDélégations (elles suivent leur élu·e, par la règle de réparation de l'optimiseur) :"
    );
    if suivis.is_empty() {
        let _ = writeln!(t, "  aucune délégation pilote ne change de groupe.");
    }
    for x in &suivis {
        let _ = writeln!(t, "  {}.", delegations::texte(s, x));
    }
    t.push_str(&analyse_variante(s, &variante));
    t
}

/// Ranks obtained, as aggregates only (wishes are personal): how many at each rank, overall,
/// by sex and by component. Élu·es without wishes are not counted.
pub fn agregats(inst: &Instance, plan: &Plan) -> String {
    let rg = rangs(plan, inst);
    let ligne = |filtre: &dyn Fn(usize) -> bool| -> String {
        let mut n = [0usize; RANG_SANS_VOEU as usize];
        for (p, r) in rg.iter().enumerate() {
            if let Some(r) = r
                && filtre(p)
            {
                n[usize::from(*r) - 1] += 1;
            }
        }
        profil_texte(&n)
    };
    let mut t = String::from("\nRangs obtenus (effectifs, sans nom) :\n");
    let _ = writeln!(t, "  ensemble : {}", ligne(&|_| true));
    for (sexe, nom) in [(Sexe::F, "femmes"), (Sexe::M, "hommes")] {
        let _ = writeln!(
            t,
            "  {nom} : {}",
            ligne(&|p| inst.personnes[p].sexe == sexe)
        );
    }
    for c in inst.composantes() {
        let _ = writeln!(
            t,
            "  {c} : {}",
            ligne(&|p| inst.personnes[p].composante.as_deref() == Some(c.as_str()))
        );
    }
    t
}

/// The written variant's own analysis, against the input's: D001, D003 and D010 counted before
/// and after; every D010 the input did not have named with who it concerns.
pub fn analyse_variante(s: &Scenario, variante: &Scenario) -> String {
    let avant = crate::analyse::analyser(s).constats;
    let apres = crate::analyse::analyser(variante).constats;
    let compte = |f: &[crate::analyse::Finding], c: &str| f.iter().filter(|x| x.code == c).count();
    let mut t = String::from("\nAnalyse de la variante écrite (avant → après) :\n");
    for (c, quoi) in [
        ("D001", "doubles rattachements"),
        ("D003", "services sans pilote"),
        ("D010", "adjoint·es de quartier sans lien thématique"),
    ] {
        let _ = writeln!(
            t,
            "  {c} ({quoi}) : {} → {}",
            compte(&avant, c),
            compte(&apres, c)
        );
    }
    // A D010 is about one adjoint·e de quartier (its subjects also name the group's thematic
    // adjoint·es, sorted with them): compared on the adjoint·e de quartier.
    let quartier_de = |f: &crate::analyse::Finding| -> Option<String> {
        f.sujets
            .elus
            .iter()
            .find(|id| {
                variante
                    .find_elu(id)
                    .is_some_and(|e| variante.elus[e].est_adjoint_quartier())
            })
            .cloned()
    };
    for f in apres.iter().filter(|f| f.code == "D010") {
        if !avant
            .iter()
            .any(|a| a.code == "D010" && quartier_de(a) == quartier_de(f))
        {
            let _ = writeln!(t, "  nouvelle D010, prix d'un vœu : {}", f.message);
        }
    }
    t
}

/// The French diagnosis of an infeasible instance.
pub fn echec(e: &Echec) -> String {
    match e {
        Echec::Infaisable {
            familles,
            a_placer,
            places,
        } => {
            let mut t = format!(
                "Affectation impossible : le problème est infaisable. {a_placer} élu·es à placer ; les tailles de groupes en demandent au moins {} et en acceptent au plus {}.\n",
                places.0, places.1
            );
            if familles.is_empty() {
                t.push_str(
                    "Aucune règle, retirée seule, ne suffit : plusieurs règles sont en conflit.\n",
                );
            } else {
                t.push_str("Règles dont le retrait suffirait :\n");
                for f in familles {
                    let _ = writeln!(t, "  - {}", f.libelle());
                }
            }
            t.push_str("Ajustez [groupes] dans scenario.toml (taille_min, taille_max, max_groupes_par_composante). Aucun fichier n'a été écrit.\n");
            t
        }
        Echec::Solveur(m) => format!("Erreur : {m}. Aucun fichier n'a été écrit.\n"),
    }
}

/// `affectation.csv`: one row per movable élu·e; their rank and its reason only when asked
/// (`individuels`, `--rangs-individuels`): wishes are personal.
pub fn affectation_csv(inst: &Instance, r: &Resultat, individuels: bool) -> Vec<u8> {
    let mut w = EcrivainCsv::new();
    let mut entete = vec![
        "elu",
        "nom",
        "sexe",
        "composante",
        "groupe_actuel",
        "groupe",
    ];
    if individuels {
        entete.extend(["rang", "raison"]);
    }
    w.ligne(entete);
    let rg = rangs(&r.plan, inst);
    for (p, x) in inst.personnes.iter().enumerate() {
        let mut l = vec![
            x.id.clone(),
            x.nom.clone(),
            x.sexe.code().to_string(),
            x.composante.clone().unwrap_or_default(),
            x.actuel
                .map(|g| inst.groupes[g].id.clone())
                .unwrap_or_default(),
            inst.groupes[r.plan[p]].id.clone(),
        ];
        if individuels {
            l.push(rg[p].map(|r| r.to_string()).unwrap_or_default());
            l.push(raison(inst, r, p));
        }
        w.ligne(l);
    }
    w.octets()
}

/// `regles.csv`: for each rule, the count per rank with and without it.
pub fn regles_csv(inst: &Instance, r: &Resultat) -> Vec<u8> {
    let mut w = EcrivainCsv::new();
    let mut entete = vec!["regle".to_string(), "variante".to_string()];
    entete.extend((1..=RANG_SANS_VOEU).map(|k| format!("rang_{k}")));
    entete.push("pire_rang".into());
    w.ligne(&entete);
    let ligne = |w: &mut EcrivainCsv, regle: &str, v: &str, n: &[usize; 6], p: Option<u8>| {
        let mut l = vec![regle.to_string(), v.to_string()];
        l.extend(n.iter().map(usize::to_string));
        l.push(p.map(|p| p.to_string()).unwrap_or_default());
        w.ligne(&l);
    };
    ligne(
        &mut w,
        "toutes",
        "avec",
        &profil(&r.plan, inst),
        pire(&r.plan, inst),
    );
    for c in &r.couts {
        let code = famille_code(c.famille);
        if c.alternative.is_some() {
            ligne(&mut w, code, "sans", &c.profil, c.pire);
        }
    }
    w.octets()
}

fn famille_code(f: Famille) -> &'static str {
    match f {
        Famille::MembreUnique => "membre_unique",
        Famille::TailleMin => "taille_min",
        Famille::TailleMax => "taille_max",
        Famille::AdjointQuartier => "adjoint_quartier",
        Famille::Parite => "parite",
        Famille::Composantes => "composantes",
        Famille::MaxGroupesComposante => "max_groupes_par_composante",
        Famille::Voeux => "voeux",
    }
}

/// `elus.csv` of the variant: every élu·e, the movable ones in their new group.
pub fn elus_csv(s: &Scenario, inst: &Instance, plan: &Plan) -> Vec<u8> {
    let mut elus = s.elus.clone();
    for (p, x) in inst.personnes.iter().enumerate() {
        if let Some(e) = elus.get_mut(x.elu) {
            e.groupe = Some(inst.groupes[plan[p]].id.clone());
        }
    }
    super::scenario::elus_csv(&elus)
}

/// `scenario.toml` of the variant: its name and `base`.
pub fn scenario_toml(nom: &str, base: &str) -> Vec<u8> {
    super::scenario::toml_variante(
        "Affectation de « collegia affecter » : variante du scénario de base, dont elle reprend\nl'organigramme et les vœux ; ses délégations suivent les élu·es (delegations.csv).",
        base,
        &format!("{nom} — affectation selon les vœux"),
    )
}

/// Ranks obtained by sex and by component (élu·es who made wishes).
pub fn graphiques_rangs(inst: &Instance, plan: &Plan) -> Result<Vec<Image>, GraphiqueError> {
    let rg = rangs(plan, inst);
    let categories: Vec<String> = (1..=RANG_SANS_VOEU)
        .map(|k| {
            if k == RANG_SANS_VOEU {
                "hors vœux (6)".into()
            } else {
                format!("vœu n° {k}")
            }
        })
        .collect();
    let compte = |f: &dyn Fn(usize) -> bool| -> Vec<f64> {
        let mut n = vec![0.0; usize::from(RANG_SANS_VOEU)];
        for (p, r) in rg.iter().enumerate() {
            if let Some(r) = r
                && f(p)
            {
                n[usize::from(*r) - 1] += 1.0;
            }
        }
        n
    };
    let sexe = BarresGroupees {
        titre: "Rang obtenu, par sexe".into(),
        source: "voeux.csv, collegia affecter".into(),
        unite: "élu·es".into(),
        categories: categories.clone(),
        series: [(Sexe::F, "femmes"), (Sexe::M, "hommes")]
            .iter()
            .map(|&(s, l)| (l.to_string(), compte(&|p| inst.personnes[p].sexe == s)))
            .collect(),
    };
    let comps = inst.composantes();
    let composante = BarresGroupees {
        titre: "Rang obtenu, par composante".into(),
        source: "voeux.csv, collegia affecter".into(),
        unite: "élu·es".into(),
        categories,
        series: comps
            .iter()
            .map(|c| {
                (
                    c.clone(),
                    compte(&|p| inst.personnes[p].composante.as_deref() == Some(c.as_str())),
                )
            })
            .collect(),
    };
    Ok(vec![
        rendre(
            &sexe,
            "affectation-rangs-sexe",
            "Rang obtenu, par sexe",
            "Nombre d'élu·es ayant obtenu chaque rang de vœu, femmes et hommes.",
        )?,
        rendre(
            &composante,
            "affectation-rangs-composante",
            "Rang obtenu, par composante",
            "Nombre d'élu·es ayant obtenu chaque rang de vœu, par composante de la majorité.",
        )?,
    ])
}

/// One member in the chart: label, sex, component index.
pub type Case = (String, Sexe, Option<usize>);

/// The groups with their members: one row per group, one box per member, coloured by
/// component, marked F or M, the leader first.
#[derive(Debug, Clone)]
pub struct Composition {
    /// Rows: group id, then (label, sex, component index) per member.
    pub groupes: Vec<(String, Vec<Case>)>,
    /// Component names (legend), in colour order.
    pub composantes: Vec<String>,
}

impl Composition {
    /// The composition of a plan.
    pub fn de(inst: &Instance, plan: &Plan) -> Composition {
        let comps = inst.composantes();
        let ix = |c: &Option<String>| c.as_ref().and_then(|c| comps.iter().position(|x| x == c));
        let groupes = inst
            .groupes
            .iter()
            .enumerate()
            .map(|(g, grp)| {
                let mut m: Vec<Case> = grp
                    .fixes
                    .iter()
                    .map(|f| (f.id.clone(), f.sexe, ix(&f.composante)))
                    .collect();
                m.extend(
                    inst.personnes
                        .iter()
                        .enumerate()
                        .filter(|(p, _)| plan[*p] == g)
                        .map(|(_, x)| (x.id.clone(), x.sexe, ix(&x.composante))),
                );
                (grp.id.clone(), m)
            })
            .collect();
        Composition {
            groupes,
            composantes: comps,
        }
    }
}

impl Dessin for Composition {
    /// At most [`crate::report::graphiques::MAX_BARRES`] groups (one row each) and ten members a
    /// row, so that the chart's size stays bounded whatever the council.
    fn borne(&self) -> Self {
        Composition {
            groupes: self
                .groupes
                .iter()
                .take(crate::report::graphiques::MAX_BARRES)
                .map(|(g, m)| (g.clone(), m.iter().take(10).cloned().collect()))
                .collect(),
            composantes: self
                .composantes
                .iter()
                .take(crate::report::graphiques::MAX_SERIES)
                .cloned()
                .collect(),
        }
    }

    fn taille(&self) -> (u32, u32) {
        (900, 150 + 26 * self.groupes.len() as u32)
    }

    fn dessiner<DB: DrawingBackend>(
        &self,
        zone: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
        let inner = cadre(
            zone,
            "Les groupes proposés : membres, sexe et composante",
            "elus.csv, voeux.csv, collegia affecter",
        )?;
        for (k, c) in self.composantes.iter().enumerate() {
            let x = 10 + 200 * (k as i32 % 4);
            let y = 4 + 18 * (k as i32 / 4);
            let col = SERIES[k % SERIES.len()];
            inner.draw(&Rectangle::new([(x, y), (x + 12, y + 12)], col.filled()))?;
            inner.draw(&Text::new(c.clone(), (x + 18, y), texte(12)))?;
        }
        let haut = 10 + 18 * self.composantes.len().div_ceil(4) as i32;
        for (i, (g, membres)) in self.groupes.iter().enumerate() {
            let y = haut + 26 * i as i32;
            inner.draw(&Text::new(g.clone(), (4, y + 4), texte(13)))?;
            for (j, (id, sexe, c)) in membres.iter().enumerate() {
                let x = 250 + 150 * j as i32;
                let col = c.map_or(super::graphiques::GRIS, |c| SERIES[c % SERIES.len()]);
                inner.draw(&Rectangle::new(
                    [(x, y), (x + 140, y + 22)],
                    col.mix(0.35).filled(),
                ))?;
                inner.draw(&Rectangle::new(
                    [(x, y), (x + 140, y + 22)],
                    col.stroke_width(if j == 0 { 3 } else { 1 }),
                ))?;
                inner.draw(&Text::new(
                    format!("{id} ({})", sexe.code()),
                    (x + 6, y + 4),
                    texte(13),
                ))?;
            }
        }
        Ok(())
    }
}

/// Every file of the variant folder.
pub fn fichiers(
    s: &Scenario,
    inst: &Instance,
    r: &Resultat,
    base: &str,
    individuels: bool,
) -> Result<Vec<(String, Vec<u8>)>, GraphiqueError> {
    let mut images = graphiques_rangs(inst, &r.plan)?;
    images.push(rendre(
        &Composition::de(inst, &r.plan),
        "affectation-groupes",
        "Les groupes proposés",
        "Chaque groupe et ses membres, l'adjoint·e qui l'anime en premier, avec leur sexe et leur composante.",
    )?);
    // The summary holds user text (names, groups): it goes in a fenced code block, inert in
    // Markdown, whose fence is longer than any run of backticks in it so that none can close it.
    let texte = super::document::sans_controles(&resume(s, inst, r, individuels)).into_owned();
    let mut plus_long = 0;
    let mut courant = 0;
    for c in texte.chars() {
        courant = if c == '`' { courant + 1 } else { 0 };
        plus_long = plus_long.max(courant);
    }
    let cloture = "`".repeat(plus_long.max(2) + 1);
    let mut md = format!(
        "# Affectation selon les vœux — {}\n\n{cloture}text\n",
        super::document::md(&s.params.nom)
    );
    md.push_str(&texte);
    if !md.ends_with('\n') {
        md.push('\n');
    }
    let _ = writeln!(md, "{cloture}\n");
    for im in &images {
        let _ = writeln!(md, "![{}](graphiques/{}.svg)\n", im.description, im.nom);
    }
    let mut f = vec![
        (
            "scenario.toml".to_string(),
            scenario_toml(&s.params.nom, base),
        ),
        ("elus.csv".to_string(), elus_csv(s, inst, &r.plan)),
        ("delegations.csv".to_string(), {
            let (v, _) = delegations::suivre(s, inst, &r.plan);
            super::scenario::delegations_csv(
                &v.delegations,
                &v.delegations_sans_service,
                &v.elus,
                &v.organigramme,
            )
        }),
        (
            "affectation.csv".to_string(),
            affectation_csv(inst, r, individuels),
        ),
        ("regles.csv".to_string(), regles_csv(inst, r)),
        ("affectation.md".to_string(), md.into_bytes()),
    ];
    for im in images {
        f.push((format!("graphiques/{}.svg", im.nom), im.svg.into_bytes()));
        f.push((format!("graphiques/{}.png", im.nom), im.png));
    }
    Ok(f)
}
