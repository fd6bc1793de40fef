//! The CI distribution: scripts/package-release.sh (the release layout), scripts/install-nova.sh
//! (download + checksum, against file:// URLs), scripts/nova-action-run.sh (the action's run step
//! with fake GITHUB_STEP_SUMMARY / GITHUB_OUTPUT), action.yml's structure, the release workflow's
//! matrix, the `cargo binstall` metadata, and what `nova init --ci github|gitlab` writes.
mod common;

use assert_cmd::Command;
use common::{copy_dir, git, git_commit_all, git_init, repo_root};
use serde_yaml_ng::Value as Yaml;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const TARGETS: [&str; 5] = [
    "x86_64-unknown-linux-musl",
    "aarch64-unknown-linux-musl",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
];
const VERSION: &str = "9.8.7";

fn nova_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_nova"))
}

fn bash(script: &str) -> Command {
    let mut c = Command::new("bash");
    c.arg(repo_root().join("scripts").join(script));
    for v in ["GITHUB_PATH", "GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY", "RUNNER_TEMP", "NOVA_VERSION", "NOVA_BASE_URL"] {
        c.env_remove(v);
    }
    c
}

/// A release directory laid out like a GitHub release: `<dir>/v<VERSION>/<archive>` (+ .sha256),
/// packaged by the release script from the nova binary under test.
fn release(dir: &Path, target: &str) -> PathBuf {
    release_of(dir, target, &nova_bin())
}

/// [`release`] of a small stand-in binary, where only names and checksums matter (the debug
/// binary is large to compress).
fn stub_release(dir: &Path, target: &str) -> PathBuf {
    let stub = dir.join("stub-nova");
    std::fs::write(&stub, "#!/bin/sh\necho stub\n").unwrap();
    release_of(dir, target, &stub)
}

fn release_of(dir: &Path, target: &str, binary: &Path) -> PathBuf {
    let out = dir.join(format!("v{VERSION}"));
    bash("package-release.sh")
        .current_dir(repo_root())
        .args([&format!("v{VERSION}"), target, binary.to_str().unwrap(), out.to_str().unwrap()])
        .assert()
        .success();
    out.join(format!("nova-{VERSION}-{target}.tar.gz"))
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.display())
}

#[test]
fn the_packaged_release_installs_and_runs() {
    let d = tempfile::tempdir().unwrap();
    let archive = release(d.path(), "x86_64-unknown-linux-musl");
    assert!(archive.is_file());
    let sums = std::fs::read_to_string(archive.with_extension("gz.sha256")).unwrap();
    assert!(sums.ends_with(&format!("  nova-{VERSION}-x86_64-unknown-linux-musl.tar.gz\n")), "{sums}");

    let bin_dir = d.path().join("bin");
    let github_path = d.path().join("github_path");
    let out = bash("install-nova.sh")
        .env("NOVA_VERSION", format!("v{VERSION}"))
        .env("NOVA_BASE_URL", file_url(d.path()))
        .env("NOVA_TARGET", "x86_64-unknown-linux-musl")
        .env("NOVA_INSTALL_DIR", &bin_dir)
        .env("GITHUB_PATH", &github_path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let installed = String::from_utf8_lossy(&out.stdout).lines().last().unwrap().to_string();
    assert_eq!(PathBuf::from(&installed), bin_dir.join("nova"));
    assert_eq!(std::fs::read_to_string(&github_path).unwrap(), format!("{}\n", bin_dir.display()));
    let v = std::process::Command::new(&installed).arg("--version").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&v.stdout).trim(), format!("nova {}", env!("CARGO_PKG_VERSION")));

    // The version can come from the action's tag instead.
    let other = d.path().join("bin2");
    bash("install-nova.sh")
        .env("NOVA_ACTION_REF", format!("v{VERSION}"))
        .env("NOVA_BASE_URL", file_url(d.path()))
        .env("NOVA_TARGET", "x86_64-unknown-linux-musl")
        .env("NOVA_INSTALL_DIR", &other)
        .assert()
        .success();
    assert!(other.join("nova").is_file());
}

