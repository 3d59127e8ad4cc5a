//! The tables of `dtoc report pathways|drd|los|nctr`: the rows computed by [`super::discharge`] as
//! one typed [`Table`] each, which `commands::discharge` writes through the one output writer: a
//! terminal table (a narrower choice of columns), CSV, JSON or
//! XLSX, to stdout or `--out FILE`, with `--suppress N`. Counts are [`Kind::Count`], shares are
//! [`Kind::Rate`] derived from the count they are the share of (hidden with it), and the additive
//! groups are declared for secondary suppression: within a row (discharges = the pathways +
//! unknown; = the destinations + unknown; = the DRD bands; not meeting = discharged + remaining)
//! and across rows (each period's `all` row = the sum of its authorities, and of its sites).
//! Aggregates only: no identifiers, except the list of `los --ready-over N` (terminal only), the
//! list the Monday sitrep call reviews, which shows local hospital numbers and never NHS numbers.

use super::discharge::{self, Level, ShareVsTarget};
use super::table::{Kind, Table, Value};
use crate::domain::{Destination, DRD_BANDS};
use std::collections::BTreeMap;

/// Adds the target, RAG and comparison columns named `{prefix}_target|_rag|_vs_target`.
fn judged_columns(t: &mut Table, prefix: &str) {
    t.column(&format!("{prefix}_target"), Kind::Rate);
    t.column(&format!("{prefix}_rag"), Kind::Text);
    t.column(&format!("{prefix}_vs_target"), Kind::Text);
}

/// The values of [`judged_columns`].
fn judged(t: &Option<ShareVsTarget>) -> [Value; 3] {
    match t {
        Some(t) => [
            Value::Real(t.target_percent),
            Value::text(t.rag.as_str()),
            Value::text(t.vs_target.as_str()),
        ],
        None => [Value::Empty, Value::Empty, Value::Empty],
    }
}

/// The `level` and `code` columns.
fn lead(t: &mut Table) {
    t.column("level", Kind::Text);
    t.column("code", Kind::Text);
}

fn lead_values(level: &Level) -> [Value; 2] {
    [Value::text(level.kind()), Value::text(level.code())]
}

/// Count columns named `names`; returns their indices.
fn counts<S: AsRef<str>>(t: &mut Table, names: impl IntoIterator<Item = S>) -> Vec<usize> {
    names
        .into_iter()
        .map(|n| t.column(n.as_ref(), Kind::Count))
        .collect()
}

fn ints(xs: &[u64]) -> impl Iterator<Item = Value> + '_ {
    xs.iter().map(|n| Value::Int(*n))
}

fn reals(xs: &[Option<f64>]) -> impl Iterator<Item = Value> + '_ {
    xs.iter().map(|x| Value::opt_real(*x))
}

/// Declares, for each period and each of the count columns `cols`, that the period's `all` row is
/// the sum of its authority rows, and the sum of its site rows. `keys[r]` is row r's period and
/// level.
fn level_sums(t: &mut Table, keys: &[(String, Level)], cols: &[usize]) {
    // period -> (all rows, authority rows, site rows)
    let mut by: BTreeMap<&str, [Vec<usize>; 3]> = BTreeMap::new();
    for (r, (period, level)) in keys.iter().enumerate() {
        let slot = match level {
            Level::All => 0,
            Level::Authority(_) => 1,
            Level::Site(_) => 2,
        };
        by.entry(period).or_default()[slot].push(r);
    }
    let mut groups = Vec::new();
    for [all, las, sites] in by.values() {
        for part in [las, sites] {
            for &c in cols {
                groups.push(all.iter().chain(part).map(|&r| (r, c)).collect());
            }
        }
    }
    for g in groups {
        t.add_sum(g);
    }
}

/// Declares within every row that the cells of `cols` are a total and its parts.
fn row_sums(t: &mut Table, cols: &[usize]) {
    for r in 0..t.rows.len() {
        t.add_sum(cols.iter().map(|&c| (r, c)).collect());
    }
}

