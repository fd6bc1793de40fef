//! `nova wiring check`: correlation-ID, interceptor and circuit-breaker wiring, per service.
//!
//! Pipeline: `discover` finds the services (binary targets) under the roots; the module tree of
//! every service is read level by level, each level's files analysed in parallel (`analyze`); then
//! each service's facts are joined (names one file uses and another defines), judged, and
//! summarised in the fleet matrix.
use crate::context::Ctx;
use crate::diagnostics::{Diagnostic, Edit, FileRef, Fix, Label, Report, Severity, Span};
use crate::error::NovaError;
use crate::rules::{RuleInfo, Selection, SelectionInput};
use analyze::{Column, Construction, FileFacts, Finding, KeyVerdict, Pending};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub mod analyze;
mod chain;
pub mod config;
pub mod discover;
mod grpc_client;
mod ignores;
#[cfg(test)]
mod limits_tests;
pub mod rules;

const CHECKER: &str = "wiring";

/// Arguments of `nova wiring check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct WiringArgs {
    /// Roots to search for Cargo workspaces (default: the current directory).
    pub roots: Vec<PathBuf>,
    /// Apply the safe fixes.
    #[arg(long)]
    pub fix: bool,
    /// Show the fixes as a unified diff instead of applying them.
    #[arg(long)]
    pub diff: bool,
}

pub fn rules() -> Vec<&'static RuleInfo> {
    let mut v = rules::all();
    v.push(&crate::suppress::UNUSED_IGNORE);
    v
}

/// One analysed file.
struct Entry {
    text: Arc<str>,
    facts: FileFacts,
}

/// Result of one pass over the roots.
struct Pass {
    report: Report,
    /// file -> (safe fixes) for `--fix` / `--diff`.
    fixes: BTreeMap<PathBuf, Vec<Edit>>,
    texts: HashMap<PathBuf, Arc<str>>,
}

pub fn run(ctx: &Ctx, args: &WiringArgs) -> Result<Report, NovaError> {
    let cfg = &ctx.config.config.wiring;
    let roots: Vec<PathBuf> = if args.roots.is_empty() && !cfg.roots.is_empty() {
        cfg.roots.iter().map(|r| ctx.config.resolve(r)).collect()
    } else if args.roots.is_empty() {
        vec![ctx.cwd.clone()]
    } else {
        args.roots.iter().map(|r| if r.is_absolute() { r.clone() } else { ctx.cwd.join(r) }).collect()
    };
    let report_root = match roots.as_slice() {
        [one] if one.is_dir() => one.clone(),
        _ => ctx.cwd.clone(),
    };
    let selection = Selection::new(
        &rules(),
        &SelectionInput { ignore: cfg.ignore.clone(), severity: cfg.severity.clone(), ..Default::default() },
    )
    .map_err(|e| ctx.config.locate_selection_error(&["wiring"], e))?;
    let pass = check(ctx, cfg, &roots, &report_root, &selection, ctx.tree.as_deref())?;
    if !(args.fix || args.diff) {
        return Ok(pass.report);
    }
    let mut diff_text = String::new();
    let mut changed = 0usize;
    let mut applied = 0usize;
    for (path, edits) in &pass.fixes {
        let Some(old) = pass.texts.get(path) else { continue };
        let new = apply_edits(old, edits);
        if new == **old {
            continue;
        }
        changed += 1;
        applied += edits.len();
        if args.diff {
            let rel = crate::diagnostics::rel_path(&report_root, path);
            let d = similar::TextDiff::from_lines(&**old, new.as_str());
            diff_text.push_str(
                &d.unified_diff().context_radius(3).header(&format!("a/{rel}"), &format!("b/{rel}")).to_string(),
            );
        } else {
            crate::fsutil::write_atomic(path, new.as_bytes())?;
        }
    }
    if args.diff {
        let mut report = pass.report;
        report.extras.insert("diff".into(), serde_json::Value::String(diff_text.clone()));
        report.human_sections.push(
            if diff_text.is_empty() {
                "No safe fixes to show.\n".to_string()
            } else {
                format!("{diff_text}{applied} safe fix(es) in {changed} file(s); run with --fix to apply them.\n")
            }
            .into(),
        );
        return Ok(report);
    }
    // Judge the fixed code again so the report tells the truth about what is left.
    let mut after = check(ctx, cfg, &roots, &report_root, &selection, ctx.tree.as_deref())?.report;
    after.extras.insert("fixed".into(), serde_json::json!({ "fixes": applied, "files": changed }));
    after.human_sections.push(format!("Applied {applied} safe fix(es) in {changed} file(s).\n").into());
    Ok(after)
}

fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut edits: Vec<&Edit> = edits.iter().collect();
    edits.sort_by_key(|e| (e.start, e.end));
    edits.dedup_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(text.len() + 64);
    let mut pos = 0;
    for e in edits {
        if e.start < pos || e.end > text.len() || !text.is_char_boundary(e.start) || !text.is_char_boundary(e.end) {
            continue; // overlapping or stale: skip rather than corrupt the file
        }
        out.push_str(&text[pos..e.start]);
        out.push_str(&e.replacement);
        pos = e.end;
    }
    out.push_str(&text[pos..]);
    out
}

/// Is this file a module root (its `mod x;` children live beside it)?
fn mod_dir(path: &Path, crate_roots: &BTreeSet<PathBuf>) -> PathBuf {
    let parent = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if crate_roots.contains(path) || matches!(name, "mod.rs" | "main.rs" | "lib.rs") {
        parent
    } else {
        parent.join(name.trim_end_matches(".rs"))
    }
}

/// Files above this are generated code, not service wiring; skipping them also bounds how deep
/// a syntax tree (and so the recursion over it) can get.
fn max_file_bytes() -> u64 {
    4 * 1024 * 1024
}

/// Bracket nesting beyond which a file is not parsed (the recursive-descent parser would need an
/// unbounded stack).
const MAX_NESTING: usize = 100_000;
/// Longest run of code between `;`, `{` and `}` that is parsed: a single expression this long
/// (`1+1+1...`, a 100k-call method chain) is a syntax tree as deep as it is long.
const MAX_STATEMENT_BYTES: usize = 256 * 1024;

/// Why a file is too complex to parse safely, if it is.
fn too_complex(text: &str) -> Option<String> {
    let (mut depth, mut run) = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth = depth.saturating_sub(1),
            b'{' => {
                depth += 1;
                run = 0;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                run = 0;
            }
            b';' => run = 0,
            _ => {}
        }
        run += 1;
        if depth > MAX_NESTING {
            return Some(format!("brackets nested more than {MAX_NESTING} deep"));
        }
        if run > MAX_STATEMENT_BYTES {
            return Some(format!("a statement longer than {} KB", MAX_STATEMENT_BYTES / 1024));
        }
    }
    None
}

