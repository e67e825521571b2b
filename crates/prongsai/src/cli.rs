//! The command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use prongsai_domain::platform::service::{self, PlatformError};
use prongsai_domain::platform::{Actor, Role};
use prongsai_store::LocalBlobs;

use crate::config::{Config, FileStore, Overrides};
use crate::server;

/// Prongsai (โปร่งใส): the integrity-and-transparency system of a Thai public agency.
#[derive(Debug, Parser)]
#[command(name = "prongsai", version, about)]
pub struct Cli {
    /// The data folder (SQLite database and uploaded files). Default: ./data
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The database URL: sqlite://PATH or postgres://USER:PASSWORD@HOST/DB
    #[arg(long, global = true, value_name = "URL")]
    pub database: Option<String>,
    /// A TOML configuration file. Default: $PRONGSAI_CONFIG, else ./prongsai.toml if present
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server (applies migrations; loads the demo into an empty platform).
    Serve {
        /// Address to listen on. Default: 127.0.0.1:8080
        #[arg(long, value_name = "ADDR")]
        bind: Option<String>,
    },
    /// Apply database migrations.
    Migrate,
    /// Load or reset the demo agency (เทศบาลตำบลโนนหัน).
    Demo {
        #[command(subcommand)]
        action: DemoAction,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Write a consistent copy of the live SQLite database to FILE.
    Backup {
        /// Where to write the copy (must not exist).
        file: PathBuf,
    },
    /// Check the audit log.
    Audit {
        #[command(subcommand)]
        action: AuditAction,
    },
    /// Show or check the configuration.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Reminders about actions of the measures plans.
    Reminders {
        #[command(subcommand)]
        action: RemindersAction,
    },
    /// Complaints and whistleblowing cases.
    Cases {
        #[command(subcommand)]
        action: CasesAction,
    },
    /// The ITA assessment.
    Ita {
        #[command(subcommand)]
        action: ItaAction,
    },
    /// The search index of the public content.
    Search {
        #[command(subcommand)]
        action: SearchAction,
    },
    /// Uploaded files.
    Files {
        #[command(subcommand)]
        action: FilesAction,
    },
    /// Benchmarks that need a database of their own (see docs/PERFORMANCE.md).
    Bench {
        #[command(subcommand)]
        action: BenchAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchAction {
    /// Score the whole country's ITA from the database, against a plain SQL GROUP BY over the
    /// same rows. Fills a scratch database first (a temporary SQLite file by default).
    ItaNational {
        /// Agencies (the country has about 8,300).
        #[arg(long, default_value_t = 8_300)]
        agencies: u32,
        /// IIT answers in all.
        #[arg(long, default_value_t = 470_000)]
        iit: u32,
        /// EIT answers in all.
        #[arg(long, default_value_t = 830_000)]
        eit: u32,
        /// An empty database to fill instead of a temporary SQLite file
        /// (e.g. postgres://user@host/bench). Never the configured one.
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// File encrypted reports through the intake path, then list them all decrypted as a
    /// handler. Fills a scratch database first (a temporary SQLite file by default).
    Cases {
        /// Reports to file.
        #[arg(long, default_value_t = 10_000)]
        cases: u32,
        /// Reports filed at once.
        #[arg(long, default_value_t = 2)]
        tasks: u32,
        /// An empty database to fill instead of a temporary SQLite file. Never the configured
        /// one.
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
    /// Time one search on the demo agency's index, then with synthetic documents added. Fills
    /// a scratch database first (a temporary SQLite file by default).
    Search {
        /// Synthetic documents to add to the demo agency's index.
        #[arg(long, default_value_t = 10_000)]
        docs: u32,
        /// An empty database to fill instead of a temporary SQLite file. Never the configured
        /// one.
        #[arg(long, value_name = "URL")]
        database: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum FilesAction {
    /// Copy the files of the local data folder to the configured S3 bucket ([files] store =
    /// "s3"). Files already there are left alone, so it can be run again.
    MigrateToS3,
}

#[derive(Debug, Subcommand)]
pub enum SearchAction {
    /// Rebuild the search index from the published content (every agency, or one).
    Reindex {
        /// The agency's slug; all agencies when left out.
        #[arg(long, value_name = "SLUG")]
        agency: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum ItaAction {
    /// Score an assessment with a framework and print every level as JSON
    /// (input format: docs/ITA-SCORING.md).
    Score {
        /// A framework file (TOML), or a fiscal year that ships with Prongsai (2566, 2567).
        #[arg(long, value_name = "FILE|YEAR")]
        framework: String,
        /// The assessment: answers, item verdicts or indicator scores (JSON).
        #[arg(long, value_name = "FILE")]
        input: PathBuf,
    },
    /// Score every agency of a fiscal year from the database (its surveys' answers and its
    /// reviewed OIT items) and print the results as JSON, with the grade distribution.
    ScoreAll {
        /// The fiscal year (Buddhist Era), e.g. 2567.
        #[arg(long)]
        year: i32,
    },
}

#[derive(Debug, Subcommand)]
pub enum RemindersAction {
    /// Send today's reminders now (in the app, and by e-mail when smtp_url is set).
    Run,
}

#[derive(Debug, Subcommand)]
pub enum CasesAction {
    /// Delete closed cases past their agency's retention period (their sealed keys and
    /// ciphertexts) and remind handlers of overdue cases; the server does this every hour.
    Sweep,
}

#[derive(Debug, Subcommand)]
pub enum DemoAction {
    /// Load the demo agency if it is not there.
    Load,
    /// Delete the demo agency and its accounts, and load it afresh.
    Reset,
}

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Give an e-mail a role in an agency, creating the account with a temporary password.
    Create {
        /// The agency's URL slug, e.g. nonhan.
        #[arg(long)]
        agency: String,
        /// agency-admin, division-officer, executive, complaint-handler or assessor.
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        /// For division officers: the division's name, e.g. กองคลัง.
        #[arg(long)]
        division: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Recompute every hash chain; report changed or deleted entries.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the effective configuration (secrets hidden) and check that it works.
    Check,
}

/// Parses the command line and runs the command.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let bind = match &cli.command {
        Command::Serve { bind } => bind.clone(),
        _ => None,
    };
    let overrides = Overrides {
        config_file: cli.config.clone(),
        data_dir: cli.data_dir.clone(),
        database_url: cli.database.clone(),
        bind,
    };
    let config = match Config::load(&overrides, &|k| std::env::var(k).ok()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    server::init_logging(&config);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli.command, config)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> Result<ExitCode, String> {
    match command {
        Command::Serve { .. } => server::serve(config).await.map(|()| ExitCode::SUCCESS),
        Command::Migrate => {
            let db = server::open_db(&config).await?;
            let pending = db.pending_migrations().await.map_err(|e| e.to_string())?;
            db.migrate().await.map_err(|e| e.to_string())?;
            println!(
                "Migrations applied: {} new, database is up to date ({}).",
                pending.len(),
                db.backend().name()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Demo { action } => {
            let db = server::open_db(&config).await?;
            db.migrate().await.map_err(|e| e.to_string())?;
            let cx = server::context(&db);
            let blobs = server::blob_store(&config).await?;
            match action {
                DemoAction::Load => match crate::demo::load(&cx, blobs.as_ref()).await {
                    Ok(_) => println!("The demo agency was loaded."),
                    Err(crate::demo::DemoError::AlreadyLoaded) => {
                        println!("The demo agency is already loaded.")
                    }
                    Err(e) => return Err(e.to_string()),
                },
                DemoAction::Reset => {
                    crate::demo::reset(&cx, blobs.as_ref())
                        .await
                        .map_err(|e| e.to_string())?;
                    println!("The demo agency was reset.");
                }
            }
            for s in crate::demo::sign_ins(&cx)
                .await
                .map_err(|e| e.to_string())?
            {
                println!("  {:<28} {:<20} password: {}", s.email, s.role, s.password);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::User {
            action:
                UserAction::Create {
                    agency,
                    role,
                    email,
                    division,
                },
        } => {
            let Some(role) = Role::parse(&role) else {
                let all: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                return Err(format!(
                    "unknown role {role:?}; use one of: {}",
                    all.join(", ")
                ));
            };
            let db = server::open_db(&config).await?;
            db.migrate().await.map_err(|e| e.to_string())?;
            let cx = server::context(&db);
            let division_id = match &division {
                None => None,
                Some(name) => {
                    let a = cx
                        .store
                        .agency_by_slug(&agency)
                        .await
                        .map_err(|e| e.to_string())?
                        .ok_or_else(|| format!("no agency with slug {agency:?}"))?;
                    let divisions = cx
                        .store
                        .list_divisions(a.id)
                        .await
                        .map_err(|e| e.to_string())?;
                    let d = divisions
                        .iter()
                        .find(|d| d.fields.name == *name || d.id.to_string() == *name)
                        .ok_or_else(|| format!("agency {agency:?} has no division {name:?}"))?;
                    Some(d.id)
                }
            };
            match service::provision_member(
                &cx,
                &Actor::system("cli"),
                &agency,
                role,
                &email,
                division_id,
            )
            .await
            {
                Ok(Some(password)) => {
                    println!("Created {email} as {} of {agency}.", role.as_str());
                    println!(
                        "Temporary password (shown once; it must be changed at first sign-in): {password}"
                    );
                }
                Ok(None) => println!(
                    "{email} already had an account; it is now {} of {agency}.",
                    role.as_str()
                ),
                Err(PlatformError::Invalid(e)) => return Err(explain(&e, &agency)),
                Err(e) => return Err(e.to_string()),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Backup { file } => {
            if file.exists() {
                return Err(format!("{} exists; choose a new file name", file.display()));
            }
            let db = server::open_db(&config).await?;
            db.backup_to(&file).await.map_err(|e| e.to_string())?;
            println!("Backup written to {}.", file.display());
            Ok(ExitCode::SUCCESS)
        }
        Command::Audit {
            action: AuditAction::Verify,
        } => {
            let db = server::open_db(&config).await?;
            let cx = server::context(&db);
            let (problems, checked) = service::verify_audit(&cx)
                .await
                .map_err(|e| e.to_string())?;
            if problems.is_empty() {
                println!("The audit log is intact: {checked} entries checked.");
                Ok(ExitCode::SUCCESS)
            } else {
                println!("The audit log has been tampered with ({checked} entries checked):");
                for p in &problems {
                    println!("  - {p}");
                }
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Config {
            action: ConfigAction::Check,
        } => config_check(&config).await,
        Command::Ita {
            action: ItaAction::Score { framework, input },
        } => ita_score(&framework, &input),
        Command::Ita {
            action: ItaAction::ScoreAll { year },
        } => {
            let db = server::open_db(&config).await?;
            let cx = server::context(&db);
            ita_score_all(&cx, year).await
        }
        Command::Bench {
            action:
                BenchAction::ItaNational {
                    agencies,
                    iit,
                    eit,
                    database,
                },
        } => {
            crate::bench::ita_national(
                crate::bench::NationalSize {
                    agencies,
                    iit_answers: iit,
                    eit_answers: eit,
                },
                database,
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            action:
                BenchAction::Cases {
                    cases,
                    tasks,
                    database,
                },
        } => {
            crate::bench::cases(cases, tasks, database).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            action: BenchAction::Search { docs, database },
        } => {
            crate::bench::search(docs, database).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Files {
            action: FilesAction::MigrateToS3,
        } => files_migrate_to_s3(&config).await,
        Command::Search {
            action: SearchAction::Reindex { agency },
        } => {
            let db = server::open_db(&config).await?;
            db.migrate().await.map_err(|e| e.to_string())?;
            let cx = server::context(&db);
            search_reindex(&cx, agency.as_deref()).await
        }
        Command::Cases {
            action: CasesAction::Sweep,
        } => {
            let db = server::open_db(&config).await?;
            db.migrate().await.map_err(|e| e.to_string())?;
            let cx = server::context(&db);
            let s = prongsai_domain::cases::service::sweep(&cx)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "Cases: {} closed cases deleted, {} reminders sent.",
                s.deleted, s.reminded
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Reminders {
            action: RemindersAction::Run,
        } => {
            let db = server::open_db(&config).await?;
            db.migrate().await.map_err(|e| e.to_string())?;
            let cx = server::context(&db);
            let mailer = server::mailer(&config)?;
            let s =
                crate::reminders::sweep(&cx, mailer.as_ref(), config.public_url.as_deref()).await?;
            println!(
                "Reminders: {} in the app, {} e-mailed, {} e-mail failures.",
                s.notified, s.mailed, s.mail_failures
            );
            Ok(if s.mail_failures == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
    }
}

/// `prongsai files migrate-to-s3`: copies every blob of the local files folder that the bucket
/// does not hold yet, and reports the counts.
async fn files_migrate_to_s3(config: &Config) -> Result<ExitCode, String> {
    let FileStore::S3(s3) = &config.files else {
        return Err(
            "the configuration does not name an S3 store: set [files] store = \"s3\" with its \
             bucket (docs/STORAGE.md)"
                .into(),
        );
    };
    let target = prongsai_objects::S3Blobs::new(s3).map_err(|e| e.to_string())?;
    target.check().await.map_err(|e| e.to_string())?;
    let dir = config.files_dir();
    let keys = prongsai_objects::local_keys(&dir)
        .map_err(|e| format!("cannot read the files folder {}: {e}", dir.display()))?;
    let report = target.copy_from(&LocalBlobs::new(&dir), &keys).await;
    println!(
        "{} files in {}: {} copied to bucket {} at {}, {} already there, {} failed.",
        keys.len(),
        dir.display(),
        report.copied,
        target.bucket(),
        target.endpoint(),
        report.present,
        report.failed.len()
    );
    for (key, why) in &report.failed {
        println!("  FAIL  {key}: {why}");
    }
    Ok(if report.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `prongsai search reindex`: rebuilds the index of one agency or of all, and says how many
/// documents each holds.
async fn search_reindex(cx: &prongsai_domain::Ctx, slug: Option<&str>) -> Result<ExitCode, String> {
    let agencies: Vec<(prongsai_domain::ids::AgencyId, String)> = match slug {
        Some(s) => {
            let a = cx
                .store
                .agency_by_slug(s)
                .await
                .map_err(|e| e.to_string())?
                .ok_or_else(|| format!("no agency with slug {s:?}"))?;
            vec![(a.id, a.slug.to_string())]
        }
        None => cx
            .store
            .list_agencies()
            .await
            .map_err(|e| e.to_string())?
            .into_iter()
            .map(|a| (a.id, a.slug.to_string()))
            .collect(),
    };
    for (id, slug) in agencies {
        let n = prongsai_domain::search::reindex(cx, id)
            .await
            .map_err(|e| format!("{slug}: {e}"))?;
        println!("{slug}: {n} documents indexed");
    }
    Ok(ExitCode::SUCCESS)
}

/// `prongsai ita score`: needs no database; errors name the file and the place inside it.
fn ita_score(framework: &str, input: &std::path::Path) -> Result<ExitCode, String> {
    use prongsai_domain::ita::{framework as fw, score};
    let path = std::path::Path::new(framework);
    let fw = match framework.parse::<i32>() {
        Ok(year) if !path.exists() => fw::built_in(year).ok_or_else(|| {
            let years: Vec<String> = fw::BUILT_IN.iter().map(|(y, _)| y.to_string()).collect();
            format!(
                "no framework ships for fiscal year {year} (there are: {}); give a file",
                years.join(", ")
            )
        })?,
        _ => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| format!("{}: cannot read the framework: {e}", path.display()))?;
            fw::parse(&path.display().to_string(), &text)
        }
    }
    .map_err(|e| e.to_string())?;
    let text = std::fs::read_to_string(input)
        .map_err(|e| format!("{}: cannot read the input: {e}", input.display()))?;
    let parsed: score::ScoreInput = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}: line {}, column {}: {e}",
            input.display(),
            e.line(),
            e.column()
        )
    })?;
    let report = score::score(&fw, &parsed).map_err(|e| format!("{}: {e}", input.display()))?;
    let json = serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?;
    print_out(&json)
}

/// Prints a command's result on standard output. A reader that stops early (`| head`) is not
/// an error, and never a panic as `println!` would make it.
fn print_out(text: &str) -> Result<ExitCode, String> {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match writeln!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.to_string()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn explain(e: &prongsai_domain::FieldErrors, agency: &str) -> String {
    e.0.iter()
        .map(|fe| match (fe.field, fe.code.code()) {
            ("agency", _) => format!("no agency with slug {agency:?}"),
            ("email", c) => format!("the e-mail is not valid ({c})"),
            ("division", "role-needs-division") => "a division officer needs --division".to_owned(),
            ("division", _) => "unknown division".to_owned(),
            (f, c) => format!("{f}: {c}"),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

async fn config_check(config: &Config) -> Result<ExitCode, String> {
    println!("Effective configuration (secrets hidden):");
    for (k, v, src) in config.describe() {
        println!("  {k:<22} = {v:<48} ({src})");
    }
    let mut ok = true;
    match std::fs::create_dir_all(&config.data_dir) {
        Ok(()) => println!("ok    data folder {} is usable", config.data_dir.display()),
        Err(e) => {
            ok = false;
            println!("FAIL  data folder {}: {e}", config.data_dir.display());
        }
    }
    if let FileStore::S3(_) = &config.files {
        match server::blob_store(config).await {
            Ok(_) => println!("ok    the S3 bucket answers"),
            Err(e) => {
                ok = false;
                println!("FAIL  files: {e}");
            }
        }
    }
    match server::open_db(config).await {
        Ok(db) => {
            println!("ok    database answers ({})", db.backend().name());
            match db.pending_migrations().await {
                Ok(p) if p.is_empty() => println!("ok    migrations are up to date"),
                Ok(p) => println!(
                    "note  {} migration(s) will be applied at the next start",
                    p.len()
                ),
                Err(e) => {
                    ok = false;
                    println!("FAIL  cannot read migrations: {e}");
                }
            }
        }
        Err(e) => {
            ok = false;
            println!("FAIL  database: {e}");
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `prongsai ita score-all`: every agency's live result of a year, as JSON.
async fn ita_score_all(cx: &prongsai_domain::Ctx, year: i32) -> Result<ExitCode, String> {
    use prongsai_domain::ita::{national, service as its};
    let fy = prongsai_thai::FiscalYear::new(year).map_err(|e| e.to_string())?;
    let fw = its::framework(cx, year)
        .await
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("there is no ITA framework for {year}"))?;
    let scores = national::score_year(cx, &fw, fy)
        .await
        .map_err(|e| e.to_string())?;
    let mut grades = std::collections::BTreeMap::<String, usize>::new();
    let mut results = Vec::new();
    for s in &scores {
        let agency = cx
            .store
            .agency(s.agency_id)
            .await
            .map_err(|e| e.to_string())?;
        *grades
            .entry(s.report.grade.clone().unwrap_or_else(|| "partial".into()))
            .or_default() += 1;
        results.push(serde_json::json!({
            "agency": agency.slug.as_str(),
            "province": agency.profile.province,
            "kind": agency.profile.kind.as_str(),
            "total": s.report.total,
            "partial": s.report.partial,
            "grade": s.report.grade,
            "passes": s.report.passes,
        }));
    }
    let passing = scores
        .iter()
        .filter(|s| s.report.passes == Some(true))
        .count();
    let out = serde_json::json!({
        "fiscal_year": year,
        "framework": fw.id,
        "agencies": scores.len(),
        "passing": passing,
        "grades": grades,
        "assumptions": fw.assumptions(),
        "results": results,
    });
    print_out(&serde_json::to_string_pretty(&out).map_err(|e| e.to_string())?)
}
