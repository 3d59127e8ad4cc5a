//! The ward form of Settings (issue 26): a site's ward by code, its name and optional beds.
//! Saving a code the site already has (any case) changes that ward's name and beds.

use crate::domain::Ward;
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::screens::register::choices::site_choices;
use crate::ui::strings as s;
use crate::ui::widgets::form::{Field, FieldKind, Form};

/// The ward form's fields, in order.
#[derive(Debug, Clone, Copy)]
enum WardField {
    Site,
    Code,
    Name,
    Beds,
}

/// A ward of a site.
#[derive(Debug, Clone, Copy)]
pub struct WardForm;

impl WardForm {
    /// Opens the form, empty or filled from `w`.
    pub fn open(app: &mut App, w: Option<&Ward>) {
        let site = w
            .map(|w| w.site_code.clone())
            .or_else(|| app.data.sites.first().map(|x| x.code.clone()))
            .unwrap_or_default();
        let fields = vec![
            Field::new(s::F_SITE, FieldKind::Choice(site_choices(app)), true).with_value(site),
            Field::new(s::F_WARD_CODE, FieldKind::Text, true)
                .with_value(w.map(|w| w.code.clone()).unwrap_or_default()),
            Field::new(s::F_NAME, FieldKind::Text, false)
                .with_value(w.map(|w| w.name.clone()).unwrap_or_default()),
            Field::new(s::F_BEDS, FieldKind::Number, false).with_value(
                w.and_then(|w| w.beds)
                    .map(|b| b.to_string())
                    .unwrap_or_default(),
            ),
        ];
        app.form = Some(ActiveForm::new(WardForm, Form::new(s::FORM_WARD, fields)));
    }
}

impl FormSpec for WardForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let v = |x: WardField| f.value(x as usize);
        let beds = match v(WardField::Beds) {
            "" => None,
            b => Some(
                b.parse::<u32>()
                    .map_err(|_| crate::Error::invalid(crate::domain::WardError::Beds.to_string()))?,
            ),
        };
        let ward = Ward::new(
            v(WardField::Site),
            v(WardField::Code),
            v(WardField::Name),
            beds,
        )
        .map_err(|e| crate::Error::invalid(e.to_string()))?;
        app.store.set_ward(&ward)?;
        Ok(Saved::default())
    }
}
