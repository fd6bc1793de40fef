//! Kafka records: whether each produced record carries the correlation header under the right
//! key, and whether its value is the request's ID rather than a fresh one (KAFKA_CORRELATION_HEADER,
//! KAFKA_HEADER_KEY_MISMATCH, KAFKA_FRESH_CORRELATION_ID).
use super::*;

#[derive(Default)]
struct HeaderScan {
    ok: bool,
    fresh: Option<Span>,
    mismatch: Option<(String, Span)>,
    unknown: bool,
}

impl<'w, 'a> Walker<'w, 'a> {
    pub(super) fn on_record(&mut self, c: &'a syn::ExprCall) {
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

    pub(super) fn correlation_in_scope(&self) -> Option<String> {
        const NAMES: &[&str] = &["correlation_id", "cid", "corr_id", "correlation"];
        self.env.iter().rev().find(|b| NAMES.contains(&b.name.as_str())).map(|b| b.name.clone())
    }

    /// Every method chain is looked at: a chain rooted at a Kafka record contributes its `.headers(..)`.
    pub(super) fn on_chain(&mut self, e: &'a Expr) {
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

    pub(super) fn eval_headers(&self, h: &'a Expr, env: &[Bind<'a>], upto: usize) -> HeaderVerdict {
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
    pub(super) fn fresh_in(&self, e: &'a Expr, env: &[Bind<'a>], upto: usize) -> Option<Span> {
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

    pub(super) fn header_key(&self, k: &Expr) -> Option<(String, Span, bool)> {
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

    pub(super) fn finish_records(&mut self) {
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
                    rule: crate::wiring::rules::kafka_fresh_correlation_id::RULE.id,
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
                    rule: crate::wiring::rules::kafka_header_key_mismatch::RULE.id,
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
                    rule: crate::wiring::rules::kafka_correlation_header::RULE.id,
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
