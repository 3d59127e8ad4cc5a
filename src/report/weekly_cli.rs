//! The commands of the weekly sitrep, sign-off, reconciliation and audit export: each reads what it
//! needs from the store, computes with the pure functions of [`super::weekly`],
//! [`super::reconcile`] and [`super::audit`], and writes a table, CSV or JSON.

use super::reconcile::{reconcile, ReconcileInputs, Reconciliation};
use super::weekly::{week_figures, WeekFigures};
use crate::cli::{Format, ReconcileKind};
use crate::domain::{MarkStatus, Measure, Side, Week, YearMonth};
use crate::store::{ReconcileMark, SignWeek, Store, WeekStatus};
use anyhow::{anyhow, bail, Result};
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;

/// A week's figures (as of `today`) and the week before.
pub fn load_week(store: &Store, week: Week, today: NaiveDate) -> Result<WeekFigures> {
    let days = store.week_days(week, today)?;
    let previous = store.week_days(week.prev(), today)?;
    Ok(week_figures(week, &days, &previous))
}

/// `Signed by NHS: …; council: …` or what is missing.
pub fn signoff_line(status: &WeekStatus) -> String {
    let sides: Vec<String> = Side::ALL
        .iter()
        .map(|s| match status.active(*s) {
            Some(x) => format!("{} signed by {} at {}", s.label(), x.signed_by, x.signed_at),
            None => format!("{} not signed", s.label()),
        })
        .collect();
    let frozen = if status.frozen() { " (frozen)" } else { "" };
    format!("{}{frozen}", sides.join("; "))
}

fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

