//! Charts for the séminaire, drawn with plotters on any backend: the same code gives an SVG
//! (inline in the HTML, golden-tested) and a PNG (for slides).
//!
//! Text is drawn with an embedded DejaVu Sans (licence in `police/LICENCE-DejaVu.txt`), so that
//! accents render the same on every machine and PNG output needs no system font. Every chart has
//! a title, a legend where it has several series, a source line, and an alt text for the HTML.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::sync::Once;

pub mod reorganisation;
pub use reorganisation::{Calendrier, Flux, LigneFlux};

/// DejaVu Sans, embedded.
static POLICE: &[u8] = include_bytes!("police/DejaVuSans.ttf");
static ENREGISTREMENT: Once = Once::new();
/// Font family name used by every chart.
pub const FAMILLE: &str = "sans-serif";

fn police() {
    ENREGISTREMENT.call_once(|| {
        // The embedded font is a valid TrueType file; failure would only mean text is missing.
        let _ = plotters::style::register_font(FAMILLE, FontStyle::Normal, POLICE);
    });
}

/// A rendered chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Stable file stem (`indemnites-plafonds`).
    pub nom: String,
    /// Title, also used as figure caption.
    pub titre: String,
    /// Text alternative for screen readers (what the chart shows, in one or two sentences).
    pub description: String,
    /// SVG document.
    pub svg: String,
    /// PNG file.
    pub png: Vec<u8>,
    /// The chart cut into parts that each fit a projected slide at 1 024 × 768 with no text
    /// under 14 px (SVG documents, titles numbered « (1/3) »); empty when the whole chart fits.
    pub diapos: Vec<String>,
}

/// Why a chart could not be drawn.
#[derive(Debug, thiserror::Error)]
#[error("graphique « {0} » impossible à dessiner : {1}")]
pub struct GraphiqueError(pub String, pub String);

const BLEU: RGBColor = RGBColor(0x1f, 0x4e, 0x79);

const ROUGE: RGBColor = RGBColor(0xc0, 0x39, 0x2b);
const ORANGE: RGBColor = RGBColor(0xe6, 0x7e, 0x22);
pub(crate) const GRIS: RGBColor = RGBColor(0x6b, 0x6b, 0x6b);
const VERT: RGBColor = RGBColor(0x2e, 0x8b, 0x57);
/// Colour cycle of series (colour-blind friendly: blue, orange, green, purple, grey).
pub const SERIES: [RGBColor; 5] = [BLEU, ORANGE, VERT, RGBColor(0x7b, 0x3f, 0x9e), GRIS];

type R<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Most bars drawn in one bar chart; the others are named in a note (they are all in the tables).
pub const MAX_BARRES: usize = 60;
/// Most categories drawn in one grouped bar chart.
pub const MAX_CATEGORIES: usize = 40;
/// Most series drawn in one chart.
pub const MAX_SERIES: usize = 10;
/// Most columns, and most rows, drawn in one matrix.
pub const MAX_COLONNES: usize = 40;
/// Most columns of a matrix (the pôles of the coverage map, whose rows are the groups): with
/// text at 15 px a column is up to 116 px wide.
pub const MAX_COLONNES_MATRICE: usize = 12;
/// Most pixels of one chart (the PNG's RGB buffer is 3 bytes a pixel: 48 Mo at most).
pub const MAX_PIXELS: u64 = 16_000_000;

/// Something that draws itself on any plotters backend.
pub trait Dessin: Sized {
    /// Draws the chart on the area.
    fn dessiner<DB: DrawingBackend>(&self, zone: &DrawingArea<DB, Shift>) -> R<DB>;
    /// Size in pixels.
    fn taille(&self) -> (u32, u32);
    /// The chart as drawn: at most [`MAX_BARRES`] bars, [`MAX_COLONNES`] columns and rows,
    /// [`MAX_SERIES`] series, with a note in the source line naming what is left out, and every
    /// value finite (a non-finite value is drawn as 0, or its point left out).
    fn borne(&self) -> Self;
    /// The chart cut into parts small enough for one slide each (see [`Image::diapos`]); empty
    /// when it fits one slide as it is.
    fn parties(&self) -> Vec<Self> {
        Vec::new()
    }
}

/// Most bars of one slide's part of a bar chart: 190 + 30 + 32 × 14 = 668 px high, drawn at
/// 0,97 scale in a 1 024 × 768 slide, so its text stays above 14 px.
pub const BARRES_PAR_DIAPO: usize = 14;
/// Most rows of one slide's part of a matrix (same reason).
pub const LIGNES_MATRICE_PAR_DIAPO: usize = 9;

/// `n` items cut into the fewest parts of at most `max`, of sizes differing by one at most:
/// (start, end) of each.
pub fn parts_egales(n: usize, max: usize) -> Vec<(usize, usize)> {
    let k = n.div_ceil(max.max(1)).max(1);
    (0..k).map(|i| (i * n / k, (i + 1) * n / k)).collect()
}

/// A part's title: « Titre (2/3) ».
fn titre_partie(titre: &str, i: usize, n: usize) -> String {
    format!("{titre} ({}/{n})", i + 1)
}

/// Largest magnitude drawn: beyond it a chart's scale (the maximum times a margin) could
/// overflow to infinity.
pub const MAX_VALEUR: f64 = 1e15;

/// A value a chart can scale: NaN, infinities and magnitudes beyond [`MAX_VALEUR`] become 0.
fn fini(v: f64) -> f64 {
    if v.is_finite() && v.abs() <= MAX_VALEUR {
        v
    } else {
        0.0
    }
}

/// `source`, plus a note on what a capped chart leaves out.
fn avec_note(source: &str, gardes: usize, total: usize, quoi: &str) -> String {
    if gardes >= total {
        source.to_string()
    } else {
        format!(
            "{source} — {gardes} {quoi} représenté·es sur {} (les plus grand·es) ; la liste complète est dans les tableaux",
            super::format::nombre(total as f64, 0)
        )
    }
}

/// Renders a chart to SVG and PNG.
pub fn rendre(
    d: &impl Dessin,
    nom: &str,
    titre: &str,
    description: &str,
) -> Result<Image, GraphiqueError> {
    police();
    let d = &d.borne();
    let (w, h) = d.taille();
    let err = |e: String| GraphiqueError(titre.to_string(), e);
    if u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(err(format!(
            "image de {w} × {h} pixels, au-delà de la limite de {MAX_PIXELS} pixels"
        )));
    }
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
        d.dessiner(&root).map_err(|e| err(e.to_string()))?;
        root.present().map_err(|e| err(e.to_string()))?;
    }
    let mut rgb = vec![0u8; (w * h * 3) as usize];
    {
        let root = Trame::new(BitMapBackend::with_buffer(&mut rgb, (w, h))).into_drawing_area();
        d.dessiner(&root).map_err(|e| err(e.to_string()))?;
        root.present().map_err(|e| err(e.to_string()))?;
    }
    let mut diapos = Vec::new();
    for partie in d.parties() {
        let (w, h) = partie.taille();
        let mut s = String::new();
        {
            let root = SVGBackend::with_string(&mut s, (w, h)).into_drawing_area();
            partie.dessiner(&root).map_err(|e| err(e.to_string()))?;
            root.present().map_err(|e| err(e.to_string()))?;
        }
        diapos.push(super::document::sans_controles(&s).into_owned());
    }
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, w, h);
        enc.set_color(png::ColorType::Rgb);
        enc.set_depth(png::BitDepth::Eight);
        let mut wr = enc.write_header().map_err(|e| err(e.to_string()))?;
        wr.write_image_data(&rgb).map_err(|e| err(e.to_string()))?;
    }
    Ok(Image {
        nom: nom.to_string(),
        titre: titre.to_string(),
        description: description.to_string(),
        // SVG is XML: a control character from a name would make the whole chart unreadable.
        svg: super::document::sans_controles(&svg).into_owned(),
        png,
        diapos,
    })
}

