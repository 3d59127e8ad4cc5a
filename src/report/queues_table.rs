//! The tables of `report queues` and `report forecast`: the pathway queues now and day by day, the
//! forecast with its capacity scenarios side by side, and the backtest's accuracy per horizon.

use super::forecast::{BacktestReport, Band, Errors, SeriesForecast, BLOCK_ORIGINS, MIN_BLOCKS};
use super::queue_suppress::{QueueCount, QueueHiding};
use super::queues::{Grouping, QueueDay, QueueHistory, QueueKey};
use super::table::{Kind, Table, Value};
use crate::domain::Pathway;
use chrono::NaiveDate;

/// The pathways a queue table lists for every group: 0–3, then not yet known.
pub const PATHWAYS: [Option<Pathway>; 5] = [
    Some(Pathway::P0),
    Some(Pathway::P1),
    Some(Pathway::P2),
    Some(Pathway::P3),
    None,
];

/// A pathway as the tables write it: `0`–`3` or `unknown`.
pub fn pathway_text(p: Option<Pathway>) -> String {
    p.map_or_else(|| "unknown".to_string(), |p| p.number().to_string())
}

/// The name of a grouping's column (none for the whole register).
fn group_column(grouping: Grouping) -> Option<&'static str> {
    match grouping {
        Grouping::Whole => None,
        Grouping::Site => Some("site"),
        Grouping::Authority => Some("la_code"),
    }
}

/// The key columns (group, pathway) and their values for `key`.
fn lead(t: &mut Table, grouping: Grouping) {
    if let Some(g) = group_column(grouping) {
        t.column(g, Kind::Text);
    }
    t.column("pathway", Kind::Text);
}

fn lead_values(key: &QueueKey, grouping: Grouping) -> Vec<Value> {
    let mut v = Vec::with_capacity(2);
    if group_column(grouping).is_some() {
        v.push(Value::text(&key.group));
    }
    v.push(Value::text(pathway_text(key.pathway)));
    v
}

/// Every group's five pathways, each with its days (or `None` when no delay has that key).
fn keyed(h: &QueueHistory) -> Vec<(QueueKey, Option<&[QueueDay]>)> {
    let mut groups: Vec<&str> = h.series.iter().map(|s| s.key.group.as_str()).collect();
    groups.dedup();
    if groups.is_empty() {
        groups.push("");
    }
    let mut out = Vec::new();
    for g in groups {
        for p in PATHWAYS {
            let days = h
                .series
                .iter()
                .find(|s| s.key.group == g && s.key.pathway == p)
                .map(|s| s.days.as_slice());
            out.push((
                QueueKey {
                    group: g.to_string(),
                    pathway: p,
                },
                days,
            ));
        }
    }
    out
}

/// Why `--suppress` hides every joined and left (`report::queue_suppress`).
const JOINED_LEFT_HIDDEN: &str = "joined, left: not given with --suppress (with each day's \
     waiting they would give hidden counts back by subtraction)";

/// A count, or `*` where `--suppress`'s decision hides it.
fn count_value(
    hiding: Option<&QueueHiding>,
    key: &QueueKey,
    day: NaiveDate,
    count: QueueCount,
    v: u32,
) -> Value {
    if hiding.is_some_and(|h| h.hides(key, day, count)) {
        Value::Suppressed
    } else {
        Value::Int(u64::from(v))
    }
}

/// A queue's figures on `date` (`d`: its day, `None` when nobody of `key` was read: zeros).
fn day_values(
    key: &QueueKey,
    date: NaiveDate,
    d: Option<&QueueDay>,
    hiding: Option<&QueueHiding>,
) -> [Value; 5] {
    let count =
        |c: QueueCount, f: fn(&QueueDay) -> u32| count_value(hiding, key, date, c, d.map_or(0, f));
    [
        count(QueueCount::Waiting, |d| d.waiting),
        Value::opt_real(d.and_then(|d| d.median_wait)),
        Value::opt_int(d.and_then(|d| d.longest_wait).map(u64::from)),
        count(QueueCount::Joined, |d| d.joins),
        count(QueueCount::Left, |d| d.leaves),
    ]
}

fn day_columns(t: &mut Table) {
    let waiting = t.column("waiting", Kind::Count);
    t.derived_column("median_wait_days", Kind::Rate, waiting);
    t.derived_column("longest_wait_days", Kind::Integer, waiting);
    t.column("joined", Kind::Count);
    t.column("left", Kind::Count);
}

