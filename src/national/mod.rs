//! A synthetic England: the generator behind `dtoc demo --scale national` and the national-scale
//! benchmarks (`cargo bench --bench national`).
//!
//! What it makes, and why it looks like the real thing:
//! - the 152 Health and Wellbeing Board areas of NHS England's July 2018 return (real ONS codes and
//!   names, `fixtures/national/authorities.csv`), each taking its published share of England's 2018
//!   delayed days and its published acute share; 18+ populations are synthetic (about 44 million in
//!   all, growing 0.7% a year), since the published files do not carry them;
//! - 200 sites (140 acute, 60 non-acute) of 100 synthetic providers; each authority sends its patients
//!   to one acute and one non-acute site;
//! - delays whose monthly England totals follow the published ones month by month
//!   (`fixtures/national/months.csv`, April 2011 – December 2019; a month outside that range takes
//!   the same calendar month of the nearest published year), with reasons and responsible
//!   organisations in that month's published proportions (codes C and I are NHS only, as published);
//! - short delays mostly (mean about 4 days; 6% long ones, mean about 25 days), a quarter of those
//!   of two days or more changing reason part way; 90% end in discharge, 5% transfer, 5% unfit again;
//! - the weekly and yearly patterns a hub sees (issue 27), each keeping a month's delayed days at the
//!   published figure: more people become ready early in the week and fewer at weekends
//!   ([`READY_BY_WEEKDAY`]); half the discharges that would fall on a Saturday or Sunday wait for
//!   the Monday ([`WEEKEND_HOLD`]); each delay has a planned pathway (the one it leaves on), and
//!   the wait depends on it ([`PATHWAY_MIX`]: a bed or a placement takes longer to find than going
//!   home); in winter (November to March, [`winter`]) delays last longer and proportionately fewer
//!   start, so the pathway queues grow and clear more slowly while the published totals still hold.
//!
//! Ten years of it is about 4 million stays, 4.7 million periods and 17 million delayed days.
//! Deterministic for a seed: a ChaCha8 stream (`rand_chacha`, chosen because its output is fixed by
//! the algorithm, not by a crate version), drawn in a fixed order. The generator does no I/O: the
//! caller receives the stays in batches; [`mod@write`] puts them in the store and a CSV file.

pub mod peer;
pub mod write;

use crate::domain::{
    Attribution, EndKind, LaCode, NhsNumber, Pathway, Period, ReasonCode, Setting, YearMonth,
};
use crate::store::{Authority, BulkDelay, BulkStay, Population, Site};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use rand_chacha::rand_core::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;

/// England's published monthly delayed days by reason and responsible organisation.
pub const MONTHS_CSV: &str = include_str!("../../fixtures/national/months.csv");
/// The authorities of the July 2018 return with their share of 2018's delayed days.
pub const AUTHORITIES_CSV: &str = include_str!("../../fixtures/national/authorities.csv");

/// The national demo's default "today": the published series ends in December 2019.
pub const NATIONAL_TODAY: &str = "2020-01-01";
/// Delays start this many days before the first month, so that it is already at its steady level.
pub const WARM_UP_DAYS: u64 = 120;
/// Stays handed to the caller at a time (one transaction each when written to the store).
pub const BATCH: usize = 50_000;

const ACUTE_PROVIDERS: usize = 70;
const NON_ACUTE_PROVIDERS: usize = 30;
const SITES_PER_PROVIDER: usize = 2;
/// England's 18+ population (mid-2019, rounded) the synthetic populations add up to.
const ENGLAND_ADULTS: f64 = 44_300_000.0;

/// Delay lengths: a mixture of (share, mean) of 1 + floor(exponential).
const LENGTH_MIX: [(f64, f64); 2] = [(0.94, 2.2), (0.06, 25.0)];
/// Share of delays of two days or more whose reason changes part way.
const SPLIT_SHARE: f64 = 0.25;
// `fixtures/generate.py` reads READY_BY_WEEKDAY, WEEKEND_HOLD, PATHWAY_MIX and `winter` from this
// file to build the same patterns into the demo register: keep them in this form.

