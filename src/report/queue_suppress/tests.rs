//! The queue decision on delays worked by hand, and its independence of the range asked.

use super::*;
use crate::domain::Pathway;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date")
}

fn ep(ready: &str, ended: Option<&str>, p: Option<Pathway>, site: &str, la: &str) -> Episode {
    Episode {
        ready: d(ready),
        ended: ended.map(d),
        pathway: p,
        site: site.into(),
        authority: la.into(),
    }
}

fn decide(eps: &[Episode], from: &str, to: &str, n: u64) -> QueueHidden {
    queue_hidden(eps, d(from), d(to), n).unwrap()
}

fn fig(g: Grouping, group: &str, p: Option<Pathway>, day: &str) -> QueueFigure {
    QueueFigure::of(
        g,
        &QueueKey {
            group: group.into(),
            pathway: p,
        },
        d(day),
        QueueCount::Waiting,
    )
}

fn people(n: usize, p: Option<Pathway>, site: &str, la: &str) -> Vec<Episode> {
    (0..n)
        .map(|_| ep("2018-07-01", None, p, site, la))
        .collect()
}

#[test]
fn a_small_pathway_takes_its_queues_other_figures_with_it() {
    // One site, one authority: 20 waiting for pathway 1, 3 for pathway 3. The 3 is hidden; the
    // queue's total (23, known from report nctr) less the other pathways would give it back, so
    // the 20 is hidden too, in the register's, the site's and the authority's rows alike (the
    // same queue three ways). The zeros of pathways 0, 2 and not known stay shown.
    let mut eps = people(20, Some(Pathway::P1), "S1", "A");
    eps.extend(people(3, Some(Pathway::P3), "S1", "A"));
    let h = decide(&eps, "2018-08-01", "2018-08-01", 5);
    for (g, group) in [
        (Grouping::Whole, ""),
        (Grouping::Site, "S1"),
        (Grouping::Authority, "A"),
    ] {
        assert!(h.contains(&fig(g, group, Some(Pathway::P3), "2018-08-01")));
        assert!(h.contains(&fig(g, group, Some(Pathway::P1), "2018-08-01")));
        assert!(!h.contains(&fig(g, group, Some(Pathway::P0), "2018-08-01")));
    }
    assert_eq!(h.len(), 6);
    // Nothing from 1 to 2: nothing hidden; and --suppress 0 hides nothing at all.
    assert!(decide(&eps, "2018-08-01", "2018-08-01", 2).is_empty());
    assert!(decide(&eps, "2018-08-01", "2018-08-01", 0).is_empty());
}

#[test]
fn a_hidden_site_is_not_the_register_less_the_other_site() {
    // Pathway 1: site S1 has 3 waiting, S2 has 20, both of authority A; pathway 0: 30 at S1 and
    // 40 at S2. S1's 3 is hidden. The register's 23 less S2's 20 would give it back, so S2's
    // pathway 1 goes too; and each site's total less its pathway 0 would give its pathway 1 back,
    // so at each site pathway 0 goes as well. The register's and the authority's rows, the sums
    // of both sites, stay shown.
    let mut eps = people(3, Some(Pathway::P1), "S1", "A");
    eps.extend(people(20, Some(Pathway::P1), "S2", "A"));
    eps.extend(people(30, Some(Pathway::P0), "S1", "A"));
    eps.extend(people(40, Some(Pathway::P0), "S2", "A"));
    let h = decide(&eps, "2018-08-01", "2018-08-01", 5);
    let day = "2018-08-01";
    for s in ["S1", "S2"] {
        assert!(
            h.contains(&fig(Grouping::Site, s, Some(Pathway::P1), day)),
            "{s}"
        );
        assert!(
            h.contains(&fig(Grouping::Site, s, Some(Pathway::P0), day)),
            "{s}"
        );
    }
    for (g, group) in [(Grouping::Whole, ""), (Grouping::Authority, "A")] {
        assert!(!h.contains(&fig(g, group, Some(Pathway::P1), day)));
        assert!(!h.contains(&fig(g, group, Some(Pathway::P0), day)));
    }
    assert_eq!(h.len(), 4);
}

#[test]
fn joined_and_left_are_never_given_with_suppression() {
    let eps = people(20, Some(Pathway::P1), "S1", "A");
    let hidden = decide(&eps, "2018-08-01", "2018-08-01", 5);
    assert!(hidden.is_empty());
    let hiding = QueueHiding {
        hidden,
        by: Grouping::Whole,
        group: None,
    };
    let key = QueueKey {
        group: String::new(),
        pathway: Some(Pathway::P1),
    };
    assert!(!hiding.hides(&key, d("2018-08-01"), QueueCount::Waiting));
    assert!(hiding.hides(&key, d("2018-08-01"), QueueCount::Joined));
    assert!(hiding.hides(&key, d("2018-08-01"), QueueCount::Left));
    // A table of the register narrowed to authority A reads A's figures.
    let mut eps = people(3, Some(Pathway::P1), "S1", "A");
    eps.extend(people(30, Some(Pathway::P1), "S2", "B"));
    let hidden = decide(&eps, "2018-08-01", "2018-08-01", 5);
    let narrowed = QueueHiding {
        hidden,
        by: Grouping::Authority,
        group: Some("A".into()),
    };
    assert!(narrowed.hides(&key, d("2018-08-01"), QueueCount::Waiting));
    assert!(narrowed.hides_forecast(&key, d("2018-08-02")));
}

#[test]
fn the_days_two_ranges_share_are_decided_the_same() {
    // Small queues at three sites and two authorities over three weeks, people coming and going:
    // the decision over 1-21 Aug and over 5-21 Aug hides the same counts of 5-21 Aug.
    let mut eps = Vec::new();
    let sites = [("S1", "A"), ("S2", "A"), ("S3", "B")];
    let pathways = [
        Some(Pathway::P0),
        Some(Pathway::P1),
        Some(Pathway::P3),
        None,
    ];
    let mut x: u64 = 7;
    for i in 0..160u64 {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let (site, la) = sites[(x >> 33) as usize % 3];
        let p = pathways[(x >> 20) as usize % 4];
        let ready = d("2018-07-25") + chrono::Days::new(i % 27);
        let len = (x >> 40) % 9;
        let ended = (len < 7).then(|| (ready + chrono::Days::new(len)).to_string());
        eps.push(ep(&ready.to_string(), ended.as_deref(), p, site, la));
    }
    // A fourth site whose two delays end on 3 Aug: read by the longer range only, all zeros after.
    eps.extend([
        ep(
            "2018-07-30",
            Some("2018-08-03"),
            Some(Pathway::P1),
            "S4",
            "B",
        ),
        ep(
            "2018-07-31",
            Some("2018-08-02"),
            Some(Pathway::P0),
            "S4",
            "A",
        ),
    ]);
    let long = decide(&eps, "2018-08-01", "2018-08-21", 3);
    let short = decide(&eps, "2018-08-05", "2018-08-21", 3);
    let from = d("2018-08-05");
    let after = |h: &QueueHidden| -> Vec<QueueFigure> {
        h.figures
            .iter()
            .filter(|f| f.day >= from)
            .cloned()
            .collect()
    };
    assert!(!after(&short).is_empty());
    assert_eq!(after(&long), after(&short));
}
