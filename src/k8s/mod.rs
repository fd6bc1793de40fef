//! `nova k8s check`: the roadmap's deployment invariants (WebSocket affinity, graceful shutdown,
//! probes, hygiene) over Kubernetes manifests, cross-checked against the services' code.
//!
//! Pipeline: `input` finds and reads the manifests (files, directories, `-` for stdin; kustomize
//! directories are rendered by `kustomize`) into located YAML (`yaml`); `model` groups the objects;
//! `code` reads each workload's crate; the rules (`rules/`, one file each) judge; suppressions and
//! the rule selection apply; `fleet` summarises per service.
use crate::context::Ctx;
use crate::diagnostics::{Diagnostic, FileRef, Report, Span};
use crate::error::NovaError;
use crate::rules::{RuleInfo, Selection, SelectionInput};
use rules::{Cx, Facts, Finding};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

pub mod code;
pub mod config;
mod fleet;
pub mod input;
pub mod kustomize;
pub mod model;
pub mod rules;
pub mod yaml;

const CHECKER: &str = "k8s";

/// Arguments of `nova k8s check`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct K8sArgs {
    /// Manifest files or directories (`-` reads standard input, e.g. `helm template . | nova k8s
    /// check -`); default: `[k8s] paths`, else the current directory.
    pub paths: Vec<PathBuf>,
}

pub fn rules() -> Vec<&'static RuleInfo> {
    let mut v = rules::all();
    v.push(&crate::suppress::UNUSED_IGNORE);
    v
}

pub fn run(ctx: &Ctx, args: &K8sArgs) -> Result<Report, NovaError> {
    let cfg = &ctx.config.config.k8s;
    let paths: Vec<PathBuf> = if !args.paths.is_empty() {
        args.paths
            .iter()
            .map(|p| if p.is_absolute() || p == Path::new("-") { p.clone() } else { ctx.cwd.join(p) })
            .collect()
    } else if !cfg.paths.is_empty() {
        cfg.paths.iter().map(|p| ctx.config.resolve(p)).collect()
    } else {
        vec![ctx.cwd.clone()]
    };
    let loaded = input::load(&paths)?;
    // One directory is the root paths are shown from, unless a kustomization read files outside
    // it (an overlay's base): then the working directory is.
    let report_root = match paths.as_slice() {
        [one] if one.is_dir() && loaded.files.iter().all(|f| f.path.starts_with(one)) => one.clone(),
        _ => ctx.cwd.clone(),
    };
    let selection = Selection::new(
        &rules(),
        &SelectionInput { ignore: cfg.ignore.clone(), severity: cfg.severity.clone(), ..Default::default() },
    )
    .map_err(|e| ctx.config.locate_selection_error(&["k8s"], e))?;
    // Services' crates are looked up from the working directory when the manifests are below it
    // (`nova k8s check deploy/` from the repository root finds `services/*`).
    let code_root = if report_root.starts_with(&ctx.cwd) { ctx.cwd.clone() } else { report_root.clone() };
    Ok(check(cfg, &loaded, &report_root, &code_root, &selection))
}

