//! Screen 6: settings — authorities, populations, sites, targets (with every unit) and discharge
//! targets: the lists, their keys, and the forms of [`forms`].

pub mod forms;
pub mod tracker;
pub mod ward_form;
pub mod year_targets;

use super::{la_label, move_sel};
use crate::domain::TargetUnit;
use crate::ui::about::About;
use crate::ui::app::App;
use crate::ui::keymap::{b, ch, Action, Binding, Context, GLOBAL, MOVE, N};
use crate::ui::screens::{KeyContext, Screen};
use crate::ui::strings as s;
use crate::ui::widgets::message::Message;
use crate::ui::widgets::table;
use chrono::NaiveDate;
use crossterm::event::KeyCode;
pub use forms::{conversion_text, convert_target, TargetUnits};
use forms::{AuthorityForm, DischargeTargetForm, PopulationForm, SiteForm, TargetForm};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use ratatui::Frame;

/// The five lists of the settings screen, switched with `h`/`l` or the arrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SettingsTab {
    #[default]
    Authorities,
    Populations,
    Sites,
    /// Each site's wards (issue 26).
    Wards,
    Targets,
    /// Targets on the discharge shares (pathway 1, within 24 hours, usual residence, LOS).
    DischargeTargets,
}

impl SettingsTab {
    pub const ALL: [SettingsTab; 6] = [
        Self::Authorities,
        Self::Populations,
        Self::Sites,
        Self::Wards,
        Self::Targets,
        Self::DischargeTargets,
    ];

    pub fn index(self) -> usize {
        Self::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    pub fn title(self) -> &'static str {
        s::SETTINGS_TABS[self.index()]
    }

    fn step(self, by: usize) -> Self {
        Self::ALL[(self.index() + by) % Self::ALL.len()]
    }
}

/// Which list is shown and the selected row of each.
#[derive(Debug, Clone, Default)]
pub struct SettingsState {
    pub tab: SettingsTab,
    pub selected: [usize; 6],
}

impl SettingsState {
    /// The selected row of the list shown.
    pub fn selected(&self) -> usize {
        self.selected[self.tab.index()]
    }
}

pub const TITLE: &str = "Settings";
pub const SHORT: &str = "Set";

/// Rows in the settings list shown.
pub fn len(app: &App) -> usize {
    match app.screens.settings.tab {
        SettingsTab::Authorities => app.data.authorities.len(),
        SettingsTab::Populations => app.data.populations.len(),
        SettingsTab::Sites => app.data.sites.len(),
        SettingsTab::Wards => app.data.wards.len(),
        SettingsTab::Targets => app.data.targets.len(),
        SettingsTab::DischargeTargets => app.data.discharge_targets.len(),
    }
}

/// After a reload: the selections clamped to the lists.
pub fn refresh(app: &mut App) {
    let lens = [
        app.data.authorities.len(),
        app.data.populations.len(),
        app.data.sites.len(),
        app.data.wards.len(),
        app.data.targets.len(),
        app.data.discharge_targets.len(),
    ];
    for (sel, n) in app.screens.settings.selected.iter_mut().zip(lens) {
        *sel = (*sel).min(n.saturating_sub(1));
    }
}

/// A target's value in any unit, as the Settings list and its notes show it: two decimals.
pub fn target_number(v: f64) -> String {
    format!("{v:.2}")
}

