//! Loading `.proto` files: discovery under roots, from disk or from git objects, and compilation
//! with `protox` (no protoc at run time). Files are parsed in parallel (rayon); linking is
//! sequential. Compile problems become input-error diagnostics at file:line:col.
use crate::diagnostics::{Diagnostic, FileRef, LineIndex, Span};
use crate::error::NovaError;
use crate::proto::declarations;
use crate::proto::descriptor;
use crate::proto::frontend::{self, FrontendError};
use prost_reflect::DescriptorPool;
use prost_types::FileDescriptorProto;
use protox::file::{File, FileResolver, GoogleFileResolver};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Diagnostic code for a proto that does not compile.
pub const COMPILE: &str = "COMPILE";

/// Largest `.proto` nova reads (the largest googleapis file is well under 1 MB).
pub const MAX_PROTO_BYTES: u64 = 16 * 1024 * 1024;

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
        ProtoSet::from_disk_in(root, import_roots, None)
    }

    /// `from_disk`, taking the file list from the walk `nova check` shared when it covers an
    /// import root exactly: a shared walk that met a symbolic link or an unreadable entry cannot
    /// (this walk reads `.proto` links through and reports walk errors), so it walks by itself.
    pub fn from_disk_in(
        root: &Path,
        import_roots: &[PathBuf],
        tree: Option<&crate::walk::Tree>,
    ) -> Result<ProtoSet, NovaError> {
        let tree = tree.filter(|t| !t.has_symlinks && !t.has_errors);
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
            if let Some(files) = tree.and_then(|t| t.files_under(iroot)) {
                for (path, below) in files {
                    if path.extension().is_some_and(|x| x == "proto") {
                        found.push((below.to_string_lossy().replace('\\', "/"), path));
                    }
                }
                continue;
            }
            for entry in
                walkdir::WalkDir::new(iroot).follow_links(false).sort_by_file_name().into_iter().filter_entry(|e| {
                    // The directories every nova walk skips (hidden files are read, as buf does).
                    e.depth() == 0
                        || !(e.file_type().is_dir() && crate::walk::skipped_dir(&e.file_name().to_string_lossy()))
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
                // A symlinked .proto is read through its link; one that does not resolve (dangling,
                // a loop) is reported by the read below instead of silently dropped.
                let wanted = entry.file_type().is_file() || entry.path_is_symlink();
                if wanted && entry.path().extension().is_some_and(|x| x == "proto") {
                    let name = crate::diagnostics::rel_path(iroot, entry.path());
                    found.push((name, entry.path().to_path_buf()));
                }
            }
        }
        let read: Vec<_> = found
            .into_par_iter()
            .map(|(name, path)| {
                let r = match std::fs::metadata(&path) {
                    // Refuse before reading: a huge file is generated or corrupt, never a schema.
                    Ok(m) if m.len() > MAX_PROTO_BYTES => Err(NovaError::new(format!(
                        "{} is {:.1} MB; nova does not read .proto files over {} MB",
                        path.display(),
                        m.len() as f64 / 1_048_576.0,
                        MAX_PROTO_BYTES / 1_048_576
                    ))
                    .at(&path, Some(1), Some(1))),
                    _ => crate::fsutil::read_text(&path),
                };
                (name, path, r)
            })
            .collect();
        for (name, path, r) in read {
            let file = FileRef::new(root, &path);
            match r {
                Ok(text) => {
                    if let Some(first) = set.files.get(&name) {
                        // Two import roots provide the same import name: which one an import
                        // means is ambiguous, so say so instead of silently picking one.
                        let msg = format!(
                            "{} has the import name `{name}`, which {} already has; import names must be unique across import roots",
                            file.path, first.file.path
                        );
                        set.unreadable
                            .push(Diagnostic::input_error("proto", COMPILE, msg).at(file, Some(Span::file_start())));
                        continue;
                    }
                    set.files.insert(name.clone(), ProtoSource { name, file, text: Arc::from(text) });
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

/// Free `value` on a background thread. Freeing a large tree's descriptors takes a noticeable
/// share of a run: a CLI exits first, a library caller gets the memory back shortly after.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new().name("nova-drop".into()).spawn(move || drop(value));
}

/// Set by the binary before a command whose process then exits: see `drop_or_leave_to_exit`.
pub static PROCESS_EXITS_AFTER_COMMAND: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// For what a command holds until its very end: when the process exits right after the command,
/// leave the memory to the exit (freeing googleapis' descriptors costs half a CPU-second, which
/// a background drop takes from rendering on a 2-core machine); else `drop_in_background`.
pub fn drop_or_leave_to_exit<T: Send + 'static>(value: T) {
    if PROCESS_EXITS_AFTER_COMMAND.load(std::sync::atomic::Ordering::Relaxed) {
        std::mem::forget(value);
    } else {
        drop_in_background(value);
    }
}

/// The result of compiling a `ProtoSet`.
pub struct Compiled {
    /// Every file that linked, imports (including well-known types) too.
    pub pool: DescriptorPool,
    /// The set's own files that compiled, with source info, keyed by import name: nova's
    /// descriptor types (editions fields included), as the linker interpreted their options.
    pub files: BTreeMap<String, descriptor::FileDescriptorProto>,
    /// Compile errors (input errors, exit 2) and unreadable files.
    pub errors: Vec<Diagnostic>,
}

/// What an importer of a file that failed to parse gets: the file itself is already reported,
/// so `compile` recognises this error and does not report the importer again.
const IMPORT_DOES_NOT_COMPILE: &str = "does not compile";

pub(super) fn import_does_not_compile(name: &str) -> protox::Error {
    protox::Error::new(format!("imported file '{name}' {IMPORT_DOES_NOT_COMPILE}"))
}

/// Resolve an import that is not part of the set: the extra include directories, then
/// descriptor.proto and the feature sets of protoc 36.2 (`descriptor::bundled`), then the
/// well-known types protox ships.
pub(super) fn open_outside_set(
    includes: &[PathBuf],
    google: &GoogleFileResolver,
    name: &str,
) -> Result<File, protox::Error> {
    for inc in includes {
        let p = inc.join(name);
        if p.is_file() {
            // Through nova's front end, like the set's own files; File::open words read errors.
            return match std::fs::read_to_string(&p) {
                Ok(text) => frontend::parse_file(name, &text, false).map(|(file, _)| file),
                Err(_) => File::open(name, &p),
            };
        }
    }
    if let Some(fd) = descriptor::bundled(name) {
        return Ok(File::from_file_descriptor_proto(fd));
    }
    google.open_file(name)
}

struct SetResolver {
    /// Parsed files, handed to the compiler once each (it never asks twice) so nothing is copied.
    parsed: std::sync::Mutex<HashMap<String, Result<File, String>>>,
    includes: Vec<PathBuf>,
    google: GoogleFileResolver,
}

impl FileResolver for SetResolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        let entry = match self.parsed.lock() {
            Ok(mut m) => match m.get(name) {
                Some(Ok(_)) => m.remove(name),
                Some(Err(e)) => Some(Err(e.clone())),
                None => None,
            },
            Err(_) => None,
        };
        match entry {
            Some(Ok(f)) => return Ok(f),
            // Already reported at the file itself; importers just fail to link.
            Some(Err(_)) => return Err(import_does_not_compile(name)),
            None => {}
        }
        open_outside_set(&self.includes, &self.google, name)
    }
}

