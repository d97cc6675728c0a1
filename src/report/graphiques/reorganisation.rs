//! The two charts of `collegia reorganiser` (issue 29), in the house style of the report's
//! charts (same font, palette, sizes, title and source line): the timeline of the staged plan
//! ([`Calendrier`]) and the flow of directions between DGA ([`Flux`]).
//!
//! They take plain labels and numbers (built by [`crate::report::reorganisation`] from a plan),
//! so that they can be tested on fixed data and draw the same bytes on every run.

use super::{
    BLEU, CAR, Dessin, GRIS, Legende, MAX_CATEGORIES, MAX_SERIES, ORANGE, R, ROUGE, SERIES,
    T_TEXTE, VERT, avec_note, axes_barres, cadre, court, etiquettes_lignes, fini, legende_ligne,
    parts_egales, texte, titre_partie, zone_etiquettes,
};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The timeline of a staged reorganisation: the coherence measures of each stage as lines
/// (top panel, lower is more coherent) and the agents whose DGA changes at each stage as bars
/// under the cap per stage (bottom panel, a red line).
#[derive(Debug, Clone, Default)]
pub struct Calendrier {
    /// Title.
    pub titre: String,
    /// Source line.
    pub source: String,
    /// Label of each stage under its column (« 0 », « 1 », …), today first.
    pub etapes: Vec<String>,
    /// Date of each stage, written under its label when there is room (empty for today).
    pub dates: Vec<String>,
    /// (measure, value at each stage); the first is drawn thicker (the weighted total).
    pub mesures: Vec<(String, Vec<f64>)>,
    /// Agents whose DGA changes at each stage (0 today).
    pub agents: Vec<f64>,
    /// The cap of agents per stage.
    pub plafond: f64,
}

/// Height of the measures' legend line.
const LIGNE_LEGENDE: i32 = 28;

/// Entries of a legend, each a short line in its colour, wrapped over as many lines as the
/// width needs; returns the height used.
fn legende_traits<DB: DrawingBackend>(
    zone: &DrawingArea<DB, Shift>,
    entrees: &[(String, RGBColor, u32)],
) -> Result<i32, DrawingAreaErrorKind<DB::ErrorType>> {
    let largeur = zone.dim_in_pixel().0 as i32;
    let (mut x, mut y) = (8i32, 10i32);
    for (nom, c, epaisseur) in entrees {
        let w = 30 + nom.chars().count() as i32 * CAR as i32 + 24;
        if x > 8 && x + w > largeur {
            x = 8;
            y += LIGNE_LEGENDE;
        }
        zone.draw(&PathElement::new(
            vec![(x, y), (x + 22, y)],
            c.stroke_width(*epaisseur),
        ))?;
        zone.draw(&Text::new(
            nom.clone(),
            (x + 30, y),
            texte(T_TEXTE).pos(Pos::new(HPos::Left, VPos::Center)),
        ))?;
        x += w;
    }
    Ok(y + LIGNE_LEGENDE - 4)
}

impl Calendrier {
    fn n(&self) -> usize {
        self.etapes.len().max(1)
    }

    /// Colour and width of measure `k`'s line.
    fn trait_mesure(k: usize) -> (RGBColor, u32) {
        if k == 0 {
            (BLEU, 5)
        } else {
            (SERIES[k % SERIES.len()], 3)
        }
    }
}

impl Dessin for Calendrier {
    /// 1 000 × 660: on a 1 024 × 768 slide, with a line under it, it is drawn at about 0,93
    /// scale, so its text (15,3 px) stays above 14 px, as in the report's 985-px column.
    fn taille(&self) -> (u32, u32) {
        (1000, 660)
    }

