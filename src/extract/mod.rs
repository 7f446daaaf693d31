//! Extraction: from a document's text to scored, tagged, attributed sentences.
//!
//! The pipeline, each step in its own module:
//! 1. [`transcript`]: whether the text is a transcript ("SPEAKER: …" lines), its speakers and turns;
//! 2. [`segment`]: news-aware sentence segmentation into byte spans of the original text (in a transcript, of each
//!    turn's words, never its speaker label), with [`abbreviations`] its one list of abbreviations;
//! 3. [`boilerplate`]: follow-us prompts, newsletter calls to action, bylines, credits, "read more" and copyright
//!    lines and stage directions, which are never claims;
//! 4. [`kinds`]: claim kinds (statistic, quote, attribution, comparison, prediction, causal);
//! 5. [`attribution`]: the source a sentence credits ("according to X", "X said", ...), with the cue's span; in a
//!    transcript each sentence is also credited to its [`Speaker`];
//! 6. [`score`]: a check-worthiness score in [0, 1] from a [`Scorer`]; [`RuleScorer`] is the rule scorer, built on
//!    the sentence [`features`](mod@features) that trained scorers share, and [`model`] the trained one, which also
//!    reads a sentence's place in a transcript ([`context`]).
//!
//! Everything here is deterministic: the same text gives the same sentences, scores, speakers and spans.

pub mod abbreviations;
pub mod attribution;
pub mod boilerplate;
pub mod context;
pub mod features;
pub mod kinds;
pub mod model;
pub mod score;
pub mod segment;
pub mod transcript;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::Span;
pub use context::{Context, Prepared};
pub use features::{Features, features};
pub use score::{RuleScorer, Scorer};
pub use transcript::{Role, Transcript};

/// The scorer ClaimDesk uses unless told otherwise: the trained logistic-regression model ([`model`]), shipped in
/// `assets/claimdesk-lr.bin`. (It lives here, above both, so that [`score`] need not know [`model`], which builds
/// on it.)
pub fn default_scorer() -> Arc<dyn Scorer> {
    Arc::new(model::ShippedModel)
}

/// What a claim is, as tags: a sentence can carry several.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClaimKind {
    /// Counts, money, percentages.
    Statistic,
    /// A direct quotation.
    Quote,
    /// The sentence credits a source.
    Attribution,
    /// Comparatives and superlatives.
    Comparison,
    /// The future, plans.
    Prediction,
    /// Cause and effect.
    Causal,
}

impl ClaimKind {
    pub const ALL: [ClaimKind; 6] = [
        ClaimKind::Statistic,
        ClaimKind::Quote,
        ClaimKind::Attribution,
        ClaimKind::Comparison,
        ClaimKind::Prediction,
        ClaimKind::Causal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimKind::Statistic => "statistic",
            ClaimKind::Quote => "quote",
            ClaimKind::Attribution => "attribution",
            ClaimKind::Comparison => "comparison",
            ClaimKind::Prediction => "prediction",
            ClaimKind::Causal => "causal",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for ClaimKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The source a sentence credits, found in its text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attribution {
    /// The source's name as written ("the Wall Street Journal", "a senior Bahraini official").
    pub source: String,
    /// Where the source's name is, in the document.
    pub source_span: Span,
    /// The cue that credits it ("according to", "said", "told", "reported", "citing").
    pub cue: String,
    /// Where the cue is, in the document.
    pub cue_span: Span,
}

/// Who says a sentence of a transcript: the speaker's name ([`transcript::SpeakerInfo::name`], every label they
/// speak under merged) and role.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    pub name: String,
    /// Absent (in files and exports) for [`Role::Speaker`].
    #[serde(default, skip_serializing_if = "Role::is_speaker")]
    pub role: Role,
}

/// One sentence of a document with everything extraction found about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sentence {
    /// Byte range in the document's text, on char boundaries, without surrounding whitespace.
    pub span: Span,
    /// Check-worthiness in [0, 1]. Boilerplate scores 0.
    pub score: f32,
    /// Claim kinds, sorted, without duplicates.
    pub kinds: Vec<ClaimKind>,
    /// The source the sentence credits, if any.
    pub attribution: Option<Attribution>,
    /// Follow-us prompts, bylines, credits, stage directions and the like: never a claim, whatever the score.
    pub boilerplate: bool,
    /// In a transcript, who says it (`None` elsewhere, and for text before the first speaker label).
    pub speaker: Option<Speaker>,
}

