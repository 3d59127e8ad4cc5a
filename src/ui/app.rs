//! The app's shared state and the modal (form, confirm, help): what every screen uses. Each
//! screen's own state, keys, forms and drawing live in its module under [`crate::ui::screens`];
//! `App` keeps one field per screen's state and dispatches through the registration there.
//! `today` is passed in and never read from the clock.

use crate::domain::YearMonth;
use crate::report::monthly::{Forecast, Monthly};
use crate::store::{
    Authority, DelayFilter, DelayRow, DischargeTarget, MonthTotal, OpenCount, Population, Site,
    Store, Target,
};
use crate::ui::forms;
use crate::ui::keymap::{Action, Context, ScreenId};
use crate::ui::screens::{self, Screens};
use crate::ui::strings as s;
use crate::ui::theme::Theme;
use crate::ui::widgets::message::Message;
use chrono::NaiveDate;
use std::path::PathBuf;

pub use crate::ui::forms::{ActiveForm, FormSpec, Saved};
pub use crate::ui::screens::board::{BoardPhase, BoardState};
pub use crate::ui::screens::dashboard::DashRow;
pub use crate::ui::screens::long_stay::{LongSort, LongStayState};
pub use crate::ui::screens::register::forms::{AddForm, EditForm, EndForm, ReasonForm};
pub use crate::ui::screens::register::RegisterState;
pub use crate::ui::screens::report::{ReportState, ReportView, SpcView};
pub use crate::ui::screens::settings::{SettingsState, SettingsTab};

/// Months shown by the dashboard chart and the monthly report (this month and the 12 before).
pub const MONTHS_SHOWN: i32 = 13;

/// What the database held at the last reload.
#[derive(Debug, Clone, Default)]
pub struct Data {
    pub authorities: Vec<Authority>,
    pub populations: Vec<Population>,
    pub sites: Vec<Site>,
    pub targets: Vec<Target>,
    /// Targets on the discharge shares, every month (the settings list).
    pub discharge_targets: Vec<DischargeTarget>,
    /// Open delays (and ended ones when the register includes them), longest first.
    pub delays: Vec<DelayRow>,
    /// Delayed days of the last [`MONTHS_SHOWN`] months by authority and attribution.
    pub totals: Vec<MonthTotal>,
    pub open: Vec<OpenCount>,
    pub census: Vec<(String, String, u32)>,
    /// The monthly report (all authorities, the last [`MONTHS_SHOWN`] months), from `crate::report`.
    pub monthly: Monthly,
    /// Month-end forecasts for the month of today.
    pub forecast: Vec<Forecast>,
    /// The dashboard's figures, one per authority.
    pub dashboard: Vec<DashRow>,
}

/// What a confirmed "yes" does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfirmKind {
    Delete { delay_id: i64, version: i64 },
    DiscardForm,
    QuitForm,
}

impl ConfirmKind {
    pub fn prompt(self) -> &'static str {
        match self {
            Self::Delete { .. } => s::CONFIRM_DELETE,
            Self::DiscardForm => s::CONFIRM_DISCARD,
            Self::QuitForm => s::CONFIRM_QUIT_FORM,
        }
    }
}

/// The app: what every screen shares, the modal, and each screen's state.
pub struct App {
    pub store: Store,
    pub today: NaiveDate,
    pub theme: Theme,
    pub screen: ScreenId,
    pub data: Data,
    /// Every screen's state (`app.screens.register`, …; see `crate::ui::screens`).
    pub screens: Screens,
    pub form: Option<ActiveForm>,
    pub confirm: Option<ConfirmKind>,
    pub help: bool,
    pub message: Option<Message>,
    pub quit: bool,
    /// Where `E` writes the monthly report.
    pub export_dir: PathBuf,
    last_version: Option<i64>,
    /// The open form's save found the database busy with another user's save: it is tried again
    /// at every tick (see [`crate::ui::saving`]).
    pub save_waiting: bool,
    /// Shared data a reload left to read when a screen that draws it is next shown.
    pub stale: Stale,
}

