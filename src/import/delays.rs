//! The delays file: one row per period of a delay (see the README for the format).

use super::{
    check_rows_with, code_rule, cut, date_rule, finish, read_table_bytes, read_table_with, Checked,
    RowReader, Table, MAX_ERRORS,
};
use crate::domain::{
    AcuteReason, Attribution, DelayDate, DelayDates, DelayError, Destination, EndKind, LaCode,
    NhsNumber, Pathway, ReasonCode, Setting,
};
use crate::error::{InputError, Result};
use crate::progress::{Progress, Silent, Unit};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// One row of a delays file: one period of a delay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DelayRecord {
    pub line: u64,
    pub local_id: String,
    pub nhs_number: Option<NhsNumber>,
    pub provider: String,
    pub site: String,
    pub setting: Setting,
    pub la_code: LaCode,
    pub admitted_on: NaiveDate,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub reason: ReasonCode,
    pub attribution: Attribution,
    pub discharged_on: Option<NaiveDate>,
    pub pathway: Option<Pathway>,
    pub end_kind: Option<EndKind>,
    /// The destination's code (one of the 12 of the acute sitrep).
    pub destination: Option<String>,
    /// The acute sitrep reason of the period, beside its DTOC code.
    pub acute_reason: Option<AcuteReason>,
    /// The pathway the delay is waiting for (optional column `planned_pathway`, 0–3).
    pub planned_pathway: Option<Pathway>,
    /// Ward, bed and expected discharge date (optional columns).
    pub place: crate::domain::Placement,
    /// The stored stay (local id, admission) this row corrects: a newer extract that changed a
    /// stay's local id, NHS number, admission date or site names the stay as it was
    /// (`was_local_id`, `was_admitted_on`).
    pub corrects: Option<(String, NaiveDate)>,
}

pub const DELAY_COLUMNS: &[&str] = &[
    "local_id",
    "nhs_number",
    "provider",
    "site",
    "setting",
    "la_code",
    "admitted_on",
    "delay_start",
    "delay_end",
    "reason",
    "attribution",
    "discharged_on",
    "pathway",
];
pub const DELAY_OPTIONAL: &[&str] = &[
    "end_kind",
    "destination",
    "acute_reason",
    "planned_pathway",
    "ward",
    "bed",
    "expected_on",
    "was_local_id",
    "was_admitted_on",
];

/// Reads a delays file (see the README for the format). `today` bounds every date.
pub fn read_delays(path: &Path, today: NaiveDate) -> Result<Checked<DelayRecord>> {
    read_delays_with(path, today, &Silent)
}

/// [`read_delays`], telling `progress` how far it has read (`reading`) and checked
/// (`validating`).
pub fn read_delays_with(
    path: &Path,
    today: NaiveDate,
    progress: &dyn Progress,
) -> Result<Checked<DelayRecord>> {
    let table = read_table_with(path, DELAY_COLUMNS, DELAY_OPTIONAL, progress)?;
    check_delays(table, today, progress)
}

/// The same from bytes in memory (tests and fuzzing).
pub fn read_delays_bytes(
    file: &str,
    bytes: &[u8],
    today: NaiveDate,
) -> Result<Checked<DelayRecord>> {
    let table = read_table_bytes(file, bytes, DELAY_COLUMNS, DELAY_OPTIONAL)?;
    check_delays(table, today, &Silent)
}

fn check_delays(
    table: Table,
    today: NaiveDate,
    progress: &dyn Progress,
) -> Result<Checked<DelayRecord>> {
    let rows = table.rows.len();
    progress.phase("validating", Some(rows as u64), Unit::Rows);
    let file = table.file.as_str();
    let check = |range: std::ops::Range<usize>| {
        let mut warnings = Vec::new();
        let (records, errors) = check_rows_with(&table, range, progress, |r| {
            check_row(r, file, today, &mut warnings)
        });
        (records, errors, warnings)
    };
    // A large file is checked in two halves, one per core; the result is the one-thread result:
    // records, warnings and errors in line order, the same first MAX_ERRORS problems.
    let (records, mut errors, warnings) = if rows >= PARALLEL_ROWS {
        let mid = rows / 2;
        let (first, second) = std::thread::scope(|sc| {
            let second = sc.spawn(|| check(mid..rows));
            let first = check(0..mid);
            let second = second
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e));
            (first, second)
        });
        let (mut records, mut errors, mut warnings) = first;
        if errors.len() < MAX_ERRORS {
            records.extend(second.0);
            errors.extend(second.1);
            warnings.extend(second.2);
        }
        (records, errors, warnings)
    } else {
        check(0..rows)
    };
    if errors.is_empty() {
        errors.extend(check_delay_file(&table.file, &records));
    }
    finish(&table.file, records, errors, warnings)
}

