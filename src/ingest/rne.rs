//! The Répertoire national des élus (RNE), municipal councillors file → collegia's élu·es.
//!
//! The national file has about 500 000 rows (≈ 65 MB, `;`-separated, UTF-8, 16 columns); it is
//! streamed record by record and only the rows of the requested commune are kept, so memory stays
//! flat whatever the file size. A gzip-compressed file is recognised by its magic bytes.

use super::error::{Code, Diagnostic, IngestError};
use super::table::normalise;
use crate::model::{Elu, Fonction, Liste, Sexe};
use chrono::NaiveDate;
use std::io::{BufReader, Read};
use std::path::Path;

/// The 16 columns of the RNE municipal councillors file (2024–2026), in order.
pub const COLONNES_RNE: [&str; 16] = [
    "Code du département",
    "Libellé du département",
    "Code de la collectivité à statut particulier",
    "Libellé de la collectivité à statut particulier",
    "Code de la commune",
    "Libellé de la commune",
    "Nom de l'élu",
    "Prénom de l'élu",
    "Code sexe",
    "Date de naissance",
    "Code de la catégorie socio-professionnelle",
    "Libellé de la catégorie socio-professionnelle",
    "Date de début du mandat",
    "Libellé de la fonction",
    "Date de début de la fonction",
    "Code nationalité",
];

const C_DEP: usize = 0;
const C_COMMUNE: usize = 4;
const C_LIB_COMMUNE: usize = 5;
const C_NOM: usize = 6;
const C_PRENOM: usize = 7;
const C_SEXE: usize = 8;
const C_DEBUT_MANDAT: usize = 12;
const C_FONCTION: usize = 13;
const C_DEBUT_FONCTION: usize = 14;

/// One élu·e read from the RNE.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EluRne {
    /// Family name.
    pub nom: String,
    /// First name.
    pub prenom: String,
    /// Sex.
    pub sexe: Sexe,
    /// Function mapped to collegia's.
    pub fonction: Fonction,
    /// Rank of an adjoint·e (1 = premier·e adjoint·e).
    pub rang: Option<u32>,
    /// The RNE's wording of the function, as read.
    pub libelle_fonction: String,
    /// Start of the function (or of the mandate), when given.
    pub debut: Option<NaiveDate>,
    /// Line in the RNE file.
    pub ligne: usize,
}

/// The council of one commune, read from the RNE.
#[derive(Debug, Clone)]
pub struct ImportRne {
    /// INSEE code asked for.
    pub code: String,
    /// Name of the commune, as in the RNE.
    pub commune: String,
    /// Élu·es in the order of the tableau: maire, adjoint·es by rank, maires délégué·es, then
    /// conseiller·es by name.
    pub elus: Vec<EluRne>,
    /// Data rows read in the whole file.
    pub lignes_lues: usize,
    /// Non-blocking remarks (unknown function wordings mapped to conseiller, …).
    pub avertissements: Vec<Diagnostic>,
}

/// Longest line (record) accepted in an RNE file, in bytes. Real lines are about 200 bytes; the
/// bound keeps one endless line (a 4 GiB line in a gzipped file) from exhausting memory.
pub const MAX_LIGNE_RNE: usize = 64 * 1024;

/// Error raised by [`LignesBornees`] when a record exceeds [`MAX_LIGNE_RNE`].
#[derive(Debug)]
struct LigneTropLongue {
    ligne: usize,
}

impl std::fmt::Display for LigneTropLongue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ligne {} trop longue", self.ligne)
    }
}

impl std::error::Error for LigneTropLongue {}

/// A reader that fails once a record (a line, quoted line breaks included) grows beyond
/// [`MAX_LIGNE_RNE`] bytes, so that the CSV parser never buffers an unbounded record.
struct LignesBornees<R> {
    inner: R,
    ligne: usize,
    longueur: usize,
    guillemets: bool,
}

impl<R: Read> Read for LignesBornees<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for &b in &buf[..n] {
            match b {
                b'"' => self.guillemets = !self.guillemets,
                b'\n' => {
                    self.ligne += 1;
                    if !self.guillemets {
                        self.longueur = 0;
                        continue;
                    }
                }
                _ => {}
            }
            self.longueur += 1;
            if self.longueur > MAX_LIGNE_RNE {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    LigneTropLongue {
                        ligne: self.ligne + 1,
                    },
                ));
            }
        }
        Ok(n)
    }
}