/// People becoming ready by day of the week, Monday first (a mean of 1): more early in the week
/// (the weekend's admissions assessed), fewer at weekends.
pub const READY_BY_WEEKDAY: [f64; 7] = [1.25, 1.15, 1.05, 1.0, 0.95, 0.75, 0.85];
/// Share of discharges falling on a Saturday or Sunday that wait for the Monday instead.
pub const WEEKEND_HOLD: f64 = 0.5;
/// Planned pathways: (pathway, share, factor on the delay's length). Going home (0) is quickest; a
/// package of care (1), a rehabilitation bed (2) or a care home placement (3) take longer.
pub const PATHWAY_MIX: [(Pathway, f64, f64); 4] = [
    (Pathway::P0, 0.50, 0.7),
    (Pathway::P1, 0.45, 1.2),
    (Pathway::P2, 0.04, 1.8),
    (Pathway::P3, 0.01, 3.0),
];

/// Winter pressure: how much longer the delays becoming ready in `month` last (1 outside winter).
pub fn winter(month: YearMonth) -> f64 {
    match month.month {
        12 | 1 | 2 => 1.25,
        11 | 3 => 1.1,
        _ => 1.0,
    }
}

/// One month's published England figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonthMix {
    pub total: u64,
    /// Delayed days by reason, in [`ReasonCode::ALL`] order.
    pub reasons: [u64; 11],
    /// NHS, Social Care, Both.
    pub attribution: [u64; 3],
}

/// An authority of the synthetic England.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalAuthority {
    pub code: LaCode,
    pub name: String,
    pub region: String,
    /// Its share of England's delayed days.
    pub weight: f64,
    pub acute_share: f64,
    /// 18+ population in 2019.
    pub population_2019: u64,
    pub acute_site: String,
    pub non_acute_site: String,
}

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct NationalConfig {
    pub from: YearMonth,
    pub to: YearMonth,
    /// Delays start before this day; those not ended by it are open.
    pub today: NaiveDate,
    pub seed: u64,
    /// Share of England's volume (1.0 = national; tests use less).
    pub volume: f64,
}

impl NationalConfig {
    /// `years` whole years of months ending with the month before `today`, at national volume.
    pub fn years(years: u32, today: NaiveDate, seed: u64) -> Self {
        let to = YearMonth::of(today).prev();
        Self {
            from: to.add_months(1 - 12 * years.max(1) as i32),
            to,
            today,
            seed,
            volume: 1.0,
        }
    }
}

/// The calibration tables, parsed.
#[derive(Debug, Clone)]
pub struct Calibration {
    pub months: BTreeMap<YearMonth, MonthMix>,
    pub authorities: Vec<NationalAuthority>,
}

fn bad(what: &str, line: &str) -> crate::Error {
    crate::Error::invalid(format!("fixtures/national/{what}: bad line `{line}`"))
}

