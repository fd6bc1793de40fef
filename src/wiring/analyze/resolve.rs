//! Name resolution shared by every concern: paths an expression mentions, through `let`
//! bindings and `use` aliases, and the free helpers on paths and expressions.
use super::*;

impl<'w, 'a> Walker<'w, 'a> {
    pub(in crate::wiring) fn resolved_segs(&self, p: &syn::Path) -> Vec<String> {
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
    pub(in crate::wiring) fn paths_in(&self, e: &'a Expr, env: &[Bind<'a>], upto: usize, out: &mut Vec<Vec<String>>) {
        self.names_in(e, env, upto, out, &mut Vec::new());
    }

    /// Every path (resolved through `use` aliases) and every method name an expression mentions,
    /// following `let` bindings. Each binding is followed once, so bindings that fan out
    /// (`let c = (b, b); let d = (c, c);`) cost their size, not 2^n.
    pub(in crate::wiring) fn names_in(
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

    pub(in crate::wiring) fn mentions(&self, e: &'a Expr, env: &[Bind<'a>], upto: usize, wanted: &[String]) -> bool {
        let mut paths = Vec::new();
        self.paths_in(e, env, upto, &mut paths);
        paths.iter().any(|p| wanted.iter().any(|w| name_matches(p, w)))
    }

    pub(in crate::wiring) fn imported(&self, wanted: &[String]) -> bool {
        wanted.iter().any(|w| {
            let last = w.rsplit("::").next().unwrap_or(w);
            self.idx.aliases.contains_key(last) || self.text.contains(&format!("{last} as "))
        })
    }
}

pub(in crate::wiring) fn call_path(e: &Expr) -> Option<&syn::Path> {
    match strip(e) {
        Expr::Call(c) => match strip(&c.func) {
            Expr::Path(p) => Some(&p.path),
            _ => None,
        },
        _ => None,
    }
}

pub(in crate::wiring) fn segs(p: &syn::Path) -> Vec<String> {
    p.segments.iter().map(|s| s.ident.to_string()).collect()
}

pub(in crate::wiring) fn ends_with(segs: &[String], tail: &[&str]) -> bool {
    segs.len() >= tail.len() && segs[segs.len() - tail.len()..].iter().zip(tail).all(|(a, b)| a == b)
}

/// A configured name (`CorrelationIdMiddleware` or `actix_middleware::CorrelationIdMiddleware`)
/// matches a resolved path when its segments are a suffix of the path's.
pub(in crate::wiring) fn name_matches(segs: &[String], configured: &str) -> bool {
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

pub(in crate::wiring) fn is_fresh_uuid(segs: &[String]) -> bool {
    ends_with(segs, &["Uuid", "new_v4"])
}

pub(in crate::wiring) fn correlation_like(s: &str) -> bool {
    s.to_ascii_lowercase().contains("correlation")
}

pub(in crate::wiring) fn tail_expr(b: &syn::Block) -> Option<&Expr> {
    match b.stmts.last()? {
        syn::Stmt::Expr(e, None) => Some(e),
        syn::Stmt::Expr(Expr::Return(r), _) => r.expr.as_deref(),
        _ => None,
    }
}

/// `KEY`, `self::KEY`, `crate::KEY`, `super::KEY`: a name this file may define.
pub(in crate::wiring) fn is_local_path(p: &syn::Path) -> bool {
    p.segments.len() == 1
        || p.segments
            .first()
            .is_some_and(|s| matches!(s.ident.to_string().as_str(), "self" | "Self" | "crate" | "super"))
}

pub(in crate::wiring) fn call_args(e: &Expr) -> Option<Vec<&Expr>> {
    match strip(e) {
        Expr::Call(c) => Some(c.args.iter().collect()),
        _ => None,
    }
}

pub(in crate::wiring) fn is_zero_lit(e: &Expr) -> bool {
    matches!(strip(e), Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) if i.base10_digits() == "0")
        || matches!(strip(e), Expr::Lit(syn::ExprLit { lit: syn::Lit::Float(f), .. }) if f.base10_parse::<f64>().is_ok_and(|v| v == 0.0))
}

pub(in crate::wiring) fn is_zero_duration(e: &Expr) -> bool {
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
