//! A year of targets in one form (issue 26): an authority, the first of twelve months (April of
//! the financial year by default), a measure and a unit, and either one value for all twelve
//! months or twelve values in order (as a row copied from a spreadsheet: separated by spaces,
//! commas, semicolons or tabs). The note under the fields shows each month's value as it is
//! typed; saving sets the twelve in one transaction, each audited.

use super::forms::{convert_target, measure_choices, unit_choices, TargetUnits};
use crate::domain::{LaCode, Measure, TargetUnit, YearMonth};
use crate::store::Target;
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::screens::register::choices::la_choices;
use crate::ui::strings as s;
use crate::ui::widgets::form::{Field, FieldKind, Form};
use chrono::Datelike;

pub const FORM_YEAR_TARGETS: &str = " A year of targets ";
const F_FIRST_MONTH: &str = "From month";
const F_VALUES: &str = "Value(s)";
const VALUES_HINT: &str =
    "Value(s): one for all twelve months, or twelve in order (spaces, commas or tabs between).";

/// The year form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum YearField {
    La,
    From,
    Measure,
    Unit,
    Values,
}

/// Twelve months' targets of one authority and measure.
#[derive(Debug, Clone, Copy)]
pub struct YearTargetsForm;

/// April of the financial year `today` is in.
pub fn financial_year_start(today: chrono::NaiveDate) -> YearMonth {
    let year = if today.month() >= 4 {
        today.year()
    } else {
        today.year() - 1
    };
    YearMonth::new(year, 4).unwrap_or_else(|| YearMonth::of(today))
}

/// The twelve values typed: one repeated, or twelve. The error names the rule.
pub fn twelve_values(text: &str) -> Result<[f64; 12], String> {
    let parts: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|p| !p.is_empty())
        .collect();
    let values = parts
        .iter()
        .map(|p| match p.parse::<f64>() {
            Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
            _ => Err(format!("{p:?} is not a number of 0 or more")),
        })
        .collect::<Result<Vec<f64>, String>>()?;
    match values.len() {
        1 => Ok([values[0]; 12]),
        12 => {
            let mut out = [0.0; 12];
            out.copy_from_slice(&values);
            Ok(out)
        }
        n => Err(format!(
            "{n} values: give one for all twelve months, or twelve"
        )),
    }
}

impl YearTargetsForm {
    /// Opens with the authority, measure and unit of `like` (the target selected in Settings),
    /// else the first authority, total, a day.
    pub fn open(app: &mut App, like: Option<&Target>) {
        let (measures, units) = (measure_choices(), unit_choices());
        let fields = vec![
            Field::new(s::F_LA, FieldKind::Choice(la_choices(app)), true).with_value(
                like.map(|t| t.la_code.to_string())
                    .or_else(|| app.data.authorities.first().map(|a| a.code.to_string()))
                    .unwrap_or_default(),
            ),
            Field::new(F_FIRST_MONTH, FieldKind::Month, true)
                .with_value(financial_year_start(app.today).key()),
            Field::new(s::F_MEASURE, FieldKind::Choice(measures), true)
                .with_value(like.map_or("total", |t| t.measure.key())),
            Field::new(s::F_UNIT, FieldKind::Choice(units), true)
                .with_value(like.map_or("days_per_day", |t| t.unit.key())),
            Field::new(F_VALUES, FieldKind::Text, true),
        ];
        let mut form = Form::new(FORM_YEAR_TARGETS, fields);
        form.note = Some(VALUES_HINT.to_string());
        app.form = Some(ActiveForm::new(YearTargetsForm, form));
    }

    /// The twelve targets a valid form describes.
    pub fn command(f: &Form) -> crate::Result<Vec<Target>> {
        let v = |x: YearField| f.value(x as usize);
        let inv = |m: String| crate::Error::invalid(m);
        let la = LaCode::parse(v(YearField::La)).map_err(|e| inv(e.to_string()))?;
        let from = YearMonth::parse(v(YearField::From)).map_err(|e| inv(e.to_string()))?;
        let measure = Measure::parse(v(YearField::Measure)).map_err(|e| inv(e.to_string()))?;
        let unit = TargetUnit::parse(v(YearField::Unit)).map_err(|e| inv(e.to_string()))?;
        let values =
            twelve_values(v(YearField::Values)).map_err(|e| inv(format!("{F_VALUES}: {e}")))?;
        values
            .iter()
            .enumerate()
            .map(|(i, x)| {
                let month = from.add_months(i as i32);
                Target::new(la.clone(), month, measure, unit, *x)
                    .map_err(|e| inv(format!("{month}: {e}")))
            })
            .collect()
    }
}

/// `2018-04 to 2019-03: Apr 1.50 · May 1.50 · …` and what the year comes to in delayed days.
fn preview(targets: &[Target], app: &App) -> String {
    let months: Vec<String> = targets
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                t.month.first_day().format("%b"),
                super::target_number(t.value)
            )
        })
        .collect();
    let converted: Vec<Option<TargetUnits>> = targets
        .iter()
        .map(|t| convert_target(t, &app.data.populations))
        .collect();
    let days = converted
        .iter()
        .map(|u| u.map(|u| u.days))
        .sum::<Option<f64>>();
    let total = days.map_or_else(
        || s::NO_POPULATION.to_string(),
        |d| format!("= {} delayed days over the twelve months", super::target_number(d)),
    );
    let span = match (targets.first(), targets.last()) {
        (Some(a), Some(b)) => format!("{} to {}: ", a.month, b.month),
        _ => String::new(),
    };
    format!("{span}{}\n{total}", months.join(" · "))
}

impl FormSpec for YearTargetsForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let targets = Self::command(f)?;
        app.store.set_targets(&targets)?;
        let (first, last) = (
            targets.first().map(|t| t.month),
            targets.last().map(|t| t.month),
        );
        Ok(Saved::note(first.zip(last).map(|(a, b)| {
            format!("{} monthly targets set, {a} to {b}.", targets.len())
        })))
    }

    /// Shows each month's value as it is typed, or why the values are not twelve.
    fn changed(&self, f: &mut Form, app: &App, _typed: bool) {
        let nothing_yet = f.value(YearField::Values as usize).is_empty();
        f.note = Some(if nothing_yet || f.first_invalid(app.today).is_some() {
            VALUES_HINT.to_string()
        } else {
            match Self::command(f) {
                Ok(t) => preview(&t, app),
                Err(e) => e.to_string(),
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_value_is_all_twelve_and_twelve_are_taken_in_order() {
        assert_eq!(twelve_values("1.5").unwrap(), [1.5; 12]);
        let t = twelve_values("10\t11\t12\t13 14 15,16,17;18 19 20 21").unwrap();
        assert_eq!(t[0], 10.0);
        assert_eq!(t[11], 21.0);
        assert_eq!(
            twelve_values("1 2 3").unwrap_err(),
            "3 values: give one for all twelve months, or twelve"
        );
        assert_eq!(
            twelve_values("1 x").unwrap_err(),
            "\"x\" is not a number of 0 or more"
        );
    }

    #[test]
    fn the_financial_year_starts_in_april() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(financial_year_start(d("2018-08-15")).key(), "2018-04");
        assert_eq!(financial_year_start(d("2019-03-31")).key(), "2018-04");
        assert_eq!(financial_year_start(d("2019-04-01")).key(), "2019-04");
    }
}
