package io.raida.protocol.server;

import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Fails fast while a dependency that a handler waits on (the CC2 back end, a peer, an embedder's
 * database) keeps failing, so requests are answered at once instead of each waiting out its
 * timeout and holding a worker.
 *
 * <ul>
 *   <li><b>closed</b>: calls pass; {@code failureThreshold} failures in a row open the breaker.</li>
 *   <li><b>open</b>: {@link #tryAcquire()} refuses every call for {@code openDuration}.</li>
 *   <li><b>half open</b>: up to {@code probes} calls pass; a success closes the breaker, a failure
 *       opens it again for another {@code openDuration}.</li>
 * </ul>
 *
 * A small one of our own rather than resilience4j: the state machine is thirty lines, it needs no
 * dependency in a library many services embed, and its state feeds this library's own stats.
 * Every state change is reported to the {@link Listener} (the owner logs it). Thread-safe.
 */
public final class CircuitBreaker {
    /** The breaker's state. */
    public enum State {
        /** Calls pass. */
        CLOSED,
        /** Calls are refused until the open interval ends. */
        OPEN,
        /** A few probe calls pass to test the dependency. */
        HALF_OPEN
    }

    /** Told of every state change, under no lock held by the breaker. */
    @FunctionalInterface
    public interface Listener {
        /**
         * The breaker {@code name} went from {@code from} to {@code to}.
         *
         * @param name the breaker's name
         * @param from the state before
         * @param to the state now
         */
        void stateChanged(String name, State from, State to);
    }

    private final String name;
    private final int failureThreshold;
    private final long openNanos;
    private final int probes;
    private final LongSupplier clock;
    private final Listener listener;

    private State state = State.CLOSED;
    private int failures;
    private int probesInFlight;
    private long openedAt;
    private long rejected;
    private long opened;

    /**
     * A breaker named {@code name} (used in logs and stats) that opens after
     * {@code failureThreshold} consecutive failures for {@code openDuration}, then lets
     * {@code probes} calls test the dependency.
     *
     * @param name the name, used in logs and stats
     * @param failureThreshold consecutive failures that open the breaker, at least 1
     * @param openDuration how long it stays open, positive
     * @param probes calls let through to test the dependency, at least 1
     * @param listener told of every state change, or {@code null}
     */
    public CircuitBreaker(String name, int failureThreshold, Duration openDuration, int probes, Listener listener) {
        this(name, failureThreshold, openDuration, probes, listener, System::nanoTime);
    }

    CircuitBreaker(String name, int failureThreshold, Duration openDuration, int probes, Listener listener,
                   LongSupplier clock) {
        if (failureThreshold < 1 || probes < 1) {
            throw new IllegalArgumentException("failure threshold and probes must be at least 1, got "
                    + failureThreshold + " and " + probes);
        }
        if (openDuration.isNegative() || openDuration.isZero()) {
            throw new IllegalArgumentException("open duration must be positive, got " + openDuration);
        }
        this.name = Objects.requireNonNull(name, "name");
        this.failureThreshold = failureThreshold;
        this.openNanos = openDuration.toNanos();
        this.probes = probes;
        this.listener = Objects.requireNonNull(listener, "listener");
        this.clock = clock;
    }

    /**
     * Whether a call may go ahead now; a caller that gets {@code true} must report its outcome.
     *
     * @return {@code true} if the call may go ahead
     */
    public boolean tryAcquire() {
        State from;
        synchronized (this) {
            from = state;
            if (state == State.OPEN) {
                if (clock.getAsLong() - openedAt < openNanos) {
                    rejected++;
                    return false;
                }
                state = State.HALF_OPEN;
                probesInFlight = 0;
            }
            if (state == State.HALF_OPEN) {
                if (probesInFlight >= probes) {
                    rejected++;
                    return false;
                }
                probesInFlight++;
            }
        }
        if (from != state) {
            listener.stateChanged(name, from, State.HALF_OPEN);
        }
        return true;
    }

    /** The call went through. */
    public void onSuccess() {
        State from;
        synchronized (this) {
            from = state;
            failures = 0;
            state = State.CLOSED;
        }
        if (from != State.CLOSED) {
            listener.stateChanged(name, from, State.CLOSED);
        }
    }

    /** The call failed in a way that says the dependency is unwell (a timeout, a refusal). */
    public void onFailure() {
        State from;
        boolean open;
        synchronized (this) {
            from = state;
            failures++;
            open = state == State.HALF_OPEN || (state == State.CLOSED && failures >= failureThreshold);
            if (open) {
                state = State.OPEN;
                openedAt = clock.getAsLong();
                opened++;
            }
        }
        if (open && from != State.OPEN) {
            listener.stateChanged(name, from, State.OPEN);
        }
    }

    /**
     * The current state (an open breaker whose interval has passed still reads OPEN until a call).
     *
     * @return the state, never {@code null}
     */
    public synchronized State state() {
        return state;
    }

    /**
     * Calls refused since start.
     *
     * @return the count since start
     */
    public synchronized long rejected() {
        return rejected;
    }

    /**
     * How often the breaker opened since start.
     *
     * @return the count since start
     */
    public synchronized long timesOpened() {
        return opened;
    }

    /**
     * Milliseconds until an open breaker lets a probe through (0 when not open).
     *
     * @return milliseconds, 0 or more
     */
    public synchronized long millisUntilProbe() {
        if (state != State.OPEN) {
            return 0;
        }
        return Math.max(0, (openNanos - (clock.getAsLong() - openedAt)) / 1_000_000);
    }

    /**
     * The name given at construction.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + name + ", " + state() + "]";
    }
}
