package io.raida.integrity;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.MalformedResponseException;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.RaidaClient;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Client side of the integrity protocol over any {@link RaidaClient} transport: the UDP vote
 * (integrity.md §6) and commands 14/2, 14/4, 14/5 (§7) sent as correct type-0 requests with a
 * 32-byte header, routing byte 1, the target RAIDA id and the configured coin id (the reference's own
 * peer client is malformed, D-4). Futures fail with the transport's exceptions,
 * {@link io.raida.protocol.client.RaidaStatusException} for a status other than 250, or
 * {@link MalformedResponseException} for a payload of the wrong size.
 */
public final class IntegrityClient {

    /** Outcome of one vote. */
    public enum Vote {
        /** The peer's roots vector equals ours. */
        MATCH,
        /** The peer answered and its roots differ. */
        NO_MATCH,
        /** No valid reply in time (timeout, wrong size, wrong nonce, other value). */
        NO_VOTE
    }

    private final RaidaClient client;
    private final int coinId;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param client  the transport client (not closed by this class)
     * @param coinId  coin id the peers expect (reference: 6)
     * @param timeout deadline of each TCP command
     */
    public IntegrityClient(RaidaClient client, int coinId, Duration timeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.coinId = coinId;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /** The 497-byte vote datagram: {@code 07 ‖ roots(480) ‖ nonce(16)}. */
    static byte[] voteDatagram(byte[] roots, byte[] nonce) {
        checkRoots(roots);
        byte[] d = new byte[VoteInterceptor.REQUEST_SIZE];
        d[0] = VoteInterceptor.MARKER;
        System.arraycopy(roots, 0, d, 1, MerkleForest.ROOTS_SIZE);
        System.arraycopy(nonce, 0, d, 1 + MerkleForest.ROOTS_SIZE, 16);
        return d;
    }

    /** Interprets a vote reply: it counts only if it is 17 bytes, echoes the nonce and says 0 or 1. */
    static Vote readVote(byte[] reply, byte[] nonce) {
        if (reply == null || reply.length != VoteInterceptor.REPLY_SIZE
                || !Arrays.equals(reply, 1, VoteInterceptor.REPLY_SIZE, nonce, 0, 16)) {
            return Vote.NO_VOTE;
        }
        return reply[0] == 1 ? Vote.MATCH : reply[0] == 0 ? Vote.NO_MATCH : Vote.NO_VOTE;
    }

    /**
     * Sends one UDP vote; never fails (problems give {@link Vote#NO_VOTE}).
     *
     * @param peer the peer's address
     * @param roots this node's 480-byte roots vector
     * @param deadline how long to wait for the reply
     * @return the peer's vote, {@link Vote#NO_VOTE} on any failure
     */
    public CompletableFuture<Vote> vote(InetSocketAddress peer, byte[] roots, Duration deadline) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        byte[] frame = voteDatagram(roots, nonce);
        CompletableFuture<byte[]> f;
        try {
            f = client.exchange(peer, frame, Transport.UDP, deadline);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Vote.NO_VOTE);
        }
        return f.handle((reply, err) -> err != null ? Vote.NO_VOTE : readVote(reply, nonce));
    }

    /**
     * 14/2: the 32-byte node {@code (level, index)} of denomination {@code den} on RAIDA {@code raidaId}.
     *
     * @param peer the peer's address
     * @param raidaId the peer's RAIDA id, 0..24
     * @param den the denomination code, -8..6
     * @param level the tree level, 0 (leaves) to 10 (root)
     * @param index the node's index within its level
     * @return the node hash; the future fails on a transport error or a status other than 250
     */
    public CompletableFuture<byte[]> merkleNode(InetSocketAddress peer, int raidaId, int den, int level, long index) {
        byte[] p = new byte[IntegrityCommands.NODE_PAYLOAD];
        p[0] = (byte) den;
        Bytes.putU32(p, 1, level);
        Bytes.putU32(p, 5, index);
        return call(peer, raidaId, IntegrityCommands.GET_NODE, p, MerkleTree.HASH_SIZE);
    }

    /**
     * 14/4: the raw 17 408-byte page.
     *
     * @param peer the peer's address
     * @param raidaId the peer's RAIDA id, 0..24
     * @param den the denomination code, -8..6
     * @param page the page number, 0..999
     * @return the page bytes; the future fails on a transport error or a status other than 250
     */
    public CompletableFuture<byte[]> pageData(InetSocketAddress peer, int raidaId, int den, int page) {
        byte[] p = new byte[IntegrityCommands.PAGE_PAYLOAD];
        p[0] = (byte) den;
        Bytes.putU32(p, 1, page);
        return call(peer, raidaId, IntegrityCommands.GET_PAGE, p, PageStore.PAGE_SIZE);
    }

    /**
     * 14/5: the peer's 480-byte roots vector (our own roots travel as the ignored payload).
     *
     * @param peer the peer's address
     * @param raidaId the peer's RAIDA id, 0..24
     * @param ownRoots this node's 480-byte roots vector
     * @return the peer's roots vector; the future fails on a transport error or a status other than 250
     */
    public CompletableFuture<byte[]> allRoots(InetSocketAddress peer, int raidaId, byte[] ownRoots) {
        checkRoots(ownRoots);
        return call(peer, raidaId, IntegrityCommands.GET_ROOTS, ownRoots, MerkleForest.ROOTS_SIZE);
    }

    /**
     * The type-0 request of integrity.md §7 (public for tools and tests).
     *
     * @param raidaId the RAIDA asked, 0..24
     * @param code the command code in group 14
     * @param payload the command payload (not copied)
     * @return the request, unencrypted
     */
    public ClientRequest request(int raidaId, int code, byte[] payload) {
        return RequestBuilder.command(raidaId, IntegrityCommands.GROUP, code).coinId(coinId).unencrypted()
                .payload(payload).build();
    }

    private CompletableFuture<byte[]> call(InetSocketAddress peer, int raidaId, int code, byte[] payload, int size) {
        ClientRequest req = request(raidaId, code, payload);
        CompletableFuture<io.raida.protocol.client.RaidaResponse> f;
        try {
            f = client.send(peer, req, Transport.TCP, timeout);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return f.thenApply(r -> {
            byte[] out = r.require().payload();
            if (out.length != size) {
                throw new MalformedResponseException("integrity command 14/" + code + " from RAIDA " + raidaId
                        + " returned " + out.length + " bytes, expected " + size);
            }
            return out;
        });
    }

    private static void checkRoots(byte[] roots) {
        if (roots == null || roots.length != MerkleForest.ROOTS_SIZE) {
            throw new IllegalArgumentException("a roots vector is " + MerkleForest.ROOTS_SIZE + " bytes");
        }
    }
}
