//! `dtoc report queues` and `dtoc report forecast` (issue 27) through the real binary: the queues
//! of a small register worked by hand, the demo's queues against its open delays, the forecast's
//! bytes the same on every run, the backtest's table, the errors, and the plan of the query.

use crate::common;

use common::cli::{demo, dtoc, run};
use common::db::*;
use common::{chr, draw};
use predicates::prelude::*;

const DELAYS: &str = concat!(delays_header!(), ",end_kind,planned_pathway
A001,,RWE,RWE01,acute,E10000018,2024-01-20,2024-02-05,2024-02-07,E,Social Care,2024-02-07,1,discharged,
A002,,RWE,RWE01,acute,E10000018,2024-01-29,2024-02-10,,Dii,Social Care,,,,2
A003,,RWE,RWE02,acute,E06000016,2024-02-01,2024-02-10,2024-02-10,A,NHS,2024-02-10,3,discharged,
");

fn small(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = dir.path().join("q.db");
    std::fs::write(dir.path().join("delays.csv"), DELAYS).unwrap();
    // Only `init` (and demo, restore, the app's first run) creates a database.
    common::cli::dtoc_on(&db, "2024-03-01")
        .arg("init")
        .assert()
        .success();
    common::cli::dtoc_on(&db, "2024-03-01")
        .args(["import", "delays"])
        .arg(dir.path().join("delays.csv"))
        // The file is the hub's whole record from the new year (issue 24's coverage): its
        // history counts, not only the days from today.
        .args(["--coverage-from", "2024-01-01"])
        .assert()
        .success();
    db
}

fn on(db: &std::path::Path, args: &[&str]) -> String {
    common::cli::stdout_of(common::cli::dtoc_on(db, "2024-03-01"), args)
}

#[test]
fn queues_of_a_small_register_are_the_hand_count() {
    let dir = tempfile::tempdir().unwrap();
    let db = small(&dir);
    // Today: only A002 waits (planned pathway 2), 20 days since 10 February.
    assert_eq!(
        on(&db, &["report", "queues", "--format", "csv"]),
        "pathway,waiting,median_wait_days,longest_wait_days,joined,left
0,0,,,0,0
1,0,,,0,0
2,1,20.000000,20,0,0
3,0,,,0,0
unknown,0,,,0,0
"
    );
    // The history: A001 (ended, its discharge pathway 1 stands in) waits on 5 and 6 February and
    // leaves on the 7th; A003 is ready and discharged on the 10th, joining and leaving.
    let csv = on(
        &db,
        &[
            "report",
            "queues",
            "--from",
            "2024-02-05",
            "--to",
            "2024-02-10",
            "--format",
            "csv",
        ],
    );
    let history: Vec<&str> = csv.split("\n\n").nth(1).unwrap().lines().collect();
    assert_eq!(
        history[0],
        "day,pathway,waiting,median_wait_days,longest_wait_days,joined,left"
    );
    assert_eq!(history.len(), 1 + 6 * 5);
    assert_eq!(history[2], "2024-02-05,1,1,0.000000,0,1,0");
    assert_eq!(history[7], "2024-02-06,1,1,1.000000,1,0,0");
    assert_eq!(history[12], "2024-02-07,1,0,,,0,1");
    assert_eq!(history[29], "2024-02-10,3,0,,,1,1");
    assert_eq!(history[28], "2024-02-10,2,1,0.000000,0,1,0");
    // By authority, and one site only.
    let by_la = on(&db, &["report", "queues", "--by", "la", "--format", "csv"]);
    assert!(
        by_la.contains("E10000018,2,1,20.000000,20,0,0\n"),
        "{by_la}"
    );
    // An authority with nobody waiting on the days asked has no rows.
    assert!(!by_la.contains("E06000016"), "{by_la}");
    let site = on(
        &db,
        &[
            "report",
            "queues",
            "--site",
            "RWE02",
            "--from",
            "2024-02-10",
            "--to",
            "2024-02-10",
            "--format",
            "csv",
        ],
    );
    assert!(site.contains("2024-02-10,3,0,,,1,1\n"), "{site}");
    assert!(site.contains("2024-02-10,unknown,0,,,0,0\n"), "{site}");
}

#[test]
fn demo_queues_hold_every_open_delay_and_its_authorities_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let store = dtoc::store::Store::open(&db).unwrap();
    let open = all_delays(&store)
        .iter()
        .filter(|d| d.ended_on.is_none())
        .count() as u64;
    let waiting = |csv: &str| -> u64 {
        csv.lines()
            .skip(1)
            .map(|l| l.split(',').rev().nth(4).unwrap().parse::<u64>().unwrap())
            .sum()
    };
    let whole = run(&db, &["report", "queues", "--format", "csv"]);
    assert_eq!(waiting(&whole), open);
    assert!(open > 0);
    let mut by_la = 0;
    for la in ["E06000016", "E06000017", "E10000018"] {
        by_la += waiting(&run(
            &db,
            &["report", "queues", "--la", la, "--format", "csv"],
        ));
    }
    assert_eq!(by_la, open);
}

