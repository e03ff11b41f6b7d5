package io.hishel.spring.boot;

/**
 * A {@code hishel.*} property holds a value the cache cannot work with. Thrown while the
 * application starts; {@link HishelFailureAnalyzer} turns it into a report that names the property,
 * the value and what it accepts.
 */
public class InvalidHishelPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final transient Object value;
    private final String accepted;

    /**
     * Describes a rejected value.
     *
     * @param property the property's full name, such as {@code hishel.options.heuristic-fraction}
     * @param value    the value it holds, or null if it is missing
     * @param accepted what it accepts, as a phrase: "a number from 0 to 1"
     * @param cause    what rejected it, if anything
     */
    public InvalidHishelPropertyException(String property, Object value, String accepted, Throwable cause) {
        super("Invalid value '" + value + "' for " + property + ": it accepts " + accepted, cause);
        this.property = property;
        this.value = value;
        this.accepted = accepted;
    }

    /**
     * The property's full name.
     *
     * @return for example {@code hishel.rules[0].pattern}
     */
    public String property() {
        return property;
    }

    /**
     * The rejected value.
     *
     * @return the value, or null if it is missing
     */
    public Object value() {
        return value;
    }

    /**
     * What the property accepts.
     *
     * @return a phrase such as "a duration of zero or more"
     */
    public String accepted() {
        return accepted;
    }
}
