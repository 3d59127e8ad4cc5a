//! The four delay forms (add, change reason, end, edit), opened from the register and (reason,
//! end) from the board round. Each is a struct holding the delay it applies to; its fields are
//! named by an enum in the order shown; `command` parses the widget into the store's command and
//! `save` applies it in one transaction.

use super::choices::{
    acute_reason_choices, attribution_choices, attribution_code, destination_choices, la_choices,
    pathway_choices, reason_choices, site_choices, usual_residence_choices, usual_residence_code,
    usual_residence_saved,
};
use crate::domain::{
    AcuteReason, Attribution, Destination, EndKind, LaCode, NhsNumber, Pathway, ReasonCode,
};
use crate::store::{EditDelay, EndDelay, KnownPatient, NewDelay, PatientKey, ReasonChange};
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::queue::Event;
use crate::ui::saving::{conflict_message, Difference};
use crate::ui::strings as s;
use crate::ui::widgets::form::{Choice, Field, FieldKind, Form};
use crate::ui::widgets::message::Message;
use chrono::NaiveDate;

fn inv(m: impl ToString) -> crate::Error {
    crate::Error::invalid(m.to_string())
}

fn date(f: &Form, i: usize, today: NaiveDate) -> crate::Result<NaiveDate> {
    f.date(i, today)
        .ok_or_else(|| inv(format!("{}: not a date", f.value(i))))
}

fn pathway(v: &str) -> crate::Result<Option<Pathway>> {
    match v {
        "" => Ok(None),
        v => Pathway::parse(v).map(Some).map_err(inv),
    }
}

fn acute(v: &str) -> crate::Result<Option<AcuteReason>> {
    match v {
        "" => Ok(None),
        v => AcuteReason::parse(v).map(Some).map_err(inv),
    }
}

/// The add form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum AddField {
    LocalId,
    Nhs,
    Admitted,
    Site,
    La,
    Ready,
    Reason,
    Attribution,
    Pathway,
    AcuteReason,
    /// Then the ward, bed and expected discharge date (`round_forms::place_fields`).
    Ward,
}

/// Adds a delay (and its stay, or finds the patient's stay).
#[derive(Debug, Clone, Copy)]
pub struct AddForm;

impl AddForm {
    pub fn open(app: &mut App) {
        if app.data.sites.is_empty() || app.data.authorities.is_empty() {
            app.message = Some(Message::error(s::NEEDS_SITE_AND_LA));
            return;
        }
        let fields = vec![
            Field::new(s::F_LOCAL_ID, FieldKind::Text, true),
            Field::new(s::F_NHS, FieldKind::Nhs, false),
            Field::new(s::F_ADMITTED, FieldKind::Date, true),
            Field::new(s::F_SITE, FieldKind::Choice(site_choices(app)), true),
            Field::new(s::F_LA, FieldKind::Choice(la_choices(app)), true),
            Field::new(s::F_READY, FieldKind::Date, true),
            Field::new(s::F_REASON, FieldKind::Choice(reason_choices()), true),
            Field::new(
                s::F_ATTRIBUTION,
                FieldKind::Choice(attribution_choices()),
                true,
            ),
            Field::new(s::F_PATHWAY, FieldKind::Choice(pathway_choices()), false),
            Field::new(
                s::F_ACUTE_REASON,
                FieldKind::Choice(acute_reason_choices()),
                false,
            ),
        ];
        let mut fields = fields;
        fields.extend(super::round_forms::place_fields("", "", ""));
        app.form = Some(ActiveForm::new(AddForm, Form::new(s::FORM_ADD, fields)));
    }

    pub fn command(f: &Form, today: NaiveDate) -> crate::Result<NewDelay> {
        let v = |x: AddField| f.value(x as usize);
        let nhs = match v(AddField::Nhs) {
            "" => None,
            n => Some(NhsNumber::parse(n).map_err(inv)?),
        };
        let new = NewDelay {
            local_id: v(AddField::LocalId).to_string(),
            nhs_number: nhs,
            admitted_on: date(f, AddField::Admitted as usize, today)?,
            site_code: v(AddField::Site).to_uppercase(),
            la_code: LaCode::parse(v(AddField::La)).map_err(inv)?,
            ready_on: date(f, AddField::Ready as usize, today)?,
            reason: ReasonCode::parse(v(AddField::Reason)).map_err(inv)?,
            attribution: Attribution::parse(v(AddField::Attribution)).map_err(inv)?,
            planned_pathway: pathway(v(AddField::Pathway))?,
            acute_reason: acute(v(AddField::AcuteReason))?,
        };
        // The dates by the delay's one rule (the store checks them again as it adds).
        new.dates(today)?;
        Ok(new)
    }
}

