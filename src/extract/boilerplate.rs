//! Boilerplate: the lines of a page that are never claims.
//!
//! News text pasted or imported from the web carries follow-us and subscribe prompts, newsletter calls to action,
//! bylines, photo credits, "read more" links, share buttons, tag lists, timestamps and copyright lines. [`is_boilerplate`] recognises them by
//! how they start and what they mention; every rule also requires the sentence to be short, so an article sentence
//! that happens to mention Twitter or a newsletter is never dropped. [`is_label`] recognises short headings and
//! labels on lines of their own.

/// Social networks and messaging apps named in follow-us prompts.
const NETWORKS: [&str; 14] = [
    "facebook",
    "twitter",
    "instagram",
    "linkedin",
    "telegram",
    "youtube",
    "tiktok",
    "whatsapp",
    "threads",
    "bluesky",
    "mastodon",
    "google news",
    "social media",
    " x ",
];

/// Whether `sentence` is boilerplate (follow-us, subscribe, newsletter, byline, photo credit, read-more, share,
/// copyright).
pub fn is_boilerplate(sentence: &str) -> bool {
    let s = sentence.trim();
    if s.is_empty() {
        return false;
    }
    // Counting stops past the limit, so a huge "sentence" costs nothing here. (Words are split at ASCII whitespace:
    // this runs on every sentence, and byte by byte is several times faster than Unicode's whitespace.)
    let words = count_words(s, 31);
    if words > 30 {
        return false;
    }
    // One lowercase copy, padded with spaces so " x " matches at either end.
    let mut low = String::with_capacity(s.len() + 2);
    low.push(' ');
    low.push_str(s);
    low.push(' ');
    low.make_ascii_lowercase();
    let t = low.trim_start();
    let starts = |p: &str| t.starts_with(p);
    let mentions = |p: &str| low.contains(p);

    // Follow-us prompts: "Follow Israel Hayom on Facebook, Twitter, and Instagram", "Like us on Facebook".
    if (starts("follow ") || starts("like us") || starts("join us") || starts("find us") || starts("connect with"))
        && NETWORKS.iter().any(|n| mentions(n))
    {
        return true;
    }
    // Subscribe prompts and newsletter calls to action.
    if starts("subscribe") || starts("sign up") || starts("signup") || starts("register now") {
        return true;
    }
    if mentions("newsletter")
        && (starts("get ")
            || starts("join ")
            || starts("don't miss")
            || starts("never miss")
            || starts("receive ")
            || starts("stay ")
            || starts("want ")
            || mentions("inbox")
            || mentions("sign up")
            || mentions("subscribe"))
    {
        return true;
    }
    // Read-more and related-content links.
    if starts("read more")
        || starts("read also")
        || starts("also read")
        || starts("read:")
        || starts("related:")
        || starts("related articles")
        || starts("related stories")
        || starts("see also")
        || starts("recommended")
        || starts("more:")
        || starts("click here")
        || starts("watch:")
        || starts("listen:")
        || starts("share this")
        || starts("share on")
        || starts("download our app")
        || starts("download the app")
    {
        return true;
    }
    // Copyright lines.
    if starts("\u{a9}") || starts("copyright") || starts("(c) ") || mentions("all rights reserved") {
        return true;
    }
    // Photo and image credits.
    if starts("photo:")
        || starts("photo by")
        || starts("photo credit")
        || starts("photos:")
        || starts("file photo")
        || starts("image:")
        || starts("image by")
        || starts("image credit")
        || starts("picture:")
        || starts("photograph:")
        || starts("credit:")
        || starts("(photo")
        || starts("[photo")
        || (words <= 15
            && (mentions("getty images") || mentions("ap photo") || mentions("shutterstock") || mentions("/reuters")))
    {
        return true;
    }
    if t.trim_end() == "advertisement" || t.trim_end() == "advertisement:" {
        return true;
    }
    // Tag lists and publication timestamps: "Tags: Israel, Bahrain", "Updated: July 12, 2022 10:00 am".
    if starts("tags:") || starts("topics:") || starts("filed under") {
        return true;
    }
    let stamp = starts("updated") || starts("published") || starts("posted") || starts("last updated");
    if stamp && words <= 12 && s.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    is_byline(s)
}

