//! The settings screen's state and behaviour: authorities (name, region, legacy code), their 18+
//! populations by year, sites with their type of care, and targets by month and measure entered
//! in any of the four units (RULES.md §2) and shown converted into all four, and targets on the
//! discharge shares (percent of discharges, issue 6). Every save goes
//! through one audited store call; the forms are the shared form widget, so validation beside
//! the field, pick lists and the Esc-with-changes confirm work as they do in the register.

use crate::domain::{LaCode, Measure, Setting, ShareMeasure, TargetUnit, YearMonth};
use crate::report::rates::{days_in_unit, population_for_month, target_days, PopulationUsed};
use crate::store::{DischargeTarget, Population, Site, Store, Target};
use crate::ui::app::{ActiveForm, App, FormKind};
use crate::ui::keymap::Action;
use crate::ui::strings as s;
use crate::ui::widgets::form::{Choice, Field, FieldKind, Form};
use crate::ui::widgets::message::Message;

/// The five lists of the settings screen, switched with `h`/`l` or the arrows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SettingsTab {
    #[default]
    Authorities,
    Populations,
    Sites,
    Targets,
    /// Targets on the discharge shares (pathway 1, within 24 hours, usual residence, LOS).
    DischargeTargets,
}

impl SettingsTab {
    pub const ALL: [SettingsTab; 5] = [
        Self::Authorities,
        Self::Populations,
        Self::Sites,
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
    pub selected: [usize; 5],
}

impl SettingsState {
    /// The selected row of the list shown.
    pub fn selected(&self) -> usize {
        self.selected[self.tab.index()]
    }
}

/// A target expressed in all four units, with the population estimate used (RULES.md §2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetUnits {
    /// Delayed days in the month.
    pub days: f64,
    /// Delayed days per day.
    pub per_day: f64,
    /// Per 100,000 adults per month and per day; `None` without a population estimate.
    pub per_100k_month: Option<f64>,
    pub per_100k_day: Option<f64>,
    pub population: Option<PopulationUsed>,
}

/// Converts a target into every unit with its month's length and the authority's population for
/// that month. `None` when the target is per 100,000 and there is no population to convert with.
pub fn convert_target(t: &Target, populations: &[Population]) -> Option<TargetUnits> {
    let estimates: Vec<(i32, u64)> = populations
        .iter()
        .filter(|p| p.la_code == t.la_code.as_str())
        .map(|p| (p.year, p.population_18plus))
        .collect();
    let population = population_for_month(&estimates, t.month);
    let pop = population.map(|p| p.population);
    let n = t.month.days();
    let days = target_days(t.unit, t.value, n, pop).ok()?;
    let per_100k = |u: TargetUnit| pop.and_then(|p| days_in_unit(u, days, n, Some(p)).ok());
    Some(TargetUnits {
        days,
        per_day: days_in_unit(TargetUnit::DaysPerDay, days, n, None).ok()?,
        per_100k_month: per_100k(TargetUnit::Per100kMonth),
        per_100k_day: per_100k(TargetUnit::Per100kDay),
        population,
    })
}

/// The one-line summary of a converted target, e.g.
/// `= 46.5 days · 1.50 a day · 155.00 /100k a month · 5.00 /100k a day (2017 18+ population 30000)`.
pub fn conversion_text(u: &TargetUnits) -> String {
    let opt = |v: Option<f64>| v.map_or_else(|| "-".to_string(), |x| format!("{x:.2}"));
    let pop = u.population.map_or_else(
        || s::NO_POPULATION.to_string(),
        |p| format!("{} 18+ population {}", p.year, p.population),
    );
    format!(
        "= {:.1} days · {:.2} a day · {} /100k a month · {} /100k a day ({pop})",
        u.days,
        u.per_day,
        opt(u.per_100k_month),
        opt(u.per_100k_day)
    )
}

impl App {
    /// Rows in the settings list shown.
    pub fn settings_len(&self) -> usize {
        match self.settings.tab {
            SettingsTab::Authorities => self.data.authorities.len(),
            SettingsTab::Populations => self.data.populations.len(),
            SettingsTab::Sites => self.data.sites.len(),
            SettingsTab::Targets => self.data.targets.len(),
            SettingsTab::DischargeTargets => self.data.discharge_targets.len(),
        }
    }

