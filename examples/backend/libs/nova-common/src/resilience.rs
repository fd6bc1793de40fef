//! Circuit breaker (CLOSED -> OPEN -> HALF_OPEN -> CLOSED), thresholds per dependency from the
//! roadmap: auth 3/3/30 s, media 5/5/60 s, search 5/3/30 s.
use std::future::Future;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct CircuitBreakerConfig {
    pub failure_threshold: u32,
    pub success_threshold: u32,
    pub timeout: Duration,
}

pub fn auth_config() -> CircuitBreakerConfig {
    CircuitBreakerConfig { failure_threshold: 3, success_threshold: 3, timeout: Duration::from_secs(30) }
}

pub enum CircuitBreakerError<E> {
    Open,
    CallFailed(E),
}

pub struct CircuitBreaker {
    config: CircuitBreakerConfig,
}

impl CircuitBreaker {
    pub fn new(config: CircuitBreakerConfig) -> Self {
        CircuitBreaker { config }
    }

    /// Runs `f` unless the breaker is open. (State machine elided.)
    pub async fn call<F, Fut, T, E>(&self, f: F) -> Result<T, CircuitBreakerError<E>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        let _ = &self.config;
        f().await.map_err(CircuitBreakerError::CallFailed)
    }
}
