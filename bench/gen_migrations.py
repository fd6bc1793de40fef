#!/usr/bin/env python3
"""Generate a realistic sqlx migrations directory for `bench/migrations.sh`.

usage: gen_migrations.py OUT_DIR COUNT [SEED]

Each file is ~50 lines shaped like the backend's real migrations: a soft-deletable table with
its CHECK, foreign keys, partial indexes, a guarded `DO $$ ... $$` block that adds a column, a
plpgsql deletion trigger that writes to `outbox_events`, and ALTERs of earlier tables. One file
in seven carries a defect nova reports (type drift, CASCADE into a soft-deletable table, a
non-partial UNIQUE index, a missing CHECK), one in fifty is a `-- no-transaction` file with
`CREATE INDEX CONCURRENTLY`. Deterministic for a given seed.
"""
import os
import random
import sys

OUTBOX = """-- The transactional outbox (roadmap P0.3).
CREATE TABLE IF NOT EXISTS outbox_events (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    aggregate_type VARCHAR(255) NOT NULL,
    aggregate_id UUID NOT NULL,
    event_type VARCHAR(255) NOT NULL,
    payload JSONB NOT NULL,
    metadata JSONB,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    published_at TIMESTAMPTZ,
    retry_count INT NOT NULL DEFAULT 0,
    last_error TEXT,
    CONSTRAINT outbox_retry_count_check CHECK (retry_count >= 0),
    CONSTRAINT outbox_published_after_created CHECK (published_at IS NULL OR published_at >= created_at)
);
CREATE INDEX IF NOT EXISTS idx_outbox_unpublished ON outbox_events (created_at, retry_count) WHERE published_at IS NULL;
CREATE INDEX IF NOT EXISTS idx_outbox_aggregate ON outbox_events (aggregate_type, aggregate_id, created_at);
CREATE INDEX IF NOT EXISTS idx_outbox_event_type ON outbox_events (event_type, created_at);
"""

WORDS = ["user", "post", "comment", "order", "invoice", "payment", "media", "channel", "message",
         "session", "device", "tag", "group", "team", "project", "task", "note", "report", "asset",
         "review"]


def table_file(i, rng, prev):
    ent = f"{rng.choice(WORDS)}_{i}"
    t = f"{ent}s"
    entity = "".join(p.capitalize() for p in ent.split("_"))
    defect = i % 7 == 3
    kind = i % 4
    deleted_at_type = "TIMESTAMP" if defect and kind == 0 else "TIMESTAMPTZ"
    on_delete = "CASCADE" if defect and kind == 1 else "RESTRICT"
    unique_where = "" if defect and kind == 2 else " WHERE deleted_at IS NULL"
    check = "" if defect and kind == 3 else (
        f",\n    CONSTRAINT {t}_deleted_at_logic CHECK ((deleted_at IS NULL AND deleted_by IS NULL) "
        "OR (deleted_at IS NOT NULL AND deleted_by IS NOT NULL))")
    parent = f"\n    parent_id UUID REFERENCES {prev}(id) ON DELETE {on_delete}," if prev else ""
    lines = f"""-- Migration {i}: {entity}
CREATE TABLE IF NOT EXISTS {t} (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id UUID NOT NULL,
    name VARCHAR(255) NOT NULL,
    description TEXT,
    status VARCHAR(32) NOT NULL DEFAULT 'active',
    amount NUMERIC(12, 2),{parent}
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deleted_at {deleted_at_type},
    deleted_by UUID{check}
);

CREATE INDEX IF NOT EXISTS idx_{t}_tenant ON {t} (tenant_id) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX IF NOT EXISTS idx_{t}_name ON {t} (tenant_id, lower(name)){unique_where};

DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM information_schema.columns
        WHERE table_name = '{t}' AND column_name = 'version'
    ) THEN
        ALTER TABLE {t} ADD COLUMN version INT NOT NULL DEFAULT 1;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION emit_{ent}_deletion_event() RETURNS trigger AS $$
BEGIN
    IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
        INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload)
        VALUES ('{entity}', NEW.id, '{entity}Deleted',
                jsonb_build_object('id', NEW.id, 'deleted_by', NEW.deleted_by));
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS trg_{ent}_deletion ON {t};
CREATE TRIGGER trg_{ent}_deletion
    AFTER UPDATE OF deleted_at ON {t}
    FOR EACH ROW EXECUTE FUNCTION emit_{ent}_deletion_event();

CREATE OR REPLACE VIEW active_{t} AS SELECT * FROM {t} WHERE deleted_at IS NULL;
"""
    if prev:
        lines += f"""
ALTER TABLE {prev} ADD COLUMN IF NOT EXISTS note_{i} TEXT;
ALTER TABLE {prev} ALTER COLUMN description SET DEFAULT '';
"""
    lines += f"COMMENT ON TABLE {t} IS 'Generated table {i}';\n"
    return t, lines


def concurrent_file(i, prev):
    return f"""-- no-transaction
-- Migration {i}: index built without blocking writes.
CREATE INDEX CONCURRENTLY IF NOT EXISTS idx_{prev}_created_{i} ON {prev} (created_at) WHERE deleted_at IS NULL;
"""


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out, count = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 42)
    os.makedirs(out, exist_ok=True)
    prev = None
    for i in range(1, count + 1):
        name = os.path.join(out, f"{20240000000000 + i}_m{i}.sql")
        if i == 1:
            text = OUTBOX
        elif i % 50 == 0 and prev:
            text = concurrent_file(i, prev)
        else:
            prev, text = table_file(i, rng, prev)
        with open(name, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
