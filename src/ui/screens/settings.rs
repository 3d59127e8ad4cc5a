//! Screen 6: authorities with populations, sites with type of care, targets.

use super::cut;
use crate::ui::app::App;
use crate::ui::strings as s;
use crate::ui::widgets::table;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let [top, targets] =
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let [las, sites] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(top);
    let mut lines = Vec::new();
    for a in &app.data.authorities {
        let pops: Vec<String> = app
            .data
            .populations
            .iter()
            .filter(|p| p.la_code == a.code)
            .map(|p| format!("{}: {}", p.year, p.population_18plus))
            .collect();
        lines.push(Line::raw(format!(
            "{} {} {}",
            a.code,
            cut(a.display_name(), 16),
            if pops.is_empty() {
                s::NO_POPULATION.to_string()
            } else {
                pops.join(", ")
            }
        )));
    }
    if lines.is_empty() {
        lines.push(Line::raw(s::NO_AUTHORITIES));
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Line::styled(s::AUTHORITIES_TITLE, t.title())),
        ),
        las,
    );
    let mut lines = Vec::new();
    for x in &app.data.sites {
        lines.push(Line::raw(format!(
            "{:<8} {:<9} {} {}",
            x.code,
            x.setting.label(),
            x.provider_code,
            x.name.as_deref().unwrap_or("")
        )));
    }
    if lines.is_empty() {
        lines.push(Line::raw(s::NO_SITES));
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Line::styled(s::SITES_TITLE, t.title())),
        ),
        sites,
    );
    let ts = &app.data.targets;
    table::render(
        frame,
        targets,
        format!(" Targets ({}) ", ts.len()),
        &s::TARGETS_HEADER,
        &[
            Constraint::Length(10),
            Constraint::Length(8),
            Constraint::Length(12),
            Constraint::Length(15),
            Constraint::Min(6),
        ],
        ts.len(),
        Some(app.settings.selected),
        s::NO_TARGETS,
        t,
        |i| {
            let Some(x) = ts.get(i) else {
                return Vec::new();
            };
            vec![
                x.la_code.clone(),
                x.month.key(),
                x.measure.key().to_string(),
                x.unit.key().to_string(),
                format!("{}", x.value),
            ]
        },
    );
}
