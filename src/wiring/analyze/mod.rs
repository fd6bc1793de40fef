//! Per-file analysis: parse one Rust file with `syn` and extract the wiring facts the rules judge.
//!
//! `syn` trees are not `Send`, so each file is parsed and judged on the worker thread that read it;
//! what leaves the thread is plain data (`FileFacts`). Names a file cannot resolve on its own
//! (an app factory or an interceptor defined in another module) travel as `Pending` items and are
//! resolved against the other files of the same service afterwards.
use super::chain::{
    Bind, bound, flatten, links, lookup, resolve, single_ident, strip, through_methods, visit_expr_flat,
    visit_link_args,
};
use super::config::WiringConfig;
use crate::diagnostics::Span;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use syn::spanned::Spanned;
use syn::visit::Visit;
use syn::{Expr, Item, Pat};

mod breakers;
mod clients;
mod grpc_server;
mod http;
mod kafka;
mod macros;
mod resolve;
#[cfg(test)]
mod tests;

pub use grpc_server::interceptor_finding;
pub use http::{ScopeCover, app_finding, not_analysed_app};
pub(super) use resolve::*;

/// Matrix columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Http,
    GrpcServer,
    GrpcClients,
    Kafka,
}

/// A secondary location; `file: None` means the finding's own file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lbl {
    pub file: Option<PathBuf>,
    pub span: Span,
    pub message: String,
}

/// An edit a finding proposes: insert `text` at byte `at` of the finding's file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixPlan {
    pub safe: bool,
    pub description: String,
    pub at: usize,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: &'static str,
    pub span: Span,
    pub message: String,
    pub labels: Vec<Lbl>,
    pub help: Option<String>,
    pub fix: Option<FixPlan>,
}

/// One thing the matrix counts (a served app, a registered service, a client, a record).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Construction {
    pub column: Column,
    pub span: Span,
    pub ok: bool,
}

/// What an interceptor (or a function) does with the correlation key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyVerdict {
    /// Reads or writes the configured key (literal or known constant), or is a known helper.
    Ok,
    /// Uses a correlation-looking key that is not the configured one.
    Mismatch { key: String, span: Span },
    /// Never mentions the key. `elsewhere`: functions it calls that this file does not define
    /// (helpers in other modules of the service are read before the verdict stands).
    NoKey { span: Span, elsewhere: Vec<String> },
    /// Cannot be seen from here (defined outside the service).
    Unknown,
}

/// An actix `App` (or axum `Router`) chain as evaluated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppEval {
    pub span: Span,
    pub wrapped: bool,
    /// Byte offset right after `App::new()` (where `.wrap(..)` goes).
    pub insert_at: usize,
    /// Whether the middleware's name is imported in that file (the fix then needs no import).
    pub imported: bool,
    /// actix: the App has no App-wide middleware, every route it registers itself is in a wrapped
    /// scope, and these `configure` functions, defined in other files, register the rest. The App
    /// is wrapped when each of them is covered (`FileFacts::config_fns`).
    pub configs: Vec<String>,
}

