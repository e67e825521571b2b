//! The measures plan and its parts, and the parsing of their forms.

use prongsai_thai::{FiscalYear, Period, YearMonth};
use time::Date;

use crate::ids::{
    AccountId, ActionId, AgencyId, DivisionId, FileId, MeasureId, PlanId, ProgressId,
};
use crate::platform::audit::Audited;
use crate::validate::{ErrorCode, FieldErrors, field};

/// Where a plan is in its approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlanStatus {
    /// The ITA coordinator is writing it.
    Draft,
    /// Waiting for the executive's approval.
    Submitted,
    /// Approved by the executive: published on the portal; divisions report progress.
    Approved,
}

impl PlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Submitted => "submitted",
            Self::Approved => "approved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Draft, Self::Submitted, Self::Approved]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// The texts of a plan that its documents print.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanTexts {
    /// The paragraph that opens the report ("ตามที่ได้ดำเนินการวิเคราะห์ผลการประเมิน ITA …").
    pub introduction: String,
    /// The paragraph before last year's table ("จากการวิเคราะห์ผลการประเมิน … ดังนี้").
    pub review_intro: String,
    /// The body of the announcement (ประกาศ), before the list of measures.
    pub announcement_preamble: String,
    /// The date the announcement is signed.
    pub announced_on: Option<Date>,
    /// Who signs the announcement, and their position.
    pub signer_name: Option<String>,
    pub signer_position: Option<String>,
}

impl Audited for PlanTexts {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("introduction", Some(self.introduction.clone())),
            ("review_intro", Some(self.review_intro.clone())),
            (
                "announcement_preamble",
                Some(self.announcement_preamble.clone()),
            ),
            ("announced_on", self.announced_on.map(|d| d.to_string())),
            ("signer_name", self.signer_name.clone()),
            ("signer_position", self.signer_position.clone()),
        ]
    }
}

/// An agency's measures plan for one fiscal year (at most one per year).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub id: PlanId,
    pub agency_id: AgencyId,
    pub fiscal_year: FiscalYear,
    pub status: PlanStatus,
    pub texts: PlanTexts,
    /// Who approved it and when (Unix seconds).
    pub approved_by: Option<String>,
    pub approved_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The plan texts form.
#[derive(Debug, Clone, Default)]
pub struct PlanTextsInput {
    pub introduction: String,
    pub review_intro: String,
    pub announcement_preamble: String,
    pub announced_on: String,
    pub signer_name: String,
    pub signer_position: String,
}

impl PlanTextsInput {
    pub fn parse(&self) -> Result<PlanTexts, FieldErrors> {
        let mut e = FieldErrors::new();
        let introduction = e.take(
            "introduction",
            field::optional_multiline(&self.introduction, 6000),
        );
        let review_intro = e.take(
            "review_intro",
            field::optional_multiline(&self.review_intro, 6000),
        );
        let preamble = e.take(
            "announcement_preamble",
            field::optional_multiline(&self.announcement_preamble, 6000),
        );
        let announced_on = e.take(
            "announced_on",
            match self.announced_on.trim() {
                "" => Ok(None),
                raw => prongsai_thai::parse_date(raw)
                    .map(Some)
                    .map_err(|_| ErrorCode::InvalidDate),
            },
        );
        let signer_name = e.take("signer_name", field::optional(&self.signer_name, 150));
        let signer_position = e.take(
            "signer_position",
            field::optional(&self.signer_position, 200),
        );
        match (
            introduction,
            review_intro,
            preamble,
            announced_on,
            signer_name,
            signer_position,
        ) {
            (Some(i), Some(r), Some(p), Some(d), Some(n), Some(pos)) if e.is_empty() => {
                Ok(PlanTexts {
                    introduction: i.unwrap_or_default(),
                    review_intro: r.unwrap_or_default(),
                    announcement_preamble: p.unwrap_or_default(),
                    announced_on: d,
                    signer_name: n,
                    signer_position: pos,
                })
            }
            _ => Err(e),
        }
    }

    pub fn from_texts(t: &PlanTexts) -> Self {
        Self {
            introduction: t.introduction.clone(),
            review_intro: t.review_intro.clone(),
            announcement_preamble: t.announcement_preamble.clone(),
            announced_on: t.announced_on.map(|d| d.to_string()).unwrap_or_default(),
            signer_name: t.signer_name.clone().unwrap_or_default(),
            signer_position: t.signer_position.clone().unwrap_or_default(),
        }
    }
}

