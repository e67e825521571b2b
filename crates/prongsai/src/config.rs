//! Layered configuration: built-in defaults, then a TOML file, then `PRONGSAI_*` environment
//! variables, then command-line flags. Secrets (the database password) never print.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// A value that must not appear in logs or output.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    pub fn new(v: T) -> Self {
        Self(v)
    }

    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> std::fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// The effective configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`. Defaults to `sqlite://<data_dir>/prongsai.db`.
    pub database_url: Secret<String>,
    pub bind: SocketAddr,
    pub public_url: Option<String>,
    pub secure_cookies: String,
    pub trust_proxy: bool,
    pub log_format: LogFormat,
    pub log_level: String,
    /// Load the demo agency when the database has no agency.
    pub demo: bool,
    pub max_body_mb: u64,
    pub max_image_mb: u64,
    pub session_idle_minutes: i64,
    pub session_hours: i64,
    pub db_max_connections: u32,
    pub metrics: bool,
    /// Keep rendered public pages in memory.
    pub page_cache: bool,
    /// Let the OIT pre-checks connect to external evidence links (off: shown as not checked).
    pub check_external_links: bool,
    /// `smtp://…` or `smtps://…` to send reminders by e-mail; none means in-app only.
    pub smtp_url: Option<Secret<String>>,
    /// The sender of e-mail.
    pub mail_from: String,
    /// Agencies served on their own domain: host name → agency slug (the `[domains]` table of
    /// the file).
    pub domains: std::collections::BTreeMap<String, String>,
    /// Where uploaded files live (the `[files]` table): the local data folder, or an S3 bucket.
    pub files: FileStore,
    /// Where each value came from, for `config check`.
    pub sources: Vec<(&'static str, &'static str)>,
}

/// Where file contents are stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileStore {
    /// `<data_dir>/files`.
    Local,
    /// An S3-compatible bucket.
    S3(prongsai_objects::S3Config),
}

/// The `[files]` table of the file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilesFile {
    store: Option<String>,
    bucket: Option<String>,
    region: Option<String>,
    endpoint: Option<String>,
    virtual_hosted: Option<bool>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    prefix: Option<String>,
}

/// The TOML file: every key optional; unknown keys are an error, so a typo is noticed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    bind: Option<String>,
    public_url: Option<String>,
    secure_cookies: Option<String>,
    trust_proxy: Option<bool>,
    log_format: Option<String>,
    log_level: Option<String>,
    demo: Option<bool>,
    max_body_mb: Option<u64>,
    max_image_mb: Option<u64>,
    session_idle_minutes: Option<i64>,
    session_hours: Option<i64>,
    db_max_connections: Option<u32>,
    metrics: Option<bool>,
    page_cache: Option<bool>,
    check_external_links: Option<bool>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    #[serde(default)]
    domains: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    files: FilesFile,
}

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration file {path} is invalid: {message}")]
    Parse { path: PathBuf, message: String },
    #[error("{0}")]
    Files(String),
    #[error("{key} = {value:?} is invalid: {reason}")]
    Value {
        key: &'static str,
        value: String,
        reason: &'static str,
    },
}

/// What the command line gave.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub bind: Option<String>,
}

/// Reads the environment through a function, so tests can supply their own.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

