//! Review file save and load with 20,000 claims, through the real `review::file` code (atomic write, validation).
//!
//! Before criterion's runs, a plain loop of 30 load-plus-save rounds prints the spread (fastest, median, slowest):
//! on a shared virtual machine the same build's rounds vary widely, and the spread says how much. It also prints
//! the median time of each step of a round (read, parse, validate, serialise, save, free).
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

/// The spread of 30 plain load-plus-save rounds, and where the time of a round goes (the median of each step),
/// printed before criterion's estimates. The steps are the ones `file::load` and `file::save` take; "serialise" is
/// the same JSON written to memory instead of a file, so "save" minus "serialise" is the file system's part.
fn spread(path: &std::path::Path) {
    const ROUNDS: usize = 30;
    let steps = ["read", "parse", "validate", "serialise", "save", "free"];
    let mut ms: Vec<Vec<f64>> = vec![Vec::with_capacity(ROUNDS); steps.len() + 1];
    for _ in 0..ROUNDS {
        let mut marks = vec![std::time::Instant::now()];
        let bytes = file::read(path).expect("reads");
        marks.push(std::time::Instant::now());
        let loaded = file::parse(&bytes, path).expect("parses");
        marks.push(std::time::Instant::now());
        assert!(file::validate(&loaded).is_empty(), "the bench's file is valid");
        marks.push(std::time::Instant::now());
        let in_memory = file::to_bytes(&loaded);
        marks.push(std::time::Instant::now());
        file::save(&loaded, path).expect("saves");
        marks.push(std::time::Instant::now());
        drop((loaded, bytes));
        marks.push(std::time::Instant::now());
        drop(in_memory);
        for (step, pair) in ms.iter_mut().zip(marks.windows(2)) {
            step.push((pair[1] - pair[0]).as_secs_f64() * 1e3);
        }
        // A round is load plus save plus freeing the loaded review, without the serialise-to-memory step.
        let serialise = ms[3].last().copied().unwrap_or(0.0);
        ms[steps.len()].push((marks[marks.len() - 1] - marks[0]).as_secs_f64() * 1e3 - serialise);
    }
    for v in &mut ms {
        v.sort_by(f64::total_cmp);
    }
    let rounds = &ms[steps.len()];
    println!(
        "review_file_20k_claims/load_plus_save: fastest {:.0} ms, median {:.0} ms, slowest {:.0} ms ({ROUNDS} rounds)",
        rounds[0],
        rounds[ROUNDS / 2],
        rounds[ROUNDS - 1]
    );
    let medians: Vec<String> = steps.iter().zip(&ms).map(|(name, v)| format!("{name} {:.1}", v[ROUNDS / 2])).collect();
    println!("  medians (ms): {}", medians.join(", "));
}

criterion_group!(benches, save_and_load);
criterion_main!(benches);
