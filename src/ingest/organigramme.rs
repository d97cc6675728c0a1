//! `organigramme.csv` → [`Organigramme`]: unique ids, one root, known parents, no cycle, levels,
//! non-negative staff and budget, known axes and secondary links.

use super::error::{Code, Diagnostic};
/// The columns live in [`super::schema`], with their types and how they are written.
pub use super::schema::COLONNES_ORGANIGRAMME as COLONNES;
use super::table::{Source, normalise, parse_nombre, read_table, split_liste, valeur_unique};
use crate::model::{Axe, Entite, Niveau, Noeud, Organigramme};
use std::collections::BTreeMap;

/// Deepest tree accepted (real organigrammes have 5–7 levels); guards recursion-free code paths
/// against pathological inputs and keeps reports readable.
pub const MAX_DEPTH: usize = 64;

/// Largest staff accepted on one node, in ETP: more than the whole staff of the largest French
/// commune (Paris, about 55 000 agents). A larger figure is a typo or a wrong column, and sums of
/// such figures would overflow the charts.
pub const MAX_EFFECTIF: f64 = 1_000_000.0;
/// Largest budget accepted on one node, in euros: a hundred times Paris's annual budget.
pub const MAX_BUDGET: f64 = 1e12;

const ID: usize = 0;
const LIBELLE: usize = 1;
const PARENT: usize = 2;
const NIVEAU: usize = 3;
const EFFECTIF: usize = 4;
const BUDGET: usize = 5;
const ENTITE: usize = 6;
const AXES: usize = 7;
const SECONDAIRES: usize = 8;
const TERRITOIRE: usize = 9;
const ESTIME: usize = 10;
const RESPONSABLE: usize = 11;
const DOMAINE: usize = 12;

/// The domains written in a `domaine` cell (`organigramme.csv`, `delegations.csv`): keys or
/// labels of the shipped table ([`crate::model::domaine`]), separated by `|` (or `,`), returned
/// as keys. An unknown one is E014, with the closest key suggested (« vouliez-vous dire »).
pub(crate) fn lire_domaines(
    diags: &mut Vec<Diagnostic>,
    fichier: &str,
    ligne: usize,
    colonne: &str,
    brut: &str,
) -> Vec<String> {
    let table = crate::model::domaine::TableDomaines::integree();
    let mut out: Vec<String> = Vec::new();
    for v in split_liste(brut) {
        match table.cle(&v) {
            Some(d) => {
                let cle = table.domaine(d).cle.clone();
                if !out.contains(&cle) {
                    out.push(cle);
                }
            }
            None => {
                let cles = table.cles();
                let proche = super::table::plus_proche(&v, &cles).map(String::from);
                let aide = match proche {
                    Some(p) => format!(
                        "vouliez-vous dire « {p} » ? Les domaines permis sont les clés de la table des domaines (docs/domaines.md), séparées par |"
                    ),
                    None => "les domaines permis sont les clés de la table des domaines (docs/domaines.md), séparées par |".to_string(),
                };
                diags.push(
                    Diagnostic::fichier(Code::E014, fichier, format!("domaine « {v} » inconnu"))
                        .ligne(ligne)
                        .colonne(colonne)
                        .valeur(&v)
                        .aide(aide),
                );
            }
        }
    }
    out
}

/// Parses a level (accents and case ignored; `pôle` is a DGA, `mission` a direction).
pub fn parse_niveau(s: &str) -> Option<Niveau> {
    Some(match normalise(s).as_str() {
        "dgs" | "direction_generale" | "direction_generale_des_services" | "racine" => Niveau::Dgs,
        "dga" | "pole" | "direction_generale_adjointe" => Niveau::Dga,
        "direction" | "dir" | "mission" => Niveau::Direction,
        "service" | "srv" => Niveau::Service,
        "unite" | "section" | "bureau" | "cellule" | "equipe" => Niveau::Unite,
        _ => return None,
    })
}

/// Parses an entity (empty = ville).
pub fn parse_entite(s: &str) -> Option<Entite> {
    Some(match normalise(s).as_str() {
        "" | "ville" | "commune" | "mairie" => Entite::Ville,
        "agglo" | "agglomeration" | "epci" | "metropole" | "communaute" => Entite::Agglo,
        "mutualise" | "mutualisee" | "service_commun" | "commun" => Entite::Mutualise,
        "ccas" | "cias" => Entite::Ccas,
        "autre" => Entite::Autre,
        _ => return None,
    })
}

