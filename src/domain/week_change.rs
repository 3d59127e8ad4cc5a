//! What changed in a week's delayed days since one side signed them (issue 26): the days by
//! authority and attribution before (as signed) and after (now), for the refusal of a second
//! signature over different figures. A change that leaves every authority's attribution totals
//! as they were (a reason changed within one attribution, a day moved between patients or sites)
//! is told by reason, then by how many days differ.

use super::{Attribution, DelayedDay, LaCode, ReasonCode};
use std::collections::BTreeMap;

/// One authority and attribution (or reason) whose days differ: signed, and now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DaysChange {
    pub la_code: LaCode,
    /// `NHS`, `Social Care`, `Both`, or a reason code when the attributions are unchanged.
    pub what: String,
    pub before: u64,
    pub after: u64,
}

/// The differences of a week's days against the signed ones.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WeekChange {
    /// By authority and attribution, in that order (codes as stored); empty when none differ.
    pub by_attribution: Vec<DaysChange>,
    /// By authority and reason, when no attribution total differs.
    pub by_reason: Vec<DaysChange>,
    /// The week's total days, signed and now.
    pub total_before: u64,
    pub total_after: u64,
    /// Days signed that are not among today's, or today's not signed (patient, site, day …
    /// included), when neither list above says what changed.
    pub other_days: u64,
}

fn counts<K: Ord>(days: &[DelayedDay], key: impl Fn(&DelayedDay) -> K) -> BTreeMap<K, u64> {
    let mut m = BTreeMap::new();
    for d in days {
        *m.entry(key(d)).or_insert(0) += 1;
    }
    m
}

fn differences<K: Ord + Clone>(
    before: &BTreeMap<(LaCode, K), u64>,
    after: &BTreeMap<(LaCode, K), u64>,
    label: impl Fn(&K) -> String,
) -> Vec<DaysChange> {
    let mut keys: Vec<&(LaCode, K)> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|k| {
            let (b, a) = (
                before.get(k).copied().unwrap_or(0),
                after.get(k).copied().unwrap_or(0),
            );
            (b != a).then(|| DaysChange {
                la_code: k.0.clone(),
                what: label(&k.1),
                before: b,
                after: a,
            })
        })
        .collect()
}

/// What differs between the days a side signed (`before`) and the week's days now (`after`).
pub fn week_change(before: &[DelayedDay], after: &[DelayedDay]) -> WeekChange {
    let by_att = |v: &[DelayedDay]| counts(v, |d| (d.la_code.clone(), att_order(d.attribution)));
    let by_attribution = differences(&by_att(before), &by_att(after), |a| {
        Attribution::ALL[*a].label().to_string()
    });
    let by_reason = if by_attribution.is_empty() {
        let by_r = |v: &[DelayedDay]| counts(v, |d| (d.la_code.clone(), d.reason));
        differences(&by_r(before), &by_r(after), |r: &ReasonCode| {
            r.code().to_string()
        })
    } else {
        Vec::new()
    };
    let other_days = if by_attribution.is_empty() && by_reason.is_empty() {
        let key = DelayedDay::figure_key;
        let (b, a) = (counts(before, key), counts(after, key));
        let gone: u64 = b
            .iter()
            .map(|(k, n)| n.saturating_sub(a.get(k).copied().unwrap_or(0)))
            .sum();
        let new: u64 = a
            .iter()
            .map(|(k, n)| n.saturating_sub(b.get(k).copied().unwrap_or(0)))
            .sum();
        gone.max(new)
    } else {
        0
    };
    WeekChange {
        by_attribution,
        by_reason,
        total_before: before.len() as u64,
        total_after: after.len() as u64,
        other_days,
    }
}

/// NHS, Social Care, Both: the order of the national return.
fn att_order(a: Attribution) -> usize {
    Attribution::ALL.iter().position(|x| *x == a).unwrap_or(0)
}

