//! One length-of-stay definition (issue 24, finding 5), on the demo: shares only over the sites
//! with a denominator, acute and community apart, each row naming its sites; `report los`, the
//! Long stay screen, the Discharges screen and `chart los` agree; a stay's length of stay stops at
//! its discharge.
#![allow(clippy::unwrap_used)]

use crate::common;

use super::drd::json_rows;
use common::cli::{demo, run};
use common::{chr, draw, press, typ};
use crossterm::event::KeyCode;
use serde_json::Value;
use std::path::Path;

/// An independent recount from the stored stays: inpatients of each type of care at midnight of
/// `day` (admitted by it, not yet gone: the discharge date, else the end of a delay ended by
/// discharge, transfer or death), and those at 7+, 14+, 21+ days.
fn recount(db: &Path, day: &str, setting: &str) -> (u64, [u64; 3]) {
    let conn =
        rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .unwrap();
    conn.query_row(
        "SELECT count(*),
                sum(julianday(?1) - julianday(s.admitted_on) >= 7),
                sum(julianday(?1) - julianday(s.admitted_on) >= 14),
                sum(julianday(?1) - julianday(s.admitted_on) >= 21)
         FROM stay s JOIN site t ON t.code = s.site_code
         WHERE t.setting = ?2 AND s.admitted_on <= ?1
           AND coalesce(s.discharged_on,
                        (SELECT max(ended_on) FROM delay d WHERE d.stay_id = s.id
                           AND d.end_kind IN ('discharged', 'transferred', 'died')),
                        '9999-12-31') > ?1",
        [day, setting],
        |r| {
            let n = |i: usize| r.get::<_, i64>(i).map(|x| x as u64);
            Ok((n(0)?, [n(1)?, n(2)?, n(3)?]))
        },
    )
    .unwrap()
}

/// The `all` row of `care`, with or without a denominator.
fn all_row<'a>(rows: &'a [Value], care: &str, with_denominator: bool) -> &'a Value {
    rows.iter()
        .find(|r| {
            r["level"] == "all"
                && r["care"] == care
                && r["denominator"].is_null() != with_denominator
        })
        .unwrap_or_else(|| panic!("no all row for {care} ({with_denominator})"))
}

/// Leicestershire's row of `care` with a denominator.
fn leicestershire<'a>(rows: &'a [Value], care: &str) -> &'a Value {
    rows.iter()
        .find(|r| {
            r["level"] == "la"
                && r["code"] == "E10000018"
                && r["care"] == care
                && !r["denominator"].is_null()
        })
        .unwrap()
}

fn los_json(db: &Path, day: &str) -> Vec<Value> {
    json_rows(&run(
        db,
        &["report", "los", "--date", day, "--format", "json"],
    ))
}

#[test]
fn shares_are_over_the_sites_with_a_denominator_per_type_of_care() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let rows = los_json(&db, "2018-06-04");
    // Acute alone: the three acute sites record every stay: 15 of 94 at 14+ (16.0%).
    let acute = all_row(&rows, "acute", true);
    let (n, bands) = recount(&db, "2018-06-04", "acute");
    assert_eq!((n, bands[1]), (94, 15), "the recount");
    assert_eq!(acute["denominator"].as_u64(), Some(n));
    assert_eq!(acute["recorded"].as_u64(), Some(n));
    assert_eq!(acute["denominator_source"], "recorded stays");
    assert_eq!(acute["sites"], "RWE01 RWE02 RWE03");
    for (i, band) in ["los7", "los14", "los21"].iter().enumerate() {
        assert_eq!(acute[*band].as_u64(), Some(bands[i]), "{band}");
        let share = acute[format!("{band}_share")].as_f64().unwrap();
        assert!((share - bands[i] as f64 * 100.0 / n as f64).abs() < 1e-6);
    }
    assert_eq!(
        format!("{:.1}", acute["los14_share"].as_f64().unwrap()),
        "16.0"
    );
    // The community sites record delayed patients only and have no census: their inpatients are
    // counted, with no share, and the row says why.
    let community = all_row(&rows, "non-acute", false);
    let (m, cbands) = recount(&db, "2018-06-04", "non-acute");
    assert_eq!(cbands[1], 31);
    assert_eq!(community["recorded"].as_u64(), Some(m));
    assert_eq!(community["los14"].as_u64(), Some(31));
    assert_eq!(community["sites"], "RT501 RT502");
    assert_eq!(community["denominator_source"], "none");
    for k in [
        "los7_share",
        "los14_share",
        "los21_share",
        "denominator",
        "los14_rag",
    ] {
        assert!(community[k].is_null(), "{k}: {community}");
    }
    assert!(community["note"].as_str().unwrap().contains("no share"));
    // No row mixes acute and community sites, and no row without a denominator has a share.
    for r in &rows {
        let sites = r["sites"].as_str().unwrap();
        let acute_site = sites.contains("RWE");
        let community_site = sites.contains("RT5");
        assert!(!(acute_site && community_site), "{r}");
        if r["denominator"].is_null() {
            assert!(r["los14_share"].is_null(), "{r}");
        }
    }
    // The terminal table says the same.
    let text = run(&db, &["report", "los", "--date", "2018-06-04"]);
    assert!(text.contains("RWE01 RWE02 RWE03"), "{text}");
    assert!(!text.contains("25.85"), "the mixed share is gone: {text}");
}

