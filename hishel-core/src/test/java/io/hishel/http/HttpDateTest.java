package io.hishel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.hishel.MutableClock;
import io.hishel.Rfc;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

@Rfc("RFC 9110 §5.6.7")
class HttpDateTest {

    private static final Instant EXAMPLE = Instant.parse("1994-11-06T08:49:37Z");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "Sun, 06 Nov 1994 08:49:37 GMT",    // IMF-fixdate
        "Sunday, 06-Nov-94 08:49:37 GMT",   // obsolete RFC 850
        "Sun Nov  6 08:49:37 1994",         // obsolete asctime, one-digit day after a space
        "Sun Nov 06 08:49:37 1994",         // asctime with a two-digit day
        "  Sun, 06 Nov 1994 08:49:37 GMT  ", // optional whitespace around the field value (RFC 9110 §5.5)
        "\tSun, 06 Nov 1994 08:49:37 GMT"})
    void acceptsAllThreeFormats(String value) {
        assertThat(HttpDate.parse(value)).hasValue(EXAMPLE);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {
        "Sun, 6 Nov 1994 08:49:37 GMT",           // one-digit day in an IMF-fixdate
        "Sun, 06 Nov 94 08:49:37 GMT",            // two-digit year in an IMF-fixdate
        "Sun, 06 Nov 994 08:49:37 GMT",           // three-digit year
        "Sun, 06 Nov 01994 08:49:37 GMT",         // five-digit year
        "Sunday, 06-Nov-1994 08:49:37 GMT",       // four-digit year in an RFC 850 date
        "Sun 06 Nov 1994 08:49:37 GMT",           // missing comma
        "Sun,, 06 Nov 1994 08:49:37 GMT",         // extra comma
        "Sun, 06 Nov 1994, 08:49:37 GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",         // double spaces
        "Sun, 06  Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37  GMT",
        "Sun Nov   6 08:49:37 1994",
        "Sun,\t06 Nov 1994 08:49:37 GMT",         // a tab where the grammar has SP
        "Sun, 06-Nov-1994 08:49:37 GMT",          // dashes in an IMF-fixdate
        "Sunday, 06 Nov 94 08:49:37 GMT",         // spaces in an RFC 850 date
        "Sun, 06-Nov-94 08:49:37 GMT",            // short day name in an RFC 850 date
        "Sunday, 06 Nov 1994 08:49:37 GMT",       // long day name in an IMF-fixdate
        "Sun, 06 Nov 1994 8:49:37 GMT",           // one-digit hour
        "Sun, 06 Nov 1994 08:49:7 GMT",
        "Sun, 06 Nov 1994 08.49.37 GMT",
        "Sun Nov 6 08:49:37 1994",                // asctime day without its padding space
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 GMT",
        "Mon, 06 Nov 1994 08:49:37 GMT",          // a day-name that is not the date's
        "\u017fun, 06 Nov 1994 08:49:37 GMT",      // a long s, which Unicode case folding makes an s
        "Sun, 06 Nov 1994 08:49:60 GMT",          // a leap second that is not at 23:59
        "Monday, 06-Nov-94 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT", // two dates in one value
        "Sun, 06 Nov 1994 08:49:37 GMT Sun, 06 Nov 1994 08:49:37 GMT"})
    @Rfc("RFC 9111 §5.3")
    void rejectsWhatTheGrammarDoesNotAllowThoughALenientParserWouldReadIt(String value) {
        assertThat(HttpDate.parse(value)).isEmpty();
    }

    @Test
    @Rfc("RFC 9111 §4.2.1")
    void aFieldWithLinesThatDisagreeHasNoDate() {
        assertThat(HttpDate.parseField(java.util.List.of("Sun, 06 Nov 1994 08:49:37 GMT",
                "Sun, 06 Nov 1994 08:49:37 GMT"))).hasValue(EXAMPLE);
        assertThat(HttpDate.parseField(java.util.List.of("Sun, 06 Nov 1994 08:49:37 GMT",
                "Mon, 07 Nov 1994 08:49:37 GMT"))).isEmpty();
        assertThat(HttpDate.parseField(java.util.List.of())).isEmpty();
        assertThat(HttpDate.parseField(java.util.List.of("0"))).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sun, 06 nov 1994 08:49:37 gmt", "SUN, 06 NOV 1994 08:49:37 GMT", "sunday, 06-NOV-94 08:49:37 Gmt"})
    @Rfc("RFC 9111 §4.2")
    void matchesNamesCaseInsensitively(String value) {
        assertThat(HttpDate.parse(value)).hasValue(EXAMPLE);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {
        "0", "-1", " ", "tomorrow", "1994-11-06T08:49:37Z", "784111777",
        "Sun, 06 Nov 1994 08:49:37 UTC", "Sun, 06 Nov 1994 08:49:37 +0000", "Sun, 06 Nov 1994 08:49:37 CET",
        "Sun, 06 Nov 1994 08:49:37", "Sun, 32 Nov 1994 08:49:37 GMT", "Wed, 29 Feb 2023 08:49:37 GMT",
        "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:60:00 GMT", "Sun, 06 Nov 1994 08:49:61 GMT",
        "Sun, 06 Nov 1994 08:49 GMT", "Sun, 06 Foo 1994 08:49:37 GMT", "Xyz, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 994 08:49:37 GMT", "Sun, 06 Nov 19944 08:49:37 GMT", "Sun, 06 Nov 1994 8:49:7 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT+1", "Sun, 06 Nov 1994 08:49:37 EST", "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT extra", "Sun Nov  6 08:49:37 1994 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT Sun, 06 Nov 1994 08:49:37 GMT Sun, 06 Nov 1994 08:49:37 GMT"})
    @Rfc("RFC 9111 §4.2")
    void rejectsInvalidDatesAndZonesOtherThanGmt(String value) {
        assertThat(HttpDate.parse(value)).isEmpty();
    }

    @Test
    void readsALeapSecondAsTheSecondBefore() {
        assertThat(HttpDate.parse("Sat, 31 Dec 2016 23:59:60 GMT")).hasValue(Instant.parse("2016-12-31T23:59:59Z"));
    }

    @Test
    void readsATwoDigitYearMoreThanFiftyYearsAheadAsThePastCentury() {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));

        assertThat(HttpDate.parse("Saturday, 01-Jan-77 00:00:00 GMT", clock)).hasValue(Instant.parse("1977-01-01T00:00:00Z"));
        assertThat(HttpDate.parse("Wednesday, 01-Jan-76 00:00:00 GMT", clock)).hasValue(Instant.parse("2076-01-01T00:00:00Z"));
        assertThat(HttpDate.parse("Tuesday, 01-Jan-30 00:00:00 GMT", clock)).hasValue(Instant.parse("2030-01-01T00:00:00Z"));
    }

    @Test
    void formatsAsImfFixdate() {
        assertThat(HttpDate.format(EXAMPLE)).isEqualTo("Sun, 06 Nov 1994 08:49:37 GMT");
        assertThat(HttpDate.format(Instant.parse("2026-01-01T00:00:00.999Z"))).isEqualTo("Thu, 01 Jan 2026 00:00:00 GMT");
        assertThat(HttpDate.format(Instant.MAX)).isEqualTo("Fri, 31 Dec 9999 23:59:59 GMT");
    }

    @Test
    void formattedDatesParseBack() {
        Random random = new Random(5322);
        for (int i = 0; i < 2_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE));
            assertThat(HttpDate.parse(HttpDate.format(instant))).hasValue(instant);
        }
    }

    @Test
    void neverThrowsOnArbitraryInput() {
        Random random = new Random(7231);
        String alphabet = "SunMonNov GMT,-:0123456789 \t\u00e9";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int j = random.nextInt(40); j > 0; j--) {
                value.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThatNoException().isThrownBy(() -> HttpDate.parse(value.toString()));
        }
    }

    @Test
    void datesParsedAgainGiveTheSameInstantsWhateverElseWasParsed() {
        // Recently parsed dates are kept in a small table by hash: thousands of dates share its
        // slots, and each must still read as itself, the first time and every time after.
        Random random = new Random(7);
        Instant[] instants = new Instant[5000];
        for (int i = 0; i < instants.length; i++) {
            instants[i] = Instant.ofEpochSecond(random.nextInt(Integer.MAX_VALUE));
        }
        for (int pass = 0; pass < 2; pass++) {
            for (Instant instant : instants) {
                assertThat(HttpDate.parse(HttpDate.format(instant))).hasValue(instant);
            }
        }
    }
}