/// Finds an axis by id or label (normalised).
pub fn find_axe(axes: &[Axe], s: &str) -> Option<String> {
    let n = normalise(s);
    axes.iter()
        .find(|a| a.id == n || normalise(&a.libelle) == n)
        .map(|a| a.id.clone())
}

fn nombre(
    diags: &mut Vec<Diagnostic>,
    fichier: &str,
    ligne: usize,
    colonne: &str,
    raw: &str,
    max: f64,
) -> f64 {
    if raw.is_empty() {
        return 0.0;
    }
    match parse_nombre(raw) {
        Some(v) if v > max => {
            diags.push(
                Diagnostic::fichier(
                    Code::E013,
                    fichier,
                    format!(
                        "« {colonne} » = {raw} dépasse le maximum admis ({})",
                        crate::format::nombre(max, 0)
                    ),
                )
                .ligne(ligne)
                .colonne(colonne)
                .valeur(raw)
                .aide("vérifiez l'unité et la colonne (ETP par nœud, euros par an) : une valeur aussi grande est une erreur de saisie"),
            );
            0.0
        }
        Some(v) if v >= 0.0 => v,
        Some(_) => {
            diags.push(
                Diagnostic::fichier(
                    Code::E013,
                    fichier,
                    format!("« {colonne} » ne peut pas être négatif"),
                )
                .ligne(ligne)
                .colonne(colonne)
                .valeur(raw)
                .aide("donnez un nombre positif ou nul (laissez vide pour 0)"),
            );
            0.0
        }
        None => {
            diags.push(
                Diagnostic::fichier(
                    Code::E012,
                    fichier,
                    format!("« {colonne} » n'est pas un nombre"),
                )
                .ligne(ligne)
                .colonne(colonne)
                .valeur(raw)
                .aide("écrivez un nombre, avec une virgule ou un point décimal (ex. 12,5)"),
            );
            0.0
        }
    }
}

/// E040 for every node whose `territoire` is the `quartier` of no élu·e: a secteur id must be
/// written as in `elus.csv`, or the territorial layer of the matrix cannot be recognised.
pub fn territoires_inconnus(
    fichier: &str,
    org: &Organigramme,
    quartiers: &[String],
) -> Vec<Diagnostic> {
    org.noeuds
        .iter()
        .filter_map(|n| {
            let t = n.territoire.as_deref()?;
            if quartiers.iter().any(|q| q == t) {
                return None;
            }
            Some(
                Diagnostic::fichier(
                    Code::E040,
                    fichier,
                    format!("territoire « {t} » inconnu : aucun·e élu·e n'a ce secteur ou quartier"),
                )
                .ligne(n.ligne)
                .colonne("territoire")
                .valeur(t)
                .aide(if quartiers.is_empty() {
                    "écrivez l'identifiant du secteur tel qu'il figure dans la colonne quartier de elus.csv (aucun·e élu·e n'y a de quartier)".to_string()
                } else {
                    format!("secteurs et quartiers de elus.csv : {}", quartiers.join(", "))
                }),
            )
        })
        .collect()
}

/// Parses and validates `organigramme.csv`.
pub fn parse(src: &Source, axes: &[Axe]) -> Result<Organigramme, Vec<Diagnostic>> {
    parse_avec(src, axes, &mut Vec::new())
}

/// Largest node budget, in euros, below which the budgets look like thousands of euros: the
/// largest node of any organigramme (the DGS, a big direction) costs far more than 10 000 €.
pub const BUDGET_MAX_EN_KEUR: f64 = 10_000.0;
/// Budget per ETP, in euros, below which the budgets look like thousands of euros: a year of
/// one agent's pay alone is about 40 000 €.
pub const BUDGET_PAR_ETP_EN_KEUR: f64 = 1_000.0;

