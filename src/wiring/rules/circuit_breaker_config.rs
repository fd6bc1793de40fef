//! `CIRCUIT_BREAKER_CONFIG`: circuit-breaker configurations are complete (timeout, non-zero thresholds, window).
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["RESILIENCE"],
    default_severity: Severity::Error,
    summary: "Circuit-breaker configurations are complete (timeout, non-zero thresholds, window)",
    docs: r#"## What it does
Checks every `CircuitBreakerConfig { .. }` literal (`[wiring] breaker_config_types`): it must set a
`timeout` (unless it spreads a base config with `..`), must not use a zero timeout or a zero
`failure_threshold`/`success_threshold`/`window_size`, and a breaker that judges an
`error_rate_threshold` needs a `window_size` (a minimum number of calls).

## Why
Roadmap P0.4: per-dependency thresholds and timeouts (auth 3/3/30 s, media 5/5/60 s, search
5/3/30 s). A breaker without a timeout never closes again; an error-rate breaker without a window
opens on the first failure of a fresh breaker.

## Example
Failing:
```rust
CircuitBreaker::new(CircuitBreakerConfig { failure_threshold: 3, success_threshold: 3, error_rate_threshold: 0.5 })
```
Passing:
```rust
CircuitBreaker::new(CircuitBreakerConfig {
    failure_threshold: 3, success_threshold: 3, timeout: Duration::from_secs(30),
    error_rate_threshold: 0.5, window_size: 20,
})
```

## Fix
Set the missing field, or start from a preset (`grpc_config()`) and override with `..`."#,
    ..RuleInfo::new("CIRCUIT_BREAKER_CONFIG", "wiring")
};
