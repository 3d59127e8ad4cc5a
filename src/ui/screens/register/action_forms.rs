//! The action forms (issue 26 item 3), opened from the register, its detail, the board round, the
//! ward board and the Actions screen: a new action (`n`: what, owner, due date) and "done,
//! cancel or change" (`u`; `x`, `d` and `e` on the Actions screen). The owner field offers the
//! owners' list (Up/Down) and keeps a new name typed, which the store adds to the list.

use super::forms::{selected_open, DelayRef};
use crate::domain::ActionState;
use crate::store::{ActionClose, ActionRow, NewAction};
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::strings as s;
use crate::ui::widgets::form::{Choice, Field, FieldKind, Form};
use crate::ui::widgets::message::Message;

fn inv(m: impl ToString) -> crate::Error {
    crate::Error::invalid(m.to_string())
}

/// The owners' list, for the owner field (empty if it cannot be read: typing still works).
fn owners(app: &App) -> Vec<String> {
    app.store.action_owners().unwrap_or_default()
}

/// The text, owner and due fields (the two forms end with the same three).
fn action_fields(app: &App, text: &str, owner: &str, due: &str) -> Vec<Field> {
    vec![
        Field::new(s::F_NOTE, FieldKind::Text, true).with_value(text),
        Field::new(s::F_OWNER, FieldKind::Suggest(owners(app)), true).with_value(owner),
        Field::new(s::F_DUE, FieldKind::Date, false).with_value(due),
    ]
}

/// The action typed in the three fields from `first` on.
fn typed_action(f: &Form, first: usize, today: chrono::NaiveDate) -> crate::Result<NewAction> {
    let due_on = match f.value(first + 2) {
        "" => None,
        v => Some(
            f.date(first + 2, today)
                .ok_or_else(|| inv(format!("{v}: not a date")))?,
        ),
    };
    Ok(NewAction {
        text: f.value(first).to_string(),
        owner: f.value(first + 1).to_string(),
        due_on,
    })
}

/// A new open action on a delay: what is to be done, by whom, by when (optional).
#[derive(Debug, Clone, Copy)]
pub struct ActionForm(pub DelayRef);

impl ActionForm {
    pub fn open(app: &mut App) {
        let Some(d) = selected_open(app) else { return };
        let mut form = Form::new(s::FORM_NOTE, action_fields(app, "", "", ""));
        // The reminder of docs/data-protection.md stays under the fields.
        form.note = Some(s::NOTE_HINT.to_string());
        let kind = ActionForm(DelayRef {
            delay_id: d.delay_id,
            version: d.version,
        });
        app.form = Some(ActiveForm::new(kind, form));
    }
}

impl FormSpec for ActionForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let a = typed_action(f, 0, app.today)?;
        app.store.add_action(self.0.delay_id, &a, app.today)?;
        Ok(Saved {
            note: Some(s::NOTE_SAVED.to_string()),
            delay: Some(self.0.delay_id),
        })
    }
}

/// The update form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum UpdateField {
    Which,
    Now,
    Text,
}

/// Closes (done, cancelled) or changes one of a delay's open actions. Choosing the action fills
/// its text, owner and due date.
#[derive(Debug, Clone)]
pub struct ActionUpdateForm {
    pub delay_id: i64,
    /// The open actions offered, in the order listed (their choice codes are 1, 2, …).
    pub actions: Vec<ActionRow>,
}

/// A short line for an action in a pick list: its text, owner and due date.
pub fn action_label(a: &ActionRow) -> String {
    let mut l = a.text.clone();
    if let Some(o) = &a.owner {
        l.push_str(&format!(" ({o})"));
    }
    if let Some(d) = a.due_on {
        l.push_str(&format!(" due {}", d.format("%d/%m")));
    }
    l
}

impl ActionUpdateForm {
    /// From the register, its detail, the board round and the ward board: the selected delay's
    /// open actions.
    pub fn open(app: &mut App) {
        let Some(d) = crate::ui::screens::selected_delay(app).map(|d| d.delay_id) else {
            app.message = Some(Message::error(s::NOTHING_SELECTED));
            return;
        };
        let actions: Vec<ActionRow> = match app.store.actions_of(d) {
            Ok(all) => all
                .into_iter()
                .filter(|a| a.state == ActionState::Open)
                .collect(),
            Err(e) => {
                app.message = Some(Message::error(s::load_error(&e)));
                return;
            }
        };
        // Focus on the choice of action when there are several, else on what happens to it.
        let focus = if actions.len() > 1 {
            UpdateField::Which
        } else {
            UpdateField::Now
        };
        Self::open_with(app, d, actions, ActionState::Open, focus);
    }