/// Something a file refers to by name but does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// `HttpServer::new(factory)` where `factory` (or the helper that builds the App) lives elsewhere.
    App { name: String, server: Span, served_by: &'static str },
    /// An App whose verdict rests on `configure` functions defined in other files (`app.configs`).
    Configured { app: AppEval, server: Span, served_by: &'static str },
    /// An interceptor named `name`, used by a server registration or a client at `at`.
    Interceptor { name: String, at: Span, column: Column, what: String },
    /// An interceptor of this file that never touches the key itself but calls `elsewhere`
    /// functions defined in other files; `span` is where it is defined.
    Helpers {
        elsewhere: Vec<String>,
        span: Span,
        at: Span,
        column: Column,
        what: String,
        rule: &'static str,
        labels: Vec<Lbl>,
    },
}

/// Everything one file contributes.
#[derive(Debug, Default)]
pub struct FileFacts {
    pub findings: Vec<Finding>,
    pub constructions: Vec<Construction>,
    pub pending: Vec<Pending>,
    /// Functions whose tail returns an App chain, by name.
    /// Keyed by how the app is served (`HttpServer::new` / `axum::serve`) and the function's name.
    pub app_fns: HashMap<(&'static str, String), AppEval>,
    /// actix `configure` functions (a `&mut ServiceConfig` parameter): how the routes they register
    /// are covered by wrapped scopes, by name.
    pub config_fns: HashMap<String, ScopeCover>,
    /// Functions whose tail is a call to a function this file does not define:
    /// name -> (that function, whether this one wraps the result anyway).
    pub app_forwards: HashMap<(&'static str, String), (String, bool)>,
    /// Every function's (and interceptor type's) verdict on the gRPC key, by name.
    pub key_fns: HashMap<String, KeyVerdict>,
    /// Module files declared here (`mod x;`), to follow.
    pub mods: Vec<PathBuf>,
    /// Set when the file did not parse: (message, span).
    pub parse_error: Option<(String, Span)>,
    /// Whether the file was parsed (false when the pre-filter found no trigger token).
    pub parsed: bool,
}

/// Tokens without which a file cannot hold anything the rules judge. Each is as narrow as what
/// the analysis reacts to, so that handlers which merely mention a client, a record or file
/// metadata are not parsed (tests `pre_filter_*` in analyze/tests.rs):
/// - `serve(`: `axum::serve(..)` and `.serve(..)` are the only serve calls judged;
/// - `FutureRecord` / `BaseRecord`: the only records judged (`AuditRecord` is not one);
/// - `.metadata`, `metadata::`, `Metadata`: interceptors and their helpers reach the key through
///   `req.metadata()` / `.metadata_mut()` or tonic's `metadata::MetadataMap` / `MetadataValue`
///   (`std::fs::metadata(..)` is none of these);
/// - besides the tokens, `has_trigger` lets through a name that holds `client` and a downstream
///   service's name as one of its `_`-separated words (`auth_client`, `self.media_service_client`):
///   how the breaker rule recognises a client by name (a type named `..Client` is caught by
///   `Client`).
pub fn trigger_tokens(cfg: &WiringConfig) -> Vec<String> {
    let mut t: Vec<String> = [
        "HttpServer",
        "Router",
        "serve(",
        "add_service",
        "Client",
        "FutureRecord",
        "BaseRecord",
        // Interceptors defined apart from their registration read or write `metadata`.
        "Interceptor",
        "interceptor",
        ".metadata",
        "metadata::",
        "Metadata",
        "CircuitBreaker",
        "App::new",
        // A factory that returns another module's App (`fn make() -> App<..> { routes::build() }`).
        "App<",
        // actix `configure` functions: the routes of an App registered in another module.
        "ServiceConfig",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for list in [&cfg.middleware, &cfg.axum_layers, &cfg.interceptors, &cfg.inject_headers, &cfg.breaker_types] {
        for n in list {
            t.push(n.rsplit("::").next().unwrap_or(n).to_string());
        }
    }
    t.sort();
    t.dedup();
    t
}

/// Whether `text` holds something the rules judge: a trigger token, or a name the breaker rule
/// takes for a downstream client (`Walker::named_downstream`).
pub fn has_trigger(text: &str, tokens: &[String], cfg: &WiringConfig) -> bool {
    tokens.iter().any(|t| text.contains(t.as_str())) || names_a_downstream_client(text, cfg)
}

fn names_a_downstream_client(text: &str, cfg: &WiringConfig) -> bool {
    if cfg.downstream_services.is_empty() || !text.as_bytes().windows(6).any(|w| w.eq_ignore_ascii_case(b"client")) {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    lower.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).any(|name| {
        name.contains("client") && cfg.downstream_services.iter().any(|d| name.split('_').any(|w| w == d.as_str()))
    })
}

pub fn span_of(s: proc_macro2::Span) -> Span {
    let a = s.start();
    let b = s.end();
    Span::new(a.line, a.column + 1, b.line, b.column + 1)
}

/// Analyse one file. `mod_dir` is where `mod x;` children of this file live.
pub fn analyze(text: &str, cfg: &WiringConfig, mod_dir: &std::path::Path, tokens: &[String]) -> FileFacts {
    if !has_trigger(text, tokens, cfg) {
        // No trigger token: only its `mod` declarations matter, found without a full parse.
        return FileFacts { mods: scan_mod_decls(text, mod_dir), ..Default::default() };
    }
    let mut file = match syn::parse_file(text) {
        Ok(f) => f,
        Err(e) => {
            // A lexer error carries no useful span through `syn`; ask the lexer itself where it stopped.
            let (msg, span) = match text.parse::<proc_macro2::TokenStream>() {
                Err(le) => ("unbalanced delimiters or an invalid token".to_string(), span_of(le.span())),
                Ok(_) => (e.to_string(), span_of(e.span())),
            };
            let facts =
                FileFacts { parse_error: Some((msg, span)), mods: scan_mod_decls(text, mod_dir), ..Default::default() };
            return facts;
        }
    };
    let mut facts = FileFacts { parsed: true, ..Default::default() };
    facts.findings.extend(macros::expand(&mut file, text, tokens, cfg));
    let mut index = Index::default();
    collect_items(&file.items, mod_dir, &mut index, &mut facts.mods);
    let mut w = Walker {
        cfg,
        text,
        idx: &index,
        env: Vec::new(),
        breaker_depth: 0,
        facts: &mut facts,
        records: BTreeMap::new(),
        tonic_file: text.contains("tonic") || text.contains("Channel"),
        intercepted_params: Vec::new(),
        transport_params: Vec::new(),
        downstream_possible: text.contains("Client") && {
            let lower = text.to_ascii_lowercase();
            cfg.downstream_services.iter().any(|d| lower.contains(&d.to_ascii_lowercase()))
        },
    };
    for (_, f) in index.fn_list.iter() {
        w.env.clear();
        w.intercepted_params.clear();
        w.transport_params.clear();
        for p in f.params.iter() {
            w.env.push(Bind { name: p.name.clone(), expr: None, upto: 0, downstream: false });
            if p.intercepted {
                w.intercepted_params.push(p.name.clone());
            }
            if p.transport {
                w.transport_params.push(p.name.clone());
            }
        }
        w.visit_block(f.body);
    }
    w.finish_records();
    // Exports for other files of the same service.
    for (name, f) in index.fn_list.iter() {
        for kind in [AppKind::actix(cfg), AppKind::axum(cfg)] {
            let key = (kind.served_by, name.clone());
            match w.eval_fn_tail(f.body, &kind, &mut Vec::new()) {
                Some(AppOutcome::App(a)) => {
                    w.facts.app_fns.entry(key).or_insert(a);
                }
                Some(AppOutcome::Pending(next, wrapped)) => {
                    w.facts.app_forwards.entry(key).or_insert((next, wrapped));
                }
                _ => {}
            }
        }
        if let Some(p) = f.params.iter().find(|p| p.service_config) {
            let cover = w.config_fn_cover(f.body, &p.name, &AppKind::actix(cfg));
            w.facts.config_fns.entry(name.clone()).or_insert(cover);
        }
        let v = w.scan_key_block(f.body, &cfg.grpc_metadata_key, &cfg.grpc_key_consts, f.ident_span);
        w.facts.key_fns.entry(name.clone()).or_insert(v);
    }
    for (name, body) in index.interceptor_impls.iter() {
        let v = w.scan_key_block(body.0, &cfg.grpc_metadata_key, &cfg.grpc_key_consts, body.1);
        w.facts.key_fns.entry(name.clone()).or_insert(v);
    }
    facts
}

// ---------------------------------------------------------------------------------------------
// Item collection

struct FnInfo<'a> {
    body: &'a syn::Block,
    params: Vec<Param>,
    ident_span: Span,
}

struct Param {
    name: String,
    /// The type is an intercepted channel (`InterceptedService<..>`).
    intercepted: bool,
    /// The type is a tonic transport (`Channel`, `Endpoint`, `InterceptedService<..>`).
    transport: bool,
    /// The type is actix's `ServiceConfig` (the parameter of a `configure` function).
    service_config: bool,
}

#[derive(Default)]
struct Index<'a> {
    /// `use` aliases: local name -> full path segments.
    aliases: HashMap<String, Vec<String>>,
    fns: HashMap<String, usize>,
    fn_list: Vec<(String, FnInfo<'a>)>,
    /// Same-file `const`/`static` string values: name -> (value, span of the literal).
    consts: HashMap<String, (String, Span)>,
    /// `impl Interceptor for X { fn call(..) }`: X -> (body, span).
    interceptor_impls: Vec<(String, (&'a syn::Block, Span))>,
}

impl<'a> Index<'a> {
    fn fn_named(&self, name: &str) -> Option<&FnInfo<'a>> {
        self.fns.get(name).map(|&i| &self.fn_list[i].1)
    }
    fn interceptor_impl(&self, name: &str) -> Option<(&'a syn::Block, Span)> {
        self.interceptor_impls.iter().find(|(n, _)| n == name).map(|(_, b)| *b)
    }
}

/// `#[test]`, `#[tokio::test]`, `#[cfg(test)]`: not service code.
pub fn is_test_attr(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        let p = a.path();
        if p.segments.last().is_some_and(|s| s.ident == "test") {
            return true;
        }
        if p.is_ident("cfg")
            && let syn::Meta::List(l) = &a.meta
        {
            let s = l.tokens.to_string();
            return s.split(|c: char| !c.is_alphanumeric() && c != '_').any(|w| w == "test") && !s.contains("not");
        }
        false
    })
}

fn path_attr(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| {
        if !a.path().is_ident("path") {
            return None;
        }
        if let syn::Meta::NameValue(nv) = &a.meta
            && let Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &nv.value
        {
            return Some(s.value());
        }
        None
    })
}

fn pat_names(p: &Pat, out: &mut Vec<String>) {
    match p {
        Pat::Ident(i) => out.push(i.ident.to_string()),
        Pat::Type(t) => pat_names(&t.pat, out),
        Pat::Tuple(t) => t.elems.iter().for_each(|e| pat_names(e, out)),
        Pat::TupleStruct(t) => t.elems.iter().for_each(|e| pat_names(e, out)),
        Pat::Reference(r) => pat_names(&r.pat, out),
        Pat::Paren(p) => pat_names(&p.pat, out),
        _ => {}
    }
}

/// Push a binding for every name an initialised `let` of `b` introduces, each seeing the
/// environment as it was before its own statement.
fn bind_lets<'a>(b: &'a syn::Block, env: &mut Vec<Bind<'a>>) {
    for s in &b.stmts {
        if let syn::Stmt::Local(l) = s
            && let Some(init) = &l.init
        {
            let mut names = Vec::new();
            pat_names(&l.pat, &mut names);
            let u = env.len();
            for n in names {
                env.push(Bind { name: n, expr: Some(&init.expr), upto: u, downstream: false });
            }
        }
    }
}

