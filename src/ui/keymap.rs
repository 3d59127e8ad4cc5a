//! Keys to [`Action`]s, per context. The keys every screen shares (global, movement, export,
//! forms, filters, dialogs) are here; each screen's own keys are in its module (its `KEYS`,
//! given by `Screen::keys`). The footer and the help popup are both built from [`bindings`], so
//! they never drift from what the keys do.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub use crate::ui::screens::ScreenId;

/// An edit to the focused text field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEdit {
    Insert(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    Clear,
}

impl TextEdit {
    /// The edit as a `tui_input` request (the form fields' and the `/` filters').
    pub fn request(self) -> tui_input::InputRequest {
        use tui_input::InputRequest as R;
        match self {
            Self::Insert(c) => R::InsertChar(c),
            Self::Backspace => R::DeletePrevChar,
            Self::Delete => R::DeleteNextChar,
            Self::Left => R::GoToPrevChar,
            Self::Right => R::GoToNextChar,
            Self::Home => R::GoToStart,
            Self::End => R::GoToEnd,
            Self::Clear => R::DeleteLine,
        }
    }
}

/// Everything the app can be asked to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ForceQuit,
    Help,
    Screen(ScreenId),
    /// Open the list of every screen (`0`: the screens past the ninth are reached from it).
    ScreenList,
    NextScreen,
    PrevScreen,
    Up,
    Down,
    Top,
    Bottom,
    PageUp,
    PageDown,
    Open,
    Back,
    Filter,
    CycleReason,
    CycleAttribution,
    CycleAuthority,
    CycleSite,
    ClearFilters,
    ToggleEnded,
    Add,
    ChangeReason,
    End,
    Edit,
    /// Correct a stay's local id, NHS number, admission or site (the detail view).
    Correct,
    Delete,
    StillDelayed,
    NextItem,
    PrevItem,
    More,
    Fewer,
    Sort,
    /// Reverse the sort direction.
    Reverse,
    /// Next / previous section of a screen (settings).
    NextSection,
    PrevSection,
    ToggleView,
    CyclePeriod,
    Export,
    ExportXlsx,
    NextField,
    PrevField,
    ChoiceNext,
    ChoicePrev,
    Submit,
    Cancel,
    Input(TextEdit),
    Yes,
    No,
    /// Weekly screen: sign the week off for a side.
    SignOff,
    /// Weekly screen: reopen the week (with a reason).
    Reopen,
    /// Reconcile screen: mark the selected difference.
    Mark,
    /// Add an action to a delay (register, detail, board round, ward board).
    Note,
    /// Close (done, cancelled) or change one of a delay's open actions.
    UpdateAction,
    /// Set a stay's ward, bed and expected discharge date.
    Place,
    /// Board round: open the census form (on the census step), or go to the census step.
    Census,
    /// Board round and ward board: the next delay not reviewed today (wrapping).
    NextUnreviewed,
    /// Import a file (a path prompt).
    Import,
    /// First run: add a population, a site, a target; import a file of each kind.
    AddPopulation,
    AddSite,
    AddTarget,
    ImportPopulation,
    ImportTargets,
    ImportDelays,
    ImportStays,
    /// Open the first-run screen (set up authorities, sites, targets).
    SetUp,
}

/// Where the keys are being read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    Dashboard,
    Register,
    Detail,
    Board,
    /// The board round's census step (the delays not reviewed yet).
    BoardCensus,
    /// The board round's totals.
    BoardSummary,
    LongStay,
    Report,
    Settings,
    Discharges,
    Weekly,
    Reconcile,
    /// The first-run screen of an empty database.
    FirstRun,
    Filter,
    Form,
    Confirm,
    Help,
    /// The list of every screen (`0`).
    ScreenList,
    /// The main context of a registered screen that names none of its own (a screen added by
    /// the recipe in ARCHITECTURE.md: its keys are its `Screen::keys` for this context).
    Screen(ScreenId),
}

/// A context's key list: the parts, most specific first.
pub type Keys = &'static [&'static [Binding]];

/// One line of the key list: the keys, their label, the action and what it does.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [(KeyCode, KeyModifiers)],
    pub label: &'static str,
    pub action: Action,
    pub help: &'static str,
    /// Shown in the footer too (the help popup shows every binding).
    pub footer: bool,
}

pub const N: KeyModifiers = KeyModifiers::NONE;
pub const S: KeyModifiers = KeyModifiers::SHIFT;
pub const C: KeyModifiers = KeyModifiers::CONTROL;

macro_rules! b {
    ($label:expr, $action:expr, $help:expr, $footer:expr, [$($k:expr),+ $(,)?]) => {
        $crate::ui::keymap::Binding { keys: &[$($k),+], label: $label, action: $action, help: $help, footer: $footer }
    };
}
pub(crate) use b;

pub const fn ch(c: char) -> (KeyCode, KeyModifiers) {
    (KeyCode::Char(c), N)
}

