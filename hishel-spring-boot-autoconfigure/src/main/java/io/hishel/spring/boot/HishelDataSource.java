package io.hishel.spring.boot;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Marks the {@code DataSource} the JDBC storage ({@code hishel.storage.type=jdbc}) keeps its
 * entries in, as {@code @FlywayDataSource} marks Flyway's. Declare it with
 * {@code @Bean(defaultCandidate = false)}, so that it never becomes the application's own
 * DataSource:
 *
 * <pre>{@code
 * @Bean(defaultCandidate = false)
 * @HishelDataSource
 * @ConfigurationProperties("app.cache-datasource")
 * HikariDataSource cacheDataSource() {
 *     return DataSourceBuilder.create().type(HikariDataSource.class).build();
 * }
 * }</pre>
 *
 * hishel does not close it. Without such a bean, and without {@code hishel.storage.jdbc.url}, the
 * storage uses the application's DataSource, in a history table of its own.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface HishelDataSource {
}
