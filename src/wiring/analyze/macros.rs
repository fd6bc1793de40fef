//! Code inside macro invocations. `syn` leaves a macro's body as tokens, so a Kafka record built
//! inside `tokio::select!` or a client connected inside `tokio::join!` would go unseen. Before the
//! walk, each macro whose body parses as Rust is replaced by a block of what it holds:
//! comma-separated expressions (`join!`, `vec!`, `assert!`, `format!`, ...) or `select!` branches
//! (`pattern = future => handler`, each future and handler an expression). The tokens keep their
//! source spans, so findings inside point at the right line. A macro whose body does not parse
//! and mentions what the rules look for is reported as WIRING_NOT_ANALYSED: never skipped silently.
use super::*;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{Block, Stmt, Token};

/// Words that make an unparsable macro body worth a diagnostic: the constructions the rules judge.
const WIRING_WORDS: &[&str] =
    &["App::new", "Router::new", "add_service", "with_interceptor", "FutureRecord", "BaseRecord", "HttpServer"];

/// Replace every macro invocation in `file` whose body parses by a block of its expressions;
/// return WIRING_NOT_ANALYSED findings for the bodies that mention wiring and do not parse.
/// Only macros whose text holds one of `tokens` (the words without which the file would not have
/// been analysed at all) are read: a `tracing::info!` or `format!` holds nothing the rules judge.
pub(super) fn expand(file: &mut syn::File, text: &str, tokens: &[String], cfg: &WiringConfig) -> Vec<Finding> {
    let mut x = Expander { skipped: Vec::new(), text, tokens, cfg };
    x.visit_file_mut(file);
    x.skipped
}

struct Expander<'t> {
    skipped: Vec<Finding>,
    text: &'t str,
    tokens: &'t [String],
    cfg: &'t WiringConfig,
}

/// The expressions of a macro body, when it is Rust: comma-separated expressions, or the branches
/// of a `select!`.
fn body_exprs(m: &syn::Macro) -> Option<Vec<Expr>> {
    let name = m.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
    if name == "select" {
        return select_branches.parse2(m.tokens.clone()).ok();
    }
    Punctuated::<Expr, Token![,]>::parse_terminated.parse2(m.tokens.clone()).ok().map(|p| p.into_iter().collect())
}

/// `[biased;] (pattern = future [, if guard] => handler [,])* [else => handler [,]]`.
fn select_branches(input: ParseStream) -> syn::Result<Vec<Expr>> {
    let mut out = Vec::new();
    if input.peek(syn::Ident) && input.peek2(Token![;]) {
        input.parse::<syn::Ident>()?;
        input.parse::<Token![;]>()?;
    }
    while !input.is_empty() {
        if input.peek(Token![else]) {
            input.parse::<Token![else]>()?;
        } else {
            syn::Pat::parse_multi(input)?;
            input.parse::<Token![=]>()?;
            out.push(Expr::parse_without_eager_brace(input)?);
            if input.peek(Token![,]) {
                input.parse::<Token![,]>()?;
                input.parse::<Token![if]>()?;
                out.push(input.parse()?);
            }
        }
        input.parse::<Token![=>]>()?;
        out.push(input.parse()?);
        if input.peek(Token![,]) {
            input.parse::<Token![,]>()?;
        }
    }
    Ok(out)
}

impl Expander<'_> {
    /// The block standing for `m`, or `None` (and a finding when it mentions wiring).
    fn block_for(&mut self, m: &syn::Macro) -> Option<Expr> {
        let body = self.text.get(m.delimiter.span().join().byte_range()).unwrap_or("");
        if !super::has_trigger(body, self.tokens, self.cfg) {
            return None;
        }
        let exprs = match body_exprs(m) {
            Some(e) => e,
            None => {
                let text = m.tokens.to_string().replace(' ', "");
                if let Some(word) = WIRING_WORDS.iter().find(|w| text.contains(*w)) {
                    let name = m.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
                    self.skipped.push(Finding {
                        rule: crate::wiring::rules::wiring_not_analysed::RULE.id,
                        span: span_of(m.path.span()),
                        message: format!(
                            "the body of `{name}!` mentions `{word}` but is not Rust nova can read; the wiring inside was not analysed"
                        ),
                        labels: Vec::new(),
                        help: Some("build the record, app or client in a function outside the macro and call it".into()),
                        fix: None,
                    });
                }
                return None;
            }
        };
        let stmts = exprs.into_iter().map(|e| Stmt::Expr(e, Some(Default::default()))).collect();
        let brace = syn::token::Brace::default();
        Some(Expr::Block(syn::ExprBlock { attrs: Vec::new(), label: None, block: Block { brace_token: brace, stmts } }))
    }
}

impl VisitMut for Expander<'_> {
    /// Method chains are walked link by link, not recursively: a 2,000-link `App::new()` chain
    /// needs no stack per link (see `limits_tests`).
    fn visit_expr_mut(&mut self, e: &mut Expr) {
        let mut cur = e;
        loop {
            if let Expr::Macro(m) = cur
                && let Some(block) = self.block_for(&m.mac)
            {
                *cur = block;
            }
            match cur {
                Expr::MethodCall(mc) => {
                    for a in mc.args.iter_mut() {
                        self.visit_expr_mut(a);
                    }
                    cur = &mut *mc.receiver;
                }
                Expr::Field(f) => cur = &mut *f.base,
                Expr::Try(t) => cur = &mut *t.expr,
                Expr::Await(a) => cur = &mut *a.base,
                other => {
                    syn::visit_mut::visit_expr_mut(self, other);
                    return;
                }
            }
        }
    }

    fn visit_stmt_mut(&mut self, s: &mut Stmt) {
        if let Stmt::Macro(m) = s
            && let Some(block) = self.block_for(&m.mac)
        {
            *s = Stmt::Expr(block, Some(Default::default()));
        }
        syn::visit_mut::visit_stmt_mut(self, s);
    }
}
