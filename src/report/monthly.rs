//! The monthly report: delayed days per month × authority × measure, with DTOC beds, rates per
//! 100,000 adults per month and per day, the target converted into delayed days, RAG and the
//! significance text (RULES.md §2). Also the quarter and financial-year views (the mean of the
//! monthly per-day rates, ASCOF 2C) and the forecast for the month in progress.
//!
//! The month of "today" is still in progress: its figures cover the days counted so far (the 1st up
//! to the day before today), `days_in_month` is that number of days, and its target is the month's
//! target pro rata, so that a half-month is compared with half a month's target.

use super::period::{Period, PeriodKey};
use super::rag::{assess, Rag, VsTarget};
use super::rates::{self, target_days, PopulationUsed};
use super::table::{Kind, Table, Value};
use crate::domain::{Attribution, LaCode, Measure, YearMonth};
use crate::store::{Authority, MonthTotal, OpenCount, Population, Target};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One row of the monthly report. Field names and order are the CSV header.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonthlyRow {
    /// `2018-07`, or for the period views `2018/19 Q2` / `2018/19`.
    pub month: PeriodKey,
    pub la_code: LaCode,
    pub la_name: String,
    pub measure: Measure,
    pub delayed_days: u64,
    pub days_in_month: u32,
    pub population_18plus: Option<u64>,
    pub population_year: Option<i32>,
    pub dtoc_beds: f64,
    pub rate_per_100k_month: Option<f64>,
    pub rate_per_100k_day: Option<f64>,
    pub target_per_100k_day: Option<f64>,
    pub target_days: Option<f64>,
    pub rag: Option<Rag>,
    pub vs_target: Option<VsTarget>,
    /// For a quarter or year row: the months it covers and every population estimate they used
    /// (`None` for a month).
    #[serde(skip)]
    pub period: Option<PeriodCover>,
}

/// What a quarter or year row covers: a mean of which months, with which populations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodCover {
    /// The months counted (with at least one day counted).
    pub months: usize,
    /// The months of the whole period: 3 or 12.
    pub of_months: usize,
    /// Every month of the period is counted, each in full.
    pub complete: bool,
    /// Every population estimate the months used, in year order, each once.
    pub populations: Vec<PopulationUsed>,
}

/// The note quarter and year rows carry (RULES.md §2, ASCOF 2C).
pub const PERIOD_NOTE: &str = "quarter and year rows are means of their months (the ASCOF 2C method): DTOC beds, rates and target rates are the mean of the monthly figures, not the period's days over its length; delayed days and target days are sums; every population estimate used is named with its year; complete is false for a period with months missing or in progress";

/// The CSV header, exactly.
pub const MONTHLY_HEADER: &str = "month,la_code,la_name,measure,delayed_days,days_in_month,population_18plus,population_year,dtoc_beds,rate_per_100k_month,rate_per_100k_day,target_per_100k_day,target_days,rag,vs_target";

/// What the report is computed from: plain data read by the store.
pub struct Inputs<'a> {
    pub authorities: &'a [Authority],
    pub populations: &'a [Population],
    pub targets: &'a [Target],
}

/// The report and the notes a reader needs (missing populations, targets that could not be used).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Monthly {
    pub rows: Vec<MonthlyRow>,
    pub notes: Vec<String>,
}

/// Days of `month` counted as of `today`: the whole month when it is over, the days before today
/// while in progress, 0 for a month not yet begun.
pub fn days_counted(month: YearMonth, today: NaiveDate) -> u32 {
    if today >= month.end_exclusive() {
        month.days()
    } else if today <= month.first_day() {
        0
    } else {
        (today - month.first_day()).num_days() as u32
    }
}

fn estimates_by_la(populations: &[Population]) -> HashMap<&str, Vec<(i32, u64)>> {
    let mut m: HashMap<&str, Vec<(i32, u64)>> = HashMap::new();
    for p in populations {
        m.entry(p.la_code.as_str())
            .or_default()
            .push((p.year, p.population_18plus));
    }
    m
}

/// Delayed days per (month, authority, measure), for lookups (a hash map: the report looks up
/// every month × authority × measure once, and over years there are hundreds of thousands).
pub type Sums<'a> = HashMap<(YearMonth, &'a str, Measure), u64>;

