//! Benchmark of collegia, per city size: ingest, analysis, indemnités LP, 21-point sweep,
//! grouping MILP (status and gap), report rendering, full `rapport` end to end, peak memory; and
//! the RNE filter on a generated 500 000-row national file.
//!
//! ```sh
//! cargo run --release --bin collegia-bench                 # prints the table
//! cargo run --release --bin collegia-bench -- --readme     # and rewrites it in docs/developpement.md
//! ```
//!
//! Each size runs in a child process, so that its peak memory (VmHWM) is its own. Times are the
//! median of `--repetitions` runs (default 5). This is a benchmark, not a test: nothing asserts
//! on time.

#[cfg(feature = "seminaire")]
mod mesure;

use collegia::analyse::analyser;
use collegia::ingest::{COLONNES_RNE, Sources, charger_sources, lire_rne};
use collegia::optimise::indemnites::{allouer_donnees, balayage, preparer};
use collegia::optimise::{Donnees, Echec, Granularite, Options, Solveur, Statut, Suivi, optimiser};
use collegia::pipeline::{Demande, executer};
use collegia::report::ecriture::Sortie;
use collegia::report::rapport::{Entrees, indemnites::Indemnites, rapport};
use collegia::synthese::{Taille, generer};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

mod faisabilite;

const TAILLES: [(&str, Taille); 4] = [
    ("petite", Taille::Petite),
    ("annecy", Taille::Annecy),
    ("lyon", Taille::Lyon),
    ("paris", Taille::Paris),
];

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn chrono<T>(reps: usize, mut f: impl FnMut() -> T) -> (f64, T) {
    let mut temps = Vec::with_capacity(reps);
    let mut dernier = None;
    for _ in 0..reps {
        let t = Instant::now();
        let r = f();
        temps.push(t.elapsed().as_secs_f64());
        dernier = Some(r);
    }
    (median(temps), dernier.expect("at least one repetition"))
}

fn pic_memoire_mib() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| {
                l.split_whitespace()
                    .nth(1)
                    .and_then(|k| k.parse::<f64>().ok())
            })
        })
        .map(|kib| kib / 1024.0)
        .unwrap_or(f64::NAN)
}

fn ms(s: f64) -> String {
    if s < 0.01 {
        format!("{:.2}", s * 1000.0)
    } else {
        format!("{:.0}", s * 1000.0)
    }
}

