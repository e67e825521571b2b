//! The measures module as its users meet it: plans drafted, checked, submitted and approved;
//! divisions reporting progress with evidence; overdue actions and reminders (in the app and by
//! e-mail); the official documents read back with poppler and LibreOffice; and the Excel round
//! trip. Everything goes through the real router, store and files; the clock is the only thing
//! the tests move.
//!
//! The documents are read with `pdftotext` (poppler-utils) and converted with LibreOffice
//! (libreoffice-writer-nogui and, for the workbook, libreoffice-calc-nogui); a test that needs
//! one fails, saying so, when it is missing.

#[path = "../../../documents/tests/fixtures/reading.rs"]
pub mod reading;
#[path = "../../../documents/tests/fixtures/seed.rs"]
mod seed;

use std::net::SocketAddr;
use std::process::Command;
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use prongsai::reminders::{Sweep, sweep};
use prongsai_domain::Ctx;
use prongsai_domain::ErrorCode;
use prongsai_domain::ids::{ActionId, DivisionId, MeasureId, PlanId, ProgressId};
use prongsai_domain::measures::service::{self as ms, PlanView};
use prongsai_domain::measures::workbook as wb;
use prongsai_domain::measures::{
    Action, ActionFields, ActionInput, ActionStatus, Evidence, MeasureFields, PlanContent,
    PlanStatus, PlanTexts, ProgressEntry, ProgressInput, library,
};
use prongsai_domain::platform::file::BlobStore;
use prongsai_domain::platform::service::{Member, Upload};
use prongsai_domain::platform::session::hex_sha256;
use prongsai_domain::platform::{Actor, FileKind};
use prongsai_thai::{Digits, FiscalYear};
use prongsai_web::i18n::{Lang, Tr};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use time::macros::{date, datetime};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::support::*;
use reading::*;

// ---------------------------------------------------------------------------------------------
// The demo agency and its plans.

/// The platform with the demo agency, a minute after it was loaded: the demo's progress reports
/// are stamped in the seconds after loading, and a person's report comes later than that.
async fn demo() -> TestApp {
    let app = TestApp::with_demo().await;
    app.advance(60);
    app
}

fn fy(year: i32) -> FiscalYear {
    FiscalYear::new(year).unwrap()
}

/// The demo agency's plan of a year, with everything in it.
async fn view(app: &TestApp, year: i32) -> PlanView {
    let a = app.nonhan().await;
    ms::plan_view(&app.cx, a.id, fy(year)).await.unwrap()
}

/// The action numbered "1.2" of a plan.
fn action<'a>(v: &'a PlanView, number: &str) -> &'a Action {
    v.actions
        .iter()
        .find(|a| v.action_number(a) == number)
        .unwrap_or_else(|| panic!("no action {number} in the plan"))
}

/// The action numbers of a plan, in order.
fn numbers(v: &PlanView) -> Vec<String> {
    v.actions.iter().map(|a| v.action_number(a)).collect()
}

/// A demo division by its short name ("กองคลัง").
async fn division(app: &TestApp, short_name: &str) -> DivisionId {
    let a = app.nonhan().await;
    app.cx
        .store
        .list_divisions(a.id)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.fields.short_name.as_deref() == Some(short_name))
        .unwrap_or_else(|| panic!("no division {short_name}"))
        .id
}

/// A demo member as the services see them.
async fn member(app: &TestApp, email: &str) -> Member {
    let a = app.nonhan().await;
    let account = app
        .cx
        .store
        .account_by_email(email)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("no account {email}"));
    let membership = app
        .cx
        .store
        .membership(a.id, account.id)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{email} is not a member"));
    Member::new(account, membership)
}

/// The plan's content, as an import gives it, for "what changed" comparisons.
async fn content(app: &TestApp, year: i32) -> PlanContent {
    wb::content_of(&view(app, year).await)
}

fn plan_url(year: i32) -> String {
    format!("/a/nonhan/admin/measures/{year}")
}

fn action_url(year: i32, id: ActionId) -> String {
    format!("/a/nonhan/admin/measures/{year}/actions/{id}")
}

fn th(app: &TestApp) -> Tr {
    app.tr(Lang::Th)
}

/// "place : message", as a warning or a refused cell reads on a page.
fn placed(place: &str, message: &str) -> String {
    format!("{place} : {message}")
}

/// The fields the action form sends for these values.
fn action_form(f: &ActionInput) -> Vec<(String, String)> {
    let mut out = vec![("text".to_owned(), f.text.clone())];
    if f.all_divisions {
        out.push(("all_divisions".into(), "on".into()));
    }
    for d in &f.divisions {
        out.push(("divisions".into(), d.clone()));
    }
    for (k, v) in [
        ("period", &f.period),
        ("recommendation", &f.recommendation),
        ("monitoring", &f.monitoring),
        ("kpi", &f.kpi),
        ("target", &f.target),
        ("weight", &f.weight),
    ] {
        out.push((k.into(), v.clone()));
    }
    out
}

fn borrowed(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// Saves an action through its edit form, after `change`, as the coordinator does.
async fn edit_action(
    c: &Client,
    year: i32,
    a: &Action,
    change: impl FnOnce(&mut ActionInput),
) -> Resp {
    let mut f = ActionInput::from_fields(&a.fields);
    change(&mut f);
    let url = format!("{}/edit", action_url(year, a.id));
    c.submit(&url, &url, &borrowed(&action_form(&f))).await
}

/// The (code, subject) of every open warning's accept form on a plan page.
fn open_warnings(r: &Resp) -> Vec<(String, String)> {
    let form = "form[action$=\"/accept-warning\"]";
    let codes = r.attrs(&format!("{form} input[name=code]"), "value");
    let subjects = r.attrs(&format!("{form} input[name=subject]"), "value");
    codes.into_iter().zip(subjects).collect()
}

/// Accepts every open warning of a plan through its form, each with a reason of its own;
/// returns the reasons.
async fn accept_all(c: &Client, year: i32) -> Vec<String> {
    let url = format!("{}/accept-warning", plan_url(year));
    let mut reasons = Vec::new();
    loop {
        let page = c.get(&plan_url(year)).await;
        let Some((code, subject)) = open_warnings(&page).into_iter().next() else {
            break;
        };
        let reason = format!(
            "ตรวจแล้ว ข้อความนี้ถูกต้องตามต้นฉบับ (รายการที่ {})",
            reasons.len() + 1
        );
        let r = c
            .submit(
                &plan_url(year),
                &url,
                &[("code", &code), ("subject", &subject), ("reason", &reason)],
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "accept: {}", r.describe());
        reasons.push(reason);
        assert!(reasons.len() < 50, "warnings do not go away when accepted");
    }
    reasons
}

/// Takes a draft through the check, the submission and the approval, as the admin and the
/// mayor do it.
async fn publish(app: &TestApp, year: i32) {
    let admin = app.demo_admin().await;
    accept_all(&admin, year).await;
    let r = admin
        .submit(
            &plan_url(year),
            &format!("{}/status/submit", plan_url(year)),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "submit: {}", r.describe());
    let mayor = app.signed_in(DEMO_MAYOR, DEMO_PASSWORD).await;
    let r = mayor
        .submit(
            &plan_url(year),
            &format!("{}/status/approve", plan_url(year)),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "approve: {}", r.describe());
    assert_eq!(view(app, year).await.plan.status, PlanStatus::Approved);
}

/// The FY2567 draft with some actions given to one division instead of all, then approved:
/// 1.1–1.3 are สำนักปลัดฯ's alone, 2.2 กองช่าง's and 3.2 กองคลัง's; the others stay with every
/// division, as in the seed.
async fn divide_and_publish_2567(app: &TestApp) -> PlanView {
    let admin = app.demo_admin().await;
    let v = view(app, 2567).await;
    let palad = division(app, "สำนักปลัดฯ").await;
    let engineering = division(app, "กองช่าง").await;
    let finance = division(app, "กองคลัง").await;
    for (number, d) in [
        ("1.1", palad),
        ("1.2", palad),
        ("1.3", palad),
        ("2.2", engineering),
        ("3.2", finance),
    ] {
        let r = edit_action(&admin, 2567, action(&v, number), |f| {
            f.all_divisions = false;
            f.divisions = vec![d.to_string()];
        })
        .await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "{number}: {}",
            r.describe()
        );
    }
    publish(app, 2567).await;
    view(app, 2567).await
}

/// The action numbers a plan or overdue page lists, in order.
fn listed_numbers(r: &Resp) -> Vec<String> {
    r.texts("table.cards tbody td:first-child > a")
}

