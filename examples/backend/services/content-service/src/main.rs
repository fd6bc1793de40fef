//! content-service: posts. DELIBERATE wiring problems (see examples/backend/README.md):
//! an App without the correlation middleware, a gRPC server without an interceptor (builder
//! split across `let`s, aliased import), a Kafka record without the correlation header, and an
//! auth-service call outside the circuit breaker.
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use nova_common::correlation::inject_grpc;
use nova_common::resilience::{auth_config, CircuitBreaker};
use rdkafka::producer::{FutureProducer, FutureRecord};
use std::sync::Arc;
use std::time::Duration;
use tonic::service::interceptor::InterceptedService;
use tonic::transport::Channel;
use tonic::transport::Server as GrpcServer;
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
    pub mod content {
        pub mod v1 {
            tonic::include_proto!("content.v1");
        }
    }
}

use pb::auth::v1::auth_service_client::AuthServiceClient;
use pb::auth::v1::ValidateTokenRequest;
use pb::content::v1::content_service_server::ContentServiceServer;

mod grpc;

type Injector = fn(Request<()>) -> Result<Request<()>, Status>;

pub struct AppState {
    auth: AuthServiceClient<InterceptedService<Channel, Injector>>,
    #[allow(dead_code)]
    auth_breaker: CircuitBreaker,
    producer: FutureProducer,
}

async fn create_post(req: HttpRequest, body: String, state: web::Data<Arc<AppState>>) -> HttpResponse {
    let token = req.headers().get("authorization").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    // The breaker exists but this call bypasses it: a slow auth-service hangs every request.
    let mut auth = state.auth.clone();
    let valid = auth.validate_token(ValidateTokenRequest { access_token: token }).await;
    if !matches!(valid, Ok(ref r) if r.get_ref().valid) {
        return HttpResponse::Unauthorized().finish();
    }
    let payload = serde_json::json!({ "event_type": "PostCreated", "body": body }).to_string();
    let record = FutureRecord::to("content-events").key("post-id").payload(&payload);
    match state.producer.send(record, Duration::from_secs(5)).await {
        Ok(_) => HttpResponse::Created().finish(),
        Err(_) => HttpResponse::ServiceUnavailable().finish(),
    }
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let auth_channel = Channel::from_static("http://auth-service:50051").connect_lazy();
    let auth = AuthServiceClient::with_interceptor(auth_channel, inject_grpc as Injector);
    let producer: FutureProducer = rdkafka::ClientConfig::new().set("bootstrap.servers", "kafka:9092").create()?;
    let state = Arc::new(AppState { auth, auth_breaker: CircuitBreaker::new(auth_config()), producer });

    let grpc_addr = "0.0.0.0:50053".parse()?;
    let posts = ContentServiceServer::new(grpc::ContentGrpc::default());
    let mut builder = GrpcServer::builder().timeout(Duration::from_secs(10));
    let router = builder.add_service(posts);
    let grpc = router.serve(grpc_addr);

    let http_state = state.clone();
    let http = HttpServer::new(move || {
        App::new()
            .app_data(web::Data::new(http_state.clone()))
            .route("/v1/posts", web::post().to(create_post))
    })
    .bind(("0.0.0.0", 8081))?
    .run();

    tokio::try_join!(async { grpc.await.map_err(anyhow::Error::from) }, async { http.await.map_err(anyhow::Error::from) })?;
    Ok(())
}
