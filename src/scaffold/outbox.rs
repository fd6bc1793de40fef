//! `nova gen outbox`: the canonical `outbox_events` migration, a publisher and a transactional
//! write helper for one service.
use super::GenOutboxArgs;
use super::names::ServiceNames;
use super::new::{Features, Project, service_context};
use super::plan::Plan;
use crate::context::Ctx;
use crate::error::NovaError;
use heck::ToPascalCase;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// A migration that creates the outbox table, however it is spelled.
static CREATES_OUTBOX: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r#"(?is)\bcreate\s+table\s+(?:if\s+not\s+exists\s+)?(?:"?public"?\s*\.\s*)?"?outbox_events"?\s*\("#,
    )
    .expect("static regex")
});

/// Add the outbox module files (`src/outbox/{mod,writer,publisher,<aggregate>}.rs`) to a plan.
pub fn add_module(
    project: &Project,
    plan: &mut Plan,
    service_dir: &Path,
    c: &serde_json::Value,
) -> Result<(), NovaError> {
    let dir = service_dir.join("src/outbox");
    let publisher = c["publisher"].as_bool() == Some(true);
    let aggregate = c["aggregate_snake"].as_str().unwrap_or("aggregate");
    let mut lines =
        vec!["pub(crate) mod test_db;".to_string(), "pub mod writer;".to_string(), format!("pub mod {aggregate};")];
    if publisher {
        lines.insert(0, "pub mod publisher;".to_string());
        lines.insert(1, "mod publisher_tests;".to_string());
    }
    ensure_mod_lines(plan, &dir.join("mod.rs"), &lines, || project.render("outbox/mod.rs.j2", c))?;
    plan.file(&dir.join("writer.rs"), project.render("outbox/writer.rs.j2", c)?)?;
    plan.file(&dir.join("test_db.rs"), project.render("outbox/test_db.rs.j2", c)?)?;
    plan.file(&dir.join(format!("{aggregate}.rs")), project.render("outbox/aggregate.rs.j2", c)?)?;
    if publisher {
        plan.file(&dir.join("publisher.rs"), project.render("outbox/publisher.rs.j2", c)?)?;
        plan.file(&dir.join("publisher_tests.rs"), project.render("outbox/publisher_tests.rs.j2", c)?)?;
    }
    Ok(())
}

/// A `mod.rs` that must declare `lines`: rendered fresh when missing, otherwise the missing
/// declarations are appended (an intended edit, shown as `update`), never rewritten.
pub fn ensure_mod_lines(
    plan: &mut Plan,
    path: &Path,
    lines: &[String],
    fresh: impl FnOnce() -> Result<String, NovaError>,
) -> Result<(), NovaError> {
    if !path.is_file() {
        return plan.file(path, fresh()?);
    }
    let old = crate::fsutil::read_text(path)?;
    let missing: Vec<&String> = lines.iter().filter(|l| !old.lines().any(|o| o.trim() == l.as_str())).collect();
    let mut new = old.clone();
    if !missing.is_empty() && !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    for l in &missing {
        new.push_str(l);
        new.push('\n');
    }
    let note = if missing.is_empty() {
        "declares every module already".to_string()
    } else {
        format!("add {}", missing.iter().map(|l| format!("`{l}`")).collect::<Vec<_>>().join(", "))
    };
    plan.update(path, old, new, &note)
}

/// Which features an existing service has, read from its manifest's dependencies.
pub fn detect_features(service_dir: &Path) -> Result<Features, NovaError> {
    let manifest = service_dir.join("Cargo.toml");
    let text = crate::fsutil::read_text(&manifest)?;
    let doc = super::workspace::parse_manifest(&manifest, &text)?;
    let has = |dep: &str| doc.get("dependencies").and_then(|d| d.get(dep)).is_some();
    let k8s = std::fs::read_to_string(service_dir.join("k8s/service.yaml")).unwrap_or_default();
    Ok(Features {
        http: has("actix-web"),
        grpc: has("tonic"),
        kafka: has("rdkafka"),
        db: has("sqlx"),
        websocket: k8s.contains("sessionAffinity: ClientIP"),
    })
}

/// Top-level `*.sql` files of a migrations directory with their integer version, sorted.
fn migrations(dir: &Path) -> Result<Vec<(u64, usize, PathBuf)>, NovaError> {
    let mut out = Vec::new();
    let Ok(rd) = std::fs::read_dir(dir) else { return Ok(out) };
    for e in rd.flatten() {
        let p = e.path();
        if p.extension().is_none_or(|x| x != "sql") || !p.is_file() {
            continue;
        }
        let name = e.file_name().to_string_lossy().into_owned();
        let prefix = name.split('_').next().unwrap_or("");
        if let Ok(v) = prefix.parse::<u64>() {
            out.push((v, prefix.len(), p));
        }
    }
    out.sort();
    Ok(out)
}

