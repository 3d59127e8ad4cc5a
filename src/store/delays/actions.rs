//! Actions with owners (issue 26 item 3): what is to be done for a delayed patient, by whom (a
//! person or a team from the owners' list, which a new name joins) and by when; done or
//! cancelled by whom and when. Every write is audited on the delay (so its history shows it);
//! adding an action marks the delay reviewed today, as the round's note did.

use super::*;
use crate::domain::{action_overdue, action_text, owner_name, ActionState};
use crate::store::audit_event::{ActionClose, ActionField};

/// One action of a delay.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionRow {
    pub id: i64,
    pub delay_id: i64,
    /// The day it was set, and by whom.
    pub on: NaiveDate,
    pub by: String,
    pub text: String,
    /// A person or a team (`None`: a note written before version 14).
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub state: ActionState,
    pub closed_on: Option<NaiveDate>,
    pub closed_by: Option<String>,
}

impl ActionRow {
    /// Open and due before `today`.
    pub fn overdue(&self, today: NaiveDate) -> bool {
        action_overdue(self.state, self.due_on, today)
    }
}

/// A new action.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewAction {
    pub text: String,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
}

/// An open action's text, owner and due date as they are to be (each field that differs is
/// changed and audited).
pub type ActionEdit = NewAction;

/// Which actions a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionFilter {
    /// Open actions of open delays only (the working list).
    pub open: bool,
    /// Open actions of open delays due before today.
    pub overdue: bool,
    /// One owner's (ignoring case).
    pub owner: Option<String>,
}

/// An action with the patient it is for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionListRow {
    pub action: ActionRow,
    pub local_id: String,
    pub site_code: String,
    pub la_code: String,
    pub ward: Option<String>,
    pub bed: Option<String>,
    /// The delay's end, if it has ended.
    pub delay_ended_on: Option<NaiveDate>,
}

/// A delay's open actions at a glance (the register row's): how many, and the one due first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OpenActions {
    pub count: u32,
    pub next_text: Option<String>,
    pub next_owner: Option<String>,
    pub next_due: Option<NaiveDate>,
}

impl OpenActions {
    /// Whether the one due first is overdue on `today` (then at least one is).
    pub fn overdue(&self, today: NaiveDate) -> bool {
        self.count > 0 && action_overdue(ActionState::Open, self.next_due, today)
    }
}

const ACTION_COLUMNS: &str =
    "a.id, a.delay_id, a.on_day, a.by_user, a.text, a.owner, a.due_on, a.state, a.closed_on, a.closed_by";

fn read_action(r: &rusqlite::Row<'_>) -> Result<ActionRow> {
    let state: String = r.get(7)?;
    Ok(ActionRow {
        id: r.get(0)?,
        delay_id: r.get(1)?,
        on: parse_stored_date(&r.get::<_, String>(2)?)?,
        by: r.get(3)?,
        text: r.get(4)?,
        owner: r.get(5)?,
        due_on: opt_date(r.get(6)?)?,
        state: ActionState::parse(&state)
            .ok_or_else(|| Error::Stored(format!("action state {state}: not known")))?,
        closed_on: opt_date(r.get(8)?)?,
        closed_by: r.get(9)?,
    })
}

/// What the audit keeps of an action: its text, owner and due date.
fn described(text: &str, owner: &str, due_on: Option<NaiveDate>) -> String {
    match due_on {
        Some(d) => format!("{text} · owner {owner} · due {d}"),
        None => format!("{text} · owner {owner}"),
    }
}

