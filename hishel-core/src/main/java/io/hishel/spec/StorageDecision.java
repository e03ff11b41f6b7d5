package io.hishel.spec;

/**
 * The outcome of deciding whether to store a full response from the application (RFC 9111 §3),
 * after a miss or after a validation that produced a new response.
 */
public sealed interface StorageDecision extends CacheMiss.Next, NeedRevalidation.Next
        permits StoreAndUse, CouldNotBeStored {
}
