//! Where a sentence sits: what a transcript tells a scorer beyond the sentence's own words.
//!
//! [`prepare`] cuts a text into sentences and, for each, finds what every scorer needs: whether it is boilerplate,
//! its [`Features`], and its [`Context`]. Outside a transcript the context is all zero. In a transcript
//! ([`super::transcript`]) it says who speaks and how: the speaker's role (moderator, audience), their share of the
//! words spoken, where in the transcript the sentence is, whether it opens its turn, how long the turn is, whether a
//! neighbouring sentence of the turn states a quantity, and whether the turn answers a question. The extractor and
//! the trainer ([`crate::train`]) both go through [`prepare`], so a model is trained on exactly the inputs it is
//! scored with.

use super::features::{Features, features};
use super::transcript::{self, Role, Transcript};
use super::{boilerplate, segment};
use crate::Span;

/// The number of context inputs.
pub const N_CONTEXT: usize = 8;

/// What a transcript says about a sentence: numbers in [0, 1] named by [`Context::NAMES`], all zero outside a
/// transcript.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Context {
    pub inputs: [f32; N_CONTEXT],
    /// The sentence is in a transcript (a scorer may weigh its words as a transcript's).
    pub transcript: bool,
}

impl Context {
    /// No context: a sentence outside a transcript, or scored on its own.
    pub const NONE: Context = Context { inputs: [0.0; N_CONTEXT], transcript: false };

    /// The name of each input.
    pub const NAMES: [&'static str; N_CONTEXT] = [
        "moderator",
        "audience",
        "speaker_share",
        "position",
        "turn_start",
        "turn_length",
        "neighbour_quantity",
        "answers_question",
    ];
}

/// One sentence of a text, ready to be scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub span: Span,
    /// Never a claim, whatever a scorer says (see [`super::boilerplate`]); a stage direction is boilerplate.
    pub boilerplate: bool,
    pub features: Features,
    pub context: Context,
    /// The transcript turn ([`Transcript::turns`]) the sentence is in, if any.
    pub turn: Option<usize>,
}

/// Whether the sentence at `span` of `text` is boilerplate: a follow-us prompt, a byline, a label, a stage direction.
pub fn is_boilerplate(text: &str, span: Span, sentence: &str) -> bool {
    boilerplate::is_boilerplate(sentence)
        || boilerplate::is_label(text, span)
        || boilerplate::is_stage_direction(sentence)
}

/// The sentences of any text, prepared: a transcript's through [`prepare`], any other text's with no context.
pub fn prepare_text(text: &str) -> Vec<Prepared> {
    if let Some(t) = transcript::detect(text) {
        return prepare(text, &t);
    }
    segment::sentences(text)
        .into_iter()
        .map(|span| {
            let sentence = &text[span.range()];
            let boilerplate = is_boilerplate(text, span, sentence);
            let features = if boilerplate { Features::default() } else { features(sentence) };
            Prepared { span, boilerplate, features, context: Context::NONE, turn: None }
        })
        .collect()
}

/// The sentences of the transcript `t` of `text`, prepared: the preamble segmented as any text, each turn's words
/// (never its label) line by line.
pub fn prepare(text: &str, t: &Transcript) -> Vec<Prepared> {
    let mut spans = Vec::new();
    let mut turn_of = Vec::new();
    if !t.preamble.is_empty() {
        let wrapped = segment::is_hard_wrapped(&text[t.preamble.range()]);
        for para in segment::paragraphs(&text[t.preamble.range()], wrapped) {
            segment::sentences_in(text, para.offset(t.preamble.start), &mut spans);
        }
        turn_of.resize(spans.len(), None);
    }
    for (k, turn) in t.turns.iter().enumerate() {
        segment::sentences_in(text, turn.body, &mut spans);
        turn_of.resize(spans.len(), Some(k));
    }
    let mut out: Vec<Prepared> = spans
        .iter()
        .zip(&turn_of)
        .map(|(&span, &turn)| {
            let sentence = &text[span.range()];
            let boilerplate = is_boilerplate(text, span, sentence);
            let features = if boilerplate { Features::default() } else { features(sentence) };
            Prepared { span, boilerplate, features, context: Context::NONE, turn }
        })
        .collect();
    fill_contexts(text, t, &mut out);
    out
}