/// The ten ITA indicators are numbered 1 to 10.
pub const INDICATORS: std::ops::RangeInclusive<u8> = 1..=10;

/// A measure: "๑. การปฏิบัติหน้าที่".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub id: MeasureId,
    pub agency_id: AgencyId,
    pub plan_id: PlanId,
    /// 1, 2, 3 … in the plan.
    pub number: i32,
    pub fields: MeasureFields,
}

/// What the coordinator edits about a measure.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MeasureFields {
    pub title: String,
    /// ITA indicators (1–10) this measure answers.
    pub indicators: Vec<u8>,
    /// OIT items ("O42") this measure provides evidence for.
    pub oit_items: Vec<String>,
    /// Its weight in the plan's progress.
    pub weight: i32,
}

impl Audited for MeasureFields {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("title", Some(self.title.clone())),
            ("indicators", Some(join(&self.indicators))),
            ("oit_items", Some(self.oit_items.join(","))),
            ("weight", Some(self.weight.to_string())),
        ]
    }
}

fn join<T: ToString>(v: &[T]) -> String {
    v.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The measure form.
#[derive(Debug, Clone, Default)]
pub struct MeasureInput {
    pub title: String,
    /// Ticked indicator numbers.
    pub indicators: Vec<String>,
    /// OIT items, separated by commas or spaces: "O42, O43".
    pub oit_items: String,
    pub weight: String,
}

impl MeasureInput {
    pub fn parse(&self) -> Result<MeasureFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let title = e.take("title", field::required(&self.title, 500));
        let mut indicators = Vec::new();
        for raw in &self.indicators {
            match prongsai_thai::to_arabic_digits(raw.trim()).parse::<u8>() {
                Ok(n) if INDICATORS.contains(&n) => indicators.push(n),
                _ => e.add("indicators", ErrorCode::InvalidChoice),
            }
        }
        indicators.sort_unstable();
        indicators.dedup();
        let oit_items = e.take("oit_items", parse_oit_items(&self.oit_items));
        let weight = e.take("weight", field::int_or(&self.weight, 1, 1..=100));
        match (title, oit_items, weight) {
            (Some(title), Some(oit_items), Some(weight)) if e.is_empty() => Ok(MeasureFields {
                title,
                indicators,
                oit_items,
                weight: i32::try_from(weight).unwrap_or(1),
            }),
            _ => Err(e),
        }
    }

    pub fn from_fields(f: &MeasureFields) -> Self {
        Self {
            title: f.title.clone(),
            indicators: f.indicators.iter().map(ToString::to_string).collect(),
            oit_items: f.oit_items.join(", "),
            weight: f.weight.to_string(),
        }
    }
}

/// Parses "O42, o43 O1" into ["O1", "O42", "O43"]. Items are O1–O99.
pub fn parse_oit_items(raw: &str) -> Result<Vec<String>, ErrorCode> {
    let mut out = Vec::new();
    for part in raw
        .split([',', ' ', ';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let digits = part
            .strip_prefix(['O', 'o'])
            .ok_or(ErrorCode::InvalidChoice)?;
        let n: u8 = prongsai_thai::to_arabic_digits(digits)
            .parse()
            .map_err(|_| ErrorCode::InvalidChoice)?;
        if !(1..=99).contains(&n) {
            return Err(ErrorCode::InvalidChoice);
        }
        out.push(n);
    }
    out.sort_unstable();
    out.dedup();
    Ok(out.into_iter().map(|n| format!("O{n}")).collect())
}

/// Where an action stands. Each status carries a default percentage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActionStatus {
    NotStarted,
    InProgress,
    Done,
    /// Dropped from the plan; left out of the progress.
    Cancelled,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] = [
        Self::NotStarted,
        Self::InProgress,
        Self::Done,
        Self::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::NotStarted => "not-started",
            Self::InProgress => "in-progress",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The percentage a status means when none is given.
    pub fn default_percent(self) -> i32 {
        match self {
            Self::NotStarted | Self::Cancelled => 0,
            Self::InProgress => 50,
            Self::Done => 100,
        }
    }

    /// Whether the action still has work to do.
    pub fn is_open(self) -> bool {
        matches!(self, Self::NotStarted | Self::InProgress)
    }
}

