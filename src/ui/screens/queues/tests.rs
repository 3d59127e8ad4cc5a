//! The screen's figures on delays worked by hand.

use super::*;
use crate::domain::Pathway;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn ep(ready: &str, ended: Option<&str>, pw: Option<Pathway>, site: &str, la: &str) -> Episode {
    Episode {
        ready: d(ready),
        ended: ended.map(d),
        pathway: pw,
        site: site.into(),
        authority: la.into(),
    }
}

/// Three waiting for pathway 1 (one of them leaving on 15 Aug), one for pathway 3 ready on 15 Aug,
/// one with no pathway; sites S1 and S2, authorities A and B.
fn five_episodes() -> Vec<Episode> {
    vec![
        ep("2018-08-01", None, Some(Pathway::P1), "S1", "A"),
        ep("2018-08-11", None, Some(Pathway::P1), "S2", "A"),
        ep("2018-08-15", None, Some(Pathway::P3), "S1", "B"),
        ep("2018-08-10", Some("2018-08-15"), Some(Pathway::P1), "S1", "B"),
        ep("2018-08-14", None, None, "S2", "B"),
    ]
}

#[test]
fn queues_view_counts_each_pathway_and_all_of_them() {
    let today = d("2018-08-15");
    let eps = five_episodes();
    let v = queues_view(&eps, &Scope::Whole, today, None);
    assert_eq!(v.first, d("2018-07-19"));
    let p1 = &v.rows[1];
    assert_eq!(p1.pathway, Some(Pathway::P1));
    // Waiting at the day's end: ready 1 Aug (14 days) and 11 Aug (4 days); one left today.
    assert_eq!(p1.today.waiting, 2);
    assert_eq!(p1.today.median_wait, Some(9.0));
    assert_eq!(p1.today.longest_wait, Some(14));
    assert_eq!((p1.today.joins, p1.today.leaves), (0, 1));
    assert_eq!(p1.history.len(), 28);
    // 31 July: nobody; 1 Aug: one; 10 Aug: two; 11 Aug to 14 Aug: three; today two.
    assert_eq!(p1.history[12], 0);
    assert_eq!(p1.history[13], 1);
    assert_eq!(p1.history[22], 2);
    assert_eq!(&p1.history[23..], &[3, 3, 3, 3, 2]);
    assert_eq!(v.rows[3].today.waiting, 1);
    assert_eq!(v.rows[3].today.joins, 1);
    assert_eq!(v.rows[4].pathway, None);
    assert_eq!(v.rows[4].today.waiting, 1);
    // Pathways 0 and 2 have nobody: a row of zeros all the same.
    assert_eq!(v.rows[0].today.waiting, 0);
    assert_eq!(v.rows[0].history, vec![0; 28]);
    assert_eq!(v.rows[0].today.date, today);
    // All together: 4 waiting (14, 4, 1 and 0 days), joins 1, leaves 1.
    assert_eq!(v.all.today.waiting, 4);
    assert_eq!(v.all.today.median_wait, Some(2.5));
    assert_eq!((v.all.today.joins, v.all.today.leaves), (1, 1));
    // One site, one authority.
    let s2 = queues_view(&eps, &Scope::Site("S2".into()), today, None);
    assert_eq!(s2.all.today.waiting, 2);
    assert_eq!(s2.rows[1].today.waiting, 1);
    let b = queues_view(&eps, &Scope::Authority("B".into()), today, None);
    assert_eq!(b.all.today.waiting, 2);
    assert_eq!(b.rows[1].today.leaves, 1);
}

