-- The operator's listing (JdbcStorage.list) shows visible entries newest first, page by page. It
-- orders by the entry's response_time (RFC 9111 §4.2.3, epoch milliseconds), which until now was
-- only inside the encoded data; the storage writes it on create and on every freshening.
--
-- Entries stored before this version take their completion time: when their response finished
-- arriving, or, for one freshened since, when it was first stored. Their next freshening sets
-- the exact value. SQLite adds a NOT NULL column only with a constant default.

ALTER TABLE hishel_entries ADD COLUMN response_time INTEGER NOT NULL DEFAULT 0;

UPDATE hishel_entries SET response_time = COALESCE(completed_at, created_at);

-- Only visible rows are listed; the query repeats this condition so that the index applies.
CREATE INDEX hishel_entries_newest ON hishel_entries (response_time DESC, id DESC)
    WHERE completed_at IS NOT NULL AND deleted_at IS NULL;
