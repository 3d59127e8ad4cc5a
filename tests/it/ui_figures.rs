//! The app keeps what it shows up to date from each save (its own: the write's changes; another
//! user's: the audit log's new entries) instead of reading everything again. These tests prove
//! the figures stay exactly right: after every save the app's register rows, month totals, open
//! counts, monthly report, forecast, dashboard and long-stay list equal what a fresh app on the
//! same database reads, and the totals equal the store's own `month_totals` and `open_counts`.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::*;
use crossterm::event::KeyCode;
use dtoc::domain::{Attribution, EndKind, LaCode, ReasonCode, YearMonth};
use dtoc::store::{EditDelay, EndDelay, Placement, ReasonChange};
use dtoc::ui::App;

fn id_of(app: &App, local_id: &str) -> (i64, i64) {
    let d = app
        .data
        .delays
        .iter()
        .find(|d| d.local_id == local_id)
        .unwrap();
    (d.delay_id, d.version)
}

fn long_stay_ids(app: &App) -> Vec<i64> {
    dtoc::ui::screens::long_stay::waiters(app)
        .iter()
        .map(|d| d.delay_id)
        .collect()
}

/// The app's state equals a fresh app's on the same database, and its totals the store's.
#[track_caller]
fn same_as_fresh(app: &mut App, dir: &tempfile::TempDir, what: &str) {
    let back = app.screen;
    chr(app, '4');
    chr(app, '1');
    let mut fresh = App::new(open_store(dir), today());
    chr(&mut fresh, '4');
    chr(&mut fresh, '1');
    let this = YearMonth::of(today());
    let from = this.add_months(-12);
    assert_eq!(app.data.delays, fresh.data.delays, "{what}: register rows");
    assert_eq!(
        app.data.totals,
        app.store.month_totals(from, this, &[], today()).unwrap(),
        "{what}: month totals"
    );
    assert_eq!(
        app.data.open,
        app.store.open_counts(today()).unwrap(),
        "{what}: open counts"
    );
    assert_eq!(app.data.totals, fresh.data.totals, "{what}: totals");
    assert_eq!(
        format!("{:?}", app.data.monthly),
        format!("{:?}", fresh.data.monthly),
        "{what}: monthly report"
    );
    assert_eq!(app.data.forecast, fresh.data.forecast, "{what}: forecast");
    assert_eq!(
        app.screens.dashboard.rows, fresh.screens.dashboard.rows,
        "{what}: dashboard"
    );
    assert_eq!(
        long_stay_ids(app),
        long_stay_ids(&fresh),
        "{what}: long stay"
    );
    assert_eq!(
        app.screens.long_stay.bands, fresh.screens.long_stay.bands,
        "{what}: bands"
    );
    app.screen = back;
}

