//! `nova proto lint`: every rule against its fixtures, and the CLI end to end (exit codes,
//! selection, severities, suppression, ignores, buf.yaml layouts, bad input).
use assert_cmd::Command;
use nova::config::LoadedConfig;
use nova::context::Ctx;
use nova::diagnostics::render::{Format, RenderOptions};
use nova::proto::lint::{self, LintArgs};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proto/lint")
}

/// Lint one fixture case with only `rule` selected; findings as `RULE path:line:col`, and the
/// human rendering users see (message, excerpt, span, labels, help).
fn lint_case(dir: &Path, rule: &str) -> (Vec<String>, String) {
    let cfg_path = dir.join("nova.toml");
    let config = if cfg_path.is_file() {
        nova::config::load_file(&cfg_path).expect("fixture config loads")
    } else {
        LoadedConfig { dir: dir.to_path_buf(), ..Default::default() }
    };
    let ctx = Ctx::new(dir.to_path_buf(), config, Format::Json, RenderOptions::default());
    let args = LintArgs { paths: vec![dir.to_path_buf()], use_: vec![rule.to_string()], except: vec![] };
    let mut report = lint::run(&ctx, &args).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    report.sort();
    let lines = report
        .diagnostics
        .iter()
        .map(|d| {
            let s = d.span.expect("every finding has a span");
            format!("{} {}:{}:{}", d.rule, d.file.as_ref().expect("file").path, s.line, s.column)
        })
        .collect();
    (lines, nova::diagnostics::render::render(&report, Format::Human, &RenderOptions::default()))
}

