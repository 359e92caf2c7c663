package io.raida.legacy;

import io.raida.protocol.StatusCode;
import io.raida.protocol.internal.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.newsclub.net.unix.AFUNIXServerSocket;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process CC2 back end on a Unix-domain socket, for tests and examples: it holds coins
 * (SN → AN) in memory and answers detect ({@code 00 01}) and hash delete ({@code 00 36}) as
 * legacy-cc2.md describes, one request per connection. It can be told to misbehave
 * ({@link #behavior(Behavior)}) so clients can be tested against a broken back end.
 *
 * <p>Answers (the CC2 server is not documented beyond what the reference reads; these choices are
 * this simulator's): detect passes a coin whose stored AN equals the request's; 241 if all pass,
 * 242 if none, else 243 with the LSB-first bitmap, length field = 12 + bitmap bytes (12 without a
 * bitmap). Hash delete removes each listed coin whose stored AN equals the request's AN: 241 all
 * removed, 242 none, 243 some; no bitmap. Nothing follows the reply (no terminator). A request whose
 * challenge CRC, terminator or length is wrong is answered with a RAIDA X error status (37, 33, 16, 39),
 * an unknown command with 6.
 *
 * <p>Threads: one acceptor plus one thread per open connection (at most 128; further connections are
 * closed at once). {@link #close()} stops them all, closes every connection and removes the socket file.
 *
 * <pre>{@code
 * try (Cc2Simulator cc2 = Cc2Simulator.start(dir.resolve("cc2.sock"))) {
 *     cc2.putCoin(258, an);
 *     Cc2Client client = Cc2Client.builder().socketPath(cc2.socketPath()).build();
 *     client.detect(List.of(new Cc2Coin(258, an)));     // all pass
 *     cc2.behavior(Cc2Simulator.Behavior.STALL);        // next calls time out
 * }
 * }</pre>
 *
 * <p>Standalone: {@code java -cp ... io.raida.legacy.Cc2Simulator <socket-path> [sn:an-hex ...]}
 * serves until the process is stopped.
 */
public final class Cc2Simulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Cc2Simulator.class);

    /** Most connections served at once. */
    public static final int MAX_CONNECTIONS = 128;
    /** A client that sends nothing for this long is disconnected. */
    private static final int IDLE_TIMEOUT_MILLIS = 10_000;
    /** How often a stalled connection checks whether the simulator is closing. */
    private static final int STALL_POLL_MILLIS = 100;
    private static final AtomicInteger THREADS = new AtomicInteger();

    /** How the simulator answers the requests it reads (it always reads the whole request first). */
    public enum Behavior {
        /** Answer per the protocol. */
        NORMAL,
        /**
         * Answer every detect with 243 and the bitmap, even when all coins pass or all fail (a CC2
         * server may do so; the client decides 241/242/243 from the counts). Hash delete: normal.
         */
        ALWAYS_MIXED,
        /** Never answer; keep the connection open until the client closes it or the simulator stops. */
        STALL,
        /** Close the connection without answering. */
        CLOSE_BEFORE_REPLY,
        /** Send the first 7 of the 12 reply header bytes, then close. */
        SHORT_HEADER,
        /**
         * Detect: send a complete 243 header announcing {@code ceil(n/8)} bitmap bytes, then only
         * {@code ceil(n/8) − 1} of them, then close. Hash delete: send 6 header bytes, then close.
         */
        CLOSE_MID_REPLY,
        /** Detect: answer 243 with a bitmap (and length field) one byte longer than {@code ceil(n/8)}. Hash delete: normal. */
        WRONG_BITMAP_LENGTH,
        /** Answer a 12-byte header with the status set by {@link #unknownStatus(int)} (default 99). */
        UNKNOWN_STATUS
    }

    private final Path socketPath;
    private final AFUNIXServerSocket server;
    private final ThreadPoolExecutor pool;
    private final Thread acceptor;
    private final Set<AFUNIXSocket> open = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<Long, byte[]> coins = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong requests = new AtomicLong();
    private volatile Behavior behavior = Behavior.NORMAL;
    private volatile int unknownStatus = 99;

    private Cc2Simulator(Path socketPath, AFUNIXServerSocket server) {
        this.socketPath = socketPath;
        this.server = server;
        this.pool = new ThreadPoolExecutor(0, MAX_CONNECTIONS, 5, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "cc2-sim-conn-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.acceptor = new Thread(this::acceptLoop, "cc2-sim-accept-" + socketPath.getFileName());
        this.acceptor.setDaemon(true);
    }

    /**
     * Binds {@code socketPath} and starts serving.
     *
     * @throws IOException if something already exists at the path, or binding fails
     */
    public static Cc2Simulator start(Path socketPath) throws IOException {
        Objects.requireNonNull(socketPath, "socketPath");
        if (Files.exists(socketPath, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException("cannot start the CC2 simulator: " + socketPath + " already exists (EEXIST); "
                    + "remove a stale socket file first");
        }
        AFUNIXServerSocket server = AFUNIXServerSocket.newInstance();
        try {
            server.bind(AFUNIXSocketAddress.of(socketPath), MAX_CONNECTIONS);
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot bind the CC2 simulator to " + socketPath + ": " + Errno.describe(e), e);
        }
        Cc2Simulator sim = new Cc2Simulator(socketPath, server);
        sim.acceptor.start();
        LOG.info("CC2 simulator listening on {}", socketPath);
        return sim;
    }

    public Path socketPath() {
        return socketPath;
    }

    /** Stores (or replaces) a coin. */
    public Cc2Simulator putCoin(long sn, byte[] an) {
        Cc2Coin c = new Cc2Coin(sn, an);
        coins.put(c.sn(), c.an());
        return this;
    }

    /** Removes a coin; true if it was there. */
    public boolean removeCoin(long sn) {
        return coins.remove(sn) != null;
    }

    public boolean hasCoin(long sn) {
        return coins.containsKey(sn);
    }

    public int coinCount() {
        return coins.size();
    }

    /** How the following requests are answered (takes effect for requests read from now on). */
    public Cc2Simulator behavior(Behavior behavior) {
        this.behavior = Objects.requireNonNull(behavior, "behavior");
        return this;
    }

    public Behavior behavior() {
        return behavior;
    }

    /** The status {@link Behavior#UNKNOWN_STATUS} sends; anything but 241/242/243. */
    public Cc2Simulator unknownStatus(int status) {
        if (status < 0 || status > 255 || (status >= 241 && status <= 243)) {
            throw new IllegalArgumentException("an unknown status is a byte other than 241/242/243, got " + status);
        }
        this.unknownStatus = status;
        return this;
    }

    /** Complete requests read so far. */
    public long requestCount() {
        return requests.get();
    }

    /** Connections currently open on the simulator side. */
    public int openConnections() {
        return open.size();
    }

    /** Stops accepting, closes every connection, ends all threads and removes the socket file. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(server);
        for (AFUNIXSocket s : open) {
            closeQuietly(s);
        }
        pool.shutdownNow();
        boolean interrupted = false;
        try {
            acceptor.join(5_000);
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("CC2 simulator {}: connection threads did not stop within 5 s", socketPath);
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            LOG.warn("CC2 simulator: cannot remove socket file {}: {}", socketPath, Errno.describe(e));
        }
        LOG.info("CC2 simulator on {} stopped after {} requests", socketPath, requests.get());
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void acceptLoop() {
        while (!closed.get()) {
            AFUNIXSocket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (closed.get()) {
                    break;
                }
                LOG.warn("CC2 simulator {}: accept failed: {}", socketPath, Errno.describe(e));
                pause();
                continue;
            }
            if (s == null) {
                continue;
            }
            open.add(s);
            if (closed.get()) {
                open.remove(s);
                closeQuietly(s);
                break;
            }
            try {
                pool.execute(() -> serve(s));
            } catch (RejectedExecutionException e) {
                open.remove(s);
                closeQuietly(s);
                if (!closed.get()) {
                    LOG.warn("CC2 simulator {}: more than {} connections, closing a new one", socketPath,
                            MAX_CONNECTIONS);
                }
            }
        }
    }

    private void serve(AFUNIXSocket s) {
        try {
            s.setSoTimeout(IDLE_TIMEOUT_MILLIS);
            InputStream in = s.getInputStream();
            byte[] header = in.readNBytes(Cc2Frames.HEADER_SIZE);
            if (header.length < Cc2Frames.HEADER_SIZE) {
                return;
            }
            byte[] body = in.readNBytes(Cc2Frames.bodyLength(header));
            if (body.length < Cc2Frames.bodyLength(header)) {
                return;
            }
            requests.incrementAndGet();
            Behavior b = behavior;
            switch (b) {
                case STALL -> waitForPeerClose(s, in);
                case CLOSE_BEFORE_REPLY -> LOG.debug("CC2 simulator: closing without a reply");
                default -> send(s.getOutputStream(), header, body, b);
            }
        } catch (SocketTimeoutException e) {
            LOG.debug("CC2 simulator {}: client idle for {} ms, closing", socketPath, IDLE_TIMEOUT_MILLIS);
        } catch (IOException e) {
            if (!closed.get()) {
                LOG.debug("CC2 simulator {}: connection failed: {}", socketPath, Errno.describe(e));
            }
        } finally {
            open.remove(s);
            closeQuietly(s);
        }
    }

    private void send(OutputStream out, byte[] header, byte[] body, Behavior b) throws IOException {
        int raidaId = Bytes.u8(header, 2);
        int echo = Bytes.u16(header, 12);
        byte[] reply;
        int sendLen;
        try {
            Cc2Frames.Request r = Cc2Frames.decodeRequest(header, body);
            if (b == Behavior.UNKNOWN_STATUS) {
                reply = Cc2Frames.reply(raidaId, unknownStatus, echo, new byte[0]);
            } else if (r.command() == Cc2Frames.CMD_DETECT) {
                reply = detect(raidaId, echo, Cc2Frames.decodeDetectPayload(r.payload()), b);
            } else if (r.command() == Cc2Frames.CMD_HASH_DELETE) {
                reply = Cc2Frames.reply(raidaId, delete(Cc2Frames.decodeHashDeletePayload(r.payload())), echo,
                        new byte[0]);
            } else {
                reply = Cc2Frames.reply(raidaId, StatusCode.ERROR_INVALID_COMMAND.code(), echo, new byte[0]);
            }
        } catch (Cc2Frames.MalformedRequest e) {
            LOG.debug("CC2 simulator {}: malformed request: {}", socketPath, e.getMessage());
            reply = Cc2Frames.reply(raidaId, e.status, echo, new byte[0]);
        }
        sendLen = switch (b) {
            case SHORT_HEADER -> 7;
            case CLOSE_MID_REPLY -> reply.length > Cc2Frames.REPLY_HEADER_SIZE ? reply.length - 1 : 6;
            default -> reply.length;
        };
        out.write(reply, 0, sendLen);
        out.flush();
    }

    private byte[] detect(int raidaId, int echo, List<Cc2Coin> request, Behavior b) {
        int n = request.size();
        byte[] bitmap = new byte[Cc2DetectResult.bitmapSize(n)];
        int pass = 0;
        for (int i = 0; i < n; i++) {
            Cc2Coin c = request.get(i);
            byte[] stored = coins.get(c.sn());
            if (stored != null && MessageDigest.isEqual(stored, c.an())) {
                bitmap[i >>> 3] |= (byte) (1 << (i & 7));
                pass++;
            }
        }
        if (b == Behavior.WRONG_BITMAP_LENGTH) {
            return Cc2Frames.reply(raidaId, Cc2Frames.CC2_MIXED, echo, java.util.Arrays.copyOf(bitmap, bitmap.length + 1));
        }
        if (b == Behavior.CLOSE_MID_REPLY || b == Behavior.ALWAYS_MIXED || (pass > 0 && pass < n)) {
            return Cc2Frames.reply(raidaId, Cc2Frames.CC2_MIXED, echo, bitmap);
        }
        return Cc2Frames.reply(raidaId, pass == n ? Cc2Frames.CC2_ALL_PASS : Cc2Frames.CC2_ALL_FAIL, echo, new byte[0]);
    }

    private int delete(Cc2Frames.HashDelete d) {
        int deleted = 0;
        for (long sn : d.sns()) {
            boolean[] hit = {false};
            coins.computeIfPresent(sn, (k, stored) -> {
                hit[0] = MessageDigest.isEqual(stored, d.an());
                return hit[0] ? null : stored;
            });
            if (hit[0]) {
                deleted++;
            }
        }
        return deleted == d.sns().length ? Cc2Frames.CC2_ALL_PASS
                : deleted == 0 ? Cc2Frames.CC2_ALL_FAIL : Cc2Frames.CC2_MIXED;
    }

    /** Holds a stalled connection until the peer closes it or the simulator stops. */
    private void waitForPeerClose(AFUNIXSocket s, InputStream in) throws IOException {
        s.setSoTimeout(STALL_POLL_MILLIS);
        byte[] sink = new byte[256];
        while (!closed.get()) {
            try {
                if (in.read(sink) < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // poll again: the point is to say nothing
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debug("CC2 simulator: close failed: {}", e.toString());
        }
    }

    @Override
    public String toString() {
        return "Cc2Simulator[" + socketPath + ", " + coins.size() + " coins, " + behavior + "]";
    }

    /**
     * Runs a simulator until the process is stopped.
     *
     * @param args socket path, then coins as {@code sn:an-hex} (32 hex digits)
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Cc2Simulator <socket-path> [sn:an-hex ...]");
            System.exit(2);
        }
        Cc2Simulator sim = start(Path.of(args[0]));
        for (int i = 1; i < args.length; i++) {
            String[] kv = args[i].split(":", 2);
            sim.putCoin(Long.parseLong(kv[0]), Bytes.fromHex(kv[1]));
        }
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "cc2-sim-shutdown"));
        System.out.println("CC2 simulator on " + sim.socketPath() + " with " + sim.coinCount() + " coins; Ctrl-C stops");
        sim.acceptor.join();
    }
}
