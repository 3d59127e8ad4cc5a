//! Applying a checked import file: all or nothing, in one `BEGIN IMMEDIATE` transaction.
//!
//! Delays are keyed by `local_id` + `admitted_on` + `delay_start`: importing the same file twice
//! changes nothing, and a newer extract of the same stays updates them (an open period gets its end,
//! a new period is added, a changed reason or end is corrected). For each stay in the file the
//! stored periods and the file's are merged, checked for overlaps, and grouped into delays (periods
//! that abut form one delay); only stays whose delays differ are rewritten.

use super::audit_event::{AuditEvent, DelayEvent, Entry, ImportFile, SiteEvent, StayEvent};
use super::patients::Source;
use super::stay_writer::{Leaving, NewStay};
use super::{date_str, parse_stored_date, Store, Writer};
use crate::domain::{AcuteReason, Attribution, EndKind, Pathway, ReasonCode, Target};
use crate::error::{Error, InputError, Result};
use crate::import::{Checked, DelayRecord, PopulationRecord, TargetRecord};
use crate::progress::{Progress, Silent, Unit};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use std::collections::{BTreeMap, HashMap};

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub rows: usize,
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Open delays ended on their stay's discharge date (a delay cannot outlast its stay).
    pub ended_at_discharge: usize,
    /// Fields of stays corrected by rows naming the stay as it was recorded.
    pub corrected: usize,
    pub warnings: Vec<String>,
}

/// `its` for one, `their` for several.
fn plural_of(n: usize) -> &'static str {
    if n == 1 {
        "its"
    } else {
        "their"
    }
}

impl std::fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::domain::text::plural;
        write!(
            f,
            "{}: {} added, {} updated, {} unchanged",
            plural(self.rows, "row", "rows"),
            self.added,
            self.updated,
            self.unchanged
        )?;
        if self.corrected > 0 {
            let fields = plural(self.corrected, "field", "fields");
            write!(f, "; {fields} of stays corrected")?;
        }
        if self.ended_at_discharge > 0 {
            let n = self.ended_at_discharge;
            let (delays, their) = (plural(n, "open delay", "open delays"), plural_of(n));
            write!(f, "; {delays} ended on {their} stay's discharge date")?;
        }
        for w in &self.warnings {
            write!(f, "\nwarning: {w}")?;
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct P {
    start: NaiveDate,
    end: Option<NaiveDate>,
    reason: ReasonCode,
    attribution: Attribution,
    /// The file line it came from (0 when stored).
    line: u64,
    end_kind: Option<EndKind>,
    acute_reason: Option<AcuteReason>,
    /// The planned pathway given on the row (stored: the delay's).
    planned: Option<Pathway>,
}

/// A delay's planned pathway: the latest one its periods give.
pub(super) fn planned_of(
    periods: impl DoubleEndedIterator<Item = Option<Pathway>>,
) -> Option<Pathway> {
    periods.rev().flatten().next()
}

/// A stored stay: id, site, authority, discharge date, pathway.
type StoredStay = (i64, String, String, Option<String>, Option<i64>);

#[derive(Debug)]
struct StoredDelay {
    id: i64,
    ready_on: NaiveDate,
    end_kind: Option<EndKind>,
    planned: Option<Pathway>,
    periods: Vec<P>,
}

fn same_periods(a: &[P], b: &[P]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.start == y.start
                && x.end == y.end
                && x.reason == y.reason
                && x.attribution == y.attribution
                && x.acute_reason == y.acute_reason
        })
}

/// A write refused by the register's rules, told as the file's error: the line of the stay written
/// (else of the other stay), the rule and the other stay's local id and site.
pub(super) fn clash_in_file<'a>(
    file: &str,
    rows: impl Iterator<Item = (u64, &'a str, NaiveDate)> + Clone,
    e: Error,
) -> Error {
    let Error::Clash(c) = e else {
        return e;
    };
    let line = |local: &str, admitted: NaiveDate| {
        rows.clone()
            .find(|(_, l, a)| *l == local && *a == admitted)
            .map(|(line, _, _)| line)
    };
    let line = line(&c.local_id, c.admitted_on)
        .or_else(|| line(&c.other_local_id, c.other_admitted_on))
        .unwrap_or(0);
    err(file, line, "local_id", &c.local_id.clone(), c.to_string())
}

pub(super) fn err(file: &str, line: u64, col: &str, value: &str, rule: String) -> Error {
    Error::Input(InputError {
        file: file.to_string(),
        line,
        column: Some(col.to_string()),
        value: Some(value.to_string()),
        rule,
    })
}

