//! NotificationService gRPC implementation (bodies elided).
use crate::pb::notification::v1::notification_service_server::NotificationService;
use crate::pb::notification::v1::*;
use tonic::{Request, Response, Status};

#[derive(Default)]
pub struct NotificationGrpc;

#[tonic::async_trait]
impl NotificationService for NotificationGrpc {
    async fn list_notifications(&self, _req: Request<ListNotificationsRequest>) -> Result<Response<ListNotificationsResponse>, Status> {
        Err(Status::unimplemented("example"))
    }
    async fn mark_read(&self, _req: Request<MarkReadRequest>) -> Result<Response<MarkReadResponse>, Status> {
        Err(Status::unimplemented("example"))
    }
    async fn register_device(&self, _req: Request<RegisterDeviceRequest>) -> Result<Response<RegisterDeviceResponse>, Status> {
        Err(Status::unimplemented("example"))
    }
}