/// The queues on the last day of `h` (today): per group and pathway, the people waiting at the
/// day's end, their median and longest wait since their ready date, the day's joins and leaves;
/// `hiding`: the counts `--suppress` hides.
pub fn queues_now_table(
    h: &QueueHistory,
    grouping: Grouping,
    hiding: Option<&QueueHiding>,
) -> Table {
    let mut t = Table::new(format!("Pathway queues on {}", h.to), "Queues now");
    t.notes.push(
        "waiting: ready and not yet gone at the day's end; waits in days since the ready date; \
         pathway: the planned one (for an ended delay without one, its discharge pathway)"
            .into(),
    );
    lead(&mut t, grouping);
    day_columns(&mut t);
    t.notes
        .extend(hiding.map(|_| JOINED_LEFT_HIDDEN.to_string()));
    for (key, days) in keyed(h) {
        let mut v = lead_values(&key, grouping);
        v.extend(day_values(&key, h.to, days.and_then(|d| d.last()), hiding));
        t.rows.push(v);
    }
    t
}

/// The daily history of every queue of `h`, day by day; `hiding`: the counts `--suppress` hides.
pub fn queue_history_table(
    h: &QueueHistory,
    grouping: Grouping,
    hiding: Option<&QueueHiding>,
) -> Table {
    let mut t = Table::new(
        format!("Pathway queues, {} to {}", h.from, h.to),
        "Queue history",
    );
    t.column("day", Kind::Date);
    lead(&mut t, grouping);
    day_columns(&mut t);
    t.notes
        .extend(hiding.map(|_| JOINED_LEFT_HIDDEN.to_string()));
    let keys = keyed(h);
    let mut date = h.from;
    let mut i = 0;
    while date <= h.to {
        for (key, days) in &keys {
            let mut v = vec![Value::Date(date)];
            v.extend(lead_values(key, grouping));
            v.extend(day_values(key, date, days.and_then(|d| d.get(i)), hiding));
            t.rows.push(v);
        }
        i += 1;
        let Some(next) = date.succ_opt() else { break };
        date = next;
    }
    t
}

/// A scenario's name in column headers: `base`, `cap-10`, `cap+10`.
fn scenario_name(pct: i32) -> String {
    match pct {
        0 => "base".to_string(),
        p => format!("cap{p:+}"),
    }
}

fn band_columns(t: &mut Table, name: &str) -> usize {
    let i = t.column(name, Kind::Integer);
    t.column(&format!("{name}_low"), Kind::Integer);
    t.column(&format!("{name}_high"), Kind::Integer);
    i
}

fn band_values(b: Band) -> [Value; 3] {
    [b.median, b.low, b.high].map(|x| Value::Int(u64::from(x)))
}

/// Each queue's forecast day by day: people becoming ready, then for each capacity scenario the
/// people leaving, the queue at the day's end and the delayed days so far, each as the median
/// with its interval (`interval` as a share, for the note). The terminal shows the queue of every
/// scenario side by side.
///
/// `hiding`: a queue whose waiting yesterday or today `--suppress` hides has its days' figures
/// hidden (its first days would give it back).
pub fn forecast_table(
    fs: &[SeriesForecast],
    grouping: Grouping,
    interval: f64,
    hiding: Option<&QueueHiding>,
) -> Table {
    let today = fs.first().map(|f| f.today);
    let mut t = Table::new(
        match today {
            Some(d) => format!("Pathway queue forecast from {d}"),
            None => "Pathway queue forecast".to_string(),
        },
        "Forecast",
    );
    t.notes.push(format!(
        "median of the runs, low-high: the central {:.0}% of runs; cap-10/base/cap+10: capacity \
         scenarios (percent of the base)",
        interval * 100.0
    ));
    lead(&mut t, grouping);
    let mut shown: Vec<usize> = (0..t.columns.len()).collect();
    shown.push(t.column("day_ahead", Kind::Integer));
    shown.push(t.column("date", Kind::Date));
    let arrivals = band_columns(&mut t, "ready");
    shown.extend([arrivals, arrivals + 1, arrivals + 2]);
    let pcts: Vec<i32> = fs
        .first()
        .map(|f| f.scenarios.iter().map(|s| s.capacity_pct).collect())
        .unwrap_or_default();
    for &pct in &pcts {
        let s = scenario_name(pct);
        let leaves = band_columns(&mut t, &format!("leave_{s}"));
        let queue = band_columns(&mut t, &format!("queue_{s}"));
        let delayed = band_columns(&mut t, &format!("delayed_days_{s}"));
        if pct == 0 {
            shown.push(leaves);
        }
        shown.extend([queue, queue + 1, queue + 2]);
        if pct == 0 {
            shown.push(delayed);
        }
    }
    for f in fs {
        let days = f.scenarios.first().map_or(0, |s| s.days.len());
        for d in 0..days {
            let mut v = lead_values(&f.key, grouping);
            let first = &f.scenarios[0].days[d];
            v.push(Value::Int(d as u64 + 1));
            v.push(Value::Date(first.date));
            v.extend(band_values(first.arrivals));
            for s in &f.scenarios {
                let day = &s.days[d];
                v.extend(band_values(day.leaves));
                v.extend(band_values(day.queue));
                v.extend(band_values(day.delayed_days));
            }
            if hiding.is_some_and(|h| h.hides_forecast(&f.key, f.today)) {
                // Every figure, from the people becoming ready on.
                v[arrivals..].fill(Value::Suppressed);
            }
            t.rows.push(v);
        }
    }
    t.shown = Some(shown);
    t
}

