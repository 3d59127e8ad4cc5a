//! The grid of NHS England's discharge sitrep publications, shared by `dtoc export acute-sitrep`
//! and `dtoc export community-sitrep`: a table is a title, group headers (a day, a week, the
//! month) each over the same measure columns, and one row per organisation: the register total,
//! each provider (trust), each site, each authority. Pure: the writers are in
//! `commands::output::layout`.
//!
//! Choices:
//! - Region where known: an authority's own; a provider's or site's when every authority its
//!   stays belong to has the same region; else blank.
//! - `--suppress N` ([`suppress`]): counts from 1 to N (and averages that round up to 1 to N)
//!   become `*`, then the cells that would give them back: in each column the total is the sum of
//!   the providers, of the sites and of the authorities, a provider the sum of its sites; and in a
//!   daily table each day's "no longer meet" = "discharged" + "remaining".

use super::discharge::Level;
use super::suppress::{Figure, Hidden};
use crate::domain::{LaCode, Setting, StayFacts, YearMonth};
use crate::store::{Authority, Site};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// One figure.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Count(u64),
    Average(f64),
    /// Hidden by `--suppress`: written `*`.
    Suppressed,
}

impl Cell {
    /// The figure as written in CSV (averages as the shortest decimal: `0.25`).
    pub fn csv(&self) -> String {
        match self {
            Cell::Count(n) => n.to_string(),
            Cell::Suppressed => "*".to_string(),
            Cell::Average(x) => format!("{x}"),
        }
    }

    fn add(&self, other: &Cell) -> Cell {
        match (self, other) {
            (Cell::Count(a), Cell::Count(b)) => Cell::Count(a + b),
            (Cell::Average(a), Cell::Average(b)) => Cell::Average(a + b),
            _ => Cell::Suppressed,
        }
    }
}

/// A group header: a day (written as a date), a snapshot week (by its Monday) or the month.
#[derive(Debug, Clone, PartialEq)]
pub enum Head {
    Day(NaiveDate),
    Week(NaiveDate),
    /// The month and its published header text.
    Month(YearMonth, String),
}

impl Head {
    /// The header as published (a day as `2024-01-01` in CSV; the workbook writes a date).
    pub fn title(&self) -> String {
        match self {
            Head::Day(d) => d.to_string(),
            Head::Week(d) => format!("w/c {} (daily snapshot)", d.format("%d/%m/%Y")),
            Head::Month(_, t) => t.clone(),
        }
    }

    /// The period in the long format: the day, the week's Monday, or the month (`2024-01`).
    pub fn period(&self) -> String {
        match self {
            Head::Day(d) | Head::Week(d) => d.to_string(),
            Head::Month(m, _) => m.key(),
        }
    }
}

/// Which block of the table a row belongs to, in the order of the blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum OrgKind {
    Total,
    Provider,
    Site,
    Authority,
}

impl OrgKind {
    /// The `level` column of the CSV files.
    pub fn key(self) -> &'static str {
        match self {
            Self::Total => "register",
            Self::Provider => "provider",
            Self::Site => "site",
            Self::Authority => "la",
        }
    }

    /// The block's header row in the workbook (the trust block's as published).
    pub fn block_header(self) -> [&'static str; 3] {
        match self {
            Self::Total => ["", "", ""],
            Self::Provider => ["Region", "Org Code", "Org Name"],
            Self::Site => ["Region", "Site Code", "Site Name"],
            Self::Authority => ["Region", "LA Code", "LA Name"],
        }
    }
}

/// One organisation's row.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgRow {
    pub kind: OrgKind,
    pub region: String,
    pub code: String,
    pub name: String,
    /// A site's provider (empty on other rows).
    pub provider: String,
    pub values: Vec<Cell>,
}