/// Parse every file of the set in parallel, then link them. One bad file never hides the rest.
///
/// Source info (locations and comments) dominates the size of well-commented files, and the
/// descriptor pool would hold it twice; so it is split off after parsing, the linker sees the bare
/// descriptors, and the info is re-attached to the linked descriptors in `Compiled::files`. When a
/// file fails to link, it is relinked once with full source info to locate the error.
pub fn compile(set: &ProtoSet) -> Compiled {
    compile_inner(set, true)
}

/// `compile` without source info: it is dropped right after parsing, so only the bare
/// descriptors are ever held. `source_info` recovers it later for the few files that need it.
pub fn compile_without_source_info(set: &ProtoSet) -> Compiled {
    compile_inner(set, false)
}

/// The source info `compile` would attach to `name` (locations and comments, option paths
/// interpreted), from its text alone. `None` when the text does not parse.
pub fn source_info(name: &str, text: &str) -> Option<descriptor::SourceCodeInfo> {
    let mut fdp = std::panic::catch_unwind(|| frontend::prepare(name, text)).ok()?.ok()?.fd;
    let mut info = fdp.source_code_info.take()?;
    interpret_option_paths(&fdp, &mut info);
    Some(descriptor::source_info_from_prost(info))
}

fn compile_inner(set: &ProtoSet, keep_source_info: bool) -> Compiled {
    enum Parsed {
        Ok(Box<File>, Option<prost_types::SourceCodeInfo>, frontend::Restore, declarations::Declared),
        Failed(Box<Diagnostic>, String),
    }
    // protox parses recursively: hostile nesting would overflow the stack (an abort, not an error).
    let parsed: Vec<(String, Parsed)> = set
        .files
        .par_iter()
        .map(|(name, src)| {
            if let Some(span) = nesting_too_deep(&src.text) {
                let msg = format!("nesting deeper than {MAX_NESTING} levels; nova does not parse this file");
                let d = Diagnostic::input_error("proto", COMPILE, msg).at(src.file.clone(), Some(span));
                return (name.clone(), Parsed::Failed(Box::new(d), "too deep".to_string()));
            }
            // A parser panic on one hostile file becomes that file's error, not a crash of the run.
            let prepared = std::panic::catch_unwind(|| frontend::prepare(name, &src.text)).unwrap_or_else(|_| {
                let msg = format!("the proto parser crashed on {name}; please report this file");
                Err(FrontendError::Protox(protox::Error::new(msg)))
            });
            let p = match prepared {
                Ok(frontend::Prepared { mut fd, restore, .. }) => {
                    // The linker reports every duplicate with a source excerpt, which is quadratic
                    // in the number of duplicates; catch the first one here in linear time instead.
                    if let Some((full, path)) = first_duplicate(&fd) {
                        let d = duplicate_diagnostic(set, name, &fd, &full, &path);
                        Parsed::Failed(Box::new(d), format!("name '{full}' is defined twice"))
                    } else {
                        // `declaration = {...}` or `verification = DECLARATION`.
                        let declares = src.text.contains("declaration") || src.text.contains("DECLARATION");
                        let declared = if declares { declarations::declared(&fd) } else { Default::default() };
                        let mut info = fd.source_code_info.take().filter(|_| keep_source_info);
                        if let Some(info) = info.as_mut() {
                            interpret_option_paths(&fd, info);
                            // The parser grows the list by doubling: a third of it was spare
                            // capacity (80 MB on googleapis), kept until the end of the run.
                            let mut exact = Vec::with_capacity(info.location.len());
                            exact.append(&mut info.location);
                            info.location = exact;
                        }
                        Parsed::Ok(Box::new(File::from_file_descriptor_proto(fd)), info, restore, declared)
                    }
                }
                Err(e) => {
                    let d = frontend_diagnostic(set, name, e);
                    let msg = d.message.clone();
                    Parsed::Failed(Box::new(d), msg)
                }
            };
            (name.clone(), p)
        })
        .collect();
    let mut errors: Vec<Diagnostic> = set.unreadable.clone();
    let mut ok: HashMap<String, Result<File, String>> = HashMap::new();
    let mut infos: HashMap<String, (Option<prost_types::SourceCodeInfo>, frontend::Restore)> = HashMap::new();
    let mut failed: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut declared = declarations::Declared::new();
    for (name, p) in parsed {
        match p {
            Parsed::Ok(f, info, restore, d) => {
                declared.extend(d);
                infos.insert(name.clone(), (info, restore));
                ok.insert(name, Ok(*f));
            }
            Parsed::Failed(d, msg) => {
                errors.push(*d);
                failed.insert(name.clone());
                ok.insert(name, Err(msg));
            }
        }
    }
    let mut names: Vec<String> = ok.iter().filter(|(_, r)| r.is_ok()).map(|(n, _)| n.clone()).collect();
    names.sort();
    let resolver = SetResolver {
        parsed: std::sync::Mutex::new(ok),
        includes: set.include_dirs.clone(),
        google: GoogleFileResolver::new(),
    };
    let mut compiler = protox::Compiler::with_file_resolver(resolver);
    compiler.include_source_info(true).include_imports(true);
    // Options are interpreted with the pool's descriptor.proto; a set whose files do not import
    // it would get prost-reflect's older copy (no edition 2024 features). Load the one protoc
    // uses (the set's, an include directory's, else the bundled one) first. Its own errors, if
    // it is a broken file of the set, are reported when the set's files are linked.
    let _ = compiler.open_file("google/protobuf/descriptor.proto");
    let mut located: std::collections::HashSet<String> = std::collections::HashSet::new();
    for name in &names {
        if let Err(e) = compiler.open_file(name) {
            // An importer of a broken file fails too; report only the root cause.
            if e.to_string().contains(IMPORT_DOES_NOT_COMPILE) {
                continue;
            }
            let culprit = e.file().unwrap_or(name).to_string();
            if !located.insert(culprit.clone()) {
                continue;
            }
            let d = super::relink::relink_error(set, &failed, &culprit, &e.to_string())
                .or_else(|| locate_named_symbol(set, &culprit, &e.to_string()))
                .unwrap_or_else(|| error_diagnostic(set, &e, Some(name)));
            if !errors.contains(&d) {
                errors.push(d);
            }
        }
    }
    let pool = compiler.descriptor_pool();
    drop(compiler);
    // The set's own files, in nova's descriptor types, in parallel. The encoding keeps every
    // option the linker interpreted (features, extensions), which prost-types'
    // `file_descriptor_proto()` drops; the source info is moved over, not copied.
    let work: Vec<_> =
        pool.files().filter_map(|f| infos.remove(f.name()).map(|(info, restore)| (f, info, restore))).collect();
    let files: BTreeMap<String, descriptor::FileDescriptorProto> = work
        .into_par_iter()
        .map(|(f, info, restore)| {
            let mut fdp = descriptor::decode_file(&f.encode_to_vec());
            fdp.source_code_info = info.map(descriptor::source_info_from_prost);
            restore.apply(&mut fdp);
            (f.name().to_string(), fdp)
        })
        .collect();
    let mut files = files;
    errors.extend(declarations::refuse_undeclared(set, &mut files, &declared));
    errors.extend(refuse_protoc_errors(set, &mut files));
    Compiled { pool, files, errors }
}

