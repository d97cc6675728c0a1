//! One schema of collegia's input files: every column of `organigramme.csv`, `elus.csv`,
//! `delegations.csv`, `verrous.csv` and `voeux.csv`, with its aliases, its type, whether it is
//! required, and how a value of the model is written in it.
//!
//! The readers (`ingest::{organigramme, elus, verrous, voeux}`) match headers against these
//! columns; the one scenario writer (`report::scenario`) writes rows with the `ligne_*`
//! functions below, whose arrays have exactly as many cells as the file has columns: a column
//! added here and forgotten in its writer does not compile, so no command can drop a column.
//!
//! `scenario.toml` keeps its own reader (`ingest::scenario_toml`); its keys are documented in
//! `docs/formats.md`.

pub use super::table::Colonne;
use crate::model::{Elu, NodeIx, Organigramme, Role, SujetVerrou, Verrou, Voeu};

/// What a column holds, as the reader parses it and the writer writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Genre {
    /// An identifier: unique in its file, or naming a row of another file.
    Identifiant,
    /// Free text (neutralised against formula injection when written, see
    /// `csv_francais::neutralise`).
    Texte,
    /// A whole number.
    Entier,
    /// A decimal number, written with a decimal comma and without thousands separator.
    Nombre,
    /// A rate in % of the terme de référence, or a monthly amount in euros (`2 380 €`).
    TauxOuEuros,
    /// `oui` or `non` (empty: not said).
    OuiNon,
    /// One code of a closed list (`F`/`M`, `adjoint`, `pilote`…).
    Code,
    /// Several identifiers separated by `|`.
    Liste,
}

/// One input file: its name, its columns and the type of each.
#[derive(Debug, Clone, Copy)]
pub struct Fichier {
    /// File name in a scenario folder.
    pub nom: &'static str,
    /// Columns in the order collegia writes them.
    pub colonnes: &'static [Colonne],
    /// Type of each column, in the same order.
    pub genres: &'static [Genre],
}

use Genre::*;

/// `organigramme.csv`.
pub const ORGANIGRAMME: Fichier = Fichier {
    nom: "organigramme.csv",
    colonnes: COLONNES_ORGANIGRAMME,
    genres: &[
        Identifiant,
        Texte,
        Identifiant,
        Code,
        Nombre,
        Nombre,
        Code,
        Liste,
        Liste,
        Identifiant,
        OuiNon,
        Texte,
        Liste,
    ],
};

/// `elus.csv`.
pub const ELUS: Fichier = Fichier {
    nom: "elus.csv",
    colonnes: COLONNES_ELUS,
    genres: &[
        Identifiant,
        Texte,
        Texte,
        Code,
        Code,
        Entier,
        Identifiant,
        Code,
        Texte,
        Identifiant,
        Identifiant,
        Identifiant,
        TauxOuEuros,
        Nombre,
        OuiNon,
    ],
};

/// `delegations.csv`.
pub const DELEGATIONS: Fichier = Fichier {
    nom: "delegations.csv",
    colonnes: COLONNES_DELEGATIONS,
    genres: &[Identifiant, Identifiant, Code, Texte, Liste],
};

/// `verrous.csv` (optional).
pub const VERROUS: Fichier = Fichier {
    nom: "verrous.csv",
    colonnes: COLONNES_VERROUS,
    genres: &[Code, Identifiant, Identifiant],
};

/// `voeux.csv` (optional).
pub const VOEUX: Fichier = Fichier {
    nom: "voeux.csv",
    colonnes: COLONNES_VOEUX,
    genres: &[Identifiant, Identifiant, Entier],
};

/// Every CSV file of a scenario, in the order collegia writes them.
pub const FICHIERS: [Fichier; 5] = [ORGANIGRAMME, ELUS, DELEGATIONS, VERROUS, VOEUX];

/// A number as collegia writes it in its input files: decimal comma, no thousands separator,
/// every digit needed to read back the same `f64` and no more (`33,5`, `145`, `0,125`).
pub fn nombre(v: f64) -> String {
    if v == 0.0 {
        // -0 reads as a sign error.
        return "0".into();
    }
    format!("{v}").replace('.', ",")
}