/// One table: `groups.len() * labels.len()` figures a row.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub sheet: &'static str,
    /// The CSV file name (the title in it).
    pub file: &'static str,
    pub title: String,
    pub groups: Vec<Head>,
    /// The measure columns under each group: the published header texts, byte for byte.
    pub labels: Vec<String>,
    /// Whether each group's columns add up (first = the others): a daily criteria-to-reside table.
    pub first_is_sum: bool,
    pub rows: Vec<OrgRow>,
    /// Set by `--suppress N`.
    pub suppressed: Option<u64>,
}

/// A month's return: its tables and what the command should say about them.
#[derive(Debug, Clone, PartialEq)]
pub struct Return {
    /// `acute-sitrep` or `community-sitrep`: the start of the file names.
    pub name: &'static str,
    pub month: YearMonth,
    /// The last day counted (the month's last day once it is over).
    pub last_day: NaiveDate,
    pub tables: Vec<Table>,
    pub notes: Vec<String>,
}

impl Return {
    /// Every day of the month is counted (docs/measures.md: a month in progress says so in its files).
    pub fn complete(&self) -> bool {
        self.last_day >= self.month.last_day()
    }

    /// The cell that says whether the month is complete: `January 2024: complete: true (to
    /// 2024-01-31)` or `complete: false, PARTIAL month to date (to …)`.
    pub fn status_text(&self) -> String {
        let partial = if self.complete() {
            ""
        } else {
            ", PARTIAL month to date"
        };
        format!(
            "{}: complete: {}{partial} (days to {})",
            self.month.long_name(),
            self.complete(),
            self.last_day.min(self.month.last_day())
        )
    }

    /// The XLSX file name of the return: `acute-sitrep-2024-01.xlsx`.
    pub fn xlsx_name(&self) -> String {
        format!("{}-{}.xlsx", self.name, self.month.key())
    }

    /// The CSV file name of one of its tables: `acute-sitrep-2024-01-table2_criteria_to_reside.csv`
    /// (the month in the name, so months exported to one folder keep their own files).
    pub fn csv_name(&self, file: &str) -> String {
        format!("{}-{}-{file}", self.name, self.month.key())
    }
}

/// The organisations of a return: the register's authorities, the sites in scope, and the stays
/// at those sites (for the regions of sites and providers).
pub struct Orgs<'a> {
    pub authorities: &'a [Authority],
    pub sites: &'a [Site],
    pub stays: &'a [StayFacts],
}

impl Orgs<'_> {
    /// The region of each site (see the module doc).
    fn site_regions(&self) -> BTreeMap<String, String> {
        let la_region: BTreeMap<&str, &str> = self
            .authorities
            .iter()
            .filter_map(|a| Some((a.code.as_str(), a.region.as_deref()?)))
            .collect();
        let mut seen: BTreeMap<&str, BTreeSet<Option<&str>>> = BTreeMap::new();
        for s in self.stays {
            seen.entry(&s.site_code)
                .or_default()
                .insert(la_region.get(s.la_code.as_str()).copied());
        }
        seen.into_iter()
            .filter_map(
                |(site, regions)| match regions.into_iter().collect::<Vec<_>>()[..] {
                    [Some(r)] => Some((site.to_string(), r.to_string())),
                    _ => None,
                },
            )
            .collect()
    }

    /// The rows of a table: total, providers, sites, authorities, with `values` of each level (a
    /// provider's = the sum of its sites').
    pub fn rows(&self, values: &dyn Fn(&Level) -> Vec<Cell>) -> Vec<OrgRow> {
        let regions = self.site_regions();
        let row = |kind, region: &str, code: &str, name: &str, values| OrgRow {
            kind,
            region: region.to_string(),
            code: code.to_string(),
            name: name.to_string(),
            provider: String::new(),
            values,
        };
        let mut out = vec![row(
            OrgKind::Total,
            "",
            "",
            "ALL (register)",
            values(&Level::All),
        )];
        let mut sites: Vec<OrgRow> = Vec::new();
        let mut providers: BTreeMap<&str, (BTreeSet<&str>, Vec<Cell>)> = BTreeMap::new();
        for s in self.sites {
            let v = values(&Level::Site(s.code.clone()));
            let region = regions.get(&s.code).map_or("", String::as_str);
            let p = providers.entry(&s.provider_code).or_default();
            p.0.insert(region);
            p.1 = if p.1.is_empty() {
                v.clone()
            } else {
                p.1.iter().zip(&v).map(|(a, b)| a.add(b)).collect()
            };
            let name = s.name.as_deref().unwrap_or(&s.code);
            let mut r = row(OrgKind::Site, region, &s.code, name, v);
            r.provider.clone_from(&s.provider_code);
            sites.push(r);
        }
        for (code, (regions, v)) in providers {
            let region = match regions.into_iter().collect::<Vec<_>>()[..] {
                [r] => r,
                _ => "",
            };
            out.push(row(OrgKind::Provider, region, code, code, v));
        }
        out.extend(sites);
        let mut las: Vec<&Authority> = self.authorities.iter().collect();
        las.sort_by(|a, b| (a.display_name(), &a.code).cmp(&(b.display_name(), &b.code)));
        for a in las {
            let v = values(&Level::Authority(a.code.clone()));
            let region = a.region.as_deref().unwrap_or("");
            out.push(row(
                OrgKind::Authority,
                region,
                &a.code,
                a.display_name(),
                v,
            ));
        }
        out
    }
}