/// The shared data a reload left to read when next shown (the screens that read the store
/// themselves keep their own `stale` flag).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stale {
    /// The month totals, open counts and what is computed from them (the monthly report, the
    /// forecast, the dashboard): shown only by the Dashboard and Report screens, so a save or
    /// another user's change on another screen does not wait for them (with 10,000 open delays
    /// they take about 25 ms to read).
    pub aggregates: bool,
}

impl App {
    pub fn new(store: Store, today: NaiveDate) -> Self {
        let mut app = Self {
            store,
            today,
            theme: Theme::default(),
            screen: ScreenId::Dashboard,
            data: Data::default(),
            screens: Screens::new(today),
            form: None,
            confirm: None,
            help: false,
            message: None,
            quit: false,
            export_dir: PathBuf::from("."),
            last_version: None,
            save_waiting: false,
            stale: Stale::default(),
        };
        // Wait briefly for other users' saves, so the loop keeps drawing and shows that it waits.
        if let Err(e) = app.store.set_busy_wait(crate::ui::saving::BUSY_WAIT, 1) {
            app.message = Some(Message::error(s::load_error(&e)));
        }
        app.last_version = app.store.data_version().ok();
        app.reload();
        app
    }

    /// Where keys are read now: overlays first, then the form, then the screen.
    pub fn context(&self) -> Context {
        if self.confirm.is_some() {
            Context::Confirm
        } else if self.help {
            Context::Help
        } else {
            self.context_under_help()
        }
    }

    /// The context the help popup describes: where keys go once help is closed.
    pub fn context_under_help(&self) -> Context {
        if self.confirm.is_some() {
            Context::Confirm
        } else if self.form.is_some() {
            Context::Form
        } else {
            screens::context(self)
        }
    }

    /// Maps a key through the keymap and applies it (what the event loop and the tests do).
    pub fn handle_key(&mut self, key: &crossterm::event::KeyEvent) {
        if let Some(a) = crate::ui::keymap::action_for(self.context(), key) {
            self.update(a);
        }
    }

    /// Retries a save that waits for another user's, and reloads when another process has
    /// committed since the last look.
    pub fn tick(&mut self) {
        if self.save_waiting && self.form.is_some() {
            forms::submit(self);
            if self.save_waiting {
                return;
            }
            if self.form.is_none() {
                // Saved: the reload after it already shows the other user's save too.
                self.last_version = self.store.data_version().ok();
                return;
            }
        }
        match self.store.data_version() {
            Ok(v) if Some(v) != self.last_version => {
                self.last_version = Some(v);
                self.reload();
                self.message = Some(Message::info(s::RELOADED));
            }
            Ok(_) => {}
            Err(e) => self.message = Some(Message::error(s::load_error(&e))),
        }
    }

    /// Reads everything the screens show (after another user's change, or a save that is not one
    /// delay's). The screens that read the store themselves (Discharges, Weekly, Reconcile) and
    /// the aggregates are read now only when shown, else when next shown.
    pub fn reload(&mut self) {
        match self.load() {
            Ok(d) => self.data = d,
            Err(e) => self.message = Some(Message::error(s::load_error(&e))),
        }
        self.refresh_screens();
    }

    /// After this app's own save to one delay: only the rows of that delay's stay are read again
    /// and put in place (the stay's other delays show its site, authority and admission); the
    /// aggregates (month totals, open counts) and what is computed from them are read again now if
    /// the screen shown draws them, else when such a screen is next shown. With 10,000 open delays
    /// this avoids reading the whole register again.
    pub fn reload_stay(&mut self, stay_id: i64) {
        match self.store.stay_delay_rows(stay_id) {
            Ok(rows) => {
                let include_ended = self.screens.register.include_ended;
                let today = self.today;
                let delays = &mut self.data.delays;
                delays.retain(|d| d.stay_id != stay_id);
                for row in rows {
                    if include_ended || row.ended_on.is_none() {
                        // The register's order: longest delayed first, then by id.
                        let key =
                            |d: &DelayRow| (std::cmp::Reverse(d.days_delayed(today)), d.delay_id);
                        let at = delays.partition_point(|d| key(d) < key(&row));
                        delays.insert(at, row);
                    }
                }
            }
            Err(e) => self.message = Some(Message::error(s::load_error(&e))),
        }
        self.refresh_screens();
    }

