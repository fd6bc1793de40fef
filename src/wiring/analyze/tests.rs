use super::*;

fn run(src: &str) -> FileFacts {
    let cfg = WiringConfig::default();
    analyze(src, &cfg, std::path::Path::new("/nonexistent"), &trigger_tokens(&cfg))
}

fn rules(f: &FileFacts) -> Vec<(&'static str, usize)> {
    f.findings.iter().map(|x| (x.rule, x.span.line)).collect()
}

#[test]
fn configured_names_match_by_suffix_and_type_position() {
    let p = |s: &str| s.split("::").map(str::to_string).collect::<Vec<_>>();
    assert!(name_matches(&p("actix_middleware::CorrelationIdMiddleware"), "CorrelationIdMiddleware"));
    assert!(name_matches(&p("CorrelationIdLayer::new"), "CorrelationIdLayer"));
    assert!(name_matches(&p("a::CorrelationIdMiddleware"), "a::CorrelationIdMiddleware"));
    assert!(!name_matches(&p("b::CorrelationIdMiddleware"), "a::CorrelationIdMiddleware"));
    assert!(name_matches(&p("CorrelationIdMiddleware"), "a::CorrelationIdMiddleware"), "glob import");
    assert!(!name_matches(&p("Logger::default"), "CorrelationIdMiddleware"));
}

#[test]
fn mod_scan_skips_test_modules_and_reads_path_attrs() {
    let dir = std::path::Path::new("/x");
    let got = scan_mod_decls("mod a;\n#[cfg(test)]\nmod tests;\npub mod b;\n#[path = \"gen/c.rs\"]\nmod c;\n", dir);
    assert_eq!(got, vec![dir.join("a/mod.rs"), dir.join("b/mod.rs"), dir.join("gen/c.rs")]);
}

