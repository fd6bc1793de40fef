-- DELIBERATE: CREATE INDEX CONCURRENTLY cannot run inside a transaction, and sqlx wraps this file
-- in one because its first line is not `-- no-transaction`.
CREATE INDEX CONCURRENTLY idx_posts_created_at_active ON posts (created_at DESC) WHERE deleted_at IS NULL;
