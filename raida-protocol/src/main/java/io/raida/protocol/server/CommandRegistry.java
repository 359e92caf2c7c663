package io.raida.protocol.server;

import io.raida.protocol.CommandGroup;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Handlers by (command group, command code). Lookups are lock-free; registration may happen at any
 * time. A request for a pair with no handler is answered with status 6 (wire-format §12).
 */
public final class CommandRegistry {

    /** A registered handler and whether it may run on an I/O thread. */
    public record Registration(int group, int code, CommandHandler handler, boolean nonBlocking) {
    }

    private final AtomicReferenceArray<Registration> table = new AtomicReferenceArray<>(256 * 256);

    /** Registers a handler that runs on the worker pool. Replaces any earlier one. */
    public CommandRegistry register(int group, int code, CommandHandler handler) {
        return put(group, code, handler, false);
    }

    /**
     * Registers a handler that never blocks and does little work (echo, version, vote-like lookups);
     * transports may run it on the I/O thread and skip the worker hand-off.
     */
    public CommandRegistry registerNonBlocking(int group, int code, CommandHandler handler) {
        return put(group, code, handler, true);
    }

    /** Convenience for {@link #register(int, int, CommandHandler)}. */
    public CommandRegistry register(CommandGroup group, int code, CommandHandler handler) {
        return register(group.code(), code, handler);
    }

    /** Removes a handler; returns true if one was registered. */
    public boolean unregister(int group, int code) {
        return table.getAndSet(index(group, code), null) != null;
    }

    /** The registration for (group, code), or {@code null}. */
    public Registration lookup(int group, int code) {
        if (group < 0 || group > 255 || code < 0 || code > 255) {
            return null;
        }
        return table.get(group << 8 | code);
    }

    private CommandRegistry put(int group, int code, CommandHandler handler, boolean nonBlocking) {
        Objects.requireNonNull(handler, "handler");
        if (group < 0 || group > CommandGroup.MAX_GROUP) {
            throw new IllegalArgumentException("command group must be 0..15, got " + group);
        }
        table.set(index(group, code), new Registration(group, code, handler, nonBlocking));
        return this;
    }

    private static int index(int group, int code) {
        if (group < 0 || group > 255 || code < 0 || code > 255) {
            throw new IllegalArgumentException("group and code are bytes: " + group + "/" + code);
        }
        return group << 8 | code;
    }
}
