//! Screen 4: length-of-stay bands (nested 7+ stranded ⊇ 14+ ⊇ 21+ super-stranded) of today's
//! inpatients, acute and community apart, with the share over the sites that have a denominator
//! (the figures of `report los`: [`crate::report::discharge::load_los`]), the delayed patients in
//! the same bands (named as delayed, not stranded), and the list of patients ready for more
//! than N days (10 by default: the Monday list of docs/discharge.md), sortable by any column in either
//! direction, filtered as you type like the register, and exported (`E` CSV, `X` XLSX) as an
//! explicit patient list. The export's first line says it holds patient identifiers; NHS numbers
//! stay masked (`*** *** 5919`) in it, as on screen.

use super::{cut, filter_line, move_sel};
use crate::commands::output::{self, Format};
use crate::report::discharge::{Level, LosRow};
use crate::report::table::{Kind, Table, Value};
use crate::store::{DelayRow, FileAction};
use crate::ui::about::About;
use crate::ui::app::App;
use crate::ui::keymap::{b, ch, Action, Binding, Context, EXPORT, GLOBAL, MOVE, S};
use crate::ui::screens::{KeyContext, Screen, Slot};
use crate::ui::strings as s;
use crate::ui::widgets::message::Message;
use crate::ui::widgets::table::{self, Cell};
use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui::Frame;
use tui_input::Input;

/// The column the long-stay list is sorted by (`s` cycles, `o` reverses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LongSort {
    #[default]
    DaysDelayed,
    LengthOfStay,
    ReadyDate,
    LocalId,
    Site,
    Ward,
    Authority,
}

impl LongSort {
    pub const ALL: [LongSort; 7] = [
        Self::DaysDelayed,
        Self::LengthOfStay,
        Self::ReadyDate,
        Self::LocalId,
        Self::Site,
        Self::Ward,
        Self::Authority,
    ];

    pub fn label(self) -> &'static str {
        s::LONG_SORTS[Self::ALL.iter().position(|x| *x == self).unwrap_or(0)]
    }

    fn next(self) -> Self {
        let i = Self::ALL.iter().position(|x| *x == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    /// Whether the column is a number (a new sort by it starts longest first) rather than a
    /// text (A to Z first).
    fn numeric(self) -> bool {
        matches!(
            self,
            Self::DaysDelayed | Self::LengthOfStay | Self::ReadyDate
        )
    }

    /// Two rows by this column, ascending: a number, or a text in natural order (`Ward 7`
    /// before `Ward 10`, any case), then the delay id so ties keep one order from frame to
    /// frame.
    fn cmp(self, a: &DelayRow, b: &DelayRow, today: NaiveDate) -> std::cmp::Ordering {
        use crate::domain::natural_cmp;
        let by = match self {
            Self::DaysDelayed => a.days_delayed(today).cmp(&b.days_delayed(today)),
            Self::LengthOfStay => a.length_of_stay(today).cmp(&b.length_of_stay(today)),
            Self::ReadyDate => a.ready_on.cmp(&b.ready_on),
            Self::LocalId => natural_cmp(&a.local_id, &b.local_id),
            Self::Site => natural_cmp(&a.site_code, &b.site_code),
            Self::Ward => return a.cmp_place(b),
            Self::Authority => a.la_code.as_str().cmp(b.la_code.as_str()),
        };
        by.then_with(|| a.delay_id.cmp(&b.delay_id))
    }
}

#[derive(Debug, Clone)]
pub struct LongStayState {
    /// List patients ready for more than this many days.
    pub days: u32,
    pub sort: LongSort,
    /// Longest (largest) first; a new sort column starts descending.
    pub descending: bool,
    pub selected: usize,
    pub query: Input,
    pub filtering: bool,
    /// Every open delay (indices into the loaded delays) in the order of the sort: sorted when
    /// the data or the sort column change, reversed by `o`, and not sorted again when N or the
    /// filter change (10,000 open delays).
    pub order: Vec<usize>,
    /// The list shown: `order` filtered by N and the typed filter. Recomputed when the data, N,
    /// the filter or the sort change, not on every frame.
    pub rows: Vec<usize>,
    /// The widths the list's columns want for `rows` (measured when the rows change, not on
    /// every frame).
    pub fit: Fit,
    /// Delayed patients (distinct stays) with length of stay 7+, 14+ and 21+ days today.
    pub bands: [usize; 3],
    /// Today's length of stay of all inpatients, every level (read off the draw loop).
    pub los: Vec<LosRow>,
    /// The data changed since the order and the bands were computed: computed when next shown
    /// (a save on another screen does not sort 10,000 delays for a list not shown).
    pub stale: bool,
}

impl Default for LongStayState {
    fn default() -> Self {
        Self {
            days: 10,
            sort: LongSort::DaysDelayed,
            descending: true,
            selected: 0,
            query: Input::default(),
            filtering: false,
            order: Vec::new(),
            rows: Vec::new(),
            fit: Fit::default(),
            bands: [0; 3],
            los: Vec::new(),
            stale: true,
        }
    }
}

pub const TITLE: &str = "Long stay";
pub const SHORT: &str = "Long";

/// The long-stay list: open delays ready for more than N days, filtered and sorted.
pub fn waiters(app: &App) -> Vec<&DelayRow> {
    app.screens
        .long_stay
        .rows
        .iter()
        .filter_map(|i| app.data.delays.get(*i))
        .collect()
}

/// The widths the list's columns want (see `list_table`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fit {
    id: u16,
    site: u16,
    ward: u16,
    la: u16,
    expected: bool,
}

