//! `nova proto lint`: buf's 45 lint rules under buf's IDs and categories, plus nova's own rules,
//! over every `.proto` below the given roots.
//!
//! Flow: find the input roots -> module layout (nova.toml `[proto] roots`, else buf.yaml, else
//! `protos/`, else the root) -> load and compile every file once (parallel parse, one link) ->
//! per module: selection + options -> run the enabled rules (in parallel) -> comment ignores,
//! path ignores, severities -> diagnostics at the element's name span.
use crate::context::Ctx;
use crate::diagnostics::{Diagnostic, Report, Severity, Span};
use crate::error::NovaError;
use crate::proto::bufconfig::{self, BufLint};
use crate::proto::config::LintConfig;
use crate::proto::loader::{self, ProtoSet};
use crate::rules::{RuleInfo, Selection, SelectionInput};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub mod ctx;
pub mod naming;
pub mod rules;
mod suppress;

use ctx::{Cx, LintFile, LintOptions, Out};

/// Arguments of `nova proto lint`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct LintArgs {
    /// Roots to lint (default: the registry from nova.toml, else the current directory).
    pub paths: Vec<PathBuf>,
    /// Rule IDs or categories to use instead of the configured set (comma-separated or repeated).
    #[arg(long = "use", value_delimiter = ',')]
    pub use_: Vec<String>,
    /// Rule IDs or categories to leave out (comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    pub except: Vec<String>,
}

pub fn rules() -> Vec<&'static RuleInfo> {
    let mut v = rules::ALL.to_vec();
    v.push(&suppress::UNUSED_IGNORE);
    v
}

/// Directory name that holds the import root inside a registry (`nova-protos/protos/...`).
const PROTOS_DIR: &str = "protos";
/// Default registry directory when nova.toml names none.
const DEFAULT_REGISTRY: &str = "nova-protos";

pub fn run(ctx: &Ctx, args: &LintArgs) -> Result<Report, NovaError> {
    let roots = input_roots(ctx, args)?;
    let mut report = Report::new();
    let last = roots.len().saturating_sub(1);
    for (i, root) in roots.iter().enumerate() {
        report.extend(lint_root_inner(ctx, args, root, false, None, i == last)?.0);
    }
    Ok(report)
}

fn input_roots(ctx: &Ctx, args: &LintArgs) -> Result<Vec<PathBuf>, NovaError> {
    if !args.paths.is_empty() {
        let mut out = Vec::new();
        for p in &args.paths {
            let abs = if p.is_absolute() { p.clone() } else { ctx.cwd.join(p) };
            if !abs.exists() {
                return Err(NovaError::new(format!("{} does not exist", p.display()))
                    .at(p, None, None)
                    .with_help("pass a directory of .proto files or a .proto file"));
            }
            out.push(abs);
        }
        return Ok(out);
    }
    if let Some(reg) = &ctx.config.config.proto.registry {
        let abs = ctx.config.resolve(reg);
        if !abs.is_dir() {
            let at = ctx.config.path.clone().unwrap_or_else(|| abs.clone());
            return Err(NovaError::new(format!("the proto registry {} does not exist", abs.display()))
                .at(at, None, None)
                .with_help("fix `[proto] registry` in nova.toml or pass the directory to lint"));
        }
        return Ok(vec![abs]);
    }
    let reg = ctx.cwd.join(DEFAULT_REGISTRY);
    Ok(vec![if reg.is_dir() { reg } else { ctx.cwd.clone() }])
}

/// Everything that decides how one module is linted.
struct Settings {
    input: SelectionInput,
    opts: LintOptions,
    comment_ignores: bool,
}

/// One module: an import root below the input root.
struct Module {
    /// Directory relative to the input root, `/`-separated; `""` for the root itself.
    dir: String,
    /// Excluded paths relative to the input root.
    excludes: Vec<String>,
    settings: Settings,
    /// The file the settings came from (nova.toml or buf.yaml), for error locations.
    source: Option<PathBuf>,
}

fn cli_override(input: &mut SelectionInput, args: &LintArgs) {
    if !args.use_.is_empty() {
        input.use_ = args.use_.clone();
    }
    if !args.except.is_empty() {
        input.except = args.except.clone();
    }
}