impl Writer<'_> {
    /// The owner as listed (a name already on the list, whatever its case, keeps the list's
    /// spelling); a new name is added to the list and audited.
    fn listed_owner(&self, name: &str, today: NaiveDate) -> Result<String> {
        let known: Option<String> = self
            .tx
            .query_row(
                "SELECT name FROM action_owner WHERE name = ?1",
                params![name],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(k) = known {
            return Ok(k);
        }
        self.tx.execute(
            "INSERT INTO action_owner (name, added_on) VALUES (?1, ?2)",
            params![name, date_str(today)],
        )?;
        self.audit(&AuditEvent::ActionOwner, name, None, Some(name))?;
        Ok(name.to_string())
    }

    fn load_action(&self, action_id: i64) -> Result<ActionRow> {
        action_by_id(self.tx, action_id)
    }

    /// An action that is still open (a closed one is a record).
    fn open_action(&self, action_id: i64) -> Result<ActionRow> {
        let a = self.load_action(action_id)?;
        if a.state != ActionState::Open {
            return Err(Error::invalid(format!(
                "the action is already {}: it is kept as a record",
                a.state.as_str()
            )));
        }
        Ok(a)
    }
}

/// The checked text, owner and due date (a due date before `today` is refused: it would be
/// overdue as it is set).
fn checked(a: &NewAction, today: NaiveDate, due_was: Option<NaiveDate>) -> Result<NewAction> {
    let text = action_text(&a.text).map_err(Error::invalid)?;
    let owner = owner_name(&a.owner).map_err(Error::invalid)?;
    if let Some(d) = a.due_on {
        if d < today && Some(d) != due_was {
            return Err(Error::invalid(format!(
                "the due date {d} is before today ({today})"
            )));
        }
    }
    Ok(NewAction {
        text,
        owner,
        due_on: a.due_on,
    })
}

