//! Domain types and rules. No I/O here: everything is a pure function of its inputs.

mod action;
mod census;
mod codes;
mod dates;
mod delay;
mod discharge;
mod end_change;
mod la;
mod local_id;
mod natural_sort;
mod nhs;
mod placement;
mod stay;
mod targets;
pub mod text;
mod ward;
mod week;
mod week_change;
pub mod week_figures;

pub use action::{
    action_overdue, action_text, owner_name, ActionState, ACTION_TEXT_MAX, OWNER_MAX,
};
pub use census::{census_coverage, check_ward_census, SiteWards};
pub use codes::{
    Attribution, CodeError, EndKind, Measure, Pathway, ReasonCode, Setting, TargetUnit,
};
pub use dates::{
    days_by_month, delayed_days, delayed_days_within, delayed_span, implausible_month,
    iso_week_key, overlap_days, parse_input_date, parse_iso_date, parse_iso_week, too_early,
    DateError, YearMonth, EARLIEST_DATE, MONTHS_AHEAD,
};
pub use delay::{DelayDate, DelayDates, DelayError};
pub use discharge::{
    drd_band, is_inpatient, length_of_stay, los_bands, AcuteReason, Better, Destination,
    ShareMeasure, StayDelay, StayFacts, DRD_BANDS, LOS_BANDS,
};
pub use end_change::EndChange;
pub use la::{population_rule, LaCode, LaCodeError, MAX_ADULTS, MIN_ADULTS};
pub use local_id::{LocalId, LocalIdError};
pub use natural_sort::{cmp_place, natural_cmp, natural_cmp_opt, same_label};
pub use nhs::{NhsNumber, NhsNumberError};
pub use placement::{place_text, Placement, PlacementError, BED_MAX, WARD_MAX};
pub use stay::{Stay, StayDate, StayDetail, StayError};
pub use targets::{max_target, DischargeTarget, Target, TargetError};
pub use ward::{find_ward, Ward, WardError, WARD_BEDS_MAX, WARD_NAME_MAX};
pub use week::{DelayedDay, MarkStatus, Side, Week};
pub use week_change::{week_change, DaysChange, WeekChange};

use chrono::NaiveDate;
use serde::Serialize;

/// One period of a delay: a single reason and attribution from `start` until `end` (exclusive;
/// `None` while still open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
    pub reason: ReasonCode,
    pub attribution: Attribution,
}

impl Period {
    /// Delayed days of this period as of `today`: an open period counts up to the day before today.
    pub fn days_as_of(&self, today: NaiveDate) -> u32 {
        delayed_days_within(self.start, self.end, today, ..)
    }
}
