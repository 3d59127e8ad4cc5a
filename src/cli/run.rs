//! Runs the parsed command line: each command converts its clap arguments into plain ones and
//! calls its one function in `commands`.

use super::*;
use crate::commands::admin::default_db_path;
use crate::commands::authority::{authority_code, authority_codes};
use crate::commands::output::{Dest, Format};
use crate::commands::progress::Bar;
use crate::commands::site::site_codes;
use crate::commands::{self, chart, demo, discharge, export, monthly::Range, weekly};
use crate::store::{Conversion, Store};
use anyhow::Result;
use std::path::Path;

impl OutputArgs {
    /// The format ([`format::table_format`]) and the plain destination the commands take.
    pub fn dest(&self) -> Result<(Format, Dest)> {
        let format = format::table_format(
            self.format.map(Format::from),
            self.out.as_deref(),
            &format::REPORT,
        )?;
        let dest = Dest {
            out: self.out.clone(),
            suppress: self.suppress,
        };
        Ok((format, dest))
    }
}

impl QueueScopeArgs {
    /// The plain scope the queue commands take, its authorities by the one code rule.
    pub fn scope(
        &self,
        store: &Store,
        pathways: Vec<String>,
    ) -> Result<commands::queues::QueueScope> {
        Ok(commands::queues::QueueScope {
            las: authority_codes(store, "--la", &self.la)?,
            sites: site_codes(store, "--site", &self.site)?,
            pathways,
            by: self.by.into(),
        })
    }
}

impl RangeArgs {
    /// The plain range the commands take, its authorities by the one code rule.
    pub fn range(&self, store: &Store) -> Result<Range> {
        let (format, dest) = self.output.dest()?;
        Ok(Range {
            from: self.months.from,
            to: self.months.to,
            las: authority_codes(store, "--la", &self.la)?,
            format,
            dest,
        })
    }
}

impl OneLaRangeArgs {
    /// The plain range of the one authority, by the one code rule.
    pub fn range(&self, store: &Store) -> Result<Range> {
        let (format, dest) = self.output.dest()?;
        Ok(Range {
            from: self.months.from,
            to: self.months.to,
            las: vec![authority_code(store, "--la", &self.la)?],
            format,
            dest,
        })
    }
}

impl SpcArgs {
    fn request(&self) -> commands::spc::SpcRequest {
        commands::spc::SpcRequest {
            measure: self.measure.clone(),
            options: crate::report::spc::SpcOptions {
                screen: !self.no_screen,
                baseline: self.baseline,
                rebase: self.rebase.clone(),
            },
        }
    }
}

impl PictureArgs {
    /// The file, checked against `--format` ([`format::picture`]).
    fn file(&self) -> Result<&Path> {
        format::picture(self.format.map(Into::into), &self.out)?;
        Ok(&self.out)
    }
}

impl ChartArgs {
    /// The plain chart of the authorities `las` (ONS codes by the one code rule).
    fn chart_of(&self, las: Vec<String>) -> Result<chart::ChartOf> {
        Ok(chart::ChartOf {
            las,
            from: self.months.from,
            to: self.months.to,
            out: self.picture.file()?.to_path_buf(),
            size: self.picture.size,
        })
    }
}

impl ImportKind {
    /// The plain kind and file of a CSV import, or the arguments of a tracker import.
    fn split(&self) -> Result<(commands::import::ImportKind, &Path), &TrackerArgs> {
        use commands::import::ImportKind as K;
        Ok(match self {
            ImportKind::Tracker(t) => return Err(t),
            ImportKind::Delays { file, .. } => (K::Delays, file),
            ImportKind::Population { file } => (K::Population, file),
            ImportKind::Targets { file } => (K::Targets, file),
            ImportKind::Published { file, month } => (K::Published { month: *month }, file),
            ImportKind::Stays { file } => (K::Stays, file),
            ImportKind::DischargeTargets { file } => (K::DischargeTargets, file),
            ImportKind::Reported { file } => (K::Reported, file),
            ImportKind::Corrections { file } => (K::Corrections, file),
            ImportKind::Wards { file } => (K::Wards, file),
        })
    }
}

impl TrackerArgs {
    /// The plain request the commands take.
    fn request(&self, max_bytes: u64) -> commands::tracker::TrackerRequest {
        commands::tracker::TrackerRequest {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            header_row: self.header_row,
            mapping: self.mapping.clone(),
            set: self.set.clone(),
            max_bytes,
        }
    }

    fn confirm(&self) -> commands::tracker::Confirm {
        use commands::tracker::Confirm;
        match (self.dry_run, self.yes) {
            (true, _) => Confirm::DryRun,
            (false, true) => Confirm::Yes,
            (false, false) => Confirm::Ask,
        }
    }
}

