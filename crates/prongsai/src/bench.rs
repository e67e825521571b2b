//! `prongsai bench ita-national`: the whole country's ITA scored from the database.
//!
//! Fills a scratch database (a temporary SQLite file unless `--database` names another, which
//! must be empty) with N agencies, their IIT and EIT answers and 43 reviewed OIT items each;
//! then times `ita::national::score_year` — read every answer and verdict, count, and score
//! every agency exactly — against one plain SQL `GROUP BY` over the same rows.

use std::time::Instant;

use prongsai_domain::ita::framework::{InstrumentCode, built_in};
use prongsai_domain::ita::national;
use prongsai_domain::ita::survey::questions;
use prongsai_store::bench::{Row, Value, agency_count, group_by_year, insert_all};
use prongsai_store::{Db, DbOptions};
use prongsai_thai::FiscalYear;

/// The size of the run.
#[derive(Debug, Clone, Copy)]
pub struct NationalSize {
    pub agencies: u32,
    pub iit_answers: u32,
    pub eit_answers: u32,
}

/// A small deterministic generator: the same database every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A level 1–`options`, leaning to the positive ones as real answers do.
    fn level(&mut self, options: usize) -> u8 {
        let r = self.next() % 100;
        let level = if options == 2 {
            if r < 5 { 1 } else { 2 }
        } else {
            match r {
                0..4 => 1,
                4..16 => 2,
                16..55 => 3,
                _ => 4,
            }
        };
        u8::try_from(level).unwrap_or(1)
    }
}

const PROVINCES: [&str; 8] = [
    "ขอนแก่น",
    "เชียงใหม่",
    "นครราชสีมา",
    "สงขลา",
    "อุบลราชธานี",
    "ชลบุรี",
    "พิษณุโลก",
    "สุราษฎร์ธานี",
];

