-- Users, posts and the transactional outbox.
-- users carries one DELIBERATE problem (a UNIQUE index that ignores soft deletion);
-- posts and outbox_events follow the backend's conventions exactly.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE outbox_events (
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
    CONSTRAINT outbox_events_retry_count_check CHECK (retry_count >= 0),
    CONSTRAINT outbox_events_published_after_created CHECK (published_at IS NULL OR published_at >= created_at)
);

CREATE INDEX idx_outbox_events_unpublished ON outbox_events (created_at, retry_count) WHERE published_at IS NULL;
CREATE INDEX idx_outbox_events_aggregate ON outbox_events (aggregate_type, aggregate_id, created_at);
CREATE INDEX idx_outbox_events_event_type ON outbox_events (event_type, created_at);

CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    username VARCHAR(64) NOT NULL,
    email VARCHAR(320) NOT NULL,
    display_name VARCHAR(128) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deleted_at TIMESTAMPTZ NULL,
    deleted_by UUID NULL,
    CONSTRAINT users_deleted_at_logic CHECK (
        (deleted_at IS NULL AND deleted_by IS NULL) OR (deleted_at IS NOT NULL AND deleted_by IS NOT NULL)
    )
);

CREATE UNIQUE INDEX idx_users_email_active ON users (email) WHERE deleted_at IS NULL;
-- DELIBERATE: not partial, so a deleted user's handle can never be taken again.
CREATE UNIQUE INDEX idx_users_username ON users (username);

CREATE OR REPLACE FUNCTION emit_user_deletion_event() RETURNS TRIGGER AS $$
BEGIN
    IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
        INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload)
        VALUES ('User', NEW.id, 'UserDeleted',
                jsonb_build_object('user_id', NEW.id, 'deleted_at', NEW.deleted_at, 'deleted_by', NEW.deleted_by));
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_user_deletion
    AFTER UPDATE OF deleted_at ON users
    FOR EACH ROW EXECUTE FUNCTION emit_user_deletion_event();

CREATE TABLE posts (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    author_id UUID NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    body TEXT NOT NULL,
    visibility SMALLINT NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    edited_at TIMESTAMPTZ,
    deleted_at TIMESTAMP WITH TIME ZONE NULL,
    deleted_by UUID NULL,
    CONSTRAINT posts_deleted_at_logic CHECK ((deleted_at IS NULL) = (deleted_by IS NULL))
);

CREATE INDEX idx_posts_author_active ON posts (author_id, created_at DESC) WHERE deleted_at IS NULL;
CREATE INDEX idx_posts_deleted ON posts (deleted_at) WHERE deleted_at IS NOT NULL;

CREATE OR REPLACE FUNCTION emit_post_deletion_event() RETURNS TRIGGER AS $$
BEGIN
    IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
        INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload)
        VALUES ('Post', NEW.id, 'PostDeleted',
                jsonb_build_object('post_id', NEW.id, 'author_id', NEW.author_id,
                                   'deleted_at', NEW.deleted_at, 'deleted_by', NEW.deleted_by));
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_post_deletion
    AFTER UPDATE OF deleted_at ON posts
    FOR EACH ROW EXECUTE FUNCTION emit_post_deletion_event();

CREATE VIEW active_posts AS SELECT * FROM posts WHERE deleted_at IS NULL;
