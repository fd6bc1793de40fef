//! `ENUM_VALUE_SAME_NAME`: enum values have the same name.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::{enum_names, enum_numbers};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "CSR"],
    default_enabled: true,
    summary: "enum values have the same name",
    docs: r#"## What it does
Reports an enum value number whose name changed (with `allow_alias`, any previous name that no longer names the number).

## Why
JSON and text formats carry enum values by name: a renamed value breaks every JSON client, and generated constants change name.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
enum Role {
  ROLE_UNSPECIFIED = 0;
  ROLE_ADMIN = 1;
}
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
enum Role {
  ROLE_UNSPECIFIED = 0;
  ROLE_ADMINISTRATOR = 1;
}
```

## Fix
Keep the old name. To introduce a new one, add it as an alias (`option allow_alias = true;`) next to the old one.
"#,
    ..RuleInfo::new("ENUM_VALUE_SAME_NAME", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_enums() {
        for (n, pnames) in enum_numbers(p) {
            let cnames = enum_names(c, n);
            if cnames.is_empty() || pnames.iter().all(|x| cnames.contains(x)) {
                continue;
            }
            let idx = c.desc.value.iter().position(|v| v.number() == n).unwrap_or(0);
            let mut path = c.path.clone();
            path.extend_from_slice(&[2, idx as i32]);
            // buf reports at the value's number: the number is what stayed, the name changed.
            let span = cx.cur.files.get(c.file).and_then(|f| f.loc_or(&[path.as_slice(), &[2]].concat(), &path));
            out.add(
                RULE.id,
                cx.cur,
                Some(c.file),
                span,
                &[p.package, c.package],
                format!(
                    "Enum value \"{n}\" on enum \"{}\" changed name from \"{}\" to \"{}\".",
                    c.name,
                    pnames.join(", "),
                    cnames.join(", ")
                ),
            );
        }
    }
}
