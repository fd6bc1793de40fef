//! `nova rules` and `nova explain RULE`: read the rule registry.
use crate::diagnostics::render::Format;
use crate::error::NovaError;
use crate::rules;

/// The rule table (`nova rules`), as text or JSON.
pub fn rules_table(checker: Option<&str>, format: Format) -> Result<String, NovaError> {
    let all: Vec<_> = rules::all().into_iter().filter(|r| checker.is_none_or(|c| r.checker == c)).collect();
    if let Some(c) = checker
        && all.is_empty()
    {
        {
            return Err(NovaError::new(format!(
                "unknown checker `{c}`; checkers are proto, proto-breaking, migrations, wiring"
            )));
        }
    }
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
        return Ok(serde_json::to_string_pretty(&v).expect("json") + "\n");
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
        return Err(NovaError::new(format!("unknown rule `{id}`")).with_help("`nova rules` lists every rule"));
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
