//! Editions files (`edition = "2023";`, `"2024"`, `"2026"`) through protox's proto2/proto3 parser,
//! without forking it.
//!
//! The syntax of editions is proto3's (fields without labels) plus a few words. A pre-pass that
//! keeps every byte offset (so every line, column and comment of the source info stays exact)
//! rewrites the text into something protox's proto3 mode parses:
//!
//! - the `edition` statement becomes `syntax = "proto3";` padded with spaces (the location of path
//!   `[12]` is then set back to the whole statement, where protoc records it);
//! - `export` / `local` before `message` / `enum` (edition 2024) become spaces; protoc records no
//!   location for them and starts the element's span at `message` / `enum`, as protox then does;
//! - `import option "x";` (2024) loses the word `option`; the import is moved from `dependency` to
//!   `option_dependency` (location `[15, i]`) afterwards;
//! - `default` in an option list becomes an option named `nova_dv` of the same length, which
//!   protox's proto3 mode does not refuse; its value is turned into `default_value` as protoc
//!   writes it (`defaults`), and its location into `[.., 7]`.
//!
//! The parsed file is linked as proto2, whose linker rules are the most permissive (prost-reflect
//! knows only proto2 and proto3): labels are already `LABEL_OPTIONAL` / `LABEL_REPEATED`, as protoc
//! writes them for editions. After linking, `Editions::apply` puts `syntax = "editions"`, the
//! `edition`, the option imports and the symbol visibility back into nova's descriptor. The
//! checks protoc makes on editions files that protox does not know are in `check`.
pub mod check;
mod defaults;
pub mod support;
pub mod visibility;

use crate::proto::frontend::{FrontendError, Tok, line_col0, span_range, tokens};
use prost_types::{FileDescriptorProto, SourceCodeInfo};

/// The name `default` is renamed to in option lists (same length).
pub(crate) const DEFAULT_SENTINEL: &str = "nova_dv";

/// The editions protoc 36.2 compiles, by the string of the `edition` statement.
const EDITIONS: &[(&str, i32)] = &[("2023", 1000), ("2024", 1001), ("2026", 1002)];
const EDITION_2024: i32 = 1001;
const VISIBILITY_LOCAL: i32 = 1;
const VISIBILITY_EXPORT: i32 = 2;

/// A byte range of the original text.
type Range = (usize, usize);

/// What the pre-pass found and changed.
pub struct Pre {
    /// The rewritten text, with the original's lines and columns (`frontend::prepare`
    /// moves it out).
    pub text: String,
    /// `FileDescriptorProto.edition` (an `Edition` value).
    pub edition: i32,
    /// Byte range of the `edition` statement.
    statement: (usize, usize),
    /// Blanks inserted after the statement (a compact `edition="2023";`): where, how many.
    inserted: (usize, usize),
    /// Byte offset of the `message` / `enum` keyword after a visibility word, and the visibility.
    visibility: Vec<(usize, i32)>,
    /// Byte offsets of the `import` keyword of `import option` statements.
    option_imports: Vec<usize>,
    /// Byte offsets of each `default` renamed to the sentinel, with the byte range of its value.
    pub(crate) defaults: Vec<(usize, (usize, usize))>,
    /// `reserved` statements of names (identifiers in editions): the statement's byte range and
    /// each name's.
    reserved_names: Vec<(Range, Vec<Range>)>,
}

impl Pre {
    /// The offset in the original text of an offset in `text`.
    pub fn original_offset(&self, offset: usize) -> usize {
        let (at, n) = self.inserted;
        if offset >= at + n { offset - n } else { offset.min(at) }
    }
}

/// What to restore after linking, in nova's descriptor.
#[derive(Debug, Default, Clone)]
pub struct Editions {
    pub edition: i32,
    pub option_dependency: Vec<String>,
    /// Source-info paths of messages and enums with a visibility word, and the visibility.
    pub visibility: Vec<(Vec<i32>, i32)>,
}

impl Editions {
    pub fn apply(&self, fd: &mut crate::proto::descriptor::FileDescriptorProto) {
        fd.syntax = Some("editions".into());
        fd.edition = Some(self.edition);
        // The linker got the option imports appended to `dependency` (see `after_parse`).
        let kept = fd.dependency.len().saturating_sub(self.option_dependency.len());
        fd.dependency.truncate(kept);
        fd.option_dependency.clone_from(&self.option_dependency);
        for (path, v) in &self.visibility {
            set_visibility(fd, path, *v);
        }
    }
}