/// Judge loaded manifests: findings, suppressions, input errors, the fleet view. `code_root`
/// bounds the search for the services' crates.
pub fn check(
    cfg: &config::K8sConfig,
    loaded: &input::Loaded,
    root: &Path,
    code_root: &Path,
    selection: &Selection,
) -> Report {
    let mut report = Report::new();
    report.root = Some(root.to_path_buf());
    report.files_checked = loaded.files.len();
    let file_ref = |id: yaml::FileId| loaded.files[id as usize].file_ref(root);
    for e in &loaded.errors {
        let mut d = Diagnostic::input_error(CHECKER, e.code, e.message.clone());
        if let Some(id) = e.file {
            d = d.at(file_ref(id), Some(Span::new(e.line as usize, e.col as usize, e.line as usize, e.col as usize)));
        }
        if let Some(h) = &e.help {
            d = d.with_help(h.clone());
        }
        report.push(d);
    }
    for chart in &loaded.helm_charts {
        report.push(
            Diagnostic::new(
                CHECKER,
                "HELM_CHART_NOT_RENDERED",
                crate::diagnostics::Severity::Info,
                "Helm chart not rendered: its templates were not checked",
            )
            .at(FileRef::new(root, chart), None)
            .with_help("check the rendered output: `helm template <chart> | nova k8s check -`"),
        );
    }
    let crates = code::Crates::new(code_root);
    let mut code_cache: BTreeMap<PathBuf, code::CodeFacts> = BTreeMap::new();
    // Each kustomization's output is a cluster of its own (an overlay is an environment); the
    // plain files together are one more.
    let mut groups: BTreeMap<Option<&Path>, Vec<(&yaml::Node, Option<&str>)>> = BTreeMap::new();
    for d in &loaded.docs {
        groups.entry(d.origin.as_deref()).or_default().push((&d.root, d.original_name.as_deref()));
    }
    let mut judged: Vec<Judged> = Vec::new();
    let mut rows = Vec::new();
    for (origin, roots) in groups {
        let overlay = origin
            .map(|o| match crate::diagnostics::rel_path(root, o) {
                dot if dot == "." => o.file_name().map_or(dot, |n| n.to_string_lossy().into_owned()),
                rel => rel,
            })
            .unwrap_or_default();
        let cluster = model::Cluster::build(roots);
        let cx = Cx { cluster: &cluster, cfg };
        let mut findings: Vec<(Finding, rules::Column)> = Vec::new();
        let mut facts_of: Vec<Facts> = Vec::new();
        for w in &cluster.workloads {
            let manifest = loaded.files[w.obj.pos().file as usize].path.clone();
            let mut names = vec![w.obj.name];
            names.extend(w.obj.original);
            names.extend(w.containers.iter().map(|c| c.name));
            let code = crates
                .find(&manifest, &names)
                .map(|(name, dir)| code_cache.entry(dir.clone()).or_insert_with(|| code::analyse(&dir, &name)).clone());
            let facts = facts(cfg, w, code);
            for (rule, column) in rules::PER_WORKLOAD {
                let mut out = Vec::new();
                rule(&cx, w, &facts, &mut out);
                findings.extend(out.into_iter().map(|f| (f, *column)));
            }
            facts_of.push(facts);
        }
        for rule in [rules::service_selector::check, rules::service_target_port::check] {
            let mut out = Vec::new();
            rule(&cx, &mut out);
            findings.extend(out.into_iter().map(|f| (f, rules::Column::Hygiene)));
        }
        judged.push(Judged { overlay, findings, facts: facts_of, cluster_rows: Vec::new() });
        let j = judged.last_mut().expect("just pushed");
        j.cluster_rows = fleet::rows(&cluster, &j.facts, &j.overlay);
    }
    // Code nova could not read is said, never skipped in silence.
    for c in code_cache.values() {
        for (path, code, why) in &c.skipped {
            let d = Diagnostic::new(
                CHECKER,
                *code,
                crate::diagnostics::Severity::Warning,
                format!(
                    "{} (crate `{}`): {why}; k8s cross-checks do not see it",
                    crate::diagnostics::rel_path(root, path),
                    c.crate_name
                ),
            )
            .at(FileRef::new(root, path), None);
            report.push(d);
        }
    }
    let mut directives = input::directives(loaded);
    let mut spans = Spans { loaded, index: BTreeMap::new() };
    for j in judged {
        let mut marks: Vec<(String, rules::Column, bool)> = Vec::new();
        for (f, column) in j.findings {
            let file = &loaded.files[f.pos.file as usize];
            let rel = file.file_ref(root).path;
            let Some(sev) = selection.severity(f.rule) else { continue };
            let commented = directives.iter_mut().find_map(|d| {
                let here = d.file == f.pos.file && (d.line == f.pos.line || (d.own_line && d.line + 1 == f.pos.line));
                let i = d.ids.iter().position(|id| id.eq_ignore_ascii_case(f.rule));
                here.then_some(()).and(i).map(|i| &mut d.used[i])
            });
            if let Some(used) = commented {
                *used = true;
                marks.push((f.subject.clone(), column, false));
                continue;
            }
            if selection.is_ignored(f.rule, &rel) {
                marks.push((f.subject.clone(), column, false));
                continue;
            }
            marks.push((f.subject.clone(), column, true));
            let mut d = Diagnostic::new(CHECKER, f.rule, sev, f.message).at(file.file_ref(root), Some(spans.at(f.pos)));
            for (pos, m) in f.labels {
                d = d.with_label(Some(loaded.files[pos.file as usize].file_ref(root)), Some(spans.at(pos)), m);
            }
            if !j.overlay.is_empty() {
                d = d.with_note(format!("as rendered by the kustomization in `{}`", j.overlay));
            }
            d.help = f.help;
            report.push(d);
        }
        rows.extend(fleet::apply_marks(j.cluster_rows, &marks));
    }
    report.diagnostics.extend(unused_ignores(&directives, loaded, root, selection, &mut spans));
    for f in &loaded.files {
        if f.path.as_os_str() == input::STDIN {
            report.sources.insert(f.path.clone(), f.text.clone());
        }
    }
    report.extras.insert("k8s_fleet".into(), serde_json::Value::Array(rows.iter().map(fleet::Row::json).collect()));
    if !rows.is_empty() {
        report.human_sections.push(fleet::table(&rows).into());
    }
    report
}

