//! `dtoc export acute-sitrep`: one month of the register's acute sites in the layout of tables 2
//! to 5 of NHS England's Acute Daily Discharge SitRep (`acute_discharge_sitrep_january2024.xlsx`);
//! and the tables both discharge sitreps share (the community one is
//! [`super::community_sitrep`]). The grid, the rows and suppression are [`super::sitrep_grid`].
//!
//! Choices (see also `report::discharge`):
//! - Scope: acute sites only (the publication is Type 1 trusts); non-acute sites are the community
//!   return. The commands pass only the stays and sites in scope.
//! - Daily criteria to reside (table 2): every day of the month up to the day before "today";
//!   discharged = every stay discharged that day, a delay recorded or not (deaths apart), so the
//!   month's discharged total equals table 4's total with its "Not stated" column.
//! - Weekly snapshots (tables 3 and 5): the weeks that end in the month (January 2024: w/c 1, 8,
//!   15 and 22), taken on each site's snapshot day (Monday unless set in Settings); only weeks
//!   begun by the last day counted. Table 5's averages divide by the number of those weeks.
//! - Table 4: discharges by intended destination; those with none recorded in a last column "Not
//!   stated".
//! - Table 5: patients with no acute reason recorded are in a last column "Reason not recorded"
//!   ([`NOT_RECORDED`]), so each row adds up to the people at 14+ days not meeting the criteria.

use super::discharge::{self, Level};
use super::sitrep_grid::{by_snapshot_day, Cell, Head, Orgs, Return, Table};
use crate::domain::{AcuteReason, Destination, StayFacts, YearMonth};
use chrono::{NaiveDate, Weekday};
use std::collections::BTreeMap;

/// The published header texts of the daily table (table 2).
pub const DAILY_LABELS: [&str; 3] = [
    "Number of patients who no longer meet the criteria to reside",
    "Number of patients discharged",
    "Number of patients remaining in hospital who no longer meet the criteria to reside",
];

/// The last column of the destination table: discharges with no destination recorded.
pub const NOT_STATED: &str = "Not stated";

/// The last column of the reasons table (acute table 5, community table 3): the people at 14+ days
/// with no acute sitrep reason recorded, so that each row adds up to all the people at 14+ days
/// not meeting the criteria to reside (not a published column: without it a register that records
/// no reasons would show a table of zeros).
pub const NOT_RECORDED: &str = "Reason not recorded";

/// What every table of a return is built from.
pub struct Input<'a> {
    /// The stays at the sites in scope that overlap the month or its snapshot weeks.
    pub stays: &'a [StayFacts],
    pub orgs: Orgs<'a>,
    pub month: YearMonth,
    /// The last day with figures: the day before "today", or the month's last day.
    pub last_day: NaiveDate,
    /// Each site's snapshot day (Monday when missing).
    pub snapshot_days: &'a BTreeMap<String, Weekday>,
}

impl Input<'_> {
    fn days(&self) -> Vec<NaiveDate> {
        discharge::days_between(
            self.month.first_day(),
            self.last_day.min(self.month.last_day()),
        )
    }

    /// The month's snapshot weeks begun by the last day, by their Monday.
    pub fn weeks(&self) -> Vec<NaiveDate> {
        discharge::snapshot_weeks(self.month)
            .into_iter()
            .filter(|w| *w <= self.last_day)
            .collect()
    }

    fn table(
        &self,
        (sheet, file, title): (&'static str, &'static str, &str),
        groups: Vec<Head>,
        labels: Vec<String>,
        values: &dyn Fn(&Level) -> Vec<Cell>,
    ) -> Table {
        Table {
            sheet,
            file,
            title: title.to_string(),
            groups,
            labels,
            first_is_sum: false,
            rows: self.orgs.rows(values),
            suppressed: None,
        }
    }
}

fn week_heads(weeks: &[NaiveDate]) -> Vec<Head> {
    weeks.iter().map(|d| Head::Week(*d)).collect()
}

fn strings(xs: impl IntoIterator<Item = impl Into<String>>) -> Vec<String> {
    xs.into_iter().map(Into::into).collect()
}

