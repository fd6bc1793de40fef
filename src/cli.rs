//! Command-line interface: argument definitions, the shared command context, dispatch, exit codes.
use crate::context::{Ctx, error_diagnostic};
use crate::diagnostics::render::{self, Format, RenderOptions};
use crate::diagnostics::{Diagnostic, Report};
use crate::error::NovaError;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// nova keeps a Rust microservice backend honest: proto lint and breaking-change gates, migration
/// invariants, correlation-ID wiring, and generators whose output passes them.
#[derive(Debug, Parser)]
#[command(name = "nova", version, about, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Output format: human, or a machine format for scripts and CI (json, sarif, github, junit,
    /// gitlab, rdjson, checkstyle, markdown; see docs/output.md).
    #[arg(long, global = true, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Use this nova.toml instead of searching upwards from the working directory.
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// When to use colour in human output (`NO_COLOR` is respected in `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Also write the report in FORMAT to PATH (repeatable), e.g. `--format github
    /// --report-file sarif=nova.sarif`: annotations and a code-scanning file from one run.
    #[arg(long = "report-file", global = true, value_name = "FORMAT=PATH", value_parser = parse_report_file)]
    pub report_file: Vec<ReportFile>,
    #[command(subcommand)]
    pub command: Command,
}

/// `--report-file FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFile {
    pub format: Format,
    pub path: PathBuf,
}

fn parse_report_file(s: &str) -> Result<ReportFile, String> {
    let (format, path) =
        s.split_once('=').ok_or_else(|| format!("`{s}` is not FORMAT=PATH (for example sarif=nova.sarif)"))?;
    let format = Format::from_str(format.trim(), true).map_err(|_| {
        format!(
            "unknown format `{}` (human, json, sarif, github, junit, gitlab, rdjson, checkstyle, markdown)",
            format.trim()
        )
    })?;
    if path.is_empty() {
        return Err(format!("`{s}` names no file"));
    }
    Ok(ReportFile { format, path: PathBuf::from(path) })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Protobuf checks: lint, breaking changes, the registry gate.
    Proto {
        #[command(subcommand)]
        cmd: ProtoCommand,
    },
    /// SQL migration checks.
    Migrations {
        #[command(subcommand)]
        cmd: MigrationsCommand,
    },
    /// Correlation-ID and resilience wiring checks.
    Wiring {
        #[command(subcommand)]
        cmd: WiringCommand,
    },
    /// Kubernetes manifest checks: WebSocket affinity, graceful shutdown, probes, cross-checks with the code.
    K8s {
        #[command(subcommand)]
        cmd: K8sCommand,
    },
    /// Run every configured checker: the pull-request gate.
    Check(crate::check::CheckAllArgs),
    /// Scaffold a new service in the current Cargo workspace.
    New(crate::scaffold::NewArgs),
    /// Generate code into an existing service.
    Gen {
        #[command(subcommand)]
        cmd: crate::scaffold::GenCommand,
    },
    /// List or eject the generator templates.
    Templates {
        #[command(subcommand)]
        cmd: crate::scaffold::TemplatesCommand,
    },
    /// Write a nova.toml (and optionally a CI workflow) that matches this repository.
    Init(crate::check::InitArgs),
    /// List every rule: ID, checker, categories, default severity.
    Rules {
        /// Only this checker's rules (proto, proto-breaking, migrations, wiring, k8s, scaffold).
        #[arg(long)]
        checker: Option<String>,
    },
    /// Print a rule's documentation.
    Explain {
        /// Rule ID, e.g. FIELD_LOWER_SNAKE_CASE.
        rule: String,
    },
    /// Print shell completions.
    Completions { shell: clap_complete::Shell },
}

#[derive(Debug, Subcommand)]
pub enum ProtoCommand {
    /// Lint .proto files (buf-compatible rule IDs, plus nova's own rules).
    Lint(crate::proto::lint::LintArgs),
    /// Detect breaking changes against a directory, a git ref or the registry.
    Breaking(crate::proto::breaking::BreakingArgs),
    /// Lint, breaking, semver and drift against the registry: the pre-push gate.
    Check(crate::proto::check::CheckArgs),
}

#[derive(Debug, Subcommand)]
pub enum MigrationsCommand {
    /// Replay migrations into a schema model and check its invariants.
    Check(crate::sql::MigrationsArgs),
}

#[derive(Debug, Subcommand)]
pub enum WiringCommand {
    /// Check correlation-ID, interceptor and circuit-breaker wiring per service.
    Check(crate::wiring::WiringArgs),
}

