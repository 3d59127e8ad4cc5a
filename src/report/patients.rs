//! `dtoc export patients`: the only patient-level export. Every other report and export is an
//! aggregate and never contains an NHS number.
//!
//! One row per delay (the current reason and attribution, as the register lists it). NHS numbers
//! are masked (`*** *** 5919`) unless `--with-nhs-number` is given. The file says what it contains:
//! the first line of the CSV (a one-cell line above the header), the title and note rows of the XLSX
//! sheet, and the message on the terminal. Rows are sorted by authority, ready date and local id so
//! the same data gives the same file.

use super::table::{Kind, Table, Value};
use crate::domain::YearMonth;
use crate::store::DelayRow;
use chrono::NaiveDate;

/// What to export: which delays, and whether with full NHS numbers.
#[derive(Debug, Clone, Default)]
pub struct PatientsExport {
    pub from: Option<YearMonth>,
    pub to: Option<YearMonth>,
    /// ONS codes [default (empty): every authority].
    pub la: Vec<String>,
    pub with_nhs_number: bool,
}

/// The sentence that says what the file contains.
pub fn contents_note(e: &PatientsExport, rows: usize, today: NaiveDate) -> String {
    let nhs = if e.with_nhs_number {
        "FULL NHS NUMBERS (patient-identifiable: keep it inside the hub)"
    } else {
        "NHS numbers masked"
    };
    let range = match (e.from, e.to) {
        (None, None) => "all delays".to_string(),
        (f, t) => format!(
            "delays between {} and {}",
            f.map_or("the first".to_string(), |m| m.key()),
            t.map_or("today".to_string(), |m| m.key())
        ),
    };
    let la = if e.la.is_empty() {
        String::new()
    } else {
        format!(" for {}", e.la.join(", "))
    };
    format!(
        "dtoc patient-level export: one row per delay, {rows} rows, {range}{la}, as of {today}; local hospital number, {nhs}, authority, site, dates, reason and responsible organisation, ward, bed, expected discharge date and the last action noted"
    )
}

/// The delays as a table.
pub fn patients_table(rows: &[DelayRow], e: &PatientsExport, today: NaiveDate) -> Table {
    let mut t = Table::new(contents_note(e, rows.len(), today), "Patients");
    for (name, kind) in [
        ("local_id", Kind::Text),
        ("nhs_number", Kind::Text),
        ("la_code", Kind::Text),
        ("la_name", Kind::Text),
        ("site", Kind::Text),
        ("setting", Kind::Text),
        ("admitted_on", Kind::Date),
        ("ready_on", Kind::Date),
        ("ended_on", Kind::Date),
        ("end_kind", Kind::Text),
        ("reason", Kind::Text),
        ("attribution", Kind::Text),
        ("delayed_days", Kind::Integer),
        ("ward", Kind::Text),
        ("bed", Kind::Text),
        ("expected_on", Kind::Date),
        ("last_action", Kind::Text),
    ] {
        t.column(name, kind);
    }
    for r in rows {
        let nhs = r.nhs_number.as_ref().map_or(Value::Empty, |n| {
            Value::Text(if e.with_nhs_number {
                n.as_str().to_string()
            } else {
                n.masked()
            })
        });
        t.rows.push(vec![
            Value::text(&r.local_id),
            nhs,
            Value::text(&r.la_code),
            Value::text(r.la_name.clone().unwrap_or_default()),
            Value::text(&r.site_code),
            Value::text(r.setting.key()),
            Value::Date(r.admitted_on),
            Value::Date(r.ready_on),
            r.ended_on.map_or(Value::Empty, Value::Date),
            Value::text(r.end_kind.map_or("", |k| k.key())),
            Value::text(r.reason.code()),
            Value::text(r.attribution.label()),
            Value::Int(u64::from(r.days_delayed(today))),
            Value::text(r.ward.clone().unwrap_or_default()),
            Value::text(r.bed.clone().unwrap_or_default()),
            r.expected_on.map_or(Value::Empty, Value::Date),
            Value::text(r.last_action.clone().unwrap_or_default()),
        ]);
    }
    t
}