/// Which write path an import of delays takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ImportPath {
    /// The bulk path when the register holds no patient, stay or active sign-off and the file
    /// corrects no stay (nothing stored to merge with: see `bulk_import`), else the row path.
    #[default]
    Auto,
    /// Row by row, merging each stay with what is stored (any register).
    Rows,
    /// The bulk path; refused when the register is not empty (tests and benchmarks).
    Bulk,
}

/// A stay's placement from its rows: each field the last row that gives it (row and bulk paths).
pub(super) fn placement_of<'a>(
    rows: impl IntoIterator<Item = &'a DelayRecord>,
) -> crate::domain::Placement {
    let mut place = crate::domain::Placement::default();
    for r in rows {
        place.ward = r.place.ward.clone().or(place.ward);
        place.bed = r.place.bed.clone().or(place.bed);
        place.expected_on = r.place.expected_on.or(place.expected_on);
    }
    place
}

/// A row's end and end kind: a delay cannot outlast its stay, so an open row of a stay that left
/// on `left` (on or after the row's start) ends then, as discharged. The third value says whether
/// it was ended so (row and bulk paths).
pub(super) fn row_end(
    r: &DelayRecord,
    left: Option<NaiveDate>,
) -> (Option<NaiveDate>, Option<EndKind>, bool) {
    match left.filter(|d| r.end.is_none() && *d >= r.start) {
        Some(d) => (Some(d), Some(EndKind::Discharged), true),
        None => (r.end, r.end_kind, false),
    }
}

impl Store {
    /// Applies a checked delays file.
    pub fn import_delays(&mut self, checked: &Checked<DelayRecord>) -> Result<ImportSummary> {
        self.import_delays_with(checked, ImportPath::Auto, &Silent)
    }

    /// Applies a checked delays file through the chosen path, telling `progress` how far it is.
    /// Both paths give the same database for the same file (rows, ids, counts, audit).
    pub fn import_delays_with(
        &mut self,
        checked: &Checked<DelayRecord>,
        path: ImportPath,
        progress: &dyn Progress,
    ) -> Result<ImportSummary> {
        // A file of a million rows touches tens of megabytes of index pages: with SQLite's default
        // 2 MB page cache the transaction spills and re-reads them (this connection only).
        self.conn.execute_batch(super::bulk::LOAD_CACHE)?;
        let needs_empty = || {
            Error::invalid("the bulk import needs a register with no patients, stays or sign-offs")
        };
        // A first look without the lock; the bulk path looks again inside its transaction and
        // hands over to the row path when another import filled the register meanwhile.
        let bulk = match path {
            ImportPath::Rows => false,
            ImportPath::Auto => self.bulk_applies(checked)?,
            ImportPath::Bulk if self.bulk_applies(checked)? => true,
            ImportPath::Bulk => return Err(needs_empty()),
        };
        if bulk {
            match self.import_delays_bulk(checked, progress)? {
                Some(summary) => return Ok(summary),
                None if path == ImportPath::Bulk => return Err(needs_empty()),
                None => {}
            }
        }
        self.import_delays_rows(checked, progress)
    }

    /// The row path: each stay merged with what is stored.
    fn import_delays_rows(
        &mut self,
        checked: &Checked<DelayRecord>,
        progress: &dyn Progress,
    ) -> Result<ImportSummary> {
        let file = checked.file.as_str();
        let mut summary = ImportSummary {
            rows: checked.records.len(),
            warnings: checked.warnings.clone(),
            ..Default::default()
        };
        let lines = checked
            .records
            .iter()
            .map(|r| (r.line, r.local_id.as_str(), r.admitted_on));
        self.write(|w| {
            w.reference_from_file(file, &checked.records)?;
            // Corrections the file names (was_local_id, was_admitted_on), before its rows merge.
            let mut corrected: HashMap<(&str, NaiveDate), ()> = HashMap::new();
            for r in &checked.records {
                if let Some((l, a)) = &r.corrects {
                    if corrected.insert((l.as_str(), *a), ()).is_none() {
                        summary.corrected += w.correct_from_file(file, r, (l, *a))?;
                    }
                }
            }
            let mut stays: BTreeMap<(&str, NaiveDate), Vec<&DelayRecord>> = BTreeMap::new();
            for r in &checked.records {
                stays
                    .entry((&r.local_id, r.admitted_on))
                    .or_default()
                    .push(r);
            }
            progress.phase("writing", Some(summary.rows as u64), Unit::Rows);
            for rows in stays.values() {
                let (added, updated, ended) = w.import_stay(file, rows)?;
                summary.added += added;
                summary.updated += updated;
                summary.ended_at_discharge += ended;
                progress.advance(rows.len() as u64);
            }
            // Delays already stored, left open on a stay this file discharges.
            summary.ended_at_discharge +=
                w.end_at_discharge(true, &format!("import {file}"))?.len();
            summary.unchanged = summary.rows.saturating_sub(summary.added + summary.updated);
            w.audit_import(file, &summary)
        })
        .map_err(|e| clash_in_file(file, lines, e))?;
        Ok(summary)
    }

