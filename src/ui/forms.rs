//! What an open form saves. Each screen defines its own form types (a struct per form, holding
//! what the form applies to, with the widget's fields named by an enum) and implements
//! [`FormSpec`] for them: the app opens, edits and submits any form the same way, and the form
//! type parses the widget into one domain command and saves it in one store transaction.

use crate::ui::app::App;
use crate::ui::widgets::form::Form;
use std::any::Any;

/// What a successful save reports: a note to show after "Saved.", and the delay saved, if one
/// (then only its stay's rows are read again).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Saved {
    pub note: Option<String>,
    pub delay: Option<i64>,
}

impl Saved {
    pub fn note(note: Option<String>) -> Self {
        Self { note, delay: None }
    }
}

/// A form type: how it saves and how it reacts to edits. `App` holds the open one as an
/// [`ActiveForm`] (the modal), so the app knows nothing of any screen's forms.
pub trait FormSpec: std::fmt::Debug {
    /// Parses the valid `form` into its command and saves it in one transaction. A
    /// `crate::Error::Busy` is returned as is (the app keeps the form and tries again).
    fn save(&self, form: &Form, app: &mut App) -> crate::Result<Saved>;

    /// After the user changed a field (`typed`: a text edit, else a pick-list step).
    fn changed(&self, _form: &mut Form, _app: &App, _typed: bool) {}

    /// After the store refused the save as a conflict: what differs, or `None` to show the
    /// error; a form that explains takes the record's current version, so that Enter saves over.
    fn conflict(&mut self, _form: &Form, _app: &App) -> Option<String> {
        None
    }

    /// When the form closes (saved or discarded).
    fn closed(&self, _app: &mut App) {}

    /// After a save and the reload that follows it.
    fn saved(&self, _app: &mut App) {}

    /// For tests and callers that need the concrete form type.
    fn as_any(&self) -> &dyn Any;
}

/// The open form: its type and the widget holding the user's entry.
#[derive(Debug)]
pub struct ActiveForm {
    pub kind: Box<dyn FormSpec>,
    pub form: Form,
}

impl ActiveForm {
    pub fn new(kind: impl FormSpec + 'static, form: Form) -> Self {
        Self {
            kind: Box::new(kind),
            form,
        }
    }
}
