package io.hishel.spec;

import io.hishel.http.Headers;
import io.hishel.http.Request;
import io.hishel.storage.Entry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Secondary keys from {@code Vary} (RFC 9111 §4.1).
 *
 * <p>An entry keeps a digest of the nominated request fields, normalised, instead of the fields
 * themselves, which may be {@code Cookie} or {@code Authorization}. Normalisation applies the
 * transformations §4.1 allows: field lines are combined, list members are trimmed and empty ones
 * dropped, whitespace around {@code ,}, {@code ;} and {@code =} is removed, and fields whose
 * values are case-insensitive ({@code Accept*}) are lower-cased. An absent field never matches a
 * present one, even an empty one.
 */
final class Vary {

    /** Fields whose values RFC 9110 §12.5 defines as case-insensitive tokens. */
    private static final Set<String> CASE_INSENSITIVE = Set.of(
            "accept", "accept-charset", "accept-encoding", "accept-language");

    private Vary() {
    }

    /** Whether the response's {@code Vary} contains {@code *}, which never matches (§4.1). */
    static boolean isStar(Headers responseHeaders) {
        return responseHeaders.listValues("Vary").contains("*");
    }

    /** The nominated field names, lower-cased, without repeats. */
    static List<String> fieldNames(Headers responseHeaders) {
        Set<String> names = new LinkedHashSet<>();
        for (String member : responseHeaders.listValues("Vary")) {
            names.add(member.toLowerCase(Locale.ROOT));
        }
        return new ArrayList<>(names);
    }

    /** The vary key of a request for a response: empty without {@code Vary}, otherwise a digest. */
    static String key(Headers responseHeaders, Headers requestHeaders) {
        List<String> names = fieldNames(responseHeaders);
        if (names.isEmpty()) {
            return "";
        }
        StringBuilder normalized = new StringBuilder();
        for (String name : names) {
            normalized.append(name).append(':');
            List<String> lines = requestHeaders.allValues(name);
            if (lines.isEmpty()) {
                normalized.append('\u0000');
            } else {
                String value = normalize(requestHeaders.listValues(name));
                normalized.append(CASE_INSENSITIVE.contains(name) ? value.toLowerCase(Locale.ROOT) : value);
            }
            normalized.append('\n');
        }
        return HexFormat.of().formatHex(sha256(normalized.toString()));
    }

    /** Whether the request's nominated fields match those of the request that stored the entry. */
    static boolean matches(Entry entry, Request request) {
        Headers stored = entry.response().headers();
        return !isStar(stored) && key(stored, request.headers()).equals(entry.request().varyKey());
    }

    private static String normalize(List<String> members) {
        StringBuilder value = new StringBuilder();
        for (String member : members) {
            if (value.length() > 0) {
                value.append(',');
            }
            boolean quoted = false;
            for (int i = 0; i < member.length(); i++) {
                char c = member.charAt(i);
                if (quoted && c == '\\' && i + 1 < member.length()) {
                    // A quoted-pair: the escaped character is data, not the end of the string.
                    value.append(c).append(member.charAt(++i));
                    continue;
                }
                if (c == '"') {
                    quoted = !quoted;
                }
                boolean whitespace = c == ' ' || c == '\t';
                if (!quoted && whitespace && (isDelimiter(previous(value)) || isDelimiter(next(member, i)))) {
                    continue;
                }
                value.append(c);
            }
        }
        return value.toString();
    }

    private static char previous(StringBuilder text) {
        return text.length() == 0 ? ',' : text.charAt(text.length() - 1);
    }

    /** The next character after a run of whitespace starting at {@code i}. */
    private static char next(String text, int i) {
        int j = i;
        while (j < text.length() && (text.charAt(j) == ' ' || text.charAt(j) == '\t')) {
            j++;
        }
        return j < text.length() ? text.charAt(j) : ',';
    }

    private static boolean isDelimiter(char c) {
        return c == ',' || c == ';' || c == '=';
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-256", e);
        }
    }
}
