package io.raida.protocol.transport;

import java.time.Duration;
import java.util.Objects;

/** The range checks the option builders share, so each option's message reads the same everywhere. */
final class OptionChecks {
    private OptionChecks() {
    }

    static int positive(String name, int n) {
        if (n <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + n);
        }
        return n;
    }

    static Duration positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
        return d;
    }
}
