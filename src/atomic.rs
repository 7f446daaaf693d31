//! Crash-safe file writing.
//!
//! Every file ClaimDesk writes (review files, exports, autosave recovery files) goes through [`write_atomic`]: the bytes
//! go to a temporary file in the same folder, which is flushed and synced, then renamed over the target, and the folder
//! is synced. A crash at any moment leaves either the old file or the new one, never half of either. When the target
//! already exists, its previous version is kept as `NAME.bak` (a hard link made before the rename, so the old bytes are
//! never copied and never absent). The new version keeps the old one's permissions; a symbolic link is followed, so
//! the link stays a link; temporary files that a killed save left behind are removed by the next save of that file.
//! The backup a save replaces is freed by a background thread (the file system's freeing of a large file would
//! otherwise be part of the save's wait); programs call [`settle`] before they exit.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Why a file could not be written. Always names the file.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: cannot write: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: is a folder, not a file")]
    IsADirectory { path: PathBuf },
}

/// Options for [`write_atomic_with`].
#[derive(Debug, Clone, Copy)]
pub struct WriteOptions {
    /// Keep the previous version of the target as `NAME.bak`.
    pub keep_backup: bool,
}

impl Default for WriteOptions {
    fn default() -> Self {
        Self { keep_backup: true }
    }
}

/// Write `bytes` to `path` atomically, keeping the previous version as `NAME.bak`.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    write_atomic_with(path, bytes, WriteOptions::default())
}

/// The path of the backup kept beside `path`: `NAME.bak`.
pub fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".bak");
    path.with_file_name(name)
}

/// Write `bytes` to `path` atomically.
pub fn write_atomic_with(path: &Path, bytes: &[u8], options: WriteOptions) -> Result<(), WriteError> {
    write_atomic_streaming(path, options, |w| w.write_all(bytes))
}

/// Write to `path` atomically what `write` writes, as it writes it: a large file need not be held in memory whole,
/// and on Linux the disk starts writing the first megabytes while the rest are still being produced, so the final
/// sync has less to wait for. An error from `write` leaves the target as it was.
pub fn write_atomic_streaming(
    path: &Path,
    options: WriteOptions,
    write: impl FnOnce(&mut Staging) -> io::Result<()>,
) -> Result<(), WriteError> {
    let io_err = |source| WriteError::Io { path: path.to_path_buf(), source };
    if path.is_dir() {
        return Err(WriteError::IsADirectory { path: path.to_path_buf() });
    }
    // A symbolic link is followed: the file it points to gets the new bytes, and the link stays a link.
    let resolved;
    let path = if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = fs::canonicalize(path).map_err(io_err)?;
        resolved.as_path()
    } else {
        path
    };
    let old_permissions = fs::metadata(path).ok().map(|m| m.permissions());
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = path.file_name().ok_or_else(|| io_err(io::Error::other("no file name")))?;

    // A unique temporary name in the same folder, so the rename never crosses file systems.
    let (tmp_path, tmp) = create_temp(&folder, &file_name.to_string_lossy()).map_err(io_err)?;
    let mut retired = None;
    let result = (|| {
        let mut out = Staging(io::BufWriter::with_capacity(256 * 1024, EarlyWriteback::new(tmp)));
        write(&mut out)?;
        out.flush()?;
        let tmp = out.0.into_inner().map_err(|e| e.into_error())?.file;
        // The new version keeps the old one's permissions (a private 0600 file stays private).
        if let Some(permissions) = &old_permissions {
            tmp.set_permissions(permissions.clone())?;
        }
        tmp.sync_all()?;
        drop(tmp);
        if options.keep_backup && path.exists() {
            // The old version becomes NAME.bak through a link under a temporary name, renamed over the old backup:
            // at every moment there is a complete backup (the previous one or the new one), never none. A hard link
            // keeps the old bytes without copying; file systems without links get a copy.
            let bak = backup_path(path);
            let bak_base = format!("{}.bak", file_name.to_string_lossy());
            let bak_tmp = free_temp_name(&folder, &bak_base)?;
            if fs::hard_link(path, &bak_tmp).is_err() {
                fs::copy(path, &bak_tmp)?;
            }
            // The backup being replaced keeps a temporary name until a background thread removes it: replacing
            // the last name of a file frees its blocks there and then, which on ext4 took 12 ms of a 13 MB save.
            retired = free_temp_name(&folder, &bak_base).ok().filter(|old| fs::hard_link(&bak, old).is_ok());
            if let Err(e) = fs::rename(&bak_tmp, &bak) {
                let _ = fs::remove_file(&bak_tmp);
                return Err(e);
            }
        }
        fs::rename(&tmp_path, path)?;
        sync_folder(&folder);
        remove_stale_temps(&folder, &file_name.to_string_lossy());
        Ok(())
    })();
    if let Some(old) = retired {
        remove_in_background(old);
    }
    if result.is_err() {
        let _ = fs::remove_file(&tmp_path);
    }
    result.map_err(io_err)
}

