//! `stackfit batch`: many repositories in one process, one NDJSON line each, for dashboards
//! at org scale. `scan PATH...` stays one project; here every path is its own repository,
//! with its own config, verdict and report.
//!
//! Workers pull the next repository from a shared counter and scan it alone (the threads are
//! split between the repositories in flight, one each when there are more repositories than
//! threads). Each worker renders its line, drops the `ScanResult` and hands the line to the
//! writer over a channel bounded by the number of workers, which writes and flushes it at
//! once. So memory is that of the repositories in flight, never of the whole list. One
//! repository per thread, rather than all threads on one repository at a time, because a
//! scan has serial parts (configuration, the folding thread, scoring, rendering) that then
//! overlap, and most repositories of an org are small.
use crate::analyze::{Limits, SkipReason};
use crate::config::{Config, FailOn};
use crate::report::json;
use crate::report::ndjson::{self, ErrorLine, Git, RepoLine};
use crate::report::Input;
use crate::rules::Ruleset;
use crate::scan::{self, ScanOptions};
use crate::walk::WalkOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

/// Which configuration each repository gets.
#[derive(Debug, Clone)]
pub enum ConfigChoice {
    /// Its own stackfit.toml / [tool.stackfit], searched upwards from its path, as `scan` does.
    Discover,
    /// This file, for every repository.
    File(PathBuf),
    /// None at all.
    Ignore,
}

/// Everything a batch run needs besides the repositories.
pub struct BatchOptions {
    /// Threads in all, shared by the repositories in flight.
    pub threads: usize,
    /// Per-file bounds; `include_generated` also turns off the generated-directory checks.
    pub limits: Limits,
    pub config: ConfigChoice,
    /// Overrides each repository's `fail-on`.
    pub fail_on: Option<FailOn>,
    /// Write `[3/31] path` to stderr as each repository finishes.
    pub progress: bool,
}

/// How a batch went.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Lines written.
    pub repos: usize,
    /// Repositories that could not be scanned (`error` lines).
    pub errors: usize,
    /// Repositories with a diagnostic at or above their fail-on severity.
    pub failed: usize,
}

impl Summary {
    /// 2 when a repository could not be scanned, else 1 when one failed its fail-on, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.errors > 0 {
            2
        } else if self.failed > 0 {
            1
        } else {
            0
        }
    }
}

/// Loads a fresh rule set (for a repository whose config changes severities or weights).
pub type LoadRules<'a> = dyn Fn() -> Result<Ruleset, String> + Sync + 'a;

/// The paths listed in `file`: one a line, blank lines and `#` comments skipped.
pub fn read_repo_list(file: &Path) -> Result<Vec<PathBuf>, String> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| format!("cannot read `{}`: {e}", file.display()))?;
    Ok(parse_repo_list(&text))
}

fn parse_repo_list(text: &str) -> Vec<PathBuf> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(PathBuf::from)
        .collect()
}

/// One repository's line, and what it means for the exit code.
struct Done {
    root: String,
    line: String,
    error: bool,
    failed: bool,
}

/// Scans every root, writing one line to `out` as each finishes (in the order they finish).
/// Fails only when the rules or a `--config` file cannot be loaded, or `out` cannot be
/// written; a repository that cannot be scanned is an `error` line.
pub fn run(
    load: &LoadRules,
    roots: &[PathBuf],
    opts: &BatchOptions,
    out: &mut dyn Write,
) -> Result<Summary, String> {
    let mut base = load()?;
    base.compile_all()
        .map_err(|e| format!("invalid rules: {e}"))?;
    let shared = match &opts.config {
        ConfigChoice::File(f) => {
            let cfg = Config::load(f, &base).map_err(|e| format!("invalid config: {e}"))?;
            cfg.apply_to(&mut base);
            Some(cfg)
        }
        _ => None,
    };
    let workers = opts.threads.max(1).min(roots.len().max(1));
    let per_scan = (opts.threads / workers).max(1);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::sync_channel::<Done>(workers);
    let worker = Worker {
        base: &base,
        shared: shared.as_ref(),
        load,
        opts,
        threads: per_scan,
    };
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (worker, next, stop) = (&worker, &next, &stop);
            s.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= roots.len() || stop.load(Ordering::Relaxed) {
                    break;
                }
                if tx.send(worker.scan(&roots[i])).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        let written = write_lines(rx, roots.len(), opts.progress, out);
        if written.is_err() {
            stop.store(true, Ordering::Relaxed);
        }
        written
    })
}

/// Writes each line as it arrives; stops at the first write error (a closed pipe ends the
/// batch quietly).
fn write_lines(
    rx: mpsc::Receiver<Done>,
    total: usize,
    progress: bool,
    out: &mut dyn Write,
) -> Result<Summary, String> {
    let mut sum = Summary::default();
    for done in rx {
        let w = out
            .write_all(done.line.as_bytes())
            .and_then(|_| out.flush());
        match w {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return Ok(sum),
            Err(e) => return Err(format!("cannot write output: {e}")),
        }
        sum.repos += 1;
        sum.errors += usize::from(done.error);
        sum.failed += usize::from(done.failed);
        if progress {
            eprintln!("[{}/{total}] {}", sum.repos, done.root);
        }
    }
    Ok(sum)
}

/// What every worker shares.
struct Worker<'a> {
    base: &'a Ruleset,
    shared: Option<&'a Config>,
    load: &'a LoadRules<'a>,
    opts: &'a BatchOptions,
    threads: usize,
}

