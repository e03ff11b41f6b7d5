package io.hishel.http;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HTTP-date (RFC 9110 §5.6.7): parsing of all three formats, and formatting as IMF-fixdate.
 *
 * <p>Parsing never throws and follows what RFC 9111 §4.2 asks of a cache: names are matched
 * case-insensitively, the zone must be {@code GMT} (any other zone makes the date invalid), and
 * nothing depends on the local time zone. It is lenient where real servers stray without
 * ambiguity: a one-digit day, a missing comma, extra spaces. A leap second ({@code :60}) is read
 * as {@code :59}, the nearest earlier time a {@link Instant} of whole seconds can hold.
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
    /**
     * Recently parsed IMF-fixdates, by hash. A hit reads a stored response's {@code Date} to
     * compute its age, and a hot entry's date is the same text every time: this makes that a
     * lookup instead of a parse. Slots are replaced, never cleared; records are immutable, so
     * racing threads at worst parse the same date twice.
     */
    private static final Parsed[] RECENT = new Parsed[256];

    private record Parsed(String text, Optional<Instant> instant) {
    }

    private HttpDate() {
    }

    /**
     * Parses an HTTP-date in any of its three formats.
     *
     * @param text the field value
     * @return the instant, or empty if the text is not a valid HTTP-date
     */
    public static Optional<Instant> parse(String text) {
        if (!isImfFixdateShaped(text)) {
            // Possibly a two-digit year, read relative to now: the answer may change, not memoised.
            return parse(text, Clock.systemUTC());
        }
        int slot = text.hashCode() & (RECENT.length - 1);
        Parsed recent = RECENT[slot];
        if (recent != null && recent.text().equals(text)) {
            return recent.instant();
        }
        Optional<Instant> instant = parse(text, Clock.systemUTC());
        RECENT[slot] = new Parsed(text, instant);
        return instant;
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
        if (text == null || text.length() > 64) {
            return Optional.empty();
        }
        List<String> tokens = tokens(text);
        if (tokens.size() == 6 && tokens.get(5).equalsIgnoreCase("GMT")) {
            // IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" or rfc850-date "Sunday, 06-Nov-94 08:49:37 GMT"
            if (!isDayName(tokens.get(0))) {
                return Optional.empty();
            }
            return toInstant(tokens.get(3), tokens.get(2), tokens.get(1), tokens.get(4), clock);
        }
        if (tokens.size() == 5 && isDayName(tokens.get(0))) {
            // asctime-date "Sun Nov  6 08:49:37 1994", always UTC
            return toInstant(tokens.get(4), tokens.get(1), tokens.get(2), tokens.get(3), clock);
        }
        return Optional.empty();
    }

    /** "Sun, 06 Nov 1994 08:49:37 GMT": a four-digit year, so the answer never depends on the clock. */
    private static boolean isImfFixdateShaped(String text) {
        if (text == null || text.length() != IMF_FIXDATE_LENGTH || text.charAt(3) != ',' || text.charAt(11) != ' '
                || text.charAt(16) != ' ' || text.charAt(19) != ':' || text.charAt(22) != ':') {
            return false;
        }
        for (int i = 12; i < 16; i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
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

    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>(6);
        int start = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            boolean separator = c == ' ' || c == '\t' || c == ',' || c == '-';
            if (separator) {
                if (start >= 0) {
                    tokens.add(text.substring(start, i));
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        return tokens;
    }

    private static boolean isDayName(String token) {
        for (int i = 0; i < SHORT_DAYS.length; i++) {
            if (token.equalsIgnoreCase(SHORT_DAYS[i]) || token.equalsIgnoreCase(LONG_DAYS[i])) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Instant> toInstant(String yearText, String monthText, String dayText,
                                               String timeText, Clock clock) {
        int year = digits(yearText, 2, 4);
        int month = month(monthText);
        int day = digits(dayText, 1, 2);
        if (year < 0 || yearText.length() == 3 || month < 0 || day < 0 || timeText.length() < 5) {
            return Optional.empty();
        }
        if (yearText.length() == 2) {
            year = fullYear(year, clock);
        }
        String[] hms = timeText.split(":", -1);
        if (hms.length != 3) {
            return Optional.empty();
        }
        int hour = digits(hms[0], 1, 2);
        int minute = digits(hms[1], 2, 2);
        int second = digits(hms[2], 2, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.of(year, month, day);
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

    private static int month(String token) {
        for (int i = 0; i < MONTHS.length; i++) {
            if (token.equalsIgnoreCase(MONTHS[i])) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The value of 1–4 ASCII digits, within the given length bounds; otherwise -1. */
    private static int digits(String token, int minLength, int maxLength) {
        if (token.length() < minLength || token.length() > maxLength) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
