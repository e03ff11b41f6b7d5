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
 * <p>Parsing never throws. Directive names compare case-insensitively and are kept in lower
 * case; arguments may be tokens or quoted strings, and a quoted string may contain commas
 * ({@code private="Set-Cookie, X-Id"}); unknown (extension) directives are kept, and otherwise
 * ignored (§5.2.3); values too large saturate at 2^31 (§1.2.2).
 *
 * <p>Every occurrence of a directive counts, in every field line: a directive is read by its
 * meaning, never by its first occurrence, so that no spelling of a restrictive directive can be
 * hidden behind another (the class of CVE-2026-59427). When occurrences differ:
 * <table>
 *   <caption>How several occurrences of a directive are read</caption>
 *   <tr><th>directives</th><th>reading</th><th>why</th></tr>
 *   <tr><td>{@code private}, {@code no-cache}</td>
 *       <td>unqualified if any occurrence is unqualified, names no valid field, or is malformed;
 *           otherwise qualified by the union of the fields named</td>
 *       <td>the most restrictive reading (§5.2.2.4, §5.2.2.7)</td></tr>
 *   <tr><td>{@code no-store}, {@code must-revalidate}, {@code proxy-revalidate},
 *           {@code no-transform}, {@code only-if-cached}</td>
 *       <td>present if any occurrence is, with or without an argument</td>
 *       <td>the most restrictive reading</td></tr>
 *   <tr><td>{@code public}, {@code must-understand}, {@code immutable}</td>
 *       <td>present only if every occurrence is without an argument</td>
 *       <td>they loosen the rules; a spelling they do not have loosens nothing</td></tr>
 *   <tr><td>delta-seconds ({@code max-age}, {@code s-maxage}, {@code stale-while-revalidate},
 *           {@code stale-if-error}, {@code max-stale}, {@code min-fresh}):
 *           {@link #seconds}</td>
 *       <td>the value when every occurrence gives the same valid one; otherwise invalid</td>
 *       <td>§4.2.1: duplicates may make a response stale, the reading that never extends
 *           freshness; an invalid {@code stale-*} serves nothing stale</td></tr>
 *   <tr><td>request directives: {@link #smallestSeconds}, {@link #largestSeconds},
 *           {@link #valueless}</td>
 *       <td>what {@code RequestDirectives} reads: the smallest {@code max-age}, {@code max-stale}
 *           and {@code stale-if-error}, the largest {@code min-fresh}</td>
 *       <td>the client's strictest wish (§5.2.1)</td></tr>
 * </table>
 *
 * <p>Targeted fields follow the same rules. RFC 8941 would keep only the last member of a key
 * in a Dictionary; reading every member instead is stricter in the same way. A targeted field
 * whose directive has a value of the wrong type is ignored as a whole ({@link #parseTargeted}).
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
     * Directive name → the argument of each occurrence, in order: {@link #NO_ARGUMENT} for one
     * without, {@link #MALFORMED} for one whose argument is malformed.
     */
    private final Map<String, List<String>> directives;

    /** The mark of an occurrence without an argument. */
    private static final String NO_ARGUMENT = new String("<none>");

    private CacheControl(Map<String, List<String>> directives) {
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
        return parseLines(fieldLines);
    }

    private static CacheControl parseLines(List<String> fieldLines) {
        Map<String, List<String>> directives = new LinkedHashMap<>();
        for (String line : fieldLines) {
            parseLine(line, directives);
        }
        return of(directives);
    }

    private static CacheControl of(Map<String, List<String>> directives) {
        if (directives.isEmpty()) {
            return EMPTY;
        }
        directives.replaceAll((name, arguments) -> Collections.unmodifiableList(arguments));
        return new CacheControl(Collections.unmodifiableMap(directives));
    }

    private static void add(Map<String, List<String>> directives, String name, String argument) {
        directives.computeIfAbsent(name, n -> new ArrayList<>(1)).add(argument == null ? NO_ARGUMENT : argument);
    }

    /**
     * Parses a targeted cache-control field such as {@code CDN-Cache-Control} (RFC 9213 §2.1):
     * a Structured Field Dictionary, not a {@code Cache-Control} list. RFC 9213 requires a cache to
     * ignore the field when it is empty or does not parse, so that case gives an empty result.
     *
     * <p>Values map to arguments as §2.1 describes, and a directive this cache knows must have the
     * type §2.1 infers for it: an Integer of zero or more for the delta-seconds directives, Boolean
     * true for those without an argument, Boolean true or a String for {@code no-cache} and
     * {@code private}. A field with a member of another type — {@code max-age=1.5},
     * {@code max-age="60"}, {@code no-store=?0}, an inner list — is ignored as a whole, as one that
     * does not parse is: §2.1 says not to consume such values, and using the rest of the field
     * would obey a field its author got wrong. Extension directives may have any type; parameters
     * are ignored.
     *
     * @param fieldLines the values of every line of the targeted field, in order
     * @return the directives, or empty if the field must be ignored
     */
    public static Optional<CacheControl> parseTargeted(List<String> fieldLines) {
        if (fieldLines.isEmpty()) {
            return Optional.empty();
        }
        Optional<List<Map.Entry<String, StructuredFields.Item>>> members =
                StructuredFields.parseDictionaryMembers(String.join(", ", fieldLines));
        if (members.isEmpty() || members.get().isEmpty()) {
            return Optional.empty();
        }
        Map<String, List<String>> directives = new LinkedHashMap<>();
        for (Map.Entry<String, StructuredFields.Item> member : members.get()) {
            StructuredFields.Item item = member.getValue();
            if (!hasInferredType(member.getKey(), item)) {
                return Optional.empty();
            }
            if (item instanceof StructuredFields.BooleanItem bool) {
                if (bool.value()) {
                    add(directives, member.getKey(), null);
                }
            } else if (item instanceof StructuredFields.TextItem text) {
                add(directives, member.getKey(), text.text());
            }
        }
        return Optional.of(of(directives));
    }

    /** RFC 9213 §2.1: the type a response directive's value must have in a targeted field. */
    private static boolean hasInferredType(String name, StructuredFields.Item item) {
        boolean booleanTrue = item instanceof StructuredFields.BooleanItem bool && bool.value();
        StructuredFields.Kind kind = item instanceof StructuredFields.TextItem text ? text.kind() : null;
        return switch (name) {
            case "max-age", "s-maxage", "stale-while-revalidate", "stale-if-error" ->
                    kind == StructuredFields.Kind.INTEGER && !((StructuredFields.TextItem) item).text().startsWith("-");
            case "no-store", "must-revalidate", "proxy-revalidate", "public", "no-transform", "immutable",
                    "must-understand" -> booleanTrue;
            case "no-cache", "private" -> booleanTrue || kind == StructuredFields.Kind.STRING;
            default -> true;
        };
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
     * The directive's argument, unquoted, when every occurrence gives the same one.
     *
     * @param name a directive name, in any case
     * @return the argument, or empty if the directive is absent, has none, or its occurrences
     *         disagree
     */
    public Optional<String> argument(String name) {
        List<String> arguments = directives.get(name.toLowerCase(Locale.ROOT));
        if (arguments == null) {
            return Optional.empty();
        }
        String first = arguments.get(0);
        for (String argument : arguments) {
            if (argument == NO_ARGUMENT ? first != NO_ARGUMENT : !argument.equals(first)) {
                return Optional.empty();
            }
        }
        return first == NO_ARGUMENT ? Optional.empty() : Optional.of(first);
    }

    /**
     * The directive's argument as delta-seconds (RFC 9111 §1.2.2), saturating at 2^31, when every
     * occurrence gives the same valid value.
     *
     * @param name a directive name, in any case
     * @return the seconds, or empty if the directive is absent, an occurrence has no argument or
     *         one that is not a non-negative integer, or the occurrences disagree
     */
    public OptionalLong seconds(String name) {
        List<String> arguments = directives.get(name.toLowerCase(Locale.ROOT));
        if (arguments == null) {
            return OptionalLong.empty();
        }
        long agreed = -1;
        for (String argument : arguments) {
            long seconds = argument == NO_ARGUMENT ? -1 : FieldValues.parseDeltaSeconds(argument);
            if (seconds < 0 || agreed >= 0 && seconds != agreed) {
                return OptionalLong.empty();
            }
            agreed = seconds;
        }
        return OptionalLong.of(agreed);
    }

    /**
     * The smallest valid delta-seconds among the directive's occurrences; those without a valid
     * argument are ignored. For request directives that relax the cache's rules, where the
     * client's strictest wish counts.
     *
     * @param name a directive name, in any case
     * @return the seconds, or empty if no occurrence has a valid argument
     */
    public OptionalLong smallestSeconds(String name) {
        return extremeSeconds(name, true);
    }

    /**
     * The largest valid delta-seconds among the directive's occurrences; those without a valid
     * argument are ignored. For request directives that tighten the cache's rules
     * ({@code min-fresh}).
     *
     * @param name a directive name, in any case
     * @return the seconds, or empty if no occurrence has a valid argument
     */
    public OptionalLong largestSeconds(String name) {
        return extremeSeconds(name, false);
    }

    private OptionalLong extremeSeconds(String name, boolean smallest) {
        List<String> arguments = directives.get(name.toLowerCase(Locale.ROOT));
        if (arguments == null) {
            return OptionalLong.empty();
        }
        long extreme = -1;
        for (String argument : arguments) {
            long seconds = argument == NO_ARGUMENT ? -1 : FieldValues.parseDeltaSeconds(argument);
            if (seconds >= 0 && (extreme < 0 || (smallest ? seconds < extreme : seconds > extreme))) {
                extreme = seconds;
            }
        }
        return extreme < 0 ? OptionalLong.empty() : OptionalLong.of(extreme);
    }

    /**
     * Whether the directive is present and no occurrence has an argument: the spelling of
     * {@code public}, {@code immutable}, {@code must-understand}, and of a {@code max-stale}
     * that accepts any staleness.
     *
     * @param name a directive name, in any case
     * @return true if present and every occurrence is without an argument
     */
    public boolean valueless(String name) {
        List<String> arguments = directives.get(name.toLowerCase(Locale.ROOT));
        if (arguments == null) {
            return false;
        }
        for (String argument : arguments) {
            if (argument != NO_ARGUMENT) {
                return false;
            }
        }
        return true;
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
     * The unqualified {@code no-cache} (§5.2.1.4, §5.2.2.4): an occurrence without an argument, or
     * one whose argument names no valid field or is malformed, anywhere among them — the more
     * restrictive reading.
     *
     * @return true if every reuse needs validation
     */
    public boolean noCache() {
        return isUnqualified("no-cache");
    }

    /**
     * The field names of the qualified occurrences of {@code no-cache} (§5.2.2.4), in lower case.
     *
     * @return the union of the names; empty if absent or only unqualified
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
     * The unqualified {@code private} (§5.2.2.7): an occurrence without an argument, or one whose
     * argument names no valid field or is malformed, anywhere among them, whatever qualified
     * occurrences precede or follow it.
     *
     * @return true if a shared cache must not store the response
     */
    public boolean isPrivate() {
        return isUnqualified("private");
    }

    /**
     * The field names of the qualified occurrences of {@code private} (§5.2.2.7), in lower case.
     *
     * @return the union of the names; empty if absent or only unqualified
     */
    public Set<String> privateFields() {
        return fieldNames("private");
    }

    /**
     * {@code public} (§5.2.2.9), spelled as it is defined: without an argument.
     *
     * @return true if present, and no occurrence has an argument
     */
    public boolean isPublic() {
        return valueless("public");
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
     * {@code must-understand} (§5.2.2.3), which lifts {@code no-store}: only spelled as it is
     * defined, without an argument.
     *
     * @return true if present, and no occurrence has an argument
     */
    public boolean mustUnderstand() {
        return valueless("must-understand");
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
     * {@code immutable} (RFC 8246), spelled as it is defined: without an argument.
     *
     * @return true if present, and no occurrence has an argument
     */
    public boolean immutable() {
        return valueless("immutable");
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

    private boolean isUnqualified(String directive) {
        List<String> arguments = directives.get(directive);
        if (arguments == null) {
            return false;
        }
        for (String argument : arguments) {
            if (argument == NO_ARGUMENT || names(argument).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private Set<String> fieldNames(String directive) {
        List<String> arguments = directives.get(directive);
        if (arguments == null) {
            return Set.of();
        }
        Set<String> names = new LinkedHashSet<>();
        for (String argument : arguments) {
            if (argument != NO_ARGUMENT) {
                names.addAll(names(argument));
            }
        }
        return names;
    }

    /** The valid field names of a qualified argument, in lower case. */
    private static Set<String> names(String argument) {
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

    /** Directives compare by name and the arguments of their occurrences, in order. */
    @Override
    public boolean equals(Object other) {
        return other instanceof CacheControl that
                && new ArrayList<>(directives.entrySet()).equals(new ArrayList<>(that.directives.entrySet()));
    }

    @Override
    public int hashCode() {
        return directives.hashCode();
    }

    /** The directives as a {@code Cache-Control} field value, every occurrence of a name together. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        directives.forEach((name, arguments) -> {
            for (String argument : arguments) {
                if (text.length() > 0) {
                    text.append(", ");
                }
                text.append(name);
                if (argument != NO_ARGUMENT) {
                    text.append('=');
                    if (FieldValues.isToken(argument)) {
                        text.append(argument);
                    } else {
                        text.append('"').append(argument.replace("\\", "\\\\").replace("\"", "\\\""))
                                .append('"');
                    }
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
    private static void parseLine(String line, Map<String, List<String>> into) {
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
                add(into, name, malformed ? MALFORMED : argument);
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
