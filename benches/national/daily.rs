//! A day's extract into the national database: 500 rows of one day, the next day, imported with the
//! real `dtoc import delays` into a copy of the national database, day after day.
//!
//! Each day's file is what a hub's PAS extract of that day holds for a third of England's daily
//! churn: new delays of new stays (1 in 5 with a valid NHS number of the test range), ends of open
//! delays at discharge, and reason changes of open delays (the open period ends, a new one with
//! another reason begins the same day). The open delays start as those of the national register
//! (the CSV's open rows) and follow the extracts, so every row of every day is valid against the
//! database as the earlier days left it; at the end the database's open delays are counted against
//! the model's.

use super::{median, ms, p99, timed, Line, R};
use chrono::{Days, NaiveDate};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Rows of one day's file: new delays, ends, and reason changes (two rows each).
const NEW: usize = 200;
const ENDS: usize = 150;
const CHANGES: usize = 75;

/// Columns of the national CSV (the import format and `end_kind`).
const DELAY_END: usize = 8;
const START: usize = 7;
const REASON: usize = 9;
const ATTRIBUTION: usize = 10;
const DISCHARGED: usize = 11;
const PATHWAY: usize = 12;
const END_KIND: usize = 13;

const REASONS: [&str; 11] = ["A", "B", "C", "Di", "Dii", "E", "F", "G", "H", "I", "O"];

/// The open delays: the CSV record of each one's open period.
pub struct Register {
    header: csv::StringRecord,
    open: Vec<csv::StringRecord>,
    rng: ChaCha8Rng,
    next_id: u64,
    next_nhs: u64,
}

impl Register {
    /// The open periods of the national CSV (rows with an empty `delay_end`).
    pub fn from_csv(csv: &Path, seed: u64) -> R<Self> {
        let mut r = csv::Reader::from_path(csv)?;
        let header = r.headers()?.clone();
        anyhow::ensure!(
            header.get(DELAY_END) == Some("delay_end") && header.get(END_KIND) == Some("end_kind"),
            "{}: not the national CSV's columns",
            csv.display()
        );
        let mut open = Vec::new();
        let mut rec = csv::StringRecord::new();
        while r.read_record(&mut rec)? {
            if rec.get(DELAY_END) == Some("") {
                open.push(rec.clone());
            }
        }
        Ok(Self {
            header,
            open,
            rng: ChaCha8Rng::seed_from_u64(seed),
            next_id: 0,
            next_nhs: 0,
        })
    }

    pub fn open(&self) -> usize {
        self.open.len()
    }

    fn below(&mut self, n: usize) -> usize {
        (self.rng.next_u64() % n as u64) as usize
    }

    fn reason_and_attribution(&mut self) -> (&'static str, &'static str) {
        let reason = REASONS[self.below(REASONS.len())];
        // C (NHS non-acute care) and I (housing) are NHS's alone in the published returns.
        let attribution = if reason == "C" || reason == "I" {
            "NHS"
        } else {
            match self.below(20) {
                0..=10 => "NHS",
                11..=17 => "Social Care",
                _ => "Both",
            }
        };
        (reason, attribution)
    }

    /// A valid NHS number of the test range the generator leaves unused (999 95x xxxx).
    fn nhs_number(&mut self) -> String {
        loop {
            let base = 999_950_000 + self.next_nhs;
            self.next_nhs += 1;
            let digits = base.to_string();
            let sum: u32 = digits
                .bytes()
                .zip((2..=10u32).rev())
                .map(|(b, w)| u32::from(b - b'0') * w)
                .sum();
            match 11 - sum % 11 {
                10 => continue,
                11 => return format!("{digits}0"),
                c => return format!("{digits}{c}"),
            }
        }
    }

