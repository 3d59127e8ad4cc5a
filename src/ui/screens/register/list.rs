//! The register's list (issue 15): the local id column sized to the longest id so an identifier
//! is never cut, the other columns giving way with `…`, authority names instead of codes, ward and
//! bed, the expected discharge date (highlighted once passed), and a legend line that explains
//! every abbreviation. Also the `/` filter's NHS-number match.

use crate::domain::{NhsNumber, Placement};
use crate::store::DelayRow;
use crate::ui::app::App;
use crate::ui::strings as s;
use crate::ui::widgets::table::{self, widest, Cell, Col};
use chrono::NaiveDate;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui::Frame;

/// Whether a typed filter (lower case, trimmed) is a full or partial NHS number found in `nhs`:
/// digits typed with or without spaces, at least three of them.
pub fn nhs_matches(nhs: Option<&NhsNumber>, q: &str) -> bool {
    let digits: String = q.chars().filter(|c| !c.is_whitespace()).collect();
    digits.len() >= 3
        && digits.chars().all(|c| c.is_ascii_digit())
        && nhs.is_some_and(|n| n.as_str().contains(&digits))
}

/// `ward / bed` of a delay's stay, or empty.
pub fn ward_bed(d: &DelayRow) -> String {
    Placement::label(d.ward.as_deref(), d.bed.as_deref())
}

/// The masked NHS number; at 80 columns its short form `*** 5919`.
pub fn masked_nhs(d: &DelayRow, short: bool) -> String {
    d.nhs_number.as_ref().map_or(String::new(), |n| {
        let m = n.masked();
        if short {
            m.replacen("*** ", "", 1)
        } else {
            m
        }
    })
}

/// A date in a list: ISO, or `dd/mm/yy` at 80 columns.
pub fn list_date(d: NaiveDate, short: bool) -> String {
    if short {
        d.format("%d/%m/%y").to_string()
    } else {
        d.to_string()
    }
}

/// The mark of an expected discharge date that has passed (beside the colour, so it shows
/// under `NO_COLOR` and to a reader who does not see colour).
pub const OVERDUE_MARK: char = '!';

/// The expected discharge date as a cell: highlighted and marked `!` when it has passed on an
/// open delay.
pub fn expected_cell(d: &DelayRow, today: NaiveDate, short: bool) -> Cell {
    let overdue = d.ended_on.is_none() && Placement::overdue(d.expected_on, today);
    let text = d.expected_on.map_or(String::new(), |e| {
        let mut t = if short {
            e.format("%d/%m").to_string()
        } else {
            e.to_string()
        };
        if overdue {
            t.push(OVERDUE_MARK);
        }
        t
    });
    Cell::warn(text, overdue)
}

/// The local id column: as wide as the longest id of `rows` (never cut).
pub fn id_col(rows: &[&DelayRow]) -> Col {
    Col::exact(id_col_width(rows))
}

/// The width of the local id column for `rows`.
pub fn id_col_width(rows: &[&DelayRow]) -> u16 {
    widest("Local id", rows.iter().map(|d| d.local_id.as_str()))
}

/// The width the widest of `f`'s values needs (capped at `max`).
pub fn want(rows: &[&DelayRow], header: &str, max: u16, f: impl Fn(&DelayRow) -> String) -> u16 {
    let vals: Vec<String> = rows.iter().map(|d| f(d)).collect();
    widest(header, vals.iter().map(String::as_str)).min(max)
}

/// What the list's column widths were measured for: the rows' generation
/// ([`App::rows_changed`]), the filters and the layout.
type FitKey = (
    u64,
    String,
    Option<crate::domain::ReasonCode>,
    Option<crate::domain::Attribution>,
    Option<String>,
    Option<String>,
    bool,
);

/// The widths the list's columns want (id, site, ward, authority; any expected date).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fit {
    id: u16,
    site: u16,
    ward: u16,
    la: u16,
    expected: bool,
}

/// The widths measured for the rows shown, kept until the rows or the filters change: measuring
/// 10,000 rows on every frame cost more than drawing the page.
#[derive(Debug, Clone, Default)]
pub struct FitCache(std::cell::RefCell<Option<(FitKey, Fit)>>);

/// The list's widths for `rows`, from the cache when measured for the same rows.
fn fit_of(app: &App, rows: &[&DelayRow], wide: bool) -> Fit {
    let r = &app.screens.register;
    let key: FitKey = (
        app.rows_changed,
        r.query.value().to_string(),
        r.reason,
        r.attribution,
        r.la.clone(),
        r.site.clone(),
        wide,
    );
    if let Some((k, fit)) = r.fit.0.borrow().as_ref() {
        if *k == key {
            return *fit;
        }
    }
    let fit = Fit {
        id: id_col_width(rows),
        site: want_str(rows, "Site", if wide { 12 } else { 8 }, |d| &d.site_code),
        ward: want(rows, "", if wide { 24 } else { 20 }, ward_bed),
        la: if wide {
            la_width(app, rows, "Authority", 24)
        } else {
            la_width(app, rows, "LA", 14)
        },
        expected: rows.iter().any(|d| d.expected_on.is_some()),
    };
    *r.fit.0.borrow_mut() = Some((key, fit));
    fit
}

/// The width the widest of `f`'s values needs (capped at `max`), without copying them.
pub fn want_str(rows: &[&DelayRow], header: &str, max: u16, f: impl Fn(&DelayRow) -> &str) -> u16 {
    widest(header, rows.iter().map(|d| f(d))).min(max)
}

