use super::*;

#[test]
fn a_cell_wider_than_any_format_width_is_written_whole() {
    let long = "x".repeat(70_000);
    let mut out = Vec::new();
    write_columns(
        &mut out,
        &[Align::Left(70_001), Align::Right(3)],
        &[vec![long.clone(), "1".into()]],
    )
    .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text, format!("{long}    1\n"));
    assert_eq!(pad("ab", 4, true), "  ab");
    assert_eq!(pad("ab", 1, false), "ab");
}
use crate::domain::YearMonth;

fn sample() -> Table {
    let mut t = Table::new("Sample", "sample");
    let m = t.column("month", Kind::Month);
    let d = t.column("days", Kind::Count);
    t.derived_column("rate", Kind::Rate, d);
    let _ = m;
    t.rows.push(vec![
        Value::Month(YearMonth::new(2018, 7).unwrap()),
        Value::Int(978),
        Value::Real(5.803_3),
    ]);
    t.rows.push(vec![
        Value::text("2018-08"),
        Value::Suppressed,
        Value::Empty,
    ]);
    t
}

#[test]
fn csv_writes_rates_to_six_places_and_stars() {
    let mut out = Vec::new();
    write_csv(&sample(), &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "month,days,rate\n2018-07,978,5.803300\n2018-08,*,\n"
    );
}

#[test]
fn text_pads_columns_and_rounds_rates_to_two_places() {
    let mut out = Vec::new();
    write_text(&sample(), &mut out).unwrap();
    // widths: month 7, days 4 ("days"), rate 4 ("rate", "5.80").
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "Sample\nmonth    days  rate\n2018-07   978  5.80\n2018-08     *     -\n"
    );
}

#[test]
fn csv_text_cells_never_start_a_formula() {
    let mut t = Table::new("T", "t");
    t.column("name", Kind::Text);
    t.column("n", Kind::Count);
    for v in [
        "=HYPERLINK(\"x\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd",
        "-2+3",
        "\tx",
        "ok",
    ] {
        t.rows.push(vec![Value::text(v), Value::Real(-5.0)]);
    }
    let mut out = Vec::new();
    write_csv(&t, &mut out).unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "name,n\n\"'=HYPERLINK(\"\"x\"\")\",-5\n'+cmd|' /C calc'!A0,-5\n'@SUM(1+1)*cmd,-5\n'-2+3,-5\n'\tx,-5\nok,-5\n"
    );
    assert_eq!(csv_safe("-12.5"), "-12.5");
    assert_eq!(csv_safe("-"), "-");
}

#[test]
fn terminal_text_escapes_control_characters() {
    let mut t = Table::new("T", "t");
    t.column("id", Kind::Text);
    t.rows
        .push(vec![Value::text("E\u{1b}]0;PWN\u{7}\u{1b}[2J")]);
    let mut out = Vec::new();
    write_text(&t, &mut out).unwrap();
    let s = String::from_utf8(out).unwrap();
    assert!(!s.contains('\u{1b}'));
    assert!(s.contains("E\\x1b]0;PWN\\x07\\x1b[2J"), "{s}");
}

#[test]
fn json_is_one_document_with_nulls_where_suppressed() {
    let today = NaiveDate::from_ymd_opt(2018, 8, 15).unwrap();
    let j = to_json(&[sample()], today);
    assert_eq!(j["report"], "sample");
    assert_eq!(j["generated_for"], "2018-08-15");
    assert_eq!(j["title"], "Sample");
    assert_eq!(j["rows"][0]["month"], "2018-07");
    assert_eq!(j["rows"][0]["days"], 978);
    assert!(j["rows"][1]["days"].is_null());
    assert!(j["rows"][1]["rate"].is_null());
    assert_eq!(j["suppressed"], serde_json::json!(["1/days"]));
    // Two tables: the `tables` list, each with its name.
    let mut second = sample();
    second.sheet = "Second one".into();
    let j = to_json(&[sample(), second], today);
    assert_eq!(j["tables"][1]["name"], "second_one");
    assert_eq!(j["tables"][1]["suppressed"], serde_json::json!(["1/days"]));
    assert!(j.get("rows").is_none());
}

#[test]
fn json_cells_are_typed() {
    let m = YearMonth::new(2017, 4).unwrap();
    assert_eq!(json_cell(Kind::Month, &Value::Month(m)), "2017-04");
    assert_eq!(json_cell(Kind::Integer, &Value::Real(21.0)), 21);
    assert_eq!(json_cell(Kind::Integer, &Value::Real(-3.0)), -3);
    assert_eq!(json_cell(Kind::Rate, &Value::Real(2.5)), 2.5);
    assert!(json_cell(Kind::Rate, &Value::Real(f64::NAN)).is_null());
    assert!(json_cell(Kind::Text, &Value::text("")).is_null());
    assert_eq!(json_cell(Kind::Bool, &Value::Bool(true)), true);
    let at = NaiveDate::from_ymd_opt(2018, 8, 15)
        .unwrap()
        .and_hms_opt(9, 5, 0)
        .unwrap();
    assert_eq!(
        json_cell(Kind::DateTime, &Value::DateTime(at)),
        "2018-08-15T09:05:00Z"
    );
}

#[test]
fn json_keys_are_snake_case_and_distinct() {
    assert_eq!(json_key("hit and miss"), "hit_and_miss");
    assert_eq!(json_key("hit_and_miss"), "hit_and_miss");
    assert_eq!(json_key("/100k mth"), "100k_mth");
    assert_eq!(json_key("queue_cap-10"), "queue_cap_minus_10");
    assert_eq!(json_key("queue_cap+10"), "queue_cap_plus_10");
    assert_eq!(json_key("Target days"), "target_days");
    assert_eq!(json_key("days_2-3"), "days_2_3");
    let mut t = Table::new("T", "t");
    t.column("a b", Kind::Text);
    t.column("a_b", Kind::Text);
    assert_eq!(json_keys(&t), ["a_b", "a_b_2"]);
}

#[test]
fn xlsx_names_suppressed_cells_by_reference() {
    // Title, no notes, the note row, then the header on row 2 (from 0): data from row 4 (from 1).
    assert_eq!(
        suppressed_note(&sample(), 2).as_deref(),
        Some("Suppressed figures (shown *), 1 cell: B5")
    );
    let mut t = sample();
    t.rows[1][1] = Value::Int(3);
    assert_eq!(suppressed_note(&t, 1), None);
    assert_eq!(column_letters(0), "A");
    assert_eq!(column_letters(25), "Z");
    assert_eq!(column_letters(26), "AA");
    assert_eq!(column_letters(27 * 26), "AAA");
}
