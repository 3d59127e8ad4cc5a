//! `dtoc export sitrep`: one month's delayed days in the layout of NHS England's LA-Type-B
//! publication (the three "LA - by …" sheets of `LA-Type-B-July-2018.xls`), as three CSV files or
//! one XLSX workbook.
//!
//! The layout is computed as plain data ([`sitrep`]) and then written (`commands::output::layout`).
//!
//! Choices (written down, as the rules in docs/ ask):
//! - Rows: the sum of every authority in the database first, named `All authorities in this
//!   database` (`England`, as published, only when every authority of the month's published
//!   England list is in the database; with published returns imported, the published England row
//!   follows it: [`label_england`]), then one
//!   row per authority in the database, sorted by region (unknown regions last), then name, then
//!   ONS code. Every authority has a row, with zeros when it has no delayed days.
//! - Columns `Region` and `Code` (the legacy code, e.g. `508`) come from the `local_authority`
//!   table and are `-` when not set (`Store::set_authority_details`). `Name` is the stored name
//!   (the ONS code when the authority has no name).
//! - Numbers in CSV are written as the published CSVs write them: delayed days as `865.0`, DTOC
//!   beds as the shortest decimal that reads back as the same double (`27.903225806451612`), so a
//!   row compares equal to the published one cell by cell. CSV lines end in CRLF, as published.
//! - DTOC beds = delayed days ÷ days in the month. A month not yet over as of "today" is exported
//!   only as a partial month: its days are the ones counted so far (the 1st up to the day before
//!   today), DTOC beds divide by that number of days, and the command says so on stdout and stderr.
//!   A month not yet begun is refused.
//! - XLSX: one sheet per table, header rows bold and shaded and frozen (with the four name
//!   columns), numbers stored as numbers (delayed days `0`, DTOC beds `0.00`), widths fitted to the
//!   contents.

use super::monthly::days_counted;
use crate::domain::{Attribution, ReasonCode, Setting, YearMonth};
use crate::store::{Authority, CountRow};
use chrono::NaiveDate;
use std::collections::HashMap;

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// Delayed days (written `865.0` in CSV, a whole number in XLSX).
    Days(u64),
    /// DTOC beds (full precision in CSV, 2 decimals shown in XLSX).
    Beds(f64),
    /// Hidden by `--suppress`: `*`.
    Suppressed,
}

impl Cell {
    fn text(s: &str) -> Self {
        Cell::Text(s.to_string())
    }

    /// The cell as the published CSV writes it.
    pub fn csv(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Days(d) => py_float(*d as f64),
            Cell::Beds(b) => py_float(*b),
            Cell::Suppressed => "*".to_string(),
        }
    }
}

/// A float as Python's `repr` writes it (the published CSVs were written by pandas): the shortest
/// decimal that reads back as the same double, always with a decimal point.
fn py_float(x: f64) -> String {
    // Rust's Debug for f64 is the shortest round-trip form and keeps `.0` on whole numbers; it
    // switches to exponent notation only outside 1e-5..1e16, far from any count of delayed days.
    format!("{x:?}")
}

/// One of the three tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The sheet name in the XLSX workbook (as published).
    pub sheet: &'static str,
    /// The CSV file name.
    pub file: &'static str,
    /// How many of `rows` are header rows.
    pub header_rows: usize,
    pub rows: Vec<Vec<Cell>>,
}

/// The month's three tables.
#[derive(Debug, Clone, PartialEq)]
pub struct Sitrep {
    pub month: YearMonth,
    /// Days of the month counted (the whole month when it is over).
    pub days_counted: u32,
    pub complete: bool,
    pub tables: Vec<Table>,
}

#[derive(Default, Clone, Copy)]
struct Sums {
    setting: [u64; 2],
    attribution: [u64; 3],
    reason: [u64; 11],
    total: u64,
}

impl Sums {
    fn add(&mut self, c: &CountRow) {
        let s = Setting::ALL.iter().position(|x| *x == c.setting);
        let a = Attribution::ALL.iter().position(|x| *x == c.attribution);
        let r = ReasonCode::ALL.iter().position(|x| *x == c.reason);
        if let (Some(s), Some(a), Some(r)) = (s, a, r) {
            self.setting[s] += c.days;
            self.attribution[a] += c.days;
            self.reason[r] += c.days;
            self.total += c.days;
        }
    }
}

