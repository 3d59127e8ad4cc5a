//! App state and `update(Action)`: all behaviour lives here; rendering only reads this state.
//! `today` is passed in and never read from the clock.

use crate::domain::{
    AcuteReason, Attribution, Destination, EndKind, LaCode, Measure, NhsNumber, Pathway,
    ReasonCode, YearMonth,
};
use crate::report::monthly::{self, by_period, forecast, Forecast, Inputs, Monthly, MonthlyRow};
use crate::report::period::Period;
use crate::report::spc::{xmr, XmrChart};
use crate::store::{
    Authority, DelayDetail, DelayFilter, DelayRow, DischargeTarget, EditDelay, EndDelay,
    MonthTotal, NewDelay, OpenCount, Population, ReasonChange, Site, Store, Target,
};
use crate::ui::keymap::{Action, Context, ScreenId, TextEdit};
use crate::ui::strings as s;
use crate::ui::theme::Theme;
use crate::ui::widgets::bars::BarColumn;
use crate::ui::widgets::form::{Choice, Field, FieldKind, Form};
use crate::ui::widgets::message::Message;
use chrono::NaiveDate;
use std::path::PathBuf;
use tui_input::{Input, InputRequest};

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

/// One authority on the dashboard: this month so far, the forecast and who is delayed now.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DashRow {
    pub la_code: String,
    pub la_name: String,
    /// The total measure of this month so far (None if the month has no row).
    pub month: Option<MonthlyRow>,
    pub forecast: Option<Forecast>,
    /// Patients delayed now by attribution: NHS, social care, both.
    pub now: [u64; 3],
    /// Patients delayed now whose length of stay is 14+ and 21+ days.
    pub los14: usize,
    pub los21: usize,
    /// Patients delayed now (the denominator of the 14+/21+ counts).
    pub delayed_now: usize,
    /// The 13 months' total rate (per 100,000 per day, or delayed days per day without a
    /// population) and target in the same unit.
    pub trend: Vec<BarColumn>,
    pub per_100k: bool,
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

/// What a form saves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    Add,
    Reason {
        delay_id: i64,
        version: i64,
    },
    End {
        delay_id: i64,
        version: i64,
    },
    Edit {
        delay_id: i64,
        version: i64,
    },
    /// One field per (site, authority).
    Census {
        cells: Vec<(String, String)>,
    },
    /// Settings: an authority's name, region and legacy code.
    Authority,
    /// Settings: one year's 18+ population of an authority.
    Population,
    /// Settings: a site and its type of care.
    Site,
    /// Settings: a target in any of the four units.
    Target,
    /// Settings: a target on a discharge share, in percent.
    DischargeTarget,
    /// Weekly screen: sign `week` off.
    SignOff {
        week: crate::domain::Week,
    },
    /// Weekly screen: reopen `week`.
    Reopen {
        week: crate::domain::Week,
    },
    /// Reconcile screen: mark a difference (an authority's, or a patient's day).
    Mark {
        month: YearMonth,
        la: String,
        measure: Measure,
        day: Option<(String, NaiveDate)>,
    },
}

#[derive(Debug, Clone)]
pub struct ActiveForm {
    pub kind: FormKind,
    pub form: Form,
}

#[derive(Debug, Clone, Default)]
pub struct RegisterState {
    pub selected: usize,
    pub query: Input,
    pub filtering: bool,
    pub reason: Option<ReasonCode>,
    pub attribution: Option<Attribution>,
    pub la: Option<String>,
    pub site: Option<String>,
    pub include_ended: bool,
    pub detail: Option<DelayDetail>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BoardPhase {
    #[default]
    Review,
    Census,
    Summary,
}

#[derive(Debug, Clone, Default)]
pub struct BoardState {
    pub started: bool,
    /// The open delays when the round started, longest first.
    pub ids: Vec<i64>,
    pub index: usize,
    pub phase: BoardPhase,
    /// The reason history of the delay on screen (read when the round moves).
    pub periods: Vec<crate::store::PeriodRow>,
}

pub use crate::ui::long_stay::{LongSort, LongStayState};

/// What the monthly report screen shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportView {
    #[default]
    Table,
    Chart,
    Spc,
}

/// The SPC view of one authority's total rate per day.
#[derive(Debug, Clone, PartialEq)]
pub struct SpcView {
    pub la_code: String,
    pub la_name: String,
    pub unit: &'static str,
    /// The chart, or why there is none.
    pub chart: Result<XmrChart, String>,
}

#[derive(Debug, Clone)]
pub struct ReportState {
    pub view: ReportView,
    pub period: Period,
    pub selected: usize,
    /// The rows shown for `period`, newest first.
    pub rows: Vec<MonthlyRow>,
    /// The authority of the chart and SPC views (index into the authorities).
    pub la: usize,
    /// The stacked bars (NHS, social care, both) of the selected authority, oldest first.
    pub stack: Vec<BarColumn>,
    pub stack_per_100k: bool,
    pub spc: Option<SpcView>,
}

impl Default for ReportState {
    fn default() -> Self {
        Self {
            view: ReportView::Table,
            period: Period::Month,
            selected: 0,
            rows: Vec::new(),
            la: 0,
            stack: Vec::new(),
            stack_per_100k: true,
            spc: None,
        }
    }
}

pub use crate::ui::settings::{SettingsState, SettingsTab};

pub struct App {
    pub store: Store,
    pub today: NaiveDate,
    pub theme: Theme,
    pub screen: ScreenId,
    pub data: Data,
    pub register: RegisterState,
    pub board: BoardState,
    pub long_stay: LongStayState,
    pub report: ReportState,
    pub settings: SettingsState,
    pub discharges: crate::ui::screens::discharges::DischargesState,
    pub weekly: crate::ui::screens::weekly::WeeklyState,
    pub reconcile: crate::ui::screens::reconcile::ReconcileState,
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
    /// Screens that read the store themselves, to read again when next shown.
    pub stale: Stale,
}

