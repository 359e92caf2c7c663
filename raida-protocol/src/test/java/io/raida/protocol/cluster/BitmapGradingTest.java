package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import io.raida.protocol.transport.TransportTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The replies of auth.md §2 as the client reads them, through a real server core in memory: the
 * statuses and bitmaps of the in-test handlers (8 and 9 coins for the bitmap edge), the letters
 * the client takes from them, and the checks that reject a reply that does not fit.
 */
class BitmapGradingTest {
    private static final int RAIDA = 4;

    private final InMemoryGroup1 store = new InMemoryGroup1(false, new CountDownLatch(0));
    private final ServerCore core = ServerCore.builder().raidaId(RAIDA).coinId(6).build();

    BitmapGradingTest() {
        store.register(core.registry());
    }

    private List<Coin> coins(int n) {
        List<Coin> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            List<byte[]> ans = new ArrayList<>();
            for (int r = 0; r < 25; r++) {
                ans.add(TransportTestSupport.randomBytes(16));
            }
            l.add(Coin.of(2, 900 + i, ans));
        }
        return l;
    }

    private RaidaResponse detect(List<Coin> coins) {
        byte[] payload = CoinAuthenticator.payload(CoinAuthenticator.Command.DETECT, coins, null, null, 0,
                coins.size(), RAIDA);
        ClientRequest req = RequestBuilder.command(RAIDA, 1, 10).payload(payload).build();
        return ResponseParser.parse(req, core.answer(req.frame(), Transport.UDP));
    }

    private static RaidaOutcome outcome(RaidaResponse r) {
        return new RaidaOutcome(RAIDA, RaidaOutcome.Kind.STATUS, r, Transport.UDP, 1, Duration.ZERO, "");
    }

    @Test
    void nineCoinsGiveATwoByteBitmapLeastSignificantBitFirst() {
        List<Coin> coins = coins(9);
        for (int i : new int[] {0, 3, 8}) { // stored: the rest are unknown serial numbers
            store.put(2, 900 + i, coins.get(i).an(RAIDA));
        }
        RaidaResponse r = detect(coins);
        assertThat(r.status()).isEqualTo(243);
        assertThat(r.payload()).containsExactly(0b0000_1001, 0b0000_0001);
        assertThat(CoinAuthenticator.plausible(r, 9, CoinAuthenticator.Command.DETECT)).isTrue();
        assertThat(new String(CoinAuthenticator.letters(outcome(r), 9, CoinAuthenticator.Command.DETECT)))
                .isEqualTo("pffpffffp");
        // the same bitmap cannot answer 8 coins (bit 8 names a coin not sent) nor a sum command
        assertThat(CoinAuthenticator.plausible(r, 8, CoinAuthenticator.Command.DETECT)).isFalse();
        assertThat(CoinAuthenticator.plausible(r, 9, CoinAuthenticator.Command.DETECT_SUM)).isFalse();
    }

    @Test
    void eightCoinsFitOneByteAndAllOrNoneAreStatusesWithoutBody() {
        List<Coin> coins = coins(8);
        store.put(2, 907, coins.get(7).an(RAIDA));
        RaidaResponse mixed = detect(coins);
        assertThat(mixed.status()).isEqualTo(243);
        assertThat(mixed.payload()).containsExactly(0x80);
        for (Coin c : coins) {
            store.put(2, c.serialNumber(), c.an(RAIDA));
        }
        RaidaResponse all = detect(coins);
        assertThat(all.status()).isEqualTo(241);
        assertThat(all.payload()).isEmpty();
        assertThat(new String(CoinAuthenticator.letters(outcome(all), 8, CoinAuthenticator.Command.DETECT)))
                .isEqualTo("pppppppp");
        RaidaResponse none = detect(coins(8));
        assertThat(none.status()).isEqualTo(242);
        assertThat(new String(CoinAuthenticator.letters(outcome(none), 8, CoinAuthenticator.Command.DETECT)))
                .isEqualTo("ffffffff");
    }

    @Test
    void lengthErrorsAndUnknownSerialsOfTheSums() {
        // 20 payload bytes: too short (16); 22: not whole records (39)
        ClientRequest shortReq = RequestBuilder.command(RAIDA, 1, 10).payload(new byte[20]).build();
        assertThat(ResponseParser.parse(shortReq, core.answer(shortReq.frame(), Transport.UDP)).status())
                .isEqualTo(16);
        ClientRequest odd = RequestBuilder.command(RAIDA, 1, 10).payload(new byte[22]).build();
        assertThat(ResponseParser.parse(odd, core.answer(odd.frame(), Transport.UDP)).status()).isEqualTo(39);
        List<Coin> coins = coins(2);
        byte[] sum = CoinAuthenticator.payload(CoinAuthenticator.Command.DETECT_SUM, coins, null, null, 0, 2, RAIDA);
        ClientRequest req = RequestBuilder.command(RAIDA, 1, 11).payload(sum).build();
        RaidaResponse r = ResponseParser.parse(req, core.answer(req.frame(), Transport.UDP));
        assertThat(r.status()).isEqualTo(40);
        assertThat(new String(CoinAuthenticator.letters(outcome(r), 2, CoinAuthenticator.Command.DETECT_SUM)))
                .isEqualTo("ee");
        Map<Integer, RaidaOutcome> finished = new HashMap<>();
        for (int i = 0; i < 13; i++) {
            finished.put(i, new RaidaOutcome(i, RaidaOutcome.Kind.STATUS, r, Transport.UDP, 1, Duration.ZERO, ""));
        }
        // 13 errors: neither 13 passes nor 13 fails can follow, limbo is decided
        assertThat(CoinAuthenticator.gradesDecided(finished, 2, CoinAuthenticator.Command.DETECT_SUM)).isTrue();
        finished.remove(12);
        assertThat(CoinAuthenticator.gradesDecided(finished, 2, CoinAuthenticator.Command.DETECT_SUM)).isFalse();
    }
}
