/**
 * The sans-I/O RFC 9111 state machine, after hishel's: {@link io.hishel.spec.Idle} decides from a
 * request and the stored entries for its key, and each state says what I/O to do next and why
 * ({@link io.hishel.spec.Reason}). The graph is drawn in {@link io.hishel.spec.CacheState}.
 *
 * <p>The RFC's questions live in classes named after them, each tested on its own: may it be stored
 * ({@code Storability}), how fresh is it ({@link io.hishel.spec.Freshness}), which stored responses
 * may answer ({@code Selection}, {@code Vary}), how to validate ({@code Validation}), the client's
 * conditionals ({@code Preconditions}), invalidation ({@code Invalidation}). States are records;
 * time comes from an injected {@link java.time.Clock}; nothing here reads storage or the network.
 */
package io.hishel.spec;
