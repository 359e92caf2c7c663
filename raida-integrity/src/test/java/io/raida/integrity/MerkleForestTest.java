package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.Denominations;
import org.junit.jupiter.api.Test;

/** Dirty tracking, incremental rebuilds and atomic publication. */
class MerkleForestTest {

    private static InMemoryPageStore populated() {
        InMemoryPageStore s = new InMemoryPageStore();
        for (int d = -8; d <= 6; d++) {
            for (int p = 0; p < 1000; p += 97) {
                s.writePage(d, p, TestPages.issued(d * 1000L + p, p % 1024, 7));
            }
        }
        return s;
    }

    @Test
    void onlyChangedDenominationsAreRebuiltAndIncrementalEqualsFull() {
        InMemoryPageStore s = populated();
        IntegrityMetrics m = new IntegrityMetrics();
        MerkleForest f = new MerkleForest(s, m, 2);
        assertThat(f.snapshot()).isNull();
        assertThat(f.rootsVector()).isEqualTo(new byte[480]);
        assertThat(f.rebuild()).hasSize(15);
        MerkleForest.Snapshot first = f.snapshot();
        assertThat(first.complete()).isTrue();
        assertThat(f.rebuild()).isEmpty();

        s.writePage(3, 500, TestPages.issued(42, 1));
        s.writePage(3, 999, TestPages.issued(43, 2));
        s.removePage(3, 97);
        assertThat(f.rebuild()).containsExactly(3);
        for (int d = -8; d <= 6; d++) {
            assertThat(m.builds(d)).isEqualTo(d == 3 ? 2 : 1);
            assertThat(m.lastBuildEpochMillis(d)).isPositive();
        }
        MerkleForest fresh = new MerkleForest(s, new IntegrityMetrics(), 1);
        fresh.rebuild();
        assertThat(f.rootsVector()).isEqualTo(fresh.rootsVector());
        assertThat(f.snapshot().tree(3).node(0, 97)).isEqualTo(new byte[32]);
        // the old snapshot is immutable: readers holding it are unaffected
        assertThat(first.tree(3).root()).isNotEqualTo(f.snapshot().tree(3).root());
        assertThat(first.tree(4)).isSameAs(f.snapshot().tree(4));
        assertThat(first.roots()).isNotEqualTo(f.rootsVector());
    }

    @Test
    void rootsVectorIsInDenominationOrder() {
        InMemoryPageStore s = new InMemoryPageStore();
        s.writePage(-8, 0, TestPages.issued(1, 1));
        MerkleForest f = new MerkleForest(s, new IntegrityMetrics(), 1);
        f.rebuild();
        byte[] roots = f.rootsVector();
        for (int i = 0; i < Denominations.COUNT; i++) {
            assertThat(java.util.Arrays.copyOfRange(roots, i * 32, i * 32 + 32))
                    .isEqualTo(f.snapshot().tree(Denominations.fromIndex(i)).root());
        }
        assertThat(java.util.Arrays.copyOfRange(roots, 0, 32)).isNotEqualTo(java.util.Arrays.copyOfRange(roots, 32, 64));
    }
}
