-- Every chunk carries a CRC32C of its number and bytes, and every entry one of its whole body
-- (io.hishel.storage.BodyChecksum), so that bytes the file lost or changed are detected while a
-- body is read, before any of them is sent. Entries stored before this version have none and
-- cannot be checked: they are deleted, which for a cache costs one miss each. During a rolling
-- upgrade an older instance may still store entries without checksums; this version never serves
-- them (they are looked up as missing) and clean-up deletes them with the rest.

DELETE FROM hishel_tags;
DELETE FROM hishel_streams;
DELETE FROM hishel_entries;

ALTER TABLE hishel_streams ADD COLUMN chunk_crc INTEGER;
ALTER TABLE hishel_entries ADD COLUMN body_crc INTEGER;