/// A measure of the stays on one day: figures per level.
pub type Snapshot<const N: usize> = dyn Fn(&[StayFacts], NaiveDate) -> Vec<(Level, [u64; N])>;

/// A weekly measure taken on each site's snapshot day: `measure(stays, day)` is called once per
/// week and snapshot day with the stays of the sites that take theirs on that day, and the results
/// (per level) summed. Returns `(week, level) -> figures`.
pub fn by_snapshot_day<const N: usize>(
    stays: &[StayFacts],
    weeks: &[NaiveDate],
    days: &BTreeMap<String, chrono::Weekday>,
    measure: &Snapshot<N>,
) -> BTreeMap<(NaiveDate, Level), [u64; N]> {
    let mut parts: BTreeMap<u32, Vec<StayFacts>> = BTreeMap::new();
    for s in stays {
        let d = days
            .get(&s.site_code)
            .map_or(0, |d| d.num_days_from_monday());
        parts.entry(d).or_default().push(s.clone());
    }
    let mut out: BTreeMap<(NaiveDate, Level), [u64; N]> = BTreeMap::new();
    for &week in weeks {
        out.entry((week, Level::All)).or_insert([0; N]);
        for (offset, part) in &parts {
            let day = week
                .checked_add_days(chrono::Days::new(u64::from(*offset)))
                .unwrap_or(week);
            for (level, v) in measure(part, day) {
                let a = out.entry((week, level)).or_insert([0; N]);
                for (x, y) in a.iter_mut().zip(v) {
                    *x += y;
                }
            }
        }
    }
    out
}