fn nova_settings(lc: &LintConfig, args: &LintArgs, config_path: Option<&Path>) -> Result<Settings, NovaError> {
    let mut input = SelectionInput {
        use_: lc.use_.clone(),
        except: lc.except.clone(),
        ignore: lc.ignore.clone(),
        ignore_only: lc.ignore_only.clone(),
        severity: lc.severity.clone(),
        ..Default::default()
    };
    cli_override(&mut input, args);
    let mut field_ranges = Vec::new();
    for (name, lo, hi) in lc.field_ranges.ranges() {
        if lo < 1 || hi < lo || hi > 536_870_911 {
            let mut e = NovaError::new(format!(
                "invalid [proto.lint] field_ranges entry {lo}-{hi}: ranges are inclusive, 1 <= low <= high <= 536870911"
            ));
            if let Some(p) = config_path {
                e = e.at(p, None, None);
            }
            return Err(e);
        }
        let name = if name.is_empty() { format!("{lo}-{hi}") } else { name };
        field_ranges.push((name, lo as i32, hi as i32));
    }
    // Configuring ranges is asking for the rule, unless it is explicitly turned away.
    let range_id = rules::nova_field_number_range::RULE.id;
    if !field_ranges.is_empty()
        && !input.severity.contains_key(range_id)
        && !input.except.iter().any(|e| e.eq_ignore_ascii_case(range_id) || e.eq_ignore_ascii_case("NOVA"))
    {
        input.severity.insert(range_id.to_string(), crate::diagnostics::Level::Error);
    }
    let defaults = LintOptions::default();
    Ok(Settings {
        input,
        opts: LintOptions {
            enum_zero_value_suffix: lc.enum_zero_value_suffix.clone().unwrap_or(defaults.enum_zero_value_suffix),
            rpc_allow_same_request_response: lc.rpc_allow_same_request_response,
            rpc_allow_google_protobuf_empty_requests: lc.rpc_allow_google_protobuf_empty_requests,
            rpc_allow_google_protobuf_empty_responses: lc.rpc_allow_google_protobuf_empty_responses,
            service_suffix: lc.service_suffix.clone().unwrap_or(defaults.service_suffix),
            field_ranges,
        },
        comment_ignores: !lc.disallow_comment_ignores,
    })
}

fn buf_settings(bl: &BufLint, args: &LintArgs, module_dir: &str) -> Settings {
    // buf's ignore paths are relative to the buf.yaml directory (v2) or the module (v1); nova
    // matches both the input-root-relative path and the module-relative name, so either works.
    let _ = module_dir;
    let mut input = bl.selection_input(&rules());
    cli_override(&mut input, args);
    let defaults = LintOptions::default();
    Settings {
        input,
        opts: LintOptions {
            enum_zero_value_suffix: bl.enum_zero_value_suffix.clone().unwrap_or(defaults.enum_zero_value_suffix),
            rpc_allow_same_request_response: bl.rpc_allow_same_request_response,
            rpc_allow_google_protobuf_empty_requests: bl.rpc_allow_google_protobuf_empty_requests,
            rpc_allow_google_protobuf_empty_responses: bl.rpc_allow_google_protobuf_empty_responses,
            service_suffix: bl.service_suffix.clone().unwrap_or(defaults.service_suffix),
            field_ranges: Vec::new(),
        },
        comment_ignores: bl.comment_ignores,
    }
}

