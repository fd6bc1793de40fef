//! UserService gRPC implementation (bodies elided).
use crate::pb::user::v1::user_service_server::UserService;
use crate::pb::user::v1::*;
use tonic::{Request, Response, Status};

#[derive(Default)]
pub struct UserGrpc;

#[tonic::async_trait]
impl UserService for UserGrpc {
    async fn get_user(&self, _req: Request<GetUserRequest>) -> Result<Response<GetUserResponse>, Status> {
        Err(Status::unimplemented("example"))
    }
    async fn batch_get_users(&self, _req: Request<BatchGetUsersRequest>) -> Result<Response<BatchGetUsersResponse>, Status> {
        Err(Status::unimplemented("example"))
    }
    async fn update_profile(&self, _req: Request<UpdateProfileRequest>) -> Result<Response<UpdateProfileResponse>, Status> {
        Err(Status::unimplemented("example"))
    }
    async fn follow_user(&self, _req: Request<FollowUserRequest>) -> Result<Response<FollowUserResponse>, Status> {
        Err(Status::unimplemented("example"))
    }
    async fn list_followers(&self, _req: Request<ListFollowersRequest>) -> Result<Response<ListFollowersResponse>, Status> {
        Err(Status::unimplemented("example"))
    }
}
