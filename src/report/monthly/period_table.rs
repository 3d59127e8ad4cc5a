//! Quarter and financial-year rows of the monthly report as a [`Table`]. They say what they are:
//! the first column is `period` (`2018/19 Q2`, `2018/19`), the days are `days_in_period`, the row
//! names how many of its months it counts and whether it is `complete`, and every population
//! estimate its months used, with its year. The figures are the ASCOF 2C means of the months
//! ([`super::by_period`], docs/measures.md). Monthly rows keep `MONTHLY_HEADER` exactly.

use super::table::fill_rows;
use super::{MonthlyRow, PeriodCover};
use crate::report::table::{Kind, Table, Value};

/// The CSV header of quarter and year rows, exactly.
pub const PERIOD_HEADER: &str = "period,la_code,la_name,measure,delayed_days,days_in_period,months_counted,complete,populations_18plus,dtoc_beds,rate_per_100k_month,rate_per_100k_day,target_per_100k_day,target_days,rag,vs_target";

/// What a quarter or year table's title says of its columns: which are sums and which means.
pub const PERIOD_TITLE: &str = "delayed_days, days_in_period and target_days are sums of its \
     months; dtoc_beds, the rates and target_per_100k_day the mean of its monthly figures, ASCOF 2C";

/// `538900 (2017); 543600 (2018)`: every estimate a period's months used, with its year.
pub fn populations_text(cover: &PeriodCover) -> String {
    cover
        .populations
        .iter()
        .map(|p| format!("{} ({})", p.population, p.year))
        .collect::<Vec<_>>()
        .join("; ")
}

/// `3 of 3 months` or `2 of 3 months, incomplete`.
pub fn cover_text(cover: &PeriodCover) -> String {
    format!(
        "{} of {} months{}",
        cover.months,
        cover.of_months,
        if cover.complete { "" } else { ", incomplete" }
    )
}

