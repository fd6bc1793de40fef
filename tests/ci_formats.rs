//! The CI-facing formats added for issue 20: `gitlab` (Code Quality), `rdjson` (reviewdog),
//! `checkstyle` and `markdown`. Each is pinned with an insta snapshot of the same synthetic report
//! the other formats use (`tests/common/sample.rs`) and checked against its spec: the JSON formats
//! against schemas under `tests/fixtures/output/` (reviewdog's own `DiagnosticResult.jsonschema`;
//! for GitLab, the fields its documentation requires), checkstyle as XML with its structure.
use assert_cmd::Command;
use nova::diagnostics::render::{self, Format, RenderOptions};
use nova::diagnostics::{Diagnostic, Edit, FileRef, Fix, Report, Severity, Span};
use serde_json::Value;
use std::path::Path;

#[path = "common/sample.rs"]
mod sample;
use sample::{fixtures, sample_report};

fn opts() -> RenderOptions {
    RenderOptions { color: false, repo_root: Some(fixtures()) }
}

fn render_json(report: &Report, format: Format) -> Value {
    serde_json::from_str(&render::render(report, format, &opts())).unwrap()
}

fn validator(file: &str) -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(fixtures().join(file)).unwrap()).unwrap();
    jsonschema::options().build(&schema).unwrap()
}

fn assert_valid(v: &jsonschema::Validator, doc: &Value) {
    let errors: Vec<String> = v.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{doc:#}");
}

// ---------------------------------------------------------------- gitlab

#[test]
fn gitlab_snapshot() {
    insta::assert_snapshot!("gitlab", render::render(&sample_report(), Format::Gitlab, &opts()));
}

#[test]
fn gitlab_validates_against_the_documented_fields() {
    let v = validator("gitlab-codequality.schema.json");
    let doc = render_json(&sample_report(), Format::Gitlab);
    assert_valid(&v, &doc);
    assert_eq!(doc.as_array().unwrap().len(), sample_report().diagnostics.len());
    // The schema is not vacuous: a missing path, an unknown severity and no line are rejected.
    for bad in [
        r#"[{"description":"d","check_name":"c","fingerprint":"f","severity":"minor","location":{"lines":{"begin":1}}}]"#,
        r#"[{"description":"d","check_name":"c","fingerprint":"f","severity":"warning","location":{"path":"a","lines":{"begin":1}}}]"#,
        r#"[{"description":"d","check_name":"c","fingerprint":"f","severity":"minor","location":{"path":"a"}}]"#,
    ] {
        assert!(!v.is_valid(&serde_json::from_str(bad).unwrap()), "{bad}");
    }
    // An empty report is an empty array (GitLab: no issues).
    assert_eq!(render_json(&Report::new(), Format::Gitlab), serde_json::json!([]));
}

#[test]
fn gitlab_fingerprints_are_the_sarif_fingerprints_and_unique() {
    let report = sample_report();
    let gitlab = render_json(&report, Format::Gitlab);
    let sarif = render_json(&report, Format::Sarif);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() >= 5);
    for r in results {
        let path = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        let line = &r["locations"][0]["physicalLocation"]["region"]["startLine"];
        let issue = gitlab
            .as_array()
            .unwrap()
            .iter()
            .find(|i| {
                i["check_name"] == r["ruleId"]
                    && i["location"]["path"] == path
                    && (line.is_null() || i["location"]["positions"]["begin"]["line"] == *line)
            })
            .unwrap_or_else(|| panic!("no issue for {r}"));
        assert_eq!(issue["fingerprint"], r["partialFingerprints"]["nova/v1"], "{issue}");
    }
    let mut fps: Vec<&str> = gitlab.as_array().unwrap().iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    let n = fps.len();
    fps.sort();
    fps.dedup();
    assert_eq!(fps.len(), n, "GitLab keeps only the first issue of a fingerprint");
}