#[test]
fn forecast_is_the_same_bytes_on_every_run_and_moves_with_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let args = [
        "report",
        "forecast",
        "--la",
        "E10000018",
        "--format",
        "json",
    ];
    let a = run(&db, &args);
    let b = run(&db, &args);
    assert_eq!(a, b);
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    let text = v.to_string();
    assert!(
        text.contains("queue_cap_minus_10") && text.contains("queue_cap_plus_10"),
        "{text}"
    );
    let c = run(&db, &[&args[..], &["--seed", "7"]].concat());
    assert_ne!(a, c);
    // Terminal: 10 days for each of the 5 pathways, with the summary before them.
    let t = run(
        &db,
        &["report", "forecast", "--pathway", "1", "--format", "csv"],
    );
    let rows: Vec<&str> = t.split("\n\n").nth(1).unwrap().lines().collect();
    assert_eq!(rows.len(), 1 + 10);
    assert!(rows[1].starts_with("1,1,2018-08-15,"), "{}", rows[1]);
    assert!(rows[10].starts_with("1,10,2018-08-24,"), "{}", rows[10]);
    // The summary: pathway 1's queue now and one scenario column per capacity asked.
    let s = run(
        &db,
        &[
            "report",
            "forecast",
            "--pathway",
            "1",
            "--capacity",
            "-20,0",
            "--format",
            "csv",
        ],
    );
    let head = s.lines().next().unwrap();
    assert_eq!(
        head,
        "pathway,queue_now,ready_today,left_today,ready_per_week,left_per_week,last_queue_cap-20,last_queue_base,extra_per_day"
    );
}

#[test]
fn backtest_on_the_demo_gives_ten_horizons() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let csv = run(
        &db,
        &[
            "report",
            "forecast",
            "--backtest",
            "--from",
            "2018-06-01",
            "--to",
            "2018-07-31",
            "--runs",
            "200",
            "--format",
            "csv",
        ],
    );
    let lines: Vec<&str> = csv.lines().collect();
    // Ten horizons pooled over the queues, then ten for each of the five pathways' queues.
    assert_eq!(lines.len(), 1 + 6 * 10, "{csv}");
    assert!(lines[0].starts_with("pathway,horizon,forecasts,ready_mae,"));
    let names = ["all", "0", "1", "2", "3", "unknown"];
    for (i, l) in lines[1..].iter().enumerate() {
        let cells: Vec<&str> = l.split(',').collect();
        assert_eq!(cells[0], names[i / 10], "{l}");
        assert_eq!(cells[1], (i % 10 + 1).to_string());
        // 61 origins × 5 pathway queues pooled, 61 for each pathway; every horizon before today.
        assert_eq!(cells[2], if i < 10 { "305" } else { "61" }, "{l}");
        let coverage: f64 = cells[10].parse().unwrap();
        assert!((50.0..=100.0).contains(&coverage), "{l}");
        // The paired differences: the mean is the difference of the errors beside them (every
        // queue has every origin), and 61 origins make 4 blocks of 14, enough for an interval.
        let f = |j: usize| -> f64 { cells[j].parse().unwrap() };
        assert!((f(11) - (f(7) - f(8))).abs() < 1e-5, "{l}");
        assert!((f(13) - (f(7) - f(9))).abs() < 1e-5, "{l}");
        assert!(f(12) >= 0.0 && f(14) >= 0.0, "{l}");
    }
    assert_eq!(
        csv,
        run(
            &db,
            &[
                "report",
                "forecast",
                "--backtest",
                "--from",
                "2018-06-01",
                "--to",
                "2018-07-31",
                "--runs",
                "200",
                "--format",
                "csv",
            ],
        )
    );
}

#[test]
fn bad_queue_arguments_are_errors_not_panics() {
    let dir = tempfile::tempdir().unwrap();
    let db = small(&dir);
    let fails = |args: &[&str], says: &str| {
        common::cli::dtoc_on(&db, "2024-03-01")
            .args(args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(says));
    };
    fails(
        &["report", "forecast", "--pathway", "7"],
        "give 0, 1, 2, 3 or unknown",
    );
    fails(
        &["report", "forecast", "--days", "0"],
        "days ahead must be from 1 to 90",
    );
    fails(
        &["report", "forecast", "--runs", "0"],
        "runs must be from 1",
    );
    fails(
        &["report", "forecast", "--capacity", "-200"],
        "from -100 to 1000 percent",
    );
    fails(
        &["report", "forecast", "--backtest", "--from", "2024-02-01"],
        "--to",
    );
    fails(
        &[
            "report",
            "queues",
            "--from",
            "2024-02-10",
            "--to",
            "2024-02-01",
        ],
        "after it ends",
    );
    fails(&["report", "queues", "--to", "2024-03-02"], "after today");
    fails(&["report", "queues", "--la", "nonsense"], "nonsense");
    // No delay in the last weeks: said so.
    let dir2 = tempfile::tempdir().unwrap();
    let empty = dir2.path().join("e.db");
    dtoc(&empty).arg("init").assert().success();
    dtoc(&empty)
        .args(["report", "forecast"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("no delays"));
}

#[test]
fn queue_query_reads_an_index_not_every_delay() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    let plan = store.queue_delays_plan().unwrap().join(" | ");
    assert!(plan.contains("delay_open"), "{plan}");
    assert!(!plan.contains("SCAN"), "{plan}");
    // The register's last entry: one lookup on each end of the periods.
    let plan = store.last_entry_plan().unwrap().join(" | ");
    assert!(
        plan.contains("period_start") && plan.contains("period_end"),
        "{plan}"
    );
    assert!(!plan.contains("SCAN delay_period"), "{plan}");
}

