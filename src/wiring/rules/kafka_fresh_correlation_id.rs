//! `KAFKA_FRESH_CORRELATION_ID`: the Kafka correlation header propagates an ID instead of inventing one.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["CORRELATION"],
    default_severity: Severity::Error,
    summary: "The Kafka correlation header propagates an ID instead of inventing one",
    docs: r#"## What it does
Reports a Kafka record whose correlation header value is a fresh `Uuid::new_v4()` (directly or
through a `let` binding), whether set with `inject_headers` or an explicit `Header`.

## Why
A new ID per event is not propagation: the event can no longer be joined with the request that
caused it, which is the whole point of the header.

## Example
Failing:
```rust
.headers(inject_headers(OwnedHeaders::new(), &Uuid::new_v4().to_string()))
```
Passing:
```rust
.headers(inject_headers(OwnedHeaders::new(), &correlation_id))
```

## Fix
Pass the correlation ID of the request (or of the outbox event) being handled."#,
    ..RuleInfo::new("KAFKA_FRESH_CORRELATION_ID", "wiring")
};
