//! Where ClaimDesk keeps its own files: the data folder (preferences, recovery files, the claim library).
//!
//! Found here, in the core, so the command line and the window agree on it without either depending on the other.

use std::path::PathBuf;

/// The environment variable that overrides the data folder.
pub const DATA_DIR_ENV: &str = "CLAIMDESK_DATA_DIR";

/// The data folder: `CLAIMDESK_DATA_DIR` when set (and not empty), else the platform's local data folder
/// (`~/.local/share/claimdesk` on Linux), else a `claimdesk` folder in the temporary folder. It is not created here:
/// whoever first writes into it does.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    dirs::data_local_dir().unwrap_or_else(std::env::temp_dir).join("claimdesk")
}
