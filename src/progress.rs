//! The progress line of a long scan: files, bytes and elapsed time on stderr, so a scan of a
//! large repository does not look hung. Shown only on a terminal, outside CI, without
//! `--quiet`, and only once the scan has run for half a second (a short scan prints nothing);
//! cleared before the report is written, and never on stdout.
use indicatif::{HumanBytes, ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::{Duration, Instant};

/// How long a scan runs before the bar appears.
const DELAY: Duration = Duration::from_millis(500);

/// Whether a scan shows progress: stderr is a terminal, `CI` is not set (to anything but
/// `0`/`false`), and `--quiet` was not given.
pub fn enabled(stderr_tty: bool, ci: Option<&str>, quiet: bool) -> bool {
    let ci = ci.is_some_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"));
    stderr_tty && !ci && !quiet
}

/// A progress line, or nothing when disabled.
pub struct Bar {
    bar: Option<ProgressBar>,
    shown: bool,
    start: Instant,
    files: u64,
    bytes: u64,
}

impl Bar {
    pub fn new(enabled: bool) -> Bar {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
            let style = ProgressStyle::with_template("{spinner} {pos} files, {msg}, {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            bar.set_style(style);
            bar
        });
        Bar {
            bar,
            shown: false,
            start: Instant::now(),
            files: 0,
            bytes: 0,
        }
    }

    /// One more file analysed, of `bytes` bytes.
    pub fn file(&mut self, bytes: u64) {
        let Some(bar) = &self.bar else {
            return;
        };
        self.files += 1;
        self.bytes += bytes;
        if !self.shown {
            if self.start.elapsed() < DELAY {
                return;
            }
            self.shown = true;
            bar.set_draw_target(ProgressDrawTarget::stderr());
            bar.enable_steady_tick(Duration::from_millis(120));
        }
        bar.set_position(self.files);
        bar.set_message(HumanBytes(self.bytes).to_string());
    }

    /// Clears the line, before the report is written.
    pub fn finish(self) {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_on_a_terminal_outside_ci_without_quiet() {
        assert!(enabled(true, None, false));
        assert!(enabled(true, Some(""), false));
        assert!(enabled(true, Some("false"), false));
        assert!(!enabled(false, None, false), "not a terminal");
        assert!(!enabled(true, Some("true"), false), "CI");
        assert!(!enabled(true, Some("1"), false), "CI");
        assert!(!enabled(true, None, true), "--quiet");
    }

    #[test]
    fn a_disabled_bar_counts_nothing_and_draws_nothing() {
        let mut b = Bar::new(false);
        b.file(10);
        assert_eq!((b.files, b.bytes), (0, 0));
        b.finish();
        let mut b = Bar::new(true);
        b.file(10);
        b.file(5);
        assert_eq!(
            (b.files, b.bytes, b.shown),
            (2, 15, false),
            "hidden for the first 500 ms"
        );
        b.finish();
    }
}
