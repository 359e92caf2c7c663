package io.raida.protocol.internal;

import java.time.Duration;
import java.util.Objects;

/** The range checks every option builder of the library shares, so each option's message reads the same everywhere. */
public final class OptionChecks {
    private OptionChecks() {
    }

    /**
     * Checks a count or size option.
     *
     * @param name the option's name, for the message
     * @param n the value
     * @return {@code n}
     * @throws IllegalArgumentException if {@code n} is 0 or negative
     */
    public static int positive(String name, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + n);
        }
        return n;
    }

    /**
     * Checks a duration option.
     *
     * @param name the option's name, for the message
     * @param d the value
     * @return {@code d}
     * @throws NullPointerException if {@code d} is {@code null}
     * @throws IllegalArgumentException if {@code d} is zero or negative
     */
    public static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }
}
