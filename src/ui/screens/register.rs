//! Screen 2: the delay register (list with filters) and one delay's detail.

use super::cut;
use crate::ui::app::App;
use crate::ui::strings as s;
use crate::ui::widgets::table;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(d) = &app.register.detail {
        detail(frame, area, app, d);
        return;
    }
    let t = &app.theme;
    let r = &app.register;
    let [filter_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Min(3)]).areas(area);
    let mut spans =
        super::filter_spans(frame, filter_area, &r.query, r.filtering, s::FILTER_HINT, t);
    let mut quick = Vec::new();
    if let Some(x) = r.reason {
        quick.push(format!("reason {}", x.code()));
    }
    if let Some(x) = r.attribution {
        quick.push(x.label().to_string());
    }
    if let Some(x) = &r.la {
        quick.push(x.clone());
    }
    if let Some(x) = &r.site {
        quick.push(format!("site {x}"));
    }
    if r.include_ended {
        quick.push(s::INCL_ENDED.to_string());
    }
    if !quick.is_empty() {
        spans.push(Span::styled(format!("  [{}]", quick.join(", ")), t.warn()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), filter_area);

    let rows = app.visible_delays();
    let wide = area.width >= 120;
    let header: Vec<&str> = if wide {
        s::REGISTER_HEADER_WIDE.to_vec()
    } else {
        s::REGISTER_HEADER.to_vec()
    };
    let widths = if wide {
        vec![
            Constraint::Length(12),
            Constraint::Length(13),
            Constraint::Length(8),
            Constraint::Length(18),
            Constraint::Length(10),
            Constraint::Length(5),
            Constraint::Min(20),
            Constraint::Length(11),
            Constraint::Length(4),
            Constraint::Length(3),
        ]
    } else {
        vec![
            Constraint::Length(9),
            Constraint::Length(12),
            Constraint::Length(6),
            Constraint::Length(9),
            Constraint::Length(10),
            Constraint::Length(4),
            Constraint::Length(3),
            Constraint::Length(6),
            Constraint::Length(1),
            Constraint::Length(1),
        ]
    };
    let today = app.today;
    table::render(
        frame,
        list_area,
        format!(" {} ({}) ", s::SCREEN_TITLES[1], rows.len()),
        &header,
        &widths,
        rows.len(),
        Some(r.selected),
        s::NO_DELAYS,
        t,
        |i| {
            let Some(d) = rows.get(i) else {
                return Vec::new();
            };
            let nhs = d
                .nhs_number
                .as_ref()
                .map(|n| n.masked())
                .unwrap_or_default();
            let rev = if d.reviewed_on == Some(today) || d.ended_on.is_some() {
                ""
            } else {
                s::NOT_MARKED
            };
            let la = if wide {
                cut(d.la_name.as_deref().unwrap_or(&d.la_code), 18)
            } else {
                d.la_code.clone()
            };
            let reason = if wide {
                cut(&format!("{} {}", d.reason.code(), d.reason.label()), 40)
            } else {
                d.reason.code().to_string()
            };
            let attr = if wide {
                d.attribution.label().to_string()
            } else {
                d.attribution.key().chars().take(6).collect()
            };
            let mut ready = d.ready_on.to_string();
            if d.ended_on.is_some() {
                ready.push('*');
            }
            vec![
                d.local_id.clone(),
                nhs,
                d.site_code.clone(),
                la,
                ready,
                d.days_delayed(today).to_string(),
                reason,
                attr,
                d.planned_pathway
                    .map(|p| p.number().to_string())
                    .unwrap_or_default(),
                rev.to_string(),
            ]
        },
    );
}

fn detail(frame: &mut Frame, area: Rect, app: &App, d: &crate::store::DelayDetail) {
    let t = &app.theme;
    let r = &d.row;
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!("{}  ", r.local_id), t.title()),
            Span::raw(
                r.nhs_number
                    .as_ref()
                    .map(|n| n.masked())
                    .unwrap_or_default(),
            ),
        ]),
        Line::raw(format!(
            "Stay: admitted {} at {} ({}), {}; length of stay {} days",
            r.admitted_on,
            r.site_code,
            r.setting.label(),
            r.la_name.as_deref().unwrap_or(&r.la_code),
            r.length_of_stay(app.today)
        )),
        Line::raw(format!(
            "Delay: ready {}, {} days delayed, planned pathway {}{}",
            r.ready_on,
            r.days_delayed(app.today),
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
    lines.push(Line::styled(s::PERIODS, t.header()));
    for p in &d.periods {
        lines.push(Line::raw(format!(
            "  {} to {}  {:<4} {:<12} {} days{}",
            p.start,
            p.end.map_or(s::OPEN_PERIOD.to_string(), |e| e.to_string()),
            p.reason.code(),
            p.attribution.label(),
            crate::domain::delayed_days_within(p.start, p.end, app.today, ..),
            p.acute_reason
                .map(|a| format!("  acute: {}", a.code()))
                .unwrap_or_default()
        )));
    }
    lines.push(Line::styled(s::HISTORY, t.header()));
    for h in &d.history {
        lines.push(Line::raw(format!(
            "  {} {} {} {}{}",
            h.at,
            h.user,
            h.action,
            h.field
                .as_deref()
                .map(|f| format!("{f} "))
                .unwrap_or_default(),
            h.new_value.as_deref().unwrap_or("")
        )));
    }
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Line::styled(format!(" Delay {} ", r.delay_id), t.title())),
        ),
        area,
    );
}