#[test]
fn every_rule_matches_its_fixtures() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for rule_dir in std::fs::read_dir(fixtures()).unwrap() {
        let rule_dir = rule_dir.unwrap().path();
        let rule = rule_dir.file_name().unwrap().to_string_lossy().to_string();
        for case in std::fs::read_dir(&rule_dir).unwrap() {
            let case = case.unwrap().path();
            let kind = case.file_name().unwrap().to_string_lossy().to_string();
            let expected: Vec<String> = std::fs::read_to_string(case.join("expected.txt"))
                .unwrap_or_else(|_| panic!("{} lacks expected.txt", case.display()))
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect();
            if kind.starts_with("fail") {
                assert!(!expected.is_empty(), "{rule}/{kind}: a failing case must expect findings");
            } else {
                assert!(expected.is_empty(), "{rule}/{kind}: a passing case must expect no findings");
            }
            let (got, human) = lint_case(&case, &rule);
            if kind.starts_with("fail") {
                // What users see, per rule: a wrong message, end column or help fails here.
                insta::with_settings!({ snapshot_path => "snapshots/rules/proto-lint", prepend_module_to_snapshot => false }, {
                    insta::assert_snapshot!(format!("{rule}__{kind}"), human);
                });
            }
            if got != expected {
                failures.push(format!("{rule}/{kind}:\n  expected {expected:?}\n  got      {got:?}"));
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 92, "only {checked} fixture cases found");
}

#[test]
fn every_implemented_rule_has_a_failing_and_a_passing_fixture() {
    for r in lint::rules() {
        if r.unimplemented.is_some() || r.id == "NOVA_UNUSED_IGNORE" {
            continue;
        }
        for kind in ["fail", "pass"] {
            let p = fixtures().join(r.id).join(kind);
            assert!(p.join("expected.txt").is_file(), "{} has no {kind} fixture", r.id);
        }
    }
}

#[test]
fn registry_has_all_buf_rules_with_categories() {
    let rules = lint::rules();
    let buf: Vec<_> = rules.iter().filter(|r| !r.id.starts_with("NOVA_")).collect();
    assert_eq!(buf.len(), 45);
    let count = |c: &str| buf.iter().filter(|r| r.categories.contains(&c)).count();
    assert_eq!(count("MINIMAL"), 5);
    assert_eq!(count("BASIC"), 26);
    assert_eq!(count("STANDARD"), 35);
    assert_eq!(count("COMMENTS"), 7);
    assert_eq!(count("UNARY_RPC"), 2);
    let unstable = buf.iter().find(|r| r.id == "STABLE_PACKAGE_NO_IMPORT_UNSTABLE").unwrap();
    assert!(unstable.categories.is_empty() && !unstable.default_enabled);
    let pv = buf.iter().find(|r| r.id == "PROTOVALIDATE").unwrap();
    assert!(pv.unimplemented.is_some());
    assert!(
        rules.iter().filter(|r| r.id.starts_with("NOVA_") && r.id != "NOVA_UNUSED_IGNORE").all(|r| !r.default_enabled)
    );
}

// ---------------------------------------------------------------- CLI helpers

fn write(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn nova(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("nova").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

/// Run `nova --format json proto lint ARGS` in `dir`: (exit code, parsed JSON).
fn lint_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = nova(dir).args(["--format", "json", "proto", "lint"]).args(args).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let v: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {text}\nstderr: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code().unwrap_or(-1), v)
}

/// `RULE path:line` of every diagnostic.
fn findings(v: &Value) -> Vec<String> {
    v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {}:{}", d["rule"].as_str().unwrap(), d["path"].as_str().unwrap_or("-"), d["line"]))
        .collect()
}

const CLEAN: &str = "syntax = \"proto3\";\n\npackage a.v1;\n\nmessage Thing {\n  string id = 1;\n}\n";
const ONE_BAD_FIELD: &str = "syntax = \"proto3\";\n\npackage a.v1;\n\nmessage Thing {\n  string userId = 1;\n}\n";

#[test]
fn exit_codes_clean_findings_and_compile_error() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), &[("a/v1/a.proto", CLEAN)]);
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 0, "{v}");
    assert_eq!(v["summary"]["files"], 1);

    write(t.path(), &[("a/v1/a.proto", ONE_BAD_FIELD)]);
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec!["FIELD_LOWER_SNAKE_CASE a/v1/a.proto:6"]);
    let d = &v["diagnostics"][0];
    assert_eq!((d["column"].as_u64(), d["end_line"].as_u64(), d["end_column"].as_u64()), (Some(10), Some(6), Some(16)));

    write(t.path(), &[("a/v1/b.proto", "syntax = \"proto3\";\npackage a.v1;\nmessage B {\n  int32 = 1;\n}\n")]);
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 2, "a file that does not compile is exit 2");
    let f = findings(&v);
    assert!(f.contains(&"COMPILE a/v1/b.proto:4".to_string()), "{f:?}");
    assert!(f.contains(&"FIELD_LOWER_SNAKE_CASE a/v1/a.proto:6".to_string()), "other files are still linted: {f:?}");
}

#[test]
fn registry_layout_paths_are_relative_to_the_input_root() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("nova-protos/protos/auth/v1/auth.proto", &ONE_BAD_FIELD.replace("a.v1", "auth.v1")),
            (
                "nova-protos/protos/billing/v1/billing.proto",
                "syntax = \"proto3\";\n\npackage billing.v1;\n\nimport \"auth/v1/auth.proto\";\n\nmessage Invoice {\n  auth.v1.Thing owner = 1;\n}\n",
            ),
        ],
    );
    // Default root: nova-protos/ under the cwd, with protos/ as its import root.
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(findings(&v), vec!["FIELD_LOWER_SNAKE_CASE protos/auth/v1/auth.proto:6"]);
    // The registry from nova.toml, resolved against the config's directory.
    write(t.path(), &[("nova.toml", "[proto]\nregistry = \"nova-protos\"\n")]);
    std::fs::create_dir_all(t.path().join("sub")).unwrap();
    let (code, v) = lint_json(&t.path().join("sub"), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec!["FIELD_LOWER_SNAKE_CASE protos/auth/v1/auth.proto:6"]);
}

