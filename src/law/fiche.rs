//! The préfecture-style sheet of a commune's indemnités at a date (`collegia bareme`).
//!
//! In: populations, a date, the commune's majorations, whether it has adjoint·es de quartier.
//! Out: a [`Fiche`] (plain data, `Serialize` for JSON) whose every line carries its article and
//! its status; [`Fiche::render_table`] and [`Fiche::render_csv`] return the French text renderings.
//!
//! Number format: French, decimal comma, thousands grouped with a narrow no-break space (see
//! [`SEPARATEUR_MILLIERS`](super::SEPARATEUR_MILLIERS) and [`crate::format`]): `5 960,26 €`, `145 %`. The CSV has no
//! thousands separator (so spreadsheets read the numbers) and uses `;` as field separator.

use super::bareme::{Bareme, Regime, taux_adjoint_strate_superieure, taux_maire_strate_superieure};
use super::commune_nouvelle::conseil_declare;
use super::composition::{
    EligibiliteQuartier, max_adjoints, max_adjoints_quartier, statut_effectif_legal,
};
use super::ecretement::{indemnite_parlementaire_base, plafond_ecretement};
use super::enveloppe::{Perimetre, enveloppe, perimetre};
use super::majoration::{categories_retenues, cumul_explicite, taux_majoration};
use super::{
    Commune, LawError, Plm, Statut, format_decimal, format_entier, format_euros, format_taux,
};
use crate::model::{Fonction, Majoration};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;

/// One line of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LigneFiche {
    /// Stable key (`maire`, `enveloppe`, `majoration_dsu`…).
    pub cle: String,
    /// French label.
    pub libelle: String,
    /// Non-numeric or count value (`55`, `loi n° 2025-1249`), if any.
    pub valeur: Option<String>,
    /// Rate in % (of the terme de référence, or of the voted indemnity for majorations).
    pub taux: Option<Decimal>,
    /// Monthly gross amount in euros, rounded to the cent.
    pub montant_eur: Option<Decimal>,
    /// Article(s).
    pub article: &'static str,
    /// Status of the line.
    pub statut: Statut,
    /// True when the line can be relied on (verified, or derived from verified inputs); false
    /// for UNVERIFIED or PARTIAL points.
    pub verifie: bool,
    /// Explanation (French), if any.
    pub note: Option<String>,
}

impl LigneFiche {
    fn new(cle: impl Into<String>, libelle: impl Into<String>, article: &'static str) -> Self {
        LigneFiche {
            cle: cle.into(),
            libelle: libelle.into(),
            valeur: None,
            taux: None,
            montant_eur: None,
            article,
            statut: Statut::Verifie,
            verifie: true,
            note: None,
        }
    }

    fn valeur(mut self, v: impl Into<String>) -> Self {
        self.valeur = Some(v.into());
        self
    }

    fn taux(mut self, t: Decimal) -> Self {
        self.taux = Some(t);
        self
    }

    fn montant(mut self, m: Decimal) -> Self {
        self.montant_eur = Some(m);
        self
    }

    fn statut(mut self, s: Statut) -> Self {
        self.statut = s;
        self.verifie = s.est_verifie();
        self
    }

    fn note(mut self, n: impl Into<String>) -> Self {
        self.note = Some(n.into());
        self
    }
}

/// The sheet: the regime, the terme de référence, the council, the barèmes, the enveloppe and the
/// majorations of a commune at a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fiche {
    /// Date of the sheet.
    pub date: NaiveDate,
    /// Population totale (indemnity strata).
    pub population_totale: u32,
    /// Population municipale (council size).
    pub population_municipale: u32,
    /// Regime applied.
    pub regime: Regime,
    /// 100 % of the terme de référence, exact (unrounded) monthly gross.
    pub terme_reference_exact: Decimal,
    /// Effectif légal of the council.
    pub effectif_legal: u32,
    /// Maximal number of adjoint·es (30 %).
    pub max_adjoints: u32,
    /// Maximal number of adjoint·es de quartier (10 %, 0 when not eligible).
    pub max_adjoints_quartier: u32,
    /// Lines in display order.
    pub lignes: Vec<LigneFiche>,
}

/// The sheet of a commune at `date` (what a préfecture would send): `quartier` says whether the
/// commune has created adjoint·es de quartier (it changes the 2025 enveloppe); `taux_sinistre`
/// is needed only with [`Majoration::CommuneSinistree`].
///
/// In the 2019 regime the enveloppe depends on the adjoint·es actually in office with a
/// délégation: the sheet assumes every post is filled (the maximum), and says so.
///
/// `code_insee` selects the Paris-Lyon-Marseille rules (75056, 69123, 13055: council size
/// L2511-1, caps L2511-34 / L2511-34-1); any other code, or none, the ordinary ones.
#[allow(clippy::too_many_arguments)]
pub fn fiche(
    population_totale: u32,
    population_municipale: u32,
    date: NaiveDate,
    majorations: &[Majoration],
    quartier: bool,
    taux_sinistre: Option<Decimal>,
    code_insee: Option<&str>,
) -> Result<Fiche, LawError> {
    fiche_conseil(
        population_totale,
        population_municipale,
        date,
        majorations,
        quartier,
        taux_sinistre,
        code_insee,
        ConseilFiche::default(),
    )
}

