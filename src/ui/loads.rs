//! Screen loads off the draw loop. A screen that reads the store itself (`Screen::load`) hands
//! `App::load` a read (`&Store` → its figures) and where to put the result. In the terminal
//! ([`Loads::in_background`]) the read runs on a worker thread with its own read connection to
//! the same file, the screen says "Loading…" and keys keep answering; the event loop polls more
//! often while a load is under way and puts the result in place when it arrives, unless a newer
//! request for the same screen was made since (each request has a generation; a stale result is
//! dropped). By default (tests, benches, an in-memory database) loads run inline, so what a key
//! shows is there when the key returns.

use crate::store::Store;
use crate::ui::app::App;
use crate::ui::keymap::ScreenId;
use std::collections::HashMap;
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

/// What a finished read puts in place.
pub type Apply = Box<dyn FnOnce(&mut App) + Send>;
/// A read for the worker.
type Job = Box<dyn FnOnce(&Store) -> Apply + Send>;

struct Worker {
    jobs: Sender<(ScreenId, u64, Job)>,
    done: Receiver<(ScreenId, u64, Apply)>,
}

/// The loads requested and under way.
#[derive(Default)]
pub struct Loads {
    /// `None`: loads run inline.
    worker: Option<Worker>,
    /// The newest request of each screen.
    latest: HashMap<ScreenId, u64>,
    /// The screens whose newest request is under way.
    pending: HashMap<ScreenId, u64>,
}

impl std::fmt::Debug for Loads {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loads")
            .field("background", &self.worker.is_some())
            .field("pending", &self.pending)
            .finish()
    }
}

impl Loads {
    /// Loads on a worker thread reading through `reader` (a second connection to the database).
    pub fn in_background(reader: Store) -> Self {
        let (jobs, rx) = mpsc::channel::<(ScreenId, u64, Job)>();
        let (tx, done) = mpsc::channel();
        std::thread::spawn(move || {
            for (id, generation, job) in rx {
                if tx.send((id, generation, job(&reader))).is_err() {
                    break;
                }
            }
        });
        Self {
            worker: Some(Worker { jobs, done }),
            ..Self::default()
        }
    }

    /// Whether a load of `id` is under way.
    pub fn pending(&self, id: ScreenId) -> bool {
        self.pending.contains_key(&id)
    }

