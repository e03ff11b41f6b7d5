package io.hishel.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The part of Structured Field Values (RFC 8941) that targeted cache-control fields need: parsing
 * a Dictionary (§4.2.2) strictly, failing on any syntax error as §4.2 prescribes. Parameters are
 * validated and then dropped, since RFC 9213 §2.1 says to ignore them.
 */
final class StructuredFields {

    /** A member value, reduced to what cache directives can use. */
    sealed interface Item permits BooleanItem, TextItem, OtherItem {
    }

    /** An sf-boolean, or a bare key (which means true). */
    record BooleanItem(boolean value) implements Item {
    }

    /** An sf-integer, sf-decimal, sf-string or sf-token, as its text. */
    record TextItem(String text, Kind kind) implements Item {
    }

    /** Which of the bare items with a text a {@link TextItem} is. */
    enum Kind {
        INTEGER, DECIMAL, STRING, TOKEN
    }

    /** An inner list or a byte sequence: valid syntax, but no cache directive takes one. */
    record OtherItem() implements Item {
    }

    private final String input;
    private int position;

    private StructuredFields(String input) {
        this.input = input;
    }

    /**
     * Parses a Dictionary. Later members with the same key replace earlier ones (§4.2.2).
     *
     * @return the members in order, or empty if the input is not a valid Dictionary
     */
    static Optional<Map<String, Item>> parseDictionary(String fieldValue) {
        return parseDictionaryMembers(fieldValue).map(members -> {
            Map<String, Item> dictionary = new LinkedHashMap<>();
            members.forEach(member -> dictionary.put(member.getKey(), member.getValue()));
            return dictionary;
        });
    }

    /**
     * Parses a Dictionary, keeping every member, also those whose key repeats an earlier one,
     * for readers that must not let a later member hide an earlier one.
     *
     * @return the members in order, or empty if the input is not a valid Dictionary
     */
    static Optional<List<Map.Entry<String, Item>>> parseDictionaryMembers(String fieldValue) {
        // §4.2: discard leading and trailing SP before parsing.
        int start = 0;
        int end = fieldValue.length();
        while (start < end && fieldValue.charAt(start) == ' ') {
            start++;
        }
        while (end > start && fieldValue.charAt(end - 1) == ' ') {
            end--;
        }
        try {
            return Optional.of(new StructuredFields(fieldValue.substring(start, end)).dictionary());
        } catch (ParseError e) {
            return Optional.empty();
        }
    }

    private List<Map.Entry<String, Item>> dictionary() {
        List<Map.Entry<String, Item>> members = new ArrayList<>();
        while (position < input.length()) {
            String key = key();
            Item value;
            if (peek() == '=') {
                position++;
                value = itemOrInnerList();
            } else {
                parameters();
                value = new BooleanItem(true);
            }
            members.add(Map.entry(key, value));
            skipOptionalWhitespace();
            if (position == input.length()) {
                return members;
            }
            if (input.charAt(position++) != ',') {
                throw new ParseError();
            }
            skipOptionalWhitespace();
            if (position == input.length()) {
                throw new ParseError(); // a trailing comma
            }
        }
        return members;
    }

    private Item itemOrInnerList() {
        if (peek() == '(') {
            innerList();
            return new OtherItem();
        }
        Item item = bareItem();
        parameters();
        return item;
    }

    private void innerList() {
        position++;
        while (position < input.length()) {
            skipSpaces();
            if (peek() == ')') {
                position++;
                parameters();
                return;
            }
            bareItem();
            parameters();
            char next = peek();
            if (next != ' ' && next != ')') {
                throw new ParseError();
            }
        }
        throw new ParseError();
    }

    private Item bareItem() {
        char c = peek();
        if (c == '-' || c >= '0' && c <= '9') {
            return number();
        }
        if (c == '"') {
            return string();
        }
        if (c == '*' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
            return token();
        }
        if (c == ':') {
            byteSequence();
            return new OtherItem();
        }
        if (c == '?') {
            position++;
            char value = peek();
            position++;
            if (value == '1') {
                return new BooleanItem(true);
            }
            if (value == '0') {
                return new BooleanItem(false);
            }
        }
        throw new ParseError();
    }

    private TextItem number() {
        int start = position;
        if (peek() == '-') {
            position++;
        }
        int integerDigits = 0;
        int fractionDigits = -1;
        while (position < input.length()) {
            char c = input.charAt(position);
            if (c >= '0' && c <= '9') {
                if (fractionDigits >= 0) {
                    fractionDigits++;
                } else {
                    integerDigits++;
                }
            } else if (c == '.' && fractionDigits < 0) {
                if (integerDigits > 12) {
                    throw new ParseError();
                }
                fractionDigits = 0;
            } else {
                break;
            }
            position++;
        }
        if (integerDigits == 0 || integerDigits > 15 || fractionDigits == 0 || fractionDigits > 3) {
            throw new ParseError();
        }
        return new TextItem(input.substring(start, position), fractionDigits < 0 ? Kind.INTEGER : Kind.DECIMAL);
    }

    private TextItem string() {
        position++;
        StringBuilder text = new StringBuilder();
        while (position < input.length()) {
            char c = input.charAt(position++);
            if (c == '\\') {
                char escaped = peek();
                position++;
                if (escaped != '"' && escaped != '\\') {
                    throw new ParseError();
                }
                text.append(escaped);
            } else if (c == '"') {
                return new TextItem(text.toString(), Kind.STRING);
            } else if (c < 0x20 || c > 0x7E) {
                throw new ParseError();
            } else {
                text.append(c);
            }
        }
        throw new ParseError();
    }

    private TextItem token() {
        int start = position++;
        while (position < input.length()) {
            char c = input.charAt(position);
            if (!FieldValues.isTokenChar(c) && c != ':' && c != '/') {
                break;
            }
            position++;
        }
        return new TextItem(input.substring(start, position), Kind.TOKEN);
    }

    private void byteSequence() {
        position++;
        while (position < input.length()) {
            char c = input.charAt(position++);
            if (c == ':') {
                return;
            }
            boolean base64 = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '+' || c == '/' || c == '=';
            if (!base64) {
                throw new ParseError();
            }
        }
        throw new ParseError();
    }

    private void parameters() {
        while (peek() == ';') {
            position++;
            skipSpaces();
            key();
            if (peek() == '=') {
                position++;
                bareItem();
            }
        }
    }

    private String key() {
        int start = position;
        char first = peek();
        if (first != '*' && !(first >= 'a' && first <= 'z')) {
            throw new ParseError();
        }
        position++;
        while (position < input.length()) {
            char c = input.charAt(position);
            boolean keyChar = c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '_' || c == '-' || c == '.' || c == '*';
            if (!keyChar) {
                break;
            }
            position++;
        }
        return input.substring(start, position);
    }

    private char peek() {
        return position < input.length() ? input.charAt(position) : '\uFFFF';
    }

    private void skipSpaces() {
        while (position < input.length() && input.charAt(position) == ' ') {
            position++;
        }
    }

    private void skipOptionalWhitespace() {
        while (position < input.length() && FieldValues.isWhitespace(input.charAt(position))) {
            position++;
        }
    }

    /** Control flow for the first syntax error; carries no stack trace. */
    private static final class ParseError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ParseError() {
            super(null, null, false, false);
        }
    }
}