#[test]
fn planned_pathway_imports_the_same_on_both_paths_and_a_newer_file_changes_it() {
    // Bulk path: an empty register.
    let dir = tempfile::tempdir().unwrap();
    let bulk = small(&dir);
    // Row path: a register already holding a stay.
    let db = dir.path().join("rows.db");
    std::fs::write(
        dir.path().join("first.csv"),
        concat!(
            delays_header!(),
            "\nZ001,,RWE,RWE01,acute,E10000018,2023-12-01,2023-12-02,2023-12-03,A,NHS,2023-12-03,0\n"
        ),
    )
    .unwrap();
    common::cli::dtoc_on(&db, "2024-03-01")
        .arg("init")
        .assert()
        .success();
    for f in ["first.csv", "delays.csv"] {
        common::cli::dtoc_on(&db, "2024-03-01")
            .args(["import", "delays"])
            .arg(dir.path().join(f))
            .assert()
            .success();
    }
    let now = ["report", "queues", "--format", "csv"];
    assert_eq!(on(&bulk, &now), on(&db, &now));
    assert!(on(&db, &now).contains("\n2,1,20.000000,20,0,0\n"));
    // A newer extract plans A002 for pathway 3; one without the column keeps it.
    std::fs::write(
        dir.path().join("newer.csv"),
        concat!(
            delays_header!(),
            ",planned_pathway\nA002,,RWE,RWE01,acute,E10000018,2024-01-29,2024-02-10,,Dii,Social Care,,,3\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("plain.csv"),
        concat!(
            delays_header!(),
            "\nA002,,RWE,RWE01,acute,E10000018,2024-01-29,2024-02-10,,Dii,Social Care,,\n"
        ),
    )
    .unwrap();
    for f in ["newer.csv", "plain.csv"] {
        common::cli::dtoc_on(&db, "2024-03-01")
            .args(["import", "delays"])
            .arg(dir.path().join(f))
            .assert()
            .success();
        let q = on(&db, &now);
        assert!(q.contains("\n2,0,,,0,0\n"), "{f}: {q}");
        assert!(q.contains("\n3,1,20.000000,20,0,0\n"), "{f}: {q}");
    }
}

#[test]
fn chart_forecast_draws_every_pathway_the_same_each_time() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let svg = dir.path().join("f.svg");
    let png = dir.path().join("f.png");
    let draw = |path: &std::path::Path| {
        let args = [
            "chart",
            "forecast",
            "--runs",
            "200",
            "--force",
            "--out",
            path.to_str().unwrap(),
        ];
        assert_eq!(run(&db, &args), format!("wrote {}\n", path.display()));
        std::fs::read(path).unwrap()
    };
    let a = draw(&svg);
    assert_eq!(a, draw(&svg));
    let text = String::from_utf8(a).unwrap();
    assert!(text.contains("the forecast from 2018-08-15"), "{text}");
    for name in ["pathway 0", "pathway 3", "pathway not yet known"] {
        assert!(text.contains(name), "{name}");
    }
    // The y axis counts people: whole numbers, never "30.0".
    let labels: Vec<&str> = text
        .split("<text")
        .filter_map(|t| t.split_once('>').and_then(|(_, r)| r.split_once("</text>")))
        .map(|(l, _)| l.trim())
        .filter(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_digit() || c == '.'))
        .collect();
    assert!(labels.len() >= 3, "{labels:?}");
    assert!(
        labels.iter().all(|l| l.parse::<u32>().is_ok()),
        "{labels:?}"
    );
    assert!(labels.contains(&"0"), "{labels:?}");
    assert!(draw(&png).starts_with(b"\x89PNG"));
    dtoc(&db)
        .args(["chart", "forecast", "--out"])
        .arg(dir.path().join("f.gif"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(".svg or .png"));
}

// ---- The Queues screen (app) ----

/// One delay of the screen's register, as the generator made it.
struct Made {
    ready: chrono::NaiveDate,
    end: Option<chrono::NaiveDate>,
    /// `None`: not yet known.
    planned: Option<u8>,
    site: &'static str,
    la: &'static str,
}

/// A small deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Twelve weeks of delays to 2018-08-15 at the two sites of `common::reference`: more people
/// ready early in the week, pathways 1 and 2 the most common, pathway 3 the longest waits, a few
/// not yet known; those not ended by today are open. Returns the delays file and what it holds.
fn screen_register() -> (String, Vec<Made>) {
    let today = common::today();
    let mut rng = Rng(0x5EED_2718);
    let mut made = Vec::new();
    let mut csv = format!("{},end_kind,planned_pathway\n", DELAYS_HEADER);
    let weekday = [7u64, 6, 5, 5, 4, 2, 2];
    for back in (0..84).rev() {
        let ready = today - chrono::Days::new(back);
        let n = weekday[chrono::Datelike::weekday(&ready).num_days_from_monday() as usize]
            + rng.below(3);
        for _ in 0..n {
            let planned = match rng.below(20) {
                0..=1 => Some(0),
                2..=9 => Some(1),
                10..=14 => Some(2),
                15..=17 => Some(3),
                _ => None,
            };
            let wait = match planned {
                Some(0) => rng.below(4),
                Some(1) => 1 + rng.below(8),
                Some(2) => 2 + rng.below(14),
                Some(3) => 4 + rng.below(26),
                _ => 2 + rng.below(12),
            };
            let end = Some(ready + chrono::Days::new(wait)).filter(|e| *e <= today);
            let site = if rng.below(10) < 7 { "RX1" } else { "RX2" };
            let la = if rng.below(4) < 3 {
                "E10000018"
            } else {
                "E06000017"
            };
            let setting = if site == "RX1" { "acute" } else { "non-acute" };
            let admitted = ready - chrono::Days::new(rng.below(10));
            let (reason, attribution) =
                [("A", "NHS"), ("E", "Social Care"), ("G", "NHS")][rng.below(3) as usize];
            let planned_text = planned.map_or(String::new(), |p| p.to_string());
            let (end_text, left_on, pathway, kind) = match end {
                Some(e) => (
                    e.to_string(),
                    e.to_string(),
                    planned.unwrap_or(1).to_string(),
                    "discharged",
                ),
                None => (String::new(), String::new(), String::new(), ""),
            };
            csv.push_str(&format!(
                "Q{:05},,RWE,{site},{setting},{la},{admitted},{ready},{end_text},{reason},\
                 {attribution},{left_on},{pathway},{kind},{planned_text}\n",
                made.len() + 1
            ));
            made.push(Made {
                ready,
                end,
                planned,
                site,
                la,
            });
        }
    }
    (csv, made)
}

