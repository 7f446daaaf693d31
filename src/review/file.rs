//! Loading, validating, saving and re-anchoring review files. (Minimal: the review-file work completes it.)

use std::path::{Path, PathBuf};

use super::ReviewFile;

/// The `format` field of every review file.
pub const FORMAT_NAME: &str = "claimdesk-review";
/// The version this build writes (and the newest it reads).
pub const FORMAT_VERSION: u32 = 1;

/// Why a review file could not be loaded or saved. Every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a valid review file: {message}")]
    Json { path: PathBuf, message: String },
    #[error("{path}: {0}", .problems.join("; "))]
    Invalid { path: PathBuf, problems: Vec<String> },
    #[error(transparent)]
    Write(#[from] crate::atomic::WriteError),
}

/// Load and validate the review file at `path`.
pub fn load(path: &Path) -> Result<ReviewFile, ReviewError> {
    let bytes = std::fs::read(path).map_err(|source| ReviewError::Io { path: path.to_path_buf(), source })?;
    serde_json::from_slice(&bytes).map_err(|e| ReviewError::Json { path: path.to_path_buf(), message: e.to_string() })
}

/// Save `file` to `path` atomically.
pub fn save(file: &ReviewFile, path: &Path) -> Result<(), ReviewError> {
    let mut bytes = serde_json::to_vec_pretty(file)
        .map_err(|e| ReviewError::Json { path: path.to_path_buf(), message: e.to_string() })?;
    bytes.push(b'\n');
    crate::atomic::write_atomic(path, &bytes)?;
    Ok(())
}
