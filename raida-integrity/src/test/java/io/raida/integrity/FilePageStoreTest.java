package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference on-disk layout, crash-safe writes and the page-store key resolver. */
class FilePageStoreTest {
    @TempDir
    Path root;

    @Test
    void referenceLayout() throws IOException {
        FilePageStore s = FilePageStore.open(root);
        // integrity.md §2 example: den -2, SN 300 000 → page 292, record 992 → Data/fe/01/0124.bin, offset 16 864
        assertThat(root.relativize(s.pagePath(-2, 300_000 / 1024)).toString()).isEqualTo("Data/fe/01/0124.bin");
        assertThat(300_000 % 1024 * PageStore.RECORD_SIZE).isEqualTo(16_864);
        assertThat(root.relativize(s.pagePath(-8, 0)).toString()).isEqualTo("Data/f8/00/0000.bin");
        assertThat(root.relativize(s.pagePath(6, 999)).toString()).isEqualTo("Data/06/03/03e7.bin");
        assertThat(root.relativize(s.pagePath(0, 255)).toString()).isEqualTo("Data/00/00/00ff.bin");
    }

    @Test
    void roundTripMissingAndShortPages() throws IOException {
        FilePageStore s = FilePageStore.open(root);
        byte[] buf = new byte[PageStore.PAGE_SIZE];
        assertThat(s.readPage(1, 7, buf)).isFalse();
        byte[] page = TestPages.issued(3, 0, 5, 1023);
        s.writePage(1, 7, page);
        assertThat(Files.size(s.pagePath(1, 7))).isEqualTo(17_408);
        assertThat(s.readPage(1, 7, buf)).isTrue();
        assertThat(buf).isEqualTo(page);
        byte[] rec = new byte[17];
        assertThat(s.readRecord(1, 7, 1023, rec, 0)).isTrue();
        assertThat(rec).containsExactly(java.util.Arrays.copyOfRange(page, 1023 * 17, 1024 * 17));

        Files.createDirectories(s.pagePath(2, 0).getParent());
        Files.write(s.pagePath(2, 0), new byte[100]);
        assertThatThrownBy(() -> s.readPage(2, 0, buf)).isInstanceOf(TruncatedPageException.class);
        assertThat(s.readRecord(2, 0, 0, rec, 0)).isFalse();
        // a short page has the zero leaf (integrity.md §3)
        MerkleForest f = new MerkleForest(s, new IntegrityMetrics(), 1);
        f.rebuild();
        assertThat(f.snapshot().tree(2).node(0, 0)).isEqualTo(new byte[32]);
        assertThat(f.snapshot().tree(1).node(0, 7)).isEqualTo(MerkleTree.leafHash(page));
    }

    @Test
    void pageDataAnswers194ForAShortPageFileAnd202ForAMissingOne() throws IOException {
        FilePageStore s = FilePageStore.open(root);
        Files.createDirectories(s.pagePath(5, 1).getParent());
        Files.write(s.pagePath(5, 1), new byte[17_407]);
        io.raida.protocol.server.ServerCore core = io.raida.protocol.server.ServerCore.builder().raidaId(1).build();
        try (IntegrityNode n = IntegrityNode.builder().pageStore(s).raidaId(1).allowPageDataFromAnyone().build()
                .install(core).start()) {
            for (int[] k : new int[][] {{1, 194}, {2, 202}}) {
                io.raida.protocol.client.ClientRequest r = io.raida.protocol.client.RequestBuilder.command(1, 14, 4)
                        .payload(new byte[] {5, 0, 0, 0, (byte) k[0]}).build();
                assertThat(core.answer(r.frame(), io.raida.protocol.Transport.TCP)[2] & 0xFF).isEqualTo(k[1]);
            }
            assertThat(n.forest().snapshot().tree(5).node(0, 1)).isEqualTo(new byte[32]);
        }
    }

