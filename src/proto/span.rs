//! Source-info spans (0-based lines, byte columns, as the compiler records them) as nova's
//! 1-based spans whose columns count characters, the contract of every output format (SARIF's
//! `unicodeCodePoints`) and what buf prints. One conversion for lint, breaking and compile errors.
use crate::diagnostics::{LineIndex, Span};

/// A file's text with its line starts, for converting many spans of one file.
pub struct SourceText<'a> {
    text: &'a str,
    lines: LineIndex,
}

impl<'a> SourceText<'a> {
    pub fn new(text: &'a str) -> Self {
        SourceText { text, lines: LineIndex::new(text) }
    }

    /// 1-based character column of the 0-based byte column `byte` on 0-based line `line`.
    fn column(&self, line: usize, byte: usize) -> usize {
        let Some(start) = self.lines.line_start(line + 1) else { return byte + 1 };
        let end = (start + byte).min(self.text.len());
        match self.text.get(start..end) {
            Some(prefix) if prefix.is_ascii() => byte + 1,
            Some(prefix) => prefix.chars().count() + 1,
            // A column inside a character: count the characters before it.
            None => self.text[start..].char_indices().take_while(|(i, _)| *i < byte).count() + 1,
        }
    }
}

/// The span of a `SourceCodeInfo.Location` (`[line, col, end_col]` or `[line, col, end_line,
/// end_col]`), with character columns when the file's text is given (byte columns otherwise, the
/// same for ASCII text). `None` for a malformed span.
pub fn from_source_info(span: &[i32], text: Option<&SourceText<'_>>) -> Option<Span> {
    let n = |i: usize| span.get(i).and_then(|&v| usize::try_from(v).ok());
    let (sl, sc, el, ec) = match span.len() {
        3 => (n(0)?, n(1)?, n(0)?, n(2)?),
        4 => (n(0)?, n(1)?, n(2)?, n(3)?),
        _ => return None,
    };
    let col = |line: usize, byte: usize| text.map_or(byte + 1, |t| t.column(line, byte));
    Some(Span::new(sl + 1, col(sl, sc), el + 1, col(el, ec)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let text = "syntax = \"proto3\";\nmessage M { string /*éééé*/ badName = 1; }\n\tstring x = 1;\n";
        let t = SourceText::new(text);
        // protox records byte columns: `badName` starts at byte 32 of line 1.
        assert_eq!(from_source_info(&[1, 32, 39], Some(&t)), Some(Span::new(2, 29, 2, 36)));
        assert_eq!(from_source_info(&[1, 32, 39], None), Some(Span::new(2, 33, 2, 40)));
        // A tab is one character.
        assert_eq!(from_source_info(&[2, 8, 9], Some(&t)), Some(Span::new(3, 9, 3, 10)));
        assert_eq!(from_source_info(&[0, 0, 2, 0], Some(&t)), Some(Span::new(1, 1, 3, 1)));
        assert_eq!(from_source_info(&[0, 0], Some(&t)), None);
        assert_eq!(from_source_info(&[-1, 0, 1], Some(&t)), None);
    }
}
