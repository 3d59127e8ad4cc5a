//! The Queues screen (issue 27): per planned pathway (0–3, not yet known) the people waiting
//! today, their median and longest wait since the ready date, today's joins and leaves and the
//! queue's last four weeks; and, a key away (`f`), the Forecast view: each pathway's projected
//! queue ten days ahead as a median with its 85% interval, under the three capacity scenarios
//! (−10%, base, +10%), with the extra discharges a day that would bring it back to where it
//! started. The scope is the whole register, one site or one authority (`s`, `a`, `w`).
//!
//! The figures are the report layer's (`report::queues::queue_history`,
//! `report::forecast::forecast_all`, the functions of `dtoc report queues|forecast`); the delays
//! are read once per reload through `commands::queues::load_episodes`, off the draw loop, and the
//! queues of every scope (the register, each site, each authority) are computed there with them,
//! so that a key (a scope change, the view toggled) only looks its scope up: no key does work
//! that grows with the register. The forecast (up to about a second: 1,000 runs a pathway) runs as
//! a load on the worker, the view saying "Computing…" meanwhile, and is kept per scope until the
//! next reload.

mod render;

use std::collections::HashMap;
use std::sync::Arc;

use crate::commands::queues::{load_episodes, QueueScope};
use crate::domain::Pathway;
use crate::report::forecast::{forecast_all, ForecastConfig, SeriesForecast};
use crate::report::queues::{queue_history, Episode, Grouping, QueueDay};
use crate::report::queues_table::PATHWAYS;
use crate::ui::about::About;
use crate::ui::app::App;
use crate::ui::keymap::{b, ch, Action, Binding};
use crate::ui::queue::Event;
use crate::ui::screens::{cycle_opt, move_sel, Screen, Slot};
use crate::ui::widgets::message::Message;
use chrono::{Days, NaiveDate};
use ratatui::layout::Rect;
use ratatui::Frame;

/// Days of history the queue view shows, today included.
pub const HISTORY_DAYS: u32 = 28;

/// Which delays the queues count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every delay of the register.
    #[default]
    Whole,
    /// One site (its code).
    Site(String),
    /// One authority (its ONS code).
    Authority(String),
}

impl Scope {
    fn holds(&self, e: &Episode) -> bool {
        match self {
            Scope::Whole => true,
            Scope::Site(s) => e.site == *s,
            Scope::Authority(a) => e.authority == *a,
        }
    }
}

/// One pathway's queue on the screen: today's figures and the daily history (oldest first,
/// today last).
#[derive(Debug, Clone, PartialEq)]
pub struct PathwayQueue {
    /// `None` in `pathway`: not yet known.
    pub pathway: Option<Pathway>,
    pub today: QueueDay,
    /// People waiting at each day's end, [`HISTORY_DAYS`] days to today.
    pub history: Vec<u32>,
}

/// The queue view of one scope: the five pathways, then every pathway together.
#[derive(Debug, Clone, PartialEq)]
pub struct QueuesView {
    pub scope: Scope,
    /// The first day of the history: [`HISTORY_DAYS`] before today, or the register's coverage
    /// when that is later (the days before it are incomplete, issue 24).
    pub first: NaiveDate,
    /// The register's coverage starts after today: no figure is complete, so none is shown
    /// (every row's figures are empty here, not a count).
    pub before_coverage: Option<NaiveDate>,
    pub rows: Vec<PathwayQueue>,
    pub all: PathwayQueue,
}

impl QueuesView {
    /// Whether the history starts at the register's coverage rather than [`HISTORY_DAYS`] before
    /// today (the days before coverage are incomplete).
    pub fn from_coverage(&self) -> bool {
        (self.all.today.date - self.first).num_days() < i64::from(HISTORY_DAYS - 1)
    }
}

/// The forecast of one scope: one per pathway that has delays, in [`PATHWAYS`] order.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastView {
    pub scope: Scope,
    /// `Err`: why there is no forecast (no delays to forecast from, a date out of range).
    pub forecasts: Result<Vec<SeriesForecast>, String>,
}