/// Runs the benchmark and prints its figures.
pub async fn ita_national(size: NationalSize, database: Option<String>) -> Result<(), String> {
    let scratch = std::env::temp_dir().join(format!("prongsai-bench-{}", std::process::id()));
    let url = match database {
        Some(u) => u,
        None => {
            std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
            format!("sqlite://{}", scratch.join("national.db").display())
        }
    };
    let result = run(size, &url).await;
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

async fn run(size: NationalSize, url: &str) -> Result<(), String> {
    let db = Db::connect(url, &DbOptions::default())
        .await
        .map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    if agency_count(&db).await? > 0 {
        return Err("the benchmark needs an empty database".into());
    }
    let year = 2567;
    let fw = built_in(year)
        .ok_or("no framework")?
        .map_err(|e| e.to_string())?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);

    // Agencies, two surveys each.
    let started = Instant::now();
    let n = i64::from(size.agencies);
    let agencies: Vec<Row> = (1..=n)
        .map(|id| {
            let province = PROVINCES[usize::try_from(id).unwrap_or(0) % PROVINCES.len()];
            vec![
                Value::Int(id),
                Value::Text(format!("agency-{id}")),
                Value::Text(format!("เทศบาลตำบลทดสอบ {id}")),
                Value::Text(
                    if id % 3 == 0 {
                        "sao"
                    } else {
                        "subdistrict-municipality"
                    }
                    .into(),
                ),
                Value::Text(province.into()),
                Value::Text("อำเภอทดสอบ".into()),
                Value::Int(0),
                Value::Int(0),
            ]
        })
        .collect();
    insert_all(
        &db,
        "agencies",
        &[
            "id",
            "slug",
            "name",
            "kind",
            "province",
            "district",
            "created_at",
            "updated_at",
        ],
        &agencies,
    )
    .await?;
    let surveys: Vec<Row> = (1..=n)
        .flat_map(|id| {
            [("IIT", 1), ("EIT", 2)].map(|(ins, k)| {
                vec![
                    Value::Int(id),
                    Value::Int(id * 10 + k),
                    Value::Int(i64::from(year)),
                    Value::Text(ins.into()),
                    Value::Int(100),
                    Value::Text("2024-04-01".into()),
                    Value::Text("2024-06-30".into()),
                    Value::Int(0),
                    Value::Int(0),
                ]
            })
        })
        .collect();
    insert_all(
        &db,
        "ita_surveys",
        &[
            "agency_id",
            "id",
            "fiscal_year",
            "instrument",
            "population",
            "opens_on",
            "closes_on",
            "codes_required",
            "updated_at",
        ],
        &surveys,
    )
    .await?;

    // Answers, spread over the agencies.
    for (instrument, total, k) in [
        (InstrumentCode::IIT, size.iit_answers, 1),
        (InstrumentCode::EIT, size.eit_answers, 2),
    ] {
        let shape: Vec<usize> = questions(&fw, instrument)
            .iter()
            .flat_map(|q| {
                let options = fw.scales.get(&q.scale).map_or(4, |s| s.labels.len());
                std::iter::repeat_n(options, usize::from(q.fields.max(1)))
            })
            .collect();
        let mut batch: Vec<Row> = Vec::with_capacity(50_000);
        for r in 0..i64::from(total) {
            let agency = r % n + 1;
            let levels: String = shape
                .iter()
                .map(|o| char::from(b'0' + rng.level(*o)))
                .collect();
            batch.push(vec![
                Value::Int(agency),
                Value::Int(agency * 10 + k),
                Value::Int(i64::try_from(rng.next() >> 1).unwrap_or(r)),
                Value::Text("2024-05-01".into()),
                Value::Null,
                Value::Text(levels),
            ]);
            if batch.len() == 50_000 {
                insert_responses(&db, &batch).await?;
                batch.clear();
            }
        }
        insert_responses(&db, &batch).await?;
    }

    // 43 reviewed OIT items per agency: most passed.
    let items: Vec<Row> = (1..=n)
        .flat_map(|id| {
            fw.oit_items
                .iter()
                .map(|i| {
                    let passed = rng.next() % 100 < 88;
                    vec![
                        Value::Int(id),
                        Value::Int(i64::from(year)),
                        Value::Text(i.code.clone()),
                        Value::Text(if passed { "passed" } else { "failed" }.into()),
                        Value::Int(i64::from(passed)),
                        Value::Int(0),
                    ]
                })
                .collect::<Vec<_>>()
        })
        .collect();
    insert_all(
        &db,
        "oit_items",
        &[
            "agency_id",
            "fiscal_year",
            "code",
            "status",
            "verdict",
            "updated_at",
        ],
        &items,
    )
    .await?;
    let items_count = items.len();
    println!(
        "Filled {} ({}) in {:.1} s: {} agencies, {} IIT and {} EIT answers, {} OIT verdicts.",
        db.backend().name(),
        if url.starts_with("sqlite") {
            "file"
        } else {
            "server"
        },
        started.elapsed().as_secs_f64(),
        size.agencies,
        size.iit_answers,
        size.eit_answers,
        items_count
    );

    let cx = crate::server::context(&db);
    let fy = FiscalYear::new(year).map_err(|e| e.to_string())?;
    // Three runs of each; the best is reported (the first warms the database's cache).
    let mut scoring = Vec::new();
    let mut last = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        last = national::score_year(&cx, &fw, fy)
            .await
            .map_err(|e| e.to_string())?;
        scoring.push(t.elapsed().as_secs_f64());
    }
    let mut grouping = Vec::new();
    let mut groups = 0;
    for _ in 0..3 {
        let t = Instant::now();
        groups = group_by_year(&db, year).await?;
        grouping.push(t.elapsed().as_secs_f64());
    }
    let best = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let graded = last.iter().filter(|a| a.report.grade.is_some()).count();
    let passing = last
        .iter()
        .filter(|a| a.report.passes == Some(true))
        .count();
    println!(
        "Scored {} agencies ({graded} graded, {passing} passing) from the database: best {:.2} s of {:?}",
        last.len(),
        best(&scoring),
        scoring
            .iter()
            .map(|s| format!("{s:.2}"))
            .collect::<Vec<_>>()
    );
    println!(
        "One plain GROUP BY over the same rows ({groups} groups): best {:.2} s of {:?}",
        best(&grouping),
        grouping
            .iter()
            .map(|s| format!("{s:.2}"))
            .collect::<Vec<_>>()
    );
    println!(
        "Scoring takes {:.1}× the GROUP BY.",
        best(&scoring) / best(&grouping)
    );
    Ok(())
}

async fn insert_responses(db: &Db, rows: &[Row]) -> Result<(), String> {
    insert_all(
        db,
        "ita_responses",
        &[
            "agency_id",
            "survey_id",
            "id",
            "answered_on",
            "division_id",
            "levels",
        ],
        rows,
    )
    .await
}

