package io.hishel.spring.boot;

import io.hishel.storage.StorageException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a rejected {@code hishel.*} property the way Spring Boot reports its own: what is wrong,
 * and what to change. Storage failures at start-up, such as an unwritable SQLite path or an
 * unreachable database, are reported by {@link StorageFailureAnalyzer}.
 */
class HishelFailureAnalyzer extends AbstractFailureAnalyzer<InvalidHishelPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidHishelPropertyException cause) {
        String description = "The HTTP cache (hishel) cannot start: the property " + cause.property()
                + (cause.value() == null ? " is missing." : " has the value '" + cause.value() + "'.")
                + (cause.getCause() != null && cause.getCause().getMessage() != null
                        ? "\n\nReason: " + cause.getCause().getMessage() : "");
        String action = "Set " + cause.property() + " to " + cause.accepted()
                + ", or remove it to use the default. Every hishel.* property is described in the"
                + " configuration reference of the documentation.";
        return new FailureAnalysis(description, action, cause);
    }

    /** An {@code @HttpCache} or {@code @HttpCacheEvict} that the cache cannot apply, found at start-up. */
    static class AnnotationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidHttpCacheAnnotationException> {

        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, InvalidHttpCacheAnnotationException cause) {
            return new FailureAnalysis("The HTTP cache (hishel) cannot apply an annotation: " + cause.getMessage()
                    + (cause.getCause() != null && cause.getCause().getMessage() != null
                            ? "\n\nReason: " + cause.getCause().getMessage() : ""),
                    "Correct the annotation's attribute as the message says. Every attribute is described in the"
                            + " documentation's page on policies and @HttpCache.", cause);
        }
    }

    /** The storage could not be opened when the application started. */
    static class StorageFailureAnalyzer extends AbstractFailureAnalyzer<StorageException> {

        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, StorageException cause) {
            if (!isStartup(rootFailure)) {
                return null;
            }
            return new FailureAnalysis("The HTTP cache (hishel) could not open its storage: " + cause.getMessage(),
                    "Check hishel.storage.type and its settings (hishel.storage.sqlite.path, or"
                            + " hishel.storage.jdbc.url / hishel.storage.jdbc.data-source), or set"
                            + " hishel.storage.type=memory to run without a database.", cause);
        }

        /** Only failures while beans are created: a storage failure later is the filter's to absorb. */
        private static boolean isStartup(Throwable failure) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof org.springframework.beans.factory.BeanCreationException) {
                    return true;
                }
            }
            return false;
        }
    }
}
