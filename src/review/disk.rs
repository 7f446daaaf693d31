//! What is on disk where a review is about to be saved, so a save never replaces work it does not know about.
//!
//! A review file belongs to the document whose fingerprint it holds. Before the window saves, it asks
//! [`check_target`]: is the file still the one this session read or last wrote ([`Stamp`])? If not, does it hold a
//! review of the same document (someone else saved it: ask the reviewer), of another document (refuse, naming both),
//! or something that is not a review at all? The command line asks [`existing_review`] before `extract -o` writes
//! over a file.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// The identity of a file as it was read or written: when any of these changes, someone else wrote the file (an
/// atomic save by another program gives it a new inode; an edit in place changes its size or time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub len: u64,
    /// Modification time, nanoseconds since the Unix epoch (0 where the platform does not say).
    pub modified_ns: u128,
    /// Device and inode (0 off Unix).
    pub dev: u64,
    pub ino: u64,
}

impl Stamp {
    /// The stamp of the file at `path` now, or `None` when there is no file there.
    pub fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        let modified_ns =
            meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos());
        #[cfg(unix)]
        let (dev, ino) = {
            use std::os::unix::fs::MetadataExt;
            (meta.dev(), meta.ino())
        };
        #[cfg(not(unix))]
        let (dev, ino) = (0, 0);
        Some(Self { len: meta.len(), modified_ns, dev, ino })
    }
}

/// The document a review file on disk is about, read without validating the rest of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub title: String,
    pub fingerprint: String,
    /// How many of its claims carry review content (a status, a note, sources).
    pub reviewed: usize,
}

/// What a save to a path would replace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Nothing is there.
    Free,
    /// The file this session read or last wrote, unchanged since.
    Ours,
    /// A review of the same document (or of the text this review was carried over from) that changed since this
    /// session read or wrote it, or that this session never read: ask before replacing it.
    Changed(Holder),
    /// A review of another document: never replaced by this one.
    OtherDocument(Holder),
    /// Something that is not a review file.
    NotAReview(String),
}

/// What saving the review of the document with `fingerprint` to `path` would replace. `stamp` is the file as this
/// session read or last wrote it; `carried_from` the fingerprint of the text the review was carried over from (its
/// old file may be replaced by the carried-over review, as `claimdesk update` does).
pub fn check_target(path: &Path, stamp: Option<&Stamp>, fingerprint: &str, carried_from: Option<&str>) -> Target {
    let Some(now) = Stamp::of(path) else { return Target::Free };
    if stamp == Some(&now) {
        return Target::Ours;
    }
    match existing_review(path) {
        Ok(holder) if holder.fingerprint == fingerprint || Some(holder.fingerprint.as_str()) == carried_from => {
            Target::Changed(holder)
        }
        Ok(holder) => Target::OtherDocument(holder),
        Err(why) => Target::NotAReview(why),
    }
}

/// The document the review file at `path` is about, and how much review it holds; `Err` says why it is not a review
/// file. Only the document's title and fingerprint and the claims' reviews are read.
pub fn existing_review(path: &Path) -> Result<Holder, String> {
    #[derive(Deserialize)]
    struct Head {
        format: String,
        document: Doc,
        #[serde(default)]
        claims: Vec<ClaimHead>,
    }
    #[derive(Deserialize)]
    struct Doc {
        #[serde(default)]
        title: String,
        fingerprint: String,
    }
    #[derive(Deserialize)]
    struct ClaimHead {
        #[serde(default)]
        review: Option<super::Review>,
    }
    let bytes = super::file::read(path).map_err(|e| e.to_string())?;
    let head: Head =
        serde_json::from_slice(&bytes).map_err(|e| format!("{}: not a review file: {e}", path.display()))?;
    if head.format != super::FORMAT_NAME {
        return Err(format!("{}: not a review file (its format is \"{}\")", path.display(), head.format));
    }
    let reviewed = head.claims.iter().filter(|c| c.review.as_ref().is_some_and(super::Review::has_content)).count();
    Ok(Holder { title: head.document.title, fingerprint: head.document.fingerprint, reviewed })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;
    use crate::extract::Extractor;
    use crate::review::{ReviewFile, Status, file};

    fn review(title: &str, text: &str) -> ReviewFile {
        ReviewFile::extract(&Document::from_text(title, text), &Extractor::default())
    }

    #[test]
    fn a_save_knows_what_it_would_replace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.json");
        let mine = review("Mine", "Sales rose 7% in 2021, the ministry said.");
        let fp = mine.document.fingerprint.clone();
        assert_eq!(check_target(&path, None, &fp, None), Target::Free);

        file::save(&mine, &path).unwrap();
        let stamp = Stamp::of(&path).unwrap();
        assert_eq!(check_target(&path, Some(&stamp), &fp, None), Target::Ours);

        // Someone else saves the same document's review there: changed, and it says whose document.
        let mut theirs = mine.clone();
        theirs.claims[0].review.status = Status::Disputed;
        file::save(&theirs, &path).unwrap();
        match check_target(&path, Some(&stamp), &fp, None) {
            Target::Changed(h) => assert_eq!((h.title.as_str(), h.reviewed), ("Mine", 1)),
            other => panic!("{other:?}"),
        }
        // A review of another document is named as such, whatever the stamp.
        let other = review("Other", "Profits fell by $3 billion, the company said.");
        file::save(&other, &path).unwrap();
        let now = Stamp::of(&path).unwrap();
        assert!(matches!(check_target(&path, None, &fp, None), Target::OtherDocument(h) if h.title == "Other"));
        assert_eq!(
            check_target(&path, Some(&now), &fp, None),
            Target::Ours,
            "unless it is the file this session wrote"
        );
        // ... except the text this review was carried over from.
        let carried = other.document.fingerprint.clone();
        assert!(matches!(check_target(&path, None, &fp, Some(&carried)), Target::Changed(_)));
        // Not a review at all.
        std::fs::write(&path, b"notes").unwrap();
        assert!(matches!(check_target(&path, None, &fp, None), Target::NotAReview(why) if why.contains("r.json")));
    }
}
