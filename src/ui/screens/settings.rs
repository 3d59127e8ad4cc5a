//! Screen 6: settings, one list at a time (so it fits 80x24): authorities, their 18+
//! populations, sites with their type of care, targets shown in all four units (the unit
//! entered marked `*`), and targets on the discharge shares in percent. `h`/`l` switch lists; `a` adds and `e`/Enter edits through forms
//! (behaviour in `crate::ui::settings`).

use super::{cut, la_label};
use crate::domain::TargetUnit;
use crate::ui::app::App;
use crate::ui::settings::{conversion_text, convert_target, SettingsTab};
use crate::ui::strings as s;
use crate::ui::widgets::table;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let tab = app.settings.tab;
    let notes = if tab == SettingsTab::Targets { 3 } else { 0 };
    let [bar, list, note] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(notes),
    ])
    .areas(area);
    let mut spans = Vec::new();
    for x in SettingsTab::ALL {
        let style = if x == tab { t.tab_active() } else { t.dim() };
        spans.push(Span::styled(x.title(), style));
        spans.push(Span::raw("  "));
    }
    spans.push(Span::styled("(h/l)", t.dim()));
    frame.render_widget(Paragraph::new(Line::from(spans)), bar);
    let sel = Some(app.settings.selected());
    let title = |n: usize| format!(" {} ({n}) ", tab.title());
    match tab {
        SettingsTab::Authorities => {
            let v = &app.data.authorities;
            table::render(
                frame,
                list,
                title(v.len()),
                &s::AUTHORITIES_HEADER,
                &[
                    Constraint::Length(10),
                    Constraint::Min(16),
                    Constraint::Length(24),
                    Constraint::Length(7),
                ],
                v.len(),
                sel,
                s::NO_AUTHORITIES_YET,
                t,
                |i| {
                    v.get(i).map_or_else(Vec::new, |a| {
                        vec![
                            a.code.clone(),
                            a.name.clone().unwrap_or_default(),
                            a.region.clone().unwrap_or_default(),
                            a.legacy_code.clone().unwrap_or_default(),
                        ]
                    })
                },
            );
        }
        SettingsTab::Populations => {
            let v = &app.data.populations;
            table::render(
                frame,
                list,
                title(v.len()),
                &s::POPULATIONS_HEADER,
                &[
                    Constraint::Length(10),
                    Constraint::Min(16),
                    Constraint::Length(6),
                    Constraint::Length(12),
                ],
                v.len(),
                sel,
                s::NO_POPULATIONS,
                t,
                |i| {
                    v.get(i).map_or_else(Vec::new, |p| {
                        vec![
                            p.la_code.clone(),
                            la_label(app, &p.la_code),
                            p.year.to_string(),
                            p.population_18plus.to_string(),
                        ]
                    })
                },
            );
        }
        SettingsTab::Sites => {
            let v = &app.data.sites;
            table::render(
                frame,
                list,
                title(v.len()),
                &s::SITES_HEADER,
                &[
                    Constraint::Length(8),
                    Constraint::Length(12),
                    Constraint::Length(8),
                    Constraint::Min(10),
                ],
                v.len(),
                sel,
                s::NO_SITES_YET,
                t,
                |i| {
                    v.get(i).map_or_else(Vec::new, |x| {
                        vec![
                            x.code.clone(),
                            x.setting.label().to_string(),
                            x.provider_code.clone(),
                            x.name.clone().unwrap_or_default(),
                        ]
                    })
                },
            );
        }
        SettingsTab::Targets => {
            let v = &app.data.targets;
            let pops = &app.data.populations;
            table::render(
                frame,
                list,
                title(v.len()),
                &s::TARGETS_ALL_HEADER,
                &[
                    Constraint::Length(10),
                    Constraint::Length(7),
                    Constraint::Length(11),
                    Constraint::Length(9),
                    Constraint::Length(8),
                    Constraint::Length(10),
                    Constraint::Min(9),
                ],
                v.len(),
                sel,
                s::NO_TARGETS,
                t,
                |i| {
                    let Some(x) = v.get(i) else {
                        return Vec::new();
                    };
                    let u = convert_target(x, pops);
                    // The entered unit shows the value as typed, marked `*`.
                    let cell = |unit: TargetUnit, conv: Option<f64>, dp: usize| {
                        if unit == x.unit {
                            format!("{}*", x.value)
                        } else {
                            conv.map_or_else(|| "-".to_string(), |c| format!("{c:.dp$}"))
                        }
                    };
                    vec![
                        x.la_code.to_string(),
                        x.month.key(),
                        x.measure.key().to_string(),
                        cell(TargetUnit::Days, u.map(|u| u.days), 1),
                        cell(TargetUnit::DaysPerDay, u.map(|u| u.per_day), 2),
                        cell(
                            TargetUnit::Per100kMonth,
                            u.and_then(|u| u.per_100k_month),
                            2,
                        ),
                        cell(TargetUnit::Per100kDay, u.and_then(|u| u.per_100k_day), 2),
                    ]
                },
            );
            let selected = v.get(app.settings.selected());
            let first = selected.map_or_else(String::new, |x| {
                let conv = convert_target(x, pops)
                    .map_or_else(|| s::NO_POPULATION.to_string(), |u| conversion_text(&u));
                format!(
                    "{} {}: {conv}",
                    cut(&la_label(app, x.la_code.as_str()), 16),
                    x.month
                )
            });
            frame.render_widget(
                Paragraph::new(vec![
                    Line::raw(first),
                    Line::styled(s::TARGET_UNITS_NOTE, t.dim()),
                ])
                .wrap(Wrap { trim: true }),
                note,
            );
        }
        SettingsTab::DischargeTargets => {
            let v = &app.data.discharge_targets;
            table::render(
                frame,
                list,
                title(v.len()),
                &s::DISCHARGE_TARGETS_HEADER,
                &[
                    Constraint::Length(10),
                    Constraint::Min(12),
                    Constraint::Length(8),
                    Constraint::Length(30),
                    Constraint::Length(7),
                ],
                v.len(),
                sel,
                s::NO_DISCHARGE_TARGETS,
                t,
                |i| {
                    v.get(i).map_or_else(Vec::new, |x| {
                        vec![
                            x.la_code.to_string(),
                            la_label(app, x.la_code.as_str()),
                            x.month.key(),
                            x.measure.label().to_string(),
                            format!("{}%", x.percent),
                        ]
                    })
                },
            );
        }
    }
}
