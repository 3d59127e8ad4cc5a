//! The census step's form (today's inpatients by site and authority, and optionally by ward,
//! adding up to the site) and the census figures the round and its totals show.

use super::BoardPhase;
use crate::domain::{LaCode, SiteWards};
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::strings as s;
use crate::ui::widgets::form::{Field, FieldKind, Form};

/// The day's inpatients, one field per (site, authority) cell, in `cells` order, then one per
/// ward of the sites that have wards (optional; a site's ward figures add up to its cells).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CensusForm {
    /// (site code, authority code) of each field.
    pub cells: Vec<(String, LaCode)>,
    /// (site code, ward code) of each field after the cells.
    pub wards: Vec<(String, String)>,
}

impl CensusForm {
    pub fn open(app: &mut App) {
        let mut cells = Vec::new();
        let mut fields = Vec::new();
        for site in &app.data.sites {
            for la in &app.data.authorities {
                let existing = app
                    .data
                    .census
                    .iter()
                    .find(|(s, l, _)| s == &site.code && l == &la.code)
                    .map(|c| c.2.to_string())
                    .unwrap_or_default();
                fields.push(
                    Field::new(
                        format!("{} / {}", site.code, la.display_name()),
                        FieldKind::Number,
                        false,
                    )
                    .with_value(existing),
                );
                cells.push((site.code.clone(), la.code.clone()));
            }
        }
        if cells.is_empty() {
            app.screens.board.phase = BoardPhase::Summary;
            return;
        }
        let mut wards = Vec::new();
        for w in &app.data.wards {
            let existing = app
                .data
                .census_wards
                .iter()
                .find(|(s, c, _)| s == &w.site_code && c.eq_ignore_ascii_case(&w.code))
                .map(|c| c.2.to_string())
                .unwrap_or_default();
            fields.push(
                Field::new(
                    format!("{} {} {}", w.site_code, s::CENSUS_WARD, w.code),
                    FieldKind::Number,
                    false,
                )
                .with_value(existing),
            );
            wards.push((w.site_code.clone(), w.code.clone()));
        }
        let spec = CensusForm { cells, wards };
        let mut form = Form::new(s::FORM_CENSUS, fields);
        form.note = Some(spec.note(&form));
        app.form = Some(ActiveForm::new(spec, form));
    }

    /// The figures by ward of each site that has wards (none filled: the site has none).
    pub fn wards(&self, f: &Form) -> crate::Result<Vec<SiteWards>> {
        let mut out: Vec<SiteWards> = Vec::new();
        for (j, (site, ward)) in self.wards.iter().enumerate() {
            if out.last().is_none_or(|x| &x.site != site) {
                out.push(SiteWards {
                    site: site.clone(),
                    wards: Vec::new(),
                });
            }
            let v = f.value(self.cells.len() + j);
            if v.is_empty() {
                continue;
            }
            let n: u32 = v
                .parse()
                .map_err(|_| crate::Error::invalid(s::ERR_NOT_NUMBER.to_string()))?;
            if let Some(x) = out.last_mut() {
                x.wards.push((ward.clone(), n));
            }
        }
        Ok(out)
    }

    /// The cells still empty and, for each site with ward figures typed, their sum beside the
    /// site's: `RX1 wards 35 of 40`.
    fn note(&self, f: &Form) -> String {
        let mut note = census_note(f, self.cells.len());
        let (Ok(cells), Ok(wards)) = (self.command(f), self.wards(f)) else {
            return note;
        };
        for site in wards.iter().filter(|x| !x.wards.is_empty()) {
            let total: u32 = cells.iter().filter(|c| c.0 == site.site).map(|c| c.2).sum();
            let sum: u32 = site.wards.iter().map(|w| w.1).sum();
            note.push_str(&format!("; {} wards {sum} of {total}", site.site));
        }
        note
    }

