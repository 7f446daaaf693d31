//! Claim matcher speed: model load, embedding throughput (import), one query against 14,000 entries including its
//! embedding, and a 13-claim article matched end to end. Uses the real CheckThat! 2020 fact-checks when
//! `../shared/data/checkthat2020-claim-retrieval` exists (CLEF 2020 CheckThat! Task 2, Shaar et al., ACL 2020),
//! else synthetic claims.
//!
//!   cargo bench --bench matching
//!
//! The million-entry memory and latency check is run by hand: `cargo run --release --example matching_million`.

use std::hint::black_box;
use std::time::Duration;

use claimdesk::library::matching::{Embedding, Encoder, MatchIndex, Reranker};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const DATA: &str = "../shared/data/checkthat2020-claim-retrieval/verified_claims.docs.tsv";

/// Fact-check (claim, title) pairs: the real ones if present, else synthetic sentences of similar length.
fn fact_checks() -> Vec<(String, String)> {
    if let Ok(file) = std::fs::File::open(DATA) {
        let mut r = csv::ReaderBuilder::new().delimiter(b'\t').flexible(true).from_reader(file);
        let rows: Vec<(String, String)> = r
            .records()
            .filter_map(Result::ok)
            .filter(|r| r.len() >= 3)
            .map(|r| (r[1].to_owned(), r[2].to_owned()))
            .collect();
        if !rows.is_empty() {
            return rows;
        }
    }
    eprintln!("{DATA} not found: synthetic fact-checks");
    let words = ["senator", "voted", "against", "the", "bill", "in", "2019", "vaccine", "causes", "million", "tax"];
    (0..10_000)
        .map(|i| {
            let claim: Vec<&str> = (0..18).map(|j| words[(i * 7 + j * 13 + j * j) % words.len()]).collect();
            (claim.join(" "), format!("Did the {} {}?", words[i % words.len()], words[(i / 3) % words.len()]))
        })
        .collect()
}

const ARTICLE: [&str; 13] = [
    "The unemployment rate fell to 3.5 percent in September, the lowest in 50 years.",
    "Crime in the city has doubled since the new mayor took office in 2018.",
    "The senator voted against funding for veterans' hospitals three times.",
    "More than 40 million Americans live in poverty, according to the census.",
    "The vaccine was tested on fewer than 100 people before approval.",
    "Wind turbines kill more birds than any other source of energy.",
    "The governor cut the education budget by $1.2 billion last year.",
    "Illegal immigrants receive more in welfare benefits than veterans do.",
    "The new law bans the sale of gasoline cars by 2030.",
    "Five thousand people were arrested during the protests in Portland.",
    "The president said he would never raise taxes on the middle class.",
    "Drinking hot water kills the coronavirus, doctors say.",
    "North Korea launched two ballistic missiles into the Sea of Japan.",
];

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("matching");
    g.sample_size(10).measurement_time(Duration::from_secs(10));
    g.bench_function("model load", |b| b.iter(|| black_box(Encoder::load().unwrap())));

    let enc = Encoder::load().unwrap();
    let docs = fact_checks();
    let claims: Vec<&str> = docs.iter().map(|d| d.0.as_str()).take(1000).collect();
    g.throughput(Throughput::Elements(claims.len() as u64));
    g.bench_function("embed 1000 fact-checks (import)", |b| b.iter(|| black_box(enc.embed(&claims))));
    g.throughput(Throughput::Elements(1));

    // 14,000 entries: the fact-checks (embedded once) repeated under new keys.
    let all: Vec<&str> = docs.iter().map(|d| d.0.as_str()).collect();
    let embedded: Vec<Embedding> = enc.embed(&all);
    let mut index = MatchIndex::new(Reranker::shipped().unwrap());
    for i in 0..14_000 {
        let j = i % docs.len();
        index.insert(i as u64, &docs[j].0, &docs[j].1, &embedded[j]);
    }
    g.bench_function("one query, 14000 entries, with its embedding", |b| {
        b.iter(|| black_box(index.search(&enc, ARTICLE[2], 5, |_| false)))
    });
    g.bench_function("13-claim article, 14000 entries", |b| {
        b.iter(|| {
            let embs = enc.embed(&ARTICLE);
            let hits: Vec<_> =
                ARTICLE.iter().zip(&embs).map(|(q, e)| index.search_embedded(q, e, 5, |_| false)).collect();
            black_box(hits)
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
