//! Values followed through wrappers, `let` bindings and method chains, without recursion and
//! without a depth bound.
//!
//! A chain of N calls is N nested `ExprMethodCall`s: a gateway's `App::new()` with 300 routes is
//! 300 levels deep. Everything here loops instead of recursing, and needs no bound to terminate:
//! a binding only sees the bindings made before it, so each step through a `let` strictly lowers
//! the visible part of the environment (`upto`).
use syn::Expr;
use syn::visit::Visit;

#[derive(Clone)]
pub(super) struct Bind<'a> {
    pub name: String,
    /// `None` for parameters and closure arguments: a name that shadows but cannot be resolved.
    pub expr: Option<&'a Expr>,
    /// How much of the environment was visible when the binding was made.
    pub upto: usize,
    /// Bound to a gRPC client of a downstream service that needs a circuit breaker.
    pub downstream: bool,
}

pub(super) fn lookup<'e, 'a>(env: &'e [Bind<'a>], name: &str, upto: usize) -> Option<&'e Bind<'a>> {
    env[..upto.min(env.len())].iter().rev().find(|b| b.name == name)
}

/// The expression `name` is bound to as seen at `upto`, with what that expression may see
/// (always less than `upto`, which is what makes every walk over bindings terminate), and the
/// binding's index (an identity for "already followed").
pub(super) fn bound<'a>(env: &[Bind<'a>], name: &str, upto: usize) -> Option<(&'a Expr, usize, usize)> {
    let upto = upto.min(env.len());
    let (i, b) = env[..upto].iter().enumerate().rev().find(|(_, b)| b.name == name)?;
    Some((b.expr?, b.upto.min(i), i))
}

pub(super) fn single_ident(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => Some(p.path.segments[0].ident.to_string()),
        _ => None,
    }
}

/// Strip wrappers that do not change what a value is.
pub(super) fn strip(mut e: &Expr) -> &Expr {
    loop {
        e = match e {
            Expr::Paren(p) => &p.expr,
            Expr::Group(g) => &g.expr,
            Expr::Reference(r) => &r.expr,
            Expr::Try(t) => &t.expr,
            Expr::Await(a) => &a.base,
            Expr::Block(b) if b.block.stmts.len() == 1 => match &b.block.stmts[0] {
                syn::Stmt::Expr(inner, None) => inner,
                _ => return e,
            },
            _ => return e,
        };
    }
}

/// One step through a `let`: the bound expression of a single name, if it has one.
fn through_let<'a>(e: &'a Expr, env: &[Bind<'a>], upto: usize) -> Option<(&'a Expr, usize)> {
    let name = single_ident(e)?;
    bound(env, &name, upto).map(|(x, u, _)| (x, u))
}

/// Follow parentheses, `?`, `.await` and `let` bindings to the expression a value comes from.
pub(super) fn resolve<'a>(mut e: &'a Expr, env: &[Bind<'a>], mut upto: usize) -> (&'a Expr, usize) {
    loop {
        e = strip(e);
        match through_let(e, env, upto) {
            Some((x, u)) => (e, upto) = (x, u),
            None => return (e, upto),
        }
    }
}

/// A method chain: its root expression and the calls on it, innermost first.
pub(super) struct Chain<'a> {
    pub root: &'a Expr,
    pub methods: Vec<(&'a syn::ExprMethodCall, usize)>,
}

