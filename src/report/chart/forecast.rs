//! The forecast chart: each pathway queue's last weeks and its forecast (median dashed, the
//! interval shaded), as `report forecast` computes it.

use super::*;

/// One queue on the forecast chart: its recent days as they were, then the forecast's median with
/// its interval.
pub struct ForecastLine {
    pub name: String,
    /// People waiting at the end of each past day (the first days of [`ForecastChart::days`]).
    pub past: Vec<u32>,
    /// The base case's queue for each day ahead (the days after them).
    pub ahead: Vec<crate::report::forecast::Band>,
}

/// The forecast chart: each pathway queue's last weeks and its forecast (median dashed, the
/// interval shaded).
pub struct ForecastChart<'a> {
    pub title: &'a str,
    /// Every day on the axis, past then ahead.
    pub days: &'a [NaiveDate],
    pub lines: &'a [ForecastLine],
}

/// The colours of the pathway queues, in the order drawn.
const QUEUE_COLOURS: [RGBColor; 5] = [NHS_BLUE, SOCIAL_CARE, BOTH, CONCERN, MDC_COMMON];

impl Chart for ForecastChart<'_> {
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> DrawResult<DB> {
        // Mondays are labelled with the date; the other days are not.
        let labels: Vec<String> = self
            .days
            .iter()
            .map(|d| {
                if d.weekday() == chrono::Weekday::Mon {
                    d.format("%-d %b").to_string()
                } else {
                    String::new()
                }
            })
            .collect();
        let top = self.axis_values().into_iter().fold(0.0, f64::max);
        let mut chart = frame(
            root,
            self.title,
            &labels,
            (
                "day (the shaded part: the forecast's 85% interval)",
                "people waiting",
            ),
            (0.0, (top * 1.1).max(5.0)),
            YAxis::People,
        )?;
        for (line, colour) in self.lines.iter().zip(QUEUE_COLOURS.iter().cycle()) {
            let style = colour.stroke_width(3);
            let p = line.past.len();
            let past: Vec<(f64, f64)> = line
                .past
                .iter()
                .enumerate()
                .map(|(i, &q)| (i as f64, f64::from(q)))
                .collect();
            let x = |t: usize| (p + t) as f64;
            let mut band: Vec<(f64, f64)> = line
                .ahead
                .iter()
                .enumerate()
                .map(|(t, b)| (x(t), f64::from(b.high)))
                .collect();
            band.extend(
                line.ahead
                    .iter()
                    .enumerate()
                    .rev()
                    .map(|(t, b)| (x(t), f64::from(b.low))),
            );
            chart.draw_series(std::iter::once(Polygon::new(
                band,
                colour.mix(0.18).filled(),
            )))?;
            chart
                .draw_series(LineSeries::new(past.iter().copied(), style))?
                .label(line.name.as_str())
                .legend(line_key(style));
            let ahead: Vec<(f64, f64)> = past
                .last()
                .copied()
                .into_iter()
                .chain(
                    line.ahead
                        .iter()
                        .enumerate()
                        .map(|(t, b)| (x(t), f64::from(b.median))),
                )
                .collect();
            chart.draw_series(DashedLineSeries::new(ahead, 8, 6, colour.stroke_width(2)))?;
        }
        finish(root, &mut chart)
    }

    fn axis_values(&self) -> Vec<f64> {
        self.lines
            .iter()
            .flat_map(|l| {
                l.past
                    .iter()
                    .copied()
                    .chain(l.ahead.iter().map(|b| b.high))
                    .map(f64::from)
            })
            .collect()
    }
}
