//! The shared library at scale, against a real PostgreSQL server (by hand, not in CI): import N generated
//! fact-checks (default 1,000,000; new entries go in with COPY), then 8 clients, each with its own connection, match
//! claims at once through the server's full-text candidates (capped) and print the median and 99th percentile.
//!
//! `scripts/shared_library_bench.sh` starts a throwaway local server and runs this; by hand:
//! `CLAIMDESK_BENCH_PG=postgres://USER:PASSWORD@127.0.0.1:PORT/DB cargo bench --bench shared_library`
//! (`CLAIMDESK_BENCH_ENTRIES`, `CLAIMDESK_BENCH_CLIENTS`, `CLAIMDESK_BENCH_QUERIES` change the sizes). The database
//! should be empty: the benchmark imports into a source named `bench`, replacing it. Without `CLAIMDESK_BENCH_PG` it
//! prints SKIPPED. Entries are stored without embeddings (the model would take hours on 1,000,000 claims on 2 cores):
//! the figure is the server's part of a match, what the desk waits for beyond its in-memory index.

use std::path::Path;
use std::time::{Duration, Instant};

use claimdesk::library::{ImportOptions, Library, Query};

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// `n` distinct claims: sentences of the generated news corpus, numbered where one repeats.
fn claims(n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    let mut seed = 1;
    while out.len() < n {
        let text = claimdesk::corpus::generate(seed, 4_000_000);
        seed += 1;
        for s in text.split_inclusive(['.', '?', '!']) {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if s.len() >= 40 && out.len() < n {
                out.push(s);
            }
        }
    }
    out
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let Some(url) = std::env::var("CLAIMDESK_BENCH_PG").ok().filter(|u| !u.is_empty()) else {
        println!("SKIPPED: set CLAIMDESK_BENCH_PG to a PostgreSQL URL (scripts/shared_library_bench.sh starts one)");
        return;
    };
    // `cargo bench` passes --bench; nothing else is taken.
    let n = env_usize("CLAIMDESK_BENCH_ENTRIES", 1_000_000);
    let clients = env_usize("CLAIMDESK_BENCH_CLIENTS", 8);
    let per_client = env_usize("CLAIMDESK_BENCH_QUERIES", 250);

    let started = Instant::now();
    let texts = claims(n);
    let dir = tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or("/tmp".into())).expect("a temp dir");
    let feed = dir.path().join("bench.tsv");
    let mut tsv = String::with_capacity(n * 160);
    tsv.push_str("id\tclaim\tverdict\turl\tdate\n");
    for (i, t) in texts.iter().enumerate() {
        let verdict = ["False", "True", "Misleading", "Mostly false"][i % 4];
        // Quoted, as a claim may hold quotation marks.
        let t = t.replace('"', "\"\"");
        tsv.push_str(&format!("{i}\t\"{t}\"\t{verdict}\thttps://checks.example/{i}\t2024-01-{:02}\n", i % 28 + 1));
    }
    std::fs::write(&feed, tsv).expect("the feed is written");
    println!("generated {n} fact-checks in {:.1} s", started.elapsed().as_secs_f64());

    let mut lib = Library::open_location(Path::new(&url)).expect("the server");
    let options = ImportOptions { source_name: Some("bench".to_owned()), embedder: None };
    let started = Instant::now();
    let report = lib.import(std::slice::from_ref(&feed), &options, &mut |_| {}).expect("the import");
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "import: {report} in {seconds:.1} s, {:.0} fact-checks/s (file read and checked, then one transaction, COPY)",
        n as f64 / seconds
    );
    let started = Instant::now();
    let again = lib.import(&[feed], &options, &mut |_| {}).expect("the import again");
    println!("import again (nothing changed): {again} in {:.1} s", started.elapsed().as_secs_f64());

    // Queries: claims of the library with a word changed and a number dropped, as a reviewer's claim is near an
    // earlier one, spread over the whole library.
    let queries: Vec<Vec<Query>> = (0..clients)
        .map(|c| {
            (0..per_client)
                .map(|q| {
                    let i = (c * per_client + q) * 7919 % n;
                    let words: Vec<&str> =
                        texts[i].split_whitespace().filter(|w| !w.chars().any(|ch| ch.is_ascii_digit())).collect();
                    Query { id: format!("{c}-{q}"), text: words.join(" "), fingerprint: None }
                })
                .collect()
        })
        .collect();
    let barrier = std::sync::Barrier::new(clients);
    let started = Instant::now();
    let mut times: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = queries
            .iter()
            .map(|mine| {
                let (url, barrier) = (&url, &barrier);
                scope.spawn(move || {
                    let lib = Library::open_location(Path::new(url)).expect("the server");
                    barrier.wait();
                    let mut times = Vec::with_capacity(mine.len());
                    for q in mine {
                        let t = Instant::now();
                        let found = lib.match_claims(std::slice::from_ref(q), 5, None).expect("a match");
                        times.push(t.elapsed());
                        assert!(!found[0].is_empty(), "no match for {}", q.text);
                    }
                    times
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().expect("a client")).collect()
    });
    let wall = started.elapsed().as_secs_f64();
    times.sort();
    println!(
        "match ({clients} clients at once, {} queries, top 5 by the server's full-text candidates): median {:.1} ms, \
         p99 {:.1} ms, slowest {:.1} ms, {:.0} queries/s",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
        times.len() as f64 / wall
    );
    let stats = lib.stats().expect("stats");
    println!("library: {} entries, {:.0} MB on the server", stats.entries, stats.bytes as f64 / 1e6);
}
