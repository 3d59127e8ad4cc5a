//! What the register's writes share inside their transaction: a delay loaded at its version, its
//! periods, the checks of a new stay or delay.

use super::*;

/// What a write needs to know of a delay.
pub(crate) struct Loaded {
    pub stay_id: i64,
    pub la: String,
    pub site: String,
    pub admitted_on: NaiveDate,
    pub ready_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
}

impl Writer<'_> {
    /// Loads a delay, refusing when its version is not the one the caller saw.
    pub(crate) fn load_delay(&self, delay_id: i64, version: i64) -> Result<Loaded> {
        let found = self
            .tx
            .query_row(
                "SELECT d.version, s.id, s.la_code, s.site_code, s.admitted_on, d.ready_on, d.ended_on
                 FROM delay d JOIN stay s ON s.id = d.stay_id WHERE d.id = ?1",
                params![delay_id],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        Loaded {
                            stay_id: r.get(1)?,
                            la: r.get(2)?,
                            site: r.get(3)?,
                            admitted_on: parse_stored_date(&r.get::<_, String>(4)?)?,
                            ready_on: parse_stored_date(&r.get::<_, String>(5)?)?,
                            ended_on: opt_date(r.get(6)?)?,
                        },
                    ))
                },
            )
            .optional()?;
        let Some((current, loaded)) = found else {
            return Err(Error::NotFound(format!(
                "delay {delay_id} (someone may have deleted it)"
            )));
        };
        if current != version {
            let last = self
                .tx
                .query_row(
                    "SELECT user, at, action, coalesce(field, ''), coalesce(new_value, '') FROM audit_log
                     WHERE entity = 'delay' AND entity_id = ?1 ORDER BY id DESC LIMIT 1",
                    params![delay_id.to_string()],
                    |r| {
                        Ok(format!(
                            "{} at {}: {} {} {}",
                            r.get::<_, String>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                            r.get::<_, String>(3)?,
                            r.get::<_, String>(4)?
                        ))
                    },
                )
                .optional()?
                .unwrap_or_default();
            return Err(Error::Conflict(format!(
                "delay {delay_id} was changed by someone else since you opened it ({}); \
                 your entry is kept: reload and apply it again",
                last.trim()
            )));
        }
        Ok(loaded)
    }

    pub(crate) fn periods(&self, delay_id: i64) -> Result<Vec<PeriodRow>> {
        query_periods(self.tx, delay_id)
    }

    pub(super) fn bump_delay(&self, delay_id: i64) -> Result<()> {
        self.tx.execute(
            "UPDATE delay SET version = version + 1 WHERE id = ?1",
            params![delay_id],
        )?;
        Ok(())
    }

    /// A delay starting on `ready` must not overlap another delay of the same stay.
    pub(super) fn check_no_overlap(
        &self,
        stay_id: i64,
        ready: NaiveDate,
        except: Option<i64>,
    ) -> Result<()> {
        let clash: Option<(String, Option<String>)> = self
            .tx
            .query_row(
                "SELECT ready_on, ended_on FROM delay
                 WHERE stay_id = ?1 AND id IS NOT ?3 AND ready_on <= ?2 AND (ended_on IS NULL OR ended_on > ?2)
                 UNION ALL
                 SELECT ready_on, ended_on FROM delay WHERE stay_id = ?1 AND id IS NOT ?3 AND ready_on > ?2
                 LIMIT 1",
                params![stay_id, date_str(ready), except],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((r, e)) = clash {
            let ends_before = e.as_deref().is_some_and(|e| e <= date_str(ready).as_str());
            if !ends_before {
                return Err(Error::Overlap { from: r, to: e });
            }
        }
        Ok(())
    }

    pub(crate) fn require_site(&self, code: &str) -> Result<Setting> {
        let s: Option<Setting> = self
            .tx
            .query_row(
                "SELECT setting FROM site WHERE code = ?1",
                params![code],
                |r| r.get(0),
            )
            .optional()?;
        match s {
            Some(s) => Ok(s),
            None => Err(Error::UnknownSite(code.to_string())),
        }
    }

    pub(crate) fn ensure_la(&self, la: &LaCode) -> Result<()> {
        self.tx.execute(
            "INSERT OR IGNORE INTO local_authority (code) VALUES (?1)",
            params![la.as_str()],
        )?;
        Ok(())
    }

    /// Finds or creates the patient and the stay of a new delay.
    pub(super) fn ensure_stay(&self, new: &NewDelay) -> Result<i64> {
        self.require_site(&new.site_code)?;
        self.ensure_la(&new.la_code)?;
        let local_id = new.local_id.trim();
        let (patient_id, _) = self.patient_for(local_id, new.nhs_number.as_ref(), Source::Form)?;
        let stay: Option<(i64, String, String, Option<String>)> = self
            .tx
            .query_row(
                "SELECT id, site_code, la_code, discharged_on FROM stay WHERE patient_id = ?1 AND admitted_on = ?2",
                params![patient_id, date_str(new.admitted_on)],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        match stay {
            Some((id, site, la, discharged)) => {
                if site != new.site_code || la != new.la_code.as_str() {
                    return Err(Error::invalid(format!(
                        "the stay of {local_id} admitted {} is at {site} for {la}, not {} for {}",
                        new.admitted_on, new.site_code, new.la_code
                    )));
                }
                if let Some(dis) = discharged {
                    return Err(Error::invalid(format!(
                        "the stay of {local_id} admitted {} ended on {dis}",
                        new.admitted_on
                    )));
                }
                Ok(id)
            }
            None => {
                let id = self.insert_stay(&NewStay {
                    patient_id,
                    site: &new.site_code,
                    la: new.la_code.as_str(),
                    admitted_on: new.admitted_on,
                    leaving: Leaving::default(),
                    place: &Placement::default(),
                })?;
                self.audit(
                    &AuditEvent::Stay(StayEvent::Add),
                    &id.to_string(),
                    None,
                    Some(&format!("{local_id} admitted {}", new.admitted_on)),
                )?;
                Ok(id)
            }
        }
    }
}
