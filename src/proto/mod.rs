//! Protobuf checks: lint (buf-compatible rule IDs plus nova's own), breaking-change detection
//! against a directory, a git ref or the registry, semver and drift (`nova proto check`).
pub mod breaking;
pub mod bufconfig;
pub mod check;
pub mod config;
pub mod declarations;
pub mod deps;
pub mod descriptor;
pub mod drift;
pub mod editions;
pub mod features;
pub mod frontend;
pub mod json_names;
pub mod layout;
pub mod lint;
pub mod loader;
mod relink;
pub mod semver;
pub mod span;
pub mod validate;
