-- Link notifications to the comment they are about, idempotently (the backend's DO-block style).
-- DELIBERATE: the FK hidden inside the DO block cascades into soft-deletable comments.
DO $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM pg_constraint WHERE conname = 'notifications_comment_id_fkey'
    ) THEN
        ALTER TABLE notifications
            ADD CONSTRAINT notifications_comment_id_fkey
            FOREIGN KEY (comment_id) REFERENCES comments (id) ON DELETE CASCADE;
    END IF;
END $$;