/// Opens an RNE file, transparently decompressing gzip (recognised by its magic bytes, whatever
/// the extension). Only regular files are opened (a FIFO would block, a device never end).
pub fn ouvrir_rne(path: &Path) -> Result<Box<dyn Read>, Diagnostic> {
    let nom = path.display().to_string();
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => {
            return Err(Diagnostic::fichier(
                Code::E001,
                &nom,
                if m.is_dir() {
                    "c'est un dossier, pas le fichier RNE"
                } else {
                    "ce n'est pas un fichier ordinaire (périphérique, tube nommé ou socket)"
                },
            )
            .aide("donnez le chemin du fichier téléchargé sur data.gouv.fr (« Répertoire national des élus », fichier des conseillers municipaux)"));
        }
        _ => {}
    }
    let f = std::fs::File::open(path).map_err(|e| {
        Diagnostic::fichier(Code::E001, &nom, format!("fichier RNE illisible : {}", super::message_io(&e)))
            .aide("vérifiez le chemin du fichier téléchargé sur data.gouv.fr (« Répertoire national des élus », fichier des conseillers municipaux)")
    })?;
    let mut r = BufReader::with_capacity(1 << 16, f);
    let head = std::io::BufRead::fill_buf(&mut r).map_err(|e| {
        Diagnostic::fichier(
            Code::E001,
            &nom,
            format!("lecture impossible : {}", super::message_io(&e)),
        )
        .aide("vérifiez que le fichier est lisible")
    })?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(r),
        )))
    } else {
        Ok(Box::new(r))
    }
}

fn texte(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) => s.trim().to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode(b).0.trim().to_string(),
    }
}

/// The diagnostic for a read error of the RNE file: an over-long line (E021), a corrupt gzip
/// stream or another system error (E001), worded in French.
fn erreur_lecture(nom: &str, e: &csv::Error, ligne: usize) -> Diagnostic {
    if let csv::ErrorKind::Io(io) = e.kind() {
        if let Some(l) = io
            .get_ref()
            .and_then(|x| x.downcast_ref::<LigneTropLongue>())
        {
            return Diagnostic::fichier(
                Code::E021,
                nom,
                format!("ligne de plus de {MAX_LIGNE_RNE} octets : ce n'est pas un fichier RNE"),
            )
            .ligne(l.ligne)
            .aide("utilisez le fichier « elus-conseillers-municipaux-cm.csv » du Répertoire national des élus (lignes d'environ 200 octets)");
        }
        let d = Diagnostic::fichier(
            Code::E001,
            nom,
            format!("lecture interrompue : {}", super::message_io(io)),
        )
        .aide("vérifiez le fichier (un .gz tronqué ou corrompu se retélécharge sur data.gouv.fr)");
        return if ligne > 0 { d.ligne(ligne) } else { d };
    }
    let d = Diagnostic::fichier(Code::E017, nom, "ligne CSV mal formée")
        .aide("vérifiez les guillemets de la ligne");
    if ligne > 0 { d.ligne(ligne) } else { d }
}

/// Parses an RNE date: `dd/mm/yyyy` (files before 2026) or `yyyy-mm-dd` (2026 files).
pub fn parse_date_rne(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .ok()
}

