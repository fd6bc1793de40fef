#!/usr/bin/env python3
"""Generate a realistic Rust microservice backend for `bench/wiring.sh`.

15 services in one Cargo workspace (plus a nested one), ~800 Rust files, ~200k lines. Most files are
ordinary service code (models, repositories, handlers, domain logic); a few per service hold the
wiring nova judges: an actix-web (or axum) server, a tonic server, tonic clients, Kafka producers.
Some are wired, some are not, deterministically (seeded).

Each generated wiring site is counted in `expected.json` by kind and by whether it is written in a
form ast-grep can also express (inline) or only nova can (split across `let`s, aliases, fresh IDs).

usage: gen_backend.py OUT_DIR [--files 800] [--seed 7]
"""
import json
import os
import random
import sys

SERVICES = [
    "auth", "user", "media", "search", "feed", "notification", "messaging", "payment",
    "order", "gateway", "analytics", "recommendation", "moderation", "profile", "websocket",
]
DOWNSTREAM = ["auth", "media", "search"]


def camel(s):
    return "".join(p.capitalize() for p in s.replace("-", "_").split("_"))


def filler_model(rng, svc, i):
    name = f"{camel(svc)}Entity{i}"
    fields = [(f"field_{j}", rng.choice(["String", "i64", "bool", "Option<String>", "Vec<u8>", "uuid::Uuid"])) for j in range(rng.randint(6, 14))]
    out = [
        "use serde::{Deserialize, Serialize};",
        "use std::collections::HashMap;",
        "",
        "#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]",
        f"pub struct {name} {{",
    ]
    out += [f"    pub {f}: {t}," for f, t in fields]
    out += ["}", "", f"impl {name} {{"]
    for j in range(rng.randint(12, 20)):
        out += [
            f"    /// Computes derived value {j} for the entity.",
            f"    pub fn derived_{j}(&self, factor: i64) -> i64 {{",
            "        let mut acc: i64 = 0;",
            f"        for k in 0..{rng.randint(3, 20)} {{",
            "            acc = acc.wrapping_add(k * factor);",
            "            if acc % 7 == 0 {",
            "                acc -= 1;",
            "            } else {",
            "                acc += 2;",
            "            }",
            "        }",
            "        match acc {",
            "            0 => 1,",
            "            x if x < 0 => -x,",
            "            x => x / 2,",
            "        }",
            "    }",
            "",
        ]
    out += [
        "    pub fn to_map(&self) -> HashMap<&'static str, String> {",
        "        let mut m = HashMap::new();",
    ]
    out += [f"        m.insert(\"{f}\", format!(\"{{:?}}\", self.{f}));" for f, _ in fields]
    out += ["        m", "    }", "}", ""]
    return out


def filler_repo(rng, svc, i):
    name = f"{camel(svc)}Repository{i}"
    out = [
        "use sqlx::PgPool;",
        "use uuid::Uuid;",
        "",
        f"pub struct {name} {{",
        "    pool: PgPool,",
        "}",
        "",
        f"impl {name} {{",
        "    pub fn new(pool: PgPool) -> Self {",
        "        Self { pool }",
        "    }",
        "",
    ]
    for j in range(rng.randint(18, 28)):
        out += [
            f"    pub async fn query_{j}(&self, id: Uuid) -> Result<Option<i64>, sqlx::Error> {{",
            "        let row: Option<(i64,)> = sqlx::query_as(",
            f"            \"SELECT count(*) FROM {svc}_items_{j} WHERE owner_id = $1 AND deleted_at IS NULL\",",
            "        )",
            "        .bind(id)",
            "        .fetch_optional(&self.pool)",
            "        .await?;",
            "        Ok(row.map(|r| r.0))",
            "    }",
            "",
        ]
    out += ["}", ""]
    return out


