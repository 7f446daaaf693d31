//! The ClaimDesk window. (Filled in by the window work.)

use std::path::PathBuf;

/// Open the window, optionally on `file` (a document or a review file), binding saves to `review_out`.
pub fn run(file: Option<PathBuf>, review_out: Option<PathBuf>) -> anyhow::Result<()> {
    let _ = (file, review_out);
    anyhow::bail!("the window is not built yet")
}
