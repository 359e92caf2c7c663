package io.raida.integrity;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.raida.protocol.Transport;
import io.raida.protocol.client.ClientRequest;
import io.raida.protocol.client.RaidaResponse;
import io.raida.protocol.client.RequestBuilder;
import io.raida.protocol.client.ResponseParser;
import io.raida.protocol.internal.Bytes;
import io.raida.protocol.server.ServerCore;
import io.raida.protocol.testing.DeadPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;

/**
 * Jazzer harnesses for every registered command handler (groups 0, 1, 2, 8 and 14): each builds a
 * well-formed request around a fuzzed payload and runs it through a real {@link ServerCore} with the
 * real handlers over a {@link FilePageStore} in a temporary directory.
 *
 * <p>Input: byte 0 picks the command ({@code (b & 0x7F) / 3}, modulo the group's commands) and the
 * encryption type ({@code (b & 0x7F) % 3}: 0, 1 or 4, keyed with coin 0/1 of the store); bit 7 of
 * byte 0 sends an empty body (body_size 0, type 0); the remaining bytes are the payload. Invariants: no
 * exception escapes, the reply parses with {@link ResponseParser}, its status is one the spec allows
 * for that command, the frame is header + size, the payload has the size the spec fixes for that
 * status, read-only commands write no page, and every page file keeps its 17 408 bytes. Pages a
 * command changed are written back after each execution, so executions do not depend on each other
 * (tickets excepted: a full pool answers 42, which is allowed). The seed corpus
 * ({@code HandlerFuzzTestInputs/<method>}) holds the byte-exact tests' payloads, built by
 * {@code raida-protocol/src/test/fuzz/make-corpus.py}; see README, "Fuzzing".
 */
class HandlerFuzzTest {
    private static final Fixture F = Fixture.open();

    @AfterAll
    static void closeFixture() {
        F.close();
    }

    /** Group 0: echo, version, show_stats, audit. */
    @FuzzTest(maxDuration = "3m")
    void status(byte[] input) {
        run(HandlerRules.STATUS, input);
    }

    /** Group 1: detect, detect_sum, pown, pown_sum. */
    @FuzzTest(maxDuration = "3m")
    void auth(byte[] input) {
        run(HandlerRules.AUTH, input);
    }

    /** Group 2: get_ticket, validate_ticket, find, fix (the peers refuse every connection). */
    @FuzzTest(maxDuration = "3m")
    void healing(byte[] input) {
        run(HandlerRules.HEALING, input);
    }

    /** Group 8: store_sum, peek, remove, store_multiple_sum. */
    @FuzzTest(maxDuration = "3m")
    void lockers(byte[] input) {
        run(HandlerRules.LOCKERS, input);
    }

    /** Group 14: get_merkle_node, get_page_data, get_all_roots. */
    @FuzzTest(maxDuration = "3m")
    void integrity(byte[] input) {
        run(HandlerRules.INTEGRITY, input);
    }

    private static void run(List<HandlerRules.Rule> rules, byte[] input) {
        if (input.length == 0) {
            return;
        }
        int selector = input[0] & 0x7F;
        boolean empty = (input[0] & 0x80) != 0;
        HandlerRules.Rule rule = rules.get((selector / 3) % rules.size());
        // a client cannot send an encrypted request without a body (D-11): an empty body is type 0
        int type = empty ? 0 : HandlerRules.TYPES[selector % 3];
        byte[] payload = Arrays.copyOfRange(input, 1, Math.min(input.length, 1 + HandlerRules.MAX_PAYLOAD));
        F.written.clear();
        try {
            ClientRequest request = F.request(rule, type, empty, payload);
            boolean repeated = type == 4 && !F.sentTags.add(ByteBuffer.wrap(tag(request.frame())));
            byte[] frame = F.core.answer(request.frame(), Transport.TCP);
            assertThat(frame).as("a TCP request always gets a reply").isNotNull();
            RaidaResponse reply = ResponseParser.parse(request, frame);
            int status = reply.status();
            String what = rule.name() + " type " + type + (empty ? " empty body" : " payload " + payload.length);
            if (repeated && status == 177) {
                // the MAC covers only the ciphertext (wire-format §7.2), so a short payload repeats it
                // under another nonce; the replay cache (D-12) rightly refuses what it has seen
                assertThat(reply.payload()).as("177 of %s", what).isEmpty();
                return;
            }
            assertThat(status).as("status of %s", what).isIn(rule.statuses());
            assertThat(frame.length - Bytes.u24(frame, 9)).as("frame of %s = header + size", what)
                    .isEqualTo(type == 4 ? 48 : 32);
            int expected = rule.payloadSize(status, empty ? new byte[0] : payload, type);
            if (expected >= 0) {
                assertThat(reply.payload().length).as("payload size of %s, status %d", what, status)
                        .isEqualTo(expected);
            }
            if (rule.readOnly()) {
                assertThat(F.written).as("pages written by %s", what).isEmpty();
            }
            F.checkPageFiles();
        } finally {
            F.restore();
        }
    }

