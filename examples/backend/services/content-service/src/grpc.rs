//! ContentService gRPC implementation (bodies elided).
use crate::pb::content::v1::content_service_server::ContentService;
use crate::pb::content::v1::*;
use tonic::{Request, Response, Status};

#[derive(Default)]
pub struct ContentGrpc;

#[tonic::async_trait]
impl ContentService for ContentGrpc {
    async fn create_post(&self, _req: Request<CreatePostRequest>) -> Result<Response<CreatePostResponse>, Status> {
        Err(Status::unimplemented("example"))
    }
    async fn get_post(&self, _req: Request<GetPostRequest>) -> Result<Response<GetPostResponse>, Status> {
        Err(Status::unimplemented("example"))
    }
    async fn list_posts_by_author(&self, _req: Request<ListPostsByAuthorRequest>) -> Result<Response<ListPostsByAuthorResponse>, Status> {
        Err(Status::unimplemented("example"))
    }
    async fn delete_post(&self, _req: Request<DeletePostRequest>) -> Result<Response<DeletePostResponse>, Status> {
        Err(Status::unimplemented("example"))
    }
}
