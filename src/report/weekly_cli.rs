//! The commands of the weekly sitrep, sign-off, reconciliation and audit export: each reads what it
//! needs from the store, computes with the pure functions of [`super::weekly`],
//! [`super::reconcile`] and [`super::audit`], and writes a table, CSV, JSON or XLSX through the
//! one table writer ([`super::table`]): to stdout or `--out FILE`, with `--suppress N` for the
//! weekly report and the reconciliation (the audit export is a list of records, not counts: it has
//! no suppression). The plain terminal output of `report weekly` and `report reconcile` (no
//! `--out`, no `--suppress`) stays the summary written here.
//!
//! `report weekly` gives two tables: by authority (the week's days, the week before, the change,
//! patients delayed at the end) and the detail rows (authority x attribution x reason x care), whose
//! days add up to the authority's (linked for secondary suppression); CSV holds the detail rows
//! only (one table per file). `report reconcile` is one table: an authority's signed and reported
//! days by measure (NHS + Social Care + Both = Total), then the differing days of patients (local
//! ids, never NHS numbers).

use super::cli::{emit, emit_linked};
use super::reconcile::{reconcile, ReconcileInputs, Reconciliation};
use super::suppress::TableCell;
use super::table::{self, Kind, Table, Value};
use super::weekly::{week_figures, WeekFigures};
use crate::cli::{Format, OutputArgs, ReconcileKind};
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

/// The weekly report's tables, by authority and the detail rows, and the links between them (an
/// authority's days = the sum of its detail rows) for [`super::suppress::suppress_tables`].
pub fn weekly_tables(f: &WeekFigures, status: &WeekStatus) -> (Table, Table, Vec<Vec<TableCell>>) {
    let mut by_la = Table::new(
        format!("Week {}: Monday {} to Sunday {}", f.week, f.from, f.to),
        "Weekly by authority",
    );
    by_la
        .notes
        .push(format!("Sign-off: {}", signoff_line(status)));
    by_la.column("la_code", Kind::Text);
    let days = by_la.column("days", Kind::Count);
    let previous = by_la.column("previous_days", Kind::Count);
    by_la.derived_column_of("change", Kind::Integer, &[days, previous]);
    by_la.column("delayed_at_end", Kind::Count);
    by_la.column("previous_delayed_at_end", Kind::Count);
    for l in &f.by_la {
        by_la.rows.push(vec![
            Value::text(&l.la_code),
            Value::Int(l.days),
            Value::Int(l.previous_days),
            Value::Real(l.change as f64),
            Value::Int(l.delayed_at_end),
            Value::Int(l.previous_delayed_at_end),
        ]);
    }
    let mut detail = Table::new(format!("Week {}: delayed days", f.week), "Weekly detail");
    for name in ["week", "la_code", "attribution", "reason", "setting"] {
        detail.column(name, Kind::Text);
    }
    let detail_days = detail.column("days", Kind::Count);
    let mut links = Vec::new();
    for (i, l) in f.by_la.iter().enumerate() {
        let mut group = vec![(0, i, days)];
        for (r, x) in f.rows.iter().enumerate() {
            if x.la_code == l.la_code {
                group.push((1, r, detail_days));
            }
        }
        links.push(group);
    }
    for r in &f.rows {
        detail.rows.push(vec![
            Value::text(&f.week),
            Value::text(&r.la_code),
            Value::text(r.attribution.label()),
            Value::text(r.reason.code()),
            Value::text(r.setting.key()),
            Value::Int(r.days),
        ]);
    }
    (by_la, detail, links)
}

/// `dtoc report weekly`.
pub fn run_weekly(
    store: &Store,
    week: Week,
    format: Format,
    output: &OutputArgs,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    let f = load_week(store, week, today)?;
    let status = store.week_status(week)?;
    if format == Format::Table && output.out.is_none() && output.suppress == 0 {
        return write_weekly_summary(&f, &status, out);
    }
    let (by_la, detail, links) = weekly_tables(&f, &status);
    if format == Format::Csv {
        emit(vec![detail], format, output, today, out)
    } else {
        emit_linked(vec![by_la, detail], &links, format, output, today, out)
    }
}

