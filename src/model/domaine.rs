//! Municipal domains: what a service or a délégation is about (état civil, cimetières, culture,
//! sport, police, petite enfance…).
//!
//! The table ships inside the binary (`data/domaines.csv`, read with `include_str!`): a key, a
//! French label, the function of the M57 functional presentation it falls under (inspiration
//! only, « non vérifié »: `docs/domaines.md`), the domains it is close to (`proches`, a
//! symmetric relation: état civil and cimetières, sport and vie associative…) and its French
//! keywords.
//!
//! **Inference rule** (documented in `docs/domaines.md`, tested below): a text is normalised
//! (lower case, accents removed, every character that is not a letter or a digit a space), cut
//! into words, and each word of four letters or more loses one final `s` or `x` (plural); a
//! keyword, normalised the same way, matches when its words appear one after the other in the
//! text. A text gets every domain one of whose keywords matches, in table order.
//!
//! **Domains of a node** ([`domaines_noeud`]): those declared in the `domaine` column of
//! `organigramme.csv`, else those inferred from its libellé, else those of its nearest ancestor
//! that has some (a « Service des publics » inside the « Direction de la culture » is about
//! culture). **Domains of a délégation** ([`domaines_delegation`]): those declared in the
//! `domaine` column of `delegations.csv`, else those inferred from its wording together with,
//! for a pilote délégation, those of every node it pilots (an appui: its node's). Anything not
//! declared is marked « inféré » ([`Origine`]).
//!
//! The public API for other stages (the optimiser's grouping model, the analysis, the
//! reorganisation priorities): [`TableDomaines::integree`], [`TableDomaines::inferer`],
//! [`TableDomaines::cle`], [`TableDomaines::partagent`], [`domaines_noeud`],
//! [`domaines_delegation`], [`domaines_de`] (a node's subtree).

use super::{Delegation, NodeIx, Scenario};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Index of a domain in [`TableDomaines::domaines`].
pub type DomaineIx = usize;

/// One municipal domain of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Domaine {
    /// Key, as written in the `domaine` columns (`etat_civil`, `cimetieres`…).
    pub cle: String,
    /// French label (« État civil et affaires civiles »).
    pub libelle: String,
    /// Function of the M57 functional presentation (`0` services généraux … `8` transports).
    pub fonction_m57: String,
    /// Keys of the domains close to this one (symmetric).
    pub proches: Vec<String>,
    /// Keywords, normalised (words without accents, plural `s`/`x` removed).
    pub mots_cles: Vec<Vec<String>>,
}

/// The table of municipal domains.
#[derive(Debug, Clone)]
pub struct TableDomaines {
    domaines: Vec<Domaine>,
    index: BTreeMap<String, DomaineIx>,
    proches: Vec<Vec<bool>>,
}

/// The shipped table, as text (`data/domaines.csv`).
pub const DOMAINES_CSV: &str = include_str!("../../data/domaines.csv");

/// Where a node's or a délégation's domains come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Origine {
    /// Written in the `domaine` column.
    Declare,
    /// Inferred from the node's libellé or the délégation's wording (« inféré »).
    Infere,
    /// Taken from an ancestor node, or from the délégation's node (« inféré »).
    Herite,
    /// Nothing declared and nothing inferred.
    Aucune,
}

impl Origine {
    /// French label shown next to the domains (« déclaré », « inféré »).
    pub fn libelle(self) -> &'static str {
        match self {
            Origine::Declare => "déclaré",
            Origine::Infere | Origine::Herite => "inféré",
            Origine::Aucune => "",
        }
    }
}

/// Domains of a node or of a délégation, with where they come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainesDe {
    /// Domains, in table order, without duplicates.
    pub domaines: Vec<DomaineIx>,
    /// Where they come from.
    pub origine: Origine,
}

/// Normalised words of a text: lower case, without accents, split on every character that is
/// not a letter or a digit; a word of four letters or more loses one final `s` or `x`.
pub fn mots(texte: &str) -> Vec<String> {
    use unicode_normalization::UnicodeNormalization;
    let mut propre = String::with_capacity(texte.len());
    for c in texte.nfd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        if c.is_alphanumeric() {
            propre.extend(c.to_lowercase());
        } else {
            propre.push(' ');
        }
    }
    propre
        .split_whitespace()
        .map(|m| {
            let n = m.chars().count();
            match m.strip_suffix(['s', 'x']) {
                Some(court) if n >= 4 => court.to_string(),
                _ => m.to_string(),
            }
        })
        .collect()
}

