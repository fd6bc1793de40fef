//! What the k8s rules need to know about a service's code, from a small self-contained syn pass
//! over its crate (checkers do not import each other): the HTTP routes it registers, the ports
//! and address variables it binds, whether it serves WebSockets, and its shutdown timeout.
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// Files above this are generated code, not a service's wiring; they are reported, not read.
const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
/// Bracket nesting above which a file is not parsed (syn's parser recurses per level).
const MAX_NESTING: usize = 256;

#[derive(Debug, Clone, Default)]
pub struct CodeFacts {
    pub crate_name: String,
    pub crate_dir: PathBuf,
    /// Route paths registered with a literal (`.route("/health/ready", ..)`, `#[get("/x")]`).
    pub routes: BTreeSet<String>,
    /// Prefixes of `web::scope("/api")` / `.nest("/api", ..)`.
    pub scopes: BTreeSet<String>,
    /// Port numbers in literal bind addresses (`.bind(("0.0.0.0", 8080))`, `"0.0.0.0:8080"`,
    /// `SocketAddr::from(([0, 0, 0, 0], 8080))`).
    pub ports: BTreeSet<i64>,
    /// Environment variables the code reads for an address or port (`HTTP_ADDR`, `PORT`).
    pub addr_envs: BTreeSet<String>,
    /// Where the code serves WebSockets (`src/ws.rs:3 uses actix_ws`).
    pub websocket: Option<String>,
    /// Environment variable names the code passes to calls (`env::var("X")`, `env_or("X", ..)`).
    pub env_reads: BTreeSet<String>,
    /// Where the code uses a Kafka client (`StreamConsumer`, `FutureProducer`, ...).
    pub kafka: Option<String>,
    /// Where the crate has migrations (`sqlx::migrate!`, or a `migrations/` directory).
    pub migrations: Option<String>,
    /// A literal shutdown timeout and where it is.
    pub shutdown: Option<(u64, String)>,
    /// Files not analysed and why (reported as findings, never silently skipped).
    pub skipped: Vec<(PathBuf, &'static str, String)>,
}

impl CodeFacts {
    /// Whether `path` is a route the service serves (a literal route, or a scope plus a route).
    pub fn serves(&self, path: &str) -> bool {
        let path = path.split('?').next().unwrap_or(path);
        self.routes.contains(path)
            || self
                .scopes
                .iter()
                .any(|s| path.strip_prefix(s.trim_end_matches('/')).is_some_and(|r| self.routes.contains(r)))
    }
}

/// Analyse the crate in `dir` (its `src/` tree).
pub fn analyse(dir: &Path, crate_name: &str) -> CodeFacts {
    let mut facts =
        CodeFacts { crate_name: crate_name.to_string(), crate_dir: dir.to_path_buf(), ..Default::default() };
    let src = dir.join("src");
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&src)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "rs"))
        .map(|e| e.into_path())
        .collect();
    files.sort();
    if dir.join("migrations").is_dir() {
        facts.migrations = Some("its `migrations/` directory".into());
    }
    for path in files {
        let rel = crate::diagnostics::rel_path(dir, &path);
        if std::fs::metadata(&path).is_ok_and(|m| m.len() > MAX_FILE_BYTES) {
            facts.skipped.push((path, "FILE_TOO_LARGE", format!("over {} MB: not analysed", MAX_FILE_BYTES >> 20)));
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            facts.skipped.push((path, "IO_ERROR", "cannot be read as UTF-8 text: not analysed".into()));
            continue;
        };
        if nesting(&text) > MAX_NESTING {
            facts.skipped.push((
                path,
                "FILE_TOO_COMPLEX",
                format!("brackets nested over {MAX_NESTING} deep: not analysed"),
            ));
            continue;
        }
        let Ok(file) = syn::parse_file(&text) else {
            facts.skipped.push((path, "PARSE_ERROR", "does not parse as Rust: not analysed".into()));
            continue;
        };
        // A file that is test code as a whole (`#![cfg(test)]`): what it reads is not the service's.
        if is_test_only(&file.attrs) {
            continue;
        }
        let mut v = Visitor { facts: &mut facts, rel: &rel };
        v.visit_file(&file);
    }
    facts
}