#[test]
fn gitlab_severities_and_findings_without_a_file() {
    let doc = render_json(&sample_report(), Format::Gitlab);
    let by_rule = |rule: &str| doc.as_array().unwrap().iter().find(|i| i["check_name"] == rule).unwrap().clone();
    assert_eq!(by_rule("COMPILE")["severity"], "critical");
    assert_eq!(by_rule("FIELD_LOWER_SNAKE_CASE")["severity"], "major");
    assert_eq!(by_rule("RPC_REQUEST_RESPONSE_UNIQUE")["severity"], "minor");
    assert_eq!(by_rule("MIGRATION_NO_DOWN")["severity"], "info");
    // No span: line 1 of the file. No file: the checked root (here the repository root, `.`).
    assert_eq!(
        by_rule("MIGRATION_NO_DOWN")["location"],
        serde_json::json!({"path": "migrations/0001_init.sql", "lines": {"begin": 1}})
    );
    assert_eq!(by_rule("CORRELATION_ID_LAYER")["location"], serde_json::json!({"path": ".", "lines": {"begin": 1}}));
    // Paths are repository-relative: with the repository one level up, they gain the prefix.
    let up = RenderOptions { color: false, repo_root: fixtures().parent().map(Path::to_path_buf) };
    let doc: Value = serde_json::from_str(&render::render(&sample_report(), Format::Gitlab, &up)).unwrap();
    let paths: Vec<&str> = doc.as_array().unwrap().iter().map(|i| i["location"]["path"].as_str().unwrap()).collect();
    assert!(paths.contains(&"output/protos/billing/v1/billing.proto"), "{paths:?}");
    assert!(paths.contains(&"output"), "a finding without a file names the checked root: {paths:?}");
}

// ---------------------------------------------------------------- rdjson

#[test]
fn rdjson_snapshot() {
    insta::assert_snapshot!("rdjson", render::render(&sample_report(), Format::Rdjson, &opts()));
}

#[test]
fn rdjson_validates_against_reviewdogs_schema() {
    let v = validator("rdjson-DiagnosticResult.jsonschema.json");
    let doc = render_json(&sample_report(), Format::Rdjson);
    assert_valid(&v, &doc);
    assert!(!v.is_valid(&serde_json::json!({"diagnostics": [{"message": 1}]})));
    assert_eq!(doc["source"]["name"], "nova");
    assert_eq!(doc["severity"], "ERROR");
    for d in doc["diagnostics"].as_array().unwrap() {
        assert!(["ERROR", "WARNING", "INFO"].contains(&d["severity"].as_str().unwrap()), "{d}");
        assert!(d["code"]["value"].is_string() && d["message"].is_string(), "{d}");
    }
}

