-- Media, the follow graph, blocks and notifications. DELIBERATE problems: media has no deletion
-- trigger, follows.deleted_at has no time zone, blocks still uses the legacy is_deleted flag.

CREATE TABLE media (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    owner_id UUID NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    media_type SMALLINT NOT NULL,
    content_type VARCHAR(255) NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    deleted_at TIMESTAMPTZ NULL,
    deleted_by UUID NULL,
    CONSTRAINT media_deleted_at_logic CHECK (
        (deleted_at IS NULL AND deleted_by IS NULL) OR (deleted_at IS NOT NULL AND deleted_by IS NOT NULL)
    )
);
-- DELIBERATE: no trg_media_deletion, so deleting media emits no MediaDeleted event.

CREATE INDEX idx_media_owner_active ON media (owner_id, created_at DESC) WHERE deleted_at IS NULL;

CREATE TABLE follows (
    follower_id UUID NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    followee_id UUID NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- DELIBERATE: TIMESTAMP without time zone (type drift from TIMESTAMPTZ).
    deleted_at TIMESTAMP NULL,
    deleted_by UUID NULL,
    PRIMARY KEY (follower_id, followee_id),
    CONSTRAINT follows_deleted_at_logic CHECK (
        (deleted_at IS NULL AND deleted_by IS NULL) OR (deleted_at IS NOT NULL AND deleted_by IS NOT NULL)
    )
);

CREATE OR REPLACE FUNCTION emit_follow_deletion_event() RETURNS TRIGGER AS $$
BEGIN
    IF NEW.deleted_at IS NOT NULL AND OLD.deleted_at IS NULL THEN
        INSERT INTO outbox_events (aggregate_type, aggregate_id, event_type, payload)
        VALUES ('Follow', NEW.follower_id, 'FollowDeleted',
                jsonb_build_object('follower_id', NEW.follower_id, 'followee_id', NEW.followee_id,
                                   'deleted_at', NEW.deleted_at, 'deleted_by', NEW.deleted_by));
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_follow_deletion
    AFTER UPDATE OF deleted_at ON follows
    FOR EACH ROW EXECUTE FUNCTION emit_follow_deletion_event();

CREATE TABLE blocks (
    blocker_id UUID NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    blocked_id UUID NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    -- DELIBERATE: legacy soft-delete marker, never migrated to deleted_at / deleted_by.
    is_deleted BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (blocker_id, blocked_id)
);

CREATE TABLE notifications (
    id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    kind SMALLINT NOT NULL,
    subject_id UUID NOT NULL,
    comment_id UUID,
    created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
    read_at TIMESTAMPTZ
);

CREATE INDEX idx_notifications_user_unread ON notifications (user_id, created_at DESC) WHERE read_at IS NULL;
