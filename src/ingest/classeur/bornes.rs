//! The limits of a workbook, checked before calamine allocates anything (issue 26, item 2).
//!
//! A workbook is a zip of XML: a few kilobytes can declare a cell at `XFD1048576` (calamine's
//! dense `Range` then asks for 512 GiB), repeat one `.ods` row thirty million times, carry a
//! shared string of 1 GiB or lie about the sizes of its members. The 64 MiB bound on the file
//! read says nothing of what it expands to. So, before calamine opens it, every member of the
//! archive is decompressed once as a stream and counted (never kept), and the parts calamine
//! reads eagerly — the shared strings of an `.xlsx`, the `content.xml` of an `.ods`, whose
//! sheets calamine expands all at once — are scanned with the very XML reader and settings
//! calamine uses, so that what is measured is what calamine will build. The cells of an `.xlsx`
//! sheet are bounded while they stream ([`super::charger`]).
//!
//! Each limit is a coded error (E045–E054) saying which limit, where, the value found and the
//! limit. The sizes: the organigramme of a Paris-size city is about 20 000 rows of ~15
//! columns (300 000 cells, some 30 MB of XML once decompressed); every limit leaves that a
//! margin of three or more.

use super::super::error::{Code, Diagnostic};
use crate::format::grouper;
use quick_xml::events::{BytesStart, Event};
use std::io::{self, Read};

/// Rows a sheet may use (1-based row of the last cell read, and `<dimension>`): five times a
/// Paris-size organigramme (~20 000 rows).
pub(crate) const MAX_LIGNES: u64 = 100_000;
/// Columns a sheet may use: LibreOffice's historic maximum (`AMJ`); collegia's widest file has
/// under twenty columns.
pub(crate) const MAX_COLONNES: u64 = 1_024;
/// Cells of the used areas of the sheets read, together (an `.ods` is expanded all at once):
/// a Paris-size organigramme is 20 000 × 15 = 300 000 cells. Calamine holds ~56 bytes per cell
/// of an `.ods` (value and formula), so the limit also keeps a hostile file under ~100 MB.
pub(crate) const MAX_CELLULES: u64 = 1_000_000;
/// Shared strings of an `.xlsx` (declared and read): at most one per cell.
pub(crate) const MAX_CHAINES_PARTAGEES: u64 = MAX_CELLULES;
/// Bytes of `xl/sharedStrings.xml` once decompressed: 300 000 distinct texts of ~40 bytes with
/// their markup are ~20 MB; calamine keeps them all in memory.
pub(crate) const MAX_OCTETS_CHAINES: u64 = 64 << 20;
/// Bytes of one member of the archive once decompressed: a Paris-size sheet is ~30 MB of XML
/// (~50 MB in the more verbose `.ods`).
pub(crate) const MAX_OCTETS_MEMBRE: u64 = 128 << 20;
/// Bytes of any other XML member once decompressed (styles, relations, workbook, manifest):
/// calamine buffers some of them whole (the `.ods` manifest), and a real workbook's are
/// kilobytes, a few megabytes at most for a heavily styled one.
pub(crate) const MAX_OCTETS_AUXILIAIRE: u64 = 16 << 20;
/// Bytes of all the members together once decompressed.
pub(crate) const MAX_OCTETS_ARCHIVE: u64 = 256 << 20;
/// Members of the archive: a workbook has a few dozen (sheets, styles, relations); each costs
/// calamine's zip reader a few hundred bytes before anything is read.
pub(crate) const MAX_MEMBRES: u64 = 10_000;
/// Bytes of cell text once expanded (repetitions, `text:s` runs of spaces, formulas): a
/// Paris-size organigramme holds ~10 MB of text.
pub(crate) const MAX_OCTETS_TEXTE: u64 = 64 << 20;

/// The two kinds of workbook collegia reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    /// Office Open XML (`.xlsx`).
    Xlsx,
    /// OpenDocument spreadsheet (`.ods`).
    Ods,
}

/// What the check learnt on the way.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Archive {
    /// The format, from the archive's content (not its name).
    pub format: Format,
    /// `.xlsx` whose `<calcPr fullCalcOnLoad>` asks for every formula to be recomputed when
    /// opened: the values stored for formulas are placeholders (the `0` xlsxwriter writes).
    pub recalcul_au_chargement: bool,
    /// Whether some `.xlsx` sheet may hold a formula (an `<f>` element): only then are the
    /// sheets read twice, once for their formulas.
    pub formules: bool,
}

