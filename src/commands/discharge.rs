//! `dtoc report pathways|drd|los|nctr`: each reads the stays, census and targets it needs,
//! computes with `report::discharge`, builds its table (`report::discharge_table`) and writes it
//! through [`super::output`]. Aggregates only: no identifiers, except the list of
//! `los --ready-over N` (terminal only), the list the Monday sitrep call reviews, which shows local
//! hospital numbers and never NHS numbers.

use super::monthly::Range;
use super::output::{emit, Align, Format};
use crate::domain::{length_of_stay, LaCode, StayFacts, YearMonth};
use crate::report::discharge::{self, Targets};
use crate::report::discharge_table::{drd_table, los_table, nctr_table, pathways_table};
use crate::store::Store;
use anyhow::{bail, Result};
use chrono::NaiveDate;
use std::io::Write;

/// The months of `r`, the stays of the authorities asked for in them, and their discharge
/// targets: what `report pathways` and `report drd` both start from.
fn months_of_stays(
    store: &Store,
    r: &Range,
    today: NaiveDate,
) -> Result<(YearMonth, YearMonth, Vec<StayFacts>, Targets)> {
    let (from, to) = r.months(today)?;
    let stays = store.stay_facts(
        from.first_day(),
        to.end_exclusive(),
        &LaCode::parse_all(&r.las)?,
    )?;
    let targets = Targets::new(&store.discharge_targets(from, to)?);
    Ok((from, to, stays, targets))
}

/// `dtoc report pathways`.
pub fn pathways(store: &Store, r: &Range, today: NaiveDate, out: &mut dyn Write) -> Result<()> {
    let (from, to, stays, targets) = months_of_stays(store, r, today)?;
    let rows = discharge::pathways(&stays, from, to, &targets);
    let mut t = pathways_table(&rows, &format!("Discharges by pathway, {from} to {to}"));
    t.add_complete(today);
    // Before coverage (issue 24): blank, never 0.
    let coverage = store.coverage()?;
    t.blank_before_coverage(&coverage, coverage.blank_note(from, to));
    emit(vec![t], r.format, &r.dest, today, out)
}

/// `dtoc report drd`.
pub fn drd(store: &Store, r: &Range, today: NaiveDate, out: &mut dyn Write) -> Result<()> {
    let (from, to, stays, targets) = months_of_stays(store, r, today)?;
    let rows = discharge::drd(&stays, from, to, &targets);
    let mut t = drd_table(
        &rows,
        &format!("Discharge Ready Date to discharge, {from} to {to}"),
    );
    // Both counts, so that the figures are seen to agree with `report pathways`.
    let coverage = store.coverage()?;
    let all: Vec<_> = rows
        .iter()
        .filter(|r| r.level == discharge::Level::All && coverage.covers(r.month))
        .collect();
    let sum = |f: fn(&discharge::DrdRow) -> u64| all.iter().map(|r| f(r)).sum::<u64>();
    let (measured, same_day, blank) = (
        sum(|r| r.discharges),
        sum(|r| r.same_day_stays),
        sum(|r| r.no_ready_date),
    );
    t.notes.insert(
        0,
        format!(
            "{} discharges in `report pathways` of the same sites and months, less {same_day} same-day stays: {measured} discharges measured, {blank} of them with no ready date recorded (0-day delays).",
            measured + same_day
        ),
    );
    t.add_complete(today);
    t.blank_before_coverage(&coverage, coverage.blank_note(from, to));
    emit(vec![t], r.format, &r.dest, today, out)
}