/// Read and analyse one file; failures become diagnostics.
fn load_one(
    path: &Path,
    cfg: &config::WiringConfig,
    tokens: &[String],
    crate_roots: &BTreeSet<PathBuf>,
    root: &Path,
) -> (Option<Entry>, Option<Diagnostic>) {
    let file = FileRef::new(root, path);
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            let d = Diagnostic::input_error(CHECKER, "MISSING_MODULE", format!("cannot read module file: {e}"))
                .at(file, None)
                .with_help("a `mod` declaration points at a file that is missing or unreadable; it was skipped");
            return (None, Some(d));
        }
    };
    if meta.len() > max_file_bytes() {
        let d = Diagnostic::input_error(
            CHECKER,
            "FILE_TOO_LARGE",
            format!(
                "{:.1} MB file skipped (limit {} MB); generated code is not service wiring",
                meta.len() as f64 / 1048576.0,
                max_file_bytes() / 1048576
            ),
        )
        .at(file, Some(Span::file_start()));
        return (None, Some(d));
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let d = Diagnostic::input_error(CHECKER, "IO_ERROR", format!("cannot read: {e}")).at(file, None);
            return (None, Some(d));
        }
    };
    let text = match crate::fsutil::decode_utf8(path, bytes) {
        Ok(t) => t,
        Err(e) => {
            let span = e
                .location
                .as_ref()
                .and_then(|l| l.line.map(|ln| Span::new(ln, l.column.unwrap_or(1), ln, l.column.unwrap_or(1))));
            let d = Diagnostic::input_error(CHECKER, "NOT_UTF8", "file is not valid UTF-8; it was not checked")
                .at(file, span);
            return (None, Some(d));
        }
    };
    if let Some(why) = too_complex(&text) {
        let d = Diagnostic::input_error(CHECKER, "FILE_TOO_COMPLEX", format!("{why}; the file was skipped"))
            .at(file, Some(Span::file_start()));
        return (None, Some(d));
    }
    let dir = mod_dir(path, crate_roots);
    let facts = match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let f = analyze::analyze(&text, cfg, &dir, tokens);
        proc_macro2::extra::invalidate_current_thread_spans();
        f
    })) {
        Ok(f) => f,
        Err(_) => {
            let d = Diagnostic::input_error(
                CHECKER,
                "PARSE_ERROR",
                "internal error while analysing this file; it was skipped",
            )
            .at(file, Some(Span::file_start()));
            return (None, Some(d));
        }
    };
    let diag = facts.parse_error.as_ref().map(|(msg, span)| {
        Diagnostic::input_error(CHECKER, "PARSE_ERROR", format!("file does not parse: {msg}"))
            .at(file.clone(), Some(*span))
            .with_help("the rest of the service was still checked")
    });
    (Some(Entry { text: Arc::from(text), facts }), diag)
}

