//! App state and `update(Action)`: all behaviour lives here; rendering only reads this state.
//! `today` is passed in and never read from the clock.

use crate::domain::{
    Attribution, EndKind, LaCode, Measure, NhsNumber, Pathway, ReasonCode, TargetUnit, YearMonth,
};
use crate::store::{
    Authority, CountRow, DelayDetail, DelayFilter, DelayRow, EditDelay, EndDelay, NewDelay,
    OpenCount, Population, ReasonChange, Site, Store, Target,
};
use crate::ui::keymap::{Action, Context, ScreenId, TextEdit};
use crate::ui::strings as s;
use crate::ui::theme::Theme;
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
    /// Open delays (and ended ones when the register includes them), longest first.
    pub delays: Vec<DelayRow>,
    /// Delayed days of the last [`MONTHS_SHOWN`] months.
    pub counts: Vec<CountRow>,
    pub open: Vec<OpenCount>,
    pub census: Vec<(String, String, u32)>,
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
    Target,
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

#[derive(Debug, Clone)]
pub struct LongStayState {
    /// List patients ready for more than this many days.
    pub days: u32,
    pub sort_by_los: bool,
    pub selected: usize,
}

impl Default for LongStayState {
    fn default() -> Self {
        Self {
            days: 10,
            sort_by_los: false,
            selected: 0,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct ReportState {
    pub chart: bool,
    pub selected: usize,
}

#[derive(Debug, Clone, Default)]
pub struct SettingsState {
    pub selected: usize,
}

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
    pub form: Option<ActiveForm>,
    pub confirm: Option<ConfirmKind>,
    pub help: bool,
    pub message: Option<Message>,
    pub quit: bool,
    /// Where `E` writes the monthly report.
    pub export_dir: PathBuf,
    last_version: Option<i64>,
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
            form: None,
            confirm: None,
            help: false,
            message: None,
            quit: false,
            export_dir: PathBuf::from("."),
            last_version: None,
        };
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
                ScreenId::LongStay => Context::LongStay,
                ScreenId::Report => Context::Report,
                ScreenId::Settings => Context::Settings,
            }
        }
    }

    /// Maps a key through the keymap and applies it (what the event loop and the tests do).
    pub fn handle_key(&mut self, key: &crossterm::event::KeyEvent) {
        if let Some(a) = crate::ui::keymap::action_for(self.context(), key) {
            self.update(a);
        }
    }

    /// Reloads when another process has committed since the last look.
    pub fn tick(&mut self) {
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

    /// Reads everything the screens show.
    pub fn reload(&mut self) {
        match self.load() {
            Ok(d) => self.data = d,
            Err(e) => self.message = Some(Message::error(s::load_error(&e))),
        }
        if let Some(d) = &self.register.detail {
            let id = d.row.delay_id;
            self.register.detail = self.store.delay_detail(id).ok();
        }
        let n = self.visible_delays().len();
        self.register.selected = self.register.selected.min(n.saturating_sub(1));
        self.refresh_board_periods();
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
        Ok(Data {
            authorities: self.store.authorities()?,
            populations: self.store.populations()?,
            sites: self.store.sites()?,
            targets: self.store.targets(
                YearMonth::new(1990, 1).unwrap_or(from),
                YearMonth::new(2199, 12).unwrap_or(this),
            )?,
            delays: self.store.list_delays(&filter, self.today)?,
            counts: self.store.month_counts(from, this, &[], self.today)?,
            open: self.store.open_counts(self.today)?,
            census: self.store.census(self.today)?,
        })
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
            .filter(|d| {
                q.is_empty()
                    || d.local_id.to_lowercase().contains(&q)
                    || d.site_code.to_lowercase().contains(&q)
                    || d.la_code.to_lowercase().contains(&q)
                    || d.la_name
                        .as_deref()
                        .unwrap_or("")
                        .to_lowercase()
                        .contains(&q)
                    || d.reason.code().to_lowercase() == q
                    || d.reason.label().to_lowercase().contains(&q)
            })
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
        let done = self
            .board
            .ids
            .iter()
            .filter(|id| {
                self.find_delay(**id)
                    .is_none_or(|d| d.reviewed_on == Some(self.today) || d.ended_on.is_some())
            })
            .count();
        (done, self.board.ids.len())
    }

    /// The long-stay list: open delays ready for more than N days.
    pub fn long_waiters(&self) -> Vec<&DelayRow> {
        let mut v: Vec<&DelayRow> = self
            .data
            .delays
            .iter()
            .filter(|d| d.ended_on.is_none() && d.days_delayed(self.today) > self.long_stay.days)
            .collect();
        if self.long_stay.sort_by_los {
            v.sort_by_key(|d| std::cmp::Reverse(d.length_of_stay(self.today)));
        } else {
            v.sort_by_key(|d| std::cmp::Reverse(d.days_delayed(self.today)));
        }
        v
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
                        match self.store.delete_delay(delay_id, version) {
                            Ok(()) => {
                                self.register.detail = None;
                                self.message = Some(Message::info(s::DELETED));
                            }
                            Err(e) => self.message = Some(Message::error(s::store_error(&e))),
                        }
                        self.reload();
                    }
                    ConfirmKind::DiscardForm => self.close_form(),
                    ConfirmKind::QuitForm => self.quit = true,
                }
            }
            Action::No | Action::Back | Action::Cancel => self.confirm = None,
            _ => {}
        }
    }

    fn update_filter(&mut self, action: Action) {
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
                self.register.query.handle(req);
                self.register.selected = 0;
            }
            Action::Submit => self.register.filtering = false,
            Action::Cancel => {
                self.register.query.reset();
                self.register.filtering = false;
                self.register.selected = 0;
            }
            _ => {}
        }
    }

    fn update_form(&mut self, action: Action) {
        let Some(af) = self.form.as_mut() else { return };
        match action {
            Action::NextField => af.form.next(),
            Action::PrevField => af.form.prev(),
            Action::ChoiceNext => af.form.cycle(1),
            Action::ChoicePrev => af.form.cycle(-1),
            Action::Input(e) => {
                af.form.edit(e);
                if af.kind == FormKind::Add && af.form.focus == 0 {
                    self.lookup_patient();
                }
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
                let step = if action == Action::NextScreen { 1 } else { 5 };
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
            ScreenId::Report => {
                let n = crate::ui::screens::report::rows(self).len();
                match action {
                    Action::ToggleView => self.report.chart = !self.report.chart,
                    Action::Export => self.export(),
                    _ => move_sel(&mut self.report.selected, n, action),
                }
            }
            ScreenId::Settings => match action {
                Action::Add => self.open_target_form(),
                _ => move_sel(&mut self.settings.selected, self.data.targets.len(), action),
            },
        }
    }

    fn switch(&mut self, id: ScreenId) {
        self.screen = id;
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
                            self.reload();
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

    fn update_long_stay(&mut self, action: Action) {
        match action {
            Action::More => self.long_stay.days = (self.long_stay.days + 1).min(365),
            Action::Fewer => self.long_stay.days = self.long_stay.days.saturating_sub(1),
            Action::Sort => self.long_stay.sort_by_los = !self.long_stay.sort_by_los,
            _ => {
                let n = self.long_waiters().len();
                move_sel(&mut self.long_stay.selected, n, action)
            }
        }
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

    fn la_choices(&self) -> Vec<Choice> {
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
            Field::new(s::F_DESTINATION, FieldKind::Text, false),
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

    fn open_target_form(&mut self) {
        if self.data.authorities.is_empty() {
            self.message = Some(Message::error(s::NO_AUTHORITIES));
            return;
        }
        let measures = Measure::ALL
            .iter()
            .map(|m| Choice::new(m.key(), m.label()))
            .collect();
        let units = TargetUnit::ALL
            .iter()
            .map(|u| Choice::new(u.key(), u.key().replace('_', " ")))
            .collect();
        let fields = vec![
            Field::new(s::F_LA, FieldKind::Choice(self.la_choices()), true),
            Field::new(s::F_MONTH, FieldKind::Month, true)
                .with_value(YearMonth::of(self.today).key()),
            Field::new(s::F_MEASURE, FieldKind::Choice(measures), true).with_value("total"),
            Field::new(s::F_UNIT, FieldKind::Choice(units), true).with_value("days_per_day"),
            Field::new(s::F_VALUE, FieldKind::Decimal, true),
        ];
        self.form = Some(ActiveForm {
            kind: FormKind::Target,
            form: Form::new(s::FORM_TARGET, fields),
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
        let result = save(&mut self.store, &kind, &af.form, today);
        match result {
            Ok(note) => {
                self.close_form();
                self.message = Some(Message::info(match note {
                    Some(n) => format!("{} {n}", s::SAVED),
                    None => s::SAVED.to_string(),
                }));
                self.reload();
                match kind {
                    FormKind::End { .. } if self.screen == ScreenId::Board => self.board_next(),
                    FormKind::Census { .. } => self.board.phase = BoardPhase::Summary,
                    _ => {}
                }
            }
            Err(e) => {
                if let Some(af) = self.form.as_mut() {
                    af.form.error = Some(s::store_error(&e));
                }
            }
        }
    }

    fn export(&mut self) {
        let path = self.export_dir.join(format!(
            "dtoc-monthly-{}.csv",
            YearMonth::of(self.today).key()
        ));
        match crate::ui::screens::report::export_csv(self, &path) {
            Ok(()) => self.message = Some(Message::info(s::exported(&path))),
            Err(e) => self.message = Some(Message::error(format!("{}: {e}", path.display()))),
        }
    }
}

/// Saves a valid form through the store; `Ok(Some(note))` carries a warning to show.
fn save(
    store: &mut Store,
    kind: &FormKind,
    f: &Form,
    today: NaiveDate,
) -> crate::Result<Option<String>> {
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
            };
            store.add_delay(&new, today)?;
            Ok(new.reason.attribution_warning(new.attribution))
        }
        FormKind::Reason { delay_id, version } => {
            let c = ReasonChange {
                delay_id: *delay_id,
                version: *version,
                from: date(0)?,
                reason: reason(1)?,
                attribution: attribution(2)?,
            };
            store.change_reason(&c, today)?;
            Ok(c.reason.attribution_warning(c.attribution))
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
                },
                today,
            )?;
            Ok(None)
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
            Ok(None)
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
            Ok(None)
        }
        FormKind::Target => {
            let t = Target {
                la_code: la(0)?.as_str().to_string(),
                month: YearMonth::parse(f.value(1)).map_err(|e| inv(e.to_string()))?,
                measure: Measure::parse(f.value(2)).map_err(|e| inv(e.to_string()))?,
                unit: TargetUnit::parse(f.value(3)).map_err(|e| inv(e.to_string()))?,
                value: f
                    .value(4)
                    .parse()
                    .map_err(|_| inv(s::ERR_NOT_DECIMAL.to_string()))?,
            };
            store.set_target(&t)?;
            Ok(None)
        }
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

fn pathway_choices() -> Vec<Choice> {
    Pathway::ALL
        .iter()
        .map(|p| Choice::new(p.number().to_string(), p.label()))
        .collect()
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
fn move_sel(sel: &mut usize, len: usize, action: Action) {
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
