//! Issue 14: a register that cannot hold contradictions. One bed at a time, a delay ends when the
//! patient leaves, death as an end, no empty changes, corrections, and `dtoc check --repair`.

use crate::common;

use common::db::*;
use dtoc::domain::{Attribution, EndKind, LaCode, NhsNumber, Pathway, ReasonCode, Setting};
use dtoc::import::read_delays_bytes;
use dtoc::store::{EndDelay, ImportSummary, NewDelay, ReasonChange, Site, StayCorrection, Store};

const HEADER: &str = concat!(delays_header!(), ",end_kind");

fn file(rows: &[&str]) -> Vec<u8> {
    format!("{HEADER}\n{}\n", rows.join("\n")).into_bytes()
}

fn import(store: &mut Store, name: &str, rows: &[&str]) -> dtoc::Result<ImportSummary> {
    let checked = read_delays_bytes(name, &file(rows), day("2020-04-10"))?;
    store.import_delays(&checked)
}

fn store_with_sites(dir: &tempfile::TempDir) -> Store {
    let mut s = new_store(dir);
    for code in ["RXX01", "RXX02"] {
        s.upsert_site(&Site {
            code: code.into(),
            provider_code: "RXX".into(),
            name: None,
            setting: Setting::Acute,
        })
        .unwrap();
    }
    s
}

fn new_delay(local: &str, nhs: Option<&str>, site: &str, admitted: &str, ready: &str) -> NewDelay {
    NewDelay {
        local_id: local.into(),
        nhs_number: nhs.map(|n| NhsNumber::parse(n).unwrap()),
        admitted_on: day(admitted),
        site_code: site.into(),
        la_code: LaCode::parse("E06000001").unwrap(),
        ready_on: day(ready),
        reason: ReasonCode::A,
        attribution: Attribution::Nhs,
        planned_pathway: None,
        acute_reason: None,
    }
}

#[test]
fn an_open_delay_on_a_discharged_stay_ends_at_the_discharge_in_the_import() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with_sites(&dir);
    let row = "Q1,,RXX,RXX01,acute,E06000001,2020-03-01,2020-03-10,,A,NHS,2020-03-12,1,";
    let summary = import(&mut s, "q.csv", &[row]).unwrap();
    assert_eq!(summary.ended_at_discharge, 1);
    assert!(summary
        .to_string()
        .contains("1 open delay ended on its stay's discharge date"));
    let rows = counts(&s, "E06000001", "2020-03", "2020-04", "2020-04-10");
    assert_eq!(days_in(&rows, "2020-03"), 2);
    assert_eq!(days_in(&rows, "2020-04"), 0);
    let d = &all_delays(&s)[0];
    assert_eq!(
        (d.ended_on, d.end_kind),
        (Some(day("2020-03-12")), Some(EndKind::Discharged))
    );
    assert_sound(&s);
    // The same file again changes nothing.
    let again = import(&mut s, "q.csv", &[row]).unwrap();
    assert_eq!(
        (again.added, again.updated, again.ended_at_discharge),
        (0, 0, 0)
    );
}

