//! A plan's changes in words: the one French wording of « what moves where » shared by the
//! terminal (`collegia optimiser`), the report, the deck (one slide per point of the front) and
//! the séminaire's previews, so that the room reads the same sentence everywhere.
//!
//! In: the input scenario, the model data and a plan (the optimiser's, a front point's, or any
//! [`Plan`] over the same [`Donnees`]). Out: one sentence per change, in the order of
//! [`super::optimisation::changements`] (units in organigramme order, then élu·es, then
//! délégations made appui). The sentences are computed from the same diff as `changements.csv`:
//! a unit that changes group, an orphan unit adopted, a member who changes group, a member's
//! pilote délégation made appui. A member who moves with a unit they pilot is named in that
//! unit's sentence (« avec sa conseillère déléguée … ») rather than on a line of their own.

use super::format::decimal_court;
use super::optimisation::{Changement, changements};
use crate::model::{Fonction, Scenario, Sexe};
use crate::optimise::application::DoublesEntree;
use crate::optimise::{Donnees, Plan};

/// Every change of `plan` in French, one sentence each (no final full stop, first letter in lower
/// case, so that a caller may prefix it: « point 2 : la direction du commerce (DIR-COM) passe du
/// groupe G09 au groupe G03 avec sa conseillère déléguée Léa Martin ; 39 agents changent de
/// chaîne hiérarchique »). Empty when the plan changes nothing. Same inputs, same sentences.
///
/// `s` is the input scenario `d` was built from (élu·es are named from it); `plan` any plan over
/// `d` (the input plan gives an empty list).
pub fn decrire_changements(s: &Scenario, d: &Donnees, plan: &Plan) -> Vec<String> {
    let liste = changements(d, plan);
    let entree = DoublesEntree::de(s);
    // Members who move with a unit they pilot: named in the unit's sentence.
    let mut nommes = vec![false; d.membres.len()];
    let mut out = Vec::new();
    for c in &liste {
        match *c {
            Changement::Unite(u) => {
                let un = &d.unites[u];
                let nom = unite(d, u);
                let Some(b) = plan.unites[u] else {
                    continue;
                };
                let vers = &d.groupes[b].id;
                match un.actuel {
                    Some(a) => {
                        let suivent: Vec<usize> = (0..d.membres.len())
                            .filter(|&e| {
                                let m = &d.membres[e];
                                m.perimetre.contains(&u)
                                    && m.actuel == Some(a)
                                    && plan.membres[e] == Some(b)
                                    && !plan.retraits.contains(&(e, u))
                            })
                            .collect();
                        for &e in &suivent {
                            nommes[e] = true;
                        }
                        let avec = if suivent.is_empty() {
                            String::new()
                        } else {
                            format!(" avec {}", accompagnants(s, d, &suivent))
                        };
                        // The motif, then what the receiving group shares with the unit (its
                        // domains, or « hors thème »).
                        let pourquoi = super::optimisation::raison_unite(d, plan, u, &entree);
                        out.push(format!(
                            "{nom} passe du groupe {} au groupe {vers}{avec} ; {} ({pourquoi})",
                            d.groupes[a].id,
                            agents(un.charge),
                        ));
                    }
                    None => out.push(format!(
                        "{nom}, sans groupe pilote jusqu'ici (D003), passe au groupe {vers} ; {} un·e élu·e pilote ({})",
                        match agents_nombre(un.charge) {
                            (n, true) => format!("son agent ({n} ETP) a désormais"),
                            (n, false) => format!("ses {n} agents (en ETP) ont désormais"),
                        },
                        // The shared domain and the runner-up receiver with its cost.
                        super::optimisation::raison_unite(d, plan, u, &entree)
                    )),
                }
            }
            Changement::Membre(e) if !nommes[e] => {
                let m = &d.membres[e];
                let qui = personne(s, m.elu, &m.id);
                let vers = plan.membres[e].map(|g| &d.groupes[g].id);
                out.push(match (m.actuel.map(|a| &d.groupes[a].id), vers) {
                    (Some(a), Some(b)) => format!("{qui} passe du groupe {a} au groupe {b}"),
                    (Some(a), None) => {
                        format!("{qui} quitte le groupe {a} sans en rejoindre un autre")
                    }
                    (None, Some(b)) => {
                        format!("{qui}, sans groupe jusqu'ici, rejoint le groupe {b}")
                    }
                    (None, None) => format!("{qui} reste sans groupe"),
                });
            }
            Changement::Membre(_) => {}
            Changement::Retrait(e, u) => {
                let m = &d.membres[e];
                let qui = personne(s, m.elu, &m.id);
                let pilote = plan.unites[u]
                    .map(|g| format!("le groupe {}", d.groupes[g].id))
                    .unwrap_or_else(|| "un autre groupe".into());
                out.push(format!(
                    "{qui} passe en appui dans {}, que pilote {pilote} (un seul groupe pilote par unité, D001)",
                    unite(d, u)
                ));
            }
        }
    }
    out
}

