//! The settings forms: an authority (name, region, legacy code), one year's 18+ population, a
//! site and its type of care, a target in any of the four units (docs/measures.md, previewed converted
//! into all four as it is typed) and a target on a discharge share (percent, issue 6). Each form
//! saves through one audited store call; saving replaces the row with the same key.

use crate::domain::{LaCode, Measure, Setting, ShareMeasure, TargetUnit, YearMonth};
use crate::report::rates::{days_in_unit, population_for_month, target_days, PopulationUsed};
use crate::store::{DischargeTarget, Population, Site, Target};
use crate::ui::app::App;
use crate::ui::forms::{ActiveForm, FormSpec, Saved};
use crate::ui::screens::register::choices::la_choices;
use crate::ui::strings as s;
use crate::ui::widgets::form::{Choice, Field, FieldKind, Form};

fn inv(m: impl ToString) -> crate::Error {
    crate::Error::invalid(m.to_string())
}

fn opt(v: &str) -> Option<&str> {
    Some(v).filter(|v| !v.is_empty())
}

fn open(app: &mut App, kind: impl FormSpec + 'static, title: &'static str, fields: Vec<Field>) {
    app.form = Some(ActiveForm::new(kind, Form::new(title, fields)));
}

/// The authority form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum AuthorityField {
    Code,
    Name,
    Region,
    Legacy,
}

/// An authority's name, region and legacy code.
#[derive(Debug, Clone, Copy)]
pub struct AuthorityForm;

impl AuthorityForm {
    pub fn open(app: &mut App, a: Option<&crate::store::Authority>) {
        let v = |x: Option<&Option<String>>| x.and_then(|o| o.clone()).unwrap_or_default();
        let fields = vec![
            Field::new(s::F_LA_CODE, FieldKind::LaCode, true)
                .with_value(a.map(|a| a.code.to_string()).unwrap_or_default()),
            Field::new(s::F_NAME, FieldKind::Text, true).with_value(v(a.map(|a| &a.name))),
            Field::new(s::F_REGION, FieldKind::Text, false).with_value(v(a.map(|a| &a.region))),
            Field::new(s::F_LEGACY, FieldKind::Text, false)
                .with_value(v(a.map(|a| &a.legacy_code))),
        ];
        open(app, AuthorityForm, s::FORM_AUTHORITY, fields);
    }
}

impl FormSpec for AuthorityForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let v = |x: AuthorityField| f.value(x as usize);
        let code = LaCode::parse(v(AuthorityField::Code)).map_err(inv)?;
        app.store.set_authority(
            &code,
            opt(v(AuthorityField::Name)),
            opt(v(AuthorityField::Region)),
            opt(v(AuthorityField::Legacy)),
        )?;
        Ok(Saved::default())
    }
}

/// The population form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum PopulationField {
    La,
    Year,
    Population,
}

/// One year's 18+ population of an authority.
#[derive(Debug, Clone, Copy)]
pub struct PopulationForm;

impl PopulationForm {
    pub fn open(app: &mut App, p: Option<&Population>) {
        let year = YearMonth::of(app.today).year;
        let fields = vec![
            Field::new(s::F_LA, FieldKind::Choice(la_choices(app)), true)
                .with_value(p.map(|p| p.la_code.to_string()).unwrap_or_default()),
            Field::new(s::F_YEAR, FieldKind::Year, true)
                .with_value(p.map_or_else(|| year.to_string(), |p| p.year.to_string())),
            Field::new(s::F_POPULATION, FieldKind::Number, true).with_value(
                p.map(|p| p.population_18plus.to_string())
                    .unwrap_or_default(),
            ),
        ];
        open(app, PopulationForm, s::FORM_POPULATION, fields);
    }
}

impl FormSpec for PopulationForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let v = |x: PopulationField| f.value(x as usize);
        let code = LaCode::parse(v(PopulationField::La)).map_err(inv)?;
        let year: i32 = v(PopulationField::Year)
            .parse()
            .map_err(|_| inv(s::ERR_YEAR))?;
        let n: u64 = v(PopulationField::Population)
            .parse()
            .map_err(|_| inv(s::ERR_NOT_NUMBER))?;
        app.store.set_population(&code, None, year, n)?;
        Ok(Saved::default())
    }
}

/// The site form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum SiteField {
    Code,
    Name,
    Setting,
    Provider,
    SnapshotDay,
    CoverageFrom,
}

