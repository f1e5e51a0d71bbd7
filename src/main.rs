//! stackfit: does this codebase's workload fit the NodeJS profile or the Python profile?
//! The command line: argument parsing, dispatch, and exit codes, ruff-style: 0 the scan ran and
//! no diagnostic reached the `--fail-on` severity; 1 at least one did; 2 the scan could not run
//! (bad arguments, missing path, broken rules, a bad config file). Never a panic on file data.
#![warn(clippy::too_many_lines)]

mod alloc;

use clap::{Args, Parser, Subcommand};
use stackfit::analyze::{Engine, Limits, SkipReason};
use stackfit::baseline;
use stackfit::batch;
use stackfit::changed;
use stackfit::config;
use stackfit::lang::Lang;
use stackfit::progress;
use stackfit::report::{self, Format};
use stackfit::rules::{docs, Ruleset};
use stackfit::scan::{self, ScanOptions, ScanResult};
use stackfit::walk::WalkOptions;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

const ABOUT: &str = "Tells whether a codebase's workload fits the NodeJS profile or the Python profile, with the evidence, file by file.";

const LONG_ABOUT: &str = "\
Tells whether a codebase's workload fits the NodeJS profile or the Python profile, with the
evidence, file by file.

stackfit parses Python, JavaScript and TypeScript with tree-sitter, looks for the traits of each
profile (real-time sockets, event loops, IoT, streaming, single-page apps and services for
NodeJS; machine learning, neural networks, visualization, image, voice and face processing,
numeric data and scripting for Python), and weighs them into a verdict: node, python, mixed or
neutral. It says plainly when the workload and the implementation language disagree.";

const AFTER_HELP: &str = "\
Examples:
  stackfit scan .                      scan the current repository
  stackfit scan path/to/repo --format json > stackfit.json
  stackfit scan . --output json=stackfit.json --output markdown=summary.md
                                       text on the terminal, JSON and Markdown in files
  stackfit scan . --format sarif > stackfit.sarif   for GitHub code scanning
  stackfit scan . --fail-on warning    exit 1 if any warning or error is reported
  stackfit scan src/a.py web/b.ts      lint two files of a project, from its root
  stackfit rules                       list every rule
  stackfit explain SF220               what a rule detects and why it matters
  stackfit scan . --format html > report.html       one self-contained page
  stackfit dashboard org.ndjson --output org.html   the org overview from many reports
  stackfit batch --repos-from repos.txt --output org.ndjson
                                       one JSON line per repository, for dashboards
  stackfit schema > report.schema.json the JSON Schema of the JSON report

Configuration: stackfit.toml, or [tool.stackfit] in pyproject.toml, found by walking up from the
scanned path (or --config FILE): select/ignore rules, severities, exclude globs, per-path
overrides, weights, fail-on; one in a sub-directory applies to its sub-tree. Inline:
`# stackfit: ignore[SF220]` on the line or the line above (--add-suppressions writes them).

Exit codes (scan):
  0  the scan ran and no diagnostic is at or above the --fail-on severity (default: error)
  1  the scan ran and at least one diagnostic is at or above it
  2  the scan could not run: bad arguments, a path that does not exist, invalid rules, a bad
     config file (the message names its file, line and key), a baseline that is malformed or
     for another root or format version, a --changed-since REF that does not exist or a PATH
     outside a git checkout

Adopting on an existing codebase (docs/adopting.md):
  stackfit scan . --write-baseline .stackfit-baseline.json    accept today's diagnostics
  stackfit scan . --baseline .stackfit-baseline.json --fail-on warning
                                       only diagnostics not in the baseline fail
  stackfit scan . --changed-since origin/main   only the files a pull request changed";

#[derive(Parser)]
#[command(name = "stackfit", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scan a codebase: the workload verdict with its evidence, and the friction diagnostics
    #[command(after_help = "\