    pub(crate) fn update_settings(&mut self, action: Action) {
        match action {
            Action::NextSection => self.settings.tab = self.settings.tab.step(1),
            Action::PrevSection => {
                self.settings.tab = self.settings.tab.step(SettingsTab::ALL.len() - 1)
            }
            Action::Add => self.open_settings_form(false),
            Action::Edit => self.open_settings_form(true),
            _ => {
                let n = self.settings_len();
                let i = self.settings.tab.index();
                crate::ui::app::move_sel(&mut self.settings.selected[i], n, action);
            }
        }
    }

    /// Clamps the selections after a reload.
    pub(crate) fn clamp_settings(&mut self) {
        let lens = [
            self.data.authorities.len(),
            self.data.populations.len(),
            self.data.sites.len(),
            self.data.targets.len(),
            self.data.discharge_targets.len(),
        ];
        for (sel, n) in self.settings.selected.iter_mut().zip(lens) {
            *sel = (*sel).min(n.saturating_sub(1));
        }
    }

    /// Opens the add form of the list shown, or (`edit`) the same form filled from the selected
    /// row. Saving replaces the row with the same key (authority; authority and year; site code;
    /// authority, month and measure; the same for a discharge target).
    fn open_settings_form(&mut self, edit: bool) {
        let sel = self.settings.selected();
        let (kind, title, fields) = match self.settings.tab {
            SettingsTab::Authorities => {
                let a = if edit {
                    self.data.authorities.get(sel)
                } else {
                    None
                };
                let v = |x: Option<&Option<String>>| x.and_then(|o| o.clone()).unwrap_or_default();
                (
                    FormKind::Authority,
                    s::FORM_AUTHORITY,
                    vec![
                        Field::new(s::F_LA_CODE, FieldKind::LaCode, true)
                            .with_value(a.map(|a| a.code.clone()).unwrap_or_default()),
                        Field::new(s::F_NAME, FieldKind::Text, true)
                            .with_value(v(a.map(|a| &a.name))),
                        Field::new(s::F_REGION, FieldKind::Text, false)
                            .with_value(v(a.map(|a| &a.region))),
                        Field::new(s::F_LEGACY, FieldKind::Text, false)
                            .with_value(v(a.map(|a| &a.legacy_code))),
                    ],
                )
            }
            SettingsTab::Populations => {
                if self.data.authorities.is_empty() {
                    self.message = Some(Message::error(s::ADD_AUTHORITY_FIRST));
                    return;
                }
                let p = if edit {
                    self.data.populations.get(sel)
                } else {
                    None
                };
                (
                    FormKind::Population,
                    s::FORM_POPULATION,
                    vec![
                        Field::new(s::F_LA, FieldKind::Choice(self.la_choices()), true)
                            .with_value(p.map(|p| p.la_code.clone()).unwrap_or_default()),
                        Field::new(s::F_YEAR, FieldKind::Year, true).with_value(
                            p.map_or_else(|| self.today_year().to_string(), |p| p.year.to_string()),
                        ),
                        Field::new(s::F_POPULATION, FieldKind::Number, true).with_value(
                            p.map(|p| p.population_18plus.to_string())
                                .unwrap_or_default(),
                        ),
                    ],
                )
            }
            SettingsTab::Sites => {
                let x = if edit { self.data.sites.get(sel) } else { None };
                let settings = Setting::ALL
                    .iter()
                    .map(|x| Choice::new(x.key(), x.label()))
                    .collect();
                // A new site most likely belongs to the provider of the others.
                let provider = x
                    .or_else(|| self.data.sites.first())
                    .map(|x| x.provider_code.clone())
                    .unwrap_or_default();
                (
                    FormKind::Site,
                    s::FORM_SITE,
                    vec![
                        Field::new(s::F_SITE_CODE, FieldKind::Text, true)
                            .with_value(x.map(|x| x.code.clone()).unwrap_or_default()),
                        Field::new(s::F_NAME, FieldKind::Text, false)
                            .with_value(x.and_then(|x| x.name.clone()).unwrap_or_default()),
                        Field::new(s::F_SETTING, FieldKind::Choice(settings), true)
                            .with_value(x.map_or(Setting::Acute.key(), |x| x.setting.key())),
                        Field::new(s::F_PROVIDER, FieldKind::Text, true).with_value(provider),
                    ],
                )
            }
            SettingsTab::Targets => {
                if self.data.authorities.is_empty() {
                    self.message = Some(Message::error(s::ADD_AUTHORITY_FIRST));
                    return;
                }
                let t = if edit {
                    self.data.targets.get(sel)
                } else {
                    None
                };
                let measures = Measure::ALL
                    .iter()
                    .map(|m| Choice::new(m.key(), m.label()))
                    .collect();
                let units = TargetUnit::ALL
                    .iter()
                    .map(|u| Choice::new(u.key(), s::unit_label(*u)))
                    .collect();
                (
                    FormKind::Target,
                    s::FORM_TARGET,
                    vec![
                        Field::new(s::F_LA, FieldKind::Choice(self.la_choices()), true)
                            .with_value(t.map(|t| t.la_code.to_string()).unwrap_or_default()),
                        Field::new(s::F_MONTH, FieldKind::Month, true).with_value(
                            t.map_or_else(|| YearMonth::of(self.today).key(), |t| t.month.key()),
                        ),
                        Field::new(s::F_MEASURE, FieldKind::Choice(measures), true)
                            .with_value(t.map_or("total", |t| t.measure.key())),
                        Field::new(s::F_UNIT, FieldKind::Choice(units), true)
                            .with_value(t.map_or("days_per_day", |t| t.unit.key())),
                        Field::new(s::F_VALUE, FieldKind::Decimal, true)
                            .with_value(t.map(|t| t.value.to_string()).unwrap_or_default()),
                    ],
                )
            }
            SettingsTab::DischargeTargets => {
                if self.data.authorities.is_empty() {
                    self.message = Some(Message::error(s::ADD_AUTHORITY_FIRST));
                    return;
                }
                let t = if edit {
                    self.data.discharge_targets.get(sel)
                } else {
                    None
                };
                let measures = ShareMeasure::ALL
                    .iter()
                    .map(|m| Choice::new(m.key(), m.label()))
                    .collect();
                (
                    FormKind::DischargeTarget,
                    s::FORM_DISCHARGE_TARGET,
                    vec![
                        Field::new(s::F_LA, FieldKind::Choice(self.la_choices()), true)
                            .with_value(t.map(|t| t.la_code.to_string()).unwrap_or_default()),
                        Field::new(s::F_MONTH, FieldKind::Month, true).with_value(
                            t.map_or_else(|| YearMonth::of(self.today).key(), |t| t.month.key()),
                        ),
                        Field::new(s::F_MEASURE, FieldKind::Choice(measures), true).with_value(
                            t.map_or(ShareMeasure::Pathway1.key(), |t| t.measure.key()),
                        ),
                        Field::new(s::F_PERCENT, FieldKind::Decimal, true)
                            .with_value(t.map(|t| t.percent.to_string()).unwrap_or_default()),
                    ],
                )
            }
        };
        if edit && self.settings_len() == 0 {
            self.message = Some(Message::error(s::NOTHING_SELECTED_SETTINGS));
            return;
        }
        self.form = Some(ActiveForm {
            kind,
            form: Form::new(title, fields),
        });
        self.preview_target();
    }

