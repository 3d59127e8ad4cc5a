//! Small-number suppression for figures that leave the hub (`--suppress N`).
//!
//! Rule (the README explains it to users):
//! 1. **Primary**: every count from 1 to N is replaced by `*`. Zeros are shown (a zero reveals no
//!    one), and so are counts above N.
//! 2. **Secondary**: a total and its parts form an additive group (a row's NHS + Social Care + Both
//!    = Total; the England row = the sum of the authorities). In any group with exactly one hidden
//!    cell, that cell could be recovered by subtraction, so the smallest other non-zero count of the
//!    group (a zero only when no non-zero cell is left; the first in table order on a tie) is hidden
//!    too. This is repeated until no group has exactly one hidden cell.
//! 3. **Derived figures**: a rate or DTOC beds figure computed from a hidden count is hidden too (it
//!    would give the count back by multiplication).
//!
//! Only [`Kind::Count`] cells are suppressed: years, days in a month and ranks are not counts of
//! people. The algorithm works on any cell key, so the sitrep export (three tables whose totals
//! are equal) and the generic [`Table`] share it.

use super::table::{Kind, Table, Value};
use crate::domain::{
    Attribution, DelayedDay, LaCode, Measure, ReasonCode, Setting, Week, YearMonth,
};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// One figure of a month's delayed days: the sum over the cells of the month's cube that match every
/// field given (`None`: summed over). [`Figure::default`] is the all-authorities total.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Figure {
    pub la: Option<LaCode>,
    pub attribution: Option<Attribution>,
    pub reason: Option<ReasonCode>,
    pub setting: Option<Setting>,
    /// The ISO week (its days in the month).
    pub week: Option<Week>,
    /// The site (the discharge sitreps' rows by site).
    pub site: Option<String>,
    /// The site's provider (their rows by trust).
    pub provider: Option<String>,
    /// One day (the discharge sitreps' daily patients remaining: a day's delayed days).
    pub day: Option<NaiveDate>,
}

impl Figure {
    /// The all-authorities total of the month.
    pub fn all() -> Self {
        Self::default()
    }

    /// One authority's total.
    pub fn la(la: &LaCode) -> Self {
        Self {
            la: Some(la.clone()),
            ..Self::default()
        }
    }

    /// `self` narrowed to one responsible organisation.
    pub fn attribution(mut self, a: Attribution) -> Self {
        self.attribution = Some(a);
        self
    }

    /// `self` narrowed to the organisation of a measure (`Total`: unchanged).
    pub fn measure(mut self, m: Measure) -> Self {
        self.attribution = m.attribution().or(self.attribution);
        self
    }

    /// `self` narrowed to one reason for delay.
    pub fn reason(mut self, r: ReasonCode) -> Self {
        self.reason = Some(r);
        self
    }

    /// `self` narrowed to one type of care.
    pub fn setting(mut self, s: Setting) -> Self {
        self.setting = Some(s);
        self
    }

    /// `self` narrowed to one ISO week.
    pub fn week(mut self, w: Week) -> Self {
        self.week = Some(w);
        self
    }

    /// `self` narrowed to one day (and its week).
    pub fn day(mut self, d: NaiveDate) -> Self {
        self.day = Some(d);
        self.week = Some(Week::of(d));
        self
    }

    /// `self` narrowed to one provider's sites.
    pub fn provider(mut self, p: &str) -> Self {
        self.provider = Some(p.to_string());
        self
    }

    /// `self` narrowed to one site (of `provider`).
    pub fn site(mut self, site: &str, provider: &str) -> Self {
        self.site = Some(site.to_string());
        self.provider(provider)
    }

    /// The figure of `margin` that holds the cell `self` (a cell has every field).
    fn project(&self, margin: Margin) -> Self {
        Self {
            site: self.site.clone().filter(|_| margin & SITE != 0),
            provider: self.provider.clone().filter(|_| margin & PROVIDER != 0),
            day: self.day.filter(|_| margin & DAY != 0),
            la: self.la.clone().filter(|_| margin & LA != 0),
            attribution: self.attribution.filter(|_| margin & ATTRIBUTION != 0),
            reason: self.reason.filter(|_| margin & REASON != 0),
            setting: self.setting.filter(|_| margin & SETTING != 0),
            week: self.week.filter(|_| margin & WEEK != 0),
        }
    }
}

