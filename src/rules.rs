//! The rule registry: every rule of every checker, listed once, with its documentation.
//! `nova rules` and `nova explain RULE` read it; SARIF fills `tool.driver.rules` from it.
use crate::diagnostics::Severity;

/// Static description of one rule. Each rule file defines one `pub const RULE: RuleInfo`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable ID, UPPER_SNAKE_CASE (buf's IDs for buf's rules; squawk's kebab-case IDs for the embedded squawk rules).
    pub id: &'static str,
    /// `proto`, `proto-breaking`, `migrations`, `wiring`, `k8s`.
    pub checker: &'static str,
    /// Categories (buf's MINIMAL/BASIC/STANDARD/..., or nova's own groups).
    pub categories: &'static [&'static str],
    pub default_severity: Severity,
    /// Whether the rule runs when the configuration says nothing about it.
    pub default_enabled: bool,
    /// One line: what it checks.
    pub summary: &'static str,
    /// Markdown with the sections `## What it does`, `## Why`, `## Example` (failing and passing), `## Fix`.
    pub docs: &'static str,
    /// Set when nova knows the rule but does not implement it; `nova rules` says so plainly.
    pub unimplemented: Option<&'static str>,
}

impl RuleInfo {
    pub const fn new(id: &'static str, checker: &'static str) -> Self {
        RuleInfo {
            id,
            checker,
            categories: &[],
            default_severity: Severity::Error,
            default_enabled: true,
            summary: "",
            docs: "",
            unimplemented: None,
        }
    }
}

/// Declares a checker's rules in one place. Each name is a module (one file per rule, its docs
/// beside it) that defines `pub const RULE: RuleInfo`; the names under `checks` also define the
/// `check` function the checker runs. Generates the `pub mod`s, `CHECKS` (rule and check, in the
/// listed order) and `ALL` (every rule of the checker: the checked ones, then those the checker
/// reports itself), so the registry, the selection, `nova rules`, `nova explain`, SARIF rule
/// metadata and the fixture tests all read the same list.
#[macro_export]
macro_rules! declare_rules {
    (checks: $check:ty => [$($c:ident),* $(,)?] $(, reported: [$($r:ident),* $(,)?])? $(,)?) => {
        $(pub mod $c;)*
        $($(pub mod $r;)*)?
        /// The rules with a check function, in the order they run.
        pub static CHECKS: &[(&$crate::rules::RuleInfo, $check)] = &[$((&$c::RULE, $c::check)),*];
        /// Every rule of this checker: the checked ones, then those the checker reports itself.
        pub static ALL: &[&$crate::rules::RuleInfo] = &[$(&$c::RULE,)* $($(&$r::RULE,)*)?];
    };
    (reported: [$($r:ident),* $(,)?] $(,)?) => {
        $(pub mod $r;)*
        /// Every rule of this checker.
        pub static ALL: &[&$crate::rules::RuleInfo] = &[$(&$r::RULE,)*];
    };
}

/// Every rule nova knows, in registry order (checker, then ID).
pub fn all() -> Vec<&'static RuleInfo> {
    let mut v: Vec<&'static RuleInfo> = Vec::new();
    v.extend(crate::proto::lint::rules());
    v.extend(crate::proto::breaking::rules());
    v.extend(crate::sql::rules());
    v.extend(crate::wiring::rules());
    v.extend(crate::k8s::rules());
    v.extend(crate::scaffold::rules());
    v.extend(crate::input_errors::rules());
    // Rules several checkers report (the unused-suppression rule) are listed once.
    let mut seen = std::collections::HashSet::new();
    v.retain(|r| seen.insert((r.checker, r.id)));
    v
}