impl Store {
    /// Adds an open action to a delay (set `today` by the user), marking the delay reviewed.
    /// A new owner joins the owners' list.
    pub fn add_action(&mut self, delay_id: i64, a: &NewAction, today: NaiveDate) -> Result<i64> {
        let a = checked(a, today, None)?;
        self.write(|w| {
            if w.reviewed(delay_id, today)? == 0 {
                return Err(Error::NotFound(format!("delay {delay_id}")));
            }
            let owner = w.listed_owner(&a.owner, today)?;
            w.tx.execute(
                "INSERT INTO delay_action (delay_id, on_day, by_user, at, text, owner, due_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    delay_id,
                    date_str(today),
                    w.user,
                    w.at,
                    a.text,
                    owner,
                    a.due_on.map(date_str)
                ],
            )?;
            let id = w.tx.last_insert_rowid();
            w.audit(
                &AuditEvent::Delay(DelayEvent::AddAction),
                &delay_id.to_string(),
                None,
                Some(&described(&a.text, &owner, a.due_on)),
            )?;
            Ok(id)
        })
    }

    /// Closes an open action as done or cancelled, today, by the user.
    pub fn close_action(
        &mut self,
        action_id: i64,
        how: ActionClose,
        today: NaiveDate,
    ) -> Result<()> {
        let state = match how {
            ActionClose::Done => ActionState::Done,
            ActionClose::Cancelled => ActionState::Cancelled,
        };
        self.write(|w| {
            let a = w.open_action(action_id)?;
            w.tx.execute(
                "UPDATE delay_action SET state = ?1, closed_on = ?2, closed_by = ?3 WHERE id = ?4",
                params![state.as_str(), date_str(today), w.user, action_id],
            )?;
            w.audit(
                &AuditEvent::Delay(DelayEvent::CloseAction(how)),
                &a.delay_id.to_string(),
                Some(&a.text),
                Some(state.as_str()),
            )
        })
    }

    /// Changes an open action's text, owner or due date (each change audited; a new owner joins
    /// the owners' list). A due date already passed may stay as it was.
    pub fn edit_action(&mut self, action_id: i64, e: &ActionEdit, today: NaiveDate) -> Result<()> {
        self.write(|w| {
            let a = w.open_action(action_id)?;
            let e = checked(e, today, a.due_on)?;
            let owner = if a.owner.as_deref() == Some(e.owner.as_str()) {
                e.owner.clone()
            } else {
                w.listed_owner(&e.owner, today)?
            };
            let delay = a.delay_id.to_string();
            let due_old = a.due_on.map(date_str);
            let due_new = e.due_on.map(date_str);
            for (field, old, new) in [
                (
                    ActionField::Text,
                    Some(a.text.clone()),
                    Some(e.text.clone()),
                ),
                (ActionField::Owner, a.owner.clone(), Some(owner.clone())),
                (ActionField::Due, due_old, due_new.clone()),
            ] {
                if old != new {
                    w.audit(
                        &AuditEvent::Delay(DelayEvent::EditAction(field)),
                        &delay,
                        old.as_deref(),
                        new.as_deref(),
                    )?;
                }
            }
            w.tx.execute(
                "UPDATE delay_action SET text = ?1, owner = ?2, due_on = ?3 WHERE id = ?4",
                params![e.text, owner, due_new, action_id],
            )?;
            Ok(())
        })
    }

    /// A delay's actions: the open ones first, due first (no due date last), then the closed
    /// ones, newest first.
    pub fn actions_of(&self, delay_id: i64) -> Result<Vec<ActionRow>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {ACTION_COLUMNS} FROM delay_action a WHERE a.delay_id = ?1
             ORDER BY a.state <> 'open', CASE WHEN a.state = 'open' THEN a.due_on IS NULL END,
                 CASE WHEN a.state = 'open' THEN a.due_on END, a.id DESC"
        ))?;
        let mut rows = stmt.query(params![delay_id])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(read_action(r)?);
        }
        Ok(out)
    }

    /// One action.
    pub fn action(&self, action_id: i64) -> Result<ActionRow> {
        action_by_id(&self.conn, action_id)
    }

    /// The actions `filter` picks with their patients, due first (no due date last), then the
    /// oldest. Open and overdue lists hold the open actions of open delays only: a patient whose
    /// delay has ended keeps them in the record.
    pub fn action_list(
        &self,
        filter: &ActionFilter,
        today: NaiveDate,
    ) -> Result<Vec<ActionListRow>> {
        let mut sql = format!(
            "SELECT {ACTION_COLUMNS}, pt.local_id, s.site_code, s.la_code, s.ward, s.bed, d.ended_on
             FROM delay_action a
             JOIN delay d ON d.id = a.delay_id
             JOIN stay s ON s.id = d.stay_id
             JOIN patient pt ON pt.id = s.patient_id
             WHERE (?1 = 0 OR (a.state = 'open' AND d.ended_on IS NULL))
               AND (?2 = 0 OR a.due_on < ?3)
               AND (?4 IS NULL OR a.owner = ?4 COLLATE NOCASE)"
        );
        sql.push_str(" ORDER BY a.due_on IS NULL, a.due_on, a.id");
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let open = filter.open || filter.overdue;
        let owner = filter
            .owner
            .as_deref()
            .map(|o| o.split_whitespace().collect::<Vec<_>>().join(" "));
        let mut rows = stmt.query(params![open, filter.overdue, date_str(today), owner])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(ActionListRow {
                action: read_action(r)?,
                local_id: r.get(10)?,
                site_code: r.get(11)?,
                la_code: r.get(12)?,
                ward: r.get(13)?,
                bed: r.get(14)?,
                delay_ended_on: opt_date(r.get(15)?)?,
            });
        }
        Ok(out)
    }

    /// The owners offered in the action form, A to Z ignoring case.
    pub fn action_owners(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM action_owner ORDER BY name COLLATE NOCASE")?;
        let names = stmt.query_map([], |r| r.get(0))?;
        Ok(names.collect::<rusqlite::Result<_>>()?)
    }
}

/// One action by its id, on the reader or inside a write.
fn action_by_id(conn: &rusqlite::Connection, action_id: i64) -> Result<ActionRow> {
    conn.query_row(
        &format!("SELECT {ACTION_COLUMNS} FROM delay_action a WHERE a.id = ?1"),
        params![action_id],
        |r| Ok(read_action(r)),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound(format!("action {action_id}")))?
}
