//! Hand-run check of the claim matcher at a million entries (not CI): synthetic embeddings and short synthetic
//! texts, then peak resident memory and query latency (p50, p99, each including the query's embedding).
//!
//!   cargo run --release --example matching_million [ENTRIES]

use std::time::Instant;

use claimdesk::library::matching::{DIM, Embedding, Encoder, MatchIndex, Reranker};

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb =
        status.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok());
    kb.unwrap_or(0.0) / 1024.0
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(1_000_000);
    let enc = Encoder::load()?;
    let words = [
        "senator", "voted", "against", "bill", "vaccine", "causes", "million", "tax", "crime", "doubled", "border",
        "wall", "climate", "change", "hoax", "police", "shooting", "election", "fraud", "ballots", "covid", "masks",
    ];
    let mut index = MatchIndex::new(Reranker::shipped()?);
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let started = Instant::now();
    let mut v = vec![0f32; DIM];
    for key in 0..n as u64 {
        for x in v.iter_mut() {
            *x = ((next() >> 40) as f32 / (1u64 << 24) as f32) - 0.5;
        }
        let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
        v.iter_mut().for_each(|x| *x /= norm);
        let claim: Vec<&str> = (0..14).map(|_| words[(next() % words.len() as u64) as usize]).collect();
        let title: Vec<&str> = (0..6).map(|_| words[(next() % words.len() as u64) as usize]).collect();
        index.insert(
            key,
            &format!("{} in {}", claim.join(" "), 1990 + key % 35),
            &title.join(" "),
            &Embedding::quantize(&v),
        );
    }
    println!("{n} entries inserted in {:.1} s; peak RSS {:.0} MB", started.elapsed().as_secs_f64(), peak_rss_mb());
    let queries = [
        "The senator voted against the vaccine bill in 2019",
        "Election fraud: a million ballots found at the border",
        "Police shooting numbers doubled since 2015",
        "Climate change is a hoax, says the senator",
    ];
    let mut times = Vec::new();
    for i in 0..200 {
        let t = Instant::now();
        let hits = index.search(&enc, queries[i % queries.len()], 5, |_| false);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(hits);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "query incl. embedding: p50 {:.1} ms, p99 {:.1} ms; peak RSS {:.0} MB",
        times[times.len() / 2],
        times[times.len() * 99 / 100],
        peak_rss_mb()
    );
    Ok(())
}