/// Look a rule up by ID (case-insensitive).
pub fn find(id: &str) -> Option<&'static RuleInfo> {
    all().into_iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn rule_ids_are_unique_per_checker() {
        let mut seen = HashSet::new();
        for r in all() {
            assert!(seen.insert((r.checker, r.id)), "duplicate rule ID {} in {}", r.id, r.checker);
        }
    }

    #[test]
    fn every_implemented_rule_is_documented() {
        for r in all() {
            assert!(!r.summary.is_empty(), "{} has no summary", r.id);
            if r.unimplemented.is_none() {
                for section in ["## What it does", "## Why", "## Example", "## Fix"] {
                    assert!(r.docs.contains(section), "{} docs lack {section}", r.id);
                }
            }
        }
    }
}

/// Rule IDs that were renamed: configuration written for the old ID keeps working.
pub const RENAMED: &[(&str, &str)] = &[("UNUSED_SUPPRESSION", "NOVA_UNUSED_IGNORE")];

/// Which rules run, at which severity, and where they are ignored: the buf-style `use` / `except` /
/// `ignore` / `ignore_only` vocabulary plus nova's per-rule severities. Shared by every checker.
#[derive(Debug, Clone)]
pub struct Selection {
    enabled: std::collections::BTreeMap<&'static str, Severity>,
    ignore: Vec<String>,
    ignore_only: Vec<(String, Vec<String>)>,
}

/// Inputs of a `Selection` (from config, buf.yaml and the CLI, already merged by the caller).
#[derive(Debug, Clone, Default)]
pub struct SelectionInput {
    /// Rule IDs or categories; empty means `default_use`.
    pub use_: Vec<String>,
    pub except: Vec<String>,
    /// Categories used when `use_` is empty (e.g. `["STANDARD"]`); empty means every default-enabled rule.
    pub default_use: Vec<String>,
    /// Paths (files or directories, relative to the input root) where no rule runs.
    pub ignore: Vec<String>,
    /// Rule ID or category -> paths where it does not run.
    pub ignore_only: std::collections::BTreeMap<String, Vec<String>>,
    /// Rule ID -> level (`off` disables).
    pub severity: std::collections::BTreeMap<String, crate::diagnostics::Level>,
}

impl Selection {
    /// Resolve a selection over `rules`. Unknown IDs or categories are an error naming them.
    pub fn new(rules: &[&'static RuleInfo], input: &SelectionInput) -> Result<Selection, crate::error::NovaError> {
        let expand = |name: &str| -> Result<Vec<&'static RuleInfo>, crate::error::NovaError> {
            let n = name.trim();
            let n = RENAMED.iter().find(|(old, _)| old.eq_ignore_ascii_case(n)).map_or(n, |(_, new)| new);
            let n = if n.eq_ignore_ascii_case("DEFAULT") { "STANDARD" } else { n };
            let hits: Vec<_> = rules
                .iter()
                .copied()
                .filter(|r| r.id.eq_ignore_ascii_case(n) || r.categories.iter().any(|c| c.eq_ignore_ascii_case(n)))
                .collect();
            if hits.is_empty() {
                Err(crate::error::NovaError::new(format!("unknown rule or category `{name}`"))
                    .with_help("`nova rules` lists every rule ID and category"))
            } else {
                Ok(hits)
            }
        };
        let mut chosen: Vec<&'static RuleInfo> = Vec::new();
        if input.use_.is_empty() {
            if input.default_use.is_empty() {
                chosen.extend(rules.iter().copied().filter(|r| r.default_enabled));
            } else {
                for c in &input.default_use {
                    chosen.extend(expand(c)?);
                }
            }
        } else {
            for u in &input.use_ {
                chosen.extend(expand(u)?);
            }
        }
        for e in &input.except {
            let drop: Vec<&str> = expand(e)?.iter().map(|r| r.id).collect();
            chosen.retain(|r| !drop.contains(&r.id));
        }
        let mut enabled = std::collections::BTreeMap::new();
        for r in chosen {
            if r.unimplemented.is_some() {
                continue;
            }
            enabled.insert(r.id, r.default_severity);
        }
        for (id, level) in &input.severity {
            let hits = expand(id)?;
            for r in hits {
                match level.severity() {
                    None => {
                        enabled.remove(r.id);
                    }
                    Some(s) => {
                        if r.unimplemented.is_none() {
                            enabled.insert(r.id, s);
                        }
                    }
                }
            }
        }
        let mut ignore_only = Vec::new();
        for (key, paths) in &input.ignore_only {
            for r in expand(key)? {
                ignore_only.push((r.id.to_string(), paths.iter().map(|p| normalize_rel(p)).collect()));
            }
        }
        Ok(Selection { enabled, ignore: input.ignore.iter().map(|p| normalize_rel(p)).collect(), ignore_only })
    }

