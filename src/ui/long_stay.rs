//! The long-stay screen's state and behaviour: the list of patients ready for more than N days
//! (10 by default: the Monday list of RULES.md §5), sortable by any column in either direction,
//! filtered as you type like the register, and exported (`E` CSV, `X` XLSX) as an explicit
//! patient list. The export's first line says it holds patient identifiers; NHS numbers stay
//! masked (`*** *** 5919`) in it, as on screen.

use crate::store::DelayRow;
use crate::ui::app::{App, ExportFormat};
use crate::ui::keymap::Action;
use crate::ui::strings as s;
use crate::ui::widgets::message::Message;
use chrono::{Datelike, NaiveDate};
use std::path::Path;
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
    Authority,
}

impl LongSort {
    pub const ALL: [LongSort; 6] = [
        Self::DaysDelayed,
        Self::LengthOfStay,
        Self::ReadyDate,
        Self::LocalId,
        Self::Site,
        Self::Authority,
    ];

    pub fn label(self) -> &'static str {
        s::LONG_SORTS[Self::ALL.iter().position(|x| *x == self).unwrap_or(0)]
    }

    fn next(self) -> Self {
        let i = Self::ALL.iter().position(|x| *x == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    /// The sort key of a row by this column, ascending: a number or a text, then the delay id
    /// so ties keep one order from frame to frame. Computed once per row per sort.
    fn key(self, d: &DelayRow, today: NaiveDate) -> (i64, &str, i64) {
        let num = |n: i64| (n, "", d.delay_id);
        match self {
            Self::DaysDelayed => num(i64::from(d.days_delayed(today))),
            Self::LengthOfStay => num(i64::from(d.length_of_stay(today))),
            Self::ReadyDate => num(i64::from(d.ready_on.num_days_from_ce())),
            Self::LocalId => (0, d.local_id.as_str(), d.delay_id),
            Self::Site => (0, d.site_code.as_str(), d.delay_id),
            Self::Authority => (0, d.la_code.as_str(), d.delay_id),
        }
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
    /// The list shown: indices into the loaded delays, filtered and sorted. Recomputed when the
    /// data, N, the filter or the sort change, not on every frame (10,000 open delays).
    pub rows: Vec<usize>,
    /// Delayed patients (distinct stays) with length of stay 7+, 14+ and 21+ days today.
    pub bands: [usize; 3],
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
            rows: Vec::new(),
            bands: [0; 3],
        }
    }
}

impl App {
    /// The long-stay list: open delays ready for more than N days, filtered and sorted.
    pub fn long_waiters(&self) -> Vec<&DelayRow> {
        self.long_stay
            .rows
            .iter()
            .filter_map(|i| self.data.delays.get(*i))
            .collect()
    }

    /// Recomputes the list and the bands from the loaded delays.
    pub(crate) fn refresh_long_stay(&mut self) {
        let today = self.today;
        let ls = &self.long_stay;
        let q = ls.query.value().trim().to_lowercase();
        let delays = &self.data.delays;
        let rows: Vec<usize> = delays
            .iter()
            .enumerate()
            .filter(|(_, d)| d.ended_on.is_none() && d.days_delayed(today) > ls.days)
            .filter(|(_, d)| crate::ui::app::matches_query(d, &q))
            .map(|(i, _)| i)
            .collect();
        let ls = &mut self.long_stay;
        ls.selected = ls.selected.min(rows.len().saturating_sub(1));
        ls.rows = rows;
        self.sort_long_stay();
    }

    /// Sorts the rows shown by the current column and direction.
    fn sort_long_stay(&mut self) {
        let (today, delays, ls) = (self.today, &self.data.delays, &mut self.long_stay);
        let sort = ls.sort;
        ls.rows
            .sort_by_cached_key(|i| delays.get(*i).map(|d| sort.key(d, today)));
        if ls.descending {
            ls.rows.reverse();
        }
    }

    /// Recomputes the length-of-stay bands (after a reload: they depend on the data only).
    pub(crate) fn refresh_long_stay_bands(&mut self) {
        let delays = &self.data.delays;
        self.long_stay.bands = [7, 14, 21].map(|min| band(delays, min, self.today));
    }