/// Builds the three tables of `month` from its counts (other months' rows are ignored) and the
/// authorities of the database.
pub fn sitrep(
    counts: &[CountRow],
    authorities: &[Authority],
    month: YearMonth,
    today: NaiveDate,
) -> Sitrep {
    let counted = days_counted(month, today);
    let divisor = f64::from(counted.max(1));
    let mut england = Sums::default();
    let mut by_la: HashMap<&str, Sums> = HashMap::new();
    for c in counts.iter().filter(|c| c.month == month) {
        england.add(c);
        by_la.entry(c.la_code.as_str()).or_default().add(c);
    }
    let mut las: Vec<&Authority> = authorities.iter().collect();
    las.sort_by(|a, b| {
        (a.region.is_none(), &a.region, a.display_name(), &a.code).cmp(&(
            b.region.is_none(),
            &b.region,
            b.display_name(),
            &b.code,
        ))
    });
    let mut lines: Vec<(Vec<Cell>, Sums)> = vec![(
        ["-", "-", "-", ALL_IN_DATABASE].map(Cell::text).to_vec(),
        england,
    )];
    for a in las {
        let dash = |x: &Option<String>| Cell::Text(x.clone().unwrap_or_else(|| "-".to_string()));
        lines.push((
            vec![
                dash(&a.region),
                Cell::Text(a.code.to_string()),
                dash(&a.legacy_code),
                Cell::text(a.display_name()),
            ],
            by_la.get(a.code.as_str()).copied().unwrap_or_default(),
        ));
    }
    let names = ["Region", "ONS Geography", "Code", "Name"];
    let days_and_beds = |sheet, file, labels: &[&str], values: &dyn Fn(&Sums) -> Vec<u64>| {
        let n = labels.len();
        let mut over = vec![Cell::Empty; 4 + 2 * n + 1];
        over[4] = Cell::text("Delayed Days");
        over[4 + n + 1] = Cell::text("DTOC Beds");
        let mut header: Vec<Cell> = names.iter().map(|s| Cell::text(s)).collect();
        header.extend(labels.iter().map(|s| Cell::text(s)));
        header.push(Cell::Empty);
        header.extend(labels.iter().map(|s| Cell::text(s)));
        let mut rows = vec![over, header];
        for (lead, sums) in &lines {
            let v = values(sums);
            let mut row = lead.clone();
            row.extend(v.iter().map(|d| Cell::Days(*d)));
            row.push(Cell::Empty);
            row.extend(v.iter().map(|d| Cell::Beds(*d as f64 / divisor)));
            rows.push(row);
        }
        Table {
            sheet,
            file,
            header_rows: 2,
            rows,
        }
    };
    let care = days_and_beds(
        "LA - by type of care",
        "la_by_type_of_care.csv",
        &["Acute", "Non-Acute", "Total"],
        &|s: &Sums| vec![s.setting[0], s.setting[1], s.total],
    );
    let org = days_and_beds(
        "LA - by responsible org",
        "la_by_responsible_org.csv",
        &["NHS", "Social Care", "Both", "Total"],
        &|s: &Sums| {
            vec![
                s.attribution[0],
                s.attribution[1],
                s.attribution[2],
                s.total,
            ]
        },
    );
    let mut header: Vec<Cell> = names.iter().map(|s| Cell::text(s)).collect();
    header.extend(
        ReasonCode::ALL
            .iter()
            .map(|r| Cell::Text(r.published_header())),
    );
    header.push(Cell::text("Total"));
    let mut rows = vec![header];
    for (lead, sums) in &lines {
        let mut row = lead.clone();
        row.extend(sums.reason.iter().map(|d| Cell::Days(*d)));
        row.push(Cell::Days(sums.total));
        rows.push(row);
    }
    let reason = Table {
        sheet: "LA - by reason",
        file: "la_by_reason.csv",
        header_rows: 1,
        rows,
    };
    Sitrep {
        month,
        days_counted: counted,
        complete: counted == month.days(),
        tables: vec![care, org, reason],
    }
}

/// The first row's name while it may not be all of England: the sum of the authorities in the
/// database.
pub const ALL_IN_DATABASE: &str = "All authorities in this database";
/// The name of the published England row, given beside ours when published returns are imported.
pub const PUBLISHED_ENGLAND: &str = "England (published)";

