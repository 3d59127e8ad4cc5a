//! Screen 3: the board round, one open delay at a time, then the census, then totals.

use crate::ui::app::{App, BoardPhase};
use crate::ui::strings as s;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let (done, total) = app.board_progress();
    let title = format!(" {}: {} ", s::SCREEN_TITLES[2], s::progress(done, total));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Line::styled(title, t.title()));
    let mut lines = Vec::new();
    match app.board.phase {
        BoardPhase::Review => match app.current_delay() {
            None => lines.push(Line::raw(s::NO_OPEN_DELAYS)),
            Some(d) => {
                lines.push(Line::from(vec![
                    Span::styled(format!("{} of {}  ", app.board.index + 1, total), t.dim()),
                    Span::styled(format!("{}  ", d.local_id), t.title()),
                    Span::raw(
                        d.nhs_number
                            .as_ref()
                            .map(|n| n.masked())
                            .unwrap_or_default(),
                    ),
                ]));
                lines.push(Line::raw(format!(
                    "{} ({}), {}; admitted {}, length of stay {} days",
                    d.site_code,
                    d.setting.label(),
                    d.la_name.as_deref().unwrap_or(&d.la_code),
                    d.admitted_on,
                    d.length_of_stay(app.today)
                )));
                lines.push(Line::styled(
                    format!(
                        "{} days delayed (ready {})",
                        d.days_delayed(app.today),
                        d.ready_on
                    ),
                    t.focus(),
                ));
                match d.reviewed_on {
                    Some(r) if r == app.today => {
                        lines.push(Line::styled(s::REVIEWED_TODAY, t.ok()))
                    }
                    Some(r) => lines.push(Line::raw(format!("last reviewed {r}"))),
                    None => lines.push(Line::raw(s::NOT_REVIEWED)),
                }
                if let Some(e) = d.ended_on {
                    lines.push(Line::styled(format!("ended {e}"), t.warn()));
                }
                lines.push(Line::styled(s::REASON_HISTORY, t.header()));
                {
                    for p in &app.board.periods {
                        lines.push(Line::raw(format!(
                            "  from {}{}  {} {}  ({}){}",
                            p.start,
                            p.end.map(|e| format!(" to {e}")).unwrap_or_default(),
                            p.reason.code(),
                            p.reason.label(),
                            p.attribution.label(),
                            p.acute_reason
                                .map(|a| format!("  acute: {}", a.code()))
                                .unwrap_or_default()
                        )));
                    }
                }
            }
        },
        BoardPhase::Census => lines.push(Line::raw(s::FORM_CENSUS.trim())),
        BoardPhase::Summary => {
            let open: Vec<_> = app
                .data
                .delays
                .iter()
                .filter(|d| d.ended_on.is_none())
                .collect();
            let days: u32 = open.iter().map(|d| d.days_delayed(app.today)).sum();
            let inpatients: u32 = app.data.census.iter().map(|c| c.2).sum();
            lines.push(Line::styled(s::BOARD_TOTALS, t.header()));
            lines.push(Line::raw(s::progress(done, total)));
            lines.push(Line::raw(format!("open delays now: {}", open.len())));
            lines.push(Line::raw(format!(
                "delayed days so far of open delays: {days}"
            )));
            lines.push(Line::raw(if app.data.census.is_empty() {
                s::NO_CENSUS_TODAY.to_string()
            } else {
                format!("inpatients today (census): {inpatients}")
            }));
            lines.push(Line::styled(s::BOARD_RESTART, t.dim()));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}