fn contient(texte: &[String], mot_cle: &[String]) -> bool {
    !mot_cle.is_empty() && texte.windows(mot_cle.len()).any(|w| w == mot_cle)
}

impl TableDomaines {
    /// Reads a table in the format of `data/domaines.csv` (`;`, header
    /// `cle;libelle;fonction_m57;proches;mots_cles`, lists separated by `|`). Lines with fewer
    /// than five cells are skipped; close domains that are not keys of the table are dropped;
    /// the relation « proches » is made symmetric.
    pub fn lire(texte: &str) -> TableDomaines {
        let mut domaines = Vec::new();
        for ligne in texte.lines().skip(1) {
            let cellules: Vec<&str> = ligne.split(';').collect();
            let [cle, libelle, fonction, proches, mots_cles] = cellules[..] else {
                continue;
            };
            let liste = |s: &str| -> Vec<String> {
                s.split('|')
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(String::from)
                    .collect()
            };
            domaines.push(Domaine {
                cle: cle.trim().to_string(),
                libelle: libelle.trim().to_string(),
                fonction_m57: fonction.trim().to_string(),
                proches: liste(proches),
                mots_cles: liste(mots_cles).iter().map(|m| mots(m)).collect(),
            });
        }
        let index: BTreeMap<String, DomaineIx> = domaines
            .iter()
            .enumerate()
            .map(|(i, d)| (d.cle.clone(), i))
            .collect();
        let n = domaines.len();
        let mut proches = vec![vec![false; n]; n];
        for (i, d) in domaines.iter().enumerate() {
            for p in &d.proches {
                if let Some(&j) = index.get(p) {
                    proches[i][j] = true;
                    proches[j][i] = true;
                }
            }
        }
        let cles: Vec<String> = domaines.iter().map(|d| d.cle.clone()).collect();
        for (i, d) in domaines.iter_mut().enumerate() {
            d.proches = (0..n)
                .filter(|&j| proches[i][j] && j != i)
                .map(|j| cles[j].clone())
                .collect();
        }
        TableDomaines {
            domaines,
            index,
            proches,
        }
    }

