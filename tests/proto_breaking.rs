//! `nova proto breaking` and `nova proto check`: rule fixtures, git baselines (built in temp
//! repositories with the git CLI), the registry gate, semver, drift and bad input.
mod common;

use assert_cmd::Command;
use common::git;
use nova::context::Ctx;
use nova::diagnostics::Report;
use nova::diagnostics::render::Format;
use nova::proto::breaking::{self, BreakingArgs};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proto/breaking")
}

fn findings(report: &Report) -> Vec<String> {
    let mut v: Vec<String> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut loc = d.file.as_ref().map(|f| f.path.clone()).unwrap_or_else(|| "-".into());
            if let Some(s) = d.span {
                loc.push_str(&format!(":{}:{}", s.line, s.column));
            }
            format!("{} {} | {}", d.rule, loc, d.message)
        })
        .collect();
    v.sort();
    v
}

fn run_breaking(dir: &Path, current: &str, against: &str, use_: &[&str]) -> Report {
    let ctx = Ctx::for_dir(dir.to_path_buf(), Format::Json).expect("ctx");
    let args = BreakingArgs {
        current: Some(PathBuf::from(current)),
        against: against.to_string(),
        use_: use_.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    breaking::run(&ctx, &args).expect("run")
}

/// Every rule has a fixture pair whose findings are exactly `expected.txt`, and comparing a
/// revision with itself finds nothing.
#[test]
fn every_rule_fixture_reports_exactly_the_expected_findings() {
    let mut checked = 0;
    for rule in breaking::rules::ALL {
        let dir = fixtures().join(rule.id);
        assert!(dir.is_dir(), "no fixture for {}", rule.id);
        let expected: Vec<String> = {
            let mut v: Vec<String> = std::fs::read_to_string(dir.join("expected.txt"))
                .unwrap_or_else(|_| panic!("{}: expected.txt", rule.id))
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect();
            v.sort();
            v
        };
        assert!(!expected.is_empty(), "{}: a failing fixture must expect findings", rule.id);
        assert!(expected.iter().all(|l| l.starts_with(&format!("{} ", rule.id))), "{}", rule.id);
        let mut report = run_breaking(&dir, "current", "previous", &[rule.id]);
        assert_eq!(findings(&report), expected, "{}", rule.id);
        // What users see, per rule: a wrong message, end column, label or help fails here.
        report.sort();
        let human = nova::diagnostics::render::render(&report, Format::Human, &Default::default());
        insta::with_settings!({ snapshot_path => "snapshots/rules/proto-breaking", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(rule.id, human);
        });
        let same = run_breaking(&dir, "previous", "previous", &[rule.id]);
        assert!(same.diagnostics.is_empty(), "{}: {:?}", rule.id, findings(&same));
        checked += 1;
    }
    assert_eq!(checked, 65);
}

/// The editions variants (`tests/fixtures/proto/breaking-editions/<RULE>/<case>`): each
/// feature-based rule has a `fail` case (editions files whose resolved features change) and a
/// `pass` case (a proto2 or proto3 file converted to editions without changing behaviour);
/// `MIGRATION/<case>` converts a whole file and runs every rule but FILE_SAME_SYNTAX. Findings
/// are exactly `expected.txt` (what buf 1.75 reports, but for the differences
/// tests/fixtures/buf-parity/allowlist.toml lists), and failing cases are snapshotted.
#[test]
fn every_editions_fixture_reports_exactly_the_expected_findings() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/proto/breaking-editions");
    let sorted = |dir: &Path| {
        let mut v: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        v.sort();
        v
    };
    let (mut fail, mut pass, mut migrations) = (0, 0, 0);
    for rule_dir in sorted(&root) {
        let rule = rule_dir.file_name().unwrap().to_string_lossy().into_owned();
        let (use_, except): (Vec<&str>, Vec<&str>) = if rule == "MIGRATION" {
            (vec!["FILE", "PACKAGE", "WIRE", "WIRE_JSON"], vec!["FILE_SAME_SYNTAX"])
        } else {
            assert!(breaking::rules::ALL.iter().any(|r| r.id == rule), "{rule} is not a rule");
            (vec![rule.as_str()], vec![])
        };
        for case in sorted(&rule_dir) {
            let name = format!("{rule}/{}", case.file_name().unwrap().to_string_lossy());
            let mut expected: Vec<String> = std::fs::read_to_string(case.join("expected.txt"))
                .unwrap_or_else(|_| panic!("{name}: expected.txt"))
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(str::to_string)
                .collect();
            expected.sort();
            let ctx = Ctx::for_dir(case.clone(), Format::Json).expect("ctx");
            let args = BreakingArgs {
                current: Some(PathBuf::from("current")),
                against: "previous".into(),
                use_: use_.iter().map(|s| s.to_string()).collect(),
                except: except.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            };
            let mut report = breaking::run(&ctx, &args).expect("run");
            assert_eq!(findings(&report), expected, "{name}");
            let kind = case.file_name().unwrap().to_string_lossy().into_owned();
            if kind.starts_with("fail") {
                assert!(!expected.is_empty(), "{name}: a failing case must expect findings");
                report.sort();
                let human = nova::diagnostics::render::render(&report, Format::Human, &Default::default());
                insta::with_settings!({ snapshot_path => "snapshots/rules/proto-breaking", prepend_module_to_snapshot => false }, {
                    insta::assert_snapshot!(format!("{rule}__editions_{kind}"), human);
                });
                fail += 1;
            } else if rule == "MIGRATION" {
                assert!(expected.is_empty(), "{name}: a migration without changes in behaviour expects no findings");
                migrations += 1;
            } else {
                assert!(kind.starts_with("pass") && expected.is_empty(), "{name}: a passing case expects no findings");
                pass += 1;
            }
        }
    }
    // Every feature-based rule (13) fails and passes; proto3 -> 2023, proto2 -> 2023 and
    // proto3 -> 2024 migrations.
    assert_eq!((fail, pass, migrations), (13, 13, 3));
}