mod trame {
    //! The PNG backend with correct text (see [`Trame`]).
    use super::POLICE;
    use plotters::prelude::{BitMapBackend, DrawingBackend};
    use plotters::style::text_anchor::{HPos, VPos};
    use plotters_backend::{
        BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
    };

    /// plotters' bitmap backend with its text drawn right. plotters 0.3.7's ab_glyph path places each
    /// glyph's pixels at the pen position without the glyph's left side bearing and truncates the pen
    /// to whole pixels, which opens gaps after narrow letters ("E TP", "G1 3" in the PNGs). Here each
    /// glyph is positioned at its fractional pen position (kerning included) and rasterised where
    /// ab_glyph says it lies. Everything else goes to the wrapped backend; the SVG backend writes
    /// `<text>` and needs none of this.
    pub(super) struct Trame<'a> {
        fond: BitMapBackend<'a>,
        police: Option<ab_glyph::FontRef<'static>>,
    }

    impl<'a> Trame<'a> {
        pub(super) fn new(fond: BitMapBackend<'a>) -> Self {
            Trame {
                fond,
                police: ab_glyph::FontRef::try_from_slice(POLICE).ok(),
            }
        }
    }

    impl DrawingBackend for Trame<'_> {
        type ErrorType = <BitMapBackend<'static> as DrawingBackend>::ErrorType;

        fn get_size(&self) -> (u32, u32) {
            self.fond.get_size()
        }
        fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.fond.ensure_prepared()
        }
        fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.fond.present()
        }
        fn draw_pixel(
            &mut self,
            point: BackendCoord,
            color: BackendColor,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.fond.draw_pixel(point, color)
        }
        fn draw_line<S: BackendStyle>(
            &mut self,
            from: BackendCoord,
            to: BackendCoord,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.fond.draw_line(from, to, style)
        }
        fn draw_rect<S: BackendStyle>(
            &mut self,
            upper_left: BackendCoord,
            bottom_right: BackendCoord,
            style: &S,
            fill: bool,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.fond.draw_rect(upper_left, bottom_right, style, fill)
        }
        fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            path: I,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.fond.draw_path(path, style)
        }
        fn draw_circle<S: BackendStyle>(
            &mut self,
            center: BackendCoord,
            radius: u32,
            style: &S,
            fill: bool,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.fond.draw_circle(center, radius, style, fill)
        }
        fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
            &mut self,
            vert: I,
            style: &S,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.fond.fill_polygon(vert, style)
        }
        fn blit_bitmap(
            &mut self,
            pos: BackendCoord,
            (iw, ih): (u32, u32),
            src: &[u8],
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            self.fond.blit_bitmap(pos, (iw, ih), src)
        }

        fn draw_text<S: BackendTextStyle>(
            &mut self,
            text: &str,
            style: &S,
            pos: BackendCoord,
        ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
            use ab_glyph::{Font, ScaleFont};
            let Some(police) = self.police.clone() else {
                return self.fond.draw_text(text, style, pos);
            };
            let couleur = style.color();
            if couleur.alpha == 0.0 {
                return Ok(());
            }
            let ((min_x, min_y), (max_x, max_y)) = style
                .layout_box(text)
                .map_err(|e| DrawingErrorKind::FontError(Box::new(e)))?;
            let (largeur, hauteur) = (max_x - min_x, max_y - min_y);
            let dx = match style.anchor().h_pos {
                HPos::Left => 0,
                HPos::Right => -largeur,
                HPos::Center => -largeur / 2,
            };
            let dy = match style.anchor().v_pos {
                VPos::Top => 0,
                VPos::Center => -hauteur / 2,
                VPos::Bottom => -hauteur,
            };
            let taille = style.size() as f32;
            let echelle = police.as_scaled(taille);
            // The baseline where the SVG backend puts it: 0.76 em below the top, the em being
            // plotters' size / 1.24.
            let ligne_de_base = 0.76 * taille / 1.24;
            let trans = style.transform();
            let (w, h) = self.get_size();
            let mut stylo = 0.0f32;
            let mut precedent = None;
            let mut points = Vec::new();
            for c in text.chars() {
                let id = echelle.glyph_id(c);
                if let Some(p) = precedent {
                    stylo += echelle.kern(p, id);
                }
                precedent = Some(id);
                let glyphe = id.with_scale_and_position(
                    echelle.scale(),
                    ab_glyph::point(stylo, ligne_de_base),
                );
                stylo += echelle.h_advance(id);
                let Some(contour) = police.outline_glyph(glyphe) else {
                    continue;
                };
                let b = contour.px_bounds();
                contour.draw(|x, y, couverture| {
                    points.push((
                        b.min.x as i32 + x as i32,
                        b.min.y as i32 + y as i32,
                        couverture,
                    ));
                });
            }
            for (x, y, couverture) in points {
                let (x, y) = trans.transform(x + dx - min_x, y + dy - min_y);
                let (x, y) = (pos.0 + x, pos.1 + y);
                if x >= 0 && x < w as i32 && y >= 0 && y < h as i32 && couverture > 0.0 {
                    self.fond.draw_pixel(
                        (x, y),
                        BackendColor {
                            alpha: couleur.alpha * f64::from(couverture.min(1.0)),
                            rgb: couleur.rgb,
                        },
                    )?;
                }
            }
            Ok(())
        }
    }
}
use trame::Trame;

/// Size of every chart text but the title, in plotters units (an SVG font-size of
/// 19 / 1.24 = 15,3 px): charts are at most [`LARGEUR_MAX`] wide, so at 1 024 px, where the
/// report's column is 985 px, no text is drawn smaller than 14 px.
pub(crate) const T_TEXTE: u32 = 19;
/// Widest chart, in pixels: at 985 px (the report's column at 1 024 px) it is drawn at 0,985
/// scale, its text (19 plotters units, 15,3 px) at 15,1 px.
pub const LARGEUR_MAX: u32 = 1000;
/// Size of chart titles (21 px).
pub(crate) const T_TITRE: u32 = 26;
/// Average advance of a character at [`T_TEXTE`] (DejaVu Sans, 0,6 em), to size label areas.
const CAR: u32 = 10;

pub(crate) fn texte(taille: u32) -> TextStyle<'static> {
    (FAMILLE, taille).into_font().color(&BLACK)
}

/// Draws the white background, the title and the source line; returns the inner area.
pub(crate) fn cadre<DB: DrawingBackend>(
    zone: &DrawingArea<DB, Shift>,
    titre: &str,
    source: &str,
) -> Result<DrawingArea<DB, Shift>, DrawingAreaErrorKind<DB::ErrorType>> {
    zone.fill(&WHITE)?;
    let (w, h) = zone.dim_in_pixel();
    zone.draw(&Text::new(titre.to_string(), (16, 12), texte(T_TITRE)))?;
    // The source line wraps on two lines at most (the note of a capped chart is long).
    let par_ligne = ((w.saturating_sub(32)) / CAR).max(20) as usize;
    for (k, l) in lignes(&format!("Source : {source}"), par_ligne, 2)
        .into_iter()
        .enumerate()
    {
        zone.draw(&Text::new(
            l,
            (16, h as i32 - 50 + 22 * k as i32),
            texte(T_TEXTE).color(&GRIS),
        ))?;
    }
    Ok(zone.margin(52, 58, 8, 16).shrink((0, 0), (w - 24, h - 110)))
}

