//! `FIELD_SAME_DEFAULT`: fields have the same default value, if a default is specified.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::model::Cardinality;
use crate::proto::breaking::rules::common::{defaults_equal, effective_default, same_type};
use crate::rules::RuleInfo;
use crate::proto::descriptor::field_descriptor_proto::Type;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "WIRE_JSON", "WIRE", "CSR"],
    default_enabled: true,
    summary: "fields have the same default value, if a default is specified",
    docs: r#"## What it does
Reports a proto2 field whose default value changed, when either revision specifies one (`[default = ...]`); an unspecified default counts as the type's zero value (the first value for enums). Values are compared by meaning (`1.0` equals `1`).

## Why
Readers fill an absent field with their own default: writers and readers with different defaults disagree about the same bytes.

## Example
Previous revision:
```proto
syntax = "proto2";
package acme.auth.v1;
message Limits { optional int32 retries = 1 [default = 3]; }
```
Current revision (reported):
```proto
syntax = "proto2";
package acme.auth.v1;
message Limits { optional int32 retries = 1 [default = 5]; }
```

## Fix
Keep the default; add a new field for a new default.
"#,
    ..RuleInfo::new("FIELD_SAME_DEFAULT", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_fields() {
        if p.desc.default_value.is_none() && c.desc.default_value.is_none() {
            continue;
        }
        if !same_type(p, c) || matches!(c.ty(), Type::Message | Type::Group) || c.cardinality() == Cardinality::Repeated
        {
            continue;
        }
        let pd = effective_default(cx.prev, p);
        let cd = effective_default(cx.cur, c);
        if !defaults_equal(c.ty(), &pd, &cd) {
            let message = format!("{} changed default value from \"{pd}\" to \"{cd}\".", c.describe());
            // At `default = <value>` when the current field has one (as buf), else at the field.
            let span = match cx.cur.files.get(c.file).and_then(|f| Some((f, f.loc(&c.loc_key(&[7]))?))) {
                Some((f, value)) => Some(f.option_span(value, "default")),
                None => cx.field_loc(c, &[]),
            };
            out.matched(RULE.id, cx, (p, c), span, message);
        }
    }
}
