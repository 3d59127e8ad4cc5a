//! Discharge pathways, Discharge Ready Date, length of stay and criteria to reside (docs/discharge.md):
//! the measures on hand-made stays whose answers are worked out in the comments.

use chrono::NaiveDate;
use dtoc::domain::{
    AcuteReason, Destination, EndKind, Pathway, ShareMeasure, StayDelay, StayFacts, YearMonth,
};
use dtoc::report::discharge::{
    drd, mean_rag, nctr, pathways, share_ci_95, share_rag, Denominator, Level, LosRow, LosScope,
    Targets,
};
use dtoc::report::{Rag, VsTarget};
use dtoc::store::DischargeTarget;

const LA: &str = "E10000018";

fn la_code() -> dtoc::domain::LaCode {
    dtoc::domain::LaCode::parse(LA).unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn month(s: &str) -> YearMonth {
    YearMonth::parse(s).unwrap()
}

fn stay(id: i64, admitted: &str, discharged: Option<&str>) -> StayFacts {
    StayFacts {
        stay_id: id,
        local_id: format!("P{id}"),
        site_code: "RWE01".into(),
        la_code: la_code(),
        admitted_on: day(admitted),
        discharged_on: discharged.map(day),
        pathway: None,
        destination: None,
        usual_residence: None,
        delays: Vec::new(),
    }
}

fn delay(ready: &str, ended: Option<&str>, kind: Option<EndKind>) -> StayDelay {
    StayDelay {
        ready_on: day(ready),
        ended_on: ended.map(day),
        end_kind: kind,
        periods: vec![(day(ready), ended.map(day), None)],
    }
}

/// Length of stay over one site, RWE01 (acute), in a register of one authority.
fn los(
    stays: &[StayFacts],
    census: &[(NaiveDate, String, dtoc::domain::LaCode, u32)],
    days: &[NaiveDate],
    targets: &Targets,
) -> Vec<LosRow> {
    let care = [("RWE01".to_string(), dtoc::domain::Setting::Acute)].into();
    let scope = LosScope {
        care: &care,
        census,
        authorities: 1,
        las: &[],
    };
    dtoc::report::discharge::los(stays, days, targets, &scope)
}

fn no_targets() -> Targets {
    Targets::new(&[])
}

fn target(m: ShareMeasure, percent: f64) -> Targets {
    Targets::new(&[DischargeTarget {
        la_code: dtoc::domain::LaCode::parse(LA).unwrap(),
        month: month("2024-01"),
        measure: m,
        percent,
    }])
}

fn at(rows: &[dtoc::report::discharge::LosRow], level: &Level) -> dtoc::report::discharge::LosRow {
    rows.iter().find(|r| &r.level == level).unwrap().clone()
}

#[test]
fn length_of_stay_on_the_admission_day_is_0_and_the_bands_are_nested() {
    // Snapshot on Monday 2024-01-22. Lengths of stay: A 0 (admitted today), B 7, C 14, E 21, G 25
    // (leaves tomorrow); F leaves today, so is not an inpatient.
    let d = day("2024-01-22");
    let mut e = stay(4, "2024-01-01", None);
    e.delays.push(delay("2024-01-17", None, None)); // ready 5 days before the snapshot
    let mut c = stay(3, "2024-01-08", None);
    c.delays.push(delay(
        "2024-01-19",
        Some("2024-01-21"),
        Some(EndKind::UnfitAgain),
    ));
    let stays = vec![
        stay(1, "2024-01-22", None),
        stay(2, "2024-01-15", None),
        c,
        e,
        stay(5, "2023-12-23", Some("2024-01-22")),
        stay(6, "2023-12-28", Some("2024-01-23")),
    ];
    let rows = los(&stays, &[], &[d], &no_targets());
    let all = at(&rows, &Level::All);
    // Inpatients: A, B, C, E, G = 5. 7+: B, C, E, G = 4; 14+: C, E, G = 3; 21+: E, G = 2.
    assert_eq!(all.recorded, 5);
    assert_eq!(all.counts, [4, 3, 2]);
    assert!(all.counts[0] >= all.counts[1] && all.counts[1] >= all.counts[2]);
    // Patients who are not delayed are recorded, so the recorded inpatients are the denominator:
    // 4/5 = 80%, 3/5 = 60%, 2/5 = 40%.
    assert_eq!(all.denominator_source, Denominator::RecordedStays);
    assert_eq!(all.denominator, Some(5));
    assert_eq!(all.shares, [Some(80.0), Some(60.0), Some(40.0)]);
    // Extra bed days: only E is still delayed (ready 2024-01-17: 5 days), and E is in every band.
    // C's delay ended (unfit again) the day before.
    assert_eq!(all.extra_bed_days, [5, 5, 5]);
    assert_eq!(at(&rows, &Level::Authority(la_code())).counts, [4, 3, 2]);
    assert_eq!(at(&rows, &Level::Site("RWE01".into())).counts, [4, 3, 2]);

    // The admission day itself: A alone, length of stay 0, in no band.
    let rows = los(&stays[..1], &[], &[d], &no_targets());
    assert_eq!(at(&rows, &Level::All).counts, [0, 0, 0]);
    assert_eq!(at(&rows, &Level::All).recorded, 1);
}

#[test]
fn a_patient_discharged_today_is_not_an_inpatient_today() {
    let d = day("2024-01-22");
    let gone = stay(1, "2024-01-01", Some("2024-01-22"));
    assert!(!gone.is_inpatient(d));
    assert!(gone.is_inpatient(day("2024-01-21")));
    // Left through a delay that ended in a transfer, with no discharge date on the stay.
    let mut moved = stay(2, "2024-01-01", None);
    moved.delays.push(delay(
        "2024-01-10",
        Some("2024-01-22"),
        Some(EndKind::Transferred),
    ));
    assert!(!moved.is_inpatient(d));
    let rows = los(&[gone, moved], &[], &[d], &no_targets());
    // Nobody is in: no row but the census-less total (none at all here).
    assert!(rows.iter().all(|r| r.recorded == 0));
}

#[test]
fn only_delayed_patients_recorded_falls_back_to_the_census() {
    let d = day("2024-01-22");
    let mut e = stay(1, "2024-01-01", None); // LOS 21
    e.delays.push(delay("2024-01-17", None, None));
    let census = vec![(d, "RWE01".to_string(), la_code(), 50u32)];
    let targets = Targets::new(&[DischargeTarget {
        la_code: dtoc::domain::LaCode::parse(LA).unwrap(),
        month: month("2024-01"),
        measure: ShareMeasure::Los21,
        percent: 4.6,
    }]);
    let rows = los(std::slice::from_ref(&e), &census, &[d], &targets);
    let la = at(&rows, &Level::Authority(la_code()));
    // 1 of the census's 50 inpatients is at 21+ days: 2%, under the 4.6% target: green.
    assert_eq!(la.denominator_source, Denominator::Census);
    assert_eq!(la.denominator, Some(50));
    assert_eq!(la.shares[2], Some(2.0));
    assert_eq!(la.los21_target.unwrap().rag, Rag::Green);
    // Without a census there is no denominator and no share.
    let rows = los(&[e], &[], &[d], &targets);
    let la = at(&rows, &Level::Authority(la_code()));
    assert_eq!(la.denominator_source, Denominator::None);
    assert_eq!(la.shares, [None, None, None]);
    assert!(la.los21_target.is_none());
}

/// Ten January discharges: 5 on pathway 0, 3 on pathway 1 (one known only from its destination),
/// 1 on pathway 2, 1 on pathway 3.
fn ten_discharges() -> Vec<StayFacts> {
    let pathways = [0, 0, 0, 0, 0, 1, 1, 9, 2, 3];
    pathways
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut s = stay(i as i64 + 1, "2024-01-02", Some("2024-01-20"));
            if *p == 9 {
                s.destination = Some(Destination::P1Hotel);
            } else {
                s.pathway = Pathway::from_number(*p);
            }
            s.usual_residence = Some(i < 9); // 9 of 10 to their usual residence
            s
        })
        .collect()
}