impl Calibration {
    /// Parses the embedded tables.
    pub fn embedded() -> crate::Result<Self> {
        let mut months = BTreeMap::new();
        for line in MONTHS_CSV.lines().skip(1).filter(|l| !l.is_empty()) {
            let f: Vec<&str> = line.split(',').collect();
            let n: Vec<u64> = f[1..]
                .iter()
                .map(|x| x.parse::<u64>())
                .collect::<Result<_, _>>()
                .map_err(|_| bad("months.csv", line))?;
            let month = YearMonth::parse(f[0]).map_err(|_| bad("months.csv", line))?;
            if n.len() != 15 {
                return Err(bad("months.csv", line));
            }
            let mut reasons = [0; 11];
            reasons.copy_from_slice(&n[1..12]);
            months.insert(
                month,
                MonthMix {
                    total: n[0],
                    reasons,
                    attribution: [n[12], n[13], n[14]],
                },
            );
        }
        let mut rows = Vec::new();
        for line in AUTHORITIES_CSV.lines().skip(1).filter(|l| !l.is_empty()) {
            let f: Vec<&str> = line.split(',').collect();
            if f.len() != 5 {
                return Err(bad("authorities.csv", line));
            }
            let days: f64 = f[3].parse().map_err(|_| bad("authorities.csv", line))?;
            let acute: f64 = f[4].parse().map_err(|_| bad("authorities.csv", line))?;
            let code = LaCode::parse(f[0]).map_err(|_| bad("authorities.csv", line))?;
            rows.push((code, f[1], f[2], days, acute));
        }
        let all_days: f64 = rows.iter().map(|r| r.3).sum();
        let acute_sites = ACUTE_PROVIDERS * SITES_PER_PROVIDER;
        let non_acute_sites = NON_ACUTE_PROVIDERS * SITES_PER_PROVIDER;
        // Populations: the authority's share of delayed days, times a factor of 0.6-1.6 fixed by its
        // code (so that rates per 100,000 differ between areas), scaled to England's total.
        let factor = |code: &str| {
            let h = code.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            });
            0.6 + (h % 1000) as f64 / 1000.0
        };
        let raw: Vec<f64> = rows
            .iter()
            .map(|r| r.3 / all_days * factor(r.0.as_str()))
            .collect();
        let raw_sum: f64 = raw.iter().sum();
        let authorities = rows
            .iter()
            .zip(raw)
            .enumerate()
            .map(|(i, (r, x))| NationalAuthority {
                code: r.0.clone(),
                name: r.1.to_string(),
                region: r.2.to_string(),
                weight: r.3 / all_days,
                acute_share: r.4,
                population_2019: ((x / raw_sum * ENGLAND_ADULTS).round() as u64).max(1_800),
                acute_site: site_code(Setting::Acute, i % acute_sites),
                non_acute_site: site_code(Setting::NonAcute, i % non_acute_sites),
            })
            .collect();
        Ok(Self {
            months,
            authorities,
        })
    }

    /// The published figures of `month`, or of the same calendar month in the nearest published year.
    pub fn mix(&self, month: YearMonth) -> MonthMix {
        if let Some(m) = self.months.get(&month) {
            return *m;
        }
        let (first, last) = match (self.months.keys().next(), self.months.keys().next_back()) {
            (Some(f), Some(l)) => (*f, *l),
            _ => return FALLBACK_MIX,
        };
        let year = month.year.clamp(first.year, last.year);
        [year, year + 1, year - 1]
            .iter()
            .filter_map(|y| YearMonth::new(*y, month.month))
            .find_map(|m| self.months.get(&m).copied())
            .unwrap_or(FALLBACK_MIX)
    }

    /// Authorities with names and regions, for the store.
    pub fn store_authorities(&self) -> Vec<Authority> {
        self.authorities
            .iter()
            .map(|a| Authority {
                code: a.code.clone(),
                name: Some(a.name.clone()),
                region: Some(a.region.clone()),
                legacy_code: None,
            })
            .collect()
    }

    /// Population estimates for every year of `from..=to` (2019's grown or shrunk by 0.7% a year).
    pub fn populations(&self, from: YearMonth, to: YearMonth) -> Vec<Population> {
        let mut out = Vec::new();
        for a in &self.authorities {
            for year in from.year..=to.year {
                let grown = a.population_2019 as f64 * (1.0 + 0.007 * f64::from(year - 2019));
                out.push(Population {
                    la_code: a.code.clone(),
                    year,
                    population_18plus: (grown.round() as u64).max(1),
                });
            }
        }
        out
    }

    /// The 200 sites.
    pub fn sites(&self) -> Vec<Site> {
        let acute = (0..ACUTE_PROVIDERS * SITES_PER_PROVIDER).map(|i| (Setting::Acute, i));
        let non_acute =
            (0..NON_ACUTE_PROVIDERS * SITES_PER_PROVIDER).map(|i| (Setting::NonAcute, i));
        acute
            .chain(non_acute)
            .map(|(setting, i)| Site {
                code: site_code(setting, i),
                provider_code: provider_code(setting, i),
                name: Some(format!(
                    "{} hospital {}",
                    if setting == Setting::Acute {
                        "Acute"
                    } else {
                        "Community"
                    },
                    i + 1
                )),
                setting,
            })
            .collect()
    }
}

