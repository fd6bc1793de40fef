//! `nova gen circuit-breaker`: a breaker config section with per-dependency defaults and a client
//! wrapper that sends every call through the breaker with a call timeout.
use super::GenCircuitBreakerArgs;
use super::names::{self, ServiceNames};
use super::new::{Project, service_context};
use super::outbox::detect_features;
use super::plan::Plan;
use crate::context::Ctx;
use crate::error::NovaError;
use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};
use serde_json::json;

/// Breaker settings a generated config section starts from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub failure_threshold: u32,
    pub success_threshold: u32,
    /// How long the circuit stays open before a half-open probe, seconds.
    pub open_timeout_secs: u64,
    /// Deadline of one call, milliseconds.
    pub call_timeout_ms: u64,
    pub error_rate_threshold: f64,
    pub window_size: u32,
    /// Calls the window must hold before the error rate is judged.
    pub minimum_calls: u32,
}

pub const PRESETS: &[&str] = &["grpc", "database", "redis", "kafka", "http"];

/// Preset defaults (the shapes of `resilience::{grpc,database,redis,kafka,http}_config()`).
pub fn preset(name: &str) -> Option<Thresholds> {
    let t = |f, s, open, call, window, min| Thresholds {
        failure_threshold: f,
        success_threshold: s,
        open_timeout_secs: open,
        call_timeout_ms: call,
        error_rate_threshold: 0.5,
        window_size: window,
        minimum_calls: min,
    };
    Some(match name {
        "grpc" => t(5, 2, 30, 10_000, 20, 10),
        "database" => t(5, 2, 30, 5_000, 20, 10),
        "redis" => t(3, 2, 10, 1_000, 50, 20),
        "kafka" => t(5, 3, 60, 10_000, 20, 10),
        "http" => t(5, 2, 30, 10_000, 20, 10),
        _ => return None,
    })
}

/// The roadmap's per-dependency thresholds (P0.4); they override the preset's breaker counts.
pub fn roadmap(dependency: &str) -> Option<(u32, u32, u64)> {
    let base = dependency.strip_suffix("-service").unwrap_or(dependency);
    match base {
        "auth" => Some((3, 3, 30)),
        "media" => Some((5, 5, 60)),
        "search" => Some((5, 3, 30)),
        _ => None,
    }
}

/// The thresholds for `dependency` under `preset`.
pub fn thresholds(dependency: &str, preset_name: &str) -> Option<Thresholds> {
    let mut t = preset(preset_name)?;
    if let Some((f, s, open)) = roadmap(dependency) {
        t.failure_threshold = f;
        t.success_threshold = s;
        t.open_timeout_secs = open;
    }
    Some(t)
}

pub fn plan_breaker(ctx: &Ctx, args: &GenCircuitBreakerArgs) -> Result<Plan, NovaError> {
    names::validate("dependency", &args.dependency)?;
    let preset_name = args.preset.as_deref().unwrap_or("grpc");
    let t = thresholds(&args.dependency, preset_name).ok_or_else(|| {
        NovaError::new(format!("unknown preset `{preset_name}`"))
            .with_help(format!("use one of: {}", PRESETS.join(", ")))
    })?;
    let project = Project::load(ctx)?;
    let service_dir = project.ws.find_service(&args.service)?;
    let dir_name = service_dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    names::validate("service", &dir_name)?;
    let n = ServiceNames::new(&dir_name);
    let features = detect_features(&service_dir)?;
    let mut c = service_context(&n, features, &format!("{}Record", n.domain_pascal));
    let dep = &args.dependency;
    c["dependency"] = json!(dep);
    c["dep_snake"] = json!(dep.to_snake_case());
    c["dep_pascal"] = json!(dep.to_pascal_case());
    c["dep_env"] = json!(dep.to_shouty_snake_case());
    c["preset"] = json!(preset_name);
    c["rpc"] = json!(matches!(preset_name, "grpc" | "http"));
    c["from_roadmap"] = json!(roadmap(dep).is_some());
    c["t"] = json!({
        "failure_threshold": t.failure_threshold,
        "success_threshold": t.success_threshold,
        "open_timeout_secs": t.open_timeout_secs,
        "call_timeout_ms": t.call_timeout_ms,
        "error_rate_threshold": format!("{:.2}", t.error_rate_threshold),
        "window_size": t.window_size,
        "minimum_calls": t.minimum_calls,
    });
    let mut plan = project.plan();
    let dir = service_dir.join("src/breakers");
    plan.file(&dir.join(format!("{}.rs", dep.to_snake_case())), project.render("breaker/dependency.rs.j2", &c)?)?;
    plan.file(&dir.join("circuit.rs"), project.render("breaker/circuit.rs.j2", &c)?)?;
    let lines = ["pub mod circuit;".to_string(), format!("pub mod {};", dep.to_snake_case())];
    super::outbox::ensure_mod_lines(&mut plan, &dir.join("mod.rs"), &lines, || {
        project.render("breaker/mod.rs.j2", &c)
    })?;
    add_mod_to_main(&mut plan, &service_dir.join("src/main.rs"))?;
    let manifest = std::fs::read_to_string(service_dir.join("Cargo.toml")).unwrap_or_default();
    let mut needed = vec!["resilience", "tokio", "metrics", "uuid", "tracing"];
    if preset_name == "grpc" {
        needed.push("tonic");
    }
    for dep in needed {
        if !manifest.lines().any(|l| l.trim_start().starts_with(&format!("{dep} "))) {
            plan.next_steps.push(format!("add `{dep}` to the service's [dependencies]"));
        }
    }
    Ok(plan)
}

/// `mod breakers;` in the service's `src/main.rs`: inserted before the first `mod` line (or at
/// the top), as an `update` of the plan; nothing to do when it is there.
fn add_mod_to_main(plan: &mut Plan, main: &std::path::Path) -> Result<(), NovaError> {
    let Ok(old) = std::fs::read_to_string(main) else {
        plan.next_steps.push("add `mod breakers;` to src/main.rs".to_string());
        return Ok(());
    };
    if old.lines().any(|l| l.trim() == "mod breakers;" || l.trim() == "pub mod breakers;") {
        return Ok(());
    }
    let mut lines: Vec<&str> = old.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("mod ") || l.starts_with("pub mod "))
        .unwrap_or_else(|| lines.iter().take_while(|l| l.starts_with("//!") || l.starts_with("#!")).count());
    lines.insert(at, "mod breakers;");
    let mut new = lines.join("\n");
    if old.ends_with('\n') {
        new.push('\n');
    }
    plan.update(main, old, new, "add `mod breakers;`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roadmap_thresholds_override_preset() {
        let a = thresholds("auth-service", "grpc").unwrap();
        assert_eq!((a.failure_threshold, a.success_threshold, a.open_timeout_secs), (3, 3, 30));
        let m = thresholds("media-service", "grpc").unwrap();
        assert_eq!((m.failure_threshold, m.success_threshold, m.open_timeout_secs), (5, 5, 60));
        let s = thresholds("search-service", "grpc").unwrap();
        assert_eq!((s.failure_threshold, s.success_threshold, s.open_timeout_secs), (5, 3, 30));
        let r = thresholds("cache", "redis").unwrap();
        assert_eq!(r, preset("redis").unwrap());
        assert!(thresholds("x", "nope").is_none());
        for p in PRESETS {
            assert!(preset(p).unwrap().minimum_calls > 0, "{p} must wait for calls before judging a rate");
        }
    }
}
