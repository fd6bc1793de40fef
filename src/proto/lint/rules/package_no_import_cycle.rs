//! `PACKAGE_NO_IMPORT_CYCLE`: Packages do not have import cycles.
use crate::diagnostics::Severity;
use crate::proto::lint::ctx::*;
use crate::rules::RuleInfo;
use std::collections::{BTreeMap, BTreeSet};

pub const RULE: RuleInfo = RuleInfo {
    categories: &["MINIMAL", "BASIC", "STANDARD"],
    default_severity: Severity::Error,
    default_enabled: true,
    summary: "Packages do not have import cycles.",
    docs: r#"## What it does
Builds the graph of imports between packages (files of `a.v1` importing files of `b.v1`) and flags each import that closes a cycle through the importing package.

## Why
Files can be acyclic while their packages are not; languages that compile per package (Go, for one) cannot build packages that import each other.

## Example
Failing:
```proto
// a/v1/a.proto
package a.v1;
import "b/v1/b.proto";
// b/v1/b.proto
package b.v1;
import "a/v1/a.proto"; // via another file of a.v1
```

Passing:
```proto
// a/v1/a.proto
package a.v1;
import "b/v1/b.proto";
// b/v1/b.proto
package b.v1;
```

## Fix
Move the shared types into a third package both can import, or merge the packages.
"#,
    unimplemented: None,
    ..RuleInfo::new("PACKAGE_NO_IMPORT_CYCLE", "proto")
};

/// package -> imported package -> the imports (file, dependency index) that create the edge
type Graph<'a> = BTreeMap<&'a str, BTreeMap<String, Vec<(usize, usize)>>>;

pub fn check(cx: &Cx, out: &mut Out) {
    // package -> imported package -> the imports (file, dependency index) that create the edge
    let mut graph: Graph<'_> = BTreeMap::new();
    for (i, f) in cx.files.iter().enumerate() {
        let pkg = f.package();
        for (j, dep) in f.fd.dependency.iter().enumerate() {
            let Some(df) = cx.pool.get_file_by_name(dep) else { continue };
            let dp = df.package_name();
            if dp != pkg {
                graph.entry(pkg).or_default().entry(dp.to_string()).or_default().push((i, j));
            }
        }
    }
    // Like buf: every import edge from a package into a package that leads back to it is a cycle,
    // reported at the imports that create the edge.
    for (&pkg, edges) in &graph {
        if pkg.is_empty() {
            continue;
        }
        for (next, imports) in edges {
            let mut stack = vec![pkg.to_string(), next.clone()];
            let mut seen = BTreeSet::new();
            seen.insert(next.clone());
            if find_cycle(&graph, pkg, &mut stack, &mut seen) {
                let msg = format!("Package import cycle: {}", stack.join(" -> "));
                for &(i, j) in imports {
                    out.add(i, vec![tag::FILE_DEPENDENCY, j as i32], msg.clone());
                }
            }
        }
    }
}

/// Depth-first search (imports in name order) for a path back to `start`; `stack` holds it.
fn find_cycle(graph: &Graph<'_>, start: &str, stack: &mut Vec<String>, seen: &mut BTreeSet<String>) -> bool {
    let Some(cur) = stack.last().cloned() else { return false };
    let Some(next) = graph.get(cur.as_str()) else { return false };
    for n in next.keys() {
        if n == start {
            stack.push(n.clone());
            return true;
        }
        if !seen.insert(n.clone()) {
            continue;
        }
        stack.push(n.clone());
        if find_cycle(graph, start, stack, seen) {
            return true;
        }
        stack.pop();
    }
    false
}
