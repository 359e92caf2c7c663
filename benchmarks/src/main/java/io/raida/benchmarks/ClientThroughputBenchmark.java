package io.raida.benchmarks;

import io.raida.protocol.Transport;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Client-side A/B harness (not JMH: it measures calls in flight on real sockets): one server and
 * one client of the same transport in this JVM on 127.0.0.1, echo (0/0, type 0) over UDP and TCP,
 * (a) one call after the other and (b) a window of calls in flight, each completion sending the
 * next. Prints calls/s, the sequential latency p50/p99, and the client's CPU time and heap
 * allocation per call (threads that start with the client, and the calling thread), which vary far
 * less than calls/s on a shared machine.
 *
 * <p>It uses only the public transport API, so the same class runs against any build that has the
 * {@code io.raida.protocol.client} / {@code .server} packages, e.g. an older examples jar:
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.raida.benchmarks.ClientThroughputBenchmark netty 10 1
 * java -cp benchmarks/target/classes:OTHER/examples/target/raida-examples.jar \
 *      io.raida.benchmarks.ClientThroughputBenchmark netty 10 1
 * </pre>
 *
 * Arguments: {@code <transport: nio|netty|...> [seconds per phase, default 10] [client I/O threads,
 * default 0: the client's default] [window, default 64] [transports, default udp,tcp]}.
 */
public final class ClientThroughputBenchmark {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    private static final Set<Thread> CLIENT_THREADS = new HashSet<>();

    private ClientThroughputBenchmark() {
    }

    /**
     * Runs the phases and prints one line each.
     *
     * @param args transport, seconds per phase, client I/O threads, window, transports (see the class comment)
     * @throws Exception if the server cannot start or a call fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: ClientThroughputBenchmark <nio|netty> [seconds] [ioThreads] [window] [udp,tcp]");
            System.exit(2);
        }
        String name = args[0];
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        int ioThreads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int window = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        String transports = args.length > 4 ? args[4] : "udp,tcp";
        RaidaTransportProvider provider = RaidaTransportProvider.named(name);
        ClientOptions.Builder options = ClientOptions.builder();
        if (ioThreads > 0) {
            options.ioThreads(ioThreads);
        }
        try (RaidaServer server = provider.newServer(ServerCore.builder().raidaId(0).coinId(6).build(),
                ServerOptions.builder().host("127.0.0.1").port(0).build()).start()) {
            Set<Thread> serverSide = new HashSet<>(Thread.getAllStackTraces().keySet());
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", server.port());
            try (RaidaClient client = provider.newClient(options.build())) {
                System.out.printf(Locale.ROOT, "%s client, I/O threads %s, window %d, %d s per phase, %d CPUs%n", name,
                        ioThreads > 0 ? Integer.toString(ioThreads) : "default", window, seconds,
                        Runtime.getRuntime().availableProcessors());
                for (String t : transports.split(",")) {
                    Transport transport = Transport.valueOf(t.trim().toUpperCase(Locale.ROOT));
                    sequential(client, to, transport, 2);
                    windowed(client, to, transport, window, 2);
                    // the client's threads have appeared by the end of the warm-up (Netty starts them lazily);
                    // the server's lazily started workers are told apart by name
                    for (Thread th : Thread.getAllStackTraces().keySet()) {
                        if (!serverSide.contains(th) && th.getName().toLowerCase(Locale.ROOT).contains("client")) {
                            CLIENT_THREADS.add(th);
                        }
                    }
                    System.out.println(sequential(client, to, transport, seconds).line(transport + " sequential"));
                    System.out.println(windowed(client, to, transport, window, seconds)
                            .line(transport + " window " + window));
                }
            }
        }
    }

    private static Result sequential(RaidaClient client, InetSocketAddress to, Transport transport, int seconds) {
        long[] lat = new long[1 << 22];
        int n = 0;
        Meter meter = new Meter();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end && n < lat.length) {
            long s = System.nanoTime();
            int status = client.send(to, RequestBuilder.command(0, 0, 0).build(), transport, CALL_TIMEOUT).join()
                    .status();
            lat[n++] = System.nanoTime() - s;
            if (status != 250) {
                throw new IllegalStateException("echo answered status " + status);
            }
        }
        return meter.result(n, 0, Arrays.copyOf(lat, n));
    }

    private static Result windowed(RaidaClient client, InetSocketAddress to, Transport transport, int window,
                                   int seconds) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Meter meter = new Meter();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        CompletableFuture<?>[] chains = new CompletableFuture<?>[window];
        for (int i = 0; i < window; i++) {
            CompletableFuture<Void> chain = new CompletableFuture<>();
            chains[i] = chain;
            next(client, to, transport, end, done, failed, chain);
        }
        CompletableFuture.allOf(chains).get();
        return meter.result(done.get(), failed.get(), null);
    }

    /** One link of a chain: each completion (on the client's I/O thread) sends the next call. */
    private static void next(RaidaClient client, InetSocketAddress to, Transport transport, long end, AtomicLong done,
                             AtomicLong failed, CompletableFuture<Void> chain) {
        if (System.nanoTime() - end >= 0) {
            chain.complete(null);
            return;
        }
        client.send(to, RequestBuilder.command(0, 0, 0).build(), transport, CALL_TIMEOUT).whenComplete((r, e) -> {
            if (e != null || r.status() != 250) {
                failed.incrementAndGet();
            } else {
                done.incrementAndGet();
            }
            next(client, to, transport, end, done, failed, chain);
        });
    }

    /** Wall time, client CPU and client allocation from its creation to {@link #result}. */
    private static final class Meter {
        private final long wall0 = System.nanoTime();
        private final long cpu0 = clientCpu();
        private final long alloc0 = clientAllocated();

        Result result(long calls, long failed, long[] latencies) {
            double wall = (System.nanoTime() - wall0) / 1e9;
            return new Result(calls, failed, calls / wall, (clientCpu() - cpu0) / Math.max(1.0, calls),
                    (clientAllocated() - alloc0) / Math.max(1.0, calls), latencies);
        }
    }

    private record Result(long calls, long failed, double perSecond, double cpuNanosPerCall, double bytesPerCall,
                          long[] latencies) {
        String line(String what) {
            String lat = "";
            if (latencies != null && latencies.length > 0) {
                Arrays.sort(latencies);
                lat = String.format(Locale.ROOT, ", p50 %.1f us, p99 %.1f us", latencies[latencies.length / 2] / 1e3,
                        latencies[Math.min(latencies.length - 1, (int) (latencies.length * 0.99))] / 1e3);
            }
            return String.format(Locale.ROOT, "%-16s %9.0f calls/s%s, failed %d, client CPU %.1f us/call, "
                    + "client alloc %.0f B/call", what, perSecond, lat, failed, cpuNanosPerCall / 1e3, bytesPerCall);
        }
    }

    private static long clientCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long total = mx.getCurrentThreadCpuTime();
        for (Thread t : CLIENT_THREADS) {
            if (t != Thread.currentThread()) {
                total += Math.max(0, mx.getThreadCpuTime(t.getId()));
            }
        }
        return total;
    }

    private static long clientAllocated() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)) {
            return 0;
        }
        long total = mx.getThreadAllocatedBytes(Thread.currentThread().getId());
        for (Thread t : CLIENT_THREADS) {
            if (t != Thread.currentThread()) {
                total += Math.max(0, mx.getThreadAllocatedBytes(t.getId()));
            }
        }
        return total;
    }
}