/// Where [`write_atomic_streaming`] writes: the temporary file, buffered. A concrete type rather than `dyn Write`, so
/// a serializer's many small writes (a key, a comma) compile to a copy into the buffer instead of a call each.
pub struct Staging(io::BufWriter<EarlyWriteback>);

impl Write for Staging {
    #[inline]
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.write(buf)
    }

    #[inline]
    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.0.flush()
    }
}

/// A file that asks the kernel to start writing each few megabytes to disk as soon as they are written (Linux's
/// `sync_file_range` with `SYNC_FILE_RANGE_WRITE`, which does not wait). Durability still comes from the `sync_all`
/// before the rename; this only moves the disk's work earlier, beside the work of producing the rest.
struct EarlyWriteback {
    file: File,
    written: u64,
    started: u64,
}

impl EarlyWriteback {
    const STEP: u64 = 512 * 1024;

    fn new(file: File) -> Self {
        Self { file, written: 0, started: 0 }
    }

    fn start_writeback(&mut self) {
        #[cfg(target_os = "linux")]
        {
            use std::os::fd::AsRawFd;
            let (from, len) = (self.started as libc::off64_t, (self.written - self.started) as libc::off64_t);
            // SAFETY: the descriptor is this open file's; the call only starts writeback of a range of it. Failure
            // (a file system without it) is harmless: the sync before the rename still writes everything.
            unsafe { libc::sync_file_range(self.file.as_raw_fd(), from, len, libc::SYNC_FILE_RANGE_WRITE) };
        }
        self.started = self.written;
    }
}

