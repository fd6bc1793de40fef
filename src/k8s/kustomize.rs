//! Kustomize, rendered by nova itself on the located tree, so a finding points at the file and
//! line that set the value: the base's line, or the patch's, or the kustomization's entry
//! (`images`, `replicas`, `namePrefix`, ...).
//!
//! Supported: `resources` (files and directories; `bases` too), `patches` (a file or an inline
//! patch, strategic merge or JSON 6902, with a `target` by kind / name / namespace),
//! `patchesStrategicMerge`, `patchesJson6902`, `namePrefix`, `nameSuffix`, `namespace`, `images`,
//! `replicas`, `labels`, `commonLabels`. Strategic merge merges `containers`, `initContainers`,
//! `env`, `volumes` by `name`, `ports` by `containerPort`, `volumeMounts` by `mountPath`; other
//! lists are replaced; `null` deletes a key. Any other field, a remote resource, or a patch
//! selector nova does not implement is an input error at its line, not a silent skip.
use super::input::{InputError, KUSTOMIZATION_FILES, Loaded};
use super::yaml::{Document, Node, Pos, Value};
use std::path::{Path, PathBuf};

const SUPPORTED: &[&str] = &[
    "apiVersion",
    "kind",
    "resources",
    "bases",
    "patches",
    "patchesStrategicMerge",
    "patchesJson6902",
    "namePrefix",
    "nameSuffix",
    "namespace",
    "images",
    "replicas",
    "labels",
    "commonLabels",
];

/// How deep kustomizations may include each other (a cycle is reported before that).
const MAX_LEVELS: usize = 32;

fn kustomization_file(dir: &Path) -> Option<PathBuf> {
    KUSTOMIZATION_FILES.iter().map(|k| dir.join(k)).find(|p| p.is_file())
}

/// The kustomization directories `dir`'s kustomization uses as resources.
pub fn referenced_dirs(dir: &Path) -> Vec<PathBuf> {
    let Some(file) = kustomization_file(dir) else { return Vec::new() };
    let Ok(text) = std::fs::read_to_string(&file) else { return Vec::new() };
    let Ok(docs) = super::yaml::parse(&text, 0) else { return Vec::new() };
    let Some(doc) = docs.first() else { return Vec::new() };
    ["resources", "bases"]
        .iter()
        .flat_map(|k| doc.root.get(k).map(|n| n.items()).unwrap_or_default())
        .filter_map(|n| n.as_str())
        .map(|r| normalize(&dir.join(r)))
        .filter(|p| kustomization_file(p).is_some())
        .collect()
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir if out.file_name().is_some() => {
                out.pop();
            }
            c => out.push(c.as_os_str()),
        }
    }
    out
}

/// Render the kustomization in `dir` into `loaded` (documents tagged with the overlay; errors).
pub fn render_into(dir: &Path, loaded: &mut Loaded) {
    let mut stack = Vec::new();
    match render(dir, loaded, &mut stack) {
        Ok(objects) => {
            let origin = dir.to_path_buf();
            loaded.docs.extend(objects.into_iter().map(|o| {
                let renamed = o.name() != o.original_name;
                let original_name = renamed.then(|| o.original_name.clone());
                Document { root: o.node, origin: Some(origin.clone()), original_name }
            }));
        }
        Err(e) => loaded.errors.push(e),
    }
}

/// An object being rendered, with the name it had in its own file (patches may name either).
struct Obj {
    node: Node,
    original_name: String,
}

impl Obj {
    fn kind(&self) -> &str {
        self.node.get("kind").and_then(Node::as_str).unwrap_or("")
    }
    fn name(&self) -> &str {
        self.node.at(&["metadata", "name"]).and_then(Node::as_str).unwrap_or("")
    }
    fn namespace(&self) -> Option<&str> {
        self.node.at(&["metadata", "namespace"]).and_then(Node::as_str)
    }
    fn is(&self, kind: &str, name: &str) -> bool {
        self.kind() == kind && (self.name() == name || self.original_name == name)
    }
}

fn err(code: &'static str, pos: Pos, msg: impl Into<String>) -> InputError {
    InputError::at(code, msg, pos.file, pos.line, pos.col)
}

