//! The terminal app: a synchronous loop of draw, read one key, map it to an [`Action`] through
//! the [`keymap`], and `App::update`. Rendering ([`render`]) is a function of the [`App`] only.

pub mod about;
pub mod app;
pub mod figures;
pub mod forms;
pub mod import_form;
pub mod keymap;
pub mod saving;
pub mod screens;
pub mod strings;
pub mod theme;
pub mod widgets;

pub use app::App;
pub use keymap::{Action, Context, ScreenId};
/// The settings screen (its tabs, forms and target conversions).
pub use screens::settings;

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

/// The smallest window the screens are laid out for; below it a notice says so.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// Runs the app until the user quits. `today` is the date every figure is "as of".
pub fn run(store: Store, today: NaiveDate) -> anyhow::Result<()> {
    let mut app = App::new(store, today);
    app.theme = theme::Theme::from_env();
    // try_init: like init() (raw mode, alternate screen, a panic hook that restores the
    // terminal) but a terminal that cannot be set up is an error, not a panic.
    let mut terminal = ratatui::try_init()?;
    let result = (|| -> anyhow::Result<()> {
        let mut last_tick = Instant::now();
        while !app.quit {
            terminal.draw(|f| render(f, &app))?;
            if event::poll(TICK)? {
                if let Event::Key(key) = event::read()? {
                    if key.kind == KeyEventKind::Press {
                        app.handle_key(&key);
                    }
                }
            }
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
    // A message too long for one row takes two (at 80 columns a save note can be long).
    let msg_rows = app.message.as_ref().map_or(1, |m| {
        widgets::wrapped_rows(&[Line::raw(m.text.as_str())], frame.area().width).clamp(1, 2)
    });
    let [tabs, body, msg, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(msg_rows),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    let mut spans = vec![Span::styled(format!("{} ", strings::APP_TITLE), t.title())];
    for (i, id) in ScreenId::ALL.iter().enumerate() {
        let style = if *id == app.screen {
            t.tab_active()
        } else {
            t.dim()
        };
        let name = if frame.area().width < 100 {
            id.short()
        } else {
            id.title()
        };
        spans.push(Span::styled(format!("{} {name}", i + 1), style));
        spans.push(Span::raw(" "));
    }
    // The date every figure is as of; a demo file says it is one (as long as fits).
    let used: usize = spans.iter().map(|s| s.content.chars().count()).sum();
    let room = usize::from(frame.area().width).saturating_sub(used);
    let date = match app.demo_today {
        Some(_) => [
            strings::demo_today(app.today, false),
            strings::demo_today(app.today, true),
        ]
        .into_iter()
        .find(|d| d.chars().count() <= room)
        .unwrap_or_else(|| strings::demo_today(app.today, true)),
        None => format!(" {}", app.today),
    };
    if app.demo_today.is_some() && date.chars().count() > room {
        // No room beside the tabs at 80 columns: the title gives way.
        spans.remove(0);
    }
    let date = if used + date.chars().count() > usize::from(frame.area().width) {
        date.trim_start().to_string()
    } else {
        date
    };
    let style = if app.demo_today.is_some() {
        t.error()
    } else {
        t.dim()
    };
    spans.push(Span::styled(date, style));
    frame.render_widget(Paragraph::new(Line::from(spans)), tabs);
    if app.first_run {
        screens::first_run::render(frame, body, app);
    } else {
        screens::render(frame, body, app);
    }
    if let Some(f) = &app.form {
        widgets::form::render(frame, body, &f.form, app.today, t);
    }
    let ctx = app.context();
    widgets::message::render(frame, msg, app.message.as_ref(), t);
    widgets::hints::footer(frame, foot, ctx, t);
    if app.help {
        widgets::hints::help(frame, frame.area(), app.context_under_help(), t);
    }
    if let Some(c) = app.confirm {
        widgets::confirm::render(frame, body, c.prompt(), t);
    }
}

/// The app drawn into a `width` × `height` test buffer, one line per row (tests and snapshots).
pub fn render_text(app: &App, width: u16, height: u16) -> String {
    let backend = ratatui::backend::TestBackend::new(width, height);
    let Ok(mut term) = ratatui::Terminal::new(backend);
    if term.draw(|f| render(f, app)).is_err() {
        return String::new();
    }
    let buf = term.backend().buffer();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        for x in 0..width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}
