//! Screen 5: delayed days by month × authority × measure, per day and (local) rate per 100,000.

use super::{cut, la_label, months};
use crate::domain::{Measure, YearMonth};
use crate::ui::app::App;
use crate::ui::rates;
use crate::ui::strings as s;
use crate::ui::widgets::table;
use ratatui::layout::{Constraint, Rect};
use std::path::Path;

/// One line of the report: a month and authority with days by measure.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub month: YearMonth,
    pub la_code: String,
    /// total, nhs, social_care, both.
    pub days: [u64; 4],
    pub per_day: f64,
    /// (rate per 100k per day, population year used).
    pub rate: Option<(f64, i32)>,
}

/// Newest month first, then authority.
pub fn rows(app: &App) -> Vec<ReportRow> {
    let mut out = Vec::new();
    for m in months(app).into_iter().rev() {
        for a in &app.data.authorities {
            let mut days = [0u64; 4];
            for c in app
                .data
                .counts
                .iter()
                .filter(|c| c.month == m && c.la_code == a.code)
            {
                for (i, meas) in Measure::ALL.iter().enumerate() {
                    if meas.includes(c.attribution) {
                        days[i] += c.days;
                    }
                }
            }
            let rate =
                rates::population_for(&app.data.populations, &a.code, m).and_then(|(y, p)| {
                    rates::rate_from_per_day(rates::per_day_so_far(days[0], m, app.today), p)
                        .map(|r| (r, y))
                });
            out.push(ReportRow {
                month: m,
                la_code: a.code.clone(),
                days,
                per_day: rates::per_day_so_far(days[0], m, app.today),
                rate,
            });
        }
    }
    out
}

/// Writes the report rows as CSV (aggregates only: no patient data).
pub fn export_csv(app: &App, path: &Path) -> crate::Result<()> {
    let io = |e: std::io::Error| crate::Error::Io {
        path: path.to_path_buf(),
        source: e,
    };
    let mut w = csv::Writer::from_path(path).map_err(|e| crate::Error::invalid(e.to_string()))?;
    let csv_err = |e: csv::Error| crate::Error::invalid(e.to_string());
    w.write_record([
        "month",
        "la_code",
        "total",
        "nhs",
        "social_care",
        "both",
        "days_per_day",
        "rate_per_100k_day",
        "population_year",
    ])
    .map_err(csv_err)?;
    for r in rows(app) {
        w.write_record([
            r.month.key(),
            r.la_code.clone(),
            r.days[0].to_string(),
            r.days[1].to_string(),
            r.days[2].to_string(),
            r.days[3].to_string(),
            format!("{:.2}", r.per_day),
            r.rate.map(|x| format!("{:.2}", x.0)).unwrap_or_default(),
            r.rate.map(|x| x.1.to_string()).unwrap_or_default(),
        ])
        .map_err(csv_err)?;
    }
    w.flush().map_err(io)?;
    Ok(())
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    if app.report.chart {
        super::dashboard::chart(frame, area, app);
        return;
    }
    let rs = rows(app);
    table::render(
        frame,
        area,
        format!(" {}: delayed days by measure ", s::SCREEN_TITLES[4]),
        &s::REPORT_HEADER,
        &[
            Constraint::Length(7),
            Constraint::Min(10),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(6),
            Constraint::Length(8),
            Constraint::Length(6),
        ],
        rs.len(),
        Some(app.report.selected),
        s::NO_AUTHORITIES,
        &app.theme,
        |i| {
            let Some(r) = rs.get(i) else {
                return Vec::new();
            };
            vec![
                r.month.key(),
                cut(&la_label(app, &r.la_code), 20),
                r.days[0].to_string(),
                r.days[1].to_string(),
                r.days[2].to_string(),
                r.days[3].to_string(),
                format!("{:.1}", r.per_day),
                r.rate.map_or("-".to_string(), |x| format!("{:.2}", x.0)),
                r.rate.map_or("-".to_string(), |x| x.1.to_string()),
            ]
        },
    );
}

use ratatui::Frame;
