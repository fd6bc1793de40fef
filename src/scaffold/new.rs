//! `nova new <service>`: a service crate with the backend's conventions built in.
use super::NewArgs;
use super::names::{self, ServiceNames};
use super::plan::Plan;
use super::templates::Templates;
use super::workspace::Workspace;
use crate::context::Ctx;
use crate::error::NovaError;
use serde_json::json;
use std::path::{Component, Path, PathBuf};

/// What every generator needs to know about the project it writes into.
pub struct Project {
    pub ws: Workspace,
    pub templates: Templates,
    /// The proto registry root (`nova-protos/`), absolute.
    pub registry: PathBuf,
}

impl Project {
    pub fn load(ctx: &Ctx) -> Result<Project, NovaError> {
        let ws = Workspace::discover(&ctx.cwd)?;
        let base = if ctx.config.path.is_some() { ctx.config.dir.clone() } else { ws.root.clone() };
        let registry = ctx.config.config.proto.registry.clone().unwrap_or_else(|| PathBuf::from("nova-protos"));
        let registry = if registry.is_absolute() { registry } else { base.join(registry) };
        let registry = registry.canonicalize().unwrap_or(registry);
        let templates = Templates::load(Some(&super::override_dir(ctx, Some(&ws.root))))?;
        Ok(Project { ws, templates, registry })
    }

    /// A plan rooted at the workspace that may also write into the proto registry.
    pub fn plan(&self) -> Plan {
        Plan::new(self.ws.root.clone(), std::slice::from_ref(&self.registry))
    }

    pub fn render(&self, name: &str, ctx: &serde_json::Value) -> Result<String, NovaError> {
        self.templates.render(name, &minijinja::Value::from_serialize(ctx))
    }

    /// How a service at `service_dir` depends on backend library `lib`: through
    /// `[workspace.dependencies]` when the workspace declares it, else by path to the member
    /// that provides it, else `workspace = true` with a next step telling the user to declare it.
    pub fn lib_dependency(&self, service_dir: &Path, lib: &str, plan: &mut Plan) -> String {
        let declared =
            self.ws.doc.get("workspace").and_then(|w| w.get("dependencies")).and_then(|d| d.get(lib)).is_some();
        if !declared {
            for dir in self.ws.member_dirs() {
                let manifest = dir.join("Cargo.toml");
                let Ok(text) = std::fs::read_to_string(&manifest) else { continue };
                let Ok(doc) = text.parse::<toml_edit::DocumentMut>() else { continue };
                if doc.get("package").and_then(|p| p.get("name")).and_then(|n| n.as_str()) == Some(lib) {
                    let rel = relative(service_dir, &dir);
                    return format!("{lib} = {{ path = \"{rel}\" }}");
                }
            }
            plan.next_steps
                .push(format!("declare `{lib}` in [workspace.dependencies] of {}", self.ws.manifest_path.display()));
        }
        format!("{lib} = {{ workspace = true }}")
    }
}