/// The whole chain, however long, followed through wrappers and `let` bindings
/// (`let app = App::new(); let app = app.wrap(m);`).
pub(super) fn flatten<'a>(mut e: &'a Expr, env: &[Bind<'a>], mut upto: usize) -> Chain<'a> {
    let mut methods = Vec::new();
    loop {
        e = strip(e);
        if let Expr::MethodCall(m) = e {
            methods.push((m, upto));
            e = &m.receiver;
            continue;
        }
        match through_let(e, env, upto) {
            Some((x, u)) => (e, upto) = (x, u),
            None => break,
        }
    }
    methods.reverse();
    Chain { root: e, methods }
}

/// The links of the chain that ends in `e` as written (no `let`s followed), outermost first,
/// and the expression the innermost link is called on. `?`, `.await` and parentheses between
/// links are part of the chain.
pub(super) fn links(mut e: &Expr) -> (Vec<&syn::ExprMethodCall>, &Expr) {
    let mut out = Vec::new();
    loop {
        e = match e {
            Expr::MethodCall(m) => {
                out.push(m);
                &m.receiver
            }
            Expr::Try(t) => &t.expr,
            Expr::Await(a) => &a.base,
            Expr::Paren(p) => &p.expr,
            Expr::Group(g) => &g.expr,
            _ => return (out, e),
        };
    }
}

/// The parts of one link a visitor looks at besides its receiver: turbofish and arguments.
pub(super) fn visit_link_args<'p, V: Visit<'p>>(v: &mut V, m: &'p syn::ExprMethodCall) {
    if let Some(t) = &m.turbofish {
        v.visit_angle_bracketed_generic_arguments(t);
    }
    m.args.iter().for_each(|a| v.visit_expr(a));
}

/// `syn::visit::visit_expr` for a `Visit` that looks at every node, except that a method chain
/// is taken one level deep instead of one level per link, in the order `syn::visit` takes it (the
/// root, then the arguments from the innermost link out). Visitors call it from `visit_expr`.
pub(super) fn visit_expr_flat<'p, V: Visit<'p>>(v: &mut V, e: &'p Expr) {
    if !matches!(e, Expr::MethodCall(_)) {
        return syn::visit::visit_expr(v, e);
    }
    let (links, root) = links(e);
    v.visit_expr(root);
    links.iter().rev().for_each(|m| visit_link_args(v, m));
}

/// Skip `.clone()`, `.lock()` and the like: the value they are called on.
pub(super) fn through_methods<'e>(mut e: &'e Expr, methods: &[&str]) -> &'e Expr {
    loop {
        match strip(e) {
            Expr::MethodCall(m) if methods.contains(&m.method.to_string().as_str()) => e = &m.receiver,
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain_of(n: usize) -> String {
        let mut s = String::from("App::new()");
        for i in 0..n {
            s.push_str(&format!(".route(\"/r{i}\", web::get().to(h))?.await"));
        }
        s
    }

    #[test]
    fn long_chains_are_followed_to_their_root() {
        let e: Expr = syn::parse_str(&chain_of(2_000)).unwrap();
        let c = flatten(&e, &[], 0);
        assert_eq!(c.methods.len(), 2_000);
        assert_eq!(c.methods[0].0.args.len(), 2);
        assert!(matches!(c.root, Expr::Call(_)));
        let (l, root) = links(&e);
        assert_eq!(l.len(), 2_000);
        assert!(matches!(root, Expr::Call(_)));
    }

    #[test]
    fn long_let_chains_resolve_without_a_bound() {
        // `let a0 = App::new(); let a1 = a0.wrap(m); ... let a2999 = a2998.wrap(m);`
        let n = 3_000;
        let exprs: Vec<Expr> = (0..n)
            .map(|i| syn::parse_str(&if i == 0 { "App::new()".to_string() } else { format!("a{}.wrap(m)", i - 1) }))
            .collect::<Result<_, _>>()
            .unwrap();
        let env: Vec<Bind> = exprs
            .iter()
            .enumerate()
            .map(|(i, x)| Bind { name: format!("a{i}"), expr: Some(x), upto: i, downstream: false })
            .collect();
        let last: Expr = syn::parse_str(&format!("a{}", n - 1)).unwrap();
        let c = flatten(&last, &env, env.len());
        assert_eq!(c.methods.len(), n - 1);
        assert!(matches!(c.root, Expr::Call(_)));
        let alias: Vec<Expr> = (0..n).map(|i| syn::parse_str(&format!("b{i}")).unwrap()).collect();
        let env: Vec<Bind> = alias
            .iter()
            .enumerate()
            .map(|(i, x)| Bind { name: format!("b{}", i + 1), expr: Some(x), upto: i, downstream: false })
            .collect();
        let (r, _) = resolve(&alias[n - 1], &env, env.len());
        assert_eq!(single_ident(r).as_deref(), Some("b0"));
    }

    #[test]
    fn a_name_bound_to_itself_sees_only_the_earlier_binding() {
        let x: Expr = syn::parse_str("x.wrap(m)").unwrap();
        let y: Expr = syn::parse_str("y.wrap(m)").unwrap();
        let root: Expr = syn::parse_str("App::new()").unwrap();
        let env = vec![
            Bind { name: "x".into(), expr: Some(&root), upto: 0, downstream: false },
            Bind { name: "x".into(), expr: Some(&x), upto: 1, downstream: false },
            // A malformed environment (a binding that claims to see itself) still terminates.
            Bind { name: "y".into(), expr: Some(&y), upto: 9, downstream: false },
        ];
        let c = flatten(&x, &env, 3);
        assert_eq!(c.methods.len(), 2);
        assert!(matches!(c.root, Expr::Call(_)));
        let c = flatten(&y, &env, 3);
        assert_eq!(c.methods.len(), 2);
        assert_eq!(single_ident(c.root).as_deref(), Some("y"));
    }
}
