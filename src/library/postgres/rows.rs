//! Rows in and out: an entry from its row, `COPY` of a large source's new entries, and applying one source's update.

use std::collections::HashMap;

use postgres::Row;

use crate::library::store::{SourceUpdate, SyncCounts};
use crate::library::{Embedder, Entry, Record, SourceInfo, SourceKind};
use crate::review::Status;

pub(super) fn row_to_entry(r: &Row) -> Result<Entry, postgres::Error> {
    let sources: String = r.try_get(7)?;
    let status: Option<String> = r.try_get(5)?;
    let kind: String = r.try_get(14)?;
    Ok(Entry {
        key: r.try_get(0)?,
        record: Record {
            id: r.try_get(1)?,
            claim: r.try_get(2)?,
            title: r.try_get(3)?,
            verdict: r.try_get(4)?,
            status: status.as_deref().and_then(Status::parse),
            note: r.try_get(6)?,
            sources: serde_json::from_str(&sources).unwrap_or_default(),
            url: r.try_get(8)?,
            author: r.try_get(9)?,
            claimant: r.try_get(10)?,
            date: r.try_get(11)?,
            language: r.try_get(12)?,
        },
        source: SourceInfo {
            key: r.try_get(13)?,
            kind: SourceKind::parse(&kind).unwrap_or(SourceKind::Feed),
            name: r.try_get(15)?,
            format: r.try_get(16)?,
            path: r.try_get(17)?,
            document_title: r.try_get(18)?,
            fingerprint: r.try_get(19)?,
            reviewer: r.try_get(20)?,
        },
    })
}

pub(super) fn hash32(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    if bytes.len() == 32 {
        out.copy_from_slice(bytes);
    }
    out
}

/// From this many new entries of one source, they are written with COPY.
pub(super) const COPY_FROM: usize = 1000;

/// One entry as a line of COPY's text format: fields by tabs, `\N` for none, backslashes and line breaks escaped,
/// bytes as `\\x` and hex.
#[allow(clippy::too_many_arguments)]
pub(super) fn copy_row(
    out: &mut Vec<u8>,
    source: i64,
    r: &Record,
    status: Option<&str>,
    sources_json: &str,
    row_hash: &[u8],
    text_hash: &[u8],
    model: Option<&str>,
    vector: Option<&[u8]>,
) {
    fn text(out: &mut Vec<u8>, v: Option<&str>) {
        let Some(v) = v else {
            out.extend_from_slice(b"\\N\t");
            return;
        };
        for b in v.bytes() {
            match b {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b => out.push(b),
            }
        }
        out.push(b'\t');
    }
    fn bytes(out: &mut Vec<u8>, v: Option<&[u8]>) {
        match v {
            None => out.extend_from_slice(b"\\N"),
            Some(v) => {
                out.extend_from_slice(b"\\\\x");
                for b in v {
                    out.extend_from_slice(format!("{b:02x}").as_bytes());
                }
            }
        }
        out.push(b'\t');
    }
    text(out, Some(&source.to_string()));
    text(out, Some(&r.id));
    text(out, Some(&r.claim));
    text(out, r.title.as_deref());
    text(out, r.verdict.as_deref());
    text(out, status);
    text(out, Some(&r.note));
    text(out, Some(sources_json));
    text(out, r.url.as_deref());
    text(out, r.author.as_deref());
    text(out, r.claimant.as_deref());
    text(out, r.date.as_deref());
    text(out, r.language.as_deref());
    bytes(out, Some(row_hash));
    bytes(out, Some(text_hash));
    text(out, model);
    bytes(out, vector);
    // The last field's tab becomes the line's end.
    out.pop();
    out.push(b'\n');
}

