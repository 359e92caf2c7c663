package io.raida.integrity;

import io.raida.protocol.server.PeerPolicy;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.internal.Bytes;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Byte-exact replies of 2/40, 2/50, 2/60 and 2/80 for every status of healing.md §2, in memory through
 * {@link ServerCore#answer}, for request types 0, 1 and 4 (payload offsets per wire-format §6.5, D-14).
 */
class HealingCommandsTest {
    private static final int ID = 7;
    /** Coins 1/0 .. 1/19 issued on page 0 of den 1 (records 1..19), record 20 unissued. */
    private static final int DEN = 1;
    private static final int KEY_SN = 1;

    private final InMemoryPageStore store = new InMemoryPageStore();
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private byte[] page;
    private ServerCore core;
    private HealingCommands healing;

    @BeforeEach
    void setUp() {
        int[] issued = new int[19];
        for (int i = 0; i < 19; i++) {
            issued[i] = i + 1;
        }
        page = TestPages.issued(99, issued);
        store.writePage(DEN, 0, page);
        core = ServerCore.builder().raidaId(ID).keyResolver(new PageStoreKeyResolver(store)).build();
        healing = HealingCommands.builder().pageStore(store).claimAccess(PeerPolicy.anyone()).ticketPoolSize(4)
                .nanoClock(nanos::get).clock(Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC))
                .build().install(core);
    }

    @AfterEach
    void tearDown() {
        healing.close();
    }

    private byte[] an(long sn) {
        return Arrays.copyOfRange(page, (int) sn * 17, (int) sn * 17 + 16);
    }

    private static byte[] wrong() {
        byte[] a = new byte[16];
        Arrays.fill(a, (byte) 0x5A);
        return a;
    }

    private static byte[] coin(int den, long sn) {
        byte[] c = new byte[5];
        c[0] = (byte) den;
        Bytes.putU32(c, 1, sn);
        return c;
    }

    private static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    /** A reply: the status byte, the header's size field, the plaintext payload (terminator removed). */
    private record Reply(int status, int size, byte[] payload) {
    }

    private Reply call(int type, int code, byte[] payload) {
        RequestBuilder b = RequestBuilder.command(ID, 2, code).payload(payload);
        if (type == 1) {
            b.encryptWithCoin(DEN, KEY_SN, an(KEY_SN));
        } else if (type == 4) {
            b.authenticateWithCoin(DEN, KEY_SN, an(KEY_SN));
        }
        ClientRequest r = b.build();
        byte[] raw = core.answer(r.frame(), Transport.TCP);
        int size = (raw[9] & 0xFF) << 16 | (raw[10] & 0xFF) << 8 | raw[11] & 0xFF;
        int hs = type == 4 ? 48 : 32;
        RaidaResponse parsed = ResponseParser.parse(r, raw);
        assertThat(parsed.status()).isEqualTo(raw[2] & 0xFF);
        if (type == 0) {
            // type 0 is plaintext: the body is the payload and the terminator, byte for byte
            assertThat(raw).hasSize(hs + size);
            if (size > 0) {
                assertThat(Arrays.copyOfRange(raw, hs, raw.length))
                        .isEqualTo(cat(parsed.payload(), new byte[]{0x3E, 0x3E}));
            }
        }
        return new Reply(raw[2] & 0xFF, size, parsed.payload());
    }

    private Reply call(int code, byte[] payload) {
        return call(0, code, payload);
    }

    private Reply empty(int code) {
        byte[] raw = core.answer(RequestBuilder.command(ID, 2, code).emptyBody().build().frame(), Transport.TCP);
        return new Reply(raw[2] & 0xFF, raw.length - 32, new byte[0]);
    }

    private byte[] ticketRecord(long sn, boolean right) {
        return cat(coin(DEN, sn), right ? an(sn) : wrong());
    }

    private static long ticketOf(Reply r) {
        return Bytes.u32(r.payload(), r.payload().length - 4);
    }

    // ---- 2/40 get_ticket ----

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void getTicketSpecExampleNineCoinsThreeAndEightFail(int type) {
        byte[] req = new byte[0];
        for (int i = 0; i < 9; i++) {
            req = cat(req, ticketRecord(i + 1, i != 3 && i != 8));
        }
        Reply r = call(type, 40, req);
        assertThat(r.status()).isEqualTo(243);
        assertThat(r.size()).isEqualTo(type == 4 ? 6 + 34 : 8);
        assertThat(Arrays.copyOf(r.payload(), 2)).containsExactly(0xF7, 0x00);
        assertThat(r.payload()).hasSize(6);
        long t = ticketOf(r);
        assertThat(t).isNotZero();
        // the ticket lists the seven passing coins in request order, nothing else
        Reply v = call(50, cat(new byte[]{3}, u32(t)));
        assertThat(v.status()).isEqualTo(250);
        assertThat(v.size()).isEqualTo(7 * 5 + 2);
        assertThat(v.payload()).isEqualTo(cat(coin(1, 1), coin(1, 2), coin(1, 3), coin(1, 5), coin(1, 6), coin(1, 7),
                coin(1, 8)));
    }

    @Test
    void getTicketAllPassAllFail() {
        Reply pass = call(40, cat(ticketRecord(4, true), ticketRecord(5, true)));
        assertThat(pass.status()).isEqualTo(241);
        assertThat(pass.size()).isEqualTo(6);
        assertThat(pass.payload()).hasSize(4);
        Reply fail = call(40, cat(ticketRecord(4, false), ticketRecord(5, false)));
        assertThat(fail.status()).isEqualTo(242);
        assertThat(fail.size()).isZero();
        assertThat(healing.liveTickets()).as("242 takes no slot").isEqualTo(1);
    }

    @Test
    void getTicketUnissuedCoinFailsEvenWithItsAn() {
        // record 20 has MFS 0: its (placeholder) AN is on the page but the coin is not issued (D-57)
        assertThat(call(40, ticketRecord(20, true)).status()).isEqualTo(242);
        assertThat(call(40, cat(ticketRecord(7, true), ticketRecord(20, true))).payload()[0]).isEqualTo((byte) 0x01);
        // an absent page: nothing issued there
        assertThat(call(40, cat(coin(DEN, 5000), an(1))).status()).isEqualTo(242);
    }

    @Test
    void getTicketListsARepeatedCoinOnce() {
        Reply r = call(40, cat(ticketRecord(6, true), ticketRecord(6, true), ticketRecord(6, true)));
        assertThat(r.status()).isEqualTo(241);
        Reply v = call(50, cat(new byte[]{0}, u32(ticketOf(r))));
        assertThat(v.payload()).as("D-51: one entry").isEqualTo(coin(1, 6));
    }

    @Test
    void getTicketStatusOrder() {
        assertThat(empty(40).status()).isEqualTo(36);
        assertThat(call(40, new byte[20]).status()).isEqualTo(16);
        assertThat(call(40, new byte[0]).status()).isEqualTo(16);
        assertThat(call(40, new byte[22]).status()).isEqualTo(39);
        assertThat(call(40, new byte[43]).status()).isEqualTo(39);
        assertThat(call(40, cat(coin(7, 1), an(1))).status()).isEqualTo(40);
        assertThat(call(40, cat(coin(-9, 1), an(1))).status()).isEqualTo(40);
        assertThat(call(40, cat(coin(1, 1_024_000), an(1))).status()).isEqualTo(40);
        // a 40 after a passing coin leaves no ticket behind (D-49)
        Reply r = call(40, cat(ticketRecord(1, true), coin(1, 1_024_000), an(1)));
        assertThat(r.status()).isEqualTo(40);
        assertThat(r.size()).isZero();
        assertThat(healing.liveTickets()).isZero();
    }

    @Test
    void poolFullAnswers42UntilTicketsExpire() {
        for (int i = 0; i < 4; i++) {
            assertThat(call(40, ticketRecord(1, true)).status()).isEqualTo(241);
        }
        Reply full = call(40, ticketRecord(1, true));
        assertThat(full.status()).isEqualTo(42);
        assertThat(full.size()).isZero();
        assertThat(call(40, cat(ticketRecord(1, true), ticketRecord(2, false))).status()).isEqualTo(42);
        assertThat(call(40, ticketRecord(1, false)).status()).as("no slot needed").isEqualTo(242);
        assertThat(call(40, cat(coin(9, 1), an(1))).status()).as("40 before 42").isEqualTo(40);
        nanos.addAndGet(Duration.ofSeconds(300).toNanos());
        assertThat(call(40, ticketRecord(1, true)).status()).isEqualTo(241);
        assertThat(healing.liveTickets()).isEqualTo(1);
    }

    // ---- 2/50 validate_ticket ----

    private static byte[] u32(long v) {
        byte[] b = new byte[4];
        Bytes.putU32(b, 0, v);
        return b;
    }

    @Test
    void validateTicketClaimsOncePerRaida() {
        long t = ticketOf(call(40, cat(ticketRecord(2, true), ticketRecord(3, true))));
        Reply first = call(50, cat(new byte[]{12}, u32(t)));
        assertThat(first.status()).isEqualTo(250);
        assertThat(first.size()).isEqualTo(12);
        assertThat(first.payload()).isEqualTo(cat(coin(1, 2), coin(1, 3)));
        Reply again = call(50, cat(new byte[]{12}, u32(t)));
        assertThat(again.status()).isEqualTo(44);
        assertThat(again.size()).isZero();
        assertThat(call(50, cat(new byte[]{13}, u32(t))).status()).isEqualTo(250);
        assertThat(call(50, cat(new byte[]{24}, u32(t))).status()).isEqualTo(250);
        assertThat(call(50, cat(new byte[]{25}, u32(t))).status()).isEqualTo(18);
        assertThat(call(50, cat(new byte[]{(byte) 0xFF}, u32(t))).status()).isEqualTo(18);
        assertThat(call(50, cat(new byte[]{1}, u32(t ^ 1))).status()).isEqualTo(43);
        assertThat(call(50, cat(new byte[]{1}, u32(0))).status()).isEqualTo(43);
        assertThat(empty(50).status()).isEqualTo(36);
        assertThat(call(50, new byte[4]).status()).isEqualTo(16);
        assertThat(call(50, new byte[6]).status()).isEqualTo(16);
    }

    @Test
    void expiredTicketIsNotFound() {
        long t = ticketOf(call(40, ticketRecord(2, true)));
        nanos.addAndGet(Duration.ofSeconds(299).toNanos());
        assertThat(call(50, cat(new byte[]{1}, u32(t))).status()).isEqualTo(250);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        Reply r = call(50, cat(new byte[]{2}, u32(t)));
        assertThat(r.status()).isEqualTo(43);
        assertThat(r.size()).isZero();
    }

    @Test
    void validateTicketOnlyFromPeers() throws Exception {
        InMemoryPageStore s = new InMemoryPageStore();
        ServerCore other = ServerCore.builder().raidaId(3).build();
        List<InetSocketAddress> peers = java.util.Collections.nCopies(25, new InetSocketAddress("127.0.0.9", 1));
        try (HealingCommands h = HealingCommands.builder().pageStore(s).peers(peers)
                .client(new io.raida.protocol.transport.RaidaClient() {
                    @Override
                    public java.util.concurrent.CompletableFuture<RaidaResponse> send(InetSocketAddress raida,
                            ClientRequest request, Transport transport, Duration timeout) {
                        throw new IllegalStateException("not used");
                    }

                    @Override
                    public java.util.concurrent.CompletableFuture<byte[]> exchange(InetSocketAddress raida,
                            byte[] frame, Transport transport, Duration timeout) {
                        throw new IllegalStateException("not used");
                    }

                    @Override
                    public void close() {
                    }
                }).build().install(other)) {
            ClientRequest r = RequestBuilder.command(3, 2, 50).payload(cat(new byte[]{1}, u32(5))).build();
            byte[] raw = other.answer(r.frame(), Transport.TCP);
            assertThat(raw[2] & 0xFF).as("not from a peer address").isEqualTo(38);
            assertThat(raw).hasSize(32);
            assertThat(h.claimAccess().permits(new InetSocketAddress("127.0.0.9", 40_000))).isTrue();
            assertThat(h.claimAccess().permits(new InetSocketAddress("127.0.0.1", 40_000))).isFalse();
        }
    }

    // ---- 2/60 find ----

    private byte[] findRecord(long sn, byte[] a, byte[] pan) {
        return cat(coin(DEN, sn), a, pan);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void findSpecExampleAnPanNeither(int type) {
        Reply r = call(type, 60, cat(findRecord(2, an(2), wrong()), findRecord(3, wrong(), an(3)),
                findRecord(4, wrong(), wrong())));
        assertThat(r.status()).isEqualTo(211);
        assertThat(r.size()).isEqualTo(type == 4 ? 3 + 34 : 5);
        assertThat(r.payload()).containsExactly(1, 2, 0);
    }

    @Test
    void findUniformOutcomes() {
        Reply an = call(60, cat(findRecord(2, an(2), wrong()), findRecord(3, an(3), an(3))));
        assertThat(an.status()).as("AN is tested first").isEqualTo(209);
        assertThat(an.size()).isZero();
        Reply pan = call(60, cat(findRecord(2, wrong(), an(2)), findRecord(3, wrong(), an(3))));
        assertThat(pan.status()).isEqualTo(210);
        assertThat(pan.size()).isZero();
        Reply neither = call(60, findRecord(2, wrong(), wrong()));
        assertThat(neither.status()).isEqualTo(208);
        assertThat(neither.size()).isZero();
        assertThat(call(60, findRecord(20, an(20), an(20))).status()).as("unissued, D-57").isEqualTo(208);
        assertThat(store.readPage(DEN, 0, new byte[PageStore.PAGE_SIZE])).isTrue();
    }

    @Test
    void findStatusOrder() {
        assertThat(empty(60).status()).isEqualTo(36);
        assertThat(call(60, new byte[36]).status()).isEqualTo(16);
        assertThat(call(60, new byte[38]).status()).isEqualTo(39);
        assertThat(call(60, findRecord(2, an(2), an(2))).status()).as("one whole record").isEqualTo(209);
        assertThat(call(60, cat(findRecord(2, an(2), wrong()), coin(6, 1_024_000), wrong(), wrong())).status())
                .isEqualTo(40);
    }

    // ---- 2/80 fix (the peer rounds are in HealingClusterTest) ----

    private static byte[] fixPayload(byte[] coins, long... tickets) {
        byte[] t = new byte[100];
        for (int i = 0; i < tickets.length; i++) {
            Bytes.putU32(t, 4 * i, tickets[i]);
        }
        return cat(coins, new byte[16], t);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void fixStatusOrderAndNoVotes(int type) {
        assertThat(empty(80).status()).isEqualTo(36);
        assertThat(call(type, 80, new byte[120]).status()).isEqualTo(16);
        assertThat(call(type, 80, new byte[122]).status()).isEqualTo(39);
        assertThat(call(type, 80, fixPayload(coin(-9, 1))).status()).isEqualTo(40);
        byte[] before = new byte[PageStore.PAGE_SIZE];
        store.readPage(DEN, 0, before);
        // no peers configured: nobody vouches, nothing changes
        Reply r = call(type, 80, fixPayload(cat(coin(DEN, 2), coin(DEN, 3)), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25));
        assertThat(r.status()).isEqualTo(242);
        assertThat(r.size()).isZero();
        byte[] after = new byte[PageStore.PAGE_SIZE];
        store.readPage(DEN, 0, after);
        assertThat(after).isEqualTo(before);
    }

    @Test
    void monthsFromStartSaturates() {
        assertThat(HealingStore.monthsFromStart(Clock.fixed(Instant.parse("2023-02-10T00:00:00Z"), ZoneOffset.UTC)))
                .as("never 0 for an issued coin").isEqualTo(1);
        assertThat(HealingStore.monthsFromStart(Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC)))
                .isEqualTo(3 * 12 + 10);
        assertThat(HealingStore.monthsFromStart(Clock.fixed(Instant.parse("2044-06-01T00:00:00Z"), ZoneOffset.UTC)))
                .as("D-42").isEqualTo(255);
        assertThat(HealingStore.monthsFromStart(Clock.fixed(Instant.parse("2060-01-01T00:00:00Z"), ZoneOffset.UTC)))
                .isEqualTo(255);
    }
}
