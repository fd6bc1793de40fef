//! HTTP servers: which App (actix) or Router (axum) a server serves, and whether it carries the
//! correlation middleware or layer (HTTP_CORRELATION_MIDDLEWARE).
use super::*;

impl<'w, 'a> Walker<'w, 'a> {
    /// Evaluate an expression that should produce an App/Router: chains, helper fns, blocks.
    /// `helpers` are the functions whose tails are being evaluated (a helper that calls itself,
    /// directly or not, is a cycle, not a deeper level).
    pub(super) fn eval_app(
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
        let mut cover = ScopeCover::default();
        if kind.methods == ["wrap"] {
            self.scope_cover(&chain.methods, env, kind, &mut Vec::new(), &mut cover);
        }
        let wrapped_outer = chain.methods.iter().any(|(m, u)| {
            kind.methods.contains(&m.method.to_string().as_str())
                && m.args.iter().any(|a| self.is_correlation(a, env, *u, kind))
        }) || cover.complete();
        // Covered only if the `configure` functions of other files are.
        let configs = if wrapped_outer || cover.uncovered { Vec::new() } else { cover.elsewhere };
        if let Some(p) = call_path(chain.root) {
            let s = self.resolved_segs(p);
            if ends_with(&s, kind.root) {
                let root_span = chain.root.span();
                return Some(AppOutcome::App(AppEval {
                    span: span_of(root_span),
                    wrapped: wrapped_outer,
                    insert_at: root_span.byte_range().end,
                    imported: self.imported(kind.wanted),
                    configs,
                }));
            }
            // A helper that builds the app: `build_app(state)` / `Self::app()` / `crate::app::build()`.
            let name = s.last().cloned().unwrap_or_default();
            let local = s.len() == 1 || matches!(s[0].as_str(), "self" | "Self" | "crate" | "super");
            if let Some(f) = self.idx.fn_named(&name).filter(|_| local || s.len() == 2) {
                return match self.eval_helper(f.body, &name, kind, helpers) {
                    Some(AppOutcome::App(mut a)) => {
                        a.wrapped |= wrapped_outer;
                        if a.wrapped {
                            a.configs.clear();
                        }
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

    /// A middleware argument that carries the correlation ID: a configured middleware or layer, or
    /// a function middleware (`middleware::from_fn(f)`, axum's `from_fn_with_state(.., f)`) whose
    /// function is named for the correlation ID or, defined in this file, handles it.
    fn is_correlation(&self, a: &'a Expr, env: &[Bind<'a>], upto: usize, kind: &AppKind) -> bool {
        if self.mentions(a, env, upto, kind.wanted) {
            return true;
        }
        let mut paths = Vec::new();
        self.paths_in(a, env, upto, &mut paths);
        if !paths.iter().any(|p| ends_with(p, &["from_fn"]) || ends_with(p, &["from_fn_with_state"])) {
            return false;
        }
        paths.iter().filter_map(|p| p.last()).any(|name| {
            correlation_like(name)
                || self.idx.fn_named(name).is_some_and(|f| {
                    let r = f.body.span().byte_range();
                    self.text.get(r).is_some_and(correlation_like)
                })
        })
    }

    /// actix-web: how the routes registered by the calls `methods` (of an App, or of a
    /// `configure` function's `ServiceConfig`) are covered by scopes that each wrap the correlation
    /// middleware (`.service(web::scope("/api").wrap(..).route(..))`). A `.configure(f)` adds what
    /// `f` registers: read here when this file defines `f` (each function once: `seen`), else left
    /// to the files that do (`elsewhere`).
    fn scope_cover(
        &self,
        methods: &[(&'a syn::ExprMethodCall, usize)],
        env: &[Bind<'a>],
        kind: &AppKind,
        seen: &mut Vec<&'a syn::Block>,
        cover: &mut ScopeCover,
    ) {
        for (m, u) in methods {
            match m.method.to_string().as_str() {
                "service" => {
                    let Some(arg) = m.args.first() else {
                        cover.uncovered = true;
                        continue;
                    };
                    let (arg, au) = resolve(arg, env, *u);
                    let scope = flatten(arg, env, au);
                    let is_scope = call_path(scope.root).is_some_and(|p| {
                        let s = self.resolved_segs(p);
                        ends_with(&s, &["scope"]) || ends_with(&s, &["Scope", "new"])
                    });
                    let wrapped = scope.methods.iter().any(|(sm, su)| {
                        sm.method == "wrap" && sm.args.iter().any(|a| self.is_correlation(a, env, *su, kind))
                    });
                    if is_scope && wrapped {
                        cover.scopes += 1;
                    } else {
                        cover.uncovered = true;
                    }
                }
                // Routes registered outside a scope are not covered.
                "route" | "default_service" => cover.uncovered = true,
                "configure" => match m.args.first() {
                    Some(f) => self.configure_cover(f, env, *u, kind, seen, cover),
                    None => cover.uncovered = true,
                },
                _ => {}
            }
        }
    }

    /// `.configure(f)`: a function of this file, a closure, or a function of another file.
    fn configure_cover(
        &self,
        f: &'a Expr,
        env: &[Bind<'a>],
        upto: usize,
        kind: &AppKind,
        seen: &mut Vec<&'a syn::Block>,
        cover: &mut ScopeCover,
    ) {
        let (f, fu) = resolve(f, env, upto);
        match f {
            Expr::Closure(c) => {
                let mut names = Vec::new();
                if let Some(p) = c.inputs.first() {
                    pat_names(p, &mut names);
                }
                let Some(param) = names.first() else {
                    cover.uncovered = true;
                    return;
                };
                match strip(&c.body) {
                    Expr::Block(b) => self.config_body_cover(&b.block, param, kind, seen, cover),
                    body => {
                        let chain = flatten(body, env, fu);
                        if single_ident(chain.root).as_deref() == Some(param.as_str()) {
                            self.scope_cover(&chain.methods, env, kind, seen, cover);
                        }
                    }
                }
            }
            Expr::Path(p) => {
                let s = self.resolved_segs(&p.path);
                let Some(name) = s.last() else { return };
                let here = self.idx.fn_named(name).filter(|_| s.len() == 1);
                match here.and_then(|f| f.params.iter().find(|p| p.service_config).map(|p| (f.body, p))) {
                    Some((body, param)) => {
                        if !seen.iter().any(|b| std::ptr::eq(*b, body)) {
                            seen.push(body);
                            self.config_body_cover(body, &param.name, kind, seen, cover);
                        }
                    }
                    None => cover.elsewhere.push(s.join("::")),
                }
            }
            _ => cover.uncovered = true,
        }
    }

    /// The statements of a `configure` function (or closure) that register on `param`.
    fn config_body_cover(
        &self,
        body: &'a syn::Block,
        param: &str,
        kind: &AppKind,
        seen: &mut Vec<&'a syn::Block>,
        cover: &mut ScopeCover,
    ) {
        let mut env: Vec<Bind<'a>> = Vec::new();
        bind_lets(body, &mut env);
        for st in &body.stmts {
            let syn::Stmt::Expr(e, _) = st else { continue };
            let chain = flatten(e, &env, env.len());
            if single_ident(chain.root).as_deref() == Some(param) {
                self.scope_cover(&chain.methods, &env, kind, seen, cover);
            }
        }
    }

    /// What a `configure` function of this file registers (exported for the files that call it).
    pub(super) fn config_fn_cover(&self, body: &'a syn::Block, param: &str, kind: &AppKind) -> ScopeCover {
        let mut cover = ScopeCover::default();
        self.config_body_cover(body, param, kind, &mut vec![body], &mut cover);
        cover
    }

    pub(super) fn eval_block_tail(
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

    pub(super) fn eval_fn_tail(
        &self,
        body: &'a syn::Block,
        kind: &AppKind,
        helpers: &mut Vec<&'a syn::Block>,
    ) -> Option<AppOutcome> {
        let env: Vec<Bind<'a>> = Vec::new();
        self.eval_block_tail(body, &env, 0, kind, helpers)
    }

    /// The app a helper function returns; a helper already being evaluated is a cycle.
    pub(super) fn eval_helper(
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

    pub(super) fn on_http_server(&mut self, c: &'a syn::ExprCall) {
        let Some(arg) = c.args.first() else { return };
        // Joined from its ends: `c.span()` would print the whole app chain to find them.
        let server = span_of(c.func.span().join(c.paren_token.span.close()).unwrap_or_else(|| c.span()));
        self.on_served(arg, server, AppKind::actix(self.cfg));
    }

    /// The app (actix) or router (axum) served at `server`.
    pub(super) fn on_served(&mut self, app: &'a Expr, server: Span, kind: AppKind) {
        let env = std::mem::take(&mut self.env);
        let out = self.eval_app(app, &env, env.len(), &kind, &mut Vec::new());
        self.env = env;
        let served_by = kind.served_by;
        match out {
            Some(AppOutcome::App(a)) if !a.wrapped && !a.configs.is_empty() => {
                self.facts.pending.push(Pending::Configured { app: a, server, served_by })
            }
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

    pub(super) fn exempt(&self, e: &'a Expr, upto: usize) -> bool {
        let mut paths = Vec::new();
        self.paths_in(e, &self.env, upto, &mut paths);
        paths.iter().any(|p| p.iter().any(|s| self.cfg.exempt_services.iter().any(|x| x == s)))
    }
}

/// How the routes of an actix App or `configure` function are covered by wrapped scopes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScopeCover {
    /// A route, service or default service registered outside a wrapped scope.
    pub uncovered: bool,
    /// Registrations inside scopes that wrap the correlation middleware.
    pub scopes: usize,
    /// `configure` functions defined in other files, each of which must be covered too, by path as
    /// written (`routes::config`, `config`).
    pub elsewhere: Vec<String>,
}

impl ScopeCover {
    /// Every route is in a wrapped scope, with nothing left to other files.
    fn complete(&self) -> bool {
        !self.uncovered && self.scopes > 0 && self.elsewhere.is_empty()
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
        rule: crate::wiring::rules::http_correlation_middleware::RULE.id,
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
        rule: crate::wiring::rules::wiring_not_analysed::RULE.id,
        span: at,
        message: format!(
            "the app served by `{served_by}` is built by `{name}`, which calls itself (directly or through other helpers); its middleware was not analysed"
        ),
        labels: Vec::new(),
        help: Some("build the App/Router in a helper that returns it without recursion".into()),
        fix: None,
    }
}
