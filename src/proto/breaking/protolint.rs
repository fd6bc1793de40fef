//! The registry's `.proto-lint.yaml` breaking-change vocabulary, mapped onto buf's rule IDs.
//!
//! Accepted shapes (under a top-level `breaking:` or `rules:` key, or `breaking: { rules: ... }`):
//! a map `name: true | false | error | warning | info | off`, or a list of names (all `error`).
//! Other top-level keys (lint settings the registry's CI uses) are left alone.
use crate::diagnostics::Level;
use crate::error::NovaError;
use crate::rules::SelectionInput;
use serde_yaml_ng::Value;
use std::collections::BTreeMap;
use std::path::Path;

pub const FILE_NAME: &str = ".proto-lint.yaml";

/// Vocabulary word -> buf rule IDs it stands for.
pub const MAPPING: &[(&str, &[&str])] = &[
    (
        "field-number-reuse",
        &[
            "FIELD_SAME_NAME",
            "FIELD_SAME_TYPE",
            "FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED",
            "ENUM_VALUE_SAME_NAME",
            "ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED",
            "RESERVED_MESSAGE_NO_DELETE",
            "RESERVED_ENUM_NO_DELETE",
        ],
    ),
    ("wire-type-change", &["FIELD_WIRE_COMPATIBLE_TYPE", "FIELD_WIRE_COMPATIBLE_CARDINALITY"]),
    ("required-to-optional", &["MESSAGE_SAME_REQUIRED_FIELDS", "FIELD_SAME_CARDINALITY"]),
    ("new-required-field", &["MESSAGE_SAME_REQUIRED_FIELDS"]),
    ("service-method-removal", &["RPC_NO_DELETE", "SERVICE_NO_DELETE", "PACKAGE_SERVICE_NO_DELETE"]),
];

/// Read `<registry>/.proto-lint.yaml` if it exists and has a breaking section.
pub fn load(registry: &Path) -> Result<Option<SelectionInput>, NovaError> {
    let path = registry.join(FILE_NAME);
    if !path.is_file() {
        return Ok(None);
    }
    let text = crate::fsutil::read_text(&path)?;
    parse(&text, &path)
}

fn line_of(text: &str, word: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(word)).map(|i| i + 1)
}

/// Parse the file's text; `path` is used for error locations.
pub fn parse(text: &str, path: &Path) -> Result<Option<SelectionInput>, NovaError> {
    let doc: Value = crate::yaml::parse(text, path)?;
    let Value::Mapping(top) = doc else { return Ok(None) };
    let mut section = top.get("breaking").or_else(|| top.get("rules")).cloned();
    if let Some(Value::Mapping(m)) = &section
        && let Some(r) = m.get("rules")
    {
        section = Some(r.clone());
    }
    let Some(section) = section else { return Ok(None) };
    let mut words: Vec<(String, Level)> = Vec::new();
    match section {
        Value::Sequence(items) => {
            for it in items {
                match it {
                    Value::String(s) => words.push((s, Level::Error)),
                    other => {
                        return Err(NovaError::new(format!(
                            "{}: expected a rule name, found {other:?}",
                            path.display()
                        ))
                        .at(path, None, None));
                    }
                }
            }
        }
        Value::Mapping(m) => {
            for (k, v) in m {
                let Value::String(k) = k else { continue };
                let level = match &v {
                    Value::Bool(true) => Level::Error,
                    Value::Bool(false) | Value::Null => Level::Off,
                    Value::String(s) => match s.to_ascii_lowercase().as_str() {
                        "error" | "true" | "on" => Level::Error,
                        "warning" | "warn" => Level::Warning,
                        "info" => Level::Info,
                        "off" | "false" | "ignore" => Level::Off,
                        other => {
                            return Err(NovaError::new(format!(
                                "{}: `{k}: {other}` is not a level (use true/false/error/warning/info/off)",
                                path.display()
                            ))
                            .at(path, line_of(text, &k), None));
                        }
                    },
                    Value::Mapping(inner) => match inner.get("enabled") {
                        Some(Value::Bool(false)) => Level::Off,
                        _ => match inner.get("severity") {
                            Some(Value::String(s)) if s.eq_ignore_ascii_case("warning") => Level::Warning,
                            _ => Level::Error,
                        },
                    },
                    _ => Level::Error,
                };
                words.push((k, level));
            }
        }
        _ => return Ok(None),
    }
    let mut severity: BTreeMap<String, Level> = BTreeMap::new();
    for (w, level) in &words {
        let Some((_, ids)) = MAPPING.iter().find(|(name, _)| name.eq_ignore_ascii_case(w)) else {
            let known: Vec<&str> = MAPPING.iter().map(|(n, _)| *n).collect();
            return Err(NovaError::new(format!("{}: unknown breaking rule `{w}`", path.display()))
                .at(path, line_of(text, w), None)
                .with_help(format!("known names: {}", known.join(", "))));
        };
        for id in *ids {
            let rank = |l: &Level| match l {
                Level::Error => 3,
                Level::Warning => 2,
                Level::Info => 1,
                Level::Off => 0,
            };
            let e = severity.entry(id.to_string()).or_insert(Level::Off);
            if rank(level) > rank(e) {
                *e = *level;
            }
        }
    }
    let use_: Vec<String> = severity.iter().filter(|(_, l)| **l != Level::Off).map(|(k, _)| k.clone()).collect();
    severity.retain(|_, l| *l != Level::Off);
    if use_.is_empty() {
        // Everything switched off: run nothing rather than the default set.
        return Ok(Some(SelectionInput {
            use_: vec!["FIELD_NO_DELETE".into()],
            except: vec!["FIELD_NO_DELETE".into()],
            ..Default::default()
        }));
    }
    Ok(Some(SelectionInput { use_, severity, ..Default::default() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_vocabulary_to_rules() {
        let text = "lint:\n  style: true\nbreaking:\n  field-number-reuse: error\n  wire-type-change: warning\n  service-method-removal: false\n";
        let s = parse(text, Path::new(".proto-lint.yaml")).unwrap().unwrap();
        assert!(s.use_.contains(&"FIELD_SAME_TYPE".to_string()));
        assert_eq!(s.severity["FIELD_WIRE_COMPATIBLE_TYPE"], Level::Warning);
        assert!(!s.use_.contains(&"RPC_NO_DELETE".to_string()));
    }

    #[test]
    fn list_form_and_unknown_word() {
        let s = parse("rules:\n  - new-required-field\n", Path::new("x")).unwrap().unwrap();
        assert_eq!(s.use_, vec!["MESSAGE_SAME_REQUIRED_FIELDS".to_string()]);
        let e = parse("breaking:\n  rules:\n    bogus-rule: true\n", Path::new("x")).unwrap_err();
        assert_eq!(e.location.unwrap().line, Some(3));
    }

    #[test]
    fn no_breaking_section_means_no_mapping() {
        assert!(parse("lint:\n  x: 1\n", Path::new("x")).unwrap().is_none());
    }
}