/// Each queue's starting point and what it would take: the queue at the end of yesterday and
/// today's entries so far, the expected people becoming ready and leaving a week, the median queue
/// on the last day of each scenario, and the extra discharges a day that bring the queue back to
/// where it started.
///
/// `hiding`: the counts `--suppress` hides; a queue whose waiting yesterday or today is hidden
/// has every figure of its forecast hidden, and with any suppression the weekly rates are not
/// given (each is four weeks' count over 4: beside another day's forecast, the difference gives
/// one day's count back).
pub fn forecast_summary_table(
    fs: &[SeriesForecast],
    grouping: Grouping,
    hiding: Option<&QueueHiding>,
) -> Table {
    let mut t = Table::new(
        "Pathway queues: where the forecast ends",
        "Forecast summary",
    );
    t.notes.push(
        "queue_now: waiting at the end of yesterday, where the forecast starts; ready_today, \
         left_today: today's entries so far, which day 1 (today) counts at least"
            .into(),
    );
    t.notes.push(
        "extra_per_day: the fewest extra discharges a day, on the base capacity, that bring the \
         median queue on the last day back to the queue now"
            .into(),
    );
    if hiding.is_some() {
        t.notes.push(
            "ready_today, left_today, ready_per_week, left_per_week: not given with --suppress \
             (beside each day's waiting, or another day's forecast, they would give hidden counts \
             back by subtraction); a queue whose waiting yesterday or today is hidden has its \
             whole forecast hidden"
                .into(),
        );
    }
    lead(&mut t, grouping);
    t.column("queue_now", Kind::Count);
    t.column("ready_today", Kind::Count);
    t.column("left_today", Kind::Count);
    t.column("ready_per_week", Kind::Rate);
    t.column("left_per_week", Kind::Rate);
    let pcts: Vec<i32> = fs
        .first()
        .map(|f| f.scenarios.iter().map(|s| s.capacity_pct).collect())
        .unwrap_or_default();
    for &pct in &pcts {
        t.column(&format!("last_queue_{}", scenario_name(pct)), Kind::Integer);
    }
    t.column("extra_per_day", Kind::Integer);
    for f in fs {
        let mut v = lead_values(&f.key, grouping);
        // Yesterday's waiting and today's joined and left: the counts `report queues` shows.
        let yesterday = f.today.pred_opt().unwrap_or(f.today);
        let (key, today) = (&f.key, f.today);
        v.push(count_value(
            hiding,
            key,
            yesterday,
            QueueCount::Waiting,
            f.queue_now,
        ));
        v.push(count_value(
            hiding,
            key,
            today,
            QueueCount::Joined,
            f.today_so_far.joins,
        ));
        v.push(count_value(
            hiding,
            key,
            today,
            QueueCount::Left,
            f.today_so_far.leaves,
        ));
        let whole = hiding.is_some_and(|h| h.hides_forecast(key, today));
        for per_week in [f.arrival_rate.iter().sum(), f.leaves_mean.iter().sum()] {
            v.push(match hiding {
                Some(_) => Value::Suppressed,
                None => Value::Real(per_week),
            });
        }
        let mut model = Vec::new();
        for s in &f.scenarios {
            model.push(Value::opt_int(
                s.days.last().map(|d| u64::from(d.queue.median)),
            ));
        }
        model.push(Value::Int(u64::from(f.extra_capacity)));
        if whole {
            model.fill(Value::Suppressed);
        }
        v.extend(model);
        t.rows.push(v);
    }
    t
}

fn error_values(e: &Errors) -> [Value; 4] {
    [
        Value::opt_real(e.mae()),
        Value::opt_real(e.mae_naive_last()),
        Value::opt_real(e.mae_naive_weekday()),
        Value::opt_real(e.coverage().map(|c| c * 100.0)),
    ]
}

