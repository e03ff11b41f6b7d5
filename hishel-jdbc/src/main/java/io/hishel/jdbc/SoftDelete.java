package io.hishel.jdbc;

import io.hishel.memory.tier.Change;
import io.hishel.storage.CacheKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/**
 * A removal of the entries that match a condition: it marks them removed, to be deleted by
 * clean-up once {@code deletedRetention} has passed, and says how many of them were visible and
 * which keys it reached, for the memory tier to forget. Entries still being written are marked too:
 * their commit must not bring back what was removed while the response was on its way. Immutable;
 * the statements are in {@link Sql}.
 */
final class SoftDelete {

    private final String countVisible;
    private final String markRemoved;
    private final boolean everything;

    /**
     * @param condition a condition on {@code hishel_entries}; its parameters are given to {@link #run}
     */
    SoftDelete(String condition) {
        this(condition, false);
    }

    /**
     * @param everything whether the condition holds for every entry: then the keys are not read back
     */
    SoftDelete(String condition, boolean everything) {
        this.countVisible = "SELECT COUNT(*) FROM hishel_entries WHERE " + Sql.VISIBLE + " AND " + condition;
        this.markRemoved = "UPDATE hishel_entries SET deleted_at = ? WHERE deleted_at IS NULL AND " + condition
                + (everything ? "" : " RETURNING cache_key");
        this.everything = everything;
    }

    /** What a removal did: how many visible entries it removed, and what the memory tier must forget. */
    record Removal(long visible, Change change) {
    }

    /**
     * Counts, then marks, in the caller's transaction.
     *
     * @param now        the time of the removal, which is also the time visibility is judged at
     * @param parameters the condition's parameters, in order
     * @return how many of the entries it marked were visible, and the keys it reached
     */
    Removal run(Connection connection, long now, Object... parameters) throws SQLException {
        long visible;
        try (PreparedStatement count = connection.prepareStatement(countVisible)) {
            count.setLong(1, now);
            bind(count, parameters);
            try (ResultSet result = count.executeQuery()) {
                result.next();
                visible = result.getLong(1);
            }
        }
        try (PreparedStatement update = connection.prepareStatement(markRemoved)) {
            update.setLong(1, now);
            bind(update, parameters);
            if (everything) {
                update.executeUpdate();
                return new Removal(visible, Change.everything());
            }
            Set<CacheKey> keys = new HashSet<>();
            try (ResultSet marked = update.executeQuery()) {
                // Read to the end: past the most keys a change names, the change is everything anyway.
                while (marked.next()) {
                    if (keys.size() <= Change.MAX_KEYS) {
                        keys.add(new CacheKey(marked.getString(1)));
                    }
                }
            }
            return new Removal(visible, Change.of(keys));
        }
    }

    /** Binds after the time, which is the first parameter of both statements. */
    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(2 + i, parameters[i]);
        }
    }

    @Override
    public String toString() {
        return countVisible + "; " + markRemoved;
    }
}