/// Quarter or year rows (from `by_period`) as a table, the columns of [`PERIOD_HEADER`].
pub fn period_table(rows: &[MonthlyRow], title: &str) -> Table {
    let mut t = Table::new(format!("{title} ({PERIOD_TITLE})"), "Monthly report");
    let names: Vec<&str> = PERIOD_HEADER.split(',').collect();
    let days = 4;
    for (i, name) in names.iter().enumerate() {
        match i {
            0..=3 | 7 | 8 | 14 | 15 => t.column(name, Kind::Text),
            4 => t.column(name, Kind::Count),
            5 | 6 => t.column(name, Kind::Integer),
            9..=11 => t.derived_column(name, Kind::Rate, days),
            _ => t.column(name, Kind::Rate),
        };
    }
    fill_rows(&mut t, rows, |r| {
        let cover = r.period.as_ref();
        vec![
            Value::opt_int(cover.map(|c| c.months as u64)),
            cover.map_or(Value::Empty, |c| Value::Bool(c.complete)),
            Value::Text(cover.map(populations_text).unwrap_or_default()),
        ]
    });
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Measure, YearMonth};
    use crate::report::monthly::period::Period;
    use crate::report::monthly::{by_period, monthly_from_sums, sums_of_totals, Inputs};
    use crate::store::{Authority, MonthTotal, Population};
    use chrono::NaiveDate;

    const LEICS: &str = "E10000018";

    fn ym(s: &str) -> YearMonth {
        YearMonth::parse(s).unwrap()
    }

    /// NHS delayed days from November 2017 to August 2018 (August in progress on the 15th), with
    /// the 2017 and 2018 population estimates.
    fn rows(period: Period) -> Vec<MonthlyRow> {
        let days = [
            ("2017-11", 300),
            ("2017-12", 310),
            ("2018-01", 400),
            ("2018-02", 280),
            ("2018-07", 310),
            ("2018-08", 140),
        ];
        let totals: Vec<MonthTotal> = days
            .iter()
            .map(|&(m, d)| MonthTotal {
                month: ym(m),
                la_code: crate::domain::LaCode::parse(LEICS).unwrap(),
                days: [d, 0, 0],
            })
            .collect();
        let auths = vec![Authority {
            code: crate::domain::LaCode::parse(LEICS).unwrap(),
            name: Some("Leicestershire".into()),
            region: None,
            legacy_code: None,
        }];
        let pops: Vec<Population> = [(2017, 538_900), (2018, 543_600)]
            .iter()
            .map(|&(year, p)| Population {
                la_code: crate::domain::LaCode::parse(LEICS).unwrap(),
                year,
                population_18plus: p,
            })
            .collect();
        let inputs = Inputs {
            authorities: &auths,
            populations: &pops,
            targets: &[],
            coverage: &crate::store::Coverage::default(),
        };
        let today = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap();
        let sums = sums_of_totals(&totals);
        let m = monthly_from_sums(&sums, &inputs, ym("2017-11"), ym("2018-08"), &[], today);
        by_period(&m.rows, period)
            .into_iter()
            .filter(|r| r.measure == Measure::Total)
            .collect()
    }

    #[test]
    fn a_year_across_two_population_estimates_started_mid_year_is_a_marked_mean_of_months() {
        let years = rows(Period::Year);
        let y = &years[0];
        assert_eq!(y.month, "2017/18");
        let cover = y.period.as_ref().unwrap();
        // November to March: five months counted (March with no delays is a month of zeros).
        assert_eq!(
            (cover.months, cover.of_months, cover.complete),
            (5, 12, false)
        );
        assert_eq!(cover_text(cover), "5 of 12 months, incomplete");
        // Both estimates named with their years: 2017 for November and December, 2018 after.
        assert_eq!(populations_text(cover), "538900 (2017); 543600 (2018)");
        // DTOC beds: the mean of the months' beds (ASCOF 2C), not the days over the days.
        let beds = [300.0 / 30.0, 310.0 / 31.0, 400.0 / 31.0, 280.0 / 28.0, 0.0];
        let mean_beds = beds.iter().sum::<f64>() / 5.0;
        assert!((y.dtoc_beds - mean_beds).abs() < 1e-12);
        assert!((y.dtoc_beds - 1290.0 / 151.0).abs() > 1e-3);
        assert_eq!((y.delayed_days, y.days_in_month), (1290, 151));
        // The rate per day: each month over its own year's population, then the mean.
        let per_day =
            (beds[0] / 538_900.0 + beds[1] / 538_900.0 + (beds[2] + beds[3] + beds[4]) / 543_600.0)
                / 5.0
                * 100_000.0;
        assert!((y.rate_per_100k_day.unwrap() - per_day).abs() < 1e-12);
        // 2018/19: April to August, August in progress: incomplete, one estimate.
        let c = years[1].period.as_ref().unwrap();
        assert_eq!((c.months, c.complete), (5, false));
        assert_eq!(populations_text(c), "543600 (2018)");
    }

    #[test]
    fn the_month_in_progress_left_out_on_the_first_is_noted() {
        let auths = vec![Authority {
            code: crate::domain::LaCode::parse(LEICS).unwrap(),
            name: None,
            region: None,
            legacy_code: None,
        }];
        let inputs = Inputs {
            authorities: &auths,
            populations: &[],
            targets: &[],
            coverage: &crate::store::Coverage::default(),
        };
        let sums = sums_of_totals(&[]);
        let first = NaiveDate::from_ymd_opt(2018, 9, 1).unwrap();
        let m = monthly_from_sums(&sums, &inputs, ym("2018-08"), ym("2018-09"), &[], first);
        assert!(m.rows.iter().all(|r| r.month == "2018-08"));
        assert!(
            m.notes.iter().any(|n| n.starts_with("2018-09 is left out")),
            "{:?}",
            m.notes
        );
        // On the 2nd it is in (one day counted), and nothing is said.
        let second = NaiveDate::from_ymd_opt(2018, 9, 2).unwrap();
        let m = monthly_from_sums(&sums, &inputs, ym("2018-08"), ym("2018-09"), &[], second);
        assert!(m.rows.iter().any(|r| r.month == "2018-09"));
        assert!(!m.notes.iter().any(|n| n.contains("left out")));
    }

    #[test]
    fn quarters_started_mid_quarter_or_in_progress_are_incomplete_and_say_so() {
        let q = rows(Period::Quarter);
        let keys: Vec<String> = q.iter().map(|r| r.month.to_string()).collect();
        assert_eq!(
            keys,
            ["2017/18 Q3", "2017/18 Q4", "2018/19 Q1", "2018/19 Q2"]
        );
        let cover = |i: usize| q[i].period.clone().unwrap();
        // Q3 starts in November: 2 of 3 months.
        assert_eq!((cover(0).months, cover(0).complete), (2, false));
        assert!((q[0].dtoc_beds - 10.0).abs() < 1e-12);
        // Q4 and Q1 are whole.
        assert_eq!((cover(1).months, cover(1).complete), (3, true));
        assert_eq!((cover(2).months, cover(2).complete), (3, true));
        // Q2: July, and August to date (14 days): 2 of 3, incomplete.
        assert_eq!((cover(3).months, cover(3).complete), (2, false));
        assert_eq!(q[3].days_in_month, 31 + 14);
        let t = period_table(&q, "Quarters");
        let head: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(head.join(","), PERIOD_HEADER);
        // The title names the sums and the means (issue 24, item 8).
        assert!(
            t.title
                .contains("delayed_days, days_in_period and target_days are sums")
                && t.title
                    .contains("the rates and target_per_100k_day the mean"),
            "{}",
            t.title
        );
        let row = &t.rows[0];
        assert_eq!(row[0], Value::Text("2017/18 Q3".into()));
        assert_eq!(row[5], Value::Int(61));
        assert_eq!(row[6], Value::Int(2));
        assert_eq!(row[7], Value::Bool(false));
        assert_eq!(row[8], Value::text("538900 (2017)"));
    }
}
