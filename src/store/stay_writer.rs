//! The one writer of new stays. The add form, both paths of `import delays` (row by row and bulk),
//! `import stays` and the generated registers (`dtoc demo --scale national`, the benchmarks) add a
//! stay through here: one column list, and the same audit of a new stay's placement (an entry
//! per ward, bed or expected date given). How a stay left, as a delays file tells it, is read
//! here too ([`Leaving::of_rows`]), once for both import paths.

use super::audit_event::{AuditEvent, StayEvent, StayField};
use super::batched::{values_sql, Batched, Cell};
use super::Writer;
use crate::domain::{Pathway, Placement};
use crate::error::Result;
use crate::import::DelayRecord;
use chrono::NaiveDate;
use std::sync::OnceLock;

/// The stay's columns, in the order of [`cells`].
const INSERT_STAY: &str = "INSERT INTO stay (id, patient_id, site_code, la_code, admitted_on, \
     discharged_on, pathway, destination, usual_residence, ward, bed, expected_on)";
const COLUMNS: usize = 12;

/// How a stay left hospital, as far as a file or a form says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Leaving<'a> {
    pub discharged_on: Option<NaiveDate>,
    pub pathway: Option<Pathway>,
    /// The destination's code.
    pub destination: Option<&'a str>,
    /// Whether it was to the usual place of residence (a stays file says; a delays file does not).
    pub usual_residence: Option<bool>,
}

impl<'a> Leaving<'a> {
    /// A stay's leaving from its rows of a delays file: each the last row that gives it (the row
    /// and bulk paths of `import delays`).
    pub(super) fn of_rows(rows: &[&'a DelayRecord]) -> Self {
        Leaving {
            discharged_on: rows.iter().rev().find_map(|r| r.discharged_on),
            pathway: rows.iter().rev().find_map(|r| r.pathway),
            destination: rows.iter().rev().find_map(|r| r.destination.as_deref()),
            usual_residence: None,
        }
    }

    /// The pathway as stored.
    pub(super) fn pathway_number(&self) -> Option<i64> {
        self.pathway.map(|p| i64::from(p.number()))
    }
}

/// A new stay: its patient (stored), where and for whom, when admitted, how it left and where it
/// lies.
pub(super) struct NewStay<'a> {
    pub patient_id: i64,
    pub site: &'a str,
    pub la: &'a str,
    pub admitted_on: NaiveDate,
    pub leaving: Leaving<'a>,
    pub place: &'a Placement,
}

impl NewStay<'_> {
    /// The last line of defence of its text: site, ward and bed hold no control character and no
    /// NHS number.
    fn check(&self) -> Result<()> {
        use crate::domain::text::TextKind;
        super::check_stored("site", Some(self.site), TextKind::Code)?;
        super::check_stored("ward", self.place.ward.as_deref(), TextKind::Line)?;
        super::check_stored("bed", self.place.bed.as_deref(), TextKind::Line)
    }
}

/// A stay's values for [`INSERT_STAY`] (a `None` id is SQLite's next).
fn cells<'a>(id: Option<i64>, s: &NewStay<'a>) -> [Cell<'a>; COLUMNS] {
    [
        Cell::int(id),
        Cell::Int(s.patient_id),
        Cell::Text(s.site),
        Cell::Text(s.la),
        Cell::date(Some(s.admitted_on)),
        Cell::date(s.leaving.discharged_on),
        Cell::int(s.leaving.pathway_number()),
        Cell::text(s.leaving.destination),
        Cell::int(s.leaving.usual_residence.map(i64::from)),
        Cell::text(s.place.ward.as_deref()),
        Cell::text(s.place.bed.as_deref()),
        Cell::date(s.place.expected_on),
    ]
}

/// New stays one at a time, each given SQLite's next id (the statement prepared once for a loop).
pub(super) struct StayInserter<'c> {
    w: &'c Writer<'c>,
    one: rusqlite::CachedStatement<'c>,
}

impl StayInserter<'_> {
    /// Adds the stay and audits its placement; returns its id.
    pub(super) fn insert(&mut self, s: &NewStay<'_>) -> Result<i64> {
        s.check()?;
        self.one
            .execute(rusqlite::params_from_iter(cells(None, s)))?;
        let id = self.w.tx.last_insert_rowid();
        self.w.audit_new_placement(id, s.place)?;
        Ok(id)
    }
}

impl<'c> Writer<'c> {
    /// A writer of new stays one at a time (see [`StayInserter`]).
    pub(super) fn stay_inserter(&'c self) -> Result<StayInserter<'c>> {
        static ONE: OnceLock<String> = OnceLock::new();
        let sql = ONE.get_or_init(|| values_sql(INSERT_STAY, COLUMNS, 1));
        Ok(StayInserter {
            w: self,
            one: self.tx.prepare_cached(sql)?,
        })
    }

    /// Adds one stay (its id SQLite's next) and audits its placement; returns its id.
    pub(super) fn insert_stay(&'c self, s: &NewStay<'_>) -> Result<i64> {
        self.stay_inserter()?.insert(s)
    }
}

impl Writer<'_> {
    /// The audit of a new stay's placement: one entry per field given (as an edit from nothing,
    /// as the board round's form writes it).
    fn audit_new_placement(&self, stay_id: i64, place: &Placement) -> Result<()> {
        let expected = place.expected_on.map(super::date_str);
        for (field, new) in [
            (StayField::Ward, place.ward.as_deref()),
            (StayField::Bed, place.bed.as_deref()),
            (StayField::ExpectedDischarge, expected.as_deref()),
        ] {
            if new.is_some() {
                self.audit(
                    &AuditEvent::Stay(StayEvent::Edit(field)),
                    &stay_id.to_string(),
                    None,
                    new,
                )?;
            }
        }
        Ok(())
    }
}

/// New stays with ids given by the caller (the next SQLite would give, in order), inserted many
/// per statement: the bulk path of `import delays`.
pub(super) struct StayBatch<'c, 'a> {
    w: &'c Writer<'c>,
    rows: Batched<'c, 'a, COLUMNS>,
}

impl<'c, 'a> StayBatch<'c, 'a> {
    pub(super) fn new(w: &'c Writer<'c>) -> Result<Self> {
        Ok(Self {
            w,
            rows: Batched::new(w, INSERT_STAY)?,
        })
    }

    /// Adds the stay `id` (written at the latest by [`StayBatch::finish`]) and audits its
    /// placement now.
    pub(super) fn push(&mut self, id: i64, s: &NewStay<'a>) -> Result<()> {
        s.check()?;
        self.rows.push(cells(Some(id), s))?;
        self.w.audit_new_placement(id, s.place)
    }

    pub(super) fn finish(self) -> Result<()> {
        self.rows.finish()
    }
}