fn set_visibility(fd: &mut crate::proto::descriptor::FileDescriptorProto, path: &[i32], v: i32) {
    use crate::proto::descriptor::message_at_mut;
    let ix = |i: &i32| usize::try_from(*i).ok();
    match path {
        [5, i] => {
            if let Some(e) = ix(i).and_then(|i| fd.enum_type.get_mut(i)) {
                e.visibility = Some(v);
            }
        }
        // A nested enum: `[message path.., 4, j]` (a top-level message is `[4, i]`).
        [msg @ .., 4, j] if !msg.is_empty() => {
            if let Some(e) = message_at_mut(fd, msg).and_then(|m| ix(j).and_then(|j| m.enum_type.get_mut(j))) {
                e.visibility = Some(v);
            }
        }
        _ => {
            if let Some(m) = message_at_mut(fd, path) {
                m.visibility = Some(v);
            }
        }
    }
}

fn err(message: impl Into<String>, start: usize, end: usize) -> FrontendError {
    FrontendError::At { message: message.into(), start, end }
}

/// The pre-pass, for a file whose first statement is `edition = "...";` (`None` otherwise).
pub fn prepass(text: &str) -> Result<Option<Pre>, FrontendError> {
    // Most files are not editions files: one token tells.
    match tokens(text).next() {
        Some((Tok::Ident, s, e)) if &text[s..e] == "edition" => {}
        _ => return Ok(None),
    }
    let toks: Vec<(Tok, usize, usize)> = tokens(text).collect();
    let word = |i: usize| toks.get(i).map(|t| &text[t.1..t.2]);
    if word(0) != Some("edition") || toks[0].0 != Tok::Ident {
        return Ok(None);
    }
    let start = toks[0].1;
    if word(1) != Some("=") {
        let (s, e) = toks.get(1).map_or((toks[0].2, toks[0].2), |t| (t.1, t.2));
        return Err(err("Expected \"=\".", s, e));
    }
    let Some(&(Tok::Str, vs, ve)) = toks.get(2) else {
        let (s, e) = toks.get(2).map_or((toks[1].2, toks[1].2), |t| (t.1, t.2));
        return Err(err("Expected string for edition.", s, e));
    };
    let value = &text[vs + 1..ve.saturating_sub(1).max(vs + 1)];
    let Some(&(_, edition)) = EDITIONS.iter().find(|(s, _)| *s == value) else {
        return Err(err(format!("Unknown edition \"{value}\"."), vs, ve));
    };
    if word(3) != Some(";") {
        let (s, e) = toks.get(3).map_or((ve, ve), |t| (t.1, t.2));
        return Err(err("Expected \";\".", s, e));
    }
    let end = toks[3].2;
    let mut out = text.as_bytes().to_vec();
    const SYNTAX: &[u8] = b"syntax = \"proto3\";";
    const COMPACT: &[u8] = b"syntax=\"proto3\";";
    let replacement = if end - start >= SYNTAX.len() { SYNTAX } else { COMPACT };
    // `edition="2023";` (15 bytes) is one byte short of the shortest syntax statement: take the
    // blanks that follow on the same line, else insert blanks after the statement when nothing
    // but a comment follows it on its line (lines and columns of every later line stay the same;
    // byte offsets after the statement move, see `Pre::original_offset`).
    let room = text.as_bytes()[end..].iter().take_while(|b| **b == b' ' || **b == b'\t').count();
    let taken = room.min(replacement.len().saturating_sub(end - start));
    let inserted = replacement.len().saturating_sub(end - start + taken);
    if inserted > 0 {
        let rest = text[end + taken..].lines().next().unwrap_or("").trim_start();
        if !(rest.is_empty() || rest.starts_with("//")) {
            return Err(err(
                "nova needs a space around `=` or after `;` in this edition statement (`edition = \"2023\";`)",
                start,
                end,
            ));
        }
    }
    let stmt_end = end + taken;
    let mut visibility = Vec::new();
    let mut option_imports = Vec::new();
    let mut defaults = Vec::new();
    let mut reserved_names = Vec::new();
    let mut depth_brackets = 0usize;
    for i in 4..toks.len() {
        let (kind, s, e) = toks[i];
        let w = &text[s..e];
        match kind {
            Tok::Punct(b'[') => depth_brackets += 1,
            Tok::Punct(b']') => depth_brackets = depth_brackets.saturating_sub(1),
            _ => {}
        }
        let statement_start = matches!(toks[i - 1].0, Tok::Punct(b';' | b'{' | b'}')) || i == 4;
        if kind == Tok::Ident && edition >= EDITION_2024 && statement_start && (w == "export" || w == "local") {
            if let Some(&(Tok::Ident, ns, ne)) = toks.get(i + 1) {
                let next = &text[ns..ne];
                if next != "message" && next != "enum" {
                    return Err(err(
                        "'local' and 'export' visibility modifiers are valid only on 'message' and 'enum'",
                        ns,
                        ne,
                    ));
                }
                out[s..e].fill(b' ');
                visibility.push((ns, if w == "local" { VISIBILITY_LOCAL } else { VISIBILITY_EXPORT }));
            }
        } else if kind == Tok::Ident && w == "reserved" && statement_start {
            // Editions reserve names as identifiers (`reserved foo, bar;`), which protox's
            // proto3 mode does not read: the statement is blanked and its names put back after
            // parsing (`reserved_names`). A string is protoc's error.
            match toks.get(i + 1) {
                Some(&(Tok::Str, ss, se)) => {
                    return Err(err("Reserved names must be identifiers in editions, not string literals.", ss, se));
                }
                Some(&(Tok::Ident, _, _)) => {
                    let mut names = Vec::new();
                    let mut j = i + 1;
                    while let Some(&(k, ns, ne)) = toks.get(j) {
                        match k {
                            Tok::Ident => names.push((ns, ne)),
                            Tok::Punct(b',') => {}
                            _ => break,
                        }
                        j += 1;
                    }
                    if let Some(&(Tok::Punct(b';'), _, end)) = toks.get(j) {
                        for b in &mut out[s..end] {
                            if *b != b'\n' {
                                *b = b' ';
                            }
                        }
                        reserved_names.push(((s, end), names));
                    }
                }
                _ => {}
            }
        } else if kind == Tok::Ident && w == "import" && statement_start {
            if let Some(&(Tok::Ident, os, oe)) = toks.get(i + 1)
                && &text[os..oe] == "option"
                && matches!(toks.get(i + 2), Some((Tok::Str, _, _)))
            {
                if edition < EDITION_2024 {
                    return Err(err("option import is not supported before edition 2024.", os, oe));
                }
                out[os..oe].fill(b' ');
                option_imports.push(s);
            }
        } else if kind == Tok::Ident
            && w == "default"
            && depth_brackets > 0
            && matches!(toks[i - 1].0, Tok::Punct(b'[' | b','))
            && matches!(toks.get(i + 1), Some((Tok::Punct(b'='), _, _)))
        {
            out[s..e].copy_from_slice(DEFAULT_SENTINEL.as_bytes());
            let value = value_range(text, &toks, i + 2);
            // `-inf` / `-nan`: protox refuses a negative word outside `default`, so the sign is
            // blanked here and put back by `defaults`.
            let negative_word = matches!(toks.get(i + 2), Some((Tok::Punct(b'-'), _, _)))
                && matches!(toks.get(i + 3), Some((Tok::Ident, _, _)));
            if negative_word {
                out[toks[i + 2].1] = b' ';
            }
            defaults.push((s, value));
        }
    }
    // The statement: the replacement, padded with blanks to the statement's length (plus the
    // inserted blanks).
    let mut rewritten = Vec::with_capacity(out.len() + inserted);
    rewritten.extend_from_slice(&out[..start]);
    rewritten.extend_from_slice(replacement);
    rewritten.resize(stmt_end + inserted, b' ');
    rewritten.extend_from_slice(&out[stmt_end..]);
    // Every byte changed was ASCII and replaced by ASCII: the text is still UTF-8.
    let text = String::from_utf8(rewritten).unwrap_or_default();
    Ok(Some(Pre {
        text,
        edition,
        statement: (start, end),
        inserted: (stmt_end, inserted),
        visibility,
        option_imports,
        defaults,
        reserved_names,
    }))
}