#[test]
fn a_later_extract_cannot_put_a_delay_after_the_recorded_discharge() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with_sites(&dir);
    // Recorded: admitted 6 March, delayed from the 6th, discharged on the 6th.
    let first = "Q3,,RXX,RXX01,acute,E06000001,2020-03-06,2020-03-06,2020-03-06,A,NHS,2020-03-06,1,discharged";
    import(&mut s, "a.csv", &[first]).unwrap();
    let before = all_delays(&s);
    // A later extract names the same stay without its discharge, delayed from the 9th to the 12th.
    let late = "Q3,,RXX,RXX01,acute,E06000001,2020-03-06,2020-03-09,2020-03-12,A,NHS,,,unfit_again";
    let e = import(&mut s, "b.csv", &[late]).unwrap_err().to_string();
    assert!(e.contains("b.csv"), "{e}");
    assert!(e.contains("line 2"), "{e}");
    assert!(e.contains("delay_start"), "{e}");
    assert!(
        e.contains("is after the stay's discharge on 2020-03-06, already recorded"),
        "{e}"
    );
    assert_eq!(all_delays(&s), before, "nothing written");
    // An open row starting after the recorded discharge: the same rule.
    let open = "Q3,,RXX,RXX01,acute,E06000001,2020-03-06,2020-03-08,,A,NHS,,,";
    let e = import(&mut s, "c.csv", &[open]).unwrap_err().to_string();
    assert!(e.contains("delay_start"), "{e}");
    // The first extract again changes nothing and leaves the register sound.
    let moved = "Q3,,RXX,RXX01,acute,E06000001,2020-03-06,2020-03-06,2020-03-06,A,NHS,2020-03-06,1,discharged";
    import(&mut s, "d.csv", &[moved]).unwrap();
    assert_sound(&s);
}
#[test]
fn a_second_open_delay_of_the_same_patient_is_refused_by_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with_sites(&dir);
    let today = day("2020-04-10");
    s.add_delay(
        &new_delay(
            "P1",
            Some("9434765919"),
            "RXX01",
            "2020-03-01",
            "2020-03-05",
        ),
        today,
    )
    .unwrap();
    // Same local id at another site.
    let e = s
        .add_delay(
            &new_delay(
                "P1",
                Some("9434765919"),
                "RXX02",
                "2020-03-02",
                "2020-03-06",
            ),
            today,
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "P1 admitted 2020-03-02: one bed at a time: a patient is in one stay on any day, and this stay overlaps another: the stay of P1 at RXX01 admitted 2020-03-01"
    );
    // Same NHS number under another local id: the message names the other local id, not the number.
    let e = s
        .add_delay(
            &new_delay(
                "P2",
                Some("9434765919"),
                "RXX02",
                "2020-03-02",
                "2020-03-06",
            ),
            today,
        )
        .unwrap_err();
    assert!(e.to_string().contains("the stay of P1 at RXX01"), "{e}");
    assert!(!e.to_string().contains("9434765919"));
    assert_eq!(all_delays(&s).len(), 1);
    assert_sound(&s);
}

#[test]
fn the_import_refuses_two_beds_at_once_with_file_line_rule_and_other_stay() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with_sites(&dir);
    let e = import(
        &mut s,
        "two.csv",
        &[
            "A1,9434765919,RXX,RXX01,acute,E06000001,2020-03-01,2020-03-05,,A,NHS,,,",
            "B7,9434765919,RXX,RXX02,acute,E06000001,2020-03-03,2020-03-06,,A,NHS,,,",
        ],
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(msg.starts_with("two.csv line "), "{msg}");
    assert!(msg.contains("one bed at a time"), "{msg}");
    assert!(msg.contains("at RXX0"), "{msg}");
    assert!(!msg.contains("9434765919"), "{msg}");
    assert!(all_delays(&s).is_empty());
}

#[test]
fn a_transfer_ending_one_delay_the_day_the_next_starts_at_another_site_is_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with_sites(&dir);
    let summary = import(
        &mut s,
        "transfer.csv",
        &[
            "T1,,RXX,RXX01,acute,E06000001,2020-03-01,2020-03-05,2020-03-09,A,NHS,,,transferred",
            "T1,,RXX,RXX02,acute,E06000001,2020-03-09,2020-03-09,,A,NHS,,,",
        ],
    )
    .unwrap();
    assert_eq!(summary.added, 2);
    let rows = counts(&s, "E06000001", "2020-03", "2020-04", "2020-04-10");
    assert_eq!(days_in(&rows, "2020-03"), 4 + 23);
    assert_sound(&s);
    // Starting a day early at the second site is two beds at once.
    let dir2 = tempfile::tempdir().unwrap();
    let mut s2 = store_with_sites(&dir2);
    let e = import(
        &mut s2,
        "overlap.csv",
        &[
            "T1,,RXX,RXX01,acute,E06000001,2020-03-01,2020-03-05,2020-03-09,A,NHS,,,transferred",
            "T1,,RXX,RXX02,acute,E06000001,2020-03-08,2020-03-08,,A,NHS,,,",
        ],
    )
    .unwrap_err();
    assert!(e.to_string().contains("one bed at a time"), "{e}");
}

