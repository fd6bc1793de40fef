//! The run context every command receives (where it runs, the configuration, output settings,
//! the repository handle), and the conversion of a command-stopping error into a diagnostic.
//! Checkers depend on this module, never on the CLI that builds it.
use crate::config::LoadedConfig;
use crate::diagnostics::render::{Format, RenderOptions};
use crate::diagnostics::{Diagnostic, FileRef, Span};
use crate::error::NovaError;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

/// What every command gets: where it runs, the configuration, the output settings.
pub struct Ctx {
    pub cwd: PathBuf,
    pub config: LoadedConfig,
    pub format: Format,
    pub render: RenderOptions,
    /// The repository containing `cwd`, opened at most once per command and shared by every
    /// part of it (see [`crate::gitutil::Git`]).
    pub git: Arc<crate::gitutil::Git>,
    /// A command run inside another (a checker under `nova check`) leaves the terminal to the
    /// outer command's progress bar.
    pub nested: bool,
    /// The walk of the checked tree `nova check` does once and shares with every checker (none
    /// when a checker runs alone: it walks by itself).
    pub tree: Option<Arc<crate::walk::Tree>>,
}

impl Ctx {
    /// A progress bar on stderr, shown only for human output on a terminal.
    pub fn progress(&self, len: u64, what: &str) -> indicatif::ProgressBar {
        if self.nested || self.format.is_machine() || !std::io::stderr().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let pb = indicatif::ProgressBar::new(len);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len}") {
            pb.set_style(style.progress_chars("=> "));
        }
        pb.set_message(what.to_string());
        // A few long steps (a checker each) would leave the spinner frozen between them.
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        pb
    }

    /// A context whose git handle discovers from `cwd`.
    pub fn new(cwd: PathBuf, config: LoadedConfig, format: Format, render: RenderOptions) -> Ctx {
        let git = Arc::new(crate::gitutil::Git::new(&cwd));
        Ctx { cwd, config, format, render, git, nested: false, tree: None }
    }

    /// Build a context for tests and library callers.
    pub fn for_dir(cwd: PathBuf, format: Format) -> Result<Ctx, NovaError> {
        let config = crate::config::load(&cwd, None)?;
        Ok(Ctx::new(cwd, config, format, RenderOptions::default()))
    }
}

/// A command-stopping error as a diagnostic (for machine formats).
pub fn error_diagnostic(err: &NovaError) -> Diagnostic {
    let mut d = Diagnostic::input_error("nova", "INPUT_ERROR", err.message.clone());
    if let Some(loc) = &err.location {
        // Show the path relative to the working directory when it is below it, as users typed it.
        let cwd = std::env::current_dir().unwrap_or_default();
        let abs = if loc.path.is_absolute() { loc.path.clone() } else { cwd.join(&loc.path) };
        let shown = if loc.path.is_absolute() && abs.starts_with(&cwd) {
            crate::diagnostics::rel_path(&cwd, &abs)
        } else {
            loc.path.to_string_lossy().replace('\\', "/")
        };
        d.file = Some(FileRef { path: shown, abs: Some(abs) });
        if let Some(l) = loc.line {
            let c = loc.column.unwrap_or(1);
            d.span = Some(Span::new(l, c, l, c));
        }
    }
    d.help = err.help.clone();
    d
}