fn sig_params(sig: &syn::Signature) -> Vec<Param> {
    let mut v = Vec::new();
    for i in &sig.inputs {
        if let syn::FnArg::Typed(t) = i {
            let mut names = Vec::new();
            pat_names(&t.pat, &mut names);
            let ty = quote::ToTokens::to_token_stream(&t.ty).to_string();
            let words = || ty.split(|c: char| !c.is_alphanumeric() && c != '_');
            let intercepted = words().any(|w| w == "InterceptedService");
            let transport = words().any(|w| super::grpc_client::TRANSPORT_TYPES.contains(&w));
            let service_config = words().any(|w| w == "ServiceConfig");
            v.extend(names.into_iter().map(|name| Param { name, intercepted, transport, service_config }));
        }
    }
    v
}

fn collect_use(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut HashMap<String, Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            collect_use(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                if let Some(last) = prefix.last() {
                    out.insert(last.clone(), prefix.clone());
                }
            } else {
                let mut full = prefix.clone();
                full.push(name.clone());
                out.insert(name, full);
            }
        }
        syn::UseTree::Rename(r) => {
            let mut full = prefix.clone();
            if r.ident != "self" {
                full.push(r.ident.to_string());
            }
            out.insert(r.rename.to_string(), full);
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| collect_use(t, prefix, out)),
        syn::UseTree::Glob(_) => {}
    }
}