Exit codes: 0 no diagnostic at or above --fail-on; 1 at least one; 2 the scan could not run
(the error names the cause). With --fail-on none the exit code is 0 whenever the scan ran.")]
    Scan(ScanArgs),
    /// List every rule: code, trait, profile, kind, severity and name
    Rules {
        /// Output format
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
        #[command(flatten)]
        rules: RulesArg,
    },
    /// Print a rule's documentation: what it detects, why it matters, an example
    Explain {
        /// Rule code, e.g. SF122
        code: String,
        #[command(flatten)]
        rules: RulesArg,
    },
    /// Draw the org dashboard (one HTML page) from NDJSON reports, one repository a line;
    /// with exactly two files, the first is "before" and the second "now"
    Dashboard {
        /// NDJSON files (`stackfit batch` output, or `scan --format json` documents one a line)
        #[arg(required = true, value_name = "REPORTS.ndjson")]
        reports: Vec<PathBuf>,
        /// Write the page to FILE instead of stdout
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Scan many repositories, one NDJSON line each (the JSON report plus git state)
    #[command(after_help = "\
Each PATH is its own repository, with its own config. Lines are written as repositories finish
(not in input order): the `scan --format json` document, compact, plus `git` (remote, commit,
commit_date; null when PATH is not the top of a git checkout), or `{\"root\", \"error\"}` for
a path that cannot be scanned. `stackfit schema --batch` prints the schema of a line.

Exit codes: 2 if any repository could not be scanned (the others still are); else 1 if any
repository has a diagnostic at or above its fail-on severity; else 0.")]
    Batch(BatchArgs),
    /// Print the JSON Schema (draft 2020-12) of the JSON report, or of a batch line
    Schema {
        /// The schema of one `stackfit batch` line instead of the report
        #[arg(long)]
        batch: bool,
    },
}

/// Output of `stackfit batch`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum BatchFormat {
    /// One JSON document per line, one line per repository
    Ndjson,
}

#[derive(Args)]
struct BatchArgs {
    /// Repositories to scan (each one its own project)
    paths: Vec<PathBuf>,
    /// Also scan the repositories listed in FILE: one path a line, `#` comments and blank lines
    /// allowed; relative paths are relative to the current directory
    #[arg(long, value_name = "FILE")]
    repos_from: Option<PathBuf>,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value = "ndjson")]
    format: BatchFormat,
    /// Write the lines to FILE (renamed into place when the batch ends) instead of stdout
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    #[command(flatten)]
    work: WorkArgs,
    /// Count a repository as failed when a diagnostic at or above this severity is reported
    /// (default: each repository's `fail-on`, else `error`)
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<config::FailOn>,
    /// Use this configuration file for every repository instead of each one's own
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any configuration file
    #[arg(long)]
    no_config: bool,
    #[command(flatten)]
    rules: RulesArg,
}

/// What `stackfit rules` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ListFormat {
    /// A table: code, trait, profile, kind, severity, name
    Text,
    /// Every rule as a JSON object, with its evidence class, message and blog point
    Json,
}

/// When to colour the text report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// `always`/`never` decide alone; `auto` colours when FORCE_COLOR is set, else on a terminal
/// unless NO_COLOR is set.
fn use_color(choice: ColorChoice, force: bool, no_color: bool, tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => force || (tty && !no_color),
    }
}

#[derive(Args)]
struct RulesArg {
    /// Load rules from this directory (laid out like `queries/`) instead of the built-in ones
    #[arg(long, value_name = "DIR", global = true)]
    rules_dir: Option<PathBuf>,
}

