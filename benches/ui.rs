//! `cargo bench --bench ui`: how fast the terminal app draws with a large register.
//!
//! Builds a synthetic database (10,000 open delays and ten years of ended ones, generated here
//! and loaded through the ordinary CSV import, one transaction), opens the app on it, and
//! measures with ratatui's `TestBackend` at 160x48 and 80x24:
//!
//! - one frame of the register (p50/p99 over 300 frames);
//! - keystroke to frame: `App::handle_key` then a full draw, for moving (Down, PageDown, Up,
//!   End/Home), typing a `/` filter, opening a delay, switching screens, sorting the long-stay
//!   list, the board round's Enter (a save), a save through a form (change reason), and showing
//!   the Dashboard after a save (which reads the month totals and open counts the save left);
//! - another user's change: a second connection writes, `App::tick` notices and reloads;
//! - the full reload that other users' changes trigger;
//! - the first show of Discharges, Weekly and Reconcile after a reload, with the loads inline and
//!   on the worker (issue 23: the frame answers at once, the figures follow).
//!
//! `DTOC_BENCH_UI_DB=FILE cargo bench --bench ui` measures only the first shows, on an existing
//! file (the national one of `dtoc demo --scale national --no-tui`), as of its demo date.
//!
//! Goals (issues 4 and 9): keystroke to frame p99 < 16 ms; register frame p99 < 5 ms.
//! Wall-clock times include whatever else the machine runs; the CPU columns (this thread's CPU
//! time) show the app's own cost.
//! Data is synthetic (made-up local ids, NHS numbers with valid check digits from a PRNG).

use chrono::{Duration as Days, NaiveDate};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dtoc::import::{read_delays_bytes, read_population_bytes};
use dtoc::store::Store;
use dtoc::ui::{render, App};
use ratatui::backend::TestBackend;
use ratatui::Terminal;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

const OPEN: usize = 10_000;
const YEARS: i64 = 10;
/// Ended delays a day over the ten years (about 4,400 a year).
const ENDED_PER_DAY: usize = 12;

/// A small deterministic generator (xorshift), so every run builds the same database.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A ten-digit number with a valid check digit (docs/data-protection.md), or `None` when the digit is 10.
fn nhs_number(rng: &mut Rng) -> String {
    loop {
        let digits: Vec<u64> = (0..9).map(|_| rng.below(10)).collect();
        let sum: u64 = digits
            .iter()
            .enumerate()
            .map(|(i, d)| d * (10 - i as u64))
            .sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => continue,
            c => c,
        };
        let mut s: String = digits.iter().map(|d| char::from(b'0' + *d as u8)).collect();
        s.push(char::from(b'0' + check as u8));
        return s;
    }
}

const SITES: [(&str, &str); 6] = [
    ("RX101", "acute"),
    ("RX102", "acute"),
    ("RX103", "acute"),
    ("RX104", "acute"),
    ("RX105", "non-acute"),
    ("RX106", "non-acute"),
];
const LAS: [&str; 3] = ["E10000018", "E06000016", "E06000017"];
const REASONS: [&str; 11] = ["A", "B", "C", "Di", "Dii", "E", "F", "G", "H", "I", "O"];
const ATTRIBUTIONS: [&str; 3] = ["NHS", "Social Care", "Both"];

/// The planned pathway of the `n`th delay (0-3, or blank: not yet known), from `n` alone so that
/// the generator's stream (and every other column) is what it was before the column.
fn planned_pathway(n: usize) -> &'static str {
    let h = (n as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 59;
    match h {
        0..=2 => "0",
        3..=15 => "1",
        16..=24 => "2",
        25..=29 => "3",
        _ => "",
    }
}