/// Byte range of an option value starting at token `i`: a sign and a word or number, a run of
/// strings, or one token.
fn value_range(text: &str, toks: &[(Tok, usize, usize)], i: usize) -> (usize, usize) {
    let Some(&(kind, s, mut e)) = toks.get(i) else { return (text.len(), text.len()) };
    match kind {
        Tok::Punct(b'-' | b'+') => {
            if let Some(t) = toks.get(i + 1) {
                e = t.2;
            }
        }
        Tok::Str => {
            let mut j = i + 1;
            while let Some(&(Tok::Str, _, end)) = toks.get(j) {
                e = end;
                j += 1;
            }
        }
        _ => {}
    }
    (s, e)
}

/// A source-info span for a byte range (`[line, col, end_col]` on one line).
pub(crate) fn span_of(text: &str, (s, e): (usize, usize)) -> Vec<i32> {
    let (l1, c1) = line_col0(text, s);
    let (l2, c2) = line_col0(text, e);
    if l1 == l2 { vec![l1, c1, c2] } else { vec![l1, c1, l2, c2] }
}

/// Where a source-info span starts, as a byte offset.
pub(crate) fn span_start(text: &str, span: &[i32]) -> Option<usize> {
    span_range(text, span).map(|(start, _)| start)
}

/// Turn the parsed (proto3-mode) descriptor into the one the linker gets, and return what to
/// restore after linking. `text` is the original source.
pub fn after_parse(fd: &mut FileDescriptorProto, pre: &Pre, text: &str) -> Result<Editions, FrontendError> {
    let info = fd.source_code_info.get_or_insert_with(SourceCodeInfo::default);
    // The statement's location: protoc's span is the whole `edition` statement.
    for l in &mut info.location {
        if l.path == [12] {
            l.span = span_of(text, pre.statement);
        }
    }
    // `optional` in an editions file: protox's proto3 mode made it a proto3 optional field.
    if let Some(path) = first_proto3_optional(fd) {
        let span = location(fd, &[path.as_slice(), &[4]].concat()).or_else(|| location(fd, &path));
        let (s, e) = span.map_or((0, 0), |sp| span_range(text, &sp).unwrap_or((0, 0)));
        return Err(err(
            "Label \"optional\" is not supported in editions. By default, all singular fields have presence unless features.field_presence is set.",
            s,
            e,
        ));
    }
    // Option imports: out of `dependency`, into `option_dependency` (location [15, i]).
    let mut option_dependency = Vec::new();
    if !pre.option_imports.is_empty() {
        let info = fd.source_code_info.get_or_insert_with(SourceCodeInfo::default);
        let mut moved: Vec<usize> = Vec::new();
        for l in &info.location {
            if let [3, k] = l.path[..]
                && span_start(text, &l.span).is_some_and(|s| pre.option_imports.contains(&s))
            {
                moved.push(usize::try_from(k).unwrap_or(usize::MAX));
            }
        }
        moved.sort_unstable();
        let kept: Vec<usize> = (0..fd.dependency.len()).filter(|k| !moved.contains(k)).collect();
        let renumber = |k: usize| kept.iter().position(|x| *x == k);
        let moved_ix = |k: usize| moved.iter().position(|x| *x == k);
        for l in &mut info.location {
            if let [3, k] = l.path[..] {
                let k = usize::try_from(k).unwrap_or(usize::MAX);
                if let Some(j) = moved_ix(k) {
                    l.path = vec![15, j as i32];
                } else if let Some(j) = renumber(k) {
                    l.path = vec![3, j as i32];
                }
            }
        }
        option_dependency = moved.iter().filter_map(|k| fd.dependency.get(*k).cloned()).collect();
        let deps = std::mem::take(&mut fd.dependency);
        fd.dependency = kept.iter().filter_map(|k| deps.get(*k).cloned()).collect();
        let remap = |v: &mut Vec<i32>| {
            *v = v.iter().filter_map(|k| usize::try_from(*k).ok().and_then(renumber).map(|j| j as i32)).collect();
        };
        remap(&mut fd.public_dependency);
        remap(&mut fd.weak_dependency);
        // The linker still needs the option imports (their extensions are used by options).
        fd.dependency.extend(option_dependency.iter().cloned());
    }
    defaults::apply(fd, pre, text)?;
    restore_reserved_names(fd, pre, text);
    // Visibility words: the element whose span starts at the keyword after the word.
    let mut visibility = Vec::new();
    if !pre.visibility.is_empty() {
        for l in fd.source_code_info.iter().flat_map(|i| &i.location) {
            if is_message_or_enum_path(&l.path)
                && let Some(s) = span_start(text, &l.span)
                && let Some((_, v)) = pre.visibility.iter().find(|(at, _)| *at == s)
            {
                visibility.push((l.path.clone(), *v));
            }
        }
    }
    Ok(Editions { edition: pre.edition, option_dependency, visibility })
}