/// The app on [`screen_register`], on the Queues screen.
fn queues_app(dir: &tempfile::TempDir) -> (dtoc::ui::App, Vec<Made>) {
    let mut store = common::open_store(dir);
    common::reference(&mut store);
    let (csv, made) = screen_register();
    let checked =
        dtoc::import::read_delays_bytes("queues.csv", csv.as_bytes(), common::today()).unwrap();
    assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
    store.import_delays(&checked).unwrap();
    let mut app = dtoc::ui::App::new(store, common::today());
    app.update(dtoc::ui::keymap::Action::Screen(
        dtoc::ui::keymap::ScreenId::Queues,
    ));
    (app, made)
}

/// Waiting at the end of today per pathway (0-3, then not known), counted from the generator.
fn recount(made: &[Made], keep: impl Fn(&Made) -> bool) -> [u32; 5] {
    let mut n = [0; 5];
    for m in made.iter().filter(|m| keep(m)) {
        if m.ready <= common::today() && m.end.is_none_or(|e| e > common::today()) {
            n[m.planned.map_or(4, usize::from)] += 1;
        }
    }
    n
}

fn waiting_shown(app: &dtoc::ui::App) -> [u32; 5] {
    let v = app.screens.queues.view.as_ref().expect("queues read");
    std::array::from_fn(|i| v.rows[i].today.waiting)
}

#[test]
fn queues_screen_counts_what_the_register_holds_in_every_scope() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, made) = queues_app(&dir);
    let all = recount(&made, |_| true);
    assert!(all.iter().all(|&n| n > 0), "{all:?}");
    assert_eq!(waiting_shown(&app), all);
    let v = app.screens.queues.view.as_ref().unwrap();
    assert_eq!(v.all.today.waiting, all.iter().sum::<u32>());
    // Today's joins: the delays ready today; leaves: ended today.
    let today = common::today();
    let joins = made.iter().filter(|m| m.ready == today).count() as u32;
    let leaves = made.iter().filter(|m| m.end == Some(today)).count() as u32;
    assert_eq!((v.all.today.joins, v.all.today.leaves), (joins, leaves));
    // Pathway 3's longest wait: the oldest ready date among its open delays.
    let oldest = made
        .iter()
        .filter(|m| m.planned == Some(3) && m.end.is_none())
        .map(|m| (today - m.ready).num_days() as u32)
        .max();
    assert_eq!(v.rows[3].today.longest_wait, oldest);
    // s: the first site, then the second, then the whole register again.
    chr(&mut app, 's');
    assert_eq!(
        app.screens.queues.scope,
        dtoc::ui::screens::queues::Scope::Site("RX1".into())
    );
    assert_eq!(waiting_shown(&app), recount(&made, |m| m.site == "RX1"));
    chr(&mut app, 's');
    assert_eq!(waiting_shown(&app), recount(&made, |m| m.site == "RX2"));
    chr(&mut app, 's');
    assert_eq!(
        app.screens.queues.scope,
        dtoc::ui::screens::queues::Scope::Whole
    );
    // a: the authorities in the order the app lists them; w: the whole register.
    chr(&mut app, 'a');
    let la = match &app.screens.queues.scope {
        dtoc::ui::screens::queues::Scope::Authority(la) => la.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(waiting_shown(&app), recount(&made, |m| m.la == la));
    chr(&mut app, 'w');
    assert_eq!(waiting_shown(&app), all);
    // The two sites add up to the whole register.
    let (a, b) = (
        recount(&made, |m| m.site == "RX1"),
        recount(&made, |m| m.site == "RX2"),
    );
    assert_eq!(std::array::from_fn::<u32, 5, _>(|i| a[i] + b[i]), all);
}

