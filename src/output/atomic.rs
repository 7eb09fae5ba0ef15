//! Whole-or-nothing writes: a file, or an importer's whole data folder, is written under a
//! temporary name beside its place and renamed into place only when complete.
//!
//! Temporary names are `.srmap-<process ID>-<random>.tmp`. While one exists it is on a list the
//! binary's signal handler empties on SIGINT, SIGTERM and SIGHUP ([`remove_temporaries`]); the
//! rename into place takes the same lock, so a signal either comes before it (nothing is left)
//! or after it (the output is whole). A run killed outright (SIGKILL, power loss) leaves its
//! temporary behind: the next write into the same folder removes it when it is stale
//! ([`is_stale`]).

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

/// The temporaries of this process that are not yet in place.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A killed run's temporary is removed once its process is gone and it has not changed for
/// this long (the wait spares a live run on another machine sharing the folder).
pub const STALE_AFTER_DEAD: Duration = Duration::from_secs(10 * 60);
/// ... or, whatever its process ID says (IDs are reused), once it has not changed for a day.
pub const STALE_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Remove every temporary this process has not put in place yet, and hand back the lock so
/// nothing is renamed into place afterwards: the caller is about to end the process.
pub fn remove_temporaries() -> MutexGuard<'static, Vec<PathBuf>> {
    let mut list = pending();
    for path in list.drain(..) {
        remove_entry(&path);
    }
    list
}

fn remove_entry(path: &Path) {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => {
            let _ = fs::remove_dir_all(path);
        }
        Ok(_) => {
            let _ = fs::remove_file(path);
        }
        Err(_) => {}
    }
}

/// The prefix of this process's temporaries.
fn prefix() -> String {
    format!(".srmap-{}-", std::process::id())
}

/// A temporary on the pending list until it is dropped (removed) or put in place.
struct Pending(PathBuf);

impl Pending {
    /// Make a temporary with `make` and put it on the list, under the list's lock: a signal
    /// that comes while it is being made waits, then finds it on the list (made, then listed,
    /// a temporary could be left by a signal between the two).
    fn make<T>(
        make: impl FnOnce() -> io::Result<T>,
        path: impl FnOnce(&T) -> PathBuf,
    ) -> io::Result<(T, Pending)> {
        let mut list = pending();
        let made = make()?;
        let path = path(&made);
        list.push(path.clone());
        Ok((made, Pending(path)))
    }