#[test]
fn the_apps_own_saves_keep_every_figure_exactly_right() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    // The Dashboard is shown first: the figures are read once.
    same_as_fresh(&mut app, &dir, "start");
    chr(&mut app, '2');
    let reloads = app.full_reloads;

    // A new delay through the add form.
    chr(&mut app, 'a');
    typ(&mut app, "H100");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "1/7/18");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "rx1");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Down);
    set_field(&mut app, "E06000017");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "3/7/18");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "Di");
    press(&mut app, KeyCode::Tab);
    typ(&mut app, "nhs");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.map(|f| f.form.error));
    same_as_fresh(&mut app, &dir, "add");

    // A new reason from a day of July (a closed period of a month before today's: stored).
    chr(&mut app, '2');
    select(&mut app, "H100");
    chr(&mut app, 'r');
    set_field(&mut app, "20/7/18");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "E");
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "sc");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.map(|f| f.form.error));
    same_as_fresh(&mut app, &dir, "change reason");

    // The ready date moved (periods rewritten) and the site changed, through the edit form.
    chr(&mut app, '2');
    select(&mut app, "H001");
    press(&mut app, KeyCode::Enter);
    chr(&mut app, 'e');
    set_field(&mut app, "25/6/18");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    set_field(&mut app, "Community Hosp");
    press(&mut app, KeyCode::Enter);
    assert!(app.form.is_none(), "{:?}", app.form.map(|f| f.form.error));
    press(&mut app, KeyCode::Esc);
    same_as_fresh(&mut app, &dir, "edit");

    // Ended in the middle of July, straight through the store as a form's save does, then
    // the app's follow-up of its own save.
    let (id, version) = id_of(&app, "H100");
    app.store
        .end_delay(
            &EndDelay {
                delay_id: id,
                version,
                on: d("2018-07-28"),
                kind: EndKind::UnfitAgain,
                pathway: None,
                destination: None,
                usual_residence: None,
            },
            today(),
        )
        .unwrap();
    let stay = app.stay_of(id).unwrap();
    app.reload_stay(stay);
    same_as_fresh(&mut app, &dir, "end");

    // Two writes before the follow-up: both are taken into account.
    let (id, version) = id_of(&app, "H002");
    app.store
        .change_reason(
            &ReasonChange {
                delay_id: id,
                version,
                from: d("2018-08-05"),
                reason: ReasonCode::A,
                attribution: Attribution::Both,
                acute_reason: None,
            },
            today(),
        )
        .unwrap();
    app.store.mark_reviewed(id, today()).unwrap();
    let stay = app.stay_of(id).unwrap();
    app.reload_stay(stay);
    same_as_fresh(&mut app, &dir, "two writes");

    // Deleted, through the confirm.
    chr(&mut app, '2');
    select(&mut app, "H003");
    chr(&mut app, 'd');
    chr(&mut app, 'y');
    same_as_fresh(&mut app, &dir, "delete");
    assert_eq!(app.full_reloads, reloads, "every save followed alone");
}

#[test]
fn another_users_saves_are_read_one_by_one_and_keep_every_figure_exactly_right() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = populated_app(&dir);
    same_as_fresh(&mut app, &dir, "start");
    chr(&mut app, '2');
    let mut other = open_store(&dir);
    other.set_user("other").unwrap();
    let rutland = LaCode::parse("E06000017").unwrap();

    // A new delay ready in June (stored months), a reason changed, one moved to another
    // authority, one ended in July, a placement, a review, a delete: each read alone.
    let h5 = add(
        &mut other,
        "H005",
        None,
        "2018-06-01",
        "RX2",
        "E06000017",
        "2018-06-10",
        ReasonCode::B,
        Attribution::Nhs,
        None,
    );
    let reloads = app.full_reloads;
    app.tick();
    same_as_fresh(&mut app, &dir, "other's add");
    assert_eq!(app.full_reloads, reloads, "add");

    let (id, version) = id_of(&app, "H001");
    other
        .change_reason(
            &ReasonChange {
                delay_id: id,
                version,
                from: d("2018-07-15"),
                reason: ReasonCode::F,
                attribution: Attribution::Nhs,
                acute_reason: None,
            },
            today(),
        )
        .unwrap();
    app.tick();
    same_as_fresh(&mut app, &dir, "other's reason");
    assert_eq!(app.full_reloads, reloads, "reason");

    let (id, version) = id_of(&app, "H001");
    other
        .edit_delay(
            &EditDelay {
                delay_id: id,
                version,
                la_code: Some(rutland.clone()),
                ..EditDelay::default()
            },
            today(),
        )
        .unwrap();
    app.tick();
    same_as_fresh(&mut app, &dir, "other's authority");
    assert_eq!(app.full_reloads, reloads, "authority");

    let version = other.delay_row(h5).unwrap().unwrap().version;
    other
        .end_delay(
            &EndDelay {
                delay_id: h5,
                version,
                on: d("2018-07-20"),
                kind: EndKind::Died,
                pathway: None,
                destination: None,
                usual_residence: None,
            },
            today(),
        )
        .unwrap();
    app.tick();
    same_as_fresh(&mut app, &dir, "other's end");
    assert_eq!(app.full_reloads, reloads, "end");

    let (id, version) = id_of(&app, "H002");
    other
        .set_placement(
            id,
            version,
            &Placement {
                ward: Some("Ward 7".into()),
                bed: Some("12".into()),
                expected_on: Some(d("2018-08-20")),
            },
            today(),
        )
        .unwrap();
    other.mark_reviewed(id, today()).unwrap();
    app.tick();
    same_as_fresh(&mut app, &dir, "other's placement and review");
    assert_eq!(app.full_reloads, reloads, "placement");

    // Our own save and theirs between two ticks.
    let (id, version) = id_of(&app, "H003");
    other.delete_delay(id, version).unwrap();
    let (mine, version) = id_of(&app, "H002");
    app.store
        .change_reason(
            &ReasonChange {
                delay_id: mine,
                version,
                from: d("2018-08-12"),
                reason: ReasonCode::G,
                attribution: Attribution::SocialCare,
                acute_reason: None,
            },
            today(),
        )
        .unwrap();
    let stay = app.stay_of(mine).unwrap();
    app.reload_stay(stay);
    app.tick();
    same_as_fresh(&mut app, &dir, "both");
    // Every save so far was followed alone.
    assert_eq!(app.full_reloads, reloads);

    // Reference data: everything read again.
    other.set_population(&rutland, None, 2018, 34_000).unwrap();
    app.tick();
    same_as_fresh(&mut app, &dir, "other's population");
    assert_eq!(app.full_reloads, reloads + 1);
}

