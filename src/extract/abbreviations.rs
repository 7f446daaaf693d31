//! Abbreviations: the one list of the short words written with a full stop that segmentation and attribution both
//! need to know.
//!
//! Each word is listed once, with what it is ([`Abbreviation`]): a title or other abbreviation that is always
//! followed by more of its sentence ("Mr.", "Dr.", "Gen.", "e.g.", "vs."), one that can also end a sentence ("Inc.",
//! "Co.", "Jr.", "etc.", "St."), or a month ("Jan."). [`super::segment`] never cuts after the first kind and cuts after
//! the second only when what follows starts a new sentence; [`super::attribution`] reads every kind as part of a
//! name, not a clause break. Dotted abbreviations ("U.S.", "a.m.", "Ph.D.") need no list: their inner dots say what
//! they are, and [`dotted`] tells them from web addresses.

/// What an abbreviation written with a full stop is, for deciding whether that full stop ends a sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Abbreviation {
    /// Always followed by more of the sentence: titles before a name ("Mr.", "Gen.", "Sen."), and "e.g.", "vs.",
    /// "approx.", "Fig.", "pp.".
    NeverFinal,
    /// Often ends a sentence too ("… Apple Inc. The company …", "… pens, ink, etc. The shop …").
    MaybeFinal,
    /// A month ("Jan."): before a day number it never ends a sentence; otherwise like [`Abbreviation::MaybeFinal`].
    Month,
}

/// What `word` (without its full stop, case as written) is as an abbreviation, or `None` for an ordinary word.
pub fn classify(word: &str) -> Option<Abbreviation> {
    use Abbreviation::*;
    // One `match` over the literal words: the compiler turns it into length and byte comparisons, and segmentation
    // asks this at every full stop.
    Some(match word {
        // Titles and honorifics, always followed by a name.
        "Mr" | "Mrs" | "Ms" | "Dr" | "Prof" | "Gen" | "Lt" | "Col" | "Maj" | "Capt" | "Sgt" | "Cpl" | "Pvt" | "Adm"
        | "Cmdr" | "Brig" | "Gov" | "Sen" | "Rep" | "Rev" | "Hon" | "Pres" | "Supt" | "Insp" | "Mt" | "Ft" | "Sec"
        | "Amb" | "Atty" | "Messrs" | "Mmes" | "Fr" => NeverFinal,
        // Other abbreviations that the sentence always goes on after.
        "vs" | "v" | "cf" | "e.g" | "i.e" | "approx" | "Fig" | "fig" | "Vol" | "vol" | "pp" | "Ch" => NeverFinal,
        // Abbreviations that can also end a sentence. "St." is "Saint" before a name and "Street" at a sentence's
        // end; "No." is "number" before a figure and the word "no" otherwise.
        "Inc" | "Corp" | "Co" | "Ltd" | "Jr" | "Sr" | "etc" | "Bros" | "Ave" | "Blvd" | "Rd" | "St" | "No" => {
            MaybeFinal
        }
        "Jan" | "Feb" | "Mar" | "Apr" | "Jun" | "Jul" | "Aug" | "Sep" | "Sept" | "Oct" | "Nov" | "Dec" => Month,
        _ => return None,
    })
}

/// Whether `word` is any listed abbreviation.
pub fn is_abbreviation(word: &str) -> bool {
    classify(word).is_some()
}

/// What a word with inner dots is ("U.S", "a.m", "example.com"; the final full stop not included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dotted {
    /// A place or body that often ends a sentence: "U.S.", "U.K.", "U.N.", "E.U.", "D.C.".
    Place,
    /// A time of day: "a.m.", "p.m.".
    Time,
    /// Initials run together ("J.K.", "J.R.R.").
    Initials,
    /// Any other dotted abbreviation: every piece one or two letters ("Ph.D", "i.e").
    Other,
    /// A web or e-mail address, a file name or a version ("example.com", "report.pdf"): a piece of three characters
    /// or more. A full stop after it is punctuation, not part of an abbreviation.
    Address,
}

/// What the dotted word `word` is; `None` when it has no inner dot.
pub fn dotted(word: &str) -> Option<Dotted> {
    if !word.contains('.') {
        return None;
    }
    if word.split('.').any(|piece| piece.chars().count() > 2) {
        return Some(Dotted::Address);
    }
    Some(match word {
        "U.S" | "U.K" | "U.N" | "E.U" | "D.C" | "U.S.A" | "U.A.E" | "N.Y" | "L.A" | "N.Z" | "S.A" => Dotted::Place,
        "a.m" | "p.m" | "A.M" | "P.M" => Dotted::Time,
        w if w.split('.').all(|p| p.len() == 1 && p.bytes().all(|b| b.is_ascii_uppercase())) => Dotted::Initials,
        _ => Dotted::Other,
    })
}

