//! `--suppress 5` over every output of one month (demo, July 2018): `report monthly`, `report
//! weekly` (every week with days in July, and the week after for its "week before"), `report
//! benchmark` of each authority and `export sitrep`, as CSV (JSON for the weekly table by
//! authority, which has no CSV). Every figure they show is written as a linear equation over the
//! month's cells (authority × responsible organisation × reason × type of care × week, the weeks
//! that cross into June or August split into their two parts, the other month's part unknown);
//! every hidden figure must stay undetermined: its equation must not lie in the span of the shown
//! ones (exact rational Gaussian elimination). The discharge sitreps (acute and community) join
//! the same system ([`discharge_outputs`]): a day's patients remaining not meeting the criteria to
//! reside are that day's delayed days, so their days add up to the cube's figures.

use crate::common::cli::{demo, run};
use num_rational::BigRational;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const LAS: [&str; 3] = ["E06000016", "E06000017", "E10000018"];
const ATTRIBUTIONS: [&str; 3] = ["NHS", "Social Care", "Both"];
const REASONS: [&str; 11] = ["A", "B", "C", "Di", "Dii", "E", "F", "G", "H", "I", "O"];
const SETTINGS: [&str; 2] = ["acute", "non-acute"];
/// July's weeks, those across the month's ends in two parts.
const PARTS: [&str; 8] = [
    "W26-jun", "W26-jul", "W27", "W28", "W29", "W30", "W31-jul", "W31-aug",
];
const JULY: [&str; 6] = ["W26-jul", "W27", "W28", "W29", "W30", "W31-jul"];

/// A linear form over the unknowns: unknown index → coefficient.
pub(super) type Form = BTreeMap<usize, BigRational>;

/// Exact row echelon form of the shown equations; a form is determined when it reduces to zero.
#[derive(Default)]
struct Echelon {
    /// Pivot column → its row (pivot coefficient 1, no column before the pivot).
    rows: BTreeMap<usize, Form>,
}

impl Echelon {
    fn reduce(&self, mut f: Form) -> Form {
        f.retain(|_, v| *v != BigRational::from_integer(0.into()));
        while let Some((&c, v)) = f.iter().next() {
            let Some(row) = self.rows.get(&c) else {
                break;
            };
            let v = v.clone();
            for (k, x) in row {
                let e = f
                    .entry(*k)
                    .or_insert_with(|| BigRational::from_integer(0.into()));
                *e -= &v * x;
            }
            f.retain(|_, v| *v != BigRational::from_integer(0.into()));
        }
        f
    }

    fn add(&mut self, f: Form) {
        let r = self.reduce(f);
        if let Some((&c, lead)) = r.iter().next() {
            let lead = lead.clone();
            let row = r.into_iter().map(|(k, v)| (k, v / &lead)).collect();
            self.rows.insert(c, row);
        }
    }

    fn determined(&self, f: &Form) -> bool {
        self.reduce(f.clone()).is_empty()
    }
}

/// The names of the `hidden` figures (name, form) that the `shown` forms determine.
pub(super) fn given_back(shown: &[Form], hidden: &[(String, Form)]) -> Vec<String> {
    let mut e = Echelon::default();
    for f in shown {
        e.add(f.clone());
    }
    hidden
        .iter()
        .filter(|(_, f)| e.determined(f))
        .map(|(w, _)| w.clone())
        .collect()
}

/// The month's cells and what the outputs say about them.
struct System {
    vars: BTreeMap<[String; 5], usize>,
    /// Unknowns outside the cube (the discharge sitreps' own figures), numbered after it.
    extra: BTreeMap<String, usize>,
    shown: Vec<Form>,
    hidden: Vec<(String, Form)>,
}

/// Which cells a figure sums: `None` = every value of that field.
#[derive(Clone, Default)]
struct Filter<'a> {
    la: Option<&'a str>,
    attribution: Option<&'a str>,
    reason: Option<&'a str>,
    setting: Option<&'a str>,
    parts: Vec<&'a str>,
}

impl System {
    fn new() -> Self {
        let mut vars = BTreeMap::new();
        for la in LAS {
            for a in ATTRIBUTIONS {
                for r in REASONS {
                    for s in SETTINGS {
                        for p in PARTS {
                            let n = vars.len();
                            vars.insert([la, a, r, s, p].map(String::from), n);
                        }
                    }
                }
            }
        }
        Self {
            vars,
            extra: BTreeMap::new(),
            shown: Vec::new(),
            hidden: Vec::new(),
        }
    }

