//! squawk-linter's general migration-safety rules, embedded under nova's diagnostics and config.
//! IDs are squawk's own kebab-case names, so existing squawk excludes keep working.
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

macro_rules! squawk_rule {
    ($id:literal, $enabled:expr, $summary:literal) => {
        RuleInfo {
            categories: &["SQUAWK"],
            default_severity: Severity::Warning,
            default_enabled: $enabled,
            summary: $summary,
            docs: concat!(
                "## What it does\n", $summary, ".\n\nThis is squawk's `", $id,
                "` rule (squawk-linter 2.68.0), run by nova on every migration file; its findings are reported with nova's ",
                "file:line:column, severities and suppressions (`-- nova:ignore ", $id, " reason`; squawk's own ",
                "`-- squawk-ignore ", $id, "` comments are honoured too).\n\n## Why\nSee https://squawkhq.com/docs/", $id,
                " for the lock or compatibility problem it prevents.\n\n## Example\nFailing and passing examples: ",
                "https://squawkhq.com/docs/", $id, "\n\n## Fix\nFollow the help line of the finding, or switch the rule off with ",
                "`[migrations] severity = { \"", $id, "\" = \"off\" }`.\n"
            ),
            ..RuleInfo::new($id, "migrations")
        }
    };
}

pub static RULES: &[RuleInfo] = &[
    squawk_rule!(
        "adding-field-with-default",
        true,
        "Adding a column with a volatile default rewrites the table under an ACCESS EXCLUSIVE lock"
    ),
    squawk_rule!(
        "adding-foreign-key-constraint",
        true,
        "Adding a foreign key scans the table under a SHARE ROW EXCLUSIVE lock; add it NOT VALID and validate later"
    ),
    squawk_rule!("adding-not-nullable-field", true, "SET NOT NULL scans the table while blocking reads and writes"),
    squawk_rule!(
        "adding-serial-primary-key-field",
        true,
        "Adding a primary key builds its index under an ACCESS EXCLUSIVE lock"
    ),
    squawk_rule!("adding-required-field", true, "A new NOT NULL column without a default breaks existing inserts"),
    squawk_rule!("ban-alter-domain-with-add-constraint", true, "Constraints on domains are hard to change online"),
    squawk_rule!(
        "ban-alter-generated-expression",
        false,
        "Changing a generated column's expression changes values existing clients read"
    ),
    squawk_rule!("ban-alter-identity", true, "Changing a column's identity may break inserts from existing clients"),
    squawk_rule!("ban-char-field", false, "char(n) pads and wastes space; use varchar or text"),
    squawk_rule!(
        "ban-concurrent-index-creation-in-transaction",
        false,
        "CONCURRENTLY cannot run inside a transaction (nova's CONCURRENTLY_IN_TRANSACTION covers this for sqlx)"
    ),
    squawk_rule!("ban-create-domain-with-constraint", true, "Constraints on domains are hard to change online"),
    squawk_rule!("ban-disable-trigger", false, "Disabling a trigger stops it firing for application writes"),
    squawk_rule!("ban-drop-column", true, "Dropping a column breaks clients that still read it"),
    squawk_rule!("ban-drop-constraint", true, "Dropping a constraint removes a guarantee existing clients rely on"),
    squawk_rule!("ban-drop-database", true, "Dropping a database breaks every client"),
    squawk_rule!("ban-drop-default", true, "Dropping a column default breaks inserts that relied on it"),
    squawk_rule!("ban-drop-domain", true, "Dropping a domain breaks clients that use it"),
    squawk_rule!("ban-drop-extension", true, "Dropping an extension removes its functions and types"),
    squawk_rule!("ban-drop-function", true, "Dropping a function breaks clients and triggers that call it"),
    squawk_rule!("ban-drop-generated-expression", true, "Dropping a generated expression changes values clients read"),
    squawk_rule!("ban-drop-index", false, "Dropping an index may remove a guarantee or change query plans"),
    squawk_rule!("ban-drop-not-null", true, "Dropping NOT NULL lets NULLs reach clients that do not expect them"),
    squawk_rule!("ban-drop-policy", false, "Dropping a policy silently changes access"),
    squawk_rule!("ban-drop-schema", true, "Dropping a schema breaks clients"),
    squawk_rule!("ban-drop-sequence", true, "Dropping a sequence breaks clients"),
    squawk_rule!("ban-drop-table", true, "Dropping a table breaks clients that still use it"),
    squawk_rule!("ban-drop-trigger", false, "Dropping a trigger silently changes behaviour"),
    squawk_rule!("ban-drop-type", true, "Dropping a type breaks clients"),
    squawk_rule!("ban-drop-view", true, "Dropping a view breaks clients"),
    squawk_rule!("ban-duplicate-column-assignments", true, "A column is assigned more than once in one statement"),
    squawk_rule!("ban-replace-view-function", false, "Replacing a view or function silently changes behaviour"),
    squawk_rule!("ban-replica-identity", false, "Changing replica identity changes replication"),
    squawk_rule!("ban-revoke", false, "Revoking privileges breaks clients"),
    squawk_rule!("ban-set-default", false, "Setting a default silently changes values written by existing clients"),
    squawk_rule!("ban-set-schema", true, "Moving an object to another schema breaks clients"),
    squawk_rule!("ban-truncate-cascade", true, "TRUNCATE ... CASCADE truncates every referencing table too"),
    squawk_rule!("ban-uncommitted-transaction", true, "A BEGIN without COMMIT or ROLLBACK"),
    squawk_rule!("changing-column-type", true, "Changing a column type may rewrite the table and break clients"),
    squawk_rule!(
        "constraint-missing-not-valid",
        true,
        "Adding a constraint without NOT VALID scans the table under lock"
    ),
    squawk_rule!(
        "disallowed-unique-constraint",
        true,
        "Adding a UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock"
    ),
    squawk_rule!("identifier-too-long", true, "Identifiers longer than 63 bytes are silently truncated by PostgreSQL"),
    squawk_rule!("prefer-bigint-over-int", false, "32-bit integer keys run out; prefer bigint"),
    squawk_rule!("prefer-bigint-over-smallint", false, "16-bit integers run out; prefer bigint"),
    squawk_rule!("prefer-identity", false, "Prefer IDENTITY columns over serial"),
    squawk_rule!("prefer-repack", true, "Prefer REPACK (CONCURRENTLY) over VACUUM FULL / CLUSTER"),
    squawk_rule!("prefer-robust-stmts", false, "Prefer IF [NOT] EXISTS so a half-applied migration can be re-run"),
    squawk_rule!("prefer-text-field", false, "Prefer text over varchar(n): changing n later takes a lock"),
    squawk_rule!(
        "prefer-timestamp-tz",
        false,
        "Prefer timestamptz over timestamp (nova's SOFT_DELETE_TYPE_DRIFT covers deleted_at)"
    ),
    squawk_rule!("renaming-column", true, "Renaming a column breaks clients that use the old name"),
    squawk_rule!("renaming-table", true, "Renaming a table breaks clients that use the old name"),
    squawk_rule!("renaming-object", true, "Renaming an object breaks clients that use the old name"),
    squawk_rule!(
        "require-concurrent-index-creation",
        true,
        "CREATE INDEX on an existing table without CONCURRENTLY blocks writes"
    ),
    squawk_rule!("require-concurrent-index-deletion", true, "DROP INDEX without CONCURRENTLY blocks reads and writes"),
    squawk_rule!(
        "require-concurrent-partition-detach",
        true,
        "DETACH PARTITION without CONCURRENTLY blocks reads and writes"
    ),
    squawk_rule!("require-concurrent-reindex", true, "REINDEX without CONCURRENTLY blocks writes"),
    squawk_rule!("require-enum-value-ordering", true, "ALTER TYPE ... ADD VALUE should say BEFORE/AFTER"),
    squawk_rule!("require-lock-timeout", false, "Set lock_timeout before statements that take heavy locks"),
    squawk_rule!("require-statement-timeout", false, "Set statement_timeout before long statements"),
    squawk_rule!("require-table-schema", false, "Schema-qualify table names"),
    squawk_rule!("transaction-nesting", true, "BEGIN/COMMIT inside a migration sqlx already runs in a transaction"),
    squawk_rule!("ban-alter-policy-condition", false, "Changing a policy condition silently changes access"),
    squawk_rule!("ban-alter-policy-roles", false, "Changing a policy's roles silently changes access"),
    squawk_rule!("ban-create-policy", false, "Creating a policy may change access for existing clients"),
    squawk_rule!("ban-alter-function-options", false, "Changing function options changes behaviour"),
    squawk_rule!("ban-alter-view-options", false, "Changing view options changes behaviour"),
    squawk_rule!("ban-alter-role-options", false, "Changing role options changes access"),
    squawk_rule!("ban-alter-database-options", false, "Changing database options changes behaviour"),
    squawk_rule!("ban-alter-row-level-security", false, "Changing row-level security changes access"),
    squawk_rule!("ban-new-write-restriction", false, "A new write restriction may reject writes from existing clients"),
    squawk_rule!("ban-add-enum-value", false, "A new enum value may reach clients that cannot decode it"),
    squawk_rule!("ban-add-composite-attribute", false, "A new composite attribute may break clients"),
    squawk_rule!("ban-add-column", false, "A new column may break clients that use SELECT *"),
    squawk_rule!("ban-detach-inheritance", false, "Detaching inheritance changes query results"),
    squawk_rule!("ban-alter-sequence-values", false, "Changing sequence values may produce duplicate keys"),
    squawk_rule!("ban-alter-system-options", false, "ALTER SYSTEM changes the whole server"),
    squawk_rule!("ban-alter-extension", false, "Altering an extension changes its objects"),
];

