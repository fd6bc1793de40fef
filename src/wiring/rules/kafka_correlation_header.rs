//! `KAFKA_CORRELATION_HEADER`: kafka records carry the correlation-ID header.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["CORRELATION"],
    default_severity: Severity::Error,
    summary: "Kafka records carry the correlation-ID header",
    docs: r#"## What it does
Finds every Kafka record (`FutureRecord::to(..)`, `BaseRecord::to(..)`, builders split across `let`
statements included) and checks that its `.headers(...)` include `[wiring] kafka_header` (default
`correlation-id`), either through a helper listed in `[wiring] inject_headers` (default
`inject_headers`) or an explicit `.insert(Header { key: "correlation-id", .. })`.

## Why
Roadmap P1.1 and P0.3: events must be traceable to the user action that caused them; consumers
read the correlation ID from the record's headers.

## Example
Failing:
```rust
producer.send(FutureRecord::to("users").key(&id).payload(&body), timeout).await;
```
Passing:
```rust
producer.send(
    FutureRecord::to("users").key(&id).payload(&body)
        .headers(inject_headers(OwnedHeaders::new(), &correlation_id)),
    timeout,
).await;
```

## Fix
Add `.headers(inject_headers(OwnedHeaders::new(), &correlation_id))`. `--fix` inserts it when a
correlation value (`correlation_id`, `cid`) is in scope and both names are imported; otherwise it is
suggested."#,
    ..RuleInfo::new("KAFKA_CORRELATION_HEADER", "wiring")
};