    fn borne(&self) -> Self {
        let n = self.etapes.len();
        let garde = n.min(MAX_CATEGORIES);
        let source = avec_note(&self.source, garde, n, "étapes");
        let ns = self.mesures.len();
        Calendrier {
            source: avec_note(&source, ns.min(MAX_SERIES), ns, "mesures"),
            etapes: self.etapes.iter().take(garde).cloned().collect(),
            dates: self.dates.iter().take(garde).cloned().collect(),
            mesures: self
                .mesures
                .iter()
                .take(MAX_SERIES)
                .map(|(nom, v)| {
                    (
                        nom.clone(),
                        v.iter().take(garde).map(|x| fini(*x)).collect(),
                    )
                })
                .collect(),
            agents: self.agents.iter().take(garde).map(|x| fini(*x)).collect(),
            plafond: fini(self.plafond),
            titre: self.titre.clone(),
        }
    }

    fn dessiner<DB: DrawingBackend>(&self, zone: &DrawingArea<DB, Shift>) -> R<DB> {
        let inner = cadre(zone, &self.titre, &self.source)?;
        let n = self.n();
        let entrees: Vec<(String, RGBColor, u32)> = self
            .mesures
            .iter()
            .enumerate()
            .map(|(k, (nom, _))| {
                let (c, w) = Calendrier::trait_mesure(k);
                (nom.clone(), c, w)
            })
            .collect();
        let haut_legende = legende_traits(&inner, &entrees)?;
        let inner = inner.margin(haut_legende as u32, 0, 0, 0);
        let h = inner.dim_in_pixel().1;
        let (haut, bas) = inner.split_vertically(h * 52 / 100);
        let x0 = -0.5;
        let x1 = n as f64 - 0.5;
        // Top: the measures.
        let max_m = self
            .mesures
            .iter()
            .flat_map(|(_, v)| v.iter().copied())
            .fold(0.0f64, f64::max)
            .max(1.0)
            * 1.12;
        let mut chart = ChartBuilder::on(&haut)
            .x_label_area_size(8)
            .y_label_area_size(90)
            .build_cartesian_2d(x0..x1, 0.0..max_m)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(6)
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(225, 225, 225))
            .y_desc("mesure (bas = mieux)")
            .y_label_formatter(&|v| crate::format::decimal_court(*v, 1))
            .label_style(texte(T_TEXTE))
            .axis_desc_style(texte(T_TEXTE))
            .draw()?;
        for (k, (_, v)) in self.mesures.iter().enumerate() {
            let (c, w) = Calendrier::trait_mesure(k);
            let pts: Vec<(f64, f64)> = v.iter().enumerate().map(|(t, y)| (t as f64, *y)).collect();
            chart.draw_series(LineSeries::new(pts.clone(), c.stroke_width(w)))?;
            chart.draw_series(
                pts.iter()
                    .map(|&p| Circle::new(p, if k == 0 { 6 } else { 4 }, c.filled())),
            )?;
        }
        // The weighted total's value at each stage, above its point.
        if let Some((_, v)) = self.mesures.first() {
            chart.draw_series(v.iter().enumerate().map(|(t, y)| {
                EmptyElement::at((t as f64, *y))
                    + Text::new(
                        crate::format::decimal_court(*y, 1),
                        (0, -16),
                        texte(T_TEXTE).pos(Pos::new(HPos::Center, VPos::Bottom)),
                    )
            }))?;
        }
        // Bottom: agents moved per stage and the cap.
        let max_a = self
            .agents
            .iter()
            .copied()
            .fold(self.plafond, f64::max)
            .max(1.0)
            * 1.18;
        let mut chart = ChartBuilder::on(&bas)
            .margin_top(16)
            .x_label_area_size(if self.dates_lisibles() { 84 } else { 60 })
            .y_label_area_size(90)
            .build_cartesian_2d(x0..x1, 0.0..max_a)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .y_labels(5)
            .light_line_style(WHITE)
            .bold_line_style(RGBColor(225, 225, 225))
            .y_desc("agent·es")
            .y_label_formatter(&|v| crate::format::decimal_court(*v, 0))
            .label_style(texte(T_TEXTE))
            .axis_desc_style(texte(T_TEXTE))
            .draw()?;
        chart.draw_series(self.agents.iter().enumerate().map(|(t, a)| {
            Rectangle::new([(t as f64 - 0.3, 0.0), (t as f64 + 0.3, *a)], BLEU.filled())
        }))?;
        // Each bar's value inside its top (white), or above a short bar: never across the cap.
        chart.draw_series(self.agents.iter().enumerate().skip(1).map(|(t, a)| {
            let dedans = *a > 0.3 * max_a;
            EmptyElement::at((t as f64, *a))
                + Text::new(
                    crate::format::decimal_court(*a, 0),
                    (0, if dedans { 6 } else { -6 }),
                    if dedans {
                        texte(T_TEXTE)
                            .color(&WHITE)
                            .pos(Pos::new(HPos::Center, VPos::Top))
                    } else {
                        texte(T_TEXTE).pos(Pos::new(HPos::Center, VPos::Bottom))
                    },
                )
        }))?;
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x0, self.plafond), (x1, self.plafond)],
            ROUGE.stroke_width(3),
        )))?;
        chart.draw_series(std::iter::once(
            EmptyElement::at((x1, self.plafond))
                + Text::new(
                    format!(
                        "plafond : {} par étape",
                        crate::format::decimal_court(self.plafond, 0)
                    ),
                    (-6, -6),
                    texte(T_TEXTE)
                        .color(&ROUGE)
                        .pos(Pos::new(HPos::Right, VPos::Bottom)),
                ),
        ))?;
        // Stage labels (and dates when they fit) under each column.
        let plot = chart.plotting_area();
        let (bx, by) = bas.get_base_pixel();
        let yb = plot.get_pixel_range().1.end - by;
        let dates = self.dates_lisibles();
        for (t, e) in self.etapes.iter().enumerate() {
            let (px, _) = plot.map_coordinate(&(t as f64, 0.0));
            bas.draw(&Text::new(
                e.clone(),
                (px - bx, yb + 8),
                texte(T_TEXTE).pos(Pos::new(HPos::Center, VPos::Top)),
            ))?;
            if dates && let Some(d) = self.dates.get(t) {
                bas.draw(&Text::new(
                    d.clone(),
                    (px - bx, yb + 32),
                    texte(T_TEXTE)
                        .color(&GRIS)
                        .pos(Pos::new(HPos::Center, VPos::Top)),
                ))?;
            }
        }
        let (w, hb) = bas.dim_in_pixel();
        bas.draw(&Text::new(
            "étape (0 = aujourd'hui ; une par séminaire)".to_string(),
            (w as i32 / 2, hb as i32 - 4),
            texte(T_TEXTE).pos(Pos::new(HPos::Center, VPos::Bottom)),
        ))?;
        Ok(())
    }
}

