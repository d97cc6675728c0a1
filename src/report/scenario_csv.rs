//! Scenario files in collegia's own input format (`elus.csv`, `delegations.csv`), so that what
//! collegia writes (an RNE import, an optimised proposal) loads back as a scenario.

use crate::ingest::{COLONNES_DELEGATIONS, COLONNES_ELUS};
use crate::model::{Delegation, Elu, Organigramme};

fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(csv::Terminator::Any(b'\n'))
        // UTF-8 BOM: a French Excel opens the file with its accents; the reader accepts it.
        .from_writer(crate::report::tableaux::BOM.to_vec())
}

/// A number as collegia writes it in CSV: decimal comma, no thousands separator, no trailing zeros.
pub fn nombre_csv(v: f64) -> String {
    let s = format!("{v:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

/// `elus.csv` with every documented column, in the given order.
pub fn elus_csv(elus: &[Elu]) -> Vec<u8> {
    let mut w = writer();
    // Writing into a Vec cannot fail: results are ignored on purpose.
    let _ = w.write_record(COLONNES_ELUS.iter().map(|c| c.nom));
    for e in elus {
        let opt = |o: &Option<String>| o.clone().unwrap_or_default();
        let _ = w.write_record([
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
            e.taux_actuel.map(nombre_csv).unwrap_or_default(),
            e.autres_indemnites_eur.map(nombre_csv).unwrap_or_default(),
            match e.chef_de_file {
                Some(true) => "oui".to_string(),
                Some(false) => "non".to_string(),
                None => String::new(),
            },
        ]);
    }
    w.into_inner().unwrap_or_default()
}

/// `delegations.csv` for délégations referring to `elus` and `org` by index.
pub fn delegations_csv(delegations: &[Delegation], elus: &[Elu], org: &Organigramme) -> Vec<u8> {
    let mut w = writer();
    let _ = w.write_record(COLONNES_DELEGATIONS.iter().map(|c| c.nom));
    for d in delegations {
        let _ = w.write_record([
            elus[d.elu].id.as_str(),
            org.noeud(d.noeud).id.as_str(),
            d.role.code(),
            d.libelle.as_str(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Source, parse_elus};

    #[test]
    fn numbers_use_a_decimal_comma() {
        assert_eq!(nombre_csv(33.5), "33,5");
        assert_eq!(nombre_csv(145.0), "145");
        assert_eq!(nombre_csv(1850.4), "1850,4");
    }

    #[test]
    fn written_elus_load_back_identically() {
        let text = "id;nom;prenom;sexe;fonction;rang;groupe;liste;composante;quartier;commune_deleguee;axe;taux_actuel;autres_indemnites_eur;chef_de_file\nE1;Durand;Anne;F;adjoint;1;G1;majorite;Verts;Nord;;transition;33,5;1850,4;oui\nE2;Roy;Li;M;conseiller;;;opposition;;;;;;;\n";
        let axes = vec![crate::model::Axe {
            id: "transition".into(),
            libelle: "Transition écologique".into(),
        }];
        let a = parse_elus(&Source::texte("e.csv", text), &axes, &[]).expect("valid");
        let out = elus_csv(&a);
        let b = parse_elus(
            &Source {
                nom: "e.csv".into(),
                octets: out.clone(),
            },
            &axes,
            &[],
        )
        .expect("reload");
        assert_eq!(a, b);
        let out = String::from_utf8(out).expect("utf8");
        assert_eq!(out.strip_prefix('\u{feff}'), Some(text));
    }
}