fn modules_for(ctx: &Ctx, args: &LintArgs, root: &Path) -> Result<Vec<Module>, NovaError> {
    // A registry carries its own nova.toml; when the configuration in effect says nothing about
    // linting, the registry's own [proto.lint] applies to it (as its buf.yaml would).
    let own = root.join(crate::config::FILE_NAME);
    let registry_cfg = if !ctx.config.has_section("proto.lint")
        && own.is_file()
        && ctx.config.path.as_deref().is_none_or(|p| p != own.as_path())
    {
        Some(crate::config::load_file(&own)?).filter(|c| c.has_section("proto.lint"))
    } else {
        None
    };
    let cfg = registry_cfg.as_ref().unwrap_or(&ctx.config);
    let nova_lint = cfg.has_section("proto.lint");
    let buf = bufconfig::load(root)?;
    let make_nova = || nova_settings(&cfg.config.proto.lint, args, cfg.path.as_deref());
    let rel = |p: &Path| p.to_string_lossy().replace('\\', "/").trim_matches('/').to_string();
    // `[proto] roots` describe the registry; another input root without them is laid out on its own.
    let roots_here = !cfg.config.proto.roots.is_empty() && cfg.config.proto.roots.iter().all(|r| root.join(r).is_dir());
    if roots_here && buf.is_none() {
        let mut out = Vec::new();
        for r in &cfg.config.proto.roots {
            let dir = rel(r);
            let dir = if dir == "." { String::new() } else { dir };
            out.push(Module { dir, excludes: vec![], settings: make_nova()?, source: cfg.path.clone() });
        }
        return Ok(out);
    }
    if let Some(buf) = buf {
        let mut out = Vec::new();
        for m in &buf.modules {
            let dir = if m.path == "." { String::new() } else { m.path.clone() };
            let settings = if nova_lint { make_nova()? } else { buf_settings(&buf.module_lint(m), args, &dir) };
            let source = if nova_lint { cfg.path.clone() } else { Some(buf.path.clone()) };
            out.push(Module { dir, excludes: m.excludes.clone(), settings, source });
        }
        return Ok(out);
    }
    let dir = if root.join(PROTOS_DIR).is_dir() { PROTOS_DIR.to_string() } else { String::new() };
    let settings = if nova_lint {
        make_nova()?
    } else {
        // No [proto.lint]: buf's defaults (STANDARD), plus whatever nova.toml's [proto] says.
        make_nova()?
    };
    Ok(vec![Module { dir, excludes: vec![], settings, source: cfg.path.clone() }])
}

/// The buf workspace `dir` is a module of: the nearest ancestor with a buf.yaml one of whose
/// modules is `dir` or contains it. `None` when `dir` has a buf.yaml of its own or no such
/// workspace exists.
fn workspace_of_module_dir(dir: &Path) -> Result<Option<PathBuf>, NovaError> {
    if dir.join(bufconfig::FILE_NAME).is_file() {
        return Ok(None);
    }
    let dir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    for ws in dir.ancestors().skip(1) {
        if !ws.join(bufconfig::FILE_NAME).is_file() {
            continue;
        }
        let Some(buf) = bufconfig::load(ws)? else { return Ok(None) };
        let inside = buf.modules.iter().any(|m| m.path != "." && dir.starts_with(ws.join(&m.path)));
        return Ok(inside.then(|| ws.to_path_buf()));
    }
    Ok(None)
}

/// The directory a single file is linted from: the nearest ancestor (up to the working directory)
/// that holds a buf.yaml or a `protos/` directory containing the file, else the working directory
/// when the file is below it, else the file's directory.
fn module_base_for_file(ctx: &Ctx, file: &Path) -> PathBuf {
    for dir in file.ancestors().skip(1) {
        if dir.join(bufconfig::FILE_NAME).is_file()
            || (dir.join(PROTOS_DIR).is_dir() && file.starts_with(dir.join(PROTOS_DIR)))
        {
            return dir.to_path_buf();
        }
        if dir == ctx.cwd {
            return dir.to_path_buf();
        }
    }
    file.parent().map(Path::to_path_buf).unwrap_or_else(|| ctx.cwd.clone())
}

fn under(path: &str, dir: &str) -> bool {
    crate::rules::path_under(path, dir)
}

/// A linted registry, kept for `nova proto check` so it compiles the registry once: its files
/// (paths relative to the registry), their compilation with source info, and the import roots.
pub struct Linted {
    pub set: ProtoSet,
    pub compiled: loader::Compiled,
    pub import_roots: Vec<PathBuf>,
    /// The set is exactly what a plain walk of `import_roots` gives: no module excludes and no
    /// empty file taken out (another checker may then use it as that walk's compilation).
    pub whole: bool,
}

