//! The Kubernetes objects the rules judge, read from located YAML: workloads (Deployment,
//! StatefulSet), Services, PodDisruptionBudgets and ConfigMaps. Everything borrows the tree, so a
//! finding can point at any key.
use super::yaml::{Node, Pos};

/// Any object with `kind` and `metadata.name`.
#[derive(Debug, Clone)]
pub struct Object<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub namespace: &'a str,
    pub node: &'a Node,
    /// The name in its own file when a kustomization renamed it.
    pub original: Option<&'a str>,
}

impl<'a> Object<'a> {
    pub fn from(node: &'a Node) -> Option<Object<'a>> {
        let kind = node.get("kind")?.as_str()?;
        let name = node.at(&["metadata", "name"])?.as_str()?;
        let namespace = node.at(&["metadata", "namespace"]).and_then(Node::as_str).unwrap_or("default");
        Some(Object { kind, name, namespace, node, original: None })
    }
    /// Where a finding about the whole object points: its `metadata.name` value.
    pub fn pos(&self) -> Pos {
        self.node.at(&["metadata", "name"]).map_or(self.node.pos, |n| n.pos)
    }
    /// Where a finding about a key missing from `spec` points: the `spec` key (else the object).
    pub fn spec_pos(&self) -> Pos {
        self.node.entry("spec").map_or(self.pos(), |(k, _)| k.pos)
    }
    /// `Kind/name`, as findings name objects.
    pub fn id(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }
}

/// A Deployment or StatefulSet.
#[derive(Debug, Clone)]
pub struct Workload<'a> {
    pub obj: Object<'a>,
    pub spec: Option<&'a Node>,
    /// `spec.template.spec` (absent in a malformed object).
    pub pod: Option<&'a Node>,
    /// `spec.template.metadata.labels`.
    pub pod_labels: Vec<(&'a str, &'a str)>,
    pub containers: Vec<Container<'a>>,
}

#[derive(Debug, Clone)]
pub struct Container<'a> {
    pub name: &'a str,
    pub node: &'a Node,
    /// (name, containerPort, node) of each `ports` entry.
    pub ports: Vec<(Option<&'a str>, i64, &'a Node)>,
}

impl<'a> Container<'a> {
    fn from(node: &'a Node) -> Container<'a> {
        let ports = node
            .get("ports")
            .map(|p| p.items())
            .unwrap_or_default()
            .iter()
            .filter_map(|p| Some((p.get("name").and_then(Node::as_str), p.get("containerPort")?.as_i64()?, p)))
            .collect();
        Container { name: node.get("name").and_then(Node::as_str).unwrap_or(""), node, ports }
    }
    /// The containerPort a probe or targetPort names (a number or a port name).
    pub fn resolve_port(&self, port: &Node) -> Option<i64> {
        if port.is_int() {
            return port.as_i64();
        }
        let name = port.as_str()?;
        self.ports.iter().find(|(n, _, _)| *n == Some(name)).map(|(_, p, _)| *p)
    }
    /// An env var's literal value.
    pub fn env(&self, name: &str) -> Option<&'a Node> {
        self.env_entry(name).and_then(|e| e.get("value"))
    }
    /// The `env` entry that sets `name`.
    pub fn env_entry(&self, name: &str) -> Option<&'a Node> {
        self.node.get("env")?.items().iter().find(|e| e.get("name").and_then(Node::as_str) == Some(name))
    }
}

impl<'a> Workload<'a> {
    pub fn from(obj: Object<'a>) -> Option<Workload<'a>> {
        if !matches!(obj.kind, "Deployment" | "StatefulSet") {
            return None;
        }
        let spec = obj.node.get("spec");
        let template = spec.and_then(|s| s.get("template"));
        let pod = template.and_then(|t| t.get("spec"));
        let pod_labels = labels(template.and_then(|t| t.at(&["metadata", "labels"])));
        let containers = pod.and_then(|p| p.get("containers")).map(|c| c.items()).unwrap_or_default();
        let containers = containers.iter().map(Container::from).collect();
        Some(Workload { obj, spec, pod, pod_labels, containers })
    }
    /// Where a finding about a missing pod-level key points: the template's `spec` key, else the
    /// object's.
    pub fn pod_pos(&self) -> Pos {
        self.spec
            .and_then(|s| s.get("template"))
            .and_then(|t| t.entry("spec"))
            .map_or(self.obj.spec_pos(), |(k, _)| k.pos)
    }
    pub fn replicas(&self) -> Option<(&'a Node, i64)> {
        let n = self.spec?.get("replicas")?;
        Some((n, n.as_i64()?))
    }
}

/// The string pairs of a labels or selector mapping.
pub fn labels(node: Option<&Node>) -> Vec<(&str, &str)> {
    node.map(|n| n.pairs()).unwrap_or_default().iter().filter_map(|(k, v)| Some((k.as_str()?, v.as_str()?))).collect()
}

/// Whether every pair of `selector` is among `labels` (an empty selector selects nothing here).
pub fn selects(selector: &[(&str, &str)], labels: &[(&str, &str)]) -> bool {
    !selector.is_empty() && selector.iter().all(|s| labels.contains(s))
}

#[derive(Debug, Clone)]
pub struct Service<'a> {
    pub obj: Object<'a>,
    pub selector: Vec<(&'a str, &'a str)>,
    /// (port, targetPort node or the port node when absent, entry node).
    pub ports: Vec<ServicePort<'a>>,
}