fn nesting(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for b in text.bytes() {
        match b {
            b'(' | b'[' | b'{' => {
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

struct Visitor<'a> {
    facts: &'a mut CodeFacts,
    rel: &'a str,
}

const KAFKA_MARKERS: &[&str] =
    &["StreamConsumer", "BaseConsumer", "FutureProducer", "BaseProducer", "ThreadedProducer"];

const WS_MARKERS: &[&str] = &["actix_ws", "actix_web_actors", "WebSocketUpgrade", "accept_async", "accept_hdr_async"];

fn str_lit(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
        _ => None,
    }
}

fn int_lit(e: &syn::Expr) -> Option<i64> {
    match e {
        syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) => i.base10_parse().ok(),
        _ => None,
    }
}

/// The port of `host:port` when the host is a bind address (or empty).
fn bind_port(s: &str) -> Option<i64> {
    let (host, port) = s.rsplit_once(':')?;
    let host_ok = matches!(host, "" | "0.0.0.0" | "127.0.0.1" | "localhost" | "[::]" | "::" | "[::1]");
    host_ok.then(|| port.parse().ok()).flatten()
}

fn is_env_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
}

impl Visitor<'_> {
    fn route_arg(&mut self, method: &str, args: &syn::punctuated::Punctuated<syn::Expr, syn::token::Comma>) {
        let Some(path) = args.first().and_then(str_lit).filter(|p| p.starts_with('/')) else { return };
        match method {
            "scope" | "nest" => {
                self.facts.scopes.insert(path);
            }
            "route" | "resource" | "service" | "route_service" | "nest_service" => {
                self.facts.routes.insert(path);
            }
            _ => {}
        }
    }
    fn call_args(&mut self, args: &syn::punctuated::Punctuated<syn::Expr, syn::token::Comma>) {
        let lits: Vec<String> = args.iter().filter_map(str_lit).collect();
        for l in lits.iter().filter(|l| is_env_name(l)) {
            self.facts.env_reads.insert(l.clone());
            if l.contains("ADDR") || l.ends_with("PORT") {
                self.facts.addr_envs.insert(l.clone());
            }
            if l.contains("SHUTDOWN")
                && let Some(n) = args.iter().filter_map(int_lit).next()
                && self.facts.shutdown.is_none()
            {
                self.facts.shutdown = Some((n as u64, format!("`{l}` default {n} in {}", self.rel)));
            }
        }
    }
    fn marker(&mut self, name: &str, span: proc_macro2::Span) {
        if self.facts.kafka.is_none() && KAFKA_MARKERS.contains(&name) {
            self.facts.kafka = Some(format!("{}:{} uses `{name}`", self.rel, span.start().line));
        }
        self.websocket(name, span);
    }
    fn websocket(&mut self, name: &str, span: proc_macro2::Span) {
        if self.facts.websocket.is_none() && WS_MARKERS.contains(&name) {
            self.facts.websocket = Some(format!("{}:{} uses `{name}`", self.rel, span.start().line));
        }
    }
}

/// `#[cfg(test)]`: test code registers routes and binds ports the service does not serve.
fn is_test_only(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test"))
}