impl Sentence {
    /// Whether this sentence is a claim at `threshold`.
    pub fn is_claim(&self, threshold: f32) -> bool {
        !self.boilerplate && self.score >= threshold
    }
}

/// Which extractor produced a set of claims: recorded in every review file as provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractorInfo {
    pub name: String,
    pub version: String,
    pub threshold: f32,
}

/// The extraction pipeline with a scorer and a threshold.
#[derive(Clone)]
pub struct Extractor {
    scorer: Arc<dyn Scorer>,
    threshold: f32,
}

impl std::fmt::Debug for Extractor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Extractor")
            .field("scorer", &self.scorer.name())
            .field("version", &self.scorer.version())
            .field("threshold", &self.threshold)
            .finish()
    }
}

impl Default for Extractor {
    fn default() -> Self {
        Self::new(default_scorer())
    }
}

impl Extractor {
    /// An extractor with `scorer` at the scorer's default threshold.
    pub fn new(scorer: Arc<dyn Scorer>) -> Self {
        let threshold = scorer.default_threshold();
        Self { scorer, threshold }
    }

    /// The same extractor at another threshold (clamped to [0, 1]).
    pub fn with_threshold(mut self, threshold: f32) -> Self {
        self.threshold = if threshold.is_nan() { self.threshold } else { threshold.clamp(0.0, 1.0) };
        self
    }

    pub fn threshold(&self) -> f32 {
        self.threshold
    }

    pub fn scorer(&self) -> &dyn Scorer {
        &*self.scorer
    }

    pub fn info(&self) -> ExtractorInfo {
        ExtractorInfo {
            name: self.scorer.name().to_owned(),
            version: self.scorer.version().to_owned(),
            threshold: self.threshold,
        }
    }

    /// Every sentence of `text`, scored, tagged and attributed, in document order.
    pub fn sentences(&self, text: &str) -> Vec<Sentence> {
        self.sentences_with_progress(text, &mut |_| true)
    }

    /// Like [`Extractor::sentences`], calling `progress(bytes_done)` now and then; when it returns `false`,
    /// extraction stops early and returns the sentences found so far.
    pub fn sentences_with_progress(&self, text: &str, progress: &mut dyn FnMut(usize) -> bool) -> Vec<Sentence> {
        // The lines, found once, serve transcript detection and segmentation both.
        let lines = segment::lines(text);
        if let Some(t) = transcript::detect_in_lines(text, &lines) {
            return self.transcript_sentences(text, &t, progress);
        }
        let spans = segment::sentences_of_lines(text, &lines);
        let mut out = Vec::with_capacity(spans.len());
        let mut last_report = 0usize;
        for span in spans {
            if span.start >= last_report + 64 * 1024 {
                last_report = span.start;
                if !progress(span.start) {
                    break;
                }
            }
            out.push(self.analyse_plain(text, span));
        }
        progress(text.len());
        out
    }

    /// The sentences of `text` that are claims at this extractor's threshold.
    pub fn claims(&self, text: &str) -> Vec<Sentence> {
        let threshold = self.threshold;
        self.sentences(text).into_iter().filter(|s| s.is_claim(threshold)).collect()
    }

    /// The sentences of the transcript `t` of `text`: each turn's words segmented (never its label), each sentence
    /// credited to its speaker and scored in its [`Context`].
    fn transcript_sentences(
        &self,
        text: &str,
        t: &Transcript,
        progress: &mut dyn FnMut(usize) -> bool,
    ) -> Vec<Sentence> {
        let prepared = context::prepare(text, t);
        let speakers: Vec<Speaker> =
            t.speakers.iter().map(|s| Speaker { name: s.name.clone(), role: s.role }).collect();
        let mut out = Vec::with_capacity(prepared.len());
        let mut last_report = 0usize;
        for p in &prepared {
            if p.span.start >= last_report + 64 * 1024 {
                last_report = p.span.start;
                if !progress(p.span.start) {
                    break;
                }
            }
            let speaker = p.turn.map(|k| speakers[t.turns[k].speaker].clone());
            out.push(self.finish(text, p, speaker));
        }
        progress(text.len());
        out
    }

