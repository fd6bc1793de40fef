//! `nova rules` and `nova explain RULE`: read the rule registry.
use crate::diagnostics::render::Format;
use crate::error::NovaError;
use crate::rules;

/// Every checker name a rule can belong to (`nova rules --checker`).
pub const CHECKERS: &[&str] = &["proto", "proto-breaking", "migrations", "wiring", "k8s", "scaffold", "nova"];

/// The registered rule ID nearest to a mistyped one, if any is close enough to be a typo.
fn closest_rule(id: &str) -> Option<&'static str> {
    closest_rule_in(id, &rules::all())
}

fn closest_rule_in(id: &str, rules: &[&'static rules::RuleInfo]) -> Option<&'static str> {
    let wanted = id.to_ascii_uppercase().replace('-', "_");
    rules
        .iter()
        .map(|r| (edit_distance(&wanted, &r.id.to_ascii_uppercase().replace('-', "_")), r.id))
        .filter(|(d, _)| *d <= (wanted.len() / 3).max(2))
        .min()
        .map(|(_, id)| id)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The rule table (`nova rules`), as text or JSON.
pub fn rules_table(checker: Option<&str>, format: Format) -> Result<String, NovaError> {
    if let Some(c) = checker
        && !CHECKERS.contains(&c)
    {
        return Err(
            NovaError::new(format!("unknown checker `{c}`")).with_help(format!("checkers are {}", CHECKERS.join(", ")))
        );
    }
    let all: Vec<_> = rules::all().into_iter().filter(|r| checker.is_none_or(|c| r.checker == c)).collect();
    if format == Format::Json {
        let v: Vec<_> = all
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "checker": r.checker,
                    "categories": r.categories,
                    "default_severity": r.default_severity.as_str(),
                    "default_enabled": r.default_enabled,
                    "summary": r.summary,
                    "implemented": r.unimplemented.is_none(),
                    "unimplemented_reason": r.unimplemented,
                })
            })
            .collect();
        return Ok(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n");
    }
    let idw = all.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let cw = all.iter().map(|r| r.checker.len()).max().unwrap_or(7).max(7);
    let catw = all.iter().map(|r| r.categories.join(",").len()).max().unwrap_or(10).max(10);
    let mut out =
        format!("{:idw$}  {:cw$}  {:catw$}  {:8}  {}\n", "ID", "CHECKER", "CATEGORIES", "SEVERITY", "SUMMARY");
    for r in &all {
        let sev = if r.default_enabled { r.default_severity.as_str() } else { "off" };
        let mut summary = r.summary.to_string();
        if let Some(why) = r.unimplemented {
            summary = format!("NOT IMPLEMENTED: {why}");
        }
        out.push_str(&format!(
            "{:idw$}  {:cw$}  {:catw$}  {:8}  {}\n",
            r.id,
            r.checker,
            r.categories.join(","),
            sev,
            summary
        ));
    }
    Ok(out)
}

/// A rule's documentation (`nova explain RULE`).
pub fn explain(id: &str) -> Result<String, NovaError> {
    let matches: Vec<_> = rules::all().into_iter().filter(|r| r.id.eq_ignore_ascii_case(id)).collect();
    if matches.is_empty() {
        let help = match closest_rule(id) {
            Some(near) => format!("did you mean `{near}`? `nova rules` lists every rule"),
            None => "`nova rules` lists every rule".to_string(),
        };
        return Err(NovaError::new(format!("unknown rule `{id}`")).with_help(help));
    }
    let mut out = String::new();
    for r in matches {
        out.push_str(&format!("{} ({})\n", r.id, r.checker));
        if !r.categories.is_empty() {
            out.push_str(&format!("categories: {}\n", r.categories.join(", ")));
        }
        let sev = if r.default_enabled { r.default_severity.as_str() } else { "off (enable it in nova.toml)" };
        out.push_str(&format!("default severity: {sev}\n"));
        if let Some(why) = r.unimplemented {
            out.push_str(&format!("NOT IMPLEMENTED: {why}\n"));
        }
        out.push('\n');
        out.push_str(r.summary);
        out.push_str("\n\n");
        out.push_str(r.docs.trim());
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("FIELD", "FIELD"), 0);
        assert_eq!(edit_distance("FEILD", "FIELD"), 2);
        assert_eq!(edit_distance("FIELDS", "FIELD"), 1);
        assert_eq!(edit_distance("", "ABC"), 3);
    }

    #[test]
    fn typos_get_a_suggestion_and_strangers_do_not() {
        const A: rules::RuleInfo = rules::RuleInfo::new("FIELD_LOWER_SNAKE_CASE", "proto");
        const B: rules::RuleInfo = rules::RuleInfo::new("adding-required-field", "migrations");
        let all = [&A, &B];
        assert_eq!(closest_rule_in("FIELD_LOWER_SNAKE_CAS", &all), Some("FIELD_LOWER_SNAKE_CASE"));
        assert_eq!(closest_rule_in("field_lower_snake_case", &all), Some("FIELD_LOWER_SNAKE_CASE"));
        assert_eq!(closest_rule_in("adding_required_fields", &all), Some("adding-required-field"));
        assert_eq!(closest_rule_in("ENUM_PASCAL_CASE", &all), None);
    }

    #[test]
    fn unknown_checker_and_rule_are_errors_with_help() {
        let e = rules_table(Some("protoo"), Format::Human).unwrap_err();
        assert!(e.help.unwrap().contains("proto-breaking"));
        let e = explain("NO_SUCH_RULE_AT_ALL").unwrap_err();
        assert!(e.help.unwrap().contains("nova rules"));
        // A known checker with no rules yet is an empty table, not an error.
        for c in CHECKERS {
            assert!(rules_table(Some(c), Format::Json).is_ok());
        }
    }
}
