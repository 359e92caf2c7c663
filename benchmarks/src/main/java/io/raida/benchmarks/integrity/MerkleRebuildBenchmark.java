package io.raida.benchmarks.integrity;

import io.raida.integrity.FilePageStore;
import io.raida.integrity.InMemoryPageStore;
import io.raida.integrity.IntegrityMetrics;
import io.raida.integrity.MerkleForest;
import io.raida.integrity.PageStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Merkle tree rebuilds of raida-integrity over a fully populated store: 15 denominations × 1 000
 * pages, every page present with 10 % of its records issued.
 *
 * <ul>
 *   <li>{@code fullRebuild}: all 15 trees from scratch (15 000 page reads + SHA-256 of 16 KiB each,
 *       plus ~15 000 inner nodes), with {@code threads} build threads.</li>
 *   <li>{@code incrementalRebuild}: the dirty-tracked rebuild after one page write (one leaf and
 *       one denomination's inner nodes). The write itself (with its fsyncs for the file store)
 *       happens in an untimed per-invocation set-up, so only the rebuild is measured.</li>
 * </ul>
 * {@code store=memory} keeps the 261 MB of pages on the heap; {@code store=file} uses
 * {@link FilePageStore} in a temporary directory (page cache warm after the first build).
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar MerkleRebuild</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class MerkleRebuildBenchmark {

    @Param({"memory", "file"})
    public String store;

    @Param({"1", "2"})
    public int threads;

    private PageStore pages;
    private Path dir;
    private MerkleForest forest;
    private byte[][] alternating;

    /** Writes one page (alternating two contents) before each incremental rebuild, untimed. */
    @State(Scope.Benchmark)
    public static class PendingChange {
        private int flip;

        @Setup(Level.Invocation)
        public void writeOnePage(MerkleRebuildBenchmark bench) throws IOException {
            bench.pages.writePage(3, 421, bench.alternating[flip++ & 1]);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if ("file".equals(store)) {
            dir = Files.createTempDirectory("raida-merkle-bench");
            pages = FilePageStore.open(dir);
        } else {
            pages = new InMemoryPageStore();
        }
        Random r = new Random(1);
        byte[] page = new byte[PageStore.PAGE_SIZE];
        for (int den = -8; den <= 6; den++) {
            for (int p = 0; p < 1000; p++) {
                r.nextBytes(page);
                for (int rec = 0; rec < 1024; rec++) {
                    page[rec * 17 + 16] = (byte) (rec % 10 == 0 ? 33 : 0);
                }
                pages.writePage(den, p, page);
            }
        }
        forest = new MerkleForest(pages, new IntegrityMetrics(), threads);
        forest.rebuild();
        alternating = new byte[][] {page.clone(), page.clone()};
        alternating[1][0] ^= 1;
        alternating[1][16] = 1;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (dir != null) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Benchmark
    public List<Integer> fullRebuild() {
        forest.markAllDirty();
        return forest.rebuild();
    }

    @Benchmark
    public List<Integer> incrementalRebuild(PendingChange change) {
        return forest.rebuild();
    }
}
