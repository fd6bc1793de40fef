//! `gen-descriptor IN.pb OUT_DIR`: Rust types for the messages of a descriptor set protoc wrote
//! (`protoc --include_imports --descriptor_set_out=IN.pb google/protobuf/descriptor.proto
//! google/protobuf/*_features.proto`).
//!
//! The language feature sets (`pb.cpp`, `pb.java`, `pb.go`, `pb.csharp`) are extensions of
//! `google.protobuf.FeatureSet`. prost has no extensions and drops unknown fields when decoding,
//! so each extension of FeatureSet in the set is added to FeatureSet as an ordinary field of the
//! same number and type: the generated FeatureSet decodes `features.(pb.cpp).string_type`.
use prost::Message;
use prost_types::{FieldDescriptorProto, FileDescriptorSet};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, out_dir] = args.as_slice() else {
        eprintln!("usage: gen-descriptor IN.pb OUT_DIR");
        std::process::exit(2);
    };
    let bytes = std::fs::read(input).expect("read the descriptor set");
    let mut fds = FileDescriptorSet::decode(bytes.as_slice()).expect("decode the descriptor set");
    let extensions: Vec<FieldDescriptorProto> = fds
        .file
        .iter()
        .flat_map(|f| &f.extension)
        .filter(|x| x.extendee() == ".google.protobuf.FeatureSet")
        .map(|x| FieldDescriptorProto { extendee: None, json_name: None, ..x.clone() })
        .collect();
    let descriptor = fds.file.iter_mut().find(|f| f.name() == "google/protobuf/descriptor.proto").expect("descriptor.proto");
    let feature_set = descriptor.message_type.iter_mut().find(|m| m.name() == "FeatureSet").expect("FeatureSet");
    feature_set.field.extend(extensions);
    for f in &mut fds.file {
        f.extension.retain(|x| x.extendee() != ".google.protobuf.FeatureSet");
    }
    let mut config = prost_build::Config::new();
    config.out_dir(out_dir);
    // Without this prost-build maps `.google.protobuf` to prost-types instead of generating it.
    config.compile_well_known_types();
    // Options messages are boxed: inline, a field descriptor is 480 bytes against 208 (most
    // elements have no options, and an inline `Option<FieldOptions>` takes its full size anyway).
    for owner in [
        "FileDescriptorProto",
        "DescriptorProto",
        "DescriptorProto.ExtensionRange",
        "FieldDescriptorProto",
        "OneofDescriptorProto",
        "EnumDescriptorProto",
        "EnumValueDescriptorProto",
        "ServiceDescriptorProto",
        "MethodDescriptorProto",
    ] {
        config.boxed(format!(".google.protobuf.{owner}.options"));
    }
    config.compile_fds(fds).expect("generate");
}
