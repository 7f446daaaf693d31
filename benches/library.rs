//! The claim library: import throughput, one query against 14,000 fact-checks, and a 13-claim article matched end
//! to end, with the matcher (its model embeds at import and at query time).
//!
//! The fact-checks are the real CheckThat! 2020 feed, `../shared/data/checkthat2020-claim-retrieval/
//! verified_claims.docs.tsv` (10,375 Snopes fact-checks), read from beside the repository, never copied into it; the
//! queries are its dev tweets. When the data is missing, the benchmarks print `SKIPPED` and do nothing, unless
//! `CLAIMDESK_REQUIRE_DATA=1`, which makes that a failure. The 14,000 add 3,625 generated fact-checks to the real
//! ones. Before criterion's runs, plain loops print each figure's median and 99th percentile.
//!
//! The library is written in a temporary folder under `$BENCH_DIR` (default `/tmp`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use claimdesk::extract::Extractor;
use claimdesk::library::search::Matcher;
use claimdesk::library::{ImportOptions, Library, Query};
use claimdesk::review::ReviewFile;

const DATA: &str = "../shared/data/checkthat2020-claim-retrieval";

/// The CheckThat! folder, or `None` (printed as SKIPPED) when it is not there.
fn data_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(DATA);
    if dir.join("verified_claims.docs.tsv").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var("CLAIMDESK_REQUIRE_DATA").as_deref() != Ok("1"),
        "{} is missing and CLAIMDESK_REQUIRE_DATA=1",
        dir.display()
    );
    println!("SKIPPED: {} is not there (the library benchmarks read the CheckThat! 2020 feed)", dir.display());
    None
}

fn bench_dir() -> tempfile::TempDir {
    tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or("/tmp".into())).expect("a temp dir")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(name: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{name}: median {:.2} ms, p99 {:.2} ms, fastest {:.2} ms, slowest {:.2} ms ({} runs)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times[0].as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        times.len()
    );
}

/// The dev tweets, as queries.
fn tweets(dir: &Path) -> Vec<Query> {
    let text = std::fs::read_to_string(dir.join("dev/tweets.queries.tsv")).expect("the dev tweets");
    let mut reader = csv::ReaderBuilder::new().delimiter(b'\t').from_reader(text.as_bytes());
    reader
        .records()
        .filter_map(Result::ok)
        .map(|r| Query { id: r[0].to_owned(), text: r[1].to_owned(), fingerprint: None })
        .collect()
}

/// A TSV of `n` generated fact-checks (sentences of the news-like corpus), ids `g-0`, `g-1`, ...
fn generated_feed(path: &Path, n: usize) {
    let text = claimdesk::corpus::generate(3, n * 300);
    let ex = Extractor::default();
    let mut out = String::from("id\tclaim\tverdict\n");
    let sentences: Vec<String> = ex
        .sentences(&text)
        .into_iter()
        .filter(|s| !s.boilerplate)
        .map(|s| text[s.span.range()].split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for i in 0..n {
        out.push_str(&format!("g-{i}\t{} (item {i})\tFalse\n", sentences[i % sentences.len()]));
    }
    std::fs::write(path, out).expect("writes");
}

fn import(c: &mut Criterion) {
    let Some(data) = data_dir() else { return };
    let feed = data.join("verified_claims.docs.tsv");
    let options = ImportOptions::default();
    let mut group = c.benchmark_group("library_import");
    group.sample_size(10);
    group.throughput(Throughput::Elements(10_375));
    group.bench_function("verified_claims_10375_fresh", |b| {
        b.iter_with_setup(bench_dir, |dir| {
            let mut lib = Library::open(dir.path()).expect("opens");
            let r = lib.import(std::slice::from_ref(&feed), &options, &mut |_| {}).expect("imports");
            assert_eq!(r.added, 10_375);
            dir
        })
    });
    let dir = bench_dir();
    let mut lib = Library::open(dir.path()).expect("opens");
    lib.import(std::slice::from_ref(&feed), &options, &mut |_| {}).expect("imports");
    group.bench_function("verified_claims_10375_unchanged", |b| {
        b.iter(|| {
            let r = lib.import(std::slice::from_ref(&feed), &options, &mut |_| {}).expect("imports");
            assert_eq!(r.unchanged, 10_375);
        })
    });
    group.finish();
    // With the matcher's model: one plain run (a criterion group would take ten of them), and its load.
    let loads: Vec<Duration> = (0..5)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(Matcher::load().expect("the model loads"));
            t.elapsed()
        })
        .collect();
    report("loading the matcher's model", loads);
    let model = Matcher::load().expect("the model loads");
    let with_model = ImportOptions { source_name: None, embedder: Some(&model) };
    let dir = bench_dir();
    let mut lib = Library::open(dir.path()).expect("opens");
    let t = Instant::now();
    let r = lib.import(std::slice::from_ref(&feed), &with_model, &mut |_| {}).expect("imports");
    let took = t.elapsed().as_secs_f64();
    println!(
        "import with embedding: {} entries, {} embedded, {took:.1} s: {:.0} a second",
        r.added,
        r.embedded,
        r.added as f64 / took
    );
    let t = Instant::now();
    let r = lib.import(std::slice::from_ref(&feed), &with_model, &mut |_| {}).expect("imports");
    println!("the same import again: {} embedded, {:.2} s", r.embedded, t.elapsed().as_secs_f64());
}

