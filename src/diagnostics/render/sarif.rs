//! `--format sarif`: SARIF 2.1.0, shaped for GitHub code scanning.
//!
//! - `tool.driver.rules` comes from the rule registry, so code scanning shows each rule's docs.
//! - URIs are relative to the repository root (`uriBaseId: %SRCROOT%`), so alerts land on the
//!   checked-out files whatever directory nova was pointed at.
//! - `partialFingerprints` do not depend on line numbers: code scanning must recognise a finding
//!   after unrelated lines above it moved, or it closes and reopens alerts on every push.
//! - Input nova could not use is a tool execution notification, not a result: it is not a property
//!   of the code, and `executionSuccessful` is false.
use super::location::{RepoPaths, Sources};
use crate::diagnostics::{Diagnostic, Edit, FileRef, Kind, Report, Severity, Span};
use crate::rules::RuleInfo;
use serde_json::{Map, Value, json};
use std::collections::HashMap;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const FINGERPRINT_KEY: &str = "nova/v1";

pub fn render(report: &Report, opts: &super::RenderOptions) -> String {
    render_with_rules(report, &crate::rules::all(), opts)
}

/// Render with an explicit rule list (tests pin the output independently of the registry).
pub fn render_with_rules(report: &Report, rules: &[&RuleInfo], opts: &super::RenderOptions) -> String {
    let mut s = serde_json::to_string_pretty(&sarif_value(report, rules, opts)).unwrap_or_default();
    s.push('\n');
    s
}

