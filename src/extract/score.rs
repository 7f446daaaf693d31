//! Check-worthiness scoring: the [`Scorer`] trait and the rule scorer built on [`features`](mod@super::features).
//!
//! [`RuleScorer`] adds hand-set weights over a sentence's features and squashes the sum into [0, 1] with the logistic
//! function. What raises a score: quantities (numbers, money, percentages), attribution cues, names, comparisons,
//! causes, plans, a sentence long enough to state something. What lowers it: questions, opinions ("I think"),
//! hedges, first and second person. The default threshold, 0.25, favours recall: a reviewer can dismiss a sentence
//! quickly but never sees one that was not extracted. On ClaimBuster's crowdsourced sentences (check-worthy =
//! verdict 1) it gives precision 0.50, recall 0.67, F1 0.57, the best F1 of the thresholds tried.

use super::context::Context;
use super::features::{Features, features};

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
    /// The score of one sentence whose [`Features`] the extractor has already computed (it needs them for the claim
    /// kinds). Scorers built on the features override this to avoid a second pass; it must equal
    /// [`Scorer::score`].
    fn score_with(&self, sentence: &str, features: &Features) -> f32 {
        let _ = features;
        self.score(sentence)
    }
    /// The score of one sentence in its [`Context`] (where it sits in a transcript; [`Context::NONE`] elsewhere).
    /// Scorers that read no context keep this default, [`Scorer::score_with`].
    fn score_in_context(&self, sentence: &str, features: &Features, context: &Context) -> f32 {
        let _ = context;
        self.score_with(sentence, features)
    }
}

/// A rule- and feature-based scorer: fixed weights over [`Features`], no training data needed.
#[derive(Debug, Clone, Copy, Default)]
pub struct RuleScorer;

impl RuleScorer {
    /// The default threshold; see the module documentation for why it is low.
    pub const THRESHOLD: f32 = 0.25;

    /// The score of a sentence with these features: the logistic function of [`RuleScorer::WEIGHTS`] applied to
    /// [`RuleScorer::inputs`], plus [`RuleScorer::BIAS`].
    pub fn score_features(f: &Features) -> f32 {
        let x = Self::inputs(f);
        let z = Self::BIAS + x.iter().zip(Self::WEIGHTS).map(|(x, w)| x * w).sum::<f32>();
        1.0 / (1.0 + (-z).exp())
    }

    /// The rule inputs of a sentence, in the order of [`RuleScorer::INPUTS`]: flags as 0/1, small counts capped.
    pub fn inputs(f: &Features) -> [f32; N_INPUTS] {
        let min = |n: u32, cap: u32| n.min(cap) as f32;
        let yes = |b: bool| if b { 1.0 } else { 0.0 };
        let quantities = f.numbers.saturating_sub(f.years);
        [
            yes(quantities > 0),
            yes(quantities > 1),
            yes(f.number_words > 0),
            yes(f.money),
            yes(f.percent),
            yes(f.year),
            yes(f.date_word),
            min(f.comparatives + f.superlatives, 2),
            yes(f.attribution_cues > 0),
            yes(f.quote_marks >= 2),
            min(f.capitalised, 4),
            yes(f.acronyms > 0),
            yes(f.causal > 0),
            yes(f.future > 0),
            min(f.hedges, 2),
            min(f.first_person, 3),
            min(f.second_person, 2),
            min(f.opinion, 2),
            yes(f.question),
            min(f.words, 25) / 25.0,
            yes(f.words < 6),
            min(f.negations, 2),
        ]
    }

    /// The names of [`RuleScorer::inputs`].
    pub const INPUTS: [&'static str; N_INPUTS] = [
        "quantity",
        "several_quantities",
        "number_word",
        "money",
        "percent",
        "year",
        "date_word",
        "comparisons",
        "attribution_cue",
        "quotation",
        "capitalised",
        "acronym",
        "causal",
        "future",
        "hedges",
        "first_person",
        "second_person",
        "opinion",
        "question",
        "length",
        "short",
        "negations",
    ];

    /// The weight of each input. Fitted by logistic regression on the rule inputs of ClaimBuster's crowdsourced
    /// sentences (check-worthy = verdict 1), rounded, then two set by hand for news: `quotation` and `future` came out
    /// negative on debate transcripts (promises, quoted opponents) but quotations and predictions are what news
    /// claims are made of, so both are 0.
    pub const WEIGHTS: [f32; N_INPUTS] = [
        1.31, 0.22, 1.14, 0.78, 1.34, 0.94, 0.38, 0.37, 0.72, 0.0, 0.24, 0.58, 0.33, 0.0, -0.33, -0.34, -0.30, -0.94,
        -1.21, 1.17, -0.05, 0.0,
    ];

    /// The constant term.
    pub const BIAS: f32 = -2.07;
}

/// The number of rule inputs.
pub const N_INPUTS: usize = 22;

impl Scorer for RuleScorer {
    fn name(&self) -> &str {
        "claimdesk-rules"
    }
    fn version(&self) -> &str {
        "1.0.0"
    }
    fn default_threshold(&self) -> f32 {
        Self::THRESHOLD
    }
    fn score(&self, sentence: &str) -> f32 {
        Self::score_features(&features(sentence))
    }
    fn score_with(&self, _sentence: &str, features: &Features) -> f32 {
        Self::score_features(features)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(s: &str) -> f32 {
        RuleScorer.score(s)
    }

    #[test]
    fn scores_are_in_unit_range() {
        for s in ["", "?", "I think you might maybe wonder, don't you?", &"In 2021 $5 7% said Gantz ".repeat(50)] {
            let x = score(s);
            assert!((0.0..=1.0).contains(&x), "{s:?}: {x}");
        }
    }

    #[test]
    fn statistics_outscore_opinions_and_questions() {
        let stat = score("Israel has sold more than $3 billion in arms to the Gulf nations, Gantz said.");
        let opinion = score("I think we all want what is best for our kids.");
        let question = score("What are you going to do about it?");
        assert!(stat >= RuleScorer::THRESHOLD, "{stat}");
        assert!(opinion < RuleScorer::THRESHOLD, "{opinion}");
        assert!(question < RuleScorer::THRESHOLD, "{question}");
        assert!(stat > opinion && stat > question);
    }

    #[test]
    fn short_fragments_are_not_claims() {
        assert!(score("Thank you.") < RuleScorer::THRESHOLD);
        assert!(score("Well, no.") < RuleScorer::THRESHOLD);
    }

    #[test]
    fn attribution_raises_the_score() {
        let plain = score("Bahrain has been working with the Mossad to train its officers.");
        let credited = score("Bahrain has been working with the Mossad to train its officers, the official said.");
        assert!(credited > plain);
    }

    #[test]
    fn score_with_features_equals_score() {
        let s = "Israel has sold more than $3 billion in arms to the Gulf nations, Gantz said.";
        assert_eq!(RuleScorer.score_with(s, &features(s)).to_bits(), score(s).to_bits());
    }

    #[test]
    fn deterministic() {
        let s = "In 2021, 7% of Israel's military sales went to Abraham Accords countries.";
        assert_eq!(score(s).to_bits(), score(s).to_bits());
    }
}
