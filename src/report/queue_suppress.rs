//! Small-number suppression of the pathway queues (`--suppress N` on `report queues` and
//! `report forecast`): one decision over every queue of the register, each site and each
//! authority, that every output asks, so that neither one table nor two side by side give a
//! hidden count back.
//!
//! What is given: each day's people waiting per pathway (0–3, not yet known), for the register,
//! each site and each authority. Each day they are tied by sums: a pathway's count for the
//! register is the sum of its sites' and of its authorities'; and a queue's five pathways add up
//! to the people delayed there that day, which other outputs give (`report nctr`, the discharge
//! sitreps), so those totals are taken as known. Underneath are the queues of each site's
//! delays of each authority, which no output shows.
//!
//! The decision, each day on its own (so every range and grouping asked hides the same counts of
//! the days they share):
//! 1. every count from 1 to N is hidden;
//! 2. any sum with exactly one hidden count takes another of its counts with it, until none has
//!    one: the smallest non-zero one, else a zero, of a site or an authority, the register's last
//!    (the monthly figures' rule, [`super::suppress::cells_to_hide`], but keeping the figure most
//!    read while another will do: a hidden zero is as unknown to a reader as any other count);
//! 3. that rule does not see a count given back through several sums at once (an exact check of
//!    the demo's outputs found some), so each hidden count is then checked exactly: written over
//!    the unknown site-by-authority queues, is it a combination of what is shown and the known
//!    totals? If so, one of the shown counts its working-out takes is hidden too (chosen as in
//!    2), and 2 and 3 run again, until no hidden count can be worked out. (Exact: elimination
//!    modulo the prime 2^61 − 1, whose answer is the rational one unless the prime divides a
//!    minor of a matrix of small integers.)
//!
//! What is not given: the day's joined and left. With the waiting of the day and of the day
//! before they are a subtraction away (yesterday's waiting + joined − left = today's waiting),
//! which would tie the days together, so under `--suppress` they are all hidden.

use super::queues::{queue_history, Episode, Grouping, QueueError, QueueKey};
use super::queues_table::PATHWAYS;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Which count of a queue's day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum QueueCount {
    /// People waiting at the day's end.
    Waiting,
    Joined,
    Left,
}

/// One count of one queue on one day: `group` is the site or authority code (empty for the
/// register), as in [`QueueKey`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QueueFigure {
    pub by: u8,
    pub key: QueueKey,
    pub day: NaiveDate,
    pub count: QueueCount,
}

/// A grouping as a figure's `by`.
fn by(g: Grouping) -> u8 {
    match g {
        Grouping::Whole => 0,
        Grouping::Site => 1,
        Grouping::Authority => 2,
    }
}

impl QueueFigure {
    pub fn of(grouping: Grouping, key: &QueueKey, day: NaiveDate, count: QueueCount) -> Self {
        Self {
            by: by(grouping),
            key: key.clone(),
            day,
            count,
        }
    }
}

/// The queue counts hidden under `--suppress N`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueueHidden {
    figures: BTreeSet<QueueFigure>,
}

impl QueueHidden {
    pub fn contains(&self, f: &QueueFigure) -> bool {
        self.figures.contains(f)
    }

    pub fn len(&self) -> usize {
        self.figures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }
}

/// The decision as a table of one grouping sees it: `by` and, for a table of the whole register
/// narrowed to one site or authority (`--by register --la X`), that site's or authority's code in
/// place of the register's empty group.
#[derive(Debug, Clone)]
pub struct QueueHiding {
    pub hidden: QueueHidden,
    pub by: Grouping,
    pub group: Option<String>,
}

impl QueueHiding {
    /// Whether a forecast from `today` of queue `key` is hidden whole: its start (yesterday's
    /// waiting) or today's waiting is hidden, which its first days would give back.
    pub fn hides_forecast(&self, key: &QueueKey, today: NaiveDate) -> bool {
        let yesterday = today.pred_opt().unwrap_or(today);
        self.hides(key, yesterday, QueueCount::Waiting)
            || self.hides(key, today, QueueCount::Waiting)
    }

    /// Whether the table's count `count` of queue `key` on `day` is hidden: joined and left
    /// always (the module's account says why).
    pub fn hides(&self, key: &QueueKey, day: NaiveDate, count: QueueCount) -> bool {
        if count != QueueCount::Waiting {
            return true;
        }
        let key = QueueKey {
            group: self.group.clone().unwrap_or_else(|| key.group.clone()),
            pathway: key.pathway,
        };
        self.hidden
            .contains(&QueueFigure::of(self.by, &key, day, count))
    }
}

