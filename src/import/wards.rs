//! The wards file (issue 26): `site,ward_code,name,beds`, one ward a row (name and beds may be
//! empty). A ward named twice for a site (any case) is refused, naming both lines.

use super::{check_rows, finish, read_table, read_table_bytes, Checked, Table};
use crate::domain::{same_label, Ward, WardError};
use crate::error::Result;
use std::path::Path;

pub const WARD_COLUMNS: &[&str] = &["site", "ward_code"];
pub const WARD_OPTIONAL: &[&str] = &["name", "beds"];

/// Reads a wards file.
pub fn read_wards(path: &Path) -> Result<Checked<Ward>> {
    check_wards(read_table(path, WARD_COLUMNS, WARD_OPTIONAL)?)
}

/// The same from bytes in memory.
pub fn read_wards_bytes(file: &str, bytes: &[u8]) -> Result<Checked<Ward>> {
    check_wards(read_table_bytes(file, bytes, WARD_COLUMNS, WARD_OPTIONAL)?)
}

fn check_wards(table: Table) -> Result<Checked<Ward>> {
    let mut seen: Vec<(String, String, u64)> = Vec::new();
    let (records, errors) = check_rows(&table, |r| {
        let site = r.site();
        let code = r.req("ward_code", |v| Ok::<_, String>(v.to_string()));
        let name = r.raw("name").to_string();
        let beds = r.opt("beds", |v| {
            v.parse::<u32>().map_err(|_| WardError::Beds.to_string())
        });
        let (Some(site), Some(code), Ok(beds)) = (site, code, beds) else {
            return None;
        };
        match Ward::new(&site, &code, &name, beds) {
            Ok(w) => {
                if let Some((_, _, prev)) = seen.iter().find(|(s, c, _)| {
                    s.eq_ignore_ascii_case(&w.site_code) && same_label(c, &w.code)
                }) {
                    r.fail(
                        "ward_code",
                        Some(&w.code),
                        format!("{} {} is also on line {prev}", w.site_code, w.code),
                    );
                    return None;
                }
                seen.push((w.site_code.clone(), w.code.clone(), r.line));
                Some(w)
            }
            Err(e) => {
                let col = e.field();
                let v = r.raw(col).to_string();
                r.fail(col, Some(&v), e.to_string());
                None
            }
        }
    });
    finish(&table.file, records, errors, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wards_file_is_read_and_its_bad_rows_named() {
        let ok = read_wards_bytes(
            "wards.csv",
            b"site,ward_code,name,beds\nRX1,W7,Ward 7,28\nRX1,W10,,\nRX2,w7,Rutland 7,12\n",
        )
        .expect("valid");
        assert_eq!(ok.records.len(), 3);
        assert_eq!(ok.records[1].name, "W10");
        assert_eq!(ok.records[1].beds, None);
        assert_eq!(ok.records[0].beds, Some(28));
        let bad = read_wards_bytes(
            "wards.csv",
            b"site,ward_code,name,beds\nRX1,W7,Ward 7,0\nRX1,W8,,x\nRX1,W9,,\nRX1,w9,again,\n",
        )
        .expect_err("bad rows")
        .to_string();
        assert!(bad.contains("line 2"), "{bad}");
        assert!(bad.contains("beds"), "{bad}");
        assert!(bad.contains("line 3"), "{bad}");
        assert!(bad.contains("RX1 w9 is also on line 4"), "{bad}");
    }
}
