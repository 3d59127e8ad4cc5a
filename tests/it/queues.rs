//! `dtoc report queues` and `dtoc report forecast` (issue 27) through the real binary: the queues
//! of a small register worked by hand, the demo's queues against its open delays, the forecast's
//! bytes the same on every run, the backtest's table, the errors, and the plan of the query.

use crate::common;

use common::cli::{demo, dtoc, run};
use common::db::*;
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
        "pathway,queue_now,ready_per_week,left_per_week,last_queue_cap-20,last_queue_base,extra_per_day"
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
    assert_eq!(lines.len(), 11, "{csv}");
    assert!(lines[0].starts_with("horizon,forecasts,ready_mae,"));
    for (h, l) in lines[1..].iter().enumerate() {
        let cells: Vec<&str> = l.split(',').collect();
        assert_eq!(cells[0], (h + 1).to_string());
        // 61 origins × 5 pathway queues, every horizon before today.
        assert_eq!(cells[1], "305", "{l}");
        let coverage: f64 = cells[9].parse().unwrap();
        assert!((50.0..=100.0).contains(&coverage), "{l}");
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
    assert!(draw(&png).starts_with(b"\x89PNG"));
    dtoc(&db)
        .args(["chart", "forecast", "--out"])
        .arg(dir.path().join("f.gif"))
        .assert()
        .failure()
        .stderr(predicate::str::contains(".svg or .png"));
}
