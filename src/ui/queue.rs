//! The app's event queue: what a form or a command did, pushed by whoever did it and handled by
//! every screen that cares ([`crate::ui::screens::Screen::handle`]). Screens do not call each
//! other: a save says what it saved, a confirmed dialog says what was confirmed, and the screens
//! react. The app drains the queue after every key, tick and finished load
//! (`App::drain_events`), in the order pushed.

use std::collections::VecDeque;

/// Something done that other screens may need to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A delay's reason, end, ward, bed or expected date saved by this app (`ended`: the save
    /// ended it).
    DelaySaved { id: i64, ended: bool },
    /// A stay's local id, NHS number, admission or site corrected, through one of its delays.
    StayCorrected { delay_id: i64 },
    /// A week signed off or reopened.
    WeekSigned,
    /// A reconciliation difference marked, or the hospital's reported figures imported.
    ReportedChanged,
    /// The user said yes to deleting a delay.
    DeleteConfirmed { delay_id: i64, version: i64 },
    /// The month totals and what is computed from them (monthly report, forecast) were computed
    /// again (`app.data.monthly` …).
    AggregatesComputed,
    /// The user chose a screen (a number key, Tab, the `0` list): it opens on its list, not on
    /// a view left open (the register's detail).
    ScreenChosen,
}

/// Events waiting to be handled, oldest first.
#[derive(Debug, Default)]
pub struct Queue(VecDeque<Event>);

impl Queue {
    pub fn push(&mut self, event: Event) {
        self.0.push_back(event);
    }

    pub fn pop(&mut self) -> Option<Event> {
        self.0.pop_front()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
