//! Loading `.proto` files: discovery under roots, from disk or from git objects, and compilation
//! with `protox` (no protoc at run time). Files are parsed in parallel (rayon); linking is
//! sequential. Compile problems become input-error diagnostics at file:line:col.
use crate::diagnostics::{Diagnostic, FileRef, LineIndex, Span};
use crate::error::NovaError;
use prost_reflect::DescriptorPool;
use prost_types::FileDescriptorProto;
use protox::file::{File, FileResolver, GoogleFileResolver};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Diagnostic code for a proto that does not compile.
pub const COMPILE: &str = "COMPILE";

/// One `.proto` source.
#[derive(Debug, Clone)]
pub struct ProtoSource {
    /// Import name: the path relative to its import root (`auth/v1/auth.proto`).
    pub name: String,
    /// Where users see it: path relative to the input root, `/`-separated.
    pub file: FileRef,
    pub text: Arc<str>,
}

/// A set of proto sources to check together (one input root, one or more import roots).
#[derive(Debug, Clone, Default)]
pub struct ProtoSet {
    /// The input root paths are displayed relative to.
    pub root: PathBuf,
    /// Sources keyed by import name.
    pub files: BTreeMap<String, ProtoSource>,
    /// Extra directories searched for imports that are not part of the set (not linted).
    pub include_dirs: Vec<PathBuf>,
    /// Files that could not be read (not UTF-8, unreadable): reported, not compiled.
    pub unreadable: Vec<Diagnostic>,
}

impl ProtoSet {
    /// Collect every `.proto` below each of `import_roots` (absolute directories inside `root`).
    /// Hidden directories and `target/`/`node_modules/` are skipped.
    pub fn from_disk(root: &Path, import_roots: &[PathBuf]) -> Result<ProtoSet, NovaError> {
        let mut set = ProtoSet { root: root.to_path_buf(), ..Default::default() };
        let mut found: Vec<(String, PathBuf)> = Vec::new();
        for iroot in import_roots {
            if !iroot.exists() {
                return Err(NovaError::new(format!("{} does not exist", iroot.display())).at(iroot, None, None));
            }
            if iroot.is_file() {
                let name = iroot.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                found.push((name, iroot.clone()));
                continue;
            }
            for entry in
                walkdir::WalkDir::new(iroot).follow_links(false).sort_by_file_name().into_iter().filter_entry(|e| {
                    let n = e.file_name().to_string_lossy();
                    e.depth() == 0 || !(n.starts_with('.') || n == "target" || n == "node_modules")
                })
            {
                let entry = match entry {
                    Ok(e) => e,
                    Err(e) => {
                        let p = e.path().map(Path::to_path_buf).unwrap_or_else(|| iroot.clone());
                        set.unreadable.push(
                            Diagnostic::input_error("proto", "IO", format!("cannot read {}: {e}", p.display()))
                                .at(FileRef::new(root, &p), None),
                        );
                        continue;
                    }
                };
                if entry.file_type().is_file() && entry.path().extension().is_some_and(|x| x == "proto") {
                    let name = crate::diagnostics::rel_path(iroot, entry.path());
                    found.push((name, entry.path().to_path_buf()));
                }
            }
        }
        let read: Vec<_> = found
            .into_par_iter()
            .map(|(name, path)| {
                let r = crate::fsutil::read_text(&path);
                (name, path, r)
            })
            .collect();
        for (name, path, r) in read {
            let file = FileRef::new(root, &path);
            match r {
                Ok(text) => {
                    set.files.entry(name.clone()).or_insert(ProtoSource { name, file, text: Arc::from(text) });
                }
                Err(e) => {
                    let span = e
                        .location
                        .as_ref()
                        .and_then(|l| l.line.map(|ln| Span::new(ln, l.column.unwrap_or(1), ln, l.column.unwrap_or(1))));
                    set.unreadable.push(Diagnostic::input_error("proto", COMPILE, e.message).at(file, span));
                }
            }
        }
        Ok(set)
    }

    /// Build a set from in-memory files (e.g. read from git objects). Keys are paths relative to
    /// the input root; `import_roots` are input-root-relative directory prefixes (`""` for the root).
    pub fn from_memory(root: &Path, files: BTreeMap<String, Vec<u8>>, import_roots: &[String]) -> ProtoSet {
        let mut set = ProtoSet { root: root.to_path_buf(), ..Default::default() };
        for (path, bytes) in files {
            if !path.ends_with(".proto") {
                continue;
            }
            let name = import_roots
                .iter()
                .filter_map(|r| {
                    let r = r.trim_matches('/');
                    if r.is_empty() {
                        Some(path.clone())
                    } else {
                        path.strip_prefix(&format!("{r}/")).map(str::to_string)
                    }
                })
                .min_by_key(|n| n.len());
            let Some(name) = name else { continue };
            let file = FileRef { path: path.clone(), abs: None };
            match crate::fsutil::decode_utf8(Path::new(&path), bytes) {
                Ok(text) => {
                    set.files.entry(name.clone()).or_insert(ProtoSource { name, file, text: Arc::from(text) });
                }
                Err(e) => set.unreadable.push(Diagnostic::input_error("proto", COMPILE, e.message).at(file, None)),
            }
        }
        set
    }
}

/// The result of compiling a `ProtoSet`.
pub struct Compiled {
    /// Every file that linked, imports (including well-known types) too.
    pub pool: DescriptorPool,
    /// The set's own files that compiled, with source info, keyed by import name.
    pub files: BTreeMap<String, FileDescriptorProto>,
    /// Compile errors (input errors, exit 2) and unreadable files.
    pub errors: Vec<Diagnostic>,
}

