//! `--suppress 5` over the pathway queues of the demo (issue 27's `report queues` and
//! `report forecast`), every output side by side: the queues of the register, each site and each
//! authority, over two ranges, one authority's and one site's queues, and the forecast's summary
//! three ways. Every figure they show is written as a linear equation over unknowns of the
//! finest queues (site × authority × pathway): the waiting at the end of the day before the first
//! range and each day's joined and left, a day's waiting being the first plus the joined less the
//! left since. Every hidden figure must stay undetermined (exact elimination, as for the delayed
//! days in `suppression.rs`), and nothing from 1 to 5 is shown.

use super::suppression::{given_back, Form};
use crate::common::cli::{demo, run};
use chrono::{Days, NaiveDate};
use num_rational::BigRational;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

const SITES: [&str; 5] = ["RT501", "RT502", "RWE01", "RWE02", "RWE03"];
const LAS: [&str; 3] = ["E06000016", "E06000017", "E10000018"];
const PATHWAYS: [&str; 5] = ["0", "1", "2", "3", "unknown"];
/// The first day any output shows (the demo's today is 2018-08-15).
const FIRST: &str = "2018-08-08";

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn one() -> BigRational {
    BigRational::from_integer(1.into())
}

/// The unknowns and what the outputs say about them.
#[derive(Default)]
struct Queues {
    vars: BTreeMap<(usize, usize, usize, String), usize>,
    shown: Vec<Form>,
    hidden: Vec<(String, Form)>,
}