/// The bands (they depend on the data only), the order and the list.
fn compute(app: &mut App) {
    let delays = &app.data.delays;
    app.screens.long_stay.bands = [7, 14, 21].map(|min| band(delays, min, app.today));
    let order: Vec<usize> = delays
        .iter()
        .enumerate()
        .filter(|(_, d)| d.ended_on.is_none())
        .map(|(i, _)| i)
        .collect();
    app.screens.long_stay.order = order;
    sort(app);
    refresh_list(app, true);
}

/// The list from the sorted order: the delays ready for more than N days that match the filter
/// (no sort); `refit`: the rows may be others, so their widths are measured again.
fn refresh_list(app: &mut App, refit_rows: bool) {
    let today = app.today;
    let ls = &app.screens.long_stay;
    let q = ls.query.value().trim().to_lowercase();
    let delays = &app.data.delays;
    let rows: Vec<usize> = ls
        .order
        .iter()
        .copied()
        .filter(|i| {
            delays.get(*i).is_some_and(|d| {
                d.days_delayed(today) > ls.days && super::register::matches_query(d, &q)
            })
        })
        .collect();
    let ls = &mut app.screens.long_stay;
    ls.selected = ls.selected.min(rows.len().saturating_sub(1));
    ls.rows = rows;
    if refit_rows {
        refit(app);
    }
}

/// Measures the widths the list's columns want for the rows shown.
fn refit(app: &mut App) {
    use crate::ui::screens::register::list::{id_col_width, la_width, want, want_str, ward_bed};
    let rows = waiters(app);
    let fit = Fit {
        id: id_col_width(&rows),
        site: want_str(&rows, "Site", 8, |d| &d.site_code),
        ward: want(&rows, "", 20, ward_bed),
        la: la_width(app, &rows, "LA", 16),
        expected: rows.iter().any(|d| d.expected_on.is_some()),
    };
    app.screens.long_stay.fit = fit;
}

/// Sorts every open delay by the current column and direction.
fn sort(app: &mut App) {
    let (today, delays, ls) = (app.today, &app.data.delays, &mut app.screens.long_stay);
    let sort = ls.sort;
    ls.order.sort_by(|i, j| match (delays.get(*i), delays.get(*j)) {
        (Some(a), Some(b)) => sort.cmp(a, b, today),
        _ => i.cmp(j),
    });
    if ls.descending {
        ls.order.reverse();
    }
}

/// The list shown (same filter and order) as a table in [`LONG_STAY_COLUMNS`] order, its title
/// the identifier warning.
pub fn export_table(app: &App) -> Table {
    let mut t = Table::new(s::PATIENT_IDENTIFIERS_WARNING, "Long stay patients");
    // One blank row between the warning and the header (as the export always had).
    t.notes.push(String::new());
    for (c, name) in LONG_STAY_COLUMNS.iter().enumerate() {
        // Days delayed and length of stay are numbers.
        t.column(
            name,
            if matches!(c, 7 | 8) {
                Kind::Integer
            } else {
                Kind::Text
            },
        );
    }
    for d in waiters(app) {
        let row = long_stay_row(d, app);
        t.rows.push(
            row.into_iter()
                .enumerate()
                .map(|(c, v)| match (c, v.parse::<u64>()) {
                    (7 | 8, Ok(n)) => Value::Int(n),
                    _ => Value::Text(v),
                })
                .collect(),
        );
    }
    t
}

