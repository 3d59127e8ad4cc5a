//! The stays file: every inpatient, delayed or not, so that length of stay has a true denominator
//! and discharges by pathway and destination count every discharge (docs/discharge.md).
//!
//! `local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination` and optionally
//! `usual_residence` (yes/no). A destination implies its pathway: an empty pathway takes the
//! destination's, and a different one is refused. An empty usual residence takes the one the
//! destination implies (home, or back to one's own care home: yes; a new placement: no; "other":
//! not known), as the end form does. Discharge details need a discharge date.
//!
//! Also the targets on discharge and length-of-stay shares (`dtoc import discharge-targets`).

use super::{
    check_rows, code_rule, cut, date_rule, finish, read_table, read_table_bytes, Checked,
    RowReader, Table,
};
use crate::domain::{
    Destination, LaCode, NhsNumber, Pathway, ShareMeasure, Stay, StayDate, StayDetail, StayError,
    YearMonth,
};
use crate::error::{InputError, Result};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// One row of a stays file: one hospital stay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StayRecord {
    pub line: u64,
    pub local_id: String,
    pub nhs_number: Option<NhsNumber>,
    pub site: String,
    pub la_code: LaCode,
    pub admitted_on: NaiveDate,
    pub discharged_on: Option<NaiveDate>,
    pub pathway: Option<Pathway>,
    pub destination: Option<Destination>,
    pub usual_residence: Option<bool>,
    /// Ward, bed and expected discharge date (optional columns).
    pub place: crate::domain::Placement,
}

pub const STAY_COLUMNS: &[&str] = &[
    "local_id",
    "nhs_number",
    "site",
    "la_code",
    "admitted_on",
    "discharged_on",
    "pathway",
    "destination",
];
pub const STAY_OPTIONAL: &[&str] = &["usual_residence", "ward", "bed", "expected_on"];

/// Reads a stays file. `today` bounds every date.
pub fn read_stays(path: &Path, today: NaiveDate) -> Result<Checked<StayRecord>> {
    check_stays(read_table(path, STAY_COLUMNS, STAY_OPTIONAL)?, today)
}

/// The same from bytes in memory (tests and the demo).
pub fn read_stays_bytes(file: &str, bytes: &[u8], today: NaiveDate) -> Result<Checked<StayRecord>> {
    check_stays(
        read_table_bytes(file, bytes, STAY_COLUMNS, STAY_OPTIONAL)?,
        today,
    )
}

/// `yes`/`no` (also `y`/`n`, `1`/`0`, `true`/`false`).
pub(super) fn yes_no(v: &str) -> Result<bool, &'static str> {
    match v.to_ascii_lowercase().as_str() {
        "yes" | "y" | "1" | "true" => Ok(true),
        "no" | "n" | "0" | "false" => Ok(false),
        _ => Err("not yes or no"),
    }
}

