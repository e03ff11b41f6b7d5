package io.hishel.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.hishel.Rfc;
import io.hishel.http.Body;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RFC 9111 §4.3.3: handling the answer to a validation request. */
@Rfc("RFC 9111 §4.3.3")
class ValidationResponseTest {

    private final Driver cache = new Driver();

    @BeforeEach
    void storeAStaleResponse() {
        cache.respond(200, "Cache-Control", "max-age=10", "ETag", "\"v1\"");
        cache.get("https://example.com/a");
        cache.clock.advanceSeconds(20);
    }

    @Test
    void a304LetsTheStoredResponseBeReused() {
        cache.respond(304, "ETag", "\"v1\"", "Cache-Control", "max-age=10");

        Driver.Exchange exchange = cache.get("https://example.com/a");

        assertThat(exchange.outcome()).isInstanceOf(NeedToBeUpdated.class);
        assertThat(exchange.status()).isEqualTo(200);
        assertThat(exchange.body()).isEqualTo(Body.ofUtf8("body 200"));
        assertThat(exchange.reason()).isEqualTo(Reason.REVALIDATED);
    }

    @Test
    void aFullResponseReplacesTheStoredResponses() {
        cache.respond(200, "Cache-Control", "max-age=10", "ETag", "\"v2\"");

        Driver.Exchange exchange = cache.get("https://example.com/a");

        assertThat(exchange.outcome()).isInstanceOf(StoreAndUse.class);
        assertThat(exchange.header("ETag")).hasValue("\"v2\"");
        assertThat(cache.entries).singleElement()
                .satisfies(entry -> assertThat(entry.response().headers().firstValue("ETag")).hasValue("\"v2\""));
    }

    @Test
    void aFullResponseThatCannotBeStoredStillRetiresTheStoredResponses() {
        cache.respond(200, "Cache-Control", "no-store");

        Driver.Exchange exchange = cache.get("https://example.com/a");

        assertThat(exchange.outcome()).isInstanceOf(CouldNotBeStored.class);
        assertThat(cache.entries).isEmpty();
    }

    @Test
    void aNotFoundAfterValidationRetiresTheStoredResponses() {
        cache.respond(404, "Cache-Control", "no-store");

        assertThat(cache.get("https://example.com/a").status()).isEqualTo(404);
        assertThat(cache.entries).isEmpty();
    }

    @Test
    void aServerErrorIsForwardedAndLeavesTheStoredResponses() {
        cache.respond(500);

        Driver.Exchange exchange = cache.get("https://example.com/a");

        assertThat(exchange.status()).isEqualTo(500);
        assertThat(cache.entries).hasSize(1);
    }
}