    fn form(&self, f: &Filter) -> Form {
        let ok = |want: Option<&str>, got: &str| want.is_none_or(|w| w == got);
        self.vars
            .iter()
            .filter(|(k, _)| {
                ok(f.la, &k[0])
                    && ok(f.attribution, &k[1])
                    && ok(f.reason, &k[2])
                    && ok(f.setting, &k[3])
                    && f.parts.contains(&k[4].as_str())
            })
            .map(|(_, i)| (*i, BigRational::from_integer(1.into())))
            .collect()
    }

    /// A figure: shown (an equation) when `cell` is a number, else hidden.
    fn figure(&mut self, what: String, cell: &str, f: &Filter) {
        let form = self.form(f);
        self.put(what, cell, form);
    }

    /// An unknown of its own (not a cell of the cube), by its key.
    fn unknown(&mut self, key: String) -> usize {
        let n = self.vars.len() + self.extra.len();
        *self.extra.entry(key).or_insert(n)
    }

    /// A figure given by its form: shown when `cell` is a number, else hidden.
    fn put(&mut self, what: String, cell: &str, form: Form) {
        if is_number(cell) {
            self.shown.push(form);
        } else {
            // Hidden: `*` in CSV, null in JSON (or an empty cell, however the writer shows it).
            assert!(["*", "null", ""].contains(&cell.trim()), "{what}: {cell:?}");
            self.hidden.push((what, form));
        }
    }

    /// The hidden figures that the shown ones determine.
    fn determined(&self) -> Vec<String> {
        given_back(&self.shown, &self.hidden)
    }
}

fn is_number(s: &str) -> bool {
    s.trim().parse::<f64>().is_ok()
}

fn records(text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect()
}

/// Rows of a CSV with a one-line header, as maps.
fn maps(text: &str) -> Vec<BTreeMap<String, String>> {
    let rows = records(text);
    let head = rows[0].clone();
    rows[1..]
        .iter()
        .map(|r| head.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

fn attribution_of(measure: &str) -> Option<&'static str> {
    match measure {
        "nhs" => Some("NHS"),
        "social_care" => Some("Social Care"),
        "both" => Some("Both"),
        _ => None,
    }
}

/// The parts of July's cube a week's figures sum (`None`: a week with days of another month only).
fn parts_of(week: u32) -> Option<Vec<&'static str>> {
    Some(match week {
        26 => vec!["W26-jun", "W26-jul"],
        27 => vec!["W27"],
        28 => vec!["W28"],
        29 => vec!["W29"],
        30 => vec!["W30"],
        31 => vec!["W31-jul", "W31-aug"],
        _ => return None,
    })
}

