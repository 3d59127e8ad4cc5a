//! The worker of the concurrency stress test (`tests/it/stress.rs`, `tests/it/crash.rs`). The tests need
//! separate processes (several at once, and one killed with SIGKILL), so a test file re-executes its
//! own test binary: [`worker`] builds that command, which runs only the file's worker test (see
//! [`worker_test`]) with the worker's settings in `DTOC_STRESS_*` environment variables. Nothing of
//! it is in the shipped `dtoc` binary: it writes synthetic patients into whatever database it is
//! given, and exists only for the tests.
//!
//! Several workers run at once on one database file, each through its own [`Store`] opened once,
//! each operation in its own `BEGIN IMMEDIATE` transaction, as several users' dtoc processes would.
//! The operations cycle through the four kinds of write a hub makes all day, every one leaving an
//! effect the test can find by a unique local id:
//!
//! | `op % 4` | operation | effect (worker `w`, chain `k = op / 4`) |
//! |---|---|---|
//! | 0 | add a delay | patient `S{w}-{k}`, ready [`chain_ready`]`(k)`, reason A, NHS |
//! | 1 | change reason | that delay: reason Dii, Social Care from ready + 3 days |
//! | 2 | end | that delay discharged on ready + 10 days (pathway 3) |
//! | 3 | import a CSV | patient `S{w}-I{k}`: one delay of two periods, 2018-05-10 to 2018-06-02 |
//!
//! So a chain adds 3 delayed days of A/NHS and 7 of Dii/Social Care; an import adds 10 of C/NHS
//! (all in May) and 13 of E/Social Care (12 in May, 1 in June).

use anyhow::{Context, Result};
use chrono::{Days, NaiveDate};
use dtoc::domain::{Attribution, EndKind, LaCode, Pathway, ReasonCode};
use dtoc::store::{EndDelay, NewDelay, ReasonChange, Store};
use std::path::Path;
use std::process::Command;

/// The environment variable that makes a test binary's worker test run a worker: its number (the
/// others give the database, the operation count and the scratch folder).
const WORKER: &str = "DTOC_STRESS_WORKER";
const DB: &str = "DTOC_STRESS_DB";
const OPS: &str = "DTOC_STRESS_OPS";
const SCRATCH: &str = "DTOC_STRESS_SCRATCH";

/// The name of the worker test in the test file whose `module_path!()` is `module`: the test
/// binary's own name for it (without the crate's name), for `--exact`.
fn worker_test_name(module: &str) -> String {
    match module.split_once("::") {
        Some((_, inner)) => format!("{inner}::stress_worker"),
        None => "stress_worker".to_string(),
    }
}

/// The command that runs worker `worker` for `ops` operations on the database at `db`, writing its
/// import files into `scratch`: this test binary again, running only the test `stress_worker` of
/// the module `module` (pass `module_path!()`; the file defines that test as a call of
/// [`worker_test`]). The worker's failure is on its stderr, with a non-zero exit.
pub fn worker(module: &str, db: &Path, worker: u32, ops: u32, scratch: &Path) -> Command {
    let exe = std::env::current_exe().unwrap_or_default();
    let mut c = Command::new(exe);
    c.args([
        "--exact",
        &worker_test_name(module),
        "--test-threads=1",
        "--quiet",
    ])
    .env(WORKER, worker.to_string())
    .env(OPS, ops.to_string())
    .env(DB, db)
    .env(SCRATCH, scratch)
    .env_remove("DTOC_DB")
    .env_remove("DTOC_KEY");
    c
}

/// The body of a test file's `stress_worker` test: in a process started by [`worker`], runs the
/// worker and exits (with status 1 and the error on stderr when it fails); in an ordinary test run
/// (no `DTOC_STRESS_WORKER`), does nothing.
pub fn worker_test() {
    let Some(worker) = std::env::var_os(WORKER) else {
        return;
    };
    let var = |name: &str| std::env::var_os(name).unwrap_or_default();
    let result = (|| -> Result<()> {
        let number: u32 = worker.to_string_lossy().parse()?;
        let ops: u32 = var(OPS).to_string_lossy().parse()?;
        run(Path::new(&var(DB)), number, ops, Path::new(&var(SCRATCH)))
    })();
    if let Err(e) = result {
        eprintln!("stress worker: {e:#}");
        std::process::exit(1);
    }
}

