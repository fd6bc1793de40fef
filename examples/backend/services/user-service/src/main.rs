//! user-service: the example backend's fully correct service. Every boundary carries the
//! correlation id and the auth dependency sits behind a circuit breaker; nova reports nothing here.
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use nova_common::correlation::{get_correlation_id, inject_grpc, inject_headers, CorrelationId, CorrelationIdMiddleware};
use nova_common::resilience::{auth_config, CircuitBreaker};
use rdkafka::message::OwnedHeaders;
use rdkafka::producer::{FutureProducer, FutureRecord};
use std::sync::Arc;
use std::time::Duration;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, Server};
use tonic::{Request, Status};

pub mod pb {
    pub mod common {
        pub mod v1 {
            tonic::include_proto!("common.v1");
        }
    }
    pub mod auth {
        pub mod v1 {
            tonic::include_proto!("auth.v1");
        }
    }
    pub mod user {
        pub mod v1 {
            tonic::include_proto!("user.v1");
        }
    }
}

use pb::auth::v1::auth_service_client::AuthServiceClient;
use pb::auth::v1::ValidateTokenRequest;
use pb::user::v1::user_service_server::UserServiceServer;

mod grpc;

type AuthClient = AuthServiceClient<InterceptedService<Channel, fn(Request<()>) -> Result<Request<()>, Status>>>;

pub struct AppState {
    auth: AuthClient,
    auth_breaker: CircuitBreaker,
    producer: FutureProducer,
}

/// gRPC server interceptor: moves the `correlation-id` metadata into the request extensions.
fn correlation_interceptor(mut req: Request<()>) -> Result<Request<()>, Status> {
    let cid = req.metadata().get("correlation-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    if let Some(cid) = cid {
        req.extensions_mut().insert(CorrelationId(cid));
    }
    Ok(req)
}

async fn get_me(req: HttpRequest, state: web::Data<Arc<AppState>>) -> HttpResponse {
    let token = req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let mut auth = state.auth.clone();
    let checked = state
        .auth_breaker
        .call(|| async move { auth.validate_token(ValidateTokenRequest { access_token: token }).await })
        .await;
    match checked {
        Ok(resp) if resp.get_ref().valid => HttpResponse::Ok().finish(),
        _ => HttpResponse::Unauthorized().finish(),
    }
}

async fn publish_profile_updated(req: HttpRequest, state: web::Data<Arc<AppState>>) -> HttpResponse {
    let cid = get_correlation_id(&req);
    let payload = serde_json::json!({ "event_type": "UserProfileUpdated" }).to_string();
    let record = FutureRecord::to("user-events")
        .key("user-id")
        .payload(&payload)
        .headers(inject_headers(OwnedHeaders::new(), &cid));
    match state.producer.send(record, Duration::from_secs(5)).await {
        Ok(_) => HttpResponse::Accepted().finish(),
        Err(_) => HttpResponse::ServiceUnavailable().finish(),
    }
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let auth_channel = Channel::from_static("http://auth-service:50051").connect_lazy();
    let auth: AuthClient = AuthServiceClient::with_interceptor(auth_channel, inject_grpc as fn(_) -> _);
    let producer: FutureProducer = rdkafka::ClientConfig::new().set("bootstrap.servers", "kafka:9092").create()?;
    let state = Arc::new(AppState { auth, auth_breaker: CircuitBreaker::new(auth_config()), producer });

    let grpc_addr = "0.0.0.0:50052".parse()?;
    let users = UserServiceServer::with_interceptor(grpc::UserGrpc::default(), correlation_interceptor);
    let grpc = Server::builder().add_service(users).serve(grpc_addr);

    let http_state = state.clone();
    let http = HttpServer::new(move || {
        App::new()
            .wrap(CorrelationIdMiddleware)
            .app_data(web::Data::new(http_state.clone()))
            .route("/v1/me", web::get().to(get_me))
            .route("/v1/me/profile-updated", web::post().to(publish_profile_updated))
    })
    .bind(("0.0.0.0", 8080))?
    .run();

    tokio::try_join!(async { grpc.await.map_err(anyhow::Error::from) }, async { http.await.map_err(anyhow::Error::from) })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use actix_web::{test, App};

    // A test App without the middleware is not a service: nova must not report it.
    #[actix_web::test]
    async fn health_route_answers() {
        let app = test::init_service(App::new().route("/health", actix_web::web::get().to(|| async { "ok" }))).await;
        let resp = test::call_service(&app, test::TestRequest::get().uri("/health").to_request()).await;
        assert!(resp.status().is_success());
    }
}