fn oui_non(b: Option<bool>) -> String {
    match b {
        Some(true) => "oui".into(),
        Some(false) => "non".into(),
        None => String::new(),
    }
}

fn opt(o: &Option<String>) -> String {
    o.clone().unwrap_or_default()
}

/// The cells of node `ix` in `organigramme.csv`, one per column of [`COLONNES_ORGANIGRAMME`].
pub fn ligne_noeud(org: &Organigramme, ix: NodeIx) -> [String; 13] {
    let n = org.noeud(ix);
    let id = |i: NodeIx| org.noeud(i).id.clone();
    [
        n.id.clone(),
        n.libelle.clone(),
        n.parent.map(id).unwrap_or_default(),
        n.niveau.code().to_string(),
        nombre(n.effectif),
        nombre(n.budget),
        n.entite.code().to_string(),
        n.axes.join("|"),
        n.secondaires
            .iter()
            .map(|&s| id(s))
            .collect::<Vec<_>>()
            .join("|"),
        opt(&n.territoire),
        if n.estime { "oui" } else { "" }.to_string(),
        org.responsables.get(&ix).cloned().unwrap_or_default(),
        org.domaines
            .get(&ix)
            .map(|d| d.join("|"))
            .unwrap_or_default(),
    ]
}

/// The cells of élu·e `e` in `elus.csv`, one per column of [`COLONNES_ELUS`]. A current
/// rate given in euros is written back in euros: read again at the same date, it gives the same
/// rate.
pub fn ligne_elu(e: &Elu) -> [String; 15] {
    [
        e.id.clone(),
        e.nom.clone(),
        e.prenom.clone(),
        e.sexe.code().to_string(),
        e.fonction.code().to_string(),
        e.rang.map(|r| r.to_string()).unwrap_or_default(),
        opt(&e.groupe),
        e.liste.code().to_string(),
        opt(&e.composante),
        opt(&e.quartier),
        opt(&e.commune_deleguee),
        opt(&e.axe),
        match (e.taux_actuel_eur, e.taux_actuel) {
            (Some(eur), _) => format!("{} €", nombre(eur)),
            (None, t) => t.map(nombre).unwrap_or_default(),
        },
        e.autres_indemnites_eur.map(nombre).unwrap_or_default(),
        oui_non(e.chef_de_file),
    ]
}

/// The cells of one row of `delegations.csv` (`noeud` empty for a délégation without a
/// service; `domaines` the declared domains, `|`-separated, or empty), one per column of
/// [`COLONNES_DELEGATIONS`].
pub fn ligne_delegation(
    elu: &str,
    noeud: &str,
    role: Role,
    libelle: &str,
    domaines: &str,
) -> [String; 5] {
    [
        elu.to_string(),
        noeud.to_string(),
        role.code().to_string(),
        libelle.to_string(),
        domaines.to_string(),
    ]
}

/// The cells of lock `v` in `verrous.csv`, one per column of [`COLONNES_VERROUS`].
pub fn ligne_verrou(org: &Organigramme, elus: &[Elu], v: &Verrou) -> [String; 3] {
    let (type_, sujet) = match v.sujet {
        SujetVerrou::Noeud(n) => ("unite", org.noeud(n).id.clone()),
        SujetVerrou::Elu(e) => ("elu", elus.get(e).map(|e| e.id.clone()).unwrap_or_default()),
    };
    [type_.to_string(), sujet, v.groupe.clone()]
}

/// The cells of wish `v` in `voeux.csv`, one per column of [`COLONNES_VOEUX`]: the `choix`
/// as the élu·e wrote it (a group or a node).
pub fn ligne_voeu(elus: &[Elu], v: &Voeu) -> [String; 3] {
    [
        elus.get(v.elu).map(|e| e.id.clone()).unwrap_or_default(),
        v.choix.clone(),
        v.rang.to_string(),
    ]
}

