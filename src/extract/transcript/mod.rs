//! Transcripts: debates, speeches, interviews and press conferences written as "SPEAKER: what they said".
//!
//! [`detect`] recognises a plain-text transcript from its text alone (so a review file's text always gives the same
//! answer): most of its non-empty lines, and at least three, start with a speaker label and a colon ("BIDEN: …",
//! "Lesley Stahl: …", "MODERATOR (Jane Doe): …", "SEN. BERNIE SANDERS (D-VT), PRESIDENTIAL CANDIDATE: …"), and some
//! speaker speaks more than once (a list of "Step 1: …", "Step 2: …" lines, or an e-mail's "From:", "To:", "Date:"
//! header, is not a conversation). A line without a label continues the turn above it; text before the first label
//! belongs to no one.
//!
//! The same person under two labels is one speaker: labels are compared by surname once titles, roles, party tags
//! and descriptions are dropped ("BIDEN", "Joe Biden" and "VICE PRESIDENT BIDEN" are one speaker, named "Joe
//! Biden"); two different first names under one surname stay two people, and a bare surname shared by them stays a
//! speaker of its own rather than be guessed. A speaker is a [`Role::Moderator`] when a label says so (moderator,
//! host, anchor, interviewer, question, Q) or when their turns are mostly questions: at least one question mark per
//! 100 words, and twice the rate of whoever else speaks most (on the 19 CheckThat 2019 debates and speeches, every
//! moderator and questioner asks 1.1 to 11.5 questions per 100 words, every candidate at most 0.9). The audience and
//! the transcriber's stage directions ("AUDIENCE", "SYSTEM", "CROWD") are [`Role::Audience`].

use serde::{Deserialize, Serialize};

use crate::Span;
use labels::{LineLabel, label_of, merge_labels};

mod labels;

/// What part a speaker plays in a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A candidate, an official, an interviewee: whoever the transcript is about.
    #[default]
    Speaker,
    /// Asks the questions: a moderator, host, interviewer or reporter.
    Moderator,
    /// The audience, and stage directions written as a speaker ("SYSTEM: (APPLAUSE)").
    Audience,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Speaker, Role::Moderator, Role::Audience];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Speaker => "speaker",
            Role::Moderator => "moderator",
            Role::Audience => "audience",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether this is the default role (left out of review files).
    pub fn is_speaker(&self) -> bool {
        *self == Role::Speaker
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One speaker of a transcript, all their labels merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpeakerInfo {
    /// The fullest form of their name among the labels ("Joe Biden" over "BIDEN"; "Jane Doe" for "MODERATOR (Jane
    /// Doe)").
    pub name: String,
    pub role: Role,
    /// Every label they speak under, as written, in order of first use.
    pub labels: Vec<String>,
    /// How many turns they take (a turn: consecutive labelled lines of one speaker count once).
    pub turns: usize,
    /// How many words they speak.
    pub words: usize,
    /// How many question marks they speak.
    pub questions: usize,
}

/// One labelled line and the lines without a label after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Turn {
    /// Index into [`Transcript::speakers`].
    pub speaker: usize,
    /// The label, without its colon (and with any stage direction or timestamp before it): never part of a claim.
    pub label: Span,
    /// What is said: from just after the colon to the start of the next labelled line (untrimmed).
    pub body: Span,
    /// Which turn this line belongs to: consecutive labelled lines of one speaker share it.
    pub run: usize,
}

/// A transcript's structure, derived from its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    pub speakers: Vec<SpeakerInfo>,
    /// In text order.
    pub turns: Vec<Turn>,
    /// Text before the first label (a title, a date line), which no one says.
    pub preamble: Span,
}

impl Transcript {
    /// The turn whose label or body holds byte `offset`, if any (text in the preamble has none).
    pub fn turn_at(&self, offset: usize) -> Option<&Turn> {
        let i = self.turns.partition_point(|t| t.label.start <= offset);
        let turn = self.turns.get(i.checked_sub(1)?)?;
        (offset < turn.body.end).then_some(turn)
    }

    /// How many turns (runs of one speaker) the transcript has.
    pub fn runs(&self) -> usize {
        self.turns.last().map_or(0, |t| t.run + 1)
    }
}