/// `s` cut into at most `max` lines of at most `largeur` characters, at spaces (the last line
/// ends with "…" when text is left out).
fn lignes(s: &str, largeur: usize, max: usize) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    let mut cur = String::new();
    for mot in s.split(' ') {
        let n = cur.chars().count();
        if n > 0 && n + 1 + mot.chars().count() > largeur {
            v.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(mot);
    }
    if !cur.is_empty() {
        v.push(cur);
    }
    if v.len() > max {
        v.truncate(max);
        if let Some(d) = v.last_mut() {
            *d = format!("{}…", court(d, largeur.saturating_sub(1).max(2)));
        }
    }
    v.into_iter().map(|l| court(&l, largeur)).collect()
}

/// Shortens a label for an axis.
fn court(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let t: String = s.chars().take(max - 1).collect();
        format!("{t}…")
    }
}

/// Horizontal bars, one per item, each with an optional cap drawn as a tick (indemnité per
/// élu·e against their legal cap; staff load per group), and an optional second segment stacked
/// after each bar (the staff a group works on en appui, after the staff it pilots).
#[derive(Debug, Clone, Default)]
pub struct Barres {
    /// Title.
    pub titre: String,
    /// Source line.
    pub source: String,
    /// Unit of the x axis (`€ brut par mois`).
    pub unite: String,
    /// (label, value, optional cap).
    pub barres: Vec<(String, f64, Option<f64>)>,
    /// Legend of the value series.
    pub legende_valeur: String,
    /// Legend of the caps, if any.
    pub legende_plafond: String,
    /// Second segment of each bar, stacked after its value (same order as `barres`; empty:
    /// none). The label at the bar's end gives the value, then « + » this segment.
    pub empile: Vec<f64>,
    /// Legend of the stacked segment.
    pub legende_empile: String,
    /// Upper end of the x axis before its margin (`None`: the largest bar or cap), so that the
    /// parts of one chart cut for slides share one scale.
    pub echelle: Option<f64>,
}

impl Barres {
    fn segment(&self, i: usize) -> f64 {
        self.empile.get(i).copied().unwrap_or(0.0)
    }

    fn maximum(&self) -> f64 {
        self.echelle.unwrap_or_else(|| {
            self.barres
                .iter()
                .enumerate()
                .map(|(i, (_, v, c))| (v + self.segment(i)).max(c.unwrap_or(0.0)))
                .fold(0.0f64, f64::max)
        })
    }
}

/// Width of the row labels of a bar chart: its longest label (at most 44 characters, cut with
/// « … » beyond), never under 120 px.
fn zone_etiquettes<'a>(labels: impl Iterator<Item = &'a str>) -> u32 {
    let n = labels.map(|l| l.chars().count()).max().unwrap_or(4).min(44) as u32;
    (n * CAR + 24).max(120)
}

impl Dessin for Barres {
    fn taille(&self) -> (u32, u32) {
        (1000, (220 + 32 * self.barres.len() as u32).max(380))
    }

    fn borne(&self) -> Self {
        let n = self.barres.len();
        Barres {
            source: avec_note(&self.source, n.min(MAX_BARRES), n, "barres"),
            barres: self
                .barres
                .iter()
                .take(MAX_BARRES)
                .map(|(l, v, c)| (l.clone(), fini(*v), c.map(fini)))
                .collect(),
            empile: self
                .empile
                .iter()
                .take(MAX_BARRES)
                .map(|x| fini(*x))
                .collect(),
            echelle: self.echelle.map(fini),
            ..self.clone()
        }
    }

    fn parties(&self) -> Vec<Self> {
        let n = self.barres.len();
        if n <= BARRES_PAR_DIAPO {
            return Vec::new();
        }
        let max = self.maximum();
        let parts = parts_egales(n, BARRES_PAR_DIAPO);
        let k = parts.len();
        parts
            .into_iter()
            .enumerate()
            .map(|(i, (a, b))| Barres {
                titre: titre_partie(&self.titre, i, k),
                barres: self.barres[a..b].to_vec(),
                empile: self.empile.iter().skip(a).take(b - a).copied().collect(),
                echelle: Some(max),
                ..self.clone()
            })
            .collect()
    }

    fn dessiner<DB: DrawingBackend>(&self, zone: &DrawingArea<DB, Shift>) -> R<DB> {
        let inner = cadre(zone, &self.titre, &self.source)?;
        // The legend on its own line under the title: never over a bar nor a label.
        let mut entrees: Vec<(String, Legende)> =
            vec![(self.legende_valeur.clone(), Legende::Plein(BLEU))];
        if !self.empile.is_empty() {
            entrees.push((self.legende_empile.clone(), Legende::Plein(ORANGE)));
        }
        if self.barres.iter().any(|(_, _, c)| c.is_some()) {
            entrees.push((self.legende_plafond.clone(), Legende::Trait(ROUGE)));
        }
        legende_ligne(&inner, &entrees)?;
        let inner = inner.margin(34, 0, 0, 0);
        let n = self.barres.len().max(1);
        // Room on the right for the value labels.
        let max = self.maximum().max(1.0) * 1.2;
        let zone_lib = zone_etiquettes(self.barres.iter().map(|(l, _, _)| l.as_str()));
        let mut chart = ChartBuilder::on(&inner)
            .x_label_area_size(56)
            .y_label_area_size(zone_lib)
            .build_cartesian_2d(0.0..max, 0.0..n as f64)?;
        axes_barres(&mut chart, &self.unite, max)?;
        // First item on top.
        let y = |i: usize| (n - 1 - i) as f64;
        etiquettes_lignes(
            &inner,
            &chart,
            self.barres.iter().map(|(l, _, _)| l.as_str()),
            n,
            zone_lib,
        )?;
        chart.draw_series(self.barres.iter().enumerate().map(|(i, (_, v, _))| {
            Rectangle::new([(0.0, y(i) + 0.15), (*v, y(i) + 0.85)], BLEU.filled())
        }))?;
        if !self.empile.is_empty() {
            chart.draw_series(self.barres.iter().enumerate().map(|(i, (_, v, _))| {
                Rectangle::new(
                    [(*v, y(i) + 0.15), (v + self.segment(i), y(i) + 0.85)],
                    ORANGE.filled(),
                )
            }))?;
        }
        chart.draw_series(self.barres.iter().enumerate().filter_map(|(i, (_, _, c))| {
            c.map(|c| {
                PathElement::new(
                    vec![(c, y(i) + 0.02), (c, y(i) + 0.98)],
                    ROUGE.stroke_width(3),
                )
            })
        }))?;
        // The value at the end of each bar; past the cap tick only when the tick would cross
        // the label.
        let dec = if max < 10.0 { 1 } else { 0 };
        let largeur = chart.plotting_area().dim_in_pixel().0.max(1) as f64;
        chart.draw_series(self.barres.iter().enumerate().map(|(i, (_, v, c))| {
            let fin = v + self.segment(i);
            let texte_valeur = if self.segment(i) <= 0.0 {
                super::format::decimal_court(*v, dec)
            } else {
                format!(
                    "{} + {}",
                    super::format::decimal_court(*v, dec),
                    super::format::decimal_court(self.segment(i), dec)
                )
            };
            let etendue =
                (texte_valeur.chars().count() as f64 * f64::from(CAR) + 16.0) / largeur * max;
            let x = match c {
                Some(c) if *c >= fin && *c <= fin + etendue => *c,
                _ => fin,
            };
            EmptyElement::at((x, y(i) + 0.5))
                + Text::new(
                    texte_valeur,
                    (8, 0),
                    texte(T_TEXTE).pos(Pos::new(HPos::Left, VPos::Center)),
                )
        }))?;
        Ok(())
    }
}

