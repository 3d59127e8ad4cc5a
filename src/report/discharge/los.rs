//! Length of stay on a day: counts, shares over the sites with a denominator (recorded stays or
//! a complete census), extra bed days and targets.

use super::{percent, Level, ShareVsTarget, Targets};
use crate::domain::{
    length_of_stay, los_bands, LaCode, Setting, ShareMeasure, StayFacts, YearMonth,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Where the denominator of a length-of-stay share came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// Every inpatient of the row's sites is recorded (stays import).
    RecordedStays,
    /// The day's census of the row's sites (only delayed patients are recorded).
    Census,
    /// Some of the row's sites by their recorded stays, the others by their census.
    RecordedStaysAndCensus,
    /// Neither: the row's inpatients are counted, with no share.
    None,
}

impl Denominator {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::RecordedStays => "recorded stays",
            Self::Census => "census",
            Self::RecordedStaysAndCensus => "recorded stays and census",
            Self::None => "none",
        }
    }

    /// The source of a row whose sites have `stays` and `census` denominators.
    fn of(stays: bool, census: bool) -> Self {
        match (stays, census) {
            (true, true) => Self::RecordedStaysAndCensus,
            (true, false) => Self::RecordedStays,
            (false, true) => Self::Census,
            (false, false) => Self::None,
        }
    }
}

/// Why a length-of-stay row has no share.
pub const NO_DENOMINATOR: &str =
    "no share: only delayed patients are recorded at these sites and the day's census is not complete";

/// Length of stay on one day, for one level and type of care, over the sites named in `sites`:
/// either all sites with a denominator on the day (with shares) or all sites without (counts only).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LosRow {
    pub day: NaiveDate,
    /// In JSON: `"level": "all"`, or `"la"` / `"site"` with its `"code"`.
    #[serde(flatten)]
    pub level: Level,
    /// Acute or non-acute (community) beds: shares are never taken over both.
    pub care: Setting,
    /// The sites the row covers (codes, in order).
    pub sites: Vec<String>,
    /// Inpatients recorded in the register on the day at these sites.
    pub recorded: u64,
    pub denominator: Option<u64>,
    pub denominator_source: Denominator,
    /// Inpatients at 7+, 14+, 21+ days (nested).
    pub counts: [u64; 3],
    pub shares: [Option<f64>; 3],
    /// Extra bed days of the patients in each band who no longer meet the criteria to reside.
    pub extra_bed_days: [u64; 3],
    pub los14_target: Option<ShareVsTarget>,
    pub los21_target: Option<ShareVsTarget>,
}

impl LosRow {
    /// Why the row has no share (`None` when it has one).
    pub fn note(&self) -> Option<&'static str> {
        self.denominator.is_none().then_some(NO_DENOMINATOR)
    }
}

/// What [`los`] needs besides the stays: the type of care of each site, the census of every
/// authority (a site's census is complete with a cell for each of `authorities`), and the
/// authorities asked for (all when empty; the census cells counted are theirs).
pub struct LosScope<'a> {
    pub care: &'a HashMap<String, Setting>,
    pub census: &'a [(NaiveDate, String, LaCode, u32)],
    pub authorities: usize,
    pub las: &'a [LaCode],
}

impl LosScope<'_> {
    fn care_of(&self, site: &str) -> Setting {
        self.care.get(site).copied().unwrap_or(Setting::Acute)
    }
}

/// Where a site's denominator comes from on a day.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SiteDenominator {
    Stays,
    Census,
    None,
}

