//! Errors that stop a command: usage, configuration or input problems. They map to exit code 2.
use std::fmt;
use std::path::PathBuf;

/// Where an error was found, 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorLocation {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

/// A command-stopping error (exit 2). Findings are never errors: they are diagnostics in a report.
#[derive(Debug)]
pub struct NovaError {
    pub message: String,
    pub location: Option<ErrorLocation>,
    pub help: Option<String>,
}

impl NovaError {
    pub fn new(message: impl Into<String>) -> Self {
        NovaError { message: message.into(), location: None, help: None }
    }
    pub fn at(mut self, path: impl Into<PathBuf>, line: Option<usize>, column: Option<usize>) -> Self {
        self.location = Some(ErrorLocation { path: path.into(), line, column });
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// An I/O error on a path, with the path in the message.
    pub fn io(path: &std::path::Path, err: &std::io::Error) -> Self {
        NovaError::new(format!("cannot read {}: {}", path.display(), err)).at(path, None, None)
    }
}

impl fmt::Display for NovaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "error: {}", self.message)?;
        if let Some(loc) = &self.location {
            write!(f, "\n  --> {}", loc.path.display())?;
            if let Some(l) = loc.line {
                write!(f, ":{l}")?;
                if let Some(c) = loc.column {
                    write!(f, ":{c}")?;
                }
            }
        }
        if let Some(h) = &self.help {
            write!(f, "\n  = help: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for NovaError {}

impl From<std::io::Error> for NovaError {
    fn from(e: std::io::Error) -> Self {
        NovaError::new(e.to_string())
    }
}

pub type Result<T, E = NovaError> = std::result::Result<T, E>;