#[test]
fn queues_screen_keys_move_toggle_and_help() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = queues_app(&dir);
    // Six rows in the queue view (five pathways and all); j/k/G/g move over them.
    chr(&mut app, 'j');
    assert_eq!(app.screens.queues.selected, 1);
    chr(&mut app, 'G');
    assert_eq!(app.screens.queues.selected, 5);
    let text = draw(&app, 80, 24);
    assert!(
        text.contains("All pathways: waiting at each day's end"),
        "{text}"
    );
    chr(&mut app, 'k');
    assert_eq!(app.screens.queues.selected, 4);
    // f: the Forecast view (five rows: the selection stays on a pathway), and back.
    chr(&mut app, 'G');
    chr(&mut app, 'f');
    assert!(app.screens.queues.forecast_view);
    assert_eq!(app.screens.queues.selected, 4);
    let f = app.screens.queues.forecast().expect("computed inline");
    let fs = f.forecasts.as_ref().unwrap();
    assert_eq!(fs.len(), 5);
    for (f, p) in fs.iter().zip(dtoc::report::queues_table::PATHWAYS) {
        assert_eq!(f.key.pathway, p);
        let pcts: Vec<i32> = f.scenarios.iter().map(|s| s.capacity_pct).collect();
        assert_eq!(pcts, [-10, 0, 10]);
        // Less capacity never leaves a shorter queue (the scenarios share their draws).
        let last = |i: usize| f.scenarios[i].days[9].queue.median;
        assert!(last(0) >= last(1) && last(1) >= last(2), "{:?}", f.key);
    }
    let text = draw(&app, 80, 24);
    assert!(
        text.contains("Pathway queue forecast from 2018-08-15"),
        "{text}"
    );
    assert!(text.contains("Not known day by day"), "{text}");
    // The forecast is the one `report forecast` makes: the same functions, the same seed.
    let store = &app.store;
    let scope = dtoc::commands::queues::QueueScope {
        las: vec![],
        sites: vec![],
        pathways: vec![],
        by: dtoc::report::queues::Grouping::Whole,
    };
    let eps = dtoc::commands::queues::load_episodes(
        store,
        &scope,
        common::d("2018-06-20"),
        common::today(),
    )
    .unwrap();
    let direct = dtoc::report::forecast::forecast_all(
        &eps,
        dtoc::report::queues::Grouping::Whole,
        common::today(),
        &dtoc::report::forecast::ForecastConfig::default(),
    )
    .unwrap();
    for f in fs {
        assert_eq!(Some(f), direct.iter().find(|d| d.key == f.key));
    }
    // A scope change in the Forecast view: that scope's forecast; back to one computed before.
    chr(&mut app, 's');
    let f = app.screens.queues.forecast().unwrap();
    assert_eq!(
        f.scope,
        dtoc::ui::screens::queues::Scope::Site("RX1".into())
    );
    chr(&mut app, 'w');
    assert_eq!(app.screens.queues.forecasts.len(), 2);
    chr(&mut app, 'f');
    assert!(!app.screens.queues.forecast_view);
    // ? lists the screen's real keys.
    chr(&mut app, '?');
    let help = draw(&app, 80, 24);
    for k in [
        "forecast / queues now",
        "next site",
        "next authority",
        "whole register",
    ] {
        assert!(help.contains(k), "{k}: {help}");
    }
}

#[test]
fn queues_screen_says_computing_while_the_forecast_runs_on_the_worker() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, made) = queues_app(&dir);
    app.load_in_background();
    chr(&mut app, 'f');
    // The key answers at once; the forecast follows.
    let text = draw(&app, 80, 24);
    assert!(text.contains("Computing the forecast"), "{text}");
    assert!(app.loading(dtoc::ui::keymap::ScreenId::Queues));
    app.wait_loads(std::time::Duration::from_secs(120));
    let text = draw(&app, 80, 24);
    assert!(!text.contains("Computing"), "{text}");
    assert!(text.contains("Day 10 base"), "{text}");
    // A scope change recomputes the queues at once and the forecast on the worker.
    chr(&mut app, 'a');
    assert!(draw(&app, 80, 24).contains("Computing the forecast"));
    let la = match &app.screens.queues.scope {
        dtoc::ui::screens::queues::Scope::Authority(la) => la.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(waiting_shown(&app), recount(&made, |m| m.la == la));
    app.wait_loads(std::time::Duration::from_secs(120));
    assert!(app.screens.queues.forecast().is_some());
    // A reload reads the delays again; a scope change meanwhile waits for them rather than
    // dropping that read, then computes its forecast.
    app.reload();
    assert!(app.screens.queues.reading);
    chr(&mut app, 'w');
    app.wait_loads(std::time::Duration::from_secs(120));
    assert!(!app.screens.queues.reading);
    assert_eq!(
        app.screens.queues.forecast().map(|f| &f.scope),
        Some(&dtoc::ui::screens::queues::Scope::Whole)
    );
    assert_eq!(waiting_shown(&app), recount(&made, |_| true));
}

#[test]
fn queues_screen_on_an_empty_register_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = common::populated_app(&dir);
    app.update(dtoc::ui::keymap::Action::Screen(
        dtoc::ui::keymap::ScreenId::Queues,
    ));
    // The populated register's delays have no planned pathway: open ones are not yet known.
    chr(&mut app, 'f');
    chr(&mut app, 's');
    chr(&mut app, 's');
    chr(&mut app, 's');
    let text = draw(&app, 80, 24);
    assert!(!text.is_empty());
    let dir2 = tempfile::tempdir().unwrap();
    let mut empty = common::empty_app(&dir2);
    empty.first_run = false;
    empty.update(dtoc::ui::keymap::Action::Screen(
        dtoc::ui::keymap::ScreenId::Queues,
    ));
    chr(&mut empty, 'f');
    let text = draw(&empty, 80, 24);
    assert!(
        text.contains("No delays in the 56 days before 2018-08-15"),
        "{text}"
    );
    chr(&mut empty, 'f');
    let text = draw(&empty, 80, 24);
    assert!(
        text.contains("Pathway queues on 2018-08-15, whole register"),
        "{text}"
    );
}

