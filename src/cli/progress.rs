//! The progress bar on standard error: the phase (`reading evidence.csv`, `second pass` when a
//! file is read again, `writing gaps.xlsx`), rows read, rows per second and time taken, drawn by
//! `indicatif` from what the library tells [`srmap::progress`].
//!
//! Shown only when standard error is a terminal that can redraw a line (not `TERM=dumb`), never
//! with `--quiet`, and only for a phase that has run for [`DELAY`]: a quick command draws
//! nothing. Colour follows `NO_COLOR` (through `console`, as indicatif draws). The bar is redrawn
//! at most ten times a second, and hears of rows every [`srmap::progress::STEP`] rows.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};
use srmap::progress::{observe, Observer};

/// How long a phase runs before its bar is drawn.
const DELAY: Duration = Duration::from_millis(300);
/// How often the bar is redrawn (and the watcher looks for a phase to show).
const TICK: Duration = Duration::from_millis(100);

/// Install the progress bar for this run, unless it should stay silent.
pub fn install(quiet: bool) {
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    if quiet || dumb || !std::io::stderr().is_terminal() {
        return;
    }
    static BAR: Bar = Bar {
        state: Mutex::new(State {
            phases: Vec::new(),
            passes: None,
        }),
    };
    observe(&BAR);
    std::thread::spawn(|| loop {
        std::thread::sleep(TICK);
        BAR.show_if_due();
    });
}

struct Bar {
    state: Mutex<State>,
}

struct State {
    /// The phases begun and not ended, innermost last.
    phases: Vec<Shown>,
    /// How often each phase has begun (a register read a second time is `pass 2`).
    passes: Option<HashMap<String, u32>>,
}

struct Shown {
    name: String,
    began: Instant,
    rows: u64,
    bar: Option<ProgressBar>,
}

impl Bar {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Draw the innermost phase once it has run for [`DELAY`].
    fn show_if_due(&self) {
        let mut state = self.state();
        let Some(top) = state.phases.last_mut() else {
            return;
        };
        if top.bar.is_some() || top.began.elapsed() < DELAY {
            return;
        }
        // The phase's clock started when it began, not when its bar is first drawn.
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
            .with_style(style())
            .with_message(top.name.clone())
            .with_position(top.rows)
            .with_elapsed(top.began.elapsed());
        bar.enable_steady_tick(TICK);
        top.bar = Some(bar);
    }
}

/// `⠙ reading evidence.csv: 1,200,000 rows, 410,000 rows/s (3s)`; without the counts for a phase
/// that counts no rows (`⠙ writing gaps.xlsx (12s)`).
fn style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner:.cyan} {msg}{counts} ({elapsed})")
        .expect("the template is valid")
        .with_key(
            "counts",
            |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                if s.pos() > 0 {
                    let secs = s.elapsed().as_secs_f64().max(0.001);
                    let _ = write!(
                        w,
                        ": {} rows, {} rows/s",
                        indicatif::HumanCount(s.pos()),
                        indicatif::HumanCount((s.pos() as f64 / secs) as u64)
                    );
                }
            },
        )
}

impl Observer for Bar {
    fn begin(&self, phase: &str) {
        let mut state = self.state();
        let passes = state.passes.get_or_insert_with(HashMap::new);
        let pass = passes.entry(phase.to_string()).or_insert(0);
        *pass += 1;
        let name = match *pass {
            1 => phase.to_string(),
            2 => format!("{phase} (second pass)"),
            n => format!("{phase} (pass {n})"),
        };
        if let Some(outer) = state.phases.last() {
            if let Some(bar) = &outer.bar {
                bar.set_draw_target(ProgressDrawTarget::hidden());
            }
        }
        state.phases.push(Shown {
            name,
            began: Instant::now(),
            rows: 0,
            bar: None,
        });
    }

    fn rows(&self, rows: u64) {
        let mut state = self.state();
        if let Some(top) = state.phases.last_mut() {
            top.rows = rows;
            if let Some(bar) = &top.bar {
                bar.set_position(rows);
            }
        }
    }

    fn end(&self, _rows: u64) {
        let mut state = self.state();
        if let Some(Shown { bar: Some(bar), .. }) = state.phases.pop() {
            bar.finish_and_clear();
        }
        if let Some(outer) = state.phases.last() {
            if let Some(bar) = &outer.bar {
                bar.set_draw_target(ProgressDrawTarget::stderr());
            }
        }
    }
}