fn is_message_or_enum_path(path: &[i32]) -> bool {
    match path {
        [4, _, rest @ ..] | [5, _, rest @ ..] if path[0] == 5 => rest.is_empty(),
        [4, _, rest @ ..] => {
            let mut r = rest;
            loop {
                match r {
                    [] => return true,
                    [3, _, tail @ ..] => r = tail,
                    [4, _] => return true,
                    _ => return false,
                }
            }
        }
        _ => false,
    }
}

fn location(fd: &FileDescriptorProto, path: &[i32]) -> Option<Vec<i32>> {
    fd.source_code_info.as_ref()?.location.iter().find(|l| l.path == path).map(|l| l.span.clone())
}

fn first_proto3_optional(fd: &FileDescriptorProto) -> Option<Vec<i32>> {
    fn msg(m: &prost_types::DescriptorProto, path: Vec<i32>) -> Option<Vec<i32>> {
        for (i, f) in m.field.iter().enumerate() {
            if f.proto3_optional() {
                return Some([path.as_slice(), &[2, i as i32]].concat());
            }
        }
        for (i, x) in m.extension.iter().enumerate() {
            if x.proto3_optional() {
                return Some([path.as_slice(), &[6, i as i32]].concat());
            }
        }
        m.nested_type.iter().enumerate().find_map(|(i, n)| msg(n, [path.as_slice(), &[3, i as i32]].concat()))
    }
    fd.message_type
        .iter()
        .enumerate()
        .find_map(|(i, m)| msg(m, vec![4, i as i32]))
        .or_else(|| fd.extension.iter().position(|x| x.proto3_optional()).map(|i| vec![7, i as i32]))
}

