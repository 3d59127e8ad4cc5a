//! Times as the user reads them: the audit log stores UTC (`2018-08-15T09:00:00Z`); the screens
//! show the local time, converted here at the edge. The zone is passed in (the app's, set when it
//! starts), so the tests are the same in every time zone.

use chrono::{DateTime, FixedOffset, Local, Offset, Utc};

/// The time zone the screens show times in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    /// The machine's zone, with its summer time (what the running app uses).
    Local,
    /// A fixed offset from UTC (tests; UTC itself is `Fixed(+00:00)`).
    Fixed(FixedOffset),
}

impl Default for Zone {
    /// UTC: the app's own default until `run` sets the machine's zone, so that a test that does
    /// not choose a zone is the same everywhere.
    fn default() -> Self {
        Self::Fixed(Utc.fix())
    }
}

impl Zone {
    /// A stored UTC time (RFC 3339) as a local date and time to the minute, `2018-08-15 10:00`
    /// (no `Z`); what cannot be read is shown as stored.
    pub fn local(self, at: &str) -> String {
        const SHOWN: &str = "%Y-%m-%d %H:%M";
        let Ok(t) = DateTime::parse_from_rfc3339(at) else {
            return at.to_string();
        };
        let t = t.with_timezone(&Utc);
        match self {
            Self::Local => t.with_timezone(&Local).format(SHOWN).to_string(),
            Self::Fixed(o) => t.with_timezone(&o).format(SHOWN).to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_utc_time_reads_in_the_zone_given() {
        let bst = Zone::Fixed(FixedOffset::east_opt(3600).unwrap());
        assert_eq!(bst.local("2018-08-15T09:00:00Z"), "2018-08-15 10:00");
        // Across midnight, and UTC by default.
        assert_eq!(bst.local("2018-08-15T23:30:00Z"), "2018-08-16 00:30");
        assert_eq!(
            Zone::default().local("2018-08-15T09:00:00Z"),
            "2018-08-15 09:00"
        );
        // Not a time: shown as stored.
        assert_eq!(bst.local("yesterday"), "yesterday");
    }
}
