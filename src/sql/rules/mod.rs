//! nova's own migration rules, one file each. Schema rules judge the final (cumulative) schema
//! and point at the statement that introduced the problem.
use crate::rules::RuleInfo;
use crate::sql::config::Settings;
use crate::sql::model::{Index, Loc, Schema, Table, Trigger};
use std::collections::{BTreeMap, BTreeSet};

crate::declare_rules! {
    checks: SchemaCheck => [
        soft_delete_columns,
        soft_delete_check,
        soft_delete_fk_action,
        soft_delete_unique_not_partial,
        soft_delete_deletion_trigger,
        soft_delete_type_drift,
        soft_delete_legacy_marker,
        outbox_table_columns,
        outbox_unpublished_index,
        trigger_unknown_column,
    ],
    reported: [
        alter_unknown_table,
        concurrently_in_transaction,
        migration_duplicate_version,
        migration_version_not_integer,
        migration_would_fail,
        plpgsql_not_analysed,
        sql_syntax_error,
        verify_apply_failed,
        verify_mismatch,
    ],
}

/// A rule judging the final schema.
pub type SchemaCheck = fn(&Cx<'_>, &mut Vec<Finding>);

/// Every nova migration rule, in ID order.
pub fn all() -> Vec<&'static RuleInfo> {
    let mut v = ALL.to_vec();
    v.sort_by_key(|r| r.id);
    v
}

/// A rule's finding before it becomes a `Diagnostic` (locations are still byte ranges).
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static str,
    /// `None` for a finding about a whole file (given by `file`).
    pub loc: Loc,
    pub whole_file: bool,
    pub message: String,
    pub table: Option<String>,
    pub labels: Vec<(Loc, String)>,
    pub help: Option<String>,
}

impl Finding {
    pub fn new(rule: &'static RuleInfo, loc: Loc, message: impl Into<String>) -> Self {
        Finding {
            rule: rule.id,
            loc,
            whole_file: false,
            message: message.into(),
            table: None,
            labels: Vec::new(),
            help: None,
        }
    }
    pub fn table(mut self, t: &str) -> Self {
        self.table = Some(t.to_string());
        self
    }
    pub fn help(mut self, h: impl Into<String>) -> Self {
        self.help = Some(h.into());
        self
    }
    pub fn label(mut self, loc: Loc, msg: impl Into<String>) -> Self {
        self.labels.push((loc, msg.into()));
        self
    }
    /// Labels for the later statements that touched `t` (the finding holds on the final schema):
    /// the last five, the first of them saying how many earlier ones are not shown.
    pub fn touched_by(mut self, t: &Table, except: Loc) -> Self {
        const MAX: usize = 5;
        let later: Vec<Loc> = t.touched.iter().copied().filter(|l| *l != except && *l > except).collect();
        let skip = later.len().saturating_sub(MAX);
        for (i, l) in later.into_iter().skip(skip).enumerate() {
            let mut msg = format!("`{}` was changed later here", t.name);
            if i == 0 && skip > 0 {
                msg.push_str(&format!(" (and by {skip} earlier statement(s), not shown)"));
            }
            self.labels.push((l, msg));
        }
        self
    }
}

/// What a schema rule sees.
pub struct Cx<'a> {
    pub schema: &'a Schema,
    pub settings: &'a Settings,
    /// Soft-deletable tables (by column, legacy marker or configuration).
    pub soft: BTreeSet<String>,
    /// Indexes and triggers grouped by table (rules ask per table; a scan each would be quadratic).
    pub indexes_by_table: BTreeMap<&'a str, Vec<&'a Index>>,
    pub triggers_by_table: BTreeMap<&'a str, Vec<&'a Trigger>>,
}

impl<'a> Cx<'a> {
    pub fn new(schema: &'a Schema, settings: &'a Settings) -> Self {
        let mut soft = BTreeSet::new();
        for (name, t) in &schema.tables {
            let marked = t.columns.iter().any(|c| {
                c.name == settings.deleted_at
                    || c.name == settings.deleted_by
                    || settings.legacy_markers.contains(&c.name)
            });
            if marked || settings.soft_delete_tables.contains(name) {
                soft.insert(name.clone());
            }
        }
        let mut indexes_by_table: BTreeMap<&str, Vec<&Index>> = BTreeMap::new();
        for i in schema.indexes.values() {
            indexes_by_table.entry(i.table.as_str()).or_default().push(i);
        }
        let mut triggers_by_table: BTreeMap<&str, Vec<&Trigger>> = BTreeMap::new();
        for t in schema.triggers.values() {
            triggers_by_table.entry(t.table.as_str()).or_default().push(t);
        }
        Cx { schema, settings, soft, indexes_by_table, triggers_by_table }
    }

    pub fn indexes_of(&self, table: &str) -> impl Iterator<Item = &'a Index> + '_ {
        self.indexes_by_table.get(table).into_iter().flatten().copied()
    }

    pub fn triggers_of(&self, table: &str) -> impl Iterator<Item = &'a Trigger> + '_ {
        self.triggers_by_table.get(table).into_iter().flatten().copied()
    }

    pub fn soft_tables(&self) -> impl Iterator<Item = &'a Table> + '_ {
        self.soft.iter().filter_map(|n| self.schema.tables.get(n))
    }
}

/// Run the schema rules `runs` selects (every one for the `--verify-with` comparison).
pub fn check_schema(cx: &Cx<'_>, out: &mut Vec<Finding>, runs: &dyn Fn(&str) -> bool) {
    for (rule, check) in CHECKS {
        if runs(rule.id) {
            check(cx, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touched_by_says_how_many_changes_it_leaves_out() {
        let at = |start| Loc { file: 0, start, end: start + 1 };
        let mut t = Table::empty("users", at(0));
        t.touched = (1..=8).map(at).collect();
        let f = Finding::new(&soft_delete_columns::RULE, at(0), "x").touched_by(&t, at(0));
        let msgs: Vec<&str> = f.labels.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(msgs.len(), 5);
        assert_eq!(msgs[0], "`users` was changed later here (and by 3 earlier statement(s), not shown)");
        assert_eq!(msgs[4], "`users` was changed later here");
        t.touched.truncate(5);
        let f = Finding::new(&soft_delete_columns::RULE, at(0), "x").touched_by(&t, at(0));
        assert!(f.labels.iter().all(|(_, m)| m == "`users` was changed later here"));
    }
}