/// Lint one directory (the registry) like `nova proto lint DIR` and keep what was compiled.
/// `tree`: the walk `nova check` shared, when there is one.
pub fn lint_dir_keep(ctx: &Ctx, dir: &Path, tree: Option<&crate::walk::Tree>) -> Result<(Report, Linted), NovaError> {
    let args = LintArgs { paths: vec![dir.to_path_buf()], ..Default::default() };
    let (report, linted) = lint_root_inner(ctx, &args, dir, true, tree, false)?;
    match linted {
        Some(l) => Ok((report, l)),
        None => {
            Err(NovaError::new(format!("{} is not a directory of .proto files", dir.display())).at(dir, None, None))
        }
    }
}

/// `keep`: return the compilation instead of freeing it. `tree`: the walk `nova check` shared.
/// `last`: nothing runs after this root but rendering (the process may leave freeing to its exit).
fn lint_root_inner(
    ctx: &Ctx,
    args: &LintArgs,
    root: &Path,
    keep: bool,
    tree: Option<&crate::walk::Tree>,
    last: bool,
) -> Result<(Report, Option<Linted>), NovaError> {
    // A single file is linted as part of its module (imports and package-wide rules need the
    // module), but only its own findings are reported, like `buf lint --path`. So is a module
    // directory of a buf workspace (`nova proto lint proto` beside a buf.yaml that lists
    // `proto`): with the workspace's settings for that module, as `buf lint proto` does.
    let workspace = if root.is_dir() && !keep { workspace_of_module_dir(root)? } else { None };
    let only: Option<PathBuf> = (root.is_file() || workspace.is_some()).then(|| root.to_path_buf());
    let base = match (&only, workspace) {
        (_, Some(ws)) => ws,
        (Some(file), None) => module_base_for_file(ctx, file),
        (None, None) => root.to_path_buf(),
    };
    let root = base.as_path();
    let (root_dir, modules, set, import_roots) = {
        let modules = modules_for(ctx, args, root)?;
        let import_roots: Vec<PathBuf> =
            modules.iter().map(|m| if m.dir.is_empty() { root.to_path_buf() } else { root.join(&m.dir) }).collect();
        for (m, ir) in modules.iter().zip(&import_roots) {
            if !ir.is_dir() {
                return Err(NovaError::new(format!("module directory {} does not exist", ir.display()))
                    .at(root.join(bufconfig::FILE_NAME), None, None)
                    .with_help(format!("module `{}` is configured but missing", m.dir)));
            }
        }
        let mut set = ProtoSet::from_disk_in(root, &import_roots, tree)?;
        let excludes: Vec<&String> = modules.iter().flat_map(|m| m.excludes.iter()).collect();
        if !excludes.is_empty() {
            set.files.retain(|_, s| !excludes.iter().any(|e| under(&s.file.path, e)));
        }
        (root.to_path_buf(), modules, set, import_roots)
    };
    let mut whole = modules.iter().all(|m| m.excludes.is_empty());
    // Validate every module's selection before doing any work (unknown IDs are exit 2).
    let selections: Vec<Selection> = modules
        .iter()
        .map(|m| {
            Selection::new(&rules(), &m.settings.input).map_err(|e| match (&e.location, &m.source) {
                (None, Some(src)) if args.use_.is_empty() && args.except.is_empty() => {
                    bufconfig::locate_selection_error(src, e)
                }
                _ => e,
            })
        })
        .collect::<Result<_, _>>()?;

    let mut report = Report::new();
    report.root = Some(root_dir.clone());
    if set.files.is_empty() && set.unreadable.is_empty() {
        return Err(NovaError::new(format!("no .proto files under {}", root.display()))
            .at(root, None, None)
            .with_help("pass a directory that contains .proto files"));
    }
    let mut set = set;
    report.files_checked = match &only {
        Some(o) => set.files.values().filter(|s| s.file.abs.as_deref().is_some_and(|a| a.starts_with(o))).count(),
        None => set.files.len() + set.unreadable.len(),
    };
    // An empty file is almost always a mistake (a truncated write, a wrong path): say so.
    let empty: Vec<String> =
        set.files.iter().filter(|(_, s)| s.text.trim().is_empty()).map(|(k, _)| k.clone()).collect();
    for name in empty {
        whole = false;
        if let Some(s) = set.files.remove(&name) {
            report.push(
                Diagnostic::input_error("proto", "EMPTY_FILE", format!("{} is empty", s.file.path))
                    .at(s.file.clone(), Some(Span::file_start()))
                    .with_help("an empty .proto declares nothing; delete it or add its definitions"),
            );
        }
    }
    let compiled = loader::compile(&set);
    // Imports a declared BSR dependency would provide: one error per dependency.
    let errors = match bufconfig::load(root).ok().flatten() {
        Some(buf) => crate::proto::deps::explain_unfetched(&buf, root, compiled.errors.clone()),
        None => compiled.errors.clone(),
    };
    for d in errors {
        report.push(d);
    }
    for src in set.files.values() {
        if let Some(abs) = &src.file.abs {
            report.sources.insert(abs.clone(), src.text.clone());
        }
    }
    for (module, selection) in modules.iter().zip(&selections) {
        let files: Vec<LintFile> = compiled
            .files
            .iter()
            .filter_map(|(name, fd)| {
                let src = set.files.get(name)?;
                // `only` is a file, or a module directory whose files are all wanted.
                let wanted = only.as_ref().is_none_or(|o| src.file.abs.as_deref().is_some_and(|a| a.starts_with(o)));
                (wanted && under(&src.file.path, &module.dir)).then(|| LintFile::new(name, src, fd))
            })
            .collect();
        if files.is_empty() {
            continue;
        }
        lint_module(Cx::new(files, &compiled.pool, &module.settings.opts), module, selection, &mut report);
    }
    if keep && only.is_none() {
        return Ok((report, Some(Linted { set, compiled, import_roots, whole })));
    }
    if last {
        loader::drop_or_leave_to_exit((compiled, set));
    } else {
        loader::drop_in_background((compiled, set));
    }
    Ok((report, None))
}