/// The delayed days of July 2018 as every output shows them with `--suppress 5`.
fn july_outputs(db: &Path, dir: &Path) -> System {
    let mut sys = System::new();
    let sup = ["--suppress", "5"];
    // report monthly: each authority's total and organisations; DTOC beds and rates give the days.
    let monthly = monthly_july(db);
    for r in maps(&monthly) {
        let f = Filter {
            la: Some(&r["la_code"]),
            attribution: attribution_of(&r["measure"]),
            parts: JULY.to_vec(),
            ..Filter::default()
        };
        // The days are shown when they or any figure derived from them (DTOC beds, the rates)
        // is a number.
        let cols = [
            "delayed_days",
            "dtoc_beds",
            "rate_per_100k_month",
            "rate_per_100k_day",
        ];
        let shown = cols.iter().map(|c| r[*c].as_str()).find(|x| is_number(x));
        let cell = shown.unwrap_or(r["delayed_days"].as_str());
        let what = format!("monthly {} {} delayed_days", r["la_code"], r["measure"]);
        sys.figure(what, cell, &f);
    }
    // report weekly: the detail rows (CSV; a cell not listed is 0) and the table by authority
    // (JSON): the week's days, the week before's and the change.
    for week in 26..=32u32 {
        let key = format!("2018-W{week}");
        let args = |format: &'static str| -> Vec<String> {
            [
                "report",
                "weekly",
                "--week",
                &key,
                "--format",
                format,
                "--suppress",
                "5",
            ]
            .map(String::from)
            .to_vec()
        };
        let a = args("csv");
        let csv_text = run(db, &a.iter().map(String::as_str).collect::<Vec<_>>());
        if let Some(parts) = parts_of(week) {
            let mut listed = BTreeSet::new();
            for r in maps(&csv_text) {
                listed.insert(
                    [
                        &r["la_code"],
                        &r["attribution"],
                        &r["reason"],
                        &r["setting"],
                    ]
                    .map(|s| s.to_string()),
                );
                let f = Filter {
                    la: Some(&r["la_code"]),
                    attribution: Some(&r["attribution"]),
                    reason: Some(&r["reason"]),
                    setting: Some(&r["setting"]),
                    parts: parts.clone(),
                };
                let what = format!(
                    "weekly {key} {} {} {} {}",
                    r["la_code"], r["attribution"], r["reason"], r["setting"]
                );
                sys.figure(what, &r["days"], &f);
            }
            for la in LAS {
                for a in ATTRIBUTIONS {
                    for reason in REASONS {
                        for s in SETTINGS {
                            if !listed.contains(&[la, a, reason, s].map(String::from)) {
                                let f = Filter {
                                    la: Some(la),
                                    attribution: Some(a),
                                    reason: Some(reason),
                                    setting: Some(s),
                                    parts: parts.clone(),
                                };
                                sys.figure(format!("weekly {key} zero"), "0", &f);
                            }
                        }
                    }
                }
            }
        }
        let a = args("json");
        let json: serde_json::Value =
            serde_json::from_str(&run(db, &a.iter().map(String::as_str).collect::<Vec<_>>()))
                .unwrap();
        let mut by_la = Vec::new();
        collect_rows_with(&json, "previous_days", &mut by_la);
        assert!(!by_la.is_empty(), "{key}: no table by authority in {json}");
        for r in by_la {
            let la = r["la_code"].as_str().unwrap().to_string();
            let cell = |k: &str| match &r[k] {
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Null => "null".to_string(),
                v => v.as_str().unwrap_or("?").to_string(),
            };
            let days = parts_of(week).map(|p| {
                sys.form(&Filter {
                    la: Some(&la),
                    parts: p,
                    ..Filter::default()
                })
            });
            let before = parts_of(week - 1).map(|p| {
                sys.form(&Filter {
                    la: Some(&la),
                    parts: p,
                    ..Filter::default()
                })
            });
            // A part week's "week before" is the same days of it, which no other output shows:
            // only a whole week's figures are equations over the cube.
            let complete = r["complete"].as_bool() == Some(true) || r["complete"] == "true";
            if let Some(d) = &days {
                sys.put(format!("weekly {key} {la} days"), &cell("days"), d.clone());
            }
            if let (Some(b), true) = (&before, complete) {
                sys.put(
                    format!("weekly {key} {la} previous_days"),
                    &cell("previous_days"),
                    b.clone(),
                );
            }
            if let (Some(d), Some(b), true) = (&days, &before, complete) {
                let mut diff = d.clone();
                for (k, v) in b {
                    *diff
                        .entry(*k)
                        .or_insert_with(|| BigRational::from_integer(0.into())) -= v;
                }
                sys.put(format!("weekly {key} {la} change"), &cell("change"), diff);
            }
        }
    }
    // report benchmark of each authority: its local days.
    for la in LAS {
        let b = run(
            db,
            &[
                &["report", "benchmark", "--la", la, "--group", &LAS.join(",")][..],
                &["--from", "2018-07", "--to", "2018-07", "--format", "csv"],
                &sup,
            ]
            .concat(),
        );
        for r in maps(&b).into_iter().filter(|r| r["la_code"] == la) {
            let f = Filter {
                la: Some(la),
                parts: JULY.to_vec(),
                ..Filter::default()
            };
            sys.figure(format!("benchmark {la} local_days"), &r["local_days"], &f);
        }
    }
    // export sitrep: three tables, the all-authorities row and each authority's, with DTOC beds.
    let out = dir.join("sitrep");
    export_july(db, "sitrep", &out);
    for (file, header_rows, columns) in [
        ("la_by_type_of_care.csv", 2, 3),
        ("la_by_responsible_org.csv", 2, 4),
        ("la_by_reason.csv", 1, 12),
    ] {
        let text = std::fs::read_to_string(out.join(format!("sitrep-2018-07-{file}"))).unwrap();
        for row in records(&text).into_iter().skip(header_rows) {
            let la = match row[1].as_str() {
                "-" if row[3].starts_with("All authorities") || row[3] == "England" => None,
                c if c.starts_with('E') => Some(c.to_string()),
                _ => continue,
            };
            for j in 0..columns {
                let mut f = Filter {
                    la: la.as_deref(),
                    parts: JULY.to_vec(),
                    ..Filter::default()
                };
                let last = j + 1 == columns;
                match file {
                    "la_by_type_of_care.csv" if !last => f.setting = Some(SETTINGS[j]),
                    "la_by_responsible_org.csv" if !last => f.attribution = Some(ATTRIBUTIONS[j]),
                    "la_by_reason.csv" if !last => f.reason = Some(REASONS[j]),
                    _ => {}
                }
                let what = format!("sitrep {file} {} column {j}", row[3]);
                sys.figure(format!("{what} days"), &row[4 + j], &f);
                if header_rows == 2 {
                    sys.figure(format!("{what} beds"), &row[4 + columns + 1 + j], &f);
                }
            }
        }
    }
    sys
}

