//! Coverage: from which day each site's record is complete (issue 24, docs/coverage.md).
//!
//! A hub that starts recording today enters its delayed patients with their earlier ready dates;
//! those earlier days are not a complete record (the patients who left before today were never
//! entered). So a site's coverage is, by default, the day its first record was entered (noted by
//! the write that entered it, [`note_entered`], on the day the command or app was given as today);
//! an import of a history states it (`dtoc import delays --coverage-from`), and it is set by hand in
//! Settings or by `dtoc coverage set` (audited). Before coverage a figure is blank, never 0.
//!
//! The register's coverage is the latest of its sites' (an authority's figures sum every site), and
//! a month is covered only when every day of it is: a month partly covered is blank.

use super::audit_event::{AuditEvent, Entry, SiteEvent};
use super::{date_str, parse_stored_date, Store, Writer};
use crate::domain::YearMonth;
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};
use serde::Serialize;

/// How a site's coverage was decided (stored as `source`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CoverageSource {
    /// The day its first record was entered.
    Entered,
    /// Stated by an import of a history (its earliest ready date, or the date given).
    Import,
    /// Set by hand (Settings, `dtoc coverage set`).
    Set,
    /// A register written before coverage: its earliest ready date (the figures as they were).
    Upgrade,
}

impl CoverageSource {
    pub const ALL: [CoverageSource; 4] = [Self::Entered, Self::Import, Self::Set, Self::Upgrade];

    /// The stored (and shown) word.
    pub fn key(self) -> &'static str {
        match self {
            Self::Entered => "entered",
            Self::Import => "import",
            Self::Set => "set",
            Self::Upgrade => "upgrade",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.key() == s)
    }
}

/// One site's coverage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SiteCoverage {
    pub site_code: String,
    /// The first day of its complete record.
    #[serde(serialize_with = "serialize_day")]
    pub from: NaiveDate,
    pub source: CoverageSource,
}

fn serialize_day<S: serde::Serializer>(
    d: &NaiveDate,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&date_str(*d))
}

/// The coverage of every site with one (sites with no record have none), in site order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub sites: Vec<SiteCoverage>,
}

impl Coverage {
    /// Coverage of the given sites from one day (tests, generated registers).
    pub fn covering(day: NaiveDate, sites: &[&str]) -> Self {
        Self {
            sites: sites
                .iter()
                .map(|s| SiteCoverage {
                    site_code: s.to_string(),
                    from: day,
                    source: CoverageSource::Set,
                })
                .collect(),
        }
    }

    /// The coverage of the sites `keep` keeps (the acute sites of an acute return).
    pub fn of_sites(&self, keep: impl Fn(&str) -> bool) -> Coverage {
        Coverage {
            sites: self
                .sites
                .iter()
                .filter(|s| keep(&s.site_code))
                .cloned()
                .collect(),
        }
    }

    /// The day from which the whole register is complete: the latest of its sites' coverage
    /// (`None` when no site has a record, and so no figure to blank).
    pub fn from_day(&self) -> Option<NaiveDate> {
        self.sites.iter().map(|s| s.from).max()
    }

    /// The first month every day of which is covered: the month of [`Self::from_day`] when it is
    /// the 1st, else the month after (a month partly covered is blank).
    pub fn first_month(&self) -> Option<YearMonth> {
        self.from_day().map(|d| {
            let m = YearMonth::of(d);
            if d == m.first_day() {
                m
            } else {
                m.next()
            }
        })
    }

    /// Whether every day of `month` is covered (always, with no coverage recorded).
    pub fn covers(&self, month: YearMonth) -> bool {
        self.first_month().is_none_or(|f| month >= f)
    }

    /// Whether `day` is covered.
    pub fn covers_day(&self, day: NaiveDate) -> bool {
        self.from_day().is_none_or(|f| day >= f)
    }