    /// Analyse one sentence span of `text`: boilerplate, kinds, attribution, speaker and score. A span that is not
    /// valid in `text` (out of bounds, reversed, off a char boundary) gives a sentence with score 0 and nothing
    /// found, rather than a panic. In a transcript, the span is credited to the speaker of the turn it starts in and
    /// scored in the context of the transcript's sentence there (a reviewer's manual claim).
    pub fn analyse(&self, text: &str, span: Span) -> Sentence {
        let Some(sentence) = span.slice(text) else {
            return Sentence::nothing(span, false);
        };
        let boilerplate = context::is_boilerplate(text, span, sentence);
        if let Some(t) = transcript::detect(text)
            && let Some(turn) = t.turn_at(span.start)
        {
            let context = context::prepare(text, &t)
                .into_iter()
                .find(|p| p.span.end > span.start)
                .map_or(Context::NONE, |p| p.context);
            let features = if boilerplate { Features::default() } else { features::features(sentence) };
            let prepared = Prepared { span, boilerplate, features, context, turn: None };
            let s = &t.speakers[turn.speaker];
            return self.finish(text, &prepared, Some(Speaker { name: s.name.clone(), role: s.role }));
        }
        if boilerplate {
            return Sentence::nothing(span, true);
        }
        self.analyse_sentence(span, sentence)
    }

    /// [`Extractor::analyse`] of a span of a text that is not a transcript.
    fn analyse_plain(&self, text: &str, span: Span) -> Sentence {
        let Some(sentence) = span.slice(text) else {
            return Sentence::nothing(span, false);
        };
        if context::is_boilerplate(text, span, sentence) {
            return Sentence::nothing(span, true);
        }
        self.analyse_sentence(span, sentence)
    }

    /// The attribution, kinds and score of `sentence`, at `span` of a text that is not a transcript.
    fn analyse_sentence(&self, span: Span, sentence: &str) -> Sentence {
        let attribution = attribution::find(sentence).map(|a| a.offset(span.start));
        // One feature pass serves both the kinds and the scorer.
        let f = features::features(sentence);
        let kinds = kinds::classify_with(sentence, &f, attribution.is_some());
        let score = clean(self.scorer.score_with(sentence, &f));
        Sentence { span, score, kinds, attribution, boilerplate: false, speaker: None }
    }

    /// A prepared sentence's kinds, attribution and score in its context.
    fn finish(&self, text: &str, p: &Prepared, speaker: Option<Speaker>) -> Sentence {
        let span = p.span;
        if p.boilerplate {
            return Sentence { speaker, ..Sentence::nothing(span, true) };
        }
        let sentence = &text[span.range()];
        let attribution = attribution::find(sentence).map(|a| a.offset(span.start));
        let kinds = kinds::classify_with(sentence, &p.features, attribution.is_some());
        let score = clean(self.scorer.score_in_context(sentence, &p.features, &p.context));
        Sentence { span, score, kinds, attribution, boilerplate: false, speaker }
    }
}

/// A scorer's NaN must not leak into review files (NaN is not valid JSON): it reads as "no evidence".
fn clean(raw: f32) -> f32 {
    if raw.is_nan() { 0.0 } else { raw.clamp(0.0, 1.0) }
}

impl Sentence {
    /// A sentence with nothing found: score 0, no kinds, no attribution, no speaker.
    fn nothing(span: Span, boilerplate: bool) -> Self {
        Sentence { span, score: 0.0, kinds: Vec::new(), attribution: None, boilerplate, speaker: None }
    }
}

impl Attribution {
    /// Shift the spans by `delta` bytes: attribution is found within a sentence and mapped into the document.
    pub fn offset(self, delta: usize) -> Self {
        Self { source_span: self.source_span.offset(delta), cue_span: self.cue_span.offset(delta), ..self }
    }
}
