//! `buf.yaml` (v1beta1, v1, v2): module layout, `lint:` and `breaking:` sections, normalised to
//! buf v2 semantics and rule IDs so nova can honour a buf project's settings as they are.
use crate::error::NovaError;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const FILE_NAME: &str = "buf.yaml";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BufVersion {
    V1Beta1,
    V1,
    V2,
}

/// A `lint:` section, in v2 terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BufLint {
    pub use_: Vec<String>,
    pub except: Vec<String>,
    /// Paths relative to the buf.yaml directory (v2) or to the module root (v1, v1beta1).
    pub ignore: Vec<String>,
    pub ignore_only: BTreeMap<String, Vec<String>>,
    pub enum_zero_value_suffix: Option<String>,
    pub rpc_allow_same_request_response: bool,
    pub rpc_allow_google_protobuf_empty_requests: bool,
    pub rpc_allow_google_protobuf_empty_responses: bool,
    pub service_suffix: Option<String>,
    /// Whether `// buf:lint:ignore` comments count (v2: unless `disallow_comment_ignores`;
    /// v1/v1beta1: only with `allow_comment_ignores`).
    pub comment_ignores: bool,
    /// `disable_builtin: true` (buf >= 1.50): none of buf's rules run.
    pub disable_builtin: bool,
}

/// A `breaking:` section, in v2 terms.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BufBreaking {
    pub use_: Vec<String>,
    pub except: Vec<String>,
    pub ignore: Vec<String>,
    pub ignore_only: BTreeMap<String, Vec<String>>,
    pub ignore_unstable_packages: bool,
    /// `disable_builtin: true` (buf >= 1.50): none of buf's rules run.
    pub disable_builtin: bool,
}