/// The days of the week a site may take its weekly discharge sitrep snapshot on.
const WEEKDAYS: [chrono::Weekday; 7] = [
    chrono::Weekday::Mon,
    chrono::Weekday::Tue,
    chrono::Weekday::Wed,
    chrono::Weekday::Thu,
    chrono::Weekday::Fri,
    chrono::Weekday::Sat,
    chrono::Weekday::Sun,
];

/// A site, its type of care and its weekly sitrep snapshot day (Monday unless chosen).
#[derive(Debug, Clone, Copy)]
pub struct SiteForm;

impl SiteForm {
    pub fn open(app: &mut App, x: Option<&Site>) {
        let settings = Setting::ALL
            .iter()
            .map(|x| Choice::new(x.key(), x.label()))
            .collect();
        // A new site most likely belongs to the provider of the others.
        let provider = x
            .or_else(|| app.data.sites.first())
            .map(|x| x.provider_code.clone())
            .unwrap_or_default();
        let days = WEEKDAYS
            .iter()
            .map(|d| Choice::new(d.to_string(), d.to_string()))
            .collect();
        let snapshot = x
            .and_then(|x| app.store.snapshot_days().ok()?.remove(&x.code))
            .unwrap_or(chrono::Weekday::Mon);
        let fields = vec![
            Field::new(s::F_SITE_CODE, FieldKind::Text, true)
                .with_value(x.map(|x| x.code.clone()).unwrap_or_default()),
            Field::new(s::F_NAME, FieldKind::Text, false)
                .with_value(x.and_then(|x| x.name.clone()).unwrap_or_default()),
            Field::new(s::F_SETTING, FieldKind::Choice(settings), true)
                .with_value(x.map_or(Setting::Acute.key(), |x| x.setting.key())),
            Field::new(s::F_PROVIDER, FieldKind::Text, true).with_value(provider),
            Field::new(s::F_SNAPSHOT_DAY, FieldKind::Choice(days), true)
                .with_value(snapshot.to_string()),
            // Blank: as the register decides (the day its first record is entered).
            Field::new(s::F_COVERAGE_FROM, FieldKind::Date, false).with_value(
                x.and_then(|x| {
                    app.data
                        .coverage
                        .sites
                        .iter()
                        .find(|c| c.site_code == x.code)
                })
                .map(|c| c.from.to_string())
                .unwrap_or_default(),
            ),
        ];
        open(app, SiteForm, s::FORM_SITE, fields);
    }
}

impl FormSpec for SiteForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let v = |x: SiteField| f.value(x as usize);
        let site = Site {
            code: v(SiteField::Code).to_uppercase(),
            name: opt(v(SiteField::Name)).map(String::from),
            setting: Setting::parse(v(SiteField::Setting)).map_err(inv)?,
            provider_code: v(SiteField::Provider).to_uppercase(),
        };
        let day = v(SiteField::SnapshotDay)
            .parse::<chrono::Weekday>()
            .map_err(|_| inv(s::F_SNAPSHOT_DAY))?;
        let covered = match opt(v(SiteField::CoverageFrom)) {
            Some(d) => Some(crate::domain::parse_input_date(d, app.today).map_err(inv)?),
            None => None,
        };
        if let Some(d) = covered.filter(|d| *d > app.today) {
            return Err(inv(format!(
                "{}: {d} is after today ({}): a record cannot be complete from the future",
                s::F_COVERAGE_FROM,
                app.today
            )));
        }
        app.store.upsert_site_with_snapshot_day(&site, day)?;
        if let Some(d) = covered {
            app.store
                .set_coverage(&[(site.code.clone(), d)], crate::store::CoverageSource::Set)?;
        }
        Ok(Saved::default())
    }
}

/// The target form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum TargetField {
    La,
    Month,
    Measure,
    Unit,
    Value,
}

/// The measures a target is set for, as a form's choices.
pub(super) fn measure_choices() -> Vec<Choice> {
    Measure::ALL
        .iter()
        .map(|m| Choice::new(m.key(), m.label()))
        .collect()
}

/// The four units a target is entered in, as a form's choices.
pub(super) fn unit_choices() -> Vec<Choice> {
    TargetUnit::ALL
        .iter()
        .map(|u| Choice::new(u.key(), s::unit_label(*u)))
        .collect()
}

