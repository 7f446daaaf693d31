//! Review file save and load with 20,000 claims, through the real `review::file` code (atomic write, validation).
//!
//! Before criterion's runs, a plain loop of 30 load-plus-save rounds prints the spread (fastest, median, slowest):
//! on a shared virtual machine the same build's rounds vary widely, and the spread says how much.
//!
//! The file is written in a temporary folder under `$BENCH_DIR` (default `/tmp`): `BENCH_DIR=/dev/shm` keeps it in
//! memory, which separates the work ClaimDesk does from the time the disk takes to sync.

use criterion::{Criterion, criterion_group, criterion_main};

use claimdesk::document::Document;
use claimdesk::extract::Extractor;
use claimdesk::review::{EvidenceSource, ReviewFile, Status, file};

/// A review of a generated document with exactly 20,000 claims, a quarter of them reviewed with a note and a source.
fn review_with_20k_claims() -> ReviewFile {
    let text = claimdesk::corpus::generate(7, 3 * 1024 * 1024);
    let doc = Document::from_text("bench", text);
    let ex = Extractor::default();
    let sentences: Vec<_> = ex.sentences(&doc.text).into_iter().filter(|s| !s.boilerplate).take(20_000).collect();
    assert_eq!(sentences.len(), 20_000, "the corpus must hold 20,000 sentences");
    let mut f = ReviewFile::new(&doc, ex.info(), &sentences);
    for (i, c) in f.claims.iter_mut().enumerate().filter(|(i, _)| i % 4 == 0) {
        c.review.status = [Status::Verified, Status::Disputed, Status::Unsourced][i % 3];
        c.review.note = format!("Checked against the agency's figures, table {i}.");
        c.review.sources.push(EvidenceSource {
            reference: format!("https://example.org/report/{i}"),
            quote: "the figure given in the report".into(),
            accessed: Some("2026-11-25".into()),
        });
        c.review.reviewer = Some("Bench Reviewer".into());
        c.review.changed = Some("2026-11-25T10:00:00Z".into());
    }
    f
}

fn save_and_load(c: &mut Criterion) {
    let f = review_with_20k_claims();
    let dir = tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or("/tmp".into())).expect("a temp dir");
    let path = dir.path().join("review.json");
    file::save(&f, &path).expect("saves");
    println!("review file: {} claims, {} bytes", f.claims.len(), std::fs::metadata(&path).expect("saved").len());
    spread(&path);
    let mut group = c.benchmark_group("review_file_20k_claims");
    group.sample_size(10);
    group.bench_function("save", |b| b.iter(|| file::save(&f, &path).expect("saves")));
    group.bench_function("load", |b| b.iter(|| file::load(&path).expect("loads")));
    group.bench_function("load_plus_save", |b| {
        b.iter(|| {
            let loaded = file::load(&path).expect("loads");
            file::save(&loaded, &path).expect("saves");
        })
    });
    group.finish();
}

/// The spread of 30 plain load-plus-save rounds, printed before criterion's estimates.
fn spread(path: &std::path::Path) {
    let mut ms: Vec<f64> = (0..30)
        .map(|_| {
            let t = std::time::Instant::now();
            let loaded = file::load(path).expect("loads");
            file::save(&loaded, path).expect("saves");
            drop(loaded);
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    println!(
        "review_file_20k_claims/load_plus_save: fastest {:.0} ms, median {:.0} ms, slowest {:.0} ms (30 rounds)",
        ms[0], ms[15], ms[29]
    );
}

criterion_group!(benches, save_and_load);
criterion_main!(benches);