/// One size, in this process: prints one Markdown row.
fn une_taille(nom: &str, taille: Taille, reps: usize, solveur: Solveur) -> Result<String, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    // The generated city stays in memory: ingest reads the same bytes a folder would hold,
    // through the same assembly (`charger_sources`), without a disk round trip.
    let sources = Sources::synthese(nom, &generer(taille, 1));
    let (t_ingest, ch) = chrono(reps, || charger_sources(&sources));
    let ch = ch.map_err(|e| e.to_string())?;
    let sc = &ch.scenario;
    let (t_analyse, an) = chrono(reps, || analyser(sc));
    let donnees = preparer(sc).map_err(|e| e.to_string())?;
    let (t_ind, alloc) = chrono(reps, || allouer_donnees(sc, &donnees));
    let alloc = alloc.map_err(|e| e.to_string())?;
    let (t_bal, _) = chrono(reps.min(3), || balayage(sc));
    let dg = Donnees::depuis_scenario(sc, &[], Granularite::Direction, false)
        .map_err(|e| format!("{e:?}"))?;
    let opts = Options {
        solveur,
        limite_temps: 60.0,
        ecart_max: 0.0,
        limite_noeuds: None,
    };
    let (t_opt, res) = chrono(reps.min(3), || optimiser(&dg, &opts));
    // collegia's own share of ingest + grouping (everything but the solver), in %.
    let hors_solveur = match &res {
        Ok(r) => {
            let propre = t_ingest + (r.duree - r.duree_solveur).as_secs_f64();
            100.0 * propre / (t_ingest + r.duree.as_secs_f64()).max(1e-12)
        }
        Err(_) => f64::NAN,
    };
    let (optimal, ecart_pct) = match &res {
        Ok(r) => match r.statut {
            Statut::Optimal => (true, Some(0.0)),
            Statut::EcartAtteint { ecart, .. }
            | Statut::LimiteTemps { ecart, .. }
            | Statut::LimiteNoeuds { ecart, .. }
            | Statut::Interrompu { ecart, .. } => (false, ecart.map(|e| 100.0 * e)),
            Statut::Repli { .. } => (false, None),
        },
        Err(_) => (false, None),
    };
    let statut = match res {
        Ok(r) => match r.statut {
            Statut::Optimal => "optimal".to_string(),
            Statut::EcartAtteint { ecart, .. }
            | Statut::LimiteTemps { ecart, .. }
            | Statut::LimiteNoeuds { ecart, .. }
            | Statut::Interrompu { ecart, .. } => {
                format!(
                    "écart {}",
                    ecart
                        .map(|e| format!("{:.1} %", e * 100.0))
                        .unwrap_or_else(|| "?".into())
                )
            }
            Statut::Repli { .. } => "repli (aucune solution du solveur)".into(),
        },
        Err(Echec::Infaisable(_)) => "infaisable".into(),
        Err(Echec::Solveur(m)) => format!("échec du solveur : {m}"),
    };
    let entrees = Entrees {
        scenario: sc,
        analyse: &an,
        source: nom.to_string(),
        indemnites: Some(Indemnites {
            allocation: &alloc,
            donnees: &donnees,
            balayage: None,
            evolutions: collegia::optimise::indemnites::evolutions(sc, &alloc),
        }),
        proposition: None,
        sans_proposition: None,
        reorganisation: None,
    };
    let (t_rendu, fichiers) = chrono(reps, || rapport(&entrees));
    let nb = fichiers.map_err(|e| e.to_string())?.len();
    // Full `rapport`, end to end, as the command does it: the library's pipeline (load →
    // analyse → indemnités), then render and write.
    let sortie = tmp.path().join("rapport");
    let demande = Demande {
        indemnites: true,
        ..Demande::default()
    };
    let (t_total, _) = chrono(reps, || -> Result<(), String> {
        let c = charger_sources(&sources).map_err(|e| e.to_string())?;
        let r = executer(&c.scenario, &demande, &Suivi::muet()).map_err(|e| e.to_string())?;
        let ind = r.indemnites.ok_or("indemnités demandées")?;
        let e = Entrees {
            scenario: &c.scenario,
            analyse: &r.analyse,
            source: nom.into(),
            indemnites: Some(Indemnites {
                allocation: &ind.allocation,
                donnees: &ind.donnees,
                balayage: None,
                evolutions: collegia::optimise::indemnites::evolutions(
                    &c.scenario,
                    &ind.allocation,
                ),
            }),
            proposition: None,
            sans_proposition: None,
            reorganisation: None,
        };
        let fs = rapport(&e).map_err(|e| e.to_string())?;
        Sortie::new(&sortie, &c.fichiers)
            .and_then(|s| s.remplacer(fs.iter().map(|x| (x.nom.as_str(), x.octets.as_slice()))))
            .map_err(|e| e.to_string())?;
        Ok(())
    });
    let cibles = format!(
        "cibles;{t_total};{t_bal};{t_opt};{optimal};{};{hors_solveur}",
        ecart_pct.map(|e| e.to_string()).unwrap_or_default()
    );
    Ok(format!(
        "| {nom} | {} | {} | {} | {} | {} | {} | {} ({statut}, hors solveur {:.1} %) | {} ({nb} fichiers) | {} | {:.0} |\n{cibles}",
        sc.organigramme.len(),
        sc.elus.len(),
        ms(t_ingest),
        ms(t_analyse),
        ms(t_ind),
        ms(t_bal),
        ms(t_opt),
        hors_solveur,
        ms(t_rendu),
        ms(t_total),
        pic_memoire_mib()
    ))
}

