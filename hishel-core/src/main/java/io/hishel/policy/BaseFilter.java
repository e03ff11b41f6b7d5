package io.hishel.policy;

/**
 * A user-defined rule of a {@link FilterPolicy}: for a request, whether it may use the cache; for
 * a response, whether it may be stored. hishel's {@code BaseFilter[T]}, with {@code T} either
 * {@link io.hishel.http.Request} or {@link io.hishel.http.Response}.
 *
 * <p>A filter that only looks at the method, URL or headers is a lambda:
 * {@code (request, body) -> request.url().getPath().startsWith("/api/")}. A filter that needs the
 * content overrides {@link #needsBody()}; the cache then reads the body, up to
 * {@link CacheOptions#maxEntrySize()} bytes, before it asks. Reading a body costs memory and time,
 * so put such filters last: filters run in order and the first refusal ends the check.
 *
 * <p>Implementations are called concurrently and must be thread-safe.
 *
 * @param <T> {@link io.hishel.http.Request} or {@link io.hishel.http.Response}
 */
@FunctionalInterface
public interface BaseFilter<T> {

    /**
     * Whether {@link #apply} needs the content.
     *
     * @return true to receive the body; false (the default) to receive {@code null}
     */
    default boolean needsBody() {
        return false;
    }

    /**
     * Decides for one message.
     *
     * @param item the request or response, headers included
     * @param body the content if {@link #needsBody()} is true, otherwise {@code null}; a copy the
     *             filter may keep or change
     * @return true to allow caching, false to refuse it
     */
    boolean apply(T item, byte[] body);
}