impl Config {
    /// Loads the layers. The file is `--config`, else `$PRONGSAI_CONFIG`, else
    /// `./prongsai.toml` if it exists.
    pub fn load(o: &Overrides, env: Env<'_>) -> Result<Self, ConfigError> {
        let file_path = o
            .config_file
            .clone()
            .or_else(|| env("PRONGSAI_CONFIG").map(PathBuf::from))
            .or_else(|| Some(PathBuf::from("prongsai.toml")).filter(|p| p.exists()));
        let file = match &file_path {
            Some(p) => read_file(p)?,
            None => FileConfig::default(),
        };
        let mut sources = Vec::new();
        let mut pick = |key: &'static str,
                        cli: Option<String>,
                        env_key: &str,
                        file: Option<String>|
         -> Option<String> {
            let (v, src) = if let Some(v) = cli {
                (Some(v), "command line")
            } else if let Some(v) = env(env_key) {
                (Some(v), "environment")
            } else if let Some(v) = file {
                (Some(v), "file")
            } else {
                (None, "default")
            };
            sources.push((key, src));
            v
        };
        let data_dir = pick(
            "data_dir",
            o.data_dir.as_ref().map(|p| p.display().to_string()),
            "PRONGSAI_DATA_DIR",
            file.data_dir.map(|p| p.display().to_string()),
        )
        .map_or_else(|| PathBuf::from("data"), PathBuf::from);
        let database_url = pick(
            "database_url",
            o.database_url.clone(),
            "PRONGSAI_DATABASE_URL",
            file.database_url,
        )
        .unwrap_or_else(|| default_sqlite_url(&data_dir));
        let bind_raw = pick("bind", o.bind.clone(), "PRONGSAI_BIND", file.bind)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind = bind_raw.parse().map_err(|_| ConfigError::Value {
            key: "bind",
            value: bind_raw.clone(),
            reason: "expected ADDRESS:PORT",
        })?;
        let public_url = pick("public_url", None, "PRONGSAI_PUBLIC_URL", file.public_url);
        if let Some(u) = &public_url
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            return Err(ConfigError::Value {
                key: "public_url",
                value: u.clone(),
                reason: "must start with http:// or https://",
            });
        }
        let secure_cookies = pick(
            "secure_cookies",
            None,
            "PRONGSAI_SECURE_COOKIES",
            file.secure_cookies,
        )
        .unwrap_or_else(|| "auto".into());
        if !matches!(secure_cookies.as_str(), "auto" | "always" | "never") {
            return Err(ConfigError::Value {
                key: "secure_cookies",
                value: secure_cookies,
                reason: "use auto, always or never",
            });
        }
        let log_format_raw = pick("log_format", None, "PRONGSAI_LOG_FORMAT", file.log_format)
            .unwrap_or_else(|| "text".into());
        let log_format = match log_format_raw.as_str() {
            "text" => LogFormat::Text,
            "json" => LogFormat::Json,
            _ => {
                return Err(ConfigError::Value {
                    key: "log_format",
                    value: log_format_raw,
                    reason: "use text or json",
                });
            }
        };
        let log_level = pick("log_level", None, "PRONGSAI_LOG", file.log_level)
            .unwrap_or_else(|| "info".into());
        let flag =
            |key: &'static str, raw: Option<String>, default: bool| -> Result<bool, ConfigError> {
                match raw.as_deref() {
                    None => Ok(default),
                    Some("1" | "true" | "yes" | "on") => Ok(true),
                    Some("0" | "false" | "no" | "off") => Ok(false),
                    Some(other) => Err(ConfigError::Value {
                        key,
                        value: other.into(),
                        reason: "use true or false",
                    }),
                }
            };
        let trust_proxy = flag(
            "trust_proxy",
            pick(
                "trust_proxy",
                None,
                "PRONGSAI_TRUST_PROXY",
                file.trust_proxy.map(|b| b.to_string()),
            ),
            false,
        )?;
        let demo = flag(
            "demo",
            pick(
                "demo",
                None,
                "PRONGSAI_DEMO",
                file.demo.map(|b| b.to_string()),
            ),
            true,
        )?;
        let metrics = flag(
            "metrics",
            pick(
                "metrics",
                None,
                "PRONGSAI_METRICS",
                file.metrics.map(|b| b.to_string()),
            ),
            true,
        )?;
        let page_cache = flag(
            "page_cache",
            pick(
                "page_cache",
                None,
                "PRONGSAI_PAGE_CACHE",
                file.page_cache.map(|b| b.to_string()),
            ),
            true,
        )?;
        let check_external_links = flag(
            "check_external_links",
            pick(
                "check_external_links",
                None,
                "PRONGSAI_CHECK_EXTERNAL_LINKS",
                file.check_external_links.map(|b| b.to_string()),
            ),
            false,
        )?;
        let smtp_url = pick("smtp_url", None, "PRONGSAI_SMTP_URL", file.smtp_url);
        if let Some(u) = &smtp_url
            && !(u.starts_with("smtp://") || u.starts_with("smtps://"))
        {
            return Err(ConfigError::Value {
                key: "smtp_url",
                value: redact_url(u),
                reason: "must start with smtp:// or smtps://",
            });
        }
        let mail_from = pick("mail_from", None, "PRONGSAI_MAIL_FROM", file.mail_from)
            .unwrap_or_else(|| "Prongsai <no-reply@localhost>".into());
        let mut domains = std::collections::BTreeMap::new();
        for (host, slug) in file.domains {
            let host = host.trim().to_ascii_lowercase();
            let ok = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
            if !ok {
                return Err(ConfigError::Value {
                    key: "domains",
                    value: host,
                    reason: "must be a host name such as nonhan.go.th",
                });
            }
            domains.insert(host, slug.trim().to_owned());
        }
        // Settings found under AWS's own variable names, noted in `sources` at the end.
        let mut from_aws: Vec<&'static str> = Vec::new();
        let files = {
            let f = file.files;
            let store = pick("files.store", None, "PRONGSAI_FILES_STORE", f.store)
                .unwrap_or_else(|| "local".into());
            match store.as_str() {
                "local" => FileStore::Local,
                "s3" => {
                    // AWS's own variable names count when neither Prongsai's variable nor the
                    // file sets the value.
                    let mut s3 =
                        |key: &'static str, env_key: &str, aws: &[&str], file: Option<String>| {
                            pick(key, None, env_key, file).or_else(|| {
                                let found = aws.iter().find_map(|k| env(k))?;
                                from_aws.push(key);
                                Some(found)
                            })
                        };
                    let bucket = s3("files.bucket", "PRONGSAI_S3_BUCKET", &[], f.bucket);
                    let region = s3(
                        "files.region",
                        "PRONGSAI_S3_REGION",
                        &["AWS_REGION", "AWS_DEFAULT_REGION"],
                        f.region,
                    );
                    let endpoint = s3(
                        "files.endpoint",
                        "PRONGSAI_S3_ENDPOINT",
                        &["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"],
                        f.endpoint,
                    );
                    let virtual_hosted = s3(
                        "files.virtual_hosted",
                        "PRONGSAI_S3_VIRTUAL_HOSTED",
                        &[],
                        f.virtual_hosted.map(|b| b.to_string()),
                    );
                    let access_key_id = s3(
                        "files.access_key_id",
                        "PRONGSAI_S3_ACCESS_KEY_ID",
                        &["AWS_ACCESS_KEY_ID"],
                        f.access_key_id,
                    );
                    let secret_access_key = s3(
                        "files.secret_access_key",
                        "PRONGSAI_S3_SECRET_ACCESS_KEY",
                        &["AWS_SECRET_ACCESS_KEY"],
                        f.secret_access_key,
                    );
                    let prefix = s3("files.prefix", "PRONGSAI_S3_PREFIX", &[], f.prefix);
                    let c = prongsai_objects::S3Config {
                        bucket: bucket.unwrap_or_default().trim().to_owned(),
                        region: region.unwrap_or_else(|| "us-east-1".into()),
                        endpoint: endpoint.filter(|e| !e.trim().is_empty()),
                        virtual_hosted: flag("files.virtual_hosted", virtual_hosted, false)?,
                        access_key_id: access_key_id.unwrap_or_default(),
                        secret_access_key: secret_access_key.unwrap_or_default(),
                        prefix: prefix.unwrap_or_default(),
                    };
                    c.validate()
                        .map_err(|e| ConfigError::Files(e.to_string()))?;
                    FileStore::S3(c)
                }
                _ => {
                    return Err(ConfigError::Value {
                        key: "files.store",
                        value: store,
                        reason: "use local or s3",
                    });
                }
            }
        };
        let mut number =
            |key: &'static str,
             env_key: &str,
             file: Option<i64>,
             default: i64,
             range: std::ops::RangeInclusive<i64>| {
                let raw = pick(key, None, env_key, file.map(|v| v.to_string()));
                match raw {
                    None => Ok(default),
                    Some(r) => r.parse::<i64>().ok().filter(|v| range.contains(v)).ok_or(
                        ConfigError::Value {
                            key,
                            value: r,
                            reason: "number out of range",
                        },
                    ),
                }
            };
        let max_body_mb = number(
            "max_body_mb",
            "PRONGSAI_MAX_BODY_MB",
            file.max_body_mb.map(to_i64),
            12,
            1..=1024,
        )?;
        let max_image_mb = number(
            "max_image_mb",
            "PRONGSAI_MAX_IMAGE_MB",
            file.max_image_mb.map(to_i64),
            5,
            1..=100,
        )?;
        let session_idle_minutes = number(
            "session_idle_minutes",
            "PRONGSAI_SESSION_IDLE_MINUTES",
            file.session_idle_minutes,
            120,
            5..=24 * 60,
        )?;
        let session_hours = number(
            "session_hours",
            "PRONGSAI_SESSION_HOURS",
            file.session_hours,
            12,
            1..=24 * 30,
        )?;
        let db_max_connections = number(
            "db_max_connections",
            "PRONGSAI_DB_MAX_CONNECTIONS",
            file.db_max_connections.map(i64::from),
            8,
            1..=200,
        )?;
        for (key, src) in &mut sources {
            if from_aws.contains(key) {
                *src = "environment (AWS_*)";
            }
        }
        Ok(Self {
            data_dir,
            database_url: Secret::new(database_url),
            bind,
            public_url,
            secure_cookies,
            trust_proxy,
            log_format,
            log_level,
            demo,
            max_body_mb: u64::try_from(max_body_mb).unwrap_or(12),
            max_image_mb: u64::try_from(max_image_mb).unwrap_or(5),
            session_idle_minutes,
            session_hours,
            db_max_connections: u32::try_from(db_max_connections).unwrap_or(8),
            metrics,
            page_cache,
            check_external_links,
            smtp_url: smtp_url.map(Secret::new),
            mail_from,
            domains,
            files,
            sources,
        })
    }

    /// The settings as `key = value` lines, with secrets hidden.
    pub fn describe(&self) -> Vec<(String, String, &'static str)> {
        let src = |k: &str| {
            self.sources
                .iter()
                .find(|(key, _)| *key == k)
                .map_or("default", |(_, s)| *s)
        };
        let mut out = vec![
            ("data_dir".to_owned(), self.data_dir.display().to_string()),
            (
                "database_url".to_owned(),
                redact_url(self.database_url.expose()),
            ),
            ("bind".to_owned(), self.bind.to_string()),
            (
                "public_url".to_owned(),
                self.public_url.clone().unwrap_or_default(),
            ),
            ("secure_cookies".to_owned(), self.secure_cookies.clone()),
            ("trust_proxy".to_owned(), self.trust_proxy.to_string()),
            (
                "log_format".to_owned(),
                format!("{:?}", self.log_format).to_lowercase(),
            ),
            ("log_level".to_owned(), self.log_level.clone()),
            ("demo".to_owned(), self.demo.to_string()),
            ("max_body_mb".to_owned(), self.max_body_mb.to_string()),
            ("max_image_mb".to_owned(), self.max_image_mb.to_string()),
            (
                "session_idle_minutes".to_owned(),
                self.session_idle_minutes.to_string(),
            ),
            ("session_hours".to_owned(), self.session_hours.to_string()),
            (
                "db_max_connections".to_owned(),
                self.db_max_connections.to_string(),
            ),
            ("metrics".to_owned(), self.metrics.to_string()),
            ("page_cache".to_owned(), self.page_cache.to_string()),
            (
                "check_external_links".to_owned(),
                self.check_external_links.to_string(),
            ),
            (
                "smtp_url".to_owned(),
                self.smtp_url
                    .as_ref()
                    .map(|u| redact_url(u.expose()))
                    .unwrap_or_default(),
            ),
            ("mail_from".to_owned(), self.mail_from.clone()),
            (
                "domains".to_owned(),
                self.domains
                    .iter()
                    .map(|(h, s)| format!("{h}={s}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ];
        match &self.files {
            FileStore::Local => out.push((
                "files.store".to_owned(),
                format!("local ({})", self.files_dir().display()),
            )),
            FileStore::S3(c) => {
                out.push(("files.store".to_owned(), "s3".to_owned()));
                out.push(("files.bucket".to_owned(), c.bucket.clone()));
                out.push(("files.region".to_owned(), c.region.clone()));
                out.push((
                    "files.endpoint".to_owned(),
                    c.endpoint.clone().unwrap_or_default(),
                ));
                out.push((
                    "files.virtual_hosted".to_owned(),
                    c.virtual_hosted.to_string(),
                ));
                out.push(("files.access_key_id".to_owned(), c.access_key_id.clone()));
                out.push(("files.secret_access_key".to_owned(), "***".to_owned()));
                out.push(("files.prefix".to_owned(), c.prefix.clone()));
            }
        }
        out.iter_mut()
            .map(|(k, v)| {
                let source = src(k);
                (std::mem::take(k), std::mem::take(v), source)
            })
            .collect()
    }

    /// The folder for uploaded files.
    pub fn files_dir(&self) -> PathBuf {
        self.data_dir.join("files")
    }
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn read_file(p: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(p).map_err(|source| ConfigError::Read {
        path: p.to_owned(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: p.to_owned(),
        message: e.to_string(),
    })
}

/// The default SQLite URL for a data folder.
pub fn default_sqlite_url(data_dir: &Path) -> String {
    format!("sqlite://{}", data_dir.join("prongsai.db").display())
}

/// A database URL with its password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    // libpq-style URLs may also carry the password as a query parameter.
    if let Some((base, query)) = url.split_once('?') {
        let query: Vec<String> = query
            .split('&')
            .map(|pair| match pair.split_once('=') {
                Some((k, _))
                    if k.eq_ignore_ascii_case("password")
                        || k.eq_ignore_ascii_case("sslpassword") =>
                {
                    format!("{k}=***")
                }
                _ => pair.to_owned(),
            })
            .collect();
        return format!("{}?{}", redact_url(base), query.join("&"));
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((creds, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match creds.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load(o: &Overrides, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Config::load(o, &|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_give_a_local_sqlite_site_with_the_demo() {
        let c = load(&Overrides::default(), &[]).unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
        assert_eq!(c.database_url.expose(), "sqlite://data/prongsai.db");
        assert!(c.demo);
    }

    #[test]
    fn the_command_line_beats_the_environment_which_beats_the_file() {
        let dir = std::env::temp_dir().join(format!("prongsai-cfg-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("p.toml");
        std::fs::write(
            &file,
            "bind = \"0.0.0.0:1\"\ndemo = false\nlog_format = \"json\"\n",
        )
        .unwrap();
        let o = Overrides {
            config_file: Some(file.clone()),
            bind: Some("127.0.0.1:9".into()),
            ..Default::default()
        };
        let c = load(
            &o,
            &[("PRONGSAI_BIND", "127.0.0.1:7"), ("PRONGSAI_DEMO", "true")],
        )
        .unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:9");
        assert!(c.demo, "environment beats file");
        assert_eq!(c.log_format, LogFormat::Json, "file beats default");
        let c = load(
            &Overrides {
                config_file: Some(file),
                ..Default::default()
            },
            &[("PRONGSAI_BIND", "127.0.0.1:7")],
        )
        .unwrap();
        assert_eq!(c.bind.to_string(), "127.0.0.1:7");
    }

    #[test]
    fn bad_values_are_named() {
        let e = load(&Overrides::default(), &[("PRONGSAI_BIND", "nowhere")]).unwrap_err();
        assert!(e.to_string().contains("bind"), "{e}");
        let e = load(&Overrides::default(), &[("PRONGSAI_DEMO", "maybe")]).unwrap_err();
        assert!(e.to_string().contains("demo"), "{e}");
    }

    #[test]
    fn agencies_own_domains_come_from_the_file_in_lower_case() {
        let dir = std::env::temp_dir().join(format!("prongsai-cfg3-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("p.toml");
        let with = |text: &str| {
            std::fs::write(&file, text).unwrap();
            load(
                &Overrides {
                    config_file: Some(file.clone()),
                    ..Default::default()
                },
                &[],
            )
        };
        let c = with("[domains]\n\"NonHan.go.th\" = \"nonhan\"\n").unwrap();
        assert_eq!(
            c.domains.get("nonhan.go.th").map(String::as_str),
            Some("nonhan")
        );
        let e = with("[domains]\n\"http://x/\" = \"nonhan\"\n").unwrap_err();
        assert!(e.to_string().contains("domains"), "{e}");
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        let dir = std::env::temp_dir().join(format!("prongsai-cfg2-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("p.toml");
        std::fs::write(&file, "bnid = \"x\"\n").unwrap();
        let e = load(
            &Overrides {
                config_file: Some(file),
                ..Default::default()
            },
            &[],
        )
        .unwrap_err();
        assert!(e.to_string().contains("bnid"), "{e}");
    }

    #[test]
    fn secrets_never_print() {
        let c = load(
            &Overrides::default(),
            &[("PRONGSAI_DATABASE_URL", "postgres://app:s3cret@db/prongsai")],
        )
        .unwrap();
        assert!(!format!("{c:?}").contains("s3cret"));
        let described = c.describe();
        assert!(described.iter().all(|(_, v, _)| !v.contains("s3cret")));
        assert!(described.iter().any(|(k, v, s)| k == "database_url"
            && v == "postgres://app:***@db/prongsai"
            && *s == "environment"));
    }
}
