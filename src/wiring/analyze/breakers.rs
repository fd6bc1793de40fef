//! Circuit breakers: downstream RPCs made outside a breaker, and breaker configurations without a
//! timeout (CIRCUIT_BREAKER_MISSING, CIRCUIT_BREAKER_CONFIG).
use super::*;

impl<'w, 'a> Walker<'w, 'a> {
    /// Visit `head`, then `args` as code a circuit breaker protects (downstream calls there
    /// are not reported as unprotected).
    pub(super) fn visit_under_breaker(
        &mut self,
        head: &'a Expr,
        args: &'a syn::punctuated::Punctuated<Expr, syn::Token![,]>,
    ) {
        self.visit_expr(head);
        self.breaker_depth += 1;
        args.iter().for_each(|a| self.visit_expr(a));
        self.breaker_depth -= 1;
    }

    pub(super) fn is_breaker_receiver(&self, e: &Expr) -> bool {
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

    pub(super) fn on_method_rpc(&mut self, m: &'a syn::ExprMethodCall) {
        let method = m.method.to_string();
        if self.breaker_depth > 0 || CLIENT_PLUMBING.contains(&method.as_str()) || method == "with_interceptor" {
            return;
        }
        let Some(client) = self.client_receiver_downstream(&m.receiver) else { return };
        let at = span_of(m.method.span().join(m.paren_token.span.close()).unwrap_or(m.method.span()));
        self.facts.findings.push(Finding {
            rule: crate::wiring::rules::circuit_breaker_missing::RULE.id,
            span: at,
            message: format!("gRPC call `{method}` on `{client}` is not made through a circuit breaker"),
            labels: Vec::new(),
            help: Some("wrap the call: `breaker.call(|| async { client.method(req).await }).await`".into()),
            fix: None,
        });
    }

    pub(super) fn on_struct(&mut self, s: &'a syn::ExprStruct) {
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
                rule: crate::wiring::rules::circuit_breaker_config::RULE.id,
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
}
