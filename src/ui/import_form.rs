//! The app's file import prompt: a path, read, checked and stored by the same function as
//! `dtoc import KIND FILE` (the same rules, all or nothing, one transaction).

use crate::commands::import::{import_file, ImportKind};
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::widgets::form::{Field, FieldKind, Form};
use std::path::Path;

/// The path field's label.
pub const F_FILE: &str = "CSV file (path)";

/// Imports one file of `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportForm {
    pub kind: ImportKind,
}

impl ImportForm {
    /// Opens the prompt titled `title`.
    pub fn open(app: &mut App, kind: ImportKind, title: &'static str) {
        let fields = vec![Field::new(F_FILE, FieldKind::Text, true)];
        app.form = Some(ActiveForm::new(Self { kind }, Form::new(title, fields)));
    }
}

impl FormSpec for ImportForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let today = app.today;
        let summary = import_file(&mut app.store, self.kind, Path::new(f.value(0)), today)?;
        Ok(Saved::note(Some(format!("Imported: {summary}."))))
    }

    fn saved(&self, app: &mut App) {
        if self.kind == ImportKind::Reported {
            app.queue.push(crate::ui::queue::Event::ReportedChanged);
        }
    }
}