/// An action of a measure: "๑.๑ การจัดให้มีการเปิดเผยข้อมูล…".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub id: ActionId,
    pub agency_id: AgencyId,
    pub measure_id: MeasureId,
    /// 1, 2, 3 … within the measure; shown as "1.1".
    pub number: i32,
    pub fields: ActionFields,
    pub status: ActionStatus,
    /// The latest reported percentage, 0–100.
    pub percent: i32,
}

impl Action {
    /// The last day of the action's period: its due date.
    pub fn due(&self) -> Option<Date> {
        self.fields.period.map(Period::last_day)
    }

    /// Whether a division is responsible for this action.
    pub fn is_responsible(&self, division: DivisionId) -> bool {
        self.fields.all_divisions || self.fields.divisions.contains(&division)
    }
}

/// What the coordinator edits about an action.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActionFields {
    pub text: String,
    /// Every division is responsible ("ทุกส่วนราชการ"), in addition to those listed.
    pub all_divisions: bool,
    /// The responsible divisions, in display order.
    pub divisions: Vec<DivisionId>,
    pub period: Option<Period>,
    /// ข้อเสนอแนะ.
    pub recommendation: Option<String>,
    /// การติดตามผล: how progress is followed up.
    pub monitoring: Option<String>,
    pub kpi: Option<String>,
    pub target: Option<String>,
    /// Its weight in the measure's progress.
    pub weight: i32,
}

impl Audited for ActionFields {
    fn audit_fields(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("text", Some(self.text.clone())),
            ("all_divisions", Some(self.all_divisions.to_string())),
            ("divisions", Some(join(&self.divisions))),
            (
                "period",
                self.period.map(|p| p.format(prongsai_thai::Digits::Arabic)),
            ),
            ("recommendation", self.recommendation.clone()),
            ("monitoring", self.monitoring.clone()),
            ("kpi", self.kpi.clone()),
            ("target", self.target.clone()),
            ("weight", Some(self.weight.to_string())),
        ]
    }
}

/// The action form.
#[derive(Debug, Clone, Default)]
pub struct ActionInput {
    pub text: String,
    pub all_divisions: bool,
    /// Ticked division ids.
    pub divisions: Vec<String>,
    /// "ม.ค. 66 - เม.ย. 66", or a start and an end month.
    pub period: String,
    pub recommendation: String,
    pub monitoring: String,
    pub kpi: String,
    pub target: String,
    pub weight: String,
}

impl ActionInput {
    /// Parses the form. `division_exists` tells whether a division belongs to the agency;
    /// `fiscal_year` places periods written without a year.
    pub fn parse(
        &self,
        division_exists: impl Fn(DivisionId) -> bool,
        fiscal_year: FiscalYear,
    ) -> Result<ActionFields, FieldErrors> {
        let mut e = FieldErrors::new();
        let text = e.take("text", field::required(&self.text, 4000));
        let mut divisions = Vec::new();
        for raw in &self.divisions {
            match raw
                .trim()
                .parse::<DivisionId>()
                .ok()
                .filter(|d| division_exists(*d))
            {
                Some(d) if !divisions.contains(&d) => divisions.push(d),
                Some(_) => {}
                None => e.add("divisions", ErrorCode::InvalidChoice),
            }
        }
        let period = e.take(
            "period",
            match self.period.trim() {
                "" => Ok(None),
                raw => Period::parse_in(raw, Some(fiscal_year))
                    .map(Some)
                    .map_err(|_| ErrorCode::InvalidPeriod),
            },
        );
        let recommendation = e.take(
            "recommendation",
            field::optional_multiline(&self.recommendation, 2000),
        );
        let monitoring = e.take(
            "monitoring",
            field::optional_multiline(&self.monitoring, 2000),
        );
        let kpi = e.take("kpi", field::optional(&self.kpi, 500));
        let target = e.take("target", field::optional(&self.target, 500));
        let weight = e.take("weight", field::int_or(&self.weight, 1, 1..=100));
        match (
            text,
            period,
            recommendation,
            monitoring,
            kpi,
            target,
            weight,
        ) {
            (
                Some(text),
                Some(period),
                Some(recommendation),
                Some(monitoring),
                Some(kpi),
                Some(target),
                Some(weight),
            ) if e.is_empty() => Ok(ActionFields {
                text,
                all_divisions: self.all_divisions,
                divisions,
                period,
                recommendation,
                monitoring,
                kpi,
                target,
                weight: i32::try_from(weight).unwrap_or(1),
            }),
            _ => Err(e),
        }
    }