/// Writes the list shown to `dtoc-long-stay-DATE.csv|xlsx` through the output writer. The CSV's
/// first line is the identifier warning (the XLSX has it as the sheet's title).
fn export(app: &mut App, format: Format) {
    let ext = if format == Format::Xlsx {
        "xlsx"
    } else {
        "csv"
    };
    let path = app
        .export_dir
        .join(format!("dtoc-long-stay-{}.{ext}", app.today));
    let t = export_table(app);
    let n = t.rows.len();
    // Patient-level: created 0600 (an existing file is made so) through the one output writer.
    let result = if format == Format::Csv {
        let mut buf = format!("{}\n", s::PATIENT_IDENTIFIERS_WARNING).into_bytes();
        output::write(&[t], format, None, app.today, &mut buf)
            .and_then(|()| output::write_private(&path, &buf))
    } else {
        output::write_private_tables(&[t], format, &path, app.today)
    };
    // What leaves is recorded: who, when, the list, its rows and the file.
    let result = result.and_then(|note| {
        app.store
            .audit_file(FileAction::Export, "long-stay list", Some(n), &path)?;
        Ok(note)
    });
    app.message = Some(match result {
        Ok(None) => Message::info(s::exported_patients(&path, n)),
        Ok(Some(note)) => Message::info(format!("{} ({note})", s::exported_patients(&path, n))),
        Err(e) => Message::error(format!("{}: {e}", path.display())),
    });
}

/// The denominator of a type of care's line: `of 93 (recorded stays, 3 sites)`, or why there is
/// no share; the sites named when `wide`.
fn los_denominator(with: Option<&LosRow>, without: Option<&LosRow>, wide: bool) -> String {
    let sites = |r: &LosRow| {
        if wide {
            r.sites.join(" ")
        } else {
            s::plural(r.sites.len(), "site", "sites")
        }
    };
    let mut out = match with {
        Some(r) => format!(
            "{} ({}, {})",
            r.denominator.unwrap_or(0),
            r.denominator_source.as_str(),
            sites(r)
        ),
        None => String::new(),
    };
    if let Some(r) = without {
        if !out.is_empty() {
            out.push_str("; +");
        }
        out.push_str(&format!("{} ({})", s::LOS_NO_DENOMINATOR, sites(r)));
    }
    out
}

/// Patients (distinct stays) with an open delay whose length of stay on `today` is `min` or more
/// (docs/discharge.md: the bands are nested, so 21+ ⊆ 14+ ⊆ 7+).
pub fn band(delays: &[DelayRow], min: u32, today: NaiveDate) -> usize {
    delays
        .iter()
        .filter(|d| d.ended_on.is_none() && d.length_of_stay(today) >= min)
        .map(|d| d.stay_id)
        .collect::<std::collections::HashSet<_>>()
        .len()
}

/// The export's columns, after the identifier warning line.
pub const LONG_STAY_COLUMNS: [&str; 15] = [
    "local_id",
    "nhs_number_masked",
    "site",
    "la_code",
    "la_name",
    "admitted_on",
    "ready_on",
    "days_delayed",
    "length_of_stay",
    "reason",
    "attribution",
    "planned_pathway",
    "ward",
    "bed",
    "expected_on",
];

/// One row of the list as text, in [`LONG_STAY_COLUMNS`] order (the screen shows some of them).
pub fn long_stay_row(d: &DelayRow, app: &App) -> [String; 15] {
    let today = app.today;
    [
        d.local_id.clone(),
        d.nhs_number
            .as_ref()
            .map(|n| n.masked())
            .unwrap_or_default(),
        d.site_code.clone(),
        d.la_code.to_string(),
        crate::ui::screens::la_label(app, &d.la_code),
        d.admitted_on.to_string(),
        d.ready_on.to_string(),
        d.days_delayed(today).to_string(),
        d.length_of_stay(today).to_string(),
        d.reason.code().to_string(),
        d.attribution.label().to_string(),
        d.planned_pathway
            .map(|p| p.number().to_string())
            .unwrap_or_default(),
        d.ward.clone().unwrap_or_default(),
        d.bed.clone().unwrap_or_default(),
        d.expected_on.map(|e| e.to_string()).unwrap_or_default(),
    ]
}

