// Compiles the registry's protos (never a local copy): the registry is the single source of truth.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto_root = std::path::PathBuf::from("../../../../nova-protos");
    tonic_build::configure().compile_protos(
        &[
            proto_root.join("protos/user/v1/users.proto"),
            proto_root.join("protos/auth/v1/auth.proto"),
        ],
        &[proto_root.join("protos")],
    )?;
    Ok(())
}
