package io.hishel.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CacheOptionsTest {

    @Test
    void defaultsAreThoseOfACautiousSharedCache() {
        CacheOptions options = CacheOptions.defaults();

        assertThat(options.shared()).isTrue();
        assertThat(options.supportedMethods()).containsExactly("GET", "HEAD");
        assertThat(options.allowStale()).isZero();
        assertThat(options.heuristicFraction()).isEqualTo(0.10);
        assertThat(options.heuristicMaxLifetime()).isEqualTo(Duration.ofDays(1));
        assertThat(options.honorRequestDirectives()).isTrue();
        assertThat(options.storeSetCookie()).isFalse();
        assertThat(options.maxEntrySize()).isEqualTo(10L * 1024 * 1024);
        assertThat(options.targetedFields()).containsExactly("Hishel-Cache-Control", "CDN-Cache-Control");
    }

    @Test
    void aPrivateCacheStoresCookiesUnlessToldOtherwise() {
        assertThat(CacheOptions.builder().shared(false).build().storeSetCookie()).isTrue();
        assertThat(CacheOptions.builder().shared(false).storeSetCookie(false).build().storeSetCookie()).isFalse();
    }

    static Stream<Arguments> invalidValues() {
        return Stream.<Arguments>of(
                Arguments.of("supportedMethods", (Consumer<CacheOptions.Builder>) b -> b.supportedMethods(List.of())),
                Arguments.of("supportedMethods", (Consumer<CacheOptions.Builder>) b -> b.supportedMethods("GE T")),
                Arguments.of("allowStale", (Consumer<CacheOptions.Builder>) b -> b.allowStale(Duration.ofSeconds(-1))),
                Arguments.of("grace", (Consumer<CacheOptions.Builder>) b -> b.grace(Duration.ofSeconds(-1))),
                Arguments.of("heuristicFraction", (Consumer<CacheOptions.Builder>) b -> b.heuristicFraction(1.5)),
                Arguments.of("heuristicFraction", (Consumer<CacheOptions.Builder>) b -> b.heuristicFraction(Double.NaN)),
                Arguments.of("heuristicMaxLifetime",
                        (Consumer<CacheOptions.Builder>) b -> b.heuristicMaxLifetime(Duration.ofDays(-1))),
                Arguments.of("maxEntrySize", (Consumer<CacheOptions.Builder>) b -> b.maxEntrySize(0)),
                Arguments.of("targetedFields",
                        (Consumer<CacheOptions.Builder>) b -> b.targetedFields(List.of("Cache-Control"))),
                Arguments.of("targetedFields", (Consumer<CacheOptions.Builder>) b -> b.targetedFields(List.of(" "))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidValues")
    void rejectsAnInvalidValueNamingTheOption(String option, Consumer<CacheOptions.Builder> change) {
        assertThatIllegalArgumentException().isThrownBy(() -> change.accept(CacheOptions.builder()))
                .withMessageContaining(option);
    }

    @Test
    void theRecordConstructorValidatesToo() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CacheOptions(true, java.util.Set.of("GET"),
                Duration.ZERO, Duration.ZERO, 2.0, Duration.ZERO, true, false, 1, List.of()))
                .withMessageContaining("heuristicFraction");
    }

    @Test
    void toBuilderKeepsEveryValue() {
        CacheOptions options = CacheOptions.builder().shared(false).supportedMethods("GET", "POST")
                .allowStale(Duration.ofMinutes(1)).grace(Duration.ofSeconds(7)).heuristicFraction(0.2)
                .heuristicMaxLifetime(Duration.ofHours(2))
                .honorRequestDirectives(false).storeSetCookie(false).maxEntrySize(5).targetedFields(List.of()).build();

        assertThat(options.toBuilder().build()).isEqualTo(options);
        assertThat(options.supports("POST")).isTrue();
        assertThat(options.supports("post")).isFalse();
    }

    @Test
    void policiesCarryTheirOptions() {
        assertThat(new SpecificationPolicy().options()).isEqualTo(CacheOptions.defaults());
        assertThat(new FilterPolicy(List.of(), List.of()).options()).isEqualTo(CacheOptions.defaults());
    }
}
