//! `dtoc export acute-sitrep`: one month of the register in the layout of tables 2 to 5 of NHS
//! England's Acute Daily Discharge SitRep (`acute_discharge_sitrep_january2024.xlsx`), as four CSV
//! files or one XLSX workbook with a sheet per table.
//!
//! Each table has the published shape, without the workbook's empty column A and "Contents" link:
//! a title row; a row of group titles (a day, a week, the month); a row of column labels; the total
//! row (where the publication has England); then a block of authorities (`Region, LA Code, LA
//! Name`, as the publication's ICB block) and a block of sites (`Provider, Site Code, Site Name`,
//! as its trust block), every authority and site of the register, with zeros where there is
//! nothing. Choices (see also `report::discharge`):
//! - Table 2, daily criteria to reside: every day of the month up to the day before "today".
//! - Table 3, extra bed days of patients at 7+, 14+, 21+ days: one snapshot a week, on the
//!   Monday (the day of the weekly sitrep call), for each week commencing in the month.
//! - Table 4, discharges by destination: discharges with no destination recorded are not in the
//!   12 columns; the command says how many.
//! - Table 5, people at 14+ days not meeting the criteria to reside by reason: the average over
//!   the month's Monday snapshots; those with no acute reason recorded are stated, not shown.
//! - Numbers: counts as whole numbers; table 5 averages as the shortest decimal (`0.25`).
//! - `--suppress N` ([`suppress`]): counts from 1 to N (and table 5 averages that round up to 1
//!   to N) become `*`, then the cells that would give them back: in each column the total row is
//!   the sum of the authorities and of the sites, and in table 2 each day's "no longer meet" =
//!   "discharged" + "remaining" (the rule of [`super::suppress`]).
//! - The XLSX is deterministic: its creation date is `today`, so the same data gives the same
//!   bytes (`commands::output::deterministic_workbook`).

use super::discharge::{self, Level};
use crate::domain::{AcuteReason, Destination, StayFacts, YearMonth};
use crate::store::{Authority, Site};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Count(u64),
    Average(f64),
    /// Hidden by `--suppress`: written `*`.
    Suppressed,
}

impl Cell {
    /// The cell as written in CSV.
    pub fn csv(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Suppressed => "*".to_string(),
            Cell::Average(x) => {
                if x.fract() == 0.0 {
                    format!("{x:.0}")
                } else {
                    format!("{x}")
                }
            }
        }
    }
}

fn text(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// One table: its sheet name, CSV file name, rows, and which rows are headers.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub sheet: &'static str,
    pub file: &'static str,
    pub rows: Vec<Vec<Cell>>,
    /// Rows shown bold: the group titles, the labels and the block headers.
    pub header_rows: Vec<usize>,
}

/// The month's four tables and what the command should say about them.
#[derive(Debug, Clone, PartialEq)]
pub struct AcuteSitrep {
    pub month: YearMonth,
    pub tables: Vec<Table>,
    pub notes: Vec<String>,
}

/// The register's authorities and sites, the rows of every table.
pub struct Rows<'a> {
    pub authorities: &'a [Authority],
    pub sites: &'a [Site],
}

/// Builds the rows of a table: title, group titles, labels, total, authorities, sites.
fn table(
    sheet: &'static str,
    file: &'static str,
    title: &str,
    groups: Vec<Cell>,
    labels: Vec<Cell>,
    rows: &Rows<'_>,
    values: &dyn Fn(&Level) -> Vec<Cell>,
) -> Table {
    let lead = |a: &str, b: &str, c: &str| vec![text(a), text(b), text(c)];
    let mut out = vec![vec![text(title)]];
    let mut g = lead("", "", "");
    g.extend(groups);
    out.push(g);
    let mut l = lead("", "", "");
    l.extend(labels);
    out.push(l);
    let mut total = lead("", "", "ALL (register)");
    total.extend(values(&Level::All));
    out.push(total);
    out.push(Vec::new());
    let authority_header = out.len();
    out.push(lead("Region", "LA Code", "LA Name"));
    let mut las: Vec<&Authority> = rows.authorities.iter().collect();
    las.sort_by(|a, b| (a.display_name(), &a.code).cmp(&(b.display_name(), &b.code)));
    for a in las {
        let mut r = lead(
            a.region.as_deref().unwrap_or("-"),
            &a.code,
            a.display_name(),
        );
        r.extend(values(&Level::Authority(a.code.clone())));
        out.push(r);
    }
    out.push(Vec::new());
    let site_header = out.len();
    out.push(lead("Provider", "Site Code", "Site Name"));
    for s in rows.sites {
        let mut r = lead(
            &s.provider_code,
            &s.code,
            s.name.as_deref().unwrap_or(&s.code),
        );
        r.extend(values(&Level::Site(s.code.clone())));
        out.push(r);
    }
    Table {
        sheet,
        file,
        rows: out,
        header_rows: vec![1, 2, authority_header, site_header],
    }
}

