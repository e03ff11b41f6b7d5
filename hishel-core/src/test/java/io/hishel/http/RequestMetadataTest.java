package io.hishel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestMetadataTest {

    @ParameterizedTest(name = "{0} s")
    @CsvSource({"3600, 3600000", "1.5, 1500", "0, 0", "' 60 ', 60000"})
    void readsTheTtlInSeconds(String value, long millis) {
        RequestMetadata metadata = RequestMetadata.fromHeaders(Headers.of("X-Hishel-Ttl", value));

        assertThat(metadata.ttl()).hasValue(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"abc", "-1", "NaN", "Infinity", "", "1e999"})
    void ignoresTtlsThatAreNotNonNegativeNumbers(String value) {
        assertThat(RequestMetadata.fromHeaders(Headers.of("X-Hishel-Ttl", value)).ttl()).isEmpty();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"1, true", "true, true", "YES, true", "on, true", "0, false", "false, false", "No, false",
        "off, false"})
    void readsFlagsInHishelsSpelling(String value, boolean expected) {
        RequestMetadata metadata = RequestMetadata.fromHeaders(Headers.of(
                "X-Hishel-Refresh-Ttl-On-Access", value, "X-Hishel-Spec-Ignore", value, "X-Hishel-Body-Key", value));

        assertThat(metadata.refreshTtlOnAccess()).hasValue(expected);
        assertThat(metadata.specIgnore()).isEqualTo(expected);
        assertThat(metadata.bodyKey()).isEqualTo(expected);
    }

    @Test
    void ignoresFlagsItCannotRead() {
        RequestMetadata metadata = RequestMetadata.fromHeaders(Headers.of("X-Hishel-Refresh-Ttl-On-Access", "maybe"));

        assertThat(metadata).isSameAs(RequestMetadata.NONE);
    }

    @Test
    void takesEachSettingFromTheFirstSourceThatSetsIt() {
        RequestMetadata fromAttributes = RequestMetadata.builder().bodyKey(false).ttl(Duration.ofSeconds(5)).build();
        RequestMetadata fromHeaders = RequestMetadata.builder().bodyKey(true).specIgnore(true)
                .refreshTtlOnAccess(false).ttl(Duration.ofSeconds(9)).build();

        RequestMetadata combined = fromAttributes.orElse(fromHeaders);

        assertThat(combined.bodyKey()).isFalse();
        assertThat(combined.ttl()).hasValue(Duration.ofSeconds(5));
        assertThat(combined.specIgnore()).isTrue();
        assertThat(combined.refreshTtlOnAccess()).hasValue(false);
    }

    @Test
    void refusesANegativeTtl() {
        assertThatIllegalArgumentException().isThrownBy(() -> RequestMetadata.builder().ttl(Duration.ofSeconds(-1)))
                .withMessageContaining("ttl");
    }
}
