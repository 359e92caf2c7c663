package io.raida.integrity;

import static io.raida.integrity.CoinHarness.DEN;
import static io.raida.integrity.CoinHarness.coin;
import static io.raida.integrity.CoinHarness.concat;
import static io.raida.integrity.CoinHarness.filled;
import static io.raida.integrity.CoinHarness.xor;
import static org.assertj.core.api.Assertions.assertThat;

import io.raida.integrity.CoinHarness.Type;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Group 1 over the page store: every status and bitmap case of auth.md §2, for types 0, 1 and 4. */
class AuthCommandsTest {
    private static final byte[] NONE = new byte[0];
    private static final int ABSENT_SN = 1024 + 3; // page 1 of denomination 1 does not exist
    private static final int UNISSUED_SN = 55;

    private CoinHarness h;

    @BeforeEach
    void open() throws Exception {
        h = CoinHarness.inMemory();
    }

    @AfterEach
    void close() throws Exception {
        h.close();
    }

    /** {@code den ‖ SN ‖ AN} per coin: the stored AN for SNs in {@code good}, a wrong one otherwise. */
    private byte[] detectPayload(List<Long> sns, List<Long> good) throws Exception {
        byte[] p = new byte[0];
        for (long sn : sns) {
            byte[] an = good.contains(sn) ? h.an(DEN, sn) : filled(0x5A);
            p = concat(p, coin(DEN, sn), an);
        }
        return p;
    }

