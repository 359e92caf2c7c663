package io.raida.benchmarks;

import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.CommandResult;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.cluster.ClusterOptions;
import io.raida.protocol.cluster.ClusterReply;
import io.raida.protocol.cluster.RaidaCluster;
import io.raida.protocol.cluster.RaidaNetwork;
import io.raida.protocol.transport.ClientOptions;
import io.raida.protocol.transport.RaidaClient;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Harness (not JMH: one round is 25 network calls, so it measures wall-clock rounds) for the
 * 25-RAIDA fan-out: echo (0/0 over UDP) to 25 loopback servers in this JVM, one round after the
 * other, against the same 25 echoes sent as single calls in sequence (each waits for its reply).
 * Prints rounds/s, round latency p50/p99, one single call's p50, and the client's CPU per round
 * (CPU time of the threads that start with the client and the cluster, and of the calling thread).
 *
 * <p>With a third argument {@code serviceMs > 0} every server answers a test command (group 0,
 * code {@value #DELAYED}) after sleeping that long in its waiting bulkhead, and both phases send that
 * command instead of echo: a stand-in for a real network, where a call's latency is the round trip
 * and the service time, not loopback's few microseconds of CPU.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.raida.benchmarks.ClusterFanoutBenchmark [seconds] [transport] [serviceMs]
 * </pre>
 */
public final class ClusterFanoutBenchmark {

    /** The test command answered after the service time (group 0). */
    static final int DELAYED = 100;

    private static int command;

    private ClusterFanoutBenchmark() {
    }

    /** {@code [seconds per phase, default 20] [transport, default nio] [service ms, default 0]}. */
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String transport = args.length > 1 ? args[1] : "nio";
        long serviceMs = args.length > 2 ? Long.parseLong(args[2]) : 0;
        command = serviceMs > 0 ? DELAYED : 0;
        RaidaTransportProvider provider = RaidaTransportProvider.named(transport);
        List<RaidaServer> servers = new ArrayList<>();
        try {
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (int i = 0; i < RaidaNetwork.SIZE; i++) {
                ServerCore core = ServerCore.builder().raidaId(i).coinId(6).build();
                core.registry().registerWaiting(0, DELAYED, req -> {
                    Thread.sleep(serviceMs);
                    return CommandResult.success(new byte[0]);
                });
                RaidaServer s = provider.newServer(core,
                        ServerOptions.builder().host("127.0.0.1").port(0).workerPools(w -> w.workerThreads(1)).build());
                servers.add(s);
                s.start();
                addresses.add(new InetSocketAddress("127.0.0.1", s.port()));
            }
            RaidaNetwork network = RaidaNetwork.of(addresses);
            java.util.Set<Thread> serverSide = new java.util.HashSet<>(Thread.getAllStackTraces().keySet());
            try (RaidaClient client = provider.newClient(ClientOptions.defaults());
                 RaidaCluster cluster = RaidaCluster.builder(network).client(client)
                         .options(ClusterOptions.builder().deadline(Duration.ofSeconds(5)).build()).build()) {
                System.out.printf(Locale.ROOT, "transport %s, %d s per phase, %d CPUs, %s%n", transport, seconds,
                        Runtime.getRuntime().availableProcessors(),
                        serviceMs > 0 ? "command 0/" + DELAYED + " answered after " + serviceMs + " ms" : "echo 0/0");
                // warm-up: both paths; the threads that appear now are the client's
                phaseFanout(cluster, Math.max(2, seconds / 4));
                CLIENT_THREADS.addAll(Thread.getAllStackTraces().keySet());
                CLIENT_THREADS.removeAll(serverSide);
                phaseSequential(client, network, Math.max(2, seconds / 4));
                Result fan = phaseFanout(cluster, seconds);
                Result seq = phaseSequential(client, network, seconds);
                System.out.println(fan.line("fan-out (25 in parallel)"));
                System.out.println(seq.line("25 single calls in sequence"));
                System.out.printf(Locale.ROOT, "one single call: p50 %.1f us, p99 %.1f us%n", seq.callP50 / 1e3,
                        seq.callP99 / 1e3);
                System.out.printf(Locale.ROOT, "round p50 / one call p50 = %.2f; client CPU per round fan-out / "
                        + "sequential = %.2f%n", fan.p50 / seq.callP50, fan.cpuPerRound / seq.cpuPerRound);
            }
        } finally {
            servers.forEach(RaidaServer::close);
        }
    }

    private static Result phaseFanout(RaidaCluster cluster, int seconds) {
        long[] lat = new long[1 << 20];
        int n = 0;
        long cpu0 = clientCpu();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long t0 = System.nanoTime();
        while (System.nanoTime() < end && n < lat.length) {
            long s = System.nanoTime();
            ClusterReply r = command == 0 ? cluster.echo().join()
                    : cluster.call(id -> RequestBuilder.command(id, 0, command).build()).join();
            lat[n++] = System.nanoTime() - s;
            if (r.successes() != RaidaNetwork.SIZE) {
                throw new IllegalStateException("round " + n + " had only " + r.successes() + " echoes: " + r);
            }
        }
        long wall = System.nanoTime() - t0;
        return new Result(Arrays.copyOf(lat, n), wall, clientCpu() - cpu0, null);
    }

    private static Result phaseSequential(RaidaClient client, RaidaNetwork network, int seconds) {
        long[] lat = new long[1 << 20];
        long[] calls = new long[1 << 22];
        int n = 0;
        int c = 0;
        long cpu0 = clientCpu();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long t0 = System.nanoTime();
        while (System.nanoTime() < end && n < lat.length && c + RaidaNetwork.SIZE <= calls.length) {
            long s = System.nanoTime();
            for (int i = 0; i < RaidaNetwork.SIZE; i++) {
                long cs = System.nanoTime();
                int status = client.send(network.endpoint(i), RequestBuilder.command(i, 0, command).build(), Transport.UDP,
                        Duration.ofSeconds(2)).join().status();
                calls[c++] = System.nanoTime() - cs;
                if (status != 250) {
                    throw new IllegalStateException("RAIDA " + i + " answered " + status);
                }
            }
            lat[n++] = System.nanoTime() - s;
        }
        long wall = System.nanoTime() - t0;
        return new Result(Arrays.copyOf(lat, n), wall, clientCpu() - cpu0, Arrays.copyOf(calls, c));
    }

    /** Threads started with the client and the cluster (after the servers). */
    private static final java.util.Set<Thread> CLIENT_THREADS = new java.util.HashSet<>();

    /** CPU time of the client side: its I/O threads, the cluster timer, and this thread. */
    private static long clientCpu() {
        return ThreadCost.cpuNanos(CLIENT_THREADS);
    }

    private static final class Result {
        final int rounds;
        final double perSecond;
        final double p50;
        final double p99;
        final double cpuPerRound;
        final double callP50;
        final double callP99;

        Result(long[] lat, long wallNanos, long cpuNanos, long[] calls) {
            Arrays.sort(lat);
            rounds = lat.length;
            perSecond = rounds / (wallNanos / 1e9);
            p50 = lat[(int) (rounds * 0.50)];
            p99 = lat[Math.min(rounds - 1, (int) (rounds * 0.99))];
            cpuPerRound = (double) cpuNanos / rounds;
            if (calls != null) {
                Arrays.sort(calls);
                callP50 = calls[(int) (calls.length * 0.50)];
                callP99 = calls[Math.min(calls.length - 1, (int) (calls.length * 0.99))];
            } else {
                callP50 = Double.NaN;
                callP99 = Double.NaN;
            }
        }

        String line(String what) {
            return String.format(Locale.ROOT, "%-28s %7d rounds, %8.1f rounds/s, round p50 %8.1f us, p99 %8.1f us, "
                    + "client CPU %7.1f us/round", what, rounds, perSecond, p50 / 1e3, p99 / 1e3, cpuPerRound / 1e3);
        }
    }
}