/// A legend entry's mark.
#[derive(Debug, Clone, Copy)]
enum Legende {
    /// A filled square.
    Plein(RGBColor),
    /// A vertical tick.
    Trait(RGBColor),
}

/// A legend written on one line at the top of `zone`, entries side by side.
fn legende_ligne<DB: DrawingBackend>(
    zone: &DrawingArea<DB, Shift>,
    entrees: &[(String, Legende)],
) -> R<DB> {
    let mut x = 8i32;
    let y = 10i32;
    for (nom, marque) in entrees {
        match marque {
            Legende::Plein(c) => {
                zone.draw(&Rectangle::new([(x, y - 7), (x + 16, y + 7)], c.filled()))?
            }
            Legende::Trait(c) => zone.draw(&PathElement::new(
                vec![(x + 8, y - 9), (x + 8, y + 9)],
                c.stroke_width(3),
            ))?,
        }
        zone.draw(&Text::new(
            nom.clone(),
            (x + 24, y),
            texte(T_TEXTE).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += 24 + (nom.chars().count() as i32) * CAR as i32 + 28;
    }
    Ok(())
}

/// Mesh of horizontal bar charts: light vertical grid, French numbers, no y labels (drawn by
/// [`etiquettes_lignes`]).
fn axes_barres<DB: DrawingBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    unite: &str,
    max: f64,
) -> R<DB> {
    let dec = if max < 10.0 { 1 } else { 0 };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(8)
        .light_line_style(WHITE)
        .bold_line_style(RGBColor(225, 225, 225))
        .x_desc(unite)
        .x_label_formatter(&|v| super::format::decimal_court(*v, dec))
        .label_style(texte(T_TEXTE))
        .axis_desc_style(texte(T_TEXTE))
        .draw()
}

/// Row labels of a horizontal bar chart, right-aligned against the y axis, first row on top.
/// Drawn on `zone` (the chart's parent area) because they lie outside the plotting area.
fn etiquettes_lignes<'a, DB: DrawingBackend>(
    zone: &DrawingArea<DB, Shift>,
    chart: &ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    labels: impl Iterator<Item = &'a str>,
    n: usize,
    largeur: u32,
) -> R<DB> {
    let plot = chart.plotting_area();
    let (bx, by) = zone.get_base_pixel();
    let x = plot.get_pixel_range().0.start - 8 - bx;
    let style = texte(T_TEXTE).pos(Pos::new(HPos::Right, VPos::Center));
    let max = ((largeur - 16) / CAR) as usize;
    for (i, l) in labels.enumerate() {
        let (_, py) = plot.map_coordinate(&(0.0, (n - 1 - i) as f64 + 0.5));
        zone.draw(&Text::new(court(l, max), (x, py - by), style.clone()))?;
    }
    Ok(())
}

fn legende<'a, DB: DrawingBackend + 'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    pos: SeriesLabelPosition,
) -> R<DB> {
    chart
        .configure_series_labels()
        .position(pos)
        .background_style(WHITE.mix(0.9))
        .border_style(GRIS)
        .label_font(texte(T_TEXTE))
        .draw()
}

/// Gini coefficient (0 = perfect equality), shared with the analysis.
pub use crate::analyse::gini;

/// Lorenz curve of a distribution, with the equality line and the Gini in the legend.
#[derive(Debug, Clone)]
pub struct Lorenz {
    /// Title.
    pub titre: String,
    /// Source line.
    pub source: String,
    /// One or more named distributions.
    pub series: Vec<(String, Vec<f64>)>,
    /// The Gini written in the legend of each series, when the table beside the chart gives it
    /// (so that both read the same figure); else computed from the values.
    pub ginis: Vec<Option<f64>>,
}

/// Points of the Lorenz curve of `valeurs`: (share of people, share of the total), from (0, 0).
pub fn points_lorenz(valeurs: &[f64]) -> Vec<(f64, f64)> {
    let mut v: Vec<f64> = valeurs
        .iter()
        .copied()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .collect();
    v.sort_by(f64::total_cmp);
    let total: f64 = v.iter().sum();
    let n = v.len();
    let mut pts = vec![(0.0, 0.0)];
    let mut cum = 0.0;
    for (i, x) in v.iter().enumerate() {
        cum += x;
        pts.push((
            (i + 1) as f64 / n as f64,
            if total > 0.0 { cum / total } else { 0.0 },
        ));
    }
    pts
}

impl Dessin for Lorenz {
    fn taille(&self) -> (u32, u32) {
        (760, 680)
    }

    fn borne(&self) -> Self {
        let n = self.series.len();
        Lorenz {
            ginis: self
                .ginis
                .iter()
                .take(MAX_SERIES)
                .map(|g| g.map(fini))
                .collect(),
            source: avec_note(&self.source, n.min(MAX_SERIES), n, "séries"),
            series: self
                .series
                .iter()
                .take(MAX_SERIES)
                .map(|(nom, v)| {
                    (
                        nom.clone(),
                        v.iter().copied().filter(|x| fini(*x) == *x).collect(),
                    )
                })
                .collect(),
            ..self.clone()
        }
    }

    fn dessiner<DB: DrawingBackend>(&self, zone: &DrawingArea<DB, Shift>) -> R<DB> {
        let inner = cadre(zone, &self.titre, &self.source)?;
        let mut chart = ChartBuilder::on(&inner)
            .x_label_area_size(60)
            .y_label_area_size(90)
            .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
        chart
            .configure_mesh()
            .x_desc("part cumulée des élu·es (des moins aux plus indemnisé·es)")
            .y_desc("part cumulée des indemnités")
            .x_label_formatter(&|v| format!("{:.0} %", v * 100.0))
            .y_label_formatter(&|v| format!("{:.0} %", v * 100.0))
            .label_style(texte(T_TEXTE))
            .axis_desc_style(texte(T_TEXTE))
            .draw()?;
        chart
            .draw_series(LineSeries::new(
                vec![(0.0, 0.0), (1.0, 1.0)],
                GRIS.stroke_width(1),
            ))?
            .label("égalité parfaite")
            .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 16, y)], GRIS));
        for (k, (nom, v)) in self.series.iter().enumerate() {
            let c = SERIES[k % SERIES.len()];
            chart
                .draw_series(LineSeries::new(points_lorenz(v), c.stroke_width(3)))?
                .label(format!(
                    "{nom} (Gini {})",
                    super::format::nombre(
                        self.ginis
                            .get(k)
                            .copied()
                            .flatten()
                            .unwrap_or_else(|| gini(v)),
                        3
                    )
                ))
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], c.stroke_width(3))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.9))
            .border_style(GRIS)
            .label_font(texte(T_TEXTE))
            .draw()?;
        Ok(())
    }
}