/// The council as `bareme` is told it (`--effectif-conseil`, `--commune-nouvelle`), so that the
/// sheet computes what `indemnites` computes for the same scenario.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConseilFiche {
    /// Size of the council when it differs from the table (`effectif_conseil`).
    pub effectif_conseil: Option<u32>,
    /// The commune is a commune nouvelle (`commune_nouvelle`): a council above the ordinary
    /// size is an enlarged council, capped by L2113-7 / L2113-8.
    pub commune_nouvelle: bool,
}

/// [`fiche`] for a council of a given size, commune nouvelle or not.
#[allow(clippy::too_many_arguments)]
pub fn fiche_conseil(
    population_totale: u32,
    population_municipale: u32,
    date: NaiveDate,
    majorations: &[Majoration],
    quartier: bool,
    taux_sinistre: Option<Decimal>,
    code_insee: Option<&str>,
    conseil: ConseilFiche,
) -> Result<Fiche, LawError> {
    let mut commune = Commune::new(date, population_totale, population_municipale);
    commune.majorations = majorations.to_vec();
    commune.taux_sinistre = taux_sinistre;
    commune.plm = code_insee.and_then(Plm::depuis_code_insee);
    // CGCT L2511-1-1: no adjoint·es de quartier in Paris, Lyon and Marseille.
    commune.quartier = quartier && commune.plm.is_none();
    commune.effectif_conseil = conseil.effectif_conseil;
    let ordinaire = commune.effectif_ordinaire();
    if let Some(n) = conseil.effectif_conseil
        && conseil.commune_nouvelle
        && n > ordinaire
    {
        commune.conseil_elargi = Some(conseil_declare(n, ordinaire));
    }
    let plm = commune.plm;
    let b = Bareme::new(date, population_totale)?;
    let r = &b.reference;
    let effectif = commune.effectif_legal();
    let max30 = max_adjoints(effectif);
    // L2122-2-1 names no population: its 20 000 / 80 000 thresholds read on the population
    // totale, as the checks do (reference §2.3); none in PLM (L2511-1-1).
    let q = if plm.is_some() {
        max_adjoints_quartier(0, effectif)
    } else {
        max_adjoints_quartier(population_totale, effectif)
    };
    let mut lignes = Vec::new();

    lignes.push(
        LigneFiche::new("regime", "Régime applicable", b.regime.article())
            .valeur(match b.regime {
                Regime::Loi2019 => "loi 2019-1461",
                Regime::Loi2025 => "loi 2025-1249",
            })
            .statut(b.regime.statut())
            .note(b.regime.libelle()),
    );
    lignes.push(
        LigneFiche::new(
            "terme_reference",
            "Terme de référence (100 %)",
            "CGCT L2123-20 I",
        )
        .valeur(format!("IB {} / IM {}", r.indice_brut, r.indice_majore))
        .taux(dec!(100))
        .montant(r.base_arrondie())
        .statut(r.statut)
        .note(format!(
            "IM {} × {} € par an pour 100 points ÷ 1 200 = {} € exactement ; {}",
            r.indice_majore,
            format_decimal(r.valeur_point_annuelle_100, Some(2)),
            format_decimal(r.base_exacte().round_dp(6), None),
            r.textes
        )),
    );

    // Council. The small rows of L2121-2 are PARTIAL from the 2026 renewal (reference §6.1).
    let statut_effectif = statut_effectif_legal(population_municipale, date);
    let doute_effectif = if statut_effectif.est_verifie() {
        ""
    } else {
        " ; tableau supposé inchangé au renouvellement de 2026 (proposition de loi sénatoriale de 2024 non adoptée à notre connaissance)"
    };
    lignes.push(match plm {
        // CGCT L2511-1 and following (code électoral L260, tableau n° 2): the PLM sizes.
        Some(v) => LigneFiche::new(
            "effectif_legal",
            "Effectif légal du conseil",
            "CGCT L2511-1",
        )
        .valeur(effectif.to_string())
        .statut(Statut::Verifie)
        .note(format!(
            "conseil municipal de {} (régime Paris-Lyon-Marseille), quelle que soit la population",
            v.nom()
        )),
        None if commune.elargi().is_some() || commune.effectif_conseil.is_some() => {
            LigneFiche::new(
                "effectif_legal",
                "Effectif légal du conseil",
                commune.article_effectif(),
            )
            .valeur(effectif.to_string())
            .statut(commune.statut_effectif())
            .note(match commune.elargi() {
                Some(c) => format!(
                    "{} ; indemnités plafonnées à celles d'une commune de même population ({} sièges)",
                    c.note, c.effectif_ordinaire
                ),
                None => format!(
                    "effectif réel du conseil (--effectif-conseil) au lieu de {} ; conseil réputé complet (lecture L110)",
                    commune.effectif_ordinaire()
                ),
            })
        }
        None => LigneFiche::new(
            "effectif_legal",
            "Effectif légal du conseil",
            "CGCT L2121-2",
        )
        .valeur(effectif.to_string())
        .statut(statut_effectif)
        .note(format!(
            "population municipale {}{doute_effectif}",
            format_entier(population_municipale)
        )),
    });
    lignes.push(
        LigneFiche::new(
            "max_adjoints",
            "Adjoint·es au maximum (30 %)",
            "CGCT L2122-2",
        )
        .valeur(max30.to_string())
        .statut(statut_effectif)
        .note("les maires délégué·es ne sont pas compté·es (L2113-13)"),
    );
    let note_q = match q.eligibilite {
        EligibiliteQuartier::DeDroit => {
            "80 000 habitant·es et plus ; arrondi inférieur des 10 % non vérifié"
        }
        EligibiliteQuartier::SiConseilsDeQuartier => {
            "20 000 à 79 999 habitant·es : seulement si la commune a créé des conseils de quartier (L2143-1) ; arrondi non vérifié"
        }
        EligibiliteQuartier::NonEligible => {
            "moins de 20 000 habitant·es (population totale) : impossible"
        }
    };
    lignes.push(match plm {
        Some(v) => LigneFiche::new(
            "max_adjoints_quartier",
            "Adjoint·es de quartier en plus (10 %)",
            "CGCT L2511-1-1",
        )
        .valeur("0")
        .statut(Statut::Verifie)
        .note(format!(
            "L2122-2-1 ne s'applique pas à {} (Paris, Lyon, Marseille) : pas d'adjoint·es de quartier",
            v.nom()
        )),
        None => LigneFiche::new(
            "max_adjoints_quartier",
            "Adjoint·es de quartier en plus (10 %)",
            "CGCT L2122-2-1",
        )
        .valeur(q.max.to_string())
        .statut(q.statut)
        .note(note_q),
    });

    // Barèmes.
    let statut_eur = b.statut_montants();
    let note_eur = match b.regime {
        Regime::Loi2019 => format!("strate {}", b.strate_maire),
        Regime::Loi2025 => format!(
            "strate {} ; montants calculés, pas de tableau officiel 2026",
            b.strate_maire
        ),
    };
    lignes.push(match plm {
        Some(Plm::Paris) => LigneFiche::new("maire", "Maire (maximum)", "CGCT L2511-34-1")
            .taux(Plm::Paris.taux_maire(b.taux_maire))
            .montant(r.montant(Plm::Paris.taux_maire(b.taux_maire)))
            .statut(statut_eur)
            .note("maire de Paris (L2511-34-1 al. 1) ; versé de droit, moins seulement à la demande du maire"),
        _ => LigneFiche::new("maire", "Maire (maximum)", "CGCT L2123-23")
            .taux(b.taux_maire)
            .montant(b.montant_maire())
            .statut(statut_eur)
            .note(format!(
                "{note_eur} ; versé de droit, moins seulement à la demande du maire"
            )),
    });
    // L2123-23 last paragraph: 100 000 inhabitants and more (not Paris), the maire may get 40 %
    // of the barème more, outside the enveloppe, within the total of the maxima (L017; L121).
    if let Some(m) = b.majoration_maire(&commune) {
        lignes.push(
            LigneFiche::new(
                "maire_majore",
                "Maire, majoration de 40 % du barème",
                "CGCT L2123-23 (dernier alinéa)",
            )
            .taux(b.taux_maire + m)
            .montant(r.montant(b.taux_maire + m))
            .statut(statut_eur.max(Statut::NonVerifie))
            .note(format!(
                "{} + 40 % de ce barème, hors enveloppe, si le total des indemnités votées reste dans la somme des indemnités maximales sans cette majoration (lecture L121)",
                format_taux(b.taux_maire)
            )),
        );
    }
    lignes.push(match plm {
        // L2511-34 / L2511-34-1: « au maximum égales à », a cap even inside the enveloppe (L122).
        Some(v) => LigneFiche::new("adjoint", "Adjoint·e (plafond)", v.article())
            .taux(v.taux_adjoint())
            .montant(r.montant(v.taux_adjoint()))
            .statut(statut_eur.max(Statut::NonVerifie))
            .note(format!(
                "taux des adjoint·es de {} : plafond individuel, même dans l'enveloppe (lecture L122)",
                v.nom()
            )),
        None => LigneFiche::new("adjoint", "Adjoint·e (barème)", "CGCT L2123-24 I")
            .taux(b.taux_adjoint)
            .montant(b.montant_adjoint())
            .statut(statut_eur)
            .note(format!(
                "strate {} ; peut être dépassé dans l'enveloppe (L2123-24 II), jamais au-delà de l'indemnité du maire (L2123-24 IV)",
                b.strate_adjoint
            )),
    });
    let pc = perimetre(Fonction::Conseiller, population_totale);
    lignes.push(
        LigneFiche::new(
            "conseiller_delegue",
            "Conseiller·e délégué·e (plafond)",
            "CGCT L2123-24-1 III et V",
        )
        .taux(b.taux_maire)
        .montant(b.montant_maire())
        .statut(statut_eur)
        .note(if pc.perimetre == Perimetre::HorsEnveloppe {
            // reference §3: cumulation of L2123-24-1 I and III is UNVERIFIED (open point L109).
            "dans l'enveloppe ; au plus l'indemnité maximale du maire ; cumul avec les 6 % du I (hors enveloppe) non vérifié"
        } else {
            "dans l'enveloppe ; au plus l'indemnité maximale du maire"
        }),
    );
    lignes.push(match plm {
        Some(v) => LigneFiche::new(
            "conseiller",
            "Conseiller·e municipal·e (plafond)",
            v.article(),
        )
        .taux(v.taux_conseiller())
        .montant(r.montant(v.taux_conseiller()))
        .statut(statut_eur.max(Statut::NonVerifie))
        .note(format!(
            "taux des conseiller·es de {} au lieu des 6 % ; hors enveloppe (lecture L122)",
            v.nom()
        )),
        None => LigneFiche::new(
            "conseiller",
            "Conseiller·e municipal·e (plafond)",
            pc.article,
        )
        .taux(b.taux_conseiller)
        .montant(b.montant_conseiller())
        .statut(statut_eur.max(pc.statut))
        .note(match pc.perimetre {
            Perimetre::Enveloppe => "dans l'enveloppe (moins de 100 000 habitant·es)",
            _ => "hors enveloppe (100 000 habitant·es et plus : lecture du texte)",
        }),
    });

    // CGCT L2511-35: maires and adjoint·es d'arrondissement (de secteur in Marseille), their
    // own caps outside the enveloppe (the text was not read: non vérifié, L122).
    if let Some(v) = plm {
        lignes.push(
            LigneFiche::new(
                "maire_arrondissement",
                "Maire d'arrondissement ou de secteur (plafond)",
                Plm::ARTICLE_ARRONDISSEMENT,
            )
            .taux(v.taux_maire_arrondissement())
            .montant(r.montant(v.taux_maire_arrondissement()))
            .statut(Statut::NonVerifie)
            .note("hors enveloppe, sans cumul avec l'indemnité de conseiller·e ; taux voté par Marseille en 2020 (lecture L122)"),
        );
        lignes.push(
            LigneFiche::new(
                "adjoint_arrondissement",
                "Adjoint·e d'arrondissement ou de secteur (plafond)",
                Plm::ARTICLE_ARRONDISSEMENT,
            )
            .taux(v.taux_adjoint_arrondissement())
            .montant(r.montant(v.taux_adjoint_arrondissement()))
            .statut(Statut::NonVerifie)
            .note("hors enveloppe (lecture L122)"),
        );
    }

    // Enveloppe: in the 2019 regime, assume every post filled with a délégation.
    let occupes = max30 + if commune.quartier { q.max } else { 0 };
    let env = enveloppe(&commune, occupes)?;
    let mut ligne_env = LigneFiche::new("enveloppe", "Enveloppe indemnitaire globale", env.article)
        .valeur(format!(
            "maire + {} adjoint·es",
            env.nb_adjoints + env.nb_adjoints_quartier
        ))
        .taux(env.taux_total)
        .montant(env.montant_eur)
        .statut(env.statut);
    ligne_env = match env.regime {
        Regime::Loi2019 => ligne_env.note(format!(
            "hors majorations ; hypothèse : tous les postes d'adjoint·e pourvus avec délégation ({})",
            env.note
        )),
        Regime::Loi2025 => ligne_env.note(format!("hors majorations ; {}", env.note)),
    };
    lignes.push(ligne_env);

    // Majorations: every category asked for is listed; only the highest 1° category applies
    // (L115) and only the cumulation 1° + 2° is explicit (R2123-23 2°; L106).
    let mut categories = majorations.to_vec();
    categories.sort();
    categories.dedup();
    let (retenues, chef_lieu_ecarte) = categories_retenues(majorations);
    let explicite = cumul_explicite(&retenues);
    for m in categories {
        let cle = format!("majoration_{}", m.code());
        let libelle = format!("Majoration : {}", m.libelle());
        let ligne = match taux_majoration(m, population_totale, taux_sinistre)? {
            Some(pct) => {
                let mut l = LigneFiche::new(cle, libelle, article_majoration(m))
                    .taux(pct)
                    .statut(Statut::Verifie)
                    .note("en % de l'indemnité votée, en plus de l'enveloppe ; pas pour les conseiller·es sans délégation de moins de 100 000 habitant·es");
                let chef_lieu = matches!(
                    m,
                    Majoration::ChefLieuDepartement
                        | Majoration::ChefLieuArrondissement
                        | Majoration::BureauCentralisateurCanton
                );
                if !retenues.contains(&m) {
                    l = l.statut(Statut::NonVerifie).note(
                        "non cumulée : seule la majoration de chef-lieu la plus élevée s'applique (hypothèse)",
                    );
                } else if !explicite {
                    l = l.statut(Statut::NonVerifie).note(
                        "en % de l'indemnité votée ; cumul additif avec les autres majorations (hypothèse)",
                    );
                } else if chef_lieu && chef_lieu_ecarte {
                    l = l.statut(Statut::NonVerifie).note(
                        "en % de l'indemnité votée ; seule majoration de chef-lieu retenue, la plus élevée (hypothèse)",
                    );
                } else if retenues.len() > 1 {
                    l = l.note(
                        "en % de l'indemnité votée, en plus de l'enveloppe ; chef-lieu et commune sinistrée se cumulent, chacune sur l'indemnité non majorée (R2123-23 2°)",
                    );
                }
                l
            }
            None => {
                let sup_m = taux_maire_strate_superieure(b.regime, population_totale);
                let sup_a = taux_adjoint_strate_superieure(b.regime, population_totale);
                let fmt = |t: Option<Decimal>| t.map_or("sans objet".to_string(), format_taux);
                LigneFiche::new(cle, libelle, article_majoration(m))
                    .valeur(format!(
                        "maire : {}, adjoint·e : {}",
                        fmt(sup_m),
                        fmt(sup_a)
                    ))
                    .statut(Statut::NonVerifie)
                    .note("taux de la strate supérieure ; sur une indemnité votée inférieure au maximum : taux voté × taux supérieur / taux de la strate (hypothèse)")
            }
        };
        lignes.push(ligne);
    }

    if let (Ok(plafond), Ok(ipb)) = (plafond_ecretement(date), indemnite_parlementaire_base(date)) {
        lignes.push(
            LigneFiche::new(
                "ecretement",
                "Écrêtement : plafond tous mandats",
                "CGCT L2123-20 II",
            )
            .montant(plafond)
            .statut(Statut::NonVerifie)
            .note(format!(
                "1,5 × indemnité parlementaire de base ({}) ; par personne, net de cotisations ; rédaction après la loi 2025-1249 non vérifiée",
                format_euros(ipb)
            )),
        );
    }

    Ok(Fiche {
        date,
        population_totale,
        population_municipale,
        regime: b.regime,
        terme_reference_exact: r.base_exacte(),
        effectif_legal: effectif,
        max_adjoints: max30,
        max_adjoints_quartier: q.max,
        lignes,
    })
}

