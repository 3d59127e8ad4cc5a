use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = match dtoc::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return refused(&e),
    };
    // The only place the clock is read: everything below takes `today` as an argument.
    let now = chrono::Local::now().naive_local();
    match dtoc::cli::run(cli, now) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // `dtoc report … | head`: the reader has gone; nothing was lost, so stop quietly.
        Err(e) if is_broken_pipe(&e) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // An NHS number typed where it does not belong is never repeated (as an import hides
            // it in a field's error), whichever option or file name it was typed in.
            let said = dtoc::commands::messages::for_terminal(&e);
            eprintln!("dtoc: {}", dtoc::domain::text::hide_nhs_numbers(&said));
            std::process::ExitCode::FAILURE
        }
    }
}

/// What clap says when it refuses the command line (or gives the help or version), with any NHS
/// number in it hidden: clap repeats the value it refused (`invalid value '…' for '--week'`).
fn refused(e: &clap::Error) -> std::process::ExitCode {
    use std::io::{IsTerminal, Write};
    let to_stderr = e.use_stderr();
    let terminal = if to_stderr {
        std::io::stderr().is_terminal()
    } else {
        std::io::stdout().is_terminal()
    };
    let styled = e.render();
    // Styled as clap would style it: on a terminal, unless NO_COLOR says otherwise.
    let text = if terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) {
        styled.ansi().to_string()
    } else {
        styled.to_string()
    };
    let text = dtoc::domain::text::hide_nhs_numbers(&text);
    // The reader may be gone (`dtoc --help | head`): nothing to say then.
    let _ = if to_stderr {
        std::io::stderr().write_all(text.as_bytes())
    } else {
        std::io::stdout().write_all(text.as_bytes())
    };
    std::process::ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<csv::Error>().is_some_and(
                |ce| matches!(ce.kind(), csv::ErrorKind::Io(io) if io.kind() == std::io::ErrorKind::BrokenPipe),
            )
    })
}
