//! `dtoc export community-sitrep`: one month of the register's non-acute sites (adults in
//! community beds) in the layout of NHS England's Community Discharge SitRep: daily patients not
//! meeting the criteria to reside, discharged and remaining; a weekly 14+/21+ snapshot with the
//! extra bed days; the reasons of the patients at 14+ days (averaged over the snapshots); the
//! month's discharges by intended destination. The same choices as the acute return
//! ([`super::acute_sitrep`]): discharges delay or not, deaths apart; the weeks that end in the
//! month on each site's snapshot day; "Not stated" destinations and "Reason not recorded" reasons in
//! their own columns.

use super::acute_sitrep::{daily, destinations, reasons, weekly, Input};
use super::sitrep_grid::Return;

/// Builds the four tables of the community return.
pub fn community_sitrep(i: &Input<'_>) -> Return {
    let mut notes = Vec::new();
    let t1 = daily(i, ("Table 1", "table1_community_criteria_to_reside.csv",
        "Table 1: Number of patients in community beds who no longer meet criteria to reside and number of patients who were / were not discharged"));
    let t2 = weekly(i, ("Table 2", "table2_community_length_of_stay.csv",
        "Table 2: Number of patients in community beds with length of stay of 14+ and 21+ days, and the additional days they have remained since the criteria to be discharged decision was made"),
        &[1, 2], true);
    let t3 = reasons(i, ("Table 3", "table3_community_reasons_14_plus.csv",
        "Table 3: Weekly snapshot average of the number of people in community beds per day with length of stay 14 days or over who no longer meet the criteria to reside, by the reasons why they continued to reside"),
        &mut notes);
    let t4 = destinations(i, ("Table 4", "table4_community_discharges_by_destination.csv",
        "Table 4: Month total number of patients discharged from community beds by their intended discharge destination"));
    Return {
        name: "community-sitrep",
        month: i.month,
        last_day: i.last_day,
        tables: vec![t1, t2, t3, t4],
        notes,
    }
}