/// rdjson columns are UTF-8 byte counts, nova's are characters: a span after `é` (2 bytes) and
/// `𐐀` (4 bytes) moves right by 1 + 3 bytes. A safe fix becomes a suggestion with byte columns.
#[test]
fn rdjson_columns_count_utf8_bytes() {
    let d = tempfile::tempdir().unwrap();
    let abs = d.path().join("a.sql");
    let text = "-- x\nSELECT 'é𐐀' AS bad_name;\n";
    std::fs::write(&abs, text).unwrap();
    let file = FileRef::new(d.path(), &abs);
    // `bad_name` starts at character column 16 (byte column 20) and ends before character 24 (byte 28).
    let line2 = text.lines().nth(1).unwrap();
    let char_col = line2[..line2.find("bad_name").unwrap()].chars().count() + 1;
    assert_eq!(char_col, 16);
    let start = text.find("bad_name").unwrap();
    let mut r = Report::new();
    r.root = Some(d.path().to_path_buf());
    r.push(
        Diagnostic::new("migrations", "NAME", Severity::Warning, "bad name")
            .at(file.clone(), Some(Span::new(2, 16, 2, 24)))
            .with_fix(Fix {
                description: "rename".into(),
                safe: true,
                edits: vec![Edit { file: file.clone(), start, end: start + 8, replacement: "good_name".into() }],
            }),
    );
    r.push(
        Diagnostic::new("migrations", "UNSAFE", Severity::Error, "unsafe fix")
            .at(file.clone(), Some(Span::new(2, 8, 2, 12)))
            .with_fix(Fix {
                description: "review me".into(),
                safe: false,
                edits: vec![Edit { file: file.clone(), start, end: start + 8, replacement: "x".into() }],
            }),
    );
    let o = RenderOptions { color: false, repo_root: Some(d.path().to_path_buf()) };
    let doc: Value = serde_json::from_str(&render::render(&r, Format::Rdjson, &o)).unwrap();
    let diags = doc["diagnostics"].as_array().unwrap();
    let name = diags.iter().find(|x| x["code"]["value"] == "NAME").unwrap();
    assert_eq!(
        name["location"],
        serde_json::json!({"path": "a.sql", "range": {"start": {"line": 2, "column": 20}, "end": {"line": 2, "column": 28}}})
    );
    assert_eq!(&line2.as_bytes()[19..27], b"bad_name", "byte columns point at the same text");
    assert_eq!(
        name["suggestions"],
        serde_json::json!([{"range": {"start": {"line": 2, "column": 20}, "end": {"line": 2, "column": 28}}, "text": "good_name"}])
    );
    // Character column 8 is the quote before `é`: byte column 8; its end (character 12) is byte 16.
    let unsafe_fix = diags.iter().find(|x| x["code"]["value"] == "UNSAFE").unwrap();
    assert_eq!(unsafe_fix["location"]["range"]["start"]["column"], 8);
    assert_eq!(unsafe_fix["location"]["range"]["end"]["column"], 16);
    assert!(unsafe_fix.get("suggestions").is_none(), "a fix that needs review is no one-click suggestion");
    // The sample's SQL finding starts before `é` and ends after it: the end moves by one byte.
    let doc = render_json(&sample_report(), Format::Rdjson);
    let sql =
        doc["diagnostics"].as_array().unwrap().iter().find(|x| x["code"]["value"] == "adding-required-field").unwrap();
    assert_eq!(
        sql["location"]["range"],
        serde_json::json!({"start": {"line": 6, "column": 33}, "end": {"line": 6, "column": 54}})
    );
}

/// Without the file's text, byte columns cannot be known: the range is given by lines only
/// (rdjson's linewise form), never with character columns passed off as byte columns.
#[test]
fn rdjson_without_the_source_gives_lines_only() {
    let mut r = Report::new();
    r.push(
        Diagnostic::new("proto", "R", Severity::Info, "only in git history")
            .at(FileRef::virtual_path("gone.proto"), Some(Span::new(3, 5, 4, 2))),
    );
    let doc = render_json(&r, Format::Rdjson);
    assert_eq!(
        doc["diagnostics"][0]["location"]["range"],
        serde_json::json!({"start": {"line": 3}, "end": {"line": 4}})
    );
    assert_eq!(doc["severity"], "INFO");
}

/// Where the vendored schemas come from; each file says so in its `$comment`.
/// - `rdjson-DiagnosticResult.jsonschema.json`: reviewdog's `proto/rdf/jsonschema/DiagnosticResult.jsonschema`
///   (generated from `reviewdog.proto`), with `$ref`s by id rewritten as `#/definitions/...` pointers.
/// - `gitlab-codequality.schema.json`: GitLab publishes no schema; written from the required fields
///   of its "Code Quality report format" documentation.
#[test]
fn schema_provenance() {
    for (file, origin) in [
        ("rdjson-DiagnosticResult.jsonschema.json", "proto/rdf/jsonschema/DiagnosticResult.jsonschema"),
        ("gitlab-codequality.schema.json", "code_quality/#code-quality-report-format"),
    ] {
        let schema: Value = serde_json::from_str(&std::fs::read_to_string(fixtures().join(file)).unwrap()).unwrap();
        assert!(schema["$comment"].as_str().unwrap().contains(origin), "{file}");
    }
}

// ---------------------------------------------------------------- checkstyle

#[test]
fn checkstyle_snapshot() {
    insta::assert_snapshot!("checkstyle", render::render(&sample_report(), Format::Checkstyle, &opts()));
}

