//! The corrections file (`dtoc import corrections`): what ended, corrected or reopened.
//!
//! `local_id,delay_start,action` name the delay (the patient's local id and the delay's ready
//! date, as in a delays file) and what to do: `correct` or `reopen`. A `correct` row gives one or
//! more of `delay_end`, `end_kind` (discharged, transferred, unfit, died), `pathway`,
//! `destination`, `usual_residence` (yes/no) and `discharged_on` (the stay's); an empty cell
//! leaves the stored value, `none` clears a pathway, destination, usual residence or discharge
//! date. A `reopen` row gives `reopen_reason` and nothing else. Each delay is named once per file;
//! the rows are applied in file order in one transaction (the store's `import_corrections`).

use super::{check_rows, code_rule, date_rule, finish, read_table, read_table_bytes, Table};
use crate::domain::{Destination, EndChange, EndKind, LocalId, Pathway};
use crate::error::{InputError, Result};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;

pub const CORRECTION_COLUMNS: &[&str] = &["local_id", "delay_start", "action"];
/// The optional columns: a reopening's reason, then what a `correct` row may change.
pub const CORRECTION_OPTIONAL: &[&str] = &[
    "reopen_reason",
    "delay_end",
    "end_kind",
    "pathway",
    "destination",
    "usual_residence",
    "discharged_on",
];
/// What a `correct` row may change, in the order a refusal names the first.
pub const CORRECTION_FIELDS: &[&str] = CORRECTION_OPTIONAL.split_at(1).1;

/// What a row does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CorrectionAction {
    Correct(EndChange),
    Reopen { reason: String },
}

impl CorrectionAction {
    /// The `action` cell.
    pub fn key(&self) -> &'static str {
        match self {
            Self::Correct(_) => "correct",
            Self::Reopen { .. } => "reopen",
        }
    }
}

/// One row of a corrections file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionRecord {
    pub line: u64,
    pub local_id: String,
    /// The delay's ready date (`delay_start`).
    pub ready_on: NaiveDate,
    pub action: CorrectionAction,
    /// The correction columns given, as written (for a refusal's message).
    given: Vec<(&'static str, String)>,
}

impl CorrectionRecord {
    /// A correction column's cell as the file gave it (empty when not given).
    pub fn raw(&self, col: &str) -> &str {
        self.given
            .iter()
            .find(|(c, _)| *c == col)
            .map_or("", |(_, v)| v.as_str())
    }

    /// The column a refusal of the row as a whole names: the first it corrects, else `action`.
    pub fn first_column(&self) -> &'static str {
        self.given.first().map_or("action", |(c, _)| c)
    }
}

/// Reads a corrections file. `today` bounds every date.
pub fn read_corrections(path: &Path, today: NaiveDate) -> Result<super::Checked<CorrectionRecord>> {
    check_corrections(
        read_table(path, CORRECTION_COLUMNS, CORRECTION_OPTIONAL)?,
        today,
    )
}

/// The same from bytes in memory (tests).
pub fn read_corrections_bytes(
    file: &str,
    bytes: &[u8],
    today: NaiveDate,
) -> Result<super::Checked<CorrectionRecord>> {
    check_corrections(
        read_table_bytes(file, bytes, CORRECTION_COLUMNS, CORRECTION_OPTIONAL)?,
        today,
    )
}

/// `none` clears a value: `Some(None)`; else the value parsed.
fn clearable<T, E: std::fmt::Display>(
    v: &str,
    parse: impl FnOnce(&str) -> std::result::Result<T, E>,
) -> std::result::Result<Option<T>, String> {
    if v.eq_ignore_ascii_case("none") {
        Ok(None)
    } else {
        parse(v).map(Some).map_err(|e| e.to_string())
    }
}

/// A date not after `today`.
fn past_date(today: NaiveDate) -> impl Fn(&str) -> std::result::Result<NaiveDate, String> {
    move |v| {
        let d = date_rule(v)?;
        if d > today {
            return Err(format!("is in the future (today is {today})"));
        }
        Ok(d)
    }
}