    pub fn from_fields(f: &ActionFields) -> Self {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        Self {
            text: f.text.clone(),
            all_divisions: f.all_divisions,
            divisions: f.divisions.iter().map(ToString::to_string).collect(),
            period: f
                .period
                .map(|p| p.format(prongsai_thai::Digits::Arabic))
                .unwrap_or_default(),
            recommendation: s(&f.recommendation),
            monitoring: s(&f.monitoring),
            kpi: s(&f.kpi),
            target: s(&f.target),
            weight: f.weight.to_string(),
        }
    }
}

/// A link or a stored file given as evidence of progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evidence {
    File { file_id: FileId, name: String },
    Link { url: String, label: String },
}

/// A progress report on an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressEntry {
    pub id: ProgressId,
    pub agency_id: AgencyId,
    pub action_id: ActionId,
    pub reported_on: Date,
    pub status: ActionStatus,
    pub percent: i32,
    pub narrative: String,
    pub author_account_id: Option<AccountId>,
    pub author_label: String,
    pub evidence: Vec<Evidence>,
    pub created_at: i64,
}

/// The progress form (files come separately, as uploads).
#[derive(Debug, Clone, Default)]
pub struct ProgressInput {
    pub reported_on: String,
    pub status: String,
    /// Empty: the status's default percentage.
    pub percent: String,
    pub narrative: String,
    /// Evidence links, one per line: "URL" or "label | URL".
    pub links: String,
}

/// A parsed progress report, before it is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProgress {
    pub reported_on: Date,
    pub status: ActionStatus,
    pub percent: i32,
    pub narrative: String,
    pub links: Vec<(String, String)>,
}

impl ProgressInput {
    /// Parses the form. A report dated in the future is refused; an empty date means `today`.
    pub fn parse(&self, today: Date) -> Result<NewProgress, FieldErrors> {
        let mut e = FieldErrors::new();
        let reported_on = e.take(
            "reported_on",
            match self.reported_on.trim() {
                "" => Ok(today),
                raw => prongsai_thai::parse_date(raw)
                    .map_err(|_| ErrorCode::InvalidDate)
                    .and_then(|d| {
                        if d > today {
                            Err(ErrorCode::InvalidDate)
                        } else {
                            Ok(d)
                        }
                    }),
            },
        );
        let status = e.take(
            "status",
            ActionStatus::parse(self.status.trim()).ok_or(ErrorCode::InvalidChoice),
        );
        let percent = match (self.percent.trim(), status) {
            ("", Some(s)) => Some(s.default_percent()),
            ("", None) => None,
            (raw, _) => e
                .take("percent", field::int_or(raw, 0, 0..=100))
                .and_then(|v| i32::try_from(v).ok()),
        };
        let narrative = e.take(
            "narrative",
            field::optional_multiline(&self.narrative, 4000)
                .and_then(|n| n.ok_or(ErrorCode::Required)),
        );
        let mut links = Vec::new();
        for line in self.links.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (label, url) = match line.rsplit_once('|') {
                Some((l, u)) => (field::clean_line(l), u.trim()),
                None => (String::new(), line),
            };
            match field::optional_url(url) {
                Ok(Some(u)) => {
                    let label = if label.is_empty() { u.clone() } else { label };
                    links.push((label.chars().take(200).collect(), u));
                }
                _ => e.add("links", ErrorCode::InvalidUrl),
            }
        }
        if links.len() > 20 {
            e.add("links", ErrorCode::TooLong { max: 20 });
        }
        match (reported_on, status, percent, narrative) {
            (Some(reported_on), Some(status), Some(percent), Some(narrative)) if e.is_empty() => {
                Ok(NewProgress {
                    reported_on,
                    status,
                    percent,
                    narrative,
                    links,
                })
            }
            _ => Err(e),
        }
    }
}

/// A row of last year's table: what the assessment found and what was done.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReviewRow {
    /// "ตัวชี้วัดที่ ๒ การใช้งบประมาณ".
    pub indicator: String,
    /// ประเด็นการประเมิน.
    pub issues: String,
    /// ขั้นตอนหรือวิธีการ/มาตรการ.
    pub methods: String,
    /// การดำเนินการ.
    pub actions_taken: String,
}

/// A row of the steps-and-monitoring table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
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