#[derive(Debug, Clone, Default)]
pub struct QueuesState {
    pub scope: Scope,
    /// The Forecast view is shown (else the queues now).
    pub forecast_view: bool,
    pub selected: usize,
    /// The delays waiting on some day of the forecast's history to today, every scope: read once
    /// per reload.
    pub episodes: Option<Arc<Vec<Episode>>>,
    /// The queues of every scope that has delays, computed with the read ([`all_views`]).
    pub views: Option<Arc<HashMap<Scope, QueuesView>>>,
    /// The queues of `scope`, from `views`.
    pub view: Option<QueuesView>,
    /// The forecasts computed since the last reload, one per scope.
    pub forecasts: Vec<Arc<ForecastView>>,
    /// A reload happened since it was last read: read again when next shown.
    pub stale: bool,
    /// The delays are being read: the forecast waits for them (a load started meanwhile would
    /// make that read's result stale).
    pub reading: bool,
}

impl QueuesState {
    /// The forecast of the scope shown, once computed.
    pub fn forecast(&self) -> Option<&ForecastView> {
        self.forecasts
            .iter()
            .find(|f| f.scope == self.scope)
            .map(|f| f.as_ref())
    }

    /// Rows the selection moves over in the view shown.
    fn rows(&self) -> usize {
        if self.forecast_view {
            PATHWAYS.len()
        } else {
            PATHWAYS.len() + 1
        }
    }
}

/// The forecast's settings: the method of `dtoc report forecast` with its defaults (10 days,
/// 1,000 runs, seed 1, capacity −10%, base, +10%, an 85% interval).
pub fn forecast_config() -> ForecastConfig {
    ForecastConfig::default()
}

/// The first day the screen reads delays for: the forecast's history (or the queue view's, if
/// longer) before today.
fn first_day(today: NaiveDate) -> NaiveDate {
    let days = forecast_config().history_days().max(HISTORY_DAYS);
    today
        .checked_sub_days(Days::new(u64::from(days)))
        .unwrap_or(NaiveDate::MIN)
}

/// The delays of `scope` among `episodes`.
fn scoped(episodes: &[Episode], scope: &Scope) -> Vec<Episode> {
    episodes
        .iter()
        .filter(|e| scope.holds(e))
        .cloned()
        .collect()
}

/// A pathway's queue from its days (`None`: no delay of that pathway, so nobody waiting on any
/// day from `first` to `today`).
fn pathway_queue(
    pathway: Option<Pathway>,
    days: Option<&[QueueDay]>,
    first: NaiveDate,
    today: NaiveDate,
) -> PathwayQueue {
    match days.and_then(|d| d.last().map(|last| (d, last))) {
        Some((days, last)) => PathwayQueue {
            pathway,
            today: last.clone(),
            history: days.iter().map(|d| d.waiting).collect(),
        },
        None => PathwayQueue {
            pathway,
            today: QueueDay {
                date: today,
                waiting: 0,
                joins: 0,
                leaves: 0,
                median_wait: None,
                longest_wait: None,
            },
            history: vec![0; (today - first).num_days() as usize + 1],
        },
    }
}

/// The queues of `scope` on the [`HISTORY_DAYS`] days to `today`, from the register's coverage
/// (`covered`) when that is later.
pub fn queues_view(
    episodes: &[Episode],
    scope: &Scope,
    today: NaiveDate,
    covered: Option<NaiveDate>,
) -> QueuesView {
    view_of(scoped(episodes, scope), scope, today, covered)
}

/// The queues of every scope of `episodes`: the whole register, each site and each authority
/// with delays (a scope without any has empty queues: [`queues_view`] of nothing). One pass to
/// group them, then each group's queues.
pub fn all_views(
    episodes: &[Episode],
    today: NaiveDate,
    covered: Option<NaiveDate>,
) -> HashMap<Scope, QueuesView> {
    let mut groups: HashMap<Scope, Vec<Episode>> = HashMap::new();
    for e in episodes {
        for scope in [
            Scope::Site(e.site.clone()),
            Scope::Authority(e.authority.clone()),
        ] {
            groups.entry(scope).or_default().push(e.clone());
        }
    }
    groups.insert(Scope::Whole, episodes.to_vec());
    groups
        .into_iter()
        .map(|(scope, eps)| {
            let v = view_of(eps, &scope, today, covered);
            (scope, v)
        })
        .collect()
}

