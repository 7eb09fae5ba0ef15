//! What is at an output path, and whether srmap may replace it. srmap writes a new file (or
//! folder) beside the output and renames it into place, so it only ever replaces a regular file
//! (or, for importers, a folder): a device, a named pipe, a socket, or a folder where a file is
//! expected is refused, never replaced. A symbolic link is followed to its target when that is
//! of the right kind and the link is safe to follow; the caller says so to the user.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Code, Diagnostic, Diagnostics, Location};

/// What the caller means to write at the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// A report: one file.
    File,
    /// An importer's data folder.
    Folder,
}

/// Where a write really goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The path replaced: the path given, or the target of the link given.
    pub path: PathBuf,
    /// The symbolic link given, when `path` is its target.
    pub link: Option<PathBuf>,
    /// Whether something is there now (a file or folder to replace).
    pub exists: bool,
}

/// What a file system entry is, in words a reader knows.
fn kind_of(meta: &fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    if t.is_file() {
        return "a file";
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a regular file"
}

/// An I/O error as the user reads it: its own words, never a temporary file's name.
pub fn describe(e: &io::Error) -> String {
    // tempfile and others wrap the OS error with the path they worked on: take the inner one.
    let mut inner: &dyn std::error::Error = e;
    while let Some(source) = inner.source() {
        inner = source;
    }
    match inner.downcast_ref::<io::Error>() {
        Some(os) if os.raw_os_error().is_some() => os.to_string(),
        _ => e.to_string(),
    }
}

/// One problem with the output path (a list of one, as every loader returns).
fn refuse(code: Code, given: &Path, message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(
        code,
        Location::file(given.display().to_string()),
        message,
    )])
}

/// The advice for a path that cannot be replaced.
fn not_a_file(given: &Path, what: &str, want: Want, via: Option<&Path>) -> Diagnostics {
    let through = match via {
        Some(t) => format!(" (the symbolic link points at {})", t.display()),
        None => String::new(),
    };
    let message = match (want, what) {
        (Want::File, "a folder") => format!(
            "is a folder{through}: name a file inside it (for example -o {}/report.csv)",
            given.display()
        ),
        (Want::File, _) => format!(
            "is {what}{through}, not a file: srmap writes its output to a new file and renames \
             it into place, which would replace it; to write into a pipe or a device, use -o - \
             and redirect standard output (for example -o - > {})",
            given.display()
        ),
        (Want::Folder, _) => format!(
            "is {what}{through}, not a folder: name the data folder to write into (a new \
             folder, or one holding frameworks/ and providers/)"
        ),
    };
    let code = match (want, what) {
        (Want::File, "a folder") | (Want::Folder, "a file") => Code::BadOutput,
        _ => Code::OutputNotAFile,
    };
    refuse(code, given, message)
}

/// Check what is at `given` before any work is done, and say where the write really goes.
pub fn resolve(given: &Path, want: Want) -> Result<Target, Diagnostics> {
    let meta = match fs::symlink_metadata(given) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if want == Want::File {
                check_parent(given)?;
            }
            return Ok(Target {
                path: given.to_path_buf(),
                link: None,
                exists: false,
            });
        }
        Err(e) => return Err(refuse(Code::CannotWrite, given, describe(&e))),
    };
    if meta.file_type().is_symlink() {
        return follow(given, &meta, want);
    }
    match want {
        Want::File if meta.is_file() => {}
        Want::Folder if meta.is_dir() => {}
        _ => return Err(not_a_file(given, kind_of(&meta), want, None)),
    }
    Ok(Target {
        path: given.to_path_buf(),
        link: None,
        exists: true,
    })
}

/// The folder a new file goes into must be there (srmap does not make folders for reports).
fn check_parent(given: &Path) -> Result<(), Diagnostics> {
    let parent = match given.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => return Ok(()),
    };
    match fs::metadata(parent) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(m) => Err(refuse(
            Code::CannotWrite,
            given,
            format!("{} is {}, not a folder", parent.display(), kind_of(&m)),
        )),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(refuse(
            Code::CannotWrite,
            given,
            format!("the folder {} does not exist", parent.display()),
        )),
        Err(e) => Err(refuse(Code::CannotWrite, given, describe(&e))),
    }
}

/// A symbolic link: its final target, when that is what `want` asks for and the link may be
/// followed.
fn follow(given: &Path, link: &fs::Metadata, want: Want) -> Result<Target, Diagnostics> {
    let points_at = fs::read_link(given).unwrap_or_default();
    let real = match fs::canonicalize(given) {
        Ok(p) => p,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(refuse(
                Code::OutputSymlink,
                given,
                format!(
                    "is a symbolic link to {}, which does not exist: srmap neither replaces the \
                     link nor creates its target; name the file to write (-o {})",
                    points_at.display(),
                    points_at.display()
                ),
            ))
        }
        Err(e) => return Err(refuse(Code::CannotWrite, given, describe(&e))),
    };
    let meta = fs::metadata(&real).map_err(|e| refuse(Code::CannotWrite, given, describe(&e)))?;
    match want {
        Want::File if meta.is_file() => {}
        Want::Folder if meta.is_dir() => {}
        _ => return Err(not_a_file(given, kind_of(&meta), want, Some(&real))),
    }
    if !safe_to_follow(given, link) {
        return Err(refuse(
            Code::OutputSymlink,
            given,
            format!(
                "is a symbolic link to {} in a folder anyone can write to, and it belongs to \
                 another user: srmap does not follow it (the rule Linux applies to such links); \
                 name the file to write (-o {})",
                real.display(),
                real.display()
            ),
        ));
    }
    Ok(Target {
        path: real,
        link: Some(given.to_path_buf()),
        exists: true,
    })
}

