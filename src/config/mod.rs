//! `nova.toml`: found by walking up from the working directory (`--config` overrides), one section
//! per checker. Unknown keys are an error that points at the key's line.
use crate::diagnostics::{Level, LineIndex};
use crate::error::NovaError;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "nova.toml";

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct NovaConfig {
    pub proto: crate::proto::config::ProtoConfig,
    pub migrations: crate::sql::config::MigrationsConfig,
    pub wiring: crate::wiring::config::WiringConfig,
    pub k8s: crate::k8s::config::K8sConfig,
    pub scaffold: crate::scaffold::config::ScaffoldConfig,
    pub check: CheckConfig,
}

/// `[check]`: the combined gate.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckConfig {
    /// Checkers `nova check` runs; empty means every configured one.
    pub only: Vec<String>,
    pub skip: Vec<String>,
    /// The base branch `nova proto check` compares the registry with when `--base` is not given
    /// (default: what `origin/HEAD` points at, else main, master or trunk).
    pub base: Option<String>,
    /// The baseline file of accepted findings `nova check` hides (relative to nova.toml).
    pub baseline: Option<PathBuf>,
}

/// Per-rule severity overrides (`RULE = "error" | "warning" | "info" | "off"`), shared by checkers.
pub type Severities = BTreeMap<String, Level>;

/// A configuration as loaded, with where it came from.
#[derive(Debug, Clone, Default)]
pub struct LoadedConfig {
    /// The file, when one was found.
    pub path: Option<PathBuf>,
    /// Directory relative paths in the file are resolved against (the file's directory, else the cwd).
    pub dir: PathBuf,
    pub config: NovaConfig,
    /// Top-level sections and dotted subsections present in the file (`proto`, `proto.lint`, ...).
    pub sections: BTreeSet<String>,
}

impl LoadedConfig {
    /// Whether the file configures `section` (e.g. `migrations`, `proto.lint`).
    pub fn has_section(&self, section: &str) -> bool {
        self.sections.contains(section)
    }
    /// Resolve a path from the config against the config's directory.
    pub fn resolve(&self, p: &Path) -> PathBuf {
        if p.is_absolute() { p.to_path_buf() } else { self.dir.join(p) }
    }
}

impl LoadedConfig {
    /// An error about a rule selection read from `section` (`["migrations"]`, `["proto",
    /// "breaking"]`) pointed at the line and column of the name it complains about: a key of
    /// `severity` / `ignore_only`, or an element of `use` / `except`. The name is the first
    /// back-quoted word of the message. An error that already has a location, or a name the file
    /// does not hold (it came from the command line or a buf.yaml), is returned as it is.
    pub fn locate_selection_error(&self, section: &[&str], err: NovaError) -> NovaError {
        if err.location.is_some() {
            return err;
        }
        let Some(path) = &self.path else { return err };
        let name = err.message.split('`').nth(1).unwrap_or_default().to_string();
        let Ok(text) = std::fs::read_to_string(path) else { return err };
        match locate_name(&text, section, &name) {
            Some(offset) => {
                let (line, col) = LineIndex::new(&text).line_col(&text, offset);
                let mut err = err;
                err.message = format!("[{}] {}", section.join("."), err.message);
                err.at(path, Some(line), Some(col))
            }
            None => err,
        }
    }
}

/// Byte offset of `name` in `section` of a TOML text: a key of `severity` or `ignore_only`, or a
/// string element of `use` or `except`.
fn locate_name(text: &str, section: &[&str], name: &str) -> Option<usize> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let mut table = doc.as_table() as &dyn toml_edit::TableLike;
    for s in section {
        table = table.get(s)?.as_table_like()?;
    }
    for key in ["severity", "ignore_only"] {
        if let Some(t) = table.get(key).and_then(|i| i.as_table_like())
            && let Some((k, _)) = t.get_key_value(name)
        {
            return k.span().map(|r| r.start);
        }
    }
    for key in ["use", "except"] {
        if let Some(arr) = table.get(key).and_then(|i| i.as_array())
            && let Some(v) = arr.iter().find(|v| v.as_str() == Some(name))
        {
            return v.span().map(|r| r.start);
        }
    }
    None
}

