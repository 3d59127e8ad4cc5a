//! `dtoc report pathways|drd|los|nctr`: reads the stays, census and targets a report needs, computes
//! it with [`super::discharge`], and writes a table, CSV or JSON (aggregates only: no identifiers,
//! except the table of `los --ready-over N`, the list the Monday sitrep call reviews, which shows
//! local hospital numbers and never NHS numbers).

use super::cli::range;
use super::discharge::{self, Level, ShareVsTarget, Targets};
use crate::cli::{Format, ReportKind};
use crate::domain::{length_of_stay, Destination, YearMonth, DRD_BANDS};
use crate::store::Store;
use anyhow::{bail, Result};
use chrono::NaiveDate;
use std::io::Write;

/// A percentage for CSV (6 decimals) or the table (1 decimal); empty or `-` when missing.
fn pct(x: Option<f64>, table: bool) -> String {
    match (x, table) {
        (Some(v), true) => format!("{v:.1}%"),
        (Some(v), false) => format!("{v:.6}"),
        (None, true) => "-".to_string(),
        (None, false) => String::new(),
    }
}

fn avg(x: Option<f64>, table: bool) -> String {
    match (x, table) {
        (Some(v), true) => format!("{v:.2}"),
        (Some(v), false) => format!("{v:.6}"),
        (None, true) => "-".to_string(),
        (None, false) => String::new(),
    }
}

/// Target, RAG and comparison columns.
fn judged(t: &Option<ShareVsTarget>, table: bool) -> [String; 3] {
    match t {
        Some(t) => [
            pct(Some(t.target_percent), table),
            t.rag.as_str().to_string(),
            t.vs_target.as_str().to_string(),
        ],
        None => {
            let e = if table { "-" } else { "" };
            [e.to_string(), e.to_string(), e.to_string()]
        }
    }
}

fn lead(level: &Level) -> [String; 2] {
    [level.kind().to_string(), level.code().to_string()]
}