/// The kernel's `protected_symlinks` rule: a link in a sticky folder anyone can write to (such
/// as /tmp) is followed only when it belongs to the one following it or to the folder's owner.
#[cfg(unix)]
fn safe_to_follow(given: &Path, link: &fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    let parent = match given.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(dir) = fs::metadata(parent) else {
        return false;
    };
    let shared = dir.mode() & 0o1002 == 0o1002;
    // SAFETY: geteuid has no preconditions and cannot fail.
    let me = unsafe { libc::geteuid() };
    !shared || link.uid() == me || link.uid() == dir.uid()
}

#[cfg(not(unix))]
fn safe_to_follow(_: &Path, _: &fs::Metadata) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(d: Diagnostics) -> Diagnostic {
        assert_eq!(d.len(), 1);
        d.0.into_iter().next().unwrap()
    }

    #[test]
    fn a_new_file_in_an_existing_folder_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let t = resolve(&path, Want::File).unwrap();
        assert_eq!((t.path, t.link, t.exists), (path, None, false));
    }

    #[test]
    fn a_missing_folder_is_refused_before_any_work() {
        let dir = tempfile::tempdir().unwrap();
        let d = resolve(&dir.path().join("no/out.csv"), Want::File)
            .map_err(one)
            .unwrap_err();
        assert_eq!(d.code, Code::CannotWrite);
        assert!(d.message.contains("does not exist"), "{}", d.message);
    }

    #[test]
    fn a_folder_is_not_a_file_and_a_file_not_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let d = resolve(dir.path(), Want::File).map_err(one).unwrap_err();
        assert_eq!(d.code, Code::BadOutput);
        assert!(d.message.starts_with("is a folder"), "{}", d.message);
        let file = dir.path().join("f");
        fs::write(&file, "x").unwrap();
        assert_eq!(
            resolve(&file, Want::Folder).map_err(one).unwrap_err().code,
            Code::BadOutput
        );
        assert!(resolve(dir.path(), Want::Folder).unwrap().exists);
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_pipes_are_refused() {
        let d = resolve(Path::new("/dev/null"), Want::File)
            .map_err(one)
            .unwrap_err();
        assert_eq!(d.code, Code::OutputNotAFile);
        assert!(d.message.starts_with("is a device"), "{}", d.message);
        assert!(d.message.contains("-o - > /dev/null"), "{}", d.message);
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("p");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let d = resolve(&fifo, Want::File).map_err(one).unwrap_err();
        assert!(d.message.starts_with("is a named pipe"), "{}", d.message);
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_to_a_file_and_refused_otherwise() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let t = resolve(&link, Want::File).unwrap();
        assert_eq!(t.path, fs::canonicalize(&real).unwrap());
        assert_eq!(t.link.as_deref(), Some(link.as_path()));

        let dangling = dir.path().join("dangling.csv");
        std::os::unix::fs::symlink(dir.path().join("nowhere.csv"), &dangling).unwrap();
        let d = resolve(&dangling, Want::File).map_err(one).unwrap_err();
        assert_eq!(d.code, Code::OutputSymlink);
        assert!(d.message.contains("does not exist"), "{}", d.message);

        let to_dev = dir.path().join("null.csv");
        std::os::unix::fs::symlink("/dev/null", &to_dev).unwrap();
        let d = resolve(&to_dev, Want::File).map_err(one).unwrap_err();
        assert_eq!(d.code, Code::OutputNotAFile);
        assert!(d.message.contains("points at /dev/null"), "{}", d.message);
    }

    #[test]
    fn errors_never_name_a_wrapping_path() {
        let e = io::Error::new(
            io::ErrorKind::StorageFull,
            tempfile_like("/x/.srmap-1-abc.tmp"),
        );
        assert!(!describe(&e).contains(".srmap-"), "{}", describe(&e));
    }

    /// An error that names a path and wraps an OS error, as tempfile's do.
    fn tempfile_like(path: &str) -> impl std::error::Error + Send + Sync + 'static {
        #[derive(Debug)]
        struct PathError(String, io::Error);
        impl std::fmt::Display for PathError {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{} at path {}", self.1, self.0)
            }
        }
        impl std::error::Error for PathError {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.1)
            }
        }
        PathError(path.into(), io::Error::from_raw_os_error(28))
    }
}