    pub(crate) fn update_long_stay(&mut self, action: Action) {
        let ls = &mut self.long_stay;
        match action {
            Action::More => ls.days = (ls.days + 1).min(365),
            Action::Fewer => ls.days = ls.days.saturating_sub(1),
            Action::Sort => {
                ls.sort = ls.sort.next();
                ls.descending = true;
                self.sort_long_stay();
                return;
            }
            Action::Reverse => {
                // The same rows in the other order: no need to filter again.
                ls.descending = !ls.descending;
                ls.rows.reverse();
                return;
            }
            Action::Filter => ls.filtering = true,
            Action::Export => self.export_long_stay(ExportFormat::Csv),
            Action::ExportXlsx => self.export_long_stay(ExportFormat::Xlsx),
            _ => {
                let n = self.long_stay.rows.len();
                crate::ui::app::move_sel(&mut self.long_stay.selected, n, action);
                return;
            }
        }
        self.refresh_long_stay();
    }

    /// Writes the list shown (same filter and order) to `dtoc-long-stay-DATE.csv|xlsx`.
    fn export_long_stay(&mut self, format: ExportFormat) {
        let path = self.export_dir.join(format!(
            "dtoc-long-stay-{}.{}",
            self.today,
            format.extension()
        ));
        let rows: Vec<[String; 12]> = self
            .long_waiters()
            .into_iter()
            .map(|d| long_stay_row(d, self))
            .collect();
        let result = match format {
            ExportFormat::Csv => write_csv(&rows, &path),
            ExportFormat::Xlsx => write_xlsx(&rows, &path),
        };
        self.message = Some(match result {
            Ok(()) => Message::info(s::exported_patients(&path, rows.len())),
            Err(e) => Message::error(format!("{}: {e}", path.display())),
        });
    }
}

/// Patients (distinct stays) with an open delay whose length of stay on `today` is `min` or more
/// (RULES.md §5: the bands are nested, so 21+ ⊆ 14+ ⊆ 7+).
pub fn band(delays: &[DelayRow], min: u32, today: NaiveDate) -> usize {
    delays
        .iter()
        .filter(|d| d.ended_on.is_none() && d.length_of_stay(today) >= min)
        .map(|d| d.stay_id)
        .collect::<std::collections::HashSet<_>>()
        .len()
}

/// The export's columns, after the identifier warning line.
pub const LONG_STAY_COLUMNS: [&str; 12] = [
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
];

/// One row of the list as text, in [`LONG_STAY_COLUMNS`] order (the screen shows some of them).
pub fn long_stay_row(d: &DelayRow, app: &App) -> [String; 12] {
    let today = app.today;
    [
        d.local_id.clone(),
        d.nhs_number
            .as_ref()
            .map(|n| n.masked())
            .unwrap_or_default(),
        d.site_code.clone(),
        d.la_code.clone(),
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
    ]
}

fn write_csv(rows: &[[String; 12]], path: &Path) -> anyhow::Result<()> {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(f, "{}", s::PATIENT_IDENTIFIERS_WARNING)?;
    let mut w = csv::Writer::from_writer(f);
    w.write_record(LONG_STAY_COLUMNS)?;
    for r in rows {
        w.write_record(r)?;
    }
    w.flush()?;
    Ok(())
}

fn write_xlsx(rows: &[[String; 12]], path: &Path) -> anyhow::Result<()> {
    use rust_xlsxwriter::{Format as XFormat, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Long stay patients")?;
    let bold = XFormat::new().set_bold();
    ws.write_string_with_format(0, 0, s::PATIENT_IDENTIFIERS_WARNING, &bold)?;
    for (c, h) in LONG_STAY_COLUMNS.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    for (i, r) in rows.iter().enumerate() {
        let y = i as u32 + 3;
        for (c, v) in r.iter().enumerate() {
            // Days delayed and length of stay are numbers.
            match (c, v.parse::<f64>()) {
                (7 | 8, Ok(n)) => ws.write_number(y, c as u16, n)?,
                _ => ws.write_string(y, c as u16, v)?,
            };
        }
    }
    wb.save(path)?;
    Ok(())
}