impl Write for EarlyWriteback {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.file.write(buf)?;
        self.written += n as u64;
        if self.written - self.started >= Self::STEP {
            self.start_writeback();
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}

fn create_temp(folder: &Path, base: &str) -> io::Result<(PathBuf, File)> {
    let pid = std::process::id();
    let nanos =
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    for attempt in 0..100u32 {
        let candidate = folder.join(format!(".{base}.{pid}.{nanos:x}{attempt}.claimdesk-tmp"));
        match OpenOptions::new().write(true).create_new(true).open(&candidate) {
            Ok(file) => return Ok((candidate, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other("could not create a temporary file"))
}

/// A temporary name in `folder` that nothing has (for a link to be made under it).
fn free_temp_name(folder: &Path, base: &str) -> io::Result<PathBuf> {
    let (name, file) = create_temp(folder, base)?;
    drop(file);
    fs::remove_file(&name)?;
    Ok(name)
}

/// How many old backups background threads are still removing; [`settle`] waits for none.
static REMOVING: std::sync::Mutex<usize> = std::sync::Mutex::new(0);
static REMOVED: std::sync::Condvar = std::sync::Condvar::new();

fn removing() -> std::sync::MutexGuard<'static, usize> {
    REMOVING.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Remove `old` (a replaced backup under a temporary name) on a thread of its own, so the save that replaced it does
/// not wait for the file system to free it. Should the process end first, the next save of the file removes it as
/// a dead process's leftover.
fn remove_in_background(old: PathBuf) {
    *removing() += 1;
    let done = || {
        *removing() -= 1;
        REMOVED.notify_all();
    };
    let inline = old.clone();
    let spawned = std::thread::Builder::new().name("claimdesk-old-backup".to_owned()).spawn(move || {
        let _ = fs::remove_file(&old);
        done();
    });
    if spawned.is_err() {
        let _ = fs::remove_file(&inline);
        done();
    }
}

/// Wait until every replaced backup has been removed. Programs call it before they exit, so no temporary file is
/// left beside a saved one.
pub fn settle() {
    let mut pending = removing();
    while *pending > 0 {
        pending = REMOVED.wait(pending).unwrap_or_else(|poisoned| poisoned.into_inner());
    }
}

/// Remove the temporary files that saves of `base` left behind when their process was killed mid-save. Only those
/// of processes that no longer run are touched (known on Linux through /proc; elsewhere nothing is removed).
fn remove_stale_temps(folder: &Path, base: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(folder) else { return };
    let prefix = format!(".{base}.");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(&prefix)) else { continue };
        let Some(rest) = rest.strip_suffix(".claimdesk-tmp") else { continue };
        // `rest` is `PID.NONCE` (or `bak.PID.NONCE` for a backup link under way).
        let rest = rest.strip_prefix("bak.").unwrap_or(rest);
        let Some(pid) = rest.split('.').next().and_then(|p| p.parse::<u32>().ok()) else { continue };
        if pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Sync a folder so a rename inside it is durable. Not every platform can open folders; failure is harmless there.
fn sync_folder(folder: &Path) {
    if let Ok(dir) = File::open(folder) {
        let _ = dir.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_new_file_and_keeps_backup_of_old() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("review.json");
        write_atomic(&target, b"one").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"one");
        assert!(!backup_path(&target).exists(), "no backup of a file that did not exist");
        write_atomic(&target, b"two").unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"two");
        assert_eq!(fs::read(backup_path(&target)).unwrap(), b"one");
        let leftovers: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().ends_with(".claimdesk-tmp"))
            .collect();
        assert!(leftovers.is_empty(), "temporary files left behind: {leftovers:?}");
    }

    #[test]
    fn replaced_backups_are_removed_and_the_backup_is_always_the_previous_version() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("review.json");
        for round in 0..5u8 {
            write_atomic(&target, &[b'0' + round]).unwrap();
            if round > 0 {
                assert_eq!(fs::read(backup_path(&target)).unwrap(), [b'0' + round - 1]);
            }
        }
        settle();
        let names: Vec<_> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        let mut names = names;
        names.sort();
        assert_eq!(names, ["review.json", "review.json.bak"], "replaced backups are gone once settled");
    }

    #[cfg(unix)]
    #[test]
    fn keeps_permissions_and_follows_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("private.json");
        write_atomic(&target, b"one").unwrap();
        fs::set_permissions(&target, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&target, b"two").unwrap();
        assert_eq!(fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);

        let link = dir.path().join("link.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        write_atomic(&link, b"three").unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link stays a link");
        assert_eq!(fs::read(&target).unwrap(), b"three");
        assert_eq!(fs::read(backup_path(&target)).unwrap(), b"two");
    }

    #[test]
    fn temporary_files_of_killed_saves_are_cleared() {
        if !Path::new("/proc/self").exists() {
            return; // Only Linux tells which processes run; elsewhere nothing is removed (see remove_stale_temps).
        }
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("review.json");
        // A pid above the kernel's maximum (4194304) never runs; pid 1 always does.
        let dead = dir.path().join(".review.json.4999999.1a2b0.claimdesk-tmp");
        let dead_bak = dir.path().join(".review.json.bak.4999999.1a2b0.claimdesk-tmp");
        let alive = dir.path().join(".review.json.1.1a2b0.claimdesk-tmp");
        let other = dir.path().join(".notes.json.4999999.1a2b0.claimdesk-tmp");
        for p in [&dead, &dead_bak, &alive, &other] {
            fs::write(p, b"half").unwrap();
        }
        write_atomic(&target, b"whole").unwrap();
        assert!(!dead.exists() && !dead_bak.exists(), "a dead process's leftovers are removed");
        assert!(alive.exists(), "a running process's save in progress is left alone");
        assert!(other.exists(), "another file's temporaries are not this save's business");
    }

    #[test]
    fn refuses_a_folder_and_names_it() {
        let dir = tempfile::tempdir().unwrap();
        let err = write_atomic(dir.path(), b"x").unwrap_err();
        assert!(err.to_string().contains(&dir.path().display().to_string()), "{err}");
    }

    #[test]
    fn missing_folder_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("no/such/folder/out.json");
        let err = write_atomic(&target, b"x").unwrap_err();
        assert!(err.to_string().contains("out.json"), "{err}");
    }
}
