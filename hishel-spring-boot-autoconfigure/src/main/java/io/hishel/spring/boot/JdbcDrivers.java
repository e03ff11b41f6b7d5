package io.hishel.spring.boot;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * Checks, before a pool is made, that a JDBC URL has its driver on the class path, so that a
 * missing driver is reported as the artifact to add rather than as a database that cannot be
 * reached.
 */
final class JdbcDrivers {

    /** The Maven coordinates of the usual drivers, by the URL's sub-protocol. */
    private static final Map<String, String> ARTIFACTS = Map.of(
            "postgresql", "org.postgresql:postgresql",
            "mysql", "com.mysql:mysql-connector-j",
            "mariadb", "org.mariadb.jdbc:mariadb-java-client",
            "sqlserver", "com.microsoft.sqlserver:mssql-jdbc",
            "oracle", "com.oracle.database.jdbc:ojdbc11",
            "h2", "com.h2database:h2",
            "sqlite", "org.xerial:sqlite-jdbc");

    private JdbcDrivers() {
    }

    /**
     * @throws InvalidHishelPropertyException naming the property and the driver's artifact when no
     *                                        driver accepts the URL
     */
    static void require(String property, String url) {
        try {
            DriverManager.getDriver(url);
        } catch (SQLException noDriver) {
            String subProtocol = url.startsWith("jdbc:") ? url.substring(5).split(":", 2)[0] : "";
            String artifact = ARTIFACTS.get(subProtocol);
            throw new InvalidHishelPropertyException(property, url, artifact != null
                    ? "a JDBC URL whose driver is on the class path: add the dependency " + artifact
                    : "a JDBC URL whose driver is on the class path (none here accepts '" + subProtocol
                            + "'): add the database's JDBC driver as a dependency", noDriver);
        }
    }
}
