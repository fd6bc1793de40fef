//! The CI files `nova init --ci github|gitlab` writes: a GitHub workflow that uses nova's action
//! (action.yml: a prebuilt, checksum-verified binary; annotations, SARIF and the job summary from
//! one run), and a GitLab CI job that publishes the Code Quality report.
use std::path::Path;

/// Where nova's GitHub repository is, as `owner/name`, from a git URL (`https://github.com/o/n`,
/// `https://github.com/o/n.git`, `git@github.com:o/n.git`, `ssh://git@github.com/o/n`).
pub fn github_slug(url: &str) -> Option<String> {
    let url = url.trim().trim_end_matches('/');
    let rest = ["https://github.com/", "http://github.com/", "git@github.com:", "ssh://git@github.com/"]
        .iter()
        .find_map(|p| url.strip_prefix(p))?;
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let mut parts = rest.split('/');
    let (owner, name) = (parts.next()?, parts.next()?);
    let ok = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    (ok(owner) && ok(name) && parts.next().is_none()).then(|| format!("{owner}/{name}"))
}

/// The repository hosting nova: `--nova-git`, else the repository nova was built from.
pub fn nova_repository(nova_git: Option<&str>) -> Option<String> {
    nova_git.or(option_env!("CARGO_PKG_REPOSITORY")).and_then(github_slug)
}

/// Stands in for the repository when nova does not know it; the file says to replace it.
pub const PLACEHOLDER: &str = "OWNER/nova";

/// The repository's `owner/name`, or the placeholder with a comment line (indented by `indent`)
/// saying to replace it.
fn slug_or_placeholder(nova_git: Option<&str>, indent: &str) -> (String, String) {
    match nova_repository(nova_git) {
        Some(s) => (s, String::new()),
        None => (
            PLACEHOLDER.to_string(),
            format!(
                "\n{indent}# Replace {PLACEHOLDER} with the GitHub repository that hosts nova (nova init --nova-git URL)."
            ),
        ),
    }
}

/// The GitHub Actions workflow: checkout with history, then the action. `branch` is the default
/// branch the push trigger names.
pub fn render_github_workflow(root: &Path, nova_git: Option<&str>, branch: &str) -> String {
    let submodules = if root.join(".gitmodules").is_file() { "\n          submodules: recursive" } else { "" };
    let version = env!("CARGO_PKG_VERSION");
    let (slug, unknown) = slug_or_placeholder(nova_git, "      ");
    format!(
        r#"# nova pull-request gate, written by `nova init --ci github`.
# On a pull request the action reports only what the change caused (`nova check --changed-since`
# the pull request's base, still judged against the whole tree); on a push to {branch} it checks
# everything, which gives code scanning its baseline. The action installs a prebuilt nova
# (checksum verified), writes annotations, the SARIF file and the job summary in one run, and
# fails the job with nova's exit code.
name: nova

on:
  pull_request:
  push:
    branches: [{branch}]

permissions:
  contents: read
  security-events: write # upload SARIF to code scanning

jobs:
  nova:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          # --changed-since and the proto breaking check read the base's history.
          fetch-depth: 0{submodules}{unknown}
      - uses: {slug}@v{version}
"#
    )
}

/// The GitLab CI job: the prebuilt binary (checksum verified), `--changed-since` the merge
/// request's diff base, the Code Quality report and a markdown summary as artifacts.
pub fn render_gitlab_ci(nova_git: Option<&str>) -> String {
    let version = env!("CARGO_PKG_VERSION");
    let (slug, unknown) = slug_or_placeholder(nova_git, "    ");
    format!(
        r#"# nova merge-request gate, written by `nova init --ci gitlab`.
# In a merge request nova reports only what the change caused (--changed-since the merge
# request's diff base, still judged against the whole tree); on the default branch it checks
# everything. Findings go to the merge request's Code Quality widget (codequality report) and a
# markdown summary artifact; the job fails with nova's exit code.
nova:
  stage: test
  image: buildpack-deps:bookworm-scm
  rules:
    - if: $CI_PIPELINE_SOURCE == "merge_request_event"
    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH
  variables:
    GIT_DEPTH: "0" # --changed-since and the proto breaking check read history
    NOVA_VERSION: "{version}"{unknown}
    NOVA_RELEASES: "https://github.com/{slug}/releases/download"
    NOVA_TARGET: x86_64-unknown-linux-musl
  before_script:
    - |
      set -eu
      name="nova-$NOVA_VERSION-$NOVA_TARGET"
      curl -fsSLO "$NOVA_RELEASES/v$NOVA_VERSION/$name.tar.gz"
      curl -fsSLO "$NOVA_RELEASES/v$NOVA_VERSION/$name.tar.gz.sha256"
      sha256sum -c "$name.tar.gz.sha256"
      tar -xzf "$name.tar.gz"
      install -m 755 "$name/nova" /usr/local/bin/nova
  script:
    - |
      set -- check
      if [ -n "${{CI_MERGE_REQUEST_DIFF_BASE_SHA:-}}" ]; then
        set -- check --changed-since "$CI_MERGE_REQUEST_DIFF_BASE_SHA"
      fi
      nova "$@" --report-file gitlab=gl-code-quality-report.json --report-file markdown=nova-summary.md
  artifacts:
    when: always
    reports:
      codequality: gl-code-quality-report.json
    paths:
      - gl-code-quality-report.json
      - nova-summary.md
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_git_urls() {
        for url in [
            "https://github.com/acme/nova",
            "https://github.com/acme/nova.git",
            "git@github.com:acme/nova.git",
            "ssh://git@github.com/acme/nova/",
        ] {
            assert_eq!(github_slug(url).as_deref(), Some("acme/nova"), "{url}");
        }
        for url in ["https://gitlab.com/acme/nova", "https://github.com/acme", "https://github.com/a/b/c", ""] {
            assert_eq!(github_slug(url), None, "{url}");
        }
    }
}
