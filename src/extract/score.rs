//! Check-worthiness scoring. (Placeholder: the extraction work replaces the rules.)

use std::sync::Arc;

/// Scores one sentence's check-worthiness in [0, 1]. Implementations are deterministic and thread-safe.
pub trait Scorer: Send + Sync {
    /// A stable name recorded in review files ("claimdesk-rules").
    fn name(&self) -> &str;
    /// The scorer's version, recorded in review files.
    fn version(&self) -> &str;
    /// The threshold at and above which a sentence is a claim by default.
    fn default_threshold(&self) -> f32;
    /// The score of one sentence, in [0, 1].
    fn score(&self, sentence: &str) -> f32;
}

/// The scorer ClaimDesk uses unless told otherwise.
pub fn default_scorer() -> Arc<dyn Scorer> {
    Arc::new(RuleScorer)
}

/// A rule- and feature-based scorer.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleScorer;

impl Scorer for RuleScorer {
    fn name(&self) -> &str {
        "claimdesk-rules"
    }
    fn version(&self) -> &str {
        "0.1.0"
    }
    fn default_threshold(&self) -> f32 {
        0.5
    }
    fn score(&self, sentence: &str) -> f32 {
        if sentence.chars().any(|c| c.is_ascii_digit()) { 0.8 } else { 0.4 }
    }
}