#[test]
fn a_registry_nova_toml_configures_its_own_lint() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("nova-protos/protos/auth/auth.proto", "syntax = \"proto3\";\n\npackage auth;\n\nmessage Thing {}\n"),
            ("nova-protos/nova.toml", "[proto.lint]\nuse = [\"NOVA_PACKAGE_VERSIONED\"]\n"),
        ],
    );
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(findings(&v), vec!["NOVA_PACKAGE_VERSIONED protos/auth/auth.proto:3"]);
    // A [proto.lint] in the configuration in effect wins.
    write(t.path(), &[("nova.toml", "[proto.lint]\nuse = [\"MINIMAL\"]\nexcept = [\"PACKAGE_DIRECTORY_MATCH\"]\n")]);
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 0, "{v}");
}

#[test]
fn a_single_file_is_linted_within_its_module() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("nova-protos/protos/auth/v1/auth.proto", &ONE_BAD_FIELD.replace("a.v1", "auth.v1")),
            (
                "nova-protos/protos/billing/v1/billing.proto",
                "syntax = \"proto3\";\n\npackage billing.v1;\n\nimport \"auth/v1/auth.proto\";\n\nmessage Invoice {\n  auth.v1.Thing ownerId = 1;\n}\n",
            ),
        ],
    );
    let (code, v) = lint_json(t.path(), &["nova-protos/protos/billing/v1/billing.proto"]);
    assert_eq!(code, 1, "{v}");
    // Imports resolve against the module root; only the named file's findings are reported.
    assert_eq!(findings(&v), vec!["FIELD_LOWER_SNAKE_CASE protos/billing/v1/billing.proto:8"]);
    assert_eq!(v["summary"]["files"], 1);
}

#[test]
fn protovalidate_is_accepted_and_harmless() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), &[("a/v1/a.proto", ONE_BAD_FIELD)]);
    let (code, v) = lint_json(t.path(), &["--use", "PROTOVALIDATE"]);
    assert_eq!((code, findings(&v).len()), (0, 0));
    let out = nova(t.path()).args(["rules", "--checker", "proto"]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().find(|l| l.starts_with("PROTOVALIDATE")).expect("listed");
    assert!(line.contains("NOT IMPLEMENTED") && line.contains("CEL"), "{line}");
}

#[test]
fn buf_yaml_v1_comment_ignores_need_allow_comment_ignores() {
    let t = tempfile::tempdir().unwrap();
    let src = "syntax = \"proto3\";\n\npackage a.v1;\n\nmessage Thing {\n  // buf:lint:ignore FIELD_LOWER_SNAKE_CASE\n  string userId = 1;\n}\n";
    write(t.path(), &[("a/v1/a.proto", src), ("buf.yaml", "version: v1\nlint:\n  use: [DEFAULT]\n")]);
    let (code, _) = lint_json(t.path(), &[]);
    assert_eq!(code, 1, "v1 ignores comments unless allowed");
    write(t.path(), &[("buf.yaml", "version: v1\nlint:\n  use: [DEFAULT]\n  allow_comment_ignores: true\n")]);
    let (code, _) = lint_json(t.path(), &[]);
    assert_eq!(code, 0);
}

#[test]
fn use_and_except_override_config() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), &[("a/v1/a.proto", ONE_BAD_FIELD), ("nova.toml", "[proto.lint]\nuse = [\"MINIMAL\"]\n")]);
    let (code, _) = lint_json(t.path(), &[]);
    assert_eq!(code, 0, "MINIMAL has no naming rules");
    let (code, v) = lint_json(t.path(), &["--use", "BASIC"]);
    assert_eq!((code, findings(&v).len()), (1, 1));
    let (code, _) = lint_json(t.path(), &["--use", "BASIC", "--except", "FIELD_LOWER_SNAKE_CASE"]);
    assert_eq!(code, 0);
    let (code, v) = lint_json(t.path(), &["--use", "COMMENTS"]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec!["COMMENT_MESSAGE a/v1/a.proto:5", "COMMENT_FIELD a/v1/a.proto:6"]);
    let (code, _) = lint_json(t.path(), &["--use", "NOT_A_RULE"]);
    assert_eq!(code, 2, "an unknown rule is a usage error");
}

