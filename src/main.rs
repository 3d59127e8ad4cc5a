use clap::Parser;

/// The hidden `stress-worker` command of the concurrency tests: not part of the library.
#[allow(dead_code)]
#[path = "../tests/common/stress.rs"]
mod stress;

fn main() -> std::process::ExitCode {
    let cli = dtoc::cli::Cli::parse();
    // The only place the clock is read: everything below takes `today` as an argument.
    let now = chrono::Local::now().naive_local();
    let result = match &cli.command {
        Some(dtoc::cli::Command::StressWorker {
            worker,
            ops,
            scratch,
        }) => cli
            .global
            .db
            .clone()
            .map_or_else(dtoc::cli::default_db_path, Ok)
            .and_then(|db| stress::run(&db, *worker, *ops, scratch)),
        _ => dtoc::cli::run(cli, now),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // `dtoc report … | head`: the reader has gone; nothing was lost, so stop quietly.
        Err(e) if is_broken_pipe(&e) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dtoc: {e:#}");
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
