//! `GRPC_SERVER_INTERCEPTOR`: every tonic service registration is wrapped by an interceptor that reads the correlation key.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["CORRELATION"],
    default_severity: Severity::Error,
    summary: "Every tonic service registration is wrapped by an interceptor that reads the correlation key",
    docs: r#"## What it does
For every `Server::builder()...add_service(X)` (builders split across `let` statements and aliased
imports such as `use tonic::transport::Server as GrpcServer` included) it checks that `X` is built
with `XServer::with_interceptor(svc, f)` or `InterceptedService::new(svc, f)`, and that `f` (a function,
a closure or an `impl Interceptor` type, resolved in the same file or another module of the
service) reads the metadata key `[wiring] grpc_metadata_key` (default `correlation-id`, or a constant
listed in `grpc_key_consts`). Health and reflection services (`[wiring] exempt_services`) are exempt.

## Why
Roadmap P1.1: the gRPC boundary must copy the correlation ID from the metadata into the request,
or every downstream log line and Kafka event loses the trace.

## Example
Failing:
```rust
Server::builder().add_service(UserServiceServer::new(svc)).serve(addr).await?;
```
Passing:
```rust
Server::builder()
    .add_service(UserServiceServer::with_interceptor(svc, correlation_interceptor))
    .serve(addr).await?;

fn correlation_interceptor(mut req: Request<()>) -> Result<Request<()>, Status> {
    if let Some(v) = req.metadata().get("correlation-id").cloned() { req.extensions_mut().insert(v); }
    Ok(req)
}
```

## Fix
Build the service with `XServer::with_interceptor(svc, interceptor)`; the interceptor reads
`GRPC_CORRELATION_ID_KEY` from `crypto_core::correlation`."#,
    ..RuleInfo::new("GRPC_SERVER_INTERCEPTOR", "wiring")
};
