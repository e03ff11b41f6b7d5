package io.hishel.http;

import java.util.List;

/**
 * The shared pieces of RFC 9110 §5.6 field syntax: tokens, whitespace, quoted strings and lists.
 * Everything here is lenient: it never throws on what a peer sent.
 */
final class FieldValues {

    /** RFC 1.2.2 / RFC 9111 §1.2.2: the value a cache uses for an overflowing delta-seconds. */
    static final long DELTA_SECONDS_MAX = 2_147_483_648L;

    private FieldValues() {
    }

    /** {@code tchar} of RFC 9110 §5.6.2, a bit per US-ASCII code: every field name of every request is checked. */
    private static final long[] TOKEN_CHARS = tokenChars();

    private static long[] tokenChars() {
        long[] bits = new long[2];
        String symbols = "!#$%&'*+-.^_`|~";
        for (char c = 0; c < 128; c++) {
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || symbols.indexOf(c) >= 0) {
                bits[c >> 6] |= 1L << c;
            }
        }
        return bits;
    }

    static boolean isTokenChar(char c) {
        return c < 128 && (TOKEN_CHARS[c >> 6] & (1L << c)) != 0;
    }

    static boolean isToken(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (!isTokenChar(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    static String trimWhitespace(String value) {
        int start = 0;
        int end = value.length();
        while (start < end && isWhitespace(value.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(value.charAt(end - 1))) {
            end--;
        }
        return start == 0 && end == value.length() ? value : value.substring(start, end);
    }

    /**
     * Splits a list-based field value at commas that are not inside a quoted string, trimming
     * each member and dropping empty ones (RFC 9110 §5.6.1 says recipients ignore them).
     */
    static void splitList(String value, List<String> into) {
        int start = 0;
        boolean quoted = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                addMember(value.substring(start, i), into);
                start = i + 1;
            }
        }
        addMember(value.substring(start), into);
    }

    private static void addMember(String member, List<String> into) {
        String trimmed = trimWhitespace(member);
        if (!trimmed.isEmpty()) {
            into.add(trimmed);
        }
    }

    /**
     * Parses delta-seconds (RFC 9111 §1.2.2): one or more digits, nothing else. Values too large
     * to represent saturate at 2^31.
     *
     * @return the seconds, or -1 if the text is not delta-seconds
     */
    static long parseDeltaSeconds(String text) {
        if (text.isEmpty()) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (value < DELTA_SECONDS_MAX) {
                value = value * 10 + (c - '0');
            }
        }
        return Math.min(value, DELTA_SECONDS_MAX);
    }
}