    /// The months of `from..=to` before coverage, as a range (`None` when every month is covered).
    pub fn blank_months(&self, from: YearMonth, to: YearMonth) -> Option<(YearMonth, YearMonth)> {
        let first = self.first_month()?;
        (from < first).then(|| (from, to.min(first.prev())))
    }

    /// Each site's coverage in words, sites of one date and source together:
    /// `RWE01, RWE02 from 2017-04-01 (set)`.
    pub fn sites_text(&self) -> String {
        let mut groups: Vec<(NaiveDate, CoverageSource, Vec<&str>)> = Vec::new();
        for s in &self.sites {
            match groups
                .iter_mut()
                .find(|(d, c, _)| *d == s.from && *c == s.source)
            {
                Some(g) => g.2.push(&s.site_code),
                None => groups.push((s.from, s.source, vec![&s.site_code])),
            }
        }
        groups
            .iter()
            .map(|(d, c, sites)| format!("{} from {d} ({})", sites.join(", "), c.key()))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The note a report over `from..=to` carries: from when its figures are complete and, when
    /// some of its months are before that, that they are blank. `None` with no coverage recorded.
    pub fn note(&self, from: YearMonth, to: YearMonth) -> Option<String> {
        let blank = self.blank_months(from, to).map(|(a, b)| {
            format!(
                "{} before coverage: blank, not 0 (a month partly covered is blank)",
                span(a, b)
            )
        });
        self.note_with(blank)
    }

    /// [`Self::note`] for a report of days (`first..=last`): the days before coverage are blank.
    pub fn note_days(&self, first: NaiveDate, last: NaiveDate) -> Option<String> {
        let blank = self.from_day().filter(|&f| first < f).map(|f| {
            let end = last.min(f.pred_opt().unwrap_or(f));
            format!("{} before coverage: blank, not 0", span(first, end))
        });
        self.note_with(blank)
    }

    /// [`Self::note`] when some month of `from..=to` is before coverage, else `None`.
    pub fn blank_note(&self, from: YearMonth, to: YearMonth) -> Option<String> {
        self.blank_months(from, to)
            .and_then(|_| self.note(from, to))
    }

    /// [`Self::note_days`] when some day of `first..=last` is before coverage, else `None`.
    pub fn blank_note_days(&self, first: NaiveDate, last: NaiveDate) -> Option<String> {
        (!self.covers_day(first))
            .then(|| self.note_days(first, last))
            .flatten()
    }

    fn note_with(&self, blank: Option<String>) -> Option<String> {
        let day = self.from_day()?;
        let mut s = format!("figures from {day} (coverage of {})", self.sites_text());
        if let Some(b) = blank {
            s.push_str("; ");
            s.push_str(&b);
        }
        Some(s)
    }
}

/// `a is` or `a to b are`.
fn span<T: PartialEq + std::fmt::Display>(a: T, b: T) -> String {
    if a == b {
        format!("{a} is")
    } else {
        format!("{a} to {b} are")
    }
}

impl Store {
    /// The day this store's writes enter records on (the command's or app's today): a site whose
    /// first record a write enters takes it as its coverage. Without it no coverage is noted.
    pub fn set_entry_day(&mut self, day: NaiveDate) {
        self.entry_day = Some(day);
    }

