//! nova: gates for a Rust microservice backend.
//!
//! One module per checker (`proto`, `sql`, `wiring`, `k8s`, `scaffold`), one shared diagnostic model
//! (`diagnostics`) with one renderer per output format, one configuration file (`config`).
pub mod check;
pub mod cli;
pub mod config;
pub mod context;
pub mod diagnostics;
pub mod error;
pub mod explain;
pub mod fsutil;
pub mod gitutil;
pub mod input_errors;
pub mod k8s;
pub mod proto;
pub mod rules;
pub mod scaffold;
pub mod sql;
pub mod suppress;
#[cfg(test)]
mod testutil;
pub mod walk;
pub mod wiring;
pub mod yaml;