fn check(
    ctx: &Ctx,
    cfg: &config::WiringConfig,
    roots: &[PathBuf],
    report_root: &Path,
    selection: &Selection,
    tree: Option<&crate::walk::Tree>,
) -> Result<Pass, NovaError> {
    let mut report = Report::new();
    report.root = Some(report_root.to_path_buf());
    let disc = discover::discover(roots, report_root, tree);
    let nothing = disc.services.is_empty() && disc.manifests == 0;
    for mut d in disc.diagnostics {
        if nothing && matches!(d.rule.as_str(), "MISSING_PATH" | "CARGO_TOML_INVALID") {
            d.kind = crate::diagnostics::Kind::InputError;
        }
        report.push(d);
    }
    if nothing {
        if !report.has_input_errors() {
            let where_ = roots.iter().map(|r| r.display().to_string()).collect::<Vec<_>>().join(", ");
            report.push(
                Diagnostic::input_error(CHECKER, "NO_WORKSPACE", format!("no Cargo.toml found under {where_}"))
                    .with_help("pass the directory that holds the backend's Cargo workspaces"),
            );
        }
        return Ok(Pass { report, fixes: BTreeMap::new(), texts: HashMap::new() });
    }

    // Read every service's module tree, level by level, each level in parallel.
    let tokens = analyze::trigger_tokens(cfg);
    let crate_roots: BTreeSet<PathBuf> = disc
        .services
        .iter()
        .flat_map(|s| std::iter::once(s.root_file.clone()).chain(s.lib.as_ref().map(|l| l.0.clone())))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        // Deeply nested (generated) code recurses deeply in the parser and in the visitors; the
        // stack is reserved, not committed, so a large one costs nothing until it is used.
        .stack_size(1 << 30)
        .build()
        .map_err(|e| NovaError::new(format!("cannot start worker threads: {e}")))?;
    let mut entries: HashMap<PathBuf, Entry> = HashMap::new();
    let mut seen: BTreeSet<PathBuf> = crate_roots.clone();
    let mut frontier: Vec<PathBuf> = crate_roots.iter().cloned().collect();
    let pb = ctx.progress(0, "wiring");
    let load = |paths: &[PathBuf]| -> HashMap<PathBuf, (Option<Entry>, Option<Diagnostic>)> {
        pool.install(|| {
            paths.par_iter().map(|p| (p.clone(), load_one(p, cfg, &tokens, &crate_roots, report_root))).collect()
        })
    };
    // Every `.rs` file below the crate roots' directories is read and analysed in one parallel
    // batch: waiting for each level of `mod` declarations before reading the next one left a core
    // idle at every level. Files no `mod` reaches are dropped unreported below; modules outside
    // those directories (`#[path]`) are read level by level as before.
    let mut prefetched = load(&module_candidates(&crate_roots, tree));
    while !frontier.is_empty() {
        pb.inc_length(frontier.len() as u64);
        let missing: Vec<PathBuf> = frontier.iter().filter(|p| !prefetched.contains_key(*p)).cloned().collect();
        prefetched.extend(load(&missing));
        let results: Vec<(PathBuf, Option<Entry>, Option<Diagnostic>)> =
            frontier.iter().filter_map(|p| prefetched.remove(p).map(|(e, d)| (p.clone(), e, d))).collect();
        pb.inc(results.len() as u64);
        let mut next = Vec::new();
        for (p, e, d) in results {
            if let Some(d) = d {
                report.push(d);
            }
            if let Some(e) = e {
                for m in &e.facts.mods {
                    if seen.insert(m.clone()) {
                        next.push(m.clone());
                    }
                }
                entries.insert(p, e);
            }
        }
        frontier = next;
    }
    pb.finish_and_clear();

    // Per service: its files, its facts, its matrix row.
    let mut rows = Vec::new();
    let mut emitted: BTreeMap<(String, String, Span, String), usize> = BTreeMap::new();
    let mut fixes: BTreeMap<PathBuf, Vec<Edit>> = BTreeMap::new();
    let mut checked: BTreeSet<PathBuf> = BTreeSet::new();
    let mut ignores = ignores::Ignores::default();
    let mut services = disc.services.clone();
    services.sort_by(|a, b| (&a.crate_name, &a.name, &a.root_file).cmp(&(&b.crate_name, &b.name, &b.root_file)));
    for svc in &services {
        let mut files = module_tree(&svc.root_file, &entries);
        if let Some((lib_root, lib_name)) = &svc.lib
            && lib_root != &svc.root_file
        {
            let needle = format!("{lib_name}::");
            if files.iter().any(|f| entries.get(f).is_some_and(|e| e.text.contains(&needle))) {
                for f in module_tree(lib_root, &entries) {
                    if !files.contains(&f) {
                        files.push(f);
                    }
                }
            }
        }
        let mut cons: Vec<Construction> = Vec::new();
        // The file of each construction (none for those resolved across files).
        let mut cons_file: Vec<Option<PathBuf>> = Vec::new();
        let mut findings: Vec<(PathBuf, Finding)> = Vec::new();
        for f in &files {
            let Some(e) = entries.get(f) else { continue };
            checked.insert(f.clone());
            cons.extend(e.facts.constructions.iter().copied());
            cons_file.resize(cons.len(), Some(f.clone()));
            findings.extend(e.facts.findings.iter().cloned().map(|x| (f.clone(), x)));
            for p in &e.facts.pending {
                resolve_pending(cfg, p, f, &files, &entries, &mut cons, &mut findings);
                cons_file.resize(cons.len(), None);
            }
        }
        // Findings a `nova:ignore` comment or a path ignore silenced: their constructions show as
        // `ignored` in the matrix, not `missing`.
        let mut silenced: BTreeSet<(PathBuf, usize, Column)> = BTreeSet::new();
        for (path, f) in findings {
            let rel = crate::diagnostics::rel_path(report_root, &path);
            let Some(sev) = selection.severity(f.rule) else { continue };
            let mut commented =
                || entries.get(&path).is_some_and(|e| ignores.suppresses(&path, &e.text, f.span.line, f.rule));
            if selection.is_ignored(f.rule, &rel) || commented() {
                if let Some(c) = column_of(f.rule) {
                    silenced.insert((path.clone(), f.span.line, c));
                }
                continue;
            }
            let key = (f.rule.to_string(), rel.clone(), f.span, f.message.clone());
            if let Some(&i) = emitted.get(&key) {
                // A file shared by several services (the crate's library) is reported once.
                let d: &mut Diagnostic = &mut report.diagnostics[i];
                if let Some(n) = d.notes.first_mut() {
                    n.push_str(&format!(", `{}`", svc.name));
                }
                continue;
            }
            emitted.insert(key, report.diagnostics.len());
            let file = FileRef::new(report_root, &path);
            let mut d = Diagnostic::new(CHECKER, f.rule, sev, f.message).at(file.clone(), Some(f.span));
            for l in f.labels {
                let lf = l.file.map(|p| FileRef::new(report_root, &p)).unwrap_or_else(|| file.clone());
                d.labels.push(Label { file: Some(lf), span: Some(l.span), message: l.message });
            }
            d.help = f.help;
            d.notes.push(format!("crate `{}`, service(s) `{}`", svc.crate_name, svc.name));
            if let Some(fx) = f.fix {
                let edit = Edit { file: file.clone(), start: fx.at, end: fx.at, replacement: fx.text };
                if fx.safe {
                    fixes.entry(path.clone()).or_default().push(edit.clone());
                }
                d.fix = Some(Fix { description: fx.description, safe: fx.safe, edits: vec![edit] });
            }
            report.push(d);
        }
        let ignored: Vec<bool> = cons
            .iter()
            .zip(&cons_file)
            .map(|(c, p)| !c.ok && p.as_ref().is_some_and(|p| silenced.contains(&(p.clone(), c.span.line, c.column))))
            .collect();
        rows.push(MatrixRow::new(svc, report_root, &cons, &ignored));
    }
    if disc.services.is_empty() {
        report.push(
            Diagnostic::new(
                CHECKER,
                "NO_SERVICES",
                Severity::Info,
                "no binary targets found: nothing is a service here",
            )
            .with_help("services are `src/main.rs`, `src/bin/*` and `[[bin]]` targets"),
        );
    }
    let analysed: BTreeMap<PathBuf, &str> =
        checked.iter().filter_map(|p| entries.get(p).map(|e| (p.clone(), &*e.text))).collect();
    for d in ignores.unused(&analysed, selection, report_root) {
        report.push(d);
    }
    report.files_checked = checked.len();
    let mut texts = HashMap::new();
    let reported: BTreeSet<PathBuf> =
        report.diagnostics.iter().filter_map(|d| d.file.as_ref().and_then(|f| f.abs.clone())).collect();
    for (p, e) in entries {
        if reported.contains(&p) {
            report.sources.insert(p.clone(), e.text.clone());
        }
        if fixes.contains_key(&p) {
            texts.insert(p, e.text);
        }
    }
    report.extras.insert("matrix".into(), serde_json::Value::Array(rows.iter().map(MatrixRow::json).collect()));
    report.human_sections.push(matrix_table(&rows).into());
    Ok(Pass { report, fixes, texts })
}

