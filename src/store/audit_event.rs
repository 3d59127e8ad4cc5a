//! What an audit entry records, as a type: the kind of record, what was done to it and, where the
//! action names one, the field. The store writes these and the app reads them; the text stored in
//! `audit_log` (its `entity`, `action` and `field` columns, which `dtoc export audit` shows as they
//! are) is this type's stored form, written and read here only ([`AuditEvent::parts`],
//! [`AuditEvent::parse`]).
//!
//! Each record kind has its own actions, and an action its own fields, so an entry no code writes
//! (a delay's "correct" of its ready date, a stay's "edit" of its local id) cannot be built. An entry this version
//! does not write (an older or a newer version's) is kept as [`AuditEvent::Other`], as stored.

use super::audit::FileAction;
use crate::domain::Side;
use chrono::NaiveDate;
use std::borrow::Cow;

/// One audited change (see the module).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditEvent {
    Delay(DelayEvent),
    Stay(StayEvent),
    Patient(PatientEvent),
    /// A site added or edited (its provider and type of care), or its census snapshot day set.
    Site(SiteEvent),
    /// An authority's name, region and legacy code.
    Authority(AuthorityEvent),
    /// A target on delayed days, set in Settings or imported.
    Target(Entry),
    /// A population estimate, set in Settings or imported.
    Population(Entry),
    /// A ward of a site, set in Settings or imported (issue 26).
    Ward(Entry),
    /// A target on a discharge share set (`set`).
    DischargeTarget,
    /// A day's count of inpatients set (`set`).
    Census,
    /// A name added to the list of action owners (issue 26).
    ActionOwner,
    /// A day's count of inpatients of a ward set or cleared (`set`, field `ward`; issue 26).
    CensusWard,
    /// A week signed off by one side, or reopened.
    Week(WeekEvent),
    /// A reconciliation difference marked (`mark`, field `status`).
    ReconcileMark,
    /// A month of reported figures imported (the field is the file's layout).
    Reported(ReportedLayout),
    /// A file of published figures imported.
    Published,
    /// An import file applied: its own entry, after the entries of what it changed.
    Import(ImportFile),
    /// Patient-level data written to (or, for a restore, read from) a file.
    File(FileAction),
    /// The month counts rebuilt from the register.
    MonthCountRebuild,
    /// Reference data loaded in bulk (a generated register).
    ReferenceBulkLoad,
    /// Open delays on discharged stays ended by a repair.
    DatabaseRepair,
    /// An entry this version does not write, as stored.
    Other {
        entity: String,
        action: String,
        field: Option<String>,
    },
}

/// What was done to a delay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DelayEvent {
    Add,
    /// The reason (and attribution) changed from this day on.
    ChangeReason {
        from: NaiveDate,
    },
    End,
    Delete,
    Edit(DelayField),
    /// Marked reviewed at the board round.
    Review,
    /// A note added to its actions log (written before version 14; an action now).
    Note,
    /// An action added (issue 26): the new value is its text, owner and due date.
    AddAction,
    /// An open action closed (field: `done` or `cancelled`): the old value is its text.
    CloseAction(ActionClose),
    /// An action's text, owner or due date changed (old and new value).
    EditAction(ActionField),
    /// Rewritten or merged away by an import file.
    Import,
    /// An open delay ended at its stay's discharge (field `ended`).
    EndAtDischarge,
    /// An ended delay made open again (its end cleared); the new value is the user's reason.
    Reopen,
    /// How an ended delay ended, corrected (old and new value).
    CorrectEnd(EndDetail),
}

/// How an action was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionClose {
    Done,
    Cancelled,
}

/// A field of an action the edit form changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionField {
    Text,
    Owner,
    Due,
}

/// A part of a delay's end that a correction changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndDetail {
    Date,
    Kind,
}

/// A field of a delay the edit form changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DelayField {
    ReadyDate,
    PlannedPathway,
}

/// What was done to a stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StayEvent {
    Add,
    Edit(StayField),
    /// A field of how the stay was recorded, corrected by an import file naming the stay as it was.
    Correct(CorrectedField),
    /// Its discharge (date, pathway, destination, usual residence) from an import file.
    ImportDischarge,
    /// Stays added in bulk by a generator (entity id `*`).
    BulkLoad,
}

