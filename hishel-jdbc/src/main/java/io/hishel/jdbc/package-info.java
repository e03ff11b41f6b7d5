/**
 * {@link io.hishel.jdbc.JdbcStorage}: the storage in SQLite (one file, the embedded default) or
 * PostgreSQL (one cache shared by many instances); its builder is the public entry point.
 *
 * <p>Inside, one question each: {@code Sql} holds every statement, with the visible-entry condition
 * written once; {@code Dialect} is what differs between the two databases; {@code Transactions}
 * runs reads and write transactions, takes SQLite's writer turns and turns {@code SQLException}
 * into {@code StorageException}; {@code Deadlines} interrupts a call still running at its timeout; {@code Connections} is where it borrows: a DataSource the storage
 * was given, or {@code SqliteFile}, the file the storage owns, opened again when it is deleted,
 * replaced or corrupt ({@code Corruption} says when), each time on a new {@code SqlitePool}, which
 * opens a SQLite file and notices when it was replaced; {@code Migration} runs the Flyway scripts.
 * On the hit path, {@code Lookup} finds the alive entries and {@code ChunkReader} streams a body
 * back; {@code AccessRecorder} keeps the hits until they are written and decides whether an entry
 * is alive. {@code ChunkWriter} stores a new entry; {@code SoftDelete} removes entries by URL,
 * prefix or tag; {@code Listing} is the operator's view; {@code Cleanup} deletes and evicts, on the
 * schedule of {@code Maintenance}; {@code CorruptEntries} deals with rows that cannot be read.
 * In front of the hit path, {@code Tier} (in {@code io.hishel.memory.tier}, shared with the Redis
 * storage) is the memory tier ({@link io.hishel.memory.MemoryTier} its public bounds): every write
 * hands it the {@code Change} it made once committed, to forget at once, and on PostgreSQL
 * {@code TierNotifications} carries each change to the other instances' tiers with
 * {@code LISTEN/NOTIFY}.
 */
package io.hishel.jdbc;