    /// The table shipped in the binary (`data/domaines.csv`).
    pub fn integree() -> &'static TableDomaines {
        static TABLE: OnceLock<TableDomaines> = OnceLock::new();
        TABLE.get_or_init(|| TableDomaines::lire(DOMAINES_CSV))
    }

    /// Every domain, in table order.
    pub fn domaines(&self) -> &[Domaine] {
        &self.domaines
    }

    /// A domain by index.
    pub fn domaine(&self, i: DomaineIx) -> &Domaine {
        &self.domaines[i]
    }

    /// Every key, in table order (for « vouliez-vous dire »).
    pub fn cles(&self) -> Vec<String> {
        self.domaines.iter().map(|d| d.cle.clone()).collect()
    }

    /// The domain a user wrote in a `domaine` cell: its key or its label, whatever the case,
    /// accents, spaces or hyphens (`État civil` → `etat_civil` only if that is a key; the label
    /// « Cimetières et pompes funèbres » → `cimetieres`).
    pub fn cle(&self, saisie: &str) -> Option<DomaineIx> {
        let n = crate::ingest::normalise(saisie);
        if n.is_empty() {
            return None;
        }
        self.index.get(&n).copied().or_else(|| {
            self.domaines
                .iter()
                .position(|d| crate::ingest::normalise(&d.libelle) == n)
        })
    }

    /// Domains whose keywords appear in `texte` (module docs), in table order.
    pub fn inferer(&self, texte: &str) -> Vec<DomaineIx> {
        let m = mots(texte);
        (0..self.domaines.len())
            .filter(|&i| self.domaines[i].mots_cles.iter().any(|k| contient(&m, k)))
            .collect()
    }

    /// True when the two domains are the same or close.
    pub fn voisins(&self, a: DomaineIx, b: DomaineIx) -> bool {
        a == b || self.proches.get(a).and_then(|r| r.get(b)).copied() == Some(true)
    }

    /// What two sets of domains share: the first pair `(a, b)` with `a` in `x` and `b` in `y`
    /// that are the same domain, else the first pair of close domains; `None` when they share
    /// nothing (or one set is empty).
    pub fn partagent(&self, x: &[DomaineIx], y: &[DomaineIx]) -> Option<(DomaineIx, DomaineIx)> {
        x.iter()
            .find(|a| y.contains(a))
            .map(|&a| (a, a))
            .or_else(|| {
                x.iter()
                    .find_map(|&a| y.iter().find(|&&b| self.voisins(a, b)).map(|&b| (a, b)))
            })
    }

    /// Keys of the given domains joined by `|` (the `domaine` column's format).
    pub fn ecrire(&self, ds: &[DomaineIx]) -> String {
        ds.iter()
            .map(|&d| self.domaines[d].cle.as_str())
            .collect::<Vec<_>>()
            .join("|")
    }

    /// Labels of the given domains, joined by « , ».
    pub fn libelles(&self, ds: &[DomaineIx]) -> String {
        ds.iter()
            .map(|&d| self.domaines[d].libelle.to_lowercase())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn declares(cles: &[String]) -> Vec<DomaineIx> {
    let t = TableDomaines::integree();
    let mut v: Vec<DomaineIx> = cles.iter().filter_map(|c| t.cle(c)).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Domains of node `n` (module docs): declared, else inferred from its libellé, else those of
/// its nearest ancestor that has some.
pub fn domaines_noeud(s: &Scenario, n: NodeIx) -> DomainesDe {
    let org = &s.organigramme;
    let t = TableDomaines::integree();
    let propres = |x: NodeIx| -> Option<DomainesDe> {
        if let Some(c) = org.domaines.get(&x) {
            return Some(DomainesDe {
                domaines: declares(c),
                origine: Origine::Declare,
            });
        }
        let i = t.inferer(&org.noeud(x).libelle);
        (!i.is_empty()).then_some(DomainesDe {
            domaines: i,
            origine: Origine::Infere,
        })
    };
    if let Some(d) = propres(n) {
        return d;
    }
    org.ancetres(n)
        .find_map(propres)
        .map(|d| DomainesDe {
            domaines: d.domaines,
            origine: Origine::Herite,
        })
        .unwrap_or(DomainesDe {
            domaines: Vec::new(),
            origine: Origine::Aucune,
        })
}

/// Domains of a node's subtree: the union of [`domaines_noeud`] over the node and every node
/// under it (what a unit of the optimiser is about), in table order.
pub fn domaines_de(s: &Scenario, n: NodeIx) -> Vec<DomaineIx> {
    let mut v: Vec<DomaineIx> = s
        .organigramme
        .sous_arbre(n)
        .into_iter()
        .flat_map(|x| domaines_noeud(s, x).domaines)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Domains of a délégation on a node: declared, else inferred — those of its wording, with,
/// for a pilote délégation, those of every node it pilots (its node's subtree,
/// [`domaines_de`]), and for an appui those of its node ([`domaines_noeud`]).
pub fn domaines_delegation(s: &Scenario, d: &Delegation) -> DomainesDe {
    if !d.domaines.is_empty() {
        return DomainesDe {
            domaines: declares(&d.domaines),
            origine: Origine::Declare,
        };
    }
    let mut v = TableDomaines::integree().inferer(&d.libelle);
    if d.role == super::Role::Pilote {
        v.extend(domaines_de(s, d.noeud));
    } else {
        v.extend(domaines_noeud(s, d.noeud).domaines);
    }
    v.sort_unstable();
    v.dedup();
    DomainesDe {
        origine: if v.is_empty() {
            Origine::Aucune
        } else {
            Origine::Infere
        },
        domaines: v,
    }
}

/// Domains of a délégation without a service: declared, else inferred from its wording.
pub fn domaines_sans_service(d: &super::DelegationSansService) -> DomainesDe {
    if !d.domaines.is_empty() {
        return DomainesDe {
            domaines: declares(&d.domaines),
            origine: Origine::Declare,
        };
    }
    let i = TableDomaines::integree().inferer(&d.libelle);
    DomainesDe {
        origine: if i.is_empty() {
            Origine::Aucune
        } else {
            Origine::Infere
        },
        domaines: i,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cles(t: &TableDomaines, v: &[DomaineIx]) -> Vec<String> {
        v.iter().map(|&i| t.domaine(i).cle.clone()).collect()
    }

    #[test]
    fn the_shipped_table_is_whole_and_its_keys_are_normalised() {
        let t = TableDomaines::integree();
        let lignes = DOMAINES_CSV
            .lines()
            .skip(1)
            .filter(|l| !l.is_empty())
            .count();
        assert_eq!(
            t.domaines().len(),
            lignes,
            "every line of data/domaines.csv is read"
        );
        assert!(t.domaines().len() >= 35);
        for d in t.domaines() {
            assert_eq!(crate::ingest::normalise(&d.cle), d.cle, "{}", d.cle);
            assert!(
                !d.libelle.is_empty() && !d.mots_cles.is_empty(),
                "{}",
                d.cle
            );
            assert!(
                ('0'..='8').any(|c| d.fonction_m57 == c.to_string()),
                "{}",
                d.cle
            );
        }
        // Every close domain written in the file is a key of the table.
        for ligne in DOMAINES_CSV.lines().skip(1) {
            let c: Vec<&str> = ligne.split(';').collect();
            for p in c[3].split('|').filter(|p| !p.is_empty()) {
                assert!(t.cle(p).is_some(), "{} : proche inconnu {p}", c[0]);
            }
        }
    }

    #[test]
    fn the_user_documentation_lists_every_domain_of_the_table() {
        let doc = std::fs::read_to_string("docs/domaines.md").expect("docs/domaines.md");
        for d in TableDomaines::integree().domaines() {
            assert!(
                doc.contains(&format!("| `{}` | {} |", d.cle, d.libelle)),
                "{}",
                d.cle
            );
        }
    }

    #[test]
    fn every_label_of_the_delegation_taxonomy_gets_a_domain() {
        // /work/shared/data/taxonomie_delegations_municipales.csv (labels only): each label a
        // délégation may carry is recognised by the table.
        let Ok(texte) =
            std::fs::read_to_string("../shared/data/taxonomie_delegations_municipales.csv")
        else {
            return;
        };
        let t = TableDomaines::integree();
        for l in texte.lines().skip(1) {
            let libelle = l.split(',').nth(1).unwrap_or_default();
            assert!(!t.inferer(libelle).is_empty(), "« {libelle} » sans domaine");
        }
    }

    #[test]
    fn inference_ignores_case_accents_and_plurals_and_matches_whole_words() {
        let t = TableDomaines::integree();
        assert_eq!(
            cles(t, &t.inferer("Service des CIMETIÈRES")),
            ["cimetieres"]
        );
        assert_eq!(cles(t, &t.inferer("Cimetiere")), ["cimetieres"]);
        assert_eq!(
            cles(t, &t.inferer("Direction de l'état civil")),
            ["etat_civil"]
        );
        assert_eq!(
            cles(
                t,
                &t.inferer("Direction des sports et de la vie associative")
            ),
            ["sport", "associations"]
        );
        // Whole words: « agriculture » is not « culture », « réseau » is not « eau ».
        assert_eq!(cles(t, &t.inferer("Agriculture urbaine")), ["agriculture"]);
        assert!(t.inferer("Réseaux").is_empty());
        assert!(t.inferer("Service 3").is_empty());
        // Several words in a row.
        assert_eq!(cles(t, &t.inferer("Pompes funèbres")), ["cimetieres"]);
        assert!(!cles(t, &t.inferer("Pompes à chaleur")).contains(&"cimetieres".into()));
    }

    #[test]
    fn keys_and_labels_are_read_whatever_the_case_and_close_domains_are_symmetric() {
        let t = TableDomaines::integree();
        let c = t.cle("CIMETIERES").expect("clé");
        assert_eq!(t.cle("Cimetières et pompes funèbres"), Some(c));
        assert_eq!(t.cle("cimetière"), None);
        let e = t.cle("etat_civil").expect("clé");
        assert!(t.voisins(c, e) && t.voisins(e, c));
        let p = t.cle("securite").expect("clé");
        assert!(!t.voisins(c, p));
        assert_eq!(t.partagent(&[c], &[p, e]), Some((c, e)));
        assert_eq!(t.partagent(&[c], &[p]), None);
        assert_eq!(t.partagent(&[], &[p]), None);
        for (i, d) in t.domaines().iter().enumerate() {
            for q in &d.proches {
                let j = t.cle(q).expect("proche");
                assert!(t.voisins(j, i), "{} ↔ {q}", d.cle);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn inference_is_insensitive_to_case_and_accents(s in "[a-zA-Zéèêàçôù ,'-]{0,40}") {
            let t = TableDomaines::integree();
            let bas: String = s.to_lowercase();
            let sans: String = {
                use unicode_normalization::UnicodeNormalization;
                s.nfd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect()
            };
            proptest::prop_assert_eq!(t.inferer(&s), t.inferer(&bas));
            proptest::prop_assert_eq!(t.inferer(&s), t.inferer(&sans));
        }
    }
}