/// A squawk violation as byte offsets into the linted file.
pub struct SquawkHit {
    pub rule: &'static str,
    pub start: usize,
    pub end: usize,
    pub message: String,
    pub help: Option<String>,
}

/// The squawk rules to run, from nova's enabled IDs.
pub fn enabled_rules(ids: &[&'static str]) -> Vec<(squawk_linter::Rule, &'static str)> {
    ids.iter().filter_map(|id| id.parse::<squawk_linter::Rule>().ok().map(|r| (r, *id))).collect()
}

/// Lint one parsed file. `in_transaction`: sqlx runs the file in a transaction (no `-- no-transaction`).
pub fn lint(
    rules: &[(squawk_linter::Rule, &'static str)],
    parse: &squawk_syntax::Parse<squawk_syntax::SourceFile>,
    text: &str,
    in_transaction: bool,
) -> Vec<SquawkHit> {
    if rules.is_empty() {
        return Vec::new();
    }
    let mut linter = squawk_linter::Linter::from(rules.iter().map(|(r, _)| *r));
    linter.settings.assume_in_transaction = in_transaction;
    linter
        .lint(parse, text)
        .into_iter()
        .filter_map(|v| {
            let id = rules.iter().find(|(r, _)| *r == v.code).map(|(_, id)| *id)?;
            Some(SquawkHit {
                rule: id,
                start: usize::from(v.text_range.start()),
                end: usize::from(v.text_range.end()),
                message: v.message,
                help: v.help,
            })
        })
        .collect()
}

/// Lint the statements of `DO` blocks (they run when the migration runs) with the same rules:
/// squawk sees a body as one opaque string, so each statement is linted in a copy of the file
/// where everything but the statements is blanked out (newlines kept), which keeps every byte
/// at its offset and every finding at its place in the file.
pub fn lint_do_statements(
    rules: &[(squawk_linter::Rule, &'static str)],
    stmts: &[(usize, usize)],
    text: &str,
    in_transaction: bool,
) -> Vec<SquawkHit> {
    if rules.is_empty() || stmts.is_empty() {
        return Vec::new();
    }
    let mut masked: Vec<u8> = text.bytes().map(|b| if b == b'\n' { b'\n' } else { b' ' }).collect();
    for &(start, end) in stmts {
        let end = end.min(text.len());
        masked[start..end].copy_from_slice(&text.as_bytes()[start..end]);
        // Each statement ends with a `;` in the copy (the body's own, or one in its place).
        if let Some(b) = masked.get_mut(end) {
            *b = b';';
        }
    }
    // Only ASCII spaces replaced whole characters' bytes outside the statements: split multi-byte
    // characters never survive (each of their bytes became a space), so the copy is UTF-8.
    let Ok(masked) = String::from_utf8(masked) else { return Vec::new() };
    let parse = squawk_syntax::SourceFile::parse(&masked);
    lint(rules, &parse, &masked, in_transaction)
        .into_iter()
        .filter(|h| stmts.iter().any(|&(s, e)| h.start >= s && h.start <= e))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_embedded_id_is_a_squawk_rule() {
        for r in RULES {
            assert!(r.id.parse::<squawk_linter::Rule>().is_ok(), "{} is not a squawk rule", r.id);
        }
    }
}
