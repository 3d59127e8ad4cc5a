//! The national-scale generator (`dtoc demo --scale national`): its monthly England totals follow
//! the published ones, it is deterministic for a seed, and dtoc's monthly report agrees exactly with
//! the pandas peer (`benches/peer_monthly.py`) and the DuckDB peer (`benches/peer_duckdb.py`) on a
//! small generated register.

use chrono::NaiveDate;
use dtoc::commands::monthly::load_monthly;
use dtoc::commands::output::Format;
use dtoc::commands::report::write_monthly;
use dtoc::domain::{Attribution, YearMonth};
use dtoc::national::peer::{
    compare_monthly_csv, duckdb_available, duckdb_import, duckdb_monthly, pandas_available,
    pandas_monthly,
};
use dtoc::national::write::write_national;
use dtoc::national::{generate, Calibration, NationalConfig};
use dtoc::store::Store;
use std::collections::BTreeMap;
use std::path::Path;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn ym(s: &str) -> YearMonth {
    YearMonth::parse(s).unwrap()
}

/// (total, nhs, social care, both) per month, from tests/data/england_2018_may_july.csv.
fn published() -> BTreeMap<YearMonth, [u64; 4]> {
    let text = std::fs::read_to_string("tests/data/england_2018_may_july.csv").unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("month"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let n: Vec<u64> = f[1..].iter().map(|x| x.parse().unwrap()).collect();
            (ym(f[0]), [n[0], n[1], n[2], n[3]])
        })
        .collect()
}

#[test]
fn national_register_monthly_totals_are_within_5_percent_of_published() {
    // Three months at full national volume (plus the generator's 120-day warm-up), through the
    // store's fast path, read back with the report's own month counts.
    let cfg = NationalConfig {
        from: ym("2018-05"),
        to: ym("2018-07"),
        today: d("2018-08-01"),
        seed: 7,
        volume: 1.0,
    };
    let mut store = Store::open_in_memory().unwrap();
    let written = write_national(&mut store, &cfg, None).unwrap();
    assert!(written.generated.stays > 100_000, "{:?}", written.generated);
    let counts = store
        .month_counts(cfg.from, cfg.to, &[], cfg.today)
        .unwrap();
    let mut ours: BTreeMap<YearMonth, [u64; 4]> = BTreeMap::new();
    for c in &counts {
        let e = ours.entry(c.month).or_default();
        e[0] += c.days;
        e[match c.attribution {
            Attribution::Nhs => 1,
            Attribution::SocialCare => 2,
            Attribution::Both => 3,
        }] += c.days;
    }
    // 152 authorities; every one but the Isles of Scilly (about one delay in four months, as tiny
    // as its published figures) has delayed days in these months.
    assert_eq!(store.authorities().unwrap().len(), 152);
    let las: std::collections::BTreeSet<&str> = counts.iter().map(|c| c.la_code.as_str()).collect();
    assert!(
        las.len() >= 151,
        "{} authorities with delayed days",
        las.len()
    );
    for (month, p) in published() {
        let o = ours[&month];
        // e.g. July 2018: published 140,938; 5% either side is 133,891..147,985.
        let off = (o[0] as f64 - p[0] as f64).abs() / p[0] as f64;
        assert!(off < 0.05, "{month}: {} vs published {}", o[0], p[0]);
        // NHS-heavy as published (July 2018: 87,290 / 140,938 = 61.9% NHS, 30.1% social care,
        // 7.9% both): each share within 2 points.
        for k in 1..4 {
            let share = o[k] as f64 / o[0] as f64;
            let want = p[k] as f64 / p[0] as f64;
            assert!(
                (share - want).abs() < 0.02,
                "{month} measure {k}: {share:.3} vs {want:.3}"
            );
        }
    }
    // The report's totals (summed by SQLite) are the month counts summed.
    let totals = store
        .month_totals(cfg.from, cfg.to, &[], cfg.today)
        .unwrap();
    let mut from_totals: BTreeMap<YearMonth, [u64; 4]> = BTreeMap::new();
    for t in &totals {
        let e = from_totals.entry(t.month).or_default();
        e[0] += t.days.iter().sum::<u64>();
        for k in 0..3 {
            e[k + 1] += t.days[k];
        }
    }
    assert_eq!(from_totals, ours);
    // The stored counts equal a recount of the periods.
    assert!(store.count_problems().unwrap().is_empty());
}

#[test]
fn the_same_seed_makes_the_same_register() {
    let cal = Calibration::embedded().unwrap();
    let cfg = NationalConfig {
        from: ym("2019-11"),
        to: ym("2019-12"),
        today: d("2019-12-10"),
        seed: 42,
        volume: 0.01,
    };
    let run = |cfg: &NationalConfig| {
        let mut all = Vec::new();
        let n = generate(&cal, cfg, |b| -> Result<(), ()> {
            all.extend_from_slice(b);
            Ok(())
        })
        .unwrap();
        (n, all)
    };
    let (a, b) = (run(&cfg), run(&cfg));
    assert_eq!(a, b);
    assert!(a.0.stays > 100);
    let other = run(&NationalConfig { seed: 43, ..cfg });
    assert_ne!(a.1, other.1);
}

/// The peers' register: 2% of England for three months, today in the middle of December (open
/// delays, a month in progress, and the months' populations), stored and written as a delays CSV.
fn small_register() -> (tempfile::TempDir, Store, std::path::PathBuf, NationalConfig) {
    let cfg = NationalConfig {
        from: ym("2019-10"),
        to: ym("2019-12"),
        today: d("2019-12-15"),
        seed: 3,
        volume: 0.02,
    };
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("delays.csv");
    let mut store = Store::open(&dir.path().join("small.db")).unwrap();
    let w = write_national(&mut store, &cfg, Some(&csv)).unwrap();
    assert!(w.generated.open > 0, "{:?}", w.generated);
    (dir, store, csv, cfg)
}