/// `dtoc report los`: on `date`, else on each Monday of the range; with `ready_over`, also the
/// patients ready for more than that many days (terminal only).
pub fn los(
    store: &Store,
    r: &Range,
    date: Option<NaiveDate>,
    ready_over: Option<u32>,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(d) = date {
        super::monthly::not_future("--date", &d, d, today)?;
    }
    let days = match date {
        Some(d) => vec![d],
        None => {
            let (from, to) = r.months(today)?;
            discharge::mondays(from.first_day(), to.last_day().min(today))
        }
    };
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        bail!("no Monday in the range up to {today}: give --date YYYY-MM-DD");
    };
    let rows = discharge::load_los(store, &days, &LaCode::parse_all(&r.las)?)?;
    let mut table = los_table(&rows, &format!("Length of stay, {first} to {last}"));
    // Before coverage: blank, never 0.
    let coverage = store.coverage()?;
    table.blank_before_coverage(&coverage, coverage.blank_note_days(first, last));
    emit(vec![table], r.format, &r.dest, today, out)?;
    let terminal = r.format == Format::Table && r.dest.out.is_none();
    if let (Some(n), true) = (ready_over, terminal) {
        let day = date.unwrap_or(today);
        writeln!(out, "\nReady for more than {n} days on {day}:")?;
        let stays = store.stay_facts(
            day,
            day.succ_opt().unwrap_or(day),
            &LaCode::parse_all(&r.las)?,
        )?;
        let mut list: Vec<(i64, &StayFacts, NaiveDate)> = stays
            .iter()
            .filter(|s| s.is_inpatient(day))
            .filter_map(|s| {
                let d = s.delays.iter().find(|d| d.open_at_end_of(day))?;
                let ready = (day - d.ready_on).num_days();
                (ready > i64::from(n)).then_some((ready, s, d.ready_on))
            })
            .collect();
        list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.local_id.cmp(&b.1.local_id)));
        let head = ["local id", "site", "la_code", "ready on", "ready", "LOS"];
        let mut lines = vec![head.map(String::from).to_vec()];
        for (ready, s, on) in list {
            lines.push(vec![
                s.local_id.clone(),
                s.site_code.clone(),
                s.la_code.to_string(),
                on.to_string(),
                ready.to_string(),
                length_of_stay(s.admitted_on, day).unwrap_or(0).to_string(),
            ]);
        }
        let cols = [
            Align::Left(12),
            Align::Left(8),
            Align::Left(10),
            Align::Left(10),
            Align::Right(6),
            Align::Right(5),
        ];
        super::output::write_columns(out, &cols, &lines)?;
    }
    Ok(())
}

/// `dtoc report nctr`: on `date`, else on every complete day of the range.
pub fn nctr(
    store: &Store,
    r: &Range,
    date: Option<NaiveDate>,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    if let Some(d) = date {
        super::monthly::not_future("--date", &d, d, today)?;
    }
    let days = match date {
        Some(d) => vec![d],
        None => {
            let (from, to) = r.months(today)?;
            let last = to.last_day().min(today.pred_opt().unwrap_or(today));
            discharge::days_between(from.first_day(), last)
        }
    };
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        bail!("no complete day in the range before {today}: give --date YYYY-MM-DD");
    };
    let stays = store.stay_facts(
        first,
        last.succ_opt().unwrap_or(last),
        &LaCode::parse_all(&r.las)?,
    )?;
    let rows = discharge::nctr(&stays, &days);
    let mut t = nctr_table(&rows, &format!("Criteria to reside, {first} to {last}"));
    let coverage = store.coverage()?;
    t.blank_before_coverage(&coverage, coverage.blank_note_days(first, last));
    hide_remaining_decided(store, &mut t, &rows, today, r.dest.suppress)?;
    emit(vec![t], r.format, &r.dest, today, out)
}

/// Hides the patients remaining (a day's delayed days) as their month's one decision hides them
/// (`--suppress n`); the table's own groups then hide what would give them back.
fn hide_remaining_decided(
    store: &Store,
    t: &mut crate::report::table::Table,
    rows: &[discharge::NctrRow],
    today: NaiveDate,
    n: u64,
) -> Result<()> {
    use crate::report::suppress::{hide_decided, Figure};
    let months: std::collections::BTreeSet<YearMonth> =
        rows.iter().map(|x| YearMonth::of(x.day)).collect();
    let decided = super::suppression::decided(store, months, today, n)?;
    if decided.is_empty() {
        return Ok(());
    }
    let sites: std::collections::BTreeMap<String, (String, crate::domain::Setting)> = store
        .sites()?
        .into_iter()
        .map(|s| (s.code, (s.provider_code, s.setting)))
        .collect();
    hide_decided(t, "remaining", &decided, |i| {
        let Some(x) = rows.get(i) else {
            return Vec::new();
        };
        let f = match &x.level {
            discharge::Level::All => Figure::all(),
            discharge::Level::Authority(la) => Figure::la(la),
            discharge::Level::Site(code) => match sites.get(code) {
                Some((provider, setting)) => Figure::all().site(code, provider).setting(*setting),
                None => return Vec::new(),
            },
        };
        vec![(YearMonth::of(x.day), f.day(x.day))]
    });
    Ok(())
}