/// Which store-reading screens a reload left to read when they are next shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stale {
    pub discharges: bool,
    pub weekly: bool,
    pub reconcile: bool,
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
            register: RegisterState::default(),
            board: BoardState::default(),
            long_stay: LongStayState::default(),
            report: ReportState::default(),
            settings: SettingsState::default(),
            discharges: Default::default(),
            weekly: crate::ui::screens::weekly::WeeklyState::new(today),
            reconcile: crate::ui::screens::reconcile::ReconcileState::new(today),
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
            match self.screen {
                ScreenId::Dashboard => Context::Dashboard,
                ScreenId::Register if self.register.filtering => Context::Filter,
                ScreenId::Register if self.register.detail.is_some() => Context::Detail,
                ScreenId::Register => Context::Register,
                ScreenId::Board => Context::Board,
                ScreenId::LongStay if self.long_stay.filtering => Context::Filter,
                ScreenId::LongStay => Context::LongStay,
                ScreenId::Report => Context::Report,
                ScreenId::Settings => Context::Settings,
                ScreenId::Discharges => Context::Discharges,
                ScreenId::Weekly => Context::Weekly,
                ScreenId::Reconcile => Context::Reconcile,
            }
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
            self.submit_form();
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
    /// delay's). The screens that read the store themselves (Discharges, Weekly, Reconcile) are
    /// read now only when shown, else when next shown.
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
                let include_ended = self.register.include_ended;
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
    fn stay_of(&self, delay_id: i64) -> Option<i64> {
        self.data
            .delays
            .iter()
            .find(|d| d.delay_id == delay_id)
            .map(|d| d.stay_id)
            .or_else(|| {
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
        if let Some(d) = &self.register.detail {
            let id = d.row.delay_id;
            self.register.detail = self.store.delay_detail(id).ok();
        }
        let n = self.visible_delays().len();
        self.register.selected = self.register.selected.min(n.saturating_sub(1));
        self.refresh_board_periods();
        self.refresh_report();
        self.clamp_settings();
        self.refresh_long_stay();
        self.refresh_long_stay_bands();
        self.stale = Stale {
            discharges: true,
            weekly: true,
            reconcile: true,
            aggregates: true,
        };
        self.refresh_shown();
    }

    /// Reads the screen shown again if a reload marked it stale.
    fn refresh_shown(&mut self) {
        if self.stale.aggregates && matches!(self.screen, ScreenId::Dashboard | ScreenId::Report) {
            self.stale.aggregates = false;
            let mut data = std::mem::take(&mut self.data);
            if let Err(e) = self.load_aggregates(&mut data) {
                self.message = Some(Message::error(s::load_error(&e)));
            }
            self.data = data;
            self.refresh_report();
        }
        match self.screen {
            ScreenId::Discharges if self.stale.discharges => {
                self.stale.discharges = false;
                self.refresh_discharges();
            }
            ScreenId::Weekly if self.stale.weekly => {
                self.stale.weekly = false;
                self.refresh_weekly();
            }
            ScreenId::Reconcile if self.stale.reconcile => {
                self.stale.reconcile = false;
                self.refresh_reconcile();
            }
            _ => {}
        }
    }

    fn refresh_board_periods(&mut self) {
        self.board.periods = match self.board.ids.get(self.board.index) {
            Some(id) if self.board.phase == BoardPhase::Review => {
                self.store.periods_of(*id).unwrap_or_default()
            }
            _ => Vec::new(),
        };
    }

    fn load(&self) -> crate::Result<Data> {
        let this = YearMonth::of(self.today);
        let from = this.add_months(-(MONTHS_SHOWN - 1));
        let filter = DelayFilter {
            include_ended: self.register.include_ended,
            ..DelayFilter::default()
        };
        let data = Data {
            authorities: self.store.authorities()?,
            populations: self.store.populations()?,
            sites: self.store.sites()?,
            targets: self.store.targets(
                YearMonth::new(1990, 1).unwrap_or(from),
                YearMonth::new(2199, 12).unwrap_or(this),
            )?,
            discharge_targets: self.store.discharge_targets(
                YearMonth::new(1990, 1).unwrap_or(from),
                YearMonth::new(2199, 12).unwrap_or(this),
            )?,
            delays: self.store.list_delays(&filter, self.today)?,
            census: self.store.census(self.today)?,
            ..Data::default()
        };
        // The aggregates are read by `refresh_shown` when a screen that draws them is shown.
        Ok(data)
    }

    /// Reads the month totals and open counts into `data` and computes the monthly report,
    /// forecast and dashboard from them and `data`'s delays and census.
    fn load_aggregates(&self, data: &mut Data) -> crate::Result<()> {
        let this = YearMonth::of(self.today);
        let from = this.add_months(-(MONTHS_SHOWN - 1));
        // Totals by attribution, summed by SQLite: all the report needs.
        data.totals = self.store.month_totals(from, this, &[], self.today)?;
        data.open = self.store.open_counts(self.today)?;
        // The same computation as `commands::monthly::load_monthly`, from what was just read.
        data.monthly = monthly::monthly_from_sums(
            &monthly::sums_of_totals(&data.totals),
            &Inputs {
                authorities: &data.authorities,
                populations: &data.populations,
                targets: &data.targets,
            },
            from,
            this,
            &[],
            self.today,
        );
        data.forecast = forecast(&data.monthly.rows, &data.open, self.today);
        // Open delays regardless of the register's "include ended" switch (the open ones of the
        // rows loaded, in the same order: no second read).
        data.dashboard = if self.register.include_ended {
            let open: Vec<DelayRow> = data
                .delays
                .iter()
                .filter(|d| d.ended_on.is_none())
                .cloned()
                .collect();
            dashboard_rows(data, &open, self.today)
        } else {
            dashboard_rows(data, &data.delays, self.today)
        };
        Ok(())
    }

    /// Recomputes what the monthly report screen shows from the loaded report.
    pub fn refresh_report(&mut self) {
        let mut rows = by_period(&self.data.monthly.rows, self.report.period);
        // Newest period first; within it authority and measure as the report orders them.
        rows.reverse();
        let mut groups: Vec<Vec<MonthlyRow>> = Vec::new();
        for r in rows {
            match groups.last_mut() {
                Some(g) if g[0].month == r.month => g.push(r),
                _ => groups.push(vec![r]),
            }
        }
        self.report.rows = groups
            .into_iter()
            .flat_map(|mut g| {
                g.reverse();
                g
            })
            .collect();
        let n_la = self.data.authorities.len();
        self.report.la = self.report.la.min(n_la.saturating_sub(1));
        self.report.selected = self
            .report
            .selected
            .min(self.report.rows.len().saturating_sub(1));
        let Some(la) = self.data.authorities.get(self.report.la) else {
            self.report.stack.clear();
            self.report.spc = None;
            return;
        };
        let code = la.code.clone();
        // Period rows of this authority, oldest first.
        let mine: Vec<&MonthlyRow> = self
            .report
            .rows
            .iter()
            .rev()
            .filter(|r| r.la_code == code)
            .collect();
        let per_100k = mine.iter().all(|r| r.rate_per_100k_day.is_some());
        self.report.stack_per_100k = per_100k;
        let value = |r: &MonthlyRow| {
            if per_100k {
                r.rate_per_100k_day.unwrap_or(0.0)
            } else {
                r.dtoc_beds
            }
        };
        let mut stack = Vec::new();
        for r in mine.iter().filter(|r| r.measure == Measure::Total) {
            let part = |m: Measure| {
                mine.iter()
                    .find(|x| x.month == r.month && x.measure == m)
                    .map_or(0.0, |x| value(x))
            };
            stack.push(BarColumn {
                label: period_label(&r.month.to_string()),
                parts: vec![
                    part(Measure::Nhs),
                    part(Measure::SocialCare),
                    part(Measure::Both),
                ],
                target: target_in_unit(r, per_100k),
            });
        }
        self.report.stack = stack;
        self.report.spc = Some(spc_view(
            &self.data.monthly.rows,
            &code,
            la.display_name(),
            self.today,
        ));
    }

    /// The register's rows after the quick filters and the typed filter.
    pub fn visible_delays(&self) -> Vec<&DelayRow> {
        let r = &self.register;
        let q = r.query.value().trim().to_lowercase();
        self.data
            .delays
            .iter()
            .filter(|d| r.reason.is_none_or(|x| d.reason == x))
            .filter(|d| r.attribution.is_none_or(|x| d.attribution == x))
            .filter(|d| r.la.as_ref().is_none_or(|x| &d.la_code == x))
            .filter(|d| r.site.as_ref().is_none_or(|x| &d.site_code == x))
            .filter(|d| matches_query(d, &q))
            .collect()
    }

    /// The delay the next command applies to.
    pub fn current_delay(&self) -> Option<&DelayRow> {
        match self.screen {
            ScreenId::Register => match &self.register.detail {
                Some(d) => Some(&d.row),
                None => self.visible_delays().get(self.register.selected).copied(),
            },
            ScreenId::Board if self.board.phase == BoardPhase::Review => {
                let id = self.board.ids.get(self.board.index)?;
                self.find_delay(*id)
            }
            _ => None,
        }
    }

    pub fn find_delay(&self, id: i64) -> Option<&DelayRow> {
        self.data.delays.iter().find(|d| d.delay_id == id)
    }

    /// Board-round progress: (reviewed today or ended, total in the round).
    pub fn board_progress(&self) -> (usize, usize) {
        // One pass over the register (not a search per delay: the round can hold thousands).
        let open_not_reviewed: std::collections::HashSet<i64> = self
            .data
            .delays
            .iter()
            .filter(|d| d.reviewed_on != Some(self.today) && d.ended_on.is_none())
            .map(|d| d.delay_id)
            .collect();
        let done = self
            .board
            .ids
            .iter()
            .filter(|id| !open_not_reviewed.contains(id))
            .count();
        (done, self.board.ids.len())
    }

    pub fn update(&mut self, action: Action) {
        match self.context() {
            Context::Confirm => self.update_confirm(action),
            Context::Help => {
                if matches!(action, Action::Back | Action::Help) {
                    self.help = false;
                }
            }
            Context::Form => self.update_form(action),
            Context::Filter => self.update_filter(action),
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
                        let stay = self.stay_of(delay_id);
                        match self.store.delete_delay(delay_id, version) {
                            Ok(()) => {
                                self.register.detail = None;
                                self.message = Some(Message::info(s::DELETED));
                            }
                            Err(e) => self.message = Some(Message::error(s::store_error(&e))),
                        }
                        // Deleted: its stay's other rows stay; refused: everything read again.
                        match stay {
                            Some(stay)
                                if self.message.as_ref().is_some_and(|m| m.text == s::DELETED) =>
                            {
                                self.reload_stay(stay)
                            }
                            _ => self.reload(),
                        }
                    }
                    ConfirmKind::DiscardForm => self.close_form(),
                    ConfirmKind::QuitForm => self.quit = true,
                }
            }
            Action::No | Action::Back | Action::Cancel => self.confirm = None,
            _ => {}
        }
    }

    /// Typing into the filter of the register or of the long-stay list.
    fn update_filter(&mut self, action: Action) {
        let (query, filtering, selected) = if self.screen == ScreenId::LongStay {
            let l = &mut self.long_stay;
            (&mut l.query, &mut l.filtering, &mut l.selected)
        } else {
            let r = &mut self.register;
            (&mut r.query, &mut r.filtering, &mut r.selected)
        };
        match action {
            Action::Input(e) => {
                let req = match e {
                    TextEdit::Insert(c) => InputRequest::InsertChar(c),
                    TextEdit::Backspace => InputRequest::DeletePrevChar,
                    TextEdit::Delete => InputRequest::DeleteNextChar,
                    TextEdit::Left => InputRequest::GoToPrevChar,
                    TextEdit::Right => InputRequest::GoToNextChar,
                    TextEdit::Home => InputRequest::GoToStart,
                    TextEdit::End => InputRequest::GoToEnd,
                    TextEdit::Clear => InputRequest::DeleteLine,
                };
                query.handle(req);
                *selected = 0;
            }
            Action::Submit => *filtering = false,
            Action::Cancel => {
                query.reset();
                *filtering = false;
                *selected = 0;
            }
            _ => {}
        }
        if self.screen == ScreenId::LongStay {
            self.refresh_long_stay();
        }
    }

    fn update_form(&mut self, action: Action) {
        let Some(af) = self.form.as_mut() else { return };
        match action {
            Action::NextField => af.form.next(),
            Action::PrevField => af.form.prev(),
            Action::ChoiceNext => {
                af.form.cycle(1);
                self.default_usual_residence();
                self.preview_target();
            }
            Action::ChoicePrev => {
                af.form.cycle(-1);
                self.default_usual_residence();
                self.preview_target();
            }
            Action::Input(e) => {
                af.form.edit(e);
                if af.kind == FormKind::Add && af.form.focus == 0 {
                    self.lookup_patient();
                }
                self.default_usual_residence();
                self.preview_target();
            }
            Action::Submit => self.submit_form(),
            Action::Cancel => {
                if af.form.dirty {
                    self.confirm = Some(ConfirmKind::DiscardForm);
                } else {
                    self.close_form();
                }
            }
            Action::ForceQuit => {
                if af.form.dirty {
                    self.confirm = Some(ConfirmKind::QuitForm);
                } else {
                    self.quit = true;
                }
            }
            _ => {}
        }
    }

    /// In the end form, a destination that tells whether the patient went back to their usual
    /// place of residence sets that field, until the user sets it themselves.
    fn default_usual_residence(&mut self) {
        let Some(af) = self.form.as_mut() else { return };
        if !matches!(af.kind, FormKind::End { .. })
            || af.form.focus != END_DESTINATION
            || af.form.is_touched(END_USUAL)
        {
            return;
        }
        let implied = Destination::parse(af.form.value(END_DESTINATION))
            .ok()
            .and_then(Destination::usual_residence);
        af.form.set_value(END_USUAL, usual_residence_code(implied));
    }

    fn lookup_patient(&mut self) {
        let Some(af) = self.form.as_mut() else { return };
        let id = af.form.value(0).to_string();
        af.form.note = if id.is_empty() {
            None
        } else {
            match self.store.find_patient(&id) {
                Ok(Some((_, nhs))) => Some(s::found_patient(nhs.map(|n| n.masked()))),
                Ok(None) => None,
                Err(e) => Some(s::load_error(&e)),
            }
        };
    }

    fn close_form(&mut self) {
        let was_census = matches!(
            self.form.as_ref().map(|f| &f.kind),
            Some(FormKind::Census { .. })
        );
        self.form = None;
        self.save_waiting = false;
        if was_census && self.screen == ScreenId::Board {
            self.board.phase = BoardPhase::Summary;
        }
    }

    fn update_normal(&mut self, action: Action) {
        match action {
            Action::Quit | Action::ForceQuit => {
                self.quit = true;
                return;
            }
            Action::Help => {
                self.help = true;
                return;
            }
            Action::Screen(id) => {
                self.switch(id);
                return;
            }
            Action::NextScreen | Action::PrevScreen => {
                let step = if action == Action::NextScreen {
                    1
                } else {
                    ScreenId::ALL.len() - 1
                };
                let i = (self.screen.index() + step) % ScreenId::ALL.len();
                self.switch(ScreenId::ALL[i]);
                return;
            }
            _ => {}
        }
        match self.screen {
            ScreenId::Dashboard => {}
            ScreenId::Register => self.update_register(action),
            ScreenId::Board => self.update_board(action),
            ScreenId::LongStay => self.update_long_stay(action),
            ScreenId::Report => self.update_report(action),
            ScreenId::Settings => self.update_settings(action),
            ScreenId::Discharges => self.update_discharges(action),
            ScreenId::Weekly => self.update_weekly(action),
            ScreenId::Reconcile => self.update_reconcile(action),
        }
    }

    fn update_report(&mut self, action: Action) {
        match action {
            Action::ToggleView => {
                self.report.view = match self.report.view {
                    ReportView::Table => ReportView::Chart,
                    ReportView::Chart => ReportView::Spc,
                    ReportView::Spc => ReportView::Table,
                };
            }
            Action::CyclePeriod => {
                self.report.period = match self.report.period {
                    Period::Month => Period::Quarter,
                    Period::Quarter => Period::Year,
                    Period::Year => Period::Month,
                };
                self.report.selected = 0;
                self.refresh_report();
            }
            Action::Export => self.export(ExportFormat::Csv),
            Action::ExportXlsx => self.export(ExportFormat::Xlsx),
            _ if self.report.view == ReportView::Table => {
                move_sel(&mut self.report.selected, self.report.rows.len(), action);
                let code = self
                    .report
                    .rows
                    .get(self.report.selected)
                    .map(|r| r.la_code.clone());
                if let Some(i) =
                    code.and_then(|c| self.data.authorities.iter().position(|a| a.code == c))
                {
                    if i != self.report.la {
                        self.report.la = i;
                        self.refresh_report();
                    }
                }
            }
            _ => {
                let before = self.report.la;
                move_sel(&mut self.report.la, self.data.authorities.len(), action);
                if before != self.report.la {
                    self.refresh_report();
                }
            }
        }
    }

    fn switch(&mut self, id: ScreenId) {
        self.screen = id;
        self.refresh_shown();
        if id == ScreenId::Board && !self.board.started {
            self.start_board();
        }
    }

    /// Starts a board round over the delays open now.
    pub fn start_board(&mut self) {
        self.board = BoardState {
            started: true,
            ids: self
                .data
                .delays
                .iter()
                .filter(|d| d.ended_on.is_none())
                .map(|d| d.delay_id)
                .collect(),
            ..BoardState::default()
        };
        self.refresh_board_periods();
    }

    fn update_register(&mut self, action: Action) {
        let n = self.visible_delays().len();
        match action {
            Action::Open => {
                if let Some(id) = self.current_delay().map(|d| d.delay_id) {
                    match self.store.delay_detail(id) {
                        Ok(d) => self.register.detail = Some(d),
                        Err(e) => self.message = Some(Message::error(s::load_error(&e))),
                    }
                }
            }
            Action::Back => self.register.detail = None,
            Action::Filter => self.register.filtering = true,
            Action::CycleReason => {
                self.register.reason = cycle_opt(&ReasonCode::ALL, self.register.reason);
                self.register.selected = 0;
            }
            Action::CycleAttribution => {
                self.register.attribution = cycle_opt(&Attribution::ALL, self.register.attribution);
                self.register.selected = 0;
            }
            Action::CycleAuthority => {
                let all: Vec<String> = self
                    .data
                    .authorities
                    .iter()
                    .map(|a| a.code.clone())
                    .collect();
                self.register.la = cycle_opt(&all, self.register.la.clone());
                self.register.selected = 0;
            }
            Action::CycleSite => {
                let all: Vec<String> = self.data.sites.iter().map(|a| a.code.clone()).collect();
                self.register.site = cycle_opt(&all, self.register.site.clone());
                self.register.selected = 0;
            }
            Action::ClearFilters => {
                let ended = self.register.include_ended;
                self.register = RegisterState {
                    include_ended: ended,
                    ..RegisterState::default()
                };
            }
            Action::ToggleEnded => {
                self.register.include_ended = !self.register.include_ended;
                self.reload();
            }
            Action::Add => self.open_add_form(),
            Action::ChangeReason => self.open_reason_form(),
            Action::End => self.open_end_form(),
            Action::Edit => self.open_edit_form(),
            Action::Delete => match self.current_delay() {
                Some(d) => {
                    self.confirm = Some(ConfirmKind::Delete {
                        delay_id: d.delay_id,
                        version: d.version,
                    })
                }
                None => self.message = Some(Message::error(s::NOTHING_SELECTED)),
            },
            _ if self.register.detail.is_none() => move_sel(&mut self.register.selected, n, action),
            _ => {}
        }
    }

    fn update_board(&mut self, action: Action) {
        match self.board.phase {
            BoardPhase::Review => {}
            BoardPhase::Census => {
                if self.form.is_none() {
                    self.open_census_form();
                }
                return;
            }
            BoardPhase::Summary => {
                if action == Action::StillDelayed {
                    self.start_board();
                }
                return;
            }
        }
        match action {
            Action::StillDelayed => {
                if let Some(id) = self.current_delay().map(|d| d.delay_id) {
                    match self.store.mark_reviewed(id, self.today) {
                        Ok(()) => {
                            self.message = Some(Message::info(s::REVIEWED));
                            // Only this row's review date changed (no counts, no version): set
                            // it here rather than re-read everything, so a round over
                            // thousands of delays stays instant.
                            let today = self.today;
                            if let Some(d) = self.data.delays.iter_mut().find(|d| d.delay_id == id)
                            {
                                d.reviewed_on = Some(today);
                            }
                            self.board_next();
                        }
                        Err(e) => self.message = Some(Message::error(s::store_error(&e))),
                    }
                } else {
                    self.board_next();
                }
            }
            Action::NextItem => self.board_next(),
            Action::PrevItem => {
                self.board.index = self.board.index.saturating_sub(1);
                self.refresh_board_periods();
            }
            Action::ChangeReason => self.open_reason_form(),
            Action::End => self.open_end_form(),
            _ => {}
        }
    }

    fn board_next(&mut self) {
        self.board.index += 1;
        if self.board.index >= self.board.ids.len() {
            self.board.index = self.board.ids.len().saturating_sub(1);
            self.board.phase = BoardPhase::Census;
            self.open_census_form();
        }
        self.refresh_board_periods();
    }

    // ---- forms -------------------------------------------------------------------------------

    fn site_choices(&self) -> Vec<Choice> {
        self.data
            .sites
            .iter()
            .map(|x| {
                Choice::new(
                    &x.code,
                    x.name
                        .clone()
                        .unwrap_or_else(|| x.setting.label().to_string()),
                )
            })
            .collect()
    }

    pub(crate) fn la_choices(&self) -> Vec<Choice> {
        self.data
            .authorities
            .iter()
            .map(|a| Choice::new(&a.code, a.display_name()))
            .collect()
    }

    fn open_add_form(&mut self) {
        if self.data.sites.is_empty() || self.data.authorities.is_empty() {
            self.message = Some(Message::error(s::NEEDS_SITE_AND_LA));
            return;
        }
        let fields = vec![
            Field::new(s::F_LOCAL_ID, FieldKind::Text, true),
            Field::new(s::F_NHS, FieldKind::Nhs, false),
            Field::new(s::F_ADMITTED, FieldKind::Date, true),
            Field::new(s::F_SITE, FieldKind::Choice(self.site_choices()), true),
            Field::new(s::F_LA, FieldKind::Choice(self.la_choices()), true),
            Field::new(s::F_READY, FieldKind::Date, true),
            Field::new(s::F_REASON, FieldKind::Choice(reason_choices()), true),
            Field::new(
                s::F_ATTRIBUTION,
                FieldKind::Choice(attribution_choices()),
                true,
            ),
            Field::new(s::F_PATHWAY, FieldKind::Choice(pathway_choices()), false),
            Field::new(
                s::F_ACUTE_REASON,
                FieldKind::Choice(acute_reason_choices()),
                false,
            ),
        ];
        self.form = Some(ActiveForm {
            kind: FormKind::Add,
            form: Form::new(s::FORM_ADD, fields),
        });
    }

    fn selected_open(&mut self) -> Option<DelayRow> {
        match self.current_delay() {
            None => {
                self.message = Some(Message::error(s::NOTHING_SELECTED));
                None
            }
            Some(d) if d.ended_on.is_some() => {
                self.message = Some(Message::error(s::ALREADY_ENDED));
                None
            }
            Some(d) => Some(d.clone()),
        }
    }

    fn open_reason_form(&mut self) {
        let Some(d) = self.selected_open() else {
            return;
        };
        let fields = vec![
            Field::new(s::F_FROM, FieldKind::Date, true).with_value("t"),
            Field::new(s::F_REASON, FieldKind::Choice(reason_choices()), true)
                .with_value(d.reason.code()),
            Field::new(
                s::F_ATTRIBUTION,
                FieldKind::Choice(attribution_choices()),
                true,
            )
            .with_value(attribution_code(d.attribution)),
            Field::new(
                s::F_ACUTE_REASON,
                FieldKind::Choice(acute_reason_choices()),
                false,
            ),
        ];
        self.form = Some(ActiveForm {
            kind: FormKind::Reason {
                delay_id: d.delay_id,
                version: d.version,
            },
            form: Form::new(s::FORM_REASON, fields),
        });
    }

    fn open_end_form(&mut self) {
        let Some(d) = self.selected_open() else {
            return;
        };
        let kinds = EndKind::ALL
            .iter()
            .map(|k| Choice::new(k.key(), k.label()))
            .collect();
        let fields = vec![
            Field::new(s::F_END_KIND, FieldKind::Choice(kinds), true).with_value("discharged"),
            Field::new(s::F_END_ON, FieldKind::Date, true).with_value("t"),
            Field::new(
                s::F_END_PATHWAY,
                FieldKind::Choice(pathway_choices()),
                false,
            ),
            Field::new(
                s::F_DESTINATION,
                FieldKind::Choice(destination_choices()),
                false,
            ),
            Field::new(
                s::F_USUAL_RESIDENCE,
                FieldKind::Choice(usual_residence_choices()),
                false,
            ),
        ];
        self.form = Some(ActiveForm {
            kind: FormKind::End {
                delay_id: d.delay_id,
                version: d.version,
            },
            form: Form::new(s::FORM_END, fields),
        });
    }

    fn open_edit_form(&mut self) {
        let Some(d) = self.selected_open() else {
            return;
        };
        let fields = vec![
            Field::new(s::F_READY, FieldKind::Date, true).with_value(d.ready_on.to_string()),
            Field::new(s::F_PATHWAY, FieldKind::Choice(pathway_choices()), false).with_value(
                d.planned_pathway
                    .map(|p| p.number().to_string())
                    .unwrap_or_default(),
            ),
            Field::new(s::F_SITE, FieldKind::Choice(self.site_choices()), true)
                .with_value(d.site_code.clone()),
            Field::new(s::F_LA, FieldKind::Choice(self.la_choices()), true)
                .with_value(d.la_code.clone()),
        ];
        self.form = Some(ActiveForm {
            kind: FormKind::Edit {
                delay_id: d.delay_id,
                version: d.version,
            },
            form: Form::new(s::FORM_EDIT, fields),
        });
    }

    fn open_census_form(&mut self) {
        let mut cells = Vec::new();
        let mut fields = Vec::new();
        for site in &self.data.sites {
            for la in &self.data.authorities {
                let existing = self
                    .data
                    .census
                    .iter()
                    .find(|(s, l, _)| s == &site.code && l == &la.code)
                    .map(|c| c.2.to_string())
                    .unwrap_or_default();
                fields.push(
                    Field::new(
                        format!("{} / {}", site.code, la.display_name()),
                        FieldKind::Number,
                        false,
                    )
                    .with_value(existing),
                );
                cells.push((site.code.clone(), la.code.clone()));
            }
        }
        if cells.is_empty() {
            self.board.phase = BoardPhase::Summary;
            return;
        }
        self.form = Some(ActiveForm {
            kind: FormKind::Census { cells },
            form: Form::new(s::FORM_CENSUS, fields),
        });
    }

    fn submit_form(&mut self) {
        let today = self.today;
        let Some(af) = self.form.as_mut() else { return };
        af.form.tried = true;
        if let Some(i) = af.form.first_invalid(today) {
            af.form.focus = i;
            af.form.error = Some(s::FIX_FIELDS.to_string());
            return;
        }
        let kind = af.kind.clone();
        let result = crate::ui::settings::save_settings(
            &mut self.store,
            &kind,
            &af.form,
            &self.data.populations,
        )
        .map(|r| r.map(|note| (note, None)))
        .unwrap_or_else(|| save(&mut self.store, &kind, &af.form, today));
        self.save_waiting = matches!(result, Err(crate::Error::Busy(_)));
        match result {
            Ok((note, delay)) => {
                self.close_form();
                self.message = Some(Message::info(match note {
                    Some(n) => format!("{} {n}", s::SAVED),
                    None => s::SAVED.to_string(),
                }));
                // One delay saved: its stay's rows and the aggregates; anything else: everything.
                match delay.and_then(|id| self.stay_of(id)) {
                    Some(stay) => self.reload_stay(stay),
                    None => self.reload(),
                }
                match kind {
                    FormKind::End { .. } if self.screen == ScreenId::Board => self.board_next(),
                    FormKind::Census { .. } => self.board.phase = BoardPhase::Summary,
                    _ => {}
                }
            }
            Err(crate::Error::Busy(_)) => {
                // Not a failure: the entry stays in the form and `tick` tries again.
                if let Some(af) = self.form.as_mut() {
                    af.form.error = Some(crate::ui::saving::WAITING.to_string());
                }
                self.message = Some(Message::info(crate::ui::saving::WAITING));
            }
            Err(e @ crate::Error::Conflict(_)) => {
                let explained = self.form.as_ref().and_then(|af| {
                    crate::ui::saving::explain_conflict(&self.store, &af.kind, &af.form, today)
                });
                if let Some(af) = self.form.as_mut() {
                    match explained {
                        Some((text, current)) => {
                            // The user has now seen their changes: Enter applies the entry on top.
                            if let FormKind::Reason { version, .. }
                            | FormKind::End { version, .. }
                            | FormKind::Edit { version, .. } = &mut af.kind
                            {
                                *version = current;
                            }
                            af.form.error = Some(text);
                        }
                        None => af.form.error = Some(s::store_error(&e)),
                    }
                }
                self.reload();
            }
            Err(e) => {
                if let Some(af) = self.form.as_mut() {
                    af.form.error = Some(s::store_error(&e));
                }
            }
        }
    }

    /// Writes the report rows of the period shown (aggregates only: no patient data).
    fn export(&mut self, format: ExportFormat) {
        let period = match self.report.period {
            Period::Month => "",
            Period::Quarter => "-quarterly",
            Period::Year => "-yearly",
        };
        let path = self.export_dir.join(format!(
            "dtoc-monthly-{}{period}.{}",
            YearMonth::of(self.today).key(),
            format.extension()
        ));
        let mut rows = self.report.rows.clone();
        // Files read oldest first, like `dtoc report monthly`.
        rows.sort_by_key(|a| a.month);
        let result = match format {
            ExportFormat::Csv => crate::ui::screens::report::export_csv(&rows, &path),
            ExportFormat::Xlsx => crate::ui::screens::report::export_xlsx(&rows, &path, self.today),
        };
        match result {
            Ok(()) => self.message = Some(Message::info(s::exported(&path))),
            Err(e) => self.message = Some(Message::error(format!("{}: {e}", path.display()))),
        }
    }
}

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
        }
    }
}

