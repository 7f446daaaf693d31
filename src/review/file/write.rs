//! Writing a review file: the layout on disk (one line per claim, what a reader can take for granted left out, the
//! lowest format version that holds everything) and the atomic save.

use serde::Serialize;
use serde::ser::{SerializeStruct, Serializer};
use std::path::Path;

use super::{ReviewError, version_to_write};
use crate::extract::ExtractorInfo;
use crate::review::{Claim, Origin, Review, ReviewFile};

/// A review file as it is written to disk. A claim leaves out what a reader can take for granted: from version 2 on,
/// its origin when that is the file's own extractor; always, its `kinds`, `attribution`, `speaker` and `review` while
/// they are empty (what every version reads an absent one as). Everything else that serialises these types (an export, a
/// recovery file) goes through their derived `Serialize` and states every field.
struct AsWritten<'a>(&'a ReviewFile);

/// A file's claims (or detached claims) as written, with the origin they may leave out.
struct ClaimsAsWritten<'a> {
    claims: &'a [Claim],
    implied: Option<&'a ExtractorInfo>,
}

struct ClaimAsWritten<'a> {
    claim: &'a Claim,
    implied: Option<&'a ExtractorInfo>,
}

impl Serialize for AsWritten<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let file = self.0;
        let version = version_to_write(file);
        let implied = (version >= 2).then_some(&file.extractor);
        // The fields in the order of `ReviewFile`'s declaration, as its derived `Serialize` writes them.
        let mut out = serializer.serialize_struct("ReviewFile", 7)?;
        out.serialize_field("format", &file.format)?;
        out.serialize_field("version", &version)?;
        out.serialize_field("document", &file.document)?;
        out.serialize_field("extractor", &file.extractor)?;
        unless(&mut out, "publication", file.publication.is_empty(), &file.publication)?;
        out.serialize_field("claims", &ClaimsAsWritten { claims: &file.claims, implied })?;
        let detached = ClaimsAsWritten { claims: &file.detached, implied };
        unless(&mut out, "detached", file.detached.is_empty(), &detached)?;
        out.end()
    }
}

/// Write the field `key`, unless `left_out`.
fn unless<S: SerializeStruct, T: Serialize + ?Sized>(
    out: &mut S,
    key: &'static str,
    left_out: bool,
    value: &T,
) -> Result<(), S::Error> {
    if left_out { out.skip_field(key) } else { out.serialize_field(key, value) }
}

impl Serialize for ClaimsAsWritten<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.claims.iter().map(|claim| ClaimAsWritten { claim, implied: self.implied }))
    }
}

impl Serialize for ClaimAsWritten<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let c = self.claim;
        let origin_implied = matches!((&c.origin, self.implied),
            (Origin::Extractor { name, version }, Some(x)) if *name == x.name && *version == x.version);
        // The fields in the order of `Claim`'s declaration.
        let mut out = serializer.serialize_struct("Claim", 11)?;
        out.serialize_field("id", &c.id)?;
        out.serialize_field("span", &c.span)?;
        out.serialize_field("text", &c.text)?;
        out.serialize_field("anchor", &c.anchor)?;
        out.serialize_field("score", &c.score)?;
        unless(&mut out, "kinds", c.kinds.is_empty(), &c.kinds)?;
        unless(&mut out, "attribution", c.attribution.is_none(), &c.attribution)?;
        unless(&mut out, "speaker", c.speaker.is_none(), &c.speaker)?;
        unless(&mut out, "origin", origin_implied, &c.origin)?;
        unless(&mut out, "dismissed", c.dismissed.is_empty(), &c.dismissed)?;
        unless(&mut out, "review", c.review == Review::default(), &c.review)?;
        out.end()
    }
}

/// A review file as one line of compact JSON (the batch's JSON Lines).
pub fn to_compact_string(file: &ReviewFile) -> String {
    // Serialising plain data structs cannot fail: there are no maps with non-string keys and no I/O.
    serde_json::to_string(&AsWritten(file)).unwrap_or_default()
}

/// Save `file` to `path` atomically, keeping the previous version as `NAME.bak`.
pub fn save(file: &ReviewFile, path: &Path) -> Result<(), ReviewError> {
    crate::atomic::write_atomic_streaming(path, crate::atomic::WriteOptions::default(), |w| write_to(file, w))?;
    Ok(())
}

/// The bytes of a review file: JSON with one line per field of the file and of the document, and one line per
/// claim, then a final newline. A claim on one line keeps the file small (a fully indented file of 20,000 claims is
/// about twice the size and takes twice as long to write and read) and makes a changed review one changed line in
/// a diff.
pub fn to_bytes(file: &ReviewFile) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(file.document.text.len() * 2 + file.claims.len() * 512);
    // Writing to a Vec cannot fail, and serialising plain data structs cannot either (no maps with non-string keys).
    let _ = write_to(file, &mut bytes);
    bytes
}

/// Write the bytes of [`to_bytes`] to `w`.
pub fn write_to<W: std::io::Write>(file: &ReviewFile, mut w: W) -> std::io::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(&mut w, Lines::default());
    AsWritten(file).serialize(&mut ser).map_err(std::io::Error::from)?;
    w.write_all(b"\n")
}

/// A JSON layout that indents the outer two levels (the file's fields, the document's fields, the claims) and
/// writes anything deeper (each claim) compactly on its line.
#[derive(Default)]
struct Lines {
    depth: usize,
    has_value: bool,
}

impl Lines {
    const OPEN_LEVELS: usize = 2;

    fn open(&self) -> bool {
        self.depth <= Self::OPEN_LEVELS
    }

    fn newline<W: ?Sized + std::io::Write>(&self, w: &mut W, depth: usize) -> std::io::Result<()> {
        w.write_all(b"\n")?;
        for _ in 0..depth {
            w.write_all(b"  ")?;
        }
        Ok(())
    }

    fn begin<W: ?Sized + std::io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(bracket)
    }

    fn end<W: ?Sized + std::io::Write>(&mut self, w: &mut W, bracket: &[u8]) -> std::io::Result<()> {
        let open = self.open();
        self.depth -= 1;
        if open && self.has_value {
            self.newline(w, self.depth)?;
        }
        w.write_all(bracket)
    }

    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        if self.open() { self.newline(w, self.depth) } else { Ok(()) }
    }
}

impl serde_json::ser::Formatter for Lines {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"[")
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"]")
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.begin(w, b"{")
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.end(w, b"}")
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        self.item(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(if self.open() { b": " } else { b":" })
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _w: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