/// Opens the add form of the list shown, or (`edit`) the same form filled from the selected
/// row. Saving replaces the row with the same key (authority; authority and year; site code;
/// authority, month and measure; the same for a discharge target).
fn open_form(app: &mut App, edit: bool) {
    let tab = app.screens.settings.tab;
    if tab == SettingsTab::Wards && app.data.sites.is_empty() {
        app.message = Some(Message::error(s::NO_SITES_YET));
        return;
    }
    if tab != SettingsTab::Authorities
        && tab != SettingsTab::Sites
        && tab != SettingsTab::Wards
        && app.data.authorities.is_empty()
    {
        app.message = Some(Message::error(s::ADD_AUTHORITY_FIRST));
        return;
    }
    if edit && len(app) == 0 {
        app.message = Some(Message::error(s::NOTHING_SELECTED_SETTINGS));
        return;
    }
    let sel = edit.then(|| app.screens.settings.selected());
    let d = &app.data;
    match tab {
        SettingsTab::Authorities => {
            let a = sel.and_then(|i| d.authorities.get(i)).cloned();
            AuthorityForm::open(app, a.as_ref())
        }
        SettingsTab::Populations => {
            let p = sel.and_then(|i| d.populations.get(i)).cloned();
            PopulationForm::open(app, p.as_ref())
        }
        SettingsTab::Sites => {
            let x = sel.and_then(|i| d.sites.get(i)).cloned();
            SiteForm::open(app, x.as_ref())
        }
        SettingsTab::Wards => {
            let w = sel.and_then(|i| d.wards.get(i)).cloned();
            ward_form::WardForm::open(app, w.as_ref())
        }
        SettingsTab::Targets => {
            let t = sel.and_then(|i| d.targets.get(i)).cloned();
            TargetForm::open(app, t.as_ref())
        }
        SettingsTab::DischargeTargets => {
            let t = sel.and_then(|i| d.discharge_targets.get(i)).cloned();
            DischargeTargetForm::open(app, t.as_ref())
        }
    }
    crate::ui::forms::changed(app, false);
}

// Its keys (the footer and `?` come from them) and its `?` text.
pub const KEYS: &[Binding] = &[
    b!(
        "h/l",
        Action::NextSection,
        "section",
        true,
        [ch('l'), (KeyCode::Right, N)]
    ),
    b!(
        "",
        Action::PrevSection,
        "",
        false,
        [ch('h'), (KeyCode::Left, N)]
    ),
    b!("a", Action::Add, "add", true, [ch('a')]),
    b!("y", Action::AddTarget, "a year of targets", true, [ch('y')]),
    b!("i", Action::Import, "import tracker", true, [ch('i')]),
    b!(
        "e",
        Action::Edit,
        "edit",
        true,
        [ch('e'), (KeyCode::Enter, N)]
    ),
];

pub const ABOUT: About = About {
    purpose: "The reference data: local authorities, their 18+ populations, sites and their \
              type of care, each site's wards (a stay's ward is matched to them by code or \
              name, any case), and the targets (h/l: section). y sets a year of targets in one form: \
              one value for all twelve months, or twelve. i imports the hub's own tracker \
              spreadsheet (as dtoc import tracker): Enter shows how it is read, Enter again \
              imports it.",
    columns: &[
        ("ONS code", "authority's 9-char code"),
        ("Adults 18+", "ONS mid-year estimate"),
        ("Type of care", "acute or non-acute site"),
        ("A day", "target: days a day"),
    ],
};


impl Screen for SettingsState {
    const TITLE: &'static str = TITLE;
    const SHORT: &'static str = SHORT;
    const CONTEXTS: &'static [KeyContext] = &[(Context::Settings, &[GLOBAL, KEYS, MOVE], &ABOUT)];

    fn new(_today: NaiveDate) -> Self {
        Self::default()
    }

