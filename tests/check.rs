//! `nova check`, `nova init`, and the bundled data they run on: the `nova-protos/` registry and
//! the `examples/backend/` with its documented, deliberate problems.
mod common;

use assert_cmd::Command;
use common::{copy_dir, git, repo_root as repo};
use nova::proto::descriptor::{DescriptorProto, FileDescriptorProto};
use nova::proto::loader::{ProtoSet, compile};
use predicates::prelude::*;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn nova() -> Command {
    let mut c = Command::cargo_bin("nova").unwrap();
    c.env("NO_COLOR", "1");
    c
}

fn compile_dir(root: &Path, import_root: &Path) -> nova::proto::loader::Compiled {
    let set = ProtoSet::from_disk(root, &[import_root.to_path_buf()]).unwrap();
    compile(&set)
}

fn walk_messages<'a>(msgs: &'a [DescriptorProto], prefix: &str, out: &mut Vec<(String, &'a DescriptorProto)>) {
    for m in msgs {
        let name = format!("{prefix}.{}", m.name());
        walk_messages(&m.nested_type, &name, out);
        out.push((name, m));
    }
}

fn messages(f: &FileDescriptorProto) -> Vec<(String, &DescriptorProto)> {
    let mut out = Vec::new();
    walk_messages(&f.message_type, f.package(), &mut out);
    out
}

// ---------------------------------------------------------------------------------------------
// The registry's data follows its own SCHEMA.md (independent of the lint rules, which are
// tested by their owners): this guards the example every other checker's tests run on.

#[test]
fn registry_compiles_with_its_config() {
    let reg = repo().join("nova-protos");
    let loaded = nova::config::load_file(&reg.join("nova.toml")).unwrap();
    assert_eq!(loaded.config.proto.registry, Some(PathBuf::from(".")));
    assert_eq!(loaded.config.proto.roots, vec![PathBuf::from("protos")]);
    for rule in ["NOVA_FIELD_NUMBER_RANGE", "NOVA_PACKAGE_VERSIONED"] {
        assert_eq!(loaded.config.proto.lint.severity.get(rule), Some(&nova::diagnostics::Level::Error), "{rule}");
    }
    assert_eq!(
        loaded.config.proto.breaking.severity.get("NOVA_REMOVED_FIELD_RESERVED"),
        Some(&nova::diagnostics::Level::Error)
    );
    let c = compile_dir(&reg, &reg.join("protos"));
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.files.len(), 9);
    let services: usize = c.files.values().map(|f| f.service.len()).sum();
    assert!(services >= 5, "{services} services");
    let imports: BTreeSet<&str> = c.files.values().flat_map(|f| f.dependency.iter().map(String::as_str)).collect();
    for wkt in ["timestamp", "empty", "field_mask", "duration"] {
        assert!(imports.contains(format!("google/protobuf/{wkt}.proto").as_str()), "{wkt} is imported");
    }
    assert!(imports.contains("user/v1/users.proto") && imports.contains("common/v1/common.proto"));
}

#[test]
fn registry_follows_its_schema_rules() {
    let reg = repo().join("nova-protos");
    let c = compile_dir(&reg, &reg.join("protos"));
    let version = regex::Regex::new(r"^[a-z][a-z0-9_]*\.v[0-9]+$").unwrap();
    let mut reserved_somewhere = 0;
    for (name, f) in &c.files {
        let pkg = f.package();
        assert!(version.is_match(pkg), "{name}: package {pkg}");
        let dir = pkg.replace('.', "/");
        assert!(name.starts_with(&format!("{dir}/")), "{name} is in the directory of {pkg}");
        for (msg, m) in messages(f) {
            for field in &m.field {
                let n = field.number();
                assert!((1..=299).contains(&n), "{msg}.{} = {n} is outside 1-299", field.name());
            }
            reserved_somewhere += m.reserved_range.len();
            // A gap inside a block of numbers is a removed field: it must be reserved.
            let mut nums: Vec<i32> = m.field.iter().map(|f| f.number()).collect();
            nums.extend(m.reserved_range.iter().flat_map(|r| r.start()..r.end()));
            nums.sort();
            for w in nums.windows(2) {
                assert!(w[1] == w[0] + 1 || w[1] / 100 != w[0] / 100, "{msg}: gap between {} and {}", w[0], w[1]);
            }
        }
        for e in &f.enum_type {
            assert!(e.value[0].name().ends_with("_UNSPECIFIED") && e.value[0].number() == 0, "{}", e.name());
        }
        for s in &f.service {
            for m in &s.method {
                assert_eq!(m.input_type(), format!(".{pkg}.{}Request", m.name()));
                assert_eq!(m.output_type(), format!(".{pkg}.{}Response", m.name()));
            }
        }
    }
    assert!(reserved_somewhere >= 3, "removed fields are reserved");
}

