//! Extraction speed on a text file, for A/B comparisons of two builds (`scripts/ab_extract.sh`):
//! `cargo run --release --example extract_speed -- FILE [ROUNDS]` runs `Extractor::sentences` (what
//! `cargo bench --bench extract` times) over the file ROUNDS times (default 5) and prints one line per round: the
//! MiB/s by the process's CPU time (user and system, which other programs on a busy machine disturb far less than
//! the wall clock) and by the wall clock; first, the median time of loading the shipped weights.

use std::time::Instant;

use claimdesk::extract::Extractor;
use claimdesk::extract::model::{LinearModel, SHIPPED};

/// This process's CPU time (user and system), in seconds.
fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to a rusage struct.
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) } != 0 {
        return f64::NAN;
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    secs(usage.ru_utime) + secs(usage.ru_stime)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: extract_speed FILE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(5);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        }
    };
    // Loading the shipped weights, the median of 21 loads (the window and the command line load them once).
    let mut loads: Vec<f64> = (0..21)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(LinearModel::from_bytes(std::hint::black_box(SHIPPED)).is_ok());
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    loads.sort_by(f64::total_cmp);
    println!("model load {:.2} ms", loads[loads.len() / 2]);
    let ex = Extractor::default();
    let mib = text.len() as f64 / (1024.0 * 1024.0);
    // One round to load the model and warm the caches.
    std::hint::black_box(ex.sentences(&text));
    for _ in 0..rounds {
        let (cpu, wall) = (cpu_seconds(), Instant::now());
        let sentences = ex.sentences(std::hint::black_box(&text));
        let (cpu, wall) = (cpu_seconds() - cpu, wall.elapsed().as_secs_f64());
        std::hint::black_box(sentences);
        println!("cpu {:.2} MiB/s  wall {:.2} MiB/s", mib / cpu, mib / wall);
    }
}