/// The pathways report: discharges by pathway (shares of all and of known pathways), the pathway 1
/// and usual residence targets, and discharges by destination.
pub fn pathways_table(rows: &[discharge::PathwayRow], title: &str) -> Table {
    let mut t = Table::new(title, "Pathways");
    t.column("month", Kind::Month);
    lead(&mut t);
    let total = t.column("discharges", Kind::Count);
    let by = counts(&mut t, (0..4).map(|p| format!("p{p}")));
    let unknown = t.column("unknown_pathway", Kind::Count);
    // A share is hidden with its count or its denominator (all discharges; those with a known
    // pathway = all - unknown), which it would otherwise give back.
    for (of, denominator) in [("all", vec![total]), ("known", vec![total, unknown])] {
        for (p, &c) in by.iter().enumerate() {
            let mut from = vec![c];
            from.extend(&denominator);
            t.derived_column_of(&format!("p{p}_share_of_{of}"), Kind::Rate, &from);
        }
    }
    judged_columns(&mut t, "p1");
    let ur = t.column("usual_residence", Kind::Count);
    let recorded = t.column("usual_residence_recorded", Kind::Count);
    t.derived_column_of("usual_residence_share", Kind::Rate, &[ur, recorded]);
    judged_columns(&mut t, "usual_residence");
    let dest = counts(&mut t, Destination::ALL.iter().map(|d| d.code()));
    let unknown_dest = t.column("unknown_destination", Kind::Count);
    let mut keys = Vec::new();
    for x in rows {
        let mut v = vec![Value::Month(x.month)];
        v.extend(lead_values(&x.level));
        v.push(Value::Int(x.discharges));
        v.extend(ints(&x.by_pathway));
        v.push(Value::Int(x.unknown_pathway));
        v.extend(reals(&x.share_of_all));
        v.extend(reals(&x.share_of_known));
        v.extend(judged(&x.pathway1_target));
        v.push(Value::Int(x.usual_residence));
        v.push(Value::Int(x.usual_residence_recorded));
        v.push(Value::opt_real(x.usual_residence_share));
        v.extend(judged(&x.usual_residence_target));
        v.extend(ints(&x.by_destination));
        v.push(Value::Int(x.unknown_destination));
        t.rows.push(v);
        keys.push((x.month.key(), x.level.clone()));
    }
    let mut pathway_sum = vec![total];
    pathway_sum.extend(&by);
    pathway_sum.push(unknown);
    row_sums(&mut t, &pathway_sum);
    let mut destination_sum = vec![total];
    destination_sum.extend(&dest);
    destination_sum.push(unknown_dest);
    row_sums(&mut t, &destination_sum);
    let all_counts: Vec<usize> = (0..t.columns.len())
        .filter(|&c| t.columns[c].kind == Kind::Count)
        .collect();
    level_sums(&mut t, &keys, &all_counts);
    // Terminal: counts, shares of known pathways, P1 target and RAG, usual residence.
    t.shown = Some(vec![
        0, 1, 2, 3, 4, 5, 6, 7, 8, 13, 14, 15, 16, 17, 18, 22, 23, 24,
    ]);
    t.notes.push(
        "Shares (%) of the terminal table are of discharges with a known pathway; `unknown_pathway` counts those with none (CSV, JSON and XLSX also give shares of all discharges).".into(),
    );
    t
}

/// The indices of the columns named `names` (a terminal table's choice by name).
fn named(t: &Table, names: &[&str]) -> Vec<usize> {
    names
        .iter()
        .filter_map(|n| t.columns.iter().position(|c| c.name == *n))
        .collect()
}

/// The Discharge Ready Date report: days from ready to discharge in bands, averages, bed days
/// lost, the share discharged within 24 hours and the average delay against their targets.
pub fn drd_table(rows: &[discharge::DrdRow], title: &str) -> Table {
    let mut t = Table::new(title, "DRD");
    t.column("month", Kind::Month);
    lead(&mut t);
    let total = t.column("discharges", Kind::Count);
    t.column("no_ready_date", Kind::Count);
    t.column("same_day_stays", Kind::Count);
    let lost = t.column("bed_days_lost", Kind::Count);
    t.derived_column_of("average_days", Kind::Rate, &[total, lost]);
    t.derived_column_of("average_days_excluding_0", Kind::Rate, &[total, lost]);
    judged_columns(&mut t, "average_delay");
    let bands = counts(&mut t, DRD_BANDS.iter().map(|b| format!("days_{}", b.0)));
    for (b, &c) in DRD_BANDS.iter().zip(&bands) {
        t.derived_column_of(&format!("share_{}", b.0), Kind::Rate, &[c, total]);
    }
    let within = t.column("within_24h", Kind::Count);
    t.derived_column_of("within_24h_share", Kind::Rate, &[within, total]);
    judged_columns(&mut t, "within_24h");
    let mut keys = Vec::new();
    for x in rows {
        let mut v = vec![Value::Month(x.month)];
        v.extend(lead_values(&x.level));
        v.extend(ints(&[
            x.discharges,
            x.no_ready_date,
            x.same_day_stays,
            x.bed_days_lost,
        ]));
        v.push(Value::opt_real(x.average_days));
        v.push(Value::opt_real(x.average_days_excluding_0));
        v.extend(judged(&x.average_delay_target));
        v.extend(ints(&x.bands));
        v.extend(reals(&x.band_shares));
        v.push(Value::Int(x.within_24h));
        v.push(Value::opt_real(x.within_24h_share));
        v.extend(judged(&x.within_24h_target));
        t.rows.push(v);
        keys.push((x.month.key(), x.level.clone()));
    }
    let mut band_sum = vec![total];
    band_sum.extend(&bands);
    row_sums(&mut t, &band_sum);
    let all_counts: Vec<usize> = (0..t.columns.len())
        .filter(|&c| t.columns[c].kind == Kind::Count)
        .collect();
    level_sums(&mut t, &keys, &all_counts);
    let mut shown = named(
        &t,
        &[
            "month",
            "level",
            "code",
            "discharges",
            "no_ready_date",
            "same_day_stays",
            "bed_days_lost",
            "average_days",
            "average_days_excluding_0",
            "average_delay_target",
            "average_delay_rag",
        ],
    );
    shown.extend(&bands);
    shown.extend(named(
        &t,
        &[
            "within_24h",
            "within_24h_share",
            "within_24h_target",
            "within_24h_rag",
        ],
    ));
    t.shown = Some(shown);
    t.notes.push(
        "The DRD measures count the discharges of stays of one night or more; a discharge with no ready date recorded left on its DRD (NHS England's DRD guidance lets it be left blank then) and counts as a 0-day delay (`no_ready_date`). Same-day stays are outside the measure: `discharges` + `same_day_stays` = the discharges of `report pathways`.".into(),
    );
    t.notes.push(
        "`average_days` (0-day delays included) is the Better Care Fund 2025/26 average length of discharge delay, rated against its target in days (`average_delay_days`).".into(),
    );
    t
}