/// The action ids a page links to from its table rows, in order.
fn listed_ids(r: &Resp) -> Vec<String> {
    r.attrs("table.cards tbody td:first-child > a", "href")
        .iter()
        .map(|h| {
            h.trim_end_matches("/edit")
                .rsplit('/')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect()
}

/// A progress report written straight to the store.
fn entry(
    cx: &Ctx,
    who: &Member,
    action: ActionId,
    status: ActionStatus,
    percent: i32,
) -> ProgressEntry {
    ProgressEntry {
        id: ProgressId::from_raw(cx.new_id()),
        agency_id: who.agency_id(),
        action_id: action,
        reported_on: cx.clock.today(),
        status,
        percent,
        narrative: format!("รายงาน {} ร้อยละ {percent}", status.as_str()),
        author_account_id: Some(who.account.id),
        author_label: who.account.display_name.clone(),
        evidence: Vec::new(),
        created_at: cx.clock.unix(),
    }
}

/// A small but real PDF: one page that shows `text`, with a correct cross-reference table.
fn small_pdf(text: &str) -> Vec<u8> {
    let stream = format!("BT /F1 18 Tf 20 40 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R \
         /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!(
            "<< /Length {} >>\nstream\n{stream}\nendstream",
            stream.len()
        ),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        pdf.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    pdf
}

// ---------------------------------------------------------------------------------------------
// poppler and LibreOffice.

/// Converts files with LibreOffice in one run, as an officer's office suite would save them:
/// `files` are (file name, content), `to` a `--convert-to` target ("pdf", "xlsx:Calc MS Excel
/// 2007 XML") and `ext` the extension of what comes out.
fn libreoffice(files: &[(&str, &[u8])], to: &str, ext: &str) -> Vec<Vec<u8>> {
    require("libreoffice", "libreoffice-writer-nogui");
    let dir = TempDir::new();
    let (input, output) = (dir.path().join("in"), dir.path().join("out"));
    std::fs::create_dir_all(&input).unwrap();
    let mut cmd = Command::new("libreoffice");
    // A profile of its own, so that conversions running in parallel do not collide.
    cmd.arg(format!(
        "-env:UserInstallation=file://{}",
        dir.path().join("profile").display()
    ))
    .args(["--headless", "--norestore", "--convert-to", to, "--outdir"])
    .arg(&output);
    for (name, bytes) in files {
        let path = input.join(name);
        std::fs::write(&path, bytes).unwrap();
        cmd.arg(path);
    }
    let out = cmd.output().unwrap();
    files
        .iter()
        .map(|(name, _)| {
            let stem = name.rsplit_once('.').map_or(*name, |(s, _)| s);
            let path = output.join(format!("{stem}.{ext}"));
            std::fs::read(&path).unwrap_or_else(|e| {
                panic!(
                    "LibreOffice did not convert {name} ({e}): {}\n{}",
                    String::from_utf8_lossy(&out.stdout),
                    String::from_utf8_lossy(&out.stderr)
                )
            })
        })
        .collect()
}

fn thai(s: &str) -> String {
    prongsai_thai::to_thai_digits(s)
}

/// The seed report's measures table, row by row: each action is followed by the progress the
/// plan holds for it (its narrative and the names of its evidence).
fn seed_measure_rows(v: &PlanView) -> Vec<Row> {
    seed::measures()
        .iter()
        .map(|m| {
            let mut actions = Vec::new();
            for a in &m.actions {
                let number = format!("{}.{}", m.number, a.number);
                actions.push(format!("{} {}", thai(&number), a.text));
                if let Some(p) = v.latest_progress(action(v, &number).id) {
                    actions.push(p.narrative.clone());
                    for e in &p.evidence {
                        actions.push(match e {
                            Evidence::File { name, .. } => name.clone(),
                            Evidence::Link { label, .. } => label.clone(),
                        });
                    }
                }
            }
            vec![
                vec![format!("{}. {}", thai(&m.number.to_string()), m.title)],
                actions,
                m.responsible.clone(),
                vec![m.period.clone()],
                lines(&m.recommendation),
            ]
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Workbooks.

/// One sheet of a workbook: its name, header and rows of text.
struct Sheet {
    name: &'static str,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// A plan's three sheets, as the export writes them.
async fn plan_sheets(app: &TestApp, year: i32) -> Vec<Sheet> {
    let a = app.nonhan().await;
    let divisions = app.cx.store.list_divisions(a.id).await.unwrap();
    let [plan, reviews, steps] = wb::export_rows(&view(app, year).await, &divisions);
    let header = |cols: &[(&str, f64)]| cols.iter().map(|(h, _)| (*h).to_owned()).collect();
    vec![
        Sheet {
            name: wb::PLAN_SHEET,
            header: header(&wb::PLAN_COLUMNS),
            rows: plan,
        },
        Sheet {
            name: wb::REVIEW_SHEET,
            header: header(&wb::REVIEW_COLUMNS),
            rows: reviews,
        },
        Sheet {
            name: wb::STEP_SHEET,
            header: header(&wb::STEP_COLUMNS),
            rows: steps,
        },
    ]
}

/// Writes sheets as a person's spreadsheet would hold them, then lets `tweak` do to each
/// sheet (by index) what a person might: merge cells, type a formula or a date.
fn write_book(sheets: &[Sheet], tweak: impl Fn(usize, &mut Worksheet)) -> Vec<u8> {
    let mut book = Workbook::new();
    for (i, s) in sheets.iter().enumerate() {
        let ws = book.add_worksheet();
        ws.set_name(s.name).unwrap();
        for (r, row) in std::iter::once(&s.header).chain(&s.rows).enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string(u32::try_from(r).unwrap(), u16::try_from(c).unwrap(), v)
                    .unwrap();
            }
        }
        tweak(i, ws);
    }
    book.save_to_buffer().unwrap()
}

/// The row of the plan sheet that holds action `number`.
fn row_of(sheets: &[Sheet], number: &str) -> usize {
    sheets[0]
        .rows
        .iter()
        .position(|r| r[4] == number)
        .unwrap_or_else(|| panic!("no row for action {number}"))
}

/// Uploads a workbook through the import form of the documents page.
async fn preview(c: &Client, year: i32, name: &str, bytes: &[u8]) -> Resp {
    let page = format!("{}/documents", plan_url(year));
    let p = c.get(&page).await;
    assert_eq!(p.status, 200, "{}", p.describe());
    let action = format!("{}/import", plan_url(year));
    let token = p
        .attrs(
            &format!("form[action=\"{action}\"] input[name=csrf]"),
            "value",
        )
        .pop()
        .expect("the documents page has the import form");
    c.post_multipart_with(&action, Some(&token), &[], &[("file", name, bytes)])
        .await
}

/// The differences a preview lists: item, change, old, new.
fn preview_rows(r: &Resp) -> Vec<[String; 4]> {
    let cells = r.texts("table.cards tbody td");
    assert_eq!(cells.len() % 4, 0);
    cells
        .chunks(4)
        .map(|c| [c[0].clone(), c[1].clone(), c[2].clone(), c[3].clone()])
        .collect()
}

/// Confirms a preview through its form.
async fn confirm(c: &Client, preview: &Resp) -> Resp {
    let form = "form[action$=\"/import/apply\"]";
    let value = |name: &str| {
        preview
            .attrs(&format!("{form} input[name={name}]"), "value")
            .pop()
            .unwrap_or_else(|| panic!("the preview has no {name}: {}", preview.describe()))
    };
    let action = preview.attrs(form, "action").pop().unwrap();
    c.post_with_token(
        &action,
        &value("csrf"),
        &[("file", &value("file")), ("stamp", &value("stamp"))],
    )
    .await
}

/// The problems a refused import lists, "place : message" each.
fn import_errors(r: &Resp) -> Vec<String> {
    r.texts(".error-summary li")
}

// ---------------------------------------------------------------------------------------------
// An SMTP server that keeps what it is sent.

#[derive(Debug, Clone)]
struct Mail {
    from: String,
    to: Vec<String>,
    data: String,
}

impl Mail {
    fn header(&self, name: &str) -> String {
        let (head, _) = self.data.split_once("\r\n\r\n").unwrap_or((&self.data, ""));
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        let prefix = format!("{}:", name.to_ascii_lowercase());
        let line = unfolded
            .split("\r\n")
            .find(|l| l.to_ascii_lowercase().starts_with(&prefix))
            .unwrap_or_else(|| panic!("no {name} header in {:?}", self.data));
        decode_words(line[prefix.len()..].trim())
    }

    fn body(&self) -> String {
        let (_, body) = self.data.split_once("\r\n\r\n").unwrap_or(("", ""));
        let encoding = self
            .header("Content-Transfer-Encoding")
            .to_ascii_lowercase();
        let bytes = match encoding.as_str() {
            "base64" => base64(body),
            "quoted-printable" => quoted_printable(body),
            _ => body.as_bytes().to_vec(),
        };
        String::from_utf8(bytes).unwrap()
    }
}

struct SmtpSink {
    addr: SocketAddr,
    mails: Arc<Mutex<Vec<Mail>>>,
}

impl SmtpSink {
    /// Listens on a free port of 127.0.0.1 and accepts every message, on any connection.
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&mails);
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let kept = Arc::clone(&kept);
                tokio::spawn(async move {
                    let _ = smtp_session(socket, kept).await;
                });
            }
        });
        Self { addr, mails }
    }

    fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

/// Just enough SMTP: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT.
async fn smtp_session(
    socket: tokio::net::TcpStream,
    mails: Arc<Mutex<Vec<Mail>>>,
) -> std::io::Result<()> {
    let (read, mut write) = socket.into_split();
    let mut read = BufReader::new(read);
    write.write_all(b"220 sink.test ESMTP\r\n").await?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    let address = |s: &str| {
        let s = s.split_once(':').map_or(s, |(_, v)| v).trim();
        let s = s.split_whitespace().next().unwrap_or("");
        s.trim_start_matches('<').trim_end_matches('>').to_owned()
    };
    loop {
        line.clear();
        if read.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let command = line.trim_end().to_owned();
        let upper = command.to_ascii_uppercase();
        let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            b"250 sink.test\r\n"
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&command);
            b"250 OK\r\n"
        } else if upper.starts_with("RCPT TO:") {
            to.push(address(&command));
            b"250 OK\r\n"
        } else if upper == "DATA" {
            write.write_all(b"354 go ahead\r\n").await?;
            let mut data = String::new();
            loop {
                line.clear();
                if read.read_line(&mut line).await? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            mails.lock().unwrap().push(Mail {
                from: std::mem::take(&mut from),
                to: std::mem::take(&mut to),
                data,
            });
            b"250 OK queued\r\n"
        } else if upper == "RSET" || upper == "NOOP" {
            b"250 OK\r\n"
        } else if upper == "QUIT" {
            write.write_all(b"221 bye\r\n").await?;
            return Ok(());
        } else {
            b"502 not implemented\r\n"
        };
        write.write_all(reply).await?;
    }
}

fn base64(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let (mut out, mut acc, mut bits) = (Vec::new(), 0u32, 0u32);
    for c in s.bytes() {
        let Some(v) = ALPHABET.iter().position(|&x| x == c) else {
            continue;
        };
        acc = ((acc << 6) | u32::try_from(v).unwrap()) & 0xFF_FFFF;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xFF).unwrap());
        }
    }
    out
}

