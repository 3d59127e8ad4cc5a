use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = dtoc::cli::Cli::parse();
    // The only place the clock is read: everything below takes `today` as an argument.
    let now = chrono::Local::now().naive_local();
    match dtoc::cli::run(cli, now) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // `dtoc report … | head`: the reader has gone; nothing was lost, so stop quietly.
        Err(e) if is_broken_pipe(&e) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dtoc: {}", dtoc::commands::messages::for_terminal(&e));
            std::process::ExitCode::FAILURE
        }
    }
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
