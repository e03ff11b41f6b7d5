package io.hishel.http;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * HTTP-date (RFC 9110 §5.6.7): parsing of all three formats, and formatting as IMF-fixdate.
 *
 * <p>Parsing never throws, and follows the grammar exactly: a value that is not one of
 * <pre>
 * IMF-fixdate  Sun, 06 Nov 1994 08:49:37 GMT    two-digit day, four-digit year
 * rfc850-date  Sunday, 06-Nov-94 08:49:37 GMT   obsolete; two-digit year
 * asctime-date Sun Nov  6 08:49:37 1994         obsolete; a one-digit day after a space
 * </pre>
 * with single spaces, two-digit times and nothing before or after is invalid — a missing comma,
 * a one-digit day or a two-digit year in an IMF-fixdate, a tab, a zone other than {@code GMT}, two
 * dates in one value. RFC 9111 §5.3 makes an invalid {@code Expires} a time in the past, so a
 * lenient reading of a malformed date would make a response the origin marked expired fresh.
 *
 * <p>Two readings are not the grammar's, and both are the RFC's own: names match
 * case-insensitively, as RFC 9111 §4.2 asks of a cache ("Sun" and "SUN", "GMT" and "gmt"), and the
 * optional whitespace around a field value, which is not part of the value (RFC 9110 §5.5), is
 * ignored. The day-name must be the day of the date: its meaning is RFC 5322's, where a
 * day-of-week that contradicts the date makes the date invalid. A leap second ({@code :60}) is read
 * as {@code :59}, the nearest earlier time a {@link Instant} of whole seconds can hold (§4.2). An
 * RFC 850 two-digit year more than 50 years ahead is in the past century (§5.6.7). Nothing depends
 * on the local time zone.
 */
public final class HttpDate {

