//! Correlation ID across the three boundaries: HTTP header, gRPC metadata, Kafka header.
use rdkafka::message::{Header, OwnedHeaders};
use tonic::metadata::MetadataValue;
use tonic::{Request, Status};

pub const HTTP_CORRELATION_ID_HEADER: &str = "x-correlation-id";
pub const GRPC_CORRELATION_ID_KEY: &str = "correlation-id";
pub const KAFKA_CORRELATION_ID_HEADER: &str = "correlation-id";

/// The correlation id of the current request, stored in request extensions.
#[derive(Clone, Debug)]
pub struct CorrelationId(pub String);

/// actix-web middleware: reads `x-correlation-id` (or generates one at the edge) and stores it in
/// the request extensions. (Body elided: the example only needs the type's name.)
pub struct CorrelationIdMiddleware;

/// Reads the correlation id stored by `CorrelationIdMiddleware`.
pub fn get_correlation_id(req: &actix_web::HttpRequest) -> String {
    req.extensions().get::<CorrelationId>().map(|c| c.0.clone()).unwrap_or_default()
}

/// gRPC client interceptor: copies the caller's correlation id into the outgoing metadata.
pub fn inject_grpc(mut req: Request<()>) -> Result<Request<()>, Status> {
    let cid = req.extensions().get::<CorrelationId>().map(|c| c.0.clone());
    if let Some(cid) = cid {
        if let Ok(v) = MetadataValue::try_from(cid.as_str()) {
            req.metadata_mut().insert(GRPC_CORRELATION_ID_KEY, v);
        }
    }
    Ok(req)
}

/// Kafka: adds the `correlation-id` header to a record's headers.
pub fn inject_headers(headers: OwnedHeaders, correlation_id: &str) -> OwnedHeaders {
    headers.insert(Header { key: KAFKA_CORRELATION_ID_HEADER, value: Some(correlation_id) })
}
