//! `dtoc actions`: the list of actions (open, overdue, one owner's) to the terminal or a file.
//! Patient-level: a file is created owner-only (0600) and replaced only with `--force`; every
//! list written, to a file or the terminal, is audited as an export.

use super::output::{self, Format};
use crate::report::actions::{actions_table, ActionsScope};
use crate::store::{ActionFilter, FileAction, Store};
use anyhow::{bail, Result};
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;

/// What `dtoc actions` was asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionsArgs {
    pub open: bool,
    pub overdue: bool,
    pub owner: Option<String>,
}

pub fn actions(
    store: &mut Store,
    a: &ActionsArgs,
    file: Option<&Path>,
    format: Format,
    today: NaiveDate,
    out: &mut dyn Write,
) -> Result<()> {
    let filter = ActionFilter {
        open: a.open,
        overdue: a.overdue,
        owner: a.owner.clone(),
    };
    if let Some(o) = &a.owner {
        let owners = store.action_owners()?;
        let wanted = o.split_whitespace().collect::<Vec<_>>().join(" ");
        if !owners.iter().any(|x| x.eq_ignore_ascii_case(&wanted)) {
            bail!(
                "--owner {wanted}: not on the owners' list (the owners are: {})",
                if owners.is_empty() {
                    "none yet".to_string()
                } else {
                    owners.join(", ")
                }
            );
        }
    }
    let rows = store.action_list(&filter, today)?;
    let scope = if a.overdue {
        ActionsScope::Overdue
    } else if a.open {
        ActionsScope::Open
    } else {
        ActionsScope::All
    };
    let t = actions_table(&rows, scope, a.owner.as_deref(), today);
    if format == Format::Xlsx && file.is_none() {
        bail!("--format xlsx needs --out FILE.xlsx");
    }
    let buf = output::render(std::slice::from_ref(&t), format, today)?;
    match file {
        Some(path) => {
            let note = output::write_private(path, &buf)?;
            store.audit_file(FileAction::Export, "actions", Some(rows.len()), path)?;
            if let Some(n) = note {
                writeln!(out, "note: {n}")?;
            }
            writeln!(out, "{} actions written to {}", rows.len(), path.display())?;
        }
        None => {
            out.write_all(&buf)?;
            let stdout = Path::new("(standard output)");
            store.audit_file(FileAction::Export, "actions", Some(rows.len()), stdout)?;
        }
    }
    Ok(())
}