impl FormSpec for AddForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let new = Self::command(f, app.today)?;
        let place = super::round_forms::placement(f, AddField::Ward as usize, app.today)?;
        // One bed at a time is about the patient: the refusal names the local id field.
        let id = app
            .store
            .add_delay_placed(&new, &place, app.today)
            .map_err(|e| match e {
                crate::Error::Clash(_) => inv(format!("{}: {e}", s::F_LOCAL_ID)),
                e => e,
            })?;
        Ok(Saved {
            note: new.reason.attribution_warning(new.attribution),
            delay: Some(id),
        })
    }

    /// Typing the local id, or a whole NHS number, looks the patient up, says whom it found and
    /// fills what the register knows (issue 26): from the stay the patient is in now its admitted
    /// date, site, authority, ward, bed and expected date; with no stay open, the authority of the
    /// latest. Only fields the user has not changed are filled (and emptied again when the id
    /// stops naming a known patient); the NHS number is never written into the form.
    fn changed(&self, f: &mut Form, app: &App, typed: bool) {
        let (id_field, nhs_field) = (AddField::LocalId as usize, AddField::Nhs as usize);
        if !typed || (f.focus != id_field && f.focus != nhs_field) {
            return;
        }
        let by_nhs = f.focus == nhs_field;
        let typed_value = f.value(f.focus).to_string();
        let nhs = by_nhs
            .then(|| NhsNumber::parse(&typed_value).ok())
            .flatten();
        if by_nhs && nhs.is_none() {
            // A part number names nobody yet: what the local id found stands.
            return;
        }
        let key = match &nhs {
            Some(n) => PatientKey::Nhs(n),
            None => PatientKey::LocalId(&typed_value),
        };
        let found = if typed_value.is_empty() {
            Ok(None)
        } else {
            app.store.known_patient(key)
        };
        let known = match found {
            Ok(k) => k,
            Err(e) => {
                f.note = Some(s::load_error(&e));
                return;
            }
        };
        if by_nhs && known.is_none() {
            return;
        }
        f.note = known.as_ref().map(known_note);
        fill_from(f, known.as_ref(), by_nhs);
    }
}

/// The note under the add form for a known patient: whom, and what was filled from which stay.
fn known_note(k: &KnownPatient) -> String {
    let who = s::found_patient(k.nhs_number.as_ref().map(NhsNumber::masked));
    let stay = match (k.current_stay(), &k.stay) {
        (Some(st), _) => s::known_in_stay(st.admitted_on, &st.site_code),
        (None, Some(st)) => s::known_no_open_stay(st.discharged_on.unwrap_or(st.admitted_on)),
        (None, None) => s::KNOWN_NO_STAY.to_string(),
    };
    let delayed = k
        .open_delay
        .map_or(String::new(), s::known_open_delay);
    format!("{who}: {stay}{delayed}")
}

/// Fills the add form's untouched fields from the patient `k` (empties them for no patient); the
/// local id too when the patient was found by NHS number.
fn fill_from(f: &mut Form, k: Option<&KnownPatient>, by_nhs: bool) {
    let current = k.and_then(KnownPatient::current_stay);
    let text = |v: Option<&String>| v.cloned().unwrap_or_default();
    let mut fill = vec![
        (
            AddField::Admitted as usize,
            current.map(|c| c.admitted_on.to_string()).unwrap_or_default(),
        ),
        (
            AddField::Site as usize,
            text(current.map(|c| &c.site_code)),
        ),
        // The authority of residence is the patient's, also after a stay has ended.
        (
            AddField::La as usize,
            text(k.and_then(|k| k.stay.as_ref()).map(|c| &c.la_code)),
        ),
        (
            AddField::Ward as usize,
            text(current.and_then(|c| c.ward.as_ref())),
        ),
        (
            AddField::Ward as usize + 1,
            text(current.and_then(|c| c.bed.as_ref())),
        ),
        (
            AddField::Ward as usize + 2,
            current
                .and_then(|c| c.expected_on)
                .map(|d| d.to_string())
                .unwrap_or_default(),
        ),
    ];
    if by_nhs {
        fill.push((AddField::LocalId as usize, text(k.map(|k| &k.local_id))));
    }
    for (i, v) in fill {
        if !f.is_touched(i) {
            f.set_value(i, &v);
        }
    }
}

