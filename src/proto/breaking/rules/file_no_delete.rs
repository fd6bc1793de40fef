//! `FILE_NO_DELETE`: files are not deleted.
use crate::proto::breaking::engine::{Cx, Finding, Out};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "CSR"],
    default_enabled: true,
    summary: "files are not deleted",
    docs: r#"## What it does
Reports a file of the previous revision whose path no longer exists. Files are matched by their path relative to the module root. The finding has no location: the file is gone.

## Why
Everything that imports the file stops compiling, and generated code for every type it declared disappears.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
// file auth/v1/session.proto
message Session { string id = 1; }
```
Current revision (reported):
```proto
// auth/v1/session.proto deleted
```

## Fix
Restore the file (an empty file that keeps the path is enough once its types live elsewhere), or delete it only in a new major version.
"#,
    ..RuleInfo::new("FILE_NO_DELETE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (name, p) in &cx.prev.files {
        if !cx.cur.files.contains_key(name) {
            // As buf: no location (the file is gone; the message names it). `ignore` paths still
            // match the deleted file's name.
            out.findings.push(Finding {
                rule: RULE.id,
                file: None,
                import: Some(name.to_string()),
                span: None,
                message: format!("Previously present file \"{name}\" was deleted."),
                packages: vec![p.package().to_string()],
            });
        }
    }
}
