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
}

/// Something a file refers to by name but does not define.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    /// `HttpServer::new(factory)` where `factory` (or the helper that builds the App) lives elsewhere.
    App { name: String, server: Span, served_by: &'static str },
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

/// Tokens without which a file cannot hold anything the rules judge.
pub fn trigger_tokens(cfg: &WiringConfig) -> Vec<String> {
    let mut t: Vec<String> = [
        "HttpServer",
        "Router",
        "serve",
        "add_service",
        "Client",
        "_client",
        "Record",
        // Interceptors defined apart from their registration read or write `metadata`.
        "Interceptor",
        "interceptor",
        "metadata",
        "CircuitBreaker",
        "App::new",
        // A factory that returns another module's App (`fn make() -> App<..> { routes::build() }`).
        "App<",
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

pub fn span_of(s: proc_macro2::Span) -> Span {
    let a = s.start();
    let b = s.end();
    Span::new(a.line, a.column + 1, b.line, b.column + 1)
}

/// Analyse one file. `mod_dir` is where `mod x;` children of this file live.
pub fn analyze(text: &str, cfg: &WiringConfig, mod_dir: &std::path::Path, tokens: &[String]) -> FileFacts {
    if !tokens.iter().any(|t| text.contains(t.as_str())) {
        // No trigger token: only its `mod` declarations matter, found without a full parse.
        return FileFacts { mods: scan_mod_decls(text, mod_dir), ..Default::default() };
    }
    let file = match syn::parse_file(text) {
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
            v.extend(names.into_iter().map(|name| Param { name, intercepted, transport }));
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

// ---------------------------------------------------------------------------------------------
// Expression helpers

fn call_path(e: &Expr) -> Option<&syn::Path> {
    match strip(e) {
        Expr::Call(c) => match strip(&c.func) {
            Expr::Path(p) => Some(&p.path),
            _ => None,
        },
        _ => None,
    }
}

fn segs(p: &syn::Path) -> Vec<String> {
    p.segments.iter().map(|s| s.ident.to_string()).collect()
}

fn ends_with(segs: &[String], tail: &[&str]) -> bool {
    segs.len() >= tail.len() && segs[segs.len() - tail.len()..].iter().zip(tail).all(|(a, b)| a == b)
}

/// A configured name (`CorrelationIdMiddleware` or `actix_middleware::CorrelationIdMiddleware`)
/// matches a resolved path when its segments are a suffix of the path's.
pub(super) fn name_matches(segs: &[String], configured: &str) -> bool {
    let want: Vec<&str> = configured.split("::").filter(|s| !s.is_empty()).collect();
    if want.is_empty() {
        return false;
    }
    // `CorrelationIdLayer::new()` and `CorrelationIdMiddleware::default()` name the type too.
    if (want.len()..=segs.len()).any(|k| ends_with(&segs[..k], &want)) {
        return true;
    }
    // An unresolved single name (glob import) matches by its last segment.
    segs.len() == 1 && want.last().is_some_and(|w| *w == segs[0])
}

fn is_fresh_uuid(segs: &[String]) -> bool {
    ends_with(segs, &["Uuid", "new_v4"])
}

fn correlation_like(s: &str) -> bool {
    s.to_ascii_lowercase().contains("correlation")
}

fn tail_expr(b: &syn::Block) -> Option<&Expr> {
    match b.stmts.last()? {
        syn::Stmt::Expr(e, None) => Some(e),
        syn::Stmt::Expr(Expr::Return(r), _) => r.expr.as_deref(),
        _ => None,
    }
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
    pub(super) fn resolved_segs(&self, p: &syn::Path) -> Vec<String> {
        let mut s = segs(p);
        if let Some(first) = s.first()
            && let Some(full) = self.idx.aliases.get(first)
        {
            let mut v = full.clone();
            v.extend(s.drain(1..));
            return v;
        }
        s
    }

    /// Every path an expression mentions (following `let` bindings), resolved through `use` aliases.
    fn paths_in(&self, e: &'a Expr, env: &[Bind<'a>], upto: usize, out: &mut Vec<Vec<String>>) {
        self.names_in(e, env, upto, out, &mut Vec::new());
    }

    /// Every path (resolved through `use` aliases) and every method name an expression mentions,
    /// following `let` bindings. Each binding is followed once, so bindings that fan out
    /// (`let c = (b, b); let d = (c, c);`) cost their size, not 2^n.
    pub(super) fn names_in(
        &self,
        e: &'a Expr,
        env: &[Bind<'a>],
        upto: usize,
        paths: &mut Vec<Vec<String>>,
        methods: &mut Vec<String>,
    ) {
        struct P<'p, 'm> {
            found: Vec<&'p syn::Path>,
            methods: &'m mut Vec<String>,
        }
        impl<'p> Visit<'p> for P<'p, '_> {
            fn visit_path(&mut self, p: &'p syn::Path) {
                self.found.push(p);
            }
            fn visit_expr(&mut self, e: &'p Expr) {
                self.methods.extend(links(e).0.iter().map(|m| m.method.to_string()));
                visit_expr_flat(self, e);
            }
        }
        let mut followed = std::collections::HashSet::new();
        let mut work = vec![(e, upto)];
        while let Some((e, upto)) = work.pop() {
            let mut v = P { found: Vec::new(), methods: &mut *methods };
            v.visit_expr(e);
            for p in v.found {
                if p.segments.len() == 1
                    && let Some((x, u, i)) = bound(env, &p.segments[0].ident.to_string(), upto)
                {
                    if followed.insert(i) {
                        work.push((x, u));
                    }
                    continue;
                }
                paths.push(self.resolved_segs(p));
            }
        }
    }

    fn mentions(&self, e: &'a Expr, env: &[Bind<'a>], upto: usize, wanted: &[String]) -> bool {
        let mut paths = Vec::new();
        self.paths_in(e, env, upto, &mut paths);
        paths.iter().any(|p| wanted.iter().any(|w| name_matches(p, w)))
    }

    fn imported(&self, wanted: &[String]) -> bool {
        wanted.iter().any(|w| {
            let last = w.rsplit("::").next().unwrap_or(w);
            self.idx.aliases.contains_key(last) || self.text.contains(&format!("{last} as "))
        })
    }

    // ---- HTTP ----------------------------------------------------------------------------

    /// Evaluate an expression that should produce an App/Router: chains, helper fns, blocks.
    /// `helpers` are the functions whose tails are being evaluated (a helper that calls itself,
    /// directly or not, is a cycle, not a deeper level).
    fn eval_app(
        &self,
        e: &'a Expr,
        env: &[Bind<'a>],
        upto: usize,
        kind: &AppKind,
        helpers: &mut Vec<&'a syn::Block>,
    ) -> Option<AppOutcome> {
        let (e, upto) = resolve(e, env, upto);
        match e {
            Expr::Closure(c) => return self.eval_app(&c.body, env, upto, kind, helpers),
            Expr::Block(b) => return self.eval_block_tail(&b.block, env, upto, kind, helpers),
            Expr::Async(a) => return self.eval_block_tail(&a.block, env, upto, kind, helpers),
            _ => {}
        }
        let chain = flatten(e, env, upto);
        let wrapped_outer = chain.methods.iter().any(|(m, u)| {
            kind.methods.contains(&m.method.to_string().as_str())
                && m.args.iter().any(|a| self.mentions(a, env, *u, kind.wanted))
        });
        if let Some(p) = call_path(chain.root) {
            let s = self.resolved_segs(p);
            if ends_with(&s, kind.root) {
                let root_span = chain.root.span();
                return Some(AppOutcome::App(AppEval {
                    span: span_of(root_span),
                    wrapped: wrapped_outer,
                    insert_at: root_span.byte_range().end,
                    imported: self.imported(kind.wanted),
                }));
            }
            // A helper that builds the app: `build_app(state)` / `Self::app()` / `crate::app::build()`.
            let name = s.last().cloned().unwrap_or_default();
            let local = s.len() == 1 || matches!(s[0].as_str(), "self" | "Self" | "crate" | "super");
            if let Some(f) = self.idx.fn_named(&name).filter(|_| local || s.len() == 2) {
                return match self.eval_helper(f.body, &name, kind, helpers) {
                    Some(AppOutcome::App(mut a)) => {
                        a.wrapped |= wrapped_outer;
                        Some(AppOutcome::App(a))
                    }
                    Some(AppOutcome::Pending(n, w)) => Some(AppOutcome::Pending(n, w || wrapped_outer)),
                    other => other,
                };
            }
            if !name.is_empty() && name.chars().next().is_some_and(|c| c.is_lowercase()) {
                return Some(AppOutcome::Pending(name, wrapped_outer));
            }
        }
        // A function item used as the factory: `HttpServer::new(make_app)` / `app::make_app`.
        if let Expr::Path(p) = chain.root
            && chain.methods.is_empty()
            && p.path.segments.len() > 1
            && let Some(last) = p.path.segments.last()
        {
            let name = last.ident.to_string();
            if let Some(f) = self.idx.fn_named(&name) {
                return self.eval_helper(f.body, &name, kind, helpers);
            }
            return Some(AppOutcome::Pending(name, false));
        }
        if let Some(name) = single_ident(chain.root)
            && lookup(env, &name, upto).is_none()
        {
            if let Some(f) = self.idx.fn_named(&name) {
                return self.eval_helper(f.body, &name, kind, helpers);
            }
            return Some(AppOutcome::Pending(name, wrapped_outer));
        }
        None
    }

    fn eval_block_tail(
        &self,
        b: &'a syn::Block,
        env: &[Bind<'a>],
        upto: usize,
        kind: &AppKind,
        helpers: &mut Vec<&'a syn::Block>,
    ) -> Option<AppOutcome> {
        let mut local: Vec<Bind<'a>> = env[..upto.min(env.len())].to_vec();
        bind_lets(b, &mut local);
        let t = tail_expr(b)?;
        let u = local.len();
        self.eval_app(t, &local, u, kind, helpers)
    }

    fn eval_fn_tail(
        &self,
        body: &'a syn::Block,
        kind: &AppKind,
        helpers: &mut Vec<&'a syn::Block>,
    ) -> Option<AppOutcome> {
        let env: Vec<Bind<'a>> = Vec::new();
        self.eval_block_tail(body, &env, 0, kind, helpers)
    }

    /// The app a helper function returns; a helper already being evaluated is a cycle.
    fn eval_helper(
        &self,
        body: &'a syn::Block,
        name: &str,
        kind: &AppKind,
        helpers: &mut Vec<&'a syn::Block>,
    ) -> Option<AppOutcome> {
        if helpers.iter().any(|h| std::ptr::eq(*h, body)) {
            return Some(AppOutcome::Recursive(name.to_string()));
        }
        helpers.push(body);
        let out = self.eval_fn_tail(body, kind, helpers);
        helpers.pop();
        out
    }

    fn on_http_server(&mut self, c: &'a syn::ExprCall) {
        let Some(arg) = c.args.first() else { return };
        // Joined from its ends: `c.span()` would print the whole app chain to find them.
        let server = span_of(c.func.span().join(c.paren_token.span.close()).unwrap_or_else(|| c.span()));
        self.on_served(arg, server, AppKind::actix(self.cfg));
    }

    /// The app (actix) or router (axum) served at `server`.
    fn on_served(&mut self, app: &'a Expr, server: Span, kind: AppKind) {
        let env = std::mem::take(&mut self.env);
        let out = self.eval_app(app, &env, env.len(), &kind, &mut Vec::new());
        self.env = env;
        let served_by = kind.served_by;
        match out {
            Some(AppOutcome::App(a)) => {
                self.facts.constructions.push(Construction { column: Column::Http, span: a.span, ok: a.wrapped });
                if !a.wrapped {
                    self.facts.findings.push(app_finding(self.cfg, &a, None, server, served_by, Column::Http));
                }
            }
            Some(AppOutcome::Pending(_, true)) => {
                self.facts.constructions.push(Construction { column: Column::Http, span: server, ok: true })
            }
            Some(AppOutcome::Pending(name, false)) => self.facts.pending.push(Pending::App { name, server, served_by }),
            Some(AppOutcome::Recursive(name)) => self.facts.findings.push(not_analysed_app(server, &name, served_by)),
            None => {}
        }
    }

    // ---- gRPC ----------------------------------------------------------------------------

    fn exempt(&self, e: &'a Expr, upto: usize) -> bool {
        let mut paths = Vec::new();
        self.paths_in(e, &self.env, upto, &mut paths);
        paths.iter().any(|p| p.iter().any(|s| self.cfg.exempt_services.iter().any(|x| x == s)))
    }

    /// Judge an interceptor expression against `key`.
    fn judge_interceptor(
        &self,
        f: &'a Expr,
        upto: usize,
        key: &str,
        consts: &[String],
    ) -> (KeyVerdict, Option<String>) {
        let (f, upto) = resolve(f, &self.env, upto);
        let env = &self.env;
        match f {
            Expr::Closure(c) => (self.scan_key_expr(&c.body, env, upto, key, consts, span_of(c.span())), None),
            Expr::Path(p) => {
                let s = self.resolved_segs(&p.path);
                self.judge_named(&s, key, consts)
            }
            Expr::Call(c) => match strip(&c.func) {
                Expr::Path(p) => {
                    let s = self.resolved_segs(&p.path);
                    // `Type::new()` / `Type::default()`: the type's `Interceptor` impl.
                    if s.len() >= 2 && matches!(s.last().map(String::as_str), Some("new" | "default")) {
                        let ty = &s[..s.len() - 1];
                        return self.judge_named(ty, key, consts);
                    }
                    self.judge_named(&s, key, consts)
                }
                _ => (KeyVerdict::Unknown, None),
            },
            Expr::Struct(st) => {
                let s = self.resolved_segs(&st.path);
                self.judge_named(&s, key, consts)
            }
            _ => (KeyVerdict::Unknown, None),
        }
    }

    fn judge_named(&self, s: &[String], key: &str, consts: &[String]) -> (KeyVerdict, Option<String>) {
        let Some(name) = s.last() else { return (KeyVerdict::Unknown, None) };
        if self.cfg.interceptors.iter().any(|i| name_matches(s, i)) {
            return (KeyVerdict::Ok, None);
        }
        if let Some((body, sp)) = self.idx.interceptor_impl(name) {
            return (self.scan_key_block(body, key, consts, sp), None);
        }
        let local = s.len() == 1 || matches!(s[0].as_str(), "self" | "Self" | "crate" | "super");
        if let Some(f) = self.idx.fn_named(name).filter(|_| local || s.len() == 2) {
            return (self.scan_key_block(f.body, key, consts, f.ident_span), None);
        }
        (KeyVerdict::Unknown, Some(name.clone()))
    }

    fn scan_key_block(&self, b: &'a syn::Block, key: &str, consts: &[String], at: Span) -> KeyVerdict {
        let mut s = KeyScan::default();
        self.key_scan_into(&mut |v| v.visit_block(b), &mut s, key, consts);
        s.verdict(at)
    }

    #[allow(clippy::too_many_arguments)]
    fn scan_key_expr(
        &self,
        e: &'a Expr,
        env: &[Bind<'a>],
        upto: usize,
        key: &str,
        consts: &[String],
        at: Span,
    ) -> KeyVerdict {
        let mut s = KeyScan::default();
        self.key_scan_into(&mut |v| v.visit_expr(e), &mut s, key, consts);
        // A key bound by `let` outside the closure counts too.
        let mut v = KeyVisitor { lits: Vec::new(), idents: Vec::new(), calls: Vec::new() };
        v.visit_expr(e);
        for (id, _) in v.idents {
            if let Some(b) = lookup(env, &id, upto)
                && let Some(x) = b.expr
                && let Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(l), .. }) = strip(x)
            {
                s.add(l.value(), span_of(l.span()), key);
            }
        }
        s.verdict(at)
    }

    /// Scan what `run` visits, then every function of this file it calls, however indirectly
    /// (each function once).
    fn key_scan_into(&self, run: &mut dyn FnMut(&mut KeyVisitor), s: &mut KeyScan, key: &str, consts: &[String]) {
        let mut v = KeyVisitor { lits: Vec::new(), idents: Vec::new(), calls: Vec::new() };
        run(&mut v);
        let mut scanned = std::collections::HashSet::new();
        let mut next_call = 0;
        loop {
            for (val, sp) in std::mem::take(&mut v.lits) {
                s.add(val, sp, key);
            }
            for (id, local) in std::mem::take(&mut v.idents) {
                if consts.iter().any(|c| c.rsplit("::").next() == Some(id.as_str())) {
                    s.ok = true;
                } else if local && let Some((val, sp)) = self.idx.consts.get(&id) {
                    s.add(val.clone(), *sp, key);
                }
            }
            let mut callee = None;
            while callee.is_none() && next_call < v.calls.len() {
                let (c, ours) = &v.calls[next_call];
                next_call += 1;
                match self.idx.fn_named(c) {
                    Some(f) => callee = Some(f).filter(|_| scanned.insert(c.clone())),
                    None if *ours && !s.elsewhere.contains(c) => s.elsewhere.push(c.clone()),
                    None => {}
                }
            }
            let Some(f) = callee else { break };
            v.visit_block(f.body);
        }
    }

    fn interceptor_result(
        &mut self,
        verdict: (KeyVerdict, Option<String>),
        at: Span,
        column: Column,
        what: &str,
        key_rule_missing: &'static str,
    ) {
        match verdict {
            (KeyVerdict::Unknown, Some(name)) => {
                self.facts.pending.push(Pending::Interceptor { name, at, column, what: what.to_string() })
            }
            (KeyVerdict::NoKey { span, elsewhere }, _) if !elsewhere.is_empty() => {
                self.facts.pending.push(Pending::Helpers {
                    elsewhere,
                    span,
                    at,
                    column,
                    what: what.to_string(),
                    rule: key_rule_missing,
                    labels: Vec::new(),
                })
            }
            (v, _) => {
                let f = interceptor_finding(self.cfg, &v, None, at, what, key_rule_missing);
                self.facts.constructions.push(Construction { column, span: at, ok: f.is_none() });
                self.facts.findings.extend(f);
            }
        }
    }

    /// `interceptor_result` for a registered service; its finding (now or once the helpers in
    /// other files are read) carries the registration's labels.
    fn server_interceptor_result(
        &mut self,
        verdict: (KeyVerdict, Option<String>),
        at: Span,
        what: &str,
        labels: &[Lbl],
    ) {
        let (n, p) = (self.facts.findings.len(), self.facts.pending.len());
        self.interceptor_result(verdict, at, Column::GrpcServer, what, super::rules::grpc_server_interceptor::RULE.id);
        for f in &mut self.facts.findings[n..] {
            f.labels.extend(labels.iter().cloned());
        }
        for x in &mut self.facts.pending[p..] {
            if let Pending::Helpers { labels: l, .. } = x {
                l.extend(labels.iter().cloned());
            }
        }
    }

    fn on_add_service(&mut self, m: &'a syn::ExprMethodCall) {
        let Some(arg) = m.args.first() else { return };
        let upto = self.env.len();
        let (x, xu) = resolve(arg, &self.env, upto);
        if self.exempt(x, xu) {
            return;
        }
        let env = std::mem::take(&mut self.env);
        let chain = flatten(x, &env, xu);
        let builder = flatten(&m.receiver, &env, upto);
        // A server-wide `.layer(tonic::service::interceptor(f))` (or a configured interceptor layer)
        // covers every service of the builder.
        let mut layer_fns: Vec<(&'a Expr, usize)> = Vec::new();
        let mut layer_known = false;
        for (lm, lu) in &builder.methods {
            if lm.method != "layer" {
                continue;
            }
            for a in &lm.args {
                struct I<'p>(Vec<&'p Expr>);
                impl<'p> Visit<'p> for I<'p> {
                    fn visit_expr(&mut self, e: &'p Expr) {
                        visit_expr_flat(self, e);
                    }
                    fn visit_expr_call(&mut self, c: &'p syn::ExprCall) {
                        if let Expr::Path(p) = &*c.func
                            && p.path.segments.last().is_some_and(|s| s.ident == "interceptor")
                            && let Some(f) = c.args.first()
                        {
                            self.0.push(f);
                        }
                        syn::visit::visit_expr_call(self, c);
                    }
                }
                let mut v = I(Vec::new());
                v.visit_expr(a);
                layer_fns.extend(v.0.into_iter().map(|f| (f, *lu)));
                layer_known |= self.mentions(a, &env, *lu, &self.cfg.interceptors);
            }
        }
        self.env = env;
        let mut at = span_of(x.span());
        let reg = span_of(m.method.span().join(m.paren_token.span.close()).unwrap_or(m.method.span()));
        let builder_label = call_path(builder.root)
            .filter(|p| p.segments.last().is_some_and(|s| s.ident == "builder"))
            .map(|_| span_of(builder.root.span()));
        // Judge only what can be seen: `XServer::new(..)`, `XServer::with_interceptor(..)`,
        // `InterceptedService::new(..)`, possibly returned by a helper fn of this file. A parameter,
        // a field or a helper from elsewhere is not judged.
        let is_ctor = |s: &[String]| {
            s.len() >= 2 && (s[s.len() - 2].ends_with("Server") || s[s.len() - 2] == "InterceptedService")
        };
        let mut root = chain.root;
        let mut judge_upto = xu;
        let Some(p) = call_path(root) else { return };
        let segs0 = self.resolved_segs(p);
        if !is_ctor(&segs0) {
            let name = segs0.last().cloned().unwrap_or_default();
            let local = segs0.len() == 1 || matches!(segs0[0].as_str(), "self" | "Self" | "crate" | "super");
            let Some(f) = self.idx.fn_named(&name).filter(|_| local) else { return };
            let mut local_env: Vec<Bind<'a>> = Vec::new();
            bind_lets(f.body, &mut local_env);
            let Some(t) = tail_expr(f.body) else { return };
            root = flatten(t, &local_env, local_env.len()).root;
            judge_upto = 0;
            at = span_of(root.span());
            if !call_path(root).is_some_and(|p| is_ctor(&self.resolved_segs(p))) {
                return;
            }
        }
        let root_segs = call_path(root).map(|p| self.resolved_segs(p)).unwrap_or_default();
        let what = root_segs
            .len()
            .checked_sub(2)
            .and_then(|i| root_segs.get(i))
            .cloned()
            .or_else(|| single_ident(arg))
            .unwrap_or_else(|| "service".into());
        let intercepted = if root_segs.last().is_some_and(|s| s == "with_interceptor") {
            call_args(root).and_then(|a| a.get(1).copied())
        } else if ends_with(&root_segs, &["InterceptedService", "new"]) {
            call_args(root).and_then(|a| a.get(1).copied())
        } else {
            None
        };
        let mut labels = vec![Lbl { file: None, span: reg, message: "registered here".into() }];
        if let Some(b) = builder_label {
            labels.push(Lbl { file: None, span: b, message: "on this server builder".into() });
        }
        if intercepted.is_none() && (layer_known || !layer_fns.is_empty()) {
            let mut verdicts: Vec<(KeyVerdict, Option<String>)> = Vec::new();
            for (f, u) in &layer_fns {
                verdicts.push(self.judge_interceptor(
                    f,
                    *u,
                    &self.cfg.grpc_metadata_key.clone(),
                    &self.cfg.grpc_key_consts,
                ));
            }
            if layer_known || verdicts.iter().any(|v| matches!(v.0, KeyVerdict::Ok | KeyVerdict::Unknown)) {
                // Covered, or covered by something defined elsewhere: not judged further here.
                if let Some((_, Some(name))) = verdicts.iter().find(|v| v.1.is_some()).filter(|_| !layer_known) {
                    self.facts.pending.push(Pending::Interceptor {
                        name: name.clone(),
                        at,
                        column: Column::GrpcServer,
                        what: what.clone(),
                    });
                } else {
                    self.facts.constructions.push(Construction { column: Column::GrpcServer, span: at, ok: true });
                }
                return;
            }
            if let Some((v, _)) = verdicts.into_iter().next() {
                self.server_interceptor_result((v, None), at, &what, &labels);
                return;
            }
        }
        match intercepted {
            None => {
                self.facts.constructions.push(Construction { column: Column::GrpcServer, span: at, ok: false });
                self.facts.findings.push(Finding {
                    rule: super::rules::grpc_server_interceptor::RULE.id,
                    span: at,
                    message: format!("gRPC service `{what}` is registered without a correlation-ID interceptor"),
                    labels,
                    help: Some(format!(
                        "build it with `{}::with_interceptor(svc, interceptor)` where the interceptor reads the `{}` metadata key",
                        if what.ends_with("Server") { what.as_str() } else { "XServer" },
                        self.cfg.grpc_metadata_key
                    )),
                    fix: None,
                });
            }
            Some(f) => {
                let v = self.judge_interceptor(
                    f,
                    judge_upto,
                    &self.cfg.grpc_metadata_key.clone(),
                    &self.cfg.grpc_key_consts,
                );
                self.server_interceptor_result(v, at, &what, &labels);
            }
        }
    }

    fn downstream_of(&self, ty: &str) -> Option<String> {
        let snake = heck::ToSnakeCase::to_snake_case(ty);
        self.cfg
            .downstream_services
            .iter()
            .find(|d| snake.split('_').any(|w| w == d.as_str()) || snake.starts_with(&format!("{d}_")))
            .cloned()
    }

    fn on_client(&mut self, c: &'a syn::ExprCall, s: &[String]) {
        let method = s.last().map(String::as_str).unwrap_or("");
        let ty = s[s.len() - 2].clone();
        let at = span_of(c.span());
        match method {
            "new" | "connect" => {
                let from_param = c.args.first().is_some_and(|a| {
                    let mut a = strip(a);
                    while let Expr::MethodCall(m) = a
                        && m.method == "clone"
                    {
                        a = strip(&m.receiver);
                    }
                    single_ident(a).is_some_and(|n| {
                        self.intercepted_params.contains(&n)
                            && lookup(&self.env, &n, self.env.len()).is_some_and(|b| b.expr.is_none())
                    })
                });
                let intercepted = from_param
                    || c.args.first().is_some_and(|a| {
                        let mut paths = Vec::new();
                        self.paths_in(a, &self.env, self.env.len(), &mut paths);
                        // `InterceptedService::new(channel, f)`, or a channel behind a
                        // `ServiceBuilder::new().layer(tonic::service::interceptor(f))`.
                        paths.iter().any(|p| {
                            ends_with(p, &["InterceptedService", "new"])
                                || (p.last().is_some_and(|s| s == "interceptor") && p.len() >= 2)
                        })
                    });
                self.facts.constructions.push(Construction { column: Column::GrpcClients, span: at, ok: intercepted });
                if !intercepted {
                    self.facts.findings.push(Finding {
                        rule: super::rules::grpc_client_interceptor::RULE.id,
                        span: at,
                        message: format!(
                            "gRPC client `{ty}` is built with `{method}` and sends no correlation-ID metadata"
                        ),
                        labels: Vec::new(),
                        help: Some(format!(
                            "build it with `{ty}::with_interceptor(channel, injector)` where the injector sets the `{}` metadata key",
                            self.cfg.grpc_metadata_key
                        )),
                        fix: None,
                    });
                }
            }
            "with_interceptor" => {
                let Some(f) = c.args.iter().nth(1) else { return };
                let v = self.judge_interceptor(
                    f,
                    self.env.len(),
                    &self.cfg.grpc_metadata_key.clone(),
                    &self.cfg.grpc_key_consts,
                );
                self.interceptor_result(
                    v,
                    at,
                    Column::GrpcClients,
                    &ty,
                    super::rules::grpc_client_interceptor::RULE.id,
                );
            }
            _ => {}
        }
    }

    // ---- circuit breakers ---------------------------------------------------------------

    /// Whether the expression is (or holds) a downstream gRPC client not wrapped in a breaker type.
    fn expr_downstream(&self, e: &'a Expr, upto: usize) -> bool {
        let mut paths = Vec::new();
        self.paths_in(e, &self.env, upto, &mut paths);
        let wrapped = paths.iter().any(|p| self.cfg.breaker_types.iter().any(|b| name_matches(p, b)));
        !wrapped
            && paths.iter().any(|p| {
                p.len() >= 2
                    && matches!(p[p.len() - 1].as_str(), "new" | "connect" | "with_interceptor")
                    && self.named_like_a_client(p)
                    && self.downstream_of(&p[p.len() - 2]).is_some()
            })
    }

    /// Visit `head`, then `args` as code a circuit breaker protects (downstream calls there
    /// are not reported as unprotected).
    fn visit_under_breaker(&mut self, head: &'a Expr, args: &'a syn::punctuated::Punctuated<Expr, syn::Token![,]>) {
        self.visit_expr(head);
        self.breaker_depth += 1;
        args.iter().for_each(|a| self.visit_expr(a));
        self.breaker_depth -= 1;
    }

    fn is_breaker_receiver(&self, e: &Expr) -> bool {
        let name = match through_methods(e, CLIENT_PLUMBING) {
            Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
            Expr::Field(f) => match &f.member {
                syn::Member::Named(i) => Some(i.to_string()),
                _ => None,
            },
            _ => None,
        };
        name.is_some_and(|n| {
            let n = n.to_ascii_lowercase();
            n.contains("breaker") || n == "cb" || n.ends_with("_cb") || n.starts_with("cb_")
        })
    }

    fn client_receiver_downstream(&self, e: &'a Expr) -> Option<String> {
        match through_methods(e, CLIENT_PLUMBING) {
            Expr::Path(p) if p.path.segments.len() == 1 => {
                let name = p.path.segments[0].ident.to_string();
                match lookup(&self.env, &name, self.env.len()) {
                    Some(b) if b.downstream => Some(name),
                    Some(b) if b.expr.is_none() => self.named_downstream(&name).map(|_| name),
                    _ => None,
                }
            }
            Expr::Field(f) => match &f.member {
                syn::Member::Named(i) => {
                    let n = i.to_string();
                    self.named_downstream(&n).map(|_| n)
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// `auth_client`, `media_service_client`: a name that says it is a downstream client.
    fn named_downstream(&self, n: &str) -> Option<String> {
        let l = n.to_ascii_lowercase();
        if !l.contains("client") {
            return None;
        }
        self.cfg.downstream_services.iter().find(|d| l.split('_').any(|w| w == d.as_str())).cloned()
    }

    fn on_method_rpc(&mut self, m: &'a syn::ExprMethodCall) {
        let method = m.method.to_string();
        if self.breaker_depth > 0 || CLIENT_PLUMBING.contains(&method.as_str()) || method == "with_interceptor" {
            return;
        }
        let Some(client) = self.client_receiver_downstream(&m.receiver) else { return };
        let at = span_of(m.method.span().join(m.paren_token.span.close()).unwrap_or(m.method.span()));
        self.facts.findings.push(Finding {
            rule: super::rules::circuit_breaker_missing::RULE.id,
            span: at,
            message: format!("gRPC call `{method}` on `{client}` is not made through a circuit breaker"),
            labels: Vec::new(),
            help: Some("wrap the call: `breaker.call(|| async { client.method(req).await }).await`".into()),
            fix: None,
        });
    }

    fn on_struct(&mut self, s: &'a syn::ExprStruct) {
        let ps = self.resolved_segs(&s.path);
        if !self.cfg.breaker_config_types.iter().any(|t| name_matches(&ps, t)) {
            return;
        }
        let ty = ps.last().cloned().unwrap_or_default();
        let at = span_of(s.span());
        let field =
            |n: &str| s.fields.iter().find(|f| matches!(&f.member, syn::Member::Named(i) if i == n)).map(|f| &f.expr);
        let mut problems: Vec<(String, Span)> = Vec::new();
        match field("timeout") {
            None if s.rest.is_none() => problems.push(("has no `timeout`".into(), at)),
            Some(t) if is_zero_duration(t) => problems.push(("has a zero `timeout`".into(), span_of(t.span()))),
            _ => {}
        }
        for th in ["failure_threshold", "success_threshold"] {
            if let Some(v) = field(th)
                && is_zero_lit(v)
            {
                problems.push((format!("has `{th}: 0`"), span_of(v.span())));
            }
        }
        if field("error_rate_threshold").is_some() && field("window_size").is_none() && s.rest.is_none() {
            problems.push((
                "judges an error rate without a `window_size` (one failure on a fresh breaker opens it)".into(),
                at,
            ));
        }
        if let Some(v) = field("window_size")
            && is_zero_lit(v)
        {
            problems.push(("has `window_size: 0`".into(), span_of(v.span())));
        }
        for (p, sp) in problems {
            let labels =
                if sp != at { vec![Lbl { file: None, span: sp, message: "this setting".into() }] } else { Vec::new() };
            self.facts.findings.push(Finding {
                rule: super::rules::circuit_breaker_config::RULE.id,
                span: at,
                message: format!("`{ty}` {p}"),
                labels,
                help: Some(
                    "set every threshold and a timeout (roadmap P0.4: auth 3/3/30s, media 5/5/60s, search 5/3/30s), or start from a preset such as `grpc_config()`"
                        .into(),
                ),
                fix: None,
            });
        }
    }

    // ---- Kafka ---------------------------------------------------------------------------

    fn on_record(&mut self, c: &'a syn::ExprCall) {
        let sp = c.span();
        let key = (sp.start().line, sp.start().column);
        let cid = self.correlation_in_scope();
        self.records.entry(key).or_insert_with(|| RecordState {
            span: span_of(sp),
            insert_at: sp.byte_range().end,
            headers: BTreeMap::new(),
            cid_in_scope: cid,
        });
    }

    fn correlation_in_scope(&self) -> Option<String> {
        const NAMES: &[&str] = &["correlation_id", "cid", "corr_id", "correlation"];
        self.env.iter().rev().find(|b| NAMES.contains(&b.name.as_str())).map(|b| b.name.clone())
    }

    /// Every method chain is looked at: a chain rooted at a Kafka record contributes its `.headers(..)`.
    fn on_chain(&mut self, e: &'a Expr) {
        let cid = self.correlation_in_scope();
        let env = std::mem::take(&mut self.env);
        let chain = flatten(e, &env, env.len());
        let is_record = call_path(chain.root).is_some_and(|p| {
            let s = self.resolved_segs(p);
            ends_with(&s, &["FutureRecord", "to"]) || ends_with(&s, &["BaseRecord", "to"])
        });
        if is_record {
            let rs = chain.root.span();
            let key = (rs.start().line, rs.start().column);
            let mut verdicts = Vec::new();
            for (m, u) in &chain.methods {
                if m.method == "headers"
                    && let Some(h) = m.args.first()
                {
                    let ms = m.method.span();
                    verdicts.push(((ms.start().line, ms.start().column), self.eval_headers(h, &env, *u)));
                }
            }
            let st = self.records.entry(key).or_insert_with(|| RecordState {
                span: span_of(rs),
                insert_at: rs.byte_range().end,
                headers: BTreeMap::new(),
                cid_in_scope: cid,
            });
            st.headers.extend(verdicts);
        }
        self.env = env;
    }

    fn eval_headers(&self, h: &'a Expr, env: &[Bind<'a>], upto: usize) -> HeaderVerdict {
        let mut scan = HeaderScan::default();
        self.header_scan(h, env, upto, &mut Vec::new(), &mut scan);
        if scan.ok {
            HeaderVerdict::Ok
        } else if let Some(s) = scan.fresh {
            HeaderVerdict::Fresh(s)
        } else if let Some((k, s)) = scan.mismatch {
            HeaderVerdict::Mismatch(k, s)
        } else if scan.unknown {
            HeaderVerdict::Unknown
        } else {
            HeaderVerdict::Missing
        }
    }

    /// Where the value gets a fresh `Uuid::new_v4()`, following `let` bindings (each once).
    fn fresh_in(&self, e: &'a Expr, env: &[Bind<'a>], upto: usize) -> Option<Span> {
        struct F<'p> {
            hit: Option<&'p syn::ExprCall>,
            idents: Vec<&'p syn::Ident>,
        }
        impl<'p> Visit<'p> for F<'p> {
            fn visit_expr_call(&mut self, c: &'p syn::ExprCall) {
                if let Expr::Path(p) = &*c.func
                    && self.hit.is_none()
                    && is_fresh_uuid(&segs(&p.path))
                {
                    self.hit = Some(c);
                }
                syn::visit::visit_expr_call(self, c);
            }
            fn visit_expr_path(&mut self, p: &'p syn::ExprPath) {
                if p.path.segments.len() == 1 {
                    self.idents.push(&p.path.segments[0].ident);
                }
            }
            fn visit_expr(&mut self, e: &'p Expr) {
                visit_expr_flat(self, e);
            }
        }
        // Depth first, the value itself before what its names are bound to.
        let mut followed = std::collections::HashSet::new();
        let mut work = vec![(e, upto)];
        while let Some((e, upto)) = work.pop() {
            let (e, upto) = resolve(e, env, upto);
            let mut f = F { hit: None, idents: Vec::new() };
            f.visit_expr(e);
            if let Some(c) = f.hit {
                return Some(span_of(c.span()));
            }
            for id in f.idents.into_iter().rev() {
                if let Some((x, u, i)) = bound(env, &id.to_string(), upto)
                    && followed.insert(i)
                {
                    work.push((x, u));
                }
            }
        }
        None
    }

    fn header_key(&self, k: &Expr) -> Option<(String, Span, bool)> {
        match strip(k) {
            Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some((s.value(), span_of(s.span()), false)),
            Expr::Path(p) => {
                let name = p.path.segments.last()?.ident.to_string();
                if self.cfg.kafka_header_consts.iter().any(|c| c.rsplit("::").next() == Some(name.as_str())) {
                    return Some((self.cfg.kafka_header.clone(), span_of(p.span()), true));
                }
                if !is_local_path(&p.path) {
                    return None;
                }
                self.idx.consts.get(&name).map(|(v, s)| (v.clone(), *s, false))
            }
            _ => None,
        }
    }

    fn header_pair(&self, key: &Expr, value: Option<&'a Expr>, env: &[Bind<'a>], upto: usize, scan: &mut HeaderScan) {
        let Some((k, sp, _)) = self.header_key(key) else {
            // A key nova cannot read (a constant from another crate): not judged.
            scan.unknown = true;
            return;
        };
        if k == self.cfg.kafka_header {
            match value.and_then(|v| self.fresh_in(v, env, upto)) {
                Some(f) => scan.fresh = scan.fresh.or(Some(f)),
                None => scan.ok = true,
            }
        } else if correlation_like(&k) && scan.mismatch.is_none() {
            scan.mismatch = Some((k, sp));
        }
    }

    /// Judge a headers value: the chain of `.insert(..)` / `.add(..)` calls however long, the
    /// injector helper, local helper functions (each once on the way: a helper that calls itself
    /// adds nothing it has not already shown).
    fn header_scan(
        &self,
        e: &'a Expr,
        env: &[Bind<'a>],
        upto: usize,
        helpers: &mut Vec<&'a syn::Block>,
        scan: &mut HeaderScan,
    ) {
        let (mut e, mut upto) = (e, upto);
        loop {
            (e, upto) = resolve(e, env, upto);
            match e {
                Expr::Call(c) => {
                    let s = match strip(&c.func) {
                        Expr::Path(p) => self.resolved_segs(&p.path),
                        _ => Vec::new(),
                    };
                    if self.cfg.inject_headers.iter().any(|h| name_matches(&s, h)) {
                        let fresh = c.args.iter().skip(1).find_map(|a| self.fresh_in(a, env, upto));
                        match fresh {
                            Some(f) => scan.fresh = scan.fresh.or(Some(f)),
                            None => scan.ok = true,
                        }
                        match c.args.first() {
                            Some(first) => {
                                e = first;
                                continue;
                            }
                            None => return,
                        }
                    }
                    if ends_with(&s, &["OwnedHeaders", "new"]) || ends_with(&s, &["OwnedHeaders", "new_with_capacity"])
                    {
                        return;
                    }
                    let name = s.last().cloned().unwrap_or_default();
                    let local = s.len() == 1 || matches!(s[0].as_str(), "self" | "Self" | "crate" | "super");
                    if local
                        && let Some(f) = self.idx.fn_named(&name)
                        && let Some(t) = tail_expr(f.body)
                    {
                        // A local helper building the headers: judge its body.
                        if helpers.iter().any(|h| std::ptr::eq(*h, f.body)) {
                            return;
                        }
                        helpers.push(f.body);
                        let mut local_env: Vec<Bind<'a>> = Vec::new();
                        bind_lets(f.body, &mut local_env);
                        self.header_scan(t, &local_env, local_env.len(), helpers, scan);
                        helpers.pop();
                        return;
                    }
                    scan.unknown = true;
                    return;
                }
                Expr::MethodCall(m) => {
                    match m.method.to_string().as_str() {
                        "insert" => {
                            if let Some(a) = m.args.first() {
                                let (a, au) = resolve(a, env, upto);
                                if let Expr::Struct(st) = a {
                                    let field = |n: &str| {
                                        st.fields.iter().find(|f| matches!(&f.member, syn::Member::Named(i) if i == n))
                                    };
                                    if let Some(k) = field("key") {
                                        self.header_pair(&k.expr, field("value").map(|v| &v.expr), env, au, scan);
                                    }
                                } else {
                                    scan.unknown = true;
                                }
                            }
                        }
                        "add" if m.args.len() >= 2 => {
                            self.header_pair(&m.args[0], m.args.iter().nth(1), env, upto, scan);
                        }
                        _ => {}
                    }
                    e = &m.receiver;
                }
                _ => {
                    scan.unknown = true;
                    return;
                }
            }
        }
    }

    fn finish_records(&mut self) {
        let records = std::mem::take(&mut self.records);
        for (_, r) in records {
            let vs: Vec<&HeaderVerdict> = r.headers.values().collect();
            if vs.iter().any(|v| matches!(v, HeaderVerdict::Ok | HeaderVerdict::Unknown)) {
                self.facts.constructions.push(Construction { column: Column::Kafka, span: r.span, ok: true });
                continue;
            }
            self.facts.constructions.push(Construction { column: Column::Kafka, span: r.span, ok: false });
            let key = &self.cfg.kafka_header;
            if let Some(HeaderVerdict::Fresh(s)) = vs.iter().find(|v| matches!(v, HeaderVerdict::Fresh(_))) {
                self.facts.findings.push(Finding {
                    rule: super::rules::kafka_fresh_correlation_id::RULE.id,
                    span: r.span,
                    message: format!("Kafka record's `{key}` header is a fresh `Uuid::new_v4()`, not the request's correlation ID"),
                    labels: vec![Lbl { file: None, span: *s, message: "a new ID is made here".into() }],
                    help: Some("pass the correlation ID of the request being handled (e.g. `get_correlation_id(&req)` or the gRPC metadata value)".into()),
                    fix: None,
                });
            } else if let Some(HeaderVerdict::Mismatch(k, s)) =
                vs.iter().find(|v| matches!(v, HeaderVerdict::Mismatch(..)))
            {
                self.facts.findings.push(Finding {
                    rule: super::rules::kafka_header_key_mismatch::RULE.id,
                    span: r.span,
                    message: format!("Kafka record carries the correlation ID under `{k}`, consumers read `{key}`"),
                    labels: vec![Lbl { file: None, span: *s, message: format!("spelled `{k}` here") }],
                    help: Some(format!("use the header key `{key}` (`KAFKA_CORRELATION_ID_HEADER`)")),
                    fix: None,
                });
            } else {
                let helper = self.cfg.inject_headers.first().cloned().unwrap_or_else(|| "inject_headers".into());
                let helper_last = helper.rsplit("::").next().unwrap_or(&helper).to_string();
                let fix = r.cid_in_scope.as_ref().map(|cid| {
                    let imported =
                        self.idx.aliases.contains_key(&helper_last) && self.idx.aliases.contains_key("OwnedHeaders");
                    FixPlan {
                        safe: imported && r.headers.is_empty(),
                        description: format!("add `.headers({helper_last}(OwnedHeaders::new(), &{cid}))`"),
                        at: r.insert_at,
                        text: format!(".headers({helper_last}(OwnedHeaders::new(), &{cid}))"),
                    }
                });
                let help = match &fix {
                    Some(f) if f.safe => format!("{} (`nova wiring check --fix` applies it)", f.description),
                    Some(f) => {
                        format!("{}; import `{helper}` and `rdkafka::message::OwnedHeaders` first", f.description)
                    }
                    None => format!(
                        "add `.headers({helper_last}(OwnedHeaders::new(), &correlation_id))` with the correlation ID of the request being handled"
                    ),
                };
                let msg = if r.headers.is_empty() {
                    format!("Kafka record has no headers, so no `{key}` header")
                } else {
                    format!("Kafka record's headers do not include `{key}`")
                };
                self.facts.findings.push(Finding {
                    rule: super::rules::kafka_correlation_header::RULE.id,
                    span: r.span,
                    message: msg,
                    labels: Vec::new(),
                    help: Some(help),
                    fix,
                });
            }
        }
    }
}

/// `KEY`, `self::KEY`, `crate::KEY`, `super::KEY`: a name this file may define.
fn is_local_path(p: &syn::Path) -> bool {
    p.segments.len() == 1
        || p.segments
            .first()
            .is_some_and(|s| matches!(s.ident.to_string().as_str(), "self" | "Self" | "crate" | "super"))
}

fn call_args(e: &Expr) -> Option<Vec<&Expr>> {
    match strip(e) {
        Expr::Call(c) => Some(c.args.iter().collect()),
        _ => None,
    }
}

fn is_zero_lit(e: &Expr) -> bool {
    matches!(strip(e), Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) if i.base10_digits() == "0")
        || matches!(strip(e), Expr::Lit(syn::ExprLit { lit: syn::Lit::Float(f), .. }) if f.base10_parse::<f64>().is_ok_and(|v| v == 0.0))
}

fn is_zero_duration(e: &Expr) -> bool {
    match strip(e) {
        Expr::Call(c) => {
            let name = match strip(&c.func) {
                Expr::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default(),
                _ => String::new(),
            };
            name.starts_with("from_") && c.args.first().is_some_and(is_zero_lit)
        }
        Expr::Path(p) => p.path.segments.last().is_some_and(|s| s.ident == "ZERO"),
        _ => false,
    }
}

#[derive(Default)]
struct HeaderScan {
    ok: bool,
    fresh: Option<Span>,
    mismatch: Option<(String, Span)>,
    unknown: bool,
}

#[derive(Default)]
struct KeyScan {
    ok: bool,
    mismatch: Option<(String, Span)>,
    /// Calls to functions this file does not define (possibly helpers in other modules).
    elsewhere: Vec<String>,
}

impl KeyScan {
    fn add(&mut self, val: String, sp: Span, key: &str) {
        if val == key {
            self.ok = true;
        } else if correlation_like(&val) && self.mismatch.is_none() {
            self.mismatch = Some((val, sp));
        }
    }
    fn verdict(self, at: Span) -> KeyVerdict {
        if self.ok {
            KeyVerdict::Ok
        } else if let Some((key, span)) = self.mismatch {
            KeyVerdict::Mismatch { key, span }
        } else {
            KeyVerdict::NoKey { span: at, elsewhere: self.elsewhere }
        }
    }
}

struct KeyVisitor {
    lits: Vec<(String, Span)>,
    /// Last segment, and whether the path names something of this file.
    idents: Vec<(String, bool)>,
    /// Called functions: last segment, and whether the path may name a function of this service.
    calls: Vec<(String, bool)>,
}

impl<'a> Visit<'a> for KeyVisitor {
    fn visit_expr(&mut self, e: &'a Expr) {
        visit_expr_flat(self, e);
    }
    fn visit_lit_str(&mut self, s: &'a syn::LitStr) {
        self.lits.push((s.value(), span_of(s.span())));
    }
    fn visit_expr_path(&mut self, p: &'a syn::ExprPath) {
        if let Some(s) = p.path.segments.last() {
            self.idents.push((s.ident.to_string(), is_local_path(&p.path)));
        }
    }
    fn visit_expr_call(&mut self, c: &'a syn::ExprCall) {
        if let Expr::Path(p) = &*c.func
            && let Some(s) = p.path.segments.last()
        {
            let name = s.ident.to_string();
            // `helper(..)`, `ctx::helper(..)`, `crate::ctx::helper(..)`; not `Type::new(..)` nor std.
            let first = p.path.segments[0].ident.to_string();
            let ours = name.starts_with(|c: char| c.is_lowercase())
                && first.starts_with(|c: char| c.is_lowercase())
                && !matches!(first.as_str(), "std" | "core" | "alloc");
            self.calls.push((name, ours));
        }
        syn::visit::visit_expr_call(self, c);
    }
    fn visit_macro(&mut self, m: &'a syn::Macro) {
        // Keys inside `format!`/`debug!` are still keys: look at the literal tokens.
        for tt in m.tokens.clone() {
            if let proc_macro2::TokenTree::Literal(l) = tt
                && let Ok(s) = syn::parse2::<syn::LitStr>(proc_macro2::TokenTree::Literal(l).into())
            {
                self.lits.push((s.value(), span_of(s.span())));
            }
        }
    }
}

/// The HTTP finding for an app that lacks the middleware.
pub fn app_finding(
    cfg: &WiringConfig,
    a: &AppEval,
    server_file: Option<PathBuf>,
    server: Span,
    served_by: &str,
    column: Column,
) -> Finding {
    let _ = column;
    let (what, method, wanted) = if served_by == "axum::serve" {
        ("axum Router", "layer", &cfg.axum_layers)
    } else {
        ("actix-web App", "wrap", &cfg.middleware)
    };
    let name = wanted.first().cloned().unwrap_or_default();
    let last = name.rsplit("::").next().unwrap_or(&name).to_string();
    let fix = (method == "wrap").then(|| FixPlan {
        safe: a.imported,
        description: format!("insert `.wrap({last})` after `App::new()`"),
        at: a.insert_at,
        text: format!(".wrap({last})"),
    });
    let help = match &fix {
        Some(f) if f.safe => format!("{} (`nova wiring check --fix` applies it)", f.description),
        Some(f) => format!("{}; import `{name}` first", f.description),
        None => format!("add `.{method}({last})` to the router"),
    };
    Finding {
        rule: super::rules::http_correlation_middleware::RULE.id,
        span: a.span,
        message: format!("{what} served by `{served_by}` has no `.{method}({last})`"),
        labels: vec![Lbl { file: server_file, span: server, message: "served here".into() }],
        help: Some(help),
        fix,
    }
}

/// The served app comes from helpers that call each other in a cycle: say so, rather than leave
/// the server out of the matrix without a word.
pub fn not_analysed_app(at: Span, name: &str, served_by: &str) -> Finding {
    Finding {
        rule: super::rules::wiring_not_analysed::RULE.id,
        span: at,
        message: format!(
            "the app served by `{served_by}` is built by `{name}`, which calls itself (directly or through other helpers); its middleware was not analysed"
        ),
        labels: Vec::new(),
        help: Some("build the App/Router in a helper that returns it without recursion".into()),
        fix: None,
    }
}

/// Findings for an interceptor verdict (none when it handles the key or cannot be seen).
pub fn interceptor_finding(
    cfg: &WiringConfig,
    v: &KeyVerdict,
    fn_file: Option<PathBuf>,
    at: Span,
    what: &str,
    missing_rule: &'static str,
) -> Option<Finding> {
    let key = &cfg.grpc_metadata_key;
    match v {
        KeyVerdict::Ok | KeyVerdict::Unknown => None,
        KeyVerdict::Mismatch { key: k, span } => Some(Finding {
            rule: super::rules::grpc_metadata_key_mismatch::RULE.id,
            span: at,
            message: format!("interceptor of `{what}` uses the metadata key `{k}`, the convention is `{key}`"),
            labels: vec![Lbl { file: fn_file, span: *span, message: format!("`{k}` here") }],
            help: Some(format!("use `{key}` (`GRPC_CORRELATION_ID_KEY`); `x-correlation-id` is the HTTP header")),
            fix: None,
        }),
        KeyVerdict::NoKey { span, .. } => Some(Finding {
            rule: missing_rule,
            span: at,
            message: format!("interceptor of `{what}` never touches the `{key}` metadata key"),
            labels: vec![Lbl { file: fn_file, span: *span, message: "interceptor defined here".into() }],
            help: Some(format!("read (server) or set (client) `{key}` in the interceptor")),
            fix: None,
        }),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    fn run(src: &str) -> FileFacts {
        let cfg = WiringConfig::default();
        analyze(src, &cfg, std::path::Path::new("/nonexistent"), &trigger_tokens(&cfg))
    }

    fn rules(f: &FileFacts) -> Vec<(&'static str, usize)> {
        f.findings.iter().map(|x| (x.rule, x.span.line)).collect()
    }

    #[test]
    fn configured_names_match_by_suffix_and_type_position() {
        let p = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
        assert!(name_matches(&p("actix_middleware::CorrelationIdMiddleware"), "CorrelationIdMiddleware"));
        assert!(name_matches(&p("CorrelationIdLayer::new"), "CorrelationIdLayer"));
        assert!(name_matches(&p("a::CorrelationIdMiddleware"), "a::CorrelationIdMiddleware"));
        assert!(!name_matches(&p("b::CorrelationIdMiddleware"), "a::CorrelationIdMiddleware"));
        assert!(name_matches(&p("CorrelationIdMiddleware"), "a::CorrelationIdMiddleware"), "glob import");
        assert!(!name_matches(&p("Logger::default"), "CorrelationIdMiddleware"));
    }

    #[test]
    fn mod_scan_skips_test_modules_and_reads_path_attrs() {
        let dir = std::path::Path::new("/x");
        let got = scan_mod_decls("mod a;\n#[cfg(test)]\nmod tests;\npub mod b;\n#[path = \"gen/c.rs\"]\nmod c;\n", dir);
        assert_eq!(got, vec![dir.join("a/mod.rs"), dir.join("b/mod.rs"), dir.join("gen/c.rs")]);
    }

    #[test]
    fn shadowed_record_gets_its_headers_later() {
        let f = run(r#"
fn publish(p: &P, cid: &str) {
    let r = FutureRecord::to("t").payload("x");
    let r = r.headers(inject_headers(OwnedHeaders::new(), &cid));
    p.send(r);
}
"#);
        assert_eq!(rules(&f), vec![]);
        assert_eq!(f.constructions.len(), 1);
        assert!(f.constructions[0].ok);
    }

    #[test]
    fn headers_from_a_parameter_are_not_judged() {
        let f = run("fn publish(h: OwnedHeaders) { let _ = FutureRecord::to(\"t\").headers(h); }\n");
        assert_eq!(rules(&f), vec![]);
    }

    #[test]
    fn interceptor_type_impl_is_inspected() {
        let f = run(r#"
use tonic::service::Interceptor;
struct Cid;
impl Interceptor for Cid {
    fn call(&mut self, req: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        let _ = req.metadata().get("x-correlation-id");
        Ok(req)
    }
}
async fn serve() {
    tonic::transport::Server::builder().add_service(FooServer::with_interceptor(Foo, Cid)).serve(a).await;
}
"#);
        assert_eq!(rules(&f), vec![("GRPC_METADATA_KEY_MISMATCH", 11)]);
    }

    #[test]
    fn unknown_interceptor_is_pending_not_a_finding() {
        let f = run("async fn s() { Server::builder().add_service(FooServer::with_interceptor(Foo, other::cid)); }\n");
        assert_eq!(rules(&f), vec![]);
        assert!(matches!(&f.pending[..], [Pending::Interceptor { name, .. }] if name == "cid"));
    }

    #[test]
    fn services_from_parameters_or_foreign_helpers_are_not_judged_local_helpers_are() {
        let f = run(r#"
async fn serve(svc: UserServiceServer<Svc>) {
    Server::builder().add_service(svc).add_service(other::build()).add_service(local()).serve(a).await;
}
fn local() -> OrderServiceServer<O> {
    let inner = O::default();
    OrderServiceServer::new(inner)
}
"#);
        assert_eq!(rules(&f), vec![("GRPC_SERVER_INTERCEPTOR", 7)]);
    }

    #[test]
    fn parse_errors_point_at_the_token() {
        let f = run("fn main() {\n    HttpServer::new(|| App::new());\n    let x = ;\n}\n");
        let (_, span) = f.parse_error.expect("parse error");
        assert_eq!((span.line, span.column), (3, 13));
        let f = run("fn main() {\n    HttpServer::new(|| App::new();\n}\n");
        assert_eq!(f.parse_error.map(|e| e.1.line), Some(3), "the lexer stops at the mismatched brace");
    }

    #[test]
    fn server_wide_interceptor_layer_covers_the_builder() {
        let f = run(r#"
fn cid(req: Request<()>) -> Result<Request<()>, Status> { let _ = req.metadata().get("correlation-id"); Ok(req) }
fn other(req: Request<()>) -> Result<Request<()>, Status> { Ok(req) }
async fn serve() {
    Server::builder().layer(tonic::service::interceptor(cid)).add_service(AServer::new(A)).serve(a).await;
    Server::builder().layer(tonic::service::interceptor(other)).add_service(BServer::new(B)).serve(a).await;
    Server::builder().layer(TraceLayer::new_for_grpc()).add_service(CServer::new(C)).serve(a).await;
}
"#);
        assert_eq!(rules(&f), vec![("GRPC_SERVER_INTERCEPTOR", 6), ("GRPC_SERVER_INTERCEPTOR", 7)]);
        assert!(f.findings[0].message.contains("never touches"), "{}", f.findings[0].message);
    }

    #[test]
    fn client_on_an_intercepted_channel_is_wired() {
        let f = run(r#"
use tonic::transport::Channel;
async fn c(ch: Channel) {
    let ch2 = tower::ServiceBuilder::new().layer(tonic::service::interceptor(inject)).service(ch.clone());
    let _a = AuthServiceClient::new(ch2);
    let _b = MediaServiceClient::new(ch);
}
"#);
        assert_eq!(rules(&f), vec![("GRPC_CLIENT_INTERCEPTOR", 6)]);
    }

    #[test]
    fn client_copied_from_a_field_needs_a_breaker_too() {
        let f = run(r#"
impl Clients {
    async fn validate(&self, t: String) -> bool {
        let mut c = self.auth_client.clone();
        c.validate(t).await.is_ok()
    }
}
"#);
        assert_eq!(rules(&f), vec![("CIRCUIT_BREAKER_MISSING", 5)]);
    }

    #[test]
    fn header_keys_from_function_consts_and_foreign_consts() {
        let f = run(r#"
fn a(cid: &str) {
    const KEY: &str = "correlation_id";
    let _ = FutureRecord::to("t").headers(OwnedHeaders::new().insert(Header { key: KEY, value: Some(cid) }));
}
fn b(cid: &str) {
    let _ = FutureRecord::to("t").headers(OwnedHeaders::new().insert(Header { key: other::KEY, value: Some(cid) }));
}
"#);
        assert_eq!(rules(&f), vec![("KAFKA_HEADER_KEY_MISMATCH", 4)]);
    }

    #[test]
    fn client_from_an_intercepted_channel_parameter_is_wired() {
        let f = run(r#"
use tonic::transport::Channel;
fn a(ch: InterceptedService<Channel, Injector>) -> AuthClient<InterceptedService<Channel, Injector>> {
    AuthClient::new(ch.clone())
}
fn b(ch: Channel) -> AuthClient<Channel> {
    AuthClient::new(ch)
}
"#);
        assert_eq!(rules(&f), vec![("GRPC_CLIENT_INTERCEPTOR", 7)]);
    }

    #[test]
    fn cfg_not_test_is_service_code() {
        let f = run("#[cfg(not(test))]\nfn main() { HttpServer::new(|| App::new()); }\n");
        assert_eq!(rules(&f), vec![("HTTP_CORRELATION_MIDDLEWARE", 2)]);
        let f = run("#[cfg(test)]\nfn main() { HttpServer::new(|| App::new()); }\n");
        assert_eq!(rules(&f), vec![]);
    }

    #[test]
    fn breaker_protects_calls_inside_its_closure_only() {
        let f = run(r#"
async fn f(auth_client: AuthClient<Channel>, cb: CircuitBreaker) {
    cb.call(|| async { auth_client.clone().check(1).await }).await;
    auth_client.clone().check(2).await;
}
"#);
        assert_eq!(rules(&f), vec![("CIRCUIT_BREAKER_MISSING", 4)]);
    }
}