/// One module: an import root.
#[derive(Debug, Clone, PartialEq)]
pub struct BufModule {
    /// Directory relative to the buf.yaml directory, `/`-separated; `.` for the directory itself.
    pub path: String,
    /// Excluded directories, relative to the buf.yaml directory.
    pub excludes: Vec<String>,
    /// Per-module overrides (v2); `None` means the workspace's section applies.
    pub lint: Option<BufLint>,
    pub breaking: Option<BufBreaking>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BufConfig {
    pub path: PathBuf,
    pub version: BufVersion,
    /// BSR modules the configuration depends on (`deps:`); nova does not fetch them.
    pub deps: Vec<String>,
    pub modules: Vec<BufModule>,
    pub lint: BufLint,
    pub breaking: BufBreaking,
}

impl BufConfig {
    /// The lint settings that apply to `module`.
    pub fn module_lint(&self, module: &BufModule) -> BufLint {
        module.lint.clone().unwrap_or_else(|| self.lint.clone())
    }
    pub fn module_breaking(&self, module: &BufModule) -> BufBreaking {
        module.breaking.clone().unwrap_or_else(|| self.breaking.clone())
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawFile {
    version: Option<String>,
    modules: Option<Vec<RawModule>>,
    build: RawBuild,
    lint: Option<RawLint>,
    breaking: Option<RawBreaking>,
    deps: Vec<String>,
    /// buf >= 1.50 check plugins and policies: nova does not run them, and says so.
    plugins: Option<serde_yaml_ng::Value>,
    policies: Option<serde_yaml_ng::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawBuild {
    roots: Vec<String>,
    excludes: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawModule {
    path: Option<String>,
    excludes: Vec<String>,
    lint: Option<RawLint>,
    breaking: Option<RawBreaking>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawLint {
    #[serde(rename = "use")]
    use_: Vec<String>,
    except: Vec<String>,
    ignore: Vec<String>,
    ignore_only: BTreeMap<String, Vec<String>>,
    enum_zero_value_suffix: Option<String>,
    rpc_allow_same_request_response: bool,
    rpc_allow_google_protobuf_empty_requests: bool,
    rpc_allow_google_protobuf_empty_responses: bool,
    service_suffix: Option<String>,
    allow_comment_ignores: Option<bool>,
    disallow_comment_ignores: Option<bool>,
    disable_builtin: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawBreaking {
    #[serde(rename = "use")]
    use_: Vec<String>,
    except: Vec<String>,
    ignore: Vec<String>,
    ignore_only: BTreeMap<String, Vec<String>>,
    ignore_unstable_packages: bool,
    disable_builtin: bool,
}

/// v1beta1/v1 lint categories and IDs that v2 dropped, as the v2 rules they stand for.
fn lint_alias(id: &str) -> Vec<String> {
    let v: &[&str] = match id {
        "FILE_LAYOUT" => &["DIRECTORY_SAME_PACKAGE", "PACKAGE_DIRECTORY_MATCH"],
        "PACKAGE_AFFINITY" => &[
            "PACKAGE_SAME_CSHARP_NAMESPACE",
            "PACKAGE_SAME_DIRECTORY",
            "PACKAGE_SAME_GO_PACKAGE",
            "PACKAGE_SAME_JAVA_MULTIPLE_FILES",
            "PACKAGE_SAME_JAVA_PACKAGE",
            "PACKAGE_SAME_PHP_NAMESPACE",
            "PACKAGE_SAME_RUBY_PACKAGE",
            "PACKAGE_SAME_SWIFT_PREFIX",
        ],
        "SENSIBLE" => &["ENUM_NO_ALLOW_ALIAS", "FIELD_NOT_REQUIRED", "IMPORT_NO_PUBLIC", "PACKAGE_DEFINED"],
        "STYLE_BASIC" => &[
            "ENUM_PASCAL_CASE",
            "ENUM_VALUE_UPPER_SNAKE_CASE",
            "FIELD_LOWER_SNAKE_CASE",
            "MESSAGE_PASCAL_CASE",
            "ONEOF_LOWER_SNAKE_CASE",
            "PACKAGE_LOWER_SNAKE_CASE",
            "RPC_PASCAL_CASE",
            "SERVICE_PASCAL_CASE",
        ],
        "STYLE_DEFAULT" => &[
            "ENUM_PASCAL_CASE",
            "ENUM_VALUE_UPPER_SNAKE_CASE",
            "FIELD_LOWER_SNAKE_CASE",
            "MESSAGE_PASCAL_CASE",
            "ONEOF_LOWER_SNAKE_CASE",
            "PACKAGE_LOWER_SNAKE_CASE",
            "RPC_PASCAL_CASE",
            "SERVICE_PASCAL_CASE",
            "ENUM_VALUE_PREFIX",
            "ENUM_ZERO_VALUE_SUFFIX",
            "FILE_LOWER_SNAKE_CASE",
            "PACKAGE_VERSION_SUFFIX",
            "RPC_REQUEST_RESPONSE_UNIQUE",
            "RPC_REQUEST_STANDARD_NAME",
            "RPC_RESPONSE_STANDARD_NAME",
            "SERVICE_SUFFIX",
        ],
        "OTHER" => &["PACKAGE_NO_IMPORT_CYCLE"],
        // Deprecated in v1 and folded into their successors.
        "FIELD_NO_DESCRIPTOR" => &["FIELD_LOWER_SNAKE_CASE"],
        "IMPORT_NO_WEAK" => &["IMPORT_NO_PUBLIC"],
        _ => return vec![id.to_string()],
    };
    v.iter().map(|s| s.to_string()).collect()
}

/// v1 breaking IDs that v2 renamed or split.
fn breaking_alias(id: &str) -> Vec<String> {
    let v: &[&str] = match id {
        "FIELD_SAME_CTYPE" => &["FIELD_SAME_CPP_STRING_TYPE"],
        "FIELD_SAME_LABEL" => {
            &["FIELD_SAME_CARDINALITY", "FIELD_WIRE_COMPATIBLE_CARDINALITY", "FIELD_WIRE_JSON_COMPATIBLE_CARDINALITY"]
        }
        "FILE_SAME_JAVA_STRING_CHECK_UTF8" => &["FIELD_SAME_JAVA_UTF8_VALIDATION"],
        _ => return vec![id.to_string()],
    };
    v.iter().map(|s| s.to_string()).collect()
}

fn map_ids(ids: Vec<String>, alias: fn(&str) -> Vec<String>, version: BufVersion) -> Vec<String> {
    if version == BufVersion::V2 {
        return ids;
    }
    let mut out = Vec::new();
    for id in ids {
        for a in alias(id.trim()) {
            if !out.contains(&a) {
                out.push(a);
            }
        }
    }
    out
}

fn map_ignore_only(
    m: BTreeMap<String, Vec<String>>,
    alias: fn(&str) -> Vec<String>,
    version: BufVersion,
) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (k, v) in m {
        for a in map_ids(vec![k], alias, version) {
            out.entry(a).or_default().extend(v.iter().cloned());
        }
    }
    out
}

fn norm(p: &str) -> String {
    let p = p.trim().trim_start_matches("./").trim_end_matches('/').replace('\\', "/");
    if p.is_empty() { ".".into() } else { p }
}

fn lint_of(raw: RawLint, version: BufVersion) -> BufLint {
    let comment_ignores = match version {
        BufVersion::V2 => !raw.disallow_comment_ignores.unwrap_or(false),
        _ => raw.allow_comment_ignores.unwrap_or(false),
    };
    BufLint {
        use_: map_ids(raw.use_, lint_alias, version),
        except: map_ids(raw.except, lint_alias, version),
        ignore: raw.ignore.iter().map(|p| norm(p)).collect(),
        ignore_only: map_ignore_only(raw.ignore_only, lint_alias, version),
        enum_zero_value_suffix: raw.enum_zero_value_suffix,
        rpc_allow_same_request_response: raw.rpc_allow_same_request_response,
        rpc_allow_google_protobuf_empty_requests: raw.rpc_allow_google_protobuf_empty_requests,
        rpc_allow_google_protobuf_empty_responses: raw.rpc_allow_google_protobuf_empty_responses,
        service_suffix: raw.service_suffix,
        comment_ignores,
        disable_builtin: raw.disable_builtin,
    }
}

fn breaking_of(raw: RawBreaking, version: BufVersion) -> BufBreaking {
    BufBreaking {
        use_: map_ids(raw.use_, breaking_alias, version),
        except: map_ids(raw.except, breaking_alias, version),
        ignore: raw.ignore.iter().map(|p| norm(p)).collect(),
        ignore_only: map_ignore_only(raw.ignore_only, breaking_alias, version),
        ignore_unstable_packages: raw.ignore_unstable_packages,
        disable_builtin: raw.disable_builtin,
    }
}

/// Default lint section when buf.yaml has none.
fn default_lint(version: BufVersion) -> BufLint {
    BufLint { comment_ignores: version == BufVersion::V2, ..Default::default() }
}

/// A buf v1 workspace file: `directories:` each a module with a buf.yaml of its own.
pub const WORK_FILE_NAME: &str = "buf.work.yaml";

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawWork {
    directories: Vec<String>,
}

/// The rule selection a buf.yaml section asks for, over `rules` (lint's or breaking's):
/// `use`, `except`, `ignore`, `ignore_only`; with `disable_builtin: true` (buf >= 1.50) no
/// rule runs, as in buf.
fn selection_input(
    use_: &[String],
    except: &[String],
    ignore: &[String],
    ignore_only: &BTreeMap<String, Vec<String>>,
    disable_builtin: bool,
    rules: &[&'static crate::rules::RuleInfo],
) -> crate::rules::SelectionInput {
    let mut input = crate::rules::SelectionInput {
        use_: use_.to_vec(),
        except: except.to_vec(),
        ignore: ignore.to_vec(),
        ignore_only: ignore_only.clone(),
        ..Default::default()
    };
    if disable_builtin {
        input.use_.clear();
        input.except = rules.iter().map(|r| r.id.to_string()).collect();
    }
    input
}

impl BufLint {
    /// The selection this `lint:` section asks for over lint's `rules`.
    pub fn selection_input(&self, rules: &[&'static crate::rules::RuleInfo]) -> crate::rules::SelectionInput {
        selection_input(&self.use_, &self.except, &self.ignore, &self.ignore_only, self.disable_builtin, rules)
    }
}

impl BufBreaking {
    /// The selection this `breaking:` section asks for over the breaking `rules`.
    pub fn selection_input(&self, rules: &[&'static crate::rules::RuleInfo]) -> crate::rules::SelectionInput {
        selection_input(&self.use_, &self.except, &self.ignore, &self.ignore_only, self.disable_builtin, rules)
    }
}

/// A rule-selection error about a configuration file (a buf.yaml, or the nova.toml a lint
/// module's settings came from), at the line that names the unknown ID (quoted in the message).
/// An error that already has a location is returned as it is.
pub fn locate_selection_error(path: &Path, e: NovaError) -> NovaError {
    if e.location.is_some() {
        return e;
    }
    let name = e.message.split('`').nth(1).unwrap_or("").to_string();
    let line = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.lines().position(|l| !name.is_empty() && l.contains(&name)))
        .map(|i| i + 1);
    e.at(path, line, None)
}

/// Read `dir/buf.yaml` if there is one, else `dir/buf.work.yaml` (a v1 workspace, read as one
/// configuration whose modules are the workspace's directories, each with the `lint:` and
/// `breaking:` of its own buf.yaml). A malformed file is an error at its line.
pub fn load(dir: &Path) -> Result<Option<BufConfig>, NovaError> {
    let path = dir.join(FILE_NAME);
    if path.is_file() {
        let text = crate::fsutil::read_text(&path)?;
        return parse(&text, &path).map(Some);
    }
    let work = dir.join(WORK_FILE_NAME);
    if !work.is_file() {
        return Ok(None);
    }
    let text = crate::fsutil::read_text(&work)?;
    let raw: RawWork = if text.trim().is_empty() { RawWork::default() } else { crate::yaml::parse(&text, &work)? };
    let mut modules = Vec::new();
    let mut deps: Vec<String> = Vec::new();
    for d in raw.directories.iter().map(|d| norm(d)) {
        let member = load_member(&dir.join(&d))?;
        deps.extend(member.deps.iter().filter(|x| !deps.contains(x)).cloned().collect::<Vec<_>>());
        for m in &member.modules {
            let at = |p: &str| if p == "." { d.clone() } else { format!("{d}/{p}") };
            modules.push(BufModule {
                path: at(&m.path),
                excludes: m.excludes.iter().map(|e| at(e)).collect(),
                lint: Some(member.module_lint(m)),
                breaking: Some(member.module_breaking(m)),
            });
        }
    }
    Ok(Some(BufConfig {
        path: work,
        version: BufVersion::V1,
        deps,
        modules,
        lint: default_lint(BufVersion::V1),
        breaking: BufBreaking::default(),
    }))
}

/// A workspace directory's own buf.yaml (buf's defaults when it has none).
fn load_member(dir: &Path) -> Result<BufConfig, NovaError> {
    let path = dir.join(FILE_NAME);
    let text = if path.is_file() { crate::fsutil::read_text(&path)? } else { String::new() };
    parse(&text, &path)
}

/// Parse buf.yaml text (`path` is used for messages).
pub fn parse(text: &str, path: &Path) -> Result<BufConfig, NovaError> {
    let raw: RawFile = if text.trim().is_empty() { RawFile::default() } else { crate::yaml::parse(text, path)? };
    for (key, present) in [("plugins", raw.plugins.is_some()), ("policies", raw.policies.is_some())] {
        if present {
            let line = text.lines().position(|l| l.starts_with(key)).map(|i| i + 1);
            return Err(NovaError::new(format!(
                "buf.yaml {} configures `{key}`: nova runs buf's built-in rules only, not check plugins or policies",
                path.display()
            ))
            .at(path, line, None)
            .with_help("to lint with nova anyway, configure [proto.lint] / [proto.breaking] in nova.toml (it takes precedence over buf.yaml)"));
        }
    }
    let version = match raw.version.as_deref().map(str::trim) {
        Some("v2") => BufVersion::V2,
        Some("v1") => BufVersion::V1,
        Some("v1beta1") | None => BufVersion::V1Beta1,
        Some(other) => {
            let line = text.lines().position(|l| l.trim_start().starts_with("version")).map(|i| i + 1);
            return Err(NovaError::new(format!(
                "invalid buf.yaml {}: unknown version `{other}` (expected v1beta1, v1 or v2)",
                path.display()
            ))
            .at(path, line, None));
        }
    };
    let lint = raw.lint.map(|l| lint_of(l, version)).unwrap_or_else(|| default_lint(version));
    let breaking = raw.breaking.map(|b| breaking_of(b, version)).unwrap_or_default();
    let excludes: Vec<String> = raw.build.excludes.iter().map(|p| norm(p)).collect();
    let modules = match version {
        BufVersion::V2 => match raw.modules {
            Some(ms) if !ms.is_empty() => ms
                .into_iter()
                .map(|m| BufModule {
                    path: norm(m.path.as_deref().unwrap_or(".")),
                    excludes: m.excludes.iter().map(|p| norm(p)).collect(),
                    lint: m.lint.map(|l| lint_of(l, version)),
                    breaking: m.breaking.map(|b| breaking_of(b, version)),
                })
                .collect(),
            _ => vec![BufModule { path: ".".into(), excludes: vec![], lint: None, breaking: None }],
        },
        BufVersion::V1 => vec![BufModule { path: ".".into(), excludes, lint: None, breaking: None }],
        BufVersion::V1Beta1 => {
            let roots: Vec<String> = if raw.build.roots.is_empty() {
                vec![".".to_string()]
            } else {
                raw.build.roots.iter().map(|r| norm(r)).collect()
            };
            // v1beta1 excludes are paths relative to buf.yaml that must lie inside a root; buf
            // refuses the file otherwise.
            let in_root = |e: &str, r: &str| r == "." || crate::rules::path_under(e, r) && e != r;
            if let Some(e) = excludes.iter().find(|e| !roots.iter().any(|r| in_root(e, r))) {
                let line = text.lines().position(|l| l.contains(e.as_str())).map(|i| i + 1);
                return Err(NovaError::new(format!(
                    "invalid buf.yaml {}: exclude \"{e}\" is not contained in any root",
                    path.display()
                ))
                .at(path, line, None)
                .with_help(
                    "v1beta1 `build.excludes` are paths from the buf.yaml directory inside one of `build.roots`",
                ));
            }
            roots
                .iter()
                .map(|r| {
                    let ex = excludes.iter().filter(|e| in_root(e, r)).cloned().collect();
                    BufModule { path: r.clone(), excludes: ex, lint: None, breaking: None }
                })
                .collect()
        }
    };
    Ok(BufConfig { path: path.to_path_buf(), version, deps: raw.deps, modules, lint, breaking })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_modules_and_overrides() {
        let text = "version: v2\nmodules:\n  - path: proto\n    excludes: [proto/vendor]\n  - path: extra\n    lint:\n      use: [MINIMAL]\nlint:\n  use: [STANDARD]\n  except: [FIELD_LOWER_SNAKE_CASE]\n  enum_zero_value_suffix: _NONE\nbreaking:\n  use: [WIRE]\n  ignore_unstable_packages: true\n";
        let c = parse(text, Path::new("buf.yaml")).unwrap();
        assert_eq!(c.version, BufVersion::V2);
        assert_eq!(c.modules.len(), 2);
        assert_eq!(c.modules[0].path, "proto");
        assert_eq!(c.modules[0].excludes, vec!["proto/vendor"]);
        assert_eq!(c.module_lint(&c.modules[1]).use_, vec!["MINIMAL"]);
        assert_eq!(c.module_lint(&c.modules[0]).except, vec!["FIELD_LOWER_SNAKE_CASE"]);
        assert_eq!(c.lint.enum_zero_value_suffix.as_deref(), Some("_NONE"));
        assert!(c.lint.comment_ignores);
        assert!(c.breaking.ignore_unstable_packages);
    }

    #[test]
    fn v1_aliases_and_comment_ignores() {
        let text = "version: v1\nbuild:\n  excludes: [gen]\nlint:\n  use: [DEFAULT]\n  except: [FIELD_NO_DESCRIPTOR]\n  allow_comment_ignores: true\nbreaking:\n  use: [FILE]\n  except: [FIELD_SAME_LABEL]\n";
        let c = parse(text, Path::new("buf.yaml")).unwrap();
        assert_eq!(c.modules[0].excludes, vec!["gen"]);
        assert_eq!(c.lint.except, vec!["FIELD_LOWER_SNAKE_CASE"]);
        assert!(c.lint.comment_ignores);
        assert_eq!(c.breaking.except.len(), 3);
    }

    #[test]
    fn v1beta1_roots() {
        let c = parse("version: v1beta1\nbuild:\n  roots: [proto, vendor/proto]\n", Path::new("buf.yaml")).unwrap();
        let paths: Vec<_> = c.modules.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(paths, vec!["proto", "vendor/proto"]);
        assert!(!c.lint.comment_ignores);
        // Excludes are relative to buf.yaml and must be inside a root (buf 1.75 refuses others).
        let c = parse(
            "version: v1beta1\nbuild:\n  roots: [proto, other]\n  excludes: [proto/gen]\n",
            Path::new("buf.yaml"),
        )
        .unwrap();
        assert_eq!(c.modules[0].excludes, ["proto/gen"]);
        assert!(c.modules[1].excludes.is_empty());
        let e = parse("version: v1beta1\nbuild:\n  roots: [proto]\n  excludes: [gen]\n", Path::new("buf.yaml"))
            .unwrap_err();
        assert!(e.message.contains("not contained in any root"), "{}", e.message);
        assert_eq!(e.location.and_then(|l| l.line), Some(4));
    }

    #[test]
    fn malformed_has_a_line() {
        let e = parse("version: v2\nlint:\n  use: [A\n  except: B: C\n", Path::new("buf.yaml")).unwrap_err();
        let loc = e.location.expect("location");
        assert!(loc.line.is_some_and(|l| l >= 3), "{:?}", loc);
        let e = parse("version: v3\n", Path::new("buf.yaml")).unwrap_err();
        assert_eq!(e.location.and_then(|l| l.line), Some(1));
    }
}
