//! The forms of an ended delay (issue 25), opened from the register and the detail view: reopen
//! it (`o`, with a reason) and correct its end (`x` on an ended delay: end date, end kind,
//! pathway, destination, usual residence and the stay's discharge date, filled in with what is
//! stored). Both save in one transaction (`Store::reopen_delay`, `Store::correct_end`: audited,
//! held by the register's rules and the freeze guard); a refused save keeps what was typed.

use super::choices::{
    destination_choices, pathway_choices, usual_residence_choices, usual_residence_code,
    usual_residence_saved,
};
use super::forms::DelayRef;
use crate::domain::{Destination, EndChange, EndKind, Pathway};
use crate::store::{DelayDetail, EndCorrection};
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::queue::Event;
use crate::ui::strings as s;
use crate::ui::widgets::form::{Choice, Field, FieldKind, Form};
use crate::ui::widgets::message::Message;
use chrono::NaiveDate;

pub const FORM_REOPEN: &str = " Reopen the delay ";
pub const FORM_CORRECT_END: &str = " Correct the end ";
pub const F_REOPEN_REASON: &str = "Reason (kept in the audit log)";
pub const F_DISCHARGED: &str = "Stay discharged (empty: none)";
pub const NOT_ENDED: &str = "This delay is open: x ends it; only an ended delay is reopened.";
pub const REOPENED: &str = "Delay reopened.";

/// The ended delay the command applies to (the detail's, else the register's selected row), read
/// whole; or a message why there is none.
fn selected_ended(app: &mut App) -> Option<DelayDetail> {
    let Some(id) = super::current(app).map(|d| d.delay_id) else {
        app.message = Some(Message::error(s::NOTHING_SELECTED));
        return None;
    };
    match app.store.delay_detail(id) {
        Ok(d) if d.row.ended_on.is_some() => Some(d),
        Ok(_) => {
            app.message = Some(Message::error(NOT_ENDED));
            None
        }
        Err(e) => {
            app.message = Some(Message::error(s::load_error(&e)));
            None
        }
    }
}

/// Reopens an ended delay, with a reason.
#[derive(Debug, Clone, Copy)]
pub struct ReopenForm(pub DelayRef);

impl ReopenForm {
    pub fn open(app: &mut App) {
        let Some(d) = selected_ended(app) else { return };
        let kind = ReopenForm(DelayRef {
            delay_id: d.row.delay_id,
            version: d.row.version,
        });
        let fields = vec![Field::new(F_REOPEN_REASON, FieldKind::Text, true)];
        app.form = Some(ActiveForm::new(kind, Form::new(FORM_REOPEN, fields)));
    }
}

impl FormSpec for ReopenForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        app.store
            .reopen_delay(self.0.delay_id, self.0.version, f.value(0), app.today)?;
        Ok(Saved {
            note: Some(REOPENED.to_string()),
            delay: Some(self.0.delay_id),
        })
    }

    /// Says so: the delay is open again (the detail shows it).
    fn saved(&self, app: &mut App) {
        app.queue.push(Event::DelaySaved {
            id: self.0.delay_id,
            ended: false,
        });
    }
}

/// The end correction's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum CorrectEndField {
    Kind,
    On,
    Pathway,
    Destination,
    UsualResidence,
    Discharged,
}

/// What the form was filled in with: a field the user leaves as it was is left as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Stored {
    kind: String,
    on: String,
    pathway: String,
    destination: String,
    usual: String,
    discharged: String,
}

impl Stored {
    fn of(d: &DelayDetail) -> Self {
        Stored {
            kind: d.row.end_kind.map(EndKind::key).unwrap_or_default().to_string(),
            on: d.row.ended_on.map(|e| e.to_string()).unwrap_or_default(),
            pathway: d.pathway.map(|p| p.number().to_string()).unwrap_or_default(),
            destination: d.destination.clone().unwrap_or_default(),
            usual: usual_residence_code(d.usual_residence).to_string(),
            discharged: d.discharged_on.map(|e| e.to_string()).unwrap_or_default(),
        }
    }
}

/// Corrects how and when an ended delay ended, and its stay's discharge date.
#[derive(Debug, Clone)]
pub struct CorrectEndForm {
    pub at: DelayRef,
    stored: Stored,
}

