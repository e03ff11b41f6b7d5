package io.hishel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.hishel.Rfc;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@Rfc("RFC 9111 §5.2")
class CacheControlTest {

    static Stream<Arguments> maxAgeValues() {
        return Stream.of(
                Arguments.of("max-age=60", OptionalLong.of(60)),
                Arguments.of("MAX-AGE=60", OptionalLong.of(60)),
                Arguments.of("Max-Age=60", OptionalLong.of(60)),
                Arguments.of("max-age=\"60\"", OptionalLong.of(60)),
                Arguments.of("max-age = 60", OptionalLong.of(60)),
                Arguments.of("max-age=0", OptionalLong.of(0)),
                Arguments.of("max-age=60, max-age=10", OptionalLong.empty()),
                Arguments.of("max-age=60, max-age=60", OptionalLong.of(60)),
                Arguments.of("max-age=60, MAX-AGE=abc", OptionalLong.empty()),
                Arguments.of("max-age, max-age=60", OptionalLong.empty()),
                Arguments.of("no-store, max-age=60", OptionalLong.of(60)),
                Arguments.of("max-age=2147483648", OptionalLong.of(2_147_483_648L)),
                Arguments.of("max-age=99999999999999999999999", OptionalLong.of(2_147_483_648L)),
                Arguments.of("max-age=", OptionalLong.empty()),
                Arguments.of("max-age=abc", OptionalLong.empty()),
                Arguments.of("max-age=-1", OptionalLong.empty()),
                Arguments.of("max-age=+5", OptionalLong.empty()),
                Arguments.of("max-age=1.5", OptionalLong.empty()),
                Arguments.of("max-age=5 6", OptionalLong.empty()),
                Arguments.of("max-age=\"5", OptionalLong.empty()),
                Arguments.of("max-age=0x10", OptionalLong.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("maxAgeValues")
    @Rfc({"RFC 9111 §1.2.2", "RFC 9111 §4.2.1"})
    void readsMaxAgeAsDeltaSecondsSaturatingAtTwoToThe31(String value, OptionalLong expected) {
        CacheControl directives = CacheControl.parse(value);

        assertThat(directives.has("max-age")).isTrue();
        assertThat(directives.maxAge()).isEqualTo(expected);
    }

    @Test
    void quotedStringArgumentsMayContainCommas() {
        CacheControl directives = CacheControl.parse("private=\"Set-Cookie, X-Id\", max-age=5");

        assertThat(directives.privateFields()).containsExactly("set-cookie", "x-id");
        assertThat(directives.isPrivate()).isFalse();
        assertThat(directives.maxAge()).hasValue(5);
    }

    @Test
    void quotedStringsUnescapeBackslashes() {
        CacheControl directives = CacheControl.parse("ext=\"a\\\"b\\\\c\", no-store");

        assertThat(directives.argument("ext")).hasValue("a\"b\\c");
        assertThat(directives.noStore()).isTrue();
    }

    @Test
    void fieldNameArgumentsAlsoAcceptTheTokenForm() {
        assertThat(CacheControl.parse("no-cache=Set-Cookie").noCacheFields()).containsExactly("set-cookie");
    }

    static Stream<Arguments> restrictiveReadings() {
        return Stream.of(
                Arguments.of("no-cache", true, false),
                Arguments.of("no-cache=\"\"", true, false),
                Arguments.of("no-cache=\"Set-Cookie", true, false),
                Arguments.of("no-cache=\"Set-Cookie\"", false, false),
                Arguments.of("private", false, true),
                Arguments.of("private=\"\"", false, true),
                Arguments.of("private=\"X-Id", false, true),
                Arguments.of("private=\"X-Id\"", false, false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("restrictiveReadings")
    @Rfc({"RFC 9111 §5.2.2.4", "RFC 9111 §5.2.2.7"})
    void malformedOrEmptyFieldListsCountAsUnqualified(String value, boolean noCache, boolean isPrivate) {
        CacheControl directives = CacheControl.parse(value);

        assertThat(directives.noCache()).isEqualTo(noCache);
        assertThat(directives.isPrivate()).isEqualTo(isPrivate);
    }

    @Test
    @Rfc("RFC 9111 §4.2.1")
    void duplicatedFreshnessDirectivesThatDisagreeAreInvalid() {
        CacheControl directives = CacheControl.parse(List.of("max-age=5, s-maxage=1", "max-age=500, s-maxage=9"));

        assertThat(directives.has("max-age")).isTrue();
        assertThat(directives.maxAge()).isEmpty();
        assertThat(directives.sMaxAge()).isEmpty();
        assertThat(directives.smallestSeconds("max-age")).hasValue(5);
        assertThat(directives.largestSeconds("max-age")).hasValue(500);
    }

    @Test
    void combinesEveryFieldLine() {
        CacheControl directives = CacheControl.parse(List.of("max-age=5", "no-store", "must-revalidate"));

        assertThat(directives.names()).containsExactly("max-age", "no-store", "must-revalidate");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", ",", " , ,, ", "=", "=5", "\"", "\"quoted\"", ";", "(", "\u0001"})
    void emptyOrMeaninglessValuesHaveNoDirectives(String value) {
        assertThat(CacheControl.parse(value).names()).isEmpty();
    }

    @Test
    void emptyMembersBetweenCommasAreSkipped() {
        CacheControl directives = CacheControl.parse(" , ,no-store,, ,max-age=3 ,");

        assertThat(directives.names()).containsExactly("no-store", "max-age");
    }

    @Test
    @Rfc("RFC 9111 §5.2.3")
    void keepsUnknownExtensionDirectives() {
        CacheControl directives = CacheControl.parse("community=\"UCI\", private, x-custom");

        assertThat(directives.extensions()).containsExactly("community", "x-custom");
        assertThat(directives.argument("community")).hasValue("UCI");
        assertThat(directives.isPrivate()).isTrue();
    }

    @Test
    void readsEveryDirectiveOfRfc9111AndRfc5861() {
        CacheControl directives = CacheControl.parse("max-age=1, s-maxage=2, max-stale=3, min-fresh=4, "
                + "stale-while-revalidate=5, stale-if-error=6, no-store, no-transform, only-if-cached, "
                + "must-revalidate, proxy-revalidate, must-understand, public, immutable");

        assertThat(directives.maxAge()).hasValue(1);
        assertThat(directives.sMaxAge()).hasValue(2);
        assertThat(directives.maxStale()).hasValue(3);
        assertThat(directives.minFresh()).hasValue(4);
        assertThat(directives.staleWhileRevalidate()).hasValue(5);
        assertThat(directives.staleIfError()).hasValue(6);
        assertThat(directives.noStore()).isTrue();
        assertThat(directives.noTransform()).isTrue();
        assertThat(directives.onlyIfCached()).isTrue();
        assertThat(directives.mustRevalidate()).isTrue();
        assertThat(directives.proxyRevalidate()).isTrue();
        assertThat(directives.mustUnderstand()).isTrue();
        assertThat(directives.isPublic()).isTrue();
        assertThat(directives.immutable()).isTrue();
        assertThat(directives.extensions()).isEmpty();
    }

    @Test
    @Rfc("RFC 9111 §5.2.1.2")
    void maxStaleWithoutAValueHasNoArgument() {
        CacheControl directives = CacheControl.parse("max-stale");

        assertThat(directives.has("max-stale")).isTrue();
        assertThat(directives.argument("max-stale")).isEmpty();
        assertThat(directives.maxStale()).isEmpty();
    }

    @Test
    void springSecurityDefaultsParseIntoEveryDirective() {
        // CVE-2026-59427: comparing the whole value with "no-store" missed this; parsing must not.
        CacheControl directives = CacheControl.parse("no-cache, no-store, max-age=0, must-revalidate");

        assertThat(directives.noCache()).isTrue();
        assertThat(directives.noStore()).isTrue();
        assertThat(directives.maxAge()).hasValue(0);
        assertThat(directives.mustRevalidate()).isTrue();
    }

    @Test
    void toStringWritesAValidFieldValue() {
        CacheControl directives = CacheControl.parse("MAX-AGE=5, private=\"a, b\", no-store");

        assertThat(directives).hasToString("max-age=5, private=\"a, b\", no-store");
        assertThat(CacheControl.parse(directives.toString())).isEqualTo(directives);
    }

    @Test
    void neverThrowsOnArbitraryInput() {
        Random random = new Random(9111);
        String alphabet = "max-age=no-store,private\"\\ \t;=,0123456789abc\u00ff\u0000";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder();
            int length = random.nextInt(40);
            for (int j = 0; j < length; j++) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = value.toString();
            assertThatNoException().as(text).isThrownBy(() -> {
                CacheControl directives = CacheControl.parse(text);
                directives.maxAge();
                directives.noCacheFields();
                directives.privateFields();
                directives.toString();
                CacheControl.parseTargeted(List.of(text));
            });
        }
    }

    @Test
    void parsesDeltaSecondsStrictly() {
        assertThat(CacheControl.parseDeltaSeconds("10")).hasValue(10);
        assertThat(CacheControl.parseDeltaSeconds("007")).hasValue(7);
        assertThat(CacheControl.parseDeltaSeconds(" 10")).isEmpty();
        assertThat(CacheControl.parseDeltaSeconds("")).isEmpty();
        assertThat(CacheControl.parseDeltaSeconds("1e3")).isEmpty();
    }

    // RFC 9213 targeted fields are Structured Field Dictionaries, parsed strictly.

    static Stream<Arguments> validTargetedFields() {
        return Stream.of(
                Arguments.of("max-age=60", Set.of("max-age"), OptionalLong.of(60)),
                Arguments.of("max-age=60, no-store", Set.of("max-age", "no-store"), OptionalLong.of(60)),
                Arguments.of("  max-age=60  ", Set.of("max-age"), OptionalLong.of(60)),
                Arguments.of("max-age=60,must-revalidate", Set.of("max-age", "must-revalidate"), OptionalLong.of(60)),
                Arguments.of("private;x=1, max-age=5;y", Set.of("private", "max-age"), OptionalLong.of(5)),
                Arguments.of("max-age=60, max-age=10", Set.of("max-age"), OptionalLong.empty()),
                Arguments.of("max-age=60;max-age=10", Set.of("max-age"), OptionalLong.of(60)),
                Arguments.of("no-store=?1", Set.of("no-store"), OptionalLong.empty()),
                Arguments.of("private=\"Set-Cookie\", max-age=0", Set.of("private", "max-age"), OptionalLong.of(0)),
                Arguments.of("max-age=60,\tpublic", Set.of("max-age", "public"), OptionalLong.of(60)),
                Arguments.of("none", Set.of("none"), OptionalLong.empty()),
                Arguments.of("x-ext=(1 2), x-bytes=:AQID:, x-flag=?0, max-age=3", Set.of("max-age"), OptionalLong.of(3)));
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"max-age=1.5", "max-age=\"60\"", "max-age=sixty", "max-age=-1", "max-age=(60)",
        "max-age=:AQID:", "max-age=?1", "no-store=?0, max-age=3", "no-store=1", "no-store=\"yes\"",
        "public=?0", "must-revalidate=(a)", "private=set-cookie", "no-cache=1", "no-cache=(\"a\" \"b\")",
        "s-maxage=1.0", "stale-if-error=\"60\"", "max-age=60, immutable=?0"})
    @Rfc("RFC 9213 §2.1")
    void aTargetedFieldWithADirectiveOfTheWrongTypeIsIgnoredAsAWhole(String value) {
        assertThat(CacheControl.parseTargeted(List.of(value))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validTargetedFields")
    @Rfc("RFC 9213 §2.1")
    void parsesTargetedFieldsAsStructuredDictionaries(String value, Set<String> names, OptionalLong maxAge) {
        CacheControl directives = CacheControl.parseTargeted(List.of(value)).orElseThrow();

        assertThat(directives.names()).containsExactlyInAnyOrderElementsOf(names);
        assertThat(directives.maxAge()).isEqualTo(maxAge);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "   ", "Max-Age=60", "max-age=60,", "max-age=60,,no-store", "max-age=\"60",
        "1max-age=60", "max-age=60 no-store", "max-age=?2", "no-cache=\"a\\b\"", "max-age=1234567890123456",
        "max-age=1.2345", "max-age=@1659578233", "-x"})
    @Rfc("RFC 9213 §2.1")
    void ignoresTargetedFieldsThatAreEmptyOrDoNotParse(String value) {
        assertThat(CacheControl.parseTargeted(List.of(value))).isEmpty();
    }

    @Test
    @Rfc("RFC 9213 §2.1")
    void targetedFieldStringsCarryFieldNameLists() {
        CacheControl directives = CacheControl.parseTargeted(List.of("no-cache=\"Set-Cookie, X-Id\"")).orElseThrow();

        assertThat(directives.noCacheFields()).containsExactly("set-cookie", "x-id");
    }

    @Test
    @Rfc("RFC 9213 §2.1")
    void targetedFieldLinesAreCombined() {
        CacheControl directives = CacheControl.parseTargeted(List.of("max-age=60", "must-revalidate")).orElseThrow();

        assertThat(directives.names()).containsExactly("max-age", "must-revalidate");
    }

    @Test
    void valuesParsedAgainGiveTheSameDirectivesWhateverElseWasParsed() {
        // Recently parsed one-line values are kept in a small table by hash: thousands of values
        // share its slots, and each must still read as itself, the first time and every time after.
        for (int pass = 0; pass < 2; pass++) {
            for (int seconds = 0; seconds < 5000; seconds++) {
                CacheControl parsed = CacheControl.parse(List.of("public, max-age=" + seconds));
                assertThat(parsed.maxAge()).hasValue(seconds);
                assertThat(parsed.has("public")).isTrue();
            }
        }
    }
}