/// protox's proto3-mode errors that mean something else in an editions file, in protoc's words.
pub fn protoc_message(protox_message: &str) -> Option<&'static str> {
    if protox_message.contains("required fields are not allowed in proto3") {
        Some("Label \"required\" is not supported in editions, use features.field_presence = LEGACY_REQUIRED.")
    } else if protox_message.contains("groups are not allowed in proto3") {
        Some(
            "Group syntax is no longer supported in editions. To get group behavior you can specify features.message_encoding = DELIMITED on a message field.",
        )
    } else {
        None
    }
}

/// The `features.json_format` an unlinked options list sets (`Some(true)`: LEGACY_BEST_EFFORT).
fn written_json_legacy(options: &[prost_types::UninterpretedOption]) -> Option<bool> {
    options.iter().rev().find_map(|o| {
        let names: Vec<&str> = o.name.iter().map(|p| p.name_part.as_str()).collect();
        (names == ["features", "json_format"]).then(|| o.identifier_value.as_deref() == Some("LEGACY_BEST_EFFORT"))
    })
}

/// Paths of the messages of a parsed (not yet linked) editions file whose `json_format` feature
/// resolves to LEGACY_BEST_EFFORT (set on the message, an enclosing one, or the file).
pub fn legacy_json_messages(fd: &FileDescriptorProto) -> std::collections::HashSet<Vec<i32>> {
    fn walk(
        out: &mut std::collections::HashSet<Vec<i32>>,
        m: &prost_types::DescriptorProto,
        path: Vec<i32>,
        inherited: bool,
    ) {
        let own = m.options.as_ref().and_then(|o| written_json_legacy(&o.uninterpreted_option));
        let legacy = own.unwrap_or(inherited);
        if legacy {
            out.insert(path.clone());
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            walk(out, n, [path.as_slice(), &[3, i as i32]].concat(), legacy);
        }
    }
    let file = fd.options.as_ref().and_then(|o| written_json_legacy(&o.uninterpreted_option)).unwrap_or(false);
    let mut out = std::collections::HashSet::new();
    for (i, m) in fd.message_type.iter().enumerate() {
        walk(&mut out, m, vec![4, i as i32], file);
    }
    out
}

