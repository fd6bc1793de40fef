//! `MESSAGE_NO_REMOVE_STANDARD_DESCRIPTOR_ACCESSOR`: messages do not change the no_standard_descriptor_accessor option from false or unset to true.
use crate::proto::breaking::engine::{Cx, Out};
use crate::proto::breaking::model::MessageInfo;
use crate::rules::RuleInfo;

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
            let message = format!(
                "Message option \"no_standard_descriptor_accessor\" on message \"{}\" changed from \"false\" to \"true\".",
                c.name
            );
            out.matched(RULE.id, cx, (p, c), span, message);
        }
    }
}