/// Walk up from `start` to find `nova.toml`.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join(FILE_NAME);
        // A nova.toml symlink that does not resolve is the user's config, unreadable: loading it
        // reports that, rather than silently running with defaults.
        if candidate.is_file() || candidate.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()) {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

/// Load the configuration: `explicit` (from `--config`) or the first `nova.toml` above `cwd`.
/// No file at all is the default configuration.
pub fn load(cwd: &Path, explicit: Option<&Path>) -> Result<LoadedConfig, NovaError> {
    let path = match explicit {
        Some(p) => {
            let p = if p.is_absolute() { p.to_path_buf() } else { cwd.join(p) };
            if !p.is_file() {
                return Err(NovaError::new(format!("config file {} does not exist", p.display())).at(&p, None, None));
            }
            Some(p)
        }
        None => discover(cwd),
    };
    match path {
        None => Ok(LoadedConfig { path: None, dir: cwd.to_path_buf(), ..Default::default() }),
        Some(p) => load_file(&p),
    }
}

/// Load one `nova.toml`.
pub fn load_file(path: &Path) -> Result<LoadedConfig, NovaError> {
    let text = crate::fsutil::read_text(path)?;
    let (config, sections) = parse_str(&text, path)?;
    let dir = path.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    Ok(LoadedConfig { path: Some(path.to_path_buf()), dir, config, sections })
}

/// Parse configuration text; errors carry the file, line and column of the offending key.
pub fn parse_str(text: &str, path: &Path) -> Result<(NovaConfig, BTreeSet<String>), NovaError> {
    let table: toml::Table = toml::from_str(text).map_err(|e| toml_error(text, path, &e))?;
    let mut sections = BTreeSet::new();
    collect_sections(&table, "", &mut sections);
    let config: NovaConfig = toml::from_str(text).map_err(|e| toml_error(text, path, &e))?;
    Ok((config, sections))
}

fn collect_sections(table: &toml::Table, prefix: &str, out: &mut BTreeSet<String>) {
    for (k, v) in table {
        if let toml::Value::Table(t) = v {
            let name = if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") };
            out.insert(name.clone());
            collect_sections(t, &name, out);
        }
    }
}

/// Turn a `toml` error into a `NovaError` at the line and column of its span.
pub fn toml_error(text: &str, path: &Path, e: &toml::de::Error) -> NovaError {
    let (line, col) = match e.span() {
        Some(span) => {
            let idx = LineIndex::new(text);
            let (l, c) = idx.line_col(text, span.start);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    let msg = e.message().trim().to_string();
    NovaError::new(format!("invalid configuration in {}: {msg}", path.display())).at(path, line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_points_at_its_line() {
        let text = "[proto]\n\n[migrations]\nbogus_key = 1\n";
        let err = parse_str(text, Path::new("nova.toml")).unwrap_err();
        let loc = err.location.clone().expect("location");
        assert_eq!(loc.line, Some(4), "{err}");
        assert!(err.message.contains("bogus_key"), "{err}");
    }

    #[test]
    fn selection_errors_point_at_their_name() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("nova.toml");
        let text = "[migrations]\ndirs = [\"m\"]\n\n[migrations.severity]\nNOPE_RULE = \"warning\"\n\n[wiring]\nseverity = { \"A\" = \"off\", BAD = \"off\" }\n\n[proto.breaking]\nuse = [\"FILE\", \"NOPE\"]\n";
        std::fs::write(&p, text).unwrap();
        let loaded = load_file(&p).unwrap();
        let at = |section: &[&str], name: &str| {
            let e =
                loaded.locate_selection_error(section, NovaError::new(format!("unknown rule or category `{name}`")));
            let loc = e.location.clone().unwrap_or_else(|| panic!("no location: {e}"));
            assert!(e.message.starts_with(&format!("[{}]", section.join("."))), "{}", e.message);
            (loc.line.unwrap(), loc.column.unwrap())
        };
        assert_eq!(at(&["migrations"], "NOPE_RULE"), (5, 1));
        assert_eq!(at(&["wiring"], "BAD"), (8, 27));
        assert_eq!(at(&["proto", "breaking"], "NOPE"), (11, 16));
        // A name the file does not hold (from the command line) gets no invented location.
        let e = loaded.locate_selection_error(&["wiring"], NovaError::new("unknown rule or category `CLI`"));
        assert!(e.location.is_none());
    }

    #[test]
    fn sections_are_recorded() {
        let (_, s) = parse_str("[proto.lint]\nuse = [\"MINIMAL\"]\n", Path::new("nova.toml")).unwrap();
        assert!(s.contains("proto") && s.contains("proto.lint"));
    }
}