#[test]
fn a_checksum_mismatch_installs_nothing() {
    let d = tempfile::tempdir().unwrap();
    let archive = stub_release(d.path(), "aarch64-apple-darwin");
    let sums = archive.with_extension("gz.sha256");
    let text = std::fs::read_to_string(&sums).unwrap();
    let flipped = if text.starts_with('0') { text.replacen('0', "1", 1) } else { format!("0{}", &text[1..]) };
    std::fs::write(&sums, flipped).unwrap();
    let bin_dir = d.path().join("bin");
    let run = |target: &str| {
        bash("install-nova.sh")
            .env("NOVA_VERSION", VERSION)
            .env("NOVA_BASE_URL", file_url(d.path()))
            .env("NOVA_TARGET", target)
            .env("NOVA_INSTALL_DIR", &bin_dir)
            .output()
            .unwrap()
    };
    let out = run("aarch64-apple-darwin");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("checksum mismatch") && err.contains("nothing was installed"), "{err}");
    assert!(!bin_dir.exists(), "nothing installed");

    // A digest that is not one, and an archive that is not there, fail too.
    std::fs::write(&sums, "not-a-digest  x.tar.gz\n").unwrap();
    let out = run("aarch64-apple-darwin");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no SHA-256 digest"));
    let out = run("x86_64-pc-windows-msvc");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot download"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!bin_dir.exists());

    // A version that is not one is refused before any download.
    let out =
        bash("install-nova.sh").env("NOVA_VERSION", "latest").env("NOVA_BASE_URL", "file:///nowhere").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a release version"));
}

#[test]
fn targets_are_detected_from_uname() {
    for (os, arch, want) in [
        ("Linux", "x86_64", "x86_64-unknown-linux-musl"),
        ("Linux", "aarch64", "aarch64-unknown-linux-musl"),
        ("Darwin", "x86_64", "x86_64-apple-darwin"),
        ("Darwin", "arm64", "aarch64-apple-darwin"),
        ("MINGW64_NT-10.0", "x86_64", "x86_64-pc-windows-msvc"),
    ] {
        let out = bash("install-nova.sh")
            .arg("--print-target")
            .env("NOVA_UNAME_S", os)
            .env("NOVA_UNAME_M", arch)
            .output()
            .unwrap();
        assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), want, "{os} {arch}");
    }
    let out = bash("install-nova.sh")
        .arg("--print-target")
        .env("NOVA_UNAME_S", "Linux")
        .env("NOVA_UNAME_M", "riscv64")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}

/// The example backend in a repository: a base commit, then a change that adds a finding.
fn changed_repo() -> (tempfile::TempDir, PathBuf, String) {
    let d = tempfile::tempdir().unwrap();
    let root = d.path().canonicalize().unwrap();
    copy_dir(&repo_root().join("examples/backend"), &root);
    // The registry of the example lives outside it; only the migrations and wiring run here.
    std::fs::write(root.join("nova.toml"), "[migrations]\ndirs = [\"migrations\"]\n\n[wiring]\n").unwrap();
    git_init(&root);
    let base = git_commit_all(&root, "base");
    std::fs::write(
        root.join("migrations/0006_new.sql"),
        "CREATE TABLE zz (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ);\n",
    )
    .unwrap();
    git_commit_all(&root, "change");
    (d, root, base)
}

fn outputs(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path).unwrap().lines().map(str::to_string).collect()
}

