//! The official documents, made from the seed report's content and read back.
//!
//! The PDF checks read the text with `pdftotext` (poppler-utils) and the DOCX checks convert
//! with LibreOffice (`libreoffice-writer-nogui`); both must be installed, and a test fails with
//! a message saying so when they are not.

// The helpers below are test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used)]

#[path = "fixtures/reading.rs"]
mod reading;
#[path = "fixtures/seed.rs"]
mod seed;

use reading::*;

use std::io::Read;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use prongsai_documents::{
    Agency, Announcement, Digits, DocumentError, ItaAnalysis, Measure, MeasuresReport, Progress,
    Review, ReviewRow, Signer, Slip, StepRow, SurveySlips,
};

// ---------------------------------------------------------------------------------------------
// Helpers.

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "prongsai-documents-{}-{}-{name}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    pdf_text(pdf, true)
        .split('\u{c}')
        .map(str::to_owned)
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// Converts a DOCX to PDF with LibreOffice, as an officer would, and returns the PDF.
fn libreoffice_pdf(docx: &[u8], name: &str) -> Vec<u8> {
    require("libreoffice", "libreoffice-writer-nogui");
    let dir = scratch(name);
    let input = dir.join(format!("{name}.docx"));
    std::fs::write(&input, docx).unwrap();
    // Each conversion gets its own profile, so that tests running in parallel do not collide.
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let out = Command::new("libreoffice")
        .arg(profile)
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(&dir)
        .arg(&input)
        .output()
        .unwrap();
    let pdf_path = dir.join(format!("{name}.pdf"));
    assert!(
        pdf_path.exists(),
        "LibreOffice did not convert the DOCX: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let pdf = std::fs::read(&pdf_path).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    pdf
}

/// A part of the DOCX package.
fn docx_part(docx: &[u8], part: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut s = String::new();
    zip.by_name(part).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn docx_parts(docx: &[u8]) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    zip.file_names().map(str::to_owned).collect()
}

const THAI_MARKS: &[char] = &[
    '\u{e31}', '\u{e34}', '\u{e35}', '\u{e36}', '\u{e37}', '\u{e38}', '\u{e39}', '\u{e3a}',
    '\u{e47}', '\u{e48}', '\u{e49}', '\u{e4a}', '\u{e4b}', '\u{e4c}', '\u{e4d}', '\u{e4e}',
];

/// Clean Thai: no replacement characters, no mark starting a line, no cluster repeated the way
/// a split glyph run repeats it ("ทั้ทั้ง").
fn assert_clean_thai(text: &str, what: &str) {
    assert!(!text.contains('\u{fffd}'), "{what}: U+FFFD in the text");
    for line in text.lines() {
        if let Some(c) = line.chars().next() {
            assert!(
                !THAI_MARKS.contains(&c),
                "{what}: a line starts with a lone mark: {line:?}"
            );
        }
    }
    for stacked in ["ทั้ทั้", "ขั้ขั้", "ตั้ตั้", "นั้นั้", "สิ่สิ่"]
    {
        assert!(
            !text.contains(stacked),
            "{what}: a cluster is repeated: {stacked}"
        );
    }
}

/// The seed's measures table, row by row.
fn seed_measure_rows(r: &MeasuresReport) -> Vec<Row> {
    r.measures
        .iter()
        .map(|m| {
            let title = format!(
                "{}. {}",
                prongsai_thai::to_thai_digits(&m.number.to_string()),
                m.title
            );
            let actions = m.actions.iter().map(|a| {
                let number = prongsai_thai::to_thai_digits(&format!("{}.{}", m.number, a.number));
                format!("{number} {}", a.text)
            });
            vec![
                vec![title],
                actions.collect(),
                m.responsible.clone(),
                vec![m.period.clone()],
                lines(&m.recommendation),
            ]
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// (a) The measures report.

#[test]
fn the_report_pdf_gives_every_text_of_the_seed_in_order_as_clean_thai() {
    let report = seed::report();
    let pdf = prongsai_documents::measures_report_pdf(&report).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let raw = pdf_text(&pdf, true);
    assert_clean_thai(&raw, "pdftotext -raw");
    assert_clean_thai(&pdf_text(&pdf, false), "pdftotext");

    let text = flowing_text(&raw, &[&MEASURES_HEADER, &REVIEW_HEADER, &STEPS_HEADER]);
    let what = "the FY2566 report";
    let mut opening = vec![
        "รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส".to_owned(),
        "ของเทศบาลตำบลโนนหัน ประจำปีงบประมาณ พ.ศ. ๒๕๖๖".to_owned(),
        "เทศบาลตำบลโนนหัน".to_owned(),
        "อำเภอชุมแพ จังหวัดขอนแก่น".to_owned(),
        "รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใสของเทศบาลตำบลโนนหัน".to_owned(),
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖".to_owned(),
        seed::INTRODUCTION.to_owned(),
    ];
    opening.extend(MEASURES_HEADER.map(String::from));
    let at = assert_in_order_from(&text, 0, &opening, what);
    let review_title = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสของเทศบาลตำบลโนนหัน อำเภอชุมแพ จังหวัดขอนแก่น";
    let at = assert_table(&text, at, &seed_measure_rows(&report), review_title, what);
    let mut review = vec![
        review_title.to_owned(),
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕".to_owned(),
        seed::REVIEW_INTRODUCTION.to_owned(),
    ];
    review.extend(REVIEW_HEADER.map(String::from));
    let at = assert_in_order_from(&text, at, &review, what);
    let steps_header = STEPS_HEADER.concat();
    let at = assert_table(
        &text,
        at,
        &review_rows(&report.review.as_ref().unwrap().rows),
        &steps_header,
        what,
    );
    let at = assert_in_order_from(&text, at, &[steps_header], what);
    assert_table(&text, at, &steps_rows(&report.steps), "", what);
    for s in &report.steps {
        assert!(text.contains(&squeeze(&s.monitoring)), "{:?}", s.monitoring);
    }
}

#[test]
fn the_report_pdf_numbers_its_pages_in_thai_digits_after_the_cover_and_repeats_table_headers() {
    let pdf = prongsai_documents::measures_report_pdf(&seed::report_with_progress()).unwrap();
    let pages = pdf_pages(&pdf);
    assert!(
        pages.len() >= 5,
        "the seed report fills several pages, got {}",
        pages.len()
    );
    // The cover has no number; the report is numbered ๑, ๒, ๓ … from the page after it.
    assert!(!pages[0].contains("- ๑ -"), "the cover is not numbered");
    for (i, page) in pages.iter().enumerate().skip(1) {
        let number = format!("- {} -", prongsai_thai::to_thai_digits(&i.to_string()));
        assert!(
            page.contains(&number),
            "page {} shows {number:?}:\n{page}",
            i + 1
        );
    }
    // Every page after the first one of the report starts with a table header.
    let header_starts = [
        squeeze(&MEASURES_HEADER.concat()),
        squeeze(&REVIEW_HEADER.concat()),
    ];
    let repeated = pages
        .iter()
        .skip(2)
        .filter(|p| {
            header_starts
                .iter()
                .any(|h| squeeze(p).contains(h.as_str()))
        })
        .count();
    assert!(
        repeated >= 3,
        "table headers repeat on continued pages (found on {repeated})"
    );
    // The progress is printed under its action.
    let text = flowing_text(&pages.concat(), &[&MEASURES_HEADER]);
    assert_in_order(
        &text,
        &[
            "๑. การปฏิบัติหน้าที่".into(),
            "ความคืบหน้า ๖๗%".into(),
            "๑.๑ การจัดให้มีการเปิดเผยข้อมูล".into(),
            "ผลการดำเนินงาน: ดำเนินการแล้วเสร็จ ร้อยละ ๑๐๐".into(),
            "(ณ ๑๕ มีนาคม ๒๕๖๖)".into(),
            "ติดประกาศขั้นตอนและระยะเวลาการให้บริการ".into(),
            "หลักฐาน: ประกาศขั้นตอนการให้บริการ.pdf, ภาพถ่ายจุดบริการ.jpg".into(),
            "๑.๒ สร้างระบบการประเมิน".into(),
        ],
        "progress",
    );
}

#[test]
fn the_report_docx_names_th_sarabun_new_and_marks_its_header_rows() {
    let docx = prongsai_documents::measures_report_docx(&seed::report()).unwrap();
    let xml = docx_part(&docx, "word/document.xml");
    assert!(
        xml.contains(r#"w:cs="TH Sarabun New""#),
        "Thai runs name TH Sarabun New as complex-script font"
    );
    assert!(xml.contains(r#"w:ascii="TH Sarabun New""#));
    assert_eq!(
        xml.matches("<w:tblHeader />").count(),
        3,
        "one header row in each of the three tables"
    );
    assert!(
        xml.contains(r#"<w:szCs w:val="32" />"#),
        "16 pt body text, complex-script size included"
    );
    assert!(xml.contains("<w:bCs />"), "bold also for complex script");
    assert!(xml.contains(r#"w:orient="landscape""#) && xml.contains(r#"w:orient="portrait""#));
    assert!(xml.contains(r#"<w:pgNumType w:fmt="thaiNumbers" w:start="1" />"#));
    let header = docx_part(&docx, "word/header1.xml");
    assert!(header.contains("PAGE"), "the page number is a field");
    assert!(
        header.contains(">๑<"),
        "its cached result is in Thai digits"
    );
}

#[test]
fn the_report_docx_converts_with_libreoffice_and_keeps_every_measure_in_order() {
    let report = seed::report();
    let docx = prongsai_documents::measures_report_docx(&report).unwrap();
    let pdf = libreoffice_pdf(&docx, "report");
    let raw = pdf_text(&pdf, true);
    assert!(!raw.contains('\u{fffd}'));
    let text = flowing_text(&raw, &[&MEASURES_HEADER, &STEPS_HEADER]);
    let at = assert_table(
        &text,
        0,
        &seed_measure_rows(&report),
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๕",
        "the DOCX converted by LibreOffice",
    );
    assert_table(
        &text,
        at,
        &steps_rows(&report.steps),
        "",
        "the DOCX's steps table",
    );
}

#[test]
fn arabic_digits_apply_to_every_number_the_renderer_prints() {
    let mut report = seed::report_with_progress();
    report.digits = Digits::Arabic;
    let pdf = prongsai_documents::measures_report_pdf(&report).unwrap();
    let pages = pdf_pages(&pdf);
    assert!(pages[1].contains("- 1 -") && pages[2].contains("- 2 -"));
    let text = squeeze(&pages.concat());
    for s in [
        "พ.ศ.2566",
        "1.การปฏิบัติหน้าที่",
        "1.1การจัดให้มี",
        "10.2จัดทำแนวทาง",
        "ม.ค.66-เม.ย.66",
        "ร้อยละ100",
        "67%",
    ] {
        assert!(text.contains(s), "{s:?} in Arabic digits");
    }
    let docx = prongsai_documents::measures_report_docx(&report).unwrap();
    let xml = docx_part(&docx, "word/document.xml");
    assert!(
        xml.contains("<w:pgNumType w:start=\"1\" />"),
        "no Thai page-number format"
    );
    assert!(xml.contains("1.1 การจัดให้มี"));
}

// ---------------------------------------------------------------------------------------------
// (b) The announcement.

fn announcement_texts(a: &Announcement) -> Vec<String> {
    let mut v = vec![
        "ประกาศเทศบาลตำบลโนนหัน".to_owned(),
        "เรื่อง มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน".to_owned(),
        "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖".to_owned(),
        a.preamble.clone(),
    ];
    for m in &a.measures {
        let n = prongsai_thai::to_thai_digits(&m.number.to_string());
        v.push(format!("{n}. {}", m.title));
        for (k, t) in &m.actions {
            v.push(format!(
                "{n}.{} {t}",
                prongsai_thai::to_thai_digits(&k.to_string())
            ));
        }
    }
    v.extend([
        "จึงประกาศมาเพื่อทราบโดยทั่วกัน".to_owned(),
        "ประกาศ ณ วันที่ ๒๐ ธันวาคม พ.ศ. ๒๕๖๕".to_owned(),
        "(นายสมชาย ใจดี)".to_owned(),
        "นายกเทศมนตรีตำบลโนนหัน".to_owned(),
    ]);
    v
}

#[test]
fn the_announcement_pdf_lists_every_measure_and_ends_with_the_signature_block() {
    let a = seed::announcement();
    let pdf = prongsai_documents::announcement_pdf(&a).unwrap();
    let raw = pdf_text(&pdf, true);
    assert_clean_thai(&raw, "announcement");
    assert_in_order(
        &flowing_text(&raw, &[]),
        &announcement_texts(&a),
        "the announcement",
    );
    let pages = pdf_pages(&pdf);
    assert!(
        !pages[0].contains("- ๑ -"),
        "a notice's first page carries no number"
    );
    assert!(pages.len() < 2 || pages[1].contains("- ๒ -"));
    let last = squeeze(pages.last().unwrap());
    assert!(
        last.contains(&squeeze("จึงประกาศมาเพื่อทราบโดยทั่วกัน")),
        "the closing travels with the signature"
    );
}

#[test]
fn the_announcement_docx_converts_with_libreoffice() {
    let a = seed::announcement();
    let docx = prongsai_documents::announcement_docx(&a).unwrap();
    assert!(docx_part(&docx, "word/document.xml").contains("TH Sarabun New"));
    let pdf = libreoffice_pdf(&docx, "announcement");
    assert_in_order(
        &squeeze(&pdf_text(&pdf, true)),
        &announcement_texts(&a),
        "the announcement's DOCX",
    );
}

#[test]
fn an_announcement_without_a_date_leaves_blanks_to_fill_in() {
    let mut a = seed::announcement();
    a.announced_on = None;
    a.measures.truncate(1);
    let text = pdf_text(&prongsai_documents::announcement_pdf(&a).unwrap(), true);
    assert!(text.contains("ประกาศ ณ วันที่ ............"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// (c) The ITA analysis.

#[test]
fn the_ita_analysis_pdf_shows_the_scores_the_chart_and_the_weakest_indicators() {
    let ita = seed::ita();
    let pdf = prongsai_documents::ita_analysis_pdf(&ita).unwrap();
    let raw = pdf_text(&pdf, true);
    assert_clean_thai(&raw, "ITA analysis");
    let text = squeeze(&raw);
    assert_in_order(
        &text,
        &[
            "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส".into(),
            "ประจำปีงบประมาณ พ.ศ. ๒๕๖๖".into(),
            "คะแนนรวม ๘๖.๐๓ คะแนน".into(),
            "ระดับผลการประเมิน A".into(),
            "ผ่านเกณฑ์การประเมิน".into(),
            "เพิ่มขึ้น ๒.๘๙ คะแนน".into(),
            // The table: this year, last year, the change.
            "๙. การเปิดเผยข้อมูล ๗๒.๕๐ ๖๘.๒๕ +๔.๒๕ ไม่ผ่าน".into(),
            "๑๐. การป้องกันการทุจริต ๑๐๐.๐๐ ๘๗.๕๐ +๑๒.๕๐ ผ่าน".into(),
            // The chart's labels and its pass line.
            "๑. การปฏิบัติหน้าที่".into(),
            "เกณฑ์ผ่าน ๘๕ คะแนน".into(),
            // The weakest: below 85, lowest first.
            "ตัวชี้วัดที่ ๙ การเปิดเผยข้อมูล – ๗๒.๕๐ คะแนน".into(),
            "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ – ๗๙.๔๖ คะแนน".into(),
            "ตัวชี้วัดที่ ๒ การใช้งบประมาณ – ๘๑.๓๕ คะแนน".into(),
            "ตัวชี้วัดที่ ๓ การใช้อำนาจ – ๘๓.๙๐ คะแนน".into(),
            "๑. การเปิดเผยข้อมูล".into(),
            "กำกับติดตามการยืมทรัพย์สินเป็นรายไตรมาส".into(),
        ],
        "the ITA analysis",
    );
    assert!(
        !text.contains(&squeeze("ตัวชี้วัดที่ ๘ การปรับปรุงการทำงาน –")),
        "85.00 passes"
    );
}

#[test]
fn the_ita_analysis_docx_embeds_the_chart_as_an_image_and_converts() {
    let ita = seed::ita();
    let docx = prongsai_documents::ita_analysis_docx(&ita).unwrap();
    assert!(
        docx_parts(&docx)
            .iter()
            .any(|p| p.starts_with("word/media/")),
        "the chart is embedded"
    );
    let (png, w, h) = prongsai_documents::ita_chart_png(&ita).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && w > 1000 && h > 300,
        "{w}×{h}"
    );
    let pdf = libreoffice_pdf(&docx, "ita");
    let text = squeeze(&pdf_text(&pdf, true));
    for s in ["คะแนนรวม", "๘๖.๐๓", "๗๒.๕๐", "ตัวชี้วัดที่๙การเปิดเผยข้อมูล"]
    {
        assert!(text.contains(&squeeze(s)), "{s}");
    }
}

#[test]
fn all_indicators_passing_lists_the_three_lowest() {
    let mut ita = seed::ita();
    for i in &mut ita.indicators {
        i.score = prongsai_documents::Score::from_hundredths(i.score.hundredths().max(9000));
    }
    ita.indicators[5].score = prongsai_documents::Score::from_hundredths(8600);
    let text = squeeze(&pdf_text(
        &prongsai_documents::ita_analysis_pdf(&ita).unwrap(),
        true,
    ));
    assert!(text.contains(&squeeze("ทุกตัวชี้วัดผ่านเกณฑ์")));
    assert!(text.contains(&squeeze("ตัวชี้วัดที่ ๖ คุณภาพการดำเนินงาน – ๘๖.๐๐ คะแนน")));
}

// ---------------------------------------------------------------------------------------------
// Bad and odd input: data is never markup, and nothing panics.

const MARKUP: &str = "#set page(width: 1cm) $x^2$ [link] \\ *bold* _em_ <label> @ref // c /* d */ `raw` = h ~ - + 1. #{panic()}";

fn odd_report() -> MeasuresReport {
    let long_word = "ก".repeat(3000);
    let long_text = "การพัฒนาระบบ ".repeat(800);
    MeasuresReport {
        agency: Agency {
            name: MARKUP.into(),
            district: String::new(),
            province: "\u{0}\u{7}\u{1b}[31m".into(),
            logo: None,
        },
        fiscal_year: -5,
        digits: Digits::Thai,
        introduction: format!("{MARKUP}\n\n\r\n{long_text}"),
        measures: vec![
            Measure {
                number: u32::MAX,
                title: MARKUP.into(),
                percent: Some(255),
                actions: vec![
                    prongsai_documents::Action {
                        number: 0,
                        text: long_word,
                        progress: None,
                    },
                    prongsai_documents::Action {
                        number: 2,
                        text: String::new(),
                        progress: Some(Progress {
                            status: MARKUP.into(),
                            percent: Some(101),
                            reported_on: None,
                            narrative: long_text,
                            evidence: vec![MARKUP.into(), String::new()],
                        }),
                    },
                ],
                responsible: vec![String::new(), "\u{fffe}".into()],
                period: "\u{feff}💥".into(),
                recommendation: "x\u{85}y\u{2028}z".into(),
            },
            Measure::default(),
        ],
        review: Some(Review {
            fiscal_year: i32::MAX,
            introduction: String::new(),
            rows: vec![ReviewRow::default()],
        }),
        steps: vec![
            StepRow::default(),
            StepRow {
                monitoring: MARKUP.into(),
                ..Default::default()
            },
        ],
    }
}

#[test]
fn markup_characters_are_printed_as_text_never_interpreted() {
    let mut report = seed::report();
    report.measures[0].title = MARKUP.into();
    report.measures.truncate(1);
    let text = pdf_text(
        &prongsai_documents::measures_report_pdf(&report).unwrap(),
        true,
    );
    for s in [
        "#set page(width: 1cm)",
        "$x^2$",
        "[link]",
        "*bold*",
        "_em_",
        "<label>",
        "@ref",
        "#{panic()}",
    ] {
        assert!(
            squeeze(&text).contains(&squeeze(s)),
            "{s:?} printed as text:\n{text}"
        );
    }
    let docx = prongsai_documents::measures_report_docx(&report).unwrap();
    assert!(
        docx_part(&docx, "word/document.xml")
            .contains("#set page(width: 1cm) $x^2$ [link] \\ *bold*")
    );
}

#[test]
fn odd_long_and_empty_input_renders_without_panicking() {
    let report = odd_report();
    let pdf = prongsai_documents::measures_report_pdf(&report).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let docx = prongsai_documents::measures_report_docx(&report).unwrap();
    let xml = docx_part(&docx, "word/document.xml");
    assert!(
        !xml.contains('\u{0}') && !xml.contains('\u{1b}') && !xml.contains('\u{fffe}'),
        "no control characters in XML"
    );

    let empty = MeasuresReport {
        agency: Agency::default(),
        fiscal_year: 2566,
        digits: Digits::Arabic,
        introduction: String::new(),
        measures: vec![],
        review: None,
        steps: vec![],
    };
    prongsai_documents::measures_report_pdf(&empty).unwrap();
    prongsai_documents::measures_report_docx(&empty).unwrap();

    let announcement = Announcement {
        agency: Agency::default(),
        fiscal_year: None,
        digits: Digits::Thai,
        preamble: MARKUP.into(),
        measures: vec![prongsai_documents::AnnouncedMeasure {
            number: 1,
            title: String::new(),
            actions: vec![(1, String::new())],
        }],
        closing: "\n\n".into(),
        announced_on: None,
        signer: Signer::default(),
    };
    prongsai_documents::announcement_pdf(&announcement).unwrap();
    prongsai_documents::announcement_docx(&announcement).unwrap();

    let ita = ItaAnalysis {
        agency: Agency::default(),
        fiscal_year: 2566,
        digits: Digits::Thai,
        total: prongsai_documents::Score::default(),
        previous_total: None,
        grade: MARKUP.into(),
        summary: String::new(),
        indicators: vec![],
        weakest_count: 99,
        recommendations: vec![],
    };
    prongsai_documents::ita_analysis_pdf(&ita).unwrap();
    prongsai_documents::ita_analysis_docx(&ita).unwrap();
}

#[test]
fn a_logo_that_is_not_a_png_is_refused_and_a_png_is_printed() {
    let mut report = seed::report();
    report.measures.truncate(1);
    report.agency.logo = Some(b"GIF89a not a png".to_vec());
    assert_eq!(
        prongsai_documents::measures_report_pdf(&report),
        Err(DocumentError::InvalidLogo)
    );
    assert_eq!(
        prongsai_documents::measures_report_docx(&report),
        Err(DocumentError::InvalidLogo)
    );

    report.agency.logo = Some(tiny_png());
    let pdf = prongsai_documents::measures_report_pdf(&report).unwrap();
    assert!(pdf.windows(8).any(|w| w == b"/Subtype") && pdf.windows(6).any(|w| w == b"/Image"));
    let docx = prongsai_documents::measures_report_docx(&report).unwrap();
    assert!(
        docx_parts(&docx)
            .iter()
            .any(|p| p.starts_with("word/media/"))
    );

    // A PNG whose header is fine but whose data is broken is an error, not a panic.
    let mut broken = tiny_png();
    let len = broken.len();
    broken.truncate(len - 20);
    report.agency.logo = Some(broken);
    assert!(matches!(
        prongsai_documents::measures_report_pdf(&report),
        Err(DocumentError::Typst { .. })
    ));
}

/// A 2 × 2 PNG, made with the zip crate's deflate so that the test needs no image library.
fn tiny_png() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    fn adler32(data: &[u8]) -> u32 {
        let (mut a, mut b) = (1u32, 0u32);
        for &x in data {
            a = (a + u32::from(x)) % 65_521;
            b = (b + a) % 65_521;
        }
        (b << 16) | a
    }
    // Raw scanlines (filter byte 0 + RGB), stored in an uncompressed zlib block.
    let raw: Vec<u8> = [0u8, 200, 30, 30, 30, 30, 200, 0, 30, 200, 30, 200, 200, 30].to_vec();
    let mut z = vec![0x78, 0x01, 0x01];
    let n = u16::try_from(raw.len()).unwrap();
    z.extend_from_slice(&n.to_le_bytes());
    z.extend_from_slice(&(!n).to_le_bytes());
    z.extend_from_slice(&raw);
    z.extend_from_slice(&adler32(&raw).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&2u32.to_be_bytes());
    ihdr.extend_from_slice(&2u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &z);
    chunk(&mut png, b"IEND", &[]);
    png
}

#[test]
fn warm_renders_reuse_the_compiled_fonts_and_templates() {
    prongsai_documents::warm_up().unwrap();
    let report = seed::report();
    let first = prongsai_documents::measures_report_pdf(&report).unwrap();
    let second = prongsai_documents::measures_report_pdf(&report).unwrap();
    assert_eq!(first, second, "the same report gives the same bytes");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 8, ..Default::default() })]

    /// Whatever the text, a document comes out (or an error), never a panic.
    #[test]
    fn any_text_renders_to_pdf_and_docx(title in "\\PC{0,80}", text in "\\PC{0,400}", n in proptest::prelude::any::<u32>()) {
        let mut report = seed::report();
        report.measures.truncate(2);
        report.measures[0].title = title.clone();
        report.measures[0].number = n;
        report.measures[1].actions[0].text = text.clone();
        report.introduction = text;
        report.steps[0].steps = title;
        proptest::prop_assert!(prongsai_documents::measures_report_pdf(&report).is_ok());
        proptest::prop_assert!(prongsai_documents::measures_report_docx(&report).is_ok());
    }
}

#[test]
fn survey_slips_print_ten_to_a_page_with_every_code_and_link_readable() {
    // A 3×3 QR-like drawing; the real ones come from the web layer.
    let qr = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 3 3"><rect width="1" height="1"/><rect x="2" y="2" width="1" height="1"/></svg>"#;
    let slips: Vec<Slip> = (0..12)
        .map(|k| Slip {
            code: format!("K7QM-3XHP-2R{k:02}"),
            url: format!("https://ita.nonhan.example/s/K7QM-3XHP-2R{k:02}"),
            qr: qr.to_owned(),
        })
        .collect();
    let doc = SurveySlips {
        agency: "เทศบาลตำบลโนนหัน".into(),
        title: "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (IIT) ปีงบประมาณ 2567".into(),
        window: "ตอบได้ 1 มิ.ย. 67 – 31 ก.ค. 67".into(),
        code_label: "รหัสตอบแบบวัด".into(),
        note: "ใช้ได้ครั้งเดียว ไม่ต้องระบุชื่อ".into(),
        slips: slips.clone(),
        digits: "arabic",
    };
    let pdf = prongsai_documents::survey_slips_pdf(&doc).expect("the slips render");
    let text = pdf_text(&pdf, false);
    assert_eq!(text.matches('\u{c}').count(), 2, "12 slips take two pages");
    let flat = squeeze(&text);
    for s in &slips {
        assert!(flat.contains(&squeeze(&s.code)), "{} is printed", s.code);
        assert!(flat.contains(&squeeze(&s.url)), "{} is printed", s.url);
    }
    assert_eq!(
        flat.matches("เทศบาลตำบลโนนหัน").count(),
        12,
        "every slip names the agency"
    );
    assert_eq!(flat.matches("ใช้ได้ครั้งเดียว").count(), 12);
}