#[test]
fn death_ends_a_delay_without_a_pathway_and_counts_its_days() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with_sites(&dir);
    let today = day("2020-04-10");
    let id = s
        .add_delay(
            &new_delay("D1", None, "RXX01", "2020-03-01", "2020-03-05"),
            today,
        )
        .unwrap();
    let mut end = EndDelay {
        delay_id: id,
        version: 1,
        on: day("2020-03-08"),
        kind: EndKind::Died,
        pathway: Some(Pathway::P1),
        destination: None,
        usual_residence: None,
    };
    let e = s.end_delay(&end, today).unwrap_err();
    assert_eq!(
        e.to_string(),
        "pathway: a death is not a discharge: it has no pathway or destination"
    );
    end.pathway = None;
    s.end_delay(&end, today).unwrap();
    let d = &all_delays(&s)[0];
    assert_eq!(d.end_kind, Some(EndKind::Died));
    let rows = counts(&s, "E06000001", "2020-03", "2020-03", "2020-04-10");
    assert_eq!(days_in(&rows, "2020-03"), 3);
    assert_eq!(EndKind::parse("died").unwrap(), EndKind::Died);
    assert_sound(&s);
}

#[test]
fn pathway_and_destination_must_agree_and_an_empty_reason_change_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with_sites(&dir);
    let today = day("2020-04-10");
    let id = s
        .add_delay(
            &new_delay("E1", None, "RXX01", "2020-03-01", "2020-03-05"),
            today,
        )
        .unwrap();
    let same = ReasonChange {
        delay_id: id,
        version: 1,
        from: day("2020-03-07"),
        reason: ReasonCode::A,
        attribution: Attribution::Nhs,
        acute_reason: None,
    };
    let audit_before = s.audit_for("delay", &id.to_string()).unwrap().len();
    let e = s.change_reason(&same, today).unwrap_err();
    assert!(e.to_string().starts_with("nothing changed"), "{e}");
    assert_eq!(s.periods_of(id).unwrap().len(), 1);
    assert_eq!(
        s.audit_for("delay", &id.to_string()).unwrap().len(),
        audit_before
    );
    let e = s
        .end_delay(
            &EndDelay {
                delay_id: id,
                version: 1,
                on: day("2020-03-08"),
                kind: EndKind::Discharged,
                pathway: Some(Pathway::P3),
                destination: Some("p0_home".into()),
                usual_residence: None,
            },
            today,
        )
        .unwrap_err();
    assert!(e.to_string().starts_with("destination: "), "{e}");
    assert!(e.to_string().contains("not pathway 3"), "{e}");
    // The delays import refuses the same.
    let e = read_delays_bytes(
        "pd.csv",
        format!(
            "{HEADER},destination\nE2,,RXX,RXX01,acute,E06000001,2020-03-01,2020-03-05,2020-03-08,A,NHS,2020-03-08,3,,p0_home\n"
        )
        .as_bytes(),
        today,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("pd.csv line 2, destination p0_home"),
        "{e}"
    );
}

