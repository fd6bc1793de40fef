//! `KAFKA_HEADER_KEY_MISMATCH`: kafka correlation headers use the configured key.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["CORRELATION"],
    default_severity: Severity::Error,
    summary: "Kafka correlation headers use the configured key",
    docs: r#"## What it does
Reports a Kafka record whose headers carry a correlation-looking key other than
`[wiring] kafka_header` (default `correlation-id`), e.g. `correlation_id` or `x-correlation-id`.

## Why
Header keys are matched exactly: consumers reading `correlation-id` see nothing.

## Example
Failing:
```rust
.headers(OwnedHeaders::new().insert(Header { key: "correlation_id", value: Some(&cid) }))
```
Passing:
```rust
.headers(OwnedHeaders::new().insert(Header { key: KAFKA_CORRELATION_ID_HEADER, value: Some(&cid) }))
```

## Fix
Use `KAFKA_CORRELATION_ID_HEADER` or the `inject_headers` helper."#,
    ..RuleInfo::new("KAFKA_HEADER_KEY_MISMATCH", "wiring")
};
