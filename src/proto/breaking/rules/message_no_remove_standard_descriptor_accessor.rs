//! `MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR`: messages do not change the no_standard_descriptor_accessor option from false or unset to true.
#[allow(unused_imports)]
use crate::proto::breaking::engine::*;
#[allow(unused_imports)]
use crate::proto::breaking::model::{Cardinality, FieldInfo, MessageInfo};
#[allow(unused_imports)]
use crate::proto::breaking::rules::common::*;
use crate::rules::RuleInfo;
#[allow(unused_imports)]
use prost_types::field_descriptor_proto::Type;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["FILE", "PACKAGE", "CSR"],
    default_enabled: true,
    summary: "messages do not change the no_standard_descriptor_accessor option from false or unset to true",
    docs: r#"## What it does
Reports a message whose `no_standard_descriptor_accessor` option went from false/unset to true.

## Why
The option removes the generated `descriptor()` accessor; code that calls it stops compiling.

## Example
Previous revision:
```proto
syntax = "proto3";
package acme.auth.v1;
message Account { string id = 1; }
```
Current revision (reported):
```proto
syntax = "proto3";
package acme.auth.v1;
message Account {
  option no_standard_descriptor_accessor = true;
  string id = 1;
}
```

## Fix
Remove the option or set it to false.
"#,
    ..RuleInfo::new("MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR", "proto-breaking")
};

pub fn check(cx: &Cx<'_>, out: &mut Out) {
    for (p, c) in cx.matched_messages() {
        let get = |m: &MessageInfo<'_>| m.desc.options.as_ref().is_some_and(|o| o.no_standard_descriptor_accessor());
        if !get(p) && get(c) {
            let span = cx.cur.files.get(c.file).and_then(|f| f.loc_or(&[c.path.as_slice(), &[7, 2]].concat(), &c.path));
            out.add(RULE.id, &cx.cur, Some(c.file), span, &[p.package, c.package], format!("Message option \"no_standard_descriptor_accessor\" on message \"{}\" changed from \"false\" to \"true\".", c.name));
        }
    }
}