/// What the published returns of the month say about England, when imported.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PublishedEngland {
    /// The ONS codes of the authorities with a published row for the month (England's list).
    pub authorities: Vec<String>,
    /// England's published delayed days: NHS, Social Care, Both, Total (missing where not
    /// published).
    pub days: Option<[Option<u64>; 4]>,
}

/// Names the first row honestly and gives the published England row beside it: the first row is
/// `England` only when every authority of the published England list is in the database, else
/// `All authorities in this database`; with England's published figures, a row `England
/// (published)` follows it (its delayed days and DTOC beds where published, blank otherwise: the
/// published totals carry no split by type of care or reason). Call after [`suppress`] (the
/// published figures are public and are not part of the additive groups).
pub fn label_england(s: &mut Sitrep, authorities: &[Authority], published: &PublishedEngland) {
    let all_present = !published.authorities.is_empty()
        && published
            .authorities
            .iter()
            .all(|c| authorities.iter().any(|a| &a.code == c));
    let divisor = f64::from(s.days_counted.max(1));
    for (ti, t) in s.tables.iter_mut().enumerate() {
        let first = t.header_rows;
        if all_present {
            if let Some(c) = t.rows.get_mut(first).and_then(|r| r.get_mut(3)) {
                *c = Cell::text("England");
            }
        }
        let Some(days) = published.days else {
            continue;
        };
        let width = t.rows.get(first).map_or(0, Vec::len);
        let mut row = vec![Cell::Empty; width];
        for (i, x) in ["-", "-", "-", PUBLISHED_ENGLAND].iter().enumerate() {
            row[i] = Cell::text(x);
        }
        // Where each published figure goes: (delayed-days column, DTOC-beds column).
        let [nhs, social_care, both, total] = days;
        let place: Vec<(Option<u64>, usize, Option<usize>)> = match ti {
            // Acute, Non-Acute, Total | blank | beds.
            0 => vec![(total, 6, Some(10))],
            // NHS, Social Care, Both, Total | blank | beds.
            1 => vec![
                (nhs, 4, Some(9)),
                (social_care, 5, Some(10)),
                (both, 6, Some(11)),
                (total, 7, Some(12)),
            ],
            // Eleven reasons, Total.
            _ => vec![(total, width.saturating_sub(1), None)],
        };
        for (v, d, b) in place {
            if let Some(v) = v {
                if d < width {
                    row[d] = Cell::Days(v);
                }
                if let Some(b) = b.filter(|&b| b < width) {
                    row[b] = Cell::Beds(v as f64 / divisor);
                }
            }
        }
        t.rows.insert(first + 1, row);
    }
}

/// Applies `--suppress n` (see [`super::suppress`]) to the three tables: delayed days from 1 to `n`
/// become `*`; each row (the parts and its Total) and each column (England and the authorities) is
/// an additive group; the Total of a row is the same figure in all three tables, so hiding it in one
/// hides it in all; DTOC beds are hidden with their delayed days. The cells the month's decision
/// hides (`hidden`, from [`super::suppress::hidden_cells`], the same for every output of the month)
/// are hidden first. No-op for `n == 0`.
pub fn suppress(s: &mut Sitrep, hidden: &super::suppress::Hidden, n: u64) {
    use std::collections::{BTreeMap, BTreeSet};
    if n == 0 {
        return;
    }
    let already: BTreeSet<(usize, usize, usize)> = decided_cells(s, hidden);
    let mut values: BTreeMap<(usize, usize, usize), u64> = BTreeMap::new();
    let mut groups: Vec<Vec<(usize, usize, usize)>> = Vec::new();
    let mut totals: BTreeMap<usize, Vec<(usize, usize, usize)>> = BTreeMap::new();
    for (ti, t) in s.tables.iter().enumerate() {
        // The delayed-days columns: from the 5th up to the blank separator (or the end).
        let width = t.rows.last().map_or(0, Vec::len);
        let days_cols: Vec<usize> = (4..width)
            .take_while(|c| {
                t.rows
                    .iter()
                    .skip(t.header_rows)
                    .all(|r| matches!(r.get(*c), Some(Cell::Days(_))))
            })
            .collect();
        let mut columns: BTreeMap<usize, Vec<(usize, usize, usize)>> = BTreeMap::new();
        for (r, row) in t.rows.iter().enumerate().skip(t.header_rows) {
            let mut group = Vec::new();
            for &c in &days_cols {
                if let Some(Cell::Days(d)) = row.get(c) {
                    if !already.contains(&(ti, r, c)) {
                        values.insert((ti, r, c), *d);
                    }
                    group.push((ti, r, c));
                    columns.entry(c).or_default().push((ti, r, c));
                }
            }
            if let Some(last) = group.last() {
                totals.entry(r - t.header_rows).or_default().push(*last);
            }
            groups.push(group);
        }
        groups.extend(columns.into_values());
    }
    let equal: Vec<Vec<(usize, usize, usize)>> = totals.into_values().collect();
    let hidden = super::suppress::cells_to_hide(&values, &groups, &equal, &already, n);
    for (ti, t) in s.tables.iter_mut().enumerate() {
        let first_beds = t.rows.last().map_or(0, |r| {
            r.iter()
                .position(|c| matches!(c, Cell::Beds(_)))
                .unwrap_or(0)
        });
        let days_count = first_beds.saturating_sub(5);
        for (r, row) in t.rows.iter_mut().enumerate() {
            for c in 0..row.len() {
                if hidden.contains(&(ti, r, c)) {
                    row[c] = Cell::Suppressed;
                    // DTOC beds of the same breakdown: after the blank separator column.
                    let beds = c + days_count + 1;
                    if first_beds > 0 && matches!(row.get(beds), Some(Cell::Beds(_))) {
                        row[beds] = Cell::Suppressed;
                    }
                }
            }
        }
    }
}

