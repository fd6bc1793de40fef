//! The wiring rules, one file each. The analysis that finds their evidence is in `analyze/`, one
//! file per concern: `http.rs`, `grpc_server.rs`, `clients.rs`, `kafka.rs`, `breakers.rs`, with the
//! shared name resolution in `resolve.rs`.
use crate::rules::RuleInfo;

crate::declare_rules! {
    reported: [
        http_correlation_middleware,
        grpc_server_interceptor,
        grpc_metadata_key_mismatch,
        grpc_client_interceptor,
        kafka_correlation_header,
        kafka_header_key_mismatch,
        kafka_fresh_correlation_id,
        circuit_breaker_missing,
        circuit_breaker_config,
        wiring_not_analysed,
    ],
}

/// Every wiring rule, in registry order.
pub fn all() -> Vec<&'static RuleInfo> {
    ALL.to_vec()
}