/// The site the added delays use (the test creates it; the imports name it too).
pub const SITE: &str = "STRESS1";
pub const PROVIDER: &str = "RST";
pub const LA: &str = "E10000018";

/// The "today" every worker runs with.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 8, 15).unwrap_or_default()
}

/// The ready date of chain `k`: 2018-06-01 plus `k % 50` days (so at most 2018-07-20).
pub fn chain_ready(k: u32) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(2018, 6, 1).unwrap_or_default();
    first + Days::new(u64::from(k % 50))
}

/// The local id of chain `k` of `worker`, and of its import.
pub fn chain_id(worker: u32, k: u32) -> String {
    format!("S{worker}-{k}")
}

pub fn import_id(worker: u32, k: u32) -> String {
    format!("S{worker}-I{k}")
}

/// The small CSV file the import operation reads.
pub fn import_csv(worker: u32, k: u32) -> String {
    let id = import_id(worker, k);
    format!(
        "local_id,nhs_number,provider,site,setting,la_code,admitted_on,delay_start,delay_end,reason,attribution,discharged_on,pathway\n\
         {id},,{PROVIDER},{SITE},acute,{LA},2018-05-01,2018-05-10,2018-05-20,C,NHS,2018-06-02,2\n\
         {id},,{PROVIDER},{SITE},acute,{LA},2018-05-01,2018-05-20,2018-06-02,E,Social Care,2018-06-02,2\n"
    )
}

/// Creates the database at `db` with the site the workers use (what a test does before starting
/// them).
pub fn prepare(db: &Path) -> Result<()> {
    let mut store = Store::open(db)?;
    store.upsert_site(&dtoc::store::Site {
        code: SITE.to_string(),
        provider_code: PROVIDER.to_string(),
        name: Some("Stress General".to_string()),
        setting: dtoc::domain::Setting::Acute,
    })?;
    Ok(())
}

/// Runs `ops` operations of worker `worker` on the database at `db`, writing its import files
/// into `scratch`. Stops at the first failure, naming the operation.
pub fn run(db: &Path, worker: u32, ops: u32, scratch: &Path) -> Result<()> {
    let mut store = Store::open(db)?;
    store.set_user(&format!("stress-{worker}")).unwrap();
    let today = today();
    let la = LaCode::parse(LA).map_err(|e| anyhow::anyhow!(e))?;
    // The delay of the chain in progress and its version.
    let mut current: Option<(i64, i64)> = None;
    for op in 0..ops {
        let k = op / 4;
        let ready = chain_ready(k);
        let step = || format!("worker {worker} op {op}");
        match op % 4 {
            0 => {
                let id = store
                    .add_delay(
                        &NewDelay {
                            local_id: chain_id(worker, k),
                            nhs_number: None,
                            admitted_on: ready - Days::new(7),
                            site_code: SITE.to_string(),
                            la_code: la.clone(),
                            ready_on: ready,
                            reason: ReasonCode::A,
                            attribution: Attribution::Nhs,
                            planned_pathway: None,
                            acute_reason: None,
                        },
                        today,
                    )
                    .with_context(step)?;
                current = Some((id, 1));
            }
            1 => {
                let Some((id, version)) = current else {
                    continue;
                };
                store
                    .change_reason(
                        &ReasonChange {
                            delay_id: id,
                            version,
                            from: ready + Days::new(3),
                            reason: ReasonCode::Dii,
                            attribution: Attribution::SocialCare,
                            acute_reason: None,
                        },
                        today,
                    )
                    .with_context(step)?;
                current = Some((id, version + 1));
            }
            2 => {
                let Some((id, version)) = current.take() else {
                    continue;
                };
                store
                    .end_delay(
                        &EndDelay {
                            delay_id: id,
                            version,
                            on: ready + Days::new(10),
                            kind: EndKind::Discharged,
                            pathway: Some(Pathway::P3),
                            destination: None,
                            usual_residence: None,
                        },
                        today,
                    )
                    .with_context(step)?;
            }
            _ => {
                let file = scratch.join(format!("stress-{worker}-{k}.csv"));
                std::fs::write(&file, import_csv(worker, k))
                    .with_context(|| format!("writing {}", file.display()))?;
                let checked = dtoc::import::read_delays(&file, today).with_context(step)?;
                store.import_delays(&checked).with_context(step)?;
                let _ = std::fs::remove_file(&file);
            }
        }
    }
    Ok(())
}