fn check_stays(table: Table, today: NaiveDate) -> Result<Checked<StayRecord>> {
    let (records, mut errors) = check_rows(&table, |r| {
        let line = r.line;
        let local_id = r.local_id();
        let nhs = r.nhs_number();
        let site = r.site();
        let la = r.la_code();
        // Each date's problems go after its own column's (`at`): the order a reader lists them in.
        let mut at = [0; 2];
        let admitted = r.req("admitted_on", date_rule);
        at[0] = r.errors.len();
        let discharged = r.opt("discharged_on", date_rule);
        at[1] = r.errors.len();
        let pathway = r.opt("pathway", |v| code_rule(Pathway::parse(v)));
        let destination = r.opt("destination", |v| code_rule(Destination::parse(v)));
        let usual = r.opt("usual_residence", yes_no);
        let place = r.placement();
        let given: Vec<StayDetail> = DETAIL_COLUMNS
            .iter()
            .filter(|(_, col)| !r.raw(col).is_empty())
            .map(|(d, _)| *d)
            .collect();
        let problems = Stay::problems(
            admitted,
            discharged.ok(),
            pathway.unwrap_or(None),
            destination.unwrap_or(None),
            &given,
            today,
        );
        let mut later = Vec::new();
        let mut off_pathway = false;
        for p in problems {
            let e = stay_problem(r, &p);
            match p {
                StayError::InFuture { field, .. } => later.push((at[field as usize], e)),
                StayError::DestinationNotOnPathway { .. } => {
                    off_pathway = true;
                    r.errors.push(e);
                }
                _ => r.errors.push(e),
            }
        }
        for (i, e) in later.into_iter().rev() {
            r.errors.insert(i, e);
        }
        // A destination belongs to one pathway: an empty pathway takes the destination's.
        let pathway = match (pathway, &destination) {
            _ if off_pathway => Err(()),
            (Ok(None), Ok(Some(dest))) => Ok(Some(dest.pathway())),
            (p, _) => p,
        };
        // As the end form does: an empty usual residence takes the one the destination implies.
        let usual = match (usual, &destination) {
            (Ok(None), Ok(Some(dest))) => Ok(dest.usual_residence()),
            (u, _) => u,
        };
        if let (
            Some(local_id),
            Ok(nhs_number),
            Some(site),
            Some(la_code),
            Some(admitted_on),
            Ok(discharged_on),
            Ok(pathway),
            Ok(destination),
            Ok(usual_residence),
            Ok(place),
        ) = (
            local_id,
            nhs,
            site,
            la,
            admitted,
            discharged,
            pathway,
            destination,
            usual,
            place,
        ) {
            Some(StayRecord {
                line,
                local_id,
                nhs_number,
                site,
                la_code,
                admitted_on,
                discharged_on,
                pathway,
                destination,
                usual_residence,
                place,
            })
        } else {
            None
        }
    });
    if errors.is_empty() {
        errors.extend(check_stay_file(&table.file, &records));
    }
    finish(&table.file, records, errors, Vec::new())
}

/// The discharge details and their columns.
const DETAIL_COLUMNS: [(StayDetail, &str); 3] = [
    (StayDetail::Pathway, "pathway"),
    (StayDetail::Destination, "destination"),
    (StayDetail::UsualResidence, "usual_residence"),
];

/// A stay's problem as a reader words it, on its column with its value.
fn stay_problem(r: &RowReader<'_>, p: &StayError) -> InputError {
    match *p {
        StayError::InFuture { field, date, today } => {
            let col = match field {
                StayDate::Admitted => "admitted_on",
                StayDate::Discharged => "discharged_on",
            };
            r.error(
                col,
                Some(&date.to_string()),
                format!("is in the future (today is {today})"),
            )
        }
        StayError::DischargedBeforeAdmission {
            discharged,
            admitted,
        } => r.error(
            "discharged_on",
            Some(&discharged.to_string()),
            format!("is before admission on {admitted}"),
        ),
        StayError::DestinationNotOnPathway {
            destination,
            pathway,
        } => r.error(
            "destination",
            Some(destination.code()),
            format!(
                "is on pathway {}, not pathway {pathway}",
                destination.pathway()
            ),
        ),
        StayError::DetailWithoutDischarge { detail } => {
            let col = DETAIL_COLUMNS
                .iter()
                .find(|(d, _)| *d == detail)
                .map_or("", |(_, c)| c);
            r.error(
                col,
                Some(r.raw(col)),
                "is given but discharged_on is empty (discharge details need a discharge date)",
            )
        }
    }
}