#[test]
fn pathway_shares_without_unknown_pathways() {
    let stays = ten_discharges();
    let rows = pathways(
        &stays,
        month("2024-01"),
        month("2024-01"),
        &target(ShareMeasure::Pathway1, 45.0),
    );
    let la = rows
        .iter()
        .find(|r| r.level == Level::Authority(la_code()))
        .unwrap();
    assert_eq!(la.discharges, 10);
    assert_eq!(la.by_pathway, [5, 3, 1, 1]);
    assert_eq!(la.unknown_pathway, 0);
    // 5/10, 3/10, 1/10, 1/10 both ways when every pathway is known.
    assert_eq!(
        la.share_of_all,
        [Some(50.0), Some(30.0), Some(10.0), Some(10.0)]
    );
    assert_eq!(la.share_of_known, la.share_of_all);
    // 30% against 45%: worse; the exact 95% interval of 3/10 is 6.7%–65.2%, which holds 45%:
    // amber, similar.
    let t = la.pathway1_target.unwrap();
    assert_eq!((t.rag, t.vs_target), (Rag::Amber, VsTarget::Similar));
    // Usual residence 9/10 = 90%.
    assert_eq!(la.usual_residence_share, Some(90.0));
    assert_eq!(la.by_destination[4], 1, "the P1 hotel column");
    assert_eq!(la.unknown_destination, 9);
    // Sites have no targets.
    let site = rows
        .iter()
        .find(|r| r.level == Level::Site("RWE01".into()))
        .unwrap();
    assert!(site.pathway1_target.is_none());
}

