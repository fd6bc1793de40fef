//! `K8S_CLIENT_ENDPOINT`: a client endpoint configured for a service reaches a Service port.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::k8s::yaml::Node;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["CODE"],
    default_severity: Severity::Error,
    summary: "A client endpoint URL in a workload's env or ConfigMap names a Service and port that exist",
    docs: r#"## What it does
For each env value of a container (literal `value`, a `configMapKeyRef`, or every key of an
`envFrom.configMapRef`) that is a URL of an in-cluster host (`http://user-service:9080`,
`grpc://user-service.prod.svc.cluster.local:9081`; a single-label host or `name.namespace.svc`),
checks that a Service of that name exists in that namespace (the workload's, unless the URL names
one) among the checked manifests, and that it has a `port` equal to the URL's port (80 for
`http`/`ws`, 443 for `https`/`wss` when the URL has none). Whether that port's `targetPort` reaches a
container is `K8S_SERVICE_TARGET_PORT`'s job.

## Why
Roadmap P0.4: service discovery is by DNS name and port. A renamed Service or a changed port leaves
callers resolving a name that does not exist, or connecting where nothing listens; nothing fails
until the first call.

## Example
Failing (the Service `user-service` exposes 8080 only):
```yaml
env: [{name: USER_SERVICE_URL, value: "http://user-service:9080"}]
```
Passing:
```yaml
env: [{name: USER_SERVICE_URL, value: "http://user-service:8080"}]
```

## Fix
Use the Service's name and one of its ports, or add the port to the Service.
"#,
    ..RuleInfo::new("K8S_CLIENT_ENDPOINT", "k8s")
};

/// `(service, namespace, port)` of an in-cluster URL.
pub fn endpoint(url: &str) -> Option<(&str, Option<&str>, i64)> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let default = match scheme {
        "http" | "ws" => 80,
        "https" | "wss" => 443,
        "grpc" | "grpcs" | "h2c" => 0,
        _ => return None,
    };
    let hostport = rest.split(['/', '?']).next()?;
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (h, p.parse().ok()?),
        None => (hostport, default),
    };
    if port == 0 {
        return None;
    }
    let labels: Vec<&str> = host.split('.').collect();
    let ok = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    match labels.as_slice() {
        [name] if ok(name) => Some((name, None, port)),
        [name, ns, "svc"] | [name, ns, "svc", "cluster", "local"] if ok(name) && ok(ns) => Some((name, Some(ns), port)),
        _ => None,
    }
}

pub fn check(cx: &Cx<'_>, w: &Workload<'_>, _facts: &Facts, out: &mut Vec<Finding>) {
    for c in &w.containers {
        let mut values: Vec<(&str, &Node)> = Vec::new();
        for e in c.node.get("env").map(|n| n.items()).unwrap_or_default() {
            let name = e.get("name").and_then(Node::as_str).unwrap_or("?");
            if let Some(v) = e.get("value") {
                values.push((name, v));
            } else if let Some(r) = e.at(&["valueFrom", "configMapKeyRef"])
                && let (Some(cm), Some(key)) =
                    (r.get("name").and_then(Node::as_str), r.get("key").and_then(Node::as_str))
                && let Some(v) = config_map(cx, w, cm).and_then(|d| d.get(key))
            {
                values.push((name, v));
            }
        }
        for e in c.node.get("envFrom").map(|n| n.items()).unwrap_or_default() {
            if let Some(cm) = e.at(&["configMapRef", "name"]).and_then(Node::as_str)
                && let Some(data) = config_map(cx, w, cm)
            {
                values.extend(data.pairs().iter().filter_map(|(k, v)| Some((k.as_str()?, v))));
            }
        }
        for (name, v) in values {
            let Some(url) = v.as_str() else { continue };
            let Some((svc, ns, port)) = endpoint(url) else { continue };
            let ns = ns.unwrap_or(w.obj.namespace);
            let found = cx.cluster.services.iter().find(|s| s.obj.name == svc && s.obj.namespace == ns);
            match found {
                None => out.push(
                    Finding::new(
                        &RULE,
                        v.pos,
                        w.obj.name,
                        format!("`{name}` = `{url}`: no Service `{svc}` in namespace `{ns}`"),
                    )
                    .help("name an existing Service (or check it in with these manifests)"),
                ),
                Some(s) if !s.ports.iter().any(|p| p.port == port) => {
                    let ports: Vec<String> = s.ports.iter().map(|p| p.port.to_string()).collect();
                    out.push(
                        Finding::new(
                            &RULE,
                            v.pos,
                            w.obj.name,
                            format!(
                                "`{name}` = `{url}`: Service `{svc}` has no port {port} (it has {})",
                                if ports.is_empty() { "none".to_string() } else { ports.join(", ") }
                            ),
                        )
                        .label(s.obj.pos(), format!("Service `{svc}` is defined here"))
                        .help("use one of the Service's ports"),
                    );
                }
                Some(_) => {}
            }
        }
    }
}

fn config_map<'a>(cx: &Cx<'a>, w: &Workload<'_>, name: &str) -> Option<&'a Node> {
    cx.cluster
        .config_maps
        .iter()
        .find(|o| o.name == name && o.namespace == w.obj.namespace)
        .and_then(|o| o.node.get("data"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn endpoints() {
        use super::endpoint;
        assert_eq!(endpoint("http://user-service:9080"), Some(("user-service", None, 9080)));
        assert_eq!(endpoint("https://a.prod.svc.cluster.local/x"), Some(("a", Some("prod"), 443)));
        assert_eq!(endpoint("http://example.com:80"), None);
        assert_eq!(endpoint("kafka:9092"), None);
        assert_eq!(endpoint("grpc://user-service"), None);
    }
}
