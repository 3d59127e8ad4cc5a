//! The detail view's correction form: a stay's local id, NHS number, admission date and site,
//! corrected in one transaction (`Store::correct_stay`: audited, refused when it would put the
//! patient in two beds, held by the freeze guard).

use super::choices::site_choices;
use crate::domain::NhsNumber;
use crate::store::StayCorrection;
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::strings as s;
use crate::ui::widgets::form::{Field, FieldKind, Form};
use crate::ui::widgets::message::Message;

/// The correction form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum CorrectField {
    LocalId,
    Nhs,
    Admitted,
    Site,
}

/// Corrects the stay of the delay shown in the detail view.
#[derive(Debug, Clone, Copy)]
pub struct CorrectForm {
    pub stay_id: i64,
    pub delay_id: i64,
}

impl CorrectForm {
    /// Opens on the detail view's delay (else the list's selected one), its stay's values filled in (the NHS number is never
    /// shown: empty keeps the stored one).
    pub fn open(app: &mut App) {
        let Some(d) = super::current(app).cloned() else {
            app.message = Some(Message::error(s::NOTHING_SELECTED));
            return;
        };
        let fields = vec![
            Field::new(s::F_LOCAL_ID, FieldKind::Text, true).with_value(d.local_id.clone()),
            Field::new(s::F_NHS_NEW, FieldKind::Nhs, false),
            Field::new(s::F_ADMITTED, FieldKind::Date, true).with_value(d.admitted_on.to_string()),
            Field::new(s::F_SITE, FieldKind::Choice(site_choices(app)), true)
                .with_value(d.site_code.clone()),
        ];
        let kind = CorrectForm {
            stay_id: d.stay_id,
            delay_id: d.delay_id,
        };
        app.form = Some(ActiveForm::new(kind, Form::new(s::FORM_CORRECT, fields)));
    }

    /// The correction the form holds: every field, the store leaves those that are unchanged.
    pub fn command(&self, f: &Form, today: chrono::NaiveDate) -> crate::Result<StayCorrection> {
        let v = |x: CorrectField| f.value(x as usize);
        let inv =
            |field: &str, e: &dyn std::fmt::Display| crate::Error::invalid(format!("{field}: {e}"));
        let nhs = match v(CorrectField::Nhs) {
            "" => None,
            n => Some(Some(NhsNumber::parse(n).map_err(|e| inv(s::F_NHS, &e))?)),
        };
        let admitted = f
            .date(CorrectField::Admitted as usize, today)
            .ok_or_else(|| inv(s::F_ADMITTED, &"not a date"))?;
        Ok(StayCorrection {
            stay_id: self.stay_id,
            local_id: Some(v(CorrectField::LocalId).trim().to_string()),
            nhs_number: nhs,
            admitted_on: Some(admitted),
            site_code: Some(v(CorrectField::Site).to_uppercase()),
        })
    }
}

impl FormSpec for CorrectForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let c = self.command(f, app.today)?;
        match app.store.correct_stay(&c, app.today)? {
            0 => Err(crate::Error::invalid(s::NOTHING_CHANGED)),
            n => Ok(Saved {
                note: Some(s::corrected(n)),
                delay: Some(self.delay_id),
            }),
        }
    }

    /// The detail view shows the corrected stay (see the register's `Screen::handle`).
    fn saved(&self, app: &mut App) {
        app.queue.push(crate::ui::queue::Event::StayCorrected {
            delay_id: self.delay_id,
        });
    }
}
