//! Extraction throughput, end to end (segmentation, boilerplate, features, attribution, kinds, scoring), on a
//! deterministic 10 MB corpus of news-like text; and the scorer alone, one sentence at a time.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use claimdesk::extract::Extractor;

fn extraction(c: &mut Criterion) {
    let text = claimdesk::corpus::generate(42, 10 * 1024 * 1024);
    let ex = Extractor::default();
    let mut group = c.benchmark_group("extract");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(text.len() as u64));
    group.bench_function("sentences_10MB", |b| b.iter(|| ex.sentences(std::hint::black_box(&text))));
    // The scorer alone, as `claimdesk score` uses it: the text's sentences, one by one.
    let sentences: Vec<&str> = ex.sentences(&text).iter().map(|s| &text[s.span.range()]).collect();
    let bytes: usize = sentences.iter().map(|s| s.len()).sum();
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("score_only_10MB", |b| b.iter(|| sentences.iter().map(|s| ex.scorer().score(s)).sum::<f32>()));
    group.finish();
}

criterion_group!(benches, extraction);
criterion_main!(benches);