/// From how many rows a file is checked on two threads.
const PARALLEL_ROWS: usize = 50_000;

/// Checks one row of a delays file: its record, or its problems recorded on `r`.
fn check_row(
    r: &mut RowReader<'_>,
    file: &str,
    today: NaiveDate,
    warnings: &mut Vec<String>,
) -> Option<DelayRecord> {
    let line = r.line;
    let local_id = r.local_id();
    let nhs = r.nhs_number();
    let provider = r.req("provider", |v| {
        if v.len() > 20 {
            Err("is longer than 20 characters")
        } else {
            Ok(v.to_string())
        }
    });
    let site = r.site();
    let setting = r.req("setting", |v| code_rule(Setting::parse(v)));
    let la = r.la_code();
    // Each date's problems go after its own column's (`at`): the order a reader lists them in.
    let mut at = [0; 4];
    let admitted = r.req("admitted_on", date_rule);
    at[0] = r.errors.len();
    let start = r.req("delay_start", date_rule);
    at[1] = r.errors.len();
    let end = r.opt("delay_end", date_rule);
    at[2] = r.errors.len();
    let reason = r.req("reason", |v| code_rule(ReasonCode::parse(v)));
    let attribution = r.req("attribution", |v| code_rule(Attribution::parse(v)));
    let discharged = r.opt("discharged_on", date_rule);
    at[3] = r.errors.len();
    let pathway = r.opt("pathway", |v| code_rule(Pathway::parse(v)));
    let end_kind = r.opt("end_kind", |v| code_rule(EndKind::parse(v)));
    let destination = r.opt("destination", |v| code_rule(Destination::parse(v)));
    // A destination belongs to one pathway.
    let pathway = r.pathway_of(pathway, &destination);
    let destination = destination.map(|d| d.map(|d| d.code().to_string()));
    let acute_reason = r.opt("acute_reason", |v| code_rule(AcuteReason::parse(v)));
    let planned_pathway = r.opt("planned_pathway", |v| code_rule(Pathway::parse(v)));
    let place = r.placement();
    let was_local = r.opt("was_local_id", |v| {
        crate::domain::LocalId::parse(v)
            .map(crate::domain::LocalId::into_string)
            .map_err(|_| "is longer than 40 characters")
    });
    let was_admitted = r.opt("was_admitted_on", date_rule);
    let corrects = match (was_local, was_admitted) {
        (Ok(Some(l)), Ok(Some(a))) => Ok(Some((l, a))),
        (Ok(None), Ok(None)) => Ok(None),
        (Ok(Some(l)), Ok(None)) => {
            r.fail(
                "was_admitted_on",
                None,
                format!("is needed with was_local_id {l}: together they name the stay corrected"),
            );
            Err(())
        }
        (Ok(None), Ok(Some(a))) => {
            r.fail(
                "was_local_id",
                None,
                format!(
                    "is needed with was_admitted_on {a}: together they name the stay corrected"
                ),
            );
            Err(())
        }
        _ => Err(()),
    };
    let problems = DelayDates::problems(
        admitted,
        start,
        end.unwrap_or(None),
        discharged.unwrap_or(None),
        today,
    );
    let mut later = Vec::new();
    for p in problems {
        let (col, value, rule) = date_problem(&p);
        let e = r.error(col, Some(&value), rule);
        match p {
            DelayError::InFuture { field, .. } => later.push((at[field as usize], e)),
            _ => r.errors.push(e),
        }
    }
    // A date in the future right after its column's problems: the latest first, so that the
    // earlier places still hold.
    for (i, e) in later.into_iter().rev() {
        r.errors.insert(i, e);
    }
    if let (Some(reason), Some(att)) = (reason, attribution) {
        if let Some(w) = reason.attribution_warning(att) {
            warnings.push(format!("{file} line {line}: {w}"));
        }
    }
    if let (
        Some(local_id),
        Ok(nhs_number),
        Some(provider),
        Some(site),
        Some(setting),
        Some(la_code),
        Some(admitted_on),
        Some(start),
        Ok(end),
        Some(reason),
        Some(attribution),
        Ok(discharged_on),
        Ok(pathway),
        Ok(end_kind),
        Ok(destination),
        Ok(acute_reason),
        Ok(planned_pathway),
        Ok(place),
        Ok(corrects),
    ) = (
        local_id,
        nhs,
        provider,
        site,
        setting,
        la,
        admitted,
        start,
        end,
        reason,
        attribution,
        discharged,
        pathway,
        end_kind,
        destination,
        acute_reason,
        planned_pathway,
        place,
        corrects,
    ) {
        Some(DelayRecord {
            line,
            local_id,
            nhs_number,
            provider,
            site,
            setting,
            la_code,
            admitted_on,
            start,
            end,
            reason,
            attribution,
            discharged_on,
            pathway,
            end_kind,
            destination,
            acute_reason,
            planned_pathway,
            place,
            corrects,
        })
    } else {
        None
    }
}

