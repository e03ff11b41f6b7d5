package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.policy.CacheOptions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 9213: targeted cache-control fields take precedence for this cache. */
@Rfc("RFC 9213 §2.2")
class TargetedCacheControlTest {

    private final Driver cache = new Driver();

    private boolean servedFromCacheAfter(long seconds) {
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(seconds);
        return cache.get("https://example.com/a").fromCache();
    }

    @Test
    void cdnCacheControlOverridesCacheControl() {
        // The application caches for ten minutes here and tells browsers not to store at all.
        cache.respond(200, "Cache-Control", "no-store", "CDN-Cache-Control", "max-age=600");

        assertThat(servedFromCacheAfter(599)).isTrue();
    }

    @Test
    void theHishelFieldComesBeforeCdnCacheControl() {
        cache.respond(200, "Cache-Control", "max-age=5", "CDN-Cache-Control", "max-age=10",
                "Hishel-Cache-Control", "max-age=100");

        assertThat(servedFromCacheAfter(99)).isTrue();
    }

    @Test
    void aTargetedFieldAlsoSetsExpiresAside() {
        cache.respond(200, "Expires", Driver.date(cache.clock.instant().plusSeconds(3600)),
                "CDN-Cache-Control", "max-age=10");

        assertThat(servedFromCacheAfter(11)).isFalse();
    }

    @Test
    void aTargetedNoStoreForbidsStoringWhatCacheControlAllows() {
        cache.respond(200, "Cache-Control", "public, max-age=600", "CDN-Cache-Control", "no-store");

        assertThat(cache.get("https://example.com/a").reason()).isEqualTo(Reason.RESPONSE_NO_STORE);
    }

    @Test
    void aTargetedPrivateKeepsTheResponseOutOfASharedCache() {
        cache.respond(200, "Cache-Control", "public, max-age=600", "CDN-Cache-Control", "private");

        assertThat(cache.get("https://example.com/a").reason()).isEqualTo(Reason.PRIVATE_IN_SHARED_CACHE);
    }

    @Test
    void targetedMustRevalidateAndNoCacheAreObeyed() {
        cache.respond(200, "Cache-Control", "max-age=600", "CDN-Cache-Control", "no-cache", "ETag", "\"v\"");
        cache.get("https://example.com/a");
        cache.respond(304, "ETag", "\"v\"");

        assertThat(cache.get("https://example.com/a").decision()).isInstanceOf(NeedRevalidation.class);
    }

    @ParameterizedTest(name = "CDN-Cache-Control: {0}")
    @ValueSource(strings = {"", "Max-Age=600", "max-age=600,", "max-age=\"600", "max-age=600 public"})
    @Rfc("RFC 9213 §2.1")
    void anEmptyOrInvalidTargetedFieldFallsBackToCacheControl(String value) {
        cache.respond(200, "Cache-Control", "max-age=10", "CDN-Cache-Control", value);

        assertThat(servedFromCacheAfter(11)).isFalse();
    }

    @Test
    @Rfc("RFC 9213 §2.1")
    void aDecimalMaxAgeMakesTheTargetedFieldIgnoredAndCacheControlApply() {
        cache.respond(200, "Cache-Control", "max-age=600", "CDN-Cache-Control", "max-age=60.5, no-store");

        assertThat(servedFromCacheAfter(599)).as("not rounded to 60, and no-store with it ignored").isTrue();
        assertThat(servedFromCacheAfter(601)).isFalse();
    }

    @ParameterizedTest(name = "CDN-Cache-Control: {0}")
    @ValueSource(strings = {"max-age=\"600\", no-store", "no-store=?0", "private=set-cookie", "max-age=(1), no-store"})
    @Rfc("RFC 9213 §2.1")
    void aTargetedFieldWithAValueOfTheWrongTypeIsIgnoredAsAWhole(String value) {
        cache.respond(200, "Cache-Control", "max-age=10", "CDN-Cache-Control", value);

        assertThat(servedFromCacheAfter(5)).as("Cache-Control applies").isTrue();
    }

    @Test
    void fieldsNotOnTheTargetListChangeNothing() {
        cache.respond(200, "Cache-Control", "max-age=10", "Other-CDN-Cache-Control", "max-age=600");

        assertThat(servedFromCacheAfter(11)).isFalse();
    }

    @Test
    void theTargetListIsConfigurable() {
        cache.options(CacheOptions.builder().targetedFields(List.of("Fastly-Cache-Control")).build())
                .respond(200, "Cache-Control", "max-age=10", "CDN-Cache-Control", "max-age=5",
                        "Fastly-Cache-Control", "max-age=600");

        assertThat(servedFromCacheAfter(500)).isTrue();
    }

    @Test
    void anEmptyTargetListObeysCacheControlAlone() {
        cache.options(CacheOptions.builder().targetedFields(List.of()).build())
                .respond(200, "Cache-Control", "max-age=10", "CDN-Cache-Control", "max-age=600");

        assertThat(servedFromCacheAfter(11)).isFalse();
    }

    @Test
    void keepsTargetedFieldsStoredSoFreshnessIsJudgedTheSameWayOnReuse() {
        cache.respond(200, "Cache-Control", "max-age=5", "CDN-Cache-Control", "max-age=600, stale-if-error=60");
        cache.get("https://example.com/a");

        assertThat(cache.entries.get(0).response().headers().firstValue("CDN-Cache-Control"))
                .hasValue("max-age=600, stale-if-error=60");
    }
}
