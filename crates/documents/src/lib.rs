//! Official documents of Prongsai, as PDF and DOCX.
//!
//! Three documents, each from a plain model in [`model`]:
//!
//! - (a) [`MeasuresReport`]: รายงานผลการดำเนินการมาตรการส่งเสริมคุณธรรมและความโปร่งใส, in the
//!   layout of the reports agencies publish for ITA items O42/O43: a cover, the introduction,
//!   the five-column measures table with the progress of each action, last year's table by
//!   indicator and the steps-and-monitoring table;
//! - (b) [`Announcement`]: ประกาศ … เรื่อง มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน,
//!   with the executive's signature block;
//! - (c) [`ItaAnalysis`]: the analysis of the ITA assessment, with the indicator table and a
//!   bar chart.
//!
//! PDFs are typeset by typst with the Sarabun fonts compiled into the binary (nothing is read
//! from the system or downloaded); Thai is shaped and broken at word boundaries by typst, and
//! page numbers are printed in the document's digits. DOCX files name "TH Sarabun New", the font
//! Thai offices have, and repeat table headers on each page. The web layer renders the [`view`]s
//! (the documents with every word made) to HTML, so that all three forms say the same.
//!
//! Layout decisions:
//!
//! - **Orientation.** The measures report has a portrait cover, then A4 landscape: the
//!   five-column table gets 25.2 cm, so that the actions column is about 11.5 cm wide and the
//!   periods fit on one or two lines at a readable size (in portrait the actions column would be
//!   about 6 cm). The announcement and the ITA analysis are A4 portrait.
//! - **Sizes.** The PDF sets body text in 14 pt Sarabun and tables in 13 pt: Sarabun is drawn
//!   larger than TH Sarabun New, and 14 pt Sarabun fills a line about like the 16 pt TH Sarabun
//!   New of official documents. Lines run from the font's ascender to its descender plus a small
//!   leading, so stacked marks never touch the next line. The DOCX uses TH Sarabun New 16 pt for
//!   the body and 14 pt in tables.
//! - **Margins.** 2.5 cm left and top, 2 cm right and bottom (the announcement: 3 cm left, as
//!   official letters). Paragraphs have the 2.5 cm first-line indent of official documents.
//! - **Page numbers** are "- ๒ -" centred at the top: from ๑ after the report's cover, and from
//!   the second page of the announcement and the analysis. typst has no Thai numbering, so the
//!   template maps the digits. In DOCX the number is a PAGE field in a section whose page-number
//!   format is `thaiNumbers` (Word prints ๑ ๒ ๓; LibreOffice ignores the format and prints
//!   1 2 3, and it misreads the `\* ThaiArabic` switch as Thai letters ก ข ค, so that switch is
//!   not used).
//! - **Tables.** Header rows repeat on every page (typst `table.header(repeat: true)`, DOCX
//!   `w:tblHeader`). A row stays on one page when it fits on one; a longer row may break. In the
//!   steps table an empty monitoring cell continues the one above, as the seed's merged cell.
//! - **Fonts.** The embedded Sarabun is slightly modified to work around a typst bug that
//!   duplicates Thai clusters in the PDF's text; see `fonts/README.md`.
//! - **Text extraction.** `pdftotext -raw` reads the PDF in reading order. Without `-raw`,
//!   poppler's layout analysis interleaves the columns of a table (as it does for any PDF).
//!
//! typst is the heaviest dependency of the workspace; it lives in this crate only, which
//! depends on nothing of Prongsai but `prongsai-thai`, so that it is built once and never
//! rebuilt by changes elsewhere.

mod docx;
mod image;
mod labels;
pub mod model;
mod pdf;
mod score;
mod text;
pub mod view;

pub use model::{
    Action, Agency, AnnouncedMeasure, Announcement, IndicatorScore, ItaAnalysis, Measure,
    MeasuresReport, Progress, Recommendation, Review, ReviewRow, Signer, Slip, StepRow,
    SurveySlips,
};
pub use pdf::warm_up;
pub use prongsai_thai::Digits;
pub use score::{Score, ScoreError};