/// The structure of `text` when it is a transcript, else `None`.
pub fn detect(text: &str) -> Option<Transcript> {
    detect_in_lines(text, &super::segment::lines(text))
}

/// [`detect`] on `text` whose lines ([`super::segment::lines`]) have been found already.
pub fn detect_in_lines(text: &str, lines: &[Span]) -> Option<Transcript> {
    // One look at each line: does it start with a label?
    let mut labelled: Vec<(usize, LineLabel)> = Vec::new();
    let mut non_empty = 0usize;
    for span in lines {
        let (start, line) = (span.start, &text[span.range()]);
        if line.trim().is_empty() {
            continue;
        }
        non_empty += 1;
        if let Some(label) = label_of(line) {
            labelled.push((start, label));
        }
    }
    if labelled.len() < 3 || labelled.len() * 2 <= non_empty {
        return None;
    }
    // Speakers: labels merged by who they name.
    let names: Vec<&str> = labelled.iter().map(|(at, l)| &text[at + l.name_start..at + l.end]).collect();
    let (mut speakers, speaker_of) = merge_labels(&names);
    let mut lines_of = vec![0usize; speakers.len()];
    for &k in &speaker_of {
        lines_of[k] += 1;
    }
    if !lines_of.iter().any(|&n| n >= 2) {
        return None;
    }
    let mut turns = Vec::with_capacity(labelled.len());
    for (k, (at, label)) in labelled.iter().enumerate() {
        let body_end = labelled.get(k + 1).map_or(text.len(), |(next, _)| *next);
        let speaker = speaker_of[k];
        let run = match turns.last() {
            Some(Turn { speaker: prev, run, .. }) if *prev == speaker => *run,
            Some(Turn { run, .. }) => run + 1,
            None => 0,
        };
        turns.push(Turn {
            speaker,
            label: Span::new(at + label.start, at + label.end),
            body: Span::new(at + label.colon_end, body_end),
            run,
        });
    }
    let mut infos: Vec<SpeakerInfo> = speakers
        .iter_mut()
        .map(|s| SpeakerInfo {
            name: std::mem::take(&mut s.name),
            role: s.role,
            labels: std::mem::take(&mut s.labels),
            turns: 0,
            words: 0,
            questions: 0,
        })
        .collect();
    let mut last_run = usize::MAX;
    for t in &turns {
        let info = &mut infos[t.speaker];
        if t.run != last_run {
            info.turns += 1;
            last_run = t.run;
        }
        let body = &text[t.body.range()];
        info.words += body.split_ascii_whitespace().count();
        info.questions += body.bytes().filter(|&b| b == b'?').count();
    }
    assign_question_roles(&mut infos);
    let preamble = Span::new(0, turns.first().map_or(0, |t| t.label.start));
    Some(Transcript { speakers: infos, turns, preamble })
}

