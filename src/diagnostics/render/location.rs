//! Helpers shared by renderers: turning 1-based character spans back into byte ranges of a source,
//! repository-relative paths for CI formats, and the text of a line.
use crate::diagnostics::{FileRef, Report, Span};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Source texts for one rendering pass: each file is read from disk at most once, however many
/// diagnostics point into it.
pub struct Sources<'r> {
    report: &'r Report,
    read: RefCell<HashMap<PathBuf, Option<Arc<str>>>>,
}

impl<'r> Sources<'r> {
    pub fn new(report: &'r Report) -> Self {
        Sources { report, read: RefCell::new(HashMap::new()) }
    }

    pub fn get(&self, file: &FileRef) -> Option<Arc<str>> {
        let abs = file.abs.as_ref()?;
        if let Some(s) = self.report.sources.get(abs) {
            return Some(s.clone());
        }
        self.read.borrow_mut().entry(abs.clone()).or_insert_with(|| self.report.source_of(file)).clone()
    }
}

/// Byte offset of the 1-based (`line`, character `column`) in `source`. A column past the end of
/// its line is clamped to the line end (before the newline); a line past the end of the file gives
/// `None`, so a stale span never indexes out of bounds.
pub fn byte_offset(source: &str, line: usize, column: usize) -> Option<usize> {
    let start = line_start(source, line)?;
    let rest = &source[start..];
    let line_len = rest.find('\n').unwrap_or(rest.len());
    let line_text = &rest[..line_len];
    let line_text = line_text.strip_suffix('\r').unwrap_or(line_text);
    let skip = column.saturating_sub(1);
    let within = line_text.char_indices().nth(skip).map(|(i, _)| i).unwrap_or(line_text.len());
    Some(start + within)
}

/// Byte offset where 1-based `line` starts, `None` past the end. A file that ends with a newline
/// has no line after it, except that line `1` of an empty file exists.
fn line_start(source: &str, line: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    if line == 1 {
        return Some(0);
    }
    let mut seen = 1;
    for (i, b) in source.bytes().enumerate() {
        if b == b'\n' {
            seen += 1;
            if seen == line {
                return if i + 1 < source.len() { Some(i + 1) } else { None };
            }
        }
    }
    None
}

/// Byte range of a span in `source`; `None` when the span starts outside the file. The end is
/// clamped so that it is never before the start.
pub fn byte_range(source: &str, span: Span) -> Option<std::ops::Range<usize>> {
    let start = byte_offset(source, span.line, span.column)?;
    let end = byte_offset(source, span.end_line, span.end_column).unwrap_or(source.len()).max(start);
    Some(start..end)
}

/// Text of the 1-based `line`, without its line terminator.
pub fn line_text(source: &str, line: usize) -> Option<&str> {
    let start = line_start(source, line)?;
    let rest = &source[start..];
    let text = &rest[..rest.find('\n').unwrap_or(rest.len())];
    Some(text.strip_suffix('\r').unwrap_or(text))
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

fn slash(p: &Path) -> String {
    let s = p.to_string_lossy().replace('\\', "/");
    if s.is_empty() { ".".to_string() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_characters_and_clamp() {
        let src = "ab\ncé d\r\nlast";
        assert_eq!(byte_offset(src, 1, 1), Some(0));
        assert_eq!(byte_offset(src, 2, 4), Some(7));
        // past the end of line 2: clamped before "\r\n"
        assert_eq!(byte_offset(src, 2, 99), Some(8));
        assert_eq!(byte_offset(src, 3, 1), Some(10));
        assert_eq!(byte_offset(src, 4, 1), None);
        assert_eq!(byte_offset(src, 0, 1), None);
        assert_eq!(line_text(src, 2), Some("cé d"));
        assert_eq!(byte_range(src, Span::new(2, 4, 1, 1)), Some(7..7));
    }

    #[test]
    fn trailing_newline_has_no_extra_line() {
        assert_eq!(byte_offset("a\n", 2, 1), None);
        assert_eq!(byte_offset("", 1, 1), Some(0));
    }
}
