//! Drawing the round: the delay under review, the census step and the totals.

use super::census::{census_label, census_ward_lines};
use super::round::{current, progress, unreviewed};
use super::{BoardPhase, TITLE};
use crate::ui::app::App;
use crate::ui::screens::register::list::ward_bed;
use crate::ui::strings as s;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let b = &app.screens.board;
    let (done, total) = progress(app);
    let ended = if b.ended.is_empty() {
        String::new()
    } else {
        format!(" · {} ended", b.ended.len())
    };
    let title = format!(
        " {}: {}{ended} · order {} ",
        TITLE,
        s::progress(done, total),
        b.order.label()
    );
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, t.title()));
    let lines = match b.phase {
        BoardPhase::Review => review_lines(app, total, area.width.saturating_sub(2)),
        BoardPhase::Census => census_lines(app),
        BoardPhase::Summary => summary_lines(app, done, total),
    };
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}


/// `width`: the pane's inside width, for the reason history's labels.
fn review_lines(app: &App, total: usize, width: u16) -> Vec<Line<'static>> {
    let t = &app.theme;
    let b = &app.screens.board;
    let Some(d) = current(app) else {
        return vec![Line::raw(if b.ids.is_empty() {
            s::NO_OPEN_DELAYS
        } else {
            s::BOARD_GONE
        })];
    };
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{} of {}  ", b.index + 1, total), t.dim()),
            Span::styled(format!("{}  ", d.local_id), t.title()),
            Span::raw(
                d.nhs_number
                    .as_ref()
                    .map(|n| n.masked())
                    .unwrap_or_default(),
            ),
        ]),
        Line::raw(format!(
            "{} ({}), {}; admitted {}, length of stay {}",
            d.site_code,
            d.setting.label(),
            d.la_name.as_deref().unwrap_or(&d.la_code),
            d.admitted_on,
            s::days(d.length_of_stay(app.today))
        )),
        Line::styled(
            format!(
                "{} delayed (ready {})",
                s::days(d.days_delayed(app.today)),
                d.ready_on
            ),
            t.focus(),
        ),
        crate::ui::screens::register::placement_line(d, app),
    ];
    if let Some(e) = d.ended_on {
        lines.push(Line::styled(
            format!("ended {e}: {}", s::BOARD_DONE_ENDED),
            t.warn(),
        ));
    }
    let (actions, overdue) =
        crate::ui::screens::register::actions_view::open_summary(&d.open_actions, app.today);
    lines.push(if overdue {
        Line::styled(actions, t.warn())
    } else {
        Line::raw(actions)
    });
    lines.push(Line::styled(s::REASON_HISTORY, t.header()));
    for p in &b.periods {
        lines.extend(
            crate::ui::screens::register::period_lines(p, app.today, width)
                .into_iter()
                .map(Line::raw),
        );
    }
    lines
}

fn census_lines(app: &App) -> Vec<Line<'static>> {
    let t = &app.theme;
    let waiting = unreviewed(app);
    let mut lines = vec![Line::styled(s::FORM_CENSUS.trim().to_string(), t.header())];
    lines.push(Line::raw(census_label(app)));
    lines.extend(census_ward_lines(app).into_iter().map(Line::raw));
    lines.push(Line::raw(""));
    if waiting.is_empty() {
        lines.push(Line::styled(s::CENSUS_ALL_REVIEWED, t.ok()));
    } else {
        lines.push(Line::styled(
            format!("{} {}", waiting.len(), s::CENSUS_UNREVIEWED),
            t.warn(),
        ));
        for d in waiting.iter().take(20) {
            let place = ward_bed(d);
            lines.push(Line::raw(format!(
                "  {}  {}  {}  {}",
                d.local_id,
                d.site_code,
                if place.is_empty() { "-" } else { &place },
                s::days(d.days_delayed(app.today))
            )));
        }
        if waiting.len() > 20 {
            lines.push(Line::styled(
                format!("  … and {} more", waiting.len() - 20),
                t.dim(),
            ));
        }
    }
    lines
}

fn summary_lines(app: &App, done: usize, total: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let b = &app.screens.board;
    let open: Vec<_> = app
        .data
        .delays
        .iter()
        .filter(|d| d.ended_on.is_none())
        .collect();
    let days: u32 = open.iter().map(|d| d.days_delayed(app.today)).sum();
    let mut lines = vec![
        Line::styled(s::BOARD_TOTALS, t.header()),
        Line::raw(s::board_totals(done, total, b.changed.len(), b.ended.len())),
        Line::raw(format!("open delays now: {}", open.len())),
        Line::raw(format!("delayed days so far of open delays: {days}")),
        Line::raw(format!("inpatients today: {}", census_label(app))),
    ];
    lines.extend(census_ward_lines(app).into_iter().map(Line::raw));
    let waiting = unreviewed(app).len();
    if waiting > 0 {
        lines.push(Line::styled(
            format!("{waiting} not reviewed: u goes back to them"),
            t.warn(),
        ));
    }
    lines
}
