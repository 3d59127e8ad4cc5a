//! Actions with owners (issue 26 item 3): what is to be done for a delayed patient, by whom
//! (a person or a team) and by when, and whether it was done or cancelled. The rules, no I/O.

use chrono::NaiveDate;

/// The longest action text kept.
pub const ACTION_TEXT_MAX: usize = 500;
/// The longest owner name kept.
pub const OWNER_MAX: usize = 60;

/// Where an action stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionState {
    Open,
    Done,
    Cancelled,
}

impl ActionState {
    pub const ALL: [ActionState; 3] = [Self::Open, Self::Done, Self::Cancelled];

    /// The stored (and exported) text.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// Whether an open action with this due date is overdue on `today`: due before today (an action
/// due today is not overdue yet; one without a due date never is).
pub fn action_overdue(state: ActionState, due_on: Option<NaiveDate>, today: NaiveDate) -> bool {
    state == ActionState::Open && due_on.is_some_and(|d| d < today)
}

/// An action's text, checked: trimmed, 1 to [`ACTION_TEXT_MAX`] characters, no control character
/// but tab.
pub fn action_text(text: &str) -> Result<String, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("the action is empty".to_string());
    }
    if t.chars().count() > ACTION_TEXT_MAX {
        return Err(format!(
            "the action is longer than {ACTION_TEXT_MAX} characters"
        ));
    }
    super::text::check_text("action", t, super::text::TextKind::Note)?;
    Ok(t.to_string())
}

/// An owner's name, checked: trimmed, inner spaces made single, 1 to [`OWNER_MAX`] characters.
pub fn owner_name(name: &str) -> Result<String, String> {
    let n = name.split_whitespace().collect::<Vec<_>>().join(" ");
    if n.is_empty() {
        return Err("the owner is empty: name a person or a team".to_string());
    }
    if n.chars().count() > OWNER_MAX {
        return Err(format!("the owner is longer than {OWNER_MAX} characters"));
    }
    super::text::check_text("owner", &n, super::text::TextKind::Line)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn due_yesterday_is_overdue_due_today_is_not() {
        let today = day("2018-08-15");
        let open = ActionState::Open;
        assert!(action_overdue(open, Some(day("2018-08-14")), today));
        assert!(!action_overdue(open, Some(day("2018-08-15")), today));
        assert!(!action_overdue(open, Some(day("2018-08-16")), today));
        assert!(!action_overdue(open, None, today));
        // Across a month and a year end.
        assert!(action_overdue(
            open,
            Some(day("2018-12-31")),
            day("2019-01-01")
        ));
        assert!(action_overdue(
            open,
            Some(day("2016-02-29")),
            day("2016-03-01")
        ));
        // Closed actions are never overdue.
        for s in [ActionState::Done, ActionState::Cancelled] {
            assert!(!action_overdue(s, Some(day("2018-08-01")), today));
        }
    }

    #[test]
    fn owner_names_are_trimmed_and_spaces_made_single() {
        assert_eq!(
            owner_name("  Social   work team ").unwrap(),
            "Social work team"
        );
        assert!(owner_name("   ").unwrap_err().contains("empty"));
        assert!(owner_name(&"x".repeat(61)).unwrap_err().contains("60"));
        assert_eq!(owner_name(&"x".repeat(60)).unwrap().len(), 60);
    }

    #[test]
    fn action_text_is_checked() {
        assert_eq!(
            action_text(" Chase P1 package ").unwrap(),
            "Chase P1 package"
        );
        assert!(action_text("").is_err());
        assert!(action_text(&"y".repeat(501)).unwrap_err().contains("500"));
    }

    #[test]
    fn states_round_trip() {
        for s in ActionState::ALL {
            assert_eq!(ActionState::parse(s.as_str()), Some(s));
        }
        assert_eq!(ActionState::parse("closed"), None);
    }
}