// Each writer above returns exactly one cell per column: a column added to a file and not to
// its writer stops the build here.
const _: () = assert!(COLONNES_ORGANIGRAMME.len() == 13);
const _: () = assert!(COLONNES_ELUS.len() == 15);
const _: () = assert!(COLONNES_DELEGATIONS.len() == 5);
const _: () = assert!(COLONNES_VERROUS.len() == 3);
const _: () = assert!(COLONNES_VOEUX.len() == 3);

/// Columns of `organigramme.csv`, with accepted aliases (normalised).
pub const COLONNES_ORGANIGRAMME: &[Colonne] = &[
    Colonne {
        nom: "id",
        obligatoire: true,
        alias: &["identifiant", "code", "id_noeud", "code_noeud"],
    },
    Colonne {
        nom: "libelle",
        obligatoire: true,
        alias: &["label", "nom", "intitule", "libelle_noeud"],
    },
    Colonne {
        nom: "parent",
        obligatoire: true,
        alias: &[
            "id_parent",
            "parent_id",
            "noeud_parent",
            "id_noeud_parent",
            "rattachement",
        ],
    },
    Colonne {
        nom: "niveau",
        obligatoire: false,
        alias: &["type", "level", "niveau_hierarchique"],
    },
    Colonne {
        nom: "effectif",
        obligatoire: false,
        alias: &["etp", "effectifs", "agents", "effectif_etp"],
    },
    Colonne {
        nom: "budget",
        obligatoire: false,
        alias: &["budget_eur", "budget_annuel", "budget_(€)", "budget_€"],
    },
    Colonne {
        nom: "entite",
        obligatoire: false,
        alias: &["structure", "employeur", "collectivite"],
    },
    Colonne {
        nom: "axes",
        obligatoire: false,
        alias: &["axes_transversaux", "axe"],
    },
    Colonne {
        nom: "rattachements_secondaires",
        obligatoire: false,
        alias: &[
            "secondaires",
            "liens_fonctionnels",
            "rattachement_secondaire",
            "rattachements_fonctionnels",
        ],
    },
    Colonne {
        nom: "territoire",
        obligatoire: false,
        alias: &["secteur", "quartier", "territoire_id"],
    },
    Colonne {
        nom: "estime",
        obligatoire: false,
        alias: &["effectif_estime", "estimation", "estimé"],
    },
    Colonne {
        nom: "responsable",
        obligatoire: false,
        alias: &[
            "responsable_du_noeud",
            "chef_de_service",
            "encadrant",
            "encadrante",
        ],
    },
    Colonne {
        nom: "domaine",
        obligatoire: false,
        alias: &["domaines", "theme", "themes", "domaine_municipal"],
    },
];

/// Columns of `elus.csv`, with accepted aliases (normalised).
pub const COLONNES_ELUS: &[Colonne] = &[
    Colonne {
        nom: "id",
        obligatoire: true,
        alias: &["identifiant", "id_elu", "code"],
    },
    Colonne {
        nom: "nom",
        obligatoire: true,
        alias: &["nom_de_l_elu", "nom_de_famille"],
    },
    Colonne {
        nom: "prenom",
        obligatoire: true,
        alias: &["prenom_de_l_elu"],
    },
    Colonne {
        nom: "sexe",
        obligatoire: true,
        alias: &["code_sexe", "genre", "civilite"],
    },
    Colonne {
        nom: "fonction",
        obligatoire: true,
        alias: &["libelle_de_la_fonction", "role", "mandat"],
    },
    Colonne {
        nom: "rang",
        obligatoire: false,
        alias: &["ordre", "ordre_du_tableau", "rang_adjoint"],
    },
    Colonne {
        nom: "groupe",
        obligatoire: false,
        alias: &["binome", "groupe_binome", "id_groupe"],
    },
    Colonne {
        nom: "liste",
        obligatoire: false,
        alias: &["majorite_opposition", "camp"],
    },
    Colonne {
        nom: "composante",
        obligatoire: false,
        alias: &["parti", "composante_majorite", "sensibilite"],
    },
    Colonne {
        nom: "quartier",
        obligatoire: false,
        alias: &["quartiers"],
    },
    Colonne {
        nom: "commune_deleguee",
        obligatoire: false,
        alias: &["commune_deleguee_id", "territoire"],
    },
    Colonne {
        nom: "axe",
        obligatoire: false,
        alias: &["axe_transversal"],
    },
    Colonne {
        nom: "taux_actuel",
        obligatoire: false,
        alias: &["taux", "taux_vote", "taux_(%)"],
    },
    Colonne {
        nom: "autres_indemnites_eur",
        obligatoire: false,
        alias: &[
            "autres_indemnites",
            "autres_mandats_eur",
            "autres_indemnites_(€)",
        ],
    },
    Colonne {
        nom: "chef_de_file",
        obligatoire: false,
        alias: &["chef_fe_de_file", "chef_de_groupe", "anime_le_groupe"],
    },
];

