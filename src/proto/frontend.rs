//! What nova puts in front of protox's parser so that nova accepts what protoc 36 accepts for
//! proto2 and proto3 files, without forking protox:
//!
//! 1. **Editions** (`edition = "2023";`, `"2024"`, `"2026"`) go through a byte-offset-preserving
//!    pre-pass that protox's proto3 mode parses, and are linked as proto2 (see `editions`).
//! 2. **Single-number extension ranges with options** (`extensions 100 [verification =
//!    UNVERIFIED];`, used by descriptor.proto since protobuf 26) stop protox 0.9/0.10, whose range
//!    parser wants `to`, `,` or `;` after a lone number. A byte-offset-preserving pre-pass blanks
//!    the option list (`[` ... `]`, every byte but newlines becomes a space), which protox then
//!    parses as `extensions 100 ;`: every byte offset, line and column of the file is unchanged,
//!    so all source info and every error location stay exact. The option list is parsed on its
//!    own (as the options of a `N to N` range, which protox accepts) and put back on the ranges
//!    of that statement as uninterpreted options, so the linker still checks and interprets them.
//!    Documented exception: those options get no source-info location (protoc records none for
//!    extension-range options either).
//! 3. **JSON-name conflicts** follow protoc's rules (see `json_names`): the conflicts protoc
//!    rejects are errors here, the ones it only warns about (proto2, or a message with
//!    `deprecated_legacy_json_field_conflicts`) compile. prost-reflect's linker refuses every
//!    conflict, so the later field of such a pair is linked under a placeholder JSON name and
//!    `Restore` puts the real one back in the descriptors nova's rules read.
//!
//! 4. **Extension declarations** are checked within their ranges as protoc does (see
//!    `declarations`), which protox does not do.
//!
//! Files without the word `extensions` skip step 2 entirely; the others are tokenised once
//! (linear, no backtracking).
use crate::proto::{editions, json_names};
use prost_types::{DescriptorProto, ExtensionRangeOptions, FileDescriptorProto};
use protox::file::File;
use std::borrow::Cow;

/// A file ready for the linker, and what to restore in the linked descriptor.
pub struct Prepared<'a> {
    /// The parsed descriptor, with source info (byte-exact for the original text).
    pub fd: FileDescriptorProto,
    /// `true` when `fd` differs from what protox parsed from the pre-passed text (options put
    /// back, placeholder JSON names): such a file cannot be rebuilt from text for error labels.
    pub edited: bool,
    /// The text protox parsed: the original, or the pre-passed copy of the same length.
    pub text: Cow<'a, str>,
    pub restore: Restore,
}

/// Fields linked under placeholders (see `json_names`), and an editions file's edition, option
/// imports and visibility (see `editions`), to put back in the linked descriptor.
#[derive(Debug, Default, Clone)]
pub struct Restore(pub Vec<Restored>, pub Option<crate::proto::editions::Editions>);

#[derive(Debug, Clone)]
pub struct Restored {
    /// Source-info path of the field.
    pub path: Vec<i32>,
    /// The real name, when the field was linked under a placeholder name.
    pub name: Option<String>,
    /// The real JSON name (the `json_name` option, else the default).
    pub json: String,
}

impl Restore {
    /// Put the real names back in the linked descriptor.
    pub fn apply(&self, fd: &mut crate::proto::descriptor::FileDescriptorProto) {
        for r in &self.0 {
            if let Some(f) = crate::proto::descriptor::field_at_mut(fd, &r.path) {
                f.json_name = Some(r.json.clone());
                if let Some(name) = &r.name {
                    f.name = Some(name.clone());
                }
            }
        }
        if let Some(e) = &self.1 {
            e.apply(fd);
        }
    }
}

/// Why a file cannot be prepared.
pub enum FrontendError {
    /// protox's own error; its byte offsets are valid in the original text.
    Protox(protox::Error),
    /// nova's error at a byte range of the original text.
    At { message: String, start: usize, end: usize },
}