/// Which fields a figure keeps (a bit per field).
type Margin = u8;
const LA: Margin = 1;
const ATTRIBUTION: Margin = 2;
const REASON: Margin = 4;
const SETTING: Margin = 8;
const WEEK: Margin = 16;
const SITE: Margin = 32;
const PROVIDER: Margin = 64;
const DAY: Margin = 128;

/// Every margin of the month's cube that some output shows: the all-authorities total and its
/// splits by responsible organisation, type of care and reason (`export sitrep`'s first row); each
/// authority's total (`report monthly`, `report benchmark`, the sitrep) and its splits by
/// organisation (monthly and sitrep), type of care and reason (sitrep); each authority's week
/// (`report weekly` by authority, and its week before); and the weekly detail (authority ×
/// organisation × reason × type of care × week); and the discharge sitreps' daily patients
/// remaining not meeting the criteria to reside, a day's delayed days at the sites of one type of
/// care: all of them, a provider's, a site's, an authority's (a day in its week, a site in its
/// provider, so that each is a part of the week's and type of care's figures), and `report nctr`'s
/// (every type of care: all authorities' and each authority's).
/// Last, two margins no output shows but the daily ones add up to: a week's delayed days of a
/// type of care, all authorities' and each authority's (taken as shown: their parts, the weekly
/// detail rows of that type of care, must not give a hidden one back either).
const SHOWN: [Margin; 18] = [
    0,
    ATTRIBUTION,
    SETTING,
    REASON,
    LA,
    LA | ATTRIBUTION,
    LA | SETTING,
    LA | REASON,
    LA | WEEK,
    LA | ATTRIBUTION | REASON | SETTING | WEEK,
    DAY | WEEK | SETTING,
    DAY | WEEK | SETTING | PROVIDER,
    DAY | WEEK | SETTING | PROVIDER | SITE,
    DAY | WEEK | SETTING | LA,
    DAY | WEEK,
    DAY | WEEK | LA,
    WEEK | SETTING,
    LA | WEEK | SETTING,
];

/// A month's delayed days cell by cell: authority × responsible organisation × reason × type of
/// care × site (and its provider) × day (and its ISO week), as of the day the figures are for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthCube {
    pub month: Option<YearMonth>,
    pub cells: BTreeMap<Figure, u64>,
}

impl MonthCube {
    /// The cube of `month` from its delayed days (days outside the month are left out);
    /// `providers`: each site's provider (a site not in it is its own).
    pub fn of_days(
        month: YearMonth,
        days: &[DelayedDay],
        providers: &BTreeMap<String, String>,
    ) -> Self {
        // Counted on borrowed keys first (a month of a national register has a few hundred
        // thousand delayed days), then made figures.
        let mut counts: std::collections::HashMap<_, u64> = std::collections::HashMap::new();
        for d in days
            .iter()
            .filter(|d| d.day >= month.first_day() && d.day < month.end_exclusive())
        {
            let key = (
                &d.la_code,
                d.attribution,
                d.reason,
                d.setting,
                &d.site_code,
                d.day,
            );
            *counts.entry(key).or_insert(0) += 1;
        }
        let cells = counts
            .into_iter()
            .map(|((la, a, r, s, site, day), n)| {
                let provider = providers.get(site).unwrap_or(site);
                let f = Figure::la(la).attribution(a).reason(r).setting(s);
                (f.site(site, provider).day(day), n)
            })
            .collect();
        Self {
            month: Some(month),
            cells,
        }
    }

    /// Whether a week's figures are the cube's (all its days in the month): a week that crosses
    /// into the month before or after is shown whole by `report weekly`, a sum with days the cube
    /// has not got, so its part in this month is shown nowhere.
    fn whole(&self, w: Week) -> bool {
        self.month
            .is_none_or(|m| w.start() >= m.first_day() && w.end_exclusive() <= m.end_exclusive())
    }
}

/// The cells hidden in a month: one decision ([`hidden_cells`]) that every output of the month
/// asks, so that no two outputs side by side give a hidden figure back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Hidden {
    figures: BTreeSet<Figure>,
}

impl Hidden {
    /// Whether the figure is hidden.
    pub fn contains(&self, f: &Figure) -> bool {
        self.figures.contains(f)
    }