fn article_majoration(m: Majoration) -> &'static str {
    match m {
        Majoration::ChefLieuDepartement
        | Majoration::ChefLieuArrondissement
        | Majoration::BureauCentralisateurCanton => "CGCT L2123-22 1° ; R2123-23 1°",
        Majoration::CommuneSinistree => "CGCT L2123-22 2° ; R2123-23 2°",
        Majoration::StationTourisme => "CGCT L2123-22 3° ; R2123-23 3°",
        Majoration::Dsu => "CGCT L2123-22 5°",
    }
}

impl Fiche {
    /// Aligned French text table, one row per line, then the notes and a legend.
    pub fn render_table(&self) -> String {
        let entetes = [
            "Élément",
            "Valeur",
            "Taux",
            "Montant brut mensuel",
            "Article",
            "Statut",
        ];
        let mut lignes: Vec<[String; 6]> = Vec::with_capacity(self.lignes.len());
        for (i, l) in self.lignes.iter().enumerate() {
            let renvoi = if l.note.is_some() {
                format!(" ({})", i + 1)
            } else {
                String::new()
            };
            lignes.push([
                format!("{}{renvoi}", l.libelle),
                l.valeur.clone().unwrap_or_default(),
                l.taux.map(format_taux).unwrap_or_default(),
                l.montant_eur.map(format_euros).unwrap_or_default(),
                l.article.to_string(),
                l.statut.libelle().to_string(),
            ]);
        }
        let mut largeurs = entetes.map(|e| e.chars().count());
        for l in &lignes {
            for (k, cellule) in l.iter().enumerate() {
                largeurs[k] = largeurs[k].max(cellule.chars().count());
            }
        }
        // Numbers (taux, montant) are right-aligned.
        let droite = [false, false, true, true, false, false];
        let formater = |cellules: &[String]| -> String {
            let mut out = String::new();
            for (k, c) in cellules.iter().enumerate() {
                if k > 0 {
                    out.push_str("  ");
                }
                let pad = largeurs[k] - c.chars().count();
                if droite[k] {
                    out.push_str(&" ".repeat(pad));
                    out.push_str(c);
                } else {
                    out.push_str(c);
                    if k + 1 < cellules.len() {
                        out.push_str(&" ".repeat(pad));
                    }
                }
            }
            out.trim_end().to_string()
        };
        let mut out = format!(
            "Indemnités des élu·es au {} — population totale {}, population municipale {}\n\n",
            self.date.format("%d/%m/%Y"),
            format_entier(self.population_totale),
            format_entier(self.population_municipale)
        );
        out.push_str(&formater(&entetes.map(String::from)));
        out.push('\n');
        let total: usize = largeurs.iter().sum::<usize>() + 2 * (largeurs.len() - 1);
        out.push_str(&"-".repeat(total));
        out.push('\n');
        for l in &lignes {
            out.push_str(&formater(l));
            out.push('\n');
        }
        out.push_str("\nNotes\n");
        for (i, l) in self.lignes.iter().enumerate() {
            if let Some(n) = &l.note {
                out.push_str(&format!("({}) {n}\n", i + 1));
            }
        }
        out.push_str(
            "\nMontants bruts mensuels, arrondis au centime. « non vérifié » / « partiel » : \
             hypothèse à confirmer sur Légifrance (voir docs/droit.md).\n",
        );
        out
    }