/// `2018-07` → `Jul`; quarter and year labels are kept short (`Q2 18/19`, `2018/19`).
pub fn period_label(key: &str) -> String {
    if let Ok(m) = YearMonth::parse(key) {
        return m.first_day().format("%b").to_string();
    }
    match key.split_once(' ') {
        Some((year, q)) => format!("{q} {}", year.get(2..).unwrap_or(year)),
        None => key.to_string(),
    }
}

/// The target of a total row in the unit of its chart.
fn target_in_unit(r: &MonthlyRow, per_100k: bool) -> Option<f64> {
    if per_100k {
        r.target_per_100k_day
    } else {
        r.target_days.map(|t| t / f64::from(r.days_in_month.max(1)))
    }
}

/// The XmR chart of one authority's total rate per day over the complete months loaded (as
/// `dtoc report spc` draws it).
fn spc_view(rows: &[MonthlyRow], la: &str, name: &str, today: NaiveDate) -> SpcView {
    let this = crate::report::period::PeriodKey::Month(YearMonth::of(today));
    let mine: Vec<&MonthlyRow> = rows
        .iter()
        .filter(|r| r.la_code == la && r.measure == Measure::Total && r.month < this)
        .collect();
    let per_100k = mine.iter().all(|r| r.rate_per_100k_day.is_some());
    let series: Vec<(YearMonth, f64)> = mine
        .iter()
        .filter_map(|r| {
            let v = if per_100k {
                r.rate_per_100k_day?
            } else {
                r.dtoc_beds
            };
            Some((r.month.month()?, v))
        })
        .collect();
    let target = mine.iter().rev().find_map(|r| target_in_unit(r, per_100k));
    SpcView {
        la_code: la.to_string(),
        la_name: name.to_string(),
        unit: if per_100k {
            s::UNIT_PER_100K
        } else {
            s::UNIT_PER_DAY
        },
        chart: xmr(&series, target).map_err(|e| e.to_string()),
    }
}