impl Calendrier {
    /// Whether the dates fit under the columns (each at most a column wide).
    fn dates_lisibles(&self) -> bool {
        let colonne = 880 / self.n() as u32;
        self.dates
            .iter()
            .all(|d| d.chars().count() as u32 * CAR + 8 <= colonne)
    }
}

/// One DGA of the flow chart: what it holds today and at the last stage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LigneFlux {
    /// The DGA (`DGA-CULT`, or `DGA-NOUV-sante (nouvelle)`).
    pub dga: String,
    /// Agents of its directions that stay with it.
    pub restent: f64,
    /// Directions that leave it: (label, agents).
    pub partent: Vec<(String, f64)>,
    /// Directions that join it: (label, agents).
    pub arrivent: Vec<(String, f64)>,
}

impl LigneFlux {
    fn avant(&self) -> f64 {
        self.restent + self.partent.iter().map(|x| x.1).sum::<f64>()
    }
    fn apres(&self) -> f64 {
        self.restent + self.arrivent.iter().map(|x| x.1).sum::<f64>()
    }
}

/// The flow of directions between DGA, today → last stage: per DGA two stacked bars, today's
/// (the directions that stay in blue, those that leave in orange) and the last stage's (those
/// that stay, then those that arrive in green), each moving direction named beside its bar.
#[derive(Debug, Clone, Default)]
pub struct Flux {
    /// Title.
    pub titre: String,
    /// Source line.
    pub source: String,
    /// Label of the second bar (« étape 4 »).
    pub fin: String,
    /// One row per DGA.
    pub lignes: Vec<LigneFlux>,
    /// Upper end of the scale (`None`: the largest bar), shared by the parts cut for slides.
    pub echelle: Option<f64>,
}