#[test]
fn the_dashboards_delayed_now_are_those_of_today_even_back_dated() {
    // The "LOS 14+/21+ of all delayed now" columns counted the delays open in the database now:
    // on a day before the demo's delays they read 0/8 beside NHS 0, SC 0, Both 0 (delays that
    // begin two years later), and on 10 April 2017 0/0 beside 27 patients delayed (those delays
    // have ended since). They are now counted as of the day, recounted here from every delay.
    let dir = tempfile::tempdir().unwrap();
    let db = common::cli::demo(&dir);
    let store = dtoc::store::Store::open(&db).unwrap();
    let delays = common::db::all_delays(&store);
    for (day, some) in [
        ("2016-06-01", false),
        ("2017-04-10", true),
        ("2018-08-15", true),
    ] {
        // (On 2016-06-01, before coverage, nobody is delayed yet: the figures are 0 by count and
        // blank on screen.)
        let today = common::d(day);
        let store = dtoc::store::Store::open(&db).unwrap();
        let app = App::new(store, today);
        let rows = &app.screens.dashboard.rows;
        assert_eq!(rows.len(), 3, "{day}");
        for r in rows {
            let by_attribution: u64 = r.now.iter().sum();
            assert_eq!(r.delayed_now as u64, by_attribution, "{day} {}", r.la_name);
            let open: Vec<_> = delays
                .iter()
                .filter(|d| {
                    d.la_code == r.la_code
                        && d.ready_on <= today
                        && d.ended_on.is_none_or(|e| e > today)
                })
                .collect();
            assert_eq!(r.delayed_now, open.len(), "{day} {}", r.la_name);
            let los = |n: i64| {
                open.iter()
                    .filter(|d| (today - d.admitted_on).num_days() >= n)
                    .count()
            };
            assert_eq!(
                (r.los14, r.los21),
                (los(14), los(21)),
                "{day} {}",
                r.la_name
            );
        }
        let all: usize = rows.iter().map(|r| r.delayed_now).sum();
        assert_eq!(all > 0, some, "{day}: {all}");
        // Before coverage the screen shows why, and no figure.
        let text = draw(&app, 80, 24);
        let before = "before the register's coverage (from 2017-04-01): blank, not 0";
        assert_eq!(text.contains(before), !some, "{day}: {text}");
        let long: usize = rows.iter().map(|r| r.los14).sum();
        assert_eq!(long > 0, some, "{day}: {long} at 14+ days");
    }
}