/// The length of stay report: inpatients at 7+, 14+ and 21+ days (nested bands), per type of
/// care, with their shares over the sites that have a denominator, extra bed days and the 14+/21+
/// targets; the sites without a denominator in rows of their own, counts only.
pub fn los_table(rows: &[discharge::LosRow], title: &str) -> Table {
    let mut t = Table::new(title, "Length of stay");
    t.column("day", Kind::Date);
    lead(&mut t);
    t.column("care", Kind::Text);
    t.column("sites", Kind::Text);
    t.column("recorded", Kind::Count);
    let denominator = t.column("denominator", Kind::Count);
    t.column("denominator_source", Kind::Text);
    let bands = counts(&mut t, ["los7", "los14", "los21"]);
    for (name, &c) in ["los7_share", "los14_share", "los21_share"]
        .iter()
        .zip(&bands)
    {
        t.derived_column_of(name, Kind::Rate, &[c, denominator]);
    }
    counts(
        &mut t,
        ["extra_bed_days7", "extra_bed_days14", "extra_bed_days21"],
    );
    judged_columns(&mut t, "los14");
    judged_columns(&mut t, "los21");
    t.column("note", Kind::Text);
    let mut keys = Vec::new();
    for x in rows {
        let mut v = vec![Value::Date(x.day)];
        v.extend(lead_values(&x.level));
        v.push(Value::text(x.care.key()));
        v.push(Value::text(x.sites.join(" ")));
        v.push(Value::Int(x.recorded));
        v.push(Value::opt_int(x.denominator));
        v.push(Value::text(x.denominator_source.as_str()));
        v.extend(ints(&x.counts));
        v.extend(reals(&x.shares));
        v.extend(ints(&x.extra_bed_days));
        v.extend(judged(&x.los14_target));
        v.extend(judged(&x.los21_target));
        v.push(x.note().map_or(Value::Empty, Value::text));
        t.rows.push(v);
        // The all row of a day, type of care and coverage is the sum of its authorities' and of
        // its sites'.
        let part = format!("{} {} {}", x.day, x.care.key(), x.denominator.is_some());
        keys.push((part, x.level.clone()));
    }
    let all_counts: Vec<usize> = (0..t.columns.len())
        .filter(|&c| t.columns[c].kind == Kind::Count && c != denominator)
        .collect();
    level_sums(&mut t, &keys, &all_counts);
    // Terminal: all but the `vs_target` texts and the note (said once above the table).
    let hidden = named(&t, &["los14_vs_target", "los21_vs_target", "note"]);
    t.shown = Some(
        (0..t.columns.len())
            .filter(|c| !hidden.contains(c))
            .collect(),
    );
    t.notes.push(
        "Bands are nested (7+ includes 14+ includes 21+). Acute and non-acute (community) sites apart; shares are of `denominator` inpatients of the sites that have one on the day (`sites`; every stay recorded, or a complete census), from `denominator_source`; the other sites' inpatients are counted in rows of their own with no share (`denominator_source` none: ".to_string() + discharge::NO_DENOMINATOR + ").",
    );
    t
}

/// The criteria to reside report: patients not meeting it each day, discharged, remaining.
pub fn nctr_table(rows: &[discharge::NctrRow], title: &str) -> Table {
    let mut t = Table::new(title, "Criteria to reside");
    t.column("day", Kind::Date);
    lead(&mut t);
    let cols = counts(&mut t, ["not_meeting_criteria", "discharged", "remaining"]);
    let mut keys = Vec::new();
    for x in rows {
        let mut v = vec![Value::Date(x.day)];
        v.extend(lead_values(&x.level));
        v.extend(ints(&[x.not_meeting, x.discharged, x.remaining]));
        t.rows.push(v);
        keys.push((x.day.to_string(), x.level.clone()));
    }
    row_sums(&mut t, &cols);
    level_sums(&mut t, &keys, &cols);
    t
}
