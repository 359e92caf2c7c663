package io.raida.protocol.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.ResponseHeader;
import io.raida.protocol.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bytes the healing client sends and how it reads the replies of healing.md §2. */
class CoinHealerCodecTest {

    private static Coin coin(int den, long sn) {
        List<byte[]> ans = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            byte[] an = new byte[16];
            an[0] = (byte) i;
            ans.add(an);
        }
        return Coin.of(den, sn, ans);
    }

    private static RaidaOutcome replied(int raida, int status, byte[] payload) {
        ResponseHeader h = ResponseHeader.legacy(raida, status, 2, 0, payload.length == 0 ? 0 : payload.length + 2, 0,
                new byte[16]);
        return new RaidaOutcome(raida, RaidaOutcome.Kind.STATUS, new RaidaResponse(h, payload), Transport.TCP, 1,
                Duration.ZERO, "");
    }

    private static RaidaResponse response(int status, int... payload) {
        byte[] p = new byte[payload.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) payload[i];
        }
        return replied(0, status, p).response();
    }

    @Test
    void fixPayloadIsCoinsThenPgThenTwentyFiveTickets() {
        byte[] pg = new byte[16];
        for (int i = 0; i < 16; i++) {
            pg[i] = (byte) (0x11 * i);
        }
        long[] tickets = new long[25];
        tickets[0] = 0xDEADBEEFL;
        tickets[24] = 1;
        byte[] p = FixRequest.payload(List.of(coin(1, 123_456), coin(-2, 7)), pg, tickets);
        assertThat(p).hasSize(2 * 5 + 16 + 100);
        assertThat(Bytes.hex(p, 0, 10)).isEqualTo("010001e240fe00000007");
        assertThat(Bytes.hex(p, 10, 16)).isEqualTo("00112233445566778899aabbccddeeff");
        assertThat(Bytes.hex(p, 26, 4)).isEqualTo("deadbeef");
        assertThat(Bytes.hex(p, 30, 92)).matches("0+");
        assertThat(Bytes.hex(p, 122, 4)).isEqualTo("00000001");
        // body = payload + challenge (16) + terminator (2): healing.md §2's rule holds
        int body = p.length + 18;
        assertThat(body).isGreaterThanOrEqualTo(139);
        assertThat((body - 134) % 5).isZero();
    }

    @Test
    void findAndGetTicketPayloadsAreTheRecordsOfSection2() {
        Coin c = coin(1, 600);
        byte[][][] pans = {Coin.copyAns(coin(1, 600).ans())};
        pans[0][3][15] = 0x55;
        byte[] find = CoinAuthenticator.payload(CoinAuthenticator.Command.POWN, List.of(c), pans, null, 0, 1, 3);
        assertThat(find).hasSize(37);
        assertThat(Bytes.hex(find, 0, 5)).isEqualTo("0100000258");
        assertThat(find[5]).isEqualTo((byte) 3);
        assertThat(find[36]).isEqualTo((byte) 0x55);
        byte[] ticket = CoinAuthenticator.payload(CoinAuthenticator.Command.DETECT, List.of(c), null, null, 0, 1, 3);
        assertThat(ticket).hasSize(21);
        assertThat(Bytes.hex(ticket, 0, 6)).isEqualTo("010000025803");
    }

    @Test
    void findRepliesPerCoin() {
        // the spec's observed example: coins (AN, PAN, neither) -> 211, 01 02 00
        RaidaOutcome mixed = replied(4, 211, new byte[] {1, 2, 0});
        assertThat(FindReply.plausible(mixed.response(), 3, true)).isTrue();
        assertThat(FindReply.match(mixed, 0)).isEqualTo(FindResult.Match.AN);
        assertThat(FindReply.match(mixed, 1)).isEqualTo(FindResult.Match.PAN);
        assertThat(FindReply.match(mixed, 2)).isEqualTo(FindResult.Match.NEITHER);
        assertThat(FindReply.match(replied(0, 209, new byte[0]), 1)).isEqualTo(FindResult.Match.AN);
        assertThat(FindReply.match(replied(0, 210, new byte[0]), 1)).isEqualTo(FindResult.Match.PAN);
        assertThat(FindReply.match(replied(0, 208, new byte[0]), 1)).isEqualTo(FindResult.Match.NEITHER);
        assertThat(FindReply.match(replied(0, 40, new byte[0]), 0)).isEqualTo(FindResult.Match.UNKNOWN);
        RaidaOutcome timeout = new RaidaOutcome(0, RaidaOutcome.Kind.TIMEOUT, null, Transport.UDP, 3,
                Duration.ofSeconds(2), "no reply");
        assertThat(FindReply.match(timeout, 0)).isEqualTo(FindResult.Match.UNKNOWN);
        assertThat(FindReply.plausible(response(211, 1, 2), 3, true)).as("one byte per coin").isFalse();
        assertThat(FindReply.plausible(response(211, 1, 3, 0), 3, true)).as("values 0..2").isFalse();
        assertThat(FindReply.plausible(response(209, 1), 1, true)).as("209 has no body").isFalse();
        assertThat(FindReply.plausible(response(40), 3, true)).isTrue();
    }

    @Test
    void ticketRepliesGiveLettersAndTheTicket() {
        // the spec's observed example: 9 coins, coins 3 and 8 fail -> 243, F7 00 t0 t1 t2 t3
        RaidaOutcome mixed = replied(2, 243, new byte[] {(byte) 0xF7, 0, 0x12, 0x34, 0x56, 0x78});
        assertThat(TicketRound.plausible(mixed.response(), 9)).isTrue();
        assertThat(new String(TicketRound.letters(mixed, 9))).isEqualTo("pppfppppf");
        assertThat(TicketRound.plausible(response(241, 0, 0, 0, 9), 2)).isTrue();
        assertThat(TicketRound.plausible(response(241), 2)).as("241 carries a ticket").isFalse();
        assertThat(TicketRound.plausible(response(242, 1, 2, 3, 4), 2)).isFalse();
        assertThat(TicketRound.plausible(response(243, 0xFF, 1, 2, 3, 4), 8)).as("all set is 241").isFalse();
        assertThat(TicketRound.plausible(response(243, 0x03, 1, 2, 3, 4), 1)).as("a bit beyond n").isFalse();
        assertThat(new String(TicketRound.letters(replied(0, 42, new byte[0]), 2))).isEqualTo("ee");
    }

    @Test
    void aFixThatCannotBeOneRequestIsRefused() {
        int max = CoinHealer.maxCoinsPerFix(null);
        assertThat(max).isEqualTo(13_080); // healing.md §4: fix 13 080 coins per 65 535-byte body
        assertThat(CoinHealer.maxCoinsPerFix(KeyCoin.type4(coin(1, 1)))).isEqualTo((65_535 - 34 - 116) / 5);
        RaidaCluster cluster = RaidaCluster.builder(RaidaNetwork.loopback(40_000))
                .client(new AbstractClusterTest.RecordingClient(null)).build();
        try (cluster) {
            CoinHealer healer = CoinHealer.unencrypted(cluster);
            TicketBook book = new TicketBook(List.of(coin(1, 1)), new long[25], new boolean[25][1], null);
            assertThatThrownBy(() -> healer.fix(0, List.of(coin(1, 1)), book, new byte[15]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16 bytes");
            assertThat(book.usedAt(0)).as("a refused call uses no ticket").isFalse();
            assertThatThrownBy(() -> healer.withMaxRounds(0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> healer.withFixTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
            assertThat(healer.fixTimeout()).isEqualTo(Duration.ofSeconds(100));
            assertThat(healer.maxRounds()).isEqualTo(3);
            assertThat(healer.policy()).isEqualTo(GradingPolicy.standard());
        }
    }
}
