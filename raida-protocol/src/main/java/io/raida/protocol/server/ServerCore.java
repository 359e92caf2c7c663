package io.raida.protocol.server;

import io.raida.protocol.RaidaIds;
import io.raida.protocol.RequestHeader;
import io.raida.protocol.StatusCode;
import io.raida.protocol.Transport;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.crypto.KeystreamMode;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The transport-agnostic RAIDA X server: configuration, command registry, key resolver, stats and
 * datagram interceptors. A transport serves it through a {@link ServerDispatcher}, which gives each
 * TCP connection a {@link ServerExchange} and each UDP socket a {@link DatagramReceiver}; every
 * protocol rule lives behind those. {@link #answer(byte[], Transport)} runs the same pipeline in
 * memory. Thread-safe.
 *
 * <p>Built-in commands: echo (0/0), version (0/1, 8 ASCII bytes), show_stats (0/2, admin key).
 */
public final class ServerCore {
    /** Largest UDP reply an IPv4 datagram can carry; larger replies are refused (D-22). */
    public static final int MAX_UDP_REPLY = 65_507;
    /** {@link #interceptDatagram}: an interceptor threw; the datagram is that request's failure. */
    static final byte[] INTERCEPTOR_FAILED = new byte[0];

    private final int raidaId;
    private final int coinId;
    private final CoinKeyResolver keys;
    private final byte[] adminKey;
    private final byte[] version;
    private final int maxBodySize;
    private final boolean requireEncryptedBody;
    private final KeystreamMode legacyReplyKeystream;
    private final ReplayCache replayCache;
    static final int DEFAULT_REPLAY_CAPACITY = 65_536;
    static final java.time.Duration DEFAULT_REPLAY_WINDOW = java.time.Duration.ofMinutes(5);
    private final CommandRegistry registry = new CommandRegistry();
    private final ServerStats stats = new ServerStats();
    private final UserCodeFailures failures = new UserCodeFailures(stats);
    private final InterceptorChain interceptors = new InterceptorChain(failures);

    private ServerCore(Builder b) {
        this.raidaId = b.raidaId;
        this.coinId = b.coinId;
        this.keys = b.keys;
        this.adminKey = b.adminKey == null ? null : b.adminKey.clone();
        this.version = b.version.getBytes(StandardCharsets.US_ASCII);
        this.maxBodySize = b.maxBodySize;
        this.requireEncryptedBody = b.requireEncryptedBody;
        this.legacyReplyKeystream = b.legacyReplyKeystream;
        this.replayCache = b.replayCapacity == 0 ? null : ReplayCache.create(b.replayCapacity, b.replayWindow);
        BuiltinCommands.register(this);
    }

    /**
     * A builder with the defaults (RAIDA 0, coin id 6, no keys, replay protection on).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /** A new request decoder bound to this core (one per exchange). */
    RequestDecoder newDecoder() {
        return new RequestDecoder(this);
    }

    /**
     * This server's RAIDA id.
     *
     * @return the RAIDA id, 0..24
     */
    public int raidaId() {
        return raidaId;
    }

    /**
     * The coin id requests must carry.
     *
     * @return the coin id, 0..65535
     */
    public int coinId() {
        return coinId;
    }

    /**
     * Where AN keys come from.
     *
     * @return the key resolver, never {@code null}
     */
    public CoinKeyResolver keys() {
        return keys;
    }

    /**
     * The handlers by command; register handlers here before the server starts.
     *
     * @return the registry
     */
    public CommandRegistry registry() {
        return registry;
    }

    /**
     * Where type 1/2 reply bodies start their keystream (default {@link KeystreamMode#CONTINUE}).
     *
     * @return the mode
     */
    public KeystreamMode legacyReplyKeystream() {
        return legacyReplyKeystream;
    }

    /**
     * The counters of this server, updated by the core and its transport.
     *
     * @return the counters
     */
    public ServerStats stats() {
        return stats;
    }

    /**
     * The largest request body accepted.
     *
     * @return the size in bytes, 0..65535
     */
    public int maxBodySize() {
        return maxBodySize;
    }

    /** The type 4/5 replay cache (D-12), or null when replay protection is off. */
    ReplayCache replayCache() {
        return replayCache;
    }

    boolean requireEncryptedBody() {
        return requireEncryptedBody;
    }

    byte[] versionBytes() {
        return version;
    }

    /** Constant-time admin-key check (D-20); false when no admin key is configured. */
    boolean isAdminKey(byte[] b, int off, int len) {
        return adminKey != null && len >= adminKey.length
                && Crypto.constantTimeEquals(adminKey, 0, b, off, adminKey.length);
    }

    /**
     * Adds a datagram fast path; interceptors are asked in the order added.
     *
     * @param interceptor the interceptor
     * @return this core
     */
    public ServerCore addDatagramInterceptor(DatagramInterceptor interceptor) {
        interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    /**
     * Removes a datagram fast path added with {@link #addDatagramInterceptor}.
     *
     * @param interceptor the interceptor
     * @return this core
     */
    public ServerCore removeDatagramInterceptor(DatagramInterceptor interceptor) {
        interceptors.remove(interceptor);
        return this;
    }

    /**
     * Lets the interceptors look at a datagram before RAIDA decoding. Returns a non-empty reply,
     * {@link DatagramInterceptor#DROP} (also for an interceptor's empty reply), {@link #INTERCEPTOR_FAILED}
     * when one threw (the datagram is then answered 252 like any failed request), or {@code null}
     * (decode normally).
     */
    byte[] interceptDatagram(ByteBuffer datagram, InetSocketAddress sender) {
        return interceptors.intercept(datagram, sender);
    }

    /**
     * Runs one complete request through the same exchange, validation, dispatch and encoder the
     * transports use, synchronously on the calling thread. Returns the reply bytes, or {@code null}
     * when the server would send nothing (a UDP datagram that is dropped, or an incomplete TCP request).
     *
     * @param frame the complete request
     * @param transport the transport to behave as
     * @return the reply, or {@code null}
     */
    public byte[] answer(byte[] frame, Transport transport) {
        RequestDecoder d = newDecoder();
        d.reset(transport, null, System.nanoTime());
        if (transport == Transport.UDP) {
            byte[] fast = interceptDatagram(ByteBuffer.wrap(frame), null);
            if (fast != null && fast != INTERCEPTOR_FAILED) {
                return fast == DatagramInterceptor.DROP ? null : fast.clone();
            }
            if (d.decodeDatagram(ByteBuffer.wrap(frame), false) == RequestDecoder.DatagramVerdict.DROP) {
                return null;
            }
            if (fast == INTERCEPTOR_FAILED) {
                d.failRequest(StatusCode.ERROR_INTERNAL);
            }
        } else {
            d.feed(frame, 0, frame.length);
        }
        if (d.state() == RequestDecoder.State.PROCESSING) {
            d.process();
        }
        return d.state() == RequestDecoder.State.WANT_WRITE ? d.responseCopy() : null;
    }

    /**
     * The one place where a failure of user code (key resolver, command handler, datagram
     * interceptor) is turned into that request's failure: a {@link VirtualMachineError} is rethrown
     * (the JVM is failing), anything else is counted and logged (with its stack trace the first time
     * per source) and the caller answers 252. Never throws anything else, even for a throwable whose
     * {@code toString} throws.
     */
    void userCodeFailed(UserCode kind, Object source, Throwable t, InetSocketAddress peer) {
        failures.failed(kind, source, t, peer);
    }

    static String address(InetSocketAddress a) {
        return a == null ? "memory" : a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    }

    /** Configuration of a {@link ServerCore}. */
    public static final class Builder {
        private int raidaId;
        private int coinId = 6;
        private CoinKeyResolver keys = CoinKeyResolver.NONE;
        private byte[] adminKey;
        private String version = "20261121";
        private int maxBodySize = RequestHeader.MAX_BODY_SIZE;
        private boolean requireEncryptedBody = true;
        private KeystreamMode legacyReplyKeystream = KeystreamMode.CONTINUE;
        private int replayCapacity = DEFAULT_REPLAY_CAPACITY;
        private java.time.Duration replayWindow = DEFAULT_REPLAY_WINDOW;

        private Builder() {
        }

        /**
         * This server's RAIDA id, 0..24 (request byte 2 must match).
         *
         * @param raidaId the RAIDA id, 0..24 (default 0)
         * @return this builder
         */
        public Builder raidaId(int raidaId) {
            this.raidaId = RaidaIds.requireRaidaId(raidaId);
            return this;
        }

        /**
         * The coin id requests must carry in bytes 6..7 (default 6).
         *
         * @param coinId the coin id, 0..65535
         * @return this builder
         */
        public Builder coinId(int coinId) {
            this.coinId = RaidaIds.requireCoinId(coinId);
            return this;
        }

        /**
         * Where AN keys come from (default: none, every encrypted request fails with 34/25).
         *
         * @param keys the key resolver
         * @return this builder
         */
        public Builder keyResolver(CoinKeyResolver keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /**
         * 16-byte admin key for show_stats (0/2); without one show_stats always answers 38.
         *
         * @param adminKey the 16-byte admin key
         * @return this builder
         * @throws IllegalArgumentException if it is not 16 bytes
         */
        public Builder adminKey(byte[] adminKey) {
            if (adminKey != null && adminKey.length != 16) {
                throw new IllegalArgumentException("the admin key is 16 bytes, got " + adminKey.length);
            }
            this.adminKey = adminKey == null ? null : adminKey.clone();
            return this;
        }

        /**
         * The 8 ASCII characters the version command (0/1) returns.
         *
         * @param version exactly 8 ASCII characters
         * @return this builder
         * @throws IllegalArgumentException if it is not 8 ASCII characters
         */
        public Builder versionString(String version) {
            if (version == null || version.length() != 8 || !StandardCharsets.US_ASCII.newEncoder().canEncode(version)) {
                throw new IllegalArgumentException("the version string is exactly 8 ASCII characters, got \""
                        + version + "\"");
            }
            this.version = version;
            return this;
        }

        /**
         * Largest request body accepted, checked before any allocation (≤ 65 535; larger → 16).
         *
         * @param maxBodySize the size in bytes, 0..65535
         * @return this builder
         * @throws IllegalArgumentException if it is out of range
         */
        public Builder maxBodySize(int maxBodySize) {
            if (maxBodySize < 0 || maxBodySize > RequestHeader.MAX_BODY_SIZE) {
                throw new IllegalArgumentException("max body size must be 0..65535, got " + maxBodySize);
            }
            this.maxBodySize = maxBodySize;
            return this;
        }

        /**
         * Whether encrypted types (1/2/4/5) must carry a body (default true, D-11: an empty body would
         * skip the proof of key possession). Set false only to mimic the reference.
         *
         * @param require {@code false} to accept encrypted requests without a body
         * @return this builder
         */
        public Builder requireEncryptedBody(boolean require) {
            this.requireEncryptedBody = require;
            return this;
        }

        /**
         * Where type 1/2 reply bodies start their AES-CTR keystream (default
         * {@link KeystreamMode#CONTINUE}, as reference servers with AES-NI do). {@link KeystreamMode#RESTART}
         * emulates reference servers on other CPUs (D-1): an interop test aid, not for production.
         *
         * @param mode the keystream mode
         * @return this builder
         */
        public Builder legacyReplyKeystream(KeystreamMode mode) {
            this.legacyReplyKeystream = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Replay protection for types 4/5 (D-12, on by default): a type 4/5 request whose MAC tag this
         * server accepted within {@code window} is answered 177 ERROR_TXN_PROCESSED and not run
         * again. The cache holds at least {@code capacity} requests in fixed memory (64 bytes each);
         * when more arrive within the window, the oldest are forgotten early. Defaults: 65 536
         * requests (4 MiB), 5 minutes.
         *
         * @param capacity the fewest requests remembered
         * @param window how long a request is remembered
         * @return this builder
         */
        public Builder replayProtection(int capacity, java.time.Duration window) {
            ReplayCache.create(capacity, window); // validates both, with the value in the message
            this.replayCapacity = capacity;
            this.replayWindow = window;
            return this;
        }

        /**
         * No replay protection: the reference's behaviour, for conformance replays and tests.
         *
         * @return this builder
         */
        public Builder noReplayProtection() {
            this.replayCapacity = 0;
            return this;
        }

        /**
         * The core.
         *
         * @return a new core with the built-in commands (echo, version, show_stats) registered
         */
        public ServerCore build() {
            return new ServerCore(this);
        }
    }
}
