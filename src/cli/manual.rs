//! `dtoc completions SHELL` and `dtoc man`: the shell's completion script and the manual page,
//! both generated from the command line's own definition (clap_complete, clap_mangen), so they
//! never disagree with `--help`.

use super::{Cli, ShellArg};
use anyhow::{Context, Result};
use clap::CommandFactory;
use std::io::Write;
use std::path::Path;

/// Writes the completion script of `shell` to `out`.
pub fn completions(shell: ShellArg, out: &mut dyn Write) -> Result<()> {
    use clap_complete::Shell;
    let shell = match shell {
        ShellArg::Bash => Shell::Bash,
        ShellArg::Zsh => Shell::Zsh,
        ShellArg::Fish => Shell::Fish,
        ShellArg::Powershell => Shell::PowerShell,
    };
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "dtoc", out);
    Ok(())
}

/// The manual page (roff): clap_mangen's page of the command, then a section with each command's
/// own options (`dtoc report monthly` …), as `--help` gives them.
pub fn man_page() -> Result<Vec<u8>> {
    let cmd = Cli::command();
    let mut buf: Vec<u8> = Vec::new();
    clap_mangen::Man::new(cmd.clone()).render(&mut buf)?;
    writeln!(buf, ".SH \"COMMANDS IN DETAIL\"")?;
    for sub in cmd.get_subcommands() {
        section(sub, "dtoc", &mut buf)?;
    }
    Ok(buf)
}

/// One command's subsection (then its subcommands'): what it does, its own arguments (the global
/// ones are in OPTIONS above) and its examples.
fn section(cmd: &clap::Command, parent: &str, buf: &mut Vec<u8>) -> Result<()> {
    let name = format!("{parent} {}", cmd.get_name());
    writeln!(buf, ".SS \"{}\"", roff(&name))?;
    if let Some(about) = cmd.get_long_about().or(cmd.get_about()) {
        writeln!(buf, "{}", roff(&about.to_string()))?;
    }
    // Not built: a command's arguments are its own (the global ones are not copied down yet).
    for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
        let flag = match (a.get_long(), a.get_short()) {
            (Some(l), _) => format!("\\fB\\-\\-{}\\fR", roff(l)),
            (None, Some(c)) => format!("\\fB\\-{c}\\fR"),
            (None, None) => String::new(),
        };
        let takes_value = matches!(
            a.get_action(),
            clap::ArgAction::Set | clap::ArgAction::Append
        );
        let value = a
            .get_value_names()
            .and_then(|v| v.first())
            .map(|v| v.to_string())
            .unwrap_or_else(|| a.get_id().as_str().to_ascii_uppercase());
        let value = if takes_value {
            format!("\\fI<{}>\\fR", roff(&value))
        } else {
            String::new()
        };
        writeln!(buf, ".TP")?;
        writeln!(buf, "{}", [flag, value].join(" ").trim())?;
        if let Some(help) = a.get_long_help().or(a.get_help()) {
            writeln!(buf, "{}", roff(&help.to_string()))?;
        }
    }
    if let Some(after) = cmd.get_after_help() {
        writeln!(buf, ".PP\n.nf\n{}\n.fi", roff(&after.to_string()))?;
    }
    for sub in cmd.get_subcommands() {
        section(sub, &name, buf)?;
    }
    Ok(())
}

/// `s` as roff text: backslashes and hyphens escaped, and a line never beginning with `.` or `'`
/// (a request).
fn roff(s: &str) -> String {
    s.lines()
        .map(|l| {
            let l = l.replace('\\', "\\e").replace('-', "\\-");
            if l.starts_with(['.', '\'']) {
                format!("\\&{l}")
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `dtoc man [--out FILE]`.
pub fn man(file: Option<&Path>, out: &mut dyn Write) -> Result<()> {
    let page = man_page()?;
    match file {
        Some(p) => {
            crate::commands::output::create_output(p, false)?
                .write_all(&page)
                .with_context(|| format!("writing {}", p.display()))?;
            writeln!(out, "wrote {}", p.display())?;
        }
        None => out.write_all(&page)?,
    }
    Ok(())
}