/// The aggregate type name (PascalCase) from `--aggregate`.
fn aggregate_name(raw: &str) -> Result<String, NovaError> {
    let ok = raw.starts_with(|c: char| c.is_ascii_alphabetic())
        && raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && raw.len() <= 64;
    if !ok {
        return Err(NovaError::new(format!("invalid aggregate name `{raw}`"))
            .with_help("use a type name such as `Order` or `order-line`"));
    }
    Ok(raw.to_pascal_case())
}

pub fn plan_outbox(ctx: &Ctx, args: &GenOutboxArgs) -> Result<Plan, NovaError> {
    let project = Project::load(ctx)?;
    let service_dir = project.ws.find_service(&args.service)?;
    let dir_name = service_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    super::names::validate("service", &dir_name)?;
    let n = ServiceNames::new(&dir_name);
    let aggregate = match &args.aggregate {
        Some(a) => aggregate_name(a)?,
        None => format!("{}Record", n.domain_pascal),
    };
    let features = detect_features(&service_dir)?;
    let mut c = service_context(&n, features, &aggregate);
    c["publisher"] = json!(true);
    let mut plan = project.plan();

    let mig_dir = service_dir.join("migrations");
    let rendered = project.render("outbox/migration.sql.j2", &c)?;
    let existing = migrations(&mig_dir)?;
    let mut found = None;
    for (_, _, p) in &existing {
        let text = crate::fsutil::read_text(p)?;
        if CREATES_OUTBOX.is_match(&text) {
            found = Some((p.clone(), text));
            break;
        }
    }
    match found {
        // Judged by content: a second CREATE TABLE outbox_events would fail at deploy time.
        Some((p, text)) if text == rendered => plan.file(&p, rendered)?,
        Some((p, _)) => plan.exists(&p, "already creates outbox_events; no new migration".to_string()),
        None => {
            let (next, width) = existing.last().map(|(v, w, _)| (v + 1, *w)).unwrap_or((1, 4));
            let name = format!("{next:0width$}_outbox_events.sql", width = width.max(4));
            plan.file(&mig_dir.join(name), rendered)?;
        }
    }
    add_module(&project, &mut plan, &service_dir, &c)?;
    // Say why nothing changes, instead of a bare list of `identical` lines.
    if plan.entries.iter().all(|e| e.action == super::plan::Action::Identical) {
        plan.next_steps.push(format!(
            "none: {dir_name} already has this outbox (`nova new --db` wrote the same files from the same \
             templates); for another aggregate run `nova gen outbox --service {dir_name} --aggregate <name>`"
        ));
    }
    let main = std::fs::read_to_string(service_dir.join("src/main.rs")).unwrap_or_default();
    if !main.contains("mod outbox;") {
        plan.next_steps.push("add `mod outbox;` to src/main.rs".to_string());
    }
    if !main.contains("OutboxPublisher") {
        plan.next_steps.push(
            "start `outbox::publisher::OutboxPublisher::run` from main (as `nova new --db --kafka` does)".to_string(),
        );
    }
    for (dep, needed) in [
        ("sqlx", true),
        ("rdkafka", true),
        ("uuid", true),
        ("serde_json", true),
        ("crypto-core", true),
        ("futures-util", true),
        ("metrics", true),
        ("tokio", true),
        ("tracing", true),
    ] {
        let manifest = std::fs::read_to_string(service_dir.join("Cargo.toml")).unwrap_or_default();
        if needed && !manifest.lines().any(|l| l.trim_start().starts_with(&format!("{dep} "))) {
            plan.next_steps.push(format!("add `{dep}` to the service's [dependencies]"));
        }
    }
    Ok(plan)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_outbox_table_by_content() {
        for sql in [
            "CREATE TABLE outbox_events (id uuid)",
            "create table if not exists public.outbox_events(\n id uuid)",
            "CREATE TABLE \"outbox_events\" (id uuid)",
        ] {
            assert!(CREATES_OUTBOX.is_match(sql), "{sql}");
        }
        for sql in ["CREATE TABLE outbox_events_archive (id uuid)", "INSERT INTO outbox_events (id) VALUES (1)"] {
            assert!(!CREATES_OUTBOX.is_match(sql), "{sql}");
        }
    }
}
