use super::*;
use crate::proto::loader::{ProtoSet, compile};
use std::collections::BTreeMap;
use std::path::Path;

/// Compile `text` as `a.proto` and resolve it.
fn resolved(text: &str) -> (FileDescriptorProto, Resolved) {
    let files = BTreeMap::from([("a.proto".to_string(), text.as_bytes().to_vec())]);
    let set = ProtoSet::from_memory(Path::new("."), files, &[String::new()]);
    let compiled = compile(&set);
    assert!(compiled.errors.is_empty(), "{:?}", compiled.errors.iter().map(|e| &e.message).collect::<Vec<_>>());
    let fd = compiled.files["a.proto"].clone();
    let r = resolve(&fd);
    (fd, r)
}

fn at<'r>(r: &'r Resolved, path: &[i32]) -> &'r Features {
    r.get(path).unwrap_or_else(|| panic!("no features at {path:?}"))
}

#[test]
fn edition_defaults_come_from_descriptor_proto() {
    let p2 = edition_defaults(Edition::Proto2);
    assert_eq!(p2.field_presence(), FieldPresence::Explicit);
    assert!(p2.enum_closed());
    assert_eq!(p2.utf8_validation(), Utf8Validation::None);
    assert_eq!(p2.json_format(), JsonFormat::LegacyBestEffort);
    assert_eq!(p2.repeated_field_encoding(), RepeatedFieldEncoding::Expanded);
    assert_eq!(p2.cpp_string_type(), StringType::String);
    assert!(!p2.java_utf8_verify());
    let p3 = edition_defaults(Edition::Proto3);
    assert_eq!(p3.field_presence(), FieldPresence::Implicit);
    assert!(!p3.enum_closed());
    assert_eq!(p3.utf8_validation(), Utf8Validation::Verify);
    assert_eq!(p3.json_format(), JsonFormat::Allow);
    assert_eq!(p3.repeated_field_encoding(), RepeatedFieldEncoding::Packed);
    let e23 = edition_defaults(Edition::Edition2023);
    assert_eq!(e23.field_presence(), FieldPresence::Explicit);
    assert!(!e23.enum_closed());
    assert_eq!(e23.utf8_validation(), Utf8Validation::Verify);
    assert!(!e23.delimited());
    assert_eq!(e23.cpp_string_type(), StringType::String);
    // Edition 2024 changes C++ strings to views; the language sets resolve too.
    let e24 = edition_defaults(Edition::Edition2024);
    assert_eq!(e24.cpp_string_type(), StringType::View);
    assert_eq!(e24.java_utf8_feature(), JavaUtf8::Default);
    // An edition between listed ones takes the greatest default below it.
    assert_eq!(edition_defaults(Edition::Edition2026).cpp_string_type(), StringType::View);
}

#[test]
fn written_features_are_inherited_and_overridden() {
    let (_, r) = resolved(
        r#"edition = "2023";
import "google/protobuf/cpp_features.proto";
option features.field_presence = IMPLICIT;
option features.enum_type = CLOSED;
option features.utf8_validation = NONE;
option features.json_format = LEGACY_BEST_EFFORT;
message M {
  option features.json_format = ALLOW;
  string a = 1;
  string b = 2 [features.field_presence = EXPLICIT, features.(pb.cpp).string_type = CORD];
  oneof o {
    string c = 3 [features.utf8_validation = VERIFY];
  }
  M child = 4;
  string d = 5 [features.field_presence = LEGACY_REQUIRED];
  message N { string e = 1; }
  enum E { option features.enum_type = OPEN; E_A = 0; }
  extend M { string x = 100; }
  extensions 100 to 200;
}
enum F { F_A = 1; }
service S { rpc R(M) returns (M); }
"#,
    );
    assert_eq!(at(&r, &[]).field_presence(), FieldPresence::Implicit);
    let a = at(&r, &[4, 0, 2, 0]);
    assert_eq!((a.field_presence(), a.utf8_validation()), (FieldPresence::Implicit, Utf8Validation::None));
    let b = at(&r, &[4, 0, 2, 1]);
    assert_eq!((b.field_presence(), b.cpp_string_type()), (FieldPresence::Explicit, StringType::Cord));
    // A oneof member tracks presence whatever the file says.
    let c = at(&r, &[4, 0, 2, 2]);
    assert_eq!((c.field_presence(), c.utf8_validation()), (FieldPresence::Explicit, Utf8Validation::Verify));
    assert_eq!(at(&r, &[4, 0, 8, 0]).utf8_validation(), Utf8Validation::None);
    // A message field tracks presence under an IMPLICIT file.
    assert_eq!(at(&r, &[4, 0, 2, 3]).field_presence(), FieldPresence::Explicit);
    assert_eq!(at(&r, &[4, 0, 2, 4]).field_presence(), FieldPresence::LegacyRequired);
    // The message's JSON format reaches its nested message and its fields; the file's elsewhere.
    assert_eq!(at(&r, &[4, 0]).json_format(), JsonFormat::Allow);
    assert_eq!(at(&r, &[4, 0, 3, 0]).json_format(), JsonFormat::Allow);
    assert_eq!(at(&r, &[4, 0, 3, 0, 2, 0]).utf8_validation(), Utf8Validation::None);
    assert_eq!(at(&r, &[5, 0]).json_format(), JsonFormat::LegacyBestEffort);
    assert!(!at(&r, &[4, 0, 4, 0]).enum_closed());
    assert!(!at(&r, &[4, 0, 4, 0, 2, 0]).enum_closed());
    let x = at(&r, &[4, 0, 6, 0]);
    assert_eq!((x.field_presence(), x.utf8_validation()), (FieldPresence::Explicit, Utf8Validation::None));
    assert_eq!(at(&r, &[4, 0, 5, 0]).json_format(), JsonFormat::Allow);
    assert!(at(&r, &[5, 0]).enum_closed());
    assert_eq!(at(&r, &[6, 0, 2, 0]).json_format(), JsonFormat::LegacyBestEffort);
    assert_eq!(at(&r, &[6, 0]).field_presence(), FieldPresence::Implicit);
}