#[test]
fn the_action_run_step_writes_annotations_sarif_summary_and_outputs() {
    let (d, root, base) = changed_repo();
    let (summary, output) = (d.path().join("summary.md"), d.path().join("output"));
    std::fs::write(&summary, "earlier step\n").unwrap();
    let out = bash("nova-action-run.sh")
        .current_dir(&root)
        .env("NOVA_BIN", nova_bin())
        .env("NOVA_ARGS", format!("check --changed-since {base}"))
        .env("NOVA_SARIF", "nova.sarif")
        .env("NOVA_SUMMARY", "true")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output)
        .output()
        .unwrap();
    // The step itself succeeds; the exit code travels in the output.
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(outputs(&output), ["exit-code=1", "sarif=nova.sarif"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("::error file=migrations/0006_new.sql"), "{stdout}");
    assert!(!stdout.contains("0001_init.sql"), "only the change: {stdout}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("nova.sarif")).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{sarif:#}");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("earlier step\n## nova: failed\n"), "appended, not replaced: {md}");
    assert!(md.contains("migrations/0006\\_new.sql:1"), "{md}");

    // On a push the base is empty: the dangling --changed-since is dropped and everything is
    // checked; no summary and no SARIF when switched off.
    std::fs::remove_file(&output).unwrap();
    std::fs::remove_file(root.join("nova.sarif")).unwrap();
    let out = bash("nova-action-run.sh")
        .current_dir(&root)
        .env("NOVA_BIN", nova_bin())
        .env("NOVA_ARGS", "check --changed-since ")
        .env("NOVA_SARIF", "")
        .env("NOVA_SUMMARY", "false")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_OUTPUT", &output)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(outputs(&output), ["exit-code=1"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("0001_init.sql") && stdout.contains("0006_new.sql"), "whole tree: {stdout}");
    assert!(!root.join("nova.sarif").exists());
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), md, "summary untouched");

    // A clean change: exit-code=0.
    git(&root, &["rm", "-q", "migrations/0006_new.sql"]);
    git_commit_all(&root, "revert");
    let head = git(&root, &["rev-parse", "HEAD~1"]);
    std::fs::remove_file(&output).unwrap();
    bash("nova-action-run.sh")
        .current_dir(&root)
        .env("NOVA_BIN", nova_bin())
        .env("NOVA_ARGS", format!("check --changed-since {head}"))
        .env("NOVA_SARIF", "nova.sarif")
        .env("GITHUB_OUTPUT", &output)
        .assert()
        .success();
    assert_eq!(outputs(&output), ["exit-code=0", "sarif=nova.sarif"]);
}