fn collect_items<'a>(items: &'a [Item], mod_dir: &std::path::Path, idx: &mut Index<'a>, mods: &mut Vec<PathBuf>) {
    for item in items {
        match item {
            Item::Use(u) => collect_use(&u.tree, &mut Vec::new(), &mut idx.aliases),
            Item::Fn(f) if !is_test_attr(&f.attrs) => {
                collect_local_consts(&f.block, idx);
                let name = f.sig.ident.to_string();
                idx.fns.entry(name.clone()).or_insert(idx.fn_list.len());
                idx.fn_list.push((
                    name,
                    FnInfo { body: &f.block, params: sig_params(&f.sig), ident_span: span_of(f.sig.ident.span()) },
                ));
            }
            Item::Impl(imp) if !is_test_attr(&imp.attrs) => {
                let self_name = match &*imp.self_ty {
                    syn::Type::Path(tp) => tp.path.segments.last().map(|s| s.ident.to_string()),
                    _ => None,
                };
                let is_interceptor = imp
                    .trait_
                    .as_ref()
                    .is_some_and(|(_, p, _)| p.segments.last().is_some_and(|s| s.ident == "Interceptor"));
                for ii in &imp.items {
                    if let syn::ImplItem::Fn(f) = ii {
                        if is_test_attr(&f.attrs) {
                            continue;
                        }
                        let name = f.sig.ident.to_string();
                        if is_interceptor
                            && name == "call"
                            && let Some(n) = &self_name
                        {
                            idx.interceptor_impls.push((n.clone(), (&f.block, span_of(f.sig.ident.span()))));
                        }
                        idx.fns.entry(name.clone()).or_insert(idx.fn_list.len());
                        idx.fn_list.push((
                            name,
                            FnInfo {
                                body: &f.block,
                                params: sig_params(&f.sig),
                                ident_span: span_of(f.sig.ident.span()),
                            },
                        ));
                    }
                }
            }
            Item::Trait(t) => {
                for ti in &t.items {
                    if let syn::TraitItem::Fn(f) = ti
                        && let Some(b) = &f.default
                        && !is_test_attr(&f.attrs)
                    {
                        let name = f.sig.ident.to_string();
                        idx.fns.entry(name.clone()).or_insert(idx.fn_list.len());
                        idx.fn_list.push((
                            name,
                            FnInfo { body: b, params: sig_params(&f.sig), ident_span: span_of(f.sig.ident.span()) },
                        ));
                    }
                }
            }
            Item::Const(c) => {
                if let Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &*c.expr {
                    idx.consts.insert(c.ident.to_string(), (s.value(), span_of(s.span())));
                }
            }
            Item::Static(c) => {
                if let Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = &*c.expr {
                    idx.consts.insert(c.ident.to_string(), (s.value(), span_of(s.span())));
                }
            }
            Item::Mod(m) if !is_test_attr(&m.attrs) => {
                let name = m.ident.to_string();
                match &m.content {
                    Some((_, inner)) => {
                        let dir = match path_attr(&m.attrs) {
                            Some(p) => mod_dir.join(p),
                            None => mod_dir.join(&name),
                        };
                        collect_items(inner, &dir, idx, mods);
                    }
                    None => {
                        let p = match path_attr(&m.attrs) {
                            Some(p) => mod_dir.join(p),
                            None => child_module(mod_dir, &name),
                        };
                        mods.push(p);
                    }
                }
            }
            _ => {}
        }
    }
}

