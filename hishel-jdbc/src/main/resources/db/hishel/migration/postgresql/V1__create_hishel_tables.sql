-- hishel's storage: entries (hishel's pairs) and the chunks of their bodies (its streams).
-- Times are epoch milliseconds. An entry is visible when completed_at is set (in the same
-- transaction as the end marker, chunk -1) and deleted_at is not, and it has not expired.

CREATE TABLE hishel_entries (
    id           UUID     NOT NULL PRIMARY KEY,
    cache_key    TEXT     NOT NULL,
    url          TEXT     NOT NULL,
    data         BYTEA    NOT NULL,
    created_at   BIGINT   NOT NULL,
    completed_at BIGINT,
    last_access  BIGINT   NOT NULL,
    expires_at   BIGINT,
    ttl_millis   BIGINT,
    refresh_ttl  SMALLINT NOT NULL,
    size         BIGINT   NOT NULL DEFAULT 0,
    deleted_at   BIGINT
);

CREATE INDEX hishel_entries_cache_key   ON hishel_entries (cache_key);
CREATE INDEX hishel_entries_url         ON hishel_entries (url text_pattern_ops);
CREATE INDEX hishel_entries_last_access ON hishel_entries (last_access);
CREATE INDEX hishel_entries_expires_at  ON hishel_entries (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX hishel_entries_deleted_at  ON hishel_entries (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX hishel_entries_incomplete  ON hishel_entries (created_at) WHERE completed_at IS NULL;

CREATE TABLE hishel_streams (
    entry_id     UUID     NOT NULL REFERENCES hishel_entries (id) ON DELETE CASCADE,
    kind         SMALLINT NOT NULL,
    chunk_number INTEGER  NOT NULL,
    chunk_data   BYTEA    NOT NULL,
    PRIMARY KEY (entry_id, kind, chunk_number)
);

CREATE TABLE hishel_tags (
    entry_id UUID NOT NULL REFERENCES hishel_entries (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (entry_id, tag)
);

CREATE INDEX hishel_tags_tag ON hishel_tags (tag);