#[derive(Args)]
struct ScanArgs {
    /// Directories or files to scan. Several PATHs are parts of one project (e.g. the files
    /// pre-commit passes): those are linted, paths are shown from the project root (the
    /// nearest directory above them all with a config, a manifest or .git), and its config
    /// and manifests are read
    #[arg(default_value = ".", value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Treat even one PATH as part of its project, as several are (what the pre-commit hook
    /// passes: the report is the same whether one file is staged or many)
    #[arg(long)]
    in_project: bool,
    /// No progress bar and no notes on stderr (errors still appear)
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Write an inline `stackfit: ignore[CODE]` for every friction diagnostic into its file
    /// (for adopting on legacy code), then report on stderr what changed; prints no report
    #[arg(long)]
    add_suppressions: bool,
    /// Output format
    #[arg(long, short = 'f', value_enum, default_value = "text")]
    format: Format,
    /// Also write FORMAT to FILE (repeatable), e.g. `--output json=stackfit.json
    /// --output markdown=summary.md`; stdout still gets `--format`. Formats: text, json, sarif,
    /// github, markdown, github-output, html
    #[arg(long, short = 'o', value_name = "FORMAT=FILE", value_parser = report::parse_output)]
    output: Vec<(Format, PathBuf)>,
    /// Colour the text report: `auto` (the default) colours on a terminal unless NO_COLOR is set,
    /// or when FORCE_COLOR is set (CI logs that render ANSI); `always` and `never` decide alone
    #[arg(long, value_enum, value_name = "WHEN", default_value = "auto")]
    color: ColorChoice,
    /// Same as --color never
    #[arg(long)]
    no_color: bool,
    /// Exit 1 when a diagnostic at or above this severity is reported. Default: `fail-on` from
    /// the config file, else `error`: a new linter in CI reports without breaking the build
    /// until the team opts in (every shipped rule is a note or a warning)
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_on: Option<config::FailOn>,
    /// Read the configuration from FILE (a stackfit.toml, or a pyproject.toml with
    /// [tool.stackfit]) instead of searching upwards from the scanned path
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    config: Option<PathBuf>,
    /// Ignore any configuration file
    #[arg(long)]
    no_config: bool,
    /// Diagnostics whose fingerprints are in FILE (a --write-baseline file, or a JSON report)
    /// are known: reported as such, and never counted toward --fail-on (docs/adopting.md)
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write every current diagnostic's fingerprint to FILE, a baseline for --baseline
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Report only the diagnostics of files changed since REF (its merge base with HEAD, the
    /// working tree and untracked files); the verdict still reads the whole repository
    #[arg(long, value_name = "REF")]
    changed_since: Option<String>,
    #[command(flatten)]
    work: WorkArgs,
    #[command(flatten)]
    rules: RulesArg,
}

/// What --baseline and --changed-since read before the scan, so that a bad file or REF fails
/// before the work.
struct Adoption {
    baseline: Option<baseline::Baseline>,
    changed: Option<changed::Changed>,
}

impl Adoption {
    fn read(args: &ScanArgs, root: &Path) -> Result<Adoption, String> {
        Ok(Adoption {
            baseline: args.baseline.as_deref().map(baseline::load).transpose()?,
            changed: (args.changed_since.as_deref())
                .map(|r| changed::since(root, r))
                .transpose()?,
        })
    }

    /// Checks the baseline is for this root, writes --write-baseline (every diagnostic), then
    /// marks and narrows the diagnostics.
    fn apply(
        &self,
        args: &ScanArgs,
        root: &Path,
        res: &mut ScanResult,
    ) -> Result<baseline::Triage, String> {
        let id = baseline::RootId::of(root, &res.own_names);
        if let Some(b) = &self.baseline {
            id.check(&b.root)
                .map_err(|why| format!("baseline `{}` is for another root: {why}", b.file))?;
        }
        if let Some(file) = &args.write_baseline {
            let mut f = report::AtomicFile::create(file)?;
            f.write_all(baseline::document(&res.diagnostics, &id).as_bytes())
                .map_err(|e| format!("cannot write `{}`: {e}", file.display()))?;
            f.commit()?;
        }
        let (b, c) = (self.baseline.as_ref(), self.changed.as_ref());
        Ok(baseline::triage(&mut res.diagnostics, b, c))
    }
}

/// The bounds on the work, shared by `scan` and `batch`.
#[derive(Args)]
struct WorkArgs {
    /// Skip files larger than this many bytes (reported as skipped)
    #[arg(long, value_name = "BYTES", default_value_t = 1_048_576)]
    max_file_size: u64,
    /// Give up parsing a file after this many milliseconds (reported as skipped)
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    parse_timeout_ms: u64,
    /// Worker threads in all (default: the number of CPUs); `batch` runs repositories in
    /// parallel on them
    #[arg(long, short = 'j', value_name = "N")]
    threads: Option<usize>,
    /// Also scan vendored, generated and minified code (vendor/, dist/ next to src/, *.min.js,
    /// bundles, "DO NOT EDIT" files, linguist-vendored/-generated paths), skipped by default
    #[arg(long)]
    include_generated: bool,
    /// Parse and query every file, without the prefilter (hidden: its soundness check)
    #[arg(long, hide = true)]
    no_prefilter: bool,
    /// Parse every file and run no rule (hidden: the benchmark's floor; see bench/README.md)
    #[arg(long, hide = true, conflicts_with = "no_prefilter")]
    parse_only: bool,
}

impl WorkArgs {
    fn limits(&self) -> Result<Limits, String> {
        if self.max_file_size == 0 {
            return Err("--max-file-size must be at least 1".into());
        }
        if self.parse_timeout_ms == 0 {
            return Err("--parse-timeout-ms must be at least 1".into());
        }
        Ok(Limits {
            max_file_bytes: self.max_file_size,
            parse_timeout: Duration::from_millis(self.parse_timeout_ms),
            include_generated: self.include_generated,
            engine: match (self.parse_only, self.no_prefilter) {
                (true, _) => Engine::ParseOnly,
                (_, true) => Engine::Full,
                _ => Engine::Prefiltered,
            },
        })
    }

