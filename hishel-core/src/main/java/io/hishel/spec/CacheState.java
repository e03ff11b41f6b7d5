package io.hishel.spec;

/**
 * A state of the RFC 9111 state machine, after hishel's sans-I/O specification.
 *
 * <pre>
 * Idle ──► FromCache                       serve the stored response
 *      ──► NeedRevalidation ──► NeedToBeUpdated | StoreAndUse | CouldNotBeStored
 *                           ──► FromCache (stale-if-error, or a 304 that selected nothing)
 *                           ──► GatewayTimeout (a 304 selected nothing that may not be served stale)
 *      ──► CacheMiss ──► StoreAndUse | CouldNotBeStored | InvalidateEntries | FromCache (stale-if-error)
 *      ──► GatewayTimeout                  only-if-cached and nothing usable
 * </pre>
 *
 * <p>States are immutable values and transitions are pure functions of their inputs and the
 * injected clock: no state reads storage or the network. The caller does the I/O each state
 * asks for. Every state but {@link Idle} carries the {@link Reason} it was chosen for.
 * Range requests are answered from stored full responses ({@link Ranges}); what hishel calls
 * {@code PartialUpdate}, storing a {@code 206} and combining parts (RFC 9111 §3.4), is left out on
 * purpose: a miss asks the application for the whole response, so that the whole is stored, and a
 * {@code 206} arrives only from an application that answers a range nobody sent. It is not stored.
 */
public sealed interface CacheState permits Idle, Idle.Next, CacheMiss.Next, NeedRevalidation.Next {
}
