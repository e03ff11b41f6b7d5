package io.hishel.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An entity-tag (RFC 9110 §8.8.3): an opaque validator, strong or weak.
 *
 * @param opaqueTag the characters between the double quotes
 * @param weak      whether the tag carried the {@code W/} prefix
 */
public record EntityTag(String opaqueTag, boolean weak) {

    /**
     * Checks the components.
     *
     * @param opaqueTag the characters between the double quotes
     * @param weak      whether the tag carried the {@code W/} prefix
     * @throws IllegalArgumentException if the opaque tag has a character outside {@code etagc}
     */
    public EntityTag {
        Objects.requireNonNull(opaqueTag, "opaqueTag");
        for (int i = 0; i < opaqueTag.length(); i++) {
            if (!isEtagChar(opaqueTag.charAt(i))) {
                throw new IllegalArgumentException("Entity-tag contains an invalid character at index " + i);
            }
        }
    }

    /**
     * Parses one entity-tag, such as {@code "xyzzy"} or {@code W/"xyzzy"}.
     *
     * @param text the field value
     * @return the tag, or empty if the text is not exactly one valid entity-tag
     */
    public static Optional<EntityTag> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String trimmed = FieldValues.trimWhitespace(text);
        boolean weak = trimmed.startsWith("W/");
        String quoted = weak ? trimmed.substring(2) : trimmed;
        if (quoted.length() < 2 || quoted.charAt(0) != '"' || quoted.charAt(quoted.length() - 1) != '"') {
            return Optional.empty();
        }
        String opaque = quoted.substring(1, quoted.length() - 1);
        for (int i = 0; i < opaque.length(); i++) {
            if (!isEtagChar(opaque.charAt(i))) {
                return Optional.empty();
            }
        }
        return Optional.of(new EntityTag(opaque, weak));
    }

    /**
     * Parses a list of entity-tags, as in {@code If-None-Match} or {@code If-Match}. Members that
     * are not valid entity-tags are skipped. A value of {@code *} is not a list: use
     * {@link #isWildcard(List)} first.
     *
     * @param fieldLines the field lines of the header
     * @return the valid tags, in order
     */
    public static List<EntityTag> parseList(List<String> fieldLines) {
        List<EntityTag> tags = new ArrayList<>();
        for (String line : fieldLines) {
            int i = 0;
            while (i < line.length()) {
                char c = line.charAt(i);
                if (c == ',' || FieldValues.isWhitespace(c)) {
                    i++;
                    continue;
                }
                int start = i;
                if (line.startsWith("W/", i)) {
                    i += 2;
                }
                if (i < line.length() && line.charAt(i) == '"') {
                    int close = line.indexOf('"', i + 1);
                    if (close < 0) {
                        break;
                    }
                    parse(line.substring(start, close + 1)).ifPresent(tags::add);
                    i = close + 1;
                } else {
                    // Not an entity-tag: skip to the next comma.
                    int comma = line.indexOf(',', i);
                    i = comma < 0 ? line.length() : comma + 1;
                }
            }
        }
        return Collections.unmodifiableList(tags);
    }

    /**
     * Whether the field lines hold the wildcard {@code *} of {@code If-None-Match} and
     * {@code If-Match} (RFC 9110 §13.1.1, §13.1.2).
     *
     * @param fieldLines the field lines of the header
     * @return true if any member is {@code *}
     */
    public static boolean isWildcard(List<String> fieldLines) {
        for (String line : fieldLines) {
            List<String> members = new ArrayList<>();
            FieldValues.splitList(line, members);
            if (members.contains("*")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Strong comparison (RFC 9110 §8.8.3.2): both strong and the same opaque tag.
     *
     * @param other the tag to compare with
     * @return true if equivalent
     */
    public boolean strongMatches(EntityTag other) {
        return !weak && !other.weak && opaqueTag.equals(other.opaqueTag);
    }

    /**
     * Weak comparison (RFC 9110 §8.8.3.2): the same opaque tag, whether weak or not.
     *
     * @param other the tag to compare with
     * @return true if equivalent
     */
    public boolean weakMatches(EntityTag other) {
        return opaqueTag.equals(other.opaqueTag);
    }

    /** The field value form, such as {@code W/"xyzzy"}. */
    @Override
    public String toString() {
        return (weak ? "W/\"" : "\"") + opaqueTag + '"';
    }

    /** {@code etagc} of RFC 9110 §8.8.3: any visible character but the double quote, or obs-text. */
    private static boolean isEtagChar(char c) {
        return c == 0x21 || c >= 0x23 && c <= 0x7E || c >= 0x80 && c <= 0xFF;
    }
}