/// The dashboard's figures per authority, from the loaded report and the open delays.
fn dashboard_rows(data: &Data, open: &[DelayRow], today: NaiveDate) -> Vec<DashRow> {
    let this = crate::report::period::PeriodKey::Month(YearMonth::of(today));
    data.authorities
        .iter()
        .map(|a| {
            let totals: Vec<&MonthlyRow> = data
                .monthly
                .rows
                .iter()
                .filter(|r| r.la_code == a.code && r.measure == Measure::Total)
                .collect();
            let per_100k = totals.iter().all(|r| r.rate_per_100k_day.is_some());
            let trend = totals
                .iter()
                .map(|r| BarColumn {
                    label: period_label(&r.month.to_string()),
                    parts: vec![if per_100k {
                        r.rate_per_100k_day.unwrap_or(0.0)
                    } else {
                        r.dtoc_beds
                    }],
                    target: target_in_unit(r, per_100k),
                })
                .collect();
            let now_of = |x: Attribution| {
                data.open
                    .iter()
                    .filter(|o| o.la_code == a.code && o.attribution == x)
                    .map(|o| o.patients)
                    .sum()
            };
            let stays = |min: u32| {
                open.iter()
                    .filter(|d| {
                        d.ended_on.is_none()
                            && d.la_code == a.code
                            && d.length_of_stay(today) >= min
                    })
                    .map(|d| d.stay_id)
                    .collect::<std::collections::HashSet<_>>()
                    .len()
            };
            DashRow {
                la_code: a.code.clone(),
                la_name: a.display_name().to_string(),
                month: totals
                    .iter()
                    .find(|r| r.month == this)
                    .map(|r| (*r).clone()),
                forecast: data
                    .forecast
                    .iter()
                    .find(|f| f.la_code == a.code && f.measure == Measure::Total)
                    .cloned(),
                now: [
                    now_of(Attribution::Nhs),
                    now_of(Attribution::SocialCare),
                    now_of(Attribution::Both),
                ],
                los14: stays(14),
                los21: stays(21),
                delayed_now: stays(0),
                trend,
                per_100k,
            }
        })
        .collect()
}