/// [`Sums`] of totals by attribution ([`crate::store::Store::month_totals`]).
pub fn sums_of_totals(totals: &[MonthTotal]) -> Sums<'_> {
    let mut m = Sums::with_capacity(totals.len() * Measure::ALL.len());
    for t in totals {
        for measure in Measure::ALL {
            let days: u64 = Attribution::ALL
                .iter()
                .zip(t.days)
                .filter(|(a, _)| measure.includes(**a))
                .map(|(_, d)| d)
                .sum();
            m.insert((t.month, t.la_code.as_str(), measure), days);
        }
    }
    m
}

/// Monthly rows for `from..=to` and the authorities `las` (every known authority when empty), from
/// delayed days already summed by measure ([`sums_of_totals`]).
pub fn monthly_from_sums(
    sums: &Sums<'_>,
    inputs: &Inputs<'_>,
    from: YearMonth,
    to: YearMonth,
    las: &[String],
    today: NaiveDate,
) -> Monthly {
    let estimates = estimates_by_la(inputs.populations);
    let targets: HashMap<(&str, YearMonth, Measure), &Target> = inputs
        .targets
        .iter()
        .map(|t| ((t.la_code.as_str(), t.month, t.measure), t))
        .collect();
    let mut authorities: Vec<&Authority> = inputs
        .authorities
        .iter()
        .filter(|a| las.is_empty() || las.iter().any(|l| a.code == *l))
        .collect();
    authorities.sort_by(|a, b| a.code.cmp(&b.code));
    let mut out = Monthly::default();
    for code in las {
        if !inputs.authorities.iter().any(|a| &a.code == code) {
            out.notes
                .push(format!("{code}: no such authority in this database"));
        }
    }
    let mut noted_population: std::collections::HashSet<(&str, YearMonth)> = Default::default();
    for month in from.range_inclusive(to) {
        let counted = days_counted(month, today);
        if counted == 0 {
            if month == YearMonth::of(today) {
                out.notes.push(format!(
                    "{month} is left out: it began today, so no day of it is counted yet"
                ));
            }
            continue;
        }
        let full = month.days();
        for a in &authorities {
            let est = estimates
                .get(a.code.as_str())
                .map_or(&[][..], Vec::as_slice);
            let pop: Option<PopulationUsed> = rates::population_for_month(est, month);
            if pop.is_none() && noted_population.insert((a.code.as_str(), month)) && month == from {
                out.notes.push(format!(
                    "{} ({}) has no 18+ population estimate for {} or earlier: rates per 100,000 are blank",
                    a.display_name(),
                    a.code,
                    month.year
                ));
            }
            for measure in Measure::ALL {
                let days = sums
                    .get(&(month, a.code.as_str(), measure))
                    .copied()
                    .unwrap_or(0);
                let population = pop.map(|p| p.population);
                let beds = days as f64 / f64::from(counted);
                let per_month = population.map(|p| days as f64 / p as f64 * 100_000.0);
                let per_day = population.map(|p| beds / p as f64 * 100_000.0);
                let target = targets.get(&(a.code.as_str(), month, measure));
                let (t_days, t_day) = match target {
                    Some(t) => match target_days(t.unit, t.value, full, population) {
                        Ok(whole) => {
                            let part = whole * f64::from(counted) / f64::from(full);
                            let per_day =
                                population.map(|p| whole / f64::from(full) / p as f64 * 100_000.0);
                            (Some(part), per_day)
                        }
                        Err(e) => {
                            out.notes.push(format!(
                                "{} {} {} target not used: {e}",
                                a.code,
                                month,
                                measure.key()
                            ));
                            (None, None)
                        }
                    },
                    None => (None, None),
                };
                let assessment = t_days.map(|t| assess(days, t));
                out.rows.push(MonthlyRow {
                    month: month.into(),
                    la_code: a.code.clone(),
                    la_name: a.display_name().to_string(),
                    measure,
                    delayed_days: days,
                    days_in_month: counted,
                    population_18plus: population,
                    population_year: pop.map(|p| p.year),
                    dtoc_beds: beds,
                    rate_per_100k_month: per_month,
                    rate_per_100k_day: per_day,
                    target_per_100k_day: t_day,
                    target_days: t_days,
                    rag: assessment.as_ref().map(|x| x.rag),
                    vs_target: assessment.as_ref().map(|x| x.vs_target),
                    period: None,
                });
            }
        }
    }
    out
}

