package io.raida.integrity;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.Denominations;
import io.raida.protocol.Transport;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.MalformedResponseException;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.transport.RaidaClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The reply of audit (0/3): how many coins of each denomination a RAIDA holds as issued (records
 * with MFS ≠ 0). The wire layout is the one reference-defects D-19 recommends: 15 records
 * {@code den(1) ‖ count(u32, big-endian)}, denominations -8..6 in order, 75 bytes (the reference
 * itself sends a malformed 74-byte reply, which {@link #decode} refuses).
 */
public final class CoinAudit {
    /** Command group and code of audit. */
    public static final int GROUP = 0;
    /** Command code of audit. */
    public static final int CODE = 3;
    /** Bytes per record: den(1) ‖ count(u32). */
    public static final int RECORD_SIZE = 5;
    /** Bytes of the reply payload. */
    public static final int SIZE = Denominations.COUNT * RECORD_SIZE;

    private final long[] counts;

    /** @param counts issued coins per denomination index 0..14 (denomination + 8), each 0..2^32-1 */
    public CoinAudit(long[] counts) {
        if (counts.length != Denominations.COUNT) {
            throw new IllegalArgumentException("an audit has " + Denominations.COUNT + " counts, got " + counts.length);
        }
        for (long c : counts) {
            if (c < 0 || c > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("a count is a u32, got " + c);
            }
        }
        this.counts = counts.clone();
    }

    /**
     * Issued coins of denomination {@code den} (-8..6).
     *
     * @param den the denomination code, -8..6
     * @return the number of issued coins of that denomination, 0 or more
     */
    public long count(int den) {
        return counts[Denominations.index(den)];
    }

    /**
     * Issued coins of every denomination.
     *
     * @return the sum over the 15 denominations
     */
    public long total() {
        return Arrays.stream(counts).sum();
    }

    /**
     * The 75-byte reply payload.
     *
     * @return a new 75-byte array: 15 records of 5 bytes, denominations -8..6 in order
     */
    public byte[] encode() {
        byte[] out = new byte[SIZE];
        for (int i = 0; i < Denominations.COUNT; i++) {
            out[i * RECORD_SIZE] = (byte) Denominations.fromIndex(i);
            Bytes.putU32(out, i * RECORD_SIZE + 1, counts[i]);
        }
        return out;
    }

    /**
     * Parses a reply payload.
     *
     * @param payload the reply payload of an audit (0/3) request
     * @return the parsed counts
     * @throws MalformedResponseException if it is not 15 records for -8..6 in order
     */
    public static CoinAudit decode(byte[] payload) {
        if (payload.length != SIZE) {
            throw new MalformedResponseException("an audit reply is " + SIZE + " bytes (15 × den ‖ count u32, D-19), got "
                    + payload.length + (payload.length == 74 ? ": the reference's malformed layout" : ""));
        }
        long[] c = new long[Denominations.COUNT];
        for (int i = 0; i < Denominations.COUNT; i++) {
            int den = payload[i * RECORD_SIZE];
            if (den != Denominations.fromIndex(i)) {
                throw new MalformedResponseException("audit record " + i + " names denomination " + den + ", expected "
                        + Denominations.fromIndex(i));
            }
            c[i] = Bytes.u32(payload, i * RECORD_SIZE + 1);
        }
        return new CoinAudit(c);
    }

    /**
     * The type-0 audit request to RAIDA {@code raidaId}.
     *
     * @param raidaId the RAIDA asked, 0..24 (request byte 2)
     * @param coinId the coin id of the network (request bytes 0-1)
     * @return an unencrypted request with an empty body
     */
    public static ClientRequest request(int raidaId, int coinId) {
        return RequestBuilder.command(raidaId, GROUP, CODE).coinId(coinId).unencrypted().build();
    }

    /**
     * Asks a RAIDA for its audit. The future fails with the transport's exceptions,
     * {@link io.raida.protocol.client.RaidaStatusException} for a status other than 250, or
     * {@link MalformedResponseException} for a reply in another layout.
     *
     * @param client the client that sends the request (not closed)
     * @param raida the RAIDA's address
     * @param raidaId the RAIDA's id, 0..24
     * @param coinId the coin id of the network
     * @param transport UDP or TCP
     * @param timeout how long to wait for the reply
     * @return the audit, or a future failed as described above
     */
    public static CompletableFuture<CoinAudit> fetch(RaidaClient client, InetSocketAddress raida, int raidaId,
                                                     int coinId, Transport transport, Duration timeout) {
        return client.send(raida, request(raidaId, coinId), transport, timeout)
                .thenApply(r -> decode(r.require().payload()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CoinAudit a && Arrays.equals(counts, a.counts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "CoinAudit[" + total() + " issued coins]";
    }
}
