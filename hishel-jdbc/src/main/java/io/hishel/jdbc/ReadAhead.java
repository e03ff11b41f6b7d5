package io.hishel.jdbc;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * What the last look-up on a thread read of the bodies it found, for the {@code openBody} that
 * follows it. A hit is two calls of the storage SPI on one thread — the entries under a key, then
 * the body of the one chosen — and the look-up's one statement already read each body's size and
 * checksum, and the first chunk of the small ones ({@link Lookup#found}): with this, opening such
 * a body asks the database nothing, so a hit on it is one statement on one borrowed connection.
 *
 * <p>A body handed out here is opened as if it had been opened at its look-up: bodies never change
 * under an id, and a reader that opened a body before its entry was removed may finish it. So it
 * is handed out once, to the first {@code openBody} on the thread after the look-up, and only while
 * nothing this storage wrote has changed anything since ({@link Tier#stamp()}), the entry is alive
 * by its expiry and the hits not yet written, and no longer than one operation's timeout has
 * passed: a change another instance made is seen by the open that comes after that. Otherwise
 * the open asks the database, as it would without this.
 *
 * <p>A thread holds what one look-up read, bodies of at most {@link Lookup#BODY_WITH_ENTRY} bytes
 * each, until its next look-up or open. Thread-safe: each thread sees only its own.
 */
final class ReadAhead {

    private final ThreadLocal<Held> last = new ThreadLocal<>();
    private final AccessRecorder accesses;
    private final long maxAgeNanos;

    /**
     * @param maxAge how long after its look-up a body may be opened from here: the storage's timeout
     */
    ReadAhead(AccessRecorder accesses, Duration maxAge) {
        this.accesses = accesses;
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** Holds what a look-up read, which started at {@code stamp}, in place of this thread's last. */
    void keep(Lookup.Answer answer, long stamp) {
        if (answer.bodies().isEmpty()) {
            last.remove();
        } else {
            last.set(new Held(answer, stamp, System.nanoTime()));
        }
    }

    /**
     * What opens the body of an entry the last look-up on this thread found, if it may be opened
     * without asking the database; either way, the thread holds nothing afterwards.
     *
     * @param stamp {@link Tier#stamp()} now
     * @param now   the storage's clock, for the entry's expiry
     */
    Optional<Lookup.Body> take(UUID id, long stamp, long now) {
        Held held = last.get();
        if (held == null) {
            return Optional.empty();
        }
        last.remove();
        Lookup.Body body = held.answer().bodies().get(id);
        if (body == null || held.stamp() != stamp || System.nanoTime() - held.readAt() >= maxAgeNanos) {
            return Optional.empty();
        }
        for (Lookup.Found found : held.answer().found()) {
            if (found.entry().id().equals(id)) {
                return accesses.alive(id, found.expiresAt(), found.ttlMillis(), found.refreshTtl(), now)
                        ? Optional.of(body) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** One look-up's answer, the stamp it started at, and when it was read ({@link System#nanoTime()}). */
    private record Held(Lookup.Answer answer, long stamp, long readAt) {
    }
}