#[test]
fn the_history_starts_at_coverage_and_nothing_is_counted_before_it() {
    let today = d("2018-08-15");
    let eps = five_episodes();
    // Coverage from 10 Aug: six days, the first of them counted as on any other day.
    let v = queues_view(&eps, &Scope::Whole, today, Some(d("2018-08-10")));
    assert_eq!((v.first, v.before_coverage), (d("2018-08-10"), None));
    assert_eq!(v.rows[1].history, [2, 3, 3, 3, 3, 2]);
    assert_eq!(v.rows[0].history, [0; 6]);
    assert_eq!(v.all.today.waiting, 4);
    // Coverage long before: the four weeks as without it.
    assert_eq!(
        queues_view(&eps, &Scope::Whole, today, Some(d("2017-04-01"))),
        QueuesView {
            before_coverage: None,
            ..queues_view(&eps, &Scope::Whole, today, None)
        }
    );
    // Coverage from tomorrow: nothing is counted, and the view says it is before coverage.
    let v = queues_view(&eps, &Scope::Whole, today, Some(d("2018-08-16")));
    assert_eq!(v.before_coverage, Some(d("2018-08-16")));
    assert_eq!(v.all.today.waiting, 0);
    for pv in all_views(&eps, today, Some(d("2018-08-16"))).values() {
        assert_eq!(pv.before_coverage, Some(d("2018-08-16")));
        assert!(pv.rows.iter().all(|q| q.today.waiting == 0));
    }
}

#[test]
fn all_views_are_each_scopes_queues_computed_once() {
    let today = d("2018-08-15");
    let eps = five_episodes();
    let all = all_views(&eps, today, None);
    // The register, sites S1 and S2, authorities A and B.
    assert_eq!(all.len(), 5);
    for scope in [
        Scope::Whole,
        Scope::Site("S1".into()),
        Scope::Site("S2".into()),
        Scope::Authority("A".into()),
        Scope::Authority("B".into()),
    ] {
        assert_eq!(all[&scope], queues_view(&eps, &scope, today, None), "{scope:?}");
    }
    assert_eq!(all[&Scope::Site("S1".into())].all.today.waiting, 2);
    assert_eq!(all[&Scope::Authority("A".into())].rows[1].today.waiting, 2);
}

#[test]
fn forecast_view_orders_pathways_and_says_when_there_is_nothing() {
    let today = d("2018-08-15");
    let eps = vec![
        ep("2018-06-01", None, None, "S1", "A"),
        ep("2018-06-10", None, Some(Pathway::P2), "S1", "A"),
    ];
    let f = forecast_view(&eps, &Scope::Whole, today, None);
    let fs = f.forecasts.expect("a forecast");
    let keys: Vec<Option<Pathway>> = fs.iter().map(|f| f.key.pathway).collect();
    assert_eq!(keys, [Some(Pathway::P2), None]);
    // Nobody becomes ready or leaves in the history: each queue stays as it is.
    assert_eq!(fs[0].queue_now, 1);
    let base = fs[0].scenarios.iter().find(|s| s.capacity_pct == 0).unwrap();
    assert_eq!(base.days.len(), 10);
    assert!(base.days.iter().all(|d| d.queue.median == 1));
    assert_eq!(fs[0].extra_capacity, 0);
    let none = forecast_view(&eps, &Scope::Site("S9".into()), today, None);
    assert_eq!(
        none.forecasts,
        Err("No delays in the 56 days before 2018-08-15 to forecast from.".to_string())
    );
}

#[test]
fn spark_scales_to_the_highest() {
    assert_eq!(render::spark(&[0, 1, 2, 4, 8]), " ▁▂▄█");
    assert_eq!(render::spark(&[0, 0]), "  ");
    assert_eq!(render::spark(&[3, 3]), "██");
}

#[test]
fn a_long_site_name_is_cut_with_an_ellipsis_inside_the_title() {
    // The demo's RT501 at 80 columns: the block's corners take two, so the title has 78.
    let head = "Pathway queues on 2018-08-15";
    let site = "site RT501 Community hospitals (Leicestershire Partnership)";
    let title = render::scope_title(head, site, 80);
    assert_eq!(
        title,
        " Pathway queues on 2018-08-15, site RT501 Community hospitals (Leicestershir… "
    );
    assert_eq!(title.chars().count(), 78);
    // Room enough: whole.
    assert_eq!(
        render::scope_title(head, site, 160),
        format!(" {head}, {site} ")
    );
}