    /** The MAC tag of a type-4 request: the 32 bytes before the terminator. */
    private static byte[] tag(byte[] frame) {
        return Arrays.copyOfRange(frame, frame.length - 34, frame.length - 2);
    }

    /** The server, its handlers and the page store, shared by all executions. */
    static final class Fixture {
        final Path root;
        final FilePageStore store;
        final ServerCore core;
        final CoinCommands coins;
        final HealingCommands healing;
        final IntegrityNode node;
        /** Where the 24 peers are: a port held dead for the whole run, so no other server can answer there. */
        final DeadPort peer = DeadPort.open();
        final Set<Long> written = ConcurrentHashMap.newKeySet();
        /** MAC tags of the type-4 requests sent so far: the server may refuse a repeated one (177). */
        final Set<ByteBuffer> sentTags = new java.util.HashSet<>();
        private final java.util.concurrent.atomic.AtomicLong requests = new java.util.concurrent.atomic.AtomicLong();
        private final byte[] scratch = new byte[PageStore.PAGE_SIZE];

        private Fixture(Path root) throws IOException {
            this.root = root;
            this.store = FilePageStore.open(root);
            for (HandlerRules.SeedPage p : HandlerRules.pages()) {
                store.writePage(p.den(), p.page(), p.bytes());
            }
            this.coins = CoinCommands.open(store, CoinHarness.CLOCK);
            this.core = ServerCore.builder().raidaId(HandlerRules.RAIDA).adminKey(HandlerRules.ADMIN_KEY)
                    .keyResolver(new PageStoreKeyResolver(store, coins.lockerKeys())).build();
            coins.install(core);
            this.healing = HealingCommands.builder().pageStore(store).peers(refusingPeers(peer))
                    .transport("nio").claimAccess(io.raida.protocol.server.PeerPolicy.anyone())
                    .ticketPoolSize(64).legTimeout(Duration.ofMillis(500)).fixTimeout(Duration.ofSeconds(1))
                    .build().install(core);
            this.node = IntegrityNode.builder().pageStore(store).raidaId(HandlerRules.RAIDA)
                    .allowPageDataFromAnyone().syncInterval(Duration.ofHours(1)).build().install(core).start();
            store.addListener((den, page) -> written.add(key(den, page)));
        }

        static Fixture open() {
            try {
                return new Fixture(Files.createTempDirectory("raida-handler-fuzz"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** 24 entries of the dead port (connections refused), own entry null. */
        private static List<InetSocketAddress> refusingPeers(DeadPort dead) {
            List<InetSocketAddress> peers = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                peers.add(i == HandlerRules.RAIDA ? null : dead.address());
            }
            return peers;
        }

        private static long key(int den, int page) {
            return ((long) den << 32) | (page & 0xFFFF_FFFFL);
        }

        ClientRequest request(HandlerRules.Rule rule, int type, boolean empty, byte[] payload) {
            RequestBuilder b = RequestBuilder.command(HandlerRules.RAIDA, rule.group(), rule.code());
            if (empty) {
                b.emptyBody();
            } else {
                b.payload(payload);
            }
            byte[] an = Arrays.copyOf(HandlerRules.an(HandlerRules.KEY_DEN, HandlerRules.KEY_SN), 16);
            switch (type) {
                case 1 -> b.encryptWithCoin(HandlerRules.KEY_DEN, HandlerRules.KEY_SN, an);
                case 4 -> b.authenticateWithCoin(HandlerRules.KEY_DEN, HandlerRules.KEY_SN, an).nonce(nextNonce());
                default -> b.unencrypted();
            }
            return b.build();
        }

        /**
         * A type-4 nonce no earlier execution used, whatever the random source under Jazzer, so that a
         * 177 (replay cache, D-12) can only come from a repeated ciphertext (see {@code sentTags}).
         * Bytes 12..15 (the IV's low counter word) stay 0 (D-3).
         */
        private byte[] nextNonce() {
            byte[] nonce = new byte[24];
            Bytes.putU64(nonce, 0, requests.incrementAndGet());
            return nonce;
        }

        /** Every page file is a whole page and no temporary file is left behind. */
        void checkPageFiles() {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    assertThat(f.getFileName().toString()).as("file in the store").endsWith(".bin")
                            .doesNotStartWith(".");
                    assertThat(Files.size(f)).as("size of %s", f).isEqualTo(PageStore.PAGE_SIZE);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Writes back the seed bytes of every page a command changed. */
        void restore() {
            if (written.isEmpty()) {
                return;
            }
            try {
                for (HandlerRules.SeedPage p : HandlerRules.pages()) {
                    if (written.contains(key(p.den(), p.page()))
                            && (!store.readPage(p.den(), p.page(), scratch) || !Arrays.equals(scratch, p.bytes()))) {
                        store.writePage(p.den(), p.page(), p.bytes());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            written.clear();
        }

        void close() {
            node.close();
            healing.close();
            coins.close();
            peer.close();
            try {
                store.close();
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path f : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                        Files.delete(f);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