impl Worker<'_> {
    fn scan(&self, root: &Path) -> Done {
        match self.try_scan(root) {
            Ok(done) => done,
            Err(error) => Done {
                root: shown(root),
                line: ndjson::to_line(&ErrorLine {
                    root: shown(root),
                    error,
                }),
                error: true,
                failed: false,
            },
        }
    }

    fn try_scan(&self, root: &Path) -> Result<Done, String> {
        check_dir(root)?;
        let (own, mut cfg) = match (&self.opts.config, self.shared) {
            (ConfigChoice::File(_), Some(cfg)) => (None, cfg.clone()),
            (ConfigChoice::Discover, _) => match Config::discover(root) {
                Some(file) => {
                    let mut rs = (self.load)()?;
                    let cfg =
                        Config::load(&file, &rs).map_err(|e| format!("invalid config: {e}"))?;
                    cfg.apply_to(&mut rs);
                    (Some(rs), cfg)
                }
                None => (None, Config::default()),
            },
            _ => (None, Config::default()),
        };
        let rs = own.as_ref().unwrap_or(self.base);
        cfg.bind_root(root);
        let opts = ScanOptions {
            walk: WalkOptions {
                root: root.to_path_buf(),
                threads: self.threads,
                include_generated: self.opts.limits.include_generated,
                exclude: cfg.exclude.clone(),
                targets: None,
            },
            limits: self.opts.limits.clone(),
        };
        let res = scan::run_with(rs, &opts, &cfg);
        if res
            .skipped
            .iter()
            .any(|(_, r)| *r == SkipReason::RulesError)
        {
            return Err("invalid rules: a grammar's query failed to compile".into());
        }
        let fail_on = self.opts.fail_on.or(cfg.fail_on).unwrap_or_default();
        let failed = res.diagnostics.iter().any(|d| fail_on.trips(d.severity));
        let cx = Input {
            rs,
            res: &res,
            opts: &opts,
            color: false,
            repo_prefix: String::new(),
            blob_base: None,
            triage: None,
        };
        let line = ndjson::to_line(&RepoLine {
            report: json::build(&cx),
            git: git_info(root),
        });
        Ok(Done {
            root: shown(root),
            line,
            error: false,
            failed,
        })
    }
}

/// The path as given, with `/` separators (as the report's `root`).
fn shown(root: &Path) -> String {
    root.to_string_lossy().replace('\\', "/")
}

/// A repository must be a readable directory.
fn check_dir(root: &Path) -> Result<(), String> {
    let why = |e: std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    };
    let meta = std::fs::metadata(root)
        .map_err(|e| format!("cannot scan `{}`: {}", shown(root), why(e)))?;
    if !meta.is_dir() {
        return Err(format!("cannot scan `{}`: not a directory", shown(root)));
    }
    std::fs::read_dir(root)
        .map(drop)
        .map_err(|e| format!("cannot scan `{}`: {}", shown(root), why(e)))
}

/// Where the git checkout at `root` stands, or `None` when `root` is not the top of a checkout
/// (no `.git` there: a directory inside someone else's checkout is not its own repository),
/// the checkout has no commit, or git is not installed. Runs `git log` and `git config` with
/// fixed arguments, no terminal prompt, no pager, no signature checks (no gpg) and no
/// optional locks, so nothing the repository configures runs.
pub fn git_info(root: &Path) -> Option<Git> {
    if std::fs::symlink_metadata(root.join(".git")).is_err() {
        return None;
    }
    let log = git(
        root,
        &["log", "-1", "--no-show-signature", "--format=%H%x00%cI"],
    )?;
    let (commit, date) = log.trim_end().split_once('\0')?;
    if commit.is_empty() || date.is_empty() {
        return None;
    }
    let remote = git(root, &["config", "--get", "remote.origin.url"])
        .map(|u| without_credentials(u.trim()))
        .filter(|u| !u.is_empty());
    Some(Git {
        remote,
        commit: commit.to_string(),
        commit_date: date.to_string(),
    })
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .args(["--no-pager", "-c", "log.showSignature=false"])
        .args(["-c", "core.fsmonitor=false", "-C"])
        .arg(root)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env_remove("GIT_INDEX_FILE")
        .env_remove("GIT_COMMON_DIR")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A remote URL without the user and password an `https://user:token@host/...` URL may carry:
/// a dashboard must not publish a token.
fn without_credentials(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}://{}", &rest[at + 1..]),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repo_lists_skip_comments_and_blanks() {
        let got = parse_repo_list("# org repos\n\nsvc/api\n  web  \n# done\n");
        assert_eq!(got, vec![PathBuf::from("svc/api"), PathBuf::from("web")]);
    }

    #[test]
    fn credentials_are_dropped_from_remotes() {
        assert_eq!(
            without_credentials("https://bot:ghp_x@github.com/acme/api.git"),
            "https://github.com/acme/api.git"
        );
        assert_eq!(
            without_credentials("git@github.com:acme/api.git"),
            "git@github.com:acme/api.git"
        );
        assert_eq!(without_credentials("ssh://git@host/a@b"), "ssh://host/a@b");
    }

    #[test]
    fn exit_codes() {
        let s = |errors, failed| Summary {
            repos: 3,
            errors,
            failed,
        };
        assert_eq!(s(0, 0).exit_code(), 0);
        assert_eq!(s(0, 2).exit_code(), 1);
        assert_eq!(s(1, 2).exit_code(), 2);
    }
}
