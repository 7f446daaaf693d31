//! Prints the claim matcher's figures on a CheckThat! 2020 split (CLEF 2020 CheckThat! Task 2, Shaar et al., ACL
//! 2020):
//!
//!   cargo run --release --example matching_eval [DATA_DIR] [train|dev] [--fit]
//!
//! `--fit` (on train) fits the second calibration ([`Presence`]) on the top hits scored without it, prints it, and
//! measures the split again with it. With MATCHING_TOPS=1 it also prints each tweet's top hit (score, cosine, right
//! or not), with its right fact-checks in the library and taken out.

use std::path::PathBuf;

use claimdesk::library::matching::{Presence, Report, Split, evaluate_with};

fn show(r: &Report) {
    println!("BM25: {:?}\nmatcher: {:?}", r.bm25, r.matcher);
    println!(
        "a claim never checked before (its right fact-checks taken out): top hit >= 0.5 for {:.3} of {} tweets, \
         >= 0.2 for {:.3}",
        r.absent_strong, r.queries, r.absent_shown
    );
    if std::env::var_os("MATCHING_TOPS").is_some() {
        for (score, cosine, right) in &r.present_tops {
            println!("present\t{score:.4}\t{cosine:.4}\t{right}");
        }
        for (score, cosine) in &r.absent_tops {
            println!("absent\t{score:.4}\t{cosine:.4}");
        }
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let fit = args.iter().any(|a| a == "--fit");
    let args: Vec<&String> = args.iter().filter(|a| *a != "--fit").collect();
    let dir = args.first().map_or_else(|| PathBuf::from("../shared/data/checkthat2020-claim-retrieval"), PathBuf::from);
    let split = if args.get(1).map(|s| s.as_str()) == Some("train") { Split::Train } else { Split::Dev };
    let started = std::time::Instant::now();
    let presence = if fit {
        let r = evaluate_with(&dir, split, None)?;
        println!("without the second calibration:");
        show(&r);
        let p = Presence::fit(&r.present_tops, &r.absent_tops);
        println!("fitted: {p:?}\nwith it:");
        Some(p)
    } else {
        Some(Presence::SHIPPED)
    };
    let r = evaluate_with(&dir, split, presence)?;
    show(&r);
    println!(
        "import: {} fact-checks embedded in {:.1} s ({:.0}/s); total {:.1} s",
        r.fact_checks,
        r.embed_seconds,
        r.fact_checks as f64 / r.embed_seconds,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