/// « la direction de l'éducation (DIR-EDU) »: the unit's libellé with its article when its first
/// word is a known kind of unit, else « l'unité « libellé » (ID) ».
fn unite(d: &Donnees, u: usize) -> String {
    let un = &d.unites[u];
    format!("{} ({})", avec_article(&un.libelle), un.id)
}

/// The libellé preceded by its definite article (« la direction de l'éducation », « le service
/// des sports », « l'unité des agents… »), from its first word; a libellé that does not start
/// with a known noun reads « l'unité « … » ».
pub fn avec_article(libelle: &str) -> String {
    // Nouns a unit's libellé starts with in French organigrammes, and their gender.
    const FEMININS: &[&str] = &[
        "direction",
        "mission",
        "unité",
        "maison",
        "médiathèque",
        "mairie",
        "délégation",
        "division",
        "cellule",
        "agence",
        "police",
        "régie",
        "bibliothèque",
        "école",
        "base",
        "inspection",
        "sous-direction",
        "administration",
    ];
    const MASCULINS: &[&str] = &[
        "service",
        "pôle",
        "cabinet",
        "centre",
        "secrétariat",
        "bureau",
        "département",
        "conservatoire",
        "musée",
        "guichet",
        "point",
        "espace",
        "atelier",
        "observatoire",
        "laboratoire",
        "office",
        "secteur",
    ];
    let libelle = libelle.trim();
    let premier = libelle
        .split(|c: char| c.is_whitespace() || c == ',' || c == '\'' || c == '’')
        .next()
        .unwrap_or("")
        .to_lowercase();
    let voyelle = premier
        .chars()
        .next()
        .is_some_and(|c| "aàâeéèêëiîïoôuùûhy".contains(c));
    let article = if FEMININS.contains(&premier.as_str()) {
        Some("la ")
    } else if MASCULINS.contains(&premier.as_str()) {
        Some("le ")
    } else {
        None
    };
    match article {
        Some(_) if voyelle => format!("l'{}", minuscule(libelle)),
        Some(a) => format!("{a}{}", minuscule(libelle)),
        None => format!("l'unité « {libelle} »"),
    }
}