/// A number as French text (`1 000 000`).
pub(crate) fn n(v: u64) -> String {
    grouper(&v.to_string())
}

/// Bytes as French text with their binary unit (`128 Mio`).
fn taille(v: u64) -> String {
    if v >= 1 << 20 && v.is_multiple_of(1 << 20) {
        format!("{} Mio", n(v >> 20))
    } else {
        format!("{} octets", n(v))
    }
}

/// The advice every limit shares.
const AIDE: &str = "un scénario, même celui d'une très grande ville, tient largement dans ces \
limites : vérifiez que le classeur est bien celui du scénario, supprimez les lignes, colonnes \
et feuilles superflues (ou enregistrez-le à nouveau depuis Excel ou LibreOffice), ou utilisez \
les fichiers CSV";

/// A limit exceeded: `code`, where (`fichier`), what was found and the limit.
pub(crate) fn depassement(
    code: Code,
    fichier: &str,
    message: String,
    trouve: String,
) -> Diagnostic {
    Diagnostic::fichier(code, fichier, message)
        .valeur(&trouve)
        .aide(AIDE)
}

/// A reader that counts the bytes it yields and fails past `max`: the decompressed size is
/// measured as it streams, whatever the archive declares.
struct Borne<R> {
    inner: R,
    lus: u64,
    max: u64,
}

impl<R: Read> Read for Borne<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // Never ask for more than one byte past the limit: that byte proves it exceeded.
        let reste = (self.max + 1).saturating_sub(self.lus);
        let k = buf.len().min(usize::try_from(reste).unwrap_or(usize::MAX));
        if k == 0 {
            return Err(io::Error::other("limite de décompression"));
        }
        let lu = self.inner.read(&mut buf[..k])?;
        self.lus += lu as u64;
        if self.lus > self.max {
            return Err(io::Error::other("limite de décompression"));
        }
        Ok(lu)
    }
}

/// A parse stopped by a limit, or by a malformed file.
enum Arret {
    /// A limit exceeded, as its diagnostic.
    Limite(Box<Diagnostic>),
    /// Unreadable (bad zip member, malformed XML): calamine would refuse it too.
    Illisible(String),
}

/// An XML reader configured as calamine configures its own, so that both see the same events.
fn lecteur_xml<R: Read>(r: R) -> quick_xml::Reader<io::BufReader<R>> {
    let mut x = quick_xml::Reader::from_reader(io::BufReader::new(r));
    let c = x.config_mut();
    c.check_end_names = false;
    c.trim_text(false);
    c.check_comments = false;
    c.expand_empty_elements = true;
    x
}

/// An attribute's raw value, when present.
fn attribut<'a>(e: &'a BytesStart<'_>, nom: &[u8]) -> Option<std::borrow::Cow<'a, [u8]>> {
    e.attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.as_ref() == nom)
        .map(|a| a.value)
}

/// An attribute as a count (`table:number-rows-repeated="3"`); absent or unreadable is 1, as
/// for calamine an unreadable count is an error anyway.
fn compte(e: &BytesStart<'_>, nom: &[u8], defaut: u64) -> u64 {
    attribut(e, nom)
        .and_then(|v| std::str::from_utf8(&v).ok()?.trim().parse::<u64>().ok())
        .unwrap_or(defaut)
}

/// The decompression limits, apart so that tests can exercise them on small archives.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Octets {
    /// [`MAX_OCTETS_MEMBRE`].
    pub membre: u64,
    /// [`MAX_OCTETS_AUXILIAIRE`].
    pub auxiliaire: u64,
    /// [`MAX_OCTETS_ARCHIVE`].
    pub archive: u64,
    /// [`MAX_OCTETS_CHAINES`].
    pub chaines: u64,
}

/// The decompression limits collegia applies.
pub(crate) const OCTETS: Octets = Octets {
    membre: MAX_OCTETS_MEMBRE,
    auxiliaire: MAX_OCTETS_AUXILIAIRE,
    archive: MAX_OCTETS_ARCHIVE,
    chaines: MAX_OCTETS_CHAINES,
};

/// Checks the archive of a workbook (`octets`, named `nom` in messages) against every limit
/// that does not need calamine: members, decompressed bytes, shared strings, and the whole
/// expansion of an `.ods`.
pub(crate) fn verifier(nom: &str, octets: &[u8]) -> Result<Archive, Diagnostic> {
    verifier_avec(nom, octets, OCTETS)
}