/// The list: the id never cut, ward/bed and expected date when any row has them, the reason
/// giving way.
fn list_table(frame: &mut Frame, area: Rect, app: &App, rows: &[&DelayRow], title: String) {
    use crate::ui::screens::register::list::{expected_cell, list_date, masked_nhs, ward_bed};
    use crate::ui::widgets::table::Col;
    let wide = area.width >= 120;
    let fit = app.screens.long_stay.fit;
    let (ward_w, exp_any) = (fit.ward, fit.expected);
    let (nhs_w, date_w, exp_w) = if wide { (12, 10, 11) } else { (8, 8, 6) };
    let cols = [
        Col::exact(fit.id),
        Col::exact(nhs_w),
        Col::new(3, fit.site),
        // The ward at least 10 wide (whole as a rule): a patient's place is what a coordinator
        // reads by.
        Col::optional(ward_w.max(8) * u16::from(ward_w > 0), ward_w.min(10)),
        Col::new(4, fit.la).first(),
        Col::exact(date_w),
        Col::exact(4),
        Col::exact(4),
        Col::optional(exp_w * u16::from(exp_any), exp_w),
        Col::new(3, 60).grow(),
    ];
    let today = app.today;
    table::render_fitted(
        frame,
        area,
        title,
        &s::LONG_STAY_HEADER_FIT,
        &cols,
        rows.len(),
        Some(app.screens.long_stay.selected),
        s::NO_DELAYS,
        &app.theme,
        |i| {
            rows.get(i).map_or_else(Vec::new, |d| {
                let r = long_stay_row(d, app);
                let mut out: Vec<Cell> = vec![
                    r[0].clone().into(),
                    masked_nhs(d, !wide).into(),
                    r[2].clone().into(),
                    ward_bed(d).into(),
                    r[4].clone().into(),
                    list_date(d.ready_on, !wide).into(),
                    r[7].clone().into(),
                    r[8].clone().into(),
                ];
                out.push(expected_cell(d, today, !wide));
                out.push(Cell::coded(d.reason.code(), d.reason.label()));
                out
            })
        },
    );
}

// Its keys (the footer and `?` come from them) and its `?` text.
pub const KEYS: &[Binding] = &[
    b!("/", Action::Filter, "filter", true, [ch('/')]),
    b!("s", Action::Sort, "sort column", true, [ch('s')]),
    b!("o", Action::Reverse, "sort order", true, [ch('o')]),
    b!(
        "+/-",
        Action::More,
        "ready > N days",
        true,
        [ch('+'), ch('='), (KeyCode::Char('+'), S)]
    ),
    b!("-", Action::Fewer, "fewer days", false, [ch('-')]),
];

pub const ABOUT: About = About {
    purpose: "Patients ready to leave for longer than the threshold (+/-), for the long-stay \
              review; E/X export the list (patient-identifiable).",
    columns: &[
        ("Local id", "the hospital's number"),
        ("NHS no.", "NHS number, masked"),
        ("Site", "site, ward and bed"),
        ("LA", "local authority (short name)"),
        ("Ready", "medically ready on"),
        ("Days", "days since ready"),
        ("LOS", "length of stay: days since admission"),
        ("Expected", "expected discharge (highlighted once passed)"),
        ("Reason", "reason code"),
    ],
};


/// After a reload or a save the list is computed again when next shown (at once if shown now):
/// the trait's lazy default, with a computation from the loaded rows rather than a store read.
impl Screen for LongStayState {
    const TITLE: &'static str = TITLE;
    const SHORT: &'static str = SHORT;
    const CONTEXTS: &'static [KeyContext] = &[(Context::LongStay, &[GLOBAL, KEYS, EXPORT, MOVE], &ABOUT)];

    fn new(_today: NaiveDate) -> Self {
        Self::default()
    }

    fn context(app: &App) -> Context {
        if app.screens.long_stay.filtering {
            Context::Filter
        } else {
            Context::LongStay
        }
    }

