//! `--verify-with`: apply the migrations to a scratch PostgreSQL database and compare.
use crate::diagnostics::Diagnostic;
use crate::error::NovaError;
use crate::sql::Stream;
use crate::sql::config::Settings;
use std::path::Path;

pub fn verify(_url: &str, _stream: &Stream, _settings: &Settings, _cwd: &Path) -> Result<Vec<Diagnostic>, NovaError> {
    Err(NovaError::new("--verify-with is not implemented yet"))
}
