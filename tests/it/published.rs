//! `dtoc import published`: NHS England's published returns (public aggregate data, kept in
//! `tests/data/published`, described in its README, so a clean clone can run this).

use crate::common;

use common::db::*;
use dtoc::import::published::{read_published, Layout, ENGLAND};
use dtoc::store::PublishedMonth;

fn published(name: &str) -> std::path::PathBuf {
    data(&format!("published/{name}"))
}

fn leics_july(store: &dtoc::store::Store) -> PublishedMonth {
    let rows = store
        .published_totals(
            &["E10000018".to_string()],
            month("2018-07"),
            month("2018-07"),
        )
        .unwrap();
    assert_eq!(rows.len(), 1);
    rows[0].clone()
}

#[test]
fn the_full_collated_returns_import_and_leicestershire_july_2018_reads_978() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);

    let reason = read_published(&published("DToC_Days_Reason_for_Delay.csv"), None).unwrap();
    assert_eq!(reason.layout, Layout::CollatedReason);
    // 15,848 lines: 1 header + 15,847 data rows (105 months × about 151 areas), every one read.
    assert_eq!(reason.rows, 15_847);
    assert_eq!(reason.skipped, vec![(1, "header row".to_string())]);
    // 12 value columns a row (11 reasons + total); 'Other' is NA before April 2017 and 11 cells
    // are '-': 10,872 + 11 = 10,883 missing (counted with a script over the CSV).
    assert_eq!(reason.figures.len(), 15_847 * 12);
    assert_eq!(reason.missing, 10_883);
    let s = store.import_published(&reason).unwrap();
    assert_eq!((s.figures, s.replaced, s.without_code), (190_164, 0, 0));

    let org = read_published(&published("DToC_Days_Responsible_Organisation.csv"), None).unwrap();
    assert_eq!(org.layout, Layout::CollatedOrganisation);
    assert_eq!(org.rows, 15_847);
    assert_eq!(org.missing, 3);
    let s = store.import_published(&org).unwrap();
    // Every name of the by-organisation file matched the by-reason file's code for its month.
    assert_eq!((s.figures, s.without_code), (47_541, 0));

    // docs/measures.md: Leicestershire July 2018, 978 delayed days: NHS 865, Social Care 85, Both 28.
    let l = leics_july(&store);
    assert_eq!(l.la_name, "Leicestershire");
    assert_eq!(
        (l.total, l.nhs, l.social_care, l.both),
        (Some(978), Some(865), Some(85), Some(28))
    );
    // Legacy codes are kept: Leicestershire was 508 until May 2015. April 2011: 749 delayed
    // days; NHS 618, Social Care 50, Both 81 (the two files' April 2011 rows; 618 + 50 + 81 = 749).
    let old = store
        .published_totals(&["508".to_string()], month("2011-04"), month("2011-04"))
        .unwrap();
    assert_eq!(old.len(), 1);
    assert_eq!(old[0].la_name, "Leicestershire");
    assert_eq!(
        (old[0].total, old[0].nhs, old[0].social_care, old[0].both),
        (Some(749), Some(618), Some(50), Some(81))
    );
    // Asking by the ONS code finds the legacy months too (same name in the returns), under the
    // code asked for: April 2011 to July 2018 is 88 months, every one published.
    let all = store
        .published_totals(
            &["E10000018".to_string()],
            month("2011-04"),
            month("2018-07"),
        )
        .unwrap();
    assert_eq!(all.len(), 88);
    assert!(all
        .iter()
        .all(|x| x.la_code == "E10000018" && x.total.is_some()));
    assert_eq!(all[0].total, Some(749));
    // England is stored under its ONS code; April 2019: 130,773 days (first data line of the file).
    let eng = store
        .published_totals(&[ENGLAND.to_string()], month("2019-04"), month("2019-04"))
        .unwrap();
    assert_eq!(eng[0].total, Some(130_773));

    // Importing the same file again replaces its rows: same figures, nothing doubled.
    let again = store.import_published(&reason).unwrap();
    assert_eq!(again.replaced, 190_164);
    let l2 = leics_july(&store);
    assert_eq!(l2, l);
    let n: i64 = rusqlite::Connection::open(dir.path().join("dtoc.db"))
        .unwrap()
        .query_row("SELECT count(*) FROM published_figure", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 190_164 + 47_541);
}

#[test]
fn the_la_type_b_sheets_import_with_their_month_from_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = new_store(&dir);
    for (name, layout, values) in [
        (
            "LA-Type-B-July-2018_la_by_reason.csv",
            Layout::TypeBReason,
            12,
        ),
        (
            "LA-Type-B-July-2018_la_by_responsible_org.csv",
            Layout::TypeBOrganisation,
            4,
        ),
        (
            "LA-Type-B-July-2018_la_by_type_of_care.csv",
            Layout::TypeBTypeOfCare,
            3,
        ),
    ] {
        let f = read_published(&published(name), None).unwrap();
        assert_eq!(f.layout, layout, "{name}");
        // England + 151 authorities + 3 rows for residents outside England = 155 data rows.
        assert_eq!(f.rows, 155, "{name}");
        assert_eq!(f.figures.len(), 155 * values, "{name}");
        assert!(f.figures.iter().all(|x| x.month == month("2018-07")));
        store.import_published(&f).unwrap();
    }
    let l = leics_july(&store);
    assert_eq!(
        (l.total, l.nhs, l.social_care, l.both),
        (Some(978), Some(865), Some(85), Some(28))
    );
    // Acute 564, non-acute 414 (docs/measures.md).
    let conn = rusqlite::Connection::open(dir.path().join("dtoc.db")).unwrap();
    let care: Vec<(String, i64)> = conn
        .prepare("SELECT setting, days FROM published_figure WHERE la_code = 'E10000018' AND setting IS NOT NULL ORDER BY setting")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(care, vec![("acute".into(), 564), ("non-acute".into(), 414)]);
    // Reason Di by code prefix: 142 (the "Di) Awaiting residential home …" column).
    let di: i64 = conn
        .query_row(
            "SELECT days FROM published_figure WHERE la_code = 'E10000018' AND reason = 'Di'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(di, 142);
    // Non-authority rows keep their published code: Resident in Wales is 9900.
    let wales: String = conn
        .query_row(
            "SELECT la_name FROM published_figure WHERE la_code = '9900' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(wales, "Resident In Wales");
}