#[derive(Debug, Clone)]
pub struct ServicePort<'a> {
    pub port: i64,
    pub target: &'a Node,
    pub node: &'a Node,
}

impl<'a> Service<'a> {
    pub fn from(obj: Object<'a>) -> Option<Service<'a>> {
        if obj.kind != "Service" {
            return None;
        }
        let spec = obj.node.get("spec");
        let selector = labels(spec.and_then(|s| s.get("selector")));
        let ports = spec
            .and_then(|s| s.get("ports"))
            .map(|p| p.items())
            .unwrap_or_default()
            .iter()
            .filter_map(|p| {
                let port_node = p.get("port")?;
                Some(ServicePort {
                    port: port_node.as_i64()?,
                    target: p.get("targetPort").unwrap_or(port_node),
                    node: p,
                })
            })
            .collect();
        Some(Service { obj, selector, ports })
    }
}

/// Every object of a run, grouped by what the rules ask about.
#[derive(Debug, Default)]
pub struct Cluster<'a> {
    pub workloads: Vec<Workload<'a>>,
    pub services: Vec<Service<'a>>,
    /// PodDisruptionBudgets: (object, selector.matchLabels).
    pub pdbs: Vec<(Object<'a>, Vec<(&'a str, &'a str)>)>,
    pub config_maps: Vec<Object<'a>>,
}

impl<'a> Cluster<'a> {
    /// The objects of `roots`, each with its name before a kustomization renamed it (a `kind:
    /// List` contributes its items).
    pub fn build(roots: impl IntoIterator<Item = (&'a Node, Option<&'a str>)>) -> Cluster<'a> {
        let mut c = Cluster::default();
        let mut todo: Vec<(&'a Node, Option<&'a str>)> = roots.into_iter().collect();
        todo.reverse();
        while let Some((n, original)) = todo.pop() {
            if n.get("kind").and_then(Node::as_str) == Some("List") {
                todo.extend(n.get("items").map(|i| i.items()).unwrap_or_default().iter().rev().map(|i| (i, None)));
                continue;
            }
            let Some(mut obj) = Object::from(n) else { continue };
            obj.original = original;
            match obj.kind {
                "Deployment" | "StatefulSet" => c.workloads.extend(Workload::from(obj)),
                "Service" => c.services.extend(Service::from(obj)),
                "PodDisruptionBudget" => {
                    let sel = labels(obj.node.at(&["spec", "selector", "matchLabels"]));
                    c.pdbs.push((obj, sel));
                }
                "ConfigMap" => c.config_maps.push(obj),
                _ => {}
            }
        }
        c
    }
    /// The Services whose selector matches the workload's pod labels (same namespace).
    pub fn services_of(&self, w: &Workload<'a>) -> Vec<&Service<'a>> {
        self.services
            .iter()
            .filter(|s| s.obj.namespace == w.obj.namespace && selects(&s.selector, &w.pod_labels))
            .collect()
    }
    /// The workloads a Service selects.
    pub fn workloads_of(&self, s: &Service<'a>) -> Vec<&Workload<'a>> {
        self.workloads
            .iter()
            .filter(|w| s.obj.namespace == w.obj.namespace && selects(&s.selector, &w.pod_labels))
            .collect()
    }
    pub fn pdb_of(&self, w: &Workload<'a>) -> Option<&Object<'a>> {
        self.pdbs.iter().find(|(o, sel)| o.namespace == w.obj.namespace && selects(sel, &w.pod_labels)).map(|(o, _)| o)
    }
}