/// Alerte (E057) when the budgets look like thousands of euros (k€) where euros are expected:
/// the largest is under [`BUDGET_MAX_EN_KEUR`], or the nodes with both figures spend under
/// [`BUDGET_PAR_ETP_EN_KEUR`] per ETP. Loading goes on: the shares of budget the analysis
/// shows stay right, but amounts in euros (reports, letters) would be a thousand times too
/// small.
fn budgets_en_milliers(t: &super::table::Table) -> Option<Diagnostic> {
    let h = t.presentes[BUDGET].as_deref()?;
    let mut max = 0.0f64;
    let (mut budget_etp, mut etp) = (0.0f64, 0.0f64);
    for l in &t.lignes {
        let b = parse_nombre(l.get(BUDGET)).unwrap_or(0.0);
        let e = parse_nombre(l.get(EFFECTIF)).unwrap_or(0.0);
        max = max.max(b);
        if b > 0.0 && e > 0.0 {
            budget_etp += b;
            etp += e;
        }
    }
    if max <= 0.0 || !max.is_finite() {
        return None;
    }
    let par_etp = (etp > 0.0).then(|| budget_etp / etp);
    let pourquoi = if max < BUDGET_MAX_EN_KEUR {
        format!(
            "le plus grand budget vaut {} €",
            crate::format::decimal_court(max, 2)
        )
    } else {
        match par_etp {
            Some(r) if r < BUDGET_PAR_ETP_EN_KEUR => format!(
                "les nœuds qui ont un effectif et un budget dépensent {} € par ETP",
                crate::format::decimal_court(r, 2)
            ),
            _ => return None,
        }
    };
    Some(
        Diagnostic::fichier(
            Code::E057,
            &t.fichier,
            format!("les budgets semblent en milliers d'euros (k€) : {pourquoi}"),
        )
        .ligne(1)
        .colonne(h)
        .aide("écrivez les budgets en euros (1 250 000 plutôt que 1 250) ; sinon les montants des rapports seront mille fois trop petits (les parts de budget restent justes)"),
    )
}

/// Warns (E035) when a numeric column is absent, empty or entirely zero: every figure weighted by
/// it (indemnités, balance, proposals) would silently treat all nodes alike.
fn colonne_nulle(t: &super::table::Table, i: usize, quoi: &str) -> Option<Diagnostic> {
    let nom = COLONNES[i].nom;
    let d = match &t.presentes[i] {
        None => Diagnostic::fichier(
            Code::E035,
            &t.fichier,
            format!("pas de colonne « {nom} » : {quoi} valent 0 partout"),
        )
        .colonne(nom),
        Some(h) => {
            if t.lignes
                .iter()
                .any(|l| parse_nombre(l.get(i)).is_some_and(|v| v != 0.0))
            {
                return None;
            }
            Diagnostic::fichier(
                Code::E035,
                &t.fichier,
                format!("colonne vide ou nulle sur toutes les lignes : {quoi} valent 0 partout"),
            )
            .ligne(1)
            .colonne(h)
        }
    };
    Some(d.aide(format!(
        "renseignez la colonne « {nom} » (noms acceptés : {}) ; sinon les calculs qui en dépendent traitent tous les nœuds de la même façon",
        std::iter::once(nom)
            .chain(COLONNES[i].alias.iter().copied())
            .collect::<Vec<_>>()
            .join(", ")
    )))
}