#[test]
fn queues_screen_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let (mut app, _) = queues_app(&dir);
    chr(&mut app, 'j');
    chr(&mut app, 'j');
    assert_snapshot!("screen_80x24", draw(&app, 80, 24));
    assert_snapshot!("screen_160x48", draw(&app, 160, 48));
    chr(&mut app, 'f');
    assert_snapshot!("forecast_80x24", draw(&app, 80, 24));
    assert_snapshot!("forecast_160x48", draw(&app, 160, 48));
}

#[test]
fn forecast_starts_where_the_queues_report_stands_today() {
    // Day 1 is today: the forecast starts from yesterday's end and counts today's entries so far,
    // so its start, plus today's ready, minus today's left, is the queues report's "waiting now",
    // for every pathway, on the whole register and per authority; and today's median is never
    // below what already left allows (no fewer leaving than have left).
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let json =
        |args: &[&str]| -> serde_json::Value { serde_json::from_str(&run(&db, args)).unwrap() };
    let table = |doc: &serde_json::Value, name: &str| -> Vec<serde_json::Value> {
        common::cli::table_rows(doc, name).to_vec()
    };
    let mut left_today = 0;
    for la in [
        None,
        Some("E06000016"),
        Some("E06000017"),
        Some("E10000018"),
    ] {
        let mut q = vec!["report", "queues", "--format", "json"];
        let mut f = vec!["report", "forecast", "--format", "json"];
        if let Some(la) = la {
            q.extend(["--la", la]);
            f.extend(["--la", la]);
        }
        let now = table(&json(&q), "queues_now");
        let fc = json(&f);
        let summary = table(&fc, "forecast_summary");
        let days = table(&fc, "forecast");
        assert!(!summary.is_empty());
        for s in &summary {
            let p = &s["pathway"];
            let row = now.iter().find(|r| &r["pathway"] == p).unwrap();
            let (start, ready, left) = (
                s["queue_now"].as_i64().unwrap(),
                s["ready_today"].as_i64().unwrap(),
                s["left_today"].as_i64().unwrap(),
            );
            assert_eq!(
                start + ready - left,
                row["waiting"].as_i64().unwrap(),
                "{la:?} {p}"
            );
            assert_eq!(ready, row["joined"].as_i64().unwrap(), "{la:?} {p}");
            assert_eq!(left, row["left"].as_i64().unwrap(), "{la:?} {p}");
            let day1 = days
                .iter()
                .find(|d| &d["pathway"] == p && d["day_ahead"] == 1)
                .unwrap();
            assert!(day1["leave_base_low"].as_i64().unwrap() >= left, "{day1}");
            assert!(day1["ready_low"].as_i64().unwrap() >= ready, "{day1}");
            assert!(
                day1["queue_base"].as_i64().unwrap()
                    <= start + day1["ready"].as_i64().unwrap() - left
            );
            left_today += left;
        }
    }
    // The demo's today has discharges recorded (the whole register's and the authorities'), so
    // this is not a test of zeros.
    assert!(left_today >= 2 * 12, "{left_today}");
}