/// Asks `question` on the terminal (stderr) and reads the answer from stdin: `None` when stdin is
/// not a terminal.
fn ask_on_terminal(question: &str) -> Option<bool> {
    use std::io::{BufRead, IsTerminal, Write};
    if !std::io::stdin().is_terminal() {
        return None;
    }
    let mut err = std::io::stderr();
    let _ = write!(err, "{question}");
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer).ok()?;
    Some(matches!(
        answer.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}

/// The database of the command line: `--db`, else the default.
fn db_path(g: &Global) -> Result<PathBuf> {
    match &g.db {
        Some(p) => Ok(p.clone()),
        None => default_db_path(),
    }
}

fn open(g: &Global) -> Result<Store> {
    commands::admin::open(&db_path(g)?, g.user.as_deref())
}

/// The existing database of the command line: only `init`, `demo`, `restore` and the app's first
/// run create one; every other command, reading or writing, refuses a path with no database.
fn open_existing(g: &Global) -> Result<Store> {
    commands::admin::open_existing(&db_path(g)?, g.user.as_deref())
}

/// Writes a fresh demo database at `path` (replacing any earlier demo file there), attributed to
/// `--user`.
pub fn write_demo(g: &Global, path: &Path, today: NaiveDate) -> Result<Store> {
    demo::write_demo(g.user.as_deref(), path, today)
}

/// Runs the parsed command line. `clock` is read once, in `main`.
pub fn run(cli: Cli, clock: chrono::NaiveDateTime) -> Result<()> {
    let g = &cli.global;
    // `--today`, else a demo file's own today, else the clock.
    let today = match (g.today, &cli.command) {
        (Some(t), _) => t,
        (None, Some(Command::Demo { .. } | Command::Init)) => clock.date(),
        (None, _) => db_path(g)
            .ok()
            .and_then(|p| commands::admin::demo_today(&p))
            .unwrap_or(clock.date()),
    };
    crate::store::allow_plain_new_files(g.plain);
    // A command's output file replaces an existing one only with --force (the app names its own).
    crate::commands::output::replace_existing_files(
        g.force || matches!(cli.command, None | Some(Command::Demo { .. })),
    );
    let user = g.user.as_deref();
    let mut out = std::io::stdout().lock();
    match cli.command {
        None => {
            let store = open(g)?;
            crate::ui::run(store, today)
        }
        Some(Command::Demo { no_tui, scale }) => {
            let path = match &g.db {
                Some(p) => p.clone(),
                None => demo::default_demo_path()?,
            };
            let national = scale.scale == Scale::National;
            let default_today = if national {
                crate::national::NATIONAL_TODAY
            } else {
                DEMO_TODAY
            };
            let demo_today = match g.today {
                Some(t) => t,
                None => parse_iso_date(default_today)?,
            };
            let store = if national {
                let n = demo::National {
                    csv: scale.csv.clone(),
                    years: scale.years,
                    seed: scale.seed,
                };
                demo::write_national_demo(
                    user,
                    &path,
                    demo_today,
                    &n,
                    &Bar::stderr("national demo"),
                    &mut out,
                )?
            } else {
                demo::write_demo(user, &path, demo_today)?
            };
            use std::io::Write;
            writeln!(
                out,
                "demo database written to {} (today is {demo_today})",
                path.display()
            )?;
            if no_tui {
                Ok(())
            } else {
                drop(out);
                crate::ui::run(store, demo_today)
            }
        }
        Some(Command::Init) => commands::admin::init(&db_path(g)?, user, &mut out),
        Some(Command::Import {
            what:
                ImportKind::Delays {
                    file,
                    coverage_from: Some(coverage),
                },
            max_bytes,
        }) => commands::import::import_history(
            &mut open_existing(g)?,
            &file,
            max_bytes,
            coverage,
            today,
            &Bar::stderr(format!("import {}", file.display())),
            &mut out,
        ),
        Some(Command::Actions {
            open,
            overdue,
            owner,
            out: file,
            format: given,
        }) => {
            let format =
                format::table_format(given.map(Format::from), file.as_deref(), &format::REPORT)?;
            commands::actions::actions(
                &mut open_existing(g)?,
                &commands::actions::ActionsArgs {
                    open,
                    overdue,
                    owner,
                },
                file.as_deref(),
                format,
                today,
                &mut out,
            )
        }
        Some(Command::Coverage { what }) => {
            let mut store = open_existing(g)?;
            match what {
                None => commands::coverage::list(&store, &mut out),
                Some(CoverageKind::Set { site, from }) => {
                    commands::coverage::set(&mut store, &site, from, today, &mut out)
                }
            }
        }
        Some(Command::Import { what, max_bytes }) => {
            let mut store = open_existing(g)?;
            match what.split() {
                Ok((kind, file)) => {
                    let bar = Bar::stderr(format!("import {}", file.display()));
                    commands::import::import(
                        &mut store, kind, file, max_bytes, today, &bar, &mut out,
                    )
                }
                Err(t) => {
                    let bar = Bar::stderr(format!("import {}", t.file.display()));
                    // The preview is written before the question is asked.
                    let mut ask = |q: &str| {
                        use std::io::Write;
                        let _ = std::io::stdout().flush();
                        ask_on_terminal(q)
                    };
                    commands::tracker::import_tracker(
                        &mut store,
                        &t.request(max_bytes),
                        t.save_mapping.as_deref(),
                        t.confirm(),
                        &mut ask,
                        today,
                        &bar,
                        &mut out,
                    )
                }
            }
        }
        Some(Command::Check {
            repair_counts,
            repair,
        }) => commands::admin::check(
            &db_path(g)?,
            user,
            repair_counts,
            repair,
            &Bar::stderr("check"),
            &mut out,
        ),
        Some(Command::Report { what }) => run_report(&open_existing(g)?, what, today, &mut out),
        Some(Command::Completions { shell }) => super::manual::completions(shell, &mut out),
        Some(Command::Man { out: file }) => super::manual::man(file.as_deref(), &mut out),
        Some(Command::Export { what }) => {
            let mut store = open_existing(g)?;
            match what {
                ExportKind::Sitrep {
                    month,
                    out_dir: dir,
                    format,
                    suppress,
                } => export::sitrep_export(
                    &store,
                    month,
                    &dir,
                    format.into(),
                    suppress,
                    today,
                    &mut out,
                ),
                ExportKind::Patients {
                    out: file,
                    format: given,
                    from,
                    to,
                    la,
                    with_nhs_number,
                } => {
                    let format = format::table_format(
                        given.map(Format::from),
                        Some(&file),
                        &format::PATIENTS,
                    )?;
                    let la = authority_codes(&store, "--la", &la)?;
                    export::patients(
                        &mut store,
                        &crate::report::patients::PatientsExport {
                            from,
                            to,
                            la,
                            with_nhs_number,
                        },
                        &file,
                        format,
                        today,
                        &mut out,
                    )
                }
                ExportKind::AcuteSitrep { args } => export::acute_sitrep_export(
                    &store,
                    args.month,
                    &args.out_dir,
                    args.options(),
                    today,
                    &mut out,
                ),
                ExportKind::CommunitySitrep { args } => export::community_sitrep_export(
                    &store,
                    args.month,
                    &args.out_dir,
                    args.options(),
                    today,
                    &mut out,
                ),
                ExportKind::Audit {
                    from,
                    to,
                    out: file,
                    format: given,
                } => {
                    let format = format::table_format(
                        given.map(Format::from),
                        file.as_deref(),
                        &format::REPORT,
                    )?;
                    export::audit(
                        &mut store,
                        from.first(),
                        to.last(),
                        file.as_deref(),
                        format,
                        today,
                        &mut out,
                    )
                }
            }
        }
        Some(Command::Chart { what }) => {
            let store = open_existing(g)?;
            let one = |la: &str| authority_code(&store, "--la", la).map(|c| vec![c]);
            let (kind, chart_of) = match &what {
                ChartKind::Monthly { la, chart: a } => {
                    (chart::ChartKind::Monthly, a.chart_of(one(la)?)?)
                }
                ChartKind::Spc { la, chart: a, spc } => {
                    (chart::ChartKind::Spc(spc.request()), a.chart_of(one(la)?)?)
                }
                ChartKind::Los { la, chart: a } => (
                    chart::ChartKind::Los,
                    a.chart_of(authority_codes(&store, "--la", la)?)?,
                ),
                ChartKind::Drd { la, chart: a } => (chart::ChartKind::Drd, a.chart_of(one(la)?)?),
                ChartKind::Forecast {
                    days,
                    pathway,
                    runs,
                    seed,
                    la,
                    site,
                    picture,
                } => {
                    let (file, size) = (picture.file()?, picture.size);
                    let scope = commands::queues::QueueScope {
                        las: authority_codes(&store, "--la", la)?,
                        sites: site_codes(&store, "--site", site)?,
                        pathways: pathway.clone(),
                        by: crate::report::queues::Grouping::Whole,
                    };
                    let req = commands::queues::ForecastRequest {
                        days: *days,
                        runs: *runs,
                        seed: *seed,
                        capacity_pct: vec![0],
                    };
                    return commands::queues::chart_forecast(
                        &store, &scope, &req, file, size, today, &mut out,
                    );
                }
            };
            chart::chart(&store, &kind, &chart_of, today, &mut out)
        }
        Some(Command::Backup { file }) => {
            commands::admin::backup(&db_path(g)?, user, &file, &Bar::stderr("backup"), &mut out)
        }
        Some(Command::Signoff {
            week,
            side,
            by,
            comment,
        }) => weekly::signoff(
            &mut open_existing(g)?,
            week,
            side,
            &by,
            comment,
            today,
            &mut out,
        ),
        Some(Command::Reopen { week, reason }) => {
            weekly::reopen(&mut open_existing(g)?, week, &reason, &mut out)
        }
        Some(Command::SignoffRule { same_user }) => weekly::signoff_rule(
            &mut open_existing(g)?,
            same_user.map(|r| r == "allowed"),
            &mut out,
        ),
        Some(Command::Reconcile {
            what:
                ReconcileKind::Mark {
                    month,
                    la,
                    measure,
                    local_id,
                    date,
                    status,
                    note,
                },
        }) => {
            let mut store = open_existing(g)?;
            let la = authority_code(&store, "--la", &la)?;
            let measure =
                crate::domain::Measure::parse(&measure).map_err(|e| anyhow::anyhow!(e))?;
            let status =
                crate::domain::MarkStatus::parse(&status).map_err(|e| anyhow::anyhow!(e))?;
            let req = weekly::MarkRequest {
                month,
                la: &la,
                measure,
                day: local_id.as_deref().zip(date),
                status,
                note: &note,
            };
            weekly::mark(&mut store, &req, &mut out)
        }
        Some(Command::Encrypt { out: file }) => {
            commands::admin::convert(&db_path(g)?, user, &file, Conversion::Encrypt, &mut out)
        }
        Some(Command::Decrypt { out: file }) => {
            commands::admin::convert(&db_path(g)?, user, &file, Conversion::Decrypt, &mut out)
        }
        Some(Command::Restore { file }) => commands::admin::restore(
            &db_path(g)?,
            user,
            &file,
            clock,
            &Bar::stderr("restore"),
            &mut out,
        ),
    }
}

/// `dtoc report …`: one command function each.
fn run_report(
    store: &Store,
    what: ReportKind,
    today: NaiveDate,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    use crate::commands::report;
    match what {
        ReportKind::Monthly { range, period } => {
            report::monthly(store, &range.range(store)?, period.into(), today, out)
        }
        ReportKind::Pathways { range } => {
            discharge::pathways(store, &range.range(store)?, today, out)
        }
        ReportKind::Drd { range } => discharge::drd(store, &range.range(store)?, today, out),
        ReportKind::Los {
            range,
            date,
            ready_over,
        } => discharge::los(store, &range.range(store)?, date, ready_over, today, out),
        ReportKind::Nctr { range, date } => {
            discharge::nctr(store, &range.range(store)?, date, today, out)
        }
        ReportKind::Spc { range, spc } => {
            commands::spc::spc(store, &range.range(store)?, &spc.request(), today, out)
        }
        ReportKind::Benchmark { range, group } => {
            let group = authority_codes(store, "--group", &group)?;
            report::benchmark(store, &range.range(store)?, &group, today, out)
        }
        ReportKind::Weekly { week, output } => {
            let (format, dest) = output.dest()?;
            weekly::weekly(store, week, format, &dest, today, out)
        }
        ReportKind::Queues {
            from,
            to,
            scope,
            output,
        } => {
            let (format, dest) = output.dest()?;
            commands::queues::queues(
                store,
                &scope.scope(store, Vec::new())?,
                from,
                to,
                format,
                &dest,
                today,
                out,
            )
        }
        ReportKind::Forecast {
            days,
            pathway,
            runs,
            capacity,
            seed,
            backtest,
            from,
            to,
            scope,
            output,
        } => {
            let req = commands::queues::ForecastRequest {
                days,
                runs,
                seed,
                capacity_pct: capacity,
            };
            let scope = scope.scope(store, pathway)?;
            let (format, dest) = output.dest()?;
            match (backtest, from, to) {
                (true, Some(from), Some(to)) => commands::queues::backtest(
                    store,
                    &scope,
                    &req,
                    from,
                    to,
                    format,
                    &dest,
                    today,
                    &Bar::stderr("report forecast --backtest"),
                    out,
                ),
                (true, _, _) => anyhow::bail!("--backtest needs --from and --to"),
                _ => commands::queues::forecast(
                    store,
                    &scope,
                    &req,
                    format,
                    &dest,
                    today,
                    &Bar::stderr("report forecast"),
                    out,
                ),
            }
        }
        ReportKind::Reconcile { month, output } => {
            let (format, dest) = output.dest()?;
            weekly::reconcile_report(store, month, format, &dest, today, out)
        }
    }
}