fn lint_module(cx: Cx, module: &Module, selection: &Selection, report: &mut Report) {
    let results: Vec<(&'static RuleInfo, Out)> = rules::CHECKS
        .par_iter()
        .filter(|(r, _)| selection.is_enabled(r.id))
        .map(|(r, check)| {
            let mut out = Out::default();
            check(&cx, &mut out);
            (*r, out)
        })
        .collect();
    // Reporting below is sequential; what it reads of each file with findings is built first,
    // in parallel.
    let mut with_findings = vec![false; cx.files.len()];
    for f in results.iter().flat_map(|(_, out)| &out.findings) {
        with_findings[f.file] = true;
    }
    cx.files.par_iter().zip(with_findings).filter(|(_, has)| *has).for_each(|(f, _)| f.prepare_for_findings());
    let mut used: HashSet<suppress::DirectiveKey> = HashSet::new();
    for (rule, out) in results {
        let Some(severity) = selection.severity(rule.id) else { continue };
        for f in out.findings {
            let file = &cx.files[f.file];
            if selection.is_ignored(rule.id, &file.src.file.path) || selection.is_ignored(rule.id, file.name) {
                continue;
            }
            if module.settings.comment_ignores && suppress::suppressed(file, f.file, &f.path, rule.id, &mut used) {
                continue;
            }
            report.push(finding(file, rule.id, severity, &f.path, f.message));
        }
    }
    if module.settings.comment_ignores
        && let Some(sev) = selection.severity(suppress::UNUSED_IGNORE.id)
    {
        for d in suppress::unused(&cx, selection, &used, sev) {
            report.push(d);
        }
    }
}

fn span_of(file: &LintFile, path: &[i32]) -> Span {
    file.location(path)
        .and_then(|l| crate::proto::span::from_source_info(&l.span, Some(file.source_text())))
        .unwrap_or_else(Span::file_start)
}

fn finding(file: &LintFile, rule: &str, severity: Severity, path: &[i32], message: String) -> Diagnostic {
    Diagnostic::new("proto", rule, severity, message).at(file.src.file.clone(), Some(span_of(file, path)))
}
