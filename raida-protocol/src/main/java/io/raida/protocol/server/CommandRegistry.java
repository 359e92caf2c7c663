package io.raida.protocol.server;

import io.raida.protocol.CommandGroup;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Predicate;

/**
 * Handlers by (command group, command code). Lookups are lock-free; registration may happen at any
 * time. A request for a pair with no handler is answered with status 6 (wire-format §12).
 */
public final class CommandRegistry {

    /** Name of the bulkhead {@link #registerWaiting(int, int, CommandHandler)} puts a handler in. */
    public static final String WAITING = "waiting";

    /**
     * A registered handler, whether it may run on an I/O thread, the waiting bulkhead it runs in
     * ({@code null}: the local workers) and which of its requests wait ({@code null}: all).
     */
    public record Registration(int group, int code, CommandHandler handler, boolean nonBlocking, String bulkhead,
                               Predicate<CommandRequest> waitsFor) {
        /**
         * A handler on the I/O thread ({@code nonBlocking}) or the local workers.
         *
         * @param group the command group, 0..255
         * @param code the command code, 0..255
         * @param handler the handler
         * @param nonBlocking {@code true} to allow running it on the I/O thread
         */
        public Registration(int group, int code, CommandHandler handler, boolean nonBlocking) {
            this(group, code, handler, nonBlocking, null, null);
        }

        /**
         * True when the handler waits on something outside the server and runs in its own bulkhead.
         *
         * @return {@code true} for handlers registered with {@code registerWaiting}
         */
        public boolean waiting() {
            return bulkhead != null;
        }

        /**
         * The bulkhead {@code request} runs in: {@link #bulkhead()} if the handler waits for it,
         * {@code null} (the local workers) if not. A selector that fails counts as waiting: a
         * request of unknown cost must not take a local worker.
         *
         * @param request the decoded request
         * @return the bulkhead name, or {@code null} for the local workers
         */
        public String bulkheadFor(CommandRequest request) {
            if (bulkhead == null || waitsFor == null) {
                return bulkhead;
            }
            try {
                return waitsFor.test(request) ? bulkhead : null;
            } catch (RuntimeException e) {
                return bulkhead;
            }
        }
    }

    private final AtomicReferenceArray<Registration> table = new AtomicReferenceArray<>(256 * 256);

    /**
     * Registers a handler that runs on the worker pool. Replaces any earlier one.
     *
     * @param group the command group, 0..255
     * @param code the command code, 0..255
     * @param handler the handler
     * @return this registry
     */
    public CommandRegistry register(int group, int code, CommandHandler handler) {
        return put(group, code, handler, false, null, null);
    }

    /**
     * Registers a handler that never blocks and does little work (echo, version, vote-like lookups);
     * transports may run it on the I/O thread and skip the worker hand-off.
     *
     * @param group the command group, 0..255
     * @param code the command code, 0..255
     * @param handler the handler
     * @return this registry
     */
    public CommandRegistry registerNonBlocking(int group, int code, CommandHandler handler) {
        return put(group, code, handler, true, null, null);
    }

    /**
     * Registers a handler that waits on something outside the server (a back end, peers, a
     * database): it runs in the shared waiting bulkhead {@value #WAITING}, with its own threads and
     * bounded queue ({@code WorkerPools.waitingThreads}, {@code waitingQueueCapacity}), so however
     * long it waits the local workers stay free for local commands. Replaces any earlier one.
     *
     * @param group the command group, 0..255
     * @param code the command code, 0..255
     * @param handler the handler
     * @return this registry
     */
    public CommandRegistry registerWaiting(int group, int code, CommandHandler handler) {
        return registerWaiting(group, code, WAITING, handler);
    }

    /**
     * Like {@link #registerWaiting(int, int, CommandHandler)} in the bulkhead named {@code bulkhead}
     * (e.g. "cc2", "peers"): handlers waiting on different dependencies get separate bulkheads, so
     * one stalled dependency does not starve another. Each bulkhead has its own counters in
     * {@link ServerStats#bulkheads()}.
     *
     * @param group the command group, 0..255
     * @param code the command code, 0..255
     * @param bulkhead the bulkhead's name
     * @param handler the handler
     * @return this registry
     */
    public CommandRegistry registerWaiting(int group, int code, String bulkhead, CommandHandler handler) {
        return registerWaiting(group, code, bulkhead, null, handler);
    }

    /**
     * Like {@link #registerWaiting(int, int, String, CommandHandler)} for a handler that waits only
     * for some requests (e.g. the CC2 forwarder: shard 2 goes to the back end, other shards to the
     * local pages): requests {@code waitsFor} accepts run in bulkhead {@code bulkhead}, the others on
     * the local workers. {@code waitsFor} runs on the I/O thread on the decoded request: keep it a
     * cheap look at the header (a {@code null} selector: every request waits).
     *
     * @param group the command group, 0..255
     * @param code the command code, 0..255
     * @param bulkhead the bulkhead's name
     * @param waitsFor selects the requests that wait, or {@code null} for all
     * @param handler the handler
     * @return this registry
     */
    public CommandRegistry registerWaiting(int group, int code, String bulkhead, Predicate<CommandRequest> waitsFor,
                                           CommandHandler handler) {
        Objects.requireNonNull(bulkhead, "bulkhead");
        if (bulkhead.isBlank() || bulkhead.equals(ServerStats.LOCAL_BULKHEAD)) {
            throw new IllegalArgumentException("a waiting bulkhead needs a name other than \""
                    + ServerStats.LOCAL_BULKHEAD + "\", got \"" + bulkhead + "\"");
        }
        return put(group, code, handler, false, bulkhead, waitsFor);
    }

    /**
     * Convenience for {@link #register(int, int, CommandHandler)}.
     *
     * @param group the command group
     * @param code the command code, 0..255
     * @param handler the handler
     * @return this registry
     */
    public CommandRegistry register(CommandGroup group, int code, CommandHandler handler) {
        return register(group.code(), code, handler);
    }

    /**
     * Removes a handler; returns true if one was registered.
     *
     * @param group the command group, 0..255
     * @param code the command code, 0..255
     * @return {@code true} if a handler was removed
     */
    public boolean unregister(int group, int code) {
        return table.getAndSet(index(group, code), null) != null;
    }

    /**
     * The registration for (group, code), or {@code null}.
     *
     * @param group the command group, 0..255
     * @param code the command code, 0..255
     * @return the registration, or {@code null}
     */
    public Registration lookup(int group, int code) {
        if (group < 0 || group > 255 || code < 0 || code > 255) {
            return null;
        }
        return table.get(group << 8 | code);
    }

    private CommandRegistry put(int group, int code, CommandHandler handler, boolean nonBlocking, String bulkhead,
                                Predicate<CommandRequest> waitsFor) {
        Objects.requireNonNull(handler, "handler");
        if (group < 0 || group > CommandGroup.MAX_GROUP) {
            throw new IllegalArgumentException("command group must be 0..15, got " + group);
        }
        table.set(index(group, code), new Registration(group, code, handler, nonBlocking, bulkhead, waitsFor));
        return this;
    }

    private static int index(int group, int code) {
        if (group < 0 || group > 255 || code < 0 || code > 255) {
            throw new IllegalArgumentException("group and code are bytes: " + group + "/" + code);
        }
        return group << 8 | code;
    }
}
