//! The detail's actions (issue 26 item 3): the open ones first, due first, each with its owner
//! and due date, an overdue one marked `!` as well as by colour (so it reads under `NO_COLOR`);
//! then the closed ones, dimmed, with who closed them and when.

use crate::domain::ActionState;
use crate::store::{ActionRow, DelayDetail, OpenActions};
use crate::ui::app::App;
use crate::ui::strings as s;
use chrono::NaiveDate;
use ratatui::text::{Line, Span};

/// The detail's lines for a delay's actions (its heading first).
pub fn action_lines(d: &DelayDetail, app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let open = d
        .actions
        .iter()
        .filter(|a| a.state == ActionState::Open)
        .count();
    let overdue = d.actions.iter().filter(|a| a.overdue(app.today)).count();
    let mut head = format!("{} · {open} open", s::ACTIONS);
    if overdue > 0 {
        head.push_str(&format!(", {overdue} overdue"));
    }
    head.push_str(" · n new, m done/cancel/change");
    let mut out = vec![Line::styled(head, t.header())];
    if d.actions.is_empty() {
        out.push(Line::styled(s::NO_ACTIONS, t.dim()));
    }
    for a in &d.actions {
        let line = action_line(a, app.today);
        out.push(if a.overdue(app.today) {
            Line::styled(line, t.warn())
        } else if a.state == ActionState::Open {
            Line::raw(line)
        } else {
            Line::from(Span::styled(line, t.dim()))
        });
    }
    out
}

/// One action: `! due 14/08 Hub team: Chase P1 package` (open), or `done 15/08 jo: …` (closed,
/// with its owner and the day it was set).
pub fn action_line(a: &ActionRow, today: NaiveDate) -> String {
    let owner = a.owner.as_deref().unwrap_or("-");
    match a.state {
        ActionState::Open => {
            let mark = if a.overdue(today) {
                s::ACTION_OVERDUE_MARK
            } else {
                " "
            };
            let due = a
                .due_on
                .map_or("no due date".to_string(), |d| format!("due {}", short(d, today)));
            format!(" {mark}{due:<12} {owner}: {}", a.text)
        }
        closed => {
            let on = a.closed_on.map(|d| short(d, today)).unwrap_or_default();
            let by = a.closed_by.as_deref().unwrap_or("");
            format!(
                "  {:<9} {on} {by}: {} ({owner}, set {})",
                closed.as_str(),
                a.text,
                short(a.on, today)
            )
        }
    }
}

/// A delay's open actions on one line (the board round's): how many, and the one due first
/// (`!` once overdue); whether that one is overdue.
pub fn open_summary(o: &OpenActions, today: NaiveDate) -> (String, bool) {
    if o.count == 0 {
        return ("Open actions: none (n adds one)".to_string(), false);
    }
    let overdue = o.overdue(today);
    let mark = if overdue { s::ACTION_OVERDUE_MARK } else { "" };
    let due = o
        .next_due
        .map_or("no due date".to_string(), |d| format!("due {}", short(d, today)));
    (
        format!(
            "Open actions: {} · next {mark}{due} {}: {}",
            o.count,
            o.next_owner.as_deref().unwrap_or("-"),
            o.next_text.as_deref().unwrap_or("")
        ),
        overdue,
    )
}

/// The ward board's cell: the number of open actions, `!` after it once one is overdue, `-`
/// for none.
pub fn open_cell(o: &OpenActions, today: NaiveDate) -> String {
    match o.count {
        0 => "-".to_string(),
        n if o.overdue(today) => format!("{n}{}", s::ACTION_OVERDUE_MARK),
        n => n.to_string(),
    }
}

/// A date as `14/08`, with the year when it is not `today`'s year.
pub fn short(d: NaiveDate, today: NaiveDate) -> String {
    use chrono::Datelike;
    if d.year() == today.year() {
        d.format("%d/%m").to_string()
    } else {
        d.format("%d/%m/%Y").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn action(due: Option<&str>, state: ActionState) -> ActionRow {
        ActionRow {
            id: 1,
            delay_id: 1,
            on: day("2018-08-10"),
            by: "jo".into(),
            text: "Chase P1 package".into(),
            owner: Some("Hub team".into()),
            due_on: due.map(day),
            state,
            closed_on: (state != ActionState::Open).then(|| day("2018-08-15")),
            closed_by: (state != ActionState::Open).then(|| "sam".into()),
        }
    }

    #[test]
    fn an_overdue_action_is_marked_by_a_character() {
        let today = day("2018-08-15");
        let open = ActionState::Open;
        assert_eq!(
            action_line(&action(Some("2018-08-14"), open), today),
            " !due 14/08    Hub team: Chase P1 package"
        );
        assert_eq!(
            action_line(&action(Some("2018-08-15"), open), today),
            "  due 15/08    Hub team: Chase P1 package"
        );
        assert_eq!(
            action_line(&action(None, open), today),
            "  no due date  Hub team: Chase P1 package"
        );
        assert_eq!(
            action_line(&action(Some("2018-08-01"), ActionState::Done), today),
            "  done      15/08 sam: Chase P1 package (Hub team, set 10/08)"
        );
        assert_eq!(short(day("2017-12-31"), today), "31/12/2017");
        let o = OpenActions {
            count: 2,
            next_text: Some("Chase P1 package".into()),
            next_owner: Some("Hub team".into()),
            next_due: Some(day("2018-08-14")),
        };
        assert_eq!(open_cell(&o, today), "2!");
        assert_eq!(open_cell(&o, day("2018-08-14")), "2");
        assert_eq!(open_cell(&OpenActions::default(), today), "-");
        assert_eq!(
            open_summary(&o, today),
            (
                "Open actions: 2 · next !due 14/08 Hub team: Chase P1 package".to_string(),
                true
            )
        );
    }
}
