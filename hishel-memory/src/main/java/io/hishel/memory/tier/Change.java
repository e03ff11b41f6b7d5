package io.hishel.memory.tier;

import io.hishel.storage.CacheKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What a write changed, in the terms of the memory tier: the keys whose entries it stored, freshened
 * or removed, or everything. Every write of the storage — a commit, a freshening, a removal, an
 * invalidation, a purge, an eviction — comes down to one, so that the tier of this process and
 * those of the other instances sharing the store forget exactly that. A write that reaches more than
 * {@link #MAX_KEYS} keys is everything: forgetting a whole tier costs less than a message that size.
 * Immutable.
 *
 * @param keys the keys changed; empty for {@link #everything()}
 * @param all  whether everything changed
 */
public record Change(Set<CacheKey> keys, boolean all) {

    /** The most keys a change names; a write that reaches more changes everything. */
    public static final int MAX_KEYS = 1000;

    private static final Change EVERYTHING = new Change(Set.of(), true);
    private static final String ALL = "*";

    public Change {
        keys = Set.copyOf(keys);
    }

    /**
     * Everything changed.
     *
     * @return the change that forgets a whole tier
     */
    public static Change everything() {
        return EVERYTHING;
    }

    /**
     * One key changed.
     *
     * @param key the cache key
     * @return the change
     */
    public static Change of(CacheKey key) {
        return new Change(Set.of(key), false);
    }

    /**
     * The keys, or everything if there are more than {@link #MAX_KEYS}.
     *
     * @param keys the cache keys
     * @return the change
     */
    public static Change of(Set<CacheKey> keys) {
        return keys.size() > MAX_KEYS ? EVERYTHING : new Change(keys, false);
    }

    /**
     * One change for several: the union of their keys, or everything.
     *
     * @param changes the changes
     * @return the change
     */
    public static Change merge(List<Change> changes) {
        Set<CacheKey> keys = new HashSet<>();
        for (Change change : changes) {
            if (change.all) {
                return EVERYTHING;
            }
            keys.addAll(change.keys);
            if (keys.size() > MAX_KEYS) {
                return EVERYTHING;
            }
        }
        return new Change(keys, false);
    }

    /**
     * Whether nothing changed.
     *
     * @return true for no keys and not everything
     */
    public boolean isEmpty() {
        return !all && keys.isEmpty();
    }

    /**
     * The change as the payloads of notifications: the sender, then {@code *} or one key a line,
     * each payload at most {@code maxBytes} long in UTF-8. A key too long for a payload of its own
     * makes the change everything.
     *
     * @param sender   who sends it, so that it can ignore its own
     * @param maxBytes the longest payload the channel carries
     * @return the payloads, at least one unless empty
     */
    public List<String> payloads(String sender, int maxBytes) {
        String head = sender + "\n";
        int headBytes = head.getBytes(StandardCharsets.UTF_8).length;
        if (all) {
            return List.of(head + ALL);
        }
        List<String> payloads = new ArrayList<>();
        StringBuilder payload = new StringBuilder(head);
        int bytes = headBytes;
        for (CacheKey key : keys) {
            int keyBytes = key.value().getBytes(StandardCharsets.UTF_8).length + 1;
            if (headBytes + keyBytes > maxBytes) {
                return List.of(head + ALL);
            }
            if (bytes + keyBytes > maxBytes) {
                payloads.add(payload.toString());
                payload = new StringBuilder(head);
                bytes = headBytes;
            }
            payload.append(key.value()).append('\n');
            bytes += keyBytes;
        }
        if (bytes > headBytes) {
            payloads.add(payload.toString());
        }
        return payloads;
    }

    /**
     * The sender of a payload that {@link #payloads} made.
     *
     * @param payload the payload
     * @return its sender
     */
    public static String senderOf(String payload) {
        int end = payload.indexOf('\n');
        return end < 0 ? payload : payload.substring(0, end);
    }

    /**
     * The change a payload that {@link #payloads} made carries; anything else is taken as everything.
     *
     * @param payload the payload
     * @return the change
     */
    public static Change parse(String payload) {
        String[] lines = payload.split("\n");
        if (lines.length < 2 || lines[1].equals(ALL)) {
            return EVERYTHING;
        }
        List<CacheKey> keys = new ArrayList<>(lines.length - 1);
        for (int i = 1; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                keys.add(new CacheKey(lines[i]));
            }
        }
        return new Change(Set.copyOf(keys), false);
    }
}