/// Saves a valid form through the store: a warning to show, if any, and the delay saved (so that
/// only its stay is read again).
fn save(
    store: &mut Store,
    kind: &FormKind,
    f: &Form,
    today: NaiveDate,
) -> crate::Result<(Option<String>, Option<i64>)> {
    let inv = |m: String| crate::Error::invalid(m);
    let date = |i: usize| {
        f.date(i, today)
            .ok_or_else(|| inv(format!("{}: not a date", f.value(i))))
    };
    let reason = |i: usize| ReasonCode::parse(f.value(i)).map_err(|e| inv(e.to_string()));
    let attribution = |i: usize| Attribution::parse(f.value(i)).map_err(|e| inv(e.to_string()));
    let pathway = |i: usize| -> crate::Result<Option<Pathway>> {
        let v = f.value(i);
        if v.is_empty() {
            Ok(None)
        } else {
            Pathway::parse(v).map(Some).map_err(|e| inv(e.to_string()))
        }
    };
    let la = |i: usize| LaCode::parse(f.value(i)).map_err(|e| inv(e.to_string()));
    let acute = |i: usize| -> crate::Result<Option<AcuteReason>> {
        match f.value(i) {
            "" => Ok(None),
            v => AcuteReason::parse(v)
                .map(Some)
                .map_err(|e| inv(e.to_string())),
        }
    };
    match kind {
        FormKind::Add => {
            let nhs = match f.value(1) {
                "" => None,
                v => Some(NhsNumber::parse(v).map_err(|e| inv(e.to_string()))?),
            };
            let new = NewDelay {
                local_id: f.value(0).to_string(),
                nhs_number: nhs,
                admitted_on: date(2)?,
                site_code: f.value(3).to_uppercase(),
                la_code: la(4)?,
                ready_on: date(5)?,
                reason: reason(6)?,
                attribution: attribution(7)?,
                planned_pathway: pathway(8)?,
                acute_reason: acute(9)?,
            };
            let id = store.add_delay(&new, today)?;
            Ok((new.reason.attribution_warning(new.attribution), Some(id)))
        }
        FormKind::Reason { delay_id, version } => {
            let c = ReasonChange {
                delay_id: *delay_id,
                version: *version,
                from: date(0)?,
                reason: reason(1)?,
                attribution: attribution(2)?,
                acute_reason: acute(3)?,
            };
            store.change_reason(&c, today)?;
            Ok((c.reason.attribution_warning(c.attribution), Some(*delay_id)))
        }
        FormKind::End { delay_id, version } => {
            let kind = EndKind::parse(f.value(0)).map_err(|e| inv(e.to_string()))?;
            let pathway = pathway(2)?;
            if kind == EndKind::Discharged && pathway.is_none() {
                return Err(inv(s::ERR_PATHWAY_NEEDED.to_string()));
            }
            let dest = f.value(3);
            store.end_delay(
                &EndDelay {
                    delay_id: *delay_id,
                    version: *version,
                    on: date(1)?,
                    kind,
                    pathway,
                    destination: (!dest.is_empty()).then(|| dest.to_string()),
                    usual_residence: usual_residence_saved(f.value(4)),
                },
                today,
            )?;
            Ok((None, Some(*delay_id)))
        }
        FormKind::Edit { delay_id, version } => {
            let old = store.delay_detail(*delay_id)?.row;
            let ready = date(0)?;
            let pw = pathway(1)?;
            let site = f.value(2).to_uppercase();
            let la_code = la(3)?;
            let edit = EditDelay {
                delay_id: *delay_id,
                version: *version,
                ready_on: (ready != old.ready_on).then_some(ready),
                planned_pathway: (pw != old.planned_pathway).then_some(pw),
                site_code: (site != old.site_code).then_some(site),
                la_code: (la_code.as_str() != old.la_code).then_some(la_code),
                admitted_on: None,
            };
            store.edit_delay(&edit, today)?;
            Ok((None, Some(*delay_id)))
        }
        FormKind::Census { cells } => {
            for (i, (site, la_code)) in cells.iter().enumerate() {
                let v = f.value(i);
                if v.is_empty() {
                    continue;
                }
                let n: u32 = v.parse().map_err(|_| inv(s::ERR_NOT_NUMBER.to_string()))?;
                let la_code = LaCode::parse(la_code).map_err(|e| inv(e.to_string()))?;
                store.set_census(today, site, &la_code, n)?;
            }
            Ok((None, None))
        }
        // Settings forms are saved by `crate::ui::settings::save_settings`.
        FormKind::Authority
        | FormKind::Population
        | FormKind::Site
        | FormKind::Target
        | FormKind::DischargeTarget => {
            Err(inv(format!("{kind:?} is saved by the settings screen")))
        }
        FormKind::SignOff { week } => {
            crate::ui::screens::weekly::save_signoff(store, *week, f, today).map(|n| (n, None))
        }
        FormKind::Reopen { week } => {
            crate::ui::screens::weekly::save_reopen(store, *week, f).map(|n| (n, None))
        }
        FormKind::Mark {
            month,
            la,
            measure,
            day,
        } => crate::ui::screens::reconcile::save_mark(store, *month, la, *measure, day.as_ref(), f)
            .map(|n| (n, None)),
    }
}