#[test]
fn pathway_shares_with_unknown_pathways_state_them() {
    let mut stays = ten_discharges();
    stays.push(stay(11, "2024-01-05", Some("2024-01-25")));
    stays.push(stay(12, "2024-01-05", Some("2024-01-31")));
    // Not January discharges: one still in, one discharged in February.
    stays.push(stay(13, "2024-01-05", None));
    stays.push(stay(14, "2024-01-05", Some("2024-02-01")));
    let rows = pathways(&stays, month("2024-01"), month("2024-01"), &no_targets());
    let all = rows.iter().find(|r| r.level == Level::All).unwrap();
    // 12 discharges, 2 with no pathway: stated, not dropped.
    assert_eq!(all.discharges, 12);
    assert_eq!(all.unknown_pathway, 2);
    assert_eq!(all.by_pathway, [5, 3, 1, 1]);
    // Of all 12: 5/12 = 41.67%, 3/12 = 25%, 1/12 = 8.33%; of the 10 known: 50%, 30%, 10%, 10%.
    let of_all = all.share_of_all.map(Option::unwrap);
    assert!((of_all[0] - 41.666_666).abs() < 1e-3);
    assert_eq!(of_all[1], 25.0);
    assert!((of_all[2] - 8.333_333).abs() < 1e-3);
    assert_eq!(
        all.share_of_known,
        [Some(50.0), Some(30.0), Some(10.0), Some(10.0)]
    );
    // Usual residence is recorded for the first 10 only: 9/10, with 2 unrecorded.
    assert_eq!(all.usual_residence_recorded, 10);
    assert_eq!(all.usual_residence_share, Some(90.0));
}

