package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A healing peer that accepts, reads the 55-byte 2/50 request and never answers until the fixer closes
 * the connection; it records the bytes, how many of its connections are open at once, and whether the
 * fixing server closed each connection.
 */
final class SilentPeer implements AutoCloseable {
    /** How long an overlap of two connections must last to count: half the healing tests' 1.5 s leg. */
    private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(750);

    final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final ThreadPoolExecutor threads = (ThreadPoolExecutor) Executors.newFixedThreadPool(4);
    final List<byte[]> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger open = new AtomicInteger();
    final AtomicInteger maxOpen = new AtomicInteger();
    final AtomicInteger closedByFixer = new AtomicInteger();

    SilentPeer() throws IOException {
        // all threads now, so a connection served later starts no thread the leak check would see
        threads.prestartAllCoreThreads();
        threads.submit(() -> {
            while (!socket.isClosed()) {
                Socket s;
                try {
                    s = socket.accept();
                } catch (IOException e) {
                    return null;
                }
                threads.submit(() -> serve(s));
            }
            return null;
        });
    }

    private Void serve(Socket s) throws IOException, InterruptedException {
        try (s) {
            open.incrementAndGet();
            // The fixer closes one connection before it opens the next, but the thread serving the
            // closed one may not have seen the EOF yet; only an overlap that lasts counts.
            long settle = System.nanoTime() + SETTLE_NANOS;
            while (open.get() > 1 && System.nanoTime() < settle) {
                Thread.sleep(10);
            }
            maxOpen.accumulateAndGet(open.get(), Math::max);
            s.setSoTimeout(20_000);
            InputStream in = s.getInputStream();
            requests.add(in.readNBytes(55));
            if (in.read() < 0) {
                closedByFixer.incrementAndGet();
            }
        } finally {
            open.decrementAndGet();
        }
        return null;
    }

    InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
    }

    @Override
    public void close() throws IOException {
        socket.close();
        threads.shutdownNow();
        try {
            assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while stopping the silent peer", e);
        }
    }
}
