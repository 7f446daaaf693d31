//! Reading a file the user named, bounded: the one guard in front of every file ClaimDesk reads whole.
//!
//! A named pipe or a device is refused before it is opened (reading one may block forever, or never end), a folder
//! or a missing file is named as such, and a file over the caller's limit is refused before it is read, so bad input
//! is a clear error and never exhausts memory. Documents ([`crate::document`]) and review files
//! ([`crate::review::file`]) both read through [`read_bounded`] and turn its error into their own.

use std::path::{Path, PathBuf};

/// Why a file could not be read. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path}: no such file")]
    NotFound { path: PathBuf },
    #[error("{path}: is a folder, not a file")]
    IsADirectory { path: PathBuf },
    #[error("{path}: is not a regular file (a pipe, socket or device); save its contents to a file first")]
    NotAFile { path: PathBuf },
    #[error("{path}: is too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge { path: PathBuf, size: u64, limit: u64 },
    #[error("{path}: cannot read: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub fn read_bounded(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ReadError::NotFound { path: path.to_path_buf() });
        }
        Err(source) => return Err(ReadError::Io { path: path.to_path_buf(), source }),
    };
    if meta.is_dir() {
        return Err(ReadError::IsADirectory { path: path.to_path_buf() });
    }
    if !meta.is_file() {
        return Err(ReadError::NotAFile { path: path.to_path_buf() });
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { path: path.to_path_buf(), size: meta.len(), limit });
    }
    std::fs::read(path).map_err(|source| ReadError::Io { path: path.to_path_buf(), source })
}