fn render(dir: &Path, loaded: &mut Loaded, stack: &mut Vec<PathBuf>) -> Result<Vec<Obj>, InputError> {
    let dir = normalize(dir);
    let file = kustomization_file(&dir).ok_or_else(|| InputError {
        code: "KUSTOMIZE_UNSUPPORTED",
        message: format!("{} has no kustomization.yaml", dir.display()),
        file: None,
        line: 1,
        col: 1,
        help: None,
    })?;
    let id = loaded.read(&file)?;
    if stack.contains(&dir) || stack.len() > MAX_LEVELS {
        let chain: Vec<String> = stack.iter().map(|d| d.display().to_string()).collect();
        return Err(InputError::at(
            "KUSTOMIZE_UNSUPPORTED",
            format!(
                "{}: kustomizations include each other in a cycle (or more than {MAX_LEVELS} deep): {}",
                file.display(),
                chain.join(" -> ")
            ),
            id,
            1,
            1,
        ));
    }
    stack.push(dir.clone());
    let docs = loaded.parse(id)?;
    let Some(k) = docs.into_iter().next().map(|d| d.root) else {
        stack.pop();
        return Ok(Vec::new());
    };
    for (key, _) in k.pairs() {
        let name = key.as_str().unwrap_or("");
        if !SUPPORTED.contains(&name) {
            return Err(err(
                "KUSTOMIZE_UNSUPPORTED",
                key.pos,
                format!("kustomize field `{name}` is not supported by nova"),
            )
            .help(format!(
                "nova renders {}; render with `kustomize build | nova k8s check -` instead",
                SUPPORTED[2..].join(", ")
            )));
        }
    }
    let mut objects: Vec<Obj> = Vec::new();
    for r in ["resources", "bases"].iter().flat_map(|key| k.get(key).map(|n| n.items()).unwrap_or_default()) {
        let Some(rel) = r.as_str() else { continue };
        if rel.contains("://") || rel.starts_with("github.com/") {
            return Err(err(
                "KUSTOMIZE_UNSUPPORTED",
                r.pos,
                format!("remote resource `{rel}` is not supported by nova"),
            ));
        }
        let path = dir.join(rel);
        if path.is_dir() {
            objects.extend(render(&path, loaded, stack)?);
        } else if path.is_file() {
            let rid = loaded.read(&path)?;
            for d in loaded.parse(rid)? {
                let original_name = d.root.at(&["metadata", "name"]).and_then(Node::as_str).unwrap_or("").to_string();
                objects.push(Obj { node: d.root, original_name });
            }
        } else {
            return Err(err("KUSTOMIZE_UNSUPPORTED", r.pos, format!("resource `{rel}` does not exist")));
        }
    }
    // Patches, in kustomize's order: strategic merge files, then `patches`, then JSON 6902.
    for p in k.get("patchesStrategicMerge").map(|n| n.items()).unwrap_or_default() {
        for patch in patch_docs(&dir, p, loaded)? {
            smp_apply(&mut objects, &patch, None)?;
        }
    }
    for p in k.get("patches").map(|n| n.items()).unwrap_or_default() {
        let target = p.get("target");
        let body = p
            .get("path")
            .or_else(|| p.get("patch"))
            .ok_or_else(|| err("KUSTOMIZE_UNSUPPORTED", p.pos, "a patch needs `path` or `patch`"))?;
        for patch in patch_docs(&dir, body, loaded)? {
            if matches!(patch.value, Value::Seq(_)) {
                let t =
                    target.ok_or_else(|| err("KUSTOMIZE_UNSUPPORTED", p.pos, "a JSON 6902 patch needs a `target`"))?;
                json6902_apply(&mut objects, t, &patch)?;
            } else {
                smp_apply(&mut objects, &patch, target)?;
            }
        }
    }
    for p in k.get("patchesJson6902").map(|n| n.items()).unwrap_or_default() {
        let t =
            p.get("target").ok_or_else(|| err("KUSTOMIZE_UNSUPPORTED", p.pos, "a JSON 6902 patch needs a `target`"))?;
        let body = p
            .get("path")
            .or_else(|| p.get("patch"))
            .ok_or_else(|| err("KUSTOMIZE_UNSUPPORTED", p.pos, "a patch needs `path` or `patch`"))?;
        for patch in patch_docs(&dir, body, loaded)? {
            json6902_apply(&mut objects, t, &patch)?;
        }
    }
    transformers(&k, &mut objects)?;
    stack.pop();
    Ok(objects)
}

