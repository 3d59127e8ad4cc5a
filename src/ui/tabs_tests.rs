//! The tab row: it fits every width from 80 up whatever the number of screens, and the screen
//! shown always has its tab. (Snapshots leave the tab row out: see `render_text`.)

use super::*;

const WIDTHS: [usize; 3] = [80, 100, 160];

/// Fourteen screens, some with long titles: more than fit at 80 or 100 columns.
fn synthetic() -> Vec<(String, String)> {
    (0..14)
        .map(|i| (format!("Synthetic screen {i}"), format!("Syn{i}")))
        .collect()
}

fn text(tabs: &[(String, bool)]) -> String {
    tabs.iter().map(|(s, _)| s.as_str()).collect()
}

#[test]
fn the_registered_tabs_fit_each_width() {
    let titles: Vec<(&str, &str)> = ScreenId::ALL
        .iter()
        .map(|id| (id.title(), id.short()))
        .collect();
    for width in WIDTHS {
        for active in 0..titles.len() {
            let tabs = tabs_fitted(&titles, active, width, width >= 100);
            assert!(tabs_width(&tabs) <= width, "{width}: {}", text(&tabs));
            let shown: Vec<&(String, bool)> = tabs.iter().filter(|(_, a)| *a).collect();
            assert_eq!(shown.len(), 1, "{width}: {}", text(&tabs));
        }
    }
    // The first nine (what a number key reaches) fit as titles at 160 and as short labels at 80
    // and 100, none left out, whatever comes after them.
    let nine = &titles[..titles.len().min(9)];
    let wide = text(&tabs_fitted(nine, 0, 160, true));
    assert!(
        wide.starts_with("1 Dashboard 2 Register 3 Board round"),
        "{wide}"
    );
    assert!(wide.ends_with("9 Reconcile"), "{wide}");
    for width in [80, 100] {
        let narrow = text(&tabs_fitted(nine, 8, width - 17, width >= 100));
        assert!(narrow.starts_with("1 Dash 2 Reg 3 Board"), "{narrow}");
        assert!(narrow.ends_with("9 Rec"), "{narrow}");
    }
}

#[test]
fn a_long_list_scrolls_around_the_screen_shown() {
    let owned = synthetic();
    let titles: Vec<(&str, &str)> = owned
        .iter()
        .map(|(t, s)| (t.as_str(), s.as_str()))
        .collect();
    for width in WIDTHS {
        for active in 0..titles.len() {
            let tabs = tabs_fitted(&titles, active, width, width >= 100);
            let line = text(&tabs);
            assert!(tabs_width(&tabs) <= width, "{width}: {line}");
            let (shown, _) = tabs.iter().find(|(_, a)| *a).expect("the shown tab");
            assert!(shown.contains(&format!("Syn{active}")), "{width}: {line}");
            // Tabs left out are marked on their side.
            assert_eq!(line.starts_with('‹'), !line.starts_with("1 Syn0"), "{line}");
            assert_eq!(line.ends_with('›'), !line.ends_with("Syn13"), "{line}");
        }
    }
    // Past the ninth, no number: the `0` list reaches them.
    let line = text(&tabs_fitted(&titles, 13, 160, true));
    assert!(
        line.ends_with(" Syn13") || line.ends_with(" Synthetic screen 13"),
        "{line}"
    );
    assert!(!line.contains(" 10 "), "{line}");
}

#[test]
fn the_tab_row_fits_with_the_date_and_a_demo_notice() {
    let mut app = App::new(
        crate::store::Store::open_in_memory().expect("store"),
        chrono::NaiveDate::from_ymd_opt(2018, 8, 15).expect("date"),
    );
    for demo in [None, Some(app.today)] {
        app.demo_today = demo;
        for width in WIDTHS {
            for id in ScreenId::ALL {
                app.screen = *id;
                let line = tab_bar(&app, width as u16).to_string();
                assert!(line.chars().count() <= width, "{width}: {line}");
                assert!(
                    line.contains(id.short()) || line.contains(id.title()),
                    "{width}: {line}"
                );
                assert!(line.ends_with("2018-08-15"), "{width}: {line}");
            }
        }
    }
    app.demo_today = None;
    app.screen = ScreenId::ALL[0];
    // The app's name where the full titles leave room for it (13 screens: from 165 columns).
    let full = render_text_with_tabs(&app, 165, 48);
    assert!(full.starts_with("dtoc 1 Dashboard"), "{full}");
    assert!(!render_text(&app, 160, 48).starts_with("dtoc"));
}