    /// Severity of `rule` if it runs at all.
    pub fn severity(&self, rule: &str) -> Option<Severity> {
        self.enabled.get(rule).copied()
    }

    pub fn is_enabled(&self, rule: &str) -> bool {
        self.enabled.contains_key(rule)
    }

    /// IDs of every rule that runs.
    pub fn enabled_ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.enabled.keys().copied()
    }

    /// Whether `rule` is ignored for `path` (relative to the input root, `/`-separated).
    pub fn is_ignored(&self, rule: &str, path: &str) -> bool {
        let path = normalize_rel(path);
        self.ignore.iter().any(|p| path_under(&path, p))
            || self.ignore_only.iter().any(|(r, ps)| r == rule && ps.iter().any(|p| path_under(&path, p)))
    }
}

fn normalize_rel(p: &str) -> String {
    p.trim_start_matches("./").trim_end_matches('/').replace('\\', "/")
}

/// `path` is `prefix` or inside the directory `prefix`.
pub fn path_under(path: &str, prefix: &str) -> bool {
    prefix.is_empty() || prefix == "." || path == prefix || path.starts_with(&format!("{prefix}/"))
}

#[cfg(test)]
mod selection_tests {
    use super::*;
    use std::collections::BTreeMap;

    const A: RuleInfo = RuleInfo { categories: &["MINIMAL", "STANDARD"], ..RuleInfo::new("A_RULE", "t") };
    const B: RuleInfo = RuleInfo { categories: &["STANDARD"], ..RuleInfo::new("B_RULE", "t") };
    const C: RuleInfo = RuleInfo { categories: &["COMMENTS"], default_enabled: false, ..RuleInfo::new("C_RULE", "t") };

    #[test]
    fn categories_use_except_severity_ignore() {
        let rules = [&A, &B, &C];
        let s = Selection::new(&rules, &SelectionInput { default_use: vec!["DEFAULT".into()], ..Default::default() })
            .unwrap();
        assert!(s.is_enabled("A_RULE") && s.is_enabled("B_RULE") && !s.is_enabled("C_RULE"));
        let use_ = vec!["STANDARD".to_string(), "COMMENTS".to_string()];
        let except = vec!["MINIMAL".to_string()];
        let mut sev = BTreeMap::new();
        sev.insert("B_RULE".to_string(), crate::diagnostics::Level::Warning);
        let mut io = BTreeMap::new();
        io.insert("C_RULE".to_string(), vec!["vendor/".to_string()]);
        let ignore = vec!["gen".to_string()];
        let s = Selection::new(
            &rules,
            &SelectionInput { use_, except, ignore, ignore_only: io, severity: sev, ..Default::default() },
        )
        .unwrap();
        assert!(!s.is_enabled("A_RULE"));
        assert_eq!(s.severity("B_RULE"), Some(Severity::Warning));
        assert!(s.is_ignored("C_RULE", "vendor/x.proto") && !s.is_ignored("C_RULE", "vendorx/x.proto"));
        assert!(s.is_ignored("B_RULE", "gen/a.proto"));
        let bad = vec!["NOPE".to_string()];
        assert!(Selection::new(&rules, &SelectionInput { use_: bad, ..Default::default() }).is_err());
    }
}
