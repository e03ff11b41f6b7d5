-- Until this version, committing an entry also wrote chunk -1 of its body, an empty "end marker",
-- in the transaction that set completed_at. Nothing ever read it: an entry is visible once
-- completed_at is set, and its body is read from chunk 0 until its size is reached. The storage
-- no longer writes it, and this deletes the markers already stored; the chunks of the bodies are
-- untouched, and running it again deletes nothing more.
--
-- During a rolling upgrade an instance of an older version may still write a few markers into
-- the same tables. They are harmless: no version reads them, and they go with their entries.

DELETE FROM hishel_streams WHERE kind = 0 AND chunk_number = -1;