/// Take the files protoc refuses and the linker accepted out of `files` (`validate`,
/// `editions::check`, edition 2024 visibility), with an input error each.
fn refuse_protoc_errors(
    set: &ProtoSet,
    files: &mut BTreeMap<String, descriptor::FileDescriptorProto>,
) -> Vec<Diagnostic> {
    use crate::proto::editions::check;
    let closed: HashMap<String, bool> = files.values().flat_map(check::closed_enums).collect();
    let is_closed = |n: &str| closed.get(n).copied();
    let mut refused: Vec<(String, Vec<i32>, String)> = crate::proto::editions::visibility::invisible_uses(files);
    for (name, fd) in files.iter() {
        if refused.iter().any(|(n, _, _)| n == name) {
            continue;
        }
        if let Some((path, message)) =
            crate::proto::validate::check(fd, &is_closed).or_else(|| check::check(fd, &is_closed))
        {
            refused.push((name.clone(), path, message));
        }
    }
    let mut errors = Vec::new();
    for (name, path, message) in refused {
        if let Some(mut fd) = files.remove(&name) {
            errors.push(refusal(set, &name, &mut fd, &path, message));
        }
    }
    errors
}

/// The input error that refuses a linked file at a source-info path, located with the file's own
/// source info (taken: the file is being dropped), else with the info recovered from its text.
pub(super) fn refusal(
    set: &ProtoSet,
    name: &str,
    fd: &mut descriptor::FileDescriptorProto,
    path: &[i32],
    message: String,
) -> Diagnostic {
    let info = fd.source_code_info.take().or_else(|| source_info(name, &set.files.get(name)?.text));
    diagnostic_at(set, name, info.as_ref(), path, message)
}

