use super::*;
use crate::domain::{Attribution, LaCode, ReasonCode, Setting};
use crate::store::{EndDelay, NewDelay, Site};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    day("2018-08-15")
}

/// A register with one delay of H1, ready 2018-07-01, discharged 2018-07-11 to p1_home.
fn ended() -> (Store, i64) {
    let mut s = Store::open_in_memory().unwrap();
    s.upsert_site(&Site {
        code: "RX1".into(),
        provider_code: "RWE".into(),
        name: None,
        setting: Setting::Acute,
    })
    .unwrap();
    let id = s
        .add_delay(
            &NewDelay {
                local_id: "H1".into(),
                nhs_number: None,
                admitted_on: day("2018-06-20"),
                site_code: "RX1".into(),
                la_code: LaCode::parse("E10000018").unwrap(),
                ready_on: day("2018-07-01"),
                reason: ReasonCode::B,
                attribution: Attribution::Nhs,
                planned_pathway: None,
                acute_reason: None,
            },
            today(),
        )
        .unwrap();
    s.end_delay(
        &EndDelay {
            delay_id: id,
            version: 1,
            on: day("2018-07-11"),
            kind: EndKind::Discharged,
            pathway: Some(Pathway::P1),
            destination: Some("p1_home".into()),
            usual_residence: None,
        },
        today(),
    )
    .unwrap();
    (s, id)
}

fn read(csv: &str) -> Checked<CorrectionRecord> {
    crate::import::read_corrections_bytes("c.csv", csv.as_bytes(), today()).unwrap()
}

#[test]
fn a_destination_moves_the_pathway_and_the_usual_residence_with_it() {
    let (mut s, id) = ended();
    let file = read(
        "local_id,delay_start,action,delay_end,destination\nH1,2018-07-01,correct,2018-07-12,p2_hospice\n",
    );
    let summary = s.import_corrections(&file, today()).unwrap();
    // The end, the stay's discharge with it, pathway 1 -> 2, the destination, and the usual
    // residence the hospice implies (no).
    assert_eq!(
        summary,
        CorrectionSummary {
            rows: 1,
            reopened: 0,
            corrected: 1,
            fields: 5,
            unchanged: 0
        }
    );
    let d = s.delay_detail(id).unwrap();
    assert_eq!(d.row.ended_on, Some(day("2018-07-12")));
    assert_eq!(
        (d.discharged_on, d.pathway, d.destination, d.usual_residence),
        (
            Some(day("2018-07-12")),
            Some(Pathway::P2),
            Some("p2_hospice".to_string()),
            Some(false)
        )
    );
    assert_eq!(s.check().unwrap(), Vec::<String>::new());
    // The file's own entry, after the fields'.
    let last = s.audit_for("import", "c.csv").unwrap();
    assert_eq!(
        last[0].new_value.as_deref(),
        Some("1 rows: 0 delays reopened, 1 corrected (5 fields), 0 unchanged")
    );
}

#[test]
fn a_refused_row_leaves_the_rows_before_it_unapplied() {
    let (mut s, id) = ended();
    let file = read(
        "local_id,delay_start,action,end_kind,destination\nH1,2018-07-01,correct,,p1_other\nH2,2018-07-01,correct,died,\n",
    );
    let e = s.import_corrections(&file, today()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "c.csv line 3, local_id H2: no delay of H2 ready on 2018-07-01 is recorded"
    );
    assert_eq!(
        s.delay_detail(id).unwrap().destination.as_deref(),
        Some("p1_home")
    );
}

#[test]
fn a_reopening_says_how_the_delay_had_ended() {
    let (mut s, id) = ended();
    let v = s.delay_row(id).unwrap().unwrap().version;
    s.reopen_delay(id, v, "  still on the ward  ", today())
        .unwrap();
    let entries = s.audit_for("delay", &id.to_string()).unwrap();
    let last = entries.last().unwrap();
    assert_eq!(last.event, AuditEvent::Delay(DelayEvent::Reopen));
    assert_eq!(
        last.old_value.as_deref(),
        Some("discharged on 2018-07-11, pathway 1, to p1_home")
    );
    assert_eq!(last.new_value.as_deref(), Some("still on the ward"));
    assert_eq!(s.check().unwrap(), Vec::<String>::new());
    // A reason too long or with a line break is refused before anything is written.
    let v = s.delay_row(id).unwrap().unwrap().version;
    for (reason, rule) in [
        (
            "x".repeat(501),
            "reason: the reason is longer than 500 characters",
        ),
        (
            "two\nlines".to_string(),
            "reason: the reason has a line break: this field is one line",
        ),
    ] {
        assert_eq!(
            s.reopen_delay(id, v, &reason, today())
                .unwrap_err()
                .to_string(),
            rule
        );
    }
}