/// Most DGA of one slide's part of the flow chart: 230 + 66 × 6 = 626 px high, under the about
/// 648 px a 1 024 × 768 slide has below its title, so it is drawn at the slide's width scale
/// (about 0,94) and its text (15,3 px) stays above 14 px.
pub const DGA_PAR_DIAPO: usize = 6;
/// Height of one DGA's row (two bars).
const RANG: u32 = 66;

impl Flux {
    fn maximum(&self) -> f64 {
        self.echelle.unwrap_or_else(|| {
            self.lignes
                .iter()
                .map(|l| l.avant().max(l.apres()))
                .fold(0.0f64, f64::max)
        })
    }
}

impl Dessin for Flux {
    fn taille(&self) -> (u32, u32) {
        (1000, (230 + RANG * self.lignes.len() as u32).max(400))
    }

    fn borne(&self) -> Self {
        let n = self.lignes.len();
        let propre = |v: &[(String, f64)]| -> Vec<(String, f64)> {
            v.iter().map(|(l, x)| (l.clone(), fini(*x))).collect()
        };
        Flux {
            source: avec_note(&self.source, n.min(MAX_CATEGORIES), n, "DGA"),
            lignes: self
                .lignes
                .iter()
                .take(MAX_CATEGORIES)
                .map(|l| LigneFlux {
                    dga: l.dga.clone(),
                    restent: fini(l.restent),
                    partent: propre(&l.partent),
                    arrivent: propre(&l.arrivent),
                })
                .collect(),
            echelle: self.echelle.map(fini),
            ..self.clone()
        }
    }

    fn parties(&self) -> Vec<Self> {
        let n = self.lignes.len();
        if n <= DGA_PAR_DIAPO {
            return Vec::new();
        }
        let max = self.maximum();
        let parts = parts_egales(n, DGA_PAR_DIAPO);
        let k = parts.len();
        parts
            .into_iter()
            .enumerate()
            .map(|(i, (a, b))| Flux {
                titre: titre_partie(&self.titre, i, k),
                lignes: self.lignes[a..b].to_vec(),
                echelle: Some(max),
                ..self.clone()
            })
            .collect()
    }

