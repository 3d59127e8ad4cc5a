//! The tables of `dtoc report weekly` and `dtoc report reconcile` (pure: figures in, tables out;
//! `commands::weekly` reads the store and writes them).
//!
//! `report weekly` gives two tables: by authority (the week's days, the week before, the change,
//! patients delayed at the end) and the detail rows (authority x attribution x reason x care), whose
//! days add up to the authority's (linked for secondary suppression); CSV holds the detail rows
//! only (one table per file). `report reconcile` is one table: an authority's signed and reported
//! days by measure (NHS + Social Care + Both = Total), then the differing days of patients (local
//! ids, never NHS numbers).

use super::reconcile::Reconciliation;
use super::suppress::TableCell;
use super::table::{Kind, Table, Value};
use super::weekly::WeekFigures;
use crate::domain::{MarkStatus, Side};
use crate::store::WeekStatus;

/// `NHS signed by … at …: "comment"; council not signed`: each side's signature with its comment
/// (issue 26), then whether the week is frozen and, when one user signed both sides (as the hub's
/// rule may allow), that user.
pub fn signoff_line(status: &WeekStatus) -> String {
    signoff_line_at(status, |at| at.to_string())
}

/// [`signoff_line`] with each signature's time as `at` shows it (the screens: local time).
pub fn signoff_line_at(status: &WeekStatus, at: impl Fn(&str) -> String) -> String {
    let sides: Vec<String> = Side::ALL
        .iter()
        .map(|s| match status.active(*s) {
            Some(x) => format!(
                "{} signed by {} at {}{}",
                s.label(),
                x.signed_by,
                at(&x.signed_at),
                x.comment
                    .as_deref()
                    .map_or(String::new(), |c| format!(": \"{c}\""))
            ),
            None => format!("{} not signed", s.label()),
        })
        .collect();
    let frozen = if status.frozen() { " (frozen)" } else { "" };
    let same = match Side::ALL.map(|s| status.active(s).and_then(|x| x.user.as_deref())) {
        [Some(a), Some(b)] if a == b => format!("; both sides signed by the same user ({a})"),
        _ => String::new(),
    };
    format!("{}{frozen}{same}", sides.join("; "))
}

pub fn signed(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

/// For a week in progress: what its figures cover and what they are compared with (docs/measures.md: a
/// part week is compared with the same days of the week before, never with a whole week).
pub fn part_week_note(f: &WeekFigures) -> Option<String> {
    if f.complete {
        return None;
    }
    let last = f.from + chrono::Days::new(u64::from(f.days_counted.max(1)) - 1);
    Some(format!(
        "Week in progress: {} of 7 days counted ({} to {last}); compared with the same {} days of the week before; at end = on {last}",
        f.days_counted, f.from, f.days_counted
    ))
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
    by_la.column("complete", Kind::Bool);
    by_la.notes.extend(part_week_note(f));
    for l in &f.by_la {
        by_la.rows.push(vec![
            Value::text(&l.la_code),
            Value::Int(l.days),
            Value::Int(l.previous_days),
            Value::Real(l.change as f64),
            Value::Int(l.delayed_at_end),
            Value::Int(l.previous_delayed_at_end),
            Value::Bool(f.complete),
        ]);
    }
    let mut detail = Table::new(format!("Week {}: delayed days", f.week), "Weekly detail");
    for name in ["week", "la_code", "attribution", "reason", "setting"] {
        detail.column(name, Kind::Text);
    }
    let detail_days = detail.column("days", Kind::Count);
    detail.column("complete", Kind::Bool);
    detail.notes.extend(part_week_note(f));
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
            Value::Bool(f.complete),
        ]);
    }
    (by_la, detail, links)
}

pub fn pair(x: Option<(crate::domain::ReasonCode, crate::domain::Attribution)>) -> String {
    x.map_or("-".to_string(), |(r, a)| {
        format!("{} {}", r.code(), a.label())
    })
}

/// The reconciliation as one table: per authority and measure, signed and reported days and
/// their difference (NHS + Social Care + Both = Total, for secondary suppression), then each
/// differing day of a patient (local id and date; its local and reported reason and attribution in
/// the `local` and `reported` columns); every row carries the month's unsigned days and weeks
/// (`unsigned_days`, `unsigned_weeks`), and a month with neither signed nor reported days has one
/// row saying so.
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
    t.column("month", Kind::Month);
    for name in ["la_code", "measure", "local_id"] {
        t.column(name, Kind::Text);
    }
    t.column("date", Kind::Date);
    let signed_col = t.column("signed_days", Kind::Count);
    let reported_col = t.column("reported_days", Kind::Count);
    t.derived_column_of("difference", Kind::Integer, &[signed_col, reported_col]);
    // A differing day: the reason and attribution each side recorded (text, never in a count).
    t.column("local", Kind::Text);
    t.column("reported", Kind::Text);
    t.column("status", Kind::Text);
    t.column("note", Kind::Text);
    let month = crate::domain::YearMonth::parse(&r.month)
        .map_or_else(|_| Value::text(&r.month), Value::Month);
    // The month's days (to date) in weeks not signed by both sides, on every row, so that a file
    // with no differences still says them.
    t.column("unsigned_days", Kind::Integer);
    t.column("unsigned_weeks", Kind::Text);
    let unsigned = [
        Value::Int(u64::from(r.unsigned_days)),
        Value::text(r.unsigned_weeks.join(" ")),
    ];
    if r.rows.is_empty() && r.day_diffs.is_empty() {
        // Nothing signed and nothing reported: one row for the whole month.
        let mut row = vec![
            month.clone(),
            Value::text("all"),
            Value::text("total"),
            Value::Empty,
            Value::Empty,
            Value::Int(0),
            Value::Empty,
            Value::Empty,
            Value::Empty,
            Value::Empty,
            Value::Empty,
            Value::text("nothing signed or reported"),
        ];
        row.extend(unsigned.clone());
        t.rows.push(row);
    }
    let mut groups: std::collections::BTreeMap<&str, Vec<usize>> = Default::default();
    for x in &r.rows {
        groups.entry(&x.la_code).or_default().push(t.rows.len());
        t.rows.push(vec![
            month.clone(),
            Value::text(&x.la_code),
            Value::text(x.measure.key()),
            Value::Empty,
            Value::Empty,
            Value::Int(x.signed_days),
            Value::opt_int(x.reported_days),
            Value::opt_real(x.difference.map(|d| d as f64)),
            Value::Empty,
            Value::Empty,
            Value::text(x.status.map_or("", MarkStatus::key)),
            Value::text(x.note.clone().unwrap_or_default()),
            unsigned[0].clone(),
            unsigned[1].clone(),
        ]);
    }
    for rows in groups.values() {
        for c in [signed_col, reported_col] {
            t.add_sum(rows.iter().map(|&r| (r, c)).collect());
        }
    }
    for x in &r.day_diffs {
        t.rows.push(vec![
            month.clone(),
            Value::text(&x.la_code),
            Value::text(x.kind.label()),
            Value::text(&x.local_id),
            Value::Date(x.day),
            Value::Empty,
            Value::Empty,
            Value::Empty,
            x.local.map_or(Value::Empty, |_| Value::text(pair(x.local))),
            x.reported
                .map_or(Value::Empty, |_| Value::text(pair(x.reported))),
            Value::text(x.status.map_or("", MarkStatus::key)),
            Value::text(x.note.clone().unwrap_or_default()),
            unsigned[0].clone(),
            unsigned[1].clone(),
        ]);
    }
    t
}
