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

    /** The storage type asked for needs jars the application does not have. */
    static class MissingStorageJarsAnalyzer extends AbstractFailureAnalyzer<MissingStorageJarsException> {

        @Override
        protected FailureAnalysis analyze(Throwable rootFailure, MissingStorageJarsException cause) {
            String type = cause.type().name().toLowerCase(java.util.Locale.ROOT);
            String artifacts = cause.missing().stream().map(HishelStorageConfiguration.Requirement::artifact)
                    .collect(java.util.stream.Collectors.joining(", "));
            String starter = cause.type() == HishelProperties.StorageType.MEMORY
                    ? "io.hishel:hishel-spring-boot-starter-memory" : "io.hishel:hishel-spring-boot-starter";
            return new FailureAnalysis("The HTTP cache (hishel) cannot start: hishel.storage.type is " + type
                    + ", but " + artifacts + (cause.missing().size() == 1 ? " is" : " are")
                    + " not on the class path.",
                    "Add " + artifacts + " to the application's dependencies (" + starter + " brings "
                            + (cause.missing().size() == 1 ? "it" : "them") + "), or set hishel.storage.type to a"
                            + " storage the application has: memory needs only io.hishel:hishel-memory.", cause);
        }
    }
}
