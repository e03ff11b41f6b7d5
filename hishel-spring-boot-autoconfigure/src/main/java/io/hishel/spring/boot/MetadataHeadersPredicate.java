package io.hishel.spring.boot;

import jakarta.servlet.http.HttpServletRequest;
import java.util.function.Predicate;

/**
 * Which requests see the {@code X-Hishel-*} response fields, when {@code hishel.filter.metadata-headers}
 * leaves them off for everyone: declare one as a bean to show them to trusted requests only, such
 * as an operator's.
 *
 * <pre>{@code
 * @Bean
 * MetadataHeadersPredicate operatorsSeeCacheHeaders() {
 *     return request -> request.isUserInRole("OPERATOR");
 * }
 * }</pre>
 *
 * The filter runs after Spring Security's, so the request knows its user. Called once per response
 * on the request's thread; implementations must be thread-safe.
 */
@FunctionalInterface
public interface MetadataHeadersPredicate extends Predicate<HttpServletRequest> {
}