/// A stage direction: a sentence that is only bracketed notes of what happened rather than what was said,
/// "(APPLAUSE)", "[CROSSTALK]", "(LAUGHTER) (CHEERING)", "(Inaudible.)". Each note has at most six words, one of them
/// a word of the transcriber's trade (applause, laughter, crosstalk, inaudible, bell, commercial break, …), so a
/// parenthesised sentence of an article ("(See below.)") is not one.
pub fn is_stage_direction(sentence: &str) -> bool {
    let mut rest = sentence.trim();
    if !rest.starts_with(['(', '[']) {
        return false;
    }
    while !rest.is_empty() {
        let close = match rest.as_bytes()[0] {
            b'(' => ')',
            b'[' => ']',
            _ => return false,
        };
        let Some(k) = rest.find(close) else { return false };
        let inner = &rest[1..k];
        let mut words = 0;
        let mut known = false;
        for w in inner.split(|c: char| !c.is_alphanumeric() && c != '-') {
            if w.is_empty() {
                continue;
            }
            words += 1;
            known |= is_direction_word(w);
        }
        if !known || words > 6 {
            return false;
        }
        rest = rest[k + 1..].trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ';'));
    }
    true
}

/// Words transcribers put in stage directions.
fn is_direction_word(w: &str) -> bool {
    let mut buf = [0u8; 16];
    if w.len() > buf.len() {
        return false;
    }
    for (d, s) in buf.iter_mut().zip(w.bytes()) {
        *d = s.to_ascii_lowercase();
    }
    matches!(
        &buf[..w.len()],
        b"applause"
            | b"applauding"
            | b"laughter"
            | b"laughing"
            | b"laughs"
            | b"crosstalk"
            | b"cross-talk"
            | b"overtalk"
            | b"inaudible"
            | b"unintelligible"
            | b"indiscernible"
            | b"cheering"
            | b"cheers"
            | b"booing"
            | b"boos"
            | b"bell"
            | b"bells"
            | b"commercial"
            | b"music"
            | b"silence"
            | b"pause"
            | b"sighs"
            | b"chanting"
            | b"chants"
            | b"audience"
            | b"crowd"
            | b"gavel"
            | b"recess"
            | b"off-mic"
            | b"interruption"
            | b"interrupts"
            | b"interposing"
            | b"unidentified"
    )
}

/// How many runs of non-whitespace (ASCII whitespace) `s` has, counting no further than `limit`.
fn count_words(s: &str, limit: usize) -> usize {
    let mut words = 0;
    let mut in_word = false;
    for b in s.bytes() {
        let space = b.is_ascii_whitespace();
        if !space && !in_word {
            words += 1;
            if words >= limit {
                return words;
            }
        }
        in_word = !space;
    }
    words
}

/// A label: a short line of its own without closing punctuation or figures, such as a section heading ("Budget
/// news"), a menu item or a caption tag. It states nothing to check. Longer headings, and any with a figure, are
/// left to the scorer: a headline can be a claim ("Unemployment falls to 3.5% as economy adds 250,000 jobs").
pub fn is_label(text: &str, span: crate::span::Span) -> bool {
    let Some(s) = span.slice(text) else { return false };
    let s = s.trim();
    let line_start = text[..span.start].trim_end_matches([' ', '\t']).is_empty()
        || text[..span.start].trim_end_matches([' ', '\t']).ends_with('\n');
    let line_end = text[span.end..].trim_start_matches([' ', '\t', '\r']).is_empty()
        || text[span.end..].trim_start_matches([' ', '\t', '\r']).starts_with('\n');
    let closed = s.ends_with(['.', '!', '?', ':', ';', '"', '\'', '\u{201d}', '\u{2019}', ')', '\u{2026}']);
    line_start
        && line_end
        && !closed
        && s.split_whitespace().take(6).count() <= 5
        && !s.bytes().any(|b| b.is_ascii_digit())
}