/// Parse `text` as protoc would accept it (see the module comment).
pub fn prepare<'a>(name: &str, text: &'a str) -> Result<Prepared<'a>, FrontendError> {
    let mut pre = editions::prepass(text)?;
    // The pre-passed text moves here; the pre-pass keeps what it found, not the text.
    let base: Cow<'a, str> = match pre.as_mut() {
        Some(p) => Cow::Owned(std::mem::take(&mut p.text)),
        None => Cow::Borrowed(text),
    };
    let statements = if may_have_range_options(&base) { extension_statements(&base) } else { Vec::new() };
    let blanked = (!statements.is_empty()).then(|| blank_option_lists(&base, &statements));
    let parsed_text: &str = blanked.as_deref().unwrap_or(&base);
    let file = File::from_source(name, parsed_text).map_err(|e| match &pre {
        Some(pre) => editions_error(e, pre),
        None => FrontendError::Protox(e),
    })?;
    let mut fd: FileDescriptorProto = file.into();
    let mut edited = false;
    for st in &statements {
        let options = range_options(&base, st)?;
        edited |= attach_range_options(&mut fd, parsed_text, st, options);
    }
    let editions = match &pre {
        Some(pre) => {
            edited = true;
            let e = editions::after_parse(&mut fd, pre, text)?;
            Some(e)
        }
        None => None,
    };
    if text.contains("declaration") {
        crate::proto::declarations::check(&fd).map_err(|(path, message)| located(&fd, parsed_text, &path, message))?;
    }
    let json = match &editions {
        // As protoc checks an editions file: strictly, unless the message resolves
        // `features.json_format` to LEGACY_BEST_EFFORT.
        Some(_) => {
            let legacy = editions::legacy_json_messages(&fd);
            json_names::check_with(&mut fd, &|path: &[i32]| legacy.contains(path))
        }
        None => json_names::check(&mut fd),
    };
    let mut restore = json.map_err(|(path, message)| located(&fd, parsed_text, &path, message))?;
    edited |= !restore.0.is_empty();
    if let Some(e) = editions {
        // Linked as proto2, the most permissive of the two syntaxes the linker knows.
        fd.syntax = Some("proto2".into());
        restore.1 = Some(e);
    }
    let text = match blanked {
        Some(b) => Cow::Owned(b),
        None => base,
    };
    Ok(Prepared { fd, edited, text, restore })
}

/// A protox error in an editions file, at its place in the original text, in protoc's words
/// where protox's proto3 mode words it for proto3.
fn editions_error(e: protox::Error, pre: &editions::Pre) -> FrontendError {
    use miette::Diagnostic as _;
    let Some(label) = e.labels().and_then(|mut l| l.next()) else { return FrontendError::Protox(e) };
    let mut message = editions::protoc_message(&e.to_string()).map_or_else(|| e.to_string(), str::to_string);
    if let Some(help) = e.help() {
        message = format!("{message} ({help})");
    }
    let start = pre.original_offset(label.offset());
    let end = pre.original_offset(label.offset() + label.len());
    FrontendError::At { message, start, end }
}

/// `prepare` as a protox `File`. With `keep_text`, the file keeps its (pre-passed) text, so
/// link errors carry source labels, but not the edits made after parsing (restored options,
/// JSON-name placeholders); without it, it has those edits and, when there were any, no text.
/// Returns whether the file was edited, too.
pub fn parse_file(name: &str, text: &str, keep_text: bool) -> Result<(File, bool), protox::Error> {
    match prepare(name, text) {
        Ok(p) if keep_text || !p.edited => Ok((File::from_source(name, &p.text)?, p.edited)),
        Ok(p) => Ok((File::from_file_descriptor_proto(p.fd), true)),
        Err(FrontendError::Protox(e)) => Err(e),
        Err(FrontendError::At { message, .. }) => Err(protox::Error::new(message)),
    }
}

#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) enum Tok {
    Ident,
    Number,
    Str,
    Punct(u8),
}

/// Tokens of proto source as (kind, start, end) byte offsets; comments and whitespace skipped.
pub(crate) struct Lexer<'a> {
    b: &'a [u8],
    i: usize,
}

impl Iterator for Lexer<'_> {
    type Item = (Tok, usize, usize);
    fn next(&mut self) -> Option<Self::Item> {
        let b = self.b;
        loop {
            while self.i < b.len() && b[self.i].is_ascii_whitespace() {
                self.i += 1;
            }
            if b[self.i..].starts_with(b"//") {
                self.i += b[self.i..].iter().position(|&c| c == b'\n').unwrap_or(b.len() - self.i);
            } else if b[self.i..].starts_with(b"/*") {
                self.i +=
                    2 + b[self.i + 2..].windows(2).position(|w| w == b"*/").map_or(b.len() - self.i - 2, |p| p + 2);
            } else {
                break;
            }
        }
        let start = self.i;
        let c = *b.get(start)?;
        let word = |c: &u8| c.is_ascii_alphanumeric() || *c == b'_';
        let kind = if c.is_ascii_alphabetic() || c == b'_' {
            self.i += b[start..].iter().position(|c| !word(c)).unwrap_or(b.len() - start);
            Tok::Ident
        } else if c.is_ascii_digit() {
            self.i += b[start..].iter().position(|c| !(word(c) || *c == b'.')).unwrap_or(b.len() - start);
            Tok::Number
        } else if c == b'"' || c == b'\'' {
            self.i += 1;
            while self.i < b.len() && b[self.i] != c && b[self.i] != b'\n' {
                self.i += if b[self.i] == b'\\' { 2 } else { 1 };
            }
            self.i = (self.i + 1).min(b.len());
            Tok::Str
        } else {
            self.i += 1;
            Tok::Punct(c)
        };
        Some((kind, start, self.i))
    }
}