    /// Writes the extract of day `day` (to be imported with today = `day` + 1) and moves the model
    /// on: returns the rows written.
    pub fn write_day(&mut self, day: NaiveDate, path: &Path) -> R<usize> {
        let date = day.format("%Y-%m-%d").to_string();
        let mut w = csv::Writer::from_path(path)?;
        w.write_record(&self.header)?;
        let mut rows = 0;
        // Ends: the patient is discharged today.
        for _ in 0..ENDS.min(self.open.len()) {
            let i = self.below(self.open.len());
            if self.open[i].get(START).is_some_and(|s| s >= date.as_str()) {
                continue;
            }
            let mut rec: Vec<String> = self.open.swap_remove(i).iter().map(String::from).collect();
            rec[DELAY_END] = date.clone();
            rec[DISCHARGED] = date.clone();
            rec[PATHWAY] = match self.below(100) {
                0..=49 => "0",
                50..=94 => "1",
                95..=98 => "2",
                _ => "3",
            }
            .into();
            rec[END_KIND] = "discharged".into();
            w.write_record(&rec)?;
            rows += 1;
        }
        // Reason changes: the open period ends today, the next begins today.
        let mut changed = HashSet::new();
        let mut tries = 0;
        while changed.len() < CHANGES.min(self.open.len()) && tries < 10 * CHANGES {
            tries += 1;
            let i = self.below(self.open.len());
            if self.open[i].get(START).is_some_and(|s| s >= date.as_str()) || !changed.insert(i) {
                continue;
            }
            let old: Vec<String> = self.open[i].iter().map(String::from).collect();
            let mut ended = old.clone();
            ended[DELAY_END] = date.clone();
            w.write_record(&ended)?;
            let (mut reason, mut attribution) = self.reason_and_attribution();
            while reason == old[REASON] {
                (reason, attribution) = self.reason_and_attribution();
            }
            let mut next = old;
            next[START] = date.clone();
            next[REASON] = reason.into();
            next[ATTRIBUTION] = attribution.into();
            w.write_record(&next)?;
            self.open[i] = csv::StringRecord::from(next);
            rows += 2;
        }
        // New delays of new stays, at the sites and authorities of open ones.
        let base = self.open.len();
        for _ in 0..NEW {
            let k = self.below(base);
            let like = self.open[k].clone();
            let mut rec: Vec<String> = like.iter().map(String::from).collect();
            rec[0] = format!("DAY{}", self.next_id);
            self.next_id += 1;
            rec[1] = if self.below(5) == 0 {
                self.nhs_number()
            } else {
                String::new()
            };
            let waited = Days::new(self.below(15) as u64);
            rec[6] = (day - waited).format("%Y-%m-%d").to_string();
            rec[START] = date.clone();
            rec[DELAY_END] = String::new();
            let (reason, attribution) = self.reason_and_attribution();
            rec[REASON] = reason.into();
            rec[ATTRIBUTION] = attribution.into();
            for c in [DISCHARGED, PATHWAY, END_KIND] {
                rec[c] = String::new();
            }
            w.write_record(&rec)?;
            self.open.push(csv::StringRecord::from(rec));
            rows += 1;
        }
        w.flush()?;
        Ok(rows)
    }
}

/// Copies a database (and its WAL, if any) to `to`.
pub fn copy_db(from: &Path, to: &Path) -> R<()> {
    super::remove_db(to);
    std::fs::copy(from, to)?;
    let wal = |p: &Path| std::path::PathBuf::from(format!("{}-wal", p.display()));
    if wal(from).exists() {
        std::fs::copy(wal(from), wal(to))?;
    }
    Ok(())
}

/// The daily part: `days` extracts imported one after the other.
pub fn run(
    db: &Path,
    csv: &Path,
    scratch: &Path,
    today: NaiveDate,
    days: usize,
    lines: &mut Vec<Line>,
    notes: &mut Vec<String>,
) -> R<()> {
    let copy = scratch.join("daily.db");
    copy_db(db, &copy)?;
    let mut reg = Register::from_csv(csv, super::SEED)?;
    let open_at_start = reg.open();
    let (mut times, mut last) = (Vec::new(), String::new());
    let mut rows = 0;
    for i in 0..days {
        let day = today + Days::new(i as u64);
        let file = scratch.join("daily-extract.csv");
        rows = reg.write_day(day, &file)?;
        let (t, out) = timed(|| {
            let out = Command::new(env!("CARGO_BIN_EXE_dtoc"))
                .args(["import", "delays"])
                .arg(&file)
                .arg("--db")
                .arg(&copy)
                .args([
                    "--today",
                    &(day + Days::new(1)).to_string(),
                    "--user",
                    "bench",
                ])
                .output()?;
            Ok(out)
        })?;
        anyhow::ensure!(
            out.status.success(),
            "day {day}: dtoc import delays failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        last = String::from_utf8_lossy(&out.stdout).trim().to_string();
        times.push(t);
    }
    let conn = rusqlite::Connection::open(&copy)?;
    let open: i64 = conn.query_row(
        "SELECT count(*) FROM delay WHERE ended_on IS NULL",
        [],
        |r| r.get(0),
    )?;
    drop(conn);
    super::remove_db(&copy);
    anyhow::ensure!(
        open as usize == reg.open(),
        "after {days} days the database holds {open} open delays, the extracts {}",
        reg.open()
    );
    let (m, p) = (median(times.clone()), p99(times));
    lines.push(Line {
        what: format!(
            "a day's extract of {rows} rows ({NEW} new delays, {ENDS} ends, {CHANGES} reason changes) into the national database, `dtoc import delays` (median, p99 of {days} days)"
        ),
        dtoc: format!("{} (p99 {})", ms(m), ms(p)),
        peer: "-".into(),
        ratio: "-".into(),
        goal: "< 200 ms".into(),
        met: p < Duration::from_millis(200),
    });
    notes.push(format!(
        "daily extracts: {days} days from {today}, {open_at_start} open delays at the start, {} after (counted in the database); the last day's import said: {last}",
        reg.open()
    ));
    Ok(())
}
