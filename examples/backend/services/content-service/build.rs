// content-service's own protos come from the registry ...
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_root = std::path::PathBuf::from("../../../../nova-protos");
    tonic_build::configure().build_client(false).compile_protos(
        &[proto_root.join("protos/content/v1/posts.proto")],
        &[proto_root.join("protos")],
    )?;
    tonic_build::configure().build_server(false).compile_protos(
        &[proto_root.join("protos/auth/v1/auth.proto")],
        &[proto_root.join("protos")],
    )?;
    // ... but the user client is still generated from the service-local copy (DELIBERATE: drift).
    tonic_build::configure().build_server(false).compile_protos(&["proto/users.proto"], &["proto"])?;
    Ok(())
}
