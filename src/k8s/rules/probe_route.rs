//! `K8S_PROBE_ROUTE`: an `httpGet` probe asks a route the service serves, on a port it binds.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::{Container, Workload};
use crate::k8s::yaml::Node;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["CODE"],
    default_severity: Severity::Error,
    summary: "An httpGet probe's path is a route the service's code registers, and its port one the code binds",
    docs: r#"## What it does
For each `httpGet` readiness, liveness and startup probe of a workload whose crate nova finds (the
nearest Cargo package above the manifest, else a package named like the workload or a container):
- the probe's `port` (a number, or a name) is a port the container declares;
- the `path` is a route the code registers with a literal (`.route("/health/ready", ..)`,
  `web::resource`, `#[get("/x")]`, a `web::scope` / `nest` prefix plus a route);
- the port is one the code binds: a literal address (`.bind(("0.0.0.0", 8080))`,
  `SocketAddr::from(([0, 0, 0, 0], 8080))`, `"0.0.0.0:8080"`), or through an address variable the
  code reads (`HTTP_ADDR`, `PORT`) that the container sets to that port.
A crate whose code registers no literal route, or binds nothing nova can read, is not judged on
that point.

## Why
A probe on a route the service does not serve gets 404: the pod never becomes ready (or is
restarted in a loop); a probe on a port nothing binds is the same failure, found at deploy time.
General Kubernetes linters cannot see the code; nova can.

## Example
Failing (the code serves `/health/ready`):
```yaml
readinessProbe: {httpGet: {path: /ready, port: http}}
```
Passing:
```yaml
readinessProbe: {httpGet: {path: /health/ready, port: http}}
```

## Fix
Point the probe at a served route and a bound port, or register the route.
"#,
    ..RuleInfo::new("K8S_PROBE_ROUTE", "k8s")
};

pub fn check(_cx: &Cx<'_>, w: &Workload<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    for c in &w.containers {
        for kind in ["readinessProbe", "livenessProbe", "startupProbe"] {
            let Some(http) = c.node.at(&[kind, "httpGet"]) else { continue };
            probe(w, c, kind, http, facts, out);
        }
    }
}

fn probe(w: &Workload<'_>, c: &Container<'_>, kind: &str, http: &Node, facts: &Facts, out: &mut Vec<Finding>) {
    let port_node = http.entry("port");
    let port = port_node.and_then(|(_, v)| c.resolve_port(v));
    if let Some((k, v)) = port_node
        && port.is_none()
    {
        out.push(
            Finding::new(
                &RULE,
                k.pos,
                w.obj.name,
                format!(
                    "{kind} of container `{}` uses port `{}`, which the container does not declare",
                    c.name,
                    v.as_str().unwrap_or("?")
                ),
            )
            .help("declare the port under `ports` with this name"),
        );
    }
    let Some(code) = &facts.code else { return };
    if let Some((k, v)) = http.entry("path")
        && let Some(path) = v.as_str()
        && !code.routes.is_empty()
        && !code.serves(path)
    {
        let known: Vec<&str> = code.routes.iter().map(String::as_str).take(8).collect();
        out.push(
            Finding::new(
                &RULE,
                k.pos,
                w.obj.name,
                format!("{kind} path `{path}` is not a route of crate `{}`", code.crate_name),
            )
            .help(format!("the code registers: {}", known.join(", "))),
        );
    }
    let (Some(port), Some((k, _))) = (port, port_node) else { return };
    if code.ports.is_empty() && code.addr_envs.is_empty() {
        return;
    }
    let via_env = code.addr_envs.iter().any(|e| {
        c.env(e)
            .and_then(Node::as_str)
            .is_some_and(|v| v.rsplit(':').next().and_then(|p| p.parse::<i64>().ok()) == Some(port))
    });
    if !(code.ports.contains(&port) || via_env) {
        let mut bound: Vec<String> = code.ports.iter().map(|p| p.to_string()).collect();
        bound.extend(code.addr_envs.iter().map(|e| format!("${e}")));
        out.push(
            Finding::new(
                &RULE,
                k.pos,
                w.obj.name,
                format!("{kind} port {port} of container `{}` is not a port crate `{}` binds", c.name, code.crate_name),
            )
            .help(format!("the code binds {}", bound.join(", "))),
        );
    }
}
