//! PLPGSQL_NOT_ANALYSED (reported while reading files; see `sql::check_stream`).
use crate::diagnostics::Severity;
use crate::rules::RuleInfo;

pub const RULE: RuleInfo = RuleInfo {
    categories: &["HYGIENE"],
    default_severity: Severity::Warning,
    summary: "A PL/pgSQL body (function, procedure or DO block) nova's parser could not follow",
    docs: r#"## What it does
Reports the first place in a PL/pgSQL body (`CREATE FUNCTION ... LANGUAGE plpgsql`, `CREATE PROCEDURE`, `DO $$ ... $$`) where nova's PL/pgSQL parser (squawk 2.68's plpgsql grammar, after nova takes each embedded SQL statement's `INTO [STRICT] target` clause out the way PostgreSQL does) does not understand the PL/pgSQL around the embedded SQL: the statement structure, declarations or expressions. The embedded SQL statements themselves are parsed as SQL; an error there is a `SQL_SYNTAX_ERROR`.

This is a warning, not an error: nova's PL/pgSQL parser is not PostgreSQL's, so a body it cannot follow may still be valid. The statements nova could not follow are not analysed (a `NEW.x` or an `INSERT INTO outbox_events` in them may be missed).

## Why
A gate must not fail a migration PostgreSQL accepts, and must not pretend it analysed what it did not.

## Example
Reported:
```sql
DO $$ BEGIN IF true THEN NULL; END; END $$;   -- `END IF` missing
```
Not reported:
```sql
DO $$ DECLARE n INT; BEGIN SELECT count(*) INTO STRICT n FROM users; END $$;
```

## Fix
If PostgreSQL rejects the body too (`--verify-with` tells), fix it. If it is valid, suppress with `-- nova:ignore PLPGSQL_NOT_ANALYSED reason` above the statement and report the form to nova's maintainers.
"#,
    ..RuleInfo::new("PLPGSQL_NOT_ANALYSED", "migrations")
};