/// The delay a form applies to, at the version the form was opened on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DelayRef {
    pub delay_id: i64,
    pub version: i64,
}

/// The open delay selected on the screen shown (the register's, the board round's …: see
/// `Screen::selected_delay`), or a message why there is none.
pub(super) fn selected_open(app: &mut App) -> Option<crate::store::DelayRow> {
    match crate::ui::screens::selected_delay(app) {
        None => {
            app.message = Some(Message::error(s::NOTHING_SELECTED));
            None
        }
        Some(d) if d.ended_on.is_some() => {
            app.message = Some(Message::error(s::ALREADY_ENDED));
            None
        }
        Some(d) => Some(d.clone()),
    }
}

/// The delay selected on the screen shown, open or ended, or a message why there is none.
fn selected_any(app: &mut App) -> Option<crate::store::DelayRow> {
    let d = crate::ui::screens::selected_delay(app).cloned();
    if d.is_none() {
        app.message = Some(Message::error(s::NOTHING_SELECTED));
    }
    d
}

/// The reason form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum ReasonField {
    From,
    Reason,
    Attribution,
    AcuteReason,
}

/// Changes a delay's reason from a date.
#[derive(Debug, Clone, Copy)]
pub struct ReasonForm(pub DelayRef);

impl ReasonForm {
    pub fn open(app: &mut App) {
        let Some(d) = selected_open(app) else { return };
        let fields = vec![
            Field::new(s::F_FROM, FieldKind::Date, true).with_value("t"),
            Field::new(s::F_REASON, FieldKind::Choice(reason_choices()), true)
                .with_value(d.reason.code()),
            Field::new(
                s::F_ATTRIBUTION,
                FieldKind::Choice(attribution_choices()),
                true,
            )
            .with_value(attribution_code(d.attribution)),
            Field::new(
                s::F_ACUTE_REASON,
                FieldKind::Choice(acute_reason_choices()),
                false,
            ),
        ];
        let kind = ReasonForm(DelayRef {
            delay_id: d.delay_id,
            version: d.version,
        });
        app.form = Some(ActiveForm::new(kind, Form::new(s::FORM_REASON, fields)));
    }

    pub fn command(&self, f: &Form, today: NaiveDate) -> crate::Result<ReasonChange> {
        let v = |x: ReasonField| f.value(x as usize);
        Ok(ReasonChange {
            delay_id: self.0.delay_id,
            version: self.0.version,
            from: date(f, ReasonField::From as usize, today)?,
            reason: ReasonCode::parse(v(ReasonField::Reason)).map_err(inv)?,
            attribution: Attribution::parse(v(ReasonField::Attribution)).map_err(inv)?,
            acute_reason: acute(v(ReasonField::AcuteReason))?,
        })
    }
}

impl FormSpec for ReasonForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let c = self.command(f, app.today)?;
        app.store.change_reason(&c, app.today)?;
        Ok(Saved {
            note: c.reason.attribution_warning(c.attribution),
            delay: Some(self.0.delay_id),
        })
    }

    /// Says so: a board round counts it as changed.
    fn saved(&self, app: &mut App) {
        app.queue.push(Event::DelaySaved {
            id: self.0.delay_id,
            ended: false,
        });
    }

    fn conflict(&mut self, f: &Form, app: &App) -> Option<String> {
        let v = |x: ReasonField| f.value(x as usize);
        let reason = ReasonCode::parse(v(ReasonField::Reason))
            .map_or(v(ReasonField::Reason).to_string(), |r| r.code().to_string());
        let attribution = Attribution::parse(v(ReasonField::Attribution))
            .map_or(v(ReasonField::Attribution).to_string(), |a| {
                a.label().to_string()
            });
        explain(&mut self.0, app, |d, push| {
            push(s::F_REASON, d.reason.code().to_string(), reason);
            push(
                s::F_ATTRIBUTION,
                d.attribution.label().to_string(),
                attribution,
            );
            push("Delay", ended(d), "open".to_string());
        })
    }
}