    fn threads(&self) -> usize {
        self.threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
            .max(1)
    }
}

fn load_rules(arg: &RulesArg) -> Result<Ruleset, String> {
    let rs = match &arg.rules_dir {
        Some(dir) => Ruleset::from_dir(dir).and_then(|rs| rs.compile_all().map(|_| rs)),
        None => Ruleset::embedded(),
    };
    rs.map_err(|e| format!("invalid rules: {e}"))
}

fn main() -> ExitCode {
    alloc::install();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(msg) => {
            eprintln!("stackfit: error: {msg}");
            ExitCode::from(2)
        }
    }
}

fn write_stdout(s: &str) -> Result<(), String> {
    write_stdout_with(|w| w.write_all(s.as_bytes()))
}

/// Runs `write` on a buffered, locked stdout.
fn write_stdout_with(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), String> {
    let mut out = std::io::BufWriter::with_capacity(64 << 10, std::io::stdout().lock());
    match write(&mut out).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        // A closed pipe (`stackfit scan | head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

fn run(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Scan(args) => scan_cmd(args),
        Command::Batch(args) => batch_cmd(args),
        Command::Schema { batch } => {
            write_stdout(&report::schema::render(batch))?;
            Ok(0)
        }
        Command::Rules { format, rules } => {
            let rs = load_rules(&rules)?;
            write_stdout(&docs::listing(&rs, format == ListFormat::Json))?;
            Ok(0)
        }
        Command::Explain { code, rules } => {
            let rs = load_rules(&rules)?;
            let Some(i) = rs.rule_index(&code) else {
                return Err(format!(
                    "no rule `{code}` (run `stackfit rules` for the list)"
                ));
            };
            write_stdout(&docs::explain(&rs, i))?;
            Ok(0)
        }
        Command::Dashboard { reports, output } => dashboard_cmd(&reports, output.as_deref()),
    }
}

fn dashboard_cmd(reports: &[PathBuf], output: Option<&std::path::Path>) -> Result<u8, String> {
    let mut snaps = Vec::new();
    for f in reports {
        let text = std::fs::read_to_string(f)
            .map_err(|e| format!("cannot read `{}`: {}", f.display(), io_reason(&e)))?;
        snaps.push(report::dashboard::parse(&f.display().to_string(), &text));
    }
    let page = report::dashboard::render(&snaps);
    match output {
        Some(file) => std::fs::write(file, page)
            .map_err(|e| format!("cannot write `{}`: {}", file.display(), io_reason(&e)))
            .map(|()| 0),
        None => write_stdout(&page).map(|()| 0),
    }
}

/// The config of a scan of `root`: `--config FILE`, none, or the one found above `root` with
/// the nested configs below it, globs bound to `root`; not yet applied to the rules.
fn scan_config(
    args: &ScanArgs,
    root: &std::path::Path,
    rs: &Ruleset,
    include_generated: bool,
) -> Result<config::Config, String> {
    let file = match (&args.config, args.no_config) {
        (Some(f), _) => Some(f.clone()),
        (None, true) => None,
        (None, false) => config::Config::discover(root),
    };
    let mut cfg = match &file {
        Some(f) => config::Config::load(f, rs)?,
        None => config::Config::default(),
    };
    cfg.bind_root(root);
    if args.config.is_none() && !args.no_config {
        let found = stackfit::walk::nested_configs(root, cfg.exclude.as_ref(), include_generated);
        cfg.add_nested(&found, root, rs)?;
    }
    Ok(cfg)
}