pub fn run_weekly(
    store: &Store,
    week: Week,
    format: Format,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    let f = load_week(store, week, today)?;
    let status = store.week_status(week)?;
    match format {
        Format::Xlsx => bail!("--format xlsx is not available for this report yet"),
        Format::Json => {
            serde_json::to_writer_pretty(
                &mut *out,
                &serde_json::json!({"figures": f, "frozen": status.frozen(), "signoffs": status.signoffs}),
            )?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "week",
                "la_code",
                "attribution",
                "reason",
                "setting",
                "days",
            ])?;
            for r in &f.rows {
                w.write_record([
                    f.week.as_str(),
                    &r.la_code,
                    r.attribution.label(),
                    r.reason.code(),
                    r.setting.key(),
                    &r.days.to_string(),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            writeln!(out, "Week {}: Monday {} to Sunday {}", f.week, f.from, f.to)?;
            writeln!(out, "Sign-off: {}", signoff_line(&status))?;
            writeln!(
                out,
                "Delayed days {} (week before {}, change {}); patients delayed at the week's end {} (week before {})",
                f.total_days,
                f.previous_total_days,
                signed(f.change),
                f.delayed_at_end,
                f.previous_delayed_at_end
            )?;
            let months: Vec<String> = f.by_month.iter().map(|(m, n)| format!("{m} {n}")).collect();
            writeln!(out, "Days by month: {}", months.join(", "))?;
            writeln!(
                out,
                "\n{:<10} {:>6} {:>6} {:>7} {:>7} {:>7}",
                "authority", "days", "before", "change", "at end", "before"
            )?;
            for l in &f.by_la {
                writeln!(
                    out,
                    "{:<10} {:>6} {:>6} {:>7} {:>7} {:>7}",
                    l.la_code,
                    l.days,
                    l.previous_days,
                    signed(l.change),
                    l.delayed_at_end,
                    l.previous_delayed_at_end
                )?;
            }
            writeln!(
                out,
                "\n{:<10} {:<12} {:<6} {:<10} {:>6}",
                "authority", "attribution", "reason", "care", "days"
            )?;
            for r in &f.rows {
                writeln!(
                    out,
                    "{:<10} {:<12} {:<6} {:<10} {:>6}",
                    r.la_code,
                    r.attribution.label(),
                    r.reason.code(),
                    r.setting.key(),
                    r.days
                )?;
            }
        }
    }
    Ok(())
}

pub fn run_signoff(
    store: &mut Store,
    week: Week,
    side: Side,
    by: &str,
    comment: Option<String>,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    let s = store.sign_week(
        &SignWeek {
            week,
            side,
            by: by.to_string(),
            comment,
        },
        today,
    )?;
    let status = store.week_status(week)?;
    writeln!(
        out,
        "week {week} signed for the {} side by {} ({} delayed days); {}",
        side.label(),
        s.signed_by,
        s.days,
        signoff_line(&status)
    )?;
    Ok(())
}

pub fn run_reopen(store: &mut Store, week: Week, reason: &str, out: &mut dyn Write) -> Result<()> {
    let n = store.reopen_week(week, reason)?;
    writeln!(
        out,
        "week {week} reopened: {n} signature(s) cleared (kept in its history)"
    )?;
    Ok(())
}

/// Reads and computes a month's reconciliation.
pub fn load_reconciliation(store: &Store, month: YearMonth) -> Result<Reconciliation> {
    let signed = store.signed_days_between(month.first_day(), month.end_exclusive())?;
    let frozen = store.frozen_weeks()?;
    let totals = store.reported_totals(month)?;
    let days = store.reported_days(month)?;
    let marks = store.reconcile_marks(month)?;
    let patient_la = store.patient_authorities(month)?;
    Ok(reconcile(&ReconcileInputs {
        month,
        signed: &signed,
        frozen_weeks: &frozen,
        totals: &totals,
        days: &days,
        marks: &marks,
        patient_la: &patient_la,
    }))
}

fn opt<T: ToString>(x: Option<T>) -> String {
    x.map_or(String::new(), |v| v.to_string())
}

fn pair(x: Option<(crate::domain::ReasonCode, crate::domain::Attribution)>) -> String {
    x.map_or("-".to_string(), |(r, a)| {
        format!("{} {}", r.code(), a.label())
    })
}

pub fn run_reconcile_report(
    store: &Store,
    month: YearMonth,
    format: Format,
    out: &mut dyn Write,
) -> Result<()> {
    let r = load_reconciliation(store, month)?;
    match format {
        Format::Xlsx => bail!("--format xlsx is not available for this report yet"),
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &r)?;
            writeln!(out)?;
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "month",
                "la_code",
                "measure",
                "local_id",
                "date",
                "signed_days",
                "reported_days",
                "difference",
                "status",
                "note",
            ])?;
            for x in &r.rows {
                w.write_record([
                    r.month.clone(),
                    x.la_code.clone(),
                    x.measure.key().to_string(),
                    String::new(),
                    String::new(),
                    x.signed_days.to_string(),
                    opt(x.reported_days),
                    opt(x.difference),
                    opt(x.status.map(MarkStatus::key)),
                    x.note.clone().unwrap_or_default(),
                ])?;
            }
            for x in &r.day_diffs {
                w.write_record([
                    r.month.clone(),
                    x.la_code.clone(),
                    x.kind.label().to_string(),
                    x.local_id.clone(),
                    x.day.to_string(),
                    pair(x.local),
                    pair(x.reported),
                    String::new(),
                    opt(x.status.map(MarkStatus::key)),
                    x.note.clone().unwrap_or_default(),
                ])?;
            }
            w.flush()?;
        }
        Format::Table => {
            writeln!(
                out,
                "Reconciliation {} (reported: {})",
                r.month, r.reported_as
            )?;
            if r.unsigned_days > 0 {
                writeln!(
                    out,
                    "{} days of the month are in weeks not signed off by both sides ({}): their days are not in the signed figures",
                    r.unsigned_days,
                    r.unsigned_weeks.join(", ")
                )?;
            }
            writeln!(
                out,
                "\n{:<10} {:<12} {:>7} {:>9} {:>11}  {:<10} note",
                "authority", "measure", "signed", "reported", "difference", "status"
            )?;
            for x in &r.rows {
                writeln!(
                    out,
                    "{:<10} {:<12} {:>7} {:>9} {:>11}  {:<10} {}",
                    x.la_code,
                    x.measure.key(),
                    x.signed_days,
                    x.reported_days.map_or("-".to_string(), |v| v.to_string()),
                    x.difference.map_or("-".to_string(), signed),
                    x.status.map_or("", MarkStatus::key),
                    x.note.as_deref().unwrap_or("")
                )?;
            }
            if !r.day_diffs.is_empty() {
                writeln!(
                    out,
                    "\n{:<10} {:<12} {:<10} {:<14} {:<16} {:<16} {:<10}",
                    "authority", "local id", "date", "difference", "local", "reported", "status"
                )?;
                for x in &r.day_diffs {
                    writeln!(
                        out,
                        "{:<10} {:<12} {:<10} {:<14} {:<16} {:<16} {:<10}",
                        x.la_code,
                        x.local_id,
                        x.day,
                        x.kind.label(),
                        pair(x.local),
                        pair(x.reported),
                        x.status.map_or("", MarkStatus::key)
                    )?;
                }
            }
            writeln!(
                out,
                "\nContested days: {}; accepted days: {}",
                r.contested_days, r.accepted_days
            )?;
        }
    }
    Ok(())
}

