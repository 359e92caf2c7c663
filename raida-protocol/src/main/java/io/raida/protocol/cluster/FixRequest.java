package io.raida.protocol.cluster;

import io.raida.protocol.RaidaIds;
import io.raida.protocol.RequestHeader;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.internal.Bytes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * fix (2/80) at one RAIDA (healing.md §3): the coins, a PG and the 25 tickets of a
 * {@link TicketBook}. One request over TCP in one attempt, never split and never retried: a second
 * request would present tickets the first may already have redeemed. A lost reply leaves the
 * coins {@link FixResult.Fixed#UNKNOWN}; find settles them.
 */
final class FixRequest {
    /** 2/80. */
    static final int FIX = 80;
    /** PG and 25 tickets after the coins. */
    static final int FIXED = HealingKeys.PG_SIZE + RaidaNetwork.SIZE * TicketRound.TICKET_BYTES;

    private FixRequest() {
    }

    /**
     * @param key the key coin, or {@code null} for unencrypted requests
     * @return how many coins one fix request can hold
     */
    static int maxCoins(KeyCoin key) {
        return RequestSplitter.coinsPerRequest(CoinRecords.COIN, FIXED, KeyedRequests.overhead(key),
                RequestHeader.MAX_BODY_SIZE);
    }

    /**
     * Sends the fix (see {@link CoinHealer#fix}).
     *
     * @param cluster the cluster
     * @param key     the key coin, or {@code null}
     * @param timeout the bound on the request
     * @param raidaId the RAIDA to fix at
     * @param coins   the coins
     * @param tickets the tickets to redeem, claimed for {@code raidaId} here
     * @param pg      16 bytes
     * @return the result; never completes exceptionally unless cancelled
     * @throws IllegalStateException    if {@code tickets} were already used in a fix at this RAIDA
     * @throws IllegalArgumentException if the coins do not fit one request or the PG is not 16 bytes
     */
    static CompletableFuture<FixResult> send(RaidaCluster cluster, KeyCoin key, Duration timeout, int raidaId,
                                             List<Coin> coins, TicketBook tickets, byte[] pg) {
        RaidaIds.requireRaidaId(raidaId);
        List<Coin> list = CoinBatch.requireCoins(coins, "no coins given");
        Objects.requireNonNull(tickets, "tickets");
        if (pg == null || pg.length != HealingKeys.PG_SIZE) {
            throw new IllegalArgumentException("a PG is 16 bytes, got " + (pg == null ? "null" : pg.length));
        }
        if (list.size() > maxCoins(key)) {
            throw new IllegalArgumentException(list.size() + " coins do not fit one fix request (at most "
                    + maxCoins(key) + ")");
        }
        byte[] payload = payload(list, pg, tickets.numbers());
        tickets.claim(raidaId);
        byte[] seed = pg.clone();
        long start = System.nanoTime();
        KeyedRequests requests = new KeyedRequests(key);
        CompletableFuture<KeystreamMode> mode = requests.calibrates()
                ? cluster.keystream(raidaId, key, Transport.TCP, timeout)
                : CompletableFuture.completedFuture(KeystreamMode.CONTINUE);
        CompletableFuture<RaidaResponse> sent = mode.thenCompose(m -> {
            ClientRequest req = requests.build(RequestBuilder.command(raidaId, 2, FIX).payload(payload), raidaId, m);
            cluster.inFlightCounter().incrementAndGet();
            CompletableFuture<RaidaResponse> f = cluster.client().send(cluster.network().endpoint(raidaId), req,
                    Transport.TCP, timeout);
            f.whenComplete((r, e) -> cluster.inFlightCounter().decrementAndGet());
            return f;
        });
        CompletableFuture<FixResult> out = sent.handle((r, e) -> result(raidaId, list, seed, r, e,
                mode.isCompletedExceptionally(), Duration.ofNanos(System.nanoTime() - start), timeout));
        out.whenComplete((r, e) -> {
            if (out.isCancelled()) {
                mode.cancel(false);
                sent.cancel(false);
            }
        });
        return out;
    }

    /**
     * @param coins   the coins
     * @param pg      16 bytes
     * @param tickets 25 tickets, RAIDA 0 first (0: none)
     * @return {@code n × (den ‖ SN) ‖ PG ‖ T0 ‖ … ‖ T24}
     */
    static byte[] payload(List<Coin> coins, byte[] pg, long[] tickets) {
        byte[] p = new byte[coins.size() * CoinRecords.COIN + FIXED];
        int o = 0;
        for (Coin c : coins) {
            o = CoinRecords.writeCoin(p, o, c);
        }
        System.arraycopy(pg, 0, p, o, HealingKeys.PG_SIZE);
        o += HealingKeys.PG_SIZE;
        for (long t : tickets) {
            Bytes.putU32(p, o, t);
            o += TicketRound.TICKET_BYTES;
        }
        return p;
    }

    private static FixResult result(int raidaId, List<Coin> coins, byte[] pg, RaidaResponse r, Throwable error,
                                    boolean calibrationFailed, Duration latency, Duration timeout) {
        int n = coins.size();
        Throwable e = AttemptErrors.unwrap(error);
        if (e == null) {
            int s = r.status();
            if (PassFailReply.plausible(r, n, true, 0)) {
                RaidaOutcome o = new RaidaOutcome(raidaId, RaidaOutcome.Kind.STATUS, r, Transport.TCP, 1, latency, "");
                char[] l = PassFailReply.letters(o, n, 'p', 0);
                List<FixResult.Fixed> fixed = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    fixed.add(l[i] == 'p' ? FixResult.Fixed.YES : FixResult.Fixed.NO); // another status fixed nothing
                }
                return new FixResult(raidaId, coins, pg, o, fixed);
            }
            return lost(raidaId, coins, pg, RaidaOutcome.Kind.VERIFICATION_FAILED, latency,
                    "status " + s + " with a payload that does not fit the request (" + r.payloadLength() + " bytes)");
        }
        if (calibrationFailed) {
            // nothing was sent: the coins are as they were
            RaidaOutcome o = new RaidaOutcome(raidaId, AttemptErrors.kindOf(e), null, Transport.TCP, 0, latency,
                    "keystream calibration failed: " + e.getMessage());
            return new FixResult(raidaId, coins, pg, o, Collections.nCopies(n, FixResult.Fixed.NO));
        }
        RaidaOutcome.Kind kind = AttemptErrors.kindOf(e);
        if (kind == RaidaOutcome.Kind.REFUSED) {
            // no connection, so no request reached the RAIDA
            RaidaOutcome o = new RaidaOutcome(raidaId, kind, null, Transport.TCP, 1, latency, "TCP refused");
            return new FixResult(raidaId, coins, pg, o, Collections.nCopies(n, FixResult.Fixed.NO));
        }
        String detail = (kind == RaidaOutcome.Kind.TIMEOUT ? "no reply over TCP (fix timeout " + timeout.toMillis()
                + " ms): " : "") + e.getMessage();
        return lost(raidaId, coins, pg, kind, latency, detail);
    }

    private static FixResult lost(int raidaId, List<Coin> coins, byte[] pg, RaidaOutcome.Kind kind,
                                  Duration latency, String detail) {
        RaidaOutcome o = new RaidaOutcome(raidaId, kind, null, Transport.TCP, 1, latency, detail);
        return new FixResult(raidaId, coins, pg, o, Collections.nCopies(coins.size(), FixResult.Fixed.UNKNOWN));
    }
}
