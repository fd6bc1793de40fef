//! The one diagnostic model every checker speaks, and the report that carries them to a renderer.
//!
//! Lines and columns are 1-based everywhere. Columns count characters (Unicode scalar values), not
//! bytes. A diagnostic's `path` is relative to the input root that was checked (`root`), with `/`
//! separators on every platform.
pub mod render;

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How serious a finding is. `off` is a configuration value, never a diagnostic's severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A severity as configured: a rule can be switched off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
}

/// A 1-based, inclusive-start / exclusive-end-column range in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Span {
    pub fn new(line: usize, column: usize, end_line: usize, end_column: usize) -> Self {
        Span { line, column, end_line, end_column }
    }
    /// A span covering the first line of a file (used for whole-file findings).
    pub fn file_start() -> Self {
        Span { line: 1, column: 1, end_line: 1, end_column: 1 }
    }
    /// Build a span from a byte range of `source`.
    pub fn from_byte_range(source: &str, start: usize, end: usize) -> Self {
        let idx = LineIndex::new(source);
        let (line, column) = idx.line_col(source, start);
        let (end_line, end_column) = idx.line_col(source, end.max(start));
        Span { line, column, end_line, end_column }
    }
}

/// Maps byte offsets to 1-based (line, character column).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(source: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }
    pub fn line_col(&self, source: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(source.len());
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let mut end = offset;
        while !source.is_char_boundary(end) {
            end -= 1;
        }
        let col = source[start..end].chars().count() + 1;
        (line + 1, col)
    }
    /// Byte offset of a 1-based line start.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }
    /// 1-based line containing byte `offset` (a text ending in a newline has an empty last line).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i.max(1),
        }
    }
    /// How many line starts the text has (one more than its newlines).
    pub fn line_starts(&self) -> usize {
        self.starts.len()
    }
}

/// A file a diagnostic points into.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileRef {
    /// Path relative to the input root, `/`-separated. This is what users and machine formats see.
    pub path: String,
    /// Where the file is on disk (absent for files read from git objects only).
    pub abs: Option<PathBuf>,
}

impl FileRef {
    /// A file on disk. `.` components are dropped (`api/./user.proto` is `api/user.proto`), so
    /// every format names the file one way whatever path the user typed.
    pub fn new(root: &Path, abs: &Path) -> Self {
        let abs: PathBuf = abs.components().collect();
        FileRef { path: rel_path(root, &abs), abs: Some(abs) }
    }
    pub fn virtual_path(path: impl Into<String>) -> Self {
        FileRef { path: path.into(), abs: None }
    }
}

/// `/`-separated path of `abs` relative to `root` (or `abs` itself when it is not below root).
/// `.` components are dropped from the result.
pub fn rel_path(root: &Path, abs: &Path) -> String {
    if let Ok(rel) = abs.strip_prefix(root)
        && !rel.components().any(|c| c == std::path::Component::ParentDir)
    {
        return slash_path(rel);
    }
    // `a/../b` on either side: compare the resolved forms.
    let (root, abs) = (without_parent_dirs(root), without_parent_dirs(abs));
    slash_path(abs.strip_prefix(&*root).unwrap_or(&abs))
}

/// `p` with `a/../` resolved, when that names the same file (a symbolic link before `..` would
/// make the lexical result another file; then `p` stays as it is).
pub fn without_parent_dirs(p: &Path) -> std::borrow::Cow<'_, Path> {
    use std::path::Component;
    if !p.components().any(|c| c == Component::ParentDir) {
        return std::borrow::Cow::Borrowed(p);
    }
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c.as_os_str()),
        }
    }
    match (out.canonicalize(), p.canonicalize()) {
        (Ok(a), Ok(b)) if a == b => std::borrow::Cow::Owned(out),
        _ => std::borrow::Cow::Borrowed(p),
    }
}

/// `p` with `/` separators and without `.` components (`.` for an empty path).
pub fn slash_path(p: &Path) -> String {
    use std::path::Component;
    let mut s = String::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::Prefix(x) => s.push_str(&x.as_os_str().to_string_lossy()),
            Component::RootDir => s.push('/'),
            Component::ParentDir | Component::Normal(_) => {
                if !s.is_empty() && !s.ends_with('/') {
                    s.push('/');
                }
                s.push_str(&c.as_os_str().to_string_lossy());
            }
        }
    }
    if s.is_empty() { ".".to_string() } else { s }
}

/// A secondary location with its own message ("previously defined here", "later altered here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub file: Option<FileRef>,
    pub span: Option<Span>,
    pub message: String,
}

/// One text edit of a fix: replace the bytes `start..end` of `file` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub file: FileRef,
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

/// A suggested or applicable fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub description: String,
    /// `true` when `nova --fix` may apply it without review.
    pub safe: bool,
    pub edits: Vec<Edit>,
}