/// `const`/`static` string keys declared inside a function body count as the file's too.
fn collect_local_consts(b: &syn::Block, idx: &mut Index<'_>) {
    for st in &b.stmts {
        let (ident, expr) = match st {
            syn::Stmt::Item(Item::Const(c)) => (&c.ident, &*c.expr),
            syn::Stmt::Item(Item::Static(c)) => (&c.ident, &*c.expr),
            _ => continue,
        };
        if let Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) = expr {
            idx.consts.entry(ident.to_string()).or_insert((s.value(), span_of(s.span())));
        }
    }
}

fn child_module(dir: &std::path::Path, name: &str) -> PathBuf {
    let flat = dir.join(format!("{name}.rs"));
    if flat.is_file() { flat } else { dir.join(name).join("mod.rs") }
}

/// `mod x;` declarations found by a line scan (files that are not parsed). `#[cfg(test)]` on the
/// line before skips the module.
pub fn scan_mod_decls(text: &str, mod_dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut prev_test = false;
    let mut path_attr: Option<String> = None;
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with("#[") {
            if l.contains("cfg(test") || (l.contains("cfg(") && l.contains("test") && !l.contains("not")) {
                prev_test = true;
            }
            if let Some(rest) = l.strip_prefix("#[path") {
                path_attr = rest.split('"').nth(1).map(str::to_string);
            }
            continue;
        }
        let decl = l.strip_prefix("pub(crate) ").or_else(|| l.strip_prefix("pub ")).unwrap_or(l);
        if let Some(rest) = decl.strip_prefix("mod ")
            && let Some(name) = rest.strip_suffix(';')
        {
            let name = name.trim();
            if !prev_test && !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                out.push(match path_attr.take() {
                    Some(p) => mod_dir.join(p),
                    None => child_module(mod_dir, name),
                });
            }
        }
        prev_test = false;
        path_attr = None;
    }
    out
}