/// Maps the RNE's `Libellé de la fonction`: `Maire`, `1er adjoint au Maire`, `2ème adjoint au
/// Maire`…, `Maire délégué`, `Adjoint au maire délégué` (L2113-13, no rank in the tableau of
/// the commune nouvelle), empty for a conseiller·e. Returns `None` for an unknown wording.
pub fn parse_fonction_rne(s: &str) -> Option<(Fonction, Option<u32>)> {
    let n = normalise(s);
    if n.is_empty() {
        return Some((Fonction::Conseiller, None));
    }
    if n == "maire" {
        return Some((Fonction::Maire, None));
    }
    if n.starts_with("maire_delegu") {
        return Some((Fonction::MaireDelegue, None));
    }
    // Paris, Lyon, Marseille (L2511-25, L2511-28): « Maire de secteur », « Maire
    // d'arrondissement », « Adjoint au maire d'arrondissement ».
    if n.contains("arrondissement") || n.contains("secteur") {
        if n.contains("adjoint") {
            return Some((Fonction::AdjointArrondissement, None));
        }
        if n.starts_with("maire") {
            return Some((Fonction::MaireArrondissement, None));
        }
    }
    // « Adjoint au maire délégué », « 1ère adjointe au maire déléguée »: the adjoint·e of a
    // commune déléguée, not an adjoint·e of the commune nouvelle (no rank among them).
    if n.find("adjoint")
        .zip(n.find("maire_delegu"))
        .is_some_and(|(a, m)| a < m)
    {
        return Some((Fonction::AdjointMaireDelegue, None));
    }
    if n.contains("adjoint") {
        let digits: String = n.chars().take_while(|c| c.is_ascii_digit()).collect();
        let rang = digits.parse::<u32>().ok().filter(|&r| r >= 1);
        return Some((Fonction::Adjoint, rang));
    }
    if n.starts_with("conseill") {
        return Some((Fonction::Conseiller, None));
    }
    None
}

fn matches_commune(rec: &csv::ByteRecord, code: &str) -> bool {
    let c = rec.get(C_COMMUNE).map(|b| b.trim_ascii()).unwrap_or(b"");
    if c == code.as_bytes() {
        return true;
    }
    // Older files split the code: département + 3-digit commune code.
    if !c.is_empty() && c.len() <= 3 {
        let dep = rec.get(C_DEP).map(|b| b.trim_ascii()).unwrap_or(b"");
        let mut full = Vec::with_capacity(5);
        full.extend_from_slice(dep);
        full.extend(std::iter::repeat_n(b'0', 3 - c.len()));
        full.extend_from_slice(c);
        return full == code.as_bytes();
    }
    false
}