pub(crate) fn tokens(text: &str) -> Lexer<'_> {
    Lexer { b: text.as_bytes(), i: 0 }
}

/// Whether some `extensions` is followed by a number and, before the next `;`, a `[`: a cheap
/// filter (no tokenising; comments and strings may fool it, the tokeniser then decides). Linear:
/// occurrences before the `;` already found share it.
fn may_have_range_options(text: &str) -> bool {
    let mut semicolon = 0;
    for (i, w) in text.match_indices("extensions") {
        let after = i + w.len();
        let rest = text[after..].trim_start();
        if after < semicolon || !rest.starts_with(|c: char| c.is_ascii_digit() || c == '-') {
            continue;
        }
        match rest.find([';', '[']) {
            Some(p) if rest.as_bytes()[p] == b'[' => return true,
            Some(p) => semicolon = text.len() - rest.len() + p,
            None => return false,
        }
    }
    false
}

/// An `extensions` statement whose last range is a single number followed by an option list.
#[derive(Debug)]
struct RangeStatement {
    /// Byte offset of each range's first token (the number, or its `-`).
    range_starts: Vec<usize>,
    /// Byte offsets of the option list's `[` and `]`.
    open: usize,
    close: usize,
}

fn extension_statements(text: &str) -> Vec<RangeStatement> {
    let toks: Vec<_> = tokens(text).collect();
    let is = |i: usize, t: Tok| toks.get(i).is_some_and(|x| x.0 == t);
    let word = |i: usize, w: &str| is(i, Tok::Ident) && &text[toks[i].1..toks[i].2] == w;
    let mut out = Vec::new();
    for k in 0..toks.len() {
        let at_statement = k == 0 || matches!(toks[k - 1].0, Tok::Punct(b';' | b'{' | b'}'));
        if !(at_statement && word(k, "extensions")) {
            continue;
        }
        let (mut i, mut range_starts) = (k + 1, Vec::new());
        loop {
            let start = toks.get(i).map_or(0, |t| t.1);
            i += usize::from(is(i, Tok::Punct(b'-')));
            if !is(i, Tok::Number) {
                break;
            }
            range_starts.push(start);
            i += 1;
            let lone = !word(i, "to");
            if !lone {
                i += 1 + usize::from(is(i + 1, Tok::Punct(b'-')));
                i += 1;
            }
            if is(i, Tok::Punct(b',')) {
                i += 1;
                continue;
            }
            if lone && is(i, Tok::Punct(b'[')) {
                let mut depth = 0usize;
                let close = toks[i..].iter().find(|t| {
                    match t.0 {
                        Tok::Punct(b'[') => depth += 1,
                        Tok::Punct(b']') => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                });
                if let Some(close) = close {
                    out.push(RangeStatement {
                        range_starts: std::mem::take(&mut range_starts),
                        open: toks[i].1,
                        close: close.1,
                    });
                }
            }
            break;
        }
    }
    out
}

/// Byte ranges (`[` to `]` inclusive) of the option lists the pre-pass blanks in `text`.
pub fn option_lists(text: &str) -> Vec<(usize, usize)> {
    extension_statements(text).iter().map(|st| (st.open, st.close + 1)).collect()
}

/// `text` with each statement's option list blanked: same length, same newlines.
fn blank_option_lists(text: &str, statements: &[RangeStatement]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for st in statements {
        for b in &mut bytes[st.open..=st.close] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    String::from_utf8(bytes).expect("only ASCII spaces replaced whole UTF-8 sequences")
}

/// The options of a blanked statement, parsed as those of a `1 to 1` range (which protox reads).
fn range_options(text: &str, st: &RangeStatement) -> Result<ExtensionRangeOptions, FrontendError> {
    const PREFIX: &str = "message M{extensions 1 to 1";
    let list = &text[st.open..=st.close];
    let synthetic = format!("{PREFIX}{list};}}");
    let map_back = |o: usize| st.open + o.saturating_sub(PREFIX.len()).min(list.len());
    match File::from_source("options", &synthetic) {
        Ok(f) => Ok(f
            .file_descriptor_proto()
            .message_type
            .first()
            .and_then(|m| m.extension_range.first())
            .and_then(|r| r.options.clone())
            .unwrap_or_default()),
        Err(e) => {
            use miette::Diagnostic as _;
            let (start, end) = e
                .labels()
                .and_then(|mut l| l.next())
                .map_or((st.open, st.close + 1), |l| (map_back(l.offset()), map_back(l.offset() + l.len())));
            Err(FrontendError::At { message: e.to_string(), start, end })
        }
    }
}

/// Put `options` on the ranges the statement declared, found by their source-info start
/// position. Returns whether any range got them.
fn attach_range_options(
    fd: &mut FileDescriptorProto,
    text: &str,
    st: &RangeStatement,
    options: ExtensionRangeOptions,
) -> bool {
    if options == ExtensionRangeOptions::default() {
        return false;
    }
    let starts: Vec<(i32, i32)> = st.range_starts.iter().map(|&o| line_col0(text, o)).collect();
    let ranges: Vec<Vec<i32>> = fd
        .source_code_info
        .iter()
        .flat_map(|i| &i.location)
        .filter(|l| l.span.len() >= 3 && starts.contains(&(l.span[0], l.span[1])))
        .filter(|l| is_extension_range_path(&l.path))
        .map(|l| l.path.clone())
        .collect();
    let mut attached = false;
    for path in ranges {
        let (msg_path, k) = (&path[..path.len() - 2], path[path.len() - 1]);
        let range = message_at_mut(fd, msg_path).and_then(|m| m.extension_range.get_mut(usize::try_from(k).ok()?));
        if let Some(r) = range {
            r.options = Some(options.clone());
            attached = true;
        }
    }
    attached
}

/// The message at a source-info path `[4, i, (3, j)*]`.
pub fn message_at_mut<'a>(fd: &'a mut FileDescriptorProto, path: &[i32]) -> Option<&'a mut DescriptorProto> {
    let ix = |i: i32| usize::try_from(i).ok();
    let [4, i, rest @ ..] = path else { return None };
    let mut m = fd.message_type.get_mut(ix(*i)?)?;
    for pair in rest.chunks(2) {
        let [3, j] = pair else { return None };
        m = m.nested_type.get_mut(ix(*j)?)?;
    }
    Some(m)
}