/// Write `files` under `dir`.
fn write_tree(dir: &Path, files: &[(&str, &str)]) {
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

/// Compare two in-memory trees with the given rules.
fn diff(prev: &[(&str, &str)], cur: &[(&str, &str)], use_: &[&str]) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(&tmp.path().join("prev"), prev);
    write_tree(&tmp.path().join("cur"), cur);
    findings(&run_breaking(tmp.path(), "cur", "prev", use_))
}

const H: &str = "syntax = \"proto3\";\npackage acme.auth.v1;\n";

#[test]
fn passing_changes_are_not_reported() {
    let f = "a/v1/a.proto";
    // As buf 1.75 judges them (tests/fixtures/buf-parity/breaking-type-matrix and
    // -cardinality-matrix hold every pair): int32 -> int64 and int32 -> bool keep the wire but
    // not JSON (64-bit integers are JSON strings); singular -> repeated breaks the wire even for
    // strings.
    let prev = format!("{H}message M {{ int32 a = 1; int32 b = 2; string s = 3; }}\n");
    let cur = format!("{H}message M {{ int64 a = 1; bool b = 2; repeated string s = 3; }}\n");
    let got = diff(&[(f, &prev)], &[(f, &cur)], &["FIELD_WIRE_COMPATIBLE_TYPE"]);
    assert!(got.is_empty(), "{got:?}");
    let got = diff(&[(f, &prev)], &[(f, &cur)], &["FIELD_WIRE_COMPATIBLE_CARDINALITY"]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("with name \"s\""), "{got:?}");
    let got = diff(&[(f, &prev)], &[(f, &cur)], &["FIELD_WIRE_JSON_COMPATIBLE_TYPE"]);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().any(|g| g.contains("changed type from \"int32\" to \"bool\"")), "{got:?}");
    assert!(got.iter().any(|g| g.contains("changed type from \"int32\" to \"int64\"")), "{got:?}");
    // Deleting with both number and name reserved passes every reserved-aware rule.
    let prev =
        format!("{H}message M {{ string id = 1; string email = 2; }}\nenum E {{ E_UNSPECIFIED = 0; E_A = 1; }}\n");
    let cur = format!(
        "{H}message M {{ string id = 1; reserved 2; reserved \"email\"; }}\nenum E {{ E_UNSPECIFIED = 0; reserved 1; reserved \"E_A\"; }}\n"
    );
    let rules = [
        "FIELD_NO_DELETE_UNLESS_NAME_RESERVED",
        "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
        "ENUM_VALUE_NO_DELETE_UNLESS_NAME_RESERVED",
        "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
        "NOVA_REMOVED_FIELD_RESERVED",
    ];
    assert!(diff(&[(f, &prev)], &[(f, &cur)], &rules).is_empty());
    // ...while the FILE set still reports the deletions.
    let got = diff(&[(f, &prev)], &[(f, &cur)], &[]);
    assert_eq!(got.len(), 2, "{got:?}");
    // Merged reserved ranges still cover the old ones.
    let prev = format!("{H}message M {{ reserved 2 to 3; reserved 4; }}\n");
    let cur = format!("{H}message M {{ reserved 2 to 10; }}\n");
    assert!(diff(&[(f, &prev)], &[(f, &cur)], &["RESERVED_MESSAGE_NO_DELETE"]).is_empty());
}