    /// Applies a checked population file (names authorities, sets estimates).
    pub fn import_population(
        &mut self,
        checked: &Checked<PopulationRecord>,
    ) -> Result<ImportSummary> {
        let mut s = ImportSummary {
            rows: checked.records.len(),
            ..Default::default()
        };
        self.write(|w| {
            for r in &checked.records {
                if let Some(rule) = crate::domain::population_rule(&r.la_code, r.population_18plus) {
                    return Err(Error::invalid(format!("the population {rule}")));
                }
                super::check_stored("authority name", Some(&r.la_name), crate::domain::text::TextKind::Line)?;
                w.ensure_la(&r.la_code)?;
                w.tx.execute("UPDATE local_authority SET name = ?1 WHERE code = ?2", params![r.la_name, r.la_code.as_str()])?;
                let old: Option<i64> = w
                    .tx
                    .query_row("SELECT population_18plus FROM population WHERE la_code = ?1 AND year = ?2", params![r.la_code.as_str(), r.year], |x| x.get(0))
                    .optional()?;
                match old {
                    Some(o) if o as u64 == r.population_18plus => s.unchanged += 1,
                    _ => {
                        w.tx.execute(
                            "INSERT INTO population (la_code, year, population_18plus) VALUES (?1, ?2, ?3)
                             ON CONFLICT DO UPDATE SET population_18plus = excluded.population_18plus",
                            params![r.la_code.as_str(), r.year, r.population_18plus as i64],
                        )?;
                        if old.is_some() { s.updated += 1 } else { s.added += 1 }
                        w.audit(&AuditEvent::Population(Entry::Import), &format!("{} {}", r.la_code, r.year), old.map(|o| o.to_string()).as_deref(), Some(&r.population_18plus.to_string()))?;
                    }
                }
            }
            Ok(())
        })?;
        Ok(s)
    }

    /// Applies a checked targets file.
    pub fn import_targets(&mut self, checked: &Checked<TargetRecord>) -> Result<ImportSummary> {
        let mut s = ImportSummary {
            rows: checked.records.len(),
            ..Default::default()
        };
        self.write(|w| {
            for rec in &checked.records {
                // The reader checked each cell; the target's own rules are Target::new's.
                let r = Target::new(rec.la_code.clone(), rec.month, rec.measure, rec.unit, rec.value)?;
                w.ensure_la(&r.la_code)?;
                let old: Option<(String, f64)> = w
                    .tx
                    .query_row(
                        "SELECT unit, value FROM target WHERE la_code = ?1 AND month = ?2 AND measure = ?3",
                        params![r.la_code.as_str(), r.month.key(), r.measure.key()],
                        |x| Ok((x.get(0)?, x.get(1)?)),
                    )
                    .optional()?;
                if old.as_ref().is_some_and(|(u, v)| u == r.unit.key() && *v == r.value) {
                    s.unchanged += 1;
                    continue;
                }
                w.tx.execute(
                    "INSERT INTO target (la_code, month, measure, unit, value) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT DO UPDATE SET unit = excluded.unit, value = excluded.value",
                    params![r.la_code.as_str(), r.month.key(), r.measure.key(), r.unit.key(), r.value],
                )?;
                if old.is_some() { s.updated += 1 } else { s.added += 1 }
                w.audit(
                    &AuditEvent::Target(Entry::Import),
                    &format!("{} {} {}", r.la_code, r.month, r.measure),
                    old.map(|(u, v)| format!("{v} {u}")).as_deref(),
                    Some(&format!("{} {}", r.value, r.unit.key())),
                )?;
            }
            Ok(())
        })?;
        Ok(s)
    }
}