/// What a mark is about: an authority's difference, or one patient's day.
pub struct MarkRequest<'a> {
    pub month: YearMonth,
    pub la: &'a str,
    pub measure: Measure,
    pub day: Option<(&'a str, NaiveDate)>,
    pub status: MarkStatus,
    pub note: &'a str,
}

/// Marks a difference found by the reconciliation; returns the days it covers.
pub fn mark_difference(store: &mut Store, req: &MarkRequest<'_>) -> Result<u64> {
    let r = load_reconciliation(store, req.month)?;
    let days = match req.day {
        None => {
            let row = r
                .rows
                .iter()
                .find(|x| x.la_code == req.la && x.measure == req.measure)
                .ok_or_else(|| {
                    anyhow!(
                        "{} {} {}: no figures to reconcile (see dtoc report reconcile --month {})",
                        req.month,
                        req.la,
                        req.measure.key(),
                        req.month
                    )
                })?;
            match row.difference {
                Some(d) if d != 0 => d.unsigned_abs(),
                Some(_) => bail!(
                    "{} {} {}: signed and reported days agree ({}): nothing to mark",
                    req.month,
                    req.la,
                    req.measure.key(),
                    row.signed_days
                ),
                None => bail!(
                    "{} {} {}: nothing reported yet (dtoc import reported FILE)",
                    req.month,
                    req.la,
                    req.measure.key()
                ),
            }
        }
        Some((id, date)) => {
            if !r
                .day_diffs
                .iter()
                .any(|x| x.local_id == id && x.day == date && x.la_code == req.la)
            {
                bail!(
                    "{} {id} {date}: no difference on that day for {} (see dtoc report reconcile --month {})",
                    req.month,
                    req.la,
                    req.month
                );
            }
            1
        }
    };
    store.set_reconcile_mark(&ReconcileMark {
        month: req.month.key(),
        la_code: req.la.to_string(),
        measure: req.measure,
        local_id: req.day.map(|(id, _)| id.to_string()).unwrap_or_default(),
        day: req.day.map(|(_, d)| d),
        status: req.status,
        days,
        note: req.note.to_string(),
        marked_by: store.user().to_string(),
        marked_at: String::new(),
    })?;
    Ok(days)
}

pub fn run_reconcile(store: &mut Store, what: ReconcileKind, out: &mut dyn Write) -> Result<()> {
    match what {
        ReconcileKind::Mark {
            month,
            la,
            measure,
            local_id,
            date,
            status,
            note,
        } => {
            let measure = Measure::parse(&measure).map_err(|e| anyhow!(e))?;
            let status = MarkStatus::parse(&status).map_err(|e| anyhow!(e))?;
            let day = local_id.as_deref().zip(date);
            let days = mark_difference(
                store,
                &MarkRequest {
                    month,
                    la: &la,
                    measure,
                    day,
                    status,
                    note: &note,
                },
            )?;
            let r = load_reconciliation(store, month)?;
            writeln!(
                out,
                "{month} {la} {}: {days} days marked {}; the month has {} contested days",
                measure.key(),
                status.key(),
                r.contested_days
            )?;
            Ok(())
        }
    }
}

pub fn run_export_audit(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    file: Option<&Path>,
    json: bool,
    out: &mut dyn Write,
) -> Result<()> {
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    let end = to.succ_opt().unwrap_or(to);
    let entries = store.audit_between(&from.to_string(), &end.to_string())?;
    let (f, t) = (from.to_string(), to.to_string());
    match file {
        Some(path) => {
            let mut w =
                std::fs::File::create(path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
            super::audit::write_audit(&entries, &f, &t, json, &mut w)?;
            writeln!(
                out,
                "{} audit entries from {from} to {to} written to {}",
                entries.len(),
                path.display()
            )?;
        }
        None => super::audit::write_audit(&entries, &f, &t, json, out)?,
    }
    Ok(())
}