#[test]
fn check_lists_and_repair_ends_an_open_delay_on_a_discharged_stay_keeping_counts_exact() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with_sites(&dir);
    let today = day("2020-04-10");
    s.add_delay(
        &new_delay("R1", None, "RXX01", "2020-03-01", "2020-03-05"),
        today,
    )
    .unwrap();
    // A file written before the rule: the stay discharged, the delay left open.
    s.execute_raw_for_tests("UPDATE stay SET discharged_on = '2020-03-12'")
        .unwrap();
    assert_eq!(
        s.check().unwrap(),
        vec!["R1 admitted 2020-03-01: a delay cannot outlast its stay: the delay from 2020-03-05 is open, but the stay was discharged on 2020-03-12: the stay of R1 at RXX01 admitted 2020-03-01".to_string()]
    );
    let done = s.repair_register().unwrap();
    assert_eq!(done.len(), 1);
    assert!(done[0].ends_with("of R1: ended on 2020-03-12, the stay's discharge date"));
    assert_sound(&s);
    let rows = counts(&s, "E06000001", "2020-03", "2020-04", "2020-04-10");
    assert_eq!(days_in(&rows, "2020-03"), 7);
    assert_eq!(days_in(&rows, "2020-04"), 0);
}

#[test]
fn corrections_are_audited_masked_and_refused_when_they_break_a_rule() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with_sites(&dir);
    let today = day("2020-04-10");
    let a = s
        .add_delay(
            &new_delay("C1", None, "RXX01", "2020-03-01", "2020-03-05"),
            today,
        )
        .unwrap();
    s.add_delay(
        &new_delay(
            "C2",
            Some("9434765919"),
            "RXX02",
            "2020-03-02",
            "2020-03-06",
        ),
        today,
    )
    .unwrap();
    let stay = all_delays(&s)
        .iter()
        .find(|d| d.delay_id == a)
        .unwrap()
        .stay_id;
    // Giving C1 the NHS number of C2 puts one patient in two beds.
    let e = s
        .correct_stay(
            &StayCorrection {
                stay_id: stay,
                nhs_number: Some(Some(NhsNumber::parse("9434765919").unwrap())),
                ..Default::default()
            },
            today,
        )
        .unwrap_err();
    assert!(e.to_string().contains("one bed at a time"), "{e}");
    assert!(e.to_string().contains("the stay of C2 at RXX02"), "{e}");
    // A true correction: local id, site, admission and NHS number, each audited.
    let n = s
        .correct_stay(
            &StayCorrection {
                stay_id: stay,
                local_id: Some("C9".into()),
                nhs_number: Some(Some(NhsNumber::parse("6541003238").unwrap())),
                admitted_on: Some(day("2020-02-28")),
                site_code: Some("RXX02".into()),
            },
            today,
        )
        .unwrap();
    assert_eq!(n, 4);
    let d = all_delays(&s)
        .into_iter()
        .find(|d| d.delay_id == a)
        .unwrap();
    assert_eq!((d.local_id.as_str(), d.site_code.as_str()), ("C9", "RXX02"));
    assert_eq!(d.admitted_on, day("2020-02-28"));
    let history = s.audit_for("stay", &stay.to_string()).unwrap();
    let nhs = history
        .iter()
        .find(|e| e.field().as_deref() == Some("NHS number"))
        .unwrap();
    assert_eq!(nhs.old_value.as_deref(), Some("none"));
    assert!(!nhs
        .new_value
        .clone()
        .unwrap_or_default()
        .contains("6541003238"));
    let fields: Vec<_> = history.iter().filter_map(|e| e.field()).collect();
    for f in ["site", "admitted", "local id", "NHS number"] {
        assert!(
            fields.contains(&f.to_string()),
            "{f} not audited: {fields:?}"
        );
    }
    // Nothing to change writes nothing.
    let same = StayCorrection {
        stay_id: stay,
        local_id: Some("C9".into()),
        ..Default::default()
    };
    assert_eq!(s.correct_stay(&same, today).unwrap(), 0);
    assert_sound(&s);
}

