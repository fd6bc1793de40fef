//! UNUSED_SUPPRESSION (reported after every other rule ran; see `sql::run`).
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Warning,
    summary: "Every `-- nova:ignore RULE` comment suppresses a finding",
    docs: r#"## What it does
Reports `-- nova:ignore RULE reason` comments that suppressed nothing: the problem was fixed, the
comment sits above the wrong statement, or the rule ID is misspelt (an ID no rule has). Comments
naming a rule that is switched off in the configuration are not reported.

## Why
A stale suppression silently hides the next real finding of that rule on that statement; a
misspelt one never worked.

## Example
Failing:
```sql
-- nova:ignore SOFT_DELETE_CHEK legacy table
CREATE TABLE posts (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ, deleted_by UUID);
```
Passing:
```sql
-- nova:ignore SOFT_DELETE_CHECK legacy table
CREATE TABLE posts (id UUID PRIMARY KEY, deleted_at TIMESTAMPTZ, deleted_by UUID);
```

## Fix
Delete the comment or correct the rule ID.
"#,
    ..RuleInfo::new("UNUSED_SUPPRESSION", "migrations")
};