/// Group titles: `title` over the first of each group of `width` columns.
fn group_titles(titles: &[String], width: usize) -> Vec<Cell> {
    titles
        .iter()
        .flat_map(|t| {
            let mut g = vec![text(t.clone())];
            g.resize(width, Cell::Empty);
            g
        })
        .collect()
}

/// Builds the four tables of `month` from the stays overlapping it, with days up to `last_day`
/// (the day before "today", or the month's last day).
pub fn acute_sitrep(
    stays: &[StayFacts],
    rows: &Rows<'_>,
    month: YearMonth,
    last_day: NaiveDate,
) -> AcuteSitrep {
    let first = month.first_day();
    let last = last_day.min(month.last_day());
    let days = discharge::days_between(first, last);
    let mondays = discharge::mondays(first, last);
    let mut notes = Vec::new();

    // Table 2: criteria to reside, daily.
    let nctr: BTreeMap<(NaiveDate, Level), [u64; 3]> = discharge::nctr(stays, &days)
        .into_iter()
        .map(|r| ((r.day, r.level), [r.not_meeting, r.discharged, r.remaining]))
        .collect();
    let t2 = table(
        "Table 2",
        "table2_criteria_to_reside.csv",
        "Table 2: Number of patients who no longer meet criteria to reside and number of patients who were / were not discharged",
        group_titles(&days.iter().map(|d| d.to_string()).collect::<Vec<_>>(), 3),
        days.iter()
            .flat_map(|_| {
                [
                    "Number of patients who no longer meet the criteria to reside",
                    "Number of patients discharged",
                    "Number of patients remaining in hospital who no longer meet the criteria to reside",
                ]
                .map(text)
            })
            .collect(),
        rows,
        &|level| {
            days.iter()
                .flat_map(|d| {
                    nctr.get(&(*d, level.clone()))
                        .copied()
                        .unwrap_or_default()
                        .map(Cell::Count)
                })
                .collect()
        },
    );

    // Table 3: extra bed days of the weekly length-of-stay snapshot.
    let los: BTreeMap<(NaiveDate, Level), [u64; 3]> =
        discharge::los(stays, &[], &mondays, &discharge::Targets::new(&[]))
            .into_iter()
            .map(|r| ((r.day, r.level), r.extra_bed_days))
            .collect();
    let t3 = table(
        "Table 3",
        "table3_extra_bed_days.csv",
        "Table 3: Number of additional days in total patients have remained in hospital since the criteria to be discharged decision was made",
        group_titles(
            &mondays
                .iter()
                .map(|d| format!("w/c {} (daily snapshot)", d.format("%d/%m/%Y")))
                .collect::<Vec<_>>(),
            3,
        ),
        mondays
            .iter()
            .flat_map(|_| {
                [7, 14, 21].map(|b| {
                    text(format!(
                        "Number of additional bed days, patients with length of stay of {b}+ days"
                    ))
                })
            })
            .collect(),
        rows,
        &|level| {
            mondays
                .iter()
                .flat_map(|d| {
                    los.get(&(*d, level.clone()))
                        .copied()
                        .unwrap_or_default()
                        .map(Cell::Count)
                })
                .collect()
        },
    );

    // Table 4: discharges by destination.
    let pathways: BTreeMap<Level, discharge::PathwayRow> =
        discharge::pathways(stays, month, month, &discharge::Targets::new(&[]))
            .into_iter()
            .map(|r| (r.level.clone(), r))
            .collect();
    if let Some(all) = pathways.get(&Level::All) {
        if all.unknown_destination > 0 {
            notes.push(format!(
                "table 4: {} of {} discharges have no destination recorded and are not in its columns",
                all.unknown_destination, all.discharges
            ));
        }
    }
    let mut t4_groups = vec![text(format!(
        "{} - Total number of patients discharged",
        month.long_name()
    ))];
    t4_groups.resize(Destination::ALL.len(), Cell::Empty);
    let t4 = table(
        "Table 4",
        "table4_discharges_by_destination.csv",
        "Table 4: Month total number of patients discharged by their intended discharge destination",
        t4_groups,
        Destination::ALL.iter().map(|d| text(d.label())).collect(),
        rows,
        &|level| {
            pathways
                .get(level)
                .map_or([0; 12], |r| r.by_destination)
                .map(Cell::Count)
                .to_vec()
        },
    );

    // Table 5: people at 14+ days not meeting the criteria to reside, by reason.
    let reasons = discharge::long_stay_reasons(stays, &mondays);
    let snapshots = mondays.len().max(1) as f64;
    if let Some((_, unrecorded)) = reasons.get(&Level::All) {
        if *unrecorded > 0 {
            notes.push(format!(
                "table 5: {unrecorded} patient-snapshots at 14+ days have no acute sitrep reason recorded and are not in its columns"
            ));
        }
    }
    let mut t5_groups = vec![text(format!(
        "{} - Average number of people per day with length of stay 14 days or over who no longer meet the criteria to reside but were not discharged",
        month.long_name()
    ))];
    t5_groups.resize(AcuteReason::ALL.len(), Cell::Empty);
    let t5 = table(
        "Table 5",
        "table5_reasons_14_plus.csv",
        "Table 5: Weekly snapshot average of the total number of people per day with length of stay 14 days or over who no longer meet the criteria to reside but were not discharged, broken down by the reasons why they continued to reside",
        t5_groups,
        AcuteReason::ALL.iter().map(|r| text(r.label())).collect(),
        rows,
        &|level| {
            reasons
                .get(level)
                .map_or([0; 18], |r| r.0)
                .map(|n| Cell::Average(n as f64 / snapshots))
                .to_vec()
        },
    );
    AcuteSitrep {
        month,
        tables: vec![t2, t3, t4, t5],
        notes,
    }
}