    fn today_year(&self) -> i32 {
        YearMonth::of(self.today).year
    }

    /// Shows, under a target form, its value converted into all four units as it is typed.
    pub(crate) fn preview_target(&mut self) {
        let today = self.today;
        let Some(af) = self.form.as_mut() else { return };
        if af.kind != FormKind::Target {
            return;
        }
        let f = &af.form;
        af.form.note = if f.first_invalid(today).is_some() {
            None
        } else {
            target_from_form(f)
                .ok()
                .and_then(|t| convert_target(&t, &self.data.populations))
                .map(|u| conversion_text(&u))
        };
    }
}

/// The target a valid target form describes.
fn target_from_form(f: &Form) -> crate::Result<Target> {
    let inv = |m: String| crate::Error::invalid(m);
    Target::new(
        LaCode::parse(f.value(0)).map_err(|e| inv(e.to_string()))?,
        YearMonth::parse(f.value(1)).map_err(|e| inv(e.to_string()))?,
        Measure::parse(f.value(2)).map_err(|e| inv(e.to_string()))?,
        TargetUnit::parse(f.value(3)).map_err(|e| inv(e.to_string()))?,
        f.value(4)
            .parse()
            .map_err(|_| inv(s::ERR_NOT_DECIMAL.to_string()))?,
    )
    .map_err(|e| inv(e.to_string()))
}