#[test]
fn the_screens_show_the_figures_of_report_los() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let today = "2018-08-15";
    let rows = los_json(&db, today);
    let acute = all_row(&rows, "acute", true);
    let community = all_row(&rows, "non-acute", false);
    let cell = |r: &Value, band: &str| {
        format!(
            "{} {:.1}%",
            r[band].as_u64().unwrap(),
            r[format!("{band}_share")].as_f64().unwrap()
        )
    };
    let store = dtoc::store::Store::open(&db).unwrap();
    let mut app = dtoc::ui::App::new(store, common::today());
    // The Long stay screen: acute count and share per band, the community counts, and the delayed
    // patients named as delayed, not stranded.
    chr(&mut app, '4');
    let screen = draw(&app, 160, 48);
    let line = |start: &str| {
        screen
            .lines()
            .find(|l| l.trim_start_matches('│').trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("no line {start}: {screen}"))
            .to_string()
    };
    let acute_line = line("Acute");
    for band in ["los7", "los14", "los21"] {
        assert!(
            acute_line.contains(&cell(acute, band)),
            "{band}: {acute_line}"
        );
    }
    assert!(
        acute_line.contains(&format!(
            "{} (recorded stays, RWE01 RWE02 RWE03)",
            acute["denominator"]
        )),
        "{acute_line}"
    );
    let comm = line("Comm.");
    assert!(comm.contains(&format!("{}", community["los14"])), "{comm}");
    assert!(comm.contains("no denominator"), "{comm}");
    let delayed = line("Delayed");
    assert!(delayed.contains("delayed patients only"), "{delayed}");
    assert!(!screen.contains("(stranded)"), "{screen}");

    // The Discharges screen of this month, on today: the same cells.
    chr(&mut app, '7');
    let v = &app.screens.discharges.view;
    let find = |label: &str| &v.rows.iter().find(|(l, _)| l == label).unwrap().1[0].text;
    assert_eq!(find("Acute LOS 14+"), &cell(acute, "los14"));
    assert_eq!(find("Acute LOS 21+"), &cell(acute, "los21"));
    assert_eq!(find("Comm. LOS 14+"), &community["los14"].to_string());
    assert_eq!(
        find("Acute inpatients"),
        &format!("{} (stays)", acute["denominator"])
    );
}

#[test]
fn chart_los_draws_the_acute_shares_of_report_los() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let rows = los_json(&db, "2018-06-04");
    let la = leicestershire(&rows, "acute");
    let share = la["los14_share"].as_f64().unwrap();
    // The chart's points are those rows: read back through the same series function.
    let store = dtoc::store::Store::open(&db).unwrap();
    let day = common::d("2018-06-04");
    let la_code = dtoc::domain::LaCode::parse("E10000018").unwrap();
    let los = dtoc::report::discharge::load_los(&store, &[day], &[la_code]).unwrap();
    let points = dtoc::report::chart::los_series(&los, &[day], "E10000018");
    assert!((points[0].share_14.unwrap() - share).abs() < 1e-9);
    let svg = dir.path().join("los.svg");
    run(
        &db,
        &[
            "chart",
            "los",
            "--la",
            "E10000018",
            "--from",
            "2018-06",
            "--to",
            "2018-06",
            "--out",
            svg.to_str().unwrap(),
        ],
    );
    assert!(std::fs::read_to_string(&svg)
        .unwrap()
        .contains("acute inpatients"));
}