impl WeekChange {
    /// The change in words, each authority named by `name` (its name, else its code):
    /// `Leicestershire NHS 120 signed, 118 now; Leicestershire Social Care 30 signed, 32 now;
    /// total 374 signed, 374 now`.
    pub fn describe(&self, name: impl Fn(&LaCode) -> String) -> String {
        let rows = if self.by_attribution.is_empty() {
            &self.by_reason
        } else {
            &self.by_attribution
        };
        let mut parts: Vec<String> = rows
            .iter()
            .map(|c| {
                let what = if self.by_attribution.is_empty() {
                    format!("reason {}", c.what)
                } else {
                    c.what.clone()
                };
                format!(
                    "{} {what} {} signed, {} now",
                    name(&c.la_code),
                    c.before,
                    c.after
                )
            })
            .collect();
        if rows.is_empty() && self.other_days > 0 {
            parts.push(format!(
                "the same days by authority, attribution and reason, but {} day(s) moved between patients, sites or days",
                self.other_days
            ));
        }
        parts.push(format!(
            "total {} signed, {} now",
            self.total_before, self.total_after
        ));
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Setting;
    use chrono::NaiveDate;

    fn day(n: u32, la: &str, reason: ReasonCode, att: Attribution) -> DelayedDay {
        DelayedDay {
            day: NaiveDate::from_ymd_opt(2018, 8, n).unwrap(),
            delay_id: 1,
            local_id: format!("P{n}"),
            la_code: LaCode::parse(la).unwrap(),
            site_code: "RWE01".into(),
            setting: Setting::Acute,
            reason,
            attribution: att,
        }
    }

    const LEICS: &str = "E10000018";

    #[test]
    fn a_reason_change_across_attributions_is_told_by_attribution() {
        use Attribution::*;
        // Signed: 3 NHS days (A) and 1 Social Care (E); now one A day became E Social Care.
        let before = vec![
            day(6, LEICS, ReasonCode::A, Nhs),
            day(7, LEICS, ReasonCode::A, Nhs),
            day(8, LEICS, ReasonCode::A, Nhs),
            day(9, LEICS, ReasonCode::E, SocialCare),
        ];
        let mut after = before.clone();
        after[2].reason = ReasonCode::E;
        after[2].attribution = SocialCare;
        let c = week_change(&before, &after);
        assert_eq!(c.by_attribution.len(), 2);
        assert_eq!(
            (c.by_attribution[0].before, c.by_attribution[0].after),
            (3, 2)
        );
        assert_eq!(
            (c.by_attribution[1].before, c.by_attribution[1].after),
            (1, 2)
        );
        assert_eq!(
            c.describe(|l| if l.as_str() == LEICS {
                "Leicestershire".into()
            } else {
                l.to_string()
            }),
            "Leicestershire NHS 3 signed, 2 now; Leicestershire Social Care 1 signed, 2 now; total 4 signed, 4 now"
        );
    }

    #[test]
    fn a_reason_change_within_an_attribution_is_told_by_reason() {
        use Attribution::*;
        let before = vec![
            day(6, LEICS, ReasonCode::A, Nhs),
            day(7, LEICS, ReasonCode::A, Nhs),
        ];
        let mut after = before.clone();
        after[1].reason = ReasonCode::C;
        let c = week_change(&before, &after);
        assert!(c.by_attribution.is_empty());
        assert_eq!(
            c.describe(|l| l.to_string()),
            "E10000018 reason A 2 signed, 1 now; E10000018 reason C 0 signed, 1 now; total 2 signed, 2 now"
        );
    }

    #[test]
    fn a_day_moved_between_patients_is_counted() {
        use Attribution::*;
        let before = vec![
            day(6, LEICS, ReasonCode::A, Nhs),
            day(7, LEICS, ReasonCode::A, Nhs),
        ];
        let mut after = before.clone();
        after[0].local_id = "Q9".into();
        let c = week_change(&before, &after);
        assert_eq!(c.other_days, 1);
        assert_eq!(
            c.describe(|l| l.to_string()),
            "the same days by authority, attribution and reason, but 1 day(s) moved between patients, sites or days; total 2 signed, 2 now"
        );
    }

    #[test]
    fn a_removed_day_shows_in_the_total() {
        use Attribution::*;
        let before = vec![
            day(6, LEICS, ReasonCode::A, Nhs),
            day(7, LEICS, ReasonCode::A, Both),
        ];
        let after = vec![before[0].clone()];
        let c = week_change(&before, &after);
        assert_eq!(
            c.describe(|l| l.to_string()),
            "E10000018 Both 1 signed, 0 now; total 2 signed, 1 now"
        );
    }
}