/// A delay's date problem as a reader words it: the column, its value and the rule.
fn date_problem(p: &DelayError) -> (&'static str, String, String) {
    let col = match p.field() {
        DelayDate::Admitted => "admitted_on",
        DelayDate::Ready => "delay_start",
        DelayDate::End => "delay_end",
        DelayDate::Discharged => "discharged_on",
    };
    match *p {
        DelayError::InFuture { date, today, .. } => (
            col,
            date.to_string(),
            format!("is in the future (today is {today})"),
        ),
        DelayError::ReadyBeforeAdmission { ready, admitted } => (
            col,
            ready.to_string(),
            format!("is before admission on {admitted} (ready before admitted)"),
        ),
        DelayError::EndBeforeReady { end, ready } => (
            col,
            end.to_string(),
            format!("is before delay_start {ready}"),
        ),
        DelayError::DischargedBeforeReady { discharged, ready } => (
            col,
            discharged.to_string(),
            format!("is before the ready date {ready} (discharge before ready)"),
        ),
        DelayError::EndAfterDischarge { end, discharged } => (
            col,
            end.to_string(),
            format!("is after discharge on {discharged}"),
        ),
    }
}

/// Checks across rows: one type of care per site; one site, authority, NHS number and discharge per
/// stay; no overlapping periods within a stay; only a delay's last period may be open.
fn check_delay_file(file: &str, records: &[DelayRecord]) -> Vec<InputError> {
    let mut errors = Vec::new();
    let mut err = |line: u64, col: &str, value: Option<&str>, rule: String| {
        errors.push(InputError {
            file: file.to_string(),
            line,
            column: Some(col.to_string()),
            value: value.map(cut),
            rule,
        });
    };
    let mut sites: HashMap<&str, (Setting, &str, u64)> = HashMap::new();
    for r in records {
        match sites.get(r.site.as_str()) {
            Some((s, p, line)) => {
                if *s != r.setting {
                    err(
                        r.line,
                        "setting",
                        Some(r.setting.key()),
                        format!(
                            "site {} is {} on line {line}: a site has one type of care",
                            r.site, s
                        ),
                    );
                } else if *p != r.provider {
                    err(
                        r.line,
                        "provider",
                        Some(&r.provider),
                        format!("site {} belongs to provider {p} on line {line}", r.site),
                    );
                }
            }
            None => {
                sites.insert(&r.site, (r.setting, &r.provider, r.line));
            }
        }
    }
    let mut stays: BTreeMap<(&str, NaiveDate), Vec<&DelayRecord>> = BTreeMap::new();
    for r in records {
        stays
            .entry((&r.local_id, r.admitted_on))
            .or_default()
            .push(r);
    }
    for rows in stays.values_mut() {
        rows.sort_by_key(|r| (r.start, r.line));
        let first = rows[0];
        for r in rows.iter().skip(1) {
            if r.site != first.site {
                err(
                    r.line,
                    "site",
                    Some(&r.site),
                    format!(
                        "the same stay is at site {} on line {}",
                        first.site, first.line
                    ),
                );
            }
            if r.la_code != first.la_code {
                err(
                    r.line,
                    "la_code",
                    Some(r.la_code.as_str()),
                    format!(
                        "the same stay is for {} on line {}",
                        first.la_code, first.line
                    ),
                );
            }
            if r.nhs_number != first.nhs_number {
                err(
                    r.line,
                    "nhs_number",
                    Some("(hidden)"),
                    format!("differs from line {} for the same patient", first.line),
                );
            }
            if r.discharged_on != first.discharged_on {
                err(
                    r.line,
                    "discharged_on",
                    r.discharged_on.map(|d| d.to_string()).as_deref(),
                    format!("differs from line {} for the same stay", first.line),
                );
            }
        }
        for pair in rows.windows(2) {
            let (p, q) = (pair[0], pair[1]);
            match p.end {
                None => err(
                    q.line,
                    "delay_start",
                    Some(&q.start.to_string()),
                    format!(
                        "overlaps the open period from {} on line {} of the same stay",
                        p.start, p.line
                    ),
                ),
                Some(e) if e > q.start || p.start == q.start => err(
                    q.line,
                    "delay_start",
                    Some(&q.start.to_string()),
                    format!(
                        "overlaps the period {}..{e} on line {} of the same stay",
                        p.start, p.line
                    ),
                ),
                _ => {}
            }
        }
    }
    errors
}