/// A patch's documents: the file `path` names (relative to the kustomization), or an inline text.
fn patch_docs(dir: &Path, n: &Node, loaded: &mut Loaded) -> Result<Vec<Node>, InputError> {
    let Some(text) = n.as_str() else {
        return Ok(if n.is_map() { vec![n.clone()] } else { Vec::new() });
    };
    if text.contains('\n') {
        // An inline patch: its nodes are placed at the kustomization's line of the patch text.
        let docs = super::yaml::parse(text, n.pos.file)
            .map_err(|e| err(e.code, n.pos, format!("inline patch: {}", e.message)))?;
        // The block scalar's content starts on its marker's line, indented like that line.
        let text = &loaded.files[n.pos.file as usize].text;
        let first = text.lines().nth(n.pos.line.saturating_sub(1) as usize).unwrap_or("");
        let indent = (first.len() - first.trim_start().len()) as u32;
        return Ok(docs.into_iter().map(|d| shift(d.root, n.pos.line - 1, indent)).collect());
    }
    let path = dir.join(text);
    if !path.is_file() {
        return Err(err("KUSTOMIZE_UNSUPPORTED", n.pos, format!("patch `{text}` does not exist")));
    }
    let id = loaded.read(&path)?;
    Ok(loaded.parse(id)?.into_iter().map(|d| d.root).collect())
}

/// An inline patch's nodes, moved to the lines and columns of the block scalar that holds it.
fn shift(mut n: Node, lines: u32, cols: u32) -> Node {
    let mut todo: Vec<&mut Node> = vec![&mut n];
    while let Some(x) = todo.pop() {
        x.pos.line += lines;
        x.pos.col += cols;
        match &mut x.value {
            Value::Seq(v) => todo.extend(v.iter_mut()),
            Value::Map(m) => {
                for (k, v) in m.iter_mut() {
                    k.pos.line += lines;
                    k.pos.col += cols;
                    todo.push(v);
                }
            }
            Value::Scalar { .. } => {}
        }
    }
    n
}

fn target_matches(o: &Obj, t: &Node) -> Result<bool, InputError> {
    for (k, v) in t.pairs() {
        let key = k.as_str().unwrap_or("");
        let want = v.as_str().unwrap_or("");
        let ok = match key {
            "kind" => o.kind() == want,
            "name" => o.name() == want || o.original_name == want,
            "namespace" => o.namespace().unwrap_or("default") == want,
            "group" | "version" => {
                let api = o.node.get("apiVersion").and_then(Node::as_str).unwrap_or("");
                let (g, ver) = api.rsplit_once('/').unwrap_or(("", api));
                if key == "group" { g == want } else { ver == want }
            }
            _ => {
                return Err(err(
                    "KUSTOMIZE_UNSUPPORTED",
                    k.pos,
                    format!("patch target selector `{key}` is not supported by nova"),
                )
                .help("select the target by kind, name, namespace, group and version"));
            }
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

fn smp_apply(objects: &mut [Obj], patch: &Node, target: Option<&Node>) -> Result<(), InputError> {
    let kind = patch.get("kind").and_then(Node::as_str);
    let name = patch.at(&["metadata", "name"]).and_then(Node::as_str);
    let mut hit = false;
    for o in objects.iter_mut() {
        let selected = match target {
            Some(t) => target_matches(o, t)?,
            None => matches!((kind, name), (Some(k), Some(n)) if o.is(k, n)),
        };
        if selected {
            hit = true;
            let mut patch = patch.clone();
            // The name of the patch is not a new value (a target may select other names).
            if let Value::Map(m) = &mut patch.value {
                m.retain(|(k, _)| !matches!(k.as_str(), Some("apiVersion" | "kind")));
            }
            if let Some(meta) = patch_map_mut(&mut patch, "metadata") {
                meta.retain(|(k, _)| !matches!(k.as_str(), Some("name" | "namespace")));
            }
            merge(&mut o.node, patch);
        }
    }
    if !hit {
        let what = format!("{}/{}", kind.unwrap_or("?"), name.unwrap_or("?"));
        return Err(err("KUSTOMIZE_UNSUPPORTED", patch.pos, format!("patch for {what} matches no resource"))
            .help("kustomize fails on such a patch too; name an object of the resources"));
    }
    Ok(())
}

fn patch_map_mut<'a>(n: &'a mut Node, key: &str) -> Option<&'a mut Vec<(Node, Node)>> {
    match &mut n.value {
        Value::Map(m) => m.iter_mut().find(|(k, _)| k.as_str() == Some(key)).and_then(|(_, v)| match &mut v.value {
            Value::Map(m) => Some(m),
            _ => None,
        }),
        _ => None,
    }
}

/// The key a list's items merge on in a strategic merge patch.
fn merge_key(list: &str) -> Option<&'static str> {
    match list {
        "containers" | "initContainers" | "env" | "volumes" | "imagePullSecrets" => Some("name"),
        "ports" => Some("containerPort"),
        "volumeMounts" => Some("mountPath"),
        _ => None,
    }
}