    private static List<Long> range(long from, long count) {
        return java.util.stream.LongStream.range(from, from + count).boxed().toList();
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void detectAllPassAllFailAndMixedBitmaps(Type t) throws Exception {
        List<Long> eight = range(0, 8);
        h.call(t, 1, 10, detectPayload(eight, eight)).is(241, NONE);
        h.call(t, 1, 10, detectPayload(eight, List.of())).is(242, NONE);
        // 8 coins: one bitmap byte; coins 0, 2, 7 pass → bits 0, 2, 7
        h.call(t, 1, 10, detectPayload(eight, List.of(0L, 2L, 7L))).is(243, new byte[] {(byte) 0x85});
        // 9 coins: two bytes; only coin 8 passes → 00 01
        List<Long> nine = range(0, 9);
        h.call(t, 1, 10, detectPayload(nine, List.of(8L))).is(243, new byte[] {0x00, 0x01});
        // 9 coins, all but coin 8 pass → FF 00
        h.call(t, 1, 10, detectPayload(nine, range(0, 8))).is(243, new byte[] {(byte) 0xFF, 0x00});
        h.call(t, 1, 10, detectPayload(List.of(3L), List.of(3L))).is(241, NONE);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void detectCountsCoinsWithoutRecordAsFailed(Type t) throws Exception {
        byte[] unissuedAn = h.an(DEN, UNISSUED_SN); // the right bytes, but the record has MFS 0 (D-57)
        byte[] p = concat(coin(DEN, 1), h.an(DEN, 1),
                coin(DEN, ABSENT_SN), filled(0),
                coin(DEN, UNISSUED_SN), unissuedAn,
                coin(7, 1), h.an(DEN, 1), // denomination 7 does not exist
                coin(DEN, 2_000_000), filled(0), // SN beyond 1 023 999
                coin(DEN, 2), h.an(DEN, 2));
        h.call(t, 1, 10, p).is(243, new byte[] {0b0010_0001});
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void sizeRulesOfAllFourCommands(Type t) throws Exception {
        // too short → 16, not whole records → 39
        h.call(t, 1, 10, new byte[20]).is(16, NONE);
        h.call(t, 1, 10, new byte[22]).is(39, NONE);
        h.call(t, 1, 10, new byte[41]).is(39, NONE);
        h.call(t, 1, 11, new byte[20]).is(16, NONE);
        h.call(t, 1, 11, new byte[22]).is(39, NONE);
        h.call(t, 1, 20, new byte[36]).is(16, NONE);
        h.call(t, 1, 20, new byte[38]).is(39, NONE);
        h.call(t, 1, 20, new byte[37 * 2 + 1]).is(39, NONE);
        h.call(t, 1, 21, new byte[36]).is(16, NONE);
        h.call(t, 1, 21, new byte[38]).is(39, NONE);
    }

    @Test
    void emptyBodyIs36() {
        for (int code : new int[] {10, 11, 20, 21}) {
            h.empty(1, code).is(36, NONE);
        }
    }

    @Test
    void legacyShardsAre48AndShard3IsOwnRecords() throws Exception {
        byte[] p = detectPayload(List.of(4L), List.of(4L));
        h.call(Type.T0, 1, 10, p, 1).is(48, NONE);
        h.call(Type.T0, 1, 10, p, 2).is(48, NONE);
        h.call(Type.T0, 1, 20, concat(p, filled(1)), 1).is(48, NONE);
        h.call(Type.T0, 1, 10, p, 3).is(241, NONE);
        h.call(Type.T0, 1, 10, p, 0).is(241, NONE);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void detectSum(Type t) throws Exception {
        byte[] coins = concat(coin(DEN, 1), coin(DEN, 2), coin(DEN, 3));
        byte[] sum = xor(h.an(DEN, 1), h.an(DEN, 2), h.an(DEN, 3));
        h.call(t, 1, 11, concat(coins, sum)).is(241, NONE);
        h.call(t, 1, 11, concat(coins, filled(9))).is(242, NONE);
        h.call(t, 1, 11, concat(coin(DEN, 1), h.an(DEN, 1))).is(241, NONE);
        // a den/SN that names no record → 40
        h.call(t, 1, 11, concat(coins, coin(DEN, ABSENT_SN), sum)).is(40, NONE);
        h.call(t, 1, 11, concat(coins, coin(-9, 1), sum)).is(40, NONE);
        h.call(t, 1, 11, concat(coins, coin(DEN, 1_024_000), sum)).is(40, NONE);
        // an unissued record fails even with its stored AN in the sum (D-57)
        h.call(t, 1, 11, concat(coins, coin(DEN, UNISSUED_SN), xor(sum, h.an(DEN, UNISSUED_SN)))).is(242, NONE);
        // a repeated coin cancels out of the XOR: refused
        h.call(t, 1, 11, concat(coins, coin(DEN, 9), coin(DEN, 9), sum)).is(198, NONE);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void pownSetsPanAndMfsOfPassingCoinsOnly(Type t) throws Exception {
        byte[] old0 = h.an(DEN, 10);
        byte[] old1 = h.an(DEN, 11);
        byte[] old2 = h.an(DEN, 12);
        byte[] p = concat(coin(DEN, 10), old0, filled(0xA0),
                coin(DEN, 11), filled(0x33), filled(0xA1),
                coin(DEN, 12), old2, filled(0xA2));
        h.call(t, 1, 20, p).is(243, new byte[] {0b101});
        assertThat(h.an(DEN, 10)).isEqualTo(filled(0xA0));
        assertThat(h.mfs(DEN, 10)).isEqualTo(CoinHarness.MFS_NOW);
        assertThat(h.an(DEN, 11)).isEqualTo(old1);
        assertThat(h.mfs(DEN, 11)).isEqualTo(33);
        assertThat(h.an(DEN, 12)).isEqualTo(filled(0xA2));
        // the same request again: the old ANs fail everywhere
        h.call(t, 1, 20, p).is(242, NONE);
        // with the new ANs: all pass
        byte[] back = concat(coin(DEN, 10), filled(0xA0), old0, coin(DEN, 12), filled(0xA2), old2);
        h.call(t, 1, 20, back).is(241, NONE);
        assertThat(h.an(DEN, 10)).isEqualTo(old0);
        assertThat(h.an(DEN, 12)).isEqualTo(old2);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void pownBitmapEdgesAndCoinsWithoutRecord(Type t) throws Exception {
        byte[] p = new byte[0];
        for (long sn = 20; sn < 29; sn++) { // 9 coins, only the 9th passes
            byte[] an = sn == 28 ? h.an(DEN, sn) : filled(1);
            p = concat(p, coin(DEN, sn), an, filled(0x70));
        }
        h.call(t, 1, 20, p).is(243, new byte[] {0, 1});
        assertThat(h.an(DEN, 28)).isEqualTo(filled(0x70));
        byte[] unissuedAn = h.an(DEN, UNISSUED_SN);
        byte[] q = concat(coin(DEN, ABSENT_SN), filled(0), filled(2),
                coin(DEN, UNISSUED_SN), unissuedAn, filled(2));
        h.call(t, 1, 20, q).is(242, NONE);
        assertThat(h.an(DEN, UNISSUED_SN)).as("an unissued record is never revived").isEqualTo(unissuedAn);
        assertThat(h.mfs(DEN, UNISSUED_SN)).isZero();
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void pownSum(Type t) throws Exception {
        byte[] a = h.an(DEN, 30);
        byte[] b = h.an(DEN, 31);
        byte[] c = h.an(DEN, 32);
        byte[] coins = concat(coin(DEN, 30), coin(DEN, 31), coin(DEN, 32));
        byte[] sum = xor(a, b, c);
        byte[] delta = filled(0x0F);
        h.call(t, 1, 21, concat(coins, filled(0), delta)).is(242, NONE);
        assertThat(h.an(DEN, 30)).isEqualTo(a);
        h.call(t, 1, 21, concat(coins, sum, delta)).is(241, NONE);
        assertThat(h.an(DEN, 30)).isEqualTo(xor(a, delta));
        assertThat(h.an(DEN, 31)).isEqualTo(xor(b, delta));
        assertThat(h.an(DEN, 32)).isEqualTo(xor(c, delta));
        assertThat(h.mfs(DEN, 31)).isEqualTo(CoinHarness.MFS_NOW);
        // three deltas do not cancel: the old sum no longer matches, the new one does
        h.call(t, 1, 21, concat(coins, sum, delta)).is(242, NONE);
        h.call(t, 1, 11, concat(coins, xor(sum, delta))).is(241, NONE);
        h.call(t, 1, 21, concat(coins, coin(DEN, ABSENT_SN), sum, delta)).is(40, NONE);
        // [30, 30, 31] with the XOR of 31 alone would change 30 without proving its AN (D-56)
        h.call(t, 1, 21, concat(coin(DEN, 30), coin(DEN, 30), coin(DEN, 31), xor(b, delta), delta)).is(198, NONE);
        assertThat(h.an(DEN, 30)).isEqualTo(xor(a, delta));
        // an unissued coin in the list fails the sum and nothing changes
        byte[] u = h.an(DEN, UNISSUED_SN);
        h.call(t, 1, 21, concat(coin(DEN, 33), coin(DEN, UNISSUED_SN), xor(h.an(DEN, 33), u), delta)).is(242, NONE);
        assertThat(h.an(DEN, UNISSUED_SN)).isEqualTo(u);
    }

    @Test
    void pownMarksTheMerkleTreesDirty() throws Exception {
        MerkleForest forest = new MerkleForest(h.store, new IntegrityMetrics(), 1);
        forest.rebuild();
        byte[] roots = forest.rootsVector();
        assertThat(forest.rebuild()).isEmpty();
        h.call(Type.T0, 1, 20, concat(coin(DEN, 40), h.an(DEN, 40), filled(0x44))).is(241, NONE);
        assertThat(forest.rebuild()).containsExactly(DEN);
        assertThat(forest.rootsVector()).isNotEqualTo(roots);
        assertThat(forest.snapshot().tree(DEN).node(0, 0)).isEqualTo(MerkleTree.currentLeaf(h.store, DEN, 0));
        h.store.removeListener(forest);
    }
}