/// `to` relative to `from` (both absolute), `/`-separated.
pub fn relative(from: &Path, to: &Path) -> String {
    let f: Vec<Component> = from.components().collect();
    let t: Vec<Component> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), f.len() - common).collect();
    parts.extend(t[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    if parts.is_empty() { ".".to_string() } else { parts.join("/") }
}

/// The features a service gets; no flag at all means everything but WebSocket.
#[derive(Debug, Clone, Copy)]
pub struct Features {
    pub http: bool,
    pub grpc: bool,
    pub kafka: bool,
    pub db: bool,
    pub websocket: bool,
}

impl Features {
    pub fn from_args(a: &NewArgs) -> Features {
        if !(a.http || a.grpc || a.kafka || a.db || a.websocket) {
            return Features { http: true, grpc: true, kafka: true, db: true, websocket: false };
        }
        // Without a gRPC server the HTTP server is what Kubernetes probes, so it is always there.
        Features {
            http: a.http || a.websocket || !a.grpc,
            grpc: a.grpc,
            kafka: a.kafka,
            db: a.db,
            websocket: a.websocket,
        }
    }
}

/// Template context shared by `nova new` and the `gen` commands for one service.
pub fn service_context(n: &ServiceNames, f: Features, aggregate: &str) -> serde_json::Value {
    use heck::ToSnakeCase;
    let entity = format!("{}_record", n.domain);
    json!({
        "nova_version": env!("CARGO_PKG_VERSION"),
        "name": n.name,
        "crate_name": n.crate_name,
        "domain": n.domain,
        "domain_pascal": n.domain_pascal,
        "service_pascal": n.service_pascal,
        "service_snake": n.service_pascal.to_snake_case(),
        "proto_package": format!("{}.v1", n.domain),
        "proto_file": format!("{}/v1/{}.proto", n.domain, n.crate_name),
        "entity": entity,
        "entity_pascal": format!("{}Record", n.domain_pascal),
        "table": format!("{entity}s"),
        "aggregate": aggregate,
        "aggregate_snake": aggregate.to_snake_case(),
        "env_prefix": n.crate_name.to_uppercase(),
        "http": f.http,
        "grpc": f.grpc,
        "kafka": f.kafka,
        "db": f.db,
        "websocket": f.websocket,
        "http_port": 8080,
        "dep_snake": "",
        "grpc_port": 50051,
    })
}

pub fn plan_new(ctx: &Ctx, args: &NewArgs) -> Result<(Plan, String), NovaError> {
    names::validate("service", &args.name)?;
    let features = Features::from_args(args);
    let project = Project::load(ctx)?;
    let ws = &project.ws;
    let services_dir = ctx.config.config.scaffold.services_dir.clone().unwrap_or_default();
    if services_dir.components().any(|c| matches!(c, Component::ParentDir | Component::RootDir | Component::Prefix(_)))
    {
        return Err(NovaError::new(format!(
            "[scaffold] services_dir `{}` must be a relative path inside the workspace",
            services_dir.display()
        )));
    }
    let service_dir = ws.root.join(&services_dir).join(&args.name);
    let member = crate::diagnostics::rel_path(&ws.root, &service_dir);
    if ws.member_entries().iter().any(|m| m.trim_end_matches('/') == member)
        || ws.member_dirs().iter().any(|d| d.file_name().is_some_and(|f| f == args.name.as_str()))
    {
        return Err(NovaError::new(format!("`{}` is already a member of the workspace", args.name))
            .at(&ws.manifest_path, None, None)
            .with_help("pick another name, or use `nova gen` to add to the existing service"));
    }
    if service_dir.exists() {
        return Err(NovaError::new(format!("{} already exists", service_dir.display()))
            .at(&service_dir, None, None)
            .with_help("nova new never writes into an existing directory; pick another name or remove it"));
    }
    let n = ServiceNames::new(&args.name);
    let aggregate = format!("{}Record", n.domain_pascal);
    let mut plan = project.plan();
    let mut c = service_context(&n, features, &aggregate);
    let mut deps = serde_json::Map::new();
    // Only the libraries the chosen features use, so nobody is told to declare a crate they do not need.
    for (lib, used) in
        [("actix-middleware", features.http), ("crypto-core", features.kafka), ("resilience", features.grpc)]
    {
        if used {
            deps.insert(lib.replace('-', "_"), json!(project.lib_dependency(&service_dir, lib, &mut plan)));
        }
    }
    c["deps"] = serde_json::Value::Object(deps);
    let protos = project.registry.join("protos");
    c["proto_include"] = json!(relative(&service_dir, &protos));
    let sc = &ctx.config.config.scaffold;
    c["namespace"] = json!(sc.namespace.as_deref().unwrap_or("default"));
    c["image_prefix"] = json!(sc.image_prefix.as_deref().unwrap_or("registry.local/nova"));
    let tag = sc.image_tag.as_deref().unwrap_or("0.1.0");
    if tag.is_empty() || tag == "latest" {
        return Err(NovaError::new(format!("[scaffold] image_tag = \"{tag}\" would deploy an unpinned image"))
            .with_help("set a version tag (the release's), or leave image_tag out for the crate's version"));
    }
    c["image_tag"] = json!(tag);
    c["prestop_exec"] = json!(match sc.prestop_sleep.as_deref() {
        None | Some("native") => false,
        Some("exec") => true,
        Some(other) => {
            let err = NovaError::new(format!("[scaffold] prestop_sleep `{other}` must be `native` or `exec`"));
            return Err(match &ctx.config.path {
                Some(p) => err.at(p, None, None),
                None => err,
            });
        }
    });

    let f = features;
    let mut files: Vec<(&str, PathBuf)> = vec![
        ("service/Cargo.toml.j2", service_dir.join("Cargo.toml")),
        ("service/src/main.rs.j2", service_dir.join("src/main.rs")),
        ("service/src/config.rs.j2", service_dir.join("src/config.rs")),
        ("service/src/shutdown.rs.j2", service_dir.join("src/shutdown.rs")),
        ("service/src/correlation.rs.j2", service_dir.join("src/correlation.rs")),
        ("service/tests/process.rs.j2", service_dir.join("tests/process.rs")),
        ("service/k8s/deployment.yaml.j2", service_dir.join("k8s/deployment.yaml")),
        ("service/k8s/service.yaml.j2", service_dir.join("k8s/service.yaml")),
    ];
    if f.websocket {
        files.push(("service/k8s/pdb.yaml.j2", service_dir.join("k8s/pdb.yaml")));
    }
    if f.http {
        files.push(("service/src/http.rs.j2", service_dir.join("src/http.rs")));
    }
    if f.grpc {
        files.push(("service/build.rs.j2", service_dir.join("build.rs")));
        files.push(("service/src/grpc.rs.j2", service_dir.join("src/grpc.rs")));
        files.push(("service/src/clients.rs.j2", service_dir.join("src/clients.rs")));
        files.push(("breaker/mod.rs.j2", service_dir.join("src/breakers/mod.rs")));
        files.push(("breaker/circuit.rs.j2", service_dir.join("src/breakers/circuit.rs")));
        files.push(("proto/service.proto.j2", protos.join(format!("{}/v1/{}.proto", n.domain, n.crate_name))));
    }
    if f.kafka {
        files.push(("service/src/kafka.rs.j2", service_dir.join("src/kafka.rs")));
    }
    if f.websocket {
        files.push(("service/src/ws.rs.j2", service_dir.join("src/ws.rs")));
    }
    for (tpl, path) in files {
        plan.file(&path, project.render(tpl, &c)?)?;
    }
    if f.db {
        plan.file(&service_dir.join("src/db.rs"), project.render("service/src/db.rs.j2", &c)?)?;
        let mut oc = c.clone();
        oc["publisher"] = json!(f.kafka);
        super::outbox::add_module(&project, &mut plan, &service_dir, &oc)?;
        plan.file(
            &service_dir.join("migrations/0001_outbox_events.sql"),
            project.render("outbox/migration.sql.j2", &c)?,
        )?;
        plan.file(
            &service_dir.join(format!("migrations/0002_create_{}.sql", c["table"].as_str().unwrap_or("records"))),
            project.render("service/migrations/create_table.sql.j2", &c)?,
        )?;
    }
    let manifest = ws.with_member(&member)?;
    plan.update(
        &ws.manifest_path,
        ws.manifest_text.clone(),
        manifest,
        &format!("add `{member}` to [workspace] members"),
    )?;
    let flags: Vec<&str> =
        [("--http", f.http), ("--grpc", f.grpc), ("--kafka", f.kafka), ("--db", f.db), ("--websocket", f.websocket)]
            .iter()
            .filter(|(_, on)| *on)
            .map(|(s, _)| *s)
            .collect();
    Ok((plan, format!("nova new {} {}", args.name, flags.join(" "))))
}