    fn update(app: &mut App, action: Action) {
        let ls = &mut app.screens.long_stay;
        if ls.filtering {
            super::edit_filter(&mut ls.query, &mut ls.filtering, &mut ls.selected, action);
            refresh_list(app, true);
            return;
        }
        match action {
            Action::More => ls.days = (ls.days + 1).min(365),
            Action::Fewer => ls.days = ls.days.saturating_sub(1),
            Action::Sort => {
                // A new column: the open delays sorted again in place, then filtered (no reload).
                ls.sort = ls.sort.next();
                // Numbers longest first, texts A to Z first.
                ls.descending = ls.sort.numeric();
                sort(app);
                // The same rows in another order: their widths stand.
                refresh_list(app, false);
                return;
            }
            Action::Reverse => {
                // The same rows in the other order: no need to sort or filter again.
                ls.descending = !ls.descending;
                ls.order.reverse();
                ls.rows.reverse();
                return;
            }
            Action::Filter => ls.filtering = true,
            Action::Export => export(app, Format::Csv),
            Action::ExportXlsx => export(app, Format::Xlsx),
            _ => {
                let n = ls.rows.len();
                move_sel(&mut ls.selected, n, action);
                return;
            }
        }
        refresh_list(app, true);
    }

    fn render(frame: &mut Frame, area: Rect, app: &App) {
        let t = &app.theme;
        let ls = &app.screens.long_stay;
        let [bands, filter_area, list] = Layout::vertical([
            Constraint::Length(6),
            Constraint::Length(1),
            Constraint::Min(3),
        ])
        .areas(area);
        let wide = usize::from(bands.width) >= 120;
        // A band's column: 12 at 80 columns (`47 36.2%` and room for `+k`), 15 when wide.
        let w = if usize::from(bands.width) >= 100 { 15 } else { 12 };
        let mut lines = vec![Line::styled(
            format!(
                "{:<11}{:<w$}{:<w$}{:<w$}{}",
                "", s::LOS_BAND_7, s::LOS_BAND_14, s::LOS_BAND_21, s::LOS_OF
            ),
            t.header(),
        )];
        for care in crate::domain::Setting::ALL {
            let rows: Vec<&LosRow> = ls
                .los
                .iter()
                .filter(|r| r.level == Level::All && r.care == care)
                .collect();
            if rows.is_empty() {
                continue;
            }
            let with = rows.iter().find(|r| r.denominator.is_some()).copied();
            let without = rows.iter().find(|r| r.denominator.is_none()).copied();
            let mut line = format!("{:<11}", s::care_short(care));
            for i in 0..3 {
                let (text, _) = super::discharges::los_cell(with, without, i);
                line.push_str(&format!("{text:<w$}"));
            }
            line.push_str(&los_denominator(with, without, wide));
            lines.push(Line::raw(cut(&line, usize::from(bands.width.saturating_sub(2)))));
        }
        if ls.los.is_empty() {
            lines.push(Line::styled(s::LOS_NO_INPATIENTS, t.dim()));
        }
        let mut delayed = format!("{:<11}", s::LOS_DELAYED);
        for n in ls.bands {
            delayed.push_str(&format!("{n:<w$}"));
        }
        delayed.push_str(if wide {
            s::LOS_DELAYED_NOTE
        } else {
            s::LOS_DELAYED_SHORT
        });
        lines.push(Line::styled(
            cut(&delayed, usize::from(bands.width.saturating_sub(2))),
            t.dim(),
        ));
        frame.render_widget(
            Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(Line::styled(
                format!(" {} {} ", s::LOS_TITLE, app.today),
                t.title(),
            ))),
            bands,
        );
        filter_line(
            frame,
            filter_area,
            &ls.query,
            ls.filtering,
            s::FILTER_HINT_NHS,
            &[],
            t,
        );
        let rows = waiters(app);
        let dir = if ls.descending { "↓" } else { "↑" };
        let [list, legend] = Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(list);
        list_table(
            frame,
            list,
            app,
            &rows,
            format!(
                " Ready > {} days: {} · sort {} {dir} ",
                ls.days,
                rows.len(),
                ls.sort.label()
            ),
        );
        frame.render_widget(
            Paragraph::new(Line::styled(
                cut(s::LONG_STAY_LEGEND, usize::from(legend.width)),
                t.dim(),
            )),
            legend,
        );
    }

    fn stale(&mut self) -> Option<&mut bool> {
        Some(&mut self.stale)
    }

    /// The bands, the order and the list (from the loaded rows), and today's length of stay of
    /// all inpatients (read from the store off the draw loop, as `report los` reads it).
    fn load(app: &mut App) {
        compute(app);
        let today = app.today;
        app.load(
            LongStayState::ID,
            move |store| {
                crate::report::discharge::load_los(store, &[today], &[])
                    .map_err(|e| s::load_error(&e))
            },
            |app, read| match read {
                Ok(rows) => app.screens.long_stay.los = rows,
                Err(e) => app.message = Some(Message::error(e)),
            },
        );
    }
}