/// The end form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum EndField {
    Kind,
    On,
    Pathway,
    Destination,
    UsualResidence,
}

/// Ends a delay (discharged, died, or no longer delayed).
#[derive(Debug, Clone, Copy)]
pub struct EndForm(pub DelayRef);

impl EndForm {
    pub fn open(app: &mut App) {
        let Some(d) = selected_open(app) else { return };
        let kinds = EndKind::ALL
            .iter()
            .map(|k| Choice::new(k.key(), k.label()))
            .collect();
        let fields = vec![
            Field::new(s::F_END_KIND, FieldKind::Choice(kinds), true).with_value("discharged"),
            Field::new(s::F_END_ON, FieldKind::Date, true).with_value("t"),
            Field::new(
                s::F_END_PATHWAY,
                FieldKind::Choice(pathway_choices()),
                false,
            ),
            Field::new(
                s::F_DESTINATION,
                FieldKind::Choice(destination_choices()),
                false,
            ),
            Field::new(
                s::F_USUAL_RESIDENCE,
                FieldKind::Choice(usual_residence_choices()),
                false,
            ),
        ];
        let kind = EndForm(DelayRef {
            delay_id: d.delay_id,
            version: d.version,
        });
        app.form = Some(ActiveForm::new(kind, Form::new(s::FORM_END, fields)));
    }

    pub fn command(&self, f: &Form, today: NaiveDate) -> crate::Result<EndDelay> {
        let v = |x: EndField| f.value(x as usize);
        let kind = EndKind::parse(v(EndField::Kind)).map_err(inv)?;
        let pathway = pathway(v(EndField::Pathway))?;
        if kind == EndKind::Discharged && pathway.is_none() {
            return Err(inv(s::ERR_PATHWAY_NEEDED));
        }
        let dest = v(EndField::Destination);
        Ok(EndDelay {
            delay_id: self.0.delay_id,
            version: self.0.version,
            on: date(f, EndField::On as usize, today)?,
            kind,
            pathway,
            destination: (!dest.is_empty()).then(|| dest.to_string()),
            usual_residence: usual_residence_saved(v(EndField::UsualResidence)),
        })
    }
}

impl FormSpec for EndForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        app.store
            .end_delay(&self.command(f, app.today)?, app.today)?;
        Ok(Saved {
            note: None,
            delay: Some(self.0.delay_id),
        })
    }

    /// A destination that tells whether the patient went back to their usual place of residence
    /// sets that field, until the user sets it themselves.
    fn changed(&self, f: &mut Form, _app: &App, _typed: bool) {
        let (dest, usual) = (
            EndField::Destination as usize,
            EndField::UsualResidence as usize,
        );
        if f.focus != dest || f.is_touched(usual) {
            return;
        }
        let implied = Destination::parse(f.value(dest))
            .ok()
            .and_then(Destination::usual_residence);
        f.set_value(usual, usual_residence_code(implied));
    }

    fn conflict(&mut self, f: &Form, app: &App) -> Option<String> {
        let v = |x: EndField| f.value(x as usize);
        let yours = EndKind::parse(v(EndField::Kind))
            .map_or(v(EndField::Kind).to_string(), |k| k.label().to_string());
        let on = f
            .date(EndField::On as usize, app.today)
            .map_or(v(EndField::On).to_string(), |x| x.to_string());
        explain(&mut self.0, app, |d, push| {
            push("Delay", ended(d), format!("ended {on} ({yours})"));
        })
    }

    /// Says so: a board round counts it as ended and moves on.
    fn saved(&self, app: &mut App) {
        app.queue.push(Event::DelaySaved {
            id: self.0.delay_id,
            ended: true,
        });
    }
}

/// The edit form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum EditField {
    Ready,
    Pathway,
    Site,
    La,
}

/// Corrects a delay's ready date, planned pathway, site or authority.
#[derive(Debug, Clone, Copy)]
pub struct EditForm(pub DelayRef);

