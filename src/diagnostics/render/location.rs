//! Helpers shared by renderers: turning 1-based character spans back into byte ranges of a source,
//! repository-relative paths for CI formats, and the text of a line.
use crate::diagnostics::{FileRef, LineIndex, Report, Span};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A source text with its line index (the one `LineIndex` every checker uses), so that every
/// position lookup is an index instead of a scan from the top of the file.
pub struct Source {
    pub text: Arc<str>,
    index: LineIndex,
    /// Lines of the text: a final newline ends the last line; it does not start an empty one.
    lines: usize,
}

impl Source {
    pub fn new(text: Arc<str>) -> Self {
        let index = LineIndex::new(&text);
        let lines = index.line_starts() - usize::from(text.ends_with('\n'));
        Source { text, index, lines: lines.max(1) }
    }

    /// Byte offset where 1-based `line` starts, `None` past the end of the file.
    fn line_start(&self, line: usize) -> Option<usize> {
        if line > self.lines {
            return None;
        }
        self.index.line_start(line)
    }

    /// Text of the 1-based `line`, without its line terminator.
    pub fn line_text(&self, line: usize) -> Option<&str> {
        let start = self.line_start(line)?;
        let end = self.line_start(line + 1).map(|next| next - 1).unwrap_or(self.text.len());
        let text = &self.text[start..end.max(start)];
        let text = text.strip_suffix('\n').unwrap_or(text);
        Some(text.strip_suffix('\r').unwrap_or(text))
    }

    /// Byte offset of the 1-based (`line`, character `column`). A column past the end of its line
    /// is clamped to the line end (before the newline); a line past the end of the file gives
    /// `None`, so a stale span never indexes out of bounds.
    pub fn byte_offset(&self, line: usize, column: usize) -> Option<usize> {
        let start = self.line_start(line)?;
        let text = self.line_text(line)?;
        let skip = column.saturating_sub(1);
        let within = text.char_indices().nth(skip).map(|(i, _)| i).unwrap_or(text.len());
        Some(start + within)
    }

    /// 1-based line containing byte `offset` (the last line for offsets past the end).
    pub fn line_of(&self, offset: usize) -> usize {
        self.index.line_of(offset).min(self.lines)
    }

    /// 1-based UTF-8 byte column of the 1-based character `column` on `line` (clamped like
    /// `byte_offset`); `None` past the end of the file.
    pub fn byte_column(&self, line: usize, column: usize) -> Option<usize> {
        Some(self.byte_offset(line, column)? - self.line_start(line)? + 1)
    }

    /// 1-based (line, UTF-8 byte column) of byte `offset` (clamped to the end of the text).
    pub fn byte_position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_of(offset);
        (line, offset - self.line_start(line).unwrap_or(0) + 1)
    }

    /// Byte range of a span; `None` when the span starts outside the file. The end is clamped so
    /// that it is never before the start.
    pub fn byte_range(&self, span: Span) -> Option<std::ops::Range<usize>> {
        let start = self.byte_offset(span.line, span.column)?;
        let end = self.byte_offset(span.end_line, span.end_column).unwrap_or(self.text.len()).max(start);
        Some(start..end)
    }
}

/// Source texts for one rendering pass: each file is read from disk and indexed at most once,
/// however many diagnostics point into it.
pub struct Sources<'r> {
    report: &'r Report,
    read: RefCell<HashMap<PathBuf, Option<Arc<Source>>>>,
}

impl<'r> Sources<'r> {
    pub fn new(report: &'r Report) -> Self {
        Sources { report, read: RefCell::new(HashMap::new()) }
    }

    pub fn get(&self, file: &FileRef) -> Option<Arc<Source>> {
        let abs = file.abs.as_ref()?;
        self.read
            .borrow_mut()
            .entry(abs.clone())
            .or_insert_with(|| self.report.source_of(file).map(|t| Arc::new(Source::new(t))))
            .clone()
    }
}

/// Computes paths relative to the repository root for formats that CI systems map onto the
/// checkout (SARIF, GitHub annotations). Falls back to the input-relative path when a file is not
/// below the root or exists only in git objects.
pub struct RepoPaths {
    root: Option<PathBuf>,
    canonical_root: Option<PathBuf>,
}

impl RepoPaths {
    pub fn new(root: Option<&Path>) -> Self {
        RepoPaths {
            root: root.map(Path::to_path_buf),
            canonical_root: root.and_then(|r| std::fs::canonicalize(r).ok()),
        }
    }

    pub fn rel(&self, file: &FileRef) -> String {
        let (Some(root), Some(abs)) = (&self.root, &file.abs) else {
            return file.path.clone();
        };
        let abs = &*crate::diagnostics::without_parent_dirs(abs);
        if let Ok(rel) = abs.strip_prefix(root) {
            return slash(rel);
        }
        // A root found by git may be the resolved form of a symlinked input path (or the reverse).
        if let (Some(croot), Ok(cabs)) = (&self.canonical_root, std::fs::canonicalize(abs))
            && let Ok(rel) = cabs.strip_prefix(croot)
        {
            return slash(rel);
        }
        file.path.clone()
    }
}

impl RepoPaths {
    /// The repository-relative path of a diagnostic's file; for a diagnostic about no file, the
    /// checked input root (`.` when it is the repository root), for formats that require a path.
    pub fn rel_or_root(&self, file: Option<&FileRef>, root: Option<&Path>) -> String {
        match file {
            Some(f) => self.rel(f),
            None => self.rel(&FileRef { path: ".".into(), abs: root.map(Path::to_path_buf) }),
        }
    }
}

fn slash(p: &Path) -> String {
    crate::diagnostics::slash_path(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(s: &str) -> Source {
        Source::new(Arc::from(s))
    }

    #[test]
    fn offsets_count_characters_and_clamp() {
        let s = src("ab\ncé d\r\nlast");
        assert_eq!(s.byte_offset(1, 1), Some(0));
        assert_eq!(s.byte_offset(2, 4), Some(7));
        // past the end of line 2: clamped before "\r\n"
        assert_eq!(s.byte_offset(2, 99), Some(8));
        assert_eq!(s.byte_offset(3, 1), Some(10));
        assert_eq!(s.byte_offset(4, 1), None);
        assert_eq!(s.byte_offset(0, 1), None);
        assert_eq!(s.line_text(1), Some("ab"));
        assert_eq!(s.line_text(2), Some("cé d"));
        assert_eq!(s.line_text(3), Some("last"));
        assert_eq!(s.byte_range(Span::new(2, 4, 1, 1)), Some(7..7));
        assert_eq!((s.byte_column(2, 4), s.byte_column(2, 99), s.byte_column(4, 1)), (Some(5), Some(6), None));
        assert_eq!((s.byte_position(7), s.byte_position(10), s.byte_position(99)), ((2, 5), (3, 1), (3, 5)));
        assert_eq!((s.line_of(0), s.line_of(2), s.line_of(3), s.line_of(10), s.line_of(99)), (1, 1, 2, 3, 3));
    }

    #[test]
    fn trailing_newline_has_no_extra_line() {
        assert_eq!(src("a\n").byte_offset(2, 1), None);
        assert_eq!(src("a\n").line_text(1), Some("a"));
        assert_eq!(src("").byte_offset(1, 1), Some(0));
        assert_eq!(src("\n\n").line_text(2), Some(""));
    }
}
