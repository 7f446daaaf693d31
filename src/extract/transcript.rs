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

/// The most bytes a label may take before its colon.
const MAX_LABEL_BYTES: usize = 90;

/// A labelled line, as found by [`label_of`]: byte offsets relative to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LineLabel {
    /// Where the label starts (after leading spaces).
    start: usize,
    /// Where the speaker's name starts (after a stage direction or a timestamp before it).
    name_start: usize,
    /// Where the label ends (before the colon, trimmed).
    end: usize,
    /// Just after the colon.
    colon_end: usize,
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

/// The label at the start of `line`, if it has one: a speaker's name (one to six capitalised words, with titles,
/// initials, a parenthesised name or party tag, and a description after a comma), then a colon followed by a space
/// or the line's end. A stage direction or a timestamp may come before the name ("(APPLAUSE) SANDERS:",
/// "[00:12:31] BIDEN:").
fn label_of(line: &str) -> Option<LineLabel> {
    let bytes = line.as_bytes();
    let start = bytes.iter().position(|&b| b != b' ' && b != b'\t')?;
    // Cheap refusals first: this runs on every line of every document.
    let first = bytes[start];
    if !(first.is_ascii_uppercase() || first == b'(' || first == b'[' || first.is_ascii_digit() || first >= 0x80) {
        return None;
    }
    let window = &bytes[start..bytes.len().min(start + MAX_LABEL_BYTES + 1)];
    // Most lines have no colon near their start: one memchr says so.
    if !window.contains(&b':') {
        return None;
    }
    let colon = (0..window.len()).find(|&k| {
        window[k] == b':' && window.get(k + 1).is_none_or(|&n| n == b' ' || n == b'\t' || n == b'\r' || n == b'\n')
    })?;
    let colon = start + colon;
    let raw = line[start..colon].trim_end();
    let end = start + raw.len();
    let name_start = start + skip_prefixes(raw);
    let name = &line[name_start..end];
    is_speaker_label(name).then_some(LineLabel { start, name_start, end, colon_end: colon + 1 })
}

/// How many bytes of `label` are stage directions and timestamps before the speaker's name.
fn skip_prefixes(label: &str) -> usize {
    let mut at = 0;
    loop {
        let rest = &label[at..];
        let skip = match rest.as_bytes().first() {
            Some(b'(') => rest.find(')').map(|k| k + 1),
            Some(b'[') => rest.find(']').map(|k| k + 1),
            Some(b) if b.is_ascii_digit() => {
                let k = rest.find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.')).unwrap_or(rest.len());
                rest[..k].contains(':').then_some(k)
            }
            _ => None,
        };
        match skip {
            Some(k) if k < rest.len() => {
                let after = &rest[k..];
                at += k + (after.len() - after.trim_start().len());
            }
            _ => return at,
        }
    }
}

/// Words that look like a label but introduce something else: notes, headers, list items, captions.
fn is_not_a_speaker(first_word: &str) -> bool {
    let lower = first_word.to_ascii_lowercase();
    // "Notes", "Editor's", "Tags" as their singular.
    let stem = lower.trim_end_matches(['.', '\'', '\u{2019}']);
    let stem = stem.strip_suffix('s').filter(|w| w.len() > 2).unwrap_or(stem);
    is_not_a_speaker_word(&lower) || is_not_a_speaker_word(stem)
}

fn is_not_a_speaker_word(w: &str) -> bool {
    matches!(
        w,
        "note"
            | "update"
            | "updated"
            | "photo"
            | "image"
            | "video"
            | "source"
            | "tag"
            | "topic"
            | "related"
            | "read"
            | "editor"
            | "correction"
            | "clarification"
            | "disclaimer"
            | "warning"
            | "step"
            | "chapter"
            | "part"
            | "section"
            | "table"
            | "figure"
            | "fig"
            | "example"
            | "subject"
            | "from"
            | "to"
            | "cc"
            | "bcc"
            | "date"
            | "re"
            | "sent"
            | "title"
            | "summary"
            | "abstract"
            | "keyword"
            | "location"
            | "time"
            | "where"
            | "when"
            | "why"
            | "what"
            | "who"
            | "how"
            | "breaking"
            | "analysis"
            | "opinion"
            | "exclusive"
            | "watch"
            | "listen"
            | "live"
            | "http"
            | "https"
            | "tip"
            | "fact"
            | "claim"
            | "verdict"
            | "rating"
            | "bottom"
            | "pros"
            | "cons"
            | "ingredient"
            | "direction"
            | "price"
            | "total"
            | "address"
            | "phone"
            | "email"
            | "e-mail"
            | "web"
            | "website"
            | "contact"
            | "author"
            | "by"
            | "credit"
            | "caption"
            | "key"
            | "the"
            | "an"
            | "this"
            | "it"
            | "in"
            | "on"
            | "at"
            | "for"
            | "and"
            | "but"
            | "as"
            | "if"
            | "we"
            | "i"
            | "he"
            | "she"
            | "they"
    )
}

