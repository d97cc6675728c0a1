//! The séminaire report: `index.html` (self-contained: inline CSS and SVG, no script), the deck
//! `diaporama.html` to project (self-contained too, its one script inline), the
//! charts as SVG and PNG, the séminaire documents (`lettres/`: a lettre de mission per élu·e, a
//! feuille de route per group, draft arrêtés and the draft délibération fixing the indemnités,
//! in Word and Markdown), the CSV tables and one XLSX
//! workbook.
//!
//! [`rapport`] is a pure function from the pipeline's results to a list of files (name, bytes);
//! the CLI hands them to [`crate::report::ecriture::Sortie`], the one writer. Same inputs, same
//! bytes: rows are sorted, numbers have fixed formats, nothing depends on the clock or the path.

pub mod deliberation;
pub mod diaporama;
mod html;
pub mod indemnites;
pub mod lettres;
pub mod perimetre;
pub mod proposition;
pub mod reorganisation;

use crate::analyse::{Analyse, Famille, Finding, Porteur};
use crate::model::Scenario;
use crate::report::graphiques::{self, Barres, Image, Marque, Matrice};
use crate::report::tableaux::{Cellule, Tableau};
use perimetre::{Perimetre, perimetres};
use std::collections::BTreeMap;

/// Everything the report is made of.
#[derive(Debug, Clone)]
pub struct Entrees<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Its analysis.
    pub analyse: &'a Analyse,
    /// How the scenario is named in the report (its folder name, not a full path).
    pub source: String,
    /// The indemnités allocation, when computed.
    pub indemnites: Option<indemnites::Indemnites<'a>>,
    /// The optimised grouping (`--optimiser`), when computed.
    pub proposition: Option<proposition::Proposition<'a>>,
    /// Why the optimised grouping was asked for but has no plan (the diagnosis of the
    /// conflicting rules, or the solver's failure, in French): the report is written all the
    /// same, with this diagnosis in its « Proposition optimisée » section.
    pub sans_proposition: Option<String>,
    /// The staged reorganisation of the DGA perimeters (`--reorganiser`), or why there is
    /// none: its section, charts and slides.
    pub reorganisation: Option<reorganisation::Reorganisation<'a>>,
}

/// One output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fichier {
    /// Path relative to the output folder.
    pub nom: String,
    /// Content.
    pub octets: Vec<u8>,
}

