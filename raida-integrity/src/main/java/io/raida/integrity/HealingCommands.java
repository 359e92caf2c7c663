package io.raida.integrity;

import io.raida.protocol.internal.OptionChecks;
import io.raida.protocol.server.PeerPolicy;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.CommandGroup;
import io.raida.protocol.server.CommandRequest;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.StatusCode;
import io.raida.protocol.cluster.HealingKeys;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaTransportProvider;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of the healing commands (healing.md §2): 2/40 get_ticket, 2/50 validate_ticket,
 * 2/60 find and 2/80 fix over a {@link PageStore}.
 *
 * <pre>{@code
 * HealingCommands healing = HealingCommands.builder()
 *         .pageStore(store)                  // the same store as the key resolver and the integrity node
 *         .peers(peers)                      // 25 addresses, index = RAIDA id (own entry may be null)
 *         .transport("nio")                  // or .client(client) to share one
 *         .build()
 *         .install(core);                    // registers 2/40, 2/50, 2/60, 2/80 on core's registry
 * ...
 * healing.close();                           // unregisters, closes an owned client
 * }</pre>
 *
 * <p>Handlers see the payload of every encryption type (0, 1, 2, 4, 5; D-14), so the body-size rules
 * of the spec apply to the payload length: get_ticket {@code n × 21}, validate_ticket 5, find
 * {@code n × 37}, fix {@code 5n + 116}. Statuses in order: 36 no body, 16 too short (or ≠ 5), 39 not
 * a whole number of records, 40 a den/SN naming no record (checked for all coins before anything
 * else happens), 194 a storage failure, then the command's own.
 *
 * <p>Differences from the reference, on purpose: a ticket slot is taken only when 241/243 is answered
 * (D-49) and freed after the ticket lifetime (D-40); ticket numbers are random, non-zero and unique,
 * claims are test-and-set under one lock (D-50); a ticket lists each coin once and a peer's reply
 * gives at most one vote per coin (D-51); a record with MFS 0 never passes get_ticket or find (D-57);
 * 2/50 is answered only to configured peer addresses, 38 to anyone else (D-41); fix sends a correct
 * 55-byte 2/50 only to RAIDA whose ticket is not 0, in parallel, bounded per leg and in total (D-5,
 * D-52). A coin is fixed when at least 13 other RAIDA vouch for it: its AN becomes
 * {@link HealingKeys#newAn} and its MFS the current month, written through the crash-safe page path
 * so the Merkle trees see the page change.
 */
public final class HealingCommands implements AutoCloseable {
    /** Command code of get_ticket. */
    public static final int GET_TICKET = 40;
    /** Command code of validate_ticket. */
    public static final int VALIDATE_TICKET = 50;
    /** Command code of find. */
    public static final int FIND = 60;
    /** Command code of fix. */
    public static final int FIX = 80;
    /** Other RAIDA that must vouch for a coin before fix re-keys it (votes > 13 with the fixing server's own). */
    public static final int VOUCHES_NEEDED = 13;

    static final int GROUP = CommandGroup.HEALING.code();
    static final int COIN = 5;
    static final int TICKET_RECORD = COIN + PageStore.AN_SIZE;
    static final int FIND_RECORD = COIN + 2 * PageStore.AN_SIZE;
    /** Bytes after the coins of a fix: PG(16) ‖ 25 tickets. */
    static final int FIX_TRAILER = HealingKeys.PG_SIZE + 4 * TicketRedeemer.SERVERS;

    private static final Logger LOG = LoggerFactory.getLogger(HealingCommands.class);

    private final HealingStore store;
    private final List<InetSocketAddress> peers;
    private final PeerPolicy claimAccess;
    private final TicketPool pool;
    private final Duration legTimeout;
    private final Duration fixTimeout;
    private final String transportName;
    private RaidaClient client;
    private boolean ownsClient;
    private ServerCore core;
    private int ownId;
    private TicketRedeemer redeemer;
    private boolean closed;

    private HealingCommands(Builder b) {
        this.store = new HealingStore(b.store, b.clock);
        this.peers = b.peers;
        this.pool = new TicketPool(b.poolSize, b.lifetime, b.nanoClock, new java.security.SecureRandom());
        this.legTimeout = b.legTimeout;
        this.fixTimeout = b.fixTimeout;
        this.client = b.client;
        this.transportName = b.transport;
        if (b.claimAccess != null) {
            this.claimAccess = b.claimAccess;
        } else {
            Set<InetAddress> allowed = new LinkedHashSet<>();
            for (InetSocketAddress a : peers) {
                if (a != null && a.getAddress() != null) {
                    allowed.add(a.getAddress());
                }
            }
            this.claimAccess = PeerPolicy.of(allowed);
        }
    }

    /**
     * A new builder.
     *
     * @return a builder with the defaults listed on {@link #register}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers the healing commands on {@code core} with the defaults: 512 tickets of 300 s, 2/50
     * accepted from the peers' addresses, peer legs of 5 s within an 8 s fix.
     *
     * @param peers  the 25 RAIDA addresses (index = RAIDA id, own entry may be null); empty: fix gets no votes
     * @param client the client for the peer legs (not closed by the handlers); may be null without peers
     * @param core the server core to install the handlers in
     * @param store the page store holding the coin records fix writes
     * @return the installed handlers (close them to unregister)
     */
    public static HealingCommands register(ServerCore core, PageStore store, List<InetSocketAddress> peers,
                                           RaidaClient client) {
        Builder b = builder().pageStore(store).peers(peers);
        if (client != null) {
            b.client(client);
        }
        return b.build().install(core);
    }

    /**
     * Registers 2/40, 2/50, 2/60 and 2/80 in the core's registry (fix, get_ticket and find run on the
     * worker pool; validate_ticket only touches memory and may run on an I/O thread). The core's RAIDA
     * id is the fixing server's id and its coin id that of the peer requests. Once per instance.
     *
     * @param core the server core whose registry gets the handlers
     * @return this object, to chain further set-up
     * @throws IllegalStateException if already installed or closed, or if peers are configured and no
     *                               client or transport module is available
     */
    public synchronized HealingCommands install(ServerCore core) {
        if (closed || this.core != null) {
            throw new IllegalStateException(closed ? "healing commands are closed" : "healing commands are installed");
        }
        this.core = Objects.requireNonNull(core, "core");
        this.ownId = core.raidaId();
        if (!peers.isEmpty()) {
            redeemer = new TicketRedeemer(ownId, core.coinId(), peers, client(), legTimeout, fixTimeout);
        }
        core.registry().register(GROUP, GET_TICKET, this::getTicket);
        core.registry().registerNonBlocking(GROUP, VALIDATE_TICKET, this::validateTicket);
        core.registry().register(GROUP, FIND, this::find);
        // fix waits on up to 24 peers: its own bulkhead, so a slow peer round never holds a local worker
        core.registry().registerWaiting(GROUP, FIX, BULKHEAD, this::fix);
        return this;
    }

    /**
     * Live tickets in the pool now.
     *
     * @return the tickets issued and not yet expired or claimed
     */
    public int liveTickets() {
        return pool.size();
    }

    /**
     * Who may claim tickets (2/50).
     *
     * @return the policy checked for every 2/50 request
     */
    public PeerPolicy claimAccess() {
        return claimAccess;
    }

    private RaidaClient client() {
        if (client == null) {
            RaidaTransportProvider p = transportName != null ? RaidaTransportProvider.named(transportName)
                    : java.util.ServiceLoader.load(RaidaTransportProvider.class).findFirst().orElseThrow(
                            () -> new IllegalStateException("fix needs a RaidaClient for its peers: pass client(...) "
                                    + "or put a transport module (raida-transport-nio or -netty) on the class path"));
            client = p.newClient(ClientOptions.builder().timeout(legTimeout).build());
            ownsClient = true;
        }
        return client;
    }

    /** Unregisters the handlers and closes an owned client (fixes waiting on peers then see no votes). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (core != null) {
            core.registry().unregister(GROUP, GET_TICKET);
            core.registry().unregister(GROUP, VALIDATE_TICKET);
            core.registry().unregister(GROUP, FIND);
            core.registry().unregister(GROUP, FIX);
        }
        if (ownsClient && client != null) {
            client.close();
        }
    }

    /** The waiting bulkhead fix (2/80) runs in ({@code CommandRegistry.registerWaiting}). */
    public static final String BULKHEAD = "peers";

    // ---- handlers ----

    /** 2/40: n × {@code den ‖ SN ‖ AN} → 241 ticket, 242, 243 bitmap ‖ ticket; 42 when the pool is full. */
    CommandResult getTicket(CommandRequest req) {
        CommandResult bad = checkRecords(req, TICKET_RECORD, TICKET_RECORD, 0);
        if (bad != null) {
            return bad;
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        int n = req.payloadLength() / TICKET_RECORD;
        byte[] bitmap = new byte[(n + 7) / 8];
        Set<Long> passing = new LinkedHashSet<>();
        int passed = 0;
        try {
            for (int i = 0; i < n; i++) {
                int o = off + i * TICKET_RECORD;
                int den = p[o];
                long sn = Bytes.u32(p, o + 1);
                if (HealingStore.owns(store.record(den, sn), p, o + COIN)) {
                    bitmap[i / 8] |= (byte) (1 << (i % 8));
                    passing.add(HealingStore.key(den, sn));
                    passed++;
                }
            }
        } catch (IOException e) {
            return storageFailed("2/40", e);
        }
        if (passed == 0) {
            return CommandResult.of(StatusCode.STATUS_ALL_FAIL);
        }
        int ticket = pool.issue(coinList(passing));
        if (ticket == 0) {
            LOG.warn("2/40: the ticket pool is full ({} live tickets)", pool.capacity());
            return CommandResult.of(StatusCode.ERROR_NO_TICKET_SLOT);
        }
        if (passed == n) {
            byte[] out = new byte[4];
            Bytes.putU32(out, 0, ticket & 0xFFFF_FFFFL);
            return CommandResult.of(StatusCode.STATUS_ALL_PASS, out);
        }
        byte[] out = new byte[bitmap.length + 4];
        System.arraycopy(bitmap, 0, out, 0, bitmap.length);
        Bytes.putU32(out, bitmap.length, ticket & 0xFFFF_FFFFL);
        return CommandResult.of(StatusCode.STATUS_MIXED, out);
    }

    /** 2/50 (peers only): {@code ridx ‖ ticket} → 250 with the ticket's coins; 18, 43, 44. */
    CommandResult validateTicket(CommandRequest req) {
        if (!claimAccess.permits(req.remoteAddress())) {
            LOG.debug("2/50 from {} refused: not a configured peer", req.remoteAddress());
            return CommandResult.of(StatusCode.ERROR_ADMIN_AUTH);
        }
        if (!req.hasBody()) {
            return CommandResult.of(StatusCode.ERROR_EMPTY_REQUEST);
        }
        if (req.payloadLength() != 5) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PACKET_LENGTH);
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        int ridx = p[off] & 0xFF;
        if (ridx >= TicketPool.CLAIMERS) {
            return CommandResult.of(StatusCode.ERROR_WRONG_RAIDA);
        }
        TicketPool.Claim c = pool.claim((int) Bytes.u32(p, off + 1), ridx);
        switch (c.status()) {
            case CLAIMED:
                return CommandResult.success(c.coins());
            case ALREADY_CLAIMED:
                return CommandResult.of(StatusCode.ERROR_TICKET_CLAIMED_ALREADY);
            default:
                return CommandResult.of(StatusCode.ERROR_NO_TICKET_FOUND);
        }
    }

    /** 2/60: n × {@code den ‖ SN ‖ AN ‖ PAN} → 208 / 209 / 210, or 211 with one byte (0/1/2) per coin. */
    CommandResult find(CommandRequest req) {
        CommandResult bad = checkRecords(req, FIND_RECORD, FIND_RECORD, 0);
        if (bad != null) {
            return bad;
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        int n = req.payloadLength() / FIND_RECORD;
        byte[] out = new byte[n];
        int an = 0;
        int pan = 0;
        try {
            for (int i = 0; i < n; i++) {
                int o = off + i * FIND_RECORD;
                byte[] rec = store.record(p[o], Bytes.u32(p, o + 1));
                if (HealingStore.owns(rec, p, o + COIN)) {
                    out[i] = 1;
                    an++;
                } else if (HealingStore.owns(rec, p, o + COIN + PageStore.AN_SIZE)) {
                    out[i] = 2;
                    pan++;
                }
            }
        } catch (IOException e) {
            return storageFailed("2/60", e);
        }
        if (an == n) {
            return CommandResult.of(StatusCode.STATUS_FIND_ALL_AN);
        }
        if (pan == n) {
            return CommandResult.of(StatusCode.STATUS_FIND_ALL_PAN);
        }
        if (an + pan == 0) {
            return CommandResult.of(StatusCode.STATUS_FIND_NEITHER);
        }
        return CommandResult.of(StatusCode.STATUS_FIND_MIXED, out);
    }

    /**
     * 2/80: n × {@code den ‖ SN}, {@code PG(16)}, {@code T0..T24} → 241, 242, or 243 with a bitmap. Waits
     * for the peers (at most the fix timeout) on the calling worker thread.
     */
    CommandResult fix(CommandRequest req) throws InterruptedException {
        CommandResult bad = checkRecords(req, COIN, COIN + FIX_TRAILER, FIX_TRAILER);
        if (bad != null) {
            return bad;
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        int n = (req.payloadLength() - FIX_TRAILER) / COIN;
        byte[] pg = java.util.Arrays.copyOfRange(p, off + n * COIN, off + n * COIN + HealingKeys.PG_SIZE);
        long[] tickets = new long[TicketRedeemer.SERVERS];
        for (int i = 0; i < tickets.length; i++) {
            tickets[i] = Bytes.u32(p, off + n * COIN + HealingKeys.PG_SIZE + 4 * i);
        }
        List<Set<Long>> votes = redeemer != null ? redeemer.redeem(tickets) : Collections.nCopies(
                TicketRedeemer.SERVERS, Set.of());
        Map<Long, byte[]> fixed = new LinkedHashMap<>();
        byte[] bitmap = new byte[(n + 7) / 8];
        int fixedCount = 0;
        for (int i = 0; i < n; i++) {
            int o = off + i * COIN;
            long key = HealingStore.key(p[o], Bytes.u32(p, o + 1));
            int vouches = 0;
            for (int r = 0; r < votes.size(); r++) {
                if (r != ownId && votes.get(r).contains(key)) {
                    vouches++;
                }
            }
            if (vouches >= VOUCHES_NEEDED) {
                fixed.computeIfAbsent(key, k -> HealingKeys.newAn(ownId, HealingStore.den(k), HealingStore.sn(k), pg));
                bitmap[i / 8] |= (byte) (1 << (i % 8));
                fixedCount++;
            }
        }
        if (!fixed.isEmpty()) {
            try {
                store.rekey(fixed);
            } catch (IOException e) {
                return storageFailed("2/80", e);
            }
            LOG.info("2/80: fixed {} of {} coins", fixed.size(), n);
        }
        if (fixedCount == 0) {
            return CommandResult.of(StatusCode.STATUS_ALL_FAIL);
        }
        return fixedCount == n ? CommandResult.of(StatusCode.STATUS_ALL_PASS)
                : CommandResult.of(StatusCode.STATUS_MIXED, bitmap);
    }

    /**
     * 36 / 16 / 39 / 40 for a payload of records of {@code record} bytes followed by {@code trailer}
     * bytes, at least {@code min} bytes in all; null if the request is well formed.
     */
    private static CommandResult checkRecords(CommandRequest req, int record, int min, int trailer) {
        if (!req.hasBody()) {
            return CommandResult.of(StatusCode.ERROR_EMPTY_REQUEST);
        }
        int len = req.payloadLength();
        if (len < min) {
            return CommandResult.of(StatusCode.ERROR_INVALID_PACKET_LENGTH);
        }
        if ((len - trailer) % record != 0) {
            return CommandResult.of(StatusCode.ERROR_COINS_NOT_DIV);
        }
        byte[] p = req.payloadArray();
        int off = req.payloadOffset();
        for (int o = off; o < off + len - trailer; o += record) {
            if (!HealingStore.exists(p[o], Bytes.u32(p, o + 1))) {
                return CommandResult.of(StatusCode.ERROR_INVALID_SN_OR_DENOMINATION);
            }
        }
        return null;
    }

    private static byte[] coinList(Set<Long> coins) {
        byte[] out = new byte[coins.size() * COIN];
        int o = 0;
        for (long k : coins) {
            out[o] = (byte) HealingStore.den(k);
            Bytes.putU32(out, o + 1, HealingStore.sn(k));
            o += COIN;
        }
        return out;
    }

    private static CommandResult storageFailed(String command, IOException e) {
        LOG.warn("{}: page store failure: {}", command, e.toString());
        return CommandResult.of(StatusCode.ERROR_FILESYSTEM);
    }

    /** Configuration of {@link HealingCommands}. */
    public static final class Builder {
        private PageStore store;
        private List<InetSocketAddress> peers = List.of();
        private RaidaClient client;
        private String transport;
        private PeerPolicy claimAccess;
        private int poolSize = 512;
        private Duration lifetime = Duration.ofSeconds(300);
        private Duration legTimeout = Duration.ofSeconds(5);
        private Duration fixTimeout = Duration.ofSeconds(8);
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoClock = System::nanoTime;

        private Builder() {
        }

        /**
         * The page store (required).
         *
         * @param store the page store holding the coin records, not {@code null}
         * @return this builder
         */
        public Builder pageStore(PageStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * The RAIDA addresses fix asks, index = RAIDA id (own entry ignored, any entry may be null); empty
         * (the default) means fix never gets a vote. Their IP addresses may claim tickets unless
         * {@link #claimAccess} says otherwise.
         *
         * @param peers 25 addresses, or an empty list
         * @return this builder
         */
        public Builder peers(List<InetSocketAddress> peers) {
            Objects.requireNonNull(peers, "peers");
            if (peers.size() > TicketRedeemer.SERVERS) {
                throw new IllegalArgumentException("at most " + TicketRedeemer.SERVERS
                        + " RAIDA addresses (index = RAIDA id), got " + peers.size());
            }
            this.peers = Collections.unmodifiableList(new ArrayList<>(peers));
            return this;
        }

        /**
         * The client of the peer legs (not closed by the handlers).
         *
         * @param client the client, not {@code null}
         * @return this builder
         */
        public Builder client(RaidaClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Without {@link #client}, create (and own) a client of this transport ("nio", "netty").
         *
         * @param name the transport provider's name
         * @return this builder
         */
        public Builder transport(String name) {
            this.transport = Objects.requireNonNull(name, "name");
            return this;
        }

        /**
         * Who may claim tickets with 2/50 (default: the peers' IP addresses; others get 38).
         *
         * @param access the policy, not {@code null}
         * @return this builder
         */
        public Builder claimAccess(PeerPolicy access) {
            this.claimAccess = Objects.requireNonNull(access, "access");
            return this;
        }

        /**
         * Most live tickets (default 512; a full pool answers get_ticket with 42).
         *
         * @param size the pool size, at least 1
         * @return this builder
         */
        public Builder ticketPoolSize(int size) {
            if (size <= 0) {
                throw new IllegalArgumentException("ticketPoolSize must be positive, got " + size);
            }
            this.poolSize = size;
            return this;
        }

        /**
         * Time from issue until a ticket is freed (default 300 s).
         *
         * @param d the lifetime, positive
         * @return this builder
         */
        public Builder ticketLifetime(Duration d) {
            this.lifetime = OptionChecks.positive("ticketLifetime", d);
            return this;
        }

        /**
         * Bound of one 2/50 leg, connect to reply (default 5 s).
         *
         * @param d the timeout, positive
         * @return this builder
         */
        public Builder legTimeout(Duration d) {
            this.legTimeout = OptionChecks.positive("legTimeout", d);
            return this;
        }

        /**
         * Bound of all legs of one fix together, queueing behind other fixes included (default 8 s:
         * under the server's 10 s TCP request deadline, so the fix answers before the deadline's 254).
         *
         * @param d the timeout, positive
         * @return this builder
         */
        public Builder fixTimeout(Duration d) {
            this.fixTimeout = OptionChecks.positive("fixTimeout", d);
            return this;
        }

        /** Clock of the MFS written by fix (tests). */
        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Clock of ticket expiry (tests). */
        Builder nanoClock(LongSupplier nanoClock) {
            this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /**
         * The handlers, not yet installed.
         *
         * @return the handlers; install them with {@link HealingCommands#install(ServerCore)}
         */
        public HealingCommands build() {
            if (store == null) {
                throw new IllegalStateException("pageStore(...) is required");
            }
            return new HealingCommands(this);
        }
    }
}