    fn update(app: &mut App, action: Action) {
        match action {
            Action::NextSection => app.screens.settings.tab = app.screens.settings.tab.step(1),
            Action::PrevSection => {
                app.screens.settings.tab = app.screens.settings.tab.step(SettingsTab::ALL.len() - 1)
            }
            Action::Add => open_form(app, false),
            Action::Edit => open_form(app, true),
            Action::Import => tracker::TrackerForm::open(app),
            Action::AddTarget if app.data.authorities.is_empty() => {
                app.message = Some(Message::error(s::ADD_AUTHORITY_FIRST));
            }
            Action::AddTarget => {
                let like = (app.screens.settings.tab == SettingsTab::Targets)
                    .then(|| app.data.targets.get(app.screens.settings.selected()).cloned())
                    .flatten();
                app.screens.settings.tab = SettingsTab::Targets;
                year_targets::YearTargetsForm::open(app, like.as_ref());
            }
            _ => {
                let n = len(app);
                let i = app.screens.settings.tab.index();
                move_sel(&mut app.screens.settings.selected[i], n, action);
            }
        }
    }

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        let t = &app.theme;
        let tab = app.screens.settings.tab;
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
        let sel = Some(app.screens.settings.selected());
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
                                a.code.to_string(),
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
                                p.la_code.to_string(),
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
                        Constraint::Length(12),
                        Constraint::Min(10),
                    ],
                    v.len(),
                    sel,
                    s::NO_SITES_YET,
                    t,
                    |i| {
                        v.get(i).map_or_else(Vec::new, |x| {
                            // From when its record is complete (issue 24): blank before.
                            let covered = app
                                .data
                                .coverage
                                .sites
                                .iter()
                                .find(|c| c.site_code == x.code)
                                .map_or_else(|| "-".to_string(), |c| c.from.to_string());
                            vec![
                                x.code.clone(),
                                x.setting.label().to_string(),
                                x.provider_code.clone(),
                                covered,
                                x.name.clone().unwrap_or_default(),
                            ]
                        })
                    },
                );
            }
            SettingsTab::Wards => {
                let v = &app.data.wards;
                table::render(
                    frame,
                    list,
                    title(v.len()),
                    &s::WARDS_HEADER,
                    &[
                        Constraint::Length(8),
                        Constraint::Length(12),
                        Constraint::Min(16),
                        Constraint::Length(5),
                        Constraint::Length(11),
                    ],
                    v.len(),
                    sel,
                    s::NO_WARDS_YET,
                    t,
                    |i| {
                        v.get(i).map_or_else(Vec::new, |w| {
                            // The open delays whose stay names this ward (code or name, any case).
                            let delayed = app
                                .data
                                .delays
                                .iter()
                                .filter(|d| d.ended_on.is_none() && d.site_code == w.site_code)
                                .filter(|d| d.ward.as_deref().is_some_and(|x| w.named_by(x)))
                                .count();
                            vec![
                                w.site_code.clone(),
                                w.code.clone(),
                                w.name.clone(),
                                w.beds.map_or_else(|| "-".to_string(), |b| b.to_string()),
                                delayed.to_string(),
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
                        // Every unit in one format (issue 26: not `320*` beside `270.00`); the
                        // unit the target was entered in is marked `*` (the note says so).
                        let cell = |unit: TargetUnit, conv: Option<f64>| {
                            if unit == x.unit {
                                format!("{}*", target_number(x.value))
                            } else {
                                conv.map_or_else(|| "-".to_string(), target_number)
                            }
                        };
                        vec![
                            x.la_code.to_string(),
                            x.month.key(),
                            x.measure.key().to_string(),
                            cell(TargetUnit::Days, u.map(|u| u.days)),
                            cell(TargetUnit::DaysPerDay, u.map(|u| u.per_day)),
                            cell(TargetUnit::Per100kMonth, u.and_then(|u| u.per_100k_month)),
                            cell(TargetUnit::Per100kDay, u.and_then(|u| u.per_100k_day)),
                        ]
                    },
                );
                let selected = v.get(app.screens.settings.selected());
                let first = selected.map_or_else(String::new, |x| {
                    let conv = convert_target(x, pops)
                        .map_or_else(|| s::NO_POPULATION.to_string(), |u| conversion_text(&u));
                    format!(
                        "{} {}: {conv}",
                        crate::ui::screens::la_cut(app, x.la_code.as_str(), 16),
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
                                x.measure.show_target(x.percent),
                            ]
                        })
                    },
                );
            }
        }
    }

    fn refresh(app: &mut App) {
        refresh(app)
    }

    /// Reads nothing when shown.
    fn show(_app: &mut App) {}
}
