//! Start-up: logging, the database, the demo, the web state, and serving with graceful shutdown.

use std::sync::Arc;
use std::time::Duration;

use prongsai_domain::platform::PasswordParams;
use prongsai_domain::platform::file::BlobStore;
use prongsai_domain::{Ctx, OsEntropy, SystemClock};
use prongsai_store::{Db, DbOptions, LocalBlobs};
use prongsai_web::{SecureCookies, WebConfig};

use crate::config::{Config, FileStore, LogFormat};

/// Sets up logging once: text or JSON lines on stderr, filtered by `log_level`.
pub fn init_logging(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_new(&config.log_level).unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Text => builder.with_target(false).try_init(),
    };
}

/// Opens the database named by the configuration, creating the data folder for SQLite.
pub async fn open_db(config: &Config) -> Result<Db, String> {
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        format!(
            "cannot create the data folder {}: {e}",
            config.data_dir.display()
        )
    })?;
    let opts = DbOptions {
        max_connections: config.db_max_connections,
        ..DbOptions::default()
    };
    Db::connect(config.database_url.expose(), &opts)
        .await
        .map_err(|e| e.to_string())
}

/// The store of file contents the configuration names. With `store = "s3"` the bucket is asked
/// first, so a wrong endpoint, bucket or key stops the start with a message that names the
/// bucket and the endpoint.
pub async fn blob_store(config: &Config) -> Result<Arc<dyn BlobStore>, String> {
    match &config.files {
        FileStore::Local => Ok(Arc::new(LocalBlobs::new(config.files_dir()))),
        FileStore::S3(c) => {
            let blobs = prongsai_objects::S3Blobs::new(c).map_err(|e| e.to_string())?;
            blobs.check().await.map_err(|e| e.to_string())?;
            tracing::info!(bucket = %blobs.bucket(), endpoint = %blobs.endpoint(), "files are stored in S3");
            Ok(Arc::new(blobs))
        }
    }
}

/// The service context with the real clock and random source.
pub fn context(db: &Db) -> Ctx {
    Ctx {
        store: Arc::new(db.clone()),
        clock: Arc::new(SystemClock),
        entropy: Arc::new(OsEntropy),
        password: PasswordParams::default(),
    }
}

/// Web settings from the configuration.
pub fn web_config(config: &Config) -> WebConfig {
    let mut w = WebConfig {
        public_url: config.public_url.clone(),
        secure_cookies: match config.secure_cookies.as_str() {
            "always" => SecureCookies::Always,
            "never" => SecureCookies::Never,
            _ => SecureCookies::Auto,
        },
        trust_proxy: config.trust_proxy,
        metrics: config.metrics,
        page_cache: config.page_cache,
        check_external_links: config.check_external_links,
        domains: config.domains.clone(),
        ..WebConfig::default()
    };
    w.max_body_bytes = usize::try_from(config.max_body_mb * 1024 * 1024).unwrap_or(usize::MAX);
    w.max_image_bytes = config.max_image_mb * 1024 * 1024;
    w.session.idle_secs = config.session_idle_minutes * 60;
    w.session.absolute_secs = config.session_hours * 3600;
    w
}

/// Runs the server until SIGINT or SIGTERM; requests in flight finish first.
pub async fn serve(config: Config) -> Result<(), String> {
    let started = std::time::Instant::now();
    let db = open_db(&config).await?;
    let pending = db.pending_migrations().await.map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    let cx = context(&db);
    // The search index came with migration 8 and was emptied by 13 (its order changed): fill it
    // for the agencies that existed before.
    if pending.contains(&8) || pending.contains(&13) {
        for a in cx.store.list_agencies().await.map_err(|e| e.to_string())? {
            match prongsai_domain::search::reindex(&cx, a.id).await {
                Ok(n) => tracing::info!(agency = %a.slug, documents = n, "search index built"),
                Err(e) => {
                    tracing::warn!(agency = %a.slug, error = %e, "search index not built; run prongsai search reindex")
                }
            }
        }
    }
    let blobs = blob_store(&config).await?;
    if config.demo
        && crate::demo::platform_is_empty(&cx)
            .await
            .map_err(|e| e.to_string())?
    {
        tracing::info!("loading the demo agency");
        crate::demo::load(&cx, blobs.as_ref())
            .await
            .map_err(|e| e.to_string())?;
    }
    // Load the document fonts and templates now, so the first report does not wait for them.
    tokio::task::spawn_blocking(|| {
        if let Err(e) = prongsai_documents::warm_up() {
            tracing::error!(error = %e, "the document renderer cannot start");
        }
    });
    let state = prongsai_web::state(cx.clone(), blobs, web_config(&config))
        .await
        .map_err(|e| e.to_string())?;
    let app = prongsai_web::app(state);
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("http://{addr}/");
    println!(
        "Prongsai is serving at {url}  (ready in {} ms)",
        started.elapsed().as_millis()
    );
    let sign_ins = crate::demo::sign_ins(&cx)
        .await
        .map_err(|e| e.to_string())?;
    if !sign_ins.is_empty() {
        println!("Demo agency: {url}a/nonhan/   — demo sign-ins (for the demo only):");
        for s in &sign_ins {
            println!("  {:<28} {:<20} password: {}", s.email, s.role, s.password);
        }
        println!("Set demo = false before the first start of a real installation.");
    }
    let mailer = mailer(&config)?;
    if mailer.is_none() {
        tracing::info!("smtp_url is not set: reminders go out in the app only");
    }
    tokio::spawn(remind(cx.clone(), mailer, config.public_url.clone()));
    tokio::spawn(purge_sessions(cx, web_config(&config)));
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| e.to_string())?;
    db.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The SMTP mailer, when configured.
pub fn mailer(config: &Config) -> Result<Option<crate::mail::Mailer>, String> {
    config
        .smtp_url
        .as_ref()
        .map(|u| crate::mail::Mailer::new(u.expose(), &config.mail_from).map_err(|e| e.to_string()))
        .transpose()
}

/// Sends reminders at start-up and every hour.
async fn remind(cx: Ctx, mailer: Option<crate::mail::Mailer>, public_url: Option<String>) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match crate::reminders::sweep(&cx, mailer.as_ref(), public_url.as_deref()).await {
            Ok(s) if s.notified > 0 => {
                tracing::info!(
                    notified = s.notified,
                    mailed = s.mailed,
                    failed = s.mail_failures,
                    "reminders sent"
                );
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "reminder sweep failed"),
        }
    }
}

/// Deletes expired sessions every ten minutes.
async fn purge_sessions(cx: Ctx, web: WebConfig) {
    let mut tick = tokio::time::interval(Duration::from_secs(600));
    loop {
        tick.tick().await;
        let now = cx.clock.unix();
        match cx
            .store
            .purge_sessions(now - web.session.idle_secs, now - web.session.absolute_secs)
            .await
        {
            Ok(n) if n > 0 => tracing::info!(count = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "cannot remove expired sessions"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