/// [`parse`], also returning the non-blocking warnings (unknown columns, encoding, a staff or
/// budget column empty or entirely zero) in `avertissements`.
pub fn parse_avec(
    src: &Source,
    axes: &[Axe],
    avertissements: &mut Vec<Diagnostic>,
) -> Result<Organigramme, Vec<Diagnostic>> {
    let t = read_table(src, COLONNES)?;
    avertissements.extend(t.avertissements.iter().cloned());
    avertissements.extend(colonne_nulle(&t, EFFECTIF, "les effectifs"));
    avertissements.extend(colonne_nulle(&t, BUDGET, "les budgets"));
    avertissements.extend(budgets_en_milliers(&t));
    let f = t.fichier.as_str();
    let col = |i: usize| {
        t.presentes[i]
            .clone()
            .unwrap_or_else(|| COLONNES[i].nom.to_string())
    };
    let mut diags = Vec::new();

    // Pass 1: ids, uniqueness. Rows with an empty or repeated id are reported and dropped.
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut lignes: Vec<&super::table::Ligne> = Vec::with_capacity(t.lignes.len());
    for l in &t.lignes {
        let id = l.get(ID);
        if id.is_empty() {
            diags.push(
                Diagnostic::fichier(Code::E018, f, "identifiant vide")
                    .ligne(l.numero)
                    .colonne(&col(ID))
                    .aide("chaque nœud doit avoir un identifiant unique"),
            );
            continue;
        }
        valeur_unique(&mut diags, f, l.numero, &col(ID), id);
        if let Some(&first) = index.get(id) {
            let first_line = lignes[first].numero;
            diags.push(
                Diagnostic::fichier(
                    Code::E004,
                    f,
                    format!("identifiant « {id} » en double (déjà à la ligne {first_line})"),
                )
                .ligne(l.numero)
                .colonne(&col(ID))
                .valeur(id)
                .aide("donnez un identifiant unique à chaque nœud"),
            );
            continue;
        }
        index.insert(id.to_string(), lignes.len());
        lignes.push(l);
    }

    // Pass 2: fields and parents.
    let mut noeuds: Vec<Noeud> = Vec::with_capacity(lignes.len());
    let mut responsables: Vec<String> = Vec::with_capacity(lignes.len());
    let mut domaines: Vec<Vec<String>> = Vec::with_capacity(lignes.len());
    let mut racines = Vec::new();
    let mut niveaux_donnes: Vec<Option<Niveau>> = Vec::with_capacity(lignes.len());
    for l in &lignes {
        let id = l.get(ID).to_string();
        let parent_raw = l.get(PARENT);
        let parent = if parent_raw.is_empty() {
            racines.push((noeuds.len(), l.numero));
            None
        } else if !valeur_unique(&mut diags, f, l.numero, &col(PARENT), parent_raw) {
            None
        } else {
            match index.get(parent_raw) {
                Some(&p) => Some(p),
                None => {
                    diags.push(
                        Diagnostic::fichier(Code::E005, f, format!("parent « {parent_raw} » inconnu"))
                            .ligne(l.numero)
                            .colonne(&col(PARENT))
                            .valeur(parent_raw)
                            .aide("le parent doit être l'identifiant d'un autre nœud du fichier (vide seulement pour la racine)"),
                    );
                    None
                }
            }
        };
        let niveau = match l.get(NIVEAU) {
            "" => None,
            raw => match parse_niveau(raw) {
                Some(n) => Some(n),
                None => {
                    diags.push(
                        Diagnostic::fichier(Code::E014, f, format!("niveau « {raw} » inconnu"))
                            .ligne(l.numero)
                            .colonne(&col(NIVEAU))
                            .valeur(raw)
                            .aide("valeurs permises : DGS, DGA, direction, service, unite (ou laissez vide : déduit de la profondeur)"),
                    );
                    None
                }
            },
        };
        niveaux_donnes.push(niveau);
        let entite = match parse_entite(l.get(ENTITE)) {
            Some(e) => e,
            None => {
                diags.push(
                    Diagnostic::fichier(
                        Code::E014,
                        f,
                        format!("entité « {} » inconnue", l.get(ENTITE)),
                    )
                    .ligne(l.numero)
                    .colonne(&col(ENTITE))
                    .valeur(l.get(ENTITE))
                    .aide("valeurs permises : ville, agglo, mutualise, ccas, autre (vide = ville)"),
                );
                Entite::Ville
            }
        };
        let mut node_axes = Vec::new();
        for a in split_liste(l.get(AXES)) {
            match find_axe(axes, &a) {
                Some(id) => {
                    if !node_axes.contains(&id) {
                        node_axes.push(id)
                    }
                }
                None => diags.push(
                    Diagnostic::fichier(Code::E019, f, format!("axe transversal « {a} » inconnu"))
                        .ligne(l.numero)
                        .colonne(&col(AXES))
                        .valeur(&a)
                        .aide(format!(
                            "axes déclarés dans scenario.toml : {}",
                            axes.iter()
                                .map(|a| a.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                ),
            }
        }
        let mut secondaires = Vec::new();
        for s in split_liste(l.get(SECONDAIRES)) {
            match index.get(s.as_str()) {
                Some(&ix) if ix == noeuds.len() => diags.push(
                    Diagnostic::fichier(Code::E009, f, "un nœud ne peut pas être rattaché à lui-même")
                        .ligne(l.numero)
                        .colonne(&col(SECONDAIRES))
                        .valeur(&s)
                        .aide("retirez ce lien"),
                ),
                Some(&ix) => {
                    if !secondaires.contains(&ix) {
                        secondaires.push(ix)
                    }
                }
                None => diags.push(
                    Diagnostic::fichier(Code::E009, f, format!("rattachement secondaire vers un nœud inconnu « {s} »"))
                        .ligne(l.numero)
                        .colonne(&col(SECONDAIRES))
                        .valeur(&s)
                        .aide("donnez l'identifiant d'un nœud du fichier, séparez plusieurs liens par « | »"),
                ),
            }
        }
        let libelle = l.get(LIBELLE);
        if libelle.is_empty() {
            diags.push(
                Diagnostic::fichier(Code::E018, f, "libellé vide")
                    .ligne(l.numero)
                    .colonne(&col(LIBELLE))
                    .aide("donnez le nom du nœud (ex. « Direction de l'éducation »)"),
            );
        }
        let territoire = match l.get(TERRITOIRE) {
            "" => None,
            t => {
                valeur_unique(&mut diags, f, l.numero, &col(TERRITOIRE), t);
                Some(t.to_string())
            }
        };
        let estime = super::elus::oui_non(&mut diags, f, l.numero, &col(ESTIME), l.get(ESTIME))
            == Some(true);
        responsables.push(l.get(RESPONSABLE).to_string());
        domaines.push(lire_domaines(
            &mut diags,
            f,
            l.numero,
            &col(DOMAINE),
            l.get(DOMAINE),
        ));
        noeuds.push(Noeud {
            id,
            libelle: libelle.to_string(),
            territoire,
            estime,
            parent,
            niveau: Niveau::Unite,
            effectif: nombre(
                &mut diags,
                f,
                l.numero,
                &col(EFFECTIF),
                l.get(EFFECTIF),
                MAX_EFFECTIF,
            ),
            budget: nombre(
                &mut diags,
                f,
                l.numero,
                &col(BUDGET),
                l.get(BUDGET),
                MAX_BUDGET,
            ),
            entite,
            axes: node_axes,
            secondaires,
            enfants: Vec::new(),
            profondeur: 0,
            ligne: l.numero,
        });
    }

    // Roots.
    if racines.is_empty() && !noeuds.is_empty() {
        diags.push(
            Diagnostic::fichier(Code::E007, f, "aucune racine : chaque nœud a un parent")
                .aide("la DGS doit avoir une colonne parent vide"),
        );
    }
    if racines.len() > 1 {
        // One identical message per extra root: the collection collapses them into one with
        // the count and the first lines (merged cells leave dozens), instead of repeating the
        // whole list of lines on every line.
        let premiere = racines[0].1;
        for &(_, n) in &racines[1..] {
            diags.push(
                Diagnostic::fichier(
                    Code::E007,
                    f,
                    format!("plusieurs racines : ce nœud a un parent vide, comme celui de la ligne {premiere}"),
                )
                    .ligne(n)
                    .colonne(&col(PARENT))
                    .aide("un seul nœud (la DGS) a un parent vide ; donnez un parent aux autres"),
            );
        }
    }

    // Children, depth and cycles: walk down from the root; a node with a known parent that is
    // never reached sits on (or under) a cycle.
    for i in 0..noeuds.len() {
        if let Some(p) = noeuds[i].parent {
            noeuds[p].enfants.push(i);
        }
    }
    let racine = racines.first().map(|&(ix, _)| ix);
    let mut atteint = vec![false; noeuds.len()];
    if let Some(r) = racine {
        let mut stack = vec![(r, 0usize)];
        while let Some((n, d)) = stack.pop() {
            if atteint[n] {
                continue;
            }
            atteint[n] = true;
            noeuds[n].profondeur = d;
            if d > MAX_DEPTH {
                diags.push(
                    Diagnostic::fichier(
                        Code::E021,
                        f,
                        format!("arbre trop profond (plus de {MAX_DEPTH} niveaux)"),
                    )
                    .ligne(noeuds[n].ligne)
                    .aide("vérifiez la colonne parent : un organigramme réel a 5 à 7 niveaux"),
                );
                break;
            }
            for &c in noeuds[n].enfants.iter().rev() {
                stack.push((c, d + 1));
            }
        }
    }
    let mut signale = vec![false; noeuds.len()];
    for start in 0..noeuds.len() {
        if atteint[start] || signale[start] || noeuds[start].parent.is_none() {
            continue;
        }
        // Follow parents until a repeat (cycle) or a dead end (unknown parent reported above,
        // or a second root).
        let mut chemin = Vec::new();
        let mut cur = Some(start);
        while let Some(c) = cur {
            if let Some(pos) = chemin.iter().position(|&x| x == c) {
                let cycle: Vec<usize> = chemin[pos..].to_vec();
                if cycle.iter().all(|&x| !signale[x]) {
                    let ids = cycle
                        .iter()
                        .map(|&x| noeuds[x].id.clone())
                        .collect::<Vec<_>>();
                    let first = cycle
                        .iter()
                        .copied()
                        .min_by_key(|&x| noeuds[x].ligne)
                        .unwrap_or(c);
                    diags.push(
                        Diagnostic::fichier(Code::E006, f, format!("cycle dans l'arbre : {} → {}", ids.join(" → "), ids[0]))
                            .ligne(noeuds[first].ligne)
                            .colonne(&col(PARENT))
                            .aide("un nœud ne peut pas être son propre ancêtre : corrigez la colonne parent d'un des nœuds du cycle"),
                    );
                }
                break;
            }
            if signale[c] || atteint[c] {
                break;
            }
            chemin.push(c);
            cur = noeuds[c].parent;
        }
        for x in chemin {
            signale[x] = true;
        }
    }

    if !diags.is_empty() {
        return Err(diags);
    }
    for (i, n) in noeuds.iter_mut().enumerate() {
        n.niveau = niveaux_donnes[i].unwrap_or_else(|| Niveau::from_depth(n.profondeur));
    }
    let racine = racine.unwrap_or(0);
    let mut org = Organigramme::new(noeuds, racine);
    org.responsables = responsables
        .into_iter()
        .enumerate()
        .filter(|(_, r)| !r.is_empty())
        .collect();
    org.domaines = domaines
        .into_iter()
        .enumerate()
        .filter(|(_, d)| !d.is_empty())
        .collect();
    Ok(org)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DEFAULT_AXES;

    fn axes() -> Vec<Axe> {
        DEFAULT_AXES
            .iter()
            .map(|(i, l)| Axe {
                id: i.to_string(),
                libelle: l.to_string(),
            })
            .collect()
    }

    fn parse_txt(t: &str) -> Result<Organigramme, Vec<Diagnostic>> {
        parse(&Source::texte("o.csv", t), &axes())
    }

    fn codes(d: &[Diagnostic]) -> Vec<(Code, Option<usize>)> {
        d.iter().map(|d| (d.code, d.ligne)).collect()
    }

    #[test]
    fn budgets_that_look_like_keur_are_an_alerte() {
        let avec = |t: &str| {
            let mut w = Vec::new();
            parse_avec(&Source::texte("o.csv", t), &axes(), &mut w).expect("loads");
            w.into_iter()
                .filter(|d| d.code == Code::E057)
                .map(|d| (d.ligne, d.colonne))
                .collect::<Vec<_>>()
        };
        let h = "id;libelle;parent;effectif;budget\n";
        // The largest budget under 10 000 €.
        assert_eq!(
            avec(&format!("{h}R;DGS;;5;650\nA;Pôle;R;40;1250\n")),
            vec![(Some(1), Some("budget".to_string()))]
        );
        // Large enough, but 100 € per ETP.
        assert_eq!(
            avec(&format!("{h}R;DGS;;500;50000\nA;Pôle;R;40;4000\n")).len(),
            1
        );
        // Euros: no alerte (and none without a budget column).
        assert!(avec(&format!("{h}R;DGS;;5;650000\nA;Pôle;R;40;1250000\n")).is_empty());
        assert!(avec("id;libelle;parent;effectif\nR;DGS;;5\n").is_empty());
    }

    #[test]
    fn valid_tree_with_levels_from_depth() {
        let o = parse_txt("id;libelle;parent;effectif;axes;rattachements_secondaires\nR;DGS;;1\nA;Pôle;R;2,5;Transition écologique\nD;Dir;A;3;democratie|solidarites;\nS;Srv;D;4;;A\n").expect("valid");
        assert_eq!(o.len(), 4);
        assert_eq!(o.noeud(3).niveau, Niveau::Service);
        assert_eq!(o.noeud(1).effectif, 2.5);
        assert_eq!(o.noeud(1).axes, vec!["transition"]);
        assert_eq!(o.noeud(2).axes, vec!["democratie", "solidarites"]);
        assert_eq!(o.noeud(3).secondaires, vec![1]);
        assert_eq!(o.effectif_total(0), 10.5);
    }

    #[test]
    fn duplicate_id_is_e004() {
        let d = parse_txt("id;libelle;parent\nR;DGS;\nA;a;R\nA;b;R\n").expect_err("dup");
        assert_eq!(codes(&d), vec![(Code::E004, Some(4))]);
        assert!(d[0].message.contains("ligne 3"));
    }

    #[test]
    fn unknown_parent_is_e005() {
        let d = parse_txt("id;libelle;parent\nR;DGS;\nA;a;X\n").expect_err("parent");
        assert_eq!(codes(&d), vec![(Code::E005, Some(3))]);
    }

    #[test]
    fn cycle_is_e006_once() {
        let d = parse_txt("id;libelle;parent\nR;DGS;\nA;a;C\nB;b;A\nC;c;B\nD;d;C\n")
            .expect_err("cycle");
        assert_eq!(codes(&d), vec![(Code::E006, Some(3))]);
        assert!(d[0].message.contains("A"));
    }

    #[test]
    fn two_roots_is_e007_and_no_root_too() {
        let d = parse_txt("id;libelle;parent\nR;DGS;\nQ;autre;\n").expect_err("roots");
        assert_eq!(codes(&d), vec![(Code::E007, Some(3))]);
        let d = parse_txt("id;libelle;parent\nA;a;B\nB;b;A\n").expect_err("no root");
        assert!(d.iter().any(|d| d.code == Code::E007));
        assert!(d.iter().any(|d| d.code == Code::E006));
    }

    #[test]
    fn numbers_levels_entities_axes_links() {
        let d = parse_txt("id;libelle;parent;niveau;effectif;budget;entite;axes;rattachements_secondaires\nR;DGS;;DGS\nA;a;R;galaxie;-1;abc;lune;culture;Z\n").expect_err("many");
        let c: Vec<Code> = d.iter().map(|d| d.code).collect();
        for code in [Code::E014, Code::E013, Code::E012, Code::E019, Code::E009] {
            assert!(c.contains(&code), "{code} missing in {c:?}");
        }
        assert!(d.iter().all(|d| d.ligne == Some(3)));
    }

    #[test]
    fn deep_chain_is_accepted_up_to_the_limit() {
        let mut t = String::from("id;libelle;parent\nn0;n0;\n");
        for i in 1..=MAX_DEPTH {
            t.push_str(&format!("n{i};n{i};n{}\n", i - 1));
        }
        assert!(parse_txt(&t).is_ok());
        t.push_str(&format!("n{};x;n{}\n", MAX_DEPTH + 1, MAX_DEPTH));
        t.push_str(&format!("n{};x;n{}\n", MAX_DEPTH + 2, MAX_DEPTH + 1));
        let d = parse_txt(&t).expect_err("too deep");
        assert_eq!(d[0].code, Code::E021);
    }

    #[test]
    fn territory_and_estimate_columns() {
        let o = parse_txt("id;libelle;parent;effectif;territoire;estime\nR;DGS;;1;;\nA;Dir. territoire nord;R;10;nord;oui\nB;Dir. sud;R;5;;non\n").expect("valid");
        assert_eq!(o.noeud(1).territoire.as_deref(), Some("nord"));
        assert!(o.noeud(1).estime && !o.noeud(2).estime);
        assert_eq!(o.effectif_estime(), (10.0, 16.0));
        assert!(o.repose_sur_estimation(0) && !o.repose_sur_estimation(2));
        let d = parse_txt("id;libelle;parent;estime\nR;DGS;;environ\n").expect_err("E039");
        assert_eq!(codes(&d), vec![(Code::E039, Some(2))]);
        let e = territoires_inconnus("o.csv", &o, &["sud".to_string()]);
        assert_eq!(codes(&e), vec![(Code::E040, Some(3))]);
        assert!(territoires_inconnus("o.csv", &o, &["nord".to_string()]).is_empty());
    }
}