/// The queues of the delays `eps` (already those of `scope`), from `covered` when that is later
/// than the history's first day.
fn view_of(
    mut eps: Vec<Episode>,
    scope: &Scope,
    today: NaiveDate,
    covered: Option<NaiveDate>,
) -> QueuesView {
    let before_coverage = covered.filter(|&c| c > today);
    if before_coverage.is_some() {
        // No complete day: nothing is counted, so nothing can be shown as a count of 0.
        eps.clear();
    }
    let first = today
        .checked_sub_days(Days::new(u64::from(HISTORY_DAYS - 1)))
        .unwrap_or(today)
        .max(covered.unwrap_or(NaiveDate::MIN))
        .min(today);
    let history = queue_history(&eps, Grouping::Whole, first, today).ok();
    let rows = PATHWAYS
        .iter()
        .map(|&p| {
            let days = history
                .as_ref()
                .and_then(|h| h.series.iter().find(|s| s.key.pathway == p));
            pathway_queue(p, days.map(|s| s.days.as_slice()), first, today)
        })
        .collect();
    // Every pathway together: the same delays as one queue.
    for e in &mut eps {
        e.pathway = None;
    }
    let all = queue_history(&eps, Grouping::Whole, first, today)
        .ok()
        .and_then(|h| h.series.into_iter().next());
    QueuesView {
        scope: scope.clone(),
        first,
        before_coverage,
        rows,
        all: pathway_queue(None, all.as_ref().map(|s| s.days.as_slice()), first, today),
    }
}

/// The forecast of `scope` from `today` (each pathway with delays in the history, in
/// [`PATHWAYS`] order), fitted on the days since the register's coverage (`covered`) as `report
/// forecast` is.
pub fn forecast_view(
    episodes: &[Episode],
    scope: &Scope,
    today: NaiveDate,
    covered: Option<NaiveDate>,
) -> ForecastView {
    let mut cfg = forecast_config();
    let eps = scoped(episodes, scope);
    let forecasts = match cfg.fit_covered(covered, today) {
        None => Err(format!(
            "The register's coverage starts on {}: no complete day before {today} to forecast from.",
            covered.unwrap_or(today)
        )),
        Some(_) => forecast_all(&eps, Grouping::Whole, today, &cfg).map_err(|e| e.to_string()),
    }
        .and_then(|fs| {
            let ordered: Vec<SeriesForecast> = PATHWAYS
                .iter()
                .filter_map(|&p| fs.iter().find(|f| f.key.pathway == p).cloned())
                .collect();
            if ordered.is_empty() {
                Err(format!(
                    "No delays in the {} days before {today} to forecast from.",
                    cfg.history_days()
                ))
            } else {
                Ok(ordered)
            }
        });
    ForecastView {
        scope: scope.clone(),
        forecasts,
    }
}

/// Reads the delays again (off the draw loop), then recomputes the queues of the scope shown and,
/// in the Forecast view, its forecast.
fn load(app: &mut App) {
    let today = app.today;
    let first = first_day(today);
    // The days before the register's coverage are incomplete (issue 24): not shown.
    let covered = app.data.coverage.from_day();
    app.screens.queues.reading = true;
    app.load(
        QueuesState::ID,
        move |store| -> Result<_, String> {
            let scope = QueueScope {
                las: Vec::new(),
                sites: Vec::new(),
                pathways: Vec::new(),
                by: Grouping::Whole,
            };
            let eps = load_episodes(store, &scope, first, today)
                .map_err(|e| format!("Could not read the database: {e:#}"))?;
            let views = all_views(&eps, today, covered);
            Ok((eps, views))
        },
        |app, read| {
            let st = &mut app.screens.queues;
            st.forecasts.clear();
            st.reading = false;
            match read {
                Ok((eps, views)) => {
                    st.episodes = Some(Arc::new(eps));
                    st.views = Some(Arc::new(views));
                    recompute(app);
                }
                Err(e) => app.message = Some(Message::error(e)),
            }
        },
    );
}