fn check_corrections(table: Table, today: NaiveDate) -> Result<super::Checked<CorrectionRecord>> {
    let mut seen: HashMap<(String, NaiveDate), u64> = HashMap::new();
    let (records, errors) = check_rows(&table, |r| {
        let local_id = r.req("local_id", |v| {
            LocalId::parse(v)
                .map(LocalId::into_string)
                .map_err(|_| "is longer than 40 characters")
        });
        let ready = r.req("delay_start", past_date(today));
        let action = r.req("action", |v| match v.to_ascii_lowercase().as_str() {
            "correct" => Ok("correct"),
            "reopen" => Ok("reopen"),
            _ => Err("not an action (expected correct or reopen)"),
        });
        let given: Vec<(&'static str, String)> = CORRECTION_FIELDS
            .iter()
            .filter(|c| !r.raw(c).is_empty())
            .map(|c| (*c, r.raw(c).to_string()))
            .collect();
        let reason = r.raw("reopen_reason").to_string();
        let action = match action? {
            "reopen" => {
                if let Some((col, v)) = given.first() {
                    r.fail(
                        col,
                        Some(v.as_str()),
                        "is given on a reopen row: a reopen clears the end (correct it after, on a row of its own)",
                    );
                    return None;
                }
                if reason.is_empty() {
                    r.fail(
                        "reopen_reason",
                        None,
                        "is empty: a reopen needs a reason (it is kept in the audit log)",
                    );
                    return None;
                }
                if let Err(rule) = crate::domain::text::check_bounded(
                    "reason",
                    &reason,
                    crate::domain::text::TextKind::Note,
                    crate::domain::text::COMMENT_MAX,
                ) {
                    r.fail("reopen_reason", None, rule);
                    return None;
                }
                CorrectionAction::Reopen { reason }
            }
            _ => {
                if !reason.is_empty() {
                    r.fail(
                        "reopen_reason",
                        None,
                        "is given on a correct row: only a reopen has a reason",
                    );
                    return None;
                }
                if given.is_empty() {
                    r.fail(
                        "action",
                        Some("correct"),
                        format!(
                            "corrects nothing: give one or more of {}",
                            CORRECTION_FIELDS.join(", ")
                        ),
                    );
                    return None;
                }
                let on = r.opt("delay_end", past_date(today));
                let kind = r.opt("end_kind", |v| code_rule(EndKind::parse(v)));
                let pathway = r.opt("pathway", |v| {
                    clearable(v, |v| code_rule(Pathway::parse(v)))
                });
                let destination = r.opt("destination", |v| {
                    clearable(v, |v| code_rule(Destination::parse(v)))
                });
                let usual = r.opt("usual_residence", |v| clearable(v, super::stays::yes_no));
                let discharged = r.opt("discharged_on", |v| clearable(v, past_date(today)));
                if let (Ok(Some(Some(p))), Ok(Some(Some(d)))) = (&pathway, &destination) {
                    if d.pathway() != *p {
                        r.fail(
                            "destination",
                            Some(d.code()),
                            format!("is on pathway {}, not pathway {p}", d.pathway()),
                        );
                        return None;
                    }
                }
                CorrectionAction::Correct(EndChange {
                    on: on.ok()?,
                    kind: kind.ok()?,
                    pathway: pathway.ok()?,
                    destination: destination.ok()?,
                    usual_residence: usual.ok()?,
                    discharged_on: discharged.ok()?,
                })
            }
        };
        let (local_id, ready_on) = (local_id?, ready?);
        if let Some(first) = seen.insert((local_id.clone(), ready_on), r.line) {
            r.fail(
                "delay_start",
                Some(&ready_on.to_string()),
                format!(
                    "the delay of {local_id} ready on {ready_on} is already named on line {first}: name each delay once"
                ),
            );
            return None;
        }
        Some(CorrectionRecord {
            line: r.line,
            local_id,
            ready_on,
            action,
            given,
        })
    });
    let errors: Vec<InputError> = errors;
    finish(&table.file, records, errors, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2018, 8, 15).unwrap()
    }

    fn read(csv: &str) -> Result<super::super::Checked<CorrectionRecord>> {
        read_corrections_bytes("c.csv", csv.as_bytes(), today())
    }

    #[test]
    fn a_correct_row_reads_its_changes_and_none_clears() {
        let c = read(
            "local_id,delay_start,action,delay_end,end_kind,destination,discharged_on,pathway,usual_residence\n\
             H1,2018-07-01,correct,2018-07-09,discharged,p3_care_home,,,\n\
             H2,2018-07-02,Correct,,died,none,none,none,none\n",
        )
        .unwrap();
        assert_eq!(c.records.len(), 2);
        let CorrectionAction::Correct(a) = &c.records[0].action else {
            panic!("not a correction")
        };
        assert_eq!(
            *a,
            EndChange {
                on: NaiveDate::from_ymd_opt(2018, 7, 9),
                kind: Some(EndKind::Discharged),
                pathway: None,
                destination: Some(Some(Destination::P3CareHome)),
                usual_residence: None,
                discharged_on: None,
            }
        );
        assert_eq!(c.records[0].first_column(), "delay_end");
        assert_eq!(c.records[0].raw("destination"), "p3_care_home");
        let CorrectionAction::Correct(b) = &c.records[1].action else {
            panic!("not a correction")
        };
        assert_eq!(b.kind, Some(EndKind::Died));
        assert_eq!(
            (b.pathway, b.destination, b.usual_residence, b.discharged_on),
            (Some(None), Some(None), Some(None), Some(None))
        );
    }

    #[test]
    fn each_bad_row_is_named_with_its_line_column_and_rule() {
        let cases = [
            (
                "H1,2018-07-01,reopen,,",
                "c.csv line 2, reopen_reason: is empty: a reopen needs a reason (it is kept in the audit log)",
            ),
            (
                "H1,2018-07-01,reopen,2018-07-09,wrong patient",
                "c.csv line 2, delay_end 2018-07-09: is given on a reopen row: a reopen clears the end (correct it after, on a row of its own)",
            ),
            (
                "H1,2018-07-01,correct,,",
                "c.csv line 2, action correct: corrects nothing: give one or more of delay_end, end_kind, pathway, destination, usual_residence, discharged_on",
            ),
            (
                "H1,2018-07-01,correct,2018-08-16,",
                "c.csv line 2, delay_end 2018-08-16: is in the future (today is 2018-08-15)",
            ),
            (
                "H1,2018-07-01,fix,2018-08-01,",
                "c.csv line 2, action fix: not an action (expected correct or reopen)",
            ),
            (
                "H1,2018-07-01,correct,2018-08-01,because",
                "c.csv line 2, reopen_reason: is given on a correct row: only a reopen has a reason",
            ),
        ];
        for (row, expected) in cases {
            let csv = format!("local_id,delay_start,action,delay_end,reopen_reason\n{row}\n");
            assert_eq!(read(&csv).unwrap_err().to_string(), expected, "{row}");
        }
    }

    #[test]
    fn a_delay_named_twice_and_an_nhs_number_in_the_reason_are_refused_without_echoing_it() {
        let e = read(
            "local_id,delay_start,action,delay_end\nH1,2018-07-01,correct,2018-07-09\nH1,2018-07-01,correct,2018-07-10\n",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "c.csv line 3, delay_start 2018-07-01: the delay of H1 ready on 2018-07-01 is already named on line 2: name each delay once"
        );
        let e = read(
            "local_id,delay_start,action,reopen_reason\nH1,2018-07-01,reopen,ended for 943 476 5919 by mistake\n",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "c.csv line 2, reopen_reason: looks like an NHS number (*** *** 5919): NHS numbers go only in the NHS number field"
        );
        let e = read(
            "local_id,delay_start,action,pathway,destination\nH1,2018-07-01,correct,1,p3_care_home\n",
        )
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "c.csv line 2, destination p3_care_home: is on pathway 3, not pathway 1"
        );
    }
}
