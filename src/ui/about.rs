//! What the `?` help says about the screen under it, before its keys: what the screen is for and
//! what each of its columns means. Each screen's text is in its own module (its `ABOUT`, given by
//! `Screen::about`); the form's is here.

use crate::ui::keymap::Context;

/// A screen's help text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct About {
    /// What the screen is for, in a sentence or two.
    pub purpose: &'static str,
    /// Each column (or row label) and what it means.
    pub columns: &'static [(&'static str, &'static str)],
}

const FORM: About = About {
    purpose: "A form: Tab moves between fields; a pick list completes as you type (or Up/Down); \
              a date takes 2018-08-15, 15/8/18, t (today), t-3 or -3 (days ago), y (yesterday).",
    columns: &[],
};

/// The help text of a context, if it has one (a screen's own contexts: from the screen, see
/// `Screen::about`).
pub fn about(ctx: Context) -> Option<&'static About> {
    match ctx {
        Context::Form => Some(&FORM),
        Context::FirstRun => Some(&crate::ui::screens::first_run::ABOUT),
        Context::Filter | Context::Confirm | Context::Help | Context::ScreenList => None,
        other => crate::ui::screens::about(other),
    }
}
