//! The wiring rules, one file each. The analysis that finds their evidence is in `analyze.rs`.
use crate::rules::RuleInfo;

pub mod circuit_breaker_config;
pub mod circuit_breaker_missing;
pub mod grpc_client_interceptor;
pub mod grpc_metadata_key_mismatch;
pub mod grpc_server_interceptor;
pub mod http_correlation_middleware;
pub mod kafka_correlation_header;
pub mod kafka_fresh_correlation_id;
pub mod kafka_header_key_mismatch;
pub mod wiring_not_analysed;

/// Every wiring rule, in registry order.
pub fn all() -> Vec<&'static RuleInfo> {
    vec![
        &http_correlation_middleware::RULE,
        &grpc_server_interceptor::RULE,
        &grpc_metadata_key_mismatch::RULE,
        &grpc_client_interceptor::RULE,
        &kafka_correlation_header::RULE,
        &kafka_header_key_mismatch::RULE,
        &kafka_fresh_correlation_id::RULE,
        &circuit_breaker_missing::RULE,
        &circuit_breaker_config::RULE,
        &wiring_not_analysed::RULE,
    ]
}