/// THE decision for the queues of `episodes` (every delay of the register waiting on some day of
/// `first..=last`), the people waiting hidden on each day of `first..=last`. Nothing for `n == 0`.
pub fn queue_hidden(
    episodes: &[Episode],
    first: NaiveDate,
    last: NaiveDate,
    n: u64,
) -> Result<QueueHidden, QueueError> {
    if n == 0 {
        return Ok(QueueHidden::default());
    }
    // The queues nobody sees: each site's delays of each authority (their group "site|la").
    let crossed: Vec<Episode> = episodes
        .iter()
        .map(|e| Episode {
            site: format!("{}|{}", e.site, e.authority),
            ..e.clone()
        })
        .collect();
    let histories = [
        (
            Grouping::Whole,
            queue_history(episodes, Grouping::Whole, first, last)?,
        ),
        (
            Grouping::Site,
            queue_history(episodes, Grouping::Site, first, last)?,
        ),
        (
            Grouping::Authority,
            queue_history(episodes, Grouping::Authority, first, last)?,
        ),
    ];
    let cells = queue_history(&crossed, Grouping::Site, first, last)?;
    // The unknowns of each day: the site-by-authority queues with someone waiting that day
    // (one with nobody is taken as a known zero, which only makes the check stricter), ×
    // pathway. Each day's are its own, so that its decision is the same whatever range is asked.
    let mut combos: BTreeMap<NaiveDate, Vec<(String, String)>> = BTreeMap::new();
    for s in &cells.series {
        let Some((site, la)) = s.key.group.split_once('|') else {
            continue;
        };
        for d in s.days.iter().filter(|d| d.waiting > 0) {
            let day = combos.entry(d.date).or_default();
            let c = (site.to_string(), la.to_string());
            if !day.contains(&c) {
                day.push(c);
            }
        }
    }
    // Each day's figures: (row, pathway) → waiting; a row is (grouping, group).
    let mut days: BTreeMap<NaiveDate, BTreeMap<(Row, usize), u64>> = BTreeMap::new();
    for (grouping, h) in &histories {
        for s in &h.series {
            let Some(p) = PATHWAYS.iter().position(|p| *p == s.key.pathway) else {
                continue;
            };
            // A queue is a row of a day when someone waits in it that day: one with nobody is
            // all zeros, shown as 0 whatever the range, so the same rows make every day's
            // decision whichever range or grouping read it.
            for d in s.days.iter().filter(|d| d.waiting > 0) {
                let row = (by(*grouping), s.key.group.clone());
                days.entry(d.date)
                    .or_default()
                    .insert((row, p), u64::from(d.waiting));
            }
        }
    }
    let mut figures = BTreeSet::new();
    for (date, mut values) in days {
        // Every row has its five pathways (0 for one nobody of the row waits for).
        let rows: BTreeSet<Row> = values.keys().map(|(r, _)| r.clone()).collect();
        for r in &rows {
            for p in 0..PATHWAYS.len() {
                values.entry((r.clone(), p)).or_insert(0);
            }
        }
        let none = Vec::new();
        let hidden = decide_day(&values, &rows, combos.get(&date).unwrap_or(&none), n);
        for ((by, group), p) in hidden {
            figures.insert(QueueFigure {
                by,
                key: QueueKey {
                    group,
                    pathway: PATHWAYS[p],
                },
                day: date,
                count: QueueCount::Waiting,
            });
        }
    }
    Ok(QueueHidden { figures })
}

/// A row of a day's figures: (grouping as [`by`], site or authority code, empty for the register).
type Row = (u8, String);
/// A figure of a day: its row and pathway (index in [`PATHWAYS`]).
type Cell = (Row, usize);