#[test]
fn an_ended_stays_length_of_stay_stops_at_its_discharge() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    let store = dtoc::store::Store::open(&db).unwrap();
    let mut app = dtoc::ui::App::new(store, common::today());
    // RT53937508: admitted 2017-02-18, its delay ended (unfit) on 2017-05-02, discharged 2017-05-08.
    chr(&mut app, '2');
    chr(&mut app, 't');
    chr(&mut app, '/');
    typ(&mut app, "RT53937508");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let screen = draw(&app, 160, 48);
    assert!(screen.contains("length of stay 79 days"), "{screen}");
    assert!(!screen.contains("length of stay 543 days"), "{screen}");
}

#[test]
fn a_complete_census_gives_a_community_site_its_share_and_the_others_stay_counts() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(&dir);
    // RT501's census on 4 June 2018, a cell for each of the three authorities: 20 + 25 + 5 = 50
    // inpatients. RT502 has none: its inpatients stay counted with no share. An incomplete census
    // (RT502, one authority only) gives no denominator.
    let day = common::d("2018-06-04");
    let la = |c: &str| dtoc::domain::LaCode::parse(c).unwrap();
    {
        let mut store = dtoc::store::Store::open(&db).unwrap();
        store
            .set_census_all(
                day,
                &[
                    ("RT501".into(), la("E06000016"), 20),
                    ("RT501".into(), la("E10000018"), 25),
                    ("RT501".into(), la("E06000017"), 5),
                    ("RT502".into(), la("E10000018"), 30),
                ],
            )
            .unwrap();
    }
    let rows = los_json(&db, "2018-06-04");
    let with = all_row(&rows, "non-acute", true);
    let without = all_row(&rows, "non-acute", false);
    assert_eq!(with["sites"], "RT501");
    assert_eq!(with["denominator_source"], "census");
    assert_eq!(with["denominator"], 50);
    assert_eq!(without["sites"], "RT502");
    // RT501's own row holds the same figures as the all row of the sites with a census.
    let site = rows
        .iter()
        .find(|r| r["level"] == "site" && r["code"] == "RT501")
        .unwrap();
    for k in ["los7", "los14", "los21", "denominator", "los14_share"] {
        assert_eq!(site[k], with[k], "{k}");
    }
    let k14 = with["los14"].as_u64().unwrap();
    assert_eq!(
        with["los14_share"].as_f64().unwrap(),
        k14 as f64 * 100.0 / 50.0
    );
    // The two parts add up to the community recount.
    let (_, bands) = recount(&db, "2018-06-04", "non-acute");
    assert_eq!(k14 + without["los14"].as_u64().unwrap(), bands[1]);
    // Leicestershire's census cell at RT501 is its denominator there.
    let leics = leicestershire(&rows, "non-acute");
    assert_eq!(leics["denominator"], 25);
    // The Discharges screen's cell (the Long stay screen's too) for the day: count, share, and
    // `+k` for the sites without a denominator.
    let store = dtoc::store::Store::open(&db).unwrap();
    let los = dtoc::report::discharge::load_los(&store, &[day], &[]).unwrap();
    let of = |d: bool| {
        los.iter().find(|r| {
            r.level == dtoc::report::discharge::Level::All
                && r.care == dtoc::domain::Setting::NonAcute
                && r.denominator.is_some() == d
        })
    };
    let (text, _) = dtoc::ui::screens::discharges::los_cell(of(true), of(false), 1);
    assert_eq!(
        text,
        format!(
            "{k14} {:.1}% +{}",
            k14 as f64 * 2.0,
            without["los14"].as_u64().unwrap()
        )
    );
}
