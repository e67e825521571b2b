//! Renders the seed documents into a folder, to look at them:
//! `cargo run --release -p prongsai-documents --example render -- /tmp/out [logo.png]`.

#[path = "../tests/fixtures/seed.rs"]
mod seed;

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "target/documents".into()));
    let logo = args.next().map(std::fs::read).transpose()?;
    std::fs::create_dir_all(&out)?;

    let mut report = seed::report_with_progress();
    report.agency.logo.clone_from(&logo);
    let mut announcement = seed::announcement();
    announcement.agency.logo.clone_from(&logo);
    let mut ita = seed::ita();
    ita.agency.logo.clone_from(&logo);

    let files: [(&str, Vec<u8>); 7] = [
        (
            "report.pdf",
            prongsai_documents::measures_report_pdf(&report)?,
        ),
        (
            "report.docx",
            prongsai_documents::measures_report_docx(&report)?,
        ),
        (
            "announcement.pdf",
            prongsai_documents::announcement_pdf(&announcement)?,
        ),
        (
            "announcement.docx",
            prongsai_documents::announcement_docx(&announcement)?,
        ),
        ("ita.pdf", prongsai_documents::ita_analysis_pdf(&ita)?),
        ("ita.docx", prongsai_documents::ita_analysis_docx(&ita)?),
        ("ita-chart.png", prongsai_documents::ita_chart_png(&ita)?.0),
    ];
    for (name, bytes) in files {
        std::fs::write(out.join(name), bytes)?;
        println!("{}", out.join(name).display());
    }
    Ok(())
}