#[test]
fn moving_a_type_between_files_breaks_file_not_package() {
    let prev = [("a/v1/a.proto", &*format!("{H}message A {{}}\nmessage B {{}}\n")), ("a/v1/b.proto", H)];
    let cur = [("a/v1/a.proto", &*format!("{H}message A {{}}\n")), ("a/v1/b.proto", &*format!("{H}message B {{}}\n"))];
    let got = diff(&prev, &cur, &["MESSAGE_NO_DELETE", "PACKAGE_MESSAGE_NO_DELETE"]);
    assert_eq!(
        got,
        vec!["MESSAGE_NO_DELETE a/v1/a.proto:1:1 | Previously present message \"B\" was deleted from file."]
    );
}

#[test]
fn nested_deletions_are_reported_at_the_closest_surviving_parent() {
    let f = "a/v1/a.proto";
    let prev = format!("{H}message Outer {{\n  message Mid {{\n    message Inner {{}}\n  }}\n}}\n");
    let cur = format!("{H}message Outer {{\n  message Mid {{\n  }}\n}}\n");
    let got = diff(&[(f, &prev)], &[(f, &cur)], &["MESSAGE_NO_DELETE"]);
    assert_eq!(
        got,
        vec![
            "MESSAGE_NO_DELETE a/v1/a.proto:4:3 | Previously present message \"Outer.Mid.Inner\" was deleted from file."
        ]
    );
    let cur = format!("{H}message Outer {{\n}}\n");
    let got = diff(&[(f, &prev)], &[(f, &cur)], &["MESSAGE_NO_DELETE"]);
    assert_eq!(got.len(), 2, "{got:?}");
    assert!(got.iter().all(|l| l.contains("a/v1/a.proto:3:1")), "{got:?}");
}

#[test]
fn map_value_type_changes_are_reported_on_the_entry() {
    let f = "a/v1/a.proto";
    let prev = format!("{H}message M {{ map<string, int32> counts = 1; }}\n");
    let cur = format!("{H}message M {{ map<string, string> counts = 1; }}\n");
    let got = diff(&[(f, &prev)], &[(f, &cur)], &[]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("FIELD_SAME_TYPE a/v1/a.proto:3:"), "{got:?}");
    // buf names the entry by its own name.
    assert!(got[0].contains("on message \"CountsEntry\" changed type from \"int32\" to \"string\""), "{got:?}");
    // map <-> repeated entry message is a JSON shape change.
    let cur = format!("{H}message M {{ message E {{ string key = 1; int32 value = 2; }} repeated E counts = 1; }}\n");
    let got = diff(&[(f, &prev)], &[(f, &cur)], &["FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"]);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].contains("from \"map\" to \"repeated\""), "{got:?}");
}

#[test]
fn unstable_packages_ignore_and_severity_come_from_config() {
    let tmp = tempfile::tempdir().unwrap();
    let pa = "syntax = \"proto3\";\npackage a.v1alpha1;\nmessage A { string x = 1; }\n";
    let pb = "syntax = \"proto3\";\npackage b.v1;\nmessage B { string x = 1; }\n";
    let pc = "syntax = \"proto3\";\npackage c.v1;\nmessage C { string x = 1; }\n";
    write_tree(&tmp.path().join("prev"), &[("a/v1alpha1/a.proto", pa), ("b/v1/b.proto", pb), ("c/v1/c.proto", pc)]);
    let strip = |s: &str| s.replace("string x = 1; ", "");
    write_tree(
        &tmp.path().join("cur"),
        &[("a/v1alpha1/a.proto", &strip(pa)), ("b/v1/b.proto", &strip(pb)), ("c/v1/c.proto", &strip(pc))],
    );
    std::fs::write(
        tmp.path().join("nova.toml"),
        "[proto.breaking]\nignore_unstable_packages = true\nignore = [\"b\"]\n[proto.breaking.severity]\nFIELD_NO_DELETE = \"warning\"\n",
    )
    .unwrap();
    let report = run_breaking(tmp.path(), "cur", "prev", &[]);
    let got = findings(&report);
    assert_eq!(got.len(), 1, "{got:?}");
    assert!(got[0].starts_with("FIELD_NO_DELETE c/v1/c.proto:3:1"), "{got:?}");
    assert_eq!(report.diagnostics[0].severity, nova::diagnostics::Severity::Warning);
    assert_eq!(report.exit_code(), 0);
}