/// `prongsai bench search`: the time of one search (candidates from the database, ranking and
/// snippets in Rust) on the demo agency's index, then with `docs` synthetic documents added.
pub async fn search(docs: u32, database: Option<String>) -> Result<(), String> {
    let scratch =
        std::env::temp_dir().join(format!("prongsai-bench-search-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let url =
        database.unwrap_or_else(|| format!("sqlite://{}", scratch.join("search.db").display()));
    let result = run_search(docs, &url, &scratch).await;
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// Words of municipal Thai, put together into synthetic documents.
const WORDS: [&str; 40] = [
    "การ",
    "ประชุม",
    "สภา",
    "เทศบาล",
    "ตำบล",
    "งบประมาณ",
    "รายจ่าย",
    "ประจำปี",
    "โครงการ",
    "ก่อสร้าง",
    "ถนน",
    "คอนกรีต",
    "เสริมเหล็ก",
    "หมู่บ้าน",
    "ประชาชน",
    "ผู้สูงอายุ",
    "เบี้ยยังชีพ",
    "จัดซื้อ",
    "จัดจ้าง",
    "ประกาศ",
    "ผล",
    "การดำเนินงาน",
    "แผนพัฒนา",
    "ท้องถิ่น",
    "สาธารณสุข",
    "การศึกษา",
    "ศูนย์พัฒนาเด็กเล็ก",
    "ขยะ",
    "มูลฝอย",
    "น้ำประปา",
    "ไฟฟ้า",
    "ส่องสว่าง",
    "ภาษี",
    "ที่ดิน",
    "สิ่งปลูกสร้าง",
    "ร้องเรียน",
    "ร้องทุกข์",
    "คุณธรรม",
    "จริยธรรม",
    "บริการ",
];

fn synthetic_text(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = WORDS[usize::try_from(rng.next() % 40).unwrap_or(0)];
        s.push_str(w);
        if i % 7 == 6 {
            s.push(' ');
        }
    }
    s
}

async fn time_queries(
    cx: &prongsai_domain::Ctx,
    agency: prongsai_domain::ids::AgencyId,
    label: &str,
) -> Result<(), String> {
    const RUNS: usize = 20;
    let docs = cx
        .store
        .search_count(agency)
        .await
        .map_err(|e| e.to_string())?;
    println!("{label}: {docs} documents");
    for q in [
        "ความโปร่งใส",
        "เทศบาล",
        "O1",
        "ถนนคอนกรีตเสริมเหล็ก",
        "ความโปร่งใสของการจัดซื้อจัดจ้าง",
        "ไม่มีคำนี้แน่นอน",
    ] {
        let mut times = Vec::with_capacity(RUNS);
        let mut total = 0;
        for _ in 0..RUNS {
            let t = Instant::now();
            let r = prongsai_domain::search::search(cx, agency, q, 1)
                .await
                .map_err(|e| e.to_string())?;
            times.push(t.elapsed());
            total = r.total;
        }
        times.sort();
        let median = times[RUNS / 2];
        let worst = times[RUNS - 1];
        println!(
            "  {q:<36} {total:>4} matches  median {:>7.1} ms  slowest {:>7.1} ms",
            median.as_secs_f64() * 1000.0,
            worst.as_secs_f64() * 1000.0
        );
    }
    Ok(())
}

async fn run_search(docs: u32, url: &str, scratch: &std::path::Path) -> Result<(), String> {
    use prongsai_domain::search::{DocKind, SearchDoc};

    let db = Db::connect(url, &DbOptions::default())
        .await
        .map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    if agency_count(&db).await? > 0 {
        return Err("the benchmark needs an empty database".into());
    }
    println!("search benchmark on {}", db.backend().name());
    let cx = crate::server::context(&db);
    let blobs = prongsai_store::LocalBlobs::new(scratch.join("files"));
    let agency = crate::demo::load(&cx, &blobs)
        .await
        .map_err(|e| e.to_string())?;
    time_queries(&cx, agency, "demo index").await?;

    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let started = Instant::now();
    let synthetic: Vec<SearchDoc> = (0..docs)
        .map(|i| {
            let mut body = synthetic_text(&mut rng, 150);
            if i % 10 == 0 {
                body.push_str(" มาตรการส่งเสริมคุณธรรมและความโปร่งใส");
            }
            SearchDoc {
                agency_id: agency,
                kind: DocKind::Measure,
                ref_id: format!("bench/{i}"),
                url: format!("/a/nonhan/measures/2566#b{i}"),
                title: synthetic_text(&mut rng, 6),
                body,
                dated_on: None,
                updated_at: i64::from(i),
            }
        })
        .collect();
    cx.store
        .search_replace(agency, DocKind::Measure, "bench/", &synthetic)
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "indexed {docs} synthetic documents in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    time_queries(&cx, agency, "demo + synthetic index, right after the load").await?;
    prongsai_store::bench::analyze(&db, "search_docs").await?;
    time_queries(&cx, agency, "demo + synthetic index, after ANALYZE").await
}

/// `prongsai bench cases`: encrypted submissions per second, then a handler's list of every
/// case decrypted. Fills a scratch database (a temporary SQLite file unless `database` names
/// an empty one) with the demo agency, then `cases` reports through the real intake path
/// (production Argon2 cost for receipts, sealing to the handler, the recovery key and the
/// reporter) with `tasks` submitting at once.
pub async fn cases(cases: u32, tasks: u32, database: Option<String>) -> Result<(), String> {
    let scratch = std::env::temp_dir().join(format!("prongsai-bench-cases-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).map_err(|e| e.to_string())?;
    let url =
        database.unwrap_or_else(|| format!("sqlite://{}", scratch.join("cases.db").display()));
    let result = run_cases(cases, tasks.max(1), &url, &scratch).await;
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

async fn run_cases(n: u32, tasks: u32, url: &str, scratch: &std::path::Path) -> Result<(), String> {
    use prongsai_domain::cases::service as cs;
    use prongsai_domain::cases::{CaseSecret, Channel, ReportInput};
    use prongsai_domain::platform::audit::Actor;

    let db = Db::connect(url, &DbOptions::default())
        .await
        .map_err(|e| e.to_string())?;
    db.migrate().await.map_err(|e| e.to_string())?;
    if agency_count(&db).await? > 0 {
        return Err("the benchmark needs an empty database".into());
    }
    println!("cases benchmark on {}", db.backend().name());
    let cx = crate::server::context(&db);
    let blobs = prongsai_store::LocalBlobs::new(scratch.join("files"));
    let agency = crate::demo::load(&cx, &blobs)
        .await
        .map_err(|e| e.to_string())?;
    let secret = CaseSecret::load(&cx).await.map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut handles = Vec::new();
    for t in 0..tasks {
        let (cx, secret) = (cx.clone(), secret.clone());
        let share = n / tasks + u32::from(t < n % tasks);
        handles.push(tokio::spawn(async move {
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ u64::from(t));
            let actor = Actor::system("bench");
            for _ in 0..share {
                let input = ReportInput {
                    kind: "complaint".into(),
                    identity: "anonymous".into(),
                    subject: synthetic_text(&mut rng, 8),
                    text: synthetic_text(&mut rng, 120),
                    ..ReportInput::default()
                };
                cs::file_report(&cx, &secret, agency, Channel::Web, input, &actor)
                    .await
                    .map_err(|e| e.to_string())?;
            }
            Ok::<(), String>(())
        }));
    }
    for h in handles {
        h.await.map_err(|e| e.to_string())??;
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "filed {n} encrypted reports with {tasks} tasks in {secs:.2} s: {:.0} per second",
        f64::from(n) / secs
    );
    let handler = cx
        .store
        .account_by_email("complaints@nonhan.example")
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the demo's handler is missing")?;
    let membership = cx
        .store
        .membership(agency, handler.id)
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the demo's handler is no member")?;
    let member = prongsai_domain::platform::service::Member::new(handler.clone(), membership);
    let started = Instant::now();
    let key = cs::keyring_with_password(&cx, agency, handler.id, "nonhan-demo-2566")
        .await
        .map_err(|e| e.to_string())?;
    println!(
        "unlocked the handler's key in {:.0} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
    for run in 1..=3 {
        let started = Instant::now();
        let rows = cs::list(&cx, &member, &key)
            .await
            .map_err(|e| e.to_string())?;
        let opened = rows.iter().filter(|r| r.subject.is_some()).count();
        println!(
            "run {run}: listed {} cases, {opened} decrypted, in {:.0} ms",
            rows.len(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    Ok(())
}