/// Small words that may sit inside a name ("Secretary of State", "Ursula von der Leyen").
fn is_name_connective(w: &str) -> bool {
    matches!(
        w,
        "of" | "de"
            | "del"
            | "della"
            | "van"
            | "von"
            | "der"
            | "den"
            | "la"
            | "le"
            | "da"
            | "di"
            | "du"
            | "bin"
            | "al"
            | "el"
            | "y"
            | "and"
            | "the"
            | "for"
    )
}

/// Whether `name` (a label without its colon or prefixes) names a speaker.
fn is_speaker_label(name: &str) -> bool {
    if name.is_empty() || name.len() > MAX_LABEL_BYTES || !name.starts_with(char::is_uppercase) {
        return false;
    }
    if name
        .contains(['?', '!', ';', '"', '\u{201C}', '\u{201D}', '/', '@', '#', '*', '=', '<', '>', '|', '{', '}', '\\'])
    {
        return false;
    }
    let (person, description) = match name.split_once(',') {
        Some((p, d)) => (p, Some(d)),
        None => (name, None),
    };
    let words = match name_words(person) {
        Some(w) if (1..=6).contains(&w.len()) => w,
        _ => return false,
    };
    if is_not_a_speaker(words[0]) {
        return false;
    }
    for (k, w) in words.iter().enumerate() {
        let last = k + 1 == words.len();
        let ok = if w.starts_with(|c: char| c.is_ascii_digit()) {
            // A number only as the last word ("Speaker 2"), after a word.
            last && k > 0 && w.bytes().all(|b| b.is_ascii_digit())
        } else {
            w.starts_with(char::is_uppercase) || (k > 0 && is_name_connective(w))
        };
        // A full stop only after a short word: a title or an initial ("SEN.", "J."), not a sentence's end.
        let dot_ok = !w.ends_with('.') || w.trim_end_matches('.').chars().count() <= 4;
        if !ok || !dot_ok {
            return false;
        }
    }
    match description {
        None => true,
        Some(d) => {
            let d = name_words(d);
            d.is_some_and(|d| {
                d.len() <= 8
                    && d.iter()
                        .enumerate()
                        .all(|(k, w)| w.starts_with(char::is_uppercase) || (k > 0 && is_name_connective(w)))
            })
        }
    }
}

/// The words of `s` outside parentheses; `None` when a parenthesis is left open.
fn name_words(s: &str) -> Option<Vec<&str>> {
    let mut words = Vec::new();
    let mut depth = 0usize;
    let mut word_start = None;
    for (i, c) in s.char_indices() {
        match c {
            '(' => {
                if let Some(a) = word_start.take() {
                    words.push(&s[a..i]);
                }
                depth += 1;
            }
            ')' => depth = depth.checked_sub(1)?,
            c if c.is_whitespace() => {
                if let Some(a) = word_start.take() {
                    words.push(&s[a..i]);
                }
            }
            _ if depth == 0 && word_start.is_none() => word_start = Some(i),
            _ => {}
        }
    }
    if depth > 0 {
        return None;
    }
    if let Some(a) = word_start {
        words.push(&s[a..]);
    }
    Some(words)
}