#[test]
fn proto_lint_yaml_vocabulary_selects_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let prev = format!("{H}message M {{ int32 a = 1; string b = 2; }}\nservice S {{ rpc X(M) returns (M); }}\n");
    let cur = format!("{H}message M {{ fixed32 a = 1; }}\nservice S {{ }}\n");
    write_tree(&tmp.path().join("prev"), &[("a.proto", &prev)]);
    write_tree(&tmp.path().join("cur"), &[("a.proto", &cur)]);
    std::fs::write(
        tmp.path().join("cur/.proto-lint.yaml"),
        "lint:\n  naming: true\nbreaking:\n  wire-type-change: warning\n  service-method-removal: true\n  field-number-reuse: false\n",
    )
    .unwrap();
    let report = run_breaking(tmp.path(), "cur", "prev", &[]);
    let got = findings(&report);
    assert_eq!(
        got.iter().map(|l| l.split(' ').next().unwrap()).collect::<Vec<_>>(),
        vec!["FIELD_WIRE_COMPATIBLE_TYPE", "RPC_NO_DELETE"],
        "{got:?}"
    );
    // nova.toml's [proto.breaking] wins over the registry file.
    std::fs::write(tmp.path().join("nova.toml"), "[proto.breaking]\nuse = [\"FIELD_NO_DELETE\"]\n").unwrap();
    let got = findings(&run_breaking(tmp.path(), "cur", "prev", &[]));
    assert_eq!(got.len(), 1);
    assert!(got[0].starts_with("FIELD_NO_DELETE "), "{got:?}");
}

// ---------------------------------------------------------------- git

/// Everything a read-only command must leave alone.
fn repo_state(dir: &Path) -> String {
    // Read the index before `git status` could refresh it, and keep status from writing it.
    let git_dir = git(dir, &["rev-parse", "--git-dir"]);
    let index = std::fs::read(dir.join(git_dir.trim()).join("index")).unwrap_or_default();
    format!(
        "{}\n{}\n{}\n{}",
        git(dir, &["--no-optional-locks", "status", "--porcelain", "--ignored"]),
        git(dir, &["show-ref"]),
        git(dir, &["rev-parse", "HEAD"]),
        index.len()
    ) + &format!("{:?}", index)
}

fn nova(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("nova").unwrap();
    c.current_dir(dir).env("NO_COLOR", "1");
    c
}

#[test]
fn git_ref_baseline_reads_objects_and_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    git(repo, &["init", "-q"]);
    write_tree(repo, &[("protos/a/v1/a.proto", &format!("{H}message A {{ string id = 1; string name = 2; }}\n"))]);
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "one"]);
    git(repo, &["tag", "v1"]);
    write_tree(repo, &[("protos/a/v1/a.proto", &format!("{H}message A {{ string id = 1; }}\n"))]);
    git(repo, &["commit", "-qam", "two"]);
    // Uncommitted change in the worktree: the current tree is what is on disk.
    write_tree(repo, &[("protos/a/v1/a.proto", &format!("{H}message A {{ int64 id = 1; }}\n"))]);
    let before = repo_state(repo);
    for against in ["HEAD~1", "v1", "main~1"] {
        let out = nova(repo).args(["proto", "breaking", ".", "--against", against]).assert().code(1);
        let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
        assert!(text.contains("error[FIELD_NO_DELETE]"), "{text}");
        assert!(text.contains("--> protos/a/v1/a.proto:3:1"), "{text}");
        assert!(text.contains("changed type from \"string\" to \"int64\""), "{text}");
    }
    // Against HEAD only the uncommitted type change is new.
    let out = nova(repo).args(["proto", "breaking", "--against", "HEAD", "--format", "json", "."]).assert().code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rules: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, vec!["FIELD_SAME_TYPE"]);
    // --subdir points into the tree explicitly, from another directory.
    std::fs::create_dir_all(repo.join("elsewhere")).unwrap();
    nova(&repo.join("elsewhere"))
        .args(["proto", "breaking", "../protos", "--against", "HEAD", "--subdir", "protos"])
        .assert()
        .code(1);
    assert_eq!(before, repo_state(repo), "worktree, index or refs changed");
    // A ref that does not exist: exit 2, clear message.
    let out = nova(repo).args(["proto", "breaking", ".", "--against", "nope-branch"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("git ref `nope-branch` not found"), "{err}");
    assert_eq!(before, repo_state(repo));
}

