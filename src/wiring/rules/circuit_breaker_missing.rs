//! `CIRCUIT_BREAKER_MISSING`: calls to downstream gRPC services go through a circuit breaker.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["RESILIENCE"],
    default_severity: Severity::Warning,
    summary: "Calls to downstream gRPC services go through a circuit breaker",
    docs: r#"## What it does
For gRPC clients of the services in `[wiring] downstream_services` (default auth, media, search:
bindings built from such a client, or fields/variables named like `auth_client`), reports calls that
are not made inside a circuit breaker's `.call(...)` (a receiver named like `breaker`/`cb`, a function
whose name mentions a breaker) and not through a wrapper type listed in `[wiring] breaker_types`.

## Why
Roadmap P0.4: a slow auth-service must not hang every request; without a breaker one slow
dependency takes down the API.

## Example
Failing:
```rust
let resp = self.auth_client.clone().validate_token(req).await?;
```
Passing:
```rust
let resp = self.breaker.call(|| async { self.auth_client.clone().validate_token(req).await }).await?;
```

## Fix
Wrap the call in `CircuitBreaker::call`, with the per-service thresholds of the roadmap."#,
    ..RuleInfo::new("CIRCUIT_BREAKER_MISSING", "wiring")
};