/// The parser records `option x = ...;` at `[.., OPTIONS, 999, i]` (uninterpreted); the linker
/// would rewrite that to `[.., OPTIONS, <field number of x>]`. Since source info bypasses the
/// linker, do the same for the built-in options rules point at (file options, enum allow_alias).
fn interpret_option_paths(fd: &FileDescriptorProto, info: &mut prost_types::SourceCodeInfo) {
    use prost_types::UninterpretedOption;
    const UNINTERPRETED: i32 = 999;
    /// The descriptor kinds that carry options, with the field number of their `options`.
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        File,
        Message,
        Field,
        Oneof,
        Enum,
        EnumValue,
        Service,
        Method,
    }
    fn simple(parts: &[prost_types::uninterpreted_option::NamePart]) -> Option<&str> {
        match parts {
            [p] if !p.is_extension => Some(p.name_part.as_str()),
            _ => None,
        }
    }
    /// Field number of a built-in option of `kind` (descriptor.proto).
    fn option_number(kind: Kind, name: &str) -> Option<i32> {
        Some(match (kind, name) {
            (Kind::File, "java_package") => 1,
            (Kind::File, "java_outer_classname") => 8,
            (Kind::File, "optimize_for") => 9,
            (Kind::File, "java_multiple_files") => 10,
            (Kind::File, "go_package") => 11,
            (Kind::File, "cc_generic_services") => 16,
            (Kind::File, "java_generic_services") => 17,
            (Kind::File, "py_generic_services") => 18,
            (Kind::File, "java_generate_equals_and_hash") => 20,
            (Kind::File, "deprecated") => 23,
            (Kind::File, "java_string_check_utf8") => 27,
            (Kind::File, "cc_enable_arenas") => 31,
            (Kind::File, "objc_class_prefix") => 36,
            (Kind::File, "csharp_namespace") => 37,
            (Kind::File, "swift_prefix") => 39,
            (Kind::File, "php_class_prefix") => 40,
            (Kind::File, "php_namespace") => 41,
            (Kind::File, "php_metadata_namespace") => 44,
            (Kind::File, "ruby_package") => 45,
            (Kind::Message, "message_set_wire_format") => 1,
            (Kind::Message, "no_standard_descriptor_accessor") => 2,
            (Kind::Message, "deprecated") => 3,
            (Kind::Message, "map_entry") => 7,
            (Kind::Message, "deprecated_legacy_json_field_conflicts") => 11,
            (Kind::Field, "ctype") => 1,
            (Kind::Field, "packed") => 2,
            (Kind::Field, "deprecated") => 3,
            (Kind::Field, "lazy") => 5,
            (Kind::Field, "jstype") => 6,
            (Kind::Field, "weak") => 10,
            (Kind::Field, "unverified_lazy") => 15,
            (Kind::Field, "debug_redact") => 16,
            (Kind::Field, "retention") => 17,
            (Kind::Enum, "allow_alias") => 2,
            (Kind::Enum, "deprecated") => 3,
            (Kind::Enum, "deprecated_legacy_json_field_conflicts") => 6,
            (Kind::EnumValue, "deprecated") => 1,
            (Kind::EnumValue, "debug_redact") => 3,
            (Kind::Service, "deprecated") => 33,
            (Kind::Method, "deprecated") => 33,
            (Kind::Method, "idempotency_level") => 34,
            _ => return None,
        })
    }
    /// The uninterpreted options of the element at `owner`, with its kind and `options` field number.
    fn owner_options<'a>(fd: &'a FileDescriptorProto, owner: &[i32]) -> Option<(Kind, i32, &'a [UninterpretedOption])> {
        fn ix(i: i32) -> Option<usize> {
            usize::try_from(i).ok()
        }
        fn msg<'a>(
            m: &'a prost_types::DescriptorProto,
            rest: &[i32],
        ) -> Option<(Kind, i32, &'a [UninterpretedOption])> {
            match rest {
                [] => Some((Kind::Message, 7, &m.options.as_ref()?.uninterpreted_option)),
                [2 | 6, i] => {
                    let f = if rest[0] == 2 { m.field.get(ix(*i)?)? } else { m.extension.get(ix(*i)?)? };
                    Some((Kind::Field, 8, &f.options.as_ref()?.uninterpreted_option))
                }
                [8, i] => Some((Kind::Oneof, 2, &m.oneof_decl.get(ix(*i)?)?.options.as_ref()?.uninterpreted_option)),
                [3, i, tail @ ..] => msg(m.nested_type.get(ix(*i)?)?, tail),
                [4, i, tail @ ..] => en(m.enum_type.get(ix(*i)?)?, tail),
                _ => None,
            }
        }
        fn en<'a>(
            e: &'a prost_types::EnumDescriptorProto,
            rest: &[i32],
        ) -> Option<(Kind, i32, &'a [UninterpretedOption])> {
            match rest {
                [] => Some((Kind::Enum, 3, &e.options.as_ref()?.uninterpreted_option)),
                [2, i] => Some((Kind::EnumValue, 3, &e.value.get(ix(*i)?)?.options.as_ref()?.uninterpreted_option)),
                _ => None,
            }
        }
        match owner {
            [] => Some((Kind::File, 8, &fd.options.as_ref()?.uninterpreted_option)),
            [4, i, tail @ ..] => msg(fd.message_type.get(ix(*i)?)?, tail),
            [5, i, tail @ ..] => en(fd.enum_type.get(ix(*i)?)?, tail),
            [7, i] => Some((Kind::Field, 8, &fd.extension.get(ix(*i)?)?.options.as_ref()?.uninterpreted_option)),
            [6, i] => Some((Kind::Service, 3, &fd.service.get(ix(*i)?)?.options.as_ref()?.uninterpreted_option)),
            [6, i, 2, j] => Some((
                Kind::Method,
                4,
                &fd.service.get(ix(*i)?)?.method.get(ix(*j)?)?.options.as_ref()?.uninterpreted_option,
            )),
            _ => None,
        }
    }
    for loc in &mut info.location {
        let n = loc.path.len();
        if n < 3 || loc.path[n - 2] != UNINTERPRETED {
            continue;
        }
        let Ok(i) = usize::try_from(loc.path[n - 1]) else { continue };
        let Some((kind, opts_tag, uninterpreted)) = owner_options(fd, &loc.path[..n - 3]) else { continue };
        if loc.path[n - 3] != opts_tag {
            continue;
        }
        let number = uninterpreted.get(i).and_then(|u| simple(&u.name)).and_then(|name| option_number(kind, name));
        if let Some(number) = number {
            loc.path.truncate(n - 2);
            loc.path.push(number);
        }
    }
}

