//! The audit log as an export (`dtoc export audit`): every change in a date range, with NHS numbers
//! masked. An entry about an NHS number keeps only the last four digits (`*** *** 5919`), and any
//! other run of ten digits (or 3-3-4 digits) in a value is masked the same way, so that an export can
//! leave the hub without carrying a patient identifier.

use super::table::{Kind, Table, Value};
use crate::store::AuditEntry;
use chrono::NaiveDate;

/// The columns of the CSV export.
pub const AUDIT_HEADER: &str = "id,at,user,entity,entity_id,action,field,old_value,new_value";

/// Masks every NHS-number-like run of digits in `s`: ten digits, optionally grouped 3-3-4 by
/// spaces, not part of a longer run of digits.
pub fn mask_nhs_numbers(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if let Some((len, last4)) = nhs_like_at(&chars, i) {
            out.push_str("*** *** ");
            out.push_str(&last4);
            i += len;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The length and last four digits of an NHS-number-like run starting at `i`.
fn nhs_like_at(chars: &[char], i: usize) -> Option<(usize, String)> {
    if i > 0 && chars[i - 1].is_ascii_digit() {
        return None;
    }
    for grouped in [false, true] {
        let mut digits = String::new();
        let mut j = i;
        while j < chars.len() && digits.len() < 10 {
            let c = chars[j];
            if c.is_ascii_digit() {
                digits.push(c);
                j += 1;
            } else if grouped && c == ' ' && (digits.len() == 3 || digits.len() == 6) {
                j += 1;
            } else {
                break;
            }
        }
        let ends = j >= chars.len() || !chars[j].is_ascii_digit();
        if digits.len() == 10 && ends {
            return Some((j - i, digits[6..].to_string()));
        }
    }
    None
}

/// An entry fit to export: NHS numbers masked in every value.
pub fn masked(e: &AuditEntry) -> AuditEntry {
    let about_nhs = e.field().is_some_and(|f| {
        f.to_ascii_lowercase()
            .replace('_', " ")
            .contains("nhs number")
    });
    let value = |v: &Option<String>| {
        v.as_deref().map(|v| {
            let m = mask_nhs_numbers(v);
            if about_nhs && !m.starts_with("*** *** ") {
                // An NHS-number field whose value is not a recognisable number: hide it whole.
                "***".to_string()
            } else {
                m
            }
        })
    };
    AuditEntry {
        old_value: value(&e.old_value),
        new_value: value(&e.new_value),
        entity_id: mask_nhs_numbers(&e.entity_id),
        ..e.clone()
    }
}

/// The entries (masked) as a table with the columns of [`AUDIT_HEADER`]: a list of records, so
/// nothing in it is a count to suppress.
pub fn audit_table(entries: &[AuditEntry], from: NaiveDate, to: NaiveDate) -> Table {
    let mut t = Table::new(format!("Audit log, {from} to {to}"), "Audit log");
    t.notes
        .push("NHS numbers are masked to their last four digits.".into());
    for (i, name) in AUDIT_HEADER.split(',').enumerate() {
        let kind = match i {
            0 => Kind::Integer,
            1 => Kind::DateTime,
            _ => Kind::Text,
        };
        t.column(name, kind);
    }
    for e in entries.iter().map(masked) {
        let text = |v: Option<String>| Value::Text(v.unwrap_or_default());
        t.rows.push(vec![
            Value::opt_int(u64::try_from(e.id).ok()),
            // `at` as stored (`YYYY-MM-DDTHH:MM:SSZ`, UTC) is a moment; anything else stays text.
            chrono::NaiveDateTime::parse_from_str(&e.at, "%Y-%m-%dT%H:%M:%SZ")
                .map_or_else(|_| Value::Text(e.at.clone()), Value::DateTime),
            Value::Text(e.user.clone()),
            Value::Text(e.entity().to_string()),
            Value::Text(e.entity_id.clone()),
            Value::Text(e.action().to_string()),
            text(e.field()),
            text(e.old_value),
            text(e.new_value),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_are_masked_wherever_they_appear() {
        assert_eq!(mask_nhs_numbers("9434765919"), "*** *** 5919");
        assert_eq!(
            mask_nhs_numbers("patient 943 476 5919 moved"),
            "patient *** *** 5919 moved"
        );
        // Not ten digits on their own: left alone.
        assert_eq!(mask_nhs_numbers("12345678901"), "12345678901");
        assert_eq!(mask_nhs_numbers("2018-07-30"), "2018-07-30");
        let e = AuditEntry {
            id: 1,
            at: "t".into(),
            user: "u".into(),
            event: crate::store::AuditEvent::Patient(crate::store::PatientEvent::EditNhsNumber),
            entity_id: "3".into(),
            old_value: Some("unknown".into()),
            new_value: Some("6541003238".into()),
        };
        let m = masked(&e);
        assert_eq!(m.old_value.as_deref(), Some("***"));
        assert_eq!(m.new_value.as_deref(), Some("*** *** 3238"));
    }
}