def filler_handler(rng, svc, i):
    out = [
        "use actix_web::{web, HttpRequest, HttpResponse};",
        "use actix_middleware::get_correlation_id;",
        "",
    ]
    for j in range(rng.randint(16, 26)):
        out += [
            f"pub async fn handle_{i}_{j}(req: HttpRequest, body: web::Json<serde_json::Value>) -> HttpResponse {{",
            "    let cid = get_correlation_id(&req);",
            f"    tracing::info!(correlation_id = %cid, \"handling {svc} request {j}\");",
            "    let value = body.into_inner();",
            "    if value.is_null() {",
            "        return HttpResponse::BadRequest().finish();",
            "    }",
            "    let mut total = 0u64;",
            "    if let Some(items) = value.get(\"items\").and_then(|v| v.as_array()) {",
            "        for item in items {",
            "            total += item.as_u64().unwrap_or(0);",
            "        }",
            "    }",
            "    HttpResponse::Ok().json(serde_json::json!({ \"total\": total }))",
            "}",
            "",
        ]
    return out


def filler_domain(rng, svc, i):
    out = ["use std::fmt;", ""]
    enum = f"{camel(svc)}State{i}"
    variants = [f"Variant{j}" for j in range(rng.randint(8, 14))]
    out += ["#[derive(Debug, Clone, Copy, PartialEq, Eq)]", f"pub enum {enum} {{"] + [f"    {v}," for v in variants] + ["}", ""]
    out += [f"impl fmt::Display for {enum} {{", "    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {", "        match self {"]
    out += [f"            {enum}::{v} => write!(f, \"{v.lower()}\")," for v in variants]
    out += ["        }", "    }", "}", ""]
    for j in range(rng.randint(10, 16)):
        out += [
            f"pub fn transition_{j}(s: {enum}, input: &str) -> {enum} {{",
            "    let score = input.bytes().fold(0u32, |a, b| a.wrapping_mul(31).wrapping_add(b as u32));",
            f"    match (s, score % {len(variants)}) {{",
        ]
        for k, v in enumerate(variants):
            out.append(f"        (_, {k}) => {enum}::{v},")
        out += [f"        _ => s,", "    }", "}", ""]
    out += ["#[cfg(test)]", "mod tests {", "    use super::*;", "", "    #[test]", "    fn transitions() {",
            f"        assert_eq!(transition_0({enum}::{variants[0]}, \"\"), {enum}::{variants[0]});", "    }", "}", ""]
    return out


FILLERS = [("models", filler_model), ("repo", filler_repo), ("handlers", filler_handler), ("domain", filler_domain)]


class Expect:
    def __init__(self):
        self.counts = {}

    def add(self, kind, wired, inline):
        key = f"{kind}:{'wired' if wired else 'unwired'}:{'inline' if inline else 'nova-only'}"
        self.counts[key] = self.counts.get(key, 0) + 1


def main_rs(rng, svc, mods, exp, axum):
    out = ["use actix_middleware::CorrelationIdMiddleware;", "use actix_web::{middleware::Logger, web, App, HttpServer};", ""]
    out += [f"mod {m};" for m in mods]
    out += [""]
    if axum:
        wired = rng.random() < 0.5
        out = ["use axum::{routing::get, Router};", "use correlation::CorrelationIdLayer;", ""] + [f"mod {m};" for m in mods] + [""]
        layer = ".layer(CorrelationIdLayer::new())" if wired else ""
        out += [
            "#[tokio::main]",
            "async fn main() -> anyhow::Result<()> {",
            f"    let app = Router::new().route(\"/health\", get(|| async {{ \"ok\" }})){layer};",
            "    let listener = tokio::net::TcpListener::bind(\"0.0.0.0:8080\").await?;",
            "    axum::serve(listener, app).await?;",
            "    Ok(())",
            "}",
            "",
        ]
        exp.add("http", wired, False)
        return out
    wired = rng.random() < 0.6
    wrap = "\n            .wrap(CorrelationIdMiddleware)" if wired else ""
    out += [
        "#[actix_web::main]",
        "async fn main() -> std::io::Result<()> {",
        "    tracing_subscriber::fmt::init();",
        "    let grpc = tokio::spawn(grpc::server::serve());",
        "    HttpServer::new(move || {",
        "        App::new()",
        "            .wrap(Logger::default())" + wrap,
        f"            .route(\"/health\", web::get().to(|| async {{ \"ok\" }}))",
        "    })",
        "    .bind((\"0.0.0.0\", 8080))?",
        "    .run()",
        "    .await?;",
        "    let _ = grpc.await;",
        "    Ok(())",
        "}",
        "",
    ]
    exp.add("http", wired, True)
    return out