#[test]
fn registry_changelog_has_released_versions() {
    let text = std::fs::read_to_string(repo().join("nova-protos/CHANGELOG.md")).unwrap();
    let re = regex::Regex::new(r"(?m)^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$").unwrap();
    let versions: Vec<semver::Version> =
        re.captures_iter(&text).map(|c| semver::Version::parse(&c[1]).unwrap()).collect();
    assert_eq!(versions.first().map(ToString::to_string).as_deref(), Some("1.2.0"));
    assert!(versions.windows(2).all(|w| w[0] > w[1]), "newest first: {versions:?}");
    assert!(text.contains("## [Unreleased]"));
}

#[test]
fn proto_lint_yaml_uses_the_registry_vocabulary() {
    let text = std::fs::read_to_string(repo().join("nova-protos/.proto-lint.yaml")).unwrap();
    let y: serde_yaml_ng::Value = serde_yaml_ng::from_str(&text).unwrap();
    let rules = y["rules"].as_mapping().unwrap();
    for r in [
        "field-number-reuse",
        "wire-type-change",
        "required-to-optional",
        "new-required-field",
        "service-method-removal",
    ] {
        assert_eq!(rules.get(r).and_then(|v| v.as_str()), Some("error"), "{r}");
    }
}

// ---------------------------------------------------------------------------------------------
// The example backend: its documented problems are real and its docs point at real lines.