/// Streams an RNE file and keeps the council of the commune `code` (INSEE code, 5 characters).
pub fn lire_rne<R: Read>(reader: R, nom: &str, code: &str) -> Result<ImportRne, IngestError> {
    let code = code.trim().to_uppercase();
    if code.len() != 5 || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(IngestError::one(
            Diagnostic::fichier(Code::E026, nom, format!("code INSEE « {code} » invalide"))
                .aide("le code INSEE d'une commune a 5 caractères, par exemple 44109 pour Nantes ou 2A004 pour Ajaccio (ce n'est pas le code postal)"),
        ));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .flexible(true)
        .from_reader(LignesBornees {
            inner: reader,
            ligne: 0,
            longueur: 0,
            guillemets: false,
        });
    let mut rec = csv::ByteRecord::new();
    let mut diags = Vec::new();
    let mut avertissements = Vec::new();

    // Header.
    match rdr.read_byte_record(&mut rec) {
        Ok(true) => {}
        Ok(false) => {
            return Err(IngestError::one(
                Diagnostic::fichier(Code::E002, nom, "le fichier RNE est vide")
                    .aide("téléchargez le fichier des conseillers municipaux sur data.gouv.fr"),
            ));
        }
        Err(e) => return Err(IngestError::one(erreur_lecture(nom, &e, 1))),
    }
    let entete: Vec<String> = rec.iter().map(|b| normalise(&texte(b))).collect();
    let attendu: Vec<String> = COLONNES_RNE.iter().map(|c| normalise(c)).collect();
    if entete != attendu {
        let detail = match entete.iter().zip(&attendu).position(|(a, b)| a != b) {
            Some(i) => format!(
                "colonne {} : « {} » au lieu de « {} »",
                i + 1,
                rec.get(i).map(texte).unwrap_or_default(),
                COLONNES_RNE[i]
            ),
            None => format!("{} colonnes au lieu de 16", entete.len()),
        };
        return Err(IngestError::one(
            Diagnostic::fichier(Code::E025, nom, format!("en-tête inattendu pour un fichier RNE des conseillers municipaux ({detail})"))
                .ligne(1)
                .aide("utilisez le fichier « elus-conseillers-municipaux-cm.csv » du Répertoire national des élus (16 colonnes, séparateur « ; »)"),
        ));
    }

    let mut lignes_lues = 0usize;
    let mut commune = String::new();
    let mut elus = Vec::new();
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // Only I/O errors are possible here (flexible byte records): a failing reader
                // keeps failing, so stop at the first one.
                let ligne = e.position().map(|p| p.line() as usize).unwrap_or(0);
                diags.push(erreur_lecture(nom, &e, ligne));
                break;
            }
        }
        if rec.iter().all(|b| b.trim_ascii().is_empty()) {
            continue;
        }
        lignes_lues += 1;
        let ligne = rec.position().map(|p| p.line() as usize).unwrap_or(0);
        if rec.len() != 16 {
            diags.push(
                Diagnostic::fichier(
                    Code::E017,
                    nom,
                    format!("{} colonnes au lieu de 16", rec.len()),
                )
                .ligne(ligne)
                .aide("chaque ligne du fichier RNE a 16 colonnes séparées par « ; »"),
            );
            continue;
        }
        if !matches_commune(&rec, &code) {
            continue;
        }
        let get = |i: usize| rec.get(i).map(texte).unwrap_or_default();
        if commune.is_empty() {
            commune = get(C_LIB_COMMUNE);
        }
        let sexe = match get(C_SEXE).as_str() {
            "F" | "f" => Some(Sexe::F),
            "M" | "m" => Some(Sexe::M),
            other => {
                diags.push(
                    Diagnostic::fichier(Code::E011, nom, format!("code sexe « {other} » inconnu"))
                        .ligne(ligne)
                        .colonne(COLONNES_RNE[C_SEXE])
                        .valeur(other)
                        .aide("le RNE utilise F ou M"),
                );
                None
            }
        };
        let libelle = get(C_FONCTION);
        let (fonction, rang) = match parse_fonction_rne(&libelle) {
            Some(f) => f,
            None => {
                avertissements.push(
                    Diagnostic::fichier(
                        Code::E010,
                        nom,
                        format!("fonction « {libelle} » inconnue : importée comme conseiller·e"),
                    )
                    .ligne(ligne)
                    .colonne(COLONNES_RNE[C_FONCTION])
                    .aide("corrigez la colonne fonction de elus.csv si nécessaire"),
                );
                (Fonction::Conseiller, None)
            }
        };
        if fonction == Fonction::Adjoint && rang.is_none() {
            diags.push(
                Diagnostic::fichier(
                    Code::E012,
                    nom,
                    format!("rang d'adjoint·e illisible dans « {libelle} »"),
                )
                .ligne(ligne)
                .colonne(COLONNES_RNE[C_FONCTION])
                .aide("le RNE écrit « 1er adjoint au Maire », « 2ème adjoint au Maire »…"),
            );
        }
        let mut debut = None;
        for c in [C_DEBUT_FONCTION, C_DEBUT_MANDAT] {
            let raw = get(c);
            if raw.is_empty() {
                continue;
            }
            match parse_date_rne(&raw) {
                Some(d) => {
                    if debut.is_none() {
                        debut = Some(d);
                    }
                }
                None => diags.push(
                    Diagnostic::fichier(Code::E027, nom, format!("date « {raw} » illisible"))
                        .ligne(ligne)
                        .colonne(COLONNES_RNE[c])
                        .aide("dates attendues au format JJ/MM/AAAA ou AAAA-MM-JJ"),
                ),
            }
        }
        for (c, what) in [(C_NOM, "nom"), (C_PRENOM, "prénom")] {
            if get(c).is_empty() {
                diags.push(
                    Diagnostic::fichier(Code::E018, nom, format!("{what} vide"))
                        .ligne(ligne)
                        .colonne(COLONNES_RNE[c]),
                );
            }
        }
        if let Some(sexe) = sexe {
            elus.push(EluRne {
                nom: get(C_NOM),
                prenom: get(C_PRENOM),
                sexe,
                fonction,
                rang,
                libelle_fonction: libelle,
                debut,
                ligne,
            });
        }
    }
    if !diags.is_empty() {
        return Err(IngestError::new(diags));
    }
    if elus.is_empty() {
        return Err(IngestError::one(
            Diagnostic::fichier(Code::E026, nom, format!("aucun·e élu·e pour la commune de code INSEE {code} ({lignes_lues} lignes lues)"))
                .aide("vérifiez le code INSEE (pas le code postal) et que le fichier est bien celui des conseillers municipaux"),
        ));
    }
    elus.sort_by(|a, b| {
        let key = |e: &EluRne| match e.fonction {
            Fonction::Maire => (0, e.rang.unwrap_or(0)),
            Fonction::Adjoint => (1, e.rang.unwrap_or(u32::MAX)),
            Fonction::MaireDelegue => (2, 0),
            Fonction::AdjointMaireDelegue => (3, 0),
            _ => (4, 0),
        };
        key(a)
            .cmp(&key(b))
            .then_with(|| a.nom.cmp(&b.nom))
            .then_with(|| a.prenom.cmp(&b.prenom))
            .then_with(|| a.ligne.cmp(&b.ligne))
    });
    Ok(ImportRne {
        code,
        commune,
        elus,
        lignes_lues,
        avertissements,
    })
}