#[test]
fn shallow_clone_missing_ref_says_to_fetch() {
    let tmp = tempfile::tempdir().unwrap();
    let origin = tmp.path().join("origin");
    std::fs::create_dir_all(&origin).unwrap();
    git(&origin, &["init", "-q"]);
    write_tree(&origin, &[("a.proto", &format!("{H}message A {{}}\n"))]);
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "-qm", "one"]);
    write_tree(&origin, &[("a.proto", &format!("{H}message A {{ string x = 1; }}\n"))]);
    git(&origin, &["commit", "-qam", "two"]);
    let url = format!("file://{}", origin.display());
    git(tmp.path(), &["clone", "-q", "--depth", "1", &url, "shallow"]);
    let clone = tmp.path().join("shallow");
    let out = nova(&clone).args(["proto", "breaking", ".", "--against", "HEAD~1"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("shallow clone") && err.contains("fetch-depth: 0"), "{err}");
}

#[test]
fn baseline_that_does_not_compile_is_an_input_error() {
    let tmp = tempfile::tempdir().unwrap();
    write_tree(&tmp.path().join("prev"), &[("a.proto", "syntax = \"proto3\";\nmessage A {\n  int32 = 1;\n}\n")]);
    write_tree(&tmp.path().join("cur"), &[("a.proto", "syntax = \"proto3\";\nmessage A {}\n")]);
    let out = nova(tmp.path()).args(["proto", "breaking", "cur", "--against", "prev"]).assert().code(2);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("baseline prev does not compile"), "{text}");
    assert!(text.contains("prev:a.proto:3:"), "{text}");
    // A current path that is a file.
    nova(tmp.path()).args(["proto", "breaking", "cur/a.proto", "--against", "prev"]).assert().code(2);
}

// ---------------------------------------------------------------- nova proto check

/// A registry file that is clean under STANDARD lint (`proto check` lints the registry too).
const USERS_V1: &str = "syntax = \"proto3\";\npackage user.v1;\n\nmessage User {\n  string id = 1;\n  string email = 2;\n  string name = 3;\n}\n\nmessage GetUserRequest {\n  string id = 1;\n}\n\nmessage GetUserResponse {\n  User user = 1;\n}\n\nservice UserService {\n  rpc GetUser(GetUserRequest) returns (GetUserResponse);\n}\n";

/// A registry repository and a superproject that has it as the `nova-protos` submodule, with
/// a service that carries a diverged copy of the registry proto and compiles it in build.rs.
fn superproject_with_submodule(tmp: &Path) -> PathBuf {
    let origin = tmp.join("registry-origin");
    std::fs::create_dir_all(&origin).unwrap();
    git(&origin, &["init", "-q"]);
    write_tree(
        &origin,
        &[
            ("protos/user/v1/users.proto", USERS_V1),
            ("CHANGELOG.md", "# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2026-01-10\n- initial\n"),
        ],
    );
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "-qm", "registry 1.2.0"]);
    let sup = tmp.join("super");
    std::fs::create_dir_all(&sup).unwrap();
    git(&sup, &["init", "-q"]);
    let url = format!("file://{}", origin.display());
    git(&sup, &["submodule", "add", "-q", &url, "nova-protos"]);
    write_tree(
        &sup,
        &[
            (
                "services/user-service/proto/users.proto",
                "syntax = \"proto3\";\npackage user.v1;\n\nmessage User {\n  string id = 1;\n  int64 email = 2;\n  string name = 3;\n  string nickname = 4;\n}\n",
            ),
            (
                "services/user-service/build.rs",
                "fn main() -> Result<(), Box<dyn std::error::Error>> {\n    tonic_build::configure()\n        .compile(&[\"proto/users.proto\"], &[\"proto\"])?;\n    Ok(())\n}\n",
            ),
        ],
    );
    git(&sup, &["add", "-A"]);
    git(&sup, &["commit", "-qm", "superproject"]);
    sup
}