struct SetResolver {
    // Behind a mutex so each parsed file can be moved (not cloned) into the compiler: protox
    // opens every name at most once, and a clone of every file doubled peak memory on large trees.
    parsed: std::sync::Mutex<HashMap<String, Result<File, String>>>,
    includes: Vec<PathBuf>,
    google: GoogleFileResolver,
}

impl FileResolver for SetResolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        // A file is asked for again only when it failed to link the first time, so a taken
        // entry stays behind as "does not compile".
        let taken =
            self.parsed.lock().ok().and_then(|mut m| m.get_mut(name).map(|r| std::mem::replace(r, Err(String::new()))));
        if let Some(r) = taken {
            return match r {
                Ok(f) => Ok(f),
                // Already reported at the file itself; importers just fail to link.
                Err(_) => Err(protox::Error::new(format!("imported file '{name}' does not compile"))),
            };
        }
        for inc in &self.includes {
            let p = inc.join(name);
            if p.is_file() {
                return File::open(name, &p);
            }
        }
        self.google.open_file(name)
    }
}

/// Parse every file of the set in parallel, then link them. One bad file never hides the rest.
pub fn compile(set: &ProtoSet) -> Compiled {
    let parsed: Vec<(String, Result<File, protox::Error>)> =
        set.files.par_iter().map(|(name, src)| (name.clone(), File::from_source(name, &src.text))).collect();
    let mut errors: Vec<Diagnostic> = set.unreadable.clone();
    let mut ok: HashMap<String, Result<File, String>> = HashMap::new();
    for (name, r) in parsed {
        match r {
            Ok(f) => {
                ok.insert(name, Ok(f));
            }
            Err(e) => {
                errors.push(error_diagnostic(set, &e, Some(&name)));
                ok.insert(name, Err(e.to_string()));
            }
        }
    }
    let names: Vec<String> = ok.iter().filter(|(_, r)| r.is_ok()).map(|(n, _)| n.clone()).collect();
    let resolver = SetResolver {
        parsed: std::sync::Mutex::new(ok),
        includes: set.include_dirs.clone(),
        google: GoogleFileResolver::new(),
    };
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_source_info(true).include_imports(true);
    let mut sorted = names;
    sorted.sort();
    for name in &sorted {
        if let Err(e) = compiler.open_file(name) {
            let d = error_diagnostic(set, &e, Some(name));
            // An importer of a broken file fails too; report only the root cause.
            if !e.to_string().contains("does not compile") && !errors.contains(&d) {
                errors.push(d);
            }
        }
    }
    let pool = compiler.descriptor_pool();
    let mut files = BTreeMap::new();
    for f in pool.files() {
        if set.files.contains_key(f.name()) {
            files.insert(f.name().to_string(), f.file_descriptor_proto().clone());
        }
    }
    Compiled { pool, files, errors }
}

/// A protox error as a diagnostic at its file:line:col.
pub fn error_diagnostic(set: &ProtoSet, e: &protox::Error, fallback: Option<&str>) -> Diagnostic {
    use miette::Diagnostic as _;
    let name = e.file().map(str::to_string).or_else(|| fallback.map(str::to_string));
    let src = name.as_deref().and_then(|n| set.files.get(n));
    let mut message = e.to_string();
    if let Some(help) = e.help() {
        message = format!("{message} ({help})");
    }
    let mut d = Diagnostic::input_error("proto", COMPILE, message);
    if let Some(src) = src {
        let span = e.labels().and_then(|mut labels| labels.next()).map(|l| {
            let idx = LineIndex::new(&src.text);
            let (line, column) = idx.line_col(&src.text, l.offset());
            let (end_line, end_column) = idx.line_col(&src.text, l.offset() + l.len());
            Span::new(line, column, end_line, end_column)
        });
        d = d.at(src.file.clone(), span.or(Some(Span::file_start())));
    } else if let Some(n) = name {
        d = d.at(FileRef::virtual_path(n), None);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mem(files: &[(&str, &str)]) -> ProtoSet {
        let map = files.iter().map(|(k, v)| (k.to_string(), v.as_bytes().to_vec())).collect();
        ProtoSet::from_memory(Path::new("/x"), map, &["".to_string()])
    }

    #[test]
    fn compiles_with_imports_and_wkt() {
        let set = mem(&[
            (
                "a/v1/a.proto",
                "syntax = \"proto3\";\npackage a.v1;\nimport \"google/protobuf/timestamp.proto\";\nmessage A { google.protobuf.Timestamp t = 1; }\n",
            ),
            (
                "b/v1/b.proto",
                "syntax = \"proto3\";\npackage b.v1;\nimport \"a/v1/a.proto\";\nmessage B { a.v1.A a = 1; }\n",
            ),
        ]);
        let c = compile(&set);
        assert!(c.errors.is_empty(), "{:?}", c.errors);
        assert_eq!(c.files.len(), 2);
        assert!(c.files["a/v1/a.proto"].source_code_info.is_some());
    }

    #[test]
    fn syntax_error_has_location_and_others_still_compile() {
        let set = mem(&[
            ("bad.proto", "syntax = \"proto3\";\nmessage X {\n  int32 = 1;\n}\n"),
            ("good.proto", "syntax = \"proto3\";\nmessage Y {}\n"),
        ]);
        let c = compile(&set);
        assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
        let d = &c.errors[0];
        assert_eq!(d.file.as_ref().unwrap().path, "bad.proto");
        assert_eq!(d.span.unwrap().line, 3);
        assert!(c.files.contains_key("good.proto"));
    }

    #[test]
    fn unresolved_import_is_reported_at_the_import() {
        let set = mem(&[("a.proto", "syntax = \"proto3\";\nimport \"missing.proto\";\n")]);
        let c = compile(&set);
        assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
        assert_eq!(c.errors[0].span.unwrap().line, 2);
    }
}