/// Checks across rows: one row per stay; one NHS number per patient; a patient's stays do not
/// overlap (one bed at a time), and only the last may be open.
fn check_stay_file(file: &str, records: &[StayRecord]) -> Vec<InputError> {
    let mut errors = Vec::new();
    let mut by_patient: BTreeMap<&str, Vec<&StayRecord>> = BTreeMap::new();
    for r in records {
        by_patient.entry(&r.local_id).or_default().push(r);
    }
    let mut err = |r: &StayRecord, col: &str, value: &str, rule: String| {
        errors.push(InputError {
            file: file.to_string(),
            line: r.line,
            column: Some(col.to_string()),
            value: Some(cut(value)),
            rule,
        });
    };
    for rows in by_patient.values_mut() {
        rows.sort_by_key(|r| (r.admitted_on, r.line));
        let first = rows[0];
        for r in rows.iter().skip(1) {
            if r.nhs_number.is_some()
                && first.nhs_number.is_some()
                && r.nhs_number != first.nhs_number
            {
                err(
                    r,
                    "nhs_number",
                    "(hidden)",
                    format!("differs from line {} for the same patient", first.line),
                );
            }
        }
        for pair in rows.windows(2) {
            let (p, q) = (pair[0], pair[1]);
            if p.admitted_on == q.admitted_on {
                err(
                    q,
                    "admitted_on",
                    &q.admitted_on.to_string(),
                    format!("the same stay is on line {}", p.line),
                );
            } else {
                match p.discharged_on {
                    None => err(
                        q,
                        "admitted_on",
                        &q.admitted_on.to_string(),
                        format!(
                            "the stay admitted {} on line {} has no discharge date (one bed at a time)",
                            p.admitted_on, p.line
                        ),
                    ),
                    Some(d) if d > q.admitted_on => err(
                        q,
                        "admitted_on",
                        &q.admitted_on.to_string(),
                        format!(
                            "overlaps the stay {}..{d} on line {} (one bed at a time)",
                            p.admitted_on, p.line
                        ),
                    ),
                    _ => {}
                }
            }
        }
    }
    errors
}

/// One row of a discharge targets file: a target share, in percent, per authority and month.
#[derive(Debug, Clone, PartialEq)]
pub struct DischargeTargetRecord {
    pub line: u64,
    pub la_code: LaCode,
    pub month: YearMonth,
    pub measure: ShareMeasure,
    pub percent: f64,
}

pub const DISCHARGE_TARGET_COLUMNS: &[&str] = &["la_code", "month", "measure", "percent"];

/// Reads a discharge targets file: `la_code,month,measure,percent`, measure one of
/// `pathway1_share`, `within_24h_share`, `usual_residence_share`, `los14_share`, `los21_share`.
pub fn read_discharge_targets(path: &Path) -> Result<Checked<DischargeTargetRecord>> {
    check_discharge_targets(read_table(path, DISCHARGE_TARGET_COLUMNS, &[])?)
}

/// The same from bytes in memory.
pub fn read_discharge_targets_bytes(
    file: &str,
    bytes: &[u8],
) -> Result<Checked<DischargeTargetRecord>> {
    check_discharge_targets(read_table_bytes(
        file,
        bytes,
        DISCHARGE_TARGET_COLUMNS,
        &[],
    )?)
}

fn check_discharge_targets(table: Table) -> Result<Checked<DischargeTargetRecord>> {
    let mut seen: HashMap<(LaCode, YearMonth, ShareMeasure), u64> = HashMap::new();
    let (records, errors) = check_rows(&table, |r| {
        let line = r.line;
        let la = r.la_code();
        let month = r.req("month", super::month_rule);
        let measure = r.req("measure", |v| code_rule(ShareMeasure::parse(v)));
        let percent = r.req("percent", |v| {
            match v.trim_end_matches('%').parse::<f64>() {
                Ok(x) if (0.0..=100.0).contains(&x) => Ok(x),
                _ => Err("not a percentage from 0 to 100"),
            }
        });
        if let (Some(la), Some(m), Some(me)) = (&la, month, measure) {
            if let Some(prev) = seen.insert((la.clone(), m, me), line) {
                r.fail(
                    "measure",
                    Some(me.key()),
                    format!("a {me} target for {la} {m} is also on line {prev}"),
                );
            }
        }
        if let (Some(la_code), Some(month), Some(measure), Some(percent)) =
            (la, month, measure, percent)
        {
            Some(DischargeTargetRecord {
                line,
                la_code,
                month,
                measure,
                percent,
            })
        } else {
            None
        }
    });
    finish(&table.file, records, errors, Vec::new())
}

impl super::OfMonth for DischargeTargetRecord {
    fn line_month(&self) -> (u64, YearMonth) {
        (self.line, self.month)
    }
}
