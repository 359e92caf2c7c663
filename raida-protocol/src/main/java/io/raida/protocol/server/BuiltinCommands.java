package io.raida.protocol.server;

import io.raida.protocol.StatusCode;
import io.raida.protocol.internal.Bytes;

/** The status-group commands every server answers: echo, version, show_stats (wire-format §12). */
final class BuiltinCommands {
    static final int ECHO = 0;
    static final int VERSION = 1;
    static final int SHOW_STATS = 2;
    /** show_stats payload byte 16 = 1 asks for the extended statistics block. */
    static final int EXTENDED_FLAG = 1;
    /** show_stats payload byte 16 = 2 asks for the extended block and the {@link BulkheadSection}. */
    static final int BULKHEADS_FLAG = 2;

    private BuiltinCommands() {
    }

    static void register(ServerCore core) {
        CommandRegistry r = core.registry();
        r.registerNonBlocking(0, ECHO, req -> CommandResult.success());
        // the core only reads result payloads, so one result serves every version request
        CommandResult version = CommandResult.success(core.versionBytes());
        r.registerNonBlocking(0, VERSION, req -> version);
        r.registerNonBlocking(0, SHOW_STATS, req -> showStats(core, req));
    }

    /**
     * show_stats: payload[0..15] = admin key. The reply keeps the reference's 32-byte layout of four
     * u64 counters (echo requests, pown requests, pown value, UDP requests) but big-endian (D-20).
     * If payload byte 16 is 1 an extended block follows: total, TCP requests, drops, timeouts,
     * rejected connections, active connections, handler failures (u64 each), then a count byte and
     * (status u8, count u64) for every status seen. If it is 2, the extended block is followed by
     * the {@link BulkheadSection} (bulkheads and circuit breakers). Any other value: the 32 bytes.
     */
    private static CommandResult showStats(ServerCore core, CommandRequest req) {
        if (!req.hasBody()) {
            return CommandResult.of(StatusCode.ERROR_EMPTY_REQUEST);
        }
        if (!core.isAdminKey(req.payloadArray(), req.payloadOffset(), req.payloadLength())) {
            return CommandResult.of(StatusCode.ERROR_ADMIN_AUTH);
        }
        ServerStats s = core.stats();
        int level = req.payloadLength() > 16 ? req.payloadArray()[req.payloadOffset() + 16] : 0;
        boolean extended = level == EXTENDED_FLAG || level == BULKHEADS_FLAG;
        byte[] section = level == BULKHEADS_FLAG ? BulkheadSection.encode(s) : new byte[0];
        long[] byStatus = new long[256];
        int statuses = 0;
        if (extended) {
            for (int i = 1; i < 256; i++) {
                byStatus[i] = s.requestsWithStatus(i);
                statuses += byStatus[i] > 0 ? 1 : 0;
            }
        }
        byte[] out = new byte[32 + (extended ? 7 * 8 + 1 + statuses * 9 : 0) + section.length];
        Bytes.putU64(out, 0, s.commandCount(0, ECHO));
        Bytes.putU64(out, 8, s.commandCount(1, 20));
        Bytes.putU64(out, 16, 0);
        Bytes.putU64(out, 24, s.udpRequests());
        if (extended) {
            int p = 32;
            for (long v : new long[] {s.requests(), s.tcpRequests(), s.drops(), s.timeouts(),
                    s.rejectedConnections(), s.activeConnections(), s.handlerFailures()}) {
                Bytes.putU64(out, p, v);
                p += 8;
            }
            out[p++] = (byte) statuses;
            for (int i = 1; i < 256; i++) {
                long n = byStatus[i];
                if (n > 0) {
                    out[p] = (byte) i;
                    Bytes.putU64(out, p + 1, n);
                    p += 9;
                }
            }
            System.arraycopy(section, 0, out, p, section.length);
        }
        return CommandResult.success(out);
    }
}