/// Errors that only arise against other files ("name 'p.X' is already defined in file ...")
/// do not reproduce when `name` is relinked alone: find the named symbol in the file instead.
fn locate_named_symbol(set: &ProtoSet, name: &str, message: &str) -> Option<Diagnostic> {
    let start = message.find("name '")? + "name '".len();
    let symbol = &message[start..start + message[start..].find('\'')?];
    let src = set.files.get(name)?;
    let (file, _) = frontend::parse_file(name, &src.text, false).ok()?;
    let fd = file.file_descriptor_proto();
    // A name another file defines too: protoc reports the first clash in the order it defines
    // symbols, which is not the linker's.
    let marker = "is already defined in file '";
    if let Some(at) = message.find(marker) {
        let rest = &message[at + marker.len()..];
        let other = &rest[..rest.find('\'')?];
        let theirs: HashSet<String> = set
            .files
            .get(other)
            .and_then(|o| frontend::parse_file(other, &o.text, false).ok())
            .map(|(f, _)| symbols_in_protoc_order(f.file_descriptor_proto()).into_iter().map(|(n, _)| n).collect())
            .unwrap_or_default();
        if let Some((first, path)) = symbols_in_protoc_order(fd).into_iter().find(|(n, _)| theirs.contains(n)) {
            let mut d = duplicate_diagnostic(set, name, fd, &first, &path);
            d.message = format!("name '{first}' is already defined in file '{other}'");
            return Some(d);
        }
    }
    let path = symbol_path(fd, symbol)?;
    let mut d = duplicate_diagnostic(set, name, fd, symbol, &path);
    d.message = message.to_string();
    Some(d)
}