    /// The hidden figures.
    pub fn iter(&self) -> impl Iterator<Item = &Figure> {
        self.figures.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.figures.is_empty()
    }
}

/// THE suppression decision of a month (`--suppress n`; nothing for `n == 0`), over every figure
/// any output shows ([`SHOWN`]):
/// 1. **Primary**: every figure from 1 to `n` is hidden.
/// 2. **Secondary**: for every pair of shown margins, one finer than the other, a figure of the
///    coarser and the figures of the finer that add up to it form an additive group (an
///    authority's total and its organisations; an authority's total and its weeks; a week and its
///    detail rows; the all-authorities total and the authorities …). A group with exactly one
///    hidden figure would give it back by subtraction, so its smallest other non-zero figure is
///    hidden too; this goes round every group of every margin until none has exactly one hidden.
///
/// The part of a week that crosses the month's start or end is shown by no output: it is taken as
/// known (never hidden, never counted as hiding anything), which only makes the decision hide more.
pub fn hidden_cells(cube: &MonthCube, n: u64) -> Hidden {
    if n == 0 {
        return Hidden::default();
    }
    // Every figure of every shown margin, with its value; ids for the generic algorithm.
    let mut sums: BTreeMap<Figure, u64> = BTreeMap::new();
    for (cell, v) in &cube.cells {
        for m in SHOWN {
            *sums.entry(cell.project(m)).or_insert(0) += v;
        }
    }
    // A day is shown (the discharge sitreps), a week only whole.
    let shown = |f: &Figure| f.day.is_some() || f.week.is_none_or(|w| cube.whole(w));
    let figures: Vec<Figure> = sums.keys().cloned().collect();
    let id: BTreeMap<&Figure, usize> = figures.iter().enumerate().map(|(i, f)| (f, i)).collect();
    let values: BTreeMap<usize, u64> = figures
        .iter()
        .enumerate()
        .filter(|(_, f)| shown(f))
        .map(|(i, f)| (i, sums[f]))
        .collect();
    let mut by_margin: BTreeMap<Margin, Vec<usize>> = BTreeMap::new();
    for (i, f) in figures.iter().enumerate() {
        by_margin.entry(margin_of(f)).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for coarse in SHOWN {
        for fine in SHOWN {
            if coarse == fine || coarse & fine != coarse {
                continue;
            }
            let mut by_total: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
            for &i in by_margin.get(&fine).into_iter().flatten() {
                let total = id[&figures[i].project(coarse)];
                by_total.entry(total).or_insert_with(|| vec![total]).push(i);
            }
            groups.extend(by_total.into_values());
        }
    }
    let hidden = cells_to_hide(&values, &groups, &[], &BTreeSet::new(), n);
    Hidden {
        figures: hidden.into_iter().map(|i| figures[i].clone()).collect(),
    }
}

/// Hides the cells of column `column` of `t` whose figure the decision of their month hides:
/// `figures_of(row)` names the months and figures a row's cell adds up (one for a month's figure;
/// a quarter's or year's adds its months, and is hidden when any of them is, or its other months
/// would give that one back; none: not a figure of a month's cube). Call before the table's own
/// suppression ([`suppress_tables`]), which then counts these cells as hidden in its groups.
pub fn hide_decided(
    t: &mut Table,
    column: &str,
    decided: &BTreeMap<YearMonth, Hidden>,
    figures_of: impl Fn(usize) -> Vec<(YearMonth, Figure)>,
) {
    let Some(c) = t.columns.iter().position(|x| x.name == column) else {
        return;
    };
    for (r, row) in t.rows.iter_mut().enumerate() {
        let hide = figures_of(r)
            .iter()
            .any(|(m, f)| decided.get(m).is_some_and(|h| h.contains(f)));
        if hide && matches!(row.get(c), Some(Value::Int(_))) {
            row[c] = Value::Suppressed;
        }
    }
}

/// The margin a figure belongs to (which of its fields are given).
fn margin_of(f: &Figure) -> Margin {
    let mut m = 0;
    for (given, bit) in [
        (f.la.is_some(), LA),
        (f.attribution.is_some(), ATTRIBUTION),
        (f.reason.is_some(), REASON),
        (f.setting.is_some(), SETTING),
        (f.week.is_some(), WEEK),
        (f.site.is_some(), SITE),
        (f.provider.is_some(), PROVIDER),
        (f.day.is_some(), DAY),
    ] {
        if given {
            m |= bit;
        }
    }
    m
}

/// The cells to hide: counts from 1 to `n`, then, group by group, the cells that would reveal them.
/// `values` holds every suppressible count by its key; `groups` the additive groups (a total and
/// its parts); `equal` sets of cells that hold the same figure (the same total in several tables):
/// one hidden hides them all; `already` cells hidden before (by the month's decision, [`Hidden`]),
/// which count as hidden in their groups. Keys in neither `values` nor `already` are ignored.
pub fn cells_to_hide<K: Ord + Copy>(
    values: &BTreeMap<K, u64>,
    groups: &[Vec<K>],
    equal: &[Vec<K>],
    already: &BTreeSet<K>,
    n: u64,
) -> BTreeSet<K> {
    let mut hidden: BTreeSet<K> = values
        .iter()
        .filter(|(_, v)| (1..=n).contains(*v))
        .map(|(k, _)| *k)
        .chain(already.iter().copied())
        .collect();
    if hidden.is_empty() {
        return hidden;
    }
    loop {
        let before = hidden.len();
        for g in groups {
            let members: Vec<(K, u64)> = g
                .iter()
                .filter_map(|k| match values.get(k) {
                    Some(v) => Some((*k, *v)),
                    None => already.contains(k).then_some((*k, 0)),
                })
                .collect();
            if members.iter().filter(|(k, _)| hidden.contains(k)).count() != 1 {
                continue;
            }
            let shown = members.iter().filter(|(k, _)| !hidden.contains(k));
            // Smallest non-zero first; zeros only when nothing else is left. Table order on ties.
            if let Some((k, _)) = shown.min_by_key(|(_, v)| (*v == 0, *v)) {
                hidden.insert(*k);
            }
        }
        for e in equal {
            if e.iter().any(|k| hidden.contains(k)) {
                hidden.extend(e.iter().filter(|k| values.contains_key(k)));
            }
        }
        if hidden.len() == before {
            return hidden;
        }
    }
}

impl Table {
    /// Applies `--suppress n` to the table (no-op for `n == 0`).
    pub fn suppress(&mut self, n: u64) {
        suppress_tables(std::slice::from_mut(self), &[], n);
    }

    /// Hides the cells at `hidden` and then every derived cell of a hidden count.
    fn hide(&mut self, hidden: impl Iterator<Item = (usize, usize)>) {
        for (r, c) in hidden {
            self.rows[r][c] = Value::Suppressed;
        }
        let derived: Vec<(usize, &[usize])> = self
            .columns
            .iter()
            .enumerate()
            .filter(|(_, col)| !col.derived_from.is_empty())
            .map(|(c, col)| (c, col.derived_from.as_slice()))
            .collect();
        for row in &mut self.rows {
            let hide: Vec<usize> = derived
                .iter()
                .filter(|(c, from)| {
                    *c < row.len() && from.iter().any(|f| row.get(*f) == Some(&Value::Suppressed))
                })
                .map(|(c, _)| *c)
                .collect();
            for c in hide {
                row[c] = Value::Suppressed;
            }
        }
    }
}

/// A cell of one of several tables: (table, row, column).
pub type TableCell = (usize, usize, usize);

/// Applies `--suppress n` to several tables at once (no-op for `n == 0`): each table's own
/// additive groups ([`Table::add_sum`]) plus `links`, groups whose cells are in different tables
/// (`(table, row, column)`: a summary table's total and the detail rows it adds up), so that a
/// cell hidden in one table cannot be recovered from another.
pub fn suppress_tables(tables: &mut [Table], links: &[Vec<TableCell>], n: u64) {
    if n == 0 {
        return;
    }
    let mut values = BTreeMap::new();
    // Cells hidden before by the month's decision ([`hidden_cells`]): hidden in their groups too.
    let mut already = BTreeSet::new();
    let mut groups: Vec<Vec<TableCell>> = links.to_vec();
    for (t, table) in tables.iter().enumerate() {
        for (r, row) in table.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if table.columns.get(c).map(|x| x.kind) == Some(Kind::Count) {
                    match v {
                        Value::Int(x) => {
                            values.insert((t, r, c), *x);
                        }
                        Value::Suppressed => {
                            already.insert((t, r, c));
                        }
                        _ => {}
                    }
                }
            }
        }
        groups.extend(
            table
                .sums
                .iter()
                .map(|g| g.iter().map(|(r, c)| (t, *r, *c)).collect()),
        );
    }
    let hidden = cells_to_hide(&values, &groups, &[], &already, n);
    for (t, table) in tables.iter_mut().enumerate() {
        table.hide(
            hidden
                .iter()
                .filter(|(ht, _, _)| *ht == t)
                .map(|(_, r, c)| (*r, *c)),
        );
        table.notes.push(format!(
            "Suppressed: counts from 1 to {n} are shown as *, with any total or rate that would reveal them."
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_hidden_cell_takes_the_next_smallest_with_it() {
        // One row: NHS 3, Social Care 40, Both 0, Total 43; --suppress 5.
        // Primary: NHS 3 is hidden. The row then has one hidden cell: 43 - 40 - 0 = 3 would give it
        // back, so the smallest other non-zero cell (Social Care 40; Both is 0) is hidden too.
        let values: BTreeMap<usize, u64> = [(0, 3), (1, 40), (2, 0), (3, 43)].into();
        let hidden = cells_to_hide(&values, &[vec![0, 1, 2, 3]], &[], &BTreeSet::new(), 5);
        assert_eq!(hidden.into_iter().collect::<Vec<_>>(), vec![0, 1]);
    }

    #[test]
    fn nothing_small_nothing_hidden() {
        let values: BTreeMap<usize, u64> = [(0, 0), (1, 40), (2, 6), (3, 46)].into();
        assert!(cells_to_hide(&values, &[vec![0, 1, 2, 3]], &[], &BTreeSet::new(), 5).is_empty());
    }

    #[test]
    fn a_total_in_another_table_and_a_share_of_a_hidden_denominator_are_hidden() {
        // Table 0: one authority's week, 13 days. Table 1: its detail rows, 3 and 10, with each
        // row's share of the week's days (derived from the row's days and from the week's total).
        let mut week = Table::new("week", "week");
        week.column("days", Kind::Count);
        week.rows.push(vec![Value::Int(13)]);
        let mut detail = Table::new("detail", "detail");
        let days = detail.column("days", Kind::Count);
        let total = detail.column("week_days", Kind::Count);
        detail.derived_column_of("share", Kind::Rate, &[days, total]);
        detail
            .rows
            .push(vec![Value::Int(3), Value::Int(13), Value::Real(23.1)]);
        detail
            .rows
            .push(vec![Value::Int(10), Value::Int(13), Value::Real(76.9)]);
        // Another week of 4 days, none of them in this row: the 0 stays, but its share (0%) goes
        // with the hidden denominator 4.
        detail
            .rows
            .push(vec![Value::Int(0), Value::Int(4), Value::Real(0.0)]);
        let mut tables = [week, detail];
        // --suppress 5: 3 is hidden; the link 13 = 3 + 10 then has one hidden cell, so the smaller
        // of the others, 10, goes too (13 - 10 would give 3). Both shares go with their days.
        suppress_tables(&mut tables, &[vec![(0, 0, 0), (1, 0, 0), (1, 1, 0)]], 5);
        assert_eq!(tables[0].rows[0], vec![Value::Int(13)]);
        assert_eq!(
            tables[1].rows[1],
            vec![Value::Suppressed, Value::Int(13), Value::Suppressed]
        );
        assert_eq!(tables[1].rows[0][2], Value::Suppressed);
        assert_eq!(
            tables[1].rows[2],
            vec![Value::Int(0), Value::Suppressed, Value::Suppressed]
        );
        assert_eq!(tables[1].notes.len(), 1);
    }
}

#[cfg(test)]
mod cube_tests {
    use super::*;
    use crate::domain::{Attribution::*, ReasonCode, Setting};
    use chrono::NaiveDate;

    fn la(s: &str) -> LaCode {
        LaCode::parse(s).unwrap()
    }

    fn week(d: &str) -> Week {
        Week::of(d.parse::<NaiveDate>().unwrap())
    }

    fn cell(code: &str, a: Attribution, w: Week) -> Figure {
        Figure::la(&la(code))
            .attribution(a)
            .reason(ReasonCode::A)
            .setting(Setting::Acute)
            .week(w)
    }

    #[test]
    fn a_two_by_two_table_with_one_small_cell_hides_its_four_inner_cells() {
        // Two authorities × NHS / Social Care, one reason, one type of care, one week: 3 40 / 50
        // 60, --suppress 5. The 3 is hidden; its authority's row (43) and NHS column (53) would
        // give it back, so 40 and 50 go; then Social Care's column (100) would give the 40 back,
        // so 60 goes. Every total stays: the classic answer for a 2 × 2 table.
        let w = week("2018-07-02");
        let (l1, l2) = ("E06000016", "E10000018");
        let cube = MonthCube {
            month: None,
            cells: [
                (cell(l1, Nhs, w), 3),
                (cell(l1, SocialCare, w), 40),
                (cell(l2, Nhs, w), 50),
                (cell(l2, SocialCare, w), 60),
            ]
            .into(),
        };
        let hidden = hidden_cells(&cube, 5);
        let mut want = BTreeSet::new();
        for (code, a) in [(l1, Nhs), (l1, SocialCare), (l2, Nhs), (l2, SocialCare)] {
            want.insert(cell(code, a, w));
            want.insert(Figure::la(&la(code)).attribution(a));
        }
        assert_eq!(hidden.figures, want);
        assert!(!hidden.contains(&Figure::all()));
        assert!(!hidden.contains(&Figure::la(&la(l1))));
        assert!(!hidden.contains(&Figure::all().attribution(Nhs)));
        assert!(hidden_cells(&cube, 0).is_empty());
    }

    #[test]
    fn nothing_small_hides_nothing() {
        let w = week("2018-07-02");
        let cube = MonthCube {
            month: None,
            cells: [
                (cell("E06000016", Nhs, w), 6),
                (cell("E06000017", Both, w), 0),
            ]
            .into(),
        };
        assert!(hidden_cells(&cube, 5).is_empty());
    }

    #[test]
    fn the_part_of_a_week_outside_the_outputs_counts_as_known() {
        // July 2018: 3 days in 2018-W27 (whole in July) and 40 in W31 (30 and 31 July; the week
        // goes on into August). The W31 part is shown by no output, so it is never hidden; taken
        // as known, the authority's total (43 = 3 + 40) would give the 3 back: it is hidden, and
        // with it every figure of the month equal to it.
        let m = YearMonth::of("2018-07-01".parse().unwrap());
        let (w27, w31) = (week("2018-07-02"), week("2018-07-30"));
        let cube = MonthCube {
            month: Some(m),
            cells: [
                (cell("E06000016", Nhs, w27), 3),
                (cell("E06000016", Nhs, w31), 40),
            ]
            .into(),
        };
        let hidden = hidden_cells(&cube, 5);
        let l = la("E06000016");
        assert!(hidden.contains(&cell("E06000016", Nhs, w27)));
        assert!(hidden.contains(&Figure::la(&l).week(w27)));
        assert!(!hidden.contains(&cell("E06000016", Nhs, w31)));
        assert!(!hidden.contains(&Figure::la(&l).week(w31)));
        assert!(hidden.contains(&Figure::la(&l)));
        assert!(hidden.contains(&Figure::la(&l).attribution(Nhs)));
        assert!(hidden.contains(&Figure::all()));
    }

    #[test]
    fn the_cube_counts_the_days_of_its_month_only() {
        let m = YearMonth::of("2018-07-01".parse().unwrap());
        let day = |d: &str| DelayedDay {
            day: d.parse().unwrap(),
            delay_id: 1,
            local_id: "L1".into(),
            la_code: la("E06000016"),
            site_code: "RWE01".into(),
            setting: Setting::Acute,
            reason: ReasonCode::A,
            attribution: Nhs,
        };
        let providers = [("RWE01".to_string(), "RWE".to_string())].into();
        let cube = MonthCube::of_days(
            m,
            &[
                day("2018-06-30"),
                day("2018-07-01"),
                day("2018-07-31"),
                day("2018-08-01"),
            ],
            &providers,
        );
        let at = |d: &str| {
            Figure::la(&la("E06000016"))
                .attribution(Nhs)
                .reason(ReasonCode::A)
                .setting(Setting::Acute)
                .site("RWE01", "RWE")
                .day(d.parse().unwrap())
        };
        assert_eq!(
            cube.cells,
            [(at("2018-07-01"), 1), (at("2018-07-31"), 1)].into()
        );
    }
}