/// A field of a stay the forms and the board round edit (or an import fills in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StayField {
    Ward,
    Bed,
    ExpectedDischarge,
    Admitted,
    Site,
    Authority,
}

/// A field of a stay's record corrected (by the detail view's forms or a file): how it was
/// recorded, and how it left (the discharge a correction of an ended delay changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectedField {
    Site,
    Admitted,
    LocalId,
    NhsNumber,
    Discharged,
    Pathway,
    Destination,
    UsualResidence,
}

/// What was done to a patient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatientEvent {
    /// Added by the form (an import's new patients are told by their stays).
    Add,
    /// An NHS number given for a patient stored without one, by the form.
    EditNhsNumber,
    /// The same, by an import file.
    ImportNhsNumber,
}

/// What was done to a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SiteEvent {
    Add,
    Edit,
    /// The day of the week its census is taken.
    EditSnapshotDay,
    /// The day from which its record is complete (its coverage), set by hand or stated by an
    /// import (field `coverage_from`).
    Coverage(Entry),
}

/// What was done to an authority.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthorityEvent {
    /// Added with its name, region and legacy code.
    Add,
    /// Its name, region and legacy code edited.
    Edit,
    /// Its region and legacy code set from reference data.
    EditRegion,
}

/// A reference figure set by hand or imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Set,
    Import,
}

/// What was done to a week's sign-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WeekEvent {
    Sign(Side),
    /// Its signatures cleared.
    Reopen,
    /// The hub's rule on one user signing both sides set (`dtoc signoff-rule`; entity id `all`).
    SameUserRule,
}

/// The layout of a reported-figures file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportedLayout {
    Totals,
    PatientLevel,
}

/// Which import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFile {
    Delays,
    Stays,
    /// Ended delays corrected or reopened (`dtoc import corrections`).
    Corrections,
}

/// An event's stored form: the `entity`, `action` and `field` columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    pub entity: &'a str,
    pub action: &'a str,
    pub field: Option<Cow<'a, str>>,
}

const REASON_FROM: &str = "reason from ";

