package io.hishel;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The sections of a specification a test class or method proves, as they appear in the RFC
 * coverage table of the documentation ({@code src-docs/.../rfc-coverage.adoc}), which
 * {@code RfcCoverageTableTest} keeps honest.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface Rfc {

    /**
     * Sections such as {@code "RFC 9111 §3.5"}.
     *
     * @return the sections
     */
    String[] value();
}