def grpc_server_rs(rng, svc, exp):
    n = rng.randint(1, 3)
    out = [
        "use tonic::transport::Server as GrpcServer;",
        "use tonic::{Request, Status};",
    ]
    for k in range(n):
        out.append(f"use {svc}_proto::{svc}_{k}_service_server::{camel(svc)}{k}ServiceServer;")
    out += [
        "",
        "fn correlation_interceptor(mut req: Request<()>) -> Result<Request<()>, Status> {",
        "    if let Some(v) = req.metadata().get(\"correlation-id\").cloned() {",
        "        req.extensions_mut().insert(v);",
        "    }",
        "    Ok(req)",
        "}",
        "",
        "pub async fn serve() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {",
        "    let addr = \"0.0.0.0:50051\".parse()?;",
        "    let (_reporter, health) = tonic_health::server::health_reporter();",
    ]
    split = rng.random() < 0.3
    lines = []
    for k in range(n):
        wired = rng.random() < 0.5
        ty = f"{camel(svc)}{k}ServiceServer"
        svc_expr = f"{ty}::with_interceptor(Svc{k}::default(), correlation_interceptor)" if wired else f"{ty}::new(Svc{k}::default())"
        if split:
            out.append(f"    let svc{k} = {svc_expr};")
            lines.append(f"svc{k}")
        else:
            lines.append(svc_expr)
        exp.add("grpc_server", wired, not split)
    if split:
        out.append("    let mut builder = GrpcServer::builder();")
        out.append("    let router = builder.add_service(health);")
        for k, l in enumerate(lines):
            out.append(f"    let router = router.add_service({l});")
        out.append("    router.serve(addr).await?;")
    else:
        out.append("    GrpcServer::builder()")
        out.append("        .add_service(health)")
        for l in lines:
            out.append(f"        .add_service({l})")
        out.append("        .serve(addr)")
        out.append("        .await?;")
    out += ["    Ok(())", "}", ""]
    for k in range(n):
        out += ["#[derive(Default)]", f"pub struct Svc{k};", ""]
    return out


def grpc_clients_rs(rng, svc, exp):
    out = ["use tonic::transport::Channel;", "use tonic::{Request, Status};", "use resilience::{CircuitBreaker, CircuitBreakerConfig};", "use std::time::Duration;"]
    targets = rng.sample([d for d in DOWNSTREAM if d != svc], 2)
    for t in targets:
        out.append(f"use {t}_proto::{t}_service_client::{camel(t)}ServiceClient;")
    out += [
        "",
        "fn inject_correlation(mut req: Request<()>) -> Result<Request<()>, Status> {",
        "    req.metadata_mut().insert(\"correlation-id\", crate::context::current_id().parse().unwrap());",
        "    Ok(req)",
        "}",
        "",
    ]
    for t in targets:
        wired = rng.random() < 0.5
        ty = f"{camel(t)}ServiceClient"
        out.append(f"pub async fn connect_{t}() -> anyhow::Result<()> {{")
        if wired:
            out += [
                f"    let channel = Channel::from_static(\"http://{t}-service:50051\").connect().await?;",
                f"    let _client = {ty}::with_interceptor(channel, inject_correlation);",
            ]
        else:
            out.append(f"    let _client = {ty}::connect(\"http://{t}-service:50051\").await?;")
        out += ["    Ok(())", "}", ""]
        exp.add("grpc_client", wired, True)
    timeout = rng.random() < 0.6
    out += [
        "pub fn breaker() -> CircuitBreaker {",
        "    CircuitBreaker::new(CircuitBreakerConfig {",
        "        failure_threshold: 3,",
        "        success_threshold: 3,",
    ]
    if timeout:
        out.append("        timeout: Duration::from_secs(30),")
    out += ["        error_rate_threshold: 0.5,", "        window_size: 20,", "    })", "}", ""]
    exp.add("breaker_config", timeout, True)
    return out