impl AuditEvent {
    /// The stored form (see the module).
    pub fn parts(&self) -> Parts<'_> {
        use AuditEvent as A;
        let fixed = |entity, action, field: Option<&'static str>| Parts {
            entity,
            action,
            field: field.map(Cow::Borrowed),
        };
        match self {
            A::Delay(e) => {
                let (action, field) = match e {
                    DelayEvent::Add => ("add", None),
                    DelayEvent::ChangeReason { from } => {
                        return Parts {
                            entity: "delay",
                            action: "change reason",
                            field: Some(Cow::Owned(format!("{REASON_FROM}{from}"))),
                        };
                    }
                    DelayEvent::End => ("end", None),
                    DelayEvent::Delete => ("delete", None),
                    DelayEvent::Edit(DelayField::ReadyDate) => ("edit", Some("ready date")),
                    DelayEvent::Edit(DelayField::PlannedPathway) => {
                        ("edit", Some("planned pathway"))
                    }
                    DelayEvent::Review => ("review", None),
                    DelayEvent::Note => ("note", None),
                    DelayEvent::AddAction => ("add action", None),
                    DelayEvent::CloseAction(c) => ("close action", Some(c.key())),
                    DelayEvent::EditAction(f) => ("edit action", Some(f.key())),
                    DelayEvent::Import => ("import", None),
                    DelayEvent::EndAtDischarge => ("end at discharge", Some("ended")),
                    DelayEvent::Reopen => ("reopen", None),
                    DelayEvent::CorrectEnd(f) => ("correct", Some(f.key())),
                };
                fixed("delay", action, field)
            }
            A::Stay(e) => {
                let (action, field) = match e {
                    StayEvent::Add => ("add", None),
                    StayEvent::Edit(f) => ("edit", Some(f.key())),
                    StayEvent::Correct(f) => ("correct", Some(f.key())),
                    StayEvent::ImportDischarge => ("import", Some("discharge")),
                    StayEvent::BulkLoad => ("bulk load", None),
                };
                fixed("stay", action, field)
            }
            A::Patient(e) => match e {
                PatientEvent::Add => fixed("patient", "add", None),
                PatientEvent::EditNhsNumber => fixed("patient", "edit", Some("NHS number")),
                PatientEvent::ImportNhsNumber => fixed("patient", "import", Some("NHS number")),
            },
            A::Site(e) => match e {
                SiteEvent::Add => fixed("site", "add", None),
                SiteEvent::Edit => fixed("site", "edit", None),
                SiteEvent::EditSnapshotDay => fixed("site", "edit", Some("snapshot_day")),
                SiteEvent::Coverage(e) => fixed("site", e.key(), Some("coverage_from")),
            },
            A::Authority(e) => {
                const DETAILS: Option<&str> = Some("name / region / legacy code");
                match e {
                    AuthorityEvent::Add => fixed("local_authority", "add", DETAILS),
                    AuthorityEvent::Edit => fixed("local_authority", "edit", DETAILS),
                    AuthorityEvent::EditRegion => {
                        fixed("local_authority", "edit", Some("region, legacy code"))
                    }
                }
            }
            A::Target(e) => fixed("target", e.key(), None),
            A::Population(e) => fixed("population", e.key(), None),
            A::Ward(e) => fixed("ward", e.key(), None),
            A::DischargeTarget => fixed("discharge_target", "set", None),
            A::Census => fixed("census", "set", None),
            A::ActionOwner => fixed("action owner", "add", None),
            A::CensusWard => fixed("census", "set", Some("ward")),
            A::Week(WeekEvent::Sign(side)) => fixed("week", "sign", Some(side.key())),
            A::Week(WeekEvent::Reopen) => fixed("week", "reopen", Some("signatures")),
            A::Week(WeekEvent::SameUserRule) => fixed("week", "rule", Some("same user")),
            A::ReconcileMark => fixed("reconcile", "mark", Some("status")),
            A::Reported(layout) => fixed("reported", "import", Some(layout.key())),
            A::Published => fixed("published", "import", None),
            A::Import(ImportFile::Delays) => fixed("import", "import delays", None),
            A::Import(ImportFile::Stays) => fixed("import", "import stays", None),
            A::Import(ImportFile::Corrections) => fixed("import", "import corrections", None),
            A::File(f) => fixed("file", f.key(), None),
            A::MonthCountRebuild => fixed("month_count", "rebuild", None),
            A::ReferenceBulkLoad => fixed("reference", "bulk load", None),
            A::DatabaseRepair => fixed("database", "repair", None),
            A::Other {
                entity,
                action,
                field,
            } => Parts {
                entity,
                action,
                field: field.as_deref().map(Cow::Borrowed),
            },
        }
    }

    /// The event a stored entry records; one this version does not write is [`AuditEvent::Other`].
    pub fn parse(entity: &str, action: &str, field: Option<&str>) -> Self {
        Self::known(entity, action, field).unwrap_or_else(|| AuditEvent::Other {
            entity: entity.to_string(),
            action: action.to_string(),
            field: field.map(str::to_string),
        })
    }

    fn known(entity: &str, action: &str, field: Option<&str>) -> Option<Self> {
        use AuditEvent as A;
        Some(match (entity, action, field) {
            ("delay", action, field) => A::Delay(match (action, field) {
                ("add", None) => DelayEvent::Add,
                ("change reason", Some(f)) => DelayEvent::ChangeReason {
                    from: f
                        .strip_prefix(REASON_FROM)
                        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())?,
                },
                ("end", None) => DelayEvent::End,
                ("delete", None) => DelayEvent::Delete,
                ("edit", Some("ready date")) => DelayEvent::Edit(DelayField::ReadyDate),
                ("edit", Some("planned pathway")) => DelayEvent::Edit(DelayField::PlannedPathway),
                ("review", None) => DelayEvent::Review,
                ("note", None) => DelayEvent::Note,
                ("add action", None) => DelayEvent::AddAction,
                ("close action", Some(f)) => DelayEvent::CloseAction(ActionClose::parse(f)?),
                ("edit action", Some(f)) => DelayEvent::EditAction(ActionField::parse(f)?),
                ("import", None) => DelayEvent::Import,
                ("end at discharge", Some("ended")) => DelayEvent::EndAtDischarge,
                ("reopen", None) => DelayEvent::Reopen,
                ("correct", Some(f)) => DelayEvent::CorrectEnd(EndDetail::parse(f)?),
                _ => return None,
            }),
            ("stay", action, field) => A::Stay(match (action, field) {
                ("add", None) => StayEvent::Add,
                ("edit", Some(f)) => StayEvent::Edit(StayField::parse(f)?),
                ("correct", Some(f)) => StayEvent::Correct(CorrectedField::parse(f)?),
                ("import", Some("discharge")) => StayEvent::ImportDischarge,
                ("bulk load", None) => StayEvent::BulkLoad,
                _ => return None,
            }),
            ("patient", "add", None) => A::Patient(PatientEvent::Add),
            ("patient", "edit", Some("NHS number")) => A::Patient(PatientEvent::EditNhsNumber),
            ("patient", "import", Some("NHS number")) => A::Patient(PatientEvent::ImportNhsNumber),
            ("site", "add", None) => A::Site(SiteEvent::Add),
            ("site", "edit", None) => A::Site(SiteEvent::Edit),
            ("site", "edit", Some("snapshot_day")) => A::Site(SiteEvent::EditSnapshotDay),
            ("site", a, Some("coverage_from")) => A::Site(SiteEvent::Coverage(Entry::parse(a)?)),
            ("local_authority", "add", Some("name / region / legacy code")) => {
                A::Authority(AuthorityEvent::Add)
            }
            ("local_authority", "edit", Some("name / region / legacy code")) => {
                A::Authority(AuthorityEvent::Edit)
            }
            ("local_authority", "edit", Some("region, legacy code")) => {
                A::Authority(AuthorityEvent::EditRegion)
            }
            ("target", a, None) => A::Target(Entry::parse(a)?),
            ("population", a, None) => A::Population(Entry::parse(a)?),
            ("ward", a, None) => A::Ward(Entry::parse(a)?),
            ("discharge_target", "set", None) => A::DischargeTarget,
            ("census", "set", None) => A::Census,
            ("action owner", "add", None) => A::ActionOwner,
            ("census", "set", Some("ward")) => A::CensusWard,
            ("week", "sign", Some(side)) => A::Week(WeekEvent::Sign(match side {
                "nhs" => Side::Nhs,
                "council" => Side::Council,
                _ => return None,
            })),
            ("week", "reopen", Some("signatures")) => A::Week(WeekEvent::Reopen),
            ("week", "rule", Some("same user")) => A::Week(WeekEvent::SameUserRule),
            ("reconcile", "mark", Some("status")) => A::ReconcileMark,
            ("reported", "import", Some(layout)) => A::Reported(ReportedLayout::parse(layout)?),
            ("published", "import", None) => A::Published,
            ("import", "import delays", None) => A::Import(ImportFile::Delays),
            ("import", "import stays", None) => A::Import(ImportFile::Stays),
            ("import", "import corrections", None) => A::Import(ImportFile::Corrections),
            ("file", "export", None) => A::File(FileAction::Export),
            ("file", "backup", None) => A::File(FileAction::Backup),
            ("file", "restore", None) => A::File(FileAction::Restore),
            ("month_count", "rebuild", None) => A::MonthCountRebuild,
            ("reference", "bulk load", None) => A::ReferenceBulkLoad,
            ("database", "repair", None) => A::DatabaseRepair,
            _ => return None,
        })
    }
}