/// The delays CSV: ten years of ended delays, then the open ones (ready up to 120 days ago).
fn delays_csv(today: NaiveDate) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut out = String::from(
        "local_id,nhs_number,provider,site,setting,la_code,admitted_on,delay_start,delay_end,\
         reason,attribution,discharged_on,pathway,planned_pathway\n",
    );
    let mut n = 0usize;
    let mut row = |rng: &mut Rng, ready: NaiveDate, end: Option<NaiveDate>, out: &mut String| {
        n += 1;
        let (site, setting) = SITES[rng.below(6) as usize];
        let la = LAS[rng.below(3) as usize];
        let reason = REASONS[rng.below(11) as usize];
        // C and I are NHS only in the published data; keep the synthetic data free of warnings.
        let attribution = if matches!(reason, "C" | "I") {
            "NHS"
        } else {
            ATTRIBUTIONS[rng.below(3) as usize]
        };
        let admitted = ready - Days::days(rng.below(30) as i64);
        let nhs = nhs_number(rng);
        let (end_s, discharged, pathway) = match end {
            Some(e) => (e.to_string(), e.to_string(), (rng.below(4)).to_string()),
            None => (String::new(), String::new(), String::new()),
        };
        let planned = planned_pathway(n);
        let _ = writeln!(
            out,
            "B{n:07},{nhs},RX1,{site},{setting},{la},{admitted},{ready},{end_s},{reason},\
             {attribution},{discharged},{pathway},{planned}"
        );
    };
    let first = today - Days::days(365 * YEARS);
    let mut day = first;
    while day < today - Days::days(130) {
        for _ in 0..ENDED_PER_DAY {
            let end = day + Days::days(rng.below(40) as i64);
            row(&mut rng, day, Some(end), &mut out);
        }
        day += Days::days(1);
    }
    for _ in 0..OPEN {
        let ready = today - Days::days(1 + rng.below(120) as i64);
        row(&mut rng, ready, None, &mut out);
    }
    out
}

fn build(path: &std::path::Path, today: NaiveDate) -> anyhow::Result<(Store, usize)> {
    let mut store = Store::open(path)?;
    store.set_user("bench").unwrap();
    let pop = "la_code,la_name,year,population_18plus\n\
               E10000018,Leicestershire,2017,543600\n\
               E06000016,Leicester,2017,280300\n\
               E06000017,Rutland,2017,33300\n";
    store.import_population(&read_population_bytes("population.csv", pop.as_bytes())?)?;
    let csv = delays_csv(today);
    let checked = read_delays_bytes("delays.csv", csv.as_bytes(), today)?;
    let rows = checked.records.len();
    store.import_delays(&checked)?;
    Ok((store, rows))
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

/// Opens the change-reason form on the next delay of the register and picks a reason it does
/// not have (a change to the same reason is refused as no change).
fn open_reason_form(app: &mut App) {
    app.handle_key(&key(KeyCode::Down));
    let current = dtoc::ui::screens::register::current(app).map(|d| d.reason.code());
    app.handle_key(&key(KeyCode::Char('r')));
    app.handle_key(&key(KeyCode::Tab));
    app.handle_key(&KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL));
    let reason = if current == Some("A") { 'B' } else { 'A' };
    app.handle_key(&key(KeyCode::Char(reason)));
}

fn pct(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// CPU time of this thread: unlike wall time it leaves out the time the scheduler gave to other
/// processes, which dominates the wall-clock p99 on a busy shared machine.
#[cfg(unix)]
fn cpu_now() -> Duration {
    let mut t = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec into the pointer given, which is valid.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut t) };
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

#[cfg(not(unix))]
fn cpu_now() -> Duration {
    Duration::ZERO
}