/// Why a return for `month` is refused when the month is before the register's coverage (issue 24):
/// its days before coverage were never all recorded, and a return would report them as 0. `None`
/// when the month is covered.
pub fn before_coverage(month: YearMonth, coverage: &crate::store::Coverage) -> Option<String> {
    if coverage.covers(month) {
        return None;
    }
    let day = coverage.from_day()?;
    Some(format!(
        "{} is before the register's coverage: its record is complete from {day} ({}), so a \
         return for it would report days never recorded as 0 (a month partly covered is refused \
         too); `dtoc coverage` lists each site's date",
        month.long_name(),
        coverage.sites_text()
    ))
}

/// The cells of the three tables (table, row, column) that show a figure `hidden` holds: the first
/// row is the all-authorities figure, each other row the authority of its ONS code; the columns the
/// types of care, organisations or reasons in their order, then the total.
fn decided_cells(
    s: &Sitrep,
    hidden: &super::suppress::Hidden,
) -> std::collections::BTreeSet<(usize, usize, usize)> {
    use super::suppress::Figure;
    let mut out = std::collections::BTreeSet::new();
    if hidden.is_empty() {
        return out;
    }
    for (ti, t) in s.tables.iter().enumerate() {
        for (r, row) in t.rows.iter().enumerate().skip(t.header_rows) {
            let base = if r == t.header_rows {
                Figure::all()
            } else {
                match row.get(1) {
                    Some(Cell::Text(code)) => match crate::domain::LaCode::parse(code) {
                        Ok(la) => Figure::la(&la),
                        Err(_) => continue,
                    },
                    _ => continue,
                }
            };
            let parts: Vec<Figure> = match ti {
                0 => Setting::ALL
                    .iter()
                    .map(|x| base.clone().setting(*x))
                    .collect(),
                1 => Attribution::ALL
                    .iter()
                    .map(|x| base.clone().attribution(*x))
                    .collect(),
                _ => ReasonCode::ALL
                    .iter()
                    .map(|x| base.clone().reason(*x))
                    .collect(),
            };
            for (j, f) in parts.iter().chain(std::iter::once(&base)).enumerate() {
                if hidden.contains(f) && matches!(row.get(4 + j), Some(Cell::Days(_))) {
                    out.insert((ti, r, 4 + j));
                }
            }
        }
    }
    out
}

/// The XLSX file name of a month: `sitrep-2018-07.xlsx`.
pub fn xlsx_name(month: YearMonth) -> String {
    format!("sitrep-{}.xlsx", month.key())
}

/// The CSV file name of a table of a month: `sitrep-2018-07-la_by_reason.csv` (the month in the
/// name, so months exported to one folder keep their own files).
pub fn csv_name(month: YearMonth, file: &str) -> String {
    format!("sitrep-{}-{file}", month.key())
}