    /// Rename into place under the lock (a signal handler waits for it), then forget it; on
    /// failure the temporary is removed.
    fn commit(mut self, rename: impl FnOnce(&Path) -> io::Result<()>) -> io::Result<()> {
        let mut list = pending();
        let result = rename(&self.0);
        if result.is_ok() {
            let done = std::mem::take(&mut self.0);
            list.retain(|p| p != &done);
        }
        drop(list);
        result
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if self.0.as_os_str().is_empty() {
            return;
        }
        let mut list = pending();
        remove_entry(&self.0);
        list.retain(|p| p != &self.0);
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Write `path` through a temporary file in the same folder, renamed into place only when
/// `write` succeeded: a failure leaves no file (and an old file untouched). `path` must be a
/// regular file or nothing ([`super::target::resolve`] says what is there). Stale temporaries
/// of killed runs in the folder are removed first.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<()> {
    let dir = folder_of(path);
    remove_stale(dir);
    let mut builder = tempfile::Builder::new();
    let prefix = prefix();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        // A report is an ordinary file (tempfile's default 0600 would hide it from colleagues);
        // one that replaces a file keeps that file's permissions (a report kept private stays so).
        use std::os::unix::fs::PermissionsExt;
        let mode = match fs::metadata(path) {
            Ok(m) if m.is_file() => m.permissions().mode() & 0o7777,
            _ => 0o644,
        };
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    // tempfile removes the file when `tmp` is dropped; the list removes it on a signal.
    let (tmp, guard) = Pending::make(|| builder.tempfile_in(dir), |t| t.path().to_path_buf())?;
    let mut file = tmp.as_file();
    {
        let mut buf = io::BufWriter::new(&mut file);
        write(&mut buf)?;
        buf.flush()?;
    }
    file.sync_all()?;
    guard.commit(|_| tmp.persist(path).map(|_| ()).map_err(|e| e.error))
}

/// Replace the folder `dir` whole: a copy of what it holds (files hard-linked where the file
/// system allows, else copied) plus `files` (paths relative to `dir`, and their text) is made
/// in a temporary folder beside it and swapped into place in one step (Linux: an atomic
/// exchange; elsewhere two renames, the old folder put back if the second fails). A missing
/// `dir` (and its parents) is created. A failure leaves `dir` as it was.
///
/// A folder that cannot be replaced from beside it (a mount point, such as a container's
/// volume, or one whose parent srmap may not write) or should not be (the working folder is in
/// it: `-o .`) is written from within instead: each top-level entry the files go into
/// (`frameworks/`, `providers/`) is copied, completed and swapped into place whole, one after
/// the other ([`write_within`]).
pub fn write_folder(dir: &Path, files: &[(String, String)]) -> io::Result<()> {
    let dir = match fs::canonicalize(dir) {
        Ok(real) => real,
        Err(e) if e.kind() == io::ErrorKind::NotFound => dir.to_path_buf(),
        Err(e) => return Err(e),
    };
    let exists = fs::symlink_metadata(&dir).is_ok();
    let Some(parent) = dir.parent().map(|p| {
        if p.as_os_str().is_empty() {
            Path::new(".")
        } else {
            p
        }
    }) else {
        return write_within(&dir, files);
    };
    if exists && (is_mount_point(&dir, parent) || holds_working_folder(&dir)) {
        return write_within(&dir, files);
    }
    fs::create_dir_all(parent)?;
    remove_stale(parent);
    let tmp = match Pending::make(|| new_folder(parent), PathBuf::clone) {
        Ok((_, pending)) => pending,
        Err(e) if exists && cannot_write_in(&e) => return write_within(&dir, files),
        Err(e) => {
            return Err(io::Error::new(
                e.kind(),
                format!("cannot make a folder in {} ({e})", parent.display()),
            ))
        }
    };
    if exists {
        copy_tree(&dir, &tmp.0)?;
        fs::set_permissions(&tmp.0, fs::metadata(&dir)?.permissions())?;
    }
    write_files(&tmp.0, files)?;
    if !exists {
        return tmp.commit(|new| fs::rename(new, &dir));
    }
    let swapped = {
        let _lock = pending();
        swap(&tmp.0, &dir)
    };
    // The old folder after a swap, the unfinished one otherwise.
    drop(tmp);
    match swapped {
        Err(e) if crosses_devices(&e) => write_within(&dir, files),
        other => other,
    }
}

/// Write `files` (relative paths and text) under `root`, each a new file (never a write into
/// an old one: it may be a hard link of the original).
fn write_files(root: &Path, files: &[(String, String)]) -> io::Result<()> {
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        let mut f = fs::File::create_new(&path)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    Ok(())
}

/// The existing folder `dir` written from within: a temporary folder inside it receives a copy
/// of each top-level entry the files go into, completed with the files; each is then swapped
/// into place (a folder) or renamed over (a file). Each entry is replaced whole; the entries are
/// replaced one after the other.
pub fn write_within(dir: &Path, files: &[(String, String)]) -> io::Result<()> {
    remove_stale(dir);
    let (_, stage) = Pending::make(|| new_folder(dir), PathBuf::clone)?;
    let mut tops: Vec<&str> = files
        .iter()
        .map(|(rel, _)| rel.split('/').next().unwrap_or(rel))
        .collect();
    tops.sort_unstable();
    tops.dedup();
    for top in &tops {
        let (from, to) = (dir.join(top), stage.0.join(top));
        match fs::symlink_metadata(&from) {
            Ok(m) if m.is_dir() => {
                fs::create_dir(&to)?;
                copy_tree(&from, &to)?;
                fs::set_permissions(&to, m.permissions())?;
            }
            _ => {}
        }
    }
    write_files(&stage.0, files)?;
    let _lock = pending();
    for top in &tops {
        let (new, old) = (stage.0.join(top), dir.join(top));
        match fs::symlink_metadata(&old) {
            Ok(m) if m.is_dir() => swap(&new, &old)?,
            _ => fs::rename(&new, &old)?,
        }
    }
    drop(_lock);
    // The old entries are in the stage now: removed with it.
    drop(stage);
    Ok(())
}

/// Whether `dir` is mounted on its own (its parent is on another device).
fn is_mount_point(dir: &Path, parent: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (fs::metadata(dir), fs::metadata(parent)) {
            (Ok(d), Ok(p)) => d.dev() != p.dev() || d.ino() == p.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (dir, parent);
        false
    }
}

/// Whether the working folder is `dir` or inside it (`-o .`): swapping `dir` would leave the
/// shell the user typed in, in a folder that is no longer there.
fn holds_working_folder(dir: &Path) -> bool {
    std::env::current_dir()
        .and_then(fs::canonicalize)
        .is_ok_and(|cwd| cwd.starts_with(dir))
}

fn cannot_write_in(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
    )
}