/// Wall and CPU time of `f`.
/// Another user changes the reason of each of `ids` (to `to`, or `else_` where it is `to` already,
/// from a day `shift`..`shift + 2` days before today); each change's tick → frame in the app.
fn external_reasons(
    other: &mut Store,
    app: &mut App,
    term: &mut Terminal<TestBackend>,
    ids: &[i64],
    (today, shift): (NaiveDate, i64),
    (to, else_, attribution): (
        dtoc::domain::ReasonCode,
        dtoc::domain::ReasonCode,
        dtoc::domain::Attribution,
    ),
) -> anyhow::Result<Vec<(Duration, Duration)>> {
    let mut samples = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let row = other
            .delay_row(*id)?
            .ok_or_else(|| anyhow::anyhow!("delay {id}"))?;
        other.change_reason(
            &dtoc::store::ReasonChange {
                delay_id: *id,
                version: row.version,
                from: today - Days::days(shift + i as i64 % 3),
                reason: if row.reason == to { else_ } else { to },
                attribution,
                acute_reason: None,
            },
            today,
        )?;
        samples.push(timed(|| {
            app.tick();
            term.draw(|f| render(f, app))?;
            Ok(())
        })?);
    }
    Ok(samples)
}

fn timed(mut f: impl FnMut() -> anyhow::Result<()>) -> anyhow::Result<(Duration, Duration)> {
    let (t, c) = (Instant::now(), cpu_now());
    f()?;
    Ok((t.elapsed(), cpu_now().saturating_sub(c)))
}

struct Stat {
    what: String,
    size: String,
    samples: Vec<(Duration, Duration)>,
}

impl Stat {
    fn row(&self) -> String {
        let mut wall: Vec<Duration> = self.samples.iter().map(|s| s.0).collect();
        let mut cpu: Vec<Duration> = self.samples.iter().map(|s| s.1).collect();
        wall.sort();
        cpu.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        format!(
            "{:<34} {:>7} {:>5} {:>8.3} {:>8.3} {:>8.3} {:>8.3} {:>8.3}",
            self.what,
            self.size,
            wall.len(),
            ms(pct(&wall, 0.5)),
            ms(pct(&wall, 0.99)),
            ms(*wall.last().unwrap_or(&Duration::ZERO)),
            ms(pct(&cpu, 0.5)),
            ms(pct(&cpu, 0.99)),
        )
    }
}

/// Keys, each timed from `handle_key` to the end of the next draw.
fn keystrokes(
    app: &mut App,
    term: &mut Terminal<TestBackend>,
    keys: &[KeyEvent],
    rounds: usize,
) -> anyhow::Result<Vec<(Duration, Duration)>> {
    let mut out = Vec::with_capacity(keys.len() * rounds);
    for _ in 0..rounds {
        for k in keys {
            out.push(timed(|| {
                app.handle_key(k);
                term.draw(|f| render(f, app))?;
                Ok(())
            })?);
        }
    }
    Ok(out)
}