/// Saves a valid settings form through the store (each call is one audited transaction).
/// `None` when `kind` is not a settings form.
pub(crate) fn save_settings(
    store: &mut Store,
    kind: &FormKind,
    f: &Form,
    populations: &[Population],
) -> Option<crate::Result<Option<String>>> {
    let inv = |m: String| crate::Error::invalid(m);
    let la = |i: usize| LaCode::parse(f.value(i)).map_err(|e| inv(e.to_string()));
    let opt = |i: usize| Some(f.value(i)).filter(|v| !v.is_empty());
    let result = match kind {
        FormKind::Authority => la(0).and_then(|code| {
            store
                .set_authority(&code, opt(1), opt(2), opt(3))
                .map(|()| None)
        }),
        FormKind::Population => (|| {
            let code = la(0)?;
            let year: i32 = f
                .value(1)
                .parse()
                .map_err(|_| inv(s::ERR_YEAR.to_string()))?;
            let n: u64 = f
                .value(2)
                .parse()
                .map_err(|_| inv(s::ERR_NOT_NUMBER.to_string()))?;
            store.set_population(&code, None, year, n)?;
            Ok(None)
        })(),
        FormKind::Site => (|| {
            let site = Site {
                code: f.value(0).to_uppercase(),
                name: opt(1).map(String::from),
                setting: Setting::parse(f.value(2)).map_err(|e| inv(e.to_string()))?,
                provider_code: f.value(3).to_uppercase(),
            };
            store.upsert_site(&site)?;
            Ok(None)
        })(),
        FormKind::Target => (|| {
            let t = target_from_form(f)?;
            store.set_target(&t)?;
            // Say what was stored, in every unit.
            Ok(convert_target(&t, populations).map(|u| conversion_text(&u)))
        })(),
        FormKind::DischargeTarget => (|| {
            let t = DischargeTarget::new(
                la(0)?,
                YearMonth::parse(f.value(1)).map_err(|e| inv(e.to_string()))?,
                ShareMeasure::parse(f.value(2)).map_err(|e| inv(e.to_string()))?,
                f.value(3)
                    .parse()
                    .map_err(|_| inv(s::ERR_NOT_DECIMAL.to_string()))?,
            )
            .map_err(|e| inv(e.to_string()))?;
            store.set_discharge_target(&t)?;
            Ok(None)
        })(),
        _ => return None,
    };
    Some(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(unit: TargetUnit, value: f64, month: &str) -> Target {
        Target {
            la_code: LaCode::parse("E06000017").unwrap(),
            month: YearMonth::parse(month).unwrap(),
            measure: Measure::Total,
            unit,
            value,
        }
    }

    fn rutland() -> Vec<Population> {
        vec![Population {
            la_code: "E06000017".to_string(),
            year: 2017,
            population_18plus: 30_000,
        }]
    }

    #[test]
    fn a_daily_target_converts_into_every_unit() {
        // 1.5 a day in August (31 days) = 46.5 days; per 100k of 30,000 adults:
        // 46.5 / 30,000 × 100,000 = 155 a month, 1.5 / 30,000 × 100,000 = 5 a day.
        let u =
            convert_target(&target(TargetUnit::DaysPerDay, 1.5, "2018-08"), &rutland()).unwrap();
        assert!((u.days - 46.5).abs() < 1e-9);
        assert!((u.per_day - 1.5).abs() < 1e-9);
        assert!((u.per_100k_month.unwrap() - 155.0).abs() < 1e-9);
        assert!((u.per_100k_day.unwrap() - 5.0).abs() < 1e-9);
        assert_eq!(u.population.map(|p| p.year), Some(2017));
    }

    #[test]
    fn per_100k_needs_a_population_but_days_do_not() {
        // 5 per 100k a day with no population cannot be converted at all.
        assert!(convert_target(&target(TargetUnit::Per100kDay, 5.0, "2018-02"), &[]).is_none());
        // 42 days in February 2018 (28 days) = 1.5 a day; no per-100k figures.
        let u = convert_target(&target(TargetUnit::Days, 42.0, "2018-02"), &[]).unwrap();
        assert!((u.per_day - 1.5).abs() < 1e-9);
        assert_eq!(u.per_100k_day, None);
    }
}
