//! No silent limits (issue 15): chains, `let` runs, helper calls and header chains of any length
//! are followed to the end; each case below was cut short by a depth bound before.
use super::analyze::{FileFacts, analyze, trigger_tokens};
use super::config::WiringConfig;

fn run(src: &str) -> FileFacts {
    let cfg = WiringConfig::default();
    analyze(src, &cfg, std::path::Path::new("/nonexistent"), &trigger_tokens(&cfg))
}

fn rules(f: &FileFacts) -> Vec<(&'static str, usize)> {
    f.findings.iter().map(|x| (x.rule, x.span.line)).collect()
}

/// Analyse on a thread with a small stack: what the analysis needs may not grow with the length
/// of a method chain. A visitor that recursed per link overflowed 512 KB on 2,000 links.
fn run_small_stack(src: String) -> Vec<(&'static str, usize)> {
    std::thread::Builder::new().stack_size(256 * 1024).spawn(move || rules(&run(&src))).unwrap().join().unwrap()
}

fn routes(n: usize) -> String {
    (0..n).map(|i| format!("\n        .route(\"/r{i}\", web::get().to(h))")).collect()
}

#[test]
fn long_chains_need_no_stack_per_link() {
    let src =
        format!("fn main() {{\n    HttpServer::new(|| App::new().wrap(Logger::default()){});\n}}\n", routes(2_000));
    assert_eq!(run_small_stack(src), vec![("HTTP_CORRELATION_MIDDLEWARE", 2)]);
    let src = format!(
        "fn main() {{\n    HttpServer::new(|| App::new().wrap(CorrelationIdMiddleware){});\n}}\n",
        routes(2_000)
    );
    let f = run(&src);
    assert_eq!(rules(&f), vec![]);
    assert!(f.constructions.iter().any(|c| c.ok), "the wrapped app is counted");
}

#[test]
fn middleware_bound_through_a_long_run_of_lets() {
    let lets: String = (1..=20).map(|i| format!("    let m{i} = m{};\n", i - 1)).collect();
    let src = format!(
        "fn main() {{\n    let m0 = CorrelationIdMiddleware;\n{lets}    HttpServer::new(move || App::new().wrap(m20.clone()));\n}}\n"
    );
    assert_eq!(rules(&run(&src)), vec![]);
    let lets: String = (1..=40).map(|i| format!("    let app = app.route(\"/r{i}\", web::get().to(h));\n")).collect();
    let src = format!("fn main() {{\n    let app = App::new();\n{lets}    HttpServer::new(move || app.clone());\n}}\n");
    assert_eq!(rules(&run(&src)), vec![("HTTP_CORRELATION_MIDDLEWARE", 2)]);
}

#[test]
fn app_built_through_many_helpers_and_recursive_helpers() {
    let helpers: String = (0..10).map(|i| format!("fn h{i}() -> App<()> {{ h{}() }}\n", i + 1)).collect();
    let src = format!("{helpers}fn h10() -> App<()> {{ App::new() }}\nfn main() {{ HttpServer::new(h0); }}\n");
    assert_eq!(rules(&run(&src)), vec![("HTTP_CORRELATION_MIDDLEWARE", 11)]);
    let src = "fn a() -> App<()> { b() }\nfn b() -> App<()> { a() }\nfn main() {\n    HttpServer::new(a);\n}\n";
    let f = run(src);
    assert_eq!(rules(&f), vec![("WIRING_NOT_ANALYSED", 4)]);
    assert!(f.findings[0].message.contains("`a`"), "{}", f.findings[0].message);
}

#[test]
fn interceptor_key_set_by_a_deep_helper() {
    let helpers: String = (0..6).map(|i| format!("fn s{i}(r: &mut Request<()>) {{ s{}(r) }}\n", i + 1)).collect();
    let src = format!(
        "{helpers}fn s6(r: &mut Request<()>) {{ r.metadata_mut().insert(\"correlation-id\", v()); }}\n\
         fn inject(mut r: Request<()>) -> Result<Request<()>, Status> {{ s0(&mut r); Ok(r) }}\n\
         async fn c(ch: Channel) {{ let _ = AuthServiceClient::with_interceptor(ch, inject); }}\n"
    );
    assert_eq!(rules(&run(&src)), vec![]);
    // Helpers that call each other in a cycle are each read once.
    let src = "fn a(r: &mut Request<()>) { b(r) }\nfn b(r: &mut Request<()>) { a(r) }\n\
               fn inject(mut r: Request<()>) -> Result<Request<()>, Status> { a(&mut r); Ok(r) }\n\
               async fn c(ch: Channel) { let _ = AuthServiceClient::with_interceptor(ch, inject); }\n";
    assert_eq!(rules(&run(src)), vec![("GRPC_CLIENT_INTERCEPTOR", 4)]);
}

#[test]
fn long_header_chains_and_fresh_ids_bound_far_away() {
    let inserts: String = (0..12).map(|i| format!(".insert(Header {{ key: \"h{i}\", value: Some(\"v\") }})")).collect();
    let src = format!(
        "fn p(cid: &str) {{\n    let _ = FutureRecord::to(\"t\").headers(OwnedHeaders::new().insert(Header {{ key: \"correlation_id\", value: Some(cid) }}){inserts});\n}}\n"
    );
    assert_eq!(rules(&run(&src)), vec![("KAFKA_HEADER_KEY_MISMATCH", 2)]);
    let lets: String = (1..=12).map(|i| format!("    let c{i} = c{}.clone();\n", i - 1)).collect();
    let src = format!(
        "fn p() {{\n    let c0 = Uuid::new_v4().to_string();\n{lets}    let _ = FutureRecord::to(\"t\").headers(inject_headers(OwnedHeaders::new(), &c12));\n}}\n"
    );
    let f = run(&src);
    assert_eq!(rules(&f), vec![("KAFKA_FRESH_CORRELATION_ID", 15)]);
    assert_eq!(f.findings[0].labels[0].span.line, 2, "the label is at the far `Uuid::new_v4()`");
}