def kafka_rs(rng, svc, exp):
    out = [
        "use crypto_core::kafka_correlation::inject_headers;",
        "use rdkafka::message::{Header, OwnedHeaders};",
        "use rdkafka::producer::{FutureProducer, FutureRecord};",
        "use std::time::Duration;",
        "use uuid::Uuid;",
        "",
    ]
    for k in range(rng.randint(2, 4)):
        r = rng.random()
        out.append(f"pub async fn publish_{k}(producer: &FutureProducer, correlation_id: &str, key: &str, body: &str) {{")
        if r < 0.4:
            out += [
                f"    let record = FutureRecord::to(\"{svc}.events.{k}\")",
                "        .key(key)",
                "        .payload(body)",
                "        .headers(inject_headers(OwnedHeaders::new(), &correlation_id));",
                "    let _ = producer.send(record, Duration::from_secs(5)).await;",
            ]
            exp.add("kafka", True, True)
        elif r < 0.75:
            out += [
                f"    let record = FutureRecord::to(\"{svc}.events.{k}\").key(key).payload(body);",
                "    let _ = producer.send(record, Duration::from_secs(5)).await;",
                "    let _ = correlation_id;",
            ]
            exp.add("kafka", False, True)
        else:
            out += [
                "    let fresh = Uuid::new_v4().to_string();",
                f"    let record = FutureRecord::to(\"{svc}.events.{k}\").key(key).payload(body);",
                "    let record = record.headers(inject_headers(OwnedHeaders::new(), &fresh));",
                "    let _ = producer.send(record, Duration::from_secs(5)).await;",
                "    let _ = correlation_id;",
            ]
            exp.add("kafka_fresh", False, False)
        out += ["}", ""]
    return out


def write(path, lines):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    return len(lines)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        sys.exit(2)
    out_dir = args[0]
    total_files = int(args[args.index("--files") + 1]) if "--files" in args else 800
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 7
    rng = random.Random(seed)
    exp = Expect()
    files = 0
    lines = 0
    write(os.path.join(out_dir, "Cargo.toml"), ["[workspace]", "members = [\"services/*\"]", "resolver = \"2\"", ""])
    per = total_files // len(SERVICES)
    for si, svc in enumerate(SERVICES):
        d = os.path.join(out_dir, "services", f"{svc}-service")
        write(os.path.join(d, "Cargo.toml"), ["[package]", f"name = \"{svc}-service\"", "version = \"0.1.0\"", "edition = \"2021\"", ""])
        n_fill = per - 8  # main, grpc/mod, grpc/server, grpc/clients, kafka, context, and the 4 filler mod.rs
        groups = {g: [] for g, _ in FILLERS}
        for i in range(n_fill):
            g, fn = FILLERS[i % len(FILLERS)]
            name = f"{g}_{i}"
            lines += write(os.path.join(d, "src", g, f"{name}.rs"), fn(rng, svc, i))
            groups[g].append(name)
            files += 1
        for g, names in groups.items():
            lines += write(os.path.join(d, "src", g, "mod.rs"), [f"pub mod {n};" for n in names])
            files += 1
        lines += write(os.path.join(d, "src", "grpc", "mod.rs"), ["pub mod clients;", "pub mod server;"])
        lines += write(os.path.join(d, "src", "grpc", "server.rs"), grpc_server_rs(rng, svc, exp))
        lines += write(os.path.join(d, "src", "grpc", "clients.rs"), grpc_clients_rs(rng, svc, exp))
        lines += write(os.path.join(d, "src", "kafka.rs"), kafka_rs(rng, svc, exp))
        lines += write(os.path.join(d, "src", "context.rs"), ["pub fn current_id() -> String {", "    String::from(\"cid\")", "}"])
        mods = [g for g, _ in FILLERS] + ["grpc", "kafka", "context"]
        lines += write(os.path.join(d, "src", "main.rs"), main_rs(rng, svc, mods, exp, axum=(svc == "websocket")))
        files += 5
    with open(os.path.join(out_dir, "expected.json"), "w") as f:
        json.dump({"files": files, "lines": lines, "sites": exp.counts}, f, indent=2, sort_keys=True)
    print(f"generated {len(SERVICES)} services, {files} Rust files, {lines} lines in {out_dir}")


if __name__ == "__main__":
    main()
