//! Where outputs go and what a run leaves there: `-o /dev/stdout` is standard output; a device,
//! a named pipe or a folder is refused before any work, never replaced; a symbolic link to a
//! file is written through (and said), a dangling one refused; a reader that stops early ends
//! the output quietly with the run's own exit code; SIGINT and SIGTERM remove the temporary
//! file; temporaries of killed runs are cleaned; a full disk leaves nothing, in a report or in
//! an importer's data folder, and the error names the path given; `diff` and `compare` say what
//! they wrote.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant, SystemTime};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample(name: &str) -> String {
    root()
        .join("samples/northwind")
        .join(name)
        .display()
        .to_string()
}

fn srmap(dir: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_srmap"));
    c.current_dir(dir).args(args);
    c
}

fn run(dir: &Path, args: &[&str]) -> Output {
    srmap(dir, args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn temporaries(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with(".srmap-"))
        .collect()
}

/// Wait for a child, failing the test (not hanging it) after a minute.
fn wait(mut child: std::process::Child) -> Output {
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("srmap did not end within a minute");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[test]
fn dev_stdout_is_standard_output_and_stays_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let by_name = run(dir.path(), &["frameworks", "-o", "/dev/stdout"]);
    let dash = run(dir.path(), &["frameworks", "-o", "-"]);
    assert!(by_name.status.success(), "{}", stderr(&by_name));
    assert!(!by_name.stdout.is_empty());
    assert_eq!(by_name.stdout, dash.stdout);
    let xlsx = run(
        dir.path(),
        &[
            "template",
            "evidence",
            "--format",
            "xlsx",
            "-o",
            "/dev/stdout",
        ],
    );
    assert!(xlsx.status.success(), "{}", stderr(&xlsx));
    assert!(xlsx.stdout.starts_with(b"PK"));
    if let Ok(m) = fs::symlink_metadata("/dev/stdout") {
        assert!(m.file_type().is_symlink(), "/dev/stdout was replaced");
    }
    assert!(names(dir.path()).is_empty());
}

#[test]
fn devices_pipes_and_folders_are_refused_before_any_work() {
    for (device, format) in [("/dev/null", "csv"), ("/dev/full", "xlsx")] {
        let dir = tempfile::tempdir().unwrap();
        let out = run(
            dir.path(),
            &["template", "evidence", "--format", format, "-o", device],
        );
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(
            err.contains(&format!("error[output-not-a-file]: {device}: is a device")),
            "{err}"
        );
        assert!(err.contains(&format!("-o - > {device}")), "{err}");
        assert!(fs::metadata(device).unwrap().file_type().is_char_device());
    }

    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.csv");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    // Opening a pipe nobody reads would block: the run must end on its own.
    let out = wait(
        srmap(dir.path(), &["frameworks", "-o", "pipe.csv"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error[output-not-a-file]: pipe.csv: is a named pipe (FIFO)"),
        "{err}"
    );
    assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());

    fs::create_dir(dir.path().join("reports")).unwrap();
    let out = run(
        dir.path(),
        &["frameworks", "--format", "csv", "-o", "reports"],
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error[bad-output]: reports: is a folder: name a file inside it"),
        "{err}"
    );
    assert!(names(&dir.path().join("reports")).is_empty());

    // A gap run whose output cannot be used stops before reading its inputs.
    let out = run(
        dir.path(),
        &[
            "gaps",
            "--scope",
            "no-such-scope.toml",
            "--format",
            "csv",
            "-o",
            "reports",
        ],
    );
    assert!(
        stderr(&out).contains("error[bad-output]"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("no-such-scope"), "{}", stderr(&out));
    assert_eq!(names(dir.path()), ["pipe.csv", "reports"]);
}

#[test]
fn a_link_to_a_file_is_written_through_and_a_dangling_link_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("q3")).unwrap();
    fs::write(dir.path().join("q3/frameworks.csv"), "old\n").unwrap();
    std::os::unix::fs::symlink("q3/frameworks.csv", dir.path().join("latest.csv")).unwrap();
    let out = run(dir.path(), &["frameworks", "-o", "latest.csv"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("note: latest.csv is a symbolic link: the output goes to its target"),
        "{err}"
    );
    assert!(fs::symlink_metadata(dir.path().join("latest.csv"))
        .unwrap()
        .file_type()
        .is_symlink());
    let written = fs::read_to_string(dir.path().join("q3/frameworks.csv")).unwrap();
    assert!(written.starts_with("id,name,"), "{written}");
    assert!(temporaries(&dir.path().join("q3")).is_empty());

    std::os::unix::fs::symlink("q4/nowhere.csv", dir.path().join("next.csv")).unwrap();
    let out = run(dir.path(), &["frameworks", "-o", "next.csv"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error[output-symlink]: next.csv: is a symbolic link to q4/nowhere.csv, which does not exist"),
        "{err}"
    );
    assert!(!dir.path().join("q4").exists());
}

#[test]
fn a_link_of_another_user_in_a_shared_folder_is_not_followed() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: giving a link to another user needs root");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let shared = dir.path().join("tmp");
    fs::create_dir(&shared).unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o1777)).unwrap();
    let target = dir.path().join("precious.csv");
    fs::write(&target, "keep\n").unwrap();
    let link = shared.join("out.csv");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    std::os::unix::fs::lchown(&link, Some(65534), Some(65534)).unwrap();
    let out = run(dir.path(), &["frameworks", "-o", link.to_str().unwrap()]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("error[output-symlink]"), "{err}");
    assert!(err.contains("belongs to another user"), "{err}");
    assert_eq!(fs::read_to_string(&target).unwrap(), "keep\n");
}