/// A target in any of the four units.
#[derive(Debug, Clone, Copy)]
pub struct TargetForm;

impl TargetForm {
    pub fn open(app: &mut App, t: Option<&Target>) {
        let (measures, units) = (measure_choices(), unit_choices());
        let fields = vec![
            Field::new(s::F_LA, FieldKind::Choice(la_choices(app)), true)
                .with_value(t.map(|t| t.la_code.to_string()).unwrap_or_default()),
            Field::new(s::F_MONTH, FieldKind::Month, true)
                .with_value(t.map_or_else(|| YearMonth::of(app.today).key(), |t| t.month.key())),
            Field::new(s::F_MEASURE, FieldKind::Choice(measures), true)
                .with_value(t.map_or("total", |t| t.measure.key())),
            Field::new(s::F_UNIT, FieldKind::Choice(units), true)
                .with_value(t.map_or("days_per_day", |t| t.unit.key())),
            Field::new(s::F_VALUE, FieldKind::Decimal, true)
                .with_value(t.map(|t| t.value.to_string()).unwrap_or_default()),
        ];
        open(app, TargetForm, s::FORM_TARGET, fields);
    }

    /// The target a valid target form describes.
    pub fn command(f: &Form) -> crate::Result<Target> {
        let v = |x: TargetField| f.value(x as usize);
        Target::new(
            LaCode::parse(v(TargetField::La)).map_err(inv)?,
            YearMonth::parse(v(TargetField::Month)).map_err(inv)?,
            Measure::parse(v(TargetField::Measure)).map_err(inv)?,
            TargetUnit::parse(v(TargetField::Unit)).map_err(inv)?,
            v(TargetField::Value)
                .parse()
                .map_err(|_| inv(s::ERR_NOT_DECIMAL))?,
        )
        .map_err(inv)
    }
}

impl FormSpec for TargetForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let t = Self::command(f)?;
        app.store.set_target(&t)?;
        // Say what was stored, in every unit.
        Ok(Saved::note(
            convert_target(&t, &app.data.populations).map(|u| conversion_text(&u)),
        ))
    }

    /// Shows, under the form, its value converted into all four units as it is typed.
    fn changed(&self, f: &mut Form, app: &App, _typed: bool) {
        f.note = if f.first_invalid(app.today).is_some() {
            None
        } else {
            Self::command(f)
                .ok()
                .and_then(|t| convert_target(&t, &app.data.populations))
                .map(|u| conversion_text(&u))
        };
    }
}

/// The discharge target form's fields, in order.
#[derive(Debug, Clone, Copy)]
pub enum DischargeTargetField {
    La,
    Month,
    Measure,
    Percent,
}

/// A target on a discharge share, in percent.
#[derive(Debug, Clone, Copy)]
pub struct DischargeTargetForm;

impl DischargeTargetForm {
    pub fn open(app: &mut App, t: Option<&DischargeTarget>) {
        let measures = ShareMeasure::ALL
            .iter()
            .map(|m| Choice::new(m.key(), m.label()))
            .collect();
        let fields = vec![
            Field::new(s::F_LA, FieldKind::Choice(la_choices(app)), true)
                .with_value(t.map(|t| t.la_code.to_string()).unwrap_or_default()),
            Field::new(s::F_MONTH, FieldKind::Month, true)
                .with_value(t.map_or_else(|| YearMonth::of(app.today).key(), |t| t.month.key())),
            Field::new(s::F_MEASURE, FieldKind::Choice(measures), true)
                .with_value(t.map_or(ShareMeasure::Pathway1.key(), |t| t.measure.key())),
            Field::new(s::F_PERCENT, FieldKind::Decimal, true)
                .with_value(t.map(|t| t.percent.to_string()).unwrap_or_default()),
        ];
        open(app, DischargeTargetForm, s::FORM_DISCHARGE_TARGET, fields);
    }
}

impl FormSpec for DischargeTargetForm {
    fn save(&self, f: &Form, app: &mut App) -> crate::Result<Saved> {
        let v = |x: DischargeTargetField| f.value(x as usize);
        let t = DischargeTarget::new(
            LaCode::parse(v(DischargeTargetField::La)).map_err(inv)?,
            YearMonth::parse(v(DischargeTargetField::Month)).map_err(inv)?,
            ShareMeasure::parse(v(DischargeTargetField::Measure)).map_err(inv)?,
            v(DischargeTargetField::Percent)
                .parse()
                .map_err(|_| inv(s::ERR_NOT_DECIMAL))?,
        )
        .map_err(inv)?;
        app.store.set_discharge_target(&t)?;
        Ok(Saved::default())
    }
}

