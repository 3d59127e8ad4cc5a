//! Error line numbers are the same for CRLF files (as Windows spreadsheets save them) as for LF
//! files: every CSV reader is given a file whose line 3 holds one bad value, once with LF and once
//! with CRLF line ends, and must say "line 3" both times.

use crate::common::db::delays_header;
use chrono::NaiveDate;
use dtoc::import;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 12, 31).expect("a date")
}

/// The lines joined with `end` after each, as a spreadsheet saves them.
fn file(lines: &[&str], end: &str) -> Vec<u8> {
    lines
        .iter()
        .flat_map(|l| [*l, end])
        .collect::<String>()
        .into_bytes()
}

/// Runs `read` on the LF and the CRLF file and checks both errors are `expected` (which names line 3).
fn line_3_both_ways<T: std::fmt::Debug>(
    lines: &[&str],
    read: impl Fn(&[u8]) -> dtoc::Result<T>,
    expected: &str,
) {
    assert!(expected.contains(" line 3"), "the expectation names line 3");
    for end in ["\n", "\r\n"] {
        let err = read(&file(lines, end)).expect_err("line 3 is bad");
        assert_eq!(err.to_string(), expected, "line ends {end:?}");
    }
}

#[test]
fn delays_crlf_bad_reason_on_line_3() {
    line_3_both_ways(
        &[
            delays_header!(),
            "P1,9992238542,RT5,RT502,non-acute,E10000018,2018-01-11,2018-01-13,2018-01-20,G,NHS,2018-01-20,0",
            "P2,9994520512,RWE,RWE01,acute,E10000018,2018-01-29,2018-02-08,2018-02-13,Z,NHS,2018-02-13,1",
        ],
        |b| import::read_delays_bytes("delays.csv", b, today()),
        "delays.csv line 3, reason Z: not a reason code (expected A, B, C, Di, Dii, E, F, G, H, I or O)",
    );
}

#[test]
fn population_crlf_bad_year_on_line_3() {
    line_3_both_ways(
        &[
            "la_code,la_name,year,population_18plus",
            "E06000016,Leicester,2017,277800",
            "E06000016,Leicester,20x8,280300",
        ],
        |b| import::read_population_bytes("population.csv", b),
        "population.csv line 3, year 20x8: not a year from 1990 to 2100",
    );
}

#[test]
fn targets_crlf_bad_month_on_line_3() {
    line_3_both_ways(
        &[
            "la_code,month,measure,unit,value",
            "E06000016,2017-04,total,per_100k_month,320.0",
            "E06000016,2017-13,total,per_100k_month,320.0",
        ],
        |b| import::read_targets_bytes("targets.csv", b),
        "targets.csv line 3, month 2017-13: not a month in the form YYYY-MM",
    );
}

#[test]
fn stays_crlf_bad_pathway_on_line_3() {
    line_3_both_ways(
        &[
            "local_id,nhs_number,site,la_code,admitted_on,discharged_on,pathway,destination",
            "S1,9993922188,RT501,E10000018,2018-11-18,2018-11-23,0,p0_home",
            "S2,9994349678,RT502,E10000018,2018-04-11,2018-04-23,7,p2_community_rehab",
        ],
        |b| import::read_stays_bytes("stays.csv", b, today()),
        "stays.csv line 3, pathway 7: not a pathway (expected 0, 1, 2 or 3)",
    );
}

#[test]
fn discharge_targets_crlf_bad_percent_on_line_3() {
    line_3_both_ways(
        &[
            "la_code,month,measure,percent",
            "E06000016,2018-04,pathway1_share,45",
            "E06000016,2018-04,within_24h_share,175",
        ],
        |b| import::read_discharge_targets_bytes("discharge_targets.csv", b),
        "discharge_targets.csv line 3, percent 175: not a percentage from 0 to 100",
    );
}

#[test]
fn reported_totals_crlf_bad_days_on_line_3() {
    line_3_both_ways(
        &[
            "month,la_code,measure,delayed_days",
            "2018-05,E10000018,total,125",
            "2018-06,E10000018,total,-3",
        ],
        |b| import::reported::read_reported_bytes("reported.csv", b),
        "reported.csv line 3, delayed_days -3: not a whole number of 0 or more",
    );
}

#[test]
fn reported_days_crlf_bad_date_on_line_3() {
    line_3_both_ways(
        &[
            "month,local_id,date,reason,attribution",
            "2018-05,P1,2018-05-03,E,Social Care",
            "2018-05,P1,2018-06-01,E,NHS",
        ],
        |b| import::reported::read_reported_bytes("may.csv", b),
        "may.csv line 3, date 2018-06-01: is not in the month 2018-05 of this row",
    );
}

#[test]
fn a_short_row_on_line_3_of_a_crlf_file() {
    line_3_both_ways(
        &[
            "la_code,la_name,year,population_18plus",
            "E06000016,Leicester,2017,277800",
            "E06000016,Leicester,2018",
        ],
        |b| import::read_population_bytes("population.csv", b),
        "population.csv line 3: has 3 fields, the header has 4 (a comma inside a value needs quotes)",
    );
}
