//! `dtoc report weekly`, `signoff`, `reopen`, `report reconcile` and `reconcile mark`: each reads
//! what it needs from the store, computes with `report::weekly` and `report::reconcile`, and writes
//! through [`super::output`]: the tables (`report::weekly_table`) as table, CSV, JSON or XLSX to
//! stdout or a file, with suppression; the plain terminal output (no file, no suppression) is the
//! summary written here, fixed-width columns through [`write_columns`].

use super::output::{
    emit, emit_linked, write_columns, Align::Left as L, Align::Right as R, Dest, Format,
};
use crate::domain::{LaCode, MarkStatus, Measure, Side, Week, YearMonth};
use crate::report::reconcile::{reconcile, ReconcileInputs, Reconciliation};
use crate::report::table::Value;
use crate::report::weekly::{week_figures_as_of, WeekFigures};
use crate::report::weekly_table::{pair, part_week_note, reconcile_table, signed};
use crate::report::weekly_table::{signoff_line, weekly_tables};
use crate::store::{ReconcileMark, SignWeek, Store, WeekStatus};
use anyhow::{anyhow, bail, Result};
use chrono::NaiveDate;
use std::io::Write;

/// A week's figures (as of `today`) and the week before.
pub fn load_week(store: &Store, week: Week, today: NaiveDate) -> crate::Result<WeekFigures> {
    let days = store.week_days(week, today)?;
    let previous = store.week_days(week.prev(), today)?;
    Ok(week_figures_as_of(week, &days, &previous, today))
}

/// `dtoc report weekly`.
pub fn weekly(
    store: &Store,
    week: Week,
    format: Format,
    dest: &Dest,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    super::monthly::not_future("--week", &week, week.start(), today)?;
    // Before coverage (issue 24) a week's days were never all recorded: no figures, not zeros.
    let cover = store.coverage()?;
    if let Some(day) = cover.from_day().filter(|_| !cover.covers_day(week.start())) {
        anyhow::bail!(
            "week {week} begins before the register's coverage: its record is complete from {day} ({})",
            cover.sites_text()
        );
    }
    let f = load_week(store, week, today)?;
    let status = store.week_status(week)?;
    // The week before is compared only when it is covered too: else its figures are blank.
    let uncompared = (!cover.covers_day(week.start() - chrono::Days::new(7)))
        .then(|| {
            cover.from_day().map(|day| {
                format!(
                    "the week before begins before the register's coverage (figures from {day}): not compared, its figures blank"
                )
            })
        })
        .flatten();
    if format == Format::Table && dest.is_terminal() {
        return write_weekly_summary(&f, &status, uncompared.as_deref(), out);
    }
    let (mut by_la, detail, links) = weekly_tables(&f, &status);
    if let Some(note) = uncompared {
        let cols: Vec<usize> = ["previous_days", "change", "previous_delayed_at_end"]
            .iter()
            .filter_map(|c| by_la.index_of(c))
            .collect();
        for row in &mut by_la.rows {
            for &c in &cols {
                row[c] = Value::Empty;
            }
        }
        by_la.notes.push(note);
    }
    if format == Format::Csv {
        emit(vec![detail], format, dest, today, out)
    } else {
        emit_linked(vec![by_la, detail], &links, format, dest, today, out)
    }
}