pub const GLOBAL: &[Binding] = &[
    b!(
        "?",
        Action::Help,
        "help",
        true,
        [ch('?'), (KeyCode::Char('?'), S)]
    ),
    b!("q", Action::Quit, "quit", true, [ch('q')]),
    b!(
        "0",
        Action::ScreenList,
        "all screens, to pick from",
        false,
        [ch('0')]
    ),
    // The number keys: `action_for` turns the digit into the screen of that number.
    b!(
        "0-9",
        Action::Screen(ScreenId::ALL[0]),
        "screens",
        true,
        [
            ch('1'),
            ch('2'),
            ch('3'),
            ch('4'),
            ch('5'),
            ch('6'),
            ch('7'),
            ch('8'),
            ch('9')
        ]
    ),
    b!(
        "Tab/S-Tab",
        Action::NextScreen,
        "next / previous screen",
        false,
        [(KeyCode::Tab, N)]
    ),
    b!(
        "",
        Action::PrevScreen,
        "",
        false,
        [(KeyCode::BackTab, S), (KeyCode::BackTab, N)]
    ),
    b!(
        "C-c",
        Action::ForceQuit,
        "quit (a form asks)",
        false,
        [(KeyCode::Char('c'), C)]
    ),
];

pub const MOVE: &[Binding] = &[
    b!(
        "j/k",
        Action::Down,
        "move down / up",
        false,
        [ch('j'), (KeyCode::Down, N)]
    ),
    b!("", Action::Up, "", false, [ch('k'), (KeyCode::Up, N)]),
    b!(
        "g/G",
        Action::Top,
        "first / last",
        false,
        [ch('g'), (KeyCode::Home, N)]
    ),
    b!(
        "",
        Action::Bottom,
        "",
        false,
        [ch('G'), (KeyCode::Char('G'), S), (KeyCode::End, N)]
    ),
    b!(
        "PgUp/PgDn",
        Action::PageUp,
        "page up / down",
        false,
        [(KeyCode::PageUp, N)]
    ),
    b!("", Action::PageDown, "", false, [(KeyCode::PageDown, N)]),
];

/// The movement keys of a view that scrolls (a delay's detail).
pub const SCROLL: &[Binding] = &[
    b!(
        "j/k",
        Action::Down,
        "scroll down / up",
        false,
        [ch('j'), (KeyCode::Down, N)]
    ),
    b!("", Action::Up, "", false, [ch('k'), (KeyCode::Up, N)]),
    b!(
        "PgDn/PgUp",
        Action::PageDown,
        "page down / up",
        false,
        [(KeyCode::PageDown, N)]
    ),
    b!("", Action::PageUp, "", false, [(KeyCode::PageUp, N)]),
    b!(
        "g/G",
        Action::Top,
        "top / bottom",
        false,
        [ch('g'), (KeyCode::Home, N)]
    ),
    b!(
        "",
        Action::Bottom,
        "",
        false,
        [ch('G'), (KeyCode::Char('G'), S), (KeyCode::End, N)]
    ),
];

/// `E`/`X`: the screens that export (long stay, monthly report).
pub const EXPORT: &[Binding] = &[
    b!(
        "E",
        Action::Export,
        "CSV",
        true,
        [ch('E'), (KeyCode::Char('E'), S)]
    ),
    b!(
        "X",
        Action::ExportXlsx,
        "XLSX",
        true,
        [ch('X'), (KeyCode::Char('X'), S)]
    ),
];

const FILTER: &[Binding] = &[
    b!(
        "Enter",
        Action::Submit,
        "keep filter",
        true,
        [(KeyCode::Enter, N)]
    ),
    b!(
        "Esc",
        Action::Cancel,
        "clear filter",
        true,
        [(KeyCode::Esc, N)]
    ),
];

const FORM: &[Binding] = &[
    b!(
        "Tab",
        Action::NextField,
        "next field",
        true,
        [(KeyCode::Tab, N)]
    ),
    b!(
        "S-Tab",
        Action::PrevField,
        "prev field",
        true,
        [(KeyCode::BackTab, S), (KeyCode::BackTab, N)]
    ),
    b!(
        "Up/Down",
        Action::ChoiceNext,
        "choose",
        true,
        [(KeyCode::Down, N)]
    ),
    b!("", Action::ChoicePrev, "", false, [(KeyCode::Up, N)]),
    b!("Enter", Action::Submit, "save", true, [(KeyCode::Enter, N)]),
    b!("Esc", Action::Cancel, "cancel", true, [(KeyCode::Esc, N)]),
    b!(
        "C-c",
        Action::ForceQuit,
        "quit",
        false,
        [(KeyCode::Char('c'), C)]
    ),
];

const CONFIRM: &[Binding] = &[
    // Destructive: only `y` says yes; Enter and Esc both keep things as they are.
    b!(
        "y",
        Action::Yes,
        "yes",
        true,
        [ch('y'), (KeyCode::Char('Y'), S)]
    ),
    b!(
        "n/Enter/Esc",
        Action::No,
        "no (the default)",
        true,
        [ch('n'), (KeyCode::Enter, N), (KeyCode::Esc, N)]
    ),
];

