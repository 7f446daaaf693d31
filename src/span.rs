//! Byte ranges into a document's text.
//!
//! Every position ClaimDesk stores (a claim, an attribution cue, a source name) is a [`Span`]: a half-open byte range
//! `start..end` into the document's exact text, always on UTF-8 char boundaries.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub const fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// The slice of `text` this span covers, or `None` when the span is out of bounds, reversed or not on char
    /// boundaries.
    pub fn slice<'t>(&self, text: &'t str) -> Option<&'t str> {
        if self.start > self.end {
            return None;
        }
        text.get(self.start..self.end)
    }

    /// Whether this span lies inside `text` on char boundaries.
    pub fn is_valid_in(&self, text: &str) -> bool {
        self.slice(text).is_some()
    }

    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// Shift both ends by `delta` bytes (used when a span found in a slice is mapped back into the whole text).
    pub const fn offset(&self, delta: usize) -> Self {
        Self { start: self.start + delta, end: self.end + delta }
    }
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_rejects_off_boundary_and_out_of_bounds() {
        let text = "héllo";
        assert_eq!(Span::new(0, 1).slice(text), Some("h"));
        assert_eq!(Span::new(1, 2).slice(text), None, "inside the two-byte é");
        assert_eq!(Span::new(0, 99).slice(text), None);
        assert_eq!(Span::new(3, 1).slice(text), None);
    }

    #[test]
    fn overlap_and_containment() {
        let a = Span::new(0, 10);
        assert!(a.contains(Span::new(2, 10)));
        assert!(!a.contains(Span::new(2, 11)));
        assert!(a.overlaps(Span::new(9, 12)));
        assert!(!a.overlaps(Span::new(10, 12)));
    }
}