fn crosses_devices(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::CrossesDevices | io::ErrorKind::ResourceBusy
    )
}

/// A new, empty folder named like a temporary of this process in `parent`.
fn new_folder(parent: &Path) -> io::Result<PathBuf> {
    use std::hash::{BuildHasher, Hasher};
    let mut last = None;
    for _ in 0..16 {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u128(
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
                .as_nanos(),
        );
        let name = format!("{}{:012x}.tmp", prefix(), h.finish() & 0xffff_ffff_ffff);
        let path = parent.join(name);
        match fs::create_dir(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| io::Error::other("no free temporary name")))
}

/// Copy the tree `from` into the existing folder `to`: folders made, files hard-linked (or
/// copied), symbolic links made again.
fn copy_tree(from: &Path, to: &Path) -> io::Result<()> {
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        let t = entry.file_type()?;
        if t.is_dir() {
            fs::create_dir(&dst)?;
            copy_tree(&src, &dst)?;
            fs::set_permissions(&dst, fs::metadata(&src)?.permissions())?;
        } else if t.is_symlink() {
            let points_at = fs::read_link(&src)?;
            #[cfg(unix)]
            std::os::unix::fs::symlink(points_at, &dst)?;
            #[cfg(not(unix))]
            fs::copy(&src, &dst).map(|_| ())?;
        } else if t.is_file() {
            if fs::hard_link(&src, &dst).is_err() {
                fs::copy(&src, &dst)?;
            }
        } else {
            return Err(io::Error::other(format!(
                "{} is neither a file, a folder nor a link: srmap cannot keep it when it \
                 replaces the folder",
                src.display()
            )));
        }
    }
    Ok(())
}

/// Put the folder `new` in the place of the folder `dir`, leaving the old one at `new`.
fn swap(new: &Path, dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::ffi::CString;
        use std::os::unix::ffi::OsStrExt;
        let a = CString::new(new.as_os_str().as_bytes())?;
        let b = CString::new(dir.as_os_str().as_bytes())?;
        // SAFETY: two valid NUL-terminated paths relative to the working folder.
        let rc = unsafe {
            libc::renameat2(
                libc::AT_FDCWD,
                a.as_ptr(),
                libc::AT_FDCWD,
                b.as_ptr(),
                libc::RENAME_EXCHANGE,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        // A file system without the exchange: two renames, as elsewhere.
        if !matches!(e.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS)) {
            return Err(e);
        }
    }
    let aside = new.with_extension("old.tmp");
    fs::rename(dir, &aside)?;
    if let Err(e) = fs::rename(new, dir) {
        let _ = fs::rename(&aside, dir);
        return Err(e);
    }
    fs::rename(&aside, new)
}

/// The process ID in a temporary's name (`.srmap-<pid>-<random>.tmp`), `Some(None)` for a name
/// of an earlier srmap (`.srmap-<random>.tmp`), `None` for a name that is not srmap's.
fn temporary_pid(name: &str) -> Option<Option<u32>> {
    let middle = name.strip_prefix(".srmap-")?.strip_suffix(".tmp")?;
    let middle = middle.strip_suffix(".old").unwrap_or(middle);
    match middle.split_once('-') {
        Some((pid, rest))
            if !pid.is_empty()
                && pid.bytes().all(|b| b.is_ascii_digit())
                && rest.len() >= 6
                && rest.bytes().all(|b| b.is_ascii_alphanumeric()) =>
        {
            pid.parse().ok().map(Some)
        }
        None if middle.len() >= 6 && middle.bytes().all(|b| b.is_ascii_alphanumeric()) => {
            Some(None)
        }
        _ => None,
    }
}

