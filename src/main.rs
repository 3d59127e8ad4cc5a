use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = dtoc::cli::Cli::parse();
    // The only place the clock is read: everything below takes `today` as an argument.
    let today = chrono::Local::now().date_naive();
    match dtoc::cli::run(cli, today) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dtoc: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