/// The symbols a file defines (full name, source-info path of the name), in the order protoc
/// defines them: in a message its oneofs, fields, extensions, enums (values before the enum),
/// nested messages, then the message itself; then top-level enums, extensions and services.
fn symbols_in_protoc_order(fd: &FileDescriptorProto) -> Vec<(String, Vec<i32>)> {
    fn join(scope: &str, name: &str) -> String {
        if scope.is_empty() { name.to_string() } else { format!("{scope}.{name}") }
    }
    fn at(path: &[i32], tail: &[i32]) -> Vec<i32> {
        [path, tail].concat()
    }
    fn enum_(out: &mut Vec<(String, Vec<i32>)>, e: &prost_types::EnumDescriptorProto, scope: &str, path: &[i32]) {
        for (j, v) in e.value.iter().enumerate() {
            out.push((join(scope, v.name()), at(path, &[2, j as i32, 1])));
        }
        out.push((join(scope, e.name()), at(path, &[1])));
    }
    fn message(out: &mut Vec<(String, Vec<i32>)>, m: &prost_types::DescriptorProto, scope: &str, path: &[i32]) {
        let me = join(scope, m.name());
        for (i, o) in m.oneof_decl.iter().enumerate() {
            out.push((join(&me, o.name()), at(path, &[8, i as i32, 1])));
        }
        for (i, f) in m.field.iter().enumerate() {
            out.push((join(&me, f.name()), at(path, &[2, i as i32, 1])));
        }
        for (i, x) in m.extension.iter().enumerate() {
            out.push((join(&me, x.name()), at(path, &[6, i as i32, 1])));
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            enum_(out, e, &me, &at(path, &[4, i as i32]));
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            message(out, n, &me, &at(path, &[3, i as i32]));
        }
        out.push((me, at(path, &[1])));
    }
    let mut out = Vec::new();
    let pkg = fd.package();
    for (i, m) in fd.message_type.iter().enumerate() {
        message(&mut out, m, pkg, &[4, i as i32]);
    }
    for (i, e) in fd.enum_type.iter().enumerate() {
        enum_(&mut out, e, pkg, &[5, i as i32]);
    }
    for (i, x) in fd.extension.iter().enumerate() {
        out.push((join(pkg, x.name()), vec![7, i as i32, 1]));
    }
    for (i, sv) in fd.service.iter().enumerate() {
        out.push((join(pkg, sv.name()), vec![6, i as i32, 1]));
    }
    out
}

fn symbol_path(fd: &FileDescriptorProto, full: &str) -> Option<Vec<i32>> {
    fn join(scope: &str, name: &str) -> String {
        if scope.is_empty() { name.to_string() } else { format!("{scope}.{name}") }
    }
    fn in_message(m: &prost_types::DescriptorProto, scope: &str, path: Vec<i32>, full: &str) -> Option<Vec<i32>> {
        let me = join(scope, m.name());
        if me == full {
            let mut p = path;
            p.push(1);
            return Some(p);
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            if join(&me, e.name()) == full {
                let mut p = path.clone();
                p.extend([4, i as i32, 1]);
                return Some(p);
            }
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            let mut p = path.clone();
            p.extend([3, i as i32]);
            if let Some(found) = in_message(n, &me, p, full) {
                return Some(found);
            }
        }
        None
    }
    let pkg = fd.package();
    for (i, m) in fd.message_type.iter().enumerate() {
        if let Some(p) = in_message(m, pkg, vec![4, i as i32], full) {
            return Some(p);
        }
    }
    for (i, e) in fd.enum_type.iter().enumerate() {
        if join(pkg, e.name()) == full {
            return Some(vec![5, i as i32, 1]);
        }
    }
    for (i, sv) in fd.service.iter().enumerate() {
        if join(pkg, sv.name()) == full {
            return Some(vec![6, i as i32, 1]);
        }
    }
    None
}

/// The first symbol a file defines twice: (full name, source-info path of its name).
fn first_duplicate(fd: &FileDescriptorProto) -> Option<(String, Vec<i32>)> {
    use std::collections::HashSet;
    fn join(scope: &str, name: &str) -> String {
        if scope.is_empty() { name.to_string() } else { format!("{scope}.{name}") }
    }
    fn check(seen: &mut HashSet<String>, full: String, path: Vec<i32>) -> Option<(String, Vec<i32>)> {
        if seen.insert(full.clone()) { None } else { Some((full, path)) }
    }
    fn enum_(
        seen: &mut HashSet<String>,
        scope: &str,
        e: &prost_types::EnumDescriptorProto,
        path: Vec<i32>,
    ) -> Option<(String, Vec<i32>)> {
        let mut np = path.clone();
        np.push(1);
        check(seen, join(scope, e.name()), np)?;
        // Enum values live in the enum's enclosing scope (C++ rules).
        for (j, v) in e.value.iter().enumerate() {
            let mut vp = path.clone();
            vp.extend([2, j as i32, 1]);
            if let Some(d) = check(seen, join(scope, v.name()), vp) {
                return Some(d);
            }
        }
        None
    }
    fn message(
        seen: &mut HashSet<String>,
        scope: &str,
        m: &prost_types::DescriptorProto,
        path: Vec<i32>,
    ) -> Option<(String, Vec<i32>)> {
        let full = join(scope, m.name());
        let mut np = path.clone();
        np.push(1);
        if let Some(d) = check(seen, full.clone(), np) {
            return Some(d);
        }
        for (i, f) in m.field.iter().enumerate() {
            let mut fp = path.clone();
            fp.extend([2, i as i32, 1]);
            if let Some(d) = check(seen, join(&full, f.name()), fp) {
                return Some(d);
            }
        }
        for (i, e) in m.enum_type.iter().enumerate() {
            let mut ep = path.clone();
            ep.extend([4, i as i32]);
            if let Some(d) = enum_(seen, &full, e, ep) {
                return Some(d);
            }
        }
        for (i, n) in m.nested_type.iter().enumerate() {
            let mut mp = path.clone();
            mp.extend([3, i as i32]);
            if let Some(d) = message(seen, &full, n, mp) {
                return Some(d);
            }
        }
        None
    }
    let mut seen = HashSet::new();
    let pkg = fd.package();
    for (i, m) in fd.message_type.iter().enumerate() {
        if let Some(d) = message(&mut seen, pkg, m, vec![4, i as i32]) {
            return Some(d);
        }
    }
    for (i, e) in fd.enum_type.iter().enumerate() {
        if let Some(d) = enum_(&mut seen, pkg, e, vec![5, i as i32]) {
            return Some(d);
        }
    }
    for (i, sv) in fd.service.iter().enumerate() {
        if let Some(d) = check(&mut seen, join(pkg, sv.name()), vec![6, i as i32, 1]) {
            return Some(d);
        }
    }
    None
}