/// State of a cell of the coverage matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marque {
    /// Nothing special.
    Aucune,
    /// A double rattachement lies in this cell.
    Double,
    /// Staff of this row not covered by anyone (drawn in the "aucun groupe" column).
    Orphelin,
}

/// A rows × columns matrix drawn as a heat map with the value in each cell (staff led by each
/// group in each DGA), cells with doubles outlined in red, orphans in orange.
#[derive(Debug, Clone)]
pub struct Matrice {
    /// Title.
    pub titre: String,
    /// Source line.
    pub source: String,
    /// Row labels (DGA).
    pub lignes: Vec<String>,
    /// Column labels (groups).
    pub colonnes: Vec<String>,
    /// Values by row then column.
    pub valeurs: Vec<Vec<f64>>,
    /// Marks by row then column.
    pub marques: Vec<Vec<Marque>>,
    /// Lines written under the legend (what the column codes stand for, what the values are).
    pub notes: Vec<String>,
    /// Value of the darkest cell (`None`: the largest value), so that the parts of one matrix
    /// cut for slides share one colour scale.
    pub echelle: Option<f64>,
}

/// A column label on at most two lines, cut after its first hyphen (`DGA-CITOY` → `DGA-`,
/// `CITOY`), each line at most ten characters.
fn entete(lib: &str) -> Vec<String> {
    match lib.split_once('-') {
        Some((a, b)) if lib.chars().count() > 6 && !a.is_empty() && !b.is_empty() => {
            vec![court(&format!("{a}-"), 10), court(b, 10)]
        }
        _ => vec![court(lib, 10)],
    }
}

/// Width of the row labels, width and height of a cell of a matrix with these row and column
/// labels.
fn geometrie(lignes: &[impl AsRef<str>], colonnes: &[String]) -> (i32, i32, i32) {
    let car = CAR as i32;
    let etiquettes = lignes
        .iter()
        .map(|l| l.as_ref().chars().count().min(30) as i32)
        .max()
        .unwrap_or(4);
    let entetes = colonnes
        .iter()
        .flat_map(|c| entete(c))
        .map(|l| l.chars().count() as i32)
        .max()
        .unwrap_or(3);
    (etiquettes * car + 20, (entetes * car + 16).max(64), 38)
}

impl Matrice {
    /// Width of the row labels, width and height of a cell.
    fn geometrie(&self) -> (i32, i32, i32) {
        geometrie(&self.lignes, &self.colonnes)
    }
}

impl Dessin for Matrice {
    fn taille(&self) -> (u32, u32) {
        let (x0, cw, ch) = self.geometrie();
        let notes = self.notes.len().min(MAX_COLONNES_MATRICE + 2) as i32;
        (
            (x0 + cw * self.colonnes.len() as i32 + 40).max(700) as u32,
            (200 + ch * self.lignes.len() as i32 + 60 + 26 * notes).max(340) as u32,
        )
    }

    /// Keeps the [`MAX_COLONNES`] columns and rows with marks first, then the largest totals,
    /// in their order.
    fn borne(&self) -> Self {
        let v = |r: usize, c: usize| {
            fini(
                self.valeurs
                    .get(r)
                    .and_then(|l| l.get(c))
                    .copied()
                    .unwrap_or(0.0),
            )
        };
        let (nl, nc) = (self.lignes.len(), self.colonnes.len());
        // Keys in one pass over the cells given (linear in the input).
        let mut cle_l = vec![(false, 0.0f64); nl];
        let mut cle_c = vec![(false, 0.0f64); nc];
        for (r, ligne) in self.valeurs.iter().enumerate().take(nl) {
            for (c, x) in ligne.iter().enumerate().take(nc) {
                cle_l[r].1 += fini(*x);
                cle_c[c].1 += fini(*x);
            }
        }
        for (r, ligne) in self.marques.iter().enumerate().take(nl) {
            for (c, m) in ligne.iter().enumerate().take(nc) {
                if *m != Marque::Aucune {
                    cle_l[r].0 = true;
                    cle_c[c].0 = true;
                }
            }
        }
        let choisir = |cle: &[(bool, f64)], max: usize| -> Vec<usize> {
            let mut idx: Vec<usize> = (0..cle.len()).collect();
            idx.sort_by(|&a, &b| {
                cle[b]
                    .0
                    .cmp(&cle[a].0)
                    .then(cle[b].1.total_cmp(&cle[a].1))
                    .then(a.cmp(&b))
            });
            idx.truncate(max);
            idx.sort_unstable();
            idx
        };
        let rows = choisir(&cle_l, MAX_COLONNES);
        // As many columns as fit in [`LARGEUR_MAX`] beside the kept rows' labels: a wider chart
        // is scaled down in the report's column and its text falls under 14 px at 1 024 px.
        let gardees: Vec<&str> = rows.iter().map(|&r| self.lignes[r].as_str()).collect();
        let (x0, cw, _) = geometrie(&gardees, &self.colonnes);
        let tiennent = ((LARGEUR_MAX as i32 - 40 - x0) / cw.max(1)).max(1) as usize;
        let cols = choisir(&cle_c, MAX_COLONNES_MATRICE.min(tiennent));
        let source = avec_note(&self.source, cols.len(), nc, "colonnes");
        let source = avec_note(&source, rows.len(), nl, "lignes");
        Matrice {
            titre: self.titre.clone(),
            echelle: self.echelle.map(fini),
            notes: self
                .notes
                .iter()
                .take(MAX_COLONNES_MATRICE + 2)
                .cloned()
                .collect(),
            source,
            lignes: rows.iter().map(|&r| self.lignes[r].clone()).collect(),
            colonnes: cols.iter().map(|&c| self.colonnes[c].clone()).collect(),
            valeurs: rows
                .iter()
                .map(|&r| cols.iter().map(|&c| v(r, c)).collect())
                .collect(),
            marques: rows
                .iter()
                .map(|&r| {
                    cols.iter()
                        .map(|&c| {
                            self.marques
                                .get(r)
                                .and_then(|l| l.get(c))
                                .copied()
                                .unwrap_or(Marque::Aucune)
                        })
                        .collect()
                })
                .collect(),
        }
    }

    /// Rows cut into parts of at most [`LIGNES_MATRICE_PAR_DIAPO`], and columns into parts at
    /// most [`LARGEUR_MAX`] wide, on one colour scale; the notes (what the column codes stand for) are
    /// left to the slide, beside the chart.
    fn parties(&self) -> Vec<Self> {
        let (x0, cw, _) = self.geometrie();
        let n = self.lignes.len();
        let nc = self.colonnes.len();
        let par_partie = (((LARGEUR_MAX as i32 - 40 - x0) / cw.max(1)).max(1)) as usize;
        if n <= LIGNES_MATRICE_PAR_DIAPO && nc <= par_partie && self.notes.len() <= 2 {
            return Vec::new();
        }
        let max = self.echelle.unwrap_or_else(|| {
            self.valeurs
                .iter()
                .flatten()
                .copied()
                .fold(0.0f64, f64::max)
        });
        let lignes = parts_egales(n, LIGNES_MATRICE_PAR_DIAPO);
        let colonnes = parts_egales(nc, par_partie);
        let k = lignes.len() * colonnes.len();
        let mut out = Vec::with_capacity(k);
        for &(a, b) in &lignes {
            for &(c, d) in &colonnes {
                let i = out.len();
                let tranche = |m: &Vec<Vec<f64>>| -> Vec<Vec<f64>> {
                    m.iter()
                        .skip(a)
                        .take(b - a)
                        .map(|l| l.iter().skip(c).take(d - c).copied().collect())
                        .collect()
                };
                out.push(Matrice {
                    titre: if k > 1 {
                        titre_partie(&self.titre, i, k)
                    } else {
                        self.titre.clone()
                    },
                    source: self.source.clone(),
                    lignes: self.lignes[a..b].to_vec(),
                    colonnes: self.colonnes[c..d].to_vec(),
                    valeurs: tranche(&self.valeurs),
                    marques: self
                        .marques
                        .iter()
                        .skip(a)
                        .take(b - a)
                        .map(|l| l.iter().skip(c).take(d - c).copied().collect())
                        .collect(),
                    notes: Vec::new(),
                    echelle: Some(max),
                });
            }
        }
        out
    }

