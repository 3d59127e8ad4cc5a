//! The board round's place form (issue 15), opened from the register, its detail and the board
//! round: the stay's ward, bed and expected discharge date (`w`). Saving it marks the delay
//! reviewed today (so does a new action: `action_forms.rs`).

use super::forms::{selected_open, DelayRef};
use crate::domain::Placement;
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::strings as s;
use crate::ui::widgets::form::{Field, FieldKind, Form};

fn inv(m: impl ToString) -> crate::Error {
    crate::Error::invalid(m.to_string())
}

/// The place form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum PlaceField {
    Ward,
    Bed,
    Expected,
}

/// Sets the ward, bed and expected discharge date of a delay's stay.
#[derive(Debug, Clone, Copy)]
pub struct PlaceForm(pub DelayRef);

impl PlaceForm {
    pub fn open(app: &mut App) {
        let Some(d) = selected_open(app) else { return };
        let fields = place_fields(
            d.ward.as_deref().unwrap_or(""),
            d.bed.as_deref().unwrap_or(""),
            &d.expected_on.map(|e| e.to_string()).unwrap_or_default(),
        );
        let kind = PlaceForm(DelayRef {
            delay_id: d.delay_id,
            version: d.version,
        });
        app.form = Some(ActiveForm::new(kind, Form::new(s::FORM_PLACE, fields)));
    }
}

/// The ward, bed and expected-date fields (the add form ends with the same three).
pub fn place_fields(ward: &str, bed: &str, expected: &str) -> Vec<Field> {
    vec![
        Field::new(s::F_WARD, FieldKind::Text, false).with_value(ward),
        Field::new(s::F_BED, FieldKind::Text, false).with_value(bed),
        Field::new(s::F_EXPECTED, FieldKind::Date, false).with_value(expected),
    ]
}

/// The placement typed in the three fields from `first` on.
pub fn placement(f: &Form, first: usize, today: chrono::NaiveDate) -> crate::Result<Placement> {
    let expected = match f.value(first + PlaceField::Expected as usize) {
        "" => None,
        v => Some(
            f.date(first + PlaceField::Expected as usize, today)
                .ok_or_else(|| inv(format!("{v}: not a date")))?,
        ),
    };
    Placement::new(
        f.value(first + PlaceField::Ward as usize),
        f.value(first + PlaceField::Bed as usize),
        expected,
    )
    .map_err(inv)
}

impl FormSpec for PlaceForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let p = placement(f, 0, app.today)?;
        app.store
            .set_placement(self.0.delay_id, self.0.version, &p, app.today)?;
        Ok(Saved {
            note: None,
            delay: Some(self.0.delay_id),
        })
    }

    fn saved(&self, app: &mut App) {
        app.queue.push(crate::ui::queue::Event::DelaySaved {
            id: self.0.delay_id,
            ended: false,
        });
    }
}