fn quoted_printable(s: &str) -> Vec<u8> {
    let s = s.replace("=\r\n", "");
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'='
            && let Some(v) = s
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

/// A header value with its RFC 2047 encoded words decoded.
fn decode_words(v: &str) -> String {
    let mut bytes = Vec::new();
    let mut rest = v;
    while let Some(start) = rest.find("=?") {
        let plain = &rest[..start];
        if !plain.trim().is_empty() {
            bytes.extend_from_slice(plain.as_bytes());
        }
        let mut parts = rest[start + 2..].splitn(3, '?');
        let (_charset, encoding, tail) = (
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
            parts.next().unwrap_or(""),
        );
        let end = tail.find("?=").unwrap_or(tail.len());
        if encoding.eq_ignore_ascii_case("b") {
            bytes.extend(base64(&tail[..end]));
        } else {
            bytes.extend(quoted_printable(&tail[..end].replace('_', " ")));
        }
        rest = tail.get(end + 2..).unwrap_or("");
    }
    bytes.extend_from_slice(rest.as_bytes());
    String::from_utf8(bytes).unwrap()
}

// =============================================================================================
// 1. The model, through the store.

#[tokio::test]
async fn progress_rolls_up_by_weight_from_actions_to_measures_to_the_plan() {
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await;
    let (cx, store) = (&app.cx, &app.cx.store);
    let actor = Actor::system("test");
    let finance = division(&app, "กองคลัง").await;
    let plan = PlanId::from_raw(cx.new_id());
    store
        .create_plan(
            cx.write(&actor),
            a.id,
            plan,
            fy(2568),
            &PlanTexts::default(),
        )
        .await
        .unwrap();
    // Three measures weighing 1, 2 and 1; the third has no action.
    let mut measures = Vec::new();
    for (title, weight) in [("มาตรการหนึ่ง", 1), ("มาตรการสอง", 2), ("มาตรการสาม", 1)]
    {
        let id = MeasureId::from_raw(cx.new_id());
        let f = MeasureFields {
            title: title.into(),
            indicators: vec![1],
            oit_items: vec!["O42".into()],
            weight,
        };
        store
            .create_measure(cx.write(&actor), a.id, plan, id, &f)
            .await
            .unwrap();
        measures.push(id);
    }
    let mut actions = Vec::new();
    for (m, text, weight) in [
        (0, "แนวทาง ก", 1),
        (0, "แนวทาง ข", 3),
        (1, "แนวทาง ค", 1),
        (1, "แนวทาง ง", 1),
    ] {
        let id = ActionId::from_raw(cx.new_id());
        let f = ActionFields {
            text: text.into(),
            divisions: vec![finance],
            weight,
            ..ActionFields::default()
        };
        store
            .create_action(cx.write(&actor), a.id, measures[m], id, &f)
            .await
            .unwrap();
        actions.push(id);
    }
    let v = view(&app, 2568).await;
    assert_eq!(v.plan_percent(), Some(0), "nothing reported yet");
    assert_eq!(v.measure_percent(measures[2]), None);

    let admin = member(&app, DEMO_ADMIN).await;
    for (i, status, percent) in [
        (0, ActionStatus::Done, 100),
        (1, ActionStatus::InProgress, 50),
        (2, ActionStatus::InProgress, 20),
        (3, ActionStatus::Cancelled, 0),
    ] {
        app.advance(1);
        store
            .add_progress(
                cx.write(&admin.actor),
                a.id,
                &entry(cx, &admin, actions[i], status, percent),
            )
            .await
            .unwrap();
    }
    let v = view(&app, 2568).await;
    assert_eq!(
        v.measure_percent(measures[0]),
        Some(63),
        "(1×100 + 3×50) / 4 = 62.5, rounded half up"
    );
    assert_eq!(
        v.measure_percent(measures[1]),
        Some(20),
        "the cancelled action is left out"
    );
    assert_eq!(v.measure_percent(measures[2]), None);
    assert_eq!(
        v.plan_percent(),
        Some(34),
        "(1×63 + 2×20) / 3 = 34.3: measures weighted, the one without actions left out"
    );

    // A later report replaces the action's percentage.
    app.advance(1);
    store
        .add_progress(
            cx.write(&admin.actor),
            a.id,
            &entry(cx, &admin, actions[1], ActionStatus::InProgress, 70),
        )
        .await
        .unwrap();
    let v = view(&app, 2568).await;
    assert_eq!(v.measure_percent(measures[0]), Some(78), "(100 + 3×70) / 4");
    assert_eq!(v.plan_percent(), Some(39), "(78 + 2×20) / 3");
    assert_eq!(v.latest_progress(actions[1]).unwrap().percent, 70);

    // The coordinator's page shows the same figures.
    let t = th(&app);
    let page = app.demo_admin().await.get(&plan_url(2568)).await;
    assert!(
        page.body
            .contains(&t.arg("measures-plan-percent", "percent", 39)),
        "{}",
        page.body
    );
    assert_eq!(
        page.texts("section.measure h2 .tag"),
        // "ร้อยละ 78" keeps its number on its line with a no-break space; texts() collapses it.
        [78, 20].map(|p| t.arg("percent", "value", p).replace('\u{a0}', " "))
    );
}

#[tokio::test]
async fn a_status_reported_without_a_percentage_takes_its_default_one() {
    let app = demo().await;
    let admin = member(&app, DEMO_ADMIN).await;
    let id = action(&view(&app, 2566).await, "3.1").id;
    for (status, percent, expected) in [
        ("in-progress", "", 50),
        ("done", "", 100),
        ("not-started", "", 0),
        ("in-progress", "35", 35),
        ("cancelled", "", 0),
    ] {
        app.advance(1);
        let input = ProgressInput {
            status: status.into(),
            percent: percent.into(),
            narrative: format!("รายงานสถานะ {status}"),
            ..ProgressInput::default()
        };
        ms::report_progress(
            &app.cx,
            app.blobs.as_ref(),
            &admin,
            fy(2566),
            id,
            &input,
            &[],
        )
        .await
        .unwrap();
        let v = view(&app, 2566).await;
        let a = action(&v, "3.1");
        assert_eq!(
            (a.status.as_str(), a.percent),
            (status, expected),
            "{status} {percent:?}"
        );
        let p = v.latest_progress(id).unwrap();
        assert_eq!((p.status.as_str(), p.percent), (status, expected));
    }
    for (s, p) in [
        (ActionStatus::NotStarted, 0),
        (ActionStatus::InProgress, 50),
        (ActionStatus::Done, 100),
        (ActionStatus::Cancelled, 0),
    ] {
        assert_eq!(s.default_percent(), p, "{s:?}");
    }
}

#[tokio::test]
async fn a_progress_entry_keeps_its_date_percentage_narrative_evidence_and_author() {
    let app = demo().await;
    let a = app.nonhan().await;
    let officer = member(&app, DEMO_OFFICER).await;
    let id = action(&view(&app, 2566).await, "2.1").id;
    let pdf = small_pdf("Budget report, second quarter");
    let input = ProgressInput {
        reported_on: "๑๐ ม.ค. ๖๙".into(),
        status: "in-progress".into(),
        percent: "70".into(),
        narrative: "เผยแพร่รายงานการใช้จ่ายงบประมาณไตรมาส ๒ แล้ว".into(),
        links: "ประกาศบนเว็บไซต์ | https://nonhan.example/budget/q2".into(),
    };
    let upload = Upload {
        file_name: "รายงานไตรมาส2.pdf",
        bytes: &pdf,
        max_bytes: 10 * 1024 * 1024,
    };
    let progress = ms::report_progress(
        &app.cx,
        app.blobs.as_ref(),
        &officer,
        fy(2566),
        id,
        &input,
        &[upload],
    )
    .await
    .unwrap();

    let v = view(&app, 2566).await;
    let p = v.latest_progress(id).unwrap();
    assert_eq!(p.id, progress);
    assert_eq!(p.reported_on, date!(2026 - 01 - 10));
    assert_eq!((p.status, p.percent), (ActionStatus::InProgress, 70));
    assert_eq!(p.narrative, input.narrative);
    assert_eq!(p.author_account_id, Some(officer.account.id));
    assert_eq!(p.author_label, "รัตนา (กองคลัง)");
    let [
        Evidence::File { file_id, name },
        Evidence::Link { url, label },
    ] = p.evidence.as_slice()
    else {
        panic!("a file and a link: {:?}", p.evidence);
    };
    assert_eq!(name, "รายงานไตรมาส2.pdf");
    assert_eq!(
        (url.as_str(), label.as_str()),
        ("https://nonhan.example/budget/q2", "ประกาศบนเว็บไซต์")
    );
    let file = app.cx.store.file(a.id, *file_id).await.unwrap();
    assert_eq!(file.kind, FileKind::Pdf);
    assert_eq!(app.blobs.get(&file.sha256).await.unwrap(), pdf);
    // The action takes the report's status and percentage; the report is in the audit log.
    let act = action(&v, "2.1");
    assert_eq!((act.status, act.percent), (ActionStatus::InProgress, 70));
    let audited = app
        .cx
        .store
        .audit_chain(a.id.get(), 0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .any(|e| {
            e.entity == "progress"
                && e.entity_id == progress.to_string()
                && e.actor_label == DEMO_OFFICER
        });
    assert!(audited, "the report is in the audit log under its author");
}

#[tokio::test]
async fn an_action_period_that_ends_before_it_starts_is_refused_with_a_message_and_writes_nothing()
{
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await;
    let admin = app.demo_admin().await;
    let v = view(&app, 2567).await;
    let finance = division(&app, "กองคลัง").await.to_string();
    let message = th(&app).error(&ErrorCode::InvalidPeriod);
    let new = format!(
        "{}/measures/{}/actions/new",
        plan_url(2567),
        v.measures[0].id
    );
    let before = snapshot_agency(app.store_db(), a.id).await;
    for period in ["เม.ย. 67 - ม.ค. 67", "ธ.ค. ๒๕๖๖ – ต.ค. ๒๕๖๖"]
    {
        let r = admin
            .submit(
                &new,
                &new,
                &[
                    ("text", "ประชุมชี้แจงมาตรการแก่บุคลากรที่บรรจุใหม่"),
                    ("divisions", &finance),
                    ("period", period),
                    ("weight", "1"),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{period}");
        assert_eq!(
            r.texts("#e-period"),
            std::slice::from_ref(&message),
            "{period}"
        );
        assert_eq!(
            r.attrs("#f-period", "value"),
            [period],
            "the form keeps what was typed"
        );
        let r = edit_action(&admin, 2567, action(&v, "1.1"), |f| {
            f.period = period.into();
        })
        .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{period}");
        assert_eq!(
            r.texts("#e-period"),
            std::slice::from_ref(&message),
            "{period}"
        );
    }
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "periods that end before they start",
    );
    // The same period the right way round is taken.
    let r = edit_action(&admin, 2567, action(&v, "1.1"), |f| {
        f.period = "ม.ค. 67 - เม.ย. 67".into();
    })
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
}

// =============================================================================================
// 2. The workflow, over HTTP, as the demo's people do it.

#[tokio::test]
async fn the_admin_drafts_next_year_by_copying_this_years_plan_with_periods_a_year_on() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    // This year's draft is edited first, so that a copy of it cannot pass for a copy of FY2566.
    let v67 = view(&app, 2567).await;
    let r = edit_action(&admin, 2567, action(&v67, "1.1"), |f| {
        f.text = "เปิดเผยขั้นตอน ระยะเวลา และผู้รับผิดชอบงานบริการทุกงานบนเว็บไซต์".into();
        f.period = "ก.พ. 67 - มิ.ย. 67".into();
    })
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());

    let list = "/a/nonhan/admin/measures";
    let r = admin
        .submit(list, list, &[("year", "2568"), ("how", "copy")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(r.location().as_deref(), Some(plan_url(2568).as_str()));

    let (v67, v68) = (view(&app, 2567).await, view(&app, 2568).await);
    assert_eq!(v68.plan.status, PlanStatus::Draft);
    assert_eq!(numbers(&v68), numbers(&v67));
    let fields = |v: &PlanView| -> Vec<MeasureFields> {
        v.measures.iter().map(|m| m.fields.clone()).collect()
    };
    assert_eq!(fields(&v68), fields(&v67), "the same measures");
    for (old, new) in v67.actions.iter().zip(&v68.actions) {
        let n = v68.action_number(new);
        assert_eq!(
            ActionFields {
                period: None,
                ..new.fields.clone()
            },
            ActionFields {
                period: None,
                ..old.fields.clone()
            },
            "{n}: text, divisions, recommendation, monitoring, KPI, weight"
        );
        let (o, p) = (old.fields.period.unwrap(), new.fields.period.unwrap());
        assert_eq!(
            (p.start().be_year(), p.start().month()),
            (o.start().be_year() + 1, o.start().month()),
            "{n}"
        );
        assert_eq!(
            (p.end().be_year(), p.end().month()),
            (o.end().be_year() + 1, o.end().month()),
            "{n}"
        );
        assert_eq!((new.status, new.percent), (ActionStatus::NotStarted, 0));
    }
    let a11 = action(&v68, "1.1");
    assert!(a11.fields.text.starts_with("เปิดเผยขั้นตอน ระยะเวลา"));
    assert_eq!(
        a11.fields.period.unwrap().format(Digits::Arabic),
        "ก.พ. 68 - มิ.ย. 68"
    );
    assert!(
        v68.actions
            .iter()
            .all(|a| a.fields.period.is_some_and(|p| p.within(fy(2568)))),
        "every period falls in FY2568"
    );
    assert!(v68.progress.is_empty());
    let page = admin.get(list).await;
    assert!(
        page.attrs("a", "href").contains(&plan_url(2568)),
        "the list links the new plan"
    );
}

#[tokio::test]
async fn the_admin_drafts_a_plan_from_the_standard_measures_of_the_chosen_indicators() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let list = "/a/nonhan/admin/measures";
    let r = admin
        .submit(
            list,
            list,
            &[
                ("year", "2568"),
                ("how", "library"),
                ("indicators", "2"),
                ("indicators", "9"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let v = view(&app, 2568).await;
    let standard = library::measures_for(&[2, 9]);
    assert!(!standard.is_empty());
    assert_eq!(
        v.measures
            .iter()
            .map(|m| m.fields.clone())
            .collect::<Vec<_>>(),
        standard.iter().map(|(m, _)| m.clone()).collect::<Vec<_>>(),
        "the standard measures of indicators 2 and 9, in order"
    );
    for (m, (_, actions)) in v.measures.iter().zip(&standard) {
        assert!(
            m.fields.indicators.iter().all(|i| [2, 9].contains(i)),
            "{:?}",
            m.fields
        );
        let texts: Vec<&str> = v
            .actions_of(m.id)
            .iter()
            .map(|a| a.fields.text.as_str())
            .collect();
        assert_eq!(
            texts,
            actions.iter().map(|a| a.text.as_str()).collect::<Vec<_>>()
        );
    }
    assert!(
        v.actions
            .iter()
            .all(|a| a.status == ActionStatus::NotStarted),
        "nothing is reported on a new plan"
    );
}

#[tokio::test]
async fn the_admin_drafts_an_empty_plan_from_scratch_which_cannot_be_submitted_empty() {
    let app = TestApp::with_demo().await;
    let admin = app.demo_admin().await;
    let list = "/a/nonhan/admin/measures";
    let r = admin
        .submit(list, list, &[("year", "2568"), ("how", "scratch")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let v = view(&app, 2568).await;
    assert!(v.measures.is_empty() && v.actions.is_empty());
    assert!(v.reviews.is_empty() && v.steps.is_empty());
    assert!(
        v.plan.texts.introduction.contains("เทศบาลตำบลโนนหัน")
            && v.plan.texts.introduction.contains("2568"),
        "the default introduction names the agency and the year: {}",
        v.plan.texts.introduction
    );
    let t = th(&app);
    let page = admin.get(&plan_url(2568)).await;
    assert!(page.body.contains(&t.get("measures-empty")));
    assert!(page.body.contains(&t.get("measures-check-clean")));
    let r = admin
        .submit(
            &plan_url(2568),
            &format!("{}/status/submit", plan_url(2568)),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.texts(".error-summary[role=alert] p"),
        [t.get("measures-empty-plan")]
    );
    assert_eq!(view(&app, 2568).await.plan.status, PlanStatus::Draft);
}

#[tokio::test]
async fn a_plan_that_cannot_be_drafted_is_refused_with_a_clear_message_and_writes_nothing() {
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await;
    let admin = app.demo_admin().await;
    let t = th(&app);
    let list = "/a/nonhan/admin/measures";
    let before = snapshot_agency(app.store_db(), a.id).await;
    for (fields, selector, code) in [
        (
            vec![("year", "2567"), ("how", "scratch")],
            "#e-year",
            ErrorCode::PlanExists,
        ),
        (
            vec![("year", "2566"), ("how", "copy")],
            "#e-year",
            ErrorCode::PlanExists,
        ),
        // No FY2569 plan to copy into FY2570.
        (
            vec![("year", "2570"), ("how", "copy")],
            "#f-how",
            ErrorCode::NoPreviousPlan,
        ),
        // The library needs the indicators to draw from.
        (
            vec![("year", "2568"), ("how", "library")],
            "#f-indicators",
            ErrorCode::Required,
        ),
        (
            vec![("year", "ปีหน้า"), ("how", "scratch")],
            "#e-year",
            ErrorCode::InvalidNumber,
        ),
    ] {
        let r = admin.submit(list, list, &fields).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        assert_eq!(r.texts(selector), [t.error(&code)], "{fields:?}");
    }
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "refused plans",
    );
    assert_eq!(
        app.cx.store.plan_years(a.id).await.unwrap().len(),
        2,
        "still FY2566 and FY2567 only"
    );
}

#[tokio::test]
async fn a_draft_is_submitted_once_every_warning_is_accepted_and_is_public_once_the_mayor_approves()
{
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await;
    let t = th(&app);
    let visitor = app.client();
    let public = "/a/nonhan/measures/2567";
    // A draft is not public, nor are its documents.
    for path in [
        public.to_owned(),
        format!("{public}/report.pdf"),
        format!("{public}/report.docx"),
        format!("{public}/announcement.pdf"),
    ] {
        assert_eq!(visitor.get(&path).await.status, 404, "{path}");
    }
    assert_eq!(
        visitor
            .get("/a/nonhan/measures")
            .await
            .attrs("main a[href^=\"/a/nonhan/measures/\"]", "href"),
        ["/a/nonhan/measures/2566"]
    );

    // The copy of FY2566 carries the seed's slips, which the checker flags.
    let admin = app.demo_admin().await;
    let page = admin.get(&plan_url(2567)).await;
    let other = t.arg("check-other-agency", "name", "เทศบาลตำบลโคกสูงสัมพันธ์");
    let row10 = t.arg("measures-place-review", "row", 10);
    assert_eq!(
        page.texts("ul.warnings li.open > p:first-child"),
        [
            placed(&t.arg("measures-place-action", "number", "10.1"), &other),
            placed(&row10, &other),
            placed(&row10, &t.arg("check-year-outside-plan", "year", 2565)),
        ],
        "another municipality's name in 10.1 and in last year's table (copied from it), \
         and 2565, which is neither FY2567 nor the year before"
    );

    // Submitting with open warnings is refused, and changes nothing.
    let submit = format!("{}/status/submit", plan_url(2567));
    let before = snapshot_agency(app.store_db(), a.id).await;
    let r = admin.submit(&plan_url(2567), &submit, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.texts(".error-summary[role=alert] p"),
        [
            t.arg("measures-unresolved", "count", 3),
            t.get("measures-go-to-check")
        ]
    );
    assert_eq!(r.attrs(".error-summary a", "href"), ["#check"]);
    // Accepting needs a reason.
    let (code, subject) = open_warnings(&page).remove(0);
    let r = admin
        .submit(
            &plan_url(2567),
            &format!("{}/accept-warning", plan_url(2567)),
            &[("code", &code), ("subject", &subject), ("reason", "  ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.texts(".error-summary[role=alert] p"),
        [
            t.get("measures-reason-required"),
            t.get("measures-go-to-check")
        ]
    );
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "a refused submission and an acceptance without a reason",
    );

    // Each warning accepted with its reason, recorded in the audit log.
    let reasons = accept_all(&admin, 2567).await;
    assert_eq!(reasons.len(), 3);
    let audit = app
        .cx
        .store
        .audit_chain(a.id.get(), 0, 100_000)
        .await
        .unwrap();
    for reason in &reasons {
        let found = audit.iter().any(|e| {
            e.action == "accept-warning"
                && e.actor_label == DEMO_ADMIN
                && e.changes.contains(reason)
        });
        assert!(found, "the audit log records {reason:?}");
    }
    let page = admin.get(&plan_url(2567)).await;
    assert_eq!(page.texts("ul.warnings li.accepted").len(), 3);
    assert!(page.body.contains(&reasons[0]), "the page shows why");

    let r = admin.submit(&plan_url(2567), &submit, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(view(&app, 2567).await.plan.status, PlanStatus::Submitted);
    // Submitted, it is locked: no more editing.
    let v = view(&app, 2567).await;
    let edit = format!("{}/edit", action_url(2567, action(&v, "1.1").id));
    assert_eq!(admin.get(&edit).await.status, 403);

    // The admin, who drafted it, cannot approve it.
    let approve = format!("{}/status/approve", plan_url(2567));
    assert!(
        !admin
            .get(&plan_url(2567))
            .await
            .has(&format!("form[action=\"{approve}\"]"))
    );
    let before = snapshot_agency(app.store_db(), a.id).await;
    assert_eq!(admin.post(&approve, &[]).await.status, 403);
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "the admin's approval",
    );
    assert_eq!(visitor.get(public).await.status, 404, "not public yet");

    // The mayor was told, and approves.
    let mayor = app.signed_in(DEMO_MAYOR, DEMO_PASSWORD).await;
    let notes = mayor.get("/a/nonhan/admin/notifications").await;
    assert!(
        notes
            .texts("ul.history li a")
            .contains(&t.arg("measures-notify-submitted", "year", 2567)),
        "{:?}",
        notes.texts("ul.history li")
    );
    let r = mayor.submit(&plan_url(2567), &approve, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let v = view(&app, 2567).await;
    assert_eq!(v.plan.status, PlanStatus::Approved);
    // Approved by the mayor's name, not their e-mail address.
    let mayor_name = member(&app, DEMO_MAYOR).await.account.display_name;
    assert_eq!(v.plan.approved_by.as_deref(), Some(mayor_name.as_str()));

    // Published: the page and its documents.
    let page = visitor.get(public).await;
    assert_eq!(page.status, 200, "{}", page.describe());
    let titles: Vec<String> = v
        .measures
        .iter()
        .map(|m| format!("{}. {}", thai(&m.number.to_string()), m.fields.title))
        .collect();
    assert_eq!(
        page.texts("table.measures-table tbody tr td:first-child strong"),
        titles
    );
    let pdf = visitor.get(&format!("{public}/report.pdf")).await;
    assert_eq!(pdf.status, 200);
    assert_eq!(
        pdf.header("content-type").as_deref(),
        Some("application/pdf")
    );
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let docx = visitor.get(&format!("{public}/report.docx")).await;
    assert_eq!(docx.status, 200);
    assert_eq!(FileKind::sniff(&docx.bytes), Some(FileKind::Docx));
    assert!(
        visitor
            .get("/a/nonhan/measures")
            .await
            .attrs("main a", "href")
            .contains(&public.to_owned())
    );
}

#[tokio::test]
async fn the_checker_flags_another_agency_a_stray_year_a_missing_division_and_a_period_outside_the_year()
 {
    let app = TestApp::with_demo().await;
    let t = th(&app);
    let admin = app.demo_admin().await;
    let list = "/a/nonhan/admin/measures";
    let r = admin
        .submit(list, list, &[("year", "2568"), ("how", "scratch")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let new_measure = format!("{}/measures/new", plan_url(2568));
    let r = admin
        .submit(
            &new_measure,
            &new_measure,
            &[
                ("title", "การป้องกันการทุจริต"),
                ("indicators", "10"),
                ("oit_items", "O42, O43"),
                ("weight", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let m = view(&app, 2568).await.measures[0].id;
    let new_action = format!("{}/measures/{m}/actions/new", plan_url(2568));
    let r = admin
        .submit(
            &new_action,
            &new_action,
            &[
                (
                    "text",
                    "ประชุมร่วมกับองค์การบริหารส่วนตำบลบ้านโคก ตามแผนปฏิบัติการ พ.ศ. ๒๕๖๐",
                ),
                ("period", "ม.ค. 70 - ก.พ. 70"),
                ("weight", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());

    let page = admin.get(&plan_url(2568)).await;
    let place = t.arg("measures-place-action", "number", "1.1");
    assert_eq!(
        page.texts("ul.warnings li.open > p:first-child"),
        [
            placed(
                &place,
                &t.arg("check-other-agency", "name", "องค์การบริหารส่วนตำบลบ้านโคก")
            ),
            placed(&place, &t.arg("check-year-outside-plan", "year", 2560)),
            placed(&place, &t.get("check-no-responsible")),
            placed(
                &place,
                &t.arg("check-period-outside-year", "period", "ม.ค. 70 - ก.พ. 70")
            ),
        ]
    );
    let submit = format!("{}/status/submit", plan_url(2568));
    let r = admin.submit(&plan_url(2568), &submit, &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        r.texts(".error-summary[role=alert] p"),
        [
            t.arg("measures-unresolved", "count", 4),
            t.get("measures-go-to-check")
        ]
    );
    assert_eq!(r.attrs(".error-summary a", "href"), ["#check"]);

    // Fixed in the form, the warnings go, and the plan goes through without accepting any.
    let finance = division(&app, "กองคลัง").await.to_string();
    let v = view(&app, 2568).await;
    let r = edit_action(&admin, 2568, action(&v, "1.1"), |f| {
        f.text = "ประชุมชี้แจงแนวทางป้องกันการทุจริตแก่บุคลากร ประจำปี พ.ศ. ๒๕๖๘".into();
        f.divisions = vec![finance];
        f.period = "ม.ค. 68 - ก.พ. 68".into();
    })
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let page = admin.get(&plan_url(2568)).await;
    assert!(
        page.texts("ul.warnings li").is_empty(),
        "{:?}",
        page.texts("ul.warnings li")
    );
    assert!(page.body.contains(&t.get("measures-check-clean")));
    let r = admin.submit(&plan_url(2568), &submit, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
}

#[tokio::test]
async fn a_division_officer_sees_and_reports_on_the_actions_of_their_division_only() {
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await;
    let t = th(&app);
    let v = divide_and_publish_2567(&app).await;
    let finance = division(&app, "กองคลัง").await;
    let officer = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;

    // The plan page lists the actions กองคลัง is responsible for, and nothing else.
    let page = officer.get(&plan_url(2567)).await;
    assert_eq!(page.status, 200, "{}", page.describe());
    assert!(page.body.contains(&t.get("measures-own-only")));
    let own: Vec<&Action> = v
        .actions
        .iter()
        .filter(|x| x.is_responsible(finance))
        .collect();
    assert_eq!(
        listed_ids(&page),
        own.iter().map(|x| x.id.to_string()).collect::<Vec<_>>()
    );
    assert_eq!(own.len(), v.actions.len() - 4, "all but 1.1–1.3 and 2.2");
    assert!(
        !page
            .texts("section.measure h2")
            .iter()
            .any(|h| h.starts_with("1. ")),
        "measure 1 has nothing of theirs"
    );
    for hidden in ["1.1", "2.2"] {
        assert!(
            !page.body.contains(&action(&v, hidden).fields.text),
            "{hidden}"
        );
    }
    assert!(!page.body.contains("/edit\""), "no editing links");
    assert!(!page.has("form[action$=\"/accept-warning\"], form[action*=\"/status/\"]"));

    // They report on 3.2 with a PDF and a link.
    let a32 = action(&v, "3.2");
    let p = officer.get(&action_url(2567, a32.id)).await;
    assert_eq!(p.status, 200);
    assert!(p.has("form[action$=\"/progress\"] input[type=file][name=files]"));
    let pdf = small_pdf("Assessment criteria meeting, 12 Feb 2024");
    let narrative = "ประชุมชี้แจงเกณฑ์การประเมินผลการปฏิบัติงาน และรับฟังความคิดเห็นของบุคลากร";
    let r = officer
        .post_multipart(
            &format!("{}/progress", action_url(2567, a32.id)),
            &[
                ("status", "done"),
                ("narrative", narrative),
                (
                    "links",
                    "สรุปผลการประชุม | https://nonhan.example/meetings/2567-02",
                ),
            ],
            &[("files", "รายงานการประชุม.pdf", &pdf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(r.location(), Some(action_url(2567, a32.id)));
    let v = view(&app, 2567).await;
    let p = v.latest_progress(a32.id).unwrap();
    let officer_account = member(&app, DEMO_OFFICER).await.account;
    assert_eq!(p.author_account_id, Some(officer_account.id));
    assert_eq!((p.status, p.percent), (ActionStatus::Done, 100));
    let [Evidence::File { file_id, .. }, Evidence::Link { url, .. }] = p.evidence.as_slice() else {
        panic!("{:?}", p.evidence)
    };
    assert_eq!(url, "https://nonhan.example/meetings/2567-02");
    let page = officer.get(&action_url(2567, a32.id)).await;
    let history = page.texts("ol.history li").join(" ");
    assert!(history.contains(narrative) && history.contains(&officer_account.display_name));
    assert_eq!(
        page.texts("ul.evidence a"),
        ["รายงานการประชุม.pdf", "สรุปผลการประชุม"]
    );
    let file = officer
        .get(&format!("/a/nonhan/admin/files/{file_id}"))
        .await;
    assert_eq!((file.status.as_u16(), &file.bytes), (200, &pdf));
    // The approved plan publishes it, with its evidence.
    let public = app.client().get("/a/nonhan/measures/2567").await;
    assert!(public.body.contains(narrative));
    let href = format!("/a/nonhan/files/{file_id}");
    assert!(public.attrs("a", "href").contains(&href));
    assert_eq!(app.client().get(&href).await.bytes, pdf);

    // Another division's action is neither shown nor open to a report.
    let a11 = action(&v, "1.1");
    let before = snapshot_agency(app.store_db(), a.id).await;
    assert_eq!(officer.get(&action_url(2567, a11.id)).await.status, 404);
    let other = small_pdf("Not theirs to report");
    let r = officer
        .post_multipart(
            &format!("{}/progress", action_url(2567, a11.id)),
            &[("status", "done"), ("narrative", "รายงานแทนกองอื่น")],
            &[("files", "อื่น.pdf", &other)],
        )
        .await;
    assert!(
        [StatusCode::FORBIDDEN, StatusCode::NOT_FOUND].contains(&r.status),
        "{}",
        r.describe()
    );
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "a report on another division's action",
    );
    assert!(
        app.blobs.get(&hex_sha256(&other)).await.is_err(),
        "no file kept"
    );
}

#[tokio::test]
async fn a_division_officer_cannot_change_the_plan_itself() {
    let app = TestApp::with_demo().await;
    let a = app.nonhan().await;
    let t = th(&app);
    let officer = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;
    let v = view(&app, 2567).await;
    let (m, a11) = (v.measures[0].id, action(&v, "1.1"));
    let base = plan_url(2567);
    let mut gets = vec![
        format!("{base}/texts"),
        format!("{base}/tables/reviews"),
        format!("{base}/measures/new"),
        format!("{base}/measures/{m}"),
        format!("{base}/measures/{m}/actions/new"),
        format!("{}/edit", action_url(2567, a11.id)),
    ];
    gets.sort();
    for path in &gets {
        assert_eq!(officer.get(path).await.status, 403, "GET {path}");
    }
    let (code, subject) = open_warnings(&app.demo_admin().await.get(&base).await).remove(0);
    let form = action_form(&ActionInput::from_fields(&a11.fields));
    let fields = borrowed(&form);
    let workbook = app
        .demo_admin()
        .await
        .get(&format!("{base}/plan.xlsx"))
        .await
        .bytes;
    let before = snapshot_agency(app.store_db(), a.id).await;
    let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            "/a/nonhan/admin/measures".into(),
            vec![("year", "2568"), ("how", "scratch")],
        ),
        (
            format!("{base}/texts"),
            vec![("introduction", "บทนำของกองคลัง")],
        ),
        (
            format!("{base}/tables/steps"),
            vec![
                ("measure", "ก"),
                ("steps", "ข"),
                ("responsible", "ค"),
                ("monitoring", "ง"),
            ],
        ),
        (
            format!("{base}/measures/new"),
            vec![("title", "มาตรการของกองคลัง"), ("weight", "1")],
        ),
        (
            format!("{base}/measures/{m}"),
            vec![("title", "เปลี่ยนชื่อ"), ("weight", "1")],
        ),
        (format!("{base}/measures/{m}/actions/new"), fields.clone()),
        (format!("{}/edit", action_url(2567, a11.id)), fields.clone()),
        (format!("{}/delete", action_url(2567, a11.id)), vec![]),
        (format!("{base}/measures/{m}/delete"), vec![]),
        (
            format!("{base}/accept-warning"),
            vec![
                ("code", &code),
                ("subject", &subject),
                ("reason", "ไม่ใช่หน้าที่"),
            ],
        ),
        (format!("{base}/status/submit"), vec![]),
        (format!("{base}/status/approve"), vec![]),
        (format!("{base}/status/return"), vec![]),
    ];
    for (path, fields) in &posts {
        let r = officer.post(path, fields).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "POST {path}: {}",
            r.describe()
        );
    }
    let r = officer
        .post_multipart(
            &format!("{base}/import"),
            &[],
            &[("file", "plan.xlsx", &workbook)],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "import: {}", r.describe());
    // Progress is reported on approved plans only.
    let r = officer
        .post_multipart(
            &format!("{}/progress", action_url(2567, action(&v, "2.1").id)),
            &[("status", "done"), ("narrative", "ทำแล้ว")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains(&t.error(&ErrorCode::PlanNotApproved)));
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "the officer's attempts",
    );
}

#[tokio::test]
async fn an_assessor_reads_the_plans_but_cannot_write_anything() {
    let app = demo().await;
    let a = app.nonhan().await;
    let assessor = app.signed_in(DEMO_ASSESSOR, DEMO_PASSWORD).await;
    let (v66, v67) = (view(&app, 2566).await, view(&app, 2567).await);
    let page = assessor.get(&plan_url(2567)).await;
    assert_eq!(page.status, 200);
    assert_eq!(
        listed_ids(&page).len(),
        v67.actions.len(),
        "they read it all"
    );
    assert!(
        !page.has("form[method=post]:not([action=\"/signout\"])"),
        "and find no form"
    );
    let p = assessor
        .get(&action_url(2566, action(&v66, "3.1").id))
        .await;
    assert_eq!(p.status, 200);
    assert!(!p.has("form[action$=\"/progress\"]"));

    let base = plan_url(2567);
    let (code, subject) = open_warnings(&app.demo_admin().await.get(&base).await).remove(0);
    let workbook = assessor.get(&format!("{base}/plan.xlsx")).await.bytes;
    let pdf = small_pdf("Assessor");
    let before = snapshot_agency(app.store_db(), a.id).await;
    let m = v67.measures[0].id;
    for (path, fields) in [
        (
            "/a/nonhan/admin/measures".to_owned(),
            vec![("year", "2568"), ("how", "copy")],
        ),
        (
            format!("{base}/measures/new"),
            vec![("title", "มาตรการ"), ("weight", "1")],
        ),
        (format!("{base}/measures/{m}/delete"), vec![]),
        (
            format!("{base}/accept-warning"),
            vec![
                ("code", code.as_str()),
                ("subject", &subject),
                ("reason", "ตรวจแล้ว"),
            ],
        ),
        (format!("{base}/status/submit"), vec![]),
        (format!("{base}/status/approve"), vec![]),
        (
            "/a/nonhan/admin/measures/2566/status/return".to_owned(),
            vec![],
        ),
    ] {
        let r = assessor.post(&path, &fields).await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "POST {path}: {}",
            r.describe()
        );
    }
    for (path, files) in [
        (
            format!("{base}/import"),
            vec![("file", "plan.xlsx", workbook.as_slice())],
        ),
        (
            format!("{}/progress", action_url(2566, action(&v66, "3.1").id)),
            vec![("files", "หลักฐาน.pdf", pdf.as_slice())],
        ),
    ] {
        let r = assessor
            .post_multipart(
                &path,
                &[("status", "done"), ("narrative", "ตรวจแล้ว")],
                &files,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::FORBIDDEN,
            "POST {path}: {}",
            r.describe()
        );
    }
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "the assessor's attempts",
    );
}

#[tokio::test]
async fn evidence_is_limited_in_size_and_type_and_a_refused_upload_stores_nothing() {
    let app = demo().await;
    let a = app.nonhan().await;
    let t = th(&app);
    let officer = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;
    let url = format!(
        "{}/progress",
        action_url(2566, action(&view(&app, 2566).await, "3.1").id)
    );
    let fields = [
        ("status", "in-progress"),
        ("narrative", "แนบหลักฐานการประชุม"),
    ];
    let pdf = small_pdf("Minutes of the meeting");
    let mut big = b"%PDF-1.7\n".to_vec();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let type_refused = t.error(&ErrorCode::FileTypeNotAllowed);
    let size_refused = t.error(&ErrorCode::FileTooLarge {
        max_bytes: 10 * 1024 * 1024,
    });
    let before = snapshot_agency(app.store_db(), a.id).await;
    for (what, files, message) in [
        (
            "a .pdf name on an HTML page",
            vec![(
                "files",
                "หลักฐาน.pdf",
                b"<html><script>alert(1)</script></html>".as_slice(),
            )],
            &type_refused,
        ),
        (
            "a .pdf name on a program",
            vec![(
                "files",
                "setup.pdf",
                b"MZ\x90\x00\x03\x00\x00\x00program".as_slice(),
            )],
            &type_refused,
        ),
        (
            "a real PDF, then a file of the wrong type",
            vec![
                ("files", "รายงานการประชุม.pdf", pdf.as_slice()),
                ("files", "ภาพ.pdf", b"GIF87 not quite".as_slice()),
            ],
            &type_refused,
        ),
        (
            "a PDF one byte over 10 MB",
            vec![("files", "สแกน.pdf", big.as_slice())],
            &size_refused,
        ),
    ] {
        let r = officer.post_multipart(&url, &fields, &files).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{what}: {}",
            r.describe()
        );
        assert!(
            r.texts("p.error").contains(message),
            "{what}: {:?}",
            r.texts("p.error")
        );
        for (_, _, bytes) in &files {
            assert!(
                app.blobs.get(&hex_sha256(bytes)).await.is_err(),
                "{what}: a file was kept"
            );
        }
    }
    // A body beyond the request limit is turned away before anything reads it.
    let mut huge = b"%PDF-1.7\n".to_vec();
    huge.resize(13 * 1024 * 1024, b' ');
    let r = officer
        .post_multipart(&url, &fields, &[("files", "ใหญ่มาก.pdf", &huge)])
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "refused evidence",
    );
    // The real PDF alone is taken.
    let r = officer
        .post_multipart(&url, &fields, &[("files", "รายงานการประชุม.pdf", &pdf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    assert_eq!(app.blobs.get(&hex_sha256(&pdf)).await.unwrap(), pdf);
}

#[tokio::test]
async fn the_overdue_view_lists_one_divisions_open_actions_whose_period_has_ended() {
    let app = TestApp::with_demo().await;
    // 29 April 2567: FY2567's actions run until the end of April.
    app.clock.set(datetime!(2024-04-29 03:00 UTC));
    let v = divide_and_publish_2567(&app).await;
    let url = format!("{}/overdue", plan_url(2567));
    let t = th(&app);
    let officer = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;
    let r = officer.get(&url).await;
    assert_eq!(r.status, 200);
    assert!(listed_numbers(&r).is_empty());
    assert!(r.body.contains(&t.get("measures-no-overdue")));
    let r = officer
        .post_multipart(
            &format!("{}/progress", action_url(2567, action(&v, "4.1").id)),
            &[("status", "done"), ("narrative", "จัดทำคู่มือการใช้ทรัพย์สินแล้ว")],
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());

    // 2 May 2567: the periods have ended.
    app.clock.set(datetime!(2024-05-02 03:00 UTC));
    let officer = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;
    let all: Vec<String> = numbers(&v);
    let except = |gone: &[&str]| -> Vec<String> {
        all.iter()
            .filter(|n| !gone.contains(&n.as_str()))
            .cloned()
            .collect()
    };
    let finance = division(&app, "กองคลัง").await.to_string();
    let r = officer.get(&url).await;
    assert_eq!(
        listed_numbers(&r),
        except(&["1.1", "1.2", "1.3", "2.2", "4.1"]),
        "กองคลัง's own open actions: not สำนักปลัดฯ's 1.x nor กองช่าง's 2.2, nor 4.1, done"
    );
    assert_eq!(
        r.attrs("select[name=division] option[selected]", "value"),
        std::slice::from_ref(&finance)
    );
    assert_eq!(
        r.texts("table.cards tbody td:last-child")[0],
        "30 เม.ย. 67",
        "due on the last day of the period, in the Buddhist Era"
    );
    // Asking for another division does not show an officer what is not theirs.
    let palad = division(&app, "สำนักปลัดฯ").await.to_string();
    let r = officer.get(&format!("{url}?division={palad}")).await;
    assert_eq!(
        listed_numbers(&r),
        except(&["1.1", "1.2", "1.3", "2.2", "4.1"])
    );

    // The coordinator looks at one division, then another.
    let admin = app.demo_admin().await;
    let engineering = division(&app, "กองช่าง").await.to_string();
    let r = admin.get(&format!("{url}?division={engineering}")).await;
    assert_eq!(
        listed_numbers(&r),
        except(&["1.1", "1.2", "1.3", "3.2", "4.1"])
    );
    let r = admin.get(&format!("{url}?division={palad}")).await;
    assert_eq!(listed_numbers(&r), except(&["2.2", "3.2", "4.1"]));
    let r = admin.get(&url).await;
    assert_eq!(listed_numbers(&r), except(&["4.1"]), "every division");
}

/// The actions of the demo's FY2566 plan that are still open: not done, not cancelled.
const OPEN_IN_2566: [&str; 11] = [
    "1.3", "3.1", "3.2", "4.2", "5.2", "6.1", "6.2", "8.1", "8.2", "9.2", "10.2",
];

/// The notification messages a member's page shows, sorted.
async fn notifications(c: &Client) -> Vec<String> {
    let r = c.get("/a/nonhan/admin/notifications").await;
    assert_eq!(r.status, 200, "{}", r.describe());
    let mut m = r.texts("ul.history li p a");
    m.sort();
    m
}

#[tokio::test]
async fn reminders_notify_the_responsible_officers_in_the_app_once_per_action_and_kind() {
    let app = TestApp::with_demo().await;
    let t = th(&app);
    // 20 April 2566: FY2566's actions are due on 30 April.
    app.clock.set(datetime!(2023-04-20 03:00 UTC));
    let v = view(&app, 2566).await;
    let expected = |key: &str| -> Vec<String> {
        let mut m: Vec<String> = OPEN_IN_2566
            .iter()
            .map(|n| {
                let text: String = action(&v, n).fields.text.chars().take(120).collect();
                t.args(
                    key,
                    &[("action", n), ("due", "30 เม.ย. 66"), ("text", &text)],
                )
            })
            .collect();
        m.sort();
        m
    };
    let s = sweep(&app.cx, None, None).await.unwrap();
    assert_eq!(
        s,
        Sweep {
            notified: 11,
            mailed: 0,
            mail_failures: 0
        },
        "one reminder for each open action, to กองคลัง's officer"
    );
    let officer = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;
    let due = expected("measures-notify-due");
    assert_eq!(notifications(&officer).await, due);
    let links = officer
        .get("/a/nonhan/admin/notifications")
        .await
        .attrs("ul.history li p a", "href");
    assert!(links.contains(&action_url(2566, action(&v, "1.3").id)));
    // A due date is the responsible officers' business only.
    let admin = app.demo_admin().await;
    let mayor = app.signed_in(DEMO_MAYOR, DEMO_PASSWORD).await;
    assert!(notifications(&admin).await.is_empty());
    assert!(notifications(&mayor).await.is_empty());

    // Once per action and kind: not again the same day, nor the next.
    assert_eq!(sweep(&app.cx, None, None).await.unwrap().notified, 0);
    app.clock.set(datetime!(2023-04-21 03:00 UTC));
    assert_eq!(sweep(&app.cx, None, None).await.unwrap().notified, 0);

    // Overdue: the officer again, and the coordinator too; once.
    app.clock.set(datetime!(2023-05-02 03:00 UTC));
    assert_eq!(sweep(&app.cx, None, None).await.unwrap().notified, 22);
    assert_eq!(sweep(&app.cx, None, None).await.unwrap().notified, 0);
    let officer = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;
    let admin = app.demo_admin().await;
    let overdue = expected("measures-notify-overdue");
    let mut both = [due, overdue.clone()].concat();
    both.sort();
    assert_eq!(notifications(&officer).await, both);
    assert_eq!(notifications(&admin).await, overdue);
}

#[tokio::test]
async fn reminders_are_emailed_over_smtp_when_a_mailer_is_configured() {
    let app = TestApp::with_demo().await;
    let t = th(&app);
    app.clock.set(datetime!(2023-04-20 03:00 UTC));
    let sink = SmtpSink::start().await;
    let mailer = prongsai::mail::Mailer::new(
        &format!("smtp://{}", sink.addr),
        "Prongsai <no-reply@example.org>",
    )
    .unwrap();
    let s = sweep(&app.cx, Some(&mailer), Some("https://prongsai.example/"))
        .await
        .unwrap();
    assert_eq!(
        s,
        Sweep {
            notified: 11,
            mailed: 11,
            mail_failures: 0
        }
    );
    let v = view(&app, 2566).await;
    let mails = sink.mails();
    assert_eq!(mails.len(), 11);
    let mut subjects = Vec::new();
    for m in &mails {
        assert_eq!(m.to, ["finance@nonhan.example"]);
        assert_eq!(m.from, "no-reply@example.org");
        assert!(m.header("From").contains("<no-reply@example.org>"));
        assert_eq!(m.header("To"), "finance@nonhan.example");
        let subject = m.header("Subject");
        let n = OPEN_IN_2566
            .iter()
            .find(|n| {
                subject
                    == t.args(
                        "mail-reminder-due",
                        &[("action", n), ("agency", "เทศบาลตำบลโนนหัน")],
                    )
            })
            .unwrap_or_else(|| panic!("a subject naming an open action: {subject:?}"));
        let body = m.body();
        let a = action(&v, n);
        for part in [
            a.fields.text.clone(),
            "30 เมษายน 2566".to_owned(),
            format!("https://prongsai.example{}", action_url(2566, a.id)),
        ] {
            assert!(body.contains(&part), "{n}: the body has {part:?}:\n{body}");
        }
        subjects.push(subject);
    }
    subjects.sort();
    subjects.dedup();
    assert_eq!(subjects.len(), 11, "one e-mail per action");
    // Sent once.
    let s = sweep(&app.cx, Some(&mailer), None).await.unwrap();
    assert_eq!((s.notified, s.mailed), (0, 0));
    assert_eq!(sink.mails().len(), 11);
}

// =============================================================================================
// 3. The official documents, through the real routes.

/// The officer reports on 3.1 with a file, as in the "done when": the report must then
/// carry it.
async fn report_on_3_1(app: &TestApp) -> &'static str {
    let narrative = "ประชุมชี้แจงเกณฑ์การประเมินผลการปฏิบัติงานแก่บุคลากรทุกส่วนราชการ";
    let officer = app.signed_in(DEMO_OFFICER, DEMO_PASSWORD).await;
    let id = action(&view(app, 2566).await, "3.1").id;
    let r = officer
        .post_multipart(
            &format!("{}/progress", action_url(2566, id)),
            &[("status", "done"), ("narrative", narrative)],
            &[("files", "ภาพการประชุม.pdf", &small_pdf("Meeting photos"))],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    narrative
}

#[tokio::test]
async fn the_fy2566_report_pdf_holds_every_item_of_the_seed_in_order_with_the_progress() {
    let app = demo().await;
    let narrative = report_on_3_1(&app).await;
    let r = app.client().get("/a/nonhan/measures/2566/report.pdf").await;
    assert_eq!(r.status, 200, "{}", r.describe());
    assert_eq!(r.header("content-type").as_deref(), Some("application/pdf"));
    let raw = pdf_text(&r.bytes, true);
    assert!(!raw.contains('\u{fffd}'), "no replacement characters");
    let text = flowing_text(&raw, &[&MEASURES_HEADER, &REVIEW_HEADER, &STEPS_HEADER]);
    let v = view(&app, 2566).await;
    let what = "the FY2566 report";
    let mut opening = vec![
        "รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส".to_owned(),
        "ของเทศบาลตำบลโนนหัน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖".to_owned(),
        "อำเภอชุมแพ จังหวัดขอนแก่น".to_owned(),
        seed::INTRODUCTION.to_owned(),
    ];
    opening.extend(MEASURES_HEADER.map(String::from));
    let at = assert_in_order_from(&text, 0, &opening, what);
    let at = assert_table(
        &text,
        at,
        &seed_measure_rows(&v),
        seed::REVIEW_INTRODUCTION,
        what,
    );
    let mut review = vec![seed::REVIEW_INTRODUCTION.to_owned()];
    review.extend(REVIEW_HEADER.map(String::from));
    let at = assert_in_order_from(&text, at, &review, what);
    let steps_header = STEPS_HEADER.concat();
    let at = assert_table(
        &text,
        at,
        &review_rows(&seed::review_rows()),
        &steps_header,
        what,
    );
    let at = assert_in_order_from(&text, at, &[steps_header], what);
    assert_table(&text, at, &steps_rows(&seed::steps()), "", what);
    for s in seed::steps() {
        assert!(text.contains(&squeeze(&s.monitoring)), "{:?}", s.monitoring);
    }
    // The progress reported today is in it, with its evidence, under its action.
    assert_in_order(
        &text,
        &[
            format!("๓.๑ {}", action(&v, "3.1").fields.text),
            narrative.to_owned(),
            "ภาพการประชุม.pdf".to_owned(),
            format!("๓.๒ {}", action(&v, "3.2").fields.text),
        ],
        "the new report",
    );
    // Pages are numbered in Thai digits.
    let pages: Vec<&str> = raw
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(pages.len() >= 5, "{} pages", pages.len());
    assert!(raw.lines().any(|l| l.trim() == "- ๑ -"), "page ๑");
    assert!(raw.lines().any(|l| l.trim() == "- ๒ -"), "page ๒");
}

#[tokio::test]
async fn the_fy2566_report_docx_converts_with_libreoffice_and_holds_the_same_items() {
    let app = demo().await;
    let narrative = report_on_3_1(&app).await;
    let r = app
        .client()
        .get("/a/nonhan/measures/2566/report.docx")
        .await;
    assert_eq!(r.status, 200, "{}", r.describe());
    assert_eq!(FileKind::sniff(&r.bytes), Some(FileKind::Docx));
    assert!(
        r.header("content-disposition")
            .is_some_and(|d| d.contains(".docx")),
        "a download with its name"
    );
    let [pdf] = libreoffice(&[("report.docx", &r.bytes)], "pdf", "pdf")
        .try_into()
        .unwrap();
    let raw = pdf_text(&pdf, true);
    assert!(!raw.contains('\u{fffd}'));
    let text = flowing_text(&raw, &[&MEASURES_HEADER, &REVIEW_HEADER, &STEPS_HEADER]);
    let v = view(&app, 2566).await;
    let what = "the DOCX, converted by LibreOffice";
    let at = assert_table(
        &text,
        0,
        &seed_measure_rows(&v),
        seed::REVIEW_INTRODUCTION,
        what,
    );
    assert!(text.contains(&squeeze(narrative)));
    let at = assert_in_order_from(&text, at, &[seed::REVIEW_INTRODUCTION.to_owned()], what);
    let steps_header = STEPS_HEADER.concat();
    let at = assert_table(
        &text,
        at,
        &review_rows(&seed::review_rows()),
        &steps_header,
        what,
    );
    assert_table(&text, at, &steps_rows(&seed::steps()), "", what);
}

#[tokio::test]
async fn the_announcement_and_the_ita_analysis_come_as_pdf_and_as_docx_that_libreoffice_opens() {
    let app = TestApp::with_demo().await;
    let visitor = app.client();
    let v = view(&app, 2566).await;
    let mut docx = Vec::new();
    for doc in ["announcement", "analysis"] {
        let pdf = visitor
            .get(&format!("/a/nonhan/measures/2566/{doc}.pdf"))
            .await;
        assert_eq!(pdf.status, 200, "{doc}.pdf: {}", pdf.describe());
        assert!(
            pdf.bytes.starts_with(b"%PDF-") && pdf.bytes.len() > 1000,
            "{doc}.pdf"
        );
        let text = squeeze(&pdf_text(&pdf.bytes, true));
        assert!(!text.is_empty(), "{doc}.pdf has text");
        if doc == "announcement" {
            let mut expected = vec![
                "ประกาศเทศบาลตำบลโนนหัน".to_owned(),
                "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน".to_owned(),
            ];
            expected.extend(v.measures.iter().map(|m| m.fields.title.clone()));
            expected.push("นายวิชัย ศรีประเสริฐ".into());
            expected.push("นายกเทศมนตรีตำบลโนนหัน".into());
            assert_in_order(&text, &expected, "the announcement");
        } else {
            // The results of FY2565 (80.62, grade B), against FY2564's.
            for part in ["๘๐.๖๒", "๗๒.๔๑", "การเปิดเผยข้อมูล", "๖๘.๐๐"]
            {
                assert!(text.contains(part), "the analysis has {part}");
            }
        }
        let d = visitor
            .get(&format!("/a/nonhan/measures/2566/{doc}.docx"))
            .await;
        assert_eq!(d.status, 200, "{doc}.docx: {}", d.describe());
        assert_eq!(
            FileKind::sniff(&d.bytes),
            Some(FileKind::Docx),
            "{doc}.docx"
        );
        docx.push((format!("{doc}.docx"), d.bytes));
    }
    let files: Vec<(&str, &[u8])> = docx
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let pdfs = libreoffice(&files, "pdf", "pdf");
    let announcement = squeeze(&pdf_text(&pdfs[0], true));
    assert!(announcement.contains(&squeeze("นายวิชัย ศรีประเสริฐ")));
    assert!(announcement.contains(&squeeze(&v.measures[9].fields.title)));
    assert!(squeeze(&pdf_text(&pdfs[1], true)).contains("๘๐.๖๒"));

    // Without the results of the year before, the analysis cannot be made: FY2567's needs
    // FY2566's; without them the coordinator is sent to enter them.
    sqlx::query("DELETE FROM ita_results WHERE fiscal_year = 2566")
        .execute(app.store_db().pool())
        .await
        .unwrap();
    let r = app
        .demo_admin()
        .await
        .get("/a/nonhan/admin/measures/2567/analysis.pdf")
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location().as_deref(), Some("/a/nonhan/admin/ita/results"));
}

// ---------------------------------------------------------------------------------------------
// The Excel round trip.

/// The workbook the documents page offers for a plan.
async fn exported(c: &Client, year: i32) -> Vec<u8> {
    let r = c.get(&format!("{}/plan.xlsx", plan_url(year))).await;
    assert_eq!(r.status, 200, "{}", r.describe());
    assert_eq!(FileKind::sniff(&r.bytes), Some(FileKind::Xlsx));
    assert!(
        r.header("content-disposition")
            .is_some_and(|d| d.contains(".xlsx")),
        "a download with its name"
    );
    r.bytes
}

#[tokio::test]
async fn an_unedited_workbook_and_one_saved_by_libreoffice_both_come_back_without_changes() {
    let app = demo().await;
    let admin = app.demo_admin().await;
    let bytes = exported(&admin, 2567).await;
    let r = preview(&admin, 2567, "plan.xlsx", &bytes).await;
    assert_eq!(r.status, 200, "{}", r.describe());
    assert!(
        r.texts("p").contains(&app.th("import-no-changes")),
        "{}",
        r.describe()
    );

    // Opened and saved again in LibreOffice Calc, as an officer without Excel would.
    let [resaved] = libreoffice(
        &[("plan.xlsx", &bytes)],
        "xlsx:Calc MS Excel 2007 XML",
        "xlsx",
    )
    .try_into()
    .unwrap();
    let r = preview(&admin, 2567, "plan.xlsx", &resaved).await;
    assert_eq!(r.status, 200, "{}", r.describe());
    assert!(
        r.texts("p").contains(&app.th("import-no-changes")),
        "LibreOffice's copy: {:?}",
        preview_rows(&r)
    );
}

#[tokio::test]
async fn an_edited_workbook_is_previewed_first_and_applied_only_when_confirmed() {
    let app = demo().await;
    let admin = app.demo_admin().await;
    let before = view(&app, 2567).await;
    let mut sheets = plan_sheets(&app, 2567).await;
    let old_11 = action(&before, "1.1").fields.text.clone();
    let old_92 = action(&before, "9.2").fields.text.clone();
    let new_11 = "เปิดเผยขั้นตอนและระยะเวลาการให้บริการที่จุดบริการและบนเว็บไซต์";
    let new_33 = "จัดอบรมการใช้ระบบสารบรรณอิเล็กทรอนิกส์ให้บุคลากรทุกคน";
    // 1.1 reworded, 2.1 moved to other months, 3.3 added after 3.2, 9.2 removed.
    let r11 = row_of(&sheets, "1.1");
    sheets[0].rows[r11][5] = new_11.into();
    let r21 = row_of(&sheets, "2.1");
    sheets[0].rows[r21][7] = "ก.พ. 67 - มี.ค. 67".into();
    let r32 = row_of(&sheets, "3.2");
    let mut added = sheets[0].rows[r32].clone();
    added[4] = "3.3".into();
    added[5] = new_33.into();
    added[6] = "กองคลัง".into();
    added[7] = "ม.ค. 67 - มี.ค. 67".into();
    sheets[0].rows.insert(r32 + 1, added);
    let r92 = row_of(&sheets, "9.2");
    sheets[0].rows.remove(r92);
    let bytes = write_book(&sheets, |_, _| {});

    let r = preview(&admin, 2567, "แผน 2567 แก้ไข.xlsx", &bytes).await;
    assert_eq!(r.status, 200, "{}", r.describe());
    let rows = preview_rows(&r);
    let listed = |kind: &str, text: &str| {
        rows.iter().any(|row| {
            row[1] == app.th(&format!("import-kind-{kind}")) && row.iter().any(|c| c.contains(text))
        })
    };
    assert!(
        listed("changed", new_11) && listed("changed", &old_11),
        "{rows:?}"
    );
    assert!(listed("changed", "ก.พ. 67 - มี.ค. 67"), "{rows:?}");
    assert!(listed("added", new_33), "{rows:?}");
    assert!(listed("removed", &old_92), "{rows:?}");
    // Nothing is applied by the preview.
    assert_eq!(
        content(&app, 2567).await,
        wb::content_of(&before),
        "the preview changes nothing"
    );

    let done = confirm(&admin, &r).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.describe());
    let after = view(&app, 2567).await;
    assert_eq!(action(&after, "1.1").fields.text, new_11);
    assert_eq!(
        action(&after, "2.1")
            .fields
            .period
            .unwrap()
            .format(Digits::Arabic),
        "ก.พ. 67 - มี.ค. 67"
    );
    let a33 = action(&after, "3.3");
    assert_eq!(a33.fields.text, new_33);
    assert!(!a33.fields.all_divisions);
    assert_eq!(a33.fields.divisions, vec![division(&app, "กองคลัง").await]);
    assert!(!numbers(&after).contains(&"9.2".to_owned()));
    assert_eq!(after.actions.len(), before.actions.len());

    // A preview made before the plan changed is not applied over the change.
    let again = preview(
        &admin,
        2567,
        "plan.xlsx",
        &write_book(&plan_sheets(&app, 2567).await, |_, _| {}),
    )
    .await;
    let r = edit_action(&admin, 2567, action(&after, "1.2"), |f| {
        f.text = "ข้อความที่แก้ในหน้าจอหลังจากตรวจไฟล์".into();
    })
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.describe());
    let stale = confirm(&admin, &again).await;
    assert_eq!(
        stale.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        stale.describe()
    );
    assert!(
        import_errors(&stale)
            .iter()
            .any(|e| e.contains(&app.th("import-plan-changed"))),
        "{:?}",
        import_errors(&stale)
    );
    assert_eq!(
        action(&view(&app, 2567).await, "1.2").fields.text,
        "ข้อความที่แก้ในหน้าจอหลังจากตรวจไฟล์"
    );
}

#[tokio::test]
async fn a_workbook_with_merged_cells_dates_formulas_or_a_wrong_header_is_refused_cell_by_cell() {
    let app = demo().await;
    let admin = app.demo_admin().await;
    let a = app.nonhan().await;
    let sheets = plan_sheets(&app, 2567).await;
    let (r11, r21, r31) = (
        row_of(&sheets, "1.1"),
        row_of(&sheets, "2.1"),
        row_of(&sheets, "3.1"),
    );
    let sheet_row = |r: usize| u32::try_from(r + 1).unwrap();
    let bytes = write_book(&sheets, |i, ws| match i {
        0 => {
            // The measure's title merged over its actions' rows, as in the printed report.
            let title = sheets[0].rows[r11][1].clone();
            ws.merge_range(
                sheet_row(r11),
                1,
                sheet_row(r11) + 2,
                1,
                &title,
                &Format::new(),
            )
            .unwrap();
            // A period typed as a date, and a weight as a formula.
            let date = ExcelDateTime::from_ymd(2024, 1, 15).unwrap();
            ws.write_datetime_with_format(
                sheet_row(r21),
                7,
                &date,
                &Format::new().set_num_format("dd/mm/yyyy"),
            )
            .unwrap();
            ws.write_formula(sheet_row(r31), 12, "=1+1").unwrap();
        }
        // A header renamed on last year's table.
        1 => {
            ws.write_string(0, 1, "ประเด็น").unwrap();
        }
        _ => {}
    });
    let before = snapshot_agency(app.store_db(), a.id).await;
    let r = preview(&admin, 2567, "plan.xlsx", &bytes).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    let errors = import_errors(&r);
    let cell = |col: char, r: usize| format!("{} {col}{}", wb::PLAN_SHEET, r + 2);
    for (place, key) in [
        (cell('B', r11), "import-merged-cell"),
        (cell('H', r21), "import-date-value"),
        (cell('M', r31), "import-formula"),
    ] {
        let message = app.th(key);
        assert!(
            errors
                .iter()
                .any(|e| e.contains(&place) && e.contains(&message)),
            "{place}: {message} in {errors:?}"
        );
    }
    assert!(
        errors
            .iter()
            .any(|e| e.contains(&format!("{} B1", wb::REVIEW_SHEET))
                && e.contains("ประเด็นการประเมิน")),
        "the wrong header, with the expected one: {errors:?}"
    );
    assert!(
        r.texts(".error-summary p")
            .iter()
            .any(|p| p.contains(&app.th("import-refused"))),
        "the summary says nothing was changed"
    );
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "a refused workbook",
    );

    // Values a person types wrong: a Christian-era year, a period that ends before it starts,
    // a division the agency does not have, an indicator that does not exist.
    let mut sheets = sheets;
    sheets[0].rows[r11][7] = "ม.ค. 2024 - เม.ย. 2024".into();
    sheets[0].rows[r21][7] = "เม.ย. 67 - ม.ค. 67".into();
    sheets[0].rows[r31][6] = "กองการประปาภูมิภาค".into();
    sheets[0].rows[r31][2] = "11".into();
    let r = preview(&admin, 2567, "plan.xlsx", &write_book(&sheets, |_, _| {})).await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    let errors = import_errors(&r);
    for (place, message) in [
        (
            cell('H', r11),
            app.tr(Lang::Th)
                .arg2("import-christian-era", "year", 2024, "be", 2567),
        ),
        (cell('H', r21), app.th("import-end-before-start")),
        (
            cell('G', r31),
            app.tr(Lang::Th)
                .arg("import-unknown-division", "name", "กองการประปาภูมิภาค"),
        ),
        (cell('C', r31), app.th("import-bad-indicator")),
    ] {
        assert!(
            errors
                .iter()
                .any(|e| e.contains(&place) && e.contains(&message)),
            "{place}: {message} in {errors:?}"
        );
    }
    // Something that is not a workbook at all.
    let r = preview(&admin, 2567, "plan.xlsx", b"PK\x03\x04 not really a zip").await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        r.describe()
    );
    assert!(
        import_errors(&r)
            .iter()
            .any(|e| e.contains(&app.th("import-not-xlsx")))
    );
    assert_unchanged(
        &before,
        &snapshot_agency(app.store_db(), a.id).await,
        "refused workbooks",
    );
}

#[tokio::test]
async fn the_announcement_and_the_ita_analysis_are_pages_of_the_portal_with_the_documents_words() {
    let app = demo().await;
    let visitor = app.client();
    let plan = visitor.get("/a/nonhan/measures/2566").await;
    assert_eq!(plan.status, 200, "{}", plan.describe());
    let links = plan.attrs("nav.doc-actions a", "href");
    assert_eq!(
        links,
        [
            "/a/nonhan/measures/2566/announcement",
            "/a/nonhan/measures/2566/analysis"
        ],
        "the year's page links both"
    );

    // (b) The announcement: the same words as its PDF, every measure and action, the signature.
    let page = visitor.get("/a/nonhan/measures/2566/announcement").await;
    assert_eq!(page.status, 200, "{}", page.describe());
    let pdf = visitor
        .get("/a/nonhan/measures/2566/announcement.pdf")
        .await;
    let pdf_words = flowing_text(&pdf_text(&pdf.bytes, true), &[]);
    let title = page.texts("article h1").concat();
    assert!(title.starts_with("ประกาศเทศบาลตำบลโนนหัน"), "{title}");
    assert!(pdf_words.contains(&squeeze(&title)), "the title as printed");
    let v = view(&app, 2566).await;
    let mut expected: Vec<String> = Vec::new();
    for m in &v.measures {
        expected.push(format!(
            "{}. {}",
            thai(&m.number.to_string()),
            m.fields.title
        ));
        for a in v.actions_of(m.id) {
            expected.push(format!("{} {}", thai(&v.action_number(a)), a.fields.text));
        }
    }
    let body = squeeze(&page.texts("article").concat());
    assert_in_order(&body, &expected, "the announcement page");
    assert_in_order(&pdf_words, &expected, "the announcement PDF");
    let signature = page.texts(".signature p");
    assert!(!signature.is_empty());
    for line in &signature {
        assert!(
            pdf_words.contains(&squeeze(line)),
            "{line} is signed in the PDF too"
        );
    }

    // (c) The analysis of FY2565: the table, the chart with a bar per indicator, the same
    // figures as the PDF.
    let page = visitor.get("/a/nonhan/measures/2566/analysis").await;
    assert_eq!(page.status, 200, "{}", page.describe());
    let pdf = visitor.get("/a/nonhan/measures/2566/analysis.pdf").await;
    let pdf_words = flowing_text(&pdf_text(&pdf.bytes, true), &[]);
    let rows = page.texts("table.scores tbody tr");
    assert_eq!(rows.len(), 10, "{rows:?}");
    assert!(
        page.texts("table.scores tfoot td")
            .contains(&"๘๐.๖๒".to_owned()),
        "the total"
    );
    for row in page.texts("table.scores tbody th") {
        assert!(pdf_words.contains(&squeeze(&row)), "{row} in the PDF too");
    }
    assert_eq!(
        page.attrs("svg.chart-bar", "viewBox").len(),
        10,
        "a bar per indicator"
    );
    let widths = page.attrs("svg.chart-bar rect.pass, svg.chart-bar rect.fail", "width");
    assert_eq!(widths.len(), 10);
    // Indicator 9 (การเปิดเผยข้อมูล) scored 72.50 in the demo's FY2565 results: 7250 hundredths.
    let labels = page.texts(".chart-label");
    let nine = labels
        .iter()
        .position(|l| l.contains("การเปิดเผยข้อมูล"))
        .expect("indicator 9 has a bar");
    let scores = page.texts(".chart-value");
    assert_eq!(
        widths[nine],
        prongsai_thai::to_arabic_digits(&scores[nine]).replace('.', ""),
        "the bar is as long as the score"
    );

    // Only published plans are public, and only these pages.
    for path in [
        "/a/nonhan/measures/2567/announcement",
        "/a/nonhan/measures/2566/minutes",
        "/a/nonhan/measures/2566/report",
    ] {
        let r = visitor.get(path).await;
        assert_eq!(r.status, 404, "{path}: {}", r.describe());
    }
}

#[tokio::test]
async fn the_demo_plan_is_approved_with_every_warning_accepted_by_name_and_with_a_reason() {
    let app = demo().await;
    let a = app.nonhan().await;
    let v = view(&app, 2566).await;
    let checked = ms::check_plan(&app.cx, &a.profile.name, &v).await.unwrap();
    assert!(
        checked.iter().any(|(w, _)| w.found.contains("โคกสูงสัมพันธ์")),
        "the seed's slip in 10.1 is flagged: {checked:?}"
    );
    let admin = member(&app, DEMO_ADMIN).await.account.display_name;
    for (w, accepted) in &checked {
        let o = accepted
            .as_ref()
            .unwrap_or_else(|| panic!("{w:?} is left open on an approved plan"));
        assert_eq!(o.by, admin, "accepted by the coordinator's name");
        assert!(!o.reason.trim().is_empty());
    }
    let mayor = member(&app, DEMO_MAYOR).await.account.display_name;
    assert_eq!(v.plan.approved_by.as_deref(), Some(mayor.as_str()));
    // The back office shows who accepted each warning and why, by name.
    let page = app
        .demo_admin()
        .await
        .get(&format!("{}/documents", plan_url(2566)))
        .await;
    let accepted = page.texts("ul.warnings li.accepted .small");
    assert_eq!(accepted.len(), checked.len(), "{}", page.describe());
    assert!(
        accepted
            .iter()
            .all(|t| t.contains(&admin) && !t.contains('@'))
    );
}
