/**
 * The HTTP model the engine works on — {@link io.hishel.http.Request}, {@link io.hishel.http.Response},
 * {@link io.hishel.http.Headers}, {@link io.hishel.http.Body} — and the parsers of the fields a cache
 * reads: {@link io.hishel.http.CacheControl} (RFC 9111 §5.2, and the targeted fields of RFC 9213 as
 * Structured Fields), {@link io.hishel.http.HttpDate} (RFC 9110 §5.6.7), {@link io.hishel.http.EntityTag}
 * (RFC 9110 §8.8.3), and hishel's per-request {@link io.hishel.http.RequestMetadata}.
 *
 * <p>Values are immutable; parsers never throw on what a peer sends, they give the reading the RFC
 * prescribes for malformed input. No I/O.
 */
package io.hishel.http;