    @Test
    void aHealInterruptedBetweenWriteAndRenameLeavesTheOldPage() throws IOException {
        FilePageStore s = FilePageStore.open(root);
        byte[] old = TestPages.issued(1, 1, 2);
        s.writePage(0, 292, old);
        List<Path> temps = new ArrayList<>();
        s.writeHook((tmp, page) -> {
            temps.add(tmp);
            // the new bytes are complete and forced in the temporary file, which is not the page
            assertThat(Files.size(tmp)).isEqualTo(17_408);
            assertThat(tmp.getParent()).isEqualTo(page.getParent());
            assertThat(tmp).isNotEqualTo(page);
            throw new IOException("simulated crash between write and rename");
        });
        assertThatThrownBy(() -> s.writePage(0, 292, TestPages.issued(2, 9))).hasMessageContaining("simulated crash");
        byte[] buf = new byte[PageStore.PAGE_SIZE];
        assertThat(s.readPage(0, 292, buf)).isTrue();
        assertThat(buf).isEqualTo(old);
        assertThat(temps).hasSize(1);
        assertThat(temps.get(0)).doesNotExist();
        try (Stream<Path> files = Files.list(s.pagePath(0, 292).getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("0124.bin");
        }
    }

    @Test
    void aWriteIntoNewDirectoriesForcesTheirEntriesToo() throws IOException {
        FilePageStore s = FilePageStore.open(root);
        List<Path> forced = new ArrayList<>();
        s.writeHook(new FilePageStore.WriteHook() {
            @Override
            public void beforeRename(Path temporary, Path page) {
            }

            @Override
            public void directoryForced(Path dir) {
                forced.add(dir);
            }
        });
        Path page = s.pagePath(-2, 292);
        s.writePage(-2, 292, TestPages.issued(1, 3));
        // Data/fe/01 holds the page, Data/fe holds 01, Data holds fe: all three must reach the disk
        assertThat(forced).containsExactly(page.getParent(), page.getParent().getParent(), root.resolve("Data"));
        forced.clear();
        s.writePage(-2, 292, TestPages.issued(2, 3));
        assertThat(forced).as("an existing directory needs only its own fsync").containsExactly(page.getParent());
        forced.clear();
        s.deletePage(-2, 292);
        assertThat(forced).as("a delete is made durable as well").containsExactly(page.getParent());
    }

    @Test
    void aTemporaryFileLeftByACrashIsNeverAPageAndIsSweptAtOpen() throws IOException {
        FilePageStore s = FilePageStore.open(root);
        byte[] old = TestPages.issued(1, 1);
        s.writePage(3, 1, old);
        // what a power cut after the temporary file's fsync leaves behind
        Path leftover = s.pagePath(3, 1).getParent().resolve(".0001.bin.77.tmp");
        Files.write(leftover, TestPages.issued(2, 5));
        byte[] buf = new byte[PageStore.PAGE_SIZE];
        assertThat(s.readPage(3, 1, buf)).isTrue();
        assertThat(buf).isEqualTo(old);
        FilePageStore reopened = FilePageStore.open(root);
        assertThat(leftover).doesNotExist();
        assertThat(reopened.readPage(3, 1, buf)).isTrue();
        assertThat(buf).isEqualTo(old);
    }

    @Test
    void writesNotifyListenersAndRejectBadInput() throws IOException {
        FilePageStore s = FilePageStore.open(root);
        List<String> seen = new ArrayList<>();
        s.addListener((d, p) -> seen.add(d + "/" + p));
        s.writePage(-8, 999, TestPages.unissued(1));
        s.deletePage(-8, 999);
        assertThat(seen).containsExactly("-8/999", "-8/999");
        assertThat(s.readPage(-8, 999, new byte[PageStore.PAGE_SIZE])).isFalse();
        assertThatThrownBy(() -> s.writePage(7, 0, TestPages.unissued(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-8..6");
        assertThatThrownBy(() -> s.writePage(0, 1000, TestPages.unissued(1)))
                .hasMessageContaining("0..999");
        assertThatThrownBy(() -> s.writePage(0, 0, new byte[10])).hasMessageContaining("17408");
    }

    @Test
    void replacePageIfWritesOnlyOverTheExpectedLeaf() throws IOException {
        for (PageStore s : List.<PageStore>of(FilePageStore.open(root), new InMemoryPageStore())) {
            List<String> seen = new ArrayList<>();
            s.addListener((d, p) -> seen.add(d + "/" + p));
            byte[] zero = new byte[32];
            byte[] healed = TestPages.issued(5, 7, 8);
            byte[] buf = new byte[PageStore.PAGE_SIZE];
            // absent page: the "missing" leaf is 32 zero bytes
            assertThat(s.replacePageIf(3, 9, zero, healed)).isTrue();
            assertThat(s.readPage(3, 9, buf)).isTrue();
            assertThat(buf).isEqualTo(healed);
            assertThat(seen).containsExactly("3/9");

            // the page changed since the leaf was taken: nothing written, nobody told
            byte[] snapshotLeaf = MerkleTree.leafHash(healed);
            byte[] local = TestPages.issued(5, 7, 8, 9); // one more coin issued here
            s.writePage(3, 9, local);
            seen.clear();
            assertThat(s.replacePageIf(3, 9, snapshotLeaf, TestPages.issued(6, 1))).isFalse();
            assertThat(s.replacePageIf(3, 9, zero, TestPages.issued(6, 1))).isFalse();
            assertThat(s.readPage(3, 9, buf)).isTrue();
            assertThat(buf).isEqualTo(local);
            assertThat(seen).isEmpty();

            // selective hashing as in the tree: an MFS change (33 → 40) keeps the leaf, so it still matches
            byte[] remonth = local.clone();
            remonth[9 * 17 + 16] = 40;
            s.writePage(3, 9, remonth);
            assertThat(s.replacePageIf(3, 9, MerkleTree.leafHash(local), healed)).isTrue();
            assertThat(s.readPage(3, 9, buf)).isTrue();
            assertThat(buf).isEqualTo(healed);

            assertThatThrownBy(() -> s.replacePageIf(3, 9, new byte[31], healed)).hasMessageContaining("32");
            assertThatThrownBy(() -> s.replacePageIf(3, 9, zero, new byte[5])).hasMessageContaining("17408");
        }
        // a short page file has the zero leaf too (integrity.md §3), so a heal may replace it
        FilePageStore f = FilePageStore.open(root);
        Files.createDirectories(f.pagePath(4, 1).getParent());
        Files.write(f.pagePath(4, 1), new byte[100]);
        assertThat(f.replacePageIf(4, 1, new byte[32], TestPages.issued(9, 1))).isTrue();
        assertThat(Files.size(f.pagePath(4, 1))).isEqualTo(17_408);
    }

    @Test
    void replacePageIfKeepsTheCrashSafeWriteAndHoldsThePageLock() throws Exception {
        FilePageStore s = FilePageStore.open(root);
        byte[] old = TestPages.issued(1, 1, 2);
        s.writePage(0, 292, old);
        // a crash between the forced temporary file and the rename leaves the old page and no temporary file
        s.writeHook((tmp, page) -> {
            assertThat(Files.size(tmp)).isEqualTo(17_408);
            throw new IOException("simulated crash between write and rename");
        });
        assertThatThrownBy(() -> s.replacePageIf(0, 292, MerkleTree.leafHash(old), TestPages.issued(2, 9)))
                .hasMessageContaining("simulated crash");
        byte[] buf = new byte[PageStore.PAGE_SIZE];
        assertThat(s.readPage(0, 292, buf)).isTrue();
        assertThat(buf).isEqualTo(old);
        try (Stream<Path> files = Files.list(s.pagePath(0, 292).getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("0124.bin");
        }

        // a plain write of the same page arriving between the comparison and the write waits for the
        // compare-and-write to finish, then comes after it
        byte[] healed = TestPages.issued(3, 4);
        byte[] local = TestPages.issued(4, 5);
        List<Thread.State> writerState = new ArrayList<>();
        Thread[] writer = new Thread[1];
        s.writeHook(new FilePageStore.WriteHook() {
            @Override
            public void beforeRename(Path temporary, Path page) {
            }

            @Override
            public void compared(Path page) {
                writer[0] = new Thread(() -> {
                    try {
                        s.writePage(0, 292, local);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, "test-local-writer");
                writer[0].start();
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
                while (writer[0].getState() != Thread.State.BLOCKED && writer[0].isAlive()
                        && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                writerState.add(writer[0].getState());
            }
        });
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        s.addListener((d, p) -> seen.add(d + "/" + p));
        assertThat(s.replacePageIf(0, 292, MerkleTree.leafHash(old), healed)).isTrue();
        writer[0].join(10_000);
        assertThat(writerState).as("the writer waited for the page lock").containsExactly(Thread.State.BLOCKED);
        assertThat(s.readPage(0, 292, buf)).isTrue();
        assertThat(buf).as("the later local write wins").isEqualTo(local);
        assertThat(seen).containsExactly("0/292", "0/292");
    }

    @Test
    void keyResolverServesOnlyIssuedRecords() throws IOException {
        for (PageStore s : List.<PageStore>of(FilePageStore.open(root), new InMemoryPageStore())) {
            byte[] page = TestPages.issued(8, 992);
            s.writePage(-2, 292, page);
            PageStoreKeyResolver r = new PageStoreKeyResolver(s);
            assertThat(r.coinAn(-2, 300_000)).isEqualTo(java.util.Arrays.copyOfRange(page, 16_864, 16_864 + 16));
            assertThat(r.coinAn(-2, 300_001)).as("MFS 0 is not a key (D-33)").isNull();
            assertThat(r.coinAn(-2, 0)).as("absent page").isNull();
            assertThat(r.coinAn(-2, 1_024_000)).isNull();
            assertThat(r.coinAn(9, 1)).isNull();
            assertThat(r.lockerAn(new byte[5], 0)).isNull();
        }
    }
}
