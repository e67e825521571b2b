//! The document models: what a document says, as plain data.
//!
//! The rest of the application maps its domain types into these structs (this crate does not
//! know the domain). The same structs feed the PDF, the DOCX and the web layer's HTML, so they
//! are `Serialize`; they are an output format, not domain types.
//!
//! Text fields are printed as they are: a line break (`\n`) starts a new paragraph, and
//! characters such as `#`, `$`, `[`, `\` or `*` are text, never markup. Control characters are
//! dropped. Numbers the renderer makes itself (years, numbering, percentages, scores, dates,
//! page numbers) follow the document's [`Digits`]; free text keeps the digits it was written
//! with, so pass it already in the digit set you want.

use prongsai_thai::Digits;
use serde::{Serialize, Serializer};
use time::Date;

use crate::score::Score;

/// The agency a document belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Agency {
    /// The full name: "เทศบาลตำบลโนนหัน".
    pub name: String,
    /// The district, without the word อำเภอ: "ชุมแพ". Empty: not printed.
    pub district: String,
    /// The province, without the word จังหวัด: "ขอนแก่น". Empty: not printed.
    pub province: String,
    /// The agency's emblem (ตราสัญลักษณ์) as PNG bytes, printed centred at the top.
    #[serde(skip)]
    pub logo: Option<Vec<u8>>,
}

/// (a) รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส: the yearly report of an
/// agency's integrity and transparency measures (ITA items O42/O43).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasuresReport {
    pub agency: Agency,
    /// The fiscal year in the Buddhist Era: 2566.
    pub fiscal_year: i32,
    #[serde(serialize_with = "digits_name")]
    pub digits: Digits,
    /// The paragraph after the heading ("ตามที่ได้ดำเนินการวิเคราะห์ผลการประเมิน ITA …").
    pub introduction: String,
    /// The measures, in order; one row each in the five-column table.
    pub measures: Vec<Measure>,
    /// Last year's measures by indicator; the section is left out when `None`.
    pub review: Option<Review>,
    /// The steps-and-monitoring table; left out when empty.
    pub steps: Vec<StepRow>,
}

/// One measure (มาตรการ): a row of the measures table.
///
/// The domain keeps responsibility, period and recommendation per action; the report prints
/// them once per measure, as the seed does. The caller merges them: the union of the
/// divisions in order, the distinct periods, the distinct recommendations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Measure {
    /// 1, 2, 3 … printed "๑."; the actions are numbered under it ("๑.๑").
    pub number: u32,
    /// "การปฏิบัติหน้าที่".
    pub title: String,
    /// The measure's overall progress in percent (0–100), printed under its title.
    pub percent: Option<u8>,
    pub actions: Vec<Action>,
    /// ผู้รับผิดชอบ, one line each: "ทุกส่วนราชการ", "สำนักปลัดฯ", "กองคลัง".
    pub responsible: Vec<String>,
    /// ระยะเวลาดำเนินการ: "ม.ค. ๖๖ - เม.ย. ๖๖". Its digits are written in the document's digit
    /// set; several periods go on separate lines.
    pub period: String,
    /// ข้อเสนอแนะ.
    pub recommendation: String,
}

/// An action of a measure (แนวทางการปรับปรุง): "๑.๑ การจัดให้มีการเปิดเผยข้อมูล…".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Action {
    /// 1, 2, 3 … within the measure.
    pub number: u32,
    pub text: String,
    /// The latest progress report, printed in small type under the action.
    pub progress: Option<Progress>,
}

/// A progress report on an action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// The status as it is to be printed: "ดำเนินการแล้วเสร็จ".
    pub status: String,
    /// Percent done, 0–100.
    pub percent: Option<u8>,
    /// When it was reported; printed in full Thai form ("๑๕ มีนาคม ๒๕๖๖").
    #[serde(serialize_with = "optional_date")]
    pub reported_on: Option<Date>,
    /// What was done.
    pub narrative: String,
    /// The names of the evidence files or links: "ประกาศเทศบาล.pdf".
    pub evidence: Vec<String>,
}

/// Last year's measures by ITA indicator, with the paragraph that introduces them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Review {
    /// The fiscal year reviewed (BE): 2565.
    pub fiscal_year: i32,
    /// "จากการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน … ดังนี้".
    pub introduction: String,
    pub rows: Vec<ReviewRow>,
}

