package io.raida.protocol.transport;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.InMemoryCoinKeyResolver;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.StatusCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Fixtures of the shared transport suite: a server core with real keys and test commands, request
 * frames (valid and deliberately broken), plain-socket helpers and a thread-leak check. Only the
 * transport abstractions are used, so every transport runs the same cases.
 */
public final class TransportTestSupport {
    public static final int RAIDA = 7;
    public static final int COIN_ID = 6;

    /** Coins known to the server: (den, sn, AN). */
    public static final int DEN1 = 1;
    public static final long SN1 = 1_001;
    public static final byte[] AN1 = Bytes.fromHex("00112233445566778899aabbccddeeff");
    public static final int DEN2 = 2;
    public static final long SN2 = 2_002;
    public static final byte[] AN2 = Bytes.fromHex("0f1e2d3c4b5a69788796a5b4c3d2e1f0");
    public static final byte[] LOCKER = Bytes.fromHex("a1b2c3d4e5f60718293a4b5cffffffff");
    public static final byte[] ADMIN_KEY = Bytes.fromHex("5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a");

    /** Test commands (group 15). */
    public static final int GROUP = 15;
    /** Reverses the payload, on a worker. */
    public static final int REVERSE = 201;
    /** Reverses the payload, declared non-blocking (may run on the I/O thread). */
    public static final int REVERSE_INLINE = 202;
    /** Throws. */
    public static final int THROW = 203;
    /** Blocks until {@link #release} opens; counts entries in {@link #entered}. */
    public static final int BLOCK = 204;
    /** Replies with as many bytes as the u32 payload says. */
    public static final int BIG = 205;

    /** Opened by a test to let {@link #BLOCK} handlers return. */
    public final CountDownLatch release = new CountDownLatch(1);
    /** One permit per {@link #BLOCK} handler that started. */
    public final Semaphore entered = new Semaphore(0);