#[test]
fn severity_override_to_warning_exits_zero_and_off_disables() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("a/v1/a.proto", ONE_BAD_FIELD),
            ("nova.toml", "[proto.lint.severity]\nFIELD_LOWER_SNAKE_CASE = \"warning\"\n"),
        ],
    );
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
    assert_eq!(v["summary"]["warnings"], 1);
    write(t.path(), &[("nova.toml", "[proto.lint.severity]\nFIELD_LOWER_SNAKE_CASE = \"off\"\n")]);
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!((code, findings(&v).len()), (0, 0));
}

#[test]
fn comment_ignores_scope_first_id_and_unused() {
    let t = tempfile::tempdir().unwrap();
    let src = "syntax = \"proto3\";

package a.v1;

// buf:lint:ignore FIELD_LOWER_SNAKE_CASE legacy JSON names
message Legacy {
  string userId = 1;
  message Inner {
    string innerId = 1;
  }
}

message Modern {
  // nova:ignore FIELD_LOWER_SNAKE_CASE kept for the mobile client
  string userId = 1;
  // buf:lint:ignore ENUM_VALUE_PREFIX FIELD_LOWER_SNAKE_CASE
  string otherId = 2;
  // buf:lint:ignore MESSAGE_PASCAL_CASE
  string clean = 3;
}
";
    write(t.path(), &[("a/v1/a.proto", src)]);
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(
        findings(&v),
        vec![
            "NOVA_UNUSED_IGNORE a/v1/a.proto:16",
            "FIELD_LOWER_SNAKE_CASE a/v1/a.proto:17",
            "NOVA_UNUSED_IGNORE a/v1/a.proto:18",
        ],
        "{v}"
    );
    assert_eq!(v["diagnostics"][0]["severity"], "warning");
    // Comment ignores can be turned off.
    write(t.path(), &[("nova.toml", "[proto.lint]\ndisallow_comment_ignores = true\n")]);
    let (_, v) = lint_json(t.path(), &[]);
    let n = findings(&v).iter().filter(|f| f.starts_with("FIELD_LOWER_SNAKE_CASE")).count();
    assert_eq!(n, 4);
    assert!(!findings(&v).iter().any(|f| f.starts_with("NOVA_UNUSED_IGNORE")));
}

#[test]
fn file_level_findings_honour_ignores_on_the_package_statement() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[(
            "x/a.proto",
            "syntax = \"proto3\";\n\n// buf:lint:ignore PACKAGE_DIRECTORY_MATCH\n// buf:lint:ignore PACKAGE_VERSION_SUFFIX\npackage a;\n\nmessage Thing {}\n",
        )],
    );
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 0, "{v}");
}

#[test]
fn ignore_and_ignore_only_paths() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[("a/v1/a.proto", ONE_BAD_FIELD), ("vendor/x/v1/x.proto", &ONE_BAD_FIELD.replace("a.v1", "vendor.x.v1"))],
    );
    let (_, v) = lint_json(t.path(), &[]);
    assert_eq!(findings(&v).len(), 2);
    write(t.path(), &[("nova.toml", "[proto.lint]\nignore = [\"vendor\"]\n")]);
    let (_, v) = lint_json(t.path(), &[]);
    assert_eq!(findings(&v), vec!["FIELD_LOWER_SNAKE_CASE a/v1/a.proto:6"]);
    write(t.path(), &[("nova.toml", "[proto.lint.ignore_only]\nFIELD_LOWER_SNAKE_CASE = [\"a/v1/a.proto\"]\n")]);
    let (_, v) = lint_json(t.path(), &[]);
    assert_eq!(findings(&v), vec!["FIELD_LOWER_SNAKE_CASE vendor/x/v1/x.proto:6"]);
    write(t.path(), &[("nova.toml", "[proto.lint.ignore_only]\nBASIC = [\"a\", \"vendor/x/v1\"]\n")]);
    let (code, _) = lint_json(t.path(), &[]);
    assert_eq!(code, 0, "a category in ignore_only covers its rules");
}

