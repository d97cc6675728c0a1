//! CPLEX LP text of any [`Probleme`] whose key can name a row ([`NomLp`]), for
//! `--exporter-modele`: the model can then be solved by CBC, HiGHS or any other reader, and each
//! row says which rule it encodes.

use super::{Probleme, Sens};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// A key that names its row in an LP file.
pub trait NomLp {
    /// Name of the row in a CPLEX LP file, before de-duplication (ASCII, see [`nom_lp`]).
    fn nom_lp(&self) -> String;
}

/// Turns any identifier into characters every LP reader accepts (ASCII letters, digits, `_`).
pub fn nom_lp(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

impl<K: NomLp> Probleme<K> {
    /// Writes the problem in CPLEX LP format (a minimisation). Every row is named after its key;
    /// fixings done before building are listed as comments. The objective's constant is a comment
    /// too (not every LP reader accepts a constant).
    pub fn lp(&self, titre: &str) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "\\ {}", titre.replace('\n', " "));
        let _ = writeln!(
            out,
            "\\ {} variables ({} binaires), {} contraintes ; constante de l'objectif : {}",
            self.variables.len(),
            self.nb_entieres(),
            self.lignes.len(),
            lp_nombre(self.constante())
        );
        for f in &self.fixations {
            let _ = writeln!(out, "\\ fixé avant résolution : {}", f.nom_lp());
        }
        out.push_str("Minimize\n obj:");
        let mut n = 0;
        let objectif = self.objectif();
        for &(v, c) in &objectif {
            terme(&mut out, &mut n, c, &self.variables[v].nom);
        }
        if objectif.is_empty() {
            out.push_str(" 0 ");
            out.push_str(
                &self
                    .variables
                    .first()
                    .map(|v| v.nom.clone())
                    .unwrap_or_default(),
            );
        }
        out.push_str("\nSubject To\n");
        let mut vus = BTreeSet::new();
        for c in &self.lignes {
            let base = c.cle.nom_lp();
            let mut nom = base.clone();
            let mut k = 2;
            while !vus.insert(nom.clone()) {
                nom = format!("{base}.{k}");
                k += 1;
            }
            let _ = write!(out, " {nom}:");
            let mut n = 0;
            for &(v, coef) in &c.termes {
                terme(&mut out, &mut n, coef, &self.variables[v].nom);
            }
            if c.termes.is_empty() {
                out.push_str(" 0 ");
                out.push_str(
                    &self
                        .variables
                        .first()
                        .map(|v| v.nom.clone())
                        .unwrap_or_default(),
                );
            }
            let s = match c.sens {
                Sens::Le => "<=",
                Sens::Ge => ">=",
                Sens::Eq => "=",
            };
            let _ = writeln!(out, " {s} {}", lp_nombre(c.rhs));
        }
        out.push_str("Bounds\n");
        for v in &self.variables {
            if v.max.is_finite() {
                let _ = writeln!(
                    out,
                    " {} <= {} <= {}",
                    lp_nombre(v.min),
                    v.nom,
                    lp_nombre(v.max)
                );
            } else {
                let _ = writeln!(out, " {} >= {}", v.nom, lp_nombre(v.min));
            }
        }
        let entieres: Vec<&str> = self
            .variables
            .iter()
            .filter(|v| v.entiere)
            .map(|v| v.nom.as_str())
            .collect();
        if !entieres.is_empty() {
            out.push_str("General\n");
            for chunk in entieres.chunks(8) {
                let _ = writeln!(out, " {}", chunk.join(" "));
            }
        }
        out.push_str("End\n");
        out
    }
}

fn terme(out: &mut String, n: &mut usize, c: f64, nom: &str) {
    if *n > 0 && (*n).is_multiple_of(4) {
        out.push_str("\n  ");
    }
    if c < 0.0 {
        let _ = write!(out, " - {} {nom}", lp_nombre(-c));
    } else if *n == 0 {
        let _ = write!(out, " {} {nom}", lp_nombre(c));
    } else {
        let _ = write!(out, " + {} {nom}", lp_nombre(c));
    }
    *n += 1;
}

/// A number as LP text: shortest round-trip form, never in exponent form for ordinary values.
fn lp_nombre(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key of any type names its row: the export is not tied to one model.
    #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
    struct Regle(&'static str);

    impl NomLp for Regle {
        fn nom_lp(&self) -> String {
            nom_lp(self.0)
        }
    }

    #[test]
    fn rows_are_named_after_any_key_and_repeated_names_numbered() {
        let mut p: Probleme<Regle> = Probleme::default();
        let x = p.var("x".into(), 0.0, 1.0, true);
        let y = p.var("y".into(), 0.0, f64::INFINITY, false);
        p.criteres = vec![
            crate::lp::Critere::new("essai", 2.5, vec![(y, 1.0)], 0.0),
            crate::lp::Critere::new("fixe", 1.0, Vec::new(), 3.0),
        ];
        p.fixations.push(Regle("fixée é"));
        p.contrainte(Regle("somme"), vec![(x, 1.0), (y, -1.0)], Sens::Ge, 1.0);
        p.contrainte(Regle("somme"), vec![(x, 1.0)], Sens::Le, 1.0);
        let lp = p.lp("essai");
        assert!(lp.contains("constante de l'objectif : 3\n"), "{lp}");
        assert!(lp.contains("\\ fixé avant résolution : fixee_e\n"), "{lp}");
        assert!(lp.contains("Minimize\n obj: 2.5 y\n"), "{lp}");
        assert!(
            lp.contains(" somme: 1 x - 1 y >= 1\n somme.2: 1 x <= 1\n"),
            "{lp}"
        );
        assert!(lp.contains(" 0 <= x <= 1\n y >= 0\n"), "{lp}");
        assert!(lp.ends_with("General\n x\nEnd\n"), "{lp}");
    }
}