/// The matrix column a rule's findings are about.
fn column_of(rule: &str) -> Option<Column> {
    match rule {
        "HTTP_CORRELATION_MIDDLEWARE" => Some(Column::Http),
        "GRPC_SERVER_INTERCEPTOR" => Some(Column::GrpcServer),
        "GRPC_CLIENT_INTERCEPTOR" => Some(Column::GrpcClients),
        "KAFKA_CORRELATION_HEADER" | "KAFKA_HEADER_KEY_MISMATCH" | "KAFKA_FRESH_CORRELATION_ID" => Some(Column::Kafka),
        _ => None,
    }
}

/// The `.rs` files below the directories of the crate roots (`src/`), outside the directories
/// every walk skips: the modules a service most likely declares. Taken from the walk `nova check`
/// shares when it covers the directory (it skips the same directories and lists no links), else
/// walked here.
fn module_candidates(crate_roots: &BTreeSet<PathBuf>, tree: Option<&crate::walk::Tree>) -> Vec<PathBuf> {
    let dirs: BTreeSet<&Path> = crate_roots.iter().filter_map(|r| r.parent()).collect();
    let mut out: BTreeSet<PathBuf> = crate_roots.clone();
    let is_rs = |p: &Path| p.extension().is_some_and(|x| x == "rs");
    for d in dirs {
        if let Some(files) = tree.and_then(|t| t.files_under(d)) {
            out.extend(files.into_iter().map(|(p, _)| p).filter(|p| is_rs(p)));
            continue;
        }
        let walk = walkdir::WalkDir::new(d).follow_links(false).into_iter().filter_entry(|e| {
            e.depth() == 0 || !(e.file_type().is_dir() && crate::walk::skipped_dir(&e.file_name().to_string_lossy()))
        });
        for e in walk.flatten() {
            if e.file_type().is_file() && is_rs(e.path()) {
                out.insert(e.into_path());
            }
        }
    }
    out.into_iter().collect()
}

