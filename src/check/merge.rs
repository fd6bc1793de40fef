//! Merging the checkers' reports into one: paths re-based onto the checked root, a checker that
//! could not run turned into an input-error diagnostic (the others' findings still count), and a
//! per-checker summary for the human and JSON formats.
use super::Checker;
use crate::context::error_diagnostic;
use crate::diagnostics::{FileRef, Kind, Report, Severity};
use crate::error::NovaError;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// One checker's contribution.
#[derive(Debug)]
pub struct Part {
    pub checker: Checker,
    pub report: Report,
    /// Set when the checker stopped with an error instead of returning a report.
    pub failed: bool,
    /// Findings `--changed-since` dropped because the change did not touch them.
    pub outside_change: usize,
    /// Findings dropped because they are about files outside the checked tree and its registry.
    pub outside_root: usize,
    /// Findings hidden because the baseline accepts them.
    pub baselined: usize,
}

/// Turn the checkers' results into parts whose paths are relative to `root`, limited to `root`
/// and the directories in `keep` (the registry).
pub fn collect(root: &Path, keep: &[PathBuf], results: Vec<(Checker, Result<Report, NovaError>)>) -> Vec<Part> {
    let keep: Vec<PathBuf> = std::iter::once(root).chain(keep.iter().map(PathBuf::as_path)).map(canonical).collect();
    let mut parts: Vec<Part> = results
        .into_iter()
        .map(|(checker, result)| match result {
            Ok(mut report) => {
                drop_out_of_scope_sections(&mut report, &keep);
                rebase(&mut report, root);
                let mut part =
                    Part { checker, report, failed: false, outside_change: 0, outside_root: 0, baselined: 0 };
                limit_to_scope(root, &keep, &mut part);
                part
            }
            Err(err) => {
                let mut d = error_diagnostic(&err);
                d.checker = checker.name();
                d.message = format!("the {} checker could not run: {}", checker.name(), err.message);
                d.notes.push("the other checkers' findings are still reported".to_string());
                let mut report = Report::new();
                report.push(d);
                rebase(&mut report, root);
                Part { checker, report, failed: true, outside_change: 0, outside_root: 0, baselined: 0 }
            }
        })
        .collect();
    parts.sort_by_key(|p| p.checker);
    parts
}

/// Make every file of `report` relative to `root`. A checker's paths are relative to its own input
/// root (`report.root`: the registry, a migrations directory, ...), which the combined report
/// cannot show side by side.
pub fn rebase(report: &mut Report, root: &Path) {
    let sub_root = report.root.clone();
    let base = canonical(root);
    // Many findings share a file (90,000 lint findings over 8,000 protos): resolve each file once.
    let mut seen: HashMap<PathBuf, String> = HashMap::new();
    let mut fix = |f: &mut FileRef| {
        let target = match (&f.abs, &sub_root) {
            (Some(abs), _) => Some(abs.clone()),
            (None, Some(sr)) if !f.path.is_empty() && f.path != "." => Some(sr.join(&f.path)),
            _ => None,
        };
        if let Some(t) = target {
            f.path = seen.entry(t).or_insert_with_key(|t| relative_to(&base, &canonical(t))).clone();
        }
    };
    for d in &mut report.diagnostics {
        if let Some(f) = d.file.as_mut() {
            fix(f);
        }
        for l in &mut d.labels {
            if let Some(f) = l.file.as_mut() {
                fix(f);
            }
        }
        if let Some(fx) = d.fix.as_mut() {
            for e in &mut fx.edits {
                fix(&mut e.file);
            }
        }
    }
    report.root = Some(root.to_path_buf());
}

/// Remove `.` and resolve `..` without touching the file system.
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `/`-separated path of `target` relative to `base`, with `..` where `target` is outside it
/// (the registry next to a backend shows as `../../nova-protos/...`).
pub fn relative(base: &Path, target: &Path) -> String {
    relative_to(&canonical(base), &canonical(target))
}

/// `p` resolved on disk, or normalised when it does not exist (a deleted file).
pub(crate) fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| normalize(p))
}

/// `relative` for paths already made canonical.
fn relative_to(base: &Path, target: &Path) -> String {
    let b: Vec<_> = base.components().collect();
    let t: Vec<_> = target.components().collect();
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    if common == 0 {
        return target.to_string_lossy().replace('\\', "/");
    }
    let mut parts: Vec<String> = Vec::new();
    for _ in common..b.len() {
        parts.push("..".into());
    }
    for c in &t[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
    }
    if parts.is_empty() { ".".into() } else { parts.join("/") }
}

fn in_scope(abs: &Path, keep: &[PathBuf]) -> bool {
    let abs = canonical(abs);
    keep.iter().any(|k| abs.starts_with(k))
}

