//! Thousands of random keys on every screen: nothing panics, and every state renders.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// xorshift64*: a seeded PRNG, so a failure replays.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

fn random_key(rng: &mut Rng) -> KeyEvent {
    const CHARS: &[char] = &[
        '1', '2', '3', '4', '5', '6', 'a', 'r', 'x', 'e', 'd', 'y', 'n', 'p', 'j', 'k', 'g', 'G',
        '/', 'R', 'A', 'L', 'S', 'c', 't', '+', '-', 's', 'v', '?', 'q', '0', '9', 'D', 'i', 'E',
        ' ', '/', 'é', '€', 'h', 'l', 'o', 'X',
    ];
    const CODES: &[KeyCode] = &[
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::Left,
        KeyCode::Right,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Backspace,
        KeyCode::Delete,
    ];
    match rng.next() % 10 {
        0..=5 => KeyEvent::new(KeyCode::Char(rng.pick(CHARS)), KeyModifiers::NONE),
        6..=8 => KeyEvent::new(rng.pick(CODES), KeyModifiers::NONE),
        _ => KeyEvent::new(KeyCode::Char(rng.pick(&['u', 'c'])), KeyModifiers::CONTROL),
    }
}

#[test]
fn random_keys_never_panic() {
    for (seed, populated) in [(1u64, true), (2, false), (3, true)] {
        let dir = tempfile::tempdir().unwrap();
        let mut app = if populated {
            populated_app(&dir)
        } else {
            empty_app(&dir)
        };
        app.export_dir = dir.path().to_path_buf();
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ seed);
        for screen in ['1', '2', '3', '4', '5', '6'] {
            app.form = None;
            app.confirm = None;
            app.help = false;
            app.screens.register.filtering = false;
            app.screens.long_stay.filtering = false;
            chr(&mut app, screen);
            for step in 0..1500 {
                let key = random_key(&mut rng);
                app.handle_key(&key);
                app.quit = false;
                if step % 50 == 0 {
                    app.tick();
                    let (w, h) = if step % 100 == 0 { (80, 24) } else { (40, 10) };
                    draw(&app, w, h);
                }
            }
            draw(&app, 160, 48);
        }
    }
}