/// The first letter in lower case, unless the first word is an acronym (« CCAS »).
fn minuscule(s: &str) -> String {
    let premier: String = s.chars().take_while(|c| c.is_alphabetic()).collect();
    if premier.chars().count() > 1 && premier.chars().all(|c| c.is_uppercase()) {
        return s.to_string();
    }
    let mut c = s.chars();
    match c.next() {
        Some(p) => p.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The staff as a count of agents: its French number, and whether it is one agent or less.
fn agents_nombre(etp: f64) -> (String, bool) {
    (decimal_court(etp, 1), etp <= 1.0)
}

/// « 39 agents (en ETP) changent de chaîne hiérarchique ».
fn agents(etp: f64) -> String {
    match agents_nombre(etp) {
        (n, true) => format!("{n} agent (en ETP) change de chaîne hiérarchique"),
        (n, false) => format!("{n} agents (en ETP) changent de chaîne hiérarchique"),
    }
}

/// An élu·e named with their function: « la conseillère déléguée Léa Martin (E23) »; `id` when
/// the élu·e is not in the scenario (hand-written test data).
fn personne(s: &Scenario, elu: usize, id: &str) -> String {
    match s.elus.get(elu) {
        Some(e) => format!(
            "{} {} ({})",
            fonction(e.fonction, e.sexe, e.quartier.is_some(), true),
            e.nom_complet(),
            e.id
        ),
        None => format!("l'élu·e {id}"),
    }
}

/// A function with its article (`defini`) or possessive: « la conseillère déléguée »,
/// « sa conseillère déléguée », « l'adjoint de quartier ».
fn fonction(f: Fonction, sexe: Sexe, quartier: bool, defini: bool) -> String {
    let feminin = sexe == Sexe::F;
    let nom = match f {
        Fonction::ConseillerDelegue if feminin => "conseillère déléguée",
        Fonction::ConseillerDelegue => "conseiller délégué",
        Fonction::Adjoint if quartier && feminin => "adjointe de quartier",
        Fonction::Adjoint if quartier => "adjoint de quartier",
        Fonction::Adjoint if feminin => "adjointe",
        Fonction::Adjoint => "adjoint",
        Fonction::Conseiller if feminin => "conseillère municipale",
        Fonction::Conseiller => "conseiller municipal",
        _ if feminin => "élue",
        _ => "élu",
    };
    let voyelle = nom.starts_with(['a', 'é', 'e']);
    match (defini, voyelle, feminin) {
        (true, true, _) => format!("l'{nom}"),
        (true, false, true) => format!("la {nom}"),
        (true, false, false) => format!("le {nom}"),
        (false, true, _) => format!("son {nom}"),
        (false, false, true) => format!("sa {nom}"),
        (false, false, false) => format!("son {nom}"),
    }
}

/// « sa conseillère déléguée Léa Martin (E23) », « ses élu·es Léa Martin (E23) et Marc Roux
/// (E31) ».
fn accompagnants(s: &Scenario, d: &Donnees, membres: &[usize]) -> String {
    let nom = |e: usize| {
        let m = &d.membres[e];
        s.elus
            .get(m.elu)
            .map(|x| format!("{} ({})", x.nom_complet(), x.id))
            .unwrap_or_else(|| m.id.clone())
    };
    match membres {
        [e] => match s.elus.get(d.membres[*e].elu) {
            Some(x) => format!(
                "{} {}",
                fonction(x.fonction, x.sexe, x.quartier.is_some(), false),
                nom(*e)
            ),
            None => format!("son élu·e {}", nom(*e)),
        },
        _ => {
            let noms: Vec<String> = membres.iter().map(|&e| nom(e)).collect();
            let (dernier, debut) = noms.split_last().expect("two or more");
            format!("ses élu·es {} et {dernier}", debut.join(", "))
        }
    }
}

/// Applying stage `t` of the staged reorganisation (`collegia reorganiser`) to a state whose
/// directions sit under the DGA `avant` (an index of `d.dgas` per direction of `d`, as in
/// [`crate::reorganisation::Plan`]): the journal's line (« appliquer l'étape 2 de la
/// réorganisation (01/04/2027) : 2 directions, 147,5 agent·es changent de DGA ») and one
/// sentence per direction that changes DGA (« la direction de la santé (DIR-SANTE) passe de
/// DGA-SOL à DGA-AMEN : 44,5 agent·es changent de DGA ; rassemble la priorité « Santé » »),
/// with the reason of the stage where the plan moves it. The séminaire's journal, preview and
/// compte rendu use these words.
pub fn etape_reorganisation(
    d: &crate::reorganisation::Donnees,
    plan: &crate::reorganisation::Plan,
    t: usize,
    avant: &[usize],
) -> (String, Vec<String>) {
    let cible = &plan.etapes[t];
    let mut phrases = Vec::new();
    let mut agents = 0.0;
    for (i, dir) in d.directions.iter().enumerate() {
        let a = avant.get(i).copied().unwrap_or(dir.initiale);
        if a == cible[i] {
            continue;
        }
        agents += dir.agents;
        // The stage (≤ t) where the plan brings it to this DGA, for its reason.
        let raison = (1..=t)
            .rev()
            .find(|&u| plan.etapes[u][i] == cible[i] && plan.etapes[u - 1][i] != cible[i])
            .map(|u| crate::reorganisation::raison(d, plan, u, i))
            .filter(|r| !r.is_empty())
            .map(|r| format!(" ; {r}"))
            .unwrap_or_default();
        phrases.push(format!(
            "{} ({}) passe de {} à {} : {} agent·es changent de DGA{raison}",
            avec_article(&dir.libelle),
            dir.id,
            d.dgas[a].id,
            d.dgas[cible[i]].id,
            decimal_court(dir.agents, 1)
        ));
    }
    let date = d
        .dates
        .get(t.wrapping_sub(1))
        .map(|x| format!(" ({})", x.format("%d/%m/%Y")))
        .unwrap_or_default();
    let ligne = match phrases.len() {
        0 => format!(
            "appliquer l'étape {t} de la réorganisation{date} : aucune direction ne change de DGA"
        ),
        n => format!(
            "appliquer l'étape {t} de la réorganisation{date} : {n} {}, {} agent·es changent de DGA",
            if n > 1 { "directions" } else { "direction" },
            decimal_court(agents, 1)
        ),
    };
    (ligne, phrases)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn exemple() -> (Scenario, Donnees) {
        let dossier = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/exemple");
        let s = crate::ingest::load_scenario(&dossier)
            .expect("example loads")
            .scenario;
        let d = Donnees::depuis_scenario(&s, &[], crate::optimise::Granularite::Direction, true)
            .expect("example data");
        (s, d)
    }

    #[test]
    fn the_input_plan_changes_nothing() {
        let (s, d) = exemple();
        assert!(decrire_changements(&s, &d, &Plan::actuel(&d)).is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any plan over the example (units and members given to random groups, pilote
        /// délégations made appui): every moved unit is named in exactly one sentence with its
        /// old and new group, every moved member exactly once, every appui once; nothing else.
        #[test]
        fn every_change_is_worded_once(
            graines in proptest::collection::vec((0usize..1000, 0usize..1000), 0..8),
            membres in proptest::collection::vec((0usize..1000, 0usize..1000), 0..4),
            retraits in proptest::collection::vec((0usize..1000, 0usize..1000), 0..3),
        ) {
            let (s, d) = exemple();
            let mut plan = Plan::actuel(&d);
            for (u, g) in graines {
                plan.unites[u % d.unites.len()] = Some(g % d.groupes.len());
            }
            for (e, g) in membres {
                plan.membres[e % d.membres.len()] = Some(g % d.groupes.len());
            }
            for (e, u) in retraits {
                plan.retraits.insert((e % d.membres.len(), u % d.unites.len()));
            }
            let phrases = decrire_changements(&s, &d, &plan);
            let mut attendues = plan.retraits.len();
            for (u, un) in d.unites.iter().enumerate() {
                if un.actuel == plan.unites[u] {
                    continue;
                }
                attendues += 1;
                let cle = format!("({})", un.id);
                let avec: Vec<&String> = phrases
                    .iter()
                    .filter(|p| p.contains(&cle) && !p.contains("passe en appui"))
                    .collect();
                prop_assert_eq!(avec.len(), 1, "{} in {:?}", un.id, phrases);
                let vers = format!("au groupe {}", d.groupes[plan.unites[u].expect("only groups are given")].id);
                prop_assert!(avec[0].contains(&vers), "{}", avec[0]);
                if let Some(a) = un.actuel {
                    let de = format!("du groupe {}", d.groupes[a].id);
                    prop_assert!(avec[0].contains(&de), "{}", avec[0]);
                }
            }
            for (e, m) in d.membres.iter().enumerate() {
                if m.actuel == plan.membres[e] {
                    continue;
                }
                let cle = format!("({})", m.id);
                let n = phrases
                    .iter()
                    .filter(|p| p.contains(&cle) && !p.contains("passe en appui"))
                    .count();
                prop_assert_eq!(n, 1, "{} in {:?}", m.id, phrases);
                // Named on a line of their own unless a unit they pilot carried them; that
                // line says where from and where to, in French (« du groupe A au groupe B »,
                // never « à le groupe B »).
                if !phrases.iter().any(|p| p.contains(&cle) && p.contains(" avec ")) {
                    attendues += 1;
                    let ligne = phrases.iter().find(|p| p.contains(&cle)).expect("counted above");
                    let b = &d.groupes[plan.membres[e].expect("only groups are given")].id;
                    let attendu = match m.actuel {
                        Some(a) => format!("passe du groupe {} au groupe {b}", d.groupes[a].id),
                        None => format!("rejoint le groupe {b}"),
                    };
                    prop_assert!(ligne.contains(&attendu), "{} (attendu : {})", ligne, attendu);
                }
            }
            prop_assert_eq!(phrases.len(), attendues, "{:?}", phrases);
            for p in &phrases {
                prop_assert!(!p.contains(" à le ") && !p.contains(" de le "), "{}", p);
                prop_assert!(!p.ends_with('.') && p.chars().next().is_some_and(char::is_lowercase), "{}", p);
            }
        }
    }

    #[test]
    fn articles_follow_the_first_word() {
        assert_eq!(
            avec_article("Direction de l'éducation"),
            "la direction de l'éducation"
        );
        assert_eq!(avec_article("Service des sports"), "le service des sports");
        assert_eq!(
            avec_article("Unité des agents, secteur nord"),
            "l'unité des agents, secteur nord"
        );
        assert_eq!(avec_article("Espace jeunes"), "l'espace jeunes");
        assert_eq!(avec_article("CCAS"), "l'unité « CCAS »");
        assert_eq!(avec_article("Pôle ressources"), "le pôle ressources");
    }

    #[test]
    fn possessives_agree_with_the_person() {
        assert_eq!(
            fonction(Fonction::ConseillerDelegue, Sexe::F, false, false),
            "sa conseillère déléguée"
        );
        assert_eq!(
            fonction(Fonction::Adjoint, Sexe::F, true, false),
            "son adjointe de quartier"
        );
        assert_eq!(
            fonction(Fonction::ConseillerDelegue, Sexe::M, false, true),
            "le conseiller délégué"
        );
    }
}

/// The one wording of a default group size lifted on some groups (`optimiser --regrouper` and
/// `affecter`, rank 6 of the precedence): « Règle levée : les 3 groupes A, B et C comptent
/// chacun {borne}, parce que {parce_que} ; écrivez {cle} dans \[groupes\]… ». `None` for no group.
pub fn taille_levee(groupes: &[&str], borne: &str, parce_que: &str, cle: &str) -> Option<String> {
    let sujet = match groupes.len() {
        0 => return None,
        1 => format!("le groupe {} compte", groupes[0]),
        n => format!("les {n} groupes {} comptent chacun", enumeration(groupes)),
    };
    Some(format!(
        "Règle levée : {sujet} {borne}, parce que {parce_que} ; écrivez {cle} dans [groupes] de scenario.toml pour l'imposer."
    ))
}

/// Most names given in one French enumeration; the others are counted.
pub const NOMS_MAX: usize = 8;

/// Names as a French enumeration: « A », « A et B », « A, B et C »; past [`NOMS_MAX`], the
/// first ones then « et N autres ».
pub fn enumeration(noms: &[&str]) -> String {
    match noms {
        [] => String::new(),
        [a] => (*a).to_string(),
        _ if noms.len() > NOMS_MAX => format!(
            "{} et {} autres",
            noms[..NOMS_MAX].join(", "),
            noms.len() - NOMS_MAX
        ),
        [debut @ .., dernier] => format!("{} et {dernier}", debut.join(", ")),
    }
}

#[cfg(test)]
mod tests_enumeration {
    use super::enumeration;

    #[test]
    fn enumerations_read_as_french() {
        assert_eq!(enumeration(&[]), "");
        assert_eq!(enumeration(&["G1"]), "G1");
        assert_eq!(enumeration(&["G1", "G2", "G3"]), "G1, G2 et G3");
        let dix: Vec<String> = (1..=10).map(|k| format!("G{k}")).collect();
        let dix: Vec<&str> = dix.iter().map(String::as_str).collect();
        assert_eq!(
            enumeration(&dix),
            "G1, G2, G3, G4, G5, G6, G7, G8 et 2 autres"
        );
    }
}