/// Quarter or financial-year rows from monthly rows: delayed days and target days summed; the
/// per-day figures (DTOC beds, rate, target rate) the mean of the monthly ones (ASCOF 2C); RAG on the
/// summed days against the summed target days. A period's rate is blank if any month's is.
pub fn by_period(monthly: &[MonthlyRow], period: Period) -> Vec<MonthlyRow> {
    if period == Period::Month {
        return monthly.to_vec();
    }
    type Key = (PeriodKey, LaCode, Measure);
    let mut groups: BTreeMap<Key, Vec<&MonthlyRow>> = BTreeMap::new();
    for r in monthly {
        let Some(m) = r.month.month() else {
            continue;
        };
        groups
            .entry((period.key_of(m), r.la_code.clone(), r.measure))
            .or_default()
            .push(r);
    }
    // The mean of the monthly rates (blank if any month's is): the ASCOF 2C mean of
    // `rates::aggregate_monthly_rates`.
    let mean = |rows: &[&MonthlyRow], rate: fn(&MonthlyRow) -> Option<f64>| -> Option<f64> {
        let series: Vec<(YearMonth, f64)> = rows
            .iter()
            .map(|r| Some((r.month.month()?, rate(r)?)))
            .collect::<Option<_>>()?;
        let means = rates::aggregate_monthly_rates(&series, period).ok()?;
        means.first().map(|p| p.mean)
    };
    let sum = |v: Vec<Option<f64>>| -> Option<f64> {
        v.into_iter()
            .collect::<Option<Vec<f64>>>()
            .map(|xs| xs.iter().sum())
    };
    groups
        .into_iter()
        .map(|((period, la_code, measure), rows)| {
            let days: u64 = rows.iter().map(|r| r.delayed_days).sum();
            let t_days = sum(rows.iter().map(|r| r.target_days).collect());
            let assessment = t_days.map(|t| assess(days, t));
            let last = rows[rows.len() - 1];
            let mut populations: Vec<PopulationUsed> = rows
                .iter()
                .filter_map(|r| {
                    Some(PopulationUsed {
                        year: r.population_year?,
                        population: r.population_18plus?,
                    })
                })
                .collect();
            populations.sort_by_key(|p| (p.year, p.population));
            populations.dedup();
            let full =
                |r: &&MonthlyRow| r.month.month().is_some_and(|m| m.days() == r.days_in_month);
            let cover = PeriodCover {
                months: rows.len(),
                of_months: period.months(),
                complete: rows.len() == period.months() && rows.iter().all(full),
                populations,
            };
            MonthlyRow {
                month: period,
                la_code,
                la_name: last.la_name.clone(),
                measure,
                delayed_days: days,
                days_in_month: rows.iter().map(|r| r.days_in_month).sum(),
                population_18plus: last.population_18plus,
                population_year: last.population_year,
                dtoc_beds: mean(&rows, |r| Some(r.dtoc_beds)).unwrap_or(f64::NAN),
                rate_per_100k_month: mean(&rows, |r| r.rate_per_100k_month),
                rate_per_100k_day: mean(&rows, |r| r.rate_per_100k_day),
                target_per_100k_day: mean(&rows, |r| r.target_per_100k_day),
                target_days: t_days,
                rag: assessment.as_ref().map(|x| x.rag),
                vs_target: assessment.as_ref().map(|x| x.vs_target),
                period: Some(cover),
            }
        })
        .collect()
}

/// The month in progress for one authority and measure: days so far and two month-end projections.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Forecast {
    pub month: YearMonth,
    pub la_code: LaCode,
    pub measure: Measure,
    pub days_so_far: u64,
    pub days_counted: u32,
    pub days_in_month: u32,
    /// Patients delayed at the start of today.
    pub delayed_now: u64,
    /// Days so far ÷ days counted × days in the month.
    pub run_rate_projection: f64,
    /// Days so far + every patient delayed now staying to the month's end.
    pub if_all_stay_projection: f64,
    /// The whole month's target in delayed days, where set.
    pub target_days: Option<f64>,
}