/// A target expressed in all four units, with the population estimate used (docs/measures.md).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TargetUnits {
    /// Delayed days in the month.
    pub days: f64,
    /// Delayed days per day.
    pub per_day: f64,
    /// Per 100,000 adults per month and per day; `None` without a population estimate.
    pub per_100k_month: Option<f64>,
    pub per_100k_day: Option<f64>,
    pub population: Option<PopulationUsed>,
}

/// Converts a target into every unit with its month's length and the authority's population for
/// that month. `None` when the target is per 100,000 and there is no population to convert with.
pub fn convert_target(t: &Target, populations: &[Population]) -> Option<TargetUnits> {
    let estimates: Vec<(i32, u64)> = populations
        .iter()
        .filter(|p| p.la_code == t.la_code.as_str())
        .map(|p| (p.year, p.population_18plus))
        .collect();
    let population = population_for_month(&estimates, t.month);
    let pop = population.map(|p| p.population);
    let n = t.month.days();
    let days = target_days(t.unit, t.value, n, pop).ok()?;
    let per_100k = |u: TargetUnit| pop.and_then(|p| days_in_unit(u, days, n, Some(p)).ok());
    Some(TargetUnits {
        days,
        per_day: days_in_unit(TargetUnit::DaysPerDay, days, n, None).ok()?,
        per_100k_month: per_100k(TargetUnit::Per100kMonth),
        per_100k_day: per_100k(TargetUnit::Per100kDay),
        population,
    })
}

/// The one-line summary of a converted target, e.g.
/// `= 46.50 days · 1.50 a day · 155.00 /100k a month · 5.00 /100k a day (2017 18+ population 30000)`
/// (every unit in the one format of the Settings list).
pub fn conversion_text(u: &TargetUnits) -> String {
    let opt = |v: Option<f64>| v.map_or_else(|| "-".to_string(), super::target_number);
    let pop = u.population.map_or_else(
        || s::NO_POPULATION.to_string(),
        |p| format!("{} 18+ population {}", p.year, p.population),
    );
    format!(
        "= {} days · {} a day · {} /100k a month · {} /100k a day ({pop})",
        super::target_number(u.days),
        super::target_number(u.per_day),
        opt(u.per_100k_month),
        opt(u.per_100k_day)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(unit: TargetUnit, value: f64, month: &str) -> Target {
        Target {
            la_code: LaCode::parse("E06000017").unwrap(),
            month: YearMonth::parse(month).unwrap(),
            measure: Measure::Total,
            unit,
            value,
        }
    }

    fn rutland() -> Vec<Population> {
        vec![Population {
            la_code: LaCode::parse("E06000017").unwrap(),
            year: 2017,
            population_18plus: 30_000,
        }]
    }

    #[test]
    fn a_daily_target_converts_into_every_unit() {
        // 1.5 a day in August (31 days) = 46.5 days; per 100k of 30,000 adults:
        // 46.5 / 30,000 × 100,000 = 155 a month, 1.5 / 30,000 × 100,000 = 5 a day.
        let u =
            convert_target(&target(TargetUnit::DaysPerDay, 1.5, "2018-08"), &rutland()).unwrap();
        assert!((u.days - 46.5).abs() < 1e-9);
        assert!((u.per_day - 1.5).abs() < 1e-9);
        assert!((u.per_100k_month.unwrap() - 155.0).abs() < 1e-9);
        assert!((u.per_100k_day.unwrap() - 5.0).abs() < 1e-9);
        assert_eq!(u.population.map(|p| p.year), Some(2017));
    }

    #[test]
    fn per_100k_needs_a_population_but_days_do_not() {
        // 5 per 100k a day with no population cannot be converted at all.
        assert!(convert_target(&target(TargetUnit::Per100kDay, 5.0, "2018-02"), &[]).is_none());
        // 42 days in February 2018 (28 days) = 1.5 a day; no per-100k figures.
        let u = convert_target(&target(TargetUnit::Days, 42.0, "2018-02"), &[]).unwrap();
        assert!((u.per_day - 1.5).abs() < 1e-9);
        assert_eq!(u.per_100k_day, None);
    }
}
