//! Extraction throughput, end to end (segmentation, boilerplate, features, attribution, kinds, scoring), on a
//! deterministic 10 MB corpus of news-like text; the scorer alone, one sentence at a time; loading its weights.

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

/// Loading the shipped weights (done once, at start): the issue asks for well under 50 ms.
fn model_load(c: &mut Criterion) {
    use claimdesk::extract::model::{LinearModel, SHIPPED};
    c.bench_function("model_load", |b| b.iter(|| LinearModel::from_bytes(std::hint::black_box(SHIPPED)).is_ok()));
}

criterion_group!(benches, extraction, model_load);
criterion_main!(benches);