/// Which queues a figure sums: a site or an authority (`None`: every one), one pathway.
#[derive(Clone, Copy)]
enum Of<'a> {
    Register,
    Site(&'a str),
    La(&'a str),
}

impl Queues {
    fn var(&mut self, s: usize, l: usize, p: usize, what: String) -> usize {
        let n = self.vars.len();
        *self.vars.entry((s, l, p, what)).or_insert(n)
    }

    /// The figure `count` (`waiting`, `joined`, `left`) of `of`'s queue of pathway `p` on `day`.
    fn form(&mut self, of: Of, p: usize, day: NaiveDate, count: &str) -> Form {
        let mut f = Form::new();
        let add = |f: &mut Form, v: usize, sign: i64| {
            *f.entry(v)
                .or_insert_with(|| BigRational::from_integer(0.into())) +=
                BigRational::from_integer(sign.into());
        };
        for (s, site) in SITES.iter().enumerate() {
            for (l, la) in LAS.iter().enumerate() {
                match of {
                    Of::Site(x) if x != *site => continue,
                    Of::La(x) if x != *la => continue,
                    _ => {}
                }
                match count {
                    "waiting" => {
                        let a = self.var(s, l, p, "anchor".into());
                        add(&mut f, a, 1);
                        let mut day_i = d(FIRST);
                        while day_i <= day {
                            let j = self.var(s, l, p, format!("J{day_i}"));
                            let x = self.var(s, l, p, format!("L{day_i}"));
                            add(&mut f, j, 1);
                            add(&mut f, x, -1);
                            day_i = day_i + Days::new(1);
                        }
                    }
                    "joined" | "left" => {
                        let v = self.var(s, l, p, format!("{}{day}", &count[..1].to_uppercase()));
                        add(&mut f, v, 1);
                    }
                    _ => unreachable!(),
                }
            }
        }
        f.retain(|_, v| *v != BigRational::from_integer(0.into()));
        f
    }

    /// The waiting of one site-by-authority queue of pathway `p` on `day`.
    fn cell(&mut self, s: usize, l: usize, p: usize, day: NaiveDate) -> Form {
        let mut f = Form::new();
        let a = self.var(s, l, p, "anchor".into());
        f.insert(a, one());
        let mut day_i = d(FIRST);
        while day_i <= day {
            let j = self.var(s, l, p, format!("J{day_i}"));
            let x = self.var(s, l, p, format!("L{day_i}"));
            f.insert(j, one());
            f.insert(x, -one());
            day_i = day_i + Days::new(1);
        }
        f
    }

    /// One output's rows: each count shown (an equation) or hidden (`null`).
    fn rows(&mut self, what: &str, rows: &[Value], default_day: Option<NaiveDate>, of: Of) {
        for r in rows {
            let day = r["day"].as_str().map(d).or(default_day).unwrap();
            let p = PATHWAYS.iter().position(|p| r["pathway"] == *p).unwrap();
            let of = match (r["site"].as_str(), r["la_code"].as_str()) {
                (Some(s), _) => Of::Site(SITES.iter().find(|x| **x == s).unwrap()),
                (_, Some(l)) => Of::La(LAS.iter().find(|x| **x == l).unwrap()),
                _ => of,
            };
            for (key, count, when) in [
                ("waiting", "waiting", day),
                ("joined", "joined", day),
                ("left", "left", day),
                ("queue_now", "waiting", day - Days::new(1)),
                ("ready_today", "joined", day),
                ("left_today", "left", day),
            ] {
                let v = &r[key];
                if r.get(key).is_none() {
                    continue;
                }
                let form = self.form(of, p, when, count);
                match v.as_u64() {
                    Some(x) => {
                        assert!(!(1..=5).contains(&x), "{what}: {key} {x} shown in {r}");
                        self.shown.push(form);
                    }
                    None => {
                        assert!(v.is_null(), "{what}: {key} {v}");
                        self.hidden.push((format!("{what}: {key} of {r}"), form));
                    }
                }
            }
        }
    }

    /// The hidden figures the shown ones determine.
    fn determined(&self) -> Vec<String> {
        given_back(&self.shown, &self.hidden)
    }
}

fn json(db: &Path, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--suppress", "5", "--format", "json"]);
    serde_json::from_str(&run(db, &all)).unwrap()
}

use crate::common::cli::table_rows as table;

/// Every output of the queues and the forecast's summary, as equations.
fn outputs(db: &Path) -> Queues {
    let today = d("2018-08-15");
    let mut q = Queues::default();
    // A site-by-authority queue with nobody waiting on a day: a reader may know it (a site
    // serves only some authorities), so each of its pathways is a known 0 that day.
    let store = dtoc::store::Store::open(db).unwrap();
    let delays = crate::common::db::all_delays(&store);
    let mut day = d(FIRST);
    let mut zeros = 0;
    while day <= today {
        for (s, site) in SITES.iter().enumerate() {
            for (l, la) in LAS.iter().enumerate() {
                let waiting = delays.iter().any(|r| {
                    r.site_code == *site
                        && r.la_code.as_str() == *la
                        && r.ready_on <= day
                        && r.ended_on.is_none_or(|e| e > day)
                });
                if !waiting {
                    zeros += 1;
                    for p in 0..PATHWAYS.len() {
                        let f = q.cell(s, l, p, day);
                        q.shown.push(f);
                    }
                }
            }
        }
        day = day + Days::new(1);
    }
    assert!(zeros > 0);
    for from in [FIRST, "2018-08-11"] {
        for by in ["register", "site", "la"] {
            let doc = json(db, &["report", "queues", "--from", from, "--by", by]);
            let what = format!("queues --from {from} --by {by}");
            q.rows(&what, table(&doc, "queue_history"), None, Of::Register);
            q.rows(&what, table(&doc, "queues_now"), Some(today), Of::Register);
        }
    }
    for (flag, code, of) in [
        ("--la", "E10000018", Of::La("E10000018")),
        ("--site", "RWE01", Of::Site("RWE01")),
    ] {
        let doc = json(db, &["report", "queues", "--from", FIRST, flag, code]);
        let what = format!("queues {flag} {code}");
        q.rows(&what, table(&doc, "queue_history"), None, of);
        q.rows(&what, table(&doc, "queues_now"), Some(today), of);
    }
    for by in ["register", "site", "la"] {
        let doc = json(db, &["report", "forecast", "--runs", "50", "--by", by]);
        let what = format!("forecast --by {by}");
        q.rows(
            &what,
            table(&doc, "forecast_summary"),
            Some(today),
            Of::Register,
        );
    }
    // The people delayed each day, of the register, each site and each authority, all pathways
    // together: other outputs give them (`report nctr`, the discharge sitreps), so taken as known.
    let mut day = d(FIRST);
    while day <= today {
        let queues = std::iter::once(Of::Register)
            .chain(SITES.iter().map(|s| Of::Site(s)))
            .chain(LAS.iter().map(|l| Of::La(l)));
        for of in queues {
            let mut total = Form::new();
            for p in 0..PATHWAYS.len() {
                for (v, c) in q.form(of, p, day, "waiting") {
                    *total
                        .entry(v)
                        .or_insert_with(|| BigRational::from_integer(0.into())) += c;
                }
            }
            q.shown.push(total);
        }
        day = day + Days::new(1);
    }
    q
}

#[test]
fn no_hidden_queue_count_is_given_back_by_the_outputs_side_by_side() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let q = outputs(&db);
    assert!(q.hidden.len() > 100, "{} hidden", q.hidden.len());
    assert!(q.shown.len() > 200, "{} shown", q.shown.len());
    // Not everything is hidden: the register's big queues (pathways 0 and 1, 14 to 24 people)
    // are shown every day.
    let doc = json(&db, &["report", "queues", "--from", FIRST]);
    for r in table(&doc, "queue_history") {
        if r["pathway"] == "0" || r["pathway"] == "1" {
            assert!(r["waiting"].as_u64().is_some_and(|w| w > 5), "{r}");
        }
    }
    assert_eq!(q.determined(), Vec::<String>::new());
}