/// The queues of the scope shown, looked up among those computed with the read, and its forecast
/// when the Forecast view wants one not yet computed (on the worker).
fn recompute(app: &mut App) {
    let today = app.today;
    // The days before the register's coverage are incomplete (issue 24).
    let covered = app.data.coverage.from_day();
    let st = &mut app.screens.queues;
    let (Some(eps), Some(views)) = (st.episodes.clone(), st.views.clone()) else {
        return;
    };
    st.view = Some(
        views
            .get(&st.scope)
            .cloned()
            .unwrap_or_else(|| queues_view(&[], &st.scope, today, covered)),
    );
    st.selected = st.selected.min(st.rows() - 1);
    if st.forecast_view && st.forecast().is_none() && !st.reading {
        let scope = st.scope.clone();
        app.load(
            QueuesState::ID,
            move |_| forecast_view(&eps, &scope, today, covered),
            |app, f| {
                let st = &mut app.screens.queues;
                st.forecasts.retain(|g| g.scope != f.scope);
                st.forecasts.push(Arc::new(f));
            },
        );
    }
}

pub const TITLE: &str = "Queues";
pub const SHORT: &str = "Queue";

// Its keys (the footer and `?` come from them) and its `?` text.
pub const KEYS: &[Binding] = &[
    b!(
        "f",
        Action::ToggleView,
        "forecast / queues now",
        true,
        [ch('f')]
    ),
    b!("s", Action::CycleSite, "next site", true, [ch('s')]),
    b!("a", Action::CycleAuthority, "next authority", true, [ch('a')]),
    b!("w", Action::ClearFilters, "whole register", true, [ch('w')]),
];

pub const ABOUT: About = About {
    purpose: "Who waits for each planned pathway (0-3, or not yet known) and, with f, the \
              10-day forecast: the queue's median with its 85% interval under capacity -10%, base \
              and +10%. Scope: the whole register, a site (s) or an authority (a); w: whole again.",
    columns: &[
        ("Waiting", "ready, not gone at day's end"),
        ("Median/Longest", "days since the ready date"),
        ("Joined/Left", "became ready / ended today"),
        ("Last 28 days", "waiting at each day's end"),
        ("Yesterday", "waiting at its end; day 1 is today"),
        ("Day 10", "median (85% of runs) base"),
        ("-10%/+10%", "capacity scenarios, day 10"),
        ("Extra/day", "more leaving a day to end at Yesterday"),
        ("Delayed days", "from today to the day, base"),
    ],
};

impl Screen for QueuesState {
    crate::ui::screens::table_screen!();

    fn update(app: &mut App, action: Action) {
        let st = &mut app.screens.queues;
        match action {
            Action::ToggleView => {
                st.forecast_view = !st.forecast_view;
                recompute(app);
            }
            Action::CycleSite => {
                let all: Vec<String> = app.data.sites.iter().map(|s| s.code.clone()).collect();
                let cur = match &st.scope {
                    Scope::Site(s) => Some(s.clone()),
                    _ => None,
                };
                st.scope = cycle_opt(&all, cur).map_or(Scope::Whole, Scope::Site);
                recompute(app);
            }
            Action::CycleAuthority => {
                let all: Vec<String> = app
                    .data
                    .authorities
                    .iter()
                    .map(|a| a.code.to_string())
                    .collect();
                let cur = match &st.scope {
                    Scope::Authority(a) => Some(a.clone()),
                    _ => None,
                };
                st.scope = cycle_opt(&all, cur).map_or(Scope::Whole, Scope::Authority);
                recompute(app);
            }
            Action::ClearFilters => {
                st.scope = Scope::Whole;
                recompute(app);
            }
            other => {
                let n = st.rows();
                move_sel(&mut st.selected, n, other);
            }
        }
    }

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        render::render(frame, area, app);
    }

    fn stale(&mut self) -> Option<&mut bool> {
        Some(&mut self.stale)
    }

    fn load(app: &mut App) {
        load(app)
    }

    /// A save in this app changes the delays: read again (now if shown, else when next shown).
    fn handle(app: &mut App, event: &Event) {
        if matches!(
            event,
            Event::DelaySaved { .. }
                | Event::StayCorrected { .. }
                | Event::DeleteConfirmed { .. }
                | Event::AggregatesComputed
        ) {
            app.screens.queues.stale = true;
            if app.screen == QueuesState::ID {
                Self::show(app);
            }
        }
    }
}

#[cfg(test)]
mod tests;
