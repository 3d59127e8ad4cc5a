use super::*;

fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, day)
}

#[test]
fn dates_as_trackers_write_them() {
    for (s, want) in [
        ("03/07/18", d(2018, 7, 3)),
        ("3/7/18", d(2018, 7, 3)),
        ("03/07/2018", d(2018, 7, 3)),
        ("03-07-2018", d(2018, 7, 3)),
        ("03.07.2018", d(2018, 7, 3)),
        ("2018-07-03", d(2018, 7, 3)),
        ("2018-07-03T00:00:00", d(2018, 7, 3)),
        ("03/07/2018 14:30", d(2018, 7, 3)),
        // Two-digit years are 20yy, whatever the number: 99 is 2099 (refused later as future).
        ("01/01/99", d(2099, 1, 1)),
        ("31/12/00", d(2000, 12, 31)),
        ("43284", d(2018, 7, 3)),
        ("31/02/18", None),
        ("13/13/2018", None),
        ("July 3rd", None),
        ("t-1", None),
        ("", None),
        ("123", None),
    ] {
        assert_eq!(parse_text_date(s), want, "{s}");
    }
}

#[test]
fn excel_serials_count_as_excel_does() {
    // Excel shows 43284 as 03/07/2018, 1 as 01/01/1900, 61 as 01/03/1900; 60 is its
    // 29/02/1900, which never was.
    assert_eq!(excel_serial(43284.0), d(2018, 7, 3));
    assert_eq!(excel_serial(43284.75), d(2018, 7, 3));
    assert_eq!(excel_serial(1.0), d(1900, 1, 1));
    assert_eq!(excel_serial(59.0), d(1900, 2, 28));
    assert_eq!(excel_serial(60.0), None);
    assert_eq!(excel_serial(61.0), d(1900, 3, 1));
    assert_eq!(excel_serial(0.5), None);
    assert_eq!(excel_serial(-3.0), None);
    assert_eq!(parse_date(&Cell::Number(43101.0)), d(2018, 1, 1));
    assert_eq!(
        parse_date(&Cell::Date(d(2018, 7, 3).unwrap())),
        d(2018, 7, 3)
    );
}

fn sheet(rows: &[&[&str]]) -> Sheet {
    Sheet {
        name: Some("Delays".into()),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                (
                    i as u32 + 1,
                    r.iter()
                        .map(|c| {
                            if c.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(c.to_string())
                            }
                        })
                        .collect(),
                )
            })
            .collect(),
    }
}

#[test]
fn the_header_is_the_first_row_naming_two_known_columns() {
    let s = sheet(&[
        &["Discharge tracker: Ward 7", "", ""],
        &["Reason", "", ""],
        &[],
        &["Hosp No", "Date MFFD", "Notes"],
        &["H1", "03/07/18", "x"],
    ]);
    assert_eq!(find_header(&s), Some(3));
    // Two headers naming one column are one known column.
    let s = sheet(&[&["Reason", "Delay reason"], &["Ward", "Bed"]]);
    assert_eq!(find_header(&s), Some(1));
    assert_eq!(
        find_header(&sheet(&[&["Name", "Notes"], &["a", "b"]])),
        None
    );
}

#[test]
fn a_cell_reads_as_its_column_needs() {
    let m = Mapping::default();
    let none = HashMap::new();
    let t = |col: &str, c: Cell| translate(col, &c, &m, &none);
    assert_eq!(
        t("reason", Cell::Text("Di - awaiting home".into())),
        Ok("Di".into())
    );
    assert_eq!(t("reason", Cell::Text("dii".into())), Ok("Dii".into()));
    let (value, rule) = t("reason", Cell::Text("D - awaiting care home".into())).unwrap_err();
    assert_eq!(value.as_deref(), Some("D - awaiting care home"));
    assert!(rule.starts_with("not a reason code (D is Di"), "{rule}");
    assert_eq!(
        t("delay_start", Cell::Number(43284.0)),
        Ok("2018-07-03".into())
    );
    assert_eq!(t("local_id", Cell::Number(100234.0)), Ok("100234".into()));
    assert_eq!(
        t("nhs_number", Cell::Text("943 476 5919".into())),
        Ok("9434765919".into())
    );
    // An NHS number in another column: refused, masked, never echoed.
    let (value, rule) = t("local_id", Cell::Number(9434765919.0)).unwrap_err();
    assert_eq!(value, None);
    assert!(rule.contains("*** *** 5919"), "{rule}");
    assert!(!rule.contains("9434765919"), "{rule}");
    let mut authorities = HashMap::new();
    authorities.insert(
        "leicestershire".to_string(),
        LaCode::parse("E10000018").unwrap(),
    );
    assert_eq!(
        translate(
            "la_code",
            &Cell::Text("Leicestershire".into()),
            &m,
            &authorities
        ),
        Ok("E10000018".into())
    );
}