/// Writes rows as CSV, or as an aligned table of the columns `shown`, or `json` as JSON.
fn emit(
    header: &[String],
    rows: &[Vec<String>],
    shown: &[usize],
    json: serde_json::Value,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record(header)?;
            for r in rows {
                w.write_record(r)?;
            }
            w.flush()?;
        }
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &json)?;
            writeln!(out)?;
        }
        Format::Xlsx => bail!("--format xlsx is not available for this report yet"),
        Format::Table => {
            let shown: Vec<usize> = shown
                .iter()
                .copied()
                .filter(|&c| c < header.len())
                .collect();
            let widths: Vec<usize> = shown
                .iter()
                .map(|&c| {
                    rows.iter()
                        .map(|r| r.get(c).map_or(0, |x| x.chars().count()))
                        .chain([header[c].chars().count()])
                        .max()
                        .unwrap_or(0)
                })
                .collect();
            let line = |cells: &[String]| {
                shown
                    .iter()
                    .zip(&widths)
                    .map(|(&c, w)| {
                        let cell = cells.get(c).map_or("", String::as_str);
                        format!("{cell:>w$}")
                    })
                    .collect::<Vec<_>>()
                    .join("  ")
            };
            writeln!(out, "{}", line(header))?;
            for r in rows {
                writeln!(out, "{}", line(r))?;
            }
        }
    }
    Ok(())
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Runs one of the discharge reports.
pub fn run(store: &Store, what: ReportKind, today: NaiveDate, out: &mut dyn Write) -> Result<()> {
    match what {
        ReportKind::Pathways { range: r } => {
            let (from, to) = range(&r, today)?;
            let stays = store.stay_facts(from.first_day(), to.end_exclusive(), &r.la)?;
            let targets = Targets::new(&store.discharge_targets(from, to)?);
            let rows = discharge::pathways(&stays, from, to, &targets);
            let t = r.format == Format::Table;
            let mut header = strings(&["month", "level", "code", "discharges"]);
            header.extend((0..4).map(|p| format!("p{p}")));
            header.push("unknown_pathway".into());
            header.extend((0..4).map(|p| format!("p{p}_share_of_all")));
            header.extend((0..4).map(|p| format!("p{p}_share_of_known")));
            header.extend(strings(&["p1_target", "p1_rag", "p1_vs_target"]));
            header.extend(strings(&[
                "usual_residence",
                "usual_residence_recorded",
                "usual_residence_share",
                "usual_residence_target",
                "usual_residence_rag",
                "usual_residence_vs_target",
            ]));
            header.extend(Destination::ALL.iter().map(|d| d.code().to_string()));
            header.push("unknown_destination".into());
            let lines: Vec<Vec<String>> = rows
                .iter()
                .map(|x| {
                    let mut v = vec![x.month.key()];
                    v.extend(lead(&x.level));
                    v.push(x.discharges.to_string());
                    v.extend(x.by_pathway.iter().map(u64::to_string));
                    v.push(x.unknown_pathway.to_string());
                    v.extend(x.share_of_all.iter().map(|s| pct(*s, t)));
                    v.extend(x.share_of_known.iter().map(|s| pct(*s, t)));
                    v.extend(judged(&x.pathway1_target, t));
                    v.push(x.usual_residence.to_string());
                    v.push(x.usual_residence_recorded.to_string());
                    v.push(pct(x.usual_residence_share, t));
                    v.extend(judged(&x.usual_residence_target, t));
                    v.extend(x.by_destination.iter().map(u64::to_string));
                    v.push(x.unknown_destination.to_string());
                    v
                })
                .collect();
            // Table: counts, shares of known pathways, P1 target and RAG, usual residence.
            let shown = [
                0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 14, 15, 16, 17, 18, 22, 23, 24,
            ];
            emit(
                &header,
                &lines,
                &shown,
                serde_json::to_value(&rows)?,
                r.format,
                out,
            )?;
            if t {
                writeln!(
                    out,
                    "shares are of discharges with a known pathway; `unknown_pathway` counts those with none (CSV/JSON also give shares of all discharges)"
                )?;
            }
            Ok(())
        }
        ReportKind::Drd { range: r } => {
            let (from, to) = range(&r, today)?;
            let stays = store.stay_facts(from.first_day(), to.end_exclusive(), &r.la)?;
            let targets = Targets::new(&store.discharge_targets(from, to)?);
            let rows = discharge::drd(&stays, from, to, &targets);
            let t = r.format == Format::Table;
            let mut header = strings(&[
                "month",
                "level",
                "code",
                "discharges",
                "no_ready_date",
                "bed_days_lost",
                "average_days",
                "average_days_excluding_0",
            ]);
            header.extend(DRD_BANDS.iter().map(|b| format!("days_{}", b.0)));
            header.extend(DRD_BANDS.iter().map(|b| format!("share_{}", b.0)));
            header.extend(strings(&[
                "within_24h",
                "within_24h_share",
                "within_24h_target",
                "within_24h_rag",
                "within_24h_vs_target",
            ]));
            let lines: Vec<Vec<String>> = rows
                .iter()
                .map(|x| {
                    let mut v = vec![x.month.key()];
                    v.extend(lead(&x.level));
                    v.push(x.discharges.to_string());
                    v.push(x.no_ready_date.to_string());
                    v.push(x.bed_days_lost.to_string());
                    v.push(avg(x.average_days, t));
                    v.push(avg(x.average_days_excluding_0, t));
                    v.extend(x.bands.iter().map(u64::to_string));
                    v.extend(x.band_shares.iter().map(|s| pct(*s, t)));
                    v.push(x.within_24h.to_string());
                    v.push(pct(x.within_24h_share, t));
                    v.extend(judged(&x.within_24h_target, t));
                    v
                })
                .collect();
            let mut shown: Vec<usize> = (0..15).collect();
            shown.extend([22, 23, 24, 25, 26]);
            emit(
                &header,
                &lines,
                &shown,
                serde_json::to_value(&rows)?,
                r.format,
                out,
            )
        }
        ReportKind::Los {
            range: r,
            date,
            ready_over,
        } => {
            let days = match date {
                Some(d) => vec![d],
                None => {
                    let (from, to) = range(&r, today)?;
                    discharge::mondays(from.first_day(), to.last_day().min(today))
                }
            };
            let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
                bail!("no Monday in the range up to {today}: give --date YYYY-MM-DD");
            };
            let stays = store.stay_facts(first, last.succ_opt().unwrap_or(last), &r.la)?;
            let census: Vec<_> = store
                .census_between(first, last)?
                .into_iter()
                .filter(|c| r.la.is_empty() || r.la.contains(&c.2))
                .collect();
            let targets =
                Targets::new(&store.discharge_targets(YearMonth::of(first), YearMonth::of(last))?);
            let rows = discharge::los(&stays, &census, &days, &targets);
            let t = r.format == Format::Table;
            let mut header = strings(&[
                "day",
                "level",
                "code",
                "recorded",
                "denominator",
                "denominator_source",
            ]);
            header.extend(strings(&["los7", "los14", "los21"]));
            header.extend(strings(&["los7_share", "los14_share", "los21_share"]));
            header.extend(strings(&[
                "extra_bed_days7",
                "extra_bed_days14",
                "extra_bed_days21",
            ]));
            header.extend(strings(&["los14_target", "los14_rag", "los14_vs_target"]));
            header.extend(strings(&["los21_target", "los21_rag", "los21_vs_target"]));
            let lines: Vec<Vec<String>> = rows
                .iter()
                .map(|x| {
                    let mut v = vec![x.day.to_string()];
                    v.extend(lead(&x.level));
                    v.push(x.recorded.to_string());
                    v.push(x.denominator.map_or(String::new(), |d| d.to_string()));
                    v.push(x.denominator_source.as_str().to_string());
                    v.extend(x.counts.iter().map(u64::to_string));
                    v.extend(x.shares.iter().map(|s| pct(*s, t)));
                    v.extend(x.extra_bed_days.iter().map(u64::to_string));
                    v.extend(judged(&x.los14_target, t));
                    v.extend(judged(&x.los21_target, t));
                    v
                })
                .collect();
            // Table: all but the `vs_target` texts.
            let shown: Vec<usize> = (0..20).filter(|c| *c != 17).collect();
            emit(
                &header,
                &lines,
                &shown,
                serde_json::to_value(&rows)?,
                r.format,
                out,
            )?;
            if let (Some(n), true) = (ready_over, t) {
                let day = date.unwrap_or(today);
                writeln!(out, "\nReady for more than {n} days on {day}:")?;
                writeln!(
                    out,
                    "{:<12} {:<8} {:<10} {:<10} {:>6} {:>5}",
                    "local id", "site", "la_code", "ready on", "ready", "LOS"
                )?;
                let stays = store.stay_facts(day, day.succ_opt().unwrap_or(day), &r.la)?;
                let mut list: Vec<(i64, &crate::domain::StayFacts, NaiveDate)> = stays
                    .iter()
                    .filter(|s| s.is_inpatient(day))
                    .filter_map(|s| {
                        let d = s.delays.iter().find(|d| d.open_at_end_of(day))?;
                        let ready = (day - d.ready_on).num_days();
                        (ready > i64::from(n)).then_some((ready, s, d.ready_on))
                    })
                    .collect();
                list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.local_id.cmp(&b.1.local_id)));
                for (ready, s, on) in list {
                    writeln!(
                        out,
                        "{:<12} {:<8} {:<10} {:<10} {:>6} {:>5}",
                        s.local_id,
                        s.site_code,
                        s.la_code,
                        on,
                        ready,
                        length_of_stay(s.admitted_on, day).unwrap_or(0)
                    )?;
                }
            }
            if t {
                writeln!(
                    out,
                    "bands are nested (7+ includes 14+ includes 21+); shares are of `denominator` inpatients, from `denominator_source`"
                )?;
            }
            Ok(())
        }
        ReportKind::Nctr { range: r, date } => {
            let days = match date {
                Some(d) => vec![d],
                None => {
                    let (from, to) = range(&r, today)?;
                    let last = to.last_day().min(today.pred_opt().unwrap_or(today));
                    discharge::days_between(from.first_day(), last)
                }
            };
            let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
                bail!("no complete day in the range before {today}: give --date YYYY-MM-DD");
            };
            let stays = store.stay_facts(first, last.succ_opt().unwrap_or(last), &r.la)?;
            let rows = discharge::nctr(&stays, &days);
            let header = strings(&[
                "day",
                "level",
                "code",
                "not_meeting_criteria",
                "discharged",
                "remaining",
            ]);
            let lines: Vec<Vec<String>> = rows
                .iter()
                .map(|x| {
                    let mut v = vec![x.day.to_string()];
                    v.extend(lead(&x.level));
                    v.extend([x.not_meeting, x.discharged, x.remaining].map(|n| n.to_string()));
                    v
                })
                .collect();
            emit(
                &header,
                &lines,
                &[0, 1, 2, 3, 4, 5],
                serde_json::to_value(&rows)?,
                r.format,
                out,
            )
        }
        _ => bail!("not a discharge report"),
    }
}
