-- hishel's storage: entries (hishel's pairs) and the chunks of their bodies (its streams).
-- Times are epoch milliseconds. An entry is visible when completed_at is set (in the same
-- transaction as the end marker, chunk -1) and deleted_at is not, and it has not expired.

CREATE TABLE hishel_entries (
    id           TEXT    NOT NULL PRIMARY KEY,
    cache_key    TEXT    NOT NULL,
    url          TEXT    NOT NULL,
    data         BLOB    NOT NULL,
    created_at   INTEGER NOT NULL,
    completed_at INTEGER,
    last_access  INTEGER NOT NULL,
    expires_at   INTEGER,
    ttl_millis   INTEGER,
    refresh_ttl  INTEGER NOT NULL,
    size         INTEGER NOT NULL DEFAULT 0,
    deleted_at   INTEGER
);

CREATE INDEX hishel_entries_cache_key   ON hishel_entries (cache_key);
CREATE INDEX hishel_entries_url         ON hishel_entries (url);
CREATE INDEX hishel_entries_last_access ON hishel_entries (last_access);
CREATE INDEX hishel_entries_expires_at  ON hishel_entries (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX hishel_entries_deleted_at  ON hishel_entries (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX hishel_entries_incomplete  ON hishel_entries (created_at) WHERE completed_at IS NULL;

CREATE TABLE hishel_streams (
    entry_id     TEXT    NOT NULL REFERENCES hishel_entries (id) ON DELETE CASCADE,
    kind         INTEGER NOT NULL,
    chunk_number INTEGER NOT NULL,
    chunk_data   BLOB    NOT NULL,
    PRIMARY KEY (entry_id, kind, chunk_number)
);

CREATE TABLE hishel_tags (
    entry_id TEXT NOT NULL REFERENCES hishel_entries (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (entry_id, tag)
);

CREATE INDEX hishel_tags_tag ON hishel_tags (tag);
