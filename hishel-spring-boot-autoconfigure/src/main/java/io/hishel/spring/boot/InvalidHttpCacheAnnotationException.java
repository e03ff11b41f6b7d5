package io.hishel.spring.boot;

/**
 * An {@link HttpCache} or {@link HttpCacheEvict} annotation the cache cannot apply, such as a
 * duration it cannot parse or a placeholder the environment does not resolve. Thrown while the
 * application starts; {@link HishelFailureAnalyzer} reports it with the handler method and the
 * attribute to change.
 */
public class InvalidHttpCacheAnnotationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /**
     * Describes a rejected annotation.
     *
     * @param message what is wrong, naming the method, the attribute and what it accepts
     */
    public InvalidHttpCacheAnnotationException(String message) {
        super(message);
    }

    /**
     * Describes a rejected annotation.
     *
     * @param message what is wrong, naming the method, the attribute and what it accepts
     * @param cause   what rejected it, if anything
     */
    public InvalidHttpCacheAnnotationException(String message, Throwable cause) {
        super(message, cause);
    }
}
