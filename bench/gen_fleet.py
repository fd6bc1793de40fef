#!/usr/bin/env python3
"""Generate a backend that looks like a real fleet, for `bench/wiring.sh --realistic`.

Unlike gen_backend.py (15 tidy services), this corpus has what real trees have and the tidy one
lacks: 54 crates in four Cargo workspaces; about 750 Rust files, 60% of them containing the words
nova's pre-filter looks for (`Client`, `metadata`, `Record`, `serve`, `Router`, ...) without
wiring anything; several `main.rs` files of 300-900 lines with long builder chains (one actix App
with 250 routes); `clients.rs` files with a dozen tonic clients beside HTTP SDK clients named
`*Client` (ClickHouse, Elasticsearch, FCM, APNs, Matrix, reqwest) that are not gRPC clients; work
inside `tokio::spawn` and `tokio::select!`.

`expected.json` counts the wiring sites planted, per rule, wired or not, and the SDK clients
(which no rule may report), so the benchmark can report precision and recall per rule.

usage: gen_fleet.py OUT_DIR [--seed 11]
"""
import json
import os
import random
import sys

# The tidy generator's helpers (this script runs from bench/, so it is importable).
from gen_backend import camel, write

WORKSPACES = {"backend": 30, "platform": 10, "tools": 8, "edge": 6}
DOWNSTREAM = ["auth", "user", "media", "search", "billing", "inventory", "ledger", "profile", "graph",
              "notify", "policy", "quota", "session", "catalog"]
SDK = [
    ("ClickHouseClient", "ClickHouseClient::new(&cfg.clickhouse_url, \"analytics\", &cfg.ch_user, &cfg.ch_password, Duration::from_secs(10))"),
    ("ElasticsearchClient", "ElasticsearchClient::new(&cfg.es_url)?"),
    ("FCMClient", "FCMClient::new(cfg.fcm_key.clone())"),
    ("APNsClient", "APNsClient::new(&cfg.apns_cert, cfg.apns_sandbox)?"),
    ("MatrixClient", "MatrixClient::new(&cfg.matrix_url).await?"),
    ("MatrixAdminClient", "MatrixAdminClient::new(&cfg.matrix_url, &cfg.matrix_token)"),
]


class Expect:
    def __init__(self):
        self.counts = {}

    def add(self, rule, wired):
        key = f"{rule}:{'wired' if wired else 'unwired'}"
        self.counts[key] = self.counts.get(key, 0) + 1


def handler(rng, name, i, noisy):
    out = ["use actix_web::{web, HttpRequest, HttpResponse};", "use std::time::Duration;", ""]
    if noisy:
        out += ["use crate::state::AppState;", ""]
    for j in range(rng.randint(10, 18)):
        out += [f"pub async fn {name}_{i}_{j}(req: HttpRequest, state: web::Data<AppState>, body: web::Json<serde_json::Value>) -> HttpResponse {{"]
        if noisy:
            out += [
                "    // The HTTP client and the audit Record are not gRPC wiring; metadata is file metadata.",
                "    let client = state.http_client.clone();",
                f"    let record = AuditRecord::new(\"{name}\", {j});",
                "    let size = std::fs::metadata(\"/tmp\").map(|m| m.len()).unwrap_or(0);",
                "    let resp = client.get(\"http://cdn.internal/health\").timeout(Duration::from_secs(2)).send().await;",
                "    tracing::debug!(?record, size, ok = resp.is_ok(), \"served\");",
            ]
        out += [
            "    let value = body.into_inner();",
            "    let mut total = 0u64;",
            "    if let Some(items) = value.get(\"items\").and_then(|v| v.as_array()) {",
            "        for item in items {",
            "            total += item.as_u64().unwrap_or(0);",
            "        }",
            "    }",
            "    let _ = req.headers().get(\"x-request-id\");",
            "    HttpResponse::Ok().json(serde_json::json!({ \"total\": total }))",
            "}",
            "",
        ]
    return out


def model(rng, name, i, noisy):
    out = ["use serde::{Deserialize, Serialize};", ""]
    if noisy:
        out += ["/// Stored as an audit Record; the ClickHouse Client writes it in batches.", f"pub type {camel(name)}Record{i} = {camel(name)}Model{i};", ""]
    out += ["#[derive(Debug, Clone, Serialize, Deserialize)]", f"pub struct {camel(name)}Model{i} {{"]
    fields = [f"field_{j}" for j in range(rng.randint(8, 16))]
    out += [f"    pub {f}: Option<String>," for f in fields] + ["}", "", f"impl {camel(name)}Model{i} {{"]
    for j in range(rng.randint(8, 14)):
        out += [f"    pub fn check_{j}(&self) -> bool {{", f"        self.{rng.choice(fields)}.as_deref().map(|s| s.len() > {j}).unwrap_or(false)", "    }", ""]
    return out + ["}", ""]