pub fn sarif_value(report: &Report, rules: &[&RuleInfo], opts: &super::RenderOptions) -> Value {
    let paths = RepoPaths::new(opts.repo_root.as_deref());
    let mut descriptors: Vec<Value> =
        rules.iter().filter(|r| r.unimplemented.is_none()).map(|r| rule_descriptor(r)).collect();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    for (i, r) in rules.iter().filter(|r| r.unimplemented.is_none()).enumerate() {
        index.insert((r.checker.to_string(), r.id.to_string()), i);
        by_id.entry(r.id.to_string()).or_insert(i);
    }

    let mut results = Vec::new();
    let mut notifications = Vec::new();
    let sources = Sources::new(report);
    let hidden = super::fingerprint::hidden(report);
    let (shown_fp, hidden_fp) = super::fingerprint::located_with_hidden(&sources, &paths, &report.diagnostics, &hidden);
    let mut rule_index =
        |d: &Diagnostic| match index.get(&(d.checker.to_string(), d.rule.clone())).or_else(|| by_id.get(&d.rule)) {
            Some(&i) => i,
            None => {
                // A finding whose rule is not in the registry still needs a descriptor for `ruleIndex`.
                descriptors.push(json!({"id": d.rule, "shortDescription": {"text": d.rule}}));
                let i = descriptors.len() - 1;
                index.insert((d.checker.to_string(), d.rule.clone()), i);
                i
            }
        };
    // With a baseline, every result says whether the baseline knew it (SARIF `baselineState`).
    let with_baseline = report.baseline.as_ref();
    for (d, fp) in report.diagnostics.iter().zip(shown_fp) {
        if d.kind == Kind::InputError {
            notifications.push(notification(d, &paths, None));
            continue;
        }
        let ri = rule_index(d);
        let Some(fp) = fp else {
            // GitHub code scanning rejects a whole upload when one result has no location, so a
            // finding about no particular file travels as a notification tied to its rule.
            notifications.push(notification(d, &paths, Some(ri)));
            continue;
        };
        let mut r = result(d, ri, &paths, fp);
        if with_baseline.is_some() {
            let state = if d.rule == crate::input_errors::BASELINE_UNUSED.id { "absent" } else { "new" };
            r.insert("baselineState".into(), json!(state));
        }
        results.push(Value::Object(r));
    }
    // Findings the baseline accepted: `unchanged` results with an accepted external suppression,
    // so SARIF viewers hide them while the debt stays on record.
    if let Some(b) = with_baseline {
        for (d, fp) in hidden.iter().zip(hidden_fp) {
            let Some(fp) = fp else { continue };
            let mut r = result(d, rule_index(d), &paths, fp);
            r.insert("baselineState".into(), json!("unchanged"));
            r.insert(
                "suppressions".into(),
                json!([{"kind": "external", "status": "accepted", "justification": format!("accepted in the baseline {}", b.file)}]),
            );
            results.push(Value::Object(r));
        }
    }

    let mut driver = Map::new();
    driver.insert("name".into(), json!("nova"));
    driver.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    driver.insert("semanticVersion".into(), json!(env!("CARGO_PKG_VERSION")));
    if let Some(uri) = information_uri() {
        driver.insert("informationUri".into(), json!(uri));
    }
    driver.insert("rules".into(), Value::Array(descriptors));

    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "invocations": [{
                "executionSuccessful": !report.has_input_errors(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}

/// The project's home page from Cargo metadata; omitted rather than invented when it is unset.
pub fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")].into_iter().find(|s| !s.is_empty())
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// Text of one `## Heading` section of a rule's markdown docs.
fn doc_section<'a>(docs: &'a str, heading: &str) -> Option<&'a str> {
    let start = docs.find(heading)? + heading.len();
    let rest = &docs[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    Some(rest[..end].trim()).filter(|s| !s.is_empty())
}

fn rule_descriptor(r: &RuleInfo) -> Value {
    let mut tags: Vec<String> = r.categories.iter().map(|c| c.to_string()).collect();
    tags.push(r.checker.to_string());
    let summary = if r.summary.is_empty() { r.id } else { r.summary };
    let full = doc_section(r.docs, "## What it does").unwrap_or(summary);
    let markdown = if r.docs.trim().is_empty() { summary } else { r.docs.trim() };
    // Plain text for viewers that do not render markdown: headings and fences dropped.
    let text: Vec<&str> = markdown
        .lines()
        .filter(|l| !l.trim_start().starts_with("```"))
        .map(|l| l.strip_prefix("## ").unwrap_or(l))
        .collect();
    json!({
        "id": r.id,
        "name": heck::AsUpperCamelCase(r.id).to_string(),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": full},
        "help": {"text": text.join("\n"), "markdown": markdown},
        "defaultConfiguration": {"level": level(r.default_severity), "enabled": r.default_enabled},
        "properties": {"tags": tags},
    })
}

/// A SARIF URI reference for a repository-relative path: percent-encode everything but unreserved
/// characters and `/`, so spaces and non-ASCII names stay valid URIs.
pub fn uri_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(span: Span) -> Value {
    // SARIF wants endColumn > startColumn on one line only when the region is non-empty; an
    // insertion point (equal columns) is valid too.
    let end_line = span.end_line.max(span.line);
    let end_column = if end_line == span.line { span.end_column.max(span.column) } else { span.end_column.max(1) };
    json!({
        "startLine": span.line.max(1),
        "startColumn": span.column.max(1),
        "endLine": end_line.max(1),
        "endColumn": end_column.max(1),
    })
}

fn physical_location(file: &FileRef, span: Option<Span>, paths: &RepoPaths) -> Value {
    let mut loc = json!({
        "artifactLocation": {"uri": uri_encode(&paths.rel(file)), "uriBaseId": "%SRCROOT%"},
    });
    if let (Some(s), Some(obj)) = (span, loc.as_object_mut()) {
        obj.insert("region".into(), region(s));
    }
    loc
}

fn result(d: &Diagnostic, rule_index: usize, paths: &RepoPaths, fingerprint: (String, String)) -> Map<String, Value> {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(d.rule));
    r.insert("ruleIndex".into(), json!(rule_index));
    r.insert("level".into(), json!(level(d.severity)));
    r.insert("message".into(), json!({"text": message_text(d)}));
    if let Some(f) = &d.file {
        r.insert("locations".into(), json!([{"physicalLocation": physical_location(f, d.span, paths)}]));
    }
    if !d.labels.is_empty() {
        let related: Vec<Value> = d
            .labels
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut v = json!({"id": i + 1, "message": {"text": l.message}});
                if let (Some(f), Some(obj)) = (l.file.as_ref().or(d.file.as_ref()), v.as_object_mut()) {
                    obj.insert("physicalLocation".into(), physical_location(f, l.span, paths));
                }
                v
            })
            .collect();
        r.insert("relatedLocations".into(), json!(related));
    }
    if let Some(fix) = &d.fix
        && !fix.edits.is_empty()
    {
        r.insert("fixes".into(), json!([fix_value(&fix.description, &fix.edits, paths)]));
    }
    let (key, line_hash) = fingerprint;
    r.insert("partialFingerprints".into(), json!({FINGERPRINT_KEY: key, "primaryLocationLineHash": line_hash}));
    let mut props = Map::new();
    props.insert("checker".into(), json!(d.checker));
    if !d.notes.is_empty() {
        props.insert("notes".into(), json!(d.notes));
    }
    if let Some(h) = &d.help {
        props.insert("help".into(), json!(h));
    }
    r.insert("properties".into(), Value::Object(props));
    r
}

