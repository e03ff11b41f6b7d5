package io.hishel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.hishel.Rfc;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeadersTest {

    @Test
    @Rfc("RFC 9110 §5.1")
    void looksUpNamesCaseInsensitively() {
        Headers headers = Headers.of("Content-Type", "text/plain");

        assertThat(headers.firstValue("content-type")).hasValue("text/plain");
        assertThat(headers.firstValue("CONTENT-TYPE")).hasValue("text/plain");
        assertThat(headers.contains("Content-type")).isTrue();
        assertThat(headers.firstValue("Content-Length")).isEmpty();
    }

    @Test
    void keepsOriginalCasingAndOrderForOutput() {
        Headers headers = Headers.of("X-b", "2", "x-A", "1", "X-B", "3");

        assertThat(headers).extracting(Headers.Field::name).containsExactly("X-b", "x-A", "X-B");
        assertThat(headers.names()).containsExactly("X-b", "x-A");
        assertThat(headers).hasToString("X-b: 2\nx-A: 1\nX-B: 3\n");
    }

    @Test
    void neverMergesRepeatedSetCookieLines() {
        Headers headers = Headers.of("Set-Cookie", "a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "Set-Cookie", "b=2");

        assertThat(headers.allValues("set-cookie"))
                .containsExactly("a=1; Expires=Wed, 21 Oct 2026 07:28:00 GMT", "b=2");
        assertThat(headers.size()).isEqualTo(2);
    }

    @Test
    @Rfc("RFC 9110 §5.6.1")
    void splitsListValuesAcrossLinesAndOutsideQuotes() {
        Headers headers = Headers.of("Vary", "Accept-Encoding,  Accept-Language", "vary", " , Cookie",
                "If-None-Match", "\"a,b\", W/\"c\"");

        assertThat(headers.listValues("Vary")).containsExactly("Accept-Encoding", "Accept-Language", "Cookie");
        assertThat(headers.listValues("If-None-Match")).containsExactly("\"a,b\"", "W/\"c\"");
        assertThat(headers.listValues("Absent")).isEmpty();
    }

    @Test
    @Rfc("RFC 9110 §5.3")
    void combinesFieldLinesWithCommas() {
        assertThat(Headers.of("Accept", "a", "accept", "b").combinedValue("ACCEPT")).hasValue("a, b");
        assertThat(Headers.EMPTY.combinedValue("Accept")).isEmpty();
    }

    @Test
    void withReplacesEveryLineAtTheFirstPosition() {
        Headers headers = Headers.of("A", "1", "Age", "5", "B", "2", "age", "6").with("AGE", "0");

        assertThat(headers).hasToString("A: 1\nAGE: 0\nB: 2\n");
        assertThat(Headers.of("A", "1").with("B", "2")).hasToString("A: 1\nB: 2\n");
    }

    @Test
    void plusAppendsAndWithoutRemovesEveryLine() {
        Headers headers = Headers.of("Link", "<a>").plus("link", "<b>");

        assertThat(headers.allValues("Link")).containsExactly("<a>", "<b>");
        assertThat(headers.without("LINK").isEmpty()).isTrue();
        assertThat(headers.without(List.of("X", "link"))).isEqualTo(Headers.EMPTY);
        assertThat(headers.without("Other")).isSameAs(headers);
    }

    @Test
    @Rfc("RFC 9110 §5.5")
    void trimsWhitespaceAroundValues() {
        assertThat(Headers.of("A", " \t value \t").firstValue("A")).hasValue("value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\r\nSet-Cookie: x=1", "a\nb", "a\rb", "a\u0000b"})
    @Rfc("RFC 9110 §5.5")
    void refusesValuesThatWouldInjectLines(String value) {
        assertThatIllegalArgumentException().isThrownBy(() -> Headers.of("X", value));
        assertThatIllegalArgumentException().isThrownBy(() -> Headers.EMPTY.with("X", value));
        assertThatIllegalArgumentException().isThrownBy(() -> Headers.builder().add("X", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad Name", "Bad:Name", "(x)", "é"})
    void refusesNamesThatAreNotTokens(String name) {
        assertThatIllegalArgumentException().isThrownBy(() -> Headers.of(name, "v"))
                .withMessageContaining("token");
    }

    @Test
    void comparesNamesIgnoringCaseAndValuesExactly() {
        assertThat(Headers.of("A", "v")).isEqualTo(Headers.of("a", "v")).hasSameHashCodeAs(Headers.of("a", "v"));
        assertThat(Headers.of("A", "v")).isNotEqualTo(Headers.of("A", "V"));
        assertThat(Headers.of("A", "1", "B", "2")).isNotEqualTo(Headers.of("B", "2", "A", "1"));
    }

    @Test
    void builderSetsAddsAndRemoves() {
        Headers headers = Headers.builder().add("A", "1").add("a", "2").add("B", "3").set("A", "4").remove("b").build();

        assertThat(headers).hasToString("A: 4\n");
        assertThat(headers.toBuilder().add("C", "5").build().size()).isEqualTo(2);
    }

    @Test
    void isImmutable() {
        Headers headers = Headers.of("A", "1");
        headers.with("A", "2");
        headers.plus("B", "3");

        assertThat(headers).hasToString("A: 1\n");
        assertThat(headers.allValues("A")).isUnmodifiable();
    }

    @Test
    void theFieldsACacheReadsAreParsedOnceAndKeptWithTheirText() {
        Headers headers = Headers.of("Cache-Control", "max-age=60", "CDN-Cache-Control", "max-age=600",
                "Date", "Sun, 06 Nov 1994 08:49:37 GMT", "ETag", "\"v1\"", "Expires", "0");

        assertThat(headers.cacheControl()).isSameAs(headers.cacheControl());
        assertThat(headers.cacheControl().maxAge()).hasValue(60);
        assertThat(headers.targetedCacheControl("cdn-cache-control")).isSameAs(headers.targetedCacheControl("CDN-Cache-Control"));
        assertThat(headers.targetedCacheControl("CDN-Cache-Control").orElseThrow().maxAge()).hasValue(600);
        assertThat(headers.targetedCacheControl("Hishel-Cache-Control")).isEmpty();
        assertThat(headers.date("Date")).hasValue(java.time.Instant.parse("1994-11-06T08:49:37Z"));
        assertThat(headers.date("Expires")).isEmpty();
        assertThat(headers.date("Last-Modified")).isEmpty();
        assertThat(headers.entityTag().orElseThrow().toString()).isEqualTo("\"v1\"");
        // A changed copy is parsed anew.
        assertThat(headers.with("Cache-Control", "no-store").cacheControl().noStore()).isTrue();
    }

    @Test
    @Rfc("RFC 9110 §5.6.2")
    void acceptsAsAFieldNameExactlyTheCharactersOfToken() {
        String tchar = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String name = "X" + c;
            if (tchar.indexOf(c) >= 0) {
                assertThat(Headers.of(name, "v").firstValue(name)).as("U+%04X", (int) c).hasValue("v");
            } else {
                char invalid = c;
                assertThatIllegalArgumentException().as("U+%04X", (int) c).isThrownBy(() -> Headers.of("X" + invalid, "v"));
            }
        }
    }

    @Test
    void withReplacesEveryLineOfTheFieldByOneInThePlaceOfTheFirst() {
        Headers headers = Headers.of("Age", "1", "Vary", "Accept", "age", "2", "ETag", "\"x\"");

        assertThat(headers.with("AGE", "3")).hasToString("AGE: 3\nVary: Accept\nETag: \"x\"\n");
        assertThat(headers.with("Date", "now")).hasToString("Age: 1\nVary: Accept\nage: 2\nETag: \"x\"\nDate: now\n");
        assertThat(Headers.EMPTY.with("Age", "0")).hasToString("Age: 0\n");
    }
}
