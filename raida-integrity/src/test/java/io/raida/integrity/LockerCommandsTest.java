package io.raida.integrity;

import static io.raida.integrity.CoinHarness.DEN;
import static io.raida.integrity.CoinHarness.coin;
import static io.raida.integrity.CoinHarness.concat;
import static io.raida.integrity.CoinHarness.filled;
import static io.raida.integrity.CoinHarness.xor;
import static org.assertj.core.api.Assertions.assertThat;

import io.raida.integrity.CoinHarness.Type;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.Crc32;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.cluster.LockerKey;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Group 8 over the page store: each status and layout of lockers.md §2 and the corrections of §7. */
class LockerCommandsTest {
    private static final byte[] NONE = new byte[0];
    private static final byte[] LK = LockerKey.fromTransmitCode("ABC-1234", CoinHarness.RAIDA).bytes();
    private static final byte[] OTHER = LockerKey.fromTransmitCode("XYZ-9876", CoinHarness.RAIDA).bytes();

    private CoinHarness h;

    @BeforeEach
    void open() throws Exception {
        h = CoinHarness.inMemory();
    }

    @AfterEach
    void close() throws Exception {
        if (h != null) {
            h.close();
        }
    }

    private byte[] coins(long... sns) {
        byte[] p = new byte[0];
        for (long sn : sns) {
            p = concat(p, coin(DEN, sn));
        }
        return p;
    }

    private byte[] sum(long... sns) throws Exception {
        byte[] s = new byte[16];
        for (long sn : sns) {
            s = xor(s, h.an(DEN, sn));
        }
        return s;
    }

    private byte[] putPayload(byte[] lk, long... sns) throws Exception {
        return concat(coins(sns), sum(sns), lk);
    }

    /** {@code LK ‖ n × (den ‖ SN ‖ newAN)} with newAN = 16 × (0x40 + SN). */
    private static byte[] removePayload(byte[] lk, long... sns) {
        byte[] p = lk.clone();
        for (long sn : sns) {
            p = concat(p, coin(DEN, sn), newAn(sn));
        }
        return p;
    }

    private static byte[] newAn(long sn) {
        return filled(0x40 + (int) sn);
    }

