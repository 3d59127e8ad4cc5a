//! The month totals and open counts the Dashboard and Report screens draw, kept up to date from
//! what changed rather than read again after every save.
//!
//! They add up exactly as [`Store::month_totals`] and [`Store::open_counts`] count them: the
//! stored counts of closed periods for the months before today's, plus the "live" periods (open,
//! or in today's month) counted here. The stored part is read once; a save of this app adds the
//! change its write made to the stored counts ([`Store::take_changes`]); another user's save reads
//! it again. The live part is kept per delay, so a save reads again only the live periods of the
//! delays it touched and swaps their share.

use crate::domain::{days_by_month, delayed_span, Attribution, LaCode, YearMonth};
use crate::store::{LivePeriod, MonthTotal, OpenCount, Store, WriteChanges};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// One delay's live share: days by (month, authority, attribution), and the (authority,
/// attribution) of each of its periods open on today.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Share {
    days: Vec<(YearMonth, LaCode, usize, u64)>,
    open: Vec<(LaCode, Attribution)>,
}

/// The figures of the months `from..=to` as of `today`.
#[derive(Debug, Clone)]
pub struct Figures {
    from: YearMonth,
    to: YearMonth,
    today: NaiveDate,
    /// Stored counts (closed periods) of the months before today's.
    stored: BTreeMap<(YearMonth, LaCode), [u64; 3]>,
    /// Each delay's live share, and their sums.
    shares: HashMap<i64, Share>,
    live: BTreeMap<(YearMonth, LaCode), [u64; 3]>,
    open: BTreeMap<(LaCode, &'static str), u64>,
}

fn attribution_index(a: Attribution) -> usize {
    Attribution::ALL.iter().position(|x| *x == a).unwrap_or(0)
}

impl Figures {
    /// Reads the stored counts and every live period. What this connection wrote before is in
    /// what is read: the caller has taken (and dropped) [`Store::take_changes`] first.
    pub fn load(
        store: &Store,
        from: YearMonth,
        to: YearMonth,
        today: NaiveDate,
    ) -> crate::Result<Self> {
        let mut f = Self {
            from,
            to,
            today,
            stored: BTreeMap::new(),
            shares: HashMap::new(),
            live: BTreeMap::new(),
            open: BTreeMap::new(),
        };
        f.read_stored(store)?;
        let mut by_delay: HashMap<i64, Vec<LivePeriod>> = HashMap::new();
        for p in store.live_periods_of(today, None)? {
            by_delay.entry(p.delay_id).or_default().push(p);
        }
        for (id, periods) in by_delay {
            let share = f.share_of(&periods);
            f.add(&share, 1);
            f.shares.insert(id, share);
        }
        Ok(f)
    }

    fn read_stored(&mut self, store: &Store) -> crate::Result<()> {
        self.stored = store
            .stored_month_totals(self.from, self.to, self.today)?
            .into_iter()
            .map(|t| ((t.month, t.la_code), t.days))
            .collect();
        Ok(())
    }

    /// Brings the figures up to date after writes: `own` is what this app's writes changed
    /// (their stored counts added in, unless `reread_stored`), `others` the delays other users'
    /// saves touched; with `reread_stored` the stored counts are read again (another user's save
    /// changed them). The live periods of every delay named are read again.
    pub fn update(
        &mut self,
        store: &Store,
        own: &WriteChanges,
        others: &[i64],
        reread_stored: bool,
    ) -> crate::Result<()> {
        if reread_stored {
            self.read_stored(store)?;
        } else {
            let last_stored = self.to.min(YearMonth::of(self.today).prev());
            for (month, la, days) in &own.counts {
                if *month < self.from || *month > last_stored {
                    continue;
                }
                let e = self.stored.entry((*month, la.clone())).or_default();
                for (t, d) in e.iter_mut().zip(days) {
                    *t = t.saturating_add_signed(*d);
                }
                if *e == [0; 3] {
                    self.stored.remove(&(*month, la.clone()));
                }
            }
        }
        let mut ids: Vec<i64> = own.delays.iter().chain(others).copied().collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(());
        }
        let mut by_delay: HashMap<i64, Vec<LivePeriod>> = HashMap::new();
        for p in store.live_periods_of(self.today, Some(&ids))? {
            by_delay.entry(p.delay_id).or_default().push(p);
        }
        for id in ids {
            if let Some(old) = self.shares.remove(&id) {
                self.add(&old, -1);
            }
            if let Some(periods) = by_delay.get(&id) {
                let share = self.share_of(periods);
                self.add(&share, 1);
                self.shares.insert(id, share);
            }
        }
        Ok(())
    }

    /// A delay's live share (as `Store::month_totals` and `Store::open_counts` count it).
    fn share_of(&self, periods: &[LivePeriod]) -> Share {
        let today = self.today;
        let cur_start = YearMonth::of(today).first_day();
        let mut share = Share::default();
        for p in periods {
            // Closed periods' days before today's month are stored; open ones all count here.
            let span = if p.end.is_some() {
                delayed_span(p.start, p.end, today, cur_start..)
            } else {
                delayed_span(p.start, p.end, today, ..)
            };
            for (month, days) in days_by_month(span.start, span.end) {
                if month >= self.from && month <= self.to && days > 0 {
                    share.days.push((
                        month,
                        p.la_code.clone(),
                        attribution_index(p.attribution),
                        u64::from(days),
                    ));
                }
            }
            let open_today = p.start <= today
                && p.end.is_none_or(|e| e > today)
                && p.delay_ended.is_none_or(|e| e > today);
            if open_today {
                share.open.push((p.la_code.clone(), p.attribution));
            }
        }
        share
    }

    /// Adds (`sign` 1) or takes away (-1) a share from the sums; a sum back to zero is dropped.
    fn add(&mut self, share: &Share, sign: i64) {
        for (month, la, i, days) in &share.days {
            let key = (*month, la.clone());
            let e = self.live.entry(key.clone()).or_default();
            e[*i] = e[*i].saturating_add_signed(sign * *days as i64);
            if *e == [0; 3] {
                self.live.remove(&key);
            }
        }
        for (la, a) in &share.open {
            let key = (la.clone(), a.label());
            let e = self.open.entry(key.clone()).or_default();
            *e = e.saturating_add_signed(sign);
            if *e == 0 {
                self.open.remove(&key);
            }
        }
    }

    /// The month totals, as [`Store::month_totals`] gives them for `from..=to`.
    pub fn totals(&self) -> Vec<MonthTotal> {
        let mut acc = self.stored.clone();
        for (key, days) in &self.live {
            let e = acc.entry(key.clone()).or_default();
            for (t, d) in e.iter_mut().zip(days) {
                *t += d;
            }
        }
        acc.into_iter()
            .map(|((month, la_code), days)| MonthTotal {
                month,
                la_code,
                days,
            })
            .collect()
    }

    /// Patients delayed on today, as [`Store::open_counts`] gives them.
    pub fn open_counts(&self) -> Vec<OpenCount> {
        self.open
            .iter()
            .filter_map(|((la, label), n)| {
                Some(OpenCount {
                    la_code: la.clone(),
                    attribution: Attribution::parse(label).ok()?,
                    patients: *n,
                })
            })
            .collect()
    }
}
