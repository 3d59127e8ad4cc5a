//! The one rule for an authority code on the command line (`--la`, `--group`), used by every
//! command that takes one: a current ONS code, in any case (`e10000018`); a legacy code of the
//! published returns (`508`) mapped to its ONS code; anything the database does not know refused
//! with the same message and a non-zero exit.

use crate::store::Store;
use anyhow::{bail, Result};

/// The ONS code `code` names, or the one refusal every command gives.
pub fn authority_code(store: &Store, flag: &str, code: &str) -> Result<String> {
    match store.authority_code(code)? {
        Some(c) => Ok(c.as_str().to_string()),
        None => {
            let shown = if code.trim().is_empty() {
                "\"\"".to_string()
            } else {
                crate::domain::text::echo(code)
            };
            bail!(
                "{flag} {shown}: no such authority in this database (give an ONS code it holds, \
                 e.g. E10000018, or a legacy code such as 508 once `dtoc import published` has \
                 read returns that use it, or Settings has set it)"
            )
        }
    }
}

/// [`authority_code`] of each code, in order, without repeats.
pub fn authority_codes(store: &Store, flag: &str, codes: &[String]) -> Result<Vec<String>> {
    each_once(codes, |c| authority_code(store, flag, c))
}

/// `one` of each of `codes`, in order, without repeats (two spellings of one code give it once).
pub(super) fn each_once(
    codes: &[String],
    one: impl Fn(&str) -> Result<String>,
) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(codes.len());
    for c in codes {
        let c = one(c)?;
        if !out.contains(&c) {
            out.push(c);
        }
    }
    Ok(out)
}
