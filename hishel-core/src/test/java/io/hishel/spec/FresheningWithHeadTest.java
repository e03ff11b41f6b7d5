package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 9111 §4.3.5: freshening stored GET responses with a HEAD response. */
@Rfc("RFC 9111 §4.3.5")
class FresheningWithHeadTest {

    private final Driver cache = new Driver();

    @BeforeEach
    void storeAStaleGet() {
        cache.respond(200, "Cache-Control", "max-age=10", "ETag", "\"v1\"", "Content-Length", "8");
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(60);
    }

    @Test
    void aHeadWithMatchingValidatorsAndLengthUpdatesTheStoredGet() {
        cache.respond(200, "Cache-Control", "max-age=100", "ETag", "\"v1\"", "Content-Length", "8");

        Driver.Exchange head = cache.send("HEAD", "https://example.com/a");

        assertThat(head.outcome()).isInstanceOf(NeedToBeUpdated.class);
        assertThat(head.reason()).isEqualTo(Reason.FRESHENED_BY_HEAD);
        Driver.Exchange get = cache.get("https://example.com/a");
        assertThat(get.fromCache()).isTrue();
        assertThat(get.body().size()).isEqualTo(8);
    }

    @Test
    void aHeadWithAnotherEntityTagRetiresTheStoredGet() {
        cache.respond(200, "Cache-Control", "max-age=100", "ETag", "\"v2\"", "Content-Length", "8");

        cache.send("HEAD", "https://example.com/a");

        assertThat(cache.entries).noneMatch(entry -> entry.request().method().equals("GET"));
    }

    @Test
    void aHeadWithAnotherLengthRetiresTheStoredGet() {
        cache.respond(200, "Cache-Control", "max-age=100", "ETag", "\"v1\"", "Content-Length", "9");

        cache.send("HEAD", "https://example.com/a");

        assertThat(cache.entries).noneMatch(entry -> entry.request().method().equals("GET"));
    }
}
