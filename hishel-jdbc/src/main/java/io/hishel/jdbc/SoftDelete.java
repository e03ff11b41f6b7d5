package io.hishel.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A removal of the entries that match a condition: it marks them removed, to be deleted by
 * clean-up once {@code deletedRetention} has passed, and says how many of them were visible.
 * Entries still being written are marked too: their commit must not bring back what was removed
 * while the response was on its way. Immutable; the statements are in {@link Sql}.
 */
final class SoftDelete {

    private final String countVisible;
    private final String markRemoved;

    /**
     * @param condition a condition on {@code hishel_entries}; its parameters are given to {@link #run}
     */
    SoftDelete(String condition) {
        this.countVisible = "SELECT COUNT(*) FROM hishel_entries WHERE " + Sql.VISIBLE + " AND " + condition;
        this.markRemoved = "UPDATE hishel_entries SET deleted_at = ? WHERE deleted_at IS NULL AND " + condition;
    }

    /**
     * Counts, then marks, in the caller's transaction.
     *
     * @param now        the time of the removal, which is also the time visibility is judged at
     * @param parameters the condition's parameters, in order
     * @return how many of the entries it marked were visible
     */
    long run(Connection connection, long now, Object... parameters) throws SQLException {
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
            update.executeUpdate();
        }
        return visible;
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
