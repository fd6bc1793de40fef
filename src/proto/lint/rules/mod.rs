//! One file per lint rule.
use crate::rules::RuleInfo;

pub static ALL: &[&RuleInfo] = &[];