/// Whether `path` is `[message path.., 5, k]`: one range of a message's extension ranges.
fn is_extension_range_path(path: &[i32]) -> bool {
    matches!(path, [4, _, mid @ .., 5, _] if mid.chunks(2).all(|p| p.len() == 2 && p[0] == 3))
}

/// 0-based line and byte column of `offset`, as protox records them in source info.
pub(crate) fn line_col0(text: &str, offset: usize) -> (i32, i32) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count();
    let col = offset - before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    (i32::try_from(line).unwrap_or(i32::MAX), i32::try_from(col).unwrap_or(i32::MAX))
}

/// An error at the element of `fd` at a source-info path (the file's start if it has none).
fn located(fd: &FileDescriptorProto, text: &str, path: &[i32], message: String) -> FrontendError {
    let span = fd.source_code_info.iter().flat_map(|i| &i.location).find(|l| l.path == path).map(|l| l.span.as_slice());
    let (start, end) = span.and_then(|s| span_range(text, s)).unwrap_or((0, 0));
    FrontendError::At { message, start, end }
}

/// The byte range of a source-info span (`[line, col, end_col]` or `[line, col, end_line,
/// end_col]`, 0-based), clamped to the text.
pub(crate) fn span_range(text: &str, span: &[i32]) -> Option<(usize, usize)> {
    let (start, end) = match *span {
        [line, col, end_col] => ((line, col), (line, end_col)),
        [line, col, end_line, end_col] => ((line, col), (end_line, end_col)),
        _ => return None,
    };
    Some((offset_of(text, start), offset_of(text, end)))
}