fn main() -> anyhow::Result<()> {
    if let Some(path) = std::env::var_os("DTOC_BENCH_UI_DB") {
        return first_shows_on(std::path::Path::new(&path));
    }
    let today = NaiveDate::from_ymd_opt(2018, 8, 15).ok_or_else(|| anyhow::anyhow!("date"))?;
    let dir = std::env::temp_dir().join(format!("dtoc-bench-ui-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let t = Instant::now();
    let (store, rows) = build(&dir.join("ui.db"), today)?;
    let built = t.elapsed();
    let t = Instant::now();
    let mut app = App::new(store, today);
    let loaded = t.elapsed();
    let open = app.data.delays.len();
    println!(
        "database: {rows} delays imported ({open} open, {YEARS} years of history) in {built:.2?}; \
         app loaded in {loaded:.2?}"
    );
    assert_eq!(open, OPEN, "the register holds every open delay");

    let mut stats = Vec::new();
    // `cargo bench --bench ui -- queues`: the Queues screen alone (the database built the same).
    if std::env::args().skip(1).any(|a| a == "queues") {
        queues_screen(&mut app, &mut stats)?;
        print_stats(&stats);
        println!("goals: key->frame p99 < 16 ms");
        drop(app);
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(());
    }
    for (w, h) in [(160u16, 48u16), (80, 24)] {
        let size = format!("{w}x{h}");
        let mut term = Terminal::new(TestBackend::new(w, h))?;
        app.handle_key(&key(KeyCode::Char('2')));
        // Register frames: the same screen redrawn, the selection moving between frames (not
        // timed) so no frame is a no-op.
        let mut frames = Vec::new();
        for i in 0..300 {
            app.handle_key(&key(if i % 50 < 25 {
                KeyCode::Down
            } else {
                KeyCode::Up
            }));
            frames.push(timed(|| {
                term.draw(|f| render(f, &app))?;
                Ok(())
            })?);
        }
        stats.push(Stat {
            what: "register: one frame".into(),
            size: size.clone(),
            samples: frames,
        });
        let moves = [
            key(KeyCode::Down),
            key(KeyCode::Down),
            key(KeyCode::PageDown),
            key(KeyCode::Up),
            key(KeyCode::PageUp),
            key(KeyCode::End),
            key(KeyCode::Home),
        ];
        stats.push(Stat {
            what: "key->frame: Down/PgDn/Up/End/Home".into(),
            size: size.clone(),
            samples: keystrokes(&mut app, &mut term, &moves, 40)?,
        });
        // `/` then typing "rx10" and deleting it again, then Esc: every key refilters 10,000 rows.
        let mut filter = vec![key(KeyCode::Char('/'))];
        filter.extend("rx10".chars().map(|c| key(KeyCode::Char(c))));
        filter.extend((0..4).map(|_| key(KeyCode::Backspace)));
        filter.push(key(KeyCode::Esc));
        stats.push(Stat {
            what: "key->frame: / filter typing".into(),
            size: size.clone(),
            samples: keystrokes(&mut app, &mut term, &filter, 25)?,
        });
        let detail = [key(KeyCode::Enter), key(KeyCode::Esc), key(KeyCode::Down)];
        stats.push(Stat {
            what: "key->frame: open detail / back".into(),
            size: size.clone(),
            samples: keystrokes(&mut app, &mut term, &detail, 70)?,
        });
        let screens: Vec<KeyEvent> = "1234562".chars().map(|c| key(KeyCode::Char(c))).collect();
        stats.push(Stat {
            what: "key->frame: screen switch 1-6".into(),
            size: size.clone(),
            samples: keystrokes(&mut app, &mut term, &screens, 30)?,
        });
        let long_stay = [
            key(KeyCode::Char('4')),
            key(KeyCode::Down),
            key(KeyCode::Char('s')),
            key(KeyCode::Char('o')),
            key(KeyCode::Char('+')),
            key(KeyCode::Char('-')),
        ];
        stats.push(Stat {
            what: "key->frame: long stay move/sort".into(),
            size: size.clone(),
            samples: keystrokes(&mut app, &mut term, &long_stay, 35)?,
        });
        // The sort column alone (`s` through the six columns: each sorts 10,000 open delays),
        // and N alone (`+`/`-`: the sorted order filtered again, no sort).
        stats.push(Stat {
            what: "key->frame: long stay s (sort)".into(),
            size: size.clone(),
            samples: keystrokes(&mut app, &mut term, &[key(KeyCode::Char('s'))], 60)?,
        });
        let n = [key(KeyCode::Char('+')), key(KeyCode::Char('-'))];
        stats.push(Stat {
            what: "key->frame: long stay +/- (N)".into(),
            size,
            samples: keystrokes(&mut app, &mut term, &n, 30)?,
        });
    }
    // The board round's Enter: one write (the review date), that row updated in place.
    let mut term = Terminal::new(TestBackend::new(80, 24))?;
    app.handle_key(&key(KeyCode::Char('3')));
    stats.push(Stat {
        what: "key->frame: board round Enter (save)".into(),
        size: "80x24".into(),
        samples: keystrokes(&mut app, &mut term, &[key(KeyCode::Enter)], 30)?,
    });
    // A save through a form: `r` opens the change-reason form on the next delay, Enter saves a
    // change to another reason from today and the app shows the result. Timed: the Enter.
    app.handle_key(&key(KeyCode::Char('2')));
    let mut saves = Vec::new();
    for _ in 0..30 {
        // Each save on another delay, to another reason (a change to the same is refused).
        open_reason_form(&mut app);
        saves.push(timed(|| {
            app.handle_key(&key(KeyCode::Enter));
            term.draw(|f| render(f, &app))?;
            Ok(())
        })?);
        anyhow::ensure!(
            app.form.is_none(),
            "the save went through: {:?}",
            app.form.as_ref().map(|f| &f.form.error)
        );
    }
    stats.push(Stat {
        what: "key->frame: form save (reason)".into(),
        size: "80x24".into(),
        samples: saves,
    });
    // The save leaves the month totals and open counts to read when a screen that draws them is
    // shown: timed, the Dashboard's key after a save (untimed) on the register.
    let mut dashboards = Vec::new();
    for _ in 0..30 {
        open_reason_form(&mut app);
        app.handle_key(&key(KeyCode::Enter));
        anyhow::ensure!(
            app.form.is_none(),
            "the save went through: {:?}",
            app.form.as_ref().map(|f| &f.form.error)
        );
        dashboards.push(timed(|| {
            app.handle_key(&key(KeyCode::Char('1')));
            term.draw(|f| render(f, &app))?;
            Ok(())
        })?);
        app.handle_key(&key(KeyCode::Char('2')));
    }
    stats.push(Stat {
        what: "key->frame: Dashboard after a save".into(),
        size: "80x24".into(),
        samples: dashboards,
    });
    // Another user's commit: a second connection marks a delay reviewed; the app's tick notices
    // (data_version) and reloads. Timed: tick and the next frame.
    let mut other = Store::open(&dir.join("ui.db"))?;
    other.set_user("other").unwrap();
    let ids: Vec<i64> = app
        .data
        .delays
        .iter()
        .take(30)
        .map(|d| d.delay_id)
        .collect();
    let ids2: Vec<i64> = app
        .data
        .delays
        .iter()
        .skip(30)
        .take(30)
        .map(|d| d.delay_id)
        .collect();
    let mut externals = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        other.mark_reviewed(*id, today - Days::days(i as i64 % 3))?;
        externals.push(timed(|| {
            app.tick();
            term.draw(|f| render(f, &app))?;
            Ok(())
        })?);
    }
    stats.push(Stat {
        what: "external change: tick->frame".into(),
        size: "80x24".into(),
        samples: externals,
    });
    // Another user's change of reason (from a day of the last three): their stored month counts
    // change too, which the app reads again.
    use dtoc::domain::{Attribution, ReasonCode};
    let reasons = external_reasons(
        &mut other,
        &mut app,
        &mut term,
        &ids,
        (today, 0),
        (ReasonCode::G, ReasonCode::H, Attribution::SocialCare),
    )?;
    stats.push(Stat {
        what: "external reason change: tick->frame".into(),
        size: "80x24".into(),
        samples: reasons,
    });
    // The same, with the Dashboard shown (its figures computed again at once).
    app.handle_key(&key(KeyCode::Char('1')));
    let dash_ext = external_reasons(
        &mut other,
        &mut app,
        &mut term,
        &ids2,
        (today, 3),
        (ReasonCode::F, ReasonCode::E, Attribution::Nhs),
    )?;
    stats.push(Stat {
        what: "external reason, Dashboard shown".into(),
        size: "80x24".into(),
        samples: dash_ext,
    });
    app.handle_key(&key(KeyCode::Char('2')));
    // Other saves, and another user's commit, read everything the screens show again.
    let mut reloads = Vec::new();
    for _ in 0..30 {
        reloads.push(timed(|| {
            app.reload();
            Ok(())
        })?);
    }
    stats.push(Stat {
        what: "full reload (other saves, others)".into(),
        size: "-".into(),
        samples: reloads,
    });
    let mut reads = Vec::new();
    for _ in 0..30 {
        reads.push(timed(|| {
            app.store
                .list_delays(&dtoc::store::DelayFilter::default(), today)?;
            Ok(())
        })?);
    }
    stats.push(Stat {
        what: "  of which: read 10,000 open delays".into(),
        size: "-".into(),
        samples: reads,
    });
    first_shows(&mut app, &mut stats, 10)?;
    queues_screen(&mut app, &mut stats)?;
    print_stats(&stats);
    println!("goals: key->frame p99 < 16 ms; register frame p99 < 5 ms");
    drop(app);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The first show of the screens past the sixth (7 Discharges, 8 Weekly, 9 Reconcile: the last
/// two read the store themselves), each after a reload left them stale, `runs` times: key to
/// frame with the loads inline (the read inside the key, as before issue 23), then with the loads
/// on the worker as the terminal runs them (the frame says "Loading…" at once) and the time from
/// the key until the result is in place and drawn.
fn first_shows(app: &mut App, stats: &mut Vec<Stat>, runs: usize) -> anyhow::Result<()> {
    let mut term = Terminal::new(TestBackend::new(80, 24))?;
    for background in [false, true] {
        if background {
            app.load_in_background();
        }
        for (c, name) in [('7', "Discharges"), ('8', "Weekly"), ('9', "Reconcile")] {
            let (mut shown, mut loaded) = (Vec::new(), Vec::new());
            for _ in 0..runs {
                app.handle_key(&key(KeyCode::Char('1')));
                app.reload();
                let t = Instant::now();
                shown.push(timed(|| {
                    app.handle_key(&key(KeyCode::Char(c)));
                    term.draw(|f| render(f, app))?;
                    Ok(())
                })?);
                app.wait_loads(Duration::from_secs(120));
                term.draw(|f| render(f, app))?;
                loaded.push((t.elapsed(), Duration::ZERO));
            }
            let mode = if background { "worker" } else { "inline" };
            stats.push(Stat {
                what: format!("first show {c} {name} ({mode})"),
                size: "80x24".into(),
                samples: shown,
            });
            if background {
                stats.push(Stat {
                    what: format!("  {name}: key to loaded"),
                    size: "80x24".into(),
                    samples: loaded,
                });
            }
        }
    }
    Ok(())
}

/// The Queues screen (issue 27) on the 10,000 open delays, with the loads on the worker as the
/// terminal runs them: its first show after a reload (the delays read on the worker; timed: the
/// key to the frame, and to the queues in place), every key of the queue view (moving, the scope:
/// `s` each site, `a` each authority, `w`), the Forecast view's `f` and a scope change in it
/// (the key to the frame saying "Computing…", and to the forecast in place: 1,000 runs a pathway).
fn queues_screen(app: &mut App, stats: &mut Vec<Stat>) -> anyhow::Result<()> {
    use dtoc::ui::keymap::{Action, ScreenId};
    app.load_in_background();
    let ch = |c: char| key(KeyCode::Char(c));
    for (w, h) in [(160u16, 48u16), (80, 24)] {
        let size = format!("{w}x{h}");
        let mut term = Terminal::new(TestBackend::new(w, h))?;
        let (mut shown, mut loaded) = (Vec::new(), Vec::new());
        for _ in 0..10 {
            app.handle_key(&ch('1'));
            app.reload();
            let t = Instant::now();
            shown.push(timed(|| {
                app.update(Action::Screen(ScreenId::Queues));
                term.draw(|f| render(f, app))?;
                Ok(())
            })?);
            app.wait_loads(Duration::from_secs(120));
            term.draw(|f| render(f, app))?;
            loaded.push((t.elapsed(), Duration::ZERO));
        }
        let open: u32 = app
            .screens
            .queues
            .view
            .as_ref()
            .map_or(0, |v| v.all.today.waiting);
        anyhow::ensure!(
            open as usize == OPEN,
            "the queues hold every open delay: {open}"
        );
        stats.push(Stat {
            what: "queues: show (worker)".into(),
            size: size.clone(),
            samples: shown,
        });
        stats.push(Stat {
            what: "  queues: key to loaded".into(),
            size: size.clone(),
            samples: loaded,
        });
        let moves = [
            ch('j'),
            ch('j'),
            key(KeyCode::End),
            ch('k'),
            key(KeyCode::Home),
        ];
        stats.push(Stat {
            what: "queues: j/k/G/g".into(),
            size: size.clone(),
            samples: keystrokes(app, &mut term, &moves, 40)?,
        });
        // Through every site, every authority and back to the whole register.
        let mut scope: Vec<KeyEvent> = (0..=SITES.len()).map(|_| ch('s')).collect();
        scope.extend((0..=LAS.len()).map(|_| ch('a')));
        scope.extend([ch('s'), ch('w')]);
        stats.push(Stat {
            what: "queues: s/a/w (scope)".into(),
            size: size.clone(),
            samples: keystrokes(app, &mut term, &scope, 10)?,
        });
        // The Forecast view: `f` (and `s` in it), the forecast not yet computed each time.
        let (mut keys, mut computed, mut back) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..10 {
            app.screens.queues.forecasts.clear();
            let t = Instant::now();
            let k = if i % 2 == 0 { ch('f') } else { ch('s') };
            keys.push(timed(|| {
                app.handle_key(&k);
                term.draw(|f| render(f, app))?;
                Ok(())
            })?);
            app.wait_loads(Duration::from_secs(120));
            term.draw(|f| render(f, app))?;
            computed.push((t.elapsed(), Duration::ZERO));
            anyhow::ensure!(
                app.screens.queues.forecast().is_some(),
                "the forecast is in place"
            );
            if i % 2 == 1 {
                back.push(timed(|| {
                    app.handle_key(&ch('f'));
                    term.draw(|f| render(f, app))?;
                    Ok(())
                })?);
            }
        }
        app.handle_key(&ch('w'));
        stats.push(Stat {
            what: "queues: f / s in forecast (worker)".into(),
            size: size.clone(),
            samples: keys,
        });
        stats.push(Stat {
            what: "  queues: key to forecast in place".into(),
            size: size.clone(),
            samples: computed,
        });
        stats.push(Stat {
            what: "queues: f back to the queues".into(),
            size,
            samples: back,
        });
    }
    Ok(())
}

fn print_stats(stats: &[Stat]) {
    println!(
        "{:<34} {:>7} {:>5} {:>8} {:>8} {:>8} {:>8} {:>8}",
        "what", "size", "n", "p50 ms", "p99 ms", "max ms", "cpu p50", "cpu p99"
    );
    for s in stats {
        println!("{}", s.row());
    }
}

/// `DTOC_BENCH_UI_DB=FILE`: only the first shows, on an existing database (the national file of
/// `dtoc demo --scale national`), today being the file's demo date; `DTOC_BENCH_UI_RUNS` runs of
/// each (default 3).
fn first_shows_on(path: &std::path::Path) -> anyhow::Result<()> {
    let t = Instant::now();
    let store = Store::open(path)?;
    let today = store
        .demo_today()?
        .ok_or_else(|| anyhow::anyhow!("{}: not a demo file (no demo date)", path.display()))?;
    let mut app = App::new(store, today);
    println!(
        "{}: today {today}, {} open delays, app loaded in {:.2?}",
        path.display(),
        app.data.delays.len(),
        t.elapsed()
    );
    let runs = std::env::var("DTOC_BENCH_UI_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let mut stats = Vec::new();
    first_shows(&mut app, &mut stats, runs)?;
    print_stats(&stats);
    println!("goal: each screen's figures in place under 1 s");
    Ok(())
}