#[test]
fn a_newer_extract_corrects_a_stay_it_names_as_it_was_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with_sites(&dir);
    import(
        &mut s,
        "old.csv",
        &["K1,,RXX,RXX01,acute,E06000001,2020-03-01,2020-03-05,2020-03-09,A,NHS,2020-03-09,1,discharged"],
    )
    .unwrap();
    let header = format!("{HEADER},was_local_id,was_admitted_on");
    let newer = format!(
        "{header}\nK10,9434765919,RXX,RXX02,acute,E06000001,2020-02-29,2020-03-05,2020-03-09,A,NHS,2020-03-09,1,discharged,K1,2020-03-01\n"
    );
    let apply = |s: &mut Store| {
        let checked = read_delays_bytes("new.csv", newer.as_bytes(), day("2020-04-10")).unwrap();
        s.import_delays(&checked).unwrap()
    };
    let summary = apply(&mut s);
    assert_eq!(summary.corrected, 4);
    assert!(summary.to_string().contains("4 fields of stays corrected"));
    let d = &all_delays(&s)[0];
    assert_eq!(all_delays(&s).len(), 1);
    assert_eq!(
        (d.local_id.as_str(), d.site_code.as_str(), d.admitted_on),
        ("K10", "RXX02", day("2020-02-29"))
    );
    assert_eq!(
        d.nhs_number.as_ref().map(|n| n.as_str()),
        Some("9434765919")
    );
    let history = s.audit_for("stay", &d.stay_id.to_string()).unwrap();
    assert_eq!(
        history.iter().filter(|e| e.action() == "correct").count(),
        4
    );
    assert!(history
        .iter()
        .all(|e| !format!("{e:?}").contains("9434765919")));
    assert_sound(&s);
    // The same file again changes nothing.
    let again = apply(&mut s);
    assert_eq!((again.corrected, again.added, again.updated), (0, 0, 0));
    // A correction naming a stay that was never recorded is refused with its line.
    let bad = format!(
        "{header}\nK11,,RXX,RXX01,acute,E06000001,2020-03-01,2020-03-05,2020-03-09,A,NHS,2020-03-09,1,discharged,NOPE,2020-03-01\n"
    );
    let checked = read_delays_bytes("bad.csv", bad.as_bytes(), day("2020-04-10")).unwrap();
    assert_eq!(
        s.import_delays(&checked).unwrap_err().to_string(),
        "bad.csv line 2, was_local_id NOPE: no stay of NOPE admitted 2020-03-01 is recorded to correct"
    );
}

/// One step of a user's or a file's: each may be refused; none may leave a contradiction.
#[derive(Debug, Clone)]
enum Step {
    Add {
        who: u8,
        site: u8,
        admit: u8,
        ready: u8,
    },
    End {
        pick: u8,
        after: u8,
        kind: u8,
    },
    Change {
        pick: u8,
        after: u8,
        reason: u8,
    },
    Import {
        who: u8,
        site: u8,
        admit: u8,
        ready: u8,
        end: Option<u8>,
        discharge: Option<u8>,
        kind: u8,
    },
    Correct {
        pick: u8,
        who: u8,
        site: u8,
        admit: u8,
    },
}

mod prop {
    use super::*;
    use proptest::prelude::*;

    /// Four local ids, two of them sharing an NHS number.
    const WHO: [(&str, &str); 4] = [
        ("W1", "9434765919"),
        ("W2", "9434765919"),
        ("W3", "6541003238"),
        ("W4", ""),
    ];
    const SITES: [&str; 2] = ["RXX01", "RXX02"];

