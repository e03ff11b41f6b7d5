package io.hishel.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The header section of an HTTP message: an ordered list of field lines.
 *
 * <p>Look-up is case-insensitive (RFC 9110 §5.1), while every field line keeps the casing and the
 * position it arrived with, so a message written back out looks as it came in. A field name may
 * occur on several lines; {@link #allValues} returns every line and never merges them, which
 * matters for {@code Set-Cookie} (RFC 6265 §3), whose values cannot be combined with commas.
 *
 * <p>Instances are immutable and thread-safe; the {@code with…}/{@code plus…}/{@code without…}
 * methods return new instances.
 */
public final class Headers implements Iterable<Headers.Field> {

    /** Headers with no field lines. */
    public static final Headers EMPTY = new Headers(new String[0]);

    /**
     * One field line.
     *
     * @param name  the field name as it was received or set, in its original casing
     * @param value the field line value, without leading or trailing whitespace
     */
    public record Field(String name, String value) {

        /**
         * Validates the field line.
         *
         * @param name  the field name
         * @param value the value
         * @throws IllegalArgumentException if the name is not a token or the value contains
         *                                  CR, LF or NUL (which would let a value inject lines)
         */
        public Field {
            checkName(name);
            value = checkValue(name, value);
        }
    }

    /** Alternating names and values: {@code [name0, value0, name1, value1, …]}. */
    private final String[] namesAndValues;

    /**
     * The fields a cache reads, parsed when first asked for and kept with the text they come
     * from, as OkHttp keeps a response's parsed {@code CacheControl}: a stored entry's directives,
     * dates and validators are parsed once per entry, a request's directives once per request.
     * Parsed values are immutable, so threads racing to fill a slot at worst parse twice.
     */
    private volatile CacheControl cacheControl;
    private volatile Parsed parsed;

    /** The parsed values other than {@code Cache-Control}, by field name (lower case). */
    private record Parsed(String field, Object value, Parsed next) {
    }

    private Headers(String[] namesAndValues) {
        this.namesAndValues = namesAndValues;
    }

    /**
     * Creates headers from alternating names and values.
     *
     * @param namesAndValues {@code name0, value0, name1, value1, …}
     * @return the headers, in the given order
     * @throws IllegalArgumentException if the count is odd, a name is not a token or a value
     *                                  contains CR, LF or NUL
     */
    public static Headers of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Expected alternating names and values, but got "
                    + namesAndValues.length + " strings");
        }
        String[] copy = namesAndValues.clone();
        for (int i = 0; i < copy.length; i += 2) {
            checkName(copy[i]);
            copy[i + 1] = checkValue(copy[i], copy[i + 1]);
        }
        return copy.length == 0 ? EMPTY : new Headers(copy);
    }

    /**
     * Creates headers from field lines.
     *
     * @param fields the field lines, in order
     * @return the headers
     */
    public static Headers of(Collection<Field> fields) {
        String[] array = new String[fields.size() * 2];
        int i = 0;
        for (Field field : fields) {
            array[i++] = field.name();
            array[i++] = field.value();
        }
        return array.length == 0 ? EMPTY : new Headers(array);
    }

    /**
     * Starts an empty builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts a builder holding these field lines.
     *
     * @return a new builder
     */
    public Builder toBuilder() {
        Builder builder = new Builder();
        Collections.addAll(builder.namesAndValues, namesAndValues);
        return builder;
    }

    /**
     * The value of the first field line with this name.
     *
     * @param name a field name, in any case
     * @return the value, or empty if no line has this name
     */
    public Optional<String> firstValue(String name) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i].equalsIgnoreCase(name)) {
                return Optional.of(namesAndValues[i + 1]);
            }
        }
        return Optional.empty();
    }

    /**
     * The values of every field line with this name, in order.
     *
     * @param name a field name, in any case
     * @return the values; empty if no line has this name
     */
    public List<String> allValues(String name) {
        List<String> values = null;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i].equalsIgnoreCase(name)) {
                if (values == null) {
                    values = new ArrayList<>(2);
                }
                values.add(namesAndValues[i + 1]);
            }
        }
        return values == null ? List.of() : Collections.unmodifiableList(values);
    }

    /**
     * The members of a list-based field (RFC 9110 §5.6.1) across all its field lines: split at
     * commas outside quoted strings, trimmed, empty members dropped. {@code Vary: a, b} and two
     * lines {@code Vary: a} and {@code Vary: b} both give {@code [a, b]}.
     *
     * @param name a field name, in any case
     * @return the members, in order; empty if the field is absent or empty
     */
    public List<String> listValues(String name) {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i].equalsIgnoreCase(name)) {
                FieldValues.splitList(namesAndValues[i + 1], members);
            }
        }
        return members;
    }

    /**
     * The field lines with this name combined into one value with {@code ", "} (RFC 9110 §5.3).
     * Do not use this for {@code Set-Cookie}.
     *
     * @param name a field name, in any case
     * @return the combined value, or empty if no line has this name
     */
    public Optional<String> combinedValue(String name) {
        List<String> values = allValues(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", values));
    }

    /**
     * Whether at least one field line has this name.
     *
     * @param name a field name, in any case
     * @return true if the field is present, even with an empty value
     */
    public boolean contains(String name) {
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (namesAndValues[i].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The distinct field names, in order of first appearance, each in the casing of its first
     * line.
     *
     * @return the names
     */
    public Set<String> names() {
        Set<String> lowerSeen = new LinkedHashSet<>();
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (lowerSeen.add(namesAndValues[i].toLowerCase(Locale.ROOT))) {
                names.add(namesAndValues[i]);
            }
        }
        return Collections.unmodifiableSet(names);
    }

    /**
     * The number of field lines.
     *
     * @return the count of lines, not of distinct names
     */
    public int size() {
        return namesAndValues.length / 2;
    }

    /**
     * Whether there are no field lines.
     *
     * @return true if empty
     */
    public boolean isEmpty() {
        return namesAndValues.length == 0;
    }

    /**
     * Replaces every line with this name by one line with this value. The new line takes the
     * place of the first line it replaces, or is appended.
     *
     * @param name  the field name
     * @param value the value
     * @return new headers
     */
    public Headers with(String name, String value) {
        checkName(name);
        String checked = checkValue(name, value);
        // Arrays, not a list: a hit adds its Age this way every time.
        String[] result = new String[namesAndValues.length + 2];
        int size = 0;
        boolean placed = false;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!namesAndValues[i].equalsIgnoreCase(name)) {
                result[size++] = namesAndValues[i];
                result[size++] = namesAndValues[i + 1];
            } else if (!placed) {
                result[size++] = name;
                result[size++] = checked;
                placed = true;
            }
        }
        if (!placed) {
            result[size++] = name;
            result[size++] = checked;
        }
        return new Headers(size == result.length ? result : Arrays.copyOf(result, size));
    }

    /**
     * Appends a field line, keeping existing lines with the same name.
     *
     * @param name  the field name
     * @param value the value
     * @return new headers
     */
    public Headers plus(String name, String value) {
        checkName(name);
        String[] copy = Arrays.copyOf(namesAndValues, namesAndValues.length + 2);
        copy[copy.length - 2] = name;
        copy[copy.length - 1] = checkValue(name, value);
        return new Headers(copy);
    }

    /**
     * Removes every line with this name.
     *
     * @param name a field name, in any case
     * @return new headers, or these if nothing was removed
     */
    public Headers without(String name) {
        return removeIf(name::equalsIgnoreCase);
    }

    /**
     * Removes every line whose name is in the collection (compared case-insensitively).
     *
     * @param names field names, in any case
     * @return new headers, or these if nothing was removed
     */
    public Headers without(Collection<String> names) {
        if (names.isEmpty()) {
            return this;
        }
        return removeIf(candidate -> {
            for (String name : names) {
                if (name.equalsIgnoreCase(candidate)) {
                    return true;
                }
            }
            return false;
        });
    }

    /**
     * Removes every line whose name matches the predicate.
     *
     * @param nameFilter receives each field name as it is stored
     * @return new headers, or these if nothing was removed
     */
    public Headers removeIf(Predicate<String> nameFilter) {
        List<String> kept = new ArrayList<>(namesAndValues.length);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!nameFilter.test(namesAndValues[i])) {
                kept.add(namesAndValues[i]);
                kept.add(namesAndValues[i + 1]);
            }
        }
        if (kept.size() == namesAndValues.length) {
            return this;
        }
        return kept.isEmpty() ? EMPTY : new Headers(kept.toArray(new String[0]));
    }

    /**
     * The field lines in order.
     *
     * @return an iterator over the lines
     */
    @Override
    public Iterator<Field> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < namesAndValues.length;
            }

            @Override
            public Field next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Field field = new Field(namesAndValues[next], namesAndValues[next + 1]);
                next += 2;
                return field;
            }
        };
    }

    /**
     * The {@code Cache-Control} field, parsed once (RFC 9111 §5.2).
     *
     * @return the directives of every {@code Cache-Control} line
     */
    public CacheControl cacheControl() {
        CacheControl directives = cacheControl;
        if (directives == null) {
            directives = CacheControl.parse(allValues("Cache-Control"));
            cacheControl = directives;
        }
        return directives;
    }

    /**
     * A targeted cache-control field (RFC 9213), parsed once.
     *
     * @param field the field's name, such as {@code CDN-Cache-Control}
     * @return its directives, or empty if it is absent or must be ignored (§2.1)
     */
    @SuppressWarnings("unchecked")
    public Optional<CacheControl> targetedCacheControl(String field) {
        return (Optional<CacheControl>) memoised(field, () -> {
            List<String> lines = allValues(field);
            return lines.isEmpty() ? Optional.empty() : CacheControl.parseTargeted(lines);
        });
    }

    /**
     * A field that holds one HTTP-date, such as {@code Date}, {@code Expires} or
     * {@code Last-Modified}, parsed once by {@link HttpDate#parseField}.
     *
     * @param field the field's name
     * @return the instant, or empty if the field is absent, invalid or has lines that disagree
     */
    @SuppressWarnings("unchecked")
    public Optional<java.time.Instant> date(String field) {
        return (Optional<java.time.Instant>) memoised(field, () -> HttpDate.parseField(allValues(field)));
    }

    /**
     * The {@code ETag} field (RFC 9110 §8.8.3), parsed once.
     *
     * @return the entity-tag of the first {@code ETag} line, or empty if there is none or it is invalid
     */
    @SuppressWarnings("unchecked")
    public Optional<EntityTag> entityTag() {
        return (Optional<EntityTag>) memoised("etag", () -> firstValue("ETag").flatMap(EntityTag::parse));
    }

    private Object memoised(String field, java.util.function.Supplier<Object> parse) {
        String key = field.toLowerCase(Locale.ROOT);
        for (Parsed entry = parsed; entry != null; entry = entry.next()) {
            if (entry.field().equals(key)) {
                return entry.value();
            }
        }
        Object value = parse.get();
        parsed = new Parsed(key, value, parsed);
        return value;
    }

    /**
     * Headers are equal when they have the same lines in the same order; names compare
     * case-insensitively, values exactly.
     */
    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        if (!(other instanceof Headers that) || that.namesAndValues.length != namesAndValues.length) {
            return false;
        }
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!namesAndValues[i].equalsIgnoreCase(that.namesAndValues[i])
                    || !namesAndValues[i + 1].equals(that.namesAndValues[i + 1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            hash = 31 * hash + namesAndValues[i].toLowerCase(Locale.ROOT).hashCode();
            hash = 31 * hash + namesAndValues[i + 1].hashCode();
        }
        return hash;
    }

    /** One line per field, as {@code Name: value}. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            text.append(namesAndValues[i]).append(": ").append(namesAndValues[i + 1]).append('\n');
        }
        return text.toString();
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!FieldValues.isToken(name)) {
            throw new IllegalArgumentException("Header name must be a token (RFC 9110 §5.1): \"" + name + "\"");
        }
    }

    private static String checkValue(String name, String value) {
        Objects.requireNonNull(value, () -> "value of " + name);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                throw new IllegalArgumentException("Value of header " + name
                        + " contains CR, LF or NUL at index " + i);
            }
        }
        return FieldValues.trimWhitespace(value);
    }

    /**
     * Builds {@link Headers}. Not thread-safe.
     */
    public static final class Builder {
        private final List<String> namesAndValues = new ArrayList<>(16);

        private Builder() {
        }

        /**
         * Appends a field line.
         *
         * @param name  the field name
         * @param value the value
         * @return this builder
         */
        public Builder add(String name, String value) {
            checkName(name);
            namesAndValues.add(name);
            namesAndValues.add(checkValue(name, value));
            return this;
        }

        /**
         * Replaces every line with this name by one line with this value.
         *
         * @param name  the field name
         * @param value the value
         * @return this builder
         */
        public Builder set(String name, String value) {
            remove(name);
            return add(name, value);
        }

        /**
         * Removes every line with this name.
         *
         * @param name a field name, in any case
         * @return this builder
         */
        public Builder remove(String name) {
            for (int i = namesAndValues.size() - 2; i >= 0; i -= 2) {
                if (namesAndValues.get(i).equalsIgnoreCase(name)) {
                    namesAndValues.remove(i + 1);
                    namesAndValues.remove(i);
                }
            }
            return this;
        }

        /**
         * Builds the headers.
         *
         * @return immutable headers holding the lines added so far
         */
        public Headers build() {
            return namesAndValues.isEmpty() ? EMPTY : new Headers(namesAndValues.toArray(new String[0]));
        }
    }
}