/// Which builder chain is being evaluated: actix `App` + `.wrap(..)`, or axum `Router` + `.layer(..)`.
struct AppKind<'c> {
    served_by: &'static str,
    root: &'static [&'static str],
    methods: &'static [&'static str],
    wanted: &'c [String],
}

impl<'c> AppKind<'c> {
    fn actix(cfg: &'c WiringConfig) -> Self {
        AppKind { served_by: "HttpServer::new", root: &["App", "new"], methods: &["wrap"], wanted: &cfg.middleware }
    }
    fn axum(cfg: &'c WiringConfig) -> Self {
        AppKind {
            served_by: "axum::serve",
            root: &["Router", "new"],
            methods: &["layer", "route_layer"],
            wanted: &cfg.axum_layers,
        }
    }
}

enum AppOutcome {
    App(AppEval),
    /// Built by a function this file does not define; `wrapped` says whether the caller wraps it anyway.
    Pending(String, bool),
    /// Built by a helper that (through others, possibly) calls itself: no App is ever returned.
    Recursive(String),
}

struct RecordState {
    span: Span,
    insert_at: usize,
    /// headers-call span -> verdict
    headers: BTreeMap<(usize, usize), HeaderVerdict>,
    cid_in_scope: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum HeaderVerdict {
    Ok,
    Fresh(Span),
    Mismatch(String, Span),
    Missing,
    Unknown,
}

// ---------------------------------------------------------------------------------------------
// The walker

pub(super) struct Walker<'w, 'a> {
    pub(super) cfg: &'w WiringConfig,
    text: &'w str,
    idx: &'w Index<'a>,
    pub(super) env: Vec<Bind<'a>>,
    breaker_depth: usize,
    facts: &'w mut FileFacts,
    records: BTreeMap<(usize, usize), RecordState>,
    pub(super) tonic_file: bool,
    /// The file mentions a client and a downstream service: only then are `let`s checked for clients.
    downstream_possible: bool,
    /// Parameters of the current fn typed `InterceptedService<..>`.
    intercepted_params: Vec<String>,
    /// Parameters of the current fn typed as a tonic transport.
    pub(super) transport_params: Vec<String>,
}

const CLIENT_PLUMBING: &[&str] = &[
    "clone",
    "lock",
    "read",
    "write",
    "as_ref",
    "as_mut",
    "get_mut",
    "borrow",
    "borrow_mut",
    "max_decoding_message_size",
    "max_encoding_message_size",
    "send_compressed",
    "accept_compressed",
    "into_inner",
    "unwrap",
    "expect",
];

impl<'w, 'a> Walker<'w, 'a> {
    /// A method chain, link by link without recursing per link (a 300-route `App::new()` chain
    /// is 300 nested calls). The order is the one a recursive visit has: each link's own checks
    /// from the outermost in, then the chain's root, then the arguments from the innermost out.
    fn visit_chain(&mut self, e: &'a Expr) {
        let (links, root) = links(e);
        // Only the whole chain: the links inside it are prefixes of it, with the same root.
        self.on_chain(e);
        let mut protected = Vec::with_capacity(links.len());
        for m in &links {
            let method = m.method.to_string();
            if method == "add_service" || method == "add_optional_service" {
                self.on_add_service(m);
            }
            if method == "serve" && m.args.len() == 1 {
                let env = std::mem::take(&mut self.env);
                let recv = flatten(&m.receiver, &env, env.len());
                self.env = env;
                let axum_server = call_path(recv.root).is_some_and(|p| {
                    let s = self.resolved_segs(p);
                    ends_with(&s, &["Server", "bind"]) && s.iter().any(|x| x == "axum" || x == "hyper")
                });
                if axum_server {
                    let start = root.span();
                    let at = span_of(start.join(m.paren_token.span.close()).unwrap_or_else(|| m.span()));
                    self.on_served(&m.args[0], at, AppKind::axum(self.cfg));
                }
            }
            self.on_method_rpc(m);
            protected.push(
                (matches!(method.as_str(), "call" | "execute" | "run") && self.is_breaker_receiver(&m.receiver))
                    || method.to_ascii_lowercase().contains("breaker"),
            );
        }
        self.visit_expr(root);
        for (m, protected) in links.iter().zip(protected).rev() {
            self.breaker_depth += usize::from(protected);
            visit_link_args(self, m);
            self.breaker_depth -= usize::from(protected);
        }
    }
}

impl<'w, 'a> Visit<'a> for Walker<'w, 'a> {
    fn visit_block(&mut self, b: &'a syn::Block) {
        let n = self.env.len();
        for s in &b.stmts {
            self.visit_stmt(s);
        }
        self.env.truncate(n);
    }

