//! `K8S_DATABASE_SECRET`: a service with migrations gets its database URL from a Secret.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["CODE"],
    default_severity: Severity::Error,
    summary: "A service with migrations has the database URL it reads set from a Secret",
    docs: r#"## What it does
When a workload's crate has migrations (`sqlx::migrate!`, or a `migrations/` directory beside its
`Cargo.toml`) and reads an environment variable named like a database URL (`DATABASE_URL`,
`DB_URL`, `*_DATABASE_URL`), checks that a container sets it from a Secret:
`valueFrom.secretKeyRef`, or an `envFrom.secretRef`. Missing is reported at the first container; a
literal `value` (the credentials in the manifest) at that value.

## Why
Without it the service connects to its default database (or none) and its migrations run against
the wrong place; a literal URL puts the password in the repository and in every `kubectl get`.

## Example
Failing:
```yaml
env: [{name: DATABASE_URL, value: "postgres://app:secret@db/app"}]
```
Passing:
```yaml
env:
  - name: DATABASE_URL
    valueFrom: {secretKeyRef: {name: app-db, key: url}}
```

## Fix
Reference the Secret that holds the URL.
"#,
    ..RuleInfo::new("K8S_DATABASE_SECRET", "k8s")
};

fn is_db_url(name: &str) -> bool {
    name == "DB_URL" || name == "DATABASE_URL" || name.ends_with("_DATABASE_URL")
}

pub fn check(_cx: &Cx<'_>, w: &Workload<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    let Some(code) = &facts.code else { return };
    let Some(has) = &code.migrations else { return };
    for var in code.env_reads.iter().filter(|e| is_db_url(e)) {
        let from_secret_ref = w.containers.iter().any(|c| {
            c.node.get("envFrom").map(|n| n.items()).unwrap_or_default().iter().any(|e| e.get("secretRef").is_some())
        });
        let entry = w.containers.iter().find_map(|c| c.env_entry(var));
        match entry {
            Some(e) if e.at(&["valueFrom", "secretKeyRef"]).is_some() => {}
            Some(e) if e.get("value").is_some() => {
                let v = e.get("value").map_or(e.pos, |v| v.pos);
                out.push(
                    Finding::new(
                        &RULE,
                        v,
                        w.obj.name,
                        format!("`{var}` of `{}` is a literal value, not a Secret", w.obj.name),
                    )
                    .help("use `valueFrom: {secretKeyRef: {name: ..., key: url}}`"),
                );
            }
            Some(_) => {}
            None if from_secret_ref => {}
            None => {
                let why = format!("crate `{}` reads (it has migrations: {has})", code.crate_name);
                let help = format!("add `{var}` from a Secret: `valueFrom: {{secretKeyRef: {{name: ..., key: url}}}}`");
                out.extend(super::unset_env(&RULE, w, var, &why, help));
            }
        }
    }
}
