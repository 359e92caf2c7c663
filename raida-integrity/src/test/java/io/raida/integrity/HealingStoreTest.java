package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Re-keying through the crash-safe page path: concurrent writers on one page, absent pages, storage failures. */
@Timeout(60)
class HealingStoreTest {
    private static final Clock DEC_2026 = Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;

    private static byte[] an(int v) {
        byte[] a = new byte[16];
        Arrays.fill(a, (byte) v);
        return a;
    }

    @Test
    void concurrentRekeysOfOnePageLoseNothing() throws Exception {
        try (FilePageStore files = FilePageStore.open(dir)) {
            for (PageStore store : List.of(new InMemoryPageStore(), files)) {
                store.writePage(0, 4, TestPages.issued(5, 0, 1, 2, 3));
                HealingStore h = new HealingStore(store, DEC_2026);
                ExecutorService ex = Executors.newFixedThreadPool(4);
                try {
                    CountDownLatch go = new CountDownLatch(1);
                    List<Future<?>> fs = new ArrayList<>();
                    for (int t = 0; t < 4; t++) {
                        long sn = 4 * 1024 + t;
                        int v = t + 1;
                        fs.add(ex.submit(() -> {
                            go.await();
                            for (int i = 0; i < 25; i++) {
                                h.rekey(Map.of(HealingStore.key(0, sn), an(v * 16 + i % 16)));
                            }
                            return null;
                        }));
                    }
                    go.countDown();
                    for (Future<?> f : fs) {
                        f.get();
                    }
                } finally {
                    ex.shutdownNow();
                    assertThat(ex.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
                }
                for (int t = 0; t < 4; t++) {
                    byte[] rec = h.record(0, 4 * 1024 + t);
                    assertThat(Arrays.copyOf(rec, 16)).as("%s record %d", store, t).isEqualTo(an((t + 1) * 16 + 24 % 16));
                    assertThat(rec[16]).isEqualTo((byte) 46);
                }
            }
        }
    }

    @Test
    void rekeyCreatesAnAbsentPageWithEverythingElseUnissued() throws Exception {
        InMemoryPageStore store = new InMemoryPageStore();
        HealingStore h = new HealingStore(store, DEC_2026);
        assertThat(h.record(-8, 999 * 1024 + 1023)).containsOnly(0);
        h.rekey(Map.of(HealingStore.key(-8, 999 * 1024 + 1023), an(9)));
        byte[] page = new byte[PageStore.PAGE_SIZE];
        assertThat(store.readPage(-8, 999, page)).isTrue();
        byte[] expected = new byte[PageStore.PAGE_SIZE];
        System.arraycopy(an(9), 0, expected, 1023 * 17, 16);
        expected[1023 * 17 + 16] = 46;
        assertThat(page).isEqualTo(expected);
    }

    @Test
    void unreadablePageReadsAsUnissuedAndRefusesTheRekey() throws Exception {
        FilePageStore store = FilePageStore.open(dir);
        // a directory where page 1/3 should be: record reads see no page, page reads fail
        Files.createDirectories(store.pagePath(1, 3));
        ServerCore core = ServerCore.builder().raidaId(2).build();
        try (HealingCommands h = HealingCommands.builder().pageStore(store).build().install(core)) {
            assertThat(status(core, 40, Arrays.copyOf(coin(1, 3 * 1024 + 7), 21))).isEqualTo(242);
            assertThat(status(core, 60, Arrays.copyOf(coin(1, 3 * 1024 + 7), 37))).isEqualTo(208);
        }
        assertThatThrownBy(() -> new HealingStore(store, DEC_2026).rekey(Map.of(HealingStore.key(1, 3 * 1024), an(1))))
                .isInstanceOf(IOException.class);
    }

    /** A store whose disk fails on every read (what a failing device looks like to the handlers). */
    private static final class FailingReads extends CountingPageStore {
        FailingReads(PageStore inner) {
            super(inner);
        }

        @Override
        public boolean readPage(int denomination, int page, byte[] dst) throws IOException {
            throw new IOException("device error");
        }

        @Override
        public boolean readRecord(int denomination, int page, int record, byte[] dst, int off) throws IOException {
            throw new IOException("device error");
        }
    }

    @Test
    void storageFailuresAnswer194() throws Exception {
        ServerCore core = ServerCore.builder().raidaId(2).build();
        try (HealingCommands h = HealingCommands.builder().pageStore(new FailingReads(new InMemoryPageStore())).build()
                .install(core)) {
            byte[] raw = core.answer(RequestBuilder.command(2, 2, 40).payload(Arrays.copyOf(coin(1, 7), 21)).build()
                    .frame(), Transport.TCP);
            assertThat(raw[2] & 0xFF).isEqualTo(194);
            assertThat(raw).as("no body").hasSize(32);
            assertThat(status(core, 60, Arrays.copyOf(coin(1, 7), 37))).isEqualTo(194);
            assertThat(h.liveTickets()).isZero();
        }
    }

    private static byte[] coin(int den, long sn) {
        byte[] c = new byte[5];
        c[0] = (byte) den;
        Bytes.putU32(c, 1, sn);
        return c;
    }

    private static int status(ServerCore core, int code, byte[] payload) {
        ClientRequest r = RequestBuilder.command(2, 2, code).payload(payload).build();
        return core.answer(r.frame(), Transport.TCP)[2] & 0xFF;
    }
}
