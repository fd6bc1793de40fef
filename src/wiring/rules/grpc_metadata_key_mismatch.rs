//! `GRPC_METADATA_KEY_MISMATCH`: gRPC interceptors use the configured metadata key, not a differently spelled one.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["CORRELATION"],
    default_severity: Severity::Error,
    summary: "gRPC interceptors use the configured metadata key, not a differently spelled one",
    docs: r#"## What it does
Reports a server or client interceptor that reads or writes a correlation-looking metadata key that
is not `[wiring] grpc_metadata_key` (default `correlation-id`), e.g. `x-correlation-id` (the HTTP
header name) or `correlation_id`.

## Why
Metadata keys are matched exactly. A server reading `x-correlation-id` never sees the
`correlation-id` its clients send, so the trace breaks silently while the code looks wired.

## Example
Failing:
```rust
fn interceptor(req: Request<()>) -> Result<Request<()>, Status> {
    let _ = req.metadata().get("x-correlation-id");
    Ok(req)
}
```
Passing:
```rust
fn interceptor(req: Request<()>) -> Result<Request<()>, Status> {
    let _ = req.metadata().get(GRPC_CORRELATION_ID_KEY);
    Ok(req)
}
```

## Fix
Use the constant `GRPC_CORRELATION_ID_KEY` (`correlation-id`) instead of a literal."#,
    ..RuleInfo::new("GRPC_METADATA_KEY_MISMATCH", "wiring")
};
