//! gRPC clients: constructions of downstream clients and whether they carry the correlation
//! interceptor (GRPC_CLIENT_INTERCEPTOR).
use super::*;

impl<'w, 'a> Walker<'w, 'a> {
    pub(super) fn downstream_of(&self, ty: &str) -> Option<String> {
        let snake = heck::ToSnakeCase::to_snake_case(ty);
        self.cfg
            .downstream_services
            .iter()
            .find(|d| snake.split('_').any(|w| w == d.as_str()) || snake.starts_with(&format!("{d}_")))
            .cloned()
    }

    pub(super) fn on_client(&mut self, c: &'a syn::ExprCall, s: &[String]) {
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
                        rule: crate::wiring::rules::grpc_client_interceptor::RULE.id,
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
                    crate::wiring::rules::grpc_client_interceptor::RULE.id,
                );
            }
            _ => {}
        }
    }

    /// Whether the expression is (or holds) a downstream gRPC client not wrapped in a breaker type.
    pub(super) fn expr_downstream(&self, e: &'a Expr, upto: usize) -> bool {
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

    pub(super) fn client_receiver_downstream(&self, e: &'a Expr) -> Option<String> {
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
    pub(super) fn named_downstream(&self, n: &str) -> Option<String> {
        let l = n.to_ascii_lowercase();
        if !l.contains("client") {
            return None;
        }
        self.cfg.downstream_services.iter().find(|d| l.split('_').any(|w| w == d.as_str())).cloned()
    }
}