/// Fill in each prepared sentence's [`Context`].
fn fill_contexts(text: &str, t: &Transcript, out: &mut [Prepared]) {
    let total_words: usize = t.speakers.iter().map(|s| s.words).sum::<usize>().max(1);
    let len = text.len().max(1) as f32;
    // The sentences of each run (turn), as a range of `out`: consecutive, since turns are in text order.
    let runs = t.runs();
    let mut run_range = vec![(usize::MAX, 0usize); runs];
    for (i, p) in out.iter().enumerate() {
        if let Some(k) = p.turn {
            let r = &mut run_range[t.turns[k].run];
            r.0 = r.0.min(i);
            r.1 = i + 1;
        }
    }
    // Whether each run asks a question.
    let mut asks = vec![false; runs];
    for turn in &t.turns {
        asks[turn.run] |= text[turn.body.range()].contains('?');
    }
    let quantity: Vec<bool> = out.iter().map(|p| !p.boilerplate && p.features.has_quantity()).collect();
    for (i, p) in out.iter_mut().enumerate() {
        let position = p.span.start as f32 / len;
        p.context.transcript = true;
        let Some(k) = p.turn else {
            p.context.inputs[3] = position;
            continue;
        };
        let turn = t.turns[k];
        let speaker = &t.speakers[turn.speaker];
        let (first, end) = run_range[turn.run];
        let flag = |b: bool| if b { 1.0 } else { 0.0 };
        let neighbours = [i.checked_sub(1).filter(|&j| j >= first), Some(i + 1).filter(|&j| j < end)];
        let quantity_near = neighbours.iter().flatten().filter(|&&j| quantity[j]).count() as f32 / 2.0;
        p.context.inputs = [
            flag(speaker.role == Role::Moderator),
            flag(speaker.role == Role::Audience),
            speaker.words as f32 / total_words as f32,
            position,
            flag(i == first),
            (end - first).min(20) as f32 / 20.0,
            quantity_near,
            flag(turn.run > 0 && asks[turn.run - 1]),
        ];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::transcript::detect;

    #[test]
    fn turns_give_context_and_labels_are_never_sentences() {
        let text = "MODERATOR (Lester Holt): What will you do about jobs? Tell us.\n\
                    CLINTON: We will create 10 million jobs. That is my plan.\n\
                    (APPLAUSE)\n\
                    HOLT: Thank you. What about trade?\n\
                    TRUMP: We lose $800 billion a year on trade.\n";
        let t = detect(text).expect("a transcript");
        let p = prepare(text, &t);
        let sentences: Vec<&str> = p.iter().map(|p| &text[p.span.range()]).collect();
        assert_eq!(
            sentences,
            [
                "What will you do about jobs?",
                "Tell us.",
                "We will create 10 million jobs.",
                "That is my plan.",
                "(APPLAUSE)",
                "Thank you.",
                "What about trade?",
                "We lose $800 billion a year on trade."
            ]
        );
        assert!(p[4].boilerplate, "a stage direction is boilerplate");
        let moderator = Context::NAMES.iter().position(|&n| n == "moderator").unwrap();
        assert_eq!(p[0].context.inputs[moderator], 1.0);
        assert_eq!(p[2].context.inputs[moderator], 0.0);
        // CLINTON's second sentence has a neighbour with a quantity; her turn answers a question and opens with the
        // first sentence.
        assert_eq!(p[3].context.inputs[6], 0.5);
        assert_eq!(p[2].context.inputs[7], 1.0);
        assert_eq!((p[2].context.inputs[4], p[3].context.inputs[4]), (1.0, 0.0));
        for c in p.iter().map(|p| p.context) {
            assert!(c.inputs.iter().all(|x| (0.0..=1.0).contains(x)), "{c:?}");
        }
    }
}
