//! `cargo bench --bench report`: the monthly report's counts read from the stored month counts
//! against a brute-force recount of every delayed day, on the demo register. Prints a table of
//! medians; the national-scale benchmarks are a separate issue.

use chrono::NaiveDate;
use dtoc::cli::{write_demo, Global};
use dtoc::domain::YearMonth;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .collect(),
    )
}

fn main() -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("dtoc-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("demo.db");
    let today = NaiveDate::from_ymd_opt(2018, 8, 15).ok_or_else(|| anyhow::anyhow!("date"))?;
    let global = Global {
        db: Some(path.clone()),
        today: Some(today),
        user: Some("bench".into()),
        plain: false,
        force: false,
    };
    let t = Instant::now();
    let store = write_demo(&global, &path, today)?;
    let load = t.elapsed();
    let from = YearMonth::parse("2017-04")?;
    let to = YearMonth::parse("2018-08")?;
    assert_eq!(
        store.month_counts(from, to, &[], today)?,
        store.recount_month_counts(from, to, &[], today)?,
        "stored counts must equal a recount"
    );
    let runs = 21;
    let stored = time(runs, || store.month_counts(from, to, &[], today));
    let recount = time(runs, || store.recount_month_counts(from, to, &[], today));
    let leics = [dtoc::domain::LaCode::parse("E10000018")?];
    let one = time(runs, || store.month_counts(from, to, &leics, today));
    println!("demo register built in {load:.2?}");
    println!("{:<48} {:>12}", "what (median of 21 runs)", "time");
    println!(
        "{:<48} {:>12.2?}",
        "month counts, 3 authorities, 17 months", stored
    );
    println!("{:<48} {:>12.2?}", "brute-force recount, same", recount);
    println!("{:<48} {:>12.2?}", "month counts, one authority", one);
    println!(
        "{:<48} {:>11.1}x",
        "speed-up over a recount",
        recount.as_secs_f64() / stored.as_secs_f64()
    );
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
