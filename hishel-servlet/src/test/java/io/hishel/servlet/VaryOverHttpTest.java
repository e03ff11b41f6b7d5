package io.hishel.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RFC 9111 §4.1 over HTTP: a browser's weighted {@code Accept-Language} in another order selects
 * the stored variant, and a preference that may be answered differently does not.
 */
class VaryOverHttpTest extends FilterTestSupport {

    private final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void startApplication() throws Exception {
        start().route("/greeting", (request, response) -> {
            calls.incrementAndGet();
            // As Spring's LocaleResolver does: the highest weight wins, ties go to the first.
            String language = java.util.Locale.LanguageRange.parse(request.getHeader("Accept-Language")).get(0)
                    .getRange();
            response.setHeader("Cache-Control", "max-age=60");
            response.setHeader("Vary", "Accept-Language");
            response.getWriter().write(language.startsWith("fr") ? "bonjour" : "hello");
        });
    }

    @Test
    void theSamePreferencesInAnotherOrderAreAHit() throws Exception {
        assertThat(server.get("/greeting", "Accept-Language", "fr-CH, fr;q=0.9, en;q=0.8").body()).isEqualTo("bonjour");

        HttpResponse<String> reordered = server.get("/greeting", "Accept-Language", "en;q=0.8,fr;q=0.9 , FR-ch");

        assertThat(reordered.body()).isEqualTo("bonjour");
        assertThat(reordered.headers().firstValue("Cache-Status")).hasValueSatisfying(
                status -> assertThat(status).contains("hit"));
        assertThat(calls).hasValue(1);
    }

    @Test
    void aTieInAnotherOrderIsAnotherVariant() throws Exception {
        assertThat(server.get("/greeting", "Accept-Language", "fr, en").body()).isEqualTo("bonjour");

        assertThat(server.get("/greeting", "Accept-Language", "en, fr").body()).isEqualTo("hello");
        assertThat(calls).hasValue(2);
    }
}