/// Files reachable from a crate root through `mod` declarations.
fn module_tree(root: &Path, entries: &HashMap<PathBuf, Entry>) -> Vec<PathBuf> {
    let mut out = vec![root.to_path_buf()];
    let mut seen: BTreeSet<PathBuf> = out.iter().cloned().collect();
    let mut i = 0;
    while i < out.len() {
        if let Some(e) = entries.get(&out[i]) {
            for m in &e.facts.mods {
                if seen.insert(m.clone()) {
                    out.push(m.clone());
                }
            }
        }
        i += 1;
    }
    out
}

/// Resolve a name one file uses and another file of the same service defines.
fn resolve_pending(
    cfg: &config::WiringConfig,
    p: &Pending,
    from: &Path,
    files: &[PathBuf],
    entries: &HashMap<PathBuf, Entry>,
    cons: &mut Vec<Construction>,
    findings: &mut Vec<(PathBuf, Finding)>,
) {
    match p {
        Pending::App { name, server, served_by } => {
            // Through helpers in other files (`app::make` returning `routes::build()`), each once.
            let find = |name: &str| {
                files.iter().find_map(|f| {
                    let e = entries.get(f)?;
                    e.facts
                        .app_fns
                        .get(&(*served_by, name.to_string()))
                        .map(|a| (f, Ok(a)))
                        .or_else(|| e.facts.app_forwards.get(&(*served_by, name.to_string())).map(|x| (f, Err(x))))
                })
            };
            let (mut name, mut wrapped, mut seen) = (name.as_str(), false, BTreeSet::new());
            let mut cycle = false;
            let hit = loop {
                match find(name) {
                    Some((f, Ok(a))) => break Some((f, a)),
                    Some((_, Err((next, w)))) if seen.insert(name) => (name, wrapped) = (next.as_str(), wrapped || *w),
                    found => {
                        cycle = found.is_some();
                        break None;
                    }
                }
            };
            if cycle && !wrapped {
                findings.push((from.to_path_buf(), analyze::not_analysed_app(*server, name, served_by)));
            } else if wrapped {
                cons.push(Construction { column: Column::Http, span: *server, ok: true });
            } else if let Some((f, a)) = hit {
                let label_file = (f.as_path() != from).then(|| from.to_path_buf());
                settle_app(cfg, a, (f.as_path(), label_file), *server, served_by, files, entries, cons, findings);
            }
        }
        Pending::Configured { app, server, served_by } => {
            settle_app(cfg, app, (from, None), *server, served_by, files, entries, cons, findings);
        }
        Pending::Interceptor { name, at, column, what } => {
            let hit = files
                .iter()
                .filter(|f| f.as_path() != from)
                .find_map(|f| entries.get(f).and_then(|e| e.facts.key_fns.get(name)).map(|v| (f, v)));
            let (file, verdict) = match hit {
                Some((f, v @ KeyVerdict::NoKey { elsewhere, .. })) => {
                    match helpers_verdict(elsewhere, files, entries) {
                        Some((f2, v2)) => (Some(f2), v2),
                        None => (Some(f.clone()), v.clone()),
                    }
                }
                Some((f, v)) => (Some(f.clone()), v.clone()),
                None => (None, KeyVerdict::Unknown),
            };
            let rule = match column {
                Column::GrpcClients => rules::grpc_client_interceptor::RULE.id,
                _ => rules::grpc_server_interceptor::RULE.id,
            };
            let f = analyze::interceptor_finding(cfg, &verdict, file, *at, what, rule);
            cons.push(Construction { column: *column, span: *at, ok: f.is_none() });
            if let Some(f) = f {
                findings.push((from.to_path_buf(), f));
            }
        }
        Pending::Helpers { elsewhere, span, at, column, what, rule, labels } => {
            let (file, verdict) = helpers_verdict(elsewhere, files, entries)
                .map(|(f, v)| (Some(f), v))
                .unwrap_or((None, KeyVerdict::NoKey { span: *span, elsewhere: Vec::new() }));
            let f = analyze::interceptor_finding(cfg, &verdict, file, *at, what, rule);
            cons.push(Construction { column: *column, span: *at, ok: f.is_none() });
            if let Some(mut f) = f {
                f.labels.extend(labels.iter().cloned());
                findings.push((from.to_path_buf(), f));
            }
        }
    }
}