fn yaml(path: &Path) -> Yaml {
    serde_yaml_ng::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// `${{ <expr> }}` expressions of a text.
fn expressions(text: &str) -> Vec<String> {
    let re = regex::Regex::new(r"\$\{\{\s*(.*?)\s*\}\}").unwrap();
    re.captures_iter(text).map(|c| c[1].to_string()).collect()
}

#[test]
fn action_yml_references_only_its_inputs_steps_and_scripts() {
    let path = repo_root().join("action.yml");
    let text = std::fs::read_to_string(&path).unwrap();
    let a = yaml(&path);
    assert_eq!(a["runs"]["using"].as_str(), Some("composite"));
    let inputs: BTreeSet<String> =
        a["inputs"].as_mapping().unwrap().keys().map(|k| k.as_str().unwrap().to_string()).collect();
    assert_eq!(inputs, BTreeSet::from(["args", "sarif", "summary", "version"].map(String::from)));
    assert_eq!(
        a["inputs"]["args"]["default"].as_str(),
        Some("check --changed-since ${{ github.event.pull_request.base.sha }}")
    );
    let steps = a["runs"]["steps"].as_sequence().unwrap();
    let mut ids: Vec<String> = Vec::new();
    let input_re = regex::Regex::new(r"\binputs\.([A-Za-z0-9_-]+)").unwrap();
    let step_re = regex::Regex::new(r"\bsteps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)").unwrap();
    let script_re = regex::Regex::new(r"action_path \}\}/([A-Za-z0-9_./-]+)").unwrap();
    let written_outputs = std::fs::read_to_string(repo_root().join("scripts/nova-action-run.sh")).unwrap();
    for step in steps {
        let step_text = serde_yaml_ng::to_string(step).unwrap();
        for e in expressions(&step_text).iter().chain(step["if"].as_str().map(str::to_string).iter()) {
            for c in input_re.captures_iter(e) {
                assert!(inputs.contains(&c[1]), "unknown input {} in {e}", &c[1]);
            }
            for c in step_re.captures_iter(e) {
                assert!(ids.contains(&c[1].to_string()), "step {} is not an earlier step ({e})", &c[1]);
                assert!(
                    written_outputs.contains(&format!("echo \"{}=", &c[2])),
                    "the run script never writes {}",
                    &c[2]
                );
            }
        }
        if step.get("run").is_some() {
            assert!(step["shell"].as_str().is_some(), "a composite run step needs a shell: {step_text}");
        }
        if let Some(run) = step["run"].as_str() {
            for script in script_re.captures_iter(run) {
                assert!(repo_root().join(&script[1]).is_file(), "{} does not exist", &script[1]);
            }
        }
        if let Some(id) = step["id"].as_str() {
            ids.push(id.to_string());
        }
    }
    // The outputs section points at a real step output too.
    for e in expressions(&serde_yaml_ng::to_string(&a["outputs"]).unwrap()) {
        for c in step_re.captures_iter(&e) {
            assert!(ids.contains(&c[1].to_string()), "{e}");
        }
    }
    assert!(text.contains("scripts/install-nova.sh") && text.contains("scripts/nova-action-run.sh"));
}

#[test]
fn release_matrix_binstall_and_package_names_agree() {
    let wf = yaml(&repo_root().join(".github/workflows/release.yml"));
    let matrix: BTreeSet<&str> = wf["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|e| e["target"].as_str().unwrap())
        .collect();
    assert_eq!(matrix, BTreeSet::from(TARGETS));
    let steps = serde_yaml_ng::to_string(&wf["jobs"]["build"]["steps"]).unwrap();
    assert!(steps.contains("bash scripts/package-release.sh \"${GITHUB_REF_NAME#v}\""), "{steps}");

    // `cargo binstall` reads the archive the package script writes, for every target.
    let manifest: toml::Table = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap().parse().unwrap();
    let b = &manifest["package"]["metadata"]["binstall"];
    assert_eq!(b["pkg-fmt"].as_str(), Some("tgz"));
    let d = tempfile::tempdir().unwrap();
    for target in TARGETS {
        let fill = |t: &str| {
            t.replace("{ repo }", "REPO")
                .replace("{ version }", VERSION)
                .replace("{ target }", target)
                .replace("{ bin }", "nova")
                .replace("{ binary-ext }", if target.contains("windows") { ".exe" } else { "" })
        };
        let url = fill(b["pkg-url"].as_str().unwrap());
        let archive = stub_release(d.path(), target);
        assert_eq!(
            url,
            format!("REPO/releases/download/v{VERSION}/{}", archive.file_name().unwrap().to_str().unwrap())
        );
        let listing = std::process::Command::new("tar").arg("-tzf").arg(&archive).output().unwrap();
        let names = String::from_utf8_lossy(&listing.stdout).to_string();
        assert!(names.lines().any(|l| l == fill(b["bin-dir"].as_str().unwrap())), "{target}: {names}");
    }
}

fn init_files(ci: &str, nova_git: Option<&str>) -> (String, String) {
    let d = tempfile::tempdir().unwrap();
    copy_dir(&repo_root().join("examples/backend"), d.path());
    let mut c = Command::cargo_bin("nova").unwrap();
    c.current_dir(d.path()).args(["init", "--force", "--ci", ci]);
    if let Some(g) = nova_git {
        c.args(["--nova-git", g]);
    }
    let out = c.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let file = if ci == "github" { ".github/workflows/nova.yml" } else { ".gitlab-ci.yml" };
    (std::fs::read_to_string(d.path().join(file)).unwrap(), String::from_utf8_lossy(&out.stdout).to_string())
}

#[test]
fn init_ci_github_uses_the_action() {
    let (text, stdout) = init_files("github", Some("https://github.com/acme/nova.git"));
    insta::assert_snapshot!("init_ci_github", text);
    assert!(!stdout.contains("OWNER/nova"), "{stdout}");
    let y: Yaml = serde_yaml_ng::from_str(&text).unwrap();
    let steps = y["jobs"]["nova"]["steps"].as_sequence().unwrap();
    assert_eq!(steps[0]["with"]["fetch-depth"], Yaml::from(0));
    assert_eq!(steps[1]["uses"].as_str(), Some(format!("acme/nova@v{}", env!("CARGO_PKG_VERSION")).as_str()));
    assert!(!text.contains("cargo install"), "{text}");
    assert_eq!(y["permissions"]["security-events"].as_str(), Some("write"));
    // Without a known repository: a placeholder the file and the output point out.
    let (text, stdout) = init_files("github", None);
    if option_env!("CARGO_PKG_REPOSITORY").is_none_or(|r| r.is_empty()) {
        assert!(text.contains("uses: OWNER/nova@v") && text.contains("# Replace OWNER/nova"), "{text}");
        assert!(stdout.contains("note: nova's GitHub repository is not known"), "{stdout}");
    }
}

#[test]
fn init_ci_gitlab_publishes_code_quality() {
    let (text, _) = init_files("gitlab", Some("git@github.com:acme/nova.git"));
    insta::assert_snapshot!("init_ci_gitlab", text);
    let y: Yaml = serde_yaml_ng::from_str(&text).unwrap();
    let job = &y["nova"];
    assert_eq!(job["artifacts"]["reports"]["codequality"].as_str(), Some("gl-code-quality-report.json"));
    assert_eq!(job["artifacts"]["when"].as_str(), Some("always"));
    let script = job["script"][0].as_str().unwrap();
    assert!(script.contains("--report-file gitlab=gl-code-quality-report.json"), "{script}");
    assert!(script.contains("--changed-since \"$CI_MERGE_REQUEST_DIFF_BASE_SHA\""), "{script}");
    let install = job["before_script"][0].as_str().unwrap();
    assert!(install.contains("sha256sum -c"), "{install}");
    assert_eq!(job["variables"]["NOVA_RELEASES"].as_str(), Some("https://github.com/acme/nova/releases/download"));
    assert_eq!(job["variables"]["GIT_DEPTH"].as_str(), Some("0"));
}

/// The GitLab job's own shell commands run as written: its install step against a file:// release
/// (checksum checked by `sha256sum -c`), then its script on a merge-request change.
#[test]
fn the_gitlab_job_script_runs() {
    let (text, _) = init_files("gitlab", Some("https://github.com/acme/nova"));
    let y: Yaml = serde_yaml_ng::from_str(&text).unwrap();
    let job = &y["nova"];
    let d = tempfile::tempdir().unwrap();
    release(d.path(), "x86_64-unknown-linux-musl");
    let (_r, root, base) = changed_repo();
    let bin = d.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    // `install ... /usr/local/bin/nova` goes to a directory of the test's own instead.
    let install = job["before_script"][0]
        .as_str()
        .unwrap()
        .replace("/usr/local/bin/nova", &bin.join("nova").display().to_string());
    let script = job["script"][0].as_str().unwrap();
    let run = |body: &str| {
        std::process::Command::new("bash")
            .args(["-c", body])
            .current_dir(&root)
            .env("NOVA_VERSION", VERSION)
            .env("NOVA_TARGET", "x86_64-unknown-linux-musl")
            .env("NOVA_RELEASES", file_url(d.path()))
            .env("CI_MERGE_REQUEST_DIFF_BASE_SHA", &base)
            .env("PATH", format!("{}:{}", bin.display(), std::env::var("PATH").unwrap()))
            .output()
            .unwrap()
    };
    let out = run(&install);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(script);
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("gl-code-quality-report.json")).unwrap()).unwrap();
    let paths: BTreeSet<&str> =
        report.as_array().unwrap().iter().map(|i| i["location"]["path"].as_str().unwrap()).collect();
    assert_eq!(paths, BTreeSet::from(["migrations/0006_new.sql"]));
    assert!(root.join("nova-summary.md").is_file());
}
