//! tonic servers: whether each service added to a `Server::builder()` is wrapped in a
//! correlation interceptor, and which metadata key the interceptor reads (GRPC_SERVER_INTERCEPTOR,
//! GRPC_METADATA_KEY_MISMATCH).
use super::*;

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

impl<'w, 'a> Walker<'w, 'a> {
    /// Judge an interceptor expression against `key`.
    pub(super) fn judge_interceptor(
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

    pub(super) fn judge_named(&self, s: &[String], key: &str, consts: &[String]) -> (KeyVerdict, Option<String>) {
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

    pub(super) fn scan_key_block(&self, b: &'a syn::Block, key: &str, consts: &[String], at: Span) -> KeyVerdict {
        let mut s = KeyScan::default();
        self.key_scan_into(&mut |v| v.visit_block(b), &mut s, key, consts);
        s.verdict(at)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn scan_key_expr(
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

    pub(super) fn interceptor_result(
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
    pub(super) fn server_interceptor_result(
        &mut self,
        verdict: (KeyVerdict, Option<String>),
        at: Span,
        what: &str,
        labels: &[Lbl],
    ) {
        let (n, p) = (self.facts.findings.len(), self.facts.pending.len());
        self.interceptor_result(
            verdict,
            at,
            Column::GrpcServer,
            what,
            crate::wiring::rules::grpc_server_interceptor::RULE.id,
        );
        for f in &mut self.facts.findings[n..] {
            f.labels.extend(labels.iter().cloned());
        }
        for x in &mut self.facts.pending[p..] {
            if let Pending::Helpers { labels: l, .. } = x {
                l.extend(labels.iter().cloned());
            }
        }
    }

    pub(super) fn on_add_service(&mut self, m: &'a syn::ExprMethodCall) {
        let Some(arg) = m.args.first() else { return };
        let upto = self.env.len();
        let (x, xu) = resolve(arg, &self.env, upto);
        if self.exempt(x, xu) {
            return;
        }
        let env = std::mem::take(&mut self.env);
        let chain = flatten(x, &env, xu);
        let builder = flatten(&m.receiver, &env, upto);
        // A server-wide `.layer(tonic::service::interceptor(f))` (or a configured interceptor or
        // correlation layer) covers every service of the builder.
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
                // tonic servers are tower services: a configured correlation layer
                // (`[wiring] axum_layers`, e.g. `CorrelationIdLayer`) covers them as it covers a Router.
                layer_known |= self.mentions(a, &env, *lu, &self.cfg.interceptors)
                    || self.mentions(a, &env, *lu, &self.cfg.axum_layers);
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
                    rule: crate::wiring::rules::grpc_server_interceptor::RULE.id,
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
            rule: crate::wiring::rules::grpc_metadata_key_mismatch::RULE.id,
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
