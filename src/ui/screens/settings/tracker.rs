//! The tracker import of the settings screen (`i`): the hub's own spreadsheet, read as
//! `dtoc import tracker` reads it. The first Enter shows how it is read (the mapping, the first
//! rows, every row refused); a second Enter with the same entries imports it through the delays
//! import (all or nothing, one transaction), and the mapping is kept for the next time.

use crate::commands::tracker::{
    mapping_line, parse_set, preview, reading_lines, row_lines, store_preview, verdict, Preview, TrackerRequest,
};
use crate::progress::Silent;
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::widgets::form::{Field, FieldKind, Form};
use std::cell::RefCell;
use std::path::PathBuf;

pub const FORM_TRACKER: &str = " Import your tracker (.xlsx/.csv): Enter previews, Enter again imports ";
pub const F_TRACKER_FILE: &str = "Tracker file (path)";
pub const F_TRACKER_SHEET: &str = "Sheet (blank: found)";
pub const F_TRACKER_MAPPING: &str = "Mapping file (blank: kept)";
pub const F_TRACKER_SET: &str = "Every row (col=value, ...)";
/// How many rows the app's preview shows.
const APP_PREVIEW_ROWS: usize = 2;
/// How many refusals the app lists.
const APP_REFUSALS: usize = 3;

/// The form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum TrackerField {
    File,
    Sheet,
    Mapping,
    Set,
}

/// The tracker import: the entries last previewed and their preview.
#[derive(Debug, Default)]
pub struct TrackerForm {
    previewed: RefCell<Option<(Vec<String>, Preview)>>,
}

impl TrackerForm {
    pub fn open(app: &mut App) {
        let fields = vec![
            Field::new(F_TRACKER_FILE, FieldKind::Text, true),
            Field::new(F_TRACKER_SHEET, FieldKind::Text, false),
            Field::new(F_TRACKER_MAPPING, FieldKind::Text, false),
            Field::new(F_TRACKER_SET, FieldKind::Text, false),
        ];
        app.form = Some(ActiveForm::new(
            TrackerForm::default(),
            Form::new(FORM_TRACKER, fields),
        ));
    }

    fn entries(f: &Form) -> Vec<String> {
        (0..4).map(|i| f.value(i).trim().to_string()).collect()
    }

    /// The request of the form's entries, or why they are not one.
    fn request(f: &Form) -> Result<TrackerRequest, String> {
        let v = |x: TrackerField| f.value(x as usize).trim();
        let opt = |x: TrackerField| Some(v(x).to_string()).filter(|s| !s.is_empty());
        let set = v(TrackerField::Set)
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(parse_set)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TrackerRequest {
            file: PathBuf::from(v(TrackerField::File)),
            sheet: opt(TrackerField::Sheet),
            header_row: None,
            mapping: opt(TrackerField::Mapping).map(PathBuf::from),
            set,
            max_bytes: crate::import::DEFAULT_MAX_BYTES,
        })
    }
}

/// The preview in a few lines: how it is read, the first rows, the refusals, the verdict.
fn shown(p: &Preview) -> String {
    let reading = reading_lines(p);
    let mut lines: Vec<String> = reading.iter().take(1).cloned().collect();
    lines.push(verdict(p));
    lines.push(mapping_line(p));
    lines.extend(
        reading
            .iter()
            .filter(|l| l.starts_with("Not read") || l.starts_with("Needed"))
            .cloned(),
    );
    for e in p.read.refusals.iter().take(APP_REFUSALS) {
        lines.push(e.to_string());
    }
    if p.read.refusals.len() > APP_REFUSALS {
        lines.push(format!(
            "and {} more refused (dtoc import tracker --dry-run lists them all)",
            p.read.refusals.len() - APP_REFUSALS
        ));
    }
    for r in row_lines(p, APP_PREVIEW_ROWS).iter().skip(1) {
        let cells: Vec<String> = p.read.rows[0]
            .1
            .iter()
            .zip(r.iter().skip(1))
            .filter(|(_, v)| !v.is_empty())
            .map(|((c, _), v)| format!("{c} {v}"))
            .collect();
        lines.push(format!("row {}: {}", r[0], cells.join(", ")));
    }
    if p.ready() {
        lines.push("Enter imports them (dates such as 03/07/18 are day/month/year).".into());
    }
    lines.join("\n")
}

impl FormSpec for TrackerForm {
    fn before_save(&self, f: &Form, app: &mut App) -> Option<Result<String, String>> {
        let entries = Self::entries(f);
        if self
            .previewed
            .borrow()
            .as_ref()
            .is_some_and(|(e, p)| *e == entries && p.ready())
        {
            return None;
        }
        let read = Self::request(f).and_then(|req| {
            preview(&app.store, &req, app.today).map_err(|e| format!("Not read: {e}"))
        });
        Some(match read {
            Ok(p) => {
                let text = shown(&p);
                let ready = p.ready();
                *self.previewed.borrow_mut() = Some((entries, p));
                if ready {
                    Ok(text)
                } else {
                    Err(text)
                }
            }
            Err(e) => {
                *self.previewed.borrow_mut() = None;
                Err(e)
            }
        })
    }

    fn save(&self, _f: &Form, app: &mut App) -> crate::Result<Saved> {
        let previewed = self.previewed.borrow();
        let Some((_, p)) = previewed.as_ref() else {
            return Err(crate::Error::invalid("read the tracker first (Enter)"));
        };
        let summary = store_preview(&mut app.store, p, &Silent)?;
        Ok(Saved::note(Some(format!(
            "Imported {summary}. The mapping is kept for the next time."
        ))))
    }
}