/// [`verifier`] with given decompression limits.
pub(crate) fn verifier_avec(
    nom: &str,
    octets: &[u8],
    limites: Octets,
) -> Result<Archive, Diagnostic> {
    let illisible = |e: String| {
        Diagnostic::fichier(Code::E001, nom, format!("classeur illisible : {e}"))
            .aide("enregistrez-le au format Excel (.xlsx) ou OpenDocument (.ods)")
    };
    if let Some(membres) = membres_declares(octets)
        && membres > MAX_MEMBRES
    {
        return Err(depassement(
            Code::E051,
            nom,
            format!(
                "l'archive du classeur déclare plus de membres que collegia n'en lit (limite : {})",
                n(MAX_MEMBRES)
            ),
            format!("{} membres", n(membres)),
        ));
    }
    let mut zip = zip::ZipArchive::new(io::Cursor::new(octets))
        .map_err(|e| illisible(format!("ce n'est pas une archive .xlsx ou .ods ({e})")))?;
    let format = if zip.file_names().any(|f| f == "mimetype") {
        Format::Ods
    } else {
        Format::Xlsx
    };
    let mut archive = Archive {
        format,
        recalcul_au_chargement: false,
        formules: false,
    };
    let mut total = 0u64;
    let mut cellules = 0u64;
    let mut texte = 0u64;
    for i in 0..zip.len() {
        let membre = zip
            .by_index(i)
            .map_err(|e| illisible(format!("membre n° {} de l'archive : {e}", i + 1)))?;
        let chemin = membre.name().to_string();
        let chaines = format == Format::Xlsx && chemin.eq_ignore_ascii_case("xl/sharedStrings.xml");
        let bas = chemin.to_ascii_lowercase();
        let feuille = bas.starts_with("xl/worksheets/") || bas == "content.xml";
        let limite_membre = if chaines {
            limites.chaines
        } else if !feuille && (bas.ends_with(".xml") || bas.ends_with(".rels")) {
            limites.auxiliaire
        } else {
            limites.membre
        };
        let declare = membre.size();
        if declare > limite_membre {
            return Err(trop_gros(
                nom,
                &chemin,
                chaines,
                declare,
                limite_membre,
                true,
            ));
        }
        let max = limite_membre.min(limites.archive.saturating_sub(total));
        let mut borne = Borne {
            inner: membre,
            lus: 0,
            max,
        };
        let resultat = if chaines {
            chaines_partagees(nom, &mut borne)
        } else if format == Format::Ods && chemin == "content.xml" {
            contenu_ods(nom, &mut borne, &mut cellules, &mut texte)
        } else if format == Format::Xlsx && chemin.eq_ignore_ascii_case("xl/workbook.xml") {
            classeur_xlsx(&mut borne).map(|r| archive.recalcul_au_chargement = r)
        } else if format == Format::Xlsx && feuille {
            feuille_xlsx(&mut borne).map(|f| archive.formules |= f)
        } else {
            io::copy(&mut borne, &mut io::sink())
                .map(|_| ())
                .map_err(|e| Arret::Illisible(e.to_string()))
        };
        if borne.lus > max {
            return Err(if borne.lus > limite_membre {
                trop_gros(nom, &chemin, chaines, borne.lus, limite_membre, false)
            } else {
                depassement(
                    Code::E051,
                    nom,
                    format!(
                        "le classeur dépasse, une fois décompressé, la limite de {} pour l'ensemble de ses membres",
                        taille(limites.archive)
                    ),
                    format!(
                        "plus de {} (au membre « {chemin} »)",
                        taille(limites.archive)
                    ),
                )
            });
        }
        match resultat {
            Ok(()) => {}
            Err(Arret::Limite(d)) => return Err(*d),
            Err(Arret::Illisible(e)) => {
                return Err(illisible(format!("membre « {chemin} » : {e}")));
            }
        }
        total += borne.lus;
    }
    Ok(archive)
}

/// E050 (E049 for the shared strings): one member too large once decompressed; `declare` when
/// `valeur` is the size the archive declares.
fn trop_gros(
    nom: &str,
    chemin: &str,
    chaines: bool,
    valeur: u64,
    limite: u64,
    declare: bool,
) -> Diagnostic {
    let (code, message) = if chaines {
        (
            Code::E049,
            format!(
                "les chaînes partagées (xl/sharedStrings.xml) dépassent, une fois décompressées, la limite de {}",
                taille(limite)
            ),
        )
    } else {
        (
            Code::E050,
            format!(
                "le membre « {chemin} » de l'archive dépasse, une fois décompressé, la limite de {}",
                taille(limite)
            ),
        )
    };
    let trouve = if declare {
        format!("{} déclarés", taille(valeur))
    } else {
        format!("plus de {}", taille(limite))
    };
    depassement(code, nom, message, trouve)
}

