package io.hishel.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * The checks every builder of this project applies to its settings, with messages in one form:
 * the setting's name, what it must be, and the value it was given — "collapseTimeout must be
 * positive, but was PT0S". The builders call them eagerly, when a setting is given, so a mistake
 * is reported where it was made.
 */
public final class Require {

    private Require() {
    }

    /**
     * A duration greater than zero.
     *
     * @param value the value
     * @param name  the setting's name, for the message
     * @return the value
     * @throws NullPointerException     if the value is null
     * @throws IllegalArgumentException if it is zero or negative
     */
    public static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, but was " + value);
        }
        return value;
    }

    /**
     * A duration of zero or more.
     *
     * @param value the value
     * @param name  the setting's name, for the message
     * @return the value
     * @throws NullPointerException     if the value is null
     * @throws IllegalArgumentException if it is negative
     */
    public static Duration notNegative(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative()) {
            throw new IllegalArgumentException(name + " must be zero or positive, but was " + value);
        }
        return value;
    }

    /**
     * A whole number within bounds.
     *
     * @param value the value
     * @param min   the smallest allowed
     * @param max   the largest allowed
     * @param name  the setting's name, for the message
     * @param unit  what the number counts, such as {@code "bytes"}, or empty
     * @return the value
     * @throws IllegalArgumentException if it is outside the bounds
     */
    public static long between(long value, long min, long max, String name, String unit) {
        if (value < min || value > max) {
            String suffix = unit.isEmpty() ? "" : " " + unit;
            String range = max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? "at least " + min + suffix
                    : "between " + min + " and " + max + suffix;
            throw new IllegalArgumentException(name + " must be " + range + ", but was " + value);
        }
        return value;
    }

    /**
     * A number within bounds.
     *
     * @param value the value
     * @param min   the smallest allowed
     * @param max   the largest allowed
     * @param name  the setting's name, for the message
     * @return the value
     * @throws IllegalArgumentException if it is outside the bounds, or not a number
     */
    public static double between(double value, double min, double max, String name) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", but was " + value);
        }
        return value;
    }
}