    fn on(n: u8) -> chrono::NaiveDate {
        day("2020-03-01") + chrono::Duration::days(i64::from(n % 30))
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>()).prop_map(
                |(who, site, admit, ready)| Step::Add {
                    who,
                    site,
                    admit,
                    ready
                }
            ),
            (any::<u8>(), 0u8..8, any::<u8>()).prop_map(|(pick, after, kind)| Step::End {
                pick,
                after,
                kind
            }),
            (any::<u8>(), 0u8..8, any::<u8>()).prop_map(|(pick, after, reason)| Step::Change {
                pick,
                after,
                reason
            }),
            (
                any::<u8>(),
                any::<u8>(),
                any::<u8>(),
                any::<u8>(),
                proptest::option::of(0u8..8),
                proptest::option::of(0u8..10),
                any::<u8>()
            )
                .prop_map(|(who, site, admit, ready, end, discharge, kind)| {
                    Step::Import {
                        who,
                        site,
                        admit,
                        ready,
                        end,
                        discharge,
                        kind,
                    }
                }),
            (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>()).prop_map(
                |(pick, who, site, admit)| Step::Correct {
                    pick,
                    who,
                    site,
                    admit
                }
            ),
        ]
    }

    fn apply(s: &mut Store, st: &Step) {
        let today = day("2020-04-10");
        let rows = all_delays(s);
        let pick = |p: u8| rows.get(usize::from(p) % rows.len().max(1)).cloned();
        let who = |w: u8| WHO[usize::from(w) % 4];
        let site = |x: u8| SITES[usize::from(x) % 2];
        let _ = match st {
            Step::Add {
                who: w,
                site: x,
                admit,
                ready,
            } => {
                let (local, nhs) = who(*w);
                let admitted = on(*admit);
                let mut n = new_delay(
                    local,
                    (!nhs.is_empty()).then_some(nhs),
                    site(*x),
                    "2020-03-01",
                    "2020-03-01",
                );
                n.admitted_on = admitted;
                n.ready_on = admitted + chrono::Duration::days(i64::from(*ready % 5));
                s.add_delay(&n, today).map(|_| ())
            }
            Step::End {
                pick: p,
                after,
                kind,
            } => match pick(*p) {
                Some(d) => s.end_delay(
                    &EndDelay {
                        delay_id: d.delay_id,
                        version: d.version,
                        on: d.ready_on + chrono::Duration::days(i64::from(*after)),
                        kind: EndKind::ALL[usize::from(*kind) % 4],
                        pathway: None,
                        destination: None,
                        usual_residence: None,
                    },
                    today,
                ),
                None => Ok(()),
            },
            Step::Change {
                pick: p,
                after,
                reason,
            } => match pick(*p) {
                Some(d) => s.change_reason(
                    &ReasonChange {
                        delay_id: d.delay_id,
                        version: d.version,
                        from: d.ready_on + chrono::Duration::days(i64::from(*after)),
                        reason: ReasonCode::ALL[usize::from(*reason) % ReasonCode::ALL.len()],
                        attribution: Attribution::Nhs,
                        acute_reason: None,
                    },
                    today,
                ),
                None => Ok(()),
            },
            Step::Import {
                who: w,
                site: x,
                admit,
                ready,
                end,
                discharge,
                kind,
            } => {
                let (local, nhs) = who(*w);
                let admitted = on(*admit);
                let ready = admitted + chrono::Duration::days(i64::from(*ready % 5));
                let end = end.map(|e| ready + chrono::Duration::days(i64::from(e)));
                let dis = discharge.map(|e| ready + chrono::Duration::days(i64::from(e)));
                let kind = end.map_or("", |_| EndKind::ALL[usize::from(*kind) % 4].key());
                let row = format!(
                    "{local},{nhs},RXX,{},acute,E06000001,{admitted},{ready},{},A,NHS,{},,{kind}",
                    site(*x),
                    end.map_or(String::new(), |e| e.to_string()),
                    dis.map_or(String::new(), |e| e.to_string()),
                );
                import(s, "p.csv", &[&row]).map(|_| ())
            }
            Step::Correct {
                pick: p,
                who: w,
                site: x,
                admit,
            } => match pick(*p) {
                Some(d) => s
                    .correct_stay(
                        &StayCorrection {
                            stay_id: d.stay_id,
                            local_id: Some(who(*w).0.to_string()),
                            nhs_number: None,
                            admitted_on: Some(on(*admit)),
                            site_code: Some(site(*x).to_string()),
                        },
                        today,
                    )
                    .map(|_| ()),
                None => Ok(()),
            },
        };
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        #[test]
        fn any_sequence_of_form_actions_and_imports_leaves_check_clean(
            steps in proptest::collection::vec(step(), 1..25)
        ) {
            let dir = tempfile::tempdir().unwrap();
            let mut s = store_with_sites(&dir);
            for st in &steps {
                apply(&mut s, st);
                let problems = s.check().unwrap();
                prop_assert!(problems.is_empty(), "after {:?}: {:?}", st, problems);
            }
        }
    }
}

