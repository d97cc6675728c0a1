//! THE writer of collegia's input format: `organigramme.csv`, `elus.csv`, `delegations.csv`,
//! `verrous.csv`, `voeux.csv` and the `scenario.toml` of a variant, driven by
//! [`crate::ingest::schema`] and written through the one CSV configuration
//! ([`super::csv_francais`]).
//!
//! Every command that writes a scenario (optimiser, affecter, the séminaire's « enregistrer »,
//! the RNE import, the synthetic cities) writes it here, with every column of the schema: what
//! one command reads, another cannot lose on the way. Read → write → read is the identity
//! (tested on every fixture and on generated cities).

use super::csv_francais::EcrivainCsv;
use crate::ingest::schema::{
    self, DELEGATIONS, ELUS, Fichier, ORGANIGRAMME, VERROUS, VOEUX, ligne_delegation, ligne_elu,
    ligne_noeud, ligne_verrou, ligne_voeu,
};
use crate::model::{Delegation, DelegationSansService, Elu, Organigramme, Role, Verrou, Voeu};

pub use crate::ingest::schema::nombre as nombre_csv;

/// File `f` with its header and the given rows (each one cell per column of `f`, in order),
/// for writers that build rows themselves (the synthetic cities).
pub fn fichier<I, L>(f: &Fichier, lignes: I) -> Vec<u8>
where
    I: IntoIterator<Item = L>,
    L: IntoIterator,
    L::Item: AsRef<str>,
{
    let mut w = EcrivainCsv::new();
    w.ligne(f.colonnes.iter().map(|c| c.nom));
    for l in lignes {
        w.ligne(l);
    }
    w.octets()
}

/// `organigramme.csv`: every node in input order.
pub fn organigramme_csv(org: &Organigramme) -> Vec<u8> {
    fichier(
        &ORGANIGRAMME,
        (0..org.noeuds.len()).map(|ix| ligne_noeud(org, ix)),
    )
}

/// `elus.csv` with every column of the schema, in the given order.
pub fn elus_csv(elus: &[Elu]) -> Vec<u8> {
    fichier(&ELUS, elus.iter().map(ligne_elu))
}

/// One row of `delegations.csv` by identifiers (a proposal's délégations, which name élu·es and
/// nodes by id); `noeud` empty for a délégation without a service.
#[derive(Debug, Clone, Copy)]
pub struct LigneDelegationCsv<'a> {
    /// Élu·e id.
    pub elu: &'a str,
    /// Node id, or empty.
    pub noeud: &'a str,
    /// Pilote or appui.
    pub role: Role,
    /// Wording.
    pub libelle: &'a str,
    /// Declared domains, `|`-separated (empty: inferred).
    pub domaines: &'a str,
}

/// `delegations.csv` from rows given by identifiers, in the given order.
pub fn delegations_csv_lignes<'a>(
    lignes: impl IntoIterator<Item = LigneDelegationCsv<'a>>,
) -> Vec<u8> {
    fichier(
        &DELEGATIONS,
        lignes
            .into_iter()
            .map(|l| ligne_delegation(l.elu, l.noeud, l.role, l.libelle, l.domaines)),
    )
}

/// `delegations.csv` of a scenario: the délégations on a node and those without a service,
/// back in the order of their lines in the file they were read from.
pub fn delegations_csv(
    delegations: &[Delegation],
    sans_service: &[DelegationSansService],
    elus: &[Elu],
    org: &Organigramme,
) -> Vec<u8> {
    let id = |e: usize| elus.get(e).map(|e| e.id.as_str()).unwrap_or("");
    let domaines: Vec<String> = delegations
        .iter()
        .map(|d| d.domaines.join("|"))
        .chain(sans_service.iter().map(|d| d.domaines.join("|")))
        .collect();
    let mut lignes: Vec<(usize, usize, LigneDelegationCsv)> = delegations
        .iter()
        .enumerate()
        .map(|(k, d)| {
            (
                d.ligne,
                k,
                LigneDelegationCsv {
                    elu: id(d.elu),
                    noeud: org.noeud(d.noeud).id.as_str(),
                    role: d.role,
                    libelle: &d.libelle,
                    domaines: &domaines[k],
                },
            )
        })
        .collect();
    lignes.extend(sans_service.iter().enumerate().map(|(k, d)| {
        (
            d.ligne,
            delegations.len() + k,
            LigneDelegationCsv {
                elu: id(d.elu),
                noeud: "",
                role: d.role,
                libelle: &d.libelle,
                domaines: &domaines[delegations.len() + k],
            },
        )
    }));
    // Stable: délégations built in memory (line 0) keep their order, on-node ones first.
    lignes.sort_by_key(|&(ligne, k, _)| (ligne, k));
    delegations_csv_lignes(lignes.into_iter().map(|(_, _, l)| l))
}

/// `verrous.csv`.
pub fn verrous_csv(org: &Organigramme, elus: &[Elu], verrous: &[Verrou]) -> Vec<u8> {
    fichier(&VERROUS, verrous.iter().map(|v| ligne_verrou(org, elus, v)))
}

/// `voeux.csv`.
pub fn voeux_csv(elus: &[Elu], voeux: &[Voeu]) -> Vec<u8> {
    fichier(&VOEUX, voeux.iter().map(|v| ligne_voeu(elus, v)))
}

/// The CSV files of a scenario, named as in a scenario folder (`verrous.csv` and `voeux.csv`
/// only when there are any).
pub fn fichiers_csv(
    s: &crate::model::Scenario,
    verrous: &[Verrou],
    voeux: &[Voeu],
) -> Vec<(&'static str, Vec<u8>)> {
    let mut f = vec![
        (schema::ORGANIGRAMME.nom, organigramme_csv(&s.organigramme)),
        (schema::ELUS.nom, elus_csv(&s.elus)),
        (
            schema::DELEGATIONS.nom,
            delegations_csv(
                &s.delegations,
                &s.delegations_sans_service,
                &s.elus,
                &s.organigramme,
            ),
        ),
    ];
    if !verrous.is_empty() {
        f.push((
            schema::VERROUS.nom,
            verrous_csv(&s.organigramme, &s.elus, verrous),
        ));
    }
    if !voeux.is_empty() {
        f.push((schema::VOEUX.nom, voeux_csv(&s.elus, voeux)));
    }
    f
}

/// `scenario.toml` of a variant: comment lines (each prefixed with `# `), `base` (the path from
/// the variant's folder to the scenario it derives from, with `/`) and `nom`, both as TOML
/// strings (quotes and control characters escaped by `toml`).
pub fn toml_variante(commentaire: &str, base: &str, nom: &str) -> Vec<u8> {
    let q = |s: &str| toml::Value::String(s.to_string()).to_string();
    let mut t = String::new();
    for l in commentaire.lines() {
        t.push_str("# ");
        t.push_str(l);
        t.push('\n');
    }
    t.push_str(&format!("base = {}\nnom = {}\n", q(base), q(nom)));
    t.into_bytes()
}