    /** A core with the test coins, a locker, an admin key and the test commands. */
    public ServerCore newCore(int maxBodySize) {
        InMemoryCoinKeyResolver keys = new InMemoryCoinKeyResolver()
                .putCoin(DEN1, SN1, AN1)
                .putCoin(DEN2, SN2, AN2)
                .putLocker(LOCKER);
        ServerCore core = ServerCore.builder().raidaId(RAIDA).coinId(COIN_ID).keyResolver(keys).adminKey(ADMIN_KEY)
                .versionString("20261121").maxBodySize(maxBodySize).build();
        core.registry().register(GROUP, REVERSE, req -> CommandResult.success(reverse(req.payload())));
        core.registry().registerNonBlocking(GROUP, REVERSE_INLINE, req -> CommandResult.success(reverse(req.payload())));
        core.registry().register(GROUP, THROW, req -> {
            throw new IllegalStateException("handler failure provoked by the transport suite");
        });
        core.registry().register(GROUP, BLOCK, req -> {
            entered.release();
            if (!release.await(30, TimeUnit.SECONDS)) {
                return CommandResult.of(StatusCode.ERROR_INTERNAL);
            }
            return CommandResult.success(req.payload());
        });
        core.registry().register(GROUP, BIG, req -> {
            byte[] p = req.payload();
            int n = (int) Bytes.u32(p, 0);
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                out[i] = (byte) i;
            }
            return CommandResult.success(out);
        });
        return core;
    }

    public static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** A request of the given encryption type (0, 1, 2, 4 or 5) using the server's keys. */
    public static RequestBuilder ofType(RequestBuilder b, int type) {
        switch (type) {
            case 0:
                return b.unencrypted();
            case 1:
                return b.encryptWithCoin(DEN1, SN1, AN1);
            case 2:
                return b.encryptWithLocker(LOCKER);
            case 4:
                return b.authenticateWithCoin(DEN1, SN1, AN1);
            case 5:
                return b.authenticateWithCoins(DEN1, SN1, AN1, DEN2, SN2, AN2);
            default:
                throw new IllegalArgumentException("type " + type);
        }
    }

    public static ClientRequest echo() {
        return RequestBuilder.command(RAIDA, 0, 0).build();
    }

    public static ClientRequest command(int code, byte[] payload) {
        return RequestBuilder.command(RAIDA, GROUP, code).payload(payload).build();
    }

    /** A copy of {@code frame} with byte {@code index} set to {@code value}. */
    public static byte[] with(byte[] frame, int index, int value) {
        byte[] f = frame.clone();
        f[index] = (byte) value;
        return f;
    }

    public static int status(byte[] reply) {
        return reply[2] & 0xFF;
    }

    /** Echo bytes of a reply: 6..7 for a 32-byte header, 46..47 for a 48-byte one (robust rule). */
    public static int echoOf(byte[] reply) {
        int hs = reply.length - Bytes.u24(reply, 9);
        return hs == 48 ? Bytes.u16(reply, 46) : Bytes.u16(reply, 6);
    }

    /** Sends {@code frame} over a plain socket in chunks of the given sizes (cycled), then reads to EOF. */
    public static byte[] tcpInChunks(InetSocketAddress to, byte[] frame, int[] chunks, long pauseMillis)
            throws IOException, InterruptedException {
        try (Socket s = new Socket()) {
            s.setTcpNoDelay(true);
            s.setSoTimeout(10_000);
            s.connect(to, 5_000);
            OutputStream out = s.getOutputStream();
            int p = 0;
            int i = 0;
            while (p < frame.length) {
                int n = Math.min(chunks[i++ % chunks.length], frame.length - p);
                out.write(frame, p, n);
                out.flush();
                p += n;
                if (pauseMillis > 0 && p < frame.length) {
                    Thread.sleep(pauseMillis);
                }
            }
            return readToEof(s.getInputStream());
        }
    }

    public static byte[] readToEof(InputStream in) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            bo.write(buf, 0, n);
        }
        return bo.toByteArray();
    }

    /**
     * True if the server closed {@code s} (EOF or reset) within {@code millis}; false if the socket
     * is still open after that time.
     */
    public static boolean closedByPeerWithin(Socket s, long millis) throws IOException {
        s.setSoTimeout((int) Math.max(1, millis));
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    /** One UDP request/response on its own socket; null if nothing came back in time. */
    public static byte[] udp(DatagramSocket socket, InetSocketAddress to, byte[] frame, int timeoutMillis)
            throws IOException {
        socket.send(new DatagramPacket(frame, frame.length, to));
        return receive(socket, timeoutMillis);
    }

    public static byte[] receive(DatagramSocket socket, int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        byte[] buf = new byte[65_536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return Arrays.copyOf(buf, p.getLength());
    }

    public static void await(String what, long timeoutMillis, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("timed out after " + timeoutMillis + " ms waiting for: " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Threads alive now. */
    public static Set<Thread> liveThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /** Threads started after {@code before} that are still alive, minus JVM-owned ones. */
    public static List<Thread> newThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive() && !isJvmThread(t.getName()))
                .collect(Collectors.toList());
    }

    private static boolean isJvmThread(String name) {
        return name.startsWith("ForkJoinPool.commonPool") || name.startsWith("Attach Listener")
                || name.startsWith("process reaper") || name.startsWith("Common-Cleaner")
                || name.startsWith("surefire") || name.startsWith("JFR") || name.startsWith("Notification Thread")
                || name.startsWith("CompletableFutureDelayScheduler") || name.startsWith("junit");
    }

    /** Names of threads, for assertion messages. */
    public static String names(List<Thread> threads) {
        return threads.stream().map(Thread::getName).collect(Collectors.joining(", "));
    }

    /** A payload naming a reply size for {@link #BIG}. */
    public static byte[] size(int n) {
        byte[] p = new byte[4];
        Bytes.putU32(p, 0, n);
        return p;
    }

    /** Writes everything, used by raw-socket tests. */
    public static void writeAll(Socket s, byte[] b) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(b);
        out.flush();
    }

    private TransportTestSupport() {
    }

    /** Instances carry the per-test latch and semaphore. */
    public static TransportTestSupport create() {
        return new TransportTestSupport();
    }
}