fn duplicate_diagnostic(set: &ProtoSet, name: &str, fd: &FileDescriptorProto, full: &str, path: &[i32]) -> Diagnostic {
    diagnostic_at(
        set,
        name,
        fd.source_code_info.as_ref().map(descriptor::convert).as_ref(),
        path,
        format!("name '{full}' is defined twice"),
    )
}

/// An input error at the element at a source-info path of `name` (its start when not found).
pub(super) fn diagnostic_at(
    set: &ProtoSet,
    name: &str,
    info: Option<&descriptor::SourceCodeInfo>,
    path: &[i32],
    message: String,
) -> Diagnostic {
    let d = Diagnostic::input_error("proto", COMPILE, message);
    let text = set.files.get(name).map(|s| crate::proto::span::SourceText::new(&s.text));
    let span = info
        .and_then(|info| info.location.iter().find(|l| l.path == path))
        .and_then(|l| crate::proto::span::from_source_info(&l.span, text.as_ref()));
    match set.files.get(name) {
        Some(src) => d.at(src.file.clone(), span.or(Some(Span::file_start()))),
        None => d.at(FileRef::virtual_path(name), span),
    }
}

/// Deepest bracket nesting `compile` accepts; real protos stay far below it.
pub const MAX_NESTING: usize = 100;

/// Where bracket nesting (`{ ( [ <`, outside strings and comments) first exceeds `MAX_NESTING`.
fn nesting_too_deep(text: &str) -> Option<Span> {
    let bytes = text.as_bytes();
    let (mut depth, mut i) = (0usize, 0usize);
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 1;
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            b'{' | b'(' | b'[' | b'<' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(Span::from_byte_range(text, i, i + 1));
                }
            }
            b'}' | b')' | b']' | b'>' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

/// A front-end error (protox's or nova's own) as a diagnostic at its file:line:col.
fn frontend_diagnostic(set: &ProtoSet, name: &str, e: FrontendError) -> Diagnostic {
    match e {
        FrontendError::Protox(e) => error_diagnostic(set, &e, Some(name)),
        FrontendError::At { message, start, end } => {
            let d = Diagnostic::input_error("proto", COMPILE, message);
            match set.files.get(name) {
                Some(src) => d.at(src.file.clone(), Some(Span::from_byte_range(&src.text, start, end))),
                None => d.at(FileRef::virtual_path(name), None),
            }
        }
    }
}