/// Role words in a label.
fn role_hint(word_upper: &str) -> Option<Role> {
    match word_upper {
        "MODERATOR" | "MODERATORS" | "HOST" | "CO-HOST" | "COHOST" | "ANCHOR" | "INTERVIEWER" | "QUESTION" | "Q"
        | "QUESTIONER" | "REPORTER" | "PANELIST" | "PANELLIST" => Some(Role::Moderator),
        "AUDIENCE" | "CROWD" | "SYSTEM" | "PROTESTER" | "PROTESTERS" | "PROTESTOR" | "CHORUS" | "AUDIENCE-MEMBER" => {
            Some(Role::Audience)
        }
        _ => None,
    }
}

/// Titles and descriptions dropped before comparing names ("SEN.", "Vice President", "Former").
fn is_title_word(word_upper: &str) -> bool {
    matches!(
        word_upper.trim_end_matches('.'),
        "MR" | "MRS"
            | "MS"
            | "MISS"
            | "DR"
            | "SEN"
            | "SENATOR"
            | "REP"
            | "REPRESENTATIVE"
            | "CONGRESSMAN"
            | "CONGRESSWOMAN"
            | "GOV"
            | "GOVERNOR"
            | "PRESIDENT"
            | "VICE"
            | "FORMER"
            | "SECRETARY"
            | "GEN"
            | "GENERAL"
            | "PROF"
            | "PROFESSOR"
            | "MAYOR"
            | "JUDGE"
            | "JUSTICE"
            | "AMB"
            | "AMBASSADOR"
            | "SPEAKER"
            | "LEADER"
            | "MAJORITY"
            | "MINORITY"
            | "HON"
            | "REV"
            | "LT"
            | "COL"
            | "ADM"
            | "CAPT"
            | "SGT"
            | "CHAIRMAN"
            | "CHAIRWOMAN"
            | "CHAIR"
            | "MINISTER"
            | "PRIME"
            | "DEPUTY"
            | "ATTORNEY"
            | "SIR"
            | "DAME"
            | "LORD"
            | "LADY"
            | "CANDIDATE"
            | "PRESIDENTIAL"
            | "NOMINEE"
            | "MEMBER"
            | "MEMBERS"
            | "UNIDENTIFIED"
            | "JR"
            | "SR"
            | "II"
            | "III"
            | "IV"
    )
}

/// A label taken apart for merging.
struct ParsedLabel<'a> {
    /// The person's name words, titles and roles dropped (original case).
    person: Vec<&'a str>,
    role: Option<Role>,
    /// The whole label, for speakers without a person's name ("AUDIENCE", "Q").
    whole: &'a str,
}

impl<'a> ParsedLabel<'a> {
    fn new(label: &'a str) -> Self {
        let name = label.split_once(',').map_or(label, |(p, _)| p).trim();
        let mut role = None;
        let mut person = Vec::new();
        // A parenthesised name stands for the person: "MODERATOR (Jane Doe)". A party tag does not: "(D-VT)".
        let inner = name.find('(').and_then(|a| name[a + 1..].find(')').map(|b| &name[a + 1..a + 1 + b]));
        let inner_is_name = inner.is_some_and(|i| {
            let w: Vec<&str> = i.split_whitespace().collect();
            !w.is_empty() && w.iter().all(|w| w.starts_with(char::is_uppercase) && !w.contains('-') && w.len() > 1)
        });
        for w in name_words(name).unwrap_or_default() {
            // "Kamala Harris of California": the complement is not the name.
            if matches!(w, "of" | "for" | "from") {
                break;
            }
            let upper = w.to_uppercase();
            if let Some(r) = role_hint(&upper) {
                role = role.or(Some(r));
            } else if !is_title_word(&upper) && !inner_is_name {
                person.push(w);
            }
        }
        if let Some(i) = inner.filter(|_| inner_is_name) {
            person = i.split_whitespace().filter(|w| !is_title_word(&w.to_uppercase())).collect();
        }
        // "AUDIENCE MEMBER", "SYSTEM": no person.
        if role == Some(Role::Audience) {
            person.clear();
        }
        Self { person, role, whole: label.trim() }
    }

    /// What labels of one person share: the surname (upper case), else the whole label.
    fn key(&self) -> String {
        match self.person.last() {
            Some(last) => last.trim_end_matches(['.', '\'', '\u{2019}']).to_uppercase(),
            None => self.whole.to_uppercase(),
        }
    }

