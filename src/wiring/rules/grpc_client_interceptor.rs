//! `GRPC_CLIENT_INTERCEPTOR`: tonic clients are built with an interceptor that injects the correlation key.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["CORRELATION"],
    default_severity: Severity::Error,
    summary: "tonic clients are built with an interceptor that injects the correlation key",
    docs: r#"## What it does
Finds every tonic client construction (`XClient::new(channel)`, `XClient::connect(url)`) and reports
the ones not built with an injecting interceptor (`XClient::with_interceptor(channel, injector)`,
or a channel wrapped in `InterceptedService::new`). An injector that never sets the configured
key is reported too.

A tonic client is recognised by its construction, not by a name ending in `Client`: a type from a
generated client module (`auth_service_client::AuthServiceClient`), `with_interceptor(channel, f)`, `connect(dst)` in a file that uses
tonic, or `new(channel)` whose one argument is a `Channel` / `Endpoint` / `InterceptedService`
(built, `connect()`ed or a parameter of that type). HTTP SDK clients such as
`ClickHouseClient::new(url, db, user, password, timeout)` are not reported.

## Why
Roadmap P1.1: the correlation ID must cross every gRPC hop. A plain client drops it, so the
callee starts a new trace.

## Example
Failing:
```rust
let client = AuthServiceClient::connect("http://auth:50051").await?;
```
Passing:
```rust
let channel = Channel::from_static("http://auth:50051").connect().await?;
let client = AuthServiceClient::with_interceptor(channel, inject_correlation_id);
```

## Fix
Build the client with `with_interceptor` and an injector that sets `correlation-id` from the
current request's context."#,
    ..RuleInfo::new("GRPC_CLIENT_INTERCEPTOR", "wiring")
};