/// A speaker who asks at least one question per 100 words, and twice as often as whoever else speaks most, is a
/// moderator.
fn assign_question_roles(infos: &mut [SpeakerInfo]) {
    let rate = |s: &SpeakerInfo| s.questions as f64 / s.words.max(1) as f64;
    let mut moderators = Vec::new();
    for (i, s) in infos.iter().enumerate() {
        if s.role != Role::Speaker || s.turns < 2 || s.words < 20 || s.questions * 100 < s.words {
            continue;
        }
        let most_other = infos
            .iter()
            .enumerate()
            .filter(|&(j, o)| j != i && o.role != Role::Audience)
            .max_by_key(|&(_, o)| o.words)
            .map(|(_, o)| o);
        if most_other.is_none_or(|o| rate(s) >= 2.0 * rate(o)) {
            moderators.push(i);
        }
    }
    for i in moderators {
        infos[i].role = Role::Moderator;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn speakers(text: &str) -> Vec<(String, Role)> {
        let t = detect(text).expect("a transcript");
        t.speakers.into_iter().map(|s| (s.name, s.role)).collect()
    }

    const DEBATE: &str = "Presidential debate, October 2020\n\n\
        MODERATOR (Jane Doe): Good evening. Mr. Biden, what would you do about prices?\n\
        BIDEN: Prices rose 7% last year. We will cut them.\n\
        (APPLAUSE)\n\
        Jane Doe: Mr. Trump, your answer?\n\
        TRUMP: We created 7 million jobs before the pandemic.\n\
        Joe Biden: That is not true.\n";

    #[test]
    fn labels_turns_and_speakers() {
        let t = detect(DEBATE).expect("a transcript");
        assert_eq!(t.turns.len(), 5);
        assert_eq!(&DEBATE[t.turns[0].label.range()], "MODERATOR (Jane Doe)");
        assert!(DEBATE[t.turns[1].body.range()].contains("(APPLAUSE)"), "an unlabelled line continues the turn");
        assert_eq!(&DEBATE[t.preamble.range()], "Presidential debate, October 2020\n\n");
        assert_eq!(
            speakers(DEBATE),
            [
                ("Jane Doe".to_owned(), Role::Moderator),
                ("Joe Biden".to_owned(), Role::Speaker),
                ("TRUMP".to_owned(), Role::Speaker)
            ]
        );
        let offset = DEBATE.find("7 million").unwrap();
        assert_eq!(t.turn_at(offset).map(|turn| turn.speaker), Some(2));
        assert_eq!(t.turn_at(3), None, "the preamble belongs to no one");
        assert_eq!(t.speakers[1].labels, ["BIDEN", "Joe Biden"]);
    }

    #[test]
    fn titles_party_tags_and_descriptions_are_one_person() {
        let text = "SANDERS: One.\nCLINTON: Two.\nSEN. BERNIE SANDERS (D-VT), PRESIDENTIAL CANDIDATE: Three.\n\
                    HILLARY CLINTON (D-NY), FORMER SECRETARY OF STATE, PRESIDENTIAL CANDIDATE: Four.\n\
                    (APPLAUSE) SANDERS: Five.\n";
        let t = detect(text).expect("a transcript");
        assert_eq!(t.speakers.len(), 2, "{:?}", t.speakers);
        assert_eq!(t.speakers[0].name, "BERNIE SANDERS");
        assert_eq!(&text[t.turns[4].label.range()], "(APPLAUSE) SANDERS");
    }

    #[test]
    fn different_first_names_stay_apart() {
        let text = "Joe Biden: One.\nJill Biden: Two.\nJoe Biden: Three.\nBIDEN: Four.\n";
        assert_eq!(detect(text).expect("a transcript").speakers.len(), 3);
    }

    #[test]
    fn a_questioner_is_a_moderator_by_the_questions_they_ask() {
        let mut text = String::new();
        for _ in 0..4 {
            text.push_str("HOLT: What is your plan for jobs? And for taxes?\n");
            text.push_str("CLINTON: We will create 10 million jobs. Taxes will fall for the middle class. That is the plan, and it is paid for by the wealthy.\n");
        }
        text.push_str("AUDIENCE: USA!\n");
        let s = speakers(&text);
        assert_eq!(s[0], ("HOLT".to_owned(), Role::Moderator));
        assert_eq!(s[1], ("CLINTON".to_owned(), Role::Speaker));
        assert_eq!(s[2], ("AUDIENCE".to_owned(), Role::Audience));
        assert_eq!(
            detect("Q: Why?\nA: Because.\nQ: When?\nA: Now.\n").expect("an interview").speakers[0].role,
            Role::Moderator
        );
    }

    #[test]
    fn texts_that_are_not_transcripts() {
        // News with a few labelled lines, lists, e-mail headers, times and web addresses.
        for text in [
            include_str!("../../../seeds/israel-arab-security-ties.txt"),
            "Update: the vote was delayed.\nThe council met on Monday.\nMembers argued for hours.\nNothing was decided.\n",
            "Step 1: Preheat.\nStep 2: Mix.\nStep 3: Bake.\nStep 4: Serve.\n",
            "From: Jane Doe\nTo: John Roe\nDate: 2 May 2024\nSubject: Budget\n\nPlease see the figures.\n",
            "Meeting at 10:30 today.\nSee https://example.org for more.\nThe ratio was 3:1.\n",
            "Paris: the city voted.\nLondon: the city waited.\nBerlin: the city cheered.\n",
            "",
        ] {
            assert_eq!(detect(text), None, "{text:?}");
        }
    }
}
