package io.raida.protocol.cluster;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.CommandRegistry;
import io.raida.protocol.server.CommandRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.StatusCode;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Test handlers for commands 1/10, 1/11, 1/20, 1/21 over an in-memory map of one RAIDA's coin
 * records, following auth.md §2 byte for byte (statuses 16, 39, 40, 241, 242, 243 + bitmap). The
 * real handlers over the page store live in raida-integrity; these let the cluster tests run
 * without it. A "slow" instance holds every request until {@link #release} opens (or 30 s).
 */
public final class InMemoryGroup1 {
    private final Map<Long, byte[]> records = new HashMap<>();
    private final boolean slow;
    private final CountDownLatch release;
    /** One permit per request that reached a handler. */
    final Semaphore entered = new Semaphore(0);

    InMemoryGroup1(boolean slow, CountDownLatch release) {
        this.slow = slow;
        this.release = release;
    }

    private static long key(int den, long sn) {
        return ((long) (den & 0xFF) << 32) | sn;
    }

    /** Stores a coin record. */
    synchronized void put(int den, long sn, byte[] an) {
        records.put(key(den, sn), an.clone());
    }

    /** The stored AN, or null. */
    synchronized byte[] get(int den, long sn) {
        byte[] an = records.get(key(den, sn));
        return an == null ? null : an.clone();
    }

    void register(CommandRegistry registry) {
        registry.register(1, 10, req -> perCoin(req, 21, false));
        registry.register(1, 20, req -> perCoin(req, 37, true));
        registry.register(1, 11, req -> sum(req, false));
        registry.register(1, 21, req -> sum(req, true));
    }

    private void enter() throws InterruptedException {
        entered.release();
        if (slow) {
            release.await(30, TimeUnit.SECONDS);
        }
    }

    private CommandResult perCoin(CommandRequest req, int record, boolean pown) throws InterruptedException {
        enter();
        if (!req.hasBody()) {
            return CommandResult.of(StatusCode.ERROR_EMPTY_REQUEST);
        }
        int n = req.payloadLength();
        if (n < record) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PACKET_LENGTH);
        }
        if (n % record != 0) {
            return CommandResult.of(StatusCode.ERROR_COINS_NOT_DIV);
        }
        byte[] p = req.payloadArray();
        int count = n / record;
        byte[] bitmap = new byte[(count + 7) / 8];
        int passes = 0;
        synchronized (this) {
            for (int i = 0; i < count; i++) {
                int off = req.payloadOffset() + i * record;
                long k = key(p[off], Bytes.u32(p, off + 1));
                byte[] stored = records.get(k);
                if (stored != null && MessageDigest.isEqual(stored, Arrays.copyOfRange(p, off + 5, off + 21))) {
                    bitmap[i / 8] |= (byte) (1 << (i % 8));
                    passes++;
                    if (pown) {
                        records.put(k, Arrays.copyOfRange(p, off + 21, off + 37));
                    }
                }
            }
        }
        return verdict(passes, count, bitmap);
    }

    private static CommandResult verdict(int passes, int count, byte[] bitmap) {
        if (passes == count) {
            return CommandResult.of(StatusCode.STATUS_ALL_PASS);
        }
        if (passes == 0) {
            return CommandResult.of(StatusCode.STATUS_ALL_FAIL);
        }
        return CommandResult.of(StatusCode.STATUS_MIXED, bitmap);
    }

    private CommandResult sum(CommandRequest req, boolean pown) throws InterruptedException {
        enter();
        if (!req.hasBody()) {
            return CommandResult.of(StatusCode.ERROR_EMPTY_REQUEST);
        }
        int fixed = pown ? 32 : 16;
        int n = req.payloadLength();
        if (n < fixed + 5) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PACKET_LENGTH);
        }
        if ((n - fixed) % 5 != 0) {
            return CommandResult.of(StatusCode.ERROR_COINS_NOT_DIV);
        }
        byte[] p = req.payloadArray();
        int base = req.payloadOffset();
        int count = (n - fixed) / 5;
        int xorOff = base + count * 5;
        synchronized (this) {
            byte[] xor = new byte[16];
            long[] keys = new long[count];
            for (int i = 0; i < count; i++) {
                keys[i] = key(p[base + 5 * i], Bytes.u32(p, base + 5 * i + 1));
                byte[] stored = records.get(keys[i]);
                if (stored == null) {
                    return CommandResult.of(StatusCode.ERROR_INVALID_SN_OR_DENOMINATION);
                }
                for (int b = 0; b < 16; b++) {
                    xor[b] ^= stored[b];
                }
            }
            if (!MessageDigest.isEqual(xor, Arrays.copyOfRange(p, xorOff, xorOff + 16))) {
                return CommandResult.of(StatusCode.STATUS_ALL_FAIL);
            }
            if (pown) {
                for (long k : keys) {
                    byte[] an = records.get(k);
                    for (int b = 0; b < 16; b++) {
                        an[b] ^= p[xorOff + 16 + b];
                    }
                }
            }
        }
        return CommandResult.of(StatusCode.STATUS_ALL_PASS);
    }
}
