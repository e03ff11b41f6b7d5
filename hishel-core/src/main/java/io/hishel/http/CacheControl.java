package io.hishel.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parsed cache directives of a {@code Cache-Control} field (RFC 9111 §5.2) or of a targeted
 * cache-control field (RFC 9213).
 *
 * <p>Parsing never throws. It follows RFC 9111 §5.2 and §4.2.1:
 * <ul>
 *   <li>directive names compare case-insensitively and are kept in lower case;</li>
 *   <li>arguments may be tokens or quoted strings, and a quoted string may contain commas
 *       ({@code private="Set-Cookie, X-Id"});</li>
 *   <li>when a directive occurs more than once, its first occurrence counts;</li>
 *   <li>an argument that is not valid delta-seconds makes {@link #seconds} empty while
 *       {@link #has} stays true, so a caller can treat the freshness as invalid (a response with
 *       {@code max-age=abc} is stale, §4.2.1), and values too large saturate at 2^31
 *       (§1.2.2);</li>
 *   <li>unknown (extension) directives are kept, and otherwise ignored (§5.2.3).</li>
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class CacheControl {

    /** No directives. */
    public static final CacheControl EMPTY = new CacheControl(Map.of());

    /** The directives this project understands; everything else is an extension. */
    private static final Set<String> KNOWN = Set.of(
            "max-age", "max-stale", "min-fresh", "no-cache", "no-store", "no-transform", "only-if-cached",
            "must-revalidate", "must-understand", "private", "proxy-revalidate", "public", "s-maxage",
            "immutable", "stale-while-revalidate", "stale-if-error");

    /**
     * The argument kept for a directive whose argument is malformed (an unterminated quoted
     * string, trailing garbage, an SF inner list): present but empty, so the directive still
     * counts, its seconds are invalid and its field list names nothing — the restrictive readings.
     */
    private static final String MALFORMED = "";

    /**
     * Recently parsed one-line values, by hash. Every hit reads the stored response's
     * {@code Cache-Control}, and a hot entry's is the same text every time: this makes that a
     * lookup instead of a parse. Parsed values are immutable, so racing threads at worst parse
     * the same text twice.
     */
    private static final Parsed[] RECENT = new Parsed[256];
    private static final int LONGEST_MEMOISED = 256;

    private record Parsed(String line, CacheControl value) {
    }

    /** Directive name → argument, or {@code null} when the directive has no argument. */
    private final Map<String, String> directives;

    private CacheControl(Map<String, String> directives) {
        this.directives = directives;
    }

    /**
     * Parses one {@code Cache-Control} field value.
     *
     * @param value the field value; {@code null} gives {@link #EMPTY}
     * @return the directives
     */
    public static CacheControl parse(String value) {
        return value == null ? EMPTY : parse(List.of(value));
    }

    /**
     * Parses the field lines of a {@code Cache-Control} field.
     *
     * @param fieldLines the values of every {@code Cache-Control} line, in order
     * @return the directives
     */
    public static CacheControl parse(List<String> fieldLines) {
        if (fieldLines.size() == 1 && fieldLines.get(0).length() <= LONGEST_MEMOISED) {
            String line = fieldLines.get(0);
            int slot = line.hashCode() & (RECENT.length - 1);
            Parsed recent = RECENT[slot];
            if (recent != null && recent.line().equals(line)) {
                return recent.value();
            }
            CacheControl value = parseLines(fieldLines);
            RECENT[slot] = new Parsed(line, value);
            return value;
        }
        return parseLines(fieldLines);
    }

    private static CacheControl parseLines(List<String> fieldLines) {
        Map<String, String> directives = new LinkedHashMap<>();
        for (String line : fieldLines) {
            parseLine(line, directives);
        }
        return directives.isEmpty() ? EMPTY : new CacheControl(Collections.unmodifiableMap(directives));
    }

    /**
     * Parses a targeted cache-control field such as {@code CDN-Cache-Control} (RFC 9213 §2.1):
     * a Structured Field Dictionary, not a {@code Cache-Control} list. RFC 9213 requires a cache to
     * ignore the field when it is empty or does not parse, so that case gives an empty result.
     *
     * <p>Values map to arguments as §2.1 describes: Boolean true → no argument; Integer, Token
     * and String → their text; a Decimal keeps its text, which is not valid delta-seconds, so
     * {@code max-age=1.5} counts as invalid rather than being rounded. Boolean false removes the
     * directive; parameters are ignored.
     *
     * @param fieldLines the values of every line of the targeted field, in order
     * @return the directives, or empty if the field must be ignored
     */
    public static Optional<CacheControl> parseTargeted(List<String> fieldLines) {
        if (fieldLines.isEmpty()) {
            return Optional.empty();
        }
        Optional<Map<String, StructuredFields.Item>> dictionary =
                StructuredFields.parseDictionary(String.join(", ", fieldLines));
        if (dictionary.isEmpty() || dictionary.get().isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> directives = new LinkedHashMap<>();
        dictionary.get().forEach((name, item) -> {
            if (item instanceof StructuredFields.BooleanItem bool) {
                if (bool.value()) {
                    directives.put(name, null);
                }
            } else if (item instanceof StructuredFields.TextItem text) {
                directives.put(name, text.text());
            } else {
                directives.put(name, MALFORMED);
            }
        });
        return Optional.of(directives.isEmpty() ? EMPTY : new CacheControl(Collections.unmodifiableMap(directives)));
    }

    /**
     * The directive names, in lower case and in order of first appearance.
     *
     * @return the names
     */
    public Set<String> names() {
        return directives.keySet();
    }

    /**
     * Whether the directive is present, with or without an argument.
     *
     * @param name a directive name, in any case
     * @return true if present
     */
    public boolean has(String name) {
        return directives.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /**
     * The argument of the directive's first occurrence, unquoted.
     *
     * @param name a directive name, in any case
     * @return the argument, or empty if the directive is absent or has none
     */
    public Optional<String> argument(String name) {
        String argument = directives.get(name.toLowerCase(Locale.ROOT));
        return argument == null ? Optional.empty() : Optional.of(argument);
    }

    /**
     * The directive's argument as delta-seconds (RFC 9111 §1.2.2), saturating at 2^31.
     *
     * @param name a directive name, in any case
     * @return the seconds, or empty if the directive is absent, has no argument, or its argument
     *         is not a non-negative integer
     */
    public OptionalLong seconds(String name) {
        String argument = directives.get(name.toLowerCase(Locale.ROOT));
        return argument == null ? OptionalLong.empty() : parseDeltaSeconds(argument);
    }

    /**
     * Parses delta-seconds (RFC 9111 §1.2.2), the syntax of directive arguments and of
     * {@code Age}: one or more digits and nothing else, saturating at 2^31.
     *
     * @param text the value
     * @return the seconds, or empty if the text is not delta-seconds
     */
    public static OptionalLong parseDeltaSeconds(String text) {
        long seconds = FieldValues.parseDeltaSeconds(text);
        return seconds < 0 ? OptionalLong.empty() : OptionalLong.of(seconds);
    }

    /**
     * {@code max-age} (§5.2.1.1, §5.2.2.1).
     *
     * @return the seconds, or empty if absent or invalid
     */
    public OptionalLong maxAge() {
        return seconds("max-age");
    }

    /**
     * {@code s-maxage} (§5.2.2.10).
     *
     * @return the seconds, or empty if absent or invalid
     */
    public OptionalLong sMaxAge() {
        return seconds("s-maxage");
    }

    /**
     * {@code max-stale} with a value (§5.2.1.2). A {@code max-stale} without a value accepts any
     * staleness: check {@link #has} and {@link #argument} for that case.
     *
     * @return the seconds, or empty if absent, without a value or invalid
     */
    public OptionalLong maxStale() {
        return seconds("max-stale");
    }

    /**
     * {@code min-fresh} (§5.2.1.3).
     *
     * @return the seconds, or empty if absent or invalid
     */
    public OptionalLong minFresh() {
        return seconds("min-fresh");
    }

    /**
     * {@code stale-while-revalidate} (RFC 5861 §3).
     *
     * @return the seconds, or empty if absent or invalid
     */
    public OptionalLong staleWhileRevalidate() {
        return seconds("stale-while-revalidate");
    }

    /**
     * {@code stale-if-error} (RFC 5861 §4).
     *
     * @return the seconds, or empty if absent or invalid
     */
    public OptionalLong staleIfError() {
        return seconds("stale-if-error");
    }

    /**
     * The unqualified {@code no-cache} (§5.2.1.4, §5.2.2.4). A qualified {@code no-cache} whose
     * argument names no field counts as unqualified, the more restrictive reading.
     *
     * @return true if every reuse needs validation
     */
    public boolean noCache() {
        return has("no-cache") && noCacheFields().isEmpty();
    }

    /**
     * The field names of a qualified {@code no-cache} (§5.2.2.4), in lower case.
     *
     * @return the names; empty if absent or unqualified
     */
    public Set<String> noCacheFields() {
        return fieldNames("no-cache");
    }

    /**
     * {@code no-store} (§5.2.1.5, §5.2.2.5).
     *
     * @return true if present
     */
    public boolean noStore() {
        return has("no-store");
    }

    /**
     * The unqualified {@code private} (§5.2.2.7). A qualified {@code private} whose argument names
     * no field counts as unqualified.
     *
     * @return true if a shared cache must not store the response
     */
    public boolean isPrivate() {
        return has("private") && privateFields().isEmpty();
    }

    /**
     * The field names of a qualified {@code private} (§5.2.2.7), in lower case.
     *
     * @return the names; empty if absent or unqualified
     */
    public Set<String> privateFields() {
        return fieldNames("private");
    }

    /**
     * {@code public} (§5.2.2.9).
     *
     * @return true if present
     */
    public boolean isPublic() {
        return has("public");
    }

    /**
     * {@code must-revalidate} (§5.2.2.2).
     *
     * @return true if present
     */
    public boolean mustRevalidate() {
        return has("must-revalidate");
    }

    /**
     * {@code proxy-revalidate} (§5.2.2.8).
     *
     * @return true if present
     */
    public boolean proxyRevalidate() {
        return has("proxy-revalidate");
    }

    /**
     * {@code must-understand} (§5.2.2.3).
     *
     * @return true if present
     */
    public boolean mustUnderstand() {
        return has("must-understand");
    }

    /**
     * {@code no-transform} (§5.2.1.6, §5.2.2.6).
     *
     * @return true if present
     */
    public boolean noTransform() {
        return has("no-transform");
    }

    /**
     * {@code immutable} (RFC 8246).
     *
     * @return true if present
     */
    public boolean immutable() {
        return has("immutable");
    }

    /**
     * {@code only-if-cached} (§5.2.1.7).
     *
     * @return true if present
     */
    public boolean onlyIfCached() {
        return has("only-if-cached");
    }

    /**
     * Whether there are no directives.
     *
     * @return true if empty
     */
    public boolean isEmpty() {
        return directives.isEmpty();
    }

    /**
     * The directives that neither RFC 9111, RFC 5861 nor RFC 8246 defines, which a cache must
     * ignore (§5.2.3) but a proxy passes on.
     *
     * @return the extension directive names, in lower case
     */
    public Set<String> extensions() {
        Set<String> extensions = new LinkedHashSet<>();
        for (String name : directives.keySet()) {
            if (!KNOWN.contains(name)) {
                extensions.add(name);
            }
        }
        return extensions;
    }

    private Set<String> fieldNames(String directive) {
        String argument = directives.get(directive);
        if (argument == null) {
            return Set.of();
        }
        List<String> members = new ArrayList<>();
        FieldValues.splitList(argument, members);
        Set<String> names = new LinkedHashSet<>();
        for (String member : members) {
            if (FieldValues.isToken(member)) {
                names.add(member.toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    /** Directives compare by name and argument, in order. */
    @Override
    public boolean equals(Object other) {
        return other instanceof CacheControl that
                && new ArrayList<>(directives.entrySet()).equals(new ArrayList<>(that.directives.entrySet()));
    }

    @Override
    public int hashCode() {
        return directives.hashCode();
    }

    /** The directives as a {@code Cache-Control} field value. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        directives.forEach((name, argument) -> {
            if (text.length() > 0) {
                text.append(", ");
            }
            text.append(name);
            if (argument != null) {
                text.append('=');
                if (FieldValues.isToken(argument)) {
                    text.append(argument);
                } else {
                    text.append('"').append(argument.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
            }
        });
        return text.toString();
    }

    /**
     * Reads {@code cache-directive = token [ "=" ( token / quoted-string ) ]} members separated by
     * commas. A member that is malformed after its name keeps its name with a {@link #MALFORMED}
     * argument: {@code max-age=5 6} still says "max-age", just not a usable one.
     */
    private static void parseLine(String line, Map<String, String> into) {
        int length = line.length();
        int i = 0;
        while (i < length) {
            char c = line.charAt(i);
            if (c == ',' || FieldValues.isWhitespace(c)) {
                i++;
                continue;
            }
            int nameStart = i;
            while (i < length && FieldValues.isTokenChar(line.charAt(i))) {
                i++;
            }
            String name = line.substring(nameStart, i).toLowerCase(Locale.ROOT);
            i = skipWhitespace(line, i);
            String argument = null;
            boolean malformed = false;
            if (i < length && line.charAt(i) == '=') {
                i = skipWhitespace(line, i + 1);
                if (i < length && line.charAt(i) == '"') {
                    StringBuilder quoted = new StringBuilder();
                    i++;
                    malformed = true;
                    while (i < length) {
                        char q = line.charAt(i++);
                        if (q == '\\' && i < length) {
                            quoted.append(line.charAt(i++));
                        } else if (q == '"') {
                            malformed = false;
                            break;
                        } else {
                            quoted.append(q);
                        }
                    }
                    argument = quoted.toString();
                } else {
                    int argumentStart = i;
                    while (i < length && line.charAt(i) != ',' && !FieldValues.isWhitespace(line.charAt(i))) {
                        i++;
                    }
                    argument = line.substring(argumentStart, i);
                }
                i = skipWhitespace(line, i);
            }
            if (i < length && line.charAt(i) != ',') {
                malformed = true;
                while (i < length && line.charAt(i) != ',') {
                    i++;
                }
            }
            if (!name.isEmpty()) {
                into.putIfAbsent(name, malformed ? MALFORMED : argument);
            }
        }
    }

    private static int skipWhitespace(String line, int i) {
        while (i < line.length() && FieldValues.isWhitespace(line.charAt(i))) {
            i++;
        }
        return i;
    }
}