/// Whether a process with this ID runs on this machine.
#[cfg(unix)]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return false;
    };
    // SAFETY: signal 0 only checks that the process exists; nothing is sent.
    let rc = unsafe { libc::kill(pid, 0) };
    rc == 0 || io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

#[cfg(not(unix))]
fn alive(_: u32) -> bool {
    true
}

/// Whether the entry `name` (with its metadata, not followed) is a temporary of a killed
/// srmap run: named like one, a file or folder (never a link), this user's, and either its
/// process is gone (or unnamed) and it has not changed for [`STALE_AFTER_DEAD`], or it has not
/// changed for [`STALE_AFTER`].
pub fn is_stale(name: &str, meta: &fs::Metadata, now: SystemTime) -> bool {
    let Some(pid) = temporary_pid(name) else {
        return false;
    };
    if !(meta.is_file() || meta.is_dir()) {
        return false;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        if meta.uid() != unsafe { libc::geteuid() } {
            return false;
        }
    }
    if pid == Some(std::process::id()) {
        return false;
    }
    let age = meta
        .modified()
        .ok()
        .and_then(|m| now.duration_since(m).ok())
        .unwrap_or_default();
    let gone = pid.is_none_or(|p| !alive(p));
    (gone && age >= STALE_AFTER_DEAD) || age >= STALE_AFTER
}

