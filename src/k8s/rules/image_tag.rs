//! `K8S_IMAGE_TAG`: images are pinned to a tag or digest other than `latest`.
use super::{Cx, Facts, Finding};
use crate::diagnostics::Severity;
use crate::k8s::model::Workload;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Error,
    summary: "Container images name a tag other than `latest`, or a digest",
    docs: r#"## What it does
Reports a container (or init container) whose `image` has no tag, or the tag `latest`, at the
`image` key. A digest (`@sha256:...`) is pinned. A port in the registry host
(`registry.local:5000/api`) is not a tag.

## Why
`latest` (and no tag, which means `latest`) changes under a running Deployment: two pods of one
ReplicaSet can run different code, and a rollback does not roll back.

## Example
Failing:
```yaml
image: registry.local/api:latest
```
Passing:
```yaml
image: registry.local/api:1.4.2
```

## Fix
Pin the image to the version the release built.
"#,
    ..RuleInfo::new("K8S_IMAGE_TAG", "k8s")
};

/// The tag of an image reference (`None`: untagged), or `Some("@digest")`.
pub fn tag(image: &str) -> Option<&str> {
    if let Some(at) = image.find('@') {
        return Some(&image[at..]);
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    last.split_once(':').map(|(_, t)| t)
}

pub fn check(_cx: &Cx<'_>, w: &Workload<'_>, _facts: &Facts, out: &mut Vec<Finding>) {
    let init = w.pod.and_then(|p| p.get("initContainers")).map(|n| n.items()).unwrap_or_default();
    let all = w.containers.iter().map(|c| c.node).chain(init.iter());
    for c in all {
        let Some((k, v)) = c.entry("image") else { continue };
        let Some(image) = v.as_str() else { continue };
        let name = c.get("name").and_then(|n| n.as_str()).unwrap_or("?");
        let problem = match tag(image) {
            None => "has no tag (it means `latest`)",
            Some("latest") => "uses the `latest` tag",
            Some(_) => continue,
        };
        out.push(
            Finding::new(&RULE, k.pos, w.obj.name, format!("image `{image}` of container `{name}` {problem}"))
                .help("pin the image to a version tag or a digest"),
        );
    }
}
