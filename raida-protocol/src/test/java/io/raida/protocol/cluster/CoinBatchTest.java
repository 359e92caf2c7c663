package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.internal.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The pieces the batch commands share: waiting for every request, checks of the input, the record layouts. */
class CoinBatchTest {

    private static Coin coin(int den, long sn, int fill) {
        List<byte[]> ans = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            byte[] an = new byte[16];
            Arrays.fill(an, (byte) (fill + i));
            ans.add(an);
        }
        return Coin.of(den, sn, ans);
    }

    @Test
    void allCompletesInOrderAndCancellingItCancelsEveryPart() {
        CompletableFuture<Integer> a = new CompletableFuture<>();
        CompletableFuture<Integer> b = new CompletableFuture<>();
        CompletableFuture<Integer> sum = CoinBatch.all(List.of(a, b), l -> l.get(0) * 10 + l.get(1));
        b.complete(2);
        assertThat(sum).isNotDone();
        a.complete(1);
        assertThat(sum.join()).isEqualTo(12);

        CompletableFuture<Integer> c = new CompletableFuture<>();
        CompletableFuture<Integer> d = new CompletableFuture<>();
        CompletableFuture<List<Integer>> both = CoinBatch.all(List.of(c, d), l -> l);
        both.cancel(false);
        assertThat(c).isCancelled();
        assertThat(d).isCancelled();
    }

    @Test
    void inputChecksSayWhatIsWrong() {
        assertThatThrownBy(() -> CoinBatch.requireCoins(List.of(), "no coins given"))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no coins given");
        assertThatThrownBy(() -> CoinBatch.requireCoins(Arrays.asList(coin(1, 1, 0), null), "none"))
                .isInstanceOf(NullPointerException.class).hasMessage("coin");
        assertThatThrownBy(() -> CoinBatch.copyPans(2, List.of(coin(1, 1, 0).ans())))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("2 coins but 1 PAN sets");
        byte[][][] pans = CoinBatch.copyPans(1, List.of(coin(1, 1, 7).ans()));
        assertThat(pans[0][24][0]).isEqualTo((byte) 31);
    }

    @Test
    void recordsAreDenominationThenBigEndianSerialAndSumsXorTheAns() {
        byte[] p = new byte[10];
        int o = CoinRecords.writeCoin(p, 0, coin(-2, 0xDEADBEEFL, 0));
        o = CoinRecords.writeCoin(p, o, coin(1, 7, 0));
        assertThat(o).isEqualTo(10);
        assertThat(Bytes.hex(p, 0, 10)).isEqualTo("fedeadbeef0100000007");
        assertThat(LockerCoin.read(p, 0)).isEqualTo(new LockerCoin(-2, 0xDEADBEEFL));
        assertThat(Bytes.u32(p, 1)).isEqualTo(0xDEADBEEFL);
        byte[] sum = CoinRecords.sum(List.of(coin(1, 1, 0x10), coin(1, 2, 0x01)), 0, 2, 3);
        assertThat(Bytes.hex(sum, 0, 16)).isEqualTo("17".repeat(16)); // 0x13 ^ 0x04
        assertThat(CoinRecords.xor(sum, sum)).containsOnly(0);
    }
}
