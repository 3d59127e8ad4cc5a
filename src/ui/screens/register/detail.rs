//! One delay's detail: a list of sections (the stay and delay, its periods, its actions, its
//! history), each a heading and its lines, drawn one after the other into a paragraph that wraps
//! and scrolls (j/k, PgDn/PgUp, g/G), so that nothing below the window is lost at 80×24. A new
//! block is one more section in [`sections`].

use super::actions_view::action_lines;
use super::{period_lines, placement_line};
use crate::store::{AuditEntry, DelayDetail};
use crate::ui::app::App;
use crate::ui::clock::Zone;
use crate::ui::strings as s;
use crate::ui::widgets::scroll;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::Frame;

/// One part of the detail: its heading (none for the first, the stay and delay) and its lines.
pub struct Section {
    pub heading: Option<&'static str>,
    pub lines: Vec<Line<'static>>,
}

/// The detail's sections, top to bottom, for a pane `width` columns wide inside.
pub fn sections(app: &App, d: &DelayDetail, width: u16) -> Vec<Section> {
    vec![
        Section {
            heading: None,
            lines: summary(app, d),
        },
        Section {
            heading: Some(s::PERIODS),
            lines: d
                .periods
                .iter()
                .flat_map(|p| period_lines(p, app.today, width))
                .map(Line::raw)
                .collect(),
        },
        notes(app, d),
        Section {
            heading: Some(s::HISTORY),
            lines: history(d, app.zone),
        },
    ]
}

/// The actions log (its heading is its first line).
fn notes(app: &App, d: &DelayDetail) -> Section {
    let mut lines = action_lines(d, app);
    let heading = (!lines.is_empty()).then(|| lines.remove(0));
    Section {
        heading: None,
        lines: heading.into_iter().chain(lines).collect(),
    }
}

/// The title: what a user knows the patient by (the local id and the masked NHS number), not the
/// database's id.
pub fn title(d: &DelayDetail) -> String {
    let r = &d.row;
    match &r.nhs_number {
        Some(n) => format!(" {}  NHS {} ", r.local_id, n.masked()),
        None => format!(" {} ", r.local_id),
    }
}

/// Draws the detail from the register's scroll position.
pub fn render(frame: &mut Frame, area: Rect, app: &App, d: &DelayDetail) {
    let t = &app.theme;
    let mut lines = Vec::new();
    for sec in sections(app, d, area.width.saturating_sub(2)) {
        if let Some(h) = sec.heading {
            lines.push(Line::styled(h, t.header()));
        }
        lines.extend(sec.lines);
    }
    scroll::render(
        frame,
        area,
        Line::styled(title(d), t.title()),
        lines,
        &app.screens.register.scroll,
        t,
    );
}

/// The stay, the place, the delay and (ended) the discharge.
fn summary(app: &App, d: &DelayDetail) -> Vec<Line<'static>> {
    let r = &d.row;
    let stay_end = d
        .discharged_on
        .or(r
            .ended_on
            .filter(|_| r.end_kind.is_some_and(|k| k != crate::domain::EndKind::UnfitAgain)))
        .map_or(app.today, |e| e.min(app.today));
    let mut lines = vec![
        Line::raw(format!(
            "Stay: admitted {} at {} ({}), {}; length of stay {}",
            r.admitted_on,
            r.site_code,
            r.setting.label(),
            r.la_name.as_deref().unwrap_or(&r.la_code),
            s::days(r.length_of_stay(stay_end))
        )),
        placement_line(r, app),
        Line::raw(format!(
            "Delay: ready {}, {} delayed, planned pathway {}{}",
            r.ready_on,
            s::days(r.days_delayed(app.today)),
            r.planned_pathway
                .map_or("-".to_string(), |p| p.number().to_string()),
            match (r.ended_on, r.end_kind) {
                (Some(e), Some(k)) => format!(", ended {e} ({})", k.label()),
                (Some(e), None) => format!(", ended {e}"),
                _ => String::new(),
            }
        )),
    ];
    if let Some(dd) = d.discharged_on {
        lines.push(Line::raw(format!(
            "Discharged {dd}, pathway {}, {}, usual residence {}",
            d.pathway
                .map_or("-".to_string(), |p| p.number().to_string()),
            d.destination.as_deref().unwrap_or("-"),
            match d.usual_residence {
                Some(true) => "yes",
                Some(false) => "no",
                None => "not known",
            }
        )));
    }
    lines
}

/// The history, newest first, each entry at its local time.
fn history(d: &DelayDetail, zone: Zone) -> Vec<Line<'static>> {
    d.history
        .iter()
        .rev()
        .map(|h| {
            Line::from(vec![
                Span::raw(format!("  {} {}  ", zone.local(&h.at), h.user)),
                Span::raw(history_text(h)),
            ])
        })
        .collect()
}

/// What an entry did, in words: the field and its change (`before -> after` where the entry
/// keeps both), a reason change from its date, a reopening with the end it cleared.
pub fn history_text(h: &AuditEntry) -> String {
    use crate::store::{AuditEvent as A, DelayEvent as D, StayEvent as S};
    let new = h.new_value.as_deref().unwrap_or("");
    let old = h.old_value.as_deref().filter(|o| !o.is_empty());
    let change = match old {
        Some(o) if !new.is_empty() => format!("{o} -> {new}"),
        Some(o) => format!("{o} -> (none)"),
        None => new.to_string(),
    };
    match &h.event {
        A::Delay(D::Add) => format!("delay added: {new}"),
        A::Stay(S::Add) => format!("stay added: {new}"),
        A::Delay(D::ChangeReason { from }) => format!("reason from {from}: {change}"),
        A::Delay(D::End) => format!("ended: {new}"),
        A::Delay(D::Delete) => "deleted".to_string(),
        A::Delay(D::Note) => format!("note: {new}"),
        A::Delay(D::Review) => new.to_string(),
        A::Delay(D::Reopen) => match old {
            Some(o) => format!("reopened (was {o}): {new}"),
            None => format!("reopened: {new}"),
        },
        _ => match (h.action(), h.field()) {
            ("edit", Some(f)) => format!("{f}: {change}"),
            ("correct", Some(f)) => format!("{f} corrected: {change}"),
            (a, Some(f)) => format!("{a} {f}: {change}"),
            (a, None) => format!("{a}: {change}"),
        },
    }
}