#[test]
fn the_check_finds_a_queue_count_given_back() {
    // The same outputs, and beside them a day's joined and left of the register's queue whose
    // waiting is hidden that day and shown the day before (what --suppress gave before it hid
    // every joined and left): the day's waiting is then a sum away, and the check must say so.
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let mut q = outputs(&db);
    assert_eq!(q.determined(), Vec::<String>::new());
    let doc = json(&db, &["report", "queues", "--from", FIRST]);
    let rows = table(&doc, "queue_history");
    let before = |r: &Value| r["day"].as_str().map(|x| d(x) - Days::new(1));
    let r = rows
        .iter()
        .find(|r| {
            r["waiting"].is_null()
                && rows.iter().any(|b| {
                    b["pathway"] == r["pathway"]
                        && b["waiting"].is_u64()
                        && b["day"].as_str().map(d) == before(r)
                })
        })
        .expect("a hidden waiting after a shown one")
        .clone();
    let day = d(r["day"].as_str().unwrap());
    let p = PATHWAYS.iter().position(|p| r["pathway"] == *p).unwrap();
    for count in ["joined", "left"] {
        let f = q.form(Of::Register, p, day, count);
        q.shown.push(f);
    }
    let said = q.determined();
    let of_day = format!("\"day\":\"{day}\"");
    assert!(
        said.iter()
            .any(|w| w.contains("waiting") && w.contains(&of_day)),
        "{said:?}"
    );
}

#[test]
fn a_queue_whose_start_is_hidden_has_its_whole_forecast_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let doc = json(&db, &["report", "forecast", "--runs", "50", "--by", "la"]);
    let summary = table(&doc, "forecast_summary");
    let days = table(&doc, "forecast");
    let mut hidden_queues = 0;
    for s in summary {
        // The weekly rates are four weeks' counts over 4: never given with --suppress.
        assert!(
            s["ready_per_week"].is_null() && s["left_per_week"].is_null(),
            "{s}"
        );
        let key = |r: &Value| (r["la_code"].clone(), r["pathway"].clone());
        let rows: Vec<&Value> = days.iter().filter(|r| key(r) == key(s)).collect();
        assert_eq!(rows.len(), 10, "{s}");
        if s["queue_now"].is_null() {
            hidden_queues += 1;
            assert!(
                s["last_queue_base"].is_null() && s["extra_per_day"].is_null(),
                "{s}"
            );
            for r in rows {
                assert!(r["queue_base"].is_null() && r["ready"].is_null(), "{r}");
                assert!(r["date"].is_string(), "{r}");
            }
        } else {
            assert!(s["last_queue_base"].is_u64(), "{s}");
            assert!(rows.iter().all(|r| r["queue_base"].is_u64()));
        }
    }
    assert!(hidden_queues > 0);
    // Several authorities as one queue is a figure the decision does not make: refused.
    let out = crate::common::cli::dtoc(&db)
        .args([
            "report",
            "queues",
            "--la",
            "E10000018",
            "--la",
            "E06000016",
            "--suppress",
            "5",
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("figures the suppression does not decide")
    );
}