impl EditForm {
    /// Opens on the selected delay, open or ended (an ended delay's ready date stays before its
    /// end: the store refuses one after it).
    pub fn open(app: &mut App) {
        let Some(d) = selected_any(app) else { return };
        let fields = vec![
            Field::new(s::F_READY, FieldKind::Date, true).with_value(d.ready_on.to_string()),
            Field::new(s::F_PATHWAY, FieldKind::Choice(pathway_choices()), false).with_value(
                d.planned_pathway
                    .map(|p| p.number().to_string())
                    .unwrap_or_default(),
            ),
            Field::new(s::F_SITE, FieldKind::Choice(site_choices(app)), true)
                .with_value(d.site_code.clone()),
            Field::new(s::F_LA, FieldKind::Choice(la_choices(app)), true)
                .with_value(d.la_code.clone()),
        ];
        let kind = EditForm(DelayRef {
            delay_id: d.delay_id,
            version: d.version,
        });
        app.form = Some(ActiveForm::new(kind, Form::new(s::FORM_EDIT, fields)));
    }

    /// The edit: only the fields that differ from the stored delay `old`.
    pub fn command(
        &self,
        f: &Form,
        old: &crate::store::DelayRow,
        today: NaiveDate,
    ) -> crate::Result<EditDelay> {
        let v = |x: EditField| f.value(x as usize);
        let ready = date(f, EditField::Ready as usize, today)?;
        let pw = pathway(v(EditField::Pathway))?;
        let site = v(EditField::Site).to_uppercase();
        let la_code = LaCode::parse(v(EditField::La)).map_err(inv)?;
        Ok(EditDelay {
            delay_id: self.0.delay_id,
            version: self.0.version,
            ready_on: (ready != old.ready_on).then_some(ready),
            planned_pathway: (pw != old.planned_pathway).then_some(pw),
            site_code: (site != old.site_code).then_some(site),
            la_code: (la_code.as_str() != old.la_code).then_some(la_code),
            admitted_on: None,
        })
    }
}

impl FormSpec for EditForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let old = app.store.delay_detail(self.0.delay_id)?.row;
        let edit = self.command(f, &old, app.today)?;
        app.store.edit_delay(&edit, app.today)?;
        Ok(Saved {
            note: None,
            delay: Some(self.0.delay_id),
        })
    }

    fn conflict(&mut self, f: &Form, app: &App) -> Option<String> {
        let v = |x: EditField| f.value(x as usize);
        let ready = f
            .date(EditField::Ready as usize, app.today)
            .map_or(v(EditField::Ready).to_string(), |x| x.to_string());
        let yours_pw = pathway_text(Pathway::parse(v(EditField::Pathway)).ok());
        let site = v(EditField::Site).to_uppercase();
        let la = LaCode::parse(v(EditField::La))
            .map_or(v(EditField::La).to_string(), |l| l.as_str().to_string());
        explain(&mut self.0, app, |d, push| {
            push(s::F_READY, d.ready_on.to_string(), ready);
            push(s::F_PATHWAY, pathway_text(d.planned_pathway), yours_pw);
            push(s::F_SITE, d.site_code.clone(), site);
            push(s::F_LA, d.la_code.to_string(), la);
        })
    }
}

fn pathway_text(p: Option<Pathway>) -> String {
    p.map_or("none".to_string(), |p| p.number().to_string())
}

/// Whether the stored delay is open or ended (and how).
fn ended(d: &crate::store::DelayRow) -> String {
    d.ended_on.map_or("open".to_string(), |e| {
        format!(
            "ended {e}{}",
            d.end_kind
                .map_or(String::new(), |k| format!(" ({})", k.label()))
        )
    })
}

/// What someone else changed, field by field, against the user's entry (`diff` pushes each
/// field's stored and typed value); the form takes the record's current version so that Enter
/// saves over it. `None` when the record cannot be read (e.g. it was deleted).
fn explain(
    at: &mut DelayRef,
    app: &App,
    diff: impl FnOnce(&crate::store::DelayRow, &mut dyn FnMut(&str, String, String)),
) -> Option<String> {
    let now = app.store.delay_detail(at.delay_id).ok()?;
    let mut diffs = Vec::new();
    diff(&now.row, &mut |field: &str,
                         theirs: String,
                         yours: String| {
        if theirs != yours {
            diffs.push(Difference {
                field: field.to_string(),
                theirs,
                yours,
            });
        }
    });
    at.version = now.row.version;
    Some(conflict_message(&diffs))
}
