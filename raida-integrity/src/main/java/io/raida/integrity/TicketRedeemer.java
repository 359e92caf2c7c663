package io.raida.integrity;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.CommandGroup;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.RaidaClient;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fixing server's side of 2/50 (healing.md §3, §5): one correct 55-byte type-0 request per peer
 * whose ticket is not 0 (never to itself), all in parallel over TCP, each leg bounded by the leg
 * timeout and all of them by the fix deadline. Legs to one peer never overlap: a leg waits for the
 * previous one to that peer (from any fix) to finish, so a peer sees at most one connection from us
 * at a time. Nothing here holds a thread while waiting except the caller of {@link #redeem}.
 */
final class TicketRedeemer {
    static final int SERVERS = TicketPool.CLAIMERS;
    private static final Logger LOG = LoggerFactory.getLogger(TicketRedeemer.class);
    private static final Set<Long> NO_VOTE = Set.of();

    private final int ownId;
    private final int coinId;
    private final List<InetSocketAddress> peers;
    private final RaidaClient client;
    private final Duration legTimeout;
    private final Duration fixTimeout;
    /** Per peer, the completion of the latest leg queued to it. */
    private final AtomicReferenceArray<CompletableFuture<Void>> tails = new AtomicReferenceArray<>(SERVERS);

    TicketRedeemer(int ownId, int coinId, List<InetSocketAddress> peers, RaidaClient client, Duration legTimeout,
                   Duration fixTimeout) {
        this.ownId = ownId;
        this.coinId = coinId;
        this.peers = peers;
        this.client = client;
        this.legTimeout = legTimeout;
        this.fixTimeout = fixTimeout;
        for (int i = 0; i < SERVERS; i++) {
            tails.set(i, CompletableFuture.completedFuture(null));
        }
    }

    /** The 2/50 request to peer {@code peerId}: header as healing.md §3, body {@code challenge ‖ ownId ‖ ticket ‖ 3E 3E}. */
    static ClientRequest request(int peerId, int ownId, int coinId, long ticket) {
        byte[] p = new byte[5];
        p[0] = (byte) ownId;
        Bytes.putU32(p, 1, ticket);
        return RequestBuilder.command(peerId, CommandGroup.HEALING.code(), HealingCommands.VALIDATE_TICKET)
                .coinId(coinId).unencrypted().payload(p).build();
    }

    /**
     * Redeems the tickets (index = issuing RAIDA) and returns per RAIDA the coins its reply listed
     * (each at most once, D-51); an entry is empty where there was no ticket, no peer address, or no
     * valid 250 reply in time. Returns within the fix timeout.
     *
     * @throws InterruptedException if the waiting thread is interrupted (legs in flight end on their own)
     */
    List<Set<Long>> redeem(long[] tickets) throws InterruptedException {
        long deadline = System.nanoTime() + fixTimeout.toNanos();
        List<CompletableFuture<Set<Long>>> legs = new ArrayList<>(SERVERS);
        for (int i = 0; i < SERVERS; i++) {
            InetSocketAddress a = i < peers.size() ? peers.get(i) : null;
            legs.add(i == ownId || tickets[i] == 0 || a == null
                    ? CompletableFuture.completedFuture(NO_VOTE)
                    : leg(i, a, tickets[i], deadline));
        }
        try {
            CompletableFuture.allOf(legs.toArray(new CompletableFuture<?>[0]))
                    .get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.debug("fix deadline {} passed with peer legs still open", fixTimeout);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a peer leg failed although legs never fail", e);
        }
        List<Set<Long>> out = new ArrayList<>(SERVERS);
        for (CompletableFuture<Set<Long>> l : legs) {
            out.add(l.getNow(NO_VOTE));
        }
        return out;
    }

    private CompletableFuture<Set<Long>> leg(int peer, InetSocketAddress address, long ticket, long deadline) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.getAndSet(peer, done);
        CompletableFuture<Set<Long>> result = new CompletableFuture<>();
        previous.whenComplete((v, e) -> {
            long left = Math.min(deadline - System.nanoTime(), legTimeout.toNanos());
            if (left <= 0) {
                done.complete(null);
                result.complete(NO_VOTE);
                return;
            }
            CompletableFuture<RaidaResponse> f;
            try {
                f = client.send(address, request(peer, ownId, coinId, ticket), Transport.TCP, Duration.ofNanos(left));
            } catch (RuntimeException ex) {
                LOG.debug("2/50 to RAIDA {} not sent: {}", peer, ex.toString());
                done.complete(null);
                result.complete(NO_VOTE);
                return;
            }
            f.whenComplete((r, err) -> {
                done.complete(null);
                if (err != null) {
                    LOG.debug("2/50 to RAIDA {}: no vote ({})", peer, err.toString());
                    result.complete(NO_VOTE);
                } else {
                    result.complete(votes(peer, r));
                }
            });
        });
        return result;
    }

    /** The coins a 2/50 reply vouches for: status 250, m ≥ 1 records of 5 bytes, all naming a record. */
    static Set<Long> votes(int peer, RaidaResponse r) {
        byte[] p = r.payload();
        if (r.status() != StatusCode.STATUS_SUCCESS.code() || p.length == 0 || p.length % 5 != 0) {
            LOG.debug("2/50 reply of RAIDA {}: status {}, {} bytes: no vote", peer, r.status(), p.length);
            return NO_VOTE;
        }
        Set<Long> coins = new HashSet<>();
        for (int off = 0; off < p.length; off += 5) {
            int den = p[off];
            long sn = Bytes.u32(p, off + 1);
            if (!HealingStore.exists(den, sn)) {
                LOG.debug("2/50 reply of RAIDA {} names coin {}:{} that has no record here: discarded", peer, den, sn);
                return NO_VOTE;
            }
            coins.add(HealingStore.key(den, sn));
        }
        return coins;
    }
}