/// `dtoc report monthly` of July 2018 as CSV, `--suppress 5`.
fn monthly_july(db: &Path) -> String {
    let args = ["report", "monthly", "--from", "2018-07", "--to", "2018-07"];
    run(
        db,
        &[&args[..], &["--format", "csv", "--suppress", "5"]].concat(),
    )
}

/// `dtoc export KIND --month 2018-07 --suppress 5 --out-dir OUT`.
fn export_july(db: &Path, kind: &str, out: &Path) {
    let args = [
        "export",
        kind,
        "--month",
        "2018-07",
        "--suppress",
        "5",
        "--out-dir",
    ];
    run(db, &[&args[..], &[out.to_str().unwrap()]].concat());
}

/// Every array of objects in `v` whose objects have `key`, flattened.
fn collect_rows_with<'a>(
    v: &'a serde_json::Value,
    key: &str,
    out: &mut Vec<&'a serde_json::Map<String, serde_json::Value>>,
) {
    match v {
        serde_json::Value::Array(a) => {
            for x in a {
                match x {
                    serde_json::Value::Object(o) if o.contains_key(key) => out.push(o),
                    _ => collect_rows_with(x, key, out),
                }
            }
        }
        serde_json::Value::Object(o) => {
            for x in o.values() {
                collect_rows_with(x, key, out);
            }
        }
        _ => {}
    }
}

fn demo_with_published(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let db = demo(dir);
    let file = dir.path().join("published.csv");
    std::fs::write(
        &file,
        super::benchmark::published_csv(&[
            ("-", "England", "140938", "July 2018"),
            ("E06000016", "Leicester", "440", "July 2018"),
            ("E06000017", "Rutland", "40", "July 2018"),
            ("E10000018", "Leicestershire", "978", "July 2018"),
        ]),
    )
    .unwrap();
    run(&db, &["import", "published", file.to_str().unwrap()]);
    db
}

#[test]
fn no_hidden_delayed_days_of_july_are_given_back_by_the_outputs_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_with_published(&dir);
    let sys = july_outputs(&db, dir.path());
    // The outputs do hide figures, and many are shown.
    assert!(sys.hidden.len() > 100, "{} hidden", sys.hidden.len());
    assert!(sys.shown.len() > 1000, "{} shown", sys.shown.len());
    assert_eq!(sys.determined(), Vec::<String>::new());
    // The issue's case: Leicester's social care (1 day) is hidden, and so is at least one more of
    // the figures 86 = Leicester + Leicestershire + Rutland would give it back from.
    let hidden: BTreeSet<&str> = sys.hidden.iter().map(|(w, _)| w.as_str()).collect();
    assert!(hidden.contains("monthly E06000016 social_care delayed_days"));
    assert!(hidden.contains("monthly E10000018 social_care delayed_days"));
}

#[test]
fn the_check_finds_a_figure_given_back() {
    // The checker itself: July's outputs plus Leicestershire's social care shown (as `report
    // monthly` showed it before, 85) give Leicester's back (86 − 85 − 0).
    let dir = tempfile::tempdir().unwrap();
    let db = demo_with_published(&dir);
    let mut sys = july_outputs(&db, dir.path());
    let f = sys.form(&Filter {
        la: Some("E10000018"),
        attribution: Some("Social Care"),
        parts: JULY.to_vec(),
        ..Filter::default()
    });
    sys.shown.push(f);
    let found = sys.determined();
    assert!(
        found.contains(&"monthly E06000016 social_care delayed_days".to_string()),
        "{found:?}"
    );
}