fn reason_choices() -> Vec<Choice> {
    ReasonCode::ALL
        .iter()
        .map(|r| Choice::new(r.code(), r.label()))
        .collect()
}

fn attribution_choices() -> Vec<Choice> {
    Attribution::ALL
        .iter()
        .map(|a| Choice::new(attribution_code(*a), a.label()))
        .collect()
}

/// The short code typed for an attribution (what `Attribution::parse` accepts).
fn attribution_code(a: Attribution) -> &'static str {
    match a {
        Attribution::Nhs => "nhs",
        Attribution::SocialCare => "sc",
        Attribution::Both => "both",
    }
}

/// The 12 destinations of the acute discharge sitrep (table 4).
fn destination_choices() -> Vec<Choice> {
    crate::domain::Destination::ALL
        .iter()
        .map(|d| Choice::new(d.code(), d.label()))
        .collect()
}

/// The 18 reasons of the acute sitrep (table 5), recorded beside a DTOC reason code.
fn acute_reason_choices() -> Vec<Choice> {
    AcuteReason::ALL
        .iter()
        .map(|a| Choice::new(a.code(), a.label()))
        .collect()
}

/// Yes, no or not known: whether a discharge went to the usual place of residence.
fn usual_residence_choices() -> Vec<Choice> {
    vec![
        Choice::new(USUAL_CODES[0], s::USUAL_YES),
        Choice::new(USUAL_CODES[1], s::USUAL_NO),
        Choice::new(USUAL_CODES[2], s::USUAL_UNKNOWN),
    ]
}

