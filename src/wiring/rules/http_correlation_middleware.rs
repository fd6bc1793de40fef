//! `HTTP_CORRELATION_MIDDLEWARE`: an actix-web App (or axum Router) served by the service wraps the correlation-ID middleware.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["CORRELATION"],
    default_severity: Severity::Error,
    summary: "An actix-web App (or axum Router) served by the service wraps the correlation-ID middleware",
    docs: r#"## What it does
Finds every actix-web `App::new()` that an `HttpServer` serves (an inline closure, a closure bound
by `let`, a factory function such as `HttpServer::new(make_app)`, or an App built in a helper
function) and checks that its `.wrap(...)` chain includes the correlation middleware
(`[wiring] middleware`, default `CorrelationIdMiddleware`, matched by last path segment or full path,
`use ... as ...` aliases included). An App without App-wide middleware passes when every route it
registers is inside `.service(web::scope(..).wrap(CorrelationIdMiddleware))` scopes, the routes
registered by `.configure(f)` included (`f` a closure or a `fn(&mut web::ServiceConfig)` in the
same or another module). For axum, the Router given to `axum::serve` needs a `.layer(...)` or
`.route_layer(...)` with one of `[wiring] axum_layers` (default `CorrelationIdLayer`).

## Why
Roadmap P1.1: every request carries one correlation ID. The HTTP edge is where it is read from
`x-correlation-id` or created; an App without the middleware starts a new trace for every request
and handlers calling `get_correlation_id(&req)` get nothing.

## Example
Failing:
```rust
HttpServer::new(|| App::new().service(health))
```
Passing:
```rust
HttpServer::new(|| App::new().wrap(CorrelationIdMiddleware).service(health))
```

## Fix
Insert `.wrap(CorrelationIdMiddleware)` right after `App::new()`. `nova wiring check --fix` does it
when the middleware is already imported in that file; otherwise it is suggested (add
`use actix_middleware::CorrelationIdMiddleware;`)."#,
    ..RuleInfo::new("HTTP_CORRELATION_MIDDLEWARE", "wiring")
};
