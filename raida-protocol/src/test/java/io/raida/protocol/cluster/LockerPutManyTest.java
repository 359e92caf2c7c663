package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.internal.Bytes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How store_multiple_sum (8/88) packs lockers into requests and lays one out (lockers.md §3). */
class LockerPutManyTest {

    private static Coin coin(long sn) {
        List<byte[]> ans = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            byte[] an = new byte[16];
            an[15] = (byte) (sn + i);
            ans.add(an);
        }
        return Coin.of(1, sn, ans);
    }

    private static LockerPutMany.Locker locker(String code, int coins, long firstSn) {
        List<Coin> list = new ArrayList<>();
        for (int i = 0; i < coins; i++) {
            list.add(coin(firstSn + i));
        }
        return new LockerPutMany.Locker(LockerFiles.keys(code), list);
    }

    @Test
    void lockersArePackedInOrderUntilTheBodyOrTheLockerCountIsFull() {
        // each locker of one coin takes 2 + 5 + 32 = 39 bytes; budget = 200 − 18 − 1 = 181: four fit
        List<LockerPutMany.Locker> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(locker("ABC-" + (1000 + i), 1, i));
        }
        List<List<LockerPutMany.Locker>> groups = LockerPutMany.pack(all, 200, 18);
        assertThat(groups).extracting(List::size).containsExactly(4, 2);
        assertThat(groups.get(1).get(0)).isSameAs(all.get(4));

        List<LockerPutMany.Locker> many = Collections.nCopies(300, all.get(0));
        assertThat(LockerPutMany.pack(many, 65_535, 18)).extracting(List::size).containsExactly(255, 45);

        assertThatThrownBy(() -> LockerPutMany.pack(List.of(locker("ABC-2000", 5, 0)), 60, 18))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("locker 1 (5 coins) does not fit one request of 60 bytes");
    }

    @Test
    void payloadIsLockerCountThenPerLockerCountCoinsSumAndKey() {
        LockerPutMany.Locker a = locker("ABC-1234", 2, 7);
        LockerPutMany.Locker b = locker("XYZ-9876", 1, 9);
        byte[] p = LockerPutMany.payload(List.of(a, b), 3);
        assertThat(p).hasSize(1 + a.size() + b.size());
        assertThat(p[0]).isEqualTo((byte) 2);
        assertThat(Bytes.hex(p, 1, 2)).isEqualTo("0002");
        assertThat(Bytes.hex(p, 3, 10)).isEqualTo("01000000070100000008");
        // SU: the XOR of the two coins' ANs for RAIDA 3 (last bytes 7+3 and 8+3)
        assertThat(p[13 + 15]).isEqualTo((byte) (10 ^ 11));
        assertThat(Bytes.hex(p, 29, 16)).isEqualTo(Bytes.hex(a.keys()[3], 0, 16));
        assertThat(Bytes.hex(p, 45, 2)).isEqualTo("0001");
        assertThat(Bytes.hex(p, 47 + 5 + 16, 16)).isEqualTo(Bytes.hex(b.keys()[3], 0, 16));
    }
}
