use super::period::Period;
use super::*;
use crate::domain::{Attribution, ReasonCode, Setting, TargetUnit};
use crate::store::{CountRow, MonthTotal, OpenCount};
use std::collections::BTreeMap;

fn ym(s: &str) -> YearMonth {
    YearMonth::parse(s).unwrap()
}

/// The production path ([`monthly_from_sums`] of [`sums_of_totals`]) from count rows, summed
/// by month, authority and attribution as the store's `month_totals` sums them.
fn monthly(
    counts: &[CountRow],
    inputs: &Inputs<'_>,
    from: YearMonth,
    to: YearMonth,
    las: &[String],
    today: NaiveDate,
) -> Monthly {
    let mut by: BTreeMap<(YearMonth, LaCode), [u64; 3]> = BTreeMap::new();
    for c in counts {
        let a = Attribution::ALL
            .iter()
            .position(|x| *x == c.attribution)
            .unwrap();
        by.entry((c.month, c.la_code.clone())).or_default()[a] += c.days;
    }
    let totals: Vec<MonthTotal> = by
        .into_iter()
        .map(|((month, la_code), days)| MonthTotal {
            month,
            la_code,
            days,
        })
        .collect();
    monthly_from_sums(&sums_of_totals(&totals), inputs, from, to, las, today)
}

fn count(month: &str, la: &str, a: Attribution, days: u64) -> CountRow {
    CountRow {
        month: ym(month),
        la_code: LaCode::parse(la).unwrap(),
        site_code: "S1".into(),
        setting: Setting::Acute,
        reason: ReasonCode::A,
        attribution: a,
        days,
    }
}

fn auth(code: &str, name: &str) -> Authority {
    Authority {
        code: LaCode::parse(code).unwrap(),
        name: Some(name.into()),
        region: None,
        legacy_code: None,
    }
}

#[test]
fn leicestershire_july_2018() {
    let counts = vec![
        count("2018-07", "E10000018", Attribution::Nhs, 865),
        count("2018-07", "E10000018", Attribution::SocialCare, 85),
        count("2018-07", "E10000018", Attribution::Both, 28),
    ];
    let auths = vec![auth("E10000018", "Leicestershire")];
    let pops = vec![Population {
        la_code: LaCode::parse("E10000018").unwrap(),
        year: 2018,
        population_18plus: 543_600,
    }];
    let targets = vec![Target {
        la_code: crate::domain::LaCode::parse("E10000018").unwrap(),
        month: ym("2018-07"),
        measure: Measure::Total,
        unit: TargetUnit::Per100kDay,
        value: 7.88,
    }];
    let inputs = Inputs {
        authorities: &auths,
        populations: &pops,
        targets: &targets,
        coverage: &crate::store::Coverage::default(),
    };
    let today = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap();
    let m = monthly(&counts, &inputs, ym("2018-07"), ym("2018-07"), &[], today);
    assert_eq!(m.rows.len(), 4);
    let total = &m.rows[0];
    assert_eq!(total.measure, Measure::Total);
    assert_eq!(total.delayed_days, 978);
    assert_eq!(total.days_in_month, 31);
    assert_eq!(format!("{:.3}", total.dtoc_beds), "31.548");
    assert_eq!(
        format!("{:.1}", total.rate_per_100k_month.unwrap()),
        "179.9"
    );
    assert_eq!(format!("{:.2}", total.rate_per_100k_day.unwrap()), "5.80");
    // 7.88 per 100k per day × 5.436 × 31 = 1327.9 days: 978 is significantly better.
    assert_eq!(format!("{:.1}", total.target_days.unwrap()), "1327.9");
    assert_eq!(total.rag, Some(Rag::Green));
    assert_eq!(total.vs_target, Some(VsTarget::SignificantlyBetter));
    let per_day: Vec<String> = m.rows[1..]
        .iter()
        .map(|r| format!("{:.2}", r.rate_per_100k_day.unwrap()))
        .collect();
    assert_eq!(per_day, ["5.13", "0.50", "0.17"]);
    assert_eq!(m.rows[1].rag, None, "no NHS target set");
}