    /// CSV in collegia's one CSV configuration (BOM, `;`, CRLF, neutralised text), decimal
    /// comma, no thousands separator, with a header line.
    pub fn render_csv(&self) -> String {
        let mut out = crate::csv_francais::EcrivainCsv::new();
        out.ligne([
            "cle",
            "element",
            "valeur",
            "taux_pct",
            "montant_eur",
            "article",
            "statut",
            "verifie",
            "note",
        ]);
        for l in &self.lignes {
            let champs = [
                l.cle.clone(),
                l.libelle.clone(),
                l.valeur.clone().unwrap_or_default(),
                l.taux
                    .map(|t| {
                        format_decimal(t.round_dp(4), None).replace(super::SEPARATEUR_MILLIERS, "")
                    })
                    .unwrap_or_default(),
                l.montant_eur
                    .map(|m| format_decimal(m, Some(2)).replace(super::SEPARATEUR_MILLIERS, ""))
                    .unwrap_or_default(),
                l.article.to_string(),
                l.statut.libelle().to_string(),
                if l.verifie { "oui" } else { "non" }.to_string(),
                l.note.clone().unwrap_or_default(),
            ];
            out.ligne(champs);
        }
        out.texte()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::law::date;

    fn ligne<'a>(f: &'a Fiche, cle: &str) -> &'a LigneFiche {
        f.lignes
            .iter()
            .find(|l| l.cle == cle)
            .unwrap_or_else(|| panic!("line {cle}"))
    }

    #[test]
    fn sheet_of_a_130000_commune_in_april_2026() {
        let f = fiche(
            130000,
            130000,
            date(2026, 4, 1),
            &[Majoration::ChefLieuDepartement],
            false,
            None,
            None,
        )
        .expect("covered date");
        assert_eq!(f.regime, Regime::Loi2025);
        assert_eq!(f.effectif_legal, 55);
        assert_eq!(f.max_adjoints, 16);
        assert_eq!(f.max_adjoints_quartier, 5);
        let m = ligne(&f, "maire");
        assert_eq!(
            (m.taux, m.montant_eur),
            (Some(dec!(145)), Some(dec!(5960.26)))
        );
        assert_eq!(m.article, "CGCT L2123-23");
        let a = ligne(&f, "adjoint");
        assert_eq!(
            (a.taux, a.montant_eur),
            (Some(dec!(66)), Some(dec!(2712.95)))
        );
        let c = ligne(&f, "conseiller");
        assert_eq!(c.montant_eur, Some(dec!(246.63)));
        assert_eq!(c.article, "CGCT L2123-24-1 I");
        assert!(!c.verifie);
        let e = ligne(&f, "enveloppe");
        assert_eq!(e.taux, Some(dec!(1201)));
        assert_eq!(e.montant_eur, Some(dec!(49367.39)));
        let t = ligne(&f, "terme_reference");
        assert_eq!(t.montant_eur, Some(dec!(4110.52)));
        assert_eq!(t.statut, Statut::Partiel); // 2026: point unchanged is absence of evidence
        let j = ligne(&f, "majoration_chef_lieu_departement");
        assert_eq!(j.taux, Some(dec!(25)));
        assert!(j.verifie);
        let x = ligne(&f, "ecretement");
        assert_eq!(x.montant_eur, Some(dec!(8897.93)));
        assert!(!x.verifie);
    }

    #[test]
    fn sheet_2024_reproduces_the_official_table() {
        let f = fiche(5000, 5000, date(2024, 6, 1), &[], false, None, None).expect("covered date");
        assert_eq!(ligne(&f, "maire").montant_eur, Some(dec!(2260.79)));
        assert_eq!(ligne(&f, "adjoint").montant_eur, Some(dec!(904.32)));
        assert!(ligne(&f, "maire").verifie);
        // 2019 regime, all 8 posts assumed filled: 55 + 8 × 22 = 231 %
        assert_eq!(ligne(&f, "enveloppe").taux, Some(dec!(231)));
        assert_eq!(
            ligne(&f, "max_adjoints_quartier").valeur.as_deref(),
            Some("0")
        );
    }

    #[test]
    fn quartier_changes_the_2025_envelope() {
        let f = fiche(130000, 130000, date(2026, 4, 1), &[], true, None, None).expect("ok");
        // 145 + (16 + 5) × 66 = 1 531 %
        let e = ligne(&f, "enveloppe");
        assert_eq!(e.taux, Some(dec!(1531)));
        assert!(!e.verifie);
    }

    #[test]
    fn majorations_are_listed_and_flagged() {
        let f = fiche(
            3000,
            3000,
            date(2026, 4, 1),
            &[
                Majoration::StationTourisme,
                Majoration::ChefLieuArrondissement,
                Majoration::BureauCentralisateurCanton,
                Majoration::Dsu,
            ],
            false,
            None,
            None,
        )
        .expect("ok");
        let st = ligne(&f, "majoration_station_tourisme");
        assert_eq!(st.taux, Some(dec!(50)));
        assert!(!st.verifie); // cumulation is a best belief
        let bc = ligne(&f, "majoration_bureau_centralisateur_canton");
        assert!(
            bc.note
                .as_deref()
                .is_some_and(|n| n.contains("non cumulée"))
        );
        let dsu = ligne(&f, "majoration_dsu");
        assert_eq!(
            dsu.valeur.as_deref(),
            Some("maire : 58,3\u{202f}%, adjoint·e : 23,32\u{202f}%")
        );
        assert!(
            fiche(
                3000,
                3000,
                date(2026, 4, 1),
                &[Majoration::CommuneSinistree],
                false,
                None,
                None
            )
            .is_err()
        );
    }

    #[test]
    fn chef_lieu_and_sinistree_stay_verified() {
        // R2123-23 2°: commune sinistrée cumulable with 1° (reference §4, YES text)
        let f = fiche(
            30000,
            30000,
            date(2024, 6, 1),
            &[
                Majoration::CommuneSinistree,
                Majoration::ChefLieuArrondissement,
            ],
            false,
            Some(dec!(12.5)),
            None,
        )
        .expect("ok");
        let s = ligne(&f, "majoration_commune_sinistree");
        assert_eq!((s.taux, s.statut), (Some(dec!(12.5)), Statut::Verifie));
        let a = ligne(&f, "majoration_chef_lieu_arrondissement");
        assert_eq!((a.taux, a.statut), (Some(dec!(20)), Statut::Verifie));
        // two 1° categories: the retained one is flagged too (L115)
        let f = fiche(
            30000,
            30000,
            date(2024, 6, 1),
            &[
                Majoration::ChefLieuArrondissement,
                Majoration::ChefLieuDepartement,
            ],
            false,
            None,
            None,
        )
        .expect("ok");
        assert_eq!(
            ligne(&f, "majoration_chef_lieu_departement").statut,
            Statut::NonVerifie
        );
        assert!(
            ligne(&f, "majoration_chef_lieu_arrondissement")
                .note
                .as_deref()
                .is_some_and(|n| n.contains("non cumulée"))
        );
    }

    #[test]
    fn small_council_size_is_partial_from_2026() {
        // reference §6.1: 2024 Senate bill on the 100 – 3 499 rows, not known to be law
        let f = fiche(800, 800, date(2026, 4, 1), &[], false, None, None).expect("ok");
        let e = ligne(&f, "effectif_legal");
        assert_eq!(
            (e.valeur.as_deref(), e.statut),
            (Some("15"), Statut::Partiel)
        );
        assert!(!ligne(&f, "max_adjoints").verifie);
        let f = fiche(800, 800, date(2025, 6, 1), &[], false, None, None).expect("ok");
        assert!(ligne(&f, "effectif_legal").verifie);
        let f = fiche(130000, 130000, date(2026, 4, 1), &[], false, None, None).expect("ok");
        assert!(ligne(&f, "effectif_legal").verifie);
        // ≥ 100 000: the conseiller délégué line names the cumulation open point (L109)
        assert!(
            ligne(&f, "conseiller_delegue")
                .note
                .as_deref()
                .is_some_and(|n| n.contains("non vérifié"))
        );
    }

    #[test]
    fn date_before_the_tables_is_an_error() {
        assert!(fiche(5000, 5000, date(2019, 1, 1), &[], false, None, None).is_err());
    }

    #[test]
    fn table_is_french_and_aligned() {
        let f = fiche(130000, 130000, date(2026, 4, 1), &[], false, None, None).expect("ok");
        let t = f.render_table();
        assert!(t.contains("5\u{202f}960,26\u{202f}€"), "{t}");
        assert!(t.contains("145\u{202f}%"));
        assert!(t.contains("49\u{202f}367,39\u{202f}€"));
        assert!(t.contains("population totale 130\u{202f}000"));
        assert!(t.contains("au 01/04/2026"));
        // every amount ends in the same column
        let colonnes: Vec<usize> = t
            .lines()
            .filter(|l| l.contains("\u{202f}€  "))
            .map(|l| l.find("\u{202f}€  ").map_or(0, |i| l[..i].chars().count()))
            .collect();
        assert!(colonnes.len() >= 5);
        assert!(
            colonnes.windows(2).all(|w| w[0] == w[1]),
            "{colonnes:?}\n{t}"
        );
    }

    #[test]
    fn csv_has_a_header_and_decimal_commas() {
        let f = fiche(130000, 130000, date(2026, 4, 1), &[], false, None, None).expect("ok");
        let csv = f.render_csv();
        let csv = csv.strip_prefix('\u{feff}').expect("BOM");
        let mut lignes = csv.lines();
        assert_eq!(
            lignes.next(),
            Some("cle;element;valeur;taux_pct;montant_eur;article;statut;verifie;note")
        );
        let maire = csv
            .lines()
            .find(|l| l.starts_with("maire;"))
            .expect("maire line");
        assert!(
            maire.starts_with("maire;Maire (maximum);;145;5960,26;CGCT L2123-23;"),
            "{maire}"
        );
        let env = csv
            .lines()
            .find(|l| l.starts_with("enveloppe;"))
            .expect("env");
        assert!(env.contains(";1201;49367,39;"), "{env}");
        // 9 fields on every line (notes containing ';' are quoted)
        for l in csv.lines() {
            let mut n = 1;
            let mut guillemets = false;
            for ch in l.chars() {
                match ch {
                    '"' => guillemets = !guillemets,
                    ';' if !guillemets => n += 1,
                    _ => {}
                }
            }
            assert_eq!(n, 9, "{l}");
        }
    }

    #[test]
    fn json_serialises_every_line_with_its_article_and_status() {
        let f = fiche(800, 800, date(2025, 12, 28), &[], false, None, None).expect("ok");
        let v = serde_json::to_value(&f).expect("serialisable");
        assert_eq!(v["regime"], "loi2025");
        let lignes = v["lignes"].as_array().expect("lines");
        assert!(
            lignes
                .iter()
                .all(|l| l["article"].is_string() && l["verifie"].is_boolean())
        );
        let maire = lignes.iter().find(|l| l["cle"] == "maire").expect("maire");
        assert_eq!(maire["montant_eur"], "1820.96");
        assert_eq!(maire["statut"], "derive");
    }

    /// Issue 16: the sheet knows Paris-Lyon-Marseille (by INSEE code) and the maire's +40 % of
    /// L2123-23 last paragraph.
    #[test]
    fn plm_and_the_maire_raise_are_on_the_sheet() {
        let d = date(2026, 4, 1);
        // Marseille (13055): 101 seats (L2511-1), adjoint·es 72,5 %, conseiller·es 34,5 %
        // (L2511-34), and the maire may get 145 + 58 = 203 %.
        let f = fiche(873076, 873076, d, &[], false, None, Some("13055")).expect("ok");
        let e = ligne(&f, "effectif_legal");
        assert_eq!(
            (e.valeur.as_deref(), e.article),
            (Some("101"), "CGCT L2511-1")
        );
        assert_eq!(f.effectif_legal, 101);
        let a = ligne(&f, "adjoint");
        assert_eq!((a.taux, a.article), (Some(dec!(72.5)), "CGCT L2511-34"));
        assert_eq!(ligne(&f, "conseiller").taux, Some(dec!(34.5)));
        assert_eq!(ligne(&f, "maire_majore").taux, Some(dec!(203)));
        // Paris (75056): maire 192,5 % (L2511-34-1), no +40 % (excluded by L2511-34-1).
        let f = fiche(2133111, 2133111, d, &[], false, None, Some("75056")).expect("ok");
        assert_eq!(ligne(&f, "maire").taux, Some(dec!(192.5)));
        assert_eq!(ligne(&f, "adjoint").taux, Some(dec!(128.5)));
        assert!(f.lignes.iter().all(|l| l.cle != "maire_majore"));
        // An ordinary city of 130 000: 203 % possible; of 99 999: not.
        let f = fiche(130000, 130000, d, &[], false, None, None).expect("ok");
        assert_eq!(ligne(&f, "maire_majore").taux, Some(dec!(203)));
        assert_eq!(ligne(&f, "effectif_legal").article, "CGCT L2121-2");
        let f = fiche(99999, 99999, d, &[], false, None, Some("01001")).expect("ok");
        assert!(f.lignes.iter().all(|l| l.cle != "maire_majore"));
    }
}
