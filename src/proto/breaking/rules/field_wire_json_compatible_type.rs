//! `FIELD_WIRE_JSON_COMPATIBLE_TYPE`: fields have wire and JSON compatible types in a given message.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::rules::common::{field_type_changed, wire_json_compatible};
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["WIRE_JSON", "CSR"],
    default_enabled: false,
    summary: "fields have wire and JSON compatible types in a given message",
    docs: r#"## What it does
Reports a field whose type changed to one that is not compatible on the wire or in JSON, as buf judges it. Compatible: int32/uint32, int64/uint64, fixed32/sfixed32, fixed64/sfixed64 (64-bit integers are strings in JSON, so 32 and 64 bits do not mix). Every other type, bool, enums (names in JSON), string and bytes (base64 in JSON) included, is only compatible with itself; a change of enum or message type is reported.

In editions files a message field with `features.message_encoding = DELIMITED` is a group on the wire (`message (delimited encoding)`): switching it with a length-prefixed message is reported; a proto2 group converted to a delimited message field is not.

## Why
JSON readers parse the value with the type of their schema: `true` is not a number, an enum name is not an integer, base64 is not text.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message User { string token = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message User { bytes token = 1; }
```

## Fix
Use a new field for the new type.
"#,
    ..RuleInfo::new("FIELD_WIRE_JSON_COMPATIBLE_TYPE", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    field_type_changed(cx, out, RULE.id, wire_json_compatible, SEE);
}

/// buf's pointer to the rules, ending the message.
const SEE: &str = " See https://developers.google.com/protocol-buffers/docs/proto3#updating for wire compatibility rules and https://developers.google.com/protocol-buffers/docs/proto3#json for JSON compatibility rules.";
