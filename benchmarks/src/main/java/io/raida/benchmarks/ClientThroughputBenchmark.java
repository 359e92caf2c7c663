package io.raida.benchmarks;

import io.raida.protocol.Transport;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
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
 *
 * <p>On a machine others load, figures of separate runs differ more than builds do. The
 * interleaved mode runs several builds in this one JVM, each in its own class loader with its own
 * server and client, and alternates their UDP window phases (one of each per round), so that the
 * load drifts over all of them alike:
 *
 * <pre>
 * java -cp benchmarks/target/classes io.raida.benchmarks.ClientThroughputBenchmark --interleave \
 *      &lt;rounds&gt; &lt;millis per phase&gt; &lt;transport&gt; &lt;client I/O threads&gt; name=classpath ...
 * </pre>
 *
 * Each {@code classpath} is searched before this class's own location, so it supplies the build
 * under test (e.g. {@code new=examples/target/raida-examples.jar}).
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
        if (args[0].equals("--interleave")) {
            interleave(args);
            return;
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

    private static void interleave(String[] args) throws Exception {
        int rounds = Integer.parseInt(args[1]);
        long millis = Long.parseLong(args[2]);
        String transport = args[3];
        int ioThreads = Integer.parseInt(args[4]);
        URL own = ClientThroughputBenchmark.class.getProtectionDomain().getCodeSource().getLocation();
        List<String> names = new ArrayList<>();
        List<Class<?>> sessions = new ArrayList<>();
        for (int i = 5; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            List<URL> urls = new ArrayList<>();
            for (String entry : kv[1].split(File.pathSeparator)) {
                urls.add(Path.of(entry).toUri().toURL());
            }
            urls.add(own);
            ClassLoader loader = new URLClassLoader(urls.toArray(new URL[0]),
                    ClassLoader.getPlatformClassLoader());
            Thread.currentThread().setContextClassLoader(loader);
            Class<?> session = loader.loadClass(ClientThroughputBenchmark.class.getName());
            session.getMethod("openSession", String.class, int.class).invoke(null, transport, ioThreads);
            names.add(kv[0]);
            sessions.add(session);
        }
        long[][] totals = new long[names.size()][3];
        System.out.printf(Locale.ROOT, "%s client, I/O threads %d, UDP window 64, %d rounds of %d ms each, %d CPUs%n",
                transport, ioThreads, rounds, millis, Runtime.getRuntime().availableProcessors());
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < sessions.size(); i++) {
                Thread.currentThread().setContextClassLoader(sessions.get(i).getClassLoader());
                long[] x = (long[]) sessions.get(i).getMethod("sessionWindow", int.class, long.class)
                        .invoke(null, 64, millis);
                for (int k = 0; k < 3; k++) {
                    totals[i][k] += x[k];
                }
            }
        }
        for (int i = 0; i < sessions.size(); i++) {
            long[] t = totals[i];
            System.out.printf(Locale.ROOT, "%-8s %9.0f calls/s, failed %d, client CPU %.1f us/call%n", names.get(i),
                    t[0] * 1000.0 / (millis * rounds), t[1], t[2] / 1e3 / Math.max(1, t[0]));
            sessions.get(i).getMethod("closeSession").invoke(null);
        }
    }

    private static RaidaServer sessionServer;
    private static RaidaClient sessionClient;
    private static InetSocketAddress sessionTarget;

    /**
     * Interleaved mode, in the class loader of one build: starts its server and client and warms them up.
     *
     * @param transport the provider's name
     * @param ioThreads the client's I/O threads (0: its default)
     * @throws Exception if the server cannot start or the warm-up fails
     */
    public static void openSession(String transport, int ioThreads) throws Exception {
        RaidaTransportProvider provider = RaidaTransportProvider.named(transport);
        sessionServer = provider.newServer(ServerCore.builder().raidaId(0).coinId(6).build(),
                ServerOptions.builder().host("127.0.0.1").port(0).build()).start();
        Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
        sessionTarget = new InetSocketAddress("127.0.0.1", sessionServer.port());
        ClientOptions.Builder options = ClientOptions.builder();
        if (ioThreads > 0) {
            options.ioThreads(ioThreads);
        }
        sessionClient = provider.newClient(options.build());
        windowed(sessionClient, sessionTarget, Transport.UDP, 64, 2);
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(th) && th.getName().toLowerCase(Locale.ROOT).contains("client")) {
                CLIENT_THREADS.add(th);
            }
        }
    }

    /**
     * Interleaved mode: one UDP window phase of this build's client.
     *
     * @param window calls in flight
     * @param millis length of the phase
     * @return calls answered, calls failed, client CPU nanoseconds
     * @throws Exception if the phase is interrupted
     */
    public static long[] sessionWindow(int window, long millis) throws Exception {
        long cpu0 = clientCpu();
        Result r = windowed(sessionClient, sessionTarget, Transport.UDP, window, millis);
        return new long[] {r.calls(), r.failed(), clientCpu() - cpu0};
    }

    /** Interleaved mode: closes this build's client and server. */
    public static void closeSession() {
        sessionClient.close();
        sessionServer.close();
    }

    private static Result sequential(RaidaClient client, InetSocketAddress to, Transport transport, int seconds) {
        long[] lat = new long[1 << 22];
        int n = 0;
        long failed = 0;
        Meter meter = new Meter();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end && n < lat.length) {
            long s = System.nanoTime();
            try {
                int status = client.send(to, RequestBuilder.command(0, 0, 0).build(), transport, CALL_TIMEOUT).join()
                        .status();
                if (status != 250) {
                    failed++;
                    continue;
                }
            } catch (CompletionException e) {
                failed++; // e.g. a timeout on a machine others load: counted, like the window phase's
                continue;
            }
            lat[n++] = System.nanoTime() - s;
        }
        return meter.result(n, failed, Arrays.copyOf(lat, n));
    }

    private static Result windowed(RaidaClient client, InetSocketAddress to, Transport transport, int window,
                                   int seconds) throws Exception {
        return windowed(client, to, transport, window, seconds * 1_000L);
    }

    private static Result windowed(RaidaClient client, InetSocketAddress to, Transport transport, int window,
                                   long millis) throws Exception {
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Meter meter = new Meter();
        long end = System.nanoTime() + millis * 1_000_000L;
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
        return ThreadCost.cpuNanos(CLIENT_THREADS);
    }

    private static long clientAllocated() {
        return ThreadCost.allocatedBytes(CLIENT_THREADS);
    }
}