/// Generates a national-size RNE file (500 000 rows) and times filtering one commune.
fn rne(reps: usize) -> Result<String, String> {
    let tmp = tempfile::tempdir().map_err(|e| e.to_string())?;
    let p = tmp.path().join("rne.csv");
    {
        let mut w = std::io::BufWriter::new(std::fs::File::create(&p).map_err(|e| e.to_string())?);
        writeln!(w, "{}", COLONNES_RNE.join(";")).map_err(|e| e.to_string())?;
        for i in 0..500_000u32 {
            let commune = 1000 + i / 14;
            let fonction = match i % 14 {
                0 => "Maire".to_string(),
                k @ 1..=4 => format!("{k}ème adjoint au Maire"),
                _ => String::new(),
            };
            writeln!(
                w,
                "{:02};Département;;;{:02}{:03};Commune {commune};NOM{i};PRENOM;{};;33;Cadre;2026-03-22;{fonction};2026-03-28;FR",
                commune / 1000 % 96 + 1,
                commune / 1000 % 96 + 1,
                commune % 1000,
                if i % 2 == 0 { "F" } else { "M" }
            )
            .map_err(|e| e.to_string())?;
        }
    }
    let taille = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
    let (t, r) = chrono(reps, || {
        let f = collegia::ingest::ouvrir_rne(&p).map_err(|d| d.to_string())?;
        lire_rne(f, "rne.csv", "02500").map_err(|e| e.to_string())
    });
    let r = r?;
    Ok(format!(
        "RNE : filtrer une commune ({} élu·es) dans un fichier de 500 000 lignes ({:.0} Mo) : {} ms, pic mémoire {:.0} Mio.",
        r.elus.len(),
        taille as f64 / 1e6,
        ms(t),
        pic_memoire_mib()
    ))
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_else(|| "?".into());
    let coeurs = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1);
    format!("{coeurs} cœurs ({cpu}), Linux, build release")
}

/// Options of the benchmark (French help, like the main binary).
#[derive(Debug, clap::Parser)]
#[command(
    name = "collegia-bench",
    about = "Mesure collegia par taille de ville (ingestion, analyse, indemnités, regroupements, rapport, mémoire) et le filtre RNE.",
    disable_help_subcommand = true
)]
struct Args {
    /// Réécrit le tableau entre les marqueurs <!-- bench:debut --> et <!-- bench:fin --> de docs/developpement.md.
    #[arg(long)]
    readme: bool,
    /// Nombre d'exécutions par mesure (la médiane est retenue ; 3 au plus pour le balayage et l'optimiseur).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..))]
    repetitions: u16,
    /// Solveur des regroupements : microlp (par défaut) ou highs (binaire compilé avec --features highs).
    #[arg(long, default_value = "microlp", value_parser = ["microlp", "highs"])]
    solveur: String,
    /// (interne) mesure une seule taille dans ce processus.
    #[arg(long, hide = true)]
    une_taille: Option<String>,
    /// (interne) mesure le filtre RNE dans ce processus.
    #[arg(long, hide = true)]
    rne: bool,
    /// Mesure seulement « collegia affecter » sur la ville paris (163 sièges, 80 élu·es mobiles,
    /// 40 groupes, cinq vœux chacun·e, graine 1), sans règle puis avec la parité.
    #[arg(long)]
    affectation: bool,
    /// Mesure seulement « collegia seminaire » (sur --seminaire-scenario) : une modification en mémoire,
    /// puis 100 modifications par l'API pendant que 30 navigateurs suivent (centiles de latence).
    #[arg(long)]
    seminaire: bool,
    /// Scénario du banc du séminaire (par défaut data/exemple ; ex. une ville générée
    /// « collegia generer paris --graine 2 »).
    #[arg(long, value_name = "DOSSIER", default_value = "data/exemple")]
    seminaire_scenario: std::path::PathBuf,
    /// Modifications en mémoire dont le banc du séminaire mesure la mémoire (par défaut 100).
    #[arg(long, value_name = "N", default_value_t = 100)]
    seminaire_memoire: usize,
    /// Mesure seulement la faisabilité des regroupements : part des villes générées qui
    /// reçoivent un plan (doit être 100 %) et temps par cas, par taille, partage et mode.
    #[arg(long)]
    faisabilite: bool,
    /// Tailles du balayage de faisabilité, séparées par des virgules.
    #[arg(
        long,
        default_value = "petite,annecy,lyon,paris",
        value_name = "TAILLES"
    )]
    tailles: String,
    /// Graines 1 à N du balayage de faisabilité.
    #[arg(long, default_value_t = 100, value_name = "N")]
    graines: u64,
    /// Parts de directions partagées du balayage (--partage de generer), séparées par « ; ».
    #[arg(long, default_value = "0;0,3", value_name = "PARTS")]
    partages: String,
    /// Modes du balayage : defaut, regrouper, front, séparés par des virgules.
    #[arg(long, default_value = "defaut,regrouper,front", value_name = "MODES")]
    modes: String,
    /// Intrusions par ville du balayage (--intrusions de generer).
    #[arg(long, default_value_t = 0, value_name = "N")]
    intrusions: usize,
    /// Poids des unités hors thème (`[groupes] poids_hors_theme`) pour le balayage de
    /// faisabilité, à la place de celui des villes générées (0 : sans la préférence de domaine).
    #[arg(long, value_name = "POIDS")]
    poids_hors_theme: Option<f64>,
}