/// A library of the 10,375 real fact-checks and 3,625 generated ones, embedded by the matcher.
fn library_14k(data: &Path, dir: &Path, model: &Matcher) -> Library {
    let generated = dir.join("generated.tsv");
    generated_feed(&generated, 3_625);
    let mut lib = Library::open(&dir.join("lib")).expect("opens");
    let files = [data.join("verified_claims.docs.tsv"), generated];
    let options = ImportOptions { source_name: None, embedder: Some(model) };
    lib.import(&files, &options, &mut |_| {}).expect("imports");
    assert_eq!(lib.stats().expect("stats").entries, 14_000);
    lib
}

fn query(c: &mut Criterion) {
    let Some(data) = data_dir() else { return };
    let dir = bench_dir();
    let model = Matcher::load().expect("the model loads");
    let lib = library_14k(&data, dir.path(), &model);
    let queries = tweets(&data);
    // The index is built once (the window keeps it); each query is embedded and ranked, its entries read.
    let t = Instant::now();
    let index = model.index(lib.store()).expect("indexes");
    println!("index of 14,000 filled from the store in {:.0} ms", t.elapsed().as_secs_f64() * 1e3);
    let mut times = Vec::new();
    for q in queries.iter().cycle().take(400) {
        let t = Instant::now();
        let m = model.search(lib.store(), &index, std::slice::from_ref(q), 5).expect("matches");
        times.push(t.elapsed());
        std::hint::black_box(m);
    }
    report("one query against 14,000 (dev tweets; matcher, its embedding included)", times);
    let mut bm25 = Vec::new();
    for q in queries.iter().cycle().take(400) {
        let t = Instant::now();
        std::hint::black_box(lib.match_claims(std::slice::from_ref(q), 5, None).expect("matches"));
        bm25.push(t.elapsed());
    }
    report("one query against 14,000 (BM25 through FTS5 alone)", bm25);
    let mut next = queries.iter().cycle();
    let mut group = c.benchmark_group("library_match");
    group.bench_function("one_query_against_14000", |b| {
        b.iter(|| {
            let q = next.next().expect("cycles");
            model.search(lib.store(), &index, std::slice::from_ref(q), 5).expect("matches")
        })
    });
    group.finish();
}

/// An article whose extraction gives 13 claims.
const ARTICLE: &str = "Unemployment fell to 3.5% in 2023, the ministry said. The city budget grew by 12% last year. \
Exports to China doubled since 2019, according to customs data. The mayor claimed crime dropped by 40% in two years. \
Vaccines contain microchips, a viral post said. The Eiffel Tower grows by 15 centimetres every summer. \
Tap water in the city is unsafe to drink, residents were told. The new bridge cost $2 billion, twice the estimate. \
Barack Obama released 122 Guantanamo detainees who returned to terrorism. \
70 per cent of the protesters arrested in Charlotte had out-of-state IDs, police said. \
The Great Wall of China is visible from space with the naked eye. Eating carrots improves night vision, the ad said. \
5G networks spread the coronavirus, according to posts shared 20,000 times. \
The state spent $4.2 million on the new stadium in 2021.";

fn article(c: &mut Criterion) {
    let Some(data) = data_dir() else { return };
    let dir = bench_dir();
    drop(library_14k(&data, dir.path(), &Matcher::load().expect("the model loads")));
    let doc_path = dir.path().join("article.txt");
    std::fs::write(&doc_path, ARTICLE).expect("writes");
    let lib_dir = dir.path().join("lib");
    // End to end, as `claimdesk match article.txt` does it: load the model, open the library, fill the index, load
    // and extract the document, match every claim.
    let run = || {
        let model = Matcher::load().expect("the model loads");
        let lib = Library::open(&lib_dir).expect("opens");
        let doc = claimdesk::document::load(&doc_path).expect("loads");
        let file = ReviewFile::extract(&doc, &Extractor::default());
        let queries: Vec<Query> = file
            .claims_at_threshold()
            .map(|c| Query { id: c.id.to_string(), text: c.text.clone(), fingerprint: Some(doc.fingerprint.clone()) })
            .collect();
        let m = lib.match_claims(&queries, 5, Some(&model)).expect("matches");
        (queries.len(), m)
    };
    let (claims, _) = run();
    assert_eq!(claims, 13, "the article must give 13 claims");
    let times: Vec<Duration> = (0..20)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(run());
            t.elapsed()
        })
        .collect();
    report("a 13-claim article, end to end", times);
    let mut group = c.benchmark_group("library_match");
    group.sample_size(10);
    group.bench_function("article_13_claims_end_to_end", |b| b.iter(run));
    group.finish();
}

criterion_group!(benches, import, query, article);
criterion_main!(benches);
