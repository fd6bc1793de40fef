//! Locating a link error: the first link runs without source text (see `loader::compile`), so
//! the file that failed is linked again with its text, whose error carries source labels.
use crate::diagnostics::{Diagnostic, Span};
use crate::proto::frontend;
use crate::proto::loader::{ProtoSet, error_diagnostic, import_does_not_compile, open_outside_set, option_error_range};
use protox::file::{File, FileResolver, GoogleFileResolver};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Link `name` again from source with full source info, to locate its error (`expected`, from
/// the first link). A file the front end edited after parsing links with its text only without
/// those edits: that error is trusted when it is the same one, else the file is linked with its
/// edits and no text (the error is then located at the file's start).
pub(super) fn relink_error(set: &ProtoSet, failed: &HashSet<String>, name: &str, expected: &str) -> Option<Diagnostic> {
    struct SourceResolver {
        texts: HashMap<String, Arc<str>>,
        failed: HashSet<String>,
        includes: Vec<PathBuf>,
        google: GoogleFileResolver,
        keep_text: bool,
        edited: Arc<AtomicBool>,
    }
    impl FileResolver for SourceResolver {
        fn open_file(&self, name: &str) -> Result<File, protox::Error> {
            if self.failed.contains(name) {
                return Err(import_does_not_compile(name));
            }
            if let Some(text) = self.texts.get(name) {
                let (file, edited) = frontend::parse_file(name, text, self.keep_text)?;
                self.edited.fetch_or(edited, Ordering::Relaxed);
                return Ok(file);
            }
            open_outside_set(&self.includes, &self.google, name)
        }
    }
    let mut links_without_edits = false;
    for keep_text in [true, false] {
        let edited = Arc::new(AtomicBool::new(false));
        let resolver = SourceResolver {
            texts: set.files.iter().map(|(k, v)| (k.clone(), v.text.clone())).collect(),
            failed: failed.clone(),
            includes: set.include_dirs.clone(),
            google: GoogleFileResolver::new(),
            keep_text,
            edited: edited.clone(),
        };
        let mut c = protox::Compiler::with_file_resolver(resolver);
        c.include_source_info(true);
        // As `loader::compile` does: options are interpreted with protoc's descriptor.proto.
        if name != "google/protobuf/descriptor.proto" {
            let _ = c.open_file("google/protobuf/descriptor.proto");
        }
        let err = c.open_file(name).err();
        let edited = edited.load(Ordering::Relaxed);
        match err {
            Some(e) if !keep_text || !edited || e.to_string() == expected => {
                let mut d = error_diagnostic(set, &e, Some(name));
                // Only the edits fail: the restored extension-range options (placeholders
                // cannot), so point at the option list that names what failed.
                if !keep_text && links_without_edits {
                    d.span = restored_option_list(set, name, &e.to_string()).or(d.span);
                }
                return Some(d);
            }
            _ if !edited => return None,
            None => links_without_edits = true,
            // Without the edits the linker may report another error first (a JSON-name
            // conflict protoc accepts); the expected one is among the errors it reports too.
            Some(e) => {
                if let Some(span) = span_among(set, name, &e, expected) {
                    let mut d = error_diagnostic(set, &e, Some(name));
                    (d.message, d.span) = (expected.to_string(), Some(span));
                    return Some(d);
                }
            }
        }
    }
    None
}

/// The span of the error that reads `expected` among `e` and the errors reported with it.
fn span_among(set: &ProtoSet, name: &str, e: &protox::Error, expected: &str) -> Option<Span> {
    use miette::Diagnostic as _;
    let src = set.files.get(name)?;
    let related = e.related().into_iter().flatten();
    let hit = std::iter::once(e as &dyn miette::Diagnostic).chain(related).find(|d| d.to_string() == expected)?;
    let label = hit.labels()?.next()?;
    Some(Span::from_byte_range(&src.text, label.offset(), label.offset() + label.len()))
}

/// The extension-range option list of `name` that mentions a name quoted in `message`, else
/// its first one.
fn restored_option_list(set: &ProtoSet, name: &str, message: &str) -> Option<Span> {
    let text = &set.files.get(name)?.text;
    let lists = frontend::option_lists(text);
    let quoted: Vec<&str> = message.split('\'').skip(1).step_by(2).filter(|q| !q.is_empty()).collect();
    let (start, end) =
        lists.iter().find(|(s, e)| quoted.iter().any(|q| text[*s..*e].contains(q))).or(lists.first()).copied()?;
    // Inside the list, where protoc reports it: the unknown name, the wrong value.
    let (start, end) = option_error_range(text, start, message).unwrap_or((start, end));
    Some(Span::from_byte_range(text, start, end))
}
