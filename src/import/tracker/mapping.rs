//! A tracker's column mapping: which header of the hub's own sheet holds which column of the
//! delays file, which columns take one value for every row, and which texts stand for which code.
//! Suggested from the headers ([`suggest`], a table of the names trackers use), saved as a small
//! TOML file so that the next import reads the same way.

use super::super::{DELAY_COLUMNS, DELAY_OPTIONAL};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The columns of the delays file that need a value on every row: a tracker must give each one a
/// header or a fixed value.
pub const NEEDS_VALUE: &[&str] = &[
    "local_id",
    "provider",
    "site",
    "setting",
    "la_code",
    "admitted_on",
    "delay_start",
    "reason",
    "attribution",
];

/// The columns read as dates (Excel date cells, serial numbers, `dd/mm/yy`, `dd/mm/yyyy`, ISO).
pub const DATE_COLUMNS: &[&str] = &[
    "admitted_on",
    "delay_start",
    "delay_end",
    "discharged_on",
    "expected_on",
    "was_admitted_on",
];

/// A mapping, as saved (`--save-mapping`) and read back (`--mapping`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The sheet read (default: the first with a header row).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// The header's row, counted from 1 as the spreadsheet shows it (default: found).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u32>,
    /// Column of the delays file → the sheet's header holding it.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Column of the delays file → the value of every row (an empty value is not set).
    #[serde(default)]
    pub fixed: BTreeMap<String, String>,
    /// Column of the delays file → (a text of the sheet → the value dtoc reads instead), matched
    /// ignoring case and surrounding spaces.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

/// Every column of the delays file.
pub fn delay_columns() -> impl Iterator<Item = &'static str> {
    DELAY_COLUMNS.iter().chain(DELAY_OPTIONAL).copied()
}

/// The names trackers give each column (compared after [`normalise`]).
const SYNONYMS: &[(&str, &[&str])] = &[
    (
        "local_id",
        &[
            "hosp no",
            "hosp number",
            "hospital no",
            "hospital number",
            "hospital id",
            "mrn",
            "local id",
            "local number",
            "patient id",
            "unit no",
            "unit number",
            "pas no",
            "pas number",
            "case no",
        ],
    ),
    ("nhs_number", &["nhs no", "nhs number", "nhs", "nhs num"]),
    (
        "provider",
        &["provider", "trust", "provider code", "trust code"],
    ),
    ("site", &["site", "site code", "hospital", "hospital site"]),
    (
        "setting",
        &["setting", "type of care", "care type", "acute non acute"],
    ),
    (
        "la_code",
        &[
            "la",
            "la code",
            "la name",
            "local authority",
            "authority",
            "council",
            "social services",
        ],
    ),
    (
        "admitted_on",
        &[
            "admitted",
            "admission date",
            "date admitted",
            "date of admission",
            "admission",
            "doa",
            "admitted on",
        ],
    ),
    (
        "delay_start",
        &[
            "date mffd",
            "mffd",
            "mffd date",
            "medically fit",
            "medically fit date",
            "date medically fit",
            "medically fit for discharge",
            "mfd",
            "rfd",
            "rfd date",
            "date rfd",
            "ready date",
            "ready for discharge",
            "date ready",
            "medically optimised",
            "date medically optimised",
            "delay start",
            "delay start date",
            "drd",
            "discharge ready date",
        ],
    ),
    (
        "delay_end",
        &["delay end", "delay end date", "date delay ended"],
    ),
    (
        "reason",
        &[
            "delay reason",
            "reason",
            "reason for delay",
            "dtoc reason",
            "delay code",
            "reason code",
        ],
    ),
    (
        "attribution",
        &[
            "attribution",
            "attributable to",
            "responsible",
            "responsible organisation",
            "responsibility",
            "agency",
        ],
    ),
    (
        "discharged_on",
        &[
            "discharged",
            "discharge date",
            "date discharged",
            "date of discharge",
            "actual discharge",
            "actual discharge date",
            "discharged on",
        ],
    ),
    ("pathway", &["discharge pathway", "actual pathway"]),
    (
        "planned_pathway",
        &["pathway", "planned pathway", "expected pathway"],
    ),
    ("destination", &["destination", "discharge destination"]),
    ("ward", &["ward", "ward name", "ward code"]),
    ("bed", &["bed", "bed no", "bed number", "bay bed"]),
    (
        "expected_on",
        &[
            "edd",
            "expected discharge",
            "expected discharge date",
            "estimated discharge date",
            "estimated date of discharge",
        ],
    ),
];

/// A header as compared: lower case, punctuation and `_` as spaces, spaces collapsed
/// (`Hosp. No` → `hosp no`, `Date_MFFD` → `date mffd`).
pub fn normalise(header: &str) -> String {
    let spaced: String = header
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_lowercase().next().unwrap_or(c)
            } else {
                ' '
            }
        })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The column of the delays file a header names, if it is a known name (a column's own name, as
/// `import delays` spells it, counts too).
pub fn column_of(header: &str) -> Option<&'static str> {
    let n = normalise(header);
    if n.is_empty() {
        return None;
    }
    // The names trackers use first: a tracker's `Pathway` is the pathway a patient waits for
    // (`planned_pathway`), not the delays file's `pathway` of a discharge.
    SYNONYMS
        .iter()
        .find(|(_, names)| names.contains(&n.as_str()))
        .map(|(c, _)| *c)
        .or_else(|| delay_columns().find(|c| normalise(c) == n))
}

/// The mapping suggested for a header row: each known header to its column, the first of two
/// headers naming one column winning.
pub fn suggest(headers: &[String]) -> BTreeMap<String, String> {
    let mut columns = BTreeMap::new();
    for h in headers {
        if let Some(c) = column_of(h) {
            columns
                .entry(c.to_string())
                .or_insert_with(|| h.trim().to_string());
        }
    }
    columns
}

