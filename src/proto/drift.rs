//! placeholder
use crate::rules::RuleInfo;
pub fn rules() -> Vec<&'static RuleInfo> {
    Vec::new()
}