/// The verdict on an App found in `at.0` (served from `at.1`, when that is another file): wrapped,
/// or covered by scopes once the `configure` functions of other files are read.
#[allow(clippy::too_many_arguments)]
fn settle_app(
    cfg: &config::WiringConfig,
    a: &analyze::AppEval,
    at: (&Path, Option<PathBuf>),
    server: Span,
    served_by: &str,
    files: &[PathBuf],
    entries: &HashMap<PathBuf, Entry>,
    cons: &mut Vec<Construction>,
    findings: &mut Vec<(PathBuf, Finding)>,
) {
    let ok = a.wrapped || (!a.configs.is_empty() && configs_covered(&a.configs, files, entries));
    cons.push(Construction { column: Column::Http, span: a.span, ok });
    if !ok {
        let (file, label_file) = at;
        findings.push((file.to_path_buf(), analyze::app_finding(cfg, a, label_file, server, served_by, Column::Http)));
    }
}

/// Whether every route the actix `configure` functions `paths` register (following the ones
/// they configure in turn, each once) is inside a scope that wraps the correlation middleware.
/// `routes::config` is looked up in the files of module `routes` (`routes.rs`, `routes/mod.rs`)
/// first; a bare name, or a module no file matches, in every file that defines a configure
/// function of that name, and then each of them must be covered. A function no file of the
/// service defines cannot be shown to be covered.
fn configs_covered(paths: &[String], files: &[PathBuf], entries: &HashMap<PathBuf, Entry>) -> bool {
    let mut queue: Vec<&String> = paths.iter().collect();
    let mut seen = BTreeSet::new();
    while let Some(path) = queue.pop() {
        if !seen.insert(path) {
            continue;
        }
        let mut segs: Vec<&str> = path.split("::").collect();
        let name = segs.pop().unwrap_or_default();
        let module = segs.last().filter(|m| !matches!(**m, "crate" | "self" | "super" | "Self"));
        let defined: Vec<(&PathBuf, &analyze::ScopeCover)> =
            files.iter().filter_map(|f| entries.get(f)?.facts.config_fns.get(name).map(|c| (f, c))).collect();
        let in_module = |f: &Path| {
            let stem = f.file_stem().and_then(|s| s.to_str());
            let dir = f.parent().and_then(|d| d.file_name()).and_then(|d| d.to_str());
            module.is_some_and(|m| stem == Some(*m) || (stem == Some("mod") && dir == Some(*m)))
        };
        let chosen: Vec<&analyze::ScopeCover> = match defined.iter().find(|(f, _)| in_module(f)) {
            Some((_, c)) => vec![*c],
            None => defined.iter().map(|(_, c)| *c).collect(),
        };
        if chosen.is_empty() || chosen.iter().any(|c| c.uncovered) {
            return false;
        }
        queue.extend(chosen.iter().flat_map(|c| c.elsewhere.iter()));
    }
    true
}

