//! notification-service: the notification feed and push fan-out. DELIBERATE wiring problems
//! (see examples/backend/README.md): a user-service client built without the injecting
//! interceptor, and a Kafka record whose correlation header is misspelled.
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use nova_common::correlation::{get_correlation_id, CorrelationId, CorrelationIdMiddleware};
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};
use std::sync::Arc;
use std::time::Duration;
use tonic::transport::{Channel, Server};
use tonic::{Request, Status};

pub mod pb {
    pub mod common {
        pub mod v1 {
            tonic::include_proto!("common.v1");
        }
    }
    pub mod user {
        pub mod v1 {
            tonic::include_proto!("user.v1");
        }
    }
    pub mod notification {
        pub mod v1 {
            tonic::include_proto!("notification.v1");
        }
    }
}

use pb::notification::v1::notification_service_server::NotificationServiceServer;
use pb::user::v1::user_service_client::UserServiceClient;
use pb::user::v1::GetUserRequest;

mod grpc;

pub struct AppState {
    users: UserServiceClient<Channel>,
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

async fn send_test_push(req: HttpRequest, state: web::Data<Arc<AppState>>) -> HttpResponse {
    let cid = get_correlation_id(&req);
    let mut users = state.users.clone();
    if users.get_user(GetUserRequest { user_id: "me".into() }).await.is_err() {
        return HttpResponse::NotFound().finish();
    }
    let payload = serde_json::json!({ "event_type": "PushRequested" }).to_string();
    let headers = OwnedHeaders::new().insert(Header { key: "correlation_id", value: Some(cid.as_str()) });
    let record = FutureRecord::to("push-requests").key("user-id").payload(&payload).headers(headers);
    match state.producer.send(record, Duration::from_secs(5)).await {
        Ok(_) => HttpResponse::Accepted().finish(),
        Err(_) => HttpResponse::ServiceUnavailable().finish(),
    }
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let user_channel = Channel::from_static("http://user-service:50052").connect_lazy();
    let users = UserServiceClient::new(user_channel);
    let producer: FutureProducer = rdkafka::ClientConfig::new().set("bootstrap.servers", "kafka:9092").create()?;
    let state = Arc::new(AppState { users, producer });

    let grpc_addr = "0.0.0.0:50054".parse()?;
    let feed = NotificationServiceServer::with_interceptor(grpc::NotificationGrpc::default(), correlation_interceptor);
    let grpc = Server::builder().add_service(feed).serve(grpc_addr);

    let http_state = state.clone();
    let http = HttpServer::new(move || {
        App::new()
            .wrap(CorrelationIdMiddleware)
            .app_data(web::Data::new(http_state.clone()))
            .route("/v1/push/test", web::post().to(send_test_push))
    })
    .bind(("0.0.0.0", 8082))?
    .run();

    tokio::try_join!(async { grpc.await.map_err(anyhow::Error::from) }, async { http.await.map_err(anyhow::Error::from) })?;
    Ok(())
}