/// Put the blanked `reserved` name statements back: each into the innermost message or enum
/// whose span holds it, names appended in source order, with protoc's locations (`[.., 10]` /
/// `[.., 10, i]` in a message, `[.., 5]` / `[.., 5, i]` in an enum).
fn restore_reserved_names(fd: &mut FileDescriptorProto, pre: &Pre, text: &str) {
    if pre.reserved_names.is_empty() {
        return;
    }
    let containers: Vec<(Vec<i32>, (usize, usize))> = fd
        .source_code_info
        .iter()
        .flat_map(|i| &i.location)
        .filter(|l| is_message_or_enum_path(&l.path))
        .map(|l| (l.path.clone(), span_range(text, &l.span).unwrap_or((0, 0))))
        .collect();
    let mut added = Vec::new();
    for ((start, end), names) in &pre.reserved_names {
        let Some((path, _)) =
            containers.iter().filter(|(_, (s, e))| s <= start && end <= e).min_by_key(|(_, (s, e))| e - s)
        else {
            continue;
        };
        let is_enum = path.len() >= 2 && matches!(path[path.len() - 2], 4 | 5) && !(path.len() == 2 && path[0] == 4);
        let list: &mut Vec<String> = if is_enum {
            match enum_at_mut(fd, path) {
                Some(e) => &mut e.reserved_name,
                None => continue,
            }
        } else {
            match crate::proto::frontend::message_at_mut(fd, path) {
                Some(m) => &mut m.reserved_name,
                None => continue,
            }
        };
        let tag = if is_enum { 5 } else { 10 };
        let first = list.len();
        list.extend(names.iter().map(|(s, e)| text[*s..*e].to_string()));
        added.push(prost_types::source_code_info::Location {
            path: [path.as_slice(), &[tag]].concat(),
            span: span_of(text, (*start, *end)),
            leading_comments: leading_line_comments(text, *start),
            ..Default::default()
        });
        for (k, (s, e)) in names.iter().enumerate() {
            added.push(prost_types::source_code_info::Location {
                path: [path.as_slice(), &[tag, (first + k) as i32]].concat(),
                span: span_of(text, (*s, *e)),
                ..Default::default()
            });
        }
    }
    let info = fd.source_code_info.get_or_insert_with(SourceCodeInfo::default);
    // With the statement blanked, the parser took its leading comment for the trailing comment
    // of the element before it.
    for a in &added {
        if let Some(c) = &a.leading_comments {
            for l in &mut info.location {
                if l.trailing_comments.as_ref() == Some(c) {
                    l.trailing_comments = None;
                }
            }
        }
    }
    info.location.extend(added);
}

/// The `//` comment lines directly above `start` (no blank line between), as protoc records a
/// leading comment: each line without its `//`, joined with newlines.
fn leading_line_comments(text: &str, start: usize) -> Option<String> {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    if !text[line_start..start].trim().is_empty() {
        return None;
    }
    let mut lines = Vec::new();
    let mut end = line_start;
    while end > 0 {
        let prev_start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = text[prev_start..end - 1].trim();
        match line.strip_prefix("//") {
            Some(c) => lines.push(c),
            None => break,
        }
        end = prev_start;
    }
    if lines.is_empty() {
        return None;
    }
    lines.reverse();
    Some(lines.iter().map(|l| format!("{l}\n")).collect())
}

fn enum_at_mut<'a>(fd: &'a mut FileDescriptorProto, path: &[i32]) -> Option<&'a mut prost_types::EnumDescriptorProto> {
    match path {
        [5, i] => fd.enum_type.get_mut(usize::try_from(*i).ok()?),
        [msg @ .., 4, i] => {
            crate::proto::frontend::message_at_mut(fd, msg)?.enum_type.get_mut(usize::try_from(*i).ok()?)
        }
        _ => None,
    }
}
