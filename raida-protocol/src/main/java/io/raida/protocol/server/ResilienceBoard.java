package io.raida.protocol.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bulkheads and circuit breakers {@link ServerStats} shows: bulkhead counters by name (created
 * on first use) and the breakers given to {@link ServerStats#showBreaker}, in the order given.
 */
final class ResilienceBoard {
    private final Map<String, BulkheadStats> bulkheads = new ConcurrentSkipListMap<>();
    private final List<CircuitBreaker> breakers = new CopyOnWriteArrayList<>();

    /** The counters of bulkhead {@code name}, created with {@code threads} threads on first use. */
    BulkheadStats bulkhead(String name, int threads) {
        return bulkheads.computeIfAbsent(name, n -> new BulkheadStats(n, threads));
    }

    BulkheadStats bulkhead(String name) {
        return bulkheads.get(name);
    }

    List<BulkheadStats> bulkheads() {
        return new ArrayList<>(bulkheads.values());
    }

    /** Adding the same breaker twice shows it once. */
    void showBreaker(CircuitBreaker breaker) {
        if (!breakers.contains(breaker)) {
            breakers.add(breaker);
        }
    }

    List<ServerStats.BreakerState> breakers() {
        List<ServerStats.BreakerState> out = new ArrayList<>(breakers.size());
        for (CircuitBreaker b : breakers) {
            out.add(new ServerStats.BreakerState(b.name(), b.state(), b.rejected(), b.timesOpened()));
        }
        return out;
    }

    /** The {@link ServerStats#toString()} tail: bulkheads and breakers, empty when there are none. */
    String describe() {
        return (bulkheads.isEmpty() ? "" : " " + bulkheads.values())
                + (breakers.isEmpty() ? "" : " breakers=" + breakers());
    }
}