use pdf::Template;
use view::ReportView;
pub use view::{AnnouncementView, ItaView};

/// Why a document could not be made. Rendering never panics; whatever goes wrong ends here.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// The logo is not a PNG image of a sensible size.
    #[error("the logo must be a PNG image of at most 8000 × 8000 pixels")]
    InvalidLogo,
    /// typst could not lay the document out (for example, a corrupt image).
    #[error("the {document} could not be typeset: {message}")]
    Typst {
        document: &'static str,
        message: String,
    },
    /// The DOCX package could not be written.
    #[error("the DOCX file could not be written: {0}")]
    Docx(String),
    /// A chart image could not be encoded.
    #[error("the chart image could not be encoded: {0}")]
    Image(String),
    /// The embedded fonts or templates could not be loaded (a build defect).
    #[error("the document renderer could not start: {0}")]
    Setup(String),
}

/// The pixel density of the chart image embedded in DOCX files: 3 px per point, 216 dpi.
const CHART_PIXEL_PER_PT: f64 = 3.0;

/// (a) The measures report as PDF.
pub fn measures_report_pdf(report: &MeasuresReport) -> Result<Vec<u8>, DocumentError> {
    let logo = image::logo(report.agency.logo.as_ref())?;
    pdf::pdf(
        Template::Report,
        &ReportView::new(report),
        logo.map(|l| l.0),
    )
}

/// (a) The measures report as DOCX.
pub fn measures_report_docx(report: &MeasuresReport) -> Result<Vec<u8>, DocumentError> {
    let logo = image::logo(report.agency.logo.as_ref())?;
    docx::report(&ReportView::new(report), logo)
}

/// (b) The announcement as PDF.
pub fn announcement_pdf(announcement: &Announcement) -> Result<Vec<u8>, DocumentError> {
    let logo = image::logo(announcement.agency.logo.as_ref())?;
    pdf::pdf(
        Template::Announcement,
        &AnnouncementView::new(announcement),
        logo.map(|l| l.0),
    )
}

/// (b) The announcement as DOCX.
pub fn announcement_docx(announcement: &Announcement) -> Result<Vec<u8>, DocumentError> {
    let logo = image::logo(announcement.agency.logo.as_ref())?;
    docx::announcement(&AnnouncementView::new(announcement), logo)
}

/// Access-code slips of a survey as an A4 PDF, ten to a page.
pub fn survey_slips_pdf(slips: &SurveySlips) -> Result<Vec<u8>, DocumentError> {
    pdf::pdf(Template::Slips, slips, None)
}

/// (c) The ITA analysis as PDF, with the chart drawn by typst.
pub fn ita_analysis_pdf(analysis: &ItaAnalysis) -> Result<Vec<u8>, DocumentError> {
    let logo = image::logo(analysis.agency.logo.as_ref())?;
    pdf::pdf(Template::Ita, &ItaView::new(analysis), logo.map(|l| l.0))
}

/// (c) The ITA analysis as DOCX; the chart is the PDF's chart, rendered to PNG by typst.
pub fn ita_analysis_docx(analysis: &ItaAnalysis) -> Result<Vec<u8>, DocumentError> {
    let logo = image::logo(analysis.agency.logo.as_ref())?;
    let view = ItaView::new(analysis);
    let chart = pdf::png(Template::ChartPage, &view, CHART_PIXEL_PER_PT)?;
    docx::ita(&view, logo, chart)
}

/// (c) The ITA chart alone as PNG (for the web page, or to check it): the bytes, and the width
/// and height in pixels.
pub fn ita_chart_png(analysis: &ItaAnalysis) -> Result<(Vec<u8>, u32, u32), DocumentError> {
    let r = pdf::png(
        Template::ChartPage,
        &ItaView::new(analysis),
        CHART_PIXEL_PER_PT,
    )?;
    Ok((r.png, r.width, r.height))
}
