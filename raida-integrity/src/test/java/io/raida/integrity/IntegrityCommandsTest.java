package io.raida.integrity;

import io.raida.protocol.server.PeerPolicy;

import static org.assertj.core.api.Assertions.assertThat;

import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.Transport;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Range checks on every field (D-18), exact sizes, the 14/4 allow-list and the client's request bytes (D-4). */
class IntegrityCommandsTest {
    private final InMemoryPageStore store = new InMemoryPageStore();
    private final ServerCore core = ServerCore.builder().raidaId(7).coinId(6).build();
    private IntegrityNode node;

    @AfterEach
    void close() {
        if (node != null) {
            node.close();
        }
    }

    private IntegrityNode started(IntegrityNode.Builder b) {
        store.writePage(0, 5, TestPages.issued(1, 2, 3));
        node = b.pageStore(store).raidaId(7).build().install(core).start();
        return node;
    }

    private RaidaResponse call(int code, byte[] payload) {
        ClientRequest r = RequestBuilder.command(7, 14, code).payload(payload).build();
        return ResponseParser.parse(r, core.answer(r.frame(), Transport.TCP));
    }

    private static byte[] node(int den, long level, long index) {
        byte[] p = new byte[9];
        p[0] = (byte) den;
        Bytes.putU32(p, 1, level);
        Bytes.putU32(p, 5, index);
        return p;
    }

    private static byte[] page(int den, long page) {
        byte[] p = new byte[5];
        p[0] = (byte) den;
        Bytes.putU32(p, 1, page);
        return p;
    }

    @Test
    void merkleNodeRangeChecks() {
        started(IntegrityNode.builder());
        assertThat(call(2, node(0, 0, 5)).payload()).isEqualTo(node.forest().snapshot().tree(0).node(0, 5));
        assertThat(call(2, node(6, 10, 0)).payload()).isEqualTo(node.forest().snapshot().tree(6).root());
        assertThat(call(2, node(-8, 3, 124)).status()).isEqualTo(250);
        assertThat(call(2, node(7, 0, 0)).status()).as("denomination 7").isEqualTo(202);
        assertThat(call(2, node(-9, 0, 0)).status()).as("denomination -9").isEqualTo(202);
        assertThat(call(2, node(0x7F, 0, 0)).status()).isEqualTo(202);
        assertThat(call(2, node(0, 11, 0)).status()).isEqualTo(202);
        assertThat(call(2, node(0, 0xFFFF_FFFFL, 0)).status()).isEqualTo(202);
        assertThat(call(2, node(0, 3, 125)).status()).isEqualTo(202);
        // index ≥ 2^31 crashed the reference (D-18)
        assertThat(call(2, node(0, 0, 0x8000_0000L)).status()).isEqualTo(202);
        assertThat(call(2, node(0, 0, 0xFFFF_FFFFL)).status()).isEqualTo(202);
        assertThat(call(2, new byte[8]).status()).isEqualTo(16);
        assertThat(call(2, new byte[10]).status()).isEqualTo(16);
    }

    @Test
    void pageDataIsDeniedByDefault() {
        started(IntegrityNode.builder());
        RaidaResponse r = call(4, page(0, 5));
        assertThat(r.status()).isEqualTo(38);
        assertThat(r.payload()).isEmpty();
    }

    @Test
    void pageDataRangeChecksWhenAllowed() {
        started(IntegrityNode.builder().allowPageDataFromAnyone());
        byte[] expected = new byte[PageStore.PAGE_SIZE];
        store.readPage(0, 5, expected);
        assertThat(call(4, page(0, 5)).payload()).isEqualTo(expected);
        assertThat(call(4, page(0, 6)).status()).as("absent page").isEqualTo(202);
        assertThat(call(4, page(0, 1000)).status()).isEqualTo(202);
        assertThat(call(4, page(0, 0xFFFF_FFFFL)).status()).isEqualTo(202);
        assertThat(call(4, page(9, 0)).status()).isEqualTo(202);
        assertThat(call(4, new byte[4]).status()).isEqualTo(16);
        ClientRequest empty = RequestBuilder.command(7, 14, 4).emptyBody().build();
        assertThat(core.answer(empty.frame(), Transport.TCP)[2] & 0xFF).isEqualTo(36);
    }

    @Test
    void allowListMatchesSourceAddressOnly() throws Exception {
        PeerPolicy l = PeerPolicy.of(java.util.List.of(java.net.InetAddress.getByName("127.0.0.2")));
        assertThat(l.permits(new java.net.InetSocketAddress("127.0.0.2", 40000))).isTrue();
        assertThat(l.permits(new java.net.InetSocketAddress("127.0.0.1", 40000))).isFalse();
        assertThat(l.permits(null)).isFalse();
        assertThat(PeerPolicy.nobody().permits(new java.net.InetSocketAddress("127.0.0.2", 1))).isFalse();
        assertThat(PeerPolicy.anyone().permits(null)).isTrue();
    }

