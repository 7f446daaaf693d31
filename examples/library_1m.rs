//! A synthetic library of 1,000,000 fact-checks, run by hand (not in CI): its size on disk, peak memory, and query
//! times (median and 99th percentile).
//!
//! ```sh
//! cargo run --release --example library_1m -- build /tmp/lib1m     # writes the feed, imports it (tens of minutes)
//! cargo run --release --example library_1m -- query /tmp/lib1m     # 500 queries; size, peak memory, p50, p99
//! ```
//!
//! `LIBRARY_1M_N` changes the number of fact-checks (for a quick try: `LIBRARY_1M_N=20000`). The claims are
//! sentences of the generated news-like corpus, each made distinct; the embeddings are synthetic (a deterministic
//! pseudo-random unit vector of 384 dimensions per text, stored as the matcher's int8 vectors are), to spare the
//! hours a real model would take. `query` loads the real model, fills the matcher's index from the store, and times
//! queries through it (each query's own embedding included), then the same queries by BM25 through FTS5 alone. The build goes through the real import (`Library::import`): one transaction.
//! Peak memory is the process's high-water mark (`VmHWM` in `/proc/self/status`), printed at the end of each
//! phase, so `query` reports the memory a matching process needs, apart from the build's.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use claimdesk::extract::Extractor;
use claimdesk::library::{Embedder, ImportOptions, Library, Query};

const DIM: usize = 384;

/// Deterministic pseudo-random unit vectors: a stand-in for a real model's, with the same size.
struct Synthetic;

impl Embedder for Synthetic {
    /// Stored as the matcher's vectors (int8 with a scale), so the matcher's index reads them.
    fn model(&self) -> &str {
        claimdesk::library::search::MATCHER_MODEL
    }

    fn embed(&self, texts: &[(&str, Option<&str>)]) -> Vec<Vec<u8>> {
        texts
            .iter()
            .map(|(claim, _)| {
                let mut seed = claimdesk::document::fingerprint(claim)
                    .bytes()
                    .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
                let mut v: Vec<f32> = (0..DIM)
                    .map(|_| {
                        seed ^= seed << 13;
                        seed ^= seed >> 7;
                        seed ^= seed << 17;
                        (seed % 2001) as f32 / 1000.0 - 1.0
                    })
                    .collect();
                let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt().max(1e-6);
                v.iter_mut().for_each(|x| *x /= norm);
                claimdesk::library::matching::Embedding::quantize(&v).to_bytes()
            })
            .collect()
    }
}

fn n() -> usize {
    std::env::var("LIBRARY_1M_N").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000)
}

fn peak_rss_mb() -> f64 {
    status_mb("VmHWM:")
}

/// Resident memory now.
fn rss_mb() -> f64 {
    status_mb("VmRSS:")
}

fn status_mb(field: &str) -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn disk_mb(dir: &Path) -> f64 {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum::<u64>())
        .unwrap_or(0) as f64
        / 1e6
}

