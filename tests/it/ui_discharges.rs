//! The Discharges screen (7): keys and the figures it holds, on the small populated register.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use dtoc::domain::YearMonth;
use dtoc::ui::keymap::ScreenId;

fn cell<'a>(app: &'a dtoc::ui::App, label: &str, col: usize) -> &'a str {
    let row = app
        .screens
        .discharges
        .view
        .rows
        .iter()
        .find(|(l, _)| l == label)
        .unwrap_or_else(|| panic!("no row {label}"));
    &row.1[col].text
}

#[test]
fn discharges_screen_moves_between_months_and_shows_length_of_stay() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    chr(&mut app, '7');
    assert_eq!(app.screen, ScreenId::Discharges);
    let v = &app.screens.discharges.view;
    assert_eq!(v.month, YearMonth::new(2018, 8));
    assert_eq!(v.columns, vec!["All", "Leicestershire", "Rutland"]);
    // On 2018-08-15 the inpatients are the three delayed patients: H001 (admitted 20 June, 56
    // days, RX1 acute), H002 (25 July, 21 days, RX2 community), H003 (5 August, 10 days, RX1);
    // H004 left in June. Only delayed patients are recorded, and the census has one cell of four
    // (RX1, Leicestershire): no site has a complete census, so there is no denominator and no
    // share (issue 24): counts only, acute and community apart.
    assert_eq!(cell(&app, "Acute inpatients", 0), "no denom.");
    assert_eq!(cell(&app, "Acute LOS 7+", 0), "2");
    assert_eq!(cell(&app, "Acute LOS 14+", 0), "1");
    assert_eq!(cell(&app, "Acute LOS 21+", 0), "1");
    assert_eq!(cell(&app, "Comm. LOS 21+", 0), "1");
    // Rutland (H002): a count, no share; it has no acute inpatient.
    assert_eq!(cell(&app, "Comm. LOS 21+", 2), "1");
    assert_eq!(cell(&app, "Acute LOS 21+", 2), "-");
    // Not meeting the criteria / discharged / remaining on the day.
    assert_eq!(cell(&app, "NCTR / disch. / left", 0), "3/0/3");

    chr(&mut app, '[');
    assert_eq!(app.screens.discharges.view.month, YearMonth::new(2018, 7));
    // 31 July: H001 (41 days, acute) and H002 (6 days, community) are in; H003 not yet admitted.
    assert_eq!(cell(&app, "Acute LOS 7+", 0), "1");
    chr(&mut app, ']');
    chr(&mut app, ']');
    assert_eq!(app.screens.discharges.view.month, YearMonth::new(2018, 8));
    // j moves the selection, g/G to the ends.
    chr(&mut app, 'j');
    assert_eq!(app.screens.discharges.selected, 1);
    chr(&mut app, 'G');
    assert_eq!(
        app.screens.discharges.selected,
        app.screens.discharges.view.rows.len() - 1
    );
}
