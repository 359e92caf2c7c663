package io.raida.integrity;

import io.raida.protocol.server.CoinKeyResolver;
import io.raida.protocol.server.CommandHandler;
import io.raida.protocol.server.CommandRegistry;
import io.raida.protocol.server.ServerCore;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The coin commands of a RAIDA over its {@link PageStore}: group 1 authentication (1/10 detect, 1/11
 * detect_sum, 1/20 pown, 1/21 pown_sum; auth.md §2) and group 8 lockers (8/82 put, 8/83 peek, 8/84
 * remove, 8/88 multi-locker put; lockers.md §2, §7).
 *
 * <p>Every change goes through the store's crash-safe compare-and-write page path, so a
 * {@link MerkleForest} (or {@link IntegrityNode}) over the same store sees the page dirty and the
 * roots follow at its next rebuild; a check and the changes it allows are one atomic step. The
 * locker index is built by scanning the store when this object is opened (lockers survive a restart,
 * D-53) and follows every later page write by anyone, healing included.
 *
 * <pre>{@code
 * FilePageStore store = FilePageStore.open(dataDir);
 * CoinCommands coins = CoinCommands.open(store);                       // scans the pages for lockers
 * ServerCore core = ServerCore.builder().raidaId(id)
 *         .keyResolver(new PageStoreKeyResolver(store, coins.lockerKeys())).build();
 * coins.install(core);                                                  // groups 1 and 8
 * ...
 * coins.close();                                                        // before closing the store
 * }</pre>
 */
public final class CoinCommands implements AutoCloseable {
    private final PageStore store;
    private final LockerIndex index;
    private final AuthCommands auth;
    private final LockerCommands lockers;
    private final List<ServerCore> installed = new ArrayList<>();

    private CoinCommands(PageStore store, Clock clock) {
        this.store = store;
        CoinPages pages = new CoinPages(store, clock);
        this.index = new LockerIndex(store);
        this.auth = new AuthCommands(pages);
        this.lockers = new LockerCommands(pages, index);
    }

    /**
     * Opens the coin commands over {@code store}: starts following its writes and builds the locker
     * index by reading every page (absent pages cost nothing).
     *
     * @param store the page store holding the coin records; it must stay open until this object is closed
     * @return the commands, not yet installed in a server core
     * @throws IOException if a page cannot be read
     */
    public static CoinCommands open(PageStore store) throws IOException {
        return open(store, Clock.systemUTC());
    }

    /**
     * As {@link #open(PageStore)}, with the clock that dates changed records (their MFS byte,
     * auth.md §1).
     *
     * @param store the page store holding the coin records
     * @param clock the clock whose date is written into the MFS byte of changed records
     * @return the commands, not yet installed in a server core
     * @throws IOException if a page cannot be read
     */
    public static CoinCommands open(PageStore store, Clock clock) throws IOException {
        CoinCommands c = new CoinCommands(Objects.requireNonNull(store, "store"), Objects.requireNonNull(clock, "clock"));
        store.addListener(c.index);
        try {
            c.index.rebuild();
        } catch (IOException | RuntimeException e) {
            store.removeListener(c.index);
            throw e;
        }
        return c;
    }

    /**
     * Opens the coin commands over {@code store} and installs them in {@code core}: the one call an
     * embedder with a page store needs. Close the returned object before the store.
     *
     * @param core the server core to install the handlers in
     * @param store the page store holding the coin records
     * @return the installed commands; closing them unregisters the handlers and stops following the store
     * @throws IOException if the locker index cannot be built
     */
    public static CoinCommands register(ServerCore core, PageStore store) throws IOException {
        return open(store).install(core);
    }

    /**
     * Registers 1/10, 1/11, 1/20, 1/21, 8/82, 8/83, 8/84 and 8/88 in the core's registry (worker pool:
     * they read and write pages), replacing earlier handlers. To forward shard-2 detects to CC2, wrap
     * this 1/10 handler afterwards (e.g. {@code new Cc2DetectHandler(client, fallback)} with the handler
     * {@code core.registry().lookup(1, 10)} returns).
     *
     * @param core the server core whose registry gets the handlers
     * @return this object, to chain further set-up
     */
    public synchronized CoinCommands install(ServerCore core) {
        CommandRegistry r = core.registry();
        r.register(AuthCommands.GROUP, AuthCommands.DETECT, auth.detect);
        r.register(AuthCommands.GROUP, AuthCommands.DETECT_SUM, auth.detectSum);
        r.register(AuthCommands.GROUP, AuthCommands.POWN, auth.pown);
        r.register(AuthCommands.GROUP, AuthCommands.POWN_SUM, auth.pownSum);
        r.register(LockerCommands.GROUP, LockerCommands.PUT, lockers.put);
        r.register(LockerCommands.GROUP, LockerCommands.PEEK, lockers.peek);
        r.register(LockerCommands.GROUP, LockerCommands.REMOVE, lockers.remove);
        r.register(LockerCommands.GROUP, LockerCommands.PUT_MULTIPLE, lockers.putMultiple);
        installed.add(core);
        return this;
    }

    /**
     * Locker keys for type-2 encryption (D-34: the key whose first five bytes the request names), to
     * pass to {@link PageStoreKeyResolver#PageStoreKeyResolver(PageStore, CoinKeyResolver)}. Coin keys
     * are not resolved here ({@code coinAn} answers null).
     *
     * @return a resolver of locker keys only, reading the live locker index
     */
    public CoinKeyResolver lockerKeys() {
        return new CoinKeyResolver() {
            @Override
            public byte[] coinAn(int denomination, long serialNumber) {
                return null;
            }

            @Override
            public byte[] lockerAn(byte[] prefix, int off) {
                return index.keyByPrefix(prefix, off);
            }
        };
    }

    /**
     * Number of non-empty lockers on this RAIDA (pages written since the last command are re-read first).
     *
     * @return the count of lockers holding at least one coin
     * @throws IOException if a written page cannot be re-read
     */
    public int lockerCount() throws IOException {
        index.refresh();
        return index.size();
    }

    /** Unregisters the handlers that are still this object's and stops following the store. */
    @Override
    public synchronized void close() {
        for (ServerCore core : installed) {
            unregister(core, AuthCommands.GROUP, AuthCommands.DETECT, auth.detect);
            unregister(core, AuthCommands.GROUP, AuthCommands.DETECT_SUM, auth.detectSum);
            unregister(core, AuthCommands.GROUP, AuthCommands.POWN, auth.pown);
            unregister(core, AuthCommands.GROUP, AuthCommands.POWN_SUM, auth.pownSum);
            unregister(core, LockerCommands.GROUP, LockerCommands.PUT, lockers.put);
            unregister(core, LockerCommands.GROUP, LockerCommands.PEEK, lockers.peek);
            unregister(core, LockerCommands.GROUP, LockerCommands.REMOVE, lockers.remove);
            unregister(core, LockerCommands.GROUP, LockerCommands.PUT_MULTIPLE, lockers.putMultiple);
        }
        installed.clear();
        store.removeListener(index);
    }

    private static void unregister(ServerCore core, int group, int code, CommandHandler mine) {
        CommandRegistry.Registration r = core.registry().lookup(group, code);
        if (r != null && r.handler() == mine) {
            core.registry().unregister(group, code);
        }
    }
}
