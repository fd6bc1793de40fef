//! A baseline: the findings a team accepted when it turned the gate on (`nova check
//! --write-baseline`), so that `nova check --baseline FILE` (or `[check] baseline`) fails only on
//! new ones while the old debt is paid down.
//!
//! An entry is keyed by the fingerprint SARIF puts in `partialFingerprints["nova/v1"]` and GitLab
//! in `fingerprint` (`diagnostics::render::fingerprint`): rule, repository-relative path, message
//! and the text of the line, never the line number, so a finding stays baselined when lines above
//! it move. Input errors are never baselined (nothing may hide them). Entries that match no
//! current finding are reported as `BASELINE_UNUSED` (a warning at the entry's line), as an unused
//! suppression is, so the file shrinks as the debt is paid.
use super::Checker;
use super::merge::Part;
use crate::diagnostics::render::fingerprint;
use crate::diagnostics::render::location::{RepoPaths, Sources};
use crate::diagnostics::{BaselineSummary, Diagnostic, FileRef, Kind, Report, Severity, Span};
use crate::error::NovaError;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// The default file name of `--write-baseline` without a value.
pub const DEFAULT_FILE: &str = "nova-baseline.json";
const VERSION: u32 = 1;

/// The baseline file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub version: u32,
    pub findings: Vec<Entry>,
}

/// One accepted finding. Only `fingerprint` and `checker` decide; the rest is for the reader (and
/// for the message when the entry no longer matches).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    /// The `nova check` checker that reported it (`proto`, `migrations`, `wiring`).
    pub checker: String,
    pub rule: String,
    /// Repository-relative, `/`-separated (empty for a finding about no file).
    #[serde(default)]
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message: String,
}

/// A loaded baseline with where it came from.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub path: PathBuf,
    pub text: String,
    pub file: BaselineFile,
}

/// Read a baseline file; a missing or malformed file is an error at its line (exit 2).
pub fn load(path: &Path) -> Result<Loaded, NovaError> {
    if !path.is_file() {
        let what = if path.exists() { "is not a file" } else { "does not exist" };
        return Err(NovaError::new(format!("baseline file {} {what}", path.display()))
            .at(path, None, None)
            .with_help("write one with `nova check --write-baseline`"));
    }
    let text = crate::fsutil::read_text(path)?;
    let file: BaselineFile = serde_json::from_str(&text).map_err(|e| {
        NovaError::new(format!("invalid baseline file {}: {e}", path.display()))
            .at(path, Some(e.line().max(1)), Some(e.column().max(1)))
            .with_help("regenerate it with `nova check --write-baseline`")
    })?;
    if let Some(e) = file.findings.iter().find(|e| Checker::parse(&e.checker).is_none()) {
        let line = text.lines().position(|l| l.contains(&format!("\"{}\"", e.fingerprint))).map(|i| i + 1);
        return Err(NovaError::new(format!(
            "baseline file {}: unknown checker `{}` (proto, migrations, wiring)",
            path.display(),
            e.checker
        ))
        .at(path, line, Some(1)));
    }
    if file.version != VERSION {
        return Err(NovaError::new(format!(
            "baseline file {} has version {}; this nova reads version {VERSION}",
            path.display(),
            file.version
        ))
        .at(path, None, None));
    }
    Ok(Loaded { path: path.to_path_buf(), text, file })
}

