//! Rendering speed of the FY2566 report (the seed's content, with some progress), warm: the
//! fonts, the typst library and the templates are built before measuring.
//! Targets: PDF under 500 ms, DOCX under 100 ms.
//!
//! `cargo bench -p prongsai-documents`; compare with LibreOffice converting the same DOCX:
//! `crates/documents/bench-libreoffice.sh`.

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
}

criterion_group!(benches, render);
criterion_main!(benches);
