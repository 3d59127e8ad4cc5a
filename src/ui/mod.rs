//! The terminal app: a loop of draw, read one key, map it to an [`Action`] through the
//! [`keymap`], and `App::update`; screens' store reads run on a worker ([`loads`]) and are put in
//! place when they arrive. Rendering ([`render`]) is a function of the [`App`] only.

pub mod about;
pub mod app;
pub mod clock;
pub mod figures;
pub mod forms;
pub mod import_form;
pub mod keymap;
pub mod loads;
pub mod queue;
pub mod saving;
pub mod screens;
pub mod strings;
pub mod theme;
pub mod widgets;

pub use app::App;
pub use keymap::{Action, Context, ScreenId};

use crate::store::Store;
use chrono::NaiveDate;
use crossterm::event::{self, Event, KeyEventKind};
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;
use std::time::{Duration, Instant};

/// How long to wait for a key before checking the database for others' changes.
pub const TICK: Duration = Duration::from_millis(250);
/// How long to wait for a key while a screen's load is under way (its result is shown at once).
pub const LOAD_POLL: Duration = Duration::from_millis(15);

/// The smallest window the screens are laid out for; below it a notice says so.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Runs the app until the user quits. `today` is the date every figure is "as of".
pub fn run(mut store: Store, today: NaiveDate) -> anyhow::Result<()> {
    // A site whose first record the app enters is covered from today (issue 24).
    store.set_entry_day(today);
    let mut app = App::new(store, today);
    app.theme = theme::Theme::from_env();
    // Times are shown in the machine's zone (the tests pass a fixed one).
    app.zone = clock::Zone::Local;
    // Loads of the screens shown from now on run off the draw loop.
    app.load_in_background();
    // try_init: like init() (raw mode, alternate screen, a panic hook that restores the
    // terminal) but a terminal that cannot be set up is an error, not a panic.
    let mut terminal = ratatui::try_init()?;
    let result = (|| -> anyhow::Result<()> {
        let mut last_tick = Instant::now();
        while !app.quit {
            terminal.draw(|f| render(f, &app))?;
            let wait = if app.loads.busy() { LOAD_POLL } else { TICK };
            if event::poll(wait)? {
                if let Event::Key(key) = event::read()? {
                    if key.kind == KeyEventKind::Press {
                        app.handle_key(&key);
                    }
                }
            }
            app.poll_loads(Duration::ZERO);
            if last_tick.elapsed() >= TICK {
                app.tick();
                last_tick = Instant::now();
            }
        }
        Ok(())
    })();
    ratatui::restore();
    result
}

/// Builds the app and draws its first frame into an off-screen 120 x 40 buffer, then returns: what
/// the app does from start to first frame, without a terminal. The national benchmark calls it in a
/// process of its own to time it and read its peak memory.
pub fn first_frame(store: Store, today: NaiveDate) -> anyhow::Result<()> {
    let app = App::new(store, today);
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40))?;
    term.draw(|f| render(f, &app))?;
    Ok(())
}

/// Draws the whole app: tabs, the screen, overlays, the message line and the footer.
pub fn render(frame: &mut Frame, app: &App) {
    let t = &app.theme;
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = strings::too_small(MIN_WIDTH, MIN_HEIGHT, area.width, area.height);
        let rows = widgets::wrapped_rows(&[Line::raw(text.as_str())], area.width);
        let y = area.y + area.height.saturating_sub(rows) / 2;
        frame.render_widget(
            Paragraph::new(Line::styled(text, t.error()))
                .alignment(ratatui::layout::Alignment::Center)
                .wrap(ratatui::widgets::Wrap { trim: true }),
            ratatui::layout::Rect {
                y,
                height: area.bottom().saturating_sub(y),
                ..area
            },
        );
        return;
    }
    // A message too long for one row takes the rows it needs (a refusal can be long at 80
    // columns), leaving the screen at least half the window.
    let msg_rows = app.message.as_ref().map_or(1, |m| {
        let lines: Vec<Line> = m.text.lines().map(Line::raw).collect();
        widgets::wrapped_rows(&lines, frame.area().width).clamp(1, (area.height / 2).max(1) - 1)
    });
    let [tabs, body, msg, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(msg_rows),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    frame.render_widget(Paragraph::new(tab_bar(app, tabs.width)), tabs);
    screens::render(frame, body, app);
    if let Some(f) = &app.form {
        widgets::form::render(frame, body, &f.form, app.today, t);
    }
    let ctx = app.context();
    widgets::message::render(frame, msg, app.message.as_ref(), t);
    widgets::hints::footer(frame, foot, ctx, t);
    if let Some(sel) = app.screen_list {
        let items: Vec<String> = ScreenId::ALL
            .iter()
            .enumerate()
            .map(|(i, id)| match tab_number(i) {
                Some(n) => format!("{n}  {}", id.title()),
                None => format!("   {}", id.title()),
            })
            .collect();
        widgets::picker::render(frame, body, strings::SCREEN_LIST_TITLE, &items, sel, t);
    }
    if app.help {
        widgets::hints::help(frame, frame.area(), app.context_under_help(), t);
    }
    if let Some(c) = app.confirm {
        widgets::confirm::render(frame, body, c.prompt(), t);
    }
}