    /// The stay of a delay: from the loaded rows, else from the store (a delay just added).
    pub fn stay_of(&self, delay_id: i64) -> Option<i64> {
        self.find_delay(delay_id).map(|d| d.stay_id).or_else(|| {
            self.store
                .delay_row(delay_id)
                .ok()
                .flatten()
                .map(|d| d.stay_id)
        })
    }

    /// Recomputes what the screens show from `data`; the screens that read the store are marked
    /// stale and read again only if shown.
    fn refresh_screens(&mut self) {
        screens::refresh(self);
        self.stale = Stale { aggregates: true };
        screens::show(self);
    }

    fn load(&self) -> crate::Result<Data> {
        let this = YearMonth::of(self.today);
        let from = this.add_months(-(MONTHS_SHOWN - 1));
        let filter = DelayFilter {
            include_ended: self.screens.register.include_ended,
            ..DelayFilter::default()
        };
        let (first, last) = (
            YearMonth::new(1990, 1).unwrap_or(from),
            YearMonth::new(2199, 12).unwrap_or(this),
        );
        // The aggregates are read when a screen that draws them is shown.
        Ok(Data {
            authorities: self.store.authorities()?,
            populations: self.store.populations()?,
            sites: self.store.sites()?,
            targets: self.store.targets(first, last)?,
            discharge_targets: self.store.discharge_targets(first, last)?,
            delays: self.store.list_delays(&filter, self.today)?,
            census: self.store.census(self.today)?,
            ..Data::default()
        })
    }

    /// Reads the month totals and open counts and computes the monthly report, forecast and
    /// dashboard from them and the loaded delays, if a reload left them stale (the Dashboard
    /// and Report screens call this when shown).
    pub fn load_aggregates_if_stale(&mut self) {
        if !self.stale.aggregates {
            return;
        }
        self.stale.aggregates = false;
        let this = YearMonth::of(self.today);
        let d = &self.data;
        match crate::commands::app::load_aggregates(
            &self.store,
            &d.authorities,
            &d.populations,
            &d.targets,
            this.add_months(-(MONTHS_SHOWN - 1)),
            this,
            self.today,
        ) {
            Ok(a) => {
                self.data.totals = a.totals;
                self.data.open = a.open;
                self.data.monthly = a.monthly;
                self.data.forecast = a.forecast;
                let ended = self.screens.register.include_ended;
                self.data.dashboard = screens::dashboard::rows(&self.data, ended, self.today);
            }
            Err(e) => self.message = Some(Message::error(s::load_error(&e))),
        }
        screens::report::refresh(self);
    }

    /// A loaded delay by id.
    pub fn find_delay(&self, id: i64) -> Option<&DelayRow> {
        self.data.delays.iter().find(|d| d.delay_id == id)
    }

    pub fn update(&mut self, action: Action) {
        match self.context() {
            Context::Confirm => self.update_confirm(action),
            Context::Help => {
                if matches!(action, Action::Back | Action::Help) {
                    self.help = false;
                }
            }
            Context::Form => forms::update(self, action),
            Context::Filter => screens::update(self, action),
            _ => self.update_normal(action),
        }
    }

    fn update_confirm(&mut self, action: Action) {
        let Some(kind) = self.confirm else { return };
        match action {
            Action::Yes => {
                self.confirm = None;
                match kind {
                    ConfirmKind::Delete { delay_id, version } => {
                        screens::register::delete(self, delay_id, version)
                    }
                    ConfirmKind::DiscardForm => forms::close(self),
                    ConfirmKind::QuitForm => self.quit = true,
                }
            }
            Action::No | Action::Back | Action::Cancel => self.confirm = None,
            _ => {}
        }
    }

    fn update_normal(&mut self, action: Action) {
        match action {
            Action::Quit | Action::ForceQuit => self.quit = true,
            Action::Help => self.help = true,
            Action::Screen(id) => self.switch(id),
            Action::NextScreen | Action::PrevScreen => {
                let n = ScreenId::ALL.len();
                let step = if action == Action::NextScreen {
                    1
                } else {
                    n - 1
                };
                self.switch(ScreenId::ALL[(self.screen.index() + step) % n]);
            }
            _ => screens::update(self, action),
        }
    }

    fn switch(&mut self, id: ScreenId) {
        self.screen = id;
        screens::show(self);
    }
}