#[test]
fn example_drifted_copy_really_conflicts_with_the_registry() {
    let reg = repo().join("nova-protos");
    let registry = compile_dir(&reg, &reg.join("protos"));
    let svc = repo().join("examples/backend/services/content-service");
    let copy = compile_dir(&svc, &svc.join("proto"));
    assert!(copy.errors.is_empty(), "{:?}", copy.errors);
    let field = |c: &nova::proto::loader::Compiled, file: &str, n: i32| {
        let f = &c.files[file];
        let user = f.message_type.iter().find(|m| m.name() == "User").unwrap();
        user.field.iter().find(|x| x.number() == n).map(|x| (x.name().to_string(), x.r#type()))
    };
    let (reg_name, reg_type) = field(&registry, "user/v1/users.proto", 6).unwrap();
    let (copy_name, copy_type) = field(&copy, "users.proto", 6).unwrap();
    assert_eq!(copy.files["users.proto"].package(), "user.v1", "the copy claims the registry's package");
    assert_ne!(reg_name, copy_name);
    assert_ne!(reg_type, copy_type);
    assert!(field(&registry, "user/v1/users.proto", 4).is_none(), "4 is reserved in the registry");
    assert!(field(&copy, "users.proto", 4).is_some());
}

/// Rows of the problem table: (file, candidate lines).
fn documented_problems() -> Vec<(String, Vec<usize>)> {
    let text = std::fs::read_to_string(repo().join("docs/example-backend.md")).unwrap();
    let row = regex::Regex::new(r"^\| \d+ \| [^|]+ \| (.+?) \|").unwrap();
    let loc = regex::Regex::new(r"`([^`:]+):(\d+)`|line (\d+)|lines (\d+) and (\d+)").unwrap();
    let mut out = Vec::new();
    for l in text.lines() {
        let Some(c) = row.captures(l) else { continue };
        let mut file = None;
        let mut lines = Vec::new();
        for m in loc.captures_iter(&c[1]) {
            if let (Some(f), Some(n)) = (m.get(1), m.get(2)) {
                file = Some(f.as_str().to_string());
                lines.push(n.as_str().parse().unwrap());
            }
            for g in [3, 4, 5] {
                if let Some(n) = m.get(g) {
                    lines.push(n.as_str().parse().unwrap());
                }
            }
        }
        out.push((file.expect("every row names a file"), lines));
    }
    out
}

#[test]
fn example_docs_point_at_real_lines_and_the_readme_agrees() {
    let rows = documented_problems();
    assert_eq!(rows.len(), 25);
    let base = repo().join("examples/backend");
    for (file, lines) in &rows {
        let text = std::fs::read_to_string(base.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let all: Vec<&str> = text.lines().collect();
        for &n in lines {
            assert!(n >= 1 && n <= all.len() && !all[n - 1].trim().is_empty(), "{file}:{n} is not a line of code");
        }
    }
    let doc = std::fs::read_to_string(repo().join("docs/example-backend.md")).unwrap();
    let readme = std::fs::read_to_string(base.join("README.md")).unwrap();
    let table = |t: &str| t.lines().filter(|l| l.starts_with("| ")).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(table(&doc), table(&readme));
}

#[test]
fn example_backend_is_not_part_of_novas_build() {
    let out = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--no-deps", "--format-version", "1", "--offline"])
        .current_dir(repo())
        .output()
        .unwrap();
    assert!(out.status.success());
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(meta["packages"].as_array().unwrap().len(), 1);
    for t in meta["packages"][0]["targets"].as_array().unwrap() {
        assert!(!t["src_path"].as_str().unwrap().contains("/examples/"), "{t}");
        assert!(t["kind"].as_array().unwrap().iter().all(|k| k != "example"), "{t}");
    }
}

// ---------------------------------------------------------------------------------------------
// CLI behaviour that does not depend on the checkers.

#[test]
fn unknown_checker_names_exit_2() {
    nova()
        .current_dir(repo().join("examples/backend"))
        .args(["check", "--only", "proto,lint"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown checker `lint` in --only"));
    nova()
        .args(["check", "examples/backend", "--skip", "sql"])
        .current_dir(repo())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("checkers are: proto, migrations, wiring, k8s"));
}

#[test]
fn nothing_to_check_is_a_usage_error_in_every_format() {
    let d = tempfile::tempdir().unwrap();
    nova().current_dir(d.path()).arg("check").assert().code(2).stderr(predicate::str::contains("nothing to check"));
    let out = nova().current_dir(d.path()).args(["check", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["diagnostics"][0]["severity"], "error");
    nova()
        .current_dir(d.path())
        .args(["check", "missing-dir"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a directory"));
}

#[test]
fn changed_since_outside_git_is_a_usage_error() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    nova()
        .current_dir(d.path())
        .args(["check", "--changed-since", "main"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not inside a git repository"));
}

fn copy_example(to: &Path) {
    copy_dir(&repo().join("examples/backend"), to);
}

#[test]
fn init_writes_a_loadable_config_and_never_overwrites_without_force() {
    let d = tempfile::tempdir().unwrap();
    copy_example(d.path());
    std::fs::remove_file(d.path().join("nova.toml")).unwrap();
    nova().current_dir(d.path()).arg("init").assert().success().stdout("created nova.toml\n");
    let loaded = nova::config::load_file(&d.path().join("nova.toml")).unwrap();
    assert_eq!(loaded.config.migrations.dirs, vec![PathBuf::from("migrations")]);
    assert!(loaded.has_section("wiring") && !loaded.has_section("proto"));

    // Same contents again: nothing to do, not a conflict.
    nova().current_dir(d.path()).arg("init").assert().success().stdout("unchanged nova.toml\n");

    std::fs::write(d.path().join("nova.toml"), "# hand-written\n").unwrap();
    nova()
        .current_dir(d.path())
        .args(["init", "--ci", "github"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nova.toml already exist(s)").and(predicate::str::contains("--force")));
    assert_eq!(std::fs::read_to_string(d.path().join("nova.toml")).unwrap(), "# hand-written\n");
    assert!(!d.path().join(".github").exists(), "a conflict writes nothing at all");

    nova()
        .current_dir(d.path())
        .args(["init", "--dry-run"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("would overwrite nova.toml\n--- nova.toml ---\n# nova configuration"));
    assert_eq!(std::fs::read_to_string(d.path().join("nova.toml")).unwrap(), "# hand-written\n");

    nova()
        .args(["init", "--force", "--ci", "github", "--nova-git", "https://github.com/acme/nova"])
        .arg(d.path())
        .assert()
        .success()
        .stdout("overwrote nova.toml\ncreated .github/workflows/nova.yml\n");
    let wf = std::fs::read_to_string(d.path().join(".github/workflows/nova.yml")).unwrap();
    assert!(wf.contains(&format!("uses: acme/nova@v{}", env!("CARGO_PKG_VERSION"))), "{wf}");
    assert!(!wf.contains("cargo install"), "the action installs a prebuilt binary: {wf}");
    // nova.toml is unchanged; the GitLab job is added.
    nova()
        .args(["init", "--ci", "gitlab", "--nova-git", "https://github.com/acme/nova"])
        .arg(d.path())
        .assert()
        .success()
        .stdout("unchanged nova.toml\ncreated .gitlab-ci.yml\n");
    nova().args(["init", "--ci", "jenkins"]).arg(d.path()).assert().code(2);
}

#[test]
fn init_on_the_repository_root_finds_the_registry() {
    let d = tempfile::tempdir().unwrap();
    let out = nova().args(["init", "--dry-run"]).arg(repo()).current_dir(d.path()).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("registry = \"nova-protos\""), "{text}");
    assert!(text.contains("dirs = [\"examples/backend/migrations\""), "{text}");
    assert!(text.contains("services/content-service/proto"), "the drifted copy is named: {text}");
}

// ---------------------------------------------------------------------------------------------
// End to end over the example backend with the real checkers (proto check, migrations, wiring).

fn example_json() -> serde_json::Value {
    let out = nova().args(["check", "examples/backend", "--format", "json"]).current_dir(repo()).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn example_backend_reports_every_documented_problem_and_nothing_in_the_clean_parts() {
    let v = example_json();
    let diags = v["diagnostics"].as_array().unwrap();
    let at: BTreeSet<(String, usize)> =
        diags.iter().filter_map(|d| Some((d["path"].as_str()?.to_string(), d["line"].as_u64()? as usize))).collect();
    for (file, lines) in documented_problems() {
        assert!(lines.iter().any(|n| at.contains(&(file.clone(), *n))), "no finding at {file}:{lines:?}; got {at:?}");
    }
    for d in diags {
        let p = d["path"].as_str().unwrap_or("");
        assert!(!p.starts_with("services/user-service/") && !p.starts_with("libs/"), "false positive: {d}");
        assert_ne!(d["severity"], "info", "{d}");
    }
    let checks = v["checks"].as_array().unwrap();
    assert!(checks.iter().all(|c| c["status"] == "errors" || c["status"] == "warnings"), "{checks:?}");
}

/// Values that depend on the surrounding checkout rather than on the example: how many files the
/// proto checker's superproject walk saw (and dropped as outside the example), the baseline ref.
fn stable(mut v: serde_json::Value) -> serde_json::Value {
    for c in v["checks"].as_array_mut().unwrap() {
        let c = c.as_object_mut().unwrap();
        c.remove("files");
        c.remove("outside_root");
    }
    v["summary"].as_object_mut().unwrap().remove("files");
    if let Some(r) = v.get_mut("registry").and_then(|r| r.as_object_mut()) {
        r.remove("base");
        r.remove("baseline");
    }
    v
}

#[test]
fn example_backend_json_snapshot() {
    insta::assert_json_snapshot!("example_backend_json", stable(example_json()));
}

#[test]
fn example_backend_human_snapshot() {
    let out = nova().args(["check", "examples/backend"]).current_dir(repo()).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::with_settings!({filters => vec![
        (r"in \d+ files", "in [N] files"),
        (r" \(\d+ about files outside the checked tree not shown\)", ""),
    ]}, {
        insta::assert_snapshot!("example_backend_human", String::from_utf8_lossy(&out.stdout));
    });
}

#[test]
fn example_backend_only_and_skip_partition_the_findings() {
    let all = example_json()["diagnostics"].as_array().unwrap().len();
    let count = |args: &[&str]| {
        let out = nova()
            .args(["check", "examples/backend", "--format", "json"])
            .args(args)
            .current_dir(repo())
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        v["diagnostics"].as_array().unwrap().len()
    };
    let parts = count(&["--only", "proto"])
        + count(&["--only", "migrations"])
        + count(&["--only", "wiring"])
        + count(&["--only", "k8s"]);
    assert_eq!(parts, all);
    assert_eq!(count(&["--skip", "wiring"]), count(&["--only", "proto,migrations,k8s"]));
}

#[test]
fn bundled_registry_is_clean() {
    nova().args(["proto", "lint"]).current_dir(repo().join("nova-protos")).assert().success();
}

// ---------------------------------------------------------------------------------------------
// pre-commit hooks of the nova repository.

#[test]
fn pre_commit_hooks_name_real_commands_and_match_their_files() {
    let text = std::fs::read_to_string(repo().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<serde_yaml_ng::Value> = serde_yaml_ng::from_str(&text).unwrap();
    let cases = [
        ("nova-proto-check", "nova-protos/protos/user/v1/users.proto", "src/main.rs"),
        ("nova-migrations-check", "backend/migrations/0070_soft_delete.sql", "README.md"),
        ("nova-wiring-check", "services/user-service/src/main.rs", "migrations/0001_init.sql"),
        ("nova-check", "services/user-service/Cargo.toml", "docs/notes.txt"),
    ];
    for (id, hit, miss) in cases {
        let h = hooks.iter().find(|h| h["id"].as_str() == Some(id)).unwrap_or_else(|| panic!("hook {id}"));
        assert_eq!(h["pass_filenames"].as_bool(), Some(false), "{id}");
        assert!(matches!(h["language"].as_str(), Some("rust" | "system")), "{id}");
        let files = regex::Regex::new(h["files"].as_str().unwrap()).unwrap();
        assert!(files.is_match(hit), "{id} runs for {hit}");
        assert!(!files.is_match(miss), "{id} does not run for {miss}");
        let entry: Vec<&str> = h["entry"].as_str().unwrap().split_whitespace().collect();
        assert_eq!(entry[0], "nova");
        nova().args(&entry[1..]).arg("--help").assert().success();
    }
    // `nova check` runs all three checkers: its hook runs whenever one of theirs would.
    let files = |id: &str| {
        let h = hooks.iter().find(|h| h["id"].as_str() == Some(id)).unwrap();
        regex::Regex::new(h["files"].as_str().unwrap()).unwrap()
    };
    let all = files("nova-check");
    let samples = [
        "nova-protos/protos/a/v1/a.proto",
        "nova-protos/.proto-lint.yaml",
        "nova-protos/VERSION",
        "nova-protos/CHANGELOG.md",
        ".gitmodules",
        "nova-protos/buf.yaml",
        "buf.work.yaml",
        "services/a/build.rs",
        "services/a/Cargo.toml",
        "services/a/src/lib.rs",
        "migrations/0001_init.sql",
        "nova.toml",
        "backend/nova.toml",
    ];
    for id in ["nova-proto-check", "nova-migrations-check", "nova-wiring-check"] {
        let part = files(id);
        for s in samples.iter().filter(|s| part.is_match(s)) {
            assert!(all.is_match(s), "{id} runs for {s}, nova-check does not");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Read-only guarantee: `nova check` (with a git baseline) and `nova init --dry-run` change
// nothing: not the worktree, the index, the refs, nor any file's mtime.

fn snapshot(root: &Path) -> Vec<(String, u64, std::time::SystemTime)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(root).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let m = e.metadata().unwrap();
            let bytes = std::fs::read(e.path()).unwrap();
            let hash = bytes.iter().fold(0xcbf29ce484222325u64, |h, b| (h ^ *b as u64).wrapping_mul(0x100000001b3));
            out.push((e.path().strip_prefix(root).unwrap().display().to_string(), hash, m.modified().unwrap()));
        }
    }
    out
}

#[test]
fn check_and_init_dry_run_are_read_only() {
    let d = tempfile::tempdir().unwrap();
    copy_example(d.path());
    git(d.path(), &["init", "-q", "-b", "main"]);
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "-qm", "base"]);
    std::fs::write(d.path().join("migrations/0006_new.sql"), "SELECT 1;\n").unwrap();
    let before = snapshot(d.path());
    for args in [
        &["check", "--changed-since", "main"][..],
        &["check", "--changed-since", "HEAD", "--format", "json"],
        &["check", "--only", "migrations"],
        &["init", "--dry-run", "--ci", "github"],
    ] {
        let out = nova().args(args).current_dir(d.path()).output().unwrap();
        assert!(matches!(out.status.code(), Some(0..=2)), "{args:?}: {out:?}");
    }
    assert_eq!(snapshot(d.path()), before);
}

/// The checkers a JSON report says ran (whatever they found).
fn ran(stdout: &[u8]) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(stdout).unwrap();
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "not_run")
        .map(|c| c["checker"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn which_checkers_run_follows_config_detection_and_flags() {
    let d = tempfile::tempdir().unwrap();
    copy_example(d.path());
    let json = |args: &[&str]| nova().args(args).args(["--format", "json"]).current_dir(d.path()).output().unwrap();

    // The example's nova.toml configures all four.
    assert_eq!(ran(&json(&["check"]).stdout), ["proto", "migrations", "wiring", "k8s"]);
    assert_eq!(ran(&json(&["check", "--skip", "proto"]).stdout), ["migrations", "wiring", "k8s"]);
    assert_eq!(ran(&json(&["check", "--only", "wiring"]).stdout), ["wiring"]);

    // An explicit --config wins over the nova.toml found from the path.
    std::fs::write(d.path().join("only-migrations.toml"), "[migrations]\ndirs = [\"migrations\"]\n").unwrap();
    assert_eq!(ran(&json(&["--config", "only-migrations.toml", "check"]).stdout), ["migrations"]);

    // Without a nova.toml: what is found (no registry here, so no proto).
    std::fs::remove_file(d.path().join("nova.toml")).unwrap();
    let out = json(&["check"]);
    assert_eq!(ran(&out.stdout), ["migrations", "wiring", "k8s"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["checks"][3]["reason"], "no proto registry (nova-protos/) and no [proto] section in nova.toml");

    // [check] skip in nova.toml applies when the command line says nothing.
    std::fs::write(
        d.path().join("nova.toml"),
        "[migrations]\ndirs = [\"migrations\"]\n[wiring]\n[check]\nskip = [\"wiring\"]\n",
    )
    .unwrap();
    assert_eq!(ran(&json(&["check"]).stdout), ["migrations"]);
}

#[test]
fn changed_since_reports_only_what_a_change_touched() {
    let d = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("examples/backend"), &d.path().join("examples/backend"));
    copy_dir(&repo().join("nova-protos"), &d.path().join("nova-protos"));
    git(d.path(), &["init", "-q", "-b", "main"]);
    git(d.path(), &["add", "-A"]);
    git(d.path(), &["commit", "-qm", "base"]);
    let rules = |extra: &[&str]| -> Vec<String> {
        let out = nova()
            .args(["check", "examples/backend", "--format", "json", "--changed-since", "main"])
            .args(extra)
            .current_dir(d.path())
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut r: Vec<String> = v["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("{}:{}", d["path"].as_str().unwrap_or("-"), d["rule"].as_str().unwrap()))
            .collect();
        r.sort();
        r
    };
    assert_eq!(rules(&[]), Vec::<String>::new(), "nothing changed, nothing reported");

    // Touch one service (a file with no finding of its own) and one migration.
    let svc = d.path().join("examples/backend/services/notification-service/src/grpc.rs");
    let text = std::fs::read_to_string(&svc).unwrap();
    std::fs::write(&svc, format!("{text}// edited\n")).unwrap();
    let mig = d.path().join("examples/backend/migrations/0005_notification_comment_fk.sql");
    let text = std::fs::read_to_string(&mig).unwrap();
    std::fs::write(&mig, format!("{text}-- edited\n")).unwrap();
    assert_eq!(
        rules(&[]),
        [
            "migrations/0005_notification_comment_fk.sql:SOFT_DELETE_FK_ACTION",
            // squawk's rules judge the statements of DO blocks too.
            "migrations/0005_notification_comment_fk.sql:adding-foreign-key-constraint",
            "migrations/0005_notification_comment_fk.sql:constraint-missing-not-valid",
            // The manifests are in the crate, and their cross-checks read its code.
            "services/notification-service/k8s/deployment.yaml:K8S_PRESTOP_SLEEP",
            "services/notification-service/k8s/deployment.yaml:K8S_TERMINATION_GRACE",
            "services/notification-service/k8s/deployment.yaml:K8S_WS_PDB",
            "services/notification-service/k8s/deployment.yaml:K8S_WS_REPLICAS",
            "services/notification-service/k8s/service.yaml:K8S_WS_SESSION_AFFINITY",
            "services/notification-service/src/main.rs:GRPC_CLIENT_INTERCEPTOR",
            "services/notification-service/src/main.rs:KAFKA_HEADER_KEY_MISMATCH",
        ]
    );
    assert_eq!(
        rules(&["--only", "migrations"]),
        [
            "migrations/0005_notification_comment_fk.sql:SOFT_DELETE_FK_ACTION",
            "migrations/0005_notification_comment_fk.sql:adding-foreign-key-constraint",
            "migrations/0005_notification_comment_fk.sql:constraint-missing-not-valid",
        ]
    );
}

/// `nova check`, `nova init` and `nova migrations check` share one migrations discovery: a tree
/// without Cargo.toml whose only migrations are sqlx-style files in `db/migrations/`.
#[test]
fn check_init_and_migrations_share_one_discovery() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("db/migrations")).unwrap();
    std::fs::create_dir_all(d.path().join("tests/fixtures/migrations")).unwrap();
    std::fs::write(d.path().join("db/migrations/0001_a.sql"), "CREATE TABLE a (id int);\n").unwrap();
    // Test data is not a migrations directory.
    std::fs::write(d.path().join("tests/fixtures/migrations/0001_x.sql"), "CREATE TABLE x (id int);\n").unwrap();
    let out = nova().current_dir(d.path()).args(["--format", "json", "check"]).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{doc}");
    assert_eq!(doc["checks"][0]["checker"], "migrations");
    assert_eq!(doc["checks"][0]["status"], "ok");
    assert_eq!(doc["checks"][0]["files"], 1);
    let init = nova().current_dir(d.path()).args(["init", "--dry-run"]).output().unwrap();
    let text = String::from_utf8_lossy(&init.stdout);
    assert!(text.contains("dirs = [\"db/migrations\"]"), "{text}");
    let out = nova().current_dir(d.path()).args(["--format", "json", "migrations", "check"]).output().unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((out.status.code(), &doc["summary"]["files"]), (Some(0), &serde_json::json!(1)), "{doc}");
}

/// The registry's baseline is the repository's default branch when no base is named: `master`
/// works without configuration, `nova init` writes the branch it found, and a repository with no
/// recognisable default gets one error that names `[check] base`, which then fixes it.
#[test]
fn base_branch_is_the_default_branch_or_the_configured_one() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    copy_dir(&repo().join("nova-protos"), &root.join("nova-protos"));
    std::fs::write(root.join("nova.toml"), "[proto]\nregistry = \"nova-protos\"\n").unwrap();
    git(root, &["init", "-q", "-b", "master"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "base"]);
    let proto_check = || {
        let out = nova().args(["--format", "json", "proto", "check"]).current_dir(root).output().unwrap();
        (out.status.code(), serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap())
    };
    let (code, v) = proto_check();
    assert_eq!(code, Some(0), "{v}");
    assert_eq!(v["registry"]["base"], "master", "{v}");
    let init = nova().args(["init", "--dry-run"]).current_dir(root).output().unwrap();
    assert!(String::from_utf8_lossy(&init.stdout).contains("[check]\n"), "{:?}", init);
    assert!(String::from_utf8_lossy(&init.stdout).contains("base = \"master\""), "{:?}", init);

    git(root, &["branch", "-m", "master", "develop"]);
    let (code, v) = proto_check();
    assert_eq!(code, Some(2), "{v}");
    let msg = v["diagnostics"][0]["help"].as_str().unwrap_or_default();
    assert!(msg.contains("[check] base"), "{v}");
    std::fs::write(root.join("nova.toml"), "[proto]\nregistry = \"nova-protos\"\n\n[check]\nbase = \"develop\"\n")
        .unwrap();
    let (code, v) = proto_check();
    assert_eq!((code, &v["registry"]["base"]), (Some(0), &serde_json::json!("develop")), "{v}");
}