/// The backtest, one row per horizon, first pooled over every queue (`pathway` `all`), then for
/// each pathway pooled over its groups: mean absolute error of the people becoming ready and of
/// the queue, beside the two naive forecasts, and the share of actual values inside the interval.
pub fn backtest_table(report: &BacktestReport, title: &str) -> Table {
    let mut t = Table::new(title, "Backtest");
    t.notes.push(format!(
        "{} origin-queue forecasts; pathway all: every queue pooled, then each pathway's queues \
         pooled; mae: mean absolute error of the median; stays: the last value carried on; \
         weekday: the mean of the same weekday over the last 4 weeks; inside_pct: actual values \
         inside the interval",
        report.pooled.origins
    ));
    t.notes.push(format!(
        "queue_vs_stays, queue_vs_weekday: the forecast's absolute error minus the naive \
         forecast's, people, the mean over origins (negative: the forecast is better); _95: the \
         half-width of its 95% interval, from the means of blocks of {BLOCK_ORIGINS} consecutive \
         origins (blank with fewer than {MIN_BLOCKS} blocks): a difference within it is a tie"
    ));
    t.column("pathway", Kind::Text);
    t.column("horizon", Kind::Integer);
    t.column("forecasts", Kind::Integer);
    for what in ["ready", "queue"] {
        for c in ["mae", "mae_stays", "mae_weekday", "inside_pct"] {
            t.column(&format!("{what}_{c}"), Kind::Rate);
        }
    }
    for c in ["vs_stays", "vs_stays_95", "vs_weekday", "vs_weekday_95"] {
        t.column(&format!("queue_{c}"), Kind::Rate);
    }
    let parts = report.by_pathway();
    let all = std::iter::once(("all".to_string(), &report.pooled));
    for (name, b) in all.chain(parts.iter().map(|(p, b)| (pathway_text(*p), b))) {
        for (h, paired) in b.horizons.iter().zip(&b.paired) {
            let mut v = vec![
                Value::Text(name.clone()),
                Value::Int(u64::from(h.horizon)),
                Value::Int(h.queue.n),
            ];
            v.extend(error_values(&h.arrivals));
            v.extend(error_values(&h.queue));
            for vs in paired.versus() {
                v.push(Value::opt_real(vs.map(|x| x.mean)));
                v.push(Value::opt_real(vs.and_then(|x| x.half_width)));
            }
            t.rows.push(v);
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::queues::{queue_history, Episode};
    use chrono::NaiveDate;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn queues_now_lists_every_pathway_with_its_waits() {
        let ep = |ready: &str, ended: Option<&str>, p: Option<Pathway>| Episode {
            ready: d(ready),
            ended: ended.map(d),
            pathway: p,
            site: "RX1".into(),
            authority: "E1".into(),
        };
        let eps = [
            ep("2024-03-01", None, Some(Pathway::P1)),
            ep("2024-03-07", None, Some(Pathway::P1)),
            ep("2024-03-10", None, Some(Pathway::P1)),
            ep("2024-03-10", Some("2024-03-10"), Some(Pathway::P3)),
            ep("2024-03-02", Some("2024-03-10"), None),
        ];
        let h = queue_history(&eps, Grouping::Whole, d("2024-03-09"), d("2024-03-10")).unwrap();
        let t = queues_now_table(&h, Grouping::Whole, None);
        let row = |p: &str| {
            t.rows
                .iter()
                .find(|r| r[0] == Value::text(p))
                .unwrap()
                .clone()
        };
        assert_eq!(t.rows.len(), 5);
        // Waits 9, 3 and 0 days: median 3, longest 9; one joined today.
        assert_eq!(
            row("1"),
            vec![
                Value::text("1"),
                Value::Int(3),
                Value::Real(3.0),
                Value::Int(9),
                Value::Int(1),
                Value::Int(0)
            ]
        );
        // Ready and gone the same day: joined and left, never waiting.
        assert_eq!(
            row("3")[1..],
            [
                Value::Int(0),
                Value::Empty,
                Value::Empty,
                Value::Int(1),
                Value::Int(1)
            ]
        );
        assert_eq!(
            row("unknown")[1..],
            [
                Value::Int(0),
                Value::Empty,
                Value::Empty,
                Value::Int(0),
                Value::Int(1)
            ]
        );
        assert_eq!(row("0")[1], Value::Int(0));
        let hist = queue_history_table(&h, Grouping::Whole, None);
        assert_eq!(hist.rows.len(), 10);
        // 9 March, pathway 1: two waiting (ready 1 and 7 March).
        assert_eq!(
            hist.rows[1][..3],
            [
                Value::Date(d("2024-03-09")),
                Value::text("1"),
                Value::Int(2)
            ]
        );
    }
}
