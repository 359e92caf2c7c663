package io.raida.protocol.transport;

import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerStats;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * A server in a child JVM for {@link AbstractResourceExhaustionTest} (a small heap, a low descriptor
 * limit). Arguments: transport name, max connections ("default" keeps the derived default).
 * Prints {@code PORT n}; answers {@code stats} on stdin with one {@code STATS ...} line;
 * {@code quit} closes the server and exits 0. A server failure prints {@code FAILED} and exits 70.
 */
public final class ExhaustionServerMain {
    private ExhaustionServerMain() {
    }

    public static void main(String[] args) throws Exception {
        ServerCore core = TransportTestSupport.create().newCore(65_535);
        ServerOptions.Builder b = ServerOptions.builder().host("127.0.0.1").port(0)
                .workerPools(w -> w.workerThreads(2));
        if (!"default".equals(args[1])) {
            b.connectionLimits(c -> c.maxConnections(Integer.parseInt(args[1])));
        }
        ServerOptions options = b.build();
        RaidaServer server = RaidaTransportProvider.named(args[0]).newServer(core, options);
        server.onFailure(t -> {
            System.out.println("FAILED " + t);
            System.out.flush();
            Runtime.getRuntime().halt(70);
        });
        server.start();
        ConnectionLimits limits = options.connectionLimits();
        System.out.println("PORT " + server.port() + " maxConnections=" + limits.maxConnections() + " budget="
                + limits.requestMemoryBudget());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("stats")) {
                System.gc();
                ServerStats st = server.stats();
                long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                System.out.println("STATS state=" + server.state() + " buffered=" + st.bufferedRequestBytes()
                        + " rejectedMemory=" + st.rejectedMemory() + " shedStalled=" + st.shedStalled()
                        + " rejectedConnections=" + st.rejectedConnections() + " acceptFailures="
                        + st.acceptFailures() + " active=" + st.activeConnections() + " heap=" + heap);
                System.out.flush();
            } else if (line.equals("quit")) {
                break;
            }
        }
        server.close();
        System.exit(0);
    }
}