/// Structure as Checkstyle and its readers (warnings-ng) define it: a `checkstyle` root with a
/// `version`, `file` children with a `name` (each file once), `error` children with a `severity`
/// of error/warning/info, a `message` and a `source`, and integer `line`/`column` when present.
fn assert_checkstyle_structure(xml: &str) -> roxmltree::Document<'_> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("not well-formed: {e}\n{xml}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "checkstyle");
    assert_eq!(root.attribute("version"), Some("4.3"));
    let mut names = Vec::new();
    for file in root.children().filter(|n| n.is_element()) {
        assert_eq!(file.tag_name().name(), "file");
        let name = file.attribute("name").expect("file name");
        assert!(!names.contains(&name), "{name} listed twice");
        names.push(name);
        for e in file.children().filter(|n| n.is_element()) {
            assert_eq!(e.tag_name().name(), "error");
            assert!(["error", "warning", "info"].contains(&e.attribute("severity").unwrap()));
            assert!(e.attribute("message").is_some() && e.attribute("source").is_some());
            for a in ["line", "column"] {
                if let Some(v) = e.attribute(a) {
                    assert!(v.parse::<usize>().unwrap() >= 1, "{a}={v}");
                }
            }
        }
    }
    doc
}

#[test]
fn checkstyle_is_grouped_per_file_and_escaped() {
    let xml = render::render(&sample_report(), Format::Checkstyle, &opts());
    let doc = assert_checkstyle_structure(&xml);
    let files: Vec<&str> = doc.root_element().children().filter_map(|n| n.attribute("name")).collect();
    assert_eq!(files, [".", "migrations/0001_init.sql", "protos/billing/v1/billing.proto"]);
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("error")).count(), sample_report().diagnostics.len());
    let compile = doc.descendants().find(|n| n.attribute("source") == Some("nova.proto.COMPILE")).unwrap();
    assert_eq!(compile.attribute("line"), Some("5"));
    assert_eq!(
        compile.attribute("message"),
        Some(
            "import \"google/protobuf/timestamp.proto\" was not found\nhelp: add the directory that holds it with `--include`"
        )
    );

    let mut r = Report::new();
    let nasty = "a <b> & \"c\" 'd'\u{1}\ttab";
    r.push(Diagnostic::new("proto", "R&D", Severity::Error, nasty).at(FileRef::virtual_path("x<&>.proto"), None));
    let xml = render::render(&r, Format::Checkstyle, &opts());
    let doc = assert_checkstyle_structure(&xml);
    let e = doc.descendants().find(|n| n.has_tag_name("error")).unwrap();
    assert_eq!(e.attribute("message"), Some("a <b> & \"c\" 'd'\u{FFFD}\ttab"));
    assert_eq!(e.attribute("source"), Some("nova.proto.R&D"));
    assert_eq!(e.parent().unwrap().attribute("name"), Some("x<&>.proto"));
    // An empty report is an empty, valid document.
    assert_checkstyle_structure(&render::render(&Report::new(), Format::Checkstyle, &opts()));
}

// ---------------------------------------------------------------- markdown

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!("markdown", render::render(&sample_report(), Format::Markdown, &opts()));
}

/// Every table row has as many cells as its header: an unescaped `|` would add one.
fn assert_tables_are_rectangular(md: &str) {
    let mut width = None;
    for line in md.lines() {
        if !line.starts_with('|') {
            width = None;
            continue;
        }
        let cells = line.replace("\\|", "").matches('|').count();
        match width {
            None => width = Some(cells),
            Some(w) => assert_eq!(cells, w, "ragged row: {line}\n{md}"),
        }
    }
}

