//! Synthetic scenarios for benchmarks and property tests (`collegia generer`).
//!
//! A named size (petite, annecy, lyon, paris) and a seed give a complete, valid scenario folder:
//! a realistic tree (DGS → DGA → directions → services → unités) with staff and budgets, a council
//! of the legal size, groups led by adjoint·es, and délégations with a controlled rate of doubles
//! rattachements, orphan directions and groups spread over several DGA. The generator uses
//! ChaCha8, whose output is specified and portable, so a seed gives the same files on every
//! machine and every version of `rand`.

use crate::csv_francais::nombre_court as nombre_csv;
use crate::law::{effectif_legal, max_adjoints};
use crate::model::{DEFAULT_AXES, Delegation, Elu, Fonction, Liste, Role, Sexe};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write;

/// Named sizes of synthetic cities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Taille {
    /// About 10 000 inhabitants.
    Petite,
    /// About 130 000 inhabitants (the size of the bundled example).
    Annecy,
    /// About 520 000 inhabitants.
    Lyon,
    /// About 2 100 000 inhabitants, ≈ 1 000 nodes, 163 élu·es, 40 groups.
    Paris,
}

/// Shape parameters of a size.
#[derive(Debug, Clone, Copy)]
pub struct Gabarit {
    /// Population (totale and municipale).
    pub population: u32,
    /// Number of DGA.
    pub dga: usize,
    /// Directions per DGA (min, max).
    pub directions: (usize, usize),
    /// Services per direction (min, max).
    pub services: (usize, usize),
    /// Probability that a service has 1–3 unités.
    pub p_unites: f64,
    /// Council size (None = the law's, L2121-2).
    pub conseil: Option<u32>,
    /// Number of groups (each led by one adjoint·e).
    pub groupes: usize,
    /// Share of directions given to a group from another DGA (spread).
    pub taux_dispersion: f64,
    /// Share of directions left without pilote (orphans).
    pub taux_orphelins: f64,
    /// Share of services also piloted by another group's member (doubles).
    pub taux_doubles: f64,
}

impl Taille {
    /// The shape of this size.
    pub fn gabarit(self) -> Gabarit {
        match self {
            Taille::Petite => Gabarit {
                population: 10_480,
                dga: 3,
                directions: (2, 3),
                services: (2, 4),
                p_unites: 0.0,
                conseil: None,
                groupes: 6,
                taux_dispersion: 0.08,
                taux_orphelins: 0.05,
                taux_doubles: 0.04,
            },
            Taille::Annecy => Gabarit {
                population: 131_280,
                dga: 7,
                directions: (4, 6),
                services: (3, 5),
                p_unites: 0.05,
                conseil: None,
                groupes: 16,
                taux_dispersion: 0.08,
                taux_orphelins: 0.03,
                taux_doubles: 0.03,
            },
            Taille::Lyon => Gabarit {
                population: 522_250,
                dga: 10,
                directions: (5, 7),
                services: (5, 7),
                p_unites: 0.08,
                conseil: Some(73),
                groupes: 21,
                taux_dispersion: 0.08,
                taux_orphelins: 0.03,
                taux_doubles: 0.03,
            },
            Taille::Paris => Gabarit {
                population: 2_103_778,
                dga: 14,
                directions: (6, 8),
                services: (7, 10),
                p_unites: 0.05,
                conseil: Some(163),
                groupes: 40,
                taux_dispersion: 0.08,
                taux_orphelins: 0.02,
                taux_doubles: 0.02,
            },
        }
    }

    /// Name as written on the command line.
    pub fn code(self) -> &'static str {
        match self {
            Taille::Petite => "petite",
            Taille::Annecy => "annecy",
            Taille::Lyon => "lyon",
            Taille::Paris => "paris",
        }
    }
}

/// The four files of a generated scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fichiers {
    /// `scenario.toml`.
    pub scenario_toml: String,
    /// `organigramme.csv`.
    pub organigramme: Vec<u8>,
    /// `elus.csv`.
    pub elus: Vec<u8>,
    /// `delegations.csv`.
    pub delegations: Vec<u8>,
}

