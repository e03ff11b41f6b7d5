-- When each URL was last invalidated (RFC 9111 §4.4), so that a response the application produced
-- before the invalidation — a miss still on its way when the unsafe request completed — is not
-- made visible after it: its commit compares the time its request was sent with the URL's mark.
-- Clean-up deletes marks older than the incomplete-entry grace, past which no such writer lives.

CREATE TABLE hishel_invalidations (
    url            TEXT    NOT NULL PRIMARY KEY,
    invalidated_at INTEGER NOT NULL
);

CREATE INDEX hishel_invalidations_at ON hishel_invalidations (invalidated_at);