/// The daily criteria-to-reside table: not meeting, discharged, remaining on each day.
pub fn daily(i: &Input<'_>, names: (&'static str, &'static str, &str)) -> Table {
    let days = i.days();
    let nctr: BTreeMap<(NaiveDate, Level), [u64; 3]> = discharge::nctr(i.stays, &days)
        .into_iter()
        .map(|r| ((r.day, r.level), [r.not_meeting, r.discharged, r.remaining]))
        .collect();
    let mut t = i.table(
        names,
        days.iter().map(|d| Head::Day(*d)).collect(),
        strings(DAILY_LABELS),
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
    t.first_is_sum = true;
    t
}

/// The weekly length-of-stay snapshot: for each week, the `counts` of inpatients and the extra
/// bed days of the bands `bands` (indices of 7+, 14+, 21+), with their labels.
pub fn weekly(
    i: &Input<'_>,
    names: (&'static str, &'static str, &str),
    bands: &[usize],
    counts: bool,
) -> Table {
    let weeks = i.weeks();
    let los = by_snapshot_day::<6>(i.stays, &weeks, i.snapshot_days, &|stays, day| {
        discharge::los_counts(stays, day)
            .into_iter()
            .map(|(level, [a, b, c], [x, y, z])| (level, [a, b, c, x, y, z]))
            .collect()
    });
    let band = |b: usize| [7, 14, 21][b];
    let mut labels = Vec::new();
    if counts {
        labels.extend(bands.iter().map(|&b| {
            format!(
                "Number of patients with length of stay of {}+ days",
                band(b)
            )
        }));
    }
    labels.extend(bands.iter().map(|&b| {
        format!(
            "Number of additional bed days, patients with length of stay of {}+ days",
            band(b)
        )
    }));
    let columns: Vec<usize> = bands
        .iter()
        .copied()
        .filter(|_| counts)
        .chain(bands.iter().map(|b| b + 3))
        .collect();
    i.table(names, week_heads(&weeks), labels, &|level| {
        weeks
            .iter()
            .flat_map(|w| {
                let v = los.get(&(*w, level.clone())).copied().unwrap_or_default();
                columns.iter().map(move |&c| Cell::Count(v[c]))
            })
            .collect()
    })
}

/// The month's discharges by intended destination, with a last column for those not stated.
pub fn destinations(i: &Input<'_>, names: (&'static str, &'static str, &str)) -> Table {
    let pathways: BTreeMap<Level, discharge::PathwayRow> =
        discharge::pathways(i.stays, i.month, i.month, &discharge::Targets::new(&[]))
            .into_iter()
            .filter(|r| r.month == i.month)
            .map(|r| (r.level.clone(), r))
            .collect();
    let mut labels = strings(Destination::ALL.map(Destination::published_header));
    labels.push(NOT_STATED.to_string());
    i.table(
        names,
        vec![Head::Month(
            i.month,
            format!(
                "{} - Total number of patients discharged",
                i.month.long_name()
            ),
        )],
        labels,
        &|level| {
            let (by, unknown) = pathways
                .get(level)
                .map_or(([0; 12], 0), |r| (r.by_destination, r.unknown_destination));
            by.into_iter().chain([unknown]).map(Cell::Count).collect()
        },
    )
}

/// People at 14+ days not meeting the criteria to reside by reason: the average over the month's
/// snapshot weeks, with those with no reason recorded in a last column; adds a note when there are
/// some.
pub fn reasons(
    i: &Input<'_>,
    names: (&'static str, &'static str, &str),
    notes: &mut Vec<String>,
) -> Table {
    let weeks = i.weeks();
    let by = by_snapshot_day::<19>(i.stays, &weeks, i.snapshot_days, &|stays, day| {
        discharge::long_stay_reasons(stays, &[day])
            .into_iter()
            .map(|(level, (r, none))| {
                let mut v = [0; 19];
                v[..18].copy_from_slice(&r);
                v[18] = none;
                (level, v)
            })
            .collect()
    });
    let mut sums: BTreeMap<Level, [u64; 19]> = BTreeMap::new();
    for ((_, level), v) in by {
        let a = sums.entry(level).or_insert([0; 19]);
        for (x, y) in a.iter_mut().zip(v) {
            *x += y;
        }
    }
    let unrecorded = sums.get(&Level::All).map_or(0, |v| v[18]);
    if unrecorded > 0 {
        notes.push(format!(
            "{}: {unrecorded} patient-snapshots at 14+ days have no acute sitrep reason recorded: they are in its column \"{NOT_RECORDED}\"",
            names.0
        ));
    }
    let n = weeks.len().max(1) as f64;
    i.table(
        names,
        vec![Head::Month(i.month, format!(
            "{} - Average number of people per day with length of stay 14 days or over who no longer meet the criteria to reside but were not discharged",
            i.month.long_name()
        ))],
        strings(AcuteReason::ALL.map(AcuteReason::published_header))
            .into_iter()
            .chain([NOT_RECORDED.to_string()])
            .collect(),
        &|level| {
            let v = sums.get(level).copied().unwrap_or([0; 19]);
            v.iter()
                .map(|x| Cell::Average(*x as f64 / n))
                .collect()
        },
    )
}

/// Builds the four tables of the acute return.
pub fn acute_sitrep(i: &Input<'_>) -> Return {
    let mut notes = Vec::new();
    let t2 = daily(i, ("Table 2", "table2_criteria_to_reside.csv",
        "Table 2: Number of patients who no longer meet criteria to reside and number of patients who were / were not discharged"));
    let t3 = weekly(i, ("Table 3", "table3_extra_bed_days.csv",
        "Table 3: Number of additional days in total patients have remained in hospital since the criteria to be discharged decision was made"),
        &[0, 1, 2], false);
    let t4 = destinations(i, ("Table 4", "table4_discharges_by_destination.csv",
        "Table 4: Month total number of patients discharged by their intended discharge destination"));
    let t5 = reasons(i, ("Table 5", "table5_reasons_14_plus.csv",
        "Table 5: Weekly snapshot average of the total number of people per day with length of stay 14 days or over who no longer meet the criteria to reside but were not discharged, broken down by the reasons why they continued to reside"),
        &mut notes);
    Return {
        name: "acute-sitrep",
        month: i.month,
        last_day: i.last_day,
        tables: vec![t2, t3, t4, t5],
        notes,
    }
}
