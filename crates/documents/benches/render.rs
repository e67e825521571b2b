//! Rendering speed of the FY2566 report (the seed's content, with some progress), warm: the
//! fonts, the typst library and the templates are built before measuring.
//! Targets: PDF under 500 ms, DOCX under 100 ms.
//!
//! `cargo bench -p prongsai-documents`. In the same run, when LibreOffice is installed, the
//! last group times LibreOffice converting the same report's DOCX to PDF (what an officer does
//! today), and the ratio to the direct PDF is printed. `crates/documents/bench-libreoffice.sh`
//! times LibreOffice alone.

#[path = "../tests/fixtures/seed.rs"]
mod seed;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

fn render(c: &mut Criterion) {
    prongsai_documents::warm_up().expect("the renderer starts");
    let report = seed::report_with_progress();
    let announcement = seed::announcement();
    let ita = seed::ita();

    let mut group = c.benchmark_group("fy2566");
    group.sample_size(20);
    group.bench_function("report pdf", |b| {
        b.iter(|| prongsai_documents::measures_report_pdf(black_box(&report)).expect("pdf"));
    });
    group.bench_function("report docx", |b| {
        b.iter(|| prongsai_documents::measures_report_docx(black_box(&report)).expect("docx"));
    });
    group.bench_function("announcement pdf", |b| {
        b.iter(|| prongsai_documents::announcement_pdf(black_box(&announcement)).expect("pdf"));
    });
    group.bench_function("ita analysis pdf", |b| {
        b.iter(|| prongsai_documents::ita_analysis_pdf(black_box(&ita)).expect("pdf"));
    });
    group.bench_function("ita analysis docx (chart rendered to PNG)", |b| {
        b.iter(|| prongsai_documents::ita_analysis_docx(black_box(&ita)).expect("docx"));
    });
    group.finish();

    // typst memoises; a report whose text changed between downloads reuses less of it.
    let mut cold = c.benchmark_group("fy2566 changed text");
    cold.sample_size(20);
    let mut n = 0u32;
    cold.bench_function("report pdf, different text each time", |b| {
        b.iter(|| {
            n = n.wrapping_add(1);
            let mut r = report.clone();
            r.introduction = format!("{} {n}", r.introduction);
            prongsai_documents::measures_report_pdf(black_box(&r)).expect("pdf")
        });
    });
    cold.finish();

    libreoffice(c, &report);
}

/// LibreOffice converting the report's DOCX to PDF, with its profile made beforehand, against
/// the PDF made directly; skipped (with a note) when LibreOffice is not installed.
fn libreoffice(c: &mut Criterion, report: &prongsai_documents::MeasuresReport) {
    use std::process::Command;
    use std::time::{Duration, Instant};

    if Command::new("libreoffice")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!(
            "libreoffice is not installed (Debian: libreoffice-writer-nogui): comparison skipped"
        );
        return;
    }
    let dir = std::env::temp_dir().join(format!("prongsai-bench-lo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    let docx = dir.join("report.docx");
    std::fs::write(
        &docx,
        prongsai_documents::measures_report_docx(report).expect("docx"),
    )
    .expect("the DOCX is written");
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("profile").display()
    );
    let convert = || {
        let out = Command::new("libreoffice")
            .arg(&profile)
            .args([
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(&dir)
            .arg(&docx)
            .output()
            .expect("libreoffice runs");
        assert!(
            dir.join("report.pdf").exists(),
            "LibreOffice made no PDF: {out:?}"
        );
    };
    convert(); // The first run creates the profile.

    // Each PDF is made from a report whose text differs from the last one's, so that typst's
    // memoisation does not flatter the comparison: an officer's report has changed since the
    // last download.
    let n = std::cell::Cell::new(0u32);
    let fresh_pdf = || {
        n.set(n.get().wrapping_add(1));
        let mut r = report.clone();
        r.introduction = format!("{} {}", r.introduction, n.get());
        prongsai_documents::measures_report_pdf(black_box(&r)).expect("pdf")
    };
    let mut group = c.benchmark_group("fy2566 compared with LibreOffice");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.bench_function("report pdf, changed text (Prongsai)", |b| b.iter(fresh_pdf));
    group.bench_function("report docx to pdf (LibreOffice)", |b| b.iter(convert));
    group.finish();

    // The ratio, from plain means of the same two operations.
    let mean = |runs: u32, f: &dyn Fn()| {
        let start = Instant::now();
        for _ in 0..runs {
            f();
        }
        start.elapsed() / runs
    };
    let ours = mean(10, &|| {
        black_box(fresh_pdf());
    });
    let theirs = mean(5, &convert);
    println!(
        "FY2566 report to PDF, changed text: Prongsai {:.0} ms, LibreOffice from the DOCX {:.0} ms; LibreOffice takes {:.1}× as long",
        ours.as_secs_f64() * 1000.0,
        theirs.as_secs_f64() * 1000.0,
        theirs.as_secs_f64() / ours.as_secs_f64()
    );
    std::fs::remove_dir_all(&dir).ok();
}

criterion_group!(benches, render);
criterion_main!(benches);