#[derive(Debug, Subcommand)]
pub enum K8sCommand {
    /// Check manifests (files, directories, kustomizations, `-` for stdin) and the fleet view.
    Check(crate::k8s::K8sArgs),
}

fn use_color(choice: ColorChoice) -> bool {
    use_color_on(choice, std::io::stdout().is_terminal())
}

fn use_color_on(choice: ColorChoice, terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && terminal,
    }
}

/// Write to stdout; a closed pipe is not an error.
fn emit(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Entry point of the binary.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            if !e.use_stderr() {
                // --help, --version
                let _ = e.print();
                return ExitCode::from(0);
            }
            let _ = e.print();
            // A machine consumer gets the usage error as a document too, as for any other error,
            // and so does every report file the line asked for.
            let args: Vec<String> = std::env::args().skip(1).collect();
            let mut report = Report::new();
            report.push(usage_diagnostic(&e));
            if let Ok(cwd) = std::env::current_dir() {
                let _ = write_report_files(&report, &requested_report_files(&args), &cwd, &RenderOptions::default());
            }
            if let Some(format) = requested_format(&args).filter(|f| f.is_machine()) {
                let _ = emit(&render::render(&report, format, &RenderOptions::default()));
            }
            return ExitCode::from(2);
        }
    };
    // The process exits after this one command: memory held to its end is left to the exit.
    crate::proto::loader::PROCESS_EXITS_AFTER_COMMAND.store(true, std::sync::atomic::Ordering::Relaxed);
    ExitCode::from(run(cli))
}

/// The values of `--NAME VALUE` / `--NAME=VALUE` in a command line clap refused (read by hand).
fn option_values<'a>(args: &'a [String], name: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        match a.strip_prefix(name) {
            Some("") => out.extend(it.next().map(String::as_str)),
            Some(v) if v.starts_with('=') => out.push(&v[1..]),
            _ => {}
        }
    }
    out
}

/// The `--format` a refused command line asks for (the last valid one, as clap would take it).
fn requested_format(args: &[String]) -> Option<Format> {
    option_values(args, "--format").into_iter().filter_map(|v| Format::from_str(v, true).ok()).next_back()
}

/// The `--report-file`s a refused command line asks for (the valid ones).
fn requested_report_files(args: &[String]) -> Vec<ReportFile> {
    option_values(args, "--report-file").into_iter().filter_map(|v| parse_report_file(v).ok()).collect()
}

/// A command line clap refused, as an input-error diagnostic (`USAGE`, exit 2).
fn usage_diagnostic(e: &clap::Error) -> Diagnostic {
    let text = e.render().to_string();
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let message = lines.next().unwrap_or("invalid command line").trim_start_matches("error: ").to_string();
    let mut d = Diagnostic::input_error("nova", "USAGE", message);
    let rest: Vec<&str> = lines.map(str::trim).collect();
    if !rest.is_empty() {
        d.help = Some(rest.join("\n"));
    }
    d
}

/// Run a parsed command line; returns the exit code.
pub fn run(cli: Cli) -> u8 {
    let format = cli.format;
    let color_choice = cli.color;
    // Only a command that produces a report writes report files (the others refuse the option).
    let files = if produces_report(&cli.command) { cli.report_file.clone() } else { Vec::new() };
    match run_inner(cli) {
        Ok(code) => code,
        Err(err) => {
            let mut report = Report::new();
            report.push(error_diagnostic(&err));
            // A requested report file says why the run stopped too (code scanning then shows it).
            if let Ok(cwd) = std::env::current_dir() {
                let _ = write_report_files(&report, &files, &cwd, &RenderOptions::default());
            }
            if format.is_machine() {
                // Machine consumers get the error in their format too.
                let text = render::render(&report, format, &RenderOptions::default());
                let _ = emit(&text);
                eprintln!("{err}");
            } else if let Some(d) = report.diagnostics.first().filter(|d| d.span.is_some()) {
                // With a location, show it like a finding: excerpt and caret (e.g. a bad nova.toml key).
                let color = use_color_on(color_choice, std::io::stderr().is_terminal());
                let opts = RenderOptions { color, repo_root: None };
                // A stopping error is not a rule finding: no rule ID, no "input error" footnote.
                let mut d = d.clone();
                d.rule.clear();
                d.kind = crate::diagnostics::Kind::Finding;
                let _ = std::io::stderr().write_all(render::human::render_diagnostic(&report, &d, &opts).as_bytes());
            } else {
                eprintln!("{err}");
            }
            2
        }
    }
}