/// The stored text of a fieldless enum's variants, from one list: `ALL`, `key` (the text) and
/// `parse` (the variant of a text).
macro_rules! stored_text {
    ($t:ident { $($v:ident => $s:literal),+ $(,)? }) => {
        impl $t {
            pub const ALL: &'static [$t] = &[$($t::$v),+];

            fn key(self) -> &'static str {
                match self {
                    $($t::$v => $s),+
                }
            }

            fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.key() == s)
            }
        }
    };
}

stored_text!(StayField {
    Ward => "ward",
    Bed => "bed",
    ExpectedDischarge => "expected discharge",
    Admitted => "admitted",
    Site => "site",
    Authority => "authority",
});

stored_text!(CorrectedField {
    Site => "site",
    Admitted => "admitted",
    LocalId => "local id",
    NhsNumber => "NHS number",
    Discharged => "discharged",
    Pathway => "pathway",
    Destination => "destination",
    UsualResidence => "usual residence",
});

stored_text!(ActionClose {
    Done => "done",
    Cancelled => "cancelled",
});

stored_text!(ActionField {
    Text => "text",
    Owner => "owner",
    Due => "due date",
});

stored_text!(EndDetail {
    Date => "end date",
    Kind => "end kind",
});

stored_text!(Entry {
    Set => "set",
    Import => "import",
});