#[test]
fn drd_averages_and_bands_of_eleven_discharges() {
    // Days from ready date to discharge: 0, 0, 1, 2, 3, 5, 8, 14, 21, 30, and an eleventh
    // discharge with no ready date recorded: it left on its DRD, 0 days (NHS England's DRD
    // guidance). A twelfth, a same-day stay, is outside the measure.
    //   sum = 0+0+1+2+3+5+8+14+21+30+0 = 84 bed days lost
    //   average including 0-day delays = 84 / 11 = 7.64
    //   average excluding them         = 84 / 8  = 10.5
    //   bands: 0 → 3; 1 → 1; 2–3 → 2 (2, 3); 4–6 → 1 (5); 7–13 → 1 (8); 14–20 → 1 (14); 21+ → 2 (21, 30)
    //   within 24 hours (0 or 1 days) = 4 of 11 = 36.4%
    let days = [0i64, 0, 1, 2, 3, 5, 8, 14, 21, 30];
    let mut stays: Vec<StayFacts> = days
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let left = day("2024-01-31");
            let ready = left - chrono::Duration::days(*n);
            let mut s = stay(i as i64 + 1, "2023-12-01", Some("2024-01-31"));
            s.delays.push(StayDelay {
                ready_on: ready,
                ended_on: Some(left),
                end_kind: Some(EndKind::Discharged),
                periods: vec![(ready, Some(left), Some(AcuteReason::P1Capacity))],
            });
            s
        })
        .collect();
    // An eleventh discharge with no ready date recorded, and an earlier delay that ended unfit
    // (it is not the discharge's ready date).
    let mut other = stay(11, "2024-01-01", Some("2024-01-15"));
    other.delays.push(delay(
        "2024-01-03",
        Some("2024-01-05"),
        Some(EndKind::UnfitAgain),
    ));
    stays.push(other);
    stays.push(stay(12, "2024-01-20", Some("2024-01-20")));
    let rows = drd(
        &stays,
        month("2024-01"),
        month("2024-01"),
        &target(ShareMeasure::Within24h, 75.0),
    );
    let la = rows
        .iter()
        .find(|r| r.level == Level::Authority(la_code()))
        .unwrap();
    assert_eq!(la.discharges, 11);
    assert_eq!(la.no_ready_date, 1);
    assert_eq!(la.same_day_stays, 1);
    assert_eq!(la.bed_days_lost, 84);
    assert_eq!(la.average_days, Some(84.0 / 11.0));
    assert_eq!(la.average_days_excluding_0, Some(10.5));
    assert_eq!(la.bands, [3, 1, 2, 1, 1, 1, 2]);
    assert_eq!(la.band_shares[0], Some(300.0 / 11.0));
    assert_eq!(la.within_24h, 4);
    assert_eq!(la.within_24h_share, Some(400.0 / 11.0));
    // 36.4% against 75%: the interval 10.9%–69.2% lies below 75%: red, significantly worse.
    let t = la.within_24h_target.unwrap();
    assert_eq!(
        (t.rag, t.vs_target),
        (Rag::Red, VsTarget::SignificantlyWorse)
    );

    // The average delay (the Better Care Fund measure) against targets in days. Standard
    // deviation of the 11 delays: sum of squared deviations from 7.636 = 998.5, / 10 = 99.85,
    // sd 9.99; 95% interval 7.64 ± 1.96 × 9.99 / √11 = 1.73 to 13.54.
    let rated = |t: f64| {
        let rows = drd(
            &stays,
            month("2024-01"),
            month("2024-01"),
            &target(ShareMeasure::AverageDelay, t),
        );
        let la = rows
            .into_iter()
            .find(|r| r.level == Level::Authority(la_code()))
            .unwrap();
        let t = la.average_delay_target.unwrap();
        (t.rag, t.vs_target)
    };
    assert_eq!(rated(8.0), (Rag::Green, VsTarget::Similar));
    assert_eq!(rated(5.0), (Rag::Amber, VsTarget::Similar));
    assert_eq!(rated(1.0), (Rag::Red, VsTarget::SignificantlyWorse));
    assert_eq!(rated(14.0), (Rag::Green, VsTarget::SignificantlyBetter));
    // Just inside the interval's lower edge (1.73): amber; just outside: red.
    assert_eq!(rated(1.8), (Rag::Amber, VsTarget::Similar));
    assert_eq!(rated(1.6), (Rag::Red, VsTarget::SignificantlyWorse));
    // One value has no interval: above the target is amber, never red.
    assert_eq!(mean_rag(9.0, 0.0, 1, 1.0).rag, Rag::Amber);
}