impl CorrectEndForm {
    pub fn open(app: &mut App) {
        let Some(d) = selected_ended(app) else { return };
        let stored = Stored::of(&d);
        let kinds = EndKind::ALL
            .iter()
            .map(|k| Choice::new(k.key(), k.label()))
            .collect();
        let fields = vec![
            Field::new(s::F_END_KIND, FieldKind::Choice(kinds), true).with_value(&stored.kind),
            Field::new(s::F_END_ON, FieldKind::Date, true).with_value(&stored.on),
            Field::new(s::F_END_PATHWAY, FieldKind::Choice(pathway_choices()), false)
                .with_value(&stored.pathway),
            Field::new(
                s::F_DESTINATION,
                FieldKind::Choice(destination_choices()),
                false,
            )
            .with_value(&stored.destination),
            Field::new(
                s::F_USUAL_RESIDENCE,
                FieldKind::Choice(usual_residence_choices()),
                false,
            )
            .with_value(&stored.usual),
            Field::new(F_DISCHARGED, FieldKind::Date, false).with_value(&stored.discharged),
        ];
        let kind = CorrectEndForm {
            at: DelayRef {
                delay_id: d.row.delay_id,
                version: d.row.version,
            },
            stored,
        };
        app.form = Some(ActiveForm::new(kind, Form::new(FORM_CORRECT_END, fields)));
    }

    /// The correction: the fields that differ from what the form was filled in with.
    pub fn command(&self, f: &Form, today: NaiveDate) -> crate::Result<EndCorrection> {
        let v = |x: CorrectEndField| f.value(x as usize).trim();
        let inv = |field: &str, e: &dyn std::fmt::Display| {
            crate::Error::invalid(format!("{field}: {e}"))
        };
        let st = &self.stored;
        let changed = |x: CorrectEndField, was: &str| v(x) != was;
        let kind = if changed(CorrectEndField::Kind, &st.kind) {
            Some(EndKind::parse(v(CorrectEndField::Kind)).map_err(|e| inv(s::F_END_KIND, &e))?)
        } else {
            None
        };
        let date = |x: CorrectEndField, label: &str| -> crate::Result<Option<NaiveDate>> {
            match v(x) {
                "" => Ok(None),
                _ => f
                    .date(x as usize, today)
                    .map(Some)
                    .ok_or_else(|| inv(label, &"not a date")),
            }
        };
        let on = date(CorrectEndField::On, s::F_END_ON)?;
        let discharged = date(CorrectEndField::Discharged, F_DISCHARGED)?;
        // A date typed differently (`5/6/18`) but the same day is no change.
        let on = on.filter(|d| d.to_string() != st.on);
        let discharged = (discharged.map(|d| d.to_string()).unwrap_or_default() != st.discharged)
            .then_some(discharged);
        let pathway = if changed(CorrectEndField::Pathway, &st.pathway) {
            Some(match v(CorrectEndField::Pathway) {
                "" => None,
                p => Some(Pathway::parse(p).map_err(|e| inv(s::F_END_PATHWAY, &e))?),
            })
        } else {
            None
        };
        let destination = if changed(CorrectEndField::Destination, &st.destination) {
            Some(match v(CorrectEndField::Destination) {
                "" => None,
                d => Some(Destination::parse(d).map_err(|e| inv(s::F_DESTINATION, &e))?),
            })
        } else {
            None
        };
        let usual = changed(CorrectEndField::UsualResidence, &st.usual)
            .then(|| usual_residence_saved(v(CorrectEndField::UsualResidence)));
        Ok(EndCorrection {
            delay_id: self.at.delay_id,
            version: self.at.version,
            change: EndChange {
                on,
                kind,
                pathway,
                destination,
                usual_residence: usual,
                discharged_on: discharged,
            },
        })
    }
}

impl FormSpec for CorrectEndForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let c = self.command(f, app.today)?;
        match app.store.correct_end(&c, app.today)? {
            0 => Err(crate::Error::invalid(s::NOTHING_CHANGED)),
            n => Ok(Saved {
                note: Some(corrected(n)),
                delay: Some(self.at.delay_id),
            }),
        }
    }

    /// A destination sets its pathway and, as in the end form, the usual residence when it tells
    /// whether the patient went back to their usual place of residence; each until the user sets
    /// that field themselves.
    fn changed(&self, f: &mut Form, _app: &App, _typed: bool) {
        let [pathway, dest, usual] = [
            CorrectEndField::Pathway,
            CorrectEndField::Destination,
            CorrectEndField::UsualResidence,
        ]
        .map(|x| x as usize);
        if f.focus != dest {
            return;
        }
        let Ok(d) = Destination::parse(f.value(dest)) else {
            return;
        };
        if !f.is_touched(pathway) {
            f.set_value(pathway, &d.pathway().number().to_string());
        }
        if !f.is_touched(usual) {
            f.set_value(usual, usual_residence_code(d.usual_residence()));
        }
    }

    /// Says so: the delay is still ended (the detail shows the correction).
    fn saved(&self, app: &mut App) {
        app.queue.push(Event::DelaySaved {
            id: self.at.delay_id,
            ended: true,
        });
    }
}

/// After a correction of the end: how many fields it changed.
pub fn corrected(n: usize) -> String {
    format!(
        "{n} field{} of the end corrected.",
        if n == 1 { "" } else { "s" }
    )
}
