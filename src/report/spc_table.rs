//! The SPC (XmR) chart of [`super::spc`] as a [`Table`]: what `report spc --format csv|xlsx`
//! writes.

use super::spc::XmrChart;
use super::table::{Kind, Table, Value};
use crate::domain::Measure;

/// The SPC chart as a table: one row per month with the chart's mean, limits, target and the
/// special causes flagged on it.
pub fn spc_table(chart: &XmrChart, la: &str, measure: Measure, unit: &str) -> Table {
    let mut t = Table::new(
        format!("SPC (XmR) for {la}, {}: {unit}", measure.label()),
        "SPC",
    );
    t.column("month", Kind::Month);
    t.column("la_code", Kind::Text);
    t.column("measure", Kind::Text);
    for name in ["value", "mean", "lower_limit", "upper_limit", "target"] {
        t.column(name, Kind::Rate);
    }
    t.column("special_cause", Kind::Text);
    for p in &chart.points {
        let flags: Vec<String> = p
            .flags
            .iter()
            .map(|f| format!("{:?} {:?}", f.rule, f.direction).to_lowercase())
            .collect();
        t.rows.push(vec![
            Value::Month(p.month),
            Value::text(la),
            Value::text(measure.key()),
            Value::Real(p.value),
            Value::Real(chart.mean),
            Value::Real(chart.lower_limit),
            Value::Real(chart.upper_limit),
            Value::opt_real(chart.target),
            Value::Text(flags.join("; ")),
        ]);
    }
    t
}
