//! Arbitrary bytes as one `.proto` file through discovery-free loading and compilation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::collections::BTreeMap;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let mut files = BTreeMap::new();
    files.insert("fuzz/v1/fuzz.proto".to_string(), data.to_vec());
    let set = nova::proto::loader::ProtoSet::from_memory(Path::new("/fuzz"), files, &[String::new()]);
    let compiled = nova::proto::loader::compile(&set);
    for d in &compiled.errors {
        // Every error must point at the file that caused it.
        assert_eq!(d.file.as_ref().map(|f| f.path.as_str()), Some("fuzz/v1/fuzz.proto"), "{d:?}");
    }
});