fn is_null(n: &Node) -> bool {
    matches!(&n.value, Value::Scalar { text, plain: true } if matches!(text.as_str(), "null" | "~" | ""))
}

/// Strategic merge of `patch` into `base`. Recursion is bounded: both trees are at most
/// `yaml::MAX_DEPTH` deep.
fn merge(base: &mut Node, patch: Node) {
    let Value::Map(pm) = patch.value else {
        *base = patch;
        return;
    };
    let Value::Map(bm) = &mut base.value else {
        *base = Node { value: Value::Map(pm), pos: patch.pos };
        return;
    };
    for (pk, pv) in pm {
        let key = pk.as_str().unwrap_or("").to_string();
        if is_null(&pv) {
            bm.retain(|(k, _)| k.as_str() != Some(&key));
            continue;
        }
        let Some(i) = bm.iter().position(|(k, _)| k.as_str() == Some(&key)) else {
            bm.push((pk, pv));
            continue;
        };
        match (&mut bm[i].1.value, merge_key(&key)) {
            (Value::Map(_), _) if pv.is_map() => merge(&mut bm[i].1, pv),
            (Value::Seq(items), Some(mk)) if matches!(pv.value, Value::Seq(_)) => {
                let Value::Seq(pitems) = pv.value else { continue };
                for pi in pitems {
                    let id = pi.get(mk).and_then(Node::as_str).map(str::to_string);
                    match id.and_then(|id| items.iter().position(|x| x.get(mk).and_then(Node::as_str) == Some(&id))) {
                        Some(j) => merge(&mut items[j], pi),
                        None => items.push(pi),
                    }
                }
            }
            _ => bm[i] = (pk, pv),
        }
    }
}

fn json6902_apply(objects: &mut [Obj], target: &Node, ops: &Node) -> Result<(), InputError> {
    let mut hit = false;
    for o in objects.iter_mut() {
        if !target_matches(o, target)? {
            continue;
        }
        hit = true;
        for op in ops.items() {
            let what = op.get("op").and_then(Node::as_str).unwrap_or("");
            let path = op.get("path").and_then(Node::as_str).unwrap_or("");
            let at = op.get("path").map_or(op.pos, |n| n.pos);
            let segs: Vec<String> = path.split('/').skip(1).map(|s| s.replace("~1", "/").replace("~0", "~")).collect();
            let value = op.get("value").cloned();
            let bad = |m: String| err("KUSTOMIZE_UNSUPPORTED", at, m);
            match what {
                "add" | "replace" => {
                    let v = value.ok_or_else(|| bad(format!("`{what}` at `{path}` has no value")))?;
                    let key_pos = op.get("op").map_or(op.pos, |n| n.pos);
                    pointer_set(&mut o.node, &segs, v, what == "add", key_pos)
                        .map_err(|m| bad(format!("`{what}` at `{path}`: {m}")))?;
                }
                "remove" => {
                    pointer_remove(&mut o.node, &segs).map_err(|m| bad(format!("`remove` at `{path}`: {m}")))?
                }
                _ => {
                    return Err(err(
                        "KUSTOMIZE_UNSUPPORTED",
                        op.pos,
                        format!("JSON 6902 op `{what}` is not supported by nova"),
                    )
                    .help("nova applies add, replace and remove"));
                }
            }
        }
    }
    if !hit {
        return Err(err("KUSTOMIZE_UNSUPPORTED", target.pos, "the patch target matches no resource"));
    }
    Ok(())
}