#[test]
fn a_register_that_stops_short_of_today_says_so_and_the_backtest_stops_with_it() {
    // The demo's last entries are on its day, 2018-08-15. Six weeks later nothing has been entered:
    // read as they stand, the 45 days would say nobody became ready and nobody left.
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let forecast = |today: &str| {
        common::cli::outputs_of(
            common::cli::dtoc_on(&db, today),
            &["report", "forecast", "--runs", "50", "--format", "json"],
        )
    };
    let said = "no delay began or ended after 2018-08-15: the 45 days to 2018-09-29 are read as days \
                when nobody became ready and nobody left; enter those days, or forecast from --today \
                2018-08-16";
    let (stdout, stderr) = forecast("2018-09-30");
    assert_eq!(stderr.trim_end(), format!("warning: {said}"));
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let notes = doc["tables"][0]["notes"].as_array().unwrap();
    assert!(notes.iter().any(|n| n == said), "{notes:?}");
    // On the register's own day, and the day after it (yesterday complete), nothing is said.
    for today in ["2018-08-15", "2018-08-16", "2018-08-17"] {
        assert_eq!(forecast(today).1, "", "{today}");
    }
    // Two whole quiet days are the threshold: on the 18th the 16th and 17th are empty.
    let two = forecast("2018-08-18").1;
    assert!(two.contains("the 2 days to 2018-08-17"), "{two}");
    // Later than the forecast's eight weeks it is the same register's last entry.
    assert!(forecast("2018-12-01").1.starts_with(
        "warning: no delay began or ended after 2018-08-15: the 107 days to 2018-11-30"
    ),);
    // The register is judged whole: on its own day, a small queue or authority with no entry for
    // days (the demo's pathway not yet known: none since 10 August) is quiet, not stale.
    for scope in [
        &["--pathway", "unknown"][..],
        &["--la", "E06000017"],
        &["--pathway", "3"],
    ] {
        let (out, err) = common::cli::outputs_of(
            common::cli::dtoc_on(&db, "2018-08-15"),
            &[&["report", "forecast", "--runs", "50"][..], scope].concat(),
        );
        assert_eq!(err, "", "{scope:?}: {out}");
    }
    // The chart travels without stderr: its title says it.
    let svg = dir.path().join("late.svg");
    let (_, err) = common::cli::outputs_of(
        common::cli::dtoc_on(&db, "2018-09-30"),
        &[
            "chart",
            "forecast",
            "--runs",
            "50",
            "--out",
            svg.to_str().unwrap(),
        ],
    );
    assert!(
        err.starts_with("warning: no delay began or ended after 2018-08-15"),
        "{err}"
    );
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(
        text.contains(
            "Pathway queues, the forecast from 2018-09-30: nothing entered after 2018-08-15"
        ),
        "{text}"
    );
    // The queues now say it too: their "today" is the last entry's.
    let queues = |today: &str| {
        common::cli::outputs_of(
            common::cli::dtoc_on(&db, today),
            &["report", "queues", "--format", "csv"],
        )
        .1
    };
    assert_eq!(queues("2018-08-15"), "");
    assert_eq!(
        queues("2018-09-30").trim_end(),
        format!("warning: {}", said.replace("forecast from", "report from"))
    );

    // The backtest compares with the days the register holds only: run six weeks late, it is the
    // backtest run the day after the last entry, byte for byte.
    let backtest = |today: &str| {
        common::cli::outputs_of(
            common::cli::dtoc_on(&db, today),
            &[
                "report",
                "forecast",
                "--backtest",
                "--runs",
                "50",
                "--from",
                "2018-07-01",
                "--to",
                "2018-09-20",
                "--format",
                "csv",
            ],
        )
    };
    let (late_rows, late_err) = backtest("2018-09-30");
    let (day_after, day_after_err) = backtest("2018-08-16");
    assert_eq!(late_rows, day_after);
    assert_eq!(day_after_err, "");
    assert_eq!(
        late_err.trim_end(),
        "warning: no delay began or ended after 2018-08-15: the forecasts are compared with the days to 2018-08-15 only"
    );
    // Origins 1 July to 15 August (46) × 5 queues a day ahead; ten days ahead, the 37 origins whose
    // tenth day is on or before 15 August.
    let mut r = csv::Reader::from_reader(late_rows.as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let forecasts = |h: &str| &rows.iter().find(|x| &x[0] == "all" && &x[1] == h).unwrap()[2];
    assert_eq!(forecasts("1"), "230");
    assert_eq!(forecasts("10"), "185");
    // Origins only after the last entry: nothing to compare with, said so.
    common::cli::dtoc_on(&db, "2018-09-30")
        .args(["report", "forecast", "--backtest"])
        .args(["--from", "2018-08-20", "--to", "2018-09-20"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--from 2018-08-20 is after the last day on which a delay began or ended (2018-08-15)",
        ));

    // The Dashboard says it under its tables (its figures count the open delays to today), and
    // the Queues screen above its figures, in both views.
    let app_on = |today: &str| {
        let store = dtoc::store::Store::open(&db).unwrap();
        dtoc::ui::App::new(store, common::d(today))
    };
    let text = draw(&app_on("2018-08-15"), 80, 24);
    assert!(!text.contains("Nothing entered"), "{text}");
    let mut app = app_on("2018-09-30");
    let text = draw(&app, 80, 24);
    assert!(
        text.contains("Nothing entered after 2018-08-15 (45 days): open delays counted to today"),
        "{text}"
    );
    app.update(dtoc::ui::keymap::Action::Screen(
        dtoc::ui::keymap::ScreenId::Queues,
    ));
    let line = "Nothing entered after 2018-08-15: 45 days read as none ready, none left";
    let text = draw(&app, 80, 24);
    assert!(text.contains(line), "{text}");
    chr(&mut app, 'f');
    let text = draw(&app, 80, 24);
    assert!(text.contains(line), "{text}");
    assert!(text.contains("Pathway 0 day by day"), "{text}");
}

#[test]
fn the_forecast_view_is_fitted_on_covered_days_as_report_forecast_is() {
    // Coverage from 1 August: both fit on the 1st to the 14th only, so the screen shows the
    // command's figures, pathway by pathway.
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    run(
        &db,
        &["coverage", "set", "--site", "RWE01", "--from", "2018-08-01"],
    );
    let doc: serde_json::Value =
        serde_json::from_str(&run(&db, &["report", "forecast", "--format", "json"])).unwrap();
    let summary = common::cli::table_rows(&doc, "forecast_summary").to_vec();
    let shown = |today: &str| {
        let store = dtoc::store::Store::open(&db).unwrap();
        let mut app = dtoc::ui::App::new(store, common::d(today));
        app.update(dtoc::ui::keymap::Action::Screen(
            dtoc::ui::keymap::ScreenId::Queues,
        ));
        chr(&mut app, 'f');
        let text = draw(&app, 80, 24);
        let fv = app.screens.queues.forecast().cloned().expect("computed");
        (fv, text)
    };
    let (fv, _) = shown("2018-08-15");
    let fs = fv.forecasts.expect("a forecast");
    assert_eq!(fs.len(), summary.len());
    for f in &fs {
        let p = f
            .key
            .pathway
            .map_or("unknown".to_string(), |p| p.number().to_string());
        let row = summary
            .iter()
            .find(|r| r["pathway"].to_string().trim_matches('"') == p)
            .unwrap();
        let base = f.scenarios.iter().find(|s| s.capacity_pct == 0).unwrap();
        let last = base.days.last().unwrap().queue.median;
        assert_eq!(row["last_queue_base"], u64::from(last), "pathway {p}");
        assert_eq!(
            row["extra_per_day"],
            u64::from(f.extra_capacity),
            "pathway {p}"
        );
    }
    // Coverage from today: no complete day to forecast from, on the screen as in the command.
    run(
        &db,
        &["coverage", "set", "--site", "RWE01", "--from", "2018-08-15"],
    );
    let (fv, text) = shown("2018-08-15");
    assert!(fv.forecasts.is_err());
    assert!(
        text.contains("The register's coverage starts on 2018-08-15: no complete day before"),
        "{text}"
    );
}

#[test]
fn queues_before_the_registers_coverage_are_blank_not_0() {
    // The demo's coverage starts on 2017-04-01 (its import): a day before it is not "0 waiting".
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let json = |today: &str, args: &[&str]| -> serde_json::Value {
        let mut all = vec!["report", "queues", "--format", "json"];
        all.extend(args);
        serde_json::from_str(&common::cli::stdout_of(
            common::cli::dtoc_on(&db, today),
            &all,
        ))
        .unwrap()
    };
    let doc = json("2017-03-31", &[]);
    let now = &doc["tables"][0];
    assert_eq!(now["name"], "queues_now");
    let rows = now["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    for r in rows {
        for k in [
            "waiting",
            "median_wait_days",
            "longest_wait_days",
            "joined",
            "left",
        ] {
            assert!(r[k].is_null(), "{k} in {r}");
        }
    }
    let notes = now["notes"].to_string();
    assert!(
        notes.contains("2017-03-31 is before coverage: blank, not 0"),
        "{notes}"
    );
    // The first day of coverage is counted, and is the day the history table counts.
    let doc = json("2017-04-10", &["--from", "2017-04-01"]);
    let first_day: Vec<u64> = doc["tables"][1]["rows"].as_array().unwrap()[..5]
        .iter()
        .map(|r| r["waiting"].as_u64().unwrap())
        .collect();
    assert!(first_day.iter().sum::<u64>() > 0, "{first_day:?}");
    assert!(doc["tables"][0]["rows"][0]["waiting"].is_u64());

    // The Queues screen: four weeks before 10 April reach into March, so its history starts at
    // coverage, each day the report's.
    let shown = |today: &str| {
        let store = dtoc::store::Store::open(&db).unwrap();
        let mut app = dtoc::ui::App::new(store, common::d(today));
        app.update(dtoc::ui::keymap::Action::Screen(
            dtoc::ui::keymap::ScreenId::Queues,
        ));
        let text = draw(&app, 80, 24);
        (app.screens.queues.view.clone().expect("read"), text)
    };
    let (view, text) = shown("2017-04-10");
    assert_eq!(view.first, common::d("2017-04-01"));
    assert_eq!(view.before_coverage, None);
    for (q, &w) in view.rows.iter().zip(&first_day) {
        assert_eq!(q.history.len(), 10);
        assert_eq!(u64::from(q.history[0]), w, "{:?}", q.pathway);
    }
    assert!(text.contains("Since 01 Apr"), "{text}");
    assert!(
        text.contains("waiting at each day's end since coverage began 2017-04-01"),
        "{text}"
    );
    // Before coverage: no table of zeros, but why there is none.
    let (view, text) = shown("2017-03-31");
    assert_eq!(view.before_coverage, Some(common::d("2017-04-01")));
    assert!(
        text.contains("The register's coverage starts on 2017-04-01: no queue is complete"),
        "{text}"
    );
    assert!(!text.contains("Pathway 0"), "{text}");
}

#[test]
fn a_backtest_reaching_today_says_which_horizons_rest_on_fewer_forecasts() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let backtest = |to: &str| -> serde_json::Value {
        let args = [
            "report",
            "forecast",
            "--backtest",
            "--from",
            "2018-08-01",
            "--to",
            to,
            "--runs",
            "100",
            "--format",
            "json",
        ];
        serde_json::from_str(&run(&db, &args)).unwrap()
    };
    let t = backtest("2018-08-06");
    // The demo's today is 2018-08-15: an origin's tenth day is known up to the 5th's (the 14th).
    let pooled: Vec<u64> = t["rows"].as_array().unwrap()[..10]
        .iter()
        .map(|r| r["forecasts"].as_u64().unwrap())
        .collect();
    assert_eq!(pooled, [30, 30, 30, 30, 30, 30, 30, 30, 30, 25]);
    assert!(
        t["notes"].to_string().contains(
            "origins after 2018-08-05 are compared only at the horizons whose day is before 2018-08-15"
        ),
        "{}",
        t["notes"]
    );
    // Every origin's ten days known: no such note.
    let doc = backtest("2018-08-05");
    assert!(!doc["notes"].to_string().contains("origins after"), "{doc}");
    // Origins from today on: nothing known to compare with, refused rather than a table of dashes.
    for from in ["2018-08-15", "2018-08-20"] {
        dtoc(&db)
            .args([
                "report",
                "forecast",
                "--backtest",
                "--from",
                from,
                "--to",
                "2018-08-25",
            ])
            .assert()
            .failure()
            .stderr(predicate::str::contains(format!(
                "--from {from} is not before today (2018-08-15)"
            )));
    }
}