    private static byte[] peekList(long... sns) {
        byte[] p = new byte[0];
        for (long sn : sns) {
            p = concat(p, coin(DEN, sn));
        }
        return p;
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void putPeekRemove(Type t) throws Exception {
        h.call(t, 8, 83, LK).is(242, NONE);
        h.call(t, 8, 82, putPayload(LK, 5, 3, 4)).is(241, NONE);
        for (long sn : new long[] {3, 4, 5}) {
            assertThat(h.an(DEN, sn)).isEqualTo(LK);
            assertThat(h.mfs(DEN, sn)).isEqualTo(CoinHarness.MFS_NOW);
        }
        // each coin once, ascending den then SN
        h.call(t, 8, 83, LK).is(241, peekList(3, 4, 5));
        // 3 coins (in, out, in) → 243, ⌊3/8⌋ + 1 = 1 bitmap byte 05
        h.call(t, 8, 84, removePayload(LK, 3, 7, 5)).is(243, new byte[] {0x05});
        assertThat(h.an(DEN, 3)).isEqualTo(newAn(3));
        assertThat(h.an(DEN, 5)).isEqualTo(newAn(5));
        assertThat(h.an(DEN, 7)).as("not in the locker: unchanged").isNotEqualTo(newAn(7));
        h.call(t, 8, 83, LK).is(241, peekList(4));
        h.call(t, 8, 84, removePayload(LK, 4)).is(241, new byte[] {0x01});
        // emptied: unknown → 242 without body
        h.call(t, 8, 84, removePayload(LK, 4)).is(242, NONE);
        h.call(t, 8, 83, LK).is(242, NONE);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void removeBitmapIsFloorNOver8PlusOneOnEveryOutcome(Type t) throws Exception {
        long[] eight = {10, 11, 12, 13, 14, 15, 16, 17};
        long[] nine = {20, 21, 22, 23, 24, 25, 26, 27, 28};
        h.call(t, 8, 82, putPayload(LK, eight)).is(241, NONE);
        h.call(t, 8, 82, putPayload(LK, nine)).is(241, NONE);
        // observed on the reference: 8 coins all removed → 241 `FF 00`; again → 242 `00 00` (the locker still has others)
        h.call(t, 8, 84, removePayload(LK, eight)).is(241, new byte[] {(byte) 0xFF, 0x00});
        h.call(t, 8, 84, removePayload(LK, eight)).is(242, new byte[] {0x00, 0x00});
        // 9 coins, the 9th not in the locker → 243 with 2 bytes
        long[] mixed = {20, 21, 22, 23, 24, 25, 26, 27, 90};
        h.call(t, 8, 84, removePayload(LK, mixed)).is(243, new byte[] {(byte) 0xFF, 0x00});
        h.call(t, 8, 84, removePayload(LK, 90, 28)).is(243, new byte[] {0x02});
        h.call(t, 8, 84, removePayload(LK, 28)).is(242, NONE);
    }

    @Test
    void referenceObservationsAsRawType0Bytes() throws Exception {
        long[] eight = {10, 11, 12, 13, 14, 15, 16, 17};
        h.call(Type.T0, 8, 82, putPayload(LK, concat2(eight, 18))).is(241, NONE);
        CoinHarness.Reply r = h.call(Type.T0, 8, 84, removePayload(LK, eight));
        assertThat(r.frame()[2] & 0xFF).isEqualTo(241);
        assertThat(Arrays.copyOfRange(r.frame(), 9, 12)).containsExactly(0, 0, 4);
        assertThat(Arrays.copyOfRange(r.frame(), 32, r.frame().length)).containsExactly(0xFF, 0x00, 0x3E, 0x3E);
        r = h.call(Type.T0, 8, 84, removePayload(LK, eight));
        assertThat(r.frame()[2] & 0xFF).isEqualTo(242);
        assertThat(Arrays.copyOfRange(r.frame(), 32, r.frame().length)).containsExactly(0x00, 0x00, 0x3E, 0x3E);
    }

    private static long[] concat2(long[] a, long b) {
        long[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void putStatuses(Type t) throws Exception {
        byte[] before3 = h.an(DEN, 3);
        // wrong sum → 242
        h.call(t, 8, 82, concat(coins(3, 4), filled(1), LK)).is(242, NONE);
        // right sum, LK not ending FF FF FF FF → 199 (checked after the sum)
        byte[] noTail = LK.clone();
        noTail[15] = 0;
        h.call(t, 8, 82, putPayload(noTail, 3, 4)).is(199, NONE);
        // wrong sum and bad tail → 242: the sum comes first
        h.call(t, 8, 82, concat(coins(3, 4), filled(1), noTail)).is(242, NONE);
        // unknown den/SN → 40
        h.call(t, 8, 82, concat(coins(3, 1024 + 5), sum(3), LK)).is(40, NONE);
        h.call(t, 8, 82, concat(coins(3), coin(7, 3), sum(3), LK)).is(40, NONE);
        h.call(t, 8, 82, concat(coins(3, 5_000_000), sum(3), LK)).is(40, NONE);
        // an unissued coin (MFS 0) never counts, even with its stored AN in the sum (D-57)
        h.call(t, 8, 82, putPayload(LK, 3, 55)).is(242, NONE);
        assertThat(h.mfs(DEN, 55)).isZero();
        assertThat(h.an(DEN, 3)).isEqualTo(before3);
        assertThat(h.mfs(DEN, 3)).isEqualTo(33);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void coinListedTwiceMovesNothing(Type t) throws Exception {
        // [V, V, K] with SU = AN(K): V cancels out of the XOR (D-56)
        byte[] v = h.an(DEN, 8);
        byte[] k = h.an(DEN, 9);
        h.call(t, 8, 82, concat(coins(8, 8, 9), k, LK)).is(198, NONE);
        assertThat(h.an(DEN, 8)).isEqualTo(v);
        assertThat(h.an(DEN, 9)).isEqualTo(k);
        h.call(t, 8, 83, LK).is(242, NONE);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void sizeRules(Type t) throws Exception {
        h.call(t, 8, 82, new byte[36]).is(16, NONE);
        h.call(t, 8, 82, new byte[38]).is(39, NONE);
        h.call(t, 8, 83, new byte[15]).is(16, NONE);
        h.call(t, 8, 83, new byte[17]).is(16, NONE);
        h.call(t, 8, 84, new byte[36]).is(16, NONE);
        h.call(t, 8, 84, new byte[38]).is(39, NONE);
        h.call(t, 8, 84, new byte[16 + 21 * 2 + 5]).is(39, NONE);
    }

    @Test
    void emptyBodyIs36() {
        for (int code : new int[] {82, 83, 84, 88}) {
            h.empty(8, code).is(36, NONE);
        }
    }

    @Test
    void peekOfAKeyWithoutTheLockerTailIsUnknown() throws Exception {
        byte[] an = h.an(DEN, 2); // an ordinary AN names no locker
        h.call(Type.T0, 8, 83, an).is(242, NONE);
        h.call(Type.T0, 8, 84, concat(an, coin(DEN, 2), filled(3))).is(242, NONE);
        assertThat(h.an(DEN, 2)).isEqualTo(an);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void noClawBackAfterTheReceiverPownedOrMovedTheCoins(Type t) throws Exception {
        h.call(t, 8, 82, putPayload(LK, 40, 41, 42)).is(241, NONE);
        // the receiver powns 40 (its AN leaves LK) and moves 41 into another locker
        h.call(t, 1, 20, concat(coin(DEN, 40), LK, filled(0x77))).is(241, NONE);
        h.call(t, 8, 82, concat(coins(41), LK, OTHER)).is(241, NONE);
        h.call(t, 8, 83, LK).is(241, peekList(42));
        h.call(t, 8, 83, OTHER).is(241, peekList(41));
        // the sender's remove takes only what is still in the locker
        h.call(t, 8, 84, removePayload(LK, 40, 41, 42)).is(243, new byte[] {0x04});
        assertThat(h.an(DEN, 40)).isEqualTo(filled(0x77));
        assertThat(h.an(DEN, 41)).isEqualTo(OTHER);
        // once the locker is empty, remove answers 242 without body and changes nothing
        h.call(t, 8, 84, removePayload(LK, 40, 41)).is(242, NONE);
        assertThat(h.an(DEN, 40)).isEqualTo(filled(0x77));
        assertThat(h.an(DEN, 41)).isEqualTo(OTHER);
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void multiLockerPut(Type t) throws Exception {
        // two lockers, the second with a wrong sum → 243 with one bitmap byte 01
        byte[] two = concat(new byte[] {2}, locker(LK, sum(60, 61), 60, 61), locker(OTHER, filled(9), 62));
        h.call(t, 8, 88, two).is(243, new byte[] {0x01});
        assertThat(h.an(DEN, 60)).isEqualTo(LK);
        assertThat(h.an(DEN, 62)).isNotEqualTo(OTHER);
        // all pass → 241; none → 242
        h.call(t, 8, 88, concat(new byte[] {1}, locker(OTHER, sum(62), 62))).is(241, NONE);
        h.call(t, 8, 88, concat(new byte[] {1}, locker(OTHER, filled(9), 63))).is(242, NONE);
        // a locker fails on an unknown coin, a repeated coin, an unissued coin, a bad tail (no 40, 198, 199)
        byte[] noTail = OTHER.clone();
        noTail[12] = 0;
        byte[] failing = concat(new byte[] {5},
                locker(OTHER, sum(63), 63, 1024 + 1).clone(),
                locker(OTHER, sum(64), 64, 65, 65),
                locker(OTHER, xor(sum(66), h.an(DEN, 55)), 66, 55),
                locker(noTail, sum(67), 67),
                locker(OTHER, sum(68), 68));
        h.call(t, 8, 88, failing).is(243, new byte[] {0x10});
        assertThat(h.an(DEN, 64)).isNotEqualTo(OTHER);
        assertThat(h.an(DEN, 67)).isNotEqualTo(noTail);
        h.call(t, 8, 83, OTHER).is(241, peekList(62, 68));
    }

    @ParameterizedTest
    @EnumSource(Type.class)
    void multiLockerFraming(Type t) throws Exception {
        byte[] one = locker(LK, sum(70), 70);
        h.call(t, 8, 88, concat(new byte[] {0}, one)).is(198, NONE);
        h.call(t, 8, 88, new byte[] {1}).is(16, NONE);
        // nl = 2 but only one locker in the body
        h.call(t, 8, 88, concat(new byte[] {2}, one)).is(16, NONE);
        // bytes after the last locker are refused
        h.call(t, 8, 88, concat(new byte[] {1}, one, new byte[] {0})).is(16, NONE);
        // nc larger than the body
        byte[] lying = one.clone();
        lying[1] = 2;
        h.call(t, 8, 88, concat(new byte[] {1}, lying)).is(16, NONE);
        // a locker with nc = 0 fails
        byte[] zero = concat(new byte[] {0, 0}, sum(70), LK);
        h.call(t, 8, 88, concat(new byte[] {2}, zero, one, filled(0))).is(16, NONE);
        h.call(t, 8, 88, concat(new byte[] {2}, one, zero, new byte[5])).is(16, NONE);
        assertThat(h.an(DEN, 70)).isNotEqualTo(LK);
        h.call(t, 8, 88, concat(new byte[] {2}, zero, locker(LK, sum(70, 71), 70, 71))).is(243, new byte[] {0x02});
        assertThat(h.an(DEN, 70)).isEqualTo(LK);
    }

    /** {@code nc(2) ‖ coins ‖ SU ‖ LK}. */
    private byte[] locker(byte[] lk, byte[] su, long... sns) {
        byte[] nc = new byte[2];
        Bytes.putU16(nc, 0, sns.length);
        return concat(nc, coins(sns), su, lk);
    }

    @Test
    void nineLockersNeedTwoBitmapBytes() throws Exception {
        byte[] p = new byte[] {9};
        for (long sn = 80; sn < 89; sn++) {
            p = concat(p, locker(LK, sn == 88 ? sum(sn) : filled(1), sn));
        }
        h.call(Type.T0, 8, 88, p).is(243, new byte[] {0x00, 0x01});
    }

    @Test
    void type2PeekAndRemoveFindTheLockerKey() throws Exception {
        h.call(Type.T0, 8, 82, putPayload(LK, 90, 91)).is(241, NONE);
        ClientRequest peek = RequestBuilder.command(CoinHarness.RAIDA, 8, 83).payload(LK).encryptWithLocker(LK).build();
        RaidaResponse r = ResponseParser.parse(peek, h.core.answer(peek.frame(), Transport.TCP));
        assertThat(r.status()).isEqualTo(241);
        assertThat(r.payload()).isEqualTo(peekList(90, 91));
        ClientRequest remove = RequestBuilder.command(CoinHarness.RAIDA, 8, 84).payload(removePayload(LK, 90, 91))
                .encryptWithLocker(LK).build();
        r = ResponseParser.parse(remove, h.core.answer(remove.frame(), Transport.TCP));
        assertThat(r.status()).isEqualTo(241);
        assertThat(r.payload()).containsExactly(0x03);
        assertThat(h.an(DEN, 91)).isEqualTo(newAn(91));
    }

    @Test
    void workedPeekExampleOfTheSpec() throws Exception {
        // lockers.md §2: type-0 peek at RAIDA 0 for ABC-1234 (coin id 6, echo AB CD)
        byte[] lk0 = LockerKey.fromTransmitCode("ABC-1234", 0).bytes();
        ServerCore raida0 = ServerCore.builder().raidaId(0).build();
        h.coins.install(raida0);
        ClientRequest put = RequestBuilder.command(0, 8, 82).payload(putPayload(lk0, 3, 4)).build();
        assertThat(raida0.answer(put.frame(), Transport.TCP)[2] & 0xFF).isEqualTo(241);
        byte[] header = Bytes.fromHex(
                "01000000085300060000000000000000" + "0000000000000022000000000000ABCD");
        byte[] challenge = new byte[16];
        new java.security.SecureRandom().nextBytes(challenge);
        Crc32.sealChallenge(challenge, 0);
        byte[] frame = concat(header, challenge, lk0, new byte[] {0x3E, 0x3E});
        assertThat(frame).hasSize(32 + 34);
        byte[] reply = raida0.answer(frame, Transport.TCP);
        assertThat(reply[0]).isEqualTo((byte) 0);
        assertThat(reply[2] & 0xFF).isEqualTo(241);
        assertThat(Arrays.copyOfRange(reply, 6, 8)).containsExactly(0xAB, 0xCD);
        assertThat(Arrays.copyOfRange(reply, 16, 32)).isEqualTo(challenge);
        assertThat(Arrays.copyOfRange(reply, 32, reply.length)).isEqualTo(concat(peekList(3, 4), new byte[] {0x3E, 0x3E}));
    }

    @Test
    void lockersSurviveARestart(@TempDir Path dir) throws Exception {
        h.close();
        h = null;
        FilePageStore first = FilePageStore.open(dir);
        CoinHarness.seed(first);
        try (CoinHarness a = new CoinHarness(first)) {
            a.call(Type.T0, 8, 82, concat(coin(DEN, 6), coin(DEN, 2), xor(a.an(DEN, 6), a.an(DEN, 2)), LK)).is(241, NONE);
            assertThat(a.coins.lockerCount()).isEqualTo(1);
        }
        // a new store instance on the same directory: the index is rebuilt from the pages (D-53)
        try (CoinHarness b = new CoinHarness(FilePageStore.open(dir))) {
            assertThat(b.coins.lockerCount()).isEqualTo(1);
            b.call(Type.T0, 8, 83, LK).is(241, concat(coin(DEN, 2), coin(DEN, 6)));
            b.call(Type.T0, 8, 84, concat(LK, coin(DEN, 2), filled(0x21), coin(DEN, 6), filled(0x22))).is(241,
                    new byte[] {0x03});
            assertThat(b.an(DEN, 6)).isEqualTo(filled(0x22));
            assertThat(b.coins.lockerCount()).isZero();
        }
        try (CoinHarness c = new CoinHarness(FilePageStore.open(dir))) {
            c.call(Type.T0, 8, 83, LK).is(242, NONE);
            assertThat(c.an(DEN, 2)).isEqualTo(filled(0x21));
            assertThat(c.mfs(DEN, 2)).isEqualTo(CoinHarness.MFS_NOW);
        }
    }

    @Test
    void theIndexFollowsPagesWrittenByOthers() throws Exception {
        // integrity healing replaces whole pages: a page arriving with locker coins makes the locker known
        byte[] page = new byte[PageStore.PAGE_SIZE];
        h.store.readPage(DEN, 0, page);
        System.arraycopy(LK, 0, page, 95 * 17, 16);
        h.store.writePage(DEN, 0, page);
        h.call(Type.T0, 8, 83, LK).is(241, peekList(95));
        page[95 * 17 + 16] = 0; // unissued: not in any locker
        h.store.writePage(DEN, 0, page);
        h.call(Type.T0, 8, 83, LK).is(242, NONE);
        // with another coin in the locker, remove leaves the unissued record alone (bit clear, D-57)
        h.call(Type.T0, 8, 82, putPayload(LK, 96)).is(241, NONE);
        h.call(Type.T0, 8, 84, removePayload(LK, 95, 96)).is(243, new byte[] {0x02});
        assertThat(h.an(DEN, 95)).isEqualTo(LK);
        assertThat(h.mfs(DEN, 95)).isZero();
    }
}