fn pointer_parent<'a>(mut n: &'a mut Node, segs: &[String]) -> Result<&'a mut Node, String> {
    for s in segs {
        n = match &mut n.value {
            Value::Map(m) => {
                m.iter_mut().find(|(k, _)| k.as_str() == Some(s.as_str())).map(|(_, v)| v).ok_or(format!("no `{s}`"))?
            }
            Value::Seq(v) => {
                let i: usize = s.parse().map_err(|_| format!("`{s}` is not an index"))?;
                v.get_mut(i).ok_or(format!("index {i} is out of range"))?
            }
            Value::Scalar { .. } => return Err(format!("`{s}` is below a scalar")),
        };
    }
    Ok(n)
}

fn pointer_set(root: &mut Node, segs: &[String], v: Node, add: bool, key_pos: Pos) -> Result<(), String> {
    let (last, parent) = segs.split_last().ok_or("an empty path")?;
    let p = pointer_parent(root, parent)?;
    match &mut p.value {
        Value::Map(m) => match m.iter_mut().find(|(k, _)| k.as_str() == Some(last.as_str())) {
            Some(entry) => *entry = (Node::scalar(last.clone(), v.pos), v),
            None if add => m.push((Node::scalar(last.clone(), key_pos), v)),
            None => return Err(format!("no `{last}` to replace")),
        },
        Value::Seq(items) => {
            if last == "-" && add {
                items.push(v);
            } else {
                let i: usize = last.parse().map_err(|_| format!("`{last}` is not an index"))?;
                match (add, i <= items.len(), i < items.len()) {
                    (true, true, _) => items.insert(i, v),
                    (false, _, true) => items[i] = v,
                    _ => return Err(format!("index {i} is out of range")),
                }
            }
        }
        Value::Scalar { .. } => return Err("the parent is a scalar".into()),
    }
    Ok(())
}

fn pointer_remove(root: &mut Node, segs: &[String]) -> Result<(), String> {
    let (last, parent) = segs.split_last().ok_or("an empty path")?;
    let p = pointer_parent(root, parent)?;
    match &mut p.value {
        Value::Map(m) => {
            let before = m.len();
            m.retain(|(k, _)| k.as_str() != Some(last.as_str()));
            if m.len() == before {
                return Err(format!("no `{last}`"));
            }
        }
        Value::Seq(items) => {
            let i: usize = last.parse().map_err(|_| format!("`{last}` is not an index"))?;
            if i >= items.len() {
                return Err(format!("index {i} is out of range"));
            }
            items.remove(i);
        }
        Value::Scalar { .. } => return Err("the parent is a scalar".into()),
    }
    Ok(())
}

/// Set `path` (mapping keys, created as needed) to `value`, the key placed at `pos`.
fn set_at(n: &mut Node, path: &[&str], value: Node, pos: Pos) {
    let mut cur = n;
    for (i, key) in path.iter().enumerate() {
        if !cur.is_map() {
            cur.value = Value::Map(Vec::new());
        }
        let Value::Map(m) = &mut cur.value else { return };
        let idx = match m.iter().position(|(k, _)| k.as_str() == Some(key)) {
            Some(j) => j,
            None => {
                m.push((Node::scalar(*key, pos), Node { value: Value::Map(Vec::new()), pos }));
                m.len() - 1
            }
        };
        if i + 1 == path.len() {
            m[idx] = (Node::scalar(*key, pos), value);
            return;
        }
        cur = &mut m[idx].1;
    }
}

