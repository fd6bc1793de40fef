//! `gen-descriptor IN.pb OUT_DIR`: Rust types for the messages of a descriptor set protoc wrote
//! (`protoc --include_imports --descriptor_set_out=IN.pb google/protobuf/descriptor.proto`).
use prost::Message;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, out_dir] = args.as_slice() else {
        eprintln!("usage: gen-descriptor IN.pb OUT_DIR");
        std::process::exit(2);
    };
    let bytes = std::fs::read(input).expect("read the descriptor set");
    let fds = prost_types::FileDescriptorSet::decode(bytes.as_slice()).expect("decode the descriptor set");
    let mut config = prost_build::Config::new();
    config.out_dir(out_dir);
    // Without this prost-build maps `.google.protobuf` to prost-types instead of generating it.
    config.compile_well_known_types();
    config.compile_fds(fds).expect("generate");
}