    /// The cells filled in: (site, authority, inpatients).
    pub fn command(&self, f: &Form) -> crate::Result<Vec<(String, LaCode, u32)>> {
        let inv = |m: String| crate::Error::invalid(m);
        let mut out = Vec::new();
        for (i, (site, la_code)) in self.cells.iter().enumerate() {
            let v = f.value(i);
            if v.is_empty() {
                continue;
            }
            let n: u32 = v.parse().map_err(|_| inv(s::ERR_NOT_NUMBER.to_string()))?;
            out.push((site.clone(), la_code.clone(), n));
        }
        Ok(out)
    }
}

/// Which cells are still empty: "3 of 15 cells missing: RX1 / Rutland, …".
fn census_note(f: &Form, n: usize) -> String {
    let missing: Vec<&str> = f
        .fields
        .iter()
        .take(n)
        .filter(|x| x.value().is_empty())
        .map(|x| x.label.as_str())
        .collect();
    if missing.is_empty() {
        return format!("all {n} cells filled");
    }
    let shown: Vec<&str> = missing.iter().take(4).copied().collect();
    format!(
        "{} of {n} cells {}: {}{}",
        missing.len(),
        s::CENSUS_MISSING,
        shown.join(", "),
        if missing.len() > shown.len() {
            ", …"
        } else {
            ""
        }
    )
}

impl FormSpec for CensusForm {
    /// The whole census in one transaction; a census with empty cells is saved, and said to be
    /// partial.
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let cells = self.command(f)?;
        let wards = self.wards(f)?;
        app.store.set_census_by_ward(app.today, &cells, &wards)?;
        let note = (cells.len() < self.cells.len()).then(|| {
            format!(
                "partial census: {} of {} cells",
                cells.len(),
                self.cells.len()
            )
        });
        Ok(Saved::note(note))
    }

    fn changed(&self, f: &mut Form, _app: &App, _typed: bool) {
        f.note = Some(self.note(f));
    }

    fn saved(&self, app: &mut App) {
        app.screens.board.phase = BoardPhase::Summary;
    }
}

/// The census's coverage today: (sites with every authority's cell filled, sites).
pub fn census_coverage(app: &App) -> (usize, usize) {
    let sites: Vec<&str> = app.data.sites.iter().map(|x| x.code.as_str()).collect();
    crate::domain::census_coverage(
        app.data.census.iter().map(|c| c.0.as_str()),
        &sites,
        app.data.authorities.len(),
    )
}

/// The census's inpatients and its source, for the shares it feeds: `440 inpatients (census)`
/// or `…, census incomplete (3 of 5 sites)`.
pub fn census_label(app: &App) -> String {
    if app.data.census.is_empty() {
        return s::NO_CENSUS_TODAY.to_string();
    }
    let inpatients: u32 = app.data.census.iter().map(|c| c.2).sum();
    let (k, n) = census_coverage(app);
    if k < n {
        format!("{inpatients} inpatients, {}", s::census_incomplete(k, n))
    } else {
        format!("{inpatients} inpatients ({})", s::DENOM_CENSUS)
    }
}

/// Today's census by ward of each site that has it, with the site's total:
/// `RX1: 40 inpatients, by ward W7 25 · W10 15`.
pub fn census_ward_lines(app: &App) -> Vec<String> {
    let mut out = Vec::new();
    for site in &app.data.sites {
        let wards: Vec<String> = app
            .data
            .census_wards
            .iter()
            .filter(|w| w.0 == site.code)
            .map(|w| format!("{} {}", w.1, w.2))
            .collect();
        if wards.is_empty() {
            continue;
        }
        let total: u32 = app
            .data
            .census
            .iter()
            .filter(|c| c.0 == site.code)
            .map(|c| c.2)
            .sum();
        out.push(format!(
            "{}: {total} inpatients, {} {}",
            site.code,
            s::CENSUS_BY_WARD,
            wards.join(" · ")
        ));
    }
    out
}