/// What helper functions defined in other files of the service do with the key, following what
/// they call in turn (each function once): the first that handles it, else the first that uses
/// another correlation key, with its file. `None`: none of them touches a key, or none is defined
/// in the service (a function from another crate): the caller's own verdict stands.
fn helpers_verdict(
    names: &[String],
    files: &[PathBuf],
    entries: &HashMap<PathBuf, Entry>,
) -> Option<(PathBuf, KeyVerdict)> {
    let mut queue: std::collections::VecDeque<&String> = names.iter().collect();
    let mut seen = BTreeSet::new();
    let mut mismatch = None;
    while let Some(name) = queue.pop_front() {
        if !seen.insert(name) {
            continue;
        }
        let Some((f, v)) = files.iter().find_map(|f| entries.get(f)?.facts.key_fns.get(name).map(|v| (f, v))) else {
            continue;
        };
        match v {
            KeyVerdict::Ok => return Some((f.clone(), KeyVerdict::Ok)),
            KeyVerdict::Mismatch { .. } => {
                mismatch.get_or_insert_with(|| (f.clone(), v.clone()));
            }
            KeyVerdict::NoKey { elsewhere, .. } => queue.extend(elsewhere.iter()),
            KeyVerdict::Unknown => {}
        }
    }
    mismatch
}

struct MatrixRow {
    service: String,
    crate_name: String,
    binary: String,
    cells: [String; 4],
}

impl MatrixRow {
    /// `ignored[i]`: construction `i` is missing its wiring but its finding was suppressed.
    fn new(svc: &discover::Service, root: &Path, cons: &[Construction], ignored: &[bool]) -> Self {
        let cell = |c: Column| {
            let mut seen = BTreeSet::new();
            let (mut total, mut bad, mut silenced) = (0, 0, 0);
            for (x, &ign) in cons.iter().zip(ignored).filter(|(x, _)| x.column == c) {
                if seen.insert((x.span, x.ok)) {
                    total += 1;
                    match (x.ok, ign) {
                        (true, _) => {}
                        (false, true) => silenced += 1,
                        (false, false) => bad += 1,
                    }
                }
            }
            match (total, bad, silenced) {
                (0, _, _) => "n/a".to_string(),
                (_, 0, 0) => "ok".to_string(),
                (_, 0, n) => format!("ignored ({n})"),
                (_, b, _) => format!("missing ({b})"),
            }
        };
        MatrixRow {
            service: svc.name.clone(),
            crate_name: svc.crate_name.clone(),
            binary: crate::diagnostics::rel_path(root, &svc.root_file),
            cells: [cell(Column::Http), cell(Column::GrpcServer), cell(Column::GrpcClients), cell(Column::Kafka)],
        }
    }
    fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "service": self.service,
            "crate": self.crate_name,
            "binary": self.binary,
            "http": self.cells[0],
            "grpc_server": self.cells[1],
            "grpc_clients": self.cells[2],
            "kafka": self.cells[3],
        })
    }
}

fn matrix_table(rows: &[MatrixRow]) -> String {
    let header = ["service", "crate", "HTTP", "gRPC server", "gRPC clients", "Kafka"];
    let table: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.service.clone(),
                r.crate_name.clone(),
                r.cells[0].clone(),
                r.cells[1].clone(),
                r.cells[2].clone(),
                r.cells[3].clone(),
            ]
        })
        .collect();
    let mut w = header.map(str::len);
    for r in &table {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let line = |cells: [&str; 6]| {
        let mut s = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                s.push_str(c);
            } else {
                s.push_str(&format!("{c:<width$}  ", width = w[i]));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = format!("\nWiring matrix ({} service(s))\n", rows.len());
    out.push_str(&line(header));
    for r in &table {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4], &r[5]]));
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_skip_overlaps() {
        let f = FileRef::virtual_path("x.rs");
        let e = |s, r: &str| Edit { file: f.clone(), start: s, end: s, replacement: r.into() };
        assert_eq!(apply_edits("abcd", &[e(4, "!"), e(1, "-")]), "a-bcd!");
        assert_eq!(apply_edits("abcd", &[e(9, "!")]), "abcd");
    }
}
