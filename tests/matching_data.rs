//! The claim matcher on CLEF 2020 CheckThat! Task 2 dev (Shaar et al., ACL 2020), read from
//! `../shared/data/checkthat2020-claim-retrieval`: its figures must stay at those this code measured (README's
//! "Claim matching quality"; `cargo run --release --example matching_eval`) within a small margin. The matcher's
//! MAP@5 is also the Python research's (0.851 for the re-ranker alone, scripts/matching/RESULTS.md), which checks that the Rust port is
//! right. Without the data it prints SKIPPED, and fails instead when CLAIMDESK_REQUIRE_DATA=1 (CI sets it and runs
//! this test in a release build).

use std::path::Path;

use claimdesk::library::matching::{Split, evaluate};

#[test]
fn dev_map_at_5_matches_the_research_figure() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/checkthat2020-claim-retrieval");
    if !dir.join("verified_claims.docs.tsv").exists() {
        assert!(
            std::env::var("CLAIMDESK_REQUIRE_DATA").as_deref() != Ok("1"),
            "CLAIMDESK_REQUIRE_DATA=1 but {} is missing",
            dir.display()
        );
        eprintln!("SKIPPED dev_map_at_5_matches_the_research_figure: {} is missing", dir.display());
        return;
    }
    // Embedding 10,375 fact-checks takes minutes unoptimised: debug builds (plain `cargo test`) say so and stop
    // unless CLAIMDESK_MATCHING_EVAL=1; run `cargo test --release --test matching_data`.
    if cfg!(debug_assertions) && std::env::var("CLAIMDESK_MATCHING_EVAL").as_deref() != Ok("1") {
        eprintln!("SKIPPED dev_map_at_5_matches_the_research_figure: debug build; run it with --release");
        return;
    }
    let r = evaluate(&dir, Split::Dev).unwrap();
    eprintln!("{r:?}");
    assert_eq!((r.queries, r.fact_checks), (197, 10_375));
    // Measured 0.750 (BM25 over claim and title, each distinct query word once).
    assert!(r.bm25.map_at_5 > 0.74 && r.bm25.map_at_5 < 0.76, "BM25 MAP@5 {}", r.bm25.map_at_5);
    // Measured 0.8503 (target 0.85; the Python research's re-ranker alone: 0.8512). One tweet moves it by ~0.005.
    assert!(r.matcher.map_at_5 >= 0.845, "matcher MAP@5 {}", r.matcher.map_at_5);
    // A top hit at 0.5 or more is right 0.962 of the time (at least 0.85 asked), for 0.665 of the tweets.
    assert!(r.matcher.precision_top_half.is_some_and(|p| p >= 0.9), "{:?}", r.matcher.precision_top_half);
    assert!(r.matcher.coverage_top_half.is_some_and(|c| c >= 0.5), "{:?}", r.matcher.coverage_top_half);
    // A claim never checked before: its best candidate marks "checked before" for 0.259 of the tweets (0.558
    // without the second calibration).
    assert!(r.absent_strong <= 0.3, "false 'checked before' for {} of the tweets", r.absent_strong);
}