def main_rs(rng, name, kind, exp, routes):
    """A service's main.rs; `routes` sets the length of the App chain."""
    out = [
        "use actix_web::{middleware, web, App, HttpServer};",
        "use actix_middleware::CorrelationIdMiddleware;",
        "use std::time::Duration;",
        "",
        "mod clients;",
        "mod handlers;",
        "mod kafka;",
        "mod models;",
        "mod state;",
        "",
    ]
    # Helper functions before main make main.rs long, as in real services.
    for h in range(min(routes, 150) if routes >= 60 else routes // 4):
        out += [f"fn setting_{h}(name: &str) -> String {{", f"    std::env::var(name).unwrap_or_else(|_| \"{h}\".to_string())", "}", ""]
    wired = rng.random() < 0.6
    exp.add("HTTP_CORRELATION_MIDDLEWARE", wired)
    out += [
        "#[actix_web::main]",
        "async fn main() -> std::io::Result<()> {",
        "    tracing_subscriber::fmt::init();",
        "    let state = web::Data::new(state::AppState::load());",
        "    let (tx, mut rx) = tokio::sync::mpsc::channel::<String>(16);",
        "    tokio::spawn(async move {",
        "        loop {",
        "            tokio::select! {",
        "                Some(msg) = rx.recv() => tracing::info!(%msg, \"event\"),",
        "                _ = tokio::time::sleep(Duration::from_secs(30)) => tracing::debug!(\"tick\"),",
        "            }",
        "        }",
        "    });",
        "    let _ = tx;",
        "    HttpServer::new(move || {",
        "        App::new()",
        "            .app_data(state.clone())",
        "            .wrap(middleware::Logger::default())",
        "            .wrap(middleware::Compress::default())",
    ]
    if wired:
        out.append("            .wrap(CorrelationIdMiddleware)")
    for r in range(routes):
        verb = rng.choice(["get", "post", "put", "delete"])
        out.append(f"            .route(\"/api/v1/{name}/r{r}\", web::{verb}().to(handlers::h0::{name}_0_{r % 10}))")
    out += [
        "    })",
        "    .bind((\"0.0.0.0\", 8080))?",
        "    .run()",
        "    .await",
        "}",
        "",
    ]
    return out


def clients_rs(rng, name, exp, n_grpc):
    out = [
        "use std::time::Duration;",
        "use tonic::transport::Channel;",
        "use tonic::{Request, Status};",
        "use crate::state::Config;",
    ]
    targets = rng.sample(DOWNSTREAM, n_grpc)
    for t in targets:
        out.append(f"use {t}_proto::{t}_service_client::{camel(t)}ServiceClient;")
    sdks = rng.sample(SDK, 3)
    out += [f"use sdk::{s[0]};" for s in sdks]
    out += [
        "",
        "fn inject_correlation(mut req: Request<()>) -> Result<Request<()>, Status> {",
        "    req.metadata_mut().insert(\"correlation-id\", crate::state::current_id().parse().unwrap());",
        "    Ok(req)",
        "}",
        "",
        "pub struct Clients {",
    ]
    out += [f"    pub {t}: {camel(t)}ServiceClient<Channel>," for t in targets]
    out += ["}", "", "pub async fn connect(cfg: &Config) -> anyhow::Result<()> {"]
    for t in targets:
        wired = rng.random() < 0.5
        exp.add("GRPC_CLIENT_INTERCEPTOR", wired)
        if wired:
            out += [
                f"    let {t}_channel = Channel::from_static(\"http://{t}-service:50051\").connect_timeout(Duration::from_secs(3)).connect().await?;",
                f"    let _{t} = {camel(t)}ServiceClient::with_interceptor({t}_channel, inject_correlation);",
            ]
        else:
            out.append(f"    let _{t} = {camel(t)}ServiceClient::connect(\"http://{t}-service:50051\").await?;")
    for s in sdks:
        exp.add("SDK_CLIENT", False)
        out.append(f"    let _{s[0].lower()} = {s[1]};")
    out += ["    let _http = reqwest::Client::builder().timeout(Duration::from_secs(5)).build()?;", "    Ok(())", "}", ""]
    return out


def kafka_rs(rng, name, exp):
    out = [
        "use crypto_core::kafka_correlation::inject_headers;",
        "use rdkafka::message::OwnedHeaders;",
        "use rdkafka::producer::{FutureProducer, FutureRecord};",
        "use std::time::Duration;",
        "",
    ]
    for k in range(rng.randint(1, 3)):
        wired = rng.random() < 0.5
        exp.add("KAFKA_CORRELATION_HEADER", wired)
        out.append(f"pub async fn publish_{k}(producer: &FutureProducer, cid: &str, key: &str, body: &str) {{")
        if wired:
            out.append(f"    let record = FutureRecord::to(\"{name}.events.{k}\").key(key).payload(body).headers(inject_headers(OwnedHeaders::new(), &cid));")
        else:
            out += [f"    let record = FutureRecord::to(\"{name}.events.{k}\").key(key).payload(body);", "    let _ = cid;"]
        out += ["    let _ = producer.send(record, Duration::from_secs(5)).await;", "}", ""]
    return out


def state_rs():
    return [
        "pub struct Config {",
        "    pub clickhouse_url: String, pub ch_user: String, pub ch_password: String,",
        "    pub es_url: String, pub fcm_key: String, pub apns_cert: String, pub apns_sandbox: bool,",
        "    pub matrix_url: String, pub matrix_token: String,",
        "}",
        "",
        "pub struct AppState {",
        "    pub http_client: reqwest::Client,",
        "}",
        "",
        "impl AppState {",
        "    pub fn load() -> Self {",
        "        AppState { http_client: reqwest::Client::new() }",
        "    }",
        "}",
        "",
        "pub fn current_id() -> String {",
        "    String::from(\"cid\")",
        "}",
    ]


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        sys.exit(2)
    out = args[0]
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 11
    rng = random.Random(seed)
    exp = Expect()
    files = lines = noisy_files = crates = 0
    big = 0
    for ws, n in WORKSPACES.items():
        root = os.path.join(out, ws)
        write(os.path.join(root, "Cargo.toml"), ["[workspace]", "members = [\"crates/*\"]", "resolver = \"2\"", ""])
        for c in range(n):
            name = f"{ws}_{c}"
            d = os.path.join(root, "crates", name)
            crates += 1
            service = c % 5 != 4  # four in five crates are services, the rest libraries
            # Sites in a library no service builds are not judged: count only the services'.
            site = exp if service else Expect()
            write(os.path.join(d, "Cargo.toml"), ["[package]", f"name = \"{name.replace('_', '-')}\"", "version = \"0.1.0\"", "edition = \"2021\"", ""])
            mods = {"handlers": [], "models": []}
            for i in range(5):
                noisy = rng.random() < 0.8
                lines += write(os.path.join(d, "src", "handlers", f"h{i}.rs"), handler(rng, name, i, noisy))
                mods["handlers"].append(f"h{i}")
                files += 1
                noisy_files += noisy
            for i in range(4):
                noisy = rng.random() < 0.55
                lines += write(os.path.join(d, "src", "models", f"m{i}.rs"), model(rng, name, i, noisy))
                mods["models"].append(f"m{i}")
                files += 1
                noisy_files += noisy
            for m, names in mods.items():
                lines += write(os.path.join(d, "src", m, "mod.rs"), [f"pub mod {x};" for x in names])
                files += 1
            lines += write(os.path.join(d, "src", "state.rs"), state_rs())
            lines += write(os.path.join(d, "src", "clients.rs"), clients_rs(rng, name, site, 12 if c % 3 == 0 else 4))
            lines += write(os.path.join(d, "src", "kafka.rs"), kafka_rs(rng, name, site))
            files += 3
            noisy_files += 3
            if service:
                routes = 250 if (ws == "edge" and c == 0) else (rng.randint(60, 140) if big < 8 and c % 4 == 0 else rng.randint(5, 20))
                big += routes >= 60
                lines += write(os.path.join(d, "src", "main.rs"), main_rs(rng, name, "actix", exp, routes))
            else:
                lines += write(os.path.join(d, "src", "lib.rs"), ["pub mod clients;", "pub mod handlers;", "pub mod kafka;", "pub mod models;", "pub mod state;"])
            files += 1
            noisy_files += 1
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump({"crates": crates, "files": files, "lines": lines, "files_with_trigger_words": noisy_files, "sites": exp.counts}, f, indent=2, sort_keys=True)
    print(f"generated {crates} crates in {len(WORKSPACES)} workspaces, {files} Rust files ({noisy_files} with trigger words), {lines} lines in {out}")


if __name__ == "__main__":
    main()