/// The terminal summary of a week: dates, sign-off, totals, by authority, the detail rows.
fn write_weekly_summary(
    f: &WeekFigures,
    status: &WeekStatus,
    uncompared: Option<&str>,
    out: &mut dyn Write,
) -> Result<()> {
    writeln!(out, "Week {}: Monday {} to Sunday {}", f.week, f.from, f.to)?;
    writeln!(out, "Sign-off: {}", signoff_line(status))?;
    match (part_week_note(f), uncompared) {
        (part, Some(note)) => {
            if let Some(p) = part {
                writeln!(out, "{p}")?;
            }
            writeln!(
                out,
                "Delayed days {}; patients delayed at the end {} ({note})",
                f.total_days, f.delayed_at_end
            )?
        }
        (None, None) => writeln!(
            out,
            "Delayed days {} (week before {}, change {}); patients delayed at the week's end {} (week before {})",
            f.total_days,
            f.previous_total_days,
            signed(f.change),
            f.delayed_at_end,
            f.previous_delayed_at_end
        )?,
        (Some(note), None) => {
            writeln!(out, "{note}")?;
            writeln!(
                out,
                "Delayed days to date {} (same days of the week before {}, change {}); patients delayed at the end {} (week before {})",
                f.total_days,
                f.previous_total_days,
                signed(f.change),
                f.delayed_at_end,
                f.previous_delayed_at_end
            )?;
        }
    }
    let months: Vec<String> = f.by_month.iter().map(|(m, n)| format!("{m} {n}")).collect();
    writeln!(out, "Days by month: {}", months.join(", "))?;
    writeln!(out)?;
    // Each figure beside the same figure of the week before.
    let head = [
        "authority",
        "delayed days",
        "week before",
        "change",
        "delayed at end",
        "week before",
    ];
    let mut lines = vec![head.map(String::from).to_vec()];
    let before = |s: String| if uncompared.is_some() { "-".into() } else { s };
    for l in &f.by_la {
        lines.push(vec![
            l.la_code.to_string(),
            l.days.to_string(),
            before(l.previous_days.to_string()),
            before(signed(l.change)),
            l.delayed_at_end.to_string(),
            before(l.previous_delayed_at_end.to_string()),
        ]);
    }
    let cols = [L(10), R(12), R(11), R(6), R(14), R(11)];
    write_columns(out, &cols, &lines)?;
    writeln!(out)?;
    let head = ["authority", "attribution", "reason", "care", "days"];
    let mut lines = vec![head.map(String::from).to_vec()];
    for r in &f.rows {
        lines.push(vec![
            r.la_code.to_string(),
            r.attribution.label().to_string(),
            r.reason.code().to_string(),
            r.setting.key().to_string(),
            r.days.to_string(),
        ]);
    }
    write_columns(out, &[L(10), L(12), L(6), L(10), R(6)], &lines)
}

pub fn signoff(
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

pub fn reopen(store: &mut Store, week: Week, reason: &str, out: &mut dyn Write) -> Result<()> {
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

/// `dtoc report reconcile`.
pub fn reconcile_report(
    store: &Store,
    month: YearMonth,
    format: Format,
    dest: &Dest,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    super::monthly::month_not_future("--month", month, today)?;
    let r = load_reconciliation(store, month)?;
    if format != Format::Table || !dest.is_terminal() {
        return emit(vec![reconcile_table(&r)], format, dest, today, out);
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
    writeln!(out)?;
    let head = [
        "authority",
        "measure",
        "signed",
        "reported",
        "difference",
        "",
        "status",
        "note",
    ];
    let mut lines = vec![head.map(String::from).to_vec()];
    for x in &r.rows {
        lines.push(vec![
            x.la_code.to_string(),
            x.measure.key().to_string(),
            x.signed_days.to_string(),
            x.reported_days.map_or("-".to_string(), |v| v.to_string()),
            x.difference.map_or("-".to_string(), signed),
            String::new(),
            x.status.map_or("", MarkStatus::key).to_string(),
            x.note.clone().unwrap_or_default(),
        ]);
    }
    let cols = [L(10), L(12), R(7), R(9), R(11), L(0), L(10), L(0)];
    write_columns(out, &cols, &lines)?;
    if !r.day_diffs.is_empty() {
        writeln!(out)?;
        let head = [
            "authority",
            "local id",
            "date",
            "difference",
            "local",
            "reported",
            "status",
        ];
        let mut lines = vec![head.map(String::from).to_vec()];
        for x in &r.day_diffs {
            lines.push(vec![
                x.la_code.to_string(),
                x.local_id.clone(),
                x.day.to_string(),
                x.kind.label().to_string(),
                pair(x.local),
                pair(x.reported),
                x.status.map_or("", MarkStatus::key).to_string(),
            ]);
        }
        let cols = [L(10), L(12), L(10), L(14), L(16), L(16), L(10)];
        write_columns(out, &cols, &lines)?;
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
        month: req.month,
        la_code: LaCode::parse(req.la)?,
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

/// `dtoc reconcile mark`: marks the difference `req` names and says what the month has left.
pub fn mark(store: &mut Store, req: &MarkRequest<'_>, out: &mut dyn Write) -> Result<()> {
    let days = mark_difference(store, req)?;
    let r = load_reconciliation(store, req.month)?;
    writeln!(
        out,
        "{} {} {}: {days} days marked {}; the month has {} contested days",
        req.month,
        req.la,
        req.measure.key(),
        req.status.key(),
        r.contested_days
    )?;
    Ok(())
}