/// Used only if the embedded table were empty: England's average month of 2018.
const FALLBACK_MIX: MonthMix = MonthMix {
    total: 140_000,
    reasons: [1; 11],
    attribution: [6, 3, 1],
};

fn provider_code(setting: Setting, i: usize) -> String {
    match setting {
        Setting::Acute => format!("XA{:02}", i / SITES_PER_PROVIDER + 1),
        Setting::NonAcute => format!("XC{:02}", i / SITES_PER_PROVIDER + 1),
    }
}

fn site_code(setting: Setting, i: usize) -> String {
    format!(
        "{}{:02}",
        provider_code(setting, i),
        i % SITES_PER_PROVIDER + 1
    )
}

/// Mean delay length in days of `LENGTH_MIX` scaled by the pathway's factor and `winter`:
/// E[1 + floor(X)] with X exponential of mean k is 1 + 1 / (e^(1/k) - 1); plus the days the weekend
/// hold adds (a discharge on a Saturday waits 2 days, on a Sunday 1, for `WEEKEND_HOLD` of them; 90%
/// end in discharge).
pub fn mean_delay_length(winter: f64) -> f64 {
    let held = 0.90 * WEEKEND_HOLD * (2.0 + 1.0) / 7.0;
    1.0 + held
        + PATHWAY_MIX
            .iter()
            .map(|(_, p_share, f)| {
                p_share
                    * LENGTH_MIX
                        .iter()
                        .map(|(share, k)| share / ((1.0 / (k * f * winter)).exp() - 1.0))
                        .sum::<f64>()
            })
            .sum::<f64>()
}

/// Uniform in [0, 1).
fn unit(rng: &mut ChaCha8Rng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

fn exp_floor(rng: &mut ChaCha8Rng, mean: f64) -> u64 {
    (-(1.0 - unit(rng)).ln() * mean).floor() as u64
}

fn pick(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = unit(rng) * total;
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

/// A month's reason weights and, per reason, the attribution weights (NHS, Social Care, Both):
/// C and I are NHS only; the other reasons share the rest so that the month's totals by
/// responsible organisation come out as published.
fn month_weights(mix: &MonthMix) -> ([f64; 11], [[f64; 3]; 11]) {
    let reasons: [f64; 11] = mix.reasons.map(|x| x as f64);
    let r_sum: f64 = reasons.iter().sum::<f64>().max(1.0);
    let a: [f64; 3] = mix.attribution.map(|x| x as f64);
    let a_sum: f64 = a.iter().sum::<f64>().max(1.0);
    let nhs_only = (reasons[2] + reasons[9]) / r_sum;
    let nhs_rest = (a[0] / a_sum - nhs_only).max(0.0);
    let other = [nhs_rest, a[1] / a_sum, a[2] / a_sum];
    let mut by_reason = [other; 11];
    by_reason[2] = [1.0, 0.0, 0.0];
    by_reason[9] = [1.0, 0.0, 0.0];
    (reasons, by_reason)
}

/// A valid NHS number from the test range (999 000 000x), one per `n`; `None` when its check digit
/// would be 10 (about one in eleven).
fn test_nhs_number(n: u64) -> Option<NhsNumber> {
    let base = 999_000_000 + n % 1_000_000;
    let digits = base.to_string();
    let sum: u32 = digits
        .bytes()
        .zip((2..=10u32).rev())
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return None,
        c => c,
    };
    NhsNumber::parse(&format!("{digits}{check}")).ok()
}

/// What the delays starting in one month are drawn from.
#[derive(Debug, Clone, Copy)]
struct MonthDraw {
    month: YearMonth,
    reasons: [f64; 11],
    attributions: [[f64; 3]; 11],
    /// England's delayed days a day (times the volume).
    per_day: f64,
    /// How much longer its delays last ([`winter`]).
    winter: f64,
    /// Their mean length.
    mean_len: f64,
}

/// Counts of what a run generated.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generated {
    pub stays: u64,
    pub periods: u64,
    /// Delayed days as of `today`, including the warm-up's.
    pub delayed_days: u64,
    /// Delays still open at `today`.
    pub open: u64,
}