/// Encodes a month as stored: BE year × 100 + month.
pub fn encode_month(m: YearMonth) -> i64 {
    i64::from(m.be_year()) * 100 + i64::from(u8::from(m.month()))
}

/// Decodes a stored month.
pub fn decode_month(v: i64) -> Option<YearMonth> {
    let year = i32::try_from(v / 100).ok()?;
    let month = time::Month::try_from(u8::try_from(v % 100).ok()?).ok()?;
    YearMonth::new(year, month).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn oit_items_are_normalised() {
        assert_eq!(parse_oit_items("o43, O42 O42").unwrap(), ["O42", "O43"]);
        assert_eq!(parse_oit_items("").unwrap(), Vec::<String>::new());
        assert_eq!(parse_oit_items("X1"), Err(ErrorCode::InvalidChoice));
        assert_eq!(parse_oit_items("O100"), Err(ErrorCode::InvalidChoice));
        assert_eq!(parse_oit_items("O๔๒").unwrap(), ["O42"]);
    }

    #[test]
    fn statuses_carry_default_percentages() {
        let cases = [
            (ActionStatus::NotStarted, 0),
            (ActionStatus::InProgress, 50),
            (ActionStatus::Done, 100),
            (ActionStatus::Cancelled, 0),
        ];
        for (s, p) in cases {
            assert_eq!(s.default_percent(), p, "{s:?}");
        }
    }

    #[test]
    fn an_action_period_must_not_end_before_it_starts() {
        let fy = FiscalYear::new(2566).unwrap();
        let input = ActionInput {
            text: "x".into(),
            period: "เม.ย. ๖๖ - ม.ค. ๖๖".into(),
            ..Default::default()
        };
        assert_eq!(
            input.parse(|_| true, fy).unwrap_err().get("period"),
            Some(&ErrorCode::InvalidPeriod)
        );
        let ok = ActionInput {
            period: "ม.ค. ๖๖ - เม.ย. ๖๖".into(),
            ..input
        };
        let f = ok.parse(|_| true, fy).unwrap();
        assert_eq!(
            f.period.unwrap().format(prongsai_thai::Digits::Thai),
            "ม.ค. ๖๖ - เม.ย. ๖๖"
        );
    }

    #[test]
    fn divisions_of_another_agency_are_refused() {
        let fy = FiscalYear::new(2566).unwrap();
        let input = ActionInput {
            text: "x".into(),
            divisions: vec!["7".into(), "8".into()],
            ..Default::default()
        };
        let err = input.parse(|d| d.get() == 7, fy).unwrap_err();
        assert_eq!(err.get("divisions"), Some(&ErrorCode::InvalidChoice));
    }

    #[test]
    fn progress_defaults_its_percentage_from_the_status() {
        let today = date!(2023 - 03 - 01);
        let p = ProgressInput {
            status: "in-progress".into(),
            narrative: "ประชุมแล้ว".into(),
            ..Default::default()
        }
        .parse(today)
        .unwrap();
        assert_eq!((p.percent, p.reported_on), (50, today));
        let future = ProgressInput {
            reported_on: "2 มีนาคม 2566".into(),
            ..Default::default()
        }
        .parse(today)
        .unwrap_err();
        assert_eq!(future.get("reported_on"), Some(&ErrorCode::InvalidDate));
    }

    #[test]
    fn evidence_links_accept_labels_and_refuse_scripts() {
        let today = date!(2023 - 03 - 01);
        let base = ProgressInput {
            status: "done".into(),
            narrative: "x".into(),
            ..Default::default()
        };
        let p = ProgressInput {
            links: "ประกาศ | https://nonhan.example/a.pdf\nhttps://x.th/b".into(),
            ..base.clone()
        }
        .parse(today)
        .unwrap();
        assert_eq!(
            p.links[0],
            ("ประกาศ".into(), "https://nonhan.example/a.pdf".into())
        );
        assert_eq!(p.links[1].0, "https://x.th/b");
        let bad = ProgressInput {
            links: "javascript:alert(1)".into(),
            ..base
        }
        .parse(today)
        .unwrap_err();
        assert_eq!(bad.get("links"), Some(&ErrorCode::InvalidUrl));
    }

    #[test]
    fn months_round_trip_through_storage() {
        let m = YearMonth::new(2566, time::Month::April).unwrap();
        assert_eq!(encode_month(m), 256_604);
        assert_eq!(decode_month(256_604), Some(m));
        assert_eq!(decode_month(256_613), None);
    }
}
