//! `dtoc report weekly`, `signoff`, `reopen`, `report reconcile` and `reconcile mark`: each reads
//! what it needs from the store, computes with `report::weekly` and `report::reconcile`, and writes
//! through [`super::output`]: the tables (`report::weekly_table`) as table, CSV, JSON or XLSX to
//! stdout or a file, with suppression, in one layout whatever the destination.

use super::output::{emit, emit_suppressed, Dest, Format};
use crate::domain::{LaCode, MarkStatus, Measure, Side, Week, YearMonth};
use crate::report::reconcile::{reconcile, ReconcileInputs, Reconciliation};
use crate::report::suppress::suppress_tables;
use crate::report::table::Value;
use crate::report::weekly::{week_figures_as_of, WeekFigures};
use crate::report::weekly_table::{reconcile_table, signed};
use crate::report::weekly_table::{signoff_line, weekly_tables};
use crate::store::{ReconcileMark, SignWeek, Store};
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
    let (mut by_la, mut detail, links) = weekly_tables(&f, &status);
    // The totals and the days by month, as the summary above the tables (one layout in every
    // format, whether or not --out or --suppress is given; counts that --suppress hides are not
    // repeated here when it is given).
    if dest.suppress == 0 {
        by_la.notes.extend(weekly_totals(&f, uncompared.as_deref()));
    } else {
        by_la.notes.push(
            "Totals not shown under --suppress (with the figures shown they could reveal a suppressed one)".into(),
        );
    }
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
    hide_week_decided(
        store,
        week,
        &f,
        &mut by_la,
        &mut detail,
        today,
        dest.suppress,
    )?;
    // One suppression in every format: the CSV writes the detail rows alone, but hides what the
    // JSON, XLSX and table hide with the week's total by authority beside them (else the CSV's
    // detail beside the JSON's total would give a hidden cell back: 8 − 7 = 1).
    let mut tables = vec![by_la, detail];
    suppress_tables(&mut tables, &links, dest.suppress);
    if format == Format::Csv {
        tables.remove(0);
    }
    emit_suppressed(&tables, format, dest, today, out)
}

/// Hides the week's figures as the decision of its month hides them (`--suppress n`): the days
/// of a week whose days are all in one month are figures of that month's cube; so is the week
/// before's (`previous_days`) when it is whole and in one month. A week across two months is shown
/// whole by no month's cube: its table's own suppression decides.
fn hide_week_decided(
    store: &Store,
    week: Week,
    f: &WeekFigures,
    by_la: &mut crate::report::table::Table,
    detail: &mut crate::report::table::Table,
    today: NaiveDate,
    n: u64,
) -> Result<()> {
    use crate::report::suppress::{hide_decided, Figure};
    let month_of = |w: Week| {
        let m = YearMonth::of(w.start());
        (YearMonth::of(w.last_day()) == m).then_some(m)
    };
    let months = [month_of(week), month_of(week.prev())];
    let decided = super::suppression::decided(store, months.into_iter().flatten(), today, n)?;
    let one = |x: Option<(YearMonth, Figure)>| x.into_iter().collect::<Vec<_>>();
    hide_decided(by_la, "days", &decided, |i| {
        one(months[0]
            .zip(f.by_la.get(i))
            .map(|(m, l)| (m, Figure::la(&l.la_code).week(week))))
    });
    if f.complete {
        let prev = week.prev();
        hide_decided(by_la, "previous_days", &decided, |i| {
            one(months[1]
                .zip(f.by_la.get(i))
                .map(|(m, l)| (m, Figure::la(&l.la_code).week(prev))))
        });
    }
    hide_decided(detail, "days", &decided, |i| {
        one(months[0].zip(f.rows.get(i)).map(|(m, r)| {
            let cell = Figure::la(&r.la_code)
                .attribution(r.attribution)
                .reason(r.reason)
                .setting(r.setting)
                .week(week);
            (m, cell)
        }))
    });
    Ok(())
}

/// The week's totals and its days by month, in words (a part week against the same days of the
/// week before; no comparison, `uncompared` saying why, when the week before is not covered).
fn weekly_totals(f: &WeekFigures, uncompared: Option<&str>) -> Vec<String> {
    let months: Vec<String> = f.by_month.iter().map(|(m, n)| format!("{m} {n}")).collect();
    let to_date = if f.complete { "" } else { " to date" };
    let totals = match uncompared {
        Some(note) => format!(
            "Delayed days{to_date} {}; patients delayed at the end {} ({note})",
            f.total_days, f.delayed_at_end
        ),
        None if f.complete => format!(
            "Delayed days {} (week before {}, change {}); patients delayed at the week's end {} (week before {})",
            f.total_days,
            f.previous_total_days,
            signed(f.change),
            f.delayed_at_end,
            f.previous_delayed_at_end
        ),
        None => format!(
            "Delayed days to date {} (same days of the week before {}, change {}); patients delayed at the end {} (week before {})",
            f.total_days,
            f.previous_total_days,
            signed(f.change),
            f.delayed_at_end,
            f.previous_delayed_at_end
        ),
    };
    vec![totals, format!("Days by month: {}", months.join(", "))]
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

/// `dtoc signoff-rule`: sets the hub's rule on one user signing both sides (`Some`), and says it.
pub fn signoff_rule(store: &mut Store, same_user: Option<bool>, out: &mut dyn Write) -> Result<()> {
    if let Some(allowed) = same_user {
        store.set_signoff_same_user(allowed)?;
    }
    writeln!(
        out,
        "{}",
        same_user_rule(store.signoff_same_user_allowed()?)
    )?;
    Ok(())
}

/// The hub's sign-off rule in words.
pub fn same_user_rule(allowed: bool) -> &'static str {
    if allowed {
        "sign-off rule: one user may sign both sides of a week (the week's history says so when one does)"
    } else {
        "sign-off rule: the two sides of a week are signed by two different users (the user of the first signature cannot sign the second)"
    }
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
    load_reconciliation_as_of(store, month, month.end_exclusive())
}

/// [`load_reconciliation`] as of `today`: the unsigned days are the days before today only.
pub fn load_reconciliation_as_of(
    store: &Store,
    month: YearMonth,
    today: NaiveDate,
) -> Result<Reconciliation> {
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
        today,
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
    let r = load_reconciliation_as_of(store, month, today)?;
    // One layout in every format, whether or not --out or --suppress is given.
    emit(vec![reconcile_table(&r)], format, dest, today, out)
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
