/**
 * What the RFC leaves to the cache: {@link io.hishel.policy.CacheOptions} (shared or private,
 * methods, heuristics, targeted fields, sizes) and the two policies, RFC 9111's
 * {@link io.hishel.policy.SpecificationPolicy} and hishel's {@link io.hishel.policy.FilterPolicy} with
 * its {@link io.hishel.policy.BaseFilter}s. {@link io.hishel.policy.Require} holds the checks every
 * builder of the project applies to its settings.
 */
package io.hishel.policy;