    fn visit_local(&mut self, l: &'a syn::Local) {
        if let Some(init) = &l.init {
            self.visit_expr(&init.expr);
            if let Some((_, d)) = &init.diverge {
                self.visit_expr(d);
            }
        }
        let mut names = Vec::new();
        pat_names(&l.pat, &mut names);
        let upto = self.env.len();
        let expr = l.init.as_ref().map(|i| &*i.expr);
        // `let c = AuthClient::connect(..)` or `let mut c = self.auth_client.clone()`.
        let downstream = self.downstream_possible
            && expr.is_some_and(|e| self.expr_downstream(e, upto) || self.client_receiver_downstream(e).is_some());
        for n in names {
            self.env.push(Bind { name: n, expr, upto, downstream });
        }
    }

    fn visit_item(&mut self, _i: &'a Item) {
        // Items nested in function bodies are collected separately (or not service code).
    }

    fn visit_expr_closure(&mut self, c: &'a syn::ExprClosure) {
        let n = self.env.len();
        for p in &c.inputs {
            let mut names = Vec::new();
            pat_names(p, &mut names);
            for name in names {
                self.env.push(Bind { name, expr: None, upto: n, downstream: false });
            }
        }
        self.visit_expr(&c.body);
        self.env.truncate(n);
    }

    fn visit_expr(&mut self, e: &'a Expr) {
        match e {
            Expr::Call(c) => {
                if let Expr::Path(p) = strip(&c.func) {
                    let s = self.resolved_segs(&p.path);
                    if ends_with(&s, &["HttpServer", "new"]) {
                        self.on_http_server(c);
                    } else if ends_with(&s, &["FutureRecord", "to"]) || ends_with(&s, &["BaseRecord", "to"]) {
                        self.on_record(c);
                    } else if self.builds_grpc_client(c, &s) {
                        self.on_client(c, &s);
                    } else if ends_with(&s, &["axum", "serve"]) && c.args.len() >= 2 {
                        self.on_served(&c.args[1], span_of(c.span()), AppKind::axum(self.cfg));
                    }
                    let name = s.last().map(|x| x.to_ascii_lowercase()).unwrap_or_default();
                    if name.contains("breaker") || name.contains("circuit") {
                        self.visit_under_breaker(&c.func, &c.args);
                        return;
                    }
                }
                syn::visit::visit_expr(self, e);
            }
            Expr::MethodCall(_) => self.visit_chain(e),
            Expr::Struct(s) => {
                self.on_struct(s);
                syn::visit::visit_expr(self, e);
            }
            _ => syn::visit::visit_expr(self, e),
        }
    }
}
