-- Comments, likes and direct messages. DELIBERATE problems: comments has no deleted_by,
-- messages has no both-or-neither CHECK, post_likes cascades hard deletes of posts.

CREATE TABLE comments (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    post_id UUID NOT NULL REFERENCES posts (id) ON DELETE RESTRICT,
    author_id UUID NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    parent_comment_id UUID REFERENCES comments (id) ON DELETE RESTRICT,
    body TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- DELIBERATE: deleted_at without deleted_by (who deleted it is lost).
    deleted_at TIMESTAMPTZ NULL
);

CREATE INDEX idx_comments_post_active ON comments (post_id, created_at) WHERE deleted_at IS NULL;

CREATE OR REPLACE FUNCTION emit_comment_deletion_event() RETURNS TRIGGER AS $$
BEGIN
    IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
        INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload)
        VALUES ('Comment', NEW.id, 'CommentDeleted',
                jsonb_build_object('comment_id', NEW.id, 'post_id', NEW.post_id, 'deleted_at', NEW.deleted_at));
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_comment_deletion
    AFTER UPDATE OF deleted_at ON comments
    FOR EACH ROW EXECUTE FUNCTION emit_comment_deletion_event();

CREATE TABLE post_likes (
    -- DELIBERATE: CASCADE into soft-deletable posts; a hard delete silently destroys the likes.
    post_id UUID NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    PRIMARY KEY (post_id, user_id)
);

CREATE TABLE messages (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    conversation_id UUID NOT NULL,
    sender_id UUID NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    body BYTEA NOT NULL,
    sent_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- DELIBERATE: both columns, but no CHECK tying them together.
    deleted_at TIMESTAMPTZ NULL,
    deleted_by UUID NULL
);

CREATE INDEX idx_messages_conversation_active ON messages (conversation_id, sent_at DESC) WHERE deleted_at IS NULL;

CREATE OR REPLACE FUNCTION emit_message_deletion_event() RETURNS TRIGGER AS $$
BEGIN
    IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
        INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload)
        VALUES ('Message', NEW.id, 'MessageDeleted',
                jsonb_build_object('message_id', NEW.id, 'deleted_at', NEW.deleted_at, 'deleted_by', NEW.deleted_by));
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_message_deletion
    AFTER UPDATE OF deleted_at ON messages
    FOR EACH ROW EXECUTE FUNCTION emit_message_deletion_event();