fn produces_report(command: &Command) -> bool {
    matches!(
        command,
        Command::Proto { .. }
            | Command::Migrations { .. }
            | Command::Wiring { .. }
            | Command::K8s { .. }
            | Command::Check(_)
    )
}

fn run_inner(cli: Cli) -> Result<u8, NovaError> {
    let color = use_color(cli.color);
    if !cli.report_file.is_empty() && !produces_report(&cli.command) {
        return Err(NovaError::new("--report-file needs a command that produces a report").with_help(
            "`nova check`, `nova proto lint|breaking|check`, `nova migrations check`, `nova wiring check`, `nova k8s check`",
        ));
    }
    match &cli.command {
        Command::Rules { checker } => return emit_text(&crate::explain::rules_table(checker.as_deref(), cli.format)?),
        Command::Explain { rule } => return emit_text(&crate::explain::explain(rule)?),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(*shell, &mut Cli::command(), "nova", &mut buf);
            return emit_text(&String::from_utf8_lossy(&buf));
        }
        _ => {}
    }
    let cwd = std::env::current_dir().map_err(|e| NovaError::new(format!("cannot read the working directory: {e}")))?;
    let config = crate::config::load(&cwd, cli.config.as_deref())?;
    let mut ctx = Ctx::new(cwd, config, cli.format, RenderOptions { color, repo_root: None });
    // Only SARIF and GitHub output name files relative to the repository; other runs that never
    // need git do not open it.
    if std::iter::once(cli.format).chain(cli.report_file.iter().map(|r| r.format)).any(Format::uses_repo_paths) {
        ctx.render.repo_root = ctx.git.workdir();
    }
    let report = match &cli.command {
        Command::Proto { cmd: ProtoCommand::Lint(a) } => crate::proto::lint::run(&ctx, a)?,
        Command::Proto { cmd: ProtoCommand::Breaking(a) } => crate::proto::breaking::run(&ctx, a)?,
        Command::Proto { cmd: ProtoCommand::Check(a) } => crate::proto::check::run(&ctx, a)?,
        Command::Migrations { cmd: MigrationsCommand::Check(a) } => crate::sql::run(&ctx, a)?,
        Command::Wiring { cmd: WiringCommand::Check(a) } => crate::wiring::run(&ctx, a)?,
        Command::K8s { cmd: K8sCommand::Check(a) } => crate::k8s::run(&ctx, a)?,
        Command::Check(a) => crate::check::run(&ctx, a)?,
        Command::New(a) => return crate::scaffold::run_new(&ctx, a),
        Command::Gen { cmd } => return crate::scaffold::run_gen(&ctx, cmd),
        Command::Templates { cmd } => return crate::scaffold::run_templates(&ctx, cmd),
        Command::Init(a) => return crate::check::run_init(&ctx, a),
        Command::Rules { .. } | Command::Explain { .. } | Command::Completions { .. } => unreachable!("handled above"),
    };
    finish(&ctx, report, &cli.report_file)
}

/// Write the report to every `--report-file`, each atomically (all or nothing per file), before
/// anything goes to stdout: a file that cannot be written stops the run with exit 2.
fn write_report_files(
    report: &Report,
    files: &[ReportFile],
    cwd: &Path,
    render: &RenderOptions,
) -> Result<(), NovaError> {
    let opts = RenderOptions { color: false, ..render.clone() };
    for f in files {
        let path = if f.path.is_absolute() { f.path.clone() } else { cwd.join(&f.path) };
        crate::fsutil::write_atomic(&path, render::render(report, f.format, &opts).as_bytes())?;
    }
    Ok(())
}

/// Render a report to stdout (and to the `--report-file`s) and compute the exit code.
pub fn finish(ctx: &Ctx, mut report: Report, files: &[ReportFile]) -> Result<u8, NovaError> {
    report.sort();
    write_report_files(&report, files, &ctx.cwd, &ctx.render)?;
    let text = render::render(&report, ctx.format, &ctx.render);
    let code = report.exit_code();
    if report.has_input_errors() && !ctx.format.is_machine() {
        // Keep stdout for findings; the summary of unusable input also goes to stderr.
        eprintln!("error: some input could not be checked (exit 2)");
    }
    emit_text(&text).map(|_| code)
}

fn emit_text(text: &str) -> Result<u8, NovaError> {
    match emit(text) {
        Ok(()) => Ok(0),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(0),
        Err(e) => Err(NovaError::new(format!("cannot write output: {e}"))),
    }
}