/// Applies `--suppress n` to every table of a return of the sites of `setting` (no-op for
/// `n == 0`); see the module doc. The daily table's patients remaining are a day's delayed days:
/// they are hidden exactly as the month's one decision (`hidden`, [`super::suppress::hidden_cells`])
/// hides them, never more, so that the delayed-days outputs beside the return give nothing back;
/// the other cells are decided here, over every table at once: a row's discharges by destination
/// (the table whose last column is "Not stated") add up to its days' discharges.
pub fn suppress(r: &mut Return, n: u64, setting: Setting, hidden: &Hidden) {
    if n == 0 {
        return;
    }
    let mut values = BTreeMap::new();
    let mut already = BTreeSet::new();
    let mut groups: Vec<Vec<(usize, usize, usize)>> = Vec::new();
    for (ti, t) in r.tables.iter().enumerate() {
        let w = t.labels.len();
        for (i, row) in t.rows.iter().enumerate() {
            for (c, cell) in row.values.iter().enumerate() {
                if let Some(f) = remaining_figure(t, row, c, setting) {
                    if hidden.contains(&f) {
                        already.insert((ti, i, c));
                    }
                    // Shown: known, as in the delayed-days outputs.
                    continue;
                }
                let v = match cell {
                    Cell::Count(x) => *x,
                    // An average of people per day: hidden when it rounds up to 1..N people.
                    Cell::Average(x) => x.ceil() as u64,
                    Cell::Suppressed => continue,
                };
                values.insert((ti, i, c), v);
            }
        }
        let width = t.groups.len() * w;
        let of = |k: OrgKind| -> Vec<usize> {
            (0..t.rows.len()).filter(|i| t.rows[*i].kind == k).collect()
        };
        let total = of(OrgKind::Total);
        let mut parts: Vec<Vec<usize>> = [OrgKind::Provider, OrgKind::Site, OrgKind::Authority]
            .into_iter()
            .map(|k| total.iter().copied().chain(of(k)).collect())
            .collect();
        for p in of(OrgKind::Provider) {
            let sites = of(OrgKind::Site)
                .into_iter()
                .filter(|&i| t.rows[i].provider == t.rows[p].code);
            parts.push(std::iter::once(p).chain(sites).collect());
        }
        for c in 0..width {
            for part in parts.iter().filter(|p| p.len() > 1) {
                groups.push(part.iter().map(|&i| (ti, i, c)).collect());
            }
        }
        if t.first_is_sum && w > 0 {
            for i in 0..t.rows.len() {
                for start in (0..width).step_by(w) {
                    groups.push((start..start + w).map(|c| (ti, i, c)).collect());
                }
            }
        }
    }
    // A row's discharges by destination and its days' discharges (the daily table's second
    // column) are the same people.
    let daily = r.tables.iter().position(|t| t.first_is_sum);
    let destinations = r
        .tables
        .iter()
        .position(|t| t.labels.last().map(String::as_str) == Some(super::acute_sitrep::NOT_STATED));
    if let (Some(d), Some(e)) = (daily, destinations) {
        let (dt, et) = (&r.tables[d], &r.tables[e]);
        for i in 0..dt.rows.len().min(et.rows.len()) {
            let by_day = (0..dt.groups.len()).map(|g| (d, i, g * dt.labels.len() + 1));
            let by_destination = (0..et.labels.len() * et.groups.len()).map(|c| (e, i, c));
            groups.push(by_day.chain(by_destination).collect());
        }
    }
    for (ti, i, c) in super::suppress::cells_to_hide(&values, &groups, &[], &already, n) {
        r.tables[ti].rows[i].values[c] = Cell::Suppressed;
    }
    for t in &mut r.tables {
        t.suppressed = Some(n);
    }
}

/// The figure of the month's cube a cell shows, if it is a daily table's patients remaining (the
/// third label of a day's group): that day's delayed days at the row's sites of `setting`.
fn remaining_figure(t: &Table, row: &OrgRow, c: usize, setting: Setting) -> Option<Figure> {
    let w = t.labels.len();
    if !t.first_is_sum || w != 3 || c % w != 2 {
        return None;
    }
    let Head::Day(day) = t.groups.get(c / w)? else {
        return None;
    };
    let f = match row.kind {
        OrgKind::Total => Figure::all(),
        OrgKind::Provider => Figure::all().provider(&row.code),
        OrgKind::Site => Figure::all().site(&row.code, &row.provider),
        OrgKind::Authority => Figure::la(&LaCode::parse(&row.code).ok()?),
    };
    Some(f.setting(setting).day(*day))
}

/// The note a suppressed table carries.
pub fn suppression_note(n: u64) -> String {
    format!(
        "Suppressed: counts from 1 to {n} are shown as *, with any total that would reveal them."
    )
}

/// One row of the long format: period × organisation × measure.
pub struct LongRow<'a> {
    pub period: String,
    pub row: &'a OrgRow,
    pub measure: &'a str,
    pub value: String,
}

