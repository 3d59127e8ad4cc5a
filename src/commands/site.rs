//! The one rule for a site code on the command line (`--site`), used by every command that takes
//! one: a code the database holds, in any case (`rwe01` is `RWE01`); anything else refused with the
//! same message, which never repeats an NHS number typed there by mistake.

use crate::domain::text::echo;
use crate::store::Store;
use anyhow::{bail, Result};

/// How many of the database's site codes the refusal lists before "and N more".
const LISTED: usize = 8;

/// The stored site code `code` names, or the one refusal every command gives.
pub fn site_code(store: &Store, flag: &str, code: &str) -> Result<String> {
    let sites = store.sites()?;
    let want = code.trim();
    if let Some(s) = sites.iter().find(|s| s.code.eq_ignore_ascii_case(want)) {
        return Ok(s.code.clone());
    }
    let shown = if want.is_empty() {
        "\"\"".to_string()
    } else {
        echo(code)
    };
    let codes: Vec<&str> = sites.iter().map(|s| s.code.as_str()).collect();
    let held = match codes.len() {
        0 => "it holds no site yet".to_string(),
        n if n <= LISTED => format!("it holds {}", codes.join(", ")),
        n => format!(
            "it holds {} and {} more: `dtoc coverage` lists them",
            codes[..LISTED].join(", "),
            n - LISTED
        ),
    };
    bail!("{flag} {shown}: no such site in this database ({held})")
}

/// [`site_code`] of each code, in order, without repeats.
pub fn site_codes(store: &Store, flag: &str, codes: &[String]) -> Result<Vec<String>> {
    super::authority::each_once(codes, |c| site_code(store, flag, c))
}