/// Capitalised words that often follow "U.S.", "U.K." or "U.N." inside one name ("the U.S. Army", "the U.N.
/// Security Council"): after a place abbreviation they continue the sentence.
pub fn continues_place(word: &str) -> bool {
    matches!(
        word,
        "Army"
            | "Navy"
            | "Air"
            | "Marine"
            | "Marines"
            | "Coast"
            | "Space"
            | "Forces"
            | "Senate"
            | "House"
            | "Congress"
            | "Parliament"
            | "Government"
            | "Embassy"
            | "Ambassador"
            | "President"
            | "Secretary"
            | "Attorney"
            | "Department"
            | "Treasury"
            | "Supreme"
            | "District"
            | "Court"
            | "Open"
            | "Census"
            | "Security"
            | "General"
            | "Special"
            | "Border"
            | "Customs"
            | "Defense"
            | "Defence"
            | "Chamber"
            | "Federal"
            | "National"
            | "Capitol"
            | "Central"
            | "Commerce"
            | "Labor"
            | "Postal"
            | "Mint"
            | "Geological"
            | "Food"
            | "Health"
            | "Office"
            | "Bureau"
            | "Agency"
            | "Trade"
            | "Olympic"
            | "Steel"
            | "Bank"
            | "Marshals"
            | "Representative"
            | "Rep"
            | "Sen"
            | "Gen"
            | "Navy's"
            | "Army's"
            | "Route"
            | "Highway"
            | "Virgin"
            | "Civil"
            | "Human"
            | "Refugee"
            | "High"
            | "Commissioner"
            | "Envoy"
            | "Mission"
            | "Charter"
            | "Women"
            | "Climate"
            | "Development"
            | "Peacekeeping"
            | "Prime"
            | "Foreign"
            | "Home"
            | "Ministry"
            | "Minister"
    )
}

/// Words that after "a.m." or "p.m." continue the sentence: time zones and days ("5 p.m. Eastern", "10 a.m. Monday").
pub fn continues_time(word: &str) -> bool {
    matches!(
        word,
        "Eastern"
            | "Central"
            | "Pacific"
            | "Mountain"
            | "Atlantic"
            | "ET"
            | "EST"
            | "EDT"
            | "CT"
            | "CST"
            | "CDT"
            | "PT"
            | "PST"
            | "PDT"
            | "MT"
            | "MST"
            | "MDT"
            | "GMT"
            | "UTC"
            | "BST"
            | "CET"
            | "CEST"
            | "IST"
            | "JST"
            | "Monday"
            | "Tuesday"
            | "Wednesday"
            | "Thursday"
            | "Friday"
            | "Saturday"
            | "Sunday"
            | "Mon"
            | "Tue"
            | "Wed"
            | "Thu"
            | "Fri"
            | "Sat"
            | "Sun"
            | "Moscow"
            | "London"
            | "Paris"
            | "Beijing"
            | "Tokyo"
            | "Washington"
            | "New"
            | "local"
    )
}

/// Words that commonly open a sentence: after an abbreviation that can also end one, these mean it did.
pub fn is_common_opener(w: &str) -> bool {
    matches!(
        w,
        "The"
            | "A"
            | "An"
            | "It"
            | "He"
            | "She"
            | "They"
            | "We"
            | "I"
            | "You"
            | "This"
            | "That"
            | "These"
            | "Those"
            | "There"
            | "But"
            | "And"
            | "Or"
            | "So"
            | "Yet"
            | "In"
            | "On"
            | "At"
            | "For"
            | "From"
            | "His"
            | "Her"
            | "Their"
            | "Its"
            | "Our"
            | "My"
            | "Your"
            | "Some"
            | "Many"
            | "Most"
            | "Both"
            | "All"
            | "Each"
            | "Every"
            | "No"
            | "Few"
            | "After"
            | "Before"
            | "As"
            | "When"
            | "If"
            | "While"
            | "Since"
            | "Although"
            | "Though"
            | "Meanwhile"
            | "However"
            | "Also"
            | "According"
            | "Officials"
            | "Still"
            | "Now"
            | "Then"
            | "Last"
            | "Next"
            | "Earlier"
            | "Later"
            | "Today"
            | "Yesterday"
            | "What"
            | "Why"
            | "How"
            | "Who"
            | "Where"
            | "Which"
            | "Not"
            | "One"
            | "Two"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_keeps_todays_distinction() {
        // Titles cannot end a sentence; company and name suffixes can.
        for w in ["Mr", "Dr", "Gen", "Cmdr", "Brig", "Sec", "e.g", "vs"] {
            assert_eq!(classify(w), Some(Abbreviation::NeverFinal), "{w}");
        }
        for w in ["Co", "Corp", "Inc", "Jr", "Sr", "etc", "St", "No"] {
            assert_eq!(classify(w), Some(Abbreviation::MaybeFinal), "{w}");
        }
        assert_eq!(classify("Jan"), Some(Abbreviation::Month));
        assert_eq!(classify("May"), None, "May is never abbreviated");
        assert_eq!(classify("The"), None);
    }

    #[test]
    fn dotted_words_are_told_from_addresses() {
        assert_eq!(dotted("U.S"), Some(Dotted::Place));
        assert_eq!(dotted("p.m"), Some(Dotted::Time));
        assert_eq!(dotted("J.K"), Some(Dotted::Initials));
        assert_eq!(dotted("Ph.D"), Some(Dotted::Other));
        assert_eq!(dotted("example.com"), Some(Dotted::Address));
        assert_eq!(dotted("report.pdf"), Some(Dotted::Address));
        assert_eq!(dotted("Mr"), None);
    }
}