/// The width the authority labels of `rows` need (capped at `max`): each authority's label
/// measured once.
pub fn la_width(app: &App, rows: &[&DelayRow], header: &str, max: u16) -> u16 {
    let mut seen: std::collections::HashMap<&str, u16> = std::collections::HashMap::new();
    let mut w = widest(header, std::iter::empty());
    for d in rows {
        let lw = *seen.entry(d.la_code.as_str()).or_insert_with(|| {
            widest(
                "",
                std::iter::once(crate::ui::screens::la_label(app, &d.la_code).as_str()),
            )
        });
        w = w.max(lw);
    }
    w.min(max)
}

/// Draws the list and its legend line.
pub fn render(frame: &mut Frame, area: Rect, app: &App, rows: &[&DelayRow], selected: usize) {
    let t = &app.theme;
    let [list_area, legend] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(1)]).areas(area);
    let wide = area.width >= 120;
    let today = app.today;
    // Ward and expected columns only when some row has them.
    let fit = fit_of(app, rows, wide);
    let (ward_w, exp_any) = (fit.ward, fit.expected);
    let (header, cols): (Vec<&str>, Vec<Col>) = if wide {
        (
            s::REGISTER_HEADER_160.to_vec(),
            vec![
                Col::exact(fit.id),
                Col::exact(12),
                Col::new(4, fit.site),
                Col::optional(ward_w.max(10) * u16::from(ward_w > 0), 8),
                Col::new(9, fit.la).first(),
                Col::exact(11),
                Col::exact(4),
                Col::new(12, 44).grow(),
                Col::exact(11),
                Col::optional(11 * u16::from(exp_any), 11),
                Col::exact(4),
                Col::exact(3),
            ],
        )
    } else {
        (
            s::REGISTER_HEADER_80.to_vec(),
            vec![
                Col::exact(fit.id),
                Col::exact(8),
                Col::new(3, fit.site),
                // The ward at least 10 wide (whole as a rule): a patient's place is what a
                // coordinator reads by.
                Col::optional(ward_w.max(8) * u16::from(ward_w > 0), ward_w.min(10)),
                Col::new(4, fit.la).first().grow(),
                Col::exact(9),
                Col::exact(4),
                Col::exact(3),
                Col::exact(4),
                Col::optional(6 * u16::from(exp_any), 6),
                Col::exact(1),
            ],
        )
    };
    // Filtered: how many of the register's rows show, and an empty list says why.
    let all = app.data.delays.len();
    let (title, empty) = if rows.len() < all {
        (
            format!(" {} ({} of {all}) ", super::TITLE, rows.len()),
            s::NO_DELAYS_MATCH,
        )
    } else {
        (format!(" {} ({}) ", super::TITLE, rows.len()), s::NO_DELAYS)
    };
    table::render_fitted(
        frame,
        list_area,
        title,
        &header,
        &cols,
        rows.len(),
        Some(selected),
        empty,
        t,
        |i| {
            rows.get(i)
                .map_or_else(Vec::new, |d| cells(d, app, wide, today))
        },
    );
    let text = if wide {
        s::REGISTER_LEGEND_160
    } else {
        s::REGISTER_LEGEND_80
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            crate::ui::screens::cut(text, usize::from(legend.width)),
            t.dim(),
        )),
        legend,
    );
}

/// The responsible organisation in four characters (the 80-column list).
pub fn attribution_short(a: crate::domain::Attribution) -> &'static str {
    use crate::domain::Attribution as A;
    match a {
        A::Nhs => "NHS",
        A::SocialCare => "SC",
        A::Both => "Both",
    }
}

/// One row's cells, in the header's order.
fn cells(d: &DelayRow, app: &App, wide: bool, today: NaiveDate) -> Vec<Cell> {
    let nhs = masked_nhs(d, !wide);
    let not_reviewed = d.reviewed_on != Some(today) && d.ended_on.is_none();
    let mut ready = list_date(d.ready_on, !wide);
    if d.ended_on.is_some() {
        ready.push('*');
    } else if not_reviewed && !wide {
        // At 80 columns the `!` rides on the ready date (the legend says so).
        ready.push('!');
    }
    let la = crate::ui::screens::la_label(app, &d.la_code);
    let path = d
        .planned_pathway
        .map(|p| p.number().to_string())
        .unwrap_or_default();
    let mut out: Vec<Cell> = vec![
        d.local_id.clone().into(),
        nhs.into(),
        d.site_code.clone().into(),
        ward_bed(d).into(),
        la.into(),
        ready.into(),
        d.days_delayed(today).to_string().into(),
    ];
    if wide {
        out.extend([
            Cell::coded(d.reason.code(), d.reason.label()),
            d.attribution.label().to_string().into(),
            expected_cell(d, today, false),
            path.into(),
            if not_reviewed { s::NOT_MARKED } else { "" }
                .to_string()
                .into(),
        ]);
    } else {
        out.extend([
            d.reason.code().to_string().into(),
            attribution_short(d.attribution).to_string().into(),
            expected_cell(d, today, true),
            path.into(),
        ]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_nhs_number_matches_in_full_or_in_part_with_or_without_spaces() {
        let n = NhsNumber::parse("9434765919").expect("valid");
        assert!(nhs_matches(Some(&n), "9434765919"));
        assert!(nhs_matches(Some(&n), "943 476 5919"));
        assert!(nhs_matches(Some(&n), "476 59"));
        assert!(nhs_matches(Some(&n), "5919"));
        assert!(!nhs_matches(Some(&n), "5918"));
        // Too short to mean a number, or not digits, or no number stored.
        assert!(!nhs_matches(Some(&n), "59"));
        assert!(!nhs_matches(Some(&n), "e10"));
        assert!(!nhs_matches(None, "5919"));
    }
}
