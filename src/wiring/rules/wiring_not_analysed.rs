//! `WIRING_NOT_ANALYSED`: code nova found but could not judge, reported instead of skipped.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["ANALYSIS"],
    default_severity: Severity::Warning,
    summary: "a construction nova found but could not follow to the end is reported, not skipped",
    docs: r#"## What it does
Reports, at the construction, wiring that nova found but could not analyse to a verdict, so that
a server never drops out of the fleet matrix without a word. Today that is an `HttpServer::new` or
`axum::serve` whose App/Router is returned by helper functions that call each other in a cycle
(no App is ever built, so there is no middleware to judge), and a macro invocation whose body is
not Rust nova can read but mentions a construction the rules judge (`App::new`, `Router::new`,
`add_service`, `with_interceptor`, `FutureRecord`, `BaseRecord`, `HttpServer`). Macro bodies that
are Rust (`tokio::select!` branches, `tokio::join!` futures, `vec!`, ...) are analysed.

Method chains, `let` bindings and helper functions have no depth limit: a 2,000-link
`App::new()` chain or a long run of `let app = app.wrap(..)` is followed to its end. Files over
4 MB and files with a statement over 256 KB or brackets nested over 100k deep are not parsed at
all; they are reported as `FILE_TOO_LARGE` and `FILE_TOO_COMPLEX`.

## Why
A gate that silently stops looking says "clean" about code it never read (issue 15: a gateway with
100 routes showed `HTTP n/a` and passed).

## Example
Failing:
```rust
fn app() -> App<()> { routes() }
fn routes() -> App<()> { app() }
HttpServer::new(app)
```
Passing:
```rust
fn app() -> App<()> { App::new().wrap(CorrelationIdMiddleware).route("/health", web::get().to(health)) }
HttpServer::new(app)
```

## Fix
Build the App/Router in a helper that returns it; silence a deliberate case with
`// nova:ignore WIRING_NOT_ANALYSED reason`."#,
    ..RuleInfo::new("WIRING_NOT_ANALYSED", "wiring")
};
