package io.raida.protocol.client;

import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Limits the TCP connections open at once to one RAIDA address
 * ({@link io.raida.protocol.transport.ClientOptions#maxTcpConnectionsPerRaida()}, D-28). A call
 * over the limit waits, within its own deadline, until a connection to the same address ends; a
 * call that ends while waiting never connects. Thread-safe.
 */
public final class ConnectionLimiter {
    private final int limit;
    private final Map<InetSocketAddress, Slot> slots = new HashMap<>();

    private static final class Slot {
        int open;
        final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    }

    private record Waiter(ClientExchange<?> call, Runnable connect) {
    }

    /** @param limit connections per address; 0 for no limit */
    public ConnectionLimiter(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (none) or positive, got " + limit);
        }
        this.limit = limit;
    }

    /**
     * Runs {@code connect} now if a connection to the call's target is free, else when one is; the
     * permit is returned when {@code call} ends.
     *
     * @param call the call that needs a connection
     * @param connect opens the connection; runs on this thread or on the thread that frees a permit
     */
    public void acquire(ClientExchange<?> call, Runnable connect) {
        if (limit == 0) {
            connect.run();
            return;
        }
        synchronized (this) {
            Slot s = slots.computeIfAbsent(call.target(), k -> new Slot());
            if (s.open >= limit) {
                s.waiting.add(new Waiter(call, connect));
                return;
            }
            s.open++;
        }
        start(call, connect);
    }

    private void start(ClientExchange<?> call, Runnable connect) {
        call.whenEnded(() -> release(call.target()));
        if (!call.isDone()) {
            connect.run();
        }
    }

    private void release(InetSocketAddress target) {
        Waiter next;
        synchronized (this) {
            Slot s = slots.get(target);
            if (s == null) {
                return;
            }
            s.open--;
            do {
                next = s.waiting.poll();
            } while (next != null && next.call().isDone());
            if (next != null) {
                s.open++;
            } else if (s.open == 0) {
                slots.remove(target);
            }
        }
        if (next != null) {
            start(next.call(), next.connect());
        }
    }

    /**
     * Connections counted as open to {@code target} now.
     *
     * @param target the RAIDA's address
     * @return the count now
     */
    public synchronized int open(InetSocketAddress target) {
        Slot s = slots.get(target);
        return s == null ? 0 : s.open;
    }
}