/// On a PR-like branch, change the registry in the submodule and move the pointer.
fn pr_moves_submodule(sup: &Path, proto: &str, changelog: &str) {
    git(sup, &["checkout", "-qb", "pr"]);
    let sub = sup.join("nova-protos");
    write_tree(&sub, &[("protos/user/v1/users.proto", proto), ("CHANGELOG.md", changelog)]);
    git(&sub, &["commit", "-qam", "registry change"]);
    git(sup, &["add", "nova-protos"]);
    git(sup, &["commit", "-qm", "bump registry"]);
}

fn snapshot_filters() -> Vec<(&'static str, &'static str)> {
    vec![(r"@[0-9a-f]{10}", "@<sha>")]
}

#[test]
fn check_on_submodule_registry_reports_all_kinds_of_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let sup = superproject_with_submodule(tmp.path());
    let proto = USERS_V1
        .replace("  string name = 3;\n", "")
        .replace("}\n\nservice", "}\n\nmessage Session {\n  string token = 1;\n  string deviceId = 2;\n}\n\nservice");
    pr_moves_submodule(
        &sup,
        &proto,
        "# Changelog\n\n## [1.3.0] - 2026-02-01\n- drop name\n\n## [1.2.0] - 2026-01-10\n",
    );
    let before = (repo_state(&sup), repo_state(&sup.join("nova-protos")));
    let human = nova(&sup).args(["proto", "check"]).assert().code(1);
    let human = String::from_utf8_lossy(&human.get_output().stdout).to_string();
    let json = nova(&sup).args(["proto", "check", "--format", "json"]).assert().code(1);
    let json: serde_json::Value = serde_json::from_slice(&json.get_output().stdout).unwrap();
    assert_eq!(before, (repo_state(&sup), repo_state(&sup.join("nova-protos"))), "check changed git state");
    let rules: Vec<&str> =
        json["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    for r in [
        "FIELD_LOWER_SNAKE_CASE",
        "FIELD_NO_DELETE",
        "SEMVER_BUMP_TOO_SMALL",
        "PROTO_DRIFT_DIVERGED",
        "PROTO_DRIFT_BUILD_RS",
    ] {
        assert!(rules.contains(&r), "{r} missing in {rules:?}");
    }
    assert_eq!(json["semver"]["suggested_version"], "2.0.0");
    assert_eq!(json["registry"]["kind"], "submodule");
    insta::with_settings!({ filters => snapshot_filters() }, {
        insta::assert_snapshot!("proto_check_human", human);
        insta::assert_json_snapshot!("proto_check_json", json);
    });
}

#[test]
fn check_passes_with_a_big_enough_bump_and_zero_x_rules() {
    let tmp = tempfile::tempdir().unwrap();
    let sup = superproject_with_submodule(tmp.path());
    std::fs::remove_dir_all(sup.join("services")).unwrap();
    git(&sup, &["commit", "-qam", "no services"]);
    // Additive change released as a minor bump: clean.
    let proto = USERS_V1.replace("  string name = 3;\n", "  string name = 3;\n  string phone = 4;\n");
    pr_moves_submodule(&sup, &proto, "## [1.3.0] - 2026-02-01\n");
    let out = nova(&sup).args(["proto", "check", "--format", "json"]).assert().code(0);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(v["semver"]["change"], "minor");
    assert_eq!(v["semver"]["added"][0], "field `user.v1.User.phone` = 4");
    assert!(v["diagnostics"].as_array().unwrap().is_empty(), "{v}");
    // --base names the base explicitly.
    nova(&sup).args(["proto", "check", "--base", "main"]).assert().code(0);
}

#[test]
fn check_on_plain_directory_registry() {
    let tmp = tempfile::tempdir().unwrap();
    let sup = tmp.path();
    git(sup, &["init", "-q"]);
    write_tree(
        sup,
        &[
            ("registry/protos/user/v1/users.proto", USERS_V1),
            ("registry/VERSION", "0.4.1\n"),
            ("nova.toml", "[proto]\nregistry = \"registry\"\n"),
        ],
    );
    git(sup, &["add", "-A"]);
    git(sup, &["commit", "-qm", "one"]);
    // Uncommitted: a breaking change, version bumped by a patch only (0.x needs a minor).
    write_tree(
        sup,
        &[
            ("registry/protos/user/v1/users.proto", &USERS_V1.replacen("string id = 1", "int64 id = 1", 1)),
            ("registry/VERSION", "0.4.2\n"),
        ],
    );
    let before = repo_state(sup);
    let out = nova(sup).args(["proto", "check", "--format", "json"]).assert().code(1);
    assert_eq!(before, repo_state(sup));
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rules: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, vec!["SEMVER_BUMP_TOO_SMALL", "FIELD_SAME_TYPE"], "{v}");
    assert_eq!(v["diagnostics"][0]["path"], "registry/VERSION");
    assert_eq!(v["diagnostics"][1]["path"], "registry/protos/user/v1/users.proto");
    assert_eq!(v["diagnostics"][1]["line"], 5);
    assert_eq!(v["semver"]["suggested_version"], "0.5.0");
    assert_eq!(v["registry"]["kind"], "directory");
}