/// The end form's destination and usual-residence fields.
const END_DESTINATION: usize = 3;
const END_USUAL: usize = 4;

/// The codes of the usual-residence pick list.
const USUAL_CODES: [&str; 3] = ["yes", "no", "unknown"];

/// The pick-list code for a known or unknown usual residence.
fn usual_residence_code(u: Option<bool>) -> &'static str {
    match u {
        Some(true) => USUAL_CODES[0],
        Some(false) => USUAL_CODES[1],
        None => USUAL_CODES[2],
    }
}

/// The stored value of the usual-residence field (empty or `unknown`: not known).
fn usual_residence_saved(code: &str) -> Option<bool> {
    match code {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

fn pathway_choices() -> Vec<Choice> {
    Pathway::ALL
        .iter()
        .map(|p| Choice::new(p.number().to_string(), p.label()))
        .collect()
}

/// Whether a delay matches a typed filter (lower case): its local id, site, authority code or
/// name, reason code (exactly) or reason label.
pub(crate) fn matches_query(d: &DelayRow, q: &str) -> bool {
    q.is_empty()
        || contains_ci(&d.local_id, q)
        || contains_ci(&d.site_code, q)
        || contains_ci(&d.la_code, q)
        || contains_ci(d.la_name.as_deref().unwrap_or(""), q)
        || d.reason.code().eq_ignore_ascii_case(q)
        || contains_ci(d.reason.label(), q)
}

/// Whether `hay` contains `needle` (already lower case), ignoring case. ASCII needles (what is
/// typed into a filter) are compared without allocating: the filter runs over every row of a
/// 10,000-delay register on each key.
fn contains_ci(hay: &str, needle: &str) -> bool {
    if !needle.is_ascii() {
        return hay.to_lowercase().contains(needle);
    }
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// None → first → … → last → None.
fn cycle_opt<T: Clone + PartialEq>(all: &[T], cur: Option<T>) -> Option<T> {
    match cur {
        None => all.first().cloned(),
        Some(c) => {
            let i = all.iter().position(|x| *x == c)?;
            all.get(i + 1).cloned()
        }
    }
}

/// Moves a list selection for the movement actions.
pub(crate) fn move_sel(sel: &mut usize, len: usize, action: Action) {
    let last = len.saturating_sub(1);
    *sel = match action {
        Action::Down => (*sel + 1).min(last),
        Action::Up => sel.saturating_sub(1),
        Action::Top => 0,
        Action::Bottom => last,
        Action::PageDown => (*sel + 10).min(last),
        Action::PageUp => sel.saturating_sub(10),
        _ => (*sel).min(last),
    };
}
