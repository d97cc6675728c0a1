//! `collegia-bench --faisabilite`: the feasibility sweep of the grouping optimiser.
//!
//! For each generated city (`collegia generer <taille> --graine <g> --partage <p>
//! [--intrusions <n>]`), seeds `1..=graines`, the optimiser runs as `collegia optimiser` would
//! (default options: 60 s, 200 000 nodes), in three modes: the default plan, `--regrouper` and
//! `--front`. Every scenario here is one `verifier` accepts, so the share with a plan must be
//! 100 %: the table says it, with the number of cases where a derived rule was lifted (règle
//! levée), the orphans adopted, the adoptions « hors thème » while a group sharing the unit's
//! domain could have taken it (`optimise::application::receveurs_dans_le_theme`: must be 0; for
//! the front, summed over its points) and the wall-clock time per case (median and max). Cases without a plan are listed
//! after the table. A benchmark, not a test: nothing asserts on time.

use collegia::ingest::load_scenario;
use collegia::optimise::{Donnees, Granularite, Options, front::front, optimiser};
use collegia::report::ecriture::Sortie;
use collegia::synthese::{Taille, generer_intrusions};
use std::time::Instant;

/// The modes of the sweep.
const MODES: [&str; 3] = ["défaut", "--regrouper", "--front"];