/// Walks the days from the warm-up to `today` and, each day, every authority, calling `each` with
/// the day, that month's draw, the authority's index and how many delays start there that day.
/// How many start depends on the calibration only (never on the random stream), so
/// [`stays_to_generate`] knows the total before anything is drawn.
fn walk<E>(
    cal: &Calibration,
    cfg: &NationalConfig,
    mut each: impl FnMut(NaiveDate, &MonthDraw, usize, u64) -> Result<(), E>,
) -> Result<(), E> {
    let mut acc = vec![0.0_f64; cal.authorities.len()];
    let first = cfg.from.first_day() - Days::new(WARM_UP_DAYS);
    let mut day = first;
    let mut current: Option<MonthDraw> = None;
    while day < cfg.today {
        let month = YearMonth::of(day).clamp(cfg.from, cfg.to);
        let m = match current {
            Some(c) if c.month == month => c,
            _ => {
                let mix = cal.mix(month);
                let (reasons, attributions) = month_weights(&mix);
                let c = MonthDraw {
                    month,
                    reasons,
                    attributions,
                    per_day: mix.total as f64 * cfg.volume / f64::from(month.days()),
                    winter: winter(month),
                    mean_len: mean_delay_length(winter(month)),
                };
                current = Some(c);
                c
            }
        };
        let weekday = READY_BY_WEEKDAY[day.weekday().num_days_from_monday() as usize];
        for (i, la) in cal.authorities.iter().enumerate() {
            acc[i] += m.per_day * la.weight / m.mean_len * weekday;
            let n = acc[i].floor();
            acc[i] -= n;
            each(day, &m, i, n as u64)?;
        }
        day = day + Days::new(1);
    }
    Ok(())
}

/// How many stays [`generate`] makes for `cfg` (exactly; without drawing them), for a progress
/// bar's total.
pub fn stays_to_generate(cal: &Calibration, cfg: &NationalConfig) -> u64 {
    let mut total = 0;
    let counted: Result<(), std::convert::Infallible> = walk(cal, cfg, |_, _, _, n| {
        total += n;
        Ok(())
    });
    let Ok(()) = counted;
    total
}

/// Generates the register, handing it to `sink` in batches of [`BATCH`] stays, oldest ready date
/// first.
pub fn generate<E>(
    cal: &Calibration,
    cfg: &NationalConfig,
    mut sink: impl FnMut(&[BulkStay]) -> Result<(), E>,
) -> Result<Generated, E> {
    let mut rng = ChaCha8Rng::seed_from_u64(cfg.seed);
    let mut out = Generated::default();
    let mut batch: Vec<BulkStay> = Vec::with_capacity(BATCH);
    walk(cal, cfg, |day, m, i, n| {
        let la = &cal.authorities[i];
        for _ in 0..n {
            let stay = one_stay(&mut rng, la, day, cfg.today, out.stays, m);
            out.stays += 1;
            for d in &stay.delays {
                out.periods += d.periods.len() as u64;
                out.delayed_days += d
                    .periods
                    .iter()
                    .map(|p| u64::from(p.days_as_of(cfg.today)))
                    .sum::<u64>();
                out.open += u64::from(d.end_kind.is_none());
            }
            batch.push(stay);
            if batch.len() == BATCH {
                sink(&batch)?;
                batch.clear();
            }
        }
        Ok(())
    })?;
    if !batch.is_empty() {
        sink(&batch)?;
    }
    Ok(out)
}