impl<'ast> Visit<'ast> for Visitor<'_> {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        if !is_test_only(&m.attrs) {
            syn::visit::visit_item_mod(self, m);
        }
    }
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_test_only(&f.attrs) {
            syn::visit::visit_item_fn(self, f);
        }
    }
    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        let name = m.method.to_string();
        self.route_arg(&name, &m.args);
        self.call_args(&m.args);
        if name == "shutdown_timeout"
            && let Some(n) = m.args.first().and_then(int_lit)
        {
            self.facts.shutdown = Some((n as u64, format!("`shutdown_timeout({n})` in {}", self.rel)));
        }
        if name == "bind"
            && let Some(syn::Expr::Tuple(t)) = m.args.first()
            && let Some(p) = t.elems.iter().nth(1).and_then(int_lit)
        {
            self.facts.ports.insert(p);
        }
        syn::visit::visit_expr_method_call(self, m);
    }
    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        if let syn::Expr::Path(p) = &*c.func
            && let Some(last) = p.path.segments.last()
        {
            let name = last.ident.to_string();
            self.route_arg(&name, &c.args);
            // `SocketAddr::from(([0, 0, 0, 0], 8080))`
            if name == "from"
                && p.path.segments.iter().any(|s| s.ident == "SocketAddr")
                && let Some(syn::Expr::Tuple(t)) = c.args.first()
                && let Some(port) = t.elems.iter().nth(1).and_then(int_lit)
            {
                self.facts.ports.insert(port);
            }
        }
        self.call_args(&c.args);
        syn::visit::visit_expr_call(self, c);
    }
    fn visit_lit_str(&mut self, s: &'ast syn::LitStr) {
        if let Some(p) = bind_port(&s.value()) {
            self.facts.ports.insert(p);
        }
    }
    fn visit_attribute(&mut self, a: &'ast syn::Attribute) {
        let name = a.path().segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
        if matches!(name.as_str(), "get" | "post" | "put" | "delete" | "patch" | "head" | "route")
            && let Ok(lit) = a.parse_args_with(|input: syn::parse::ParseStream<'_>| {
                let l: syn::LitStr = input.parse()?;
                let _: proc_macro2::TokenStream = input.parse()?;
                Ok(l)
            })
            && lit.value().starts_with('/')
        {
            self.facts.routes.insert(lit.value());
        }
        syn::visit::visit_attribute(self, a);
    }
    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        if m.path.segments.last().is_some_and(|s| s.ident == "migrate") && self.facts.migrations.is_none() {
            let line = m.path.segments.last().map_or(0, |s| s.ident.span().start().line);
            self.facts.migrations = Some(format!("{}:{line} runs `migrate!`", self.rel));
        }
        syn::visit::visit_macro(self, m);
    }
    fn visit_path_segment(&mut self, s: &'ast syn::PathSegment) {
        self.marker(&s.ident.to_string(), s.ident.span());
        syn::visit::visit_path_segment(self, s);
    }
    fn visit_use_path(&mut self, u: &'ast syn::UsePath) {
        self.marker(&u.ident.to_string(), u.ident.span());
        syn::visit::visit_use_path(self, u);
    }
    fn visit_use_name(&mut self, u: &'ast syn::UseName) {
        self.marker(&u.ident.to_string(), u.ident.span());
    }
}

/// The crate a manifest's workload belongs to: the package the manifest sits in (`crate/k8s/x.yaml`,
/// `crate/deploy/k8s/x.yaml`, or deeper when the package is named like the workload), else a
/// package named like the workload (or one of its containers) under `root`.
pub struct Crates {
    root: PathBuf,
    /// package name -> directory, for every package under the root; walked when first needed.
    /// `None`: several packages have that name, so a name alone does not say which.
    by_name: std::sync::OnceLock<std::collections::BTreeMap<String, Option<PathBuf>>>,
}

const SKIP_DIRS: &[&str] = &["target", "node_modules", "vendor", "fixtures", "testdata"];
/// How far below its package a manifest may sit and still belong to it whatever its name.
const MAX_MANIFEST_DEPTH: usize = 2;

impl Crates {
    pub fn new(root: &Path) -> Crates {
        Crates { root: root.to_path_buf(), by_name: std::sync::OnceLock::new() }
    }