/// The discharge sitreps of July (acute sites, then community: non-acute) over the same system.
/// Their daily table's "remaining" (patients not meeting the criteria to reside at the day's end,
/// not discharged that day) of a site and authority is that day's delayed days there: an unknown
/// per site × authority × day, whose sum over the days of a week's part and the sites of a type of
/// care is the cube's figure of that authority, type of care and part (an identity, known). The
/// day's discharges are unknowns too (not meeting = discharged + remaining), and the month's
/// discharges by destination (table 4) add up to the days' discharges of the same site and
/// authority. The weekly tables (extra bed days, length of stay 14+/21+: nested bands) and the
/// reasons at 14+ days have unknowns of their own per site × authority.
fn discharge_outputs(db: &Path, dir: &Path, sys: &mut System) {
    for (kind, setting) in [("acute-sitrep", "acute"), ("community-sitrep", "non-acute")] {
        let out = dir.join(kind);
        export_july(db, kind, &out);
        let mut files: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        let mut cells: Vec<(String, String, String)> = Vec::new();
        for path in &files {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let rows = records(&std::fs::read_to_string(path).unwrap());
            let head = rows[0].clone();
            let body: Vec<Vec<String>> = rows[1..]
                .iter()
                .filter(|r| ["register", "provider", "site", "la"].contains(&r[0].as_str()))
                .cloned()
                .collect();
            let codes = |level: &str| -> Vec<String> {
                body.iter()
                    .filter(|r| r[0] == level)
                    .map(|r| r[2].clone())
                    .collect()
            };
            let (sites, las, providers) = (codes("site"), codes("la"), codes("provider"));
            cells = sites
                .iter()
                .flat_map(|s| las.iter().map(move |l| (s.clone(), l.clone())))
                .map(|(s, l)| {
                    let p = providers
                        .iter()
                        .find(|p| s.starts_with(p.as_str()))
                        .cloned()
                        .unwrap_or_default();
                    (p, s, l)
                })
                .collect();
            let columns = head.len() - 4;
            // Each column: the unknowns (by their key, without site and authority) it sums.
            let daily = name.contains("criteria_to_reside");
            let unknowns = |j: usize| -> Vec<String> {
                let label = &head[4 + j];
                if daily {
                    let day = label.split(':').next().unwrap().to_string();
                    let (d, z) = (format!("discharged|{day}"), format!("remaining|{day}"));
                    match j % 3 {
                        0 => vec![d, z],
                        1 => vec![d],
                        _ => vec![z],
                    }
                } else if name.contains("extra_bed_days") {
                    // 7+, 14+, 21+ a week: nested.
                    (j % 3..3)
                        .map(|b| format!("{name}|{}|{b}", j / 3))
                        .collect()
                } else if name.contains("length_of_stay") {
                    // 14+, 21+ patients, then their extra bed days, a week: nested.
                    let (g, k) = (j / 4, j % 4);
                    let first = k - k % 2;
                    (k..first + 2).map(|b| format!("{name}|{g}|{b}")).collect()
                } else if name.contains("destination") {
                    vec![format!("destination|{j}")]
                } else {
                    vec![format!("{name}|{j}")]
                }
            };
            for r in &body {
                for j in 0..columns {
                    let keys = unknowns(j);
                    let mut form = Form::new();
                    for (p, s, l) in &cells {
                        let ours = match r[0].as_str() {
                            "register" => true,
                            "provider" => *p == r[2],
                            "site" => *s == r[2],
                            _ => *l == r[2],
                        };
                        if ours {
                            for k in &keys {
                                form.insert(sys.unknown(format!("{k}|{s}|{l}")), one());
                            }
                        }
                    }
                    let what = format!("{kind} {name} {} {}", r[2], head[4 + j]);
                    sys.put(what, &r[4 + j], form);
                }
            }
        }
        // The identities: a site's and authority's discharges by destination are its days'
        // discharges; an authority's remaining patients over a part week's days and the type of
        // care's sites are its delayed days there.
        let days: Vec<String> = (1..=31).map(|d| format!("2018-07-{d:02}")).collect();
        for (_, s, l) in &cells {
            let mut f = Form::new();
            for j in 0..13 {
                f.insert(sys.unknown(format!("destination|{j}|{s}|{l}")), one());
            }
            for d in &days {
                f.insert(sys.unknown(format!("discharged|{d}|{s}|{l}")), -one());
            }
            sys.shown.push(f);
        }
        for la in LAS {
            for part in JULY {
                let mut f = sys.form(&Filter {
                    la: Some(la),
                    setting: Some(setting),
                    parts: vec![part],
                    ..Filter::default()
                });
                for (_, s, l) in cells.iter().filter(|(_, _, l)| l == la) {
                    for d in days.iter().filter(|d| part_of_day(d) == part) {
                        f.insert(sys.unknown(format!("remaining|{d}|{s}|{l}")), -one());
                    }
                }
                sys.shown.push(f);
            }
        }
    }
}