/// A row of last year's table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReviewRow {
    /// ตัวชี้วัด: "ตัวชี้วัดที่ ๒ การใช้งบประมาณ".
    pub indicator: String,
    /// ประเด็นการประเมิน.
    pub issues: String,
    /// ขั้นตอนหรือวิธีการ/มาตรการ.
    pub methods: String,
    /// การดำเนินการ.
    pub actions_taken: String,
}

/// A row of the steps-and-monitoring table.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StepRow {
    /// มาตรการ.
    pub measure: String,
    /// ขั้นตอนหรือวิธีการ.
    pub steps: String,
    /// ผู้รับผิดชอบ, as written.
    pub responsible: String,
    /// การกำกับติดตาม.
    pub monitoring: String,
}

/// (b) The announcement (ประกาศ) of the measures, signed by the executive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Announcement {
    pub agency: Agency,
    /// Printed as a third title line ("ประจำปีงบประมาณ พ.ศ. ๒๕๖๖") when given.
    pub fiscal_year: Option<i32>,
    #[serde(serialize_with = "digits_name")]
    pub digits: Digits,
    /// The paragraphs before the list of measures.
    pub preamble: String,
    /// The measures announced, each with its actions.
    pub measures: Vec<AnnouncedMeasure>,
    /// The closing sentence; empty: "จึงประกาศมาเพื่อทราบโดยทั่วกัน".
    pub closing: String,
    /// The date of signature; `None` leaves dotted blanks to fill in by hand.
    #[serde(serialize_with = "optional_date")]
    pub announced_on: Option<Date>,
    pub signer: Signer,
}

/// A measure in the announcement.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AnnouncedMeasure {
    pub number: u32,
    pub title: String,
    /// The actions as (number within the measure, text).
    pub actions: Vec<(u32, String)>,
}

/// Who signs a document.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Signer {
    /// "นายสมชาย ใจดี"; printed in parentheses under the space for the signature.
    pub name: String,
    /// The position, one line each: "นายกเทศมนตรีตำบลโนนหัน".
    pub position: Vec<String>,
}

/// (c) รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItaAnalysis {
    pub agency: Agency,
    /// The fiscal year assessed (BE): 2566.
    pub fiscal_year: i32,
    #[serde(serialize_with = "digits_name")]
    pub digits: Digits,
    /// The total score this year.
    pub total: Score,
    /// Last year's total, when known.
    pub previous_total: Option<Score>,
    /// The grade as the ITA office gives it: "A", "AA", "B".
    pub grade: String,
    /// A paragraph of comment after the figures (optional).
    pub summary: String,
    /// The ten indicators, in order.
    pub indicators: Vec<IndicatorScore>,
    /// How many indicators to list as weakest; those below the pass mark come first. `0`: all
    /// indicators below the pass mark, or the three lowest when none is below it.
    pub weakest_count: usize,
    /// The recommended measures.
    pub recommendations: Vec<Recommendation>,
}

/// One indicator's scores.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IndicatorScore {
    /// 1–10.
    pub number: u32,
    /// "การปฏิบัติหน้าที่".
    pub name: String,
    pub score: Score,
    pub previous: Option<Score>,
}

/// A recommended measure: a title and its text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Recommendation {
    pub title: String,
    pub text: String,
}

fn digits_name<S: Serializer>(d: &Digits, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(match d {
        Digits::Thai => "thai",
        Digits::Arabic => "arabic",
    })
}

fn optional_date<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.serialize_some(&format!(
            "{:04}-{:02}-{:02}",
            d.year(),
            u8::from(d.month()),
            d.day()
        )),
        None => s.serialize_none(),
    }
}

/// Access-code slips of a survey, every text already in the reader's language: the same heading
/// on each slip, and per slip its code, link and QR code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SurveySlips {
    pub agency: String,
    pub title: String,
    /// When the survey takes answers.
    pub window: String,
    /// "รหัสตอบแบบวัด" above the code.
    pub code_label: String,
    /// The line at the foot of each slip ("ใช้ได้ครั้งเดียว ไม่ต้องระบุชื่อ").
    pub note: String,
    pub slips: Vec<Slip>,
    /// Always "arabic": codes and links are never converted.
    pub digits: &'static str,
}

/// One slip: the code, the link that opens the survey with it, and that link as a QR code (SVG).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slip {
    pub code: String,
    pub url: String,
    pub qr: String,
}