/// The text of the row that says whether the month is complete: `July 2018: complete: true (31
/// of 31 days counted)`, or `complete: false, PARTIAL …` for the month in progress.
pub fn status_text(s: &Sitrep) -> String {
    let partial = if s.complete {
        ""
    } else {
        ", PARTIAL month to date"
    };
    format!(
        "{}: complete: {}{partial} ({} of {} days counted)",
        s.month.long_name(),
        s.complete,
        s.days_counted,
        s.month.days()
    )
}

/// Adds to each table, after its last authority, a row that says whether the month is complete
/// (docs/measures.md: a month in progress is marked in the file itself). Call after suppression (the
/// row holds no figures).
pub fn mark_complete(s: &mut Sitrep) {
    let text = status_text(s);
    for t in &mut s.tables {
        let width = t.rows.first().map_or(4, Vec::len).max(4);
        let mut row = vec![Cell::text("-"), Cell::text("-"), Cell::text("-")];
        row.push(Cell::Text(text.clone()));
        row.resize(width, Cell::Empty);
        t.rows.push(row);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(la: &str, setting: Setting, reason: ReasonCode, a: Attribution, days: u64) -> CountRow {
        CountRow {
            month: YearMonth::new(2018, 7).unwrap(),
            la_code: crate::domain::LaCode::parse(la).unwrap(),
            site_code: "S".into(),
            setting,
            reason,
            attribution: a,
            days,
        }
    }

    #[test]
    fn floats_as_published() {
        assert_eq!(Cell::Days(865).csv(), "865.0");
        assert_eq!(Cell::Days(0).csv(), "0.0");
        assert_eq!(Cell::Beds(865.0 / 31.0).csv(), "27.903225806451612");
        assert_eq!(Cell::Beds(978.0 / 31.0).csv(), "31.548387096774192");
        assert_eq!(Cell::Beds(0.0).csv(), "0.0");
    }

    #[test]
    fn layout_sorted_with_england_first() {
        let auths = vec![
            Authority {
                code: crate::domain::LaCode::parse("E06000017").unwrap(),
                name: Some("Rutland".into()),
                region: None,
                legacy_code: None,
            },
            Authority {
                code: crate::domain::LaCode::parse("E10000018").unwrap(),
                name: Some("Leicestershire".into()),
                region: Some("East Midlands".into()),
                legacy_code: Some("508".into()),
            },
        ];
        let counts = vec![
            row(
                "E10000018",
                Setting::Acute,
                ReasonCode::A,
                Attribution::Nhs,
                10,
            ),
            row(
                "E06000017",
                Setting::NonAcute,
                ReasonCode::O,
                Attribution::Both,
                5,
            ),
        ];
        let today = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap();
        let s = sitrep(&counts, &auths, YearMonth::new(2018, 7).unwrap(), today);
        assert!(s.complete);
        let care = &s.tables[0];
        let csv: Vec<String> = care.rows[0].iter().map(Cell::csv).collect();
        assert_eq!(csv.join(","), ",,,,Delayed Days,,,,DTOC Beds,,");
        let csv: Vec<String> = s.tables[1].rows[0].iter().map(Cell::csv).collect();
        assert_eq!(csv.join(","), ",,,,Delayed Days,,,,,DTOC Beds,,,");
        let names: Vec<String> = care.rows[2..].iter().map(|r| r[3].csv()).collect();
        assert_eq!(names, [ALL_IN_DATABASE, "Leicestershire", "Rutland"]);
        assert_eq!(
            care.rows[2][4..7],
            [Cell::Days(10), Cell::Days(5), Cell::Days(15)]
        );
        assert_eq!(care.rows[4][0].csv(), "-");
        let reason = &s.tables[2];
        assert_eq!(reason.rows[0][14].csv(), "O) Other");
        assert_eq!(reason.rows[3][14], Cell::Days(5));
        // A partial month divides by the days counted.
        let s = sitrep(
            &counts,
            &auths,
            YearMonth::new(2018, 7).unwrap(),
            NaiveDate::from_ymd_opt(2018, 7, 11).unwrap(),
        );
        assert!(!s.complete);
        assert_eq!(s.tables[0].rows[3][10], Cell::Beds(1.0));
    }
}
