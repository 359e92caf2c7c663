package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.ResponseHeader;
import io.raida.protocol.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The request bodies and the reading of the replies of {@link LockerClient}, byte by byte
 * (lockers.md §2, healing.md §2 find); the 25-RAIDA round trips over real servers are in
 * raida-integrity's {@code AbstractLockerClusterTest}.
 */
class LockerClientTest {
    /** LK_0 of "ABC-1234" (lockers.md §1 worked example). */
    private static final byte[] LK0 = hex("D21FB1D3356A62E770CA4E40FFFFFFFF");

    private static byte[] hex(String h) {
        byte[] b = new byte[h.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    private static byte[] filled(int v) {
        byte[] b = new byte[16];
        Arrays.fill(b, (byte) v);
        return b;
    }

    /** A coin whose AN on every RAIDA i is 16 × (seed + i). */
    private static Coin coin(int den, long sn, int seed) {
        List<byte[]> ans = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            ans.add(filled(seed + i));
        }
        return Coin.of(den, sn, ans);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }

    private static byte[][] keys(String code) {
        byte[][] k = new byte[25][];
        for (int i = 0; i < 25; i++) {
            k[i] = LockerKey.fromTransmitCode(code, i).bytes();
        }
        return k;
    }

    private static RaidaOutcome afterAttempts(int attempts, int status, int... body) {
        byte[] payload = new byte[body.length];
        for (int i = 0; i < body.length; i++) {
            payload[i] = (byte) body[i];
        }
        ResponseHeader h = ResponseHeader.legacy(0, status, 8, 0, body.length == 0 ? 0 : body.length + 2, 0,
                new byte[16]);
        return new RaidaOutcome(0, RaidaOutcome.Kind.STATUS, new RaidaResponse(h, payload), Transport.UDP, attempts,
                Duration.ZERO, "");
    }

    private static RaidaOutcome reply(int status, int... body) {
        return afterAttempts(1, status, body);
    }

    @Test
    void putBodyIsCoinsThenTheSumOfTheirAnsThenTheLockerKey() {
        List<Coin> coins = List.of(coin(1, 0x01020304L, 0x10), coin(-2, 0xFFFFFFFEL, 0x33));
        byte[][] lk = keys("ABC-1234");
        byte[][][] pans = {lk, lk};
        byte[] p = LockerStep.PUT.payload(coins, pans, lk, 0, 2, 0);
        assertThat(p).isEqualTo(concat(new byte[] {1, 1, 2, 3, 4, (byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
                (byte) 0xFE}, filled(0x10 ^ 0x33), LK0));
        assertThat(p).hasSize(2 * 5 + 32);     // body_size 2·5 + 50 = 60: ≥ 55, (60 − 50) % 5 = 0
        // RAIDA 24: its own ANs and its own key
        byte[] p24 = LockerStep.PUT.payload(coins, pans, lk, 1, 2, 24);
        assertThat(Arrays.copyOfRange(p24, 5, 21)).isEqualTo(filled(0x33 + 24));
        assertThat(Arrays.copyOfRange(p24, 21, 37)).isEqualTo(hex("9043E4EB32D17260CECD2675FFFFFFFF"));
    }

    @Test
    void removeBodyIsTheLockerKeyThenCoinsWithTheirNewAns() {
        List<Coin> coins = List.of(coin(1, 5, 0), coin(3, 258, 0));
        byte[][] lk = keys("ABC-1234");
        byte[][] pansA = new byte[25][];
        byte[][] pansB = new byte[25][];
        for (int i = 0; i < 25; i++) {
            pansA[i] = filled(0xA0 + i);
            pansB[i] = filled(0x50 + i);
        }
        byte[] p = LockerStep.REMOVE.payload(coins, new byte[][][] {pansA, pansB}, lk, 0, 2, 0);
        assertThat(p).isEqualTo(concat(LK0, new byte[] {1, 0, 0, 0, 5}, filled(0xA0), new byte[] {3, 0, 0, 1, 2},
                filled(0x50)));
        assertThat(p.length + 18 - 34).isEqualTo(2 * 21);   // (body_size − 34) % 21 = 0
    }

    @Test
    void findBodyIsCoinAnAndPan() {
        List<Coin> coins = List.of(coin(0, 9, 0x40));
        byte[][] pans = new byte[25][];
        for (int i = 0; i < 25; i++) {
            pans[i] = filled(0x70 + i);
        }
        byte[] p = LockerStep.FIND.payload(coins, new byte[][][] {pans}, null, 0, 1, 3);
        assertThat(p).isEqualTo(concat(new byte[] {0, 0, 0, 0, 9}, filled(0x43), filled(0x73)));
    }

    @Test
    void removeReadsTheBitmapOnlyOn243AndAcceptsTheReferenceLength() {
        // observed on the reference (lockers.md §2): 3 coins (in, out, in) → 243, 2 bytes "05 3E 3E" minus 3E3E
        assertThat(LockerStep.REMOVE.verdicts(reply(243, 0x05), 3)).containsExactly('T', 'f', 'T');
        // 8 coins all removed → 241 with FF 00 (⌊8/8⌋ + 1 bytes); the same again → 242 with 00 00
        assertThat(new String(LockerStep.REMOVE.verdicts(reply(241, 0xFF, 0x00), 8)))
                .isEqualTo("TTTTTTTT");
        assertThat(new String(LockerStep.REMOVE.verdicts(reply(242, 0x00, 0x00), 8)))
                .isEqualTo("ffffffff");
        // locker unknown: 242, no body
        assertThat(new String(LockerStep.REMOVE.verdicts(reply(242), 2))).isEqualTo("ff");
        // 9 coins: ⌈9/8⌉ = 2 bytes are enough, the reference's ⌊9/8⌋ + 1 = 2 too; one byte is not
        assertThat(LockerStep.REMOVE.plausible(reply(243, 0x01, 0x01).response(), 9)).isTrue();
        assertThat(LockerStep.REMOVE.plausible(reply(243, 0x01).response(), 9)).isFalse();
        assertThat(LockerStep.REMOVE.plausible(reply(243, 0x01, 0x00, 0x00).response(), 9))
                .as("longer bodies are accepted").isTrue();
        assertThat(new String(LockerStep.REMOVE.verdicts(reply(243, 0x01, 0x01), 9)))
                .isEqualTo("TfffffffT");
        // any other status is an error
        assertThat(new String(LockerStep.REMOVE.verdicts(reply(16), 2))).isEqualTo("ee");
    }

    @Test
    void aRefusalThatAnswersARetryCountsAsNoReply() {
        assertThat(new String(LockerStep.PUT.verdicts(afterAttempts(2, 242), 2))).isEqualTo("nn");
        assertThat(new String(LockerStep.PUT.verdicts(afterAttempts(3, 241), 2))).isEqualTo("TT");
        assertThat(new String(LockerStep.REMOVE.verdicts(afterAttempts(2, 243, 0x05), 3)))
                .isEqualTo("TnT");
        assertThat(new String(LockerStep.PUT.verdicts(afterAttempts(2, 199), 1))).isEqualTo("e");
        // find changes nothing, so a retry's answer stands
        assertThat(new String(LockerStep.FIND.verdicts(afterAttempts(2, 208), 2))).isEqualTo("ff");
        RaidaOutcome timeout = new RaidaOutcome(4, RaidaOutcome.Kind.TIMEOUT, null, Transport.TCP, 3,
                Duration.ofSeconds(2), "timed out");
        assertThat(new String(LockerStep.PUT.verdicts(timeout, 2))).isEqualTo("nn");
    }

    @Test
    void findAnswersOneBytePerCoin() {
        assertThat(LockerStep.FIND.verdicts(reply(211, 1, 2, 0), 3))
                .containsExactly('H', 'T', 'f');
        assertThat(new String(LockerStep.FIND.verdicts(reply(209), 2))).isEqualTo("HH");
        assertThat(new String(LockerStep.FIND.verdicts(reply(210), 2))).isEqualTo("TT");
        assertThat(new String(LockerStep.FIND.verdicts(reply(40), 2))).isEqualTo("ee");
        assertThat(LockerStep.FIND.plausible(reply(211, 1, 2, 0).response(), 3)).isTrue();
        assertThat(LockerStep.FIND.plausible(reply(211, 1, 3, 0).response(), 3)).isFalse();
        assertThat(LockerStep.FIND.plausible(reply(211, 1, 2).response(), 3)).isFalse();
    }

    @Test
    void multiPutBitmapIsOneBitPerLockerWithOrWithoutFourLeadingZeros() {
        assertThat(LockerPutMany.verdicts(reply(243, 0x05), 3)).containsExactly('T', 'f', 'T');
        assertThat(LockerPutMany.verdicts(reply(243, 0, 0, 0, 0, 0x02), 3)).containsExactly('f', 'T', 'f');
        assertThat(LockerPutMany.plausible(reply(243, 0x05).response(), 3)).isTrue();
        assertThat(LockerPutMany.plausible(reply(243, 0, 0, 0, 0, 0x02).response(), 3)).isTrue();
        assertThat(LockerPutMany.plausible(reply(243, 0, 1, 0, 0, 0x02).response(), 3)).isFalse();
        assertThat(LockerPutMany.plausible(reply(243, 0x05, 0x00).response(), 3)).isFalse();
        assertThat(LockerPutMany.verdicts(reply(241), 2)).containsExactly('T', 'T');
        assertThat(LockerPutMany.verdicts(reply(242), 2)).containsExactly('f', 'f');
        assertThat(LockerPutMany.verdicts(reply(198), 2)).containsExactly('e', 'e');
    }

    @Test
    void prepareRemoveHoldsTheLockerKeysAndFreshAnsThatAreNoLockerKeys() throws CoinFileException {
        List<LockerCoin> ids = List.of(new LockerCoin(1, 7), new LockerCoin(-3, 1_000_000));
        List<CoinFile> files = LockerClient.prepareRemove(" ABC-1234 ", ids);
        assertThat(files).hasSize(2);
        Set<String> seen = new HashSet<>();
        for (CoinFile f : files) {
            assertThat(f.hasPans()).isTrue();
            assertThat(f.coin().an(0)).isEqualTo(LK0);
            assertThat(f.coin().pown()).isEqualTo(PownString.untried());
            for (int i = 0; i < 25; i++) {
                assertThat(f.coin().an(i)).isEqualTo(LockerKey.fromTransmitCode("ABC-1234", i).bytes());
                byte[] pan = f.pans().get(i);
                assertThat(LockerKey.hasLockerTail(pan, 0)).isFalse();
                assertThat(seen.add(Arrays.toString(pan))).as("every new AN is fresh").isTrue();
            }
            assertThat(CoinFile.parse(f.toBytes(), "kept").equals(f)).as("kept as a format-9 file").isTrue();
        }
        assertThat(files.get(1).coin().denomination()).isEqualTo(-3);
        assertThat(files.get(1).coin().serialNumber()).isEqualTo(1_000_000);

        Coin authentic = coin(1, 7, 0).withPown(PownString.of("p".repeat(25)));
        List<CoinFile> put = LockerClient.preparePut("ABC-1234", List.of(authentic));
        assertThat(put.get(0).pans().get(0)).isEqualTo(LK0);
        assertThat(put.get(0).coin().an(0)).isEqualTo(filled(0));
        assertThat(put.get(0).coin().pown()).as("nothing is known until the put is settled")
                .isEqualTo(PownString.untried());
    }

    @Test
    void badInputIsRefusedWithoutShowingTheCode() {
        assertThatThrownBy(() -> LockerClient.prepareRemove("SEC RET", List.of(new LockerCoin(1, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("white space")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SEC").doesNotContain("RET"));
        assertThatThrownBy(() -> LockerClient.prepareRemove("ABC-1234", List.of(new LockerCoin(1, 1),
                new LockerCoin(1, 1)))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> LockerClient.prepareRemove("ABC-1234", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no coin");
        assertThatThrownBy(() -> new LockerCoin(1, 1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LockerClient.keep(new BatchResult(List.of(), List.of()),
                LockerClient.prepareRemove("ABC-1234", List.of(new LockerCoin(1, 1)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 results but 1 files");
        for (int i = 0; i < 1000; i++) {
            assertThat(LockerKey.hasLockerTail(LockerFiles.randomAn(), 0)).isFalse();
        }
    }

    @Test
    void peekTakesWhatAQuorumLists() {
        LockerCoin a = new LockerCoin(1, 1);
        LockerCoin b = new LockerCoin(1, 2);
        LockerCoin c = new LockerCoin(-1, 9);
        List<Optional<List<LockerCoin>>> listings = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            if (i < 13) {
                listings.add(Optional.of(List.of(c, a, b)));
            } else if (i < 20) {
                listings.add(Optional.of(List.of(a)));
            } else if (i < 22) {
                listings.add(Optional.of(List.of()));
            } else {
                listings.add(Optional.empty());
            }
        }
        LockerPeek peek = new LockerPeek(listings, null);
        assertThat(peek.coins()).containsExactly(c, a, b);
        assertThat(peek.coins(14)).containsExactly(a);
        assertThat(peek.listedBy(a)).isEqualTo(20);
        assertThat(peek.listedBy(b)).isEqualTo(13);
        assertThat(peek.answered()).isEqualTo(22);
        assertThat(peek.listing(24)).isEmpty();
        assertThat(peek.listing(21)).hasValue(List.of());
    }
}
