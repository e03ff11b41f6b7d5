package io.hishel.spring.boot;

import io.hishel.storage.StorageException;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * Reports a rejected {@code hishel.*} property the way Spring Boot reports its own: what is wrong,
 * and what to change. Storage failures at start-up, such as an unwritable SQLite path or an
 * unreachable database, are reported by {@link StorageFailureAnalyzer}.
 */
class HishelFailureAnalyzer extends AbstractFailureAnalyzer<InvalidHishelPropertyException> {

    private final Environment environment;

    /** Spring Boot passes the application's environment, where each property's origin is kept. */
    HishelFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidHishelPropertyException cause) {
        String origin = origin(cause.property());
        String description = "The HTTP cache (hishel) cannot start: the property " + cause.property()
                + (cause.value() == null ? " is missing." : " has the value '" + cause.value() + "'.")
                + (origin == null ? "" : "\n\nOrigin: " + origin)
                + (cause.getCause() != null && cause.getCause().getMessage() != null
                        ? "\n\nReason: " + cause.getCause().getMessage() : "");
        String action = "Set " + cause.property() + " to " + cause.accepted()
                + ", or remove it to use the default. Every hishel.* property is described in the"
                + " configuration reference of the documentation.";
        return new FailureAnalysis(description, action, cause);
    }

    /** Where the property was set, as Spring Boot's own reports say it: "class path resource [application.yml] - 12:14". */
    private String origin(String property) {
        if (environment == null || !ConfigurationPropertyName.isValid(property)) {
            return null;
        }
        ConfigurationPropertyName name = ConfigurationPropertyName.of(property);
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null) {
                Origin origin = found.getOrigin();
                return origin == null ? null : origin.toString();
            }
        }
        return null;
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