    fn dessiner<DB: DrawingBackend>(&self, zone: &DrawingArea<DB, Shift>) -> R<DB> {
        let inner = cadre(zone, &self.titre, &self.source)?;
        let max = self
            .echelle
            .unwrap_or_else(|| {
                self.valeurs
                    .iter()
                    .flatten()
                    .copied()
                    .fold(0.0f64, f64::max)
            })
            .max(1.0);
        let (x0, cw, ch) = self.geometrie();
        let y0 = 60i32;
        let droite = texte(T_TEXTE).pos(Pos::new(HPos::Right, VPos::Center));
        fn centre(c: &'static RGBColor) -> TextStyle<'static> {
            texte(T_TEXTE)
                .color(c)
                .pos(Pos::new(HPos::Center, VPos::Center))
        }
        for (c, lib) in self.colonnes.iter().enumerate() {
            let l = entete(lib);
            let n = l.len() as i32;
            for (k, t) in l.into_iter().enumerate() {
                inner.draw(&Text::new(
                    t,
                    (
                        x0 + cw * c as i32 + cw / 2,
                        y0 - 14 - 22 * (n - 1 - k as i32),
                    ),
                    centre(&BLACK),
                ))?;
            }
        }
        for (r, lib) in self.lignes.iter().enumerate() {
            let y = y0 + ch * r as i32;
            inner.draw(&Text::new(
                court(lib, 30),
                (x0 - 10, y + ch / 2),
                droite.clone(),
            ))?;
            for c in 0..self.colonnes.len() {
                let v = self
                    .valeurs
                    .get(r)
                    .and_then(|row| row.get(c))
                    .copied()
                    .unwrap_or(0.0);
                let x = x0 + cw * c as i32;
                let t = (v / max).clamp(0.0, 1.0);
                let fond = if v > 0.0 {
                    BLEU.mix(0.15 + 0.85 * t)
                } else {
                    RGBColor(245, 245, 245).mix(1.0)
                };
                inner.draw(&Rectangle::new(
                    [(x + 1, y + 1), (x + cw - 1, y + ch - 1)],
                    fond.filled(),
                ))?;
                match self
                    .marques
                    .get(r)
                    .and_then(|m| m.get(c))
                    .copied()
                    .unwrap_or(Marque::Aucune)
                {
                    Marque::Double => inner.draw(&Rectangle::new(
                        [(x + 2, y + 2), (x + cw - 2, y + ch - 2)],
                        ROUGE.stroke_width(4),
                    ))?,
                    Marque::Orphelin => inner.draw(&Rectangle::new(
                        [(x + 2, y + 2), (x + cw - 2, y + ch - 2)],
                        ORANGE.stroke_width(4),
                    ))?,
                    Marque::Aucune => {}
                }
                if v > 0.0 {
                    let couleur = if t > 0.45 { &WHITE } else { &BLACK };
                    inner.draw(&Text::new(
                        super::format::decimal_court(v, 0),
                        (x + cw / 2, y + ch / 2),
                        centre(couleur),
                    ))?;
                }
            }
        }
        let yb = y0 + ch * self.lignes.len() as i32 + 20;
        inner.draw(&Rectangle::new(
            [(16, yb), (32, yb + 16)],
            ROUGE.stroke_width(3),
        ))?;
        inner.draw(&Text::new("double rattachement", (42, yb), texte(T_TEXTE)))?;
        inner.draw(&Rectangle::new(
            [(260, yb), (276, yb + 16)],
            ORANGE.stroke_width(3),
        ))?;
        inner.draw(&Text::new(
            "sans pilote (orphelin)",
            (286, yb),
            texte(T_TEXTE),
        ))?;
        for (k, n) in self.notes.iter().enumerate() {
            inner.draw(&Text::new(
                n.clone(),
                (16, yb + 34 + 26 * k as i32),
                texte(T_TEXTE).color(&GRIS),
            ))?;
        }
        Ok(())
    }
}

/// Grouped horizontal bars: categories × series (indemnités by sex and by component).
#[derive(Debug, Clone)]
pub struct BarresGroupees {
    /// Title.
    pub titre: String,
    /// Source line.
    pub source: String,
    /// Unit of the x axis.
    pub unite: String,
    /// Category labels.
    pub categories: Vec<String>,
    /// (series name, value per category).
    pub series: Vec<(String, Vec<f64>)>,
}

impl Dessin for BarresGroupees {
    fn taille(&self) -> (u32, u32) {
        (
            1000,
            (210 + 30 * (self.categories.len() * self.series.len().max(1)) as u32).max(380),
        )
    }

    fn borne(&self) -> Self {
        let (nc, ns) = (self.categories.len(), self.series.len());
        let source = avec_note(&self.source, nc.min(MAX_CATEGORIES), nc, "catégories");
        BarresGroupees {
            source: avec_note(&source, ns.min(MAX_SERIES), ns, "séries"),
            categories: self
                .categories
                .iter()
                .take(MAX_CATEGORIES)
                .cloned()
                .collect(),
            series: self
                .series
                .iter()
                .take(MAX_SERIES)
                .map(|(nom, v)| {
                    (
                        nom.clone(),
                        v.iter().take(MAX_CATEGORIES).map(|x| fini(*x)).collect(),
                    )
                })
                .collect(),
            ..self.clone()
        }
    }

    fn dessiner<DB: DrawingBackend>(&self, zone: &DrawingArea<DB, Shift>) -> R<DB> {
        let inner = cadre(zone, &self.titre, &self.source)?;
        let nc = self.categories.len().max(1);
        let ns = self.series.len().max(1) as f64;
        let max = self
            .series
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .fold(0.0f64, f64::max)
            .max(1.0)
            // Room for the value labels and the legend.
            * 1.3;
        // Labels never truncated below 44 characters (« Écologistes et citoyen·nes (7) »).
        let zone_lib = zone_etiquettes(self.categories.iter().map(String::as_str));
        let mut chart = ChartBuilder::on(&inner)
            .x_label_area_size(56)
            .y_label_area_size(zone_lib)
            .build_cartesian_2d(0.0..max, 0.0..nc as f64)?;
        axes_barres(&mut chart, &self.unite, max)?;
        etiquettes_lignes(
            &inner,
            &chart,
            self.categories.iter().map(String::as_str),
            nc,
            zone_lib,
        )?;
        for (k, (nom, v)) in self.series.iter().enumerate() {
            let c = SERIES[k % SERIES.len()];
            let h = 0.8 / ns;
            chart
                .draw_series(v.iter().enumerate().map(|(i, x)| {
                    let y0 = (nc - 1 - i) as f64 + 0.9 - h * (k as f64 + 1.0);
                    Rectangle::new([(0.0, y0 + 0.02), (*x, y0 + h - 0.02)], c.filled())
                }))?
                .label(nom.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], c.filled()));
            let dec = if max < 10.0 { 1 } else { 0 };
            chart.draw_series(v.iter().enumerate().map(|(i, x)| {
                let y0 = (nc - 1 - i) as f64 + 0.9 - h * (k as f64 + 1.0);
                EmptyElement::at((*x, y0 + h / 2.0))
                    + Text::new(
                        super::format::decimal_court(*x, dec),
                        (6, 0),
                        texte(T_TEXTE).pos(Pos::new(HPos::Left, VPos::Center)),
                    )
            }))?;
        }
        if self.series.len() > 1 {
            legende(&mut chart, SeriesLabelPosition::UpperRight)?;
        }
        Ok(())
    }
}

