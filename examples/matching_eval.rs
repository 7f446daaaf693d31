//! Prints the claim matcher's figures on a CheckThat! 2020 split (what `claimdesk library eval-matching` will show):
//!
//!   cargo run --release --example matching_eval [DATA_DIR] [train|dev]

use std::path::PathBuf;

use claimdesk::library::matching::{Split, evaluate};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args()
        .nth(1)
        .map_or_else(|| PathBuf::from("../shared/data/checkthat2020-claim-retrieval"), PathBuf::from);
    let split = if std::env::args().nth(2).as_deref() == Some("train") { Split::Train } else { Split::Dev };
    let started = std::time::Instant::now();
    let r = evaluate(&dir, split)?;
    println!("{r:#?}");
    println!(
        "import: {} fact-checks embedded in {:.1} s ({:.0}/s); total {:.1} s",
        r.fact_checks,
        r.embed_seconds,
        r.fact_checks as f64 / r.embed_seconds,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