/// Byte offset of a 0-based (line, byte column).
fn offset_of(text: &str, (line, col): (i32, i32)) -> usize {
    let line_start = if line <= 0 {
        0
    } else {
        text.match_indices('\n').nth(usize::try_from(line - 1).unwrap_or(0)).map_or(text.len(), |(i, _)| i + 1)
    };
    (line_start + usize::try_from(col).unwrap_or(0)).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Prepared<'_> {
        match prepare("t.proto", text) {
            Ok(p) => p,
            Err(FrontendError::Protox(e)) => panic!("{e}"),
            Err(FrontendError::At { message, .. }) => panic!("{message}"),
        }
    }

    fn err(text: &str) -> (String, usize, usize) {
        match prepare("t.proto", text) {
            Ok(_) => panic!("accepted"),
            Err(FrontendError::Protox(e)) => (e.to_string(), 0, 0),
            Err(FrontendError::At { message, start, end }) => (message, start, end),
        }
    }

    #[test]
    fn single_number_extension_range_with_options_keeps_offsets_and_options() {
        let text = "syntax = \"proto2\";\nmessage M {\n  extensions 100 [verification = UNVERIFIED];\n  extensions 1 to 5, 7 [\n    verification = UNVERIFIED];\n  optional int32 after = 1;\n}\n";
        let p = ok(text);
        assert_eq!(p.text.len(), text.len());
        assert_eq!(p.text.lines().count(), text.lines().count());
        let m = &p.fd.message_type[0];
        let ranges: Vec<_> = m.extension_range.iter().map(|r| (r.start(), r.end())).collect();
        assert_eq!(ranges, [(100, 101), (1, 6), (7, 8)]);
        // Every range of a statement gets its options, as uninterpreted options the linker interprets.
        for (i, r) in m.extension_range.iter().enumerate() {
            let o = r.options.as_ref().unwrap_or_else(|| panic!("range {i} lost its options"));
            assert_eq!(o.uninterpreted_option.len(), 1, "{o:?}");
        }
        assert_eq!(
            m.extension_range[0].options.as_ref().unwrap().uninterpreted_option[0].name[0].name_part,
            "verification"
        );
        // The field after the blanked lines is where it is in the original: line 6, column 18.
        let loc = p.fd.source_code_info.as_ref().unwrap().location.iter().find(|l| l.path == [4, 0, 2, 0, 1]).unwrap();
        assert_eq!(loc.span, [5, 17, 22]);
        assert!(p.edited);
    }

    #[test]
    fn option_errors_are_reported_inside_the_option_list() {
        let text = "syntax = \"proto2\";\nmessage M {\n  extensions 100 [verification = ];\n}\n";
        let (msg, start, _) = err(text);
        assert!(msg.contains("expected"), "{msg}");
        let line_start = text.find("  extensions").unwrap();
        assert!(start > text.find('[').unwrap() && start < text.find(']').unwrap() + 1, "{start} {msg}");
        assert!(start > line_start);
    }

    #[test]
    fn look_alikes_are_left_alone() {
        // Not statements: a field named `extensions`, an option, comments and strings.
        let text = "syntax = \"proto2\";\n// extensions 5 [x = 1];\nmessage extensions { optional int32 extensions = 1 [deprecated = true]; }\nmessage N { optional string s = 1 [default = \"extensions 2 [a=b]\"]; extensions 10 to 20; }\n";
        assert!(extension_statements(text).is_empty());
        let p = ok(text);
        assert_eq!(p.text, text);
        assert!(!p.edited);
    }

    #[test]
    fn the_filter_is_cheap_and_lets_the_construct_through() {
        assert!(may_have_range_options("message M {\n  extensions 536000000 [declaration = {}];\n}"));
        assert!(may_have_range_options("extensions 1 to 2;\nextensions -1 [x = 1];"));
        assert!(!may_have_range_options("// extensions are declared below\nmessage M { extensions 1 to 9; }\n"));
        // Many statements without a `;` between them, then one: linear, not quadratic.
        let hostile = format!("{};", "extensions 1 ".repeat(200_000));
        let start = std::time::Instant::now();
        assert!(!may_have_range_options(&hostile));
        assert!(start.elapsed() < std::time::Duration::from_secs(2), "{:?}", start.elapsed());
    }

    #[test]
    fn unterminated_option_list_is_protox_s_error() {
        assert!(extension_statements("message M { extensions 1 [a = 1;\n").is_empty());
        for text in [
            "extensions",
            "message M { extensions 5 [",
            "message M { extensions -",
            "extensions 1 to",
            "/* extensions 1 [",
        ] {
            assert!(extension_statements(text).is_empty(), "{text}");
            assert!(prepare("t.proto", text).is_err(), "{text}");
        }
    }

    #[test]
    fn brackets_in_strings_and_nested_lists_do_not_end_the_option_list() {
        let text = "syntax = \"proto2\";\nmessage M {\n  extensions 5 [(a) = { s: \"]\" l: [1, 2] } /* ] */];\n}\n";
        let st = extension_statements(text);
        assert_eq!(st.len(), 1);
        assert_eq!(&text[st[0].close..st[0].close + 2], "];");
    }
}