/// `--affectation`: the assignment on the generated paris with seeded wishes (median of `reps`
/// runs of the whole lexicographic sequence, rule costs included), as a Markdown table.
fn affectation(reps: usize, solveur: Solveur) -> Result<String, String> {
    use collegia::optimise::affectation::{Instance, Options, affecter};
    let f = collegia::synthese::generer(Taille::Paris, 1);
    let voeux = collegia::synthese::voeux(&f, 1);
    let s = charger_sources(&Sources::synthese("paris", &f))
        .map_err(|e| e.to_string())?
        .scenario;
    let v = collegia::ingest::parse_voeux(
        &collegia::ingest::Source {
            nom: "voeux.csv".into(),
            octets: voeux,
        },
        &s,
    )
    .map_err(|d| format!("{d:?}"))?;
    let base = Instance::depuis_scenario(&s, &v);
    let o = Options {
        solveur,
        ..Options::default()
    };
    let mut lignes = vec![
        "| cas | élu·es mobiles | groupes | vœux | millisecondes (médiane) | statut |".to_string(),
        "|---|--:|--:|--:|--:|---|".to_string(),
    ];
    for (cas, parite, composantes) in [
        ("paris, sans règle facultative", false, false),
        ("paris, parite = true", true, false),
        ("paris, composantes = true", false, true),
        ("paris, parite = true et composantes = true", true, true),
    ] {
        let mut i = base.clone();
        i.regles.parite = parite;
        i.regles.composantes = composantes;
        let mut temps = Vec::new();
        let mut statut = String::new();
        for _ in 0..reps {
            let t = Instant::now();
            let r = affecter(&i, &o).map_err(|e| format!("{e:?}"))?;
            temps.push(t.elapsed().as_secs_f64() * 1000.0);
            statut = if r.solution.prouve {
                "optimum lexicographique prouvé".into()
            } else {
                "non prouvé".into()
            };
        }
        temps.sort_by(f64::total_cmp);
        lignes.push(format!(
            "| {cas} | {} | {} | {} | {:.0} | {statut} |",
            i.personnes.len(),
            i.groupes.len(),
            v.len(),
            temps[temps.len() / 2]
        ));
    }
    Ok(lignes.join("\n"))
}