impl Mapping {
    /// Reads a mapping file's text (`file` names it in errors).
    pub fn parse(file: &str, text: &str) -> crate::Result<Mapping> {
        let m: Mapping = toml::from_str(text).map_err(|e| {
            crate::Error::input(
                file,
                0,
                None,
                None,
                format!("is not a tracker mapping: {}", e.message()),
            )
        })?;
        m.check(file)?;
        Ok(m)
    }

    /// The mapping as TOML, with a comment saying how to read it.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).unwrap_or_default();
        format!(
            "# dtoc import tracker: the sheet's columns and the delays file's columns.\n\
             # [columns]: column = \"the sheet's header\"; [fixed]: column = \"the value of every row\"\n\
             # (an empty value is not set); [values.column]: \"a text of the sheet\" = \"what dtoc reads\".\n\
             {body}"
        )
    }

    /// Refuses a column the delays file does not have, and a column both read and fixed.
    pub fn check(&self, file: &str) -> crate::Result<()> {
        let mut problems = Vec::new();
        let known = |c: &str| delay_columns().any(|k| k == c);
        for (table, cols) in [
            ("columns", self.columns.keys().collect::<Vec<_>>()),
            ("fixed", self.fixed.keys().collect()),
            ("values", self.values.keys().collect()),
        ] {
            for c in cols {
                if !known(c) {
                    problems.push(format!(
                        "[{table}] names `{}`, not a column of the delays file",
                        crate::domain::text::echo(c)
                    ));
                }
            }
        }
        for (c, v) in &self.fixed {
            if !v.trim().is_empty() && self.columns.contains_key(c) {
                problems.push(format!(
                    "`{c}` is both read from a header and fixed: keep one"
                ));
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(crate::Error::input(
                file,
                0,
                None,
                None,
                format!(
                    "{} (columns: {})",
                    problems.join("; "),
                    delay_columns().collect::<Vec<_>>().join(", ")
                ),
            ))
        }
    }

    /// The value of every row of `column`, when it is fixed.
    pub fn fixed(&self, column: &str) -> Option<&str> {
        self.fixed
            .get(column)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The value `text` stands for in `column`, when the mapping says.
    pub fn value(&self, column: &str, text: &str) -> Option<&str> {
        let t = text.trim();
        self.values
            .get(column)?
            .iter()
            .find(|(k, _)| k.trim().eq_ignore_ascii_case(t))
            .map(|(_, v)| v.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_trackers_use_match_their_columns() {
        for (h, c) in [
            ("Hosp No", "local_id"),
            ("Hosp. No.", "local_id"),
            ("Hospital number", "local_id"),
            ("MRN", "local_id"),
            ("NHS No", "nhs_number"),
            ("Date MFFD", "delay_start"),
            ("MFFD", "delay_start"),
            ("Medically fit", "delay_start"),
            ("RFD", "delay_start"),
            ("Ready date", "delay_start"),
            ("Delay reason", "reason"),
            ("Reason", "reason"),
            ("  Ward ", "ward"),
            ("Bed", "bed"),
            ("EDD", "expected_on"),
            ("Expected discharge", "expected_on"),
            ("Pathway", "planned_pathway"),
            ("LA", "la_code"),
            ("Local authority", "la_code"),
            ("Admitted", "admitted_on"),
            ("Admission date", "admitted_on"),
            ("Site", "site"),
            ("delay_start", "delay_start"),
            ("LA_CODE", "la_code"),
        ] {
            assert_eq!(column_of(h), Some(c), "{h}");
        }
        for h in [
            "",
            "Notes",
            "Discharge tracker July 2018",
            "Date",
            "Ward 7 delays",
        ] {
            assert_eq!(column_of(h), None, "{h}");
        }
    }

    #[test]
    fn the_first_of_two_headers_for_one_column_wins() {
        let headers: Vec<String> = ["Reason", "Delay reason", "Hosp No", "Notes"]
            .map(String::from)
            .to_vec();
        let s = suggest(&headers);
        assert_eq!(s.len(), 2);
        assert_eq!(s["reason"], "Reason");
        assert_eq!(s["local_id"], "Hosp No");
    }

    #[test]
    fn a_mapping_round_trips_through_toml_and_unknown_columns_are_refused() {
        let mut m = Mapping {
            sheet: Some("Delays".into()),
            header_row: Some(3),
            ..Mapping::default()
        };
        m.columns.insert("local_id".into(), "Hosp No".into());
        m.fixed.insert("provider".into(), "RWE".into());
        m.values
            .entry("la_code".into())
            .or_default()
            .insert("Leics".into(), "E10000018".into());
        let text = m.to_toml();
        assert_eq!(Mapping::parse("m.toml", &text).unwrap(), m);
        assert_eq!(m.value("la_code", " leics "), Some("E10000018"));
        assert_eq!(m.fixed("provider"), Some("RWE"));

        let bad = Mapping::parse("m.toml", "[columns]\nhosp = \"Hosp No\"\n").unwrap_err();
        assert!(
            bad.to_string()
                .starts_with("m.toml: [columns] names `hosp`"),
            "{bad}"
        );
        let both = Mapping::parse(
            "m.toml",
            "[columns]\nsite = \"Site\"\n[fixed]\nsite = \"RWE01\"\n",
        )
        .unwrap_err();
        assert!(both.to_string().contains("`site` is both read"), "{both}");
        let junk = Mapping::parse("m.toml", "columns = 3").unwrap_err();
        assert!(
            junk.to_string()
                .starts_with("m.toml: is not a tracker mapping"),
            "{junk}"
        );
    }
}