fn scan_cmd(args: ScanArgs) -> Result<u8, String> {
    let mut rs = load_rules(&args.rules)?;
    let (root, targets) = stackfit::walk::project_of(&args.paths, args.in_project)?;
    let limits = args.work.limits()?;
    let cfg = scan_config(&args, &root, &rs, limits.include_generated)
        .map_err(|e| format!("invalid config: {e}"))?;
    cfg.apply_to(&mut rs);
    let fail_on = args.fail_on.or(cfg.fail_on).unwrap_or_default();
    let opts = ScanOptions {
        walk: WalkOptions {
            root,
            threads: args.work.threads(),
            include_generated: limits.include_generated,
            exclude: cfg.exclude.clone(),
            targets,
        },
        limits,
    };
    let adoption = Adoption::read(&args, &opts.walk.root)?;
    let ci = std::env::var("CI").ok();
    let show = progress::enabled(std::io::stderr().is_terminal(), ci.as_deref(), args.quiet);
    let mut bar = progress::Bar::new(show);
    let mut res = scan::run_observed(&rs, &opts, &cfg, &mut |bytes| bar.file(bytes));
    bar.finish();
    if res
        .skipped
        .iter()
        .any(|(_, r)| *r == SkipReason::RulesError)
    {
        let why = Lang::ALL
            .iter()
            .find_map(|l| rs.try_compiled(*l).err())
            .map_or_else(|| "unknown".to_string(), |e| e.to_string());
        return Err(format!("invalid rules: {why}"));
    }
    if args.add_suppressions {
        let sum = stackfit::fix::add_suppressions(&rs, &opts.walk.root, &res.diagnostics)?;
        for note in sum.notes.iter().filter(|_| !args.quiet) {
            eprintln!("stackfit: {note}");
        }
        eprintln!("stackfit: {}", stackfit::fix::describe(&sum));
        return Ok(0);
    }
    let choice = if args.no_color {
        ColorChoice::Never
    } else {
        args.color
    };
    let env = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty() && v != "0");
    let color = use_color(
        choice,
        env("FORCE_COLOR"),
        env("NO_COLOR"),
        std::io::stdout().is_terminal(),
    );
    let triage = adoption.apply(&args, &opts.walk.root, &mut res)?;
    let cx = report::Input {
        triage: Some(&triage),
        ..report::Input::from_env(&rs, &res, &opts, color)
    };
    for (format, file) in &args.output {
        report::write_file(*format, &cx, file)?;
    }
    if args.format == report::Format::Json {
        // Streamed: the document is written as it is serialized, never held whole.
        write_stdout_with(|w| report::json::write(&cx, w))?;
    } else {
        write_stdout(&report::render(args.format, &cx))?;
    }
    let failed = (res.diagnostics.iter().enumerate())
        .any(|(i, d)| triage.counts(i) && fail_on.trips(d.severity));
    Ok(if failed { 1 } else { 0 })
}

fn batch_cmd(args: BatchArgs) -> Result<u8, String> {
    let BatchFormat::Ndjson = args.format;
    let mut roots = args.paths.clone();
    if let Some(file) = &args.repos_from {
        roots.extend(batch::read_repo_list(file)?);
    }
    if roots.is_empty() {
        return Err("no repository to scan: give PATH... or --repos-from FILE".into());
    }
    let opts = batch::BatchOptions {
        threads: args.work.threads(),
        limits: args.work.limits()?,
        config: match (&args.config, args.no_config) {
            (Some(f), _) => batch::ConfigChoice::File(f.clone()),
            (None, true) => batch::ConfigChoice::Ignore,
            (None, false) => batch::ConfigChoice::Discover,
        },
        fail_on: args.fail_on,
        progress: std::io::stderr().is_terminal(),
    };
    let load = || load_rules(&args.rules);
    let summary = match &args.output {
        Some(file) => {
            let mut out = report::AtomicFile::create(file)?;
            let summary = batch::run(&load, &roots, &opts, &mut out)?;
            out.commit()?;
            summary
        }
        None => batch::run(&load, &roots, &opts, &mut std::io::stdout().lock())?,
    };
    Ok(summary.exit_code())
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_choices() {
        use ColorChoice::*;
        assert!(use_color(Always, false, true, false));
        assert!(!use_color(Never, true, false, true));
        assert!(
            use_color(Auto, true, true, false),
            "FORCE_COLOR wins in auto"
        );
        assert!(use_color(Auto, false, false, true));
        assert!(!use_color(Auto, false, true, true), "NO_COLOR");
        assert!(!use_color(Auto, false, false, false), "not a terminal");
    }
}
