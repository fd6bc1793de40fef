//! Service and dependency names: validated once, then derived into every form a template needs.
use crate::error::NovaError;
use heck::{ToPascalCase, ToSnakeCase};

/// Rust keywords (strict and reserved, 2024 edition): a crate named after one cannot be imported.
const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern", "false", "fn",
    "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where", "while", "abstract",
    "become", "box", "do", "final", "macro", "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Names cargo reserves or that collide with the workspace's own machinery.
const RESERVED: &[&str] = &["test", "std", "core", "alloc", "proc-macro", "build", "src", "target", "deps", "examples"];

/// Check that `name` is a kebab-case identifier usable as a crate, directory and proto package.
pub fn validate(what: &str, name: &str) -> Result<(), NovaError> {
    let bad = |why: &str| {
        NovaError::new(format!("invalid {what} name `{name}`: {why}")).with_help(
            "use kebab-case: lowercase ASCII letters and digits separated by single `-`, e.g. `order-service`",
        )
    };
    if name.is_empty() {
        return Err(bad("it is empty"));
    }
    if name.contains('/') || name.contains('\\') || name.contains("..") {
        return Err(bad("it contains a path separator or `..`"));
    }
    if name.len() > 64 {
        return Err(bad("it is longer than 64 characters"));
    }
    if !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(bad("it must start with a lowercase letter"));
    }
    if !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Err(bad("only lowercase ASCII letters, digits and `-` are allowed"));
    }
    if name.ends_with('-') || name.contains("--") {
        return Err(bad("`-` must separate words"));
    }
    let snake = name.to_snake_case();
    if RUST_KEYWORDS.contains(&name) || RUST_KEYWORDS.contains(&snake.as_str()) {
        return Err(bad("it is a Rust keyword"));
    }
    if RESERVED.contains(&name) {
        return Err(bad("it is reserved"));
    }
    Ok(())
}

/// The forms of a service name templates use.
#[derive(Debug, Clone)]
pub struct ServiceNames {
    /// `order-service`
    pub name: String,
    /// `order_service`
    pub crate_name: String,
    /// `order` (the name without a trailing `-service`), snake_case: the proto package's domain.
    pub domain: String,
    /// `Order`
    pub domain_pascal: String,
    /// `OrderService`: the proto service name (buf's SERVICE_SUFFIX wants `Service`).
    pub service_pascal: String,
}

impl ServiceNames {
    pub fn new(name: &str) -> ServiceNames {
        let base = name.strip_suffix("-service").filter(|b| !b.is_empty()).unwrap_or(name);
        let domain = base.to_snake_case();
        let domain_pascal = base.to_pascal_case();
        ServiceNames {
            name: name.to_string(),
            crate_name: name.to_snake_case(),
            domain,
            service_pascal: format!("{domain_pascal}Service"),
            domain_pascal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_kebab_case() {
        for n in ["order-service", "auth", "media2-service", "a-b-c"] {
            validate("service", n).unwrap_or_else(|e| panic!("{n}: {e}"));
        }
    }

    #[test]
    fn rejects_bad_names() {
        for n in [
            "",
            "Order",
            "order_service",
            "../x",
            "a/b",
            "-a",
            "a-",
            "a--b",
            "1abc",
            "fn",
            "self",
            "async",
            "test",
            "é",
        ] {
            assert!(validate("service", n).is_err(), "{n} should be rejected");
        }
    }

    #[test]
    fn derives_forms() {
        let n = ServiceNames::new("order-history-service");
        assert_eq!(n.crate_name, "order_history_service");
        assert_eq!(n.domain, "order_history");
        assert_eq!(n.domain_pascal, "OrderHistory");
        assert_eq!(n.service_pascal, "OrderHistoryService");
        let n = ServiceNames::new("gateway");
        assert_eq!(n.domain, "gateway");
        assert_eq!(n.service_pascal, "GatewayService");
    }
}