/// `--faisabilite`: the options read, then [`faisabilite::balayer`].
fn balayage_faisabilite(a: &Args) -> Result<String, String> {
    let tailles = a
        .tailles
        .split(',')
        .map(|t| {
            TAILLES
                .iter()
                .find(|(n, _)| *n == t.trim())
                .copied()
                .ok_or_else(|| format!("taille inconnue : {t}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let partages = a
        .partages
        .split(';')
        .map(|p| {
            p.trim()
                .replace(',', ".")
                .parse::<f64>()
                .map_err(|_| format!("part invalide : {p}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let modes = a
        .modes
        .split(',')
        .map(|m| faisabilite::mode(m).ok_or_else(|| format!("mode inconnu : {m}")))
        .collect::<Result<Vec<_>, _>>()?;
    faisabilite::balayer(&faisabilite::Balayage {
        tailles,
        graines: a.graines,
        partages,
        modes,
        intrusions: a.intrusions,
        poids_hors_theme: a.poids_hors_theme,
    })
}

fn main() -> ExitCode {
    let args = match <Args as clap::Parser>::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 64 } else { 0 });
        }
    };
    let reps = usize::from(args.repetitions);
    let solveur = if args.solveur == "highs" {
        Solveur::Highs
    } else {
        Solveur::Microlp
    };
    if let Some(t) = &args.une_taille {
        let Some((nom, taille)) = TAILLES.iter().find(|(n, _)| n == t) else {
            eprintln!("taille inconnue : {t}");
            return ExitCode::from(64);
        };
        return match une_taille(nom, *taille, reps, solveur) {
            Ok(l) => {
                println!("{l}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("Erreur ({nom}) : {e}");
                ExitCode::from(1)
            }
        };
    }
    #[cfg(feature = "seminaire")]
    if args.seminaire {
        return match mesure::mesurer(&args.seminaire_scenario, 100, 30, args.seminaire_memoire) {
            Ok(t) => {
                println!("{t}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("Erreur : {e}");
                ExitCode::from(1)
            }
        };
    }
    if args.faisabilite {
        return match balayage_faisabilite(&args) {
            Ok(t) => {
                println!("{t}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("Erreur : {e}");
                ExitCode::from(1)
            }
        };
    }
    if args.affectation {
        return match affectation(reps.min(3), solveur) {
            Ok(l) => {
                println!("{l}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("Erreur : {e}");
                ExitCode::from(1)
            }
        };
    }
    if args.rne {
        return match rne(reps.min(3)) {
            Ok(l) => {
                println!("{l}");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("Erreur : {e}");
                ExitCode::from(1)
            }
        };
    }
    let moi = match std::env::current_exe() {
        Ok(p) => p,
        Err(e) => {
            eprintln!("Erreur : {e}");
            return ExitCode::from(1);
        }
    };
    let mut table = vec![
        format!("Machine : {}. Médiane de {reps} exécutions (3 pour le balayage et l'optimiseur), en millisecondes ; solveur {}.", machine(), if solveur == Solveur::Highs { "HiGHS" } else { "microlp" }),
        String::new(),
        "| taille | nœuds | élu·es | ingestion | analyse | indemnités (PL) | balayage 21 pts | regroupements (PLNE, directions) | rendu du rapport | `rapport` complet | pic mémoire (Mio) |".into(),
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|".into(),
    ];
    // Per size, read from the child's `cibles;` line.
    let mut mesures: Vec<Mesure> = Vec::new();
    for (nom, _) in TAILLES {
        let mut c = Command::new(&moi);
        c.args(["--une-taille", nom, "--repetitions", &reps.to_string()]);
        if solveur == Solveur::Highs {
            c.args(["--solveur", "highs"]);
        }
        match c.output() {
            Ok(o) if o.status.success() => {
                let sortie = String::from_utf8_lossy(&o.stdout).to_string();
                for l in sortie.lines() {
                    match l.strip_prefix("cibles;") {
                        Some(c) => {
                            let v: Vec<&str> = c.split(';').collect();
                            let f = |i: usize| {
                                v.get(i)
                                    .and_then(|x| x.parse::<f64>().ok())
                                    .unwrap_or(f64::NAN)
                            };
                            mesures.push(Mesure {
                                taille: nom,
                                rapport: f(0),
                                balayage: f(1),
                                regroupements: f(2),
                                optimal: v.get(3) == Some(&"true"),
                                ecart_pct: v.get(4).and_then(|x| x.parse::<f64>().ok()),
                                hors_solveur_pct: f(5),
                            });
                        }
                        None if !l.trim().is_empty() => table.push(l.trim().to_string()),
                        None => {}
                    }
                }
            }
            Ok(o) => table.push(format!(
                "| {nom} | échec : {} |",
                String::from_utf8_lossy(&o.stderr).trim()
            )),
            Err(e) => table.push(format!("| {nom} | échec : {e} |")),
        }
        eprintln!("{}", table.last().map(String::as_str).unwrap_or(""));
    }
    match Command::new(&moi)
        .args(["--rne", "--repetitions", &reps.to_string()])
        .output()
    {
        Ok(o) if o.status.success() => {
            table.push(String::new());
            table.push(String::from_utf8_lossy(&o.stdout).trim().to_string());
        }
        _ => table.push("\nRNE : échec de la mesure.".into()),
    }
    table.push(String::new());
    table.extend(objectifs(&mesures));
    let texte = table.join("\n");
    println!("{texte}");
    if args.readme {
        let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/developpement.md");
        let Ok(r) = std::fs::read_to_string(&readme) else {
            eprintln!("docs/developpement.md illisible");
            return ExitCode::from(1);
        };
        let (debut, fin) = ("<!-- bench:debut -->", "<!-- bench:fin -->");
        match (r.find(debut), r.find(fin)) {
            (Some(a), Some(b)) if a < b => {
                let nouveau = format!("{}{debut}\n{texte}\n{}", &r[..a], &r[b..]);
                if let Err(e) = collegia::report::ecriture::ecrire_atomique(
                    &PathBuf::from(&readme),
                    nouveau.as_bytes(),
                ) {
                    eprintln!("Erreur : {e}");
                    return ExitCode::from(1);
                }
                eprintln!("docs/developpement.md mis à jour.");
            }
            _ => {
                eprintln!("marqueurs {debut} / {fin} absents de docs/developpement.md");
                return ExitCode::from(1);
            }
        }
    }
    ExitCode::SUCCESS
}

/// What the targets need from one size's run (times in seconds).
struct Mesure {
    taille: &'static str,
    rapport: f64,
    balayage: f64,
    regroupements: f64,
    optimal: bool,
    ecart_pct: Option<f64>,
    hors_solveur_pct: f64,
}

/// The targets of the performance issue, each met or not, with the measured value.
fn objectifs(mesures: &[Mesure]) -> Vec<String> {
    let de = |n: &str| mesures.iter().find(|m| m.taille == n);
    let ok = |b: bool| if b { "atteint" } else { "**non atteint**" };
    let mut v = vec!["Objectifs :".to_string(), String::new()];
    if let Some(Mesure {
        rapport,
        balayage,
        optimal,
        ..
    }) = de("annecy")
    {
        v.push(format!(
            "- `annecy` : `rapport` complet ≤ 1 s : {} ms, {} ; regroupements prouvés optimaux : {}.",
            ms(*rapport),
            ok(*rapport <= 1.0),
            ok(*optimal)
        ));
        v.push(format!(
            "- `annecy` : balayage des indemnités en 21 points ≤ 1 s : {} ms, {}.",
            ms(*balayage),
            ok(*balayage <= 1.0)
        ));
    }
    if let Some(Mesure {
        regroupements: opt,
        optimal,
        ecart_pct: ecart,
        hors_solveur_pct: hors,
        ..
    }) = de("paris")
    {
        let qualite = if *optimal {
            "optimalité prouvée".to_string()
        } else {
            ecart
                .map(|e| format!("écart {e:.2} %"))
                .unwrap_or_else(|| "sans borne".into())
        };
        let atteint = *opt <= 60.0 && (*optimal || ecart.is_some_and(|e| e <= 1.0));
        v.push(format!(
            "- `paris` : regroupements optimaux ou à 1 % en 60 s : {} ms, {qualite}, {}.",
            ms(*opt),
            ok(atteint)
        ));
        v.push(format!(
            "- `paris` : tout sauf le solveur ≤ 10 % du temps (ingestion + regroupements) : {hors:.1} %, {}.",
            ok(*hors <= 10.0)
        ));
    }
    v.push("- collegia ≥ 3 × plus rapide que PuLP + CBC sur le même modèle : voir `bench/comparer-solveurs.sh` (tableau ci-dessous).".into());
    v
}