    /// One action (the Actions screen's selection), with `now` chosen: done and cancelled show
    /// what will be closed and wait for Enter (the confirmation), open edits it.
    pub fn open_one(app: &mut App, action: ActionRow, now: ActionState) {
        let focus = if now == ActionState::Open {
            UpdateField::Text
        } else {
            UpdateField::Now
        };
        Self::open_with(app, action.delay_id, vec![action], now, focus);
    }

    fn open_with(
        app: &mut App,
        delay_id: i64,
        actions: Vec<ActionRow>,
        now: ActionState,
        focus: UpdateField,
    ) {
        let Some(first) = actions.first() else {
            app.message = Some(Message::error(s::NO_OPEN_ACTIONS));
            return;
        };
        let which: Vec<Choice> = actions
            .iter()
            .enumerate()
            .map(|(i, a)| Choice::new((i + 1).to_string(), action_label(a)))
            .collect();
        let states = ActionState::ALL
            .iter()
            .map(|x| {
                Choice::new(
                    x.as_str(),
                    match x {
                        ActionState::Open => "keep open, as changed below",
                        ActionState::Done => "done: close it",
                        ActionState::Cancelled => "cancelled: close it, not done",
                    },
                )
            })
            .collect();
        let mut fields = vec![
            Field::new(s::F_WHICH_ACTION, FieldKind::Choice(which), true).with_value("1"),
            Field::new(s::F_NOW, FieldKind::Choice(states), true).with_value(now.as_str()),
        ];
        fields.extend(action_fields(
            app,
            &first.text,
            first.owner.as_deref().unwrap_or(""),
            &first.due_on.map(|d| d.to_string()).unwrap_or_default(),
        ));
        let mut form = Form::new(s::FORM_UPDATE_ACTION, fields);
        form.note = Some(s::UPDATE_ACTION_HINT.to_string());
        form.focus = focus as usize;
        app.form = Some(ActiveForm::new(ActionUpdateForm { delay_id, actions }, form));
    }

    fn chosen(&self, f: &Form) -> Option<&ActionRow> {
        let i: usize = f.value(UpdateField::Which as usize).parse().ok()?;
        self.actions.get(i.checked_sub(1)?)
    }
}

impl FormSpec for ActionUpdateForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let a = self
            .chosen(f)
            .ok_or_else(|| inv("choose the action"))?
            .clone();
        let typed = typed_action(f, UpdateField::Text as usize, app.today)?;
        let now = ActionState::parse(f.value(UpdateField::Now as usize))
            .ok_or_else(|| inv("choose open, done or cancelled"))?;
        let changed = typed.text != a.text
            || Some(typed.owner.as_str()) != a.owner.as_deref()
            || typed.due_on != a.due_on;
        let note = match now {
            ActionState::Open => {
                if changed {
                    app.store.edit_action(a.id, &typed, app.today)?;
                }
                s::ACTION_CHANGED
            }
            ActionState::Done | ActionState::Cancelled => {
                let how = if now == ActionState::Done {
                    ActionClose::Done
                } else {
                    ActionClose::Cancelled
                };
                app.store.close_action(a.id, how, app.today)?;
                if now == ActionState::Done {
                    s::ACTION_DONE
                } else {
                    s::ACTION_CANCELLED
                }
            }
        };
        Ok(Saved {
            note: Some(note.to_string()),
            delay: Some(self.delay_id),
        })
    }

    /// Choosing another action fills its text, owner and due date.
    fn changed(&self, form: &mut Form, _app: &App, _typed: bool) {
        if form.focus != UpdateField::Which as usize {
            return;
        }
        if let Some(a) = self.chosen(form) {
            let text = UpdateField::Text as usize;
            form.set_value(text, &a.text);
            form.set_value(text + 1, a.owner.as_deref().unwrap_or(""));
            form.set_value(
                text + 2,
                &a.due_on.map(|d| d.to_string()).unwrap_or_default(),
            );
        }
    }
}