    /// Whether any load is under way (the event loop then polls more often).
    pub fn busy(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Starts a load of `id` (a newer request makes the older one's result stale). Returns the
    /// job back when it is to run inline.
    fn start(&mut self, id: ScreenId, job: Job) -> Option<Job> {
        let generation = self.latest.entry(id).or_insert(0);
        *generation += 1;
        let generation = *generation;
        match &self.worker {
            Some(w) => match w.jobs.send((id, generation, job)) {
                Ok(()) => {
                    self.pending.insert(id, generation);
                    None
                }
                // The worker is gone: inline from now on.
                Err(mpsc::SendError((_, _, job))) => {
                    self.worker = None;
                    self.pending.clear();
                    Some(job)
                }
            },
            None => Some(job),
        }
    }

    /// A finished load whose result is still wanted, waiting up to `wait`.
    fn finished(&mut self, wait: Duration) -> Option<Apply> {
        loop {
            let w = self.worker.as_ref()?;
            let (id, generation, apply) = if wait.is_zero() {
                w.done.try_recv().ok()?
            } else {
                w.done.recv_timeout(wait).ok()?
            };
            if self.latest.get(&id) == Some(&generation) {
                self.pending.remove(&id);
                return Some(apply);
            }
            // A newer request for the same screen was made since: dropped.
        }
    }
}

impl App {
    /// Reads with `read` for screen `id` (on the worker, or inline) and puts the result in place
    /// with `put`.
    pub fn load<T: Send + 'static>(
        &mut self,
        id: ScreenId,
        read: impl FnOnce(&Store) -> T + Send + 'static,
        put: impl FnOnce(&mut App, T) + Send + 'static,
    ) {
        let job: Job = Box::new(move |store: &Store| {
            let t = read(store);
            Box::new(move |app: &mut App| put(app, t)) as Apply
        });
        if let Some(job) = self.loads.start(id, job) {
            let apply = job(&self.store);
            apply(self);
            self.drain_events();
        }
    }

    /// Whether the load of screen `id` is under way.
    pub fn loading(&self, id: ScreenId) -> bool {
        self.loads.pending(id)
    }

    /// Puts in place the loads that finished (waiting up to `wait` for one); whether any did.
    pub fn poll_loads(&mut self, wait: Duration) -> bool {
        let mut any = false;
        let mut wait = wait;
        while let Some(apply) = self.loads.finished(wait) {
            apply(self);
            any = true;
            wait = Duration::ZERO;
        }
        if any {
            self.drain_events();
        }
        any
    }

    /// Waits until every load under way has finished and is in place (tests of the background
    /// mode), at most `limit`.
    pub fn wait_loads(&mut self, limit: Duration) {
        let end = std::time::Instant::now() + limit;
        while self.loads.busy() && std::time::Instant::now() < end {
            self.poll_loads(Duration::from_millis(20));
        }
    }

    /// Runs the screens' loads on a worker thread with its own read connection (the terminal);
    /// stays inline when the database cannot be opened twice (in memory).
    pub fn load_in_background(&mut self) {
        if let Ok(reader) = self.store.reader() {
            self.loads = Loads::in_background(reader);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::keymap::Action;
    use crate::ui::widgets::message::Message;

    fn app_on_file(dir: &tempfile::TempDir) -> App {
        let store = Store::open(&dir.path().join("loads.sqlite")).expect("store");
        let today = chrono::NaiveDate::from_ymd_opt(2018, 8, 15).expect("date");
        let mut app = App::new(store, today);
        app.first_run = false;
        app.load_in_background();
        assert!(
            app.loads.worker.is_some(),
            "a file opens a second connection"
        );
        app
    }

    /// A slow read: keys keep answering and the screen says it is loading; the result is put in
    /// place when it arrives.
    #[test]
    fn keys_answer_while_a_load_runs() {
        let dir = tempfile::tempdir().expect("dir");
        let mut app = app_on_file(&dir);
        let id = *ScreenId::ALL.last().expect("a screen");
        app.update(Action::Screen(id));
        app.wait_loads(Duration::from_secs(30));
        let (go, wait) = mpsc::channel::<u32>();
        app.load(
            id,
            move |_| wait.recv().unwrap_or(0),
            |app, n| app.message = Some(Message::info(format!("read {n}"))),
        );
        assert!(app.loading(id));
        assert!(crate::ui::render_text(&app, 80, 24).contains("Loading…"));
        // Keys answer: help opens and closes, another screen shows and this one again.
        app.update(Action::Help);
        assert!(app.help);
        app.update(Action::Help);
        app.update(Action::Screen(ScreenId::ALL[0]));
        assert_eq!(app.screen, ScreenId::ALL[0]);
        app.update(Action::Screen(id));
        assert!(app.loading(id));
        go.send(7).expect("the worker waits");
        app.wait_loads(Duration::from_secs(30));
        assert!(!app.loading(id));
        assert!(!crate::ui::render_text(&app, 80, 24).contains("Loading…"));
        assert_eq!(
            app.message.as_ref().map(|m| m.text.as_str()),
            Some("read 7")
        );
    }

    /// Two requests for one screen: the first one's result is stale and dropped.
    #[test]
    fn a_stale_result_is_dropped() {
        let dir = tempfile::tempdir().expect("dir");
        let mut app = app_on_file(&dir);
        let id = ScreenId::ALL[0];
        app.load(
            id,
            |_| 1,
            |app, n| app.message = Some(Message::info(format!("first {n}"))),
        );
        app.load(
            id,
            |_| 2,
            |app, n| app.message = Some(Message::info(format!("second {n}"))),
        );
        app.wait_loads(Duration::from_secs(30));
        assert!(!app.loads.busy());
        assert_eq!(
            app.message.as_ref().map(|m| m.text.as_str()),
            Some("second 2")
        );
    }

    /// Inline (the default, and an in-memory database): the result is there when `load` returns.
    #[test]
    fn inline_loads_are_done_at_once() {
        let store = Store::open_in_memory().expect("store");
        let today = chrono::NaiveDate::from_ymd_opt(2018, 8, 15).expect("date");
        let mut app = App::new(store, today);
        app.load_in_background();
        assert!(app.loads.worker.is_none());
        let id = ScreenId::ALL[0];
        app.load(
            id,
            |_| 3,
            |app, n| app.message = Some(Message::info(format!("{n}"))),
        );
        assert!(!app.loading(id));
        assert_eq!(app.message.as_ref().map(|m| m.text.as_str()), Some("3"));
    }
}
