package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.internal.Bytes;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every test vector of integrity.md §4, computed through a page store and the forest. */
class MerkleTreeVectorsTest {
    private static final String EMPTY_LEAF = "4fe7b59af6de3b665b67788cc2f99892ab827efae3a467342b3bb4e3bc8e5bfe";
    private static final String ROOT_ALL_UNISSUED = "c8d2a90e63fef3657908231f1006c64a5c2af966460d3e7af193f3369c442c77";
    private static final String ROOT_ALL_MISSING = "ffff0ad7e659772f9534c195c815efc4014ef1e1daed4404c06385d11192e92b";
    private static final String LEAF_RECORD5 = "60718f36dbfea5dff296427ae511256f6a29164466102e7eac20b96fea1f513e";
    private static final String ROOT_RECORD5 = "a9c265ead25b1e716240fa51b019f292dcc5b263e2e1a4d2396ecd3df653def3";

    private static MerkleTree build(InMemoryPageStore store, int den) {
        MerkleForest f = new MerkleForest(store, new IntegrityMetrics(), 2);
        f.rebuild();
        return f.snapshot().tree(den);
    }

    @Test
    void leafOfAPageWithNothingIssued() {
        // whatever the ANs: MFS 0 records hash as zeros
        assertThat(Bytes.hex(MerkleTree.leafHash(TestPages.unissued(1)))).isEqualTo(EMPTY_LEAF);
        assertThat(Bytes.hex(MerkleTree.leafHash(new byte[PageStore.PAGE_SIZE]))).isEqualTo(EMPTY_LEAF);
        assertThat(MerkleTree.leafHash(null)).isEqualTo(new byte[32]);
    }

    @Test
    void rootWithAllPagesPresentAndNothingIssued() {
        InMemoryPageStore s = new InMemoryPageStore();
        for (int p = 0; p < 1000; p++) {
            s.writePage(3, p, TestPages.unissued(p));
        }
        MerkleTree t = build(s, 3);
        assertThat(Bytes.hex(t.root())).isEqualTo(ROOT_ALL_UNISSUED);
        assertThat(Bytes.hex(t.node(0, 999))).isEqualTo(EMPTY_LEAF);
    }

    @Test
    void rootWithAllPagesMissing() {
        MerkleTree t = build(new InMemoryPageStore(), -8);
        assertThat(Bytes.hex(t.root())).isEqualTo(ROOT_ALL_MISSING);
        assertThat(t.node(0, 0)).isEqualTo(new byte[32]);
    }

    @Test
    void pageZeroWithOnlyRecordFiveIssued() {
        InMemoryPageStore s = new InMemoryPageStore();
        for (int p = 1; p < 1000; p++) {
            s.writePage(0, p, TestPages.unissued(p));
        }
        byte[] page0 = TestPages.unissued(12345);
        for (int i = 0; i < 16; i++) {
            page0[5 * 17 + i] = (byte) i;
        }
        page0[5 * 17 + 16] = 7;
        s.writePage(0, 0, page0);
        assertThat(Bytes.hex(MerkleTree.leafHash(page0))).isEqualTo(LEAF_RECORD5);
        MerkleTree t = build(s, 0);
        assertThat(Bytes.hex(t.node(0, 0))).isEqualTo(LEAF_RECORD5);
        assertThat(Bytes.hex(t.root())).isEqualTo(ROOT_RECORD5);
    }

    @Test
    void theMfsValueItselfIsNotHashed() {
        byte[] a = TestPages.issued(9, 0, 1023);
        byte[] b = a.clone();
        b[1023 * 17 + 16] = (byte) 200;
        assertThat(MerkleTree.leafHash(a)).isEqualTo(MerkleTree.leafHash(b)).isNotEqualTo(MerkleTree.leafHash(
                TestPages.issued(9, 0)));
    }

    @Test
    void shapeElevenLevelsOddNodePairedWithItself() throws Exception {
        int[] expected = {1000, 500, 250, 125, 63, 32, 16, 8, 4, 2, 1};
        for (int l = 0; l < 11; l++) {
            assertThat(MerkleTree.width(l)).isEqualTo(expected[l]);
        }
        InMemoryPageStore s = new InMemoryPageStore();
        s.writePage(1, 999, TestPages.issued(4, 3));
        MerkleTree t = build(s, 1);
        // level 3 has 125 nodes: node (4, 62) = SHA(node(3,124) || node(3,124))
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(t.node(3, 124));
        sha.update(t.node(3, 124));
        assertThat(sha.digest()).isEqualTo(t.node(4, 62));
        assertThat(MerkleTree.parent(t.node(9, 0), t.node(9, 1))).isEqualTo(t.root());
        assertThat(MerkleTree.isNode(11, 0)).isFalse();
        assertThat(MerkleTree.isNode(0, 1000)).isFalse();
        assertThat(MerkleTree.isNode(10, 0)).isTrue();
    }

    @Test
    void leafHashDoesNotModifyItsInput() {
        byte[] p = TestPages.issued(5, 1, 2, 3);
        byte[] copy = p.clone();
        MerkleTree.leafHash(p);
        assertThat(Arrays.equals(p, copy)).isTrue();
    }
}