/// The table in the long format (`--long`): one row per group × organisation × measure.
pub fn long_rows(t: &Table) -> Vec<LongRow<'_>> {
    let mut out = Vec::new();
    for (g, head) in t.groups.iter().enumerate() {
        for row in &t.rows {
            for (l, label) in t.labels.iter().enumerate() {
                let value = row
                    .values
                    .get(g * t.labels.len() + l)
                    .map(Cell::csv)
                    .unwrap_or_default();
                out.push(LongRow {
                    period: head.period(),
                    row,
                    measure: label,
                    value,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(kind: OrgKind, code: &str, provider: &str, v: u64) -> OrgRow {
        OrgRow {
            kind,
            region: String::new(),
            code: code.to_string(),
            name: code.to_string(),
            provider: provider.to_string(),
            values: vec![Cell::Count(v)],
        }
    }

    #[test]
    fn suppression_hides_the_small_site_and_what_gives_it_back() {
        let t = Table {
            sheet: "T",
            file: "t.csv",
            title: "T".to_string(),
            groups: vec![Head::Month(
                YearMonth::parse("2024-01").expect("a month"),
                "m".to_string(),
            )],
            labels: vec!["n".to_string()],
            first_is_sum: false,
            rows: vec![
                org(OrgKind::Total, "", "", 10),
                org(OrgKind::Provider, "P", "", 10),
                org(OrgKind::Site, "S1", "P", 2),
                org(OrgKind::Site, "S2", "P", 8),
                org(OrgKind::Authority, "A", "", 10),
            ],
            suppressed: None,
        };
        let mut r = Return {
            name: "acute-sitrep",
            month: YearMonth::parse("2024-01").expect("a month"),
            last_day: YearMonth::parse("2024-01").expect("a month").last_day(),
            tables: vec![t],
            notes: Vec::new(),
        };
        suppress(&mut r, 5, Setting::Acute, &Hidden::default());
        let got: Vec<String> = r.tables[0].rows.iter().map(|o| o.values[0].csv()).collect();
        // S1 (2) is hidden; S2 would give it back as the provider's 10 - 8: hidden too.
        assert_eq!(got, ["10", "10", "*", "*", "10"]);
        assert_eq!(r.tables[0].suppressed, Some(5));
        assert_eq!(r.xlsx_name(), "acute-sitrep-2024-01.xlsx");
    }

    #[test]
    fn a_provider_sums_its_sites_and_takes_their_one_region() {
        let authorities = [Authority {
            code: crate::domain::LaCode::parse("E10000001").expect("a code"),
            name: Some("Shire".to_string()),
            region: Some("MIDLANDS".to_string()),
            legacy_code: None,
        }];
        let site = |code: &str| Site {
            code: code.to_string(),
            provider_code: "P".to_string(),
            name: None,
            setting: Setting::Acute,
        };
        let sites = [site("S1"), site("S2")];
        let stay = |site: &str| StayFacts {
            stay_id: 1,
            local_id: "x".to_string(),
            site_code: site.to_string(),
            la_code: crate::domain::LaCode::parse("E10000001").expect("a code"),
            admitted_on: NaiveDate::from_ymd_opt(2024, 1, 1).expect("a day"),
            discharged_on: None,
            pathway: None,
            destination: None,
            usual_residence: None,
            delays: Vec::new(),
        };
        let stays = [stay("S1")];
        let orgs = Orgs {
            authorities: &authorities,
            sites: &sites,
            stays: &stays,
        };
        let rows = orgs.rows(&|l| {
            vec![Cell::Count(match l {
                Level::Site(s) if s == "S1" => 3,
                Level::Site(_) => 4,
                _ => 7,
            })]
        });
        let got: Vec<(&str, &str, &str, String)> = rows
            .iter()
            .map(|r| {
                (
                    r.kind.key(),
                    r.region.as_str(),
                    r.code.as_str(),
                    r.values[0].csv(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("register", "", "", "7".to_string()),
                // S2 has no stays: its region is not known, so neither is the provider's.
                ("provider", "", "P", "7".to_string()),
                ("site", "MIDLANDS", "S1", "3".to_string()),
                ("site", "", "S2", "4".to_string()),
                ("la", "MIDLANDS", "E10000001", "7".to_string()),
            ]
        );
    }
}