/// Forecasts for the month of `today` from its monthly rows (as of today) and today's open delays.
pub fn forecast(monthly: &[MonthlyRow], open: &[OpenCount], today: NaiveDate) -> Vec<Forecast> {
    let month = YearMonth::of(today);
    let key = PeriodKey::Month(month);
    let remaining = (month.end_exclusive() - today).num_days().max(0) as f64;
    monthly
        .iter()
        .filter(|r| r.month == key)
        .map(|r| {
            let delayed_now: u64 = open
                .iter()
                .filter(|o| o.la_code == r.la_code && r.measure.includes(o.attribution))
                .map(|o| o.patients)
                .sum();
            let counted = r.days_in_month.max(1);
            Forecast {
                month,
                la_code: r.la_code.clone(),
                measure: r.measure,
                days_so_far: r.delayed_days,
                days_counted: r.days_in_month,
                days_in_month: month.days(),
                delayed_now,
                run_rate_projection: r.delayed_days as f64 / f64::from(counted)
                    * f64::from(month.days()),
                if_all_stay_projection: r.delayed_days as f64 + delayed_now as f64 * remaining,
                target_days: r
                    .target_days
                    .map(|t| t * f64::from(month.days()) / f64::from(counted)),
            }
        })
        .collect()
}

/// The monthly report as a table: the columns of `MONTHLY_HEADER`. Delayed days are counts; DTOC
/// beds and the rates derive from them; in each period and authority the total is the sum of NHS,
/// Social Care and Both (for secondary suppression).
pub fn monthly_table(rows: &[MonthlyRow], title: &str) -> Table {
    if rows.iter().any(|r| r.period.is_some()) {
        return super::period_table::period_table(rows, title);
    }
    let mut t = Table::new(title, "Monthly report");
    let names: Vec<&str> = MONTHLY_HEADER.split(',').collect();
    let days = 4;
    for (i, name) in names.iter().enumerate() {
        match i {
            0..=3 | 13 | 14 => t.column(name, Kind::Text),
            4 => t.column(name, Kind::Count),
            5..=7 => t.column(name, Kind::Integer),
            8..=10 => t.derived_column(name, Kind::Rate, days),
            _ => t.column(name, Kind::Rate),
        };
    }
    fill_rows(&mut t, rows, |r| {
        vec![
            Value::opt_int(r.population_18plus),
            Value::opt_int(r.population_year.and_then(|y| u64::try_from(y).ok())),
        ]
    });
    t
}

/// Fills `t` (its columns declared) with one row per report row: period, authority, name, measure,
/// delayed days (column 4, a count), days; then `middle`'s cells; then DTOC beds, the rates, the
/// targets, RAG and significance. Each period and authority is an additive group (for secondary
/// suppression). Shared by the monthly and the quarter and year tables.
pub(super) fn fill_rows(
    t: &mut Table,
    rows: &[MonthlyRow],
    middle: impl Fn(&MonthlyRow) -> Vec<Value>,
) {
    let days = 4;
    let mut groups: BTreeMap<(PeriodKey, &str), Vec<(usize, usize)>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        groups
            .entry((r.month, r.la_code.as_str()))
            .or_default()
            .push((i, days));
        let mut row = vec![
            Value::Text(r.month.to_string()),
            Value::text(&r.la_code),
            Value::text(&r.la_name),
            Value::text(r.measure.key()),
            Value::Int(r.delayed_days),
            Value::Int(u64::from(r.days_in_month)),
        ];
        row.extend(middle(r));
        row.extend([
            Value::Real(r.dtoc_beds),
            Value::opt_real(r.rate_per_100k_month),
            Value::opt_real(r.rate_per_100k_day),
            Value::opt_real(r.target_per_100k_day),
            Value::opt_real(r.target_days),
            Value::text(r.rag.map_or("", |x| x.as_str())),
            Value::text(r.vs_target.map_or("", |x| x.as_str())),
        ]);
        t.rows.push(row);
    }
    for g in groups.into_values() {
        t.add_sum(g);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Attribution, ReasonCode, Setting, TargetUnit};
    use crate::store::CountRow;

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
        };
        let today = NaiveDate::from_ymd_opt(2020, 4, 1).unwrap();
        let m = monthly(&counts, &inputs, ym("2020-02"), ym("2020-02"), &[], today);
        assert_eq!(m.rows[0].days_in_month, 29);
        assert_eq!(m.rows[0].dtoc_beds, 2.0);
        assert_eq!(m.rows[0].rag, None);
    }
}