/// One day's hidden figures (see the module's account): `values` every figure of the day,
/// `combos` the site-by-authority queues underneath.
fn decide_day(
    values: &BTreeMap<Cell, u64>,
    rows: &BTreeSet<Row>,
    combos: &[(String, String)],
    n: u64,
) -> BTreeSet<Cell> {
    let ids: Vec<&Cell> = values.keys().collect();
    let id = |c: &Cell| ids.binary_search(&c).ok();
    let numbered: BTreeMap<usize, u64> = ids
        .iter()
        .enumerate()
        .map(|(i, c)| (i, values[*c]))
        .collect();
    // The sums: a row's pathways (its total known); a pathway's register figure and its sites',
    // and its authorities'.
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for r in rows {
        groups.push(
            (0..PATHWAYS.len())
                .filter_map(|p| id(&(r.clone(), p)))
                .collect(),
        );
    }
    for g in [by(Grouping::Site), by(Grouping::Authority)] {
        for p in 0..PATHWAYS.len() {
            let mut group: Vec<usize> = id(&((by(Grouping::Whole), String::new()), p))
                .into_iter()
                .collect();
            group.extend(
                rows.iter()
                    .filter(|r| r.0 == g)
                    .filter_map(|r| id(&(r.clone(), p))),
            );
            groups.push(group);
        }
    }
    // Each figure and each row total as a form over the unknowns (combo, pathway).
    let form_of = |r: &Row, p: Option<usize>| -> Form {
        let mut f = Form::new();
        for (k, (site, la)) in combos.iter().enumerate() {
            let holds = match r.0 {
                0 => true,
                1 => *site == r.1,
                _ => *la == r.1,
            };
            if holds {
                for q in 0..PATHWAYS.len() {
                    if p.is_none_or(|p| p == q) {
                        f.insert(k * PATHWAYS.len() + q, 1);
                    }
                }
            }
        }
        f
    };
    let forms: Vec<Form> = ids.iter().map(|(r, p)| form_of(r, Some(*p))).collect();
    let totals: Vec<Form> = rows.iter().map(|r| form_of(r, None)).collect();
    // Which figure a group gives up first: a site's or an authority's, non-zero, smallest.
    let register = |j: usize| ids[j].0 .0 == by(Grouping::Whole);
    let rank = |j: usize| (register(j), numbered[&j] == 0, numbered[&j]);
    let mut hidden: BTreeSet<usize> = numbered
        .iter()
        .filter(|(_, v)| (1..=n).contains(*v))
        .map(|(i, _)| *i)
        .collect();
    loop {
        // 2. No group with exactly one hidden figure.
        loop {
            let before = hidden.len();
            for g in &groups {
                if g.iter().filter(|i| hidden.contains(i)).count() == 1 {
                    let next = g
                        .iter()
                        .copied()
                        .filter(|i| !hidden.contains(i))
                        .min_by_key(|&j| rank(j));
                    hidden.extend(next);
                }
            }
            if hidden.len() == before {
                break;
            }
        }
        if hidden.is_empty() {
            break;
        }
        // 3. The shown figures (numbered by their figure; the known totals after them, never to
        // hide), sparse ones first, so that the register's, over every queue, is reduced by them
        // rather than filling them in.
        let mut by_size: Vec<(usize, &Form)> = forms
            .iter()
            .enumerate()
            .filter(|(i, _)| !hidden.contains(i))
            .chain(totals.iter().enumerate().map(|(k, f)| (ids.len() + k, f)))
            .collect();
        by_size.sort_by_key(|(_, f)| f.len());
        let mut shown = Echelon::default();
        for (i, f) in by_size {
            shown.add(f.clone(), i);
        }
        let before = hidden.len();
        let mut from_totals = false;
        for i in hidden.clone() {
            let Some(used) = shown.explain(&forms[i]) else {
                continue;
            };
            // Given back: hide a shown figure its working-out uses, chosen as in 2.
            match used
                .into_iter()
                .filter(|j| *j < ids.len() && !hidden.contains(j))
                .min_by_key(|&j| rank(j))
            {
                Some(j) => {
                    hidden.insert(j);
                }
                None => from_totals = true,
            }
        }
        if hidden.len() == before {
            if from_totals {
                // Worked out from the known totals alone: nothing shown to hide with it, so the
                // whole day is hidden (never seen on the registers tried).
                hidden.extend(0..ids.len());
            }
            break;
        }
    }
    hidden.into_iter().map(|i| ids[i].clone()).collect()
}

/// A linear form over the unknowns, coefficients modulo [`PRIME`].
type Form = BTreeMap<usize, u64>;

/// 2^61 − 1.
const PRIME: u64 = (1 << 61) - 1;

fn mul(a: u64, b: u64) -> u64 {
    ((u128::from(a) * u128::from(b)) % u128::from(PRIME)) as u64
}

fn sub(a: u64, b: u64) -> u64 {
    (a + PRIME - b) % PRIME
}

/// a^(p−2): the inverse of `a` modulo the prime.
fn inverse(a: u64) -> u64 {
    let (mut base, mut e, mut r) = (a, PRIME - 2, 1u64);
    while e > 0 {
        if e & 1 == 1 {
            r = mul(r, base);
        }
        base = mul(base, base);
        e >>= 1;
    }
    r
}

/// Shown forms in row echelon form: pivot column → its row (pivot 1, no earlier column), with
/// the combination of the shown forms (by their number) that makes it.
#[derive(Default)]
struct Echelon {
    rows: BTreeMap<usize, (Form, Form)>,
}

impl Echelon {
    /// `f` less every pivot row it holds, with the combination of shown forms taken away.
    fn reduce(&self, mut f: Form, mut made: Form) -> (Form, Form) {
        f.retain(|_, v| *v != 0);
        let mut from = 0;
        while let Some((&c, &v)) = f.range(from..).next() {
            match self.rows.get(&c) {
                Some((row, of)) => {
                    for (target, source) in [(&mut f, row), (&mut made, of)] {
                        for (k, x) in source {
                            let e = target.entry(*k).or_insert(0);
                            *e = sub(*e, mul(v, *x));
                        }
                        target.retain(|_, v| *v != 0);
                    }
                }
                None => from = c + 1,
            }
        }
        (f, made)
    }

    /// Adds the shown form `f`, numbered `i`.
    fn add(&mut self, f: Form, i: usize) {
        let (r, made) = self.reduce(f, Form::from([(i, 1)]));
        if let Some((&c, &lead)) = r.iter().next() {
            let inv = inverse(lead);
            let scale = |f: Form| f.into_iter().map(|(k, v)| (k, mul(v, inv))).collect();
            self.rows.insert(c, (scale(r), scale(made)));
        }
    }

    /// When `f` is a combination of the shown forms, the numbers of those it takes.
    fn explain(&self, f: &Form) -> Option<Vec<usize>> {
        let (rest, made) = self.reduce(f.clone(), Form::new());
        rest.is_empty().then(|| made.into_keys().collect())
    }
}

#[cfg(test)]
mod tests;
