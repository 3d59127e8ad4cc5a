//! The pick lists of the delay forms (and the authorities' of the settings forms).

use crate::domain::{AcuteReason, Attribution, Destination, Pathway, ReasonCode};
use crate::ui::app::App;
use crate::ui::strings as s;
use crate::ui::widgets::form::Choice;

pub fn site_choices(app: &App) -> Vec<Choice> {
    app.data
        .sites
        .iter()
        .map(|x| {
            Choice::new(
                &x.code,
                x.name
                    .clone()
                    .unwrap_or_else(|| x.setting.label().to_string()),
            )
        })
        .collect()
}

/// The authorities as a pick list (the settings forms use it too).
pub fn la_choices(app: &App) -> Vec<Choice> {
    app.data
        .authorities
        .iter()
        .map(|a| Choice::new(&a.code, a.display_name()))
        .collect()
}

pub fn reason_choices() -> Vec<Choice> {
    ReasonCode::ALL
        .iter()
        .map(|r| Choice::new(r.code(), r.label()))
        .collect()
}

pub fn attribution_choices() -> Vec<Choice> {
    Attribution::ALL
        .iter()
        .map(|a| Choice::new(attribution_code(*a), a.label()))
        .collect()
}

/// The short code typed for an attribution (what `Attribution::parse` accepts).
pub fn attribution_code(a: Attribution) -> &'static str {
    match a {
        Attribution::Nhs => "nhs",
        Attribution::SocialCare => "sc",
        Attribution::Both => "both",
    }
}

/// The 12 destinations of the acute discharge sitrep (table 4).
pub fn destination_choices() -> Vec<Choice> {
    Destination::ALL
        .iter()
        .map(|d| Choice::new(d.code(), d.label()))
        .collect()
}

/// The 18 reasons of the acute sitrep (table 5), recorded beside a DTOC reason code.
pub fn acute_reason_choices() -> Vec<Choice> {
    AcuteReason::ALL
        .iter()
        .map(|a| Choice::new(a.code(), a.label()))
        .collect()
}

/// The codes of the usual-residence pick list.
const USUAL_CODES: [&str; 3] = ["yes", "no", "unknown"];

/// Yes, no or not known: whether a discharge went to the usual place of residence.
pub fn usual_residence_choices() -> Vec<Choice> {
    vec![
        Choice::new(USUAL_CODES[0], s::USUAL_YES),
        Choice::new(USUAL_CODES[1], s::USUAL_NO),
        Choice::new(USUAL_CODES[2], s::USUAL_UNKNOWN),
    ]
}

/// The pick-list code for a known or unknown usual residence.
pub fn usual_residence_code(u: Option<bool>) -> &'static str {
    match u {
        Some(true) => USUAL_CODES[0],
        Some(false) => USUAL_CODES[1],
        None => USUAL_CODES[2],
    }
}

/// The stored value of the usual-residence field (empty or `unknown`: not known).
pub fn usual_residence_saved(code: &str) -> Option<bool> {
    match code {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

pub fn pathway_choices() -> Vec<Choice> {
    Pathway::ALL
        .iter()
        .map(|p| Choice::new(p.number().to_string(), p.label()))
        .collect()
}
