//! PDF through typst: an in-memory `World` whose fonts are compiled into the binary, whose
//! templates are the `.typ` files in `templates/`, and whose only per-render files are the view
//! as `/data.json` and the logo as `/logo.png`. Data never becomes markup.

use std::sync::OnceLock;

use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use crate::DocumentError;

/// The fonts: Sarabun, SIL OFL 1.1 (see `fonts/OFL.txt`).
const FONTS: [&[u8]; 4] = [
    include_bytes!("../fonts/Sarabun_400Regular.ttf"),
    include_bytes!("../fonts/Sarabun_700Bold.ttf"),
    include_bytes!("../fonts/Sarabun_400Regular_Italic.ttf"),
    include_bytes!("../fonts/Sarabun_700Bold_Italic.ttf"),
];

/// The templates, by their path in the virtual project.
const TEMPLATES: [(&str, &str); 7] = [
    ("/common.typ", include_str!("../templates/common.typ")),
    ("/chart.typ", include_str!("../templates/chart.typ")),
    ("/report.typ", include_str!("../templates/report.typ")),
    (
        "/announcement.typ",
        include_str!("../templates/announcement.typ"),
    ),
    ("/ita.typ", include_str!("../templates/ita.typ")),
    (
        "/chart-page.typ",
        include_str!("../templates/chart-page.typ"),
    ),
    ("/slips.typ", include_str!("../templates/slips.typ")),
];

/// Which template a render starts from.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Template {
    Report,
    Announcement,
    Ita,
    ChartPage,
    Slips,
}

impl Template {
    fn path(self) -> &'static str {
        match self {
            Self::Report => "/report.typ",
            Self::Announcement => "/announcement.typ",
            Self::Ita => "/ita.typ",
            Self::ChartPage => "/chart-page.typ",
            Self::Slips => "/slips.typ",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Self::Report => "measures report",
            Self::Announcement => "announcement",
            Self::Ita => "ITA analysis",
            Self::ChartPage => "ITA chart",
            Self::Slips => "survey slips",
        }
    }
}

/// What every render shares, built once: the standard library, the fonts and the parsed
/// templates.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    sources: Vec<Source>,
    data_id: FileId,
    logo_id: FileId,
}

static SHARED: OnceLock<Result<Shared, DocumentError>> = OnceLock::new();

fn file_id(path: &str) -> Result<FileId, DocumentError> {
    let vpath =
        VirtualPath::new(path).map_err(|e| DocumentError::Setup(format!("{path}: {e:?}")))?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

fn shared() -> Result<&'static Shared, DocumentError> {
    SHARED
        .get_or_init(|| {
            let fonts: Vec<Font> = FONTS
                .iter()
                .filter_map(|data| Font::new(Bytes::new(*data), 0))
                .collect();
            if fonts.len() != FONTS.len() {
                return Err(DocumentError::Setup(
                    "an embedded font could not be read".into(),
                ));
            }
            let sources = TEMPLATES
                .iter()
                .map(|(path, text)| Ok(Source::new(file_id(path)?, (*text).to_owned())))
                .collect::<Result<Vec<_>, DocumentError>>()?;
            Ok(Shared {
                library: LazyHash::new(Library::builder().build()),
                book: LazyHash::new(FontBook::from_fonts(&fonts)),
                fonts,
                sources,
                data_id: file_id("/data.json")?,
                logo_id: file_id("/logo.png")?,
            })
        })
        .as_ref()
        .map_err(Clone::clone)
}

/// Builds the fonts, the library and the templates now rather than on the first render.
pub fn warm_up() -> Result<(), DocumentError> {
    shared().map(|_| ())
}

/// The world of one render.
struct DocWorld {
    shared: &'static Shared,
    main: FileId,
    data: Bytes,
    logo: Option<Bytes>,
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.shared
            .sources
            .iter()
            .find(|s| s.id() == id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.shared.data_id {
            return Ok(self.data.clone());
        }
        if id == self.shared.logo_id {
            return self.logo.clone().ok_or(FileError::AccessDenied);
        }
        self.source(id)
            .map(|s| Bytes::from_string(s.text().to_owned()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Documents print the dates they are given, never "today".
        None
    }
}

fn describe(template: Template, errors: &[SourceDiagnostic]) -> DocumentError {
    let message = errors
        .iter()
        .map(|e| e.message.to_string())
        .collect::<Vec<_>>()
        .join("; ");
    DocumentError::Typst {
        document: template.name(),
        message,
    }
}

/// Lays out a template with a view handed over as JSON.
pub(crate) fn layout(
    template: Template,
    view: &impl serde::Serialize,
    logo: Option<&[u8]>,
) -> Result<PagedDocument, DocumentError> {
    let shared = shared()?;
    let data = serde_json::to_vec(view).map_err(|e| DocumentError::Setup(e.to_string()))?;
    let world = DocWorld {
        shared,
        main: file_id(template.path())?,
        data: Bytes::new(data),
        logo: logo.map(|l| Bytes::new(l.to_vec())),
    };
    let result = typst::compile::<PagedDocument>(&world).output;
    // Keep the memoisation cache from growing without bound in a long-running server, while
    // keeping what the next render of the same kind will reuse.
    typst::comemo::evict(20);
    result.map_err(|errors| describe(template, &errors))
}

/// Compiles a template to PDF bytes.
pub(crate) fn pdf(
    template: Template,
    view: &impl serde::Serialize,
    logo: Option<&[u8]>,
) -> Result<Vec<u8>, DocumentError> {
    let document = layout(template, view, logo)?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default())
        .map_err(|errors| describe(template, &errors))
}

/// Points to EMU (12 700 per point), rounded, without a truncating cast.
fn pt_to_emu(pt: f64) -> u32 {
    let emu = (pt * 12_700.0).round().clamp(0.0, f64::from(u32::MAX));
    format!("{emu:.0}").parse().unwrap_or(0)
}

/// The largest chart image, in pixels.
const MAX_PIXELS: f64 = 40_000_000.0;

/// A rendered image and its size, in pixels and as printed (EMU, 1/914 400 inch).
pub(crate) struct Raster {
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
    pub width_emu: u32,
    pub height_emu: u32,
}

/// Renders the first page of a template as PNG, at up to `pixel_per_pt` pixels per point.
pub(crate) fn png(
    template: Template,
    view: &impl serde::Serialize,
    pixel_per_pt: f64,
) -> Result<Raster, DocumentError> {
    let document = layout(template, view, None)?;
    let page = document
        .pages()
        .first()
        .ok_or_else(|| DocumentError::Typst {
            document: template.name(),
            message: "no page".into(),
        })?;
    // typst-render panics when it cannot allocate the canvas: keep the image within 40
    // megapixels by lowering the density for an unusually large chart.
    let size = page.frame.size();
    let area_pt = (size.x.to_pt() * size.y.to_pt()).max(1.0);
    let density = pixel_per_pt.min((MAX_PIXELS / area_pt).sqrt());
    if !density.is_finite() || density * size.x.to_pt().max(size.y.to_pt()) < 1.0 {
        return Err(DocumentError::Image(
            "the chart is too large to draw".into(),
        ));
    }
    let options = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(density),
        ..Default::default()
    };
    let pixmap = typst_render::render(page, &options);
    let (width, height) = (pixmap.width(), pixmap.height());
    let png = pixmap
        .encode_png()
        .map_err(|e| DocumentError::Image(e.to_string()))?;
    Ok(Raster {
        png,
        width,
        height,
        width_emu: pt_to_emu(size.x.to_pt()),
        height_emu: pt_to_emu(size.y.to_pt()),
    })
}