/// A byline: "By Jane Doe", "By Jane Doe and John Roe, Reuters", "By JANE DOE | Staff writer". Short, starting with
/// "By " and a capitalised name, with no sentence-ending period after a lowercase word.
fn is_byline(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("By ").or_else(|| s.strip_prefix("BY ")) else {
        return false;
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    if words.is_empty() || words.len() > 10 {
        return false;
    }
    if !words[0].starts_with(|c: char| c.is_uppercase()) {
        return false;
    }
    // A byline is names and connectives: every word capitalised or one of a few small words.
    words.iter().all(|w| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        w.is_empty()
            || w.starts_with(|c: char| c.is_uppercase())
            || matches!(w, "and" | "in" | "for" | "of" | "the" | "staff" | "writer" | "reporter" | "correspondent")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follow_and_subscribe_prompts() {
        assert!(is_boilerplate("Follow Israel Hayom on Facebook, Twitter, and Instagram"));
        assert!(is_boilerplate("Follow us on X"));
        assert!(is_boilerplate("Like us on Facebook!"));
        assert!(is_boilerplate("Subscribe to Israel Hayom's daily newsletter and never miss our top stories!"));
        assert!(is_boilerplate("Sign up for our morning briefing."));
        assert!(is_boilerplate("Get our free newsletter delivered to your inbox."));
    }

    #[test]
    fn bylines_credits_read_more_copyright() {
        assert!(is_boilerplate("By Jane Doe and John Roe, Reuters"));
        assert!(is_boilerplate("BY JANE DOE"));
        assert!(is_boilerplate("Photo: Reuters"));
        assert!(is_boilerplate("Israeli soldiers in the Negev (AP Photo/Tsafrir Abayov)"));
        assert!(is_boilerplate("Benny Gantz. Photo by Getty Images"));
        assert!(is_boilerplate("Read more: Israel and Bahrain sign a defense pact"));
        assert!(is_boilerplate("\u{a9} 2022 Israel Hayom. All rights reserved."));
        assert!(is_boilerplate("Copyright 2022 The Associated Press"));
        assert!(is_boilerplate("Advertisement"));
        assert!(is_boilerplate("Updated: July 12, 2022 10:00 am"));
        assert!(is_boilerplate("Tags: Israel, Bahrain, Abraham Accords"));
    }

    #[test]
    fn short_lines_without_punctuation_are_labels() {
        let label = |text: &str, needle: &str| {
            let start = text.find(needle).unwrap();
            is_label(text, crate::span::Span::new(start, start + needle.len()))
        };
        let page = "Budget news\n\nThe deficit grew by 7% in 2023.\nSee the charts\nUnemployment falls to 3.5%\n";
        assert!(label(page, "Budget news"));
        assert!(label(page, "See the charts"));
        assert!(!label(page, "The deficit grew by 7% in 2023."), "closed by a full stop");
        assert!(!label(page, "Unemployment falls to 3.5%"), "a headline with a figure is for the scorer");
        assert!(!label("Exports rose, officials said", "Exports rose"), "not a line of its own");
        assert!(!label(
            "Israel and Bahrain sign a defence pact in Manama\n",
            "Israel and Bahrain sign a defence pact in Manama"
        ));
    }

    #[test]
    fn stage_directions() {
        for s in [
            "(APPLAUSE)",
            "[CROSSTALK]",
            "(LAUGHTER) (CHEERING)",
            "(Inaudible.)",
            "(BELL RINGS)",
            "(COMMERCIAL BREAK).",
        ] {
            assert!(is_stage_direction(s), "{s}");
        }
        for s in ["(See below.)", "(AP)", "(1)", "Applause", "(APPLAUSE) Thank you.", "(", "(a b c d e f g applause)"] {
            assert!(!is_stage_direction(s), "{s}");
        }
    }

    #[test]
    fn article_sentences_are_not_boilerplate() {
        assert!(!is_boilerplate("Follow-up talks will be held in Manama next week, the official said."));
        assert!(!is_boilerplate("Israel has sold more than $3 billion in arms to the Gulf nations, Gantz said."));
        assert!(!is_boilerplate("By 2021, 7% of Israel's military sales went to Abraham Accords countries."));
        assert!(!is_boilerplate("By then the army had left the town."));
        assert!(!is_boilerplate(
            "The minister, who has 2 million followers on Twitter, said the newsletter was run by the army."
        ));
        assert!(!is_boilerplate(
            "Published figures show 150 meetings were held in 2021, the ministry said in a report."
        ));
        assert!(!is_boilerplate(""));
    }
}