/// The terminal summary of a week: dates, sign-off, totals, by authority, the detail rows.
fn write_weekly_summary(f: &WeekFigures, status: &WeekStatus, out: &mut dyn Write) -> Result<()> {
    writeln!(out, "Week {}: Monday {} to Sunday {}", f.week, f.from, f.to)?;
    writeln!(out, "Sign-off: {}", signoff_line(status))?;
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

fn pair(x: Option<(crate::domain::ReasonCode, crate::domain::Attribution)>) -> String {
    x.map_or("-".to_string(), |(r, a)| {
        format!("{} {}", r.code(), a.label())
    })
}

/// The reconciliation as one table: per authority and measure, signed and reported days and
/// their difference (NHS + Social Care + Both = Total, for secondary suppression), then each
/// differing day of a patient (local id and date; its local and reported reason and attribution in
/// the two days columns).
pub fn reconcile_table(r: &Reconciliation) -> Table {
    let mut t = Table::new(
        format!("Reconciliation {} (reported: {})", r.month, r.reported_as),
        "Reconciliation",
    );
    if r.unsigned_days > 0 {
        t.notes.push(format!(
            "{} days of the month are in weeks not signed off by both sides ({}): their days are not in the signed figures",
            r.unsigned_days,
            r.unsigned_weeks.join(", ")
        ));
    }
    t.notes.push(format!(
        "Contested days: {}; accepted days: {}",
        r.contested_days, r.accepted_days
    ));
    for name in ["month", "la_code", "measure", "local_id"] {
        t.column(name, Kind::Text);
    }
    t.column("date", Kind::Date);
    let signed_col = t.column("signed_days", Kind::Count);
    let reported_col = t.column("reported_days", Kind::Count);
    t.derived_column_of("difference", Kind::Integer, &[signed_col, reported_col]);
    t.column("status", Kind::Text);
    t.column("note", Kind::Text);
    let mut groups: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for x in &r.rows {
        groups.entry(&x.la_code).or_default().push(t.rows.len());
        t.rows.push(vec![
            Value::text(&r.month),
            Value::text(&x.la_code),
            Value::text(x.measure.key()),
            Value::Empty,
            Value::Empty,
            Value::Int(x.signed_days),
            Value::opt_int(x.reported_days),
            Value::opt_real(x.difference.map(|d| d as f64)),
            Value::text(x.status.map_or("", MarkStatus::key)),
            Value::text(x.note.clone().unwrap_or_default()),
        ]);
    }
    for rows in groups.values() {
        for c in [signed_col, reported_col] {
            t.add_sum(rows.iter().map(|&r| (r, c)).collect());
        }
    }
    for x in &r.day_diffs {
        t.rows.push(vec![
            Value::text(&r.month),
            Value::text(&x.la_code),
            Value::text(x.kind.label()),
            Value::text(&x.local_id),
            Value::Date(x.day),
            Value::text(pair(x.local)),
            Value::text(pair(x.reported)),
            Value::Empty,
            Value::text(x.status.map_or("", MarkStatus::key)),
            Value::text(x.note.clone().unwrap_or_default()),
        ]);
    }
    t
}

/// `dtoc report reconcile`.
pub fn run_reconcile_report(
    store: &Store,
    month: YearMonth,
    format: Format,
    output: &OutputArgs,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    let r = load_reconciliation(store, month)?;
    if format != Format::Table || output.out.is_some() || output.suppress > 0 {
        return emit(vec![reconcile_table(&r)], format, output, today, out);
    }
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

/// `dtoc export audit`: the masked entries as a table (terminal, CSV, XLSX) or as JSON with the
/// period (`{"from", "to", "entries"}`); to stdout, or to `file` (needed for XLSX).
pub fn run_export_audit(
    store: &Store,
    from: NaiveDate,
    to: NaiveDate,
    file: Option<&Path>,
    format: Format,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    if from > to {
        bail!("--from {from} is after --to {to}");
    }
    let end = to.succ_opt().unwrap_or(to);
    let entries = store.audit_between(&from.to_string(), &end.to_string())?;
    let t = super::audit::audit_table(&entries, from, to);
    if format == Format::Json {
        let mut buf = Vec::new();
        serde_json::to_writer_pretty(
            &mut buf,
            &serde_json::json!({"from": from.to_string(), "to": to.to_string(), "entries": table::to_json(&t)}),
        )?;
        writeln!(buf)?;
        match file {
            Some(path) => {
                std::fs::write(path, &buf).map_err(|e| anyhow!("{}: {e}", path.display()))?
            }
            None => out.write_all(&buf)?,
        }
    } else {
        table::write(&[t], format, file, today, out)?;
    }
    if let Some(path) = file {
        writeln!(
            out,
            "{} audit entries from {from} to {to} written to {}",
            entries.len(),
            path.display()
        )?;
    }
    Ok(())
}
