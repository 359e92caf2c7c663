package io.raida.protocol.server;

import java.util.concurrent.atomic.LongAdder;

/** One counter per {@link Overload} kind: the shed and refused work behind {@link ServerStats}. */
final class OverloadCounters {
    private final LongAdder[] counters = new LongAdder[Overload.values().length];

    OverloadCounters() {
        for (int i = 0; i < counters.length; i++) {
            counters[i] = new LongAdder();
        }
    }

    /** Counts one shed or refused event of {@code kind}; returns that kind's new total. */
    long record(Overload kind) {
        LongAdder a = counters[kind.ordinal()];
        a.increment();
        return a.sum();
    }

    /** The count of {@code kind} since start. */
    long count(Overload kind) {
        return counters[kind.ordinal()].sum();
    }
}