/// Why a diagnostic exists: a rule's finding, or input nova could not use (exit 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Finding,
    InputError,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable rule ID (`FIELD_LOWER_SNAKE_CASE`), or an input-error code (`COMPILE`, `IO`, ...).
    pub rule: String,
    /// Which checker produced it: `proto`, `proto-breaking`, `migrations`, `wiring`, `scaffold`, `config`.
    pub checker: &'static str,
    pub severity: Severity,
    pub kind: Kind,
    pub message: String,
    pub file: Option<FileRef>,
    pub span: Option<Span>,
    pub labels: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    pub fn new(checker: &'static str, rule: impl Into<String>, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            rule: rule.into(),
            checker,
            severity,
            kind: Kind::Finding,
            message: message.into(),
            file: None,
            span: None,
            labels: Vec::new(),
            notes: Vec::new(),
            help: None,
            fix: None,
        }
    }
    /// Input nova could not use (a proto that does not compile, an unreadable file): exit 2.
    pub fn input_error(checker: &'static str, code: impl Into<String>, message: impl Into<String>) -> Self {
        let mut d = Diagnostic::new(checker, code, Severity::Error, message);
        d.kind = Kind::InputError;
        d
    }
    pub fn at(mut self, file: FileRef, span: Option<Span>) -> Self {
        self.file = Some(file);
        self.span = span;
        self
    }
    pub fn with_label(mut self, file: Option<FileRef>, span: Option<Span>, message: impl Into<String>) -> Self {
        self.labels.push(Label { file, span, message: message.into() });
        self
    }
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.notes.push(note.into());
        self
    }
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }
    /// Sort key: file, position, rule, message.
    pub fn sort_key(&self) -> (Option<&str>, Option<Span>, &str, &str) {
        (self.file.as_ref().map(|f| f.path.as_str()), self.span, self.rule.as_str(), self.message.as_str())
    }
}

/// Everything one command found, ready for a renderer.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// How many input files were examined.
    pub files_checked: usize,
    /// Absolute path of the (first) input root; machine formats make paths relative to it.
    pub root: Option<PathBuf>,
    /// Source texts nova already holds (for excerpts); renderers read from disk otherwise.
    pub sources: BTreeMap<PathBuf, Arc<str>>,
    /// Extra top-level JSON members a checker adds (the wiring matrix, the semver verdict, ...).
    pub extras: serde_json::Map<String, serde_json::Value>,
    /// Extra blocks of text the human format prints after the diagnostics (matrix, diffs, changelog stub).
    pub human_sections: Vec<Section>,
    /// What a baseline hid (`nova check --baseline`), when one was applied.
    pub baseline: Option<BaselineSummary>,
}

/// What a baseline did to a report: the findings it hid (with the fingerprint each was matched
/// by, for SARIF's `unchanged` results) and how many of its entries matched nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BaselineSummary {
    /// The baseline file, relative to the checked root.
    pub file: String,
    pub hidden: Vec<(Diagnostic, String)>,
    /// Entries that matched no finding (each is a `BASELINE_UNUSED` diagnostic of the report).
    pub unused: usize,
}

/// A block of text the human format prints after the diagnostics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    pub text: String,
    /// The files the block is about (absolute paths; empty: about the whole run). `nova check`
    /// shows a block only while every one of them is inside the checked tree or its registry, and,
    /// as a change gate, only when one of them changed: the same scope as a finding's file.
    pub about: Vec<PathBuf>,
}

impl Section {
    pub fn about(text: impl Into<String>, files: Vec<PathBuf>) -> Section {
        Section { text: text.into(), about: files }
    }
}

impl From<String> for Section {
    fn from(text: String) -> Section {
        Section { text, about: Vec::new() }
    }
}

impl From<&str> for Section {
    fn from(text: &str) -> Section {
        Section::from(text.to_string())
    }
}

impl Report {
    pub fn new() -> Self {
        Report::default()
    }
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }
    pub fn extend(&mut self, other: Report) {
        self.diagnostics.extend(other.diagnostics);
        self.files_checked += other.files_checked;
        if self.root.is_none() {
            self.root = other.root;
        }
        self.sources.extend(other.sources);
        for (k, v) in other.extras {
            self.extras.insert(k, v);
        }
        self.human_sections.extend(other.human_sections);
        if self.baseline.is_none() {
            self.baseline = other.baseline;
        }
    }
    pub fn sort(&mut self) {
        self.diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.diagnostics.dedup();
    }
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }
    pub fn warnings(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count()
    }
    pub fn has_input_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.kind == Kind::InputError)
    }
    /// 0 clean, 1 at least one error-severity finding, 2 input nova could not use.
    pub fn exit_code(&self) -> u8 {
        if self.has_input_errors() {
            2
        } else if self.errors() > 0 {
            1
        } else {
            0
        }
    }
    /// Source text of a file, from the cache or from disk.
    pub fn source_of(&self, file: &FileRef) -> Option<Arc<str>> {
        let abs = file.abs.as_ref()?;
        if let Some(s) = self.sources.get(abs) {
            return Some(s.clone());
        }
        let bytes = std::fs::read(abs).ok()?;
        String::from_utf8(bytes).ok().map(Arc::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_is_one_based_and_counts_chars() {
        let src = "ab\ncé d\n";
        let idx = LineIndex::new(src);
        assert_eq!(idx.line_col(src, 0), (1, 1));
        assert_eq!(idx.line_col(src, 3), (2, 1));
        // 'd' is after "cé " (é is two bytes): byte 7, char column 4
        assert_eq!(idx.line_col(src, 7), (2, 4));
    }

    #[test]
    fn exit_codes() {
        let mut r = Report::new();
        assert_eq!(r.exit_code(), 0);
        r.push(Diagnostic::new("proto", "X", Severity::Warning, "w"));
        assert_eq!(r.exit_code(), 0);
        r.push(Diagnostic::new("proto", "X", Severity::Error, "e"));
        assert_eq!(r.exit_code(), 1);
        r.push(Diagnostic::input_error("proto", "COMPILE", "bad"));
        assert_eq!(r.exit_code(), 2);
    }
}