    @Test
    void allRootsSizesAndEncryptedTypes() {
        started(IntegrityNode.builder());
        assertThat(call(5, new byte[480]).payload()).isEqualTo(node.forest().rootsVector());
        assertThat(call(5, new byte[479]).status()).isEqualTo(16);
        assertThat(call(5, new byte[481]).status()).isEqualTo(16);
    }

    @Test
    void commandsWorkWithType4KeysFromThePageStore() {
        InMemoryPageStore pages = new InMemoryPageStore();
        byte[] page = TestPages.issued(77, 1);
        pages.writePage(0, 0, page);
        byte[] an = Arrays.copyOfRange(page, 17, 33);
        ServerCore keyed = ServerCore.builder().raidaId(7).keyResolver(new PageStoreKeyResolver(pages)).build();
        try (IntegrityNode n = IntegrityNode.builder().pageStore(pages).raidaId(7).build().install(keyed).start()) {
            // payload lengths are what counts (D-14): 480 bytes of type-4 payload = body 514
            ClientRequest r = RequestBuilder.command(7, 14, 5).authenticateWithCoin(0, 1, an).payload(new byte[480])
                    .build();
            RaidaResponse resp = ResponseParser.parse(r, keyed.answer(r.frame(), Transport.TCP));
            assertThat(resp.status()).isEqualTo(250);
            assertThat(resp.payload()).isEqualTo(n.forest().rootsVector());
            // serial number 2 is not issued (MFS 0): not a key (D-33) → 25
            ClientRequest unissued = RequestBuilder.command(7, 14, 5).authenticateWithCoin(0, 2, an)
                    .payload(new byte[480]).build();
            assertThat(keyed.answer(unissued.frame(), Transport.TCP)[2] & 0xFF).isEqualTo(25);
        }
    }

    @Test
    void voteFastPath() {
        started(IntegrityNode.builder());
        byte[] nonce = new byte[16];
        Arrays.fill(nonce, (byte) 0x5A);
        byte[] good = IntegrityClient.voteDatagram(node.forest().rootsVector(), nonce);
        byte[] reply = core.answer(good, Transport.UDP);
        assertThat(reply).hasSize(17);
        assertThat(reply[0]).isEqualTo((byte) 1);
        assertThat(IntegrityClient.readVote(reply, nonce)).isEqualTo(IntegrityClient.Vote.MATCH);
        byte[] bad = IntegrityClient.voteDatagram(new byte[480], nonce);
        assertThat(IntegrityClient.readVote(core.answer(bad, Transport.UDP), nonce))
                .isEqualTo(IntegrityClient.Vote.NO_MATCH);
        assertThat(IntegrityClient.readVote(reply, new byte[16])).as("wrong nonce").isEqualTo(IntegrityClient.Vote.NO_VOTE);
        byte[] two = reply.clone();
        two[0] = 2;
        assertThat(IntegrityClient.readVote(two, nonce)).isEqualTo(IntegrityClient.Vote.NO_VOTE);
        assertThat(IntegrityClient.readVote(Arrays.copyOf(reply, 16), nonce)).isEqualTo(IntegrityClient.Vote.NO_VOTE);
        assertThat(node.metrics().voteRequestsAnswered()).isEqualTo(2);
    }

    @Test
    void clientRequestsAreCorrectType0Frames() {
        try (io.raida.protocol.transport.RaidaClient transport = io.raida.protocol.transport.RaidaTransportProvider
                .named("nio").newClient(io.raida.protocol.transport.ClientOptions.defaults())) {
            checkFrames(new IntegrityClient(transport, 6, java.time.Duration.ofSeconds(1)));
        }
    }

    private static void checkFrames(IntegrityClient c) {
        int[][] cases = {{2, 9, 27}, {4, 5, 23}, {5, 480, 498}};
        for (int[] k : cases) {
            byte[] f = c.request(19, k[0], new byte[k[1]]).frame();
            assertThat(f).hasSize(32 + k[2]);
            assertThat(f[0]).as("routing").isEqualTo((byte) 1);
            assertThat(f[1]).isZero();
            assertThat(f[2]).as("target RAIDA").isEqualTo((byte) 19);
            assertThat(f[3]).isZero();
            assertThat(f[4]).isEqualTo((byte) 14);
            assertThat(f[5]).isEqualTo((byte) k[0]);
            assertThat(Bytes.u16(f, 6)).as("coin id").isEqualTo(6);
            assertThat(f[16]).as("type 0").isZero();
            assertThat(Bytes.u16(f, 22)).as("body size").isEqualTo(k[2]);
            assertThat(Bytes.isTerminator(f, f.length - 2)).isTrue();
        }
    }
}