/// Where protoc reports an option error that protox puts at the option (or its list): a value of
/// the wrong type at the value, an unknown option at its name. `None`: leave protox's place.
pub(super) fn option_error_range(text: &str, at: usize, message: &str) -> Option<(usize, usize)> {
    use frontend::Tok;
    if message.contains("a map field key type must be") {
        // protoc: at the field, i.e. its `map` keyword.
        let start = text[..at.min(text.len())].rfind("map")?;
        return Some((start, start + 3));
    }
    if message.contains("a oneof must have at least one field") {
        // protoc reads `oneof o { }` as a parse error at the `}`.
        let close = at + text.get(at..)?.find('}')?;
        return Some((close, close + 1));
    }
    let wrong_value = message.contains("but found '");
    let unknown = message.contains("is not defined") && message.starts_with("option ");
    if !(wrong_value || unknown) || at >= text.len() {
        return None;
    }
    let mut toks = frontend::tokens(&text[at..]).map(|(k, s, e)| (k, s + at, e + at));
    let first = toks.next()?;
    if unknown {
        // At the list's `[`: the option's name is the next token.
        return if first.0 == Tok::Punct(b'[') { toks.next().map(|t| (t.1, t.2)) } else { None };
    }
    let mut t = first;
    loop {
        match t.0 {
            Tok::Punct(b'=') => break,
            Tok::Punct(b';' | b']' | b'{' | b'}') => return None,
            _ => t = toks.next()?,
        }
    }
    let value = toks.next()?;
    match value.0 {
        Tok::Punct(b'-') => toks.next().map(|n| (value.1, n.2)),
        _ => Some((value.1, value.2)),
    }
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
    let at_eof = message.contains("reached end of file");
    let mut d = Diagnostic::input_error("proto", COMPILE, message.clone());
    if let Some(src) = src {
        // A duplicate (name, field or enum number) carries the first definition's label, then
        // the second's; protoc reports the second.
        let duplicate =
            ["is defined twice", "is already used", "has already been used"].iter().any(|m| message.contains(m));
        let label = e.labels().and_then(|labels| if duplicate { labels.last() } else { labels.into_iter().next() });
        let span = label.map(|l| {
            let (start, end) =
                option_error_range(&src.text, l.offset(), &message).unwrap_or((l.offset(), l.offset() + l.len()));
            let idx = LineIndex::new(&src.text);
            let (line, column) = idx.line_col(&src.text, start);
            let (end_line, end_column) = idx.line_col(&src.text, end);
            Span::new(line, column, end_line, end_column)
        });
        // protox gives "reached end of file" no span; the end of the file is where it happened.
        let eof = || at_eof.then(|| Span::from_byte_range(&src.text, src.text.len(), src.text.len()));
        // An import cycle has no span either; protoc reports it at the import that closes it.
        let cycle = || {
            let next = message.strip_prefix("import cycle detected: ")?.split(" -> ").nth(1)?;
            let quoted = format!("\"{}\"", next.trim());
            let at = src.text.find(&quoted)?;
            let start = src.text[..at].rfind("import")?;
            Some(Span::from_byte_range(&src.text, start, at + quoted.len()))
        };
        d = d.at(src.file.clone(), span.or_else(eof).or_else(cycle).or(Some(Span::file_start())));
    } else if let Some(n) = name {
        d = d.at(FileRef::virtual_path(n), None);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names, displayed paths and unreadable files of a set, to compare two ways of reading it.
    fn shape(set: &ProtoSet) -> Vec<String> {
        let mut v: Vec<String> = set.files.values().map(|s| format!("{} {}", s.name, s.file.path)).collect();
        v.extend(set.unreadable.iter().map(|d| d.message.clone()));
        v
    }

    #[test]
    fn the_shared_walk_gives_the_same_set_as_a_walk_of_its_own() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path().canonicalize().unwrap();
        let files = [
            "reg/protos/a/v1/a.proto",
            "reg/protos/a/v1/b.proto",
            "reg/protos/z/readme.md",
            "reg/protos/.hidden/h.proto",
            "reg/protos/target/t.proto",
            "reg/other/o.proto",
            "svc/copy.proto",
        ];
        for f in files {
            crate::testutil::write(&root, f, "syntax = \"proto3\";\n");
        }
        let tree = crate::walk::Tree::scan(&root);
        let reg = root.join("reg");
        let cases: [Vec<PathBuf>; 3] =
            [vec![reg.join("protos")], vec![reg.clone()], vec![reg.join("protos"), reg.join("other")]];
        for roots in cases {
            let own = ProtoSet::from_disk(&reg, &roots).unwrap();
            let shared = ProtoSet::from_disk_in(&reg, &roots, Some(&tree)).unwrap();
            assert_eq!(shape(&shared), shape(&own), "{roots:?}");
            assert!(!own.files.is_empty());
        }
        assert!(
            !shape(&ProtoSet::from_disk(&reg, &[reg.join("protos")]).unwrap()).iter().any(|s| s.contains("hidden"))
        );
        // A root inside a skipped directory is walked by itself (the tree skipped it).
        let hidden = [reg.join("protos/.hidden")];
        let shared = ProtoSet::from_disk_in(&reg, &hidden, Some(&tree)).unwrap();
        assert_eq!(shape(&shared), ["h.proto protos/.hidden/h.proto"]);
        // A tree with a symbolic link is not used: this walk reads `.proto` links through.
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.join("svc/copy.proto"), reg.join("protos/link.proto")).unwrap();
            let tree = crate::walk::Tree::scan(&root);
            let roots = [reg.join("protos")];
            let shared = ProtoSet::from_disk_in(&reg, &roots, Some(&tree)).unwrap();
            assert!(shape(&shared).contains(&"link.proto protos/link.proto".to_string()));
            assert_eq!(shape(&shared), shape(&ProtoSet::from_disk(&reg, &roots).unwrap()));
        }
    }

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
    fn hostile_nesting_is_an_error_not_a_stack_overflow() {
        let deep = format!("syntax = \"proto3\";\n{}{}", "message M {\n".repeat(10_000), "}\n".repeat(10_000));
        let set = mem(&[
            ("deep.proto", &deep),
            ("ok.proto", "syntax = \"proto3\";\nmessage Y { map<string, int32> m = 1; }\n"),
        ]);
        let c = compile(&set);
        assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
        assert_eq!(c.errors[0].file.as_ref().unwrap().path, "deep.proto");
        assert_eq!(c.errors[0].span.unwrap().line, MAX_NESTING + 2);
        assert!(c.files.contains_key("ok.proto"));
    }

    #[test]
    fn truncated_file_is_reported_at_its_end() {
        let c = compile(&mem(&[("t.proto", "syntax = \"proto3\";\n\nmessage User {\n  string na")]));
        assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
        assert_eq!(c.errors[0].span.unwrap().line, 4, "{:?}", c.errors);
    }

    #[test]
    fn unresolved_import_is_reported_at_the_import() {
        let set = mem(&[("a.proto", "syntax = \"proto3\";\nimport \"missing.proto\";\n")]);
        let c = compile(&set);
        assert_eq!(c.errors.len(), 1, "{:?}", c.errors);
        assert_eq!(c.errors[0].span.unwrap().line, 2);
    }
}