fn one_stay(
    rng: &mut ChaCha8Rng,
    la: &NationalAuthority,
    ready: NaiveDate,
    today: NaiveDate,
    n: u64,
    m: &MonthDraw,
) -> BulkStay {
    let (pathway, _, factor) = PATHWAY_MIX[pick(rng, &PATHWAY_MIX.map(|p| p.1))];
    let mean = LENGTH_MIX[pick(rng, &LENGTH_MIX.map(|m| m.0))].1 * factor * m.winter;
    let kind = match unit(rng) {
        x if x < 0.90 => EndKind::Discharged,
        x if x < 0.95 => EndKind::Transferred,
        _ => EndKind::UnfitAgain,
    };
    let mut end = ready + Days::new(1 + exp_floor(rng, mean));
    // Fewer discharges at weekends: some wait for the Monday.
    let to_monday = match end.weekday() {
        Weekday::Sat => 2,
        Weekday::Sun => 1,
        _ => 0,
    };
    if kind == EndKind::Discharged && to_monday > 0 && unit(rng) < WEEKEND_HOLD {
        end = end + Days::new(to_monday);
    }
    let length = (end - ready).num_days().unsigned_abs();
    let draw = |rng: &mut ChaCha8Rng| {
        let r = pick(rng, &m.reasons);
        (
            ReasonCode::ALL[r],
            Attribution::ALL[pick(rng, &m.attributions[r])],
        )
    };
    let (reason, attribution) = draw(rng);
    let mut periods = Vec::with_capacity(2);
    if length >= 2 && unit(rng) < SPLIT_SHARE {
        let at = ready + Days::new(1 + rng.next_u64() % (length - 1));
        let (r2, a2) = draw(rng);
        periods.push(Period {
            start: ready,
            end: Some(at),
            reason,
            attribution,
        });
        periods.push(Period {
            start: at,
            end: Some(end),
            reason: r2,
            attribution: a2,
        });
    } else {
        periods.push(Period {
            start: ready,
            end: Some(end),
            reason,
            attribution,
        });
    }
    let before = exp_floor(rng, 6.0);
    let admitted_on = ready - Days::new(before);
    let acute = unit(rng) < la.acute_share;
    let site_code = if acute {
        la.acute_site.clone()
    } else {
        la.non_acute_site.clone()
    };
    let stays_after = if kind == EndKind::UnfitAgain {
        1 + exp_floor(rng, 5.0)
    } else {
        0
    };
    // Cut at today: a period not ended by then is open, and later ones are not yet known.
    let open = end > today;
    if open {
        periods.retain(|p| p.start < today);
        if let Some(last) = periods.last_mut() {
            last.end = None;
        }
    }
    let discharged_on = Some(end + Days::new(stays_after)).filter(|d| !open && *d <= today);
    BulkStay {
        local_id: format!("N{n:08}"),
        nhs_number: if n % 5 == 0 {
            test_nhs_number(n / 5)
        } else {
            None
        },
        site_code,
        la_code: la.code.clone(),
        admitted_on,
        discharged_on,
        pathway: discharged_on.map(|_| pathway),
        delays: vec![BulkDelay {
            end_kind: if open { None } else { Some(kind) },
            planned_pathway: Some(pathway),
            periods,
        }],
    }
}

/// The header of the delays CSV the generator writes: the import format's columns, then `end_kind`.
pub fn csv_header() -> impl Iterator<Item = &'static str> {
    crate::import::DELAY_COLUMNS
        .iter()
        .copied()
        .chain(["end_kind", "planned_pathway"])
}

/// Writes one stay as rows of the delays import format (one row per period).
pub fn write_csv_rows<W: std::io::Write>(
    w: &mut csv::Writer<W>,
    stay: &BulkStay,
) -> csv::Result<()> {
    let setting = if stay.site_code.starts_with("XA") {
        "acute"
    } else {
        "non-acute"
    };
    let provider = stay.site_code.get(..4).unwrap_or(&stay.site_code);
    let date = |d: Option<NaiveDate>| d.map_or(String::new(), |d| d.format("%Y-%m-%d").to_string());
    let nhs = stay.nhs_number.as_ref().map_or("", NhsNumber::as_str);
    let admitted = date(Some(stay.admitted_on));
    let discharged = date(stay.discharged_on);
    let pathway = stay
        .pathway
        .map_or(String::new(), |p| p.number().to_string());
    for d in &stay.delays {
        let planned = d
            .planned_pathway
            .map_or(String::new(), |p| p.number().to_string());
        let last = d.periods.len() - 1;
        for (i, p) in d.periods.iter().enumerate() {
            let end_kind = if i == last {
                d.end_kind.map_or("", |k| k.key())
            } else {
                ""
            };
            w.write_record([
                stay.local_id.as_str(),
                nhs,
                provider,
                &stay.site_code,
                setting,
                &stay.la_code,
                &admitted,
                &date(Some(p.start)),
                &date(p.end),
                p.reason.code(),
                p.attribution.label(),
                &discharged,
                &pathway,
                end_kind,
                &planned,
            ])?;
        }
    }
    Ok(())
}

