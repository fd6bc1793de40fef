//! `K8S_KAFKA_BROKERS_ENV`: a service with a Kafka client gets its brokers from the Deployment.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["CODE"],
    default_severity: Severity::Error,
    summary: "A service whose code uses a Kafka client has the brokers variable it reads set in its Deployment",
    docs: r#"## What it does
When a workload's crate uses an rdkafka client (`StreamConsumer`, `BaseConsumer`, `FutureProducer`,
`BaseProducer`, `ThreadedProducer`) and reads an environment variable whose name has `KAFKA` and
`BROKER` in it (`env::var("KAFKA_BROKERS")`, `env_or("KAFKA_BROKERS", "localhost:9092")`), checks
that some container of the workload sets it: an `env` entry of that name, or an `envFrom` (whose
content nova cannot always see, so it is trusted). Reported at the first container.

## Why
Without it the service falls back to its default (`localhost:9092`) or fails at start: a consumer
that never joins its group, a producer whose events go nowhere, found in production.

## Example
Failing (the code reads `KAFKA_BROKERS`):
```yaml
env: [{name: RUST_LOG, value: info}]
```
Passing:
```yaml
env: [{name: KAFKA_BROKERS, value: "kafka:9092"}]
```

## Fix
Set the variable in the Deployment (or through an `envFrom` ConfigMap).
"#,
    ..RuleInfo::new("K8S_KAFKA_BROKERS_ENV", "k8s")
};

pub fn check(_cx: &Cx<'_>, w: &Workload<'_>, facts: &Facts, out: &mut Vec<Finding>) {
    let Some(code) = &facts.code else { return };
    let Some(uses) = &code.kafka else { return };
    for var in code.env_reads.iter().filter(|e| e.contains("KAFKA") && e.contains("BROKER")) {
        let set = w.containers.iter().any(|c| c.env_entry(var).is_some() || c.node.get("envFrom").is_some());
        if !set {
            let why = format!("crate `{}` reads for its Kafka client", code.crate_name);
            let help = format!("{uses}; add `{{name: {var}, value: \"kafka:9092\"}}` to the container's env");
            out.extend(super::unset_env(&RULE, w, var, &why, help));
        }
    }
}