impl Fichiers {
    /// (file name, bytes) pairs, in a fixed order.
    pub fn liste(&self) -> [(&'static str, &[u8]); 4] {
        [
            ("scenario.toml", self.scenario_toml.as_bytes()),
            ("organigramme.csv", &self.organigramme),
            ("elus.csv", &self.elus),
            ("delegations.csv", &self.delegations),
        ]
    }
}

const DOMAINES: [&str; 35] = [
    "Action sociale",
    "Affaires civiles et juridiques",
    "Affaires économiques",
    "Affaires scolaires",
    "Agriculture urbaine",
    "Anciens combattants",
    "Restauration scolaire",
    "Commerce",
    "Cimetières",
    "Coopération internationale",
    "Culture",
    "Eau et assainissement",
    "Économie sociale et solidaire",
    "Égalité femmes-hommes",
    "Emploi",
    "Environnement",
    "Finances",
    "Handicap",
    "Jeunesse",
    "Logement",
    "Ressources humaines",
    "Lutte contre les discriminations",
    "Personnes âgées",
    "Petite enfance",
    "Propreté",
    "Santé",
    "Tranquillité publique",
    "Sport",
    "Tourisme",
    "Déchets",
    "Mobilités",
    "Bâtiments",
    "Urbanisme",
    "Vie associative",
    "Voirie",
];
const POLES: [&str; 14] = [
    "Ressources",
    "Éducation et jeunesse",
    "Solidarités",
    "Culture et sport",
    "Aménagement",
    "Espaces publics",
    "Citoyenneté",
    "Transition écologique",
    "Développement économique",
    "Proximité",
    "Santé publique",
    "Patrimoine",
    "Numérique",
    "Sécurité civile",
];
const PRENOMS_F: [&str; 12] = [
    "Claire", "Nadia", "Sophie", "Amina", "Julie", "Léa", "Fatou", "Camille", "Inès", "Hélène",
    "Maëlle", "Zoé",
];
const PRENOMS_M: [&str; 12] = [
    "Julien", "Karim", "Thomas", "Mamadou", "Hugo", "Éric", "Yann", "Bruno", "Samir", "Louis",
    "Théo", "Jérôme",
];
const NOMS: [&str; 16] = [
    "Martin",
    "Bernard",
    "Diallo",
    "Nguyen",
    "Petit",
    "Moreau",
    "Benali",
    "Lefèvre",
    "Garnier",
    "Rousseau",
    "Fabre",
    "Meyer",
    "Traoré",
    "Leroy",
    "Da Silva",
    "Chevalier",
];

struct Noeud {
    id: String,
    libelle: String,
    parent: Option<usize>,
    niveau: &'static str,
    effectif: f64,
    budget: f64,
    entite: &'static str,
    axes: Vec<&'static str>,
    dga: usize,
}

fn arrondi(v: f64, pas: f64) -> f64 {
    (v / pas).round() * pas
}

/// Invented commune names for generated cities, so that their letters and arrêtés are signed
/// like a real city's; a generated city is never mistaken for real data by its name alone (its
/// `nom` says « Ville synthétique »).
const COMMUNES: [&str; 8] = [
    "Belleroche-sur-Lys",
    "Valdoré-les-Prés",
    "Montclairet",
    "Saint-Aubin-des-Vergers",
    "Roquebelle-en-Val",
    "Fontclaire",
    "Beaurivage-sur-Orne",
    "Lavandière-la-Forêt",
];

/// Generates the files of a synthetic scenario. Same size and seed → same bytes.
pub fn generer(taille: Taille, graine: u64) -> Fichiers {
    generer_partage(taille, graine, 0.0)
}

/// Realistic share of directions split between groups (`collegia generer --partage`'s default):
/// real délégations often pilot at service level, a direction's services going to two groups.
pub const PARTAGE_REALISTE: f64 = 0.3;

/// [`generer`] with a share `partage` (0–1) of the piloted directions **split between groups**:
/// such a direction has no team of its own (its staff is in its services) and each of its
/// services goes, with even odds, to the direction's group or to another thematic group, as
/// pilote délégations on the services. The split draws from a stream of its own, so that
/// `partage = 0` gives exactly [`generer`]'s files.
pub fn generer_partage(taille: Taille, graine: u64, partage: f64) -> Fichiers {
    generer_intrusions(taille, graine, partage, 0)
}

/// [`generer_partage`] with `intrusions` thematic adjoint·es (at most one per thematic group)
/// each also piloting **one service inside another group's direction** (a direction that
/// group's adjoint·e pilots): the classic double rattachement (D001), so that tests and the
/// benchmark check that the optimiser repairs it without moving the direction. Which adjoint·es
/// and which services draw from a stream of their own: `intrusions = 0` gives exactly
/// [`generer_partage`]'s files, and the same seed the same intrusions.
pub fn generer_intrusions(
    taille: Taille,
    graine: u64,
    partage: f64,
    intrusions: usize,
) -> Fichiers {
    let partage = if partage.is_finite() {
        partage.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let g = taille.gabarit();
    let mut rng = ChaCha8Rng::seed_from_u64(graine);

    // Organigramme.
    let mut noeuds: Vec<Noeud> = vec![Noeud {
        id: "DGS".into(),
        libelle: "Direction générale des services".into(),
        parent: None,
        niveau: "DGS",
        effectif: 12.0,
        budget: 1_500_000.0,
        entite: "ville",
        axes: vec![],
        dga: 0,
    }];
    let mut directions: Vec<usize> = Vec::new();
    let mut services: Vec<usize> = Vec::new();
    for d in 0..g.dga {
        let pole = POLES[d % POLES.len()];
        let dga_ix = noeuds.len();
        noeuds.push(Noeud {
            id: format!("DGA{:02}", d + 1),
            libelle: format!(
                "Pôle {}{}",
                pole.to_lowercase(),
                if d >= POLES.len() {
                    format!(" {}", d / POLES.len() + 1)
                } else {
                    String::new()
                }
            ),
            parent: Some(0),
            niveau: "DGA",
            effectif: 3.0,
            budget: 250_000.0,
            entite: "ville",
            axes: vec![],
            dga: d,
        });
        let nd = rng.random_range(g.directions.0..=g.directions.1);
        for k in 0..nd {
            let dom = DOMAINES[(d * 7 + k * 3 + rng.random_range(0..3)) % DOMAINES.len()];
            let dir_ix = noeuds.len();
            let mut axes = Vec::new();
            if rng.random_bool(0.3) {
                axes.push(DEFAULT_AXES[rng.random_range(0..4)].0);
            }
            let entite = match rng.random_range(0..20) {
                0..=2 => "mutualise",
                3 => "agglo",
                4 => "ccas",
                _ => "ville",
            };
            noeuds.push(Noeud {
                id: format!("D{:02}-{:02}", d + 1, k + 1),
                libelle: format!("Direction {} ({})", dom.to_lowercase(), k + 1),
                parent: Some(dga_ix),
                niveau: "direction",
                effectif: f64::from(rng.random_range(2..6u32)),
                budget: arrondi(rng.random_range(150_000.0..600_000.0), 1000.0),
                entite,
                axes,
                dga: d,
            });
            directions.push(dir_ix);
            let ns = rng.random_range(g.services.0..=g.services.1);
            for s in 0..ns {
                let srv_ix = noeuds.len();
                let effectif = arrondi(rng.random_range(3.0f64..12.0).powf(1.6), 0.5);
                noeuds.push(Noeud {
                    id: format!("S{:02}-{:02}-{:02}", d + 1, k + 1, s + 1),
                    libelle: format!("Service {} {}", dom.to_lowercase(), s + 1),
                    parent: Some(dir_ix),
                    niveau: "service",
                    effectif,
                    budget: arrondi(effectif * rng.random_range(45_000.0..95_000.0), 1000.0),
                    entite,
                    axes: if rng.random_bool(0.1) {
                        vec![DEFAULT_AXES[rng.random_range(0..4)].0]
                    } else {
                        vec![]
                    },
                    dga: d,
                });
                services.push(srv_ix);
                if rng.random_bool(g.p_unites) {
                    for u in 0..rng.random_range(1..=3) {
                        let e = arrondi(rng.random_range(2.0..15.0), 0.5);
                        noeuds.push(Noeud {
                            id: format!("U{:02}-{:02}-{:02}-{}", d + 1, k + 1, s + 1, u + 1),
                            libelle: format!("Unité {} {}", dom.to_lowercase(), u + 1),
                            parent: Some(srv_ix),
                            niveau: "unite",
                            effectif: e,
                            budget: arrondi(e * 50_000.0, 1000.0),
                            entite,
                            axes: vec![],
                            dga: d,
                        });
                    }
                }
            }
        }
    }

    // Council.
    let conseil = g.conseil.unwrap_or_else(|| effectif_legal(g.population)) as usize;
    let n_adjoints = g.groupes.min(max_adjoints(conseil as u32) as usize);
    let n_groupes = n_adjoints;
    let n_transversaux = 4.min(n_groupes / 3);
    let opposition = conseil / 4;
    let mut elus: Vec<Elu> = Vec::with_capacity(conseil);
    let nouvel = |fonction: Fonction,
                  sexe: Sexe,
                  rang: Option<u32>,
                  groupe: Option<String>,
                  liste: Liste,
                  rng: &mut ChaCha8Rng,
                  n: usize| {
        let prenom = match sexe {
            Sexe::F => PRENOMS_F[rng.random_range(0..PRENOMS_F.len())],
            Sexe::M => PRENOMS_M[rng.random_range(0..PRENOMS_M.len())],
        };
        Elu {
            id: format!("E{:03}", n + 1),
            nom: format!("{}-{}", NOMS[rng.random_range(0..NOMS.len())], n + 1),
            prenom: prenom.into(),
            sexe,
            fonction,
            rang,
            groupe,
            liste,
            composante: (liste == Liste::Majorite)
                .then(|| ["Écologistes", "Socialistes", "Citoyen·nes"][n % 3].to_string()),
            quartier: None,
            commune_deleguee: None,
            axe: None,
            taux_actuel: None,
            autres_indemnites_eur: None,
            taux_actuel_eur: None,
            chef_de_file: None,
            cessation_activite: None,
            ligne: n + 2,
        }
    };
    elus.push(nouvel(
        Fonction::Maire,
        Sexe::F,
        None,
        None,
        Liste::Majorite,
        &mut rng,
        0,
    ));
    let groupe_id = |k: usize| format!("G{:02}", k + 1);
    for k in 0..n_adjoints {
        let sexe = if k % 2 == 0 { Sexe::M } else { Sexe::F };
        let n = elus.len();
        let mut e = nouvel(
            Fonction::Adjoint,
            sexe,
            Some(k as u32 + 1),
            Some(groupe_id(k)),
            Liste::Majorite,
            &mut rng,
            n,
        );
        if k >= n_groupes - n_transversaux {
            e.axe = Some(DEFAULT_AXES[k - (n_groupes - n_transversaux)].0.to_string());
        }
        elus.push(e);
    }
    let majorite = conseil - opposition;
    let n_cd = (majorite - 1 - n_adjoints).saturating_sub(2);
    for k in 0..(majorite - 1 - n_adjoints) {
        let sexe = if k % 2 == 0 { Sexe::F } else { Sexe::M };
        let n = elus.len();
        let (f, grp) = if k < n_cd {
            (Fonction::ConseillerDelegue, Some(groupe_id(k % n_groupes)))
        } else {
            (Fonction::Conseiller, None)
        };
        elus.push(nouvel(f, sexe, None, grp, Liste::Majorite, &mut rng, n));
    }
    for k in 0..opposition {
        let sexe = if k % 2 == 0 { Sexe::M } else { Sexe::F };
        let n = elus.len();
        elus.push(nouvel(
            Fonction::Conseiller,
            sexe,
            None,
            None,
            Liste::Opposition,
            &mut rng,
            n,
        ));
    }
    // Group members: index 0 is the adjoint·e (elu index k+1), then CDs.
    let mut membres: Vec<Vec<usize>> = (0..n_groupes).map(|k| vec![k + 1]).collect();
    for (i, e) in elus.iter().enumerate() {
        if e.fonction == Fonction::ConseillerDelegue
            && let Some(k) = e
                .groupe
                .as_deref()
                .and_then(|g| g[1..].parse::<usize>().ok())
        {
            membres[k - 1].push(i);
        }
    }

    // Délégations: thematic groups take the directions of their home DGA, round-robin; some
    // directions go to a group of another DGA (spread) or to nobody (orphans).
    let thematiques = n_groupes - n_transversaux;
    let mut delegations: Vec<Delegation> = Vec::new();
    let mut par_dga: Vec<Vec<usize>> = vec![Vec::new(); g.dga];
    for k in 0..thematiques {
        par_dga[k % g.dga].push(k);
    }
    let mut tour = vec![0usize; g.dga];
    let mut pilote_de: Vec<Option<usize>> = vec![None; noeuds.len()];
    for &dir in &directions {
        let d = noeuds[dir].dga;
        let grp = if par_dga[d].is_empty() || rng.random_bool(g.taux_dispersion) {
            rng.random_range(0..thematiques)
        } else {
            let c = par_dga[d][tour[d] % par_dga[d].len()];
            tour[d] += 1;
            c
        };
        if rng.random_bool(g.taux_orphelins) {
            continue;
        }
        pilote_de[dir] = Some(grp);
        delegations.push(Delegation {
            elu: membres[grp][0],
            noeud: dir,
            role: Role::Pilote,
            libelle: noeuds[dir].libelle.replace("Direction", "Délégation"),
            ligne: 0,
            domaines: Vec::new(),
        });
    }
    // Split directions (`partage`): the direction's pilote délégation becomes pilote délégations
    // on its services, each to the direction's group or another thematic group.
    if partage > 0.0 && thematiques > 1 {
        let mut rng_partage = ChaCha8Rng::seed_from_u64(graine ^ 0x0070_6172_7461_6765);
        for &dir in &directions {
            let Some(grp) = pilote_de[dir] else { continue };
            if !rng_partage.random_bool(partage) {
                continue;
            }
            let sous: Vec<usize> = services
                .iter()
                .copied()
                .filter(|&s| noeuds[s].parent == Some(dir))
                .collect();
            if sous.len() < 2 {
                continue;
            }
            noeuds[dir].effectif = 0.0;
            noeuds[dir].budget = 0.0;
            delegations.retain(|x| !(x.noeud == dir && x.elu == membres[grp][0]));
            for s in sous {
                let autre = (grp + 1 + rng_partage.random_range(0..thematiques - 1)) % thematiques;
                let k = if rng_partage.random_bool(0.5) {
                    grp
                } else {
                    autre
                };
                delegations.push(Delegation {
                    elu: membres[k][0],
                    noeud: s,
                    role: Role::Pilote,
                    libelle: noeuds[s].libelle.clone(),
                    ligne: 0,
                    domaines: Vec::new(),
                });
            }
        }
    }
    // Conseiller·es délégué·es pilot one service of their group, or (rarely) of another group.
    for (k, m) in membres.iter().enumerate().take(thematiques) {
        for &cd in &m[1..] {
            let own: Vec<usize> = services
                .iter()
                .copied()
                .filter(|&s| noeuds[s].parent.and_then(|p| pilote_de[p]) == Some(k))
                .collect();
            let pick = if !own.is_empty() && !rng.random_bool(g.taux_doubles * 5.0) {
                own[rng.random_range(0..own.len())]
            } else {
                services[rng.random_range(0..services.len())]
            };
            delegations.push(Delegation {
                elu: cd,
                noeud: pick,
                role: Role::Pilote,
                libelle: noeuds[pick].libelle.clone(),
                ligne: 0,
                domaines: Vec::new(),
            });
        }
    }
    // Transversal groups: the adjoint·e supports directions tagged with the axis; their CD
    // supports one more.
    for k in thematiques..n_groupes {
        let axe = DEFAULT_AXES[k - thematiques].0;
        let tagged: Vec<usize> = directions
            .iter()
            .copied()
            .filter(|&d| noeuds[d].axes.contains(&axe))
            .collect();
        for &d in tagged.iter().take(6) {
            delegations.push(Delegation {
                elu: membres[k][0],
                noeud: d,
                role: Role::Appui,
                libelle: format!("Axe {}", DEFAULT_AXES[k - thematiques].1.to_lowercase()),
                ligne: 0,
                domaines: Vec::new(),
            });
        }
        for &cd in &membres[k][1..] {
            if let Some(&d) = tagged.get(6).or(tagged.first()) {
                delegations.push(Delegation {
                    elu: cd,
                    noeud: d,
                    role: Role::Appui,
                    libelle: "Appui transversal".into(),
                    ligne: 0,
                    domaines: Vec::new(),
                });
            }
        }
    }
    // Intrusions: an adjoint·e pilots one service of a direction another group's adjoint·e
    // pilots.
    if intrusions > 0 && thematiques > 1 {
        let mut rng_intrusion = ChaCha8Rng::seed_from_u64(graine ^ 0x0069_6e74_7275_7369);
        let mut ordre: Vec<usize> = (0..thematiques).collect();
        for i in (1..ordre.len()).rev() {
            ordre.swap(i, rng_intrusion.random_range(0..=i));
        }
        let pilote_par = |delegations: &[Delegation], dir: usize| -> Option<usize> {
            (0..thematiques).find(|&h| {
                delegations
                    .iter()
                    .any(|x| x.elu == membres[h][0] && x.noeud == dir && x.role == Role::Pilote)
            })
        };
        for &k in ordre.iter().take(intrusions) {
            let cibles: Vec<usize> = services
                .iter()
                .copied()
                .filter(|&s| {
                    noeuds[s]
                        .parent
                        .and_then(|dir| pilote_par(&delegations, dir))
                        .is_some_and(|h| h != k)
                })
                .collect();
            if cibles.is_empty() {
                continue;
            }
            let s = cibles[rng_intrusion.random_range(0..cibles.len())];
            delegations.push(Delegation {
                elu: membres[k][0],
                noeud: s,
                role: Role::Pilote,
                libelle: noeuds[s].libelle.replace("Service", "Délégation"),
                ligne: 0,
                domaines: Vec::new(),
            });
        }
    }
    delegations.sort_by_key(|d| (d.elu, d.noeud, d.role));
    delegations.dedup_by_key(|d| (d.elu, d.noeud, d.role));

    // Files.
    let mut toml = String::new();
    let _ = writeln!(
        toml,
        "# Scénario synthétique généré par « collegia generer {} --graine {graine} ».",
        taille.code()
    );
    let _ = writeln!(
        toml,
        "nom = \"Ville synthétique {} (graine {graine})\"",
        taille.code()
    );
    // A fictional commune name, so that the letters and arrêtés of a generated city read
    // « Fait à Belleroche-sur-Lys », not « Fait à [commune] » (issue 28's note).
    let _ = writeln!(
        toml,
        "commune = \"{}\"",
        COMMUNES[(graine % COMMUNES.len() as u64) as usize]
    );
    let _ = writeln!(toml, "date = \"2026-04-01\"");
    let _ = writeln!(toml, "population_totale = {}", g.population);
    let _ = writeln!(toml, "population_municipale = {}", g.population);
    if let Some(c) = g.conseil {
        let _ = writeln!(toml, "effectif_conseil = {c}");
    }
    let _ = writeln!(
        toml,
        "\n[indemnites]\npart_enveloppe = 95.0\npolitique = \"mixte\"\nalpha = 0.5\nplancher = 6.0"
    );
    let organigramme = crate::report::scenario::fichier(
        &crate::ingest::schema::ORGANIGRAMME,
        noeuds.iter().map(|n| {
            [
                n.id.clone(),
                n.libelle.clone(),
                n.parent.map(|p| noeuds[p].id.clone()).unwrap_or_default(),
                n.niveau.to_string(),
                nombre_csv(n.effectif),
                nombre_csv(n.budget),
                n.entite.to_string(),
                n.axes.join("|"),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]
        }),
    );
    let delegations =
        crate::report::scenario::delegations_csv_lignes(delegations.iter().map(|d| {
            crate::report::scenario::LigneDelegationCsv {
                elu: &elus[d.elu].id,
                noeud: &noeuds[d.noeud].id,
                role: d.role,
                libelle: &d.libelle,
                domaines: "",
            }
        }));
    Fichiers {
        scenario_toml: toml,
        organigramme,
        elus: crate::report::scenario::elus_csv(&elus),
        delegations,
    }
}

/// A `voeux.csv` for a generated scenario (`collegia generer --voeux`): every conseiller·e
/// délégué·e ranks five distinct groups (fewer when there are fewer groups). The first wish is
/// their current group six times in ten, else a group drawn with a popularity skew (every fifth
/// group three times as likely), so that some groups are wanted by more than they can take; the
/// other wishes are drawn the same way. Same files and seed, same bytes (ChaCha8).
pub fn voeux(f: &Fichiers, graine: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(graine ^ 0x76_6f65_7578);
    let mut lignes: Vec<(String, String, Option<String>)> = Vec::new();
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(f.elus.as_slice());
    for r in rdr.records().flatten() {
        let champ = |i: usize| r.get(i).unwrap_or("").to_string();
        let groupe = Some(champ(6)).filter(|g| !g.is_empty());
        lignes.push((champ(0), champ(4), groupe));
    }
    let mut groupes: Vec<String> = lignes
        .iter()
        .filter(|(_, f, _)| f == "adjoint")
        .filter_map(|(_, _, g)| g.clone())
        .collect();
    groupes.sort();
    groupes.dedup();
    let mut out: Vec<[String; 3]> = Vec::new();
    let ecrire = |out: Vec<[String; 3]>| {
        crate::report::scenario::fichier(&crate::ingest::schema::VOEUX, out)
    };
    if groupes.is_empty() {
        return ecrire(out);
    }
    let poids: Vec<u32> = (0..groupes.len())
        .map(|k| if k % 5 == 0 { 3 } else { 1 })
        .collect();
    let total: u32 = poids.iter().sum();
    for (id, fonction, actuel) in &lignes {
        if fonction != "conseiller_delegue" {
            continue;
        }
        let mut choisis: Vec<usize> = Vec::new();
        if let Some(a) = actuel
            .as_ref()
            .and_then(|a| groupes.iter().position(|g| g == a))
            && rng.random_bool(0.6)
        {
            choisis.push(a);
        }
        while choisis.len() < 5.min(groupes.len()) {
            let mut x = rng.random_range(0..total);
            let mut g = 0;
            while x >= poids[g] {
                x -= poids[g];
                g += 1;
            }
            if !choisis.contains(&g) {
                choisis.push(g);
            }
        }
        for (r, g) in choisis.iter().enumerate() {
            out.push([id.clone(), groupes[*g].clone(), (r + 1).to_string()]);
        }
    }
    ecrire(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Source, parse_delegations, parse_elus, parse_organigramme};
    use crate::model::Axe;

    fn charge(f: &Fichiers) -> (crate::model::Organigramme, Vec<Elu>, Vec<Delegation>) {
        let axes: Vec<Axe> = DEFAULT_AXES
            .iter()
            .map(|(i, l)| Axe {
                id: i.to_string(),
                libelle: l.to_string(),
            })
            .collect();
        let org = parse_organigramme(
            &Source {
                nom: "o".into(),
                octets: f.organigramme.clone(),
            },
            &axes,
        )
        .expect("valid organigramme");
        let elus = parse_elus(
            &Source {
                nom: "e".into(),
                octets: f.elus.clone(),
            },
            &axes,
            &[],
        )
        .expect("valid elus");
        let dels = parse_delegations(
            &Source {
                nom: "d".into(),
                octets: f.delegations.clone(),
            },
            &elus,
            &org,
        )
        .expect("valid delegations");
        (org, elus, dels)
    }

    #[test]
    fn every_size_is_valid_and_deterministic() {
        for t in [Taille::Petite, Taille::Annecy, Taille::Lyon, Taille::Paris] {
            let a = generer(t, 7);
            assert_eq!(a, generer(t, 7), "{t:?} not deterministic");
            assert_ne!(a, generer(t, 8), "{t:?} ignores the seed");
            let (org, elus, dels) = charge(&a);
            let conseil = t
                .gabarit()
                .conseil
                .unwrap_or_else(|| effectif_legal(t.gabarit().population));
            assert_eq!(elus.len(), conseil as usize, "{t:?}");
            assert!(!dels.is_empty());
            let groupes: std::collections::BTreeSet<_> =
                elus.iter().filter_map(|e| e.groupe.clone()).collect();
            assert_eq!(
                groupes.len(),
                t.gabarit().groupes.min(max_adjoints(conseil) as usize)
            );
            if t == Taille::Paris {
                assert!(
                    (900..=1300).contains(&org.len()),
                    "paris has {} nodes",
                    org.len()
                );
                assert_eq!(groupes.len(), 40);
            }
        }
    }
}