stored_text!(ReportedLayout {
    Totals => "totals",
    PatientLevel => "patient-level",
});

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event this version writes (every variant and field but `Other`).
    fn every_event() -> Vec<AuditEvent> {
        use AuditEvent as A;
        let day = NaiveDate::from_ymd_opt(2018, 7, 30).unwrap();
        let mut all = vec![
            A::Delay(DelayEvent::Add),
            A::Delay(DelayEvent::ChangeReason { from: day }),
            A::Delay(DelayEvent::End),
            A::Delay(DelayEvent::Delete),
            A::Delay(DelayEvent::Edit(DelayField::ReadyDate)),
            A::Delay(DelayEvent::Edit(DelayField::PlannedPathway)),
            A::Delay(DelayEvent::Review),
            A::Delay(DelayEvent::Note),
            A::Delay(DelayEvent::Import),
            A::Delay(DelayEvent::EndAtDischarge),
            A::Delay(DelayEvent::Reopen),
            A::Delay(DelayEvent::CorrectEnd(EndDetail::Date)),
            A::Delay(DelayEvent::CorrectEnd(EndDetail::Kind)),
            A::Stay(StayEvent::Add),
            A::Stay(StayEvent::ImportDischarge),
            A::Stay(StayEvent::BulkLoad),
            A::Patient(PatientEvent::Add),
            A::Patient(PatientEvent::EditNhsNumber),
            A::Patient(PatientEvent::ImportNhsNumber),
            A::Site(SiteEvent::Add),
            A::Site(SiteEvent::Edit),
            A::Site(SiteEvent::EditSnapshotDay),
            A::Site(SiteEvent::Coverage(Entry::Set)),
            A::Site(SiteEvent::Coverage(Entry::Import)),
            A::Authority(AuthorityEvent::Add),
            A::Authority(AuthorityEvent::Edit),
            A::Authority(AuthorityEvent::EditRegion),
            A::Target(Entry::Set),
            A::Target(Entry::Import),
            A::Population(Entry::Set),
            A::Population(Entry::Import),
            A::Ward(Entry::Set),
            A::Ward(Entry::Import),
            A::DischargeTarget,
            A::Census,
            A::ActionOwner,
            A::Delay(DelayEvent::AddAction),
            A::Delay(DelayEvent::CloseAction(ActionClose::Done)),
            A::Delay(DelayEvent::CloseAction(ActionClose::Cancelled)),
            A::CensusWard,
            A::Week(WeekEvent::Sign(Side::Nhs)),
            A::Week(WeekEvent::Sign(Side::Council)),
            A::Week(WeekEvent::Reopen),
            A::Week(WeekEvent::SameUserRule),
            A::ReconcileMark,
            A::Reported(ReportedLayout::Totals),
            A::Reported(ReportedLayout::PatientLevel),
            A::Published,
            A::Import(ImportFile::Delays),
            A::Import(ImportFile::Stays),
            A::Import(ImportFile::Corrections),
            A::File(FileAction::Export),
            A::File(FileAction::Backup),
            A::File(FileAction::Restore),
            A::MonthCountRebuild,
            A::ReferenceBulkLoad,
            A::DatabaseRepair,
        ];
        all.extend(
            ActionField::ALL
                .iter()
                .map(|&f| A::Delay(DelayEvent::EditAction(f))),
        );
        all.extend(StayField::ALL.iter().map(|&f| A::Stay(StayEvent::Edit(f))));
        all.extend(
            CorrectedField::ALL
                .iter()
                .map(|&f| A::Stay(StayEvent::Correct(f))),
        );
        all
    }

    #[test]
    fn every_event_round_trips_through_its_stored_text() {
        let all = every_event();
        let mut seen = std::collections::HashSet::new();
        for e in &all {
            let p = e.parts();
            assert!(
                seen.insert((p.entity, p.action, p.field.clone())),
                "{e:?} is stored as another event is: {p:?}"
            );
            assert_eq!(
                AuditEvent::parse(p.entity, p.action, p.field.as_deref()),
                *e,
                "{p:?}"
            );
        }
        assert_eq!(all.len(), 74);
    }

    /// The text each entry of the store was written with before the events were typed (one
    /// line per call of the writer, in the order of the files).
    const WRITTEN: &[(&str, &str, Option<&str>)] = &[
        ("reported", "import", Some("totals")),
        ("reported", "import", Some("patient-level")),
        ("reconcile", "mark", Some("status")),
        ("week", "sign", Some("nhs")),
        ("week", "sign", Some("council")),
        ("week", "reopen", Some("signatures")),
        ("published", "import", None),
        ("local_authority", "edit", Some("region, legacy code")),
        ("target", "set", None),
        ("population", "set", None),
        ("census", "set", None),
        ("site", "add", None),
        ("site", "edit", None),
        ("site", "edit", Some("snapshot_day")),
        ("delay", "end at discharge", Some("ended")),
        ("database", "repair", None),
        ("patient", "add", None),
        ("patient", "edit", Some("NHS number")),
        ("patient", "import", Some("NHS number")),
        ("stay", "edit", Some("ward")),
        ("stay", "edit", Some("bed")),
        ("stay", "edit", Some("expected discharge")),
        ("delay", "note", None),
        ("delay", "add", None),
        ("delay", "change reason", Some("reason from 2018-07-30")),
        ("delay", "end", None),
        ("delay", "delete", None),
        ("delay", "edit", Some("ready date")),
        ("delay", "edit", Some("planned pathway")),
        ("stay", "edit", Some("admitted")),
        ("stay", "edit", Some("site")),
        ("stay", "edit", Some("authority")),
        ("delay", "review", None),
        ("stay", "add", None),
        ("import", "import stays", None),
        ("discharge_target", "set", None),
        ("stay", "import", Some("discharge")),
        ("file", "export", None),
        ("file", "backup", None),
        ("file", "restore", None),
        ("month_count", "rebuild", None),
        (
            "local_authority",
            "add",
            Some("name / region / legacy code"),
        ),
        (
            "local_authority",
            "edit",
            Some("name / region / legacy code"),
        ),
        ("reference", "bulk load", None),
        ("stay", "bulk load", None),
        ("stay", "correct", Some("site")),
        ("stay", "correct", Some("admitted")),
        ("stay", "correct", Some("local id")),
        ("stay", "correct", Some("NHS number")),
        ("population", "import", None),
        ("target", "import", None),
        ("import", "import delays", None),
        ("delay", "import", None),
        ("delay", "reopen", None),
        ("import", "import corrections", None),
        ("delay", "correct", Some("end date")),
        ("delay", "correct", Some("end kind")),
        ("stay", "correct", Some("discharged")),
        ("stay", "correct", Some("pathway")),
        ("stay", "correct", Some("destination")),
        ("stay", "correct", Some("usual residence")),
        ("site", "set", Some("coverage_from")),
        ("site", "import", Some("coverage_from")),
        ("ward", "set", None),
        ("ward", "import", None),
        ("action owner", "add", None),
        ("delay", "add action", None),
        ("delay", "close action", Some("done")),
        ("delay", "close action", Some("cancelled")),
        ("delay", "edit action", Some("text")),
        ("delay", "edit action", Some("owner")),
        ("delay", "edit action", Some("due date")),
        ("week", "rule", Some("same user")),
        ("census", "set", Some("ward")),
    ];

    #[test]
    fn every_text_written_before_parses_and_is_written_again_the_same() {
        for &(entity, action, field) in WRITTEN {
            let e = AuditEvent::parse(entity, action, field);
            assert!(
                !matches!(e, AuditEvent::Other { .. }),
                "{entity} {action} {field:?}"
            );
            let p = e.parts();
            assert_eq!(
                (p.entity, p.action, p.field.as_deref()),
                (entity, action, field)
            );
        }
        assert_eq!(WRITTEN.len(), every_event().len());
    }

    #[test]
    fn an_entry_of_another_version_is_kept_as_stored() {
        for (entity, action, field) in [
            ("delay", "teleport", None),
            ("stay", "edit", Some("colour")),
            ("delay", "change reason", Some("reason from someday")),
            ("week", "sign", Some("both")),
            ("board", "open", None),
            ("", "", None),
        ] {
            let e = AuditEvent::parse(entity, action, field);
            assert_eq!(
                e,
                AuditEvent::Other {
                    entity: entity.into(),
                    action: action.into(),
                    field: field.map(str::to_string),
                }
            );
            let p = e.parts();
            assert_eq!(
                (p.entity, p.action, p.field.as_deref()),
                (entity, action, field)
            );
        }
    }
}
