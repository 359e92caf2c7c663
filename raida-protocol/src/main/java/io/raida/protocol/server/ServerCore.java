package io.raida.protocol.server;

import io.raida.protocol.RaidaIds;
import io.raida.protocol.RequestHeader;
import io.raida.protocol.Transport;
import io.raida.protocol.crypto.Crypto;
import io.raida.protocol.crypto.KeystreamMode;
import io.raida.protocol.server.BuiltinCommands;
import io.raida.protocol.server.CoinKeyResolver;
import io.raida.protocol.server.CommandRegistry;
import io.raida.protocol.server.DatagramInterceptor;
import io.raida.protocol.server.FrameDecoder;
import io.raida.protocol.server.ServerStats;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transport-agnostic RAIDA X server: configuration, command registry, key resolver, stats and
 * datagram interceptors. Transports create one {@link FrameDecoder} per connection (or pooled
 * datagram context) and drive it; {@link #answer(byte[], Transport)} runs the same pipeline in
 * memory. Thread-safe.
 *
 * <p>Built-in commands: echo (0/0), version (0/1, 8 ASCII bytes), show_stats (0/2, admin key).
 */
public final class ServerCore {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCore.class);

    /** Largest UDP reply an IPv4 datagram can carry; larger replies are refused (D-22). */
    public static final int MAX_UDP_REPLY = 65_507;

    private final int raidaId;
    private final int coinId;
    private final CoinKeyResolver keys;
    private final byte[] adminKey;
    private final byte[] version;
    private final int maxBodySize;
    private final boolean requireEncryptedBody;
    private final KeystreamMode legacyReplyKeystream;
    private final CommandRegistry registry = new CommandRegistry();
    private final ServerStats stats = new ServerStats();
    private final List<DatagramInterceptor> interceptors = new CopyOnWriteArrayList<>();
    private final Set<CommandRegistry.Registration> failedOnce = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicBoolean resolverFailureLogged =
            new java.util.concurrent.atomic.AtomicBoolean();

    private ServerCore(Builder b) {
        this.raidaId = b.raidaId;
        this.coinId = b.coinId;
        this.keys = b.keys;
        this.adminKey = b.adminKey == null ? null : b.adminKey.clone();
        this.version = b.version.getBytes(StandardCharsets.US_ASCII);
        this.maxBodySize = b.maxBodySize;
        this.requireEncryptedBody = b.requireEncryptedBody;
        this.legacyReplyKeystream = b.legacyReplyKeystream;
        BuiltinCommands.register(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A new per-connection (or per-datagram-context) decoder bound to this core. */
    public FrameDecoder newDecoder() {
        return new FrameDecoder(this);
    }

    public int raidaId() {
        return raidaId;
    }

    public int coinId() {
        return coinId;
    }

    public CoinKeyResolver keys() {
        return keys;
    }

    public CommandRegistry registry() {
        return registry;
    }

    /** Where type 1/2 reply bodies start their keystream (default {@link KeystreamMode#CONTINUE}). */
    public KeystreamMode legacyReplyKeystream() {
        return legacyReplyKeystream;
    }

    public ServerStats stats() {
        return stats;
    }

    public int maxBodySize() {
        return maxBodySize;
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

    /** Adds a datagram fast path; interceptors are asked in the order added. */
    public ServerCore addDatagramInterceptor(DatagramInterceptor interceptor) {
        interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
        return this;
    }

    public ServerCore removeDatagramInterceptor(DatagramInterceptor interceptor) {
        interceptors.remove(interceptor);
        return this;
    }

    /**
     * Lets the interceptors look at a datagram before RAIDA decoding. Transports call this for every
     * datagram. Returns a non-empty reply, {@link DatagramInterceptor#DROP} (also for an interceptor's
     * empty reply), or {@code null} (decode normally).
     * An interceptor that throws is logged and skipped: a bad datagram never stops the I/O thread.
     */
    public byte[] interceptDatagram(ByteBuffer datagram, InetSocketAddress sender) {
        for (DatagramInterceptor i : interceptors) {
            try {
                byte[] reply = i.intercept(datagram.duplicate(), sender);
                if (reply != null) {
                    // an empty reply is DROP whatever its identity, so every transport sends nothing
                    return reply.length == 0 ? DatagramInterceptor.DROP : reply;
                }
            } catch (RuntimeException e) {
                LOG.warn("datagram interceptor {} failed on a datagram from {}", i, address(sender), e);
            }
        }
        return null;
    }

    /**
     * Runs one complete request through the same decoder, validation, dispatch and encoder the
     * transports use, synchronously. Returns the response bytes, or {@code null} when the server
     * would send nothing (a UDP datagram that is dropped, or an incomplete TCP request).
     */
    public byte[] answer(byte[] frame, Transport transport) {
        FrameDecoder d = newDecoder();
        d.reset(transport, null, System.nanoTime());
        if (transport == Transport.UDP) {
            byte[] fast = interceptDatagram(ByteBuffer.wrap(frame), null);
            if (fast != null) {
                return fast == DatagramInterceptor.DROP ? null : fast.clone();
            }
            if (d.decodeDatagram(ByteBuffer.wrap(frame), false) == FrameDecoder.DatagramVerdict.DROP) {
                return null;
            }
        } else {
            d.feed(frame, 0, frame.length);
        }
        if (d.state() == FrameDecoder.State.PROCESSING) {
            d.process();
        }
        return d.state() == FrameDecoder.State.WANT_WRITE ? d.responseCopy() : null;
    }

    /** Logs a handler failure with its stack trace the first time per handler, briefly afterwards. */
    void handlerFailed(CommandRegistry.Registration r, Throwable t, InetSocketAddress peer) {
        stats.recordHandlerFailure();
        try {
            if (failedOnce.add(r)) {
                LOG.error("handler for command {}/{} failed (request from {}); answering 252", r.group(), r.code(),
                        address(peer), t);
            } else {
                LOG.debug("handler for command {}/{} failed again: {}", r.group(), r.code(), t.toString());
            }
        } catch (Throwable unprintable) {
            // a throwable whose toString/getMessage throws must not escape into an I/O loop or worker;
            // only a failing JVM (out of memory, stack overflow) is let through
            if (unprintable instanceof VirtualMachineError vmError) {
                throw vmError;
            }
            LOG.error("handler for command {}/{} failed with an unprintable {}; answering 252", r.group(), r.code(),
                    t.getClass().getName());
        }
    }

    /** Logs a key-resolver failure (the request is answered with 252). */
    void resolverFailed(RuntimeException e, InetSocketAddress peer) {
        stats.recordHandlerFailure();
        if (resolverFailureLogged.compareAndSet(false, true)) {
            LOG.error("key resolver failed (request from {}); answering 252", address(peer), e);
        } else {
            LOG.debug("key resolver failed again: {}", e.toString());
        }
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

        private Builder() {
        }

        /** This server's RAIDA id, 0..24 (request byte 2 must match). */
        public Builder raidaId(int raidaId) {
            this.raidaId = RaidaIds.requireRaidaId(raidaId);
            return this;
        }

        /** The coin id requests must carry in bytes 6..7 (default 6). */
        public Builder coinId(int coinId) {
            this.coinId = RaidaIds.requireCoinId(coinId);
            return this;
        }

        /** Where AN keys come from (default: none, every encrypted request fails with 34/25). */
        public Builder keyResolver(CoinKeyResolver keys) {
            this.keys = Objects.requireNonNull(keys, "keys");
            return this;
        }

        /** 16-byte admin key for show_stats (0/2); without one show_stats always answers 38. */
        public Builder adminKey(byte[] adminKey) {
            if (adminKey != null && adminKey.length != 16) {
                throw new IllegalArgumentException("the admin key is 16 bytes, got " + adminKey.length);
            }
            this.adminKey = adminKey == null ? null : adminKey.clone();
            return this;
        }

        /** The 8 ASCII characters the version command (0/1) returns. */
        public Builder versionString(String version) {
            if (version == null || version.length() != 8 || !StandardCharsets.US_ASCII.newEncoder().canEncode(version)) {
                throw new IllegalArgumentException("the version string is exactly 8 ASCII characters, got \""
                        + version + "\"");
            }
            this.version = version;
            return this;
        }

        /** Largest request body accepted, checked before any allocation (≤ 65 535; larger → 16). */
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
         */
        public Builder requireEncryptedBody(boolean require) {
            this.requireEncryptedBody = require;
            return this;
        }

        /**
         * Where type 1/2 reply bodies start their AES-CTR keystream (default
         * {@link KeystreamMode#CONTINUE}, as reference servers with AES-NI do). {@link KeystreamMode#RESTART}
         * emulates reference servers on other CPUs (D-1): an interop test aid, not for production.
         */
        public Builder legacyReplyKeystream(KeystreamMode mode) {
            this.legacyReplyKeystream = Objects.requireNonNull(mode, "mode");
            return this;
        }

        public ServerCore build() {
            return new ServerCore(this);
        }
    }
}
