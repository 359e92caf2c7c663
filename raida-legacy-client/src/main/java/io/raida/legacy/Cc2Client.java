package io.raida.legacy;

import io.raida.protocol.internal.OptionChecks;
import io.raida.protocol.RaidaIds;
import io.raida.protocol.server.CircuitBreaker;
import io.raida.protocol.internal.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the CC2 back end over a Unix-domain stream socket (legacy-cc2.md). Each call opens its
 * own connection, sends one request, reads the reply and closes the socket, whatever happens; the
 * client holds no mutable connection state, so any number of threads may share one instance.
 *
 * <p>Failures are {@link Cc2Exception}s carrying the RAIDA X status to answer (48 ERROR_LEGACY_DB):
 * {@link Cc2TransportException} (no socket file, refused, broken connection, reply cut short),
 * {@link Cc2TimeoutException}, {@link Cc2ReplyException} (unknown status, wrong bitmap length).
 * Requests that cannot be expressed are refused with a {@link Cc2RequestException} before anything
 * is allocated or sent.
 *
 * <p>Timeouts: the connect timeout bounds connecting; the write timeout bounds sending the request
 * (applied as {@code SO_SNDTIMEO}); the read timeout bounds receiving the whole reply, counted from
 * the end of the write (a back end that trickles bytes cannot stretch it).
 *
 * <p>Circuit breaker: after {@link Builder#circuitBreaker consecutive failures} to reach or hear
 * from the back end (refused, broken, timed out) calls fail at once with a
 * {@link Cc2UnavailableException} (status 48) for the open interval instead of each waiting out its
 * timeouts; then one probe call tests the back end and a success closes the breaker. Its state is
 * {@link #breaker()}; every change is logged (WARN when it opens, INFO when it closes).
 *
 * <p>Logging (SLF4J, logger {@code io.raida.legacy.Cc2Client}): the first failure of a kind is a WARN
 * with socket path and errno-style cause, repeats of the same kind are DEBUG until a call succeeds
 * again (INFO), so a back end that is down does not flood the log. Packet tracing is DEBUG and shows
 * headers, serial numbers and bitmaps, never ANs.
 *
 * <pre>{@code
 * Cc2Client cc2 = Cc2Client.builder().raidaId(14).socketPath(Path.of("/opt/superraida/unix.sock")).build();
 * Cc2DetectResult r = cc2.detect(List.of(new Cc2Coin(258, an)));
 * }</pre>
 */
public final class Cc2Client {
    private static final Logger LOG = LoggerFactory.getLogger(Cc2Client.class);

    /** The reference build's compiled-in socket path. */
    public static final Path DEFAULT_SOCKET_PATH = Path.of("/opt/superraida/unix.sock");
    /** Default connect timeout to the CC2 Unix socket: 2 s. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Default time allowed to write a request to the CC2 back end: 6 s. */
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(6);
    /** The reference's {@code SO_RCVTIMEO}. */
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(6);
    /** Most coins one detect can carry (16-bit body length): 3 448. */
    public static final int MAX_DETECT_COINS = Cc2Frames.MAX_DETECT_COINS;
    /** Most serial numbers one hash delete can carry: 21 828. */
    public static final int MAX_DELETE_COINS = Cc2Frames.MAX_DELETE_COINS;

    private static final int TRACE_SNS = 8;

    private final Path socketPath;
    private final AFUNIXSocketAddress address;
    private final int raidaId;
    private final int connectTimeoutMillis;
    private final int sendBufferSize;
    private final int writeTimeoutMillis;
    private final long readTimeoutNanos;
    private final CircuitBreaker breaker;
    /** Kind of the last failure, for log throttling only; null after a success. */
    private final AtomicReference<String> failing = new AtomicReference<>();

    private Cc2Client(Builder b) {
        this.socketPath = b.socketPath;
        this.address = b.address;
        this.raidaId = b.raidaId;
        this.connectTimeoutMillis = millis(b.connectTimeout);
        this.sendBufferSize = b.sendBufferSize;
        this.writeTimeoutMillis = millis(b.writeTimeout);
        this.readTimeoutNanos = b.readTimeout.toNanos();
        this.breaker = new CircuitBreaker("cc2 " + b.socketPath, b.breakerFailures, b.breakerOpen, 1,
                Cc2Client::logBreaker);
    }

    private static void logBreaker(String name, CircuitBreaker.State from, CircuitBreaker.State to) {
        switch (to) {
            case OPEN -> LOG.warn("{}: circuit breaker {} -> OPEN: failing CC2 calls fast with 48", name, from);
            case CLOSED -> LOG.info("{}: circuit breaker {} -> CLOSED: the back end answers again", name, from);
            default -> LOG.info("{}: circuit breaker {} -> {}: probing the back end", name, from, to);
        }
    }

    /**
     * The circuit breaker in front of the back end (state and counters, for stats and health checks).
     *
     * @return the breaker shared by every call of this client, never {@code null}
     */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * A builder with the reference defaults (socket {@link #DEFAULT_SOCKET_PATH}, RAIDA 0, timeouts 2 s / 6 s / 6 s).
     *
     * @return a new builder; nothing is opened until a call
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The path of the CC2 Unix socket every call connects to.
     *
     * @return the socket path, never {@code null}
     */
    public Path socketPath() {
        return socketPath;
    }

    /**
     * The RAIDA id sent in request byte 2.
     *
     * @return the RAIDA id, 0..24
     */
    public int raidaId() {
        return raidaId;
    }

    /**
     * How long a call waits to connect to the CC2 socket before it fails with a {@link Cc2TransportException}.
     *
     * @return the connect timeout, positive
     */
    public Duration connectTimeout() {
        return Duration.ofMillis(connectTimeoutMillis);
    }

    /**
     * How long a call may take to write its request before it fails with a {@link Cc2TransportException}.
     *
     * @return the write timeout, positive
     */
    public Duration writeTimeout() {
        return Duration.ofMillis(writeTimeoutMillis);
    }

    /**
     * How long a call waits for the whole reply once the request was sent.
     *
     * @return the read timeout, positive
     */
    public Duration readTimeout() {
        return Duration.ofNanos(readTimeoutNanos);
    }

    /**
     * CC2 detect ({@code 00 01}) of {@code coins}, in order.
     *
     * @param coins the coins to check, 1..{@link #MAX_DETECT_COINS}, in the order the result reports them
     * @return pass/fail per coin; its {@link Cc2DetectResult#raidaStatus()} is the RAIDA X answer
     * @throws Cc2RequestException   no coins, more than {@link #MAX_DETECT_COINS} (nothing sent)
     * @throws Cc2TransportException the back end is unreachable or broke the connection (status 48)
     * @throws Cc2ReplyException     the back end answered something unusable (status 48)
     */
    public Cc2DetectResult detect(List<Cc2Coin> coins) {
        byte[] frame = Cc2Frames.detectRequest(raidaId, coins);
        int n = coins.size();
        if (LOG.isDebugEnabled()) {
            long[] sns = new long[Math.min(n, TRACE_SNS)];
            for (int i = 0; i < sns.length; i++) {
                sns[i] = coins.get(i).sn();
            }
            trace("detect", frame, n, sns);
        }
        return exchange("detect", frame, (h, in) -> readDetect(h, in, n));
    }

    /**
     * CC2 hash delete ({@code 00 36}): deletes the coins {@code sns}, whose ownership {@code an} proves.
     *
     * @param sns the serial numbers to delete, each below 2^24
     * @param an the 16-byte authenticity number that proves ownership (copied, never logged)
     * @return how CC2 answered, as the RAIDA X status to give the client
     * @throws Cc2RequestException   no SNs, too many, an SN of 2^24 or more, an AN that is not 16 bytes
     * @throws Cc2TransportException the back end is unreachable or broke the connection (status 48)
     * @throws Cc2ReplyException     the back end answered with an unknown status (status 48)
     */
    public Cc2DeleteResult delete(long[] sns, byte[] an) {
        byte[] frame = Cc2Frames.hashDeleteRequest(raidaId, sns, an);
        if (LOG.isDebugEnabled()) {
            trace("hash delete", frame, sns.length, java.util.Arrays.copyOf(sns, Math.min(sns.length, TRACE_SNS)));
        }
        return exchange("hash delete", frame, (h, in) -> switch (h.status()) {
            case Cc2Frames.CC2_ALL_PASS -> Cc2DeleteResult.SUCCESS;
            case Cc2Frames.CC2_ALL_FAIL -> Cc2DeleteResult.ALL_FAILED;
            case Cc2Frames.CC2_MIXED -> Cc2DeleteResult.MIXED;
            default -> throw unknownStatus("hash delete", h.status());
        });
    }

    private Cc2DetectResult readDetect(Cc2Frames.ReplyHeader h, Reader in, int n) throws IOException {
        switch (h.status()) {
            case Cc2Frames.CC2_ALL_PASS:
                return Cc2DetectResult.allPass(n);
            case Cc2Frames.CC2_ALL_FAIL:
                return Cc2DetectResult.allFail(n);
            case Cc2Frames.CC2_MIXED:
                int expected = Cc2DetectResult.bitmapSize(n);
                if (h.length() <= Cc2Frames.REPLY_HEADER_SIZE || h.bitmapLength() != expected) {
                    throw new Cc2ReplyException("CC2 back end at " + socketPath + " answered detect of " + n
                            + " coins with 243 and length " + h.length() + " (bitmap " + h.bitmapLength()
                            + " bytes); expected " + (Cc2Frames.REPLY_HEADER_SIZE + expected) + " (12 + ceil(n/8) = "
                            + expected + " bitmap bytes)", socketPath, h.status());
                }
                byte[] bitmap = in.read(expected, "243 bitmap");
                if (LOG.isDebugEnabled()) {
                    LOG.debug("CC2 {} bitmap: {}", socketPath, Bytes.hex(bitmap));
                }
                return Cc2DetectResult.fromBitmap(n, bitmap);
            default:
                throw unknownStatus("detect", h.status());
        }
    }

    private Cc2ReplyException unknownStatus(String op, int status) {
        return new Cc2ReplyException("CC2 back end at " + socketPath + " answered " + op + " with status " + status
                + ", which is none of 241/242/243; answering 48 ERROR_LEGACY_DB", socketPath, status);
    }

    // ---------------------------------------------------------------- one connection per call

    /** Reads exactly {@code len} more reply bytes. */
    @FunctionalInterface
    private interface Reader {
        byte[] read(int len, String what) throws IOException;
    }

    @FunctionalInterface
    private interface ReplyHandler<T> {
        T handle(Cc2Frames.ReplyHeader header, Reader in) throws IOException;
    }

    private <T> T exchange(String op, byte[] frame, ReplyHandler<T> handler) {
        if (!breaker.tryAcquire()) {
            throw new Cc2UnavailableException("CC2 back end at " + socketPath + " is failing: circuit breaker open ("
                    + breaker.millisUntilProbe() + " ms until the next probe); answering 48 ERROR_LEGACY_DB without "
                    + "calling it", socketPath);
        }
        try {
            T result = exchange0(op, frame, handler);
            breaker.onSuccess();
            String was = failing.getAndSet(null);
            if (was != null) {
                LOG.info("CC2 back end at {} answers again (last failure: {})", socketPath, was);
            }
            return result;
        } catch (Cc2Exception e) {
            if (e instanceof Cc2TransportException) {
                breaker.onFailure();
            } else {
                breaker.onSuccess(); // it answered, if wrongly: reachable, nothing to fail fast for
            }
            String kind = e.getClass().getSimpleName()
                    + (e instanceof Cc2TransportException t ? "/" + t.phase() + "/" + errnoName(t.errno()) : "");
            if (!kind.equals(failing.getAndSet(kind))) {
                LOG.warn("CC2 {} failed: {}", op, e.getMessage());
            } else {
                LOG.debug("CC2 {} failed again: {}", op, e.getMessage());
            }
            throw e;
        }
    }

    private static String errnoName(String errno) {
        int sp = errno.indexOf(' ');
        return sp < 0 ? errno : errno.substring(0, sp);
    }

    private <T> T exchange0(String op, byte[] frame, ReplyHandler<T> handler) {
        AFUNIXSocket socket = connect(op);
        try {
            write(socket, op, frame);
            long deadline = System.nanoTime() + readTimeoutNanos;
            InputStream in = socket.getInputStream();
            Reader reader = (len, what) -> readFully(socket, in, len, deadline, op, what);
            byte[] hb = reader.read(Cc2Frames.REPLY_HEADER_SIZE, "reply header");
            Cc2Frames.ReplyHeader h = Cc2Frames.ReplyHeader.decode(hb, 0);
            if (LOG.isDebugEnabled()) {
                LOG.debug("CC2 {} reply from {}: header {} (status {}, length {})", op, socketPath, Bytes.hex(hb),
                        h.status(), h.length());
            }
            return handler.handle(h, reader);
        } catch (IOException e) {
            // only the stream accessors get here; reads and writes map their own failures
            throw transport(Cc2TransportException.Phase.READ, op, e);
        } finally {
            close(socket);
        }
    }

    private AFUNIXSocket connect(String op) {
        AFUNIXSocket socket;
        try {
            socket = AFUNIXSocket.newInstance();
        } catch (IOException e) {
            throw transport(Cc2TransportException.Phase.CONNECT, op, e);
        }
        try {
            // junixsocket ignores connect's timeout argument for a blocking connect; Linux bounds a Unix
            // socket connect waiting on a full backlog by SO_SNDTIMEO, which setSoTimeout sets
            socket.setSoTimeout(connectTimeoutMillis);
            if (sendBufferSize > 0) {
                socket.setSendBufferSize(sendBufferSize);
            }
            socket.connect(address, connectTimeoutMillis);
            return socket;
        } catch (SocketTimeoutException e) {
            close(socket);
            throw connectTimeout(op, e);
        } catch (IOException | RuntimeException e) {
            close(socket);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            if (isTimeout((IOException) e)) {
                throw connectTimeout(op, (IOException) e);
            }
            throw transport(Cc2TransportException.Phase.CONNECT, op, (IOException) e);
        }
    }

    private Cc2TimeoutException connectTimeout(String op, IOException e) {
        return new Cc2TimeoutException("CC2 back end at " + socketPath + " did not accept the " + op
                + " connection within the " + connectTimeoutMillis + " ms connect timeout (ETIMEDOUT; its listen "
                + "backlog is full: is it stuck?)", e, socketPath, Cc2TransportException.Phase.CONNECT);
    }

    private void write(AFUNIXSocket socket, String op, byte[] frame) {
        try {
            socket.setSoTimeout(writeTimeoutMillis); // junixsocket applies it as SO_SNDTIMEO as well
            OutputStream out = socket.getOutputStream();
            out.write(frame);
            out.flush();
        } catch (SocketTimeoutException e) {
            throw new Cc2TimeoutException("CC2 back end at " + socketPath + " did not take the " + frame.length
                    + "-byte " + op + " request within " + writeTimeoutMillis + " ms (ETIMEDOUT)", e, socketPath,
                    Cc2TransportException.Phase.WRITE);
        } catch (IOException e) {
            if (isTimeout(e)) {
                throw new Cc2TimeoutException("CC2 back end at " + socketPath + " did not take the " + frame.length
                        + "-byte " + op + " request within " + writeTimeoutMillis + " ms (" + Errno.describe(e) + ")",
                        e, socketPath, Cc2TransportException.Phase.WRITE);
            }
            throw transport(Cc2TransportException.Phase.WRITE, op, e);
        }
    }

    private byte[] readFully(AFUNIXSocket socket, InputStream in, int len, long deadline, String op, String what) {
        byte[] b = new byte[len];
        int got = 0;
        while (got < len) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw readTimeout(op, what, got, len, null);
            }
            int r;
            try {
                socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(left + 999_999))));
                r = in.read(b, got, len - got);
            } catch (SocketTimeoutException e) {
                throw readTimeout(op, what, got, len, e);
            } catch (IOException e) {
                if (isTimeout(e)) {
                    throw readTimeout(op, what, got, len, e);
                }
                throw transport(Cc2TransportException.Phase.READ, op, e);
            }
            if (r < 0) {
                throw new Cc2TransportException("CC2 back end at " + socketPath + " closed the connection after " + got
                        + " of " + len + " " + what + " bytes of its " + op + " reply (EOF)", null, socketPath,
                        Cc2TransportException.Phase.READ, "EOF");
            }
            got += r;
        }
        return b;
    }

    private Cc2TimeoutException readTimeout(String op, String what, int got, int len, IOException cause) {
        return new Cc2TimeoutException("CC2 back end at " + socketPath + " sent " + got + " of " + len + " " + what
                + " bytes of its " + op + " reply within the " + TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos)
                + " ms read timeout (ETIMEDOUT)", cause, socketPath, Cc2TransportException.Phase.READ);
    }

    private static boolean isTimeout(IOException e) {
        String m = e.getMessage();
        return e instanceof SocketTimeoutException
                || (e instanceof SocketException && m != null && m.contains("Resource temporarily unavailable"));
    }

    private Cc2TransportException transport(Cc2TransportException.Phase phase, String op, IOException e) {
        if (e instanceof ClosedByInterruptException) {
            Thread.currentThread().interrupt();
        }
        String errno = Errno.describe(e);
        String verb = switch (phase) {
            case CONNECT -> "cannot connect to CC2 back end at " + socketPath;
            case WRITE -> "cannot send the " + op + " request to CC2 back end at " + socketPath;
            case READ -> "cannot read the " + op + " reply from CC2 back end at " + socketPath;
        };
        String hint = errno.startsWith("ENOENT") ? ": no socket file there; is the CC2 RAIDA running, and is the path right?"
                : errno.startsWith("ECONNREFUSED") ? ": a file is there but nothing listens on it (stale socket?)"
                : errno.startsWith("EACCES") ? ": no permission on the socket file or its directory" : "";
        return new Cc2TransportException(verb + ": " + errno + hint, e, socketPath, phase, errno);
    }

    private void close(AFUNIXSocket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing the CC2 socket {} failed: {}", socketPath, Errno.describe(e));
        }
    }

    private void trace(String op, byte[] frame, int n, long[] sns) {
        LOG.debug("CC2 {} request to {}: header {}, challenge {}, {} coins, SNs {}{}, {} bytes", op, socketPath,
                Bytes.hex(frame, 0, Cc2Frames.HEADER_SIZE), Bytes.hex(frame, Cc2Frames.HEADER_SIZE, 16), n,
                java.util.Arrays.toString(sns), n > sns.length ? "..." : "", frame.length);
    }

    private static int millis(Duration d) {
        long ms = d.toMillis();
        if (ms <= 0 && !d.isZero()) {
            ms = 1;
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    @Override
    public String toString() {
        return "Cc2Client[" + socketPath + ", raida " + raidaId + "]";
    }

    /** Configuration of a {@link Cc2Client}. */
    public static final class Builder {
        private Path socketPath = DEFAULT_SOCKET_PATH;
        private AFUNIXSocketAddress address;
        private int raidaId;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private int sendBufferSize;
        private int breakerFailures = 3;
        private Duration breakerOpen = Duration.ofSeconds(5);

        private Builder() {
        }

        /**
         * The circuit breaker: opens after {@code consecutiveFailures} calls in a row failed to reach
         * or hear from the back end, and stays open for {@code openFor} before one probe call
         * (default 3 failures, 5 s).
         *
         * @param consecutiveFailures failed calls in a row that open the breaker, at least 1
         * @param openFor how long the breaker stays open (calls fail at once) before a probe, positive
         * @return this builder
         */
        public Builder circuitBreaker(int consecutiveFailures, Duration openFor) {
            if (consecutiveFailures < 1) {
                throw new IllegalArgumentException("the breaker needs at least 1 failure to open, got "
                        + consecutiveFailures);
            }
            this.breakerFailures = consecutiveFailures;
            this.breakerOpen = OptionChecks.positive("breaker open interval", openFor);
            return this;
        }

        /** SO_SNDBUF of each connection (0 = the system default); tests shrink it to make writes block. */
        Builder sendBufferSize(int bytes) {
            this.sendBufferSize = bytes;
            return this;
        }

        /**
         * Path of the CC2 Unix socket (default {@code /opt/superraida/unix.sock}).
         *
         * @param socketPath the path of the back end's Unix socket; it must fit the 108-byte {@code sun_path}
         * @return this builder
         */
        public Builder socketPath(Path socketPath) {
            this.socketPath = Objects.requireNonNull(socketPath, "socketPath");
            return this;
        }

        /**
         * This server's RAIDA id, 0..24, sent in request byte 2 (default 0).
         *
         * @param raidaId this server's RAIDA id, 0..24
         * @return this builder
         */
        public Builder raidaId(int raidaId) {
            this.raidaId = RaidaIds.requireRaidaId(raidaId);
            return this;
        }

        /**
         * Connect timeout (default 2 s).
         *
         * @param timeout the connect timeout, positive
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = OptionChecks.positive("connect timeout", timeout);
            return this;
        }

        /**
         * Write timeout for the request (default 6 s).
         *
         * @param timeout the write timeout, positive
         * @return this builder
         */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = OptionChecks.positive("write timeout", timeout);
            return this;
        }

        /**
         * Time allowed for the whole reply after the request was sent (default 6 s).
         *
         * @param timeout the read timeout, positive
         * @return this builder
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = OptionChecks.positive("read timeout", timeout);
            return this;
        }

        /**
         * @return a client with the settings given; it connects to the socket per call, so the back end may start
         *         later
         * @throws IllegalArgumentException if the socket path cannot be a Unix socket address (e.g. longer
         *                                  than the 108-byte {@code sun_path})
         */
        public Cc2Client build() {
            try {
                address = AFUNIXSocketAddress.of(socketPath);
            } catch (SocketException e) {
                throw new IllegalArgumentException("CC2 socket path " + socketPath + " is not a usable Unix socket "
                        + "address: " + Errno.describe(e), e);
            }
            return new Cc2Client(this);
        }
    }
}
