package io.raida.integrity;

import static io.raida.integrity.CoinHarness.DEN;
import static io.raida.integrity.CoinHarness.coin;
import static io.raida.integrity.CoinHarness.concat;
import static io.raida.integrity.CoinHarness.filled;
import static io.raida.integrity.CoinHarness.xor;
import static org.assertj.core.api.Assertions.assertThat;

import io.raida.integrity.CoinHarness.Type;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic check-and-apply of the coin commands, against each other and against outside page writers. */
class CoinPagesTest {

    @Test
    void concurrentPownSumsOfTheSameCoinsApplyExactlyOnce(@TempDir Path dir) throws Exception {
        FilePageStore store = FilePageStore.open(dir);
        CoinHarness.seed(store);
        try (CoinHarness h = new CoinHarness(store)) {
            // coins on two pages of their own so the page locks of both are taken
            byte[] page1 = TestPages.issued(21, 7);
            store.writePage(DEN, 2, page1);
            long other = 2 * 1024 + 7;
            byte[] a = h.an(DEN, 1);
            byte[] b = h.an(DEN, other);
            byte[] c = h.an(DEN, 3);
            // an odd number of coins: the deltas do not cancel out of the new sum
            byte[] coins = concat(coin(DEN, 1), coin(DEN, other), coin(DEN, 3));
            int threads = 8;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    byte[] delta = filled(i + 1);
                    results.add(pool.submit(() -> {
                        go.await();
                        return h.call(Type.T0, 1, 21, concat(coins, xor(a, b, c), delta)).status();
                    }));
                }
                go.countDown();
                int winner = -1;
                int passes = 0;
                for (int i = 0; i < threads; i++) {
                    int s = results.get(i).get(60, TimeUnit.SECONDS);
                    assertThat(s).isIn(241, 242);
                    if (s == 241) {
                        passes++;
                        winner = i;
                    }
                }
                assertThat(passes).as("one check-and-apply wins, the others see the new ANs").isEqualTo(1);
                assertThat(h.an(DEN, 1)).isEqualTo(xor(a, filled(winner + 1)));
                assertThat(h.an(DEN, other)).isEqualTo(xor(b, filled(winner + 1)));
                assertThat(h.an(DEN, 3)).isEqualTo(xor(c, filled(winner + 1)));
            } finally {
                pool.shutdownNow();
                assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    /** A page store that, once, writes a page behind the caller's back just before its compare-and-write. */
    private static final class InterferingStore implements PageStore {
        private final InMemoryPageStore delegate = new InMemoryPageStore();
        private final AtomicBoolean armed = new AtomicBoolean();
        private volatile int conflicts;

        @Override
        public boolean readPage(int denomination, int page, byte[] dst) {
            return delegate.readPage(denomination, page, dst);
        }

        @Override
        public void writePage(int denomination, int page, byte[] data) {
            delegate.writePage(denomination, page, data);
        }

        @Override
        public boolean replacePageIf(int denomination, int page, byte[] expectedLeaf, byte[] newPage) {
            if (armed.getAndSet(false)) {
                // what integrity healing does: a whole page with another record changed
                byte[] healed = new byte[PAGE_SIZE];
                delegate.readPage(denomination, page, healed);
                System.arraycopy(filled(0x99), 0, healed, 99 * RECORD_SIZE, AN_SIZE);
                delegate.writePage(denomination, page, healed);
            }
            boolean ok = delegate.replacePageIf(denomination, page, expectedLeaf, newPage);
            if (!ok) {
                conflicts++;
            }
            return ok;
        }

        @Override
        public void addListener(PageListener listener) {
            delegate.addListener(listener);
        }

        @Override
        public void removeListener(PageListener listener) {
            delegate.removeListener(listener);
        }
    }

    @Test
    void aPageChangedByAnotherWriterIsReadAgainAndNotOverwritten() throws IOException {
        InterferingStore store = new InterferingStore();
        CoinHarness.seed(store);
        try (CoinHarness h = new CoinHarness(store)) {
            byte[] old = h.an(DEN, 5);
            store.armed.set(true);
            h.call(Type.T0, 1, 20, concat(coin(DEN, 5), old, filled(0x55))).is(241, new byte[0]);
            assertThat(store.conflicts).isEqualTo(1);
            assertThat(h.an(DEN, 5)).isEqualTo(filled(0x55));
            assertThat(h.an(DEN, 99)).as("the other writer's change is kept").isEqualTo(filled(0x99));
        }
    }

    @Test
    void mfsIsMonthsFromFebruary2023AndNeverZero() {
        CoinPages p = new CoinPages(new InMemoryPageStore(), CoinHarness.CLOCK);
        assertThat(p.mfsNow()).isEqualTo(46);
        CoinPages feb23 = new CoinPages(new InMemoryPageStore(),
                java.time.Clock.fixed(java.time.Instant.parse("2023-02-10T00:00:00Z"), java.time.ZoneOffset.UTC));
        assertThat(feb23.mfsNow()).as("0 would mark the coin unissued").isEqualTo(1);
        CoinPages mar23 = new CoinPages(new InMemoryPageStore(),
                java.time.Clock.fixed(java.time.Instant.parse("2023-03-10T00:00:00Z"), java.time.ZoneOffset.UTC));
        assertThat(mar23.mfsNow()).isEqualTo(1);
        CoinPages jan24 = new CoinPages(new InMemoryPageStore(),
                java.time.Clock.fixed(java.time.Instant.parse("2024-01-31T23:59:59Z"), java.time.ZoneOffset.UTC));
        assertThat(jan24.mfsNow()).isEqualTo(11);
    }
}