#[test]
fn dtoc_check_lists_the_broken_rule_and_check_repair_ends_the_delay_at_discharge() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("dtoc.db");
    {
        let mut s = Store::open(&db).unwrap();
        s.upsert_site(&Site {
            code: "RXX01".into(),
            provider_code: "RXX".into(),
            name: None,
            setting: Setting::Acute,
        })
        .unwrap();
        s.add_delay(
            &new_delay("Z1", None, "RXX01", "2018-07-01", "2018-07-05"),
            day(TODAY),
        )
        .unwrap();
        s.execute_raw_for_tests("UPDATE stay SET discharged_on = '2018-07-09'")
            .unwrap();
    }
    let out = common::cli::dtoc(&db).arg("check").output().unwrap();
    assert!(!out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "Z1 admitted 2018-07-01: a delay cannot outlast its stay: the delay from 2018-07-05 is open, but the stay was discharged on 2018-07-09: the stay of Z1 at RXX01 admitted 2018-07-01\n"
    );
    let out = common::cli::run(&db, &["check", "--repair"]);
    assert_eq!(
        out,
        format!(
            "repaired: delay 1 of Z1: ended on 2018-07-09, the stay's discharge date\n{d}: 1 repairs made\n{d}: ok\n",
            d = db.display()
        )
    );
}

#[test]
fn a_correction_that_changes_a_signed_off_week_is_held_by_the_freeze() {
    use dtoc::domain::{Side, Week};
    use dtoc::store::SignWeek;
    let dir = tempfile::tempdir().unwrap();
    let mut s = store_with_sites(&dir);
    let today = day(TODAY);
    let id = s
        .add_delay(
            &new_delay("F1", None, "RXX01", "2018-06-20", "2018-07-01"),
            today,
        )
        .unwrap();
    for (side, by) in [(Side::Nhs, "Ann Nurse"), (Side::Council, "Bob Officer")] {
        // Two sides, two users (issue 26).
        s.set_user(side.key()).unwrap();
        s.sign_week(
            &SignWeek {
                week: Week::parse("2018-W27").unwrap(),
                side,
                by: by.into(),
                comment: None,
            },
            today,
        )
        .unwrap();
    }
    let stay = all_delays(&s)[0].stay_id;
    let audit = s.audit_for("stay", &stay.to_string()).unwrap().len();
    for c in [
        StayCorrection {
            stay_id: stay,
            site_code: Some("RXX02".into()),
            ..Default::default()
        },
        StayCorrection {
            stay_id: stay,
            local_id: Some("F2".into()),
            ..Default::default()
        },
    ] {
        let e = s.correct_stay(&c, today).unwrap_err();
        assert!(matches!(e, dtoc::Error::Frozen(_)), "{e}");
    }
    assert_eq!(s.audit_for("stay", &stay.to_string()).unwrap().len(), audit);
    assert_eq!(all_delays(&s)[0].site_code, "RXX01");
    // The admission date is not a figure of the week: corrected.
    let c = StayCorrection {
        stay_id: stay,
        admitted_on: Some(day("2018-06-21")),
        ..Default::default()
    };
    assert_eq!(s.correct_stay(&c, today).unwrap(), 1);
    assert_eq!(
        s.delay_row(id).unwrap().unwrap().admitted_on,
        day("2018-06-21")
    );
}