/// The member count the zip's end record declares, its ZIP64 record's when it has one (`None`
/// when there is no such record: the zip reader then refuses the file). Read before the zip
/// reader, which allocates some 700 bytes per declared member (600 000 members in a 54 MB file
/// cost it 430 MB).
fn membres_declares(octets: &[u8]) -> Option<u64> {
    let u16_a = |i: usize| Some(u16::from_le_bytes(octets.get(i..i + 2)?.try_into().ok()?));
    let u64_a = |i: usize| Some(u64::from_le_bytes(octets.get(i..i + 8)?.try_into().ok()?));
    // The end record (22 bytes + a comment of at most 65 535) ends the file.
    let debut = octets.len().saturating_sub(22 + 65_535);
    let fin = debut
        + octets[debut..]
            .windows(4)
            .rposition(|w| w == [0x50, 0x4b, 0x05, 0x06])?;
    let total = u16_a(fin + 10)?;
    if total != u16::MAX {
        return Some(u64::from(total));
    }
    // ZIP64: the locator (20 bytes) just before the end record gives the ZIP64 end record,
    // which holds the count on 8 bytes.
    let localisateur = fin.checked_sub(20)?;
    if octets.get(localisateur..localisateur + 4)? != [0x50, 0x4b, 0x06, 0x07] {
        return Some(u64::from(total));
    }
    let enregistrement = usize::try_from(u64_a(localisateur + 8)?).ok()?;
    if octets.get(enregistrement..enregistrement + 4)? != [0x50, 0x4b, 0x06, 0x06] {
        return Some(u64::from(total));
    }
    u64_a(enregistrement + 32)
}

/// Whether a cell reference is one calamine reads without overflowing its arithmetic (`A1`,
/// `XFD1048576`, `A1:C3`, `5`): at most three letters then seven digits per part. A longer one
/// (`ABCDEFGHIJKLMNOPQ1`) overflowed calamine's column arithmetic (found by the `xlsx` fuzz
/// target): a panic in a debug build, a wrapped position in a release one.
fn reference_lisible(r: &[u8]) -> bool {
    r.split(|&b| b == b':').all(|p| {
        let lettres = p.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let chiffres = &p[lettres..];
        lettres <= 3 && chiffres.len() <= 7 && chiffres.iter().all(u8::is_ascii_digit)
    })
}

/// Whether a range (`A1:C3`) ends before it starts, which overflows calamine's subtraction (found
/// by the `xlsx` fuzz target): compared as (row, column) numbers once [`reference_lisible`].
fn plage_inversee(r: &[u8]) -> bool {
    let position = |p: &[u8]| {
        let k = p.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let col = p[..k].iter().fold(0u64, |c, b| {
            c * 26 + u64::from(b.to_ascii_uppercase() - b'A') + 1
        });
        let ligne = p[k..]
            .iter()
            .fold(0u64, |l, b| l * 10 + u64::from(b - b'0'));
        (ligne, col)
    };
    let parties: Vec<&[u8]> = r.split(|&b| b == b':').collect();
    match parties.as_slice() {
        [a, b] => {
            let (a, b) = (position(a), position(b));
            b.0 < a.0 || b.1 < a.1
        }
        _ => false,
    }
}

/// Scans the XML of an `.xlsx` sheet as calamine will read it: every cell, row, dimension and
/// shared-formula reference must be readable ([`reference_lisible`]); says whether the sheet
/// holds a formula (`<f>`), so that sheets are read a second time for formulas only then.
fn feuille_xlsx<R: Read>(r: R) -> Result<bool, Arret> {
    let mut x = lecteur_xml(r);
    let mut buf = Vec::new();
    let mut formules = false;
    loop {
        buf.clear();
        match x.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => {
                let cle: &[u8] = match e.local_name().as_ref() {
                    b"c" | b"row" => b"r",
                    b"dimension" => b"ref",
                    b"f" => {
                        formules = true;
                        b"ref"
                    }
                    _ => continue,
                };
                if let Some(v) = attribut(&e, cle)
                    && (!reference_lisible(&v) || plage_inversee(&v))
                {
                    return Err(Arret::Illisible(format!(
                        "référence de cellule illisible « {} »",
                        super::super::error::tronque(&String::from_utf8_lossy(&v), 40)
                    )));
                }
            }
            Ok(Event::Eof) => return Ok(formules),
            Ok(_) => {}
            Err(e) => return Err(Arret::Illisible(e.to_string())),
        }
    }
}