/// Distinct claims made from the generated corpus's sentences.
fn sentences() -> Vec<String> {
    let text = claimdesk::corpus::generate(17, 8 * 1024 * 1024);
    let ex = Extractor::default();
    ex.sentences(&text)
        .into_iter()
        .filter(|s| !s.boilerplate)
        .map(|s| text[s.span.range()].split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn build(dir: &Path) {
    let n = n();
    let sentences = sentences();
    let feed = dir.with_extension("tsv");
    let mut out = String::with_capacity(n * 160);
    out.push_str("id\tclaim\tverdict\tdate\n");
    const VERDICTS: [&str; 5] = ["False", "True", "Mostly false", "Misleading", "Half true"];
    for i in 0..n {
        let a = &sentences[i % sentences.len()];
        let b = &sentences[(i / sentences.len() * 7919 + i * 31) % sentences.len()];
        let b = b.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
        out.push_str(&format!("{i}\t{a} {b}\t{}\t2024-01-{:02}\n", VERDICTS[i % 5], 1 + i % 28));
    }
    std::fs::write(&feed, out).expect("writes the feed");
    println!("feed: {} fact-checks, {:.0} MB at {}", n, disk_mb_file(&feed), feed.display());
    let t = Instant::now();
    let mut lib = Library::open(dir).expect("opens");
    let options = ImportOptions { source_name: Some("synthetic".into()), embedder: Some(&Synthetic) };
    let report = lib.import(std::slice::from_ref(&feed), &options, &mut |_| {}).expect("imports");
    println!("import: {report} in {:.1} s", t.elapsed().as_secs_f64());
    println!("library on disk: {:.0} MB ({})", disk_mb(dir), dir.display());
    println!("build peak memory: {:.0} MB", peak_rss_mb());
}

fn disk_mb_file(path: &Path) -> f64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6
}

fn query(dir: &Path) {
    let t = Instant::now();
    let lib = Library::open(dir).expect("opens");
    let stats = lib.stats().expect("stats");
    println!("library: {} entries, {:.0} MB on disk; opened in {:?}", stats.entries, disk_mb(dir), t.elapsed());
    let sentences = sentences();
    println!("memory after opening and generating the queries' corpus: {:.0} MB", rss_mb());
    let queries: Vec<Query> = sentences
        .iter()
        .step_by(97)
        .take(200)
        .enumerate()
        .map(|(i, s)| Query { id: i.to_string(), text: s.clone(), fingerprint: None })
        .collect();
    let t = Instant::now();
    let model = claimdesk::library::search::Matcher::load().expect("the model loads");
    println!("model loaded in {:.0} ms; memory {:.0} MB", t.elapsed().as_secs_f64() * 1e3, rss_mb());
    let t = Instant::now();
    let index = model.index(lib.store()).expect("indexes");
    println!("matcher index of {} filled from the store in {:.1} s", index.len(), t.elapsed().as_secs_f64());
    println!("memory with the index filled: {:.0} MB resident, peak {:.0} MB", rss_mb(), peak_rss_mb());
    let time = |n: usize, f: &dyn Fn(&Query)| -> Vec<Duration> {
        let mut times: Vec<Duration> = queries
            .iter()
            .take(n)
            .map(|q| {
                let t = Instant::now();
                f(q);
                t.elapsed()
            })
            .collect();
        times.sort();
        times
    };
    let p = |times: &[Duration], q: f64| times[((times.len() - 1) as f64 * q).round() as usize].as_secs_f64() * 1e3;
    let matcher = time(queries.len(), &|q| {
        std::hint::black_box(model.search(lib.store(), &index, std::slice::from_ref(q), 5).expect("matches"));
    });
    println!(
        "{} queries (matcher, embedding included): median {:.1} ms, p99 {:.1} ms, slowest {:.1} ms",
        matcher.len(),
        p(&matcher, 0.5),
        p(&matcher, 0.99),
        p(&matcher, 1.0)
    );
    println!("matching process peak memory: {:.0} MB (resident now {:.0} MB)", peak_rss_mb(), rss_mb());
    // BM25 alone takes about a second a query here: 30 of them.
    let bm25 = time(30, &|q| {
        std::hint::black_box(lib.match_claims(std::slice::from_ref(q), 5, None).expect("matches"));
    });
    println!(
        "{} queries (BM25 through FTS5 alone): median {:.1} ms, p99 {:.1} ms, slowest {:.1} ms",
        bm25.len(),
        p(&bm25, 0.5),
        p(&bm25, 0.99),
        p(&bm25, 1.0)
    );
    println!("peak memory after the full-text queries too: {:.0} MB", peak_rss_mb());
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(2).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/tmp/claimdesk-library-1m"));
    match args.get(1).map(String::as_str) {
        Some("build") => build(&dir),
        Some("query") => query(&dir),
        _ => eprintln!("usage: library_1m build|query [DIR]"),
    }
}
