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
 *
 * <p>{@code Accept-Language} and {@code Accept-Encoding} are lists of weighted preferences (RFC 9110
 * §12.4.2, §12.5.3, §12.5.4), so they are compared by what they prefer: members are ordered by
 * weight, highest first, and a weight is written in one form ({@code q=1}, {@code q=1.0} and none
 * are one weight). Members of equal weight keep their order, because a server may break a tie by
 * it (Spring's {@code Locale.LanguageRange.parse} does): {@code en, fr} and {@code fr, en} stay
 * apart, while {@code fr;q=0.5, en} and {@code en, fr;q=0.5} are one variant. A value with a weight
 * that does not parse, or a parameter other than the weight, is compared as it is written.
 */
final class Vary {

    /** Fields of weighted preferences whose order carries no meaning beyond the weights. */
    private static final Set<String> WEIGHTED = Set.of("accept-encoding", "accept-language");

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
                if (CASE_INSENSITIVE.contains(name)) {
                    value = value.toLowerCase(Locale.ROOT);
                }
                normalized.append(WEIGHTED.contains(name) ? byWeight(value) : value);
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

    /**
     * A normalised list of weighted preferences ({@code token[;q=weight]}, whitespace already
     * removed), ordered by weight with ties in their order, each weight in its shortest form; the
     * value unchanged if any member is not of that shape.
     */
    static String byWeight(String value) {
        String[] members = value.split(",", -1);
        List<String> tokens = new ArrayList<>(members.length);
        List<Integer> weights = new ArrayList<>(members.length);
        for (String member : members) {
            int semicolon = member.indexOf(';');
            String token = semicolon < 0 ? member : member.substring(0, semicolon);
            int weight = semicolon < 0 ? 1000 : weight(member.substring(semicolon + 1));
            if (token.isEmpty() || weight < 0) {
                return value;
            }
            tokens.add(token);
            weights.add(weight);
        }
        Integer[] order = new Integer[tokens.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        // Stable: members of equal weight keep the order the client gave them.
        java.util.Arrays.sort(order, (a, b) -> Integer.compare(weights.get(b), weights.get(a)));
        StringBuilder sorted = new StringBuilder(value.length());
        for (int i : order) {
            if (sorted.length() > 0) {
                sorted.append(',');
            }
            sorted.append(tokens.get(i));
            int weight = weights.get(i);
            if (weight != 1000) {
                sorted.append(";q=").append(weight / 1000).append('.');
                String fraction = String.format(Locale.ROOT, "%03d", weight % 1000).replaceAll("0+$", "");
                sorted.append(fraction.isEmpty() ? "0" : fraction);
            }
        }
        return sorted.toString();
    }

    /** A weight ({@code q=} then 0 to 1 with up to three decimals, RFC 9110 §12.4.2) in thousandths, or -1. */
    private static int weight(String parameter) {
        if (!parameter.startsWith("q=")) {
            return -1;
        }
        String number = parameter.substring(2);
        if (number.isEmpty() || number.length() > 5 || (number.charAt(0) != '0' && number.charAt(0) != '1')) {
            return -1;
        }
        int thousandths = (number.charAt(0) - '0') * 1000;
        if (number.length() > 1) {
            if (number.charAt(1) != '.') {
                return -1;
            }
            int scale = 100;
            for (int i = 2; i < number.length(); i++, scale /= 10) {
                char digit = number.charAt(i);
                if (digit < '0' || digit > '9') {
                    return -1;
                }
                thousandths += (digit - '0') * scale;
            }
        }
        return thousandths > 1000 ? -1 : thousandths;
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