/// `NOVA_UNUSED_IGNORE` for the `# nova:ignore` comments that silenced nothing: an ID no rule has,
/// or a k8s rule that runs there and had no finding on that line or the next. Other checkers' IDs,
/// and k8s rules switched off or ignored for the path, are left alone.
fn unused_ignores(
    directives: &[input::Directive],
    loaded: &input::Loaded,
    root: &Path,
    selection: &Selection,
    spans: &mut Spans<'_>,
) -> Vec<Diagnostic> {
    let rule = &crate::suppress::UNUSED_IGNORE;
    let Some(severity) = selection.severity(rule.id) else { return Vec::new() };
    let known: BTreeSet<String> = crate::rules::all().iter().map(|r| r.id.to_ascii_uppercase()).collect();
    let mine: BTreeSet<String> = rules::all().iter().map(|r| r.id.to_ascii_uppercase()).collect();
    let mut out = Vec::new();
    for d in directives {
        let file = loaded.files[d.file as usize].file_ref(root);
        for (id, used) in d.ids.iter().zip(&d.used) {
            let upper = id.to_ascii_uppercase();
            let message = if !known.contains(&upper) {
                format!("`nova:ignore {id}`: no rule has this ID")
            } else if *used
                || !mine.contains(&upper)
                || !selection.is_enabled(&upper)
                || selection.is_ignored(&upper, &file.path)
            {
                continue;
            } else {
                format!("`nova:ignore {id}` suppresses nothing here")
            };
            let pos = yaml::Pos { file: d.file, line: d.line, col: d.col };
            out.push(
                Diagnostic::new(CHECKER, rule.id, severity, message)
                    .at(file.clone(), Some(spans.at(pos)))
                    .with_help("remove the comment, or fix the rule ID (`nova rules --checker k8s`)"),
            );
        }
    }
    out
}

/// One cluster's findings before suppressions apply.
struct Judged {
    overlay: String,
    findings: Vec<(Finding, rules::Column)>,
    facts: Vec<Facts>,
    cluster_rows: Vec<fleet::Row>,
}

/// What nova knows about a workload beyond its manifest.
fn facts(cfg: &config::K8sConfig, w: &model::Workload<'_>, code: Option<code::CodeFacts>) -> Facts {
    let websocket = if cfg.websocket_services.iter().any(|s| s == w.obj.name || Some(s.as_str()) == w.obj.original) {
        Some("listed in `[k8s] websocket_services`".to_string())
    } else {
        code.as_ref().and_then(|c| c.websocket.as_ref().map(|wh| format!("crate `{}`: {wh}", c.crate_name)))
    };
    let from_env = w.containers.iter().find_map(|c| c.env("SHUTDOWN_GRACE_SECS").and_then(|v| v.as_i64()));
    let drain = match (from_env, code.as_ref().and_then(|c| c.shutdown.clone())) {
        (Some(n), _) => (n.max(0) as u64, "`SHUTDOWN_GRACE_SECS` in the manifest".to_string()),
        (None, Some((n, wh))) => (n, wh),
        (None, None) => (cfg.drain_seconds, "`[k8s] drain_seconds`".to_string()),
    };
    Facts { websocket, drain, code }
}

/// Spans of the words findings point at, with one line index per file (built when first needed).
struct Spans<'a> {
    loaded: &'a input::Loaded,
    index: BTreeMap<yaml::FileId, crate::diagnostics::LineIndex>,
}

impl Spans<'_> {
    /// The span of the word at `pos` (a key, a scalar, a quoted string).
    fn at(&mut self, pos: yaml::Pos) -> Span {
        let text: &str = &self.loaded.files[pos.file as usize].text;
        let idx = self.index.entry(pos.file).or_insert_with(|| crate::diagnostics::LineIndex::new(text));
        let start = idx.line_start(pos.line as usize).unwrap_or(text.len()).min(text.len());
        let line = text[start..].split('\n').next().unwrap_or("");
        let rest: String = line.chars().skip(pos.col.saturating_sub(1) as usize).collect();
        let len = if rest.starts_with(['"', '\'']) {
            rest[1..].find(&rest[..1]).map_or(rest.chars().count(), |i| rest[..i + 2].chars().count())
        } else {
            plain_len(&rest)
        };
        let (l, c) = (pos.line as usize, pos.col as usize);
        Span::new(l, c, l, c + len.max(1))
    }
}

/// Characters of the plain scalar at the start of `s`: up to `: `, ` #`, a flow indicator or the
/// end of the line (a URL's `://` and `:port` stay inside).
fn plain_len(s: &str) -> usize {
    let chars: Vec<char> = s.chars().collect();
    let mut end = chars.len();
    for (i, c) in chars.iter().enumerate() {
        let next_blank = chars.get(i + 1).is_none_or(|n| n.is_whitespace());
        let prev_blank = i > 0 && chars[i - 1].is_whitespace();
        if matches!(c, ',' | ']' | '}') || (*c == ':' && next_blank) || (*c == '#' && prev_blank) {
            end = i;
            break;
        }
    }
    chars[..end].iter().collect::<String>().trim_end().chars().count()
}

/// Whether `root` holds Kubernetes manifests (`nova check` and `nova init` ask).
pub fn has_manifests(root: &Path) -> bool {
    input::manifest_files(root).into_iter().next().is_some()
}

/// The directories holding manifests under `root` (relative, `/`-separated), for `nova init`.
pub fn manifest_dirs(root: &Path) -> BTreeSet<String> {
    input::manifest_files(root)
        .iter()
        .filter_map(|p| p.parent().map(|d| crate::diagnostics::rel_path(root, d)))
        .collect()
}