#[test]
fn proto2_resolves_to_what_its_syntax_implies() {
    let (_, r) = resolved(
        r#"syntax = "proto2";
option java_string_check_utf8 = true;
message M {
  required string a = 1;
  optional group G = 2 { optional int32 x = 1; }
  repeated int32 p = 3 [packed = true];
  repeated int32 q = 4;
  optional bytes c = 5 [ctype = CORD];
  optional string s = 6;
}
enum E { E_A = 1; }
"#,
    );
    assert_eq!(at(&r, &[4, 0, 2, 0]).field_presence(), FieldPresence::LegacyRequired);
    assert!(at(&r, &[4, 0, 2, 1]).delimited());
    assert_eq!(at(&r, &[4, 0, 2, 2]).repeated_field_encoding(), RepeatedFieldEncoding::Packed);
    assert_eq!(at(&r, &[4, 0, 2, 3]).repeated_field_encoding(), RepeatedFieldEncoding::Expanded);
    assert_eq!(at(&r, &[4, 0, 2, 4]).cpp_string_type(), StringType::Cord);
    let s = at(&r, &[4, 0, 2, 5]);
    assert_eq!((s.field_presence(), s.utf8_validation()), (FieldPresence::Explicit, Utf8Validation::None));
    assert!(s.java_utf8_verify());
    assert!(at(&r, &[5, 0]).enum_closed());
    assert_eq!(at(&r, &[4, 0]).json_format(), JsonFormat::LegacyBestEffort);
}

#[test]
fn proto3_resolves_to_what_its_syntax_implies() {
    let (_, r) = resolved(
        r#"syntax = "proto3";
message M {
  string a = 1;
  optional string b = 2;
  M m = 3;
  oneof o { int32 c = 4; }
  repeated int32 p = 5 [packed = false];
  repeated int32 q = 6;
}
enum E { E_A = 0; }
"#,
    );
    let presence = |k: i32| at(&r, &[4, 0, 2, k]).field_presence();
    assert_eq!(
        [presence(0), presence(1), presence(2), presence(3)],
        [FieldPresence::Implicit, FieldPresence::Explicit, FieldPresence::Explicit, FieldPresence::Explicit]
    );
    assert_eq!(at(&r, &[4, 0, 2, 4]).repeated_field_encoding(), RepeatedFieldEncoding::Expanded);
    assert_eq!(at(&r, &[4, 0, 2, 5]).repeated_field_encoding(), RepeatedFieldEncoding::Packed);
    assert!(!at(&r, &[5, 0]).enum_closed());
    assert_eq!(at(&r, &[4, 0, 2, 0]).utf8_validation(), Utf8Validation::Verify);
    assert!(at(&r, &[4, 0, 2, 0]).java_utf8_verify());
}

#[test]
fn every_element_of_the_editions_fixture_resolves() {
    let text = include_str!("../../tests/fixtures/proto/editions/acme/ed/v1/features.proto");
    let files = BTreeMap::from([("acme/ed/v1/features.proto".to_string(), text.as_bytes().to_vec())]);
    let set = ProtoSet::from_memory(Path::new("."), files, &[String::new()]);
    let compiled = compile(&set);
    assert!(compiled.errors.is_empty());
    let r = resolve(&compiled.files["acme/ed/v1/features.proto"]);
    // File, 2 messages, 1 nested message, 13 + 1 fields, 1 oneof, 1 range, 2 enums, 4 values,
    // 2 extensions, 1 service, 1 method.
    assert_eq!(r.len(), 1 + 2 + 14 + 1 + 1 + 2 + 4 + 2 + 1 + 1);
    // `detail` inherits DELIMITED from the file; `framed` overrides it.
    assert!(at(&r, &[4, 0, 2, 7]).delimited());
    assert!(!at(&r, &[4, 0, 2, 8]).delimited());
    assert_eq!(at(&r, &[4, 0, 2, 2]).field_presence(), FieldPresence::LegacyRequired);
    assert_eq!(at(&r, &[4, 0]).json_format(), JsonFormat::Allow);
    assert_eq!(at(&r, &[]).json_format(), JsonFormat::LegacyBestEffort);
    assert!(at(&r, &[5, 0]).enum_closed());
    assert!(!at(&r, &[5, 1]).enum_closed());
    // Java verifies from the file's (pb.java) feature even where utf8_validation is NONE.
    assert!(at(&r, &[4, 0, 2, 0]).java_utf8_verify());
    assert_eq!(at(&r, &[4, 0, 2, 0]).utf8_validation(), Utf8Validation::None);
}

#[test]
fn maps_stay_length_prefixed_under_a_delimited_file() {
    let (_, r) = resolved(
        r#"edition = "2023";
option features.message_encoding = DELIMITED;
message M {
  map<string, N> m = 1;
  N n = 2;
  message N { string s = 1; }
}
"#,
    );
    assert!(!at(&r, &[4, 0, 2, 0]).delimited());
    assert!(at(&r, &[4, 0, 2, 1]).delimited());
    // The entry's value field (the entry is nested type 0: protoc adds it where the map is).
    let entry = at(&r, &[4, 0, 3, 0, 2, 1]);
    assert!(!entry.delimited());
}