/// Bring one source to `update`'s content inside the caller's transaction.
pub(super) fn apply_one(
    tx: &mut postgres::Transaction<'_>,
    update: &SourceUpdate,
    vectors: &HashMap<[u8; 32], Vec<u8>>,
    embedder: Option<&dyn Embedder>,
) -> Result<SyncCounts, postgres::Error> {
    let info = &update.info;
    // The upsert locks the source's row until the transaction ends: two writers of one source take turns, and the
    // second reads what the first committed.
    let source: i64 = tx
        .query_one(
            "INSERT INTO claimdesk_sources(key, kind, name, format, path, document_title, fingerprint, reviewer)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (key) DO UPDATE SET kind = $2, name = $3, format = $4,
                 path = coalesce($5, claimdesk_sources.path), document_title = $6, fingerprint = $7, reviewer = $8,
                 imported = now()
             RETURNING id",
            &[
                &info.key,
                &info.kind.as_str(),
                &info.name,
                &info.format,
                &info.path,
                &info.document_title,
                &info.fingerprint,
                &info.reviewer,
            ],
        )?
        .get(0);
    struct Held {
        row: i64,
        row_hash: Vec<u8>,
        text_hash: Vec<u8>,
        model: Option<String>,
    }
    let mut existing: HashMap<String, Held> = HashMap::new();
    for r in tx.query(
        "SELECT ext_id, id, row_hash, text_hash, vector_model FROM claimdesk_entries WHERE source = $1",
        &[&source],
    )? {
        existing.insert(r.get(0), Held { row: r.get(1), row_hash: r.get(2), text_hash: r.get(3), model: r.get(4) });
    }
    let mut counts = SyncCounts::default();
    let model = embedder.map(|e| e.model());
    let insert = tx.prepare(
        "INSERT INTO claimdesk_entries(source, ext_id, claim, title, verdict, status, note, sources, url, author,
             claimant, date, language, row_hash, text_hash, vector_model, vector)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    )?;
    let update_row = tx.prepare(
        "UPDATE claimdesk_entries SET claim = $2, title = $3, verdict = $4, status = $5, note = $6, sources = $7,
             url = $8, author = $9, claimant = $10, date = $11, language = $12, row_hash = $13, text_hash = $14
         WHERE id = $1",
    )?;
    let put_vector = tx.prepare("UPDATE claimdesk_entries SET vector_model = $2, vector = $3 WHERE id = $1")?;
    let drop_vector = tx.prepare("UPDATE claimdesk_entries SET vector_model = NULL, vector = NULL WHERE id = $1")?;
    let vector_of = |record: &Record, text_hash: &[u8; 32]| -> Vec<u8> {
        match (vectors.get(text_hash), embedder) {
            (Some(v), _) => v.clone(),
            (None, Some(embedder)) => embedder.embed(&[record.embed_text()]).into_iter().next().unwrap_or_default(),
            (None, None) => Vec::new(),
        }
    };
    // Many new entries (a large feed's first import) go in by COPY: one stream instead of a statement each.
    let new_count = update.records.iter().filter(|r| !existing.contains_key(&r.id)).count();
    let mut bulk: Option<Vec<&Record>> = (new_count >= COPY_FROM).then(Vec::new);
    for record in &update.records {
        let row_hash = record.row_hash();
        let text_hash = record.text_hash();
        let sources_json = serde_json::to_string(&record.sources).unwrap_or_else(|_| "[]".to_owned());
        let status = record.status.map(|s| s.as_str());
        match existing.remove(&record.id) {
            Some(held) => {
                let text_changed = held.text_hash != text_hash;
                if held.row_hash == row_hash {
                    counts.unchanged += 1;
                } else {
                    tx.execute(
                        &update_row,
                        &[
                            &held.row,
                            &record.claim,
                            &record.title,
                            &record.verdict,
                            &status,
                            &record.note,
                            &sources_json,
                            &record.url,
                            &record.author,
                            &record.claimant,
                            &record.date,
                            &record.language,
                            &&row_hash[..],
                            &&text_hash[..],
                        ],
                    )?;
                    counts.updated += 1;
                }
                if text_changed && model.is_none() {
                    // A vector is only ever of the entry's current text.
                    tx.execute(&drop_vector, &[&held.row])?;
                }
                if let Some(m) = model
                    && (text_changed || held.model.as_deref() != Some(m))
                {
                    tx.execute(&put_vector, &[&held.row, &m, &vector_of(record, &text_hash)])?;
                    counts.embedded += 1;
                }
            }
            None if bulk.is_some() => {
                if let Some(new) = bulk.as_mut() {
                    new.push(record);
                }
                counts.added += 1;
                if model.is_some() {
                    counts.embedded += 1;
                }
            }
            None => {
                let vector = model.map(|_| vector_of(record, &text_hash));
                tx.execute(
                    &insert,
                    &[
                        &source,
                        &record.id,
                        &record.claim,
                        &record.title,
                        &record.verdict,
                        &status,
                        &record.note,
                        &sources_json,
                        &record.url,
                        &record.author,
                        &record.claimant,
                        &record.date,
                        &record.language,
                        &&row_hash[..],
                        &&text_hash[..],
                        &model,
                        &vector,
                    ],
                )?;
                counts.added += 1;
                if model.is_some() {
                    counts.embedded += 1;
                }
            }
        }
    }
    if let Some(new) = bulk {
        let mut writer = tx.copy_in(
            "COPY claimdesk_entries(source, ext_id, claim, title, verdict, status, note, sources, url, author,
                 claimant, date, language, row_hash, text_hash, vector_model, vector) FROM STDIN",
        )?;
        let mut line = Vec::with_capacity(4096);
        for record in new {
            let text_hash = record.text_hash();
            let sources_json = serde_json::to_string(&record.sources).unwrap_or_else(|_| "[]".to_owned());
            let vector = model.map(|_| vector_of(record, &text_hash));
            line.clear();
            let status = record.status.map(|s| s.as_str());
            copy_row(
                &mut line,
                source,
                record,
                status,
                &sources_json,
                &record.row_hash(),
                &text_hash,
                model,
                vector.as_deref(),
            );
            // A write error is the connection's: finish() below reports it as the server's error.
            if std::io::Write::write_all(&mut writer, &line).is_err() {
                break;
            }
        }
        writer.finish()?;
    }
    if !existing.is_empty() {
        let gone: Vec<i64> = existing.values().map(|h| h.row).collect();
        counts.removed = tx.execute("DELETE FROM claimdesk_entries WHERE id = ANY($1)", &[&gone])?;
    }
    // A source left with no entries is forgotten.
    tx.execute(
        "DELETE FROM claimdesk_sources WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM claimdesk_entries WHERE source = $1)",
        &[&source],
    )?;
    Ok(counts)
}
