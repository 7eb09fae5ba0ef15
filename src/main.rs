//! The srmap binary: parse arguments, run a subcommand, print, pick the exit code.
//!
//! Exit codes: 0 success, 1 gaps found with `--fail-on`, 2 usage, input, data or output error.
//! A reader that stops early (`srmap ... | head`) is not an error: the output ends there and
//! the run exits with the code it would have had (so `--fail-on` still gates a pipeline). On
//! SIGINT, SIGTERM or SIGHUP the temporary file of an unfinished write is removed and the
//! process ends by that signal (the shell reports 128 + its number: 130 for Ctrl-C).

mod allocator;
#[macro_use]
mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    allocator::configure();
    remove_temporaries_on_signals();
    let args = match cli::Cli::try_parse() {
        Ok(args) => args,
        Err(e) => return cli::usage_error(e),
    };
    match cli::run(args) {
        Ok(code) => code,
        Err(err) => {
            match err.downcast_ref::<cli::OptionError>() {
                Some(bad) => say!("{bad}"),
                None => say!("srmap: error: {err:#}"),
            }
            ExitCode::from(2)
        }
    }
}

/// On SIGINT, SIGTERM or SIGHUP: remove the temporaries not yet in place (holding their lock,
/// so none is renamed into place after), then end by the same signal. A signal ignored when
/// srmap starts (`nohup`, a background job of a script) stays ignored.
#[cfg(unix)]
fn remove_temporaries_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let wanted: Vec<i32> = [SIGINT, SIGTERM, SIGHUP]
        .into_iter()
        .filter(|s| !ignored(*s))
        .collect();
    let Ok(mut signals) = signal_hook::iterator::Signals::new(wanted) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _held = srmap::output::atomic::remove_temporaries();
            let _ = signal_hook::low_level::emulate_default_handler(signal);
            std::process::exit(128 + signal);
        }
    });
}

/// Whether `signal` is ignored (SIG_IGN) in this process.
#[cfg(unix)]
fn ignored(signal: i32) -> bool {
    // SAFETY: sigaction with a null new action only reads the current one into `old`.
    unsafe {
        let mut old: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut old) == 0
            && old.sa_sigaction == libc::SIG_IGN
    }
}

#[cfg(not(unix))]
fn remove_temporaries_on_signals() {}