#[test]
fn shadowed_record_gets_its_headers_later() {
    let f = run(r#"
fn publish(p: &P, cid: &str) {
    let r = FutureRecord::to("t").payload("x");
    let r = r.headers(inject_headers(OwnedHeaders::new(), &cid));
    p.send(r);
}
"#);
    assert_eq!(rules(&f), vec![]);
    assert_eq!(f.constructions.len(), 1);
    assert!(f.constructions[0].ok);
}

#[test]
fn headers_from_a_parameter_are_not_judged() {
    let f = run("fn publish(h: OwnedHeaders) { let _ = FutureRecord::to(\"t\").headers(h); }\n");
    assert_eq!(rules(&f), vec![]);
}

#[test]
fn interceptor_type_impl_is_inspected() {
    let f = run(r#"
use tonic::service::Interceptor;
struct Cid;
impl Interceptor for Cid {
    fn call(&mut self, req: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        let _ = req.metadata().get("x-correlation-id");
        Ok(req)
    }
}
async fn serve() {
    tonic::transport::Server::builder().add_service(FooServer::with_interceptor(Foo, Cid)).serve(a).await;
}
"#);
    assert_eq!(rules(&f), vec![("GRPC_METADATA_KEY_MISMATCH", 11)]);
}

#[test]
fn unknown_interceptor_is_pending_not_a_finding() {
    let f = run("async fn s() { Server::builder().add_service(FooServer::with_interceptor(Foo, other::cid)); }\n");
    assert_eq!(rules(&f), vec![]);
    assert!(matches!(&f.pending[..], [Pending::Interceptor { name, .. }] if name == "cid"));
}

#[test]
fn services_from_parameters_or_foreign_helpers_are_not_judged_local_helpers_are() {
    let f = run(r#"
async fn serve(svc: UserServiceServer<Svc>) {
    Server::builder().add_service(svc).add_service(other::build()).add_service(local()).serve(a).await;
}
fn local() -> OrderServiceServer<O> {
    let inner = O::default();
    OrderServiceServer::new(inner)
}
"#);
    assert_eq!(rules(&f), vec![("GRPC_SERVER_INTERCEPTOR", 7)]);
}

#[test]
fn parse_errors_point_at_the_token() {
    let f = run("fn main() {\n    HttpServer::new(|| App::new());\n    let x = ;\n}\n");
    let (_, span) = f.parse_error.expect("parse error");
    assert_eq!((span.line, span.column), (3, 13));
    let f = run("fn main() {\n    HttpServer::new(|| App::new();\n}\n");
    assert_eq!(f.parse_error.map(|e| e.1.line), Some(3), "the lexer stops at the mismatched brace");
}

#[test]
fn server_wide_interceptor_layer_covers_the_builder() {
    let f = run(r#"
fn cid(req: Request<()>) -> Result<Request<()>, Status> { let _ = req.metadata().get("correlation-id"); Ok(req) }
fn other(req: Request<()>) -> Result<Request<()>, Status> { Ok(req) }
async fn serve() {
    Server::builder().layer(tonic::service::interceptor(cid)).add_service(AServer::new(A)).serve(a).await;
    Server::builder().layer(tonic::service::interceptor(other)).add_service(BServer::new(B)).serve(a).await;
    Server::builder().layer(TraceLayer::new_for_grpc()).add_service(CServer::new(C)).serve(a).await;
}
"#);
    assert_eq!(rules(&f), vec![("GRPC_SERVER_INTERCEPTOR", 6), ("GRPC_SERVER_INTERCEPTOR", 7)]);
    assert!(f.findings[0].message.contains("never touches"), "{}", f.findings[0].message);
}

#[test]
fn client_on_an_intercepted_channel_is_wired() {
    let f = run(r#"
use tonic::transport::Channel;
async fn c(ch: Channel) {
    let ch2 = tower::ServiceBuilder::new().layer(tonic::service::interceptor(inject)).service(ch.clone());
    let _a = AuthServiceClient::new(ch2);
    let _b = MediaServiceClient::new(ch);
}
"#);
    assert_eq!(rules(&f), vec![("GRPC_CLIENT_INTERCEPTOR", 6)]);
}

#[test]
fn client_copied_from_a_field_needs_a_breaker_too() {
    let f = run(r#"
impl Clients {
    async fn validate(&self, t: String) -> bool {
        let mut c = self.auth_client.clone();
        c.validate(t).await.is_ok()
    }
}
"#);
    assert_eq!(rules(&f), vec![("CIRCUIT_BREAKER_MISSING", 5)]);
}

#[test]
fn header_keys_from_function_consts_and_foreign_consts() {
    let f = run(r#"
fn a(cid: &str) {
    const KEY: &str = "correlation_id";
    let _ = FutureRecord::to("t").headers(OwnedHeaders::new().insert(Header { key: KEY, value: Some(cid) }));
}
fn b(cid: &str) {
    let _ = FutureRecord::to("t").headers(OwnedHeaders::new().insert(Header { key: other::KEY, value: Some(cid) }));
}
"#);
    assert_eq!(rules(&f), vec![("KAFKA_HEADER_KEY_MISMATCH", 4)]);
}

#[test]
fn client_from_an_intercepted_channel_parameter_is_wired() {
    let f = run(r#"
use tonic::transport::Channel;
fn a(ch: InterceptedService<Channel, Injector>) -> AuthClient<InterceptedService<Channel, Injector>> {
    AuthClient::new(ch.clone())
}
fn b(ch: Channel) -> AuthClient<Channel> {
    AuthClient::new(ch)
}
"#);
    assert_eq!(rules(&f), vec![("GRPC_CLIENT_INTERCEPTOR", 7)]);
}

#[test]
fn cfg_not_test_is_service_code() {
    let f = run("#[cfg(not(test))]\nfn main() { HttpServer::new(|| App::new()); }\n");
    assert_eq!(rules(&f), vec![("HTTP_CORRELATION_MIDDLEWARE", 2)]);
    let f = run("#[cfg(test)]\nfn main() { HttpServer::new(|| App::new()); }\n");
    assert_eq!(rules(&f), vec![]);
}

#[test]
fn breaker_protects_calls_inside_its_closure_only() {
    let f = run(r#"
async fn f(auth_client: AuthClient<Channel>, cb: CircuitBreaker) {
    cb.call(|| async { auth_client.clone().check(1).await }).await;
    auth_client.clone().check(2).await;
}
"#);
    assert_eq!(rules(&f), vec![("CIRCUIT_BREAKER_MISSING", 4)]);
}

/// A handler that mentions an HTTP client, an audit record, file metadata and the word "served"
/// wires nothing and is not parsed; each narrower token still lets through the code it stands for.
#[test]
fn pre_filter_skips_look_alike_words_only() {
    let noisy = r#"
pub async fn h(state: web::Data<AppState>) -> HttpResponse {
    // The HTTP client and the audit Record are not gRPC wiring; metadata is file metadata.
    let client = state.http_client.clone();
    let record = AuditRecord::new("x", 1);
    let size = std::fs::metadata("/tmp").map(|m| m.len()).unwrap_or(0);
    tracing::debug!(?record, size, "served");
    HttpResponse::Ok().finish()
}
"#;
    assert!(!run(noisy).parsed);
    assert!(!run("fn count() -> &'static str { \"SELECT count(*) FROM auth_items_0\" }").parsed);
    for needed in [
        "fn f(a: Router) { axum::serve(l, a); }",
        "fn f(b: B) { b.serve(app); }",
        "fn f() { let r = FutureRecord::to(\"t\"); }",
        "fn f() { let r = BaseRecord::to(\"t\"); }",
        "fn stamp(r: &mut R) { r.metadata_mut().insert(K, v); }",
        "use tonic::metadata::MetadataMap;\nfn stamp(m: &mut MetadataMap) {}",
        "fn stamp(m: &mut MetadataMap) {}",
        "async fn f(s: &S) { s.auth_client.clone().check(1).await; }",
        "async fn f(s: &S) { s.media_service_client.get(1).await; }",
        "fn f() { let c = AuthServiceClient::new(ch); }",
    ] {
        assert!(run(needed).parsed, "{needed}");
    }
}
