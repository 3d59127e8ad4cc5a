//! The Discharge Ready Date chart: an authority's average delay from the DRD to discharge each
//! month, over all discharges of stays of one night or more (the Better Care Fund 2025/26 "average
//! length of discharge delay", 0-day delays included) and over the delays of a day or more, with
//! the month's target (`average_delay_days`) as a bar across its month, as `report drd` computes
//! them.

use super::*;
use crate::report::discharge::DrdRow;

/// One month of the DRD chart.
#[derive(Debug, Clone, PartialEq)]
pub struct DrdPoint {
    pub month: YearMonth,
    /// Discharges measured (stays of one night or more).
    pub discharges: u64,
    /// Average delay over all of them; `None` with no discharge (a gap).
    pub average: Option<f64>,
    /// Average over the delays of one day or more.
    pub average_excluding_0: Option<f64>,
    /// The month's target in days, when set.
    pub target: Option<f64>,
}

/// The chart's points: the rows of authority `la` of [`crate::report::discharge::drd`], one per
/// month of `months` (a month with no row has no average).
pub fn drd_series(rows: &[DrdRow], months: &[YearMonth], la: &str) -> Vec<DrdPoint> {
    months
        .iter()
        .map(|&month| {
            let row = rows
                .iter()
                .find(|r| r.month == month && matches!(&r.level, Level::Authority(c) if c == la));
            DrdPoint {
                month,
                discharges: row.map_or(0, |r| r.discharges),
                average: row.and_then(|r| r.average_days),
                average_excluding_0: row.and_then(|r| r.average_days_excluding_0),
                target: row
                    .and_then(|r| r.average_delay_target.as_ref())
                    .map(|t| t.target_percent),
            }
        })
        .collect()
}

/// The DRD chart: average delay each month (with and without 0-day delays) and the target.
pub struct DrdChart<'a> {
    pub title: &'a str,
    pub points: &'a [DrdPoint],
}

impl Chart for DrdChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        let labels: Vec<String> = self.points.iter().map(|p| short_month(p.month)).collect();
        let top = self.axis_values().into_iter().fold(0.0, f64::max);
        let mut chart = frame(
            root,
            self.title,
            &labels,
            ("month of discharge", "days from ready date to discharge"),
            (0.0, (top * 1.15).max(1.0)),
            YAxis::Measure,
        )?;
        type Pick = fn(&DrdPoint) -> Option<f64>;
        let lines: [(&str, RGBColor, Pick, bool); 3] = [
            (
                "Average delay, all discharges (BCF)",
                NHS_BLUE,
                |p| p.average,
                false,
            ),
            (
                "Average of delays of 1+ days",
                MDC_COMMON,
                |p| p.average_excluding_0,
                false,
            ),
            ("Target", TARGET_RED, |p| p.target, true),
        ];
        for (name, colour, pick, dashed) in lines {
            let style = colour.stroke_width(if dashed { 2 } else { 3 });
            if dashed {
                // The target as a bar across each month that has one (a month's target stands
                // alone: a single month is seen too).
                let bars = self.points.iter().enumerate().filter_map(|(i, p)| {
                    let x = i as f64;
                    pick(p).map(|v| PathElement::new(vec![(x - 0.4, v), (x + 0.4, v)], style))
                });
                let s = chart.draw_series(bars)?;
                if self.points.iter().any(|p| pick(p).is_some()) {
                    s.label(name).legend(line_key(style));
                }
                continue;
            }
            let mut first = true;
            for run in runs(self.points, pick) {
                let s = chart.draw_series(LineSeries::new(run.iter().copied(), style))?;
                if std::mem::take(&mut first) {
                    s.label(name).legend(line_key(style));
                }
            }
            {
                chart.draw_series(self.points.iter().enumerate().filter_map(|(i, p)| {
                    pick(p).map(|v| Circle::new((i as f64, v), 4, colour.filled()))
                }))?;
            }
        }
        finish(root, &mut chart)
    }

    fn axis_values(&self) -> Vec<f64> {
        self.points
            .iter()
            .flat_map(|p| [p.average, p.average_excluding_0, p.target])
            .flatten()
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{EndKind, LaCode, ShareMeasure, StayDelay, StayFacts};
    use crate::report::discharge::{drd, Targets};
    use crate::store::DischargeTarget;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn left(id: i64, admitted: &str, ready: Option<&str>, out: &str) -> StayFacts {
        StayFacts {
            stay_id: id,
            local_id: format!("S{id}"),
            site_code: "S".into(),
            la_code: LaCode::parse("E06000017").unwrap(),
            admitted_on: d(admitted),
            discharged_on: Some(d(out)),
            pathway: None,
            destination: None,
            usual_residence: None,
            delays: ready
                .map(|r| StayDelay {
                    ready_on: d(r),
                    ended_on: Some(d(out)),
                    end_kind: Some(EndKind::Discharged),
                    periods: Vec::new(),
                })
                .into_iter()
                .collect(),
        }
    }

    #[test]
    fn drd_points_are_the_authoritys_averages_with_the_target_and_gaps() {
        let stays = vec![
            // January: 4 days, 0 (no ready date: left on its DRD), 2 days; a same-day stay apart.
            left(1, "2024-01-01", Some("2024-01-06"), "2024-01-10"),
            left(2, "2024-01-02", None, "2024-01-05"),
            left(3, "2024-01-03", Some("2024-01-08"), "2024-01-10"),
            left(4, "2024-01-09", None, "2024-01-09"),
            // March: 1 day. February: none (a gap).
            left(5, "2024-03-01", Some("2024-03-04"), "2024-03-05"),
        ];
        let jan = YearMonth::new(2024, 1).unwrap();
        let targets = Targets::new(&[DischargeTarget {
            la_code: LaCode::parse("E06000017").unwrap(),
            month: jan,
            measure: ShareMeasure::AverageDelay,
            percent: 1.5,
        }]);
        let months = [jan, jan.add_months(1), jan.add_months(2)];
        let rows = drd(&stays, months[0], months[2], &targets);
        let p = drd_series(&rows, &months, "E06000017");
        // (4 + 0 + 2) / 3 = 2.0 over all; (4 + 2) / 2 = 3.0 over the delays of 1+ days.
        assert_eq!(p[0].discharges, 3);
        assert_eq!(p[0].average, Some(2.0));
        assert_eq!(p[0].average_excluding_0, Some(3.0));
        assert_eq!(p[0].target, Some(1.5));
        assert_eq!((p[1].average, p[1].target), (None, None));
        assert_eq!(p[2].average, Some(1.0));
        let lines = runs(&p, |x: &DrdPoint| x.average);
        assert_eq!(lines, vec![vec![(0.0, 2.0)], vec![(2.0, 1.0)]]);
        let svg = render_svg(
            (800, 500),
            &DrdChart {
                title: "Rutland: average delay from DRD",
                points: &p,
            },
        )
        .unwrap();
        assert!(svg.contains("Average delay, all discharges (BCF)"), "{svg}");
    }
}