/// Keep findings about the checked tree and the registry it uses; drop those about other files a
/// checker looked at (a nova.toml above PATH configures migration dirs, wiring roots and the drift
/// scan for the whole directory it sits in, not just PATH). Input errors and findings without a
/// file always stay. `keep` holds canonical directories, `root` first.
fn limit_to_scope(root: &Path, keep: &[PathBuf], part: &mut Part) {
    let before = part.report.diagnostics.len();
    part.report.diagnostics.retain(|d| {
        let Some(f) = &d.file else { return true };
        if d.kind == Kind::InputError || !(f.path.starts_with("../") || f.path == "..") {
            return true;
        }
        match &f.abs {
            Some(a) => in_scope(a, keep),
            None => in_scope(&root.join(&f.path), keep),
        }
    });
    part.outside_root += before - part.report.diagnostics.len();
}

/// Human sections about files (the drift diff of a copy and its registry file) follow their
/// files' scope like diagnostics do; so does the `drift` JSON member of `nova proto check`, which
/// names every copy it found (relative to the checker's own root).
fn drop_out_of_scope_sections(report: &mut Report, keep: &[PathBuf]) {
    report.human_sections.retain(|s| s.about.iter().all(|f| in_scope(f, keep)));
    let Some(sub_root) = report.root.clone() else { return };
    let ok = |rel: &str| in_scope(&sub_root.join(rel), keep);
    if let Some(serde_json::Value::Array(items)) = report.extras.get_mut("drift") {
        items.retain(|it| it.get("copy").and_then(|c| c.as_str()).is_none_or(ok));
    }
}

/// Flatten the parts into one report with a per-checker summary (`checks` in JSON, a closing
/// line in the human format).
pub fn into_report(root: &Path, parts: Vec<Part>, not_run: &[(Checker, String)]) -> Report {
    let mut report = Report::new();
    let mut checks = Vec::new();
    let mut line = Vec::new();
    for part in parts {
        let errors = part.report.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        let warnings = part.report.diagnostics.iter().filter(|d| d.severity == Severity::Warning).count();
        let input_errors = part.report.diagnostics.iter().filter(|d| d.kind == Kind::InputError).count();
        let status = if part.failed {
            "failed"
        } else if input_errors > 0 {
            "input_error"
        } else if errors > 0 {
            "errors"
        } else if warnings > 0 {
            "warnings"
        } else {
            "ok"
        };
        let mut entry = serde_json::json!({
            "checker": part.checker.name(),
            "status": status,
            "errors": errors,
            "warnings": warnings,
            "files": part.report.files_checked,
        });
        let mut text = match status {
            "ok" => format!("{} ok", part.checker.name()),
            "failed" => format!("{} could not run", part.checker.name()),
            _ => format!("{} {} error(s), {} warning(s)", part.checker.name(), errors, warnings),
        };
        if part.outside_root > 0 {
            entry["outside_root"] = serde_json::json!(part.outside_root);
            text.push_str(&format!(" ({} about files outside the checked tree not shown)", part.outside_root));
        }
        if part.baselined > 0 {
            entry["baselined"] = serde_json::json!(part.baselined);
            text.push_str(&format!(" ({} hidden by the baseline)", part.baselined));
        }
        if part.outside_change > 0 {
            entry["outside_change"] = serde_json::json!(part.outside_change);
            text.push_str(&format!(" ({} more outside the change)", part.outside_change));
        }
        checks.push(entry);
        line.push(text);
        let mut sub = part.report;
        // Extras of different checkers may share a key; the later one must not erase the earlier.
        let extras = std::mem::take(&mut sub.extras);
        for (k, v) in extras {
            if report.extras.contains_key(&k) {
                report.extras.insert(format!("{}.{k}", part.checker.name()), v);
            } else {
                report.extras.insert(k, v);
            }
        }
        report.extend(sub);
    }
    for (c, why) in not_run {
        checks.push(serde_json::json!({ "checker": c.name(), "status": "not_run", "reason": why }));
        line.push(format!("{} not run ({why})", c.name()));
    }
    report.root = Some(root.to_path_buf());
    report.extras.insert("checks".into(), serde_json::Value::Array(checks));
    report.human_sections.push(format!("nova check: {}\n", line.join("; ")).into());
    report
}

/// `collect` then `into_report`, without a change filter.
pub fn merge(
    root: &Path,
    keep: &[PathBuf],
    results: Vec<(Checker, Result<Report, NovaError>)>,
    not_run: &[(Checker, String)],
) -> Report {
    into_report(root, collect(root, keep, results), not_run)
}
