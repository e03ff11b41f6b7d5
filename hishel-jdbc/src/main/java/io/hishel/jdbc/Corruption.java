package io.hishel.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Whether a SQLite file is corrupt, in SQLite's own words: a failure with {@code SQLITE_CORRUPT}
 * (in any of its extended forms) or {@code SQLITE_NOTADB}, or a finding of
 * {@code PRAGMA quick_check}. Nothing else counts: a full disk, a read-only file or a busy
 * database are faults a new file would not mend. Stateless.
 */
final class Corruption {

    private Corruption() {
    }

    /** Whether SQLite reported the file corrupt, or not a database, anywhere in a failure's causes. */
    static boolean isReportedBy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLiteException sqlite && isCorruption(sqlite.getResultCode())) {
                return true;
            }
        }
        return false;
    }

    /**
     * What {@code PRAGMA quick_check} finds wrong with the file at a path, on a connection of its
     * own: its first finding, or the corruption that stopped it. The check reads every page, so it
     * finds damage in pages the first statements never touch; it skips the comparison of indexes
     * with their tables, which costs far more. A file that does not exist, or that cannot be opened
     * for another reason, is reported as sound: the pool that opens it next names that reason.
     *
     * @return the damage, or empty if the check found none
     */
    static Optional<String> check(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        SQLiteDataSource dataSource = new SQLiteDataSource();
        dataSource.setUrl("jdbc:sqlite:" + file);
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("PRAGMA quick_check(1)")) {
            String finding = result.next() ? result.getString(1) : "ok";
            return "ok".equals(finding) ? Optional.empty()
                    : Optional.of("PRAGMA quick_check found " + finding.replace('\n', ' '));
        } catch (SQLException e) {
            return isReportedBy(e) ? Optional.of(e.getMessage()) : Optional.empty();
        }
    }

    private static boolean isCorruption(SQLiteErrorCode code) {
        if (code == null) {
            return false;
        }
        // An extended code keeps its primary code in the low byte: SQLITE_CORRUPT_INDEX is SQLITE_CORRUPT too.
        int primary = code.code & 0xff;
        return primary == SQLiteErrorCode.SQLITE_CORRUPT.code || primary == SQLiteErrorCode.SQLITE_NOTADB.code;
    }
}
