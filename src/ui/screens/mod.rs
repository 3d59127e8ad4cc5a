//! One module per screen. Each holds its state struct, its key handling (`update`), its drawing
//! (`render`, from `&App` only) and its forms, and provides:
//!
//! - `context(&App) -> Context`: where its keys are read (the keymap's table for that context
//!   feeds the footer and the `?` help);
//! - `update(&mut App, Action)`: its keys;
//! - `render(&mut Frame, Rect, &App)`;
//! - `refresh(&mut App)` (recompute from the loaded data after every reload) and `show(&mut App)`
//!   (when it is shown: read what a reload left stale);
//! - `TITLE` and `SHORT` (its tab), and its state type with `new(today)`.
//!
//! **Registering a screen** is one line of the `screens!` table below: it adds the screen's
//! [`ScreenId`] (tab and number key), its state to [`Screens`] (`app.screens.<module>`), and
//! every dispatch on the screen shown (`crate::ui::render`, `App::update`, `App::context`,
//! reloads, switching). Keys of its own go in the keymap table (`crate::ui::keymap`: a
//! `Context` and its bindings), the one source of the footer and the `?` help.

pub mod board;
pub mod dashboard;
pub mod discharges;
pub mod first_run;
pub mod long_stay;
pub mod reconcile;
pub mod register;
pub mod report;
pub mod settings;
pub mod weekly;

use crate::domain::YearMonth;
use crate::ui::app::{App, MONTHS_SHOWN};
use crate::ui::keymap::{Action, Context};
use chrono::NaiveDate;

/// Generates, from the registration table below: [`ScreenId`] (tab order = table order, keys
/// `1`-`9`), [`Screens`] (one field per screen's state, named after its module) and the dispatch
/// over the screen shown.
macro_rules! screens {
    ($($id:ident => $m:ident :: $state:ident;)*) => {
        /// Which screen, in tab order.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ScreenId {
            $($id,)*
        }

        impl ScreenId {
            pub const ALL: &'static [ScreenId] = &[$(ScreenId::$id,)*];

            pub fn index(self) -> usize {
                self as usize
            }

            /// The tab's title.
            pub fn title(self) -> &'static str {
                match self {
                    $(ScreenId::$id => $m::TITLE,)*
                }
            }

            /// The tab's label below 100 columns.
            pub fn short(self) -> &'static str {
                match self {
                    $(ScreenId::$id => $m::SHORT,)*
                }
            }
        }

        /// Every screen's state, one field per screen named after its module.
        #[derive(Debug, Clone)]
        pub struct Screens {
            $(pub $m: $m::$state,)*
        }

        impl Screens {
            pub fn new(today: NaiveDate) -> Self {
                Self {
                    $($m: $m::$state::new(today),)*
                }
            }
        }

        /// Draws the screen shown.
        pub fn render(frame: &mut Frame, area: Rect, app: &App) {
            match app.screen {
                $(ScreenId::$id => $m::render(frame, area, app),)*
            }
        }

        /// Where the keys of the screen shown are read.
        pub fn context(app: &App) -> Context {
            match app.screen {
                $(ScreenId::$id => $m::context(app),)*
            }
        }

        /// Applies a key to the screen shown.
        pub fn update(app: &mut App, action: Action) {
            match app.screen {
                $(ScreenId::$id => $m::update(app, action),)*
            }
        }

        /// After a reload: every screen recomputes what it keeps from the loaded data.
        pub fn refresh(app: &mut App) {
            $($m::refresh(app);)*
        }

        /// The screen shown, when shown: reads what a reload left stale.
        pub fn show(app: &mut App) {
            match app.screen {
                $(ScreenId::$id => $m::show(app),)*
            }
        }
    };
}

// The registration table: one line per screen, `Id => module::State;`.
screens! {
    Dashboard => dashboard::DashboardState;
    Register => register::RegisterState;
    Board => board::BoardState;
    LongStay => long_stay::LongStayState;
    Report => report::ReportState;
    Settings => settings::SettingsState;
    Discharges => discharges::DischargesState;
    Weekly => weekly::WeeklyState;
    Reconcile => reconcile::ReconcileState;
}

