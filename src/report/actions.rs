//! The actions list as a table (`dtoc actions`, issue 26 item 3): one row per action with its
//! patient (local id, site, ward, bed; patient-level: never in an aggregate export), owner, due
//! date, whether it is overdue, and its state with who closed it when.

use super::table::{Kind, Table, Value};
use crate::store::ActionListRow;
use chrono::NaiveDate;

/// Which actions the table holds, for its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionsScope {
    All,
    Open,
    Overdue,
}

/// The table of `rows` (in the order given).
pub fn actions_table(
    rows: &[ActionListRow],
    scope: ActionsScope,
    owner: Option<&str>,
    today: NaiveDate,
) -> Table {
    let what = match scope {
        ActionsScope::All => "Actions",
        ActionsScope::Open => "Open actions",
        ActionsScope::Overdue => "Overdue actions",
    };
    let title = match owner {
        Some(o) => format!("{what} of {o}, {today}"),
        None => format!("{what}, {today}"),
    };
    let mut t = Table::new(title, "Actions");
    t.notes.push(
        "Patient-level (local ids): for use inside the hub. Overdue: open and due before today."
            .into(),
    );
    if scope != ActionsScope::All {
        t.notes.push(
            "Open actions of open delays only: an ended delay's actions stay in its record.".into(),
        );
    }
    for (name, kind) in [
        ("due_on", Kind::Date),
        ("overdue", Kind::Bool),
        ("owner", Kind::Text),
        ("local_id", Kind::Text),
        ("site", Kind::Text),
        ("ward", Kind::Text),
        ("bed", Kind::Text),
        ("action", Kind::Text),
        ("state", Kind::Text),
        ("set_on", Kind::Date),
        ("set_by", Kind::Text),
        ("closed_on", Kind::Date),
        ("closed_by", Kind::Text),
        ("delay_ended_on", Kind::Date),
    ] {
        t.column(name, kind);
    }
    let date = |d: Option<NaiveDate>| d.map_or(Value::Empty, Value::Date);
    let text = |s: &Option<String>| Value::text(s.clone().unwrap_or_default());
    for r in rows {
        let a = &r.action;
        t.rows.push(vec![
            date(a.due_on),
            Value::Bool(a.overdue(today)),
            text(&a.owner),
            Value::text(&r.local_id),
            Value::text(&r.site_code),
            text(&r.ward),
            text(&r.bed),
            Value::text(&a.text),
            Value::text(a.state.as_str()),
            Value::Date(a.on),
            Value::text(&a.by),
            date(a.closed_on),
            text(&a.closed_by),
            date(r.delay_ended_on),
        ]);
    }
    t
}