impl Writer<'_> {
    /// The providers, sites and authorities a delays file names, added where first seen (a site
    /// in file order, audited); a stored site must keep its type of care and provider.
    pub(super) fn reference_from_file(&self, file: &str, records: &[DelayRecord]) -> Result<()> {
        let mut site_seen: HashMap<&str, ()> = HashMap::new();
        for r in records {
            if site_seen.insert(&r.site, ()).is_some() {
                continue;
            }
            self.tx.execute(
                "INSERT OR IGNORE INTO provider (code) VALUES (?1)",
                params![r.provider],
            )?;
            let stored: Option<(String, String)> = self
                .tx
                .query_row(
                    "SELECT setting, provider_code FROM site WHERE code = ?1",
                    params![r.site],
                    |x| Ok((x.get(0)?, x.get(1)?)),
                )
                .optional()?;
            match stored {
                Some((setting, provider)) => {
                    if setting != r.setting.key() {
                        return Err(err(
                            file,
                            r.line,
                            "setting",
                            r.setting.key(),
                            format!(
                                "site {} is recorded as {setting}: a site has one type of care",
                                r.site
                            ),
                        ));
                    }
                    if provider != r.provider {
                        return Err(err(
                            file,
                            r.line,
                            "provider",
                            &r.provider,
                            format!("site {} belongs to provider {provider}", r.site),
                        ));
                    }
                }
                None => {
                    self.tx.execute(
                        "INSERT INTO site (code, provider_code, setting) VALUES (?1, ?2, ?3)",
                        params![r.site, r.provider, r.setting.key()],
                    )?;
                    self.audit(
                        &AuditEvent::Site(SiteEvent::Add),
                        &r.site,
                        None,
                        Some(&format!("{} {} (import {file})", r.provider, r.setting)),
                    )?;
                }
            }
        }
        let mut la_seen: HashMap<&str, ()> = HashMap::new();
        for r in records {
            if la_seen.insert(r.la_code.as_str(), ()).is_none() {
                self.ensure_la(&r.la_code)?;
            }
        }
        Ok(())
    }

    /// The import's own audit entry, when it added or changed anything.
    pub(super) fn audit_import(&self, file: &str, summary: &ImportSummary) -> Result<()> {
        if summary.added + summary.updated > 0 {
            self.audit(
                &AuditEvent::Import(ImportFile::Delays),
                file,
                None,
                Some(&format!(
                    "{} rows: {} added, {} updated",
                    summary.rows, summary.added, summary.updated
                )),
            )?;
        }
        Ok(())
    }

    /// Merges one stay's rows into the register. Returns (periods added, periods updated, open
    /// delays ended at the stay's discharge).
    fn import_stay(&self, file: &str, rows: &[&DelayRecord]) -> Result<(usize, usize, usize)> {
        let first = rows[0];
        // A patient first seen here has no stay or delay stored: skip looking for them.
        let (patient_id, new_patient) = self.patient_for(
            &first.local_id,
            first.nhs_number.as_ref(),
            Source::Import {
                file,
                line: first.line,
            },
        )?;
        // Stay.
        let stay: Option<StoredStay> = if new_patient {
            None
        } else {
            self
            .tx
            .prepare_cached("SELECT id, site_code, la_code, discharged_on, pathway FROM stay WHERE patient_id = ?1 AND admitted_on = ?2")?
            .query_row(params![patient_id, date_str(first.admitted_on)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .optional()?
        };
        let new_stay = stay.is_none();
        let stored_discharge = stay
            .as_ref()
            .and_then(|s| s.3.as_deref())
            .map(parse_stored_date)
            .transpose()?;
        let leaving = Leaving::of_rows(rows);
        let (discharge, pathway) = (leaving.discharged_on, leaving.pathway_number());
        let place = placement_of(rows.iter().copied());
        let stay_id = match stay {
            Some((id, site, la, dis, pw)) => {
                super::stays::same_place(
                    file,
                    first.line,
                    (&first.local_id, first.admitted_on),
                    (&site, &la),
                    (&first.site, &first.la_code),
                )?;
                let new_dis = discharge.map(date_str);
                if (new_dis.is_some() && new_dis != dis) || (pathway.is_some() && pathway != pw) {
                    self.tx.execute(
                        "UPDATE stay SET discharged_on = coalesce(?1, discharged_on), pathway = coalesce(?2, pathway),
                         destination = coalesce(?3, destination), version = version + 1 WHERE id = ?4",
                        params![new_dis, pathway, leaving.destination, id],
                    )?;
                    self.audit(
                        &AuditEvent::Stay(StayEvent::ImportDischarge),
                        &id.to_string(),
                        dis.as_deref(),
                        new_dis.as_deref(),
                    )?;
                }
                self.merge_placement(id, &place)?;
                id
            }
            None => self.insert_stay(&NewStay {
                patient_id,
                site: &first.site,
                la: first.la_code.as_str(),
                admitted_on: first.admitted_on,
                leaving,
                place: &place,
            })?,
        };
        // Stored delays and periods of the stay.
        let stored = if new_stay {
            Vec::new()
        } else {
            self.stored_delays(stay_id)?
        };
        let mut merged: BTreeMap<NaiveDate, P> = BTreeMap::new();
        for d in &stored {
            for p in &d.periods {
                merged.insert(p.start, p.clone());
            }
        }
        // A delay cannot outlast its stay: an open row of a discharged stay ends at the discharge.
        let left = discharge.or(stored_discharge);
        let (mut added, mut updated, mut ended) = (0, 0, 0);
        for r in rows {
            let (end, end_kind, at_discharge) = row_end(r, left);
            let p = P {
                start: r.start,
                end,
                reason: r.reason,
                attribution: r.attribution,
                line: r.line,
                end_kind,
                acute_reason: r.acute_reason,
                planned: r.planned_pathway,
            };
            match merged.get(&r.start) {
                Some(old)
                    if old.end == p.end
                        && old.reason == p.reason
                        && old.attribution == p.attribution
                        && old.acute_reason == p.acute_reason
                        && (p.planned.is_none() || old.planned == p.planned) => {}
                Some(_) => {
                    updated += 1;
                    ended += usize::from(at_discharge);
                    merged.insert(r.start, p);
                }
                None => {
                    added += 1;
                    ended += usize::from(at_discharge);
                    merged.insert(r.start, p);
                }
            }
        }
        if added + updated == 0 {
            return Ok((0, 0, 0));
        }
        // Check the merged periods and group them into delays.
        let all: Vec<P> = merged.into_values().collect();
        // A delay lies within its stay: no period starts or ends after the discharge, whether the
        // discharge is the file's or the one already recorded (the reader checks a row against its
        // own discharged_on only).
        if let Some(d) = left {
            let recorded = if discharge.is_some() {
                ""
            } else {
                ", already recorded"
            };
            for p in &all {
                let (col, value, rule) = if p.start > d {
                    (
                        "delay_start",
                        p.start,
                        format!("is after the stay's discharge on {d}{recorded} (discharge before ready)"),
                    )
                } else if let Some(e) = p.end.filter(|e| *e > d) {
                    (
                        "delay_end",
                        e,
                        format!("is after the stay's discharge on {d}{recorded}"),
                    )
                } else {
                    continue;
                };
                // A stored period the file's discharge now falls before: blame the discharge.
                return Err(if p.line > 0 {
                    err(file, p.line, col, &value.to_string(), rule)
                } else {
                    err(
                        file,
                        rows.iter()
                            .find(|r| r.discharged_on.is_some())
                            .map_or(first.line, |r| r.line),
                        "discharged_on",
                        &d.to_string(),
                        format!(
                            "is before the recorded delay period from {} of the stay",
                            p.start
                        ),
                    )
                });
            }
        }
        for pair in all.windows(2) {
            let (p, q) = (&pair[0], &pair[1]);
            let clash = match p.end {
                None => true,
                Some(e) => e > q.start,
            };
            if clash {
                // Blame the file's row and describe the other period: when the later period is the
                // stored one, the file's row is the earlier one and runs into it.
                let (row, other) = if q.line > 0 { (q, p) } else { (p, q) };
                let what = match other.end {
                    None => format!("the open period from {}", other.start),
                    Some(e) => format!("the period {}..{e}", other.start),
                };
                let place = if other.line > 0 {
                    format!(" on line {}", other.line)
                } else {
                    " already recorded".to_string()
                };
                return Err(err(
                    file,
                    row.line,
                    "delay_start",
                    &row.start.to_string(),
                    format!("overlaps {what}{place} for the same stay"),
                ));
            }
        }
        let mut groups: Vec<Vec<P>> = Vec::new();
        for p in all {
            match groups.last_mut() {
                Some(g) if g.last().and_then(|l| l.end) == Some(p.start) => g.push(p),
                _ => groups.push(vec![p]),
            }
        }
        let mut unused: Vec<&StoredDelay> = stored.iter().collect();
        for g in &groups {
            let ready = g[0].start;
            let last = &g[g.len() - 1];
            let ended = last.end;
            let planned = planned_of(g.iter().map(|p| p.planned));
            let end_kind = ended.map(|e| {
                last.end_kind
                    .or_else(|| {
                        stored
                            .iter()
                            .find(|d| d.periods.last().and_then(|p| p.end) == Some(e))
                            .and_then(|d| d.end_kind)
                    })
                    .unwrap_or(if discharge == Some(e) {
                        EndKind::Discharged
                    } else {
                        EndKind::UnfitAgain
                    })
            });
            let existing = unused
                .iter()
                .position(|d| d.ready_on == ready || d.periods.iter().any(|p| p.start == ready));
            let delay_id = match existing {
                Some(i) => {
                    let d = unused.remove(i);
                    if !same_periods(&d.periods, g)
                        || d.end_kind != end_kind
                        || d.ready_on != ready
                        || d.planned != planned
                    {
                        self.tx.execute(
                            "DELETE FROM delay_period WHERE delay_id = ?1",
                            params![d.id],
                        )?;
                        self.tx.execute(
                            "UPDATE delay SET ready_on = ?1, ended_on = ?2, end_kind = ?3, planned_pathway = ?4, version = version + 1 WHERE id = ?5",
                            params![date_str(ready), ended.map(date_str), end_kind.map(|k| k.key()), planned, d.id],
                        )?;
                        self.audit(
                            &AuditEvent::Delay(DelayEvent::Import),
                            &d.id.to_string(),
                            None,
                            Some(&format!("{} periods from {file}", g.len())),
                        )?;
                        Some(d.id)
                    } else {
                        None
                    }
                }
                None => {
                    self.tx
                        .prepare_cached("INSERT INTO delay (stay_id, ready_on, ended_on, end_kind, planned_pathway) VALUES (?1, ?2, ?3, ?4, ?5)")?
                        .execute(params![stay_id, date_str(ready), ended.map(date_str), end_kind.map(|k| k.key()), planned])?;
                    Some(self.tx.last_insert_rowid())
                }
            };
            if let Some(id) = delay_id {
                let mut ins = self.tx.prepare_cached(
                    "INSERT INTO delay_period (delay_id, start_on, end_on, reason, attribution, acute_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )?;
                for p in g {
                    ins.execute(params![
                        id,
                        date_str(p.start),
                        p.end.map(date_str),
                        p.reason.code(),
                        p.attribution.label(),
                        p.acute_reason.map(|a| a.code())
                    ])?;
                }
            }
        }
        for d in unused {
            self.tx
                .execute("DELETE FROM delay WHERE id = ?1", params![d.id])?;
            self.audit(
                &AuditEvent::Delay(DelayEvent::Import),
                &d.id.to_string(),
                Some("merged into another delay"),
                None,
            )?;
        }
        Ok((added, updated, ended))
    }

    fn stored_delays(&self, stay_id: i64) -> Result<Vec<StoredDelay>> {
        let mut stmt = self.tx.prepare_cached(
            "SELECT d.id, d.ready_on, d.end_kind, p.start_on, p.end_on, p.reason, p.attribution, p.acute_reason, d.planned_pathway
             FROM delay d JOIN delay_period p ON p.delay_id = d.id WHERE d.stay_id = ?1 ORDER BY d.ready_on, p.start_on",
        )?;
        let mut rows = stmt.query(params![stay_id])?;
        let mut out: Vec<StoredDelay> = Vec::new();
        while let Some(r) = rows.next()? {
            let id: i64 = r.get(0)?;
            let p = P {
                start: parse_stored_date(&r.get::<_, String>(3)?)?,
                end: r
                    .get::<_, Option<String>>(4)?
                    .map(|s| parse_stored_date(&s))
                    .transpose()?,
                reason: r.get(5)?,
                attribution: r.get(6)?,
                line: 0,
                end_kind: None,
                acute_reason: r
                    .get::<_, Option<String>>(7)?
                    .and_then(|a| AcuteReason::parse(&a).ok()),
                planned: r.get(8)?,
            };
            match out.last_mut() {
                Some(d) if d.id == id => d.periods.push(p),
                _ => out.push(StoredDelay {
                    id,
                    ready_on: parse_stored_date(&r.get::<_, String>(1)?)?,
                    end_kind: r
                        .get::<_, Option<String>>(2)?
                        .and_then(|k| EndKind::parse(&k).ok()),
                    planned: r.get(8)?,
                    periods: vec![p],
                }),
            }
        }
        Ok(out)
    }
}