/// Every current finding of the parts, with its fingerprint and its place (part, index), in the
/// order the renderers fingerprint them (the report's sort order).
fn fingerprinted(parts: &[Part], paths: &RepoPaths) -> Vec<(usize, usize, String)> {
    let mut order: Vec<(usize, usize)> = parts
        .iter()
        .enumerate()
        .flat_map(|(p, part)| (0..part.report.diagnostics.len()).map(move |i| (p, i)))
        .collect();
    let diag = |&(p, i): &(usize, usize)| &parts[p].report.diagnostics[i];
    order.sort_by(|a, b| diag(a).sort_key().cmp(&diag(b).sort_key()));
    let sorted: Vec<Diagnostic> = order.iter().map(|k| diag(k).clone()).collect();
    // The texts the checkers already hold (the renderers read the same ones).
    let mut scratch = Report::new();
    for part in parts {
        scratch.sources.extend(part.report.sources.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    let sources = Sources::new(&scratch);
    let fps = fingerprint::all(&sources, paths, &sorted);
    order.into_iter().zip(fps).map(|((p, i), fp)| (p, i, fp)).collect()
}

/// The baseline of the parts' current findings (input errors left out).
pub fn build(parts: &[Part], paths: &RepoPaths) -> BaselineFile {
    let mut findings: Vec<Entry> = fingerprinted(parts, paths)
        .into_iter()
        .filter_map(|(p, i, fp)| {
            let d = &parts[p].report.diagnostics[i];
            (d.kind == Kind::Finding).then(|| Entry {
                fingerprint: fp,
                checker: parts[p].checker.name().to_string(),
                rule: d.rule.clone(),
                path: d.file.as_ref().map(|f| paths.rel(f)).unwrap_or_default(),
                line: d.span.map(|s| s.line),
                message: d.message.clone(),
            })
        })
        .collect();
    findings
        .sort_by(|a, b| (&a.path, a.line, &a.rule, &a.fingerprint).cmp(&(&b.path, b.line, &b.rule, &b.fingerprint)));
    BaselineFile { version: VERSION, findings }
}

/// The file's text: one entry per finding, pretty-printed so a diff of the file reads per finding.
pub fn to_text(file: &BaselineFile) -> String {
    let mut s = serde_json::to_string_pretty(file).unwrap_or_default();
    s.push('\n');
    s
}

/// Record every current finding of the parts in `path` (atomically). Input errors are never
/// recorded: a run that could not read everything still records the findings it has, and still
/// exits 2 for what it could not read.
pub fn write(path: PathBuf, parts: &[Part], paths: &RepoPaths) -> Result<Loaded, NovaError> {
    let file = build(parts, paths);
    let text = to_text(&file);
    crate::fsutil::write_atomic(&path, text.as_bytes())?;
    Ok(Loaded { path, text, file })
}

/// Hide the findings the baseline accepts (counted in each part's `baselined`; returned with the
/// fingerprint each matched by) and add a `BASELINE_UNUSED` warning to each part for
/// each of its entries that matched nothing. Entries of a checker that did not run, stopped, or
/// could not read all its input are not judged (their findings may just be missing), nor entries
/// whose file `judged` refuses (a change gate's checkers report only on changed files).
pub fn apply(
    root: &Path,
    parts: &mut [Part],
    baseline: &Loaded,
    paths: &RepoPaths,
    repo_root: &Path,
    judged_file: &dyn Fn(&Path) -> bool,
) -> Vec<(Diagnostic, String)> {
    let current = fingerprinted(parts, paths);
    let accepted: HashSet<(&str, &str)> =
        baseline.file.findings.iter().map(|e| (e.checker.as_str(), e.fingerprint.as_str())).collect();
    let mut hidden = Vec::new();
    let mut matched: HashSet<(String, String)> = HashSet::new();
    let mut remove: BTreeMap<usize, HashSet<usize>> = BTreeMap::new();
    for (p, i, fp) in current {
        let d = &parts[p].report.diagnostics[i];
        let checker = parts[p].checker.name();
        if d.kind == Kind::Finding && accepted.contains(&(checker, fp.as_str())) {
            matched.insert((checker.to_string(), fp.clone()));
            remove.entry(p).or_default().insert(i);
            hidden.push((d.clone(), fp));
        }
    }
    for (p, idx) in remove {
        parts[p].baselined = idx.len();
        let mut i = 0;
        parts[p].report.diagnostics.retain(|_| {
            let keep = !idx.contains(&i);
            i += 1;
            keep
        });
    }
    let judged: Vec<(usize, &'static str)> = parts
        .iter()
        .enumerate()
        .filter(|(_, part)| !part.failed && !part.report.has_input_errors())
        .map(|(p, part)| (p, part.checker.name()))
        .collect();
    let file_ref = FileRef::new(root, &baseline.path);
    for e in &baseline.file.findings {
        if matched.contains(&(e.checker.clone(), e.fingerprint.clone())) {
            continue;
        }
        let Some(&(p, _)) = judged.iter().find(|(_, name)| *name == e.checker) else { continue };
        if !judged_file(&repo_root.join(&e.path)) {
            continue;
        }
        parts[p].report.push(unused(e, baseline, &file_ref, root, repo_root));
    }
    hidden
}

/// The `BASELINE_UNUSED` warning for an entry that matched nothing: at the entry's line in the
/// baseline file, with a label at the file the finding was about (so `--changed-since` keeps it
/// when that file changed).
fn unused(e: &Entry, baseline: &Loaded, file_ref: &FileRef, root: &Path, repo_root: &Path) -> Diagnostic {
    let line =
        baseline.text.lines().position(|l| l.contains(&format!("\"{}\"", e.fingerprint))).map(|i| i + 1).unwrap_or(1);
    let place = match (e.path.as_str(), e.line) {
        ("", _) => String::new(),
        (p, Some(l)) => format!(" in {p}:{l}"),
        (p, None) => format!(" in {p}"),
    };
    let mut d = Diagnostic::new(
        "nova",
        crate::input_errors::BASELINE_UNUSED.id,
        Severity::Warning,
        format!("baseline entry {} matches no finding: {}{place} is gone", e.fingerprint, e.rule),
    )
    .at(file_ref.clone(), Some(Span::new(line, 1, line, 1)))
    .with_help("remove the entry (or rewrite the file with `nova check --write-baseline`)");
    if !e.path.is_empty() {
        let abs = repo_root.join(&e.path);
        let span = e.line.map(|l| Span::new(l, 1, l, 1));
        d = d.with_label(Some(FileRef::new(root, &abs)), span, format!("{}: {}", e.rule, e.message));
    }
    d
}

/// Tell every format what the baseline did: the report's `baseline` (markdown, SARIF), the JSON
/// `baseline` member and the human closing line.
pub fn attach(report: &mut Report, baseline: &Loaded, root: &Path, hidden: Vec<(Diagnostic, String)>, unused: usize) {
    let file = FileRef::new(root, &baseline.path).path;
    let n = hidden.len();
    let mut line = format!("nova check: {n} finding{} hidden by the baseline {file}", if n == 1 { "" } else { "s" });
    if unused > 0 {
        let what = if unused == 1 { "entry matches" } else { "entries match" };
        line.push_str(&format!("; {unused} baseline {what} no finding"));
    }
    report.human_sections.push(format!("{line}\n").into());
    report.extras.insert("baseline".into(), serde_json::json!({"file": file, "hidden": n, "unused": unused}));
    report.baseline = Some(BaselineSummary { file, hidden, unused });
}

/// Count of `BASELINE_UNUSED` diagnostics in the parts.
pub fn count_unused(parts: &[Part]) -> usize {
    parts
        .iter()
        .flat_map(|p| &p.report.diagnostics)
        .filter(|d| d.rule == crate::input_errors::BASELINE_UNUSED.id)
        .count()
}