impl ImportRne {
    /// The council as collegia's élu·es, ids `E01`, `E02`… in the order of the tableau, leaving
    /// empty what the RNE does not know (groupe, composante, quartier, commune déléguée, axe,
    /// rates; liste defaults to majorité).
    pub fn vers_elus(&self) -> Vec<Elu> {
        let width = self.elus.len().to_string().len().max(2);
        self.elus
            .iter()
            .enumerate()
            .map(|(i, e)| Elu {
                id: format!("E{:0width$}", i + 1),
                nom: e.nom.clone(),
                prenom: e.prenom.clone(),
                sexe: e.sexe,
                fonction: e.fonction,
                rang: e.rang,
                groupe: None,
                liste: Liste::Majorite,
                composante: None,
                quartier: None,
                commune_deleguee: None,
                axe: None,
                taux_actuel: None,
                autres_indemnites_eur: None,
                taux_actuel_eur: None,
                chef_de_file: None,
                cessation_activite: None,
                ligne: i + 2,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> String {
        COLONNES_RNE.join(";") + "\n"
    }

    fn row(code: &str, nom: &str, sexe: &str, fonction: &str, date: &str) -> String {
        format!(
            "44;Loire-Atlantique;;;{code};Nantes;{nom};PRENOM;{sexe};;33;Cadre;{date};{fonction};{date};FR\n"
        )
    }

    #[test]
    fn paris_lyon_marseille_wordings() {
        // issue 27: maires de secteur / d'arrondissement and their adjoint·es (L2511-25, L2511-28)
        assert_eq!(
            parse_fonction_rne("Maire de secteur"),
            Some((Fonction::MaireArrondissement, None))
        );
        assert_eq!(
            parse_fonction_rne("Maire d'arrondissement"),
            Some((Fonction::MaireArrondissement, None))
        );
        assert_eq!(
            parse_fonction_rne("1er adjoint au maire d'arrondissement"),
            Some((Fonction::AdjointArrondissement, None))
        );
        assert_eq!(
            parse_fonction_rne("2ème adjoint au Maire"),
            Some((Fonction::Adjoint, Some(2)))
        );
    }

    #[test]
    fn functions_are_mapped_with_ranks() {
        assert_eq!(parse_fonction_rne("Maire"), Some((Fonction::Maire, None)));
        assert_eq!(
            parse_fonction_rne("1er adjoint au Maire"),
            Some((Fonction::Adjoint, Some(1)))
        );
        assert_eq!(
            parse_fonction_rne("26ème adjoint au Maire"),
            Some((Fonction::Adjoint, Some(26)))
        );
        assert_eq!(
            parse_fonction_rne("Maire délégué"),
            Some((Fonction::MaireDelegue, None))
        );
        assert_eq!(parse_fonction_rne(""), Some((Fonction::Conseiller, None)));
        assert_eq!(
            parse_fonction_rne("Adjoint au maire délégué"),
            Some((Fonction::AdjointMaireDelegue, None))
        );
        assert_eq!(
            parse_fonction_rne("2ème adjointe au Maire déléguée"),
            Some((Fonction::AdjointMaireDelegue, None))
        );
        // an adjoint·e of the commune nouvelle stays one
        assert_eq!(
            parse_fonction_rne("2ème adjoint au Maire"),
            Some((Fonction::Adjoint, Some(2)))
        );
        assert_eq!(parse_fonction_rne("Président"), None);
    }

    #[test]
    fn both_date_formats_parse() {
        assert_eq!(
            parse_date_rne("28/05/2020"),
            NaiveDate::from_ymd_opt(2020, 5, 28)
        );
        assert_eq!(
            parse_date_rne("2026-03-22"),
            NaiveDate::from_ymd_opt(2026, 3, 22)
        );
        assert_eq!(parse_date_rne("2026/03/22"), None);
    }

    #[test]
    fn one_commune_is_kept_in_tableau_order() {
        let t = header()
            + &row("44109", "B", "M", "2ème adjoint au Maire", "28/05/2020")
            + &row("44184", "X", "F", "Maire", "28/05/2020")
            + &row("44109", "A", "F", "", "2026-03-22")
            + &row("44109", "C", "F", "1er adjoint au Maire", "28/05/2020")
            + &row("44109", "D", "M", "Maire", "28/05/2020");
        let imp = lire_rne(t.as_bytes(), "rne.csv", "44109").expect("valid");
        assert_eq!(imp.commune, "Nantes");
        assert_eq!(imp.lignes_lues, 5);
        let noms: Vec<&str> = imp.elus.iter().map(|e| e.nom.as_str()).collect();
        assert_eq!(noms, vec!["D", "C", "B", "A"]);
        let elus = imp.vers_elus();
        assert_eq!(elus[1].id, "E02");
        assert_eq!(
            (elus[1].fonction, elus[1].rang),
            (Fonction::Adjoint, Some(1))
        );
    }

    #[test]
    fn old_split_commune_code_matches() {
        let t = header() + &row("109", "A", "F", "Maire", "28/05/2020");
        assert!(lire_rne(t.as_bytes(), "rne.csv", "44109").is_ok());
    }

    #[test]
    fn errors_are_coded_with_lines() {
        let e = lire_rne("a;b\n".as_bytes(), "rne.csv", "44109").expect_err("header");
        assert_eq!(
            (e.diagnostics[0].code, e.diagnostics[0].ligne),
            (Code::E025, Some(1))
        );
        let t = header() + &row("44109", "A", "F", "Maire", "28/05/2020") + "44;x;y\n";
        let e = lire_rne(t.as_bytes(), "rne.csv", "44109").expect_err("short row");
        assert_eq!(
            (e.diagnostics[0].code, e.diagnostics[0].ligne),
            (Code::E017, Some(3))
        );
        let t = header() + &row("44109", "A", "X", "Maire", "31/02/2020");
        let e = lire_rne(t.as_bytes(), "rne.csv", "44109").expect_err("bad row");
        let codes: Vec<Code> = e.diagnostics.iter().map(|d| d.code).collect();
        assert!(
            codes.contains(&Code::E011) && codes.contains(&Code::E027),
            "{codes:?}"
        );
        let t = header() + &row("44109", "A", "F", "Maire", "28/05/2020");
        let e = lire_rne(t.as_bytes(), "rne.csv", "75056").expect_err("absent");
        assert_eq!(e.diagnostics[0].code, Code::E026);
        let e = lire_rne(t.as_bytes(), "rne.csv", "440").expect_err("bad code");
        assert_eq!(e.diagnostics[0].code, Code::E026);
    }

    #[test]
    fn an_endless_line_stops_at_the_bound_with_e021() {
        // A reader that never ends and never breaks a line: memory must stay bounded.
        let sans_fin = std::io::repeat(b'x');
        let e = lire_rne(sans_fin, "rne.csv", "44109").expect_err("endless");
        assert_eq!(
            (e.diagnostics[0].code, e.diagnostics[0].ligne),
            (Code::E021, Some(1))
        );
        let t = header()
            + &row("44109", "A", "F", "Maire", "28/05/2020")
            + &"y".repeat(MAX_LIGNE_RNE + 10);
        let e = lire_rne(t.as_bytes(), "rne.csv", "44109").expect_err("long line");
        assert_eq!(
            (e.diagnostics[0].code, e.diagnostics[0].ligne),
            (Code::E021, Some(3))
        );
        // A quote left open cannot hide an endless record either.
        let t = header() + "\"" + &"z\n".repeat(MAX_LIGNE_RNE);
        let e = lire_rne(t.as_bytes(), "rne.csv", "44109").expect_err("open quote");
        assert_eq!(e.diagnostics[0].code, Code::E021);
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_not_opened() {
        let e = ouvrir_rne(Path::new("/dev/zero"))
            .err()
            .expect("device refused");
        assert_eq!(e.code, Code::E001);
    }
}