#[test]
fn clopper_pearson_interval_and_rag() {
    // 3 of 10: the exact 95% interval is 0.0667 to 0.6525 (published tables of the binomial).
    let (lo, hi) = share_ci_95(3, 10).unwrap();
    assert!((lo - 6.67).abs() < 0.01, "{lo}");
    assert!((hi - 65.25).abs() < 0.01, "{hi}");
    assert_eq!(share_ci_95(0, 10).unwrap().0, 0.0);
    assert_eq!(share_ci_95(10, 10).unwrap().1, 100.0);
    assert!(share_ci_95(0, 0).is_none());
    // Lower is better for long stays: 12 of 100 at 14+ against 10%: worse, interval 6.4%–20.0%
    // holds 10%: amber. 30 of 100: interval 21.2%–39.9% is above 10%: red.
    let a = share_rag(12, 100, 10.0, dtoc::domain::Better::Lower).unwrap();
    assert_eq!(a.rag, Rag::Amber);
    let r = share_rag(30, 100, 10.0, dtoc::domain::Better::Lower).unwrap();
    assert_eq!(
        (r.rag, r.vs_target),
        (Rag::Red, VsTarget::SignificantlyWorse)
    );
    let g = share_rag(1, 100, 10.0, dtoc::domain::Better::Lower).unwrap();
    assert_eq!(
        (g.rag, g.vs_target),
        (Rag::Green, VsTarget::SignificantlyBetter)
    );
}

#[test]
fn criteria_to_reside_daily() {
    let d = day("2024-01-22");
    let mut a = stay(1, "2024-01-01", None);
    a.delays.push(delay("2024-01-20", None, None)); // still not meeting the criteria
    let mut b = stay(2, "2024-01-01", Some("2024-01-22"));
    b.delays.push(delay(
        "2024-01-21",
        Some("2024-01-22"),
        Some(EndKind::Discharged),
    )); // not meeting, discharged today
    let mut c = stay(3, "2024-01-01", None);
    c.delays.push(delay(
        "2024-01-22",
        Some("2024-01-22"),
        Some(EndKind::UnfitAgain),
    )); // meets the criteria again by the end of the day
    let mut e = stay(4, "2024-01-01", None);
    e.delays.push(delay("2024-01-23", None, None)); // ready tomorrow
    let rows = nctr(&[a, b, c, e], &[d]);
    let all = rows.iter().find(|r| r.level == Level::All).unwrap();
    // Not meeting: a and b = 2; discharged: b = 1; remaining 2 - 1 = 1.
    assert_eq!((all.not_meeting, all.discharged, all.remaining), (2, 1, 1));
}

#[test]
fn a_death_is_not_a_discharge_in_pathways_destinations_drd_or_the_24_hour_share() {
    // P1 discharged home on pathway 0 the day after ready; P2 died two days after ready.
    let mut home = stay(1, "2024-01-02", Some("2024-01-11"));
    home.pathway = Some(Pathway::P0);
    home.destination = Some(Destination::P0Home);
    home.delays.push(delay(
        "2024-01-10",
        Some("2024-01-11"),
        Some(EndKind::Discharged),
    ));
    let mut died = stay(2, "2024-01-02", None);
    died.delays
        .push(delay("2024-01-10", Some("2024-01-12"), Some(EndKind::Died)));
    let stays = vec![home, died];
    let rows = pathways(&stays, month("2024-01"), month("2024-01"), &no_targets());
    let all = rows.iter().find(|r| r.level == Level::All).unwrap();
    assert_eq!(all.discharges, 1);
    assert_eq!(all.by_pathway, [1, 0, 0, 0]);
    assert_eq!(all.unknown_destination, 0);
    let d = drd(&stays, month("2024-01"), month("2024-01"), &no_targets());
    let all = d.iter().find(|r| r.level == Level::All).unwrap();
    assert_eq!(
        (all.discharges, all.bed_days_lost, all.within_24h),
        (1, 1, 1)
    );
    assert_eq!(all.average_days, Some(1.0));
}