/// Whether `xl/workbook.xml` asks for a full recalculation on load (`fullCalcOnLoad`).
fn classeur_xlsx<R: Read>(r: R) -> Result<bool, Arret> {
    let mut x = lecteur_xml(r);
    let mut buf = Vec::new();
    let mut recalcul = false;
    loop {
        buf.clear();
        match x.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.local_name().as_ref() == b"calcPr" => {
                recalcul |= attribut(&e, b"fullCalcOnLoad")
                    .is_some_and(|v| matches!(v.as_ref(), b"1" | b"true"));
            }
            Ok(Event::Eof) => return Ok(recalcul),
            Ok(_) => {}
            Err(e) => return Err(Arret::Illisible(e.to_string())),
        }
    }
}

/// Counts the shared strings (declared and read) against [`MAX_CHAINES_PARTAGEES`]; their bytes
/// are bounded by the member's own limit ([`MAX_OCTETS_CHAINES`]).
fn chaines_partagees<R: Read>(nom: &str, r: R) -> Result<(), Arret> {
    let trop = |v: u64, declare: bool| {
        Arret::Limite(Box::new(depassement(
            Code::E048,
            nom,
            format!(
                "le classeur compte plus de chaînes partagées (xl/sharedStrings.xml) que collegia n'en lit (limite : {})",
                n(MAX_CHAINES_PARTAGEES)
            ),
            if declare {
                format!("{} déclarées", n(v))
            } else {
                format!("plus de {}", n(MAX_CHAINES_PARTAGEES))
            },
        )))
    };
    let mut x = lecteur_xml(r);
    let mut buf = Vec::new();
    let mut vues = 0u64;
    loop {
        buf.clear();
        match x.read_event_into(&mut buf) {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                // Calamine reserves room for the declared count before reading any.
                b"sst" => {
                    for cle in [&b"uniqueCount"[..], b"count"] {
                        let v = compte(&e, cle, 0);
                        if v > MAX_CHAINES_PARTAGEES && cle == b"uniqueCount" {
                            return Err(trop(v, true));
                        }
                    }
                }
                b"si" => {
                    vues += 1;
                    if vues > MAX_CHAINES_PARTAGEES {
                        return Err(trop(vues, false));
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(Arret::Illisible(e.to_string())),
        }
    }
}

/// The names calamine reads as a cell of an `.ods` row.
fn est_cellule(nom: &[u8]) -> bool {
    nom == b"table:table-cell" || nom == b"table:covered-table-cell"
}

/// Attributes that make an `.ods` cell hold something (a value, a type, a formula).
const ATTRIBUTS_VALEUR: [&[u8]; 7] = [
    b"office:value",
    b"office:string-value",
    b"office:date-value",
    b"office:time-value",
    b"office:boolean-value",
    b"office:value-type",
    b"table:formula",
];

/// One `.ods` sheet being scanned.
#[derive(Default)]
struct Table {
    nom: String,
    /// 0-based row of the next row element (repetitions included).
    ligne: u64,
    /// Row elements read (each costs calamine a few words, even when empty).
    elements: u64,
    /// First row holding something, and the row after the last one (repetitions included).
    premiere: Option<u64>,
    fin: u64,
    /// One past the rightmost column holding something.
    largeur: u64,
}

/// The row element being scanned.
#[derive(Default)]
struct Rangee {
    repetitions: u64,
    /// Depth of nested row elements (calamine reads them as one row).
    profondeur: u32,
    colonne: u64,
    /// One past the last column holding something (0: an empty row).
    largeur: u64,
    /// Text bytes of the row once its cells are repeated.
    texte: u64,
    /// Whether a cell holding something is repeated.
    repetee: bool,
}

/// The cell being scanned.
#[derive(Default)]
struct CelluleOds {
    repetitions: u64,
    profondeur: u32,
    pleine: bool,
    texte: u64,
}

/// Scans the `content.xml` of an `.ods`: every sheet's used area once its repeated rows and
/// columns are expanded, and the text calamine will build, against [`MAX_LIGNES`],
/// [`MAX_COLONNES`], [`MAX_CELLULES`] and [`MAX_OCTETS_TEXTE`]. Conservative: whatever calamine
/// might hold counts (a cell with a type but no value, text in annotations).
fn contenu_ods<R: Read>(nom: &str, r: R, cellules: &mut u64, texte: &mut u64) -> Result<(), Arret> {
    let mut x = lecteur_xml(r);
    let mut buf = Vec::new();
    let mut table: Option<Table> = None;
    let mut profondeur_table = 0u32;
    let mut rangee: Option<Rangee> = None;
    let mut cellule: Option<CelluleOds> = None;
    loop {
        buf.clear();
        let ev = match x.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(e) => return Err(Arret::Illisible(e.to_string())),
        };
        match ev {
            // Calamine reads a sheet until its end tag and loops forever on the end of the
            // file in between (found by the `ods` fuzz target): a truncated file stops here.
            Event::Eof => {
                return match table {
                    Some(t) => Err(Arret::Illisible(format!(
                        "la feuille « {} » n'est pas fermée (content.xml tronqué)",
                        t.nom
                    ))),
                    None => Ok(()),
                };
            }
            Event::Start(e) => {
                let nom_el = e.name();
                let nom_el = nom_el.as_ref();
                if let Some(c) = cellule.as_mut() {
                    // Anything inside a cell is content; nested cells belong to it.
                    c.pleine = true;
                    if est_cellule(nom_el) {
                        c.profondeur += 1;
                    } else if nom_el == b"text:s" {
                        c.texte = c.texte.saturating_add(compte(&e, b"text:c", 1));
                    } else if nom_el == b"text:p" {
                        c.texte = c.texte.saturating_add(1);
                    }
                    c.texte = c.texte.saturating_add(e.attributes_raw().len() as u64);
                    continue;
                }
                if nom_el == b"table:table" {
                    profondeur_table += 1;
                    if table.is_none() {
                        let nom_t = attribut(&e, b"table:name")
                            .map(|v| String::from_utf8_lossy(&v).into_owned())
                            .unwrap_or_default();
                        table = Some(Table {
                            nom: nom_t,
                            ..Table::default()
                        });
                    }
                    continue;
                }
                let Some(t) = table.as_mut() else { continue };
                if nom_el == b"table:table-row" {
                    match rangee.as_mut() {
                        Some(rg) => rg.profondeur += 1,
                        None => {
                            t.elements += 1;
                            if t.elements > MAX_LIGNES {
                                return Err(limite_lignes(nom, t, t.elements, false));
                            }
                            rangee = Some(Rangee {
                                repetitions: compte(&e, b"table:number-rows-repeated", 1),
                                profondeur: 1,
                                ..Rangee::default()
                            });
                        }
                    }
                } else if est_cellule(nom_el)
                    && let Some(_rg) = rangee.as_ref()
                {
                    let mut c = CelluleOds {
                        repetitions: compte(&e, b"table:number-columns-repeated", 1),
                        profondeur: 1,
                        ..CelluleOds::default()
                    };
                    for a in e.attributes().filter_map(Result::ok) {
                        if ATTRIBUTS_VALEUR.contains(&a.key.as_ref()) {
                            c.pleine = true;
                            // Values and formulas are text calamine copies per repetition.
                            c.texte = c.texte.saturating_add(a.value.len() as u64);
                        }
                    }
                    cellule = Some(c);
                }
            }
            Event::Text(t) => {
                if let Some(c) = cellule.as_mut() {
                    c.pleine = true;
                    c.texte = c.texte.saturating_add(t.len() as u64);
                }
            }
            Event::CData(t) => {
                if let Some(c) = cellule.as_mut() {
                    c.pleine = true;
                    c.texte = c.texte.saturating_add(t.len() as u64);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = cellule.as_mut() {
                    c.pleine = true;
                    // An entity expands to one character: at most four bytes.
                    c.texte = c.texte.saturating_add(4 + r.len() as u64);
                }
            }
            Event::End(e) => {
                let nom_el = e.name();
                let nom_el = nom_el.as_ref();
                if let Some(c) = cellule.as_mut() {
                    if est_cellule(nom_el) {
                        c.profondeur -= 1;
                        if c.profondeur == 0 {
                            let c = std::mem::take(c);
                            cellule = None;
                            if let (Some(t), Some(rg)) = (table.as_ref(), rangee.as_mut()) {
                                fermer_cellule(nom, t, rg, &c)?;
                            }
                        }
                    }
                    continue;
                }
                if nom_el == b"table:table-row" {
                    if let Some(rg) = rangee.as_mut() {
                        rg.profondeur -= 1;
                        if rg.profondeur == 0 {
                            let rg = std::mem::take(rg);
                            rangee = None;
                            if let Some(t) = table.as_mut() {
                                fermer_rangee(nom, t, &rg, cellules, texte)?;
                            }
                        }
                    }
                } else if nom_el == b"table:table" && profondeur_table > 0 {
                    profondeur_table -= 1;
                    if profondeur_table == 0
                        && let Some(t) = table.take()
                    {
                        *cellules = cellules.saturating_add(aire(&t));
                        rangee = None;
                    }
                }
            }
            _ => {}
        }
    }
}

/// The used area of a sheet scanned so far (rows from the first to the last that hold
/// something, repetitions included, times one past the rightmost column).
fn aire(t: &Table) -> u64 {
    t.premiere
        .map_or(0, |p| t.fin.saturating_sub(p).saturating_mul(t.largeur))
}

/// The sheet's name in messages.
fn fichier_feuille(nom: &str, t: &Table) -> String {
    format!("{nom} › {}", t.nom)
}

/// A limit exceeded on a sheet, at a row (1-based).
fn sur_feuille(nom: &str, t: &Table, d: Diagnostic, ligne: u64) -> Arret {
    let mut d = d.ligne(usize::try_from(ligne).unwrap_or(usize::MAX));
    d.classeur = Some(super::Emplacement {
        classeur: nom.to_string(),
        feuille: t.nom.clone(),
        cellule: None,
    });
    Arret::Limite(Box::new(d))
}

/// E046 (E052 when repetitions make it): a sheet using more rows than collegia reads.
fn limite_lignes(nom: &str, t: &Table, lignes: u64, repetee: bool) -> Arret {
    let (code, cause) = if repetee {
        (
            Code::E052,
            "une fois ses lignes répétées (table:number-rows-repeated) développées, ",
        )
    } else {
        (Code::E046, "")
    };
    let d = depassement(
        code,
        &fichier_feuille(nom, t),
        format!(
            "{cause}la feuille compte plus de lignes que collegia n'en lit (limite : {})",
            n(MAX_LIGNES)
        ),
        format!("{} lignes", n(lignes)),
    );
    sur_feuille(nom, t, d, t.ligne + 1)
}

/// Adds a closed cell to its row, checking the columns and the text.
fn fermer_cellule(nom: &str, t: &Table, rg: &mut Rangee, c: &CelluleOds) -> Result<(), Arret> {
    let debut = rg.colonne;
    rg.colonne = rg.colonne.saturating_add(c.repetitions);
    if !c.pleine {
        return Ok(());
    }
    rg.largeur = rg.colonne;
    rg.repetee |= c.repetitions > 1;
    if rg.largeur > MAX_COLONNES {
        let (code, cause) = if c.repetitions > 1 {
            (
                Code::E052,
                "une fois ses cellules répétées (table:number-columns-repeated) développées, ",
            )
        } else {
            (Code::E046, "")
        };
        let d = depassement(
            code,
            &fichier_feuille(nom, t),
            format!(
                "{cause}la feuille compte plus de colonnes que collegia n'en lit (limite : {})",
                n(MAX_COLONNES)
            ),
            format!(
                "{} colonnes (la colonne {} répétée {} fois)",
                n(rg.largeur),
                n(debut + 1),
                n(c.repetitions)
            ),
        );
        return Err(sur_feuille(nom, t, d, t.ligne + 1));
    }
    rg.texte = rg
        .texte
        .saturating_add(c.texte.saturating_mul(c.repetitions));
    if rg.texte > MAX_OCTETS_TEXTE {
        return Err(trop_de_texte(nom, t));
    }
    Ok(())
}

/// E053: more text than collegia reads.
fn trop_de_texte(nom: &str, t: &Table) -> Arret {
    let d = depassement(
        Code::E053,
        &fichier_feuille(nom, t),
        format!(
            "une fois les répétitions développées, le texte des cellules dépasse la limite de {}",
            taille(MAX_OCTETS_TEXTE)
        ),
        format!(
            "plus de {} (ligne {})",
            taille(MAX_OCTETS_TEXTE),
            n(t.ligne + 1)
        ),
    );
    sur_feuille(nom, t, d, t.ligne + 1)
}

/// Adds a closed row to its sheet, checking rows, cells and text.
fn fermer_rangee(
    nom: &str,
    t: &mut Table,
    rg: &Rangee,
    cellules: &mut u64,
    texte: &mut u64,
) -> Result<(), Arret> {
    let debut = t.ligne;
    t.ligne = t.ligne.saturating_add(rg.repetitions);
    if rg.largeur == 0 {
        return Ok(());
    }
    t.premiere.get_or_insert(debut);
    t.fin = t.ligne;
    t.largeur = t.largeur.max(rg.largeur);
    if t.fin > MAX_LIGNES {
        return Err(limite_lignes(nom, t, t.fin, rg.repetitions > 1));
    }
    let total = cellules.saturating_add(aire(t));
    if total > MAX_CELLULES {
        let repetee = rg.repetitions > 1 || rg.repetee;
        let (code, cause) = if repetee {
            (
                Code::E052,
                "une fois ses lignes et cellules répétées (table:number-rows-repeated, table:number-columns-repeated) développées, ",
            )
        } else {
            (Code::E047, "")
        };
        let d = depassement(
            code,
            &fichier_feuille(nom, t),
            format!(
                "{cause}le classeur compte plus de cellules que collegia n'en lit (limite : {} pour l'ensemble des feuilles)",
                n(MAX_CELLULES)
            ),
            format!(
                "{} cellules à la ligne {} (répétée {} fois)",
                n(total),
                n(debut + 1),
                n(rg.repetitions)
            ),
        );
        return Err(sur_feuille(nom, t, d, debut + 1));
    }
    *texte = texte.saturating_add(rg.texte.saturating_mul(rg.repetitions));
    if *texte > MAX_OCTETS_TEXTE {
        return Err(trop_de_texte(nom, t));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader yielding one byte at a time: every tag straddles two reads.
    struct Goutte<'a>(&'a [u8]);

    impl Read for Goutte<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            match (self.0.split_first(), buf.first_mut()) {
                (Some((b, reste)), Some(dest)) => {
                    *dest = *b;
                    self.0 = reste;
                    Ok(1)
                }
                _ => Ok(0),
            }
        }
    }

    #[test]
    fn a_formula_element_is_found_across_reads_and_nothing_else_is() {
        for (xml, attendu) in [
            (&b"<c r=\"A1\"><f>1+1</f><v>2</v></c>"[..], true),
            (b"<x:c><x:f t=\"shared\" ref=\"A1:A9\"/></x:c>", true),
            (b"<c><v>2</v></c><font/><fill/>", false),
        ] {
            assert_eq!(feuille_xlsx(Goutte(xml)).ok(), Some(attendu));
            assert_eq!(feuille_xlsx(xml).ok(), Some(attendu));
        }
    }

    #[test]
    fn references_that_overflow_calamine_are_refused_before_it_reads_them() {
        // The fuzz target's crash: a cell reference of many letters.
        let crash = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/fuzz/xlsx-reference-trop-longue.xml"
        ))
        .expect("fixture");
        assert!(matches!(feuille_xlsx(&crash[..]), Err(Arret::Illisible(_))));
        for r in [&b"A1"[..], b"XFD1048576", b"A1:C3", b"5", b"$A$1"] {
            assert_eq!(reference_lisible(r), r != b"$A$1", "{r:?}");
        }
        assert!(!reference_lisible(b"ABCDEFGHIJKLMNOPQ1"));
        // The second crash: a dimension that ends before it starts.
        assert!(plage_inversee(b"C3:A1"));
        assert!(plage_inversee(b"A3:B1"));
        assert!(!plage_inversee(b"A1:C3"));
        assert!(matches!(
            feuille_xlsx(&b"<worksheet><dimension ref=\"C3:A1\"/><sheetData/></worksheet>"[..]),
            Err(Arret::Illisible(_))
        ));
        assert!(!reference_lisible(b"A99999999999"));
    }

    #[test]
    fn the_bound_reader_stops_one_byte_past_the_limit() {
        let mut b = Borne {
            inner: &[7u8; 100][..],
            lus: 0,
            max: 10,
        };
        assert!(io::copy(&mut b, &mut io::sink()).is_err());
        assert_eq!(b.lus, 11);
        let mut b = Borne {
            inner: &[7u8; 10][..],
            lus: 0,
            max: 10,
        };
        assert_eq!(io::copy(&mut b, &mut io::sink()).ok(), Some(10));
    }
}
