//! `[wiring]` in nova.toml. Defaults follow the backend's conventions (roadmap P0.4 / P1.1).
use crate::config::Severities;
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct WiringConfig {
    /// Per-rule severity overrides (`RULE = "error" | "warning" | "info" | "off"`).
    pub severity: Severities,
    /// Paths (relative to the checked root) where no wiring rule runs.
    pub ignore: Vec<String>,
    /// actix-web correlation middleware type(s); a bare name matches by last path segment.
    pub middleware: Vec<String>,
    /// axum / tower layer(s) that carry the correlation ID.
    pub axum_layers: Vec<String>,
    /// gRPC metadata key the interceptors must read or write.
    pub grpc_metadata_key: String,
    /// Constants that stand for the gRPC metadata key (e.g. `GRPC_CORRELATION_ID_KEY`).
    pub grpc_key_consts: Vec<String>,
    /// Interceptor helpers known to handle the correlation ID (accepted without inspection).
    pub interceptors: Vec<String>,
    /// Kafka header key carrying the correlation ID.
    pub kafka_header: String,
    /// Constants that stand for the Kafka header key.
    pub kafka_header_consts: Vec<String>,
    /// Helper(s) that add the correlation header to Kafka headers.
    pub inject_headers: Vec<String>,
    /// gRPC services that need no interceptor (path segments: crate, module or type names).
    pub exempt_services: Vec<String>,
    /// Downstream services whose gRPC clients must be called through a circuit breaker.
    pub downstream_services: Vec<String>,
    /// Circuit-breaker types or wrapper types; a call made inside `<breaker>.call(..)` is protected.
    pub breaker_types: Vec<String>,
    /// Config struct literal checked for forbidden settings.
    pub breaker_config_types: Vec<String>,
}

impl Default for WiringConfig {
    fn default() -> Self {
        fn v(xs: &[&str]) -> Vec<String> {
            xs.iter().map(|s| s.to_string()).collect()
        }
        WiringConfig {
            severity: Severities::default(),
            ignore: Vec::new(),
            middleware: v(&["CorrelationIdMiddleware"]),
            axum_layers: v(&["CorrelationIdLayer"]),
            grpc_metadata_key: "correlation-id".into(),
            grpc_key_consts: v(&["GRPC_CORRELATION_ID_KEY"]),
            interceptors: v(&["GrpcCorrelationInterceptor", "grpc_correlation_interceptor"]),
            kafka_header: "correlation-id".into(),
            kafka_header_consts: v(&["KAFKA_CORRELATION_ID_HEADER"]),
            inject_headers: v(&["inject_headers"]),
            exempt_services: v(&["tonic_health", "HealthServer", "tonic_reflection", "ServerReflectionServer"]),
            downstream_services: v(&["auth", "media", "search"]),
            breaker_types: v(&["CircuitBreaker", "ResilientClient", "CircuitBreakerKafkaPublisher"]),
            breaker_config_types: v(&["CircuitBreakerConfig"]),
        }
    }
}