    /// Every site's coverage.
    pub fn coverage(&self) -> Result<Coverage> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT site_code, from_on, source FROM site_coverage ORDER BY site_code",
        )?;
        let rows = stmt.query_map([], |r| {
            let source: String = r.get(2)?;
            Ok(SiteCoverage {
                site_code: r.get(0)?,
                from: parse_stored_date(&r.get::<_, String>(1)?)?,
                source: CoverageSource::parse(&source).unwrap_or(CoverageSource::Set),
            })
        })?;
        Ok(Coverage {
            sites: rows.collect::<rusqlite::Result<_>>()?,
        })
    }

    /// Sets the coverage of each `(site, from)` in one write, audited (`set` by hand, `import` when
    /// an import states it); a site given the coverage it has is left as it is. Returns how many
    /// changed.
    pub fn set_coverage(
        &mut self,
        sites: &[(String, NaiveDate)],
        source: CoverageSource,
    ) -> Result<usize> {
        let entry = match source {
            CoverageSource::Import => Entry::Import,
            CoverageSource::Set => Entry::Set,
            other => {
                return Err(Error::invalid(format!(
                    "coverage is set by hand or by an import, not as `{}`",
                    other.key()
                )))
            }
        };
        self.write(|w| {
            let mut changed = 0;
            for (site, from) in sites {
                w.require_site(site)?;
                let old: Option<String> = w
                    .tx
                    .query_row(
                        "SELECT from_on FROM site_coverage WHERE site_code = ?1",
                        params![site],
                        |r| r.get(0),
                    )
                    .optional()?;
                let new = date_str(*from);
                if old.as_deref() == Some(new.as_str()) {
                    continue;
                }
                w.tx.execute(
                    "INSERT INTO site_coverage (site_code, from_on, source) VALUES (?1, ?2, ?3)
                     ON CONFLICT DO UPDATE SET from_on = excluded.from_on, source = excluded.source",
                    params![site, new, source.key()],
                )?;
                w.audit(
                    &AuditEvent::Site(SiteEvent::Coverage(entry)),
                    site,
                    old.as_deref(),
                    Some(&new),
                )?;
                changed += 1;
            }
            Ok(changed)
        })
    }
}

/// Gives each site with a record and no coverage yet the coverage `day` (source `entered`): run by
/// every write before it commits, so the add form, both import paths and `import stays` all note
/// the day a site's first record was entered.
pub(super) fn note_entered(w: &Writer<'_>, day: NaiveDate) -> Result<()> {
    w.tx.execute(
        "INSERT OR IGNORE INTO site_coverage (site_code, from_on, source)
         SELECT s.code, ?1, 'entered' FROM site s
         WHERE NOT EXISTS (SELECT 1 FROM site_coverage c WHERE c.site_code = s.code)
           AND EXISTS (SELECT 1 FROM stay t WHERE t.site_code = s.code)",
        params![date_str(day)],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    #[test]
    fn the_register_is_covered_from_its_latest_site_and_a_part_month_is_not() {
        let mut c = Coverage::covering(d("2017-04-01"), &["A"]);
        c.sites.push(SiteCoverage {
            site_code: "B".into(),
            from: d("2017-05-10"),
            source: CoverageSource::Entered,
        });
        assert_eq!(c.from_day(), Some(d("2017-05-10")));
        assert_eq!(c.first_month(), Some(ym("2017-06")));
        assert!(!c.covers(ym("2017-05")));
        assert!(c.covers(ym("2017-06")));
        assert_eq!(
            c.blank_months(ym("2017-01"), ym("2017-12")),
            Some((ym("2017-01"), ym("2017-05")))
        );
        assert_eq!(c.blank_months(ym("2017-06"), ym("2017-12")), None);
        let note = c.note(ym("2017-05"), ym("2017-07")).unwrap();
        assert_eq!(
            note,
            "figures from 2017-05-10 (coverage of A from 2017-04-01 (set); B from 2017-05-10 (entered)); \
             2017-05 is before coverage: blank, not 0 (a month partly covered is blank)"
        );
    }

    #[test]
    fn no_coverage_recorded_covers_everything() {
        let c = Coverage::default();
        assert!(c.covers(ym("2001-01")));
        assert_eq!(c.note(ym("2001-01"), ym("2001-02")), None);
    }

    #[test]
    fn coverage_from_the_first_of_a_month_covers_that_month() {
        let c = Coverage::covering(d("2017-04-01"), &["A"]);
        assert_eq!(c.first_month(), Some(ym("2017-04")));
        assert!(!c.covers(ym("2017-03")));
    }
}