#[test]
fn rutland_2018_against_a_daily_ceiling() {
    let counts: Vec<CountRow> = [
        ("2018-04", 60),
        ("2018-05", 112),
        ("2018-06", 17),
        ("2018-07", 43),
    ]
    .iter()
    .map(|(m, d)| count(m, "E06000017", Attribution::Nhs, *d))
    .collect();
    let auths = vec![auth("E06000017", "Rutland")];
    let targets: Vec<Target> = ["2018-04", "2018-05", "2018-06", "2018-07"]
        .iter()
        .map(|m| Target {
            la_code: crate::domain::LaCode::parse("E06000017").unwrap(),
            month: ym(m),
            measure: Measure::Total,
            unit: TargetUnit::DaysPerDay,
            value: 1.5,
        })
        .collect();
    let inputs = Inputs {
        authorities: &auths,
        populations: &[],
        targets: &targets,
        coverage: &crate::store::Coverage::default(),
    };
    let today = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap();
    let m = monthly(&counts, &inputs, ym("2018-04"), ym("2018-07"), &[], today);
    let totals: Vec<&MonthlyRow> = m
        .rows
        .iter()
        .filter(|r| r.measure == Measure::Total)
        .collect();
    let rag: Vec<&str> = totals.iter().map(|r| r.rag.unwrap().as_str()).collect();
    assert_eq!(rag, ["red", "red", "green", "green"]);
    let t: Vec<f64> = totals.iter().map(|r| r.target_days.unwrap()).collect();
    assert_eq!(t, [45.0, 46.5, 45.0, 46.5]);
    // No population: the rates are blank and the report says why.
    assert!(totals.iter().all(|r| r.rate_per_100k_day.is_none()));
    assert!(
        m.notes[0].contains("Rutland (E06000017) has no 18+ population estimate"),
        "{:?}",
        m.notes
    );
}

#[test]
fn month_in_progress_is_pro_rata_and_forecast() {
    let counts = vec![count("2018-08", "E06000017", Attribution::Nhs, 14)];
    let auths = vec![auth("E06000017", "Rutland")];
    let targets = vec![Target {
        la_code: crate::domain::LaCode::parse("E06000017").unwrap(),
        month: ym("2018-08"),
        measure: Measure::Total,
        unit: TargetUnit::DaysPerDay,
        value: 1.5,
    }];
    let inputs = Inputs {
        authorities: &auths,
        populations: &[],
        targets: &targets,
        coverage: &crate::store::Coverage::default(),
    };
    let today = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap();
    let m = monthly(&counts, &inputs, ym("2018-08"), ym("2018-09"), &[], today);
    assert_eq!(m.rows.len(), 4, "September has not begun");
    let total = &m.rows[0];
    assert_eq!(total.days_in_month, 14);
    assert_eq!(total.target_days, Some(21.0));
    assert_eq!(total.dtoc_beds, 1.0);
    let open = vec![OpenCount {
        la_code: LaCode::parse("E06000017").unwrap(),
        attribution: Attribution::Nhs,
        patients: 2,
    }];
    let f = forecast(&m.rows, &open, today);
    assert_eq!(f[0].days_so_far, 14);
    assert_eq!(f[0].run_rate_projection, 31.0);
    // 14 so far + 2 patients × 17 days (15th to 31st).
    assert_eq!(f[0].if_all_stay_projection, 48.0);
    assert_eq!(f[0].target_days, Some(46.5));
}

#[test]
fn quarter_is_the_mean_of_monthly_rates() {
    let counts: Vec<CountRow> = [("2018-04", 60), ("2018-05", 112), ("2018-06", 17)]
        .iter()
        .map(|(m, d)| count(m, "E06000017", Attribution::Nhs, *d))
        .collect();
    let auths = vec![auth("E06000017", "Rutland")];
    let pops = vec![Population {
        la_code: LaCode::parse("E06000017").unwrap(),
        year: 2018,
        population_18plus: 33_300,
    }];
    let inputs = Inputs {
        authorities: &auths,
        populations: &pops,
        targets: &[],
        coverage: &crate::store::Coverage::default(),
    };
    let today = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap();
    let m = monthly(&counts, &inputs, ym("2018-04"), ym("2018-06"), &[], today);
    let q = by_period(&m.rows, Period::Quarter);
    let total = q.iter().find(|r| r.measure == Measure::Total).unwrap();
    assert_eq!(total.month, "2018/19 Q1");
    assert_eq!(total.delayed_days, 189);
    // (60/30 + 112/31 + 17/30) / 3 / 33,300 × 100,000 = 6.1858...
    let expected = (60.0 / 30.0 + 112.0 / 31.0 + 17.0 / 30.0) / 3.0 / 33_300.0 * 100_000.0;
    assert!((total.rate_per_100k_day.unwrap() - expected).abs() < 1e-12);
}

#[test]
fn february_2020_has_29_days() {
    let counts = vec![count("2020-02", "E06000017", Attribution::Nhs, 58)];
    let auths = vec![auth("E06000017", "Rutland")];
    let inputs = Inputs {
        authorities: &auths,
        populations: &[],
        targets: &[],
        coverage: &crate::store::Coverage::default(),
    };
    let today = NaiveDate::from_ymd_opt(2020, 4, 1).unwrap();
    let m = monthly(&counts, &inputs, ym("2020-02"), ym("2020-02"), &[], today);
    assert_eq!(m.rows[0].days_in_month, 29);
    assert_eq!(m.rows[0].dtoc_beds, 2.0);
    assert_eq!(m.rows[0].rag, None);
}
