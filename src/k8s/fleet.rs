//! The fleet view: per workload, the state of WebSocket affinity, graceful shutdown, probes, PDB,
//! hygiene and the code cross-checks, like the wiring matrix.
use super::model::Cluster;
use super::rules::{Column, Facts};

pub struct Row {
    pub name: String,
    pub namespace: String,
    /// The kustomization that rendered it, or empty.
    pub overlay: String,
    pub websocket: bool,
    pub code: Option<String>,
    /// (column, state) in `COLUMNS` order.
    pub states: Vec<(Column, String)>,
}

const COLUMNS: &[(Column, &str)] = &[
    (Column::Affinity, "affinity"),
    (Column::Shutdown, "shutdown"),
    (Column::Probes, "probes"),
    (Column::Pdb, "pdb"),
    (Column::Hygiene, "hygiene"),
    (Column::Code, "code"),
];

/// One row per workload of a cluster (states filled by [`apply_marks`]).
pub fn rows(cluster: &Cluster<'_>, facts: &[Facts], overlay: &str) -> Vec<Row> {
    cluster
        .workloads
        .iter()
        .zip(facts)
        .map(|(w, f)| Row {
            name: w.obj.name.to_string(),
            namespace: w.obj.namespace.to_string(),
            overlay: overlay.to_string(),
            websocket: f.websocket.is_some(),
            code: f.code.as_ref().map(|c| c.crate_name.clone()),
            states: Vec::new(),
        })
        .collect()
}

/// Fill the states. `marks`: (subject, column, reported) for every finding of the cluster;
/// `reported` is false when a suppression or a path ignore silenced it.
pub fn apply_marks(mut rows: Vec<Row>, marks: &[(String, Column, bool)]) -> Vec<Row> {
    let mut by_subject: std::collections::HashMap<(&str, Column), Vec<bool>> = std::collections::HashMap::new();
    for (s, c, reported) in marks {
        by_subject.entry((s.as_str(), *c)).or_default().push(*reported);
    }
    for r in &mut rows {
        r.states = COLUMNS
            .iter()
            .map(|(c, _)| {
                let mine: &[bool] = by_subject.get(&(r.name.as_str(), *c)).map_or(&[], Vec::as_slice);
                let not_applicable = match c {
                    Column::Affinity | Column::Pdb => !r.websocket,
                    Column::Code => r.code.is_none(),
                    _ => false,
                };
                let reported = mine.iter().filter(|x| **x).count();
                let state = if reported > 0 {
                    format!("missing ({reported})")
                } else if !mine.is_empty() {
                    format!("ignored ({})", mine.len())
                } else if not_applicable {
                    "n/a".to_string()
                } else {
                    "ok".to_string()
                };
                (*c, state)
            })
            .collect();
    }
    rows
}

impl Row {
    pub fn json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("service".into(), self.name.clone().into());
        m.insert("namespace".into(), self.namespace.clone().into());
        m.insert(
            "overlay".into(),
            if self.overlay.is_empty() { serde_json::Value::Null } else { self.overlay.clone().into() },
        );
        m.insert("websocket".into(), self.websocket.into());
        m.insert("crate".into(), self.code.clone().map_or(serde_json::Value::Null, Into::into));
        for ((_, state), (_, name)) in self.states.iter().zip(COLUMNS) {
            m.insert((*name).into(), state.clone().into());
        }
        serde_json::Value::Object(m)
    }
}

/// The human table.
pub fn table(rows: &[Row]) -> String {
    let mut header: Vec<String> = vec!["service".into(), "ws".into()];
    header.extend(COLUMNS.iter().map(|(_, n)| n.to_string()));
    let lines: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut name = format!("{}/{}", r.namespace, r.name);
            if !r.overlay.is_empty() {
                name = format!("{name} ({})", r.overlay);
            }
            let mut v = vec![name, if r.websocket { "yes" } else { "no" }.to_string()];
            v.extend(r.states.iter().map(|(_, s)| s.clone()));
            v
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| lines.iter().map(|l| l[i].chars().count()).chain([header[i].len()]).max().unwrap_or(0))
        .collect();
    let fmt = |cells: &[String]| {
        let s: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        format!("  {}\n", s.join("  ").trim_end())
    };
    let mut out = String::from("Kubernetes fleet:\n");
    out.push_str(&fmt(&header));
    for l in &lines {
        out.push_str(&fmt(l));
    }
    out
}