/// Why the report could not be built.
#[derive(Debug, thiserror::Error)]
pub enum RapportError {
    /// A chart failed.
    #[error(transparent)]
    Graphique(#[from] graphiques::GraphiqueError),
    /// A Word document failed.
    #[error(transparent)]
    Docx(#[from] crate::report::document::DocxError),
    /// The workbook failed.
    #[error("classeur XLSX impossible à produire : {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

/// Short label of a group for chart columns: `G01-education` → `G01`.
pub fn court(groupe: &str) -> String {
    match groupe.split_once('-') {
        Some((a, _)) if !a.is_empty() && a.len() <= 6 => a.to_string(),
        _ => groupe.chars().take(8).collect(),
    }
}

fn porteur_libelle(s: &Scenario, p: &Porteur) -> String {
    match p {
        Porteur::Groupe(g) => g.clone(),
        Porteur::Elu(id) => s
            .find_elu(id)
            .map(|i| format!("{} ({})", s.elus[i].nom_complet(), id))
            .unwrap_or_else(|| id.clone()),
    }
}

/// The charts of the report.
pub fn graphiques(e: &Entrees) -> Result<Vec<Image>, RapportError> {
    let s = e.scenario;
    let m = &e.analyse.metriques;
    let source = format!("collegia, scénario « {} »", s.params.nom);
    let org = &s.organigramme;
    let mut images = Vec::new();

    // Staff load per group.
    let mut charges: Vec<_> = m
        .porteurs
        .iter()
        .filter(|c| matches!(c.porteur, Porteur::Groupe(_)))
        .collect();
    charges.sort_by(|a, b| {
        b.effectif
            .total_cmp(&a.effectif)
            .then_with(|| a.porteur.id().cmp(b.porteur.id()))
    });
    // Staff each group works on en appui (a transversal group's job): the staff of the
    // subtrees of its élu·es' appui délégations that the group does not pilot itself, each node
    // once.
    let attribution = crate::analyse::Attribution::depuis_scenario(s);
    let groupes = s.groupes();
    let appui_du_groupe = |g: &str| -> f64 {
        let Some(membres) = groupes.get(g) else {
            return 0.0;
        };
        let mut noeuds = std::collections::BTreeSet::new();
        for x in s
            .delegations
            .iter()
            .filter(|x| x.role == crate::model::Role::Appui && membres.contains(&x.elu))
        {
            noeuds.extend(org.sous_arbre(x.noeud));
        }
        noeuds
            .into_iter()
            .filter(|&x| {
                !attribution
                    .parts(x)
                    .iter()
                    .any(|(e, _)| membres.contains(e))
            })
            .map(|x| org.noeud(x).effectif)
            .sum()
    };
    let barres = Barres {
        titre: "Effectif piloté et en appui par groupe".into(),
        source: source.clone(),
        unite: "ETP (équivalents temps plein)".into(),
        barres: charges
            .iter()
            .map(|c| (porteur_libelle(s, &c.porteur), c.effectif, None))
            .collect(),
        legende_valeur: "ETP pilotés".into(),
        legende_plafond: String::new(),
        empile: charges
            .iter()
            .map(|c| appui_du_groupe(c.porteur.id()))
            .collect(),
        legende_empile: "ETP en appui (hors ce que le groupe pilote)".into(),
        echelle: None,
    };
    let desc = format!(
        "Barres horizontales : effectif piloté (en bleu) puis effectif suivi en appui (en orange) par chacun des {} groupes, du plus chargé ({}) au moins chargé ; Gini de la charge pilotée entre groupes : {}.",
        charges.len(),
        charges
            .first()
            .map(|c| c.porteur.id().to_string())
            .unwrap_or_default(),
        crate::report::format::nombre(m.gini_groupes, 2)
    );
    images.push(graphiques::rendre(
        &barres,
        "charge-par-groupe",
        "Effectif piloté et en appui par groupe",
        &desc,
    )?);

    // Coverage matrix pôle × porteur, with doubles and orphans marked. Built only for the
    // porteurs and pôles it draws (graphiques::MAX_COLONNES porteurs and MAX_COLONNES_MATRICE pôles, the largest), so that its
    // memory stays bounded whatever the number of groups (never pôles × groups).
    let mut totaux: BTreeMap<&Porteur, f64> = BTreeMap::new();
    let mut totaux_poles: BTreeMap<Option<&String>, f64> = BTreeMap::new();
    for c in &m.matrice {
        *totaux.entry(&c.porteur).or_default() += c.effectif;
        *totaux_poles.entry(c.pole.as_ref()).or_default() += c.effectif;
    }
    let n_porteurs = totaux.len();
    let mut colonnes: Vec<Porteur> = {
        let mut v: Vec<(&Porteur, f64)> = totaux.into_iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        v.truncate(graphiques::MAX_COLONNES - 1);
        v.into_iter().map(|(p, _)| p.clone()).collect()
    };
    colonnes.sort_by(|a, b| {
        (matches!(a, Porteur::Elu(_)), a.id()).cmp(&(matches!(b, Porteur::Elu(_)), b.id()))
    });
    let n_poles = m.poles.len() + usize::from(m.matrice.iter().any(|c| c.pole.is_none()));
    let poles: Vec<Option<String>> = {
        let mut v: Vec<Option<String>> = m.poles.iter().cloned().map(Some).collect();
        if m.matrice.iter().any(|c| c.pole.is_none()) {
            v.push(None);
        }
        if v.len() > graphiques::MAX_COLONNES_MATRICE {
            let total = |p: &Option<String>| totaux_poles.get(&p.as_ref()).copied().unwrap_or(0.0);
            let mut rang: Vec<usize> = (0..v.len()).collect();
            rang.sort_by(|&a, &b| total(&v[b]).total_cmp(&total(&v[a])).then(a.cmp(&b)));
            rang.truncate(graphiques::MAX_COLONNES_MATRICE);
            rang.sort_unstable();
            v = rang.into_iter().map(|i| v[i].clone()).collect();
        }
        v
    };
    let mut valeurs = vec![vec![0.0; colonnes.len() + 1]; poles.len()];
    let mut marques = vec![vec![Marque::Aucune; colonnes.len() + 1]; poles.len()];
    for c in &m.matrice {
        if let (Some(r), Some(k)) = (
            poles.iter().position(|p| *p == c.pole),
            colonnes.iter().position(|p| *p == c.porteur),
        ) {
            valeurs[r][k] += c.effectif;
        }
    }
    let pole_de = |id: &str| -> Option<String> {
        org.find(id)
            .and_then(|n| org.dga_de(n))
            .map(|d| org.noeud(d).id.clone())
    };
    for f in &e.analyse.constats {
        match f.code.as_str() {
            // Doubles rattachements (D001) only: the legend says « double rattachement » and the
            // description counts them, as every other output does.
            "D001" => {
                for n in &f.sujets.noeuds {
                    let r = poles.iter().position(|p| *p == pole_de(n));
                    for g in &f.sujets.groupes {
                        let k = colonnes.iter().position(|p| p.id() == g);
                        if let (Some(r), Some(k)) = (r, k) {
                            marques[r][k] = Marque::Double;
                        }
                    }
                }
            }
            "D003" => {
                for n in &f.sujets.noeuds {
                    if let Some(r) = poles.iter().position(|p| *p == pole_de(n)) {
                        valeurs[r][colonnes.len()] += f.effectif.unwrap_or(0.0);
                        marques[r][colonnes.len()] = Marque::Orphelin;
                    }
                }
            }
            _ => {}
        }
    }
    // Drawn porteurs as rows (named: « G01-education », « Nom Prénom (E22) ») and pôles as
    // columns: a council has many more groups than pôles, so the map stays narrow enough to be
    // read on a projector; the pôles' labels are written under it.
    let mut lignes: Vec<String> = colonnes.iter().map(|p| porteur_libelle(s, p)).collect();
    lignes.push("aucun porteur (orphelins)".into());
    let cols: Vec<String> = poles
        .iter()
        .map(|p| p.clone().unwrap_or_else(|| "DGS".into()))
        .collect();
    let mut notes: Vec<String> = poles
        .iter()
        .map(|p| match p {
            Some(id) => org
                .find(id)
                .map(|n| format!("{id} : {}", org.noeud(n).libelle))
                .unwrap_or_else(|| id.clone()),
            None => "DGS : hors pôle (services rattachés à la direction générale)".into(),
        })
        .collect();
    notes.push("valeurs : ETP pilotés par le porteur dans le pôle".into());
    fn transposer<T: Copy>(m: &[Vec<T>], n: usize) -> Vec<Vec<T>> {
        (0..n)
            .map(|k| m.iter().filter_map(|l| l.get(k).copied()).collect())
            .collect()
    }
    let valeurs = transposer(&valeurs, colonnes.len() + 1);
    let marques = transposer(&marques, colonnes.len() + 1);
    let n_doubles = e
        .analyse
        .constats
        .iter()
        .filter(|f| f.code == "D001")
        .count();
    let n_orph = e
        .analyse
        .constats
        .iter()
        .filter(|f| f.code == "D003")
        .count();
    let matrice = Matrice {
        titre: "Qui pilote quoi : effectif par pôle et par groupe".into(),
        source: source.clone(),
        lignes,
        colonnes: cols,
        valeurs,
        marques,
        notes,
        echelle: None,
    };
    let coupe = if colonnes.len() < n_porteurs || poles.len() < n_poles {
        format!(
            " Seuls les {} groupes et les {} pôles qui pilotent le plus d'effectif sont dessinés (sur {} et {}) ; le tableau « Couverture : effectif et budget pilotés par pôle et par porteur » les donne tous.",
            colonnes.len(),
            poles.len(),
            n_porteurs,
            n_poles
        )
    } else {
        String::new()
    };
    let desc = format!(
        "Matrice des groupes (lignes) et des pôles (colonnes) : chaque case donne l'effectif piloté ; {n_doubles} double(s) rattachement(s) encadré(s) en rouge, {n_orph} service(s) orphelin(s) dans la ligne « aucun porteur », encadrés en orange.{coupe}"
    );
    images.push(graphiques::rendre(
        &matrice,
        "couverture-poles-groupes",
        "Qui pilote quoi : effectif par pôle et par groupe",
        &desc,
    )?);
    Ok(images)
}

fn sujets(f: &Finding) -> String {
    let mut v = Vec::new();
    v.extend(f.sujets.noeuds.iter().cloned());
    v.extend(f.sujets.elus.iter().cloned());
    v.extend(f.sujets.groupes.iter().cloned());
    v.join(" ")
}

/// The tables of the report (also written as CSV and as sheets of the workbook).
pub fn tableaux(e: &Entrees, perimetres: &[Perimetre]) -> Vec<Tableau> {
    let s = e.scenario;
    let org = &s.organigramme;
    let constats = Tableau {
        nom: "constats".into(),
        titre: "Constats".into(),
        colonnes: [
            "code",
            "gravité",
            "famille",
            "message",
            "sujets",
            "règle",
            "suggestion",
            "ETP concernés",
        ]
        .map(String::from)
        .to_vec(),
        lignes: e
            .analyse
            .constats
            .iter()
            .map(|f| {
                vec![
                    Cellule::t(&f.code),
                    Cellule::t(f.gravite.libelle()),
                    Cellule::t(match f.famille {
                        Famille::Rattachements => "rattachements",
                        Famille::Couverture => "couverture",
                        Famille::Silos => "silos",
                        Famille::Groupes => "groupes",
                        Famille::Equilibre => "équilibre",
                        Famille::Legal => "légal",
                    }),
                    Cellule::t(&f.message),
                    Cellule::t(sujets(f)),
                    Cellule::t(&f.regle),
                    Cellule::t(&f.suggestion),
                    f.effectif
                        .map(|v| Cellule::Nombre(v, 1))
                        .unwrap_or(Cellule::Vide),
                ]
            })
            .collect(),
    };
    let mut couverture = Tableau {
        nom: "couverture".into(),
        titre: "Couverture : effectif et budget pilotés par pôle et par porteur".into(),
        colonnes: [
            "pôle",
            "libellé du pôle",
            "porteur",
            "ETP pilotés",
            "budget piloté",
        ]
        .map(String::from)
        .to_vec(),
        lignes: Vec::new(),
    };
    let mut cellules: Vec<_> = e.analyse.metriques.matrice.iter().collect();
    cellules.sort_by(|a, b| {
        (a.pole.as_deref().unwrap_or(""), a.porteur.id())
            .cmp(&(b.pole.as_deref().unwrap_or(""), b.porteur.id()))
    });
    for c in cellules {
        couverture.lignes.push(vec![
            Cellule::t(c.pole.clone().unwrap_or_else(|| "DGS".into())),
            Cellule::t(
                c.pole
                    .as_deref()
                    .and_then(|p| org.find(p))
                    .map(|n| org.noeud(n).libelle.clone())
                    .unwrap_or_else(|| "hors pôle".into()),
            ),
            Cellule::t(porteur_libelle(s, &c.porteur)),
            Cellule::Nombre(c.effectif, 1),
            Cellule::Euros(c.budget),
        ]);
    }
    let groupes = Tableau {
        nom: "groupes".into(),
        titre: "Groupes et périmètres".into(),
        colonnes: [
            "groupe",
            "membres",
            "nœuds pilotés",
            "pôles",
            "ETP pilotés",
            "budget piloté",
        ]
        .map(String::from)
        .to_vec(),
        lignes: perimetres
            .iter()
            .map(|p| {
                vec![
                    Cellule::t(&p.groupe),
                    Cellule::t(
                        p.membres
                            .iter()
                            .map(|&i| s.elus[i].nom_complet())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                    Cellule::t(
                        p.noeuds
                            .iter()
                            .map(|n| org.noeud(n.noeud).id.clone())
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    Cellule::t(
                        p.poles
                            .iter()
                            .map(|&d| org.noeud(d).id.clone())
                            .collect::<Vec<_>>()
                            .join(" "),
                    ),
                    Cellule::Nombre(p.effectif(), 1),
                    Cellule::Euros(p.budget()),
                ]
            })
            .collect(),
    };
    let elus = Tableau {
        nom: "responsabilites".into(),
        titre: "Responsabilités par élu·e".into(),
        colonnes: [
            "id",
            "élu·e",
            "fonction",
            "groupe",
            "ETP pilotés",
            "budget piloté",
            "ETP en appui",
            "services",
            "axe",
            "quartier",
        ]
        .map(String::from)
        .to_vec(),
        lignes: e
            .analyse
            .metriques
            .elus
            .iter()
            .map(|r| {
                vec![
                    Cellule::t(&r.id),
                    Cellule::t(&r.nom),
                    Cellule::t(r.fonction.libelle()),
                    Cellule::opt(r.groupe.clone()),
                    Cellule::Nombre(r.effectif_pilote, 1),
                    Cellule::Euros(r.budget_pilote),
                    Cellule::Nombre(r.effectif_appui, 1),
                    Cellule::Nombre(r.services as f64, 0),
                    Cellule::opt(r.axe.as_deref().map(|a| s.libelle_axe(a).to_string())),
                    Cellule::opt(r.quartier.clone()),
                ]
            })
            .collect(),
    };
    vec![constats, groupes, couverture, elus]
}

/// The séminaire documents, each as Markdown and Word, in `lettres/`: a lettre de mission per
/// élu·e with a délégation, a feuille de route per group, a draft arrêté per adjoint·e and
/// conseiller·e délégué·e.
pub fn documents(e: &Entrees, perimetres: &[Perimetre]) -> Result<Vec<Fichier>, RapportError> {
    use crate::report::document::{docx, markdown};
    let s = e.scenario;
    let attribution = crate::analyse::Attribution::depuis_scenario(s);
    let mut docs = Vec::new();
    for &i in &lettres::elus_avec_lettre(s) {
        let nom = lettres::nom_elu(&s.elus[i]);
        docs.push((
            format!("lettre-{nom}"),
            lettres::lettre_elu(
                s,
                e.analyse,
                &attribution,
                perimetres,
                i,
                e.indemnites.as_ref().map(|x| x.allocation),
            ),
        ));
        if let Some(a) = lettres::arrete(s, i) {
            docs.push((format!("projet-arrete-{nom}"), a));
        }
    }
    // The draft délibération fixing the indemnités, beside the arrêtés (issue 27 item 8).
    if let Some(i) = &e.indemnites {
        docs.push((
            "projet-deliberation-indemnites".to_string(),
            deliberation::deliberation(s, i.allocation),
        ));
    }
    for p in perimetres {
        docs.push((
            format!(
                "feuille-de-route-{}",
                crate::format::nom_de_fichier(&p.groupe)
            ),
            lettres::feuille_de_route(s, p),
        ));
    }
    let mut fichiers = Vec::new();
    for (nom, d) in docs {
        fichiers.push(Fichier {
            nom: format!("lettres/{nom}.md"),
            octets: markdown(&d).into_bytes(),
        });
        fichiers.push(Fichier {
            nom: format!("lettres/{nom}.docx"),
            octets: docx(&d)?,
        });
    }
    Ok(fichiers)
}

/// Builds every file of the report.
pub fn rapport(e: &Entrees) -> Result<Vec<Fichier>, RapportError> {
    rapport_avec_entrees(e, &[])
}

/// [`rapport`], with the scenario's input sheets ([`crate::ingest::classeur::feuilles_entree`])
/// first in `collegia.xlsx`, so that the workbook is also a scenario every command reads.
pub fn rapport_avec_entrees(
    e: &Entrees,
    entrees: &[crate::ingest::classeur::Feuille],
) -> Result<Vec<Fichier>, RapportError> {
    let perimetres = perimetres(e.scenario, e.analyse);
    let mut images = graphiques(e)?;
    let mut tableaux = tableaux(e, &perimetres);
    if let Some(i) = &e.indemnites {
        let source = format!(
            "collegia, scénario « {} » ; CGCT L2123-20 à L2123-24-1",
            e.scenario.params.nom
        );
        images.extend(indemnites::graphiques(i, &source)?);
        tableaux.extend(indemnites::tableaux(i, e.scenario));
    }
    if let Some(p) = &e.proposition {
        tableaux.extend(proposition::tableaux(p));
        if let Some(points) = p.front.filter(|x| !x.is_empty()) {
            images.push(crate::report::optimisation::graphique_front(
                e.scenario, points,
            )?);
        }
    }
    if let Some(reorganisation::Reorganisation::Plan { donnees, resultat }) = &e.reorganisation {
        images.extend(reorganisation::graphiques(e.scenario, donnees, resultat)?);
    }
    let mut fichiers = Vec::new();
    fichiers.push(Fichier {
        nom: "index.html".into(),
        octets: html::page(e, &perimetres, &images, &tableaux).into_bytes(),
    });
    fichiers.push(Fichier {
        nom: "diaporama.html".into(),
        octets: diaporama::page(e, &images, &tableaux).into_bytes(),
    });
    // The plan's charts are written in `reorganisation/` with the plan (by the caller).
    for i in images
        .iter()
        .filter(|i| !i.nom.starts_with("reorganisation-"))
    {
        fichiers.push(Fichier {
            nom: format!("graphiques/{}.svg", i.nom),
            octets: i.svg.clone().into_bytes(),
        });
        fichiers.push(Fichier {
            nom: format!("graphiques/{}.png", i.nom),
            octets: i.png.clone(),
        });
    }
    fichiers.extend(documents(e, &perimetres)?);
    for t in &tableaux {
        fichiers.push(Fichier {
            nom: format!("tableaux/{}.csv", t.nom),
            octets: t.csv(),
        });
    }
    // The user guide, so that each finding's link to its entry works offline.
    for (nom, octets) in crate::guide::fichiers() {
        fichiers.push(Fichier { nom, octets });
    }
    fichiers.push(Fichier {
        nom: "collegia.xlsx".into(),
        octets: crate::report::tableaux::xlsx_avec_entrees(entrees, &tableaux)?,
    });
    if let Some(p) = &e.proposition {
        for (nom, octets) in crate::report::optimisation::fichiers_proposition(
            p.scenario,
            p.donnees,
            &p.resultat.plan,
            p.base,
        ) {
            fichiers.push(Fichier {
                nom: format!("proposition/{nom}"),
                octets,
            });
        }
    }
    Ok(fichiers)
}
