package io.raida.legacy;

import io.raida.protocol.Denominations;
import io.raida.protocol.StatusCode;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.CommandHandler;
import io.raida.protocol.server.CommandRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.ServerCore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The RAIDA X detect command (group 1, code 10) for shard 2 coins, answered by the CC2 back end
 * (legacy-cc2.md §1).
 *
 * <p>Request payload: {@code n × (den(1) || SN(4) || AN(16))}. For a request with header byte 3
 * (shard) = 2:
 * <ul>
 *   <li>payload length (as handed over by the core, D-14) not a positive multiple of 21 → 39 ERROR_COINS_NOT_DIV;</li>
 *   <li>a denomination outside -8..6 or an SN of 2^24 or more → 40 ERROR_INVALID_SN_OR_DENOMINATION
 *       (refused rather than truncated, D-8; the denomination byte itself is not forwarded);</li>
 *   <li>otherwise one CC2 detect of all coins: 241 all pass, 242 all fail, 243 with the
 *       {@code ceil(n/8)}-byte LSB-first bitmap; 48 ERROR_LEGACY_DB if the back end is unreachable,
 *       times out or answers something unusable.</li>
 * </ul>
 *
 * <p>Requests for any other shard go to the fallback handler given to the constructor (e.g. the
 * server's own shard-3 detect). Without one they are answered 20 ERROR_SHARD_NOT_AVAILABLE: this
 * server has no back end for that shard, which is neither a malformed request nor a counterfeit coin.
 *
 * <p>Blocks on socket I/O for shard 2: {@link #register(ServerCore)} puts those requests in the
 * waiting bulkhead {@value #BULKHEAD} and the other shards on the local workers, and shows the
 * client's circuit breaker in the server's stats.
 */
public final class Cc2DetectHandler implements CommandHandler {
    /** RAIDA X command group of detect. */
    public static final int GROUP = 1;
    /** RAIDA X command code of detect. */
    public static final int CODE = 10;
    /** Shard id served by CC2. */
    public static final int SHARD = 2;
    /** The waiting bulkhead shard-2 detects run in ({@code CommandRegistry.registerWaiting}). */
    public static final String BULKHEAD = "cc2";
    /** RAIDA X detect record: den(1) || SN(4) || AN(16). */
    public static final int RECORD_SIZE = 21;

    private final Cc2Client client;
    private final CommandHandler fallback;

    /**
     * Forwards shard 2 to {@code client}; answers other shards 20 ERROR_SHARD_NOT_AVAILABLE.
     *
     * @param client the CC2 client that serves shard 2; the handler does not close it
     */
    public Cc2DetectHandler(Cc2Client client) {
        this(client, null);
    }

    /**
     * @param client   the CC2 client for shard 2
     * @param fallback handles detect for every other shard; {@code null} to answer them 20
     */
    public Cc2DetectHandler(Cc2Client client, CommandHandler fallback) {
        this.client = Objects.requireNonNull(client, "client");
        this.fallback = fallback;
    }

    /**
     * Registers this handler for 1/10 in {@code core}'s registry, replacing any earlier one: shard-2
     * requests wait on CC2 in bulkhead {@value #BULKHEAD}, other shards run on the local workers;
     * the client's breaker shows in {@code core.stats().breakers()}.
     *
     * @param core the server core whose registry and bulkheads get the handler
     * @return this handler, to chain further set-up
     */
    public Cc2DetectHandler register(ServerCore core) {
        core.registry().registerWaiting(GROUP, CODE, BULKHEAD, r -> r.shardId() == SHARD, this);
        core.stats().showBreaker(client.breaker());
        return this;
    }

    @Override
    public CommandResult handle(CommandRequest request) throws Exception {
        if (request.shardId() != SHARD) {
            return fallback != null ? fallback.handle(request) : CommandResult.of(StatusCode.ERROR_SHARD_NOT_AVAILABLE);
        }
        int len = request.payloadLength();
        if (len == 0 || len % RECORD_SIZE != 0) {
            return CommandResult.of(StatusCode.ERROR_COINS_NOT_DIV);
        }
        int n = len / RECORD_SIZE;
        if (n > Cc2Client.MAX_DETECT_COINS) {
            return CommandResult.of(StatusCode.ERROR_TOO_MANY_COINS); // cannot happen under a 16-bit body size
        }
        byte[] p = request.payloadArray();
        int base = request.payloadOffset();
        List<Cc2Coin> coins = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int off = base + i * RECORD_SIZE;
            long sn = Bytes.u32(p, off + 1);
            if (!Denominations.isValid(p[off]) || sn > Cc2Coin.MAX_SN) {
                return CommandResult.of(StatusCode.ERROR_INVALID_SN_OR_DENOMINATION);
            }
            coins.add(new Cc2Coin(sn, Arrays.copyOfRange(p, off + 5, off + RECORD_SIZE)));
        }
        Cc2DetectResult r;
        try {
            r = client.detect(coins);
        } catch (Cc2RequestException e) {
            return new CommandResult(e.raidaStatus(), null);
        } catch (Cc2Exception e) {
            return new CommandResult(e.raidaStatus(), null); // already logged by the client
        }
        StatusCode status = r.raidaStatus();
        return status == StatusCode.STATUS_MIXED ? CommandResult.of(status, r.bitmap()) : CommandResult.of(status);
    }

    @Override
    public String toString() {
        return "Cc2DetectHandler[" + client + (fallback == null ? "" : ", fallback " + fallback) + "]";
    }
}