const SCREEN_LIST: &[Binding] = &[
    b!(
        "Enter",
        Action::Open,
        "show the screen",
        true,
        [(KeyCode::Enter, N)]
    ),
    b!(
        "Esc",
        Action::Back,
        "close",
        true,
        [(KeyCode::Esc, N), ch('0'), ch('q')]
    ),
    b!(
        "j/k",
        Action::Down,
        "move down / up",
        true,
        [ch('j'), (KeyCode::Down, N), (KeyCode::Tab, N)]
    ),
    b!(
        "",
        Action::Up,
        "",
        false,
        [
            ch('k'),
            (KeyCode::Up, N),
            (KeyCode::BackTab, S),
            (KeyCode::BackTab, N)
        ]
    ),
];

const HELP: &[Binding] = &[b!(
    "Esc/?",
    Action::Back,
    "close help",
    true,
    [(KeyCode::Esc, N), ch('?'), (KeyCode::Char('?'), S), ch('q')]
)];

/// The key list of a context, most specific first. Normal-mode contexts include the movement
/// keys and the global keys; text-entry contexts do not (every printable key goes to the field).
/// A screen's own contexts get their keys from the screen (`Screen::keys`).
pub fn bindings(ctx: Context) -> Vec<&'static Binding> {
    let parts: Keys = match ctx {
        Context::FirstRun => &[GLOBAL, crate::ui::screens::first_run::KEYS],
        Context::Filter => &[FILTER],
        Context::Form => &[FORM],
        Context::Confirm => &[CONFIRM],
        Context::Help => &[HELP],
        Context::ScreenList => &[SCREEN_LIST],
        other => crate::ui::screens::keys(other).unwrap_or(&[GLOBAL, MOVE]),
    };
    parts.iter().flat_map(|p| p.iter()).collect()
}

/// Normalises a key for lookup: a shifted letter arrives as `Char('R')` with or without SHIFT.
fn matches(k: &(KeyCode, KeyModifiers), key: &KeyEvent) -> bool {
    let mods = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
    k.0 == key.code
        && (k.1 == mods || (matches!(key.code, KeyCode::Char(_)) && k.1 == N && mods == S))
}

/// The action a key means in `ctx`, if any.
pub fn action_for(ctx: Context, key: &KeyEvent) -> Option<Action> {
    if let Some(b) = bindings(ctx)
        .into_iter()
        .find(|b| b.keys.iter().any(|k| matches(k, key)))
    {
        return match (b.action, key.code) {
            // The screen of that number, in tab order (screens past the ninth: `0`, the list).
            (Action::Screen(_), KeyCode::Char(c)) => c
                .to_digit(10)
                .and_then(|d| ScreenId::ALL.get((d as usize).checked_sub(1)?))
                .map(|id| Action::Screen(*id)),
            (a, _) => Some(a),
        };
    }
    if matches!(ctx, Context::Filter | Context::Form) {
        return text_edit(key).map(Action::Input);
    }
    None
}

fn text_edit(key: &KeyEvent) -> Option<TextEdit> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if ctrl => Some(TextEdit::Clear),
        KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
            Some(TextEdit::Insert(c))
        }
        KeyCode::Backspace => Some(TextEdit::Backspace),
        KeyCode::Delete => Some(TextEdit::Delete),
        KeyCode::Left => Some(TextEdit::Left),
        KeyCode::Right => Some(TextEdit::Right),
        KeyCode::Home => Some(TextEdit::Home),
        KeyCode::End => Some(TextEdit::End),
        _ => None,
    }
}

/// The footer/help lines of a context: (keys, what they do), skipping the hidden duplicates.
pub fn hints(ctx: Context, footer_only: bool) -> Vec<(&'static str, &'static str)> {
    bindings(ctx)
        .into_iter()
        .filter(|b| !b.label.is_empty() && (!footer_only || b.footer))
        .map(|b| (b.label, b.help))
        .collect()
}

/// The footer's keys, most useful first: this context's own keys, then the global ones. The help
/// key itself is left out: the footer always ends with it when the context has it.
pub fn footer_hints(ctx: Context) -> Vec<(&'static str, &'static str)> {
    let (global, own): (Vec<&Binding>, Vec<&Binding>) = bindings(ctx)
        .into_iter()
        .filter(|b| b.footer && !b.label.is_empty() && b.action != Action::Help)
        .partition(|b| GLOBAL.iter().any(|g| g.action == b.action));
    own.into_iter()
        .chain(global)
        .map(|b| (b.label, b.help))
        .collect()
}

/// Whether `?` opens help in `ctx` (not in text fields, where it is typed).
pub fn has_help(ctx: Context) -> bool {
    bindings(ctx).iter().any(|b| b.action == Action::Help)
}

#[cfg(test)]
mod tests;