/// Moves a list selection for the movement actions.
pub fn move_sel(sel: &mut usize, len: usize, action: Action) {
    let last = len.saturating_sub(1);
    *sel = match action {
        Action::Down => (*sel + 1).min(last),
        Action::Up => sel.saturating_sub(1),
        Action::Top => 0,
        Action::Bottom => last,
        Action::PageDown => (*sel + 10).min(last),
        Action::PageUp => sel.saturating_sub(10),
        _ => (*sel).min(last),
    };
}

/// None → first → … → last → None.
pub fn cycle_opt<T: Clone + PartialEq>(all: &[T], cur: Option<T>) -> Option<T> {
    match cur {
        None => all.first().cloned(),
        Some(c) => {
            let i = all.iter().position(|x| *x == c)?;
            all.get(i + 1).cloned()
        }
    }
}

/// Typing into a `/` filter (the register's and the long-stay list's).
pub fn edit_filter(query: &mut Input, filtering: &mut bool, selected: &mut usize, action: Action) {
    match action {
        Action::Input(e) => {
            let req = e.request();
            query.handle(req);
            *selected = 0;
        }
        Action::Submit => *filtering = false,
        Action::Cancel => {
            query.reset();
            *filtering = false;
            *selected = 0;
        }
        _ => {}
    }
}
use crate::ui::theme::Theme;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::Frame;
use tui_input::Input;

/// The months shown, oldest first.
pub fn months(app: &App) -> Vec<YearMonth> {
    let this = YearMonth::of(app.today);
    this.add_months(-(MONTHS_SHOWN - 1))
        .range_inclusive(this)
        .collect()
}

/// Short authority label for narrow columns.
pub fn la_label(app: &App, code: &str) -> String {
    app.data
        .authorities
        .iter()
        .find(|a| a.code == code)
        .map_or(code, |a| a.display_name())
        .to_string()
}

/// Text cut to `n` characters.
pub fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// The start of a `/` filter line: the typed text, the hint while empty, and the cursor while
/// typing (the register and the long-stay list share it).
pub fn filter_spans(
    frame: &mut Frame,
    area: Rect,
    query: &Input,
    typing: bool,
    hint: &'static str,
    t: &Theme,
) -> Vec<Span<'static>> {
    let mut spans = vec![
        Span::styled("/", t.key()),
        Span::raw(format!(" {}", query.value())),
    ];
    if !typing && query.value().is_empty() {
        spans.push(Span::styled(hint, t.dim()));
    }
    if typing {
        spans.push(Span::styled("▏", t.focus()));
        frame.set_cursor_position((area.x + 2 + query.visual_cursor() as u16, area.y));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::keymap::action_for;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    /// The registration table gives every screen its tab (in table order, titles distinct) and
    /// the number key of its place.
    #[test]
    fn every_registered_screen_has_its_tab_and_number_key() {
        assert_eq!(ScreenId::ALL.len(), 9);
        for (i, id) in ScreenId::ALL.iter().enumerate() {
            assert_eq!(id.index(), i);
            let digit = char::from_digit(i as u32 + 1, 10).unwrap_or('0');
            let key = KeyEvent::new(KeyCode::Char(digit), KeyModifiers::NONE);
            assert_eq!(
                action_for(Context::Register, &key),
                Some(Action::Screen(*id))
            );
            let others = ScreenId::ALL.iter().filter(|o| *o != id);
            assert!(others.clone().all(|o| o.title() != id.title()));
            assert!(others.clone().all(|o| o.short() != id.short()));
        }
        assert_eq!(ScreenId::Weekly.title(), "Weekly sitrep");
        assert_eq!(ScreenId::LongStay.short(), "Long");
        let zero = KeyEvent::new(KeyCode::Char('0'), KeyModifiers::NONE);
        assert_eq!(action_for(Context::Register, &zero), None);
    }
}