#[test]
fn buf_yaml_v2_modules_with_per_module_lint() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            (
                "buf.yaml",
                "version: v2\nmodules:\n  - path: core\n  - path: edge\n    lint:\n      use: [MINIMAL]\nlint:\n  use: [STANDARD]\n  except: [PACKAGE_VERSION_SUFFIX]\n",
            ),
            ("core/a/v1/a.proto", ONE_BAD_FIELD),
            (
                "edge/b/v1/b.proto",
                "syntax = \"proto3\";\n\npackage b.v1;\n\nimport \"a/v1/a.proto\";\n\nmessage Edge {\n  a.v1.Thing someThing = 1;\n}\n",
            ),
        ],
    );
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 1, "{v}");
    // core runs STANDARD; edge (MINIMAL) does not judge field names; edge imports core by module path.
    assert_eq!(findings(&v), vec!["FIELD_LOWER_SNAKE_CASE core/a/v1/a.proto:6"]);
    // nova.toml [proto.lint] wins over buf.yaml's lint section, the layout stays.
    write(t.path(), &[("nova.toml", "[proto.lint]\nuse = [\"BASIC\"]\n")]);
    let (_, v) = lint_json(t.path(), &[]);
    assert_eq!(findings(&v).len(), 2, "{v}");
}

#[test]
fn the_same_import_name_in_two_modules_is_an_input_error() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("buf.yaml", "version: v2\nmodules:\n  - path: one\n  - path: two\n"),
            ("one/a/v1/a.proto", CLEAN),
            ("two/a/v1/a.proto", CLEAN),
        ],
    );
    let (v, _) = expect_input_error(t.path(), &[]);
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["kind"] == "input_error").expect("input error");
    assert_eq!(d["path"], "two/a/v1/a.proto", "{d}");
    assert!(d["message"].as_str().unwrap().contains("one/a/v1/a.proto"), "{d}");
}

#[test]
fn buf_yaml_v1_excludes_and_v1beta1_roots() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            (
                "buf.yaml",
                "version: v1\nbuild:\n  excludes: [gen]\nlint:\n  use: [DEFAULT]\n  except: [FIELD_NO_DESCRIPTOR]\n",
            ),
            ("a/v1/a.proto", ONE_BAD_FIELD),
            ("gen/x.proto", "this is not protobuf"),
        ],
    );
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 0, "excluded files are not read, FIELD_NO_DESCRIPTOR maps to FIELD_LOWER_SNAKE_CASE: {v}");

    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("buf.yaml", "version: v1beta1\nbuild:\n  roots: [proto, third_party]\nlint:\n  use: [STYLE_BASIC]\n"),
            (
                "proto/a/v1/a.proto",
                "syntax = \"proto3\";\n\npackage a.v1;\n\nimport \"t/v1/t.proto\";\n\nmessage Thing {\n  t.v1.T badName = 1;\n}\n",
            ),
            ("third_party/t/v1/t.proto", "syntax = \"proto3\";\n\npackage t.v1;\n\nmessage T {}\n"),
        ],
    );
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 1, "{v}");
    assert_eq!(findings(&v), vec!["FIELD_LOWER_SNAKE_CASE proto/a/v1/a.proto:8"]);
}

#[test]
fn field_ranges_config_enables_the_nova_rule() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            (
                "a/v1/a.proto",
                "syntax = \"proto3\";\n\npackage a.v1;\n\nmessage Thing {\n  string id = 1;\n  string later = 301;\n}\n",
            ),
            (
                "nova.toml",
                "[proto.lint]\nfield_ranges = { internal = [1, 99], service = [100, 199], client = [200, 299] }\n",
            ),
        ],
    );
    let (code, v) = lint_json(t.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(findings(&v), vec!["NOVA_FIELD_NUMBER_RANGE a/v1/a.proto:7"]);
    let msg = v["diagnostics"][0]["message"].as_str().unwrap();
    assert!(msg.contains("301") && msg.contains("client 200-299"), "{msg}");
    write(t.path(), &[("nova.toml", "[proto.lint]\nfield_ranges = [[5, 1]]\n")]);
    let (code, _) = lint_json(t.path(), &[]);
    assert_eq!(code, 2, "an inverted range is a config error");
}