/// The part of July's weeks a day of July is in.
fn part_of_day(day: &str) -> &'static str {
    let d: u32 = day[8..].parse().unwrap();
    match d {
        1 => "W26-jul",
        2..=8 => "W27",
        9..=15 => "W28",
        16..=22 => "W29",
        23..=29 => "W30",
        _ => "W31-jul",
    }
}

fn one() -> BigRational {
    BigRational::from_integer(1.into())
}

#[test]
fn no_hidden_figure_of_july_is_given_back_with_the_discharge_sitreps_beside() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo_with_published(&dir);
    let mut sys = july_outputs(&db, dir.path());
    let before = sys.hidden.len();
    discharge_outputs(&db, dir.path(), &mut sys);
    assert!(
        sys.hidden.len() > before + 20,
        "{} hidden",
        sys.hidden.len() - before
    );
    assert_eq!(sys.determined(), Vec::<String>::new());
}

#[test]
fn a_quarter_hides_what_any_of_its_months_hides() {
    // Q2 2018/19 to date is July and August: July's Leicester and Leicestershire social care are
    // hidden, so their quarter sums are too (the quarter less August would give July's back).
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let q = run(
        &db,
        &[
            "report",
            "monthly",
            "--period",
            "quarter",
            "--from",
            "2018-07",
            "--to",
            "2018-08",
            "--format",
            "csv",
            "--suppress",
            "5",
        ],
    );
    let rows = maps(&q);
    let cell = |la: &str, measure: &str| {
        rows.iter()
            .find(|r| r["la_code"] == la && r["measure"] == measure)
            .map(|r| r["delayed_days"].clone())
            .unwrap()
    };
    assert_eq!(cell("E06000016", "social_care"), "*");
    assert_eq!(cell("E10000018", "social_care"), "*");
    // Totals well above the threshold, with two or more parts hidden, stay.
    assert_eq!(cell("E10000018", "total"), "1516");
}

#[test]
fn the_issue_case_86_less_85_less_0_no_longer_gives_leicester_back() {
    // The finding: with --suppress 5, `report monthly` showed Leicestershire's social care 85 and
    // Rutland's 0 and hid Leicester's 1, while `export sitrep` showed all authorities' 86. Now
    // Leicestershire's is hidden in both outputs, so 86 less the shown figures leaves two unknowns.
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let monthly = maps(&monthly_july(&db));
    let social_care = |la: &str| {
        monthly
            .iter()
            .find(|r| r["la_code"] == la && r["measure"] == "social_care")
            .map(|r| r["delayed_days"].clone())
            .unwrap()
    };
    let out = dir.path().join("sitrep");
    export_july(&db, "sitrep", &out);
    let text =
        std::fs::read_to_string(out.join("sitrep-2018-07-la_by_responsible_org.csv")).unwrap();
    let rows = records(&text);
    // Columns: region, ONS code, code, name, then NHS, Social Care, Both, Total.
    let sitrep = |code: &str| {
        let row = rows.iter().find(|r| r[1] == code).unwrap();
        row[5].clone()
    };
    let all = rows
        .iter()
        .find(|r| r[3].starts_with("All authorities"))
        .map(|r| r[5].parse::<f64>().unwrap())
        .unwrap();
    assert_eq!(all, 86.0);
    assert_eq!(social_care("E06000017"), "0");
    assert_eq!(social_care("E06000016"), "*");
    assert_eq!(social_care("E10000018"), "*");
    assert_eq!(sitrep("E10000018"), "*");
    assert_eq!(sitrep("E06000016"), "*");
}