/// The number key of the screen at `index` in the tab order (the first nine; the others are in
/// the `0` list).
pub fn tab_number(index: usize) -> Option<usize> {
    (index < 9).then_some(index + 1)
}

/// The tab row: the app's name, the screens' tabs and the date every figure is as of (a demo
/// file says it is one), fitted to `width` (see [`tabs_fitted`]).
pub fn tab_bar(app: &App, width: u16) -> Line<'static> {
    let t = &app.theme;
    let width = usize::from(width);
    let titles: Vec<(&str, &str)> = ScreenId::ALL
        .iter()
        .map(|id| (id.title(), id.short()))
        .collect();
    // The date (a demo's long notice where it leaves the short tabs room), then the tabs in the
    // room left, then the app's name if there is room for it too.
    let short_tabs = tabs_width(&tabs_fitted(&titles, 0, usize::MAX / 2, false));
    let date = match app.demo_today {
        Some(_) => [
            strings::demo_today(app.today, false),
            strings::demo_today(app.today, true),
        ]
        .into_iter()
        .find(|d| d.chars().count() + short_tabs <= width)
        .unwrap_or_else(|| strings::demo_today(app.today, true)),
        None => format!(" {}", app.today),
    };
    let date_w = date.chars().count();
    let tabs = tabs_fitted(
        &titles,
        app.screen.index(),
        width.saturating_sub(date_w),
        width >= 100,
    );
    let name = format!("{} ", strings::APP_TITLE);
    let mut spans = Vec::new();
    if tabs_width(&tabs) + date_w + name.chars().count() <= width {
        spans.push(Span::styled(name, t.title()));
    }
    for (text, active) in tabs {
        let style = if active { t.tab_active() } else { t.dim() };
        spans.push(Span::styled(text, style));
    }
    let style = if app.demo_today.is_some() {
        t.error()
    } else {
        t.dim()
    };
    spans.push(Span::styled(date, style));
    Line::from(spans)
}

/// The columns the tabs take.
pub fn tabs_width(tabs: &[(String, bool)]) -> usize {
    tabs.iter().map(|(s, _)| s.chars().count()).sum()
}

/// The tabs of `titles` (title, short label) fitted to `width` columns, each as (text, whether
/// it is the screen shown), one space between them: the titles where they fit (`full`: from 100
/// columns), else the short labels, else as many short labels as fit around the shown one, with
/// `‹` and `›` where tabs are left out. Any number of screens fits any width from 80 up, and the
/// shown screen's tab is always there.
pub fn tabs_fitted(
    titles: &[(&str, &str)],
    active: usize,
    width: usize,
    full: bool,
) -> Vec<(String, bool)> {
    let label = |i: usize, name: &str| match tab_number(i) {
        Some(n) => format!("{n} {name}"),
        None => name.to_string(),
    };
    // Each tab with the space before it (none before the first).
    let spaced = |items: Vec<(String, bool)>| -> Vec<(String, bool)> {
        items
            .into_iter()
            .enumerate()
            .map(|(k, (s, a))| (if k == 0 { s } else { format!(" {s}") }, a))
            .collect()
    };
    let all = |full: bool| -> Vec<(String, bool)> {
        spaced(
            titles
                .iter()
                .enumerate()
                .map(|(i, (title, short))| {
                    (label(i, if full { title } else { short }), i == active)
                })
                .collect(),
        )
    };
    if full {
        let tabs = all(true);
        if tabs_width(&tabs) <= width {
            return tabs;
        }
    }
    let short: Vec<(String, bool)> = titles
        .iter()
        .enumerate()
        .map(|(i, (_, s))| (label(i, s), i == active))
        .collect();
    let window = |from: usize, to: usize| -> Vec<(String, bool)> {
        let mut v = Vec::new();
        if from > 0 {
            v.push(("‹".to_string(), false));
        }
        v.extend(short[from..to].iter().cloned());
        if to < short.len() {
            v.push(("›".to_string(), false));
        }
        spaced(v)
    };
    if short.is_empty() {
        return Vec::new();
    }
    // A window around the shown tab, grown to the right, then to the left, while it fits.
    let active = active.min(short.len() - 1);
    let (mut from, mut to) = (active, active + 1);
    loop {
        if to < short.len() && tabs_width(&window(from, to + 1)) <= width {
            to += 1;
        } else if from > 0 && tabs_width(&window(from - 1, to)) <= width {
            from -= 1;
        } else {
            break;
        }
    }
    window(from, to)
}

/// The app drawn into a `width` × `height` test buffer, one line per row, without the tab row
/// (tests and snapshots: a screen's snapshot does not change when a screen is added; the tab row
/// has its own tests, see [`tab_bar`]).
pub fn render_text(app: &App, width: u16, height: u16) -> String {
    render_rows(app, width, height, 1)
}

/// The app drawn into a test buffer, every row (the tab row too).
pub fn render_text_with_tabs(app: &App, width: u16, height: u16) -> String {
    render_rows(app, width, height, 0)
}

fn render_rows(app: &App, width: u16, height: u16, from: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let Ok(mut term) = ratatui::Terminal::new(backend);
    if term.draw(|f| render(f, app)).is_err() {
        return String::new();
    }
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in from.min(height)..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tabs_tests;