    private static final String[] MONTHS = {
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"
    };
    private static final String[] SHORT_DAYS = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    private static final String[] LONG_DAYS = {
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"
    };
    private static final String[] FORMAT_DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] FORMAT_MONTHS = {
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
    };
    private static final Instant LATEST_FORMATTABLE = Instant.parse("9999-12-31T23:59:59Z");
    /** The length of every IMF-fixdate, and of no date in the other two formats. */
    private static final int IMF_FIXDATE_LENGTH = 29;
    private HttpDate() {
    }

    /**
     * Parses an HTTP-date in any of its three formats.
     *
     * @param text the field value
     * @return the instant, or empty if the text is not a valid HTTP-date
     */
    public static Optional<Instant> parse(String text) {
        return parse(text, Clock.systemUTC());
    }

    /**
     * Parses an HTTP-date, reading an RFC 850 two-digit year relative to the given clock: a year
     * more than 50 years in the future means the most recent past year with the same last two
     * digits (RFC 9110 §5.6.7).
     *
     * @param text  the field value
     * @param clock the clock that says which century a two-digit year belongs to
     * @return the instant, or empty if the text is not a valid HTTP-date
     */
    public static Optional<Instant> parse(String text, Clock clock) {
        if (text == null) {
            return Optional.empty();
        }
        String value = trimWhitespace(text);
        if (value.length() < 24 || value.length() > 33) {
            return Optional.empty();
        }
        if (value.length() == IMF_FIXDATE_LENGTH && value.charAt(3) == ',') {
            return imfFixdate(value);
        }
        if (value.length() == 24 && value.charAt(3) == ' ') {
            return asctime(value);
        }
        return rfc850(value, clock);
    }

    /**
     * The instant of a field that holds one HTTP-date, such as {@code Expires}, {@code Date} or
     * {@code Last-Modified}: empty when the field is absent, when its value is not a valid
     * HTTP-date, and when it has several lines that disagree — RFC 9111 §4.2.1 lets a cache
     * treat such a response as stale, the reading that never extends freshness.
     *
     * @param fieldLines the values of every line of the field, in order
     * @return the instant, or empty
     */
    public static Optional<Instant> parseField(List<String> fieldLines) {
        if (fieldLines.isEmpty()) {
            return Optional.empty();
        }
        String first = fieldLines.get(0);
        for (int i = 1; i < fieldLines.size(); i++) {
            if (!trimWhitespace(fieldLines.get(i)).equals(trimWhitespace(first))) {
                return Optional.empty();
            }
        }
        return parse(first);
    }

    /** {@code Sun, 06 Nov 1994 08:49:37 GMT} */
    private static Optional<Instant> imfFixdate(String value) {
        if (value.charAt(4) != ' ' || value.charAt(7) != ' ' || value.charAt(11) != ' ' || value.charAt(16) != ' '
                || value.charAt(25) != ' ' || !asciiMatches(value, 26, "gmt")) {
            return Optional.empty();
        }
        return toInstant(dayName(value, 0, 3, SHORT_DAYS), digits(value, 12, 4), month(value, 8),
                digits(value, 5, 2), value, 17);
    }

    /** {@code Sun Nov  6 08:49:37 1994}, or with {@code 06} */
    private static Optional<Instant> asctime(String value) {
        if (value.charAt(7) != ' ' || value.charAt(10) != ' ' || value.charAt(19) != ' ') {
            return Optional.empty();
        }
        int day = value.charAt(8) == ' ' ? digits(value, 9, 1) : digits(value, 8, 2);
        return toInstant(dayName(value, 0, 3, SHORT_DAYS), digits(value, 20, 4), month(value, 4), day, value, 11);
    }

    /** {@code Sunday, 06-Nov-94 08:49:37 GMT} */
    private static Optional<Instant> rfc850(String value, Clock clock) {
        int comma = value.indexOf(',');
        if (comma < 6 || comma > 9 || value.length() != comma + 24) {
            return Optional.empty();
        }
        int d = comma + 2;
        if (value.charAt(comma + 1) != ' ' || value.charAt(d + 2) != '-' || value.charAt(d + 6) != '-'
                || value.charAt(d + 9) != ' ' || value.charAt(d + 18) != ' '
                || !asciiMatches(value, d + 19, "gmt")) {
            return Optional.empty();
        }
        int twoDigitYear = digits(value, d + 7, 2);
        int year = twoDigitYear < 0 ? -1 : fullYear(twoDigitYear, clock);
        return toInstant(dayName(value, 0, comma, LONG_DAYS), year, month(value, d + 3), digits(value, d, 2), value,
                d + 10);
    }

    /**
     * Formats an instant as IMF-fixdate, the only format a sender may generate, dropping any
     * fraction of a second. Instants after the year 9999 are written as its last second.
     *
     * @param instant the instant
     * @return for example {@code Sun, 06 Nov 1994 08:49:37 GMT}
     */
    public static String format(Instant instant) {
        Instant clamped = instant.isAfter(LATEST_FORMATTABLE) ? LATEST_FORMATTABLE : instant;
        LocalDateTime time = LocalDateTime.ofEpochSecond(clamped.getEpochSecond(), 0, ZoneOffset.UTC);
        StringBuilder text = new StringBuilder(29);
        text.append(FORMAT_DAYS[time.getDayOfWeek().ordinal()]).append(", ");
        twoDigits(text, time.getDayOfMonth()).append(' ');
        text.append(FORMAT_MONTHS[time.getMonthValue() - 1]).append(' ');
        int year = time.getYear();
        text.append(year < 1000 ? String.format("%04d", Math.max(year, 0)) : Integer.toString(year)).append(' ');
        twoDigits(text, time.getHour()).append(':');
        twoDigits(text, time.getMinute()).append(':');
        twoDigits(text, time.getSecond()).append(" GMT");
        return text.toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }

    /** The value without the optional whitespace around it, which RFC 9110 §5.5 excludes from field values. */
    private static String trimWhitespace(String text) {
        int start = 0;
        int end = text.length();
        while (start < end && (text.charAt(start) == ' ' || text.charAt(start) == '\t')) {
            start++;
        }
        while (end > start && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
            end--;
        }
        return text.substring(start, end);
    }

    /** The day of the week (1 for Monday) a name at the position means, or -1. */
    private static int dayName(String value, int start, int length, String[] names) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].length() == length && asciiMatches(value, start, names[i])) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * Whether the text at the position is the lower-case ASCII word, in any ASCII case. Not
     * {@code regionMatches(true, …)}, which also folds letters such as {@code ſ} to {@code s}.
     */
    private static boolean asciiMatches(String value, int start, String lowerCaseWord) {
        if (start + lowerCaseWord.length() > value.length()) {
            return false;
        }
        for (int i = 0; i < lowerCaseWord.length(); i++) {
            char c = value.charAt(start + i);
            char lower = c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
            if (lower != lowerCaseWord.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param timeAt where {@code HH:MM:SS} starts
     */
    private static Optional<Instant> toInstant(int dayOfWeek, int year, int month, int day, String value,
                                               int timeAt) {
        if (dayOfWeek < 0 || year < 0 || month < 0 || day < 0 || value.charAt(timeAt + 2) != ':'
                || value.charAt(timeAt + 5) != ':') {
            return Optional.empty();
        }
        int hour = digits(value, timeAt, 2);
        int minute = digits(value, timeAt + 3, 2);
        int second = digits(value, timeAt + 6, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59
                && !(second == 60 && hour == 23 && minute == 59)) {
            // A leap second is the 61st second of 23:59 (RFC 9110 §5.6.7), and no other.
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.of(year, month, day);
            if (date.getDayOfWeek().getValue() != dayOfWeek) {
                // RFC 5322 §3.3: a day-of-week that is not the date's makes the date invalid.
                return Optional.empty();
            }
            return Optional.of(date.atTime(hour, minute, Math.min(second, 59)).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static int fullYear(int twoDigitYear, Clock clock) {
        int currentYear = LocalDate.now(clock.withZone(ZoneOffset.UTC)).getYear();
        int year = currentYear - currentYear % 100 + twoDigitYear;
        return year > currentYear + 50 ? year - 100 : year;
    }

    /** The month (1 to 12) whose three-letter name is at the position, or -1. */
    private static int month(String value, int start) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (asciiMatches(value, start, MONTHS[i])) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The value of exactly {@code length} ASCII digits at the position, or -1. */
    private static int digits(String value, int start, int length) {
        int result = 0;
        for (int i = start; i < start + length; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            result = result * 10 + (c - '0');
        }
        return result;
    }
}