#[test]
fn dtoc_and_the_pandas_peer_agree_exactly_on_a_small_register() {
    if !pandas_available() {
        eprintln!("skipped: pandas is not installed (pip install pandas); the national benchmark always checks this");
        return;
    }
    let (dir, store, csv, cfg) = small_register();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peer_monthly.py");
    for las in [vec![], vec!["E10000018".to_string()]] {
        let m = load_monthly(&store, cfg.from, cfg.to, &las, cfg.today).unwrap();
        let mut ours = Vec::new();
        write_monthly(&m.rows, Format::Csv, &mut ours).unwrap();
        let out = dir.path().join("pandas.csv");
        pandas_monthly(&script, &csv, &out, &cfg, &las).unwrap();
        let theirs = std::fs::read(&out).unwrap();
        assert_eq!(
            compare_monthly_csv(&ours, &theirs).unwrap(),
            Vec::<String>::new()
        );
        // 3 months x 4 measures x (152 authorities, or 1).
        let rows = String::from_utf8(ours).unwrap().lines().count() - 1;
        assert_eq!(rows, 3 * 4 * if las.is_empty() { 152 } else { 1 });
    }
}

#[test]
fn dtoc_and_the_duckdb_peer_agree_exactly_on_a_small_register() {
    if !duckdb_available() {
        eprintln!("skipped: duckdb is not installed (pip install duckdb); the national benchmark always checks this");
        return;
    }
    let (dir, store, csv, cfg) = small_register();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/peer_duckdb.py");
    for las in [vec![], vec!["E10000018".to_string()]] {
        let m = load_monthly(&store, cfg.from, cfg.to, &las, cfg.today).unwrap();
        let mut ours = Vec::new();
        write_monthly(&m.rows, Format::Csv, &mut ours).unwrap();
        let out = dir.path().join("duckdb.csv");
        let run = duckdb_monthly(&script, &csv, &out, &cfg, &las, 2).unwrap();
        let theirs = std::fs::read(&out).unwrap();
        assert_eq!(
            compare_monthly_csv(&ours, &theirs).unwrap(),
            Vec::<String>::new()
        );
        let rows = 3 * 4 * if las.is_empty() { 152 } else { 1 };
        assert_eq!(run.rows, rows);
        assert_eq!(run.compute.len(), 2);
        // A changed figure is found.
        let changed = String::from_utf8(theirs)
            .unwrap()
            .lines()
            .enumerate()
            .map(|(i, l)| {
                if i == 1 {
                    l.replacen(",total,", ",total,9", 1)
                } else {
                    l.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(
            compare_monthly_csv(&ours, changed.as_bytes())
                .unwrap()
                .len(),
            1
        );
    }
    // The import peer loads every row.
    let rows = std::fs::read_to_string(&csv).unwrap().lines().count() as u64 - 1;
    let (_, loaded) = duckdb_import(&script, &csv, &dir.path().join("d.duckdb")).unwrap();
    assert_eq!(loaded, rows);
}

#[test]
fn the_bulk_path_refuses_periods_that_do_not_abut_and_writes_nothing() {
    use dtoc::domain::{Period, ReasonCode};
    use dtoc::store::{BulkDelay, BulkStay};
    let cal = Calibration::embedded().unwrap();
    let mut store = Store::open_in_memory().unwrap();
    let (from, to) = (ym("2019-01"), ym("2019-01"));
    store
        .bulk_reference(
            &cal.store_authorities(),
            &cal.populations(from, to),
            &cal.sites(),
        )
        .unwrap();
    let period = |s: &str, e: &str| Period {
        start: d(s),
        end: Some(d(e)),
        reason: ReasonCode::A,
        attribution: Attribution::Nhs,
    };
    let stay = |id: &str, periods: Vec<Period>| BulkStay {
        local_id: id.to_string(),
        nhs_number: None,
        site_code: cal.authorities[0].acute_site.clone(),
        la_code: cal.authorities[0].code.clone(),
        admitted_on: d("2019-01-01"),
        discharged_on: Some(d("2019-01-10")),
        pathway: None,
        delays: vec![BulkDelay {
            planned_pathway: None,
            end_kind: Some(dtoc::domain::EndKind::Discharged),
            periods,
        }],
    };
    let good = stay(
        "G1",
        vec![
            period("2019-01-02", "2019-01-05"),
            period("2019-01-05", "2019-01-10"),
        ],
    );
    // A gap: the second period starts a day after the first ended.
    let bad = stay(
        "B1",
        vec![
            period("2019-01-02", "2019-01-05"),
            period("2019-01-06", "2019-01-10"),
        ],
    );
    let e = store
        .bulk_insert_stays(&[good.clone(), bad], "test")
        .unwrap_err();
    assert!(
        e.to_string().contains("B1: periods of a delay do not abut"),
        "{e}"
    );
    assert!(store
        .month_counts(from, to, &[], d("2019-02-01"))
        .unwrap()
        .is_empty());
    // The good stay alone: 3 + 5 = 8 delayed days in January 2019.
    assert_eq!(store.bulk_insert_stays(&[good], "test").unwrap(), 2);
    let days: u64 = store
        .month_counts(from, to, &[], d("2019-02-01"))
        .unwrap()
        .iter()
        .map(|c| c.days)
        .sum();
    assert_eq!(days, 8);
}

#[test]
fn demo_refuses_a_national_scale_of_no_years() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dtoc"))
        .args([
            "demo", "--scale", "national", "--years", "0", "--no-tui", "--db",
        ])
        .arg(std::env::temp_dir().join("dtoc-never-written.db"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--years"), "{err}");
}