// ---------------------------------------------------------------- bad input

/// Run lint in `dir`, expect exit 2 within a second-ish, return stdout JSON + stderr.
fn expect_input_error(dir: &Path, args: &[&str]) -> (Value, String) {
    let start = Instant::now();
    let out = nova(dir).args(["--format", "json", "proto", "lint"]).args(args).output().unwrap();
    let took = start.elapsed();
    assert_eq!(out.status.code(), Some(2), "stdout {}", String::from_utf8_lossy(&out.stdout));
    assert!(took < Duration::from_secs(10), "took {took:?}");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).expect("machine output even for bad input");
    (v, stderr)
}

fn first(v: &Value) -> (String, String, u64) {
    let d = &v["diagnostics"][0];
    (d["rule"].as_str().unwrap_or("").into(), d["path"].as_str().unwrap_or("").into(), d["line"].as_u64().unwrap_or(0))
}

#[test]
fn bad_input_syntax_error() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), &[("a.proto", "syntax = \"proto3\";\nmessage {\n")]);
    let (v, _) = expect_input_error(t.path(), &[]);
    assert_eq!(first(&v), ("COMPILE".into(), "a.proto".into(), 2));
}

#[test]
fn bad_input_unresolved_import() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), &[("a.proto", "syntax = \"proto3\";\n\nimport \"nope/missing.proto\";\n")]);
    let (v, _) = expect_input_error(t.path(), &[]);
    assert_eq!(first(&v), ("COMPILE".into(), "a.proto".into(), 3));
    assert!(v["diagnostics"][0]["message"].as_str().unwrap().contains("missing.proto"));
}

#[test]
fn bad_input_duplicate_symbol_across_files() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("a.proto", "syntax = \"proto3\";\npackage p;\nmessage Dup {}\n"),
            ("b.proto", "syntax = \"proto3\";\npackage p;\nmessage Dup {}\n"),
        ],
    );
    let (v, _) = expect_input_error(t.path(), &["--use", "MINIMAL"]);
    let d = v["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == "COMPILE").expect("a COMPILE diagnostic");
    assert!(d["message"].as_str().unwrap().contains("p.Dup"), "{d}");
    assert!(d["path"].as_str().unwrap().ends_with(".proto") && d["line"] == 3, "{d}");
}

#[test]
fn bad_input_4000_duplicated_messages_fail_fast() {
    let t = tempfile::tempdir().unwrap();
    let mut src = String::from("syntax = \"proto3\";\npackage p;\n");
    for _ in 0..4000 {
        src.push_str("message Dup { string a = 1; }\n");
    }
    write(t.path(), &[("a.proto", &src)]);
    let start = Instant::now();
    let (v, _) = expect_input_error(t.path(), &[]);
    assert!(start.elapsed() < Duration::from_secs(5), "{:?}", start.elapsed());
    assert_eq!(first(&v).0, "COMPILE");
    assert_eq!(first(&v).2, 4, "the second definition is on line 4");
}

#[test]
fn bad_input_non_utf8() {
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("a.proto"), b"syntax = \"proto3\";\n// caf\xe9\n").unwrap();
    let (v, _) = expect_input_error(t.path(), &[]);
    assert_eq!(first(&v), ("COMPILE".into(), "a.proto".into(), 2));
    assert!(v["diagnostics"][0]["message"].as_str().unwrap().contains("UTF-8"));
}

#[test]
fn bad_input_empty_file() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), &[("a/v1/a.proto", CLEAN), ("a/v1/empty.proto", "")]);
    let (v, _) = expect_input_error(t.path(), &[]);
    assert_eq!(first(&v), ("EMPTY_FILE".into(), "a/v1/empty.proto".into(), 1));
}