    fn dessiner<DB: DrawingBackend>(&self, zone: &DrawingArea<DB, Shift>) -> R<DB> {
        let inner = cadre(zone, &self.titre, &self.source)?;
        legende_ligne(
            &inner,
            &[
                ("reste sous la DGA".to_string(), Legende::Plein(BLEU)),
                (
                    "part vers une autre DGA".to_string(),
                    Legende::Plein(ORANGE),
                ),
                ("arrive d'une autre DGA".to_string(), Legende::Plein(VERT)),
            ],
        )?;
        let inner = inner.margin(34, 0, 0, 0);
        let n = self.lignes.len().max(1);
        // The bars take at most half the width: the names of the moving directions are
        // written after them.
        let max = self.maximum().max(1.0) / 0.5;
        let zone_lib = zone_etiquettes(self.lignes.iter().map(|l| l.dga.as_str()));
        let mut chart = ChartBuilder::on(&inner)
            .x_label_area_size(56)
            .y_label_area_size(zone_lib)
            .build_cartesian_2d(0.0..max, 0.0..n as f64)?;
        axes_barres(&mut chart, "agent·es (ETP) des directions", max)?;
        etiquettes_lignes(
            &inner,
            &chart,
            self.lignes.iter().map(|l| l.dga.as_str()),
            n,
            zone_lib,
        )?;
        let y = |i: usize| (n - 1 - i) as f64;
        let largeur = chart.plotting_area().dim_in_pixel().0.max(1) as f64;
        let car = |x: f64| {
            // Characters that fit between `x` and the right edge.
            (((max - x) / max * largeur - 12.0) / f64::from(CAR)).max(4.0) as usize
        };
        let fine = RGBColor(255, 255, 255).stroke_width(2);
        for (i, l) in self.lignes.iter().enumerate() {
            // Today (upper bar) then the last stage (lower bar).
            for (haut, segments, couleur, quand) in [
                (0.92, &l.partent, ORANGE, "aujourd'hui"),
                (0.48, &l.arrivent, VERT, self.fin.as_str()),
            ] {
                let (y0, y1) = (y(i) + haut - 0.36, y(i) + haut);
                let mut x = 0.0;
                if l.restent > 0.0 {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y0), (l.restent, y1)],
                        BLEU.filled(),
                    )))?;
                    x = l.restent;
                }
                for (_, a) in segments.iter() {
                    chart.draw_series([
                        Rectangle::new([(x, y0), (x + a, y1)], couleur.filled()),
                        Rectangle::new([(x, y0), (x + a, y1)], fine),
                    ])?;
                    x += a;
                }
                let mut mots = format!("{quand} : {}", crate::format::decimal_court(x, 0));
                if !segments.is_empty() {
                    let noms: Vec<&str> = segments.iter().map(|(s, _)| s.as_str()).collect();
                    mots.push_str(if couleur == ORANGE {
                        " ; part "
                    } else {
                        " ; arrive "
                    });
                    mots.push_str(&noms.join(", "));
                }
                if x == 0.0 && segments.is_empty() {
                    mots = format!("{quand} : aucune direction");
                }
                chart.draw_series(std::iter::once(
                    EmptyElement::at((x, (y0 + y1) / 2.0))
                        + Text::new(
                            court(&mots, car(x)),
                            (8, 0),
                            texte(T_TEXTE).pos(Pos::new(HPos::Left, VPos::Center)),
                        ),
                ))?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::rendre;
    use super::*;

    /// A fixed plan: 3 stages, cap 250.
    pub(crate) fn calendrier() -> Calendrier {
        Calendrier {
            titre: "Calendrier de la réorganisation".into(),
            source: "collegia, exemple fixe".into(),
            etapes: (0..4).map(|t| t.to_string()).collect(),
            dates: vec![
                String::new(),
                "10/2026".into(),
                "04/2027".into(),
                "10/2027".into(),
            ],
            mesures: vec![
                (
                    "cohérence pondérée (45,1 → 33,1)".into(),
                    vec![45.14, 37.36, 35.86, 33.14],
                ),
                (
                    "interlocuteurs (41 → 31)".into(),
                    vec![41.0, 35.0, 34.0, 31.0],
                ),
                (
                    "priorités dispersées (1 → 0)".into(),
                    vec![1.0, 0.0, 0.0, 0.0],
                ),
                (
                    "écart d'équilibre (8,6 → 8,6)".into(),
                    vec![8.57, 9.43, 7.43, 8.57],
                ),
                ("liens séparés (0 → 0)".into(), vec![0.0; 4]),
            ],
            agents: vec![0.0, 245.5, 247.0, 74.0],
            plafond: 250.0,
        }
    }

    pub(crate) fn flux() -> Flux {
        Flux {
            titre: "Les directions entre DGA".into(),
            source: "collegia, exemple fixe".into(),
            fin: "étape 3".into(),
            lignes: vec![
                LigneFlux {
                    dga: "DGA-CULT".into(),
                    restent: 210.0,
                    partent: vec![],
                    arrivent: vec![
                        ("DIR-VOIRIE (é. 1)".into(), 80.0),
                        ("DIR-DEMOC (é. 1)".into(), 12.0),
                    ],
                },
                LigneFlux {
                    dga: "DGA-AMEN".into(),
                    restent: 150.0,
                    partent: vec![("DIR-VOIRIE".into(), 80.0)],
                    arrivent: vec![("DIR-SANTE (é. 3)".into(), 40.0)],
                },
                LigneFlux {
                    dga: "DGA-NOUV-sante (nouvelle)".into(),
                    restent: 0.0,
                    partent: vec![],
                    arrivent: vec![],
                },
            ],
            echelle: None,
        }
    }

    #[test]
    fn the_timeline_draws_every_stage_the_cap_and_the_measures() {
        let i = rendre(&calendrier(), "c", "c", "c").expect("chart");
        for t in [
            "plafond : 250 par étape",
            "10/2026",
            "interlocuteurs (41 → 31)",
        ] {
            assert!(i.svg.contains(t), "{t}");
        }
        // Bar labels: the agents of each stage after today.
        for a in ["\n246\n", "\n247\n", "\n74\n", "\nmesure (bas = mieux)\n"] {
            assert!(i.svg.contains(a), "{a}");
        }
        assert_eq!(
            rendre(&calendrier(), "c", "c", "c").expect("chart"),
            i,
            "same bytes"
        );
    }

    #[test]
    fn the_flow_names_the_moving_directions_and_cuts_for_slides() {
        let i = rendre(&flux(), "f", "f", "f").expect("chart");
        assert!(i.svg.contains("étape 3 : 190 ; arrive DIR-SANTE (é. 3)"));
        assert!(
            i.svg.contains("étape 3 : 302 ; arrive DIR-VO"),
            "cut, not dropped"
        );
        assert!(i.svg.contains("part DIR-VOIRIE"));
        assert!(i.svg.contains("aucune direction"), "the new DGA today");
        assert!(i.diapos.is_empty(), "three DGA fit one slide");
        let mut f = flux();
        f.lignes = (0..14)
            .map(|k| LigneFlux {
                dga: format!("DGA-{k}"),
                restent: 10.0 * k as f64,
                ..Default::default()
            })
            .collect();
        let parts = f.parties();
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.lignes.len() <= DGA_PAR_DIAPO));
        assert!(parts.iter().all(|p| p.echelle == Some(130.0)), "one scale");
        assert!(parts[1].titre.ends_with("(2/3)"));
    }

    /// Golden SVGs of both charts on the fixed plan (rewritten only with UPDATE_GOLDEN=1), like
    /// the report's other charts (tests/integration/rapport.rs).
    #[test]
    fn both_charts_match_their_golden_svg() {
        let racine = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
        let c = rendre(&calendrier(), "c", "c", "c").expect("chart").svg;
        let f = rendre(&flux(), "f", "f", "f").expect("chart").svg;
        for (nom, obtenu) in [("calendrier", c), ("flux", f)] {
            let golden = racine.join(format!("graphique-reorganisation-{nom}.svg"));
            if std::env::var_os("UPDATE_GOLDEN").is_some() {
                std::fs::write(&golden, &obtenu).expect("write golden");
            }
            let attendu =
                std::fs::read_to_string(&golden).expect("golden (UPDATE_GOLDEN=1 to create)");
            assert!(
                obtenu == attendu,
                "{nom}.svg changed: review, then UPDATE_GOLDEN=1 cargo test"
            );
        }
    }

    #[test]
    fn non_finite_values_are_drawn_as_zero() {
        let mut c = calendrier();
        c.agents[1] = f64::NAN;
        c.mesures[0].1[2] = f64::INFINITY;
        c.plafond = f64::INFINITY;
        let b = c.borne();
        assert_eq!(b.agents[1], 0.0);
        assert_eq!(b.mesures[0].1[2], 0.0);
        rendre(&c, "c", "c", "c").expect("chart");
        let mut f = flux();
        f.lignes[0].restent = f64::NAN;
        f.lignes[1].partent[0].1 = f64::INFINITY;
        rendre(&f, "f", "f", "f").expect("chart");
    }
}
