// Compiles the registry's protos: its own service and the user client.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_root = std::path::PathBuf::from("../../../../nova-protos");
    tonic_build::configure().compile_protos(
        &[
            proto_root.join("protos/notification/v1/notifications.proto"),
            proto_root.join("protos/user/v1/users.proto"),
        ],
        &[proto_root.join("protos")],
    )?;
    Ok(())
}