#[test]
fn bad_input_50_mb_file() {
    let t = tempfile::tempdir().unwrap();
    let mut big = String::from("syntax = \"proto3\";\n");
    let line = "// padding padding padding padding padding padding padding padding padding padding\n";
    while big.len() < 50 * 1024 * 1024 {
        big.push_str(line);
    }
    write(t.path(), &[("big.proto", &big)]);
    let (v, _) = expect_input_error(t.path(), &[]);
    assert_eq!(first(&v).1, "big.proto");
    assert!(v["diagnostics"][0]["message"].as_str().unwrap().contains("MB"));
}

#[test]
fn bad_input_directory_without_protos_and_missing_path() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), &[("README.md", "no protos here")]);
    let (_, stderr) = expect_input_error(t.path(), &[]);
    assert!(stderr.contains("no .proto files"), "{stderr}");
    let (_, stderr) = expect_input_error(t.path(), &["does/not/exist"]);
    assert!(stderr.contains("does/not/exist") && stderr.contains("does not exist"), "{stderr}");
}

#[test]
fn bad_input_malformed_nova_toml_and_buf_yaml() {
    let t = tempfile::tempdir().unwrap();
    write(t.path(), &[("a/v1/a.proto", CLEAN), ("nova.toml", "[proto.lint]\nuse = [\"STANDARD\"]\nbogus = 1\n")]);
    let (v, stderr) = expect_input_error(t.path(), &[]);
    assert_eq!(v["diagnostics"][0]["line"], 3, "{stderr}");
    assert!(stderr.contains("bogus"), "{stderr}");

    let t = tempfile::tempdir().unwrap();
    write(t.path(), &[("a/v1/a.proto", CLEAN), ("buf.yaml", "version: v2\nlint:\n  use: [STANDARD\n  except: x: y\n")]);
    let (v, stderr) = expect_input_error(t.path(), &[]);
    assert!(v["diagnostics"][0]["path"].as_str().unwrap().ends_with("buf.yaml"), "{v}");
    assert!(v["diagnostics"][0]["line"].as_u64().unwrap_or(0) >= 3, "{v} {stderr}");

    // An unknown rule ID in buf.yaml points at its line.
    write(t.path(), &[("buf.yaml", "version: v2\nlint:\n  use:\n    - STANDARD\n    - NOT_A_RULE\n")]);
    let (v, stderr) = expect_input_error(t.path(), &[]);
    assert!(v["diagnostics"][0]["path"].as_str().unwrap().ends_with("buf.yaml"), "{v}");
    assert_eq!(v["diagnostics"][0]["line"], 5, "{stderr}");
    assert!(stderr.contains("NOT_A_RULE"), "{stderr}");
}

// ---------------------------------------------------------------- snapshot