    /// The first name, when the label has one.
    fn first_name(&self) -> Option<String> {
        (self.person.len() >= 2).then(|| self.person[0].trim_end_matches('.').to_uppercase())
    }

    /// The name to show: the person's name as written, else the whole label.
    fn display(&self) -> String {
        if self.person.is_empty() { self.whole.to_owned() } else { self.person.join(" ") }
    }
}

/// A speaker while labels are merged.
struct Merged {
    name: String,
    role: Role,
    labels: Vec<String>,
}

/// Merge labels into speakers: the speakers, and each label's speaker index.
fn merge_labels(labels: &[&str]) -> (Vec<Merged>, Vec<usize>) {
    use std::collections::HashMap;
    // Parse each distinct label once.
    let mut distinct: Vec<&str> = Vec::new();
    let mut index_of: HashMap<&str, usize> = HashMap::new();
    for &l in labels {
        index_of.entry(l).or_insert_with(|| {
            distinct.push(l);
            distinct.len() - 1
        });
    }
    let parsed: Vec<ParsedLabel> = distinct.iter().map(|l| ParsedLabel::new(l)).collect();
    // First names seen under each surname.
    let mut firsts: HashMap<String, Vec<String>> = HashMap::new();
    for p in &parsed {
        let entry = firsts.entry(p.key()).or_default();
        if let Some(f) = p.first_name()
            && !entry.contains(&f)
        {
            entry.push(f);
        }
    }
    // A person: the surname, and the first name when several share the surname (a bare surname then stays apart).
    let person_of = |p: &ParsedLabel| -> (String, Option<String>) {
        let key = p.key();
        let several = firsts.get(&key).is_some_and(|f| f.len() > 1);
        let first = if several { Some(p.first_name().unwrap_or_default()) } else { None };
        (key, first)
    };
    let mut speakers: Vec<Merged> = Vec::new();
    let mut speaker_of_person: HashMap<(String, Option<String>), usize> = HashMap::new();
    let mut speaker_of_distinct = Vec::with_capacity(parsed.len());
    for (p, label) in parsed.iter().zip(&distinct) {
        let person = person_of(p);
        let k = *speaker_of_person.entry(person).or_insert_with(|| {
            speakers.push(Merged { name: String::new(), role: Role::Speaker, labels: Vec::new() });
            speakers.len() - 1
        });
        let s = &mut speakers[k];
        s.labels.push((*label).to_owned());
        if let Some(r) = p.role
            && (s.role == Role::Speaker || r == Role::Audience)
        {
            s.role = r;
        }
        let candidate = p.display();
        if better_name(&candidate, &s.name) {
            s.name = candidate;
        }
        speaker_of_distinct.push(k);
    }
    let speaker_of = labels.iter().map(|l| speaker_of_distinct[index_of[l]]).collect();
    (speakers, speaker_of)
}

/// Whether `candidate` names a speaker better than `current`: more words, else not all in capitals.
fn better_name(candidate: &str, current: &str) -> bool {
    if current.is_empty() {
        return true;
    }
    let words = |s: &str| s.split_whitespace().count();
    let shouting = |s: &str| !s.chars().any(char::is_lowercase);
    (words(candidate), !shouting(candidate)) > (words(current), !shouting(current))
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
            include_str!("../../seeds/israel-arab-security-ties.txt"),
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

    #[test]
    fn labels_need_names_and_a_spaced_colon() {
        assert!(label_of("BIDEN: Hello.").is_some());
        assert!(label_of("  Lesley Stahl: Hello.").is_some());
        assert!(label_of("[00:12:31] BIDEN: Hello.").is_some());
        assert!(label_of("Speaker 2: Hello.").is_some());
        assert!(label_of("BIDEN:").is_some(), "a label alone on its line: the turn follows");
        assert!(label_of("Vice President Kamala Harris of California: Hi.").is_some());
        assert!(label_of("The ratio was 3:1 in 2020: odd.").is_none());
        assert!(label_of("He said this: prices rose.").is_none());
        assert!(label_of("Note: prices rose.").is_none());
        assert!(label_of("http://example.org: a site").is_none());
        assert!(label_of("What happened next? Everyone: quiet.").is_none());
        assert!(label_of("The Very Long Label With Far Too Many Capitalised Words In It: text").is_none());
    }
}