/// The message code scanning shows: the finding, then its help (notes stay in `properties`).
fn message_text(d: &Diagnostic) -> String {
    match &d.help {
        Some(h) => format!("{}\nhelp: {h}", d.message),
        None => d.message.clone(),
    }
}

fn fix_value(description: &str, edits: &[Edit], paths: &RepoPaths) -> Value {
    let mut changes: Vec<(String, Vec<Value>)> = Vec::new();
    for e in edits {
        let uri = uri_encode(&paths.rel(&e.file));
        let replacement = json!({
            "deletedRegion": {"byteOffset": e.start, "byteLength": e.end.saturating_sub(e.start)},
            "insertedContent": {"text": e.replacement},
        });
        match changes.iter_mut().find(|(u, _)| *u == uri) {
            Some((_, v)) => v.push(replacement),
            None => changes.push((uri, vec![replacement])),
        }
    }
    json!({
        "description": {"text": description},
        "artifactChanges": changes
            .into_iter()
            .map(|(uri, replacements)| json!({
                "artifactLocation": {"uri": uri, "uriBaseId": "%SRCROOT%"},
                "replacements": replacements,
            }))
            .collect::<Vec<_>>(),
    })
}

/// A tool execution notification: input nova could not use (`rule_index` None), or a finding
/// without a file (`associatedRule` points at its rule).
fn notification(d: &Diagnostic, paths: &RepoPaths, rule_index: Option<usize>) -> Value {
    let mut n = match rule_index {
        None => json!({
            "level": "error",
            "message": {"text": message_text(d)},
            "descriptor": {"id": d.rule},
        }),
        Some(i) => json!({
            "level": level(d.severity),
            "message": {"text": message_text(d)},
            "associatedRule": {"id": d.rule, "index": i},
            "properties": {"checker": d.checker},
        }),
    };
    if let (Some(f), Some(obj)) = (&d.file, n.as_object_mut()) {
        obj.insert("locations".into(), json!([{"physicalLocation": physical_location(f, d.span, paths)}]));
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_encoding_keeps_slashes_and_encodes_the_rest() {
        assert_eq!(uri_encode("protos/a b/état.proto"), "protos/a%20b/%C3%A9tat.proto");
        assert_eq!(uri_encode("a%b#c?d"), "a%25b%23c%3Fd");
    }

    #[test]
    fn doc_sections() {
        let docs = "## What it does\nChecks X.\n\n## Why\nBecause.\n";
        assert_eq!(doc_section(docs, "## What it does"), Some("Checks X."));
        assert_eq!(doc_section(docs, "## Why"), Some("Because."));
        assert_eq!(doc_section(docs, "## Fix"), None);
    }
}