/// Remove the stale temporaries in `dir` (errors ignored: a cleanup never stops a write).
pub fn remove_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        if !name.starts_with(".srmap-") {
            continue;
        }
        if let Ok(meta) = fs::symlink_metadata(entry.path()) {
            if is_stale(name, &meta, now) {
                remove_entry(&entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let r = write_atomic(&path, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("boom"))
        });
        assert!(r.is_err());
        assert!(!path.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        assert!(!pending().iter().any(|p| p.starts_with(dir.path())));
    }

    #[test]
    fn a_write_in_progress_is_on_the_list_and_removed_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_atomic(&path, |w| {
            let names: Vec<String> = fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert_eq!(names.len(), 1);
            assert!(names[0].starts_with(&prefix()), "{names:?}");
            assert_eq!(temporary_pid(&names[0]), Some(Some(std::process::id())));
            assert!(pending().iter().any(|p| p.starts_with(dir.path())));
            w.write_all(b"whole\n")
        })
        .unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "whole\n");
        assert!(!pending().iter().any(|p| p.starts_with(dir.path())));
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("gaps.csv");
        write_atomic(&path, |w| w.write_all(b"new\n")).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        write_atomic(&path, |w| w.write_all(b"newer\n")).unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(fs::read_to_string(&path).unwrap(), "newer\n");
    }

    #[test]
    fn temporary_names() {
        assert_eq!(temporary_pid(".srmap-123-AbC9x1.tmp"), Some(Some(123)));
        assert_eq!(temporary_pid(".srmap-AbC9x1.tmp"), Some(None));
        assert_eq!(temporary_pid(".srmap-123-abc.tmp"), None);
        assert_eq!(temporary_pid(".srmap-notes.txt"), None);
        assert_eq!(temporary_pid("srmap-123-abcdef.tmp"), None);
        assert_eq!(temporary_pid(".srmap-12x-abcdef.tmp"), None);
        assert_eq!(
            temporary_pid(".srmap-7-0000000000ab.old.tmp"),
            Some(Some(7))
        );
    }

    #[cfg(unix)]
    #[test]
    fn stale_is_a_dead_process_and_ten_minutes_or_a_day() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x");
        fs::write(&file, "").unwrap();
        let meta = fs::symlink_metadata(&file).unwrap();
        let then = meta.modified().unwrap();
        let at = |d: Duration| then + d;
        // No process has ID 0x3fffffff (above Linux's pid_max).
        let dead = ".srmap-1073741823-abcdef.tmp";
        let live = format!(".srmap-{}-abcdef.tmp", std::os::unix::process::parent_id());
        assert!(!is_stale(dead, &meta, at(Duration::from_secs(60))));
        assert!(is_stale(dead, &meta, at(STALE_AFTER_DEAD)));
        assert!(!is_stale(&live, &meta, at(STALE_AFTER_DEAD * 2)));
        assert!(is_stale(&live, &meta, at(STALE_AFTER)));
        assert!(is_stale(".srmap-abcdef.tmp", &meta, at(STALE_AFTER_DEAD)));
        assert!(!is_stale("report.csv", &meta, at(STALE_AFTER * 2)));
    }

    #[test]
    fn a_folder_is_replaced_whole_keeping_what_it_held() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        fs::create_dir_all(dir.join("frameworks")).unwrap();
        fs::write(dir.join("frameworks/keep.toml"), "kept").unwrap();
        fs::write(dir.join("frameworks/new.csv"), "old text").unwrap();
        let files = vec![
            ("frameworks/new.toml".to_string(), "toml".to_string()),
            ("frameworks/new.csv".to_string(), "csv".to_string()),
        ];
        write_folder(&dir, &files).unwrap();
        let read = |p: &str| fs::read_to_string(dir.join(p)).unwrap();
        assert_eq!(read("frameworks/keep.toml"), "kept");
        assert_eq!(read("frameworks/new.toml"), "toml");
        assert_eq!(read("frameworks/new.csv"), "csv");
        let names: Vec<_> = fs::read_dir(root.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the data folder is left");
        // A new folder, with its parents.
        let fresh = root.path().join("a/b/data");
        write_folder(&fresh, &files).unwrap();
        assert_eq!(
            fs::read_to_string(fresh.join("frameworks/new.csv")).unwrap(),
            "csv"
        );
    }

    #[test]
    fn a_folder_written_from_within_keeps_what_it_held() {
        // What a mount point gets: the stage inside the folder, each top-level folder swapped.
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        fs::create_dir_all(dir.join("frameworks")).unwrap();
        fs::create_dir_all(dir.join("providers/acme")).unwrap();
        fs::write(dir.join("frameworks/keep.toml"), "kept").unwrap();
        fs::write(dir.join("providers/acme/x.toml"), "kept too").unwrap();
        fs::write(dir.join("README"), "mine").unwrap();
        let files = vec![
            ("frameworks/new.toml".to_string(), "toml".to_string()),
            ("frameworks/new.csv".to_string(), "csv".to_string()),
            ("providers/acme/y.toml".to_string(), "y".to_string()),
        ];
        write_within(&dir, &files).unwrap();
        let read = |p: &str| fs::read_to_string(dir.join(p)).unwrap();
        assert_eq!(read("frameworks/keep.toml"), "kept");
        assert_eq!(read("frameworks/new.csv"), "csv");
        assert_eq!(read("providers/acme/x.toml"), "kept too");
        assert_eq!(read("providers/acme/y.toml"), "y");
        assert_eq!(read("README"), "mine");
        let mut names: Vec<String> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["README", "frameworks", "providers"]);
    }

    #[test]
    fn a_spelling_with_dots_names_the_real_folder() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        fs::create_dir_all(dir.join("frameworks")).unwrap();
        let files = vec![("frameworks/a.csv".to_string(), "a".to_string())];
        write_folder(&dir.join("frameworks/.."), &files).unwrap();
        assert_eq!(
            fs::read_to_string(dir.join("frameworks/a.csv")).unwrap(),
            "a"
        );
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_failed_folder_write_leaves_the_folder_as_it_was() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        fs::create_dir_all(dir.join("frameworks")).unwrap();
        fs::write(dir.join("frameworks/a.csv"), "old").unwrap();
        // The second file cannot be made: its folder would be where a file is.
        let files = vec![
            ("frameworks/a.csv".to_string(), "new".to_string()),
            ("frameworks/a.csv/b.csv".to_string(), "x".to_string()),
        ];
        assert!(write_folder(&dir, &files).is_err());
        assert_eq!(
            fs::read_to_string(dir.join("frameworks/a.csv")).unwrap(),
            "old"
        );
        assert_eq!(fs::read_dir(root.path()).unwrap().count(), 1);
    }
}
