package io.raida.examples;

import io.raida.integrity.CoinCommands;
import io.raida.integrity.FilePageStore;
import io.raida.integrity.HealingCommands;
import io.raida.integrity.IntegrityNode;
import io.raida.integrity.PageStore;
import io.raida.integrity.PageStoreKeyResolver;
import io.raida.legacy.Cc2Client;
import io.raida.legacy.Cc2DetectHandler;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.server.ServerStats;
import io.raida.protocol.transport.RaidaServer;
import io.raida.protocol.transport.RaidaTransportProvider;
import io.raida.protocol.transport.ServerOptions;
import io.raida.protocol.transport.ServerState;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code server} subcommand: one RAIDA on one port (TCP and UDP) until it is told to stop. */
final class ServerCommand {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCommand.class);
    /** Exit status when the server failed while serving (EX_SOFTWARE of sysexits.h). */
    static final int EXIT_FAILED = 70;

    /** A started server and, with a data directory, its integrity service and page store. */
    record Running(RaidaServer server, IntegrityNode integrity, HealingCommands healing, PageStore store)
            implements AutoCloseable {
        int port() {
            return server.port();
        }

        /** Stops the sync first (it uses the server's peers), then drains and closes the server, then the store. */
        @Override
        public void close() {
            try {
                if (integrity != null) {
                    integrity.close();
                }
                if (healing != null) {
                    healing.close();
                }
            } finally {
                server.close();
                closeStore(store);
            }
        }
    }

    private ServerCommand() {
    }

    /** Builds the core (and integrity service), binds the transport and starts serving. */
    static Running start(ServerSettings s) throws IOException {
        RaidaTransportProvider provider = RaidaTransportProvider.named(s.transport());
        ServerCore core;
        IntegrityNode integrity = null;
        HealingCommands healing = null;
        FilePageStore store = null;
        if (s.dataDir() == null) {
            core = s.core(DemoCoins.resolver());
        } else {
            store = FilePageStore.open(s.dataDir());
            core = s.core(new PageStoreKeyResolver(store));
            integrity = IntegrityNode.builder().pageStore(store).raidaId(s.raidaId()).coinId(s.coinId())
                    .peers(s.peers()).syncInterval(s.syncInterval()).transport(s.transport())
                    .allowPageDataFromPeers().build();
            integrity.install(core);
            CoinCommands.register(core, store); // groups 1 and 8 over the pages, locker index scanned now
            // 2/40, 2/50, 2/60, 2/80 over the same pages; fix asks the same peers
            healing = HealingCommands.builder().pageStore(store).peers(s.peers()).transport(s.transport()).build()
                    .install(core);
        }
        if (s.cc2Socket() != null) {
            // one connection per call, nothing opened here: the back end may come up after the server
            new Cc2DetectHandler(Cc2Client.builder().raidaId(s.raidaId()).socketPath(s.cc2Socket()).build(),
                    s.dataDir() == null ? null : core.registry().lookup(1, 10).handler()).register(core);
        }
        RaidaServer server = provider.newServer(core, s.options());
        try {
            server.start();
            if (integrity != null) {
                integrity.start();
            }
        } catch (IOException | RuntimeException e) {
            if (integrity != null) {
                integrity.close();
            }
            if (healing != null) {
                healing.close();
            }
            server.close();
            closeStore(store);
            throw e;
        }
        LOG.info("RAIDA {} (coin id {}) listening on {} port {} for TCP and UDP, {} transport, {} I/O threads{}, "
                + "{} workers, {}{}", s.raidaId(), s.coinId(), server.localAddress().getAddress().getHostAddress(),
                server.port(), s.transport(), s.ioThreads(),
                s.ioThreads() == ServerOptions.defaultIoThreads() ? " (= the default: " + Runtime.getRuntime()
                        .availableProcessors() + " processors, cap " + ServerOptions.MAX_DEFAULT_IO_THREADS + ")" : "",
                s.workerThreads(), s.dataDir() == null ? "demo coins in memory"
                        : "coins in " + s.dataDir() + (s.peers().isEmpty() ? ", no peers" : ", syncing with 24 peers"),
                s.cc2Socket() == null ? "" : ", shard-2 detect forwarded to CC2 at " + s.cc2Socket());
        return new Running(server, integrity, healing, store);
    }

    /** Whether {@code e} (or a cause) says the address is taken: a BindException, or Netty's native bind error. */
    static boolean portInUse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"))) {
                return true;
            }
        }
        return false;
    }

    private static void closeStore(PageStore store) {
        if (store != null) {
            try {
                store.close();
            } catch (IOException e) {
                LOG.warn("closing the page store failed: {}", e.toString());
            }
        }
    }

    /**
     * Serves until {@code stop} opens, then closes the server. {@code started} receives the running
     * server so a caller (a test) can see the bound port.
     *
     * @return 0 after a clean close, 1 if the server could not start, {@value #EXIT_FAILED} if it failed
     *         while serving (a fatal error closed its sockets; a supervisor should restart the process)
     */
    static int run(ServerSettings s, CountDownLatch stop, Consumer<Running> started) {
        Running running;
        try {
            running = start(s);
        } catch (IOException | RuntimeException e) {
            if (portInUse(e)) {
                LOG.error("cannot start the {} server: port {} is already in use on {}", s.transport(), s.port(),
                        s.host());
            } else {
                LOG.error("cannot start the {} server on {}:{}: {}", s.transport(), s.host(), s.port(), e.toString());
            }
            return 1;
        }
        // a fatal error (e.g. OutOfMemoryError on an I/O thread) closes the server: end the process
        // non-zero so a supervisor restarts it, never keep running without a port
        running.server().onFailure(t -> stop.countDown());
        try {
            started.accept(running);
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.close();
            ServerStats st = running.server().stats();
            LOG.info("RAIDA {} closed after {} requests ({} UDP, {} TCP), {} errors, {} drops", s.raidaId(),
                    st.requests(), st.udpRequests(), st.tcpRequests(), st.errors(), st.drops());
        }
        if (running.server().state() == ServerState.FAILED) {
            LOG.error("RAIDA {} server failed ({}); exiting with status {}", s.raidaId(),
                    running.server().failure(), EXIT_FAILED);
            return EXIT_FAILED;
        }
        return 0;
    }
}