#[test]
fn json_output_snapshot() {
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[(
            "a/v1/a.proto",
            "syntax = \"proto3\";\n\npackage a.v1;\n\nimport \"google/protobuf/empty.proto\";\n\nenum color {\n  RED = 0;\n}\n\nservice Things {\n  rpc get_thing(Thing) returns (Thing);\n}\n\nmessage Thing {\n  string userId = 1;\n}\n",
        )],
    );
    let out = nova(t.path()).args(["--format", "json", "proto", "lint"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    insta::assert_snapshot!("proto_lint_json", text);
}

#[test]
fn human_output_snapshot() {
    // The human renderer is owned by the diagnostics module; refresh this snapshot when it changes.
    let t = tempfile::tempdir().unwrap();
    write(
        t.path(),
        &[
            ("a/v1/a.proto", ONE_BAD_FIELD),
            ("a/v1/b.proto", "syntax = \"proto3\";\n\npackage a.v1;\n\nenum Kind {\n  NONE = 0;\n}\n"),
        ],
    );
    let out = nova(t.path()).args(["--color", "never", "proto", "lint"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    insta::assert_snapshot!("proto_lint_human", text);
}

/// Columns count characters in every format: `éééé` (8 bytes) before `badName` moves it 4
/// columns, not 8 (buf says 29 too), and the caret of the human format sits under the name.
#[test]
fn columns_count_characters_in_every_format() {
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(t.path().join("a/v1")).unwrap();
    std::fs::write(
        t.path().join("a/v1/a.proto"),
        "syntax = \"proto3\";\npackage a.v1;\nmessage M { string /*éééé*/ badName = 1; }\n",
    )
    .unwrap();
    let run = |format: &str| {
        let out =
            nova(t.path()).args(["--format", format, "proto", "lint", "--use", "FIELD_LOWER_SNAKE_CASE"]).output();
        String::from_utf8(out.unwrap().stdout).unwrap()
    };
    let (_, v) = lint_json(t.path(), &["--use", "FIELD_LOWER_SNAKE_CASE"]);
    let d = &v["diagnostics"][0];
    assert_eq!((d["line"].as_u64(), d["column"].as_u64(), d["end_column"].as_u64()), (Some(3), Some(29), Some(36)));
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    let region = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"];
    assert_eq!((region["startColumn"].as_u64(), region["endColumn"].as_u64()), (Some(29), Some(36)), "{region}");
    assert!(run("github").contains("line=3,col=29,endLine=3,endColumn=36"), "{}", run("github"));
    let human = run("human");
    let line = human.lines().find(|l| l.contains("badName = 1")).unwrap();
    let caret = human.lines().skip_while(|l| !l.contains("badName = 1")).nth(1).unwrap();
    let (at, under) = (line.find("badName").unwrap(), caret.find('^').unwrap());
    assert_eq!(line[..at].chars().count(), caret[..under].chars().count(), "{human}");
}

/// buf.yaml `deps:`: nova fetches no BSR module, so the imports a dependency provides get one
/// error per dependency at its line (not one per file), with how to vendor it; a vendored copy
/// listed as a module resolves them.
#[test]
fn bsr_dependencies_get_one_error_each_and_vendoring_resolves_them() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    let yaml =
        "version: v2\nmodules:\n  - path: proto\ndeps:\n  - buf.build/googleapis/googleapis\nlint:\n  use: [MINIMAL]\n";
    std::fs::write(root.join("buf.yaml"), yaml).unwrap();
    for (f, m) in [("a", "A"), ("b", "B")] {
        let p = root.join(format!("proto/acme/v1/{f}.proto"));
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        let text = format!(
            "syntax = \"proto3\";\npackage acme.v1;\nimport \"google/api/annotations.proto\";\nmessage {m} {{ string id = 1; }}\n"
        );
        std::fs::write(p, text).unwrap();
    }
    let (code, v) = lint_json(root, &[]);
    assert_eq!(code, 2, "{v}");
    let d = v["diagnostics"].as_array().unwrap();
    assert_eq!(d.len(), 1, "{v}");
    assert_eq!((d[0]["path"].as_str(), d[0]["line"].as_u64()), (Some("buf.yaml"), Some(5)), "{v}");
    let msg = d[0]["message"].as_str().unwrap();
    assert!(msg.contains("buf.build/googleapis/googleapis") && msg.contains("2 file(s)"), "{msg}");
    assert!(d[0]["help"].as_str().unwrap().contains("buf export buf.build/googleapis/googleapis"), "{v}");
    // Vendored (as `buf export` would) and listed as a module: resolved, lint runs.
    let vendored = root.join("third_party/googleapis/google/api/annotations.proto");
    std::fs::create_dir_all(vendored.parent().unwrap()).unwrap();
    std::fs::write(&vendored, "syntax = \"proto3\";\npackage google.api;\n").unwrap();
    std::fs::write(
        root.join("buf.yaml"),
        yaml.replace("  - path: proto\n", "  - path: proto\n  - path: third_party/googleapis\n"),
    )
    .unwrap();
    let (code, v) = lint_json(root, &[]);
    assert_eq!(code, 0, "{v}");
}