fn transformers(k: &Node, objects: &mut [Obj]) -> Result<(), InputError> {
    let prefix = k.get("namePrefix");
    let suffix = k.get("nameSuffix");
    if prefix.is_some() || suffix.is_some() {
        let (p, s) = (prefix.and_then(Node::as_str).unwrap_or(""), suffix.and_then(Node::as_str).unwrap_or(""));
        let pos = prefix.or(suffix).map(|n| n.pos).unwrap_or(k.pos);
        let renamed_cms: Vec<String> =
            objects.iter().filter(|o| o.kind() == "ConfigMap").map(|o| o.name().to_string()).collect();
        for o in objects.iter_mut() {
            let new = format!("{p}{}{s}", o.name());
            let key_pos = o.node.at(&["metadata", "name"]).map_or(pos, |n| n.pos);
            set_at(&mut o.node, &["metadata", "name"], Node::scalar(new, pos), key_pos);
            rename_config_map_refs(&mut o.node, &renamed_cms, p, s);
        }
    }
    if let Some(ns) = k.get("namespace") {
        for o in objects.iter_mut() {
            set_at(&mut o.node, &["metadata", "namespace"], ns.clone(), ns.pos);
        }
    }
    for img in k.get("images").map(|n| n.items()).unwrap_or_default() {
        let Some(name) = img.get("name").and_then(Node::as_str) else { continue };
        for o in objects.iter_mut() {
            for c in containers_mut(&mut o.node) {
                let Some(Value::Scalar { text, .. }) = c.get("image").map(|n| &n.value) else { continue };
                let (base, tag) = split_image(text);
                if base != name {
                    continue;
                }
                let new_name = img.get("newName").and_then(Node::as_str).unwrap_or(base).to_string();
                let (image, at) = match (img.get("digest"), img.get("newTag")) {
                    (Some(d), _) => (format!("{new_name}@{}", d.as_str().unwrap_or("")), d.pos),
                    (None, Some(t)) => (format!("{new_name}:{}", t.as_str().unwrap_or("")), t.pos),
                    (None, None) => (format!("{new_name}{tag}"), img.get("newName").map_or(img.pos, |n| n.pos)),
                };
                set_at(c, &["image"], Node { value: Value::Scalar { text: image, plain: true }, pos: at }, at);
            }
        }
    }
    for r in k.get("replicas").map(|n| n.items()).unwrap_or_default() {
        let (Some(name), Some(count)) = (r.get("name").and_then(Node::as_str), r.get("count")) else {
            return Err(err("KUSTOMIZE_UNSUPPORTED", r.pos, "a `replicas` entry needs `name` and `count`"));
        };
        for o in objects.iter_mut().filter(|o| {
            matches!(o.kind(), "Deployment" | "StatefulSet") && (o.name() == name || o.original_name == name)
        }) {
            set_at(&mut o.node, &["spec", "replicas"], count.clone(), count.pos);
        }
    }
    if let Some(common) = k.get("commonLabels") {
        add_labels(objects, common, true, true);
    }
    for l in k.get("labels").map(|n| n.items()).unwrap_or_default() {
        let Some(pairs) = l.get("pairs") else { continue };
        let sel = l.get("includeSelectors").and_then(Node::as_str) == Some("true");
        let tpl = sel || l.get("includeTemplates").and_then(Node::as_str) == Some("true");
        add_labels(objects, pairs, sel, tpl);
    }
    Ok(())
}

fn add_labels(objects: &mut [Obj], pairs: &Node, selectors: bool, templates: bool) {
    for o in objects.iter_mut() {
        let kind = o.kind().to_string();
        let mut paths: Vec<&[&str]> = vec![&["metadata", "labels"]];
        let workload = matches!(kind.as_str(), "Deployment" | "StatefulSet" | "DaemonSet");
        if templates && workload {
            paths.push(&["spec", "template", "metadata", "labels"]);
        }
        if selectors {
            match kind.as_str() {
                "Service" => paths.push(&["spec", "selector"]),
                "PodDisruptionBudget" => paths.push(&["spec", "selector", "matchLabels"]),
                _ if workload => paths.push(&["spec", "selector", "matchLabels"]),
                _ => {}
            }
        }
        for path in paths {
            for (k, v) in pairs.pairs() {
                let Some(key) = k.as_str() else { continue };
                let mut full: Vec<&str> = path.to_vec();
                full.push(key);
                set_at(&mut o.node, &full, v.clone(), k.pos);
            }
        }
    }
}

/// `(name, ":tag" or "@digest" or "")` of an image reference.
fn split_image(image: &str) -> (&str, &str) {
    if let Some(at) = image.find('@') {
        return (&image[..at], &image[at..]);
    }
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[slash..].find(':') {
        Some(c) => (&image[..slash + c], &image[slash + c..]),
        None => (image, ""),
    }
}

fn containers_mut(n: &mut Node) -> Vec<&mut Node> {
    let mut out = Vec::new();
    let Some(spec) =
        map_get_mut(n, "spec").and_then(|s| map_get_mut(s, "template")).and_then(|t| map_get_mut(t, "spec"))
    else {
        return out;
    };
    let Value::Map(m) = &mut spec.value else { return out };
    for (k, v) in m.iter_mut() {
        if matches!(k.as_str(), Some("containers" | "initContainers"))
            && let Value::Seq(items) = &mut v.value
        {
            out.extend(items.iter_mut());
        }
    }
    out
}

