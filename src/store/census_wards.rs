//! The census by ward (issue 26): a site's inpatients on a day split over its wards (reference
//! data), optional, and always adding up to the site's census (the sum of its authorities' cells
//! in `census`). Every write that touches a site's census or its ward figures checks the two agree
//! before it commits, so no path leaves them apart.

use super::audit_event::AuditEvent;
use super::{date_str, Store, Writer};
use crate::domain::{check_ward_census, LaCode, SiteWards};
use crate::error::{Error, Result};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension};

impl Store {
    /// Records the day's census cells (site, authority, inpatients) and the figures by ward of the
    /// sites in `wards` (their earlier ward figures of the day are replaced; a site given no ward
    /// figures has none), in one transaction. Refused, with nothing saved, when a site's ward
    /// figures do not add up to its census.
    pub fn set_census_by_ward(
        &mut self,
        day: NaiveDate,
        cells: &[(String, LaCode, u32)],
        wards: &[SiteWards],
    ) -> Result<()> {
        self.write(|w| {
            super::reference::set_census_cells(w, day, cells)?;
            for site in wards {
                set_site_wards(w, day, site)?;
            }
            let mut sites: Vec<&str> = cells.iter().map(|c| c.0.as_str()).collect();
            sites.extend(wards.iter().map(|s| s.site.as_str()));
            check_sites(w, day, &sites)
        })
    }

    /// The day's census by ward: (site, ward code, inpatients), by site then ward in natural
    /// order.
    pub fn census_wards(&self, day: NaiveDate) -> Result<Vec<(String, String, u32)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT site_code, ward_code, inpatients FROM census_ward WHERE day = ?1",
        )?;
        let rows = stmt.query_map(params![date_str(day)], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
        let mut out: Vec<(String, String, u32)> = rows.collect::<rusqlite::Result<_>>()?;
        out.sort_by(|a, b| {
            crate::domain::natural_cmp(&a.0, &b.0)
                .then_with(|| crate::domain::natural_cmp(&a.1, &b.1))
        });
        Ok(out)
    }
}

/// Replaces a site's ward figures of the day, auditing each ward set or cleared.
fn set_site_wards(w: &Writer<'_>, day: NaiveDate, site: &SiteWards) -> Result<()> {
    w.require_site(&site.site)?;
    let old: Vec<(String, u32)> = {
        let mut stmt = w.tx.prepare_cached(
            "SELECT ward_code, inpatients FROM census_ward WHERE day = ?1 AND site_code = ?2",
        )?;
        let rows = stmt.query_map(params![date_str(day), site.site], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    w.tx.execute(
        "DELETE FROM census_ward WHERE day = ?1 AND site_code = ?2",
        params![date_str(day), site.site],
    )?;
    let before = |code: &str| {
        old.iter()
            .find(|o| o.0.eq_ignore_ascii_case(code))
            .map(|o| o.1.to_string())
    };
    for (ward, inpatients) in &site.wards {
        let code: Option<String> =
            w.tx.query_row(
                "SELECT code FROM ward WHERE site_code = ?1 AND code = ?2",
                params![site.site, ward],
                |r| r.get(0),
            )
            .optional()?;
        let Some(code) = code else {
            return Err(Error::invalid(format!(
                "{}: no ward {ward} on the site's ward list (Settings, or `dtoc import wards`)",
                site.site
            )));
        };
        w.tx.execute(
            "INSERT INTO census_ward (day, site_code, ward_code, inpatients) VALUES (?1, ?2, ?3, ?4)",
            params![date_str(day), site.site, code, inpatients],
        )?;
        w.audit(
            &AuditEvent::CensusWard,
            &format!("{day} {} {code}", site.site),
            before(&code).as_deref(),
            Some(&inpatients.to_string()),
        )?;
    }
    for (code, n) in &old {
        if !site
            .wards
            .iter()
            .any(|(ward, _)| ward.eq_ignore_ascii_case(code))
        {
            w.audit(
                &AuditEvent::CensusWard,
                &format!("{day} {} {code}", site.site),
                Some(&n.to_string()),
                None,
            )?;
        }
    }
    Ok(())
}

/// Refuses the write when a site of `sites` has figures by ward on `day` that do not add up to
/// its census that day.
pub(super) fn check_sites(w: &Writer<'_>, day: NaiveDate, sites: &[&str]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for site in sites.iter().filter(|s| seen.insert(**s)) {
        let total: u32 = w.tx.query_row(
            "SELECT ifnull(sum(inpatients), 0) FROM census WHERE day = ?1 AND site_code = ?2",
            params![date_str(day), site],
            |r| r.get(0),
        )?;
        let mut stmt = w.tx.prepare_cached(
            "SELECT ward_code, inpatients FROM census_ward WHERE day = ?1 AND site_code = ?2",
        )?;
        let mut wards: Vec<(String, u32)> = stmt
            .query_map(params![date_str(day), site], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        wards.sort_by(|a, b| crate::domain::natural_cmp(&a.0, &b.0));
        let figures: Vec<(&str, u32)> = wards.iter().map(|(c, n)| (c.as_str(), *n)).collect();
        check_ward_census(site, total, &figures).map_err(Error::invalid)?;
    }
    Ok(())
}
