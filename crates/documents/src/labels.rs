//! The fixed wording of the documents. Official documents are written in Thai whatever the
//! reader's interface language, so these are not translated.

pub(crate) const DISTRICT: &str = "อำเภอ";
pub(crate) const PROVINCE: &str = "จังหวัด";
pub(crate) const FISCAL_YEAR: &str = "ประจำปีงบประมาณ พ.ศ.";
pub(crate) const BE: &str = "พ.ศ.";
pub(crate) const YEAR: &str = "ปี";
pub(crate) const PERCENT_WORD: &str = "ร้อยละ";

// (a) The measures report.
pub(crate) const REPORT_TITLE: &str = "รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส";
/// The title as the cover sets it, broken where a reader pauses rather than where the line
/// happens to run out ("…และความ / โปร่งใส").
pub(crate) const REPORT_TITLE_LINES: [&str; 2] =
    ["รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรม", "และความโปร่งใส"];
pub(crate) const MEASURES_HEADER: [&str; 5] = [
    "มาตรการ/แนวทาง",
    "แนวทางการปรับปรุง/การพัฒนาการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
    "ผู้รับผิดชอบ",
    "ระยะเวลาดำเนินการ",
    "ข้อเสนอแนะ",
];
pub(crate) const REVIEW_HEADING: &str = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสของ";
pub(crate) const REVIEW_HEADER: [&str; 4] = [
    "ตัวชี้วัด",
    "ประเด็นการประเมิน",
    "ขั้นตอนหรือวิธีการ/มาตรการ",
    "การดำเนินการ",
];
pub(crate) const STEPS_HEADER: [&str; 4] = ["มาตรการ", "ขั้นตอนหรือวิธีการ", "ผู้รับผิดชอบ", "การกำกับติดตาม"];
pub(crate) const PROGRESS_OF_MEASURE: &str = "ความคืบหน้า";
pub(crate) const PROGRESS_LABEL: &str = "ผลการดำเนินงาน:";
pub(crate) const EVIDENCE_LABEL: &str = "หลักฐาน:";
pub(crate) const AS_OF: &str = "ณ";

// (b) The announcement.
pub(crate) const ANNOUNCEMENT: &str = "ประกาศ";
pub(crate) const ANNOUNCEMENT_SUBJECT: &str = "เรื่อง มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน";
pub(crate) const ANNOUNCEMENT_CLOSING: &str = "จึงประกาศมาเพื่อทราบโดยทั่วกัน";
pub(crate) const ANNOUNCED_ON: &str = "ประกาศ ณ วันที่";
pub(crate) const ANNOUNCED_ON_BLANK: &str =
    "ประกาศ ณ วันที่ ............ เดือน ................................ พ.ศ. ................";

// (c) The ITA analysis.
pub(crate) const ITA_TITLE: [&str; 2] = [
    "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส",
    "ในการดำเนินงานของหน่วยงานภาครัฐ (ITA)",
];
pub(crate) const ITA_SECTION_SUMMARY: &str = "ผลการประเมินภาพรวม";
pub(crate) const ITA_SECTION_TABLE: &str = "คะแนนรายตัวชี้วัด";
pub(crate) const ITA_SECTION_CHART: &str = "แผนภูมิคะแนนรายตัวชี้วัด";
pub(crate) const ITA_SECTION_WEAKEST: &str = "ตัวชี้วัดที่ควรปรับปรุงและพัฒนา";
pub(crate) const ITA_SECTION_RECOMMENDATIONS: &str = "ข้อเสนอแนะมาตรการส่งเสริมคุณธรรมและความโปร่งใส";
pub(crate) const TOTAL_SCORE: &str = "คะแนนรวม";
pub(crate) const GRADE: &str = "ระดับผลการประเมิน";
pub(crate) const AGAINST_PASS_MARK: &str = "ผลเทียบเกณฑ์";
pub(crate) const PASSED_LONG: &str = "ผ่านเกณฑ์การประเมิน";
pub(crate) const FAILED_LONG: &str = "ไม่ผ่านเกณฑ์การประเมิน";
pub(crate) const PASS: &str = "ผ่าน";
pub(crate) const FAIL: &str = "ไม่ผ่าน";
pub(crate) const POINTS: &str = "คะแนน";
pub(crate) const COMPARED_WITH: &str = "เทียบกับปี";
pub(crate) const ROSE: &str = "เพิ่มขึ้น";
pub(crate) const FELL: &str = "ลดลง";
pub(crate) const UNCHANGED: &str = "เท่าเดิม";
pub(crate) const INDICATOR: &str = "ตัวชี้วัดที่";
pub(crate) const INDICATOR_COLUMN: &str = "ตัวชี้วัด";
pub(crate) const CHANGE: &str = "เปลี่ยนแปลง";
pub(crate) const PASS_MARK: &str = "เกณฑ์ผ่าน";
pub(crate) const LEGEND_PASS: &str = "(ผ่านเกณฑ์)";
pub(crate) const LEGEND_FAIL: &str = "(ต่ำกว่าเกณฑ์)";
pub(crate) const WEAKEST_BELOW: &str = "ตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์";
pub(crate) const NAMELY: &str = "ได้แก่";
pub(crate) const WEAKEST_LOWEST: &str = "ทุกตัวชี้วัดผ่านเกณฑ์ ตัวชี้วัดที่ได้คะแนนต่ำสุดซึ่งควรพัฒนาต่อไป ได้แก่";
