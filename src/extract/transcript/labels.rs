//! Speaker labels: what a label at a line's start looks like ("BIDEN:", "MODERATOR (Jane Doe):", "SEN. BERNIE
//! SANDERS (D-VT), PRESIDENTIAL CANDIDATE:"), and which labels name the same person. [`super::detect`] asks this of
//! every line of every document, so the common refusals come first and cost a byte test or a memchr.

use super::Role;

/// The most bytes a label may take before its colon.
const MAX_LABEL_BYTES: usize = 90;

/// A labelled line, as found by [`label_of`]: byte offsets relative to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LineLabel {
    /// Where the label starts (after leading spaces).
    pub(super) start: usize,
    /// Where the speaker's name starts (after a stage direction or a timestamp before it).
    pub(super) name_start: usize,
    /// Where the label ends (before the colon, trimmed).
    pub(super) end: usize,
    /// Just after the colon.
    pub(super) colon_end: usize,
}

/// The label at the start of `line`, if it has one: a speaker's name (one to six capitalised words, with titles,
/// initials, a parenthesised name or party tag, and a description after a comma), then a colon followed by a space
/// or the line's end. A stage direction or a timestamp may come before the name ("(APPLAUSE) SANDERS:",
/// "[00:12:31] BIDEN:").
pub(super) fn label_of(line: &str) -> Option<LineLabel> {
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
pub(super) struct Merged {
    pub(super) name: String,
    pub(super) role: Role,
    pub(super) labels: Vec<String>,
}

/// Merge labels into speakers: the speakers, and each label's speaker index.
pub(super) fn merge_labels(labels: &[&str]) -> (Vec<Merged>, Vec<usize>) {
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