#[test]
fn a_reader_that_stops_early_ends_the_output_quietly() {
    let scope = sample("scope.toml");
    let evidence = sample("evidence.xlsx");
    let runs: Vec<(Vec<&str>, i32)> = vec![
        (vec!["controls", "nist-800-53-r5", "--format", "json"], 0),
        (vec!["controls", "nist-800-53-r5", "--format", "csv"], 0),
        (vec!["validate"], 0),
        (
            vec![
                "compare",
                "--offering",
                "aws/ec2,aws/rds",
                "--format",
                "xlsx",
                "-o",
                "-",
            ],
            0,
        ),
        // The verdict stands: a pipeline with pipefail still fails on the gaps.
        (
            vec![
                "gaps",
                "--scope",
                &scope,
                "--evidence",
                &evidence,
                "--as-of",
                "2026-09-30",
                "--format",
                "md",
                "--fail-on",
                "any",
            ],
            1,
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (args, code) in runs {
        let mut child = srmap(dir.path(), &args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reader goes away before srmap writes a byte.
        drop(child.stdout.take());
        let out = wait(child);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", stderr(&out));
        assert!(out.stderr.is_empty(), "{args:?}: {}", stderr(&out));
    }
}

/// An evidence register of `n` rows for the sample's scope (big enough that writing its
/// workbook takes a while).
fn big_register(path: &Path, n: usize) {
    let text = fs::read_to_string(root().join("samples/northwind/evidence.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let rows: Vec<&str> = lines.collect();
    let mut out = String::from(header);
    out.push('\n');
    for i in 0..n {
        let row = rows[i % rows.len()];
        let mut cells: Vec<String> = row.split(',').map(str::to_string).collect();
        cells[2] = format!("EV-{i:07}");
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    fs::write(path, out).unwrap();
}

/// `gaps` on the register `evidence.csv` of `dir`, written to `gaps.xlsx` there.
fn gaps_to_xlsx(dir: &Path, scope: &str) -> Command {
    srmap(
        dir,
        &[
            "gaps",
            "--scope",
            scope,
            "--evidence",
            "evidence.csv",
            "--as-of",
            "2026-09-30",
            "-o",
            "gaps.xlsx",
        ],
    )
}

/// Wait (a minute at most) until a run's temporary file is in `dir`.
fn wait_for_temporary(dir: &Path) {
    let start = Instant::now();
    while temporaries(dir).is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no temporary file appeared"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn sigint_and_sigterm_remove_the_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    big_register(&dir.path().join("evidence.csv"), 30_000);
    let scope = sample("scope.toml");
    for signal in [libc::SIGTERM, libc::SIGINT] {
        fs::write(dir.path().join("gaps.xlsx"), "the report of last quarter").unwrap();
        let child = gaps_to_xlsx(dir.path(), &scope)
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        wait_for_temporary(dir.path());
        // SAFETY: sending a signal to the child we started.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
        let out = wait(child);
        assert_eq!(out.status.signal(), Some(signal), "{}", stderr(&out));
        assert!(
            temporaries(dir.path()).is_empty(),
            "left {:?}",
            temporaries(dir.path())
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("gaps.xlsx")).unwrap(),
            "the report of last quarter"
        );
    }
}

#[test]
fn a_signal_ignored_at_start_stays_ignored() {
    // As under `nohup` or in a script's background job: SIGHUP and SIGINT do not end the run.
    let dir = tempfile::tempdir().unwrap();
    big_register(&dir.path().join("evidence.csv"), 20_000);
    let scope = sample("scope.toml");
    let mut c = gaps_to_xlsx(dir.path(), &scope);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        c.pre_exec(|| {
            libc::signal(libc::SIGINT, libc::SIG_IGN);
            libc::signal(libc::SIGHUP, libc::SIG_IGN);
            Ok(())
        });
    }
    let child = c.stderr(Stdio::piped()).spawn().unwrap();
    wait_for_temporary(dir.path());
    for signal in [libc::SIGINT, libc::SIGHUP] {
        // SAFETY: sending a signal to the child we started.
        assert_eq!(unsafe { libc::kill(child.id() as libc::pid_t, signal) }, 0);
    }
    let out = wait(child);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(fs::read(dir.path().join("gaps.xlsx"))
        .unwrap()
        .starts_with(b"PK"));
}

fn age(path: &Path, by: Duration) {
    let when = SystemTime::now() - by;
    let f = fs::File::open(path).unwrap();
    f.set_modified(when).unwrap();
}

#[test]
fn temporaries_of_killed_runs_are_cleaned_and_no_others() {
    let dir = tempfile::tempdir().unwrap();
    let minutes = |m: u64| Duration::from_secs(60 * m);
    // No process has ID 1073741823 (above Linux's largest).
    let dead_old = ".srmap-1073741823-aBc123.tmp";
    let dead_new = ".srmap-1073741823-dEf456.tmp";
    let live_old = format!(".srmap-{}-gHi789.tmp", std::process::id());
    let earlier_version = ".srmap-XyZ123.tmp";
    let dead_folder = ".srmap-1073741823-00000000abcd.tmp";
    let not_ours = ".srmap-notes.txt";
    for name in [
        dead_old,
        dead_new,
        live_old.as_str(),
        earlier_version,
        not_ours,
    ] {
        fs::write(dir.path().join(name), "x").unwrap();
    }
    fs::create_dir_all(dir.path().join(dead_folder).join("frameworks")).unwrap();
    fs::write(dir.path().join(dead_folder).join("frameworks/a.csv"), "x").unwrap();
    for name in [
        dead_old,
        live_old.as_str(),
        earlier_version,
        not_ours,
        dead_folder,
    ] {
        age(&dir.path().join(name), minutes(20));
    }
    let out = run(dir.path(), &["frameworks", "-o", "frameworks.csv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut kept = vec![
        dead_new.to_string(),
        live_old.clone(),
        not_ours.to_string(),
        "frameworks.csv".to_string(),
    ];
    kept.sort();
    assert_eq!(names(dir.path()), kept);
}

/// Run with the largest file the process may write set to `bytes` (and SIGXFSZ ignored): a
/// disk that fills up after that many bytes of any one file.
fn run_on_a_small_disk(dir: &Path, args: &[&str], bytes: u64) -> Output {
    let mut c = srmap(dir, args);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        c.pre_exec(move || {
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            let limit = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    c.output().unwrap()
}

#[test]
fn a_full_disk_leaves_the_report_as_it_was_and_names_the_path_given() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("gaps.xlsx"), "old").unwrap();
    let scope = sample("scope.toml");
    let evidence = sample("evidence.xlsx");
    let out = run_on_a_small_disk(
        dir.path(),
        &[
            "gaps",
            "--scope",
            &scope,
            "--evidence",
            &evidence,
            "--as-of",
            "2026-09-30",
            "-o",
            "gaps.xlsx",
        ],
        4096,
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error[cannot-write]: gaps.xlsx: File too large"),
        "{err}"
    );
    assert!(err.contains("nothing was written to gaps.xlsx"), "{err}");
    assert!(!err.contains(".srmap-"), "names the temporary file: {err}");
    assert_eq!(names(dir.path()), ["gaps.xlsx"]);
    assert_eq!(
        fs::read_to_string(dir.path().join("gaps.xlsx")).unwrap(),
        "old"
    );
}

#[test]
fn a_full_disk_leaves_an_importers_data_folder_as_it_was() {
    let catalog = root().join("tests/fixtures/import-oscal/catalog.json");
    let catalog = catalog.to_str().unwrap();
    let id = "example-control-catalog-1.2";
    // The sizes of the two files the import writes.
    let scratch = tempfile::tempdir().unwrap();
    let out = run(
        scratch.path(),
        &["import", "oscal-catalog", catalog, "-o", "data"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let size = |ext: &str| {
        fs::metadata(scratch.path().join(format!("data/frameworks/{id}.{ext}")))
            .unwrap()
            .len()
    };
    let (toml, csv) = (size("toml"), size("csv"));
    assert!(toml < csv, "the header is written first and is the smaller");

    // A data folder that already holds a framework of the user's.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir_all(data.join("frameworks")).unwrap();
    fs::copy(
        scratch.path().join(format!("data/frameworks/{id}.toml")),
        data.join("frameworks/mine.toml"),
    )
    .unwrap();
    let mine = fs::read_to_string(data.join("frameworks/mine.toml"))
        .unwrap()
        .replace(&format!("id = \"{id}\""), "id = \"mine\"");
    fs::write(data.join("frameworks/mine.toml"), mine).unwrap();
    fs::copy(
        scratch.path().join(format!("data/frameworks/{id}.csv")),
        data.join("frameworks/mine.csv"),
    )
    .unwrap();
    let before = names(&data.join("frameworks"));
    let inode = fs::metadata(&data).unwrap().ino();

    // Room for the header, not for the controls.
    let out = run_on_a_small_disk(
        dir.path(),
        &["import", "oscal-catalog", catalog, "-o", "data"],
        (toml + csv) / 2,
    );
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("error[cannot-write]: data: File too large"),
        "{err}"
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert!(!err.contains(".srmap-"), "{err}");
    assert_eq!(names(&data.join("frameworks")), before, "{err}");
    assert_eq!(fs::metadata(&data).unwrap().ino(), inode);
    assert_eq!(names(dir.path()), ["data"]);

    // With room, the folder is replaced whole: the user's framework kept, the new one added.
    let out = run(
        dir.path(),
        &["import", "oscal-catalog", catalog, "-o", "data"],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let mut after = before.clone();
    after.extend([format!("{id}.csv"), format!("{id}.toml")]);
    after.sort();
    assert_eq!(names(&data.join("frameworks")), after);
    assert_eq!(names(dir.path()), ["data"]);
    let ok = run(dir.path(), &["--data", "data", "validate"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
}

#[test]
fn an_import_into_the_working_folder_keeps_the_folder() {
    // `-o .` from inside the data folder: the shell's folder stays the data folder.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    fs::create_dir_all(data.join("frameworks")).unwrap();
    fs::write(data.join("notes.txt"), "mine").unwrap();
    let inode = fs::metadata(&data).unwrap().ino();
    let catalog = root().join("tests/fixtures/import-oscal/catalog.json");
    let out = run(
        &data,
        &[
            "import",
            "oscal-catalog",
            catalog.to_str().unwrap(),
            "-o",
            ".",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(fs::metadata(&data).unwrap().ino(), inode);
    assert_eq!(names(&data), ["frameworks", "notes.txt"]);
    assert_eq!(names(&data.join("frameworks")).len(), 2);
    assert_eq!(names(dir.path()), ["data"]);
}

#[test]
fn diff_and_compare_say_what_they_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(
        dir.path(),
        &[
            "diff",
            "--from",
            "onprem",
            "--to",
            "aws/ec2",
            "--framework",
            "soc2-2017",
            "-o",
            "diff.csv",
        ],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let rows = csv::Reader::from_path(dir.path().join("diff.csv"))
        .unwrap()
        .records()
        .count();
    assert!(
        err.contains(&format!(
            "srmap: {rows} controls whose duties move, written to diff.csv"
        )),
        "{err}"
    );
    let out = run(
        dir.path(),
        &[
            "compare",
            "--offering",
            "aws/rds,gcp/cloud-sql",
            "--framework",
            "soc2-2017",
            "-o",
            "compare.xlsx",
        ],
    );
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("controls compared across 2 candidates ("),
        "{err}"
    );
    assert!(err.contains("differ), written to compare.xlsx"), "{err}");
}
