//! The first-run screen: an empty database opens here rather than on empty lists. It walks
//! through what the register needs, in order (local authorities with their ONS code and 18+
//! population, sites with their type of care, targets), each added with a form or imported from
//! a file (a path prompt, the same rules as `dtoc import`), and then goes to the register.
//! It is not a tab: the app shows it while `app.first_run` is set, and Enter leaves it.

use crate::commands::import::ImportKind;
use crate::ui::about::About;
use crate::ui::app::App;
use crate::ui::import_form::ImportForm;
use crate::ui::keymap::{b, ch, Action, Binding, Context, ScreenId, N, S};
use crate::ui::screens::settings::forms::{AuthorityForm, PopulationForm, SiteForm};
use crate::ui::screens::settings::year_targets::YearTargetsForm;
use crate::ui::widgets::message::Message;
use crossterm::event::KeyCode;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

pub const TITLE: &str = " Welcome to dtoc: setting up a new database ";
const INTRO: &str = "This database is empty. The register needs, in order: the local authorities \
                     you count for (ONS code, name, 18+ population), your sites (type of care), \
                     and the targets. Add them here, or import them from CSV files.";
const NEED_AUTHORITY: &str = "Add an authority first (a), or import populations (P).";
const FORM_IMPORT_POPULATION: &str = " Import 18+ populations (authorities and their adults) ";
const FORM_IMPORT_TARGETS: &str = " Import targets ";
const FORM_IMPORT_DELAYS: &str = " Import delays (the register) ";
const FORM_IMPORT_STAYS: &str = " Import stays (every inpatient) ";

/// One step: its title, how many are stored, and its keys.
fn steps(app: &App) -> [(&'static str, usize, &'static str); 4] {
    let d = &app.data;
    [
        (
            "1. Local authorities (ONS code, name)",
            d.authorities.len(),
            "a add  P import CSV",
        ),
        (
            "   18+ population of each authority",
            d.populations.len(),
            "p add",
        ),
        ("2. Sites (type of care)", d.sites.len(), "s add"),
        (
            "3. Targets per authority",
            d.targets.len(),
            "t add  T import CSV",
        ),
    ]
}

/// Whether the app should open here: nothing stored yet.
pub fn is_empty(app: &App) -> bool {
    let d = &app.data;
    d.authorities.is_empty() && d.sites.is_empty() && d.delays.is_empty()
}

pub fn context(_app: &App) -> Context {
    Context::FirstRun
}

pub fn update(app: &mut App, action: Action) {
    let has_la = !app.data.authorities.is_empty();
    match action {
        Action::Add => AuthorityForm::open(app, None),
        Action::AddPopulation if has_la => PopulationForm::open(app, None),
        Action::AddSite => SiteForm::open(app, None),
        // A year of targets at once (the Better Care Fund sets them by financial year); the
        // Settings screen's `a` on its Targets tab adds or changes one month.
        Action::AddTarget if has_la => YearTargetsForm::open(app, None),
        Action::AddPopulation | Action::AddTarget => {
            app.message = Some(Message::error(NEED_AUTHORITY));
        }
        Action::ImportPopulation => {
            ImportForm::open(app, ImportKind::Population, FORM_IMPORT_POPULATION)
        }
        Action::ImportTargets => ImportForm::open(app, ImportKind::Targets, FORM_IMPORT_TARGETS),
        Action::ImportDelays => ImportForm::open(app, ImportKind::Delays, FORM_IMPORT_DELAYS),
        Action::ImportStays => ImportForm::open(app, ImportKind::Stays, FORM_IMPORT_STAYS),
        Action::Open => {
            app.first_run = false;
            app.update(Action::Screen(ScreenId::Register));
        }
        _ => {}
    }
}

pub fn render(frame: &mut Frame, area: Rect, app: &App) {
    let t = &app.theme;
    let mut lines = vec![Line::raw(INTRO), Line::raw("")];
    for (title, n, keys) in steps(app) {
        let (mark, style) = if n > 0 {
            ("[x]", t.ok())
        } else {
            ("[ ]", t.warn())
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{mark} "), style),
            Span::raw(format!("{title:<38}")),
            Span::styled(format!("{n:>3} stored  "), t.dim()),
            Span::styled(keys, t.key()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::raw("Or import the register itself: "),
        Span::styled("D", t.key()),
        Span::raw(" delays CSV, "),
        Span::styled("I", t.key()),
        Span::raw(" stays CSV (sites and authorities must be known first)."),
    ]));
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("Enter", t.key()),
        Span::raw(": go to the register (settings, screen 6, changes all of this later)."),
    ]));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(TITLE, t.title())),
        ),
        area,
    );
}

// Its keys (the footer and `?` come from them) and its `?` text.
pub const KEYS: &[Binding] = &[
    b!(
        "Enter",
        Action::Open,
        "go to the register",
        true,
        [(KeyCode::Enter, N)]
    ),
    b!("a", Action::Add, "add an authority", true, [ch('a')]),
    b!(
        "p",
        Action::AddPopulation,
        "add a population",
        true,
        [ch('p')]
    ),
    b!("s", Action::AddSite, "add a site", true, [ch('s')]),
    b!(
        "t",
        Action::AddTarget,
        "add a year of targets",
        true,
        [ch('t')]
    ),
    b!(
        "P",
        Action::ImportPopulation,
        "import populations",
        false,
        [ch('P'), (KeyCode::Char('P'), S)]
    ),
    b!(
        "T",
        Action::ImportTargets,
        "import targets",
        false,
        [ch('T'), (KeyCode::Char('T'), S)]
    ),
    b!(
        "D",
        Action::ImportDelays,
        "import delays",
        false,
        [ch('D'), (KeyCode::Char('D'), S)]
    ),
    b!(
        "I",
        Action::ImportStays,
        "import stays",
        false,
        [ch('I'), (KeyCode::Char('I'), S)]
    ),
];

pub const ABOUT: About = About {
    purpose: "A new database: add the local authorities, their 18+ populations, the sites and the \
              targets (or import them from CSV files, by the same rules as dtoc import), then go \
              to the register.",
    columns: &[],
};