#[test]
fn check_bad_input_is_exit_2_with_clear_messages() {
    // Uninitialised submodule.
    let tmp = tempfile::tempdir().unwrap();
    let sup = superproject_with_submodule(tmp.path());
    let url = format!("file://{}", sup.display());
    git(tmp.path(), &["clone", "-q", &url, "clone"]);
    let clone = tmp.path().join("clone");
    let out = nova(&clone).args(["proto", "check"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("not initialised") && err.contains("git submodule update --init"), "{err}");

    // Submodule commit missing from the submodule's object store.
    let oid = "0123456789abcdef0123456789abcdef01234567";
    git(&sup, &["update-index", "--cacheinfo", &format!("160000,{oid},nova-protos")]);
    git(&sup, &["commit", "-qm", "pointer to a missing commit"]);
    git(&sup, &["checkout", "-q", "-b", "pr"]);
    let out = nova(&sup).args(["proto", "check", "--base", "main"]).assert().code(2);
    let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(err.contains("0123456789") && err.contains("missing from the submodule's object store"), "{err}");

    // A base ref that does not exist.
    let out = nova(&sup).args(["proto", "check", "--base", "no-such-ref"]).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("git ref `no-such-ref` not found"));

    // A registry path that is a file.
    let t2 = tempfile::tempdir().unwrap();
    git(t2.path(), &["init", "-q"]);
    write_tree(t2.path(), &[("reg.txt", "x"), ("nova.toml", "[proto]\nregistry = \"reg.txt\"\n")]);
    let out = nova(t2.path()).args(["proto", "check"]).assert().code(2);
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("is a file, not a directory"));
}

#[test]
fn corrupt_changelog_version_is_exit_2_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let sup = tmp.path();
    git(sup, &["init", "-q"]);
    write_tree(
        sup,
        &[("nova-protos/protos/user/v1/users.proto", USERS_V1), ("nova-protos/CHANGELOG.md", "## [1.0.0]\n")],
    );
    git(sup, &["add", "-A"]);
    git(sup, &["commit", "-qm", "one"]);
    write_tree(sup, &[("nova-protos/CHANGELOG.md", "# Changelog\n## [1.1] - soon\n")]);
    let before = repo_state(sup);
    let out = nova(sup).args(["proto", "check"]).assert().code(2);
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("`1.1` is not a semantic version"), "{text}");
    assert!(text.contains("nova-protos/CHANGELOG.md:2:1"), "{text}");
    assert_eq!(before, repo_state(sup));
}

#[test]
fn old_rule_names_and_default_map_to_v2_ids() {
    let f = "a.proto";
    let prev = format!("{H}message M {{ string a = 1; bytes b = 2; }}\n");
    let cur = format!("{H}message M {{ repeated string a = 1; bytes b = 2; }}\n");
    let got = diff(&[(f, &prev)], &[(f, &cur)], &["FIELD_SAME_LABEL"]);
    let rules: Vec<&str> = got.iter().map(|l| l.split(' ').next().unwrap()).collect();
    // string -> repeated string: all three cardinality rules (as buf 1.75).
    assert_eq!(
        rules,
        vec!["FIELD_SAME_CARDINALITY", "FIELD_WIRE_COMPATIBLE_CARDINALITY", "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"],
        "{got:?}"
    );
    let got = diff(&[(f, &prev)], &[(f, &cur)], &["DEFAULT"]);
    assert_eq!(got.len(), 1, "{got:?}");
}

