//! Reference data: authorities and their populations, providers and sites, targets, daily census.

use super::audit_event::{AuditEvent, AuthorityEvent, Entry, SiteEvent};
use super::{date_str, Store, Writer};
pub use crate::domain::Target;
use crate::domain::{LaCode, Setting, YearMonth};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::params;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Authority {
    pub code: LaCode,
    pub name: Option<String>,
    pub region: Option<String>,
    /// The pre-2015 code of the published returns (e.g. `508` for Leicestershire), when known.
    pub legacy_code: Option<String>,
}

impl Authority {
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.code)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Population {
    pub la_code: LaCode,
    pub year: i32,
    pub population_18plus: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Site {
    pub code: String,
    pub provider_code: String,
    pub name: Option<String>,
    pub setting: Setting,
}

impl Store {
    pub fn authorities(&self) -> Result<Vec<Authority>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT code, name, region, legacy_code FROM local_authority ORDER BY coalesce(name, code)",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Authority {
                code: r.get(0)?,
                name: r.get(1)?,
                region: r.get(2)?,
                legacy_code: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Sets an authority's region (e.g. `East Midlands`) and legacy code (e.g. `508`), as the
    /// published returns show them; `None` clears a value.
    pub fn set_authority_details(
        &mut self,
        la: &LaCode,
        region: Option<&str>,
        legacy_code: Option<&str>,
    ) -> Result<()> {
        let clean = |s: Option<&str>| s.map(str::trim).filter(|s| !s.is_empty()).map(String::from);
        let (region, legacy) = (clean(region), clean(legacy_code));
        self.write(|w| {
            w.ensure_la(la)?;
            w.tx.execute(
                "UPDATE local_authority SET region = ?1, legacy_code = ?2 WHERE code = ?3",
                params![region, legacy, la.as_str()],
            )?;
            w.audit(
                &AuditEvent::Authority(AuthorityEvent::EditRegion),
                la.as_str(),
                None,
                Some(&format!(
                    "{} / {}",
                    region.as_deref().unwrap_or("-"),
                    legacy.as_deref().unwrap_or("-")
                )),
            )
        })
    }

    /// Every population estimate, by authority then year.
    pub fn populations(&self) -> Result<Vec<Population>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT la_code, year, population_18plus FROM population ORDER BY la_code, year",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok(Population {
                la_code: r.get(0)?,
                year: r.get(1)?,
                population_18plus: r.get::<_, i64>(2)? as u64,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    pub fn sites(&self) -> Result<Vec<Site>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, provider_code, name, setting FROM site ORDER BY code")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(Site {
                code: r.get(0)?,
                provider_code: r.get(1)?,
                name: r.get(2)?,
                setting: r.get(3)?,
            });
        }
        Ok(out)
    }

    /// Each site's weekly snapshot day (docs/discharge.md; Monday unless set in Settings).
    pub fn snapshot_days(&self) -> Result<std::collections::BTreeMap<String, chrono::Weekday>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT code, snapshot_day FROM site ORDER BY code")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u8>(1)?)))?;
        let mut out = std::collections::BTreeMap::new();
        for row in rows {
            let (code, day) = row?;
            let day = chrono::Weekday::try_from(day).map_err(|_| {
                Error::Stored(format!("site {code}: snapshot day {day} is not 0..6"))
            })?;
            out.insert(code, day);
        }
        Ok(out)
    }

    /// Sets the day of the week a site takes its weekly sitrep snapshot.
    pub fn set_snapshot_day(&mut self, site: &str, day: chrono::Weekday) -> Result<()> {
        self.write(|w| set_snapshot_day_in(w, site, day))
    }

    /// Targets for `from..=to` (all authorities).
    pub fn targets(&self, from: YearMonth, to: YearMonth) -> Result<Vec<Target>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT la_code, month, measure, unit, value FROM target
             WHERE month >= ?1 AND month <= ?2 ORDER BY la_code, month, measure",
        )?;
        let mut rows = stmt.query(params![from.key(), to.key()])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(
                Target::new(r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)
                    .map_err(|e| Error::Stored(format!("stored target: {e}")))?,
            );
        }
        Ok(out)
    }

    /// Sets (or replaces) one target.
    pub fn set_target(&mut self, t: &Target) -> Result<()> {
        self.set_targets(std::slice::from_ref(t))
    }

    /// Sets several targets (a year's twelve months, issue 26) in one transaction, each audited:
    /// all or none.
    pub fn set_targets(&mut self, targets: &[Target]) -> Result<()> {
        // Built by Target::new (its rules checked); checked again for a value set on the struct.
        let targets = targets
            .iter()
            .map(|t| Target::new(t.la_code.clone(), t.month, t.measure, t.unit, t.value))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        self.write(|w| {
            for t in &targets {
                let la = &t.la_code;
                w.ensure_la(la)?;
                w.tx.execute(
                    "INSERT INTO target (la_code, month, measure, unit, value) VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT DO UPDATE SET unit = excluded.unit, value = excluded.value",
                    params![la.as_str(), t.month.key(), t.measure.key(), t.unit.key(), t.value],
                )?;
                w.audit(
                    &AuditEvent::Target(Entry::Set),
                    &format!("{} {} {}", la, t.month, t.measure),
                    None,
                    Some(&format!("{} {}", t.value, t.unit.key())),
                )?;
            }
            Ok(())
        })
    }

    /// Adds or changes a site. Changing the type of care of a site with delays is refused: it would
    /// silently move their days between acute and non-acute.
    pub fn upsert_site(&mut self, site: &Site) -> Result<()> {
        self.write(|w| upsert_site_in(w, site))
    }

    /// Adds or changes a site and its weekly snapshot day, in one transaction (the Settings form).
    pub fn upsert_site_with_snapshot_day(
        &mut self,
        site: &Site,
        day: chrono::Weekday,
    ) -> Result<()> {
        self.write(|w| {
            upsert_site_in(w, site)?;
            set_snapshot_day_in(w, &site.code, day)
        })
    }

    /// Sets an authority's name and one year's 18+ population.
    pub fn set_population(
        &mut self,
        la: &LaCode,
        name: Option<&str>,
        year: i32,
        population: u64,
    ) -> Result<()> {
        if let Some(rule) = crate::domain::population_rule(la, population) {
            return Err(Error::invalid(format!("the population {rule}")));
        }
        super::check_stored("authority name", name, crate::domain::text::TextKind::Line)?;
        self.write(|w| {
            w.ensure_la(la)?;
            if let Some(n) = name {
                w.tx.execute(
                    "UPDATE local_authority SET name = ?1 WHERE code = ?2",
                    params![n, la.as_str()],
                )?;
            }
            w.tx.execute(
                "INSERT INTO population (la_code, year, population_18plus) VALUES (?1, ?2, ?3)
                 ON CONFLICT DO UPDATE SET population_18plus = excluded.population_18plus",
                params![la.as_str(), year, population as i64],
            )?;
            w.audit(
                &AuditEvent::Population(Entry::Set),
                &format!("{la} {year}"),
                None,
                Some(&population.to_string()),
            )
        })
    }

    /// Records the day's inpatient count for a site and authority.
    pub fn set_census(
        &mut self,
        day: NaiveDate,
        site: &str,
        la: &LaCode,
        inpatients: u32,
    ) -> Result<()> {
        self.set_census_all(day, &[(site.to_string(), la.clone(), inpatients)])
    }

    /// Records the day's inpatient counts of several (site, authority) cells in one transaction:
    /// all of them or, if any is refused, none.
    pub fn set_census_all(
        &mut self,
        day: NaiveDate,
        cells: &[(String, LaCode, u32)],
    ) -> Result<()> {
        self.write(|w| {
            set_census_cells(w, day, cells)?;
            // A site with figures by ward keeps them only while they add up (issue 26).
            let sites: Vec<&str> = cells.iter().map(|c| c.0.as_str()).collect();
            super::census_wards::check_sites(w, day, &sites)
        })
    }

    /// The day's census: (site, authority, inpatients).
    pub fn census(&self, day: NaiveDate) -> Result<Vec<(String, String, u32)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT site_code, la_code, inpatients FROM census WHERE day = ?1 ORDER BY site_code, la_code",
        )?;
        let rows = stmt.query_map(params![date_str(day)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

/// Writes the day's census cells (site, authority, inpatients), each audited.
pub(super) fn set_census_cells(
    w: &Writer<'_>,
    day: NaiveDate,
    cells: &[(String, LaCode, u32)],
) -> Result<()> {
    for (site, la, inpatients) in cells {
        w.require_site(site)?;
        w.ensure_la(la)?;
        w.tx.execute(
            "INSERT INTO census (day, site_code, la_code, inpatients) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT DO UPDATE SET inpatients = excluded.inpatients",
            params![date_str(day), site, la.as_str(), inpatients],
        )?;
        w.audit(
            &AuditEvent::Census,
            &format!("{day} {site} {la}"),
            None,
            Some(&inpatients.to_string()),
        )?;
    }
    Ok(())
}

/// [`Store::upsert_site`] inside a write.
fn upsert_site_in(w: &Writer<'_>, site: &Site) -> Result<()> {
    use crate::domain::text::TextKind;
    super::check_stored("site code", Some(&site.code), TextKind::Code)?;
    super::check_stored("provider code", Some(&site.provider_code), TextKind::Code)?;
    super::check_stored("site name", site.name.as_deref(), TextKind::Line)?;
    w.tx.execute(
        "INSERT OR IGNORE INTO provider (code) VALUES (?1)",
        params![site.provider_code],
    )?;
    let existing = w.require_site(&site.code).ok();
    if let Some(old) = existing {
        if old != site.setting {
            let used: i64 = w.tx.query_row(
                "SELECT count(*) FROM stay WHERE site_code = ?1",
                params![site.code],
                |r| r.get(0),
            )?;
            if used > 0 {
                return Err(Error::invalid(format!(
                    "site {} is {} and has {used} stays: its type of care cannot change",
                    site.code, old
                )));
            }
        }
    }
    w.tx.execute(
        "INSERT INTO site (code, provider_code, name, setting) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT DO UPDATE SET provider_code = excluded.provider_code,
           name = coalesce(excluded.name, name), setting = excluded.setting",
        params![site.code, site.provider_code, site.name, site.setting.key()],
    )?;
    w.audit(
        &AuditEvent::Site(if existing.is_some() {
            SiteEvent::Edit
        } else {
            SiteEvent::Add
        }),
        &site.code,
        None,
        Some(&format!("{} {}", site.provider_code, site.setting)),
    )
}

/// [`Store::set_snapshot_day`] inside a write.
/// Writes (and audits) nothing when the day is the one stored.
fn set_snapshot_day_in(w: &Writer<'_>, site: &str, day: chrono::Weekday) -> Result<()> {
    w.require_site(site)?;
    let changed = w.tx.execute(
        "UPDATE site SET snapshot_day = ?2 WHERE code = ?1 AND snapshot_day <> ?2",
        params![site, day.num_days_from_monday()],
    )?;
    if changed == 0 {
        return Ok(());
    }
    w.audit(
        &AuditEvent::Site(SiteEvent::EditSnapshotDay),
        site,
        None,
        Some(&day.to_string()),
    )
}
