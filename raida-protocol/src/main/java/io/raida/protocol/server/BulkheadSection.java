package io.raida.protocol.server;

import io.raida.protocol.internal.Bytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The bulkhead section of a show_stats reply (payload byte 16 = 2), appended after the extended
 * block. Big-endian, versioned and length-prefixed so a reader can skip a version it does not know:
 *
 * <pre>
 * u8  version (1)
 * u16 length of everything below
 * u8  bulkhead count, then per bulkhead (by name):
 *     u8 name length n (at most 64), n bytes UTF-8 name,
 *     u16 threads, u32 queued, u32 running,
 *     u64 expired before start, u64 overran, u64 refused at admission
 * u8  breaker count, then per breaker (in the order shown):
 *     u8 name length n (at most 64), n bytes UTF-8 name,
 *     u8 state (0 closed, 1 open, 2 half-open), u64 calls rejected while open, u64 times opened
 * </pre>
 *
 * Names longer than 64 bytes are cut; at most 255 bulkheads and 255 breakers are listed.
 */
final class BulkheadSection {
    static final int VERSION = 1;
    static final int MAX_NAME = 64;
    static final int MAX_ENTRIES = 255;

    private BulkheadSection() {
    }

    /** The section for the current state of {@code stats}. */
    static byte[] encode(ServerStats stats) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<BulkheadStats> bulkheads = stats.bulkheads();
        int n = Math.min(bulkheads.size(), MAX_ENTRIES);
        body.write(n);
        byte[] fixed = new byte[2 + 4 + 4 + 3 * 8];
        for (BulkheadStats b : bulkheads.subList(0, n)) {
            writeName(body, b.name());
            Bytes.putU16(fixed, 0, Math.min(b.threads(), 0xFFFF));
            Bytes.putU32(fixed, 2, Math.max(b.queued(), 0));
            Bytes.putU32(fixed, 6, Math.max(b.running(), 0));
            Bytes.putU64(fixed, 10, b.expiredBeforeStart());
            Bytes.putU64(fixed, 18, b.overran());
            Bytes.putU64(fixed, 26, b.refusedAtAdmission());
            body.writeBytes(fixed);
        }
        List<ServerStats.BreakerState> breakers = stats.breakers();
        int m = Math.min(breakers.size(), MAX_ENTRIES);
        body.write(m);
        byte[] breakerFixed = new byte[1 + 2 * 8];
        for (ServerStats.BreakerState b : breakers.subList(0, m)) {
            writeName(body, b.name());
            breakerFixed[0] = (byte) stateCode(b.state());
            Bytes.putU64(breakerFixed, 1, b.rejected());
            Bytes.putU64(breakerFixed, 9, b.timesOpened());
            body.writeBytes(breakerFixed);
        }
        byte[] content = body.toByteArray();
        byte[] out = new byte[3 + content.length];
        out[0] = VERSION;
        Bytes.putU16(out, 1, content.length);
        System.arraycopy(content, 0, out, 3, content.length);
        return out;
    }

    /** The wire code of a breaker state. */
    static int stateCode(CircuitBreaker.State state) {
        switch (state) {
            case CLOSED:
                return 0;
            case OPEN:
                return 1;
            default:
                return 2;
        }
    }

    private static void writeName(ByteArrayOutputStream body, String name) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        if (n.length > MAX_NAME) {
            n = Arrays.copyOf(n, MAX_NAME);
        }
        body.write(n.length);
        body.writeBytes(n);
    }
}