#[test]
fn against_registry_and_identical_or_subset_copies() {
    let tmp = tempfile::tempdir().unwrap();
    let sup = tmp.path();
    git(sup, &["init", "-q"]);
    let older = USERS_V1.replace("  string name = 3;\n", "");
    write_tree(
        sup,
        &[
            ("nova-protos/protos/user/v1/users.proto", USERS_V1),
            ("svc-a/proto/user/v1/users.proto", USERS_V1),
            ("svc-b/proto/users.proto", &older),
            (
                "svc-b/build.rs",
                "fn main() {\n    // keeps the local copy\n    prost_build::compile_protos(&[\"proto/users.proto\"], &[\"proto\"]).unwrap();\n}\n",
            ),
            ("svc-c/proto/other.proto", "syntax = \"proto3\";\npackage other.v1;\nmessage Other {}\n"),
            ("target/proto/users.proto", USERS_V1),
        ],
    );
    git(sup, &["add", "-A"]);
    git(sup, &["commit", "-qm", "one"]);
    write_tree(sup, &[("nova-protos/protos/user/v1/users.proto", &USERS_V1.replace("rpc GetUser", "rpc FetchUser"))]);
    // `--against registry` uses the registry's baseline (the directory at main).
    let out = nova(sup).args(["proto", "breaking", "--against", "registry", "--format", "json"]).assert().code(1);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let rules: Vec<&str> = v["diagnostics"].as_array().unwrap().iter().map(|d| d["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, vec!["RPC_NO_DELETE"], "{v}");
    // Drift: svc-a is identical, svc-b an older subset compiled from build.rs, svc-c and target/
    // are not copies. Warnings only: exit 0.
    write_tree(sup, &[("nova-protos/protos/user/v1/users.proto", USERS_V1)]);
    let out = nova(sup).args(["proto", "check", "--format", "json"]).assert().code(0);
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let drift: Vec<(String, String)> = v["drift"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["copy"].as_str().unwrap().to_string(), d["status"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        drift,
        vec![
            ("svc-a/proto/user/v1/users.proto".to_string(), "identical".to_string()),
            ("svc-b/proto/users.proto".to_string(), "subset".to_string())
        ]
    );
    let found: Vec<String> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {}:{}", d["rule"].as_str().unwrap(), d["path"].as_str().unwrap(), d["line"]))
        .collect();
    assert_eq!(
        found,
        vec![
            "PROTO_DRIFT_COPY svc-a/proto/user/v1/users.proto:1",
            "PROTO_DRIFT_BUILD_RS svc-b/build.rs:3",
            "PROTO_DRIFT_COPY svc-b/proto/users.proto:1",
        ],
        "{v}"
    );
}

/// `nova proto check` follows the registry's buf.yaml on both sides, as `buf breaking` does
/// (checked with buf 1.75: `buf breaking --against .git#ref=HEAD` exits 0 here): a module's
/// `excludes` are out of lint *and* of the comparison, and the rest is still compared.
#[test]
fn check_follows_buf_excludes_on_both_sides() {
    let tmp = tempfile::tempdir().unwrap();
    let sup = tmp.path();
    git(sup, &["init", "-q"]);
    let legacy =
        "syntax = \"proto3\";\npackage legacy.v1;\nmessage old_thing {\n  string id = 1;\n  string name = 2;\n}\n";
    write_tree(
        sup,
        &[
            ("registry/buf.yaml", "version: v2\nmodules:\n  - path: protos\n    excludes: [protos/legacy]\n"),
            ("registry/protos/user/v1/users.proto", USERS_V1),
            ("registry/protos/legacy/v1/old.proto", legacy),
            ("nova.toml", "[proto]\nregistry = \"registry\"\n"),
        ],
    );
    git(sup, &["add", "-A"]);
    git(sup, &["commit", "-qm", "one"]);
    let found = |code: i32| -> Vec<String> {
        let out = nova(sup).args(["proto", "check", "--base", "HEAD", "--format", "json"]).assert().code(code);
        let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
        v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("{} {}", d["rule"].as_str().unwrap(), d["path"].as_str().unwrap_or("-")))
            .collect()
    };
    // A field deleted in the excluded file: neither linted (its message name is not PascalCase)
    // nor compared.
    write_tree(sup, &[("registry/protos/legacy/v1/old.proto", &legacy.replace("  string name = 2;\n", ""))]);
    assert_eq!(found(0), Vec::<String>::new());
    // A field deleted in the module proper is found.
    write_tree(sup, &[("registry/protos/user/v1/users.proto", &USERS_V1.replace("  string name = 3;\n", ""))]);
    let f = found(1);
    assert!(f.contains(&"FIELD_NO_DELETE registry/protos/user/v1/users.proto".to_string()), "{f:?}");
    assert!(!f.iter().any(|x| x.contains("legacy")), "{f:?}");
}