/// Columns of `delegations.csv`, with accepted aliases (normalised).
pub const COLONNES_DELEGATIONS: &[Colonne] = &[
    Colonne {
        nom: "elu",
        obligatoire: true,
        alias: &["elue", "id_elu", "elu_id"],
    },
    Colonne {
        nom: "noeud",
        obligatoire: true,
        alias: &["nœud", "noeud_id", "id_noeud", "node", "service"],
    },
    Colonne {
        nom: "role",
        obligatoire: false,
        alias: &["type"],
    },
    Colonne {
        nom: "libelle",
        obligatoire: false,
        alias: &["delegation", "intitule", "libelle_delegation"],
    },
    Colonne {
        nom: "domaine",
        obligatoire: false,
        alias: &["domaines", "theme", "themes", "domaine_municipal"],
    },
];

/// Columns of `verrous.csv`, with accepted aliases (normalised).
pub const COLONNES_VERROUS: &[Colonne] = &[
    Colonne {
        nom: "type",
        obligatoire: true,
        alias: &["type_verrou", "nature"],
    },
    Colonne {
        nom: "sujet",
        obligatoire: true,
        alias: &["id", "identifiant", "objet", "noeud", "elu"],
    },
    Colonne {
        nom: "groupe",
        obligatoire: true,
        alias: &["id_groupe", "binome", "groupe_binome"],
    },
];

/// Columns of `voeux.csv`, with accepted aliases (normalised).
pub const COLONNES_VOEUX: &[Colonne] = &[
    Colonne {
        nom: "elu",
        obligatoire: true,
        alias: &["elue", "id_elu", "id", "identifiant"],
    },
    Colonne {
        nom: "choix",
        obligatoire: true,
        alias: &["voeu", "groupe", "noeud"],
    },
    Colonne {
        nom: "rang",
        obligatoire: true,
        alias: &["ordre", "priorite", "rang_voeu"],
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::normalise;

    #[test]
    fn every_column_has_a_type_and_headers_name_one_column() {
        for f in FICHIERS {
            assert_eq!(f.colonnes.len(), f.genres.len(), "{}", f.nom);
            // A header must name one column only.
            let mut vus = std::collections::BTreeMap::new();
            for (k, c) in f.colonnes.iter().enumerate() {
                assert_eq!(normalise(c.nom), c.nom, "{}: {}", f.nom, c.nom);
                for a in std::iter::once(&c.nom).chain(c.alias) {
                    let autre = *vus.entry(normalise(a)).or_insert(k);
                    assert_eq!(autre, k, "{}: « {a} » names two columns", f.nom);
                }
            }
        }
    }

    #[test]
    fn numbers_are_written_exactly_with_a_decimal_comma() {
        for v in [
            33.5,
            145.0,
            1850.4,
            610000.5,
            0.1 + 0.2,
            1e12,
            -3.5,
            1.0 / 3.0,
        ] {
            let s = nombre(v);
            assert!(!s.contains('.') && !s.contains('e'), "{s}");
            assert_eq!(crate::ingest::parse_nombre(&s), Some(v), "{s}");
        }
        assert_eq!(nombre(33.5), "33,5");
        assert_eq!(nombre(145.0), "145");
        assert_eq!(nombre(-0.0), "0");
    }
}
