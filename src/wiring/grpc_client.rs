//! What a tonic gRPC client construction is: judged by how the value is built, not by a name
//! that ends in `Client` (`ClickHouseClient::new(url, db, user, password, timeout)` is an HTTP SDK).
//!
//! The evidence, any one of which is enough:
//! - the type comes from its generated client module: `auth_service_client::AuthServiceClient`
//!   (the module is the type's snake_case name, after `use` aliases are resolved);
//! - `XClient::with_interceptor(channel, f)` (two arguments, the generated signature);
//! - `XClient::connect(dst)` (one argument) in a file that uses tonic;
//! - `XClient::new(channel)` whose one argument is a transport: built with `Channel` / `Endpoint`
//!   / `InterceptedService` or `tonic::service::interceptor`, `connect()`ed (`connect_lazy`,
//!   `balance_list`, ..), or a parameter typed as one, followed through `let` bindings.
//!
//! The wiring checker does not read the proto registry (checkers do not import each other), so
//! the services the protos declare are not consulted.
use super::analyze::Walker;
use super::chain::{single_ident, through_methods};
use syn::Expr;

/// Types that make a value a tonic transport.
pub(super) const TRANSPORT_TYPES: &[&str] = &["Channel", "Endpoint", "InterceptedService"];
/// Methods that turn an endpoint into a channel.
const CONNECTING: &[&str] = &[
    "connect",
    "connect_lazy",
    "connect_with_connector",
    "connect_with_connector_lazy",
    "balance_list",
    "balance_channel",
];
/// Client types that are never tonic clients, whatever file they are built in.
const CLIENT_NOT_GRPC: &[&str] =
    &["HttpClient", "RedisClient", "KafkaClient", "ReqwestClient", "S3Client", "SqsClient"];

fn client_named(ty: &str) -> bool {
    ty.ends_with("Client") && ty.len() > "Client".len() && ty.chars().next().is_some_and(|c| c.is_uppercase())
}

impl<'w, 'a> Walker<'w, 'a> {
    /// Whether the call `s(args)` (its resolved path) builds a tonic client.
    pub(super) fn builds_grpc_client(&self, c: &'a syn::ExprCall, s: &[String]) -> bool {
        let [module @ .., ty, method] = s else { return false };
        if !client_named(ty)
            || CLIENT_NOT_GRPC.contains(&ty.as_str())
            || self.cfg.breaker_types.iter().any(|b| super::analyze::name_matches(&s[..s.len() - 1], b))
        {
            return false;
        }
        // tonic generates `pub mod auth_service_client { pub struct AuthServiceClient<T> .. }`; an SDK
        // crate that merely ends in `_client` (`clickhouse_client::ClickHouseClient`) does not match.
        if module.last().is_some_and(|m| *m == heck::ToSnakeCase::to_snake_case(ty.as_str())) {
            return matches!(method.as_str(), "new" | "connect" | "with_interceptor");
        }
        match (method.as_str(), c.args.len()) {
            ("with_interceptor", 2) => true,
            ("connect", 1) => self.tonic_file,
            ("new", 1) => self.is_transport(&c.args[0]),
            _ => false,
        }
    }

    /// Whether the value is a tonic channel (plain or intercepted).
    fn is_transport(&self, arg: &'a Expr) -> bool {
        if let Some(n) = single_ident(through_methods(arg, &["clone"]))
            && self.transport_params.contains(&n)
        {
            return true;
        }
        let (mut paths, mut methods) = (Vec::new(), Vec::new());
        self.names_in(arg, &self.env, self.env.len(), &mut paths, &mut methods);
        methods.iter().any(|m| CONNECTING.contains(&m.as_str()))
            || paths.iter().any(|p| {
                p.iter().any(|s| TRANSPORT_TYPES.contains(&s.as_str()))
                    || (p.len() >= 2 && p.last().is_some_and(|s| s == "interceptor"))
                    || (p.len() == 1 && self.transport_params.contains(&p[0]))
            })
    }

    /// A type named like a client, built with `new` / `connect` / `with_interceptor` (path `p`).
    /// Only for recognising clients of the downstream services that need a circuit breaker,
    /// where wrappers (`AuthClient::new(url)` around the generated client) count too and the
    /// service is recognised by name anyway.
    pub(super) fn named_like_a_client(&self, p: &[String]) -> bool {
        let [.., ty, _] = p else { return false };
        client_named(ty)
            && !CLIENT_NOT_GRPC.contains(&ty.as_str())
            && !self.cfg.breaker_types.iter().any(|b| super::analyze::name_matches(&p[..p.len() - 1], b))
            && (self.tonic_file || p.iter().any(|x| x.ends_with("_client")))
    }
}