    fn by_name(&self) -> &std::collections::BTreeMap<String, Option<PathBuf>> {
        self.by_name.get_or_init(|| {
            let mut by_name = std::collections::BTreeMap::new();
            let walk = walkdir::WalkDir::new(&self.root).into_iter().filter_entry(|e| {
                let n = e.file_name().to_string_lossy();
                e.depth() == 0 || !(n.starts_with('.') || SKIP_DIRS.contains(&n.as_ref()))
            });
            for e in walk.filter_map(Result::ok) {
                if e.file_name() == "Cargo.toml"
                    && let Some(name) = package_name(e.path())
                    && let Some(dir) = e.path().parent()
                {
                    by_name.entry(name).and_modify(|d| *d = None).or_insert_with(|| Some(dir.to_path_buf()));
                }
            }
            by_name
        })
    }

    pub fn find(&self, manifest: &Path, names: &[&str]) -> Option<(String, PathBuf)> {
        let root = &self.root;
        for (depth, dir) in manifest.ancestors().skip(1).take_while(|d| d.starts_with(root)).enumerate() {
            let toml = dir.join("Cargo.toml");
            if toml.is_file() {
                if let Some(name) = package_name(&toml)
                    && (depth <= MAX_MANIFEST_DEPTH || names.contains(&name.as_str()))
                {
                    return Some((name, dir.to_path_buf()));
                }
                break; // a workspace root, or an unrelated package far above: look up by name
            }
        }
        names.iter().find_map(|n| self.by_name().get(*n).cloned().flatten().map(|d| (n.to_string(), d)))
    }
}

fn package_name(toml: &Path) -> Option<String> {
    let text = std::fs::read_to_string(toml).ok()?;
    let table: toml::Table = text.parse().ok()?;
    table.get("package")?.get("name")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_ports_websocket_and_shutdown_are_found() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("src")).unwrap();
        std::fs::write(
            d.path().join("src/main.rs"),
            r#"use actix_ws::Message;
fn main() {
    let addr = env_or("HTTP_ADDR", SocketAddr::from(([0, 0, 0, 0], 8080)));
    HttpServer::new(|| App::new().route("/health/ready", web::get().to(r)).service(web::scope("/api").route("/x", web::get().to(r))))
        .shutdown_timeout(25)
        .bind(("0.0.0.0", 9090));
}
#[get("/metrics")]
async fn metrics() {}
#[cfg(test)]
mod tests {
    fn t() { App::new().route("/only-in-tests", web::get().to(r)); }
}
"#,
        )
        .unwrap();
        std::fs::write(
            d.path().join("src/test_db.rs"),
            "#![cfg(test)]\nfn url() -> String { std::env::var(\"TEST_DATABASE_URL\").unwrap() }\n",
        )
        .unwrap();
        let f = analyse(d.path(), "svc");
        assert!(f.serves("/health/ready") && f.serves("/api/x") && f.serves("/metrics") && !f.serves("/health"));
        assert!(!f.serves("/only-in-tests"));
        assert!(!f.env_reads.contains("TEST_DATABASE_URL"), "a #![cfg(test)] file is test code");
        assert_eq!(f.ports.iter().copied().collect::<Vec<_>>(), [8080, 9090]);
        assert!(f.addr_envs.contains("HTTP_ADDR"));
        assert_eq!(f.websocket.as_deref(), Some("src/main.rs:1 uses `actix_ws`"));
        assert_eq!(f.shutdown.as_ref().map(|s| s.0), Some(25));
    }

    #[test]
    fn a_too_nested_file_is_reported_not_parsed() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("src")).unwrap();
        std::fs::write(d.path().join("src/lib.rs"), format!("fn f() {{ {}{} }}", "(".repeat(5000), ")".repeat(5000)))
            .unwrap();
        let f = analyse(d.path(), "svc");
        assert_eq!(f.skipped.len(), 1);
        assert_eq!(f.skipped[0].1, "FILE_TOO_COMPLEX");
    }
}
