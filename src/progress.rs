//! Progress of long runs, told to whoever shows it. The library counts the rows it reads from a
//! table (an evidence register, an attestation list, a file being imported) and tells the one
//! [`Observer`] the binary installed, which draws a progress bar on a terminal. The library
//! never draws anything itself; with no observer installed (tests, the library used on its own)
//! a [`Phase`] costs an increment and a comparison per row.

use std::sync::OnceLock;

/// Rows between two reports of a phase's count: an observer hears of a million-row read about
/// 250 times, not a million.
pub const STEP: u64 = 4096;

/// Who hears of the phases and their rows (the binary's progress bar).
pub trait Observer: Send + Sync {
    /// A phase begins: `reading evidence.csv`, or a step the binary names (`writing gaps.pdf`).
    fn begin(&self, phase: &str);
    /// `rows` rows done so far in the phase; told every [`STEP`] rows.
    fn rows(&self, rows: u64);
    /// The phase ended after `rows` rows.
    fn end(&self, rows: u64);
}

static OBSERVER: OnceLock<&'static dyn Observer> = OnceLock::new();

/// Install the observer of this process; the first one installed stays.
pub fn observe(observer: &'static dyn Observer) {
    let _ = OBSERVER.set(observer);
}

/// A phase in progress: [`Phase::row`] counts its rows, and the observer hears of the count
/// every [`STEP`] rows and when the phase is dropped.
#[must_use = "a phase ends when it is dropped"]
pub struct Phase {
    rows: u64,
    to: Option<&'static dyn Observer>,
}

impl Phase {
    /// Begin a phase; `name` is only called when an observer listens.
    pub fn begin(name: impl FnOnce() -> String) -> Phase {
        let to = OBSERVER.get().copied();
        if let Some(o) = to {
            o.begin(&name());
        }
        Phase { rows: 0, to }
    }

    /// One more row done.
    #[inline]
    pub fn row(&mut self) {
        self.rows += 1;
        if self.rows % STEP == 0 {
            if let Some(o) = self.to {
                o.rows(self.rows);
            }
        }
    }

    /// `n` more rows done (by another thread, say).
    pub fn add(&mut self, n: u64) {
        let before = self.rows;
        self.rows += n;
        if self.rows / STEP > before / STEP {
            if let Some(o) = self.to {
                o.rows(self.rows);
            }
        }
    }

    /// The rows done so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some(o) = self.to {
            o.end(self.rows);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// What the observer heard, in order, on which thread (other tests read tables too).
    static HEARD: Mutex<Vec<(std::thread::ThreadId, String)>> = Mutex::new(Vec::new());

    fn hear(what: String) {
        HEARD
            .lock()
            .unwrap()
            .push((std::thread::current().id(), what));
    }

    struct Log;

    impl Observer for Log {
        fn begin(&self, phase: &str) {
            hear(format!("begin {phase}"));
        }
        fn rows(&self, rows: u64) {
            hear(format!("rows {rows}"));
        }
        fn end(&self, rows: u64) {
            hear(format!("end {rows}"));
        }
    }

    #[test]
    fn the_observer_hears_every_step_and_the_end() {
        static LOG: Log = Log;
        observe(&LOG);
        {
            let mut p = Phase::begin(|| "reading unit-test.csv".into());
            for _ in 0..(2 * STEP + 5) {
                p.row();
            }
            assert_eq!(p.rows(), 2 * STEP + 5);
        }
        let me = std::thread::current().id();
        let heard: Vec<String> = HEARD
            .lock()
            .unwrap()
            .iter()
            .filter(|(t, _)| *t == me)
            .map(|(_, h)| h.clone())
            .collect();
        assert_eq!(
            heard,
            [
                "begin reading unit-test.csv".to_string(),
                format!("rows {STEP}"),
                format!("rows {}", 2 * STEP),
                format!("end {}", 2 * STEP + 5),
            ]
        );
    }
}
