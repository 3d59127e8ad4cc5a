//! The progress bar of long commands: drawn on stderr when stderr is a terminal (indicatif), and
//! nothing at all otherwise (a pipe, a file, cron), so that what scripts read is unchanged.

use crate::progress::{Progress, Unit};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::Mutex;

/// A bar on stderr (or nothing when stderr is not a terminal). `what` names the work ("import
/// delays.csv", "backup"), shown before each phase.
pub struct Bar {
    bar: Option<ProgressBar>,
    what: String,
    unit: Mutex<Unit>,
}

impl Bar {
    /// A bar on stderr when it is a terminal, else one that shows nothing.
    pub fn stderr(what: impl Into<String>) -> Self {
        let target = std::io::stderr()
            .is_terminal()
            .then(ProgressDrawTarget::stderr);
        Self::to(target, what)
    }

    /// A bar drawn on `target` (`None`: hidden).
    pub fn to(target: Option<ProgressDrawTarget>, what: impl Into<String>) -> Self {
        // Nothing is drawn (and no ticker runs) until the first phase: a command that fails
        // before its long work starts leaves no trace of a bar.
        let bar = target.map(|t| ProgressBar::with_draw_target(None, t));
        Self {
            bar,
            what: what.into(),
            unit: Mutex::new(Unit::Rows),
        }
    }

    fn style(total: Option<u64>, unit: Unit) -> ProgressStyle {
        let counts = match unit {
            // A step without a count (SQLite's integrity check, a checkpoint): its time only.
            Unit::Steps if total.is_none() => "",
            Unit::Bytes => "{bytes}/{total_bytes} ({bytes_per_sec})",
            _ if total.is_some() => "{human_pos}/{human_len} {unit} ({per_sec})",
            _ => "{human_pos} {unit} ({per_sec})",
        };
        let template = if total.is_some() {
            format!("{{prefix}} {{msg:<10}} [{{wide_bar}}] {counts} {{eta}}")
        } else {
            format!("{{prefix}} {{spinner}} {{msg:<10}} {counts} {{elapsed}}").replace("  ", " ")
        };
        let template = template.replace("{unit}", unit.label());
        ProgressStyle::with_template(&template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .with_key(
                "per_sec",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", s.per_sec());
                },
            )
            .progress_chars("=> ")
    }
}

impl Progress for Bar {
    fn phase(&self, name: &'static str, total: Option<u64>, unit: Unit) {
        if let Ok(mut u) = self.unit.lock() {
            *u = unit;
        }
        if let Some(b) = &self.bar {
            b.set_style(Self::style(total, unit));
            b.set_prefix(self.what.clone());
            b.set_message(name);
            b.set_length(total.unwrap_or(0));
            if total.is_none() {
                b.unset_length();
            }
            b.reset();
            // Again at each phase: a finished bar's ticker has stopped.
            b.enable_steady_tick(std::time::Duration::from_millis(200));
        }
    }

    fn advance(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use indicatif::TermLike;
    use std::sync::Arc;

    /// A terminal in memory: what the bar drew.
    #[derive(Debug, Default, Clone)]
    struct Screen(Arc<Mutex<String>>);

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            100
        }
        fn move_cursor_up(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_down(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_right(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> std::io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(s)?;
            self.write_str("\n")
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            if let Ok(mut t) = self.0.lock() {
                t.push_str(s);
            }
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            Ok(())
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_bar_names_the_work_the_phase_and_counts_rows() {
        let screen = Screen::default();
        let bar = Bar::to(
            Some(ProgressDrawTarget::term_like(Box::new(screen.clone()))),
            "import delays.csv",
        );
        bar.phase("writing", Some(500), Unit::Rows);
        bar.advance(250);
        if let Some(b) = &bar.bar {
            b.force_draw();
        }
        let drawn = screen.0.lock().map(|s| s.clone()).unwrap_or_default();
        assert!(drawn.contains("import delays.csv"), "{drawn}");
        assert!(drawn.contains("writing"), "{drawn}");
        assert!(drawn.contains("250/500 rows"), "{drawn}");
    }

    #[test]
    fn a_step_without_a_count_shows_its_name_and_time_only() {
        let screen = Screen::default();
        let bar = Bar::to(
            Some(ProgressDrawTarget::term_like(Box::new(screen.clone()))),
            "check",
        );
        bar.phase("integrity", None, Unit::Steps);
        if let Some(b) = &bar.bar {
            b.force_draw();
        }
        let drawn = screen.0.lock().map(|s| s.clone()).unwrap_or_default();
        assert!(drawn.contains("check"), "{drawn}");
        assert!(drawn.contains("integrity "), "{drawn}");
        assert!(!drawn.contains("steps"), "{drawn}");
        assert!(!drawn.contains("/s"), "{drawn}");
    }

    #[test]
    fn a_hidden_bar_draws_nothing_and_counts_nothing() {
        let bar = Bar::to(None, "backup");
        bar.phase("copying", Some(10), Unit::Pages);
        bar.advance(5);
        assert!(bar.bar.is_none());
    }
}
