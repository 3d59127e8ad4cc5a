//! The SPC (XmR) chart of [`super::spc`] as a [`Table`]: what `report spc --format csv|xlsx`
//! writes, and the lines of its terminal summary.

use super::spc::XmrChart;
use super::table::{Kind, Table, Value};
use crate::domain::{Measure, YearMonth};

/// What the chart covers, for its table and summary.
#[derive(Debug, Clone, Copy)]
pub struct SpcOf<'a> {
    pub la: &'a str,
    pub measure: Measure,
    pub unit: &'a str,
    /// The month in progress, when it is one of the points (its figures cover the days so far).
    pub to_date: Option<YearMonth>,
    /// The months asked for before the register's coverage (issue 24): shown blank, in no mean,
    /// limit or verdict.
    pub blank: &'a [YearMonth],
    /// From when the figures are complete, and which months the chart takes
    /// ([`crate::store::Coverage::note`]).
    pub coverage: Option<&'a str>,
}

/// What marks the month in progress (shown, never in the mean or limits).
pub const TO_DATE: &str = "to date, not in mean or limits";

/// What marks a month before coverage (blank, never 0).
pub const BLANK: &str = "before coverage: blank, not in mean or limits";

/// [`TO_DATE`] for the month in progress, else empty.
fn to_date_note(of: &SpcOf, month: YearMonth) -> &'static str {
    if of.to_date == Some(month) {
        TO_DATE
    } else {
        ""
    }
}

/// The SPC chart as a table: one row per month with the mean and limits that hold for it, that
/// month's target, the chart's variation and assurance (Making Data Count's names), whether the
/// limits are trial limits, `to date` on the month in progress, and the special causes flagged on
/// it (`concern: outside limits; two in three`).
pub fn spc_table(chart: &XmrChart, of: &SpcOf) -> Table {
    let mut t = Table::new(
        format!(
            "SPC (XmR) for {}, {}: {}",
            of.la,
            of.measure.label(),
            of.unit
        ),
        "SPC",
    );
    t.column("month", Kind::Month);
    t.column("la_code", Kind::Text);
    t.column("measure", Kind::Text);
    for name in ["value", "mean", "lower_limit", "upper_limit", "target"] {
        t.column(name, Kind::Rate);
    }
    for name in [
        "limits",
        "to_date",
        "variation",
        "assurance",
        "special_cause",
    ] {
        t.column(name, Kind::Text);
    }
    let variation = chart.variation.label();
    let assurance = chart.assurance.map_or("", |a| a.label());
    for &m in of.blank {
        let mut row = vec![
            Value::Month(m),
            Value::text(of.la),
            Value::text(of.measure.key()),
        ];
        row.extend(std::iter::repeat_n(Value::Empty, 5));
        row.extend([
            Value::text(""),
            Value::text(""),
            Value::text(variation),
            Value::text(assurance),
            Value::text(BLANK),
        ]);
        t.rows.push(row);
    }
    for p in &chart.points {
        let trial = chart
            .segments
            .get(p.segment)
            .is_some_and(|s| s.trial_limits);
        t.rows.push(vec![
            Value::Month(p.month),
            Value::text(of.la),
            Value::text(of.measure.key()),
            Value::Real(p.value),
            Value::Real(p.mean),
            Value::Real(p.lower_limit),
            Value::Real(p.upper_limit),
            Value::opt_real(p.target),
            Value::text(if trial { "trial limits" } else { "" }),
            Value::text(to_date_note(of, p.month)),
            Value::text(variation),
            Value::text(assurance),
            Value::Text(p.special_cause()),
        ]);
    }
    t
}

/// The terminal summary: the limits of each segment, one line per month (value, target, special
/// cause, `to date`), then variation and assurance.
pub fn spc_summary(chart: &XmrChart, of: &SpcOf) -> Vec<String> {
    let mut lines = vec![format!(
        "SPC (XmR) for {}, {} — {}",
        of.la,
        of.measure.label(),
        of.unit
    )];
    if let Some(c) = of.coverage.filter(|_| !of.blank.is_empty()) {
        lines.push(c.to_string());
    }
    for s in &chart.segments {
        let mut line = format!(
            "{}mean {:.2}, process limits {:.2} to {:.2}",
            if chart.segments.len() > 1 {
                format!("from {}: ", s.start)
            } else {
                String::new()
            },
            s.mean,
            s.lower_limit,
            s.upper_limit
        );
        if s.baseline_points < s.points {
            line.push_str(&format!(" (baseline: first {} points)", s.baseline_points));
        }
        if chart.screen {
            line.push_str(&format!(
                "; moving ranges screened, {} dropped",
                s.screened_out
            ));
        } else {
            line.push_str("; moving ranges not screened");
        }
        if s.trial_limits {
            line.push_str(&format!("; trial limits ({} points)", s.points));
        }
        lines.push(line);
    }
    lines.push(format!(
        "{:<7}  {:>8}  {:>8}  special cause",
        "month", "value", "target"
    ));
    for m in of.blank {
        lines.push(format!("{m}  {:>8}  {:>8}  ({BLANK})", "", ""));
    }
    for p in &chart.points {
        let target = p.target.map_or("-".to_string(), |t| format!("{t:.2}"));
        let mut cause = p.special_cause();
        if of.to_date == Some(p.month) {
            cause = format!("({TO_DATE}) {cause}");
        }
        // None: `-`, the absent value of every terminal table.
        let cause = match cause.trim_end() {
            "" => "-",
            c => c,
        };
        lines.push(format!(
            "{}  {:>8.2}  {target:>8}  {cause}",
            p.month, p.value
        ));
    }
    lines.push(format!("variation: {}", chart.variation.label()));
    lines.push(format!(
        "assurance: {}",
        chart.assurance.map_or("no target", |a| a.label())
    ));
    lines
}
