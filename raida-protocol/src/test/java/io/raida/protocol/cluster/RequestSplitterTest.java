package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Splitting batches by the body limit, and the payloads of the four commands (auth.md §2). */
class RequestSplitterTest {

    @Test
    void coinsPerRequestFollowTheBodySizeRules() {
        // detect, type 0/1: 18 + 21 n <= 65535
        assertThat(RequestSplitter.coinsPerRequest(21, 0, 18, 65_535)).isEqualTo(3_119);
        // detect, type 4: 34 + 21 n
        assertThat(RequestSplitter.coinsPerRequest(21, 0, 34, 65_535)).isEqualTo(3_119);
        // pown type 0: 18 + 37 n (type 4 gives the same: 65501 / 37)
        assertThat(RequestSplitter.coinsPerRequest(37, 0, 18, 65_535)).isEqualTo(1_770);
        // detect_sum: 18 + 5 n + 16; pown_sum: 18 + 5 n + 32
        assertThat(RequestSplitter.coinsPerRequest(5, 16, 18, 1_000)).isEqualTo(193);
        assertThat(RequestSplitter.coinsPerRequest(5, 32, 18, 1_000)).isEqualTo(190);
        assertThat(RequestSplitter.coinsPerRequest(37, 0, 34, 71)).isEqualTo(1);
        assertThatThrownBy(() -> RequestSplitter.coinsPerRequest(37, 0, 34, 70))
                .hasMessageContaining("cannot hold even one coin (71 bytes needed)");
    }

    @Test
    void splitsEvenlyAndCoversEveryCoin() {
        assertThat(RequestSplitter.split(10, 4)).containsExactly(new int[] {0, 4}, new int[] {4, 7},
                new int[] {7, 10});
        assertThat(RequestSplitter.split(3, 3)).containsExactly(new int[] {0, 3});
        assertThat(RequestSplitter.split(0, 3)).isEmpty();
        List<int[]> big = RequestSplitter.split(7_000, 3_119);
        assertThat(big).hasSize(3);
        assertThat(big.get(2)[1]).isEqualTo(7_000);
    }

    @Test
    void payloadsAreByteExact() {
        List<Coin> coins = List.of(Coin.of(1, 0x01020304L, CoinFileTest.ans(1)), Coin.of(-2, 5, CoinFileTest.ans(2)));
        byte[][][] pans = {CoinAuthenticatorFixture.array(CoinFileTest.ans(3)),
            CoinAuthenticatorFixture.array(CoinFileTest.ans(4))};
        byte[][] deltas = CoinAuthenticatorFixture.array(CoinFileTest.ans(5));
        int raida = 7;
        byte[] detect = CoinAuthenticator.payload(CoinAuthenticator.Command.DETECT, coins, null, null, 0, 2, raida);
        assertThat(detect).hasSize(42);
        assertThat(java.util.Arrays.copyOfRange(detect, 0, 5)).containsExactly(1, 1, 2, 3, 4);
        assertThat(java.util.Arrays.copyOfRange(detect, 5, 21)).isEqualTo(coins.get(0).an(raida));
        assertThat(java.util.Arrays.copyOfRange(detect, 21, 26)).containsExactly(0xFE, 0, 0, 0, 5);
        assertThat(java.util.Arrays.copyOfRange(detect, 26, 42)).isEqualTo(coins.get(1).an(raida));

        byte[] pown = CoinAuthenticator.payload(CoinAuthenticator.Command.POWN, coins, pans, null, 1, 2, raida);
        assertThat(pown).hasSize(37);
        assertThat(java.util.Arrays.copyOfRange(pown, 21, 37)).isEqualTo(pans[1][raida]);

        byte[] sum = CoinAuthenticator.payload(CoinAuthenticator.Command.DETECT_SUM, coins, null, null, 0, 2, raida);
        assertThat(sum).hasSize(26);
        byte[] xor = new byte[16];
        for (int i = 0; i < 16; i++) {
            xor[i] = (byte) (coins.get(0).an(raida)[i] ^ coins.get(1).an(raida)[i]);
        }
        assertThat(java.util.Arrays.copyOfRange(sum, 10, 26)).isEqualTo(xor);

        byte[] pownSum = CoinAuthenticator.payload(CoinAuthenticator.Command.POWN_SUM, coins, pans, deltas, 0, 2,
                raida);
        assertThat(pownSum).hasSize(42);
        assertThat(java.util.Arrays.copyOfRange(pownSum, 10, 26)).isEqualTo(xor);
        assertThat(java.util.Arrays.copyOfRange(pownSum, 26, 42)).isEqualTo(deltas[raida]);
    }

    /** Small helpers shared by the cluster tests. */
    static final class CoinAuthenticatorFixture {
        private CoinAuthenticatorFixture() {
        }

        static byte[][] array(List<byte[]> l) {
            return l.toArray(new byte[0][]);
        }
    }
}
