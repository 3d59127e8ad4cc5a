//! What an open form saves. Each screen defines its own form types (a struct per form, holding
//! what the form applies to, with the widget's fields named by an enum) and implements
//! [`FormSpec`] for them: the app opens, edits and submits any form the same way, and the form
//! type parses the widget into one domain command and saves it in one store transaction.

use crate::ui::app::{App, ConfirmKind};
use crate::ui::keymap::Action;
use crate::ui::strings as s;
use crate::ui::widgets::form::Form;
use crate::ui::widgets::message::Message;

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

    /// Before saving: a form that shows what it would save first (the tracker import's preview)
    /// returns its note (`Ok`: saving may go on at the next Enter) or its refusal (`Err`), and the
    /// form stays open; `None` saves now.
    fn before_save(&self, _form: &Form, _app: &mut App) -> Option<Result<String, String>> {
        None
    }

    /// After the user changed a field (`typed`: a text edit, else a pick-list step).
    fn changed(&self, _form: &mut Form, _app: &App, _typed: bool) {}

    /// After the store refused the save as a conflict: what differs, or `None` to show the
    /// error; a form that explains takes the record's current version, so that Enter saves over.
    fn conflict(&mut self, _form: &Form, _app: &App) -> Option<String> {
        None
    }

    /// When the form closes (saved or discarded).
    fn closed(&self, _app: &mut App) {}

    /// After a save and the reload that follows it (a form whose save other screens care about
    /// pushes an event to `app.queue` here).
    fn saved(&self, _app: &mut App) {}
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

/// A key while a form is open.
pub fn update(app: &mut App, action: Action) {
    let Some(af) = app.form.as_mut() else { return };
    match action {
        Action::NextField => af.form.next(),
        Action::PrevField => af.form.prev(),
        Action::ChoiceNext | Action::ChoicePrev => {
            af.form
                .cycle(if action == Action::ChoiceNext { 1 } else { -1 });
            changed(app, false);
        }
        Action::Input(e) => {
            af.form.edit(e);
            changed(app, true);
        }
        Action::Submit => submit(app),
        Action::Cancel if af.form.dirty => app.confirm = Some(ConfirmKind::DiscardForm),
        Action::Cancel => close(app),
        Action::ForceQuit if af.form.dirty => app.confirm = Some(ConfirmKind::QuitForm),
        Action::ForceQuit => app.quit = true,
        _ => {}
    }
}

/// Lets the open form react to a change of its fields (`typed`: a text edit).
pub fn changed(app: &mut App, typed: bool) {
    if let Some(mut af) = app.form.take() {
        af.kind.changed(&mut af.form, app, typed);
        app.form = Some(af);
    }
}

/// Closes the open form (saved or discarded).
pub fn close(app: &mut App) {
    app.save_waiting = false;
    if let Some(af) = app.form.take() {
        af.kind.closed(app);
    }
}

/// Saves the open form: one transaction through its type. A busy database keeps the form
/// and its entry (`tick` tries again); a conflict explains what differs.
pub fn submit(app: &mut App) {
    let today = app.today;
    let Some(mut af) = app.form.take() else {
        return;
    };
    af.form.tried = true;
    if let Some(i) = af.form.first_invalid(today) {
        af.form.focus = i;
        af.form.error = Some(s::FIX_FIELDS.to_string());
        app.form = Some(af);
        return;
    }
    if let Some(shown) = af.kind.before_save(&af.form, app) {
        (af.form.note, af.form.error) = match shown {
            Ok(note) => (Some(note), None),
            Err(refused) => (None, Some(refused)),
        };
        app.form = Some(af);
        return;
    }
    let result = af.kind.save(&af.form, app);
    app.save_waiting = matches!(result, Err(crate::Error::Busy(_)));
    match result {
        Ok(saved) => {
            app.save_waiting = false;
            af.kind.closed(app);
            app.message = Some(Message::info(match saved.note {
                Some(n) => format!("{} {n}", s::SAVED),
                None => s::SAVED.to_string(),
            }));
            // One delay saved: its stay's rows and the aggregates; anything else: everything.
            match saved.delay.and_then(|id| app.stay_of(id)) {
                Some(stay) => app.reload_stay(stay),
                None => app.reload(),
            }
            af.kind.saved(app);
        }
        Err(crate::Error::Busy(_)) => {
            // Not a failure: the entry stays in the form and `tick` tries again.
            af.form.error = Some(crate::ui::saving::WAITING.to_string());
            app.form = Some(af);
            app.message = Some(Message::info(crate::ui::saving::WAITING));
        }
        Err(e @ crate::Error::Conflict(_)) => {
            // The user now sees their changes: Enter applies the entry on top.
            let explained = af.kind.conflict(&af.form, app);
            af.form.error = Some(explained.unwrap_or_else(|| s::store_error(&e)));
            app.form = Some(af);
            app.reload();
        }
        Err(e) => {
            af.form.error = Some(s::store_error(&e));
            app.form = Some(af);
        }
    }
}