/// A curve through points (the equality/responsibility trade-off).
#[derive(Debug, Clone, Default)]
pub struct Courbe {
    /// Title.
    pub titre: String,
    /// Source line.
    pub source: String,
    /// x axis label.
    pub x: String,
    /// y axis label.
    pub y: String,
    /// Named series of (x, y) points.
    pub series: Vec<(String, Vec<(f64, f64)>)>,
    /// Points only, each labelled « point k » (1-based): alternatives, not a continuum a line
    /// between them would suggest (the front of compromises).
    pub points_seuls: bool,
    /// The y values are counts: integer ticks only.
    pub y_entier: bool,
}

impl Dessin for Courbe {
    fn taille(&self) -> (u32, u32) {
        (960, 600)
    }

    fn borne(&self) -> Self {
        let n = self.series.len();
        Courbe {
            source: avec_note(&self.source, n.min(MAX_SERIES), n, "séries"),
            series: self
                .series
                .iter()
                .take(MAX_SERIES)
                .map(|(nom, p)| {
                    (
                        nom.clone(),
                        p.iter()
                            .copied()
                            .filter(|(x, y)| fini(*x) == *x && fini(*y) == *y)
                            .collect(),
                    )
                })
                .collect(),
            ..self.clone()
        }
    }

    fn dessiner<DB: DrawingBackend>(&self, zone: &DrawingArea<DB, Shift>) -> R<DB> {
        let inner = cadre(zone, &self.titre, &self.source)?;
        let pts = self.series.iter().flat_map(|(_, p)| p.iter().copied());
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (x, y) in pts {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        if x0 > x1 {
            (x0, x1, y0, y1) = (0.0, 1.0, 0.0, 1.0);
        }
        let (ybas, yhaut) = if self.y_entier {
            ((y0.floor() - 1.0).max(0.0), y1.ceil() + 1.0)
        } else {
            let dy = ((y1 - y0) * 0.1).max(0.01);
            ((y0 - dy).max(0.0), y1 + dy)
        };
        // Room on the right for the last point's label.
        let dx = if self.points_seuls {
            ((x1 - x0) * 0.12).max(1.0)
        } else {
            0.0
        };
        let (xbas, xhaut) = if self.points_seuls {
            ((x0 - dx).max(0.0), x1 + dx)
        } else {
            (x0, x1.max(x0 + 1e-9))
        };
        let mut chart = ChartBuilder::on(&inner)
            .x_label_area_size(60)
            .y_label_area_size(100)
            .build_cartesian_2d(xbas..xhaut.max(xbas + 1e-9), ybas..yhaut)?;
        let entier = self.y_entier;
        let graduation_y = move |v: &f64| {
            if !entier {
                super::format::decimal_court(*v, 2)
            } else if (v - v.round()).abs() < 1e-9 {
                super::format::decimal_court(v.round(), 0)
            } else {
                String::new()
            }
        };
        chart
            .configure_mesh()
            .light_line_style(RGBColor(240, 240, 240))
            .x_desc(self.x.as_str())
            .y_desc(self.y.as_str())
            .y_labels(if entier {
                (yhaut - ybas) as usize + 1
            } else {
                10
            })
            .x_label_formatter(&|v| super::format::decimal_court(*v, 2))
            .y_label_formatter(&graduation_y)
            .label_style(texte(T_TEXTE))
            .axis_desc_style(texte(T_TEXTE))
            .draw()?;
        for (k, (nom, p)) in self.series.iter().enumerate() {
            let c = SERIES[k % SERIES.len()];
            if self.points_seuls {
                chart
                    .draw_series(p.iter().map(|&pt| Circle::new(pt, 8, c.filled())))?
                    .label(nom.as_str())
                    .legend(move |(x, y)| Circle::new((x + 8, y), 6, c.filled()));
                chart.draw_series(p.iter().enumerate().map(|(i, &pt)| {
                    EmptyElement::at(pt)
                        + Text::new(
                            format!("point {}", i + 1),
                            (12, -26),
                            texte(T_TEXTE).pos(Pos::new(HPos::Left, VPos::Center)),
                        )
                }))?;
                continue;
            }
            chart
                .draw_series(LineSeries::new(p.clone(), c.stroke_width(3)))?
                .label(nom.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 16, y)], c.stroke_width(3))
                });
            chart.draw_series(p.iter().map(|&pt| Circle::new(pt, 3, c.filled())))?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.9))
            .border_style(GRIS)
            .label_font(texte(T_TEXTE))
            .draw()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Widest run of blank pixel columns inside "ETP" drawn at 40 units on `trame` or not.
    fn trou_max(trame: bool) -> usize {
        police();
        let (w, h) = (300u32, 80u32);
        let mut rgb = vec![255u8; (w * h * 3) as usize];
        {
            let fond = BitMapBackend::with_buffer(&mut rgb, (w, h));
            let t = Text::new("ETP", (10, 10), texte(40));
            if trame {
                let root = Trame::new(fond).into_drawing_area();
                root.draw(&t).expect("draws");
                root.present().expect("presents");
            } else {
                let root = fond.into_drawing_area();
                root.draw(&t).expect("draws");
                root.present().expect("presents");
            }
        }
        let encre: Vec<bool> = (0..w as usize)
            .map(|x| (0..h as usize).any(|y| rgb[(y * w as usize + x) * 3] < 128))
            .collect();
        let (Some(a), Some(b)) = (
            encre.iter().position(|&e| e),
            encre.iter().rposition(|&e| e),
        ) else {
            return usize::MAX;
        };
        encre[a..=b]
            .split(|&e| e)
            .map(<[bool]>::len)
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn png_text_has_no_gap_between_letters() {
        // "E", "T" and "P" of DejaVu Sans at this size sit 3 px apart at most; plotters' own
        // path leaves a wider hole after "E".
        let trame = trou_max(true);
        assert!(trame <= 3, "gap of {trame} px");
        assert!(
            trou_max(false) > trame,
            "plotters' path is the one with the gap"
        );
    }

    #[test]
    fn source_lines_wrap_at_spaces_on_two_lines_at_most() {
        assert_eq!(lignes("a bb ccc dd", 6, 3), vec!["a bb", "ccc dd"]);
        let l = lignes("un deux trois quatre cinq six", 10, 2);
        assert_eq!(l.len(), 2);
        assert!(l[1].ends_with('…'), "{l:?}");
        assert!(l.iter().all(|x| x.chars().count() <= 10), "{l:?}");
    }

    #[test]
    fn eight_thousand_groups_give_bounded_charts() {
        let n = 8_000;
        let b = Barres {
            titre: "Effectif piloté par groupe".into(),
            source: "test".into(),
            unite: "ETP".into(),
            barres: (0..n).map(|i| (format!("G{i}"), i as f64, None)).collect(),
            legende_valeur: "ETP".into(),
            legende_plafond: String::new(),
            ..Default::default()
        };
        let (w, h) = b.borne().taille();
        assert!(u64::from(w) * u64::from(h) <= 2_500_000, "{w}×{h}");
        let i = rendre(&b, "b", "b", "b").expect("bars");
        assert!(
            i.svg.contains("60 barres représenté·es sur 8"),
            "note in the chart"
        );
        let m = Matrice {
            titre: "m".into(),
            source: "test".into(),
            lignes: (0..n).map(|i| format!("P{i}")).collect(),
            colonnes: (0..n).map(|i| format!("G{i}")).collect(),
            // One non-zero value per row: the input itself stays linear.
            valeurs: (0..n).map(|i| vec![i as f64]).collect(),
            marques: vec![vec![Marque::Double]],
            notes: Vec::new(),
            echelle: None,
        };
        let c = m.borne();
        assert_eq!(
            (c.lignes.len(), c.colonnes.len()),
            (MAX_COLONNES, MAX_COLONNES_MATRICE)
        );
        assert_eq!(c.lignes[0], "P0", "marked row kept first");
        let (w, h) = c.taille();
        assert!(u64::from(w) * u64::from(h) <= 5_000_000, "{w}×{h}");
        rendre(&m, "m", "m", "m").expect("matrix");
    }

    /// A matrix with long row labels and many columns (a Paris-size coverage map: 30-character
    /// pôles, DGA codes) keeps only the columns that fit in [`LARGEUR_MAX`], says so in its
    /// source line, and is never wider: its text stays at 14 px or more at 1 024 px.
    #[test]
    fn a_matrix_is_never_wider_than_the_report_column_allows() {
        for (etiquette, colonne) in [(30, "DGA01"), (12, "DGA-CITOY"), (4, "G1")] {
            let m = Matrice {
                titre: "m".into(),
                source: "test".into(),
                lignes: (0..20).map(|i| format!("{i:0>etiquette$}")).collect(),
                colonnes: (0..30).map(|i| format!("{colonne}{i:02}")).collect(),
                valeurs: vec![vec![1.0; 30]; 20],
                marques: Vec::new(),
                notes: Vec::new(),
                echelle: None,
            };
            let c = m.borne();
            let (w, _) = c.taille();
            assert!(w <= LARGEUR_MAX, "{etiquette} characters: {w} px");
            assert!(c.colonnes.len() < 30, "{etiquette} characters");
            assert!(c.source.contains("colonnes"), "{}", c.source);
        }
    }

    #[test]
    fn non_finite_values_never_reach_a_chart() {
        let b = Barres {
            titre: "t".into(),
            source: "s".into(),
            unite: "€".into(),
            barres: vec![
                ("a".into(), f64::INFINITY, Some(f64::NAN)),
                ("b".into(), 1e308, None),
                ("c".into(), 3.0, Some(4.0)),
            ],
            legende_valeur: "v".into(),
            legende_plafond: "p".into(),
            ..Default::default()
        };
        rendre(&b, "b", "b", "b").expect("bars");
        let c = Courbe {
            titre: "t".into(),
            source: "s".into(),
            x: "x".into(),
            y: "y".into(),
            series: vec![(
                "s".into(),
                vec![
                    (0.0, 1.0),
                    (1.0, f64::INFINITY),
                    (f64::NAN, 2.0),
                    (1e308, -1e308),
                ],
            )],
            ..Default::default()
        };
        assert_eq!(c.borne().series[0].1, vec![(0.0, 1.0)]);
        rendre(&c, "c", "c", "c").expect("curve");
        let l = Lorenz {
            titre: "t".into(),
            source: "s".into(),
            series: vec![("s".into(), vec![1.0, f64::INFINITY, 1e308, 2.0])],
            ginis: Vec::new(),
        };
        rendre(&l, "l", "l", "l").expect("lorenz");
        let g = BarresGroupees {
            titre: "t".into(),
            source: "s".into(),
            unite: "€".into(),
            categories: vec!["a".into()],
            series: vec![("s".into(), vec![f64::NAN])],
        };
        rendre(&g, "g", "g", "g").expect("grouped");
    }

    #[test]
    fn gini_of_known_distributions() {
        assert_eq!(gini(&[1.0, 1.0, 1.0]), 0.0);
        assert!((gini(&[0.0, 0.0, 0.0, 1.0]) - 0.75).abs() < 1e-12);
        assert!((gini(&[1.0, 2.0, 3.0, 4.0]) - 0.25).abs() < 1e-12);
        assert_eq!(gini(&[]), 0.0);
        let p = points_lorenz(&[3.0, 1.0]);
        assert_eq!(p, vec![(0.0, 0.0), (0.5, 0.25), (1.0, 1.0)]);
    }

    #[test]
    fn charts_render_to_svg_and_png_deterministically() {
        let b = Barres {
            titre: "Indemnités et plafonds".into(),
            source: "collegia, scénario test".into(),
            unite: "€ brut par mois".into(),
            barres: vec![
                ("Élise Roux".into(), 1200.0, Some(2712.95)),
                ("Hugo Barbier".into(), 800.0, None),
            ],
            legende_valeur: "indemnité".into(),
            legende_plafond: "plafond légal".into(),
            ..Default::default()
        };
        let a = rendre(&b, "t", "Indemnités et plafonds", "barres").expect("render");
        let a2 = rendre(&b, "t", "Indemnités et plafonds", "barres").expect("render");
        assert_eq!(a, a2);
        assert!(a.svg.starts_with("<svg"));
        assert!(a.svg.contains("Élise Roux"));
        assert!(a.png.starts_with(b"\x89PNG"));
        let l = Lorenz {
            titre: "Lorenz".into(),
            source: "s".into(),
            series: vec![("indemnités".into(), vec![1.0, 2.0, 3.0])],
            ginis: Vec::new(),
        };
        assert!(
            rendre(&l, "l", "Lorenz", "x")
                .expect("lorenz")
                .svg
                .contains("Gini")
        );
        let m = Matrice {
            titre: "Couverture".into(),
            source: "s".into(),
            lignes: vec!["DGA ressources".into(), "DGA vie locale".into()],
            colonnes: vec!["G1".into(), "G2".into(), "aucun".into()],
            valeurs: vec![vec![10.0, 0.0, 2.0], vec![0.0, 30.0, 0.0]],
            marques: vec![
                vec![Marque::Double, Marque::Aucune, Marque::Orphelin],
                vec![Marque::Aucune; 3],
            ],
            notes: vec!["G1 : groupe 1".into()],
            echelle: None,
        };
        assert!(rendre(&m, "m", "Couverture", "x").is_ok());
        let g = BarresGroupees {
            titre: "Par sexe".into(),
            source: "s".into(),
            unite: "€".into(),
            categories: vec!["F".into(), "M".into()],
            series: vec![
                ("moyenne".into(), vec![1.0, 2.0]),
                ("total".into(), vec![3.0, 4.0]),
            ],
        };
        assert!(rendre(&g, "g", "Par sexe", "x").is_ok());
        let c = Courbe {
            titre: "Arbitrage".into(),
            source: "s".into(),
            x: "alpha".into(),
            y: "Gini".into(),
            series: vec![("Gini".into(), vec![(0.0, 0.1), (1.0, 0.3)])],
            ..Default::default()
        };
        assert!(rendre(&c, "c", "Arbitrage", "x").is_ok());
    }
}