/// Applies `--suppress n` to every table (no-op for `n == 0`); see the module doc.
pub fn suppress(s: &mut AcuteSitrep, n: u64) {
    if n == 0 {
        return;
    }
    for t in &mut s.tables {
        let (Some(&la_head), Some(&site_head)) = (t.header_rows.get(2), t.header_rows.get(3))
        else {
            continue;
        };
        let mut values = BTreeMap::new();
        for (r, row) in t.rows.iter().enumerate().skip(3) {
            for (c, cell) in row.iter().enumerate() {
                let v = match cell {
                    Cell::Count(x) => *x,
                    // An average of people per day: hidden when it rounds up to 1..N people.
                    Cell::Average(x) => x.ceil() as u64,
                    _ => continue,
                };
                values.insert((r, c), v);
            }
        }
        let width = t.rows.iter().map(Vec::len).max().unwrap_or(0);
        let total_row = 3;
        let authorities: Vec<usize> = (la_head + 1..site_head).collect();
        let sites: Vec<usize> = (site_head + 1..t.rows.len()).collect();
        let mut groups = Vec::new();
        for c in 3..width {
            for part in [&authorities, &sites] {
                groups.push(
                    std::iter::once(total_row)
                        .chain(part.iter().copied())
                        .map(|r| (r, c))
                        .collect(),
                );
            }
        }
        if t.sheet == "Table 2" {
            // Each day: no longer meet = discharged + remaining.
            for r in 3..t.rows.len() {
                for c in (3..width).step_by(3) {
                    groups.push(vec![(r, c), (r, c + 1), (r, c + 2)]);
                }
            }
        }
        for (r, c) in super::suppress::cells_to_hide(&values, &groups, &[], n) {
            t.rows[r][c] = Cell::Suppressed;
        }
        if let Some(title) = t.rows.first_mut() {
            title.resize(3, Cell::Empty);
            title.push(text(format!(
                "Suppressed: counts from 1 to {n} are shown as *, with any total that would reveal them."
            )));
        }
    }
}

/// The XLSX file name of a month: `acute-sitrep-2024-01.xlsx`.
pub fn xlsx_name(month: YearMonth) -> String {
    format!("acute-sitrep-{}.xlsx", month.key())
}