/// Writes the authorities' populations as a population import file (for the pandas peer).
pub fn write_population_csv<W: std::io::Write>(
    w: W,
    cal: &Calibration,
    populations: &[Population],
) -> csv::Result<()> {
    let mut w = csv::Writer::from_writer(w);
    w.write_record(crate::import::POPULATION_COLUMNS)?;
    for p in populations {
        let name = cal
            .authorities
            .iter()
            .find(|a| a.code == p.la_code)
            .map_or("", |a| a.name.as_str());
        w.write_record([
            p.la_code.as_str(),
            name,
            &p.year.to_string(),
            &p.population_18plus.to_string(),
        ])?;
    }
    w.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mean_length_matches_the_mixture() {
        // Without pathways or the weekend hold: 1 + 0.94 / (e^(1/2.2) - 1) + 0.06 / (e^(1/25) - 1)
        // = 1 + 0.94 / 0.57546 + 0.06 / 0.040811 = 1 + 1.63347 + 1.47020 = 4.1037. Each pathway
        // scales both means by its factor (0.7, 1.2, 1.8, 3.0 in shares 50, 45, 4, 1%), and the
        // weekend hold adds 0.9 × 0.5 × 3/7 = 0.1929 days: 4.2720; in deep winter (× 1.25) 5.1490.
        assert!((mean_delay_length(1.0) - 4.2720).abs() < 1e-3);
        assert!((mean_delay_length(1.25) - 5.1490).abs() < 1e-3);
    }

    #[test]
    fn test_nhs_numbers_are_valid_or_absent() {
        // 999000000: 9*10 + 9*9 + 9*8 = 243; 243 mod 11 = 1; 11 - 1 = 10: no valid number.
        assert_eq!(test_nhs_number(0), None);
        // 999000001: 243 + 1*2 = 245; 245 mod 11 = 3; check 8.
        assert_eq!(
            test_nhs_number(1).map(|n| n.as_str().to_string()),
            Some("9990000018".to_string())
        );
    }

    #[test]
    fn the_stays_announced_are_the_stays_generated() {
        let cal = Calibration::embedded().unwrap();
        for (from, to, today, volume) in [
            ("2019-11", "2019-12", "2019-12-10", 0.01),
            ("2018-01", "2018-03", "2018-04-01", 0.003),
            ("2011-04", "2011-04", "2011-05-01", 0.02),
        ] {
            let cfg = NationalConfig {
                from: YearMonth::parse(from).unwrap(),
                to: YearMonth::parse(to).unwrap(),
                today: NaiveDate::parse_from_str(today, "%Y-%m-%d").unwrap(),
                seed: 9,
                volume,
            };
            let mut batches = 0u64;
            let n = generate(&cal, &cfg, |b| -> Result<(), ()> {
                batches += b.len() as u64;
                Ok(())
            })
            .unwrap();
            assert!(n.stays > 0);
            assert_eq!(batches, n.stays);
            assert_eq!(stays_to_generate(&cal, &cfg), n.stays, "{cfg:?}");
        }
    }

    #[test]
    fn calibration_has_152_authorities_and_105_months() {
        let cal = Calibration::embedded().unwrap();
        assert_eq!(cal.authorities.len(), 152);
        assert_eq!(cal.months.len(), 105);
        let w: f64 = cal.authorities.iter().map(|a| a.weight).sum();
        assert!((w - 1.0).abs() < 1e-9);
        // July 2018, as published: 140,938 delayed days.
        assert_eq!(cal.mix(YearMonth::new(2018, 7).unwrap()).total, 140_938);
        // January 2011 is not published: January 2012's figures (111,934) stand in.
        assert_eq!(cal.mix(YearMonth::new(2011, 1).unwrap()).total, 111_934);
        assert_eq!(cal.sites().len(), 200);
    }
}