/// Length of stay on each of `days`, per level, type of care and coverage (see the module doc):
/// counts, shares over the sites with a denominator, extra bed days, targets (authority rows with
/// a denominator).
pub fn los(
    stays: &[StayFacts],
    days: &[NaiveDate],
    targets: &Targets,
    scope: &LosScope<'_>,
) -> Vec<LosRow> {
    #[derive(Default)]
    struct Acc {
        sites: std::collections::BTreeSet<String>,
        recorded: u64,
        /// Recorded inpatients of the sites whose every stay is recorded, and the census of the others.
        stays_denominator: u64,
        census: u64,
        by_stays: bool,
        by_census: bool,
        counts: [u64; 3],
        extra: [u64; 3],
    }
    let mut out = Vec::new();
    for &day in days {
        let inpatients: Vec<&StayFacts> = stays.iter().filter(|s| s.is_inpatient(day)).collect();
        // Each site's denominator on the day.
        let mut cells: HashMap<&str, u64> = HashMap::new();
        for (_, site, _, _) in scope.census.iter().filter(|c| c.0 == day) {
            *cells.entry(site.as_str()).or_default() += 1;
        }
        let all_recorded: std::collections::HashSet<&str> = inpatients
            .iter()
            .filter(|s| s.delays.is_empty())
            .map(|s| s.site_code.as_str())
            .collect();
        let site_denominator = |site: &str| {
            if all_recorded.contains(site) {
                SiteDenominator::Stays
            } else if cells.get(site).copied().unwrap_or(0) >= scope.authorities.max(1) as u64 {
                SiteDenominator::Census
            } else {
                SiteDenominator::None
            }
        };
        // Keyed by level, type of care, and whether the sites have a denominator (first).
        let mut acc: BTreeMap<(Level, Setting, bool), Acc> = BTreeMap::new();
        let add = |acc: &mut BTreeMap<(Level, Setting, bool), Acc>,
                   site: &str,
                   la: &LaCode|
         -> (Vec<(Level, Setting, bool)>, SiteDenominator) {
            let d = site_denominator(site);
            let care = scope.care_of(site);
            let keys = [
                Level::All,
                Level::Authority(la.clone()),
                Level::Site(site.to_string()),
            ]
            .map(|l| (l, care, d == SiteDenominator::None));
            for k in &keys {
                let a = acc.entry(k.clone()).or_default();
                a.sites.insert(site.to_string());
                a.by_stays |= d == SiteDenominator::Stays;
                a.by_census |= d == SiteDenominator::Census;
            }
            (keys.to_vec(), d)
        };
        for s in &inpatients {
            let Some(l) = length_of_stay(s.admitted_on, day) else {
                continue;
            };
            let bands = los_bands(l);
            let ready = s
                .delays
                .iter()
                .filter(|d| d.open_at_end_of(day))
                .map(|d| d.ready_on)
                .min();
            let (keys, d) = add(&mut acc, &s.site_code, &s.la_code);
            for k in keys {
                let Some(a) = acc.get_mut(&k) else { continue };
                a.recorded += 1;
                a.stays_denominator += u64::from(d == SiteDenominator::Stays);
                for (i, inb) in bands.iter().enumerate() {
                    if *inb {
                        a.counts[i] += 1;
                        if let Some(r) = ready {
                            a.extra[i] += (day - r).num_days().max(0) as u64;
                        }
                    }
                }
            }
        }
        for (_, site, la, n) in scope.census.iter().filter(|c| c.0 == day) {
            if site_denominator(site) != SiteDenominator::Census
                || !(scope.las.is_empty() || scope.las.contains(la))
            {
                continue;
            }
            for k in add(&mut acc, site, la).0 {
                if let Some(a) = acc.get_mut(&k) {
                    a.census += u64::from(*n);
                }
            }
        }
        for ((level, care, no_denominator), a) in acc {
            // Sites with their stays recorded count their recorded inpatients; the others their
            // census (their recorded inpatients are delayed patients only).
            let denominator = (!no_denominator).then_some(a.stays_denominator + a.census);
            let month = YearMonth::of(day);
            let judge = |m, k| denominator.and_then(|n| targets.judge(&level, month, m, k, n));
            out.push(LosRow {
                los14_target: judge(ShareMeasure::Los14, a.counts[1]),
                los21_target: judge(ShareMeasure::Los21, a.counts[2]),
                day,
                shares: a.counts.map(|k| denominator.and_then(|n| percent(k, n))),
                level,
                care,
                sites: a.sites.into_iter().collect(),
                recorded: a.recorded,
                denominator,
                denominator_source: Denominator::of(a.by_stays, a.by_census),
                counts: a.counts,
                extra_bed_days: a.extra,
            });
        }
    }
    out
}

/// Length of stay on each of `days` (in order) for the authorities `las` (all when empty), read
/// from the store (stays, census, sites' type of care, targets): the one computation `report los`,
/// `chart los`, the Long stay screen and the Discharges screen show.
pub fn load_los(
    store: &crate::store::Store,
    days: &[NaiveDate],
    las: &[LaCode],
) -> crate::Result<Vec<LosRow>> {
    let (Some(&first), Some(&last)) = (days.first(), days.last()) else {
        return Ok(Vec::new());
    };
    let stays = store.stay_facts(first, last.succ_opt().unwrap_or(last), las)?;
    let census = store.census_between(first, last)?;
    let care: HashMap<String, Setting> = store
        .sites()?
        .into_iter()
        .map(|s| (s.code, s.setting))
        .collect();
    let authorities = store.authorities()?.len();
    let targets =
        Targets::new(&store.discharge_targets(YearMonth::of(first), YearMonth::of(last))?);
    let scope = LosScope {
        care: &care,
        census: &census,
        authorities,
        las,
    };
    Ok(los(&stays, days, &targets, &scope))
}

/// The inpatients at 7+, 14+, 21+ days on `day` and their extra bed days, per level, over every
/// stay given (the sitreps' weekly snapshots: their stays are of one type of care already, and
/// they need counts, not shares).
pub fn los_counts(stays: &[StayFacts], day: NaiveDate) -> Vec<(Level, [u64; 3], [u64; 3])> {
    let care = HashMap::new();
    let scope = LosScope {
        care: &care,
        census: &[],
        authorities: 0,
        las: &[],
    };
    let mut by: BTreeMap<Level, ([u64; 3], [u64; 3])> = BTreeMap::new();
    for r in los(stays, &[day], &Targets::new(&[]), &scope) {
        let e = by.entry(r.level).or_default();
        for i in 0..3 {
            e.0[i] += r.counts[i];
            e.1[i] += r.extra_bed_days[i];
        }
    }
    by.into_iter().map(|(l, (c, x))| (l, c, x)).collect()
}
