//! Print the benchmark corpus: `cargo run --release --example corpus -- BYTES [SEED] > corpus.txt`.

use std::io::Write;

fn main() {
    let bytes: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(10 * 1024 * 1024);
    let seed: u64 = std::env::args().nth(2).and_then(|a| a.parse().ok()).unwrap_or(42);
    let text = claimdesk::corpus::generate(seed, bytes);
    let mut out = std::io::stdout().lock();
    if out.write_all(text.as_bytes()).and_then(|_| out.flush()).is_err() {
        std::process::exit(1);
    }
}
