package io.raida.integrity;

import io.raida.protocol.server.DatagramInterceptor;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * The UDP vote fast path (integrity.md §6): a datagram of exactly 497 bytes with byte 0 = 7 is
 * answered with 17 bytes, {@code match(1) ‖ nonce(16)}, on the I/O thread without locks (it reads the
 * forest's published snapshot). Before the first tree build the vote is dropped (no reply, which the
 * asker counts as "no vote"): the reference would answer "match" to an all-zero vector (D-17).
 */
final class VoteInterceptor implements DatagramInterceptor {
    static final int REQUEST_SIZE = 1 + MerkleForest.ROOTS_SIZE + 16;
    static final int REPLY_SIZE = 17;
    static final byte MARKER = 7;

    private final MerkleForest forest;
    private final IntegrityMetrics metrics;

    VoteInterceptor(MerkleForest forest, IntegrityMetrics metrics) {
        this.forest = forest;
        this.metrics = metrics;
    }

    @Override
    public byte[] intercept(ByteBuffer datagram, InetSocketAddress sender) {
        int pos = datagram.position();
        if (datagram.remaining() != REQUEST_SIZE || datagram.get(pos) != MARKER) {
            return null;
        }
        MerkleForest.Snapshot s = forest.snapshot();
        if (s == null) {
            metrics.voteRequestsDropped.incrementAndGet();
            return DROP;
        }
        byte[] d = new byte[REQUEST_SIZE];
        datagram.duplicate().get(d);
        byte[] reply = new byte[REPLY_SIZE];
        reply[0] = (byte) (s.rootsEqual(d, 1) ? 1 : 0);
        System.arraycopy(d, 1 + MerkleForest.ROOTS_SIZE, reply, 1, 16);
        metrics.voteRequestsAnswered.incrementAndGet();
        return reply;
    }

    @Override
    public String toString() {
        return "integrity vote (UDP 497 bytes, byte 0 = 7)";
    }
}
