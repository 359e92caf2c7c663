package io.raida.legacy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.util.Locale;

/**
 * errno-style names for the socket failures junixsocket reports as exception messages, so a log line
 * or exception says {@code ENOENT} / {@code ECONNREFUSED} the way an operator would look it up.
 */
final class Errno {
    private static final String[][] BY_MESSAGE = {
            {"no such file or directory", "ENOENT"},
            {"connection refused", "ECONNREFUSED"},
            {"permission denied", "EACCES"},
            {"broken pipe", "EPIPE"},
            {"connection reset", "ECONNRESET"},
            {"resource temporarily unavailable", "EAGAIN"},
            {"timed out", "ETIMEDOUT"},
            {"not a directory", "ENOTDIR"},
            {"file name too long", "ENAMETOOLONG"},
            {"too many open files", "EMFILE"},
            {"protocol wrong type", "EPROTOTYPE"},
            {"not connected", "ENOTCONN"},
            {"interrupted", "EINTR"},
    };

    private Errno() {
    }

    /** E.g. {@code "ENOENT (No such file or directory)"}; falls back to the exception's class and message. */
    static String describe(IOException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage();
        String lower = msg.toLowerCase(Locale.ROOT);
        if (e instanceof ClosedByInterruptException) {
            return "EINTR (thread interrupted)";
        }
        for (String[] m : BY_MESSAGE) {
            if (lower.contains(m[0])) {
                return m[1] + " (" + msg + ")";
            }
        }
        if (e instanceof SocketTimeoutException) {
            return "ETIMEDOUT (" + (msg.isEmpty() ? "timed out" : msg) + ")";
        }
        return e.getClass().getSimpleName() + (msg.isEmpty() ? "" : " (" + msg + ")");
    }
}