#[test]
fn markdown_escapes_cells_and_limits_findings() {
    let mut r = Report::new();
    r.files_checked = 3;
    for i in 0..55 {
        r.push(
            Diagnostic::new("proto", "R", Severity::Error, format!("`a|b` <i>{i}</i>\nsecond line"))
                .at(FileRef::virtual_path(format!("p{i:02}.proto")), Some(Span::new(i + 1, 1, i + 1, 2))),
        );
    }
    r.sort();
    let md = render::render(&r, Format::Markdown, &opts());
    assert!(md.starts_with("## nova: failed\n"), "{md}");
    assert_tables_are_rectangular(&md);
    assert!(md.contains("| error | R | p00.proto:1 | \\`a\\|b\\` &lt;i&gt;0&lt;/i&gt;<br>second line |"), "{md}");
    assert!(md.contains("p49.proto:50"), "{md}");
    assert!(!md.contains("p50.proto"), "only the first 50 findings are listed");
    assert!(md.contains("\nand 5 more\n"), "{md}");
    assert!(md.contains("| proto | errors | 55 | 0 |"), "{md}");

    let clean = render::render(&Report::new(), Format::Markdown, &opts());
    assert!(clean.starts_with("## nova: passed\n"), "{clean}");
    assert!(!clean.contains("### Findings"));
}

#[test]
fn markdown_uses_the_checks_and_matrix_extras() {
    let mut r = sample_report();
    r.extras.insert(
        "checks".into(),
        serde_json::json!([
            {"checker": "proto", "status": "errors", "errors": 2, "warnings": 1},
            {"checker": "wiring", "status": "not_run", "reason": "no services | none"},
        ]),
    );
    r.extras.insert(
        "matrix".into(),
        serde_json::json!([
            {"service": "billing", "crate": "billing", "binary": "src/main.rs", "http": "ok", "grpc_server": "missing (1)", "grpc_clients": "ok", "kafka": "-"},
        ]),
    );
    let md = render::render(&r, Format::Markdown, &opts());
    assert_tables_are_rectangular(&md);
    assert!(md.starts_with("## nova: could not check everything\n"), "{md}");
    assert!(md.contains("| proto | errors | 2 | 1 |"), "{md}");
    assert!(md.contains("| wiring | not\\_run (no services \\| none) |  |  |"), "{md}");
    assert!(
        md.contains("### Wiring matrix\n\n| service | crate | HTTP | gRPC server | gRPC clients | Kafka | binary |\n"),
        "{md}"
    );
    assert!(md.contains("| billing | billing | ok | missing (1) | ok | - | src/main.rs |"), "{md}");
}

// ---------------------------------------------------------------- command line

fn nova() -> Command {
    let mut c = Command::cargo_bin("nova").unwrap();
    c.env_remove("NO_COLOR").env("NO_COLOR", "1");
    c
}

#[test]
fn cli_gitlab_and_rdjson_report_file_on_the_example_backend() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let d = tempfile::tempdir().unwrap();
    let rdjson = d.path().join("nova.rdjson");
    let out = nova()
        .current_dir(repo)
        .args(["--format", "gitlab", "check", "examples/backend", "--report-file"])
        .arg(format!("rdjson={}", rdjson.display()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "same exit code as every other format: error findings");
    let gitlab: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_valid(&validator("gitlab-codequality.schema.json"), &gitlab);
    let issues = gitlab.as_array().unwrap();
    assert!(!issues.is_empty());
    // Run from the repository root: paths are repository-relative.
    assert!(
        issues.iter().all(|i| i["location"]["path"].as_str().unwrap().starts_with("examples/backend")),
        "{gitlab:#}"
    );

    let file: Value = serde_json::from_str(&std::fs::read_to_string(&rdjson).unwrap()).unwrap();
    assert_valid(&validator("rdjson-DiagnosticResult.jsonschema.json"), &file);
    let stdout = nova().current_dir(repo).args(["--format", "rdjson", "check", "examples/backend"]).output().unwrap();
    assert_eq!(stdout.status.code(), Some(1));
    assert_eq!(serde_json::from_slice::<Value>(&stdout.stdout).unwrap(), file, "the file is the same report");
    assert_eq!(file["diagnostics"].as_array().unwrap().len(), issues.len());

    for format in ["checkstyle", "markdown"] {
        let o = nova().current_dir(repo).args(["--format", format, "check", "examples/backend"]).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "{format}");
    }
}