/// What the sweep covers.
pub struct Balayage {
    /// Cities (name, size).
    pub tailles: Vec<(&'static str, Taille)>,
    /// Seeds `1..=graines`.
    pub graines: u64,
    /// Shares of split directions (`--partage`).
    pub partages: Vec<f64>,
    /// Modes (indices in [`MODES`]).
    pub modes: Vec<usize>,
    /// Intrusions per city (`generer --intrusions`).
    pub intrusions: usize,
    /// `[groupes] poids_hors_theme` in place of the generated cities' (to measure the domain
    /// preference: 0 turns it off).
    pub poids_hors_theme: Option<f64>,
}

/// One cell of the table.
#[derive(Default)]
struct Cellule {
    cas: usize,
    avec_plan: usize,
    levees: usize,
    adoptions: usize,
    hors_theme: usize,
    evitables: usize,
    temps: Vec<f64>,
}

/// What one run gives: lifted rules, orphans adopted, and the adoptions « hors thème » while a
/// group sharing the unit's domain could have taken it (`receveurs_dans_le_theme`).
struct Issue {
    levees: usize,
    adoptions: usize,
    hors_theme: usize,
    evitables: usize,
}

/// Orphans adopted, those adopted « hors thème », and those of them a group sharing their
/// domain could have taken.
fn adoptions(d: &Donnees, plan: &collegia::optimise::Plan) -> (usize, usize, usize) {
    use collegia::optimise::application::{orphelines_adoptees, receveurs_dans_le_theme};
    let a = orphelines_adoptees(d, plan);
    let hors: Vec<usize> = a
        .iter()
        .copied()
        .filter(|&u| plan.unites[u].is_some_and(|g| d.cout_hors_theme(u, g)))
        .collect();
    let evitables = hors
        .iter()
        .filter(|&&u| !receveurs_dans_le_theme(d, plan, u).is_empty())
        .count();
    (a.len(), hors.len(), evitables)
}

/// Parses a mode name (`defaut`, `regrouper`, `front`).
pub fn mode(s: &str) -> Option<usize> {
    match s.trim().trim_start_matches("--") {
        "defaut" | "défaut" => Some(0),
        "regrouper" => Some(1),
        "front" => Some(2),
        _ => None,
    }
}

/// One run: `Ok` with a verified plan, `Err(why)` without. For the front, the rules lifted
/// when the data is built, and the adoptions of its every point.
fn executer(d: &Donnees, m: usize) -> Result<Issue, String> {
    let o = Options::default();
    match m {
        2 => {
            let points = front(d, &o).map_err(|e| format!("{e:?}"))?;
            if points.is_empty() && !d.unites.is_empty() {
                return Err("front vide".into());
            }
            let (mut a, mut h, mut e) = (0, 0, 0);
            for p in &points {
                let (x, y, z) = adoptions(d, &p.plan);
                a += x;
                h += y;
                e += z;
            }
            Ok(Issue {
                levees: d.levees.len(),
                adoptions: a,
                hors_theme: h,
                evitables: e,
            })
        }
        _ => {
            // `optimiser` returns only plans its independent checker ([`verify`]) accepts.
            let r = optimiser(d, &o).map_err(|e| format!("{e:?}"))?;
            let (adoptions, hors_theme, evitables) = adoptions(d, &r.plan);
            Ok(Issue {
                levees: r.levees.len(),
                adoptions,
                hors_theme,
                evitables,
            })
        }
    }
}

/// Runs the sweep; the Markdown table, then the cases without a plan.
pub fn balayer(b: &Balayage) -> Result<String, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let mut lignes = vec![
        format!(
            "Balayage de faisabilité : graines 1 à {}, {} intrusion(s){} ; temps par cas en millisecondes (données comprises, génération et lecture exclues).",
            b.graines,
            b.intrusions,
            b.poids_hors_theme
                .map(|p| format!(", poids_hors_theme = {p}"))
                .unwrap_or_default()
        ),
        String::new(),
        "| taille | partage | mode | cas | avec un plan | part | cas avec règle levée | orphelines adoptées | dont hors thème | dont hors thème évitables | médiane (ms) | max (ms) |".into(),
        "|---|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|".into(),
    ];
    let mut echecs = Vec::new();
    for &(nom, taille) in &b.tailles {
        for &partage in &b.partages {
            let mut cellules: Vec<Cellule> = MODES.iter().map(|_| Cellule::default()).collect();
            for graine in 1..=b.graines {
                let dossier = tmp.path().join(format!("{nom}-{graine}-{partage}"));
                let f = generer_intrusions(taille, graine, partage, b.intrusions);
                let s = Sortie::new(&dossier, &[]).map_err(|e| e.to_string())?;
                for (n, o) in f.liste() {
                    s.ecrire(n, o).map_err(|e| e.to_string())?;
                }
                let ch = load_scenario(&dossier).map_err(|e| format!("{nom} {graine}: {e}"))?;
                let _ = std::fs::remove_dir_all(&dossier);
                for &m in &b.modes {
                    let t = Instant::now();
                    let res =
                        Donnees::depuis_scenario(&ch.scenario, &[], Granularite::Direction, m == 1)
                            .map_err(|e| e.0)
                            .and_then(|mut d| {
                                if let Some(p) = b.poids_hors_theme {
                                    d.params.poids_hors_theme = p;
                                }
                                executer(&d, m)
                            });
                    let c = &mut cellules[m];
                    c.temps.push(t.elapsed().as_secs_f64() * 1000.0);
                    c.cas += 1;
                    match res {
                        Ok(i) => {
                            c.avec_plan += 1;
                            c.levees += usize::from(i.levees > 0);
                            c.adoptions += i.adoptions;
                            c.hors_theme += i.hors_theme;
                            c.evitables += i.evitables;
                        }
                        Err(e) => echecs.push(format!(
                            "- {nom}, graine {graine}, partage {partage}, {} : {e}",
                            MODES[m]
                        )),
                    }
                }
            }
            for &m in &b.modes {
                let c = &mut cellules[m];
                c.temps.sort_by(f64::total_cmp);
                let mediane = c.temps.get(c.temps.len() / 2).copied().unwrap_or(0.0);
                let max = c.temps.last().copied().unwrap_or(0.0);
                lignes.push(format!(
                    "| {nom} | {} | {} | {} | {} | {:.0} % | {} | {} | {} | {} | {:.0} | {:.0} |",
                    format!("{partage}").replace('.', ","),
                    MODES[m],
                    c.cas,
                    c.avec_plan,
                    100.0 * c.avec_plan as f64 / c.cas.max(1) as f64,
                    c.levees,
                    c.adoptions,
                    c.hors_theme,
                    c.evitables,
                    mediane,
                    max
                ));
            }
        }
    }
    if !echecs.is_empty() {
        lignes.push(String::new());
        lignes.push("Cas sans plan :".into());
        lignes.extend(echecs);
    }
    Ok(lignes.join("\n"))
}