fn map_get_mut<'a>(n: &'a mut Node, key: &str) -> Option<&'a mut Node> {
    match &mut n.value {
        Value::Map(m) => m.iter_mut().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v),
        _ => None,
    }
}

/// Point `configMapRef` / `configMapKeyRef` names at the renamed ConfigMaps.
fn rename_config_map_refs(n: &mut Node, renamed: &[String], prefix: &str, suffix: &str) {
    let mut todo: Vec<&mut Node> = vec![n];
    while let Some(x) = todo.pop() {
        match &mut x.value {
            Value::Seq(v) => todo.extend(v.iter_mut()),
            Value::Map(m) => {
                for (k, v) in m.iter_mut() {
                    if matches!(k.as_str(), Some("configMapRef" | "configMapKeyRef"))
                        && let Some(name) = map_get_mut(v, "name")
                        && let Value::Scalar { text, .. } = &mut name.value
                        && renamed.contains(text)
                    {
                        *text = format!("{prefix}{text}{suffix}");
                    }
                    todo.push(v);
                }
            }
            Value::Scalar { .. } => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_dir(files: &[(&str, &str)]) -> (Loaded, tempfile::TempDir) {
        let d = tempfile::tempdir().unwrap();
        for (p, t) in files {
            let p = d.path().join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        }
        let mut loaded = Loaded::default();
        render_into(d.path(), &mut loaded);
        (loaded, d)
    }

    const DEPLOY: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  selector:\n    matchLabels: {app: a}\n  template:\n    metadata:\n      labels: {app: a}\n    spec:\n      containers:\n        - name: a\n          image: r/a:1\n";

    #[test]
    fn labels_reach_metadata_templates_and_selectors_as_asked() {
        let k = "resources: [d.yaml]\ncommonLabels: {team: x}\nlabels:\n  - pairs: {env: dev}\n    includeTemplates: true\n";
        let (loaded, _d) = render_dir(&[("kustomization.yaml", k), ("d.yaml", DEPLOY)]);
        assert!(loaded.errors.is_empty(), "{:?}", loaded.errors);
        let n = &loaded.docs[0].root;
        let get = |path: &[&str]| n.at(path).and_then(Node::as_str).map(str::to_string);
        assert_eq!(get(&["metadata", "labels", "team"]).as_deref(), Some("x"));
        assert_eq!(get(&["spec", "selector", "matchLabels", "team"]).as_deref(), Some("x"));
        assert_eq!(get(&["spec", "template", "metadata", "labels", "env"]).as_deref(), Some("dev"));
        assert_eq!(get(&["spec", "selector", "matchLabels", "env"]), None, "no includeSelectors");
        // The label's value points at the kustomization that set it.
        let team = n.at(&["spec", "template", "metadata", "labels", "team"]).unwrap();
        assert_eq!(
            (team.pos.line, loaded.files[team.pos.file as usize].path.ends_with("kustomization.yaml")),
            (2, true)
        );
    }

    #[test]
    fn images_digest_and_new_name() {
        let k = "resources: [d.yaml]\nimages:\n  - name: r/a\n    newName: reg/b\n    digest: sha256:00\n";
        let (loaded, _d) = render_dir(&[("kustomization.yaml", k), ("d.yaml", DEPLOY)]);
        let c = &loaded.docs[0].root.at(&["spec", "template", "spec", "containers"]).unwrap().items()[0];
        assert_eq!(c.get("image").and_then(Node::as_str), Some("reg/b@sha256:00"));
    }

    #[test]
    fn a_patch_matching_nothing_and_a_missing_resource_are_errors() {
        let k = "resources: [d.yaml]\npatchesStrategicMerge:\n  - p.yaml\n";
        let p = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: zzz}\nspec: {replicas: 2}\n";
        let (loaded, _d) = render_dir(&[("kustomization.yaml", k), ("d.yaml", DEPLOY), ("p.yaml", p)]);
        assert_eq!(loaded.errors.len(), 1);
        assert!(loaded.errors[0].message.contains("matches no resource"), "{:?}", loaded.errors);
        let (loaded, _d) = render_dir(&[("kustomization.yaml", "resources: [nope.yaml]\n")]);
        assert_eq!((loaded.errors[0].code, loaded.errors[0].line), ("KUSTOMIZE_UNSUPPORTED", 1));
    }
}
